//! RFC 3339 date-times (`tdate`, CBOR tag 0) and dates (`full-date`, tag 1004) as used by
//! mdoc, converted to and from Unix seconds. Proleptic Gregorian calendar, years 0000-9999.

use crate::mdoc::error::{MdocError, MdocResult};

const SECONDS_PER_DAY: i64 = 86_400;
/// 0000-01-01T00:00:00Z.
#[cfg(feature = "issue")]
const MIN_UNIX: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
#[cfg(feature = "issue")]
const MAX_UNIX: i64 = 253_402_300_799;

/// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
#[cfg(feature = "issue")]
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let date = laissez_crypto::clock::utc_date_time(days * 86_400);
    (date.year, date.month, date.day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses a fixed-width run of ASCII digits.
fn digits(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

/// `(year, month, day)` of a `YYYY-MM-DD` string, checked against the calendar.
fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let bytes = s.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(s, 0..4)?, digits(s, 5..7)?, digits(s, 8..10)?);
    ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
        .then_some((year, month, day))
}

/// Whether `s` is an RFC 3339 `full-date` (`YYYY-MM-DD`, a real calendar day).
pub(crate) fn is_full_date(s: &str) -> bool {
    parse_date(s).is_some()
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`, the form ISO 18013-5 asks for.
#[cfg(feature = "issue")]
pub(crate) fn format_tdate(unix: i64) -> MdocResult<String> {
    if !(MIN_UNIX..=MAX_UNIX).contains(&unix) {
        return Err(MdocError::InvalidInput("time outside years 0000-9999"));
    }
    let days = unix.div_euclid(SECONDS_PER_DAY);
    let secs = unix.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    Ok(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// Parses an RFC 3339 date-time (`Z` or a numeric offset, optional fractional seconds,
/// which are dropped) into Unix seconds.
pub(crate) fn parse_tdate(s: &str) -> MdocResult<i64> {
    const BAD: MdocError = MdocError::Malformed("tdate is not an RFC 3339 date-time");
    let (year, month, day) = s.get(0..10).and_then(parse_date).ok_or(BAD)?;
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return Err(BAD);
    }
    let (hour, minute, second) = (
        digits(s, 11..13).ok_or(BAD)?,
        digits(s, 14..16).ok_or(BAD)?,
        digits(s, 17..19).ok_or(BAD)?,
    );
    // 60 is a leap second; it is read as the following second.
    if hour > 23 || minute > 59 || second > 60 {
        return Err(BAD);
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return Err(BAD);
        }
        rest = &fraction[len..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(BAD),
            };
            let (oh, om) = (
                digits(rest, 1..3).ok_or(BAD)?,
                digits(rest, 4..6).ok_or(BAD)?,
            );
            if oh > 23 || om > 59 {
                return Err(BAD);
            }
            sign * (oh * 3600 + om * 60)
        }
        _ => return Err(BAD),
    };
    Ok(
        days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second
            - offset,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(parse_tdate("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(parse_tdate("2020-10-01T13:30:02Z").unwrap(), 1_601_559_002);
        assert_eq!(parse_tdate("2021-01-01T00:00:00Z").unwrap(), 1_609_459_200);
        assert_eq!(
            parse_tdate("2020-10-01T15:30:02.123+02:00").unwrap(),
            1_601_559_002
        );
        assert_eq!(parse_tdate("2020-10-01t13:30:02z").unwrap(), 1_601_559_002);
        assert_eq!(format_tdate(1_601_559_002).unwrap(), "2020-10-01T13:30:02Z");
        assert_eq!(format_tdate(-1).unwrap(), "1969-12-31T23:59:59Z");
        assert_eq!(format_tdate(MAX_UNIX).unwrap(), "9999-12-31T23:59:59Z");
        assert_eq!(format_tdate(MIN_UNIX).unwrap(), "0000-01-01T00:00:00Z");
        assert!(format_tdate(MAX_UNIX + 1).is_err());
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            "",
            "2020-10-01",
            "2020-10-01T13:30:02",
            "2020-13-01T13:30:02Z",
            "2021-02-29T00:00:00Z",
            "2020-10-01T24:00:00Z",
            "2020-10-01T13:30:02.Z",
            "2020-10-01T13:30:02+0200",
            "2020-10-01 13:30:02Z",
            "+020-10-01T13:30:02Z",
            "2020-10-01T13:30:02Zjunk",
            "２０２０-10-01T13:30:02Z",
        ] {
            assert!(parse_tdate(bad).is_err(), "{bad}");
        }
        assert!(is_full_date("2024-02-29"));
        assert!(!is_full_date("2023-02-29"));
        assert!(!is_full_date("2023-2-28"));
    }

    proptest! {
        #[test]
        fn tdate_round_trip(unix in MIN_UNIX..=MAX_UNIX) {
            let text = format_tdate(unix).unwrap();
            prop_assert_eq!(parse_tdate(&text).unwrap(), unix);
            prop_assert!(is_full_date(&text[..10]));
        }
    }
}
