//! Strict JSON: duplicate member names are refused (RFC 7515 s4 and RFC 9901 allow a
//! parser to reject them, and two parsers disagreeing on which duplicate wins is a classic
//! signature bypass), nesting deeper than [`MAX_JSON_DEPTH`] is refused, and nothing may
//! follow the value.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::limits::MAX_JSON_DEPTH;

/// Why a text was refused as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JsonProblem {
    /// Not JSON (syntax, invalid UTF-8, trailing characters, numbers out of range).
    #[error("not valid JSON")]
    Syntax,
    /// An object has two members with the same name.
    #[error("duplicate member name")]
    DuplicateMember,
    /// Nested deeper than [`MAX_JSON_DEPTH`].
    #[error("nested too deeply")]
    TooDeep,
    /// Valid JSON, but not an object where one was required.
    #[error("not a JSON object")]
    NotAnObject,
}

/// Parses one JSON value from `bytes`, strictly.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonProblem> {
    let problem = Cell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictSeed {
        depth: 0,
        problem: &problem,
    }
    .deserialize(&mut deserializer);
    match parsed {
        Ok(value) => {
            deserializer.end().map_err(|_| JsonProblem::Syntax)?;
            Ok(value)
        }
        Err(_) => Err(problem.get().unwrap_or(JsonProblem::Syntax)),
    }
}

/// Parses one JSON object from `bytes`, strictly.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonProblem> {
    match parse(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(JsonProblem::NotAnObject),
    }
}

/// The nesting depth of `value`: 0 for a scalar, 1 for a flat object or array.
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[derive(Clone, Copy)]
struct StrictSeed<'p> {
    /// Containers already open around the value being read.
    depth: usize,
    problem: &'p Cell<Option<JsonProblem>>,
}

impl StrictSeed<'_> {
    fn fail<E: serde::de::Error>(&self, problem: JsonProblem) -> E {
        self.problem.set(Some(problem));
        E::custom(problem)
    }

    fn nested(&self) -> Self {
        Self {
            depth: self.depth + 1,
            problem: self.problem,
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.fail(JsonProblem::Syntax))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_JSON_DEPTH {
            return Err(self.fail(JsonProblem::TooDeep));
        }
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.nested())? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_JSON_DEPTH {
            return Err(self.fail(JsonProblem::TooDeep));
        }
        let mut map = Map::new();
        while let Some(name) = access.next_key::<String>()? {
            if map.contains_key(&name) {
                return Err(self.fail(JsonProblem::DuplicateMember));
            }
            let value = access.next_value_seed(self.nested())?;
            map.insert(name, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_ordinary_json() {
        let v = parse(br#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "\u00e9": "\u00e9"}"#)
            .unwrap();
        assert_eq!(
            v,
            json!({"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "é": "é"})
        );
        assert_eq!(parse(b"18446744073709551615").unwrap(), json!(u64::MAX));
    }

    #[test]
    fn floats_survive_a_round_trip_exactly() {
        // Needs serde_json's `float_roundtrip`: a claim value must not change in its last
        // digit between issuer and verifier.
        for f in [127_315_598.338_294_68_f64, 0.1, 1.75, -2.5e-300, 1e300] {
            let text = serde_json::to_string(&f).unwrap();
            assert_eq!(parse(text.as_bytes()).unwrap().as_f64(), Some(f), "{text}");
        }
    }

    #[test]
    fn refuses_duplicates_at_any_level() {
        assert_eq!(
            parse(br#"{"a":1,"a":2}"#),
            Err(JsonProblem::DuplicateMember)
        );
        assert_eq!(
            parse(br#"[{"x":{"a":1,"a":1}}]"#),
            Err(JsonProblem::DuplicateMember)
        );
        // Escapes are decoded before the comparison.
        assert_eq!(
            parse(br#"{"a":1,"\u0061":2}"#),
            Err(JsonProblem::DuplicateMember)
        );
    }

    #[test]
    fn depth_limit_is_exact() {
        let ok = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert_eq!(depth(&parse(ok.as_bytes()).unwrap()), MAX_JSON_DEPTH);
        let deep = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH + 1),
            "]".repeat(MAX_JSON_DEPTH + 1)
        );
        assert_eq!(parse(deep.as_bytes()), Err(JsonProblem::TooDeep));
        let very_deep = "[".repeat(100_000);
        assert_eq!(parse(very_deep.as_bytes()), Err(JsonProblem::TooDeep));
    }

    #[test]
    fn refuses_garbage_and_trailing_data() {
        assert_eq!(parse(b"{} x"), Err(JsonProblem::Syntax));
        assert_eq!(parse(b"{"), Err(JsonProblem::Syntax));
        assert_eq!(parse(b"\"\xff\""), Err(JsonProblem::Syntax));
        assert_eq!(parse(b""), Err(JsonProblem::Syntax));
        assert_eq!(parse_object(b"[]"), Err(JsonProblem::NotAnObject));
        assert_eq!(parse(b"1e999"), Err(JsonProblem::Syntax));
    }
}
