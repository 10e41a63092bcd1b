//! What can go wrong making an issuer, reading its files or issuing.

/// What can go wrong with issuer files.
#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    /// A file could not be read or written.
    #[error("issuer file {file}: {kind}")]
    Io {
        /// Which file.
        file: &'static str,
        /// The I/O error kind.
        kind: std::io::ErrorKind,
    },
    /// The key file is not a private JWK of a supported algorithm.
    #[error("the issuer key is not a P-256, P-384 or Ed25519 private JWK")]
    BadKey,
    /// The certificate is unreadable or not for this key.
    #[error("the issuer certificate is unreadable or not for this key")]
    BadCertificate,
    /// The directory already holds an issuer.
    #[error("the directory already holds an issuer key; it was left untouched")]
    AlreadyExists,
    /// Bad claims or options.
    #[error("invalid issuance input: {0}")]
    InvalidInput(String),
    /// The credential could not be made.
    #[error("issuance failed: {0}")]
    Issue(String),
}

/// Maps an I/O error on `file`.
pub(crate) fn io(file: &'static str) -> impl Fn(std::io::Error) -> IssuerError {
    move |e| IssuerError::Io {
        file,
        kind: e.kind(),
    }
}
