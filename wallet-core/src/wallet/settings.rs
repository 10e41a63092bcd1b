//! The wallet's settings, kept in the encrypted store (one record of kind `wallet_settings`).

use serde::{Deserialize, Serialize};

use laissez_store::{MAX_PAGE_SIZE, NewRecord, StoreError, StoreResult, WalletStore};

/// Record kind of the wallet's settings.
pub const SETTINGS_KIND: &str = "wallet_settings";

/// What the holder chose. Every setting defaults to the more private choice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletSettings {
    /// Present the copy presented last again when every copy of a batch has been presented
    /// (such presentations can be linked by verifiers who compare notes). Off by default:
    /// presenting then fails with `CredentialError::NoCopiesLeft` (ADR 0017).
    #[serde(default)]
    pub reuse_last_copy: bool,
}

/// The wallet's settings (the defaults when none were saved).
pub fn load(store: &WalletStore) -> StoreResult<WalletSettings> {
    let page = store.find(SETTINGS_KIND, &[], MAX_PAGE_SIZE, None)?;
    match page.records.first() {
        Some(record) => serde_json::from_slice(&record.body)
            .map_err(|_| StoreError::Corrupted("the wallet settings are unreadable".into())),
        None => Ok(WalletSettings::default()),
    }
}

/// Saves the wallet's settings, replacing any saved before (one transaction).
pub fn save(store: &mut WalletStore, settings: &WalletSettings) -> StoreResult<()> {
    let body = serde_json::to_vec(settings)
        .map_err(|_| StoreError::Storage("could not encode the wallet settings".into()))?;
    store.write(|writer| -> StoreResult<()> {
        let old = writer.find(SETTINGS_KIND, &[], MAX_PAGE_SIZE, None)?;
        for record in &old.records {
            writer.delete(record.id)?;
        }
        writer.put(&NewRecord {
            kind: SETTINGS_KIND.into(),
            tags: Vec::new(),
            body,
        })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_store::StoreOptions;

    #[test]
    fn settings_default_off_and_persist() {
        let dir = tempfile::tempdir().unwrap();
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        let path = dir.path().join("w.db");
        let (mut store, _) = WalletStore::create(&path, "2468", options.clone()).unwrap();
        assert!(!load(&store).unwrap().reuse_last_copy);
        save(
            &mut store,
            &WalletSettings {
                reuse_last_copy: true,
            },
        )
        .unwrap();
        save(
            &mut store,
            &WalletSettings {
                reuse_last_copy: true,
            },
        )
        .unwrap();
        assert_eq!(store.count(SETTINGS_KIND, &[]).unwrap(), 1);
        drop(store);
        let mut store = WalletStore::open(&path, options).unwrap();
        store.unlock("2468").unwrap();
        assert!(load(&store).unwrap().reuse_last_copy);
        save(&mut store, &WalletSettings::default()).unwrap();
        assert!(!load(&store).unwrap().reuse_last_copy);
    }
}
