//! `laissez wallet backup` and `laissez wallet restore`: the whole wallet, encrypted under a
//! key from the 24 words, to a file or animated QR frames, and back onto a new phone (a new
//! wallet from the words and a new PIN) or merged into a wallet made from the same words.

use std::io::Write;

use indicatif::{ProgressBar, ProgressStyle};
use wallet_core::backup::{self, BackupContents, BackupError, BackupHeader, RestoreReport};
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::qr::MessageKind;
use wallet_core::qr::frames::FrameOptions;
use wallet_core::store::WalletStore;

use crate::args::{BackupArgs, RestoreArgs};
use crate::exit::{CliError, CliResult};
use crate::secrets_input::{self, NEW_PIN_ENV};
use crate::{input_files, qr_files, unix_time, wallet_file};

/// Frames per second a phone shows an animated sequence at (for the time estimate).
const DISPLAY_FPS: f64 = 10.0;

fn backup_error(err: BackupError) -> CliError {
    match err {
        BackupError::Store(err) => err.into(),
        BackupError::OtherWallet => CliError::Negative(err.to_string()),
        other => CliError::BadInput(other.to_string()),
    }
}

fn counts_text(header: &BackupHeader) -> String {
    let c = &header.counts;
    format!(
        "{} credentials, {} holder keys, {} disclosures, {} other records",
        c.credentials, c.holder_keys, c.disclosures, c.other
    )
}

/// Runs `laissez wallet backup`.
pub fn backup(args: &BackupArgs) -> CliResult {
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let bytes = backup::create(&store, unix_time::now()).map_err(backup_error)?;
    drop(store);
    let header = backup::read_header(&bytes).map_err(backup_error)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Backup of {} ({} bytes, encrypted under the 24 words)",
        counts_text(&header),
        bytes.len()
    )?;
    if let Some(path) = &args.out {
        input_files::write_output(path, &bytes, "backup")?;
        writeln!(out, "written to        {}", path.display())?;
    }
    if let Some(dir) = &args.frames_dir {
        let options = FrameOptions {
            max_frame_chars: args.frame_chars as usize,
            // `--frame-chars` is the largest code the user wants shown.
            one_code_max_chars: 0,
            ..FrameOptions::default()
        };
        let written =
            qr_files::write_message_with(&backup::to_message(bytes), None, Some(dir), &options)?;
        let frames = written.files.len();
        writeln!(
            out,
            "QR frames         {frames} in {} (version up to {}), about {:.0} s at {DISPLAY_FPS} \
             frames per second; useless without the 24 words",
            dir.display(),
            written.versions.iter().max().copied().unwrap_or(0),
            frames as f64 / DISPLAY_FPS
        )?;
    }
    Ok(())
}

/// The backup bytes from a file or from scanned frame images.
fn backup_bytes(args: &RestoreArgs) -> CliResult<Vec<u8>> {
    if let Some(path) = &args.backup {
        return input_files::read_bytes(path, "backup");
    }
    let Some(dir) = &args.frames_dir else {
        return Err(CliError::BadInput(
            "give --backup FILE or --frames-dir DIR".into(),
        ));
    };
    let mut images: Vec<_> = std::fs::read_dir(dir)
        .map_err(|err| {
            CliError::BadInput(format!("cannot read {}: {}", dir.display(), err.kind()))
        })?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg"))
        })
        .collect();
    images.sort();
    if images.is_empty() {
        return Err(CliError::BadInput(format!(
            "no PNG or JPEG images in {}",
            dir.display()
        )));
    }
    let mut backups: Vec<_> = qr_files::read_messages(&images)?
        .into_iter()
        .filter(|m| m.kind == MessageKind::Backup)
        .collect();
    match backups.len() {
        0 => Err(CliError::BadInput(format!(
            "the images in {} hold no backup",
            dir.display()
        ))),
        1 => backup::from_message(&backups.remove(0))
            .map(<[u8]>::to_vec)
            .map_err(backup_error),
        n => Err(CliError::BadInput(format!(
            "the images in {} hold frames of {n} different backups; keep one backup's frames",
            dir.display()
        ))),
    }
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("restoring {bar:30} {pos}/{len} records") {
        bar.set_style(style);
    }
    bar
}

fn write_records(store: &mut WalletStore, contents: &BackupContents) -> CliResult<String> {
    let bar = progress_bar(contents.records.len() as u64);
    let report = backup::restore(store, contents, &mut |done, _| bar.set_position(done))
        .map_err(backup_error)?;
    bar.finish_and_clear();
    Ok(report_text(&report))
}

fn report_text(report: &RestoreReport) -> String {
    let r = &report.restored;
    format!(
        "{} credentials, {} holder keys, {} disclosures, {} other records restored; {} already \
         there",
        r.credentials, r.holder_keys, r.disclosures, r.other, report.skipped_duplicates
    )
}

/// Prints an authenticated backup's header.
fn describe(out: &mut impl Write, header: &BackupHeader) -> std::io::Result<()> {
    writeln!(
        out,
        "Backup format {} of {}, made {}",
        header.version,
        counts_text(header),
        unix_time::utc_text(header.created_at)
    )
}

/// Runs `laissez wallet restore`.
pub fn restore(args: &RestoreArgs) -> CliResult {
    let bytes = backup_bytes(args)?;
    let mut out = std::io::stdout().lock();
    let db = &args.db.db;
    // Nothing of the header is shown before the whole backup is authenticated: until then
    // its date and counts are only what someone wrote there.
    if db.exists() {
        // Merge into a wallet made from the same words: its PIN unlocks it.
        let mut store = wallet_file::open_unlocked(db)?;
        let contents = backup::open_with_store(&bytes, &store).map_err(backup_error)?;
        describe(&mut out, &contents.header)?;
        let summary = write_records(&mut store, &contents)?;
        writeln!(out, "Merged into {}: {summary}", db.display())?;
        return Ok(());
    }
    // A new phone: the words first, and the whole backup opened, before any file exists.
    let phrase = RecoveryPhrase::parse(&secrets_input::mnemonic()?)?;
    let contents = backup::open_with_phrase(&bytes, &phrase).map_err(backup_error)?;
    describe(&mut out, &contents.header)?;
    let pin = secrets_input::new_pin(NEW_PIN_ENV)?;
    let options = wallet_file::options(wallet_file::kdf_params(&args.kdf));
    // The core removes the new file again should the restore not complete.
    let bar = progress_bar(contents.records.len() as u64);
    let (_store, report) =
        backup::restore_new_wallet(db, &phrase, &pin, &contents, options, &mut |done, _| {
            bar.set_position(done)
        })
        .map_err(backup_error)?;
    bar.finish_and_clear();
    writeln!(
        out,
        "Restored into {} with the new PIN: {}",
        db.display(),
        report_text(&report)
    )?;
    Ok(())
}
