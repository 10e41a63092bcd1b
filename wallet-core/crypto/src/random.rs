//! Randomness from the operating system through `ring`.

use ring::rand::{SecureRandom, SystemRandom};

use super::secret::SecretKey;
use crate::error::{CryptoError, CryptoResult};

/// Fills `buf` with cryptographically secure random bytes.
pub fn fill(buf: &mut [u8]) -> CryptoResult<()> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| CryptoError::Random)
}

/// `N` fresh random bytes.
pub fn bytes<const N: usize>() -> CryptoResult<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

/// A fresh random 256-bit key.
pub fn secret_key() -> CryptoResult<SecretKey> {
    let mut raw = zeroize::Zeroizing::new([0u8; 32]);
    fill(raw.as_mut())?;
    Ok(SecretKey::from_bytes(*raw))
}
