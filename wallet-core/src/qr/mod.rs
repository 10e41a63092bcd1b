//! QR transport: the versioned text envelope (Base45 of deflated CBOR, for QR alphanumeric
//! mode) and animated sequences with an erasure code for messages too large for one code.

pub mod envelope;
pub mod error;
pub mod frames;

pub use envelope::{Envelope, MessageKind};
pub use error::{QrError, QrResult};
pub use frames::{FrameAssembler, FrameOptions, FrameProgress};
