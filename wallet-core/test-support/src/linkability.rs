//! Whether two presentations of one credential share a byte string that would let two
//! verifiers who compare notes link them (issue 14 item 3, ADR 0017). Used by
//! `wallet-core/tests/batch_unlinkability.rs` and by `laissez demo`.
//!
//! What two presentations may share: the disclosed values, the issuer's certificates (the
//! caller's `allowed` strings), and whatever every credential of that type from that issuer
//! with those values carries (its type, the issuer's identifier, the CBOR and JSON structure
//! around them, the day it was issued). That last part is measured, not listed: the caller
//! passes presentations of the same claims issued separately, at other times, to another
//! wallet (the baseline). 16-byte windows they hold, or that lie inside an allowed string,
//! are explained; a shared window counts only when at least [`MIN_UNEXPLAINED`] of its bytes
//! lie in no explained window. What is left in common — a holder key, a salt, a digest, a
//! signature, a status index, an issuance time to the second — links the two.
//!
//! Presentations are passed in decoded form (an SD-JWT's base64url segments decoded, an
//! mdoc's CBOR as it is), so an encoding offset cannot hide a shared string.

use std::collections::HashSet;

/// Length of the byte strings compared (issue 14: 16 bytes or more).
pub const WINDOW: usize = 16;

/// Bytes of a shared window that must lie outside every explained window for it to link.
///
/// A window made of common structure plus a byte or two of random data that happens to be
/// the same in both (the last character of a key, the last digits of an index: one chance in
/// 64 or in 100) explains nothing about the holder. Whatever really links two presentations
/// (a key, a salt, a digest, a signature) is 32 bytes or more of random data.
pub const MIN_UNEXPLAINED: usize = 4;

fn windows(parts: &[Vec<u8>]) -> HashSet<&[u8]> {
    parts.iter().flat_map(|p| p.windows(WINDOW)).collect()
}

/// The [`WINDOW`]-byte strings that `a` and `b` (each the decoded parts of one presentation)
/// share and that neither `baseline` (the parts of unrelated presentations of the same
/// claims) nor `allowed` (disclosed values, certificates) explain, each as hex and as lossy
/// text, sorted, without repeats. Empty: nothing links the two.
pub fn links(
    a: &[Vec<u8>],
    b: &[Vec<u8>],
    baseline: &[Vec<u8>],
    allowed: &[Vec<u8>],
) -> Vec<String> {
    let of_a = windows(a);
    let explained: HashSet<&[u8]> = windows(baseline)
        .into_iter()
        .chain(windows(allowed))
        .collect();
    let mut found = Vec::new();
    for part in b {
        let mut covered = vec![false; part.len()];
        for (start, window) in part.windows(WINDOW).enumerate() {
            let explained_here = explained.contains(window);
            if let Some(span) = covered
                .get_mut(start..start + WINDOW)
                .filter(|_| explained_here)
            {
                span.fill(true);
            }
        }
        for (start, window) in part.windows(WINDOW).enumerate() {
            let unexplained = covered
                .get(start..start + WINDOW)
                .map_or(0, |span| span.iter().filter(|c| !**c).count());
            if of_a.contains(window) && unexplained >= MIN_UNEXPLAINED {
                let hex: String = window.iter().map(|b| format!("{b:02x}")).collect();
                found.push(format!("{hex} {:?}", String::from_utf8_lossy(window)));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_like(seed: u8, len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(37).wrapping_add(seed).rotate_left(3) ^ seed)
            .collect()
    }

    #[test]
    fn a_shared_key_links_and_shared_structure_does_not() {
        let structure = b"{\"type\":\"org.iom.registration.1\",\"given_name\":".to_vec();
        let key = random_like(9, 32);
        let a = vec![[structure.clone(), key.clone(), random_like(1, 40)].concat()];
        let b = vec![[structure.clone(), key.clone(), random_like(2, 40)].concat()];
        let baseline = vec![[structure.clone(), random_like(3, 72)].concat()];
        let found = links(&a, &b, &baseline, &[]);
        assert!(!found.is_empty(), "the shared key must link");
        // Allowing the key (as a disclosed value or a certificate is) explains it.
        assert!(links(&a, &b, &baseline, &[key]).is_empty());
        // Without the key, the common structure alone links nothing.
        let a = vec![[structure.clone(), random_like(4, 72)].concat()];
        let b = vec![[structure, random_like(5, 72)].concat()];
        assert!(links(&a, &b, &baseline, &[]).is_empty());
    }
}
