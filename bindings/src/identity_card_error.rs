//! The public error of identity cards kept in the wallet (MOSIP Claim 169 codes), and the one
//! place that maps the core's errors onto it. No field of a card ever reaches a message.

use wallet_core::verifier::trust_store::TrustStoreError;
use wallet_core::wallet::claim169_cards::CardError;

use crate::blocking::PoolFailure;
use crate::qr::DisplayFailure;
use crate::store_failure::{RecordFailure, StoreFailure, through_store_failure};

/// Errors of kept identity cards.
///
/// Variants are stable: apps may branch on them.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum IdentityCardError {
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// The scanned text is not a readable Claim 169 code (damaged, cut off, another kind of
    /// code).
    #[error("not a readable identity card code: {reason}")]
    Unreadable {
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// The code carries no signature: nobody could ever check it, so it is not kept.
    #[error("the card's code is not signed: it cannot be verified by anyone")]
    Unsigned,
    /// The code is encrypted with a key only the issuer's own verifiers hold.
    #[error("the card's code is encrypted: only the issuer's verifiers can read it")]
    Encrypted,
    /// This card is in the wallet already.
    #[error("this card is in the wallet already")]
    AlreadyKept,
    /// No kept card with that id.
    #[error("card not found")]
    NotFound,
    /// The code could not be drawn (frame options out of range).
    #[error("could not draw the card's code: {reason}")]
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

through_store_failure!(IdentityCardError);

impl From<StoreFailure> for IdentityCardError {
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

impl From<CardError> for IdentityCardError {
    fn from(err: CardError) -> Self {
        match err {
            CardError::Unreadable(e) => Self::Unreadable {
                reason: e.to_string(),
            },
            CardError::Unsigned => Self::Unsigned,
            CardError::Encrypted => Self::Encrypted,
            CardError::AlreadyKept => Self::AlreadyKept,
            CardError::NotFound => Self::NotFound,
            e @ CardError::Damaged => Self::Storage {
                reason: e.to_string(),
            },
            CardError::TrustList(TrustStoreError::Store(e)) | CardError::Store(e) => e.into(),
            CardError::TrustList(e) => Self::Storage {
                reason: format!("the wallet's trust list: {e}"),
            },
        }
    }
}

impl From<DisplayFailure> for IdentityCardError {
    fn from(failure: DisplayFailure) -> Self {
        match failure {
            DisplayFailure::BadOptions(reason) | DisplayFailure::Encoding(reason) => {
                Self::Encoding { reason }
            }
        }
    }
}

impl From<PoolFailure> for IdentityCardError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
