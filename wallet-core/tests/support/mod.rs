//! Shared by the store's integration tests: a clock whose wall and monotonic time move
//! separately, software stand-ins for the phone's secure hardware that count their calls, and
//! the key slots read and rewritten the way someone holding the file can.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use ciborium::Value;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::digest::{SHA256, digest};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::{Connection, params};
use wallet_core::clock::Clock;
use wallet_core::platform_key::{PlatformKeyError, PlatformKeyProtector};

/// Wall time the person can set, and monotonic time they cannot; the test moves each.
pub struct TestClock {
    wall: AtomicI64,
    monotonic_ms: AtomicU64,
}

impl TestClock {
    pub fn new(wall: i64) -> Self {
        Self {
            wall: AtomicI64::new(wall),
            monotonic_ms: AtomicU64::new(1_000_000),
        }
    }

    /// The person sets the date (forward or back).
    pub fn set_wall_by(&self, secs: i64) {
        self.wall.fetch_add(secs, Ordering::SeqCst);
    }

    /// Time really passes: both clocks move.
    pub fn wait(&self, secs: u64) {
        self.monotonic_ms.fetch_add(secs * 1_000, Ordering::SeqCst);
        self.wall.fetch_add(secs as i64, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now_unix(&self) -> i64 {
        self.wall.load(Ordering::SeqCst)
    }

    fn monotonic(&self) -> Duration {
        Duration::from_millis(self.monotonic_ms.load(Ordering::SeqCst))
    }
}

fn random_32() -> [u8; 32] {
    let mut raw = [0u8; 32];
    SystemRandom::new().fill(&mut raw).unwrap();
    raw
}

/// The Android Keystore stand-in: HMAC-SHA256 under a key it never shows; counts answers.
/// `fail_with` makes every call fail as the platform would (a cancelled prompt...). It can
/// also hold an old AES-GCM wrap key, for wallets made before challenges.
pub struct HmacKey {
    id: String,
    key: hmac::Key,
    legacy: LessSafeKey,
    calls: AtomicUsize,
    failure: Mutex<Option<PlatformKeyError>>,
}

impl HmacKey {
    pub fn new(id: &str) -> Self {
        Self {
            id: id.into(),
            key: hmac::Key::new(hmac::HMAC_SHA256, &random_32()),
            legacy: LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &random_32()).unwrap()),
            calls: AtomicUsize::new(0),
            failure: Mutex::new(None),
        }
    }

    /// Answers given so far (failed calls are not answers).
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn fail_with(&self, failure: Option<PlatformKeyError>) {
        *self.failure.lock().unwrap() = failure;
    }

    /// What the old scheme's `wrap` made: nonce || AES-256-GCM(secret).
    pub fn legacy_wrap(&self, secret: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).unwrap();
        let mut sealed = secret.to_vec();
        self.legacy
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut sealed,
            )
            .unwrap();
        [nonce.as_slice(), &sealed].concat()
    }
}

impl PlatformKeyProtector for HmacKey {
    fn key_id(&self) -> String {
        self.id.clone()
    }

    fn respond(&self, challenge: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        if let Some(failure) = self.failure.lock().unwrap().clone() {
            return Err(failure);
        }
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(hmac::sign(&self.key, challenge).as_ref().to_vec())
    }

    fn legacy_unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        if let Some(failure) = self.failure.lock().unwrap().clone() {
            return Err(failure);
        }
        if wrapped.len() < NONCE_LEN {
            return Err(PlatformKeyError::Other("too short".into()));
        }
        let (nonce, sealed) = wrapped.split_at(NONCE_LEN);
        let mut buf = sealed.to_vec();
        let plain = self
            .legacy
            .open_in_place(
                Nonce::try_assume_unique_for_key(nonce).unwrap(),
                Aad::empty(),
                &mut buf,
            )
            .map_err(|_| PlatformKeyError::KeyInvalidated("the key refused these bytes".into()))?;
        Ok(plain.to_vec())
    }
}

/// The Secure Enclave stand-in: the x-coordinate of ECDH between a P-256 key it keeps and
/// the challenge point; counts answers.
pub struct EcdhKey {
    secret: p256::SecretKey,
    calls: AtomicUsize,
}

impl EcdhKey {
    pub fn new() -> Self {
        Self {
            secret: p256::SecretKey::from_bytes(&random_32().into()).unwrap(),
            calls: AtomicUsize::new(0),
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl PlatformKeyProtector for EcdhKey {
    fn key_id(&self) -> String {
        "secure-enclave".into()
    }

    fn respond(&self, challenge: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        let point = p256::PublicKey::from_sec1_bytes(challenge)
            .map_err(|_| PlatformKeyError::Other("not a P-256 point".into()))?;
        self.calls.fetch_add(1, Ordering::SeqCst);
        let shared = p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), point.as_affine());
        Ok(shared.raw_secret_bytes().to_vec())
    }
}

/// The public key of an [`EcdhKey`] (for the attacker test's algebra).
pub fn ecdh_public(key: &EcdhKey) -> Vec<u8> {
    key.secret
        .public_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec()
}

/// A key slot as someone holding the file sees it: parameters (CBOR) and the wrap.
pub struct RawSlot {
    pub params: Value,
    pub wrapped: Vec<u8>,
}

impl RawSlot {
    /// The value of `name` in the parameters map.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params
            .as_map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.as_text() == Some(name))
            .map(|(_, v)| v)
    }

    /// Sets (or with `None` removes) `name` in the parameters map.
    pub fn set_param(&mut self, name: &str, value: Option<Value>) {
        let map = self.params.as_map_mut().unwrap();
        map.retain(|(k, _)| k.as_text() != Some(name));
        if let Some(value) = value {
            map.push((Value::Text(name.into()), value));
        }
    }
}

pub fn wallet_id(conn: &Connection) -> Vec<u8> {
    conn.query_row(
        "SELECT value FROM wallet_meta WHERE name = 'wallet_id'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

pub fn read_slot(db: &Path, slot: &str) -> RawSlot {
    let conn = Connection::open(db).unwrap();
    let (params, wrapped): (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT params, wrapped FROM key_slots WHERE slot = ?1",
            [slot],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    RawSlot {
        params: ciborium::from_reader(params.as_slice()).unwrap(),
        wrapped,
    }
}

/// Writes a slot back with a freshly computed checksum, as an attacker can: the checksum
/// is unkeyed (it tells damage from a wrong secret, it does not authenticate).
pub fn write_slot(db: &Path, slot: &str, raw: &RawSlot) {
    let conn = Connection::open(db).unwrap();
    let mut params_bytes = Vec::new();
    ciborium::into_writer(&raw.params, &mut params_bytes).unwrap();
    let id = wallet_id(&conn);
    let mut buf = Vec::new();
    for part in [&id[..], slot.as_bytes(), &params_bytes, &raw.wrapped] {
        buf.extend_from_slice(&(part.len() as u32).to_be_bytes());
        buf.extend_from_slice(part);
    }
    let sum = digest(&SHA256, &buf).as_ref().to_vec();
    conn.execute(
        "UPDATE key_slots SET params = ?2, wrapped = ?3, checksum = ?4 WHERE slot = ?1",
        params![slot, params_bytes, raw.wrapped, sum],
    )
    .unwrap();
}

/// The Argon2id output for `pin` under the slot's salt and parameters: the attacker's
/// offline work per guess.
pub fn argon_of(raw: &RawSlot, pin: &str) -> wallet_core::crypto::secret::SecretKey {
    let kdf: wallet_core::crypto::pin_kdf::KdfParams =
        raw.param("kdf").unwrap().deserialized().unwrap();
    let salt = raw.param("salt").unwrap().as_bytes().unwrap().clone();
    wallet_core::crypto::pin_kdf::derive_pin_key(pin.as_bytes(), &salt, kdf).unwrap()
}
