//! What the credential functions and the per-format adapters (`mdoc_credential`,
//! `sdjwt_credential`) hand each other: import options, what an import learns, claims as
//! shown, presentations.

use serde_json::Value;

use laissez_crypto::ecdsa::VerifyingKey;
use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::credential::{CredentialFormat, StoredCredential};

/// What the format modules learn from an issued credential.
pub(crate) struct Parsed {
    pub stored: StoredCredential,
    pub holder_key: VerifyingKey,
    /// The SD-JWT `vct#integrity`, if the credential has one.
    pub vct_integrity: Option<String>,
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Issuer keys to check the signature with, besides any certificate the credential
    /// carries.
    pub issuer_keys: Vec<IssuerKey>,
    /// The time to check validity at, Unix seconds.
    pub now: i64,
    /// The Type Metadata document of the credential's type, its exact bytes, to keep with
    /// the credential (its labels). Checked at import: it must parse, describe the
    /// credential's type and match `vct#integrity` when the credential has one. Without it,
    /// Laissez's built-in metadata applies (EU PID, age attestation, its own types).
    pub type_metadata: Option<Vec<u8>>,
}

/// One claim of a credential, for showing to the holder.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimEntry {
    /// The path to use when presenting (`given_name`, `address.locality`,
    /// `org.iso.18013.5.1/family_name`).
    pub path: String,
    /// The value.
    pub value: Value,
    /// The issuer's label in the requested language.
    pub label: Option<String>,
    /// Whether it can be withheld (selectively disclosable).
    pub selectable: bool,
}

/// A presentation ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    /// Its format.
    pub format: CredentialFormat,
    /// SD-JWT+KB compact text (UTF-8) or DeviceResponse CBOR.
    pub bytes: Vec<u8>,
    /// For mdoc, the SessionTranscript bytes it is bound to.
    pub session_transcript: Option<Vec<u8>>,
}
