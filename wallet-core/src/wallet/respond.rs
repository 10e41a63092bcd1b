//! The holder's side of the QR exchange: read a verifier's request, show who asks for what
//! and which credentials can answer, then answer with exactly the claims consented to.

use super::credentials::{self, CredentialSummary, Recipient};
use super::error::CredentialError;
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
    /// What could answer.
    pub candidates: Vec<Candidate>,
}

/// A scanned request, ready for the consent screen.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestView {
    /// The request.
    pub request: VerifierRequest,
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
    // A signed request is answered as an unsigned one: its signer is not shown yet (the
    // consent states of signed requests come with the holder's registrar trust list), and the
    // answer is bound to the request bytes inside it, as the verifier expects.
    let (request, hash) = match message.kind {
        MessageKind::VerifierRequest => (
            VerifierRequest::decode(&message.payload)?,
            request_hash(&message.payload),
        ),
        MessageKind::SignedRequest => {
            let opened = signed_request::open_signed_request(&message.payload, &[])?;
            (opened.request, request_hash(&opened.request_bytes))
        }
        _ => return Err(RespondError::NotARequest),
    };
    request.check_time(now)?;
    let all = credentials::list(store)?;
    let mut matches = Vec::with_capacity(request.credentials.len());
    for requested in &request.credentials {
        let mut candidates = Vec::new();
        for summary in all
            .iter()
            .filter(|c| c.credential_type == requested.credential_type)
        {
            let detail = credentials::show(store, summary.id, "en")?;
            let paths: Vec<String> = detail.claims.iter().map(|c| c.path.clone()).collect();
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
        matches.push(RequestMatch {
            requested: requested.clone(),
            candidates,
        });
    }
    Ok(RequestView {
        request,
        hash,
        matches,
    })
}

/// Answers a request with the consented claims: presentations bound to the request, encrypted
/// to the verifier's key. Returns the response message to show as QR.
pub fn respond(
    store: &mut WalletStore,
    view: &RequestView,
    consents: &[Consent],
    now: i64,
) -> Result<Envelope, RespondError> {
    view.request.check_time(now)?;
    let recipient = Recipient {
        name: Some(view.request.verifier_name.clone()),
        audience: Some(binding::audience(&view.request)),
    };
    let mut documents = Vec::new();
    for consent in consents.iter().filter(|c| !c.claims.is_empty()) {
        let stored = credentials::load(store, consent.credential_id)?;
        // Checked against what was asked of this credential's type, not of any credential.
        let asked: Vec<&str> = view
            .request
            .credentials
            .iter()
            .filter(|c| c.credential_type == stored.credential_type)
            .flat_map(|c| c.claims.iter().map(|claim| claim.path.as_str()))
            .collect();
        if let Some(extra) = consent.claims.iter().find(|c| !asked.contains(&c.as_str())) {
            return Err(RespondError::NotRequested(extra.clone()));
        }
        let presentation = credentials::present_to(
            store,
            consent.credential_id,
            &consent.claims,
            &binding::for_request(&view.request, &view.hash, stored.format),
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
    Ok(Envelope {
        kind: MessageKind::EngagedResponse,
        payload,
    })
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
) -> Result<Envelope, RespondError> {
    let stored = credentials::load(store, credential_id)?;
    let window = static_presentation::window_start(now);
    let recipient = Recipient {
        name: None,
        audience: Some(static_presentation::audience(verifier)),
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
    Ok(Envelope {
        kind: MessageKind::StaticPresentation,
        payload,
    })
}

/// Convenience for callers holding only a result type of credentials.
pub type RespondResult<T> = Result<T, RespondError>;

impl From<laissez_store::StoreError> for RespondError {
    fn from(err: laissez_store::StoreError) -> Self {
        RespondError::Credential(CredentialError::Store(err))
    }
}
