//! Disclosures (RFC 9901 s4.2): base64url of a JSON array `[salt, name, value]` for an
//! object property or `[salt, value]` for an array element.

use serde_json::Value;

use crate::jose::base64url;
use crate::jose::json::{self, JsonProblem};
use laissez_crypto::random;

use super::digest::disclosure_digest;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::limits::MAX_DISCLOSURE_LEN;

/// Bytes of randomness in a salt made here: 16 (128 bits, RFC 9901 s9.3).
pub const SALT_LEN: usize = 16;

/// One Disclosure, with its digest. Its `Debug` output shows the claim name and digest,
/// never the salt or the value.
#[derive(Clone, PartialEq)]
pub struct Disclosure {
    encoded: String,
    digest: String,
    salt: String,
    name: Option<String>,
    value: Value,
}

impl Disclosure {
    /// Parses a Disclosure. Refuses text over [`MAX_DISCLOSURE_LEN`], non-canonical
    /// base64url, non-strict JSON, anything but an array of 2 or 3 elements, a salt or claim
    /// name that is not a string, and the claim names `_sd` and `...`.
    pub fn parse(encoded: &str) -> SdJwtResult<Self> {
        if encoded.len() > MAX_DISCLOSURE_LEN {
            return Err(SdJwtError::TooLarge {
                what: "disclosure length",
            });
        }
        let bytes = base64url::decode(encoded)
            .map_err(|_| SdJwtError::malformed(Part::Disclosure, "not base64url"))?;
        let value = json::parse(&bytes).map_err(|problem| match problem {
            JsonProblem::TooDeep => SdJwtError::TooLarge {
                what: "JSON nesting depth",
            },
            JsonProblem::DuplicateMember => {
                SdJwtError::malformed(Part::Disclosure, "duplicate member name")
            }
            _ => SdJwtError::malformed(Part::Disclosure, "not JSON"),
        })?;
        let Value::Array(mut items) = value else {
            return Err(SdJwtError::malformed(Part::Disclosure, "not a JSON array"));
        };
        let (salt, name, value) = match items.len() {
            2 => {
                let value = items.pop().unwrap_or(Value::Null);
                (items.pop(), None, value)
            }
            3 => {
                let value = items.pop().unwrap_or(Value::Null);
                let name = match items.pop() {
                    Some(Value::String(name)) => name,
                    _ => {
                        return Err(SdJwtError::malformed(
                            Part::Disclosure,
                            "claim name is not a string",
                        ));
                    }
                };
                (items.pop(), Some(name), value)
            }
            _ => {
                return Err(SdJwtError::malformed(
                    Part::Disclosure,
                    "not an array of 2 or 3 elements",
                ));
            }
        };
        let Some(Value::String(salt)) = salt else {
            return Err(SdJwtError::malformed(
                Part::Disclosure,
                "salt is not a string",
            ));
        };
        if let Some(name) = &name {
            check_claim_name(name)?;
        }
        Ok(Self {
            digest: disclosure_digest(encoded),
            encoded: encoded.to_owned(),
            salt,
            name,
            value,
        })
    }

    /// A new Disclosure of the object property `name: value` with a fresh random salt.
    pub fn new_property(name: &str, value: Value) -> SdJwtResult<Self> {
        check_claim_name(name)?;
        Self::build(fresh_salt()?, Some(name.to_owned()), value)
    }

    /// A new Disclosure of an array element with a fresh random salt.
    pub fn new_element(value: Value) -> SdJwtResult<Self> {
        Self::build(fresh_salt()?, None, value)
    }

    fn build(salt: String, name: Option<String>, value: Value) -> SdJwtResult<Self> {
        let array = match &name {
            Some(name) => serde_json::json!([salt, name, value]),
            None => serde_json::json!([salt, value]),
        };
        let text = serde_json::to_vec(&array)
            .map_err(|_| SdJwtError::InvalidIssueRequest("claim value does not serialise"))?;
        let encoded = base64url::encode(&text);
        if encoded.len() > MAX_DISCLOSURE_LEN {
            return Err(SdJwtError::TooLarge {
                what: "disclosure length",
            });
        }
        Ok(Self {
            digest: disclosure_digest(&encoded),
            encoded,
            salt,
            name,
            value,
        })
    }

    /// The base64url text, as transmitted.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// The digest that references this Disclosure.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The salt.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// The claim name; `None` for an array element.
    pub fn claim_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The claim value (possibly holding further digests).
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl std::fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Disclosure")
            .field("claim_name", &self.name)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

fn check_claim_name(name: &str) -> SdJwtResult<()> {
    if name == "_sd" || name == "..." {
        return Err(SdJwtError::malformed(
            Part::Disclosure,
            "claim name is _sd or ...",
        ));
    }
    Ok(())
}

fn fresh_salt() -> SdJwtResult<String> {
    let bytes = random::bytes::<SALT_LEN>().map_err(|_| SdJwtError::Crypto("random generator"))?;
    Ok(base64url::encode(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encode(value: &Value) -> String {
        base64url::encode(&serde_json::to_vec(value).unwrap())
    }

    #[test]
    fn parses_spec_disclosures() {
        let d =
            Disclosure::parse("WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd")
                .unwrap();
        assert_eq!(d.salt(), "2GLC42sKQveCfGfryNRN9w");
        assert_eq!(d.claim_name(), Some("given_name"));
        assert_eq!(d.value(), &json!("John"));
        assert_eq!(d.digest(), "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4");
        let e = Disclosure::parse("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0").unwrap();
        assert_eq!(e.claim_name(), None);
        assert_eq!(e.value(), &json!("US"));
    }

    #[test]
    fn new_disclosures_round_trip() {
        let d = Disclosure::new_property("address", json!({"locality": "Anytown"})).unwrap();
        assert_eq!(Disclosure::parse(d.encoded()).unwrap(), d);
        assert_eq!(base64url::decode(d.salt()).unwrap().len(), SALT_LEN);
        let e = Disclosure::new_element(json!(null)).unwrap();
        assert_eq!(Disclosure::parse(e.encoded()).unwrap(), e);
        assert_ne!(
            Disclosure::new_element(json!(1)).unwrap().salt(),
            Disclosure::new_element(json!(1)).unwrap().salt()
        );
        assert!(Disclosure::new_property("_sd", json!(1)).is_err());
    }

    #[test]
    fn debug_output_hides_salt_and_value() {
        let d = Disclosure::new_property("given_name", json!("Amina")).unwrap();
        let shown = format!("{d:?}");
        assert!(shown.contains("given_name"));
        assert!(!shown.contains("Amina"));
        assert!(!shown.contains(d.salt()));
    }

    #[test]
    fn malformed_disclosures() {
        let cases = [
            encode(&json!(["salt"])),
            encode(&json!(["salt", "a", 1, 2])),
            encode(&json!([])),
            encode(&json!({"salt": "a"})),
            encode(&json!([1, "name", "v"])),
            encode(&json!([1, "v"])),
            encode(&json!(["salt", 7, "v"])),
            encode(&json!(["salt", "_sd", "v"])),
            encode(&json!(["salt", "...", "v"])),
            base64url::encode(br#"["s", "n", {"a":1,"a":2}]"#),
            base64url::encode(b"[\"s\", \"n\""),
            "WyJz=".to_owned(),
            "!!".to_owned(),
        ];
        for case in cases {
            assert!(
                matches!(
                    Disclosure::parse(&case),
                    Err(SdJwtError::Malformed {
                        part: Part::Disclosure,
                        ..
                    })
                ),
                "{case}"
            );
        }
        assert!(matches!(
            Disclosure::parse(&"A".repeat(MAX_DISCLOSURE_LEN + 1)),
            Err(SdJwtError::TooLarge { .. })
        ));
    }
}
