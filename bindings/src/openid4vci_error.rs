//! The public error of online issuance (OpenID4VCI), and the one place that maps the core's
//! `Oid4vciError` onto it. Every OAuth and credential error code, every transport failure and
//! every check the wallet makes has its own variant or code; no claim value, key, access token
//! or transaction code ever reaches a message.

use wallet_core::openid4vci::{
    Endpoint, ErrorCode, Oid4vciError, TransportError as CoreTransportError,
};

use crate::blocking::PoolFailure;
use crate::credential_error::CredentialError;
use crate::credential_problem::CredentialProblem;
use crate::store_failure::{StoreFailure, through_store_failure};

/// Which step of the flow a failure happened at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum IssuanceEndpoint {
    /// Fetching the credential offer (an offer by reference).
    Offer,
    /// The credential issuer's metadata (`/.well-known/openid-credential-issuer`).
    IssuerMetadata,
    /// The authorization server's metadata (`/.well-known/oauth-authorization-server`).
    AuthorizationServerMetadata,
    /// The token endpoint (pre-authorized code and transaction code).
    Token,
    /// The nonce endpoint.
    Nonce,
    /// The credential endpoint.
    Credential,
}

impl From<Endpoint> for IssuanceEndpoint {
    fn from(endpoint: Endpoint) -> Self {
        match endpoint {
            Endpoint::Offer => Self::Offer,
            Endpoint::IssuerMetadata => Self::IssuerMetadata,
            Endpoint::AuthorizationServerMetadata => Self::AuthorizationServerMetadata,
            Endpoint::Token => Self::Token,
            Endpoint::Nonce => Self::Nonce,
            Endpoint::Credential => Self::Credential,
        }
    }
}

/// The `error` code of an OAuth (RFC 6749 s5.2, RFC 6750 s3.1) or OpenID4VCI (s8.3.1.2) error
/// response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum OAuthErrorCode {
    /// `invalid_request`: the request is missing a parameter or is malformed.
    InvalidRequest,
    /// `invalid_client`: client authentication failed.
    InvalidClient,
    /// `invalid_grant`: the transaction code is wrong, or the pre-authorized code is
    /// unknown, expired or already used.
    InvalidGrant,
    /// `unauthorized_client`: the client may not use this grant type.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`.
    InvalidScope,
    /// `invalid_token`: the access token is invalid or expired (start again from the offer).
    InvalidToken,
    /// `insufficient_scope`: the access token does not cover the request.
    InsufficientScope,
    /// `invalid_credential_request`: the credential request is malformed.
    InvalidCredentialRequest,
    /// `unknown_credential_configuration`.
    UnknownCredentialConfiguration,
    /// `unknown_credential_identifier`.
    UnknownCredentialIdentifier,
    /// `invalid_proof`: a key proof was refused.
    InvalidProof,
    /// `invalid_nonce`: a key proof's nonce is invalid or expired.
    InvalidNonce,
    /// `invalid_encryption_parameters`.
    InvalidEncryptionParameters,
    /// `credential_request_denied`: the issuer will not issue this credential.
    CredentialRequestDenied,
    /// A code this wallet does not know.
    Other {
        /// The code as sent, printable ASCII only, at most 64 characters.
        code: String,
    },
}

impl From<ErrorCode> for OAuthErrorCode {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::InvalidRequest => Self::InvalidRequest,
            ErrorCode::InvalidClient => Self::InvalidClient,
            ErrorCode::InvalidGrant => Self::InvalidGrant,
            ErrorCode::UnauthorizedClient => Self::UnauthorizedClient,
            ErrorCode::UnsupportedGrantType => Self::UnsupportedGrantType,
            ErrorCode::InvalidScope => Self::InvalidScope,
            ErrorCode::InvalidToken => Self::InvalidToken,
            ErrorCode::InsufficientScope => Self::InsufficientScope,
            ErrorCode::InvalidCredentialRequest => Self::InvalidCredentialRequest,
            ErrorCode::UnknownCredentialConfiguration => Self::UnknownCredentialConfiguration,
            ErrorCode::UnknownCredentialIdentifier => Self::UnknownCredentialIdentifier,
            ErrorCode::InvalidProof => Self::InvalidProof,
            ErrorCode::InvalidNonce => Self::InvalidNonce,
            ErrorCode::InvalidEncryptionParameters => Self::InvalidEncryptionParameters,
            ErrorCode::CredentialRequestDenied => Self::CredentialRequestDenied,
            ErrorCode::Other(code) => Self::Other { code },
        }
    }
}

/// What the app's `HttpTransport` throws when it cannot deliver an exchange. An exception of
/// any other type thrown by the transport counts as `Connection`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// No answer within the time allowed (about 30 seconds).
    #[error("timed out")]
    Timeout,
    /// The server answered with a redirect and the transport did not follow it. (Returning
    /// the 3xx response itself is as good: the core refuses it.)
    #[error("redirect (HTTP {status}) refused")]
    Redirect {
        /// The 3xx status.
        status: u16,
    },
    /// The body was longer than the limit (2 MiB); the transport stopped reading.
    #[error("response body over {limit} bytes")]
    BodyTooLarge {
        /// The limit, bytes.
        limit: u64,
    },
    /// The URL cannot be used (scheme, host).
    #[error("unusable URL: {reason}")]
    InvalidUrl {
        /// Why.
        reason: String,
    },
    /// Connecting, TLS or reading failed.
    #[error("connection failed: {reason}")]
    Connection {
        /// What failed.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Connection {
            reason: format!("the transport threw: {}", err.reason),
        }
    }
}

impl From<TransportError> for CoreTransportError {
    fn from(err: TransportError) -> Self {
        match err {
            TransportError::Timeout => Self::Timeout,
            TransportError::Redirect { status } => Self::Redirect { status },
            TransportError::BodyTooLarge { limit } => Self::BodyTooLarge {
                limit: usize::try_from(limit).unwrap_or(usize::MAX),
            },
            TransportError::InvalidUrl { reason } => Self::InvalidUrl(reason),
            TransportError::Connection { reason } => Self::Connection(reason),
        }
    }
}

/// Errors of online issuance (`previewCredentialOffer`, `fetchCredential`).
///
/// Variants are stable: apps may branch on them. Messages are for people and logs and never
/// contain a claim value, a key, a token or the transaction code. After any error the wallet
/// is as it was before the call.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum OnlineIssuanceError {
    /// The wallet is locked: unlock it first. Nothing was asked of the issuer's token
    /// endpoint, so the offer is still good.
    #[error("the wallet is locked")]
    Locked,
    /// The offer link or the offer is not usable (not an `openid-credential-offer://` link,
    /// malformed, an `http://` issuer, an authorization server that is not the issuer's).
    #[error("credential offer: {reason}")]
    InvalidOffer {
        /// What is wrong.
        reason: String,
    },
    /// The offer has no pre-authorized code grant (the only flow supported).
    #[error("the offer has no pre-authorized code grant")]
    NoPreAuthorizedGrant,
    /// The offer needs a transaction code and none was given: ask the person for it.
    #[error("this offer needs the transaction code the issuer gave you")]
    TxCodeRequired,
    /// A transaction code was given but the offer asks for none.
    #[error("this offer asks for no transaction code")]
    TxCodeNotExpected,
    /// The transaction code does not have the form the offer announces (length, digits);
    /// nothing was sent.
    #[error("the transaction code does not have the form the offer announces ({reason})")]
    TxCodeForm {
        /// The form expected.
        reason: String,
    },
    /// The offer names a credential this wallet cannot take (format, proof type, algorithm)
    /// or one missing from the issuer's metadata.
    #[error("credential configuration '{id}': {reason}")]
    UnsupportedConfiguration {
        /// The configuration id (printable ASCII).
        id: String,
        /// Why.
        reason: String,
    },
    /// The batch size asked for is out of range.
    #[error("batch size must be 1 to {max}")]
    BatchSize {
        /// The largest batch.
        max: u32,
    },
    /// The token endpoint refused: `InvalidGrant` is a wrong transaction code (or an expired
    /// or used offer).
    #[error("token endpoint refused: {code:?}{}", describe(.description))]
    TokenRefused {
        /// The code.
        code: OAuthErrorCode,
        /// The server's description, cut to printable ASCII.
        description: Option<String>,
    },
    /// Another endpoint answered with an error response (`InvalidProof`, `InvalidNonce`,
    /// `InvalidToken`, `UnknownCredentialConfiguration`, …).
    #[error("{endpoint:?} refused: {code:?}{}", describe(.description))]
    Refused {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// The code.
        code: OAuthErrorCode,
        /// The server's description, cut to printable ASCII.
        description: Option<String>,
    },
    /// The transport timed out.
    #[error("{endpoint:?}: timed out")]
    Timeout {
        /// Where.
        endpoint: IssuanceEndpoint,
    },
    /// The transport could not connect or read (also: it threw an unexpected exception).
    #[error("{endpoint:?}: connection failed: {reason}")]
    ConnectionFailed {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// What failed.
        reason: String,
    },
    /// The transport refused the URL.
    #[error("{endpoint:?}: unusable URL: {reason}")]
    InvalidUrl {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// Why.
        reason: String,
    },
    /// The server answered with a redirect; OpenID4VCI endpoints are never followed.
    #[error("{endpoint:?}: redirect (HTTP {status}) refused")]
    RedirectRefused {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// The 3xx status.
        status: u16,
    },
    /// A response body over the limit.
    #[error("{endpoint:?}: response body over {limit} bytes")]
    BodyTooLarge {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// The limit, bytes.
        limit: u64,
    },
    /// An HTTP status that is neither success nor an error response of the protocol (a 500,
    /// a 404 without an error body).
    #[error("{endpoint:?}: HTTP status {status}")]
    HttpStatus {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// The status.
        status: u16,
    },
    /// A body that is not the JSON the protocol defines.
    #[error("{endpoint:?}: malformed JSON ({reason})")]
    MalformedJson {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// What was wrong (no content).
        reason: String,
    },
    /// A message that parsed but breaks a rule of the protocol.
    #[error("{endpoint:?}: {reason}")]
    InvalidMessage {
        /// Where.
        endpoint: IssuanceEndpoint,
        /// Which rule.
        reason: String,
    },
    /// The issuer deferred issuance; not supported.
    #[error("the issuer deferred issuance; deferred credentials are not supported")]
    Deferred,
    /// The issuer sent another number of copies than keys were proven.
    #[error("the issuer sent {got} copies for {expected} keys")]
    CopyCount {
        /// Keys proven.
        expected: u32,
        /// Copies received.
        got: u32,
    },
    /// A copy is not of the credential offered or not bound to one of the keys proven.
    #[error("copy {index}: {reason}")]
    WrongCopy {
        /// Which copy (0-based).
        index: u32,
        /// Why.
        reason: String,
    },
    /// A copy was refused on import (signature, validity, binding, type metadata); nothing
    /// was imported.
    #[error("import refused: {reason}")]
    ImportRefused {
        /// Which check failed, when it is a check of the credential itself.
        problem: Option<CredentialProblem>,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// Another process holds the wallet file beyond the timeout: try again.
    #[error("the wallet file is busy")]
    Busy,
    /// The wallet's store refused the input (a size over its limits).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
    /// The wallet file could not be read or written (damaged, disk).
    #[error("storage failure: {reason}")]
    Storage {
        /// What failed.
        reason: String,
    },
    /// A bug in Laissez (or a key proof that could not be signed); nothing was changed.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

fn describe(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<Oid4vciError> for OnlineIssuanceError {
    fn from(err: Oid4vciError) -> Self {
        match err {
            Oid4vciError::Transport { endpoint, error } => {
                let endpoint = endpoint.into();
                match error {
                    CoreTransportError::Timeout => Self::Timeout { endpoint },
                    CoreTransportError::Redirect { status } => {
                        Self::RedirectRefused { endpoint, status }
                    }
                    CoreTransportError::BodyTooLarge { limit } => Self::BodyTooLarge {
                        endpoint,
                        limit: u64::try_from(limit).unwrap_or(u64::MAX),
                    },
                    CoreTransportError::InvalidUrl(reason) => Self::InvalidUrl { endpoint, reason },
                    CoreTransportError::Connection(reason) => {
                        Self::ConnectionFailed { endpoint, reason }
                    }
                }
            }
            Oid4vciError::HttpStatus { endpoint, status } => Self::HttpStatus {
                endpoint: endpoint.into(),
                status,
            },
            Oid4vciError::RedirectRefused { endpoint, status } => Self::RedirectRefused {
                endpoint: endpoint.into(),
                status,
            },
            Oid4vciError::BodyTooLarge { endpoint, limit } => Self::BodyTooLarge {
                endpoint: endpoint.into(),
                limit: u64::try_from(limit).unwrap_or(u64::MAX),
            },
            Oid4vciError::MalformedJson { endpoint, reason } => Self::MalformedJson {
                endpoint: endpoint.into(),
                reason,
            },
            Oid4vciError::InvalidMessage { endpoint, reason } => Self::InvalidMessage {
                endpoint: endpoint.into(),
                reason,
            },
            Oid4vciError::InvalidOffer(reason) => Self::InvalidOffer { reason },
            Oid4vciError::Token { code, description } => Self::TokenRefused {
                code: code.into(),
                description,
            },
            Oid4vciError::Refused {
                endpoint,
                code,
                description,
            } => Self::Refused {
                endpoint: endpoint.into(),
                code: code.into(),
                description,
            },
            Oid4vciError::TxCodeRequired => Self::TxCodeRequired,
            Oid4vciError::TxCodeNotExpected => Self::TxCodeNotExpected,
            Oid4vciError::TxCodeForm(reason) => Self::TxCodeForm { reason },
            Oid4vciError::NoPreAuthorizedGrant => Self::NoPreAuthorizedGrant,
            Oid4vciError::UnsupportedConfiguration { id, reason } => {
                Self::UnsupportedConfiguration { id, reason }
            }
            Oid4vciError::Deferred => Self::Deferred,
            Oid4vciError::BatchSize { max } => Self::BatchSize { max: count(max) },
            Oid4vciError::CopyCount { expected, got } => Self::CopyCount {
                expected: count(expected),
                got: count(got),
            },
            Oid4vciError::WrongCopy { index, reason } => Self::WrongCopy {
                index: count(index),
                reason,
            },
            Oid4vciError::Import(e) => CredentialError::from(e).into(),
            Oid4vciError::Store(e) => e.into(),
            Oid4vciError::Signing => Self::Internal {
                reason: "could not sign a key proof".into(),
            },
        }
    }
}

impl From<CredentialError> for OnlineIssuanceError {
    fn from(err: CredentialError) -> Self {
        match err {
            CredentialError::Locked => Self::Locked,
            CredentialError::Busy => Self::Busy,
            CredentialError::InvalidInput { reason } => Self::InvalidInput { reason },
            CredentialError::Storage { reason } => Self::Storage { reason },
            CredentialError::Internal { reason } => Self::Internal { reason },
            CredentialError::InvalidCredential { code, reason } => Self::ImportRefused {
                problem: Some(code),
                reason,
            },
            other @ (CredentialError::NotFound
            | CredentialError::UnknownFormat
            | CredentialError::NoHolderKey
            | CredentialError::NotBoundToThisWallet
            | CredentialError::NoIssuerKey
            | CredentialError::AlreadyImported
            | CredentialError::UnknownClaim { .. }
            | CredentialError::WrongBinding { .. }
            | CredentialError::InvalidTrustedIssuer { .. }
            | CredentialError::InvalidTypeMetadata { .. }
            | CredentialError::InvalidBatch { .. }
            | CredentialError::NoCopiesLeft) => Self::ImportRefused {
                problem: None,
                reason: other.to_string(),
            },
        }
    }
}

through_store_failure!(OnlineIssuanceError);

impl From<StoreFailure> for OnlineIssuanceError {
    fn from(failure: StoreFailure) -> Self {
        CredentialError::from(failure).into()
    }
}

impl From<PoolFailure> for OnlineIssuanceError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_code_keeps_its_meaning() {
        let codes = [
            ("invalid_request", OAuthErrorCode::InvalidRequest),
            ("invalid_client", OAuthErrorCode::InvalidClient),
            ("invalid_grant", OAuthErrorCode::InvalidGrant),
            ("unauthorized_client", OAuthErrorCode::UnauthorizedClient),
            (
                "unsupported_grant_type",
                OAuthErrorCode::UnsupportedGrantType,
            ),
            ("invalid_scope", OAuthErrorCode::InvalidScope),
            ("invalid_token", OAuthErrorCode::InvalidToken),
            ("insufficient_scope", OAuthErrorCode::InsufficientScope),
            (
                "invalid_credential_request",
                OAuthErrorCode::InvalidCredentialRequest,
            ),
            (
                "unknown_credential_configuration",
                OAuthErrorCode::UnknownCredentialConfiguration,
            ),
            (
                "unknown_credential_identifier",
                OAuthErrorCode::UnknownCredentialIdentifier,
            ),
            ("invalid_proof", OAuthErrorCode::InvalidProof),
            ("invalid_nonce", OAuthErrorCode::InvalidNonce),
            (
                "invalid_encryption_parameters",
                OAuthErrorCode::InvalidEncryptionParameters,
            ),
            (
                "credential_request_denied",
                OAuthErrorCode::CredentialRequestDenied,
            ),
            (
                "slow_down",
                OAuthErrorCode::Other {
                    code: "slow_down".into(),
                },
            ),
        ];
        for (wire, expected) in codes {
            assert_eq!(OAuthErrorCode::from(ErrorCode::parse(wire)), expected);
        }
    }

    #[test]
    fn transport_failures_keep_their_endpoint_and_kind() {
        let cases = [
            (CoreTransportError::Timeout, "Timeout { endpoint: Nonce }"),
            (
                CoreTransportError::Connection("reset".into()),
                "ConnectionFailed { endpoint: Nonce, reason: \"reset\" }",
            ),
            (
                CoreTransportError::Redirect { status: 302 },
                "RedirectRefused { endpoint: Nonce, status: 302 }",
            ),
        ];
        for (error, expected) in cases {
            let mapped = OnlineIssuanceError::from(Oid4vciError::Transport {
                endpoint: Endpoint::Nonce,
                error,
            });
            assert_eq!(format!("{mapped:?}"), expected);
        }
        let thrown: TransportError =
            uniffi::UnexpectedUniFFICallbackError::new("IOException").into();
        assert!(matches!(
            CoreTransportError::from(thrown),
            CoreTransportError::Connection(reason) if reason.contains("IOException")
        ));
    }
}
