//! The one error type of SD-JWT handling, with a stable machine-readable code per variant.

use crate::jose::JoseError;

/// Which part of an SD-JWT a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The `~`-separated serialisation as a whole (or its JSON serialisation).
    Serialization,
    /// The Issuer-signed JWT: header, payload structure, `_sd` digests, claims.
    IssuerJwt,
    /// A Disclosure.
    Disclosure,
    /// The Key Binding JWT.
    KeyBindingJwt,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::Serialization => "serialization",
            Part::IssuerJwt => "issuer-signed JWT",
            Part::Disclosure => "disclosure",
            Part::KeyBindingJwt => "key binding JWT",
        })
    }
}

/// Everything that can make an SD-JWT (VC) be refused, or an operation on one fail.
///
/// Each variant is a reason a verifier can act on; [`SdJwtError::code`] gives a stable
/// string for it. Messages never contain claim names' values, salts, keys or nonces:
/// they may be logged and shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdJwtError {
    /// Not well-formed: bad base64url, bad JSON, wrong number of parts, a disclosure that is
    /// not an array of 2 or 3, a non-string salt, a reserved claim name, `_sd` not an array
    /// of strings, a missing required claim, ...
    #[error("malformed {part}: {what}")]
    Malformed {
        /// Where.
        part: Part,
        /// What, in a fixed phrase.
        what: &'static str,
    },
    /// Input over one of the limits in [`super::limits`] or [`crate::jose::limits`].
    #[error("too large: {what}")]
    TooLarge {
        /// Which limit.
        what: &'static str,
    },
    /// A signature algorithm other than ES256 (including `none`), or an `_sd_alg` other
    /// than `sha-256`.
    #[error("unsupported algorithm {alg} in {part}")]
    UnsupportedAlgorithm {
        /// Where.
        part: Part,
        /// The algorithm named, reduced to a short printable token.
        alg: String,
    },
    /// A `crit` header parameter: no JWS extension is understood.
    #[error("unsupported critical header parameter in {part}")]
    UnsupportedCriticalHeader {
        /// Where.
        part: Part,
    },
    /// The `typ` header is not the one required (`dc+sd-jwt`, `kb+jwt`).
    #[error("wrong typ in {part}")]
    WrongType {
        /// Where.
        part: Part,
    },
    /// The Issuer-signed JWT does not verify under any of the given issuer keys.
    #[error("issuer signature does not verify")]
    BadIssuerSignature,
    /// A certificate of the `x5c` header is not an X.509 certificate this code reads.
    #[error("an x5c certificate is unreadable or has an unsupported key")]
    BadIssuerCertificate,
    /// The `x5c` chain reaches a trust anchor by a path that is refused (a link that is not
    /// a CA, outside its validity, over a path length, an unknown critical extension, ...).
    #[error("issuer certificate path: {0}")]
    IssuerPath(crate::x509::PathError),
    /// The `iss` claim is not among the leaf certificate's subject alternative names
    /// (SD-JWT VC, issuer-signed JWT verification key from x5c).
    #[error("iss does not match the issuer certificate's subject alternative name")]
    IssuerNameMismatch,
    /// A Disclosure's digest appears nowhere in the Issuer-signed JWT or in other
    /// Disclosures (altered, foreign or spliced-in Disclosure).
    #[error("a disclosure is not referenced by any digest")]
    UnreferencedDisclosure,
    /// The same Disclosure appears twice.
    #[error("a disclosure appears more than once")]
    DuplicateDisclosure,
    /// The same digest is reached twice while rebuilding the claims.
    #[error("a digest is referenced more than once")]
    DuplicateDigest,
    /// `exp` has passed.
    #[error("the credential has expired")]
    Expired,
    /// `nbf` or `iat` is in the future (beyond the clock-skew allowance).
    #[error("the credential is not yet valid")]
    NotYetValid,
    /// Key binding is required and the presentation has no Key Binding JWT.
    #[error("key binding is required but missing")]
    MissingKeyBinding,
    /// A Key Binding JWT where none may be: a holder receiving an SD-JWT+KB from an issuer
    /// (RFC 9901 s7.2), or a credential handed to presentation that already has one.
    #[error("unexpected key binding JWT")]
    UnexpectedKeyBinding,
    /// A signature that verifies, but in its non-canonical high-S form, where only low-S is
    /// accepted (see `laissez_crypto::ecdsa::low_s`).
    #[error("non-canonical (high-S) signature in {part}")]
    NonCanonicalSignature {
        /// Where.
        part: Part,
    },
    /// The Key Binding JWT does not verify under the `cnf` key.
    #[error("key binding signature does not verify")]
    BadKeyBindingSignature,
    /// The Key Binding JWT's `nonce` is not the expected one.
    #[error("key binding nonce mismatch")]
    NonceMismatch,
    /// The Key Binding JWT's `aud` is not the expected audience.
    #[error("key binding audience mismatch")]
    AudienceMismatch,
    /// The Key Binding JWT's `sd_hash` does not match the presented SD-JWT (disclosures
    /// added, removed or reordered after the holder signed).
    #[error("key binding sd_hash mismatch")]
    SdHashMismatch,
    /// The Key Binding JWT's `iat` is older than the allowed age.
    #[error("key binding is too old")]
    KeyBindingTooOld,
    /// The Key Binding JWT's `iat` is in the future beyond the clock-skew allowance.
    #[error("key binding is issued in the future")]
    KeyBindingInFuture,
    /// Key binding needs a holder key and the credential has no `cnf.jwk`.
    #[error("the credential has no holder key (cnf.jwk)")]
    MissingHolderKey,
    /// The `cnf.jwk` is not an EC P-256 signature key.
    #[error("unsupported holder key type or curve")]
    UnsupportedHolderKey,
    /// The holder signer's key is not the credential's `cnf` key.
    #[error("the signing key is not the credential's holder key")]
    HolderKeyMismatch,
    /// A claim path given for selection names no claim in the credential.
    #[error("a selected claim path is not in the credential")]
    ClaimNotFound,
    /// A claim path does not parse.
    #[error("invalid claim path: {0}")]
    InvalidClaimPath(&'static str),
    /// The issuer's request cannot be honoured (reserved claim names, unknown paths, ...).
    #[error("invalid issuance request: {0}")]
    InvalidIssueRequest(&'static str),
    /// The random generator or a signer failed.
    #[error("cryptographic operation failed: {0}")]
    Crypto(&'static str),
}

impl SdJwtError {
    /// A stable snake_case code for the reason, for logs, FFI and verdicts.
    pub fn code(&self) -> &'static str {
        match self {
            SdJwtError::Malformed { .. } => "malformed",
            SdJwtError::TooLarge { .. } => "too_large",
            SdJwtError::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            SdJwtError::UnsupportedCriticalHeader { .. } => "unsupported_critical_header",
            SdJwtError::WrongType { .. } => "wrong_type",
            SdJwtError::BadIssuerSignature => "bad_issuer_signature",
            SdJwtError::BadIssuerCertificate => "bad_issuer_certificate",
            SdJwtError::IssuerPath(_) => "issuer_path",
            SdJwtError::IssuerNameMismatch => "issuer_name_mismatch",
            SdJwtError::UnreferencedDisclosure => "unreferenced_disclosure",
            SdJwtError::DuplicateDisclosure => "duplicate_disclosure",
            SdJwtError::DuplicateDigest => "duplicate_digest",
            SdJwtError::Expired => "expired",
            SdJwtError::NotYetValid => "not_yet_valid",
            SdJwtError::MissingKeyBinding => "missing_key_binding",
            SdJwtError::UnexpectedKeyBinding => "unexpected_key_binding",
            SdJwtError::BadKeyBindingSignature => "bad_key_binding_signature",
            SdJwtError::NonCanonicalSignature { .. } => "non_canonical_signature",
            SdJwtError::NonceMismatch => "nonce_mismatch",
            SdJwtError::AudienceMismatch => "audience_mismatch",
            SdJwtError::SdHashMismatch => "sd_hash_mismatch",
            SdJwtError::KeyBindingTooOld => "key_binding_too_old",
            SdJwtError::KeyBindingInFuture => "key_binding_in_future",
            SdJwtError::MissingHolderKey => "missing_holder_key",
            SdJwtError::UnsupportedHolderKey => "unsupported_holder_key",
            SdJwtError::HolderKeyMismatch => "holder_key_mismatch",
            SdJwtError::ClaimNotFound => "claim_not_found",
            SdJwtError::InvalidClaimPath(_) => "invalid_claim_path",
            SdJwtError::InvalidIssueRequest(_) => "invalid_issue_request",
            SdJwtError::Crypto(_) => "crypto",
        }
    }

    /// Shorthand for [`SdJwtError::Malformed`].
    pub(crate) fn malformed(part: Part, what: &'static str) -> Self {
        SdJwtError::Malformed { part, what }
    }

    /// Maps a JOSE error met while reading `part`.
    pub(crate) fn from_jose(part: Part, error: JoseError) -> Self {
        match error {
            JoseError::Malformed(what) => SdJwtError::Malformed { part, what },
            JoseError::TooLarge(what) => SdJwtError::TooLarge { what },
            JoseError::UnsupportedAlgorithm(alg) => SdJwtError::UnsupportedAlgorithm { part, alg },
            JoseError::UnsupportedCriticalHeader => SdJwtError::UnsupportedCriticalHeader { part },
            JoseError::UnsupportedKey(_) => SdJwtError::UnsupportedHolderKey,
            JoseError::Signing => SdJwtError::Crypto("signing failed"),
        }
    }
}

/// Result with [`SdJwtError`].
pub type SdJwtResult<T> = Result<T, SdJwtError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_messages_fixed() {
        let all = [
            SdJwtError::malformed(Part::Disclosure, "x"),
            SdJwtError::TooLarge { what: "x" },
            SdJwtError::UnsupportedAlgorithm {
                part: Part::IssuerJwt,
                alg: "HS256".into(),
            },
            SdJwtError::UnsupportedCriticalHeader {
                part: Part::IssuerJwt,
            },
            SdJwtError::WrongType {
                part: Part::KeyBindingJwt,
            },
            SdJwtError::BadIssuerSignature,
            SdJwtError::BadIssuerCertificate,
            SdJwtError::IssuerPath(crate::x509::PathError::TooLong),
            SdJwtError::IssuerNameMismatch,
            SdJwtError::UnreferencedDisclosure,
            SdJwtError::DuplicateDisclosure,
            SdJwtError::DuplicateDigest,
            SdJwtError::Expired,
            SdJwtError::NotYetValid,
            SdJwtError::MissingKeyBinding,
            SdJwtError::UnexpectedKeyBinding,
            SdJwtError::BadKeyBindingSignature,
            SdJwtError::NonCanonicalSignature {
                part: Part::KeyBindingJwt,
            },
            SdJwtError::NonceMismatch,
            SdJwtError::AudienceMismatch,
            SdJwtError::SdHashMismatch,
            SdJwtError::KeyBindingTooOld,
            SdJwtError::KeyBindingInFuture,
            SdJwtError::MissingHolderKey,
            SdJwtError::UnsupportedHolderKey,
            SdJwtError::HolderKeyMismatch,
            SdJwtError::ClaimNotFound,
            SdJwtError::InvalidClaimPath("x"),
            SdJwtError::InvalidIssueRequest("x"),
            SdJwtError::Crypto("x"),
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(SdJwtError::code).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(
            SdJwtError::malformed(Part::Disclosure, "salt is not a string").to_string(),
            "malformed disclosure: salt is not a string"
        );
    }
}
