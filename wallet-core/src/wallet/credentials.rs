//! The holder's credentials: import (checked, bound to this wallet's keys, stored
//! encrypted), list, show, delete, and present only the chosen claims.
//!
//! A credential may come as a batch of one-time copies (ADR 0017): the same claims, each copy
//! with its own salts, signature, status index and holder key. One record holds them all;
//! each presentation uses a copy never presented before, so verifiers who compare notes
//! cannot link two presentations by the bytes they received.

pub use laissez_formats::credential::PresentationBinding;

use super::error::{CredentialError, CredentialResult};
pub use super::format_parts::{ClaimEntry, ImportOptions, Presentation};
use super::holder_keys::{self, HolderKey, HolderKeyOrigin};
pub use super::issuer_trust::IssuerTrust;
use super::issuer_trust::TrustContext;
use super::settings;
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

/// Tag with a digest of the credential's first copy (finds it again: imports, restores).
pub(crate) const DIGEST_TAG: &str = "digest";
/// Record kind of the disclosure history.
pub const DISCLOSURE_KIND: &str = "disclosure";
/// The most copies one credential may hold (HAIP batches are far smaller).
pub const MAX_COPIES: usize = 64;
/// A batch with this many unpresented copies left, or fewer, warns the holder
/// ([`CopiesState::Low`]): the next presentation may be the last unlinkable one.
pub const LOW_COPIES_THRESHOLD: u32 = 1;

/// How a credential's copies stand, for the holder's screen (ADR 0017).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopiesState {
    /// One copy only (imported alone, or before batches): presented every time, so its
    /// presentations can be linked to each other.
    Single,
    /// More than [`LOW_COPIES_THRESHOLD`] unpresented copies left.
    Plenty,
    /// At most [`LOW_COPIES_THRESHOLD`] unpresented copies left, at least one: time to ask
    /// the issuer for a new batch.
    Low,
    /// Every copy has been presented: presenting fails with
    /// [`CredentialError::NoCopiesLeft`] unless the wallet setting
    /// [`reuse_last_copy`](settings::WalletSettings::reuse_last_copy) is on.
    Exhausted,
}

impl CopiesState {
    /// The state of a credential with `total` copies of which `left` were never presented.
    pub fn of(total: u32, left: u32) -> Self {
        match (total, left) {
            (0..=1, _) => CopiesState::Single,
            (_, 0) => CopiesState::Exhausted,
            (_, l) if l <= LOW_COPIES_THRESHOLD => CopiesState::Low,
            _ => CopiesState::Plenty,
        }
    }

    /// Whether the holder should be warned (few copies or none left).
    pub fn warns(&self) -> bool {
        matches!(self, CopiesState::Low | CopiesState::Exhausted)
    }
}

/// A credential as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialSummary {
    /// Its record id.
    pub id: RecordId,
    /// Its format.
    pub format: CredentialFormat,
    /// docType or vct.
    pub credential_type: String,
    /// The name the credential claims for its issuer (unverified): its display metadata's,
    /// else its certificate's common name, else its `iss`. Show it only as a claim unless
    /// [`CredentialSummary::issuer_trust`] is [`IssuerTrust::Trusted`], whose name is the one
    /// to show.
    pub issuer_name: Option<String>,
    /// Whether the holder's issuer trust list vouches for the issuer, decided when listed,
    /// shown or imported ([`list_at`], [`show_at`], [`import`]).
    pub issuer_trust: IssuerTrust,
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
    /// How many copies it holds (1 for a credential issued alone).
    pub copies_total: u32,
    /// How many copies were never presented.
    pub copies_left: u32,
}

impl CredentialSummary {
    /// How its copies stand (few left, none left, ...).
    pub fn copies_state(&self) -> CopiesState {
        CopiesState::of(self.copies_total, self.copies_left)
    }
}

/// A credential with all its claims.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialDetail {
    /// The summary.
    pub summary: CredentialSummary,
    /// Every claim.
    pub claims: Vec<ClaimEntry>,
    /// The holder key it is bound to (its first copy's: every copy has its own).
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

fn summary(id: RecordId, stored: &StoredCredential, trust: &TrustContext) -> CredentialSummary {
    CredentialSummary {
        id,
        format: stored.format,
        credential_type: stored.credential_type.clone(),
        issuer_name: stored.issuer_name.clone(),
        issuer_trust: trust.judge(stored),
        issuer_fingerprint: stored.issuer_fingerprint.clone(),
        valid_from: stored.valid_from,
        valid_until: stored.valid_until,
        display: labels_of(stored).to_display(),
        imported_at: stored.imported_at,
        copies_total: stored.copies_total(),
        copies_left: stored.copies_left(),
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
/// of this wallet's holder keys, and stores it encrypted. The same as [`import_batch`] with
/// one copy.
pub fn import(
    store: &mut WalletStore,
    input: &[u8],
    options: &ImportOptions,
) -> CredentialResult<CredentialSummary> {
    import_batch(store, std::slice::from_ref(&input.to_vec()), options)
}

/// Checks one issued copy like [`import`] (all but the store).
fn parse_copy(
    store: &WalletStore,
    input: &[u8],
    options: &ImportOptions,
) -> CredentialResult<(StoredCredential, Option<String>)> {
    let parsed = match detect(input) {
        Some(CredentialFormat::SdJwt) => sdjwt_credential::parse_issued(input, options)?,
        Some(CredentialFormat::Mdoc) => mdoc_credential::parse_issued(input, options)?,
        None => return Err(CredentialError::UnknownFormat),
    };
    let holder = holder_keys::find(store, &parsed.holder_key)?
        .ok_or(CredentialError::NotBoundToThisWallet)?;
    let mut stored = parsed.stored;
    for copy in &mut stored.copies {
        copy.holder_key_slot = holder.slot;
    }
    Ok((stored, parsed.vct_integrity))
}

/// The claims of one copy, as issued (unlabelled).
fn copy_claims(format: CredentialFormat, issued: &[u8]) -> CredentialResult<Vec<ClaimEntry>> {
    match format {
        CredentialFormat::SdJwt => sdjwt_credential::claims(issued),
        CredentialFormat::Mdoc => mdoc_credential::claims(issued),
    }
}

/// The claims of one copy, sorted by path, for comparing copies.
fn claims_of(
    format: CredentialFormat,
    issued: &[u8],
) -> CredentialResult<Vec<(String, serde_json::Value)>> {
    let mut pairs: Vec<_> = copy_claims(format, issued)?
        .into_iter()
        .map(|e| (e.path, e.value))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(pairs)
}

/// Imports the copies of ONE credential (same format, type, issuer and claim values), each
/// bound to its own holder key of this wallet, into one record: all copies or none. Each
/// copy is checked like [`import`]; the copies must differ in holder key, and none may be in
/// the wallet already. Returns the credential's summary (one per credential, not per copy).
pub fn import_batch(
    store: &mut WalletStore,
    copies: &[Vec<u8>],
    options: &ImportOptions,
) -> CredentialResult<CredentialSummary> {
    if copies.is_empty() {
        return Err(CredentialError::EmptyBatch);
    }
    if copies.len() > MAX_COPIES {
        return Err(CredentialError::TooManyCopies(MAX_COPIES));
    }
    let mut checked = copies.iter().map(|input| parse_copy(store, input, options));
    let Some(first) = checked.next() else {
        return Err(CredentialError::EmptyBatch);
    };
    let (mut stored, vct_integrity) = first?;
    let first_claims = match stored.first_copy() {
        Some(copy) if copies.len() > 1 => claims_of(stored.format, &copy.issued)?,
        _ => Vec::new(),
    };
    for next in checked {
        let (other, _) = next?;
        if other.format != stored.format {
            return Err(CredentialError::CopiesDiffer("format"));
        }
        if other.credential_type != stored.credential_type {
            return Err(CredentialError::CopiesDiffer("type"));
        }
        if other.issuer_fingerprint != stored.issuer_fingerprint {
            return Err(CredentialError::CopiesDiffer("issuer"));
        }
        for copy in other.copies {
            if claims_of(other.format, &copy.issued)? != first_claims {
                return Err(CredentialError::CopiesDiffer("claim values"));
            }
            if stored
                .copies
                .iter()
                .any(|c| c.holder_key_slot == copy.holder_key_slot)
            {
                return Err(CredentialError::HolderKeyUsedTwice);
            }
            stored.copies.push(copy);
        }
        // The batch is valid as long as its shortest-lived copy.
        stored.valid_from = later(stored.valid_from, other.valid_from);
        stored.valid_until = earlier(stored.valid_until, other.valid_until);
    }
    if let Some(bytes) = &options.type_metadata {
        check_type_metadata(bytes, &stored.credential_type, vct_integrity.as_deref())?;
        stored.type_metadata = Some(bytes.clone());
    }
    if already_imported(store, &stored)? {
        return Err(CredentialError::AlreadyImported);
    }
    let first_digest = stored
        .first_copy()
        .map(|c| content_digest(&c.issued))
        .ok_or(CredentialError::EmptyBatch)?;
    let mut tags = vec![
        Tag::new(FORMAT_TAG, stored.format.as_str()),
        Tag::new(TYPE_TAG, stored.credential_type.clone()),
        Tag::new(ISSUER_TAG, stored.issuer_fingerprint.clone()),
        Tag::new(DIGEST_TAG, first_digest),
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
    Ok(summary(
        id,
        &stored,
        &TrustContext::load(store, options.now)?,
    ))
}

fn later(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn earlier(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether any copy of `stored` is already in the wallet (a copy appears twice in the batch,
/// or a credential of the same type and issuer holds it).
fn already_imported(store: &WalletStore, stored: &StoredCredential) -> CredentialResult<bool> {
    let mut digests = std::collections::HashSet::new();
    for copy in &stored.copies {
        if !digests.insert(content_digest(&copy.issued)) {
            return Ok(true);
        }
    }
    // Records written before batches are found by the digest tag of their one copy.
    for digest in &digests {
        if store.count(CREDENTIAL_KIND, &[Tag::new(DIGEST_TAG, digest.clone())])? > 0 {
            return Ok(true);
        }
    }
    let same = [
        Tag::new(TYPE_TAG, stored.credential_type.clone()),
        Tag::new(ISSUER_TAG, stored.issuer_fingerprint.clone()),
    ];
    let mut cursor = None;
    loop {
        let page = store.find(CREDENTIAL_KIND, &same, MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            let held = decode(&record.body)?;
            if held
                .copies
                .iter()
                .any(|c| digests.contains(&content_digest(&c.issued)))
            {
                return Ok(true);
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(false),
        }
    }
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

fn decode(body: &[u8]) -> CredentialResult<StoredCredential> {
    ciborium::from_reader(body).map_err(|_| {
        CredentialError::Store(laissez_store::StoreError::Corrupted(
            "a credential record is unreadable".into(),
        ))
    })
}

/// The body of a held credential record with the presented state of a backup's record of
/// the same credential merged in (a copy presented in either is presented, at the later
/// time); `None` when nothing changes. Records of different copies are left alone.
pub(crate) fn merge_presented(
    held: &[u8],
    restored: &[u8],
) -> laissez_store::StoreResult<Option<Vec<u8>>> {
    let unreadable =
        |_| laissez_store::StoreError::Corrupted("a credential record is unreadable".into());
    let mut mine: StoredCredential = ciborium::from_reader(held).map_err(unreadable)?;
    let theirs: StoredCredential = ciborium::from_reader(restored).map_err(unreadable)?;
    let mut changed = false;
    for copy in &mut mine.copies {
        let other = theirs.copies.iter().find(|c| c.issued == copy.issued);
        if let Some(at) = other.and_then(|c| c.presented_at) {
            if copy.presented_at.is_none_or(|mine| mine < at) {
                copy.presented_at = Some(at);
                changed = true;
            }
        }
    }
    if !changed {
        return Ok(None);
    }
    let mut body = Vec::new();
    ciborium::into_writer(&mine, &mut body)
        .map_err(|_| laissez_store::StoreError::Storage("could not encode a credential".into()))?;
    Ok(Some(body))
}

/// Reads a stored credential.
pub fn load(store: &WalletStore, id: RecordId) -> CredentialResult<StoredCredential> {
    let record = store.get(id)?;
    if record.kind != CREDENTIAL_KIND {
        return Err(CredentialError::NotACredential);
    }
    decode(&record.body)
}

/// Every credential, oldest first, its issuer's trust judged at the wallet's time
/// ([`WalletStore::now`]): [`list_at`] that time.
pub fn list(store: &WalletStore) -> CredentialResult<Vec<CredentialSummary>> {
    list_at(store, store.now())
}

/// Every credential, oldest first, its issuer's trust judged against the holder's issuer
/// trust list at `now` (Unix seconds).
pub fn list_at(store: &WalletStore, now: i64) -> CredentialResult<Vec<CredentialSummary>> {
    let trust = TrustContext::load(store, now)?;
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(CREDENTIAL_KIND, &[], MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            out.push(summary(record.id, &decode(&record.body)?, &trust));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// A credential with all its claims and their labels in `lang`, its issuer's trust judged at
/// the wallet's time ([`WalletStore::now`]): [`show_at`] that time.
pub fn show(store: &WalletStore, id: RecordId, lang: &str) -> CredentialResult<CredentialDetail> {
    show_at(store, id, lang, store.now())
}

/// A credential with all its claims and their labels in `lang`, its issuer's trust judged
/// against the holder's issuer trust list at `now` (Unix seconds).
pub fn show_at(
    store: &WalletStore,
    id: RecordId,
    lang: &str,
    now: i64,
) -> CredentialResult<CredentialDetail> {
    let stored = load(store, id)?;
    let first = stored.first_copy().ok_or(CredentialError::NotACredential)?;
    let mut claims = first_copy_claims(&stored)?;
    let labels = labels_of(&stored);
    for claim in &mut claims {
        claim.label = labels.claim_label(&claim.path, lang);
    }
    let holder_key = holder_keys::list(store)?
        .into_iter()
        .find(|k| k.slot == first.holder_key_slot)
        .ok_or(CredentialError::NotBoundToThisWallet)?;
    Ok(CredentialDetail {
        summary: summary(id, &stored, &TrustContext::load(store, now)?),
        claims,
        holder_key,
    })
}

/// The claim paths a credential holds (its first copy's: every copy holds the same claims),
/// without labels or issuer trust: what matching a request against it needs.
pub fn claim_paths(store: &WalletStore, id: RecordId) -> CredentialResult<Vec<String>> {
    let stored = load(store, id)?;
    Ok(first_copy_claims(&stored)?
        .into_iter()
        .map(|claim| claim.path)
        .collect())
}

/// The claims of a credential's first copy (every copy holds the same claims), unlabelled.
fn first_copy_claims(stored: &StoredCredential) -> CredentialResult<Vec<ClaimEntry>> {
    let first = stored.first_copy().ok_or(CredentialError::NotACredential)?;
    copy_claims(stored.format, &first.issued)
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
    /// The verifier's name, as its request gave it (or as the holder scanned it): its own
    /// claim, unchecked.
    pub name: Option<String>,
    /// The verifier's identifier the presentation is bound to (an SD-JWT `aud`; for mdoc the
    /// identifier its session transcript names).
    pub audience: Option<String>,
    /// Who the wallet established the verifier to be (answers to a request; `None` for
    /// presentations without one).
    pub identity: Option<DisclosedVerifier>,
}

/// Who a disclosure went to, as the wallet established it when the person consented (ADR
/// 0021): the certified identity, or "unverified" with the name the request claimed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DisclosedVerifier {
    /// A verifier certified by a registrar on the holder's trust list.
    Verified {
        /// The organisation, as certified.
        organisation: String,
        /// Its country, as certified.
        country: String,
        /// The registrar's name, from the holder's trust list.
        registrar: String,
        /// The certificate's reference (16 hex digits).
        certificate_reference: String,
    },
    /// A verifier the wallet could not verify.
    Unverified {
        /// The name its request claimed (never checked).
        claimed_name: String,
        /// Why it was not verified (snake_case: `no_certificate`, `unknown_registrar`, ...).
        reason: String,
    },
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
            identity: None,
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
///
/// Uses a copy never presented before and marks it presented in the same transaction as the
/// disclosure record. A credential of one copy presents it every time; a batch whose copies
/// are all presented fails with [`CredentialError::NoCopiesLeft`] unless the wallet setting
/// [`reuse_last_copy`](settings::WalletSettings::reuse_last_copy) is on, which presents
/// the copy presented last again (ADR 0017).
pub fn present_to(
    store: &mut WalletStore,
    id: RecordId,
    claims: &[String],
    binding: &PresentationBinding,
    recipient: &Recipient,
    now: i64,
    platform_signer: Option<&dyn Es256Signer>,
) -> CredentialResult<Presentation> {
    let record = store.get(id)?;
    if record.kind != CREDENTIAL_KIND {
        return Err(CredentialError::NotACredential);
    }
    let mut stored = decode(&record.body)?;
    let index = choose_copy(store, &stored)?;
    let copy = stored
        .copies
        .get(index)
        .ok_or(CredentialError::NoCopiesLeft)?;
    let key = holder_keys::list(store)?
        .into_iter()
        .find(|k| k.slot == copy.holder_key_slot)
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
            sdjwt_credential::present(&copy.issued, claims, binding, now, signer)?
        }
        CredentialFormat::Mdoc => mdoc_credential::present(&copy.issued, claims, binding, signer)?,
    };
    if let Some(copy) = stored.copies.get_mut(index) {
        copy.presented_at = Some(now);
    }
    let body = encode(&stored)?;
    let disclosure = disclosure_record(id, claims, recipient, now)?;
    store.write(|writer| -> CredentialResult<()> {
        writer.update(id, &record.tags, &body)?;
        writer.put(&disclosure)?;
        Ok(())
    })?;
    Ok(presentation)
}

/// Which copy the next presentation uses: the first never presented; the only one of a
/// single-copy credential; when none is left, the one presented last if the wallet reuses
/// copies.
fn choose_copy(store: &WalletStore, stored: &StoredCredential) -> CredentialResult<usize> {
    if stored.copies.len() == 1 {
        return Ok(0);
    }
    if let Some(fresh) = stored.copies.iter().position(|c| c.presented_at.is_none()) {
        return Ok(fresh);
    }
    if !settings::load(store)?.reuse_last_copy {
        return Err(CredentialError::NoCopiesLeft);
    }
    stored
        .copies
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| c.presented_at)
        .map(|(index, _)| index)
        .ok_or(CredentialError::NoCopiesLeft)
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
    /// The verifier's name as its request gave it (unchecked), when known.
    #[serde(default)]
    pub verifier_name: Option<String>,
    /// Who the wallet established the verifier to be when the person consented; absent in
    /// records written before verifiers could be verified, and for static presentations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifier: Option<DisclosedVerifier>,
    /// When, Unix seconds.
    pub at: i64,
}

fn disclosure_record(
    id: RecordId,
    claims: &[String],
    recipient: &Recipient,
    now: i64,
) -> CredentialResult<NewRecord> {
    let entry = DisclosureEntry {
        credential_id: id.to_string(),
        claims: claims.to_vec(),
        audience: recipient.audience.clone(),
        verifier_name: recipient.name.clone(),
        verifier: recipient.identity.clone(),
        at: now,
    };
    let body = serde_json::to_vec(&entry).map_err(|_| {
        CredentialError::Store(laissez_store::StoreError::Storage(
            "could not encode a disclosure".into(),
        ))
    })?;
    Ok(NewRecord {
        kind: DISCLOSURE_KIND.into(),
        tags: vec![Tag::new("credential", id.to_string())],
        body,
    })
}

/// Records in the disclosure history that `claims` of the item `id` (a kept card, shown as
/// it is) went to `audience` with no request and no verifier established.
pub(crate) fn record_shown(
    store: &mut WalletStore,
    id: RecordId,
    claims: &[String],
    audience: &str,
    now: i64,
) -> CredentialResult<()> {
    let recipient = Recipient {
        name: None,
        audience: Some(audience.into()),
        identity: None,
    };
    let record = disclosure_record(id, claims, &recipient, now)?;
    store.put(&record)?;
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
