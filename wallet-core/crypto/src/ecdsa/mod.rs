//! ECDSA P-256 with SHA-256 (ES256): signing keys derived or generated here, signatures and
//! verification through `ring`. Signatures are the fixed 64-byte `r || s` form used by JWS
//! and COSE, and always low-S when we make them ([`low_s`]).

use p256::elliptic_curve::sec1::ToEncodedPoint;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, UnparsedPublicKey,
};
use zeroize::Zeroizing;

use super::random;
use crate::error::{CryptoError, CryptoResult};

pub mod low_s;

pub use low_s::{is_low_s, normalize_s};

/// Length of an ES256 signature (`r || s`).
pub const SIGNATURE_LEN: usize = 64;
/// Length of an uncompressed SEC1 P-256 point (`0x04 || x || y`).
pub const PUBLIC_KEY_LEN: usize = 65;

/// A P-256 public key, validated to be on the curve.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VerifyingKey([u8; PUBLIC_KEY_LEN]);

impl VerifyingKey {
    /// Parses an uncompressed or compressed SEC1 point; refuses points not on the curve.
    pub fn from_sec1(bytes: &[u8]) -> Option<Self> {
        let point = p256::PublicKey::from_sec1_bytes(bytes).ok()?;
        let encoded = point.to_encoded_point(false);
        let mut out = [0u8; PUBLIC_KEY_LEN];
        out.copy_from_slice(encoded.as_bytes());
        Some(Self(out))
    }

    /// From the affine coordinates (as in a JWK or COSE_Key).
    pub fn from_coordinates(x: &[u8], y: &[u8]) -> Option<Self> {
        if x.len() != 32 || y.len() != 32 {
            return None;
        }
        let mut sec1 = [0u8; PUBLIC_KEY_LEN];
        sec1[0] = 0x04;
        sec1[1..33].copy_from_slice(x);
        sec1[33..].copy_from_slice(y);
        Self::from_sec1(&sec1)
    }

    /// The uncompressed SEC1 encoding.
    pub fn to_sec1(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.0
    }

    /// The x coordinate.
    pub fn x(&self) -> &[u8] {
        &self.0[1..33]
    }

    /// The y coordinate.
    pub fn y(&self) -> &[u8] {
        &self.0[33..]
    }

    /// Checks an ES256 signature (`r || s`) over `message`, refusing the high-S twin of a
    /// valid signature ([`low_s`]): what we sign, and what a replay decision keys on.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        self.verify_with(message, signature, HighS::Refuse)
    }

    /// Checks an ES256 signature under a chosen [`HighS`] policy. [`HighS::Accept`] is for
    /// signatures made by other implementations (issuers, certificate authorities), many of
    /// which do not normalise `s`; never for bytes that a replay decision keys on.
    pub fn verify_with(
        &self,
        message: &[u8],
        signature: &[u8],
        high_s: HighS,
    ) -> Result<(), SignatureError> {
        if signature.len() != SIGNATURE_LEN {
            return Err(SignatureError::WrongLength);
        }
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &self.0[..])
            .verify(message, signature)
            .map_err(|_| SignatureError::Mismatch)?;
        // Checked after the signature, so a forgery is reported as a mismatch, not as high-S.
        if high_s == HighS::Refuse && !is_low_s(signature) {
            return Err(SignatureError::HighS);
        }
        Ok(())
    }
}

/// What to do with a valid signature whose `s` is above `n / 2` (see [`low_s`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HighS {
    /// Refuse it: only the canonical low-S form is accepted.
    #[default]
    Refuse,
    /// Accept it, as many other implementations produce it.
    Accept,
}

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Not the algorithm's fixed length (64 bytes `r || s` for ES256).
    #[error("the signature does not have the algorithm's length")]
    WrongLength,
    /// The signature does not verify under the key.
    #[error("the signature does not verify")]
    Mismatch,
    /// A valid signature in its non-canonical form (`s > n / 2`).
    #[error("non-canonical (high-S) signature")]
    HighS,
    /// The signature names an algorithm other than the key's
    /// ([`crate::issuer_key::IssuerKey::verify`]).
    #[error("the signature's algorithm is not the key's")]
    AlgorithmMismatch,
}

impl VerifyingKey {
    /// A short, stable, non-secret fingerprint (hex of the first 16 bytes of SHA-256 of the
    /// SEC1 encoding): how trust lists, stored credentials and audiences name a key.
    pub fn fingerprint(&self) -> String {
        let digest = ring::digest::digest(&ring::digest::SHA256, &self.to_sec1());
        hex::encode(&digest.as_ref()[..16])
    }
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VerifyingKey({})", hex::encode(&self.0[1..9]))
    }
}

/// Something that signs with a P-256 key: the software key below, or a platform
/// (hardware-backed) key supplied by the app.
pub trait Es256Signer: Send + Sync {
    /// The public key that verifies this signer's signatures.
    fn verifying_key(&self) -> VerifyingKey;
    /// Signs `message` (hashed with SHA-256 inside), returning `r || s`.
    fn sign(&self, message: &[u8]) -> CryptoResult<[u8; SIGNATURE_LEN]>;
}

/// A software P-256 private key, wiped from memory on drop. Only the zeroizing scalar is
/// kept: ring's key pair (never wiped) is rebuilt for each signature and dropped with it.
pub struct SigningKey {
    scalar: Zeroizing<[u8; 32]>,
    public: VerifyingKey,
}

impl SigningKey {
    /// The key with private scalar `scalar` (big-endian); `None` if it is 0 or not below the
    /// group order.
    pub fn from_scalar(scalar: &[u8; 32]) -> Option<Self> {
        let secret = p256::SecretKey::from_bytes(scalar.into()).ok()?;
        let encoded = secret.public_key().to_encoded_point(false);
        let public = VerifyingKey::from_sec1(encoded.as_bytes())?;
        let key = Self {
            scalar: Zeroizing::new(*scalar),
            public,
        };
        // ring must accept the pair now, not first at a signature.
        key.key_pair().ok()?;
        Some(key)
    }

    /// A fresh random key.
    pub fn generate() -> CryptoResult<Self> {
        loop {
            let candidate = Zeroizing::new(random::bytes::<32>()?);
            if let Some(key) = Self::from_scalar(&candidate) {
                return Ok(key);
            }
        }
    }

    /// A key derived from 32 bytes of key material (e.g. HKDF output): the material is used as
    /// the scalar, re-hashed with a counter in the (2^-128) case that it is out of range.
    pub fn derive(material: &[u8; 32]) -> CryptoResult<Self> {
        let mut candidate = Zeroizing::new(*material);
        for counter in 0u8..=255 {
            if let Some(key) = Self::from_scalar(&candidate) {
                return Ok(key);
            }
            let mut input = Zeroizing::new(candidate.to_vec());
            input.push(counter);
            let digest = ring::digest::digest(&ring::digest::SHA256, &input);
            candidate.copy_from_slice(digest.as_ref());
        }
        Err(CryptoError::P256Derivation)
    }

    /// The public key (same as [`Es256Signer::verifying_key`], without a copy).
    pub fn public_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// ring's key pair for one operation.
    fn key_pair(&self) -> CryptoResult<EcdsaKeyPair> {
        EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            self.scalar.as_ref(),
            &self.public.0,
            &SystemRandom::new(),
        )
        .map_err(|_| CryptoError::Signing)
    }

    /// The private scalar, for sealed storage only.
    pub fn scalar(&self) -> &[u8; 32] {
        &self.scalar
    }
}

impl Es256Signer for SigningKey {
    fn verifying_key(&self) -> VerifyingKey {
        self.public.clone()
    }

    fn sign(&self, message: &[u8]) -> CryptoResult<[u8; SIGNATURE_LEN]> {
        let signature = self
            .key_pair()?
            .sign(&SystemRandom::new(), message)
            .map_err(|_| CryptoError::Signing)?;
        let mut out = [0u8; SIGNATURE_LEN];
        out.copy_from_slice(signature.as_ref());
        // ring returns either twin; ours are always the canonical one.
        Ok(normalize_s(&out))
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey(public {:?})", self.public)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_reject_tampering() {
        let key = SigningKey::generate().unwrap();
        let sig = key.sign(b"message").unwrap();
        let public = key.verifying_key();
        assert_eq!(public.verify(b"message", &sig), Ok(()));
        assert_eq!(
            public.verify(b"messagf", &sig),
            Err(SignatureError::Mismatch)
        );
        let mut bad = sig;
        bad[10] ^= 1;
        assert_eq!(
            public.verify(b"message", &bad),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            public.verify(b"message", &sig[..63]),
            Err(SignatureError::WrongLength)
        );
    }

    /// The high-S twin of a valid signature: `r || n - s`.
    fn high_s_twin(sig: &[u8; SIGNATURE_LEN]) -> [u8; SIGNATURE_LEN] {
        use p256::elliptic_curve::ff::PrimeField;
        // p256's scalar arithmetic, independent of `normalize_s`.
        let s = p256::Scalar::from_repr(*p256::FieldBytes::from_slice(&sig[32..]));
        let negated = (-Option::<p256::Scalar>::from(s).unwrap()).to_bytes();
        let mut out = *sig;
        out[32..].copy_from_slice(&negated);
        out
    }

    #[test]
    fn every_signature_is_low_s() {
        // ring picks s or n - s at random: 64 signatures would all be low-S by chance with
        // probability 2^-64.
        let key = SigningKey::generate().unwrap();
        for i in 0..64u8 {
            let sig = key.sign(&[i]).unwrap();
            assert!(is_low_s(&sig), "signature {i} is high-S");
        }
    }

    #[test]
    fn the_high_s_twin_is_refused_unless_accepted() {
        let key = SigningKey::generate().unwrap();
        let sig = key.sign(b"message").unwrap();
        let twin = high_s_twin(&sig);
        let public = key.verifying_key();
        assert_eq!(public.verify(b"message", &twin), Err(SignatureError::HighS));
        assert_eq!(public.verify_with(b"message", &twin, HighS::Accept), Ok(()));
        assert_eq!(normalize_s(&twin), sig);
        // A forged high-S signature is a mismatch, whatever the policy.
        let mut forged = twin;
        forged[5] ^= 1;
        assert_eq!(
            public.verify(b"message", &forged),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn only_the_wiped_scalar_and_the_public_key_are_kept() {
        // No ring key pair inside, which nothing would wipe.
        assert_eq!(std::mem::size_of::<SigningKey>(), 32 + PUBLIC_KEY_LEN);
    }

    #[test]
    fn derivation_is_deterministic_and_scalar_round_trips() {
        let a = SigningKey::derive(&[9u8; 32]).unwrap();
        let b = SigningKey::derive(&[9u8; 32]).unwrap();
        assert_eq!(a.verifying_key(), b.verifying_key());
        let c = SigningKey::from_scalar(a.scalar()).unwrap();
        assert_eq!(a.verifying_key(), c.verifying_key());
        assert!(SigningKey::from_scalar(&[0u8; 32]).is_none());
        assert!(SigningKey::from_scalar(&[0xffu8; 32]).is_none());
        assert!(SigningKey::derive(&[0xffu8; 32]).is_ok());
    }

    #[test]
    fn off_curve_points_are_refused() {
        let key = SigningKey::generate().unwrap().verifying_key();
        let mut sec1 = key.to_sec1();
        sec1[40] ^= 1;
        assert!(VerifyingKey::from_sec1(&sec1).is_none());
        assert!(VerifyingKey::from_coordinates(key.x(), key.y()).is_some());
        assert!(VerifyingKey::from_coordinates(&[1u8; 31], key.y()).is_none());
    }
}
