//! # laissez-store: the encrypted wallet store
//!
//! One SQLite file (WAL, `synchronous=FULL`) holding sealed records and blind-indexed tags;
//! the data key wrapped in key slots (PIN through Argon2id, the 24-word recovery phrase, and
//! optionally a [`PlatformKeyProtector`] the phone provides); a PIN guard whose counter is
//! written before each check. Start with [`WalletStore`]: create or open a file, unlock it,
//! then put, get, find and count records. It sits on `laissez-crypto` and knows nothing of
//! credentials: the wallet crate above stores them as records.
//!
//! ```
//! use laissez_store::{NewRecord, StoreOptions, Tag, WalletStore};
//! # use laissez_crypto::pin_kdf::KdfParams;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("wallet.db");
//! # let options = || StoreOptions { pin_kdf: KdfParams::INSECURE_FAST, ..StoreOptions::default() };
//! // Create: shows the 24 words once.
//! let (mut store, phrase) = WalletStore::create(&path, "2468", options())?;
//! println!("write these down: {}", phrase.phrase().as_str());
//! let id = store.put(&NewRecord {
//!     kind: "note".into(),
//!     tags: vec![Tag::new("topic", "clinic")],
//!     body: b"appointment on Tuesday".to_vec(),
//! })?;
//! store.lock();
//! drop(store);
//!
//! // Later: open locked, unlock with the PIN, query by tag.
//! let mut store = WalletStore::open(&path, options())?;
//! store.unlock("2468")?;
//! let page = store.find("note", &[Tag::new("topic", "clinic")], 50, None)?;
//! assert_eq!(page.records[0].id, id);
//! # Ok(()) }
//! ```
//!
//! Everything in the file is encrypted (AES-256-GCM through `ring`) or blind-indexed
//! (HMAC-SHA256); see `docs/ARCHITECTURE.md` and `docs/THREAT_MODEL.md`.

mod connection;
mod file_check;
mod key_slots;
mod pin_guard;
mod pin_kek;
mod record_cipher;
mod record_types;
mod records;
mod schema;
mod sealed_marks;
mod store_writer;
mod wallet_files;
mod wallet_store;

pub mod error;
pub mod platform_key;

pub use error::{StoreError, StoreResult};
pub use pin_guard::{BASE_DELAY_SECS, FREE_ATTEMPTS, MAX_DELAY_SECS};
pub use platform_key::{PlatformKeyError, PlatformKeyProtector};
pub use record_types::{
    MAX_BODY_LEN, MAX_KIND_LEN, MAX_PAGE_SIZE, MAX_TAG_NAME_LEN, MAX_TAG_VALUE_LEN, MAX_TAGS,
    NewRecord, Page, PageCursor, Record, RecordId, Tag,
};
pub use schema::{APPLICATION_ID, CURRENT_VERSION as SCHEMA_VERSION};
pub use store_writer::StoreWriter;
pub use wallet_files::{delete_wallet_files, wallet_files};
pub use wallet_store::{
    IntegrityCheck, MAX_PIN_BYTES, MIN_PIN_CHARS, StoreOptions, WalletInfo, WalletStore,
    validate_pin,
};
