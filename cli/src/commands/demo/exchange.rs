//! The QR exchange part of `laissez demo`, offline from end to end and through image files,
//! as two phones would do it with a screen and a camera. A field verifier gets its own
//! encrypted store, a trust list signed by a pinned signer and the issuer's status list. For
//! each format it shows a request QR code; the holder reads that PNG, sees who asks for
//! what, consents, and shows an encrypted response QR code (or animated frames); the
//! verifier reads those PNGs and gives its verdict. Then a replay and a revoked credential
//! are refused, and a static presentation is bound to the verifier's identifier.

use std::path::{Path, PathBuf};

use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::IssuerIdentity;
use wallet_core::qr::{Envelope, MessageKind};
use wallet_core::store::WalletStore;
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::verifier::status_cache;
use wallet_core::verifier::status_list::{StatusListBuilder, StatusState};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_store;
use wallet_core::verifier::{Reason, Verdict};
use wallet_core::wallet::credentials;
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};

use super::{DEMO_PIN, NEW_PIN, Steps};
use crate::exit::{CliError, CliResult};
use crate::verdict_output::print_verdict;
use crate::{qr_files, unix_time, wallet_file};
use laissez_sample_identity::{self as sample_identity, STATUS_URI};

const VERIFIER_NAME: &str = "Agadez reception desk";
const PURPOSE: &str = "Registration check for food distribution";
const FORMATS: [CredentialFormat; 2] = [CredentialFormat::SdJwt, CredentialFormat::Mdoc];
/// Entries in the issuer's status list (one bit each).
const STATUS_LIST_SIZE: u64 = 1_024;

/// What the verifier asks for: two required claims and one optional.
pub(super) fn requested(format: CredentialFormat) -> RequestedCredential {
    let claim = |path: &str, required| RequestedClaim {
        path: path.into(),
        required,
    };
    RequestedCredential {
        credential_type: sample_identity::credential_type(format).into(),
        claims: vec![
            claim("given_name", true),
            claim("family_name", true),
            claim("nationality", false),
        ],
    }
}

/// The issuer's status list with `revoked` entries set, signed now.
fn status_token(issuer: &IssuerIdentity, revoked: &[u64], now: i64) -> CliResult<String> {
    status_token_at(issuer, STATUS_URI, STATUS_LIST_SIZE, revoked, now)
}

/// The issuer's status list at `uri`, of `size` entries, with `revoked` entries set, signed
/// now with the issuer's certificate chain.
pub(super) fn status_token_at(
    issuer: &IssuerIdentity,
    uri: &str,
    size: u64,
    revoked: &[u64],
    now: i64,
) -> CliResult<String> {
    let failed = |err: wallet_core::verifier::status_list::StatusListError| {
        CliError::Failed(format!("the status list: {err}"))
    };
    let mut builder = StatusListBuilder::new(1, size).map_err(failed)?;
    for index in revoked {
        builder.set(*index, 1).map_err(failed)?;
    }
    builder
        .to_jwt_with_chain(
            uri,
            now,
            Some(now + 7 * 86_400),
            Some(86_400),
            &issuer.key,
            &issuer.chain(),
        )
        .map_err(failed)
}

fn failed(what: &str) -> impl FnOnce(field_verifier::FieldVerifierError) -> CliError + '_ {
    move |err| CliError::Failed(format!("{what}: {err}"))
}

/// Runs the exchange steps; `dir` is the demo folder, `db` the holder's wallet in it.
pub(super) fn walk(s: &mut Steps<'_>, dir: &Path, db: &Path, kdf: KdfParams) -> CliResult {
    let now = unix_time::now();
    let issuer = IssuerIdentity::load(&dir.join("issuer"))?;
    let mut holder = WalletStore::open(db, wallet_file::options(kdf))?;
    holder.unlock(NEW_PIN)?;

    s.step("Set up a field verifier: its own encrypted store, a signed trust list, status")?;
    let verifier_db = dir.join("laissez-verifier.db");
    let (mut verifier, _phrase) =
        WalletStore::create(&verifier_db, DEMO_PIN, wallet_file::options(kdf))?;
    let signer = SigningKey::generate()?;
    let mut list = TrustList::new(1, now, 30);
    // The authority's root: every signer it certifies is trusted for these types.
    let entry = list
        .add_issuer_certificate(
            &issuer.name,
            issuer.trust_anchor(),
            now - 60,
            now + 365 * 86_400,
        )
        .map_err(|err| CliError::Failed(format!("the trust list: {err}")))?;
    entry.credential_types = FORMATS
        .iter()
        .map(|f| sample_identity::credential_type(*f).to_owned())
        .collect();
    // The signer's certificate is known here, so answers leave it out.
    entry.signer_certificates = vec![issuer.certificate.clone()];
    let signed = list
        .sign(&signer)
        .map_err(|err| CliError::Failed(format!("signing the trust list: {err}")))?;
    s.say(&format!(
        "trust list 1 signed by {} (pinned at first import): {} for 2 credential types",
        signer.public_key().fingerprint(),
        issuer.name
    ))?;
    // Handed over as QR codes, as a coordinator's phone would show it.
    let list_dir = dir.join("trust-list");
    let written = qr_files::write_message(
        &trust_store::to_message(&signed),
        Some(&list_dir.join("trust-list.png")),
        Some(&list_dir),
    )?;
    let scanned = qr_files::read_one(&written.files, MessageKind::TrustList, "trust list")?;
    let text = trust_store::text_of(&scanned)
        .map_err(|err| CliError::Failed(format!("the scanned trust list: {err}")))?;
    s.say(&format!(
        "shown as {} QR code{} in {}, scanned back",
        written.files.len(),
        if written.files.len() == 1 { "" } else { "s" },
        list_dir.display()
    ))?;
    trust_store::install(&mut verifier, text, Some(signer.public_key()), now)
        .map_err(|err| CliError::Failed(format!("installing the trust list: {err}")))?;
    let stranger = SigningKey::generate()?;
    let forged = list
        .sign(&stranger)
        .map_err(|err| CliError::Failed(format!("signing: {err}")))?;
    s.check(
        trust_store::install(&mut verifier, &forged, None, now).is_err(),
        "a list signed by another key is refused (the signer is pinned)",
    )?;
    let trusted = list.issuers_at(now, None);
    let token = status_token(&issuer, &[], now)?;
    let cached = status_cache::import(&mut verifier, token.as_bytes(), &trusted, now)
        .map_err(|err| CliError::Failed(format!("caching the status list: {err}")))?;
    s.say(&format!(
        "status list {} ({} entries, {} bytes as JWT) cached for offline use",
        cached.uri,
        cached.entries,
        token.len()
    ))?;
    s.check(
        cached.issuer_name.as_deref() == Some(issuer.name.as_str()),
        "the status list is accepted because the trusted issuer signed it",
    )?;

    let mut shown: Vec<(CredentialFormat, Vec<PathBuf>)> = Vec::new();
    s.step("The verifier shows a request QR code; the holder reads it and consents")?;
    for format in FORMATS {
        let request = field_verifier::create_request(
            &mut verifier,
            VERIFIER_NAME,
            PURPOSE,
            vec![requested(format)],
            300,
            now,
        )
        .map_err(failed("the request"))?;
        let request_png = dir.join(format!("request-{}.png", format.as_str()));
        let written = qr_files::write_message(&request, Some(&request_png), None)?;
        s.say(&format!(
            "{:<6} {} ({} characters, QR version {})",
            format.as_str(),
            request_png.display(),
            written.chars[0],
            written.versions[0]
        ))?;
        let scanned = qr_files::read_one(
            std::slice::from_ref(&request_png),
            MessageKind::VerifierRequest,
            "verifier's request",
        )?;
        let response = answer(s, &mut holder, format, &scanned, now)?;
        let response_png = dir.join(format!("response-{}.png", format.as_str()));
        let written = qr_files::write_message(&response, Some(&response_png), None)?;
        s.say(&format!(
            "{:<6} response: {} QR code{} ({} characters, versions up to {})",
            format.as_str(),
            written.files.len(),
            if written.files.len() == 1 { "" } else { "s" },
            written.chars.iter().sum::<usize>(),
            written.versions.iter().max().copied().unwrap_or(0)
        ))?;
        s.check(
            written.files.len() == 1,
            &format!(
                "{}: the answer is one QR code (the verifier's trust list holds the signer's \
                 certificate, and labels come from type metadata, not the credential)",
                format.as_str()
            ),
        )?;
        s.check(
            !contains(&response.payload, "Amina") && !contains(&response.payload, "Yusuf"),
            &format!(
                "{}: the response is encrypted: a photo of it shows no name",
                format.as_str()
            ),
        )?;
        shown.push((format, written.files));
    }

    s.step("The verifier reads the response images and gives its verdict")?;
    for (format, files) in &shown {
        let verdict = verify_images(&mut verifier, files, now)?;
        say_verdict(s, &verdict)?;
        let status_fresh = verdict
            .status
            .as_ref()
            .is_some_and(|st| st.state == StatusState::Valid);
        s.check(
            verdict.valid
                && verdict.claims.len() == 2
                && verdict.issuer.as_ref().and_then(|i| i.name.as_deref())
                    == Some(issuer.name.as_str())
                && status_fresh,
            &format!(
                "{}: VALID, the 2 consented claims, the issuer named by the trust list, \
                 not revoked",
                format.as_str()
            ),
        )?;
    }

    s.step("Refuse a replayed response and a revoked credential")?;
    let (_, sd_jwt_files) = &shown[0];
    let replay = verify_images(&mut verifier, sd_jwt_files, now)?;
    s.say(&format!(
        "the same sd-jwt response again: {}",
        reason_codes(&replay)
    ))?;
    s.check(
        replay.reasons == [Reason::Replay],
        "a response shown twice is refused as a replay",
    )?;
    let revoked_index = sample_identity::status(CredentialFormat::SdJwt).index;
    let token = status_token(&issuer, &[revoked_index], now + 1)?;
    status_cache::import(&mut verifier, token.as_bytes(), &trusted, now + 1)
        .map_err(|err| CliError::Failed(format!("caching the status list: {err}")))?;
    s.say(&format!(
        "the issuer revokes entry {revoked_index}; the verifier caches the new list"
    ))?;
    let format = CredentialFormat::SdJwt;
    let request = field_verifier::create_request(
        &mut verifier,
        VERIFIER_NAME,
        PURPOSE,
        vec![requested(format)],
        300,
        now + 2,
    )
    .map_err(failed("the request"))?;
    let response = answer(s, &mut holder, format, &request, now + 2)?;
    let verdicts = field_verifier::verify_message(
        &mut verifier,
        &response,
        &VerifyOptions::new(now + 3, "en"),
    )
    .map_err(failed("verifying"))?;
    let revoked = verdicts
        .first()
        .ok_or_else(|| CliError::Failed("no verdict".into()))?;
    s.say(&format!("a new sd-jwt response: {}", reason_codes(revoked)))?;
    s.check(
        revoked.reasons == [Reason::Revoked] && revoked.claims.is_empty(),
        "the revoked credential is refused, and none of its claims are shown",
    )?;
    let log = field_verifier::log_entries(&verifier)?;
    s.check(
        log.len() == 4 && log.iter().filter(|e| e.valid).count() == 2,
        "the verifier's encrypted log holds the 4 verifications (2 valid)",
    )?;
    static_bound(s, dir, &mut holder, &mut verifier, now + 4)
}

/// The static flow, for a verifier that cannot show a request: the holder scans the
/// verifier's identifier once (a poster) and binds the presentation to it.
fn static_bound(
    s: &mut Steps<'_>,
    dir: &Path,
    holder: &mut WalletStore,
    verifier: &mut WalletStore,
    now: i64,
) -> CliResult {
    s.step("Static presentation bound to the verifier's identifier (its poster)")?;
    let id = field_verifier::verifier_id(verifier)?;
    s.say(&format!("the verifier's poster shows {}", id.code()))?;
    let credential = credentials::list(holder)?
        .into_iter()
        .find(|c| c.format == CredentialFormat::Mdoc)
        .ok_or_else(|| CliError::Failed("no mdoc credential".into()))?;
    let presentation = respond::present_static(
        holder,
        credential.id,
        &["given_name".to_owned()],
        now,
        Some(&id),
    )
    .map_err(|err| CliError::Failed(format!("presenting: {err}")))?
    .envelope;
    let png = dir.join("static-mdoc.png");
    let written = qr_files::write_message(&presentation, Some(&png), None)?;
    let verdict = verify_images(verifier, &written.files, now)?;
    s.say(&format!(
        "mdoc   {}: {}",
        png.display(),
        reason_codes(&verdict)
    ))?;
    s.check(
        verdict.valid && !verdict.unbound,
        "a static presentation bound to this verifier's id is VALID and bound to it",
    )?;
    let unbound = respond::present_static(
        holder,
        credential.id,
        &["given_name".to_owned()],
        now + 1,
        None,
    )
    .map_err(|err| CliError::Failed(format!("presenting: {err}")))?
    .envelope;
    let verdict =
        field_verifier::verify_message(verifier, &unbound, &VerifyOptions::new(now + 2, "en"))
            .map_err(failed("verifying"))?
            .into_iter()
            .next()
            .ok_or_else(|| CliError::Failed("no verdict".into()))?;
    s.check(
        verdict.valid && verdict.unbound,
        "one made without the id is accepted, but the verdict says it is not bound to this verifier",
    )?;
    Ok(())
}

/// The holder reads `request`, shows it, consents to every requested claim it holds, and
/// returns the encrypted response.
fn answer(
    s: &mut Steps<'_>,
    holder: &mut WalletStore,
    format: CredentialFormat,
    request: &Envelope,
    now: i64,
) -> CliResult<Envelope> {
    let view = respond::read_request(holder, request, now)
        .map_err(|err| CliError::Failed(format!("reading the request: {err}")))?;
    let matched = view
        .matches
        .first()
        .ok_or_else(|| CliError::Failed("the request asks for nothing".into()))?;
    let candidate = matched
        .candidates
        .iter()
        .find(|c| c.credential.format == format && c.satisfies_required)
        .ok_or_else(|| CliError::Failed("no credential answers the request".into()))?;
    let asked: Vec<String> = candidate
        .claims
        .iter()
        .map(|(c, _)| {
            let need = if c.required { "" } else { "?" };
            format!("{}{need}", c.path)
        })
        .collect();
    // An unsigned request: its name and purpose are only what it says of itself.
    s.say(&format!(
        "{:<6} UNVERIFIED verifier calling itself \"{}\" (not checked) asks for {} (\"{}\")",
        format.as_str(),
        view.request.verifier_name,
        asked.join(", "),
        view.request.purpose
    ))?;
    // The person agrees to the required claims and declines the optional one.
    let consent = Consent {
        credential_id: candidate.credential.id,
        claims: candidate
            .claims
            .iter()
            .filter(|(c, has)| *has && c.required)
            .map(|(c, _)| c.path.clone())
            .collect(),
        allowed_beyond_scope: Vec::new(),
    };
    s.say(&format!(
        "{:<6} the holder consents to {}",
        format.as_str(),
        consent.claims.join(", ")
    ))?;
    let response = respond::respond(
        holder,
        &view,
        &[consent],
        // The demo's requests are unsigned: the holder saw the UNVERIFIED warning.
        Some(UnverifiedAcknowledgement::of(&view)),
        now,
    )
    .map_err(|err| CliError::Failed(format!("answering: {err}")))?;
    let shown = credentials::disclosures(holder)?;
    s.check(
        shown.last().is_some_and(|e| e.claims.len() == 2),
        &format!(
            "{}: the disclosure history records the 2 claims sent",
            format.as_str()
        ),
    )?;
    Ok(response)
}

/// Reads the response images back, as the verifier's camera would, and verifies.
pub(super) fn verify_images(
    verifier: &mut WalletStore,
    files: &[PathBuf],
    now: i64,
) -> CliResult<Verdict> {
    let messages = qr_files::read_messages(files)?;
    let message = messages
        .first()
        .ok_or_else(|| CliError::Failed("no message in the images".into()))?;
    field_verifier::verify_message(verifier, message, &VerifyOptions::new(now + 1, "en"))
        .map_err(failed("verifying"))?
        .into_iter()
        .next()
        .ok_or_else(|| CliError::Failed("no verdict".into()))
}

fn reason_codes(verdict: &Verdict) -> String {
    if verdict.valid {
        return "VALID".into();
    }
    let codes: Vec<&str> = verdict.reasons.iter().map(Reason::code).collect();
    format!("INVALID ({})", codes.join(", "))
}

pub(super) fn say_verdict(s: &mut Steps<'_>, verdict: &Verdict) -> CliResult {
    let mut lines = Vec::new();
    print_verdict(&mut lines, verdict, "en")?;
    for line in String::from_utf8_lossy(&lines).lines() {
        s.say(line)?;
    }
    Ok(())
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}
