//! The field verifier's security state — the trust list, the cached status lists, the replay
//! cache and the pending requests — kept under a MAC'd manifest, so that whoever can write to
//! the verifier's file but holds no key cannot roll one record back, drop one or add one.
//!
//! Records are sealed under the data key, so nobody without it can forge one; but rows can be
//! deleted, and an older sealed row can be put back (an older trust list, a status list from
//! before a revocation). The manifest is one record of kind [`MANIFEST_KIND`] listing every
//! protected record's id and digest with a generation counter, authenticated by HMAC-SHA256
//! under a key derived from the wallet seed (never stored). Every change to protected records
//! goes through [`write`], which checks the manifest, makes the changes and writes the next
//! manifest in the same SQLite transaction. [`check`] compares the store with the manifest:
//! a missing, extra or altered record, or a bad MAC, is [`SecurityStateError::Tampered`].
//!
//! Out of reach without a hardware counter: putting back a whole older copy of the file (or
//! of every protected row and the manifest together). The generation counter makes such a
//! copy recognisable once the app keeps the last generation somewhere the file's writer
//! cannot reach.

use std::collections::BTreeMap;

use laissez_crypto::secret::SecretKey;
use laissez_store::{
    MAX_PAGE_SIZE, NewRecord, PageCursor, Record, RecordId, StoreError, StoreWriter, Tag,
    WalletStore,
};

/// Record kind of the manifest.
pub const MANIFEST_KIND: &str = "security_manifest";
/// Record kinds the manifest protects.
pub const PROTECTED_KINDS: [&str; 4] = [
    super::record_kinds::TRUST_LIST_KIND,
    super::record_kinds::STATUS_LIST_KIND,
    super::record_kinds::SEEN_KIND,
    super::record_kinds::PENDING_KIND,
];
/// The store mark ([`WalletStore::set_mark`]) saying this wallet has had a manifest: from
/// then on a missing manifest is tampering, never a verifier from before manifests.
pub const MANIFEST_MARK: &str = "laissez/verifier-manifest";
/// Label of the manifest's MAC key, derived from the seed.
const MAC_KEY_LABEL: &str = "laissez/v1/verifier-manifest";
const MAC_LEN: usize = 32;
const DIGEST_LEN: usize = 32;
const ENTRY_LEN: usize = 16 + DIGEST_LEN;

/// Which kind of change to the security state was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tampering {
    /// The wallet has had a manifest (its sealed mark says so), and it is gone.
    MissingManifest,
    /// More than one manifest.
    ExtraManifest,
    /// The manifest's MAC does not verify.
    BadManifest,
    /// A record the manifest lists is gone.
    MissingRecord,
    /// A record the manifest does not list.
    ExtraRecord,
    /// A record differs from the digest the manifest holds for it (an older copy).
    AlteredRecord,
}

impl Tampering {
    /// A short description, free of anything personal.
    pub fn describe(self) -> &'static str {
        match self {
            Tampering::MissingManifest => "the security manifest is missing",
            Tampering::ExtraManifest => "there is more than one security manifest",
            Tampering::BadManifest => "the security manifest does not verify",
            Tampering::MissingRecord => "a protected record was deleted",
            Tampering::ExtraRecord => "a protected record was added outside the verifier",
            Tampering::AlteredRecord => "a protected record was replaced by another copy",
        }
    }
}

/// Why the security state could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum SecurityStateError {
    /// The verifier's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The verifier's file was changed behind its back.
    #[error(
        "the verifier's security state was tampered with: {} (record kind {kind})",
        .tampering.describe()
    )]
    Tampered {
        /// What was found.
        tampering: Tampering,
        /// The record kind concerned (a fixed name, never personal).
        kind: &'static str,
    },
}

fn tampered(tampering: Tampering, kind: &'static str) -> SecurityStateError {
    SecurityStateError::Tampered { tampering, kind }
}

/// What the manifest says: generation and every protected record's kind and digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Manifest {
    generation: u64,
    records: BTreeMap<RecordId, (u8, [u8; DIGEST_LEN])>,
}

/// Whether records of `kind` belong to a field verifier's security state (the protected kinds
/// and the manifest): they never travel in a backup.
pub fn is_security_state(kind: &str) -> bool {
    kind == MANIFEST_KIND || PROTECTED_KINDS.contains(&kind)
}

fn kind_code(kind: &str) -> Option<u8> {
    PROTECTED_KINDS
        .iter()
        .position(|k| *k == kind)
        .and_then(|i| u8::try_from(i).ok())
}

fn kind_name(code: u8) -> &'static str {
    PROTECTED_KINDS
        .get(usize::from(code))
        .copied()
        .unwrap_or(MANIFEST_KIND)
}

/// What the manifest pins of a record: its kind, tags and body.
fn digest(kind: &str, tags: &[Tag], body: &[u8]) -> [u8; DIGEST_LEN] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut field = |bytes: &[u8]| {
        context.update(&(bytes.len() as u64).to_be_bytes());
        context.update(bytes);
    };
    field(kind.as_bytes());
    for tag in tags {
        field(tag.name.as_bytes());
        field(tag.value.as_bytes());
    }
    field(body);
    let mut out = [0u8; DIGEST_LEN];
    out.copy_from_slice(context.finish().as_ref());
    out
}

impl Manifest {
    /// `generation (8, BE) || [id (16) || kind (1) || digest (32)]*` then the MAC over it.
    fn encode(&self, key: &ring::hmac::Key) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.records.len() * (ENTRY_LEN + 1) + MAC_LEN);
        out.extend_from_slice(&self.generation.to_be_bytes());
        for (id, (kind, digest)) in &self.records {
            out.extend_from_slice(id.as_bytes());
            out.push(*kind);
            out.extend_from_slice(digest);
        }
        let tag = ring::hmac::sign(key, &out);
        out.extend_from_slice(tag.as_ref());
        out
    }

    fn decode(body: &[u8], key: &ring::hmac::Key) -> Result<Self, SecurityStateError> {
        let bad = || tampered(Tampering::BadManifest, MANIFEST_KIND);
        let split = body.len().checked_sub(MAC_LEN).ok_or_else(bad)?;
        let (content, mac) = body.split_at(split);
        ring::hmac::verify(key, content, mac).map_err(|_| bad())?;
        let (generation, mut rest) = content.split_first_chunk::<8>().ok_or_else(bad)?;
        let mut records = BTreeMap::new();
        while !rest.is_empty() {
            let (entry, tail) = rest.split_at_checked(ENTRY_LEN + 1).ok_or_else(bad)?;
            let id = RecordId::parse(&hex::encode(&entry[..16])).map_err(|_| bad())?;
            let mut digest = [0u8; DIGEST_LEN];
            digest.copy_from_slice(&entry[17..]);
            records.insert(id, (entry[16], digest));
            rest = tail;
        }
        Ok(Self {
            generation: u64::from_be_bytes(*generation),
            records,
        })
    }
}

fn mac_key(store: &WalletStore) -> Result<ring::hmac::Key, StoreError> {
    let key: SecretKey = store.seed_key(MAC_KEY_LABEL, b"")?;
    Ok(ring::hmac::Key::new(
        ring::hmac::HMAC_SHA256,
        key.as_bytes(),
    ))
}

/// Every record of `kind`, through any paged reader.
fn all_of(find: &PageReader<'_>, kind: &str) -> Result<Vec<Record>, StoreError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = find(kind, cursor)?;
        out.extend(page.records);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// Reads pages of records of a kind from a store or from an open write. A trait object, not
/// a generic: each function below is compiled once (the phone library's size).
type PageReader<'a> =
    dyn Fn(&str, Option<PageCursor>) -> Result<laissez_store::Page, StoreError> + 'a;

/// Reads the manifest and compares it with the protected records now in the store.
/// `marked`: whether the wallet carries [`MANIFEST_MARK`].
fn verified(
    find: &PageReader<'_>,
    key: &ring::hmac::Key,
    marked: bool,
) -> Result<(Option<RecordId>, Manifest), SecurityStateError> {
    let manifests = all_of(find, MANIFEST_KIND)?;
    let (manifest_id, manifest) = match manifests.as_slice() {
        [] if marked => return Err(tampered(Tampering::MissingManifest, MANIFEST_KIND)),
        // A verifier from before manifests (or a new one): its records are taken as they are,
        // once; the first write lists them and marks the wallet.
        [] => return Ok((None, adopted(find)?)),
        [one] => (Some(one.id), Manifest::decode(&one.body, key)?),
        _ => return Err(tampered(Tampering::ExtraManifest, MANIFEST_KIND)),
    };
    let mut listed = manifest.records.clone();
    for (code, kind) in PROTECTED_KINDS.iter().enumerate() {
        for record in all_of(find, kind)? {
            match listed.remove(&record.id) {
                None => return Err(tampered(Tampering::ExtraRecord, kind)),
                Some((listed_code, listed_digest)) => {
                    if usize::from(listed_code) != code
                        || listed_digest != digest(&record.kind, &record.tags, &record.body)
                    {
                        return Err(tampered(Tampering::AlteredRecord, kind));
                    }
                }
            }
        }
    }
    if let Some((kind, _)) = listed.values().next() {
        return Err(tampered(Tampering::MissingRecord, kind_name(*kind)));
    }
    Ok((manifest_id, manifest))
}

/// The manifest of a verifier that never had one: every protected record as it is now.
fn adopted(find: &PageReader<'_>) -> Result<Manifest, StoreError> {
    let mut manifest = Manifest::default();
    for (code, kind) in PROTECTED_KINDS.iter().enumerate() {
        for record in all_of(find, kind)? {
            let code = u8::try_from(code).unwrap_or(u8::MAX);
            let digest = digest(&record.kind, &record.tags, &record.body);
            manifest.records.insert(record.id, (code, digest));
        }
    }
    Ok(manifest)
}

/// Checks that the protected records are exactly those the manifest lists. Returns the
/// manifest's generation (0 for a verifier that never stored any).
pub fn check(store: &WalletStore) -> Result<u64, SecurityStateError> {
    let key = mac_key(store)?;
    let (_, manifest) = verified(
        &|kind, after| store.find(kind, &[], MAX_PAGE_SIZE, after),
        &key,
        store.has_mark(MANIFEST_MARK)?,
    )?;
    Ok(manifest.generation)
}

/// Changes to the protected records (and any other), made inside [`write`].
pub struct ProtectedWriter<'w, 'a> {
    writer: &'w mut StoreWriter<'a>,
    manifest: Manifest,
}

impl ProtectedWriter<'_, '_> {
    /// Stores a record; a protected one is listed in the manifest.
    pub fn put(&mut self, record: &NewRecord) -> Result<RecordId, StoreError> {
        let id = self.writer.put(record)?;
        if let Some(code) = kind_code(&record.kind) {
            let digest = digest(&record.kind, &record.tags, &record.body);
            self.manifest.records.insert(id, (code, digest));
        }
        Ok(id)
    }

    /// Replaces a record's tags and body (and its digest, when protected).
    pub fn update(&mut self, id: RecordId, tags: &[Tag], body: &[u8]) -> Result<(), StoreError> {
        self.writer.update(id, tags, body)?;
        if let Some((code, old)) = self.manifest.records.get_mut(&id) {
            *old = digest(kind_name(*code), tags, body);
        }
        Ok(())
    }

    /// Deletes a record (and its manifest entry).
    pub fn delete(&mut self, id: RecordId) -> Result<(), StoreError> {
        self.writer.delete(id)?;
        self.manifest.records.remove(&id);
        Ok(())
    }

    /// Every record of `kind`, as this transaction sees them, oldest first.
    pub fn all(&self, kind: &str) -> Result<Vec<Record>, StoreError> {
        all_of(
            &|kind, after| self.writer.find(kind, &[], MAX_PAGE_SIZE, after),
            kind,
        )
    }

    /// One page of the records of `kind` with every tag in `tags`.
    pub fn find(&self, kind: &str, tags: &[Tag]) -> Result<Vec<Record>, StoreError> {
        Ok(self.writer.find(kind, tags, MAX_PAGE_SIZE, None)?.records)
    }
}

/// Checks the manifest, runs `changes`, and writes the next manifest (generation + 1) in the
/// same transaction: the changes and the manifest that lists them land together or not at all.
pub fn write<T, E>(
    store: &mut WalletStore,
    changes: impl FnOnce(&mut ProtectedWriter<'_, '_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<SecurityStateError> + From<StoreError>,
{
    // As in `WalletStore::write`: only this adapter is compiled per caller.
    let mut changes = Some(changes);
    let mut outcome = None;
    write_erased(store, &mut |protected| {
        let result = changes.take().map(|f| f(protected));
        let commit = matches!(result, Some(Ok(_)));
        outcome = result;
        commit
    })?;
    outcome.unwrap_or_else(|| {
        Err(StoreError::Storage("a write ran without its changes".into()).into())
    })
}

/// Why [`write_erased`]'s transaction did not commit.
enum Outcome {
    /// The changes failed (their error is the caller's).
    RolledBack,
    /// Reading or writing the security state failed.
    Failed(SecurityStateError),
}

impl From<StoreError> for Outcome {
    fn from(err: StoreError) -> Self {
        Self::Failed(err.into())
    }
}

impl From<SecurityStateError> for Outcome {
    fn from(err: SecurityStateError) -> Self {
        Self::Failed(err)
    }
}

/// [`write`] with the changes behind a trait object: they commit, with the next manifest,
/// when `changes` returns `true`; nothing does when it returns `false`.
fn write_erased(
    store: &mut WalletStore,
    changes: &mut dyn FnMut(&mut ProtectedWriter<'_, '_>) -> bool,
) -> Result<(), SecurityStateError> {
    let key = mac_key(store)?;
    let marked = store.has_mark(MANIFEST_MARK)?;
    let committed = store
        .write(|writer| {
            let (manifest_id, manifest) = verified(
                &|kind, after| writer.find(kind, &[], MAX_PAGE_SIZE, after),
                &key,
                marked,
            )?;
            let mut protected = ProtectedWriter { writer, manifest };
            if !changes(&mut protected) {
                // Rolls the transaction back; the caller has the changes' own error.
                return Err(Outcome::RolledBack);
            }
            let ProtectedWriter {
                writer,
                mut manifest,
            } = protected;
            manifest.generation += 1;
            let body = manifest.encode(&key);
            match manifest_id {
                Some(id) => writer.update(id, &[], &body)?,
                None => {
                    writer.put(&NewRecord {
                        kind: MANIFEST_KIND.into(),
                        tags: Vec::new(),
                        body,
                    })?;
                }
            }
            Ok(true)
        })
        .or_else(|outcome| match outcome {
            Outcome::RolledBack => Ok(false),
            Outcome::Failed(err) => Err(err),
        })?;
    // After the manifest is committed (only then: a failed first write leaves no manifest to
    // miss). Killed in between, the next write marks the wallet.
    if committed && !marked {
        store.set_mark(MANIFEST_MARK)?;
    }
    Ok(())
}
