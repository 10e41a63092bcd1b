//! A throwaway OpenID4VCI issuer in memory for tests and demos (feature `test-issuer`): the
//! core's issuer handlers (`wallet_core::openid4vci::issuer`) behind `handle(request)`, so an
//! app's test can implement `HttpTransport` by delegating to it and run the whole online flow
//! without a network. Not for production issuance: keys and offers live only as long as the
//! object.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use wallet_core::credential::CredentialFormat as CoreFormat;
use wallet_core::issuer::IssuerIdentity;
use wallet_core::openid4vci::MAX_BATCH;
use wallet_core::openid4vci::issuer::{self, ConfigurationSpec, IssuanceState, IssuerService};
use wallet_core::openid4vci::offer::TxCodeSpec;

use crate::credentials::CredentialFormat;
use crate::openid4vci::{HttpRequest, HttpResponse};
use crate::test_issuer::IssuerError;

/// The issuer's identifier and base URL. Nothing listens there: requests reach `handle`.
pub const TEST_ISSUER_URL: &str = "https://issuer.laissez.test";
/// Days its certificate is valid.
const CERTIFICATE_DAYS: u32 = 3650;
/// Days each credential it issues is valid.
const CREDENTIAL_DAYS: u32 = 365;
/// How long an offer stays valid, seconds.
const OFFER_TTL_SECS: i64 = 3600;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn invalid(reason: &str) -> IssuerError {
    IssuerError::InvalidInput {
        reason: reason.into(),
    }
}

/// `given_name` → `Given name`: the English label the test issuer gives each claim.
fn label_of(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Labels for every claim: `[name]` for SD-JWT VC, `[namespace, element]` for mdoc claims
/// given as `{namespace: {element: value}}`.
fn claim_labels(
    format: CoreFormat,
    claims: &Map<String, Value>,
) -> Vec<(Vec<String>, String, String)> {
    let mut labels = Vec::new();
    for (name, value) in claims {
        match (format, value) {
            (CoreFormat::Mdoc, Value::Object(elements)) => {
                for element in elements.keys() {
                    labels.push((
                        vec![name.clone(), element.clone()],
                        "en".to_owned(),
                        label_of(element),
                    ));
                }
            }
            _ => labels.push((vec![name.clone()], "en".to_owned(), label_of(name))),
        }
    }
    labels
}

struct Inner {
    service: IssuerService,
    state: IssuanceState,
}

/// An OpenID4VCI issuer in memory for tests and demos, at [`TEST_ISSUER_URL`]
/// (`https://issuer.laissez.test`): its own authority (IACA) and document signer, every
/// endpoint of the pre-authorized code flow (metadata, offers by reference, token, nonce,
/// credential with batches) answered by `handle`. The credentials carry the signer's
/// certificate chain; the issuer metadata's display name is the `name` given.
#[derive(uniffi::Object)]
pub struct TestOnlineIssuer {
    inner: Mutex<Inner>,
}

impl TestOnlineIssuer {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The handlers never panic on input; a poisoned lock still holds a usable state.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl TestOnlineIssuer {
    /// A new issuer named `name`, giving at most `batchSize` copies per request (2 to 20).
    #[uniffi::constructor]
    pub fn create(name: String, batch_size: u32) -> Result<Arc<Self>, IssuerError> {
        if name.trim().is_empty() {
            return Err(invalid("the issuer name is empty"));
        }
        let max = u32::try_from(MAX_BATCH).unwrap_or(u32::MAX);
        if !(2..=max).contains(&batch_size) {
            return Err(invalid("the batch size must be 2 to 20"));
        }
        let identity = IssuerIdentity::generate(&name, now(), CERTIFICATE_DAYS)?;
        Ok(Arc::new(Self {
            inner: Mutex::new(Inner {
                service: IssuerService {
                    base_url: TEST_ISSUER_URL.to_owned(),
                    configurations: Default::default(),
                    batch_size,
                    identity,
                },
                state: IssuanceState::default(),
            }),
        }))
    }

    /// The issuer's identifier (its base URL).
    pub fn issuer_url(&self) -> String {
        TEST_ISSUER_URL.to_owned()
    }

    /// The root certificate of its authority (IACA), DER: the trust anchor for verifiers.
    pub fn root_certificate_der(&self) -> Vec<u8> {
        self.lock().service.identity.trust_anchor().to_vec()
    }

    /// Offers one credential of `format` and `credentialType` (vct or docType) with
    /// `claimsJson` (a JSON object; for mdoc, `{namespace: {element: value}}` gets every
    /// element a label). The metadata names the credential `credentialType` and labels each
    /// claim in English from its name (`given_name` → "Given name").
    ///
    /// `txCode`: the transaction code the wallet must send (1 to 64 printable ASCII
    /// characters; digits make a numeric code), or none. Returns the offer link by value
    /// (`openid-credential-offer://?credential_offer=…`), valid an hour.
    pub fn create_offer(
        &self,
        claims_json: String,
        format: CredentialFormat,
        credential_type: String,
        tx_code: Option<String>,
    ) -> Result<String, IssuerError> {
        let claims: Map<String, Value> = serde_json::from_str(&claims_json)
            .map_err(|_| invalid("the claims are not a JSON object"))?;
        if credential_type.trim().is_empty() {
            return Err(invalid("the credential type is empty"));
        }
        if let Some(code) = &tx_code {
            if code.is_empty() || code.len() > 64 || !code.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(invalid(
                    "the transaction code must be 1 to 64 printable ASCII characters",
                ));
            }
        }
        let (core_format, tag) = match format {
            CredentialFormat::SdJwt => (CoreFormat::SdJwt, "sd_jwt"),
            CredentialFormat::Mdoc => (CoreFormat::Mdoc, "mdoc"),
            CredentialFormat::Claim169 => {
                return Err(invalid(
                    "identity card codes (Claim 169) are not issued over OpenID4VCI",
                ));
            }
        };
        let configuration_id = format!("{credential_type}_{tag}");
        let spec = ConfigurationSpec {
            format: core_format,
            credential_type: credential_type.clone(),
            display: vec![("en".to_owned(), credential_type)],
            claim_labels: claim_labels(core_format, &claims),
            valid_days: CREDENTIAL_DAYS,
        };
        let mut inner = self.lock();
        let Inner { service, state } = &mut *inner;
        service
            .configurations
            .insert(configuration_id.clone(), spec);
        let mut created = state
            .create_offer(
                service,
                &[configuration_id],
                claims,
                tx_code.is_some(),
                OFFER_TTL_SECS,
                now(),
            )
            .map_err(|e| IssuerError::Failed {
                reason: e.to_string(),
            })?;
        let Some(code) = tx_code else {
            return Ok(created.link);
        };
        // The core draws a random 6-digit code; the test's own code replaces it, and the
        // offer announces its form.
        let grant = created
            .offer
            .grants
            .as_mut()
            .and_then(|g| g.pre_authorized_code.as_mut())
            .ok_or_else(|| IssuerError::Failed {
                reason: "the offer has no pre-authorized code grant".into(),
            })?;
        let pending = state
            .offers
            .get_mut(&grant.pre_authorized_code)
            .ok_or_else(|| IssuerError::Failed {
                reason: "the offer was not kept".into(),
            })?;
        grant.tx_code = Some(TxCodeSpec {
            input_mode: Some(
                if code.bytes().all(|b| b.is_ascii_digit()) {
                    "numeric"
                } else {
                    "text"
                }
                .into(),
            ),
            length: u32::try_from(code.chars().count()).ok(),
            description: Some("the code the test gave you".into()),
        });
        pending.tx_code = Some(code);
        Ok(created.offer.to_link())
    }

    /// Answers one request as the issuer's server would (the core's handlers; never fails:
    /// a bad request gets an error response).
    pub fn handle(&self, request: HttpRequest) -> HttpResponse {
        let mut inner = self.lock();
        let Inner { service, state } = &mut *inner;
        issuer::handle(state, service, &request.into(), now())
            .response
            .into()
    }
}
