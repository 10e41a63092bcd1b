//! # Laissez wallet core
//!
//! An offline-first identity wallet for people on the move: credentials encrypted in SQLite,
//! recoverable from 24 words, presented and verified over QR codes without any network.
//! This crate is pure Rust (no FFI, no global state, no async runtime); the `laissez-ffi`
//! crate binds it to Kotlin and Swift.
//!
//! ## The store
//!
//! ```no_run
//! use wallet_core::store::{NewRecord, StoreOptions, Tag, WalletStore};
//!
//! # fn main() -> Result<(), wallet_core::StoreError> {
//! // Create: shows the 24 words once.
//! let (mut store, phrase) = WalletStore::create("wallet.db", "2468", StoreOptions::default())?;
//! println!("write these down: {}", phrase.phrase().as_str());
//! let id = store.put(&NewRecord {
//!     kind: "note".into(),
//!     tags: vec![Tag::new("topic", "clinic")],
//!     body: b"appointment on Tuesday".to_vec(),
//! })?;
//! store.lock();
//!
//! // Later: open locked, unlock with the PIN, query by tag.
//! let mut store = WalletStore::open("wallet.db", StoreOptions::default())?;
//! store.unlock("2468")?;
//! let page = store.find("note", &[Tag::new("topic", "clinic")], 50, None)?;
//! assert_eq!(page.records[0].id, id);
//! # Ok(()) }
//! ```
//!
//! Everything in the file is encrypted (AES-256-GCM through `ring`) or blind-indexed
//! (HMAC-SHA256); see `docs/ARCHITECTURE.md` and `docs/THREAT_MODEL.md`.

pub mod backup;
pub mod clock;
pub mod credential;
pub mod crypto;
pub mod error;
pub mod exchange;
pub mod issuer;
pub mod jose;
pub mod mdoc;
pub mod mnemonic;
pub mod platform_key;
pub mod qr;
pub mod sdjwt;
pub mod store;
pub mod verifier;
pub mod wallet;
pub mod x509;

pub use error::{StoreError, StoreResult};
