//! The holder's pending acceptance of an offer, between showing the proof and scanning the
//! batch: the offer, the ephemeral private key the batch is sealed to, and the holder keys it
//! proved. One record of kind [`PENDING_ISSUANCE_KIND`] in the encrypted wallet store (never a
//! plaintext file), found by a blind-indexed tag of the offer hash; deleted after a successful
//! receive, or once expired ([`sweep_expired`]).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::{IssuanceError, IssuanceResult};
use super::wire;
use laissez_crypto::ecdsa::{SigningKey, VerifyingKey};
use laissez_store::{MAX_PAGE_SIZE, NewRecord, RecordId, Tag, WalletStore};

/// Record kind of a pending acceptance.
pub const PENDING_ISSUANCE_KIND: &str = "pending_issuance";
const OFFER_TAG: &str = "offer";
/// How long after the offer's expiry the batch may still be received: the desk issues before
/// the offer expires, the holder scans right after.
pub const RECEIVE_GRACE_SECS: i64 = 3_600;

#[derive(Serialize, Deserialize)]
struct PendingBody {
    #[serde(with = "serde_bytes")]
    offer: Vec<u8>,
    #[serde(with = "serde_bytes")]
    eph: Vec<u8>,
    keys: Vec<serde_bytes::ByteBuf>,
    exp: i64,
}

/// A pending acceptance as read back.
pub(crate) struct Pending {
    pub id: RecordId,
    /// The offer's COSE_Sign1 bytes.
    pub offer: Vec<u8>,
    /// The ephemeral key the batch is sealed to.
    pub ephemeral: SigningKey,
    /// The holder keys proved, in proof order.
    pub keys: Vec<VerifyingKey>,
    /// Until when the batch may be received, Unix seconds.
    pub expires_at: i64,
}

fn offer_tag(offer_hash: &[u8; 32]) -> Tag {
    Tag::new(OFFER_TAG, hex::encode(offer_hash))
}

/// Records a pending acceptance, replacing an earlier one of the same offer (in one
/// transaction).
pub(crate) fn save(
    store: &mut WalletStore,
    offer_hash: &[u8; 32],
    offer: &[u8],
    ephemeral: &SigningKey,
    keys: &[VerifyingKey],
    expires_at: i64,
) -> IssuanceResult<RecordId> {
    let body = Zeroizing::new(wire::encode(&PendingBody {
        offer: offer.to_vec(),
        eph: ephemeral.scalar().to_vec(),
        keys: keys
            .iter()
            .map(|k| serde_bytes::ByteBuf::from(k.to_sec1().to_vec()))
            .collect(),
        exp: expires_at,
    })?);
    let tag = offer_tag(offer_hash);
    let earlier = store.find(PENDING_ISSUANCE_KIND, std::slice::from_ref(&tag), 8, None)?;
    store.write(|writer| {
        for record in &earlier.records {
            writer.delete(record.id)?;
        }
        Ok::<_, IssuanceError>(writer.put(&NewRecord {
            kind: PENDING_ISSUANCE_KIND.into(),
            tags: vec![tag.clone()],
            body: body.to_vec(),
        })?)
    })
}

fn damaged() -> IssuanceError {
    IssuanceError::Store(laissez_store::StoreError::Corrupted(
        "a pending issuance record is unreadable".into(),
    ))
}

/// The pending acceptance of the offer with this hash, if any.
pub(crate) fn find(store: &WalletStore, offer_hash: &[u8; 32]) -> IssuanceResult<Option<Pending>> {
    let page = store.find(PENDING_ISSUANCE_KIND, &[offer_tag(offer_hash)], 2, None)?;
    let Some(record) = page.records.first() else {
        return Ok(None);
    };
    let body: PendingBody =
        wire::decode(&record.body, "pending issuance").map_err(|_| damaged())?;
    let scalar = Zeroizing::new(<[u8; 32]>::try_from(body.eph.as_slice()).map_err(|_| damaged())?);
    let ephemeral = SigningKey::from_scalar(&scalar).ok_or_else(damaged)?;
    let keys = body
        .keys
        .iter()
        .map(|k| VerifyingKey::from_sec1(k))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(damaged)?;
    Ok(Some(Pending {
        id: record.id,
        offer: body.offer,
        ephemeral,
        keys,
        expires_at: body.exp,
    }))
}

/// Deletes every pending acceptance past its time; returns how many. Accepting an offer runs
/// it first.
pub fn sweep_expired(store: &mut WalletStore, now: i64) -> IssuanceResult<usize> {
    let mut expired = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(PENDING_ISSUANCE_KIND, &[], MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            let past = wire::decode::<PendingBody>(&record.body, "pending issuance")
                .map_or(true, |body| body.exp <= now);
            if past {
                expired.push(record.id);
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    if !expired.is_empty() {
        store.write(|writer| {
            for id in &expired {
                writer.delete(*id)?;
            }
            Ok::<_, IssuanceError>(())
        })?;
    }
    Ok(expired.len())
}

/// How many offers this wallet has accepted and not yet received.
pub fn pending_count(store: &WalletStore) -> IssuanceResult<u64> {
    Ok(store.count(PENDING_ISSUANCE_KIND, &[])?)
}
