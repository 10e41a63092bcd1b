//! The platform key hook: a wallet bound to a (here: software) platform key needs that very
//! key to unlock with the PIN; the recovery phrase deliberately does not; the binding can be
//! added and removed with the PIN.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::platform_key::{PlatformKeyError, PlatformKeyProtector};
use wallet_core::store::{NewRecord, RecordId, StoreOptions, WalletStore};

const PIN: &str = "2468";

/// A stand-in for Android Keystore / Secure Enclave: AES-256-GCM under a random key that
/// never leaves this object. Layout: nonce (12) || ciphertext || tag (16).
struct SoftwareKey {
    id: String,
    key: LessSafeKey,
}

impl SoftwareKey {
    fn new(id: &str) -> Arc<Self> {
        let mut raw = [0u8; 32];
        SystemRandom::new().fill(&mut raw).unwrap();
        Arc::new(Self {
            id: id.into(),
            key: LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &raw).unwrap()),
        })
    }
}

impl PlatformKeyProtector for SoftwareKey {
    fn key_id(&self) -> String {
        self.id.clone()
    }

    fn wrap(&self, secret: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| PlatformKeyError::Other("no randomness".into()))?;
        let mut sealed = secret.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .map_err(|_| PlatformKeyError::Other("seal failed".into()))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        if wrapped.len() < NONCE_LEN {
            return Err(PlatformKeyError::Other("too short".into()));
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| PlatformKeyError::Other("bad nonce".into()))?;
        let mut buf = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::empty(), &mut buf)
            .map_err(|_| PlatformKeyError::KeyInvalidated("the key refused these bytes".into()))?;
        Ok(plain.to_vec())
    }
}

fn options(platform: Option<Arc<SoftwareKey>>) -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        platform_key: platform.map(|p| p as Arc<dyn PlatformKeyProtector>),
        ..StoreOptions::default()
    }
}

fn note() -> NewRecord {
    NewRecord {
        kind: "doc".into(),
        tags: vec![],
        body: b"asylum card".to_vec(),
    }
}

fn open(db: &Path, platform: Option<Arc<SoftwareKey>>) -> WalletStore {
    WalletStore::open(db, options(platform)).unwrap()
}

fn read(store: &WalletStore, id: RecordId) -> Vec<u8> {
    store.get(id).unwrap().body.to_vec()
}

#[test]
fn the_software_key_round_trips_and_rejects_others() {
    // The stand-in must behave like a real keystore for the tests below to mean anything.
    let (k1, k2) = (SoftwareKey::new("k"), SoftwareKey::new("k"));
    let wrapped = k1.wrap(b"secret").unwrap();
    assert_eq!(k1.unwrap(&wrapped).unwrap(), b"secret");
    assert!(k2.unwrap(&wrapped).is_err());
    let mut flipped = wrapped.clone();
    flipped[NONCE_LEN] ^= 1;
    assert!(k1.unwrap(&flipped).is_err());
    assert_ne!(
        k1.wrap(b"secret").unwrap(),
        wrapped,
        "fresh nonce each time"
    );
}

#[test]
fn a_protected_wallet_needs_its_own_platform_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = SoftwareKey::new("laissez-wallet-key");
    let (mut store, _) = WalletStore::create(&db, PIN, options(Some(key.clone()))).unwrap();
    let id = store.put(&note()).unwrap();
    assert!(store.info().unwrap().platform_protected);
    drop(store);

    let cases = [
        ("no platform key", None),
        // Another alias: told apart before the keystore is even asked.
        ("another key id", Some(SoftwareKey::new("someone-else"))),
        // Same alias, new key material (keystore wiped and the alias re-created).
        (
            "same id, other key",
            Some(SoftwareKey::new("laissez-wallet-key")),
        ),
    ];
    for (what, platform) in cases {
        let mut store = open(&db, platform);
        assert!(
            matches!(store.unlock(PIN), Err(StoreError::PlatformKey(_))),
            "{what}"
        );
        assert!(store.is_locked(), "{what}");
        // The PIN was never checked, so no attempt is used up.
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
    let key = SoftwareKey::new("laissez-wallet-key");
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
    let key = SoftwareKey::new("laissez-wallet-key");
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

    // Bound again from a store that has the key; rekey keeps the binding.
    let mut store = open(&db, Some(key.clone()));
    store.unlock(PIN).unwrap();
    store.set_platform_protection(PIN, true).unwrap();
    assert!(store.info().unwrap().platform_protected);
    assert_eq!(store.rekey().unwrap(), 1);
    drop(store);
    let mut store = open(&db, None);
    assert!(matches!(store.unlock(PIN), Err(StoreError::PlatformKey(_))));
    let mut store = open(&db, Some(key));
    store.unlock(PIN).unwrap();
    assert_eq!(read(&store, id), b"asylum card");
}

/// A keystore whose every unwrap ends in one of the platform's typed failures.
struct Failing(PlatformKeyError);

impl PlatformKeyProtector for Failing {
    fn key_id(&self) -> String {
        "laissez-wallet-key".into()
    }

    fn wrap(&self, _secret: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        Err(self.0.clone())
    }

    fn unwrap(&self, _wrapped: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        Err(self.0.clone())
    }
}

#[test]
fn the_platform_s_typed_failure_reaches_the_caller_and_uses_no_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let key = SoftwareKey::new("laissez-wallet-key");
    drop(WalletStore::create(&db, PIN, options(Some(key))).unwrap());
    for failure in [
        PlatformKeyError::Cancelled,
        PlatformKeyError::KeyInvalidated("biometrics changed".into()),
        PlatformKeyError::Unavailable("device locked".into()),
        PlatformKeyError::Other("keystore error 42".into()),
    ] {
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            platform_key: Some(Arc::new(Failing(failure.clone()))),
            ..StoreOptions::default()
        };
        let mut store = WalletStore::open(&db, options).unwrap();
        assert_eq!(store.unlock(PIN), Err(StoreError::PlatformKey(failure)));
        assert_eq!(store.info().unwrap().failed_pin_attempts, 0);
    }
}
