//! The wallet store's life cycle: create, lock, unlock, change PIN, recover, rekey, records.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use wallet_core::StoreError;
use wallet_core::clock::Clock;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::store::{NewRecord, StoreOptions, Tag, WalletStore};

/// Wall time and (in milliseconds) monotonic time; PIN delays follow only the second.
struct TestClock(AtomicI64, AtomicU64);

impl TestClock {
    fn new(wall: i64) -> Self {
        Self(AtomicI64::new(wall), AtomicU64::new(0))
    }
}

impl Clock for TestClock {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    fn monotonic(&self) -> Duration {
        Duration::from_millis(self.1.load(Ordering::SeqCst))
    }
}

fn options(clock: Arc<TestClock>) -> StoreOptions {
    StoreOptions {
        clock,
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

fn note(topic: &str, body: &str) -> NewRecord {
    NewRecord {
        kind: "note".into(),
        tags: vec![Tag::new("topic", topic), Tag::new("lang", "fr")],
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn create_lock_unlock_and_records_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let clock = Arc::new(TestClock::new(1_700_000_000));
    let (mut store, phrase) = WalletStore::create(&path, "2468", options(clock.clone())).unwrap();
    assert_eq!(phrase.words().len(), 24);
    let a = store.put(&note("clinic", "tuesday")).unwrap();
    let b = store.put(&note("food", "thursday")).unwrap();
    assert_eq!(store.count("note", &[]).unwrap(), 2);
    assert_eq!(
        store.count("note", &[Tag::new("topic", "clinic")]).unwrap(),
        1
    );
    drop(store);

    let mut store = WalletStore::open(&path, options(clock)).unwrap();
    assert!(store.is_locked());
    assert_eq!(store.get(a).unwrap_err(), StoreError::Locked);
    store.unlock("2468").unwrap();
    assert_eq!(&store.get(a).unwrap().body[..], b"tuesday");
    let page = store
        .find("note", &[Tag::new("topic", "food")], 10, None)
        .unwrap();
    assert_eq!(page.records.len(), 1);
    assert_eq!(page.records[0].id, b);
    assert!(page.next.is_none());
}

#[test]
fn wrong_pin_counts_persist_and_delays_grow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let clock = Arc::new(TestClock::new(1_700_000_000));
    let (store, _) = WalletStore::create(&path, "2468", options(clock.clone())).unwrap();
    drop(store);
    for expected_left in (0..5).rev() {
        let mut store = WalletStore::open(&path, options(clock.clone())).unwrap();
        match store.unlock("0000").unwrap_err() {
            StoreError::WrongPin { attempts_left, .. } => assert_eq!(attempts_left, expected_left),
            other => panic!("unexpected {other:?}"),
        }
    }
    let mut store = WalletStore::open(&path, options(clock.clone())).unwrap();
    assert_eq!(
        store.unlock("2468").unwrap_err(),
        StoreError::PinLockedOut {
            retry_after_secs: 30
        }
    );
    clock.1.fetch_add(30_000, Ordering::SeqCst);
    store.unlock("2468").unwrap();
    assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
}

#[test]
fn change_pin_recover_and_rekey() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let clock = Arc::new(TestClock::new(1_700_000_000));
    let (mut store, phrase) = WalletStore::create(&path, "2468", options(clock.clone())).unwrap();
    let id = store.put(&note("clinic", "tuesday")).unwrap();
    store.change_pin("2468", "13579").unwrap();
    store.lock();
    assert!(matches!(
        store.unlock("2468"),
        Err(StoreError::WrongPin { .. })
    ));
    store.unlock("13579").unwrap();

    let before = store.data_key_fingerprint().unwrap();
    assert_eq!(store.rekey().unwrap(), 1);
    assert_ne!(before, store.data_key_fingerprint().unwrap());
    assert_eq!(
        store.count("note", &[Tag::new("topic", "clinic")]).unwrap(),
        1
    );
    store.lock();

    let other = RecoveryPhrase::generate().unwrap();
    assert_eq!(
        store.recover(&other, "1111").unwrap_err(),
        StoreError::MnemonicMismatch
    );
    let again = RecoveryPhrase::parse(&phrase.phrase()).unwrap();
    store.recover(&again, "1111").unwrap();
    assert_eq!(&store.get(id).unwrap().body[..], b"tuesday");
    store.lock();
    store.unlock("1111").unwrap();
}
