//! `laissez wallet ...` end to end: init, info, change-pin, recover, rekey, and their errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{PIN, Scratch, init_wallet, laissez, s, with_pin};

#[test]
fn init_shows_24_numbered_words_once_and_info_needs_no_pin() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    let words = init_wallet(&db);
    assert!(
        words
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
    );

    let info = laissez(&["wallet", "info", "--db", s(&db)], &[]).expect_code(0);
    assert!(
        info.stdout.contains("records              0"),
        "{}",
        info.stdout
    );
    for word in &words {
        assert!(!info.stdout.contains(&format!(" {word}\n")));
    }
    let json = laissez(&["wallet", "info", "--db", s(&db), "--json"], &[]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["locked"], true);
    assert_eq!(v["record_count"], 0);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["pin_kdf"]["memory_kib"], 64);
    assert_eq!(v["failed_pin_attempts"], 0);
    assert_eq!(v["wallet_id"].as_str().unwrap().len(), 32);

    // A second init on the same path leaves the wallet alone.
    let again = laissez(
        &["wallet", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(2);
    assert!(again.stderr.starts_with("laissez: a file already exists"));
    assert!(again.stdout.is_empty());
}

#[test]
fn change_pin_replaces_the_pin() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    init_wallet(&db);
    let run = laissez(
        &[
            "wallet",
            "change-pin",
            "--db",
            s(&db),
            "--insecure-fast-kdf",
        ],
        &[("LAISSEZ_PIN", PIN), ("LAISSEZ_NEW_PIN", "97531")],
    )
    .expect_code(0);
    assert!(run.stdout.contains("PIN changed"));
    let count = ["store", "count", "--db", s(&db), "--kind", "x"];
    with_pin(&count).expect_code(1);
    laissez(&count, &[("LAISSEZ_PIN", "97531")]).expect_code(0);
}

#[test]
fn wrong_pin_exits_1_with_attempts_left() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    init_wallet(&db);
    let run = laissez(
        &["store", "count", "--db", s(&db), "--kind", "x"],
        &[("LAISSEZ_PIN", "0000")],
    )
    .expect_code(1);
    assert_eq!(
        run.stderr.trim(),
        "laissez: wrong PIN: 4 attempts left before delays, next try in 0 s"
    );
    let info = laissez(&["wallet", "info", "--db", s(&db), "--json"], &[]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&info.stdout).unwrap();
    assert_eq!(v["failed_pin_attempts"], 1);
    // A wrong current PIN also stops change-pin.
    laissez(
        &[
            "wallet",
            "change-pin",
            "--db",
            s(&db),
            "--insecure-fast-kdf",
        ],
        &[("LAISSEZ_PIN", "0000"), ("LAISSEZ_NEW_PIN", "1111")],
    )
    .expect_code(1);
}

#[test]
fn recover_with_the_words_sets_a_new_pin_and_clears_the_counter() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    let words = init_wallet(&db).join(" ");
    laissez(
        &["store", "count", "--db", s(&db), "--kind", "x"],
        &[("LAISSEZ_PIN", "0000")],
    )
    .expect_code(1);
    // Sloppy typing (case, spacing) is forgiven.
    let typed = format!("  {}\n", words.to_uppercase().replace(' ', "  "));
    let run = laissez(
        &["wallet", "recover", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_MNEMONIC", &typed), ("LAISSEZ_NEW_PIN", "8642")],
    )
    .expect_code(0);
    assert!(run.stdout.contains("Recovered"));
    laissez(
        &["store", "count", "--db", s(&db), "--kind", "x"],
        &[("LAISSEZ_PIN", "8642")],
    )
    .expect_code(0);
    let info = laissez(&["wallet", "info", "--db", s(&db), "--json"], &[]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&info.stdout).unwrap();
    assert_eq!(v["failed_pin_attempts"], 0);
}

#[test]
fn invalid_mnemonic_exits_2_and_another_wallets_exits_1() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    let other = scratch.path("other.db");
    let mut words = init_wallet(&db);
    let other_words = init_wallet(&other).join(" ");
    let recover = ["wallet", "recover", "--db", s(&db), "--insecure-fast-kdf"];

    words[3] = "notaword".into();
    let run = laissez(
        &recover,
        &[
            ("LAISSEZ_MNEMONIC", &words.join(" ")),
            ("LAISSEZ_NEW_PIN", "8642"),
        ],
    )
    .expect_code(2);
    assert_eq!(
        run.stderr.trim(),
        "laissez: invalid mnemonic: word 4 is not in the BIP39 English list"
    );
    assert!(!run.stderr.contains("notaword"));
    let run = laissez(
        &recover,
        &[
            ("LAISSEZ_MNEMONIC", "abandon abandon abandon"),
            ("LAISSEZ_NEW_PIN", "8642"),
        ],
    )
    .expect_code(2);
    assert!(run.stderr.contains("expected 24 words, got 3"));
    let run = laissez(
        &recover,
        &[
            ("LAISSEZ_MNEMONIC", &other_words),
            ("LAISSEZ_NEW_PIN", "8642"),
        ],
    )
    .expect_code(1);
    assert!(run.stderr.contains("does not belong to this wallet"));
    // The original PIN still works: nothing was changed.
    with_pin(&["store", "count", "--db", s(&db), "--kind", "x"]).expect_code(0);
}

#[test]
fn rekey_reports_the_records_it_reencrypted() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    init_wallet(&db);
    let body = scratch.write("body.json", br#"{"n":1}"#);
    let put = [
        "store",
        "put",
        "--db",
        s(&db),
        "--kind",
        "note",
        "--tag",
        "t=1",
        "--body-file",
        s(&body),
    ];
    let id = with_pin(&put).expect_code(0).stdout.trim().to_string();
    with_pin(&put).expect_code(0);
    let run = with_pin(&["wallet", "rekey", "--db", s(&db)]).expect_code(0);
    assert_eq!(run.stdout.trim(), "New data key: 2 records re-encrypted");
    let got = with_pin(&["store", "get", "--db", s(&db), &id]).expect_code(0);
    assert_eq!(got.raw_stdout, br#"{"n":1}"#);
    let count = with_pin(&[
        "store",
        "count",
        "--db",
        s(&db),
        "--kind",
        "note",
        "--tag",
        "t=1",
    ]);
    assert_eq!(count.expect_code(0).stdout.trim(), "2");
}

#[test]
fn no_terminal_and_no_variable_exits_2_instead_of_waiting() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    // init asks before creating anything: no half-made file is left.
    let run = laissez(&["wallet", "init", "--db", s(&db)], &[]).expect_code(2);
    assert_eq!(
        run.stderr.trim(),
        "laissez: no terminal to ask for the new PIN: set LAISSEZ_PIN"
    );
    assert!(!db.exists());

    init_wallet(&db);
    let run = laissez(&["store", "count", "--db", s(&db), "--kind", "x"], &[]).expect_code(2);
    assert!(run.stderr.contains("set LAISSEZ_PIN"), "{}", run.stderr);
    let run = laissez(
        &["wallet", "recover", "--db", s(&db)],
        &[("LAISSEZ_NEW_PIN", "8642")],
    )
    .expect_code(2);
    assert!(
        run.stderr.contains("set LAISSEZ_MNEMONIC"),
        "{}",
        run.stderr
    );
    let run = laissez(
        &["wallet", "change-pin", "--db", s(&db)],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(2);
    assert!(run.stderr.contains("set LAISSEZ_NEW_PIN"), "{}", run.stderr);
}

#[test]
fn files_that_are_not_wallets_exit_2() {
    let scratch = Scratch::new();
    let garbage = scratch.write("garbage.db", b"this is not a database at all, just text\n");
    let run = laissez(&["wallet", "info", "--db", s(&garbage)], &[]).expect_code(2);
    assert_eq!(
        run.stderr.trim(),
        "laissez: not a Laissez wallet: not an SQLite database"
    );
    // Opened before the PIN is asked: no prompt, no variable needed.
    with_pin(&["store", "count", "--db", s(&garbage), "--kind", "x"]).expect_code(2);
    assert_eq!(
        std::fs::read(&garbage).unwrap(),
        b"this is not a database at all, just text\n"
    );

    let missing = scratch.path("missing.db");
    let run = with_pin(&["store", "count", "--db", s(&missing), "--kind", "x"]).expect_code(2);
    assert_eq!(run.stderr.trim(), "laissez: no wallet file at this path");
    assert!(!missing.exists());

    let db = scratch.path("w.db");
    init_wallet(&db);
    let mut bytes = std::fs::read(&db).unwrap();
    bytes.truncate(bytes.len() / 2);
    let cut = scratch.write("cut.db", &bytes);
    let run = laissez(&["wallet", "info", "--db", s(&cut)], &[]).expect_code(2);
    assert!(run.stderr.contains("damaged"), "{}", run.stderr);
}

#[test]
fn a_short_pin_is_bad_input() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    let run = laissez(
        &["wallet", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", "12")],
    )
    .expect_code(2);
    assert!(
        run.stderr.starts_with("laissez: invalid PIN"),
        "{}",
        run.stderr
    );
    assert!(!db.exists());
}
