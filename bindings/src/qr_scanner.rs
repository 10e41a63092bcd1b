//! The `QrScanner` object: a scanning session that takes camera luma frames (or QR texts read
//! by a platform scanner) and yields complete Laissez messages, assembling animated sequences.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use wallet_core::qr::scan::{self, LumaFrame, Scanner};
use wallet_core::qr::{FrameProgress, QrError as CoreQrError};

use crate::blocking;
use crate::qr::{QrError, QrMessage};

/// What one camera frame (or one text) gave the scanner.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ScanUpdate {
    /// No QR code in the frame: keep aiming.
    NothingFound,
    /// A frame of an animated sequence was taken; more are needed. Show
    /// `useful` / `needed` as progress (the last one or two frames may be needed beyond
    /// `needed`).
    Progress {
        /// Distinct frames received so far.
        useful: u32,
        /// Frames needed at the least.
        needed: u32,
    },
    /// A whole message: a single code, or the frame that completed an animated sequence.
    /// Stop scanning and pass `message` on. Frames of a message already completed give it
    /// again until `reset()`.
    Complete {
        /// The message.
        message: QrMessage,
    },
    /// Only QR codes that are not Laissez codes (a web link, a ticket…): their texts.
    NotLaissez {
        /// The texts of the codes seen.
        texts: Vec<String>,
    },
    /// A Laissez code that cannot be used: a newer format version (update the app), a
    /// damaged code, or a frame that contradicts its sequence. Keep scanning. A verifier
    /// waiting for an answer passes `text` to `FieldVerifier.logUnreadableAnswer`, which logs
    /// an altered answer to one of its requests.
    Rejected {
        /// Why, for people and logs.
        reason: String,
        /// The text of the rejected code (empty for a message kind newer than this app). It
        /// may hold a presentation's claims: never log it.
        text: String,
    },
}

impl From<scan::ScanUpdate> for ScanUpdate {
    fn from(update: scan::ScanUpdate) -> Self {
        match update {
            scan::ScanUpdate::Complete(envelope) => match QrMessage::from_envelope(envelope) {
                Some(message) => Self::Complete { message },
                None => Self::Rejected {
                    reason: "a message kind newer than this app".into(),
                    text: String::new(),
                },
            },
            scan::ScanUpdate::Progress { useful, needed } => Self::Progress { useful, needed },
            scan::ScanUpdate::NotLaissez(texts) => Self::NotLaissez { texts },
            scan::ScanUpdate::Rejected { error, text } => Self::Rejected {
                reason: rejection(&error),
                text,
            },
            _ => Self::NothingFound,
        }
    }
}

fn rejection(error: &CoreQrError) -> String {
    match error {
        CoreQrError::UnsupportedVersion(_) => {
            format!("{error}: this code was made by a newer app")
        }
        other => other.to_string(),
    }
}

/// Where an animated sequence being assembled stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct ScanProgress {
    /// Distinct frames received so far (0 when no sequence is under way).
    pub useful: u32,
    /// Frames needed at the least (0 when no sequence is under way).
    pub needed: u32,
}

/// A scanning session. Create one per scan screen; feed it every camera frame with
/// `pushLuma` (the Y plane: Android `ImageProxy` plane 0, iOS plane 0 of a
/// `kCVPixelFormatType_420YpCbCr8BiPlanar*` buffer), or texts from a platform scanner with
/// `pushText`, until an update is `Complete`.
///
/// Camera frames are scanned continuously (the core's `ContinuousScan`, ADR 0015): each frame
/// gets a fixed budget of work, and the fallback passes a frame could not afford run on the
/// following frames (the costly ones in crops of the frame), so a frame never holds the
/// camera long; a hard code may be read some frames after it first appears (up to about 16
/// on the benchmark's hardest frames). `pushImage` still tries everything on its one image.
///
/// Safe to share between threads; pushes are serialised. Await each `pushLuma` before
/// sending the next frame (drop frames that arrive meanwhile, as CameraX's
/// `STRATEGY_KEEP_ONLY_LATEST` does). `progress()` and `reset()` never wait for a frame being
/// scanned, so the UI thread may call them.
#[derive(uniffi::Object)]
pub struct QrScanner {
    session: Arc<Session>,
}

/// The scanner and what the UI reads without waiting for it.
#[derive(Default)]
struct Session {
    scanner: Mutex<Scanner>,
    /// Progress after the last push.
    progress: Mutex<ScanProgress>,
    /// A reset asked for while a frame was being scanned; done before the next push.
    reset_pending: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside the decoder is caught per pass; a poisoned lock's state is still usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Session {
    /// Runs one push on the scanner, after any pending reset, and records the progress.
    fn push(&self, work: impl FnOnce(&mut Scanner) -> scan::ScanUpdate) -> ScanUpdate {
        let mut scanner = lock(&self.scanner);
        if self.reset_pending.swap(false, Ordering::SeqCst) {
            scanner.reset();
        }
        let update = work(&mut scanner);
        *lock(&self.progress) = match scanner.progress() {
            FrameProgress::Incomplete { useful, needed } => ScanProgress { useful, needed },
            // The session forgets a completed sequence's assembly; nothing is under way.
            FrameProgress::Complete(_) => ScanProgress::default(),
        };
        update.into()
    }
}

#[uniffi::export]
impl QrScanner {
    /// A new session for camera frames.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            session: Arc::new(Session::default()),
        })
    }

    /// Scans one 8-bit luma frame of `width` x `height` pixels whose rows are `stride` bytes
    /// apart (`stride >= width`; row padding is fine), on the worker pool. A frame without a
    /// readable code, or with noise, gives `NothingFound`; sizes that do not agree with the
    /// buffer give `QrError.InvalidFrame`.
    pub async fn push_luma(
        &self,
        width: u32,
        height: u32,
        stride: u32,
        pixels: Vec<u8>,
    ) -> Result<ScanUpdate, QrError> {
        let session = Arc::clone(&self.session);
        blocking::run(move || {
            let frame = LumaFrame::new(width, height, stride, &pixels).map_err(|e| {
                QrError::InvalidFrame {
                    reason: e.to_string(),
                }
            })?;
            Ok(session.push(|scanner| scanner.push_frame(&frame)))
        })
        .await
    }

    /// Scans a PNG or JPEG file (a photo, a screenshot, a saved code) for every QR code in it,
    /// thoroughly, on the worker pool; the codes count as one camera frame. An image without a
    /// readable code gives `NothingFound`; a file that is not a readable PNG or JPEG gives
    /// `QrError.InvalidImage`.
    pub async fn push_image(&self, image: Vec<u8>) -> Result<ScanUpdate, QrError> {
        let session = Arc::clone(&self.session);
        blocking::run(move || {
            let texts = codes_in_image(&image)?;
            Ok(session.push(|scanner| scanner.push_codes(texts.iter().map(String::as_str))))
        })
        .await
    }

    /// Takes the text of one QR code read elsewhere (the platform's own scanner, a pasted
    /// text). Quick (no image work), but it waits for a `pushLuma` under way.
    pub fn push_text(&self, text: String) -> ScanUpdate {
        self.session.push(|scanner| scanner.push_text(&text))
    }

    /// Where the animated sequence being assembled stands, as of the last push.
    pub fn progress(&self) -> ScanProgress {
        *lock(&self.session.progress)
    }

    /// Forgets the sequence being assembled and the last completed message, to scan another
    /// (done before the next push when a frame is being scanned now).
    pub fn reset(&self) {
        *lock(&self.session.progress) = ScanProgress::default();
        match self.session.scanner.try_lock() {
            Ok(mut scanner) => scanner.reset(),
            Err(_) => self.session.reset_pending.store(true, Ordering::SeqCst),
        }
    }
}

/// The texts of the QR codes in a PNG or JPEG file.
#[cfg(feature = "image-files")]
fn codes_in_image(image: &[u8]) -> Result<Vec<String>, QrError> {
    let codes = scan::scan_image(image).map_err(|e| QrError::InvalidImage {
        reason: e.to_string(),
    })?;
    Ok(codes.into_iter().map(|c| c.text).collect())
}

/// Built without the image codecs (a phone library): the platform decodes the picture.
#[cfg(not(feature = "image-files"))]
fn codes_in_image(_image: &[u8]) -> Result<Vec<String>, QrError> {
    Err(QrError::InvalidImage {
        reason: "this library is built without image files (feature image-files): decode the \
                 picture on the platform and give its luma to pushLuma"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    #[cfg(feature = "image-files")]
    fn images_of_an_animated_sequence_complete_its_message() {
        use crate::qr::{FrameOptions, qr_frames};
        use crate::trust::trust_list_message;
        block_on(async {
            // Text that does not compress, so it needs several frames.
            let mut x: u32 = 0x9e37_79b9;
            let text: String = (0..900)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    char::from(b'a' + (x % 26) as u8)
                })
                .collect();
            let message = trust_list_message(text);
            let options = FrameOptions {
                max_frame_chars: 200,
                one_code_max_chars: 0,
                repair_ratio: 0.0,
                png_scale: Some(3),
            };
            let frames = qr_frames(message.clone(), Some(options)).await.unwrap();
            assert!(frames.len() > 1);
            let scanner = QrScanner::new();
            let mut last = ScanUpdate::NothingFound;
            for frame in frames {
                last = scanner.push_image(frame.png.unwrap()).await.unwrap();
            }
            assert_eq!(last, ScanUpdate::Complete { message });
        });
    }

    #[test]
    #[cfg(feature = "image-files")]
    fn unreadable_images_give_typed_errors() {
        block_on(async {
            let scanner = QrScanner::new();
            for bad in [
                b"GIF89a".to_vec(),
                b"\x89PNG\r\n\x1a\n truncated".to_vec(),
                vec![],
            ] {
                let err = scanner.push_image(bad).await.unwrap_err();
                assert!(matches!(err, QrError::InvalidImage { .. }), "{err:?}");
            }
            // A readable image of a code that is not Laissez.
            let foreign = crate::qr::render_qr("HTTPS://EXAMPLE.ORG".into(), Some(2)).unwrap();
            assert_eq!(
                scanner.push_image(foreign.png.unwrap()).await.unwrap(),
                ScanUpdate::NotLaissez {
                    texts: vec!["HTTPS://EXAMPLE.ORG".into()]
                }
            );
        });
    }

    #[test]
    #[cfg(not(feature = "image-files"))]
    fn a_phone_library_refuses_image_files_and_png_with_typed_errors() {
        block_on(async {
            let scanner = QrScanner::new();
            let err = scanner
                .push_image(b"\x89PNG\r\n\x1a\n".to_vec())
                .await
                .unwrap_err();
            assert!(
                matches!(&err, QrError::InvalidImage { reason } if reason.contains("pushLuma")),
                "{err:?}"
            );
            let err = crate::qr::render_qr("HELLO".into(), Some(2)).unwrap_err();
            assert!(
                matches!(err, QrError::InvalidFrameOptions { .. }),
                "{err:?}"
            );
            // The module matrix, what phone apps draw, is still there.
            let frame = crate::qr::render_qr("HELLO".into(), None).unwrap();
            assert_eq!(frame.modules.len(), (frame.size * frame.size) as usize);
            assert!(frame.png.is_none());
        });
    }
}
