//! Errors of the QR envelope and frame layer: one variant per way outside input can be wrong.

/// Why a QR text was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// The text does not start with a Laissez prefix.
    #[error("not a Laissez QR code")]
    NotLaissez,
    /// A Laissez prefix with a version this build does not read.
    #[error("QR format version {0} is not supported")]
    UnsupportedVersion(String),
    /// The Base45 text is invalid or truncated.
    #[error("the QR text is not valid Base45 (truncated or altered)")]
    BadBase45,
    /// The compressed data is invalid.
    #[error("the QR data does not decompress")]
    BadCompression,
    /// The CBOR inside is malformed or has the wrong shape.
    #[error("malformed QR message: {0}")]
    Malformed(&'static str),
    /// The message kind is unknown.
    #[error("unknown QR message kind {0}")]
    UnknownKind(u64),
    /// A size limit was exceeded.
    #[error("too large: {0}")]
    TooLarge(&'static str),
    /// A frame belongs to another animated message than the one being assembled.
    #[error("this frame belongs to another animated sequence")]
    MixedMessages,
    /// A frame contradicts the earlier frames of its message.
    #[error("inconsistent frame: {0}")]
    InconsistentFrame(&'static str),
    /// Encoding failed (a bug or an impossible size).
    #[error("could not encode: {0}")]
    Encode(&'static str),
}

/// Result alias for the QR layer.
pub type QrResult<T> = Result<T, QrError>;
