//! Batches of one-time copies on the command line: `wallet holder-key --batch`, `issuer issue
//! --holder-keys` with random status indexes, `wallet import` of the copies, copies left and
//! warnings in `wallet list|show|present`, `wallet settings --reuse-copies`, and
//! `issuer status-list --revoke-credential` (ADR 0017).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Scratch, init_wallet, laissez, s, with_pin};

const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Yusuf","birth_date":"1994-03-12",
"nationality":"SD","registration_id":"IOM-2026-004217","place_of_birth":"Khartoum"}"#;
const STATUS_URI: &str = "https://desk.example/status/7";

#[test]
fn a_batch_from_issuer_to_wallet_presented_once_per_copy_and_revoked_whole() {
    for (format, ext, claim) in [
        ("sd-jwt", "sd-jwt", "given_name"),
        ("mdoc", "mdoc", "given_name"),
    ] {
        let scratch = Scratch::new();
        let db = scratch.path("w.db");
        init_wallet(&db);
        let issuer = scratch.path("issuer");
        laissez(&["issuer", "new", "--out", s(&issuer)], &[]).expect_code(0);
        let keys = scratch.path("keys.json");
        let made = with_pin(&[
            "wallet",
            "holder-key",
            "--db",
            s(&db),
            "--batch",
            "3",
            "--out",
            s(&keys),
        ])
        .expect_code(0);
        assert!(made.stdout.contains("slots 0,1,2"), "{}", made.stdout);
        let claims = scratch.write("claims.json", CLAIMS.as_bytes());
        let copies = scratch.path("copies");
        let issued = laissez(
            &[
                "issuer",
                "issue",
                "--issuer",
                s(&issuer),
                "--format",
                format,
                "--type",
                "org.iom.registration.1",
                "--claims",
                s(&claims),
                "--holder-keys",
                s(&keys),
                "--status-uri",
                STATUS_URI,
                "--credential-id",
                "reg-42",
                "--out",
                s(&copies),
            ],
            &[],
        )
        .expect_code(0);
        assert!(
            issued.stdout.contains("Issued 3 copies"),
            "{}",
            issued.stdout
        );
        assert!(issued.stdout.contains("reg-42"), "{}", issued.stdout);
        let allocations: serde_json::Value =
            serde_json::from_slice(&std::fs::read(issuer.join("status-allocations.json")).unwrap())
                .unwrap();
        let indexes = allocations["lists"][0]["credentials"]["reg-42"]
            .as_array()
            .unwrap();
        assert_eq!(indexes.len(), 3, "{allocations}");
        let files: Vec<String> = (1..=3)
            .map(|n| s(&copies.join(format!("copy-{n:02}.{ext}"))).to_owned())
            .collect();

        // A copy given twice, or a batch with a copy of another wallet, imports nothing.
        let mut twice = vec!["wallet", "import", "--db", s(&db)];
        twice.extend([files[0].as_str(), files[0].as_str()]);
        with_pin(&twice).expect_code(2);
        let listed = with_pin(&["wallet", "list", "--db", s(&db)]).expect_code(0);
        assert!(
            listed.stdout.contains("no credentials"),
            "{}",
            listed.stdout
        );

        let mut import = vec!["wallet", "import", "--db", s(&db)];
        import.extend(files.iter().map(String::as_str));
        let id = with_pin(&import).expect_code(0).stdout.trim().to_owned();
        let listed = with_pin(&["wallet", "list", "--db", s(&db)]).expect_code(0);
        assert!(
            listed.stdout.contains("3 of 3 copies left"),
            "{}",
            listed.stdout
        );
        let json = with_pin(&["wallet", "list", "--db", s(&db), "--json"]).expect_code(0);
        let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(json["credentials"][0]["copies_total"], 3);
        assert_eq!(json["credentials"][0]["copies_state"], "plenty");

        let present = |n: u32| {
            let out = scratch.path(&format!("p{n}"));
            let nonce = format!("n-{n}");
            with_pin(&[
                "wallet",
                "present",
                "--db",
                s(&db),
                &id,
                "--claims",
                claim,
                "--nonce",
                &nonce,
                "--audience",
                "https://desk.example",
                "--out",
                s(&out),
            ])
        };
        let first = present(1).expect_code(0);
        assert!(!first.stderr.contains("WARNING"), "{}", first.stderr);
        let second = present(2).expect_code(0);
        assert!(
            second.stderr.contains("1 of 3 copies left: WARNING"),
            "{}",
            second.stderr
        );
        let third = present(3).expect_code(0);
        assert!(
            third.stderr.contains("0 of 3 copies left: WARNING"),
            "{}",
            third.stderr
        );
        let refused = present(4).expect_code(1);
        assert!(refused.stderr.contains("every copy"), "{}", refused.stderr);
        let shown = with_pin(&["wallet", "show", "--db", s(&db), &id]).expect_code(0);
        assert!(
            shown.stdout.contains("0 of 3 copies left"),
            "{}",
            shown.stdout
        );

        let on = with_pin(&["wallet", "settings", "--db", s(&db), "--reuse-copies", "on"])
            .expect_code(0);
        assert!(on.stdout.contains("reuse-copies  on"), "{}", on.stdout);
        present(5).expect_code(0);

        // Revoking the credential sets every copy's index.
        let list = scratch.path("status.jwt");
        let revoked = laissez(
            &[
                "issuer",
                "status-list",
                "--issuer",
                s(&issuer),
                "--uri",
                STATUS_URI,
                "--revoke-credential",
                "reg-42",
                "--out",
                s(&list),
            ],
            &[],
        )
        .expect_code(0);
        assert!(revoked.stdout.contains("3 revoked"), "{}", revoked.stdout);
        let unknown = laissez(
            &[
                "issuer",
                "status-list",
                "--issuer",
                s(&issuer),
                "--uri",
                STATUS_URI,
                "--revoke-credential",
                "nobody",
                "--out",
                s(&list),
            ],
            &[],
        )
        .expect_code(2);
        assert!(unknown.stderr.contains("nobody"), "{}", unknown.stderr);
    }
}
