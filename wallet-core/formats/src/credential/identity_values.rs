//! Values of Laissez's own migrant credential types (`urn:laissez:iom:registration:1`,
//! `org.iom.registration.1`) that people without full papers need:
//!
//! - birth dates of reduced precision (ISO 8601: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`), since
//!   ICAO 9303 lets a travel document leave the day or month unknown;
//! - nationality codes of ICAO 9303 Part 3: ISO 3166-1 alpha-2 or alpha-3 country codes and
//!   the codes for the stateless and refugees, `XXA` (stateless, 1954 Convention), `XXB`
//!   (refugee, 1951 Convention), `XXC` (refugee, other) and `XXX` (unspecified nationality),
//!   each labelled in English, French and Arabic.
//!
//! The issuer checks these before signing; a bad value is an [`IdentityValueError`].

use serde_json::{Map, Value};

use crate::type_metadata::builtin::{IOM_DOC_TYPE, IOM_VCT};
use crate::type_metadata::locale;

/// The claim holding the birth date.
pub const BIRTH_DATE_CLAIM: &str = "birth_date";
/// The claim holding the nationality (one code, or an array of codes).
pub const NATIONALITY_CLAIM: &str = "nationality";

/// Why a value of a migrant credential was refused. Messages never repeat the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityValueError {
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not a day of the calendar.
    #[error("birth_date is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")]
    BadBirthDate,
    /// Not an ISO 3166-1 alpha-2/alpha-3 code or an ICAO 9303 code (XXA, XXB, XXC, XXX).
    #[error(
        "nationality is not a country code (two or three capital letters) or XXA, XXB, XXC, XXX"
    )]
    BadNationality,
}

/// A birth date of year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// The year.
    pub year: u16,
    /// The month (1-12), if known.
    pub month: Option<u8>,
    /// The day (1-31), if known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (years 1000 to 9999, real calendar days).
    pub fn parse(text: &str) -> Result<Self, IdentityValueError> {
        let bad = IdentityValueError::BadBirthDate;
        let mut parts = text.split('-');
        let year = number(parts.next(), 4).ok_or(bad)?;
        let month = parts
            .next()
            .map(|m| number(Some(m), 2).ok_or(bad))
            .transpose()?;
        let day = parts
            .next()
            .map(|d| number(Some(d), 2).ok_or(bad))
            .transpose()?;
        if parts.next().is_some() || year < 1000 {
            return Err(bad);
        }
        let year = u16::try_from(year).map_err(|_| bad)?;
        let month = month
            .map(|m| u8::try_from(m).map_err(|_| bad))
            .transpose()?;
        let day = day.map(|d| u8::try_from(d).map_err(|_| bad)).transpose()?;
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(bad);
            }
            if let Some(d) = day {
                if d == 0 || d > days_in_month(year, m) {
                    return Err(bad);
                }
            }
        }
        Ok(Self { year, month, day })
    }
}

fn number(part: Option<&str>, digits: usize) -> Option<u32> {
    let part = part?;
    if part.len() != digits || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The ICAO 9303 codes for people without a nationality to state, with their labels in
/// English, French and Arabic.
const SPECIAL_NATIONALITIES: [(&str, [&str; 3]); 4] = [
    (
        "XXA",
        [
            "Stateless person (1954 Convention)",
            "Apatride (Convention de 1954)",
            "عديم الجنسية (اتفاقية 1954)",
        ],
    ),
    (
        "XXB",
        [
            "Refugee (1951 Convention)",
            "Réfugié (Convention de 1951)",
            "لاجئ (اتفاقية 1951)",
        ],
    ),
    (
        "XXC",
        [
            "Refugee (other than the 1951 Convention)",
            "Réfugié (hors Convention de 1951)",
            "لاجئ (غير مشمول باتفاقية 1951)",
        ],
    ),
    (
        "XXX",
        [
            "Unspecified nationality",
            "Nationalité non précisée",
            "جنسية غير محددة",
        ],
    ),
];

/// Checks a nationality code: two or three capital letters (ISO 3166-1 alpha-2 or alpha-3,
/// the ICAO 9303 codes XXA, XXB, XXC, XXX among them).
pub fn check_nationality(code: &str) -> Result<(), IdentityValueError> {
    if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(IdentityValueError::BadNationality)
    }
}

/// The label of an ICAO 9303 special nationality code (XXA, XXB, XXC, XXX) in `lang` (en, fr,
/// ar; other languages get English); `None` for a country code.
pub fn nationality_label(code: &str, lang: &str) -> Option<&'static str> {
    let (_, labels) = SPECIAL_NATIONALITIES.iter().find(|(c, _)| *c == code)?;
    let index = match locale::language_of(lang) {
        l if l.eq_ignore_ascii_case("fr") => 1,
        l if l.eq_ignore_ascii_case("ar") => 2,
        _ => 0,
    };
    labels.get(index).copied()
}

/// Checks the claims of a credential of `credential_type` before issuing: for Laissez's
/// migrant types, `birth_date` (if present) must be a [`PartialDate`] and `nationality` (if
/// present, a code or an array of codes) must pass [`check_nationality`]. Other types are not
/// checked. mdoc claims may be nested under their namespace.
pub fn check_claims(
    credential_type: &str,
    claims: &Map<String, Value>,
) -> Result<(), IdentityValueError> {
    if credential_type != IOM_VCT && credential_type != IOM_DOC_TYPE {
        return Ok(());
    }
    let claims = match claims.get(IOM_DOC_TYPE) {
        Some(Value::Object(inner)) => inner,
        _ => claims,
    };
    match claims.get(BIRTH_DATE_CLAIM) {
        None => {}
        Some(Value::String(date)) => {
            PartialDate::parse(date)?;
        }
        Some(_) => return Err(IdentityValueError::BadBirthDate),
    }
    match claims.get(NATIONALITY_CLAIM) {
        None => {}
        Some(Value::String(code)) => check_nationality(code)?,
        Some(Value::Array(codes)) if !codes.is_empty() => {
            for code in codes {
                check_nationality(code.as_str().ok_or(IdentityValueError::BadNationality)?)?;
            }
        }
        Some(_) => return Err(IdentityValueError::BadNationality),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn partial_dates() {
        assert_eq!(
            PartialDate::parse("1994"),
            Ok(PartialDate {
                year: 1994,
                month: None,
                day: None
            })
        );
        assert_eq!(
            PartialDate::parse("1994-03"),
            Ok(PartialDate {
                year: 1994,
                month: Some(3),
                day: None
            })
        );
        assert!(PartialDate::parse("1994-03-12").is_ok());
        assert!(PartialDate::parse("2000-02-29").is_ok());
        for bad in [
            "",
            "94",
            "1994-3",
            "1994-13",
            "1994-00",
            "1994-02-29",
            "1900-02-29",
            "1994-04-31",
            "1994-03-00",
            "1994-03-12-01",
            "1994/03/12",
            "+1994",
            "0999",
            "1994-03-1a",
            "１９９４",
        ] {
            assert_eq!(
                PartialDate::parse(bad),
                Err(IdentityValueError::BadBirthDate),
                "{bad}"
            );
        }
    }

    #[test]
    fn nationalities() {
        for good in ["SD", "SDN", "XXA", "XXB", "XXC", "XXX"] {
            assert_eq!(check_nationality(good), Ok(()), "{good}");
        }
        for bad in ["", "S", "sd", "XXAA", "X1", "Sudan"] {
            assert_eq!(
                check_nationality(bad),
                Err(IdentityValueError::BadNationality),
                "{bad}"
            );
        }
        assert_eq!(
            nationality_label("XXA", "fr-FR"),
            Some("Apatride (Convention de 1954)")
        );
        assert_eq!(nationality_label("XXB", "ar"), Some("لاجئ (اتفاقية 1951)"));
        assert_eq!(
            nationality_label("XXC", "en"),
            Some("Refugee (other than the 1951 Convention)")
        );
        assert_eq!(
            nationality_label("XXX", "sw"),
            Some("Unspecified nationality")
        );
        assert_eq!(nationality_label("SD", "en"), None);
    }

    #[test]
    fn claims_of_migrant_types_only() {
        let ok = json!({"birth_date": "1994", "nationality": "XXA"});
        assert_eq!(
            check_claims(IOM_VCT, ok.as_object().unwrap_or(&Map::new())),
            Ok(())
        );
        let nested = json!({IOM_DOC_TYPE: {"birth_date": "1994-13", "nationality": "XXB"}});
        assert_eq!(
            check_claims(IOM_DOC_TYPE, nested.as_object().unwrap_or(&Map::new())),
            Err(IdentityValueError::BadBirthDate)
        );
        let bad = json!({"nationality": ["XXC", "x"]});
        assert_eq!(
            check_claims(IOM_VCT, bad.as_object().unwrap_or(&Map::new())),
            Err(IdentityValueError::BadNationality)
        );
        assert_eq!(
            check_claims("urn:other", bad.as_object().unwrap_or(&Map::new())),
            Ok(())
        );
    }
}
