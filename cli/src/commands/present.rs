//! `laissez wallet present`: disclose chosen claims of a credential to one verifier session.
//!
//! SD-JWT VC: SD-JWT+KB text with the nonce and audience in the Key Binding JWT. mdoc: a
//! DeviceResponse device-signed over the OpenID4VP 1.0 redirect handover (client_id =
//! response_uri = audience), or over explicit SessionTranscript bytes (`--transcript`).

use std::io::Write;

use wallet_core::credential::CredentialFormat;
use wallet_core::store::RecordId;
use wallet_core::wallet::{PresentationBinding, credentials};

use crate::args::PresentArgs;
use crate::exit::{CliError, CliResult};
use crate::{input_files, unix_time, wallet_file};

fn binding(args: &PresentArgs) -> CliResult<PresentationBinding> {
    match (
        &args.session.transcript,
        &args.session.nonce,
        &args.session.audience,
    ) {
        (Some(path), _, _) => Ok(PresentationBinding::SessionTranscript(
            input_files::read_bytes(path, "SessionTranscript file")?,
        )),
        (None, Some(nonce), Some(audience)) => Ok(PresentationBinding::NonceAudience {
            nonce: nonce.clone(),
            audience: audience.clone(),
        }),
        // clap requires one or the other.
        _ => Err(CliError::BadInput(
            "give --nonce and --audience, or --transcript".into(),
        )),
    }
}

/// Runs `laissez wallet present`.
pub fn run(args: &PresentArgs) -> CliResult {
    let id = RecordId::parse(&args.id)?;
    let binding = binding(args)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let format = credentials::load(&store, id)?.format;
    if format == CredentialFormat::SdJwt
        && (args.session.transcript.is_some() || args.transcript_out.is_some())
    {
        return Err(CliError::BadInput(
            "--transcript and --transcript-out are for mdoc credentials; an SD-JWT VC is \
             bound with --nonce and --audience only"
                .into(),
        ));
    }
    let presentation = credentials::present(
        &mut store,
        id,
        &args.claims,
        &binding,
        unix_time::now(),
        None,
    )?;
    let warning = super::credentials::copies_warning(&store, id)?;
    drop(store);
    input_files::write_output(&args.out, &presentation.bytes, "presentation file")?;
    if let (Some(path), Some(transcript)) = (&args.transcript_out, &presentation.session_transcript)
    {
        input_files::write_output(path, transcript, "SessionTranscript file")?;
    }
    writeln!(
        std::io::stdout(),
        "Presented {} claim{} of {id} ({}, {} bytes) to {}",
        args.claims.len(),
        if args.claims.len() == 1 { "" } else { "s" },
        format.as_str(),
        presentation.bytes.len(),
        args.out.display()
    )?;
    if let Some(warning) = warning {
        writeln!(std::io::stderr(), "{warning}")?;
    }
    Ok(())
}
