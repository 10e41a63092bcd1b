//! The one error type of the mdoc module.
//!
//! Every variant is something a verifier can turn into a machine-readable reason
//! ([`MdocError::code`]). Messages carry structure names, algorithm numbers, docTypes,
//! namespaces and element identifiers, but never an element value, a key or a salt.

use crate::x509::X509Error;

/// A size limit that an input exceeded (see the `MAX_*` constants in [`crate::mdoc`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`crate::mdoc::MAX_INPUT_BYTES`].
    Bytes,
    /// [`crate::mdoc::MAX_DATA_ITEMS`].
    DataItems,
    /// [`crate::mdoc::MAX_NESTING_DEPTH`].
    NestingDepth,
    /// [`crate::mdoc::MAX_ELEMENTS`].
    Elements,
    /// [`crate::mdoc::MAX_DOCUMENTS`].
    Documents,
    /// [`crate::mdoc::MAX_CHAIN_LENGTH`].
    CertificateChain,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::Bytes => "total size",
            Limit::DataItems => "number of CBOR data items",
            Limit::NestingDepth => "CBOR nesting depth",
            Limit::Elements => "number of data elements",
            Limit::Documents => "number of documents",
            Limit::CertificateChain => "certificate chain length",
        })
    }
}

/// Which validity period a time check failed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityScope {
    /// The Mobile Security Object's `validFrom` / `validUntil`.
    Credential,
    /// The issuer's (document signer's) certificate.
    IssuerCertificate,
    /// A certificate further up the chain, or a trusted root.
    ChainCertificate,
}

impl std::fmt::Display for ValidityScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ValidityScope::Credential => "credential (MSO validity)",
            ValidityScope::IssuerCertificate => "issuer certificate",
            ValidityScope::ChainCertificate => "certificate in the issuer chain",
        })
    }
}

/// How an encoding departs from CBOR preferred serialization (RFC 8949 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonPreferred {
    /// An integer, length, tag number or simple value in more bytes than it needs
    /// (`0x18 0x05` for 5).
    LongerArgument,
    /// An indefinite-length string, array or map.
    IndefiniteLength,
    /// A float in more bytes than its value needs (`1.0` as a single or double).
    LongerFloat,
}

impl std::fmt::Display for NonPreferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NonPreferred::LongerArgument => "an integer, length or tag number longer than needed",
            NonPreferred::IndefiniteLength => "an indefinite length",
            NonPreferred::LongerFloat => "a float longer than needed",
        })
    }
}

/// Everything that can go wrong issuing, parsing, presenting or verifying an mdoc.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MdocError {
    /// The bytes are not the expected CBOR structure; the text names the structure.
    #[error("malformed mdoc data: {0}")]
    Malformed(&'static str),
    /// Signed or hashed bytes are not in the one encoding accepted there: preferred
    /// serialization in what the holder writes (DeviceNameSpacesBytes, COSE protected
    /// headers), definite lengths in what the issuer signs (the MSO, IssuerSignedItemBytes).
    /// `what` names the structure.
    #[error("non-preferred CBOR encoding in {what}: {form}")]
    NonPreferredEncoding {
        /// The structure, e.g. `DeviceNameSpacesBytes`.
        what: &'static str,
        /// How the encoding departs from the accepted one.
        form: NonPreferred,
    },
    /// An input is over one of the size limits.
    #[error("input too large: {0} over the limit")]
    TooLarge(Limit),
    /// A COSE algorithm, key type, curve or digest algorithm that is not supported.
    #[error("unsupported algorithm: {0}")]
    UnsupportedAlgorithm(String),
    /// A `version` this implementation does not understand.
    #[error("unsupported version")]
    UnsupportedVersion,
    /// The issuer's signature over the Mobile Security Object does not verify.
    #[error("the issuer signature does not verify")]
    BadIssuerSignature,
    /// The issuer's certificate (or key) does not chain to any trusted certificate or key.
    #[error("the issuer is not trusted")]
    UntrustedIssuer,
    /// The issuing country disagrees between the document signer certificate, its IACA and
    /// the `issuing_country` data element (ISO 18013-5 Annex B, 7.2.1).
    #[error("the issuing country does not match the issuer's certificates")]
    CountryMismatch,
    /// A returned data element does not match its digest in the Mobile Security Object.
    #[error("digest mismatch for {namespace}/{element}")]
    DigestMismatch {
        /// The namespace of the element.
        namespace: String,
        /// The element identifier.
        element: String,
    },
    /// A returned data element's digestID is not in the Mobile Security Object.
    #[error("no digest in the MSO for {namespace}/{element}")]
    MissingDigest {
        /// The namespace of the element.
        namespace: String,
        /// The element identifier.
        element: String,
    },
    /// A validity period has ended.
    #[error("expired: {0}")]
    Expired(ValidityScope),
    /// A validity period has not started.
    #[error("not yet valid: {0}")]
    NotYetValid(ValidityScope),
    /// The holder's device signature over the DeviceAuthentication does not verify
    /// (wrong SessionTranscript, docType, device namespaces or key).
    #[error("the device signature does not verify")]
    BadDeviceSignature,
    /// The holder's device signature verifies but in its non-canonical high-S form, where
    /// only low-S is accepted (see `laissez_crypto::ecdsa::low_s`).
    #[error("non-canonical (high-S) device signature")]
    NonCanonicalSignature,
    /// The holder's device MAC over the DeviceAuthentication does not verify.
    #[error("the device MAC does not verify")]
    BadDeviceMac,
    /// The document authenticates the device with a MAC (`deviceMac`) and no reader private
    /// key was given to derive the MAC key.
    #[error("deviceMac needs the reader's ephemeral private key")]
    DeviceMacNotSupported,
    /// The document has no `deviceSigned`, or it has neither `deviceSignature` nor `deviceMac`.
    #[error("device authentication is missing")]
    MissingDeviceAuth,
    /// The docType differs from the expected one (MSO vs document, or vs the caller's).
    #[error("docType mismatch: expected {expected}, found {found}")]
    DocTypeMismatch {
        /// The docType that was expected.
        expected: String,
        /// The docType that was found.
        found: String,
    },
    /// The DeviceResponse `status` is not 0 (OK).
    #[error("the DeviceResponse has status {0}")]
    ResponseStatus(u64),
    /// The DeviceResponse carries no document.
    #[error("the DeviceResponse has no documents")]
    NoDocuments,
    /// A data element asked for is not in the credential.
    #[error("the credential has no element {namespace}/{element}")]
    ElementNotFound {
        /// The namespace asked for.
        namespace: String,
        /// The element identifier asked for.
        element: String,
    },
    /// The holder's signing key is not the device key in the Mobile Security Object.
    #[error("the device key does not match the credential")]
    DeviceKeyMismatch,
    /// The caller's input is not acceptable (empty docType, bad date, bad validity...).
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// A certificate could not be used.
    #[error("certificate: {0}")]
    Certificate(#[from] X509Error),
    /// The signer (software or platform key) failed.
    #[error("signing failed")]
    Signing,
    /// The system random generator failed (salts, digest IDs).
    #[error("the system random generator failed")]
    RandomFailure,
}

impl MdocError {
    /// A stable, machine-readable reason (snake case), for verifier reports and the FFI.
    pub fn code(&self) -> &'static str {
        match self {
            MdocError::Malformed(_) => "malformed",
            MdocError::NonPreferredEncoding { .. } => "non_preferred_cbor",
            MdocError::TooLarge(_) => "too_large",
            MdocError::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            MdocError::UnsupportedVersion => "unsupported_version",
            MdocError::BadIssuerSignature => "bad_issuer_signature",
            MdocError::UntrustedIssuer => "untrusted_issuer",
            MdocError::CountryMismatch => "country_mismatch",
            MdocError::DigestMismatch { .. } => "digest_mismatch",
            MdocError::MissingDigest { .. } => "missing_digest",
            MdocError::Expired(_) => "expired",
            MdocError::NotYetValid(_) => "not_yet_valid",
            MdocError::BadDeviceSignature => "bad_device_signature",
            MdocError::NonCanonicalSignature => "non_canonical_signature",
            MdocError::BadDeviceMac => "bad_device_mac",
            MdocError::DeviceMacNotSupported => "device_mac_not_supported",
            MdocError::MissingDeviceAuth => "missing_device_auth",
            MdocError::DocTypeMismatch { .. } => "doc_type_mismatch",
            MdocError::ResponseStatus(_) => "response_status",
            MdocError::NoDocuments => "no_documents",
            MdocError::ElementNotFound { .. } => "element_not_found",
            MdocError::DeviceKeyMismatch => "device_key_mismatch",
            MdocError::InvalidInput(_) => "invalid_input",
            MdocError::Certificate(_) => "certificate",
            MdocError::Signing => "signing_failed",
            MdocError::RandomFailure => "random_failure",
        }
    }
}

/// Result type of the mdoc module.
pub type MdocResult<T> = Result<T, MdocError>;
