//! Backup and restore through the binding surface, as an app would drive it: a wallet with
//! credentials of both formats backed up to bytes and to QR codes drawn into camera-like luma
//! frames, restored on a "new phone" from the 24 words and a new PIN, merged into a wallet of
//! the same words; and every kind of bad input, each leaving no file and no change behind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use laissez::*;

const PIN: &str = "2468";
const NEW_PIN: &str = "1357";
const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"#;
const VCT: &str = "urn:laissez:iom:registration:1";
const DOC_TYPE: &str = "org.iom.registration.1";

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn options() -> WalletOptions {
    WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: None,
    }
}

fn path_in(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// Whether the wallet file or any SQLite companion of it exists.
fn any_file(path: &str) -> bool {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .any(|suffix| PathBuf::from(format!("{path}{suffix}")).exists())
}

/// Records every progress call, from whichever thread.
#[derive(Default)]
struct Progress(Mutex<Vec<(u64, u64, String)>>);

impl RestoreProgress for Progress {
    fn on_progress(&self, done: u64, total: u64) {
        let thread = std::thread::current().name().unwrap_or("").to_owned();
        self.0.lock().unwrap().push((done, total, thread));
    }
}

/// The old phone: a wallet holding an SD-JWT VC and an mdoc from one issuer, one of them
/// presented once (a disclosure), and its 24 words.
struct Old {
    dir: tempfile::TempDir,
    wallet: Arc<Wallet>,
    words: String,
    issuer: Arc<TestIssuer>,
}

async fn old_phone() -> Old {
    let dir = tempfile::tempdir().unwrap();
    let created = create_wallet(path_in(dir.path(), "old.db"), PIN.into(), options())
        .await
        .unwrap();
    let wallet = created.wallet;
    let issuer = TestIssuer::create("IOM Field Office".into()).unwrap();
    let jwk = wallet.holder_key().await.unwrap().jwk;
    let sd_jwt = issuer
        .issue_sd_jwt(VCT.into(), CLAIMS.into(), jwk.clone(), None)
        .unwrap();
    let mdoc = issuer
        .issue_mdoc(DOC_TYPE.into(), CLAIMS.into(), jwk, None)
        .unwrap();
    let first = wallet
        .import_credential(sd_jwt, vec![], None)
        .await
        .unwrap();
    wallet.import_credential(mdoc, vec![], None).await.unwrap();
    wallet
        .present_credential(first.id, vec!["given_name".into()], "n".into(), "a".into())
        .await
        .unwrap();
    Old {
        dir,
        wallet,
        words: created.mnemonic_words.join(" "),
        issuer,
    }
}

/// Presents every credential of `wallet` and checks that each verifies.
async fn all_present(wallet: &Wallet, issuer: &TestIssuer) -> Vec<CredentialFormat> {
    let mut formats = vec![];
    for credential in wallet.list_credentials().await.unwrap() {
        let presentation = wallet
            .present_credential(
                credential.id,
                vec!["given_name".into()],
                "n-2".into(),
                "https://desk.example".into(),
            )
            .await
            .unwrap();
        let verdict = verify_presentation(
            presentation.bytes,
            "n-2".into(),
            "https://desk.example".into(),
            vec![issuer.certificate_der()],
            "en".into(),
            None,
        )
        .await
        .unwrap();
        assert!(verdict.valid, "{:?}", verdict.reason_codes);
        formats.push(credential.format);
    }
    formats
}

#[test]
fn a_new_phone_gets_everything_back_from_the_words_and_a_new_pin() {
    block_on(async {
        let old = old_phone().await;
        let bytes = old.wallet.backup().await.unwrap();
        let header = read_backup_header(bytes.clone()).unwrap();
        assert_eq!(header.version, 1);
        assert!(header.created_at > 1_700_000_000);
        let expected = RecordCounts {
            credentials: 2,
            holder_keys: 1,
            disclosures: 1,
            other: 0,
        };
        assert_eq!(header.counts, expected);
        for secret in ["Amina", "Khartoum", old.words.as_str()] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
        }

        let target = path_in(old.dir.path(), "new.db");
        let progress = Arc::new(Progress::default());
        // Typed sloppily, as people do: case and extra spaces are forgiven.
        let typed = format!("  {}\n", old.words.to_uppercase().replace(' ', "  "));
        let restored = restore_wallet(
            target.clone(),
            typed,
            NEW_PIN.into(),
            bytes.clone(),
            options(),
            Some(progress.clone()),
        )
        .await
        .unwrap();
        assert_eq!(restored.report.restored, expected);
        assert_eq!(restored.report.skipped_duplicates, 0);
        let calls = progress.0.lock().unwrap().clone();
        assert!(calls.len() >= 2, "{calls:?}");
        assert_eq!(calls.first().map(|c| (c.0, c.1)), Some((0, 4)));
        assert_eq!(calls.last().map(|c| (c.0, c.1)), Some((4, 4)));
        assert!(calls.iter().all(|c| c.2 == "laissez-worker"), "{calls:?}");

        let new = restored.wallet;
        let mut formats = all_present(&new, &old.issuer).await;
        formats.sort_by_key(|f| format!("{f:?}"));
        assert_eq!(formats, [CredentialFormat::Mdoc, CredentialFormat::SdJwt]);
        assert_eq!(
            new.holder_key().await.unwrap(),
            old.wallet.holder_key().await.unwrap()
        );
        // The new PIN opens it, the old one does not.
        new.lock();
        assert!(matches!(
            new.unlock(PIN.into()).await,
            Err(WalletError::WrongPin { .. })
        ));
        new.unlock(NEW_PIN.into()).await.unwrap();

        // Restoring the same backup again merges: nothing is duplicated.
        let held = new.status().unwrap().record_count;
        let again = new.restore_backup(bytes, None).await.unwrap();
        assert_eq!(again.restored, RecordCounts::default());
        assert_eq!(again.skipped_duplicates, 4);
        assert_eq!(new.status().unwrap().record_count, held);
    });
}

#[test]
fn a_later_backup_merges_into_a_wallet_of_the_same_words_and_no_other() {
    block_on(async {
        let old = old_phone().await;
        let first = old.wallet.backup().await.unwrap();
        let new = restore_wallet(
            path_in(old.dir.path(), "new.db"),
            old.words.clone(),
            NEW_PIN.into(),
            first,
            options(),
            None,
        )
        .await
        .unwrap()
        .wallet;

        // The old phone gets one more credential; its next backup brings just that across.
        let jwk = old.wallet.holder_key().await.unwrap().jwk;
        let extra = old
            .issuer
            .issue_sd_jwt(
                "urn:laissez:iom:household:1".into(),
                CLAIMS.into(),
                jwk,
                None,
            )
            .unwrap();
        old.wallet
            .import_credential(extra, vec![], None)
            .await
            .unwrap();
        let second = old.wallet.backup().await.unwrap();
        let progress = Arc::new(Progress::default());
        let report = new
            .restore_backup(second.clone(), Some(progress.clone()))
            .await
            .unwrap();
        assert_eq!(report.restored.credentials, 1);
        assert_eq!(report.restored.holder_keys + report.restored.disclosures, 0);
        assert_eq!(report.skipped_duplicates, 4);
        assert!(!progress.0.lock().unwrap().is_empty());
        assert_eq!(all_present(&new, &old.issuer).await.len(), 3);

        // A wallet of other words refuses it and keeps what it held.
        let stranger = create_wallet(
            path_in(old.dir.path(), "stranger.db"),
            PIN.into(),
            options(),
        )
        .await
        .unwrap()
        .wallet;
        let before = stranger.status().unwrap().record_count;
        assert!(matches!(
            stranger.restore_backup(second.clone(), None).await,
            Err(BackupError::OtherWallet)
        ));
        assert_eq!(stranger.status().unwrap().record_count, before);

        // Locked wallets neither back up nor restore.
        new.lock();
        assert!(matches!(new.backup().await, Err(BackupError::Locked)));
        assert!(matches!(
            new.backup_frames(None).await,
            Err(BackupError::Locked)
        ));
        assert!(matches!(
            new.restore_backup(second, None).await,
            Err(BackupError::Locked)
        ));
    });
}

/// What `restore_wallet` says to `words` and `bytes` at a fresh path, checking that it leaves
/// no file behind.
async fn refused(old: &Old, name: &str, words: &str, pin: &str, bytes: Vec<u8>) -> BackupError {
    let target = path_in(old.dir.path(), name);
    let outcome = restore_wallet(
        target.clone(),
        words.into(),
        pin.into(),
        bytes,
        options(),
        None,
    )
    .await;
    assert!(!any_file(&target), "{name}: a file was left behind");
    match outcome {
        Err(error) => {
            assert!(!error.to_string().contains(&old.words), "{error}");
            error
        }
        Ok(_) => panic!("{name}: restored"),
    }
}

#[test]
fn bad_words_and_bad_backups_are_typed_errors_and_leave_nothing_behind() {
    block_on(async {
        let old = old_phone().await;
        let bytes = old.wallet.backup().await.unwrap();
        let words: Vec<&str> = old.words.split(' ').collect();

        // A word not in the list, by position.
        let mut typo = words.clone();
        typo[3] = "zzzz";
        match refused(&old, "typo.db", &typo.join(" "), NEW_PIN, bytes.clone()).await {
            BackupError::InvalidMnemonic { word_position, .. } => {
                assert_eq!(word_position, Some(4));
            }
            other => panic!("{other:?}"),
        }
        // 23 words.
        assert!(matches!(
            refused(
                &old,
                "short.db",
                &words[1..].join(" "),
                NEW_PIN,
                bytes.clone()
            )
            .await,
            BackupError::InvalidMnemonic {
                word_position: None,
                ..
            }
        ));
        // A known word in the wrong place: the checksum catches it, or it is another wallet.
        let mut swapped = words.clone();
        let other = words.iter().position(|w| *w != words[0]).unwrap();
        swapped.swap(0, other);
        assert!(matches!(
            refused(&old, "swap.db", &swapped.join(" "), NEW_PIN, bytes.clone()).await,
            BackupError::InvalidMnemonic { .. } | BackupError::OtherWallet
        ));
        // Another wallet's valid words.
        let stranger = create_wallet(path_in(old.dir.path(), "s.db"), PIN.into(), options())
            .await
            .unwrap();
        let theirs = stranger.mnemonic_words.join(" ");
        assert!(matches!(
            refused(&old, "other.db", &theirs, NEW_PIN, bytes.clone()).await,
            BackupError::OtherWallet
        ));

        // Truncated.
        for len in [0, 3, 5, 9, bytes.len() / 2, bytes.len() - 1] {
            let error = refused(&old, "cut.db", &old.words, NEW_PIN, bytes[..len].to_vec()).await;
            assert!(
                matches!(
                    error,
                    BackupError::Truncated | BackupError::Damaged | BackupError::NotABackup
                ),
                "{len}: {error:?}"
            );
        }
        assert!(matches!(
            refused(
                &old,
                "cut.db",
                &old.words,
                NEW_PIN,
                bytes[..bytes.len() - 1].to_vec()
            )
            .await,
            BackupError::Damaged
        ));
        // One bit flipped in the sealed part.
        for at in [bytes.len() / 2, bytes.len() - 20, bytes.len() - 1] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x01;
            assert!(matches!(
                refused(&old, "flip.db", &old.words, NEW_PIN, flipped).await,
                BackupError::Damaged
            ));
        }
        // A future format version, read with and without the words.
        let mut future = bytes.clone();
        future[4] = 9;
        assert!(matches!(
            read_backup_header(future.clone()),
            Err(BackupError::UnsupportedVersion {
                version: 9,
                supported: 1
            })
        ));
        assert!(matches!(
            refused(&old, "future.db", &old.words, NEW_PIN, future).await,
            BackupError::UnsupportedVersion { version: 9, .. }
        ));
        // Not a backup at all.
        assert!(matches!(
            read_backup_header(b"%PDF-1.7".to_vec()),
            Err(BackupError::NotABackup)
        ));
        assert!(matches!(
            read_backup_header(vec![]),
            Err(BackupError::NotABackup)
        ));
        assert!(matches!(
            refused(&old, "pdf.db", &old.words, NEW_PIN, b"%PDF-1.7".to_vec()).await,
            BackupError::NotABackup
        ));
        // A new PIN that breaks the rules.
        assert!(matches!(
            refused(&old, "pin.db", &old.words, "1", bytes.clone()).await,
            BackupError::InvalidPin { .. }
        ));

        // An existing file is left as it was.
        let taken = path_in(old.dir.path(), "taken.db");
        std::fs::write(&taken, b"someone's file").unwrap();
        let outcome = restore_wallet(
            taken.clone(),
            old.words.clone(),
            NEW_PIN.into(),
            bytes.clone(),
            options(),
            None,
        )
        .await;
        assert!(matches!(outcome, Err(BackupError::AlreadyExists)));
        assert_eq!(std::fs::read(&taken).unwrap(), b"someone's file");

        // A folder that does not exist.
        let nowhere = path_in(&old.dir.path().join("missing"), "w.db");
        assert!(matches!(
            restore_wallet(
                nowhere,
                old.words.clone(),
                NEW_PIN.into(),
                bytes,
                options(),
                None
            )
            .await,
            Err(BackupError::Storage { .. })
        ));
    });
}

/// A frame drawn as a camera would see a screen: 4 pixels a module, the quiet zone, rows
/// padded with grey.
fn to_luma(frame: &QrFrame) -> (u32, u32, Vec<u8>) {
    const SCALE: u32 = 4;
    let side = (frame.size + 2 * frame.quiet_zone) * SCALE;
    let stride = side + 13;
    let mut pixels = vec![0x80u8; (stride * side) as usize];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / SCALE).checked_sub(frame.quiet_zone),
                (y / SCALE).checked_sub(frame.quiet_zone),
            );
            let dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < frame.size && my < frame.size => {
                    frame.modules[(my * frame.size + mx) as usize] == 1
                }
                _ => false,
            };
            pixels[(y * stride + x) as usize] = if dark { 0x10 } else { 0xf0 };
        }
    }
    (side, stride, pixels)
}

async fn push(scanner: &QrScanner, frame: &QrFrame) -> ScanUpdate {
    let (side, stride, pixels) = to_luma(frame);
    scanner.push_luma(side, side, stride, pixels).await.unwrap()
}

#[test]
fn phone_to_phone_by_qr_codes_ignores_another_backup_s_frames() {
    block_on(async {
        let old = old_phone().await;
        let small = FrameOptions {
            max_frame_chars: 400,
            one_code_max_chars: 0,
            ..default_frame_options()
        };
        let frames = old.wallet.backup_frames(Some(small)).await.unwrap();
        assert!(frames.len() > 3, "{} frames", frames.len());
        assert!(frames.iter().all(|f| f.text.starts_with("LZF1:")));
        let other = old_phone().await;
        let foreign = other.wallet.backup_frames(Some(small)).await.unwrap();

        // The scanner first catches a few frames of another phone's backup, then this one's,
        // every third frame missed: it follows the sequence in view and never mixes the two.
        let scanner = QrScanner::new();
        for frame in foreign.iter().take(2) {
            assert!(matches!(
                push(&scanner, frame).await,
                ScanUpdate::Progress { .. }
            ));
        }
        assert_eq!(scanner.progress().useful, 2);
        let mut progress = vec![];
        let mut message = None;
        for frame in frames
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 1)
            .map(|(_, f)| f)
        {
            match push(&scanner, frame).await {
                ScanUpdate::Progress { useful, needed } => {
                    assert_eq!(scanner.progress(), ScanProgress { useful, needed });
                    progress.push(useful);
                }
                ScanUpdate::Complete { message: m } => {
                    message = Some(m);
                    break;
                }
                update => panic!("{update:?}"),
            }
        }
        // Counted afresh from this backup's first frame.
        assert_eq!(progress.first(), Some(&1), "{progress:?}");
        assert!(
            progress.windows(2).all(|w| w[1] == w[0] + 1),
            "{progress:?}"
        );
        let message = message.expect("rebuilt from two thirds of the frames");
        assert_eq!(message.kind, QrMessageKind::Backup);
        let bytes = backup_from_message(message).unwrap();
        assert_eq!(
            read_backup_header(bytes.clone())
                .unwrap()
                .counts
                .credentials,
            2
        );

        let restored = restore_wallet(
            path_in(old.dir.path(), "scanned.db"),
            old.words.clone(),
            NEW_PIN.into(),
            bytes,
            options(),
            None,
        )
        .await
        .unwrap();
        assert_eq!(all_present(&restored.wallet, &old.issuer).await.len(), 2);

        // The other backup, scanned whole, is another wallet's.
        let scanner = QrScanner::new();
        let mut theirs = None;
        for frame in &foreign {
            if let ScanUpdate::Complete { message } = scanner.push_text(frame.text.clone()) {
                theirs = Some(backup_from_message(message).unwrap());
                break;
            }
        }
        let target = path_in(old.dir.path(), "theirs.db");
        assert!(matches!(
            restore_wallet(
                target.clone(),
                old.words.clone(),
                NEW_PIN.into(),
                theirs.unwrap(),
                options(),
                None
            )
            .await,
            Err(BackupError::OtherWallet)
        ));
        assert!(!any_file(&target));

        // Another kind of message, and frame options out of range.
        let trust = trust_list_message("x".into());
        assert!(matches!(
            backup_from_message(trust),
            Err(BackupError::WrongMessageKind { kind }) if kind == "trust_list"
        ));
        let tiny = FrameOptions {
            max_frame_chars: 10,
            ..default_frame_options()
        };
        assert!(matches!(
            old.wallet.backup_frames(Some(tiny)).await,
            Err(BackupError::InvalidFrameOptions { .. })
        ));
    });
}
