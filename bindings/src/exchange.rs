//! The holder's side of the offline QR exchange, on a [`Wallet`]: read a scanned verifier
//! request (who asks, why, for what, and which credentials can answer), answer it with the
//! claims the person consented to as QR codes, or show a static presentation. Thin wrappers
//! over `wallet_core::wallet::respond`.
//!
//! The flow in an app:
//! 1. a `QrScanner` completes a `QrMessage` of kind `VerifierRequest`;
//! 2. `wallet.readRequest(message)` gives a [`RequestView`] for the consent screen: who asks
//!    ([`VerifierIdentity`]: verified from a registration certificate, or unverified with the
//!    request's own text marked as unchecked) and which claims are beyond its registered scope;
//! 3. `wallet.respond(message, consents, acknowledgement)` gives the [`QrFrame`]s to show the
//!    verifier. An unverified verifier needs the person's [`UnverifiedAcknowledgement`], and a
//!    claim beyond the scope the person's own toggle ([`Consent::allowed_beyond_scope`]).

use wallet_core::exchange::{
    RequestedClaim as CoreClaim, RequestedCredential as CoreRequested, VerifierId,
};
use wallet_core::qr::{Envelope, MessageKind};
use wallet_core::store::RecordId;
use wallet_core::wallet::respond::{
    self, Candidate, Consent as CoreConsent, RequestMatch, RequestView as CoreView,
};

use crate::credentials::CredentialSummary;
use crate::exchange_error::ExchangeError;
use crate::qr::{FrameOptions, QrFrame, QrMessage, display_frames_async};
use crate::verifier_identity::{UnverifiedAcknowledgement, VerifierIdentity};
use crate::wallet::Wallet;

/// One claim a verifier asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
pub struct RequestedClaim {
    /// Claim path: `given_name`, `address.locality`, or for mdoc an element name or
    /// `namespace/element`.
    pub path: String,
    /// Whether the verifier cannot proceed without it (the holder may still withhold it).
    pub required: bool,
    /// Whether this claim is the holder's portrait (SD-JWT VC `picture`, mdoc `portrait`):
    /// the consent screen says "your photo will be shared". Set when a request is read;
    /// ignored when a verifier builds one.
    #[uniffi(default = false)]
    pub portrait: bool,
    /// Whether a verified verifier's registered scope covers this claim. For a verified
    /// verifier, a claim outside the scope is marked on the consent screen and sent only when
    /// the person turns it on ([`Consent::allowed_beyond_scope`]). Always false for an
    /// unverified verifier: nothing covers its request, and its one warning and
    /// acknowledgement stand for every claim (no per-claim toggle). Set when a request is
    /// read; ignored when a verifier builds one.
    #[uniffi(default = true)]
    pub within_scope: bool,
}

/// One credential a verifier asks for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestedCredential {
    /// The vct (SD-JWT VC) or docType (mdoc) asked for.
    pub credential_type: String,
    /// The claims asked for.
    pub claims: Vec<RequestedClaim>,
}

impl From<CoreClaim> for RequestedClaim {
    fn from(c: CoreClaim) -> Self {
        RequestedClaim {
            portrait: c.is_portrait(),
            path: c.path,
            required: c.required,
            within_scope: true,
        }
    }
}

impl From<RequestedClaim> for CoreClaim {
    fn from(c: RequestedClaim) -> Self {
        CoreClaim {
            path: c.path,
            required: c.required,
        }
    }
}

impl From<RequestedCredential> for CoreRequested {
    fn from(c: RequestedCredential) -> Self {
        CoreRequested {
            credential_type: c.credential_type,
            claims: c.claims.into_iter().map(Into::into).collect(),
        }
    }
}

/// One requested claim, as one candidate credential can answer it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CandidateClaim {
    /// The requested path (give it back in [`Consent::claims`]).
    pub path: String,
    /// Whether the verifier marked it required.
    pub required: bool,
    /// Whether this credential has it.
    pub available: bool,
    /// Whether the verifier's registered scope covers it (see [`RequestedClaim::within_scope`]).
    pub within_scope: bool,
}

/// A credential in the wallet that can answer a requested credential.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CandidateCredential {
    /// The credential (its id goes in [`Consent::credential_id`]; labels are in its display
    /// metadata).
    pub credential: CredentialSummary,
    /// Every requested claim, in the request's order, and whether this credential has it.
    pub claims: Vec<CandidateClaim>,
    /// Whether it has every required claim.
    pub satisfies_required: bool,
}

impl CandidateCredential {
    fn of(c: Candidate, beyond_scope: &[String]) -> Self {
        CandidateCredential {
            credential: c.credential.into(),
            claims: c
                .claims
                .into_iter()
                .map(|(claim, available)| CandidateClaim {
                    within_scope: !beyond_scope.contains(&claim.path),
                    path: claim.path,
                    required: claim.required,
                    available,
                })
                .collect(),
            satisfies_required: c.satisfies_required,
        }
    }
}

/// One requested credential and the wallet's credentials that can answer it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestedCredentialMatch {
    /// The vct or docType asked for.
    pub credential_type: String,
    /// The claims asked for.
    pub claims: Vec<RequestedClaim>,
    /// The wallet's credentials of that type (empty when it has none).
    pub candidates: Vec<CandidateCredential>,
}

impl From<RequestMatch> for RequestedCredentialMatch {
    fn from(m: RequestMatch) -> Self {
        let beyond_scope: Vec<String> = m
            .claims
            .iter()
            .filter(|c| !c.within_scope)
            .map(|c| c.claim.path.clone())
            .collect();
        RequestedCredentialMatch {
            credential_type: m.requested.credential_type,
            claims: m
                .claims
                .into_iter()
                .map(|scoped| RequestedClaim {
                    within_scope: scoped.within_scope,
                    ..scoped.claim.into()
                })
                .collect(),
            candidates: m
                .candidates
                .into_iter()
                .map(|c| CandidateCredential::of(c, &beyond_scope))
                .collect(),
        }
    }
}

/// A scanned verifier request, ready for the consent screen: who asks ([`VerifierIdentity`]),
/// for what, until when, and which credentials can answer. There is deliberately no plain
/// "verifier name": a verified verifier's name comes from its certificate, an unverified
/// one's is only its claim.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestView {
    /// Who asks: verified from a registration certificate, or unverified with the request's
    /// own (unchecked) name and purpose.
    pub identity: VerifierIdentity,
    /// This request's id (64 hex digits), for an [`UnverifiedAcknowledgement`].
    pub request_id: String,
    /// When the request was made, Unix seconds.
    pub created_at: i64,
    /// When it can no longer be answered, Unix seconds.
    pub expires_at: i64,
    /// Per requested credential, what is asked and the wallet's candidates.
    pub credentials: Vec<RequestedCredentialMatch>,
}

/// What the person agreed to send from one credential.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Consent {
    /// The credential's id (from [`CandidateCredential::credential`]).
    pub credential_id: String,
    /// The requested claim paths to disclose (from [`CandidateClaim::path`]); a consent with
    /// none is skipped.
    pub claims: Vec<String>,
    /// The claims of `claims` beyond the verifier's registered scope that the person turned on
    /// one by one; any other claim beyond the scope is refused (`ExchangeError.BeyondScope`).
    #[uniffi(default = [])]
    pub allowed_beyond_scope: Vec<String>,
}

impl From<CoreView> for RequestView {
    fn from(view: CoreView) -> Self {
        RequestView {
            identity: view.identity.into(),
            request_id: hex::encode(view.hash),
            created_at: view.request.created_at,
            expires_at: view.request.expires_at,
            credentials: view.matches.into_iter().map(Into::into).collect(),
        }
    }
}

/// The core's acknowledgement for `view`, when `given` was made for this very request.
fn acknowledgement_for(
    view: &CoreView,
    given: Option<&UnverifiedAcknowledgement>,
) -> Option<respond::UnverifiedAcknowledgement> {
    given
        .filter(|a| a.request_id.eq_ignore_ascii_case(&hex::encode(view.hash)))
        .map(|_| respond::UnverifiedAcknowledgement::of(view))
}

fn credential_id(id: &str) -> Result<RecordId, ExchangeError> {
    RecordId::parse(id).map_err(|_| ExchangeError::CredentialNotFound)
}

fn request_envelope(message: &QrMessage) -> Result<Envelope, ExchangeError> {
    let envelope = message.to_envelope();
    if !matches!(
        envelope.kind,
        MessageKind::VerifierRequest | MessageKind::SignedRequest
    ) {
        return Err(ExchangeError::NotARequest {
            kind: message.kind.name().into(),
        });
    }
    Ok(envelope)
}

/// The holder's side of the QR exchange. Every method needs the wallet unlocked (else
/// `ExchangeError.Locked`); times come from the wallet's clock.
#[uniffi::export]
impl Wallet {
    /// Reads a scanned verifier request and matches it against the wallet's credentials, for
    /// the consent screen. A signed request is checked against the registrars on the wallet's
    /// trust list (`importIssuerTrustList`); a request whose verifier cannot be verified reads
    /// as `VerifierIdentity.Unverified` with the reason, not as an error. Errors: `NotARequest`
    /// (another kind of message), `MalformedRequest`, `RequestExpired`.
    pub async fn read_request(&self, message: QrMessage) -> Result<RequestView, ExchangeError> {
        let now = self.now();
        let envelope = request_envelope(&message)?;
        self.with_store(move |s| Ok(respond::read_request(s, &envelope, now)?.into()))
            .await
    }

    /// Answers a request (the same `message` given to `readRequest`) with exactly the
    /// consented claims: presentations bound to this request, encrypted to the verifier's
    /// one-time key (under the verifier's signature when the request is signed), so a photo of
    /// the screen reveals nothing and a relayed request's answer is useless to the relay.
    /// Records the disclosure in the history, with who the verifier was established to be.
    /// Returns the QR codes to show the verifier (`options`: `defaultFrameOptions()` when
    /// absent).
    ///
    /// `acknowledgement`: required when the request's verifier is unverified, made from this
    /// request's `RequestView.requestId` after the person saw the warning and took the extra
    /// step. Every consent is checked before anything is sent: a refusal sends nothing,
    /// records nothing and uses no copy.
    ///
    /// Errors: `UnverifiedNotAcknowledged`, `BeyondScope` (a claim beyond the registered scope
    /// not in `Consent.allowedBeyondScope`), `NotRequested` (a claim the request did not ask
    /// for), `NothingConsented`, `RequestExpired`, `CredentialNotFound`, `UnknownClaim`, and
    /// those of `readRequest`.
    #[uniffi::method(default(acknowledgement = None, options = None))]
    pub async fn respond(
        &self,
        message: QrMessage,
        consents: Vec<Consent>,
        acknowledgement: Option<UnverifiedAcknowledgement>,
        options: Option<FrameOptions>,
    ) -> Result<Vec<QrFrame>, ExchangeError> {
        let now = self.now();
        let envelope = request_envelope(&message)?;
        let consents = consents
            .into_iter()
            .map(|c| {
                Ok(CoreConsent {
                    credential_id: credential_id(&c.credential_id)?,
                    claims: c.claims,
                    allowed_beyond_scope: c.allowed_beyond_scope,
                })
            })
            .collect::<Result<Vec<_>, ExchangeError>>()?;
        let response = self
            .with_store(move |s| {
                let view = respond::read_request(s, &envelope, now)?;
                let acknowledgement = acknowledgement_for(&view, acknowledgement.as_ref());
                Ok::<_, ExchangeError>(respond::respond(s, &view, &consents, acknowledgement, now)?)
            })
            .await?;
        display_frames_async(response, options).await
    }

    /// A static presentation of `claims` of a credential, bound to the current two-minute
    /// window, for a verifier that cannot show a request: the verifier scans it and rejects
    /// it when seen before or out of its window ([`StaticPresentation::accepted_until`] says
    /// until when). Not encrypted: show it only to the verifier. Records the disclosure in
    /// the history.
    ///
    /// `verifier_id`: the verifier's identifier code (`XXXX-XXXX-XXXX-XXXX-XXXX`, scanned once
    /// from its poster or badge). With it, only that verifier accepts the presentation; without
    /// it, any verifier does within the window (its verdict says "not bound"). A malformed
    /// code is `MalformedRequest`; `parseVerifierId` reads one from a scanned text first.
    #[uniffi::method(default(options = None, verifier_id = None))]
    pub async fn present_static(
        &self,
        credential_id: String,
        claims: Vec<String>,
        options: Option<FrameOptions>,
        verifier_id: Option<String>,
    ) -> Result<StaticPresentation, ExchangeError> {
        let now = self.now();
        let id = self::credential_id(&credential_id)?;
        let verifier = verifier_id.as_deref().map(VerifierId::parse).transpose()?;
        let message = self
            .with_store(move |s| {
                Ok::<_, ExchangeError>(respond::present_static(
                    s,
                    id,
                    &claims,
                    now,
                    verifier.as_ref(),
                )?)
            })
            .await?;
        Ok(StaticPresentation {
            frames: display_frames_async::<ExchangeError>(message.envelope, options).await?,
            accepted_until: message.accepted_until,
        })
    }
}

/// A static presentation to show (`Wallet.presentStatic`), and until when verifiers accept it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StaticPresentation {
    /// The QR codes to show, one after another in a loop when there are several.
    pub frames: Vec<QrFrame>,
    /// Unix seconds (by the wallet's clock) from which verifiers reject it as stale: the end
    /// of the two-minute window after the one it is bound to, so two to four minutes after it
    /// was made. Count down to it on screen; from then on hide the code and offer a new one.
    pub accepted_until: i64,
}

/// The verifier identifier in `text` (the text of a scanned QR code on a verifier's poster or
/// badge, or a code the person typed: hex digits in any case, dashes and spaces ignored), in
/// its display form `XXXX-XXXX-XXXX-XXXX-XXXX`, for `presentStatic(verifierId = …)`. Null when
/// `text` is not one (a Laissez message, a web link, a damaged code).
#[uniffi::export]
pub fn parse_verifier_id(text: String) -> Option<String> {
    VerifierId::parse(text.trim()).ok().map(|id| id.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_id_is_read_from_a_scanned_or_typed_text_only() {
        let code = "3F2A-0102-0304-0506-07FF";
        assert_eq!(parse_verifier_id(code.into()).as_deref(), Some(code));
        assert_eq!(
            parse_verifier_id(" 3f2a 0102 0304 0506 07ff\n".into()).as_deref(),
            Some(code)
        );
        for other in ["", "3F2A-0102", "https://example.org", "LZ1:ABC"] {
            assert_eq!(parse_verifier_id(other.into()), None, "{other}");
        }
    }
}
