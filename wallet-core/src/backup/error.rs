//! Why a backup could not be made, read or restored. Every variant leaves the target wallet
//! as it was: a restore writes all its records in one transaction or none.

use laissez_store::StoreError;

/// A backup failure.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The wallet's store failed (locked, disk, damage).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Not a Laissez backup at all (wrong magic bytes).
    #[error("this is not a Laissez backup")]
    NotABackup,
    /// Made by a newer Laissez, in a format this version cannot read.
    #[error("this backup is in format version {0}, newer than this app reads (1); update the app")]
    UnsupportedVersion(u8),
    /// A format version no Laissez writes (0, before the first): damaged, or not from Laissez.
    #[error(
        "this backup claims format version {0}, which no Laissez app writes: it is damaged or \
         not a Laissez backup"
    )]
    UnknownVersion(u8),
    /// Shorter than its own header says: cut off in a copy or a transfer.
    #[error("the backup is truncated")]
    Truncated,
    /// Its bytes were altered or damaged (the authentication check failed).
    #[error("the backup is damaged or was altered")]
    Damaged,
    /// The 24 words are valid but belong to another wallet than the one that made the backup.
    #[error("this backup was made by a wallet with other 24 words")]
    OtherWallet,
    /// Over a documented size limit.
    #[error("the backup is too large: {0}")]
    TooLarge(&'static str),
}

impl From<laissez_crypto::CryptoError> for BackupError {
    /// A failing primitive is a failure of the wallet's store, as before the crates split.
    fn from(err: laissez_crypto::CryptoError) -> Self {
        Self::Store(err.into())
    }
}

/// Result alias.
pub type BackupResult<T> = Result<T, BackupError>;
