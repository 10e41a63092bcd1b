//! Why a Type Metadata document was refused or could not be used.

/// Why a Type Metadata document was refused or could not be used. Messages name the problem,
/// never a value from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TypeMetadataError {
    /// Beyond one of the limits in [`crate::type_metadata`].
    #[error("type metadata too large: {0}")]
    TooLarge(&'static str),
    /// Not a well-formed Type Metadata document (JSON, a member of the wrong type, a
    /// required member missing, a duplicate claim path or locale).
    #[error("malformed type metadata: {0}")]
    Malformed(&'static str),
    /// An integrity string (`vct#integrity`, `extends#integrity`, `uri#integrity`) is not
    /// W3C SRI metadata: bad base64, a digest of the wrong length.
    #[error("malformed integrity metadata: {0}")]
    BadIntegrity(&'static str),
    /// An integrity string names none of sha256, sha384, sha512.
    #[error("integrity metadata names no supported hash algorithm")]
    UnsupportedIntegrityAlgorithm,
    /// The document's bytes do not hash to the expected integrity value.
    #[error("type metadata does not match its integrity value")]
    IntegrityMismatch,
    /// The document describes another type than the credential's.
    #[error("type metadata is for another credential type")]
    WrongType,
    /// The type `extends` another whose document was not supplied.
    #[error("the extended type metadata is not available")]
    ExtendsUnavailable,
    /// Following `extends` comes back to a type already seen.
    #[error("circular extends in type metadata")]
    ExtendsCycle,
    /// More than [`super::MAX_EXTENDS_DEPTH`] `extends` links.
    #[error("too many extends links in type metadata")]
    ExtendsTooDeep,
}
