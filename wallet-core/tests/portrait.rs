//! The signed portrait end to end, in both formats: the issuer prepares the vendored
//! public-domain face (tests/data/portrait) and signs it in; the holder's request view marks the
//! portrait claim; the verifier's verdict carries the exact signed JPEG bytes with their pixel
//! size, labelled from the built-in type metadata. A withheld portrait stays out of the
//! verdict; a signed value that is not a JPEG is a typed problem, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::{SigningKey, VerifyingKey};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::{
    CredentialOrder, IssuerError, IssuerIdentity, PortraitSpec, issue_credential, prepare_portrait,
};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::{PortraitProblem, Verdict, trust_store};
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

const NOW: i64 = 1_790_000_000;
const FACE: &[u8] = include_bytes!("data/portrait/astronaut-240x300.jpg");
const FACE_PNG: &[u8] = include_bytes!("data/portrait/astronaut-60x75.png");
const DEFAULT_PORTRAIT: &[u8] = include_bytes!("data/portrait/astronaut-80x100-q30-grey.jpg");

struct World {
    _dir: tempfile::TempDir,
    holder: WalletStore,
    verifier: WalletStore,
    issuer: IssuerIdentity,
    key: VerifyingKey,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let options = || StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut holder, _) = WalletStore::create(dir.path().join("h.db"), "2468", options()).unwrap();
    let (mut verifier, _) =
        WalletStore::create(dir.path().join("v.db"), "2468", options()).unwrap();
    let key = holder_keys::default_key(&mut holder).unwrap().public_key;
    let issuer = IssuerIdentity::generate("IOM Agadez", NOW - 60, 3650).unwrap();
    let signer = SigningKey::generate().unwrap();
    let mut list = TrustList::new(1, NOW - 60, 30);
    list.add_issuer_certificate(&issuer.name, &issuer.certificate, NOW - 60, NOW + 86_400)
        .unwrap();
    let signed = list.sign(&signer).unwrap();
    trust_store::install(&mut verifier, &signed, Some(signer.public_key()), NOW).unwrap();
    World {
        _dir: dir,
        holder,
        verifier,
        issuer,
        key,
    }
}

fn credential_type(format: CredentialFormat) -> &'static str {
    match format {
        CredentialFormat::SdJwt => "urn:laissez:iom:registration:1",
        CredentialFormat::Mdoc => "org.iom.registration.1",
    }
}

fn portrait_path(format: CredentialFormat) -> String {
    match format {
        CredentialFormat::SdJwt => "picture".into(),
        CredentialFormat::Mdoc => "org.iom.registration.1/portrait".into(),
    }
}

fn order(w: &World, format: CredentialFormat, portrait: Option<Vec<u8>>) -> CredentialOrder {
    let claims = json!({"given_name": "Amina", "family_name": "Haddad", "nationality": "SDN"});
    CredentialOrder {
        format,
        credential_type: credential_type(format).into(),
        claims: claims.as_object().cloned().unwrap(),
        holder_key: w.key.clone(),
        valid_days: 365,
        status: None,
        now: NOW,
        portrait,
    }
}

/// Issues, imports, asks for given_name and the portrait, answers with `consented`, verifies.
fn exchange(
    w: &mut World,
    format: CredentialFormat,
    issued: &[u8],
    consented: &[String],
) -> Verdict {
    let options = ImportOptions {
        issuer_keys: Vec::new(),
        now: NOW,
        type_metadata: None,
    };
    let id = credentials::import(&mut w.holder, issued, &options)
        .unwrap()
        .id;
    let asked = ["given_name".to_owned(), portrait_path(format)];
    let request = field_verifier::create_request(
        &mut w.verifier,
        "Border desk",
        "Identity check",
        vec![RequestedCredential {
            credential_type: credential_type(format).into(),
            claims: asked
                .iter()
                .map(|path| RequestedClaim {
                    path: path.clone(),
                    required: false,
                })
                .collect(),
        }],
        300,
        NOW,
    )
    .unwrap();
    let view = respond::read_request(&w.holder, &request, NOW).unwrap();
    // The consent screen can say "your photo will be shared".
    let flags: Vec<bool> = view.request.credentials[0]
        .claims
        .iter()
        .map(RequestedClaim::is_portrait)
        .collect();
    assert_eq!(flags, [false, true]);
    let candidate = view.matches[0]
        .candidates
        .iter()
        .find(|c| c.credential.id == id)
        .unwrap();
    assert!(candidate.claims.iter().all(|(_, has)| *has), "{format:?}");
    let consent = Consent {
        credential_id: id,
        claims: consented.to_vec(),
        allowed_beyond_scope: Vec::new(),
    };
    let message = respond::respond(
        &mut w.holder,
        &view,
        &[consent],
        Some(UnverifiedAcknowledgement::of(&view)),
        NOW,
    )
    .unwrap();
    let verify = VerifyOptions {
        now: NOW,
        lang: "fr",
        max_status_age_secs: 86_400,
    };
    let mut verdicts = field_verifier::verify_message(&mut w.verifier, &message, &verify).unwrap();
    assert_eq!(verdicts.len(), 1);
    verdicts.remove(0)
}

#[test]
fn the_default_portrait_is_the_vendored_one() {
    // Laissez's encoder is deterministic: the vendored default portrait is what it makes.
    let jpeg = prepare_portrait(FACE, &PortraitSpec::DEFAULT).unwrap();
    assert_eq!(jpeg, DEFAULT_PORTRAIT);
    // PNG photos are taken too.
    let from_png = prepare_portrait(FACE_PNG, &PortraitSpec::DEFAULT).unwrap();
    assert_eq!(&from_png[..4], &[0xFF, 0xD8, 0xFF, 0xE0]);
}

#[test]
fn a_disclosed_portrait_reaches_the_verdict_byte_for_byte() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world();
        let jpeg = prepare_portrait(FACE, &PortraitSpec::DEFAULT).unwrap();
        let issued = issue_credential(&w.issuer, &order(&w, format, Some(jpeg.clone()))).unwrap();
        let all = ["given_name".to_owned(), portrait_path(format)];
        let verdict = exchange(&mut w, format, &issued, &all);
        assert!(verdict.valid, "{format:?} {:?}", verdict.reasons);
        let portrait = verdict.portrait.as_ref().expect("a portrait");
        assert_eq!(portrait.jpeg, jpeg, "{format:?}");
        assert_eq!((portrait.width, portrait.height), (80, 100));
        assert_eq!(portrait.path, portrait_path(format));
        assert_eq!(verdict.portrait_problem, None);
        // Labelled from the built-in type metadata, in the verifier's language.
        let claim = verdict
            .claims
            .iter()
            .find(|c| c.path == portrait_path(format))
            .unwrap();
        assert_eq!(claim.label.as_deref(), Some("Photo"));
        // In JSON the bytes are base64 and the Debug form never shows them.
        let json = serde_json::to_value(&verdict).unwrap();
        assert_eq!(json["portrait"]["width"], 80);
        assert!(
            json["portrait"]["jpeg"]
                .as_str()
                .unwrap()
                .starts_with("/9j/4")
        );
        assert!(format!("{portrait:?}").contains("bytes"));
    }
}

#[test]
fn a_withheld_portrait_stays_out() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world();
        let jpeg = prepare_portrait(FACE, &PortraitSpec::DEFAULT).unwrap();
        let issued = issue_credential(&w.issuer, &order(&w, format, Some(jpeg))).unwrap();
        let verdict = exchange(&mut w, format, &issued, &["given_name".to_owned()]);
        assert!(verdict.valid);
        assert!(verdict.portrait.is_none() && verdict.portrait_problem.is_none());
        assert!(
            !verdict
                .claims
                .iter()
                .any(|c| c.path == portrait_path(format))
        );
    }
}

#[test]
fn a_signed_picture_that_is_not_a_jpeg_is_a_typed_problem() {
    // A foreign issuer's SD-JWT VC whose `picture` is a PNG data URL: valid, but no portrait.
    let mut w = world();
    let mut o = order(&w, CredentialFormat::SdJwt, None);
    o.claims.insert(
        "picture".into(),
        json!("data:image/png;base64,iVBORw0KGgo="),
    );
    let issued = issue_credential(&w.issuer, &o).unwrap();
    let all = ["given_name".to_owned(), "picture".to_owned()];
    let verdict = exchange(&mut w, CredentialFormat::SdJwt, &issued, &all);
    assert!(verdict.valid);
    assert!(verdict.portrait.is_none());
    assert_eq!(
        verdict.portrait_problem,
        Some(PortraitProblem::NotJpegValue)
    );
    // An mdoc `portrait` given as text in the claims is refused the same way.
    let mut w = world();
    let mut o = order(&w, CredentialFormat::Mdoc, None);
    o.claims.insert("portrait".into(), json!("not bytes"));
    let issued = issue_credential(&w.issuer, &o).unwrap();
    let all = [
        "given_name".to_owned(),
        portrait_path(CredentialFormat::Mdoc),
    ];
    let verdict = exchange(&mut w, CredentialFormat::Mdoc, &issued, &all);
    assert!(verdict.valid);
    assert!(verdict.portrait.is_none());
    assert!(verdict.portrait_problem.is_some());
}

#[test]
fn the_issuer_refuses_bad_portraits() {
    let w = world();
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let bad = issue_credential(&w.issuer, &order(&w, format, Some(b"GIF89a".to_vec())));
        assert!(
            matches!(bad, Err(IssuerError::InvalidInput(_))),
            "{format:?}"
        );
        // Twice (claims and portrait) is refused rather than one silently winning.
        let mut o = order(&w, format, Some(DEFAULT_PORTRAIT.to_vec()));
        let name = match format {
            CredentialFormat::SdJwt => "picture",
            CredentialFormat::Mdoc => "portrait",
        };
        o.claims.insert(name.into(), json!("x"));
        assert!(matches!(
            issue_credential(&w.issuer, &o),
            Err(IssuerError::InvalidInput(_))
        ));
    }
    assert!(matches!(
        prepare_portrait(&FACE[..200], &PortraitSpec::DEFAULT),
        Err(IssuerError::InvalidInput(_))
    ));
}
