//! The batch message ([`MessageKind::IssuedBatch`], shown as animated frames): the offer hash
//! in the clear (so the holder finds its pending acceptance), the desk's one-shot public key,
//! and the CBOR list of copies sealed to the holder's ephemeral key with the exchange's
//! sealing (ECDH P-256, HKDF-SHA256 bound to the offer hash under a label of its own,
//! AES-256-GCM: [`crate::exchange::session_crypto`]). A photo of the desk's screen reveals no
//! personal data.

use serde::{Deserialize, Serialize};

use super::error::{IssuanceError, IssuanceResult};
use super::offer::FORMAT_VERSION;
use super::wire;
use crate::exchange::ExchangeError;
use crate::exchange::session_crypto::open_from;
use laissez_crypto::ecdsa::SigningKey;
use laissez_qr::{Envelope, MessageKind};

/// HKDF label of the batch's sealing key.
pub(crate) const SEAL_INFO: &str = "laissez/v1/offline-issuance-batch";

#[derive(Serialize, Deserialize)]
pub(crate) struct BatchBody {
    pub v: u64,
    #[serde(with = "serde_bytes")]
    pub oh: Vec<u8>,
    /// The desk's one-shot public key, compressed SEC1.
    #[serde(with = "serde_bytes")]
    pub eph: Vec<u8>,
    #[serde(with = "serde_bytes")]
    pub ct: Vec<u8>,
}

/// Desk: seals `copies` (in key order) to the holder's ephemeral key for `offer_hash`.
#[cfg(feature = "issue")]
pub(crate) fn seal(
    holder_ephemeral: &laissez_crypto::ecdsa::VerifyingKey,
    offer_hash: &[u8; 32],
    copies: &[Vec<u8>],
) -> IssuanceResult<Envelope> {
    use crate::exchange::session_crypto::seal_to;

    let list: Vec<serde_bytes::ByteBuf> = copies
        .iter()
        .cloned()
        .map(serde_bytes::ByteBuf::from)
        .collect();
    let plaintext = zeroize::Zeroizing::new(wire::encode(&list)?);
    let (sender, ct) = seal_to(holder_ephemeral, offer_hash, SEAL_INFO, &plaintext)
        .map_err(|_| IssuanceError::Crypto("sealing the batch"))?;
    let eph = laissez_crypto::ecdsa::VerifyingKey::from_sec1(&sender)
        .map(|k| super::proof::compressed(&k))
        .unwrap_or(sender);
    let payload = wire::encode(&BatchBody {
        v: FORMAT_VERSION,
        oh: offer_hash.to_vec(),
        eph,
        ct,
    })?;
    Ok(Envelope {
        kind: MessageKind::IssuedBatch,
        payload,
    })
}

/// Holder: reads a batch message's body and the offer hash it names.
pub(crate) fn parse(message: &Envelope) -> IssuanceResult<(BatchBody, [u8; 32])> {
    if message.kind != MessageKind::IssuedBatch {
        return Err(IssuanceError::WrongMessage("an issued batch"));
    }
    let body: BatchBody = wire::decode(&message.payload, "batch")?;
    if body.v != FORMAT_VERSION {
        return Err(IssuanceError::UnsupportedVersion(body.v));
    }
    let offer_hash = <[u8; 32]>::try_from(body.oh.as_slice())
        .map_err(|_| IssuanceError::Malformed("batch: offer hash"))?;
    Ok((body, offer_hash))
}

/// Holder: decrypts the copies with the pending acceptance's ephemeral key.
pub(crate) fn open(
    body: &BatchBody,
    offer_hash: &[u8; 32],
    ephemeral: &SigningKey,
) -> IssuanceResult<Vec<Vec<u8>>> {
    let plaintext =
        open_from(ephemeral, offer_hash, SEAL_INFO, &body.eph, &body.ct).map_err(|e| match e {
            ExchangeError::Undecryptable => IssuanceError::Undecryptable,
            _ => IssuanceError::Malformed("batch: desk key"),
        })?;
    let list: Vec<serde_bytes::ByteBuf> = wire::decode(&plaintext, "batch: copies")?;
    Ok(list
        .into_iter()
        .map(serde_bytes::ByteBuf::into_vec)
        .collect())
}
