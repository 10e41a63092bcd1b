//! The holder's credentials: import (checked, bound to one of this wallet's keys, stored
//! encrypted), list, show, delete, and present only the chosen claims.

pub use laissez_formats::credential::PresentationBinding;

use super::error::{CredentialError, CredentialResult};
pub use super::format_parts::{ClaimEntry, ImportOptions, Presentation};
use super::holder_keys::{self, HolderKey, HolderKeyOrigin};
use super::{mdoc_credential, sdjwt_credential};
use laissez_crypto::ecdsa::Es256Signer;
use laissez_formats::credential::display::DisplayMetadata;
use laissez_formats::credential::labels::CredentialLabels;
use laissez_formats::credential::{
    CREDENTIAL_KIND, CredentialFormat, EXPIRY_TAG, FORMAT_TAG, ISSUER_TAG, StoredCredential,
    TYPE_TAG, expiry_bucket,
};
use laissez_formats::type_metadata::{TypeMetadataDocument, TypeMetadataError};
use laissez_store::{MAX_PAGE_SIZE, NewRecord, RecordId, Tag, WalletStore};

const DIGEST_TAG: &str = "digest";
/// Record kind of the disclosure history.
pub const DISCLOSURE_KIND: &str = "disclosure";

/// A credential as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialSummary {
    /// Its record id.
    pub id: RecordId,
    /// Its format.
    pub format: CredentialFormat,
    /// docType or vct.
    pub credential_type: String,
    /// The issuer's name, if known.
    pub issuer_name: Option<String>,
    /// The issuer key's fingerprint.
    pub issuer_fingerprint: String,
    /// Validity start, Unix seconds.
    pub valid_from: Option<i64>,
    /// Validity end, Unix seconds.
    pub valid_until: Option<i64>,
    /// Its labels in every language they exist in: from the type metadata kept with it, else
    /// Laissez's built-in metadata, else (credentials issued before type metadata) the
    /// labels its issuer signed into it.
    pub display: Option<DisplayMetadata>,
    /// When it was imported.
    pub imported_at: i64,
}

/// A credential with all its claims.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialDetail {
    /// The summary.
    pub summary: CredentialSummary,
    /// Every claim.
    pub claims: Vec<ClaimEntry>,
    /// The holder key it is bound to.
    pub holder_key: HolderKey,
}

fn detect(input: &[u8]) -> Option<CredentialFormat> {
    let text = std::str::from_utf8(input).ok().map(str::trim);
    match text {
        Some(t) if t.starts_with("ey") && t.contains('~') => Some(CredentialFormat::SdJwt),
        _ if input.first().is_some_and(|b| b >> 5 == 5) => Some(CredentialFormat::Mdoc),
        _ => None,
    }
}

fn summary(id: RecordId, stored: &StoredCredential) -> CredentialSummary {
    CredentialSummary {
        id,
        format: stored.format,
        credential_type: stored.credential_type.clone(),
        issuer_name: stored.issuer_name.clone(),
        issuer_fingerprint: stored.issuer_fingerprint.clone(),
        valid_from: stored.valid_from,
        valid_until: stored.valid_until,
        display: labels_of(stored).to_display(),
        imported_at: stored.imported_at,
    }
}

/// The labels of a stored credential (its kept type metadata was checked at import; a
/// record whose document no longer parses shows built-in or embedded labels).
fn labels_of(stored: &StoredCredential) -> CredentialLabels {
    let supplied: Vec<TypeMetadataDocument> = stored
        .type_metadata
        .as_deref()
        .and_then(|bytes| TypeMetadataDocument::parse(bytes).ok())
        .into_iter()
        .collect();
    CredentialLabels::choose(
        stored.format,
        &stored.credential_type,
        None,
        &supplied,
        stored.display.clone(),
    )
}

/// Checks the type metadata given with a credential: it parses, describes the credential's
/// type, matches `vct_integrity` when there is one, and extends nothing it does not carry.
fn check_type_metadata(
    bytes: &[u8],
    credential_type: &str,
    vct_integrity: Option<&str>,
) -> Result<(), TypeMetadataError> {
    let document = TypeMetadataDocument::parse(bytes)?;
    if document.vct() != credential_type {
        return Err(TypeMetadataError::WrongType);
    }
    if let Some(sri) = vct_integrity {
        document.check_integrity(sri)?;
    }
    laissez_formats::type_metadata::resolve(&document, std::slice::from_ref(&document))?;
    Ok(())
}

fn content_digest(issued: &[u8]) -> String {
    hex::encode(&ring::digest::digest(&ring::digest::SHA256, issued).as_ref()[..16])
}

/// Imports an issued credential: checks its structure, issuer signature (against the
/// certificate it carries or the keys given), validity and digests, that it is bound to one
/// of this wallet's holder keys, and stores it encrypted.
pub fn import(
    store: &mut WalletStore,
    input: &[u8],
    options: &ImportOptions,
) -> CredentialResult<CredentialSummary> {
    let parsed = match detect(input) {
        Some(CredentialFormat::SdJwt) => sdjwt_credential::parse_issued(input, options)?,
        Some(CredentialFormat::Mdoc) => mdoc_credential::parse_issued(input, options)?,
        None => return Err(CredentialError::UnknownFormat),
    };
    let holder = holder_keys::find(store, &parsed.holder_key)?
        .ok_or(CredentialError::NotBoundToThisWallet)?;
    let mut stored = parsed.stored;
    stored.holder_key_slot = holder.slot;
    if let Some(bytes) = &options.type_metadata {
        check_type_metadata(
            bytes,
            &stored.credential_type,
            parsed.vct_integrity.as_deref(),
        )?;
        stored.type_metadata = Some(bytes.clone());
    }
    let digest = content_digest(&stored.issued);
    if store.count(CREDENTIAL_KIND, &[Tag::new(DIGEST_TAG, digest.clone())])? > 0 {
        return Err(CredentialError::AlreadyImported);
    }
    let mut tags = vec![
        Tag::new(FORMAT_TAG, stored.format.as_str()),
        Tag::new(TYPE_TAG, stored.credential_type.clone()),
        Tag::new(ISSUER_TAG, stored.issuer_fingerprint.clone()),
        Tag::new(DIGEST_TAG, digest),
    ];
    if let Some(until) = stored.valid_until {
        tags.push(Tag::new(EXPIRY_TAG, expiry_bucket(until)));
    }
    let body = encode(&stored)?;
    let id = store.put(&NewRecord {
        kind: CREDENTIAL_KIND.into(),
        tags,
        body,
    })?;
    Ok(summary(id, &stored))
}

fn encode(stored: &StoredCredential) -> CredentialResult<Vec<u8>> {
    let mut body = Vec::new();
    ciborium::into_writer(stored, &mut body).map_err(|_| {
        CredentialError::Store(laissez_store::StoreError::Storage(
            "could not encode a credential".into(),
        ))
    })?;
    Ok(body)
}

/// Reads a stored credential.
pub fn load(store: &WalletStore, id: RecordId) -> CredentialResult<StoredCredential> {
    let record = store.get(id)?;
    if record.kind != CREDENTIAL_KIND {
        return Err(CredentialError::NotACredential);
    }
    ciborium::from_reader(record.body.as_slice()).map_err(|_| {
        CredentialError::Store(laissez_store::StoreError::Corrupted(
            "a credential record is unreadable".into(),
        ))
    })
}

/// Every credential, oldest first.
pub fn list(store: &WalletStore) -> CredentialResult<Vec<CredentialSummary>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(CREDENTIAL_KIND, &[], MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            let stored: StoredCredential =
                ciborium::from_reader(record.body.as_slice()).map_err(|_| {
                    laissez_store::StoreError::Corrupted("a credential record is unreadable".into())
                })?;
            out.push(summary(record.id, &stored));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// A credential with all its claims and their labels in `lang`.
pub fn show(store: &WalletStore, id: RecordId, lang: &str) -> CredentialResult<CredentialDetail> {
    let stored = load(store, id)?;
    let mut claims = match stored.format {
        CredentialFormat::SdJwt => sdjwt_credential::claims(&stored)?,
        CredentialFormat::Mdoc => mdoc_credential::claims(&stored)?,
    };
    let labels = labels_of(&stored);
    for claim in &mut claims {
        claim.label = labels.claim_label(&claim.path, lang);
    }
    let holder_key = holder_keys::list(store)?
        .into_iter()
        .find(|k| k.slot == stored.holder_key_slot)
        .ok_or(CredentialError::NotBoundToThisWallet)?;
    Ok(CredentialDetail {
        summary: summary(id, &stored),
        claims,
        holder_key,
    })
}

/// Deletes a credential.
pub fn delete(store: &mut WalletStore, id: RecordId) -> CredentialResult<()> {
    load(store, id)?;
    store.delete(id)?;
    Ok(())
}

/// Who a presentation is for, as the disclosure history records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    /// The verifier's name, as its request gave it (or as the holder scanned it).
    pub name: Option<String>,
    /// The verifier's identifier the presentation is bound to (an SD-JWT `aud`; for mdoc the
    /// identifier its session transcript names).
    pub audience: Option<String>,
}

impl Recipient {
    /// What a bare binding tells: an SD-JWT audience, nothing for a session transcript.
    pub fn of_binding(binding: &PresentationBinding) -> Self {
        Self {
            name: None,
            audience: match binding {
                PresentationBinding::NonceAudience { audience, .. } => Some(audience.clone()),
                PresentationBinding::SessionTranscript(_) => None,
            },
        }
    }
}

/// Presents `claims` of credential `id`, bound to `binding`, signed by its holder key (a
/// platform key needs `platform_signer`). Records the disclosure in the wallet's history,
/// with the audience an SD-JWT binding names ([`present_to`] records more).
pub fn present(
    store: &mut WalletStore,
    id: RecordId,
    claims: &[String],
    binding: &PresentationBinding,
    now: i64,
    platform_signer: Option<&dyn Es256Signer>,
) -> CredentialResult<Presentation> {
    let recipient = Recipient::of_binding(binding);
    present_to(store, id, claims, binding, &recipient, now, platform_signer)
}

/// [`present`], recording `recipient` (the verifier's name and identifier, whatever the
/// format) in the disclosure history.
pub fn present_to(
    store: &mut WalletStore,
    id: RecordId,
    claims: &[String],
    binding: &PresentationBinding,
    recipient: &Recipient,
    now: i64,
    platform_signer: Option<&dyn Es256Signer>,
) -> CredentialResult<Presentation> {
    let stored = load(store, id)?;
    let key = holder_keys::list(store)?
        .into_iter()
        .find(|k| k.slot == stored.holder_key_slot)
        .ok_or(CredentialError::NotBoundToThisWallet)?;
    let derived;
    let signer: &dyn Es256Signer = match (&key.origin, platform_signer) {
        (HolderKeyOrigin::Derived, _) => {
            derived = holder_keys::derive_signing_key(store, key.slot)?;
            &derived
        }
        (HolderKeyOrigin::Platform(_), Some(signer))
            if signer.verifying_key() == key.public_key =>
        {
            signer
        }
        (HolderKeyOrigin::Platform(_), _) => return Err(CredentialError::NotBoundToThisWallet),
    };
    let presentation = match stored.format {
        CredentialFormat::SdJwt => {
            sdjwt_credential::present(&stored, claims, binding, now, signer)?
        }
        CredentialFormat::Mdoc => mdoc_credential::present(&stored, claims, binding, signer)?,
    };
    record_disclosure(store, id, claims, recipient, now)?;
    Ok(presentation)
}

/// One entry of the disclosure history: what was shown, to whom, when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisclosureEntry {
    /// The credential's record id (hex).
    pub credential_id: String,
    /// The claim paths shown.
    pub claims: Vec<String>,
    /// The verifier's identifier, when known.
    pub audience: Option<String>,
    /// The verifier's name, when known.
    #[serde(default)]
    pub verifier_name: Option<String>,
    /// When, Unix seconds.
    pub at: i64,
}

fn record_disclosure(
    store: &mut WalletStore,
    id: RecordId,
    claims: &[String],
    recipient: &Recipient,
    now: i64,
) -> CredentialResult<()> {
    let entry = DisclosureEntry {
        credential_id: id.to_string(),
        claims: claims.to_vec(),
        audience: recipient.audience.clone(),
        verifier_name: recipient.name.clone(),
        at: now,
    };
    let body = serde_json::to_vec(&entry).map_err(|_| {
        CredentialError::Store(laissez_store::StoreError::Storage(
            "could not encode a disclosure".into(),
        ))
    })?;
    store.put(&NewRecord {
        kind: DISCLOSURE_KIND.into(),
        tags: vec![Tag::new("credential", id.to_string())],
        body,
    })?;
    Ok(())
}

/// The disclosure history, oldest first.
pub fn disclosures(store: &WalletStore) -> CredentialResult<Vec<DisclosureEntry>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(DISCLOSURE_KIND, &[], MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            out.push(serde_json::from_slice(&record.body).map_err(|_| {
                laissez_store::StoreError::Corrupted("a disclosure record is unreadable".into())
            })?);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}
