//! Verifying one presentation, whatever its transport: SD-JWT+KB or an mdoc DeviceResponse,
//! against trusted issuers, an expected session binding and a time. The result is a
//! [`Verdict`] with machine-readable reasons, never an error: bad input is a verdict too.

use super::replay_key::{self, ReplayKey};
use super::status_cache::CachedStatusList;
use super::trusted_issuer::{TrustedIssuer, anchors_of};
use super::verdict::{DisclosedClaim, IssuerInfo, PortraitProblem, Reason, StatusReport, Verdict};
use laissez_crypto::ecdsa::HighS;
use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::credential::CredentialFormat;
use laissez_formats::credential::SD_JWT_METADATA_CLAIMS;
use laissez_formats::credential::StatusReference;
use laissez_formats::credential::display::{self, DisplayMetadata};
use laissez_formats::credential::labels::CredentialLabels;
use laissez_formats::credential::portrait::{self, Portrait};
use laissez_formats::mdoc::{self, MdocError, SessionTranscript};
use laissez_formats::sdjwt::{self, SdJwt, SdJwtError, VerifyOptions};
use laissez_formats::status_list::{StatusCheck, StatusState};
use laissez_formats::type_metadata::TypeMetadataDocument;
use laissez_formats::x509::{Certificate, PathError, X509Error};

/// What the presentation must be bound to: the verifier's name for the holder's
/// [`PresentationBinding`](laissez_formats::credential::PresentationBinding), one type for
/// both sides.
pub use laissez_formats::credential::PresentationBinding as ExpectedBinding;

/// One verification to run.
#[derive(Debug, Clone)]
pub struct VerificationRequest<'a> {
    /// The presentation as received.
    pub presentation: &'a [u8],
    /// The expected binding.
    pub binding: &'a ExpectedBinding,
    /// Accepted issuers.
    pub trusted: &'a [TrustedIssuer],
    /// The time, Unix seconds.
    pub now: i64,
    /// The language for claim labels.
    pub lang: &'a str,
    /// Type Metadata documents at hand (the trust list's), which label claims before
    /// Laissez's built-in metadata; empty: built-in labels only (and, for credentials issued
    /// before type metadata, the labels signed into them).
    pub type_metadata: &'a [TypeMetadataDocument],
    /// Cached status lists to judge the credential's status with (empty: status unknown).
    pub status_lists: &'a [CachedStatusList],
    /// Oldest status data relied on, seconds (see [`DEFAULT_MAX_STATUS_AGE_SECS`]).
    pub max_status_age_secs: u64,
    /// The holder's signature (Key Binding JWT, `deviceSignature`) in its high-S form:
    /// [`HighS::Refuse`] wherever a replay decision keys on the presentation (the field
    /// verifier; every Laissez wallet signs low-S), [`HighS::Accept`] for presentations made
    /// by other wallets. Issuer signatures accept both forms.
    pub holder_high_s: HighS,
}

/// Status data older than this is reported stale: a week, since field teams may stay
/// offline for days between syncs.
pub const DEFAULT_MAX_STATUS_AGE_SECS: u64 = 7 * 86_400;

/// Verifies one presentation.
pub fn verify_presentation(request: &VerificationRequest<'_>) -> Verdict {
    verify_with_replay_key(request).0
}

/// Verifies one presentation, and for one that verified gives the key the replay cache files
/// it under: a digest of what the holder signed ([`super::replay_key`]).
pub(crate) fn verify_with_replay_key(
    request: &VerificationRequest<'_>,
) -> (Verdict, Option<ReplayKey>) {
    let text = std::str::from_utf8(request.presentation)
        .map(str::trim)
        .ok();
    let (verdict, replay) = match text {
        Some(t) if t.starts_with("ey") && t.contains('~') => verify_sd_jwt(t, request),
        _ => verify_mdoc(request),
    };
    (verdict.without_portrait_unless_valid(), replay)
}

fn reason_of_sd_jwt(err: &SdJwtError) -> Reason {
    match err {
        SdJwtError::TooLarge { .. } => Reason::TooLarge,
        SdJwtError::UnsupportedAlgorithm { .. } | SdJwtError::UnsupportedHolderKey => {
            Reason::UnsupportedAlgorithm
        }
        SdJwtError::BadIssuerSignature => Reason::BadIssuerSignature,
        SdJwtError::IssuerPath(PathError::Expired { .. }) => Reason::Expired,
        SdJwtError::IssuerPath(PathError::NotYetValid { .. }) => Reason::NotYetValid,
        SdJwtError::IssuerPath(_) => Reason::UntrustedChain,
        SdJwtError::IssuerNameMismatch => Reason::IssuerNameMismatch,
        SdJwtError::UnreferencedDisclosure
        | SdJwtError::DuplicateDisclosure
        | SdJwtError::DuplicateDigest
        | SdJwtError::SdHashMismatch => Reason::DigestMismatch,
        SdJwtError::Expired => Reason::Expired,
        SdJwtError::NotYetValid => Reason::NotYetValid,
        SdJwtError::MissingKeyBinding | SdJwtError::MissingHolderKey => {
            Reason::MissingHolderBinding
        }
        SdJwtError::BadKeyBindingSignature
        | SdJwtError::NonCanonicalSignature { .. }
        | SdJwtError::HolderKeyMismatch => Reason::BadHolderSignature,
        SdJwtError::NonceMismatch => Reason::WrongNonce,
        SdJwtError::AudienceMismatch => Reason::WrongAudience,
        SdJwtError::KeyBindingTooOld | SdJwtError::KeyBindingInFuture => Reason::StalePresentation,
        SdJwtError::WrongType { .. } => Reason::WrongCredentialType,
        _ => Reason::Malformed,
    }
}

fn reason_of_mdoc(err: &MdocError) -> Reason {
    match err {
        MdocError::TooLarge(_) => Reason::TooLarge,
        MdocError::UnsupportedAlgorithm(_) => Reason::UnsupportedAlgorithm,
        MdocError::BadIssuerSignature => Reason::BadIssuerSignature,
        MdocError::UntrustedIssuer => Reason::UnknownIssuer,
        MdocError::Certificate(X509Error::Path(_)) => Reason::UntrustedChain,
        MdocError::CountryMismatch => Reason::IssuerNotAllowed,
        MdocError::DigestMismatch { .. } | MdocError::MissingDigest { .. } => {
            Reason::DigestMismatch
        }
        MdocError::Expired(_) => Reason::Expired,
        MdocError::NotYetValid(_) => Reason::NotYetValid,
        MdocError::BadDeviceSignature
        | MdocError::NonCanonicalSignature
        | MdocError::BadDeviceMac
        | MdocError::DeviceKeyMismatch => Reason::BadHolderSignature,
        MdocError::MissingDeviceAuth | MdocError::DeviceMacNotSupported => {
            Reason::MissingHolderBinding
        }
        MdocError::DocTypeMismatch { .. } => Reason::WrongCredentialType,
        _ => Reason::Malformed,
    }
}

/// Refuses a verdict whose trusted issuer may not vouch for its type (or, for mdoc, its
/// issuing country): the trust list names what each anchor is trusted for.
fn check_scope(verdict: &mut Verdict, issuer: &TrustedIssuer, country: Option<Option<&str>>) {
    let type_ok = issuer.allows_type(verdict.credential_type.as_deref());
    let country_ok = country.is_none_or(|c| issuer.allows_country(c));
    if !(type_ok && country_ok) {
        verdict.valid = false;
        verdict.reasons.push(Reason::IssuerNotAllowed);
        verdict.claims.clear();
    }
}

fn verify_sd_jwt(text: &str, request: &VerificationRequest<'_>) -> (Verdict, Option<ReplayKey>) {
    const FORMAT: &str = "sd-jwt";
    let ExpectedBinding::NonceAudience { nonce, audience } = request.binding else {
        return (Verdict::rejected(FORMAT, Reason::WrongNonce), None);
    };
    let parsed = match SdJwt::parse(text) {
        Ok(parsed) => parsed,
        Err(err) => return (Verdict::rejected(FORMAT, reason_of_sd_jwt(&err)), None),
    };
    let anchors = anchors_of(request.trusted);
    // An issuer with an x5c chain to an anchor verifies with its leaf key only; otherwise an
    // anchor's own key must have signed (pinned keys and certificates).
    let (keys, chained_anchor) = match sdjwt::chained_issuer(&parsed, &anchors, request.now) {
        Ok(Some(chained)) => (vec![chained.key], Some(chained.anchor)),
        Ok(None) => (
            request.trusted.iter().map(|t| t.key.clone()).collect(),
            None,
        ),
        Err(err) => return (Verdict::rejected(FORMAT, reason_of_sd_jwt(&err)), None),
    };
    let options = VerifyOptions {
        holder_high_s: request.holder_high_s,
        ..VerifyOptions::new(nonce.clone(), audience.clone(), request.now)
    };
    let verified = match sdjwt::verify_presentation(text, &keys, &options) {
        Ok(verified) => verified,
        Err(SdJwtError::BadIssuerSignature) => {
            // Signed by the key its certificate names, but that issuer is not trusted?
            let carried = parsed
                .issuer_jwt()
                .header()
                .x5c()
                .first()
                .and_then(|der| Certificate::from_der(der).ok());
            let reason = match carried {
                Some(cert)
                    if sdjwt::verify_presentation(text, &[cert.public_key().clone()], &options)
                        .is_ok() =>
                {
                    Reason::UnknownIssuer
                }
                _ => Reason::BadIssuerSignature,
            };
            return (Verdict::rejected(FORMAT, reason), None);
        }
        Err(err) => return (Verdict::rejected(FORMAT, reason_of_sd_jwt(&err)), None),
    };
    // Key binding is required, so a verified presentation has one.
    let replay = verified.key_binding.as_ref().and_then(|kb| {
        let input = parsed.key_binding_jwt()?.signing_input().to_owned();
        Some(replay_key::sd_jwt(&input, &kb.holder_key))
    });
    let credential = verified.credential;
    let signer_key = keys.get(credential.issuer_key_index).cloned();
    let anchor = chained_anchor
        .or(Some(credential.issuer_key_index))
        .and_then(|i| request.trusted.get(i));
    let labels = CredentialLabels::choose(
        CredentialFormat::SdJwt,
        credential.vct.as_deref().unwrap_or_default(),
        credential
            .claims
            .get("vct#integrity")
            .and_then(serde_json::Value::as_str),
        request.type_metadata,
        credential
            .claims
            .get(display::SD_JWT_CLAIM)
            .and_then(DisplayMetadata::from_json),
    );
    let claims = credential
        .claims
        .iter()
        .filter(|(name, _)| {
            !SD_JWT_METADATA_CLAIMS.contains(&name.as_str()) && *name != display::SD_JWT_CLAIM
        })
        .map(|(name, value)| DisclosedClaim {
            path: name.clone(),
            value: value.clone(),
            label: labels.claim_label(name, request.lang),
        })
        .collect();
    let issuer = signer_key.as_ref().map(|key| IssuerInfo {
        name: anchor
            .and_then(|t| t.name.clone())
            .or_else(|| labels.issuer_name(request.lang))
            .or(credential.issuer.clone()),
        key_fingerprint: key.fingerprint(),
    });
    let mut verdict = Verdict {
        valid: true,
        reasons: Vec::new(),
        format: FORMAT.into(),
        credential_type: credential.vct.clone(),
        issuer,
        claims,
        status: None,
        unbound: false,
        labels_withheld: labels.withheld().map(Into::into),
        portrait: None,
        portrait_problem: None,
        possession_not_proven: false,
    };
    if let Some(value) = credential.claims.get(portrait::SD_JWT_CLAIM) {
        let read = match value {
            serde_json::Value::String(url) => Portrait::from_data_url(url),
            _ => Err(PortraitProblem::NotJpegValue),
        };
        verdict.set_portrait(portrait::SD_JWT_CLAIM, read);
    }
    let Some(anchor) = anchor else {
        return (Verdict::rejected(FORMAT, Reason::UnknownIssuer), None);
    };
    check_scope(&mut verdict, anchor, None);
    if !verdict.valid {
        return (verdict, None);
    }
    let verdict = with_status(verdict, credential.status.as_ref(), &anchor.key, request);
    (verdict, replay)
}

fn verify_mdoc(request: &VerificationRequest<'_>) -> (Verdict, Option<ReplayKey>) {
    const FORMAT: &str = "mdoc";
    let transcript = match request.binding {
        ExpectedBinding::NonceAudience { nonce, audience } => {
            SessionTranscript::openid4vp(audience, nonce, None, audience)
        }
        ExpectedBinding::SessionTranscript(bytes) => SessionTranscript::from_bytes(bytes),
    };
    let Ok(transcript) = transcript else {
        return (Verdict::rejected(FORMAT, Reason::Malformed), None);
    };
    let anchors = anchors_of(request.trusted);
    let options = mdoc::VerifyOptions {
        now: request.now,
        trust_anchors: &anchors,
        session_transcript: &transcript,
        expected_doc_type: None,
        reader_key: None,
        holder_high_s: request.holder_high_s,
    };
    let documents = match mdoc::verify_device_response(request.presentation, &options) {
        Ok(documents) => documents,
        Err(err) => return (Verdict::rejected(FORMAT, reason_of_mdoc(&err)), None),
    };
    let Some(document) = documents.first() else {
        return (Verdict::rejected(FORMAT, Reason::Malformed), None);
    };
    let replay = replay_key::mdoc(
        request.presentation,
        transcript.as_bytes(),
        &document.doc_type,
        &document.device_key,
    );
    let embedded = document
        .element(display::MDOC_NAMESPACE, display::MDOC_ELEMENT)
        .and_then(|v| match v {
            mdoc::CborValue::Text(json) if json.len() <= display::MAX_DISPLAY_BYTES => {
                serde_json::from_str(json)
                    .ok()
                    .and_then(|j| DisplayMetadata::from_json(&j))
            }
            _ => None,
        });
    let labels = CredentialLabels::choose(
        CredentialFormat::Mdoc,
        &document.doc_type,
        None,
        request.type_metadata,
        embedded,
    );
    let mut claims = Vec::new();
    for namespace in document
        .issuer_signed
        .iter()
        .filter(|n| n.namespace != display::MDOC_NAMESPACE)
    {
        for element in &namespace.elements {
            let path = format!("{}/{}", namespace.namespace, element.identifier);
            claims.push(DisclosedClaim {
                label: labels.claim_label(&path, request.lang),
                value: element.to_json(),
                path,
            });
        }
    }
    let key = document.issuer.key.clone();
    let Some(anchor) = document.issuer.anchor.and_then(|i| request.trusted.get(i)) else {
        return (Verdict::rejected(FORMAT, Reason::UnknownIssuer), None);
    };
    let country = document
        .issuer
        .certificate
        .as_ref()
        .and_then(Certificate::country)
        .or_else(
            || match document.element(mdoc::MDL_NAMESPACE, "issuing_country") {
                Some(mdoc::CborValue::Text(country)) => Some(country.as_str()),
                _ => None,
            },
        );
    let mut verdict = Verdict {
        valid: true,
        reasons: Vec::new(),
        format: FORMAT.into(),
        credential_type: Some(document.doc_type.clone()),
        issuer: Some(IssuerInfo {
            name: anchor
                .name
                .clone()
                .or_else(|| labels.issuer_name(request.lang))
                .or_else(|| document.issuer.common_name().map(str::to_owned)),
            key_fingerprint: key.fingerprint(),
        }),
        claims,
        status: None,
        unbound: false,
        labels_withheld: labels.withheld().map(Into::into),
        portrait: None,
        portrait_problem: None,
        possession_not_proven: false,
    };
    let signed_portrait = document
        .issuer_signed
        .iter()
        .flat_map(|n| n.elements.iter().map(move |e| (n, e)))
        .find(|(_, e)| e.identifier == portrait::MDOC_ELEMENT);
    if let Some((namespace, element)) = signed_portrait {
        let read = match &element.value {
            mdoc::CborValue::Bytes(jpeg) => Portrait::from_jpeg(jpeg.clone()),
            _ => Err(PortraitProblem::NotJpegValue),
        };
        let path = format!("{}/{}", namespace.namespace, element.identifier);
        verdict.set_portrait(&path, read);
    }
    check_scope(&mut verdict, anchor, Some(country));
    if !verdict.valid {
        return (verdict, None);
    }
    (
        with_status(verdict, document.status.as_ref(), &anchor.key, request),
        replay,
    )
}

/// Judges the credential's status from the cached list signed for its URI under the same
/// trusted issuer (`anchor_key`: the trusted entry's key, so a list signed by another key of
/// the issuer's chain counts). Only fresh data saying revoked or suspended turns a verdict
/// invalid.
fn with_status(
    mut verdict: Verdict,
    reference: Option<&StatusReference>,
    anchor_key: &IssuerKey,
    request: &VerificationRequest<'_>,
) -> Verdict {
    let Some(reference) = reference else {
        return verdict;
    };
    let cached = request
        .status_lists
        .iter()
        .find(|c| c.list.uri == reference.uri && &c.issuer_key == anchor_key);
    let outcome = StatusCheck::evaluate(
        cached.map(|c| &c.list),
        cached.map(|c| c.fetched_at),
        reference,
        request.now,
        request.max_status_age_secs,
    );
    let refusal = match outcome.state {
        StatusState::Revoked => Some(Reason::Revoked),
        StatusState::Suspended => Some(Reason::Suspended),
        StatusState::Valid | StatusState::Unknown | StatusState::Stale => None,
    };
    if let Some(reason) = refusal {
        verdict.valid = false;
        verdict.reasons.push(reason);
        verdict.claims.clear();
    }
    verdict.status = Some(StatusReport {
        state: outcome.state,
        age_secs: outcome.age_secs,
        last_known: outcome.listed.map(StatusReport::last_known_text),
        uri: reference.uri.clone(),
        index: reference.index,
    });
    verdict
}
