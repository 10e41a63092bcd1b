//! # Laissez wallet core
//!
//! An offline-first identity wallet for people on the move: credentials encrypted in SQLite,
//! recoverable from 24 words, presented and verified over QR codes without any network.
//! This crate is the top layer: the holder's [`wallet`], the field [`verifier`], the QR
//! [`exchange`] between them, [`backup`] and restore, and (with the `issue` feature) the test
//! and field [`issuer`]. It is pure Rust (no FFI, no global state, no async runtime); the
//! `laissez-ffi` crate binds it to Kotlin and Swift, the `laissez` CLI drives it.
//!
//! The layers below are crates of their own, so the compiler keeps every arrow pointing down
//! (docs/ARCHITECTURE.md):
//!
//! | crate | re-exported here as | what it does |
//! | --- | --- | --- |
//! | `laissez-qr` | [`qr`] | envelope, animated frames, rendering, scanning |
//! | `laissez-formats` | [`sdjwt`], [`mdoc`], [`jose`], [`x509`], [`credential`], [`verifier::status_list`] | the credential formats |
//! | `laissez-store` | [`store`], [`platform_key`], [`error`] | the encrypted SQLite store |
//! | `laissez-crypto` | [`crypto`], [`mnemonic`], [`clock`] | primitives through `ring`, the 24 words, time |
//!
//! ## The store
//!
//! ```
//! use wallet_core::store::{NewRecord, StoreOptions, Tag, WalletStore};
//! # use wallet_core::crypto::pin_kdf::KdfParams;
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

pub mod backup;
pub mod exchange;
pub mod issuance;
#[cfg(feature = "issue")]
pub mod issuer;
pub mod openid4vci;
pub mod verifier;
pub mod wallet;

pub use laissez_crypto as crypto;
pub use laissez_crypto::{clock, mnemonic};
pub use laissez_formats::{
    claim169, credential, jose, mdoc, registration, sdjwt, type_metadata, x509,
};
#[cfg(feature = "trust-import")]
pub use laissez_formats::{lote, vical};
pub use laissez_qr as qr;
pub use laissez_store as store;
pub use laissez_store::{StoreError, StoreResult, error, platform_key};
