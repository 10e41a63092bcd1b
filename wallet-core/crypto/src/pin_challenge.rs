//! The hardware's part in every PIN guess: the challenge sent to the phone's secure hardware
//! and the key-encryption key made from its answer.
//!
//! ```text
//! pin_key   = Argon2id(PIN, salt)                                  (pin_kdf.rs)
//! challenge = hash_to_curve(pin_key)    65-byte uncompressed P-256 point (RFC 9380,
//!                                       P256_XMD:SHA-256_SSWU_RO_, our own DST)
//! answer    = the hardware's keyed one-way function of the challenge
//!             Android: HMAC-SHA256(Keystore key, challenge)
//!             iOS:     x(ECDH(Secure Enclave key, challenge))
//! KEK       = HKDF-SHA256(ikm = pin_key || answer, info = "laissez/v2/pin-kek")
//! ```
//!
//! Why hash-to-curve and not `s·G` for a scalar `s` derived from `pin_key`: with `s·G`, one
//! iOS answer `x(d·s₁·G)` for a guess whose `s₁` the attacker knows gives every other answer
//! offline, `x((s₂/s₁)·(d·s₁·G))`, so one hardware call would test every PIN. A hashed point
//! has no discrete logarithm anyone knows; the construction is then the 2HashDH oblivious PRF
//! (RFC 9497's base mode without blinding), whose answers are unrelated to each other unless
//! the key `d` is known. HMAC (Android) is a PRF over any challenge bytes.

use p256::NistP256;
use p256::elliptic_curve::hash2curve::{ExpandMsgXmd, GroupDigest};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use sha2::Sha256;

use crate::derive::hkdf_key;
use crate::error::{CryptoError, CryptoResult};
use crate::secret::SecretKey;

/// Length of a challenge: an uncompressed SEC1 P-256 point (`04 || x || y`).
pub const CHALLENGE_LEN: usize = 65;
/// Shortest answer accepted from the hardware (an HMAC-SHA256 or a P-256 x-coordinate).
pub const MIN_ANSWER_LEN: usize = 32;
/// HKDF label of the key-encryption key.
pub const PIN_KEK: &str = "laissez/v2/pin-kek";
/// Domain separation tag of the hash to the curve (RFC 9380 section 3.1).
const CHALLENGE_DST: &[u8] = b"laissez/v2/pin-challenge/P256_XMD:SHA-256_SSWU_RO_";
/// What the key-check challenge hashes to the curve: a fixed input no PIN key can equal.
const KEY_CHECK_INPUT: &[u8] = b"laissez/v2/platform-key-check";
/// Length of a key check value.
pub const KEY_CHECK_LEN: usize = 16;

/// The challenge the hardware answers for `pin_key` (the Argon2id output).
pub fn challenge(pin_key: &SecretKey) -> CryptoResult<[u8; CHALLENGE_LEN]> {
    hash_to_point(pin_key.as_bytes())
}

/// A fixed challenge, independent of any PIN, whose answer (through [`key_check`]) is stored
/// to tell "the hardware key was replaced" from "wrong PIN". Its answer says nothing about
/// the answers to PIN challenges (the hardware's function is a PRF).
pub fn key_check_challenge() -> CryptoResult<[u8; CHALLENGE_LEN]> {
    hash_to_point(KEY_CHECK_INPUT)
}

/// The stored check value of the answer to [`key_check_challenge`]: a truncated hash, enough
/// to recognise the key, useless for anything else.
pub fn key_check(answer: &[u8]) -> [u8; KEY_CHECK_LEN] {
    let hash = ring::digest::digest(
        &ring::digest::SHA256,
        &[b"laissez/v2/key-check/".as_slice(), answer].concat(),
    );
    let mut out = [0u8; KEY_CHECK_LEN];
    out.copy_from_slice(&hash.as_ref()[..KEY_CHECK_LEN]);
    out
}

fn hash_to_point(input: &[u8]) -> CryptoResult<[u8; CHALLENGE_LEN]> {
    let point = NistP256::hash_from_bytes::<ExpandMsgXmd<Sha256>>(&[input], &[CHALLENGE_DST])
        .map_err(|_| CryptoError::KeyDerivation)?;
    let encoded = point.to_affine().to_encoded_point(false);
    // Only the point at infinity (probability about 2^-256) encodes to another length.
    encoded
        .as_bytes()
        .try_into()
        .map_err(|_| CryptoError::KeyDerivation)
}

/// The key-encryption key from the Argon2id output and the hardware's answer. Needs both: the
/// PIN (through `pin_key`) and one hardware call for that very PIN (through `answer`).
pub fn kek(pin_key: &SecretKey, answer: &[u8]) -> CryptoResult<SecretKey> {
    let mut ikm = zeroize::Zeroizing::new(Vec::with_capacity(32 + answer.len()));
    ikm.extend_from_slice(pin_key.as_bytes());
    ikm.extend_from_slice(answer);
    hkdf_key(&ikm, b"", PIN_KEK, b"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::elliptic_curve::sec1::FromEncodedPoint;
    use p256::{AffinePoint, EncodedPoint};

    #[test]
    fn the_challenge_is_a_fixed_valid_point_that_depends_on_the_key() {
        let a = challenge(&SecretKey::from_bytes([1; 32])).unwrap();
        assert_eq!(a, challenge(&SecretKey::from_bytes([1; 32])).unwrap());
        assert_ne!(a, challenge(&SecretKey::from_bytes([2; 32])).unwrap());
        assert_eq!(a[0], 0x04);
        let encoded = EncodedPoint::from_bytes(a).unwrap();
        assert!(bool::from(
            AffinePoint::from_encoded_point(&encoded).is_some()
        ));
    }

    #[test]
    fn the_hash_to_curve_is_rfc_9380_s() {
        // RFC 9380 appendix J.1.1, P256_XMD:SHA-256_SSWU_RO_, msg = "abc": the library does
        // the standard hash, so iOS and Android see a standard point.
        let point = NistP256::hash_from_bytes::<ExpandMsgXmd<Sha256>>(
            &[b"abc"],
            &[b"QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_"],
        )
        .unwrap()
        .to_affine()
        .to_encoded_point(false);
        assert_eq!(
            hex::encode(point.x().unwrap()),
            "0bb8b87485551aa43ed54f009230450b492fead5f1cc91658775dac4a3388a0f"
        );
    }

    #[test]
    fn the_kek_needs_both_the_pin_key_and_the_answer() {
        let k = SecretKey::from_bytes([1; 32]);
        let a = kek(&k, &[7; 32]).unwrap();
        assert_eq!(a, kek(&k, &[7; 32]).unwrap());
        assert_ne!(a, kek(&k, &[8; 32]).unwrap());
        assert_ne!(a, kek(&SecretKey::from_bytes([2; 32]), &[7; 32]).unwrap());
        assert_ne!(a, k);
    }
}
