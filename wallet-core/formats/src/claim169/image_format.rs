//! The format of a face image or biometric image: what the code declares, and what its first
//! bytes show. Pixels are not decoded here.

/// An image format Claim 169 names (spec v1.2.x, biometric image sub-formats and the photo
/// format of key 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG (JFIF/Exif, ISO/IEC 10918).
    Jpeg,
    /// JPEG 2000 (a JP2 file or a bare codestream).
    Jpeg2000,
    /// AVIF (HEIF with an `avif`/`avis` brand).
    Avif,
    /// WebP.
    WebP,
    /// TIFF.
    Tiff,
    /// WSQ (fingerprint images, FBI Wavelet Scalar Quantization).
    Wsq,
}

impl ImageFormat {
    /// The biometric image sub-format (key 2 when the data format is Image): 0 PNG, 1 JPEG,
    /// 2 JPEG2000, 3 AVIF, 4 WEBP, 5 TIFF, 6 WSQ. Vendor-specific values (100-200) and
    /// others give `None`.
    pub fn from_biometric_sub_format(value: u64) -> Option<Self> {
        Some(match value {
            0 => Self::Png,
            1 => Self::Jpeg,
            2 => Self::Jpeg2000,
            3 => Self::Avif,
            4 => Self::WebP,
            5 => Self::Tiff,
            6 => Self::Wsq,
            _ => return None,
        })
    }

    /// The biometric image sub-format number of this format.
    pub fn biometric_sub_format(self) -> u64 {
        match self {
            Self::Png => 0,
            Self::Jpeg => 1,
            Self::Jpeg2000 => 2,
            Self::Avif => 3,
            Self::WebP => 4,
            Self::Tiff => 5,
            Self::Wsq => 6,
        }
    }

    /// The photo format of claim 169 key 17: 1 JPEG, 2 JPEG2000, 3 AVIF, 4 WEBP.
    pub fn from_photo_format(value: u64) -> Option<Self> {
        Some(match value {
            1 => Self::Jpeg,
            2 => Self::Jpeg2000,
            3 => Self::Avif,
            4 => Self::WebP,
            _ => return None,
        })
    }

    /// The key-17 number of this format, if the photo may have it.
    pub fn photo_format(self) -> Option<u64> {
        match self {
            Self::Jpeg => Some(1),
            Self::Jpeg2000 => Some(2),
            Self::Avif => Some(3),
            Self::WebP => Some(4),
            _ => None,
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Jpeg2000 => "image/jp2",
            Self::Avif => "image/avif",
            Self::WebP => "image/webp",
            Self::Tiff => "image/tiff",
            Self::Wsq => "image/x-wsq",
        }
    }

    /// The format the first bytes of `image` show, if one of these.
    pub fn detect(image: &[u8]) -> Option<Self> {
        const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
        const JP2: &[u8] = b"\x00\x00\x00\x0cjP  \r\n\x87\n";
        const J2K: &[u8] = b"\xff\x4f\xff\x51";
        if image.starts_with(PNG) {
            Some(Self::Png)
        } else if image.starts_with(b"\xff\xd8\xff") {
            Some(Self::Jpeg)
        } else if image.starts_with(JP2) || image.starts_with(J2K) {
            Some(Self::Jpeg2000)
        } else if image.len() >= 12 && image.starts_with(b"RIFF") && &image[8..12] == b"WEBP" {
            Some(Self::WebP)
        } else if image.starts_with(b"II*\0") || image.starts_with(b"MM\0*") {
            Some(Self::Tiff)
        } else if image.starts_with(b"\xff\xa0") {
            Some(Self::Wsq)
        } else if is_avif(image) {
            Some(Self::Avif)
        } else {
            None
        }
    }
}

/// An ISO BMFF `ftyp` box first, whose major or a compatible brand is `avif` or `avis`.
fn is_avif(image: &[u8]) -> bool {
    let (Some(size), Some(b"ftyp")) = (image.get(..4), image.get(4..8)) else {
        return false;
    };
    let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
    let Some(ftyp) = image.get(8..size.min(image.len()).max(8)) else {
        return false;
    };
    // major brand, minor version, then compatible brands: every 4-byte brand after the version.
    ftyp.chunks_exact(4)
        .enumerate()
        .filter(|(index, _)| *index != 1)
        .any(|(_, brand)| brand == b"avif" || brand == b"avis")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_by_its_first_bytes() {
        let cases: [(&[u8], Option<ImageFormat>); 10] = [
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(ImageFormat::Png)),
            (b"\xff\xd8\xff\xe0\0\x10JFIF", Some(ImageFormat::Jpeg)),
            (
                b"\x00\x00\x00\x0cjP  \r\n\x87\n\0\0",
                Some(ImageFormat::Jpeg2000),
            ),
            (b"\xff\x4f\xff\x51\0\x2f", Some(ImageFormat::Jpeg2000)),
            (b"RIFF\x24\0\0\0WEBPVP8 ", Some(ImageFormat::WebP)),
            (
                b"\0\0\0\x1cftypavif\0\0\0\0avifmif1",
                Some(ImageFormat::Avif),
            ),
            (
                b"\0\0\0\x1cftypmif1\0\0\0\0mif1avif",
                Some(ImageFormat::Avif),
            ),
            (b"\0\0\0\x18ftypheic\0\0\0\0heic", None),
            (b"II*\0\x08\0\0\0", Some(ImageFormat::Tiff)),
            (b"RIFF\x24\0\0\0WAVE", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(ImageFormat::detect(bytes), expected, "{bytes:?}");
        }
        assert_eq!(ImageFormat::detect(b""), None);
        assert_eq!(ImageFormat::detect(b"\0\0\0\xffftypavi"), None);
        assert_eq!(
            ImageFormat::detect(b"\xff\xa0\xff\xa8"),
            Some(ImageFormat::Wsq)
        );
    }

    #[test]
    fn numbers_both_ways() {
        for n in 0..=6 {
            let format = ImageFormat::from_biometric_sub_format(n);
            assert_eq!(format.map(ImageFormat::biometric_sub_format), Some(n));
        }
        assert_eq!(ImageFormat::from_biometric_sub_format(100), None);
        for n in 1..=4 {
            let format = ImageFormat::from_photo_format(n);
            assert_eq!(format.and_then(ImageFormat::photo_format), Some(n));
        }
        assert_eq!(ImageFormat::from_photo_format(0), None);
        assert_eq!(ImageFormat::from_photo_format(5), None);
    }
}
