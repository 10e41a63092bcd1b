//! Bad input at the door: wrong PINs, wrong recovery phrases, and files that are not (or no
//! longer) a usable wallet. Each gets its own typed error, and a file that is refused is left
//! byte for byte as it was, never deleted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::mnemonic::{MnemonicProblem, RecoveryPhrase};
use wallet_core::store::{
    APPLICATION_ID, NewRecord, RecordId, SCHEMA_VERSION, StoreOptions, Tag, WalletStore,
};

const PIN: &str = "2468";

fn options() -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// What is at `path` and beside it: a SHA-256 per file, the entry names of a directory,
/// `None` for nothing.
fn snapshot(path: &Path) -> Vec<(String, Option<String>)> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let p = with_suffix(path, suffix);
            let state = if p.is_dir() {
                let mut names: Vec<String> = std::fs::read_dir(&p)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                Some(format!("directory {names:?}"))
            } else {
                std::fs::read(&p)
                    .ok()
                    .map(|bytes| hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes)))
            };
            (suffix.to_string(), state)
        })
        .collect()
}

/// A closed wallet holding one record.
fn make_wallet(path: &Path) -> (RecoveryPhrase, RecordId) {
    let (mut store, phrase) = WalletStore::create(path, PIN, options()).unwrap();
    let id = store
        .put(&NewRecord {
            kind: "doc".into(),
            tags: vec![Tag::new("holder", "amira")],
            body: vec![7u8; 20_000],
        })
        .unwrap();
    drop(store);
    (phrase, id)
}

/// Deterministic bytes that are not a database.
fn garbage(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn open_err(path: &Path) -> StoreError {
    WalletStore::open(path, options()).unwrap_err()
}

#[test]
fn wrong_pins_are_typed_counted_and_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (_, id) = make_wallet(&db);
    let mut store = WalletStore::open(&db, options()).unwrap();
    let cases = [
        (
            "near miss",
            "2469",
            StoreError::WrongPin {
                attempts_left: 4,
                retry_after_secs: 0,
            },
        ),
        (
            "longer",
            "24680",
            StoreError::WrongPin {
                attempts_left: 3,
                retry_after_secs: 0,
            },
        ),
        // Malformed entries are refused before the counter: they cannot be a guess.
        ("empty", "", StoreError::InvalidPin("1 to 128 bytes".into())),
        (
            "too long",
            &"9".repeat(129),
            StoreError::InvalidPin("1 to 128 bytes".into()),
        ),
        (
            "another miss",
            "8642",
            StoreError::WrongPin {
                attempts_left: 2,
                retry_after_secs: 0,
            },
        ),
    ];
    for (what, pin, expected) in cases {
        assert_eq!(store.unlock(pin).unwrap_err(), expected, "{what}");
        assert!(store.is_locked(), "{what}");
    }
    assert_eq!(store.info().unwrap().failed_pin_attempts, 3);
    store.unlock(PIN).unwrap();
    assert_eq!(store.get(id).unwrap().body.len(), 20_000);
    assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
}

/// The outcome of trying a phrase that is not the wallet's: `Err` from parsing, or the error
/// of `recover` when the phrase parses.
fn try_phrase(store: &mut WalletStore, words: &[String]) -> StoreError {
    match RecoveryPhrase::parse(&words.join(" ")) {
        Err(err) => err.into(),
        Ok(phrase) => store.recover(&phrase, "1357").unwrap_err(),
    }
}

#[test]
fn wrong_recovery_phrases_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (phrase, id) = make_wallet(&db);
    let words: Vec<String> = phrase.words().iter().map(|w| w.to_string()).collect();
    let before = snapshot(&db);
    let mut store = WalletStore::open(&db, options()).unwrap();

    let bad_checksum = StoreError::InvalidMnemonic(MnemonicProblem::BadChecksum);
    // A word replaced by another valid word: the BIP39 checksum (8 bits for 24 words) catches
    // all but about one in 256; those parse and are not this wallet's.
    let list = bip39::Language::English.word_list();
    let (mut caught_by_checksum, mut caught_by_wallet) = (0, 0);
    for candidate in list.iter().take(64).filter(|w| **w != words[6]) {
        let mut wrong = words.clone();
        wrong[6] = (*candidate).to_string();
        match try_phrase(&mut store, &wrong) {
            err if err == bad_checksum => caught_by_checksum += 1,
            StoreError::MnemonicMismatch => caught_by_wallet += 1,
            other => panic!("word 7 replaced by a valid word: {other:?}"),
        }
    }
    assert!(caught_by_checksum >= 50, "{caught_by_checksum}");
    // Two neighbouring words swapped: the same two outcomes.
    for i in (0..23).filter(|&i| words[i] != words[i + 1]) {
        let mut wrong = words.clone();
        wrong.swap(i, i + 1);
        match try_phrase(&mut store, &wrong) {
            err if err == bad_checksum => caught_by_checksum += 1,
            StoreError::MnemonicMismatch => caught_by_wallet += 1,
            other => panic!("words {i} and {} swapped: {other:?}", i + 1),
        }
    }

    let mut unknown = words.clone();
    unknown[11] = "wallet-ish".into();
    let other_wallet = RecoveryPhrase::generate().unwrap();
    let other_words: Vec<String> = other_wallet.words().iter().map(|w| w.to_string()).collect();
    let cases = [
        (
            "unknown word",
            unknown,
            StoreError::InvalidMnemonic(MnemonicProblem::UnknownWord(12)),
        ),
        (
            "23 words",
            words[..23].to_vec(),
            StoreError::InvalidMnemonic(MnemonicProblem::WrongWordCount(23)),
        ),
        (
            "25 words",
            [words.clone(), vec![words[0].clone()]].concat(),
            StoreError::InvalidMnemonic(MnemonicProblem::WrongWordCount(25)),
        ),
        (
            "another wallet's phrase",
            other_words,
            StoreError::MnemonicMismatch,
        ),
    ];
    for (what, phrase_words, expected) in cases {
        assert_eq!(try_phrase(&mut store, &phrase_words), expected, "{what}");
    }
    assert!(store.is_locked());
    println!("checksum caught {caught_by_checksum}, the wallet caught {caught_by_wallet}");

    // None of it wrote anything: the PIN counter is untouched, the file identical.
    assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
    drop(store);
    assert_eq!(snapshot(&db), before);

    // And the right phrase still works.
    let mut store = WalletStore::open(&db, options()).unwrap();
    store.recover(&phrase, "1357").unwrap();
    assert_eq!(store.get(id).unwrap().body.len(), 20_000);
}

/// Makes the file (or directory) for a case under the given directory.
type Make = fn(&Path) -> PathBuf;
/// Whether an error is the one a case expects.
type Expect = fn(&StoreError) -> bool;

#[test]
fn unusable_files_get_typed_errors_and_are_left_untouched() {
    let cases: Vec<(&str, Make, Expect)> = vec![
        (
            "missing",
            |dir| dir.join("nothing.db"),
            |e| *e == StoreError::NotFound,
        ),
        (
            "empty file",
            |dir| {
                let p = dir.join("empty.db");
                std::fs::write(&p, b"").unwrap();
                p
            },
            |e| matches!(e, StoreError::NotAWallet(_)),
        ),
        (
            "directory",
            |dir| {
                let p = dir.join("folder.db");
                std::fs::create_dir(&p).unwrap();
                std::fs::write(p.join("inside"), b"x").unwrap();
                p
            },
            |e| matches!(e, StoreError::NotAWallet(_)),
        ),
        (
            "random bytes",
            |dir| {
                let p = dir.join("garbage.db");
                std::fs::write(&p, garbage(8192)).unwrap();
                p
            },
            |e| matches!(e, StoreError::NotAWallet(_)),
        ),
        (
            "SQLite magic, then random bytes",
            |dir| {
                let p = dir.join("magic.db");
                let mut bytes = b"SQLite format 3\0".to_vec();
                bytes.extend(garbage(8192));
                std::fs::write(&p, bytes).unwrap();
                p
            },
            |e| matches!(e, StoreError::NotAWallet(_)),
        ),
        (
            "another application's database",
            |dir| {
                let p = dir.join("foreign.db");
                let conn = Connection::open(&p).unwrap();
                conn.execute_batch(
                    "CREATE TABLE contacts (name TEXT, phone TEXT);
                     INSERT INTO contacts VALUES ('Amira', '+000');",
                )
                .unwrap();
                p
            },
            |e| matches!(e, StoreError::NotAWallet(_)),
        ),
        (
            "another application's database, in use, with its log",
            |dir| {
                let p = dir.join("foreign-wal.db");
                let conn = Connection::open(&p).unwrap();
                let _: String = conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                    .unwrap();
                conn.execute_batch(
                    "PRAGMA wal_autocheckpoint = 0;
                     CREATE TABLE contacts (name TEXT, phone TEXT);
                     INSERT INTO contacts VALUES ('Amira', '+000');",
                )
                .unwrap();
                // The other application keeps it open: its -wal and -shm stay.
                std::mem::forget(conn);
                assert!(with_suffix(&p, "-wal").exists() && with_suffix(&p, "-shm").exists());
                p
            },
            |e| matches!(e, StoreError::NotAWallet(_)),
        ),
        (
            "a wallet from a newer version",
            |dir| {
                let p = dir.join("future.db");
                make_wallet(&p);
                let conn = Connection::open(&p).unwrap();
                conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                    .unwrap();
                p
            },
            |e| {
                *e == StoreError::UnsupportedVersion {
                    found: SCHEMA_VERSION + 1,
                    supported: SCHEMA_VERSION,
                }
            },
        ),
        (
            "a wallet whose creation never finished",
            |dir| {
                let p = dir.join("unfinished.db");
                let conn = Connection::open(&p).unwrap();
                conn.pragma_update(None, "application_id", APPLICATION_ID)
                    .unwrap();
                let _: String = conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                    .unwrap();
                p
            },
            |e| matches!(e, StoreError::Corrupted(_)),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, make, expected) in cases {
        let path = make(dir.path());
        let before = snapshot(&path);
        let err = open_err(&path);
        assert!(expected(&err), "{what}: got {err:?}");
        assert_eq!(snapshot(&path), before, "{what}: the files changed");
    }
}

#[test]
fn truncated_wallets_are_corrupted_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.db");
    make_wallet(&whole);
    // Closing checkpointed the log: everything is in the one file.
    assert!(!with_suffix(&whole, "-wal").exists());
    let bytes = std::fs::read(&whole).unwrap();
    let len = bytes.len();
    assert!(len >= 6 * 4096, "the wallet should span several pages");
    let cuts = [
        ("inside the magic string", 10),
        ("inside the header", 60),
        ("one byte short of the header", 99),
        ("header only", 100),
        ("first page only", 4096),
        ("mid-page", len / 2 + 123),
        ("half the pages", (len / 4096 / 2) * 4096),
        ("last page lost", len - 4096),
        ("last byte lost", len - 1),
    ];
    for (what, at) in cuts {
        let path = dir.path().join(format!("cut-{at}.db"));
        std::fs::write(&path, &bytes[..at]).unwrap();
        let before = snapshot(&path);
        let err = open_err(&path);
        assert!(
            matches!(err, StoreError::Corrupted(_)),
            "{what} ({at} of {len} bytes): got {err:?}"
        );
        assert_eq!(snapshot(&path), before, "{what}: the files changed");
    }
}

#[test]
fn create_never_overwrites() {
    type Existing = fn(&Path);
    let cases: [(&str, Existing); 4] = [
        ("a wallet", |p| {
            make_wallet(p);
        }),
        ("another file", |p| std::fs::write(p, garbage(100)).unwrap()),
        ("an empty file", |p| std::fs::write(p, b"").unwrap()),
        ("a directory", |p| std::fs::create_dir(p).unwrap()),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (n, (what, existing)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("taken-{n}.db"));
        existing(&path);
        let before = snapshot(&path);
        let err = WalletStore::create(&path, "1357", options()).unwrap_err();
        assert_eq!(err, StoreError::AlreadyExists, "{what}");
        assert_eq!(snapshot(&path), before, "{what}: the files changed");
    }
    // The existing wallet still opens with its own PIN.
    let mut store = WalletStore::open(dir.path().join("taken-0.db"), options()).unwrap();
    store.unlock(PIN).unwrap();
    assert_eq!(store.count("doc", &[]).unwrap(), 1);
}
