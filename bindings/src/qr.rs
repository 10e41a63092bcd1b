//! QR codes as the apps see them: a Laissez message ([`QrMessage`]), the codes that display it
//! ([`QrFrame`]: text, module matrix, optional PNG) and the options for cutting a large message
//! into an animated sequence ([`FrameOptions`]). Thin wrappers over `wallet_core::qr`.
//!
//! Reading codes from the camera is [`crate::QrScanner`]; this module only draws.

use wallet_core::qr::envelope;
use wallet_core::qr::frames::{self, DEFAULT_MAX_FRAME_CHARS, DEFAULT_ONE_CODE_MAX_CHARS};
use wallet_core::qr::render::{self, ErrorCorrection, QUIET_ZONE, QrMatrix};
use wallet_core::qr::{Envelope, MessageKind, QrError as CoreQrError};

use crate::blocking::{self, PoolFailure};

/// What a Laissez message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum QrMessageKind {
    /// A verifier's request: give it to `Wallet.readRequest` (holder).
    VerifierRequest,
    /// A holder's encrypted answer to a request: give it to `FieldVerifier.verify`.
    EngagedResponse,
    /// A holder's presentation bound to a short time window: give it to
    /// `FieldVerifier.verify`.
    StaticPresentation,
    /// A wallet backup (phone-to-phone transfer): give `backupFromMessage(message)` to
    /// `restoreWallet` or `Wallet.restoreBackup`.
    Backup,
    /// A signed trust list: give it to `FieldVerifier.importTrustListMessage`.
    TrustList,
    /// An issuance desk's signed offer (one code): give it to `Wallet.readOffer`, then,
    /// after the person agreed, `Wallet.acceptOffer`.
    IssuanceOffer,
    /// The holder's proof answering an offer (one code): give it to `TestIssuer.deliver`
    /// (desk).
    IssuanceProof,
    /// The desk's batch of copies sealed to the holder (animated frames): give it to
    /// `Wallet.receiveIssuance`.
    IssuedBatch,
    /// A verifier's signed request (one code, ADR 0020): give it to `Wallet.readRequest`, as an
    /// unsigned one.
    SignedRequest,
}

impl QrMessageKind {
    /// The core's kind of a binding kind (every binding kind has one).
    pub(crate) fn to_core(self) -> MessageKind {
        match self {
            Self::VerifierRequest => MessageKind::VerifierRequest,
            Self::EngagedResponse => MessageKind::EngagedResponse,
            Self::StaticPresentation => MessageKind::StaticPresentation,
            Self::Backup => MessageKind::Backup,
            Self::TrustList => MessageKind::TrustList,
            Self::IssuanceOffer => MessageKind::IssuanceOffer,
            Self::IssuanceProof => MessageKind::IssuanceProof,
            Self::IssuedBatch => MessageKind::IssuedBatch,
            Self::SignedRequest => MessageKind::SignedRequest,
        }
    }

    /// The binding kind of a core kind; `None` for a kind newer than these bindings.
    pub(crate) fn from_core(kind: MessageKind) -> Option<Self> {
        Some(match kind {
            MessageKind::VerifierRequest => Self::VerifierRequest,
            MessageKind::EngagedResponse => Self::EngagedResponse,
            MessageKind::StaticPresentation => Self::StaticPresentation,
            MessageKind::Backup => Self::Backup,
            MessageKind::TrustList => Self::TrustList,
            MessageKind::IssuanceOffer => Self::IssuanceOffer,
            MessageKind::IssuanceProof => Self::IssuanceProof,
            MessageKind::IssuedBatch => Self::IssuedBatch,
            MessageKind::SignedRequest => Self::SignedRequest,
        })
    }

    /// A stable snake_case name, for error texts.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::VerifierRequest => "verifier_request",
            Self::EngagedResponse => "engaged_response",
            Self::StaticPresentation => "static_presentation",
            Self::Backup => "backup",
            Self::TrustList => "trust_list",
            Self::IssuanceOffer => "issuance_offer",
            Self::IssuanceProof => "issuance_proof",
            Self::IssuedBatch => "issued_batch",
            Self::SignedRequest => "signed_request",
        }
    }
}

/// One complete Laissez message, as a scan completes it (`ScanUpdate.Complete`) or as
/// `decodeQrText` reads it. Pass it on whole: the payload is the kind's own encoding, checked
/// by whichever function takes it (a damaged payload gives that function's typed error, never
/// a crash).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QrMessage {
    /// What it carries.
    pub kind: QrMessageKind,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

impl QrMessage {
    /// The core's envelope of this message.
    pub(crate) fn to_envelope(&self) -> Envelope {
        Envelope {
            kind: self.kind.to_core(),
            payload: self.payload.clone(),
        }
    }

    /// The binding message of a core envelope; `None` for a kind newer than these bindings.
    pub(crate) fn from_envelope(envelope: Envelope) -> Option<Self> {
        Some(QrMessage {
            kind: QrMessageKind::from_core(envelope.kind)?,
            payload: envelope.payload,
        })
    }
}

/// One QR code to display: its text and its modules, for the UI to draw natively (a light
/// margin of `quietZone` modules on every side, then `size` x `size` square modules), or as a
/// ready PNG when one was asked for in [`FrameOptions`].
///
/// When a message needs several codes (an animated sequence), show them one after another in
/// a loop, about 5 to 10 a second; the scanner assembles them in any order and tolerates
/// missed ones.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QrFrame {
    /// The text in the code: `LZ1:…` (a whole message) or `LZF1:…` (one frame of an animated
    /// sequence). Upper-case QR alphanumeric characters only.
    pub text: String,
    /// QR version, 1 to 40.
    pub version: u8,
    /// Modules per side, without the quiet zone (`17 + 4 * version`).
    pub size: u32,
    /// `size * size` bytes, row-major from the top-left module: 1 is dark, 0 is light.
    pub modules: Vec<u8>,
    /// Light modules to leave around the code on every side (4, as ISO/IEC 18004 asks).
    pub quiet_zone: u32,
    /// The code as a 1-bit greyscale PNG with its quiet zone, when `FrameOptions.pngScale`
    /// was set.
    pub png: Option<Vec<u8>>,
}

/// How a message is cut into QR codes for display.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct FrameOptions {
    /// Characters one frame of an animated sequence may hold (a message this short is always
    /// one code). The default (970) is a version 20 code, comfortably read by phone cameras.
    /// At least 64, at most 3391 (a version 40 code at error-correction level M).
    pub max_frame_chars: u32,
    /// A message of at most this many characters is shown as one dense code even when it is
    /// longer than `max_frame_chars`. The default (3391, everything a version 40 code holds at
    /// level M): one dense code reached a complete answer sooner than the animated sequence at
    /// every size measured (ADR 0015). 0 to 3391; 0 (or any value up to `max_frame_chars`):
    /// only `max_frame_chars` decides.
    pub one_code_max_chars: u32,
    /// Extra frames of an animated sequence, as a fraction of the frames needed (0.5: half as
    /// many again), so missed frames need not be waited for. 0 to 4.
    pub repair_ratio: f32,
    /// When set, every [`QrFrame`] also carries a PNG with this many pixels per module (1 to
    /// 64).
    pub png_scale: Option<u32>,
}

/// Smallest `max_frame_chars` accepted (an animated frame needs room for its header).
const MIN_FRAME_CHARS: u32 = 64;
/// Largest `png_scale` accepted.
const MAX_PNG_SCALE: u32 = 64;

/// The core's defaults: one code up to 3391 characters (version 40 at level M), longer
/// messages in frames of 970 characters (version 20), half as many repair frames again, no
/// PNG.
#[uniffi::export]
pub fn default_frame_options() -> FrameOptions {
    let core = frames::FrameOptions::default();
    FrameOptions {
        max_frame_chars: u32::try_from(core.max_frame_chars)
            .unwrap_or(DEFAULT_MAX_FRAME_CHARS as u32),
        one_code_max_chars: u32::try_from(core.one_code_max_chars)
            .unwrap_or(DEFAULT_ONE_CODE_MAX_CHARS as u32),
        repair_ratio: core.repair_ratio,
        png_scale: None,
    }
}

/// Why a message could not be drawn as QR codes. Each area's public error has a variant for
/// each case.
#[derive(Debug)]
pub(crate) enum DisplayFailure {
    /// The options are out of range.
    BadOptions(String),
    /// The message does not fit, or a code could not be drawn.
    Encoding(String),
}

impl FrameOptions {
    fn to_core(self) -> Result<frames::FrameOptions, DisplayFailure> {
        let max = ErrorCorrection::M.max_alphanumeric() as u32;
        if !(MIN_FRAME_CHARS..=max).contains(&self.max_frame_chars) {
            return Err(DisplayFailure::BadOptions(format!(
                "maxFrameChars must be between {MIN_FRAME_CHARS} and {max}"
            )));
        }
        if self.one_code_max_chars > max {
            return Err(DisplayFailure::BadOptions(format!(
                "oneCodeMaxChars must be at most {max}"
            )));
        }
        if !self.repair_ratio.is_finite() || !(0.0..=4.0).contains(&self.repair_ratio) {
            return Err(DisplayFailure::BadOptions(
                "repairRatio must be between 0 and 4".into(),
            ));
        }
        if let Some(scale) = self.png_scale {
            if !(1..=MAX_PNG_SCALE).contains(&scale) {
                return Err(DisplayFailure::BadOptions(format!(
                    "pngScale must be between 1 and {MAX_PNG_SCALE}"
                )));
            }
        }
        Ok(frames::FrameOptions {
            max_frame_chars: self.max_frame_chars as usize,
            one_code_max_chars: self.one_code_max_chars as usize,
            repair_ratio: self.repair_ratio,
        })
    }
}

pub(crate) fn frame_of(text: String, png_scale: Option<u32>) -> Result<QrFrame, DisplayFailure> {
    let encoding = |e: render::RenderError| DisplayFailure::Encoding(e.to_string());
    let matrix: QrMatrix = render::render(&text, ErrorCorrection::M).map_err(encoding)?;
    let png = png_scale.map(|scale| png_of(&matrix, scale)).transpose()?;
    Ok(QrFrame {
        text,
        version: matrix.version,
        size: matrix.width,
        modules: matrix.modules.iter().map(|&dark| u8::from(dark)).collect(),
        quiet_zone: QUIET_ZONE,
        png,
    })
}

#[cfg(feature = "image-files")]
fn png_of(matrix: &QrMatrix, scale: u32) -> Result<Vec<u8>, DisplayFailure> {
    matrix
        .to_png(&render::PngOptions {
            scale,
            quiet_zone: QUIET_ZONE,
        })
        .map_err(|e| DisplayFailure::Encoding(e.to_string()))
}

/// Built without the image codecs (a phone library): the app draws `modules` itself.
#[cfg(not(feature = "image-files"))]
fn png_of(_matrix: &QrMatrix, _scale: u32) -> Result<Vec<u8>, DisplayFailure> {
    Err(DisplayFailure::BadOptions(
        "pngScale: this library is built without PNG output (feature image-files); draw `modules`"
            .into(),
    ))
}

/// The codes that display `message`: one when it fits `max_frame_chars`, else an animated
/// sequence. CPU work: call it on a worker thread ([`display_frames_async`]).
pub(crate) fn display_frames(
    message: &Envelope,
    options: Option<FrameOptions>,
) -> Result<Vec<QrFrame>, DisplayFailure> {
    let options = options.unwrap_or_else(default_frame_options);
    let core = options.to_core()?;
    let texts = frames::encode_for_display(message, &core)
        .map_err(|e: CoreQrError| DisplayFailure::Encoding(e.to_string()))?;
    texts
        .into_iter()
        .map(|text| frame_of(text, options.png_scale))
        .collect()
}

/// [`display_frames`] on the worker pool.
pub(crate) async fn display_frames_async<E>(
    message: Envelope,
    options: Option<FrameOptions>,
) -> Result<Vec<QrFrame>, E>
where
    E: From<PoolFailure> + From<DisplayFailure> + Send + 'static,
{
    blocking::run(move || Ok(display_frames(&message, options)?)).await
}

/// Why a QR code could not be drawn, read or decoded.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum QrError {
    /// The camera frame's sizes do not agree with its buffer (empty, too large, stride
    /// smaller than the width, buffer too short).
    #[error("invalid camera frame: {reason}")]
    InvalidFrame {
        /// What does not agree.
        reason: String,
    },
    /// The image file given to `QrScanner.pushImage` cannot be read: not a PNG or JPEG, too
    /// large, or damaged.
    #[error("unreadable image: {reason}")]
    InvalidImage {
        /// Why.
        reason: String,
    },
    /// The text is not a complete Laissez message (not Laissez at all, a newer format
    /// version, damaged, or one frame of an animated sequence: use a `QrScanner` for those).
    #[error("not a Laissez message: {reason}")]
    NotAMessage {
        /// What it is instead.
        reason: String,
    },
    /// The frame options are out of range.
    #[error("invalid frame options: {reason}")]
    InvalidFrameOptions {
        /// Which option.
        reason: String,
    },
    /// The message or text could not be drawn as QR codes (too large, or characters a QR
    /// alphanumeric code cannot hold).
    #[error("could not draw the QR code: {reason}")]
    Encoding {
        /// Why.
        reason: String,
    },
    /// A bug in Laissez. Please report it.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

impl From<DisplayFailure> for QrError {
    fn from(failure: DisplayFailure) -> Self {
        match failure {
            DisplayFailure::BadOptions(reason) => Self::InvalidFrameOptions { reason },
            DisplayFailure::Encoding(reason) => Self::Encoding { reason },
        }
    }
}

impl From<PoolFailure> for QrError {
    fn from(failure: PoolFailure) -> Self {
        Self::Internal {
            reason: failure.to_string(),
        }
    }
}

/// Reads the text of one QR code holding a whole message (`LZ1:…`), such as one read by the
/// platform's own scanner or pasted. Frames of an animated sequence (`LZF1:…`) need a
/// `QrScanner`.
#[uniffi::export]
pub fn decode_qr_text(text: String) -> Result<QrMessage, QrError> {
    if frames::is_frame(&text) {
        return Err(QrError::NotAMessage {
            reason: "one frame of an animated sequence: feed it to a QrScanner".into(),
        });
    }
    let envelope = envelope::decode(&text).map_err(|e| QrError::NotAMessage {
        reason: e.to_string(),
    })?;
    QrMessage::from_envelope(envelope).ok_or_else(|| QrError::NotAMessage {
        reason: "a message kind newer than this app".into(),
    })
}

/// The QR codes that display any message (for example a trust list made with
/// `trustListMessage`); `options` default to `defaultFrameOptions()`. Runs on the worker pool.
#[uniffi::export(default(options = None))]
pub async fn qr_frames(
    message: QrMessage,
    options: Option<FrameOptions>,
) -> Result<Vec<QrFrame>, QrError> {
    display_frames_async(message.to_envelope(), options).await
}

/// Draws one QR code holding `text` (QR alphanumeric characters only: upper-case letters,
/// digits and ` $%*+-./:`) at error-correction level M, with a PNG when `png_scale` is set.
#[uniffi::export(default(png_scale = None))]
pub fn render_qr(text: String, png_scale: Option<u32>) -> Result<QrFrame, QrError> {
    if let Some(scale) = png_scale {
        if !(1..=MAX_PNG_SCALE).contains(&scale) {
            return Err(QrError::InvalidFrameOptions {
                reason: format!("pngScale must be between 1 and {MAX_PNG_SCALE}"),
            });
        }
    }
    Ok(frame_of(text, png_scale)?)
}
