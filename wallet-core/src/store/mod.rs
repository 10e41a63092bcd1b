//! The encrypted wallet store: SQLite file, key slots, PIN guard and encrypted records.
//!
//! Start with [`WalletStore`]: create or open a file, unlock it, then put, get, find and count
//! records. See docs/ARCHITECTURE.md for the layout of the file and the key hierarchy.

mod connection;
mod file_check;
mod key_slots;
mod pin_guard;
mod record_cipher;
mod record_types;
mod records;
mod schema;
mod wallet_store;

pub use pin_guard::{BASE_DELAY_SECS, FREE_ATTEMPTS, MAX_DELAY_SECS};
pub use record_types::{
    MAX_BODY_LEN, MAX_KIND_LEN, MAX_PAGE_SIZE, MAX_TAG_NAME_LEN, MAX_TAG_VALUE_LEN, MAX_TAGS,
    NewRecord, Page, PageCursor, Record, RecordId, Tag,
};
pub use schema::{APPLICATION_ID, CURRENT_VERSION as SCHEMA_VERSION};
pub use wallet_store::{IntegrityCheck, StoreOptions, WalletInfo, WalletStore};
