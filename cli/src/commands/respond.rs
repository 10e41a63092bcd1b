//! `laissez wallet respond`: the holder's side of the QR exchange. Reads the verifier's
//! request QR code, shows who asks for what and which credential answers, and writes the
//! consented claims as an encrypted response QR code (or the frames of an animated one).

use std::io::Write;

use wallet_core::qr::MessageKind;
use wallet_core::wallet::VerifierIdentity;
use wallet_core::wallet::respond::{
    self, Candidate, Consent, RequestView, RespondError, UnverifiedAcknowledgement,
};

use crate::args::{ConsentChoice, RespondArgs};
use crate::exit::{CliError, CliResult};
use crate::{qr_files, unix_time, wallet_file};

/// Credential failures keep their exit codes; the rest is bad input.
pub(super) fn respond_error(err: RespondError) -> CliError {
    match err {
        RespondError::Credential(err) => err.into(),
        RespondError::UnverifiedNotAcknowledged => CliError::Negative(format!(
            "{err}; nothing was sent (pass --accept-unverified to answer anyway)"
        )),
        RespondError::BeyondScope(ref claim) => CliError::Negative(format!(
            "{err}; nothing was sent (pass --allow-beyond-scope {claim} to send it anyway)"
        )),
        other => CliError::BadInput(other.to_string()),
    }
}

/// For each requested credential, the first candidate with every required claim, and the
/// claims to send from it.
fn consents<'v>(
    view: &'v RequestView,
    choice: ConsentChoice,
    beyond_scope: &[String],
) -> CliResult<Vec<(Consent, &'v Candidate)>> {
    let mut chosen = Vec::new();
    for matched in &view.matches {
        let Some(candidate) = matched.candidates.iter().find(|c| c.satisfies_required) else {
            let missing: Vec<&str> = matched
                .requested
                .claims
                .iter()
                .filter(|c| c.required)
                .map(|c| c.path.as_str())
                .collect();
            return Err(CliError::Negative(format!(
                "no credential of type {} in this wallet holds the required claims ({})",
                matched.requested.credential_type,
                missing.join(", ")
            )));
        };
        let claims = candidate
            .claims
            .iter()
            .filter(|(claim, has)| *has && (claim.required || choice == ConsentChoice::All))
            .map(|(claim, _)| claim.path.clone())
            .collect();
        let allowed_beyond_scope = matched
            .claims
            .iter()
            .filter(|c| !c.within_scope && beyond_scope.contains(&c.claim.path))
            .map(|c| c.claim.path.clone())
            .collect();
        chosen.push((
            Consent {
                credential_id: candidate.credential.id,
                claims,
                allowed_beyond_scope,
            },
            candidate,
        ));
    }
    Ok(chosen)
}

/// Runs `laissez wallet respond`.
pub fn run(args: &RespondArgs) -> CliResult {
    // The image first: an unreadable request costs no PIN prompt.
    let message = qr_files::read_one_of(
        std::slice::from_ref(&args.request),
        &[MessageKind::VerifierRequest, MessageKind::SignedRequest],
        "verifier's request",
    )?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let now = unix_time::now();
    let view = respond::read_request(&store, &message, now).map_err(respond_error)?;
    let request = &view.request;
    let mut out = std::io::stdout().lock();
    match &view.identity {
        VerifierIdentity::Verified(verified) => {
            writeln!(
                out,
                "Request from      {} ({}), VERIFIED by {}",
                verified.organisation, verified.country, verified.registrar
            )?;
            writeln!(out, "purposes          {}", verified.purposes.join("; "))?;
        }
        VerifierIdentity::Unverified {
            reason,
            claimed_name,
            claimed_purpose,
        } => {
            writeln!(
                out,
                "Request from      UNVERIFIED ({}): calls itself \"{claimed_name}\"",
                reason.code()
            )?;
            writeln!(out, "purpose (its own) {claimed_purpose}")?;
            writeln!(
                out,
                "warning           nobody vouches for this verifier: anyone can print this name"
            )?;
        }
    }
    writeln!(
        out,
        "answerable until  {}",
        unix_time::utc_text(request.expires_at)
    )?;
    let chosen = consents(&view, args.consent, &args.allow_beyond_scope)?;
    for (consent, candidate) in &chosen {
        writeln!(
            out,
            "credential        {} ({}, {})",
            candidate.credential.credential_type,
            candidate.credential.format.as_str(),
            candidate.credential.id
        )?;
        for (claim, has) in &candidate.claims {
            let sent = consent.claims.contains(&claim.path);
            let need = if claim.required {
                "required"
            } else {
                "optional"
            };
            let what = match (sent, has) {
                (true, _) => "SENT",
                (false, true) => "withheld",
                (false, false) => "not in the credential",
            };
            let scope = if !view.identity.is_verified() {
                ""
            } else if view
                .identity
                .within_scope(&candidate.credential.credential_type, &claim.path)
            {
                " (registered)"
            } else {
                " (BEYOND the registered scope)"
            };
            writeln!(out, "  {:<24} {need:<9} {what}{scope}", claim.path)?;
            if claim.is_portrait() && sent {
                writeln!(out, "  (your photo will be shared with this verifier)")?;
            }
        }
    }
    let consents: Vec<Consent> = chosen.into_iter().map(|(c, _)| c).collect();
    let acknowledgement = args
        .accept_unverified
        .then(|| UnverifiedAcknowledgement::of(&view));
    let response = respond::respond(&mut store, &view, &consents, acknowledgement, now)
        .map_err(respond_error)?;
    let mut warnings = Vec::new();
    for consent in &consents {
        warnings.extend(super::credentials::copies_warning(
            &store,
            consent.credential_id,
        )?);
    }
    drop(store);
    for warning in &warnings {
        writeln!(std::io::stderr(), "{warning}")?;
    }
    let written =
        qr_files::write_message(&response, args.out.as_deref(), args.frames_dir.as_deref())?;
    let total: usize = written.chars.iter().sum();
    if let ([file], [version]) = (written.files.as_slice(), written.versions.as_slice()) {
        writeln!(
            out,
            "Response          {} ({total} characters, QR version {version}), encrypted to the \
             verifier",
            file.display()
        )?;
    } else {
        writeln!(
            out,
            "Response          {} animated frames ({total} characters, QR versions up to {}), \
             encrypted to the verifier:",
            written.chars.len(),
            written.versions.iter().max().copied().unwrap_or(0)
        )?;
    }
    for file in &written.files {
        writeln!(out, "  {}", file.display())?;
    }
    Ok(())
}
