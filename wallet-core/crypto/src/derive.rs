//! HKDF-SHA256 derivations with distinct labels (DESIGN.md section 4).
//!
//! From the BIP39 seed: the recovery key, the backup key, holder keys. From the data key:
//! the record encryption key and the blind-index key. Every label is versioned so a future
//! scheme never reuses a key for another purpose.

use ring::hkdf::{HKDF_SHA256, KeyType, Salt};

use super::secret::SecretKey;
use crate::error::{CryptoError, CryptoResult};

/// Label of the key that wraps the data key for mnemonic recovery.
pub const RECOVERY_KEY: &str = "laissez/v1/recovery-key";
/// Label of the key that encrypts backups (used by the backup capability).
pub const BACKUP_KEY: &str = "laissez/v1/backup-key";
/// Label of the backup key check value (tells "other 24 words" from "damaged").
pub const BACKUP_CHECK: &str = "laissez/v1/backup-check";
/// Label of the record encryption key derived from the data key.
pub const RECORD_KEY: &str = "laissez/v1/record-aead";
/// Label of the blind-index key derived from the data key.
pub const INDEX_KEY: &str = "laissez/v1/blind-index";

struct Len32;

impl KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// HKDF-SHA256(ikm, salt, info = label || context) to a 256-bit key.
pub fn hkdf_key(ikm: &[u8], salt: &[u8], label: &str, context: &[u8]) -> CryptoResult<SecretKey> {
    let prk = Salt::new(HKDF_SHA256, salt).extract(ikm);
    let info = [label.as_bytes(), context];
    let okm = prk
        .expand(&info, Len32)
        .map_err(|_| CryptoError::KeyDerivation)?;
    let mut out = zeroize::Zeroizing::new([0u8; 32]);
    okm.fill(out.as_mut())
        .map_err(|_| CryptoError::KeyDerivation)?;
    Ok(SecretKey::from_bytes(*out))
}

/// A key derived from the wallet's BIP39 seed for one purpose.
pub fn from_seed(seed: &[u8], label: &str, context: &[u8]) -> CryptoResult<SecretKey> {
    hkdf_key(seed, b"laissez-seed", label, context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_separate_keys() {
        let seed = [3u8; 64];
        let a = from_seed(&seed, RECOVERY_KEY, b"").unwrap();
        let b = from_seed(&seed, BACKUP_KEY, b"").unwrap();
        assert_ne!(a, b);
        assert_eq!(a, from_seed(&seed, RECOVERY_KEY, b"").unwrap());
        assert_ne!(a, from_seed(&seed, RECOVERY_KEY, b"1").unwrap());
    }
}
