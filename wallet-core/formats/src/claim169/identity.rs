//! The identity data of claim 169 (spec v1.2.x): demographics 1-23 (with the secondary
//! language's full name), the photo (16, 17), biometrics 50-65, and every other key kept as
//! received (unassigned numbers may be used in closed ecosystems).

use crate::mdoc::cbor::node::Node;

use super::biometric::{self, Biometric, BiometricPart};
use super::cbor;
use super::error::{Claim169Error, Claim169Result};
use super::image_format::ImageFormat;

/// Gender (key 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// 1.
    Male,
    /// 2.
    Female,
    /// 3.
    Other,
}

impl Gender {
    /// The gender of number `value`, if 1-3.
    pub fn from_number(value: u64) -> Option<Self> {
        Some(match value {
            1 => Self::Male,
            2 => Self::Female,
            3 => Self::Other,
            _ => return None,
        })
    }

    /// The number of this gender.
    pub fn number(self) -> u64 {
        match self {
            Self::Male => 1,
            Self::Female => 2,
            Self::Other => 3,
        }
    }
}

/// Marital status (key 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaritalStatus {
    /// 1.
    Unmarried,
    /// 2.
    Married,
    /// 3.
    Divorced,
}

impl MaritalStatus {
    /// The status of number `value`, if 1-3.
    pub fn from_number(value: u64) -> Option<Self> {
        Some(match value {
            1 => Self::Unmarried,
            2 => Self::Married,
            3 => Self::Divorced,
            _ => return None,
        })
    }

    /// The number of this status.
    pub fn number(self) -> u64 {
        match self {
            Self::Unmarried => 1,
            Self::Married => 2,
            Self::Divorced => 3,
        }
    }
}

/// The biometrics of one body part (or voice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiometricField {
    /// Which part.
    pub part: BiometricPart,
    /// Its entries, in the code's order.
    pub entries: Vec<Biometric>,
}

impl BiometricField {
    /// A face field holding one JPEG image (biometric format image, sub-format JPEG): how
    /// cards carry the holder's photo.
    pub fn face_jpeg(jpeg: Vec<u8>) -> Self {
        Self {
            part: BiometricPart::Face,
            entries: vec![Biometric {
                data: jpeg,
                format: Some(super::biometric::BiometricFormat::Image),
                sub_format: Some(1),
                issuer: None,
            }],
        }
    }
}

/// A claim 169 key this reader does not know, with its value's CBOR as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// The key (24-49, 66-99 are unassigned; others are outside the spec).
    pub key: i64,
    /// The value, encoded.
    pub cbor: Vec<u8>,
}

/// Where a face image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceSource {
    /// A Face biometric (key 62) of format Image.
    FaceBiometric,
    /// The photo (key 16, its format in key 17).
    Photo,
}

/// The face image of a code: its bytes, what the code declares and what the bytes show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaceImage<'a> {
    /// The image file, as in the code.
    pub bytes: &'a [u8],
    /// The format the code declares (biometric sub-format or key 17), if any.
    pub declared: Option<ImageFormat>,
    /// The format the first bytes show, if a known one.
    pub detected: Option<ImageFormat>,
    /// Where it was found.
    pub source: FaceSource,
}

impl FaceImage<'_> {
    /// The format to decode the image with: what the bytes show, else what the code declares.
    pub fn format(&self) -> Option<ImageFormat> {
        self.detected.or(self.declared)
    }

    /// Whether the declared format contradicts the bytes.
    pub fn format_mismatch(&self) -> bool {
        matches!((self.declared, self.detected), (Some(d), Some(b)) if d != b)
    }
}

/// The identity data of claim 169. Every field is optional (spec §3.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// 1: unique ID of the data.
    pub id: Option<String>,
    /// 2: version of the ID data.
    pub version: Option<String>,
    /// 3: language of the other attributes (ISO 639-3).
    pub language: Option<String>,
    /// 4: full name.
    pub full_name: Option<String>,
    /// 5: first name.
    pub first_name: Option<String>,
    /// 6: middle name.
    pub middle_name: Option<String>,
    /// 7: last name.
    pub last_name: Option<String>,
    /// 8: date of birth, `YYYYMMDD` as written in the code.
    pub date_of_birth: Option<String>,
    /// 9: gender.
    pub gender: Option<Gender>,
    /// 10: address, lines separated by `\n`.
    pub address: Option<String>,
    /// 11: email address.
    pub email: Option<String>,
    /// 12: phone number (E.123).
    pub phone: Option<String>,
    /// 13: nationality (ISO 3166-1 alpha-3 or 3166-2).
    pub nationality: Option<String>,
    /// 14: marital status.
    pub marital_status: Option<MaritalStatus>,
    /// 15: guardian's name or ID.
    pub guardian: Option<String>,
    /// 16: photograph (image bytes).
    pub photo: Option<Vec<u8>>,
    /// 17: the photograph's declared format.
    pub photo_format: Option<ImageFormat>,
    /// 18: best quality fingers, each 0 (unknown) or 1-10 (right thumb .. left little).
    pub best_quality_fingers: Vec<u8>,
    /// 19: full name in the secondary language.
    pub secondary_full_name: Option<String>,
    /// 20: the secondary language (ISO 639-3).
    pub secondary_language: Option<String>,
    /// 21: location code.
    pub location_code: Option<String>,
    /// 22: legal status.
    pub legal_status: Option<String>,
    /// 23: country of issuance.
    pub country_of_issuance: Option<String>,
    /// 50-65: biometrics, in the code's order.
    pub biometrics: Vec<BiometricField>,
    /// Keys this reader does not know, kept as received.
    pub unknown: Vec<UnknownField>,
}

impl Identity {
    /// The biometrics of `part`, if the code has any.
    pub fn biometric(&self, part: BiometricPart) -> Option<&[Biometric]> {
        self.biometrics
            .iter()
            .find(|field| field.part == part)
            .map(|field| field.entries.as_slice())
    }

    /// The face image to show: the first image entry of the Face biometric (62), else the
    /// photo (16).
    pub fn face_image(&self) -> Option<FaceImage<'_>> {
        if let Some(face) = self
            .biometric(BiometricPart::Face)
            .and_then(|entries| entries.iter().find(|entry| entry.is_image()))
        {
            return Some(FaceImage {
                bytes: &face.data,
                declared: face.declared_image_format(),
                detected: ImageFormat::detect(&face.data),
                source: FaceSource::FaceBiometric,
            });
        }
        self.photo.as_deref().map(|bytes| FaceImage {
            bytes,
            declared: self.photo_format,
            detected: ImageFormat::detect(bytes),
            source: FaceSource::Photo,
        })
    }
}

/// Reads the claim 169 map.
pub(crate) fn parse(node: &Node<'_>) -> Claim169Result<Identity> {
    let entries =
        cbor::int_map(node).ok_or(Claim169Error::Claim169Invalid("not a map, or a key twice"))?;
    let mut identity = Identity::default();
    for (key, value) in entries {
        if let Some(part) = BiometricPart::from_key(key) {
            identity.biometrics.push(BiometricField {
                part,
                entries: biometric::parse(value)?,
            });
            continue;
        }
        let slot = match key {
            1 => &mut identity.id,
            2 => &mut identity.version,
            3 => &mut identity.language,
            4 => &mut identity.full_name,
            5 => &mut identity.first_name,
            6 => &mut identity.middle_name,
            7 => &mut identity.last_name,
            8 => &mut identity.date_of_birth,
            10 => &mut identity.address,
            11 => &mut identity.email,
            12 => &mut identity.phone,
            13 => &mut identity.nationality,
            15 => &mut identity.guardian,
            19 => &mut identity.secondary_full_name,
            20 => &mut identity.secondary_language,
            21 => &mut identity.location_code,
            22 => &mut identity.legal_status,
            23 => &mut identity.country_of_issuance,
            9 => {
                identity.gender = Some(
                    value
                        .as_u64()
                        .and_then(Gender::from_number)
                        .ok_or(Claim169Error::Claim169Invalid("gender (9)"))?,
                );
                continue;
            }
            14 => {
                identity.marital_status = Some(
                    value
                        .as_u64()
                        .and_then(MaritalStatus::from_number)
                        .ok_or(Claim169Error::Claim169Invalid("marital status (14)"))?,
                );
                continue;
            }
            16 => {
                let photo = value
                    .as_bytes()
                    .ok_or(Claim169Error::Claim169Invalid("photo (16)"))?;
                identity.photo = Some(photo.to_vec());
                continue;
            }
            17 => {
                identity.photo_format = Some(
                    value
                        .as_u64()
                        .and_then(ImageFormat::from_photo_format)
                        .ok_or(Claim169Error::Claim169Invalid("photo format (17)"))?,
                );
                continue;
            }
            18 => {
                identity.best_quality_fingers = fingers(value)?;
                continue;
            }
            _ => {
                identity.unknown.push(UnknownField {
                    key,
                    cbor: value.raw.to_vec(),
                });
                continue;
            }
        };
        *slot = Some(
            value
                .as_text()
                .ok_or(Claim169Error::Claim169Invalid("a text field is not text"))?
                .to_owned(),
        );
    }
    Ok(identity)
}

fn fingers(node: &Node<'_>) -> Claim169Result<Vec<u8>> {
    const INVALID: Claim169Error = Claim169Error::Claim169Invalid("best quality fingers (18)");
    node.as_array()
        .ok_or(INVALID)?
        .iter()
        .map(|finger| {
            finger
                .as_u64()
                .filter(|n| *n <= 10)
                .and_then(|n| u8::try_from(n).ok())
                .ok_or(INVALID)
        })
        .collect()
}
