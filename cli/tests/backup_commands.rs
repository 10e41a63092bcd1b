//! `laissez wallet backup` and `laissez wallet restore`: to a file and QR frames, onto a new
//! wallet from the 24 words and merged into one, and every bad input with its exit code and
//! no wallet file left behind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{PIN, Scratch, init_wallet, laissez, s, with_pin};

const NEW_PIN: &str = "1357";

/// A wallet holding an SD-JWT VC and an mdoc, one of them presented once; its words.
struct Old {
    scratch: Scratch,
    db: PathBuf,
    words: String,
}

fn old_wallet() -> Old {
    let scratch = Scratch::new();
    let db = scratch.path("old.db");
    let words = init_wallet(&db).join(" ");
    let issuer = scratch.path("issuer");
    laissez(&["issuer", "new", "--out", s(&issuer)], &[]).expect_code(0);
    let key = scratch.path("holder.jwk");
    with_pin(&["wallet", "holder-key", "--db", s(&db), "--out", s(&key)]).expect_code(0);
    let claims = scratch.write(
        "claims.json",
        br#"{"given_name": "Amina", "family_name": "Yusuf"}"#,
    );
    for format in ["sd-jwt", "mdoc"] {
        let out = scratch.path(&format!("c-{format}"));
        laissez(
            &[
                "issuer",
                "issue",
                "--issuer",
                s(&issuer),
                "--format",
                format,
                "--type",
                "org.laissez.id.1",
                "--claims",
                s(&claims),
                "--holder-key",
                s(&key),
                "--out",
                s(&out),
            ],
            &[],
        )
        .expect_code(0);
        with_pin(&["wallet", "import", "--db", s(&db), s(&out)]).expect_code(0);
    }
    Old { scratch, db, words }
}

fn restore(db: &Path, source: &[&str], words: &str) -> common::Run {
    let mut args = vec!["wallet", "restore", "--db", s(db), "--insecure-fast-kdf"];
    args.extend(source);
    laissez(
        &args,
        &[
            ("LAISSEZ_MNEMONIC", words),
            ("LAISSEZ_NEW_PIN", NEW_PIN),
            ("LAISSEZ_PIN", NEW_PIN),
        ],
    )
}

fn credential_ids(db: &Path, pin: &str) -> Vec<String> {
    let run = laissez(
        &["wallet", "list", "--db", s(db), "--json"],
        &[("LAISSEZ_PIN", pin)],
    )
    .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    json["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

fn gone(db: &Path) -> bool {
    ["", "-wal", "-shm"].iter().all(|suffix| {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        !Path::new(&p).exists()
    })
}

#[test]
fn a_new_wallet_from_the_words_gets_everything_back_from_a_file_or_frames() {
    let old = old_wallet();
    let file = old.scratch.path("wallet.backup");
    let frames = old.scratch.path("frames");
    let run = with_pin(&[
        "wallet",
        "backup",
        "--db",
        s(&old.db),
        "--out",
        s(&file),
        "--frames-dir",
        s(&frames),
    ])
    .expect_code(0);
    assert!(run.stdout.contains("2 credentials"), "{}", run.stdout);
    assert!(run.stdout.contains("QR frames"), "{}", run.stdout);
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(5).any(|w| w == b"Amina"), "a name in clear");

    let new = old.scratch.path("new.db");
    let run = restore(&new, &["--backup", s(&file)], &old.words).expect_code(0);
    assert!(run.stdout.contains("2 credentials"), "{}", run.stdout);
    let ids = credential_ids(&new, NEW_PIN);
    assert_eq!(ids.len(), 2);
    // Presentable again: the holder key comes back from the words.
    for id in &ids {
        laissez(
            &[
                "wallet",
                "present",
                "--db",
                s(&new),
                id,
                "--claims",
                "given_name",
                "--nonce",
                "n-1",
                "--audience",
                "desk",
                "--out",
                s(&old.scratch.path("p")),
            ],
            &[("LAISSEZ_PIN", NEW_PIN)],
        )
        .expect_code(0);
    }
    // Restoring again merges: nothing new.
    let run = restore(&new, &["--backup", s(&file)], &old.words).expect_code(0);
    assert!(run.stdout.contains("0 credentials"), "{}", run.stdout);
    assert_eq!(credential_ids(&new, NEW_PIN).len(), 2);

    // From the frames, a third of them lost.
    let all: Vec<PathBuf> = std::fs::read_dir(&frames)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    if all.len() > 3 {
        for (i, frame) in all.iter().enumerate() {
            if i % 3 == 1 {
                std::fs::remove_file(frame).unwrap();
            }
        }
    }
    let scanned = old.scratch.path("scanned.db");
    restore(&scanned, &["--frames-dir", s(&frames)], &old.words).expect_code(0);
    assert_eq!(credential_ids(&scanned, NEW_PIN).len(), 2);
}

#[test]
fn bad_words_and_bad_backups_fail_with_their_own_exit_code_and_leave_nothing() {
    let old = old_wallet();
    let file = old.scratch.path("wallet.backup");
    with_pin(&["wallet", "backup", "--db", s(&old.db), "--out", s(&file)]).expect_code(0);
    let bytes = std::fs::read(&file).unwrap();
    let new = old.scratch.path("new.db");

    // A wrong word: an invalid phrase.
    let mut words: Vec<&str> = old.words.split(' ').collect();
    let first = words[0];
    words[0] = "zzzz";
    let run = restore(&new, &["--backup", s(&file)], &words.join(" ")).expect_code(2);
    assert!(
        run.stderr.to_lowercase().contains("mnemonic") || run.stderr.contains("word"),
        "{}",
        run.stderr
    );
    assert!(gone(&new));
    words[0] = first;
    // Another wallet's valid words.
    let other = old.scratch.path("other.db");
    let other_words = init_wallet(&other).join(" ");
    let run = restore(&new, &["--backup", s(&file)], &other_words).expect_code(1);
    assert!(run.stderr.contains("other 24 words"), "{}", run.stderr);
    assert!(gone(&new));
    // Nothing of the (unauthenticated) header is printed for a backup that did not open.
    assert!(!run.stdout.contains("Backup format"), "{}", run.stdout);
    assert!(!run.stdout.contains("credentials"), "{}", run.stdout);
    // Truncated, flipped, a future version, not a backup.
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec(), "damaged"),
        (
            "flipped",
            {
                let mut b = bytes.clone();
                let last = b.len() - 3;
                b[last] ^= 4;
                b
            },
            "damaged",
        ),
        (
            "future",
            {
                let mut b = bytes.clone();
                b[4] = 9;
                b
            },
            "version 9",
        ),
        ("garbage", b"hello".to_vec(), "not a Laissez backup"),
    ];
    for (name, bad, says) in cases {
        let path = old.scratch.write(name, &bad);
        let run = restore(&new, &["--backup", s(&path)], &old.words).expect_code(2);
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
        assert!(gone(&new), "{name} left a wallet behind");
    }
    // Merging into a wallet of other words: refused, that wallet unchanged.
    let before = laissez(&["wallet", "info", "--db", s(&other), "--json"], &[])
        .expect_code(0)
        .stdout;
    let run = laissez(
        &["wallet", "restore", "--db", s(&other), "--backup", s(&file)],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(1);
    assert!(run.stderr.contains("other 24 words"), "{}", run.stderr);
    assert!(!run.stdout.contains("Backup format"), "{}", run.stdout);
    let after = laissez(&["wallet", "info", "--db", s(&other), "--json"], &[])
        .expect_code(0)
        .stdout;
    assert_eq!(before, after);
    // Frames of two backups in one folder.
    let mixed = old.scratch.path("mixed");
    with_pin(&[
        "wallet",
        "backup",
        "--db",
        s(&old.db),
        "--frames-dir",
        s(&mixed),
    ])
    .expect_code(0);
    let theirs = old.scratch.path("theirs");
    with_pin(&[
        "wallet",
        "backup",
        "--db",
        s(&other),
        "--frames-dir",
        s(&theirs),
    ])
    .expect_code(0);
    for entry in std::fs::read_dir(&theirs).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("theirs-{}", path.file_name().unwrap().to_string_lossy());
        std::fs::copy(&path, mixed.join(name)).unwrap();
    }
    let run = restore(&new, &["--frames-dir", s(&mixed)], &old.words).expect_code(2);
    assert!(run.stderr.contains("different backups"), "{}", run.stderr);
    assert!(gone(&new));
}

#[test]
fn frames_are_named_as_the_help_says() {
    let help = with_pin(&["wallet", "backup", "--help"])
        .expect_code(0)
        .stdout;
    assert!(help.contains("`frame-01.png`, `frame-02.png`"), "{help}");
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    init_wallet(&db);
    // About 2 KB that does not compress: an animated sequence of several frames.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let body: Vec<u8> = (0..2_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let body = scratch.write("body.bin", &body);
    with_pin(&[
        "store",
        "put",
        "--db",
        s(&db),
        "--kind",
        "attestation",
        "--body-file",
        s(&body),
    ])
    .expect_code(0);
    let frames = scratch.path("frames");
    with_pin(&[
        "wallet",
        "backup",
        "--db",
        s(&db),
        "--frames-dir",
        s(&frames),
        "--frame-chars",
        "200",
    ])
    .expect_code(0);
    let mut names: Vec<String> = std::fs::read_dir(&frames)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 1, "{names:?}");
    // Two digits, or as many as the count has: the names sort in display order.
    let width = names.len().to_string().len().max(2);
    let expected: Vec<String> = (1..=names.len())
        .map(|i| format!("frame-{i:0width$}.png"))
        .collect();
    assert_eq!(names, expected);
}

#[test]
fn a_version_zero_backup_is_unknown_not_newer() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    let words = init_wallet(&db).join(" ");
    let file = scratch.path("wallet.backup");
    with_pin(&["wallet", "backup", "--db", s(&db), "--out", s(&file)]).expect_code(0);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[4] = 0;
    let zero = scratch.write("zero.backup", &bytes);
    let new = scratch.path("new.db");
    let run = restore(&new, &["--backup", s(&zero)], &words).expect_code(2);
    assert!(
        run.stderr
            .contains("format version 0, which no Laissez app writes"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("newer"), "{}", run.stderr);
    assert!(gone(&new));
}
