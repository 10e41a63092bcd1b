//! IssuerSignedItem: one data element with its salt and digest ID, and its embedded form
//! IssuerSignedItemBytes = `#6.24(bstr .cbor IssuerSignedItem)`, whose exact bytes the MSO
//! digests.

use ciborium::Value;

use crate::mdoc::cbor::node::{self, Node};
use crate::mdoc::cbor::preferred::{self, Rule};
use crate::mdoc::cbor::write::{embed, encode_value};
use crate::mdoc::error::{MdocError, MdocResult};

/// One issuer-signed data element.
///
/// `Debug` leaves out the salt and the value: both are personal or secret.
#[derive(Clone, PartialEq)]
pub(crate) struct IssuerSignedItem {
    /// The key of this item's digest in the MSO `valueDigests` of its namespace.
    pub(crate) digest_id: u64,
    /// The salt (`random`) that makes the digest unguessable.
    pub(crate) random: Vec<u8>,
    /// The data element identifier, e.g. `family_name`.
    pub(crate) element_identifier: String,
    /// The data element value.
    pub(crate) element_value: Value,
}

impl std::fmt::Debug for IssuerSignedItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerSignedItem")
            .field("digest_id", &self.digest_id)
            .field("element_identifier", &self.element_identifier)
            .finish_non_exhaustive()
    }
}

impl IssuerSignedItem {
    /// IssuerSignedItemBytes: the item encoded and embedded as `#6.24(bstr)`.
    #[cfg(feature = "issue")]
    pub(crate) fn to_embedded_bytes(&self) -> MdocResult<Vec<u8>> {
        let item = Value::Map(vec![
            (
                Value::Text("digestID".into()),
                Value::Integer(self.digest_id.into()),
            ),
            (
                Value::Text("random".into()),
                Value::Bytes(self.random.clone()),
            ),
            (
                Value::Text("elementIdentifier".into()),
                Value::Text(self.element_identifier.clone()),
            ),
            (
                Value::Text("elementValue".into()),
                self.element_value.clone(),
            ),
        ]);
        encode_value(&embed(encode_value(&item)?))
    }

    /// Reads an IssuerSignedItemBytes node (`#6.24(bstr)`), decoding the embedded item.
    ///
    /// Indefinite lengths are refused, longer lengths are not (as for the MSO: @auth0/mdl
    /// writes two-byte map lengths, and the MSO digest fixes these bytes).
    pub(crate) fn from_embedded(item: &Node<'_>) -> MdocResult<Self> {
        const WHAT: &str = "IssuerSignedItemBytes";
        let content = item.embedded_cbor().ok_or(MdocError::Malformed(
            "IssuerSignedItemBytes is not #6.24(bstr)",
        ))?;
        let map = node::decode(content)?;
        preferred::check(item.raw, Rule::DefiniteLengths, WHAT)?;
        preferred::check(content, Rule::DefiniteLengths, WHAT)?;
        if map.as_map().is_none_or(|entries| entries.len() != 4) {
            return Err(MdocError::Malformed(
                "IssuerSignedItem must be a map of 4 entries",
            ));
        }
        Ok(Self {
            digest_id: map
                .require("digestID", "IssuerSignedItem.digestID missing")?
                .as_u64()
                .ok_or(MdocError::Malformed("IssuerSignedItem.digestID"))?,
            random: map
                .require("random", "IssuerSignedItem.random missing")?
                .as_bytes()
                .ok_or(MdocError::Malformed("IssuerSignedItem.random"))?
                .to_vec(),
            element_identifier: map
                .require(
                    "elementIdentifier",
                    "IssuerSignedItem.elementIdentifier missing",
                )?
                .as_text()
                .ok_or(MdocError::Malformed("IssuerSignedItem.elementIdentifier"))?
                .to_owned(),
            element_value: map
                .require("elementValue", "IssuerSignedItem.elementValue missing")?
                .to_value()?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn item(value: Value) -> IssuerSignedItem {
        IssuerSignedItem {
            digest_id: 7,
            random: vec![9; 16],
            element_identifier: "given_name".into(),
            element_value: value,
        }
    }

    #[test]
    fn debug_hides_value_and_salt() {
        let shown = format!("{:?}", item(Value::Text("Secret".into())));
        assert!(shown.contains("given_name"));
        assert!(!shown.contains("Secret"));
        assert!(!shown.contains("9, 9"));
    }

    #[test]
    fn rejects_bad_items() {
        let good = item(Value::Null).to_embedded_bytes().unwrap();
        assert!(IssuerSignedItem::from_embedded(&node::decode(&good).unwrap()).is_ok());
        // Not embedded: the map itself.
        let inner = node::decode(&good)
            .unwrap()
            .embedded_cbor()
            .unwrap()
            .to_vec();
        assert!(IssuerSignedItem::from_embedded(&node::decode(&inner).unwrap()).is_err());
        // A fifth entry.
        let extra = Value::Map(vec![
            (Value::Text("digestID".into()), Value::Integer(1.into())),
            (Value::Text("random".into()), Value::Bytes(vec![0; 16])),
            (
                Value::Text("elementIdentifier".into()),
                Value::Text("a".into()),
            ),
            (Value::Text("elementValue".into()), Value::Null),
            (Value::Text("x".into()), Value::Null),
        ]);
        let bytes = encode_value(&embed(encode_value(&extra).unwrap())).unwrap();
        assert!(IssuerSignedItem::from_embedded(&node::decode(&bytes).unwrap()).is_err());
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| Value::Integer(i.into())),
            any::<u64>().prop_map(|i| Value::Integer(i.into())),
            "[a-zA-Zé ]{0,20}".prop_map(Value::Text),
            proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
            (-1e9f64..1e9).prop_map(Value::Float),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(|d| Value::Tag(1004, Box::new(Value::Text(d)))),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(("[a-z_]{1,8}", inner), 0..4).prop_map(|entries| {
                    Value::Map(
                        entries
                            .into_iter()
                            .map(|(k, v)| (Value::Text(k), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn embedded_round_trip(
            digest_id in any::<u64>(),
            random in proptest::collection::vec(any::<u8>(), 16..40),
            id in "[a-z_]{1,30}",
            value in arb_value(),
        ) {
            let original = IssuerSignedItem {
                digest_id,
                random,
                element_identifier: id,
                element_value: value,
            };
            let bytes = original.to_embedded_bytes().unwrap();
            let parsed = IssuerSignedItem::from_embedded(&node::decode(&bytes).unwrap()).unwrap();
            prop_assert_eq!(&parsed, &original);
            // Encoding is deterministic: the same item gives the same bytes (and digest).
            prop_assert_eq!(parsed.to_embedded_bytes().unwrap(), bytes);
        }
    }
}
