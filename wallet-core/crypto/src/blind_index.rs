//! Blind indexes: HMAC-SHA256 of searchable values, so equality queries work on the
//! database without the database ever holding the values.

use ring::hmac;

use super::secret::SecretKey;

/// Length of one blind index in bytes.
pub const INDEX_LEN: usize = 32;

/// Computes blind indexes under one key. It holds only the key bytes, zeroized on drop;
/// ring's HMAC key (its padded inner and outer states, never wiped) lives for one index.
pub struct BlindIndexer(SecretKey);

impl BlindIndexer {
    /// An indexer keyed by `key` (derived from the data key, so a rekey changes every index).
    pub fn new(key: &SecretKey) -> Self {
        Self(key.clone())
    }

    /// The index of a sequence of fields. Each field is length-prefixed so that
    /// `("ab", "c")` and `("a", "bc")` never collide.
    pub fn index(&self, domain: &[u8], fields: &[&[u8]]) -> [u8; INDEX_LEN] {
        let key = hmac::Key::new(hmac::HMAC_SHA256, self.0.as_bytes());
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(&(domain.len() as u32).to_be_bytes());
        ctx.update(domain);
        for field in fields {
            ctx.update(&(field.len() as u32).to_be_bytes());
            ctx.update(field);
        }
        let tag = ctx.sign();
        let mut out = [0u8; INDEX_LEN];
        out.copy_from_slice(tag.as_ref());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_boundaries_matter() {
        let ix = BlindIndexer::new(&SecretKey::from_bytes([1u8; 32]));
        assert_ne!(
            ix.index(b"t", &[b"ab", b"c"]),
            ix.index(b"t", &[b"a", b"bc"])
        );
        assert_eq!(ix.index(b"t", &[b"ab"]), ix.index(b"t", &[b"ab"]));
        assert_ne!(ix.index(b"t", &[b"ab"]), ix.index(b"u", &[b"ab"]));
    }

    #[test]
    fn only_the_wiped_key_bytes_are_kept() {
        // No ring HMAC state inside, which nothing would wipe: just the SecretKey.
        assert_eq!(std::mem::size_of::<BlindIndexer>(), 32);
    }

    #[test]
    fn key_changes_index() {
        let a = BlindIndexer::new(&SecretKey::from_bytes([1u8; 32]));
        let b = BlindIndexer::new(&SecretKey::from_bytes([2u8; 32]));
        assert_ne!(a.index(b"t", &[b"x"]), b.index(b"t", &[b"x"]));
    }
}
