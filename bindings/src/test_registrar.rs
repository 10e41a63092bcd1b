//! A throwaway registrar of verifiers for tests and demos (ADR 0020): a fresh P-256 key in
//! memory that certifies field verifiers' request-signing keys, so app tests and demos run the
//! verified and unverified consent flows without the CLI. Not for production: the key lives
//! only as long as the object and is never stored.

use std::sync::Arc;

use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::exchange::VerifierRequest;
use wallet_core::exchange::signed_request::{self, open_signed_request};
use wallet_core::issuer::Registrar;
use wallet_core::jose::P256Jwk;
use wallet_core::registration::{Registration, ScopeEntry};

use crate::qr::{QrMessage, QrMessageKind};
use crate::test_issuer::IssuerError;
use crate::verifier_registration::RegisteredScope;

fn failed(e: impl std::fmt::Display) -> IssuerError {
    IssuerError::Failed {
        reason: e.to_string(),
    }
}

/// A registrar for tests and demos: put it on a holder's trust list with
/// `TestTrustListSigner.sign(registrars = ...)`, then certify field verifiers'
/// `requestSigningKey()`s for their `installCertificate`.
///
/// Not for production: the key is gone with the object unless it is kept
/// in a wallet with `TestKeys` (encrypted like every record).
#[derive(uniffi::Object)]
pub struct TestRegistrar {
    pub(crate) registrar: Registrar,
    pub(crate) country: String,
}

#[uniffi::export]
impl TestRegistrar {
    /// A new registrar with a fresh key: `id` is what its certificates name as their issuer,
    /// `name` what holders are shown as who vouches for a verifier, `country` ISO 3166-1
    /// alpha-2.
    #[uniffi::constructor]
    pub fn create(id: String, name: String, country: String) -> Result<Arc<Self>, IssuerError> {
        let registrar = Registrar::generate(&id, &name).map_err(|e| IssuerError::InvalidInput {
            reason: e.to_string(),
        })?;
        Ok(Arc::new(Self { registrar, country }))
    }

    /// Its identifier.
    pub fn id(&self) -> String {
        self.registrar.id.clone()
    }

    /// Its display name.
    pub fn name(&self) -> String {
        self.registrar.name.clone()
    }

    /// Certifies the verifier whose request-signing key is `verifier_key_jwk` (from
    /// `FieldVerifier.requestSigningKey()`): its organisation, country, purposes and the
    /// claims it may ask for, valid from `valid_from` to `valid_until` (Unix seconds). Returns
    /// the certificate for `FieldVerifier.installCertificate`.
    #[allow(clippy::too_many_arguments)]
    pub fn certify(
        &self,
        verifier_key_jwk: String,
        organisation: String,
        country: String,
        purposes: Vec<String>,
        scope: Vec<RegisteredScope>,
        valid_from: i64,
        valid_until: i64,
    ) -> Result<Vec<u8>, IssuerError> {
        let json: serde_json::Value =
            serde_json::from_str(&verifier_key_jwk).map_err(|e| IssuerError::InvalidInput {
                reason: format!("the verifier key is not JSON: {e}"),
            })?;
        let key = P256Jwk::from_json(&json)
            .map_err(|e| IssuerError::InvalidInput {
                reason: format!("the verifier key is not a public P-256 JWK: {e}"),
            })?
            .into_verifying_key();
        self.registrar
            .certify(&Registration {
                registrar_id: self.registrar.id.clone(),
                verifier_id: organisation.clone(),
                organisation,
                country,
                purposes,
                scope: scope
                    .into_iter()
                    .map(|s| ScopeEntry {
                        credential_type: s.credential_type,
                        claims: s.claims,
                    })
                    .collect(),
                verifier_key: key,
                issued_at: valid_from,
                not_before: valid_from,
                not_after: valid_until,
            })
            .map_err(|e| IssuerError::InvalidInput {
                reason: e.to_string(),
            })
    }
}

/// A forger's request, for tests of holders' consent: the request `message` carries (signed
/// or not) signed again with a fresh key while carrying `certificate`, a genuine certificate
/// of another verifier. Holders must read it as unverified (`CertificateForAnotherKey`).
#[uniffi::export]
pub fn test_forge_request(
    message: QrMessage,
    certificate: Vec<u8>,
) -> Result<QrMessage, IssuerError> {
    let request = match message.kind {
        QrMessageKind::VerifierRequest => {
            VerifierRequest::decode(&message.payload).map_err(failed)?
        }
        QrMessageKind::SignedRequest => {
            open_signed_request(&message.payload, &[])
                .map_err(failed)?
                .request
        }
        other => {
            return Err(IssuerError::InvalidInput {
                reason: format!("not a request: a {} message", other.name()),
            });
        }
    };
    let forger = SigningKey::generate().map_err(failed)?;
    let forged = signed_request::forge_request(&request, &forger, &certificate).map_err(failed)?;
    Ok(QrMessage {
        kind: QrMessageKind::from_core(forged.kind).ok_or_else(|| failed("unknown kind"))?,
        payload: forged.payload,
    })
}
