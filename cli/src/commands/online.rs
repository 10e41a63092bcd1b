//! OpenID4VCI 1.0 online issuance: `laissez issuer serve`, `laissez issuer offer-online`
//! (the desk) and `laissez wallet fetch-credential` (the holder).

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use wallet_core::credential::CredentialFormat;
use wallet_core::issuer::IssuerIdentity;
use wallet_core::openid4vci::Oid4vciError;
use wallet_core::openid4vci::client::{self, FetchOptions};
use wallet_core::openid4vci::issuer::{ConfigurationSpec, IssuanceState, IssuerService};

use crate::args::{FetchCredentialArgs, OfferOnlineArgs, OnlineIssuerArgs, ServeArgs};
use crate::exit::{CliError, CliResult};
use crate::http_client::TokioTransport;
use crate::{input_files, issuer_server, offer_store, unix_time, wallet_file};

/// Laissez's registration credential in both formats, labelled as the sample identity is.
fn default_configurations() -> BTreeMap<String, ConfigurationSpec> {
    let display = laissez_sample_identity::legacy_display();
    let mut out = BTreeMap::new();
    for (id, format) in [
        ("registration_sd_jwt", CredentialFormat::SdJwt),
        ("registration_mdoc", CredentialFormat::Mdoc),
    ] {
        let credential_type = laissez_sample_identity::credential_type(format).to_owned();
        let mut claim_labels = Vec::new();
        for (claim, labels) in &display.claim_labels {
            let path = match format {
                CredentialFormat::SdJwt => vec![claim.clone()],
                CredentialFormat::Mdoc => vec![credential_type.clone(), claim.clone()],
            };
            for (locale, label) in labels {
                claim_labels.push((path.clone(), locale.clone(), label.clone()));
            }
        }
        out.insert(
            id.to_owned(),
            ConfigurationSpec {
                format,
                credential_type,
                display: display
                    .credential_name
                    .iter()
                    .map(|(l, n)| (l.clone(), n.clone()))
                    .collect(),
                claim_labels,
                valid_days: laissez_sample_identity::VALID_DAYS,
            },
        );
    }
    out
}

fn service(
    args: &OnlineIssuerArgs,
    default_base: &str,
    batch_size: u32,
) -> CliResult<IssuerService> {
    let identity = IssuerIdentity::load(&args.issuer)?;
    let configurations = match &args.configurations {
        Some(path) => serde_json::from_value(input_files::read_json(path, "configurations file")?)
            .map_err(|e| CliError::BadInput(format!("configurations file: {e}")))?,
        None => default_configurations(),
    };
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| default_base.to_owned())
        .trim_end_matches('/')
        .to_owned();
    if !base_url.starts_with("http://") && !base_url.starts_with("https://") {
        return Err(CliError::BadInput(
            "--base-url must be an http(s) URL".into(),
        ));
    }
    Ok(IssuerService {
        base_url,
        configurations,
        batch_size,
        identity,
    })
}

/// `laissez issuer serve`.
pub fn serve(args: &ServeArgs) -> CliResult {
    let service = service(
        &args.issuer,
        &format!("http://{}", args.listen),
        args.batch_size,
    )?;
    let passphrase = offer_store::passphrase(args.issuer.passphrase_file.as_deref())?;
    let store = offer_store::open(
        &args.issuer.store,
        &passphrase,
        args.issuer.insecure_fast_kdf,
    )?;
    if args.listen.port() == 0 && args.issuer.base_url.is_none() {
        return Err(CliError::BadInput(
            "with port 0, give --base-url (the identifier must name the real port)".into(),
        ));
    }
    issuer_server::serve(
        args.listen,
        service,
        store,
        args.stop_after.map(Duration::from_secs),
    )
}

/// `laissez issuer offer-online`.
pub fn offer_online(args: &OfferOnlineArgs) -> CliResult {
    let claims = input_files::read_json_object(&args.claims, "claims file")?;
    let service = service(&args.issuer, "http://127.0.0.1:8080", 10)?;
    let ids = if args.configurations_offered.is_empty() {
        service.configurations.keys().cloned().collect()
    } else {
        args.configurations_offered.clone()
    };
    let passphrase = offer_store::passphrase(args.issuer.passphrase_file.as_deref())?;
    let mut store = offer_store::open(
        &args.issuer.store,
        &passphrase,
        args.issuer.insecure_fast_kdf,
    )?;
    let mut state = IssuanceState::default();
    let mut made = Vec::new();
    for _ in 0..args.count {
        let created = state
            .create_offer(
                &service,
                &ids,
                claims.clone(),
                !args.no_tx_code,
                i64::from(args.valid_minutes) * 60,
                unix_time::now(),
            )
            .map_err(|e| CliError::BadInput(format!("offer: {e}")))?;
        let link = if args.by_reference {
            created.link_by_reference.clone()
        } else {
            created.link.clone()
        };
        made.push((link, created.tx_code));
    }
    for pending in state.offers.values() {
        offer_store::add(&mut store, pending)?;
    }
    if let (Some(path), Some((link, _))) = (&args.qr, made.first()) {
        let png = link_png(link)?;
        input_files::write_output(path, &png, "QR code")?;
    }
    let mut out = std::io::stdout();
    if args.json {
        let items: Vec<_> = made
            .iter()
            .map(|(link, tx_code)| serde_json::json!({"link": link, "tx_code": tx_code}))
            .collect();
        match items.as_slice() {
            [one] => crate::output::print_json(one)?,
            _ => crate::output::print_json(&serde_json::json!({ "offers": items }))?,
        }
    } else {
        for (link, tx_code) in &made {
            writeln!(out, "{link}")?;
            if let Some(code) = tx_code {
                writeln!(
                    out,
                    "transaction code: {code} (tell it to the person, not in the QR code)"
                )?;
            }
        }
        writeln!(out, "valid for {} minutes", args.valid_minutes)?;
    }
    Ok(())
}

/// The link as a QR code (byte mode), PNG, 8 pixels a module, 4 modules of quiet zone.
fn link_png(link: &str) -> CliResult<Vec<u8>> {
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| {
            CliError::BadInput(format!(
                "the link does not fit a QR code ({e}); use --by-reference"
            ))
        })?;
    let width = code.width();
    let colors = code.to_colors();
    let (scale, quiet) = (8usize, 4usize);
    let side = (width + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            for dy in 0..scale {
                let row = (y * scale + dy) * side;
                for dx in 0..scale {
                    if let Some(p) = pixels.get_mut(row + x * scale + dx) {
                        *p = 0;
                    }
                }
            }
        }
    }
    let mut png_bytes = Vec::new();
    let side32 = u32::try_from(side).map_err(|_| CliError::Failed("QR code too large".into()))?;
    let mut encoder = png::Encoder::new(&mut png_bytes, side32, side32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let fail = |e: png::EncodingError| CliError::Failed(format!("PNG: {e}"));
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&pixels).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(png_bytes)
}

/// `laissez wallet fetch-credential`.
pub fn fetch_credential(args: &FetchCredentialArgs) -> CliResult {
    let transport = TokioTransport::new(Duration::from_secs(args.timeout.clamp(1, 600)))
        .map_err(|e| CliError::Failed(format!("HTTP client: {e}")))?;
    let issuer_keys = args
        .issuer_keys
        .iter()
        .map(|path| input_files::read_trusted_issuer(path).map(|t| t.key))
        .collect::<CliResult<Vec<_>>>()?;
    let options = FetchOptions {
        batch_size: args.batch as usize,
        allow_http: args.allow_http,
        now: unix_time::now(),
        issuer_keys,
    };
    // The offer and the metadata first: a bad link or an unreachable issuer costs no PIN.
    let preview = client::preview(&transport, &args.offer, &options).map_err(oid4vci_error)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let summaries = client::accept(
        &mut store,
        &transport,
        &preview,
        args.tx_code.as_deref(),
        &options,
    )
    .map_err(oid4vci_error)?;
    let mut out = std::io::stdout();
    if args.json {
        let items: Vec<_> = summaries
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id.to_string(),
                    "format": s.format.as_str(),
                    "credential_type": s.credential_type,
                    "issuer": s.issuer_name,
                    "copies": s.copies_total,
                })
            })
            .collect();
        crate::output::print_json(&items)?;
    } else {
        // The metadata's name is the issuer's own claim, checked against nothing.
        let issuer = preview.issuer_name.as_deref().map_or_else(
            || "the issuer".to_owned(),
            |name| format!("an issuer calling itself \"{name}\" (unverified)"),
        );
        for summary in &summaries {
            writeln!(
                out,
                "Imported {} ({}) from {issuer}: {} copies, id {}",
                summary.credential_type,
                summary.format.as_str(),
                summary.copies_total,
                summary.id
            )?;
        }
    }
    Ok(())
}

fn oid4vci_error(error: Oid4vciError) -> CliError {
    match error {
        Oid4vciError::Import(inner) => CliError::Credential(inner),
        Oid4vciError::Store(inner) => CliError::Store(inner),
        Oid4vciError::Token { .. } | Oid4vciError::Refused { .. } => {
            CliError::Negative(error.to_string())
        }
        other => CliError::BadInput(other.to_string()),
    }
}
