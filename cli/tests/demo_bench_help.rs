//! `laissez demo`, `laissez bench store` and `--help` on every command.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Scratch, laissez, s};

#[test]
fn demo_checks_every_step_and_exits_0() {
    let run = laissez(&["demo"], &[]).expect_code(0);
    assert!(run.stdout.contains("[20/20]"), "{}", run.stdout);
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
    // disclosures in the QR exchange.
    assert_eq!(v["record_count"], 12);
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
    assert_eq!(v["credentials"].as_array().unwrap().len(), 2);
}

#[test]
fn bench_credentials_json_has_the_expected_fields() {
    let run = laissez(&["bench", "credentials", "--reps", "5", "--json"], &[]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not one JSON object ({e}):\n{}", run.stdout));
    assert_eq!(v["tool"], "laissez");
    assert_eq!(v["reps"], 5);
    assert_eq!(v["claims_total"], 6);
    assert_eq!(v["claims_disclosed"], 3);
    assert!(v["machine"]["nproc"].as_u64().unwrap() >= 1);
    for format in ["sd_jwt", "mdoc"] {
        for field in [
            "issue_us",
            "issue_p95_us",
            "import_us",
            "import_p95_us",
            "store_put_us",
            "store_put_p95_us",
            "present_us",
            "present_p95_us",
            "verify_us",
            "verify_p95_us",
        ] {
            let x = v[format][field]
                .as_f64()
                .unwrap_or_else(|| panic!("{format}.{field} missing"));
            assert!(x > 0.0, "{format}.{field} = {x}");
        }
        let size = |field: &str| v[format][field].as_u64().unwrap();
        assert!(size("presentation_bytes") > 100);
        assert!(size("issued_bytes") > size("issued_bytes_no_display"));
        assert!(size("presentation_bytes_no_display") > 100);
    }
    assert_eq!(v["sd_jwt"]["format"], "sd-jwt");
    assert_eq!(v["mdoc"]["format"], "mdoc");
    // The table form prints the same operations.
    let table = laissez(&["bench", "credentials", "--reps", "5"], &[]).expect_code(0);
    assert!(
        table.stdout.contains("verify one presentation"),
        "{}",
        table.stdout
    );
}

#[test]
fn bench_store_json_has_the_expected_fields() {
    let run = laissez(&["bench", "store", "--records", "200", "--json"], &[]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not one JSON object ({e}):\n{}", run.stdout));
    assert_eq!(v["records"], 200);
    assert_eq!(v["tool"], "laissez");
    assert_eq!(v["value_bytes_avg"], 1500);
    assert_eq!(v["query_1pct_rows"], 2);
    assert_eq!(v["query_10pct_rows"], 20);
    assert_eq!(v["query_and_rows"], 10);
    assert_eq!(v["insert_tx_each_records"], 20);
    for field in [
        "create_phone_ms",
        "create_fast_ms",
        "unlock_phone_ms",
        "unlock_fast_ms",
        "insert_one_tx_total_ms",
        "insert_one_tx_us_per_record",
        "insert_tx_each_total_ms",
        "insert_tx_each_us",
        "insert_tx_each_p95_us",
        "get_hit_us",
        "get_hit_p95_us",
        "get_miss_us",
        "get_miss_p95_us",
        "query_1pct_us",
        "query_10pct_us",
        "query_and_us",
        "count_all_us",
        "count_tag_10pct_us",
        "count_tag_1pct_us",
        "count_empty_kind_us",
        "rekey_ms",
    ] {
        let x = v[field]
            .as_f64()
            .unwrap_or_else(|| panic!("{field} missing"));
        assert!(x > 0.0, "{field} = {x}");
    }
    assert!(v["machine"]["nproc"].as_u64().unwrap() >= 1);
    assert!(v["machine"]["cpu_model"].is_string());
    assert!(v["size_closed"]["total"].as_u64().unwrap() > 200 * 1500);
    assert_eq!(v["kdf_phone"]["memory_kib"], 65536);
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
        &["bench"],
        &["bench", "store"],
        &["bench", "credentials"],
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
    laissez(&[], &[]).expect_code(2);
}
