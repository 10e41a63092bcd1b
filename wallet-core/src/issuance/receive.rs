//! The holder receives the batch: reassembles the frames, finds the pending acceptance by the
//! offer hash, decrypts with its ephemeral key, checks that there is one copy per proved key,
//! each bound to a different one of them, of the offered format and type and from the offer's
//! signer; then imports all copies or none, and deletes the pending acceptance.

use super::batch;
use super::error::{IssuanceError, IssuanceResult};
use super::offer::parse_signed;
use super::pending;
use crate::wallet::credentials::{self, CredentialSummary};
use crate::wallet::{ImportOptions, mdoc_credential, sdjwt_credential};
use laissez_formats::credential::CredentialFormat;
use laissez_qr::frames::{FrameAssembler, FrameProgress, is_frame};
use laissez_qr::{Envelope, envelope};
use laissez_store::{RecordId, WalletStore};

/// A batch that decrypted and whose copies passed every check, ready to import.
#[derive(Debug)]
pub struct CheckedBatch {
    /// The copies, in the order of the keys proved.
    pub copies: Vec<Vec<u8>>,
    /// The format of the copies.
    pub format: CredentialFormat,
    /// Their type.
    pub credential_type: String,
    pending_id: RecordId,
}

/// Rebuilds one message from QR texts: a single code (`LZ1:`), or the frames of an animated
/// sequence (`LZF1:`) in any order. Frames of two different messages, or altered frames, are
/// typed errors.
pub fn assemble(texts: &[String]) -> IssuanceResult<Envelope> {
    let mut assembler = FrameAssembler::new();
    for text in texts {
        let text = text.trim();
        if !is_frame(text) {
            return Ok(envelope::decode(text)?);
        }
        if let FrameProgress::Complete(message) = assembler.push(text)? {
            return Ok(message);
        }
    }
    Err(IssuanceError::Malformed("batch: too few frames"))
}

/// Checks a batch message against this wallet's pending acceptance of its offer, without
/// changing anything.
pub fn open_batch(
    store: &WalletStore,
    message: &Envelope,
    now: i64,
) -> IssuanceResult<CheckedBatch> {
    let (body, offer_hash) = batch::parse(message)?;
    let pending = pending::find(store, &offer_hash)?.ok_or(IssuanceError::NoPendingOffer)?;
    if pending.expires_at <= now {
        return Err(IssuanceError::OfferExpired);
    }
    let signed = parse_signed(&pending.offer)?;
    let offered = signed.offer.credential()?.clone();
    let signer_fingerprint = signed
        .chain
        .first()
        .ok_or(IssuanceError::NoSignerCertificate)?
        .public_key()
        .fingerprint();
    let copies = batch::open(&body, &offer_hash, &pending.ephemeral)?;
    if copies.len() != pending.keys.len() {
        return Err(IssuanceError::MissingCopies {
            expected: pending.keys.len(),
            got: copies.len(),
        });
    }
    let options = ImportOptions {
        now,
        ..ImportOptions::default()
    };
    let mut bound = vec![false; pending.keys.len()];
    for (index, copy) in copies.iter().enumerate() {
        let parsed = match offered.format {
            CredentialFormat::SdJwt => sdjwt_credential::parse_issued(copy, &options),
            CredentialFormat::Mdoc => mdoc_credential::parse_issued(copy, &options),
        }
        .map_err(|err| match err {
            crate::wallet::CredentialError::UnknownFormat => {
                IssuanceError::NotTheOfferedCredential { index }
            }
            other => IssuanceError::Credential(other),
        })?;
        if parsed.stored.credential_type != offered.credential_type
            || parsed.stored.issuer_fingerprint != signer_fingerprint
        {
            return Err(IssuanceError::NotTheOfferedCredential { index });
        }
        let position = pending
            .keys
            .iter()
            .position(|k| *k == parsed.holder_key)
            .ok_or(IssuanceError::CopyForUnknownKey { index })?;
        match bound.get_mut(position) {
            Some(seen) if !*seen => *seen = true,
            _ => return Err(IssuanceError::DuplicateCopy),
        }
    }
    Ok(CheckedBatch {
        copies,
        format: offered.format,
        credential_type: offered.credential_type,
        pending_id: pending.id,
    })
}

/// Holder: checks the batch ([`open_batch`]), imports all its copies as one credential or
/// none (`import_batch`), then deletes the pending acceptance. On any error the wallet is as
/// it was.
pub fn receive(
    store: &mut WalletStore,
    message: &Envelope,
    now: i64,
) -> IssuanceResult<CredentialSummary> {
    let checked = open_batch(store, message, now)?;
    let options = ImportOptions {
        now,
        ..ImportOptions::default()
    };
    let summary = credentials::import_batch(store, &checked.copies, &options)?;
    store.delete(checked.pending_id)?;
    Ok(summary)
}

/// Holder: [`assemble`] then [`receive`]: the QR texts as scanned, in any order.
pub fn receive_codes(
    store: &mut WalletStore,
    texts: &[String],
    now: i64,
) -> IssuanceResult<CredentialSummary> {
    let message = assemble(texts)?;
    receive(store, &message, now)
}
