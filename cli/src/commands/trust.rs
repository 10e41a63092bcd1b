//! `laissez trust ...`: make a trust-list signer, describe and sign a list of trusted
//! issuers, and import it into the field verifier's store after checking its signature
//! with the pinned signer key and that it is newer than the stored list.
//!
//! `build` writes an unsigned description, so it can be reviewed before `sign`:
//! `{"sequence": N, "valid_days": D, "issuers": [{"name": …, "trust_base64": …,
//! "credential_types": […], "countries": […]}]}`, where `trust_base64` is the issuer's
//! certificate (PEM or DER) or public JWK file, as given, and the two optional lists limit
//! what it may vouch for (an anchors file from `trust import-vical`/`import-lote` fills them;
//! for an --issuer, `--issuer-type NAME=TYPE` and `--issuer-country NAME=CC` do).
//! Registrars of verifiers (for holders' wallets) are described as `"registrars": [{"id": …,
//! "name": …, "country": …, "key": JWK}]`, trusted for the list's whole validity.
//! `sign` stamps the list with the time of signing. The first import pins the signer's key
//! (see `wallet_core::verifier::trust_store`).

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::issuer::signing_key_from_jwk;
use wallet_core::jose::P256Jwk;
use wallet_core::qr::MessageKind;
use wallet_core::verifier::TrustedIssuer;
use wallet_core::verifier::trust_list::{TrustList, TrustListError};
use wallet_core::verifier::trust_list_registrars::TrustedRegistrar;
use wallet_core::verifier::trust_store::{self, InstalledTrustList, TrustStoreError};
use wallet_core::x509::Certificate;
use zeroize::Zeroizing;

use crate::args::{
    TrustBuildArgs, TrustCommand, TrustImportArgs, TrustNewSignerArgs, TrustShowArgs, TrustSignArgs,
};
use crate::exit::{CliError, CliResult};
use crate::{input_files, output, qr_files, unix_time, wallet_file};

/// The signer's private key file.
const SIGNER_KEY_FILE: &str = "signer.key.json";
/// The signer's public key file, for verifiers to pin.
const SIGNER_PUB_FILE: &str = "signer.pub.json";

/// Runs one trust subcommand.
pub fn run(command: TrustCommand) -> CliResult {
    match command {
        TrustCommand::NewSigner(args) => new_signer(&args),
        TrustCommand::Build(args) => build(&args),
        TrustCommand::Sign(args) => sign(&args),
        TrustCommand::Import(args) => import(&args),
        TrustCommand::Show(args) => show(&args),
        TrustCommand::ImportVical(args) => super::trust_import::import_vical(&args),
        TrustCommand::ImportLote(args) => super::trust_import::import_lote(&args),
    }
}

/// A refused list is a negative answer; a file that is not a list at all is bad input.
fn trust_error(err: TrustListError) -> CliError {
    match err {
        TrustListError::BadSignature
        | TrustListError::NonCanonicalSignature
        | TrustListError::WrongType
        | TrustListError::Expired
        | TrustListError::NotYetValid
        | TrustListError::Rollback { .. } => CliError::Negative(err.to_string()),
        TrustListError::Signing => CliError::Failed(err.to_string()),
        _ => CliError::BadInput(err.to_string()),
    }
}

fn new_signer(args: &TrustNewSignerArgs) -> CliResult {
    for file in [SIGNER_KEY_FILE, SIGNER_PUB_FILE] {
        if args.out.join(file).exists() {
            return Err(CliError::BadInput(format!(
                "{} already holds a signer ({file}); it was left untouched",
                args.out.display()
            )));
        }
    }
    std::fs::create_dir_all(&args.out).map_err(|err| {
        CliError::BadInput(format!(
            "cannot create {}: {}",
            args.out.display(),
            err.kind()
        ))
    })?;
    let key = SigningKey::generate()?;
    let public = P256Jwk::from_verifying_key(key.public_key().clone()).to_json();
    // Formatted by hand so the secret only ever sits in wiped buffers.
    let d = Zeroizing::new(URL_SAFE_NO_PAD.encode(key.scalar()));
    let private_text = Zeroizing::new(format!(
        "{{\n  \"crv\": \"P-256\",\n  \"d\": \"{}\",\n  \"kty\": \"EC\",\n  \"x\": \"{}\",\n  \"y\": \"{}\"\n}}\n",
        d.as_str(),
        URL_SAFE_NO_PAD.encode(key.public_key().x()),
        URL_SAFE_NO_PAD.encode(key.public_key().y()),
    ));
    write_secret(&args.out.join(SIGNER_KEY_FILE), private_text.as_bytes())?;
    input_files::write_output(
        &args.out.join(SIGNER_PUB_FILE),
        format!("{public:#}\n").as_bytes(),
        "signer public key",
    )?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Created trust-list signer in {}", args.out.display())?;
    writeln!(out, "key fingerprint   {}", key.public_key().fingerprint())?;
    writeln!(
        out,
        "secret key        {SIGNER_KEY_FILE} (keep it; mode 0600)"
    )?;
    writeln!(
        out,
        "for verifiers     {SIGNER_PUB_FILE} (laissez trust import --signer-key)"
    )?;
    Ok(())
}

/// Creates `path` (never replacing it) readable by its owner only, and writes `bytes`.
fn write_secret(path: &Path, bytes: &[u8]) -> CliResult {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let message = |err: std::io::Error| format!("cannot write {}: {}", path.display(), err.kind());
    let mut file = options
        .open(path)
        .map_err(|err| CliError::BadInput(message(err)))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|err| CliError::Failed(message(err)))
}

/// The unsigned description `build` writes and `sign` reads.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Description {
    sequence: u64,
    valid_days: u32,
    issuers: Vec<DescribedIssuer>,
    /// Type Metadata documents, standard base64 of their exact bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    type_metadata: Vec<String>,
    /// Registrars of verifiers, for holders' wallets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    registrars: Vec<DescribedRegistrar>,
}

/// One registrar of a description: its identifier, name, country and public JWK.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribedRegistrar {
    id: String,
    name: String,
    country: String,
    key: serde_json::Value,
}

/// The registrars of `trust build`'s --registrar-* options, paired in order.
fn described_registrars(args: &TrustBuildArgs) -> CliResult<Vec<DescribedRegistrar>> {
    let count = args.registrar_keys.len();
    if args.registrar_ids.len() != count
        || args.registrar_names.len() != count
        || args.registrar_countries.len() != count
    {
        return Err(CliError::BadInput(
            "give each registrar all of --registrar-key, --registrar-id, --registrar-name and \
             --registrar-country, in the same order"
                .into(),
        ));
    }
    let mut registrars = Vec::with_capacity(count);
    for (i, file) in args.registrar_keys.iter().enumerate() {
        let key = input_files::read_public_jwk(file, "registrar public key")?;
        registrars.push(DescribedRegistrar {
            id: args.registrar_ids[i].clone(),
            name: args.registrar_names[i].clone(),
            country: args.registrar_countries[i].clone(),
            key: P256Jwk::from_verifying_key(key).to_json(),
        });
    }
    Ok(registrars)
}

/// One issuer of a description: its name, its trust file (base64), and what it may vouch
/// for: credential types and issuing countries (each empty = any).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribedIssuer {
    name: String,
    trust_base64: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    credential_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    countries: Vec<String>,
    /// Document-signer certificates it issued (standard base64 DER), held by verifiers so
    /// holders leave them out of answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    signer_certificates: Vec<String>,
}

/// The issuers of --issuer named `name`, or the error for `option NAME=value`.
fn named<'a>(
    issuers: &'a mut [DescribedIssuer],
    option: &str,
    name: &str,
    value: &str,
) -> CliResult<Vec<&'a mut DescribedIssuer>> {
    let found: Vec<_> = issuers
        .iter_mut()
        .filter(|issuer| issuer.name == name)
        .collect();
    if found.is_empty() {
        return Err(CliError::BadInput(format!(
            "{option} {name}={value}: no --issuer named '{name}' (limits apply to the issuers \
             of --issuer; an anchors file carries its own)"
        )));
    }
    Ok(found)
}

/// Applies --issuer-type and --issuer-country to the issuers of --issuer (`issuers` holds
/// only those yet): each NAME must be one of them. Countries are checked here for a clear
/// message: verdicts compare a credential's country as written, so the list holds ISO 3166-1
/// alpha-2 codes (mdoc) or alpha-3 codes (some Claim 169 cards), nothing else.
fn limit_issuers(args: &TrustBuildArgs, issuers: &mut [DescribedIssuer]) -> CliResult {
    for (name, credential_type) in &args.issuer_types {
        for issuer in named(issuers, "--issuer-type", name, credential_type)? {
            if !issuer.credential_types.contains(credential_type) {
                issuer.credential_types.push(credential_type.clone());
            }
        }
    }
    for (name, country) in &args.issuer_countries {
        if !matches!(country.len(), 2 | 3) || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CliError::BadInput(format!(
                "--issuer-country {name}={country}: give the ISO 3166-1 alpha-2 or alpha-3 code \
                 as the credentials write it (capital letters, e.g. KE; a Claim 169 card may \
                 write KEN: give both to accept both)"
            )));
        }
        for issuer in named(issuers, "--issuer-country", name, country)? {
            if !issuer.countries.contains(country) {
                issuer.countries.push(country.clone());
            }
        }
    }
    Ok(())
}

fn build(args: &TrustBuildArgs) -> CliResult {
    let mut issuers = Vec::with_capacity(args.issuers.len());
    for (name, file) in &args.issuers {
        // Refuse a file that is not a key or certificate now, not at signing time.
        input_files::read_trusted_issuer(file)?;
        let bytes = input_files::read_bytes(file, "issuer key or certificate")?;
        issuers.push(DescribedIssuer {
            name: name.clone(),
            trust_base64: STANDARD.encode(bytes),
            credential_types: Vec::new(),
            countries: Vec::new(),
            signer_certificates: Vec::new(),
        });
    }
    limit_issuers(args, &mut issuers)?;
    let type_metadata = args
        .type_metadata
        .iter()
        .map(|path| input_files::read_bytes(path, "type metadata file").map(|b| STANDARD.encode(b)))
        .collect::<CliResult<Vec<_>>>()?;
    let mut duplicates = 0usize;
    for path in &args.anchors {
        let anchors = super::trust_import::read_anchors(path)?;
        for entry in anchors.entries {
            let issuer = DescribedIssuer {
                name: entry.name,
                trust_base64: entry.certificate,
                credential_types: entry.credential_types,
                countries: entry.countries,
                signer_certificates: Vec::new(),
            };
            // Two lists often name the same IACA (two issues of one VICAL): once is enough.
            if issuers.iter().any(|known: &DescribedIssuer| {
                known.trust_base64 == issuer.trust_base64
                    && known.credential_types == issuer.credential_types
                    && known.countries == issuer.countries
            }) {
                duplicates += 1;
                continue;
            }
            issuers.push(issuer);
        }
    }
    if issuers.is_empty() {
        return Err(CliError::BadInput(
            "no issuers: give --issuer NAME=FILE or --anchors ANCHORS.json".into(),
        ));
    }
    for (name, file) in &args.signers {
        let bytes = input_files::read_bytes(file, "signer certificate")?;
        let certificate = Certificate::from_der_or_pem(&bytes).map_err(|err| {
            CliError::BadInput(format!("{} is not a certificate: {err}", file.display()))
        })?;
        let issuer = issuers
            .iter_mut()
            .find(|issuer| &issuer.name == name)
            .ok_or_else(|| {
                CliError::BadInput(format!(
                    "--signer {name}=...: no issuer named '{name}' in this list"
                ))
            })?;
        issuer
            .signer_certificates
            .push(STANDARD.encode(certificate.der()));
    }
    let description = Description {
        sequence: args.sequence,
        valid_days: args.valid_days,
        issuers,
        type_metadata,
        registrars: described_registrars(args)?,
    };
    // Check the list would be accepted by `sign` (names, counts, credential types, countries,
    // the signed size limit) before writing it: sign it once with a throwaway key.
    let list = to_list(&description, unix_time::now())?;
    let probe = list.sign(&SigningKey::generate()?).map_err(|err| {
        CliError::BadInput(format!("the list would be refused when signed: {err}"))
    })?;
    let mut text = serde_json::to_string_pretty(&description)?;
    text.push('\n');
    input_files::write_output(&args.out, text.as_bytes(), "list description")?;
    writeln!(
        std::io::stdout(),
        "Described trust list {} ({} issuers, {} registrars, {} type metadata documents, valid \
         {} days once signed, about {} bytes signed) in {}",
        description.sequence,
        description.issuers.len(),
        description.registrars.len(),
        description.type_metadata.len(),
        description.valid_days,
        probe.len(),
        args.out.display()
    )?;
    if duplicates > 0 {
        writeln!(
            std::io::stdout(),
            "left out {duplicates} anchors listed twice (same certificate, types and countries)"
        )?;
    }
    Ok(())
}

/// The list a description stands for, issued at `now`.
fn to_list(description: &Description, now: i64) -> CliResult<TrustList> {
    let mut list = TrustList::new(description.sequence, now, description.valid_days);
    let until = list.expires_at;
    for issuer in &description.issuers {
        let bad = || {
            CliError::BadInput(format!(
                "the issuer '{}' of the description is not a certificate or public JWK",
                issuer.name
            ))
        };
        let bytes = STANDARD.decode(&issuer.trust_base64).map_err(|_| bad())?;
        let trusted = TrustedIssuer::from_bytes(&bytes).map_err(|_| bad())?;
        let entry = match &trusted.certificate {
            Some(certificate) => {
                list.add_issuer_certificate(&issuer.name, certificate.der(), now, until)
            }
            None => list.add_issuer_key(&issuer.name, trusted.key, now, until),
        }
        .map_err(|err| CliError::BadInput(format!("issuer '{}': {err}", issuer.name)))?;
        entry.credential_types.clone_from(&issuer.credential_types);
        entry.countries.clone_from(&issuer.countries);
        for (i, text) in issuer.signer_certificates.iter().enumerate() {
            let der = STANDARD.decode(text).map_err(|_| {
                CliError::BadInput(format!(
                    "signer certificate {} of issuer '{}' is not base64",
                    i + 1,
                    issuer.name
                ))
            })?;
            entry.signer_certificates.push(der);
        }
    }
    for (i, document) in description.type_metadata.iter().enumerate() {
        let which = i + 1;
        let bytes = STANDARD.decode(document).map_err(|_| {
            CliError::BadInput(format!(
                "type metadata document {which} of the description is not base64"
            ))
        })?;
        list.add_type_metadata(&bytes)
            .map_err(|err| CliError::BadInput(format!("type metadata document {which}: {err}")))?;
    }
    for registrar in &description.registrars {
        let key = P256Jwk::from_json(&registrar.key)
            .map_err(|_| {
                CliError::BadInput(format!(
                    "the key of registrar '{}' is not a P-256 public JWK",
                    registrar.id
                ))
            })?
            .into_verifying_key();
        list.add_registrar(TrustedRegistrar {
            id: registrar.id.clone(),
            name: registrar.name.clone(),
            country: registrar.country.clone(),
            key,
            valid_from: now,
            valid_until: until,
        })
        .map_err(|err| CliError::BadInput(format!("registrar '{}': {err}", registrar.id)))?;
    }
    Ok(list)
}

fn sign(args: &TrustSignArgs) -> CliResult {
    let json = input_files::read_json(&args.input, "list description")?;
    let description: Description = serde_json::from_value(json).map_err(|err| {
        CliError::BadInput(format!(
            "{} is not a list description from laissez trust build ({err})",
            args.input.display()
        ))
    })?;
    let list = to_list(&description, unix_time::now())?;
    let key_path = args.signer.join(SIGNER_KEY_FILE);
    let key_text = Zeroizing::new(
        String::from_utf8(input_files::read_bytes(&key_path, "signer key")?).map_err(|_| {
            CliError::BadInput(format!("{} is not a private JWK", key_path.display()))
        })?,
    );
    // Trust lists are signed ES256 only: the signer's key is a P-256 private JWK.
    let key = signing_key_from_jwk(&key_text).map_err(|_| {
        CliError::BadInput(format!(
            "{}: not a P-256 private JWK (trust lists are signed ES256)",
            key_path.display()
        ))
    })?;
    let signed = list.sign(&key).map_err(trust_error)?;
    input_files::write_output(&args.out, format!("{signed}\n").as_bytes(), "signed list")?;
    let codes = match &args.qr_dir {
        Some(dir) => {
            let first = dir.join("trust-list.png");
            Some(qr_files::write_message(
                &trust_store::to_message(&signed),
                Some(&first),
                Some(dir),
            )?)
        }
        None => None,
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Signed trust list {} ({} issuers) to {}",
        list.sequence,
        list.entries.len(),
        args.out.display()
    )?;
    writeln!(out, "signer            {}", key.public_key().fingerprint())?;
    writeln!(
        out,
        "valid until       {}",
        unix_time::utc_text(list.expires_at)
    )?;
    if let (Some(dir), Some(codes)) = (&args.qr_dir, codes) {
        writeln!(
            out,
            "QR codes          {} in {} (version up to {})",
            codes.chars.len(),
            dir.display(),
            codes.versions.iter().max().copied().unwrap_or(0)
        )?;
    }
    Ok(())
}

/// Whether `bytes` start like a PNG or JPEG image.
fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xff, 0xd8, 0xff])
}

/// The signed list text from a file, or from images of its QR codes.
fn signed_text(paths: &[std::path::PathBuf]) -> CliResult<String> {
    let first = paths
        .first()
        .ok_or_else(|| CliError::BadInput("no signed trust list given".into()))?;
    let bytes = input_files::read_bytes(first, "signed trust list")?;
    if is_image(&bytes) {
        let message = qr_files::read_one(paths, MessageKind::TrustList, "trust list")?;
        return trust_store::text_of(&message)
            .map(str::to_owned)
            .map_err(trust_store_error);
    }
    if paths.len() > 1 {
        return Err(CliError::BadInput(
            "give one signed list file, or the images of its QR codes".into(),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| CliError::BadInput(format!("{} is not a signed trust list", first.display())))
}

/// A store or damage failure is not the user's input; a refused list is a negative answer.
fn trust_store_error(err: TrustStoreError) -> CliError {
    match err {
        TrustStoreError::Store(err) => err.into(),
        TrustStoreError::TrustList(err) => trust_error(err),
        TrustStoreError::SignerChanged { .. } => CliError::Negative(err.to_string()),
        TrustStoreError::NotATrustList => CliError::BadInput(err.to_string()),
        TrustStoreError::NoPinnedSigner => {
            CliError::BadInput(format!("{err}: pass --signer-key signer.pub.json"))
        }
        _ => CliError::Failed(err.to_string()),
    }
}

fn import(args: &TrustImportArgs) -> CliResult {
    // Inputs first: a bad file costs no PIN prompt.
    let signer = args
        .signer_key
        .as_ref()
        .map(|path| input_files::read_public_jwk(path, "signer public key"))
        .transpose()?;
    let text = signed_text(&args.list)?;
    let mut store = wallet_file::open_unlocked(&args.db)?;
    let installation = trust_store::install(&mut store, &text, signer.as_ref(), unix_time::now())
        .map_err(trust_store_error)?;
    let list = &installation.list;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Imported trust list {} ({} issuers), valid until {}",
        list.sequence,
        list.entries.len(),
        unix_time::utc_text(list.expires_at)
    )?;
    match installation.replaced {
        // The core takes the same sequence as a re-import of the same list.
        Some(previous) if previous == list.sequence => {
            writeln!(out, "replaces the stored copy of list {previous}")?;
        }
        Some(previous) => writeln!(out, "replaces list     {previous}")?,
        None => {}
    }
    Ok(())
}

/// `trust show --json`.
#[derive(Serialize)]
struct ShowJson {
    sequence: u64,
    issued_at: i64,
    expires_at: i64,
    current: bool,
    signer: String,
    issuers: Vec<IssuerJson>,
    /// Registrars of verifiers (for holders' wallets).
    registrars: Vec<RegistrarJson>,
}

/// One registrar in `trust show --json`.
#[derive(Serialize)]
struct RegistrarJson {
    id: String,
    name: String,
    country: String,
    key_fingerprint: String,
    valid_from: i64,
    valid_until: i64,
}

/// One issuer in `trust show --json`.
#[derive(Serialize)]
struct IssuerJson {
    name: String,
    key_fingerprint: String,
    certificate: bool,
    valid_from: i64,
    valid_until: i64,
    /// The credential types it vouches for; empty: any.
    credential_types: Vec<String>,
    /// The issuing countries it vouches for (mdoc, Claim 169); empty: any.
    countries: Vec<String>,
    /// How many of its signers' certificates the list carries.
    known_signers: usize,
}

fn show(args: &TrustShowArgs) -> CliResult {
    let store = wallet_file::open_unlocked(&args.db)?;
    let Some(InstalledTrustList { list, signer }) =
        trust_store::installed(&store).map_err(trust_store_error)?
    else {
        return Err(CliError::Negative(format!(
            "no trust list in {} (laissez trust import)",
            args.db.display()
        )));
    };
    let now = unix_time::now();
    let report = ShowJson {
        sequence: list.sequence,
        issued_at: list.issued_at,
        expires_at: list.expires_at,
        current: list.is_current_at(now),
        signer: signer.fingerprint(),
        issuers: list
            .entries
            .iter()
            .map(|entry| IssuerJson {
                name: entry.name.clone(),
                key_fingerprint: entry.key.fingerprint(),
                certificate: entry.certificate.is_some(),
                valid_from: entry.valid_from,
                valid_until: entry.valid_until,
                credential_types: entry.credential_types.clone(),
                countries: entry.countries.clone(),
                known_signers: entry.signer_certificates.len(),
            })
            .collect(),
        registrars: list
            .registrars
            .iter()
            .map(|registrar| RegistrarJson {
                id: registrar.id.clone(),
                name: registrar.name.clone(),
                country: registrar.country.clone(),
                key_fingerprint: registrar.key.fingerprint(),
                valid_from: registrar.valid_from,
                valid_until: registrar.valid_until,
            })
            .collect(),
    };
    if args.json {
        return output::print_json(&report);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "sequence          {}", report.sequence)?;
    writeln!(
        out,
        "issued            {}",
        unix_time::utc_text(report.issued_at)
    )?;
    writeln!(
        out,
        "valid until       {}{}",
        unix_time::utc_text(report.expires_at),
        if report.current { "" } else { " (EXPIRED)" }
    )?;
    writeln!(out, "signer            {}", report.signer)?;
    writeln!(out, "issuers           {}", report.issuers.len())?;
    for issuer in &report.issuers {
        writeln!(
            out,
            "  {}  {} ({}), {} to {}",
            issuer.name,
            issuer.key_fingerprint,
            if issuer.certificate {
                "certificate"
            } else {
                "key"
            },
            unix_time::utc_text(issuer.valid_from),
            unix_time::utc_text(issuer.valid_until)
        )?;
        let any = |items: &[String]| {
            if items.is_empty() {
                "any".to_owned()
            } else {
                items.join(", ")
            }
        };
        writeln!(
            out,
            "      types {}; countries {}; known signers {}",
            any(&issuer.credential_types),
            any(&issuer.countries),
            issuer.known_signers
        )?;
    }
    writeln!(out, "registrars        {}", report.registrars.len())?;
    for registrar in &report.registrars {
        writeln!(
            out,
            "  {} ({}, {})  {}, {} to {}",
            registrar.name,
            registrar.id,
            registrar.country,
            registrar.key_fingerprint,
            unix_time::utc_text(registrar.valid_from),
            unix_time::utc_text(registrar.valid_until)
        )?;
    }
    Ok(())
}
