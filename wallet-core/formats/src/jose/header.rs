//! The JWS protected header, and the policy applied to every header read.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::error::{JoseError, printable_alg};
use super::limits::MAX_X5C_CERTS;
use laissez_crypto::issuer_key::SignatureAlgorithm;

/// The holder's (and the trust-list signer's) only algorithm; issuers may also use `ES384` and
/// `EdDSA` ([`SignatureAlgorithm`]).
pub const ES256: &str = "ES256";

/// A JWS protected header that passed the policy: `alg` is `ES256`, `ES384` or `EdDSA`, no
/// `crit`.
#[derive(Debug, Clone, PartialEq)]
pub struct JwsHeader {
    alg: SignatureAlgorithm,
    typ: Option<String>,
    kid: Option<String>,
    x5c: Vec<Vec<u8>>,
}

impl JwsHeader {
    /// A header with `alg: ES256` and nothing else.
    pub fn es256() -> Self {
        Self::new(SignatureAlgorithm::Es256)
    }

    /// A header with `alg` and nothing else.
    pub fn new(alg: SignatureAlgorithm) -> Self {
        Self {
            alg,
            typ: None,
            kid: None,
            x5c: Vec::new(),
        }
    }

    /// Sets `typ` (e.g. `dc+sd-jwt`, `kb+jwt`).
    pub fn with_typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }

    /// Sets `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Sets `x5c`: DER certificates, the signer's first (RFC 7515 s4.1.6).
    pub fn with_x5c(mut self, chain: Vec<Vec<u8>>) -> Self {
        self.x5c = chain;
        self
    }

    /// Applies the header policy to a decoded header:
    ///
    /// - `alg` must be one of the strings `ES256`, `ES384`, `EdDSA`. `none`, `HS256`, `RS256`,
    ///   `PS256`, `ES512` and anything else give [`JoseError::UnsupportedAlgorithm`]. Which
    ///   algorithm a given token may use is the caller's rule (a Key Binding JWT: `ES256` only),
    ///   and the key decides the rest ([`laissez_crypto::issuer_key::IssuerKey::verify`]).
    /// - `crit`, if present, gives [`JoseError::UnsupportedCriticalHeader`]: no extension is
    ///   understood (RFC 7515 s4.1.11 requires refusing what is not understood).
    /// - `b64` other than `true` (RFC 7797 unencoded payloads) and `zip` are refused.
    /// - `typ` and `kid` must be strings; `x5c` a non-empty array of at most
    ///   [`MAX_X5C_CERTS`] standard-base64 DER certificates.
    /// - `jwk`, `jku`, `x5u` are ignored: a key named by the token itself is never trusted.
    pub fn from_json(map: &Map<String, Value>) -> Result<Self, JoseError> {
        let alg = match map.get("alg") {
            Some(Value::String(alg)) => SignatureAlgorithm::from_jose_name(alg)
                .ok_or_else(|| JoseError::UnsupportedAlgorithm(printable_alg(alg)))?,
            Some(_) => return Err(JoseError::Malformed("header alg is not a string")),
            None => return Err(JoseError::Malformed("header has no alg")),
        };
        if let Some(crit) = map.get("crit") {
            let names = crit
                .as_array()
                .filter(|names| !names.is_empty())
                .ok_or(JoseError::Malformed("header crit is not a non-empty array"))?;
            if names.iter().any(|name| !name.is_string()) {
                return Err(JoseError::Malformed("header crit lists a non-string"));
            }
            return Err(JoseError::UnsupportedCriticalHeader);
        }
        match map.get("b64") {
            None | Some(Value::Bool(true)) => {}
            Some(_) => {
                return Err(JoseError::Malformed(
                    "unencoded payloads (b64) not supported",
                ));
            }
        }
        if map.contains_key("zip") {
            return Err(JoseError::Malformed("zip is not allowed in a JWS"));
        }
        let typ = optional_string(map, "typ", "header typ is not a string")?;
        let kid = optional_string(map, "kid", "header kid is not a string")?;
        let x5c = match map.get("x5c") {
            None => Vec::new(),
            Some(value) => certificates(value)?,
        };
        Ok(Self { alg, typ, kid, x5c })
    }

    /// The `alg`.
    pub fn alg(&self) -> SignatureAlgorithm {
        self.alg
    }

    /// Sets `alg` (signing sets it from the signer).
    pub fn with_alg(mut self, alg: SignatureAlgorithm) -> Self {
        self.alg = alg;
        self
    }

    /// The `typ`, if any.
    pub fn typ(&self) -> Option<&str> {
        self.typ.as_deref()
    }

    /// The `kid`, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The `x5c` chain (DER), empty if absent.
    pub fn x5c(&self) -> &[Vec<u8>] {
        &self.x5c
    }

    /// The header as a JSON object.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("alg".into(), Value::String(self.alg.jose_name().into()));
        if let Some(typ) = &self.typ {
            map.insert("typ".into(), Value::String(typ.clone()));
        }
        if let Some(kid) = &self.kid {
            map.insert("kid".into(), Value::String(kid.clone()));
        }
        if !self.x5c.is_empty() {
            let certs = self
                .x5c
                .iter()
                .map(|der| Value::String(STANDARD.encode(der)))
                .collect();
            map.insert("x5c".into(), Value::Array(certs));
        }
        map
    }
}

fn optional_string(
    map: &Map<String, Value>,
    name: &str,
    problem: &'static str,
) -> Result<Option<String>, JoseError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(JoseError::Malformed(problem)),
    }
}

fn certificates(value: &Value) -> Result<Vec<Vec<u8>>, JoseError> {
    let items = value
        .as_array()
        .filter(|items| !items.is_empty())
        .ok_or(JoseError::Malformed("header x5c is not a non-empty array"))?;
    if items.len() > MAX_X5C_CERTS {
        return Err(JoseError::TooLarge("x5c certificate count"));
    }
    items
        .iter()
        .map(|item| {
            let text = item
                .as_str()
                .ok_or(JoseError::Malformed("header x5c entry is not a string"))?;
            STANDARD
                .decode(text)
                .ok()
                .filter(|der| !der.is_empty())
                .ok_or(JoseError::Malformed("header x5c entry is not base64 DER"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<JwsHeader, JoseError> {
        JwsHeader::from_json(value.as_object().unwrap())
    }

    #[test]
    fn accepts_es256_with_typ_kid_x5c() {
        let h = parse(json!({"alg": "ES256", "typ": "dc+sd-jwt", "kid": "k1", "x5c": ["MIIB"]}))
            .unwrap();
        assert_eq!(h.typ(), Some("dc+sd-jwt"));
        assert_eq!(h.kid(), Some("k1"));
        assert_eq!(h.x5c(), &[vec![0x30, 0x82, 0x01]]);
        assert_eq!(parse(Value::Object(h.to_json())).unwrap(), h);
    }

    #[test]
    fn accepts_the_three_issuer_algorithms() {
        for alg in SignatureAlgorithm::ALL {
            let h = parse(json!({"alg": alg.jose_name(), "typ": "vc+sd-jwt"})).unwrap();
            assert_eq!(h.alg(), alg);
            assert_eq!(parse(Value::Object(h.to_json())).unwrap(), h);
        }
    }

    #[test]
    fn refuses_every_other_algorithm() {
        for alg in [
            "none", "None", "HS256", "HS384", "HS512", "RS256", "RS384", "PS256", "ES512",
            "ES256K", "es256", "eddsa", "Ed25519", "",
        ] {
            assert!(
                matches!(
                    parse(json!({"alg": alg})),
                    Err(JoseError::UnsupportedAlgorithm(_))
                ),
                "{alg}"
            );
        }
        assert!(matches!(parse(json!({})), Err(JoseError::Malformed(_))));
        assert!(matches!(
            parse(json!({"alg": ["ES256"]})),
            Err(JoseError::Malformed(_))
        ));
    }

    #[test]
    fn refuses_crit_b64_zip_and_bad_member_types() {
        assert_eq!(
            parse(json!({"alg": "ES256", "crit": ["exp"], "exp": 1})),
            Err(JoseError::UnsupportedCriticalHeader)
        );
        assert!(matches!(
            parse(json!({"alg": "ES256", "crit": []})),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            parse(json!({"alg": "ES256", "b64": false})),
            Err(JoseError::Malformed(_))
        ));
        assert!(parse(json!({"alg": "ES256", "b64": true})).is_ok());
        assert!(matches!(
            parse(json!({"alg": "ES256", "zip": "DEF"})),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            parse(json!({"alg": "ES256", "typ": 1})),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            parse(json!({"alg": "ES256", "x5c": []})),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            parse(json!({"alg": "ES256", "x5c": ["-_"]})),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            parse(json!({"alg": "ES256", "x5c": vec!["MIIB"; MAX_X5C_CERTS + 1]})),
            Err(JoseError::TooLarge(_))
        ));
    }
}
