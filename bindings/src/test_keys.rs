//! The demo's four test objects kept together in a wallet, so that a demo app's issuer,
//! trust-list signer, registrar and card issuer survive its restart. Thin wrappers over
//! `wallet_core::issuer::test_keys`: the keys are encoded in the core and stored as one
//! encrypted record; Kotlin and Swift never see key bytes (the JVM cannot wipe them).
//!
//! One object for the four rather than a pair of calls on each: the apps make, keep and
//! restore them together, in one record written in one transaction, so a wallet never holds
//! half a set.

use std::sync::Arc;

use wallet_core::issuer::test_keys::{self as core, TestKeysView};

use crate::test_card_issuer::TestCardIssuer;
use crate::test_issuer::TestIssuer;
use crate::test_keys_error::TestKeysError;
use crate::test_registrar::TestRegistrar;
use crate::test_trust_signer::TestTrustListSigner;
use crate::wallet::Wallet;

/// A demo's test issuer, trust-list signer, registrar and card issuer, to keep in a wallet
/// (`keepIn`) and get back after a restart (`Wallet.keptTestKeys`).
///
/// Not for production: these are test keys, kept so that a demo on one phone still trusts
/// itself after a restart.
#[derive(uniffi::Object)]
pub struct TestKeys {
    issuer: Arc<TestIssuer>,
    trust_list_signer: Arc<TestTrustListSigner>,
    registrar: Arc<TestRegistrar>,
    card_issuer: Arc<TestCardIssuer>,
}

impl TestKeys {
    fn view(&self) -> TestKeysView<'_> {
        TestKeysView {
            issuer: self.issuer.identity(),
            trust_list_signer: self.trust_list_signer.key(),
            registrar: &self.registrar.registrar,
            registrar_country: &self.registrar.country,
            card_issuer_name: &self.card_issuer.name,
            card_issuer_country: &self.card_issuer.country,
            card_issuer_key: &self.card_issuer.key,
        }
    }

    fn restored(keys: core::TestKeys) -> Arc<Self> {
        Arc::new(Self {
            issuer: TestIssuer::from_identity(keys.issuer),
            trust_list_signer: TestTrustListSigner::from_key(keys.trust_list_signer),
            registrar: Arc::new(TestRegistrar {
                registrar: keys.registrar,
                country: keys.registrar_country,
            }),
            card_issuer: Arc::new(TestCardIssuer {
                name: keys.card_issuer_name,
                country: keys.card_issuer_country,
                key: keys.card_issuer_key,
            }),
        })
    }
}

#[uniffi::export]
impl TestKeys {
    /// The four objects as one set (the same objects, not copies).
    #[uniffi::constructor]
    pub fn create(
        issuer: Arc<TestIssuer>,
        trust_list_signer: Arc<TestTrustListSigner>,
        registrar: Arc<TestRegistrar>,
        card_issuer: Arc<TestCardIssuer>,
    ) -> Arc<Self> {
        Arc::new(Self {
            issuer,
            trust_list_signer,
            registrar,
            card_issuer,
        })
    }

    /// The credential issuer. A restored one starts with no desk offers: those lived in
    /// memory.
    pub fn issuer(&self) -> Arc<TestIssuer> {
        Arc::clone(&self.issuer)
    }

    /// The trust-list signer.
    pub fn trust_list_signer(&self) -> Arc<TestTrustListSigner> {
        Arc::clone(&self.trust_list_signer)
    }

    /// The registrar of verifiers.
    pub fn registrar(&self) -> Arc<TestRegistrar> {
        Arc::clone(&self.registrar)
    }

    /// The identity-card issuer.
    pub fn card_issuer(&self) -> Arc<TestCardIssuer> {
        Arc::clone(&self.card_issuer)
    }

    /// Names the set by its four public keys (64 hex digits): equal for a set and its
    /// restored copy, different for a set made afresh.
    pub fn fingerprint(&self) -> String {
        self.view().fingerprint()
    }

    /// Keeps the set in `wallet` (unlocked), encrypted like every record, replacing any set
    /// kept there before. Errors: `Locked`, `Busy`, `Storage`.
    pub async fn keep_in(self: Arc<Self>, wallet: Arc<Wallet>) -> Result<(), TestKeysError> {
        wallet
            .with_store(move |store| Ok(core::keep(store, &self.view())?))
            .await
    }
}

#[uniffi::export]
impl Wallet {
    /// The test keys kept in this wallet (`TestKeys.keepIn`), or none. Errors: `Locked`;
    /// `Unreadable` when the kept record is damaged or of a newer format (keep a new set over
    /// it); `Busy`, `Storage`.
    pub async fn kept_test_keys(&self) -> Result<Option<Arc<TestKeys>>, TestKeysError> {
        self.with_store(|store| Ok(core::kept(store)?.map(TestKeys::restored)))
            .await
    }
}
