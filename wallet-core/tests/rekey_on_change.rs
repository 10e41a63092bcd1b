//! Changing the PIN, recovering, or turning hardware protection on replaces the data key
//! and leaves no old wrap behind: a copy of the file (with its write-ahead log) taken after
//! the change does not open with the old PIN, and a copy taken before does not decrypt what
//! was written after.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::platform_key::PlatformKeyProtector;
use wallet_core::store::{NewRecord, StoreOptions, WalletStore, wallet_files};

use support::{HmacKey, read_slot, write_slot};

const OLD_PIN: &str = "2468";
const NEW_PIN: &str = "13579";

fn options(platform: Option<Arc<HmacKey>>) -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        platform_key: platform.map(|p| p as Arc<dyn PlatformKeyProtector>),
        ..StoreOptions::default()
    }
}

fn note(body: &str) -> NewRecord {
    NewRecord {
        kind: "note".into(),
        tags: vec![],
        body: body.as_bytes().to_vec(),
    }
}

/// Copies the wallet file with its WAL and SHM, as a forensic copy of a live phone would.
fn copy_files(db: &Path, to: &Path) -> PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for file in wallet_files(db) {
        if file.exists() {
            std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
        }
    }
    to.join(db.file_name().unwrap())
}

/// The change under test, made on an unlocked store that knows the old PIN.
type Change = fn(&mut WalletStore, &wallet_core::mnemonic::RecoveryPhrase);

/// `platform_after`: the change binds the wallet to this key (and keeps the PIN).
fn check_change(what: &str, change: Change, platform_after: Option<Arc<HmacKey>>) {
    let pin_after = if platform_after.is_some() {
        OLD_PIN
    } else {
        NEW_PIN
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (mut store, phrase) =
        WalletStore::create(&db, OLD_PIN, options(platform_after.clone())).unwrap();
    if platform_after.is_some() {
        // Start unprotected, so the change under test is what binds the hardware.
        store.set_platform_protection(OLD_PIN, false).unwrap();
    }
    let early = store.put(&note("written before")).unwrap();
    let before = copy_files(&db, &dir.path().join("before"));

    change(&mut store, &phrase);
    let late = store.put(&note("written after")).unwrap();
    // A copy taken while the store is still open, WAL included.
    let after = copy_files(&db, &dir.path().join("after"));
    drop(store);

    // 1. The after-copy does not open with the old PIN alone (no wrap of the old PIN, or no
    //    wrap without the hardware, is left).
    let mut copy = WalletStore::open(&after, options(None)).unwrap();
    let refused = copy.unlock(OLD_PIN);
    if platform_after.is_some() {
        assert!(
            matches!(refused, Err(StoreError::PlatformKey(_))),
            "{what}: {refused:?}"
        );
    } else {
        assert!(
            matches!(refused, Err(StoreError::WrongPin { .. })),
            "{what}: {refused:?}"
        );
    }
    drop(copy);

    // 2. The old PIN slot from the before-copy, put into the after-copy (what someone with
    //    both copies can do), unwraps the old data key, which fits nothing there.
    let old_slot = read_slot(&before, "pin");
    write_slot(&after, "pin", &old_slot);
    let mut mixed = WalletStore::open(&after, options(None)).unwrap();
    assert_eq!(
        mixed.unlock(OLD_PIN),
        Err(StoreError::Corrupted(
            "the data key does not match the data (canary)".into()
        )),
        "{what}"
    );
    drop(mixed);

    // 3. The before-copy opens with the old PIN (that cannot be helped) but knows nothing
    //    of what was written after; the real wallet reads both.
    let mut old = WalletStore::open(&before, options(None)).unwrap();
    old.unlock(OLD_PIN).unwrap();
    assert_eq!(&old.get(early).unwrap().body[..], b"written before");
    assert!(old.get(late).is_err(), "{what}");
    let mut real = WalletStore::open(&db, options(platform_after)).unwrap();
    real.unlock(pin_after).unwrap();
    assert_eq!(&real.get(early).unwrap().body[..], b"written before");
    assert_eq!(&real.get(late).unwrap().body[..], b"written after");
}

#[test]
fn change_pin_leaves_no_old_wrap() {
    check_change(
        "change_pin",
        |store, _| store.change_pin(OLD_PIN, NEW_PIN).unwrap(),
        None,
    );
}

#[test]
fn recover_leaves_no_old_wrap() {
    check_change(
        "recover",
        |store, phrase| {
            store.lock();
            store.recover(phrase, NEW_PIN).unwrap();
        },
        None,
    );
}

#[test]
fn turning_on_hardware_protection_leaves_no_old_wrap() {
    check_change(
        "set_platform_protection",
        |store, _| store.set_platform_protection(OLD_PIN, true).unwrap(),
        Some(Arc::new(HmacKey::new("laissez-wallet-key"))),
    );
}

#[test]
fn the_change_empties_the_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (mut store, _) = WalletStore::create(&db, OLD_PIN, options(None)).unwrap();
    store.put(&note("x")).unwrap();
    let wal = db.with_file_name("w.db-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the put is in the log"
    );
    store.change_pin(OLD_PIN, NEW_PIN).unwrap();
    // Still open, and the log is empty: the old slots were never left in it.
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
    drop(store);
}

#[test]
fn sealed_marks_survive_a_pin_change_a_recovery_and_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (mut store, phrase) = WalletStore::create(&db, OLD_PIN, options(None)).unwrap();
    assert!(!store.has_mark("laissez/test-mark").unwrap());
    assert!(store.set_mark("Not A Mark").is_err());
    store.set_mark("laissez/test-mark").unwrap();
    store.change_pin(OLD_PIN, NEW_PIN).unwrap();
    store.recover(&phrase, OLD_PIN).unwrap();
    drop(store);
    let mut store = WalletStore::open(&db, options(None)).unwrap();
    assert!(matches!(
        store.has_mark("laissez/test-mark"),
        Err(StoreError::Locked)
    ));
    store.unlock(OLD_PIN).unwrap();
    assert!(store.has_mark("laissez/test-mark").unwrap());
    assert!(!store.has_mark("laissez/other").unwrap());
}
