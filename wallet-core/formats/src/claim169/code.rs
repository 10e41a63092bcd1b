//! A decoded Claim 169 code, and its signature checked against an issuer key.

use laissez_crypto::issuer_key::{IssuerKey, SignatureAlgorithm};

use super::cwt::CwtClaims;
use super::envelope::SignedPart;
use super::error::{Claim169Error, Claim169Result};
use super::identity::Identity;

/// A Claim 169 code read from its QR text: structure only. Nothing in it is trusted until
/// [`Claim169Code::verify`] accepts the signature with an issuer's key and
/// [`Claim169Code::check_time`] the validity period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim169Code {
    /// The COSE_Encrypt0 algorithm (A256GCM = 3, A128GCM = 1) if the code was encrypted.
    pub encryption: Option<i64>,
    /// The COSE_Sign1, unless the code was a bare CWT inside a COSE_Encrypt0.
    pub signed: Option<SignedPart>,
    /// The standard CWT claims.
    pub cwt: CwtClaims,
    /// Claim 169.
    pub identity: Identity,
}

impl Claim169Code {
    /// Whether the code carries a signature at all. An unsigned code (the published vectors'
    /// empty signatures, or a bare CWT in a COSE_Encrypt0) can never be verified.
    pub fn is_signed(&self) -> bool {
        self.signed
            .as_ref()
            .is_some_and(|signed| !signed.signature.is_empty())
    }

    /// The signature algorithm the code names, if one this crate verifies (EdDSA, ES256,
    /// ES384).
    pub fn signature_algorithm(&self) -> Option<SignatureAlgorithm> {
        SignatureAlgorithm::from_cose_id(self.signed.as_ref()?.algorithm?)
    }

    /// The `kid` of the signature, if the code names one.
    pub fn key_id(&self) -> Option<&[u8]> {
        self.signed
            .as_ref()
            .map(|signed| signed.key_id.as_slice())
            .filter(|kid| !kid.is_empty())
    }

    /// Checks the signature with `key` (an Ed25519 raw key, a P-256 or P-384 point).
    ///
    /// Errors: [`Claim169Error::Unsigned`] for a code without a signature (checked first),
    /// [`Claim169Error::UnsupportedAlgorithm`] for an `alg` other than EdDSA, ES256 and
    /// ES384, [`Claim169Error::KeyAlgorithmMismatch`] if `key` is for another algorithm,
    /// [`Claim169Error::BadSignature`] if the signature does not verify.
    pub fn verify(&self, key: &IssuerKey) -> Claim169Result<()> {
        let signed = match &self.signed {
            Some(signed) if !signed.signature.is_empty() => signed,
            _ => return Err(Claim169Error::Unsigned),
        };
        let alg = self
            .signature_algorithm()
            .ok_or(Claim169Error::UnsupportedAlgorithm)?;
        if alg != key.algorithm() {
            return Err(Claim169Error::KeyAlgorithmMismatch);
        }
        key.verify(alg, &signed.to_be_signed, &signed.signature)
            .map_err(|_| Claim169Error::BadSignature)
    }

    /// Checks the signature with each of `keys` in turn; the first that verifies is returned.
    /// With no key that verifies: [`Claim169Error::Unsigned`] or
    /// [`Claim169Error::UnsupportedAlgorithm`] as [`Claim169Code::verify`] reports them,
    /// else [`Claim169Error::BadSignature`] (no trusted key made this signature).
    pub fn verify_any<'k>(&self, keys: &'k [IssuerKey]) -> Claim169Result<&'k IssuerKey> {
        for key in keys {
            match self.verify(key) {
                Ok(()) => return Ok(key),
                Err(error @ (Claim169Error::Unsigned | Claim169Error::UnsupportedAlgorithm)) => {
                    return Err(error);
                }
                Err(_) => {}
            }
        }
        if self.is_signed() {
            Err(Claim169Error::BadSignature)
        } else {
            Err(Claim169Error::Unsigned)
        }
    }

    /// Whether the code may be accepted at `now` (seconds since the Unix epoch): see
    /// [`CwtClaims::check_time`].
    pub fn check_time(&self, now: i64) -> Claim169Result<()> {
        self.cwt.check_time(now)
    }
}
