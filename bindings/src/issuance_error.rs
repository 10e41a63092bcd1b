//! The public error of offline issuance (the holder's offer, proof and batch; the test desk),
//! and the one place that maps the core's `IssuanceError` onto it. No claim value, key or
//! secret ever reaches a message.

use wallet_core::issuance::IssuanceError as CoreError;
use wallet_core::verifier::security_state::SecurityStateError;
use wallet_core::verifier::trust_store::TrustStoreError;
use wallet_core::wallet::CredentialError as CoreCredentialError;

use crate::blocking::PoolFailure;
use crate::credential_error::CredentialError;
use crate::credential_problem::CredentialProblem;
use crate::qr::DisplayFailure;
use crate::store_failure::{RecordFailure, StoreFailure, through_store_failure};
use crate::verifier_error::{TrustListProblem, trust_list_code};

/// Errors of offline issuance over QR codes: reading and accepting an offer, receiving the
/// batch, the holder's issuer trust list, and (test desk) making offers and delivering.
///
/// Variants are stable: apps may branch on them. Messages are for people and logs and never
/// contain a claim value, a key or a PIN. Every refusal leaves the wallet as it was.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum IssuanceError {
    /// The wallet is locked: unlock it first.
    #[error("the wallet is locked")]
    Locked,
    /// A Laissez QR message of another kind than the one expected (a verifier's request
    /// given as an offer, …).
    #[error("this QR code is not {expected}")]
    WrongMessage {
        /// What was expected (`an issuance offer`, `an issued batch`, …).
        expected: String,
    },
    /// The QR codes could not be read: bad text, frames of two messages, altered frames.
    #[error("unreadable QR codes: {reason}")]
    UnreadableCodes {
        /// What is wrong.
        reason: String,
    },
    /// The offer, proof or batch is not well-formed.
    #[error("malformed message: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// A message format version this build does not read: update the app.
    #[error("offline issuance format version {version} is not supported")]
    UnsupportedVersion {
        /// The message's version.
        version: u64,
    },
    /// The offer is signed with an algorithm issuers may not use.
    #[error("the offer is signed with an unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The offer carries no issuer certificate.
    #[error("the offer carries no issuer certificate")]
    NoSignerCertificate,
    /// The offer's signature does not verify: altered, or not the issuer's.
    #[error("the offer's signature does not verify")]
    BadOfferSignature,
    /// The offer (or this wallet's acceptance of it) has expired: ask the desk for a new one.
    #[error("the offer has expired; ask the desk for a new one")]
    OfferExpired,
    /// The offer's issuer certificate path was refused (expired, not yet valid, not allowed
    /// to sign, …).
    #[error("the offer's issuer certificate was refused: {reason}")]
    IssuerCertificate {
        /// Why.
        reason: String,
    },
    /// Desk: the proof answers an offer this desk did not make (or no longer keeps).
    #[error("the proof answers an offer this desk did not make")]
    UnknownOffer,
    /// Desk: the proof carries another nonce than the offer's.
    #[error("the proof is for another nonce than the offer's")]
    WrongNonce,
    /// Desk: the offer was already answered with a batch: make a new offer.
    #[error("this offer was already used; make a new offer")]
    OfferAlreadyUsed,
    /// Desk: a proof of possession does not verify.
    #[error("the proof of possession of key {index} does not verify")]
    BadProofSignature {
        /// The key's position in the proof (0-based).
        index: u32,
    },
    /// Desk: two keys of the proof are the same.
    #[error("the proof names the same holder key twice")]
    DuplicateKey,
    /// Desk: the proof has no keys, or more than the offer allows.
    #[error("the proof carries {got} holder keys; the offer allows 1 to {allowed}")]
    WrongKeyCount {
        /// Keys in the proof.
        got: u32,
        /// The offer's batch size.
        allowed: u32,
    },
    /// The batch answers no offer pending in this wallet (never accepted here, already
    /// received, or its acceptance expired).
    #[error("this batch answers no offer pending in this wallet")]
    NoPendingOffer,
    /// The batch does not decrypt: altered, or sealed to another wallet.
    #[error("the batch does not decrypt: it was altered or is not for this wallet")]
    Undecryptable,
    /// A copy is bound to a key this wallet did not prove for this offer.
    #[error("copy {index} is bound to a key this wallet did not offer")]
    CopyForUnknownKey {
        /// The copy's position in the batch (0-based).
        index: u32,
    },
    /// Two copies of the batch are bound to the same key.
    #[error("two copies of the batch are bound to the same key")]
    DuplicateCopy,
    /// The batch does not hold one copy per proved key.
    #[error("the batch holds {got} copies; {expected} were expected")]
    MissingCopies {
        /// Keys proved.
        expected: u32,
        /// Copies received.
        got: u32,
    },
    /// A copy is not of the offered format and type, or not from the offer's signer.
    #[error("copy {index} is not the credential offered")]
    NotTheOfferedCredential {
        /// The copy's position in the batch (0-based).
        index: u32,
    },
    /// A copy was refused by the wallet's import checks (signature, validity, binding…).
    #[error("a copy was refused ({code:?}): {reason}")]
    CredentialRefused {
        /// Which check failed, when it is one of the credential checks.
        code: Option<CredentialProblem>,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// The credential is already in the wallet.
    #[error("this credential is already in the wallet")]
    AlreadyImported,
    /// No issuer trust list is pinned yet and no signer key was given: the first import
    /// needs the signer's public key.
    #[error("no issuer trust-list signer is pinned yet: give the signer's key with the first list")]
    NoPinnedSigner,
    /// The given signer key is not the one pinned at the first import.
    #[error("another issuer trust-list signer ({pinned_fingerprint}) is pinned in this wallet")]
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
    /// The issuer trust list was refused (signature, expiry, rollback, malformed…).
    #[error("issuer trust list refused ({code:?}): {reason}")]
    TrustListRejected {
        /// Why, for the app to branch on.
        code: TrustListProblem,
        /// What is wrong, for people and logs.
        reason: String,
    },
    /// The wallet file was changed behind the wallet's back (its trust list put back or
    /// removed).
    #[error("the wallet file was tampered with: {reason}")]
    Tampered {
        /// What was found.
        reason: String,
    },
    /// Desk: its offer ledger is damaged.
    #[error("the desk's offer ledger is damaged")]
    DamagedLedger,
    /// Desk: issuing failed (bad claims, batch size or validity out of range…).
    #[error("issuance failed: {reason}")]
    IssueFailed {
        /// What failed.
        reason: String,
    },
    /// A cryptographic operation failed (randomness, key agreement).
    #[error("crypto failure: {reason}")]
    Crypto {
        /// Which operation.
        reason: String,
    },
    /// The frame options are out of range.
    #[error("invalid frame options: {reason}")]
    InvalidFrameOptions {
        /// Which option.
        reason: String,
    },
    /// The message could not be drawn as QR codes.
    #[error("could not draw the QR codes: {reason}")]
    Encoding {
        /// Why.
        reason: String,
    },
    /// Another process holds the wallet file beyond the timeout: try again.
    #[error("the wallet file is busy")]
    Busy,
    /// The caller's input or the store's limits (a malformed value, a size over the limits).
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

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<CoreError> for IssuanceError {
    fn from(err: CoreError) -> Self {
        match err {
            e @ CoreError::Qr(_) => Self::UnreadableCodes {
                reason: e.to_string(),
            },
            CoreError::WrongMessage(expected) => Self::WrongMessage {
                expected: expected.into(),
            },
            CoreError::Malformed(what) => Self::Malformed {
                reason: what.into(),
            },
            CoreError::UnsupportedVersion(version) => Self::UnsupportedVersion { version },
            CoreError::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
            CoreError::NoSignerCertificate => Self::NoSignerCertificate,
            CoreError::BadOfferSignature => Self::BadOfferSignature,
            CoreError::OfferExpired => Self::OfferExpired,
            CoreError::IssuerCertificate(path) => Self::IssuerCertificate {
                reason: path.to_string(),
            },
            CoreError::UnknownOffer => Self::UnknownOffer,
            CoreError::WrongNonce => Self::WrongNonce,
            CoreError::OfferAlreadyUsed => Self::OfferAlreadyUsed,
            CoreError::BadProofSignature { index } => Self::BadProofSignature {
                index: count(index),
            },
            CoreError::DuplicateKey => Self::DuplicateKey,
            CoreError::WrongKeyCount { got, allowed } => Self::WrongKeyCount {
                got: count(got),
                allowed,
            },
            CoreError::NoPendingOffer => Self::NoPendingOffer,
            CoreError::Undecryptable => Self::Undecryptable,
            CoreError::CopyForUnknownKey { index } => Self::CopyForUnknownKey {
                index: count(index),
            },
            CoreError::DuplicateCopy => Self::DuplicateCopy,
            CoreError::MissingCopies { expected, got } => Self::MissingCopies {
                expected: count(expected),
                got: count(got),
            },
            CoreError::NotTheOfferedCredential { index } => Self::NotTheOfferedCredential {
                index: count(index),
            },
            CoreError::Credential(e) => e.into(),
            CoreError::Store(e) => e.into(),
            CoreError::DamagedLedger => Self::DamagedLedger,
            CoreError::Issue(reason) => Self::IssueFailed { reason },
            CoreError::Crypto(what) => Self::Crypto {
                reason: what.into(),
            },
            CoreError::IssuerTrust(e) => e.into(),
        }
    }
}

impl From<CoreCredentialError> for IssuanceError {
    fn from(err: CoreCredentialError) -> Self {
        match CredentialError::from(err) {
            CredentialError::Locked => Self::Locked,
            CredentialError::Busy => Self::Busy,
            CredentialError::InvalidInput { reason } => Self::InvalidInput { reason },
            CredentialError::Storage { reason } => Self::Storage { reason },
            CredentialError::Internal { reason } => Self::Internal { reason },
            CredentialError::AlreadyImported => Self::AlreadyImported,
            CredentialError::InvalidCredential { code, reason } => Self::CredentialRefused {
                code: Some(code),
                reason,
            },
            other => Self::CredentialRefused {
                code: None,
                reason: other.to_string(),
            },
        }
    }
}

impl From<TrustStoreError> for IssuanceError {
    fn from(err: TrustStoreError) -> Self {
        match err {
            TrustStoreError::Store(e) => e.into(),
            TrustStoreError::TrustList(e) => Self::TrustListRejected {
                code: trust_list_code(&e),
                reason: e.to_string(),
            },
            TrustStoreError::NoPinnedSigner => Self::NoPinnedSigner,
            TrustStoreError::SignerChanged { pinned } => Self::SignerChanged {
                pinned_fingerprint: pinned,
            },
            e @ TrustStoreError::Damaged => Self::Storage {
                reason: e.to_string(),
            },
            TrustStoreError::NotATrustList => Self::WrongMessage {
                expected: "a trust list".into(),
            },
            TrustStoreError::Tampered(e) => match e {
                SecurityStateError::Store(e) => e.into(),
                e @ SecurityStateError::Tampered { .. } => Self::Tampered {
                    reason: e.to_string(),
                },
            },
        }
    }
}

through_store_failure!(IssuanceError);

impl From<StoreFailure> for IssuanceError {
    fn from(failure: StoreFailure) -> Self {
        // Issuance reads no record by id.
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

impl From<DisplayFailure> for IssuanceError {
    fn from(failure: DisplayFailure) -> Self {
        match failure {
            DisplayFailure::BadOptions(reason) => Self::InvalidFrameOptions { reason },
            DisplayFailure::Encoding(reason) => Self::Encoding { reason },
        }
    }
}

impl From<PoolFailure> for IssuanceError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}
