//! A throwaway issuer of identity cards for tests and demos: a fresh Ed25519 key in memory
//! that makes signed MOSIP Claim 169 codes, as a national ID card prints them, so app tests
//! and demos scan a "card" into the wallet and verify it without a real card. Not for
//! production: the key lives only as long as the object, unless kept in a wallet
//! (`test_keys`).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{BiometricField, CwtClaims, Identity};
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use wallet_core::jose::IssuerJwk;

use crate::test_issuer::IssuerError;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// An identity card issuer for tests and demos: put it on a trust list with
/// `TestTrustListSigner.sign(cardIssuers = ...)`, then print cards with `card`.
///
/// Not for production: the key is gone with the object unless it is kept
/// in a wallet with `TestKeys` (encrypted like every record).
#[derive(uniffi::Object)]
pub struct TestCardIssuer {
    pub(crate) name: String,
    pub(crate) country: String,
    pub(crate) key: IssuerSigningKey,
}

#[uniffi::export]
impl TestCardIssuer {
    /// A new issuer named `name` (as trust lists name it) for cards of `country` (as the cards
    /// write their country of issuance, e.g. `KEN`), with a fresh Ed25519 key.
    #[uniffi::constructor]
    pub fn create(name: String, country: String) -> Result<Arc<Self>, IssuerError> {
        let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).map_err(|e| {
            IssuerError::Failed {
                reason: e.to_string(),
            }
        })?;
        Ok(Arc::new(Self { name, country, key }))
    }

    /// Its public key as a JWK (JSON text), as a trust list names it.
    pub fn public_jwk(&self) -> String {
        IssuerJwk::from_issuer_key(self.key.issuer_key())
            .to_json()
            .to_string()
    }

    /// The QR text of a signed card for `full_name` with `id_number`, valid from a minute ago
    /// for `valid_days` days (0: already expired a day ago), with `face_jpeg` as its face
    /// image when given.
    pub fn card(
        &self,
        full_name: String,
        id_number: String,
        valid_days: u32,
        face_jpeg: Option<Vec<u8>>,
    ) -> Result<String, IssuerError> {
        let now = now();
        let identity = Identity {
            id: Some(id_number),
            full_name: Some(full_name),
            country_of_issuance: Some(self.country.clone()),
            biometrics: face_jpeg
                .map(|jpeg| vec![BiometricField::face_jpeg(jpeg)])
                .unwrap_or_default(),
            ..Identity::default()
        };
        let expires_at = if valid_days == 0 {
            now - 86_400
        } else {
            now + i64::from(valid_days) * 86_400
        };
        let cwt = CwtClaims {
            issuer: Some(self.name.clone()),
            issued_at: Some(now - 60),
            not_before: Some(now - 60),
            expires_at: Some(expires_at),
            ..CwtClaims::default()
        };
        let protection = Protection {
            signer: Some(&self.key as &dyn IssuerSigner),
            ..Protection::default()
        };
        issue::encode(&cwt, &identity, &protection).map_err(|e| IssuerError::InvalidInput {
            reason: e.to_string(),
        })
    }
}
