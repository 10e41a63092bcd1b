//! `laissez registrar ...`: a registrar's key and the registration certificates it gives
//! verifiers (ADR 0020).

use std::io::Write;

use wallet_core::issuer::Registrar;
use wallet_core::jose::P256Jwk;
use wallet_core::registration::{
    self, Registration, RegistrationError, ScopeEntry, TrustedRegistrar,
};

use crate::args::{RegistrarCertifyArgs, RegistrarCommand, RegistrarNewArgs, RegistrarVerifyArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, unix_time};

/// Runs one registrar subcommand.
pub fn run(command: RegistrarCommand) -> CliResult {
    match command {
        RegistrarCommand::New(args) => new(&args),
        RegistrarCommand::Certify(args) => certify(&args),
        RegistrarCommand::Verify(args) => verify(&args),
    }
}

fn new(args: &RegistrarNewArgs) -> CliResult {
    let registrar = Registrar::generate(&args.id, args.name.as_deref().unwrap_or(&args.id))?;
    registrar.save(&args.out)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Created registrar \"{}\" ({}) in {}",
        registrar.name,
        registrar.id,
        args.out.display()
    )?;
    writeln!(out, "Public key (JWK, for holders' trust lists):")?;
    writeln!(out, "{:#}", registrar.public_jwk())?;
    Ok(())
}

/// `TYPE=path,path` → a scope entry.
fn scope_entry(text: &str) -> CliResult<ScopeEntry> {
    let (kind, claims) = text
        .split_once('=')
        .ok_or_else(|| CliError::BadInput(format!("--claims '{text}' is not TYPE=path,path")))?;
    let claims: Vec<String> = claims
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    if kind.trim().is_empty() || claims.is_empty() {
        return Err(CliError::BadInput(format!(
            "--claims '{text}' needs a credential type and at least one claim"
        )));
    }
    Ok(ScopeEntry {
        credential_type: kind.trim().to_owned(),
        claims,
    })
}

fn certify(args: &RegistrarCertifyArgs) -> CliResult {
    let registrar = Registrar::load(&args.registrar)?;
    let verifier_key = input_files::read_public_jwk(&args.verifier_key, "verifier key")?;
    let scope = args
        .claims
        .iter()
        .map(|c| scope_entry(c))
        .collect::<CliResult<Vec<_>>>()?;
    let now = unix_time::now();
    let not_after = now + i64::from(args.valid_days) * 86_400;
    let certificate = registrar
        .certify(&Registration {
            registrar_id: registrar.id.clone(),
            verifier_id: args
                .verifier_id
                .clone()
                .unwrap_or_else(|| args.organisation.clone()),
            organisation: args.organisation.clone(),
            country: args.country.clone(),
            purposes: args.purposes.clone(),
            scope,
            verifier_key,
            issued_at: now,
            not_before: now,
            not_after,
        })
        .map_err(|err| CliError::BadInput(err.to_string()))?;
    input_files::write_output(&args.out, &certificate, "registration certificate")?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Certified \"{}\" ({}) until {}",
        args.organisation,
        args.country,
        unix_time::utc_text(not_after)
    )?;
    writeln!(
        out,
        "certificate       {} ({} bytes, reference {})",
        args.out.display(),
        certificate.len(),
        hex::encode(registration::reference(&certificate))
    )?;
    Ok(())
}

fn verify(args: &RegistrarVerifyArgs) -> CliResult {
    let key = input_files::read_public_jwk(&args.registrar_key, "registrar key")?;
    let bytes = input_files::read_bytes(&args.certificate, "registration certificate")?;
    let trusted = [TrustedRegistrar {
        id: args.registrar_id.clone(),
        key,
    }];
    let verified = registration::verify(&bytes, &trusted, args.at.unwrap_or_else(unix_time::now))
        .map_err(|err| {
        let text = format!("{}: {err}", args.certificate.display());
        match err {
            RegistrationError::Malformed(_)
            | RegistrationError::TooLarge(_)
            | RegistrationError::UnsupportedAlgorithm => CliError::BadInput(text),
            RegistrationError::UnknownRegistrar
            | RegistrationError::BadSignature
            | RegistrationError::Expired { .. }
            | RegistrationError::NotYetValid { .. } => CliError::Negative(text),
        }
    })?;
    let scope: serde_json::Map<String, serde_json::Value> = verified
        .scope
        .iter()
        .map(|s| (s.credential_type.clone(), s.claims.clone().into()))
        .collect();
    let json = serde_json::json!({
        "registrar": verified.registrar_id,
        "verifier": verified.verifier_id,
        "organisation": verified.organisation,
        "country": verified.country,
        "purposes": verified.purposes,
        "scope": scope,
        "verifier_key": P256Jwk::from_verifying_key(verified.verifier_key.clone()).to_json(),
        "not_before": verified.not_before,
        "not_after": verified.not_after,
        "reference": hex::encode(verified.reference),
    });
    writeln!(std::io::stdout(), "{json:#}")?;
    Ok(())
}
