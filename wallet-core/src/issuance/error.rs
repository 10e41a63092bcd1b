//! What can go wrong in offline issuance, on either side. Messages never contain claim values
//! or keys.

use laissez_formats::x509::PathError;
use laissez_qr::QrError;
use laissez_store::StoreError;

use crate::verifier::trust_store::TrustStoreError;
use crate::wallet::CredentialError;

/// Why an offer, a proof or a batch was refused. Every variant leaves the wallet (and the
/// desk's ledger) as it was.
#[derive(Debug, thiserror::Error)]
pub enum IssuanceError {
    /// The QR codes could not be read: bad text, frames of two different messages, frames
    /// altered or contradicting each other.
    #[error("QR: {0}")]
    Qr(#[from] QrError),
    /// A Laissez QR message of another kind than the one expected.
    #[error("this QR code is not {0}")]
    WrongMessage(&'static str),
    /// The message is not well-formed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// A message format version this build does not read.
    #[error("offline issuance format version {0} is not supported")]
    UnsupportedVersion(u64),
    /// The offer is signed with an algorithm issuers may not use.
    #[error("the offer is signed with an unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The offer carries no signer certificate.
    #[error("the offer carries no issuer certificate")]
    NoSignerCertificate,
    /// The offer's signature does not verify with the certificate it carries.
    #[error("the offer's signature does not verify: it was altered or is not the issuer's")]
    BadOfferSignature,
    /// The offer (or the pending acceptance of it) is past its expiry.
    #[error("the offer has expired; ask the desk for a new one")]
    OfferExpired,
    /// The offer's issuer certificate path was refused (expired, not yet valid, not allowed to
    /// sign, …).
    #[error("the offer's issuer certificate: {0}")]
    IssuerCertificate(PathError),
    /// Desk: the proof answers an offer this desk did not make (or no longer keeps).
    #[error("the proof answers an offer this desk did not make")]
    UnknownOffer,
    /// Desk: the proof carries another nonce than the offer's.
    #[error("the proof is for another nonce than the offer's")]
    WrongNonce,
    /// Desk: the offer was already answered with a batch; a proof can be used once.
    #[error("this offer was already used; make a new offer")]
    OfferAlreadyUsed,
    /// Desk: a proof of possession does not verify.
    #[error("the proof of possession of key {index} does not verify")]
    BadProofSignature {
        /// The key's position in the proof (0-based).
        index: usize,
    },
    /// Desk: two keys of the proof are the same.
    #[error("the proof names the same holder key twice")]
    DuplicateKey,
    /// Desk: the proof has no keys, or more than the offer allows.
    #[error("the proof carries {got} holder keys; the offer allows 1 to {allowed}")]
    WrongKeyCount {
        /// Keys in the proof.
        got: usize,
        /// The offer's batch size.
        allowed: u32,
    },
    /// Holder: a batch for an offer this wallet has not accepted (or whose acceptance was
    /// completed or has expired).
    #[error("this batch answers no offer pending in this wallet")]
    NoPendingOffer,
    /// Holder: the batch does not decrypt with the pending offer's key (altered, or sealed to
    /// another wallet).
    #[error("the batch does not decrypt: it was altered or is not for this wallet")]
    Undecryptable,
    /// Holder: a copy is bound to a key this wallet did not prove for this offer.
    #[error("copy {index} is bound to a key this wallet did not offer")]
    CopyForUnknownKey {
        /// The copy's position in the batch (0-based).
        index: usize,
    },
    /// Holder: two copies are bound to the same key.
    #[error("two copies of the batch are bound to the same key")]
    DuplicateCopy,
    /// Holder: the batch does not hold one copy per proved key.
    #[error("the batch holds {got} copies; {expected} were expected")]
    MissingCopies {
        /// Keys proved.
        expected: usize,
        /// Copies received.
        got: usize,
    },
    /// Holder: a copy is not of the offered format and type, or not from the offer's signer.
    #[error("copy {index} is not the credential offered")]
    NotTheOfferedCredential {
        /// The copy's position in the batch (0-based).
        index: usize,
    },
    /// A copy was refused by the wallet's import checks (signature, validity, …).
    #[error("credential: {0}")]
    Credential(#[from] CredentialError),
    /// The wallet's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Desk: the desk's ledger file is unreadable.
    #[error("the desk's offer ledger is damaged")]
    DamagedLedger,
    /// Desk: issuing a copy failed (bad claims, …).
    #[error("issuance failed: {0}")]
    Issue(String),
    /// A cryptographic operation failed (randomness, key agreement).
    #[error("crypto failure: {0}")]
    Crypto(&'static str),
    /// Holder: the issuer trust list installed in the wallet could not be read (damaged, or
    /// the file was changed behind the wallet's back).
    #[error("the wallet's issuer trust list: {0}")]
    IssuerTrust(#[from] TrustStoreError),
}

/// Result alias for offline issuance.
pub type IssuanceResult<T> = Result<T, IssuanceError>;
