//! The public error of the field verifier (requests, verification, trust list, status lists,
//! verification log), and the one place that maps the core's errors onto it. No claim value,
//! key or secret ever reaches a message.

use wallet_core::exchange::ExchangeError as CoreExchangeError;
use wallet_core::registration::RegistrationError;
use wallet_core::verifier::field_verifier::FieldVerifierError;
use wallet_core::verifier::security_state::SecurityStateError;
use wallet_core::verifier::status_cache::StatusCacheError;
use wallet_core::verifier::status_list::StatusListError;
use wallet_core::verifier::trust_list::TrustListError;
use wallet_core::verifier::trust_store::TrustStoreError;

use crate::blocking::PoolFailure;
use crate::qr::DisplayFailure;
use crate::store_failure::{RecordFailure, StoreFailure, through_store_failure};

/// Why a registration certificate was refused by the verifier installing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CertificateProblem {
    /// It certifies another verifier's key: ask the registrar to certify
    /// `requestSigningKey()`.
    ForAnotherKey,
    /// It has expired.
    Expired,
    /// It is not a well-formed registration certificate (damaged, truncated, not one).
    Malformed,
    /// It or one of its fields is over its limit.
    TooLarge,
    /// Its signature algorithm is not ES256.
    UnsupportedAlgorithm,
}

/// Why a trust list was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TrustListProblem {
    /// Its signature does not verify under the signer's key.
    BadSignature,
    /// It has expired.
    Expired,
    /// It is dated in the future.
    NotYetValid,
    /// It is older than the installed one.
    Rollback,
    /// Not a well-formed trust list.
    Malformed,
    /// Over a size limit.
    TooLarge,
    /// Another kind of signed document.
    WrongType,
    /// Signed with an algorithm this app does not accept.
    UnsupportedAlgorithm,
    /// A format version this app does not read.
    UnsupportedVersion,
    /// Anything else (a bug).
    Other,
}

/// Why a status list token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StatusListProblem {
    /// No trusted issuer signed it.
    UnknownSigner,
    /// A newer copy is cached.
    Older,
    /// Its signature does not verify.
    BadSignature,
    /// It has expired.
    Expired,
    /// It is dated in the future.
    NotYetValid,
    /// Not a well-formed status list token.
    Malformed,
    /// Over a size limit.
    TooLarge,
    /// Another kind of signed document.
    WrongType,
    /// Signed with an algorithm this app does not accept.
    UnsupportedAlgorithm,
    /// A number of bits per entry this app does not read.
    UnsupportedBits,
    /// Anything else (a bug).
    Other,
}

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
    #[error("trust list refused ({code:?}): {reason}")]
    TrustListRejected {
        /// Why, for the app to branch on.
        code: TrustListProblem,
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
    #[error("status list refused ({code:?}): {reason}")]
    StatusListRejected {
        /// Why, for the app to branch on.
        code: StatusListProblem,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// A registration certificate was refused by `installCertificate`.
    #[error("registration certificate refused ({problem:?}): {reason}")]
    InvalidCertificate {
        /// Why, for the app to branch on.
        problem: CertificateProblem,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// A request by certificate reference was asked for, but no registration certificate is
    /// installed.
    #[error("no registration certificate is installed: install one from the registrar first")]
    NoCertificate,
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
    /// The verifier's wallet file was changed behind its back: a trust list, status list,
    /// replay-cache entry or pending request was put back, removed or added without its key.
    /// Nothing is verified or written until the verifier is set up again (a new verifier
    /// wallet, its trust list and status lists imported again).
    #[error("the verifier's security state was tampered with: {reason}")]
    Tampered {
        /// What was found (no personal data).
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
        // The verifier's calls name no record by id.
        match RecordFailure::from(failure) {
            RecordFailure::Locked => Self::Locked,
            RecordFailure::Busy => Self::Busy,
            RecordFailure::InvalidInput(reason) => Self::InvalidInput { reason },
            RecordFailure::Storage(reason) => Self::Storage { reason },
            unexpected @ (RecordFailure::NotFound | RecordFailure::Unexpected(_)) => {
                Self::Internal {
                    reason: unexpected.unexpected_here(),
                }
            }
        }
    }
}

pub(crate) fn trust_list_code(err: &TrustListError) -> TrustListProblem {
    match err {
        TrustListError::Malformed(_) => TrustListProblem::Malformed,
        TrustListError::TooLarge(_) => TrustListProblem::TooLarge,
        TrustListError::UnsupportedAlgorithm => TrustListProblem::UnsupportedAlgorithm,
        TrustListError::UnsupportedVersion(_) => TrustListProblem::UnsupportedVersion,
        TrustListError::BadSignature | TrustListError::NonCanonicalSignature => {
            TrustListProblem::BadSignature
        }
        TrustListError::WrongType => TrustListProblem::WrongType,
        TrustListError::Expired => TrustListProblem::Expired,
        TrustListError::NotYetValid => TrustListProblem::NotYetValid,
        TrustListError::Rollback { .. } => TrustListProblem::Rollback,
        // Only the signer's side signs.
        TrustListError::Signing => TrustListProblem::Other,
    }
}

impl From<TrustListError> for VerifierError {
    fn from(err: TrustListError) -> Self {
        Self::TrustListRejected {
            code: trust_list_code(&err),
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
            TrustStoreError::Tampered(e) => e.into(),
        }
    }
}

fn status_list_code(err: &StatusListError) -> StatusListProblem {
    match err {
        StatusListError::Malformed(_) => StatusListProblem::Malformed,
        StatusListError::TooLarge(_) => StatusListProblem::TooLarge,
        StatusListError::UnsupportedAlgorithm => StatusListProblem::UnsupportedAlgorithm,
        StatusListError::BadSignature => StatusListProblem::BadSignature,
        StatusListError::WrongType => StatusListProblem::WrongType,
        StatusListError::UnsupportedBits(_) => StatusListProblem::UnsupportedBits,
        StatusListError::Expired => StatusListProblem::Expired,
        StatusListError::NotYetValid => StatusListProblem::NotYetValid,
        // Reading one entry and the issuer's side, which an import does not do.
        StatusListError::IndexOutOfRange { .. }
        | StatusListError::ValueTooLarge { .. }
        | StatusListError::Signing => StatusListProblem::Other,
    }
}

impl From<StatusCacheError> for VerifierError {
    fn from(err: StatusCacheError) -> Self {
        match err {
            StatusCacheError::Store(e) => e.into(),
            StatusCacheError::StatusList(e) => Self::StatusListRejected {
                code: status_list_code(&e),
                reason: e.to_string(),
            },
            e @ (StatusCacheError::UnknownSigner | StatusCacheError::UntrustedChain(_)) => {
                Self::StatusListRejected {
                    code: StatusListProblem::UnknownSigner,
                    reason: e.to_string(),
                }
            }
            e @ StatusCacheError::Older { .. } => Self::StatusListRejected {
                code: StatusListProblem::Older,
                reason: e.to_string(),
            },
            e @ StatusCacheError::Damaged => Self::Storage {
                reason: e.to_string(),
            },
            StatusCacheError::Tampered(e) => e.into(),
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
            e @ CoreExchangeError::CertificateForAnotherKey => Self::InvalidCertificate {
                problem: CertificateProblem::ForAnotherKey,
                reason: e.to_string(),
            },
            CoreExchangeError::Registration(e) => Self::InvalidCertificate {
                problem: match &e {
                    RegistrationError::Expired { .. } => CertificateProblem::Expired,
                    RegistrationError::TooLarge(_) => CertificateProblem::TooLarge,
                    RegistrationError::UnsupportedAlgorithm => {
                        CertificateProblem::UnsupportedAlgorithm
                    }
                    // Whom the registrar is trusted by is the holders' question, not asked
                    // when installing; these only come from a damaged certificate.
                    RegistrationError::Malformed(_)
                    | RegistrationError::UnknownRegistrar
                    | RegistrationError::BadSignature
                    | RegistrationError::NotYetValid { .. } => CertificateProblem::Malformed,
                },
                reason: e.to_string(),
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
            FieldVerifierError::NoCertificate => Self::NoCertificate,
            FieldVerifierError::TrustListExpired { sequence } => {
                Self::TrustListExpired { sequence }
            }
            FieldVerifierError::Trust(e) => e.into(),
            FieldVerifierError::Status(e) => e.into(),
            FieldVerifierError::Tampered(e) => e.into(),
        }
    }
}

impl From<SecurityStateError> for VerifierError {
    fn from(err: SecurityStateError) -> Self {
        match err {
            SecurityStateError::Store(e) => e.into(),
            e @ SecurityStateError::Tampered { .. } => Self::Tampered {
                reason: e.to_string(),
            },
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
