//! The holder's side of the QR exchange: read a verifier's request, show who asks for what
//! and which credentials can answer, then answer with exactly the claims consented to.
//!
//! Consent tells the truth (ADR 0021): the view says who asks as the wallet could establish
//! it ([`VerifierIdentity`]) and marks each requested claim within or beyond the verifier's
//! registered scope. [`respond`] sends nothing to an unverified verifier without an
//! [`UnverifiedAcknowledgement`] of this very request, and no claim beyond the scope unless
//! the consent lists it in [`Consent::allowed_beyond_scope`].

use super::credentials::{self, CredentialSummary, Recipient};
use super::error::CredentialError;
use super::known_verifiers;
use super::signed_request_evidence::opened_certificate;
use super::verifier_identity::{self, RequestEvidence, VerifierIdentity};
use crate::exchange::static_presentation::{self, StaticPresentation};
use crate::exchange::{
    ExchangeError, RequestedClaim, RequestedCredential, ResponseDocument, VerifierId,
    VerifierRequest, binding, request_hash, seal_response, signed_request,
};
use laissez_qr::{Envelope, MessageKind};
use laissez_store::{RecordId, WalletStore};

/// Why the holder could not answer.
#[derive(Debug, thiserror::Error)]
pub enum RespondError {
    /// A credential operation failed.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// The request or response is not acceptable.
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    /// The QR was not a verifier request.
    #[error("this QR code is not a verifier's request")]
    NotARequest,
    /// The consent names a claim the request did not ask for.
    #[error("the claim '{0}' was not asked for")]
    NotRequested(String),
    /// Nothing was consented to.
    #[error("nothing to send: no claim was consented to")]
    NothingConsented,
    /// The verifier is unverified and the consent carries no acknowledgement of this request's
    /// warning (none, or one for another request).
    #[error("the verifier is unverified: the person must acknowledge the warning first")]
    UnverifiedNotAcknowledged,
    /// The consent names a claim beyond the verifier's registered scope that the person did
    /// not turn on by hand.
    #[error("the claim '{0}' is beyond the verifier's registered scope")]
    BeyondScope(String),
    /// The holder's trust list could not be read.
    #[error(transparent)]
    TrustList(#[from] crate::verifier::trust_store::TrustStoreError),
}

/// One requested claim, marked within or beyond the verifier's registered scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedClaim {
    /// What was asked.
    pub claim: RequestedClaim,
    /// Whether the verifier's registered scope covers it: always `false` for an unverified
    /// verifier (its whole request is unchecked).
    pub within_scope: bool,
}

/// A credential that can answer one requested credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The credential.
    pub credential: CredentialSummary,
    /// For each requested claim, whether this credential has it.
    pub claims: Vec<(RequestedClaim, bool)>,
    /// Whether it has every required claim.
    pub satisfies_required: bool,
}

/// One requested credential and the wallet's candidates for it.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestMatch {
    /// What was asked.
    pub requested: RequestedCredential,
    /// Each requested claim (in the request's order), within the registered scope or not.
    pub claims: Vec<ScopedClaim>,
    /// What could answer.
    pub candidates: Vec<Candidate>,
}

/// A scanned request, ready for the consent screen.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestView {
    /// The request. Its `verifier_name` and `purpose` are the verifier's own words: show
    /// [`RequestView::identity`] instead.
    pub request: VerifierRequest,
    /// Who asks, as the wallet could establish it.
    pub identity: VerifierIdentity,
    /// The registration certificate of a verified verifier: kept once the person answers it,
    /// so its next requests may name it by reference ([`super::known_verifiers`]).
    pub certificate: Option<Vec<u8>>,
    /// Its hash (what the answer is bound to).
    pub hash: [u8; 32],
    /// Per requested credential, the wallet's candidates.
    pub matches: Vec<RequestMatch>,
}

/// What the person agreed to send from one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The credential.
    pub credential_id: RecordId,
    /// The claim paths, as in the request.
    pub claims: Vec<String>,
    /// The claims of `claims` beyond the verifier's registered scope that the person turned on
    /// by hand; any other claim beyond the scope is refused ([`RespondError::BeyondScope`]).
    /// For an unverified verifier the [`UnverifiedAcknowledgement`] covers the whole request.
    pub allowed_beyond_scope: Vec<String>,
}

/// The person saw the warning that the verifier of one request is unverified, and took the
/// extra step to answer anyway. Bound to the request it was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnverifiedAcknowledgement {
    request_hash: [u8; 32],
}

impl UnverifiedAcknowledgement {
    /// The acknowledgement of `view`'s warning: give it only after the person saw it.
    pub fn of(view: &RequestView) -> Self {
        Self {
            request_hash: view.hash,
        }
    }
}

fn has_claim(paths: &[String], wanted: &str) -> bool {
    paths
        .iter()
        .any(|p| p == wanted || p.rsplit('/').next() == Some(wanted))
}

/// Reads a request message and matches it against the wallet's credentials.
pub fn read_request(
    store: &WalletStore,
    message: &Envelope,
    now: i64,
) -> Result<RequestView, RespondError> {
    // A signed request's answer is bound to the request bytes inside it, as the verifier
    // expects; who signed it is decided against the holder's registrars (ADR 0020, 0021).
    let (request, hash, evidence) = match message.kind {
        MessageKind::VerifierRequest => (
            VerifierRequest::decode(&message.payload)?,
            request_hash(&message.payload),
            None,
        ),
        MessageKind::SignedRequest => {
            // A request may name its certificate by reference when the person answered that
            // verifier before; an unknown reference reads as no certificate.
            let known =
                known_verifiers::known_certificates(store).map_err(CredentialError::from)?;
            let opened = signed_request::open_signed_request(&message.payload, &known)?;
            let hash = request_hash(&opened.request_bytes);
            (opened.request, hash, Some(opened.evidence))
        }
        _ => return Err(RespondError::NotARequest),
    };
    request.check_time(now)?;
    let opened = evidence.as_ref().map(opened_certificate);
    let evidence = match &opened {
        None => RequestEvidence::Unsigned,
        Some(Ok(certificate)) => RequestEvidence::Certificate(certificate),
        Some(Err(evidence)) => *evidence,
    };
    let identity = identify_in(store, &request, evidence, now)?;
    let certificate = match (&identity, opened) {
        (VerifierIdentity::Verified(_), Some(Ok(certificate))) => Some(certificate.into_bytes()),
        _ => None,
    };
    let all = credentials::list(store)?;
    let mut matches = Vec::with_capacity(request.credentials.len());
    for requested in &request.credentials {
        let mut candidates = Vec::new();
        for summary in all
            .iter()
            .filter(|c| c.credential_type == requested.credential_type)
        {
            // The paths only: the list above already judged the issuer's trust once.
            let paths = credentials::claim_paths(store, summary.id)?;
            let claims: Vec<(RequestedClaim, bool)> = requested
                .claims
                .iter()
                .map(|c| (c.clone(), has_claim(&paths, &c.path)))
                .collect();
            let satisfies_required = claims.iter().all(|(c, has)| *has || !c.required);
            candidates.push(Candidate {
                credential: summary.clone(),
                claims,
                satisfies_required,
            });
        }
        let claims = requested
            .claims
            .iter()
            .map(|claim| ScopedClaim {
                claim: claim.clone(),
                within_scope: identity.within_scope(&requested.credential_type, &claim.path),
            })
            .collect();
        matches.push(RequestMatch {
            requested: requested.clone(),
            claims,
            candidates,
        });
    }
    Ok(RequestView {
        request,
        identity,
        certificate,
        hash,
        matches,
    })
}

/// Who asks, against the registrars of the trust list installed in `store` (read only when
/// there is a certificate to check: an unsigned request does not depend on the list).
fn identify_in(
    store: &WalletStore,
    request: &VerifierRequest,
    evidence: RequestEvidence<'_>,
    now: i64,
) -> Result<VerifierIdentity, RespondError> {
    let registrars = match evidence {
        RequestEvidence::Unsigned => Vec::new(),
        _ => verifier_identity::trusted_registrars(store, now)?,
    };
    Ok(verifier_identity::identify(
        request,
        evidence,
        &registrars,
        now,
    ))
}

/// Answers a request with the consented claims: presentations bound to the request, encrypted
/// to the verifier's key. Returns the response message to show as QR.
///
/// Every consent is checked before anything is presented, so a refused consent sends and
/// records nothing: an unverified verifier needs `acknowledgement` of this request
/// ([`RespondError::UnverifiedNotAcknowledged`]); a verified one gets a claim beyond its
/// registered scope only when the consent lists it in [`Consent::allowed_beyond_scope`]
/// ([`RespondError::BeyondScope`]); a claim not asked for is refused
/// ([`RespondError::NotRequested`]).
pub fn respond(
    store: &mut WalletStore,
    view: &RequestView,
    consents: &[Consent],
    acknowledgement: Option<UnverifiedAcknowledgement>,
    now: i64,
) -> Result<Envelope, RespondError> {
    view.request.check_time(now)?;
    if !view.identity.is_verified() && acknowledgement != Some(UnverifiedAcknowledgement::of(view))
    {
        return Err(RespondError::UnverifiedNotAcknowledged);
    }
    let recipient = Recipient {
        name: Some(view.request.verifier_name.clone()),
        audience: Some(binding::audience(&view.request)),
        identity: Some(view.identity.for_history()),
    };
    let mut checked = Vec::new();
    for consent in consents.iter().filter(|c| !c.claims.is_empty()) {
        let stored = credentials::load(store, consent.credential_id)?;
        check_consent(view, &stored.credential_type, consent)?;
        checked.push((consent, stored.format));
    }
    let mut documents = Vec::new();
    for (consent, format) in checked {
        let presentation = credentials::present_to(
            store,
            consent.credential_id,
            &consent.claims,
            &binding::for_request(&view.request, &view.hash, format),
            &recipient,
            now,
            None,
        )?;
        documents.push(ResponseDocument {
            format: presentation.format,
            bytes: presentation.bytes,
        });
    }
    if documents.is_empty() {
        return Err(RespondError::NothingConsented);
    }
    let payload = seal_response(&view.request, &view.hash, &documents)?;
    if let Some(certificate) = &view.certificate {
        known_verifiers::remember(store, certificate).map_err(CredentialError::from)?;
    }
    Ok(Envelope {
        kind: MessageKind::EngagedResponse,
        payload,
    })
}

/// Checks one consent for a credential of `credential_type` against what was asked of that
/// type (not of any credential) and, for a verified verifier, its registered scope.
fn check_consent(
    view: &RequestView,
    credential_type: &str,
    consent: &Consent,
) -> Result<(), RespondError> {
    let asked: Vec<&str> = view
        .request
        .credentials
        .iter()
        .filter(|c| c.credential_type == credential_type)
        .flat_map(|c| c.claims.iter().map(|claim| claim.path.as_str()))
        .collect();
    if let Some(extra) = consent.claims.iter().find(|c| !asked.contains(&c.as_str())) {
        return Err(RespondError::NotRequested(extra.clone()));
    }
    // An unverified verifier has no scope: the acknowledgement covered its whole request.
    if view.identity.is_verified() {
        let beyond = consent.claims.iter().find(|path| {
            !view.identity.within_scope(credential_type, path)
                && !consent.allowed_beyond_scope.contains(path)
        });
        if let Some(path) = beyond {
            return Err(RespondError::BeyondScope(path.clone()));
        }
    }
    Ok(())
}

/// A static presentation ready to show, with when verifiers stop accepting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticMessage {
    /// The message to show as QR codes.
    pub envelope: Envelope,
    /// Unix seconds from which verifiers reject it as out of its window
    /// ([`static_presentation::accepted_until`] of the `now` it was bound with): what the
    /// holder's countdown shows.
    pub accepted_until: i64,
}

/// A static presentation of `claims` bound to the current time window, for a verifier that
/// cannot show a request, and to `verifier` when the holder knows its identifier (scanned
/// from its poster or badge): only that verifier accepts it then. Without one, any verifier
/// accepts it within its window (and says it is not bound to it).
pub fn present_static(
    store: &mut WalletStore,
    credential_id: RecordId,
    claims: &[String],
    now: i64,
    verifier: Option<&VerifierId>,
) -> Result<StaticMessage, RespondError> {
    let stored = credentials::load(store, credential_id)?;
    let window = static_presentation::window_start(now);
    let recipient = Recipient {
        name: None,
        audience: Some(static_presentation::audience(verifier)),
        identity: None,
    };
    let presentation = credentials::present_to(
        store,
        credential_id,
        claims,
        &static_presentation::binding(stored.format, window, verifier),
        &recipient,
        now,
        None,
    )?;
    let payload = StaticPresentation {
        format: presentation.format,
        bytes: presentation.bytes,
        window,
        verifier: verifier.copied(),
    }
    .encode()?;
    Ok(StaticMessage {
        envelope: Envelope {
            kind: MessageKind::StaticPresentation,
            payload,
        },
        accepted_until: static_presentation::accepted_until(now),
    })
}

/// Convenience for callers holding only a result type of credentials.
pub type RespondResult<T> = Result<T, RespondError>;

impl From<laissez_store::StoreError> for RespondError {
    fn from(err: laissez_store::StoreError) -> Self {
        RespondError::Credential(CredentialError::Store(err))
    }
}

#[cfg(all(test, feature = "issue"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use super::*;
    use crate::exchange::{RequestedClaim, RequestedCredential};
    use crate::verifier::trust_list::TrustList;
    use crate::verifier::trust_list_registrars::TrustedRegistrar;
    use crate::verifier::trust_store;
    use crate::wallet::verifier_identity::{
        CertificateStatement, RequestCertificate, RequestSignature, UnverifiedReason,
    };
    use laissez_crypto::ecdsa::{SigningKey, VerifyingKey};
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_store::StoreOptions;

    const NOW: i64 = 1_790_000_000;

    struct Signed {
        statement: CertificateStatement,
        registrar: VerifyingKey,
    }

    impl RequestCertificate for Signed {
        fn statement(&self) -> &CertificateStatement {
            &self.statement
        }
        fn is_signed_by(&self, registrar_key: &VerifyingKey) -> bool {
            registrar_key == &self.registrar
        }
        fn request_signature(&self) -> RequestSignature {
            RequestSignature::Verifies
        }
    }

    #[test]
    fn signed_requests_are_identified_against_the_installed_registrars_only() {
        let dir = tempfile::tempdir().unwrap();
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        let (mut store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
        let request = VerifierRequest {
            nonce: [1; 16],
            verifier_key: SigningKey::generate().unwrap().public_key().clone(),
            verifier_name: "UNHCR".into(),
            purpose: "Registration".into(),
            credentials: vec![RequestedCredential {
                credential_type: "urn:t".into(),
                claims: vec![RequestedClaim {
                    path: "given_name".into(),
                    required: true,
                }],
            }],
            created_at: NOW,
            expires_at: NOW + 60,
            known_certificates: Vec::new(),
        };
        let registrar_key = SigningKey::generate().unwrap().public_key().clone();
        let certificate = Signed {
            statement: CertificateStatement {
                registrar_id: "urn:registrar:1".into(),
                organisation: "Aid Org".into(),
                country: "GR".into(),
                purposes: vec!["Food".into()],
                scope: BTreeMap::new(),
                valid_from: NOW - 10,
                valid_until: NOW + 10,
                reference: [9; 8],
            },
            registrar: registrar_key.clone(),
        };
        let evidence = RequestEvidence::Certificate(&certificate);
        let reason = |identity: VerifierIdentity| match identity {
            VerifierIdentity::Unverified { reason, .. } => Some(reason),
            VerifierIdentity::Verified(_) => None,
        };
        // No list installed: nothing can be checked.
        assert_eq!(
            reason(identify_in(&store, &request, evidence, NOW).unwrap()),
            Some(UnverifiedReason::NoVerifierTrustList)
        );
        let signer = SigningKey::generate().unwrap();
        let mut list = TrustList::new(1, NOW - 60, 30);
        list.add_registrar(TrustedRegistrar {
            id: "urn:registrar:1".into(),
            name: "Coordination body".into(),
            country: "NL".into(),
            key: registrar_key,
            valid_from: NOW - 60,
            valid_until: NOW + 86_400,
        })
        .unwrap();
        let text = list.sign(&signer).unwrap();
        trust_store::install(&mut store, &text, Some(signer.public_key()), NOW).unwrap();
        match identify_in(&store, &request, evidence, NOW).unwrap() {
            VerifierIdentity::Verified(verified) => {
                assert_eq!(verified.registrar, "Coordination body");
                assert_eq!(verified.organisation, "Aid Org");
            }
            other => panic!("not verified: {other:?}"),
        }
        // An unsigned request stays unverified whatever the list says.
        assert_eq!(
            reason(identify_in(&store, &request, RequestEvidence::Unsigned, NOW).unwrap()),
            Some(UnverifiedReason::NoCertificate)
        );
    }
}
