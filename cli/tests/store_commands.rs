//! `laissez store ...` end to end: put, get, find, count, delete, and bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Scratch, init_wallet, laissez, s, with_pin};

/// `store put` with the test PIN.
fn put_run(db: &str, kind: &str, tags: &[&str], body: &str) -> common::Run {
    let mut args = vec![
        "store",
        "put",
        "--db",
        db,
        "--kind",
        kind,
        "--body-file",
        body,
    ];
    for tag in tags {
        args.extend(["--tag", tag]);
    }
    with_pin(&args)
}

fn put(db: &str, kind: &str, tags: &[&str], body: &str) -> String {
    let run = put_run(db, kind, tags, body).expect_code(0);
    let id = run.stdout.trim().to_string();
    assert_eq!(id.len(), 32, "{}", run.stdout);
    id
}

#[test]
fn put_get_find_count_delete() {
    let scratch = Scratch::new();
    let db_path = scratch.path("w.db");
    init_wallet(&db_path);
    let db = s(&db_path);
    let body: Vec<u8> = (0u8..=255).chain(*b"{\"x\":1}").collect();
    let body_file = scratch.write("body.bin", &body);
    let a = put(
        db,
        "attestation",
        &["issuer=iom", "type=registration"],
        s(&body_file),
    );
    let b = put(
        db,
        "attestation",
        &["issuer=unhcr", "type=registration"],
        s(&body_file),
    );
    let c = put(
        db,
        "attestation",
        &["issuer=iom", "type=clinic=card"],
        s(&body_file),
    );

    // Raw bytes by default, byte for byte.
    let got = with_pin(&["store", "get", "--db", db, &a]).expect_code(0);
    assert_eq!(got.raw_stdout, body);
    // JSON: id, kind, tags, times, base64 body.
    let got = with_pin(&["store", "get", "--db", db, &c, "--json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    assert_eq!(v["id"], c.as_str());
    assert_eq!(v["kind"], "attestation");
    assert_eq!(v["tags"][1]["name"], "type");
    assert_eq!(v["tags"][1]["value"], "clinic=card");
    assert!(v["created_at"].as_i64().unwrap() > 1_600_000_000);
    assert_eq!(v["updated_at"], v["created_at"]);
    assert!(v["body_base64"].as_str().unwrap().starts_with("AAECAwQF"));

    let found = with_pin(&[
        "store",
        "find",
        "--db",
        db,
        "--kind",
        "attestation",
        "--tag",
        "issuer=iom",
    ])
    .expect_code(0);
    let lines: Vec<&str> = found.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", found.stdout);
    assert_eq!(lines[0], format!("{a}  issuer=iom type=registration"));
    assert!(lines[1].starts_with(&c));

    // Paging: one at a time, following the cursor.
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let mut args = vec![
            "store",
            "find",
            "--db",
            db,
            "--kind",
            "attestation",
            "--limit",
            "1",
            "--json",
        ];
        if let Some(cursor) = &after {
            args.extend(["--after", cursor]);
        }
        let page = with_pin(&args).expect_code(0);
        let v: serde_json::Value = serde_json::from_str(&page.stdout).unwrap();
        for r in v["records"].as_array().unwrap() {
            seen.push(r["id"].as_str().unwrap().to_string());
        }
        match v["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, vec![a.clone(), b.clone(), c.clone()]);

    let count = |tags: &[&str]| {
        let mut args = vec!["store", "count", "--db", db, "--kind", "attestation"];
        for tag in tags {
            args.extend(["--tag", tag]);
        }
        with_pin(&args)
            .expect_code(0)
            .stdout
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    assert_eq!(count(&[]), 3);
    assert_eq!(count(&["type=registration"]), 2);
    assert_eq!(count(&["issuer=iom", "type=registration"]), 1);
    assert_eq!(count(&["issuer=nobody"]), 0);

    let run = with_pin(&["store", "delete", "--db", db, &b]).expect_code(0);
    assert_eq!(run.stdout.trim(), format!("deleted {b}"));
    assert_eq!(count(&[]), 2);
}

#[test]
fn body_from_standard_input() {
    let scratch = Scratch::new();
    let db_path = scratch.path("w.db");
    init_wallet(&db_path);
    // stdin is /dev/null in these runs: an empty body is a valid body.
    let id = put(s(&db_path), "note", &[], "-");
    let got = with_pin(&["store", "get", "--db", s(&db_path), &id]).expect_code(0);
    assert!(got.raw_stdout.is_empty());
}

#[test]
fn not_found_exits_1() {
    let scratch = Scratch::new();
    let db_path = scratch.path("w.db");
    init_wallet(&db_path);
    let db = s(&db_path);
    let missing = "00112233445566778899aabbccddeeff";
    let run = with_pin(&["store", "get", "--db", db, missing]).expect_code(1);
    assert_eq!(run.stderr.trim(), "laissez: record not found");
    assert!(run.stdout.is_empty());
    with_pin(&["store", "delete", "--db", db, missing]).expect_code(1);
}

#[test]
fn bad_input_exits_2() {
    let scratch = Scratch::new();
    let db_path = scratch.path("w.db");
    init_wallet(&db_path);
    let db = s(&db_path);
    let body = scratch.write("b.json", b"{}");

    // Tag syntax is checked by the argument parser.
    for bad in ["novalue", "=value"] {
        let run = with_pin(&[
            "store",
            "put",
            "--db",
            db,
            "--kind",
            "k",
            "--tag",
            bad,
            "--body-file",
            s(&body),
        ])
        .expect_code(2);
        assert!(run.stderr.contains("NAME=VALUE"), "{}", run.stderr);
    }
    let run = with_pin(&["store", "count", "--db", db, "--kind", "k", "--tag", "x"]).expect_code(2);
    assert!(run.stderr.contains("NAME=VALUE"));

    // A missing body file is reported before the wallet is unlocked.
    let missing = scratch.path("nope.json");
    let run = with_pin(&[
        "store",
        "put",
        "--db",
        db,
        "--kind",
        "k",
        "--body-file",
        s(&missing),
    ])
    .expect_code(2);
    assert!(
        run.stderr.starts_with("laissez: cannot read the body file"),
        "{}",
        run.stderr
    );

    // Ids, cursors, limits and kinds.
    let run = with_pin(&["store", "get", "--db", db, "not-an-id"]).expect_code(2);
    assert_eq!(
        run.stderr.trim(),
        "laissez: invalid input: a record id is 32 hexadecimal digits"
    );
    with_pin(&["store", "find", "--db", db, "--kind", "k", "--after", "-3"]).expect_code(2);
    with_pin(&["store", "find", "--db", db, "--kind", "k", "--limit", "0"]).expect_code(2);
    with_pin(&[
        "store", "find", "--db", db, "--kind", "k", "--limit", "1001",
    ])
    .expect_code(2);
    with_pin(&["store", "count", "--db", db, "--kind", ""]).expect_code(2);
    let long_kind = "k".repeat(65);
    with_pin(&[
        "store",
        "put",
        "--db",
        db,
        "--kind",
        &long_kind,
        "--body-file",
        s(&body),
    ])
    .expect_code(2);

    // Usage errors (clap) also exit 2.
    with_pin(&["store", "put", "--db", db, "--kind", "k"]).expect_code(2);
    with_pin(&["store", "frobnicate"]).expect_code(2);
}

#[test]
fn the_kind_put_help_gives_as_an_example_is_accepted() {
    let help = laissez(&["store", "put", "--help"], &[])
        .expect_code(0)
        .stdout;
    let example = help
        .split("e.g. `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no example kind in:\n{help}"));
    let scratch = Scratch::new();
    let db_path = scratch.path("w.db");
    init_wallet(&db_path);
    let body = scratch.write("body.bin", b"hello");
    put(s(&db_path), example, &[], s(&body));
    // The kinds it says belong to the wallet are the ones refused.
    for reserved in ["credential", "holder_key", "disclosure"] {
        assert!(help.contains(&format!("`{reserved}`")), "{help}");
        let run = put_run(s(&db_path), reserved, &[], s(&body)).expect_code(2);
        assert!(
            run.stderr.contains("laissez wallet import"),
            "{}",
            run.stderr
        );
    }
}
