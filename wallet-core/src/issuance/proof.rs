//! The proof (phone → desk, one QR code, [`MessageKind::IssuanceProof`]): bound to the offer
//! (its hash and nonce), the batch's new holder keys each with an ES256 proof of possession,
//! and a fresh ephemeral P-256 key the desk seals the batch to.
//!
//! Each proof of possession signs the CBOR array
//! `["laissez/v1/issuance-pop", offer hash, nonce, ephemeral key, key index]`, so it cannot be
//! moved to another offer, another answer key or another position.

use ciborium::Value;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde::{Deserialize, Serialize};

use super::error::{IssuanceError, IssuanceResult};
use super::offer::{FORMAT_VERSION, OfferView};
use super::{pending, wire};
use crate::wallet::holder_keys;
use laissez_crypto::ecdsa::{Es256Signer as _, SigningKey, VerifyingKey};
use laissez_qr::{Envelope, MessageKind};
use laissez_store::WalletStore;

/// The label that starts every proof of possession's signed array.
const POP_LABEL: &str = "laissez/v1/issuance-pop";

/// The proof as sent.
#[derive(Serialize, Deserialize)]
pub(crate) struct ProofBody {
    pub v: u64,
    #[serde(with = "serde_bytes")]
    pub oh: Vec<u8>,
    #[serde(with = "serde_bytes")]
    pub nonce: Vec<u8>,
    /// The ephemeral key, compressed SEC1.
    #[serde(with = "serde_bytes")]
    pub eph: Vec<u8>,
    /// `[holder key (compressed SEC1), signature (r || s)]`, in key-index order.
    pub keys: Vec<(serde_bytes::ByteBuf, serde_bytes::ByteBuf)>,
}

/// Compressed SEC1 of a P-256 key (33 bytes).
pub(crate) fn compressed(key: &VerifyingKey) -> Vec<u8> {
    p256::PublicKey::from_sec1_bytes(&key.to_sec1())
        .map(|point| point.to_encoded_point(true).as_bytes().to_vec())
        .unwrap_or_else(|_| key.to_sec1().to_vec())
}

/// The bytes a proof of possession signs.
pub(crate) fn pop_input(
    offer_hash: &[u8],
    nonce: &[u8],
    ephemeral: &[u8],
    index: usize,
) -> IssuanceResult<Vec<u8>> {
    wire::encode(&Value::Array(vec![
        Value::Text(POP_LABEL.into()),
        Value::Bytes(offer_hash.to_vec()),
        Value::Bytes(nonce.to_vec()),
        Value::Bytes(ephemeral.to_vec()),
        Value::Integer(index.into()),
    ]))
}

/// Holder: accepts the offer (after the person consented): makes one new derived holder key
/// per copy offered and a fresh ephemeral key, records the pending acceptance in the
/// encrypted store, and returns the proof message to show the desk. Expired pending
/// acceptances are swept first. An expired offer is refused and changes nothing.
pub fn accept_offer(
    store: &mut WalletStore,
    view: &OfferView,
    now: i64,
) -> IssuanceResult<Envelope> {
    if view.offer.expires_at <= now {
        return Err(IssuanceError::OfferExpired);
    }
    pending::sweep_expired(store, now)?;
    let count = view.offer.batch_size as usize;
    let mut signers = Vec::with_capacity(count);
    for _ in 0..count {
        let key = holder_keys::create_derived(store)?;
        signers.push(holder_keys::derive_signing_key(store, key.slot)?);
    }
    let ephemeral = SigningKey::generate().map_err(|_| IssuanceError::Crypto("ephemeral key"))?;
    let eph = compressed(ephemeral.public_key());
    let mut keys = Vec::with_capacity(count);
    for (index, signer) in signers.iter().enumerate() {
        let input = pop_input(&view.offer_hash, &view.offer.nonce, &eph, index)?;
        let signature = signer
            .sign(&input)
            .map_err(|_| IssuanceError::Crypto("proof of possession"))?;
        keys.push((
            serde_bytes::ByteBuf::from(compressed(signer.public_key())),
            serde_bytes::ByteBuf::from(signature.to_vec()),
        ));
    }
    let payload = wire::encode(&ProofBody {
        v: FORMAT_VERSION,
        oh: view.offer_hash.to_vec(),
        nonce: view.offer.nonce.clone(),
        eph,
        keys,
    })?;
    let public_keys: Vec<VerifyingKey> = signers.iter().map(|s| s.public_key().clone()).collect();
    pending::save(
        store,
        &view.offer_hash,
        &view.bytes,
        &ephemeral,
        &public_keys,
        view.offer.expires_at + pending::RECEIVE_GRACE_SECS,
    )?;
    Ok(Envelope {
        kind: MessageKind::IssuanceProof,
        payload,
    })
}

/// A proof whose every signature verified, for an offer of the desk's ledger.
#[cfg(feature = "issue")]
pub(crate) struct CheckedProof {
    pub offer_hash: [u8; 32],
    pub holder_keys: Vec<VerifyingKey>,
    pub ephemeral: VerifyingKey,
}

/// Desk: reads a proof message's body (kind and version checked).
#[cfg(feature = "issue")]
pub(crate) fn parse(message: &Envelope) -> IssuanceResult<(ProofBody, [u8; 32])> {
    if message.kind != MessageKind::IssuanceProof {
        return Err(IssuanceError::WrongMessage("an issuance proof"));
    }
    let body: ProofBody = wire::decode(&message.payload, "proof")?;
    if body.v != FORMAT_VERSION {
        return Err(IssuanceError::UnsupportedVersion(body.v));
    }
    let offer_hash = <[u8; 32]>::try_from(body.oh.as_slice())
        .map_err(|_| IssuanceError::Malformed("proof: offer hash"))?;
    Ok((body, offer_hash))
}

/// Desk: checks a proof against its offer's nonce and batch size: the nonce, the key count,
/// distinct valid keys and every proof of possession.
#[cfg(feature = "issue")]
pub(crate) fn check(
    body: &ProofBody,
    offer_hash: [u8; 32],
    nonce: &[u8],
    batch_size: u32,
) -> IssuanceResult<CheckedProof> {
    if body.nonce != nonce {
        return Err(IssuanceError::WrongNonce);
    }
    if body.keys.is_empty() || body.keys.len() > batch_size as usize {
        return Err(IssuanceError::WrongKeyCount {
            got: body.keys.len(),
            allowed: batch_size,
        });
    }
    let ephemeral = VerifyingKey::from_sec1(&body.eph)
        .ok_or(IssuanceError::Malformed("proof: ephemeral key"))?;
    let mut holder_keys: Vec<VerifyingKey> = Vec::with_capacity(body.keys.len());
    for (index, (key, signature)) in body.keys.iter().enumerate() {
        let key =
            VerifyingKey::from_sec1(key).ok_or(IssuanceError::Malformed("proof: holder key"))?;
        if holder_keys.contains(&key) || key == ephemeral {
            return Err(IssuanceError::DuplicateKey);
        }
        let input = pop_input(&offer_hash, &body.nonce, &body.eph, index)?;
        key.verify(&input, signature)
            .map_err(|_| IssuanceError::BadProofSignature { index })?;
        holder_keys.push(key);
    }
    Ok(CheckedProof {
        offer_hash,
        holder_keys,
        ephemeral,
    })
}
