//! ETSI TS 119 602 V1.1.1's JSON schema (draft-07), vendored unchanged in
//! `wallet-core/formats/schemas/etsi-ts-119-602` (BSD-3-Clause, licence file beside it), and
//! validated with the `jsonschema` crate (ADR 0014), offline: every reference resolves to a
//! vendored file.
//!
//! The official schema has documented defects (shared/vectors/lote/README.md); each is
//! corrected here, at load time, so the vendored files stay byte for byte ETSI's:
//! - `definitions/ServiceDigitalIdentity` has `"additionalProperties": false` inside
//!   `properties` (a member named "additionalProperties" would be refused, unknown members
//!   pass): it is moved to the object level, as the standard's text intends (and as the
//!   WE BUILD consortium's patched copy does);
//! - `rfcs/rfc7517.json` types `key_ops` as one string (RFC 7517 s4.3: an array of strings)
//!   and limits `kty` to EC/RSA/oct: `key_ops` becomes an array of those strings, and `OKP`
//!   (RFC 8037, Ed25519 keys) is allowed;
//! - `1960201_json_schema_tie.json` refers to `1960201-jsonSchema.json`, a file that does not
//!   exist: the extension schemas are not referenced by the main schema, so they are vendored
//!   for completeness and that name would map to the main schema;
//! - `date-time` and `uri` are formats only: format checking is turned on.

use serde_json::{Value, json};

use super::LoteError;

/// The main schema, as ETSI publishes it.
pub const MAIN_SCHEMA: &str =
    include_str!("../../schemas/etsi-ts-119-602/1960201_json_schema.json");
/// The JWK schema the main one refers to as `rfcs/rfc7517.json`.
pub const JWK_SCHEMA: &str = include_str!("../../schemas/etsi-ts-119-602/rfcs/rfc7517.json");

const MAIN_URI: &str = "https://schemas.laissez.invalid/etsi-ts-119-602/1960201_json_schema.json";
const JWK_URI: &str = "https://schemas.laissez.invalid/etsi-ts-119-602/rfcs/rfc7517.json";

/// The main schema with its defects corrected (module documentation).
pub fn corrected_main_schema() -> Result<Value, LoteError> {
    let mut main: Value = serde_json::from_str(MAIN_SCHEMA)
        .map_err(|_| LoteError::Malformed("vendored schema is not JSON"))?;
    let sdi = main
        .pointer_mut("/definitions/ServiceDigitalIdentity")
        .and_then(Value::as_object_mut)
        .ok_or(LoteError::Malformed(
            "vendored schema lacks ServiceDigitalIdentity",
        ))?;
    let misplaced = sdi
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .and_then(|p| p.remove("additionalProperties"));
    if let Some(value) = misplaced {
        sdi.insert("additionalProperties".into(), value);
    }
    Ok(main)
}

/// The JWK schema with its defects corrected (module documentation).
pub fn corrected_jwk_schema() -> Result<Value, LoteError> {
    let mut jwk: Value = serde_json::from_str(JWK_SCHEMA)
        .map_err(|_| LoteError::Malformed("vendored JWK schema is not JSON"))?;
    let props = jwk
        .pointer_mut("/definitions/jwk/properties")
        .and_then(Value::as_object_mut)
        .ok_or(LoteError::Malformed("vendored JWK schema lacks properties"))?;
    if let Some(ops) = props.get("key_ops").and_then(|o| o.get("enum")).cloned() {
        props.insert(
            "key_ops".into(),
            json!({"type": "array", "items": {"type": "string", "enum": ops}}),
        );
    }
    props.insert(
        "kty".into(),
        json!({"type": "string", "enum": ["EC", "RSA", "oct", "OKP"]}),
    );
    Ok(jwk)
}

/// Validates a LoTE payload (`{"LoTE": …}`) against the corrected schema; the first failure
/// is reported by location, never by value.
pub fn validate(payload: &Value) -> Result<(), LoteError> {
    let main = corrected_main_schema()?;
    let jwk = corrected_jwk_schema()?;
    let internal = |_| LoteError::Malformed("the vendored schema does not load");
    let registry = jsonschema::Registry::new()
        .add(JWK_URI, jwk)
        .map_err(internal)?
        .prepare()
        .map_err(internal)?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_base_uri(MAIN_URI)
        .with_registry(&registry)
        .build(&main)
        .map_err(|_| LoteError::Malformed("the vendored schema does not compile"))?;
    match validator.iter_errors(payload).next() {
        None => Ok(()),
        Some(err) => Err(LoteError::Schema {
            instance_path: err.instance_path().to_string(),
            rule: err.schema_path().to_string(),
        }),
    }
}
