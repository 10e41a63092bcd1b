//! Offline issuance over QR codes: a registration desk issues a batch of one-time copies of a
//! credential to the phone in front of it, with no network (issue 14, item 1; ADR 0016).
//!
//! 1. Desk ([`desk::make_offer`], feature `issue`): a signed **offer** (one code,
//!    [`MessageKind::IssuanceOffer`](laissez_qr::MessageKind::IssuanceOffer)).
//! 2. Holder ([`read_offer`]): checks it against its trusted issuers: trusted, or shown as an
//!    unknown issuer; after consent, [`accept_offer`] makes the batch's holder keys and an
//!    ephemeral key, keeps them pending in the encrypted store and returns the **proof** (one
//!    code, [`MessageKind::IssuanceProof`](laissez_qr::MessageKind::IssuanceProof)).
//! 3. Desk ([`desk::deliver`]): checks the proof, issues one copy per key and seals them to the
//!    ephemeral key: the **batch** (animated frames,
//!    [`MessageKind::IssuedBatch`](laissez_qr::MessageKind::IssuedBatch)).
//! 4. Holder ([`receive`]): decrypts, checks every copy, imports all or none.
//!
//! Every function takes and returns bytes, strings and plain values, so the bindings and apps
//! need no logic of their own.

mod batch;
#[cfg(feature = "issue")]
pub mod desk;
mod error;
mod holder_trust;
mod offer;
mod pending;
mod proof;
mod receive;
mod wire;

pub use error::{IssuanceError, IssuanceResult};
pub use holder_trust::{install_issuer_trust_list, read_offer_trusted, trusted_issuers};
pub use offer::{
    AnswerExpectations, FORMAT_VERSION, MAX_BATCH_SIZE, MIN_NONCE_LEN, Offer, OfferTrust,
    OfferView, OfferedCredential, offer_hash, read_offer,
};
pub use pending::{PENDING_ISSUANCE_KIND, RECEIVE_GRACE_SECS, pending_count, sweep_expired};
pub use proof::accept_offer;
pub use receive::{CheckedBatch, assemble, open_batch, receive, receive_codes};
pub use wire::MAX_MESSAGE_BYTES;

#[cfg(all(test, feature = "issue"))]
mod tests;
