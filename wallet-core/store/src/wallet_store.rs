//! [`WalletStore`]: the life cycle of an encrypted wallet file and its record operations.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::key_slots::{self, PIN_SLOT, PinScheme, RECOVERY_SLOT, SlotParams};
use super::pin_guard::PinGuard;
use super::pin_kek::{self, PinSlotPlan};
use super::record_cipher::RecordCipher;
use super::record_types::{NewRecord, Page, PageCursor, Record, RecordId, Tag};
use super::sealed_marks::{self, Marks};
use super::store_writer::StoreWriter;
use super::{connection, file_check, pin_guard, records, schema};
use crate::error::{StoreError, StoreResult};
use crate::platform_key::{PlatformKeyError, PlatformKeyProtector};
use laissez_crypto::clock::{Clock, SystemClock};
use laissez_crypto::derive::{self, RECOVERY_KEY};
use laissez_crypto::mnemonic::RecoveryPhrase;
use laissez_crypto::pin_kdf::{KdfParams, derive_pin_key};
use laissez_crypto::random;
use laissez_crypto::secret::SecretKey;

/// Shortest PIN accepted, in characters.
pub const MIN_PIN_CHARS: usize = 4;
/// Longest PIN accepted, in bytes.
pub const MAX_PIN_BYTES: usize = 128;

const META_WALLET_ID: &str = "wallet_id";
const META_CANARY: &str = "canary";
const META_SEED: &str = "seed";

/// How a store is opened or created.
#[derive(Clone)]
pub struct StoreOptions {
    /// The time source (tests move it to check PIN delays).
    pub clock: Arc<dyn Clock>,
    /// Hardware key protection, when the platform offers it.
    pub platform_key: Option<Arc<dyn PlatformKeyProtector>>,
    /// Argon2id parameters for new PIN wraps (create, change PIN, recover).
    pub pin_kdf: KdfParams,
    /// When to run SQLite's `quick_check` on open.
    pub integrity_check: IntegrityCheck,
}

/// When `open` runs SQLite's `quick_check`, which reads the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IntegrityCheck {
    /// On every open: slowest, for support tools.
    Always,
    /// Only when the last session did not close cleanly (its write-ahead log is still there):
    /// the case where damage is likely, without making every unlock read the whole file.
    #[default]
    AfterUncleanShutdown,
    /// Never (benchmarks, tests of other things).
    Never,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            platform_key: None,
            pin_kdf: KdfParams::PHONE,
            integrity_check: IntegrityCheck::default(),
        }
    }
}

impl std::fmt::Debug for StoreOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreOptions")
            .field(
                "platform_key",
                &self.platform_key.as_ref().map(|p| p.key_id()),
            )
            .field("pin_kdf", &self.pin_kdf)
            .field("integrity_check", &self.integrity_check)
            .finish_non_exhaustive()
    }
}

/// What can be said about a wallet without unlocking it. Nothing personal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletInfo {
    /// The wallet's random id (hex).
    pub wallet_id: String,
    /// Schema version of the file.
    pub schema_version: u32,
    /// Whether the keys are in memory.
    pub locked: bool,
    /// Records of every kind.
    pub record_count: u64,
    /// Argon2id parameters of the PIN slot.
    pub pin_kdf: KdfParams,
    /// Whether the PIN slot is also bound to a platform key.
    pub platform_protected: bool,
    /// Wrong PIN attempts since the last success.
    pub failed_pin_attempts: u32,
    /// Seconds before the next PIN attempt is accepted.
    pub retry_after_secs: u64,
}

/// Keys in memory while unlocked; wiped on lock and drop.
struct Unlocked {
    dek: SecretKey,
    /// The key wrapping the data key in the PIN slot (so `rekey` needs neither the PIN nor
    /// the hardware).
    pin_kek: SecretKey,
    seed: Zeroizing<Vec<u8>>,
    cipher: RecordCipher,
    /// What the canary carries ([`sealed_marks`]).
    marks: Marks,
}

/// The outcome of a correct PIN.
struct VerifiedPin {
    dek: SecretKey,
    pin_kek: SecretKey,
    /// Set when the slot is in the old platform-wrap scheme: the Argon2id output, from which
    /// the migration makes the hardware-bound KEK.
    legacy_pin_key: Option<SecretKey>,
}

/// An encrypted wallet file. Created unlocked; opened locked.
///
/// One `WalletStore` owns the only writer connection to its file. It is `Send` but not
/// `Sync`: share it behind a `Mutex`.
pub struct WalletStore {
    conn: Connection,
    path: PathBuf,
    wallet_id: [u8; 16],
    options: StoreOptions,
    guard: PinGuard,
    unlocked: Option<Unlocked>,
}

impl std::fmt::Debug for WalletStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalletStore")
            .field("wallet_id", &hex::encode(self.wallet_id))
            .field("locked", &self.unlocked.is_none())
            .finish_non_exhaustive()
    }
}

/// Checks a new PIN against the rules (length, not only spaces) without touching any wallet:
/// apps call it before asking for the current PIN, so a PIN that would be refused costs no
/// attempt and no Argon2id run.
pub fn validate_pin(pin: &str) -> StoreResult<()> {
    if pin.chars().count() < MIN_PIN_CHARS {
        return Err(StoreError::InvalidPin(format!(
            "at least {MIN_PIN_CHARS} characters"
        )));
    }
    if pin.len() > MAX_PIN_BYTES {
        return Err(StoreError::InvalidPin(format!(
            "at most {MAX_PIN_BYTES} bytes"
        )));
    }
    if pin.trim().is_empty() {
        return Err(StoreError::InvalidPin("not only spaces".into()));
    }
    Ok(())
}

/// Removes what `create` made when creation fails half way; only files this call created.
struct CreatedFiles<'a> {
    path: &'a Path,
    armed: bool,
}

impl Drop for CreatedFiles<'_> {
    fn drop(&mut self) {
        if self.armed {
            // Best effort: the creation's own error is what the caller needs to see.
            let _ = crate::wallet_files::delete_wallet_files(self.path);
        }
    }
}

impl WalletStore {
    /// Creates a new wallet at `path` (which must not exist) protected by `pin`, and returns
    /// it unlocked together with its recovery phrase, to be shown to the person once.
    pub fn create(
        path: impl AsRef<Path>,
        pin: &str,
        options: StoreOptions,
    ) -> StoreResult<(Self, RecoveryPhrase)> {
        let phrase = RecoveryPhrase::generate()?;
        let store = Self::create_with_phrase(path, pin, &phrase, options)?;
        Ok((store, phrase))
    }

    /// Creates a new wallet file from an existing recovery phrase (a new phone, a restore):
    /// everything derived from the 24 words, holder keys included, comes out the same.
    pub fn create_with_phrase(
        path: impl AsRef<Path>,
        pin: &str,
        phrase: &RecoveryPhrase,
        options: StoreOptions,
    ) -> StoreResult<Self> {
        validate_pin(pin)?;
        options.pin_kdf.validate()?;
        let path = path.as_ref();
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::AlreadyExists);
            }
            Err(err) => return Err(err.into()),
        }
        let mut guard = CreatedFiles { path, armed: true };
        let store = Self::initialize(path, pin, phrase, options)?;
        guard.armed = false;
        Ok(store)
    }

    fn initialize(
        path: &Path,
        pin: &str,
        phrase: &RecoveryPhrase,
        options: StoreOptions,
    ) -> StoreResult<Self> {
        let mut conn = connection::initialize_new(path)?;
        schema::migrate(&mut conn)?;
        let wallet_id = random::bytes::<16>()?;
        let dek = random::secret_key()?;
        let seed = Zeroizing::new(phrase.seed().to_vec());
        let cipher = RecordCipher::new(&dek, wallet_id)?;
        let plan = pin_kek::new_pin_slot(pin, options.pin_kdf, options.platform_key.as_deref())?;
        let tx = conn.transaction()?;
        put_meta(&tx, META_WALLET_ID, &wallet_id)?;
        let marks = Marks::new();
        save_keys(&tx, &wallet_id, &dek, &cipher, &seed, &marks, &plan)?;
        tx.commit()?;
        let guard = PinGuard::opened_at(options.clock.monotonic());
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            wallet_id,
            options,
            guard,
            unlocked: Some(Unlocked {
                dek,
                pin_kek: plan.kek,
                seed,
                cipher,
                marks,
            }),
        })
    }

    /// Opens an existing wallet, locked. A missing, foreign, damaged or newer-format file
    /// gives its own error and is left exactly as it was.
    pub fn open(path: impl AsRef<Path>, options: StoreOptions) -> StoreResult<Self> {
        let path = path.as_ref();
        file_check::check_wallet_file(path)?;
        let unclean = file_check::wal_pending(path);
        let mut conn = connection::open_existing(path)?;
        let check = match options.integrity_check {
            IntegrityCheck::Always => true,
            IntegrityCheck::AfterUncleanShutdown => unclean,
            IntegrityCheck::Never => false,
        };
        if check {
            let verdict: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if verdict != "ok" {
                return Err(StoreError::Corrupted("SQLite's quick_check failed".into()));
            }
        }
        match schema::stored_version(&conn)? {
            0 => {
                return Err(StoreError::Corrupted(
                    "wallet creation never completed".into(),
                ));
            }
            v if v > schema::CURRENT_VERSION => {
                return Err(StoreError::UnsupportedVersion {
                    found: v,
                    supported: schema::CURRENT_VERSION,
                });
            }
            _ => schema::migrate(&mut conn)?,
        }
        let raw_id = get_meta(&conn, META_WALLET_ID)?;
        let wallet_id: [u8; 16] = raw_id
            .try_into()
            .map_err(|_| StoreError::Corrupted("the wallet id is damaged".into()))?;
        let guard = PinGuard::opened_at(options.clock.monotonic());
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            wallet_id,
            options,
            guard,
            unlocked: None,
        })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the keys are out of memory.
    pub fn is_locked(&self) -> bool {
        self.unlocked.is_none()
    }

    /// Forgets the keys; record operations fail with [`StoreError::Locked`] until unlocked.
    pub fn lock(&mut self) {
        self.unlocked = None;
    }

    /// Unlocks with the PIN. A wrong PIN is counted durably before it is checked. A wallet
    /// made before hardware challenges moves to them here (with a new data key).
    pub fn unlock(&mut self, pin: &str) -> StoreResult<()> {
        let verified = self.verify_pin(pin)?;
        let keys = self.load_keys(verified.dek, verified.pin_kek)?;
        match verified.legacy_pin_key {
            None => self.unlocked = Some(keys),
            Some(pin_key) => {
                let slot = key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT)?;
                let protector =
                    pin_kek::platform_for(&slot.params, self.options.platform_key.as_deref())?
                        .ok_or_else(|| {
                            StoreError::Corrupted("the old PIN slot lost its platform key".into())
                        })?;
                let plan = pin_kek::migrated_pin_slot(&slot.params, &pin_key, protector)?;
                self.rotate_data_key(&keys, plan)?;
            }
        }
        Ok(())
    }

    /// Checks `pin` against the PIN slot through the attempt guard.
    ///
    /// Order matters. Refused before counting (they say nothing about the PIN): a slot whose
    /// Argon2id parameters exceed what a phone can run (a tampered file would get the app
    /// killed mid-check, and every kill would count), a missing or other platform key, and
    /// the old scheme's platform unwrap, which does not involve the PIN. Then the attempt is
    /// counted durably, and only then Argon2id runs and the hardware is asked: every hardware
    /// answer costs one counted attempt. If the hardware gives no answer (a cancelled prompt,
    /// an invalidated or unavailable key), nothing about the PIN can be learnt from this
    /// attempt, so it is taken back exactly, as a success would clear it: the person who
    /// cancels a biometric prompt is not punished, and no answer ever comes uncounted. A kill
    /// between the count and the undo leaves the count (never a free guess).
    fn verify_pin(&mut self, pin: &str) -> StoreResult<VerifiedPin> {
        if pin.is_empty() || pin.len() > MAX_PIN_BYTES {
            return Err(StoreError::InvalidPin(format!(
                "1 to {MAX_PIN_BYTES} bytes"
            )));
        }
        let slot = key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT)?;
        let kdf = slot
            .params
            .kdf
            .ok_or_else(|| StoreError::Corrupted("the PIN slot has no KDF parameters".into()))?;
        kdf.validate().map_err(|_| {
            StoreError::Corrupted(
                "the PIN slot asks for more Argon2id memory or passes than a phone can run".into(),
            )
        })?;
        let platform = pin_kek::platform_for(&slot.params, self.options.platform_key.as_deref())?;
        let legacy_inner = match (platform, slot.params.scheme) {
            (Some(protector), PinScheme::PlatformWrap) => {
                Some(Zeroizing::new(protector.legacy_unwrap(&slot.wrapped)?))
            }
            _ => None,
        };
        let clock = &self.options.clock;
        let attempt = self
            .guard
            .begin_attempt(&self.conn, clock.now_unix(), clock.monotonic())?;
        let pin_key = derive_pin_key(pin.as_bytes(), &slot.params.salt, kdf)?;
        let (kek, wrapped, legacy_pin_key) = match (platform, legacy_inner) {
            (None, _) => (pin_key, slot.wrapped, None),
            (Some(_), Some(inner)) => (pin_key.clone(), inner.to_vec(), Some(pin_key)),
            (Some(protector), None) => match pin_kek::hardware_kek(&pin_key, protector) {
                Ok(kek) => (kek, slot.wrapped, None),
                Err(err) => {
                    self.guard.undo(&self.conn, attempt)?;
                    return Err(err);
                }
            },
        };
        match key_slots::open(&kek, &wrapped, &self.wallet_id, PIN_SLOT)? {
            Some(dek) => {
                pin_guard::reset(&self.conn)?;
                Ok(VerifiedPin {
                    dek,
                    pin_kek: kek,
                    legacy_pin_key,
                })
            }
            None => {
                // A replaced hardware key (keystore wiped, alias made again) makes every PIN
                // look wrong; tell it apart so the person is sent to the 24 words instead of
                // into delays. Only a check that shows another key takes the attempt back (the
                // guess was answered by a key that is not the wallet's: it taught nothing).
                // A check that fails (a second prompt cancelled) keeps the count: the guess
                // itself was answered and found wrong, and undoing it would let whoever
                // cancels the second prompt guess for free.
                if let Some(protector) = platform.filter(|_| legacy_pin_key.is_none()) {
                    if let Ok(false) = pin_kek::is_same_key(&slot.params, protector) {
                        self.guard.undo(&self.conn, attempt)?;
                        return Err(StoreError::PlatformKey(PlatformKeyError::KeyInvalidated(
                            "the platform key was replaced; recover with the 24 words".into(),
                        )));
                    }
                }
                Err(pin_guard::wrong_pin(attempt.recorded))
            }
        }
    }

    /// The keys once the data key is known, checking the canary and opening the seed.
    fn load_keys(&self, dek: SecretKey, pin_kek: SecretKey) -> StoreResult<Unlocked> {
        let cipher = RecordCipher::new(&dek, self.wallet_id)?;
        let canary = get_meta(&self.conn, META_CANARY)?;
        let marks = cipher
            .open_meta(META_CANARY, &canary)
            .and_then(|plain| sealed_marks::decode(&plain))
            .ok_or_else(|| {
                StoreError::Corrupted("the data key does not match the data (canary)".into())
            })?;
        let sealed_seed = get_meta(&self.conn, META_SEED)?;
        let seed = cipher
            .open_meta(META_SEED, &sealed_seed)
            .ok_or_else(|| StoreError::Corrupted("the sealed seed is damaged".into()))?;
        Ok(Unlocked {
            dek,
            pin_kek,
            seed,
            cipher,
            marks,
        })
    }

    /// Replaces the PIN. Asks for the current one even when unlocked, so a phone left
    /// unlocked cannot be taken over. Rotates the data key: a copy of the file taken before
    /// opens with the old PIN only to data written before.
    pub fn change_pin(&mut self, current_pin: &str, new_pin: &str) -> StoreResult<()> {
        validate_pin(new_pin)?;
        let verified = self.verify_pin(current_pin)?;
        // The new PIN keeps the current hardware binding: turning it on or off is
        // `set_platform_protection`'s job, not a side effect of the key in the options.
        let slot = key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT)?;
        let platform = pin_kek::platform_for(&slot.params, self.options.platform_key.as_deref())?;
        let keys = self.load_keys(verified.dek, verified.pin_kek)?;
        let plan = pin_kek::new_pin_slot(new_pin, self.options.pin_kdf, platform)?;
        self.rotate_data_key(&keys, plan).map(|_| ())
    }

    /// Unlocks with the 24-word recovery phrase and sets a new PIN: for a forgotten PIN or
    /// a lockout. Clears the wrong-PIN counter and rotates the data key, so the old PIN's wrap
    /// opens nothing written from now on.
    pub fn recover(&mut self, phrase: &RecoveryPhrase, new_pin: &str) -> StoreResult<()> {
        validate_pin(new_pin)?;
        let slot = key_slots::load(&self.conn, &self.wallet_id, RECOVERY_SLOT)?;
        let recovery_key = derive::from_seed(&*phrase.seed(), RECOVERY_KEY, b"")?;
        let dek = key_slots::open(&recovery_key, &slot.wrapped, &self.wallet_id, RECOVERY_SLOT)?
            .ok_or(StoreError::MnemonicMismatch)?;
        let plan = pin_kek::new_pin_slot(
            new_pin,
            self.options.pin_kdf,
            self.options.platform_key.as_deref(),
        )?;
        let keys = self.load_keys(dek, plan.kek.clone())?;
        self.rotate_data_key(&keys, plan)?;
        pin_guard::reset(&self.conn)
    }

    /// Binds the PIN slot to the platform key given in the options (`enabled`), or removes
    /// that binding. Needs the PIN. Rotates the data key, so a copy of the file from before
    /// the binding cannot be used against data written after it.
    pub fn set_platform_protection(&mut self, pin: &str, enabled: bool) -> StoreResult<()> {
        let platform = if enabled {
            Some(
                self.options
                    .platform_key
                    .clone()
                    .ok_or(StoreError::PlatformKey(PlatformKeyError::NotGiven(
                        "no platform key was given to this store",
                    )))?,
            )
        } else {
            None
        };
        let verified = self.verify_pin(pin)?;
        let keys = self.load_keys(verified.dek, verified.pin_kek)?;
        let plan = pin_kek::new_pin_slot(pin, self.options.pin_kdf, platform.as_deref())?;
        self.rotate_data_key(&keys, plan).map(|_| ())
    }

    /// Replaces the data key: every record is re-encrypted and re-indexed and every slot
    /// rewrapped, in one transaction. Returns the number of records re-encrypted.
    pub fn rekey(&mut self) -> StoreResult<u64> {
        let keys = self.unlocked.take().ok_or(StoreError::Locked)?;
        let slot = match key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT) {
            Ok(slot) => slot,
            Err(err) => {
                self.unlocked = Some(keys);
                return Err(err);
            }
        };
        // An unlocked wallet's slot was moved to challenges at unlock; an old-scheme slot
        // here would be rewritten as a plain wrap, which would lose its hardware binding.
        if slot.params.platform_key_id.is_some() && slot.params.scheme == PinScheme::PlatformWrap {
            self.unlocked = Some(keys);
            return Err(StoreError::Corrupted(
                "the PIN slot is still in the old platform scheme".into(),
            ));
        }
        let plan = PinSlotPlan {
            kek: keys.pin_kek.clone(),
            params: slot.params,
        };
        let result = self.rotate_data_key(&keys, plan);
        // Before the commit the old keys still fit the file; after it the new ones are set.
        if self.unlocked.is_none() {
            self.unlocked = Some(keys);
        }
        result
    }

    /// Moves everything to a fresh data key in one transaction: every record resealed and
    /// re-indexed, canary and seed resealed, the PIN slot written from `plan` and the recovery
    /// slot rewrapped. Then the write-ahead log is checkpointed and truncated, so the old
    /// slots (which open the old data key) are left neither in the WAL nor, with
    /// `secure_delete`, in freed pages of the file. Returns the number of records resealed;
    /// on success the store is unlocked with the new keys.
    fn rotate_data_key(&mut self, old: &Unlocked, plan: PinSlotPlan) -> StoreResult<u64> {
        let secure_delete: i64 = self
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
        if secure_delete != 1 {
            return Err(StoreError::Storage(
                "secure_delete is off: old keys could stay in freed pages".into(),
            ));
        }
        let new_dek = random::secret_key()?;
        let new_cipher = RecordCipher::new(&new_dek, self.wallet_id)?;
        let tx = self.conn.transaction()?;
        let count = records::reseal_all(&tx, &old.cipher, &new_cipher)?;
        save_keys(
            &tx,
            &self.wallet_id,
            &new_dek,
            &new_cipher,
            &old.seed,
            &old.marks,
            &plan,
        )?;
        tx.commit()?;
        self.unlocked = Some(Unlocked {
            dek: new_dek,
            pin_kek: plan.kek,
            seed: old.seed.clone(),
            cipher: new_cipher,
            marks: old.marks.clone(),
        });
        truncate_wal(&self.conn)?;
        Ok(count)
    }

    /// Facts about the wallet that need no key.
    pub fn info(&self) -> StoreResult<WalletInfo> {
        let slot = key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT)?;
        let guard = pin_guard::load(&self.conn)?;
        let retry_after_secs = self
            .guard
            .retry_after(guard.failed_attempts, self.options.clock.monotonic());
        Ok(WalletInfo {
            wallet_id: hex::encode(self.wallet_id),
            schema_version: schema::stored_version(&self.conn)?,
            locked: self.is_locked(),
            record_count: records::count_all(&self.conn)?,
            pin_kdf: slot.params.kdf.unwrap_or_default(),
            platform_protected: slot.params.platform_key_id.is_some(),
            failed_pin_attempts: guard.failed_attempts,
            retry_after_secs,
        })
    }

    /// A 256-bit key derived from the wallet seed for one purpose (holder keys, backups).
    pub fn seed_key(&self, label: &str, context: &[u8]) -> StoreResult<SecretKey> {
        let keys = self.unlocked.as_ref().ok_or(StoreError::Locked)?;
        Ok(derive::from_seed(&keys.seed, label, context)?)
    }

    /// Whether the wallet carries the sealed mark `name` (see [`WalletStore::set_mark`]).
    pub fn has_mark(&self, name: &str) -> StoreResult<bool> {
        let keys = self.unlocked.as_ref().ok_or(StoreError::Locked)?;
        Ok(keys.marks.contains(name))
    }

    /// Records a fact about this wallet that whoever can write the file without a key cannot
    /// take away: the mark is sealed into the data-key canary, which cannot be deleted (the
    /// wallet would no longer unlock) or forged. For protections that, once in use, must stay
    /// required. `name` is a fixed name chosen by code (lowercase ASCII, digits, `._-/`, at
    /// most 64 bytes). Marks are never removed.
    pub fn set_mark(&mut self, name: &str) -> StoreResult<()> {
        if !sealed_marks::is_valid_mark(name) {
            return Err(StoreError::Storage(format!(
                "'{name}' cannot be a mark: lowercase ASCII, digits and ._-/ only, at most {} bytes",
                sealed_marks::MAX_MARK_LEN
            )));
        }
        let keys = self.unlocked.as_mut().ok_or(StoreError::Locked)?;
        if keys.marks.contains(name) {
            return Ok(());
        }
        let mut marks = keys.marks.clone();
        marks.insert(name.to_owned());
        let sealed = keys
            .cipher
            .seal_meta(META_CANARY, &sealed_marks::encode(&marks))?;
        put_meta(&self.conn, META_CANARY, &sealed)?;
        keys.marks = marks;
        Ok(())
    }

    fn cipher(&self) -> StoreResult<&RecordCipher> {
        self.unlocked
            .as_ref()
            .map(|k| &k.cipher)
            .ok_or(StoreError::Locked)
    }

    /// The wallet's time by the clock in its [`StoreOptions`], Unix seconds.
    pub fn now(&self) -> i64 {
        self.options.clock.now_unix()
    }

    /// Every record of every kind, decrypted, oldest first: what a backup carries.
    pub fn export_all(&self) -> StoreResult<Vec<Record>> {
        records::all(&self.conn, self.cipher()?)
    }

    /// Stores a new record; returns its fresh id.
    pub fn put(&mut self, record: &NewRecord) -> StoreResult<RecordId> {
        Ok(self.put_many(std::slice::from_ref(record))?.remove(0))
    }

    /// Stores several records in one transaction: all or none.
    pub fn put_many(&mut self, batch: &[NewRecord]) -> StoreResult<Vec<RecordId>> {
        self.write(|writer| batch.iter().map(|record| writer.put(record)).collect())
    }

    /// Runs `changes` in one transaction: everything it puts, updates and deletes commits
    /// together when it returns `Ok`, and nothing does when it returns an error. Use it
    /// whenever one logical change touches several records (replace a record by a newer one,
    /// keep an index record in step with what it lists).
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        changes: impl FnOnce(&mut StoreWriter<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        // The transaction handling is compiled once (`write_erased`); only this adapter is
        // instantiated per caller, which keeps the phone library small.
        let mut changes = Some(changes);
        let mut outcome = None;
        self.write_erased(&mut |writer| {
            let result = changes.take().map(|f| f(writer));
            let commit = matches!(result, Some(Ok(_)));
            outcome = result;
            commit
        })?;
        outcome.unwrap_or_else(|| {
            Err(StoreError::Storage("a write ran without its changes".into()).into())
        })
    }

    /// Runs `changes` in a transaction, committed when it returns `true` and rolled back
    /// when it returns `false`.
    fn write_erased(
        &mut self,
        changes: &mut dyn FnMut(&mut StoreWriter<'_>) -> bool,
    ) -> StoreResult<()> {
        let now = self.now();
        let cipher = self
            .unlocked
            .as_ref()
            .map(|k| &k.cipher)
            .ok_or(StoreError::Locked)?;
        let tx = self.conn.transaction()?;
        let mut writer = StoreWriter {
            tx: &tx,
            cipher,
            now,
        };
        if changes(&mut writer) {
            tx.commit()?;
        }
        Ok(())
    }

    /// Reads one record.
    pub fn get(&self, id: RecordId) -> StoreResult<Record> {
        records::get(&self.conn, self.cipher()?, id)
    }

    /// Replaces a record's tags and body.
    pub fn update(&mut self, id: RecordId, tags: &[Tag], body: &[u8]) -> StoreResult<()> {
        self.write(|writer| writer.update(id, tags, body))
    }

    /// Deletes a record.
    pub fn delete(&mut self, id: RecordId) -> StoreResult<()> {
        self.write(|writer| writer.delete(id))
    }

    /// One page of the records of `kind` carrying every tag in `tags` (AND), oldest first.
    pub fn find(
        &self,
        kind: &str,
        tags: &[Tag],
        limit: u32,
        after: Option<PageCursor>,
    ) -> StoreResult<Page> {
        records::find(&self.conn, self.cipher()?, kind, tags, limit, after)
    }

    /// How many records of `kind` carry every tag in `tags`.
    pub fn count(&self, kind: &str, tags: &[Tag]) -> StoreResult<u64> {
        records::count(&self.conn, self.cipher()?, kind, tags)
    }

    /// Holds the data key only long enough to compare: for tests that a rekey changed it.
    #[doc(hidden)]
    pub fn data_key_fingerprint(&self) -> StoreResult<[u8; 8]> {
        let keys = self.unlocked.as_ref().ok_or(StoreError::Locked)?;
        let digest = ring::digest::digest(&ring::digest::SHA256, keys.dek.as_bytes());
        let mut out = [0u8; 8];
        out.copy_from_slice(&digest.as_ref()[..8]);
        Ok(out)
    }
}

/// Writes everything the data key protects or is protected by: canary, sealed seed, the PIN
/// slot from `plan` and the recovery slot. Inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn save_keys(
    conn: &Connection,
    wallet_id: &[u8; 16],
    dek: &SecretKey,
    cipher: &RecordCipher,
    seed: &[u8],
    marks: &Marks,
    plan: &PinSlotPlan,
) -> StoreResult<()> {
    put_meta(
        conn,
        META_CANARY,
        &cipher.seal_meta(META_CANARY, &sealed_marks::encode(marks))?,
    )?;
    put_meta(conn, META_SEED, &cipher.seal_meta(META_SEED, seed)?)?;
    let wrapped = key_slots::wrap(&plan.kek, dek, wallet_id, PIN_SLOT)?;
    key_slots::save(conn, wallet_id, PIN_SLOT, &plan.params, &wrapped)?;
    let recovery_key = derive::from_seed(seed, RECOVERY_KEY, b"")?;
    let wrapped = key_slots::wrap(&recovery_key, dek, wallet_id, RECOVERY_SLOT)?;
    key_slots::save(
        conn,
        wallet_id,
        RECOVERY_SLOT,
        &SlotParams::default(),
        &wrapped,
    )
}

/// Copies the write-ahead log into the file and empties it. With the only connection to the
/// file this always completes; if another process holds the file open, the log is emptied
/// when the last connection closes instead, so a busy checkpoint is not an error.
fn truncate_wal(conn: &Connection) -> StoreResult<()> {
    let _busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    Ok(())
}

fn put_meta(conn: &Connection, name: &str, value: &[u8]) -> StoreResult<()> {
    conn.execute(
        "INSERT OR REPLACE INTO wallet_meta (name, value) VALUES (?1, ?2)",
        params![name, value],
    )?;
    Ok(())
}

fn get_meta(conn: &Connection, name: &str) -> StoreResult<Vec<u8>> {
    conn.query_row(
        "SELECT value FROM wallet_meta WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::Corrupted(format!("wallet entry '{name}' is missing")))
}
