//! Unlock with the phone's Argon2id, with and without a (software) platform key: the cost
//! the hardware step adds to each PIN check (docs/BENCHMARKS.md, "Unlock and the platform
//! key"). Run: `cargo run -p laissez-bench --example unlock_platform_key [REPS]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use wallet_core::crypto::pin_challenge;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::crypto::secret::SecretKey;
use wallet_core::platform_key::{PlatformKeyError, PlatformKeyProtector};
use wallet_core::store::{IntegrityCheck, NewRecord, StoreOptions, WalletStore};

const PIN: &str = "2468";

/// The stand-in for a Keystore key: HMAC-SHA256 under a key it keeps.
struct SoftwareKey(hmac::Key);

impl PlatformKeyProtector for SoftwareKey {
    fn key_id(&self) -> String {
        "bench-key".into()
    }

    fn respond(&self, challenge: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        Ok(hmac::sign(&self.0, challenge).as_ref().to_vec())
    }
}

fn software_key() -> Arc<dyn PlatformKeyProtector> {
    let mut raw = [0u8; 32];
    SystemRandom::new().fill(&mut raw).unwrap();
    Arc::new(SoftwareKey(hmac::Key::new(hmac::HMAC_SHA256, &raw)))
}

fn median_unlock(platform: Option<Arc<dyn PlatformKeyProtector>>, reps: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let options = StoreOptions {
        pin_kdf: KdfParams::PHONE,
        platform_key: platform,
        integrity_check: IntegrityCheck::Never,
        ..StoreOptions::default()
    };
    let (mut store, _) = WalletStore::create(&path, PIN, options.clone()).unwrap();
    store
        .put(&NewRecord {
            kind: "doc".into(),
            tags: vec![],
            body: b"card".to_vec(),
        })
        .unwrap();
    drop(store);
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            let mut store = WalletStore::open(&path, options.clone()).unwrap();
            store.unlock(PIN).unwrap();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The core's own added work per unlock with a platform key: hashing the Argon2id output to
/// the curve and the HKDF of the KEK (the hardware's answer time is the phone's).
fn median_challenge_and_kek() -> Duration {
    let key = software_key();
    let pin_key = SecretKey::from_bytes([7; 32]);
    let mut times: Vec<Duration> = (0..1_000)
        .map(|_| {
            let start = Instant::now();
            let challenge = pin_challenge::challenge(&pin_key).unwrap();
            let answer = key.respond(&challenge).unwrap();
            pin_challenge::kek(&pin_key, &answer).unwrap();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let reps = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    // Interleaved runs, so load on a shared machine hits both sides alike.
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        without.push(median_unlock(None, reps));
        with.push(median_unlock(Some(software_key()), reps));
    }
    without.sort();
    with.sort();
    println!(
        "unlock, Argon2id 64 MiB t=3 p=1, median of 3 x {reps}: without platform key {:.1} ms, with software platform key {:.1} ms",
        without[1].as_secs_f64() * 1e3,
        with[1].as_secs_f64() * 1e3
    );
    println!(
        "hash to curve + software HMAC + HKDF, median of 1,000: {:.1} µs",
        median_challenge_and_kek().as_secs_f64() * 1e6
    );
}
