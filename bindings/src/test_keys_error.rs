//! The public error of test keys kept in a wallet, and the one place that maps the core's
//! errors onto it. No key ever reaches a message.

use wallet_core::issuer::TestKeysError as CoreError;

use crate::blocking::PoolFailure;
use crate::store_failure::{RecordFailure, StoreFailure, through_store_failure};

/// Errors keeping test keys in a wallet or getting them back.
///
/// Variants are stable: apps may branch on them.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TestKeysError {
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// The kept keys are damaged or of a newer format: keep a new set over them.
    #[error("the kept test keys are unreadable: {reason}")]
    Unreadable {
        /// What is wrong (never a key).
        reason: String,
    },
    /// Another process holds the wallet file beyond the timeout: try again.
    #[error("the wallet file is busy")]
    Busy,
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

through_store_failure!(TestKeysError);

impl From<StoreFailure> for TestKeysError {
    fn from(failure: StoreFailure) -> Self {
        // Keeping keys takes no id and writes a record well within the store's limits.
        match RecordFailure::from(failure) {
            RecordFailure::Locked => Self::Locked,
            RecordFailure::Busy => Self::Busy,
            RecordFailure::Storage(reason) => Self::Storage { reason },
            unexpected @ (RecordFailure::NotFound
            | RecordFailure::InvalidInput(_)
            | RecordFailure::Unexpected(_)) => Self::Internal {
                reason: unexpected.unexpected_here(),
            },
        }
    }
}

impl From<CoreError> for TestKeysError {
    fn from(err: CoreError) -> Self {
        match err {
            e @ CoreError::Unreadable(_) => Self::Unreadable {
                reason: e.to_string(),
            },
            e @ CoreError::Unencodable(_) => Self::Internal {
                reason: e.to_string(),
            },
            CoreError::Store(e) => e.into(),
        }
    }
}

impl From<PoolFailure> for TestKeysError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
