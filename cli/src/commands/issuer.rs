//! `laissez issuer ...`: make an issuer (an ES256, ES384 or EdDSA key and a self-signed
//! certificate in the same algorithm) and issue credentials and status lists with it.

use std::io::Write;
use std::path::Path;

use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::VerifyingKey;
use wallet_core::issuer::authority::ROOT_KEY_FILE;
use wallet_core::issuer::identity::{CERT_FILE, KEY_FILE, PUBLIC_KEY_FILE, ROOT_CERT_FILE};
use wallet_core::issuer::status_allocator::{ALLOCATIONS_FILE, new_credential_id};
use wallet_core::issuer::{
    CredentialOrder, IssuerIdentity, IssuingAuthority, PortraitSpec, SignerOrder,
    StatusAllocations, issue_batch, issue_credential, prepare_portrait,
};
use wallet_core::jose::P256Jwk;
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
        IssuerCommand::Offer(args) => super::offline_issuance::offer(&args),
        IssuerCommand::Deliver(args) => super::offline_issuance::deliver(&args),
        IssuerCommand::Serve(args) => super::online::serve(&args),
        IssuerCommand::OfferOnline(args) => super::online::offer_online(&args),
    }
}

fn status_list(args: &StatusListArgs) -> CliResult {
    let bad = |err: StatusListError| CliError::BadInput(format!("status list: {err}"));
    // Two bits per entry when anything is suspended (VALID 0, INVALID 1, SUSPENDED 2).
    let suspends = !args.suspend.is_empty() || !args.suspend_credential.is_empty();
    let bits = if suspends { 2 } else { 1 };
    let mut builder = StatusListBuilder::new(bits, args.size).map_err(bad)?;
    let revoked = with_credentials(args, &args.revoke, &args.revoke_credential)?;
    let suspended = with_credentials(args, &args.suspend, &args.suspend_credential)?;
    for index in &revoked {
        builder.set(*index, 1).map_err(bad)?;
    }
    for index in &suspended {
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
        revoked.len(),
        suspended.len(),
        token.len(),
        if args.cwt { "CWT" } else { "JWT" },
        unix_time::utc_text(now.saturating_add(valid_secs))
    )?;
    Ok(())
}

/// `indexes` plus every index of every copy of the credentials `ids`, from the issuer
/// folder's status allocations for the list being made.
fn with_credentials(args: &StatusListArgs, indexes: &[u64], ids: &[String]) -> CliResult<Vec<u64>> {
    let mut all = indexes.to_vec();
    if ids.is_empty() {
        return Ok(all);
    }
    let allocations = StatusAllocations::load(&args.issuer)?;
    let list = allocations.list(&args.uri).ok_or_else(|| {
        CliError::BadInput(format!(
            "{} in {} has no allocations for the list {}",
            ALLOCATIONS_FILE,
            args.issuer.display(),
            args.uri
        ))
    })?;
    if u64::from(list.size()) != args.size {
        return Err(CliError::BadInput(format!(
            "the list {} was allocated with {} entries: give --size {}",
            args.uri,
            list.size(),
            list.size()
        )));
    }
    for id in ids {
        let of_id = list.indexes_of(id).ok_or_else(|| {
            CliError::BadInput(format!("no credential {id} in the list {}", args.uri))
        })?;
        all.extend(of_id.iter().map(|i| u64::from(*i)));
    }
    Ok(all)
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
    match (&args.status_index, &args.status_uri) {
        (Some(index), Some(uri)) => Some(StatusReference {
            index: *index,
            uri: uri.clone(),
        }),
        _ => None,
    }
}

/// The holder keys: the one of --holder-key, or the first N (--batch) of --holder-keys.
fn holder_keys(args: &IssueArgs) -> CliResult<Vec<VerifyingKey>> {
    match (&args.holder_key, &args.holder_keys) {
        (Some(path), _) => Ok(vec![input_files::read_public_jwk(path, "holder key file")?]),
        (None, Some(path)) => {
            let json = input_files::read_json(path, "holder keys file")?;
            let serde_json::Value::Array(items) = json else {
                return Err(CliError::BadInput(format!(
                    "the holder keys file {} is not a JSON array of public JWKs",
                    path.display()
                )));
            };
            let wanted = args.batch.map_or(items.len(), |n| n as usize);
            if items.is_empty() || wanted > items.len() {
                return Err(CliError::BadInput(format!(
                    "the holder keys file {} holds {} keys, {wanted} needed",
                    path.display(),
                    items.len()
                )));
            }
            items
                .iter()
                .take(wanted)
                .map(|item| {
                    P256Jwk::from_json(item)
                        .map(P256Jwk::into_verifying_key)
                        .map_err(|err| {
                            CliError::BadInput(format!(
                                "the holder keys file {} holds a key that is not a public \
                                 P-256 JWK ({err})",
                                path.display()
                            ))
                        })
                })
                .collect()
        }
        // clap requires one of them.
        (None, None) => Err(CliError::BadInput(
            "give --holder-key or --holder-keys".into(),
        )),
    }
}

fn issue(args: &IssueArgs) -> CliResult {
    let format = CredentialFormat::from(args.format);
    // Check every input before touching the issuer's secret key.
    let status = status(args);
    let claims = input_files::read_json_object(&args.claims, "claims file")?;
    let keys = holder_keys(args)?;
    let first = keys
        .first()
        .cloned()
        .ok_or_else(|| CliError::BadInput("no holder key given".into()))?;
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
        holder_key: first,
        valid_days: args.valid_days,
        status,
        now: unix_time::now(),
        portrait,
    };
    let drawn = match (&args.status_uri, args.status_index) {
        (Some(uri), None) => Some(uri),
        _ => None,
    };
    let (copies, credential_id) = if let Some(uri) = drawn {
        let id = match &args.credential_id {
            Some(id) => id.clone(),
            None => new_credential_id()?,
        };
        let mut allocations = StatusAllocations::load(&args.issuer)?;
        let list = allocations.list_mut(uri, args.status_size)?;
        let copies = issue_batch(&issuer, &order, &keys, Some((list, &id)))?;
        allocations.save(&args.issuer)?;
        (copies, Some(id))
    } else if args.holder_keys.is_some() {
        (issue_batch(&issuer, &order, &keys, None)?, None)
    } else {
        (vec![issue_credential(&issuer, &order)?], None)
    };
    if args.holder_keys.is_none() {
        let issued = copies
            .first()
            .ok_or_else(|| CliError::Failed("nothing was issued".into()))?;
        input_files::write_output(&args.out, issued, "credential file")?;
        report(&args.out, issued, &order, &issuer)?;
    } else {
        std::fs::create_dir_all(&args.out).map_err(|err| {
            CliError::BadInput(format!(
                "cannot make the folder {}: {err}",
                args.out.display()
            ))
        })?;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Issued {} copies of {} {} ({} claims) to {}",
            copies.len(),
            order.format.as_str(),
            order.credential_type,
            order.claims.len(),
            args.out.display()
        )?;
        for (n, copy) in copies.iter().enumerate() {
            let path = args
                .out
                .join(format!("copy-{:02}.{}", n + 1, order.format.as_str()));
            input_files::write_output(&path, copy, "credential file")?;
            writeln!(out, "  {} ({} bytes)", path.display(), copy.len())?;
        }
        writeln!(
            out,
            "issuer            {}",
            issuer.key.public_key().fingerprint()
        )?;
    }
    if let (Some(id), Some(uri)) = (credential_id, &args.status_uri) {
        writeln!(
            std::io::stdout(),
            "credential id     {id} (random status indexes in {uri}, kept in {ALLOCATIONS_FILE}; \
             revoke every copy with `laissez issuer status-list --revoke-credential {id}`)"
        )?;
    }
    Ok(())
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
