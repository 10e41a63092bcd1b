//! Errors of the X.509 module. Messages name the problem, never certificate contents.

/// What can go wrong reading or creating a certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum X509Error {
    /// The bytes are not a DER certificate (or not a PEM `CERTIFICATE` block).
    #[error("not an X.509 certificate: {0}")]
    Malformed(&'static str),
    /// The certificate's key is not an EC P-256 key.
    #[error("unsupported certificate key: only EC P-256 is supported")]
    UnsupportedKey,
    /// The caller's parameters are out of range (dates, empty names).
    #[error("invalid certificate parameters: {0}")]
    InvalidParameters(&'static str),
    /// A certification path was refused (see [`super::path`]).
    #[error("certificate path: {0}")]
    Path(#[from] super::path::PathError),
    /// `rcgen` or the signing key failed to produce the certificate.
    #[error("certificate generation failed: {0}")]
    Generation(String),
}
