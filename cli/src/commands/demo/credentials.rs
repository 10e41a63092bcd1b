//! The credentials part of `laissez demo`, in the wallet the store part left behind: a fresh
//! issuer issues the six-claim identity credential as an SD-JWT VC and as an mdoc to the
//! wallet's holder key; the wallet imports both, presents three claims of each to a
//! verifier's nonce and audience; the verifier, trusting only the issuer's certificate,
//! accepts them and refuses a wrong nonce, a tampered byte and an unknown issuer.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::identity::ROOT_CERT_FILE;
use wallet_core::issuer::{IssuerIdentity, issue_credential};
use wallet_core::store::WalletStore;
use wallet_core::verifier::{
    ExpectedBinding, Reason, TrustedIssuer, Verdict, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::holder_keys;
use wallet_core::wallet::{CredentialError, ImportOptions, PresentationBinding, credentials};
use wallet_core::x509::Certificate;

use super::{NEW_PIN, Steps};
use crate::exit::{CliError, CliResult};
use crate::verdict_output::print_claims;
use crate::{unix_time, wallet_file};
use laissez_sample_identity::{self as sample_identity, PRESENTED, WITHHELD_VALUES};

const ISSUER_NAME: &str = "IOM Agadez field office";
const NONCE: &str = "n-7f3a9c21";
const AUDIENCE: &str = "https://verifier.example/agadez-desk";
const FORMATS: [CredentialFormat; 2] = [CredentialFormat::SdJwt, CredentialFormat::Mdoc];

fn expected() -> ExpectedBinding {
    ExpectedBinding::NonceAudience {
        nonce: NONCE.into(),
        audience: AUDIENCE.into(),
    }
}

/// The issued credential, what the wallet made of it, and what it presented.
struct Held {
    format: CredentialFormat,
    issued: Vec<u8>,
    id: Option<wallet_core::store::RecordId>,
    presentation: Vec<u8>,
}

/// Runs the credential steps; `dir` is the demo folder, `db` the wallet in it.
pub(super) fn walk(s: &mut Steps<'_>, dir: &Path, db: &Path, kdf: KdfParams) -> CliResult {
    let now = unix_time::now();
    let mut store = WalletStore::open(db, wallet_file::options(kdf))?;
    store.unlock(NEW_PIN)?;

    s.step(
        "Set up an issuer: an issuing authority (IACA, the root) and a P-256 document signer \
         certified by it (ISO 18013-5 Annex B)",
    )?;
    let issuer_dir = dir.join("issuer");
    IssuerIdentity::generate(ISSUER_NAME, now, 3650)?.save(&issuer_dir)?;
    let issuer = IssuerIdentity::load(&issuer_dir)?;
    s.say(&format!(
        "{} in {}, signer key {}, iss {}",
        issuer.name,
        issuer_dir.display(),
        issuer.key.public_key().fingerprint(),
        issuer.identifier
    ))?;
    let root = std::fs::read(issuer_dir.join(ROOT_CERT_FILE)).map_err(|err| {
        CliError::Failed(format!("cannot read the root certificate: {}", err.kind()))
    })?;
    let mut anchor = TrustedIssuer::from_bytes(&root)
        .map_err(|err| CliError::Failed(format!("the root certificate: {err}")))?;
    let signer_cert = Certificate::from_der(&issuer.certificate)
        .map_err(|err| CliError::Failed(format!("the signer certificate: {err}")))?;
    s.check(
        anchor
            .certificate
            .as_ref()
            .is_some_and(|root| signer_cert.is_signed_by(root) && root.is_ca())
            && anchor.key != issuer.key.public_key(),
        "the root a verifier will trust certifies the signer, whose own key stays separate",
    )?;
    anchor.name = Some(ISSUER_NAME.to_owned());
    let trusted = [anchor];

    s.step("Issue the identity credential as an SD-JWT VC and as an mdoc to the holder key")?;
    let holder = holder_keys::default_key(&mut store)?;
    s.say(&format!(
        "holder key slot {} {}",
        holder.slot,
        holder.public_key.fingerprint()
    ))?;
    let mut held = Vec::new();
    for format in FORMATS {
        let mut order = sample_identity::order(format, &holder.public_key, now, false);
        // Entered in the issuer's status list: the exchange part revokes one.
        order.status = Some(sample_identity::status(format));
        let issued = issue_credential(&issuer, &order)?;
        s.say(&format!(
            "{:<6} {}: {} bytes, 6 claims, labels in en/fr/ar",
            format.as_str(),
            order.credential_type,
            issued.len()
        ))?;
        held.push(Held {
            format,
            issued,
            id: None,
            presentation: Vec::new(),
        });
    }
    let stranger = SigningKey::generate()?;
    let elsewhere = issue_credential(
        &issuer,
        &sample_identity::order(CredentialFormat::SdJwt, stranger.public_key(), now, false),
    )?;
    let options = ImportOptions {
        issuer_keys: Vec::new(),
        now,
        type_metadata: None,
    };
    s.check(
        matches!(
            credentials::import(&mut store, &elsewhere, &options),
            Err(CredentialError::NotBoundToThisWallet)
        ),
        "a credential issued to another wallet's key is refused at import",
    )?;

    s.step("Import both (issuer signature checked against the certificate they carry)")?;
    for h in &mut held {
        let summary = credentials::import(&mut store, &h.issued, &options)?;
        s.say(&format!(
            "{}  {:<6} from {}",
            summary.id,
            h.format.as_str(),
            crate::commands::credentials::issuer_text(&summary)
        ))?;
        h.id = Some(summary.id);
    }
    s.check(
        credentials::list(&store)?.len() == 2,
        "the wallet lists two credentials",
    )?;
    s.check(
        matches!(
            credentials::import(&mut store, &held[0].issued, &options),
            Err(CredentialError::AlreadyImported)
        ),
        "importing the same credential again is refused",
    )?;
    show_labels(s, &store, &held)?;

    s.step("Present 3 of the 6 claims of each, bound to the verifier's nonce and audience")?;
    let binding = PresentationBinding::NonceAudience {
        nonce: NONCE.into(),
        audience: AUDIENCE.into(),
    };
    let wanted = sample_identity::presented();
    for h in &mut held {
        let id =
            h.id.ok_or_else(|| CliError::Failed("not imported".into()))?;
        h.presentation = credentials::present(&mut store, id, &wanted, &binding, now, None)?.bytes;
        s.say(&format!(
            "{:<6} {} bytes: {}",
            h.format.as_str(),
            h.presentation.len(),
            PRESENTED.join(", ")
        ))?;
        s.check(
            withheld_absent(h),
            &format!(
                "{}: the 3 withheld values are not in what travels",
                h.format.as_str()
            ),
        )?;
    }
    let history = credentials::disclosures(&store)?;
    s.check(
        history.len() == 2
            && history
                .iter()
                .all(|e| e.audience.as_deref() == Some(AUDIENCE) && e.claims == wanted),
        "the disclosure history records both: which claims, to whom",
    )?;

    s.step("Verify, trusting only the issuer's certificate")?;
    for h in &held {
        let verdict = verify(&h.presentation, &trusted, now, "en");
        say_verdict(s, h.format, &verdict)?;
        s.check(
            verdict.valid
                && verdict.claims.len() == PRESENTED.len()
                && verdict.credential_type.as_deref()
                    == Some(sample_identity::credential_type(h.format))
                && verdict.claims.iter().any(|c| c.value == "Amina"),
            &format!(
                "{}: VALID, exactly the 3 claims, type and values intact",
                h.format.as_str()
            ),
        )?;
        let in_fr = verify(&h.presentation, &trusted, now, "fr");
        let in_ar = verify(&h.presentation, &trusted, now, "ar");
        s.check(
            has_label(&in_fr, "Prénom") && has_label(&in_ar, "الاسم الأول"),
            &format!("{}: labels in French and Arabic too", h.format.as_str()),
        )?;
    }

    s.step("Refuse a wrong nonce, tampered bytes and an unknown issuer")?;
    let stranger_issuer = IssuerIdentity::generate("Somebody else", now, 30)?;
    let untrusted = [TrustedIssuer::from_bytes(&stranger_issuer.certificate)
        .map_err(|err| CliError::Failed(format!("a certificate: {err}")))?];
    for h in &held {
        let name = h.format.as_str();
        let wrong = ExpectedBinding::NonceAudience {
            nonce: "n-00000000".into(),
            audience: AUDIENCE.into(),
        };
        let verdict = verify_with(&h.presentation, &wrong, &trusted, now);
        refused(s, name, "another nonce", &verdict)?;
        let verdict = verify(&tamper(h), &trusted, now, "en");
        refused(s, name, "given name changed by one letter", &verdict)?;
        let mut flipped = h.presentation.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x01;
        let verdict = verify(&flipped, &trusted, now, "en");
        refused(s, name, "middle byte flipped", &verdict)?;
        let verdict = verify(&h.presentation, &untrusted, now, "en");
        s.say(&format!(
            "{name:<6} another issuer's certificate: {}",
            codes(&verdict)
        ))?;
        s.check(
            verdict.reasons == [Reason::UnknownIssuer],
            &format!("{name}: refused as unknown_issuer when its issuer is not trusted"),
        )?;
    }
    store.lock();
    drop(store);
    let mut markers: Vec<&str> = super::MUST_NOT_LEAK.to_vec();
    markers.extend(WITHHELD_VALUES);
    s.check(
        super::nothing_leaks(db, &markers)?,
        "no claim value, name or issuer appears in the wallet file or its WAL",
    )?;
    Ok(())
}

fn show_labels(s: &mut Steps<'_>, store: &WalletStore, held: &[Held]) -> CliResult {
    let Some(id) = held.first().and_then(|h| h.id) else {
        return Ok(());
    };
    let details = ["en", "fr", "ar"]
        .map(|lang| credentials::show(store, id, lang))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    s.say("claims as the wallet shows them (* can be withheld), labels en | fr | ar:")?;
    for (i, claim) in details[0].claims.iter().enumerate() {
        let label = |d: usize| {
            details[d].claims[i]
                .label
                .clone()
                .unwrap_or_else(|| "-".into())
        };
        s.say(&format!(
            "  {} {:<16} {} | {} | {}",
            if claim.selectable { '*' } else { ' ' },
            claim.path,
            label(0),
            label(1),
            label(2)
        ))?;
    }
    let all_selectable =
        details[0].claims.len() == 6 && details[0].claims.iter().all(|c| c.selectable);
    s.check(all_selectable, "all 6 claims can be withheld")?;
    Ok(())
}

/// Whether no withheld value is in the presentation: the mdoc's CBOR as it is, the
/// SD-JWT's disclosures decoded (exactly 3 must travel).
fn withheld_absent(h: &Held) -> bool {
    let contains =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    match h.format {
        CredentialFormat::Mdoc => WITHHELD_VALUES
            .iter()
            .all(|v| !contains(&h.presentation, v)),
        CredentialFormat::SdJwt => {
            let text = String::from_utf8_lossy(&h.presentation);
            let parts: Vec<&str> = text.split('~').collect();
            // issuer JWT ~ disclosure ~ ... ~ KB-JWT
            let disclosures = &parts[1..parts.len().saturating_sub(1)];
            disclosures.len() == PRESENTED.len()
                && disclosures.iter().all(|d| {
                    URL_SAFE_NO_PAD
                        .decode(d)
                        .is_ok_and(|json| WITHHELD_VALUES.iter().all(|v| !contains(&json, v)))
                })
        }
    }
}

/// The presentation with one letter of the disclosed given name changed ("Amina" to
/// "Amino"): in the mdoc's CBOR as it is; in the SD-JWT inside its disclosure, re-encoded,
/// so the result is still well-formed and only the issuer's digest can tell.
fn tamper(h: &Held) -> Vec<u8> {
    let mut bytes = h.presentation.clone();
    match h.format {
        CredentialFormat::Mdoc => {
            if let Some(at) = bytes.windows(5).position(|w| w == b"Amina") {
                bytes[at + 4] = b'o';
            }
            bytes
        }
        CredentialFormat::SdJwt => {
            let text = String::from_utf8_lossy(&bytes);
            text.split('~')
                .map(|part| match URL_SAFE_NO_PAD.decode(part) {
                    Ok(json) if contains(&json, "\"Amina\"") => URL_SAFE_NO_PAD
                        .encode(String::from_utf8_lossy(&json).replace("Amina", "Amino")),
                    _ => part.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("~")
                .into_bytes()
        }
    }
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Verifies a presentation as a field verifier would (English labels, no status lists).
pub(super) fn verify_with(
    presentation: &[u8],
    binding: &ExpectedBinding,
    trusted: &[TrustedIssuer],
    now: i64,
) -> Verdict {
    verify_presentation(&VerificationRequest {
        presentation,
        binding,
        trusted,
        now,
        lang: "en",
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    })
}

fn verify(presentation: &[u8], trusted: &[TrustedIssuer], now: i64, lang: &str) -> Verdict {
    verify_presentation(&VerificationRequest {
        presentation,
        binding: &expected(),
        trusted,
        now,
        lang,
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    })
}

fn has_label(verdict: &Verdict, label: &str) -> bool {
    verdict
        .claims
        .iter()
        .any(|c| c.label.as_deref() == Some(label))
}

fn codes(verdict: &Verdict) -> String {
    if verdict.valid {
        return "VALID".into();
    }
    let codes: Vec<&str> = verdict.reasons.iter().map(Reason::code).collect();
    format!("INVALID ({})", codes.join(", "))
}

fn say_verdict(s: &mut Steps<'_>, format: CredentialFormat, verdict: &Verdict) -> CliResult {
    s.say(&format!(
        "{:<6} {}  {}  issuer {}",
        format.as_str(),
        codes(verdict),
        verdict.credential_type.as_deref().unwrap_or("?"),
        verdict
            .issuer
            .as_ref()
            .and_then(|i| i.name.as_deref())
            .unwrap_or("?")
    ))?;
    let mut lines = Vec::new();
    print_claims(&mut lines, &verdict.claims)?;
    for line in String::from_utf8_lossy(&lines).lines() {
        s.say(&format!("      {}", line.trim_start()))?;
    }
    Ok(())
}

fn refused(s: &mut Steps<'_>, format: &str, what: &str, verdict: &Verdict) -> CliResult {
    s.say(&format!("{format:<6} {what}: {}", codes(verdict)))?;
    s.check(
        !verdict.valid && !verdict.reasons.is_empty(),
        &format!("{format}: {what} is refused"),
    )
}
