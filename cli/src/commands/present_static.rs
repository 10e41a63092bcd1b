//! `laissez wallet present-static`: the holder's side of the static flow, for a verifier that
//! cannot show a request. Writes chosen claims as a presentation QR code bound to the current
//! two-minute window and, when the holder has its identifier, to that verifier only.

use std::io::Write;
use std::path::Path;

use wallet_core::exchange::VerifierId;
use wallet_core::exchange::static_presentation::WINDOW_SECS;
use wallet_core::qr::scan::scan_image;
use wallet_core::store::RecordId;
use wallet_core::wallet::respond;

use super::respond::respond_error;
use crate::args::PresentStaticArgs;
use crate::exit::{CliError, CliResult};
use crate::{input_files, qr_files, unix_time, wallet_file};

/// The verifier's identifier from `--verifier-id`: an image of its QR code when a file of
/// that name exists, else the code as typed.
fn verifier_id(given: &str) -> CliResult<VerifierId> {
    let path = Path::new(given);
    if path.is_file() {
        return verifier_id_in_image(path);
    }
    VerifierId::parse(given).map_err(|_| {
        CliError::BadInput(
            "--verifier-id is neither a verifier identifier (20 hex digits, as \
             XXXX-XXXX-XXXX-XXXX-XXXX) nor an image file"
                .into(),
        )
    })
}

/// The first QR code in the image that holds a verifier identifier.
fn verifier_id_in_image(path: &Path) -> CliResult<VerifierId> {
    let bytes = input_files::read_bytes(path, "verifier id image")?;
    let codes = scan_image(&bytes)
        .map_err(|err| CliError::BadInput(format!("{}: {err}", path.display())))?;
    codes
        .iter()
        .find_map(|code| VerifierId::parse(&code.text).ok())
        .ok_or_else(|| {
            CliError::BadInput(format!(
                "{}: no verifier identifier in the image ({} QR code(s) found)",
                path.display(),
                codes.len()
            ))
        })
}

/// Runs `laissez wallet present-static`.
pub fn run(args: &PresentStaticArgs) -> CliResult {
    // Everything that can be checked without the PIN first.
    let id = RecordId::parse(&args.id)?;
    let verifier = args.verifier_id.as_deref().map(verifier_id).transpose()?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let now = unix_time::now();
    let message = respond::present_static(&mut store, id, &args.claims, now, verifier.as_ref())
        .map_err(respond_error)?
        .envelope;
    drop(store);
    let written =
        qr_files::write_message(&message, args.out.as_deref(), args.frames_dir.as_deref())?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Static presentation of {} claim{} of {id}, valid for this {}-second window and the next",
        args.claims.len(),
        if args.claims.len() == 1 { "" } else { "s" },
        WINDOW_SECS
    )?;
    match &verifier {
        Some(verifier) => writeln!(
            out,
            "bound to          verifier {} (any other verifier refuses it)",
            verifier.code()
        )?,
        None => writeln!(
            out,
            "bound to          NO VERIFIER: any verifier accepts it within its window (give \
             --verifier-id to bind it to one)"
        )?,
    }
    writeln!(
        out,
        "not encrypted:    a photo of it shows the disclosed claims; show it only to the verifier"
    )?;
    for file in &written.files {
        writeln!(out, "  {}", file.display())?;
    }
    Ok(())
}
