//! # laissez-ffi
//!
//! UniFFI bindings of the Laissez wallet core for Kotlin and Swift. This crate is thin on
//! purpose: wrappers, type conversions, the tokio blocking pool that turns long calls into
//! Kotlin `suspend` / Swift `async` functions, and the one place where core errors become the
//! public error enum. No business logic lives here.
//!
//! Generated code is build output: `scripts/kotlin-test.sh` and `scripts/swift-test.sh`
//! generate it from the compiled library with the workspace's `uniffi-bindgen`.

uniffi::setup_scaffolding!("laissez");

mod blocking;
mod clock;
mod error;
mod kdf;
mod platform_key;
mod records;
mod wallet;

pub use clock::WalletClock;
pub use error::WalletError;
pub use kdf::{KdfSettings, insecure_test_kdf, recommended_pin_kdf};
pub use platform_key::{PlatformKeyError, PlatformKeyProtector};
pub use records::{NewRecordInput, RecordPage, RecordTag, StoredRecord};
pub use wallet::{
    NewWallet, Wallet, WalletOptions, WalletStatus, create_wallet, open_wallet, validate_mnemonic,
};

/// The version of the Laissez core library.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
