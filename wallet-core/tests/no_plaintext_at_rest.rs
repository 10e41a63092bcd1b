//! No plaintext at rest: record bodies, kinds, tag names and values, the PIN and the recovery
//! phrase never appear in the bytes of the database, its write-ahead log or its shared-memory
//! file, neither while the log still holds the data nor after it was checkpointed; and what
//! update and delete replaced is gone from the file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{NewRecord, StoreOptions, Tag, WalletStore};

const PIN: &str = "pin-canary-7Q4zK9x31";

fn options() -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

/// The database and the files SQLite keeps beside it.
fn wallet_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return false;
    };
    haystack
        .iter()
        .enumerate()
        .any(|(at, &b)| b == first && haystack[at..].starts_with(needle))
}

/// Every canary found in any of the files, as "file: canary".
fn leaks(db: &Path, canaries: &[Vec<u8>]) -> Vec<String> {
    let mut found = Vec::new();
    for file in wallet_files(db) {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for canary in canaries {
            if contains(&bytes, canary) {
                found.push(format!(
                    "{}: {}",
                    file.display(),
                    String::from_utf8_lossy(canary)
                ));
            }
        }
    }
    found
}

fn wal_len(db: &Path) -> u64 {
    std::fs::metadata(&wallet_files(db)[1]).map_or(0, |m| m.len())
}

/// A record whose every field is a distinct canary; the body repeats its canary over several
/// pages so overflow pages are covered too.
fn canary_record(n: u32, body_repeat: usize) -> NewRecord {
    NewRecord {
        kind: format!("KIND-canary-{n}-x7"),
        tags: vec![
            Tag::new(
                format!("TAGNAME-canary-{n}-q2"),
                format!("TAGVALUE-canary-{n}-w9"),
            ),
            Tag::new(
                format!("TAGNAME2-canary-{n}-z5"),
                format!("TAGVALUE2-canary-{n}-k8"),
            ),
        ],
        body: format!("BODY-canary-{n}-m3;")
            .repeat(body_repeat)
            .into_bytes(),
    }
}

fn record_canaries(record: &NewRecord) -> Vec<Vec<u8>> {
    let mut out = vec![record.kind.clone().into_bytes()];
    for tag in &record.tags {
        out.push(tag.name.clone().into_bytes());
        out.push(tag.value.clone().into_bytes());
    }
    // The body's canary is its first repetition.
    let first = record.body.iter().position(|b| *b == b';').unwrap();
    out.push(record.body[..first].to_vec());
    out
}

/// The text every wallet file holds in clear whatever its secrets: the schema SQL and the
/// names in the key slots' parameters ("recovery", "memory_kib"...). A recovery word found
/// inside it ("cover" in "recovery", "table", "guard") says nothing about a leak, so such
/// words are not used as canaries. Read from a throwaway wallet made with other words.
fn clear_text() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reference.db");
    let (mut store, _) = WalletStore::create(&db, "0000", options()).unwrap();
    store.put(&canary_record(99, 1)).unwrap();
    let mut text = Vec::new();
    for file in wallet_files(&db) {
        text.extend(std::fs::read(file).unwrap_or_default());
    }
    text.extend(
        include_str!("../store/src/migrations/001_initial.sql")
            .to_lowercase()
            .bytes(),
    );
    text
}

/// The PIN and the recovery phrase as they could be stored: the whole phrase, each pair of
/// neighbouring words, each word of five letters or more (shorter words turn up in kilobytes
/// of ciphertext by chance) that is not part of the files' clear text, the 32 bytes of
/// entropy and the 64-byte seed.
fn secret_canaries(phrase: &wallet_core::mnemonic::RecoveryPhrase) -> Vec<Vec<u8>> {
    let words: Vec<String> = phrase.words().iter().map(|w| w.to_string()).collect();
    let clear = clear_text();
    let mut out = vec![PIN.as_bytes().to_vec(), phrase.phrase().as_bytes().to_vec()];
    out.extend(words.windows(2).map(|p| p.join(" ").into_bytes()));
    out.extend(
        words
            .iter()
            .filter(|w| w.len() >= 5 && !contains(&clear, w.as_bytes()))
            .map(|w| w.clone().into_bytes()),
    );
    let mnemonic =
        bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &phrase.phrase()).unwrap();
    out.push(mnemonic.to_entropy());
    out.push(phrase.seed().to_vec());
    out
}

#[test]
fn the_scan_finds_plaintext_that_is_there() {
    // Control: the same scan on an ordinary SQLite file in WAL mode finds a stored string,
    // both in the log and, after the checkpoint, in the database.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plain.db");
    let conn = Connection::open(&db).unwrap();
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch("CREATE TABLE t (v TEXT)").unwrap();
    conn.execute("INSERT INTO t VALUES (?1)", ["BODY-canary-0-m3"])
        .unwrap();
    let canary = vec![b"BODY-canary-0-m3".to_vec()];
    assert!(wal_len(&db) > 0);
    assert_eq!(leaks(&db, &canary).len(), 1, "in the log");
    drop(conn);
    assert_eq!(wal_len(&db), 0);
    assert_eq!(leaks(&db, &canary).len(), 1, "in the database");
}

#[test]
fn no_canary_in_the_files_while_open_or_after_close() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (mut store, phrase) = WalletStore::create(&db, PIN, options()).unwrap();
    let records: Vec<NewRecord> = (0..6)
        .map(|n| canary_record(n, 1 + 300 * n as usize))
        .collect();
    store.put(&records[0]).unwrap();
    store.put_many(&records[1..]).unwrap();
    let mut canaries = secret_canaries(&phrase);
    for record in &records {
        canaries.extend(record_canaries(record));
    }

    // Open, not checkpointed: the records are in the log.
    assert!(wal_len(&db) > 0, "the log should hold the records");
    assert_eq!(leaks(&db, &canaries), Vec::<String>::new(), "with the log");

    // Queries build blind indexes and decrypt; they must not spill anything either.
    let found = store
        .find(&records[2].kind, &records[2].tags[..1], 10, None)
        .unwrap();
    assert_eq!(found.records.len(), 1);
    store.lock();
    store.unlock(PIN).unwrap();
    assert_eq!(leaks(&db, &canaries), Vec::<String>::new(), "after unlock");

    // Closed: SQLite checkpoints the log into the database and removes it.
    drop(store);
    assert_eq!(wal_len(&db), 0);
    assert_eq!(leaks(&db, &canaries), Vec::<String>::new(), "after close");
}

/// The raw stored rows of a record (`sealed`, and its tag index rows), read with SQLite.
fn raw_rows(db: &Path) -> Vec<(Vec<u8>, Vec<Vec<u8>>)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT seq, sealed FROM records ORDER BY seq")
        .unwrap();
    let rows: Vec<(i64, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.into_iter()
        .map(|(seq, sealed)| {
            let tags = conn
                .prepare("SELECT tag_index FROM record_tags WHERE record_seq = ?1")
                .unwrap()
                .query_map([seq], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (sealed, tags)
        })
        .collect()
}

#[test]
fn update_and_delete_leave_nothing_of_the_old_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (mut store, _) = WalletStore::create(&db, PIN, options()).unwrap();
    let updated = canary_record(1, 200);
    let deleted = canary_record(2, 200);
    let kept = canary_record(3, 200);
    let ids = store
        .put_many(&[updated.clone(), deleted.clone(), kept])
        .unwrap();
    drop(store);
    // What the file held for the two records before they changed: their ciphertexts and
    // blind indexes (32 random-looking bytes each, so a match is never chance).
    let before = raw_rows(&db);
    let mut old_bytes: Vec<Vec<u8>> = Vec::new();
    for (sealed, tags) in &before[..2] {
        // Three windows of the ciphertext: start (nonce), middle, end (tag).
        for start in [0, sealed.len() / 2, sealed.len() - 32] {
            old_bytes.push(sealed[start..start + 32].to_vec());
        }
        old_bytes.extend(tags.iter().cloned());
    }
    let mut old_plain = record_canaries(&updated);
    old_plain.extend(record_canaries(&deleted));

    let mut store = WalletStore::open(&db, options()).unwrap();
    store.unlock(PIN).unwrap();
    let replacement = canary_record(4, 50);
    store
        .update(ids[0], &replacement.tags, &replacement.body)
        .unwrap();
    store.delete(ids[1]).unwrap();
    assert_eq!(leaks(&db, &old_plain), Vec::<String>::new(), "with the log");
    drop(store);

    // After the checkpoint the old pages are overwritten; secure_delete zeroes the freed
    // cells, so neither the old ciphertexts nor the old index rows linger in free space.
    assert_eq!(wal_len(&db), 0);
    assert_eq!(leaks(&db, &old_plain), Vec::<String>::new(), "after close");
    let file = std::fs::read(&db).unwrap();
    for (n, old) in old_bytes.iter().enumerate() {
        assert!(
            !contains(&file, old),
            "old stored bytes #{n} still in the file"
        );
    }
    // The kept record is untouched, so the search itself does work on this file.
    let after = raw_rows(&db);
    let (kept_sealed, _) = after.last().unwrap();
    assert_eq!(&before[2].0, kept_sealed);
    assert!(contains(&file, &kept_sealed[..32]));
}
