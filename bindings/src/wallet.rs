//! The `Wallet` object: an encrypted wallet file, its PIN, its recovery phrase and records.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use wallet_core::clock::{Clock, SystemClock};
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::store::{PageCursor, RecordId, StoreOptions, WalletStore};

use crate::blocking::{self, PoolFailure};
use crate::clock::{ForeignClock, WalletClock};
use crate::error::WalletError;
use crate::kdf::KdfSettings;
use crate::platform_key::{ForeignProtector, PlatformKeyProtector};
use crate::records::{NewRecordInput, RecordPage, RecordTag, StoredRecord, to_core_tags};

/// How a wallet is created or opened.
#[derive(uniffi::Record)]
pub struct WalletOptions {
    /// Argon2id cost for new PIN wraps; use `recommendedPinKdf()` in apps.
    pub pin_kdf: KdfSettings,
    /// Hardware key protection (Android Keystore / Secure Enclave), when available.
    pub platform_key: Option<Arc<dyn PlatformKeyProtector>>,
    /// A clock for tests; the system clock when absent.
    pub clock: Option<Arc<dyn WalletClock>>,
}

impl WalletOptions {
    /// The core's store options.
    pub(crate) fn into_core(self) -> StoreOptions {
        StoreOptions {
            clock: match self.clock {
                Some(clock) => Arc::new(ForeignClock(clock)),
                None => Arc::new(SystemClock),
            },
            platform_key: self.platform_key.map(|p| {
                Arc::new(ForeignProtector(p))
                    as Arc<dyn wallet_core::platform_key::PlatformKeyProtector>
            }),
            pin_kdf: self.pin_kdf.into(),
            integrity_check: wallet_core::store::IntegrityCheck::default(),
        }
    }
}

/// A newly created wallet and its recovery phrase.
#[derive(uniffi::Record)]
pub struct NewWallet {
    /// The wallet, unlocked.
    pub wallet: Arc<Wallet>,
    /// The 24 words, in order. Show them once, have them written down, then drop them.
    pub mnemonic_words: Vec<String>,
}

/// What can be said about a wallet without unlocking it. Nothing personal.
#[derive(Debug, Clone, uniffi::Record)]
pub struct WalletStatus {
    /// The wallet's random id.
    pub wallet_id: String,
    /// Format version of the file.
    pub schema_version: u32,
    /// Whether the wallet is locked.
    pub locked: bool,
    /// Number of records of every kind.
    pub record_count: u64,
    /// Argon2id cost of the PIN.
    pub pin_kdf: KdfSettings,
    /// Whether the PIN is additionally bound to a platform key.
    pub platform_protected: bool,
    /// Wrong PIN attempts since the last success.
    pub failed_pin_attempts: u32,
    /// Seconds before the next PIN attempt is accepted.
    pub retry_after_secs: u64,
}

/// An encrypted wallet. Created unlocked by `createWallet`, opened locked by `openWallet`.
///
/// Long operations are `suspend` (Kotlin) / `async` (Swift) and run on the core's worker
/// pool. Close it (`close()` in Kotlin, release in Swift) to release the file.
#[derive(uniffi::Object)]
pub struct Wallet {
    store: Arc<Mutex<WalletStore>>,
    /// The store's clock, kept for the operations that take the time as an argument in the
    /// core (credential import and presentation).
    clock: Arc<dyn Clock>,
}

fn lock_store(store: &Mutex<WalletStore>) -> MutexGuard<'_, WalletStore> {
    // A panic mid-operation rolled its transaction back; the store is still consistent.
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn parse_id(id: &str) -> Result<RecordId, WalletError> {
    Ok(RecordId::parse(id)?)
}

impl Wallet {
    /// Wraps an open store; `clock` is the one in its options.
    pub(crate) fn new(store: WalletStore, clock: Arc<dyn Clock>) -> Arc<Self> {
        Arc::new(Wallet {
            store: Arc::new(Mutex::new(store)),
            clock,
        })
    }

    /// Runs `work` on the store, on the blocking pool.
    pub(crate) async fn with_store<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<PoolFailure> + Send + 'static,
        F: FnOnce(&mut WalletStore) -> Result<T, E> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        blocking::run(move || work(&mut lock_store(&store))).await
    }

    /// The current time by the wallet's clock (the one given in [`WalletOptions`]).
    pub(crate) fn now(&self) -> i64 {
        self.clock.now_unix()
    }
}

/// Creates a wallet at `path` (which must not exist) protected by `pin`.
#[uniffi::export]
pub async fn create_wallet(
    path: String,
    pin: String,
    options: WalletOptions,
) -> Result<NewWallet, WalletError> {
    blocking::run(move || {
        let pin = zeroize::Zeroizing::new(pin);
        let options = options.into_core();
        let clock = Arc::clone(&options.clock);
        let (store, phrase) = WalletStore::create(&path, &pin, options)?;
        let mnemonic_words = phrase.words().iter().map(|w| w.to_string()).collect();
        Ok(NewWallet {
            wallet: Wallet::new(store, clock),
            mnemonic_words,
        })
    })
    .await
}

/// Opens an existing wallet, locked. A damaged or foreign file is reported and left as it is.
#[uniffi::export]
pub async fn open_wallet(path: String, options: WalletOptions) -> Result<Arc<Wallet>, WalletError> {
    blocking::run(move || {
        let options = options.into_core();
        let clock = Arc::clone(&options.clock);
        let store = WalletStore::open(&path, options)?;
        Ok(Wallet::new(store, clock))
    })
    .await
}

/// Deletes the wallet at `path` for good: the database file and the companions SQLite keeps
/// beside it (`-wal`, `-shm`, `-journal`). Files that are not there are fine, so deleting twice
/// or deleting a wallet never made succeeds. Without a backup and the 24 words, what it held is
/// gone.
///
/// Close the `Wallet` opened on this path first (Kotlin: `wallet.close()` or `use { }`; Swift:
/// drop every reference to it, and let pending calls on it finish): an open wallet would write
/// its log file again. Errors: `Storage` when a file exists but cannot be removed (the others
/// are still removed).
#[uniffi::export]
pub fn delete_wallet(path: String) -> Result<(), WalletError> {
    Ok(wallet_core::store::delete_wallet_files(Path::new(&path))?)
}

/// Checks a new PIN against the rules (at least 4 characters, not only spaces, at most 128
/// bytes) without touching a wallet: call it before `changePin`, `recover` or `createWallet` to
/// refuse a PIN early. Errors: `InvalidPin`.
#[uniffi::export]
pub fn validate_new_pin(pin: String) -> Result<(), WalletError> {
    let pin = zeroize::Zeroizing::new(pin);
    Ok(wallet_core::store::validate_pin(&pin)?)
}

/// Checks a recovery phrase as the person types it (word count, unknown words, checksum).
#[uniffi::export]
pub fn validate_mnemonic(phrase: String) -> Result<(), WalletError> {
    let phrase = zeroize::Zeroizing::new(phrase);
    RecoveryPhrase::parse(&phrase)?;
    Ok(())
}

#[uniffi::export]
impl Wallet {
    /// Unlocks with the PIN (Argon2id runs off the caller's thread).
    pub async fn unlock(&self, pin: String) -> Result<(), WalletError> {
        let pin = zeroize::Zeroizing::new(pin);
        self.with_store(move |s| Ok(s.unlock(&pin)?)).await
    }

    /// Forgets the keys until the next unlock.
    pub fn lock(&self) {
        lock_store(&self.store).lock();
    }

    /// Whether the keys are out of memory.
    pub fn is_locked(&self) -> bool {
        lock_store(&self.store).is_locked()
    }

    /// Facts about the wallet that need no key.
    pub fn status(&self) -> Result<WalletStatus, WalletError> {
        let info = lock_store(&self.store).info()?;
        Ok(WalletStatus {
            wallet_id: info.wallet_id,
            schema_version: info.schema_version,
            locked: info.locked,
            record_count: info.record_count,
            pin_kdf: info.pin_kdf.into(),
            platform_protected: info.platform_protected,
            failed_pin_attempts: info.failed_pin_attempts,
            retry_after_secs: info.retry_after_secs,
        })
    }

    /// Replaces the PIN; asks for the current one.
    pub async fn change_pin(
        &self,
        current_pin: String,
        new_pin: String,
    ) -> Result<(), WalletError> {
        let (current, new) = (
            zeroize::Zeroizing::new(current_pin),
            zeroize::Zeroizing::new(new_pin),
        );
        self.with_store(move |s| Ok(s.change_pin(&current, &new)?))
            .await
    }

    /// Unlocks with the 24 words and sets a new PIN (forgotten PIN, lockout).
    pub async fn recover(&self, mnemonic: String, new_pin: String) -> Result<(), WalletError> {
        let (mnemonic, new_pin) = (
            zeroize::Zeroizing::new(mnemonic),
            zeroize::Zeroizing::new(new_pin),
        );
        self.with_store(move |s| {
            let phrase = RecoveryPhrase::parse(&mnemonic)?;
            Ok(s.recover(&phrase, &new_pin)?)
        })
        .await
    }

    /// Binds the PIN to the platform key given in the options, or removes that binding.
    pub async fn set_platform_protection(
        &self,
        pin: String,
        enabled: bool,
    ) -> Result<(), WalletError> {
        let pin = zeroize::Zeroizing::new(pin);
        self.with_store(move |s| Ok(s.set_platform_protection(&pin, enabled)?))
            .await
    }

    /// New data key; every record re-encrypted in one transaction. Returns how many.
    pub async fn rekey(&self) -> Result<u64, WalletError> {
        self.with_store(|s| Ok(s.rekey()?)).await
    }

    /// Stores a record; returns its id.
    pub async fn put(&self, record: NewRecordInput) -> Result<String, WalletError> {
        self.with_store(move |s| Ok(s.put(&record.into())?.to_string()))
            .await
    }

    /// Stores several records in one transaction: all or none.
    pub async fn put_many(&self, records: Vec<NewRecordInput>) -> Result<Vec<String>, WalletError> {
        self.with_store(move |s| {
            let batch: Vec<_> = records.into_iter().map(Into::into).collect();
            Ok(s.put_many(&batch)?
                .iter()
                .map(ToString::to_string)
                .collect())
        })
        .await
    }

    /// Reads one record.
    pub async fn get(&self, id: String) -> Result<StoredRecord, WalletError> {
        self.with_store(move |s| Ok(s.get(parse_id(&id)?)?.into()))
            .await
    }

    /// Replaces a record's tags and body.
    pub async fn update(
        &self,
        id: String,
        tags: Vec<RecordTag>,
        body: Vec<u8>,
    ) -> Result<(), WalletError> {
        self.with_store(move |s| Ok(s.update(parse_id(&id)?, &to_core_tags(tags), &body)?))
            .await
    }

    /// Deletes a record.
    pub async fn delete(&self, id: String) -> Result<(), WalletError> {
        self.with_store(move |s| Ok(s.delete(parse_id(&id)?)?))
            .await
    }

    /// One page (up to `limit`, at most 1000) of the records of `kind` carrying every tag.
    pub async fn find(
        &self,
        kind: String,
        tags: Vec<RecordTag>,
        limit: u32,
        cursor: Option<String>,
    ) -> Result<RecordPage, WalletError> {
        self.with_store(move |s| {
            let after = cursor.as_deref().map(PageCursor::from_token).transpose()?;
            Ok(s.find(&kind, &to_core_tags(tags), limit, after)?.into())
        })
        .await
    }

    /// How many records of `kind` carry every tag.
    pub async fn count(&self, kind: String, tags: Vec<RecordTag>) -> Result<u64, WalletError> {
        self.with_store(move |s| Ok(s.count(&kind, &to_core_tags(tags))?))
            .await
    }
}
