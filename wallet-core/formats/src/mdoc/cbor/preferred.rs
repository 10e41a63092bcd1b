//! Preferred serialization (RFC 8949 §4.1), checked on the bytes as received.
//!
//! A signature or digest over CBOR fixes bytes, not values: `0x05` and `0x18 0x05` are the
//! same integer, so a structure someone else can re-encode without changing its value has
//! more than one signed form. Where mdoc signs or hashes bytes that the holder (not the
//! issuer) writes, the verifier accepts only the preferred form, so there is one.
//!
//! The check is a streaming walk over the heads of the data items (major type, additional
//! information, argument), never a decode-and-re-encode: an encoder's output is not the
//! specification. It allocates only a stack of open containers, bounded by
//! [`MAX_NESTING_DEPTH`]; every head consumes at least one byte, so the walk ends within
//! the input's length. Embedded CBOR (tag 24) is a byte string here: its content is a
//! separate item, checked by the caller.

use crate::mdoc::error::{Limit, MdocError, MdocResult, NonPreferred};
use crate::mdoc::limits::MAX_NESTING_DEPTH;

/// How strict the check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Preferred serialization: every argument (integer, length, tag number, simple value)
    /// in its shortest form, definite lengths only, each float in the shortest of half,
    /// single and double precision that keeps its value.
    Preferred,
    /// Only indefinite lengths are refused; longer arguments and floats are accepted.
    DefiniteLengths,
}

/// Major types (RFC 8949 §3.1).
const MAJOR_BYTES: u8 = 2;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;
const MAJOR_TAG: u8 = 6;
const MAJOR_SIMPLE_FLOAT: u8 = 7;

/// Additional information values (RFC 8949 §3).
const INFO_ONE_BYTE: u8 = 24;
const INFO_TWO_BYTES: u8 = 25;
const INFO_FOUR_BYTES: u8 = 26;
const INFO_EIGHT_BYTES: u8 = 27;
const INFO_INDEFINITE: u8 = 31;

/// Checks that `bytes` is exactly one well-formed data item encoded under `rule`.
///
/// A departure from the rule is [`MdocError::NonPreferredEncoding`] naming `what` (the
/// structure); bytes that are not well-formed CBOR are [`MdocError::Malformed`], and
/// nesting deeper than [`MAX_NESTING_DEPTH`] is [`MdocError::TooLarge`].
pub(crate) fn check(bytes: &[u8], rule: Rule, what: &'static str) -> MdocResult<()> {
    let refuse = |form| MdocError::NonPreferredEncoding { what, form };
    let mut pos = 0;
    // Items still to read in each open array, map (two per entry) and tag.
    let mut open: Vec<u64> = Vec::new();
    loop {
        let head = Head::read(bytes, pos)?;
        pos = head.end;
        if head.info == INFO_INDEFINITE {
            return Err(refuse(NonPreferred::IndefiniteLength));
        }
        if rule == Rule::Preferred && !head.is_shortest() {
            return Err(refuse(match head.major {
                MAJOR_SIMPLE_FLOAT => NonPreferred::LongerFloat,
                _ => NonPreferred::LongerArgument,
            }));
        }
        let items = match head.major {
            MAJOR_BYTES | MAJOR_TEXT => {
                pos = usize::try_from(head.argument)
                    .ok()
                    .and_then(|len| pos.checked_add(len))
                    .filter(|end| *end <= bytes.len())
                    .ok_or(MdocError::Malformed("truncated CBOR"))?;
                None
            }
            MAJOR_ARRAY => Some(head.argument),
            // A count too large for u64 cannot fit in the input either.
            MAJOR_MAP => Some(
                head.argument
                    .checked_mul(2)
                    .ok_or(MdocError::Malformed("truncated CBOR"))?,
            ),
            MAJOR_TAG => Some(1),
            _ => None,
        };
        if let Some(items) = items {
            if open.len() + 1 > MAX_NESTING_DEPTH {
                return Err(MdocError::TooLarge(Limit::NestingDepth));
            }
            if items > 0 {
                open.push(items);
                continue;
            }
        }
        // One item is complete: count it in its container, closing every container it fills.
        loop {
            match open.last_mut() {
                None if pos == bytes.len() => return Ok(()),
                None => return Err(MdocError::Malformed("trailing bytes after the CBOR item")),
                Some(left) => {
                    *left -= 1;
                    if *left > 0 {
                        break;
                    }
                    open.pop();
                }
            }
        }
    }
}

/// The head of one data item: major type, additional information and its argument.
struct Head {
    major: u8,
    info: u8,
    /// The argument (count, length, value, tag number, simple value or float bits); 0 for
    /// an indefinite length.
    argument: u64,
    /// Where the head ends (the content or the next item starts).
    end: usize,
}

impl Head {
    fn read(bytes: &[u8], pos: usize) -> MdocResult<Self> {
        let truncated = MdocError::Malformed("truncated CBOR");
        let first = *bytes.get(pos).ok_or(truncated.clone())?;
        let (major, info) = (first >> 5, first & 0x1f);
        let size = match info {
            0..=23 => 0,
            INFO_ONE_BYTE => 1,
            INFO_TWO_BYTES => 2,
            INFO_FOUR_BYTES => 4,
            INFO_EIGHT_BYTES => 8,
            INFO_INDEFINITE => match major {
                MAJOR_BYTES..=MAJOR_MAP => 0,
                MAJOR_SIMPLE_FLOAT => return Err(MdocError::Malformed("unexpected CBOR break")),
                _ => {
                    return Err(MdocError::Malformed(
                        "indefinite length on a CBOR integer or tag",
                    ));
                }
            },
            _ => return Err(MdocError::Malformed("reserved CBOR additional information")),
        };
        let start = pos + 1;
        let end = start + size;
        let argument_bytes = bytes.get(start..end).ok_or(truncated)?;
        let argument = match info {
            0..=23 => u64::from(info),
            _ => argument_bytes
                .iter()
                .fold(0u64, |n, byte| (n << 8) | u64::from(*byte)),
        };
        // RFC 8949 §3.3: a simple value below 32 in two bytes is not well-formed.
        if major == MAJOR_SIMPLE_FLOAT && info == INFO_ONE_BYTE && argument < 32 {
            return Err(MdocError::Malformed("simple value below 32 in two bytes"));
        }
        Ok(Self {
            major,
            info,
            argument,
            end,
        })
    }

    /// Whether the argument has no shorter encoding of the same value.
    fn is_shortest(&self) -> bool {
        if self.major == MAJOR_SIMPLE_FLOAT {
            return match self.info {
                INFO_FOUR_BYTES => !f32_fits_f16(self.argument as u32),
                INFO_EIGHT_BYTES => !f64_fits_f32(self.argument),
                // Half floats, and simple values (one byte from 32 up, see `read`).
                _ => true,
            };
        }
        match self.info {
            INFO_ONE_BYTE => self.argument >= 24,
            INFO_TWO_BYTES => self.argument > 0xff,
            INFO_FOUR_BYTES => self.argument > 0xffff,
            INFO_EIGHT_BYTES => self.argument > 0xffff_ffff,
            _ => true,
        }
    }
}

/// Whether the double with these bits is exactly a single (RFC 8949 §4.1: NaNs too, when
/// the dropped low bits of the significand are zero).
fn f64_fits_f32(bits: u64) -> bool {
    let value = f64::from_bits(bits);
    if value.is_nan() {
        return bits & ((1 << 29) - 1) == 0;
    }
    // Infinities and zeros convert exactly; a finite value converts exactly or not at all
    // (too large becomes infinite, too small or too precise is rounded).
    f64::from(value as f32) == value
}

/// Whether the single with these bits is exactly a half: ±0, ±infinity, a NaN whose low 13
/// significand bits are zero, a normal half (exponent -14..=15, 10 significand bits) or a
/// subnormal half (a multiple of 2^-24 below 2^-14).
fn f32_fits_f16(bits: u32) -> bool {
    let exponent_bits = (bits >> 23) & 0xff;
    let fraction = bits & 0x7f_ffff;
    if exponent_bits == 0xff {
        return fraction & 0x1fff == 0;
    }
    if exponent_bits == 0 {
        // Zero, or a single subnormal (below 2^-126), far under the smallest half.
        return fraction == 0;
    }
    let exponent = exponent_bits as i32 - 127;
    match exponent {
        -14..=15 => fraction & 0x1fff == 0,
        -24..=-15 => {
            // value = significand * 2^(exponent - 23), a multiple of 2^-24 when the
            // significand's trailing zeros make up the difference.
            let significand = fraction | 0x80_0000;
            significand.trailing_zeros() as i32 >= -1 - exponent
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    use crate::mdoc::cbor::write::encode_value;
    use ciborium::Value;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    fn result(input: &str, rule: Rule) -> MdocResult<()> {
        check(&hex(input), rule, "test")
    }

    fn refused(form: NonPreferred) -> MdocResult<()> {
        Err(MdocError::NonPreferredEncoding { what: "test", form })
    }

    /// Shortest forms, accepted under both rules.
    const PREFERRED: &[&str] = &[
        "00",
        "17",
        "18 18",
        "18 ff",
        "19 0100",
        "19 ffff",
        "1a 00010000",
        "1a ffffffff",
        "1b 0000000100000000",
        "1b ffffffffffffffff",
        "20",
        "38 18",
        "39 0100",
        "3b 0000000100000000",
        "40",
        "41 00",
        "58 18 000102030405060708090a0b0c0d0e0f1011121314151617",
        "60",
        "63 616263",
        "80",
        "83 01 02 03",
        "a0",
        "a1 61 61 01",
        "c0 60",
        "d8 18 41 a0",
        "d9 03ec 6a 323031392d31302d3230",
        "f4",
        "f5",
        "f6",
        "f7",
        "f8 20",
        "f8 ff",
        "f9 3c00",             // 1.0
        "f9 7e00",             // NaN
        "f9 7c00",             // infinity
        "f9 8000",             // -0.0
        "fa 47c35000",         // 100000.0: over the half range
        "fa 33000000",         // 2^-25: under the smallest half
        "fa 3f800001",         // 1.0000001: too precise for a half
        "fa 47800000",         // 65536.0: just over the largest half
        "fb 3ff199999999999a", // 1.1
        "fb 7ff0000000000001", // a NaN whose payload needs a double
        "fb 3690000000000000", // 2^-150: under the smallest single
        "fb 7e37e43c8800759c", // 1e300
        // Nested: an array of a map of an array, and embedded CBOR.
        "81 a1 61 61 82 00 d8 18 43 a1 01 26",
        // {1: -25}: 24 is the first argument that needs its own byte.
        "a1 01 38 18",
    ];

    /// Not well-formed: refused under both rules, whatever the encoding.
    const MALFORMED: &[&str] = &[
        "",
        "18",
        "19 01",
        "1b 00000000000000",
        "1c",
        "1d",
        "1e",
        "1f",
        "3f",
        "df",
        "ff",
        "00 00",
        "62 61",
        "5a 00010000 00",
        "5b 8000000000000000",
        "81",
        "a1 00",
        "9b 8000000000000000",
        "bb ffffffffffffffff",
        "c1",
        "f8 1f",
        "f8 00",
        "fa 0000",
    ];

    /// Longer than needed: refused under [`Rule::Preferred`] only.
    const LONGER: &[(&str, NonPreferred)] = &[
        ("18 05", NonPreferred::LongerArgument),
        ("18 17", NonPreferred::LongerArgument),
        ("19 0005", NonPreferred::LongerArgument),
        ("19 00ff", NonPreferred::LongerArgument),
        ("1a 00000005", NonPreferred::LongerArgument),
        ("1a 0000ffff", NonPreferred::LongerArgument),
        ("1b 0000000000000005", NonPreferred::LongerArgument),
        ("1b 00000000ffffffff", NonPreferred::LongerArgument),
        ("38 05", NonPreferred::LongerArgument),
        ("39 0018", NonPreferred::LongerArgument),
        ("3a 000000ff", NonPreferred::LongerArgument),
        ("3b 00000000ffffffff", NonPreferred::LongerArgument),
        ("58 01 61", NonPreferred::LongerArgument),
        ("59 0001 61", NonPreferred::LongerArgument),
        ("78 01 61", NonPreferred::LongerArgument),
        ("7a 00000001 61", NonPreferred::LongerArgument),
        ("98 01 00", NonPreferred::LongerArgument),
        ("99 0001 00", NonPreferred::LongerArgument),
        ("9b 0000000000000001 00", NonPreferred::LongerArgument),
        ("b8 01 61 61 01", NonPreferred::LongerArgument),
        (
            "b9 0004 01 02 03 04 05 06 07 08",
            NonPreferred::LongerArgument,
        ),
        ("d8 01 00", NonPreferred::LongerArgument),
        ("d9 0018 41 a0", NonPreferred::LongerArgument),
        ("da 00000018 41 a0", NonPreferred::LongerArgument),
        ("fa 3f800000", NonPreferred::LongerFloat), // 1.0
        ("fa 00000000", NonPreferred::LongerFloat), // 0.0
        ("fa 80000000", NonPreferred::LongerFloat), // -0.0
        ("fa 7f800000", NonPreferred::LongerFloat), // infinity
        ("fa 7fc00000", NonPreferred::LongerFloat), // NaN
        ("fa 477fe000", NonPreferred::LongerFloat), // 65504.0, the largest half
        ("fa 33800000", NonPreferred::LongerFloat), // 2^-24, the smallest half
        ("fa 34400000", NonPreferred::LongerFloat), // 3 * 2^-24, a subnormal half
        ("fa 38800000", NonPreferred::LongerFloat), // 2^-14, the smallest normal half
        ("fb 3ff0000000000000", NonPreferred::LongerFloat), // 1.0
        ("fb 3ff8000000000000", NonPreferred::LongerFloat), // 1.5
        ("fb 40f86a0000000000", NonPreferred::LongerFloat), // 100000.0, a single
        ("fb 7ff8000000000000", NonPreferred::LongerFloat), // NaN
        ("fb fff0000000000000", NonPreferred::LongerFloat), // -infinity
        // Inside containers and embedded-CBOR tags: a tag-24 item's content is only a
        // byte string here, so its own length is what is checked.
        ("81 18 05", NonPreferred::LongerArgument),
        ("a1 61 61 81 19 0005", NonPreferred::LongerArgument),
        ("d8 18 58 01 a0", NonPreferred::LongerArgument),
        ("a1 01 38 06", NonPreferred::LongerArgument), // a COSE header {1: -7}, ES256
        ("82 00 82 01 fb 3ff0000000000000", NonPreferred::LongerFloat),
    ];

    /// Indefinite lengths: refused under both rules.
    const INDEFINITE: &[&str] = &[
        "5f 41 61 ff",
        "5f ff",
        "7f 61 61 ff",
        "9f ff",
        "9f 01 02 ff",
        "bf ff",
        "bf 61 61 01 ff",
        "81 9f ff",
        "a1 61 61 bf ff",
        "d8 18 5f 41 a0 ff",
        "83 18 05 00 9f ff", // after a longer argument, which the lenient rule lets by
    ];

    #[test]
    fn preferred_forms_pass_both_rules() {
        for input in PREFERRED {
            assert_eq!(result(input, Rule::Preferred), Ok(()), "{input}");
            assert_eq!(result(input, Rule::DefiniteLengths), Ok(()), "{input}");
        }
    }

    #[test]
    fn longer_forms_are_refused_only_when_preferred() {
        for (input, form) in LONGER {
            assert_eq!(result(input, Rule::Preferred), refused(*form), "{input}");
            assert_eq!(result(input, Rule::DefiniteLengths), Ok(()), "{input}");
        }
    }

    #[test]
    fn indefinite_lengths_are_refused_by_both_rules() {
        for input in INDEFINITE {
            let expected = refused(NonPreferred::IndefiniteLength);
            assert_eq!(result(input, Rule::DefiniteLengths), expected, "{input}");
            if !input.starts_with("83 18 05") {
                assert_eq!(result(input, Rule::Preferred), expected, "{input}");
            }
        }
    }

    #[test]
    fn malformed_input_is_malformed_under_both_rules() {
        for input in MALFORMED {
            for rule in [Rule::Preferred, Rule::DefiniteLengths] {
                assert!(
                    matches!(result(input, rule), Err(MdocError::Malformed(_))),
                    "{input}: {:?}",
                    result(input, rule)
                );
            }
        }
    }

    #[test]
    fn nesting_is_bounded_like_the_decoder() {
        for (opener, depth) in [(0x81u8, MAX_NESTING_DEPTH), (0xc0, MAX_NESTING_DEPTH)] {
            let ok: Vec<u8> = std::iter::repeat_n(opener, depth).chain([0x00]).collect();
            assert_eq!(check(&ok, Rule::Preferred, "test"), Ok(()));
            let deep: Vec<u8> = std::iter::repeat_n(opener, depth + 1)
                .chain([0x00])
                .collect();
            assert_eq!(
                check(&deep, Rule::DefiniteLengths, "test"),
                Err(MdocError::TooLarge(Limit::NestingDepth))
            );
        }
        // Empty containers count too, as in the decoder.
        let empty_deep: Vec<u8> = std::iter::repeat_n(0x81u8, MAX_NESTING_DEPTH)
            .chain([0x80])
            .collect();
        assert_eq!(
            check(&empty_deep, Rule::Preferred, "test"),
            Err(MdocError::TooLarge(Limit::NestingDepth))
        );
        assert!(super::super::node::decode(&empty_deep).is_err());
    }

    #[test]
    fn the_error_names_the_structure_not_the_content() {
        let err = check(
            &hex("a1 63 616263 18 05"),
            Rule::Preferred,
            "DeviceNameSpacesBytes",
        )
        .unwrap_err();
        assert_eq!(err.code(), "non_preferred_cbor");
        assert_eq!(
            err.to_string(),
            "non-preferred CBOR encoding in DeviceNameSpacesBytes: an integer, length or tag \
             number longer than needed"
        );
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(|n| Value::Integer(n.into())),
            any::<u64>().prop_map(|n| Value::Integer(n.into())),
            proptest::collection::vec(any::<u8>(), 0..300).prop_map(Value::Bytes),
            ".{0,40}".prop_map(Value::Text),
            any::<f64>()
                .prop_filter("NaN payloads are left to the table", |f| !f.is_nan())
                .prop_map(Value::Float),
            any::<f32>()
                .prop_filter("as above", |f| !f.is_nan())
                .prop_map(|f| Value::Float(f.into())),
            Just(Value::Float(f64::NAN)),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..30).prop_map(Value::Array),
                proptest::collection::vec((inner.clone(), inner.clone()), 0..30)
                    .prop_map(Value::Map),
                (0u64..100_000, inner).prop_map(|(t, v)| Value::Tag(t, Box::new(v))),
            ]
        })
    }

    proptest! {
        /// Our encoder (ciborium, as used for everything Laissez writes) writes the preferred
        /// form, and the walk agrees with the decoder on well-formedness.
        #[test]
        fn what_we_encode_is_preferred(value in any_value()) {
            let bytes = encode_value(&value).unwrap();
            prop_assert_eq!(check(&bytes, Rule::Preferred, "test"), Ok(()));
            prop_assert!(super::super::node::decode(&bytes).is_ok());
        }

        /// Half and single floats: a single fits a half exactly when some half, widened by
        /// ciborium-ll's decoder (code we did not write), has the same bits. Doubles: when the
        /// conversion to single and back keeps the bits.
        #[test]
        fn float_widths_agree_with_conversion(bits in any::<u32>(), wide in any::<u64>()) {
            if !f32::from_bits(bits).is_nan() {
                prop_assert_eq!(f32_fits_f16(bits), halves_as_singles().contains(&bits));
            }
            let double = f64::from_bits(wide);
            if !double.is_nan() {
                prop_assert_eq!(f64_fits_f32(wide), f64::from(double as f32).to_bits() == wide);
            }
        }
    }

    #[test]
    fn every_half_fits() {
        for bits in halves_as_singles() {
            assert!(f32_fits_f16(*bits), "{bits:08x}");
        }
    }

    /// The bits of every non-NaN half, as a single.
    fn halves_as_singles() -> &'static std::collections::HashSet<u32> {
        static HALVES: std::sync::OnceLock<std::collections::HashSet<u32>> =
            std::sync::OnceLock::new();
        HALVES.get_or_init(|| {
            (0..=u16::MAX)
                .filter_map(|h| {
                    let [high, low] = h.to_be_bytes();
                    let bytes = [0xf9, high, low];
                    match ciborium_ll::Decoder::from(&bytes[..]).pull() {
                        Ok(ciborium_ll::Header::Float(f)) if !f.is_nan() => {
                            Some((f as f32).to_bits())
                        }
                        _ => None,
                    }
                })
                .collect()
        })
    }
}
