//! `laissez trust import-vical` and `trust import-lote`: outside trust lists (ISO/IEC 18013-5
//! VICAL, ETSI TS 119 602 LoTE), verified online by the administrator, turned into an anchors
//! file that `trust build --anchors` puts into the field verifiers' signed list.
//!
//! The anchors file (JSON):
//! `{"anchors_version": 1, "source": {"kind": "vical"|"lote", "file": …, "provider": …,
//! "list_type": …, "issue_id": …, "issued_at": …, "next_update": …, "checked_at": …},
//! "entries": [{"name", "certificate" (base64 DER), "credential_types", "countries",
//! "service_type"?}], "skipped": [{"name", "reason"}]}`.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use wallet_core::lote::{LoteError, SignedLote};
use wallet_core::verifier::trust_list::{
    MAX_CERTIFICATE_LEN, MAX_CREDENTIAL_TYPES, MAX_ISSUER_NAME_LEN,
};
use wallet_core::vical::{SignedVical, VicalError};
use wallet_core::x509::{Certificate, PathError, ValidityStatus};

use crate::args::{TrustImportLoteArgs, TrustImportVicalArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, unix_time};

/// The anchors file's format version.
const ANCHORS_VERSION: u64 = 1;

/// An anchors file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorsFile {
    /// [`ANCHORS_VERSION`].
    pub anchors_version: u64,
    /// Where the anchors came from.
    pub source: Source,
    /// The anchors.
    pub entries: Vec<AnchorEntry>,
    /// Entries of the list left out, with the reason.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

/// The list an anchors file was taken from.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// "vical" or "lote".
    pub kind: String,
    /// The file name given.
    pub file: String,
    /// vicalProvider, or the LoTE's scheme operator.
    pub provider: String,
    /// The LoTE's LoTEType (absent for a VICAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_type: Option<String>,
    /// vicalIssueID or LoTESequenceNumber.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_id: Option<u64>,
    /// The list's date (Unix seconds).
    pub issued_at: i64,
    /// Its next update (Unix seconds), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update: Option<i64>,
    /// The time it was checked at (Unix seconds).
    pub checked_at: i64,
}

/// One anchor.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorEntry {
    /// The name the field worker sees.
    pub name: String,
    /// The certificate, base64 DER.
    pub certificate: String,
    /// The credential types it may vouch for (empty = any).
    #[serde(default)]
    pub credential_types: Vec<String>,
    /// The issuing countries it may vouch for (empty = any).
    #[serde(default)]
    pub countries: Vec<String>,
    /// The LoTE service type, if any (shown, not enforced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
}

/// A list entry left out.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// Reads an anchors file.
pub fn read_anchors(path: &Path) -> CliResult<AnchorsFile> {
    let json = input_files::read_json(path, "anchors file")?;
    let file: AnchorsFile = serde_json::from_value(json).map_err(|err| {
        CliError::BadInput(format!(
            "{} is not an anchors file from laissez trust import-vical/import-lote ({err})",
            path.display()
        ))
    })?;
    if file.anchors_version != ANCHORS_VERSION {
        return Err(CliError::BadInput(format!(
            "{}: unsupported anchors_version {}",
            path.display(),
            file.anchors_version
        )));
    }
    Ok(file)
}

/// What to say after a refusal for time: an archived list can be checked at its own time.
const AT_HINT: &str =
    " (to import an archived list, check it at a time of its validity: --at UNIX_TIME)";

/// A refused list is a negative answer; a file that is not one is bad input.
fn vical_error(err: VicalError) -> CliError {
    match err {
        VicalError::Expired
        | VicalError::NotYetValid
        | VicalError::ProviderPath(PathError::Expired { .. } | PathError::NotYetValid { .. }) => {
            CliError::Negative(format!("{err}{AT_HINT}"))
        }
        VicalError::BadSignature
        | VicalError::UntrustedProvider
        | VicalError::ProviderPath(_)
        | VicalError::NotAVicalSigner => CliError::Negative(err.to_string()),
        _ => CliError::BadInput(err.to_string()),
    }
}

fn lote_error(err: LoteError) -> CliError {
    match err {
        LoteError::Expired | LoteError::NotYetValid | LoteError::SignerNotValid => {
            CliError::Negative(format!("{err}{AT_HINT}"))
        }
        LoteError::BadSignature | LoteError::SignerMismatch => CliError::Negative(err.to_string()),
        _ => CliError::BadInput(err.to_string()),
    }
}

/// A name that fits the trust list: control characters dropped, cut to its limit.
fn fit_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).collect();
    let mut end = clean.len().min(MAX_ISSUER_NAME_LEN);
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    let cut = clean.get(..end).unwrap_or_default().trim().to_owned();
    if cut.is_empty() {
        "(unnamed)".into()
    } else {
        cut
    }
}

/// Why a certificate cannot anchor a trust-list entry at `at`, if it cannot.
fn unusable(der: &[u8], at: i64) -> Option<String> {
    if der.len() > MAX_CERTIFICATE_LEN {
        return Some(format!(
            "certificate larger than {MAX_CERTIFICATE_LEN} bytes"
        ));
    }
    match Certificate::from_der(der) {
        Err(wallet_core::x509::X509Error::UnsupportedKey) => Some(
            "its key is not one Laissez verifies with (P-256, P-384, Ed25519), e.g. P-521, brainpool or RSA"
                .into(),
        ),
        Err(err) => Some(err.to_string()),
        Ok(cert) => match cert.validity_at(at) {
            ValidityStatus::Valid => None,
            ValidityStatus::Expired => Some("certificate expired at the time".into()),
            ValidityStatus::NotYetValid => Some("certificate not yet valid at the time".into()),
        },
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn write_anchors(path: &Path, anchors: &AnchorsFile) -> CliResult {
    let mut text = serde_json::to_string_pretty(anchors)?;
    text.push('\n');
    input_files::write_output(path, text.as_bytes(), "anchors file")
}

fn report(anchors: &AnchorsFile, out_path: &Path) -> CliResult {
    let mut out = std::io::stdout().lock();
    for skipped in &anchors.skipped {
        writeln!(
            out,
            "skipped           {}: {}",
            skipped.name, skipped.reason
        )?;
    }
    writeln!(
        out,
        "Wrote {} anchors ({} skipped) from {} '{}' to {}",
        anchors.entries.len(),
        anchors.skipped.len(),
        anchors.source.kind,
        anchors.source.provider,
        out_path.display()
    )?;
    if anchors.entries.is_empty() {
        return Err(CliError::Negative(
            "no usable anchor in the list for what was asked".into(),
        ));
    }
    Ok(())
}

/// `laissez trust import-vical`.
pub fn import_vical(args: &TrustImportVicalArgs) -> CliResult {
    let root_bytes = input_files::read_bytes(&args.provider_root, "provider root certificate")?;
    let root = Certificate::from_der_or_pem(&root_bytes).map_err(|err| {
        CliError::BadInput(format!(
            "{}: not a usable provider root certificate ({err})",
            args.provider_root.display()
        ))
    })?;
    let countries: Vec<String> = args
        .countries
        .iter()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if let Some(bad) = countries
        .iter()
        .find(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(CliError::BadInput(format!(
            "--country {bad}: not an ISO 3166-1 alpha-2 code (two letters)"
        )));
    }
    let bytes = input_files::read_bytes(&args.vical, "VICAL")?;
    let signed = SignedVical::parse(&bytes).map_err(vical_error)?;
    let at = args.at.unwrap_or_else(unix_time::now);
    let vical = signed.verify(&root, at).map_err(vical_error)?;
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for entry in vical.select(&args.doc_types, &countries) {
        let name = fit_name(
            &entry
                .display_name()
                .unwrap_or_else(|| "(unreadable)".into()),
        );
        if let Some(reason) = unusable(&entry.certificate, at) {
            skipped.push(Skipped { name, reason });
            continue;
        }
        let mut credential_types: Vec<String> = entry
            .doc_types
            .iter()
            .filter(|d| args.doc_types.is_empty() || args.doc_types.contains(d))
            .cloned()
            .collect();
        credential_types.dedup();
        if credential_types.len() > MAX_CREDENTIAL_TYPES {
            skipped.push(Skipped {
                name,
                reason: format!("more than {MAX_CREDENTIAL_TYPES} docTypes"),
            });
            continue;
        }
        let countries = match entry
            .issuing_country
            .as_deref()
            .map(str::to_ascii_uppercase)
        {
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => vec![c],
            Some(_) => {
                skipped.push(Skipped {
                    name,
                    reason: "issuingCountry is not an ISO 3166-1 alpha-2 code".into(),
                });
                continue;
            }
            None => Vec::new(),
        };
        entries.push(AnchorEntry {
            name,
            certificate: STANDARD.encode(&entry.certificate),
            credential_types,
            countries,
            service_type: None,
        });
    }
    let anchors = AnchorsFile {
        anchors_version: ANCHORS_VERSION,
        source: Source {
            kind: "vical".into(),
            file: file_name(&args.vical),
            provider: vical.provider.clone(),
            list_type: None,
            issue_id: vical.issue_id,
            issued_at: vical.date,
            next_update: vical.next_update,
            checked_at: at,
        },
        entries,
        skipped,
    };
    write_and_report(&anchors, &args.out)
}

/// Writes the anchors file (none when no anchor is usable) and reports what was taken.
fn write_and_report(anchors: &AnchorsFile, out: &Path) -> CliResult {
    if !anchors.entries.is_empty() {
        write_anchors(out, anchors)?;
    }
    report(anchors, out)
}

/// `laissez trust import-lote`.
pub fn import_lote(args: &TrustImportLoteArgs) -> CliResult {
    let signer_bytes = input_files::read_bytes(&args.signer, "signer certificate")?;
    let signer_der = wallet_core::lote::certificate_der(&signer_bytes)
        .map_err(|err| CliError::BadInput(format!("{}: {err}", args.signer.display())))?;
    if args.credential_types.len() > MAX_CREDENTIAL_TYPES {
        return Err(CliError::BadInput(format!(
            "at most {MAX_CREDENTIAL_TYPES} --credential-type"
        )));
    }
    let bytes = input_files::read_bytes(&args.lote, "LoTE")?;
    let signed = SignedLote::parse(&bytes).map_err(lote_error)?;
    let at = args.at.unwrap_or_else(unix_time::now);
    let lote = signed.verify(&signer_der, at).map_err(lote_error)?;
    let mut entries = Vec::new();
    let mut skipped = Vec::new();
    for anchor in &lote.anchors {
        let name = fit_name(&anchor.entity_name);
        if let Some(reason) = unusable(&anchor.certificate, at) {
            skipped.push(Skipped { name, reason });
            continue;
        }
        entries.push(AnchorEntry {
            name,
            certificate: STANDARD.encode(&anchor.certificate),
            credential_types: args.credential_types.clone(),
            countries: Vec::new(),
            service_type: anchor.service_type.clone(),
        });
    }
    let anchors = AnchorsFile {
        anchors_version: ANCHORS_VERSION,
        source: Source {
            kind: "lote".into(),
            file: file_name(&args.lote),
            provider: lote.scheme_operator.clone(),
            list_type: Some(lote.lote_type.clone()),
            issue_id: Some(lote.sequence),
            issued_at: lote.issued_at,
            next_update: lote.next_update,
            checked_at: at,
        },
        entries,
        skipped,
    };
    write_and_report(&anchors, &args.out)
}
