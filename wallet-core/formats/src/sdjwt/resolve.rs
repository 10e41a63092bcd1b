//! Rebuilding the claims from the Issuer-signed JWT payload and the Disclosures
//! (RFC 9901 s7.1 steps 3-5): digests in `_sd` arrays and `{"...": digest}` array elements
//! are replaced by the disclosed claims, recursively; digests without a Disclosure are
//! decoys (or undisclosed) and vanish; `_sd` and `_sd_alg` are removed.
//!
//! This is pure structure: it does not check signatures. Every rule that makes the input
//! invalid is enforced: a digest reached twice, a Disclosure not reached, a Disclosure of
//! the wrong kind for its place, a claim name that already exists, `_sd` that is not an
//! array of strings, `...` outside an array element, `_sd_alg` below the top level, and
//! nesting deeper than [`MAX_JSON_DEPTH`] in the rebuilt claims.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::digest::SD_ALG;
use super::disclosure::Disclosure;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::limits::MAX_JSON_DEPTH;
use super::path::{ClaimPath, PathSegment};

/// The rebuilt claims and where each Disclosure landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The processed payload: all always-visible claims plus the disclosed ones.
    pub claims: Map<String, Value>,
    /// For each Disclosure (same order as given), the path of the claim it discloses.
    pub disclosure_paths: Vec<ClaimPath>,
}

/// Rebuilds the claims of `payload` with `disclosures`.
pub fn resolve(payload: &Map<String, Value>, disclosures: &[Disclosure]) -> SdJwtResult<Resolved> {
    match payload.get("_sd_alg") {
        None => {}
        Some(Value::String(alg)) if alg == SD_ALG => {}
        Some(Value::String(alg)) => {
            return Err(SdJwtError::UnsupportedAlgorithm {
                part: Part::IssuerJwt,
                alg: crate::jose::printable_alg(alg),
            });
        }
        Some(_) => {
            return Err(SdJwtError::malformed(
                Part::IssuerJwt,
                "_sd_alg is not a string",
            ));
        }
    }
    let mut by_digest = HashMap::with_capacity(disclosures.len());
    for (index, disclosure) in disclosures.iter().enumerate() {
        if by_digest.insert(disclosure.digest(), index).is_some() {
            return Err(SdJwtError::DuplicateDisclosure);
        }
    }
    let mut resolver = Resolver {
        disclosures,
        by_digest,
        seen: HashSet::new(),
        paths: vec![None; disclosures.len()],
        path: Vec::new(),
    };
    let claims = resolver.object(payload, 1, true)?;
    let disclosure_paths = resolver
        .paths
        .into_iter()
        .map(|path| path.ok_or(SdJwtError::UnreferencedDisclosure))
        .collect::<SdJwtResult<Vec<_>>>()?;
    Ok(Resolved {
        claims,
        disclosure_paths,
    })
}

struct Resolver<'a> {
    disclosures: &'a [Disclosure],
    by_digest: HashMap<&'a str, usize>,
    seen: HashSet<String>,
    paths: Vec<Option<ClaimPath>>,
    path: Vec<PathSegment>,
}

impl<'a> Resolver<'a> {
    /// Marks `digest` as reached; a digest reached twice is an error (RFC 9901 s7.1 4).
    fn reach(&mut self, digest: &str) -> SdJwtResult<Option<(usize, &'a Disclosure)>> {
        if !self.seen.insert(digest.to_owned()) {
            return Err(SdJwtError::DuplicateDigest);
        }
        let disclosures = self.disclosures;
        Ok(self
            .by_digest
            .get(digest)
            .map(|&index| (index, &disclosures[index])))
    }

    /// Records that Disclosure `index` discloses the claim at the current path.
    fn record(&mut self, index: usize) {
        self.paths[index] = Some(ClaimPath::new(self.path.clone()));
    }

    /// Rebuilds an object at nesting `depth` (the payload is at 1).
    fn object(
        &mut self,
        object: &Map<String, Value>,
        depth: usize,
        top: bool,
    ) -> SdJwtResult<Map<String, Value>> {
        if depth > MAX_JSON_DEPTH {
            return Err(SdJwtError::TooLarge {
                what: "claim nesting depth",
            });
        }
        let mut out = Map::new();
        for (name, value) in object {
            match name.as_str() {
                "_sd" => continue,
                "_sd_alg" if top => continue,
                "_sd_alg" => {
                    return Err(SdJwtError::malformed(
                        Part::IssuerJwt,
                        "_sd_alg below the top level",
                    ));
                }
                "..." => {
                    return Err(SdJwtError::malformed(
                        Part::IssuerJwt,
                        "'...' member outside an array element",
                    ));
                }
                _ => {}
            }
            self.path.push(PathSegment::Key(name.clone()));
            let rebuilt = self.value(value, depth + 1)?;
            self.path.pop();
            out.insert(name.clone(), rebuilt);
        }
        let Some(digests) = object.get("_sd") else {
            return Ok(out);
        };
        let digests = digests.as_array().ok_or(SdJwtError::malformed(
            Part::IssuerJwt,
            "_sd is not an array of strings",
        ))?;
        for digest in digests {
            let digest = digest.as_str().ok_or(SdJwtError::malformed(
                Part::IssuerJwt,
                "_sd is not an array of strings",
            ))?;
            let Some((index, disclosure)) = self.reach(digest)? else {
                continue; // a decoy, or a claim not disclosed
            };
            let Some(name) = disclosure.claim_name() else {
                return Err(SdJwtError::malformed(
                    Part::Disclosure,
                    "array element disclosure referenced from _sd",
                ));
            };
            if out.contains_key(name) {
                return Err(SdJwtError::malformed(
                    Part::Disclosure,
                    "disclosed claim name already present",
                ));
            }
            self.path.push(PathSegment::Key(name.to_owned()));
            self.record(index);
            let rebuilt = self.value(disclosure.value(), depth + 1)?;
            self.path.pop();
            out.insert(name.to_owned(), rebuilt);
        }
        Ok(out)
    }

    /// Rebuilds an array at nesting `depth`.
    fn array(&mut self, items: &[Value], depth: usize) -> SdJwtResult<Vec<Value>> {
        if depth > MAX_JSON_DEPTH {
            return Err(SdJwtError::TooLarge {
                what: "claim nesting depth",
            });
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match element_digest(item)? {
                Some(digest) => {
                    let Some((index, disclosure)) = self.reach(digest)? else {
                        continue;
                    };
                    if disclosure.claim_name().is_some() {
                        return Err(SdJwtError::malformed(
                            Part::Disclosure,
                            "object property disclosure referenced from an array",
                        ));
                    }
                    self.path.push(PathSegment::Index(out.len()));
                    self.record(index);
                    let rebuilt = self.value(disclosure.value(), depth + 1)?;
                    self.path.pop();
                    out.push(rebuilt);
                }
                None => {
                    self.path.push(PathSegment::Index(out.len()));
                    let rebuilt = self.value(item, depth + 1)?;
                    self.path.pop();
                    out.push(rebuilt);
                }
            }
        }
        Ok(out)
    }

    /// Rebuilds a value found at nesting `depth` (the depth it would have as a container).
    fn value(&mut self, value: &Value, depth: usize) -> SdJwtResult<Value> {
        Ok(match value {
            Value::Object(map) => Value::Object(self.object(map, depth, false)?),
            Value::Array(items) => Value::Array(self.array(items, depth)?),
            scalar => scalar.clone(),
        })
    }
}

/// The digest of an array element of the form `{"...": "<digest>"}`, if it is one.
fn element_digest(item: &Value) -> SdJwtResult<Option<&str>> {
    let Value::Object(map) = item else {
        return Ok(None);
    };
    let Some(digest) = map.get("...") else {
        return Ok(None);
    };
    if map.len() != 1 {
        return Err(SdJwtError::malformed(
            Part::IssuerJwt,
            "array element with '...' and other members",
        ));
    }
    digest.as_str().map(Some).ok_or(SdJwtError::malformed(
        Part::IssuerJwt,
        "'...' value is not a string",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn prop(name: &str, value: Value) -> Disclosure {
        Disclosure::new_property(name, value).unwrap()
    }

    fn elem(value: Value) -> Disclosure {
        Disclosure::new_element(value).unwrap()
    }

    #[test]
    fn rebuilds_objects_arrays_and_recursion() {
        let locality = prop("locality", json!("Anytown"));
        let address = prop(
            "address",
            json!({"_sd": [locality.digest()], "country": "US"}),
        );
        let us = elem(json!("US"));
        let de = elem(json!("DE"));
        let payload = obj(json!({
            "_sd": [address.digest(), "decoy-digest"],
            "_sd_alg": "sha-256",
            "iss": "x",
            "nationalities": [{"...": us.digest()}, {"...": "another-decoy"}, {"...": de.digest()}, "FR"],
        }));
        let disclosures = [de.clone(), address, us, locality];
        let resolved = resolve(&payload, &disclosures).unwrap();
        assert_eq!(
            Value::Object(resolved.claims),
            json!({
                "iss": "x",
                "address": {"locality": "Anytown", "country": "US"},
                "nationalities": ["US", "DE", "FR"],
            })
        );
        let paths: Vec<String> = resolved
            .disclosure_paths
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            paths,
            [
                "nationalities[1]",
                "address",
                "nationalities[0]",
                "address.locality"
            ]
        );

        // Only the DE element: it now sits at index 0.
        let resolved = resolve(&payload, &[de]).unwrap();
        assert_eq!(resolved.claims["nationalities"], json!(["DE", "FR"]));
        assert_eq!(resolved.disclosure_paths[0].to_string(), "nationalities[0]");
        assert!(!resolved.claims.contains_key("address"));
    }

    #[test]
    fn enforces_every_rule() {
        let a = prop("a", json!(1));
        let e = elem(json!(1));
        let cases: Vec<(Value, Vec<Disclosure>, SdJwtError)> = vec![
            (
                json!({}),
                vec![a.clone()],
                SdJwtError::UnreferencedDisclosure,
            ),
            (
                json!({"_sd": [a.digest(), a.digest()]}),
                vec![a.clone()],
                SdJwtError::DuplicateDigest,
            ),
            (
                json!({"_sd": ["d"], "x": {"_sd": ["d"]}}),
                vec![],
                SdJwtError::DuplicateDigest,
            ),
            (
                json!({"a1": [{"...": e.digest()}], "a2": [{"...": e.digest()}]}),
                vec![e.clone()],
                SdJwtError::DuplicateDigest,
            ),
            (
                json!({"_sd": "abc"}),
                vec![],
                SdJwtError::malformed(Part::IssuerJwt, "_sd is not an array of strings"),
            ),
            (
                json!({"_sd": [1]}),
                vec![],
                SdJwtError::malformed(Part::IssuerJwt, "_sd is not an array of strings"),
            ),
            (
                json!({"_sd": [e.digest()]}),
                vec![e.clone()],
                SdJwtError::malformed(
                    Part::Disclosure,
                    "array element disclosure referenced from _sd",
                ),
            ),
            (
                json!({"arr": [{"...": a.digest()}]}),
                vec![a.clone()],
                SdJwtError::malformed(
                    Part::Disclosure,
                    "object property disclosure referenced from an array",
                ),
            ),
            (
                json!({"_sd": [a.digest()], "a": 2}),
                vec![a.clone()],
                SdJwtError::malformed(Part::Disclosure, "disclosed claim name already present"),
            ),
            (
                json!({"arr": [{"...": "d", "x": 1}]}),
                vec![],
                SdJwtError::malformed(
                    Part::IssuerJwt,
                    "array element with '...' and other members",
                ),
            ),
            (
                json!({"arr": [{"...": 5}]}),
                vec![],
                SdJwtError::malformed(Part::IssuerJwt, "'...' value is not a string"),
            ),
            (
                json!({"x": {"...": "d"}}),
                vec![],
                SdJwtError::malformed(Part::IssuerJwt, "'...' member outside an array element"),
            ),
            (
                json!({"x": {"_sd_alg": "sha-256"}}),
                vec![],
                SdJwtError::malformed(Part::IssuerJwt, "_sd_alg below the top level"),
            ),
            (
                json!({"_sd_alg": "sha-512"}),
                vec![],
                SdJwtError::UnsupportedAlgorithm {
                    part: Part::IssuerJwt,
                    alg: "sha-512".into(),
                },
            ),
            (
                json!({}),
                vec![a.clone(), a.clone()],
                SdJwtError::DuplicateDisclosure,
            ),
        ];
        for (payload, disclosures, expected) in cases {
            assert_eq!(
                resolve(&obj(payload.clone()), &disclosures).unwrap_err(),
                expected,
                "{payload}"
            );
        }
    }

    #[test]
    fn a_disclosure_cannot_reference_itself_through_a_chain() {
        // d2's value holds d1's digest and d1's value holds "x": fine, depth two.
        let d1 = prop("inner", json!("x"));
        let d2 = prop("outer", json!({"_sd": [d1.digest()]}));
        let payload = obj(json!({"_sd": [d2.digest()]}));
        assert!(resolve(&payload, &[d1.clone(), d2.clone()]).is_ok());
        // Without d2, d1 is unreachable.
        assert_eq!(
            resolve(&payload, &[d1]).unwrap_err(),
            SdJwtError::UnreferencedDisclosure
        );
    }

    #[test]
    fn nesting_through_disclosures_is_bounded() {
        // Each disclosure nests one object deeper; the chain exceeds MAX_JSON_DEPTH although
        // every single JSON document is shallow.
        let mut disclosures = Vec::new();
        let mut inner = prop("leaf", json!(1));
        disclosures.push(inner.clone());
        for _ in 0..MAX_JSON_DEPTH {
            inner = prop("n", json!({"_sd": [inner.digest()]}));
            disclosures.push(inner.clone());
        }
        let payload = obj(json!({"_sd": [inner.digest()]}));
        assert!(matches!(
            resolve(&payload, &disclosures),
            Err(SdJwtError::TooLarge { .. })
        ));
    }
}
