//! Laissez messages to and from QR image files: one PNG when the message fits one code,
//! numbered PNG frames of an animated sequence when it does not; and reading any set of
//! images back into complete messages, in any order, as a camera would.

use std::path::{Path, PathBuf};

use wallet_core::qr::frames::{FrameOptions, encode_for_display};
use wallet_core::qr::render::{ErrorCorrection, PngOptions, render};
use wallet_core::qr::scan::{ScanUpdate, Scanner, scan_image};
use wallet_core::qr::{Envelope, MessageKind};

use crate::exit::{CliError, CliResult};
use crate::input_files;

/// What was written for one message.
pub struct WrittenCodes {
    /// The PNG files, in display order.
    pub files: Vec<PathBuf>,
    /// Characters of each code.
    pub chars: Vec<usize>,
    /// QR version of each code.
    pub versions: Vec<u8>,
}

/// Writes `message` as QR PNGs. A single code goes to `out`. An animated sequence goes to
/// `frames_dir` as `frame-01.png`, `frame-02.png`…, or without it beside `out` as
/// `<stem>-01.png`, `<stem>-02.png`…; with `frames_dir`, a single code is also written there.
pub fn write_message(
    message: &Envelope,
    out: &Path,
    frames_dir: Option<&Path>,
) -> CliResult<WrittenCodes> {
    write_message_with(message, out, frames_dir, &FrameOptions::default())
}

/// [`write_message`] with frame options of its own (larger frames for a backup).
pub fn write_message_with(
    message: &Envelope,
    out: &Path,
    frames_dir: Option<&Path>,
    options: &FrameOptions,
) -> CliResult<WrittenCodes> {
    let texts = encode_for_display(message, options)
        .map_err(|err| CliError::Failed(format!("cannot encode the message: {err}")))?;
    // Enough digits for the names to sort in display order.
    let width = texts.len().to_string().len().max(2);
    let mut written = WrittenCodes {
        files: Vec::new(),
        chars: Vec::new(),
        versions: Vec::new(),
    };
    let frame_path = |i: usize| -> PathBuf {
        match frames_dir {
            Some(dir) => dir.join(format!("frame-{:0width$}.png", i + 1)),
            None => {
                let stem = out
                    .file_stem()
                    .map_or_else(|| "code".into(), |s| s.to_string_lossy().into_owned());
                out.with_file_name(format!("{stem}-{:0width$}.png", i + 1))
            }
        }
    };
    if let Some(dir) = frames_dir {
        std::fs::create_dir_all(dir).map_err(|err| {
            CliError::BadInput(format!("cannot create {}: {}", dir.display(), err.kind()))
        })?;
    }
    let single = texts.len() == 1;
    for (i, text) in texts.iter().enumerate() {
        let matrix = render(text, ErrorCorrection::M)
            .map_err(|err| CliError::Failed(format!("cannot draw the QR code: {err}")))?;
        let png = matrix
            .to_png(&PngOptions::default())
            .map_err(|err| CliError::Failed(format!("cannot write the QR image: {err}")))?;
        let mut targets = Vec::new();
        if single {
            targets.push(out.to_path_buf());
        }
        if !single || frames_dir.is_some() {
            targets.push(frame_path(i));
        }
        for path in targets {
            input_files::write_output(&path, &png, "QR image")?;
            written.files.push(path);
        }
        written.chars.push(text.len());
        written.versions.push(matrix.version);
    }
    Ok(written)
}

/// Reads every QR code in `images` (any order; frames of an animated message may repeat)
/// and returns the complete messages found, in the order they completed.
///
/// Unreadable files are bad input; Laissez codes that cannot be used are reported by what
/// is wrong with them; an animated message with too few frames says how many are missing.
pub fn read_messages(images: &[PathBuf]) -> CliResult<Vec<Envelope>> {
    let mut scanner = Scanner::new();
    let mut messages: Vec<Envelope> = Vec::new();
    let mut seen_codes = 0usize;
    let mut foreign = 0usize;
    let mut rejection = None;
    for path in images {
        let bytes = input_files::read_bytes(path, "image")?;
        let codes = scan_image(&bytes)
            .map_err(|err| CliError::BadInput(format!("{}: {err}", path.display())))?;
        seen_codes += codes.len();
        for code in &codes {
            match scanner.push_text(&code.text) {
                ScanUpdate::Complete(message) if !messages.contains(&message) => {
                    messages.push(message);
                }
                ScanUpdate::NotLaissez(_) => foreign += 1,
                ScanUpdate::Rejected(err) => rejection = Some(format!("{}: {err}", path.display())),
                _ => {}
            }
        }
    }
    if !messages.is_empty() {
        return Ok(messages);
    }
    let progress = scanner.progress();
    Err(match progress {
        wallet_core::qr::frames::FrameProgress::Incomplete { useful, needed } if needed > 0 => {
            CliError::BadInput(format!(
                "an animated message is incomplete: {useful} of at least {needed} frames read; \
                 add the missing frame images"
            ))
        }
        _ => match (rejection, seen_codes, foreign) {
            (Some(why), _, _) => CliError::BadInput(why),
            (None, 0, _) => CliError::Negative("no QR code found in the images".into()),
            (None, _, _) => CliError::BadInput(format!(
                "{foreign} QR code(s) found, none of them a Laissez message"
            )),
        },
    })
}

/// The one message of `kind` in `images`, or a clear error.
pub fn read_one(images: &[PathBuf], kind: MessageKind, what: &str) -> CliResult<Envelope> {
    let mut messages = read_messages(images)?;
    let position = messages.iter().position(|m| m.kind == kind);
    match position {
        Some(i) => Ok(messages.swap_remove(i)),
        None => Err(CliError::BadInput(format!(
            "the QR code is not a {what} (it holds another kind of Laissez message)"
        ))),
    }
}
