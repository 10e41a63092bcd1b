//! The field worker's verifier, on its own encrypted store: requests it has shown (with their
//! ephemeral keys), a replay cache, and a private verification log with retention limits.
//! Issuers come from the installed trust list ([`super::trust_store`]) and revocation from
//! the cached status lists ([`super::status_cache`]).

use serde::{Deserialize, Serialize};

use zeroize::Zeroize;

use super::presentation::{
    DEFAULT_MAX_STATUS_AGE_SECS, VerificationRequest, verify_with_replay_key,
};
use super::replay_key::ReplayKey;
use super::security_state::{self, ProtectedWriter, SecurityStateError};
use super::status_cache::{self, StatusCacheError};
use super::trust_list::TrustList;
use super::trust_store::{self, TrustStoreError};
use super::trusted_issuer::TrustedIssuer;
use super::verdict::{DisclosedClaim, Reason, Verdict};
use crate::exchange::signed_request::{Certification, sign_request};
use crate::exchange::static_presentation::{self, StaticPresentation};
use crate::exchange::verifier_id::{VERIFIER_ID_LABEL, VERIFIER_ID_LEN, VerifierId};
use crate::exchange::{
    ExchangeError, RequestedCredential, VerifierRequest, binding, compact, open_response,
    peek_damaged_response_ref, peek_request_ref, request_hash, request_ref,
};
use laissez_crypto::ecdsa::SigningKey;
use laissez_crypto::random;
use laissez_formats::registration::{self, Reference, RegistrationError};
use laissez_qr::{Envelope, MessageKind};
use laissez_store::StoreError;
use laissez_store::{MAX_PAGE_SIZE, NewRecord, Record, RecordId, Tag, WalletStore};

pub use super::record_kinds::{PENDING_KIND, SEEN_KIND};
/// Record kind of the verification log.
pub const LOG_KIND: &str = "verification_log";
/// Tag of a pending request: the reference its answers carry in clear.
const REF_TAG: &str = "ref";
/// Tag of a replay-cache entry: the [`ReplayKey`] of what the holder signed.
const SEEN_TAG: &str = "signed";
/// Record kind of the verifier's registration certificate (ADR 0020).
pub const CERTIFICATE_KIND: &str = "registration_certificate";
/// HKDF label of the verifier's long-term request-signing key.
pub const REQUEST_SIGNING_KEY_LABEL: &str = "laissez/v1/verifier-request-signing-key";
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
    /// A signed request was asked for, but no registration certificate is installed.
    #[error("no registration certificate is installed: install one from the registrar first")]
    NoCertificate,
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
    /// The verifier's file was changed behind its back: a trust list, status list, replay
    /// entry or pending request put back, removed or added. Nothing is verified until the
    /// verifier is set up again.
    #[error(transparent)]
    Tampered(SecurityStateError),
}

impl From<SecurityStateError> for FieldVerifierError {
    fn from(err: SecurityStateError) -> Self {
        match err {
            SecurityStateError::Store(err) => Self::Store(err),
            tampered @ SecurityStateError::Tampered { .. } => Self::Tampered(tampered),
        }
    }
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
    /// The reference (hex) of the registration certificate the answered request was signed
    /// with; `None` for an unsigned request or a static presentation.
    #[serde(default)]
    pub certificate: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Pending {
    #[serde(with = "serde_bytes")]
    request: Vec<u8>,
    #[serde(with = "serde_bytes")]
    key: Vec<u8>,
    expires_at: i64,
    /// The reference of the registration certificate the request was signed with (hex).
    #[serde(default)]
    certificate: Option<String>,
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
    make_request(
        store,
        verifier_name,
        purpose,
        credentials,
        ttl_secs,
        now,
        None,
    )
    .map(|made| made.message)
}

/// Like [`create_request`], but signed with this verifier's request-signing key
/// ([`request_signing_key`]) and carrying its installed registration certificate
/// ([`install_certificate`]), or only the certificate's reference when `by_reference` (for
/// holders known to hold it). The pending request remembers the certificate's reference, and
/// the log entry of its answer records it.
#[allow(clippy::too_many_arguments)]
pub fn create_signed_request(
    store: &mut WalletStore,
    verifier_name: &str,
    purpose: &str,
    credentials: Vec<RequestedCredential>,
    ttl_secs: i64,
    now: i64,
    by_reference: bool,
) -> Result<Envelope, FieldVerifierError> {
    if installed_certificate(store)?.is_none() {
        return Err(FieldVerifierError::NoCertificate);
    }
    create_request_as_registered(
        store,
        verifier_name,
        purpose,
        credentials,
        ttl_secs,
        now,
        by_reference,
    )
    .map(|made| made.message)
}

/// A request a verifier app made: the message to show, and what the app shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeRequest {
    /// The message to show as QR codes.
    pub message: Envelope,
    /// When it stops being answerable, Unix seconds.
    pub expires_at: i64,
    /// The reference (hex) of the registration certificate it is signed with; `None` when
    /// unsigned.
    pub certificate_reference: Option<String>,
}

/// The request a verifier app makes: signed as by [`create_signed_request`] when a
/// registration certificate is installed (only its reference when `by_reference`), unsigned as
/// by [`create_request`] otherwise, so holders see an unverified verifier. `by_reference`
/// without an installed certificate is [`FieldVerifierError::NoCertificate`].
pub fn create_request_as_registered(
    store: &mut WalletStore,
    verifier_name: &str,
    purpose: &str,
    credentials: Vec<RequestedCredential>,
    ttl_secs: i64,
    now: i64,
    by_reference: bool,
) -> Result<MadeRequest, FieldVerifierError> {
    let certification = match installed_certificate(store)? {
        None if by_reference => return Err(FieldVerifierError::NoCertificate),
        None => None,
        Some(certificate) if by_reference => Some(Certification::Reference(
            registration::reference(&certificate),
        )),
        Some(certificate) => Some(Certification::Certificate(certificate)),
    };
    make_request(
        store,
        verifier_name,
        purpose,
        credentials,
        ttl_secs,
        now,
        certification,
    )
}

fn make_request(
    store: &mut WalletStore,
    verifier_name: &str,
    purpose: &str,
    credentials: Vec<RequestedCredential>,
    ttl_secs: i64,
    now: i64,
    certification: Option<Certification>,
) -> Result<MadeRequest, FieldVerifierError> {
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
    let (message, certificate) = match &certification {
        None => (
            Envelope {
                kind: MessageKind::VerifierRequest,
                payload: bytes.clone(),
            },
            None,
        ),
        Some(certification) => {
            let reference = match certification {
                Certification::Certificate(c) => registration::reference(c),
                Certification::Reference(r) => *r,
            };
            let signing_key = request_signing_key(store)?;
            (
                sign_request(&request, &signing_key, certification)?,
                Some(hex::encode(reference)),
            )
        }
    };
    let made = MadeRequest {
        message,
        expires_at: request.expires_at,
        certificate_reference: certificate.clone(),
    };
    let mut pending = Pending {
        request: bytes.clone(),
        key: key.scalar().to_vec(),
        expires_at: request.expires_at,
        certificate,
    };
    let body = zeroize::Zeroizing::new(cbor(&pending)?);
    pending.key.zeroize();
    security_state::write(store, |writer| {
        sweep_expired_requests(writer, now)?;
        writer.put(&NewRecord {
            kind: PENDING_KIND.into(),
            tags: vec![Tag::new(
                REF_TAG,
                hex::encode(request_ref(&request_hash(&bytes))),
            )],
            body: body.to_vec(),
        })?;
        Ok::<_, FieldVerifierError>(())
    })?;
    Ok(made)
}

/// This verifier's long-term request-signing key (P-256), derived from its seed (HKDF label
/// [`REQUEST_SIGNING_KEY_LABEL`]), so a verifier restored from its 24 words signs with the
/// key its registration certificate certifies. Its public half goes to the registrar.
pub fn request_signing_key(store: &WalletStore) -> Result<SigningKey, StoreError> {
    let material = store.seed_key(REQUEST_SIGNING_KEY_LABEL, b"")?;
    Ok(SigningKey::derive(material.as_bytes())?)
}

/// Installs this verifier's registration certificate (replacing any other), after checking
/// that it reads, certifies this verifier's [`request_signing_key`], is in the form requests
/// carry, and has not expired at `now`. Returns its reference. Whether the registrar is
/// trusted is each holder's decision.
pub fn install_certificate(
    store: &mut WalletStore,
    certificate: &[u8],
    now: i64,
) -> Result<Reference, FieldVerifierError> {
    let claims = registration::read_unverified(certificate).map_err(ExchangeError::from)?;
    if &claims.verifier_key != request_signing_key(store)?.public_key() {
        return Err(ExchangeError::CertificateForAnotherKey.into());
    }
    if now >= claims.not_after {
        return Err(ExchangeError::from(RegistrationError::Expired {
            exp: claims.not_after,
        })
        .into());
    }
    // The signing path's own checks (preferred encoding), before anything is stored.
    sign_request(
        &VerifierRequest {
            nonce: [0; 16],
            verifier_key: claims.verifier_key.clone(),
            verifier_name: String::new(),
            purpose: String::new(),
            credentials: vec![RequestedCredential {
                credential_type: "check".into(),
                claims: Vec::new(),
            }],
            created_at: now,
            expires_at: now + 1,
            known_certificates: Vec::new(),
        },
        &request_signing_key(store)?,
        &Certification::Certificate(certificate.to_vec()),
    )?;
    let existing = store.find(CERTIFICATE_KIND, &[], MAX_PAGE_SIZE, None)?;
    store.write(|writer| {
        for record in &existing.records {
            writer.delete(record.id)?;
        }
        writer.put(&NewRecord {
            kind: CERTIFICATE_KIND.into(),
            tags: vec![],
            body: certificate.to_vec(),
        })?;
        Ok::<_, StoreError>(())
    })?;
    Ok(registration::reference(certificate))
}

/// The installed registration certificate, if any.
pub fn installed_certificate(store: &WalletStore) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(store
        .find(CERTIFICATE_KIND, &[], 1, None)?
        .records
        .into_iter()
        .next()
        .map(|r| r.body.to_vec()))
}

fn find_pending(
    writer: &ProtectedWriter<'_, '_>,
    reference: &[u8],
) -> Result<Option<Record>, StoreError> {
    let tag = Tag::new(REF_TAG, hex::encode(reference));
    Ok(writer
        .find(PENDING_KIND, std::slice::from_ref(&tag))?
        .into_iter()
        .next())
}

fn read_pending(record: &Record) -> Result<Pending, StoreError> {
    ciborium::from_reader(record.body.as_slice())
        .map_err(|_| StoreError::Corrupted("a pending request is unreadable".into()))
}

/// The installed trust list, if it can be used at `now`.
pub fn current_trust_list(store: &WalletStore, now: i64) -> Result<TrustList, FieldVerifierError> {
    security_state::check(store)?;
    usable_trust_list(store, now)
}

/// [`current_trust_list`] for a caller that has just checked the security manifest.
fn usable_trust_list(store: &WalletStore, now: i64) -> Result<TrustList, FieldVerifierError> {
    let installed = trust_store::read_installed(store)?.ok_or(FieldVerifierError::NoTrustList)?;
    if !installed.list.is_current_at(now) {
        return Err(FieldVerifierError::TrustListExpired {
            sequence: installed.list.sequence,
        });
    }
    Ok(installed.list)
}

/// What [`read_trust_state`] reads: the usable trust list, its issuers at the time, and the
/// cached status lists they signed.
type TrustState = (
    TrustList,
    Vec<TrustedIssuer>,
    Vec<status_cache::CachedStatusList>,
);

/// The trust state, read without checking the manifest (the caller checks it before using
/// what is read).
fn read_trust_state(store: &WalletStore, now: i64) -> Result<TrustState, FieldVerifierError> {
    let list = usable_trust_list(store, now)?;
    let trusted = list.issuers_at(now, None);
    let status_lists = status_cache::read_cached(store, &trusted)?;
    Ok((list, trusted, status_lists))
}

/// Verifies a scanned response or static presentation against the installed trust list and
/// the cached status lists, checks the replay cache, logs the outcome, and returns one
/// verdict per presentation.
///
/// An engaged response that decrypts uses up its request: the request's ephemeral key is
/// deleted in the same transaction, so a photo of the response can never be opened again
/// (and showing it again is a replay). Expired requests lose their keys on every call.
pub fn verify_message(
    store: &mut WalletStore,
    message: &Envelope,
    options: &VerifyOptions<'_>,
) -> Result<Vec<Verdict>, FieldVerifierError> {
    let now = options.now;
    let flow = match message.kind {
        MessageKind::EngagedResponse => "engaged",
        MessageKind::StaticPresentation => "static",
        _ => return Err(FieldVerifierError::UnexpectedMessage),
    };
    // The manifest is checked once, by the write below, before anything read here is used.
    // A read that fails is reported as tampering when tampering is its cause.
    let (list, trusted, status_lists) = match read_trust_state(store, now) {
        Ok(state) => state,
        Err(err) => {
            security_state::check(store)?;
            return Err(err);
        }
    };
    let certificates = list.certificates();
    let own_id = verifier_id(store)?;
    security_state::write(store, |writer| {
        sweep_expired_requests(writer, now)?;
        let (checks, certificate) = match message.kind {
            MessageKind::EngagedResponse => engaged(writer, &message.payload, now, &certificates)?,
            _ => (static_checks(&message.payload, now, &own_id), None),
        };
        let mut verdicts = Vec::with_capacity(checks.len());
        for check in checks {
            let verdict = match check {
                Err(verdict) => *verdict,
                Ok((bytes, expected, unbound)) => {
                    let (mut verdict, replay) = verify_with_replay_key(&VerificationRequest {
                        presentation: &bytes,
                        binding: &expected,
                        trusted: &trusted,
                        now,
                        lang: options.lang,
                        type_metadata: &list.type_metadata,
                        status_lists: &status_lists,
                        max_status_age_secs: options.max_status_age_secs,
                        // One signed form only: the other of the two valid ECDSA signatures
                        // is refused, not merely filed under the same replay key.
                        holder_high_s: super::HighS::Refuse,
                    });
                    verdict.unbound = unbound;
                    if verdict.valid {
                        match replay {
                            Some(key) => remember_or_refuse(writer, &mut verdict, key, now)?,
                            // A verified presentation always has signed content to key on.
                            None => refuse(&mut verdict, Reason::Malformed),
                        }
                    }
                    verdict
                }
            };
            log(writer, flow, &verdict, now, certificate.clone())?;
            verdicts.push(verdict);
        }
        Ok(verdicts)
    })
}

fn refuse(verdict: &mut Verdict, reason: Reason) {
    verdict.valid = false;
    verdict.reasons.push(reason);
    verdict.claims.clear();
}

/// Files a valid presentation in the replay cache under what its holder signed, or refuses it
/// as a replay when that is filed already.
fn remember_or_refuse(
    writer: &mut ProtectedWriter<'_, '_>,
    verdict: &mut Verdict,
    key: ReplayKey,
    now: i64,
) -> Result<(), FieldVerifierError> {
    let tag = Tag::new(SEEN_TAG, key.to_hex());
    if writer
        .find(SEEN_KIND, std::slice::from_ref(&tag))?
        .is_empty()
    {
        writer.put(&NewRecord {
            kind: SEEN_KIND.into(),
            tags: vec![tag],
            body: cbor(&now)?,
        })?;
    } else {
        refuse(verdict, Reason::Replay);
    }
    Ok(())
}

/// Deletes every pending request past its answer deadline, with its ephemeral key.
fn sweep_expired_requests(
    writer: &mut ProtectedWriter<'_, '_>,
    now: i64,
) -> Result<(), StoreError> {
    for record in writer.all(PENDING_KIND)? {
        let expired = ciborium::from_reader::<Pending, _>(record.body.as_slice())
            .map(|p| now > p.expires_at + RESPONSE_GRACE_SECS)
            .unwrap_or(true);
        if expired {
            writer.delete(record.id)?;
        }
    }
    Ok(())
}

/// A presentation to verify against its binding (and whether it is bound to no verifier), or
/// a verdict already reached.
type Check = Result<(Vec<u8>, super::ExpectedBinding, bool), Box<Verdict>>;

fn engaged(
    writer: &mut ProtectedWriter<'_, '_>,
    payload: &[u8],
    now: i64,
    certificates: &[Vec<u8>],
) -> Result<(Vec<Check>, Option<String>), FieldVerifierError> {
    let rejected = |reason| {
        Ok((
            vec![Err(Box::new(Verdict::rejected("unknown", reason)))],
            None,
        ))
    };
    let Ok(reference) = peek_request_ref(payload) else {
        return rejected(Reason::Malformed);
    };
    let Some(record) = find_pending(writer, &reference)? else {
        return rejected(Reason::WrongRequest);
    };
    let mut pending = read_pending(&record)?;
    if now > pending.expires_at + RESPONSE_GRACE_SECS {
        return rejected(Reason::WrongRequest);
    }
    if pending.key.is_empty() {
        // Answered before: its key is gone, and so is any way to open this copy.
        return rejected(Reason::Replay);
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
        // Names our request but does not open: altered on the way (the key stays, so the
        // holder's own code can still be scanned).
        Err(ExchangeError::Undecryptable) => return rejected(Reason::Tampered),
        Err(_) => return rejected(Reason::Malformed),
    };
    // Opened: the key has done its job. Deleted now, in the transaction that logs the verdict.
    pending.key.zeroize();
    pending.key.clear();
    writer.update(record.id, &record.tags, &cbor(&pending)?)?;
    let checks = documents
        .into_iter()
        .map(|d| {
            let expected = binding::for_request(&request, &hash, d.format);
            Ok((d.bytes, expected, false))
        })
        .collect();
    Ok((checks, pending.certificate.take()))
}

/// Verifies the QR text of a MOSIP Claim 169 identity code against the installed trust list
/// (its issuers at `now` for [`super::claim169_verdict::CLAIM169_CREDENTIAL_TYPE`]) and logs
/// the outcome (flow `claim169`). See [`super::claim169_verdict`] for what the verdict says;
/// it is never bound to a holder ([`Verdict::possession_not_proven`]).
pub fn verify_claim169(
    store: &mut WalletStore,
    qr_text: &str,
    options: &VerifyOptions<'_>,
) -> Result<Verdict, FieldVerifierError> {
    let now = options.now;
    let list = match usable_trust_list(store, now) {
        Ok(list) => list,
        Err(err) => {
            security_state::check(store)?;
            return Err(err);
        }
    };
    let trusted = list.issuers_at(now, Some(super::claim169_verdict::CLAIM169_CREDENTIAL_TYPE));
    let verdict = super::claim169_verdict::claim169_verdict(qr_text, &trusted, now, options.lang);
    security_state::write(store, |writer| {
        log(writer, "claim169", &verdict, now, None)?;
        Ok::<_, FieldVerifierError>(())
    })?;
    Ok(verdict)
}

/// Logs an answer whose QR text could not be read as a message (altered, or damaged in a way
/// a camera does not explain) as INVALID with reason `tampered`, when what can still be read
/// of it names one of this verifier's pending requests. Returns that verdict, or `None` when
/// the text names none (it cannot be attributed, and is not logged).
pub fn log_unreadable_answer(
    store: &mut WalletStore,
    qr_text: &str,
    now: i64,
) -> Result<Option<Verdict>, FieldVerifierError> {
    let Some(reference) = laissez_qr::envelope::salvage_prefix(qr_text)
        .as_deref()
        .and_then(peek_damaged_response_ref)
    else {
        return Ok(None);
    };
    security_state::write(store, |writer| {
        sweep_expired_requests(writer, now)?;
        if find_pending(writer, &reference)?.is_none() {
            return Ok(None);
        }
        let verdict = Verdict::rejected("unknown", Reason::Tampered);
        log(writer, "engaged", &verdict, now, None)?;
        Ok(Some(verdict))
    })
}

fn static_checks(payload: &[u8], now: i64, own_id: &VerifierId) -> Vec<Check> {
    let rejected = |format: &str, reason| vec![Err(Box::new(Verdict::rejected(format, reason)))];
    let Ok(p) = StaticPresentation::decode(payload) else {
        return rejected("unknown", Reason::Malformed);
    };
    if p.check_window(now).is_err() {
        return rejected(p.format.as_str(), Reason::StalePresentation);
    }
    match p.verifier {
        // Bound to another verifier: a photo carried here from there.
        Some(bound) if bound != *own_id => rejected(p.format.as_str(), Reason::WrongAudience),
        bound => vec![Ok((
            p.bytes.clone(),
            static_presentation::binding(p.format, p.window, bound.as_ref()),
            bound.is_none(),
        ))],
    }
}

/// This verifier's identifier, for holders to bind static presentations to (print
/// [`VerifierId::code`] on a poster or badge). Derived from the verifier wallet's seed.
pub fn verifier_id(store: &WalletStore) -> Result<VerifierId, StoreError> {
    let key = store.seed_key(VERIFIER_ID_LABEL, b"")?;
    let mut id = [0u8; VERIFIER_ID_LEN];
    id.copy_from_slice(&key.as_bytes()[..VERIFIER_ID_LEN]);
    Ok(VerifierId(id))
}

fn log(
    writer: &mut ProtectedWriter<'_, '_>,
    flow: &str,
    verdict: &Verdict,
    now: i64,
    certificate: Option<String>,
) -> Result<(), StoreError> {
    let entry = LogEntry {
        certificate,
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
    writer.put(&NewRecord {
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

/// Applies the retention policy to the log, and drops expired requests (with their keys) and
/// replay entries older than a day (static windows and request lifetimes are far shorter).
/// Returns how many records were removed. All in one transaction.
pub fn prune(
    store: &mut WalletStore,
    policy: RetentionPolicy,
    now: i64,
) -> Result<u64, FieldVerifierError> {
    security_state::write(store, |writer| {
        let mut doomed: Vec<RecordId> = Vec::new();
        let log = writer.all(LOG_KIND)?;
        let excess = (log.len() as u64).saturating_sub(policy.max_entries) as usize;
        for (i, record) in log.iter().enumerate() {
            let old = serde_json::from_slice::<LogEntry>(&record.body)
                .map(|e| now - e.at > policy.max_age_secs)
                .unwrap_or(true);
            if i < excess || old {
                doomed.push(record.id);
            }
        }
        for record in writer.all(PENDING_KIND)? {
            let expired = ciborium::from_reader::<Pending, _>(record.body.as_slice())
                .map(|p| now > p.expires_at + RESPONSE_GRACE_SECS)
                .unwrap_or(true);
            if expired {
                doomed.push(record.id);
            }
        }
        for record in writer.all(SEEN_KIND)? {
            if now - record.created_at > 86_400 {
                doomed.push(record.id);
            }
        }
        for id in &doomed {
            writer.delete(*id)?;
        }
        Ok(doomed.len() as u64)
    })
}
