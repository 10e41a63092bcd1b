//! The verifier's verdict: valid or not, machine-readable reasons, the disclosed claims with
//! their labels, and who issued the credential.

use serde::Serialize;

use laissez_formats::credential::portrait::Portrait;
pub use laissez_formats::credential::portrait::PortraitProblem;
use laissez_formats::status_list::{StatusState, StatusValue};
use laissez_formats::type_metadata::TypeMetadataError;

/// Why a presentation was not accepted. `code()` gives a stable snake_case string that apps
/// and logs can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The input is not a well-formed presentation.
    Malformed,
    /// The input exceeds a documented size limit.
    TooLarge,
    /// An algorithm other than ES256 (or `none`, or an HMAC) was used.
    UnsupportedAlgorithm,
    /// The issuer's signature does not verify.
    BadIssuerSignature,
    /// The issuer's key or certificate is not among the trusted ones.
    UnknownIssuer,
    /// The issuer's certificate chain reaches a trusted anchor by a path that is refused: a
    /// link that is not a CA or lacks keyCertSign, a signer without the purpose's extended
    /// key usage, a path length over a constraint, an unknown critical extension, too many
    /// links.
    UntrustedChain,
    /// The trusted anchor is not allowed to vouch for this credential type or issuing
    /// country, or the document's country disagrees with its certificates.
    IssuerNotAllowed,
    /// The SD-JWT VC's `iss` is not the name in the issuer's certificate.
    IssuerNameMismatch,
    /// A disclosed value does not match its signed digest (or a disclosure is not referenced).
    DigestMismatch,
    /// The credential or its certificate has expired.
    Expired,
    /// The credential or its certificate is not valid yet.
    NotYetValid,
    /// The device signature (mdoc) or key-binding JWT (SD-JWT) does not verify.
    BadHolderSignature,
    /// Key binding was required and is missing.
    MissingHolderBinding,
    /// The presentation was made for another nonce or session transcript.
    WrongNonce,
    /// The presentation was made for another verifier (audience).
    WrongAudience,
    /// The key-binding time is outside the accepted window.
    StalePresentation,
    /// The document type or vct is not the one requested.
    WrongCredentialType,
    /// The status list says the credential is revoked.
    Revoked,
    /// The status list says the credential is suspended.
    Suspended,
    /// This presentation was shown before (replay).
    Replay,
    /// The response was made for another request, or its request has expired.
    WrongRequest,
    /// The answer names one of this verifier's requests but was altered on the way: it does
    /// not decompress or does not decrypt.
    Tampered,
}

impl Reason {
    /// The stable code of this reason.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Malformed => "malformed",
            Reason::TooLarge => "too_large",
            Reason::UnsupportedAlgorithm => "unsupported_algorithm",
            Reason::BadIssuerSignature => "bad_issuer_signature",
            Reason::UnknownIssuer => "unknown_issuer",
            Reason::UntrustedChain => "untrusted_chain",
            Reason::IssuerNotAllowed => "issuer_not_allowed",
            Reason::IssuerNameMismatch => "issuer_name_mismatch",
            Reason::DigestMismatch => "digest_mismatch",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not_yet_valid",
            Reason::BadHolderSignature => "bad_holder_signature",
            Reason::MissingHolderBinding => "missing_holder_binding",
            Reason::WrongNonce => "wrong_nonce",
            Reason::WrongAudience => "wrong_audience",
            Reason::StalePresentation => "stale_presentation",
            Reason::WrongCredentialType => "wrong_credential_type",
            Reason::Revoked => "revoked",
            Reason::Suspended => "suspended",
            Reason::Replay => "replay",
            Reason::WrongRequest => "wrong_request",
            Reason::Tampered => "tampered",
        }
    }
}

/// One claim the holder disclosed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosedClaim {
    /// Claim path: "given_name", "address.locality", or "namespace/element" for mdoc.
    pub path: String,
    /// The value, as JSON.
    pub value: serde_json::Value,
    /// The issuer's label for it in the requested language, if any.
    pub label: Option<String>,
}

/// Who issued the credential, as far as the verifier can tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuerInfo {
    /// The name from the trusted entry, else from display metadata, else the certificate.
    pub name: Option<String>,
    /// Fingerprint of the issuer's public key.
    pub key_fingerprint: String,
}

/// What the verifier's cached status lists say about the credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// `valid`, `revoked`, `suspended`, `unknown` (no list for it) or `stale` (the list is
    /// too old to rely on). Missing or old data is never reported as revoked.
    pub state: StatusState,
    /// Age of the status data used, seconds (`None` without a list).
    pub age_secs: Option<i64>,
    /// What the list said, fresh or not (`valid`, `invalid`, `suspended` or a number), so
    /// a stale result can still show the last known status.
    pub last_known: Option<String>,
    /// The status list URI the credential names.
    pub uri: String,
    /// The credential's index in it.
    pub index: u64,
}

impl StatusReport {
    pub(crate) fn last_known_text(value: StatusValue) -> String {
        match value {
            StatusValue::Valid => "valid".into(),
            StatusValue::Invalid => "invalid".into(),
            StatusValue::Suspended => "suspended".into(),
            StatusValue::Other(other) => other.to_string(),
        }
    }
}

/// The outcome of verifying one presentation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Whether the presentation is accepted.
    pub valid: bool,
    /// Why not (empty when valid).
    pub reasons: Vec<Reason>,
    /// "mdoc" or "sd-jwt".
    pub format: String,
    /// docType or vct, when it could be read.
    pub credential_type: Option<String>,
    /// The issuer, when it could be identified.
    pub issuer: Option<IssuerInfo>,
    /// The disclosed claims (empty unless valid).
    pub claims: Vec<DisclosedClaim>,
    /// The credential's status; `None` when it names no status list (or was not read).
    pub status: Option<StatusReport>,
    /// A static presentation bound to no verifier: whoever photographed it can show it to any
    /// verifier within its two-minute window. Accepted, but apps must say "not bound to this
    /// verifier" beside the verdict. Always false for answers to a request.
    pub unbound: bool,
    /// Set when the verifier holds type metadata for the credential's type but could not use
    /// it (its bytes do not match the credential's `vct#integrity`, its `extends` cannot be
    /// resolved): the claims then carry no label at all rather than a wrong one. The
    /// presentation itself may still be valid.
    pub labels_withheld: Option<LabelsWithheld>,
    /// The holder's portrait, when the presentation is valid and disclosed one the issuer
    /// signed (mdoc `portrait`, SD-JWT VC `picture`) that reads as a JPEG. Field apps show it
    /// large beside the verdict: holder binding proves the phone, the portrait the person.
    pub portrait: Option<DisclosedPortrait>,
    /// Set when a portrait was disclosed and signed but cannot be shown (not a JPEG, damaged
    /// header, too large). The presentation itself stays valid; apps say "no usable photo".
    pub portrait_problem: Option<PortraitProblem>,
    /// Set for a valid credential with no holder binding at all (a Claim 169 identity QR
    /// code, format `claim169`): the signature proves the data, not who shows it. Apps say
    /// "possession not proven: compare the photo" beside the verdict.
    pub possession_not_proven: bool,
}

/// The portrait a valid presentation disclosed. In JSON the bytes are base64 (`jpeg`).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct DisclosedPortrait {
    /// The claim it came from (`picture`, `namespace/portrait`).
    pub path: String,
    /// The JPEG file, byte for byte as the issuer signed it.
    #[serde(serialize_with = "base64_bytes")]
    pub jpeg: Vec<u8>,
    /// Width in pixels, from the JPEG frame header.
    pub width: u16,
    /// Height in pixels, from the JPEG frame header.
    pub height: u16,
}

impl std::fmt::Debug for DisclosedPortrait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DisclosedPortrait")
            .field("path", &self.path)
            .field("bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

fn base64_bytes<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    use base64::Engine as _;
    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Why the claims of a verdict carry no labels although type metadata for the type was at
/// hand. `code()` gives a stable snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelsWithheld {
    /// The document does not hash to the credential's `vct#integrity` (or an `extends`
    /// document to its `extends#integrity`).
    IntegrityMismatch,
    /// The credential's `vct#integrity` is not usable SRI metadata (malformed, or no
    /// sha256/sha384/sha512).
    BadIntegrity,
    /// The type extends another whose document the verifier does not hold.
    ExtendsUnavailable,
    /// The `extends` links loop or go too deep, or the document is otherwise unusable.
    InvalidMetadata,
}

impl LabelsWithheld {
    /// The stable code of this reason.
    pub fn code(&self) -> &'static str {
        match self {
            Self::IntegrityMismatch => "integrity_mismatch",
            Self::BadIntegrity => "bad_integrity",
            Self::ExtendsUnavailable => "extends_unavailable",
            Self::InvalidMetadata => "invalid_metadata",
        }
    }
}

impl From<TypeMetadataError> for LabelsWithheld {
    fn from(err: TypeMetadataError) -> Self {
        match err {
            TypeMetadataError::IntegrityMismatch => Self::IntegrityMismatch,
            TypeMetadataError::BadIntegrity(_)
            | TypeMetadataError::UnsupportedIntegrityAlgorithm => Self::BadIntegrity,
            TypeMetadataError::ExtendsUnavailable => Self::ExtendsUnavailable,
            TypeMetadataError::TooLarge(_)
            | TypeMetadataError::Malformed(_)
            | TypeMetadataError::WrongType
            | TypeMetadataError::ExtendsCycle
            | TypeMetadataError::ExtendsTooDeep => Self::InvalidMetadata,
        }
    }
}

impl Verdict {
    /// A rejection for one reason.
    pub fn rejected(format: &str, reason: Reason) -> Self {
        Verdict {
            valid: false,
            reasons: vec![reason],
            format: format.into(),
            credential_type: None,
            issuer: None,
            claims: Vec::new(),
            unbound: false,
            status: None,
            labels_withheld: None,
            portrait: None,
            portrait_problem: None,
            possession_not_proven: false,
        }
    }

    /// Records the portrait read from the claim at `path` (or why it cannot be shown).
    pub(crate) fn set_portrait(&mut self, path: &str, read: Result<Portrait, PortraitProblem>) {
        match read {
            Ok(portrait) => {
                self.portrait = Some(DisclosedPortrait {
                    path: path.to_owned(),
                    jpeg: portrait.jpeg,
                    width: portrait.width,
                    height: portrait.height,
                });
            }
            Err(problem) => self.portrait_problem = Some(problem),
        }
    }

    /// Drops the portrait of a verdict that is not valid: only what verified is shown.
    pub(crate) fn without_portrait_unless_valid(mut self) -> Self {
        if !self.valid {
            self.portrait = None;
            self.portrait_problem = None;
        }
        self
    }
}
