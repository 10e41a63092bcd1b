//! Issuer keys: what may sign credentials, certificates and status lists.
//!
//! Holder keys stay P-256 ([`crate::ecdsa`]); issuers and certificate authorities may also use
//! P-384 and Ed25519, as other systems do (HAIP, ISO 18013-5). An [`IssuerKey`] is one of the
//! three, and verifies only signatures made with its own [`SignatureAlgorithm`]: a header that
//! names ES384 over a P-256 key is refused before any arithmetic, as is every algorithm not
//! listed here (`none`, HMAC, RSA, …: the callers turn those names into their own typed
//! "unsupported algorithm" errors).
//!
//! Issuer signatures accept both ECDSA forms (`s` and `n - s`): issuers are other
//! implementations, and nothing keys a replay decision on their bytes.

use ring::rand::SystemRandom;
use ring::signature::{
    self as ring_sig, ECDSA_P256_SHA256_ASN1, ECDSA_P384_SHA384_ASN1, ECDSA_P384_SHA384_FIXED,
    ECDSA_P384_SHA384_FIXED_SIGNING, ED25519, EcdsaKeyPair, Ed25519KeyPair, KeyPair,
    UnparsedPublicKey,
};
use zeroize::Zeroizing;

use crate::ecdsa::{Es256Signer, HighS, SignatureError, SigningKey, VerifyingKey};
use crate::error::{CryptoError, CryptoResult};

/// Length of an uncompressed SEC1 P-384 point (`0x04 || x || y`).
pub const P384_PUBLIC_KEY_LEN: usize = 97;
/// Length of an Ed25519 public key.
pub const ED25519_PUBLIC_KEY_LEN: usize = 32;

/// A signature algorithm an issuer may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// ECDSA P-384 with SHA-384.
    Es384,
    /// Ed25519 (JOSE `EdDSA`, COSE -8).
    EdDsa,
}

impl SignatureAlgorithm {
    /// Every supported algorithm.
    pub const ALL: [SignatureAlgorithm; 3] = [Self::Es256, Self::Es384, Self::EdDsa];

    /// The JOSE `alg` name (RFC 7518, RFC 8037).
    pub fn jose_name(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::EdDsa => "EdDSA",
        }
    }

    /// The algorithm a JOSE `alg` names, exactly (case-sensitive); `None` for anything else,
    /// `none`, HMAC and RSA included.
    pub fn from_jose_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.jose_name() == name)
    }

    /// The COSE algorithm identifier (RFC 9053: -7, -35, -8).
    pub fn cose_id(self) -> i64 {
        match self {
            Self::Es256 => -7,
            Self::Es384 => -35,
            Self::EdDsa => -8,
        }
    }

    /// The algorithm a COSE identifier names; `None` for anything else.
    pub fn from_cose_id(id: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.cose_id() == id)
    }

    /// Length of a JWS/COSE signature (`r || s`, or the 64-byte Ed25519 signature).
    pub fn signature_len(self) -> usize {
        match self {
            Self::Es256 | Self::EdDsa => 64,
            Self::Es384 => 96,
        }
    }
}

impl std::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.jose_name())
    }
}

/// A public key that may sign as an issuer: P-256, P-384 or Ed25519.
///
/// P-256 points are checked to be on the curve when built; P-384 points and Ed25519 keys are
/// checked by ring at each verification (ring does not parse public keys on their own), so a
/// malformed one verifies nothing.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum IssuerKey {
    /// ECDSA P-256 (ES256).
    P256(VerifyingKey),
    /// ECDSA P-384 (ES384): the uncompressed SEC1 point.
    P384(Box<[u8; P384_PUBLIC_KEY_LEN]>),
    /// Ed25519 (EdDSA).
    Ed25519([u8; ED25519_PUBLIC_KEY_LEN]),
}

impl From<VerifyingKey> for IssuerKey {
    fn from(key: VerifyingKey) -> Self {
        Self::P256(key)
    }
}

impl From<&VerifyingKey> for IssuerKey {
    fn from(key: &VerifyingKey) -> Self {
        Self::P256(key.clone())
    }
}

impl From<&IssuerKey> for IssuerKey {
    fn from(key: &IssuerKey) -> Self {
        key.clone()
    }
}

impl PartialEq<VerifyingKey> for IssuerKey {
    fn eq(&self, other: &VerifyingKey) -> bool {
        self.as_p256() == Some(other)
    }
}

impl IssuerKey {
    /// A P-384 key from its uncompressed SEC1 point (97 bytes, `0x04 || x || y`); compressed
    /// points and other lengths are refused.
    pub fn p384_from_sec1(bytes: &[u8]) -> Option<Self> {
        let point: [u8; P384_PUBLIC_KEY_LEN] = bytes.try_into().ok()?;
        (point[0] == 0x04).then(|| Self::P384(Box::new(point)))
    }

    /// A P-384 key from its affine coordinates (48 bytes each, as in a JWK or COSE_Key).
    pub fn p384_from_coordinates(x: &[u8], y: &[u8]) -> Option<Self> {
        if x.len() != 48 || y.len() != 48 {
            return None;
        }
        let mut sec1 = [0u8; P384_PUBLIC_KEY_LEN];
        sec1[0] = 0x04;
        sec1[1..49].copy_from_slice(x);
        sec1[49..].copy_from_slice(y);
        Some(Self::P384(Box::new(sec1)))
    }

    /// Whether the key is a point of its curve. P-256 keys are checked when made; P-384 keys
    /// are not (ring has no P-384 key parser outside signature verification, where a bad
    /// point fails as a bad signature), so this runs an ECDH P-384 agreement against the
    /// point, which ring refuses for a point off the curve (about a millisecond). Ed25519
    /// keys are any 32 bytes until a signature is checked. For import paths (trust files),
    /// not for every verification.
    pub fn is_valid_point(&self) -> bool {
        match self {
            Self::P256(_) | Self::Ed25519(_) => true,
            Self::P384(point) => {
                let rng = SystemRandom::new();
                let Ok(mine) = ring::agreement::EphemeralPrivateKey::generate(
                    &ring::agreement::ECDH_P384,
                    &rng,
                ) else {
                    return false;
                };
                let peer = ring::agreement::UnparsedPublicKey::new(
                    &ring::agreement::ECDH_P384,
                    &point[..],
                );
                ring::agreement::agree_ephemeral(mine, &peer, |_| ()).is_ok()
            }
        }
    }

    /// An Ed25519 key from its 32 bytes (RFC 8032).
    pub fn ed25519(bytes: &[u8]) -> Option<Self> {
        Some(Self::Ed25519(bytes.try_into().ok()?))
    }

    /// The one algorithm this key verifies.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            Self::P256(_) => SignatureAlgorithm::Es256,
            Self::P384(_) => SignatureAlgorithm::Es384,
            Self::Ed25519(_) => SignatureAlgorithm::EdDsa,
        }
    }

    /// The P-256 key, if this is one.
    pub fn as_p256(&self) -> Option<&VerifyingKey> {
        match self {
            Self::P256(key) => Some(key),
            _ => None,
        }
    }

    /// The public key bytes: the uncompressed SEC1 point for the curves, the 32 raw bytes for
    /// Ed25519.
    pub fn public_bytes(&self) -> Vec<u8> {
        match self {
            Self::P256(key) => key.to_sec1().to_vec(),
            Self::P384(point) => point.to_vec(),
            Self::Ed25519(bytes) => bytes.to_vec(),
        }
    }

    /// Checks a JWS/COSE signature (fixed-size `r || s`, or Ed25519's 64 bytes) made with
    /// `alg` over `message`. An `alg` other than [`IssuerKey::algorithm`] gives
    /// [`SignatureError::AlgorithmMismatch`] without looking at the signature. Both ECDSA forms
    /// of `s` are accepted (see the module documentation).
    pub fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        if alg != self.algorithm() {
            return Err(SignatureError::AlgorithmMismatch);
        }
        if signature.len() != alg.signature_len() {
            return Err(SignatureError::WrongLength);
        }
        match self {
            Self::P256(key) => key.verify_with(message, signature, HighS::Accept),
            Self::P384(point) => UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, &point[..])
                .verify(message, signature)
                .map_err(|_| SignatureError::Mismatch),
            Self::Ed25519(bytes) => UnparsedPublicKey::new(&ED25519, &bytes[..])
                .verify(message, signature)
                .map_err(|_| SignatureError::Mismatch),
        }
    }

    /// Checks an X.509 signature made with `alg`: DER `Ecdsa-Sig-Value` for ECDSA
    /// (RFC 5758), the raw 64 bytes for Ed25519 (RFC 8410).
    pub fn verify_x509(
        &self,
        alg: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        if alg != self.algorithm() {
            return Err(SignatureError::AlgorithmMismatch);
        }
        let public = self.public_bytes();
        let algorithm: &dyn ring_sig::VerificationAlgorithm = match self {
            Self::P256(_) => &ECDSA_P256_SHA256_ASN1,
            Self::P384(_) => &ECDSA_P384_SHA384_ASN1,
            Self::Ed25519(_) => &ED25519,
        };
        UnparsedPublicKey::new(algorithm, &public)
            .verify(message, signature)
            .map_err(|_| SignatureError::Mismatch)
    }

    /// A short, stable, non-secret fingerprint: hex of the first 16 bytes of SHA-256 over
    /// [`IssuerKey::public_bytes`]. For P-256 keys it equals [`VerifyingKey::fingerprint`], so
    /// fingerprints shown before other algorithms existed still name the same keys.
    pub fn fingerprint(&self) -> String {
        match self {
            Self::P256(key) => key.fingerprint(),
            _ => {
                let digest = ring::digest::digest(&ring::digest::SHA256, &self.public_bytes());
                hex::encode(&digest.as_ref()[..16])
            }
        }
    }
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::P256(key) => write!(f, "IssuerKey::{key:?}"),
            _ => write!(f, "IssuerKey({}, {})", self.algorithm(), self.fingerprint()),
        }
    }
}

/// Something that signs as an issuer, with one [`SignatureAlgorithm`]. Every [`Es256Signer`]
/// is one (ES256).
pub trait IssuerSigner: Send + Sync {
    /// The algorithm of every signature this signer makes.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// The public key that verifies this signer's signatures.
    fn issuer_key(&self) -> IssuerKey;
    /// Signs `message`, returning the JWS/COSE form (`r || s`, or Ed25519's 64 bytes).
    fn sign_message(&self, message: &[u8]) -> CryptoResult<Vec<u8>>;
}

impl<T: Es256Signer + ?Sized> IssuerSigner for T {
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::Es256
    }

    fn issuer_key(&self) -> IssuerKey {
        IssuerKey::P256(self.verifying_key())
    }

    fn sign_message(&self, message: &[u8]) -> CryptoResult<Vec<u8>> {
        Ok(self.sign(message)?.to_vec())
    }
}

/// A software issuer private key of any supported algorithm. P-256 keys are
/// [`SigningKey`]s (low-S signatures); P-384 and Ed25519 keys are kept as their PKCS#8 document
/// in a zeroized buffer, and ring's key pair is rebuilt for each signature.
pub enum IssuerSigningKey {
    /// ECDSA P-256.
    P256(SigningKey),
    /// ECDSA P-384: PKCS#8 v1 and the public point.
    P384 {
        /// The PKCS#8 document.
        pkcs8: Zeroizing<Vec<u8>>,
        /// The public key.
        public: IssuerKey,
    },
    /// Ed25519: PKCS#8 v2 and the public key.
    Ed25519 {
        /// The PKCS#8 document.
        pkcs8: Zeroizing<Vec<u8>>,
        /// The public key.
        public: IssuerKey,
    },
}

impl IssuerSigningKey {
    /// A fresh random key for `alg`.
    pub fn generate(alg: SignatureAlgorithm) -> CryptoResult<Self> {
        let rng = SystemRandom::new();
        match alg {
            SignatureAlgorithm::Es256 => Ok(Self::P256(SigningKey::generate()?)),
            SignatureAlgorithm::Es384 => {
                let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &rng)
                    .map_err(|_| CryptoError::Random)?;
                Self::from_pkcs8(alg, doc.as_ref())
            }
            SignatureAlgorithm::EdDsa => {
                let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| CryptoError::Random)?;
                Self::from_pkcs8(alg, doc.as_ref())
            }
        }
    }

    /// A P-384 or Ed25519 key from its PKCS#8 document (as [`IssuerSigningKey::pkcs8`] gives
    /// it); P-256 keys are built from their scalar ([`SigningKey::from_scalar`]).
    pub fn from_pkcs8(alg: SignatureAlgorithm, pkcs8: &[u8]) -> CryptoResult<Self> {
        let refused =
            || CryptoError::InvalidParameters("not a PKCS#8 key of that algorithm".into());
        match alg {
            SignatureAlgorithm::Es256 => Err(refused()),
            SignatureAlgorithm::Es384 => {
                let pair = EcdsaKeyPair::from_pkcs8(
                    &ECDSA_P384_SHA384_FIXED_SIGNING,
                    pkcs8,
                    &SystemRandom::new(),
                )
                .map_err(|_| refused())?;
                let public =
                    IssuerKey::p384_from_sec1(pair.public_key().as_ref()).ok_or_else(refused)?;
                Ok(Self::P384 {
                    pkcs8: Zeroizing::new(pkcs8.to_vec()),
                    public,
                })
            }
            SignatureAlgorithm::EdDsa => {
                let pair =
                    Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(|_| refused())?;
                let public = IssuerKey::ed25519(pair.public_key().as_ref()).ok_or_else(refused)?;
                Ok(Self::Ed25519 {
                    pkcs8: Zeroizing::new(pkcs8.to_vec()),
                    public,
                })
            }
        }
    }

    /// The PKCS#8 document of a P-384 or Ed25519 key, for sealed storage only; `None` for
    /// P-256 (see [`SigningKey::scalar`]).
    pub fn pkcs8(&self) -> Option<&[u8]> {
        match self {
            Self::P256(_) => None,
            Self::P384 { pkcs8, .. } | Self::Ed25519 { pkcs8, .. } => Some(pkcs8),
        }
    }

    /// The P-256 key, if this is one.
    pub fn as_p256(&self) -> Option<&SigningKey> {
        match self {
            Self::P256(key) => Some(key),
            _ => None,
        }
    }

    /// The public key (same as [`IssuerSigner::issuer_key`]).
    pub fn public_key(&self) -> IssuerKey {
        match self {
            Self::P256(key) => IssuerKey::P256(key.verifying_key()),
            Self::P384 { public, .. } | Self::Ed25519 { public, .. } => public.clone(),
        }
    }
}

impl IssuerSigner for IssuerSigningKey {
    fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            Self::P256(_) => SignatureAlgorithm::Es256,
            Self::P384 { .. } => SignatureAlgorithm::Es384,
            Self::Ed25519 { .. } => SignatureAlgorithm::EdDsa,
        }
    }

    fn issuer_key(&self) -> IssuerKey {
        self.public_key()
    }

    fn sign_message(&self, message: &[u8]) -> CryptoResult<Vec<u8>> {
        let rng = SystemRandom::new();
        match self {
            Self::P256(key) => Ok(key.sign(message)?.to_vec()),
            Self::P384 { pkcs8, .. } => {
                EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8, &rng)
                    .map_err(|_| CryptoError::Signing)?
                    .sign(&rng, message)
                    .map(|sig| sig.as_ref().to_vec())
                    .map_err(|_| CryptoError::Signing)
            }
            Self::Ed25519 { pkcs8, .. } => Ok(Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
                .map_err(|_| CryptoError::Signing)?
                .sign(message)
                .as_ref()
                .to_vec()),
        }
    }
}

impl std::fmt::Debug for IssuerSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuerSigningKey(public {:?})", self.public_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_identifiers_round_trip() {
        for alg in SignatureAlgorithm::ALL {
            assert_eq!(
                SignatureAlgorithm::from_jose_name(alg.jose_name()),
                Some(alg)
            );
            assert_eq!(SignatureAlgorithm::from_cose_id(alg.cose_id()), Some(alg));
        }
        for name in [
            "none", "HS256", "RS256", "PS256", "ES512", "es384", "EDDSA", "Ed25519", "",
        ] {
            assert_eq!(SignatureAlgorithm::from_jose_name(name), None, "{name}");
        }
        for id in [0, -6, -36, -37, -257, 5, 1] {
            assert_eq!(SignatureAlgorithm::from_cose_id(id), None, "{id}");
        }
    }

    #[test]
    fn each_algorithm_signs_and_verifies_and_refuses_the_others() {
        for alg in SignatureAlgorithm::ALL {
            let key = IssuerSigningKey::generate(alg).unwrap();
            assert_eq!(key.algorithm(), alg);
            let public = key.issuer_key();
            assert_eq!(public.algorithm(), alg);
            let sig = key.sign_message(b"credential").unwrap();
            assert_eq!(sig.len(), alg.signature_len());
            assert_eq!(public.verify(alg, b"credential", &sig), Ok(()));
            assert_eq!(
                public.verify(alg, b"credentiam", &sig),
                Err(SignatureError::Mismatch)
            );
            let mut bad = sig.clone();
            bad[3] ^= 1;
            assert_eq!(
                public.verify(alg, b"credential", &bad),
                Err(SignatureError::Mismatch)
            );
            assert_eq!(
                public.verify(alg, b"credential", &sig[1..]),
                Err(SignatureError::WrongLength)
            );
            for other in SignatureAlgorithm::ALL.into_iter().filter(|a| *a != alg) {
                assert_eq!(
                    public.verify(other, b"credential", &sig),
                    Err(SignatureError::AlgorithmMismatch),
                    "{alg} key, {other} header"
                );
            }
            // Stored and read back.
            if let Some(pkcs8) = key.pkcs8() {
                let again = IssuerSigningKey::from_pkcs8(alg, pkcs8).unwrap();
                assert_eq!(again.public_key(), public);
                let other = SignatureAlgorithm::ALL
                    .into_iter()
                    .find(|a| *a != alg)
                    .unwrap();
                assert!(IssuerSigningKey::from_pkcs8(other, pkcs8).is_err());
            }
            assert_eq!(public.fingerprint().len(), 32);
        }
    }

    #[test]
    fn p256_fingerprints_are_unchanged() {
        let key = SigningKey::generate().unwrap();
        let issuer: IssuerKey = key.verifying_key().into();
        assert_eq!(issuer.fingerprint(), key.verifying_key().fingerprint());
        assert_eq!(issuer.as_p256(), Some(key.public_key()));
    }

    #[test]
    fn a_p384_key_from_bad_bytes_verifies_nothing() {
        assert!(IssuerKey::p384_from_sec1(&[4u8; 96]).is_none());
        assert!(IssuerKey::p384_from_sec1(&[2u8; 97]).is_none());
        assert!(IssuerKey::p384_from_coordinates(&[1u8; 48], &[1u8; 47]).is_none());
        assert!(IssuerKey::ed25519(&[1u8; 31]).is_none());
        let off_curve = IssuerKey::p384_from_coordinates(&[1u8; 48], &[2u8; 48]).unwrap();
        assert_eq!(
            off_curve.verify(SignatureAlgorithm::Es384, b"m", &[1u8; 96]),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn p384_points_off_the_curve_are_found() {
        let key = IssuerSigningKey::generate(SignatureAlgorithm::Es384).unwrap();
        let public = key.public_key();
        assert!(public.is_valid_point());
        let mut bytes = public.public_bytes();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let bent = IssuerKey::p384_from_sec1(&bytes).unwrap();
        assert!(!bent.is_valid_point());
    }
}
