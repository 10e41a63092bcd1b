//! Building a presentation: the holder picks claims by path, the matching Disclosures
//! (with those of enclosing claims) go out, and a Key Binding JWT seals the result.

use serde_json::{Map, Value};

use laissez_crypto::ecdsa::Es256Signer;

use super::compact::SdJwt;
use super::disclosure::Disclosure;
use super::error::{SdJwtError, SdJwtResult};
use super::key_binding::{self, KeyBindingRequest};
use super::path::{ClaimPath, PathSegment};
use super::resolve::resolve;
use super::vc;

/// The paths of every selectively disclosable claim in `credential`, sorted: what a
/// consent screen can offer. A path's enclosing claims (if disclosable themselves) are
/// listed too; disclosing a claim always discloses them.
pub fn disclosable_paths(credential: &SdJwt) -> SdJwtResult<Vec<ClaimPath>> {
    let resolved = resolve(credential.issuer_jwt().claims(), credential.disclosures())?;
    let mut paths = resolved.disclosure_paths;
    paths.sort();
    Ok(paths)
}

/// The Disclosures needed to show `selection`, in the credential's order. A selected path
/// brings the Disclosures of every claim enclosing it and of every claim inside it
/// (selecting `address` shows the whole address; `address.locality` shows the address
/// object with only its locality, plus any always-visible members). Paths naming an
/// always-visible claim add nothing. A path that names no claim gives
/// [`SdJwtError::ClaimNotFound`].
pub fn select_disclosures(
    credential: &SdJwt,
    selection: &[ClaimPath],
) -> SdJwtResult<Vec<Disclosure>> {
    let resolved = resolve(credential.issuer_jwt().claims(), credential.disclosures())?;
    for path in selection {
        if lookup(&resolved.claims, path).is_none() {
            return Err(SdJwtError::ClaimNotFound);
        }
    }
    Ok(credential
        .disclosures()
        .iter()
        .zip(&resolved.disclosure_paths)
        .filter(|(_, at)| {
            selection
                .iter()
                .any(|wanted| at.is_prefix_of(wanted) || wanted.is_prefix_of(at))
        })
        .map(|(disclosure, _)| disclosure.clone())
        .collect())
}

/// A presentation of `selection` from `credential`, bound to the verifier's `request`
/// with a Key Binding JWT signed by `holder`, whose key must be the credential's
/// `cnf.jwk`. Returns the compact `<Issuer-signed JWT>~<D1>~…~<DN>~<KB-JWT>`.
pub fn present(
    credential: &SdJwt,
    selection: &[ClaimPath],
    request: &KeyBindingRequest,
    holder: &dyn Es256Signer,
) -> SdJwtResult<String> {
    if credential.key_binding_jwt().is_some() {
        return Err(SdJwtError::UnexpectedKeyBinding);
    }
    let holder_key =
        vc::holder_key(credential.issuer_jwt().claims())?.ok_or(SdJwtError::MissingHolderKey)?;
    if holder_key != holder.verifying_key() {
        return Err(SdJwtError::HolderKeyMismatch);
    }
    let disclosures = select_disclosures(credential, selection)?;
    let unbound = SdJwt::from_parts(credential.issuer_jwt().clone(), disclosures, None)?;
    let mut out = unbound.without_key_binding();
    let kb = key_binding::create(&out, request, holder)?;
    out.push_str(kb.as_str());
    Ok(out)
}

/// A presentation of `selection` without key binding (`…~<DN>~`), for verifiers that do
/// not require it. Anyone holding it can replay it.
pub fn present_without_key_binding(
    credential: &SdJwt,
    selection: &[ClaimPath],
) -> SdJwtResult<String> {
    if credential.key_binding_jwt().is_some() {
        return Err(SdJwtError::UnexpectedKeyBinding);
    }
    let disclosures = select_disclosures(credential, selection)?;
    Ok(
        SdJwt::from_parts(credential.issuer_jwt().clone(), disclosures, None)?
            .without_key_binding(),
    )
}

/// The value at `path` in `claims`, if any.
pub fn lookup<'a>(claims: &'a Map<String, Value>, path: &ClaimPath) -> Option<&'a Value> {
    let (first, rest) = path.segments().split_first()?;
    let PathSegment::Key(name) = first else {
        return None;
    };
    let mut at = claims.get(name)?;
    for segment in rest {
        at = match (segment, at) {
            (PathSegment::Key(name), Value::Object(map)) => map.get(name)?,
            (PathSegment::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_walks_objects_and_arrays() {
        let claims = json!({"a": {"b": [10, {"c": true}]}, "n": null});
        let claims = claims.as_object().unwrap();
        let at = |p: &str| lookup(claims, &ClaimPath::parse(p).unwrap()).cloned();
        assert_eq!(at("a.b[1].c"), Some(json!(true)));
        assert_eq!(at("a.b[0]"), Some(json!(10)));
        assert_eq!(at("n"), Some(Value::Null));
        assert_eq!(at("a.b[2]"), None);
        assert_eq!(at("a.c"), None);
        assert_eq!(at("a[0]"), None);
        assert_eq!(at("[0]"), None);
        assert_eq!(lookup(claims, &ClaimPath::default()), None);
    }
}
