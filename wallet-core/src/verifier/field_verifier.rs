//! The field worker's verifier, on its own encrypted store: requests it has shown (with their
//! ephemeral keys), a replay cache, and a private verification log with retention limits.
//! Issuers come from the installed trust list ([`super::trust_store`]) and revocation from
//! the cached status lists ([`super::status_cache`]).

use serde::{Deserialize, Serialize};

use super::presentation::{DEFAULT_MAX_STATUS_AGE_SECS, VerificationRequest, verify_presentation};
use super::status_cache::{self, StatusCacheError};
use super::trust_list::TrustList;
use super::trust_store::{self, TrustStoreError};
use super::trusted_issuer::TrustedIssuer;
use super::verdict::{DisclosedClaim, Reason, Verdict};
use crate::exchange::static_presentation::{self, StaticPresentation};
use crate::exchange::{
    ExchangeError, RequestedCredential, VerifierRequest, binding, compact, open_response,
    peek_request_ref, request_hash, request_ref,
};
use laissez_crypto::ecdsa::SigningKey;
use laissez_crypto::random;
use laissez_qr::{Envelope, MessageKind};
use laissez_store::StoreError;
use laissez_store::{MAX_PAGE_SIZE, NewRecord, RecordId, Tag, WalletStore};

/// Record kind of requests shown and not yet expired.
pub const PENDING_KIND: &str = "pending_request";
/// Record kind of the replay cache.
pub const SEEN_KIND: &str = "seen_presentation";
/// Record kind of the verification log.
pub const LOG_KIND: &str = "verification_log";
/// Grace after a request's expiry during which its answer is still accepted (slow scans).
pub const RESPONSE_GRACE_SECS: i64 = 120;

/// Why the verifier could not even produce a verdict.
#[derive(Debug, thiserror::Error)]
pub enum FieldVerifierError {
    /// The verifier's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The request could not be made.
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    /// The QR code is not something a verifier reads.
    #[error("this QR code is not a response or a presentation")]
    UnexpectedMessage,
    /// No trust list is installed, so no issuer can be accepted.
    #[error("no trust list is installed: import one before verifying")]
    NoTrustList,
    /// The installed trust list has expired: it vouches for nobody until a newer one is
    /// imported.
    #[error("the installed trust list (sequence {sequence}) has expired: import a newer one")]
    TrustListExpired {
        /// Its sequence.
        sequence: u64,
    },
    /// The trust list could not be read or installed.
    #[error(transparent)]
    Trust(#[from] TrustStoreError),
    /// The cached status lists could not be read.
    #[error(transparent)]
    Status(#[from] StatusCacheError),
}

impl From<laissez_crypto::CryptoError> for FieldVerifierError {
    /// A failing primitive (key generation, randomness) counts as a store failure.
    fn from(err: laissez_crypto::CryptoError) -> Self {
        Self::Store(err.into())
    }
}

/// How to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions<'a> {
    /// The time, Unix seconds.
    pub now: i64,
    /// Language for claim labels.
    pub lang: &'a str,
    /// Oldest status data relied on, seconds.
    pub max_status_age_secs: u64,
}

impl<'a> VerifyOptions<'a> {
    /// Options at `now` in `lang`, with the default status age limit.
    pub fn new(now: i64, lang: &'a str) -> Self {
        Self {
            now,
            lang,
            max_status_age_secs: DEFAULT_MAX_STATUS_AGE_SECS,
        }
    }
}

/// How long the log keeps entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Most entries kept (oldest dropped first).
    pub max_entries: u64,
    /// Oldest entry kept, in seconds.
    pub max_age_secs: i64,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            max_age_secs: 90 * 86_400,
        }
    }
}

/// One verification in the log (encrypted at rest like everything in the store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When, Unix seconds.
    pub at: i64,
    /// "engaged" or "static".
    pub flow: String,
    /// The verdict.
    pub valid: bool,
    /// Reason codes.
    pub reasons: Vec<String>,
    /// Credential type.
    pub credential_type: Option<String>,
    /// Issuer name.
    pub issuer: Option<String>,
    /// Disclosed claims (paths and values).
    pub claims: Vec<(String, serde_json::Value)>,
}

#[derive(Serialize, Deserialize)]
struct Pending {
    #[serde(with = "serde_bytes")]
    request: Vec<u8>,
    #[serde(with = "serde_bytes")]
    key: Vec<u8>,
    expires_at: i64,
}

fn cbor<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|_| StoreError::Storage("encoding".into()))?;
    Ok(out)
}

/// Makes a request, keeps its ephemeral key in the store, and returns the message to show.
/// The request lists the certificates on the installed trust list, so holders leave them
/// out of their answers.
pub fn create_request(
    store: &mut WalletStore,
    verifier_name: &str,
    purpose: &str,
    credentials: Vec<RequestedCredential>,
    ttl_secs: i64,
    now: i64,
) -> Result<Envelope, FieldVerifierError> {
    let key = SigningKey::generate()?;
    let request = VerifierRequest {
        nonce: random::bytes::<16>()?,
        verifier_key: key.public_key().clone(),
        verifier_name: verifier_name.into(),
        purpose: purpose.into(),
        credentials,
        created_at: now,
        expires_at: now + ttl_secs.clamp(30, 86_400),
        known_certificates: match current_trust_list(store, now) {
            Ok(list) => list.certificates(),
            // Without a usable list the request names no certificate: holders send them.
            Err(FieldVerifierError::NoTrustList | FieldVerifierError::TrustListExpired { .. }) => {
                Vec::new()
            }
            Err(other) => return Err(other),
        }
        .iter()
        .map(|der| compact::cert_ref(der))
        .take(compact::MAX_KNOWN_CERTIFICATES)
        .collect(),
    };
    let bytes = request.encode()?;
    let pending = Pending {
        request: bytes.clone(),
        key: key.scalar().to_vec(),
        expires_at: request.expires_at,
    };
    store.put(&NewRecord {
        kind: PENDING_KIND.into(),
        tags: vec![Tag::new(
            "ref",
            hex::encode(request_ref(&request_hash(&bytes))),
        )],
        body: cbor(&pending)?,
    })?;
    Ok(Envelope {
        kind: MessageKind::VerifierRequest,
        payload: bytes,
    })
}

fn find_pending(store: &WalletStore, reference: &[u8]) -> Result<Option<Pending>, StoreError> {
    let page = store.find(
        PENDING_KIND,
        &[Tag::new("ref", hex::encode(reference))],
        1,
        None,
    )?;
    page.records
        .first()
        .map(|r| {
            ciborium::from_reader(r.body.as_slice())
                .map_err(|_| StoreError::Corrupted("a pending request is unreadable".into()))
        })
        .transpose()
}

fn digest_hex(bytes: &[u8]) -> String {
    hex::encode(&ring::digest::digest(&ring::digest::SHA256, bytes).as_ref()[..16])
}

/// The installed trust list, if it can be used at `now`.
pub fn current_trust_list(store: &WalletStore, now: i64) -> Result<TrustList, FieldVerifierError> {
    let installed = trust_store::installed(store)?.ok_or(FieldVerifierError::NoTrustList)?;
    if !installed.list.is_current_at(now) {
        return Err(FieldVerifierError::TrustListExpired {
            sequence: installed.list.sequence,
        });
    }
    Ok(installed.list)
}

/// Verifies a scanned response or static presentation against the installed trust list and
/// the cached status lists, checks the replay cache, logs the outcome, and returns one
/// verdict per presentation.
pub fn verify_message(
    store: &mut WalletStore,
    message: &Envelope,
    options: &VerifyOptions<'_>,
) -> Result<Vec<Verdict>, FieldVerifierError> {
    let now = options.now;
    let list = current_trust_list(store, now)?;
    let trusted = list.issuers_at(now, None);
    let status_lists = status_cache::cached(store, &trusted)?;
    let (flow, checks) = match message.kind {
        MessageKind::EngagedResponse => (
            "engaged",
            engaged(store, &message.payload, now, &list.certificates())?,
        ),
        MessageKind::StaticPresentation => ("static", static_checks(&message.payload, now)),
        _ => return Err(FieldVerifierError::UnexpectedMessage),
    };
    let mut verdicts = Vec::with_capacity(checks.len());
    for check in checks {
        let verdict = match check {
            Err(verdict) => *verdict,
            Ok((bytes, expected)) => {
                let digest = digest_hex(&bytes);
                let mut verdict = verify_presentation(&VerificationRequest {
                    presentation: &bytes,
                    binding: &expected,
                    trusted: &trusted,
                    now,
                    lang: options.lang,
                    status_lists: &status_lists,
                    max_status_age_secs: options.max_status_age_secs,
                    // The replay cache keys on what the holder signed: one form only.
                    holder_high_s: super::HighS::Refuse,
                });
                if verdict.valid && !covers_type(&list, &verdict, now) {
                    verdict.valid = false;
                    verdict.reasons.push(Reason::UnknownIssuer);
                    verdict.claims.clear();
                }
                if verdict.valid {
                    if store.count(SEEN_KIND, &[Tag::new("digest", digest.clone())])? > 0 {
                        verdict.valid = false;
                        verdict.reasons.push(Reason::Replay);
                        verdict.claims.clear();
                    } else {
                        store.put(&NewRecord {
                            kind: SEEN_KIND.into(),
                            tags: vec![Tag::new("digest", digest)],
                            body: cbor(&now)?,
                        })?;
                    }
                }
                verdict
            }
        };
        log(store, flow, &verdict, now)?;
        verdicts.push(verdict);
    }
    Ok(verdicts)
}

/// Whether the trust list accepts the verdict's issuer for the verdict's credential type.
fn covers_type(list: &TrustList, verdict: &Verdict, now: i64) -> bool {
    let Some(issuer) = &verdict.issuer else {
        return false;
    };
    list.issuers_at(now, verdict.credential_type.as_deref())
        .iter()
        .any(|t: &TrustedIssuer| t.key.fingerprint() == issuer.key_fingerprint)
}

/// A presentation to verify against its binding, or a verdict already reached.
type Check = Result<(Vec<u8>, super::ExpectedBinding), Box<Verdict>>;

fn engaged(
    store: &WalletStore,
    payload: &[u8],
    now: i64,
    certificates: &[Vec<u8>],
) -> Result<Vec<Check>, FieldVerifierError> {
    let rejected = |reason| Ok(vec![Err(Box::new(Verdict::rejected("unknown", reason)))]);
    let Ok(reference) = peek_request_ref(payload) else {
        return rejected(Reason::Malformed);
    };
    let Some(pending) = find_pending(store, &reference)? else {
        return rejected(Reason::WrongRequest);
    };
    if now > pending.expires_at + RESPONSE_GRACE_SECS {
        return rejected(Reason::WrongRequest);
    }
    let (Ok(request), Some(key)) = (
        VerifierRequest::decode(&pending.request),
        <[u8; 32]>::try_from(pending.key.as_slice())
            .ok()
            .and_then(|k| SigningKey::from_scalar(&k)),
    ) else {
        return Err(StoreError::Corrupted("a pending request is damaged".into()).into());
    };
    let hash = request_hash(&pending.request);
    let documents = match open_response(&key, &request, &hash, payload, certificates) {
        Ok(documents) => documents,
        Err(ExchangeError::WrongRequest) => return rejected(Reason::WrongRequest),
        Err(ExchangeError::UnknownCertificate) => return rejected(Reason::UnknownIssuer),
        Err(_) => return rejected(Reason::Malformed),
    };
    Ok(documents
        .into_iter()
        .map(|d| Ok((d.bytes, binding::for_request(&request, &hash, d.format))))
        .collect())
}

fn static_checks(payload: &[u8], now: i64) -> Vec<Check> {
    match StaticPresentation::decode(payload) {
        Err(_) => vec![Err(Box::new(Verdict::rejected(
            "unknown",
            Reason::Malformed,
        )))],
        Ok(p) => match p.check_window(now) {
            Err(_) => vec![Err(Box::new(Verdict::rejected(
                p.format.as_str(),
                Reason::StalePresentation,
            )))],
            Ok(()) => vec![Ok((
                p.bytes.clone(),
                static_presentation::binding(p.format, p.window),
            ))],
        },
    }
}

fn log(store: &mut WalletStore, flow: &str, verdict: &Verdict, now: i64) -> Result<(), StoreError> {
    let entry = LogEntry {
        at: now,
        flow: flow.into(),
        valid: verdict.valid,
        reasons: verdict
            .reasons
            .iter()
            .map(|r| r.code().to_owned())
            .collect(),
        credential_type: verdict.credential_type.clone(),
        issuer: verdict.issuer.as_ref().and_then(|i| i.name.clone()),
        claims: verdict
            .claims
            .iter()
            .map(|DisclosedClaim { path, value, .. }| (path.clone(), value.clone()))
            .collect(),
    };
    let body = serde_json::to_vec(&entry).map_err(|_| StoreError::Storage("encoding".into()))?;
    store.put(&NewRecord {
        kind: LOG_KIND.into(),
        tags: vec![],
        body,
    })?;
    Ok(())
}

fn all(store: &WalletStore, kind: &str) -> Result<Vec<laissez_store::Record>, StoreError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(kind, &[], MAX_PAGE_SIZE, cursor)?;
        out.extend(page.records);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// The verification log, oldest first.
pub fn log_entries(store: &WalletStore) -> Result<Vec<LogEntry>, StoreError> {
    all(store, LOG_KIND)?
        .iter()
        .map(|r| {
            serde_json::from_slice(&r.body)
                .map_err(|_| StoreError::Corrupted("a log entry is unreadable".into()))
        })
        .collect()
}

/// The log as JSON lines, for export.
pub fn export_log(store: &WalletStore) -> Result<String, StoreError> {
    let mut out = String::new();
    for entry in log_entries(store)? {
        out.push_str(
            &serde_json::to_string(&entry).map_err(|_| StoreError::Storage("encoding".into()))?,
        );
        out.push('\n');
    }
    Ok(out)
}

/// Applies the retention policy to the log, and drops expired requests and replay entries
/// older than a day (static windows and request lifetimes are far shorter). Returns how many
/// records were removed.
pub fn prune(
    store: &mut WalletStore,
    policy: RetentionPolicy,
    now: i64,
) -> Result<u64, StoreError> {
    let mut doomed: Vec<RecordId> = Vec::new();
    let log = all(store, LOG_KIND)?;
    let excess = (log.len() as u64).saturating_sub(policy.max_entries) as usize;
    for (i, record) in log.iter().enumerate() {
        let old = serde_json::from_slice::<LogEntry>(&record.body)
            .map(|e| now - e.at > policy.max_age_secs)
            .unwrap_or(true);
        if i < excess || old {
            doomed.push(record.id);
        }
    }
    for record in all(store, PENDING_KIND)? {
        let expired = ciborium::from_reader::<Pending, _>(record.body.as_slice())
            .map(|p| now > p.expires_at + RESPONSE_GRACE_SECS)
            .unwrap_or(true);
        if expired {
            doomed.push(record.id);
        }
    }
    for record in all(store, SEEN_KIND)? {
        if now - record.created_at > 86_400 {
            doomed.push(record.id);
        }
    }
    for id in &doomed {
        store.delete(*id)?;
    }
    Ok(doomed.len() as u64)
}
