//! A scanning session: a [`Scanner`] takes the codes of successive frames and reports
//! complete messages, the progress of animated ones, rejections and foreign codes.

use super::{ContinuousScan, LumaFrame, ScanEffort, scan_frame};
use crate::envelope::{self, Envelope};
use crate::error::QrError;
use crate::frames::{self, FrameAssembler, FrameProgress};

/// What one frame (or one text) gave a [`Scanner`].
#[derive(Debug, Clone, PartialEq)]
pub enum ScanUpdate {
    /// No QR code was found in the frame (keep aiming).
    NothingFound,
    /// A complete message: a single code, or the frame that completed an animated one.
    /// Frames showing a message already completed give it again; the app stops at the
    /// first.
    Complete(Envelope),
    /// A frame of an animated message was taken; more are needed.
    Progress {
        /// Distinct frames received so far.
        useful: u32,
        /// Frames needed at the least.
        needed: u32,
    },
    /// Only QR codes that are not Laissez codes (their texts, for the app to say what it
    /// saw or to hand them elsewhere).
    NotLaissez(Vec<String>),
    /// A Laissez code that cannot be used (newer format version, damaged, a frame that
    /// contradicts its sequence): why, and the code's text (a verifier logs an altered
    /// answer that still names one of its requests).
    Rejected {
        /// Why.
        error: QrError,
        /// The text of the rejected code.
        text: String,
    },
}

/// A scanning session: feed it camera frames (or QR texts read by a native scanner) and it
/// yields complete Laissez messages. Single `LZ1:` codes complete at once; `LZF1:` frames of
/// an animated sequence are assembled in any order, tolerating drops and repeats. When the
/// frames of a different animated message start arriving, the session switches to it.
///
/// [`Scanner::new`] scans camera frames continuously, within a work budget per frame
/// ([`ContinuousScan`]); [`Scanner::with_effort`] (and `Scanner::default()`, at camera
/// effort) scans every frame whole, as a still image.
#[derive(Debug, Default)]
pub struct Scanner {
    effort: ScanEffort,
    /// The continuous scan of camera frames; `None`: each frame is scanned whole at `effort`.
    continuous: Option<ContinuousScan>,
    assembler: FrameAssembler,
    /// Id of the animated message in the assembler, when known.
    current: Option<[u8; 8]>,
    /// The animated message completed last, and its id.
    completed: Option<([u8; 8], Envelope)>,
}

impl Scanner {
    /// A new session for camera frames: a continuous scan with the default work budget per
    /// frame ([`super::FRAME_BUDGET_UNITS`]).
    pub fn new() -> Self {
        Self::continuous(ContinuousScan::new())
    }

    /// A new session for camera frames with a given continuous scan (its budget).
    pub fn continuous(scan: ContinuousScan) -> Self {
        Self {
            continuous: Some(scan),
            ..Self::default()
        }
    }

    /// A new session that scans every frame whole with a given effort (still images, or
    /// frames that must each be read in one go).
    pub fn with_effort(effort: ScanEffort) -> Self {
        Self {
            effort,
            ..Self::default()
        }
    }

    /// Scans one luma frame and takes what it holds. In a continuous session, the passes
    /// this frame's budget did not reach run on the next frames.
    pub fn push_frame(&mut self, frame: &LumaFrame<'_>) -> ScanUpdate {
        let codes = match &mut self.continuous {
            Some(scan) => scan.scan(frame),
            None => scan_frame(frame, self.effort),
        };
        self.push_codes(codes.iter().map(|c| c.text.as_str()))
    }

    /// Takes the text of one QR code read elsewhere (for example by the platform's own
    /// scanner).
    pub fn push_text(&mut self, text: &str) -> ScanUpdate {
        self.push_codes(std::iter::once(text))
    }

    /// Takes the texts of all codes seen in one frame; reports the most useful outcome
    /// (complete, then progress, then a rejection, then foreign codes).
    pub fn push_codes<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) -> ScanUpdate {
        let mut best = ScanUpdate::NothingFound;
        for text in texts {
            let update = self.take(text);
            if rank(&update) > rank(&best) {
                best = update;
            } else if let (ScanUpdate::NotLaissez(all), ScanUpdate::NotLaissez(more)) =
                (&mut best, update)
            {
                all.extend(more);
            }
        }
        best
    }

    /// Where the animated message being assembled stands (`useful: 0, needed: 0` when none).
    pub fn progress(&self) -> FrameProgress {
        self.assembler.progress()
    }

    /// Forgets the animated message being assembled and the last completed one, and starts
    /// the scanning passes again from the first.
    pub fn reset(&mut self) {
        if let Some(scan) = &mut self.continuous {
            scan.reset();
        }
        self.assembler.reset();
        self.current = None;
        self.completed = None;
    }

    fn take(&mut self, text: &str) -> ScanUpdate {
        if frames::is_frame(text) {
            return self.take_frame(text);
        }
        match envelope::decode(text) {
            Ok(message) => ScanUpdate::Complete(message),
            Err(QrError::NotLaissez) => ScanUpdate::NotLaissez(vec![text.to_owned()]),
            Err(error) => ScanUpdate::Rejected {
                error,
                text: text.to_owned(),
            },
        }
    }

    fn take_frame(&mut self, text: &str) -> ScanUpdate {
        let id = frame_message_id(text);
        if let (Some(id), Some((done, message))) = (id, &self.completed) {
            if id == *done {
                return ScanUpdate::Complete(message.clone());
            }
        }
        if id.is_some() && self.current.is_some() && id != self.current {
            // Another animated message: switch to it.
            self.assembler.reset();
            self.current = None;
        }
        match self.assembler.push(text) {
            Ok(FrameProgress::Complete(message)) => {
                if let Some(id) = id.or(self.current) {
                    self.completed = Some((id, message.clone()));
                }
                self.assembler.reset();
                self.current = None;
                ScanUpdate::Complete(message)
            }
            Ok(FrameProgress::Incomplete { useful, needed }) => {
                if self.current.is_none() {
                    self.current = id;
                }
                ScanUpdate::Progress { useful, needed }
            }
            Err(error) => ScanUpdate::Rejected {
                error,
                text: text.to_owned(),
            },
        }
    }
}

fn rank(update: &ScanUpdate) -> u8 {
    match update {
        ScanUpdate::NothingFound => 0,
        ScanUpdate::NotLaissez(_) => 1,
        ScanUpdate::Rejected { .. } => 2,
        ScanUpdate::Progress { .. } => 3,
        ScanUpdate::Complete(_) => 4,
    }
}

/// The message id of a frame text (first field of its CBOR), without checking the rest.
fn frame_message_id(text: &str) -> Option<[u8; 8]> {
    let body = text.strip_prefix(frames::FRAME_PREFIX)?;
    let bytes = base45::decode(body.trim_end_matches(['\r', '\n'])).ok()?;
    // CBOR: array header (0x85), then a byte string of 8 (0x48) and the 8 bytes.
    match bytes.get(..10)? {
        [0x85, 0x48, id @ ..] => id.try_into().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::envelope::MessageKind;
    use crate::frames::{FrameOptions, encode_for_display};
    use crate::scan::testing::noise;

    #[test]
    fn scanner_session_outcomes() {
        let single = crate::envelope::encode(&Envelope {
            kind: MessageKind::VerifierRequest,
            payload: b"hello".to_vec(),
        })
        .unwrap();
        let mut scanner = Scanner::new();
        assert!(
            matches!(scanner.push_text(&single), ScanUpdate::Complete(e) if e.payload == b"hello")
        );
        assert_eq!(
            scanner.push_text("HC1:NOT-OURS"),
            ScanUpdate::NotLaissez(vec!["HC1:NOT-OURS".into()])
        );
        assert_eq!(
            scanner.push_text("LZ2:FUTURE"),
            ScanUpdate::Rejected {
                error: QrError::UnsupportedVersion("2".into()),
                text: "LZ2:FUTURE".into()
            }
        );
        assert_eq!(scanner.push_codes([]), ScanUpdate::NothingFound);
        // Foreign codes beside a Laissez one: the Laissez one wins.
        assert!(matches!(
            scanner.push_codes(["HC1:X", single.as_str(), "WIFI:S:x"]),
            ScanUpdate::Complete(_)
        ));
        assert_eq!(
            scanner.push_codes(["HC1:X", "WIFI:S:x"]),
            ScanUpdate::NotLaissez(vec!["HC1:X".into(), "WIFI:S:x".into()])
        );

        // Two animated messages: the session follows the newer one, and frames of a completed
        // message give it again.
        let big = |seed| Envelope {
            kind: MessageKind::Backup,
            payload: noise(4_000, seed),
        };
        let a = encode_for_display(&big(1), &FrameOptions::default()).unwrap();
        let b = encode_for_display(&big(2), &FrameOptions::default()).unwrap();
        assert!(a.len() > 4);
        assert_eq!(frame_message_id(&a[0]), frame_message_id(&a[1]));
        assert_ne!(frame_message_id(&a[0]), frame_message_id(&b[0]));
        assert!(matches!(
            scanner.push_text(&a[0]),
            ScanUpdate::Progress { useful: 1, .. }
        ));
        assert!(matches!(
            scanner.push_text(&b[0]),
            ScanUpdate::Progress { useful: 1, .. }
        ));
        let mut done = None;
        for frame in b.iter().skip(1) {
            if let ScanUpdate::Complete(m) = scanner.push_text(frame) {
                done = Some(m);
                break;
            }
        }
        assert_eq!(done, Some(big(2)));
        assert_eq!(scanner.push_text(&b[0]), ScanUpdate::Complete(big(2)));
        assert!(matches!(
            scanner.push_text("LZF1:%%%"),
            ScanUpdate::Rejected { error: QrError::BadBase45, text } if text == "LZF1:%%%"
        ));
    }
}
