//! The public error of backup and restore, and the one place that maps the core's errors onto
//! it. No word of the recovery phrase, PIN, key or record content ever reaches a message.

use wallet_core::backup::{BackupError as CoreBackupError, format};

use crate::blocking::PoolFailure;
use crate::platform_key::PlatformKeyProblem;
use crate::qr::DisplayFailure;
use crate::store_failure::{StoreFailure, through_store_failure};

/// Errors of backup and restore.
///
/// Variants are stable: apps may branch on them. Every failure leaves things as they were: a
/// restore writes all its records in one transaction or none, and `restoreWallet` leaves no
/// file behind. Messages are for people and logs and never contain a word of the recovery
/// phrase, a PIN, a key or a record's content.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum BackupError {
    /// The recovery phrase is not a valid one (not 24 words, a word not in the list, or a
    /// checksum that does not match: a word is mistyped or out of order). Ask the person to
    /// check the words.
    #[error("invalid recovery phrase: {reason}")]
    InvalidMnemonic {
        /// What is wrong, by word position, never by word.
        reason: String,
        /// The 1-based position of a word that is not in the list, when that is the problem.
        word_position: Option<u32>,
    },
    /// A valid recovery phrase, but of another wallet than the one that made the backup (or,
    /// for `Wallet.restoreBackup`, this wallet was made from other words).
    #[error("this backup was made by a wallet with other 24 words")]
    OtherWallet,
    /// Not a Laissez backup at all.
    #[error("this is not a Laissez backup")]
    NotABackup,
    /// Made by a newer Laissez, in a format this version cannot read: update the app.
    #[error(
        "this backup is in format version {version}, newer than this app reads ({supported}); update the app"
    )]
    UnsupportedVersion {
        /// The backup's format version.
        version: u8,
        /// The newest version this app reads.
        supported: u8,
    },
    /// Shorter than it says: cut off in a copy or a transfer.
    #[error("the backup is truncated")]
    Truncated,
    /// Its bytes were altered or damaged (the authentication check failed).
    #[error("the backup is damaged or was altered")]
    Damaged,
    /// Over a documented size limit.
    #[error("the backup is too large: {reason}")]
    TooLarge {
        /// Which limit.
        reason: String,
    },
    /// A scanned message of another kind than a backup (a verifier's request, a trust list…).
    #[error("this QR code is not a backup (it is a {kind} message)")]
    WrongMessageKind {
        /// The message's kind, snake_case (`verifier_request`, `trust_list`…).
        kind: String,
    },
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// A file already exists where the restored wallet was to be created; it was left
    /// untouched.
    #[error("a file already exists at this path; it was left untouched")]
    AlreadyExists,
    /// The new PIN does not meet the rules.
    #[error("invalid PIN: {reason}")]
    InvalidPin {
        /// Which rule.
        reason: String,
    },
    /// The platform key (Keystore / Secure Enclave) given in the options failed.
    #[error("platform key: {reason}")]
    PlatformKey {
        /// What went wrong: the person cancelled, the key was invalidated (recover with the
        /// 24 words), is unavailable for now, was not given, or something else.
        problem: PlatformKeyProblem,
        /// The platform's explanation.
        reason: String,
    },
    /// The frame options are out of range.
    #[error("invalid frame options: {reason}")]
    InvalidFrameOptions {
        /// Which option.
        reason: String,
    },
    /// The backup could not be drawn as QR codes.
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
    /// The wallet file could not be created, read or written (damaged, disk).
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

through_store_failure!(BackupError);

impl From<StoreFailure> for BackupError {
    fn from(failure: StoreFailure) -> Self {
        match failure {
            StoreFailure::Locked => Self::Locked,
            StoreFailure::Busy => Self::Busy,
            StoreFailure::AlreadyExists => Self::AlreadyExists,
            StoreFailure::InvalidPin(reason) => Self::InvalidPin { reason },
            StoreFailure::InvalidMnemonic {
                reason,
                word_position,
            } => Self::InvalidMnemonic {
                reason,
                word_position,
            },
            StoreFailure::MnemonicMismatch => Self::OtherWallet,
            StoreFailure::PlatformKey { problem, reason } => Self::PlatformKey { problem, reason },
            StoreFailure::InvalidInput(reason) => Self::InvalidInput { reason },
            StoreFailure::File(file) => Self::Storage {
                reason: file.to_string(),
            },
            // Backup and restore unlock nothing and name no record.
            failure @ (StoreFailure::RecordNotFound
            | StoreFailure::WrongPin { .. }
            | StoreFailure::PinLockedOut { .. }) => Self::Internal {
                reason: format!("unexpected here: {failure}"),
            },
        }
    }
}

impl From<CoreBackupError> for BackupError {
    fn from(err: CoreBackupError) -> Self {
        match err {
            CoreBackupError::Store(e) => e.into(),
            CoreBackupError::NotABackup => Self::NotABackup,
            CoreBackupError::UnsupportedVersion(version) => Self::UnsupportedVersion {
                version,
                supported: format::VERSION,
            },
            CoreBackupError::Truncated => Self::Truncated,
            // Version 0 was never written: the version byte itself is damaged.
            CoreBackupError::Damaged | CoreBackupError::UnknownVersion(_) => Self::Damaged,
            CoreBackupError::OtherWallet => Self::OtherWallet,
            CoreBackupError::TooLarge(what) => Self::TooLarge {
                reason: format!("{what} over the size limit"),
            },
        }
    }
}

impl From<DisplayFailure> for BackupError {
    fn from(failure: DisplayFailure) -> Self {
        match failure {
            DisplayFailure::BadOptions(reason) => Self::InvalidFrameOptions { reason },
            DisplayFailure::Encoding(reason) => Self::Encoding { reason },
        }
    }
}

impl From<PoolFailure> for BackupError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
