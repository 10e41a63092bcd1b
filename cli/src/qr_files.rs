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

/// Writes `message` as QR PNGs, each only where it was asked for:
/// - a single code goes to `out`; without `out`, to `frames_dir` as `frame-01.png`;
/// - an animated sequence goes to `frames_dir` as `frame-01.png`, `frame-02.png`… (three
///   digits or more from 100 frames on, so the names sort in display order); without
///   `frames_dir`, beside `out` as `<stem>-01.png`, `<stem>-02.png`….
///
/// At least one of `out` and `frames_dir` must be given.
pub fn write_message(
    message: &Envelope,
    out: Option<&Path>,
    frames_dir: Option<&Path>,
) -> CliResult<WrittenCodes> {
    write_message_with(message, out, frames_dir, &FrameOptions::default())
}

/// [`write_message`] with frame options of its own (larger frames for a backup).
pub fn write_message_with(
    message: &Envelope,
    out: Option<&Path>,
    frames_dir: Option<&Path>,
    options: &FrameOptions,
) -> CliResult<WrittenCodes> {
    let texts = encode_for_display(message, options)
        .map_err(|err| CliError::Failed(format!("cannot encode the message: {err}")))?;
    let paths = code_paths(texts.len(), out, frames_dir)?;
    if let Some(dir) = frames_dir.filter(|dir| paths.iter().any(|p| p.starts_with(dir))) {
        std::fs::create_dir_all(dir).map_err(|err| {
            CliError::BadInput(format!("cannot create {}: {}", dir.display(), err.kind()))
        })?;
    }
    let mut written = WrittenCodes {
        files: Vec::new(),
        chars: Vec::new(),
        versions: Vec::new(),
    };
    for (text, path) in texts.iter().zip(paths) {
        let matrix = render(text, ErrorCorrection::M)
            .map_err(|err| CliError::Failed(format!("cannot draw the QR code: {err}")))?;
        let png = matrix
            .to_png(&PngOptions::default())
            .map_err(|err| CliError::Failed(format!("cannot write the QR image: {err}")))?;
        input_files::write_output(&path, &png, "QR image")?;
        written.files.push(path);
        written.chars.push(text.len());
        written.versions.push(matrix.version);
    }
    Ok(written)
}

/// The file of each of `count` codes (see [`write_message`]).
fn code_paths(
    count: usize,
    out: Option<&Path>,
    frames_dir: Option<&Path>,
) -> CliResult<Vec<PathBuf>> {
    // Enough digits for the names to sort in display order.
    let width = count.to_string().len().max(2);
    let numbered = |i: usize| format!("{:0width$}.png", i + 1);
    match (count, out, frames_dir) {
        (1, Some(out), _) => Ok(vec![out.to_path_buf()]),
        (_, _, Some(dir)) => Ok((0..count)
            .map(|i| dir.join(format!("frame-{}", numbered(i))))
            .collect()),
        (_, Some(out), None) => {
            let stem = out
                .file_stem()
                .map_or_else(|| "code".into(), |s| s.to_string_lossy().into_owned());
            Ok((0..count)
                .map(|i| out.with_file_name(format!("{stem}-{}", numbered(i))))
                .collect())
        }
        (_, None, None) => Err(CliError::Failed(
            "no file or folder to write the QR codes to".into(),
        )),
    }
}

/// What the codes in a set of images held.
pub struct ScannedImages {
    /// The complete messages found, in the order they completed.
    pub messages: Vec<Envelope>,
    /// The text of each Laissez code that could not be read as a message (altered or
    /// damaged), for a verifier to attribute and log.
    pub rejected_texts: Vec<String>,
    /// The text of each code that is not a Laissez code at all (a Claim 169 identity code,
    /// for instance), for a verifier that reads other kinds.
    pub foreign_texts: Vec<String>,
    scanner: Scanner,
    seen_codes: usize,
    foreign: usize,
    rejection: Option<String>,
}

/// Reads every QR code in `images` (any order; frames of an animated message may repeat).
/// Only unreadable image files are errors here; see [`ScannedImages::into_messages`].
pub fn scan_images(images: &[PathBuf]) -> CliResult<ScannedImages> {
    let mut scanned = ScannedImages {
        messages: Vec::new(),
        rejected_texts: Vec::new(),
        foreign_texts: Vec::new(),
        scanner: Scanner::new(),
        seen_codes: 0,
        foreign: 0,
        rejection: None,
    };
    for path in images {
        let bytes = input_files::read_bytes(path, "image")?;
        let codes = scan_image(&bytes)
            .map_err(|err| CliError::BadInput(format!("{}: {err}", path.display())))?;
        scanned.seen_codes += codes.len();
        for code in &codes {
            match scanned.scanner.push_text(&code.text) {
                ScanUpdate::Complete(message) if !scanned.messages.contains(&message) => {
                    scanned.messages.push(message);
                }
                ScanUpdate::NotLaissez(_) => {
                    scanned.foreign += 1;
                    if !scanned.foreign_texts.contains(&code.text) {
                        scanned.foreign_texts.push(code.text.clone());
                    }
                }
                ScanUpdate::Rejected { error, text } => {
                    scanned.rejection = Some(format!("{}: {error}", path.display()));
                    scanned.rejected_texts.push(text);
                }
                _ => {}
            }
        }
    }
    Ok(scanned)
}

impl ScannedImages {
    /// The complete messages, or why there is none: Laissez codes that cannot be used are
    /// reported by what is wrong with them; an animated message with too few frames says how
    /// many are missing.
    pub fn into_messages(self) -> CliResult<Vec<Envelope>> {
        if !self.messages.is_empty() {
            return Ok(self.messages);
        }
        let progress = self.scanner.progress();
        Err(match progress {
            wallet_core::qr::frames::FrameProgress::Incomplete { useful, needed } if needed > 0 => {
                CliError::BadInput(format!(
                    "an animated message is incomplete: {useful} of at least {needed} frames \
                     read; add the missing frame images"
                ))
            }
            _ => match (self.rejection, self.seen_codes, self.foreign) {
                (Some(why), _, _) => CliError::BadInput(why),
                (None, 0, _) => CliError::Negative("no QR code found in the images".into()),
                (None, _, foreign) => CliError::BadInput(format!(
                    "{foreign} QR code(s) found, none of them a Laissez message"
                )),
            },
        })
    }
}

/// Reads every QR code in `images` (any order; frames of an animated message may repeat)
/// and returns the complete messages found, in the order they completed.
///
/// Unreadable files are bad input; Laissez codes that cannot be used are reported by what
/// is wrong with them; an animated message with too few frames says how many are missing.
pub fn read_messages(images: &[PathBuf]) -> CliResult<Vec<Envelope>> {
    scan_images(images)?.into_messages()
}

/// The one message of `kind` in `images`, or a clear error.
pub fn read_one(images: &[PathBuf], kind: MessageKind, what: &str) -> CliResult<Envelope> {
    read_one_of(images, &[kind], what)
}

/// [`read_one`] for a message of any of `kinds` (a request, signed or not).
pub fn read_one_of(images: &[PathBuf], kinds: &[MessageKind], what: &str) -> CliResult<Envelope> {
    let mut messages = read_messages(images)?;
    let position = messages.iter().position(|m| kinds.contains(&m.kind));
    match position {
        Some(i) => Ok(messages.swap_remove(i)),
        None => Err(CliError::BadInput(format!(
            "the QR code is not a {what} (it holds another kind of Laissez message)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[PathBuf]) -> Vec<String> {
        paths.iter().map(|p| p.display().to_string()).collect()
    }

    #[test]
    fn each_code_goes_only_where_asked() {
        let (out, dir) = (Path::new("d/r.png"), Path::new("f"));
        let paths = |count, out, dir| names(&code_paths(count, out, dir).unwrap());
        assert_eq!(paths(1, Some(out), Some(dir)), ["d/r.png"]);
        assert_eq!(paths(1, None, Some(dir)), ["f/frame-01.png"]);
        assert_eq!(
            paths(2, Some(out), Some(dir)),
            ["f/frame-01.png", "f/frame-02.png"]
        );
        assert_eq!(paths(2, Some(out), None), ["d/r-01.png", "d/r-02.png"]);
        assert!(code_paths(1, None, None).is_err());
    }

    #[test]
    fn frame_names_sort_in_display_order() {
        let paths = names(&code_paths(120, None, Some(Path::new("f"))).unwrap());
        assert_eq!(paths[0], "f/frame-001.png");
        assert_eq!(paths[119], "f/frame-120.png");
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(sorted, paths);
    }
}
