//! The issuer side of the pre-authorized code flow (feature `issue`): request handlers as
//! pure functions over an [`IssuanceState`], for `laissez issuer serve` and in-process tests.
//!
//! The state has two parts. [`IssuanceState::offers`] (pending offers with their claims:
//! personal data) is what the server keeps in its encrypted store; [`handle`] says when it
//! changed. Nonces and access tokens are short-lived and kept in memory only: after a restart
//! a wallet gets `invalid_token` or `invalid_nonce` and starts again from its offer.
//!
//! Routes (relative to the issuer's base URL): `GET /.well-known/openid-credential-issuer`,
//! `GET /.well-known/oauth-authorization-server`, `GET /offers/{id}` (offers by reference),
//! `POST /token`, `POST /nonce`, `POST /credential`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::credential::{CredentialRequest, CredentialResponse, IssuedCredential};
use super::error::ErrorCode;
use super::http::{HttpMethod, HttpRequest, HttpResponse, MAX_REQUEST_BODY};
use super::metadata::{AUTHORIZATION_SERVER_WELL_KNOWN, ISSUER_WELL_KNOWN};
use super::nonce::NonceResponse;
use super::offer::{CredentialOffer, Grants, PreAuthorizedCodeGrant, TxCodeSpec};
use super::token::{TokenRequest, TokenResponse};
use super::{FORMAT_MDOC, FORMAT_SD_JWT, MAX_BATCH, PRE_AUTHORIZED_GRANT, proof};
use crate::issuer::{CredentialOrder, IssuerIdentity, issue_batch};
use laissez_crypto::ecdsa::VerifyingKey;
use laissez_formats::credential::CredentialFormat;
use laissez_formats::jose::base64url;
use laissez_formats::mdoc::IssuedMdoc;

/// Wrong transaction codes after which an offer is withdrawn.
pub const MAX_TX_CODE_ATTEMPTS: u32 = 5;
/// How long a nonce is valid, seconds.
pub const NONCE_TTL: i64 = 300;
/// How long an access token is valid, seconds.
pub const TOKEN_TTL: i64 = 600;
/// The most nonces and tokens kept at once (beyond it, one is dropped for each new one).
pub const MAX_SESSIONS: usize = 10_000;

/// One credential the issuer offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationSpec {
    /// SD-JWT VC or mdoc.
    pub format: CredentialFormat,
    /// vct or docType.
    pub credential_type: String,
    /// Its name per locale: `(locale, name)`.
    #[serde(default)]
    pub display: Vec<(String, String)>,
    /// Claim labels: `(path, locale, label)`, path as in the metadata (`["given_name"]`,
    /// for mdoc `[namespace, element]`).
    #[serde(default)]
    pub claim_labels: Vec<(Vec<String>, String, String)>,
    /// Days of validity of each copy.
    pub valid_days: u32,
}

/// What the issuer serves: its base URL (its identifier), its configurations and batch size.
#[derive(Debug)]
pub struct IssuerService {
    /// The credential issuer identifier and base URL, without a trailing `/`.
    pub base_url: String,
    /// The configurations by id.
    pub configurations: BTreeMap<String, ConfigurationSpec>,
    /// The most copies per request.
    pub batch_size: u32,
    /// The issuer's signing identity.
    pub identity: IssuerIdentity,
}

/// A pending offer (personal data: kept encrypted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingOffer {
    /// Its id (for offers by reference).
    pub id: String,
    /// The pre-authorized code.
    pub pre_authorized_code: String,
    /// The transaction code, when one is required.
    pub tx_code: Option<String>,
    /// Wrong transaction codes so far.
    pub failed_attempts: u32,
    /// Expiry of the pre-authorized code, Unix seconds.
    pub expires_at: i64,
    /// Offered configuration ids.
    pub configuration_ids: Vec<String>,
    /// The claims to issue.
    pub claims: Map<String, Value>,
    /// Whether the code was exchanged for a token (single use).
    pub redeemed: bool,
    /// Configurations issued so far.
    pub issued: Vec<String>,
}

#[derive(Debug, Clone)]
struct AccessGrant {
    offer_id: String,
    expires_at: i64,
}

/// The issuer's state.
#[derive(Debug, Clone, Default)]
pub struct IssuanceState {
    /// Pending offers by pre-authorized code: persisted (encrypted) by the server.
    pub offers: BTreeMap<String, PendingOffer>,
    nonces: BTreeMap<String, i64>,
    tokens: BTreeMap<String, AccessGrant>,
}

/// A new offer, as the desk shows it.
#[derive(Debug, Clone)]
pub struct CreatedOffer {
    /// The offer.
    pub offer: CredentialOffer,
    /// The link by value.
    pub link: String,
    /// The link by reference (shorter QR code).
    pub link_by_reference: String,
    /// The transaction code to tell the person (another channel than the QR code).
    pub tx_code: Option<String>,
}

/// Why an offer cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    /// A configuration id is not served.
    #[error("unknown credential configuration '{0}'")]
    UnknownConfiguration(String),
    /// No configuration, or a bad validity.
    #[error("{0}")]
    Invalid(&'static str),
    /// The system's random source failed.
    #[error("no randomness")]
    Random,
}

fn random_token(bytes: usize) -> Result<String, OfferError> {
    let mut buf = vec![0u8; bytes];
    laissez_crypto::random::fill(&mut buf).map_err(|_| OfferError::Random)?;
    Ok(base64url::encode(&buf))
}

fn random_digits(count: usize) -> Result<String, OfferError> {
    let mut out = String::with_capacity(count);
    while out.len() < count {
        let [byte] = laissez_crypto::random::bytes::<1>().map_err(|_| OfferError::Random)?;
        if byte < 250 {
            out.push(char::from(b'0' + byte % 10));
        }
    }
    Ok(out)
}

impl IssuanceState {
    /// A state holding `offers` (as loaded from the server's store).
    pub fn with_offers(offers: BTreeMap<String, PendingOffer>) -> Self {
        Self {
            offers,
            ..Self::default()
        }
    }

    /// Creates an offer of `configuration_ids` with `claims`, valid `ttl_secs` from `now`,
    /// with a 6-digit transaction code when `with_tx_code`.
    pub fn create_offer(
        &mut self,
        service: &IssuerService,
        configuration_ids: &[String],
        claims: Map<String, Value>,
        with_tx_code: bool,
        ttl_secs: i64,
        now: i64,
    ) -> Result<CreatedOffer, OfferError> {
        if configuration_ids.is_empty() {
            return Err(OfferError::Invalid("offer at least one credential"));
        }
        if !(60..=30 * 86_400).contains(&ttl_secs) {
            return Err(OfferError::Invalid("an offer lasts 1 minute to 30 days"));
        }
        for id in configuration_ids {
            if !service.configurations.contains_key(id) {
                return Err(OfferError::UnknownConfiguration(id.clone()));
            }
        }
        self.drop_expired(now);
        let code = random_token(32)?;
        let tx_code = if with_tx_code {
            Some(random_digits(6)?)
        } else {
            None
        };
        let pending = PendingOffer {
            id: random_token(16)?,
            pre_authorized_code: code.clone(),
            tx_code: tx_code.clone(),
            failed_attempts: 0,
            expires_at: now + ttl_secs,
            configuration_ids: configuration_ids.to_vec(),
            claims,
            redeemed: false,
            issued: Vec::new(),
        };
        let offer = offer_of(service, &pending);
        let created = CreatedOffer {
            link: offer.to_link(),
            link_by_reference: super::offer::link_by_reference(&format!(
                "{}/offers/{}",
                service.base_url, pending.id
            )),
            offer,
            tx_code,
        };
        self.offers.insert(code, pending);
        Ok(created)
    }

    /// Drops expired offers, nonces and tokens. Returns whether an offer was dropped.
    pub fn drop_expired(&mut self, now: i64) -> bool {
        let before = self.offers.len();
        self.offers.retain(|_, o| o.expires_at > now);
        self.nonces.retain(|_, expires| *expires > now);
        self.tokens.retain(|_, t| t.expires_at > now);
        self.offers.len() != before
    }
}

fn offer_of(service: &IssuerService, pending: &PendingOffer) -> CredentialOffer {
    CredentialOffer {
        credential_issuer: service.base_url.clone(),
        credential_configuration_ids: pending.configuration_ids.clone(),
        grants: Some(Grants {
            pre_authorized_code: Some(PreAuthorizedCodeGrant {
                pre_authorized_code: pending.pre_authorized_code.clone(),
                tx_code: pending.tx_code.as_ref().map(|code| TxCodeSpec {
                    input_mode: Some("numeric".into()),
                    length: u32::try_from(code.len()).ok(),
                    description: Some("the code the registration desk gave you".into()),
                }),
                authorization_server: None,
            }),
            authorization_code: None,
        }),
    }
}

/// The issuer's metadata document.
pub fn issuer_metadata(service: &IssuerService) -> Value {
    let mut configurations = Map::new();
    for (id, spec) in &service.configurations {
        let display: Vec<Value> = spec
            .display
            .iter()
            .map(|(locale, name)| json!({"name": name, "locale": locale}))
            .collect();
        let mut claims: Vec<Value> = Vec::new();
        for (path, locale, label) in &spec.claim_labels {
            let entry = json!({"name": label, "locale": locale});
            match claims.iter_mut().find(|c| c["path"] == json!(path)) {
                Some(Value::Object(existing)) => {
                    if let Some(Value::Array(labels)) = existing.get_mut("display") {
                        labels.push(entry);
                    }
                }
                _ => claims.push(json!({"path": path, "display": [entry]})),
            }
        }
        let mut configuration = json!({
            "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}},
            "credential_metadata": {"display": display, "claims": claims},
        });
        match spec.format {
            CredentialFormat::SdJwt => {
                configuration["format"] = json!(FORMAT_SD_JWT);
                configuration["vct"] = json!(spec.credential_type);
                configuration["cryptographic_binding_methods_supported"] = json!(["jwk"]);
                configuration["credential_signing_alg_values_supported"] =
                    json!([service.identity.algorithm().jose_name()]);
            }
            CredentialFormat::Mdoc => {
                configuration["format"] = json!(FORMAT_MDOC);
                configuration["doctype"] = json!(spec.credential_type);
                configuration["cryptographic_binding_methods_supported"] = json!(["cose_key"]);
                configuration["credential_signing_alg_values_supported"] =
                    json!([service.identity.algorithm().cose_id()]);
            }
        }
        configurations.insert(id.clone(), configuration);
    }
    json!({
        "credential_issuer": service.base_url,
        "credential_endpoint": format!("{}/credential", service.base_url),
        "nonce_endpoint": format!("{}/nonce", service.base_url),
        "batch_credential_issuance": {"batch_size": service.batch_size.clamp(2, MAX_BATCH as u32)},
        "display": [{"name": service.identity.name, "locale": "en"}],
        "credential_configurations_supported": configurations,
    })
}

/// The authorization server metadata (the issuer is its own).
pub fn authorization_server_metadata(service: &IssuerService) -> Value {
    json!({
        "issuer": service.base_url,
        "token_endpoint": format!("{}/token", service.base_url),
        "pre-authorized_grant_anonymous_access_supported": true,
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
    })
}

/// A handler's answer: the response, and whether [`IssuanceState::offers`] changed (the
/// server then saves them).
#[derive(Debug, Clone)]
pub struct Handled {
    /// The response to send.
    pub response: HttpResponse,
    /// Whether the persisted part of the state changed.
    pub offers_changed: bool,
}

impl Handled {
    fn unchanged(response: HttpResponse) -> Self {
        Self {
            response,
            offers_changed: false,
        }
    }
    fn changed(response: HttpResponse) -> Self {
        Self {
            response,
            offers_changed: true,
        }
    }
}

/// Answers one request. Never panics on input: every bad request is an error response.
pub fn handle(
    state: &mut IssuanceState,
    service: &IssuerService,
    request: &HttpRequest,
    now: i64,
) -> Handled {
    let dropped = state.drop_expired(now);
    if request.body.len() > MAX_REQUEST_BODY {
        return Handled {
            response: HttpResponse::error(ErrorCode::InvalidRequest, "request body too large"),
            offers_changed: dropped,
        };
    }
    let path = request.path();
    let base_path = super::http::HttpRequest::get(service.base_url.clone())
        .path()
        .trim_end_matches('/')
        .to_owned();
    let local = path.strip_prefix(base_path.as_str()).unwrap_or(path);
    let well_known_issuer = format!("/.well-known/{ISSUER_WELL_KNOWN}{base_path}");
    let well_known_as = format!("/.well-known/{AUTHORIZATION_SERVER_WELL_KNOWN}{base_path}");
    let mut handled = match (request.method, path) {
        (HttpMethod::Get, p) if p == well_known_issuer => {
            Handled::unchanged(HttpResponse::json(200, &issuer_metadata(service)))
        }
        (HttpMethod::Get, p) if p == well_known_as => Handled::unchanged(HttpResponse::json(
            200,
            &authorization_server_metadata(service),
        )),
        _ => match (request.method, local) {
            (HttpMethod::Get, p) if p.starts_with("/offers/") => {
                let id = p.trim_start_matches("/offers/");
                match state.offers.values().find(|o| o.id == id && !o.redeemed) {
                    Some(pending) => {
                        Handled::unchanged(HttpResponse::json(200, &offer_of(service, pending)))
                    }
                    None => Handled::unchanged(not_found()),
                }
            }
            (HttpMethod::Post, "/token") => token(state, request, now),
            (HttpMethod::Post, "/nonce") => Handled::unchanged(nonce(state, now)),
            (HttpMethod::Post, "/credential") => credential(state, service, request, now),
            (_, "/token" | "/nonce" | "/credential") => Handled::unchanged(HttpResponse {
                status: 405,
                headers: vec![("allow".into(), "POST".into())],
                body: Vec::new(),
            }),
            _ => Handled::unchanged(not_found()),
        },
    };
    handled.offers_changed |= dropped;
    handled
}

fn not_found() -> HttpResponse {
    HttpResponse {
        status: 404,
        headers: Vec::new(),
        body: Vec::new(),
    }
}

fn bounded_insert<V>(map: &mut BTreeMap<String, V>, key: String, value: V) {
    if map.len() >= MAX_SESSIONS {
        if let Some(first) = map.keys().next().cloned() {
            map.remove(&first);
        }
    }
    map.insert(key, value);
}

fn token(state: &mut IssuanceState, request: &HttpRequest, now: i64) -> Handled {
    let form = match TokenRequest::from_form(&request.body) {
        Ok(form) => form,
        Err((code, why)) => return Handled::unchanged(HttpResponse::error(code, why)),
    };
    let Some(pending) = state.offers.get_mut(&form.pre_authorized_code) else {
        return Handled::unchanged(HttpResponse::error(
            ErrorCode::InvalidGrant,
            "the pre-authorized code is unknown or expired",
        ));
    };
    if pending.redeemed {
        return Handled::unchanged(HttpResponse::error(
            ErrorCode::InvalidGrant,
            "the pre-authorized code was already used",
        ));
    }
    match (&pending.tx_code, &form.tx_code) {
        (Some(expected), Some(given)) if same_secret(expected, given) => {}
        (Some(_), given) => {
            pending.failed_attempts += 1;
            if pending.failed_attempts >= MAX_TX_CODE_ATTEMPTS {
                state.offers.remove(&form.pre_authorized_code);
            }
            let why = if given.is_some() {
                "the transaction code is wrong"
            } else {
                "the transaction code is missing"
            };
            return Handled::changed(HttpResponse::error(ErrorCode::InvalidGrant, why));
        }
        (None, Some(_)) => {
            return Handled::unchanged(HttpResponse::error(
                ErrorCode::InvalidRequest,
                "this offer has no transaction code",
            ));
        }
        (None, None) => {}
    }
    pending.redeemed = true;
    let offer_id = form.pre_authorized_code.clone();
    let Ok(access_token) = random_token(32) else {
        return Handled::unchanged(HttpResponse::json(500, &json!({})));
    };
    bounded_insert(
        &mut state.tokens,
        access_token.clone(),
        AccessGrant {
            offer_id,
            expires_at: now + TOKEN_TTL,
        },
    );
    Handled::changed(HttpResponse::json(
        200,
        &TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: u64::try_from(TOKEN_TTL).ok(),
        },
    ))
}

/// Compares digests, so the time taken says nothing about the code.
fn same_secret(expected: &str, given: &str) -> bool {
    let digest = |s: &str| ring::digest::digest(&ring::digest::SHA256, s.as_bytes());
    digest(expected).as_ref() == digest(given).as_ref()
}

fn nonce(state: &mut IssuanceState, now: i64) -> HttpResponse {
    let Ok(c_nonce) = random_token(24) else {
        return HttpResponse::json(500, &json!({}));
    };
    bounded_insert(&mut state.nonces, c_nonce.clone(), now + NONCE_TTL);
    HttpResponse::json(200, &NonceResponse { c_nonce })
}

fn credential(
    state: &mut IssuanceState,
    service: &IssuerService,
    request: &HttpRequest,
    now: i64,
) -> Handled {
    let error = |code: ErrorCode, why: &str| Handled::unchanged(HttpResponse::error(code, why));
    let token = request
        .header("authorization")
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let Some(grant) = token.and_then(|t| state.tokens.get(t)).cloned() else {
        return error(
            ErrorCode::InvalidToken,
            "the access token is missing, unknown or expired",
        );
    };
    let parsed = match CredentialRequest::from_body(&request.body) {
        Ok(parsed) => parsed,
        Err((code, why)) => return error(code, why),
    };
    let Some(pending) = state.offers.get(&grant.offer_id) else {
        return error(
            ErrorCode::InvalidToken,
            "the offer behind this token is gone",
        );
    };
    let id = parsed
        .credential_configuration_id
        .clone()
        .unwrap_or_default();
    let Some(spec) = service.configurations.get(&id) else {
        return error(
            ErrorCode::UnknownCredentialConfiguration,
            "not served by this issuer",
        );
    };
    if !pending.configuration_ids.contains(&id) {
        return error(
            ErrorCode::InsufficientScope,
            "the offer does not include this credential",
        );
    }
    if pending.issued.contains(&id) {
        return error(
            ErrorCode::CredentialRequestDenied,
            "this credential was already issued",
        );
    }
    let jwts = parsed.proofs.map(|p| p.jwt).unwrap_or_default();
    if jwts.len() > service.batch_size.max(1) as usize {
        return error(
            ErrorCode::InvalidCredentialRequest,
            "more proofs than batch_size",
        );
    }
    let mut keys: Vec<VerifyingKey> = Vec::with_capacity(jwts.len());
    let mut nonce = None;
    for jwt in &jwts {
        match proof::verify_proof(jwt, &service.base_url, now) {
            Ok(proven) => {
                if keys.contains(&proven.key) {
                    return error(ErrorCode::InvalidProof, "two proofs for the same key");
                }
                if nonce.as_ref().is_some_and(|n| *n != proven.nonce) {
                    return error(ErrorCode::InvalidNonce, "the proofs carry different nonces");
                }
                nonce = Some(proven.nonce);
                keys.push(proven.key);
            }
            Err(why) => return error(ErrorCode::InvalidProof, why),
        }
    }
    let nonce = nonce.unwrap_or_default();
    if state
        .nonces
        .get(&nonce)
        .is_none_or(|expires| *expires <= now)
    {
        return error(
            ErrorCode::InvalidNonce,
            "the nonce is unknown or expired; get a fresh one",
        );
    }
    let credentials = match issue_copies(service, spec, &pending.claims, &keys, now) {
        Ok(credentials) => credentials,
        Err(why) => return error(ErrorCode::CredentialRequestDenied, &why),
    };
    state.nonces.remove(&nonce);
    let offer_id = grant.offer_id.clone();
    let mut all_issued = false;
    if let Some(pending) = state.offers.get_mut(&offer_id) {
        pending.issued.push(id);
        all_issued = pending.issued.len() >= pending.configuration_ids.len();
    }
    if all_issued {
        // Nothing more to issue: the claims (personal data) go.
        state.offers.remove(&offer_id);
        state.tokens.retain(|_, t| t.offer_id != offer_id);
    }
    Handled::changed(HttpResponse::json(
        200,
        &CredentialResponse {
            credentials: Some(credentials),
            transaction_id: None,
            notification_id: None,
        },
    ))
}

/// Issues one copy per proven key through [`issue_batch`]: each copy its own salts, decoys
/// and signature, all dated at the start of the UTC day so copies issued together cannot be
/// linked by their issuance time.
fn issue_copies(
    service: &IssuerService,
    spec: &ConfigurationSpec,
    claims: &Map<String, Value>,
    keys: &[VerifyingKey],
    now: i64,
) -> Result<Vec<IssuedCredential>, String> {
    let first = keys
        .first()
        .cloned()
        .ok_or_else(|| "no proven key".to_owned())?;
    let order = CredentialOrder {
        format: spec.format,
        credential_type: spec.credential_type.clone(),
        claims: claims.clone(),
        holder_key: first,
        valid_days: spec.valid_days,
        status: None,
        now,
        portrait: None,
    };
    let copies = issue_batch(&service.identity, &order, keys, None).map_err(|e| e.to_string())?;
    copies
        .into_iter()
        .map(|issued| {
            let text = match spec.format {
                CredentialFormat::SdJwt => {
                    String::from_utf8(issued).map_err(|_| "issuing failed".to_owned())?
                }
                CredentialFormat::Mdoc => {
                    let mdoc = IssuedMdoc::from_bytes(&issued).map_err(|e| e.to_string())?;
                    base64url::encode(mdoc.issuer_signed_bytes())
                }
            };
            Ok(IssuedCredential {
                credential: Value::String(text),
            })
        })
        .collect()
}
