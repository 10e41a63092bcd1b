//! Why a credential was refused or cannot be presented, as an enum apps branch on (it was a
//! snake_case string): one case per reason the SD-JWT VC and mdoc checks give, plus the
//! binding. The `Debug` name in snake_case is the core's code (`bad_issuer_signature`…).

use wallet_core::mdoc::MdocError;
use wallet_core::sdjwt::SdJwtError;

/// Why a credential (or presentation) failed a check. The core's snake_case codes, as cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum CredentialProblem {
    /// Not well-formed (structure, encoding, a member missing).
    Malformed,
    /// Over a size limit.
    TooLarge,
    /// Unsupported algorithm (`unsupported_algorithm`).
    UnsupportedAlgorithm,
    /// Unsupported critical header (`unsupported_critical_header`).
    UnsupportedCriticalHeader,
    /// Wrong type (`wrong_type`).
    WrongType,
    /// Bad issuer signature (`bad_issuer_signature`).
    BadIssuerSignature,
    /// An issuer certificate (x5c) that cannot be read (`bad_issuer_certificate`).
    BadIssuerCertificate,
    /// The issuer's certificate path is refused (`issuer_path`).
    IssuerPath,
    /// `iss` is not the name in the issuer's certificate (`issuer_name_mismatch`).
    IssuerNameMismatch,
    /// The issuing country disagrees with the issuer's certificates (`country_mismatch`).
    CountryMismatch,
    /// Unreferenced disclosure (`unreferenced_disclosure`).
    UnreferencedDisclosure,
    /// Duplicate disclosure (`duplicate_disclosure`).
    DuplicateDisclosure,
    /// Duplicate digest (`duplicate_digest`).
    DuplicateDigest,
    /// Past its validity.
    Expired,
    /// Not valid yet.
    NotYetValid,
    /// Missing key binding (`missing_key_binding`).
    MissingKeyBinding,
    /// Unexpected key binding (`unexpected_key_binding`).
    UnexpectedKeyBinding,
    /// Bad key binding signature (`bad_key_binding_signature`).
    BadKeyBindingSignature,
    /// Nonce mismatch (`nonce_mismatch`).
    NonceMismatch,
    /// Audience mismatch (`audience_mismatch`).
    AudienceMismatch,
    /// Sd hash mismatch (`sd_hash_mismatch`).
    SdHashMismatch,
    /// Key binding too old (`key_binding_too_old`).
    KeyBindingTooOld,
    /// Key binding in future (`key_binding_in_future`).
    KeyBindingInFuture,
    /// Missing holder key (`missing_holder_key`).
    MissingHolderKey,
    /// Unsupported holder key (`unsupported_holder_key`).
    UnsupportedHolderKey,
    /// Holder key mismatch (`holder_key_mismatch`).
    HolderKeyMismatch,
    /// Claim not found (`claim_not_found`).
    ClaimNotFound,
    /// Invalid claim path (`invalid_claim_path`).
    InvalidClaimPath,
    /// Invalid issue request (`invalid_issue_request`).
    InvalidIssueRequest,
    /// Crypto (`crypto`).
    Crypto,
    /// Unsupported version (`unsupported_version`).
    UnsupportedVersion,
    /// Untrusted issuer (`untrusted_issuer`).
    UntrustedIssuer,
    /// Digest mismatch (`digest_mismatch`).
    DigestMismatch,
    /// Missing digest (`missing_digest`).
    MissingDigest,
    /// Bad device signature (`bad_device_signature`).
    BadDeviceSignature,
    /// Bad device mac (`bad_device_mac`).
    BadDeviceMac,
    /// Device mac not supported (`device_mac_not_supported`).
    DeviceMacNotSupported,
    /// Missing device auth (`missing_device_auth`).
    MissingDeviceAuth,
    /// Doc type mismatch (`doc_type_mismatch`).
    DocTypeMismatch,
    /// Response status (`response_status`).
    ResponseStatus,
    /// No documents (`no_documents`).
    NoDocuments,
    /// Element not found (`element_not_found`).
    ElementNotFound,
    /// Device key mismatch (`device_key_mismatch`).
    DeviceKeyMismatch,
    /// Invalid input (`invalid_input`).
    InvalidInput,
    /// The issuer's certificate is not acceptable.
    Certificate,
    /// Signing failed (`signing_failed`).
    SigningFailed,
    /// Random failure (`random_failure`).
    RandomFailure,
    /// The presentation binding does not fit the credential's format.
    WrongBinding,
    /// A holder signature in its non-canonical high-S form (`non_canonical_signature`).
    NonCanonicalSignature,
    /// Signed or hashed mdoc bytes not in the one CBOR encoding accepted there: a longer
    /// integer, length or float, or an indefinite length (`non_preferred_cbor`).
    NonPreferredCbor,
}

impl From<&SdJwtError> for CredentialProblem {
    fn from(err: &SdJwtError) -> Self {
        match err {
            SdJwtError::Malformed { .. } => Self::Malformed,
            SdJwtError::TooLarge { .. } => Self::TooLarge,
            SdJwtError::UnsupportedAlgorithm { .. } => Self::UnsupportedAlgorithm,
            SdJwtError::UnsupportedCriticalHeader { .. } => Self::UnsupportedCriticalHeader,
            SdJwtError::WrongType { .. } => Self::WrongType,
            SdJwtError::BadIssuerSignature => Self::BadIssuerSignature,
            SdJwtError::BadIssuerCertificate => Self::BadIssuerCertificate,
            SdJwtError::IssuerPath(_) => Self::IssuerPath,
            SdJwtError::IssuerNameMismatch => Self::IssuerNameMismatch,
            SdJwtError::UnreferencedDisclosure => Self::UnreferencedDisclosure,
            SdJwtError::DuplicateDisclosure => Self::DuplicateDisclosure,
            SdJwtError::DuplicateDigest => Self::DuplicateDigest,
            SdJwtError::Expired => Self::Expired,
            SdJwtError::NotYetValid => Self::NotYetValid,
            SdJwtError::MissingKeyBinding => Self::MissingKeyBinding,
            SdJwtError::UnexpectedKeyBinding => Self::UnexpectedKeyBinding,
            SdJwtError::BadKeyBindingSignature => Self::BadKeyBindingSignature,
            SdJwtError::NonCanonicalSignature { .. } => Self::NonCanonicalSignature,
            SdJwtError::NonceMismatch => Self::NonceMismatch,
            SdJwtError::AudienceMismatch => Self::AudienceMismatch,
            SdJwtError::SdHashMismatch => Self::SdHashMismatch,
            SdJwtError::KeyBindingTooOld => Self::KeyBindingTooOld,
            SdJwtError::KeyBindingInFuture => Self::KeyBindingInFuture,
            SdJwtError::MissingHolderKey => Self::MissingHolderKey,
            SdJwtError::UnsupportedHolderKey => Self::UnsupportedHolderKey,
            SdJwtError::HolderKeyMismatch => Self::HolderKeyMismatch,
            SdJwtError::ClaimNotFound => Self::ClaimNotFound,
            SdJwtError::InvalidClaimPath(_) => Self::InvalidClaimPath,
            SdJwtError::InvalidIssueRequest(_) => Self::InvalidIssueRequest,
            SdJwtError::Crypto(_) => Self::Crypto,
        }
    }
}

impl From<&MdocError> for CredentialProblem {
    fn from(err: &MdocError) -> Self {
        match err {
            MdocError::Malformed(_) => Self::Malformed,
            MdocError::NonPreferredEncoding { .. } => Self::NonPreferredCbor,
            MdocError::TooLarge(_) => Self::TooLarge,
            MdocError::UnsupportedAlgorithm(_) => Self::UnsupportedAlgorithm,
            MdocError::UnsupportedVersion => Self::UnsupportedVersion,
            MdocError::BadIssuerSignature => Self::BadIssuerSignature,
            MdocError::UntrustedIssuer => Self::UntrustedIssuer,
            MdocError::CountryMismatch => Self::CountryMismatch,
            MdocError::DigestMismatch { .. } => Self::DigestMismatch,
            MdocError::MissingDigest { .. } => Self::MissingDigest,
            MdocError::Expired(_) => Self::Expired,
            MdocError::NotYetValid(_) => Self::NotYetValid,
            MdocError::BadDeviceSignature => Self::BadDeviceSignature,
            MdocError::NonCanonicalSignature => Self::NonCanonicalSignature,
            MdocError::BadDeviceMac => Self::BadDeviceMac,
            MdocError::DeviceMacNotSupported => Self::DeviceMacNotSupported,
            MdocError::MissingDeviceAuth => Self::MissingDeviceAuth,
            MdocError::DocTypeMismatch { .. } => Self::DocTypeMismatch,
            MdocError::ResponseStatus(_) => Self::ResponseStatus,
            MdocError::NoDocuments => Self::NoDocuments,
            MdocError::ElementNotFound { .. } => Self::ElementNotFound,
            MdocError::DeviceKeyMismatch => Self::DeviceKeyMismatch,
            MdocError::InvalidInput(_) => Self::InvalidInput,
            MdocError::Certificate(_) => Self::Certificate,
            MdocError::Signing => Self::SigningFailed,
            MdocError::RandomFailure => Self::RandomFailure,
        }
    }
}
