//! The registration desk's side (feature `issue`): make a signed offer, then answer a proof
//! with a sealed batch of one-time copies.
//!
//! Between the two, the desk keeps a [`DeskLedger`] in the issuer folder: per offer its hash,
//! nonce, expiry, the offer itself (issuer identity, type, batch size) and whether it was
//! used. It holds no personal data: the claims come again from the caller at issue time. A
//! proof is accepted once per offer (replay), before the offer's expiry.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::batch;
use super::error::{IssuanceError, IssuanceResult};
use super::offer::{
    AnswerExpectations, HOLDER_ALG_ES256, MAX_BATCH_SIZE, Offer, OfferedCredential, parse_signed,
    sign_offer,
};
use super::proof::{self, CheckedProof};
use crate::issuer::{CredentialOrder, IssuerIdentity, StatusAllocator, issue_batch};
use laissez_qr::Envelope;
use laissez_qr::frames::DEFAULT_ONE_CODE_MAX_CHARS;

/// Nonce length of the offers this desk makes, bytes.
const NONCE_LEN: usize = 16;
/// Longest offer validity, minutes (a day).
pub const MAX_OFFER_MINUTES: u32 = 24 * 60;
/// How long the ledger keeps an expired offer (so a late proof is told "expired"), seconds.
const KEEP_EXPIRED_SECS: i64 = 86_400;

/// One offer the desk made.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LedgerEntry {
    /// SHA-256 of the offer, hex.
    offer_hash: String,
    /// The offer's nonce, hex.
    nonce: String,
    /// Unix seconds.
    expires_at: i64,
    /// Whether a batch was issued for it.
    used: bool,
    /// The signed offer (COSE_Sign1), base64url.
    offer: String,
}

/// The desk's offers between offer and issue, as stored in the issuer folder (JSON).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeskLedger {
    offers: Vec<LedgerEntry>,
}

impl DeskLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a ledger written by [`DeskLedger::to_json`].
    pub fn from_json(bytes: &[u8]) -> IssuanceResult<Self> {
        serde_json::from_slice(bytes).map_err(|_| IssuanceError::DamagedLedger)
    }

    /// The ledger as JSON.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// How many offers it keeps.
    pub fn len(&self) -> usize {
        self.offers.len()
    }

    /// Whether it keeps no offer.
    pub fn is_empty(&self) -> bool {
        self.offers.is_empty()
    }

    fn sweep(&mut self, now: i64) {
        self.offers
            .retain(|entry| entry.expires_at + KEEP_EXPIRED_SECS > now);
    }

    fn entry_mut(&mut self, offer_hash: &[u8; 32]) -> Option<&mut LedgerEntry> {
        let hex = hex::encode(offer_hash);
        self.offers.iter_mut().find(|e| e.offer_hash == hex)
    }
}

/// What to offer.
#[derive(Debug, Clone)]
pub struct OfferRequest {
    /// The credential (format and type).
    pub credential: OfferedCredential,
    /// Copies (holder keys) to issue, 1 to [`MAX_BATCH_SIZE`].
    pub batch_size: u32,
    /// Minutes the offer stays valid, 1 to [`MAX_OFFER_MINUTES`].
    pub valid_minutes: u32,
}

/// Desk: makes a signed offer, records it in `ledger` (expired entries are dropped), and
/// returns the offer message to show as one QR code.
pub fn make_offer(
    issuer: &IssuerIdentity,
    ledger: &mut DeskLedger,
    request: &OfferRequest,
    now: i64,
) -> IssuanceResult<Envelope> {
    if request.batch_size == 0 || request.batch_size > MAX_BATCH_SIZE {
        return Err(IssuanceError::Issue(format!(
            "the batch size must be 1 to {MAX_BATCH_SIZE}"
        )));
    }
    if request.valid_minutes == 0 || request.valid_minutes > MAX_OFFER_MINUTES {
        return Err(IssuanceError::Issue(format!(
            "an offer is valid 1 to {MAX_OFFER_MINUTES} minutes"
        )));
    }
    if request.credential.credential_type.is_empty() {
        return Err(IssuanceError::Issue("the credential type is empty".into()));
    }
    let mut nonce = vec![0u8; NONCE_LEN];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
        .map_err(|_| IssuanceError::Crypto("nonce"))?;
    let offer = Offer {
        issuer_id: issuer.identifier.clone(),
        credentials: vec![request.credential.clone()],
        batch_size: request.batch_size,
        nonce: nonce.clone(),
        issued_at: now,
        expires_at: now + i64::from(request.valid_minutes) * 60,
        answer: AnswerExpectations {
            holder_alg: HOLDER_ALG_ES256,
            max_proof_chars: DEFAULT_ONE_CODE_MAX_CHARS as u32,
        },
    };
    let message = sign_offer(issuer, &offer)?;
    ledger.sweep(now);
    ledger.offers.push(LedgerEntry {
        offer_hash: hex::encode(super::offer::offer_hash(&message.payload)),
        nonce: hex::encode(&nonce),
        expires_at: offer.expires_at,
        used: false,
        offer: URL_SAFE_NO_PAD.encode(&message.payload),
    });
    Ok(message)
}

/// What the desk issues for a proof.
#[derive(Debug)]
pub struct DeliveryRequest<'a> {
    /// The person's claims (as for [`CredentialOrder::claims`]).
    pub claims: &'a Map<String, Value>,
    /// Days of validity of each copy.
    pub valid_days: u32,
    /// Where the copies' status indexes are drawn (a random free index each, recorded under
    /// the credential id so revoking it revokes every copy); `None` issues without status.
    pub status: Option<(&'a mut StatusAllocator, &'a str)>,
    /// The person's portrait, a small JPEG (`issuer::prepare_portrait`), signed into every
    /// copy.
    pub portrait: Option<Vec<u8>>,
}

/// Desk: checks a proof against `ledger` (an offer of this desk, its nonce, not used, not
/// expired, every proof of possession, distinct keys, no more than the batch size), issues
/// one copy per holder key and returns the batch sealed to the holder's ephemeral key. The
/// offer is marked used in `ledger`: save it before showing the batch.
pub fn deliver(
    issuer: &IssuerIdentity,
    ledger: &mut DeskLedger,
    proof_message: &Envelope,
    request: &mut DeliveryRequest<'_>,
    now: i64,
) -> IssuanceResult<Envelope> {
    let (body, offer_hash) = proof::parse(proof_message)?;
    let entry = ledger
        .entry_mut(&offer_hash)
        .ok_or(IssuanceError::UnknownOffer)?;
    if entry.used {
        return Err(IssuanceError::OfferAlreadyUsed);
    }
    if entry.expires_at <= now {
        return Err(IssuanceError::OfferExpired);
    }
    let offer_bytes = URL_SAFE_NO_PAD
        .decode(&entry.offer)
        .map_err(|_| IssuanceError::DamagedLedger)?;
    let nonce = hex::decode(&entry.nonce).map_err(|_| IssuanceError::DamagedLedger)?;
    let signed = parse_signed(&offer_bytes).map_err(|_| IssuanceError::DamagedLedger)?;
    if signed.chain.first().map(|c| c.der()) != Some(issuer.certificate.as_slice()) {
        // Another issuer's offer in this ledger: not this desk's to answer.
        return Err(IssuanceError::UnknownOffer);
    }
    let checked = proof::check(&body, offer_hash, &nonce, signed.offer.batch_size)?;
    let offered = signed.offer.credential()?;
    let copies = issue_copies(issuer, offered, &checked, request, now)?;
    let message = batch::seal(&checked.ephemeral, &checked.offer_hash, &copies)?;
    entry.used = true;
    Ok(message)
}

/// One copy per holder key through [`issue_batch`]: each copy its own salts, signature and,
/// with a status allocation, its own random status index.
fn issue_copies(
    issuer: &IssuerIdentity,
    offered: &OfferedCredential,
    proof: &CheckedProof,
    request: &mut DeliveryRequest<'_>,
    now: i64,
) -> IssuanceResult<Vec<Vec<u8>>> {
    let first = proof
        .holder_keys
        .first()
        .cloned()
        .ok_or(IssuanceError::WrongKeyCount { got: 0, allowed: 0 })?;
    let order = CredentialOrder {
        format: offered.format,
        credential_type: offered.credential_type.clone(),
        claims: request.claims.clone(),
        holder_key: first,
        valid_days: request.valid_days,
        status: None,
        now,
        portrait: request.portrait.clone(),
    };
    let status = request
        .status
        .as_mut()
        .map(|(allocator, id)| (&mut **allocator, *id));
    issue_batch(issuer, &order, &proof.holder_keys, status)
        .map_err(|e| IssuanceError::Issue(e.to_string()))
}
