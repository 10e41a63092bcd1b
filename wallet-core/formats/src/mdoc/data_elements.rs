//! Data elements: what an issuer puts in a credential (namespace → identifier → value) and
//! how a holder names the ones to disclose.

use std::collections::BTreeMap;

use ciborium::Value;

use crate::mdoc::cbor::json::json_to_cbor;
use crate::mdoc::error::{MdocError, MdocResult};

/// The data elements of a credential to issue: namespace → element identifier → CBOR value.
///
/// `Debug` shows namespaces and identifiers only, never values.
#[derive(Clone, Default, PartialEq)]
pub struct DataElements {
    namespaces: BTreeMap<String, BTreeMap<String, Value>>,
}

impl DataElements {
    /// No elements.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets one element (replacing an earlier value with the same namespace and identifier).
    pub fn insert(
        &mut self,
        namespace: impl Into<String>,
        identifier: impl Into<String>,
        value: Value,
    ) -> &mut Self {
        self.namespaces
            .entry(namespace.into())
            .or_default()
            .insert(identifier.into(), value);
        self
    }

    /// Sets every member of the JSON object `object` as an element of `namespace`.
    ///
    /// Strings, numbers, booleans, null, arrays and objects become their CBOR counterparts.
    /// A string under a key listed in `full_date_keys` - a top-level element identifier, or a
    /// key inside a nested object such as `driving_privileges[].issue_date` - must be
    /// `YYYY-MM-DD` and becomes a `full-date` (tag 1004). Byte strings (a portrait) cannot be
    /// written in JSON: add them with [`DataElements::insert`].
    pub fn insert_json(
        &mut self,
        namespace: &str,
        object: &serde_json::Value,
        full_date_keys: &[&str],
    ) -> MdocResult<&mut Self> {
        let members = object.as_object().ok_or(MdocError::InvalidInput(
            "namespace elements must be a JSON object",
        ))?;
        let mut converted = Vec::with_capacity(members.len());
        for (identifier, json) in members {
            converted.push((
                identifier,
                json_to_cbor(json, Some(identifier), full_date_keys)?,
            ));
        }
        for (identifier, value) in converted {
            self.insert(namespace, identifier.clone(), value);
        }
        Ok(self)
    }

    /// The value of one element, if set.
    pub fn get(&self, namespace: &str, identifier: &str) -> Option<&Value> {
        self.namespaces.get(namespace)?.get(identifier)
    }

    /// Number of elements over all namespaces.
    pub fn len(&self) -> usize {
        self.namespaces.values().map(BTreeMap::len).sum()
    }

    /// Whether there is no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Namespaces in order, each with its elements in order of identifier.
    pub fn iter(&self) -> impl Iterator<Item = (&str, impl Iterator<Item = (&str, &Value)>)> {
        self.namespaces.iter().map(|(ns, elements)| {
            (
                ns.as_str(),
                elements.iter().map(|(id, value)| (id.as_str(), value)),
            )
        })
    }
}

impl std::fmt::Debug for DataElements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.namespaces
                    .iter()
                    .map(|(ns, elements)| (ns, elements.keys().collect::<Vec<_>>())),
            )
            .finish()
    }
}

/// One data element named by namespace and identifier (a request or a disclosure choice).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementRef {
    /// The namespace, e.g. `org.iso.18013.5.1`.
    pub namespace: String,
    /// The element identifier, e.g. `family_name`.
    pub identifier: String,
}

impl ElementRef {
    /// The element `identifier` of `namespace`.
    pub fn new(namespace: impl Into<String>, identifier: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            identifier: identifier.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn json_insertion_and_debug() {
        let mut elements = DataElements::new();
        elements
            .insert_json(
                "org.iso.18013.5.1",
                &json!({"family_name": "Haddad", "birth_date": "1990-05-01", "age_over_18": true}),
                &["birth_date"],
            )
            .unwrap();
        elements.insert(
            "org.iso.18013.5.1",
            "portrait",
            Value::Bytes(vec![0xff, 0xd8]),
        );
        assert_eq!(elements.len(), 4);
        assert_eq!(
            elements.get("org.iso.18013.5.1", "birth_date"),
            Some(&Value::Tag(
                1004,
                Box::new(Value::Text("1990-05-01".into()))
            ))
        );
        let shown = format!("{elements:?}");
        assert!(shown.contains("family_name") && !shown.contains("Haddad"));
        // A bad date leaves the elements unchanged.
        let before = elements.clone();
        assert!(
            elements
                .insert_json("x", &json!({"a": 1, "d": "05/01/1990"}), &["d"])
                .is_err()
        );
        assert_eq!(elements, before);
        assert!(elements.insert_json("x", &json!([1]), &[]).is_err());
    }
}
