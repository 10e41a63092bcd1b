//! `laissez qr decode`, `laissez trust ...` and `laissez verifier init` end to end, and
//! their exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{PIN, Scratch, laissez, s, with_pin, words_from_init};
use wallet_core::qr::render::{ErrorCorrection, PngOptions, render};

/// A PNG of one QR code holding `text`.
fn qr_png(text: &str) -> Vec<u8> {
    render(text, ErrorCorrection::M)
        .unwrap()
        .to_png(&PngOptions::default())
        .unwrap()
}

/// A 64x64 white PNG: an image with no code in it.
fn blank_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 64, 64);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[0xff; 64 * 64]).unwrap();
    writer.finish().unwrap();
    bytes
}

#[test]
fn qr_decode_prints_the_text_of_a_rendered_code() {
    let scratch = Scratch::new();
    let code = scratch.write("code.png", &qr_png("LAISSEZ:HELLO 42"));
    let run = laissez(&["qr", "decode", s(&code)], &[]).expect_code(0);
    assert_eq!(run.stdout, "LAISSEZ:HELLO 42\n");

    let other = scratch.write("other.png", &qr_png("SECOND"));
    let run = laissez(&["qr", "decode", s(&code), s(&other)], &[]).expect_code(0);
    assert_eq!(
        run.stdout,
        format!("{}: LAISSEZ:HELLO 42\n{}: SECOND\n", s(&code), s(&other))
    );

    let run = laissez(&["qr", "decode", "--json", s(&code), s(&other)], &[]).expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"file": s(&code), "codes": ["LAISSEZ:HELLO 42"]},
            {"file": s(&other), "codes": ["SECOND"]},
        ])
    );
}

#[test]
fn qr_decode_exits_1_for_an_image_without_a_code_and_2_for_garbage() {
    let scratch = Scratch::new();
    let code = scratch.write("code.png", &qr_png("HELLO"));
    let blank = scratch.write("blank.png", &blank_png());
    let run = laissez(&["qr", "decode", s(&blank)], &[]).expect_code(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("no QR code"), "{}", run.stderr);
    // The codes that were found are still printed.
    let run = laissez(&["qr", "decode", "--json", s(&code), s(&blank)], &[]).expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json[0]["codes"][0], "HELLO");
    assert_eq!(json[1]["codes"], serde_json::json!([]));

    let garbage = scratch.write("garbage.png", b"this is not an image at all");
    let run = laissez(&["qr", "decode", s(&code), s(&garbage)], &[]).expect_code(2);
    assert!(run.stderr.contains("garbage.png"), "{}", run.stderr);
    laissez(&["qr", "decode", s(&scratch.path("missing.png"))], &[]).expect_code(2);
}

/// Creates the verifier's store with the fast KDF and the test PIN; checks the words.
fn init_verifier(db: &Path) {
    let run = laissez(
        &["verifier", "init", "--db", s(db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(0);
    assert!(run.stdout.contains("Created wallet"), "{}", run.stdout);
    assert_eq!(words_from_init(&run.stdout).len(), 24, "{}", run.stdout);
}

#[test]
fn verifier_init_creates_a_store_like_wallet_init() {
    let scratch = Scratch::new();
    let db = scratch.path("verifier.db");
    init_verifier(&db);
    let info = laissez(&["wallet", "info", "--db", s(&db), "--json"], &[]).expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&info.stdout).unwrap();
    assert_eq!(json["record_count"], 0);
    // The store opens with the PIN; a second init refuses to replace it.
    with_pin(&["store", "count", "--db", s(&db), "--kind", "trust_list"]).expect_code(0);
    laissez(
        &["verifier", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(2);
    // No PIN and no terminal: bad input, no file.
    let other = scratch.path("other.db");
    laissez(
        &["verifier", "init", "--db", s(&other), "--insecure-fast-kdf"],
        &[],
    )
    .expect_code(2);
    assert!(!other.exists());
}

/// A verifier store, a signer, an issuer, and a signed list with sequence 1.
struct Trust {
    scratch: Scratch,
    db: PathBuf,
    signer: PathBuf,
    issuer: PathBuf,
}

impl Trust {
    fn new() -> Self {
        let scratch = Scratch::new();
        let db = scratch.path("verifier.db");
        init_verifier(&db);
        let signer = scratch.path("signer");
        let run = laissez(&["trust", "new-signer", "--out", s(&signer)], &[]).expect_code(0);
        assert!(run.stdout.contains("key fingerprint"), "{}", run.stdout);
        let issuer = scratch.path("issuer");
        laissez(
            &["issuer", "new", "--out", s(&issuer), "--name", "IOM Agadez"],
            &[],
        )
        .expect_code(0);
        Self {
            scratch,
            db,
            signer,
            issuer,
        }
    }

    /// Builds and signs a list with sequence `sequence`; returns the signed file.
    fn signed(&self, sequence: u64) -> PathBuf {
        let description = self.scratch.path(&format!("list{sequence}.json"));
        let cert = format!("IOM Agadez={}", s(&self.issuer.join("issuer.cert.pem")));
        let jwk = format!("Desk key={}", s(&self.issuer.join("issuer.pub.json")));
        laissez(
            &[
                "trust",
                "build",
                "--sequence",
                &sequence.to_string(),
                "--valid-days",
                "10",
                "--issuer",
                &cert,
                "--issuer",
                &jwk,
                "--out",
                s(&description),
            ],
            &[],
        )
        .expect_code(0);
        let signed = self.scratch.path(&format!("list{sequence}.jwt"));
        laissez(
            &[
                "trust",
                "sign",
                "--signer",
                s(&self.signer),
                "--in",
                s(&description),
                "--out",
                s(&signed),
            ],
            &[],
        )
        .expect_code(0);
        signed
    }

    fn import(&self, list: &Path, signer_key: &Path) -> common::Run {
        with_pin(&[
            "trust",
            "import",
            "--db",
            s(&self.db),
            "--signer-key",
            s(signer_key),
            s(list),
        ])
    }

    fn pinned(&self) -> PathBuf {
        self.signer.join("signer.pub.json")
    }

    fn show_json(&self) -> serde_json::Value {
        let run = with_pin(&["trust", "show", "--db", s(&self.db), "--json"]).expect_code(0);
        serde_json::from_str(&run.stdout).unwrap()
    }
}

#[test]
fn trust_lists_round_trip_from_signer_to_verifier_store() {
    let trust = Trust::new();
    // No list yet.
    with_pin(&["trust", "show", "--db", s(&trust.db)]).expect_code(1);
    let list = trust.signed(1);
    let run = trust.import(&list, &trust.pinned()).expect_code(0);
    assert!(
        run.stdout.contains("Imported trust list 1 (2 issuers)"),
        "{}",
        run.stdout
    );

    let json = trust.show_json();
    assert_eq!(json["sequence"], 1);
    assert_eq!(json["current"], true);
    let expires = json["expires_at"].as_i64().unwrap();
    assert_eq!(expires - json["issued_at"].as_i64().unwrap(), 10 * 86_400);
    let issuers = json["issuers"].as_array().unwrap();
    assert_eq!(issuers.len(), 2);
    assert_eq!(issuers[0]["name"], "IOM Agadez");
    assert_eq!(issuers[0]["certificate"], true);
    assert_eq!(issuers[1]["name"], "Desk key");
    assert_eq!(issuers[1]["certificate"], false);
    assert_eq!(issuers[0]["key_fingerprint"], issuers[1]["key_fingerprint"]);

    let text = with_pin(&["trust", "show", "--db", s(&trust.db)]).expect_code(0);
    assert!(text.stdout.contains("IOM Agadez"), "{}", text.stdout);
    assert!(text.stdout.contains("Desk key"), "{}", text.stdout);

    // The signed text is what is stored, as one record of kind trust_list.
    let found = with_pin(&[
        "store",
        "find",
        "--db",
        s(&trust.db),
        "--kind",
        "trust_list",
        "--json",
    ])
    .expect_code(0);
    let page: serde_json::Value = serde_json::from_str(&found.stdout).unwrap();
    let id = page["records"][0]["id"].as_str().unwrap().to_owned();
    let body = with_pin(&["store", "get", "--db", s(&trust.db), &id]).expect_code(0);
    assert_eq!(
        body.stdout.trim(),
        std::fs::read_to_string(&list).unwrap().trim()
    );

    // A newer list replaces it.
    let newer = trust.signed(2);
    let run = trust.import(&newer, &trust.pinned()).expect_code(0);
    assert!(run.stdout.contains("replaces list     1"), "{}", run.stdout);
    assert_eq!(trust.show_json()["sequence"], 2);
    let count = with_pin(&[
        "store",
        "count",
        "--db",
        s(&trust.db),
        "--kind",
        "trust_list",
    ])
    .expect_code(0);
    assert_eq!(count.stdout.trim(), "1");
}

#[test]
fn new_signer_writes_a_private_key_readable_by_its_owner_only_and_never_overwrites() {
    let trust = Trust::new();
    let key = trust.signer.join("signer.key.json");
    let private: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    assert!(private["d"].is_string());
    let public: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(trust.pinned()).unwrap()).unwrap();
    assert!(public.get("d").is_none());
    assert_eq!(public["x"], private["x"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = std::fs::read(&key).unwrap();
    laissez(&["trust", "new-signer", "--out", s(&trust.signer)], &[]).expect_code(2);
    assert_eq!(std::fs::read(&key).unwrap(), before);
}

#[test]
fn a_list_from_another_signer_is_refused() {
    let trust = Trust::new();
    let list = trust.signed(1);
    let other = trust.scratch.path("other-signer");
    laissez(&["trust", "new-signer", "--out", s(&other)], &[]).expect_code(0);
    let run = trust
        .import(&list, &other.join("signer.pub.json"))
        .expect_code(1);
    assert!(run.stderr.contains("signature"), "{}", run.stderr);
    with_pin(&["trust", "show", "--db", s(&trust.db)]).expect_code(1);
}

#[test]
fn a_tampered_list_is_refused() {
    let trust = Trust::new();
    let list = trust.signed(1);
    let text = std::fs::read_to_string(&list).unwrap();
    let parts: Vec<&str> = text.trim().split('.').collect();
    // Re-encode the payload with a higher sequence, keeping the old signature.
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = String::from_utf8(engine.decode(parts[1]).unwrap()).unwrap();
    let forged = payload.replacen("\"sequence\":1", "\"sequence\":9", 1);
    assert_ne!(forged, payload);
    let tampered = format!("{}.{}.{}", parts[0], engine.encode(forged), parts[2]);
    let file = trust.scratch.write("tampered.jwt", tampered.as_bytes());
    trust.import(&file, &trust.pinned()).expect_code(1);
    with_pin(&["trust", "show", "--db", s(&trust.db)]).expect_code(1);
}

#[test]
fn rollback_to_an_older_list_is_refused() {
    let trust = Trust::new();
    let old = trust.signed(1);
    let new = trust.signed(2);
    trust.import(&new, &trust.pinned()).expect_code(0);
    let run = trust.import(&old, &trust.pinned()).expect_code(1);
    assert!(run.stderr.contains("rollback"), "{}", run.stderr);
    assert_eq!(trust.show_json()["sequence"], 2);
    // The same sequence is a re-import (the core's rule): it replaces the stored copy.
    let run = trust.import(&new, &trust.pinned()).expect_code(0);
    assert!(
        run.stdout.contains("stored copy of list 2"),
        "{}",
        run.stdout
    );
    let count = with_pin(&[
        "store",
        "count",
        "--db",
        s(&trust.db),
        "--kind",
        "trust_list",
    ])
    .expect_code(0);
    assert_eq!(count.stdout.trim(), "1");
}

#[test]
fn garbage_is_bad_input() {
    let trust = Trust::new();
    let garbage = trust.scratch.write("garbage.jwt", b"not a trust list");
    trust.import(&garbage, &trust.pinned()).expect_code(2);
    // A signer key that is not a key, an issuer file that is not a key or certificate, a
    // description that is not one.
    trust.import(&trust.signed(1), &garbage).expect_code(2);
    let out = trust.scratch.path("list.json");
    let bad_issuer = format!("X={}", s(&garbage));
    laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--issuer",
            &bad_issuer,
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(2);
    assert!(!out.exists());
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&trust.signer),
            "--in",
            s(&garbage),
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(2);
    assert!(!out.exists());

    // An EdDSA issuer's key cannot sign trust lists (ES256 only), though its public key and
    // certificate can be listed.
    let ed = trust.scratch.path("ed-issuer");
    laissez(&["issuer", "new", "--out", s(&ed), "--alg", "EdDSA"], &[]).expect_code(0);
    let listed = format!("Ed cert={}", s(&ed.join("issuer.cert.pem")));
    let listed_jwk = format!("Ed key={}", s(&ed.join("issuer.pub.json")));
    let description = trust.scratch.path("ed-list.json");
    laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--issuer",
            &listed,
            "--issuer",
            &listed_jwk,
            "--out",
            s(&description),
        ],
        &[],
    )
    .expect_code(0);
    let ed_signer = trust.scratch.path("ed-signer");
    std::fs::create_dir(&ed_signer).unwrap();
    std::fs::copy(
        ed.join("issuer.key.json"),
        ed_signer.join("signer.key.json"),
    )
    .unwrap();
    let run = laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&ed_signer),
            "--in",
            s(&description),
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(2);
    assert!(
        run.stderr.contains("not a P-256 private JWK"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn a_signed_list_travels_as_qr_codes_and_the_signer_stays_pinned() {
    let trust = Trust::new();
    let description = trust.scratch.path("qr-list.json");
    let cert = format!("IOM Agadez={}", s(&trust.issuer.join("issuer.cert.pem")));
    laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--issuer",
            &cert,
            "--out",
            s(&description),
        ],
        &[],
    )
    .expect_code(0);
    let signed = trust.scratch.path("qr-list.jwt");
    let codes = trust.scratch.path("codes");
    let run = laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&trust.signer),
            "--in",
            s(&description),
            "--out",
            s(&signed),
            "--qr-dir",
            s(&codes),
        ],
        &[],
    )
    .expect_code(0);
    assert!(run.stdout.contains("QR codes"), "{}", run.stdout);
    let mut frames: Vec<PathBuf> = std::fs::read_dir(&codes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    frames.sort();
    frames.reverse();
    // Scanned frames in any order; the first import pins the signer.
    let mut args = vec!["trust", "import", "--db", s(&trust.db), "--signer-key"];
    let pinned = trust.pinned();
    args.push(s(&pinned));
    args.extend(frames.iter().map(|p| s(p)));
    let run = with_pin(&args).expect_code(0);
    assert!(
        run.stdout.contains("Imported trust list 1"),
        "{}",
        run.stdout
    );
    // Later lists need no key, and another signer's key is refused.
    let again: Vec<&str> = ["trust", "import", "--db", s(&trust.db)]
        .into_iter()
        .chain(frames.iter().map(|p| s(p)))
        .collect();
    with_pin(&again).expect_code(0);
    let other = trust.scratch.path("other-signer");
    laissez(&["trust", "new-signer", "--out", s(&other)], &[]).expect_code(0);
    let run = trust
        .import(&signed, &other.join("signer.pub.json"))
        .expect_code(1);
    assert!(run.stderr.contains("pinned"), "{}", run.stderr);
    // An image of something else is not a trust list.
    let request = trust.scratch.write("other.png", &qr_png("LZ1:NOT A LIST"));
    let mut args = vec!["trust", "import", "--db", s(&trust.db)];
    args.push(s(&request));
    with_pin(&args).expect_code(2);
}

#[test]
fn trust_build_carries_known_signer_certificates_of_an_authority() {
    let scratch = Scratch::new();
    let issuer = scratch.path("issuer");
    let other = scratch.path("other");
    laissez(&["issuer", "new", "--out", s(&issuer)], &[]).expect_code(0);
    laissez(&["issuer", "new", "--out", s(&other)], &[]).expect_code(0);
    let signer = scratch.path("signer");
    laissez(&["trust", "new-signer", "--out", s(&signer)], &[]).expect_code(0);
    let root = issuer.join("iaca.cert.pem");
    let known = issuer.join("issuer.cert.pem");
    let list = scratch.path("list.json");
    let build = |signer_arg: &str, out: &Path| {
        laissez(
            &[
                "trust",
                "build",
                "--sequence",
                "1",
                "--issuer",
                &format!("Authority={}", s(&root)),
                "--signer",
                signer_arg,
                "--out",
                s(out),
            ],
            &[],
        )
    };
    build(&format!("Authority={}", s(&known)), &list).expect_code(0);
    let signed = scratch.path("list.jwt");
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&signer),
            "--in",
            s(&list),
            "--out",
            s(&signed),
        ],
        &[],
    )
    .expect_code(0);
    let text = std::fs::read_to_string(&signed).unwrap();
    let payload = text.trim().split('.').nth(1).unwrap();
    let payload =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap();
    let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    let entry = &payload["issuers"][0];
    assert_eq!(entry["name"], "Authority");
    assert_eq!(entry["signer_certificates"].as_array().unwrap().len(), 1);

    // Installed in a verifier, `trust show` says what the entry vouches for.
    let db = scratch.path("v.db");
    laissez(
        &["verifier", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", PIN)],
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
    let shown = with_pin(&["trust", "show", "--db", s(&db), "--json"]).expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(shown["issuers"][0]["known_signers"], 1);
    assert_eq!(shown["issuers"][0]["countries"], serde_json::json!([]));
    let text = with_pin(&["trust", "show", "--db", s(&db)]).expect_code(0);
    assert!(
        text.stdout
            .contains("types any; countries any; known signers 1"),
        "{}",
        text.stdout
    );

    // A name the list does not have, and a signer another authority certified: refused.
    let run = build(&format!("Nobody={}", s(&known)), &scratch.path("x.json")).expect_code(2);
    assert!(
        run.stderr.contains("no issuer named 'Nobody'"),
        "{}",
        run.stderr
    );
    let foreign = other.join("issuer.cert.pem");
    let run = build(
        &format!("Authority={}", s(&foreign)),
        &scratch.path("y.json"),
    )
    .expect_code(2);
    assert!(
        run.stderr.contains("not issued by the issuer's key"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_holder_wallet_installs_a_list_of_registrars_of_verifiers() {
    let trust = Trust::new();
    let wallet = trust.scratch.path("holder.db");
    common::init_wallet(&wallet);
    // Any P-256 public JWK serves as the registrar's key: another signer's.
    let registrar = trust.scratch.path("registrar");
    laissez(&["trust", "new-signer", "--out", s(&registrar)], &[]).expect_code(0);
    let registrar_key = registrar.join("signer.pub.json");
    let cert = format!("IOM Agadez={}", s(&trust.issuer.join("issuer.cert.pem")));
    let build = |out: &Path, country: &str| {
        laissez(
            &[
                "trust",
                "build",
                "--sequence",
                "1",
                "--issuer",
                &cert,
                "--registrar-key",
                s(&registrar_key),
                "--registrar-id",
                "urn:registrar:sahel",
                "--registrar-name",
                "Sahel coordination",
                "--registrar-country",
                country,
                "--out",
                s(out),
            ],
            &[],
        )
    };
    // A registrar that is not well described is refused at build time, nothing written.
    let bad = trust.scratch.path("bad.json");
    build(&bad, "Niger").expect_code(2);
    assert!(!bad.exists());
    laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--issuer",
            &cert,
            "--registrar-key",
            s(&registrar_key),
            "--out",
            s(&bad),
        ],
        &[],
    )
    .expect_code(2);
    let description = trust.scratch.path("holder-list.json");
    let run = build(&description, "NE").expect_code(0);
    assert!(run.stdout.contains("1 registrars"), "{}", run.stdout);
    let signed = trust.scratch.path("holder-list.jwt");
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&trust.signer),
            "--in",
            s(&description),
            "--out",
            s(&signed),
        ],
        &[],
    )
    .expect_code(0);
    with_pin(&[
        "trust",
        "import",
        "--db",
        s(&wallet),
        "--signer-key",
        s(&trust.pinned()),
        s(&signed),
    ])
    .expect_code(0);
    let run = with_pin(&["trust", "show", "--db", s(&wallet), "--json"]).expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let registrars = shown["registrars"].as_array().unwrap();
    assert_eq!(registrars.len(), 1);
    assert_eq!(registrars[0]["id"], "urn:registrar:sahel");
    assert_eq!(registrars[0]["name"], "Sahel coordination");
    assert_eq!(registrars[0]["country"], "NE");
    // Signed by another key: refused (exit 1), the installed list stays.
    let other = trust.scratch.path("other-list.jwt");
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&registrar),
            "--in",
            s(&description),
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(0);
    with_pin(&["trust", "import", "--db", s(&wallet), s(&other)]).expect_code(1);
    let run = with_pin(&["trust", "show", "--db", s(&wallet)]).expect_code(0);
    assert!(run.stdout.contains("Sahel coordination"), "{}", run.stdout);
}
