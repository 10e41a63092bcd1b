//! `laissez verify-presentation`: the field verifier's check of one presentation.
//!
//! Prints VALID or INVALID with the reasons' stable codes, the credential type, the issuer
//! and the disclosed claims with the issuer's labels. Exit 0 valid, 1 invalid, 2 when the
//! check could not be asked: an unreadable file, a trust file that is not a key or a
//! certificate, a file that is not a presentation at all, a binding that does not fit.

use wallet_core::mdoc::SessionTranscript;
use wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS;
use wallet_core::verifier::{
    ExpectedBinding, TrustedIssuer, VerificationRequest, verify_presentation,
};

use crate::args::VerifyPresentationArgs;
use crate::exit::{CliError, CliResult};
use crate::verdict_output::{VerdictJson, codes, print_verdict};
use crate::{input_files, output, unix_time};

/// What a file looks like, before any check: the two formats a presentation can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// SD-JWT+KB compact text.
    SdJwt,
    /// CBOR starting with a map: an mdoc DeviceResponse.
    Mdoc,
}

/// The shape of `bytes`, or `None` when it is neither SD-JWT text nor a CBOR map.
pub fn shape(bytes: &[u8]) -> Option<Shape> {
    let text = std::str::from_utf8(bytes).ok().map(str::trim);
    match text {
        Some(t) if t.starts_with("ey") && t.contains('~') => Some(Shape::SdJwt),
        _ if bytes.first().is_some_and(|b| b >> 5 == 5) => Some(Shape::Mdoc),
        _ => None,
    }
}

fn binding(args: &VerifyPresentationArgs, shape: Shape) -> CliResult<ExpectedBinding> {
    match (
        &args.session.transcript,
        &args.session.nonce,
        &args.session.audience,
    ) {
        (Some(_), _, _) if shape == Shape::SdJwt => Err(CliError::BadInput(
            "an SD-JWT presentation is checked against --nonce and --audience, not a \
             SessionTranscript"
                .into(),
        )),
        (Some(path), _, _) => {
            let bytes = input_files::read_bytes(path, "SessionTranscript file")?;
            SessionTranscript::from_bytes(&bytes).map_err(|err| {
                CliError::BadInput(format!(
                    "{} is not a SessionTranscript ({err})",
                    path.display()
                ))
            })?;
            Ok(ExpectedBinding::SessionTranscript(bytes))
        }
        (None, Some(nonce), Some(audience)) => Ok(ExpectedBinding::NonceAudience {
            nonce: nonce.clone(),
            audience: audience.clone(),
        }),
        _ => Err(CliError::BadInput(
            "give --nonce and --audience, or --transcript".into(),
        )),
    }
}

/// Runs `laissez verify-presentation`.
pub fn run(args: &VerifyPresentationArgs) -> CliResult {
    let trusted = args
        .trust_keys
        .iter()
        .map(|path| input_files::read_trusted_issuer(path))
        .collect::<CliResult<Vec<TrustedIssuer>>>()?;
    let presentation = input_files::read_bytes(&args.file, "presentation file")?;
    let shape = shape(&presentation).ok_or_else(|| {
        CliError::BadInput(format!(
            "{} is not a presentation (neither SD-JWT+KB text nor an mdoc DeviceResponse)",
            args.file.display()
        ))
    })?;
    let binding = binding(args, shape)?;
    let now = args.at.unwrap_or_else(unix_time::now);
    let verdict = verify_presentation(&VerificationRequest {
        presentation: &presentation,
        binding: &binding,
        trusted: &trusted,
        now,
        lang: &args.lang,
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: DEFAULT_MAX_STATUS_AGE_SECS,
        // Presentations from any wallet: others may not normalise s, and no
        // replay cache keys on the signature here.
        holder_high_s: wallet_core::verifier::HighS::Accept,
    });
    if args.json {
        output::print_json(&VerdictJson::new(&verdict, now, &args.lang))?;
    } else {
        print_verdict(&mut std::io::stdout().lock(), &verdict, &args.lang)?;
    }
    if verdict.valid {
        Ok(())
    } else {
        Err(CliError::Negative(format!(
            "the presentation is INVALID ({})",
            codes(&verdict.reasons).join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            shape(b"eyJhbGciOiJFUzI1NiJ9.e30.c2ln~x~\n"),
            Some(Shape::SdJwt)
        );
        assert_eq!(shape(&[0xa3, 0x01]), Some(Shape::Mdoc));
        assert_eq!(shape(b""), None);
        assert_eq!(shape(b"hello"), None);
        assert_eq!(shape(b"eyJhbGciOiJFUzI1NiJ9"), None);
        assert_eq!(shape(&[0x83, 0x01]), None);
    }
}
