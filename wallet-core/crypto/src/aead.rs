//! AES-256-GCM sealing with a fresh random nonce per message.
//!
//! Sealed layout: `version (1) || nonce (12) || ciphertext || tag (16)`. The version byte lets
//! a later release change the algorithm without guessing.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

use super::{random, secret::SecretKey};
use crate::error::{CryptoError, CryptoResult};

/// The only sealed-box version so far: AES-256-GCM, 96-bit random nonce.
const VERSION_AES256GCM: u8 = 1;
/// Bytes a sealed box adds to its plaintext.
pub const OVERHEAD: usize = 1 + NONCE_LEN + 16;

/// Why a sealed box did not open. Callers turn this into the error that fits their context
/// (wrong PIN, integrity failure, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenFailure {
    /// Too short or an unknown version byte: the bytes are not a sealed box at all.
    Malformed,
    /// Authentication failed: wrong key, wrong associated data, or altered bytes.
    Unauthentic,
}

fn aes_256_gcm(key: &SecretKey) -> CryptoResult<LessSafeKey> {
    let unbound =
        UnboundKey::new(&AES_256_GCM, key.as_bytes()).map_err(|_| CryptoError::AeadKeySetup)?;
    Ok(LessSafeKey::new(unbound))
}

/// An AES-256-GCM key that seals exactly one message: a key derived from a fresh ephemeral
/// ECDH exchange. Its single nonce is fixed (zero), so no nonce travels with the message.
///
/// Like [`SealingKey`], it keeps only the zeroizing key bytes: ring's expanded key schedule
/// is never wiped, so it exists only during the one operation.
pub struct OneTimeKey(SecretKey);

impl OneTimeKey {
    /// Prepares `key`, which must never seal a second message.
    pub fn new(key: &SecretKey) -> CryptoResult<Self> {
        // Refuse a bad key now rather than at the operation.
        aes_256_gcm(key)?;
        Ok(Self(key.clone()))
    }

    /// Encrypts `plaintext` and authenticates `aad`: ciphertext then the 16-byte tag.
    /// Consumes the key, so it cannot seal twice.
    pub fn seal(self, plaintext: &[u8], aad: &[u8]) -> CryptoResult<Vec<u8>> {
        let mut out = plaintext.to_vec();
        aes_256_gcm(&self.0)?
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key([0; NONCE_LEN]),
                Aad::from(aad),
                &mut out,
            )
            .map_err(|_| CryptoError::Encryption)?;
        Ok(out)
    }

    /// Decrypts what [`OneTimeKey::seal`] made with the same key and `aad`.
    pub fn open(self, sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenFailure> {
        let mut buf = Zeroizing::new(sealed.to_vec());
        let len = aes_256_gcm(&self.0)
            .map_err(|_| OpenFailure::Unauthentic)?
            .open_in_place(
                Nonce::assume_unique_for_key([0; NONCE_LEN]),
                Aad::from(aad),
                &mut buf,
            )
            .map_err(|_| OpenFailure::Unauthentic)?
            .len();
        buf.truncate(len);
        Ok(buf)
    }
}

/// An AEAD key ready to seal and open. It holds only the key bytes, zeroized on drop; ring's
/// AES key schedule (which ring never wipes) is built for each operation and dropped with
/// it, so no copy of the key outlives the call that needed it.
pub struct SealingKey(SecretKey);

impl SealingKey {
    /// Prepares `key` for AES-256-GCM.
    pub fn new(key: &SecretKey) -> CryptoResult<Self> {
        aes_256_gcm(key)?;
        Ok(Self(key.clone()))
    }

    /// Encrypts `plaintext`, authenticating `aad` with it.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> CryptoResult<Vec<u8>> {
        let nonce_bytes = random::bytes::<NONCE_LEN>()?;
        let mut out = Vec::with_capacity(plaintext.len() + OVERHEAD);
        out.push(VERSION_AES256GCM);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(plaintext);
        let mut body = out.split_off(1 + NONCE_LEN);
        aes_256_gcm(&self.0)?
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(aad),
                &mut body,
            )
            .map_err(|_| CryptoError::Encryption)?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decrypts a sealed box made by [`SealingKey::seal`] with the same `aad`.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenFailure> {
        if sealed.len() < OVERHEAD || sealed[0] != VERSION_AES256GCM {
            return Err(OpenFailure::Malformed);
        }
        let nonce_bytes: [u8; NONCE_LEN] = sealed[1..1 + NONCE_LEN]
            .try_into()
            .map_err(|_| OpenFailure::Malformed)?;
        let mut buf = Zeroizing::new(sealed[1 + NONCE_LEN..].to_vec());
        let len = aes_256_gcm(&self.0)
            .map_err(|_| OpenFailure::Unauthentic)?
            .open_in_place(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(aad),
                &mut buf,
            )
            .map_err(|_| OpenFailure::Unauthentic)?
            .len();
        buf.truncate(len);
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SealingKey {
        SealingKey::new(&SecretKey::from_bytes([7u8; 32])).unwrap()
    }

    #[test]
    fn only_the_wiped_key_bytes_are_kept() {
        // No ring key schedule inside, which nothing would wipe: just the SecretKey.
        assert_eq!(std::mem::size_of::<SealingKey>(), 32);
        assert_eq!(std::mem::size_of::<OneTimeKey>(), 32);
        let one = OneTimeKey::new(&SecretKey::from_bytes([3u8; 32])).unwrap();
        let sealed = one.seal(b"once", b"aad").unwrap();
        let again = OneTimeKey::new(&SecretKey::from_bytes([3u8; 32])).unwrap();
        assert_eq!(&again.open(&sealed, b"aad").unwrap()[..], b"once");
    }

    #[test]
    fn round_trip_and_fresh_nonces() {
        let k = key();
        let a = k.seal(b"hello", b"aad").unwrap();
        let b = k.seal(b"hello", b"aad").unwrap();
        assert_ne!(a, b, "each seal must use a fresh nonce");
        assert_eq!(&k.open(&a, b"aad").unwrap()[..], b"hello");
    }

    #[test]
    fn wrong_aad_or_flipped_byte_is_unauthentic() {
        let k = key();
        let sealed = k.seal(b"hello", b"aad").unwrap();
        assert_eq!(
            k.open(&sealed, b"other").unwrap_err(),
            OpenFailure::Unauthentic
        );
        for i in 1..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(k.open(&bad, b"aad").unwrap_err(), OpenFailure::Unauthentic);
        }
    }

    #[test]
    fn short_or_unknown_version_is_malformed() {
        let k = key();
        assert_eq!(k.open(&[1u8; 5], b"").unwrap_err(), OpenFailure::Malformed);
        let mut sealed = k.seal(b"x", b"").unwrap();
        sealed[0] = 9;
        assert_eq!(k.open(&sealed, b"").unwrap_err(), OpenFailure::Malformed);
    }
}
