//! The holder's portrait signed into a credential: where each format carries it and how a
//! verifier reads it back (docs/adr/0018-signed-portrait.md).
//!
//! - mdoc: the data element `portrait` (ISO/IEC 18013-5 7.2.1 in `org.iso.18013.5.1`; the PID
//!   Rulebook's `eu.europa.ec.eudi.pid.1`; Laissez's own docTypes in their namespace), a
//!   `bstr` holding a JPEG.
//! - SD-JWT VC: the claim `picture` (OpenID Connect Core 5.1, the PID Rulebook 4.1), a data
//!   URL `data:image/jpeg;base64,...`.
//!
//! Reading checks only what a verifier must know before showing the picture: that it is a
//! JPEG whose header gives a sane pixel size. The pixels are decoded by the screen that shows
//! them, never here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The SD-JWT VC claim holding the portrait as a data URL.
pub const SD_JWT_CLAIM: &str = "picture";
/// The mdoc data element holding the portrait as JPEG bytes.
pub const MDOC_ELEMENT: &str = "portrait";
/// The data URL prefix of a JPEG portrait (SD-JWT VC).
pub const DATA_URL_PREFIX: &str = "data:image/jpeg;base64,";
/// Largest portrait a verifier accepts, in bytes of JPEG (a QR answer cannot carry more;
/// ICAO-size passport portraits are 15-20 kB).
pub const MAX_PORTRAIT_BYTES: usize = 64 * 1024;
/// Largest side, in pixels, of an acceptable portrait.
pub const MAX_SIDE: u16 = 2_048;

/// Why a disclosed portrait cannot be shown. `code()` gives a stable snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortraitProblem {
    /// The value is not a byte string (mdoc) or not a JPEG data URL (SD-JWT VC).
    #[error("the portrait is not JPEG bytes or a JPEG data URL")]
    NotJpegValue,
    /// The bytes do not start as a JPEG does.
    #[error("the portrait is not a JPEG image")]
    NotJpeg,
    /// The JPEG header is damaged or gives no usable size.
    #[error("the portrait's JPEG header cannot be read")]
    Undecodable,
    /// Over [`MAX_PORTRAIT_BYTES`] or [`MAX_SIDE`].
    #[error("the portrait is too large")]
    TooLarge,
}

impl PortraitProblem {
    /// The stable code of this problem.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotJpegValue => "not_jpeg_value",
            Self::NotJpeg => "not_jpeg",
            Self::Undecodable => "undecodable",
            Self::TooLarge => "too_large",
        }
    }
}

/// A portrait read from a credential: the JPEG bytes as signed, and the pixel size its
/// header gives.
#[derive(Clone, PartialEq, Eq)]
pub struct Portrait {
    /// The JPEG file, byte for byte as the issuer signed it.
    pub jpeg: Vec<u8>,
    /// Width in pixels, from the JPEG frame header.
    pub width: u16,
    /// Height in pixels, from the JPEG frame header.
    pub height: u16,
}

impl std::fmt::Debug for Portrait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the bytes: a portrait is personal data.
        f.debug_struct("Portrait")
            .field("bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

impl Portrait {
    /// Checks that `jpeg` is a JPEG with a readable frame header and takes its size.
    pub fn from_jpeg(jpeg: Vec<u8>) -> Result<Self, PortraitProblem> {
        let (width, height) = jpeg_size(&jpeg)?;
        Ok(Self {
            jpeg,
            width,
            height,
        })
    }

    /// Reads an SD-JWT VC `picture` value: a `data:image/jpeg;base64,` URL.
    pub fn from_data_url(url: &str) -> Result<Self, PortraitProblem> {
        let encoded = url
            .strip_prefix(DATA_URL_PREFIX)
            .ok_or(PortraitProblem::NotJpegValue)?;
        // Base64 grows by 4/3: refuse before decoding anything too large.
        if encoded.len() > MAX_PORTRAIT_BYTES / 3 * 4 + 4 {
            return Err(PortraitProblem::TooLarge);
        }
        let jpeg = STANDARD
            .decode(encoded)
            .map_err(|_| PortraitProblem::NotJpegValue)?;
        Self::from_jpeg(jpeg)
    }

    /// The SD-JWT VC `picture` value for these bytes.
    pub fn data_url(&self) -> String {
        data_url(&self.jpeg)
    }
}

/// The data URL (`data:image/jpeg;base64,...`) of JPEG bytes, as SD-JWT VC `picture` holds it.
pub fn data_url(jpeg: &[u8]) -> String {
    let mut url = String::with_capacity(DATA_URL_PREFIX.len() + jpeg.len() / 3 * 4 + 4);
    url.push_str(DATA_URL_PREFIX);
    STANDARD.encode_string(jpeg, &mut url);
    url
}

/// Whether a claim path (as in a request or a verdict: `picture`, `namespace/portrait`, or a
/// bare `portrait`, which a request may use for the element in the docType's namespace) names
/// the portrait. Consent errs on the side of saying a photo will be shared.
pub fn is_portrait_path(path: &str) -> bool {
    path == SD_JWT_CLAIM
        || path == MDOC_ELEMENT
        || path
            .rsplit_once('/')
            .is_some_and(|(namespace, element)| !namespace.is_empty() && element == MDOC_ELEMENT)
}

/// Width and height from a JPEG's frame header, after checking its start (SOI then a marker).
pub fn jpeg_size(jpeg: &[u8]) -> Result<(u16, u16), PortraitProblem> {
    if jpeg.len() > MAX_PORTRAIT_BYTES {
        return Err(PortraitProblem::TooLarge);
    }
    if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(PortraitProblem::NotJpeg);
    }
    let mut decoder =
        zune_jpeg::JpegDecoder::new(zune_jpeg::zune_core::bytestream::ZCursor::new(jpeg));
    decoder
        .decode_headers()
        .map_err(|_| PortraitProblem::Undecodable)?;
    let (width, height) = decoder.dimensions().ok_or(PortraitProblem::Undecodable)?;
    let width = u16::try_from(width).map_err(|_| PortraitProblem::TooLarge)?;
    let height = u16::try_from(height).map_err(|_| PortraitProblem::TooLarge)?;
    if width == 0 || height == 0 {
        return Err(PortraitProblem::Undecodable);
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(PortraitProblem::TooLarge);
    }
    Ok((width, height))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A 1×1 grey baseline JPEG (JFIF), 331 bytes.
    const TINY: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q==";

    #[test]
    fn reads_size_and_round_trips_data_urls() {
        let jpeg = STANDARD.decode(TINY).unwrap();
        let portrait = Portrait::from_jpeg(jpeg.clone()).unwrap();
        assert_eq!((portrait.width, portrait.height), (1, 1));
        let url = portrait.data_url();
        assert!(url.starts_with(DATA_URL_PREFIX));
        assert_eq!(Portrait::from_data_url(&url).unwrap(), portrait);
        assert!(!format!("{portrait:?}").contains("255"));
    }

    #[test]
    fn refuses_what_is_not_a_jpeg() {
        let jpeg = STANDARD.decode(TINY).unwrap();
        assert_eq!(jpeg_size(b"\x89PNG\r\n"), Err(PortraitProblem::NotJpeg));
        assert_eq!(jpeg_size(&[]), Err(PortraitProblem::NotJpeg));
        // A JPEG start with its frame header cut off.
        assert_eq!(jpeg_size(&jpeg[..20]), Err(PortraitProblem::Undecodable));
        // Every truncation is an error or a size, never a panic.
        for end in 0..jpeg.len() {
            let _ = jpeg_size(&jpeg[..end]);
        }
        assert_eq!(
            Portrait::from_data_url("data:image/png;base64,AAAA"),
            Err(PortraitProblem::NotJpegValue)
        );
        assert_eq!(
            Portrait::from_data_url("data:image/jpeg;base64,@@@"),
            Err(PortraitProblem::NotJpegValue)
        );
        let big = vec![0xFF; MAX_PORTRAIT_BYTES + 1];
        assert_eq!(jpeg_size(&big), Err(PortraitProblem::TooLarge));
        assert_eq!(
            Portrait::from_data_url(&data_url(&big)),
            Err(PortraitProblem::TooLarge)
        );
    }

    #[test]
    fn portrait_paths() {
        assert!(is_portrait_path("picture"));
        assert!(is_portrait_path("org.iso.18013.5.1/portrait"));
        assert!(is_portrait_path("eu.europa.ec.eudi.pid.1/portrait"));
        assert!(is_portrait_path("portrait"));
        assert!(!is_portrait_path("/portrait"));
        assert!(!is_portrait_path("org.iso.18013.5.1/portrait_capture_date"));
        assert!(!is_portrait_path("address.picture"));
    }
}
