//! The field verifier's registration (ADR 0020): its request-signing key for the registrar,
//! and the registration certificate it installs, so that its requests are signed and holders
//! see who it is. Thin wrappers over `wallet_core::verifier::field_verifier`.

use wallet_core::jose::P256Jwk;
use wallet_core::registration::{self, Registration};
use wallet_core::verifier::field_verifier as core;

use crate::field_verifier::FieldVerifier;
use crate::verifier_error::VerifierError;

/// The claims one credential type a verifier is registered to ask for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegisteredScope {
    /// vct or docType.
    pub credential_type: String,
    /// Claim paths it may ask for.
    pub claims: Vec<String>,
}

/// What a verifier's installed registration certificate says. Whether its registrar is
/// trusted is each holder's decision, against the holder's own trust list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifierCertificate {
    /// The registrar's identifier (the certificate's issuer).
    pub registrar_id: String,
    /// The verifier's organisation, as certified.
    pub organisation: String,
    /// Its country (ISO 3166-1 alpha-2), as certified.
    pub country: String,
    /// The purposes it is registered for.
    pub purposes: Vec<String>,
    /// What it may ask for, per credential type.
    pub scope: Vec<RegisteredScope>,
    /// Start of validity, Unix seconds.
    pub valid_from: i64,
    /// End of validity, Unix seconds.
    pub valid_until: i64,
    /// Its short reference (16 hex digits), as requests by reference and the log name it.
    pub reference: String,
}

fn summary(certificate: &[u8], claims: Registration) -> VerifierCertificate {
    VerifierCertificate {
        registrar_id: claims.registrar_id,
        organisation: claims.organisation,
        country: claims.country,
        purposes: claims.purposes,
        scope: claims
            .scope
            .into_iter()
            .map(|s| RegisteredScope {
                credential_type: s.credential_type,
                claims: s.claims,
            })
            .collect(),
        valid_from: claims.not_before,
        valid_until: claims.not_after,
        reference: hex::encode(registration::reference(certificate)),
    }
}

#[uniffi::export]
impl FieldVerifier {
    /// This verifier's request-signing key as a P-256 JWK (JSON text): give it to the
    /// registrar to certify. Derived from the verifier wallet's words, so a restored verifier
    /// keeps it and its certificate stays good.
    pub async fn request_signing_key(&self) -> Result<String, VerifierError> {
        self.wallet
            .with_store(|s| {
                let key = core::request_signing_key(s)?;
                Ok(P256Jwk::from_verifying_key(key.public_key().clone())
                    .to_json()
                    .to_string())
            })
            .await
    }

    /// Installs the registration certificate the registrar made for this verifier (replacing
    /// any other), after checking that it reads, certifies this verifier's
    /// `requestSigningKey()` and has not expired. From then on `createRequest` signs.
    ///
    /// Errors: `InvalidCertificate` (with the problem: another verifier's key, expired,
    /// malformed, too large...), `Locked`, `Storage`.
    pub async fn install_certificate(
        &self,
        certificate: Vec<u8>,
    ) -> Result<VerifierCertificate, VerifierError> {
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| {
                core::install_certificate(s, &certificate, now)?;
                let claims = registration::read_unverified(&certificate)
                    .map_err(wallet_core::exchange::ExchangeError::from)?;
                Ok(summary(&certificate, claims))
            })
            .await
    }

    /// The installed registration certificate, or null when none is (requests are then
    /// unsigned and holders see this verifier as unverified).
    pub async fn registration_certificate(
        &self,
    ) -> Result<Option<VerifierCertificate>, VerifierError> {
        self.wallet
            .with_store(|s| {
                let Some(certificate) = core::installed_certificate(s)? else {
                    return Ok(None);
                };
                let claims = registration::read_unverified(&certificate)
                    .map_err(wallet_core::exchange::ExchangeError::from)?;
                Ok(Some(summary(&certificate, claims)))
            })
            .await
    }
}
