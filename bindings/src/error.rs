//! The public error of the wallet area: stable variants apps can branch on, and the one place
//! that maps the core's errors onto them. No secret or claim value ever reaches a message.

use crate::blocking::PoolFailure;
use crate::platform_key::PlatformKeyProblem;
use crate::store_failure::{FileFailure, StoreFailure, through_store_failure};

/// Errors of the wallet and its record store.
///
/// Variants are stable: apps may branch on them. Messages are for people and logs and never
/// contain a PIN, a word of the recovery phrase, a key or a record's content.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum WalletError {
    /// No wallet file at this path.
    #[error("no wallet file at this path")]
    NotFound,
    /// A file already exists where a new wallet was to be created; it was left untouched.
    #[error("a file already exists at this path; it was left untouched")]
    AlreadyExists,
    /// The file is not a Laissez wallet.
    #[error("not a Laissez wallet: {reason}")]
    NotAWallet {
        /// What the file looks like instead.
        reason: String,
    },
    /// The wallet file is damaged; it was left as it is. Restore from a backup or recover.
    #[error("the wallet file is damaged: {reason}")]
    Corrupted {
        /// What is damaged.
        reason: String,
    },
    /// The file was written by a newer version of the app.
    #[error("wallet format version {found} is newer than this app supports (up to {supported})")]
    UnsupportedVersion {
        /// The file's version.
        found: u32,
        /// The newest version this app reads.
        supported: u32,
    },
    /// Wrong PIN. The attempt was counted.
    #[error("wrong PIN: {attempts_left} attempts left before delays")]
    WrongPin {
        /// Attempts left before each further attempt must wait.
        attempts_left: u32,
        /// Seconds before the next attempt is accepted (0 when none).
        retry_after_secs: u64,
    },
    /// Too many wrong PINs: wait, or recover with the 24 words.
    #[error("too many wrong PINs: try again in {retry_after_secs} s")]
    PinLockedOut {
        /// Seconds before the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// The new PIN does not meet the rules.
    #[error("invalid PIN: {reason}")]
    InvalidPin {
        /// Which rule.
        reason: String,
    },
    /// The recovery phrase is not valid (count, unknown word, checksum).
    #[error("invalid recovery phrase: {reason}")]
    InvalidMnemonic {
        /// What is wrong, by word position, never by word.
        reason: String,
        /// The 1-based position of an unknown word, when that is the problem.
        word_position: Option<u32>,
    },
    /// A valid recovery phrase, but of another wallet.
    #[error("this recovery phrase does not belong to this wallet")]
    MnemonicMismatch,
    /// The wallet is locked.
    #[error("the wallet is locked")]
    Locked,
    /// No record with that id.
    #[error("record not found")]
    RecordNotFound,
    /// A record failed its integrity check (altered or corrupted); other records are fine.
    #[error("record {record_id} failed its integrity check")]
    RecordIntegrity {
        /// The record's random id.
        record_id: String,
    },
    /// Bad input: sizes, formats, ids.
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
    /// The platform key (Keystore / Secure Enclave) failed or is missing.
    #[error("platform key: {reason}")]
    PlatformKey {
        /// What went wrong: the person cancelled, the key was invalidated (recover with the
        /// 24 words), is unavailable for now, was not given, or something else.
        problem: PlatformKeyProblem,
        /// The platform's explanation.
        reason: String,
    },
    /// The file is in use by another process.
    #[error("the wallet file is busy")]
    Busy,
    /// Disk or file-system failure.
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

through_store_failure!(WalletError);

impl From<StoreFailure> for WalletError {
    fn from(failure: StoreFailure) -> Self {
        match failure {
            StoreFailure::Locked => Self::Locked,
            StoreFailure::Busy => Self::Busy,
            StoreFailure::AlreadyExists => Self::AlreadyExists,
            StoreFailure::RecordNotFound => Self::RecordNotFound,
            StoreFailure::WrongPin {
                attempts_left,
                retry_after_secs,
            } => Self::WrongPin {
                attempts_left,
                retry_after_secs,
            },
            StoreFailure::PinLockedOut { retry_after_secs } => {
                Self::PinLockedOut { retry_after_secs }
            }
            StoreFailure::InvalidPin(reason) => Self::InvalidPin { reason },
            StoreFailure::InvalidMnemonic {
                reason,
                word_position,
            } => Self::InvalidMnemonic {
                reason,
                word_position,
            },
            StoreFailure::MnemonicMismatch => Self::MnemonicMismatch,
            StoreFailure::PlatformKey { problem, reason } => Self::PlatformKey { problem, reason },
            StoreFailure::InvalidInput(reason) => Self::InvalidInput { reason },
            StoreFailure::File(FileFailure::NotFound) => Self::NotFound,
            StoreFailure::File(FileFailure::NotAWallet(reason)) => Self::NotAWallet { reason },
            StoreFailure::File(FileFailure::Corrupted(reason)) => Self::Corrupted { reason },
            StoreFailure::File(FileFailure::UnsupportedVersion { found, supported }) => {
                Self::UnsupportedVersion { found, supported }
            }
            StoreFailure::File(FileFailure::RecordIntegrity { record_id }) => {
                Self::RecordIntegrity { record_id }
            }
            StoreFailure::File(FileFailure::Disk(reason)) => Self::Storage { reason },
        }
    }
}

impl From<PoolFailure> for WalletError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
