//! Errors of the offline exchange protocol.

/// Why a request or response was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// The message is malformed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// A field exceeds its size limit.
    #[error("too large: {0}")]
    TooLarge(&'static str),
    /// The request has expired (or is not valid yet).
    #[error("the request has expired")]
    RequestExpired,
    /// The response was made for another request.
    #[error("this response answers another request")]
    WrongRequest,
    /// The response does not decrypt (tampered, or not for this verifier).
    #[error("the response does not decrypt: altered, or meant for another verifier")]
    Undecryptable,
    /// A static presentation outside its time window.
    #[error("the presentation is outside its validity window")]
    OutsideWindow,
    /// Seen before.
    #[error("this presentation was already shown (replay)")]
    Replay,
    /// The response leaves out a certificate this verifier does not hold.
    #[error(
        "the response leaves out an issuer certificate that is not on this verifier's trust list"
    )]
    UnknownCertificate,
    /// A request was to be signed with a key other than the one its registration certificate
    /// certifies (`cnf`).
    #[error("the registration certificate certifies another key than the request-signing key")]
    CertificateForAnotherKey,
    /// The registration certificate to sign a request with cannot be used.
    #[error("registration certificate: {0}")]
    Registration(#[from] laissez_formats::registration::RegistrationError),
    /// Crypto failure (randomness, key agreement).
    #[error("cryptographic failure: {0}")]
    Crypto(&'static str),
}

/// Result alias.
pub type ExchangeResult<T> = Result<T, ExchangeError>;
