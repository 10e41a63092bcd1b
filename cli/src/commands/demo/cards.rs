//! The identity-card part of `laissez demo` (issue 16, ADR 0022): a MOSIP Claim 169 code as
//! a national ID card prints it, photographed into the holder's wallet and kept beside the
//! credentials; its issuer unverified until the holder's trust list names it; shown whole to
//! the field verifier, whose verdict is valid with "possession not proven"; and a card signed
//! by a key the verifier does not trust, refused with no claims shown.

use std::path::Path;

use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{BiometricField, CwtClaims, Identity};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{PortraitSpec, prepare_portrait};
use wallet_core::qr::render::{ErrorCorrection, PngOptions, render};
use wallet_core::store::WalletStore;
use wallet_core::verifier::claim169_verdict::CLAIM169_CREDENTIAL_TYPE;
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::{Reason, trust_store};
use wallet_core::wallet::claim169_cards::{self, CardIssuer};

use super::{DEMO_PIN, NEW_PIN, Steps};
use crate::commands::cards::card_code_in;
use crate::exit::{CliError, CliResult};
use crate::{input_files, unix_time, wallet_file};

const REGISTRY: &str = "Civil Registry of Kenya (demo)";
/// The vendored sample face (a NASA photo, public domain), made small as a card prints it.
const PHOTO: &[u8] =
    include_bytes!("../../../../wallet-core/tests/data/portrait/astronaut-240x300.jpg");

fn failed<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> CliError + '_ {
    move |err| CliError::Failed(format!("{what}: {err}"))
}

/// A card as the registry prints it: signed, with the face, valid for five years.
fn card(registry: &IssuerSigningKey, now: i64) -> CliResult<String> {
    let face = prepare_portrait(PHOTO, &PortraitSpec::DEFAULT)?;
    let identity = Identity {
        id: Some("3918592438".into()),
        full_name: Some("Amina Yusuf Abdi".into()),
        secondary_full_name: Some("أمينة يوسف عبدي".into()),
        secondary_language: Some("ara".into()),
        country_of_issuance: Some("KEN".into()),
        biometrics: vec![BiometricField::face_jpeg(face)],
        ..Identity::default()
    };
    let cwt = CwtClaims {
        issuer: Some("https://registry.example.ke".into()),
        issued_at: Some(now - 86_400),
        expires_at: Some(now + 5 * 365 * 86_400),
        ..CwtClaims::default()
    };
    let protection = Protection {
        signer: Some(registry as &dyn IssuerSigner),
        ..Protection::default()
    };
    issue::encode(&cwt, &identity, &protection).map_err(failed("printing the card"))
}

fn write_png(path: &Path, text: &str) -> CliResult {
    let png = render(text, ErrorCorrection::M)
        .and_then(|matrix| matrix.to_png(&PngOptions::default()))
        .map_err(failed("drawing the card's code"))?;
    input_files::write_output(path, &png, "QR image")
}

/// A trust list naming `registry` for Claim 169 cards of Kenya (both spellings).
fn registry_list(registry: &IssuerSigningKey, now: i64) -> CliResult<TrustList> {
    let mut list = TrustList::new(1, now, 30);
    let entry = list
        .add_issuer_key(
            REGISTRY,
            registry.issuer_key(),
            now - 60,
            now + 365 * 86_400,
        )
        .map_err(failed("the trust list"))?;
    entry.credential_types = vec![CLAIM169_CREDENTIAL_TYPE.into()];
    entry.countries = vec!["KE".into(), "KEN".into()];
    Ok(list)
}

/// Runs the identity-card step; `dir` is the demo folder, `db` the holder's wallet in it.
pub(super) fn walk(s: &mut Steps<'_>, dir: &Path, db: &Path, kdf: KdfParams) -> CliResult {
    let now = unix_time::now();
    let mut holder = WalletStore::open(db, wallet_file::options(kdf))?;
    holder.unlock(NEW_PIN)?;

    s.step("An ID card the person already carries: kept, shown whole, verified by the photo")?;
    let registry =
        IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).map_err(failed("registry key"))?;
    let printed = card(&registry, now)?;
    let photo = dir.join("id-card.png");
    write_png(&photo, &printed)?;
    let scanned = card_code_in(&photo)?
        .ok_or_else(|| CliError::Failed("no card code found in the photo".into()))?;
    let kept = claim169_cards::import(&mut holder, &scanned, now).map_err(failed("keeping"))?;
    s.say(&format!(
        "{} ({} characters: Base45, zlib, COSE_Sign1 EdDSA, a face) kept encrypted: {}, {}",
        photo.display(),
        printed.len(),
        kept.full_name.as_deref().unwrap_or(""),
        kept.country.as_deref().unwrap_or("")
    ))?;
    s.check(
        matches!(&kept.issuer, CardIssuer::Unverified { claimed: Some(c) } if c.contains("registry.example.ke")),
        "the holder's trust list does not name the registry: UNVERIFIED issuer, its name only the card's claim",
    )?;

    let shown = claim169_cards::show_code(&mut holder, kept.id, now).map_err(failed("showing"))?;
    write_png(&dir.join("id-card-shown.png"), &shown)?;
    s.say("the holder shows the card's own code: every field, no choice of what to share")?;

    // A field worker whose coordinator's list names the registry for Kenya (both spellings).
    let verifier_db = dir.join("laissez-card-verifier.db");
    let (mut verifier, _phrase) =
        WalletStore::create(&verifier_db, DEMO_PIN, wallet_file::options(kdf))?;
    let signer = SigningKey::generate()?;
    let list = registry_list(&registry, now)?
        .sign(&signer)
        .map_err(failed("signing the list"))?;
    trust_store::install(&mut verifier, &list, Some(signer.public_key()), now)
        .map_err(failed("installing the list"))?;
    let options = VerifyOptions::new(now, "en");
    let verdict = field_verifier::verify_claim169(&mut verifier, &shown, &options)
        .map_err(failed("verifying"))?;
    s.say(&format!(
        "verdict: {} from {}, {} claims, photo {}",
        if verdict.valid { "VALID" } else { "INVALID" },
        verdict
            .issuer
            .as_ref()
            .and_then(|i| i.name.as_deref())
            .unwrap_or("?"),
        verdict.claims.len(),
        if verdict.portrait.is_some() {
            "shown"
        } else {
            "missing"
        }
    ))?;
    s.check(
        verdict.valid
            && verdict.possession_not_proven
            && verdict.portrait.is_some()
            && verdict.issuer.as_ref().and_then(|i| i.name.as_deref()) == Some(REGISTRY),
        "VALID from the registry the list names, POSSESSION NOT PROVEN: compare the photo",
    )?;
    let stranger =
        IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).map_err(failed("stranger key"))?;
    let forged = card(&stranger, now)?;
    let refused = field_verifier::verify_claim169(&mut verifier, &forged, &options)
        .map_err(failed("verifying"))?;
    s.check(
        !refused.valid && refused.reasons == [Reason::UnknownIssuer] && refused.claims.is_empty(),
        "the same card signed by a key no list names: UNKNOWN ISSUER, no claim shown",
    )
}
