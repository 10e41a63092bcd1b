//! Errors of OpenID4VCI: the OAuth and credential error responses (RFC 6749 s5.2, RFC 6750
//! s3.1, OpenID4VCI 1.0 s8.3.1.2), transport failures, and what the wallet refuses itself.

use serde::{Deserialize, Serialize};

use crate::wallet::CredentialError;
use laissez_store::StoreError;

/// Which endpoint a message came from or went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The credential offer (by reference).
    Offer,
    /// The credential issuer's metadata.
    IssuerMetadata,
    /// The authorization server's metadata.
    AuthorizationServerMetadata,
    /// The token endpoint.
    Token,
    /// The nonce endpoint.
    Nonce,
    /// The credential endpoint.
    Credential,
}

impl Endpoint {
    /// A short name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offer => "credential offer",
            Self::IssuerMetadata => "issuer metadata",
            Self::AuthorizationServerMetadata => "authorization server metadata",
            Self::Token => "token endpoint",
            Self::Nonce => "nonce endpoint",
            Self::Credential => "credential endpoint",
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `error` code of an OAuth or OpenID4VCI error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// RFC 6749: the request is missing a parameter or is malformed.
    InvalidRequest,
    /// RFC 6749: client authentication failed.
    InvalidClient,
    /// RFC 6749: the grant (pre-authorized code, transaction code) is invalid, expired, used.
    InvalidGrant,
    /// RFC 6749: the client may not use this grant type.
    UnauthorizedClient,
    /// RFC 6749: the grant type is not supported.
    UnsupportedGrantType,
    /// RFC 6749: the scope is invalid.
    InvalidScope,
    /// RFC 6750: the access token is invalid or expired.
    InvalidToken,
    /// RFC 6750: the access token does not cover the request.
    InsufficientScope,
    /// OpenID4VCI: the credential request is malformed.
    InvalidCredentialRequest,
    /// OpenID4VCI: the credential configuration is unknown.
    UnknownCredentialConfiguration,
    /// OpenID4VCI: the credential identifier is unknown.
    UnknownCredentialIdentifier,
    /// OpenID4VCI: a key proof is invalid.
    InvalidProof,
    /// OpenID4VCI: a key proof's nonce is invalid or expired (get a fresh one).
    InvalidNonce,
    /// OpenID4VCI: the encryption parameters are invalid.
    InvalidEncryptionParameters,
    /// OpenID4VCI: the issuer will not issue this credential.
    CredentialRequestDenied,
    /// A code this wallet does not know (kept, printable ASCII only, at most 64 characters).
    Other(String),
}

impl ErrorCode {
    /// The code as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::InvalidCredentialRequest => "invalid_credential_request",
            Self::UnknownCredentialConfiguration => "unknown_credential_configuration",
            Self::UnknownCredentialIdentifier => "unknown_credential_identifier",
            Self::InvalidProof => "invalid_proof",
            Self::InvalidNonce => "invalid_nonce",
            Self::InvalidEncryptionParameters => "invalid_encryption_parameters",
            Self::CredentialRequestDenied => "credential_request_denied",
            Self::Other(code) => code,
        }
    }

    /// Reads a wire code.
    pub fn parse(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            "invalid_token" => Self::InvalidToken,
            "insufficient_scope" => Self::InsufficientScope,
            "invalid_credential_request" => Self::InvalidCredentialRequest,
            "unknown_credential_configuration" => Self::UnknownCredentialConfiguration,
            "unknown_credential_identifier" => Self::UnknownCredentialIdentifier,
            "invalid_proof" => Self::InvalidProof,
            "invalid_nonce" => Self::InvalidNonce,
            "invalid_encryption_parameters" => Self::InvalidEncryptionParameters,
            "credential_request_denied" => Self::CredentialRequestDenied,
            other => Self::Other(printable(other, 64)),
        }
    }

    /// The HTTP status an issuer answers this error with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::InvalidClient | Self::InvalidToken => 401,
            Self::InsufficientScope | Self::CredentialRequestDenied => 403,
            _ => 400,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Keeps printable ASCII of foreign text, at most `max` characters.
pub(crate) fn printable(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(max)
        .collect()
}

/// An error response body: `{"error": …, "error_description": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The code.
    pub error: String,
    /// A description for developers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

impl ErrorResponse {
    /// A response with `code` and `description`.
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            error: code.as_str().to_owned(),
            error_description: Some(description.into()),
        }
    }

    /// The code, typed.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::parse(&self.error)
    }
}

/// What can go wrong in OpenID4VCI issuance. Messages never carry claim values; text from
/// the other side (error descriptions) is cut to printable ASCII.
#[derive(Debug, thiserror::Error)]
pub enum Oid4vciError {
    /// The transport failed (connection, timeout, a redirect or a body over the limit it
    /// enforced itself).
    #[error("{endpoint}: {error}")]
    Transport {
        /// Where.
        endpoint: Endpoint,
        /// What.
        error: TransportError,
    },
    /// An HTTP status that is neither success nor an error response this protocol defines.
    #[error("{endpoint}: HTTP status {status}")]
    HttpStatus {
        /// Where.
        endpoint: Endpoint,
        /// The status.
        status: u16,
    },
    /// The server answered with a redirect; OpenID4VCI endpoints are never followed.
    #[error("{endpoint}: redirect (HTTP {status}) refused")]
    RedirectRefused {
        /// Where.
        endpoint: Endpoint,
        /// The 3xx status.
        status: u16,
    },
    /// A response body over the limit.
    #[error("{endpoint}: response body over {limit} bytes")]
    BodyTooLarge {
        /// Where.
        endpoint: Endpoint,
        /// The limit, bytes.
        limit: usize,
    },
    /// A body that is not the JSON the protocol defines.
    #[error("{endpoint}: malformed JSON ({reason})")]
    MalformedJson {
        /// Where.
        endpoint: Endpoint,
        /// What was wrong (no content).
        reason: String,
    },
    /// A message that parsed but breaks a rule of the protocol.
    #[error("{endpoint}: {reason}")]
    InvalidMessage {
        /// Where.
        endpoint: Endpoint,
        /// Which rule.
        reason: String,
    },
    /// The offer link or offer object is not usable.
    #[error("credential offer: {0}")]
    InvalidOffer(String),
    /// An OAuth error response from the token endpoint (`invalid_grant`: a wrong
    /// transaction code, an expired or used pre-authorized code).
    #[error("token endpoint refused: {code}{}", describe(.description))]
    Token {
        /// The code.
        code: ErrorCode,
        /// The server's description, cut to printable ASCII.
        description: Option<String>,
    },
    /// An error response from the nonce or credential endpoint (`invalid_proof`,
    /// `invalid_nonce`, `unknown_credential_configuration`, `invalid_token`, …).
    #[error("{endpoint} refused: {code}{}", describe(.description))]
    Refused {
        /// Where.
        endpoint: Endpoint,
        /// The code.
        code: ErrorCode,
        /// The server's description, cut to printable ASCII.
        description: Option<String>,
    },
    /// The offer asks for a transaction code and none was given.
    #[error("this offer needs the transaction code the issuer gave you")]
    TxCodeRequired,
    /// A transaction code was given but the offer asks for none.
    #[error("this offer asks for no transaction code")]
    TxCodeNotExpected,
    /// The transaction code does not have the form the offer announces.
    #[error("the transaction code does not have the form the offer announces ({0})")]
    TxCodeForm(String),
    /// The offer has no pre-authorized code grant (only that flow is supported).
    #[error("the offer has no pre-authorized code grant")]
    NoPreAuthorizedGrant,
    /// The offer names a configuration this wallet cannot take (format, proof type,
    /// algorithm).
    #[error("credential configuration '{id}': {reason}")]
    UnsupportedConfiguration {
        /// The configuration id (printable ASCII).
        id: String,
        /// Why.
        reason: String,
    },
    /// The issuer deferred issuance (`transaction_id`); not supported.
    #[error("the issuer deferred issuance; deferred credentials are not supported")]
    Deferred,
    /// The batch size asked for is out of range.
    #[error("batch size must be 1 to {max}")]
    BatchSize {
        /// The largest batch.
        max: usize,
    },
    /// The issuer sent another number of copies than keys were proven.
    #[error("the issuer sent {got} copies for {expected} keys")]
    CopyCount {
        /// Keys proven.
        expected: usize,
        /// Copies received.
        got: usize,
    },
    /// A copy is not of the configuration asked for (format, type) or not for one of the
    /// keys proven.
    #[error("copy {index}: {reason}")]
    WrongCopy {
        /// Which copy (0-based).
        index: usize,
        /// Why.
        reason: String,
    },
    /// A copy was refused on import (signature, validity, binding).
    #[error("import: {0}")]
    Import(#[from] CredentialError),
    /// The wallet store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Signing a key proof failed.
    #[error("could not sign a key proof")]
    Signing,
}

fn describe(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

/// Result alias.
pub type Oid4vciResult<T> = Result<T, Oid4vciError>;

/// Why a transport could not deliver an exchange.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer within the time allowed.
    #[error("timed out")]
    Timeout,
    /// The server answered with a redirect and the transport did not follow it.
    #[error("redirect (HTTP {status}) refused")]
    Redirect {
        /// The 3xx status.
        status: u16,
    },
    /// The body was longer than the limit; the transport stopped reading.
    #[error("response body over {limit} bytes")]
    BodyTooLarge {
        /// The limit, bytes.
        limit: usize,
    },
    /// The URL cannot be used (scheme, host).
    #[error("unusable URL: {0}")]
    InvalidUrl(String),
    /// Connecting, TLS or reading failed.
    #[error("connection failed: {0}")]
    Connection(String),
}
