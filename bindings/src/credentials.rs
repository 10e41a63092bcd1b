//! The holder's credentials on a [`Wallet`]: its holder key, import, list, show, delete,
//! present chosen claims, and the disclosure history. Thin wrappers over
//! `wallet_core::wallet`; claim values cross as JSON text.

use std::collections::HashMap;

use wallet_core::credential::CredentialFormat as CoreFormat;
use wallet_core::credential::display::DisplayMetadata as CoreDisplay;
use wallet_core::jose::P256Jwk;
use wallet_core::store::RecordId;
use wallet_core::verifier::TrustedIssuer;
use wallet_core::wallet::holder_keys::{self, HolderKey as CoreHolderKey};
use wallet_core::wallet::{self as core, ImportOptions, PresentationBinding};

use crate::credential_error::CredentialError;
use crate::verifier_identity::DisclosedVerifier;
use crate::wallet::Wallet;
use wallet_core::exchange::static_presentation::{self, StaticRecipient};

/// The credential formats: the two of the EU wallet architecture, and the MOSIP Claim 169
/// identity card code, which a verifier reads (`FieldVerifier.verifyClaim169`) but which is
/// never a wallet credential (the wallet keeps cards apart: `Wallet.importIdentityCard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum CredentialFormat {
    /// ISO/IEC 18013-5 mdoc (CBOR).
    Mdoc,
    /// IETF SD-JWT VC (compact text).
    SdJwt,
    /// A MOSIP Claim 169 identity card code (verdicts only).
    Claim169,
}

impl From<CoreFormat> for CredentialFormat {
    fn from(format: CoreFormat) -> Self {
        match format {
            CoreFormat::Mdoc => Self::Mdoc,
            CoreFormat::SdJwt => Self::SdJwt,
        }
    }
}

/// A holder key: the public key credentials are bound to. Give `jwk` to an issuer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HolderKey {
    /// The public key as a P-256 JWK (JSON text with `kty`, `crv`, `x`, `y`).
    pub jwk: String,
    /// A short, stable, non-secret fingerprint (32 hex digits).
    pub fingerprint: String,
}

impl From<&CoreHolderKey> for HolderKey {
    fn from(key: &CoreHolderKey) -> Self {
        HolderKey {
            jwk: P256Jwk::from_verifying_key(key.public_key.clone())
                .to_json()
                .to_string(),
            fingerprint: key.public_key.fingerprint(),
        }
    }
}

/// How a credential presents itself, as its issuer signed it: texts by BCP 47 language tag
/// ("en", "fr", "ar").
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisplayMetadata {
    /// The issuer's name, by language.
    pub issuer_name: HashMap<String, String>,
    /// The credential's name, by language.
    pub credential_name: HashMap<String, String>,
    /// Claim labels by claim path, then by language.
    pub claim_labels: HashMap<String, HashMap<String, String>>,
}

impl From<CoreDisplay> for DisplayMetadata {
    fn from(d: CoreDisplay) -> Self {
        DisplayMetadata {
            issuer_name: d.issuer_name.into_iter().collect(),
            credential_name: d.credential_name.into_iter().collect(),
            claim_labels: d
                .claim_labels
                .into_iter()
                .map(|(path, texts)| (path, texts.into_iter().collect()))
                .collect(),
        }
    }
}

/// How a credential's copies stand, for the holder's screen (ADR 0017).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum CopiesState {
    /// One copy only (imported alone): presented every time, so its presentations can be
    /// linked to each other.
    Single,
    /// Enough unpresented copies left.
    Plenty,
    /// Few unpresented copies left (at least one): time to ask the issuer for a new batch.
    Low,
    /// Every copy has been presented: presenting fails with `NoCopiesLeft` unless the
    /// wallet's reuse setting (`Wallet.setReuseLastCopy`) is on.
    Exhausted,
}

impl From<core::CopiesState> for CopiesState {
    fn from(state: core::CopiesState) -> Self {
        match state {
            core::CopiesState::Single => Self::Single,
            core::CopiesState::Plenty => Self::Plenty,
            core::CopiesState::Low => Self::Low,
            core::CopiesState::Exhausted => Self::Exhausted,
        }
    }
}

impl CopiesState {
    /// Whether the holder should be warned (few copies or none left).
    fn warns(self) -> bool {
        matches!(self, Self::Low | Self::Exhausted)
    }
}

/// Whether the holder's wallet vouches for a credential's issuer, judged against its installed
/// issuer trust list (`importIssuerTrustList`) whenever the credential is listed, shown or
/// imported.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum IssuerTrust {
    /// On the trust list and allowed to issue this type: show `name` as the issuer.
    Trusted {
        /// The name from the trust list (else from the verified certificate).
        name: String,
    },
    /// On the trust list, but not for this type of credential (or country): show it as not
    /// trusted.
    NotAllowedForType {
        /// The trust list's name for the issuer.
        name: String,
    },
    /// On no trust list the wallet holds (none installed, or expired): show "unverified
    /// issuer", and `claimedIssuerName` only as what the credential claims.
    Unknown,
}

impl From<core::IssuerTrust> for IssuerTrust {
    fn from(trust: core::IssuerTrust) -> Self {
        match trust {
            core::IssuerTrust::Trusted { name } => Self::Trusted { name },
            core::IssuerTrust::NotAllowedForType { name } => Self::NotAllowedForType { name },
            core::IssuerTrust::Unknown => Self::Unknown,
        }
    }
}

/// A credential as listed: no claim values.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CredentialSummary {
    /// Its id in the wallet (32 hex digits).
    pub id: String,
    /// Its format.
    pub format: CredentialFormat,
    /// docType (mdoc) or vct (SD-JWT VC).
    pub credential_type: String,
    /// Whether the wallet vouches for the issuer; its name to show when `Trusted`.
    pub issuer_trust: IssuerTrust,
    /// The name the credential claims for its issuer (unverified: its display metadata, its
    /// certificate's common name or its `iss`). Never show it as the issuer's name unless
    /// `issuer_trust` is `Trusted` (and then show the trusted name).
    pub claimed_issuer_name: Option<String>,
    /// The issuer key's fingerprint.
    pub issuer_fingerprint: String,
    /// Validity start, Unix seconds.
    pub valid_from: Option<i64>,
    /// Validity end, Unix seconds.
    pub valid_until: Option<i64>,
    /// Display metadata from the issuer.
    pub display: Option<DisplayMetadata>,
    /// When it was imported, Unix seconds.
    pub imported_at: i64,
    /// How many one-time copies it holds (1 for a credential issued alone).
    pub copies_total: u32,
    /// How many copies were never presented.
    pub copies_left: u32,
    /// How its copies stand.
    pub copies_state: CopiesState,
    /// Whether to warn the holder that few copies, or none, are left.
    pub copies_warning: bool,
}

impl From<core::CredentialSummary> for CredentialSummary {
    fn from(s: core::CredentialSummary) -> Self {
        let copies_state = CopiesState::from(s.copies_state());
        CredentialSummary {
            copies_total: s.copies_total,
            copies_left: s.copies_left,
            copies_state,
            copies_warning: copies_state.warns(),
            id: s.id.to_string(),
            format: s.format.into(),
            credential_type: s.credential_type,
            issuer_trust: s.issuer_trust.into(),
            claimed_issuer_name: s.issuer_name,
            issuer_fingerprint: s.issuer_fingerprint,
            valid_from: s.valid_from,
            valid_until: s.valid_until,
            display: s.display.map(Into::into),
            imported_at: s.imported_at,
        }
    }
}

/// One claim of a credential, for showing to the holder.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClaimEntry {
    /// The path to give `presentCredential` (`given_name`, `address.locality`,
    /// `org.iso.18013.5.1/family_name`).
    pub path: String,
    /// The value as JSON text (`"Amina"`, `42`, `{"locality":"Lyon"}`).
    pub value_json: String,
    /// The issuer's label in the requested language, if it gave one.
    pub label: Option<String>,
    /// Whether it can be withheld when presenting (selectively disclosable).
    pub selectable: bool,
}

impl From<core::ClaimEntry> for ClaimEntry {
    fn from(c: core::ClaimEntry) -> Self {
        ClaimEntry {
            path: c.path,
            value_json: c.value.to_string(),
            label: c.label,
            selectable: c.selectable,
        }
    }
}

/// A credential with all its claims.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CredentialDetail {
    /// The summary.
    pub summary: CredentialSummary,
    /// Every claim.
    pub claims: Vec<ClaimEntry>,
    /// The holder key it is bound to.
    pub holder_key: HolderKey,
}

impl From<core::CredentialDetail> for CredentialDetail {
    fn from(d: core::CredentialDetail) -> Self {
        CredentialDetail {
            holder_key: (&d.holder_key).into(),
            summary: d.summary.into(),
            claims: d.claims.into_iter().map(Into::into).collect(),
        }
    }
}

/// A presentation ready to send to the verifier.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Presentation {
    /// Its format.
    pub format: CredentialFormat,
    /// SD-JWT+KB compact text (UTF-8) or an mdoc DeviceResponse (CBOR).
    pub bytes: Vec<u8>,
    /// For mdoc, the SessionTranscript bytes it is bound to; absent for SD-JWT.
    pub session_transcript: Option<Vec<u8>>,
}

impl From<core::Presentation> for Presentation {
    fn from(p: core::Presentation) -> Self {
        Presentation {
            format: p.format.into(),
            bytes: p.bytes,
            session_transcript: p.session_transcript,
        }
    }
}

/// One entry of the disclosure history: what was shown, to whom, when. No claim values.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosureEntry {
    /// The credential's id.
    pub credential_id: String,
    /// The claim paths shown.
    pub claims: Vec<String>,
    /// The verifier's identifier, when known (every engaged answer, whatever the format).
    pub audience: Option<String>,
    /// The verifier's name as its request gave it, when known: never checked, so show it
    /// only as the verifier's claim (prefer `verifier`).
    pub claimed_verifier_name: Option<String>,
    /// Who the wallet established the verifier to be when the person consented: verified
    /// (from its registration certificate) or unverified with why. Absent for static
    /// presentations and for entries written before verifiers could be verified.
    pub verifier: Option<DisclosedVerifier>,
    /// How it was shown: an answer to a request, or a static presentation (to any verifier
    /// in its window, or bound to one verifier's identifier). History screens label the
    /// entry from this, not from the audience text.
    pub shown_as: DisclosureShownAs,
    /// When, Unix seconds.
    pub at: i64,
}

/// How a disclosure was shown.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DisclosureShownAs {
    /// An answer to a verifier's request (engaged exchange), or a presentation made for
    /// another audience.
    Answer,
    /// A static presentation that any verifier accepts within its window.
    StaticToAnyVerifier,
    /// A static presentation bound to one verifier's identifier.
    StaticToVerifier {
        /// The verifier's identifier code (`XXXX-XXXX-XXXX-XXXX-XXXX`).
        verifier_id: String,
    },
}

impl DisclosureShownAs {
    fn of(audience: Option<&str>) -> Self {
        match audience.and_then(static_presentation::static_recipient) {
            None => Self::Answer,
            Some(StaticRecipient::AnyVerifier) => Self::StaticToAnyVerifier,
            Some(StaticRecipient::Verifier(id)) => Self::StaticToVerifier {
                verifier_id: id.code(),
            },
        }
    }
}

impl From<core::DisclosureEntry> for DisclosureEntry {
    fn from(e: core::DisclosureEntry) -> Self {
        DisclosureEntry {
            shown_as: DisclosureShownAs::of(e.audience.as_deref()),
            credential_id: e.credential_id,
            claims: e.claims,
            audience: e.audience,
            claimed_verifier_name: e.verifier_name,
            verifier: e.verifier.map(Into::into),
            at: e.at,
        }
    }
}

/// A malformed id names no credential.
fn credential_id(id: &str) -> Result<RecordId, CredentialError> {
    RecordId::parse(id).map_err(|_| CredentialError::NotFound)
}

/// Credentials, holder keys and disclosure history. Every method needs the wallet unlocked
/// (else `CredentialError.Locked`). Times (validity at import, key-binding time, history) come
/// from the wallet's clock: the one in `WalletOptions`, else the system clock.
#[uniffi::export]
impl Wallet {
    /// The wallet's default holder key, created (and recorded) on first use. Derived from the
    /// recovery phrase, so it comes back with the 24 words.
    pub async fn holder_key(&self) -> Result<HolderKey, CredentialError> {
        self.with_store(|s| Ok((&holder_keys::default_key(s)?).into()))
            .await
    }

    /// Imports an issued credential (SD-JWT VC text or mdoc CBOR): checks its structure, the
    /// issuer's signature, validity and digests, that it is bound to this wallet's holder key,
    /// and stores it encrypted.
    ///
    /// `issuer_keys`: keys to check the issuer's signature with, each a certificate (PEM or
    /// DER) or a public P-256 JWK; may be empty when the credential carries its issuer's
    /// certificate. A carried certificate is not a trust decision: verifiers decide trust.
    ///
    /// `type_metadata`: the SD-JWT VC Type Metadata document of the credential's type (its
    /// exact bytes), kept with it for its labels; it must describe the credential's type and
    /// match its `vct#integrity` when it has one (else `InvalidTypeMetadata`). Without it,
    /// built-in metadata applies (EU PID, age attestation, Laissez's own types).
    #[uniffi::method(default(type_metadata = None))]
    pub async fn import_credential(
        &self,
        credential: Vec<u8>,
        issuer_keys: Vec<Vec<u8>>,
        type_metadata: Option<Vec<u8>>,
    ) -> Result<CredentialSummary, CredentialError> {
        let now = self.now();
        self.with_store(move |s| {
            let issuer_keys = issuer_keys
                .iter()
                .map(|bytes| TrustedIssuer::from_bytes(bytes).map(|t| t.key))
                .collect::<Result<Vec<_>, _>>()?;
            let options = ImportOptions {
                issuer_keys,
                now,
                type_metadata,
            };
            Ok(core::credentials::import(s, &credential, &options)?.into())
        })
        .await
    }

    /// Every credential, oldest first, its issuer's trust judged now.
    pub async fn list_credentials(&self) -> Result<Vec<CredentialSummary>, CredentialError> {
        let now = self.now();
        self.with_store(move |s| {
            Ok(core::credentials::list_at(s, now)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// A credential with all its claims, labelled in `lang` (BCP 47: "fr", "ar-SY"; falls back
    /// to English, then any).
    pub async fn show_credential(
        &self,
        id: String,
        lang: String,
    ) -> Result<CredentialDetail, CredentialError> {
        let now = self.now();
        self.with_store(move |s| {
            Ok(core::credentials::show_at(s, credential_id(&id)?, &lang, now)?.into())
        })
        .await
    }

    /// Deletes a credential. Its disclosure history stays.
    pub async fn delete_credential(&self, id: String) -> Result<(), CredentialError> {
        self.with_store(move |s| Ok(core::credentials::delete(s, credential_id(&id)?)?))
            .await
    }

    /// Presents only `claims` (paths from `showCredential`) of a credential, bound to the
    /// verifier's `nonce` and `audience` (its identifier): the SD-JWT Key Binding JWT's
    /// `nonce`/`aud`, or for mdoc the OpenID4VP redirect handover with
    /// `client_id` = `response_uri` = `audience`. Records the disclosure in the history.
    pub async fn present_credential(
        &self,
        id: String,
        claims: Vec<String>,
        nonce: String,
        audience: String,
    ) -> Result<Presentation, CredentialError> {
        let now = self.now();
        self.with_store(move |s| {
            let binding = PresentationBinding::NonceAudience { nonce, audience };
            // Holder keys held by the platform are not offered through the bindings yet.
            let presentation =
                core::credentials::present(s, credential_id(&id)?, &claims, &binding, now, None)?;
            Ok(presentation.into())
        })
        .await
    }

    /// What was shown, to whom and when, oldest first.
    pub async fn disclosure_history(&self) -> Result<Vec<DisclosureEntry>, CredentialError> {
        self.with_store(|s| {
            Ok(core::credentials::disclosures(s)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }
}
