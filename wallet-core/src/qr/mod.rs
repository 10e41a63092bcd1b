//! QR transport: the versioned text envelope (Base45 of deflated CBOR, for QR alphanumeric
//! mode), animated sequences with an erasure code for messages too large for one code, drawing
//! codes ([`render`]) and reading them from camera frames and image files ([`scan`]).

pub mod envelope;
pub mod error;
pub mod frames;
pub mod render;
pub mod scan;

pub use envelope::{Envelope, MessageKind};
pub use error::{QrError, QrResult};
pub use frames::{FrameAssembler, FrameOptions, FrameProgress};
pub use render::{ErrorCorrection, PngOptions, QrMatrix, RenderError};
pub use scan::{LumaFrame, LumaImage, ScanEffort, ScanError, ScanUpdate, ScannedCode, Scanner};
