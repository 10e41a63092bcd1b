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
    /// A certification path was refused (see `check_path`).
    #[error("certificate path: {0}")]
    Path(#[from] PathError),
    /// `rcgen` or the signing key failed to produce the certificate.
    #[error("certificate generation failed: {0}")]
    Generation(String),
}

/// The longest certification path accepted, end certificate and anchor included.
pub const MAX_PATH_LENGTH: usize = 6;

/// Why a certification path was refused. `depth` counts from the end certificate (0) up to
/// the anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// A certificate that signed another is not a CA (basicConstraints cA absent or false).
    #[error("certificate {depth} signed another but is not a CA")]
    NotACa {
        /// Its position in the path.
        depth: usize,
    },
    /// A CA certificate's keyUsage does not allow keyCertSign.
    #[error("certificate {depth} signed another but its key usage lacks keyCertSign")]
    NoKeyCertSign {
        /// Its position in the path.
        depth: usize,
    },
    /// The end certificate's keyUsage does not allow digitalSignature.
    #[error("the signing certificate's key usage lacks digitalSignature")]
    NoDigitalSignature,
    /// The end certificate lacks the extended key usage its purpose needs.
    #[error("the signing certificate lacks the extended key usage {0}")]
    MissingExtendedKeyUsage(&'static str),
    /// More CA certificates below a CA than its pathLenConstraint allows.
    #[error("certificate {depth} has a path length constraint the path exceeds")]
    PathLengthExceeded {
        /// The position of the constraining CA.
        depth: usize,
    },
    /// More than [`MAX_PATH_LENGTH`] certificates.
    #[error("certification path longer than {MAX_PATH_LENGTH}")]
    TooLong,
    /// A certificate is past its notAfter.
    #[error("certificate {depth} has expired")]
    Expired {
        /// Its position in the path.
        depth: usize,
    },
    /// A certificate is before its notBefore.
    #[error("certificate {depth} is not yet valid")]
    NotYetValid {
        /// Its position in the path.
        depth: usize,
    },
    /// A certificate below the anchor marks as critical an extension these checks do not
    /// process (RFC 5280 §4.2: it must then be refused).
    #[error("certificate {depth} has an unknown critical extension")]
    UnknownCriticalExtension {
        /// Its position in the path.
        depth: usize,
    },
    /// The same certificate appears twice on the path.
    #[error("the certification path loops")]
    Loop,
}
