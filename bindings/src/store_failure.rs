//! The one classification of the store's failures. Every area error (`WalletError`,
//! `BackupError`, `CredentialError`, `ExchangeError`, `VerifierError`) builds from a
//! [`StoreFailure`], never from a `StoreError` directly, so the same store failure means the
//! same thing in every area: `Busy` is `Busy` everywhere, refused input is `InvalidInput`
//! everywhere, a damaged file is `Storage` (or, in the wallet area, its finer variant).
//!
//! The match over `StoreError` below has no wildcard arm: a new `StoreError` variant is a
//! compile error here, and only here. Each area's match over `StoreFailure` has no wildcard
//! either; a failure that cannot come out of an area's calls is named there and reported as
//! `Internal` (a bug), rather than silently.

use wallet_core::StoreError;
use wallet_core::mnemonic::MnemonicProblem;

use crate::platform_key::PlatformKeyProblem;

/// What a store failure means to an app, whichever area's call it came out of.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreFailure {
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// Another process or thread holds the wallet file beyond the timeout: try again.
    #[error("the wallet file is busy")]
    Busy,
    /// A file already exists where a wallet was to be created; it was left untouched.
    #[error("a file already exists at this path; it was left untouched")]
    AlreadyExists,
    /// No record with the id given.
    #[error("record not found")]
    RecordNotFound,
    /// Wrong PIN; the attempt was counted.
    #[error("wrong PIN: {attempts_left} attempts left before delays")]
    WrongPin {
        attempts_left: u32,
        retry_after_secs: u64,
    },
    /// Too many wrong PINs.
    #[error("too many wrong PINs: try again in {retry_after_secs} s")]
    PinLockedOut { retry_after_secs: u64 },
    /// A new PIN that does not meet the rules.
    #[error("invalid PIN: {0}")]
    InvalidPin(String),
    /// Not a valid recovery phrase.
    #[error("invalid recovery phrase: {reason}")]
    InvalidMnemonic {
        reason: String,
        word_position: Option<u32>,
    },
    /// A valid recovery phrase of another wallet.
    #[error("this recovery phrase does not belong to this wallet")]
    MnemonicMismatch,
    /// The platform key failed or is missing.
    #[error("platform key: {reason}")]
    PlatformKey {
        problem: PlatformKeyProblem,
        reason: String,
    },
    /// The store refused the caller's input (a size over its limits, a malformed id).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The wallet file is missing, foreign, damaged or too new, or the disk failed.
    #[error(transparent)]
    File(FileFailure),
}

/// What is wrong with the wallet file or the disk under it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileFailure {
    /// No wallet file at the path.
    #[error("no wallet file at this path")]
    NotFound,
    /// Not a Laissez wallet.
    #[error("not a Laissez wallet: {0}")]
    NotAWallet(String),
    /// A Laissez wallet, damaged.
    #[error("the wallet file is damaged: {0}")]
    Corrupted(String),
    /// Written by a newer Laissez.
    #[error("wallet format version {found} is newer than this app supports (up to {supported})")]
    UnsupportedVersion { found: u32, supported: u32 },
    /// One record failed its integrity check; the others are fine.
    #[error("record {record_id} failed its integrity check")]
    RecordIntegrity { record_id: String },
    /// Disk or file-system failure.
    #[error("storage failure: {0}")]
    Disk(String),
}

impl From<StoreError> for StoreFailure {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Locked => Self::Locked,
            StoreError::Busy => Self::Busy,
            StoreError::AlreadyExists => Self::AlreadyExists,
            StoreError::RecordNotFound => Self::RecordNotFound,
            StoreError::WrongPin {
                attempts_left,
                retry_after_secs,
            } => Self::WrongPin {
                attempts_left,
                retry_after_secs,
            },
            StoreError::PinLockedOut { retry_after_secs } => {
                Self::PinLockedOut { retry_after_secs }
            }
            StoreError::InvalidPin(reason) => Self::InvalidPin(reason),
            StoreError::InvalidMnemonic(problem) => Self::InvalidMnemonic {
                word_position: match problem {
                    MnemonicProblem::UnknownWord(position) => u32::try_from(position).ok(),
                    _ => None,
                },
                reason: problem.to_string(),
            },
            StoreError::MnemonicMismatch => Self::MnemonicMismatch,
            StoreError::PlatformKey(err) => Self::PlatformKey {
                problem: PlatformKeyProblem::of(&err),
                reason: err.to_string(),
            },
            StoreError::InvalidInput(reason) => Self::InvalidInput(reason),
            StoreError::NotFound => Self::File(FileFailure::NotFound),
            StoreError::NotAWallet(reason) => Self::File(FileFailure::NotAWallet(reason)),
            StoreError::Corrupted(reason) => Self::File(FileFailure::Corrupted(reason)),
            StoreError::UnsupportedVersion { found, supported } => {
                Self::File(FileFailure::UnsupportedVersion { found, supported })
            }
            StoreError::RecordIntegrity { id } => {
                Self::File(FileFailure::RecordIntegrity { record_id: id })
            }
            StoreError::Storage(reason) => Self::File(FileFailure::Disk(reason)),
        }
    }
}

/// A store failure as an area that only reads and writes records sees it (credentials,
/// identity cards, issuance, the verifier, the demo keys): such an area opens no wallet and takes
/// no PIN, recovery words or platform key, so those failures can only be a bug there. The list
/// of what cannot happen lives here once; each area maps the six cases to its own variants.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RecordFailure {
    #[error("the wallet is locked")]
    Locked,
    #[error("the wallet file is busy")]
    Busy,
    #[error("record not found")]
    NotFound,
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The wallet file or the disk ([`FileFailure`]'s message).
    #[error("{0}")]
    Storage(String),
    /// A failure a record area cannot cause: "unexpected here: ..." with the failure.
    #[error("{0}")]
    Unexpected(String),
}

impl RecordFailure {
    /// The reason an area gives as `Internal` for a case it does not have of its own.
    pub(crate) fn unexpected_here(&self) -> String {
        match self {
            Self::Unexpected(reason) => reason.clone(),
            other => format!("unexpected here: {other}"),
        }
    }
}

impl From<StoreFailure> for RecordFailure {
    fn from(failure: StoreFailure) -> Self {
        match failure {
            StoreFailure::Locked => Self::Locked,
            StoreFailure::Busy => Self::Busy,
            StoreFailure::RecordNotFound => Self::NotFound,
            StoreFailure::InvalidInput(reason) => Self::InvalidInput(reason),
            StoreFailure::File(file) => Self::Storage(file.to_string()),
            failure @ (StoreFailure::AlreadyExists
            | StoreFailure::WrongPin { .. }
            | StoreFailure::PinLockedOut { .. }
            | StoreFailure::InvalidPin(_)
            | StoreFailure::InvalidMnemonic { .. }
            | StoreFailure::MnemonicMismatch
            | StoreFailure::PlatformKey { .. }) => {
                Self::Unexpected(format!("unexpected here: {failure}"))
            }
        }
    }
}

/// `From<StoreError>` and `From<CryptoError>` for an area error that has `From<StoreFailure>`:
/// both go through the one classification.
macro_rules! through_store_failure {
    ($area:ty) => {
        impl From<wallet_core::StoreError> for $area {
            fn from(err: wallet_core::StoreError) -> Self {
                crate::store_failure::StoreFailure::from(err).into()
            }
        }

        impl From<wallet_core::crypto::CryptoError> for $area {
            fn from(err: wallet_core::crypto::CryptoError) -> Self {
                wallet_core::StoreError::from(err).into()
            }
        }
    };
}

pub(crate) use through_store_failure;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BackupError, CredentialError, ExchangeError, VerifierError, WalletError};

    #[test]
    fn busy_and_refused_input_mean_the_same_in_every_area() {
        assert!(matches!(
            WalletError::from(StoreError::Busy),
            WalletError::Busy
        ));
        assert!(matches!(
            BackupError::from(StoreError::Busy),
            BackupError::Busy
        ));
        assert!(matches!(
            CredentialError::from(StoreError::Busy),
            CredentialError::Busy
        ));
        assert!(matches!(
            ExchangeError::from(StoreError::Busy),
            ExchangeError::Busy
        ));
        assert!(matches!(
            VerifierError::from(StoreError::Busy),
            VerifierError::Busy
        ));
        let refused = || StoreError::InvalidInput("a tag over 256 bytes".into());
        assert!(matches!(
            WalletError::from(refused()),
            WalletError::InvalidInput { .. }
        ));
        assert!(matches!(
            BackupError::from(refused()),
            BackupError::InvalidInput { .. }
        ));
        assert!(matches!(
            CredentialError::from(refused()),
            CredentialError::InvalidInput { .. }
        ));
        assert!(matches!(
            ExchangeError::from(refused()),
            ExchangeError::InvalidInput { .. }
        ));
        assert!(matches!(
            VerifierError::from(refused()),
            VerifierError::InvalidInput { .. }
        ));
    }

    #[test]
    fn a_damaged_file_is_storage_outside_the_wallet_area() {
        let damaged = || StoreError::Corrupted("bad page".into());
        assert!(matches!(
            WalletError::from(damaged()),
            WalletError::Corrupted { .. }
        ));
        for reason in [
            match BackupError::from(damaged()) {
                BackupError::Storage { reason } => reason,
                other => panic!("{other:?}"),
            },
            match VerifierError::from(damaged()) {
                VerifierError::Storage { reason } => reason,
                other => panic!("{other:?}"),
            },
        ] {
            assert_eq!(reason, "the wallet file is damaged: bad page");
        }
    }
}
