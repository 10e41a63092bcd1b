//! How verdicts are shown: VALID or INVALID, the reasons' stable codes with an explanation,
//! the issuer, the status with the age of its data, and the disclosed claims with labels.

use std::io::Write;

use serde::Serialize;
use wallet_core::verifier::status_list::StatusState;
use wallet_core::verifier::{
    DisclosedClaim, DisclosedPortrait, IssuerInfo, Reason, StatusReport, Verdict,
};

use crate::exit::CliResult;
use crate::output;

pub fn codes(reasons: &[Reason]) -> Vec<&'static str> {
    reasons.iter().map(Reason::code).collect()
}

/// What a reason means, for people; the code is what scripts rely on.
pub fn explain(reason: Reason) -> &'static str {
    match reason {
        Reason::Malformed => "not a well-formed presentation",
        Reason::TooLarge => "larger than the verifier accepts",
        Reason::UnsupportedAlgorithm => "signed with an algorithm this verifier does not accept",
        Reason::BadIssuerSignature => "the issuer's signature does not verify",
        Reason::UnknownIssuer => "issued by an issuer that is not trusted here",
        Reason::UntrustedChain => {
            "the issuer's certificate chain is refused (a link that may not certify, a \
             missing purpose, too long, or an unknown critical extension)"
        }
        Reason::IssuerNotAllowed => {
            "the trusted authority is not allowed to vouch for this credential type or country"
        }
        Reason::IssuerNameMismatch => "the issuer's name (iss) is not the one in its certificate",
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
        Reason::Tampered => "an answer to this verifier's request, altered on the way",
    }
}

/// What an unbound static presentation means, said right under its verdict.
pub const UNBOUND_WARNING: &str = "NOT BOUND TO THIS VERIFIER: a static presentation made \
without this verifier's id; whoever photographed it could show it here within its 2-minute \
window. Ask the holder to scan the code of `laissez verifier id`.";

/// What a valid credential without any holder binding (a Claim 169 identity QR code) means.
pub const POSSESSION_WARNING: &str = "POSSESSION NOT PROVEN: compare the photo. The issuer \
signed this identity data, but anyone holding the card, or a copy of its code, can show it.";

pub fn print_verdict(out: &mut impl Write, verdict: &Verdict, lang: &str) -> CliResult {
    writeln!(out, "{}", if verdict.valid { "VALID" } else { "INVALID" })?;
    for reason in &verdict.reasons {
        writeln!(out, "reason        {}: {}", reason.code(), explain(*reason))?;
    }
    if verdict.possession_not_proven {
        writeln!(out, "warning       {POSSESSION_WARNING}")?;
    } else if verdict.unbound {
        writeln!(out, "warning       {UNBOUND_WARNING}")?;
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
    if let Some(status) = &verdict.status {
        writeln!(out, "status        {}", status_text(status))?;
    }
    if let Some(withheld) = &verdict.labels_withheld {
        writeln!(
            out,
            "labels        none: the trust list's type metadata was not used ({})",
            withheld.code()
        )?;
    }
    if let Some(problem) = &verdict.portrait_problem {
        writeln!(
            out,
            "portrait      NOT SHOWN: {problem} ({}); compare the person with another document",
            problem.code()
        )?;
    }
    if verdict.valid {
        writeln!(
            out,
            "claims        {} disclosed (labels: {lang})",
            verdict.claims.len()
        )?;
        print_claims(out, &verdict.claims)?;
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
        // The portrait is written to a file (see `portrait` above the claims), not printed.
        let value = if wallet_core::credential::portrait::is_portrait_path(&claim.path) {
            "(photo: see portrait)".to_owned()
        } else {
            output::value_text(&claim.value)
        };
        writeln!(
            out,
            "  {:<path_width$}  {label}{}  {value}",
            claim.path,
            " ".repeat(label_width - label.chars().count()),
        )?;
    }
    Ok(())
}

/// A verdict as `--json` prints it (`verify-presentation`, `verifier verify`).
#[derive(Serialize)]
pub struct VerdictJson<'a> {
    valid: bool,
    reasons: Vec<&'static str>,
    format: &'a str,
    credential_type: Option<&'a str>,
    issuer: Option<&'a IssuerInfo>,
    status: Option<&'a StatusReport>,
    claims: &'a [DisclosedClaim],
    /// A static presentation bound to no verifier (see [`UNBOUND_WARNING`]).
    unbound: bool,
    /// A credential with no holder binding at all (see [`POSSESSION_WARNING`]).
    possession_not_proven: bool,
    /// Why the claims carry no labels although type metadata was at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    labels_withheld: Option<&'static str>,
    /// The disclosed portrait (JPEG as base64, its pixel size) and the file it was written to.
    #[serde(skip_serializing_if = "Option::is_none")]
    portrait: Option<&'a DisclosedPortrait>,
    #[serde(skip_serializing_if = "Option::is_none")]
    portrait_file: Option<String>,
    /// Why a disclosed portrait cannot be shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    portrait_problem: Option<&'static str>,
    checked_at: i64,
    lang: &'a str,
}

impl<'a> VerdictJson<'a> {
    pub fn new(verdict: &'a Verdict, checked_at: i64, lang: &'a str) -> Self {
        Self {
            valid: verdict.valid,
            reasons: codes(&verdict.reasons),
            format: &verdict.format,
            credential_type: verdict.credential_type.as_deref(),
            issuer: verdict.issuer.as_ref(),
            status: verdict.status.as_ref(),
            claims: &verdict.claims,
            unbound: verdict.unbound,
            possession_not_proven: verdict.possession_not_proven,
            labels_withheld: verdict.labels_withheld.as_ref().map(|w| w.code()),
            portrait: verdict.portrait.as_ref(),
            portrait_file: None,
            portrait_problem: verdict.portrait_problem.as_ref().map(|p| p.code()),
            checked_at,
            lang,
        }
    }
}

impl VerdictJson<'_> {
    /// Names the file the portrait was written to.
    pub fn with_portrait_file(mut self, file: Option<&std::path::Path>) -> Self {
        self.portrait_file = file.map(|f| f.display().to_string());
        self
    }
}

/// Writes a verdict's portrait to `dir` (default: the temporary folder) as
/// `laissez-portrait-<checked_at>-<n>.jpg`; `None` without one.
pub fn write_portrait(
    verdict: &Verdict,
    dir: Option<&std::path::Path>,
    checked_at: i64,
    n: usize,
) -> CliResult<Option<std::path::PathBuf>> {
    let Some(portrait) = &verdict.portrait else {
        return Ok(None);
    };
    let dir = dir.map_or_else(std::env::temp_dir, std::path::Path::to_path_buf);
    let path = dir.join(format!("laissez-portrait-{checked_at}-{n}.jpg"));
    crate::input_files::write_output(&path, &portrait.jpeg, "portrait file")?;
    Ok(Some(path))
}

/// The line that says where the portrait is: field workers open it large beside the verdict.
pub fn print_portrait_line(
    out: &mut impl Write,
    portrait: &DisclosedPortrait,
    file: &std::path::Path,
) -> CliResult {
    writeln!(
        out,
        "portrait      {} ({}×{} JPEG, {} bytes, signed by the issuer): compare with the person",
        file.display(),
        portrait.width,
        portrait.height,
        portrait.jpeg.len()
    )?;
    Ok(())
}

/// A status for people: the state, how old the data is, and for stale data what it said.
pub fn status_text(status: &StatusReport) -> String {
    let age = status
        .age_secs
        .map(|secs| format!(", data {} old", age_text(secs)))
        .unwrap_or_default();
    match status.state {
        StatusState::Valid => format!("not revoked{age}"),
        StatusState::Revoked => format!("REVOKED{age}"),
        StatusState::Suspended => format!("SUSPENDED{age}"),
        StatusState::Unknown => {
            "unknown: no status list cached for it (laissez verifier status)".to_owned()
        }
        StatusState::Stale => format!(
            "unknown: status data too old{age}; last known: {}",
            status.last_known.as_deref().unwrap_or("nothing")
        ),
    }
}

/// `90 s`, `12 min`, `5 h`, `3 d`.
fn age_text(secs: i64) -> String {
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 7_200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3_600),
        s => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age_text(59), "59 s");
        assert_eq!(age_text(600), "10 min");
        assert_eq!(age_text(10_800), "3 h");
        assert_eq!(age_text(3 * 86_400), "3 d");
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
