//! The verifier-trust part of `laissez demo` (ADRs 0020 and 0021): a registrar certifies the
//! field verifier's request-signing key with what it may ask for; the holder's signed trust
//! list names the registrar. The verifier's signed request then reads as VERIFIED, with the
//! organisation from the certificate (never the request's own text) and the claim beyond its
//! registered scope marked and refused until turned on; the next request names the
//! certificate by reference in a smaller code. A forger's request carrying the genuine
//! certificate, and a request whose answer key was swapped by a relay, read as UNVERIFIED,
//! and nothing is sent without the warning's acknowledgement.

use std::path::Path;

use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::signed_request;
use wallet_core::exchange::{RequestedCredential, VerifierRequest};
use wallet_core::issuer::{IssuerIdentity, Registrar};
use wallet_core::qr::{Envelope, MessageKind};
use wallet_core::registration::{Registration, ScopeEntry};
use wallet_core::store::WalletStore;
use wallet_core::verifier::field_verifier;
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_list_registrars::TrustedRegistrar;
use wallet_core::verifier::trust_store;
use wallet_core::wallet::credentials::{self, DisclosedVerifier};
use wallet_core::wallet::respond::{self, Consent, RequestView, RespondError};
use wallet_core::wallet::verifier_identity::{UnverifiedReason, VerifierIdentity};

use super::exchange::{requested, verify_images};
use super::{DEMO_PIN, NEW_PIN, Steps};
use crate::exit::{CliError, CliResult};
use crate::{qr_files, unix_time, wallet_file};
use laissez_sample_identity as sample_identity;

/// The format answered here: the SD-JWT VC was revoked in the exchange part.
const FORMAT: CredentialFormat = CredentialFormat::Mdoc;
/// What the request says of itself: a famous name, which a verified consent never shows.
const CLAIMED_NAME: &str = "UNHCR registration";
const CLAIMED_PURPOSE: &str = "Registration";
const ORGANISATION: &str = "Agadez reception desk (IOM)";
const COUNTRY: &str = "NE";
const PURPOSE: &str = "Registration check for food distribution";
const REGISTRAR_NAME: &str = "Humanitarian coordination body (demo)";

fn failed<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> CliError + '_ {
    move |err| CliError::Failed(format!("{what}: {err}"))
}

/// Runs the verifier-trust steps; `dir` is the demo folder, `db` the holder's wallet in it.
pub(super) fn walk(s: &mut Steps<'_>, dir: &Path, db: &Path, kdf: KdfParams) -> CliResult {
    let now = unix_time::now();
    let issuer = IssuerIdentity::load(&dir.join("issuer"))?;
    let mut holder = WalletStore::open(db, wallet_file::options(kdf))?;
    holder.unlock(NEW_PIN)?;
    let mut verifier =
        WalletStore::open(dir.join("laissez-verifier.db"), wallet_file::options(kdf))?;
    verifier.unlock(DEMO_PIN)?;
    let credential_type = sample_identity::credential_type(FORMAT);

    s.step("A registrar certifies the field verifier; the holder's trust list names it")?;
    let registrar = Registrar::generate("urn:laissez:demo:coordination", REGISTRAR_NAME)
        .map_err(failed("the registrar"))?;
    let verifier_key = field_verifier::request_signing_key(&verifier)?;
    let certificate = registrar
        .certify(&Registration {
            registrar_id: registrar.id.clone(),
            verifier_id: "agadez-desk-4".into(),
            organisation: ORGANISATION.into(),
            country: COUNTRY.into(),
            purposes: vec![PURPOSE.into()],
            // The desk may ask for the names, not the nationality.
            scope: vec![ScopeEntry {
                credential_type: credential_type.into(),
                claims: vec!["given_name".into(), "family_name".into()],
            }],
            verifier_key: verifier_key.public_key().clone(),
            issued_at: now - 60,
            not_before: now - 60,
            not_after: now + 365 * 86_400,
        })
        .map_err(failed("certifying"))?;
    let reference = field_verifier::install_certificate(&mut verifier, &certificate, now)
        .map_err(failed("installing the certificate"))?;
    s.say(&format!(
        "certificate {} ({} bytes, CWT in COSE_Sign1, ES256): {ORGANISATION}, {COUNTRY}, \
         may ask for given_name and family_name of {credential_type}",
        hex::encode(reference),
        certificate.len()
    ))?;
    let coordinator = SigningKey::generate()?;
    let mut list = TrustList::new(1, now, 30);
    list.add_issuer_certificate(
        &issuer.name,
        issuer.trust_anchor(),
        now - 60,
        now + 365 * 86_400,
    )
    .map_err(failed("the holder's trust list"))?;
    list.add_registrar(TrustedRegistrar {
        id: registrar.id.clone(),
        name: registrar.name.clone(),
        country: COUNTRY.into(),
        key: registrar.key.public_key().clone(),
        valid_from: now - 60,
        valid_until: now + 365 * 86_400,
    })
    .map_err(failed("the holder's trust list"))?;
    let signed = list.sign(&coordinator).map_err(failed("signing"))?;
    trust_store::install(&mut holder, &signed, Some(coordinator.public_key()), now)
        .map_err(failed("installing the holder's trust list"))?;
    s.check(
        field_verifier::installed_certificate(&verifier)?.as_deref() == Some(&certificate[..]),
        "the verifier keeps the certificate of its own key; the holder pins its list's signer",
    )?;

    s.step("The verifier's signed request: the holder sees who asks, from the certificate")?;
    let request = signed_request(&mut verifier, now, false)?;
    let request_png = dir.join("request-signed.png");
    let written = qr_files::write_message(&request, Some(&request_png), None)?;
    s.say(&format!(
        "{} ({} characters, QR version {}, certificate included)",
        request_png.display(),
        written.chars[0],
        written.versions[0]
    ))?;
    let scanned = qr_files::read_one(
        std::slice::from_ref(&request_png),
        MessageKind::SignedRequest,
        "signed request",
    )?;
    let view = respond::read_request(&holder, &scanned, now).map_err(failed("reading"))?;
    say_identity(s, &view)?;
    s.check(
        matches!(&view.identity, VerifierIdentity::Verified(v)
            if v.organisation == ORGANISATION && v.registrar == REGISTRAR_NAME),
        "VERIFIED: organisation from the certificate, registrar from the holder's list, \
         never the request's own text",
    )?;
    let beyond: Vec<&str> = view.matches[0]
        .claims
        .iter()
        .filter(|c| !c.within_scope)
        .map(|c| c.claim.path.as_str())
        .collect();
    s.say(&format!(
        "beyond its registered scope: {}",
        beyond.join(", ")
    ))?;
    let id = view.matches[0]
        .candidates
        .iter()
        .find(|c| c.credential.format == FORMAT)
        .ok_or_else(|| CliError::Failed("no mdoc answers the request".into()))?
        .credential
        .id;
    let all = Consent {
        credential_id: id,
        claims: vec!["given_name".into(), "nationality".into()],
        allowed_beyond_scope: Vec::new(),
    };
    let before = credentials::disclosures(&holder)?.len();
    let refused = respond::respond(&mut holder, &view, std::slice::from_ref(&all), None, now);
    s.check(
        beyond == ["nationality"]
            && matches!(&refused, Err(RespondError::BeyondScope(p)) if p == "nationality")
            && credentials::disclosures(&holder)?.len() == before,
        "nationality is marked beyond the scope and not sent unless turned on by hand",
    )?;
    let consent = Consent {
        claims: vec!["given_name".into(), "family_name".into()],
        ..all
    };
    let response =
        respond::respond(&mut holder, &view, &[consent], None, now).map_err(failed("answering"))?;
    let response_png = dir.join("response-signed.png");
    let written = qr_files::write_message(&response, Some(&response_png), None)?;
    let verdict = verify_images(&mut verifier, &written.files, now)?;
    let logged = field_verifier::log_entries(&verifier)?;
    let history = credentials::disclosures(&holder)?;
    s.check(
        verdict.valid
            && logged.last().and_then(|e| e.certificate.as_deref())
                == Some(hex::encode(reference).as_str())
            && matches!(history.last().and_then(|e| e.verifier.as_ref()),
                Some(DisclosedVerifier::Verified { organisation, .. }) if organisation == ORGANISATION),
        "VALID; the verifier's log names its certificate, the holder's history the verified \
         organisation",
    )?;
    let by_reference = signed_request(&mut verifier, now + 1, true)?;
    let written = qr_files::write_message(
        &by_reference,
        Some(&dir.join("request-by-reference.png")),
        None,
    )?;
    let view = respond::read_request(&holder, &by_reference, now + 1).map_err(failed("reading"))?;
    s.say(&format!(
        "next request names the certificate by reference: {} characters, QR version {}",
        written.chars[0], written.versions[0]
    ))?;
    s.check(
        view.identity.is_verified(),
        "the holder kept the certificate of the verifier it answered: still VERIFIED",
    )?;

    s.step("A forger's or relay's request reads UNVERIFIED; nothing is sent without the warning")?;
    let genuine = signed_request(&mut verifier, now + 2, false)?;
    let forged = forge(&genuine, &certificate)?;
    let view = respond::read_request(&holder, &forged, now + 2).map_err(failed("reading"))?;
    say_identity(s, &view)?;
    let refused = respond::respond(
        &mut holder,
        &view,
        &[Consent {
            credential_id: id,
            claims: vec!["given_name".into()],
            allowed_beyond_scope: Vec::new(),
        }],
        None,
        now + 2,
    );
    s.check(
        unverified_because(&view, UnverifiedReason::CertificateForAnotherKey)
            && matches!(refused, Err(RespondError::UnverifiedNotAcknowledged)),
        "a genuine certificate in another key's request: UNVERIFIED, and refused without the \
         person's acknowledgement",
    )?;
    let relayed = swap_answer_key(&genuine)?;
    let view = respond::read_request(&holder, &relayed, now + 2).map_err(failed("reading"))?;
    say_identity(s, &view)?;
    s.check(
        unverified_because(&view, UnverifiedReason::BadSignature)
            && credentials::disclosures(&holder)?.len() == history.len(),
        "a relay that swaps in its own answer key breaks the signature: UNVERIFIED, nothing sent",
    )
}

/// A request from the demo's verifier, signed with its installed certificate.
fn signed_request(verifier: &mut WalletStore, now: i64, by_reference: bool) -> CliResult<Envelope> {
    let asked: RequestedCredential = requested(FORMAT);
    field_verifier::create_signed_request(
        verifier,
        CLAIMED_NAME,
        CLAIMED_PURPOSE,
        vec![asked],
        300,
        now,
        by_reference,
    )
    .map_err(failed("the signed request"))
}

/// What a forger with a copy of the genuine certificate makes: the same request, signed with
/// its own key.
fn forge(genuine: &Envelope, certificate: &[u8]) -> CliResult<Envelope> {
    let opened = signed_request::open_signed_request(&genuine.payload, &[])
        .map_err(failed("opening the request"))?;
    let forger = SigningKey::generate()?;
    signed_request::forge_request(&opened.request, &forger, certificate).map_err(failed("forging"))
}

/// A relay that shows the genuine code with its own answer key in place of the verifier's.
fn swap_answer_key(genuine: &Envelope) -> CliResult<Envelope> {
    let opened = signed_request::open_signed_request(&genuine.payload, &[])
        .map_err(failed("opening the request"))?;
    let relay_key = SigningKey::generate()?;
    let theirs = VerifierRequest {
        verifier_key: relay_key.public_key().clone(),
        ..opened.request.clone()
    };
    let (ours, swapped) = (opened.request.encode(), theirs.encode());
    let (ours, swapped) = (
        ours.map_err(failed("encoding"))?,
        swapped.map_err(failed("encoding"))?,
    );
    let at = genuine
        .payload
        .windows(ours.len())
        .position(|w| w == ours.as_slice())
        .ok_or_else(|| CliError::Failed("the request bytes are not in the code".into()))?;
    let mut payload = genuine.payload.clone();
    if swapped.len() != ours.len() {
        return Err(CliError::Failed("the swapped request changed size".into()));
    }
    payload[at..at + ours.len()].copy_from_slice(&swapped);
    Ok(Envelope {
        kind: MessageKind::SignedRequest,
        payload,
    })
}

fn unverified_because(view: &RequestView, wanted: UnverifiedReason) -> bool {
    matches!(&view.identity, VerifierIdentity::Unverified { reason, .. } if *reason == wanted)
}

fn say_identity(s: &mut Steps<'_>, view: &RequestView) -> CliResult {
    match &view.identity {
        VerifierIdentity::Verified(v) => s.say(&format!(
            "VERIFIED {} ({}), certified by {} for: {}",
            v.organisation,
            v.country,
            v.registrar,
            v.purposes.join("; ")
        )),
        VerifierIdentity::Unverified {
            reason,
            claimed_name,
            ..
        } => s.say(&format!(
            "UNVERIFIED ({}): calls itself \"{claimed_name}\" (not checked)",
            reason.code()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wallet_core::registration;

    #[test]
    fn the_relay_swap_keeps_the_code_size_so_only_the_signature_can_tell() {
        let key = SigningKey::generate().unwrap();
        let genuine = signed_request::sign_request(
            &VerifierRequest {
                nonce: [7; 16],
                verifier_key: key.public_key().clone(),
                verifier_name: CLAIMED_NAME.into(),
                purpose: CLAIMED_PURPOSE.into(),
                credentials: vec![requested(FORMAT)],
                created_at: 1,
                expires_at: 301,
                known_certificates: Vec::new(),
            },
            &key,
            &signed_request::Certification::Reference([1; registration::REFERENCE_LEN]),
        )
        .unwrap();
        let swapped = swap_answer_key(&genuine).unwrap();
        assert_eq!(swapped.payload.len(), genuine.payload.len());
        assert_ne!(swapped.payload, genuine.payload);
    }
}
