//! The public error of the credential and verifier area: stable variants apps can branch on,
//! and the one place that maps the core's errors onto them. No claim value, key or secret ever
//! reaches a message.

use wallet_core::verifier::TrustedIssuerError;
use wallet_core::wallet::CredentialError as CoreError;

use crate::blocking::PoolFailure;
use crate::credential_problem::CredentialProblem;
use crate::store_failure::{RecordFailure, StoreFailure, through_store_failure};

/// Errors of credentials (import, show, present, delete), holder keys and verification.
///
/// Variants are stable: apps may branch on them. Messages are for people and logs and never
/// contain a claim value, a key or a PIN. (A verification that fails is not an error: it is a
/// `Verdict` with reasons.)
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CredentialError {
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// No credential with that id (also for an id that is not a credential's, or malformed).
    #[error("credential not found")]
    NotFound,
    /// Neither an SD-JWT VC nor an mdoc.
    #[error("not a credential this wallet understands (neither SD-JWT VC nor mdoc)")]
    UnknownFormat,
    /// The credential (or presentation) failed a check: structure, signature, validity,
    /// digests, certificate.
    #[error("invalid credential ({code:?}): {reason}")]
    InvalidCredential {
        /// Which check failed (`BadIssuerSignature`, `Expired`, `Malformed`, `Certificate`…).
        code: CredentialProblem,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// The credential names no holder key, so it cannot be bound to this wallet.
    #[error("the credential is not bound to a holder key")]
    NoHolderKey,
    /// The credential is bound to a key that is not one of this wallet's.
    #[error("the credential is bound to a key that is not this wallet's")]
    NotBoundToThisWallet,
    /// The credential carries no issuer certificate and no issuer key was given.
    #[error("the credential carries no issuer certificate; give the issuer's key to check it")]
    NoIssuerKey,
    /// The credential is already in the wallet.
    #[error("this credential is already in the wallet")]
    AlreadyImported,
    /// A requested claim is not in the credential, or the path is not a valid claim path.
    #[error("the credential has no claim '{claim}'")]
    UnknownClaim {
        /// The requested path (the caller's own input). Empty when the core does not say
        /// which of the requested paths it is (SD-JWT, for now).
        claim: String,
    },
    /// The binding does not fit the credential's format.
    #[error("this presentation needs {reason}")]
    WrongBinding {
        /// What the format needs.
        reason: String,
    },
    /// A trusted issuer (or issuer key) is neither a certificate (PEM or DER) nor a public
    /// P-256, P-384 or Ed25519 JWK.
    #[error("not an issuer key or certificate: {reason}")]
    InvalidTrustedIssuer {
        /// What it looks like instead.
        reason: String,
    },
    /// The type metadata given with a credential was refused: malformed, too large, for
    /// another type, not matching the credential's `vct#integrity`, or extending a type not
    /// given.
    #[error("type metadata refused: {reason}")]
    InvalidTypeMetadata {
        /// What is wrong.
        reason: String,
    },
    /// A batch of copies was refused: empty, too many copies, copies of different
    /// credentials, or two copies bound to one holder key. Nothing was imported.
    #[error("batch refused: {reason}")]
    InvalidBatch {
        /// What is wrong.
        reason: String,
    },
    /// Every copy of the credential has been presented and the wallet does not reuse copies:
    /// ask the issuer for new copies, or turn the reuse setting on.
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

impl From<CoreError> for CredentialError {
    fn from(err: CoreError) -> Self {
        use wallet_core::sdjwt::SdJwtError;
        match err {
            CoreError::Store(store) => store.into(),
            // The core names no path for SD-JWT (see the field's docs).
            CoreError::SdJwt(SdJwtError::ClaimNotFound | SdJwtError::InvalidClaimPath(_)) => {
                Self::UnknownClaim {
                    claim: String::new(),
                }
            }
            CoreError::SdJwt(e) => Self::InvalidCredential {
                code: CredentialProblem::from(&e),
                reason: e.to_string(),
            },
            CoreError::Mdoc(e) => Self::InvalidCredential {
                code: CredentialProblem::from(&e),
                reason: e.to_string(),
            },
            CoreError::Certificate(e) => Self::InvalidCredential {
                code: CredentialProblem::Certificate,
                reason: e.to_string(),
            },
            CoreError::UnknownFormat => Self::UnknownFormat,
            CoreError::NoHolderKey => Self::NoHolderKey,
            CoreError::NotBoundToThisWallet => Self::NotBoundToThisWallet,
            CoreError::NoIssuerKey => Self::NoIssuerKey,
            CoreError::NotACredential => Self::NotFound,
            CoreError::UnknownClaim(claim) => Self::UnknownClaim { claim },
            CoreError::WrongBinding(needs) => Self::WrongBinding {
                reason: needs.into(),
            },
            CoreError::AlreadyImported => Self::AlreadyImported,
            CoreError::TypeMetadata(e) => Self::InvalidTypeMetadata {
                reason: e.to_string(),
            },
            e @ (CoreError::EmptyBatch
            | CoreError::TooManyCopies(_)
            | CoreError::CopiesDiffer(_)
            | CoreError::HolderKeyUsedTwice) => Self::InvalidBatch {
                reason: e.to_string(),
            },
            CoreError::NoCopiesLeft => Self::NoCopiesLeft,
        }
    }
}

through_store_failure!(CredentialError);

impl From<StoreFailure> for CredentialError {
    fn from(failure: StoreFailure) -> Self {
        match RecordFailure::from(failure) {
            RecordFailure::Locked => Self::Locked,
            RecordFailure::Busy => Self::Busy,
            RecordFailure::NotFound => Self::NotFound,
            RecordFailure::InvalidInput(reason) => Self::InvalidInput { reason },
            RecordFailure::Storage(reason) => Self::Storage { reason },
            unexpected @ RecordFailure::Unexpected(_) => Self::Internal {
                reason: unexpected.unexpected_here(),
            },
        }
    }
}

impl From<TrustedIssuerError> for CredentialError {
    fn from(err: TrustedIssuerError) -> Self {
        Self::InvalidTrustedIssuer {
            reason: err.0.into(),
        }
    }
}

impl From<PoolFailure> for CredentialError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
