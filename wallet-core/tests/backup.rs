//! Backup and restore with the 24 words: everything comes back and presents again; merges
//! skip duplicates; every kind of bad input has its own error and leaves the wallet as it was;
//! the phone-to-phone transfer through QR frames, with frames of two backups mixed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::StoreError;
use wallet_core::backup::{self, BackupError};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::qr::QrError;
use wallet_core::qr::frames::{FrameAssembler, FrameOptions, FrameProgress, encode_for_display};
use wallet_core::store::{NewRecord, StoreOptions, Tag, WalletStore};
use wallet_core::verifier::{
    ExpectedBinding, TrustedIssuer, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::{ImportOptions, PresentationBinding, credentials, holder_keys};

const NOW: i64 = 1_790_000_000;

fn options() -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

/// A wallet with two credentials of each format, one presented (a disclosure), and a note.
struct Old {
    dir: tempfile::TempDir,
    store: WalletStore,
    phrase: RecoveryPhrase,
    issuer: IssuerIdentity,
}

fn issue(store: &mut WalletStore, issuer: &IssuerIdentity, format: CredentialFormat, name: &str) {
    let key = holder_keys::default_key(store).unwrap();
    let claims = json!({"given_name": name, "family_name": "Haddad", "nationality": "SD"});
    let issued = issue_credential(
        issuer,
        &CredentialOrder {
            format,
            credential_type: "org.laissez.id.1".into(),
            claims: claims.as_object().cloned().unwrap(),
            holder_key: key.public_key,
            valid_days: 30,
            status: None,
            now: NOW,
            portrait: None,
        },
    )
    .unwrap();
    let options = ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata: None,
    };
    credentials::import(store, &issued, &options).unwrap();
}

fn old_wallet() -> Old {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, phrase) =
        WalletStore::create(dir.path().join("old.db"), "2468", options()).unwrap();
    let issuer = IssuerIdentity::generate("IOM", NOW - 10, 3650).unwrap();
    for (format, name) in [
        (CredentialFormat::SdJwt, "Amina"),
        (CredentialFormat::Mdoc, "Amina"),
        (CredentialFormat::SdJwt, "Samir"),
    ] {
        issue(&mut store, &issuer, format, name);
    }
    let id = credentials::list(&store).unwrap()[0].id;
    credentials::present(
        &mut store,
        id,
        &["given_name".into()],
        &PresentationBinding::NonceAudience {
            nonce: "n".into(),
            audience: "a".into(),
        },
        NOW,
        None,
    )
    .unwrap();
    store
        .put(&NewRecord {
            kind: "note".into(),
            tags: vec![Tag::new("topic", "clinic")],
            body: b"Clinic on Tuesday".to_vec(),
        })
        .unwrap();
    Old {
        dir,
        store,
        phrase,
        issuer,
    }
}

fn new_wallet(old: &Old, name: &str, phrase: &RecoveryPhrase) -> WalletStore {
    WalletStore::create_with_phrase(old.dir.path().join(name), "1357", phrase, options()).unwrap()
}

/// Presents every credential of `store` and checks each verdict is VALID.
fn all_present(store: &mut WalletStore, issuer: &IssuerIdentity) {
    let trusted = [TrustedIssuer::from_bytes(&issuer.certificate).unwrap()];
    let held = credentials::list(store).unwrap();
    assert!(!held.is_empty());
    for credential in held {
        let presentation = credentials::present(
            store,
            credential.id,
            &["given_name".into()],
            &PresentationBinding::NonceAudience {
                nonce: "n-2".into(),
                audience: "desk".into(),
            },
            NOW + 5,
            None,
        )
        .unwrap();
        let verdict = verify_presentation(&VerificationRequest {
            presentation: &presentation.bytes,
            binding: &ExpectedBinding::NonceAudience {
                nonce: "n-2".into(),
                audience: "desk".into(),
            },
            trusted: &trusted,
            now: NOW + 6,
            lang: "en",
            type_metadata: &[],
            status_lists: &[],
            max_status_age_secs: 3_600,
            holder_high_s: wallet_core::verifier::HighS::Refuse,
        });
        assert!(
            verdict.valid,
            "{:?} {:?}",
            credential.format, verdict.reasons
        );
    }
}

#[test]
fn a_new_phone_gets_everything_back_from_the_words_and_the_backup() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW + 1).unwrap();
    // The header speaks without the words, and says nothing personal.
    let header = backup::read_header(&bytes).unwrap();
    assert_eq!(header.version, 1);
    assert_eq!(header.created_at, NOW + 1);
    assert_eq!(header.counts.credentials, 3);
    assert_eq!(header.counts.holder_keys, 1);
    assert_eq!(header.counts.disclosures, 1);
    assert_eq!(header.counts.other, 1);
    for secret in ["Amina", "Samir", "Clinic", "clinic", "note", "credential"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in clear"
        );
    }

    // The new phone: the 24 words typed in, the backup opened before any wallet exists.
    let typed = RecoveryPhrase::parse(&old.phrase.phrase()).unwrap();
    let contents = backup::open_with_phrase(&bytes, &typed).unwrap();
    let mut new = new_wallet(&old, "new.db", &typed);
    let mut calls = 0;
    let report = backup::restore(&mut new, &contents, &mut |_, _| calls += 1).unwrap();
    assert!(calls >= 1);
    assert_eq!(report.restored.total(), 6);
    assert_eq!(report.skipped_duplicates, 0);
    assert_eq!(new.info().unwrap().record_count, 6);
    all_present(&mut new, &old.issuer);
    let notes = new
        .find("note", &[Tag::new("topic", "clinic")], 10, None)
        .unwrap();
    assert_eq!(notes.records[0].body.as_slice(), b"Clinic on Tuesday");
    // The new PIN opens it; the old one does not.
    new.lock();
    assert!(new.unlock("2468").is_err());
    new.unlock("1357").unwrap();

    // Restoring again merges: nothing is duplicated (the new phone's own presentations stay).
    let held = new.info().unwrap().record_count;
    let again = backup::restore(&mut new, &contents, &mut |_, _| {}).unwrap();
    assert_eq!(again.restored.total(), 0);
    assert_eq!(again.skipped_duplicates, 6);
    assert_eq!(new.info().unwrap().record_count, held);
}

#[test]
fn restoring_into_a_wallet_that_kept_credentials_merges_without_duplicates() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW).unwrap();
    // This phone, set up from the same words, already holds a credential of its own.
    let mut other = new_wallet(&old, "kept.db", &old.phrase);
    issue(&mut other, &old.issuer, CredentialFormat::Mdoc, "Leila");
    let contents = backup::open_with_store(&bytes, &other).unwrap();
    let report = backup::restore(&mut other, &contents, &mut |_, _| {}).unwrap();
    // The holder key record is the same one (derived from the same words): skipped.
    assert_eq!(report.skipped_duplicates, 1);
    assert_eq!(credentials::list(&other).unwrap().len(), 4);
    all_present(&mut other, &old.issuer);
}

#[test]
fn wrong_words_damaged_or_future_backups_fail_and_leave_the_wallet_unchanged() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW).unwrap();

    // A valid phrase of another wallet.
    let stranger = RecoveryPhrase::generate().unwrap();
    assert!(matches!(
        backup::open_with_phrase(&bytes, &stranger),
        Err(BackupError::OtherWallet)
    ));
    let mut wrong = new_wallet(&old, "wrong.db", &stranger);
    assert!(matches!(
        backup::open_with_store(&bytes, &wrong),
        Err(BackupError::OtherWallet)
    ));
    let good = backup::open_with_phrase(&bytes, &old.phrase).unwrap();
    assert!(matches!(
        backup::restore(&mut wrong, &good, &mut |_, _| {}),
        Err(BackupError::OtherWallet)
    ));
    assert_eq!(wrong.info().unwrap().record_count, 0);

    // A wrong word, and two words swapped: the phrase itself is refused (BIP39 checksum) or,
    // should a swap keep the checksum, it is another wallet's.
    let words: Vec<String> = old
        .phrase
        .phrase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut typo = words.clone();
    typo[3] = "zzzz".into();
    assert!(RecoveryPhrase::parse(&typo.join(" ")).is_err());
    let mut swapped = words.clone();
    swapped.swap(0, 1);
    if swapped != words {
        match RecoveryPhrase::parse(&swapped.join(" ")) {
            Err(_) => {}
            Ok(phrase) => assert!(matches!(
                backup::open_with_phrase(&bytes, &phrase),
                Err(BackupError::OtherWallet)
            )),
        }
    }

    // Truncated at many lengths.
    for len in [0, 3, 4, 5, 6, 9, 40, bytes.len() / 2, bytes.len() - 1] {
        let err = backup::open_with_phrase(&bytes[..len], &old.phrase)
            .err()
            .unwrap_or_else(|| panic!("a backup cut at {len} bytes opened"));
        assert!(
            matches!(
                err,
                BackupError::Truncated | BackupError::Damaged | BackupError::NotABackup
            ),
            "{len}: {err:?}"
        );
    }
    // Every single bit flip of every byte position is refused.
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x10;
        assert!(
            backup::open_with_phrase(&bad, &old.phrase).is_err(),
            "a flip at {i} went unnoticed"
        );
    }
    // With the right words, a changed key-check byte is damage, never "other words".
    let check = backup::read_header(&bytes).unwrap().key_check;
    let mut written = vec![0x03, 0x48];
    written.extend_from_slice(&check);
    let at = bytes
        .windows(written.len())
        .position(|w| w == written.as_slice())
        .unwrap()
        + 2;
    for i in at..at + check.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        let err = backup::open_with_phrase(&bad, &old.phrase).err().unwrap();
        assert!(matches!(err, BackupError::Damaged), "byte {i}: {err:?}");
        // Another wallet's words still hear "other words".
        let err = backup::open_with_phrase(&bad, &stranger).err().unwrap();
        assert!(matches!(err, BackupError::OtherWallet), "byte {i}: {err:?}");
    }
    // A future format version, and something that is not a backup.
    let mut future = bytes.clone();
    future[4] = 2;
    assert!(matches!(
        backup::read_header(&future),
        Err(BackupError::UnsupportedVersion(2))
    ));
    assert!(matches!(
        backup::read_header(b"%PDF-1.7 not a backup"),
        Err(BackupError::NotABackup)
    ));
    // The wallet that was to receive the restore still holds exactly what it held.
    let target = new_wallet(&old, "target.db", &old.phrase);
    let before = target.info().unwrap().record_count;
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(backup::open_with_store(&flipped, &target).is_err());
    assert_eq!(target.info().unwrap().record_count, before);
}

#[test]
fn the_transfer_survives_lost_frames_and_ignores_another_backup_s_frames() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW).unwrap();
    let other_old = old_wallet();
    let other = backup::create(&other_old.store, NOW).unwrap();
    let small = FrameOptions {
        max_frame_chars: 400,
        one_code_max_chars: 0,
        repair_ratio: 1.0,
    };
    let frames = encode_for_display(&backup::to_message(bytes.clone()), &small).unwrap();
    let foreign = encode_for_display(&backup::to_message(other), &small).unwrap();
    assert!(frames.len() > 3, "{} frames", frames.len());

    // Every third frame lost; after each frame, one of another backup's: refused with its own
    // error, never mixed in.
    let mut assembler = FrameAssembler::new();
    let mut done = None;
    for (i, frame) in frames.iter().enumerate() {
        if i % 3 == 1 {
            continue;
        }
        if let Ok(FrameProgress::Complete(message)) = assembler.push(frame) {
            done = Some(message);
            break;
        }
        if let Some(f) = foreign.get(i) {
            assert!(matches!(assembler.push(f), Err(QrError::MixedMessages)));
        }
    }
    let message = done.expect("the backup was rebuilt from two thirds of its frames");
    let received = backup::from_message(&message).unwrap();
    assert_eq!(received, bytes.as_slice(), "rebuilt byte for byte");
    let contents = backup::open_with_phrase(received, &old.phrase).unwrap();
    let mut new = new_wallet(&old, "scanned.db", &old.phrase);
    backup::restore(&mut new, &contents, &mut |_, _| {}).unwrap();
    all_present(&mut new, &old.issuer);

    // The other backup, scanned whole, belongs to other words.
    let mut assembler = FrameAssembler::new();
    let theirs = foreign
        .iter()
        .find_map(|f| match assembler.push(f) {
            Ok(FrameProgress::Complete(m)) => Some(m),
            _ => None,
        })
        .unwrap();
    assert!(matches!(
        backup::open_with_phrase(backup::from_message(&theirs).unwrap(), &old.phrase),
        Err(BackupError::OtherWallet)
    ));
}

#[test]
fn restore_new_wallet_makes_a_wallet_holding_the_backup() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW).unwrap();
    let contents = backup::open_with_phrase(&bytes, &old.phrase).unwrap();
    let path = old.dir.path().join("restored.db");
    let mut calls = 0;
    let (mut new, report) = backup::restore_new_wallet(
        &path,
        &old.phrase,
        "1357",
        &contents,
        options(),
        &mut |_, _| calls += 1,
    )
    .unwrap();
    assert!(calls >= 2);
    assert_eq!(report.restored.total(), 6);
    assert_eq!(new.info().unwrap().record_count, 6);
    all_present(&mut new, &old.issuer);
    new.lock();
    new.unlock("1357").unwrap();
}

#[test]
fn restore_new_wallet_with_another_wallet_s_words_leaves_no_file() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW).unwrap();
    let contents = backup::open_with_phrase(&bytes, &old.phrase).unwrap();
    let other = RecoveryPhrase::generate().unwrap();
    let path = old.dir.path().join("restored.db");
    let err =
        backup::restore_new_wallet(&path, &other, "1357", &contents, options(), &mut |_, _| {})
            .map(|_| ())
            .unwrap_err();
    assert!(matches!(err, BackupError::OtherWallet), "{err:?}");
    for file in wallet_core::store::wallet_files(&path) {
        assert!(!file.exists(), "{} left behind", file.display());
    }
}

#[test]
fn restore_new_wallet_refuses_an_existing_file_and_leaves_it_untouched() {
    let old = old_wallet();
    let bytes = backup::create(&old.store, NOW).unwrap();
    let contents = backup::open_with_phrase(&bytes, &old.phrase).unwrap();
    let path = old.dir.path().join("taken.db");
    std::fs::write(&path, b"the app's own file").unwrap();
    let err = backup::restore_new_wallet(
        &path,
        &old.phrase,
        "1357",
        &contents,
        options(),
        &mut |_, _| {},
    )
    .map(|_| ())
    .unwrap_err();
    assert!(
        matches!(err, BackupError::Store(StoreError::AlreadyExists)),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"the app's own file");
}
