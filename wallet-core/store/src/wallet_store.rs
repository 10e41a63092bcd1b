//! [`WalletStore`]: the life cycle of an encrypted wallet file and its record operations.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use super::key_slots::{self, PIN_SLOT, RECOVERY_SLOT, SlotParams};
use super::record_cipher::RecordCipher;
use super::record_types::{NewRecord, Page, PageCursor, Record, RecordId, Tag};
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
const CANARY_PLAINTEXT: &[u8] = b"laissez data key canary v1";

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
    pin_key: SecretKey,
    seed: Zeroizing<Vec<u8>>,
    cipher: RecordCipher,
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

fn validate_pin(pin: &str) -> StoreResult<()> {
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
        let salt = random::bytes::<16>()?;
        let pin_key = derive_pin_key(pin.as_bytes(), &salt, options.pin_kdf)?;
        let recovery_key = derive::from_seed(&seed, RECOVERY_KEY, b"")?;
        let platform = options.platform_key.as_deref();
        let tx = conn.transaction()?;
        put_meta(&tx, META_WALLET_ID, &wallet_id)?;
        put_meta(
            &tx,
            META_CANARY,
            &cipher.seal_meta(META_CANARY, CANARY_PLAINTEXT)?,
        )?;
        put_meta(&tx, META_SEED, &cipher.seal_meta(META_SEED, &seed)?)?;
        save_pin_slot(
            &tx,
            &pin_key,
            &dek,
            &wallet_id,
            salt.to_vec(),
            options.pin_kdf,
            platform,
        )?;
        let wrapped = key_slots::wrap(&recovery_key, &dek, &wallet_id, RECOVERY_SLOT, None)?;
        key_slots::save(
            &tx,
            &wallet_id,
            RECOVERY_SLOT,
            &SlotParams::default(),
            &wrapped,
        )?;
        tx.commit()?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            wallet_id,
            options,
            unlocked: Some(Unlocked {
                dek,
                pin_key,
                seed,
                cipher,
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
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            wallet_id,
            options,
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

    /// Unlocks with the PIN. A wrong PIN is counted durably before it is checked.
    pub fn unlock(&mut self, pin: &str) -> StoreResult<()> {
        let (dek, pin_key) = self.verify_pin(pin)?;
        self.enter(dek, pin_key)
    }

    /// Checks `pin` against the PIN slot through the attempt guard; returns the data key and
    /// the PIN key.
    fn verify_pin(&self, pin: &str) -> StoreResult<(SecretKey, SecretKey)> {
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
        // The platform layer comes off before the attempt is counted: a missing, different or
        // refusing platform key says nothing about the PIN and must not use up attempts.
        let inner = key_slots::remove_platform_layer(&slot, self.options.platform_key.as_deref())?;
        let attempt = pin_guard::begin_attempt(&self.conn, self.options.clock.now_unix())?;
        let pin_key = derive_pin_key(pin.as_bytes(), &slot.params.salt, kdf)?;
        match key_slots::open_inner(&pin_key, &inner, &self.wallet_id, PIN_SLOT)? {
            Some(dek) => {
                pin_guard::reset(&self.conn)?;
                Ok((dek, pin_key))
            }
            None => Err(pin_guard::wrong_pin(attempt)),
        }
    }

    /// Loads the seed and record keys once the data key is known, checking the canary.
    fn enter(&mut self, dek: SecretKey, pin_key: SecretKey) -> StoreResult<()> {
        let cipher = RecordCipher::new(&dek, self.wallet_id)?;
        let canary = get_meta(&self.conn, META_CANARY)?;
        match cipher.open_meta(META_CANARY, &canary) {
            Some(plain) if plain.as_slice() == CANARY_PLAINTEXT => {}
            _ => {
                return Err(StoreError::Corrupted(
                    "the data key does not match the data (canary)".into(),
                ));
            }
        }
        let sealed_seed = get_meta(&self.conn, META_SEED)?;
        let seed = cipher
            .open_meta(META_SEED, &sealed_seed)
            .ok_or_else(|| StoreError::Corrupted("the sealed seed is damaged".into()))?;
        self.unlocked = Some(Unlocked {
            dek,
            pin_key,
            seed,
            cipher,
        });
        Ok(())
    }

    /// Replaces the PIN. Asks for the current one even when unlocked, so a phone left
    /// unlocked cannot be taken over; only the PIN slot is rewritten.
    pub fn change_pin(&mut self, current_pin: &str, new_pin: &str) -> StoreResult<()> {
        validate_pin(new_pin)?;
        let (dek, _) = self.verify_pin(current_pin)?;
        let pin_key = self.rewrap_pin(&dek, new_pin, self.options.platform_key.clone())?;
        self.enter(dek, pin_key)
    }

    /// Unlocks with the 24-word recovery phrase and sets a new PIN: for a forgotten PIN or
    /// a lockout. Clears the wrong-PIN counter.
    pub fn recover(&mut self, phrase: &RecoveryPhrase, new_pin: &str) -> StoreResult<()> {
        validate_pin(new_pin)?;
        let slot = key_slots::load(&self.conn, &self.wallet_id, RECOVERY_SLOT)?;
        let recovery_key = derive::from_seed(&*phrase.seed(), RECOVERY_KEY, b"")?;
        let dek = key_slots::unwrap(&recovery_key, &slot, &self.wallet_id, RECOVERY_SLOT, None)?
            .ok_or(StoreError::MnemonicMismatch)?;
        let pin_key = self.rewrap_pin(&dek, new_pin, self.options.platform_key.clone())?;
        pin_guard::reset(&self.conn)?;
        self.enter(dek, pin_key)
    }

    /// Binds the PIN slot to the platform key given in the options (`enabled`), or removes
    /// that binding. Needs the PIN.
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
        let (dek, _) = self.verify_pin(pin)?;
        let pin_key = self.rewrap_pin(&dek, pin, platform)?;
        self.enter(dek, pin_key)
    }

    fn rewrap_pin(
        &self,
        dek: &SecretKey,
        pin: &str,
        platform: Option<Arc<dyn PlatformKeyProtector>>,
    ) -> StoreResult<SecretKey> {
        let salt = random::bytes::<16>()?;
        let kdf = self.options.pin_kdf;
        let pin_key = derive_pin_key(pin.as_bytes(), &salt, kdf)?;
        save_pin_slot(
            &self.conn,
            &pin_key,
            dek,
            &self.wallet_id,
            salt.to_vec(),
            kdf,
            platform.as_deref(),
        )?;
        Ok(pin_key)
    }

    /// Replaces the data key: every record is re-encrypted and re-indexed and every slot
    /// rewrapped, in one transaction. Returns the number of records re-encrypted.
    pub fn rekey(&mut self) -> StoreResult<u64> {
        let keys = self.unlocked.as_ref().ok_or(StoreError::Locked)?;
        let new_dek = random::secret_key()?;
        let new_cipher = RecordCipher::new(&new_dek, self.wallet_id)?;
        let slot = key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT)?;
        let kdf = slot.params.kdf.unwrap_or(self.options.pin_kdf);
        let platform =
            match slot.params.platform_key_id {
                Some(_) => Some(self.options.platform_key.clone().ok_or(
                    StoreError::PlatformKey(PlatformKeyError::NotGiven(
                        "this wallet needs its platform key to rekey",
                    )),
                )?),
                None => None,
            };
        let recovery_key = derive::from_seed(&keys.seed, RECOVERY_KEY, b"")?;
        let tx = self.conn.transaction()?;
        let count = records::reseal_all(&tx, &keys.cipher, &new_cipher)?;
        put_meta(
            &tx,
            META_CANARY,
            &new_cipher.seal_meta(META_CANARY, CANARY_PLAINTEXT)?,
        )?;
        put_meta(
            &tx,
            META_SEED,
            &new_cipher.seal_meta(META_SEED, &keys.seed)?,
        )?;
        save_pin_slot(
            &tx,
            &keys.pin_key,
            &new_dek,
            &self.wallet_id,
            slot.params.salt.clone(),
            kdf,
            platform.as_deref(),
        )?;
        let wrapped = key_slots::wrap(
            &recovery_key,
            &new_dek,
            &self.wallet_id,
            RECOVERY_SLOT,
            None,
        )?;
        key_slots::save(
            &tx,
            &self.wallet_id,
            RECOVERY_SLOT,
            &SlotParams::default(),
            &wrapped,
        )?;
        tx.commit()?;
        let pin_key = keys.pin_key.clone();
        let seed = keys.seed.clone();
        self.unlocked = Some(Unlocked {
            dek: new_dek,
            pin_key,
            seed,
            cipher: new_cipher,
        });
        Ok(count)
    }

    /// Facts about the wallet that need no key.
    pub fn info(&self) -> StoreResult<WalletInfo> {
        let slot = key_slots::load(&self.conn, &self.wallet_id, PIN_SLOT)?;
        let guard = pin_guard::load(&self.conn)?;
        let now = self.options.clock.now_unix();
        let wait = pin_guard::delay_after(guard.failed_attempts);
        let elapsed = u64::try_from(now - guard.last_failure_at).unwrap_or(0);
        Ok(WalletInfo {
            wallet_id: hex::encode(self.wallet_id),
            schema_version: schema::stored_version(&self.conn)?,
            locked: self.is_locked(),
            record_count: records::count_all(&self.conn)?,
            pin_kdf: slot.params.kdf.unwrap_or_default(),
            platform_protected: slot.params.platform_key_id.is_some(),
            failed_pin_attempts: guard.failed_attempts,
            retry_after_secs: wait.saturating_sub(elapsed),
        })
    }

    /// A 256-bit key derived from the wallet seed for one purpose (holder keys, backups).
    pub fn seed_key(&self, label: &str, context: &[u8]) -> StoreResult<SecretKey> {
        let keys = self.unlocked.as_ref().ok_or(StoreError::Locked)?;
        Ok(derive::from_seed(&keys.seed, label, context)?)
    }

    fn cipher(&self) -> StoreResult<&RecordCipher> {
        self.unlocked
            .as_ref()
            .map(|k| &k.cipher)
            .ok_or(StoreError::Locked)
    }

    fn now(&self) -> i64 {
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
        let now = self.now();
        let cipher = self
            .unlocked
            .as_ref()
            .map(|k| &k.cipher)
            .ok_or(StoreError::Locked)?;
        let tx = self.conn.transaction()?;
        let ids = batch
            .iter()
            .map(|record| records::insert(&tx, cipher, record, now))
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// Runs `changes` in one transaction: everything it puts, updates and deletes commits
    /// together when it returns `Ok`, and nothing does when it returns an error. Use it
    /// whenever one logical change touches several records (replace a record by a newer one,
    /// keep an index record in step with what it lists).
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        changes: impl FnOnce(&mut StoreWriter<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let now = self.now();
        let cipher = self
            .unlocked
            .as_ref()
            .map(|k| &k.cipher)
            .ok_or(StoreError::Locked)?;
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let mut writer = StoreWriter {
            tx: &tx,
            cipher,
            now,
        };
        let out = changes(&mut writer)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Reads one record.
    pub fn get(&self, id: RecordId) -> StoreResult<Record> {
        records::get(&self.conn, self.cipher()?, id)
    }

    /// Replaces a record's tags and body.
    pub fn update(&mut self, id: RecordId, tags: &[Tag], body: &[u8]) -> StoreResult<()> {
        let now = self.now();
        let cipher = self
            .unlocked
            .as_ref()
            .map(|k| &k.cipher)
            .ok_or(StoreError::Locked)?;
        let tx = self.conn.transaction()?;
        records::update(&tx, cipher, id, tags, body, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a record.
    pub fn delete(&mut self, id: RecordId) -> StoreResult<()> {
        self.cipher()?;
        let tx = self.conn.transaction()?;
        records::delete(&tx, id)?;
        tx.commit()?;
        Ok(())
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

#[allow(clippy::too_many_arguments)]
fn save_pin_slot(
    conn: &Connection,
    pin_key: &SecretKey,
    dek: &SecretKey,
    wallet_id: &[u8; 16],
    salt: Vec<u8>,
    kdf: KdfParams,
    platform: Option<&dyn PlatformKeyProtector>,
) -> StoreResult<()> {
    let wrapped = key_slots::wrap(pin_key, dek, wallet_id, PIN_SLOT, platform)?;
    let params = SlotParams {
        kdf: Some(kdf),
        salt,
        platform_key_id: platform.map(|p| p.key_id()),
    };
    key_slots::save(conn, wallet_id, PIN_SLOT, &params, &wrapped)
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
