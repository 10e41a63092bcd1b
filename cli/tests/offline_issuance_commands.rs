//! Offline issuance from the command line, the whole flow through QR images and text files:
//! `issuer offer`, `wallet accept-offer`, `issuer deliver`, `wallet receive`, and the refusals
//! (unknown issuer, no consent, replayed proof, batch for another wallet) with their exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Scratch, init_wallet, laissez, s, with_pin};

const VCT: &str = "urn:laissez:test:registration:1";

const CLAIMS: &[u8] = br#"{"given_name": "Amina", "family_name": "Diallo",
 "birth_date": "1994-03-17", "place_of_birth": "Mopti",
 "registration_number": "NE-2026-004213", "registration_office": "Agadez"}"#;

fn new_issuer(scratch: &Scratch, name: &str) -> std::path::PathBuf {
    let dir = scratch.path(name);
    laissez(&["issuer", "new", "--out", s(&dir), "--name", name], &[]).expect_code(0);
    dir
}

#[test]
fn a_desk_issues_a_batch_offline_through_png_and_text_codes() {
    let scratch = Scratch::new();
    let issuer = new_issuer(&scratch, "Agadez desk");
    let anchor = issuer.join("iaca.cert.pem");
    let holder = scratch.path("holder.db");
    init_wallet(&holder);
    let claims = scratch.write("claims.json", CLAIMS);
    for (format, kind) in [("sd-jwt", "png"), ("mdoc", "text")] {
        let offer_png = scratch.path(&format!("offer-{format}.png"));
        let offer_txt = scratch.path(&format!("offer-{format}.txt"));
        let made = laissez(
            &[
                "issuer",
                "offer",
                "--issuer",
                s(&issuer),
                "--format",
                format,
                "--type",
                VCT,
                "--count",
                "5",
                "--out-png",
                s(&offer_png),
                "--text",
                s(&offer_txt),
            ],
            &[],
        )
        .expect_code(0);
        assert!(made.stdout.contains("one code"), "{}", made.stdout);
        let offer = if kind == "png" {
            &offer_png
        } else {
            &offer_txt
        };
        let proof_png = scratch.path(&format!("proof-{format}.png"));
        let proof_txt = scratch.path(&format!("proof-{format}.txt"));
        let accepted = with_pin(&[
            "wallet",
            "accept-offer",
            "--db",
            s(&holder),
            "--offer",
            s(offer),
            "--trust-anchor",
            s(&anchor),
            "--yes",
            "--out-png",
            s(&proof_png),
            "--text",
            s(&proof_txt),
        ])
        .expect_code(0);
        assert!(accepted.stdout.contains("(trusted)"), "{}", accepted.stdout);
        let proof = if kind == "png" {
            &proof_png
        } else {
            &proof_txt
        };
        let frames = scratch.path(&format!("batch-{format}"));
        let batch_txt = scratch.path(&format!("batch-{format}.txt"));
        let delivered = laissez(
            &[
                "issuer",
                "deliver",
                "--issuer",
                s(&issuer),
                "--proof",
                s(proof),
                "--claims",
                s(&claims),
                "--frames-dir",
                s(&frames),
                "--text",
                s(&batch_txt),
            ],
            &[],
        )
        .expect_code(0);
        assert!(
            delivered.stdout.contains("animated frames"),
            "{}",
            delivered.stdout
        );
        // No personal data on the desk: not in its ledger, not in the codes.
        let ledger = std::fs::read_to_string(issuer.join("offers.json")).unwrap();
        assert!(!ledger.contains("Diallo") && !ledger.contains("Amina"));
        assert!(
            !std::fs::read_to_string(&batch_txt)
                .unwrap()
                .contains("Diallo")
        );
        // The same proof again is a replay.
        let replay = laissez(
            &[
                "issuer",
                "deliver",
                "--issuer",
                s(&issuer),
                "--proof",
                s(proof),
                "--claims",
                s(&claims),
                "--text",
                s(&scratch.path("again.txt")),
            ],
            &[],
        )
        .expect_code(1);
        assert!(replay.stderr.contains("already used"), "{}", replay.stderr);
        let received = if kind == "png" {
            let mut images: Vec<String> = std::fs::read_dir(&frames)
                .unwrap()
                .map(|e| e.unwrap().path().display().to_string())
                .collect();
            images.reverse();
            let mut args = vec!["wallet", "receive", "--db", s(&holder)];
            args.extend(images.iter().map(String::as_str));
            with_pin(&args)
        } else {
            with_pin(&["wallet", "receive", "--db", s(&holder), s(&batch_txt)])
        }
        .expect_code(0);
        assert!(received.stdout.contains("5 copies"), "{}", received.stdout);
        // Received once: the same batch again finds no pending offer.
        with_pin(&["wallet", "receive", "--db", s(&holder), s(&batch_txt)]).expect_code(1);
    }
    let listed = with_pin(&["wallet", "list", "--db", s(&holder)]).expect_code(0);
    assert_eq!(listed.stdout.matches(VCT).count(), 2, "{}", listed.stdout);
}

#[test]
fn an_unknown_issuer_needs_its_own_consent_and_a_stranger_cannot_receive() {
    let scratch = Scratch::new();
    let issuer = new_issuer(&scratch, "Unlisted desk");
    let other = new_issuer(&scratch, "Listed desk");
    let holder = scratch.path("holder.db");
    init_wallet(&holder);
    let offer = scratch.path("offer.txt");
    laissez(
        &[
            "issuer",
            "offer",
            "--issuer",
            s(&issuer),
            "--format",
            "sd-jwt",
            "--type",
            VCT,
            "--count",
            "2",
            "--text",
            s(&offer),
        ],
        &[],
    )
    .expect_code(0);
    let proof = scratch.path("proof.txt");
    let anchor = other.join("iaca.cert.pem");
    let accept = |extra: &[&str]| {
        let mut args = vec![
            "wallet",
            "accept-offer",
            "--db",
            s(&holder),
            "--offer",
            s(&offer),
            "--trust-anchor",
            s(&anchor),
            "--text",
            s(&proof),
        ];
        args.extend_from_slice(extra);
        with_pin(&args)
    };
    let refused = accept(&["--yes"]).expect_code(1);
    assert!(
        refused.stdout.contains("UNKNOWN ISSUER"),
        "{}",
        refused.stdout
    );
    assert!(!proof.exists());
    // No terminal, no --yes: consent cannot be asked.
    accept(&["--accept-unknown-issuer"]).expect_code(2);
    assert!(!proof.exists());
    accept(&["--accept-unknown-issuer", "--yes"]).expect_code(0);
    let claims = scratch.write("claims.json", CLAIMS);
    let batch = scratch.path("batch.txt");
    laissez(
        &[
            "issuer",
            "deliver",
            "--issuer",
            s(&issuer),
            "--proof",
            s(&proof),
            "--claims",
            s(&claims),
            "--text",
            s(&batch),
        ],
        &[],
    )
    .expect_code(0);
    // Another desk never made this offer.
    laissez(
        &[
            "issuer",
            "deliver",
            "--issuer",
            s(&other),
            "--proof",
            s(&proof),
            "--claims",
            s(&claims),
            "--text",
            s(&scratch.path("x.txt")),
        ],
        &[],
    )
    .expect_code(1);
    // Another wallet has no pending offer for this batch.
    let stranger = scratch.path("stranger.db");
    init_wallet(&stranger);
    with_pin(&["wallet", "receive", "--db", s(&stranger), s(&batch)]).expect_code(1);
    // A damaged code is bad input.
    let mut text = std::fs::read_to_string(&batch).unwrap();
    text.insert_str(10, "??");
    let damaged = scratch.write("damaged.txt", text.as_bytes());
    with_pin(&["wallet", "receive", "--db", s(&holder), s(&damaged)]).expect_code(2);
    with_pin(&["wallet", "receive", "--db", s(&holder), s(&batch)]).expect_code(0);
}
