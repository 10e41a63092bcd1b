//! Converting element values between JSON and CBOR.
//!
//! JSON → CBOR (issuing): strings, integers, floats, booleans, null, arrays and objects map
//! to their CBOR counterparts; string values under a key the caller lists as a date become
//! `full-date` (tag 1004).
//!
//! CBOR → JSON (showing what was disclosed): byte strings become unpadded base64url text,
//! `full-date` (1004) and `tdate` (0) become their text, other tags are dropped (their item
//! is kept), integers beyond 64 bits and non-finite floats become strings, and map keys that
//! are not text are written as their JSON text.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::Value;
use serde_json::Value as Json;

use crate::mdoc::error::{MdocError, MdocResult};
use crate::mdoc::limits::MAX_NESTING_DEPTH;
use crate::mdoc::tdate;

/// The CBOR tag for an RFC 3339 full-date string (RFC 8943).
pub(crate) const TAG_FULL_DATE: u64 = 1004;

/// Converts a JSON value to CBOR; strings under a key in `date_keys` become full-dates.
/// `key` is the object key (or element identifier) the value sits under, if any.
pub(crate) fn json_to_cbor(
    json: &Json,
    key: Option<&str>,
    date_keys: &[&str],
) -> MdocResult<Value> {
    to_cbor(json, key, date_keys, 0)
}

fn to_cbor(json: &Json, key: Option<&str>, date_keys: &[&str], depth: usize) -> MdocResult<Value> {
    if depth > MAX_NESTING_DEPTH {
        return Err(MdocError::InvalidInput("JSON value nested too deeply"));
    }
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::Integer(u.into())
            } else if let Some(i) = n.as_i64() {
                Value::Integer(i.into())
            } else {
                Value::Float(n.as_f64().ok_or(MdocError::InvalidInput("JSON number"))?)
            }
        }
        Json::String(s) if key.is_some_and(|k| date_keys.contains(&k)) => {
            if !tdate::is_full_date(s) {
                return Err(MdocError::InvalidInput("a date element is not YYYY-MM-DD"));
            }
            Value::Tag(TAG_FULL_DATE, Box::new(Value::Text(s.clone())))
        }
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| to_cbor(item, key, date_keys, depth + 1))
                .collect::<MdocResult<_>>()?,
        ),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    Ok((
                        Value::Text(k.clone()),
                        to_cbor(v, Some(k), date_keys, depth + 1)?,
                    ))
                })
                .collect::<MdocResult<_>>()?,
        ),
    })
}

/// Converts a CBOR value to JSON (see the module documentation for the mapping).
pub fn cbor_to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Integer(i) => {
            let wide = i128::from(*i);
            if let Ok(n) = i64::try_from(wide) {
                Json::from(n)
            } else if let Ok(n) = u64::try_from(wide) {
                Json::from(n)
            } else {
                Json::String(wide.to_string())
            }
        }
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or_else(|| Json::String(f.to_string())),
        Value::Bytes(b) => Json::String(URL_SAFE_NO_PAD.encode(b)),
        Value::Text(t) => Json::String(t.clone()),
        Value::Tag(_, inner) => cbor_to_json(inner),
        Value::Array(items) => Json::Array(items.iter().map(cbor_to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Text(t) => t.clone(),
                        other => cbor_to_json(other).to_string(),
                    };
                    (key, cbor_to_json(v))
                })
                .collect(),
        ),
        // ciborium's Value is non-exhaustive; anything new is shown as null.
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn json_to_cbor_with_dates() {
        let input = json!({
            "birth_date": "1990-02-29",
            "name": "Amal",
            "age": 34,
            "neg": -5,
            "ratio": 0.5,
            "ok": true,
            "none": null,
            "privileges": [{"code": "B", "issue_date": "2020-01-31"}]
        });
        // 1990 is not a leap year.
        assert!(json_to_cbor(&input, None, &["birth_date", "issue_date"]).is_err());
        let mut input = input;
        input["birth_date"] = json!("1992-02-29");
        let cbor = json_to_cbor(&input, None, &["birth_date", "issue_date"]).unwrap();
        let back = cbor_to_json(&cbor);
        assert_eq!(back, input);
        let Value::Map(entries) = &cbor else {
            unreachable!()
        };
        let birth = &entries
            .iter()
            .find(|(k, _)| k.as_text() == Some("birth_date"))
            .unwrap()
            .1;
        assert_eq!(
            birth,
            &Value::Tag(1004, Box::new(Value::Text("1992-02-29".into())))
        );
    }

    #[test]
    fn cbor_to_json_edge_cases() {
        assert_eq!(cbor_to_json(&Value::Bytes(vec![0xfb, 0xff])), json!("-_8"));
        assert_eq!(cbor_to_json(&Value::Float(f64::NAN)), json!("NaN"));
        assert_eq!(
            cbor_to_json(&Value::Integer(
                ciborium::value::Integer::try_from(-(1i128 << 64)).unwrap()
            )),
            json!("-18446744073709551616")
        );
        assert_eq!(
            cbor_to_json(&Value::Integer(u64::MAX.into())),
            json!(u64::MAX)
        );
        assert_eq!(
            cbor_to_json(&Value::Map(vec![(
                Value::Integer(1.into()),
                Value::Text("a".into())
            )])),
            json!({"1": "a"})
        );
    }
}
