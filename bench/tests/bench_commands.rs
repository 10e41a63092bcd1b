//! `laissez-bench`: each benchmark's JSON (small runs), the plain-SQLite baseline and its
//! ratios, the table forms, and `--help` on every command.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Stdio};

/// What one run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs laissez-bench with `args` (stdin closed); panics with both streams unless it exits
/// with `code`.
fn bench(args: &[&str], code: i32) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_laissez-bench"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("cannot start laissez-bench");
    let run = Run {
        code: output.status.code().expect("killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_eq!(
        run.code, code,
        "{args:?}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not one JSON object ({e}):\n{}", run.stdout))
}

#[test]
fn credentials_json_has_the_expected_fields() {
    let run = bench(&["credentials", "--reps", "5", "--json"], 0);
    let v = json(&run);
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
    let table = bench(&["credentials", "--reps", "5"], 0);
    assert!(
        table.stdout.contains("verify one presentation"),
        "{}",
        table.stdout
    );
}

#[test]
fn chains_json_has_the_expected_fields() {
    let run = bench(&["chains", "--reps", "5", "--anchors", "3", "--json"], 0);
    let v = json(&run);
    assert_eq!(v["tool"], "laissez");
    assert_eq!(v["reps"], 5);
    for format in ["sd_jwt", "mdoc"] {
        for field in [
            "root_us",
            "root_p95_us",
            "signer_certificate_us",
            "signer_certificate_p95_us",
            "pinned_key_us",
            "pinned_key_p95_us",
            "root_over_pinned_key",
        ] {
            let x = v[format][field]
                .as_f64()
                .unwrap_or_else(|| panic!("{format}.{field} missing"));
            assert!(x > 0.0, "{format}.{field} = {x}");
        }
        assert!(v[format]["presentation_bytes"].as_u64().unwrap() > 1000);
    }
    assert_eq!(v["sd_jwt"]["format"], "sd-jwt");
    assert_eq!(v["mdoc"]["format"], "mdoc");
    let t = &v["trust_list"];
    assert_eq!(t["anchors"], 3);
    let size = |field: &str| t[field].as_u64().unwrap();
    assert!(size("anchor_certificate_bytes") > 300);
    // Each anchor's certificate travels in the list, and each signer certificate adds more.
    assert!(size("roots_only_bytes") > 3 * size("anchor_certificate_bytes"));
    assert!(
        size("with_signer_bytes") > size("roots_only_bytes") + 3 * size("signer_certificate_bytes")
    );
    let table = bench(&["chains", "--reps", "5", "--anchors", "2"], 0);
    assert!(
        table.stdout.contains("root / pinned key"),
        "{}",
        table.stdout
    );
}

#[test]
fn store_json_has_the_expected_fields() {
    let run = bench(&["store", "--records", "200", "--json"], 0);
    let v = json(&run);
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
fn store_runs_the_plain_sqlite_baseline_and_reports_ratios() {
    let run = bench(&["store", "--records", "100", "--reps", "1", "--json"], 0);
    let v = json(&run);
    let plain = &v["plain_sqlite"];
    assert!(plain["sqlite_version"].as_str().unwrap().starts_with('3'));
    assert_eq!(plain["insert_tx_each_records"], 10);
    let operations = [
        "insert_one_tx",
        "insert_tx_each",
        "get_hit",
        "get_miss",
        "query_1pct",
        "query_10pct",
        "query_and",
        "count_all",
        "count_tag_10pct",
        "count_tag_1pct",
        "count_empty_kind",
    ];
    for op in operations {
        let field = match op {
            "insert_one_tx" => "insert_one_tx_us_per_record".to_owned(),
            other => format!("{other}_us"),
        };
        let ours = v[&field].as_f64().unwrap();
        let theirs = plain[&field]
            .as_f64()
            .unwrap_or_else(|| panic!("plain_sqlite.{field} missing"));
        assert!(theirs > 0.0, "plain_sqlite.{field} = {theirs}");
        let ratio = v["ratio_to_plain_sqlite"][op]
            .as_f64()
            .unwrap_or_else(|| panic!("ratio_to_plain_sqlite.{op} missing"));
        // Rounded to two decimals: ours / theirs.
        assert!(
            (ratio - ours / theirs).abs() <= 0.006,
            "{op}: {ratio} vs {ours} / {theirs}"
        );
    }
    assert!(v["ratio_to_plain_sqlite"]["open"].as_f64().unwrap() > 0.0);
    let plain_size = plain["size_closed"]["total"].as_u64().unwrap();
    assert!(plain_size > 100 * 1500, "{plain_size}");
    assert!(v["ratio_to_plain_sqlite"]["size_closed"].as_f64().unwrap() > 0.0);
    // The table form has the comparison too.
    let table = bench(&["store", "--records", "100", "--reps", "1"], 0);
    assert!(
        table.stdout.contains("against plain SQLite"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("get by id, hit (us)"),
        "{}",
        table.stdout
    );
}

#[test]
fn qr_scan_e2e_reads_its_frame_and_bad_folders_exit_2() {
    let run = bench(&["qr-scan", "e2e"], 0);
    assert!(run.stdout.starts_with("e2e: "), "{}", run.stdout);
    let missing = bench(&["qr-scan", "dcc", "/nonexistent/dcc-qr"], 2);
    assert!(
        missing.stderr.contains("laissez-bench: "),
        "{}",
        missing.stderr
    );
}

#[test]
fn qr_scan_answer_texts_gives_one_code_and_the_sequence() {
    let dir = std::env::temp_dir().join(format!("laissez-bench-answers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("answers.json");
    let run = bench(
        &[
            "qr-scan",
            "answer-texts",
            "--chars",
            "1248,1390",
            out.to_str().unwrap(),
        ],
        0,
    );
    assert!(run.stdout.contains("2 answers"), "{}", run.stdout);
    let answers: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let versions: Vec<u64> = answers
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["version"].as_u64().unwrap())
        .collect();
    assert_eq!(versions, [23, 25]);
    for answer in answers.as_array().unwrap() {
        let chars = answer["single"].as_str().unwrap().len() as u64;
        assert!(chars >= answer["target"].as_u64().unwrap());
        assert_eq!(answer["frames"].as_array().unwrap().len(), 4);
        assert_eq!(answer["needed"], 2);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_command_has_help() {
    let commands: &[&[&str]] = &[
        &[],
        &["store"],
        &["credentials"],
        &["chains"],
        &["frames"],
        &["exchange"],
        &["backup"],
        &["qr-scan"],
        &["qr-scan", "frames"],
        &["qr-scan", "passes"],
        &["qr-scan", "continuous"],
        &["qr-scan", "profile"],
        &["qr-scan", "answer-texts"],
        &["qr-scan", "e2e"],
        &["qr-scan", "dcc"],
    ];
    for path in commands {
        let mut args = path.to_vec();
        args.push("--help");
        let run = bench(&args, 0);
        assert!(
            run.stdout.contains("Usage: laissez-bench"),
            "{args:?}: {}",
            run.stdout
        );
        let about = run.stdout.lines().next().unwrap_or_default();
        assert!(about.len() > 20, "{args:?} has no one-line about: {about}");
    }
    assert_eq!(bench(&[], 2).code, 2);
}
