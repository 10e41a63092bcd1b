//! The public error of the holder's side of the QR exchange (read a request, answer it, show a
//! static presentation), and the one place that maps the core's errors onto it. No claim value,
//! key or secret ever reaches a message.

use wallet_core::exchange::ExchangeError as CoreExchangeError;
use wallet_core::verifier::trust_store::TrustStoreError;
use wallet_core::wallet::CredentialError as CoreCredentialError;
use wallet_core::wallet::respond::RespondError;

use crate::blocking::PoolFailure;
use crate::credential_error::CredentialError;
use crate::credential_problem::CredentialProblem;
use crate::qr::DisplayFailure;
use crate::store_failure::{StoreFailure, through_store_failure};

/// Errors of the holder's side of the exchange.
///
/// Variants are stable: apps may branch on them. Messages are for people and logs and never
/// contain a claim value, a key or a PIN.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ExchangeError {
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// The message is not a verifier's request (a response, a trust list…).
    #[error("this QR code is not a verifier's request (it is a {kind} message)")]
    NotARequest {
        /// The message's kind, snake_case (`engaged_response`, `trust_list`…).
        kind: String,
    },
    /// The request is damaged or not a Laissez request.
    #[error("the request is malformed: {reason}")]
    MalformedRequest {
        /// What is wrong.
        reason: String,
    },
    /// The request has expired (or is dated in the future): ask the verifier for a new one.
    #[error("the request has expired; ask the verifier to show a new one")]
    RequestExpired,
    /// A consent names a claim the request did not ask for.
    #[error("the claim '{claim}' was not asked for")]
    NotRequested {
        /// The claim path (the caller's own input).
        claim: String,
    },
    /// Nothing was consented to: there is nothing to send.
    #[error("nothing to send: no claim was consented to")]
    NothingConsented,
    /// The verifier is unverified and the person did not acknowledge the warning: nothing
    /// was sent.
    #[error("the verifier is unverified: the person must acknowledge the warning first")]
    UnverifiedNotAcknowledged,
    /// A claim beyond the verifier's registered scope that the person did not turn on by
    /// hand: nothing was sent.
    #[error("the claim '{claim}' is beyond the verifier's registered scope")]
    BeyondScope {
        /// The claim path (the caller's own input).
        claim: String,
    },
    /// No credential with that id.
    #[error("credential not found")]
    CredentialNotFound,
    /// The credential has no such claim.
    #[error("the credential has no claim '{claim}'")]
    UnknownClaim {
        /// The claim path (the caller's own input); empty when the core does not say which.
        claim: String,
    },
    /// The credential could not be presented (damaged, unsupported binding…).
    #[error("the credential cannot be presented ({code:?}): {reason}")]
    CredentialUnusable {
        /// Why (`Malformed`, `WrongBinding`…).
        code: CredentialProblem,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// The frame options are out of range.
    #[error("invalid frame options: {reason}")]
    InvalidFrameOptions {
        /// Which option.
        reason: String,
    },
    /// The answer could not be drawn as QR codes (too large).
    #[error("could not draw the QR codes: {reason}")]
    Encoding {
        /// Why.
        reason: String,
    },
    /// Every copy of the chosen credential has been presented and the wallet does not
    /// reuse copies: ask the issuer for new copies, or turn the reuse setting on.
    #[error("no unpresented copy of this credential is left")]
    NoCopiesLeft,
    /// Another process holds the wallet file beyond the timeout: try again.
    #[error("the wallet file is busy")]
    Busy,
    /// The wallet's store refused the input (a size over its limits, a malformed id).
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
    /// A bug in Laissez; nothing was changed. Please report it.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

impl From<CredentialError> for ExchangeError {
    fn from(err: CredentialError) -> Self {
        match err {
            CredentialError::Locked => Self::Locked,
            CredentialError::NotFound => Self::CredentialNotFound,
            CredentialError::UnknownClaim { claim } => Self::UnknownClaim { claim },
            CredentialError::InvalidCredential { code, reason } => {
                Self::CredentialUnusable { code, reason }
            }
            CredentialError::WrongBinding { reason } => Self::CredentialUnusable {
                code: CredentialProblem::WrongBinding,
                reason,
            },
            CredentialError::Busy => Self::Busy,
            CredentialError::InvalidInput { reason } => Self::InvalidInput { reason },
            CredentialError::Storage { reason } => Self::Storage { reason },
            CredentialError::Internal { reason } => Self::Internal { reason },
            CredentialError::NoCopiesLeft => Self::NoCopiesLeft,
            // Import and trust checks, which presenting does not do.
            other @ (CredentialError::UnknownFormat
            | CredentialError::NoHolderKey
            | CredentialError::NotBoundToThisWallet
            | CredentialError::NoIssuerKey
            | CredentialError::AlreadyImported
            | CredentialError::InvalidBatch { .. }
            | CredentialError::InvalidTypeMetadata { .. }
            | CredentialError::InvalidTrustedIssuer { .. }) => Self::Internal {
                reason: format!("unexpected here: {other}"),
            },
        }
    }
}

impl From<CoreCredentialError> for ExchangeError {
    fn from(err: CoreCredentialError) -> Self {
        CredentialError::from(err).into()
    }
}

through_store_failure!(ExchangeError);

impl From<StoreFailure> for ExchangeError {
    fn from(failure: StoreFailure) -> Self {
        CredentialError::from(failure).into()
    }
}

impl From<CoreExchangeError> for ExchangeError {
    fn from(err: CoreExchangeError) -> Self {
        match err {
            CoreExchangeError::RequestExpired => Self::RequestExpired,
            e @ (CoreExchangeError::Malformed(_) | CoreExchangeError::TooLarge(_)) => {
                Self::MalformedRequest {
                    reason: e.to_string(),
                }
            }
            // The verifier's side of the exchange, which the holder does not run.
            other @ (CoreExchangeError::WrongRequest
            | CoreExchangeError::Undecryptable
            | CoreExchangeError::OutsideWindow
            | CoreExchangeError::Replay
            | CoreExchangeError::UnknownCertificate
            // The verifier's signing of requests, which the holder does not run either.
            | CoreExchangeError::CertificateForAnotherKey
            | CoreExchangeError::Registration(_)
            | CoreExchangeError::Crypto(_)) => Self::Internal {
                reason: format!("unexpected here: {other}"),
            },
        }
    }
}

impl From<RespondError> for ExchangeError {
    fn from(err: RespondError) -> Self {
        match err {
            RespondError::Credential(e) => e.into(),
            RespondError::Exchange(e) => e.into(),
            RespondError::NotARequest => Self::NotARequest {
                kind: "other".into(),
            },
            RespondError::NotRequested(claim) => Self::NotRequested { claim },
            RespondError::NothingConsented => Self::NothingConsented,
            RespondError::UnverifiedNotAcknowledged => Self::UnverifiedNotAcknowledged,
            RespondError::BeyondScope(claim) => Self::BeyondScope { claim },
            // A store failure reading the list is classified like any other (locked, busy...).
            RespondError::TrustList(TrustStoreError::Store(err)) => {
                CoreCredentialError::Store(err).into()
            }
            RespondError::TrustList(err) => Self::Internal {
                reason: format!("the wallet's trust list: {err}"),
            },
        }
    }
}

impl From<DisplayFailure> for ExchangeError {
    fn from(failure: DisplayFailure) -> Self {
        match failure {
            DisplayFailure::BadOptions(reason) => Self::InvalidFrameOptions { reason },
            DisplayFailure::Encoding(reason) => Self::Encoding { reason },
        }
    }
}

impl From<PoolFailure> for ExchangeError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
