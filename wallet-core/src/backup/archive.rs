//! Making a backup of a whole wallet and restoring it, all or nothing.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use ciborium::Value;
use zeroize::Zeroizing;

use super::error::{BackupError, BackupResult};
use super::format::{self, BackupHeader, MAX_BACKUP_BYTES, RecordCounts, VERSION};
use crate::verifier::security_state;
use crate::wallet::credentials::{self, DISCLOSURE_KIND};
use crate::wallet::holder_keys::HOLDER_KEY_KIND;
use laissez_crypto::aead::SealingKey;
use laissez_crypto::derive::{self, BACKUP_CHECK, BACKUP_KEY};
use laissez_crypto::mnemonic::RecoveryPhrase;
use laissez_crypto::secret::SecretKey;
use laissez_formats::credential::CREDENTIAL_KIND;
use laissez_qr::{Envelope, MessageKind};
use laissez_store::{NewRecord, Tag, WalletStore};

/// Most records one backup may hold.
const MAX_RECORDS: usize = 1_000_000;

/// One record as a backup carries it.
#[derive(Clone)]
pub struct BackupRecord {
    /// Its kind.
    pub kind: String,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// Its body, wiped from memory when dropped.
    pub body: Zeroizing<Vec<u8>>,
}

/// A backup opened with the right 24 words: its header and records, in memory only.
pub struct BackupContents {
    /// The header.
    pub header: BackupHeader,
    /// The records, oldest first.
    pub records: Vec<BackupRecord>,
}

/// What a restore did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RestoreReport {
    /// Records written, by sort.
    pub restored: RecordCounts,
    /// Records already in the wallet (same kind and body), skipped.
    pub skipped_duplicates: u64,
}

/// The two keys of a backup, from a seed.
struct Keys {
    seal: SecretKey,
    check: [u8; 8],
}

impl Keys {
    fn from_seed(seed: &[u8]) -> BackupResult<Self> {
        let check = derive::from_seed(seed, BACKUP_CHECK, b"")?;
        Ok(Self {
            seal: derive::from_seed(seed, BACKUP_KEY, b"")?,
            check: check_bytes(&check),
        })
    }

    fn from_store(store: &WalletStore) -> BackupResult<Self> {
        let check = store.seed_key(BACKUP_CHECK, b"")?;
        Ok(Self {
            seal: store.seed_key(BACKUP_KEY, b"")?,
            check: check_bytes(&check),
        })
    }
}

fn check_bytes(key: &SecretKey) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(&key.as_bytes()[..8]);
    out
}

fn sort_of(kind: &str, counts: &mut RecordCounts) {
    match kind {
        CREDENTIAL_KIND => counts.credentials += 1,
        HOLDER_KEY_KIND => counts.holder_keys += 1,
        DISCLOSURE_KIND => counts.disclosures += 1,
        _ => counts.other += 1,
    }
}

/// Backs up every record of the unlocked `store` (credentials, holder key records,
/// disclosure history, everything else; never the PIN or the data key), stamped `now`.
///
/// A field verifier's security state stays out ([`security_state::is_security_state`]): its
/// pending requests hold ephemeral keys that would open photographed answers, and an older
/// copy of its trust list, status lists or replay cache must never come back. A restored
/// verifier imports its trust list and status lists again.
pub fn create(store: &WalletStore, now: i64) -> BackupResult<Vec<u8>> {
    let keys = Keys::from_store(store)?;
    let mut records = store.export_all()?;
    records.retain(|r| !security_state::is_security_state(&r.kind));
    let mut counts = RecordCounts::default();
    let mut items = Vec::with_capacity(records.len());
    for record in &records {
        sort_of(&record.kind, &mut counts);
        items.push(Value::Array(vec![
            Value::Text(record.kind.clone()),
            Value::Array(
                record
                    .tags
                    .iter()
                    .map(|t| {
                        Value::Array(vec![
                            Value::Text(t.name.clone()),
                            Value::Text(t.value.clone()),
                        ])
                    })
                    .collect(),
            ),
            Value::Bytes(record.body.to_vec()),
            Value::Integer(record.created_at.into()),
        ]));
    }
    let mut encoded = Zeroizing::new(Vec::new());
    ciborium::into_writer(&Value::Array(items), &mut *encoded)
        .map_err(|_| BackupError::TooLarge("records"))?;
    let mut compressed = Zeroizing::new(Vec::new());
    flate2::read::DeflateEncoder::new(encoded.as_slice(), flate2::Compression::default())
        .read_to_end(&mut compressed)
        .map_err(|_| BackupError::TooLarge("records"))?;
    let header = BackupHeader {
        version: VERSION,
        created_at: now,
        counts,
        key_check: keys.check,
    };
    let mut out = format::prefix(&header)?;
    let sealed = SealingKey::new(&keys.seal)?.seal(&compressed, &out)?;
    out.extend_from_slice(&sealed);
    if out.len() > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge("backup"));
    }
    Ok(out)
}

/// What a backup says about itself, without the 24 words. Not authenticated: anyone can
/// write any date or counts here, so show it to a person only from [`BackupContents`], after
/// the backup opened.
pub fn read_header(bytes: &[u8]) -> BackupResult<BackupHeader> {
    Ok(format::parse(bytes)?.header)
}

fn open_with(bytes: &[u8], keys: &Keys) -> BackupResult<BackupContents> {
    let parsed = format::parse(bytes)?;
    let sealing = SealingKey::new(&keys.seal)?;
    let compressed = match sealing.open(parsed.sealed, parsed.aad) {
        Ok(opened) => opened,
        Err(_) if parsed.header.key_check != keys.check => {
            return Err(other_words_or_damage(&parsed, keys, &sealing));
        }
        Err(_) => return Err(BackupError::Damaged),
    };
    let mut encoded = Zeroizing::new(Vec::new());
    flate2::read::DeflateDecoder::new(compressed.as_slice())
        .take(MAX_BACKUP_BYTES as u64 * 4)
        .read_to_end(&mut encoded)
        .map_err(|_| BackupError::Damaged)?;
    let Ok(Value::Array(items)) = ciborium::from_reader::<Value, _>(encoded.as_slice()) else {
        return Err(BackupError::Damaged);
    };
    if items.len() > MAX_RECORDS {
        return Err(BackupError::TooLarge("records"));
    }
    let mut records = Vec::with_capacity(items.len());
    let mut counts = RecordCounts::default();
    for item in items {
        let Value::Array(fields) = item else {
            return Err(BackupError::Damaged);
        };
        let mut fields = fields.into_iter();
        let (Some(Value::Text(kind)), Some(Value::Array(tags)), Some(Value::Bytes(body))) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(BackupError::Damaged);
        };
        let tags = tags
            .into_iter()
            .map(|t| match t {
                Value::Array(pair) => match <[Value; 2]>::try_from(pair) {
                    Ok([Value::Text(name), Value::Text(value)]) => Ok(Tag { name, value }),
                    _ => Err(BackupError::Damaged),
                },
                _ => Err(BackupError::Damaged),
            })
            .collect::<BackupResult<Vec<_>>>()?;
        sort_of(&kind, &mut counts);
        records.push(BackupRecord {
            kind,
            tags,
            body: Zeroizing::new(body),
        });
    }
    // The clear counts are authenticated; they must also be the truth.
    if counts != parsed.header.counts {
        return Err(BackupError::Damaged);
    }
    Ok(BackupContents {
        header: parsed.header,
        records,
    })
}

/// The key check is in the clear and not authenticated by itself, so a changed byte there
/// must not make a person doubt the right words: if the seal opens once the check is put back
/// to these words' value, the words are right and the file is damaged. Otherwise nothing
/// authenticated speaks for these words, and the (intact-looking) check says whose they are.
fn other_words_or_damage(
    parsed: &format::Parsed<'_>,
    keys: &Keys,
    sealing: &SealingKey,
) -> BackupError {
    // The check as written: map key 3, an 8-byte string (0x48), the value; patched in place
    // so the rest of the associated data stays byte for byte as received.
    let mut written = vec![0x03, 0x48];
    written.extend_from_slice(&parsed.header.key_check);
    let Some(at) = parsed
        .aad
        .windows(written.len())
        .position(|w| w == written.as_slice())
    else {
        return BackupError::Damaged;
    };
    let mut aad = parsed.aad.to_vec();
    aad[at + 2..at + written.len()].copy_from_slice(&keys.check);
    if sealing.open(parsed.sealed, &aad).is_ok() {
        BackupError::Damaged
    } else {
        BackupError::OtherWallet
    }
}

/// Opens a backup with the 24 words, before any wallet exists (a new phone): a wrong phrase
/// or damage is found here, so no empty wallet is left behind.
pub fn open_with_phrase(bytes: &[u8], phrase: &RecoveryPhrase) -> BackupResult<BackupContents> {
    open_with(bytes, &Keys::from_seed(phrase.seed().as_slice())?)
}

/// Opens a backup with the seed of an unlocked wallet made from the same 24 words.
pub fn open_with_store(bytes: &[u8], store: &WalletStore) -> BackupResult<BackupContents> {
    open_with(bytes, &Keys::from_store(store)?)
}

fn identity(kind: &str, body: &[u8]) -> [u8; 32] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(&(kind.len() as u64).to_be_bytes());
    context.update(kind.as_bytes());
    context.update(body);
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

/// Writes the backup's records into the unlocked `store`, which must come from the same 24
/// words (its holder keys are re-derived from them), skipping records it already holds (same
/// kind and body; for a credential, the same first copy, its copies' presented state merged):
/// restoring twice, or into a wallet that kept some credentials, merges without duplicates. All records are written in one transaction, or none.
/// `progress(done, total)` is called as records are prepared.
pub fn restore(
    store: &mut WalletStore,
    contents: &BackupContents,
    progress: &mut dyn FnMut(u64, u64),
) -> BackupResult<RestoreReport> {
    if Keys::from_store(store)?.check != contents.header.key_check {
        return Err(BackupError::OtherWallet);
    }
    let held = store.export_all()?;
    let mut seen: HashSet<[u8; 32]> = held.iter().map(|r| identity(&r.kind, &r.body)).collect();
    // A credential the wallet holds already is the same credential even when its copies'
    // presented state differs from the backup's: kept once, with every copy presented in
    // either marked presented (so no copy is ever presented twice).
    let mut held_credentials: HashMap<String, (laissez_store::RecordId, Vec<Tag>, Vec<u8>)> = held
        .iter()
        .filter(|r| r.kind == CREDENTIAL_KIND)
        .filter_map(|r| {
            let digest = r.tag(credentials::DIGEST_TAG)?.to_owned();
            Some((digest, (r.id, r.tags.clone(), r.body.to_vec())))
        })
        .collect();
    let total = contents.records.len() as u64;
    let mut report = RestoreReport::default();
    let mut batch = Vec::new();
    for (done, record) in contents.records.iter().enumerate() {
        // Backups made before the verifier's state was left out may still carry it: it is
        // not restored (see `create`).
        if security_state::is_security_state(&record.kind) {
            continue;
        }
        let digest = (record.kind == CREDENTIAL_KIND)
            .then(|| {
                record
                    .tags
                    .iter()
                    .find(|t| t.name == credentials::DIGEST_TAG)
            })
            .flatten();
        if let Some((_, _, body)) = digest.and_then(|t| held_credentials.get_mut(&t.value)) {
            if let Some(merged) = credentials::merge_presented(body, &record.body)? {
                *body = merged;
            }
            report.skipped_duplicates += 1;
        } else if seen.insert(identity(&record.kind, &record.body)) {
            sort_of(&record.kind, &mut report.restored);
            batch.push(NewRecord {
                kind: record.kind.clone(),
                tags: record.tags.clone(),
                body: record.body.to_vec(),
            });
        } else {
            report.skipped_duplicates += 1;
        }
        if done % 256 == 0 {
            progress(done as u64, total);
        }
    }
    let updates: Vec<_> = held_credentials
        .into_values()
        .filter(|(id, _, body)| {
            held.iter()
                .any(|r| r.id == *id && r.body.as_slice() != body.as_slice())
        })
        .collect();
    store.write(|writer| -> BackupResult<()> {
        for (id, tags, body) in &updates {
            writer.update(*id, tags, body)?;
        }
        for record in &batch {
            writer.put(record)?;
        }
        Ok(())
    })?;
    progress(total, total);
    Ok(report)
}

/// A backup as a QR message, for an animated phone-to-phone transfer.
pub fn to_message(backup: Vec<u8>) -> Envelope {
    Envelope {
        kind: MessageKind::Backup,
        payload: backup,
    }
}

/// The backup a scanned message carries.
pub fn from_message(message: &Envelope) -> BackupResult<&[u8]> {
    if message.kind != MessageKind::Backup {
        return Err(BackupError::NotABackup);
    }
    Ok(&message.payload)
}
