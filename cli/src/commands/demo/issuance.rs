//! The offline issuance part of `laissez demo` (issue 14, ADRs 0016-0018): the holder gets a
//! credential the way a registration desk in the field gives it, over QR codes with no
//! network, through image files as a screen and a camera would. The desk shows a signed offer;
//! the wallet reads it against the issuers it trusts (the coordinator's trust list) and shows
//! who offers; an offer from an issuer it does not know, even under the same name, is shown
//! as an unknown issuer. The person consents, the wallet shows a proof code, the desk signs
//! the person's portrait into a batch of one-time copies and shows it as animated frames,
//! encrypted to the wallet; the wallet scans the frames and imports every copy. The field
//! verifier's verdict shows the portrait; two more presentations each use a new copy, share
//! nothing that links them, and the last copy once used is not presented again.
//!
//! The portrait is the vendored sample face (`wallet-core/tests/data/portrait`, a NASA photo
//! in the public domain), embedded in the binary as its 240×300 source photo and made small
//! by the desk's own encoder, as `laissez issuer deliver --portrait` does.

use std::path::Path;

use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuance::desk::{self, DeliveryRequest, DeskLedger, OfferRequest};
use wallet_core::issuance::{self, IssuanceError, OfferTrust, OfferView, OfferedCredential};
use wallet_core::issuer::{
    IssuerIdentity, PortraitSpec, StatusAllocator, issue_batch, prepare_portrait,
};
use wallet_core::qr::MessageKind;
use wallet_core::store::{RecordId, WalletStore};
use wallet_core::verifier::field_verifier;
use wallet_core::verifier::status_cache;
use wallet_core::verifier::{ExpectedBinding, TrustedIssuer, Verdict};
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};
use wallet_core::wallet::{
    CredentialError, ImportOptions, PresentationBinding, credentials, holder_keys,
};

use super::credentials::verify_with;
use super::exchange::{say_verdict, status_token_at, verify_images};
use super::{DEMO_PIN, NEW_PIN, Steps};
use crate::exit::{CliError, CliResult};
use crate::verdict_output::{print_portrait_line, write_portrait};
use crate::{qr_files, unix_time, wallet_file};
use laissez_sample_identity as sample_identity;
use laissez_test_support::linkability;

/// The person's photo as the desk's camera took it: the vendored sample face, 240×300.
const PHOTO: &[u8] =
    include_bytes!("../../../../wallet-core/tests/data/portrait/astronaut-240x300.jpg");
/// The format the desk issues here (the portrait element of ISO 18013-5).
const FORMAT: CredentialFormat = CredentialFormat::Mdoc;
/// One-time copies in the batch: one for the field verifier, two for the unlinkability check.
const COPIES: u32 = 3;
/// The desk's own status list (the exchange part revoked an entry of the sample's list).
const DESK_STATUS_URI: &str = "https://status.iom.example/agadez/desk";
/// Entries in the desk's status list.
const DESK_STATUS_SIZE: u32 = 1_024;
/// Unrelated presentations of the same claims that show what every such credential shares
/// (`wallet-core/tests/batch_unlinkability.rs` explains the number).
const BASELINES: usize = 24;
/// What the two compared presentations disclose.
const DISCLOSED: [&str; 2] = ["given_name", "nationality"];
const VERIFIER_NAME: &str = "Agadez food distribution";
const PURPOSE: &str = "Check that the card belongs to the person";

fn issuance_failed(what: &'static str) -> impl FnOnce(IssuanceError) -> CliError {
    move |err| CliError::Failed(format!("{what}: {err}"))
}

/// How the wallet shows who makes an offer.
fn trust_line(view: &OfferView) -> String {
    match &view.trust {
        OfferTrust::Trusted { name } => format!("offer from {name} (trusted)"),
        OfferTrust::NotAllowedForType { name } => {
            format!("offer from NOT TRUSTED for this type: {name} may not issue it")
        }
        OfferTrust::Unknown => format!(
            "offer from UNKNOWN ISSUER (not in the trust list; calls itself \"{}\")",
            view.claimed_name
        ),
    }
}

/// Runs the issuance steps; `dir` is the demo folder, `db` the holder's wallet in it.
pub(super) fn walk(s: &mut Steps<'_>, dir: &Path, db: &Path, kdf: KdfParams) -> CliResult {
    let now = unix_time::now();
    let issuer = IssuerIdentity::load(&dir.join("issuer"))?;
    let mut holder = WalletStore::open(db, wallet_file::options(kdf))?;
    holder.unlock(NEW_PIN)?;
    let mut verifier =
        WalletStore::open(dir.join("laissez-verifier.db"), wallet_file::options(kdf))?;
    verifier.unlock(DEMO_PIN)?;
    // The coordinator's signed trust list, scanned in the exchange part: the wallet trusts
    // the issuers it names.
    let trusted = field_verifier::current_trust_list(&verifier, now)
        .map_err(|err| CliError::Failed(format!("the trust list: {err}")))?
        .issuers_at(now, None);
    let credential_type = sample_identity::credential_type(FORMAT);

    s.step("A registration desk shows an offer QR code; the wallet reads it against its trust")?;
    let mut ledger = DeskLedger::new();
    let offer_request = OfferRequest {
        credential: OfferedCredential {
            format: FORMAT,
            credential_type: credential_type.to_owned(),
        },
        batch_size: COPIES,
        valid_minutes: 10,
    };
    let offer = desk::make_offer(&issuer, &mut ledger, &offer_request, now)
        .map_err(issuance_failed("the offer"))?;
    let offer_png = dir.join("issuance-offer.png");
    let written = qr_files::write_message(&offer, Some(&offer_png), None)?;
    s.say(&format!(
        "desk   {} ({} characters, QR version {}): {COPIES} copies of {credential_type}",
        offer_png.display(),
        written.chars.iter().sum::<usize>(),
        written.versions.iter().max().copied().unwrap_or(0)
    ))?;
    let scanned = qr_files::read_one(&written.files, MessageKind::IssuanceOffer, "offer")?;
    let view = issuance::read_offer(&scanned, &trusted, now)
        .map_err(issuance_failed("reading the offer"))?;
    s.say(&format!("wallet {}", trust_line(&view)))?;
    s.check(
        written.files.len() == 1
            && matches!(&view.trust, OfferTrust::Trusted { name } if *name == issuer.name),
        "one code; the wallet names the issuer as its trust list does, as trusted",
    )?;

    s.step("An offer from an issuer the wallet does not trust, under the same name")?;
    let impostor = IssuerIdentity::generate(&issuer.name, now, 30)?;
    let forged = desk::make_offer(&impostor, &mut DeskLedger::new(), &offer_request, now)
        .map_err(issuance_failed("the other offer"))?;
    let forged_png = dir.join("issuance-offer-unknown.png");
    let written = qr_files::write_message(&forged, Some(&forged_png), None)?;
    let scanned = qr_files::read_one(&written.files, MessageKind::IssuanceOffer, "offer")?;
    let unknown = issuance::read_offer(&scanned, &trusted, now)
        .map_err(issuance_failed("reading the offer"))?;
    s.say(&format!("wallet {}", trust_line(&unknown)))?;
    s.check(
        matches!(unknown.trust, OfferTrust::Unknown)
            && !unknown.trust.is_trusted()
            && unknown.claimed_name == issuer.name,
        "shown as an unknown issuer, never as trusted, though it calls itself by the trusted name",
    )?;

    s.step("The person consents; the wallet shows its proof code; the desk reads it")?;
    let proof = issuance::accept_offer(&mut holder, &view, now)
        .map_err(issuance_failed("accepting the offer"))?;
    let proof_png = dir.join("issuance-proof.png");
    let written = qr_files::write_message(&proof, Some(&proof_png), None)?;
    s.say(&format!(
        "wallet {} ({} characters, QR version {}): {COPIES} new holder keys, each proved over \
         the offer's nonce, and a key for the answer",
        proof_png.display(),
        written.chars.iter().sum::<usize>(),
        written.versions.iter().max().copied().unwrap_or(0)
    ))?;
    s.check(
        written.files.len() == 1
            && issuance::pending_count(&holder).map_err(issuance_failed("pending"))? == 1,
        "one code; the acceptance waits in the wallet's encrypted store",
    )?;
    let proof = qr_files::read_one(&written.files, MessageKind::IssuanceProof, "proof")?;

    s.step("The desk signs the portrait into a batch of one-time copies, as animated frames")?;
    let portrait = prepare_portrait(PHOTO, &PortraitSpec::DEFAULT)?;
    s.say(&format!(
        "portrait: the {}-byte photo made a {}-byte JPEG by the desk's encoder",
        PHOTO.len(),
        portrait.len()
    ))?;
    let mut allocator = StatusAllocator::new(DESK_STATUS_URI, DESK_STATUS_SIZE)?;
    let claims = sample_identity::claims();
    let batch = desk::deliver(
        &issuer,
        &mut ledger,
        &proof,
        &mut DeliveryRequest {
            claims: &claims,
            valid_days: sample_identity::VALID_DAYS,
            status: Some((&mut allocator, "amina-1")),
            portrait: Some(portrait.clone()),
        },
        now,
    )
    .map_err(issuance_failed("issuing"))?;
    let frames_dir = dir.join("issuance-batch");
    let written = qr_files::write_message(&batch, None, Some(&frames_dir))?;
    s.say(&format!(
        "desk   {} frames in {} ({} characters, versions up to {}); status indexes {:?} \
         drawn at random in {DESK_STATUS_URI}",
        written.files.len(),
        frames_dir.display(),
        written.chars.iter().sum::<usize>(),
        written.versions.iter().max().copied().unwrap_or(0),
        allocator.indexes_of("amina-1").unwrap_or_default()
    ))?;
    s.check(
        written.files.len() > 1,
        "the batch is shown as animated frames",
    )?;
    s.check(
        !contains(&batch.payload, b"Amina")
            && !contains(&batch.payload, b"Yusuf")
            && !contains(&batch.payload, &portrait[..portrait.len().min(64)]),
        "encrypted to the wallet: a photo of the desk's screen shows no name and no portrait",
    )?;
    let replayed = desk::deliver(
        &issuer,
        &mut ledger,
        &proof,
        &mut DeliveryRequest {
            claims: &claims,
            valid_days: sample_identity::VALID_DAYS,
            status: None,
            portrait: None,
        },
        now,
    );
    s.check(
        matches!(replayed, Err(IssuanceError::OfferAlreadyUsed)),
        "the desk answers one proof per offer: the same proof again is refused",
    )?;

    s.step("The wallet scans the frames with its camera and imports every copy")?;
    let scanned = qr_files::read_one(&written.files, MessageKind::IssuedBatch, "batch")?;
    let before = credentials::list(&holder)?.len();
    let summary =
        issuance::receive(&mut holder, &scanned, now).map_err(issuance_failed("receiving"))?;
    s.say(&format!(
        "wallet {}  {} from {}: {} copies, {} left",
        summary.id,
        summary.credential_type,
        crate::commands::credentials::issuer_text(&summary),
        summary.copies_total,
        summary.copies_left
    ))?;
    s.check(
        summary.copies_total == COPIES
            && summary.copies_left == COPIES
            && credentials::list(&holder)?.len() == before + 1,
        &format!("all {COPIES} copies imported, as one credential"),
    )?;
    s.check(
        issuance::pending_count(&holder).map_err(issuance_failed("pending"))? == 0
            && matches!(
                issuance::receive(&mut holder, &scanned, now),
                Err(IssuanceError::NoPendingOffer)
            )
            && credentials::list(&holder)?.len() == before + 1,
        "the acceptance is used up: the same frames again are refused, the wallet unchanged",
    )?;

    s.step("The field verifier asks for the name and the portrait; its verdict shows the face")?;
    let status = status_token_at(
        &issuer,
        DESK_STATUS_URI,
        u64::from(DESK_STATUS_SIZE),
        &[],
        now,
    )?;
    status_cache::import(&mut verifier, status.as_bytes(), &trusted, now)
        .map_err(|err| CliError::Failed(format!("caching the status list: {err}")))?;
    let verdict = present_to_field_verifier(s, dir, &mut holder, &mut verifier, summary.id, now)?;
    let file = write_portrait(&verdict, Some(dir), now, 1)?;
    let mut line = Vec::new();
    if let (Some(shown), Some(file)) = (&verdict.portrait, &file) {
        print_portrait_line(&mut line, shown, file)?;
    }
    s.say(String::from_utf8_lossy(&line).trim_end())?;
    s.check(
        verdict.valid
            && verdict
                .issuer
                .as_ref()
                .and_then(|i| i.name.as_deref())
                .is_some_and(|name| name == issuer.name),
        "VALID, from the issuer the trust list names, not revoked",
    )?;
    s.check(
        verdict
            .portrait
            .as_ref()
            .is_some_and(|p| p.jpeg == portrait && p.width > 0 && p.height > 0)
            && file.is_some_and(|f| std::fs::read(f).is_ok_and(|bytes| bytes == portrait)),
        "the portrait the desk signed, byte for byte, written to the file above",
    )?;
    s.check(
        copies_left(&holder, summary.id)? == COPIES - 1,
        &format!("one copy used: {} left", COPIES - 1),
    )?;

    s.step("Two more presentations, each from a new copy: nothing links them")?;
    unlinkable(
        s,
        dir,
        kdf,
        &issuer,
        &mut holder,
        db,
        summary.id,
        &trusted,
        now,
    )?;
    Ok(())
}

/// The field verifier's request for the name and the portrait, answered with the holder's
/// consent and read back from the response images.
fn present_to_field_verifier(
    s: &mut Steps<'_>,
    dir: &Path,
    holder: &mut WalletStore,
    verifier: &mut WalletStore,
    id: RecordId,
    now: i64,
) -> CliResult<Verdict> {
    let claim = |path: &str| RequestedClaim {
        path: path.into(),
        required: true,
    };
    let request = field_verifier::create_request(
        verifier,
        VERIFIER_NAME,
        PURPOSE,
        vec![RequestedCredential {
            credential_type: sample_identity::credential_type(FORMAT).into(),
            claims: vec![
                claim("given_name"),
                claim("family_name"),
                // Named with its namespace, as consent screens recognise a portrait.
                claim(&format!(
                    "{}/portrait",
                    sample_identity::credential_type(FORMAT)
                )),
            ],
        }],
        300,
        now,
    )
    .map_err(|err| CliError::Failed(format!("the request: {err}")))?;
    let request_png = dir.join("request-portrait.png");
    let written = qr_files::write_message(&request, Some(&request_png), None)?;
    let scanned = qr_files::read_one(&written.files, MessageKind::VerifierRequest, "request")?;
    let view = respond::read_request(holder, &scanned, now)
        .map_err(|err| CliError::Failed(format!("reading the request: {err}")))?;
    let candidate = view
        .matches
        .first()
        .and_then(|m| m.candidates.iter().find(|c| c.credential.id == id))
        .ok_or_else(|| CliError::Failed("the new credential does not answer".into()))?;
    let consent = Consent {
        credential_id: id,
        claims: candidate
            .claims
            .iter()
            .filter(|(_, has)| *has)
            .map(|(c, _)| c.path.clone())
            .collect(),
        allowed_beyond_scope: Vec::new(),
    };
    s.say(&format!(
        "wallet {} asks for {}; the holder consents",
        view.request.verifier_name,
        consent.claims.join(", ")
    ))?;
    let photo_shared = candidate
        .claims
        .iter()
        .any(|(c, has)| *has && c.is_portrait() && consent.claims.contains(&c.path));
    if photo_shared {
        s.say("wallet (your photo will be shared with this verifier)")?;
    }
    s.check(
        photo_shared,
        "the consent screen says the portrait will be shared",
    )?;
    let response = respond::respond(
        holder,
        &view,
        &[consent],
        // The demo's requests are unsigned: the holder saw the UNVERIFIED warning.
        Some(UnverifiedAcknowledgement::of(&view)),
        now,
    )
    .map_err(|err| CliError::Failed(format!("answering: {err}")))?;
    let response_png = dir.join("response-portrait.png");
    let written = qr_files::write_message(
        &response,
        Some(&response_png),
        Some(&dir.join("response-portrait")),
    )?;
    s.say(&format!(
        "wallet response: {} QR code{} ({} characters)",
        written.files.len(),
        if written.files.len() == 1 { "" } else { "s" },
        written.chars.iter().sum::<usize>()
    ))?;
    let verdict = verify_images(verifier, &written.files, now)?;
    say_verdict(s, &verdict)?;
    Ok(verdict)
}

fn copies_left(store: &WalletStore, id: RecordId) -> CliResult<u32> {
    credentials::list(store)?
        .into_iter()
        .find(|c| c.id == id)
        .map(|c| c.copies_left)
        .ok_or_else(|| CliError::Failed("the credential is gone".into()))
}

fn disclosed() -> Vec<String> {
    DISCLOSED.iter().map(|c| (*c).to_owned()).collect()
}

/// A presentation of [`DISCLOSED`] to verifier `n` (its own nonce and audience), at `at`.
fn present(
    store: &mut WalletStore,
    id: RecordId,
    n: usize,
    at: i64,
) -> CliResult<(Vec<u8>, ExpectedBinding)> {
    let nonce = hex::encode(wallet_core::crypto::random::bytes::<16>()?);
    let audience = format!("https://verifier-{n}.example");
    let binding = PresentationBinding::NonceAudience {
        nonce: nonce.clone(),
        audience: audience.clone(),
    };
    let shown = credentials::present(store, id, &disclosed(), &binding, at, None)?;
    Ok((
        shown.bytes,
        ExpectedBinding::NonceAudience { nonce, audience },
    ))
}

/// Two presentations of the credential `id` to two verifiers, compared (in the mdoc's CBOR as
/// it is) against unrelated presentations of the same claims issued separately to another
/// wallet; then the wallet, out of copies, refuses to present again.
#[allow(clippy::too_many_arguments)]
fn unlinkable(
    s: &mut Steps<'_>,
    dir: &Path,
    kdf: KdfParams,
    issuer: &IssuerIdentity,
    holder: &mut WalletStore,
    holder_db: &Path,
    id: RecordId,
    trusted: &[TrustedIssuer],
    now: i64,
) -> CliResult {
    let (first, first_binding) = present(holder, id, 2, now + 1)?;
    let after_first = copies_left(holder, id)?;
    let (second, second_binding) = present(holder, id, 3, now + 2)?;
    let after_second = copies_left(holder, id)?;
    s.say(&format!(
        "verifier-2 and verifier-3 each get {} ({} and {} bytes); copies left {after_first}, \
         then {after_second}",
        DISCLOSED.join(", "),
        first.len(),
        second.len()
    ))?;
    let both_valid = verify_with(&first, &first_binding, trusted, now + 3).valid
        && verify_with(&second, &second_binding, trusted, now + 3).valid;
    s.check(
        both_valid && after_first == COPIES - 2 && after_second == COPIES - 3,
        "both VALID, and each used a new copy: copies left went down by one each time",
    )?;

    // The baseline: the same claims and portrait, issued separately from an hour later on to
    // another wallet, each presented to a verifier of its own.
    let (mut other, _phrase) = WalletStore::create(
        dir.join("laissez-baseline.db"),
        DEMO_PIN,
        wallet_file::options(kdf),
    )?;
    let mut allocator = StatusAllocator::new(DESK_STATUS_URI, DESK_STATUS_SIZE)?;
    let mut baseline = Vec::with_capacity(BASELINES);
    for n in 0..BASELINES {
        let at = now + 3_600 + 60 * n as i64;
        let key = holder_keys::create_derived(&mut other)?.public_key;
        let mut order = sample_identity::order(FORMAT, &key, at, false);
        order.portrait = Some(prepare_portrait(PHOTO, &PortraitSpec::DEFAULT)?);
        let copies = issue_batch(
            issuer,
            &order,
            std::slice::from_ref(&key),
            Some((&mut allocator, format!("baseline-{n}").as_str())),
        )?;
        let options = ImportOptions {
            issuer_keys: Vec::new(),
            now: at + 10,
            type_metadata: None,
        };
        let other_id = credentials::import_batch(&mut other, &copies, &options)?.id;
        baseline.push(present(&mut other, other_id, 100 + n, at + 30)?.0);
    }
    drop(other);
    let mut allowed: Vec<Vec<u8>> = issuer.chain();
    allowed.push(issuer.trust_anchor().to_vec());
    let claims = sample_identity::claims();
    allowed.extend(
        DISCLOSED
            .iter()
            .filter_map(|c| claims.get(*c).and_then(|v| v.as_str()))
            .map(|v| v.as_bytes().to_vec()),
    );
    let found = linkability::links(
        std::slice::from_ref(&first),
        std::slice::from_ref(&second),
        &baseline,
        &allowed,
    );
    s.say(&format!(
        "compared with {BASELINES} presentations issued separately to another wallet: {} \
         shared {}-byte strings beyond disclosed values and certificates",
        found.len(),
        linkability::WINDOW
    ))?;
    for link in found.iter().take(3) {
        s.say(&format!("  shared: {link}"))?;
    }
    s.check(
        found.is_empty(),
        "the two presentations share no 16-byte string that links them",
    )?;
    let itself = linkability::links(
        std::slice::from_ref(&first),
        std::slice::from_ref(&first),
        &baseline,
        &allowed,
    );
    s.check(
        !itself.is_empty(),
        "the check bites: one presentation compared with itself is linked",
    )?;
    let refused = present(holder, id, 4, now + 4);
    s.check(
        matches!(
            refused,
            Err(CliError::Credential(CredentialError::NoCopiesLeft))
        ),
        "with every copy used, the wallet does not present one again (reuse is off by default)",
    )?;
    holder.lock();
    let mut markers: Vec<&str> = super::MUST_NOT_LEAK.to_vec();
    markers.extend(sample_identity::WITHHELD_VALUES);
    s.check(
        super::nothing_leaks(holder_db, &markers)?,
        "no claim value, name or issuer appears in the wallet file or its WAL",
    )?;
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
