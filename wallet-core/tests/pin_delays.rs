//! Wrong-PIN delays run on time the person cannot move, and a tampered file cannot make
//! every unlock fail and count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;

use ciborium::Value;
use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{StoreOptions, WalletStore};

use support::{TestClock, read_slot, write_slot};

const PIN: &str = "2468";

fn options(clock: &Arc<TestClock>) -> StoreOptions {
    StoreOptions {
        clock: clock.clone(),
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

#[test]
fn moving_the_clock_forward_does_not_shorten_a_delay() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let clock = Arc::new(TestClock::new(1_700_000_000));
    drop(WalletStore::create(&db, PIN, options(&clock)).unwrap());
    let mut store = WalletStore::open(&db, options(&clock)).unwrap();
    let mut refused = 0;
    for _ in 0..43 {
        clock.set_wall_by(3_600);
        match store.unlock("0000") {
            Err(StoreError::WrongPin { .. }) => {}
            Err(StoreError::PinLockedOut { retry_after_secs }) => {
                assert_eq!(retry_after_secs, 30);
                refused += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // Five free attempts, then nothing until 30 real seconds have passed.
    assert_eq!(refused, 38);
    assert_eq!(store.info().unwrap().failed_pin_attempts, 5);
    assert_eq!(store.info().unwrap().retry_after_secs, 30);
    // Setting the clock back does not lock the person out either.
    clock.set_wall_by(-100_000);
    clock.wait(30);
    store.unlock(PIN).unwrap();
}

#[test]
fn reopening_the_store_does_not_skip_a_delay() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let clock = Arc::new(TestClock::new(1_700_000_000));
    drop(WalletStore::create(&db, PIN, options(&clock)).unwrap());
    let mut store = WalletStore::open(&db, options(&clock)).unwrap();
    for _ in 0..6 {
        let _ = store.unlock("0000");
        clock.wait(30);
    }
    // Six failures: the next attempt waits 60 s. Twenty pass, then the app restarts (and
    // the wall clock is set a day ahead): the delay starts over from the open.
    assert_eq!(store.info().unwrap().failed_pin_attempts, 6);
    clock.wait(20);
    assert_eq!(store.info().unwrap().retry_after_secs, 10);
    drop(store);
    clock.set_wall_by(86_400);
    let mut store = WalletStore::open(&db, options(&clock)).unwrap();
    assert_eq!(
        store.unlock(PIN),
        Err(StoreError::PinLockedOut {
            retry_after_secs: 60
        })
    );
    clock.wait(59);
    assert_eq!(
        store.unlock(PIN),
        Err(StoreError::PinLockedOut {
            retry_after_secs: 1
        })
    );
    clock.wait(1);
    store.unlock(PIN).unwrap();
    assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
}

#[test]
fn kdf_parameters_a_phone_cannot_run_are_refused_before_counting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let clock = Arc::new(TestClock::new(1_700_000_000));
    drop(WalletStore::create(&db, PIN, options(&clock)).unwrap());
    let original = read_slot(&db, "pin");
    // What an attacker can write (the slot checksum is unkeyed, so they recompute it):
    // 1 GiB, or 16 passes, or too many lanes.
    for (memory_kib, iterations, lanes) in [(1024 * 1024, 3, 1), (64, 16, 1), (1024, 1, 64)] {
        let mut slot = read_slot(&db, "pin");
        let kdf = Value::Map(vec![
            (
                Value::Text("memory_kib".into()),
                Value::Integer(memory_kib.into()),
            ),
            (
                Value::Text("iterations".into()),
                Value::Integer(iterations.into()),
            ),
            (Value::Text("lanes".into()), Value::Integer(lanes.into())),
        ]);
        slot.set_param("kdf", Some(kdf));
        write_slot(&db, "pin", &slot);
        let mut store = WalletStore::open(&db, options(&clock)).unwrap();
        match store.unlock(PIN) {
            Err(StoreError::Corrupted(why)) => assert!(why.contains("Argon2id"), "{why}"),
            other => panic!("{memory_kib} KiB, t={iterations}, p={lanes}: {other:?}"),
        }
        assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
    }
    write_slot(&db, "pin", &original);
    WalletStore::open(&db, options(&clock))
        .unwrap()
        .unlock(PIN)
        .unwrap();
}
