//! Unpadded base64url (RFC 4648 s5, RFC 7515 s2): the only encoding of JWS parts and
//! SD-JWT disclosures. Decoding is strict: no padding, no whitespace, no non-zero trailing
//! bits, so every byte string has exactly one accepted text form.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The text was not canonical unpadded base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not canonical unpadded base64url")]
pub struct InvalidBase64;

/// Encodes `bytes` as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes canonical unpadded base64url.
pub fn decode(text: &str) -> Result<Vec<u8>, InvalidBase64> {
    URL_SAFE_NO_PAD.decode(text).map_err(|_| InvalidBase64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn rejects_padding_whitespace_standard_alphabet_and_trailing_bits() {
        assert!(decode("-_8=").is_err());
        assert!(decode("-_8 ").is_err());
        assert!(decode("+/8").is_err());
        // "-_9" has non-zero trailing bits: another spelling of the same bytes.
        assert!(decode("-_9").is_err());
        assert!(decode("A").is_err());
    }

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }
    }
}
