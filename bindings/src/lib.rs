//! # laissez-ffi
//!
//! UniFFI bindings of the Laissez wallet core for Kotlin and Swift. This crate is thin on
//! purpose: wrappers, type conversions, the tokio blocking pool that turns long calls into
//! Kotlin `suspend` / Swift `async` functions, and, per area, the one place where core errors
//! become its public error enum. No business logic lives here.
//!
//! The areas:
//! - the wallet file, PIN, recovery phrase and raw records: [`Wallet`], [`WalletError`];
//! - credentials on a wallet (holder key, import, list, show, present, delete, disclosure
//!   history) and verification ([`verify_presentation`]): [`CredentialError`];
//! - [`TestIssuer`], an in-memory issuer for tests and demos: [`IssuerError`].
//!
//! Generated code is build output: `scripts/kotlin-test.sh` and `scripts/swift-test.sh`
//! generate it from the compiled library with the workspace's `uniffi-bindgen`.

uniffi::setup_scaffolding!("laissez");

mod blocking;
mod clock;
mod credential_error;
mod credentials;
mod error;
mod kdf;
mod platform_key;
mod records;
mod test_issuer;
mod verifier;
mod wallet;

pub use clock::WalletClock;
pub use credential_error::CredentialError;
pub use credentials::{
    ClaimEntry, CredentialDetail, CredentialFormat, CredentialSummary, DisclosureEntry,
    DisplayMetadata, HolderKey, Presentation,
};
pub use error::WalletError;
pub use kdf::{KdfSettings, insecure_test_kdf, recommended_pin_kdf};
pub use platform_key::{PlatformKeyError, PlatformKeyProtector};
pub use records::{NewRecordInput, RecordPage, RecordTag, StoredRecord};
pub use test_issuer::{IssuerError, TestIssuer};
pub use verifier::{DisclosedClaim, Verdict, VerdictReason, verify_presentation};
pub use wallet::{
    NewWallet, Wallet, WalletOptions, WalletStatus, create_wallet, open_wallet, validate_mnemonic,
};

/// The version of the Laissez core library.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
