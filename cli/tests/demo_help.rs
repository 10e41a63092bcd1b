//! `laissez demo` and `--help` on every command.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Scratch, laissez, s};

#[test]
fn demo_checks_every_step_and_exits_0() {
    let run = laissez(&["demo"], &[]).expect_code(0);
    assert!(run.stdout.contains("[32/32]"), "{}", run.stdout);
    assert!(run.stdout.contains("checks passed"), "{}", run.stdout);
    assert!(run.stdout.contains("refused: wrong PIN: 4 attempts left"));
    // The credentials part: both formats verified, refusals with their reason codes.
    assert!(run.stdout.contains("sd-jwt VALID"), "{}", run.stdout);
    assert!(run.stdout.contains("mdoc   VALID"), "{}", run.stdout);
    assert!(
        run.stdout.contains("INVALID (wrong_nonce)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("INVALID (digest_mismatch)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Prénom"), "{}", run.stdout);
    // The QR exchange part: verdicts from scanned PNGs, a replay and a revocation refused.
    assert!(run.stdout.contains("not revoked, data"), "{}", run.stdout);
    assert!(run.stdout.contains("INVALID (replay)"), "{}", run.stdout);
    assert!(run.stdout.contains("INVALID (revoked)"), "{}", run.stdout);
    // The static flow, bound to the verifier's identifier from its poster.
    assert!(run.stdout.contains("poster shows"), "{}", run.stdout);
    assert!(
        run.stdout.contains("not bound to this verifier"),
        "{}",
        run.stdout
    );
    // Offline issuance: the offer read against the trust list, an impostor shown as unknown,
    // the batch as frames, the portrait in the verdict, two copies that nothing links.
    assert!(
        run.stdout
            .contains("offer from IOM Agadez field office (trusted)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("UNKNOWN ISSUER"), "{}", run.stdout);
    assert!(run.stdout.contains("3 copies, 3 left"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("JPEG, 1179 bytes, signed by the issuer"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("copies left 1, then 0"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(": 0 shared 16-byte strings"),
        "{}",
        run.stdout
    );
    // Verifiers the holder can trust: the certified desk shown from its certificate, never
    // from the request's own text; a forger's and a relay's request shown unverified.
    assert!(
        run.stdout
            .contains("VERIFIED Agadez reception desk (IOM) (NE), certified by"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("beyond its registered scope: nationality"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("UNVERIFIED (certificate_for_another_key): calls itself"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("UNVERIFIED (bad_signature)"),
        "{}",
        run.stdout
    );
    // An identity card the person already carries (Claim 169).
    assert!(
        run.stdout
            .contains("verdict: VALID from Civil Registry of Kenya (demo)"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn demo_in_a_folder_keeps_the_wallet_and_will_not_overwrite_it() {
    let scratch = Scratch::new();
    let dir = scratch.path("demo");
    let args = ["demo", "--dir", s(&dir), "--insecure-fast-kdf"];
    laissez(&args, &[]).expect_code(0);
    let db = dir.join("laissez-demo.db");
    assert!(db.exists());
    let info = laissez(&["wallet", "info", "--db", s(&db), "--json"], &[]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&info.stdout).unwrap();
    // 4 attestations and notes, 1 holder key, 2 credentials, 2 disclosures, then 3 more
    // disclosures in the QR exchange and 2 static presentations; then offline issuance: 3
    // holder keys, 1 credential holding the 3 copies, and 3 disclosures (one per copy); then
    // verifiers the holder can trust: the installed trust list, the security manifest that
    // keeps it from being rolled back, the certificate of the verified verifier it answered,
    // and 1 disclosure; then the identity card kept, and its showing in the history.
    assert_eq!(v["record_count"], 27);
    assert!(dir.join("issuer").join("issuer.cert.pem").exists());
    // The exchange's images and the verifier's own store are kept too.
    assert!(dir.join("request-sd-jwt.png").exists());
    assert!(dir.join("request-mdoc.png").exists());
    assert!(dir.join("laissez-verifier.db").exists());
    let again = laissez(&args, &[]).expect_code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    // The demo's new PIN opens the kept wallet.
    laissez(
        &["store", "count", "--db", s(&db), "--kind", "attestation"],
        &[("LAISSEZ_PIN", "1357")],
    )
    .expect_code(0);
    // ... and its credentials are there.
    let list = laissez(
        &["wallet", "list", "--db", s(&db), "--json"],
        &[("LAISSEZ_PIN", "1357")],
    )
    .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    // The two imported from files, and the one issued at the desk (its copies used up).
    let credentials = v["credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), 3);
    assert!(
        credentials
            .iter()
            .any(|c| c["copies_total"] == 3 && c["copies_left"] == 0)
    );
}

#[test]
fn every_command_has_help() {
    let commands: &[&[&str]] = &[
        &[],
        &["wallet"],
        &["wallet", "init"],
        &["wallet", "info"],
        &["wallet", "change-pin"],
        &["wallet", "recover"],
        &["wallet", "rekey"],
        &["wallet", "holder-key"],
        &["wallet", "import"],
        &["wallet", "list"],
        &["wallet", "show"],
        &["wallet", "delete"],
        &["wallet", "history"],
        &["wallet", "present"],
        &["wallet", "present-static"],
        &["verifier", "id"],
        &["issuer"],
        &["issuer", "new"],
        &["issuer", "issue"],
        &["verify-presentation"],
        &["store"],
        &["store", "put"],
        &["store", "get"],
        &["store", "find"],
        &["store", "count"],
        &["store", "delete"],
        &["demo"],
    ];
    for path in commands {
        let mut args = path.to_vec();
        args.push("--help");
        let run = laissez(&args, &[]).expect_code(0);
        assert!(
            run.stdout.contains("Usage: laissez"),
            "{args:?}: {}",
            run.stdout
        );
        let about = run.stdout.lines().next().unwrap_or_default();
        assert!(about.len() > 20, "{args:?} has no one-line about: {about}");
        assert!(
            !run.stdout.contains("insecure"),
            "{args:?} shows the hidden flag"
        );
    }
    let top = laissez(&["--help"], &[]).expect_code(0);
    assert!(top.stdout.contains("LAISSEZ_PIN"));
    assert!(top.stdout.contains("Exit codes"));
    // The benchmarks live in their own binary, `laissez-bench`: none in the user's.
    assert!(!top.stdout.contains("bench"), "{}", top.stdout);
    let gone = laissez(&["bench", "store", "--help"], &[]).expect_code(2);
    assert!(
        gone.stderr.contains("unrecognized subcommand"),
        "{}",
        gone.stderr
    );
    laissez(&[], &[]).expect_code(2);
}
