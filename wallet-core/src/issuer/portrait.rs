//! Preparing the holder's portrait for signing: a JPEG or PNG photo in, cropped to the
//! portrait's proportions around its centre, scaled down by area averaging and encoded as a
//! small baseline JPEG (JFIF) that fits a QR answer (docs/adr/0018-signed-portrait.md; sizes
//! and their cost in docs/BENCHMARKS.md).

use std::io::Cursor;

use super::error::IssuerError;
use laissez_formats::credential::portrait as signed;

/// The size and JPEG quality of a prepared portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortraitSpec {
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// JPEG quality, 1 (smallest) to 100.
    pub quality: u8,
    /// Greyscale instead of colour: about a fifth smaller at the same size and quality
    /// (no chroma tables or data), at the cost of skin, eye and hair colour.
    pub grey: bool,
}

impl PortraitSpec {
    /// Laissez's default: 80×100 pixels, greyscale, quality 30, about 1.2 kB: an answer with
    /// 3 claims and the portrait stays one QR code, and the eyes are about 18 pixels apart
    /// (docs/BENCHMARKS.md, "Portrait"; docs/adr/0018-signed-portrait.md).
    pub const DEFAULT: Self = Self {
        width: 80,
        height: 100,
        quality: 30,
        grey: true,
    };

    fn check(&self) -> Result<(), IssuerError> {
        let bad = |what: &str| Err(IssuerError::InvalidInput(format!("portrait: {what}")));
        if !(16..=640).contains(&self.width) || !(16..=800).contains(&self.height) {
            return bad("the size must be 16 to 640 pixels wide and 16 to 800 high");
        }
        if !(1..=100).contains(&self.quality) {
            return bad("the JPEG quality must be 1 to 100");
        }
        Ok(())
    }
}

impl Default for PortraitSpec {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Largest photo accepted, in pixels (a 24-megapixel camera image).
const MAX_SOURCE_PIXELS: u64 = 24_000_000;

/// An RGB image, 8 bits a channel, rows top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub struct RgbImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 3` bytes.
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for RgbImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RgbImage({}×{})", self.width, self.height)
    }
}

fn bad_photo(what: &str) -> IssuerError {
    IssuerError::InvalidInput(format!("portrait: {what}"))
}

/// Decodes a JPEG or PNG photo to RGB.
pub fn decode_photo(bytes: &[u8]) -> Result<RgbImage, IssuerError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        decode_jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(bytes)
    } else {
        Err(bad_photo("the photo is neither a JPEG nor a PNG file"))
    }
}

fn check_source(width: usize, height: usize) -> Result<(), IssuerError> {
    if width == 0 || height == 0 || (width as u64) * (height as u64) > MAX_SOURCE_PIXELS {
        return Err(bad_photo("the photo is empty or over 24 megapixels"));
    }
    Ok(())
}

fn decode_jpeg(bytes: &[u8]) -> Result<RgbImage, IssuerError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(8_192)
        .set_max_height(8_192);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    let unreadable = |_| bad_photo("the JPEG photo cannot be decoded");
    decoder.decode_headers().map_err(unreadable)?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| bad_photo("the JPEG photo has no size"))?;
    check_source(width, height)?;
    let pixels = decoder.decode().map_err(unreadable)?;
    if pixels.len() != width * height * 3 {
        return Err(bad_photo("the JPEG photo cannot be decoded"));
    }
    Ok(RgbImage {
        width,
        height,
        pixels,
    })
}

fn decode_png(bytes: &[u8]) -> Result<RgbImage, IssuerError> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_SOURCE_PIXELS as usize) * 4,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    let unreadable = |_| bad_photo("the PNG photo cannot be decoded");
    let mut reader = decoder.read_info().map_err(unreadable)?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    check_source(width, height)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| bad_photo("the PNG photo is too large"))?;
    let mut buffer = vec![0u8; size];
    let info = reader.next_frame(&mut buffer).map_err(unreadable)?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(bad_photo("the PNG photo cannot be decoded")),
    };
    let (w, h, line) = (info.width as usize, info.height as usize, info.line_size);
    if info.bit_depth != png::BitDepth::Eight
        || w != width
        || h != height
        || line < w * channels
        || buffer.len() < line * h
    {
        return Err(bad_photo("the PNG photo cannot be decoded"));
    }
    let mut pixels = Vec::with_capacity(w * h * 3);
    for row in buffer.chunks_exact(line).take(h) {
        for p in row
            .get(..w * channels)
            .unwrap_or_default()
            .chunks_exact(channels)
        {
            // Transparent parts over white, like a photo on paper.
            let over_white = |v: u8, a: u8| {
                ((u32::from(v) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8
            };
            match *p {
                [g] => pixels.extend_from_slice(&[g, g, g]),
                [g, a] => pixels.extend_from_slice(&[over_white(g, a); 3]),
                [r, g, b] => pixels.extend_from_slice(&[r, g, b]),
                [r, g, b, a] => pixels.extend_from_slice(&[
                    over_white(r, a),
                    over_white(g, a),
                    over_white(b, a),
                ]),
                _ => return Err(bad_photo("the PNG photo cannot be decoded")),
            }
        }
    }
    Ok(RgbImage {
        width,
        height,
        pixels,
    })
}

/// Crops `image` around its centre to the proportions of `width`×`height` and scales it to
/// that size: each output pixel the mean of the source area it covers (a box filter, which
/// does not alias when shrinking a photo several times), or the nearest source pixel when
/// enlarging.
pub fn crop_and_scale(image: &RgbImage, width: usize, height: usize) -> RgbImage {
    let (sw, sh) = (image.width, image.height);
    if width == 0 || height == 0 || sw == 0 || sh == 0 {
        return RgbImage {
            width: 0,
            height: 0,
            pixels: Vec::new(),
        };
    }
    // The largest centred window with the target's proportions.
    let (cw, ch) = if sw * height > sh * width {
        ((sh * width / height).max(1), sh)
    } else {
        (sw, (sw * height / width).max(1))
    };
    let (x0, y0) = ((sw - cw) / 2, (sh - ch) / 2);
    let mut pixels = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        let top = y0 + y * ch / height;
        let bottom = (y0 + (y + 1) * ch / height).max(top + 1).min(sh);
        for x in 0..width {
            let left = x0 + x * cw / width;
            let right = (x0 + (x + 1) * cw / width).max(left + 1).min(sw);
            let mut sum = [0u32; 3];
            for row in top..bottom {
                let start = (row * sw + left) * 3;
                let end = (row * sw + right) * 3;
                for p in image
                    .pixels
                    .get(start..end)
                    .unwrap_or_default()
                    .chunks_exact(3)
                {
                    for (s, v) in sum.iter_mut().zip(p) {
                        *s += u32::from(*v);
                    }
                }
            }
            let n = ((bottom - top) * (right - left)).max(1) as u32;
            pixels.extend(sum.iter().map(|s| ((s + n / 2) / n) as u8));
        }
    }
    RgbImage {
        width,
        height,
        pixels,
    }
}

/// Encodes an RGB image as a baseline JPEG (JFIF; colour 4:2:0, or greyscale) at `quality`.
/// Greyscale portraits get Huffman tables optimised for the image (the standard tables are a
/// large share of a 1 kB file). Colour ones keep the standard tables: zune-jpeg 0.5 (our own
/// decoder) misreads colour files with optimised tables that libjpeg reads correctly, and a
/// verifier must never be shown a garbled face (ADR 0018).
pub fn encode_jpeg(image: &RgbImage, quality: u8, grey: bool) -> Result<Vec<u8>, IssuerError> {
    let width = u16::try_from(image.width).map_err(|_| bad_photo("too wide to encode"))?;
    let height = u16::try_from(image.height).map_err(|_| bad_photo("too high to encode"))?;
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.set_optimized_huffman_tables(grey);
    let failed = |e: jpeg_encoder::EncodingError| {
        IssuerError::Issue(format!("portrait: JPEG encoding failed: {e}"))
    };
    if grey {
        let luma: Vec<u8> = image
            .pixels
            .chunks_exact(3)
            .map(|p| {
                ((299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]) + 500)
                    / 1000) as u8
            })
            .collect();
        encoder
            .encode(&luma, width, height, jpeg_encoder::ColorType::Luma)
            .map_err(failed)?;
    } else {
        encoder
            .encode(&image.pixels, width, height, jpeg_encoder::ColorType::Rgb)
            .map_err(failed)?;
    }
    Ok(out)
}

/// Prepares a photo (JPEG or PNG bytes) as the portrait to sign: cropped, scaled and encoded
/// per `spec`. The result is checked the way verifiers check it.
pub fn prepare_portrait(photo: &[u8], spec: &PortraitSpec) -> Result<Vec<u8>, IssuerError> {
    spec.check()?;
    let image = decode_photo(photo)?;
    let scaled = crop_and_scale(&image, usize::from(spec.width), usize::from(spec.height));
    let jpeg = encode_jpeg(&scaled, spec.quality, spec.grey)?;
    check_portrait(&jpeg)?;
    Ok(jpeg)
}

/// Checks JPEG bytes as verifiers will (a JFIF/JPEG start, a readable frame header, a sane
/// size), so an issuer never signs a portrait that no one can show.
pub fn check_portrait(jpeg: &[u8]) -> Result<(), IssuerError> {
    signed::jpeg_size(jpeg)
        .map(|_| ())
        .map_err(|problem| IssuerError::InvalidInput(format!("portrait: {problem}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn gradient(width: usize, height: usize) -> RgbImage {
        let mut pixels = Vec::new();
        for y in 0..height {
            for x in 0..width {
                pixels.extend_from_slice(&[(x * 255 / width) as u8, (y * 255 / height) as u8, 90]);
            }
        }
        RgbImage {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn crops_centre_and_averages() {
        // 4×2 → 1×1 crops to the middle 2×2... with proportions 1:1 (columns 1 and 2).
        let image = RgbImage {
            width: 4,
            height: 2,
            pixels: [
                [0, 0, 0],
                [10, 10, 10],
                [20, 20, 20],
                [200, 200, 200],
                [0, 0, 0],
                [30, 30, 30],
                [40, 40, 40],
                [200, 200, 200],
            ]
            .concat(),
        };
        let out = crop_and_scale(&image, 1, 1);
        assert_eq!(out.pixels, vec![25, 25, 25]);
        let out = crop_and_scale(&gradient(240, 300), 96, 120);
        assert_eq!(out.pixels.len(), 96 * 120 * 3);
        // Enlarging repeats pixels.
        let out = crop_and_scale(&gradient(2, 2), 4, 4);
        assert_eq!(out.pixels.len(), 4 * 4 * 3);
    }

    #[test]
    fn prepares_a_jfif_portrait_of_the_asked_size() {
        let image = gradient(300, 200);
        let photo = encode_jpeg(&image, 90, false).unwrap();
        let jpeg = prepare_portrait(&photo, &PortraitSpec::DEFAULT).unwrap();
        // SOI then APP0 "JFIF", as @auth0/mdl's portrait check wants.
        assert_eq!(&jpeg[..4], &[0xFF, 0xD8, 0xFF, 0xE0]);
        assert_eq!(signed::jpeg_size(&jpeg).unwrap(), (80, 100));
        let small = prepare_portrait(
            &photo,
            &PortraitSpec {
                quality: 20,
                ..PortraitSpec::DEFAULT
            },
        )
        .unwrap();
        assert!(small.len() < jpeg.len());
        let colour = prepare_portrait(
            &photo,
            &PortraitSpec {
                grey: false,
                ..PortraitSpec::DEFAULT
            },
        )
        .unwrap();
        assert!(colour.len() > jpeg.len());
        assert_eq!(signed::jpeg_size(&colour).unwrap(), (80, 100));
        // Our own decoder reads both back.
        for file in [&jpeg, &colour] {
            let back = decode_photo(file).unwrap();
            assert_eq!((back.width, back.height), (80, 100));
        }
    }

    #[test]
    fn bad_photos_and_specs_are_typed_errors() {
        let photo = encode_jpeg(&gradient(30, 30), 90, false).unwrap();
        for bytes in [&b"GIF89a"[..], &[], &photo[..40], b"\x89PNG\r\n\x1a\nxx"] {
            assert!(matches!(
                prepare_portrait(bytes, &PortraitSpec::DEFAULT),
                Err(IssuerError::InvalidInput(_))
            ));
        }
        for spec in [
            PortraitSpec {
                width: 8,
                ..PortraitSpec::DEFAULT
            },
            PortraitSpec {
                quality: 0,
                ..PortraitSpec::DEFAULT
            },
        ] {
            assert!(matches!(
                prepare_portrait(&photo, &spec),
                Err(IssuerError::InvalidInput(_))
            ));
        }
        assert!(check_portrait(b"not a jpeg").is_err());
    }
}
