//! A field verifier's short identifier, for static presentations: the holder scans it once
//! (from the verifier's poster or badge, or types it) and binds static presentations to it,
//! so a photo of one cannot be shown to another verifier.
//!
//! 80 bits derived from the verifier wallet's seed: stable for that verifier (also after a
//! restore from its 24 words), never stored, and meaningless to anyone else. Shown as
//! `XXXX-XXXX-XXXX-XXXX-XXXX` (uppercase hex: QR alphanumeric mode, easy to read out).

use super::error::{ExchangeError, ExchangeResult};

/// Bytes of a verifier identifier.
pub const VERIFIER_ID_LEN: usize = 10;
/// Seed label of the verifier identifier.
pub const VERIFIER_ID_LABEL: &str = "laissez/v1/verifier-id";

/// A verifier's identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VerifierId(pub [u8; VERIFIER_ID_LEN]);

impl VerifierId {
    /// Reads a code as shown (`3F2A-…`): hex digits in any case; dashes and spaces ignored.
    pub fn parse(code: &str) -> ExchangeResult<Self> {
        let digits: String = code.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        let bytes = hex::decode(digits.to_ascii_lowercase())
            .map_err(|_| ExchangeError::Malformed("verifier id (20 hex digits)"))?;
        <[u8; VERIFIER_ID_LEN]>::try_from(bytes.as_slice())
            .map(Self)
            .map_err(|_| ExchangeError::Malformed("verifier id (20 hex digits)"))
    }

    /// The code to print on a poster or badge.
    pub fn code(&self) -> String {
        hex::encode_upper(self.0)
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// The audience a static SD-JWT presentation bound to this verifier names.
    pub fn audience(&self) -> String {
        format!("{AUDIENCE_PREFIX}{}", hex::encode(self.0))
    }

    /// The verifier an [`audience`](Self::audience) names, if it is one.
    pub fn from_audience(audience: &str) -> Option<Self> {
        let hex_digits = audience.strip_prefix(AUDIENCE_PREFIX)?;
        let bytes: [u8; 10] = hex::decode(hex_digits).ok()?.try_into().ok()?;
        Some(Self(bytes))
    }
}

const AUDIENCE_PREFIX: &str = "urn:laissez:verifier-id:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_in_any_case_and_grouping() {
        let id = VerifierId([0x3f, 0x2a, 1, 2, 3, 4, 5, 6, 7, 0xff]);
        assert_eq!(id.code(), "3F2A-0102-0304-0506-07FF");
        assert_eq!(VerifierId::parse(&id.code()).unwrap(), id);
        assert_eq!(VerifierId::parse("3f2a 0102 0304 0506 07ff").unwrap(), id);
        assert!(VerifierId::parse("3F2A-0102").is_err());
        assert!(VerifierId::parse("ZZZZ-0102-0304-0506-07FF").is_err());
    }

    #[test]
    fn an_audience_names_its_verifier_and_nothing_else_does() {
        let id = VerifierId([0x3f, 0x2a, 1, 2, 3, 4, 5, 6, 7, 0xff]);
        assert_eq!(VerifierId::from_audience(&id.audience()), Some(id));
        for other in [
            "urn:laissez:static",
            "urn:laissez:verifier-id:3f2a",
            "urn:laissez:verifier-id:zz2a01020304050607ff",
            "https://verifier.example",
        ] {
            assert_eq!(VerifierId::from_audience(other), None, "{other}");
        }
    }
}
