//! A throwaway trust-list signer for tests and demos: a fresh P-256 key in memory that signs
//! trust lists naming [`TestIssuer`]s, so app tests run the whole verifier flow without the
//! CLI. Not for production: the key lives only as long as the object, unless kept in a wallet
//! (`test_keys`).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::issuer_key::IssuerSigner;
use wallet_core::jose::P256Jwk;
use wallet_core::verifier::claim169_verdict::CLAIM169_CREDENTIAL_TYPE;
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_list_registrars::TrustedRegistrar;

use crate::test_card_issuer::TestCardIssuer;
use crate::test_issuer::{IssuerError, TestIssuer};
use crate::test_registrar::TestRegistrar;

/// Years an issuer named in a test list is trusted.
const ISSUER_TRUST_DAYS: i64 = 3650;
/// Seconds before now an issuer's trust starts, for clock skew between test objects.
const BACKDATE_SECS: i64 = 60;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A trust-list signer for tests and demos: give `publicJwk()` to a verifier's first
/// `importTrustList`, then sign lists naming test issuers.
///
/// Not for production: the key is gone with the object unless it is kept
/// in a wallet with `TestKeys` (encrypted like every record).
#[derive(uniffi::Object)]
pub struct TestTrustListSigner {
    key: SigningKey,
}

impl TestTrustListSigner {
    /// A signer with `key` (restored from a wallet: `TestKeys`).
    pub(crate) fn from_key(key: SigningKey) -> Arc<Self> {
        Arc::new(Self { key })
    }

    /// Its key, for keeping it in a wallet (`TestKeys`).
    pub(crate) fn key(&self) -> &SigningKey {
        &self.key
    }
}

#[uniffi::export]
impl TestTrustListSigner {
    /// A new signer with a fresh key.
    #[uniffi::constructor]
    pub fn create() -> Result<Arc<Self>, IssuerError> {
        let key = SigningKey::generate().map_err(|e| IssuerError::Failed {
            reason: e.to_string(),
        })?;
        Ok(Self::from_key(key))
    }

    /// Its public key as a P-256 JWK (JSON text): what a verifier pins.
    pub fn public_jwk(&self) -> String {
        P256Jwk::from_verifying_key(self.key.public_key().clone())
            .to_json()
            .to_string()
    }

    /// Fingerprint of its public key (as in `TrustListSummary.signerFingerprint`).
    pub fn fingerprint(&self) -> String {
        self.key.public_key().fingerprint()
    }

    /// Signs a trust list with `sequence`, issued now and valid `valid_days` days (at least
    /// 1; move the verifier wallet's clock to test expiry), naming each issuer by its name and
    /// trusting its authority's root certificate (with the issuer's own certificate as a known
    /// signer, so answers leave it out), for any credential type from a minute ago for ten
    /// years, and each of `registrars` as a registrar of verifiers (for holders' wallets:
    /// `Wallet.importIssuerTrustList`) for the same time, and each of `card_issuers` for
    /// identity cards (Claim 169 codes) of its country only. Returns the signed text
    /// (compact JWS) for `FieldVerifier.importTrustList` or `trustListMessage`.
    #[uniffi::method(default(registrars = [], card_issuers = []))]
    pub fn sign(
        &self,
        sequence: u64,
        valid_days: u32,
        issuers: Vec<Arc<TestIssuer>>,
        registrars: Vec<Arc<TestRegistrar>>,
        card_issuers: Vec<Arc<TestCardIssuer>>,
    ) -> Result<String, IssuerError> {
        if valid_days == 0 {
            return Err(IssuerError::InvalidInput {
                reason: "a trust list is valid for at least a day".into(),
            });
        }
        let now = now();
        let mut list = TrustList::new(sequence, now, valid_days);
        let failed = |e: wallet_core::verifier::trust_list::TrustListError| IssuerError::Failed {
            reason: e.to_string(),
        };
        for issuer in &issuers {
            let identity = issuer.identity();
            let entry = list
                .add_issuer_certificate(
                    identity.name.clone(),
                    identity.trust_anchor(),
                    now - BACKDATE_SECS,
                    now + ISSUER_TRUST_DAYS * 86_400,
                )
                .map_err(failed)?;
            if identity.root.is_some() {
                entry.signer_certificates = vec![identity.certificate.clone()];
            }
        }
        for card_issuer in &card_issuers {
            let entry = list
                .add_issuer_key(
                    card_issuer.name.clone(),
                    card_issuer.key.issuer_key(),
                    now - BACKDATE_SECS,
                    now + ISSUER_TRUST_DAYS * 86_400,
                )
                .map_err(failed)?;
            entry.credential_types = vec![CLAIM169_CREDENTIAL_TYPE.into()];
            entry.countries = vec![card_issuer.country.clone()];
        }
        for registrar in &registrars {
            list.add_registrar(TrustedRegistrar {
                id: registrar.registrar.id.clone(),
                name: registrar.registrar.name.clone(),
                country: registrar.country.clone(),
                key: registrar.registrar.key.public_key().clone(),
                valid_from: now - BACKDATE_SECS,
                valid_until: now + ISSUER_TRUST_DAYS * 86_400,
            })
            .map_err(failed)?;
        }
        list.sign(&self.key).map_err(failed)
    }
}
