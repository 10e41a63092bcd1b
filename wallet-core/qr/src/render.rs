//! Drawing QR codes with the `qrcode` crate: QR text (the envelope's `LZ1:`/`LZF1:` strings)
//! to a module matrix that Kotlin and Swift UIs draw natively, or to SVG, or (with the
//! `image-files` feature) to PNG.
//!
//! The text is always encoded as one segment in QR alphanumeric mode (the Base45 alphabet),
//! in the smallest version that holds it at the chosen error-correction level (default M).
//! Alphanumeric mode is what keeps every decoder from guessing a character set, and it fixes
//! the capacity the frame splitter plans with (970 characters in a version 20 code at M).

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

/// Light modules a reader needs around a code, on every side (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: u32 = 4;
/// Largest side of a rendered PNG, in pixels.
#[cfg(feature = "image-files")]
pub const MAX_PNG_SIDE: u32 = 16_384;
/// The characters QR alphanumeric mode can hold (and Base45 uses).
pub const ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Why a text could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Nothing to encode.
    #[error("the text is empty")]
    Empty,
    /// A character outside the QR alphanumeric set (upper-case letters, digits and
    /// ` $%*+-./:`).
    #[error("character at byte {index} is not in the QR alphanumeric set")]
    NotAlphanumeric {
        /// Byte offset of the first such character.
        index: usize,
    },
    /// The text does not fit a version 40 code at this level.
    #[error("{len} characters do not fit any QR version at level {level:?} (at most {max})")]
    TooLong {
        /// Characters given.
        len: usize,
        /// The error-correction level asked for.
        level: ErrorCorrection,
        /// The most a version 40 code holds at that level.
        max: usize,
    },
    /// The PNG would be larger than [`MAX_PNG_SIDE`], or the scale is zero.
    #[cfg(feature = "image-files")]
    #[error("a PNG of {side} pixels per side is not drawn")]
    BadImageSize {
        /// The side that was asked for, in pixels.
        side: u64,
    },
    /// The PNG encoder failed (a bug: it writes to memory).
    #[cfg(feature = "image-files")]
    #[error("could not encode the PNG")]
    Png,
    /// The QR encoder refused the data (a bug: the size was checked).
    #[error("could not encode the QR code")]
    Encode,
}

/// QR error-correction level: the share of the code that may be damaged and still read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorCorrection {
    /// About 7 %.
    L,
    /// About 15 % (the default: a phone screen is clean but may reflect).
    #[default]
    M,
    /// About 25 %.
    Q,
    /// About 30 %.
    H,
}

impl ErrorCorrection {
    fn level(self) -> EcLevel {
        match self {
            ErrorCorrection::L => EcLevel::L,
            ErrorCorrection::M => EcLevel::M,
            ErrorCorrection::Q => EcLevel::Q,
            ErrorCorrection::H => EcLevel::H,
        }
    }

    /// Alphanumeric characters a version 40 code holds at this level.
    pub fn max_alphanumeric(self) -> usize {
        match self {
            ErrorCorrection::L => 4_296,
            ErrorCorrection::M => 3_391,
            ErrorCorrection::Q => 2_420,
            ErrorCorrection::H => 1_852,
        }
    }
}

/// A QR code as modules, without its quiet zone: draw a light margin of [`QUIET_ZONE`]
/// modules around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// QR version, 1 to 40 (the smallest that holds the text).
    pub version: u8,
    /// Error-correction level.
    pub error_correction: ErrorCorrection,
    /// Modules per side (`17 + 4 * version`).
    pub width: u32,
    /// `width * width` modules, row-major from the top-left; `true` is dark.
    pub modules: Vec<bool>,
}

/// Options for [`QrMatrix::to_png`].
#[cfg(feature = "image-files")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PngOptions {
    /// Pixels per module (at least 1; 8 by default).
    pub scale: u32,
    /// Light modules around the code (default [`QUIET_ZONE`]).
    pub quiet_zone: u32,
}

#[cfg(feature = "image-files")]
impl Default for PngOptions {
    fn default() -> Self {
        Self {
            scale: 8,
            quiet_zone: QUIET_ZONE,
        }
    }
}

/// Encodes `text` in QR alphanumeric mode at `level`, in the smallest version that holds it.
pub fn render(text: &str, level: ErrorCorrection) -> Result<QrMatrix, RenderError> {
    if text.is_empty() {
        return Err(RenderError::Empty);
    }
    if let Some(index) = text
        .bytes()
        .position(|b| !ALPHANUMERIC.as_bytes().contains(&b))
    {
        return Err(RenderError::NotAlphanumeric { index });
    }
    let max = level.max_alphanumeric();
    if text.len() > max {
        return Err(RenderError::TooLong {
            len: text.len(),
            level,
            max,
        });
    }
    let code = (1..=40)
        .find_map(|version| encode(text, Version::Normal(version), level.level()))
        .ok_or(RenderError::Encode)?;
    let Version::Normal(version) = code.version() else {
        return Err(RenderError::Encode);
    };
    let width = code.width() as u32;
    let modules = code
        .into_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok(QrMatrix {
        version: version as u8,
        error_correction: level,
        width,
        modules,
    })
}

/// One alphanumeric segment in exactly `version`, or `None` when it does not fit.
fn encode(text: &str, version: Version, level: EcLevel) -> Option<QrCode> {
    let mut bits = Bits::new(version);
    bits.push_alphanumeric_data(text.as_bytes()).ok()?;
    bits.push_terminator(level).ok()?;
    QrCode::with_bits(bits, level).ok()
}

impl QrMatrix {
    /// Whether the module at column `x`, row `y` is dark (`false` outside the code).
    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.width && self.modules[(y * self.width + x) as usize]
    }

    /// Side of the drawn image in modules, quiet zone included.
    pub fn side_with_quiet_zone(&self, quiet_zone: u32) -> u32 {
        self.width + 2 * quiet_zone
    }

    /// An SVG document: one path of the dark modules on a white square, one user unit per
    /// module (scale it with `width`/`height` or CSS), `quiet_zone` modules of margin.
    pub fn to_svg(&self, quiet_zone: u32) -> String {
        let side = self.side_with_quiet_zone(quiet_zone);
        let mut path = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                // A horizontal run of dark modules as one rectangle.
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + quiet_zone,
                    y + quiet_zone,
                    x - start,
                    x - start
                ));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
             shape-rendering=\"crispEdges\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>\n"
        )
    }
}

#[cfg(feature = "image-files")]
impl QrMatrix {
    /// A 1-bit greyscale PNG: black modules on white, `scale` pixels per module, with a
    /// quiet zone.
    pub fn to_png(&self, options: &PngOptions) -> Result<Vec<u8>, RenderError> {
        let side =
            (u64::from(self.width) + 2 * u64::from(options.quiet_zone)) * u64::from(options.scale);
        if options.scale == 0 || side > u64::from(MAX_PNG_SIDE) {
            return Err(RenderError::BadImageSize { side });
        }
        let side = side as u32;
        let (scale, quiet) = (options.scale, options.quiet_zone);
        let row_bytes = side.div_ceil(8) as usize;
        let mut pixels = vec![0u8; row_bytes * side as usize];
        for (py, row) in pixels.chunks_exact_mut(row_bytes).enumerate() {
            let my = (py as u32 / scale).checked_sub(quiet);
            for px in 0..side {
                let mx = (px / scale).checked_sub(quiet);
                let dark = matches!((mx, my), (Some(x), Some(y)) if self.is_dark(x, y));
                if !dark {
                    // 1 is white in greyscale; most significant bit first.
                    row[(px / 8) as usize] |= 0x80 >> (px % 8);
                }
            }
        }
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, side, side);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.set_depth(png::BitDepth::One);
            encoder.set_compression(png::Compression::High);
            let mut writer = encoder.write_header().map_err(|_| RenderError::Png)?;
            writer
                .write_image_data(&pixels)
                .map_err(|_| RenderError::Png)?;
            writer.finish().map_err(|_| RenderError::Png)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn smallest_version_and_level() {
        // 970 alphanumeric characters: version 20 at M (the frame splitter's budget); 971
        // need version 21.
        let text = "A".repeat(970);
        let m = render(&text, ErrorCorrection::M).unwrap();
        assert_eq!((m.version, m.width), (20, 97));
        assert_eq!(m.modules.len(), 97 * 97);
        assert_eq!(
            render(&"A".repeat(971), ErrorCorrection::M)
                .unwrap()
                .version,
            21
        );
        assert_eq!(
            render("LZ1:ABC", ErrorCorrection::default())
                .unwrap()
                .version,
            1
        );
        // Finder pattern corners are dark.
        assert!(m.is_dark(0, 0) && m.is_dark(96, 0) && m.is_dark(0, 96));
        assert!(!m.is_dark(97, 0));
        for (level, max) in [
            (ErrorCorrection::L, 4_296),
            (ErrorCorrection::M, 3_391),
            (ErrorCorrection::Q, 2_420),
            (ErrorCorrection::H, 1_852),
        ] {
            assert_eq!(render(&"9".repeat(max), level).unwrap().version, 40);
            assert_eq!(
                render(&"9".repeat(max + 1), level).unwrap_err(),
                RenderError::TooLong {
                    len: max + 1,
                    level,
                    max
                }
            );
        }
    }

    #[test]
    fn refuses_what_alphanumeric_mode_cannot_hold() {
        assert_eq!(
            render("", ErrorCorrection::M).unwrap_err(),
            RenderError::Empty
        );
        assert_eq!(
            render("LZ1:abc", ErrorCorrection::M).unwrap_err(),
            RenderError::NotAlphanumeric { index: 4 }
        );
        assert_eq!(
            render("LZ1:\u{e9}", ErrorCorrection::M).unwrap_err(),
            RenderError::NotAlphanumeric { index: 4 }
        );
    }

    #[test]
    #[cfg(feature = "image-files")]
    fn png_refuses_bad_sizes() {
        let m = render("LZ1:X", ErrorCorrection::M).unwrap();
        for scale in [0, 10_000] {
            assert!(matches!(
                m.to_png(&PngOptions {
                    scale,
                    quiet_zone: 4
                }),
                Err(RenderError::BadImageSize { .. })
            ));
        }
    }

    #[test]
    #[cfg(feature = "image-files")]
    fn png_output() {
        let m = render("LZ1:HELLO", ErrorCorrection::Q).unwrap();
        let png = m
            .to_png(&PngOptions {
                scale: 3,
                quiet_zone: 2,
            })
            .unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().width, (m.width + 4) * 3);
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
    }

    #[test]
    fn svg_output() {
        let m = render("LZ1:HELLO", ErrorCorrection::Q).unwrap();
        let svg = m.to_svg(QUIET_ZONE);
        let side = m.width + 8;
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        // The top-left finder pattern's first row: a run of 7 dark modules after the margin.
        assert!(svg.contains("M4 4h7v1h-7z"), "{svg}");
    }
}
