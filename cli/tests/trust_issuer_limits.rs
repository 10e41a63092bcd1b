//! `laissez trust build --issuer-type NAME=TYPE --issuer-country NAME=CC`: a field verifier
//! trusts a national ID issuer's Ed25519 key for MOSIP Claim 169 codes (`mosip:claim169`) of
//! one country only. `laissez verifier verify` accepts that issuer's code for the country,
//! answers `issuer_not_allowed` for another country (or none), `unknown_issuer` when the key is
//! trusted for another type only; `trust show` prints the limits; bad limits are refused.
//!
//! `laissez claim169 issue` makes codes without a country of issuance, each with a fresh key;
//! codes of one key for two countries come from the same test encoder in-process.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{Scratch, laissez, s, with_pin};
use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{CwtClaims, Identity};
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use wallet_core::jose::base64url;
use wallet_core::qr::render::{ErrorCorrection, PngOptions, render};

/// The Kenyan registry's name in the lists.
const KENYA: &str = "Kenya Civil Registry";
/// The name of the key of `laissez claim169 issue`'s code.
const CLI_ISSUER: &str = "CLI Registry";

/// An Ed25519 public JWK file of the raw key `public`.
fn jwk(scratch: &Scratch, name: &str, public: &[u8]) -> PathBuf {
    let x = base64url::encode(public);
    scratch.write(
        name,
        format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{x}"}}"#).as_bytes(),
    )
}

/// A QR image of `text`.
fn png(scratch: &Scratch, name: &str, text: &str) -> PathBuf {
    let bytes = render(text, ErrorCorrection::L)
        .unwrap()
        .to_png(&PngOptions::default())
        .unwrap();
    scratch.write(name, &bytes)
}

/// A code signed by `signer` whose country of issuance is `country`.
fn code_for(signer: &IssuerSigningKey, country: Option<&str>) -> String {
    let identity = Identity {
        id: Some("KE-2026-0042".into()),
        full_name: Some("Wanjiru Kamau".into()),
        country_of_issuance: country.map(str::to_owned),
        ..Identity::default()
    };
    let cwt = CwtClaims {
        issuer: Some("https://id.example.ke".into()),
        issued_at: Some(1_700_000_000),
        not_before: Some(1_700_000_000),
        expires_at: Some(4_000_000_000),
        ..CwtClaims::default()
    };
    let protection = Protection {
        signer: Some(signer),
        ..Protection::default()
    };
    issue::encode(&cwt, &identity, &protection).unwrap()
}

/// A code from `laissez claim169 issue` (no country of issuance) and its key, raw.
fn cli_code() -> (String, Vec<u8>) {
    let run = laissez(&["claim169", "issue", "--exp", "4000000000"], &[]).expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let key = hex::decode(json["public_key_hex"].as_str().unwrap()).unwrap();
    (json["qr_text"].as_str().unwrap().to_owned(), key)
}

/// `trust build` with `extra` options after the sequence; its run.
fn build(sequence: &str, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["trust", "build", "--sequence", sequence, "--out", s(out)];
    args.extend_from_slice(extra);
    laissez(&args, &[])
}

/// Signs `description` with `signer` and imports it into `db`.
fn sign_and_import(scratch: &Scratch, signer: &Path, description: &Path, db: &Path) {
    let signed = scratch.path("list.jwt");
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(signer),
            "--in",
            s(description),
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
        s(db),
        "--signer-key",
        s(&pinned),
        s(&signed),
    ])
    .expect_code(0);
}

/// `verifier verify --json` of an image: (exit code, the verdict).
fn verify(db: &Path, image: &Path) -> (i32, serde_json::Value) {
    let run = with_pin(&["verifier", "verify", "--db", s(db), "--json", s(image)]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {} {}", run.stdout, run.stderr));
    (run.code, json[0].clone())
}

#[test]
fn a_claim169_issuer_limited_to_one_country_and_type() {
    let scratch = Scratch::new();
    let kenya = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let kenya_jwk = jwk(&scratch, "kenya.jwk", &kenya.issuer_key().public_bytes());
    let (cli_text, cli_key) = cli_code();
    let cli_jwk = jwk(&scratch, "cli.jwk", &cli_key);

    let db = scratch.path("verifier.db");
    laissez(
        &["verifier", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", common::PIN)],
    )
    .expect_code(0);
    let signer = scratch.path("signer");
    laissez(&["trust", "new-signer", "--out", s(&signer)], &[]).expect_code(0);

    // Both issuers trusted for Claim 169 codes of Kenya only.
    let description = scratch.path("list.json");
    let kenya_issuer = format!("{KENYA}={}", s(&kenya_jwk));
    let cli_issuer = format!("{CLI_ISSUER}={}", s(&cli_jwk));
    let kenya_type = format!("{KENYA}=mosip:claim169");
    let kenya_country = format!("{KENYA}=KE");
    let cli_country = format!("{CLI_ISSUER}=KE");
    build(
        "1",
        &description,
        &[
            "--issuer",
            &kenya_issuer,
            "--issuer-type",
            &kenya_type,
            "--issuer-country",
            &kenya_country,
            "--issuer",
            &cli_issuer,
            "--issuer-country",
            &cli_country,
        ],
    )
    .expect_code(0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&description).unwrap()).unwrap();
    assert_eq!(
        written["issuers"][0]["credential_types"],
        serde_json::json!(["mosip:claim169"])
    );
    assert_eq!(
        written["issuers"][0]["countries"],
        serde_json::json!(["KE"])
    );
    assert_eq!(
        written["issuers"][1]["countries"],
        serde_json::json!(["KE"])
    );
    assert!(written["issuers"][1].get("credential_types").is_none());
    sign_and_import(&scratch, &signer, &description, &db);

    // The limits show in `trust show`, text and JSON.
    let shown = with_pin(&["trust", "show", "--db", s(&db)]).expect_code(0);
    assert!(
        shown
            .stdout
            .contains("types mosip:claim169; countries KE; known signers 0"),
        "{}",
        shown.stdout
    );
    assert!(
        shown
            .stdout
            .contains("types any; countries KE; known signers 0"),
        "{}",
        shown.stdout
    );
    let shown = with_pin(&["trust", "show", "--db", s(&db), "--json"]).expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let kenya_shown = shown["issuers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|issuer| issuer["name"] == KENYA)
        .unwrap();
    assert_eq!(
        kenya_shown["credential_types"],
        serde_json::json!(["mosip:claim169"])
    );
    assert_eq!(kenya_shown["countries"], serde_json::json!(["KE"]));

    // Kenya's code for Kenya: valid, from the limited issuer.
    let ke = png(&scratch, "ke.png", &code_for(&kenya, Some("KE")));
    let (code, verdict) = verify(&db, &ke);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["format"], "claim169");
    assert_eq!(verdict["issuer"]["name"], KENYA);
    assert!(
        verdict["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["path"] == "countryOfIssuance" && c["value"] == "KE"),
        "{verdict}"
    );

    // The same key's code for Uganda, or writing Kenya as alpha-3 (compared as written):
    // issuer not allowed, no claims.
    for (name, country) in [("ug.png", "UG"), ("ken.png", "KEN")] {
        let image = png(&scratch, name, &code_for(&kenya, Some(country)));
        let (code, verdict) = verify(&db, &image);
        assert_eq!(code, 1, "{country}: {verdict}");
        assert_eq!(verdict["valid"], false, "{country}: {verdict}");
        assert_eq!(
            verdict["reasons"],
            serde_json::json!(["issuer_not_allowed"]),
            "{country}: {verdict}"
        );
        assert_eq!(verdict["issuer"]["name"], KENYA);
        assert_eq!(verdict["claims"].as_array().unwrap().len(), 0);
    }

    // `laissez claim169 issue`'s code names no country: its key, limited to KE, is not
    // allowed for it.
    let cli_image = png(&scratch, "cli.png", &cli_text);
    let (code, verdict) = verify(&db, &cli_image);
    assert_eq!(code, 1, "{verdict}");
    assert_eq!(
        verdict["reasons"],
        serde_json::json!(["issuer_not_allowed"]),
        "{verdict}"
    );
    assert_eq!(verdict["issuer"]["name"], CLI_ISSUER);

    // List 2: the CLI key for any country (its code now valid), Kenya's key for another type
    // only (no longer vouching for Claim 169 codes: unknown issuer).
    let description = scratch.path("list2.json");
    let other_type = format!("{KENYA}=eu.europa.ec.eudi.pid.1");
    build(
        "2",
        &description,
        &[
            "--issuer",
            &kenya_issuer,
            "--issuer-type",
            &other_type,
            "--issuer-country",
            &kenya_country,
            "--issuer",
            &cli_issuer,
        ],
    )
    .expect_code(0);
    sign_and_import(&scratch, &signer, &description, &db);
    let (code, verdict) = verify(&db, &cli_image);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["issuer"]["name"], CLI_ISSUER);
    let (code, verdict) = verify(&db, &ke);
    assert_eq!(code, 1, "{verdict}");
    assert_eq!(
        verdict["reasons"],
        serde_json::json!(["unknown_issuer"]),
        "{verdict}"
    );

    // List 3: Kenya written both ways, as its cards may write it: the alpha-3 code is valid
    // too, Uganda's still not.
    let description = scratch.path("list3.json");
    let kenya_alpha_3 = format!("{KENYA}=KEN");
    build(
        "3",
        &description,
        &[
            "--issuer",
            &kenya_issuer,
            "--issuer-type",
            &kenya_type,
            "--issuer-country",
            &kenya_country,
            "--issuer-country",
            &kenya_alpha_3,
        ],
    )
    .expect_code(0);
    sign_and_import(&scratch, &signer, &description, &db);
    let ken = png(&scratch, "ken3.png", &code_for(&kenya, Some("KEN")));
    let (code, verdict) = verify(&db, &ken);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["valid"], true, "{verdict}");
    let ug = png(&scratch, "ug3.png", &code_for(&kenya, Some("UG")));
    let (code, verdict) = verify(&db, &ug);
    assert_eq!(code, 1, "{verdict}");
    assert_eq!(
        verdict["reasons"],
        serde_json::json!(["issuer_not_allowed"]),
        "{verdict}"
    );
}

#[test]
fn limits_for_an_unknown_issuer_or_a_malformed_country_are_refused() {
    let scratch = Scratch::new();
    let kenya = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let kenya_jwk = jwk(&scratch, "kenya.jwk", &kenya.issuer_key().public_bytes());
    let issuer = format!("{KENYA}={}", s(&kenya_jwk));
    let out = scratch.path("list.json");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--issuer-type", "Kenya=mosip:claim169"],
            "no --issuer named 'Kenya'",
        ),
        (
            &["--issuer-country", "Uganda=UG"],
            "no --issuer named 'Uganda'",
        ),
        (
            &["--issuer-country", "Kenya Civil Registry=KENY"],
            "ISO 3166-1 alpha-2 or alpha-3",
        ),
        (&["--issuer-country", "Kenya Civil Registry=ke"], "alpha-2"),
        (&["--issuer-type", "Kenya Civil Registry"], "NAME=VALUE"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["--issuer", issuer.as_str()];
        args.extend_from_slice(extra);
        let run = build("1", &out, &args).expect_code(2);
        assert!(run.stderr.contains(expected), "{extra:?}: {}", run.stderr);
        assert!(!out.exists(), "{extra:?} wrote a description");
    }
    // A limit repeated is kept once; the list is written.
    let twice = format!("{KENYA}=KE");
    build(
        "1",
        &out,
        &[
            "--issuer",
            &issuer,
            "--issuer-country",
            &twice,
            "--issuer-country",
            &twice,
        ],
    )
    .expect_code(0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        written["issuers"][0]["countries"],
        serde_json::json!(["KE"])
    );
}
