//! MOSIP Claim 169 identity codes in the CLI (issue 16): `laissez verifier verify` recognises
//! one by its content and gives the field verifier's verdict (format `claim169`, the trust
//! list's issuer, labelled claims, possession not proven), refuses one signed by a key not on
//! the list, and the hidden `laissez claim169 issue|verify` test tools keep their exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{Scratch, laissez, s, with_pin};
use wallet_core::jose::base64url;
use wallet_core::qr::render::{ErrorCorrection, PngOptions, render};

/// A code from `laissez claim169 issue`: (QR text, public key hex).
fn issue(scratch: &Scratch, name: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "claim169",
        "issue",
        "--secondary",
        "أمينة يوسف",
        "ara",
        "--exp",
    ];
    args.push("4000000000");
    args.extend_from_slice(extra);
    let run = laissez(&args, &[]).expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let text = json["qr_text"].as_str().unwrap().to_owned();
    scratch.write(&format!("{name}.txt"), text.as_bytes());
    (text, json["public_key_hex"].as_str().unwrap().to_owned())
}

fn png(scratch: &Scratch, name: &str, text: &str) -> std::path::PathBuf {
    let bytes = render(text, ErrorCorrection::L)
        .unwrap()
        .to_png(&PngOptions::default())
        .unwrap();
    scratch.write(name, &bytes)
}

/// A verifier store trusting the Ed25519 key `public_hex` as "Civil Registry".
fn verifier_trusting(scratch: &Scratch, public_hex: &str) -> std::path::PathBuf {
    let db = scratch.path("verifier.db");
    laissez(
        &["verifier", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", common::PIN)],
    )
    .expect_code(0);
    let signer = scratch.path("signer");
    laissez(&["trust", "new-signer", "--out", s(&signer)], &[]).expect_code(0);
    let x = base64url::encode(&hex::decode(public_hex).unwrap());
    let jwk = scratch.write(
        "registry.jwk",
        format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}"#).as_bytes(),
    );
    let description = scratch.path("list.json");
    let issuer = format!("Civil Registry={}", s(&jwk));
    laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--valid-days",
            "10",
            "--issuer",
            &issuer,
            "--out",
            s(&description),
        ],
        &[],
    )
    .expect_code(0);
    let signed = scratch.path("list.jwt");
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&signer),
            "--in",
            s(&description),
            "--out",
            s(&signed),
        ],
        &[],
    )
    .expect_code(0);
    let pinned = signer.join("signer.pub.json");
    with_pin(&[
        "trust",
        "import",
        "--db",
        s(&db),
        "--signer-key",
        s(&pinned),
        s(&signed),
    ])
    .expect_code(0);
    db
}

fn verify(db: &Path, image: &Path, lang: &str) -> (common::Run, serde_json::Value) {
    let run = with_pin(&[
        "verifier",
        "verify",
        "--db",
        s(db),
        "--json",
        "--lang",
        lang,
        s(image),
    ]);
    let json = serde_json::from_str(&run.stdout).unwrap_or(serde_json::Value::Null);
    (run, json)
}

#[test]
fn the_field_verifier_reads_a_trusted_code_and_refuses_an_unknown_one() {
    let scratch = Scratch::new();
    let (text, key) = issue(&scratch, "trusted", &[]);
    let db = verifier_trusting(&scratch, &key);
    let image = png(&scratch, "trusted.png", &text);
    let (run, json) = verify(&db, &image, "fr");
    let run = run.expect_code(0);
    let verdict = &json[0];
    assert_eq!(verdict["valid"], true, "{}", run.stdout);
    assert_eq!(verdict["format"], "claim169");
    assert_eq!(verdict["credential_type"], "mosip:claim169");
    assert_eq!(verdict["issuer"]["name"], "Civil Registry");
    assert_eq!(verdict["possession_not_proven"], true);
    let claims = verdict["claims"].as_array().unwrap();
    let full_name = claims.iter().find(|c| c["path"] == "fullName").unwrap();
    assert_eq!(full_name["value"], "Amina Yusuf Abdi");
    assert_eq!(full_name["label"], "Nom complet");
    let secondary = claims
        .iter()
        .find(|c| c["path"] == "secondaryFullName")
        .unwrap();
    assert_eq!(secondary["value"], "أمينة يوسف");
    // `qr decode --json` shows the decoded fields, marked unverified.
    let decoded = laissez(&["qr", "decode", "--json", s(&image)], &[]).expect_code(0);
    let decoded: serde_json::Value = serde_json::from_str(&decoded.stdout).unwrap();
    let fields = &decoded[0]["claim169"][0];
    assert_eq!(fields["verified"], false);
    assert_eq!(fields["signed"], true);
    assert_eq!(fields["claim169"]["secondaryFullName"], "أمينة يوسف");
    assert_eq!(fields["cwt"]["issuer"], "https://id.laissez.example");
    // The text form says what the field worker must do.
    let text_run = with_pin(&["verifier", "verify", "--db", s(&db), s(&image)]).expect_code(0);
    assert!(
        text_run
            .stdout
            .contains("POSSESSION NOT PROVEN: compare the photo"),
        "{}",
        text_run.stdout
    );

    // Another key's code: unknown issuer, no claims, exit 1.
    let (other, _) = issue(&scratch, "other", &["--alg", "ES256"]);
    let other_image = png(&scratch, "other.png", &other);
    let (run, json) = verify(&db, &other_image, "en");
    run.expect_code(1);
    assert_eq!(json[0]["valid"], false);
    assert_eq!(json[0]["reasons"][0], "unknown_issuer");
    assert_eq!(json[0]["claims"].as_array().unwrap().len(), 0);
}

#[test]
fn the_test_tools_exit_codes() {
    let scratch = Scratch::new();
    let (_, key) = issue(&scratch, "code", &[]);
    let file = scratch.path("code.txt");
    let run = laissez(
        &[
            "claim169",
            "verify",
            s(&file),
            "--public-key-hex",
            &key,
            "--json",
            "--at",
            "1760000000",
        ],
        &[],
    )
    .expect_code(0);
    assert!(run.stdout.contains("\"verified\": true"), "{}", run.stdout);
    // Verified but outside its validity: 1.
    laissez(
        &[
            "claim169",
            "verify",
            s(&file),
            "--public-key-hex",
            &key,
            "--at",
            "4000000000",
        ],
        &[],
    )
    .expect_code(1);
    // Another key: 1. Not a code, or a bad key: 2.
    let other = "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29";
    laissez(
        &["claim169", "verify", s(&file), "--public-key-hex", other],
        &[],
    )
    .expect_code(1);
    let garbage = scratch.write("garbage.txt", b"hello");
    laissez(
        &["claim169", "verify", s(&garbage), "--public-key-hex", &key],
        &[],
    )
    .expect_code(2);
    laissez(
        &["claim169", "verify", s(&file), "--public-key-hex", "abcd"],
        &[],
    )
    .expect_code(2);
}

#[test]
fn a_card_is_kept_from_its_text_or_a_photo_listed_shown_and_its_code_verified() {
    let scratch = Scratch::new();
    let (text, key) = issue(&scratch, "card", &[]);
    let wallet = scratch.path("wallet.db");
    common::init_wallet(&wallet);
    let text_file = scratch.path("card.txt");

    // From the code's text: kept, its id printed.
    let run = with_pin(&["wallet", "import", "--db", s(&wallet), s(&text_file)]).expect_code(0);
    let id = run.stdout.trim().to_owned();
    assert!(run.stderr.contains("identity card kept"), "{}", run.stderr);
    assert!(run.stderr.contains("unverified issuer"), "{}", run.stderr);
    // The same card again, now from a photo of it: refused as kept already.
    let photo = png(&scratch, "card-photo.png", &text);
    let again = with_pin(&["wallet", "import", "--db", s(&wallet), s(&photo)]).expect_code(2);
    assert!(
        again.stderr.contains("in the wallet already"),
        "{}",
        again.stderr
    );

    let listed = with_pin(&["wallet", "list", "--db", s(&wallet), "--json"]).expect_code(0);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let card = &listed["identity_cards"][0];
    assert_eq!(card["id"], id.as_str());
    assert_eq!(card["full_name"], "Amina Yusuf Abdi");
    assert_eq!(card["issuer"]["state"], "unverified");
    assert_eq!(listed["credentials"].as_array().unwrap().len(), 0);

    let shown = with_pin(&[
        "wallet",
        "card",
        "show",
        "--db",
        s(&wallet),
        &id,
        "--lang",
        "fr",
        "--json",
    ])
    .expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let name = shown["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "fullName")
        .unwrap();
    assert_eq!(name["label"], "Nom complet");

    // Its own code, whole, to a verifier that trusts the issuer: valid, possession not proven.
    let code = scratch.path("shown.png");
    let run = with_pin(&[
        "wallet",
        "card",
        "code",
        "--db",
        s(&wallet),
        &id,
        "--out",
        s(&code),
    ])
    .expect_code(0);
    assert!(
        run.stderr.contains("the whole card as issued"),
        "{}",
        run.stderr
    );
    let db = verifier_trusting(&scratch, &key);
    let (run, json) = verify(&db, &code, "en");
    run.expect_code(0);
    assert_eq!(json[0]["valid"], true);
    assert_eq!(json[0]["possession_not_proven"], true);
    let history = with_pin(&["wallet", "history", "--db", s(&wallet), "--json"]).expect_code(0);
    assert!(history.stdout.contains(&id), "{}", history.stdout);

    with_pin(&["wallet", "card", "delete", "--db", s(&wallet), &id]).expect_code(0);
    let gone = with_pin(&["wallet", "card", "show", "--db", s(&wallet), &id]).expect_code(2);
    assert!(gone.stderr.contains("no identity card"), "{}", gone.stderr);
}

#[test]
fn an_unreadable_or_cut_card_code_is_refused_and_nothing_is_kept() {
    let scratch = Scratch::new();
    let (text, _) = issue(&scratch, "card", &[]);
    let wallet = scratch.path("wallet.db");
    common::init_wallet(&wallet);
    let cut = scratch.write("cut.txt", &text.as_bytes()[..text.len() / 2]);
    let run = with_pin(&["wallet", "import", "--db", s(&wallet), s(&cut)]).expect_code(2);
    assert!(!run.stderr.is_empty());
    let listed = with_pin(&["wallet", "list", "--db", s(&wallet), "--json"]).expect_code(0);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(listed["identity_cards"].as_array().unwrap().len(), 0);
}
