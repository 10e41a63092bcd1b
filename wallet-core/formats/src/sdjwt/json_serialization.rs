//! The optional JWS JSON serialisations of SD-JWT (RFC 9901 s8): Flattened
//! (`{"protected", "payload", "signature", "header": {"disclosures", "kb_jwt"}}`) and
//! General (`{"payload", "signatures": [...]}`, Disclosures and KB-JWT in the unprotected
//! header of the first signature only).
//!
//! Each signature is turned into the equivalent compact form and goes through the same
//! parser and checks as compact input. `sd_hash` is over the compact form made with the
//! *first* signature (s8.1), whichever signature the verifier trusts.

use serde_json::{Map, Value};

use crate::jose::json::{self, JsonProblem};
use laissez_crypto::issuer_key::IssuerKey;

use super::compact::SdJwt;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::limits::{MAX_DISCLOSURES, MAX_SD_JWT_LEN};
use super::verify::{VerifiedPresentation, VerifyOptions, verify_parsed};

/// Most signatures accepted in a General JSON serialisation: 10.
pub const MAX_JSON_SIGNATURES: usize = 10;

/// Parses a Flattened or General JSON serialised SD-JWT into one compact-equivalent
/// [`SdJwt`] per signature, the first signature first.
pub fn parse_json_serialization(text: &str) -> SdJwtResult<Vec<SdJwt>> {
    if text.len() > MAX_SD_JWT_LEN {
        return Err(SdJwtError::TooLarge {
            what: "SD-JWT length",
        });
    }
    let object = json::parse_object(text.as_bytes()).map_err(|problem| match problem {
        JsonProblem::TooDeep => SdJwtError::TooLarge {
            what: "JSON nesting depth",
        },
        _ => malformed("not a strict JSON object"),
    })?;
    let payload = string_member(&object, "payload")?;
    let signatures: Vec<&Map<String, Value>> =
        match (object.get("signatures"), object.get("signature")) {
            (Some(_), Some(_)) => return Err(malformed("both signature and signatures")),
            (None, Some(_)) => vec![&object],
            (Some(Value::Array(list)), None) if !list.is_empty() => {
                if list.len() > MAX_JSON_SIGNATURES {
                    return Err(SdJwtError::TooLarge {
                        what: "number of signatures",
                    });
                }
                list.iter()
                    .map(|entry| {
                        entry
                            .as_object()
                            .ok_or(malformed("signature entry is not an object"))
                    })
                    .collect::<SdJwtResult<_>>()?
            }
            _ => return Err(malformed("no signature")),
        };
    let mut tail = None;
    let mut out = Vec::with_capacity(signatures.len());
    for (position, signature) in signatures.iter().enumerate() {
        let header = match signature.get("header") {
            None => None,
            Some(Value::Object(header)) => Some(header),
            Some(_) => return Err(malformed("unprotected header is not an object")),
        };
        if let Some(header) = header {
            if header.contains_key("alg") || header.contains_key("crit") {
                return Err(malformed("alg or crit in the unprotected header"));
            }
            let carries = header.contains_key("disclosures") || header.contains_key("kb_jwt");
            if carries && position > 0 {
                return Err(malformed(
                    "disclosures outside the first signature's header",
                ));
            }
        }
        if position == 0 {
            tail = Some(disclosures_and_kb(header)?);
        }
        let protected = string_member(signature, "protected")?;
        let value = string_member(signature, "signature")?;
        let compact = format!(
            "{protected}.{payload}.{value}~{}",
            tail.as_deref().unwrap_or_default()
        );
        out.push(SdJwt::parse(&compact)?);
    }
    Ok(out)
}

/// Verifies a JSON serialised presentation: accepted if one signature verifies under
/// `issuer_keys` and everything else passes as in
/// [`verify_presentation`](super::verify_presentation).
pub fn verify_json_presentation(
    text: &str,
    issuer_keys: &[IssuerKey],
    options: &VerifyOptions,
) -> SdJwtResult<VerifiedPresentation> {
    let candidates = parse_json_serialization(text)?;
    let sd_hash_input = candidates
        .first()
        .map(SdJwt::without_key_binding)
        .ok_or(malformed("no signature"))?;
    let mut first_error = None;
    for candidate in &candidates {
        if candidate
            .issuer_jwt()
            .verify_any_issuer(issuer_keys)
            .is_none()
        {
            continue;
        }
        match verify_parsed(candidate, &sd_hash_input, issuer_keys, options) {
            Ok(verified) => return Ok(verified),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or(SdJwtError::BadIssuerSignature))
}

/// `D1~…~DN~KB` (or `D1~…~DN~`, or nothing) from the first signature's unprotected
/// header: what follows `<Issuer-signed JWT>~` in the compact form.
fn disclosures_and_kb(header: Option<&Map<String, Value>>) -> SdJwtResult<String> {
    let mut tail = String::new();
    let Some(header) = header else {
        return Ok(tail);
    };
    match header.get("disclosures") {
        None => {}
        Some(Value::Array(items)) => {
            if items.len() > MAX_DISCLOSURES {
                return Err(SdJwtError::TooLarge {
                    what: "number of disclosures",
                });
            }
            for item in items {
                let text = item
                    .as_str()
                    .filter(|t| !t.contains('~'))
                    .ok_or(malformed("a disclosure is not a string"))?;
                tail.push_str(text);
                tail.push('~');
            }
        }
        Some(_) => return Err(malformed("disclosures is not an array")),
    }
    match header.get("kb_jwt") {
        None => {}
        Some(Value::String(kb)) if !kb.contains('~') => tail.push_str(kb),
        Some(_) => return Err(malformed("kb_jwt is not a string")),
    }
    Ok(tail)
}

fn string_member<'a>(object: &'a Map<String, Value>, name: &str) -> SdJwtResult<&'a str> {
    object
        .get(name)
        .and_then(Value::as_str)
        .filter(|text| !text.contains('~'))
        .ok_or(malformed("a required member is missing or not a string"))
}

fn malformed(what: &'static str) -> SdJwtError {
    SdJwtError::malformed(Part::Serialization, what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::{JwsHeader, SignedJwt};
    use crate::sdjwt::Disclosure;
    use laissez_crypto::ecdsa::SigningKey;
    use serde_json::json;

    fn parts() -> (String, String, String, String) {
        let key = SigningKey::generate().unwrap();
        let d = Disclosure::new_property("a", json!(1)).unwrap();
        let claims = json!({"_sd": [d.digest()]}).as_object().unwrap().clone();
        let jwt = SignedJwt::sign(&JwsHeader::es256(), &claims, &key).unwrap();
        let mut it = jwt.as_str().split('.').map(str::to_owned);
        let (p, pl, s) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
        (p, pl, s, d.encoded().to_owned())
    }

    #[test]
    fn flattened_and_general_become_compact() {
        let (protected, payload, signature, d) = parts();
        let flattened = json!({"protected": protected, "payload": payload, "signature": signature,
            "header": {"disclosures": [d]}});
        let out = parse_json_serialization(&flattened.to_string()).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].to_compact(),
            format!("{protected}.{payload}.{signature}~{d}~")
        );
        let bare = json!({"protected": protected, "payload": payload, "signature": signature});
        assert_eq!(
            parse_json_serialization(&bare.to_string()).unwrap()[0].to_compact(),
            format!("{protected}.{payload}.{signature}~")
        );
        let general = json!({"payload": payload, "signatures": [
            {"protected": protected, "signature": signature, "header": {"disclosures": [d]}},
            {"protected": protected, "signature": signature},
        ]});
        let out = parse_json_serialization(&general.to_string()).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].disclosures().len(), 1);
    }

    #[test]
    fn disclosures_only_in_the_first_signature() {
        let (protected, payload, signature, d) = parts();
        let general = json!({"payload": payload, "signatures": [
            {"protected": protected, "signature": signature},
            {"protected": protected, "signature": signature, "header": {"disclosures": [d]}},
        ]});
        assert!(matches!(
            parse_json_serialization(&general.to_string()),
            Err(SdJwtError::Malformed {
                part: Part::Serialization,
                ..
            })
        ));
        let tilde = json!({"protected": protected, "payload": payload, "signature": signature,
            "header": {"disclosures": [format!("{d}~{d}")]}});
        assert!(parse_json_serialization(&tilde.to_string()).is_err());
        assert!(parse_json_serialization("[]").is_err());
        assert!(matches!(
            parse_json_serialization(&" ".repeat(MAX_SD_JWT_LEN + 1)),
            Err(SdJwtError::TooLarge { .. })
        ));
    }
}
