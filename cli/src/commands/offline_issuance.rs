//! Offline issuance over QR codes (ADR 0016): `laissez issuer offer` and `issuer deliver` at
//! the desk, `laissez wallet accept-offer` and `wallet receive` on the holder's side. Codes are
//! read from PNG/JPEG images or text files (one code a line) and written as PNGs and/or text.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use wallet_core::issuance::desk::{self, DeliveryRequest, DeskLedger, OfferRequest};
use wallet_core::issuance::{self, IssuanceError, OfferTrust, OfferView, OfferedCredential};
use wallet_core::issuer::status_allocator::new_credential_id;
use wallet_core::issuer::{IssuerIdentity, PortraitSpec, StatusAllocations, prepare_portrait};
use wallet_core::qr::frames::{FrameOptions, encode_for_display};
use wallet_core::qr::{Envelope, MessageKind};
use wallet_core::verifier::TrustedIssuer;
use wallet_core::verifier::trust_list::TrustList;

use crate::args::offline::CodesOut;
use crate::args::{AcceptOfferArgs, IssuerDeliverArgs, IssuerOfferArgs, ReceiveArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, qr_files, unix_time, wallet_file};

/// The desk's offers between offer and deliver, in the issuer folder (no personal data).
pub const LEDGER_FILE: &str = "offers.json";

/// Store and import failures keep their exit codes; a refused offer, proof or batch
/// (signature, expiry, replay, wrong keys) is a negative answer; unreadable codes are bad
/// input.
fn issuance_error(err: IssuanceError) -> CliError {
    match err {
        IssuanceError::Store(err) => err.into(),
        IssuanceError::Credential(err) => err.into(),
        IssuanceError::Qr(_)
        | IssuanceError::WrongMessage(_)
        | IssuanceError::Malformed(_)
        | IssuanceError::UnsupportedVersion(_)
        | IssuanceError::DamagedLedger
        | IssuanceError::Issue(_) => CliError::BadInput(err.to_string()),
        IssuanceError::Crypto(_) => CliError::Failed(err.to_string()),
        other => CliError::Negative(other.to_string()),
    }
}

/// The QR texts in `paths`: text files give their lines; images are scanned.
enum Codes {
    Texts(Vec<String>),
    Images(Vec<PathBuf>),
}

fn read_codes(paths: &[PathBuf]) -> CliResult<Codes> {
    let mut texts = Vec::new();
    let mut images = Vec::new();
    for path in paths {
        let bytes = input_files::read_bytes(path, "QR code file")?;
        match std::str::from_utf8(&bytes) {
            Ok(text) if text.trim_start().starts_with("LZ") => texts.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned),
            ),
            _ => images.push(path.clone()),
        }
    }
    match (texts.is_empty(), images.is_empty()) {
        (false, true) => Ok(Codes::Texts(texts)),
        (true, false) => Ok(Codes::Images(images)),
        _ => Err(CliError::BadInput(
            "give either images or text files of the codes, not both".into(),
        )),
    }
}

/// The one message of `kind` in the files.
fn read_message(paths: &[PathBuf], kind: MessageKind, what: &str) -> CliResult<Envelope> {
    match read_codes(paths)? {
        Codes::Texts(texts) => issuance::assemble(&texts).map_err(issuance_error),
        Codes::Images(images) => qr_files::read_one(&images, kind, what),
    }
}

/// Writes `message` where `codes` says; returns a one-line description.
fn write_codes(message: &Envelope, codes: &CodesOut) -> CliResult<String> {
    if codes.out_png.is_none() && codes.frames_dir.is_none() && codes.text.is_none() {
        return Err(CliError::BadInput(
            "say where to write the codes: --out-png, --frames-dir and/or --text".into(),
        ));
    }
    let texts = encode_for_display(message, &FrameOptions::default())
        .map_err(|err| CliError::Failed(format!("cannot encode the message: {err}")))?;
    let chars: usize = texts.iter().map(String::len).sum();
    let mut places = Vec::new();
    if let Some(path) = &codes.text {
        let mut body = texts.join("\n");
        body.push('\n');
        input_files::write_output(path, body.as_bytes(), "QR text file")?;
        places.push(path.display().to_string());
    }
    if codes.out_png.is_some() || codes.frames_dir.is_some() {
        let written = qr_files::write_message(
            message,
            codes.out_png.as_deref(),
            codes.frames_dir.as_deref(),
        )?;
        places.extend(written.files.iter().map(|f| f.display().to_string()));
    }
    let shape = match texts.len() {
        1 => "one code".to_owned(),
        n => format!("{n} animated frames"),
    };
    Ok(format!(
        "{shape}, {chars} characters: {}",
        places.join(", ")
    ))
}

fn load_ledger(dir: &Path) -> CliResult<DeskLedger> {
    let path = dir.join(LEDGER_FILE);
    if !path.exists() {
        return Ok(DeskLedger::new());
    }
    let bytes = input_files::read_bytes(&path, "offer ledger")?;
    DeskLedger::from_json(&bytes).map_err(issuance_error)
}

fn save_ledger(dir: &Path, ledger: &DeskLedger) -> CliResult {
    input_files::write_output(&dir.join(LEDGER_FILE), &ledger.to_json(), "offer ledger")
}

/// Runs `laissez issuer offer`.
pub fn offer(args: &IssuerOfferArgs) -> CliResult {
    let issuer = IssuerIdentity::load(&args.issuer)?;
    let mut ledger = load_ledger(&args.issuer)?;
    let now = unix_time::now();
    let message = desk::make_offer(
        &issuer,
        &mut ledger,
        &OfferRequest {
            credential: OfferedCredential {
                format: args.format.into(),
                credential_type: args.credential_type.clone(),
            },
            batch_size: args.count,
            valid_minutes: args.valid_minutes,
        },
        now,
    )
    .map_err(issuance_error)?;
    save_ledger(&args.issuer, &ledger)?;
    let written = write_codes(&message, &args.codes)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Offer of {} {} copies of {} by \"{}\"",
        args.count,
        wallet_core::credential::CredentialFormat::from(args.format).as_str(),
        args.credential_type,
        issuer.name
    )?;
    writeln!(
        out,
        "valid until       {}",
        unix_time::utc_text(now + i64::from(args.valid_minutes) * 60)
    )?;
    writeln!(out, "offer code        {written}")?;
    Ok(())
}

/// Runs `laissez issuer deliver`.
pub fn deliver(args: &IssuerDeliverArgs) -> CliResult {
    let proof = read_message(&args.proof, MessageKind::IssuanceProof, "holder's proof")?;
    let claims = input_files::read_json_object(&args.claims, "claims file")?;
    let portrait = match &args.portrait {
        Some(path) => {
            let photo = input_files::read_bytes(path, "portrait photo")?;
            Some(prepare_portrait(&photo, &PortraitSpec::DEFAULT)?)
        }
        None => None,
    };
    let issuer = IssuerIdentity::load(&args.issuer)?;
    let mut ledger = load_ledger(&args.issuer)?;
    let mut allocations = StatusAllocations::load(&args.issuer)?;
    let credential_id = match (&args.status_uri, &args.credential_id) {
        (None, _) => None,
        (Some(_), Some(id)) => Some(id.clone()),
        (Some(_), None) => Some(new_credential_id()?),
    };
    let status = match (&args.status_uri, &credential_id) {
        (Some(uri), Some(id)) => Some((allocations.list_mut(uri, args.status_size)?, id.as_str())),
        _ => None,
    };
    let message = desk::deliver(
        &issuer,
        &mut ledger,
        &proof,
        &mut DeliveryRequest {
            claims: &claims,
            valid_days: args.valid_days,
            status,
            portrait,
        },
        unix_time::now(),
    )
    .map_err(issuance_error)?;
    if credential_id.is_some() {
        allocations.save(&args.issuer)?;
    }
    // The offer is used up before the batch is shown: a second proof for it is refused.
    save_ledger(&args.issuer, &ledger)?;
    let written = write_codes(&message, &args.codes)?;
    writeln!(
        std::io::stdout(),
        "Batch             {written} (encrypted to the holder)"
    )?;
    if let Some(id) = credential_id {
        writeln!(
            std::io::stdout(),
            "credential id     {id} (issuer status-list --revoke-credential {id} revokes every copy)"
        )?;
    }
    Ok(())
}

fn trusted_issuers(args: &AcceptOfferArgs, now: i64) -> CliResult<Vec<TrustedIssuer>> {
    let mut trusted = Vec::new();
    if let (Some(list), Some(signer)) = (&args.trust_list, &args.trust_signer) {
        let text = input_files::read_bytes(list, "trust list")?;
        let text = String::from_utf8(text)
            .map_err(|_| CliError::BadInput(format!("{} is not text", list.display())))?;
        let signer = input_files::read_public_jwk(signer, "trust list signer key")?;
        let list = TrustList::verify(&text, &signer, now)
            .map_err(|err| CliError::Negative(format!("trust list refused: {err}")))?;
        trusted.extend(list.issuers_at(now, None));
    }
    for path in &args.trust_anchor {
        trusted.push(input_files::read_trusted_issuer(path)?);
    }
    Ok(trusted)
}

fn consent(args: &AcceptOfferArgs, view: &OfferView) -> CliResult {
    if !view.trust.is_trusted() && !args.accept_unknown_issuer {
        return Err(CliError::Negative(
            "the issuer is not trusted; nothing was accepted (--accept-unknown-issuer to \
             accept anyway)"
                .into(),
        ));
    }
    if args.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::BadInput(
            "no terminal to ask for consent: pass --yes".into(),
        ));
    }
    write!(std::io::stdout(), "Accept this offer? [y/N] ")?;
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(CliError::Negative("declined; nothing was accepted".into()))
    }
}

/// Runs `laissez wallet accept-offer`.
pub fn accept_offer(args: &AcceptOfferArgs) -> CliResult {
    let message = read_message(
        std::slice::from_ref(&args.offer),
        MessageKind::IssuanceOffer,
        "issuance offer",
    )?;
    let now = unix_time::now();
    let trusted = trusted_issuers(args, now)?;
    let view = issuance::read_offer(&message, &trusted, now).map_err(issuance_error)?;
    let mut out = std::io::stdout().lock();
    match &view.trust {
        OfferTrust::Trusted { name } => writeln!(out, "Offer from        {name} (trusted)")?,
        OfferTrust::NotAllowedForType { name } => writeln!(
            out,
            "Offer from        NOT TRUSTED for this type: {name} may not issue it"
        )?,
        OfferTrust::Unknown => writeln!(
            out,
            "Offer from        UNKNOWN ISSUER (not in your trust list; calls itself \"{}\")",
            view.claimed_name
        )?,
    }
    let offered = view.offer.credential().map_err(issuance_error)?;
    writeln!(
        out,
        "credential        {} ({})",
        offered.credential_type,
        offered.format.as_str()
    )?;
    writeln!(
        out,
        "copies            {} (one-time, one new key each)",
        view.offer.batch_size
    )?;
    writeln!(
        out,
        "answerable until  {}",
        unix_time::utc_text(view.offer.expires_at)
    )?;
    drop(out);
    consent(args, &view)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let proof = issuance::accept_offer(&mut store, &view, now).map_err(issuance_error)?;
    drop(store);
    let written = write_codes(&proof, &args.codes)?;
    writeln!(std::io::stdout(), "Proof             {written}")?;
    Ok(())
}

/// Runs `laissez wallet receive`.
pub fn receive(args: &ReceiveArgs) -> CliResult {
    let codes = read_codes(&args.codes)?;
    let now = unix_time::now();
    let message = match codes {
        Codes::Texts(texts) => issuance::assemble(&texts).map_err(issuance_error)?,
        Codes::Images(images) => {
            qr_files::read_one(&images, MessageKind::IssuedBatch, "issued batch")?
        }
    };
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let summary = issuance::receive(&mut store, &message, now).map_err(issuance_error)?;
    writeln!(
        std::io::stdout(),
        "Received          {} ({}), {} copies, id {}",
        summary.credential_type,
        summary.format.as_str(),
        summary.copies_total,
        summary.id
    )?;
    Ok(())
}
