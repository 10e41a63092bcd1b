//! The QR text to CBOR bytes: Base45 (RFC 9285), then zlib (RFC 1950) inflated under a hard
//! output limit. And back, for the test encoder.

use std::io::Read;

use super::error::{Claim169Error, Claim169Result};
use super::limits::{MAX_DECOMPRESSED_BYTES, MAX_QR_TEXT_CHARS};

/// The CBOR bytes a Claim 169 QR text carries. Line breaks at the end (added by some scanners)
/// are ignored; every other character must be Base45 (whose alphabet includes the space).
pub(crate) fn unwrap_text(qr_text: &str) -> Claim169Result<Vec<u8>> {
    if qr_text.len() > MAX_QR_TEXT_CHARS {
        return Err(Claim169Error::TextTooLong);
    }
    let text = qr_text.trim_end_matches(['\r', '\n']);
    let compressed = base45::decode(text).map_err(|_| Claim169Error::Base45)?;
    inflate(&compressed)
}

/// Inflates a zlib stream, refusing anything else and any output past
/// [`MAX_DECOMPRESSED_BYTES`].
pub(crate) fn inflate(compressed: &[u8]) -> Claim169Result<Vec<u8>> {
    if !is_zlib_header(compressed) {
        return Err(Claim169Error::Decompress);
    }
    let mut out = Vec::new();
    // One byte more than allowed: reading it proves the stream is too large.
    let limit = u64::try_from(MAX_DECOMPRESSED_BYTES + 1).unwrap_or(u64::MAX);
    flate2::read::ZlibDecoder::new(compressed)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|_| Claim169Error::Decompress)?;
    if out.len() > MAX_DECOMPRESSED_BYTES {
        return Err(Claim169Error::DecompressedTooLarge);
    }
    Ok(out)
}

/// Whether `bytes` start with a zlib header (RFC 1950 §2.2): deflate with a window of at
/// most 32 KiB, and the check bits making the first two bytes a multiple of 31.
fn is_zlib_header(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// The QR text for CBOR bytes: zlib at the best compression, then Base45 (test encoder).
#[cfg(feature = "claim169-issue")]
pub(crate) fn wrap_text(cbor: &[u8]) -> Claim169Result<String> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(cbor)
        .map_err(|_| Claim169Error::Encode("zlib"))?;
    let compressed = encoder
        .finish()
        .map_err(|_| Claim169Error::Encode("zlib"))?;
    Ok(base45::encode(&compressed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn inflates_up_to_the_limit_and_not_one_byte_more() {
        let at_limit = vec![0u8; MAX_DECOMPRESSED_BYTES];
        assert_eq!(inflate(&zlib(&at_limit)).unwrap(), at_limit);
        let bomb = zlib(&vec![0u8; 50 * MAX_DECOMPRESSED_BYTES]);
        assert!(
            bomb.len() < 4_000,
            "a bomb fits in one QR code: {}",
            bomb.len()
        );
        assert_eq!(inflate(&bomb), Err(Claim169Error::DecompressedTooLarge));
    }

    #[test]
    fn refuses_what_is_not_a_whole_zlib_stream() {
        let good = zlib(b"hello claim 169");
        assert_eq!(
            inflate(&good[..good.len() - 3]),
            Err(Claim169Error::Decompress)
        );
        assert_eq!(inflate(&[]), Err(Claim169Error::Decompress));
        assert_eq!(inflate(&[0x78]), Err(Claim169Error::Decompress));
        // Brotli or raw CBOR are not zlib.
        assert_eq!(inflate(&[0xd2, 0x84, 0x43]), Err(Claim169Error::Decompress));
        let mut corrupt = good.clone();
        let last = corrupt.len() - 1;
        corrupt[last] ^= 0xff; // the Adler-32 check
        assert_eq!(inflate(&corrupt), Err(Claim169Error::Decompress));
    }

    #[test]
    fn text_limits_and_base45() {
        let text = base45::encode(zlib(b"abc"));
        assert_eq!(unwrap_text(&format!("{text}\r\n")).unwrap(), b"abc");
        assert_eq!(unwrap_text("abc:"), Err(Claim169Error::Base45));
        // Truncated Base45: a dangling single character.
        assert!(matches!(
            unwrap_text(&text[..text.len() - 1]),
            Err(Claim169Error::Base45 | Claim169Error::Decompress)
        ));
        assert_eq!(
            unwrap_text(&"0".repeat(MAX_QR_TEXT_CHARS + 1)),
            Err(Claim169Error::TextTooLong)
        );
    }
}
