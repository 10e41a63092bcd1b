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
//! - QR codes: [`QrMessage`] (a whole Laissez message), [`QrFrame`] (a code to display, with
//!   its module matrix), [`QrScanner`] (camera luma frames or texts in, messages out):
//!   [`QrError`];
//! - the holder's side of the offline exchange on a [`Wallet`] (`readRequest`, `respond`,
//!   `presentStatic`): [`ExchangeError`];
//! - the field verifier, [`FieldVerifier`] on its own wallet file (requests, verification,
//!   trust list, status lists, verification log): [`VerifierError`];
//! - backup and restore with the 24 words: `Wallet.backup` / `backupFrames`,
//!   [`read_backup_header`], [`restore_wallet`] (a new phone), `Wallet.restoreBackup`, progress
//!   through [`RestoreProgress`]: [`BackupError`];
//! - offline issuance over QR codes on a [`Wallet`] (`importIssuerTrustList`, `readOffer`,
//!   `acceptOffer`, `receiveIssuance`), the copies setting (`setReuseLastCopy`), and the
//!   desk's side on [`TestIssuer`] (`offer`, `deliver`): [`IssuanceError`];
//! - [`TestIssuer`] and [`TestTrustListSigner`], in-memory issuer and trust-list signer for
//!   tests and demos: [`IssuerError`] (feature `test-issuer`).
//! - online issuance (OpenID4VCI) on a [`Wallet`] (`previewCredentialOffer`,
//!   `fetchCredential`) over the app's [`HttpTransport`]: [`OnlineIssuanceError`];
//!   [`TestOnlineIssuer`], an OpenID4VCI issuer in memory (feature `test-issuer`).
//!
//! Features: `image-files` (PNG out, PNG/JPEG in) and `test-issuer`, both on by default; the
//! phone libraries leave them out (docs/adr/0009-phone-library-size.md).
//!
//! Generated code is build output: `scripts/kotlin-test.sh` and `scripts/swift-test.sh`
//! generate it from the compiled library with the workspace's `uniffi-bindgen`.

uniffi::setup_scaffolding!("laissez");

mod backup;
mod backup_error;
mod blocking;
mod clock;
mod credential_error;
mod credential_problem;
mod credentials;
mod error;
mod exchange;
mod exchange_error;
mod field_verifier;
mod identity_card_error;
mod identity_cards;
mod issuance;
mod issuance_error;
mod kdf;
mod openid4vci;
mod openid4vci_error;
mod platform_key;
mod qr;
mod qr_scanner;
mod records;
mod store_failure;
#[cfg(feature = "test-issuer")]
mod test_card_issuer;
#[cfg(feature = "test-issuer")]
mod test_issuer;
#[cfg(feature = "test-issuer")]
mod test_keys;
#[cfg(feature = "test-issuer")]
mod test_keys_error;
#[cfg(feature = "test-issuer")]
mod test_online_issuer;
#[cfg(feature = "test-issuer")]
mod test_registrar;
#[cfg(feature = "test-issuer")]
mod test_trust_signer;
mod trust;
mod verifier;
mod verifier_error;
mod verifier_identity;
mod verifier_registration;
mod wallet;

pub use backup::{
    BackupHeader, RecordCounts, RestoreProgress, RestoreReport, RestoredWallet,
    backup_from_message, read_backup_header, restore_wallet,
};
pub use backup_error::BackupError;
pub use clock::WalletClock;
pub use credential_error::CredentialError;
pub use credential_problem::CredentialProblem;
pub use credentials::CopiesState;
pub use credentials::{
    ClaimEntry, CredentialDetail, CredentialFormat, CredentialSummary, DisclosureEntry,
    DisclosureShownAs, DisplayMetadata, HolderKey, IssuerTrust, Presentation,
};
pub use error::WalletError;
pub use exchange::{
    CandidateClaim, CandidateCredential, Consent, RequestView, RequestedClaim, RequestedCredential,
    RequestedCredentialMatch, parse_verifier_id,
};
pub use exchange_error::ExchangeError;
pub use field_verifier::{
    FieldVerifier, RetentionPolicy, VerificationLogEntry, VerifierRequestCodes,
    default_retention_policy,
};
pub use identity_card_error::IdentityCardError;
pub use identity_cards::{
    CardFace, IdentityCard, IdentityCardDetail, IdentityCardIssuer, is_identity_card_code,
};
pub use issuance::{OfferTrust, OfferView};
pub use issuance_error::IssuanceError;
pub use kdf::{KdfSettings, insecure_test_kdf, recommended_pin_kdf};
pub use openid4vci::{
    FetchedCredential, HttpHeader, HttpMethod, HttpRequest, HttpResponse, HttpTransport,
    OfferPreview, OfferedCredential, TxCodeRequest,
};
pub use openid4vci_error::{IssuanceEndpoint, OAuthErrorCode, OnlineIssuanceError, TransportError};
pub use platform_key::{PlatformKeyError, PlatformKeyProblem, PlatformKeyProtector};
pub use qr::{
    FrameOptions, QrError, QrFrame, QrMessage, QrMessageKind, decode_qr_text,
    default_frame_options, qr_frames, render_qr,
};
pub use qr_scanner::{QrScanner, ScanProgress, ScanUpdate};
pub use records::{NewRecordInput, RecordPage, RecordTag, StoredRecord};
#[cfg(feature = "test-issuer")]
pub use test_card_issuer::TestCardIssuer;
#[cfg(feature = "test-issuer")]
pub use test_issuer::{IssuerError, StatusListEntry, TestIssuer};
#[cfg(feature = "test-issuer")]
pub use test_keys::TestKeys;
#[cfg(feature = "test-issuer")]
pub use test_keys_error::TestKeysError;
#[cfg(feature = "test-issuer")]
pub use test_online_issuer::{TEST_ISSUER_URL, TestOnlineIssuer};
#[cfg(feature = "test-issuer")]
pub use test_registrar::{TestRegistrar, test_forge_request};
#[cfg(feature = "test-issuer")]
pub use test_trust_signer::TestTrustListSigner;
pub use trust::{
    StatusListImport, TrustListImport, TrustListSummary, TrustedIssuerEntry, TrustedRegistrarEntry,
    trust_list_message,
};
pub use verifier::{
    CredentialStatus, DisclosedClaim, StatusState, Verdict, VerdictReason, verify_presentation,
};
pub use verifier_error::{CertificateProblem, StatusListProblem, TrustListProblem, VerifierError};
pub use verifier_identity::{
    DisclosedVerifier, UnverifiedAcknowledgement, UnverifiedReason, VerifierIdentity,
};
pub use verifier_registration::{RegisteredScope, VerifierCertificate};
pub use wallet::{
    NewWallet, Wallet, WalletOptions, WalletStatus, create_wallet, delete_wallet, open_wallet,
    validate_mnemonic,
};

/// For benchmarks and tests only (`examples/blocking_latency.rs`, `tests/object_drops.rs`): not
/// part of the API, may change.
#[doc(hidden)]
pub mod internal {
    pub use crate::blocking::{PoolFailure, run};
}

/// The version of the Laissez core library.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
