//! SD-JWT VC specifics (draft-ietf-oauth-sd-jwt-vc): the `dc+sd-jwt` type, the claims that
//! may never be selectively disclosable, and reading `vct`, `iss`, `cnf` and `status`.

use serde_json::{Map, Value};

use crate::jose::P256Jwk;
use laissez_crypto::ecdsa::VerifyingKey;

use super::error::{Part, SdJwtError, SdJwtResult};
use super::path::{ClaimPath, PathSegment};

/// The `typ` of an SD-JWT VC's Issuer-signed JWT, the one Laissez issues.
pub const TYP_SD_JWT_VC: &str = "dc+sd-jwt";
/// The `typ` SD-JWT VC used before draft 06, still accepted during the transition the draft
/// recommends (MOSIP's issuer, for one, still emits it); never issued.
pub const TYP_SD_JWT_VC_LEGACY: &str = "vc+sd-jwt";
/// The `typ` of a Key Binding JWT (RFC 9901 s4.3).
pub const TYP_KEY_BINDING: &str = "kb+jwt";

/// Top-level claims that an SD-JWT VC must never carry in a Disclosure (draft-18 s3.2.2.2).
pub const NON_DISCLOSABLE_CLAIMS: [&str; 7] =
    ["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"];

/// Which rules apply beyond plain SD-JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// SD-JWT VC: header `typ` must be `dc+sd-jwt` (or the earlier `vc+sd-jwt`), `vct` must
    /// be a string, and none of
    /// [`NON_DISCLOSABLE_CLAIMS`] may come from a Disclosure.
    #[default]
    SdJwtVc,
    /// Plain SD-JWT (RFC 9901): any `typ`, no claim required.
    SdJwt,
}

pub use crate::credential::StatusReference;

/// Checks the header type and claims required by `profile`.
pub(crate) fn check_profile(
    profile: Profile,
    typ: Option<&str>,
    claims: &Map<String, Value>,
    disclosure_paths: &[ClaimPath],
) -> SdJwtResult<()> {
    if profile == Profile::SdJwt {
        return Ok(());
    }
    if typ != Some(TYP_SD_JWT_VC) && typ != Some(TYP_SD_JWT_VC_LEGACY) {
        return Err(SdJwtError::WrongType {
            part: Part::IssuerJwt,
        });
    }
    for path in disclosure_paths {
        if let [PathSegment::Key(name)] = path.segments() {
            if NON_DISCLOSABLE_CLAIMS.contains(&name.as_str()) {
                return Err(SdJwtError::malformed(
                    Part::Disclosure,
                    "a registered claim that must stay visible is selectively disclosable",
                ));
            }
        }
    }
    match claims.get("vct") {
        Some(Value::String(_)) => Ok(()),
        Some(_) => Err(SdJwtError::malformed(
            Part::IssuerJwt,
            "vct is not a string",
        )),
        None => Err(SdJwtError::malformed(Part::IssuerJwt, "vct is missing")),
    }
}

/// An optional string claim.
pub(crate) fn string_claim(
    claims: &Map<String, Value>,
    name: &str,
    problem: &'static str,
) -> SdJwtResult<Option<String>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(SdJwtError::malformed(Part::IssuerJwt, problem)),
    }
}

/// The holder key from `cnf.jwk`; `None` without `cnf` or without `jwk` in it (a `cnf`
/// naming the key otherwise, e.g. `jkt` or `kid`, cannot be used offline).
pub(crate) fn holder_key(claims: &Map<String, Value>) -> SdJwtResult<Option<VerifyingKey>> {
    let Some(cnf) = claims.get("cnf") else {
        return Ok(None);
    };
    let cnf = cnf.as_object().ok_or(SdJwtError::malformed(
        Part::IssuerJwt,
        "cnf is not an object",
    ))?;
    let Some(jwk) = cnf.get("jwk") else {
        return Ok(None);
    };
    let jwk = P256Jwk::from_json(jwk).map_err(|e| match e {
        crate::jose::JoseError::Malformed(_) => {
            SdJwtError::malformed(Part::IssuerJwt, "cnf.jwk is not a valid P-256 JWK")
        }
        _ => SdJwtError::UnsupportedHolderKey,
    })?;
    Ok(Some(jwk.into_verifying_key()))
}

/// The status reference from `status.status_list`; `None` without `status` or with
/// another status mechanism.
pub(crate) fn status(claims: &Map<String, Value>) -> SdJwtResult<Option<StatusReference>> {
    let Some(status) = claims.get("status") else {
        return Ok(None);
    };
    let bad = || SdJwtError::malformed(Part::IssuerJwt, "status.status_list is malformed");
    let status = status.as_object().ok_or_else(bad)?;
    let Some(list) = status.get("status_list") else {
        return Ok(None);
    };
    let list = list.as_object().ok_or_else(bad)?;
    let index = list.get("idx").and_then(Value::as_u64).ok_or_else(bad)?;
    let uri = list.get("uri").and_then(Value::as_str).ok_or_else(bad)?;
    Ok(Some(StatusReference {
        index,
        uri: uri.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn profile_rules() {
        let claims = obj(json!({"vct": "urn:x"}));
        assert!(check_profile(Profile::SdJwtVc, Some("dc+sd-jwt"), &claims, &[]).is_ok());
        assert!(
            check_profile(Profile::SdJwt, Some("example+sd-jwt"), &obj(json!({})), &[]).is_ok()
        );
        // The earlier type, during the transition; nothing else.
        assert!(check_profile(Profile::SdJwtVc, Some("vc+sd-jwt"), &claims, &[]).is_ok());
        for other in [
            "JWT",
            "sd-jwt",
            "example+sd-jwt",
            "DC+SD-JWT",
            "vc+sd-jwt ",
            "",
        ] {
            assert_eq!(
                check_profile(Profile::SdJwtVc, Some(other), &claims, &[]).unwrap_err(),
                SdJwtError::WrongType {
                    part: Part::IssuerJwt
                },
                "{other}"
            );
        }
        assert!(check_profile(Profile::SdJwtVc, None, &claims, &[]).is_err());
        assert!(check_profile(Profile::SdJwtVc, Some("dc+sd-jwt"), &obj(json!({})), &[]).is_err());
        assert!(
            check_profile(
                Profile::SdJwtVc,
                Some("dc+sd-jwt"),
                &obj(json!({"vct": 1})),
                &[]
            )
            .is_err()
        );
        let exp = ClaimPath::key("exp");
        assert!(check_profile(Profile::SdJwtVc, Some("dc+sd-jwt"), &claims, &[exp]).is_err());
        let nested = ClaimPath::parse("address.exp").unwrap();
        assert!(check_profile(Profile::SdJwtVc, Some("dc+sd-jwt"), &claims, &[nested]).is_ok());
    }

    #[test]
    fn holder_keys() {
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
            "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ"
        });
        assert!(
            holder_key(&obj(json!({"cnf": {"jwk": jwk}})))
                .unwrap()
                .is_some()
        );
        assert_eq!(holder_key(&obj(json!({}))).unwrap(), None);
        assert_eq!(
            holder_key(&obj(json!({"cnf": {"jkt": "x"}}))).unwrap(),
            None
        );
        let mut p384 = jwk.clone();
        p384["crv"] = json!("P-384");
        assert_eq!(
            holder_key(&obj(json!({"cnf": {"jwk": p384}}))).unwrap_err(),
            SdJwtError::UnsupportedHolderKey
        );
        let mut okp = jwk;
        okp["kty"] = json!("OKP");
        assert_eq!(
            holder_key(&obj(json!({"cnf": {"jwk": okp}}))).unwrap_err(),
            SdJwtError::UnsupportedHolderKey
        );
        assert!(holder_key(&obj(json!({"cnf": "x"}))).is_err());
        assert!(holder_key(&obj(json!({"cnf": {"jwk": {"kty": "EC", "crv": "P-256"}}}))).is_err());
    }

    #[test]
    fn status_references() {
        let reference = StatusReference {
            index: 7,
            uri: "https://status.example/1".into(),
        };
        let claims = obj(json!({"status": reference.to_json()}));
        assert_eq!(status(&claims).unwrap(), Some(reference));
        assert_eq!(status(&obj(json!({}))).unwrap(), None);
        assert_eq!(status(&obj(json!({"status": {"other": 1}}))).unwrap(), None);
        assert!(
            status(&obj(
                json!({"status": {"status_list": {"idx": -1, "uri": "u"}}})
            ))
            .is_err()
        );
        assert!(status(&obj(json!({"status": {"status_list": {"idx": 1}}}))).is_err());
    }
}
