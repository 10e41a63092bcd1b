//! The verifier side: one call that checks a presentation (SD-JWT+KB or mdoc DeviceResponse)
//! against trusted issuers, a nonce and an audience, and returns a [`Verdict`] with
//! machine-readable reasons. A rejected presentation is a verdict, not an error.

use std::time::{SystemTime, UNIX_EPOCH};

use wallet_core::verifier::claim169_verdict::CLAIM169_FORMAT;
use wallet_core::verifier::{
    self as core, ExpectedBinding, Reason, TrustedIssuer, VerificationRequest,
};

use crate::blocking;
use crate::credential_error::CredentialError;
use crate::credentials::CredentialFormat;

/// Why a presentation was not accepted. Each has a stable snake_case code, listed beside it in
/// `Verdict.reasonCodes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum VerdictReason {
    /// `malformed`: not a well-formed presentation.
    Malformed,
    /// `too_large`: over a documented size limit.
    TooLarge,
    /// `unsupported_algorithm`: an algorithm this verifier does not accept.
    UnsupportedAlgorithm,
    /// `bad_issuer_signature`: the issuer's signature does not verify.
    BadIssuerSignature,
    /// `unknown_issuer`: signed by an issuer that is not among the trusted ones.
    UnknownIssuer,
    /// `untrusted_chain`: the issuer's certificate chain reaches a trusted anchor by a path
    /// that is refused (a link that may not certify, a missing purpose, too long, an unknown
    /// critical extension).
    UntrustedChain,
    /// `issuer_not_allowed`: the trusted anchor may not vouch for this credential type or
    /// issuing country.
    IssuerNotAllowed,
    /// `issuer_name_mismatch`: the SD-JWT VC's `iss` is not the name in its certificate.
    IssuerNameMismatch,
    /// `digest_mismatch`: a disclosed value does not match its signed digest.
    DigestMismatch,
    /// `expired`: the credential or its certificate has expired.
    Expired,
    /// `not_yet_valid`: the credential or its certificate is not valid yet.
    NotYetValid,
    /// `bad_holder_signature`: the holder's (device / key-binding) signature does not verify.
    BadHolderSignature,
    /// `missing_holder_binding`: holder binding was required and is missing.
    MissingHolderBinding,
    /// `wrong_nonce`: made for another nonce or session.
    WrongNonce,
    /// `wrong_audience`: made for another verifier.
    WrongAudience,
    /// `stale_presentation`: the key-binding time is outside the accepted window.
    StalePresentation,
    /// `wrong_credential_type`: not the docType or vct requested.
    WrongCredentialType,
    /// `revoked`: the status list says the credential is revoked.
    Revoked,
    /// `suspended`: the status list says the credential is suspended.
    Suspended,
    /// `replay`: this presentation was shown before.
    Replay,
    /// `wrong_request`: the response was made for another request, or its request expired.
    WrongRequest,
    /// `tampered`: an answer to this verifier's request, altered on the way (it does not
    /// decompress or does not decrypt).
    Tampered,
    /// A reason newer than these bindings; its code says which.
    Other,
}

impl From<Reason> for VerdictReason {
    fn from(reason: Reason) -> Self {
        match reason {
            Reason::Malformed => Self::Malformed,
            Reason::TooLarge => Self::TooLarge,
            Reason::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
            Reason::BadIssuerSignature => Self::BadIssuerSignature,
            Reason::UnknownIssuer => Self::UnknownIssuer,
            Reason::UntrustedChain => Self::UntrustedChain,
            Reason::IssuerNotAllowed => Self::IssuerNotAllowed,
            Reason::IssuerNameMismatch => Self::IssuerNameMismatch,
            Reason::DigestMismatch => Self::DigestMismatch,
            Reason::Expired => Self::Expired,
            Reason::NotYetValid => Self::NotYetValid,
            Reason::BadHolderSignature => Self::BadHolderSignature,
            Reason::MissingHolderBinding => Self::MissingHolderBinding,
            Reason::WrongNonce => Self::WrongNonce,
            Reason::WrongAudience => Self::WrongAudience,
            Reason::StalePresentation => Self::StalePresentation,
            Reason::WrongCredentialType => Self::WrongCredentialType,
            Reason::Revoked => Self::Revoked,
            Reason::Suspended => Self::Suspended,
            Reason::Replay => Self::Replay,
            Reason::WrongRequest => Self::WrongRequest,
            Reason::Tampered => Self::Tampered,
        }
    }
}

/// One claim the holder disclosed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosedClaim {
    /// Claim path: `given_name`, `address.locality`, or `namespace/element` for mdoc.
    pub path: String,
    /// The value as JSON text.
    pub value_json: String,
    /// The issuer's label in the requested language, if any.
    pub label: Option<String>,
}

impl From<core::DisclosedClaim> for DisclosedClaim {
    fn from(c: core::DisclosedClaim) -> Self {
        DisclosedClaim {
            path: c.path,
            value_json: c.value.to_string(),
            label: c.label,
        }
    }
}

/// The outcome of verifying one presentation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verdict {
    /// Whether the presentation is accepted.
    pub valid: bool,
    /// Why not (empty when valid).
    pub reasons: Vec<VerdictReason>,
    /// The stable codes of `reasons`, in the same order (`wrong_nonce`, `unknown_issuer`...).
    pub reason_codes: Vec<String>,
    /// The format, as far as it could be told (a presentation that is not SD-JWT is tried as
    /// mdoc; `Claim169` for an identity card's code, from `FieldVerifier.verifyClaim169`).
    pub format: CredentialFormat,
    /// Nothing proves that the person showing it holds it: an identity card's code (Claim
    /// 169) can be shown by whoever has the card or a photo of it. Say "possession not proven:
    /// compare the photo" beside a valid verdict.
    #[uniffi(default = false)]
    pub possession_not_proven: bool,
    /// docType or vct, when it could be read.
    pub credential_type: Option<String>,
    /// The issuer's name: from the trusted entry, else the display metadata, else the
    /// certificate.
    pub issuer_name: Option<String>,
    /// Fingerprint of the issuer's public key, when it could be identified.
    pub issuer_fingerprint: Option<String>,
    /// The disclosed claims (empty unless valid).
    pub claims: Vec<DisclosedClaim>,
    /// The credential's status from the verifier's cached status lists; `None` when the
    /// credential names no status list.
    pub status: Option<CredentialStatus>,
    /// A static presentation bound to no verifier: whoever photographed it could show it here
    /// within its two-minute window. Show "not bound to this verifier" beside the verdict.
    pub unbound: bool,
    /// Set when the verifier's trust list holds type metadata for the credential's type that
    /// could not be used: its stable code (`integrity_mismatch`, `bad_integrity`,
    /// `extends_unavailable`, `invalid_metadata`). The claims then have no labels rather
    /// than wrong ones; the verdict itself is unaffected.
    pub labels_withheld: Option<String>,
    /// The holder's portrait, when the presentation is valid and disclosed one the issuer
    /// signed that reads as a JPEG: show it large beside the verdict (holder binding proves
    /// the phone, the portrait the person).
    #[uniffi(default = None)]
    pub portrait: Option<VerifiedPortrait>,
    /// Set when a portrait was disclosed and signed but cannot be shown: its stable code
    /// (`not_jpeg_value`, `not_jpeg`, `undecodable`, `too_large`). Say "no usable photo"; the
    /// verdict itself is unaffected.
    #[uniffi(default = None)]
    pub portrait_problem: Option<String>,
}

/// The portrait a valid presentation disclosed, as the issuer signed it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifiedPortrait {
    /// The claim it came from (`picture`, `namespace/portrait`).
    pub path: String,
    /// The JPEG file, byte for byte as signed (decode it with the platform's image API).
    pub jpeg: Vec<u8>,
    /// Width in pixels, from the JPEG header.
    pub width: u16,
    /// Height in pixels, from the JPEG header.
    pub height: u16,
}

impl std::fmt::Debug for VerifiedPortrait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedPortrait")
            .field("path", &self.path)
            .field("bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// What the cached status data says about a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum StatusState {
    /// A fresh list says valid.
    Valid,
    /// A fresh list says revoked (the verdict is invalid).
    Revoked,
    /// A fresh list says suspended (the verdict is invalid).
    Suspended,
    /// No list for this credential is cached: nothing can be said.
    Unknown,
    /// The cached list is too old to rely on; `lastKnown` says what it said.
    Stale,
}

impl From<core::status_list::StatusState> for StatusState {
    fn from(state: core::status_list::StatusState) -> Self {
        use core::status_list::StatusState as S;
        match state {
            S::Valid => Self::Valid,
            S::Revoked => Self::Revoked,
            S::Suspended => Self::Suspended,
            S::Unknown => Self::Unknown,
            S::Stale => Self::Stale,
        }
    }
}

/// A credential's status as the verifier could judge it offline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CredentialStatus {
    /// The judgement; missing or old data is never reported as revoked.
    pub state: StatusState,
    /// Age of the status data used, seconds; `None` without a cached list.
    pub age_secs: Option<i64>,
    /// What the list said, fresh or not: `valid`, `invalid`, `suspended` or a number.
    pub last_known: Option<String>,
    /// The status list URI the credential names.
    pub uri: String,
    /// The credential's index in that list.
    pub index: u64,
}

impl From<core::StatusReport> for CredentialStatus {
    fn from(report: core::StatusReport) -> Self {
        CredentialStatus {
            state: report.state.into(),
            age_secs: report.age_secs,
            last_known: report.last_known,
            uri: report.uri,
            index: report.index,
        }
    }
}

impl From<core::Verdict> for Verdict {
    fn from(v: core::Verdict) -> Self {
        Verdict {
            valid: v.valid,
            reason_codes: v.reasons.iter().map(|r| r.code().to_owned()).collect(),
            reasons: v.reasons.into_iter().map(Into::into).collect(),
            format: match v.format.as_str() {
                "sd-jwt" => CredentialFormat::SdJwt,
                CLAIM169_FORMAT => CredentialFormat::Claim169,
                _ => CredentialFormat::Mdoc,
            },
            possession_not_proven: v.possession_not_proven,
            credential_type: v.credential_type,
            issuer_name: v.issuer.as_ref().and_then(|i| i.name.clone()),
            issuer_fingerprint: v.issuer.map(|i| i.key_fingerprint),
            claims: v.claims.into_iter().map(Into::into).collect(),
            status: v.status.map(Into::into),
            unbound: v.unbound,
            labels_withheld: v.labels_withheld.map(|w| w.code().to_owned()),
            portrait: v.portrait.map(|p| VerifiedPortrait {
                path: p.path,
                jpeg: p.jpeg,
                width: p.width,
                height: p.height,
            }),
            portrait_problem: v.portrait_problem.map(|p| p.code().to_owned()),
        }
    }
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Verifies a presentation as received.
///
/// - `nonce`, `audience`: what the verifier asked the holder to bind to (see
///   `Wallet.presentCredential`).
/// - `trusted_issuers`: accepted issuers, each a certificate (PEM or DER) or a public P-256
///   JWK; an entry that is neither gives `CredentialError.InvalidTrustedIssuer`.
/// - `lang`: the language of claim labels (BCP 47).
/// - `now`: Unix seconds to check validity at; the system clock when absent (tests,
///   replays).
///
/// Everything wrong with the presentation itself is a `Verdict` with `valid` false and its
/// reasons, never an error.
#[uniffi::export]
pub async fn verify_presentation(
    presentation: Vec<u8>,
    nonce: String,
    audience: String,
    trusted_issuers: Vec<Vec<u8>>,
    lang: String,
    now: Option<i64>,
) -> Result<Verdict, CredentialError> {
    blocking::run(move || {
        let trusted = trusted_issuers
            .iter()
            .map(|bytes| TrustedIssuer::from_bytes(bytes))
            .collect::<Result<Vec<_>, _>>()?;
        let binding = ExpectedBinding::NonceAudience { nonce, audience };
        let request = VerificationRequest {
            presentation: &presentation,
            binding: &binding,
            trusted: &trusted,
            now: now.unwrap_or_else(system_now),
            lang: &lang,
            type_metadata: &[],
            status_lists: &[],
            max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
            // Presentations from any wallet: others may not normalise s, and no
            // replay cache keys on the signature here.
            holder_high_s: wallet_core::verifier::HighS::Accept,
        };
        Ok(core::verify_presentation(&request).into())
    })
    .await
}
