//! PNG and JPEG files to luma (the `image-files` feature): [`decode_image`] and
//! [`scan_image`]. Both decoders run under limits and behind `catch_unwind`, since files
//! come from outside.

use std::io::Cursor;
use std::panic::catch_unwind;

use super::frame::check_dimensions;
use super::{
    LumaFrame, LumaImage, MAX_PIXELS, MAX_SIDE, ScanEffort, ScanError, ScannedCode, scan_frame,
};

/// Largest image file accepted, in bytes.
pub const MAX_IMAGE_FILE_LEN: usize = 64 * 1024 * 1024;

/// Decodes a PNG or JPEG file to luma. Colour is weighted as in BT.601; transparent pixels
/// are composited on white (a code drawn on a transparent background reads as printed).
pub fn decode_image(bytes: &[u8]) -> Result<LumaImage, ScanError> {
    if bytes.len() > MAX_IMAGE_FILE_LEN {
        return Err(ScanError::ImageFileTooLarge);
    }
    let result = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        catch_unwind(|| decode_png(bytes))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        catch_unwind(|| decode_jpeg(bytes))
    } else {
        return Err(ScanError::UnsupportedImageFormat);
    };
    let image = result.unwrap_or(Err(ScanError::CorruptImage))?;
    // Re-check what the codec reported against the limits and the buffer.
    LumaFrame::packed(image.width, image.height, &image.pixels)?;
    Ok(image)
}

/// Reads every QR code in a PNG or JPEG file (with [`ScanEffort::Thorough`]).
pub fn scan_image(bytes: &[u8]) -> Result<Vec<ScannedCode>, ScanError> {
    let image = decode_image(bytes)?;
    Ok(scan_frame(&image.as_frame()?, ScanEffort::Thorough))
}

fn decode_png(bytes: &[u8]) -> Result<LumaImage, ScanError> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_PIXELS as usize) * 4,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    let mut reader = decoder.read_info().map_err(|_| ScanError::CorruptImage)?;
    let (width, height) = (reader.info().width, reader.info().height);
    check_dimensions(width, height)?;
    let size = reader
        .output_buffer_size()
        .ok_or(ScanError::FrameTooLarge { width, height })?;
    let mut buffer = vec![0u8; size];
    let info = reader
        .next_frame(&mut buffer)
        .map_err(|_| ScanError::CorruptImage)?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(ScanError::CorruptImage),
    };
    if info.bit_depth != png::BitDepth::Eight {
        return Err(ScanError::CorruptImage);
    }
    let (w, h) = (info.width as usize, info.height as usize);
    check_dimensions(info.width, info.height)?;
    let line = info.line_size;
    if line < w * channels || buffer.len() < line * h {
        return Err(ScanError::CorruptImage);
    }
    let mut pixels = Vec::with_capacity(w * h);
    for row in buffer.chunks_exact(line).take(h) {
        let row = &row[..w * channels];
        match channels {
            1 => pixels.extend_from_slice(row),
            2 => pixels.extend(row.chunks_exact(2).map(|p| over_white(p[0], p[1]))),
            3 => pixels.extend(row.chunks_exact(3).map(|p| luma(p[0], p[1], p[2]))),
            _ => pixels.extend(
                row.chunks_exact(4)
                    .map(|p| over_white(luma(p[0], p[1], p[2]), p[3])),
            ),
        }
    }
    Ok(LumaImage {
        width: info.width,
        height: info.height,
        pixels,
    })
}

fn decode_jpeg(bytes: &[u8]) -> Result<LumaImage, ScanError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    decoder
        .decode_headers()
        .map_err(|_| ScanError::CorruptImage)?;
    let info = decoder.info().ok_or(ScanError::CorruptImage)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_dimensions(width, height)?;
    let pixels = decoder.decode().map_err(|_| ScanError::CorruptImage)?;
    if pixels.len() != width as usize * height as usize {
        return Err(ScanError::CorruptImage);
    }
    Ok(LumaImage {
        width,
        height,
        pixels,
    })
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000) as u8
}

fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::scan::testing::hostile_inputs;

    #[test]
    fn hostile_files_give_errors() {
        for bytes in hostile_inputs() {
            // Random bytes, and random bytes behind image signatures.
            assert_eq!(
                scan_image(&bytes).unwrap_err(),
                ScanError::UnsupportedImageFormat
            );
            for magic in [&b"\x89PNG\r\n\x1a\n"[..], &[0xFF, 0xD8, 0xFF]] {
                let file = [magic, &bytes].concat();
                assert!(scan_image(&file).is_err());
            }
        }
        // Every truncation of a real PNG and JPEG.
        let matrix = crate::render::render("LZ1:TRUNCATED", Default::default()).unwrap();
        let png = matrix.to_png(&Default::default()).unwrap();
        assert_eq!(scan_image(&png).unwrap()[0].text, "LZ1:TRUNCATED");
        for cut in 0..png.len() - 1 {
            let result = scan_image(&png[..cut]);
            // Only the 12-byte IEND trailer may be missing.
            if cut < png.len() - 12 {
                assert!(result.is_err(), "cut at {cut}");
            }
        }
        assert_eq!(
            scan_image(&vec![0u8; MAX_IMAGE_FILE_LEN + 1]).unwrap_err(),
            ScanError::ImageFileTooLarge
        );
    }
}
