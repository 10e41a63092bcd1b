//! `laissez issuer ...`: make an issuer (an ES256, ES384 or EdDSA key and a self-signed
//! certificate in the same algorithm) and issue credentials and status lists with it.

use std::io::Write;
use std::path::Path;

use wallet_core::credential::CredentialFormat;
use wallet_core::issuer::authority::ROOT_KEY_FILE;
use wallet_core::issuer::identity::{CERT_FILE, KEY_FILE, PUBLIC_KEY_FILE, ROOT_CERT_FILE};
use wallet_core::issuer::{
    CredentialOrder, IssuerIdentity, IssuingAuthority, PortraitSpec, SignerOrder, issue_credential,
    prepare_portrait,
};
use wallet_core::sdjwt::StatusReference;
use wallet_core::verifier::status_list::{StatusListBuilder, StatusListError};
use wallet_core::x509::Certificate;

use crate::args::{IssueArgs, IssuerCommand, IssuerNewArgs, StatusListArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, unix_time};

/// Runs one issuer subcommand.
pub fn run(command: IssuerCommand) -> CliResult {
    match command {
        IssuerCommand::New(args) => new(&args),
        IssuerCommand::Issue(args) => issue(&args),
        IssuerCommand::StatusList(args) => status_list(&args),
    }
}

fn status_list(args: &StatusListArgs) -> CliResult {
    let bad = |err: StatusListError| CliError::BadInput(format!("status list: {err}"));
    // Two bits per entry when anything is suspended (VALID 0, INVALID 1, SUSPENDED 2).
    let bits = if args.suspend.is_empty() { 1 } else { 2 };
    let mut builder = StatusListBuilder::new(bits, args.size).map_err(bad)?;
    for index in &args.revoke {
        builder.set(*index, 1).map_err(bad)?;
    }
    for index in &args.suspend {
        builder.set(*index, 2).map_err(bad)?;
    }
    let issuer = IssuerIdentity::load(&args.issuer)?;
    let now = unix_time::now();
    let valid_secs = i64::try_from(args.valid_hours * 3_600).unwrap_or(i64::MAX);
    let expires = Some(now.saturating_add(valid_secs));
    let ttl = Some(args.valid_hours * 900);
    let token = if args.cwt {
        builder.to_cwt_with_chain(&args.uri, now, expires, ttl, &issuer.key, &issuer.chain())
    } else {
        builder
            .to_jwt_with_chain(&args.uri, now, expires, ttl, &issuer.key, &issuer.chain())
            .map(String::into_bytes)
    }
    .map_err(bad)?;
    input_files::write_output(&args.out, &token, "status list token")?;
    writeln!(
        std::io::stdout(),
        "Status list {} ({} entries, {} revoked, {} suspended), {} bytes as {}, valid until {}",
        args.uri,
        args.size,
        args.revoke.len(),
        args.suspend.len(),
        token.len(),
        if args.cwt { "CWT" } else { "JWT" },
        unix_time::utc_text(now.saturating_add(valid_secs))
    )?;
    Ok(())
}

fn new(args: &IssuerNewArgs) -> CliResult {
    // The core refuses to overwrite a key; the public files must not be replaced either, or
    // verifiers holding the old certificate would be handed a new one silently.
    for file in [KEY_FILE, PUBLIC_KEY_FILE, CERT_FILE, ROOT_CERT_FILE] {
        if args.out.join(file).exists() {
            return Err(CliError::BadInput(format!(
                "{} already holds an issuer ({file}); it was left untouched",
                args.out.display()
            )));
        }
    }
    let now = unix_time::now();
    let (authority, authority_dir) = match &args.authority {
        Some(dir) => (IssuingAuthority::load(dir)?, None),
        None => {
            let dir = args.out.join("authority");
            if dir.join(ROOT_KEY_FILE).exists() {
                return Err(CliError::BadInput(format!(
                    "{} already holds an authority; pass it with --authority",
                    dir.display()
                )));
            }
            let authority = IssuingAuthority::generate(
                args.alg.into(),
                &format!("{} IACA", args.name),
                &args.country,
                &args.contact,
                now,
                args.valid_days,
            )?;
            (authority, Some(dir))
        }
    };
    let root_not_after = Certificate::from_der(&authority.certificate)
        .map_err(|err| CliError::Failed(format!("the authority certificate is unreadable: {err}")))?
        .not_after();
    // A signer never outlives its authority.
    let max_days = u32::try_from((root_not_after - now).max(86_400) / 86_400).unwrap_or(u32::MAX);
    let issuer = authority.issue_signer(&SignerOrder {
        alg: args.alg.into(),
        name: &args.name,
        identifier: args.identifier.as_deref(),
        now,
        days: args.signer_valid_days.min(max_days),
    })?;
    if let Some(dir) = &authority_dir {
        authority.save(dir)?;
    }
    issuer.save(&args.out)?;
    let not_after = Certificate::from_der(&issuer.certificate)
        .map_err(|err| CliError::Failed(format!("the new certificate is unreadable: {err}")))?
        .not_after();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Created issuer \"{}\" in {}",
        issuer.name,
        args.out.display()
    )?;
    writeln!(
        out,
        "key fingerprint   {} ({})",
        issuer.key.public_key().fingerprint(),
        issuer.algorithm()
    )?;
    writeln!(out, "identifier (iss)  {}", issuer.identifier)?;
    writeln!(
        out,
        "certificate       valid until {} (signer, under the authority)",
        unix_time::utc_text(not_after)
    )?;
    writeln!(out, "secret key        {KEY_FILE} (keep it; mode 0600)")?;
    match &authority_dir {
        Some(dir) => writeln!(
            out,
            "authority         {} (iaca.key.json: its secret key, keep it offline), valid until {}",
            dir.display(),
            unix_time::utc_text(root_not_after)
        )?,
        None => writeln!(out, "authority         the one given with --authority")?,
    }
    writeln!(
        out,
        "for verifiers     {ROOT_CERT_FILE} (the authority: trusts every signer it certifies), \
         or {CERT_FILE} to trust this signer only"
    )?;
    Ok(())
}

fn status(args: &IssueArgs) -> Option<StatusReference> {
    // clap makes the two options go together.
    match (&args.status_index, &args.status_uri) {
        (Some(index), Some(uri)) => Some(StatusReference {
            index: *index,
            uri: uri.clone(),
        }),
        _ => None,
    }
}

fn issue(args: &IssueArgs) -> CliResult {
    let format = CredentialFormat::from(args.format);
    // Check every input before touching the issuer's secret key.
    let status = status(args);
    let claims = input_files::read_json_object(&args.claims, "claims file")?;
    let holder_key = input_files::read_public_jwk(&args.holder_key, "holder key file")?;
    let portrait = match &args.portrait {
        Some(path) => {
            let photo = input_files::read_bytes(path, "portrait photo")?;
            let (width, height) = args.portrait_size;
            let spec = PortraitSpec {
                width,
                height,
                quality: args.portrait_quality,
                grey: !args.portrait_colour,
            };
            Some(prepare_portrait(&photo, &spec)?)
        }
        None => None,
    };
    let issuer = IssuerIdentity::load(&args.issuer)?;
    let order = CredentialOrder {
        format,
        credential_type: args.credential_type.clone(),
        claims,
        holder_key,
        valid_days: args.valid_days,
        status,
        now: unix_time::now(),
        portrait,
    };
    let issued = issue_credential(&issuer, &order)?;
    input_files::write_output(&args.out, &issued, "credential file")?;
    report(&args.out, &issued, &order, &issuer)
}

fn report(
    path: &Path,
    issued: &[u8],
    order: &CredentialOrder,
    issuer: &IssuerIdentity,
) -> CliResult {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Issued {} {} ({} bytes, {} claims) to {}",
        order.format.as_str(),
        order.credential_type,
        issued.len(),
        order.claims.len(),
        path.display()
    )?;
    writeln!(
        out,
        "issuer            {}",
        issuer.key.public_key().fingerprint()
    )?;
    writeln!(out, "holder key        {}", order.holder_key.fingerprint())?;
    if let Some(jpeg) = &order.portrait {
        let name = match order.format {
            CredentialFormat::SdJwt => "picture (data URL)",
            CredentialFormat::Mdoc => "portrait (bstr)",
        };
        writeln!(
            out,
            "portrait          {} bytes of JPEG as {name}, selectively disclosable",
            jpeg.len()
        )?;
    }
    writeln!(
        out,
        "valid until       {}",
        unix_time::utc_text(order.now + i64::from(order.valid_days) * 86_400)
    )?;
    Ok(())
}
