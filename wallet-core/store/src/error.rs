//! The store's error type: one enum, stable variants, no secrets or personal data in messages.

use laissez_crypto::CryptoError;
use laissez_crypto::mnemonic::MnemonicProblem;

use crate::platform_key::PlatformKeyError;

/// Everything that can go wrong in the wallet store.
///
/// Messages never contain a PIN, a mnemonic word, a key, a record body, a tag name or a tag
/// value: they may be logged or shown to a user.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// No file exists at the path given to `open`.
    #[error("no wallet file at this path")]
    NotFound,
    /// `create` was given a path where a file already exists; it is left untouched.
    #[error("a file already exists at this path; it was left untouched")]
    AlreadyExists,
    /// The file is not a Laissez wallet (not SQLite, or another application's database).
    #[error("not a Laissez wallet: {0}")]
    NotAWallet(String),
    /// The file is a Laissez wallet but is damaged (truncated, corrupted pages, bad key slot).
    #[error("the wallet file is damaged: {0}")]
    Corrupted(String),
    /// The file was written by a newer Laissez than this one.
    #[error("wallet format version {found} is newer than this app supports (up to {supported})")]
    UnsupportedVersion {
        /// The file's schema version.
        found: u32,
        /// The newest schema version this build understands.
        supported: u32,
    },
    /// The PIN did not unlock the wallet. The failure is recorded before the check runs.
    #[error(
        "wrong PIN: {attempts_left} attempts left before delays, next try in {retry_after_secs} s"
    )]
    WrongPin {
        /// Attempts left before each further attempt must wait.
        attempts_left: u32,
        /// Seconds to wait before the next attempt is accepted (0 when none).
        retry_after_secs: u64,
    },
    /// Too many wrong PINs: no attempt is accepted before the delay has passed.
    #[error("too many wrong PINs: try again in {retry_after_secs} s")]
    PinLockedOut {
        /// Seconds until the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// The PIN does not meet the rules (length).
    #[error("invalid PIN: {0}")]
    InvalidPin(String),
    /// The recovery phrase is not a valid BIP39 mnemonic.
    #[error("invalid mnemonic: {0}")]
    InvalidMnemonic(MnemonicProblem),
    /// A valid mnemonic, but not this wallet's.
    #[error("this recovery phrase does not belong to this wallet")]
    MnemonicMismatch,
    /// The operation needs the wallet unlocked.
    #[error("the wallet is locked")]
    Locked,
    /// No record with that id.
    #[error("record not found")]
    RecordNotFound,
    /// A stored record failed authentication: altered, corrupted or moved from another row.
    #[error("record {id} failed its integrity check")]
    RecordIntegrity {
        /// The record's id (hex); ids are random and reveal nothing.
        id: String,
    },
    /// Bad input from the caller (sizes, formats, ids).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The platform key (Android Keystore / Secure Enclave) refused or failed.
    #[error("platform key: {0}")]
    PlatformKey(#[from] PlatformKeyError),
    /// The database is busy in another process or thread beyond the timeout.
    #[error("the wallet file is busy (used by another process)")]
    Busy,
    /// Disk or file-system failure (including a full disk).
    #[error("storage failure: {0}")]
    Storage(String),
}

/// Result alias for the store.
pub type StoreResult<T> = Result<T, StoreError>;

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => {
                StoreError::Corrupted("the database reports corrupted pages".into())
            }
            Some(ErrorCode::NotADatabase) => {
                StoreError::NotAWallet("not an SQLite database".into())
            }
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DiskFull) => StoreError::Storage("the disk is full".into()),
            Some(ErrorCode::ReadOnly) => StoreError::Storage("the file is read-only".into()),
            Some(ErrorCode::CannotOpen) => StoreError::Storage("the file cannot be opened".into()),
            Some(ErrorCode::SystemIoFailure) => StoreError::Storage("I/O error".into()),
            // SQLite's own messages name tables and statements, never bound values.
            _ => StoreError::Storage(format!("database error: {err}")),
        }
    }
}

impl From<CryptoError> for StoreError {
    fn from(err: CryptoError) -> Self {
        match err {
            CryptoError::InvalidMnemonic(problem) => StoreError::InvalidMnemonic(problem),
            CryptoError::InvalidParameters(why) => StoreError::InvalidInput(why),
            other => StoreError::Storage(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(err: std::io::Error) -> Self {
        StoreError::Storage(format!("I/O error: {}", err.kind()))
    }
}
