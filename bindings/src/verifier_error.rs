//! The public error of the field verifier (requests, verification, trust list, status lists,
//! verification log), and the one place that maps the core's errors onto it. No claim value,
//! key or secret ever reaches a message.

use wallet_core::exchange::ExchangeError as CoreExchangeError;
use wallet_core::verifier::field_verifier::FieldVerifierError;
use wallet_core::verifier::status_cache::StatusCacheError;
use wallet_core::verifier::status_list::StatusListError;
use wallet_core::verifier::trust_list::TrustListError;
use wallet_core::verifier::trust_store::TrustStoreError;

use crate::blocking::PoolFailure;
use crate::qr::DisplayFailure;
use crate::store_failure::{StoreFailure, through_store_failure};

/// Errors of the field verifier.
///
/// Variants are stable: apps may branch on them. A presentation that fails verification is
/// not an error: it is a `Verdict` with reasons.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum VerifierError {
    /// The verifier's wallet is locked: unlock it first.
    #[error("the verifier's wallet is locked")]
    Locked,
    /// The request to create is not acceptable (no credential or more than 8, a name, purpose
    /// or path too long, too many claims).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// What is wrong.
        reason: String,
    },
    /// The message is not of a kind this function reads (`verify` takes responses and static
    /// presentations, `importTrustListMessage` trust lists).
    #[error("unexpected QR message: a {kind} message")]
    UnexpectedMessage {
        /// The message's kind, snake_case (`verifier_request`, `trust_list`…).
        kind: String,
    },
    /// No trust list is installed, so no issuer can be accepted: import one first.
    #[error("no trust list is installed: import one before verifying")]
    NoTrustList,
    /// The installed trust list has expired: it vouches for nobody until a newer one is
    /// imported.
    #[error("the installed trust list (sequence {sequence}) has expired: import a newer one")]
    TrustListExpired {
        /// Its sequence.
        sequence: u64,
    },
    /// The trust list was refused.
    #[error("trust list refused ({code}): {reason}")]
    TrustListRejected {
        /// A stable snake_case code: `bad_signature`, `expired`, `not_yet_valid`, `rollback`
        /// (older than the installed one), `malformed`, `too_large`, `wrong_type`,
        /// `unsupported_algorithm`, `unsupported_version`.
        code: String,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// No trust-list signer is pinned yet and none was given: the first import needs the
    /// signer's public key.
    #[error("no trust-list signer is pinned yet: give the signer's key with the first list")]
    NoPinnedSigner,
    /// The given signer key is not the one pinned at the first import. A new signer needs a
    /// new verifier wallet.
    #[error("another trust-list signer ({pinned_fingerprint}) is pinned in this verifier")]
    SignerChanged {
        /// Fingerprint of the pinned signer's key.
        pinned_fingerprint: String,
    },
    /// The signer key is not a public P-256 JWK.
    #[error("invalid signer key: {reason}")]
    InvalidSignerKey {
        /// What it looks like instead.
        reason: String,
    },
    /// The status list token was refused.
    #[error("status list refused ({code}): {reason}")]
    StatusListRejected {
        /// A stable snake_case code: `unknown_signer` (no trusted issuer signed it), `older`
        /// (a newer copy is cached), `bad_signature`, `expired`, `not_yet_valid`,
        /// `malformed`, `too_large`, `wrong_type`, `unsupported_algorithm`,
        /// `unsupported_bits`.
        code: String,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// The frame options are out of range.
    #[error("invalid frame options: {reason}")]
    InvalidFrameOptions {
        /// Which option.
        reason: String,
    },
    /// The request could not be drawn as QR codes.
    #[error("could not draw the QR codes: {reason}")]
    Encoding {
        /// Why.
        reason: String,
    },
    /// Another process holds the wallet file beyond the timeout: try again.
    #[error("the wallet file is busy")]
    Busy,
    /// The wallet's store refused the input (a size over its limits, a malformed id).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
    /// The verifier's wallet file could not be read or written (damaged, disk).
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

through_store_failure!(VerifierError);

impl From<StoreFailure> for VerifierError {
    fn from(failure: StoreFailure) -> Self {
        match failure {
            StoreFailure::Locked => Self::Locked,
            StoreFailure::Busy => Self::Busy,
            StoreFailure::InvalidInput(reason) => Self::InvalidInput { reason },
            StoreFailure::File(file) => Self::Storage {
                reason: file.to_string(),
            },
            // The verifier's calls create no wallet, name no record by id, and take no PIN,
            // words or platform key.
            failure @ (StoreFailure::AlreadyExists
            | StoreFailure::RecordNotFound
            | StoreFailure::WrongPin { .. }
            | StoreFailure::PinLockedOut { .. }
            | StoreFailure::InvalidPin(_)
            | StoreFailure::InvalidMnemonic { .. }
            | StoreFailure::MnemonicMismatch
            | StoreFailure::PlatformKey { .. }) => Self::Internal {
                reason: format!("unexpected here: {failure}"),
            },
        }
    }
}

fn trust_list_code(err: &TrustListError) -> &'static str {
    match err {
        TrustListError::Malformed(_) => "malformed",
        TrustListError::TooLarge(_) => "too_large",
        TrustListError::UnsupportedAlgorithm => "unsupported_algorithm",
        TrustListError::UnsupportedVersion(_) => "unsupported_version",
        TrustListError::BadSignature => "bad_signature",
        TrustListError::WrongType => "wrong_type",
        TrustListError::Expired => "expired",
        TrustListError::NotYetValid => "not_yet_valid",
        TrustListError::Rollback { .. } => "rollback",
        // Only the signer's side signs.
        TrustListError::Signing => "other",
    }
}

impl From<TrustListError> for VerifierError {
    fn from(err: TrustListError) -> Self {
        Self::TrustListRejected {
            code: trust_list_code(&err).into(),
            reason: err.to_string(),
        }
    }
}

impl From<TrustStoreError> for VerifierError {
    fn from(err: TrustStoreError) -> Self {
        match err {
            TrustStoreError::Store(e) => e.into(),
            TrustStoreError::TrustList(e) => e.into(),
            TrustStoreError::NoPinnedSigner => Self::NoPinnedSigner,
            TrustStoreError::SignerChanged { pinned } => Self::SignerChanged {
                pinned_fingerprint: pinned,
            },
            e @ TrustStoreError::Damaged => Self::Storage {
                reason: e.to_string(),
            },
            TrustStoreError::NotATrustList => Self::UnexpectedMessage {
                kind: "other".into(),
            },
        }
    }
}

fn status_list_code(err: &StatusListError) -> &'static str {
    match err {
        StatusListError::Malformed(_) => "malformed",
        StatusListError::TooLarge(_) => "too_large",
        StatusListError::UnsupportedAlgorithm => "unsupported_algorithm",
        StatusListError::BadSignature => "bad_signature",
        StatusListError::WrongType => "wrong_type",
        StatusListError::UnsupportedBits(_) => "unsupported_bits",
        StatusListError::Expired => "expired",
        StatusListError::NotYetValid => "not_yet_valid",
        // Reading one entry and the issuer's side, which an import does not do.
        StatusListError::IndexOutOfRange { .. }
        | StatusListError::ValueTooLarge { .. }
        | StatusListError::Signing => "other",
    }
}

impl From<StatusCacheError> for VerifierError {
    fn from(err: StatusCacheError) -> Self {
        match err {
            StatusCacheError::Store(e) => e.into(),
            StatusCacheError::StatusList(e) => Self::StatusListRejected {
                code: status_list_code(&e).into(),
                reason: e.to_string(),
            },
            e @ StatusCacheError::UnknownSigner => Self::StatusListRejected {
                code: "unknown_signer".into(),
                reason: e.to_string(),
            },
            e @ StatusCacheError::Older { .. } => Self::StatusListRejected {
                code: "older".into(),
                reason: e.to_string(),
            },
            e @ StatusCacheError::Damaged => Self::Storage {
                reason: e.to_string(),
            },
        }
    }
}

impl From<CoreExchangeError> for VerifierError {
    fn from(err: CoreExchangeError) -> Self {
        match err {
            e @ (CoreExchangeError::Malformed(_) | CoreExchangeError::TooLarge(_)) => {
                Self::InvalidRequest {
                    reason: e.to_string(),
                }
            }
            // Answers are checked into a `Verdict`, not an error; the rest is the holder's side.
            other @ (CoreExchangeError::RequestExpired
            | CoreExchangeError::WrongRequest
            | CoreExchangeError::Undecryptable
            | CoreExchangeError::OutsideWindow
            | CoreExchangeError::Replay
            | CoreExchangeError::UnknownCertificate
            | CoreExchangeError::Crypto(_)) => Self::Internal {
                reason: format!("unexpected here: {other}"),
            },
        }
    }
}

impl From<FieldVerifierError> for VerifierError {
    fn from(err: FieldVerifierError) -> Self {
        match err {
            FieldVerifierError::Store(e) => e.into(),
            FieldVerifierError::Exchange(e) => e.into(),
            FieldVerifierError::UnexpectedMessage => Self::UnexpectedMessage {
                kind: "other".into(),
            },
            FieldVerifierError::NoTrustList => Self::NoTrustList,
            FieldVerifierError::TrustListExpired { sequence } => {
                Self::TrustListExpired { sequence }
            }
            FieldVerifierError::Trust(e) => e.into(),
            FieldVerifierError::Status(e) => e.into(),
        }
    }
}

impl From<DisplayFailure> for VerifierError {
    fn from(failure: DisplayFailure) -> Self {
        match failure {
            DisplayFailure::BadOptions(reason) => Self::InvalidFrameOptions { reason },
            DisplayFailure::Encoding(reason) => Self::Encoding { reason },
        }
    }
}

impl From<PoolFailure> for VerifierError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
