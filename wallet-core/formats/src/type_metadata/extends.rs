//! Resolving `extends` (draft section 4.4 and 4.6.5.2) offline: the extended documents come
//! from the caller (a trust list, the built-in set), never from the network. Each link's
//! `extends#integrity`, when present, must match the supplied document's bytes; a type seen
//! twice is a cycle; at most [`MAX_EXTENDS_DEPTH`] links are followed.
//!
//! Merging, from the base down: a claim entry of the extending type replaces the base's entry
//! with the same path in place, other entries are appended; `display` entries of the
//! extending type replace the base's for the same locale; `name` and `description` are the
//! extending type's when it has them.

use super::document::{TypeMetadata, TypeMetadataDocument};
use super::{MAX_EXTENDS_DEPTH, TypeMetadataError};

/// The effective metadata of `document`: itself merged over every type it extends, found by
/// `vct` among `supplied`.
pub fn resolve(
    document: &TypeMetadataDocument,
    supplied: &[TypeMetadataDocument],
) -> Result<TypeMetadata, TypeMetadataError> {
    // The chain from `document` down to the last base.
    let mut chain: Vec<&TypeMetadata> = vec![document.metadata()];
    let mut current = document.metadata();
    while let Some(base_vct) = &current.extends {
        if chain.len() > MAX_EXTENDS_DEPTH {
            return Err(TypeMetadataError::ExtendsTooDeep);
        }
        if chain.iter().any(|seen| &seen.vct == base_vct) {
            return Err(TypeMetadataError::ExtendsCycle);
        }
        let base = supplied
            .iter()
            .find(|d| d.vct() == base_vct)
            .ok_or(TypeMetadataError::ExtendsUnavailable)?;
        if let Some(integrity) = &current.extends_integrity {
            integrity.check(base.bytes())?;
        }
        chain.push(base.metadata());
        current = base.metadata();
    }
    let mut chain = chain.into_iter().rev();
    let Some(root) = chain.next() else {
        return Ok(document.metadata().clone());
    };
    let mut effective = root.clone();
    for child in chain {
        merge(&mut effective, child);
    }
    effective.vct = document.vct().to_owned();
    effective.extends = document.metadata().extends.clone();
    effective.extends_integrity = document.metadata().extends_integrity.clone();
    Ok(effective)
}

fn merge(base: &mut TypeMetadata, child: &TypeMetadata) {
    if child.name.is_some() {
        base.name.clone_from(&child.name);
    }
    if child.description.is_some() {
        base.description.clone_from(&child.description);
    }
    for display in &child.display {
        match base
            .display
            .iter_mut()
            .find(|d| d.locale.eq_ignore_ascii_case(&display.locale))
        {
            Some(slot) => *slot = display.clone(),
            None => base.display.push(display.clone()),
        }
    }
    for claim in &child.claims {
        match base.claims.iter_mut().find(|c| c.path == claim.path) {
            Some(slot) => *slot = claim.clone(),
            None => base.claims.push(claim.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::type_metadata::Integrity;

    fn doc(text: &str) -> TypeMetadataDocument {
        TypeMetadataDocument::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn cycles_depth_and_integrity() {
        let a = doc(r#"{"vct":"a","extends":"b"}"#);
        let b = doc(r#"{"vct":"b","extends":"a"}"#);
        assert_eq!(
            resolve(&a, &[a.clone(), b.clone()]),
            Err(TypeMetadataError::ExtendsCycle)
        );
        let own = doc(r#"{"vct":"s","extends":"s"}"#);
        assert_eq!(
            resolve(&own, std::slice::from_ref(&own)),
            Err(TypeMetadataError::ExtendsCycle)
        );
        assert_eq!(resolve(&a, &[]), Err(TypeMetadataError::ExtendsUnavailable));
        let chain: Vec<TypeMetadataDocument> = (0..=MAX_EXTENDS_DEPTH + 1)
            .map(|i| doc(&format!(r#"{{"vct":"t{i}","extends":"t{}"}}"#, i + 1)))
            .collect();
        assert_eq!(
            resolve(&chain[0], &chain),
            Err(TypeMetadataError::ExtendsTooDeep)
        );
        let base = doc(
            r#"{"vct":"base","claims":[{"path":["x"],"display":[{"locale":"en","label":"X"}]}]}"#,
        );
        let good = Integrity::sha256_of(base.bytes()).to_sri();
        let child = doc(&format!(
            r#"{{"vct":"child","extends":"base","extends#integrity":"{good}"}}"#
        ));
        let effective = resolve(&child, std::slice::from_ref(&base)).unwrap();
        assert_eq!(effective.vct, "child");
        assert_eq!(
            effective.claim_label(&crate::type_metadata::ClaimPath::of_names(&["x"]), "en"),
            Some("X")
        );
        let bad = Integrity::sha256_of(b"other").to_sri();
        let child = doc(&format!(
            r#"{{"vct":"child","extends":"base","extends#integrity":"{bad}"}}"#
        ));
        assert_eq!(
            resolve(&child, &[base]),
            Err(TypeMetadataError::IntegrityMismatch)
        );
    }
}
