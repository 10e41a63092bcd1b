//! The pixels given to the scanner (a borrowed [`LumaFrame`] or an owned [`LumaImage`]),
//! the size limits they are checked against, and the [`ScannedCode`]s read from them.

use std::borrow::Cow;

use super::ScanError;

/// Largest side of a frame or image accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Most pixels in one frame or image (a 48-megapixel photo fits).
pub const MAX_PIXELS: u64 = 50_000_000;

/// Checks a frame's or image's size against [`MAX_SIDE`] and [`MAX_PIXELS`].
pub(super) fn check_dimensions(width: u32, height: u32) -> Result<(), ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::EmptyFrame { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanError::FrameTooLarge { width, height });
    }
    Ok(())
}

/// A borrowed 8-bit luma (greyscale) frame, such as the Y plane a phone camera delivers
/// (Android `ImageProxy` plane 0, iOS `kCVPixelFormatType_420YpCbCr8BiPlanar*` plane 0).
#[derive(Clone, Copy)]
pub struct LumaFrame<'a> {
    width: u32,
    height: u32,
    stride: u32,
    data: &'a [u8],
}

impl std::fmt::Debug for LumaFrame<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("stride", &self.stride)
            .finish_non_exhaustive()
    }
}

impl<'a> LumaFrame<'a> {
    /// A frame of `width` x `height` pixels, one byte each, rows `stride` bytes apart
    /// (`stride >= width`; padding after the last row's pixels is optional). Checks that the
    /// sizes agree with the buffer.
    pub fn new(width: u32, height: u32, stride: u32, data: &'a [u8]) -> Result<Self, ScanError> {
        check_dimensions(width, height)?;
        if stride < width {
            return Err(ScanError::StrideTooSmall { stride, width });
        }
        let needed = u64::from(stride) * u64::from(height - 1) + u64::from(width);
        if (data.len() as u64) < needed {
            return Err(ScanError::BufferTooSmall {
                needed,
                actual: data.len() as u64,
            });
        }
        Ok(Self {
            width,
            height,
            stride,
            data,
        })
    }

    /// A tightly packed frame (`stride == width`).
    pub fn packed(width: u32, height: u32, data: &'a [u8]) -> Result<Self, ScanError> {
        Self::new(width, height, width, data)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels without row padding.
    pub(super) fn packed_pixels(&self) -> Cow<'a, [u8]> {
        let (w, h, s) = (
            self.width as usize,
            self.height as usize,
            self.stride as usize,
        );
        if s == w {
            return Cow::Borrowed(&self.data[..w * h]);
        }
        let mut out = Vec::with_capacity(w * h);
        for row in 0..h {
            out.extend_from_slice(&self.data[row * s..row * s + w]);
        }
        Cow::Owned(out)
    }
}

/// An owned luma image, such as one decoded from an image file.
#[derive(Clone, PartialEq, Eq)]
pub struct LumaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` bytes, row-major, no padding.
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for LumaImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

impl LumaImage {
    /// This image as a frame.
    pub fn as_frame(&self) -> Result<LumaFrame<'_>, ScanError> {
        LumaFrame::packed(self.width, self.height, &self.pixels)
    }
}

/// One QR code read from a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedCode {
    /// The text in the code, as the decoder gives it (no trimming, no interpretation).
    pub text: String,
    /// The content bytes as stored in the code (for byte mode: before any character-set
    /// guess; for alphanumeric mode: the ASCII text).
    pub bytes: Vec<u8>,
    /// Corners of the code in frame pixels (for drawing an outline), when the decoder
    /// reports them.
    pub corners: Vec<(f32, f32)>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn frame_sizes_are_checked() {
        let data = vec![0u8; 100];
        assert_eq!(
            LumaFrame::new(0, 10, 10, &data).unwrap_err(),
            ScanError::EmptyFrame {
                width: 0,
                height: 10
            }
        );
        assert_eq!(
            LumaFrame::new(10, 10, 9, &data).unwrap_err(),
            ScanError::StrideTooSmall {
                stride: 9,
                width: 10
            }
        );
        assert_eq!(
            LumaFrame::new(10, 11, 10, &data).unwrap_err(),
            ScanError::BufferTooSmall {
                needed: 110,
                actual: 100
            }
        );
        // The last row needs no padding.
        assert!(LumaFrame::new(10, 10, 12, &[0u8; 118]).is_ok());
        assert!(LumaFrame::new(10, 10, 12, &[0u8; 117]).is_err());
        assert_eq!(
            LumaFrame::new(u32::MAX, u32::MAX, u32::MAX, &data).unwrap_err(),
            ScanError::FrameTooLarge {
                width: u32::MAX,
                height: u32::MAX
            }
        );
        // Padding is dropped before decoding.
        let padded: Vec<u8> = (0..3 * 5).map(|i| i as u8).collect();
        let frame = LumaFrame::new(3, 3, 5, &padded[..13]).unwrap();
        assert_eq!(&*frame.packed_pixels(), &[0, 1, 2, 5, 6, 7, 10, 11, 12]);
    }
}
