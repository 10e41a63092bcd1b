//! A throwaway issuer for tests and demos: a fresh authority (IACA) and a P-256 document
//! signer under it in memory, issuing SD-JWT VC and mdoc credentials to a holder key. Not for production issuance:
//! the key lives only as long as the object, unless kept in a wallet
//! (`test_keys`).

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use wallet_core::credential::CredentialFormat;
use wallet_core::credential::StatusReference;
use wallet_core::issuance::desk::DeskLedger;
use wallet_core::issuer::{CredentialOrder, IssuerError as CoreError, IssuerIdentity, pem_of};
use wallet_core::jose::{IssuerJwk, P256Jwk};
use wallet_core::verifier::status_list::{StatusListBuilder, StatusListError};

/// Days the test issuer's certificate is valid.
const CERTIFICATE_DAYS: u32 = 3650;
/// Days each credential it issues is valid.
const CREDENTIAL_DAYS: u32 = 365;
/// Entries of the status lists it signs, at the least.
const STATUS_LIST_MIN_SIZE: u64 = 1024;
/// Most entries of a status list it signs.
const STATUS_LIST_MAX_SIZE: u64 = 1 << 20;
/// Seconds a verifier may rely on its status lists before fetching again (`ttl`).
const STATUS_LIST_TTL_SECS: u64 = 43_200;

/// Where an issued credential's revocation status is published: an entry in an IETF Token
/// Status List.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
pub struct StatusListEntry {
    /// The URI of the Status List Token (the token's `sub`).
    pub uri: String,
    /// The credential's index in that list.
    pub index: u64,
}

/// Why the test issuer could not issue.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum IssuerError {
    /// Bad claims or holder key (for Laissez's own migrant types, also a bad birth date or
    /// nationality code).
    #[error("invalid issuance input: {reason}")]
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
    /// The key, certificate or credential could not be made.
    #[error("issuance failed: {reason}")]
    Failed {
        /// What failed.
        reason: String,
    },
}

impl From<StatusListError> for IssuerError {
    fn from(err: StatusListError) -> Self {
        Self::Failed {
            reason: err.to_string(),
        }
    }
}

impl From<CoreError> for IssuerError {
    fn from(err: CoreError) -> Self {
        match err {
            CoreError::InvalidInput(reason) => Self::InvalidInput { reason },
            other => Self::Failed {
                reason: other.to_string(),
            },
        }
    }
}

fn invalid(reason: &str) -> IssuerError {
    IssuerError::InvalidInput {
        reason: reason.into(),
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// An issuer for tests and demos: creates an authority (root certificate, IACA) and a
/// document signer under it in memory, and issues credentials signed by the signer, carrying
/// the signer's certificate. Give verifiers `rootCertificatePem()` to trust every signer of
/// the authority (the standard way), or `certificatePem()` to pin this signer only.
///
/// Not for production issuance: the key is gone with the object unless it is kept
/// in a wallet with `TestKeys` (encrypted like every record).
#[derive(uniffi::Object)]
pub struct TestIssuer {
    identity: IssuerIdentity,
    /// The offline-issuance desk's offers (`offer` / `deliver`), in memory.
    ledger: Mutex<DeskLedger>,
}

#[uniffi::export]
impl TestIssuer {
    /// A new issuer named `name` (the certificate's common name), valid ten years from now.
    #[uniffi::constructor]
    pub fn create(name: String) -> Result<Arc<Self>, IssuerError> {
        if name.trim().is_empty() {
            return Err(invalid("the issuer name is empty"));
        }
        let identity = IssuerIdentity::generate(&name, now(), CERTIFICATE_DAYS)?;
        Ok(Self::from_identity(identity))
    }

    /// The name in its certificate.
    pub fn name(&self) -> String {
        self.identity.name.clone()
    }

    /// Its (document signer) X.509 certificate, DER.
    pub fn certificate_der(&self) -> Vec<u8> {
        self.identity.certificate.clone()
    }

    /// Its (document signer) X.509 certificate, PEM.
    pub fn certificate_pem(&self) -> String {
        pem_of(&self.identity.certificate)
    }

    /// The root certificate of its authority (IACA), DER: the trust anchor for verifiers.
    pub fn root_certificate_der(&self) -> Vec<u8> {
        self.identity.trust_anchor().to_vec()
    }

    /// The root certificate of its authority (IACA), PEM.
    pub fn root_certificate_pem(&self) -> String {
        pem_of(self.identity.trust_anchor())
    }

    /// Its public key as a P-256 JWK (JSON text).
    pub fn public_jwk(&self) -> String {
        IssuerJwk::from_issuer_key(self.identity.key.public_key())
            .to_json()
            .to_string()
    }

    /// Issues an SD-JWT VC of type `vct` with `claims_json` (a JSON object; every claim, and
    /// every member of an object claim, selectively disclosable) bound to `holder_jwk_json`
    /// (from `Wallet.holderKey()`), valid a year. It carries no labels: wallets and verifiers
    /// take them from type metadata (built in for the EU PID and Laissez's own types).
    /// `status`: optional entry in a status list this issuer signs (`statusListJwt`), for
    /// revocation. Returns the compact SD-JWT text as UTF-8 bytes.
    #[uniffi::method(default(status = None))]
    pub fn issue_sd_jwt(
        &self,
        vct: String,
        claims_json: String,
        holder_jwk_json: String,
        status: Option<StatusListEntry>,
    ) -> Result<Vec<u8>, IssuerError> {
        self.issue(
            CredentialFormat::SdJwt,
            vct,
            &claims_json,
            &holder_jwk_json,
            status,
        )
    }

    /// Issues an mdoc of `doc_type` with `claims_json`: either `{namespace: {element: value}}`
    /// or flat elements (put in the docType's namespace, or `org.iso.18013.5.1` for the mDL).
    /// Otherwise as `issueSdJwt` (the status goes in the MSO). Returns the IssuerSigned CBOR.
    #[uniffi::method(default(status = None))]
    pub fn issue_mdoc(
        &self,
        doc_type: String,
        claims_json: String,
        holder_jwk_json: String,
        status: Option<StatusListEntry>,
    ) -> Result<Vec<u8>, IssuerError> {
        self.issue(
            CredentialFormat::Mdoc,
            doc_type,
            &claims_json,
            &holder_jwk_json,
            status,
        )
    }

    /// A Status List Token in JWT form for `uri`, signed now by this issuer, in which the
    /// entries at `revoked_indices` are revoked (INVALID) and every other one valid. One bit
    /// an entry, at least 1024 entries; a verifier may rely on it for 12 hours (`ttl`).
    pub fn status_list_jwt(
        &self,
        uri: String,
        revoked_indices: Vec<u64>,
    ) -> Result<String, IssuerError> {
        let builder = status_builder(&revoked_indices)?;
        Ok(builder.to_jwt_with_chain(
            &uri,
            now(),
            None,
            Some(STATUS_LIST_TTL_SECS),
            &self.identity.key,
            &self.identity.chain(),
        )?)
    }

    /// The same token as `statusListJwt`, in CWT form (COSE_Sign1 bytes).
    pub fn status_list_cwt(
        &self,
        uri: String,
        revoked_indices: Vec<u64>,
    ) -> Result<Vec<u8>, IssuerError> {
        let builder = status_builder(&revoked_indices)?;
        Ok(builder.to_cwt_with_chain(
            &uri,
            now(),
            None,
            Some(STATUS_LIST_TTL_SECS),
            &self.identity.key,
            &self.identity.chain(),
        )?)
    }
}

/// A one-bit list with `revoked` set to INVALID (1).
fn status_builder(revoked: &[u64]) -> Result<StatusListBuilder, IssuerError> {
    let highest = revoked.iter().copied().max().unwrap_or(0);
    if highest >= STATUS_LIST_MAX_SIZE {
        return Err(invalid("a status list index is beyond 2^20"));
    }
    let mut builder = StatusListBuilder::new(1, (highest + 1).max(STATUS_LIST_MIN_SIZE))?;
    for &index in revoked {
        builder.set(index, 1)?;
    }
    Ok(builder)
}

impl TestIssuer {
    /// An issuer with `identity` (restored from a wallet: `TestKeys`), with no desk offers.
    pub(crate) fn from_identity(identity: IssuerIdentity) -> Arc<Self> {
        Arc::new(Self {
            identity,
            ledger: Mutex::new(DeskLedger::new()),
        })
    }

    /// The issuer's identity, for the test trust-list signer.
    pub(crate) fn identity(&self) -> &IssuerIdentity {
        &self.identity
    }

    /// The time the issuer works at (the system clock), Unix seconds.
    pub(crate) fn clock_now(&self) -> i64 {
        now()
    }

    /// Runs `work` on the desk's offer ledger.
    pub(crate) fn with_ledger<T>(&self, work: impl FnOnce(&mut DeskLedger) -> T) -> T {
        // A panic mid-offer leaves at worst an unused entry: the ledger is still usable.
        let mut ledger = self
            .ledger
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut ledger)
    }
}

impl TestIssuer {
    fn issue(
        &self,
        format: CredentialFormat,
        credential_type: String,
        claims_json: &str,
        holder_jwk_json: &str,
        status: Option<StatusListEntry>,
    ) -> Result<Vec<u8>, IssuerError> {
        let claims: Map<String, Value> = serde_json::from_str(claims_json)
            .map_err(|_| invalid("the claims are not a JSON object"))?;
        let holder: Value = serde_json::from_str(holder_jwk_json)
            .map_err(|_| invalid("the holder key is not JSON"))?;
        let holder_key = P256Jwk::from_json(&holder)
            .map_err(|_| invalid("the holder key is not a public P-256 JWK"))?
            .into_verifying_key();
        let order = CredentialOrder {
            format,
            credential_type,
            claims,
            holder_key,
            valid_days: CREDENTIAL_DAYS,
            status: status.map(|s| StatusReference {
                index: s.index,
                uri: s.uri,
            }),
            now: now(),
            portrait: None,
        };
        Ok(wallet_core::issuer::issue_credential(
            &self.identity,
            &order,
        )?)
    }
}
