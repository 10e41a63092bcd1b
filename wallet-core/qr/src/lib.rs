//! # laissez-qr: the QR layer of the Laissez wallet core
//!
//! QR transport: the versioned text envelope (Base45 of deflated CBOR, for QR alphanumeric
//! mode), animated sequences with an erasure code (RaptorQ) for messages too large for one
//! code, drawing codes ([`render`]: module matrices for native UIs, SVG, and PNG with the
//! `image-files` feature) and reading them from camera luma frames and, with `image-files`,
//! PNG and JPEG files ([`scan`]). It knows nothing of credentials: it carries bytes.
//!
//! ```
//! use laissez_qr::{Envelope, FrameAssembler, MessageKind, envelope, render};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let message = Envelope {
//!     kind: MessageKind::VerifierRequest,
//!     payload: b"hello".to_vec(),
//! };
//! let text = envelope::encode(&message)?;
//! assert!(text.starts_with("LZ1:"));
//! let code = render::render(&text, Default::default())?;
//! assert!(code.width >= 21);
//! assert_eq!(envelope::decode(&text)?, message);
//! # let _ = FrameAssembler::new;
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! - `image-files` (default): image files in and out: `QrMatrix::to_png` and `PngOptions`
//!   (PNG output), and `scan::decode_image` and `scan::scan_image` (PNG and JPEG input), with the `png` and `zune-jpeg` codecs. Phone apps draw the module matrix and
//!   hand over camera luma frames, so the phone library builds without it and leaves the codecs
//!   out (`docs/adr/0009-phone-library-size.md`); everything else (envelope, frames, module
//!   matrices, SVG, luma-frame scanning) is the same either way. Without it the image-file
//!   variants of [`ScanError`] and the PNG variants of [`RenderError`] do not exist (both
//!   enums are `#[non_exhaustive]`).

pub mod envelope;
pub mod error;
pub mod frames;
pub mod render;
pub mod scan;

pub use envelope::{Envelope, MessageKind};
pub use error::{QrError, QrResult};
pub use frames::{FrameAssembler, FrameOptions, FrameProgress};
#[cfg(feature = "image-files")]
pub use render::PngOptions;
pub use render::{ErrorCorrection, QrMatrix, RenderError};
pub use scan::{LumaFrame, LumaImage, ScanEffort, ScanError, ScanUpdate, ScannedCode, Scanner};
