//! Issuing an SD-JWT VC: claims in, chosen claims made selectively disclosable
//! (recursively, object properties and array elements), signed with ES256.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::jose::json::depth;
use crate::jose::limits::MAX_JSON_DEPTH;
use crate::jose::{JwsHeader, P256Jwk, SignedJwt};
use laissez_crypto::ecdsa::VerifyingKey;
use laissez_crypto::issuer_key::IssuerSigner;

use super::compact::SdJwt;
use super::decoys::{DecoyPolicy, shuffle};
use super::digest::SD_ALG;
use super::disclosure::Disclosure;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::limits::{MAX_DISCLOSURES, MAX_SD_JWT_LEN};
use super::path::{ClaimPath, PathSegment};
use super::present::lookup;
use super::vc::{NON_DISCLOSABLE_CLAIMS, StatusReference, TYP_SD_JWT_VC};

/// Top-level claims set from [`IssueRequest`]'s fields, never from `claims`.
pub const RESERVED_CLAIMS: [&str; 7] = ["iss", "vct", "iat", "nbf", "exp", "cnf", "status"];

/// Everything an issuer decides about one credential.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueRequest {
    /// `vct`: the credential type.
    pub vct: String,
    /// `iss`: the issuer identifier.
    pub issuer: String,
    /// `iat`, Unix seconds.
    pub issued_at: i64,
    /// `nbf`, Unix seconds.
    pub not_before: Option<i64>,
    /// `exp`, Unix seconds.
    pub expires_at: Option<i64>,
    /// `cnf.jwk`: the holder's key, to which presentations are bound.
    pub holder_key: Option<VerifyingKey>,
    /// `status.status_list`.
    pub status: Option<StatusReference>,
    /// The subject's claims. Those not named in `selectively_disclosable` are always
    /// visible, which is where display metadata or any other public claim goes. May not
    /// use the [`RESERVED_CLAIMS`] at the top level, nor the names `_sd`, `_sd_alg`, `...`
    /// anywhere.
    pub claims: Map<String, Value>,
    /// Paths into `claims` to make selectively disclosable: object members
    /// (`address`, `address.locality`) and array elements (`nationalities[0]`). Marking a
    /// claim and claims inside it gives recursive disclosures.
    pub selectively_disclosable: Vec<ClaimPath>,
    /// Decoy digests per `_sd` array.
    pub decoys: DecoyPolicy,
    /// Header `kid`.
    pub kid: Option<String>,
    /// Header `x5c`: the issuer's certificate chain (DER, signer first).
    pub x5c: Vec<Vec<u8>>,
}

impl IssueRequest {
    /// A request with no selectively disclosable claims, no holder key, no decoys,
    /// no `nbf`/`exp`/`status`/`kid`/`x5c`.
    pub fn new(
        vct: impl Into<String>,
        issuer: impl Into<String>,
        issued_at: i64,
        claims: Map<String, Value>,
    ) -> Self {
        Self {
            vct: vct.into(),
            issuer: issuer.into(),
            issued_at,
            not_before: None,
            expires_at: None,
            holder_key: None,
            status: None,
            claims,
            selectively_disclosable: Vec::new(),
            decoys: DecoyPolicy::default(),
            kid: None,
            x5c: Vec::new(),
        }
    }
}

/// Issues the credential of `request`, signed by `issuer` (header `typ: dc+sd-jwt`, `alg`
/// the issuer's: ES256, ES384 or EdDSA), with every Disclosure:
/// `<Issuer-signed JWT>~<D1>~…~<DN>~`.
pub fn issue(request: &IssueRequest, issuer: &dyn IssuerSigner) -> SdJwtResult<SdJwt> {
    check_request(request)?;
    let marks: HashSet<&ClaimPath> = request.selectively_disclosable.iter().collect();
    let mut encoder = Encoder {
        marks,
        decoys: request.decoys,
        disclosures: Vec::new(),
    };
    let mut payload = encoder.object(&request.claims, &ClaimPath::default())?;
    payload.insert("iss".into(), Value::String(request.issuer.clone()));
    payload.insert("vct".into(), Value::String(request.vct.clone()));
    payload.insert("iat".into(), Value::from(request.issued_at));
    if let Some(nbf) = request.not_before {
        payload.insert("nbf".into(), Value::from(nbf));
    }
    if let Some(exp) = request.expires_at {
        payload.insert("exp".into(), Value::from(exp));
    }
    if let Some(key) = &request.holder_key {
        let jwk = P256Jwk::from_verifying_key(key.clone()).to_json();
        payload.insert("cnf".into(), serde_json::json!({ "jwk": jwk }));
    }
    if let Some(status) = &request.status {
        payload.insert("status".into(), status.to_json());
    }
    payload.insert("_sd_alg".into(), Value::String(SD_ALG.into()));

    let mut header = JwsHeader::es256().with_typ(TYP_SD_JWT_VC);
    if let Some(kid) = &request.kid {
        header = header.with_kid(kid.clone());
    }
    if !request.x5c.is_empty() {
        header = header.with_x5c(request.x5c.clone());
    }
    let jwt = SignedJwt::sign_as_issuer(&header, &payload, issuer)
        .map_err(|e| SdJwtError::from_jose(Part::IssuerJwt, e))?;
    let mut disclosures = encoder.disclosures;
    if disclosures.len() > MAX_DISCLOSURES {
        return Err(SdJwtError::TooLarge {
            what: "number of disclosures",
        });
    }
    // The order of Disclosures must not mirror the order of the claims either.
    shuffle(&mut disclosures)?;
    let sd_jwt = SdJwt::from_parts(jwt, disclosures, None)?;
    if sd_jwt.without_key_binding().len() > MAX_SD_JWT_LEN {
        return Err(SdJwtError::TooLarge {
            what: "SD-JWT length",
        });
    }
    Ok(sd_jwt)
}

fn check_request(request: &IssueRequest) -> SdJwtResult<()> {
    if request
        .claims
        .keys()
        .any(|name| RESERVED_CLAIMS.contains(&name.as_str()))
    {
        return Err(SdJwtError::InvalidIssueRequest(
            "claims use a reserved top-level name (set it through the request fields)",
        ));
    }
    let claims = Value::Object(request.claims.clone());
    if uses_sd_syntax(&claims) {
        return Err(SdJwtError::InvalidIssueRequest(
            "claims use the names _sd, _sd_alg or ...",
        ));
    }
    // The payload wraps the claims in one object level, and a Disclosure of an array
    // element may add one more: leave room for both under the verifier's limit.
    if depth(&claims) > MAX_JSON_DEPTH - 1 {
        return Err(SdJwtError::InvalidIssueRequest(
            "claims are nested too deeply",
        ));
    }
    for path in &request.selectively_disclosable {
        if lookup(&request.claims, path).is_none() {
            return Err(SdJwtError::InvalidIssueRequest(
                "a selectively disclosable path names no claim",
            ));
        }
        if let [PathSegment::Key(name)] = path.segments() {
            if NON_DISCLOSABLE_CLAIMS.contains(&name.as_str()) {
                return Err(SdJwtError::InvalidIssueRequest(
                    "a registered claim that must stay visible was marked disclosable",
                ));
            }
        }
    }
    Ok(())
}

fn uses_sd_syntax(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k == "_sd" || k == "_sd_alg" || k == "..." || uses_sd_syntax(v)),
        Value::Array(items) => items.iter().any(uses_sd_syntax),
        _ => false,
    }
}

struct Encoder<'a> {
    marks: HashSet<&'a ClaimPath>,
    decoys: DecoyPolicy,
    disclosures: Vec<Disclosure>,
}

impl Encoder<'_> {
    fn object(
        &mut self,
        object: &Map<String, Value>,
        at: &ClaimPath,
    ) -> SdJwtResult<Map<String, Value>> {
        let mut out = Map::new();
        let mut digests = Vec::new();
        for (name, value) in object {
            let path = at.child(PathSegment::Key(name.clone()));
            let encoded = self.value(value, &path)?;
            if self.marks.contains(&path) {
                let disclosure = Disclosure::new_property(name, encoded)?;
                digests.push(disclosure.digest().to_owned());
                self.disclosures.push(disclosure);
            } else {
                out.insert(name.clone(), encoded);
            }
        }
        if !digests.is_empty() {
            self.decoys.add_to(&mut digests)?;
            shuffle(&mut digests)?;
            out.insert(
                "_sd".into(),
                Value::Array(digests.into_iter().map(Value::String).collect()),
            );
        }
        Ok(out)
    }

    fn value(&mut self, value: &Value, at: &ClaimPath) -> SdJwtResult<Value> {
        Ok(match value {
            Value::Object(map) => Value::Object(self.object(map, at)?),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let path = at.child(PathSegment::Index(index));
                    let encoded = self.value(item, &path)?;
                    if self.marks.contains(&path) {
                        let disclosure = Disclosure::new_element(encoded)?;
                        out.push(serde_json::json!({ "...": disclosure.digest() }));
                        self.disclosures.push(disclosure);
                    } else {
                        out.push(encoded);
                    }
                }
                Value::Array(out)
            }
            scalar => scalar.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdjwt::resolve;
    use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
    use serde_json::json;

    fn request(claims: Value, marks: &[&str]) -> IssueRequest {
        let mut r = IssueRequest::new(
            "urn:t",
            "https://i.example",
            1000,
            claims.as_object().unwrap().clone(),
        );
        r.selectively_disclosable = marks.iter().map(|m| ClaimPath::parse(m).unwrap()).collect();
        r
    }

    #[test]
    fn payload_shape() {
        let key = SigningKey::generate().unwrap();
        let holder = SigningKey::generate().unwrap();
        let mut r = request(
            json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [4, 5], "f": "visible"}),
            &["a", "b", "b.c", "e[1]"],
        );
        r.holder_key = Some(holder.verifying_key());
        r.not_before = Some(900);
        r.expires_at = Some(2000);
        r.kid = Some("k1".into());
        let sd = issue(&r, &key).unwrap();
        let jwt = sd.issuer_jwt();
        assert!(
            jwt.verify(key.public_key(), laissez_crypto::ecdsa::HighS::Refuse)
                .is_ok()
        );
        assert_eq!(jwt.header().typ(), Some("dc+sd-jwt"));
        assert_eq!(jwt.header().kid(), Some("k1"));
        let payload = jwt.claims();
        assert_eq!(payload["_sd_alg"], "sha-256");
        assert_eq!(payload["_sd"].as_array().unwrap().len(), 2);
        assert_eq!(payload["f"], "visible");
        assert_eq!(payload["e"][0], 4);
        assert!(payload["e"][1]["..."].is_string());
        assert!(!payload.contains_key("a") && !payload.contains_key("b"));
        assert_eq!(payload["iss"], "https://i.example");
        assert_eq!(payload["vct"], "urn:t");
        assert_eq!(
            (
                payload["iat"].clone(),
                payload["nbf"].clone(),
                payload["exp"].clone()
            ),
            (json!(1000), json!(900), json!(2000))
        );
        assert_eq!(payload["cnf"]["jwk"]["crv"], "P-256");
        assert_eq!(sd.disclosures().len(), 4);
        // The b disclosure carries c as a digest: recursive.
        let b = sd
            .disclosures()
            .iter()
            .find(|d| d.claim_name() == Some("b"))
            .unwrap();
        assert_eq!(b.value()["d"], 3);
        assert_eq!(b.value()["_sd"].as_array().unwrap().len(), 1);
        let resolved = resolve(payload, sd.disclosures()).unwrap();
        assert_eq!(resolved.claims["b"], json!({"c": 2, "d": 3}));
        assert_eq!(resolved.claims["e"], json!([4, 5]));
    }

    #[test]
    fn decoys_are_added_only_where_digests_are() {
        let key = SigningKey::generate().unwrap();
        let mut r = request(json!({"a": 1, "plain": {"x": 1}}), &["a"]);
        r.decoys = DecoyPolicy::between(3, 3);
        let sd = issue(&r, &key).unwrap();
        assert_eq!(sd.issuer_jwt().claims()["_sd"].as_array().unwrap().len(), 4);
        assert_eq!(sd.issuer_jwt().claims()["plain"], json!({"x": 1}));
        assert_eq!(sd.disclosures().len(), 1);
    }

    #[test]
    fn refuses_reserved_and_unknown() {
        let key = SigningKey::generate().unwrap();
        for (claims, marks) in [
            (json!({"vct": "x"}), vec![]),
            (json!({"cnf": {}}), vec![]),
            (json!({"a": [{"...": "x"}]}), vec![]),
            (json!({"a": {"_sd_alg": "x"}}), vec![]),
            (json!({"a": 1}), vec!["b"]),
            (json!({"a": 1}), vec!["a.b"]),
            (json!({"a": [1]}), vec!["a[1]"]),
        ] {
            assert!(
                matches!(
                    issue(&request(claims.clone(), &marks), &key),
                    Err(SdJwtError::InvalidIssueRequest(_))
                ),
                "{claims}"
            );
        }
    }
}
