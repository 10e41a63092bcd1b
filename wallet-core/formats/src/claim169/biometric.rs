//! Biometrics of claim 169 (keys 50-65): per body part, a list of opaque typed blobs (data,
//! format, sub-format, issuer). Nothing here interprets the data.

use crate::mdoc::cbor::node::{Kind, Node};

use super::cbor;
use super::error::{Claim169Error, Claim169Result};
use super::image_format::ImageFormat;

/// The body part (or voice) a biometric belongs to: claim 169 keys 50-65.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BiometricPart {
    /// 50.
    RightThumb,
    /// 51.
    RightPointerFinger,
    /// 52.
    RightMiddleFinger,
    /// 53.
    RightRingFinger,
    /// 54.
    RightLittleFinger,
    /// 55.
    LeftThumb,
    /// 56.
    LeftPointerFinger,
    /// 57.
    LeftMiddleFinger,
    /// 58.
    LeftRingFinger,
    /// 59.
    LeftLittleFinger,
    /// 60.
    RightIris,
    /// 61.
    LeftIris,
    /// 62: the face, whose image a verifier shows.
    Face,
    /// 63.
    RightPalm,
    /// 64.
    LeftPalm,
    /// 65.
    Voice,
}

impl BiometricPart {
    /// All parts, in key order.
    pub const ALL: [BiometricPart; 16] = [
        Self::RightThumb,
        Self::RightPointerFinger,
        Self::RightMiddleFinger,
        Self::RightRingFinger,
        Self::RightLittleFinger,
        Self::LeftThumb,
        Self::LeftPointerFinger,
        Self::LeftMiddleFinger,
        Self::LeftRingFinger,
        Self::LeftLittleFinger,
        Self::RightIris,
        Self::LeftIris,
        Self::Face,
        Self::RightPalm,
        Self::LeftPalm,
        Self::Voice,
    ];

    /// The claim 169 key of this part.
    pub fn key(self) -> i64 {
        50 + Self::ALL.iter().position(|part| *part == self).unwrap_or(0) as i64
    }

    /// The part of claim 169 key `key`, if 50-65.
    pub fn from_key(key: i64) -> Option<Self> {
        let index = usize::try_from(key.checked_sub(50)?).ok()?;
        Self::ALL.get(index).copied()
    }

    /// The field name of the reference decoder (camelCase, e.g. `rightThumb`).
    pub fn name(self) -> &'static str {
        match self {
            Self::RightThumb => "rightThumb",
            Self::RightPointerFinger => "rightPointerFinger",
            Self::RightMiddleFinger => "rightMiddleFinger",
            Self::RightRingFinger => "rightRingFinger",
            Self::RightLittleFinger => "rightLittleFinger",
            Self::LeftThumb => "leftThumb",
            Self::LeftPointerFinger => "leftPointerFinger",
            Self::LeftMiddleFinger => "leftMiddleFinger",
            Self::LeftRingFinger => "leftRingFinger",
            Self::LeftLittleFinger => "leftLittleFinger",
            Self::RightIris => "rightIris",
            Self::LeftIris => "leftIris",
            Self::Face => "face",
            Self::RightPalm => "rightPalm",
            Self::LeftPalm => "leftPalm",
            Self::Voice => "voice",
        }
    }
}

/// What kind of data a biometric holds (key 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BiometricFormat {
    /// 0: an image (sub-format: [`ImageFormat`] numbers).
    Image,
    /// 1: a template (sub-format 0 ANSI 378, 1 ISO 19794-2, 2 NIST, 100-200 vendor).
    Template,
    /// 2: a sound (sub-format 0 WAV, 1 MP3).
    Sound,
    /// 3: a bio hash.
    BioHash,
}

impl BiometricFormat {
    /// The format of number `value`, if 0-3.
    pub fn from_number(value: u64) -> Option<Self> {
        Some(match value {
            0 => Self::Image,
            1 => Self::Template,
            2 => Self::Sound,
            3 => Self::BioHash,
            _ => return None,
        })
    }

    /// The number of this format.
    pub fn number(self) -> u64 {
        match self {
            Self::Image => 0,
            Self::Template => 1,
            Self::Sound => 2,
            Self::BioHash => 3,
        }
    }
}

/// One biometric of a body part.
#[derive(Clone, PartialEq, Eq)]
pub struct Biometric {
    /// The data (key 0), opaque.
    pub data: Vec<u8>,
    /// The data format (key 1), if given.
    pub format: Option<BiometricFormat>,
    /// The data sub-format (key 2), if given: its meaning depends on the format.
    pub sub_format: Option<u64>,
    /// Who made the data (key 3), if given.
    pub issuer: Option<String>,
}

impl Biometric {
    /// The image format this biometric declares, if it is an image (format 0, or no format
    /// with an image sub-format) of a known sub-format.
    pub fn declared_image_format(&self) -> Option<ImageFormat> {
        match self.format {
            Some(BiometricFormat::Image) | None => {
                ImageFormat::from_biometric_sub_format(self.sub_format?)
            }
            _ => None,
        }
    }

    /// Whether this biometric may be an image: format Image, or no format given.
    pub fn is_image(&self) -> bool {
        matches!(self.format, Some(BiometricFormat::Image) | None)
    }
}

impl std::fmt::Debug for Biometric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Biometric")
            .field("data_len", &self.data.len())
            .field("format", &self.format)
            .field("sub_format", &self.sub_format)
            .field("issuer", &self.issuer)
            .finish()
    }
}

/// The biometrics of one part: an array of entries, or (as in the specification's worked
/// example) a single entry.
pub(crate) fn parse(node: &Node<'_>) -> Claim169Result<Vec<Biometric>> {
    match &node.kind {
        Kind::Array(items) => items.iter().map(entry).collect(),
        Kind::Map(_) => Ok(vec![entry(node)?]),
        _ => Err(Claim169Error::Claim169Invalid(
            "a biometric is not an array",
        )),
    }
}

fn entry(node: &Node<'_>) -> Claim169Result<Biometric> {
    const INVALID: Claim169Error = Claim169Error::Claim169Invalid("a biometric entry");
    let entries = cbor::int_map(node).ok_or(INVALID)?;
    let mut data = None;
    let mut biometric = Biometric {
        data: Vec::new(),
        format: None,
        sub_format: None,
        issuer: None,
    };
    for (key, value) in entries {
        match key {
            0 => data = Some(value.as_bytes().ok_or(INVALID)?.to_vec()),
            1 => {
                let number = value.as_u64().ok_or(INVALID)?;
                biometric.format = Some(BiometricFormat::from_number(number).ok_or(INVALID)?);
            }
            2 => biometric.sub_format = Some(value.as_u64().ok_or(INVALID)?),
            3 => biometric.issuer = Some(value.as_text().ok_or(INVALID)?.to_owned()),
            _ => {}
        }
    }
    biometric.data = data.ok_or(Claim169Error::Claim169Invalid("a biometric without data"))?;
    Ok(biometric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_by_key() {
        for (index, part) in BiometricPart::ALL.into_iter().enumerate() {
            assert_eq!(part.key(), 50 + index as i64);
            assert_eq!(BiometricPart::from_key(part.key()), Some(part));
        }
        assert_eq!(BiometricPart::from_key(49), None);
        assert_eq!(BiometricPart::from_key(66), None);
        assert_eq!(BiometricPart::from_key(i64::MIN), None);
        assert_eq!(BiometricPart::Face.key(), 62);
    }
}
