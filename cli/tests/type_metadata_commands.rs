//! `laissez trust build --type-metadata` and `laissez wallet import --type-metadata`: good
//! documents go in byte for byte, bad ones are refused as bad input (exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Scratch, init_wallet, laissez, s, with_pin};

const DOC: &[u8] = b"{\"vct\": \"urn:laissez:iom:registration:1\",\n \"claims\": [{\"path\": [\"given_name\"], \"display\": [{\"locale\": \"fr\", \"label\": \"Pr\xc3\xa9nom usuel\"}]}]}\n";

#[test]
fn trust_build_carries_type_metadata() {
    let scratch = Scratch::new();
    let issuer = scratch.path("issuer");
    laissez(
        &["issuer", "new", "--out", s(&issuer), "--name", "IOM"],
        &[],
    )
    .expect_code(0);
    let cert = format!("IOM={}", s(&issuer.join("issuer.cert.pem")));
    let doc = scratch.write("meta.json", DOC);
    let out = scratch.path("list.json");
    let run = laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--issuer",
            &cert,
            "--type-metadata",
            s(&doc),
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(0);
    assert!(
        run.stdout.contains("1 type metadata documents"),
        "{}",
        run.stdout
    );
    let description: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(description["type_metadata"][0], STANDARD.encode(DOC));

    for bad in [&b"{\"vct\": 7}"[..], b"not json", &vec![b' '; 70 * 1024]] {
        let file = scratch.write("bad.json", bad);
        let out = scratch.path("bad-list.json");
        let run = laissez(
            &[
                "trust",
                "build",
                "--sequence",
                "1",
                "--issuer",
                &cert,
                "--type-metadata",
                s(&file),
                "--out",
                s(&out),
            ],
            &[],
        )
        .expect_code(2);
        assert!(run.stderr.contains("type metadata"), "{}", run.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn wallet_import_keeps_a_matching_document() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    init_wallet(&db);
    let issuer = scratch.path("issuer");
    laissez(
        &["issuer", "new", "--out", s(&issuer), "--name", "IOM"],
        &[],
    )
    .expect_code(0);
    let holder = scratch.path("holder.json");
    with_pin(&["wallet", "holder-key", "--db", s(&db), "--out", s(&holder)]).expect_code(0);
    let claims = scratch.write(
        "claims.json",
        br#"{"given_name":"Amina","birth_date":"1994","nationality":"XXA"}"#,
    );
    let issued = scratch.path("cred.txt");
    laissez(
        &[
            "issuer",
            "issue",
            "--issuer",
            s(&issuer),
            "--format",
            "sd-jwt",
            "--type",
            "urn:laissez:iom:registration:1",
            "--claims",
            s(&claims),
            "--holder-key",
            s(&holder),
            "--out",
            s(&issued),
        ],
        &[],
    )
    .expect_code(0);
    let other = scratch.write("other.json", br#"{"vct":"urn:another"}"#);
    let run = with_pin(&[
        "wallet",
        "import",
        "--db",
        s(&db),
        s(&issued),
        "--type-metadata",
        s(&other),
    ])
    .expect_code(2);
    assert!(run.stderr.contains("type metadata"), "{}", run.stderr);
    let doc = scratch.write("meta.json", DOC);
    let run = with_pin(&[
        "wallet",
        "import",
        "--db",
        s(&db),
        s(&issued),
        "--type-metadata",
        s(&doc),
    ])
    .expect_code(0);
    let id = run.stdout.trim().to_owned();
    let shown = with_pin(&["wallet", "show", "--db", s(&db), &id, "--lang", "fr"]).expect_code(0);
    assert!(shown.stdout.contains("Prénom usuel"), "{}", shown.stdout);
}
