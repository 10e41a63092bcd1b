//! Marks sealed into the data-key canary: facts about a wallet that whoever can write its
//! file, but holds no key, must not be able to take away.
//!
//! Without a key, any row of the file can still be deleted, and the store cannot tell a
//! deleted record from one that was never written. The canary is different: delete it and
//! the wallet no longer unlocks; it cannot be forged without the data key. So a protection
//! that, once in use, must stay required (the field verifier's MAC'd manifest: once a
//! verifier has one, its absence is tampering, not an older verifier) is recorded as a mark
//! in the canary. Only the canary row of an older copy of the same file, under the same data
//! key, could take a mark away: the whole-older-file case docs/THREAT_MODEL.md leaves out.
//!
//! Plaintext: the v1 canary text, then `0x00 mark` for each mark in order. A canary of the
//! v1 text alone (every wallet written before marks existed) has no marks.

use std::collections::BTreeSet;

/// The canary text every wallet's canary starts with.
const CANARY_TEXT: &[u8] = b"laissez data key canary v1";
const SEPARATOR: u8 = 0;
/// Longest mark name, in bytes.
pub const MAX_MARK_LEN: usize = 64;

/// The marks of one wallet.
pub(crate) type Marks = BTreeSet<String>;

/// Whether `name` can be a mark: 1 to [`MAX_MARK_LEN`] bytes of lowercase ASCII letters,
/// digits and `._-/` (fixed names chosen by code, never data).
pub(crate) fn is_valid_mark(name: &str) -> bool {
    (1..=MAX_MARK_LEN).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b))
}

/// The canary plaintext carrying `marks`.
pub(crate) fn encode(marks: &Marks) -> Vec<u8> {
    let mut out = CANARY_TEXT.to_vec();
    for mark in marks {
        out.push(SEPARATOR);
        out.extend_from_slice(mark.as_bytes());
    }
    out
}

/// The marks an opened canary carries; `None` when it is not a canary (another key's data).
pub(crate) fn decode(plain: &[u8]) -> Option<Marks> {
    let rest = plain.strip_prefix(CANARY_TEXT)?;
    let mut marks = Marks::new();
    if rest.is_empty() {
        return Some(marks);
    }
    let rest = rest.strip_prefix(&[SEPARATOR])?;
    for part in rest.split(|b| *b == SEPARATOR) {
        let name = std::str::from_utf8(part).ok()?;
        if !is_valid_mark(name) {
            return None;
        }
        marks.insert(name.to_owned());
    }
    Some(marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_and_the_old_canary_has_none() {
        assert_eq!(decode(CANARY_TEXT), Some(Marks::new()));
        let marks: Marks = ["laissez/verifier-manifest".to_owned(), "b".to_owned()].into();
        assert_eq!(decode(&encode(&marks)), Some(marks));
    }

    #[test]
    fn anything_else_is_not_a_canary() {
        for bad in [
            &b"laissez data key canary v2"[..],
            b"laissez data key canary v1\x00",
            b"laissez data key canary v1x",
            b"laissez data key canary v1\x00UPPER",
            b"",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert!(!is_valid_mark(""));
        assert!(!is_valid_mark(&"a".repeat(MAX_MARK_LEN + 1)));
        assert!(is_valid_mark("laissez/verifier-manifest"));
    }
}
