//! Why a frame or an image file could not be looked at. The image-file variants exist only
//! with the `image-files` feature. The enum alone stays `#[non_exhaustive]` (with `RenderError`):
//! its variants depend on a feature, and only so do matches in other crates compile either
//! way.

/// Why a frame or an image could not be looked at. A frame that simply holds no readable
/// code is not an error: it gives an empty list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// Width or height is zero.
    #[error("the frame is empty ({width}x{height})")]
    EmptyFrame {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The frame is larger than [`MAX_SIDE`](super::MAX_SIDE) or [`MAX_PIXELS`](super::MAX_PIXELS).
    #[error("the frame is too large ({width}x{height})")]
    FrameTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The row stride is smaller than the width.
    #[error("row stride {stride} is smaller than the width {width}")]
    StrideTooSmall {
        /// Bytes from one row to the next.
        stride: u32,
        /// Width in pixels.
        width: u32,
    },
    /// The buffer is shorter than width, height and stride require.
    #[error("the frame buffer holds {actual} bytes, {needed} are needed")]
    BufferTooSmall {
        /// Bytes needed: `stride * (height - 1) + width`.
        needed: u64,
        /// Bytes given.
        actual: u64,
    },
    /// The image file is neither PNG nor JPEG.
    #[cfg(feature = "image-files")]
    #[error("not a PNG or JPEG image")]
    UnsupportedImageFormat,
    /// The image file is larger than [`MAX_IMAGE_FILE_LEN`](super::MAX_IMAGE_FILE_LEN).
    #[cfg(feature = "image-files")]
    #[error("the image file is too large")]
    ImageFileTooLarge,
    /// The PNG or JPEG data is damaged or truncated.
    #[cfg(feature = "image-files")]
    #[error("the image file is damaged or truncated")]
    CorruptImage,
}
