//! The platform key takes part in every PIN guess: the key that unwraps the data key is
//! `HKDF(Argon2id(PIN) || hardware answer)`, so neither a copy of the file nor one answer
//! taken from the hardware lets anyone test PINs offline. A protected wallet needs its very
//! key; the recovery phrase deliberately does not; the platform's failures use up no attempt;
//! wallets made before this scheme move to it on their next unlock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;
use std::sync::Arc;

use ciborium::Value;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{AffinePoint, ProjectivePoint, Scalar};
use wallet_core::StoreError;
use wallet_core::crypto::aead::SealingKey;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_challenge;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::crypto::secret::SecretKey;
use wallet_core::platform_key::{PlatformKeyError, PlatformKeyProtector};
use wallet_core::store::{NewRecord, RecordId, StoreOptions, WalletStore};

use support::{EcdhKey, HmacKey, RawSlot, argon_of, read_slot, write_slot};

const PIN: &str = "2468";

fn options(platform: Option<Arc<dyn PlatformKeyProtector>>) -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        platform_key: platform,
        ..StoreOptions::default()
    }
}

fn hmac_key(id: &str) -> Arc<HmacKey> {
    Arc::new(HmacKey::new(id))
}

fn note() -> NewRecord {
    NewRecord {
        kind: "doc".into(),
        tags: vec![],
        body: b"asylum card".to_vec(),
    }
}

fn open(db: &Path, platform: Option<Arc<dyn PlatformKeyProtector>>) -> WalletStore {
    WalletStore::open(db, options(platform)).unwrap()
}

fn read(store: &WalletStore, id: RecordId) -> Vec<u8> {
    store.get(id).unwrap().body.to_vec()
}

/// The wallet id, as the slot's associated data needs it.
fn wallet_id(db: &Path) -> Vec<u8> {
    support::wallet_id(&rusqlite::Connection::open(db).unwrap())
}

/// The attacker's offline check of one candidate KEK: does the PIN slot open?
fn slot_opens(kek: &SecretKey, slot: &RawSlot, id: &[u8]) -> bool {
    let aad = [b"laissez/v1/slot/pin/".as_slice(), id].concat();
    SealingKey::new(kek)
        .unwrap()
        .open(&slot.wrapped, &aad)
        .is_ok()
}

/// 20 candidates, the real PIN among them.
fn candidates() -> Vec<String> {
    (0..20)
        .map(|i| {
            if i == 13 {
                PIN.to_string()
            } else {
                format!("{:04}", 1000 + i * 7)
            }
        })
        .collect()
}

#[test]
fn one_hardware_answer_lets_an_attacker_test_no_pin_but_the_one_it_was_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    drop(WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap());
    let slot = read_slot(&db, "pin");
    let id = wallet_id(&db);

    // Running code as the app once, the attacker takes the file and one answer: for a wrong
    // guess, and (in the worst case) for the real PIN's challenge.
    for answered in ["1111", PIN] {
        let answer = key
            .respond(&pin_challenge::challenge(&argon_of(&slot, answered)).unwrap())
            .unwrap();
        let opening: Vec<String> = candidates()
            .into_iter()
            .filter(|pin| {
                let argon = argon_of(&slot, pin);
                // Every way of using what they hold: the Argon2id output alone (the old
                // scheme's inner wrap), and the KEK with the one answer they have.
                slot_opens(&argon, &slot, &id)
                    || slot_opens(&pin_challenge::kek(&argon, &answer).unwrap(), &slot, &id)
            })
            .collect();
        let expected: Vec<String> = if answered == PIN {
            vec![PIN.into()]
        } else {
            vec![]
        };
        assert_eq!(opening, expected, "answer for {answered}");
    }
}

#[test]
fn one_secure_enclave_answer_gives_no_other_answer_by_algebra() {
    // With the challenge s·G for a scalar s derived from Argon2id, one ECDH answer x(d·s₁·G)
    // gives every other: x((s₂/s₁)·(d·s₁·G)). The store hashes to the curve instead, so there
    // is no s to divide by; the same algebra applied to the scalars an attacker could derive
    // (as the SigningKey way would) yields nothing.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let enclave = Arc::new(EcdhKey::new());
    drop(WalletStore::create(&db, PIN, options(Some(enclave.clone()))).unwrap());
    let slot = read_slot(&db, "pin");
    let id = wallet_id(&db);
    let guessed = argon_of(&slot, "1111");
    let answer = enclave
        .respond(&pin_challenge::challenge(&guessed).unwrap())
        .unwrap();
    let derived_scalar = |argon: &SecretKey| -> Scalar {
        let key = SigningKey::derive(argon.as_bytes()).unwrap();
        let secret = p256::SecretKey::from_bytes(key.scalar().into()).unwrap();
        *secret.to_nonzero_scalar()
    };
    // Both lifts of the answer's x-coordinate.
    let lifts: Vec<ProjectivePoint> = [2u8, 3]
        .iter()
        .map(|tag| {
            let sec1 = [[*tag].as_slice(), &answer].concat();
            ProjectivePoint::from(*p256::PublicKey::from_sec1_bytes(&sec1).unwrap().as_affine())
        })
        .collect();
    let s1 = derived_scalar(&guessed);
    for pin in candidates() {
        let argon = argon_of(&slot, &pin);
        let ratio = derived_scalar(&argon) * s1.invert().unwrap();
        for lift in &lifts {
            let forged = AffinePoint::from(*lift * ratio).to_encoded_point(false);
            let kek = pin_challenge::kek(&argon, forged.x().unwrap()).unwrap();
            assert!(!slot_opens(&kek, &slot, &id), "{pin}");
        }
    }
    // The genuine answer for the real PIN does open it (the check above could succeed).
    let argon = argon_of(&slot, PIN);
    let real = enclave
        .respond(&pin_challenge::challenge(&argon).unwrap())
        .unwrap();
    assert!(slot_opens(
        &pin_challenge::kek(&argon, &real).unwrap(),
        &slot,
        &id
    ));
}

#[test]
fn through_the_store_every_guess_costs_one_hardware_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    drop(WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap());
    let mut store = open(&db, Some(key.clone()));
    for (n, guess) in ["1111", "2222", "3333"].iter().enumerate() {
        let before = key.calls();
        assert!(matches!(
            store.unlock(guess),
            Err(StoreError::WrongPin { .. })
        ));
        // One answer for the guess, and one for the fixed key check that tells a replaced
        // key from a wrong PIN (it says nothing about any PIN).
        assert_eq!(key.calls() - before, 2, "guess {n}");
    }
    let before = key.calls();
    store.unlock(PIN).unwrap();
    assert_eq!(key.calls() - before, 1);
}

#[test]
fn a_protected_wallet_needs_its_own_platform_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    let (mut store, _) = WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap();
    let id = store.put(&note()).unwrap();
    assert!(store.info().unwrap().platform_protected);
    drop(store);

    let cases: [(&str, Option<Arc<dyn PlatformKeyProtector>>); 4] = [
        ("no platform key", None),
        // Another alias: told apart before the keystore is even asked.
        ("another key id", Some(hmac_key("someone-else"))),
        // Same alias, new key material (keystore wiped and the alias re-created).
        ("same id, other key", Some(hmac_key("laissez-wallet-key"))),
        ("an enclave key", Some(Arc::new(EcdhKey::new()))),
    ];
    for (what, platform) in cases {
        let mut store = open(&db, platform);
        assert!(
            matches!(store.unlock(PIN), Err(StoreError::PlatformKey(_))),
            "{what}"
        );
        assert!(store.is_locked(), "{what}");
        // No attempt is used up.
        assert_eq!(store.info().unwrap().failed_pin_attempts, 0, "{what}");
    }

    // With its key: a wrong PIN is still a wrong PIN, the right one opens it.
    let mut store = open(&db, Some(key));
    assert!(matches!(
        store.unlock("1111"),
        Err(StoreError::WrongPin {
            attempts_left: 4,
            ..
        })
    ));
    store.unlock(PIN).unwrap();
    assert_eq!(read(&store, id), b"asylum card");
}

#[test]
fn recovery_does_not_need_the_platform_key() {
    // A lost or reset phone must never mean lost credentials.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    let (mut store, phrase) = WalletStore::create(&db, PIN, options(Some(key))).unwrap();
    let id = store.put(&note()).unwrap();
    drop(store);

    let mut store = open(&db, None);
    store.recover(&phrase, "1357").unwrap();
    assert_eq!(read(&store, id), b"asylum card");
    // Recovered on a phone without that key, the new PIN works without it.
    assert!(!store.info().unwrap().platform_protected);
    drop(store);
    let mut store = open(&db, None);
    store.unlock("1357").unwrap();
    assert_eq!(read(&store, id), b"asylum card");
}

#[test]
fn protection_can_be_removed_and_added_with_the_pin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    let (mut store, _) = WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap();
    let id = store.put(&note()).unwrap();
    // Changing the binding asks for the PIN even while unlocked.
    assert!(matches!(
        store.set_platform_protection("1111", false),
        Err(StoreError::WrongPin { .. })
    ));
    store.set_platform_protection(PIN, false).unwrap();
    assert!(!store.info().unwrap().platform_protected);
    drop(store);

    let mut store = open(&db, None);
    store.unlock(PIN).unwrap();
    assert_eq!(read(&store, id), b"asylum card");
    // Binding needs a key to bind to.
    assert!(matches!(
        store.set_platform_protection(PIN, true),
        Err(StoreError::PlatformKey(_))
    ));
    drop(store);

    // Bound again from a store that has the key; rekey keeps the binding without asking the
    // hardware (the KEK is in memory while unlocked).
    let mut store = open(&db, Some(key.clone()));
    store.unlock(PIN).unwrap();
    store.set_platform_protection(PIN, true).unwrap();
    assert!(store.info().unwrap().platform_protected);
    let calls = key.calls();
    assert_eq!(store.rekey().unwrap(), 1);
    assert_eq!(key.calls(), calls);
    drop(store);
    let mut store = open(&db, None);
    assert!(matches!(store.unlock(PIN), Err(StoreError::PlatformKey(_))));
    let mut store = open(&db, Some(key));
    store.unlock(PIN).unwrap();
    assert_eq!(read(&store, id), b"asylum card");
}

#[test]
fn changing_the_pin_keeps_the_hardware_binding_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    // Protected: the new PIN is bound too (a store without the key cannot use it).
    let (mut store, _) = WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap();
    store.change_pin(PIN, "13579").unwrap();
    assert!(store.info().unwrap().platform_protected);
    // Turned off, then a PIN change by an app that always passes its key: it stays off.
    store.set_platform_protection("13579", false).unwrap();
    store.change_pin("13579", "24680").unwrap();
    assert!(!store.info().unwrap().platform_protected);
    drop(store);
    let mut store = open(&db, None);
    store.unlock("24680").unwrap();
}

#[test]
fn the_platform_s_typed_failure_reaches_the_caller_and_uses_no_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    drop(WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap());
    let mut store = open(&db, Some(key.clone()));
    // Two wrong PINs first: a failure must neither add to them nor wipe them.
    for _ in 0..2 {
        assert!(store.unlock("0000").is_err());
    }
    for failure in [
        PlatformKeyError::Cancelled,
        PlatformKeyError::KeyInvalidated("biometrics changed".into()),
        PlatformKeyError::Unavailable("device locked".into()),
        PlatformKeyError::Other("keystore error 42".into()),
    ] {
        key.fail_with(Some(failure.clone()));
        for pin in [PIN, "0000"] {
            assert_eq!(
                store.unlock(pin),
                Err(StoreError::PlatformKey(failure.clone()))
            );
            assert_eq!(store.info().unwrap().failed_pin_attempts, 2);
        }
    }
    key.fail_with(None);
    store.unlock(PIN).unwrap();
    assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
}

/// The wallet's key, but every prompt after the guess is cancelled: the fixed key-check
/// challenge is refused.
struct CancelsTheKeyCheck(Arc<HmacKey>);

impl PlatformKeyProtector for CancelsTheKeyCheck {
    fn key_id(&self) -> String {
        self.0.key_id()
    }

    fn respond(&self, challenge: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        if challenge == pin_challenge::key_check_challenge().unwrap() {
            return Err(PlatformKeyError::Cancelled);
        }
        self.0.respond(challenge)
    }
}

#[test]
fn cancelling_the_prompt_after_an_answered_guess_gives_no_free_guess() {
    // The guess was answered and found wrong; only then the key check's prompt is
    // cancelled. Undoing the count here would be a free, uncounted PIN oracle.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    drop(WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap());
    let mut store = open(&db, Some(Arc::new(CancelsTheKeyCheck(key))));
    for expected_left in (0..5).rev() {
        match store.unlock("0000") {
            Err(StoreError::WrongPin { attempts_left, .. }) => {
                assert_eq!(attempts_left, expected_left)
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(store.info().unwrap().failed_pin_attempts, 5);
    assert!(matches!(
        store.unlock(PIN),
        Err(StoreError::PinLockedOut { .. })
    ));
}

#[test]
fn a_cancelled_prompt_does_not_shorten_a_running_delay() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    drop(WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap());
    let mut store = open(&db, Some(key.clone()));
    for _ in 0..5 {
        assert!(store.unlock("0000").is_err());
    }
    key.fail_with(Some(PlatformKeyError::Cancelled));
    assert!(matches!(
        store.unlock(PIN),
        Err(StoreError::PinLockedOut { .. })
    ));
    assert!(store.info().unwrap().retry_after_secs > 0);
}

/// Turns a wallet made without a platform key into what the old scheme wrote with `key`:
/// the Argon2id wrap wrapped again by the platform, the key id beside it, no scheme field.
fn make_legacy(db: &Path, key: &HmacKey) {
    let mut slot = read_slot(db, "pin");
    slot.wrapped = key.legacy_wrap(&slot.wrapped);
    slot.set_param("platform_key_id", Some(Value::Text(key.key_id())));
    slot.set_param("scheme", None);
    write_slot(db, "pin", &slot);
}

#[test]
fn an_old_scheme_wallet_opens_and_moves_to_challenges_on_the_next_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = hmac_key("laissez-wallet-key");
    let (mut store, _) = WalletStore::create(&db, PIN, options(None)).unwrap();
    let id = store.put(&note()).unwrap();
    drop(store);
    make_legacy(&db, &key);
    let old = read_slot(&db, "pin");
    assert!(old.param("scheme").is_none());

    let mut store = open(&db, Some(key.clone()));
    assert!(matches!(
        store.unlock("1111"),
        Err(StoreError::WrongPin { .. })
    ));
    let before = store.info().unwrap();
    assert!(before.platform_protected);
    store.unlock(PIN).unwrap();
    assert_eq!(read(&store, id), b"asylum card");
    drop(store);

    // Now a challenge slot bound to the same key, with a new data key: the old wrap is gone.
    let new = read_slot(&db, "pin");
    assert_eq!(new.param("scheme"), Some(&Value::Text("Challenge".into())));
    assert_ne!(new.wrapped, old.wrapped);
    let mut store = open(&db, Some(key.clone()));
    let calls = key.calls();
    store.unlock(PIN).unwrap();
    assert_eq!(key.calls() - calls, 1, "one answer, no legacy unwrap");
    assert_eq!(read(&store, id), b"asylum card");
    drop(store);
    // And still only with that key.
    assert!(matches!(
        open(&db, None).unlock(PIN),
        Err(StoreError::PlatformKey(_))
    ));
}
