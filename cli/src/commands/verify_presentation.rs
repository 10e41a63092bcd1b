//! `laissez verify-presentation`: the field verifier's check of one presentation.
//!
//! Prints VALID or INVALID with the reasons' stable codes, the credential type, the issuer
//! and the disclosed claims with the issuer's labels. Exit 0 valid, 1 invalid, 2 when the
//! check could not be asked: an unreadable file, a trust file that is not a key or a
//! certificate, a file that is not a presentation at all, a binding that does not fit.

use std::io::Write;

use serde::Serialize;
use wallet_core::mdoc::SessionTranscript;
use wallet_core::verifier::{
    DisclosedClaim, ExpectedBinding, IssuerInfo, Reason, TrustedIssuer, Verdict,
    VerificationRequest, verify_presentation,
};

use crate::args::VerifyPresentationArgs;
use crate::exit::{CliError, CliResult};
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
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::presentation::DEFAULT_MAX_STATUS_AGE_SECS,
    });
    if args.json {
        output::print_json(&VerdictJson::new(&verdict, now, &args.lang))?;
    } else {
        print_verdict(&verdict, &args.lang)?;
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

fn codes(reasons: &[Reason]) -> Vec<&'static str> {
    reasons.iter().map(Reason::code).collect()
}

/// What a reason means, for people; the code is what scripts rely on.
pub fn explain(reason: Reason) -> &'static str {
    match reason {
        Reason::Malformed => "not a well-formed presentation",
        Reason::TooLarge => "larger than the verifier accepts",
        Reason::UnsupportedAlgorithm => "signed with an algorithm other than ES256",
        Reason::BadIssuerSignature => "the issuer's signature does not verify",
        Reason::UnknownIssuer => "issued by an issuer that is not trusted here",
        Reason::DigestMismatch => "a disclosed claim does not match what the issuer signed",
        Reason::Expired => "the credential or its certificate has expired",
        Reason::NotYetValid => "the credential or its certificate is not valid yet",
        Reason::BadHolderSignature => "the holder's signature does not verify",
        Reason::MissingHolderBinding => "no proof that the holder's key signed it",
        Reason::WrongNonce => "made for another nonce or session",
        Reason::WrongAudience => "made for another verifier",
        Reason::StalePresentation => "made too long ago, or in the future",
        Reason::WrongCredentialType => "not the credential type asked for",
        Reason::Revoked => "revoked by its issuer",
        Reason::Suspended => "suspended by its issuer",
        Reason::Replay => "shown here before: a replayed presentation",
        Reason::WrongRequest => "made for another request, or the request has expired",
        _ => "see the reason code",
    }
}

fn print_verdict(verdict: &Verdict, lang: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", if verdict.valid { "VALID" } else { "INVALID" })?;
    for reason in &verdict.reasons {
        writeln!(out, "reason        {}: {}", reason.code(), explain(*reason))?;
    }
    writeln!(out, "format        {}", verdict.format)?;
    if let Some(credential_type) = &verdict.credential_type {
        writeln!(out, "type          {credential_type}")?;
    }
    if let Some(issuer) = &verdict.issuer {
        match &issuer.name {
            Some(name) => writeln!(out, "issuer        {name} (key {})", issuer.key_fingerprint)?,
            None => writeln!(out, "issuer        key {}", issuer.key_fingerprint)?,
        }
    }
    if verdict.valid {
        writeln!(
            out,
            "claims        {} disclosed (labels: {lang})",
            verdict.claims.len()
        )?;
        print_claims(&mut out, &verdict.claims)?;
    }
    Ok(())
}

/// The disclosed claims, one a line: path, label, value.
pub fn print_claims(out: &mut impl Write, claims: &[DisclosedClaim]) -> CliResult {
    let path_width = claims.iter().map(|c| c.path.len()).max().unwrap_or(0);
    let label_width = claims
        .iter()
        .map(|c| c.label.as_deref().map_or(0, |l| l.chars().count()))
        .max()
        .unwrap_or(0);
    for claim in claims {
        let label = claim.label.as_deref().unwrap_or("");
        writeln!(
            out,
            "  {:<path_width$}  {label}{}  {}",
            claim.path,
            " ".repeat(label_width - label.chars().count()),
            output::value_text(&claim.value)
        )?;
    }
    Ok(())
}

/// `verify-presentation --json`.
#[derive(Serialize)]
struct VerdictJson<'a> {
    valid: bool,
    reasons: Vec<&'static str>,
    format: &'a str,
    credential_type: Option<&'a str>,
    issuer: Option<&'a IssuerInfo>,
    claims: &'a [DisclosedClaim],
    checked_at: i64,
    lang: &'a str,
}

impl<'a> VerdictJson<'a> {
    fn new(verdict: &'a Verdict, checked_at: i64, lang: &'a str) -> Self {
        Self {
            valid: verdict.valid,
            reasons: codes(&verdict.reasons),
            format: &verdict.format,
            credential_type: verdict.credential_type.as_deref(),
            issuer: verdict.issuer.as_ref(),
            claims: &verdict.claims,
            checked_at,
            lang,
        }
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

    #[test]
    fn every_reason_is_explained() {
        for reason in [
            Reason::WrongNonce,
            Reason::UnknownIssuer,
            Reason::DigestMismatch,
        ] {
            assert_ne!(explain(reason), "see the reason code");
        }
    }
}
