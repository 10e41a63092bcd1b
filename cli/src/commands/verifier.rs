//! `laissez verifier ...`: the field verifier's own encrypted store, its request QR codes,
//! verdicts on scanned responses, cached status lists and the verification log.

use std::io::Write;

use wallet_core::claim169;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::qr::MessageKind;
use wallet_core::verifier::field_verifier::{
    self, FieldVerifierError, RetentionPolicy, VerifyOptions,
};
use wallet_core::verifier::status_cache::{self, StatusCacheError};
use wallet_core::verifier::status_list::StatusListError;
use wallet_core::verifier::{Verdict, trust_store::TrustStoreError};

use crate::args::{
    VerifierCommand, VerifierLogArgs, VerifierRequestArgs, VerifierStatusArgs, VerifierVerifyArgs,
};
use crate::exit::{CliError, CliResult};
use crate::verdict_output::{
    VerdictJson, codes, print_portrait_line, print_verdict, write_portrait,
};
use crate::{input_files, output, qr_files, unix_time, wallet_file};

use super::wallet;

/// Runs one verifier subcommand.
pub fn run(command: VerifierCommand) -> CliResult {
    match command {
        // The verifier's store is a wallet file like any other: same creation, same phrase.
        VerifierCommand::Init { db, kdf } => wallet::init(&db.db, &kdf),
        VerifierCommand::Request(args) => request(&args),
        VerifierCommand::Verify(args) => verify(&args),
        VerifierCommand::Status(args) => status(&args),
        VerifierCommand::Log(args) => log(&args),
        VerifierCommand::Id(args) => id(&args),
        VerifierCommand::SigningKey(args) => signing_key(&args),
        VerifierCommand::InstallCertificate(args) => install_certificate(&args),
    }
}

/// `laissez verifier signing-key`: the request-signing public key, for the registrar.
fn signing_key(args: &crate::args::VerifierSigningKeyArgs) -> CliResult {
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let key = field_verifier::request_signing_key(&store)?;
    drop(store);
    let jwk = format!(
        "{:#}\n",
        wallet_core::jose::P256Jwk::from_verifying_key(key.public_key().clone()).to_json()
    );
    if let Some(path) = &args.out {
        input_files::write_output(path, jwk.as_bytes(), "public key file")?;
    }
    write!(std::io::stdout(), "{jwk}")?;
    Ok(())
}

/// `laissez verifier install-certificate`: the registrar's certificate for this verifier.
fn install_certificate(args: &crate::args::VerifierInstallCertificateArgs) -> CliResult {
    let bytes = input_files::read_bytes(&args.certificate, "registration certificate")?;
    let claims = wallet_core::registration::read_unverified(&bytes)
        .map_err(|err| CliError::BadInput(format!("{}: {err}", args.certificate.display())))?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let reference = field_verifier::install_certificate(&mut store, &bytes, unix_time::now())
        .map_err(|err| match err {
            FieldVerifierError::Exchange(err) => {
                CliError::BadInput(format!("{}: {err}", args.certificate.display()))
            }
            other => field_error(other),
        })?;
    writeln!(
        std::io::stdout(),
        "Installed the registration certificate of \"{}\" ({}) from {}, valid until {} \
         (reference {}): requests are signed from now on",
        claims.organisation,
        claims.country,
        claims.registrar_id,
        unix_time::utc_text(claims.not_after),
        hex::encode(reference)
    )?;
    Ok(())
}

/// `laissez verifier id`: the code holders scan or type to bind static presentations to this
/// verifier.
fn id(args: &crate::args::VerifierIdArgs) -> CliResult {
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let id = field_verifier::verifier_id(&store)?;
    drop(store);
    if let Some(path) = &args.out {
        let png = wallet_core::qr::render::render(
            &id.code(),
            wallet_core::qr::render::ErrorCorrection::M,
        )
        .and_then(|matrix| matrix.to_png(&wallet_core::qr::render::PngOptions::default()))
        .map_err(|err| CliError::Failed(format!("cannot draw the QR code: {err}")))?;
        input_files::write_output(path, &png, "QR image")?;
    }
    writeln!(std::io::stdout(), "{}", id.code())?;
    Ok(())
}

/// Store failures keep their own exit codes; no usable trust list is a negative answer; a
/// tampered verifier file has its own.
pub fn field_error(err: FieldVerifierError) -> CliError {
    match err {
        FieldVerifierError::Tampered(_)
        | FieldVerifierError::Trust(TrustStoreError::Tampered(_))
        | FieldVerifierError::Status(StatusCacheError::Tampered(_)) => {
            CliError::Tampered(err.to_string())
        }
        FieldVerifierError::Store(err) => err.into(),
        FieldVerifierError::Trust(TrustStoreError::Store(err)) => err.into(),
        FieldVerifierError::Status(StatusCacheError::Store(err)) => err.into(),
        FieldVerifierError::NoTrustList | FieldVerifierError::TrustListExpired { .. } => {
            CliError::Negative(format!("{err} (laissez trust import)"))
        }
        FieldVerifierError::UnexpectedMessage => CliError::BadInput(err.to_string()),
        other => CliError::Failed(other.to_string()),
    }
}

/// `given_name,nationality?` → claims, the `?` ones optional.
fn requested_claims(claims: &[String]) -> CliResult<Vec<RequestedClaim>> {
    claims
        .iter()
        .map(|claim| {
            let (path, required) = match claim.strip_suffix('?') {
                Some(path) => (path, false),
                None => (claim.as_str(), true),
            };
            let path = path.trim();
            if path.is_empty() {
                return Err(CliError::BadInput(format!(
                    "--claims has an empty claim name in '{}'",
                    claims.join(",")
                )));
            }
            Ok(RequestedClaim {
                path: path.to_owned(),
                required,
            })
        })
        .collect()
}

fn request(args: &VerifierRequestArgs) -> CliResult {
    let claims = requested_claims(&args.claims)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let now = unix_time::now();
    let credentials = vec![RequestedCredential {
        credential_type: args.credential_type.clone(),
        claims: claims.clone(),
    }];
    let certificate = if args.unsigned {
        None
    } else {
        field_verifier::installed_certificate(&store)?
    };
    if args.certificate_reference && certificate.is_none() {
        return Err(CliError::BadInput(
            "--certificate-reference: no registration certificate is installed \
             (laissez verifier install-certificate)"
                .into(),
        ));
    }
    let signed = certificate.is_some();
    let message = if signed {
        field_verifier::create_signed_request(
            &mut store,
            &args.name,
            &args.purpose,
            credentials,
            args.ttl,
            now,
            args.certificate_reference,
        )
    } else {
        field_verifier::create_request(
            &mut store,
            &args.name,
            &args.purpose,
            credentials,
            args.ttl,
            now,
        )
    }
    .map_err(|err| match err {
        FieldVerifierError::Exchange(err) => CliError::BadInput(err.to_string()),
        other => field_error(other),
    })?;
    drop(store);
    let written = qr_files::write_message(&message, Some(&args.out), None)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Request for {} from {} ({}), answerable until {}",
        args.credential_type,
        args.name,
        args.purpose,
        unix_time::utc_text(now + args.ttl)
    )?;
    if let Some(certificate) = &certificate {
        writeln!(
            out,
            "Signed with the registration certificate {} ({})",
            hex::encode(wallet_core::registration::reference(certificate)),
            if args.certificate_reference {
                "by reference"
            } else {
                "carried in the code"
            }
        )?;
    } else {
        writeln!(out, "Unsigned: holders will see it as unverified")?;
    }
    for claim in &claims {
        let need = if claim.required {
            "required"
        } else {
            "optional"
        };
        writeln!(out, "  {:<24} {need}", claim.path)?;
    }
    for (file, (chars, version)) in written
        .files
        .iter()
        .zip(written.chars.iter().zip(&written.versions))
    {
        writeln!(
            out,
            "QR code           {} ({chars} characters, version {version})",
            file.display()
        )?;
    }
    Ok(())
}

fn verify(args: &VerifierVerifyArgs) -> CliResult {
    // Images first: unreadable input costs no PIN prompt.
    let scanned = qr_files::scan_images(&args.images)?;
    let now = unix_time::now();
    let mut store = None;
    if !scanned.rejected_texts.is_empty() {
        // An altered answer to one of our requests goes into the log before it is refused.
        let opened = store.insert(wallet_file::open_unlocked(&args.db.db)?);
        let mut err = std::io::stderr().lock();
        for text in &scanned.rejected_texts {
            if let Some(verdict) =
                field_verifier::log_unreadable_answer(opened, text, now).map_err(field_error)?
            {
                writeln!(
                    err,
                    "laissez: an answer to one of this verifier's requests was altered; logged \
                     as INVALID ({})",
                    codes(&verdict.reasons).join(", ")
                )?;
            }
        }
    }
    // MOSIP Claim 169 identity codes, recognised by their content (they have no prefix).
    let identity_codes: Vec<String> = scanned
        .foreign_texts
        .iter()
        .filter(|text| claim169::looks_like_code(text))
        .cloned()
        .collect();
    let messages = if identity_codes.is_empty() || !scanned.messages.is_empty() {
        scanned.into_messages()?
    } else {
        Vec::new()
    };
    let mut store = match store {
        Some(store) => store,
        None => wallet_file::open_unlocked(&args.db.db)?,
    };
    let options = VerifyOptions {
        now,
        lang: &args.lang,
        max_status_age_secs: args.max_status_age_hours.saturating_mul(3_600),
    };
    let mut verdicts: Vec<Verdict> = Vec::new();
    for text in &identity_codes {
        verdicts.push(
            field_verifier::verify_claim169(&mut store, text, &options).map_err(field_error)?,
        );
    }
    for message in &messages {
        if !matches!(
            message.kind,
            MessageKind::EngagedResponse | MessageKind::StaticPresentation
        ) {
            return Err(CliError::BadInput(
                "the QR code is not a response or a presentation (a request? scan it with \
                 laissez wallet respond)"
                    .into(),
            ));
        }
        verdicts.extend(
            field_verifier::verify_message(&mut store, message, &options).map_err(field_error)?,
        );
    }
    let portrait_files = verdicts
        .iter()
        .enumerate()
        .map(|(i, v)| write_portrait(v, args.portrait_dir.as_deref(), now, i + 1))
        .collect::<CliResult<Vec<_>>>()?;
    if args.json {
        let json: Vec<VerdictJson<'_>> = verdicts
            .iter()
            .zip(&portrait_files)
            .map(|(v, file)| {
                VerdictJson::new(v, now, &args.lang).with_portrait_file(file.as_deref())
            })
            .collect();
        output::print_json(&json)?;
    } else {
        let mut out = std::io::stdout().lock();
        for (i, (verdict, file)) in verdicts.iter().zip(&portrait_files).enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            print_verdict(&mut out, verdict, &args.lang)?;
            if let (Some(portrait), Some(file)) = (&verdict.portrait, file) {
                print_portrait_line(&mut out, portrait, file)?;
            }
        }
    }
    match verdicts.iter().find(|v| !v.valid) {
        None if !verdicts.is_empty() => Ok(()),
        None => Err(CliError::BadInput(
            "the response held no presentation".into(),
        )),
        Some(invalid) => Err(CliError::Negative(format!(
            "the presentation is INVALID ({})",
            codes(&invalid.reasons).join(", ")
        ))),
    }
}

fn status(args: &VerifierStatusArgs) -> CliResult {
    let tokens = args
        .tokens
        .iter()
        .map(|path| Ok((path, input_files::read_bytes(path, "status list token")?)))
        .collect::<CliResult<Vec<_>>>()?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let now = unix_time::now();
    let list = field_verifier::current_trust_list(&store, now).map_err(field_error)?;
    let trusted = list.issuers_at(now, None);
    let mut out = std::io::stdout().lock();
    for (path, token) in tokens {
        let imported = status_cache::import(&mut store, &token, &trusted, now).map_err(|err| {
            let message = format!("{}: {err}", path.display());
            match err {
                StatusCacheError::Store(err) => err.into(),
                StatusCacheError::UnknownSigner | StatusCacheError::Older { .. } => {
                    CliError::Negative(message)
                }
                // A well-formed list that is out of date or badly signed is a refusal.
                StatusCacheError::StatusList(
                    StatusListError::Expired
                    | StatusListError::NotYetValid
                    | StatusListError::BadSignature,
                ) => CliError::Negative(message),
                StatusCacheError::StatusList(_) => CliError::BadInput(message),
                StatusCacheError::Tampered(_) => CliError::Tampered(message),
                _ => CliError::Failed(message),
            }
        })?;
        writeln!(
            out,
            "Cached status list {} ({} entries, issued {}, signed by {}){}",
            imported.uri,
            imported.entries,
            unix_time::utc_text(imported.issued_at),
            imported
                .issuer_name
                .as_deref()
                .unwrap_or("a trusted issuer"),
            if imported.replaced {
                ", replacing an older copy"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

fn log(args: &VerifierLogArgs) -> CliResult {
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let now = unix_time::now();
    let mut removed = 0;
    if args.keep.is_some() || args.max_age_days.is_some() {
        let defaults = RetentionPolicy::default();
        let policy = RetentionPolicy {
            max_entries: args.keep.unwrap_or(defaults.max_entries),
            max_age_secs: args
                .max_age_days
                .map_or(defaults.max_age_secs, |d| i64::from(d) * 86_400),
        };
        removed = field_verifier::prune(&mut store, policy, now).map_err(field_error)?;
    }
    if let Some(path) = &args.export {
        let lines = field_verifier::export_log(&store)?;
        input_files::write_output(path, lines.as_bytes(), "log export")?;
    }
    let entries = field_verifier::log_entries(&store)?;
    let mut out = std::io::stdout().lock();
    let valid = entries.iter().filter(|e| e.valid).count();
    writeln!(
        out,
        "{} verifications logged ({valid} valid, {} invalid){}",
        entries.len(),
        entries.len() - valid,
        if removed > 0 {
            format!("; {removed} old records pruned")
        } else {
            String::new()
        }
    )?;
    for entry in entries.iter().rev().take(20) {
        writeln!(
            out,
            "  {}  {:<7}  {:<7}  {}  {}{}",
            unix_time::utc_text(entry.at),
            entry.flow,
            if entry.valid { "VALID" } else { "INVALID" },
            entry.credential_type.as_deref().unwrap_or("-"),
            entry.reasons.join(","),
            entry
                .certificate
                .as_deref()
                .map(|c| format!("  signed request, certificate {c}"))
                .unwrap_or_default()
        )?;
    }
    if let Some(path) = &args.export {
        writeln!(out, "exported to       {}", path.display())?;
    }
    Ok(())
}
