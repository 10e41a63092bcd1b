//! Holder keys: P-256 keys that bind credentials to this wallet.
//!
//! Software holder keys are derived from the wallet seed (HKDF label
//! `laissez/v1/holder-key`, context = slot number), so a wallet recovered from its 24 words can
//! still prove possession of every credential. Each key is recorded in the encrypted store
//! (slot, public key, origin); the private scalar is never stored, only re-derived.
//! A platform (hardware) key can take a slot instead: its record says so and signing then goes
//! through the app's [`Es256Signer`].

use serde::{Deserialize, Serialize};

use laissez_crypto::ecdsa::{SigningKey, VerifyingKey};
use laissez_store::{NewRecord, Tag, WalletStore};
use laissez_store::{StoreError, StoreResult};

/// Record kind of holder keys.
pub const HOLDER_KEY_KIND: &str = "holder_key";
/// HKDF label of software holder keys.
pub const HOLDER_KEY_LABEL: &str = "laissez/v1/holder-key";
const FINGERPRINT_TAG: &str = "fingerprint";
const SLOT_TAG: &str = "slot";

/// Where a holder key's private half lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HolderKeyOrigin {
    /// Derived from the wallet seed; re-derivable after recovery.
    Derived,
    /// Held by the platform (Keystore / Secure Enclave) under this id; lost with the phone.
    Platform(String),
}

/// A holder key as recorded in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderKey {
    /// Its slot number (derivation context for derived keys).
    pub slot: u32,
    /// The public key.
    pub public_key: VerifyingKey,
    /// Where the private half lives.
    pub origin: HolderKeyOrigin,
}

#[derive(Serialize, Deserialize)]
struct HolderKeyBody {
    slot: u32,
    #[serde(with = "serde_bytes")]
    public_sec1: Vec<u8>,
    origin: HolderKeyOrigin,
}

/// The software key of `slot`, derived from the unlocked wallet's seed.
pub fn derive_signing_key(store: &WalletStore, slot: u32) -> StoreResult<SigningKey> {
    let material = store.seed_key(HOLDER_KEY_LABEL, &slot.to_be_bytes())?;
    Ok(SigningKey::derive(material.as_bytes())?)
}

fn decode(body: &[u8]) -> StoreResult<HolderKey> {
    let parsed: HolderKeyBody = ciborium::from_reader(body)
        .map_err(|_| StoreError::Corrupted("a holder key record is unreadable".into()))?;
    let public_key = VerifyingKey::from_sec1(&parsed.public_sec1)
        .ok_or_else(|| StoreError::Corrupted("a holder key record holds a bad key".into()))?;
    Ok(HolderKey {
        slot: parsed.slot,
        public_key,
        origin: parsed.origin,
    })
}

/// Every holder key recorded in the wallet, by slot.
pub fn list(store: &WalletStore) -> StoreResult<Vec<HolderKey>> {
    let mut keys = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(HOLDER_KEY_KIND, &[], laissez_store::MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            keys.push(decode(&record.body)?);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    keys.sort_by_key(|k| k.slot);
    Ok(keys)
}

/// The recorded holder key with this public key, if it is one of this wallet's.
pub fn find(store: &WalletStore, public_key: &VerifyingKey) -> StoreResult<Option<HolderKey>> {
    let tag = Tag::new(FINGERPRINT_TAG, public_key.fingerprint());
    let page = store.find(HOLDER_KEY_KIND, &[tag], 2, None)?;
    page.records
        .first()
        .map(|r| decode(&r.body))
        .transpose()
        .map(|found| found.filter(|k| k.public_key == *public_key))
}

fn record(store: &mut WalletStore, key: &HolderKey) -> StoreResult<()> {
    let mut body = Vec::new();
    let encoded = HolderKeyBody {
        slot: key.slot,
        public_sec1: key.public_key.to_sec1().to_vec(),
        origin: key.origin.clone(),
    };
    ciborium::into_writer(&encoded, &mut body)
        .map_err(|_| StoreError::Storage("could not encode a holder key".into()))?;
    store.put(&NewRecord {
        kind: HOLDER_KEY_KIND.into(),
        tags: vec![
            Tag::new(FINGERPRINT_TAG, key.public_key.fingerprint()),
            Tag::new(SLOT_TAG, key.slot.to_string()),
        ],
        body,
    })?;
    Ok(())
}

fn next_slot(store: &WalletStore) -> StoreResult<u32> {
    Ok(list(store)?.last().map_or(0, |k| k.slot + 1))
}

/// A new software holder key in the next free slot, recorded in the store.
pub fn create_derived(store: &mut WalletStore) -> StoreResult<HolderKey> {
    let slot = next_slot(store)?;
    let public_key = derive_signing_key(store, slot)?.public_key().clone();
    let key = HolderKey {
        slot,
        public_key,
        origin: HolderKeyOrigin::Derived,
    };
    record(store, &key)?;
    Ok(key)
}

/// Records a platform-held key (its public half and id) in the next free slot.
pub fn register_platform(
    store: &mut WalletStore,
    key_id: &str,
    public_key: VerifyingKey,
) -> StoreResult<HolderKey> {
    if let Some(existing) = find(store, &public_key)? {
        return Ok(existing);
    }
    let slot = next_slot(store)?;
    let key = HolderKey {
        slot,
        public_key,
        origin: HolderKeyOrigin::Platform(key_id.into()),
    };
    record(store, &key)?;
    Ok(key)
}

/// The wallet's default holder key (slot 0), created on first use.
pub fn default_key(store: &mut WalletStore) -> StoreResult<HolderKey> {
    match list(store)?
        .into_iter()
        .find(|k| k.origin == HolderKeyOrigin::Derived)
    {
        Some(key) => Ok(key),
        None => create_derived(store),
    }
}

/// Re-derives and records the derived keys of slots `0..count` (after a restore, so the
/// records exist again). Returns how many were added.
pub fn rederive(store: &mut WalletStore, count: u32) -> StoreResult<u32> {
    let mut added = 0;
    for slot in 0..count {
        let public_key = derive_signing_key(store, slot)?.public_key().clone();
        if find(store, &public_key)?.is_none() {
            record(
                store,
                &HolderKey {
                    slot,
                    public_key,
                    origin: HolderKeyOrigin::Derived,
                },
            )?;
            added += 1;
        }
    }
    Ok(added)
}

/// Removes the records of derived keys in `slots` (keys recorded for an issuance that then
/// failed, before any credential was bound to them). Returns how many were removed.
pub fn remove_unused(store: &mut WalletStore, slots: &[u32]) -> StoreResult<u32> {
    let mut removed = 0;
    for slot in slots {
        let page = store.find(
            HOLDER_KEY_KIND,
            &[Tag::new(SLOT_TAG, slot.to_string())],
            2,
            None,
        )?;
        for record in &page.records {
            if decode(&record.body)?.origin == HolderKeyOrigin::Derived {
                store.delete(record.id)?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::ecdsa::Es256Signer;
    use laissez_crypto::mnemonic::RecoveryPhrase;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_store::StoreOptions;

    fn options() -> StoreOptions {
        StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        }
    }

    #[test]
    fn derived_keys_come_back_from_the_24_words() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, phrase) =
            WalletStore::create(dir.path().join("a.db"), "2468", options()).unwrap();
        let first = default_key(&mut store).unwrap();
        let second = create_derived(&mut store).unwrap();
        assert_eq!((first.slot, second.slot), (0, 1));
        assert_eq!(default_key(&mut store).unwrap(), first);
        assert_eq!(
            find(&store, &second.public_key).unwrap(),
            Some(second.clone())
        );
        let signature = derive_signing_key(&store, 1)
            .unwrap()
            .sign(b"proof")
            .unwrap();
        assert!(second.public_key.verify(b"proof", &signature).is_ok());

        // A new file made from the same 24 words derives the same keys and re-records them.
        let words = RecoveryPhrase::parse(&phrase.phrase()).unwrap();
        let mut restored =
            WalletStore::create_with_phrase(dir.path().join("b.db"), "1357", &words, options())
                .unwrap();
        assert_eq!(
            derive_signing_key(&restored, 1).unwrap().public_key(),
            &second.public_key
        );
        assert_eq!(rederive(&mut restored, 2).unwrap(), 2);
        assert_eq!(
            find(&restored, &first.public_key).unwrap().map(|k| k.slot),
            Some(0)
        );

        // Another wallet's keys differ.
        let (other, _) = WalletStore::create(dir.path().join("c.db"), "2468", options()).unwrap();
        assert_ne!(
            derive_signing_key(&other, 0).unwrap().public_key(),
            &first.public_key
        );
    }

    #[test]
    fn foreign_keys_are_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) =
            WalletStore::create(dir.path().join("a.db"), "2468", options()).unwrap();
        default_key(&mut store).unwrap();
        let stranger = SigningKey::generate().unwrap();
        assert_eq!(find(&store, stranger.public_key()).unwrap(), None);
        let registered =
            register_platform(&mut store, "keystore-1", stranger.public_key().clone()).unwrap();
        assert_eq!(
            registered.origin,
            HolderKeyOrigin::Platform("keystore-1".into())
        );
        assert_eq!(list(&store).unwrap().len(), 2);
    }
}
