//! The registration certificates of verifiers the person has answered (ADR 0020): a verifier
//! that knows the holder has its certificate may then send only its 8-byte reference, and the
//! request code stays small. Kept encrypted in the holder's store like the disclosure history
//! (which already names those verifiers); a certificate is only ever trusted after
//! [`laissez_formats::registration::verify`], never because it was kept here.

use laissez_formats::registration::{self, MAX_CERTIFICATE_BYTES};
use laissez_store::{MAX_PAGE_SIZE, NewRecord, StoreResult, Tag, WalletStore};

/// Record kind of a kept verifier certificate.
pub const KNOWN_VERIFIER_KIND: &str = "known_verifier_certificate";
/// Tag with the certificate's reference (hex).
const REFERENCE_TAG: &str = "ref";
/// Most certificates kept: requests by reference look among these.
pub const MAX_KNOWN_VERIFIERS: u32 = 256;

/// The kept certificates (at most [`MAX_KNOWN_VERIFIERS`]).
pub fn known_certificates(store: &WalletStore) -> StoreResult<Vec<Vec<u8>>> {
    let page = store.find(
        KNOWN_VERIFIER_KIND,
        &[],
        MAX_KNOWN_VERIFIERS.min(MAX_PAGE_SIZE),
        None,
    )?;
    Ok(page
        .records
        .into_iter()
        // Public certificates: nothing secret to keep zeroized.
        .map(|record| record.body.to_vec())
        .filter(|body| body.len() <= MAX_CERTIFICATE_BYTES)
        .collect())
}

/// Keeps `certificate` (of a verifier the person just answered), unless it is kept already or
/// [`MAX_KNOWN_VERIFIERS`] are.
pub fn remember(store: &mut WalletStore, certificate: &[u8]) -> StoreResult<()> {
    if certificate.len() > MAX_CERTIFICATE_BYTES {
        return Ok(());
    }
    let reference = hex::encode(registration::reference(certificate));
    let kept = store.find(KNOWN_VERIFIER_KIND, &[], MAX_KNOWN_VERIFIERS, None)?;
    let already = kept.records.iter().any(|record| {
        record
            .tags
            .iter()
            .any(|tag| tag.name == REFERENCE_TAG && tag.value == reference)
    });
    if already || kept.records.len() >= MAX_KNOWN_VERIFIERS as usize {
        return Ok(());
    }
    let tag = Tag::new(REFERENCE_TAG, reference);
    store.put(&NewRecord {
        kind: KNOWN_VERIFIER_KIND.into(),
        tags: vec![tag],
        body: certificate.to_vec(),
    })?;
    Ok(())
}
