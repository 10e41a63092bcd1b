//! The trust list: a signed file naming the issuers a field verifier accepts, with their keys
//! or certificates, validity periods and credential types. It is built and signed by a
//! trust-list signer whose public key the verifier pins at set-up, then imported offline
//! (file or QR) and used for days without a network.
//!
//! ## Signed form
//!
//! A compact JWS, ES256, protected header `{"alg":"ES256","typ":"laissez-trust-list+jwt"}`,
//! whose payload is this JSON object (every member required unless marked optional; no
//! other member is accepted):
//!
//! ```text
//! {
//!   "version": 1,
//!   "sequence": 42,                 // u64, grows with every new list: refuses rollback
//!   "iat": 1760000000,              // issued at, Unix seconds
//!   "exp": 1762592000,              // expires at, Unix seconds
//!   "issuers": [
//!     {
//!       "name": "Ministry of Interior",
//!       "key": {"kty":"EC","crv":"P-256","x":"…","y":"…"},  // or P-384, or
//!                                                          // {"kty":"OKP","crv":"Ed25519","x":"…"}
//!       "certificate": "MIIB…",     // optional: standard base64 DER, its key = "key"
//!       "valid_from": 1760000000,   // the entry is trusted from this time …
//!       "valid_until": 1791536000,  // … until just before this one
//!       "credential_types": ["…"],  // optional: empty or absent = any type
//!       "countries": ["NL", "AU"],  // optional: the issuing countries the anchor may vouch
//!                                   // for, as written (ISO 3166-1 alpha-2 for mdoc, alpha-3
//!                                   // also for Claim 169 cards); absent = any
//!       "signer_certificates": ["MIIB…"] // optional: document-signer certificates the
//!                                   // anchor issued, known here so holders may leave them
//!                                   // out of their answers (never trusted on their own)
//!     }
//!   ],
//!   "type_metadata": ["…"],         // optional: Type Metadata documents, standard base64
//!                                   // of their exact bytes (super::trust_list_metadata)
//!   "registrars": [{…}]             // optional: registrars of verifiers, for holders'
//!                                   // wallets (super::trust_list_registrars, ADR 0021)
//! }
//! ```
//!
//! [`TrustList::verify`] checks the signature with the pinned key only (a key or
//! certificate named in the token itself is never used), the `typ`, the size limits below,
//! every member, and the list's own validity. Rollback protection needs the sequence of the
//! list already installed: see [`check_newer`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
#[cfg(feature = "issue")]
use serde_json::json;
use serde_json::{Map, Value};

use super::trust_list_metadata;
use super::trust_list_registrars::{self, TrustedRegistrar};
use super::trusted_issuer::TrustedIssuer;
#[cfg(feature = "issue")]
use laissez_crypto::ecdsa::Es256Signer;
use laissez_crypto::ecdsa::{HighS, VerifyingKey};
use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::jose::IssuerJwk;
#[cfg(feature = "issue")]
use laissez_formats::jose::JwsHeader;
use laissez_formats::jose::base64url;
use laissez_formats::jose::json;
use laissez_formats::jose::{CompactFailure, VerifiedCompact, verify_compact};
use laissez_formats::type_metadata::TypeMetadataDocument;
use laissez_formats::x509::Certificate;

/// The JWS `typ` of a signed trust list.
pub const TRUST_LIST_TYP: &str = "laissez-trust-list+jwt";
/// The payload `version` written and accepted.
pub const TRUST_LIST_VERSION: u64 = 1;
/// Longest signed trust list accepted, in bytes: 1 MiB, the largest payload a QR envelope
/// carries (`laissez_qr::envelope::MAX_PAYLOAD_LEN`). [`MAX_TRUST_LIST_ENTRIES`] issuers with
/// bare keys fit in about a third of it; with certificates, several hundred.
pub const MAX_TRUST_LIST_LEN: usize = 1024 * 1024;
/// Most issuers in one list.
pub const MAX_TRUST_LIST_ENTRIES: usize = 1_000;
/// Longest issuer name, in bytes of UTF-8.
pub const MAX_ISSUER_NAME_LEN: usize = 256;
/// Longest certificate, in bytes of DER.
pub const MAX_CERTIFICATE_LEN: usize = 8 * 1024;
/// Most credential types per issuer.
pub const MAX_CREDENTIAL_TYPES: usize = 32;
/// Longest credential type, in bytes of UTF-8.
pub const MAX_CREDENTIAL_TYPE_LEN: usize = 256;
/// Most issuing countries per issuer.
pub const MAX_COUNTRIES: usize = 64;
/// Most known signer certificates per issuer.
pub const MAX_SIGNER_CERTIFICATES: usize = 16;
/// How far in the future `iat` may lie (clock differences between signer and verifier): 5 minutes.
pub const TRUST_LIST_CLOCK_SKEW_SECS: i64 = 300;

const SECONDS_PER_DAY: i64 = 86_400;
const TOP_LEVEL_MEMBERS: [&str; 7] = [
    "version",
    "sequence",
    "iat",
    "exp",
    "issuers",
    trust_list_metadata::MEMBER,
    trust_list_registrars::MEMBER,
];
const ENTRY_MEMBERS: [&str; 8] = [
    "name",
    "key",
    "certificate",
    "valid_from",
    "valid_until",
    "credential_types",
    "countries",
    "signer_certificates",
];

/// Why a trust list was refused, or could not be built or signed.
///
/// Messages name the problem, never a value from the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustListError {
    /// Not a well-formed trust list (JWS structure, JSON, a member missing, of the wrong
    /// type or out of range, an unknown member, a certificate that does not match its key).
    #[error("malformed trust list: {0}")]
    Malformed(&'static str),
    /// Beyond one of the limits in this module ([`MAX_TRUST_LIST_LEN`], …).
    #[error("trust list too large: {0}")]
    TooLarge(&'static str),
    /// The header names another algorithm than ES256.
    #[error("unsupported signature algorithm")]
    UnsupportedAlgorithm,
    /// A payload `version` this code does not know.
    #[error("unsupported trust list version {0}")]
    UnsupportedVersion(u64),
    /// The signature does not verify with the pinned trust-list signer key.
    #[error("trust list signature does not verify with the pinned key")]
    BadSignature,
    /// The signature verifies with the pinned key but is the high-S twin of the one the
    /// signer made: someone altered the list's bytes.
    #[error("non-canonical (high-S) trust list signature")]
    NonCanonicalSignature,
    /// The header `typ` is not [`TRUST_LIST_TYP`].
    #[error("not a trust list (wrong typ)")]
    WrongType,
    /// The list's `exp` has passed.
    #[error("trust list expired")]
    Expired,
    /// The list's `iat` lies in the future.
    #[error("trust list not yet valid")]
    NotYetValid,
    /// The list is older than the one installed.
    #[error("trust list rollback: installed sequence {have}, offered {got}")]
    Rollback {
        /// The sequence of the installed list.
        have: u64,
        /// The sequence of the offered list.
        got: u64,
    },
    /// The signer failed.
    #[error("signing the trust list failed")]
    Signing,
}

impl From<trust_list_metadata::MemberProblem> for TrustListError {
    fn from(problem: trust_list_metadata::MemberProblem) -> Self {
        match problem {
            trust_list_metadata::MemberProblem::Malformed(what) => Self::Malformed(what),
            trust_list_metadata::MemberProblem::TooLarge(what) => Self::TooLarge(what),
        }
    }
}

/// One accepted issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListEntry {
    /// The name shown to the field worker.
    pub name: String,
    /// The issuer's signing key (for a certificate entry, the certificate's key): P-256, P-384
    /// or Ed25519.
    pub key: IssuerKey,
    /// The issuer's certificate (DER), when trusted as one: it then also anchors mdoc chains.
    pub certificate: Option<Vec<u8>>,
    /// Trusted from this time (Unix seconds, inclusive).
    pub valid_from: i64,
    /// Trusted until this time (Unix seconds, exclusive).
    pub valid_until: i64,
    /// The credential types (SD-JWT `vct`, mdoc docType) it may issue; empty = any.
    pub credential_types: Vec<String>,
    /// The issuing countries it may vouch for, compared as written: ISO 3166-1 alpha-2 as in
    /// an mdoc's `issuing_country` and its certificates' `C=` (a VICAL names one per IACA), or
    /// alpha-3 as some Claim 169 cards write their country of issuance (list both forms to
    /// accept both); empty = any.
    pub countries: Vec<String>,
    /// Document-signer certificates (DER) this issuer's key certified, carried so that the
    /// verifier already holds them: holders then leave them out of answers, which stay one QR
    /// code. Never anchors: a credential still has to chain to the entry.
    pub signer_certificates: Vec<Vec<u8>>,
}

impl TrustListEntry {
    /// Whether the entry is in its validity period at `now` and covers `credential_type`
    /// (`None` matches every entry).
    pub fn applies_at(&self, now: i64, credential_type: Option<&str>) -> bool {
        let in_period = self.valid_from <= now && now < self.valid_until;
        let covers = match credential_type {
            None => true,
            Some(wanted) => {
                self.credential_types.is_empty()
                    || self.credential_types.iter().any(|t| t == wanted)
            }
        };
        in_period && covers
    }

    #[cfg(feature = "issue")]
    fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("name".into(), Value::String(self.name.clone()));
        map.insert(
            "key".into(),
            IssuerJwk::from_issuer_key(self.key.clone()).to_json(),
        );
        if let Some(der) = &self.certificate {
            map.insert("certificate".into(), Value::String(STANDARD.encode(der)));
        }
        map.insert("valid_from".into(), json!(self.valid_from));
        map.insert("valid_until".into(), json!(self.valid_until));
        if !self.credential_types.is_empty() {
            map.insert("credential_types".into(), json!(self.credential_types));
        }
        if !self.countries.is_empty() {
            map.insert("countries".into(), json!(self.countries));
        }
        if !self.signer_certificates.is_empty() {
            let encoded: Vec<String> = self
                .signer_certificates
                .iter()
                .map(|der| STANDARD.encode(der))
                .collect();
            map.insert("signer_certificates".into(), json!(encoded));
        }
        Value::Object(map)
    }

    fn from_json(value: &Value) -> Result<Self, TrustListError> {
        let map = value.as_object().ok_or(TrustListError::Malformed(
            "an issuer entry is not an object",
        ))?;
        refuse_unknown_members(map, &ENTRY_MEMBERS, "an issuer entry has an unknown member")?;
        let name = match map.get("name") {
            Some(Value::String(name)) => name.clone(),
            _ => {
                return Err(TrustListError::Malformed(
                    "issuer name missing or not a string",
                ));
            }
        };
        check_name(&name)?;
        let key = map
            .get("key")
            .ok_or(TrustListError::Malformed("issuer key missing"))
            .and_then(|jwk| {
                IssuerJwk::from_json(jwk).map_err(|_| {
                    TrustListError::Malformed("issuer key is not a P-256, P-384 or Ed25519 JWK")
                })
            })?
            .into_issuer_key();
        let certificate = match map.get("certificate") {
            None => None,
            Some(Value::String(text)) => {
                if text.len() > MAX_CERTIFICATE_LEN.div_ceil(3) * 4 {
                    return Err(TrustListError::TooLarge("issuer certificate"));
                }
                Some(STANDARD.decode(text).map_err(|_| {
                    TrustListError::Malformed("issuer certificate is not standard base64")
                })?)
            }
            Some(_) => {
                return Err(TrustListError::Malformed(
                    "issuer certificate is not a string",
                ));
            }
        };
        let entry = Self {
            name,
            key,
            certificate,
            valid_from: integer_time(map, "valid_from")?,
            valid_until: integer_time(map, "valid_until")?,
            credential_types: string_array(
                map,
                "credential_types",
                "credential_types is not an array of strings",
            )?,
            countries: string_array(map, "countries", "countries is not an array of strings")?,
            signer_certificates: string_array(
                map,
                "signer_certificates",
                "signer_certificates is not an array of strings",
            )?
            .iter()
            .map(|text| {
                if text.len() > MAX_CERTIFICATE_LEN.div_ceil(3) * 4 {
                    return Err(TrustListError::TooLarge("signer certificate"));
                }
                STANDARD.decode(text).map_err(|_| {
                    TrustListError::Malformed("a signer certificate is not standard base64")
                })
            })
            .collect::<Result<_, _>>()?,
        };
        entry.check()?;
        Ok(entry)
    }

    /// The rules every entry obeys, whether read or about to be signed.
    fn check(&self) -> Result<(), TrustListError> {
        check_name(&self.name)?;
        if self.valid_from >= self.valid_until {
            return Err(TrustListError::Malformed(
                "issuer valid_from is not before valid_until",
            ));
        }
        if let Some(der) = &self.certificate {
            if der.len() > MAX_CERTIFICATE_LEN {
                return Err(TrustListError::TooLarge("issuer certificate"));
            }
            let certificate = Certificate::from_der(der).map_err(|_| {
                TrustListError::Malformed("issuer certificate is not an X.509 certificate with a P-256, P-384 or Ed25519 key")
            })?;
            if certificate.public_key() != &self.key {
                return Err(TrustListError::Malformed(
                    "issuer certificate does not hold the issuer key",
                ));
            }
        }
        if self.credential_types.len() > MAX_CREDENTIAL_TYPES {
            return Err(TrustListError::TooLarge("credential types per issuer"));
        }
        for (i, credential_type) in self.credential_types.iter().enumerate() {
            if credential_type.len() > MAX_CREDENTIAL_TYPE_LEN {
                return Err(TrustListError::TooLarge("credential type"));
            }
            if credential_type.trim().is_empty() || credential_type.chars().any(char::is_control) {
                return Err(TrustListError::Malformed(
                    "a credential type is blank or has control characters",
                ));
            }
            if self.credential_types[..i].contains(credential_type) {
                return Err(TrustListError::Malformed(
                    "a credential type is listed twice",
                ));
            }
        }
        if self.countries.len() > MAX_COUNTRIES {
            return Err(TrustListError::TooLarge("countries per issuer"));
        }
        for (i, country) in self.countries.iter().enumerate() {
            // Alpha-3 too: Claim 169 cards may write their country so (compared as written).
            if !matches!(country.len(), 2 | 3) || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(TrustListError::Malformed(
                    "a country is not two or three capital letters (ISO 3166-1 alpha-2 or alpha-3)",
                ));
            }
            if self.countries[..i].contains(country) {
                return Err(TrustListError::Malformed("a country is listed twice"));
            }
        }
        if self.signer_certificates.len() > MAX_SIGNER_CERTIFICATES {
            return Err(TrustListError::TooLarge("signer certificates per issuer"));
        }
        for der in &self.signer_certificates {
            if der.len() > MAX_CERTIFICATE_LEN {
                return Err(TrustListError::TooLarge("signer certificate"));
            }
            let signer = Certificate::from_der(der).map_err(|_| {
                TrustListError::Malformed("a signer certificate is not an X.509 certificate")
            })?;
            if !signer.is_signature_valid(&self.key) {
                return Err(TrustListError::Malformed(
                    "a signer certificate was not issued by the issuer's key",
                ));
            }
        }
        Ok(())
    }
}

/// A trust list: which issuers to accept, for what, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// Grows with every list the signer publishes; a verifier refuses to go back
    /// (see [`check_newer`]).
    pub sequence: u64,
    /// When the list was made (Unix seconds).
    pub issued_at: i64,
    /// When the list stops being usable (Unix seconds, exclusive).
    pub expires_at: i64,
    /// The accepted issuers.
    pub entries: Vec<TrustListEntry>,
    /// Type Metadata documents the verifier labels claims with (see
    /// [`super::trust_list_metadata`]); add them with [`TrustList::add_type_metadata`].
    pub type_metadata: Vec<TypeMetadataDocument>,
    /// The registrars whose certificates of verifiers a holder's wallet believes (see
    /// [`super::trust_list_registrars`]); add them with [`TrustList::add_registrar`].
    pub registrars: Vec<TrustedRegistrar>,
}

impl TrustList {
    /// An empty list with sequence `sequence`, issued at `now` and expiring `valid_days`
    /// days later.
    pub fn new(sequence: u64, now: i64, valid_days: u32) -> Self {
        Self {
            sequence,
            issued_at: now,
            expires_at: now.saturating_add(i64::from(valid_days) * SECONDS_PER_DAY),
            entries: Vec::new(),
            type_metadata: Vec::new(),
            registrars: Vec::new(),
        }
    }

    /// Adds a registrar of verifiers. Refused, leaving the list unchanged, when an id or name
    /// is blank, too long or has control characters, the country is not ISO 3166-1 alpha-2,
    /// the period is empty, the id is already listed, or it is one too many
    /// ([`super::trust_list_registrars::MAX_REGISTRARS`]).
    pub fn add_registrar(&mut self, registrar: TrustedRegistrar) -> Result<(), TrustListError> {
        Ok(trust_list_registrars::push(
            &mut self.registrars,
            registrar,
        )?)
    }

    /// The registrars to believe at `now`: those in their validity period, none once the
    /// list itself has expired (an out-of-date list vouches for nobody).
    pub fn registrars_at(&self, now: i64) -> Vec<TrustedRegistrar> {
        if !self.is_current_at(now) {
            return Vec::new();
        }
        self.registrars
            .iter()
            .filter(|registrar| registrar.applies_at(now))
            .cloned()
            .collect()
    }

    /// Adds a Type Metadata document (its exact bytes). Refused, leaving the list unchanged,
    /// when it is not valid type metadata, too large, a second document for the same type, or
    /// one too many ([`super::trust_list_metadata::MAX_TYPE_METADATA_DOCUMENTS`]).
    pub fn add_type_metadata(&mut self, bytes: &[u8]) -> Result<(), TrustListError> {
        Ok(trust_list_metadata::push(&mut self.type_metadata, bytes)?)
    }

    /// Adds an issuer trusted as a certificate (DER): its key is the certificate's. The
    /// entry's validity is its own, separate from the certificate's. Returns the entry, to
    /// set [`TrustListEntry::credential_types`].
    pub fn add_issuer_certificate(
        &mut self,
        name: impl Into<String>,
        der: &[u8],
        valid_from: i64,
        valid_until: i64,
    ) -> Result<&mut TrustListEntry, TrustListError> {
        let certificate = Certificate::from_der(der).map_err(|_| {
            TrustListError::Malformed(
                "issuer certificate is not an X.509 certificate with a P-256, P-384 or Ed25519 key",
            )
        })?;
        self.push(TrustListEntry {
            name: name.into(),
            key: certificate.public_key().clone(),
            certificate: Some(der.to_vec()),
            valid_from,
            valid_until,
            credential_types: Vec::new(),
            countries: Vec::new(),
            signer_certificates: Vec::new(),
        })
    }

    /// Adds an issuer trusted by its bare key. Returns the entry, to set
    /// [`TrustListEntry::credential_types`].
    pub fn add_issuer_key(
        &mut self,
        name: impl Into<String>,
        key: impl Into<IssuerKey>,
        valid_from: i64,
        valid_until: i64,
    ) -> Result<&mut TrustListEntry, TrustListError> {
        self.push(TrustListEntry {
            name: name.into(),
            key: key.into(),
            certificate: None,
            valid_from,
            valid_until,
            credential_types: Vec::new(),
            countries: Vec::new(),
            signer_certificates: Vec::new(),
        })
    }

    fn push(&mut self, entry: TrustListEntry) -> Result<&mut TrustListEntry, TrustListError> {
        if self.entries.len() >= MAX_TRUST_LIST_ENTRIES {
            return Err(TrustListError::TooLarge("issuer count"));
        }
        entry.check()?;
        let index = self.entries.len();
        self.entries.push(entry);
        Ok(&mut self.entries[index])
    }

    /// Signs the list as a compact JWS (see the module documentation). Refuses a list that
    /// [`TrustList::verify`] would refuse as malformed or too large, so whatever is signed
    /// can be read back. With the `issue` feature: field verifiers read lists, authorities sign.
    #[cfg(feature = "issue")]
    pub fn sign(&self, signer: &dyn Es256Signer) -> Result<String, TrustListError> {
        let payload = serde_json::to_vec(&self.to_json())
            .map_err(|_| TrustListError::Malformed("the list does not serialise"))?;
        // Apply exactly the rules a verifier applies.
        let reread = Self::from_payload(&payload)?;
        if &reread != self {
            return Err(TrustListError::Malformed(
                "the list does not read back unchanged",
            ));
        }
        let header = JwsHeader::es256().with_typ(TRUST_LIST_TYP);
        let header_json = serde_json::to_vec(&header.to_json())
            .map_err(|_| TrustListError::Malformed("the header does not serialise"))?;
        let mut text = base64url::encode(&header_json);
        text.push('.');
        text.push_str(&base64url::encode(&payload));
        // 86 characters: a 64-byte signature in base64url.
        if text.len() + 1 + 86 > MAX_TRUST_LIST_LEN {
            return Err(TrustListError::TooLarge("signed trust list length"));
        }
        let signature = signer
            .sign(text.as_bytes())
            .map_err(|_| TrustListError::Signing)?;
        text.push('.');
        text.push_str(&base64url::encode(&signature));
        Ok(text)
    }

    /// Reads a signed trust list and checks, in this order: size, JWS structure, header
    /// (`alg` ES256, no `crit`), the signature with `pinned` (and no other key), `typ`,
    /// every payload member, then that `now` lies in `[iat - skew, exp)`. Surrounding
    /// whitespace (a trailing newline in a file) is ignored.
    ///
    /// It does not know which list is installed: call [`check_newer`] before replacing it.
    /// The signature must be low-S (we make only those): a list is our own format.
    pub fn verify(text: &str, pinned: &VerifyingKey, now: i64) -> Result<Self, TrustListError> {
        Self::verify_with(text, pinned, now, HighS::Refuse)
    }

    /// [`TrustList::verify`] under a chosen [`HighS`] policy: [`HighS::Accept`] only for a
    /// list already installed (authenticated by the store), which a release before low-S
    /// signing may have signed high-S.
    pub(crate) fn verify_with(
        text: &str,
        pinned: &VerifyingKey,
        now: i64,
        high_s: HighS,
    ) -> Result<Self, TrustListError> {
        if text.len() > MAX_TRUST_LIST_LEN {
            return Err(TrustListError::TooLarge("signed trust list length"));
        }
        let text = text.trim_ascii();
        let VerifiedCompact {
            header,
            payload_b64,
        } = verify_compact(text, &IssuerKey::from(pinned), high_s).map_err(
            |failure| match failure {
                CompactFailure::Malformed(what) => TrustListError::Malformed(what),
                CompactFailure::UnsupportedAlgorithm => TrustListError::UnsupportedAlgorithm,
                CompactFailure::BadSignature => TrustListError::BadSignature,
                CompactFailure::NonCanonicalSignature => TrustListError::NonCanonicalSignature,
            },
        )?;
        if header.typ() != Some(TRUST_LIST_TYP) {
            return Err(TrustListError::WrongType);
        }
        let payload = base64url::decode(payload_b64)
            .map_err(|_| TrustListError::Malformed("payload is not base64url"))?;
        let list = Self::from_payload(&payload)?;
        if now >= list.expires_at {
            return Err(TrustListError::Expired);
        }
        if list.issued_at > now.saturating_add(TRUST_LIST_CLOCK_SKEW_SECS) {
            return Err(TrustListError::NotYetValid);
        }
        Ok(list)
    }

    /// [`check_newer`] with this list's sequence as the offered one.
    pub fn check_newer_than(&self, installed: Option<u64>) -> Result<(), TrustListError> {
        check_newer(installed, self.sequence)
    }

    /// Whether the list itself is usable at `now` (`now < exp`).
    pub fn is_current_at(&self, now: i64) -> bool {
        now < self.expires_at
    }

    /// The DER of every certificate on the list (what verifiers already hold, so holders can
    /// leave them out of their answers): the known signer certificates first, since answers
    /// carry those, then the issuers' own.
    pub fn certificates(&self) -> Vec<Vec<u8>> {
        let signers = self
            .entries
            .iter()
            .flat_map(|entry| entry.signer_certificates.iter().cloned());
        let own = self
            .entries
            .iter()
            .filter_map(|entry| entry.certificate.clone());
        signers.chain(own).collect()
    }

    /// The issuers to accept at `now` for `credential_type` (`None`: whatever the type),
    /// named, ready for [`crate::verifier::VerificationRequest::trusted`]. Empty once the
    /// list itself has expired: an out-of-date list vouches for nobody. An entry whose
    /// certificate does not parse (only possible for a list built by hand) is left out.
    pub fn issuers_at(&self, now: i64, credential_type: Option<&str>) -> Vec<TrustedIssuer> {
        if !self.is_current_at(now) {
            return Vec::new();
        }
        self.entries
            .iter()
            .filter(|entry| entry.applies_at(now, credential_type))
            .filter_map(|entry| {
                let certificate = match &entry.certificate {
                    None => None,
                    Some(der) => Some(Certificate::from_der(der).ok()?),
                };
                Some(TrustedIssuer {
                    name: Some(entry.name.clone()),
                    key: entry.key.clone(),
                    certificate,
                    credential_types: entry.credential_types.clone(),
                    countries: entry.countries.clone(),
                })
            })
            .collect()
    }

    #[cfg(feature = "issue")]
    fn to_json(&self) -> Value {
        let mut list = json!({
            "version": TRUST_LIST_VERSION,
            "sequence": self.sequence,
            "iat": self.issued_at,
            "exp": self.expires_at,
            "issuers": self.entries.iter().map(TrustListEntry::to_json).collect::<Vec<_>>(),
        });
        if let (Some(map), Some(documents)) = (
            list.as_object_mut(),
            trust_list_metadata::to_json(&self.type_metadata),
        ) {
            map.insert(trust_list_metadata::MEMBER.into(), documents);
        }
        if let (Some(map), Some(registrars)) = (
            list.as_object_mut(),
            trust_list_registrars::to_json(&self.registrars),
        ) {
            map.insert(trust_list_registrars::MEMBER.into(), registrars);
        }
        list
    }

    fn from_payload(payload: &[u8]) -> Result<Self, TrustListError> {
        let map = json::parse_object(payload)
            .map_err(|_| TrustListError::Malformed("payload is not a strict JSON object"))?;
        refuse_unknown_members(&map, &TOP_LEVEL_MEMBERS, "the list has an unknown member")?;
        match map.get("version").map(Value::as_u64) {
            Some(Some(TRUST_LIST_VERSION)) => {}
            Some(Some(other)) => return Err(TrustListError::UnsupportedVersion(other)),
            _ => {
                return Err(TrustListError::Malformed(
                    "version missing or not an integer",
                ));
            }
        }
        let sequence =
            map.get("sequence")
                .and_then(Value::as_u64)
                .ok_or(TrustListError::Malformed(
                    "sequence missing or not an integer",
                ))?;
        let issued_at = integer_time(&map, "iat")?;
        let expires_at = integer_time(&map, "exp")?;
        if issued_at >= expires_at {
            return Err(TrustListError::Malformed("iat is not before exp"));
        }
        let items = map
            .get("issuers")
            .and_then(Value::as_array)
            .ok_or(TrustListError::Malformed("issuers missing or not an array"))?;
        if items.len() > MAX_TRUST_LIST_ENTRIES {
            return Err(TrustListError::TooLarge("issuer count"));
        }
        let entries = items
            .iter()
            .map(TrustListEntry::from_json)
            .collect::<Result<_, _>>()?;
        let type_metadata = match map.get(trust_list_metadata::MEMBER) {
            None => Vec::new(),
            Some(value) => trust_list_metadata::from_json(value)?,
        };
        let registrars = match map.get(trust_list_registrars::MEMBER) {
            None => Vec::new(),
            Some(value) => trust_list_registrars::from_json(value)?,
        };
        Ok(Self {
            sequence,
            issued_at,
            expires_at,
            entries,
            type_metadata,
            registrars,
        })
    }
}

/// Refuses a rollback: `Ok` when nothing is installed or `offered >= installed` (the same
/// sequence is a re-import of the same list), [`TrustListError::Rollback`] otherwise.
pub fn check_newer(installed: Option<u64>, offered: u64) -> Result<(), TrustListError> {
    match installed {
        Some(have) if offered < have => Err(TrustListError::Rollback { have, got: offered }),
        _ => Ok(()),
    }
}

fn check_name(name: &str) -> Result<(), TrustListError> {
    if name.len() > MAX_ISSUER_NAME_LEN {
        return Err(TrustListError::TooLarge("issuer name"));
    }
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(TrustListError::Malformed(
            "issuer name is blank or has control characters",
        ));
    }
    Ok(())
}

/// An optional array of strings (absent = empty).
fn string_array(
    map: &Map<String, Value>,
    name: &str,
    wrong: &'static str,
) -> Result<Vec<String>, TrustListError> {
    match map.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or(TrustListError::Malformed(wrong))
            })
            .collect(),
        Some(_) => Err(TrustListError::Malformed(wrong)),
    }
}

fn integer_time(map: &Map<String, Value>, name: &str) -> Result<i64, TrustListError> {
    map.get(name)
        .and_then(Value::as_i64)
        .ok_or(TrustListError::Malformed(
            "a time is missing or not an integer",
        ))
}

fn refuse_unknown_members(
    map: &Map<String, Value>,
    known: &[&str],
    problem: &'static str,
) -> Result<(), TrustListError> {
    if map.keys().all(|k| known.contains(&k.as_str())) {
        Ok(())
    } else {
        Err(TrustListError::Malformed(problem))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;

    #[test]
    fn check_newer_allows_equal_and_newer() {
        assert_eq!(check_newer(None, 0), Ok(()));
        assert_eq!(check_newer(Some(3), 3), Ok(()));
        assert_eq!(check_newer(Some(3), 4), Ok(()));
        assert_eq!(
            check_newer(Some(3), 2),
            Err(TrustListError::Rollback { have: 3, got: 2 })
        );
    }

    #[test]
    fn entry_rules() {
        let key = SigningKey::generate().unwrap().verifying_key();
        let mut list = TrustList::new(1, 1_000, 1);
        assert!(matches!(
            list.add_issuer_key(" ", key.clone(), 0, 10),
            Err(TrustListError::Malformed(_))
        ));
        assert!(matches!(
            list.add_issuer_key("a\u{7}b", key.clone(), 0, 10),
            Err(TrustListError::Malformed(_))
        ));
        assert!(matches!(
            list.add_issuer_key("ok", key.clone(), 10, 10),
            Err(TrustListError::Malformed(_))
        ));
        assert!(matches!(
            list.add_issuer_key("x".repeat(MAX_ISSUER_NAME_LEN + 1), key.clone(), 0, 10),
            Err(TrustListError::TooLarge(_))
        ));
        assert!(matches!(
            list.add_issuer_certificate("c", b"not der", 0, 10),
            Err(TrustListError::Malformed(_))
        ));
        assert!(list.entries.is_empty());
        let entry = list.add_issuer_key("ok", key, 0, 10).unwrap();
        assert!(entry.applies_at(0, None));
        assert!(!entry.applies_at(10, None));
        entry.credential_types = vec!["a".into()];
        assert!(entry.applies_at(5, Some("a")));
        assert!(!entry.applies_at(5, Some("b")));
        assert!(entry.applies_at(5, None));
    }

    #[test]
    #[cfg(feature = "issue")]
    fn countries_are_alpha_2_or_alpha_3_codes_listed_once() {
        let key = SigningKey::generate().unwrap().verifying_key();
        let mut entry = TrustListEntry {
            name: "IACA".into(),
            key: key.into(),
            certificate: None,
            valid_from: 0,
            valid_until: 10,
            credential_types: Vec::new(),
            countries: vec!["NL".into(), "AU".into(), "NLD".into()],
            signer_certificates: Vec::new(),
        };
        assert_eq!(entry.check(), Ok(()));
        let back = TrustListEntry::from_json(&entry.to_json()).unwrap();
        assert_eq!(back, entry);
        for bad in [
            vec!["nl"],
            vec!["NLDS"],
            vec!["N"],
            vec!["N1"],
            vec!["NL", "NL"],
            vec![""],
        ] {
            entry.countries = bad.iter().map(|c| (*c).to_owned()).collect();
            assert!(
                matches!(entry.check(), Err(TrustListError::Malformed(_))),
                "{bad:?}"
            );
        }
        entry.countries = (0..=MAX_COUNTRIES)
            .map(|i| {
                format!(
                    "{}{}",
                    char::from(b'A' + (i / 26) as u8),
                    char::from(b'A' + (i % 26) as u8)
                )
            })
            .collect();
        assert_eq!(
            entry.check(),
            Err(TrustListError::TooLarge("countries per issuer"))
        );
        let mut json = entry.to_json();
        json["countries"] = serde_json::json!("NL");
        assert!(matches!(
            TrustListEntry::from_json(&json),
            Err(TrustListError::Malformed(_))
        ));
    }

    #[test]
    #[cfg(feature = "issue")]
    fn signer_certificates_must_be_issued_by_the_entry() {
        use laissez_crypto::issuer_key::{IssuerSigningKey, SignatureAlgorithm};
        use laissez_formats::x509::{issue_certificate, self_signed_certificate};
        let root = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
        let root_der = self_signed_certificate(&root, "Root", 0, 3650).unwrap();
        let signer = SigningKey::generate().unwrap();
        let signer_der =
            issue_certificate(signer.public_key(), "DS", 0, 365, &root, "Root").unwrap();
        let mut list = TrustList::new(1, 1_000, 1);
        let entry = list
            .add_issuer_certificate("Root", &root_der, 0, 10_000)
            .unwrap();
        entry.signer_certificates = vec![signer_der.clone()];
        let entry = entry.clone();
        assert_eq!(entry.check(), Ok(()));
        assert_eq!(TrustListEntry::from_json(&entry.to_json()).unwrap(), entry);
        assert_eq!(list.certificates(), vec![signer_der.clone(), root_der]);
        // A certificate another key issued, or garbage, is refused.
        let stranger = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
        let foreign =
            issue_certificate(signer.public_key(), "DS", 0, 365, &stranger, "Root").unwrap();
        let mut bad = entry.clone();
        bad.signer_certificates = vec![foreign];
        assert!(matches!(bad.check(), Err(TrustListError::Malformed(_))));
        bad.signer_certificates = vec![b"not der".to_vec()];
        assert!(matches!(bad.check(), Err(TrustListError::Malformed(_))));
        bad.signer_certificates = vec![signer_der; MAX_SIGNER_CERTIFICATES + 1];
        assert!(matches!(bad.check(), Err(TrustListError::TooLarge(_))));
    }
}
