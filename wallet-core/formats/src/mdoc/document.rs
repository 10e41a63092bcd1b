//! Parsing `Document`, `IssuerSigned` and `DeviceSigned` into views that keep the exact
//! bytes of every item whose digest or signature matters.
//!
//! ```cddl
//! Document = {"docType": DocType, "issuerSigned": IssuerSigned, ? "deviceSigned": DeviceSigned, ? "errors": Errors}
//! IssuerSigned = {? "nameSpaces": IssuerNameSpaces, "issuerAuth": IssuerAuth}
//! IssuerNameSpaces = {+ NameSpace => [+ IssuerSignedItemBytes]}
//! DeviceSigned = {"nameSpaces": DeviceNameSpacesBytes, "deviceAuth": DeviceAuth}
//! DeviceNameSpacesBytes = #6.24(bstr .cbor {* NameSpace => {+ DataElementIdentifier => DataElementValue}})
//! DeviceAuth = {"deviceSignature": COSE_Sign1} / {"deviceMac": COSE_Mac0}
//! ```

use ciborium::Value;
use coset::{CborSerializable, CoseMac0, CoseSign1};

use crate::mdoc::cbor::node::{self, Node};
use crate::mdoc::cbor::preferred::{self, Rule};
use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::issuer_auth::{self, IssuerAuth, require_preferred_protected};
use crate::mdoc::issuer_signed_item::IssuerSignedItem;
use crate::mdoc::limits::MAX_ELEMENTS;

/// One issuer-signed item and its exact IssuerSignedItemBytes.
#[derive(Debug, Clone)]
pub(crate) struct ItemView<'a> {
    pub(crate) raw: &'a [u8],
    pub(crate) item: IssuerSignedItem,
}

/// The items of one namespace, in the order received.
#[derive(Debug, Clone)]
pub(crate) struct NamespaceView<'a> {
    pub(crate) name: String,
    pub(crate) items: Vec<ItemView<'a>>,
}

/// A parsed IssuerSigned.
#[derive(Debug, Clone)]
pub(crate) struct IssuerSignedView<'a> {
    pub(crate) namespaces: Vec<NamespaceView<'a>>,
    /// The exact bytes of the `issuerAuth` COSE_Sign1.
    pub(crate) issuer_auth_raw: &'a [u8],
    pub(crate) issuer_auth: IssuerAuth,
}

/// How the device authenticated.
#[derive(Debug, Clone)]
pub(crate) enum DeviceAuthView {
    Signature(CoseSign1),
    Mac(CoseMac0),
}

/// A parsed DeviceSigned.
#[derive(Debug, Clone)]
pub(crate) struct DeviceSignedView<'a> {
    /// The exact DeviceNameSpacesBytes (`#6.24(bstr)`).
    pub(crate) namespaces_raw: &'a [u8],
    /// Device-signed elements: namespace → (identifier, value), in the order received.
    pub(crate) namespaces: Vec<(String, Vec<(String, Value)>)>,
    pub(crate) auth: Option<DeviceAuthView>,
}

/// A parsed Document.
#[derive(Debug, Clone)]
pub(crate) struct DocumentView<'a> {
    pub(crate) doc_type: String,
    pub(crate) issuer_signed: IssuerSignedView<'a>,
    pub(crate) device_signed: Option<DeviceSignedView<'a>>,
}

impl<'a> IssuerSignedView<'a> {
    pub(crate) fn parse(node: &Node<'a>) -> MdocResult<Self> {
        if node.as_map().is_none() {
            return Err(MdocError::Malformed("IssuerSigned is not a map"));
        }
        let auth_node = node.require("issuerAuth", "IssuerSigned.issuerAuth missing")?;
        let issuer_auth = IssuerAuth::parse(auth_node)?;
        let mut namespaces = Vec::new();
        let mut count = 0usize;
        if let Some(ns_map) = node.get("nameSpaces")? {
            let entries = ns_map
                .as_map()
                .ok_or(MdocError::Malformed("IssuerNameSpaces is not a map"))?;
            for (name, items) in entries {
                let name = name
                    .as_text()
                    .ok_or(MdocError::Malformed("namespace is not text"))?;
                if namespaces
                    .iter()
                    .any(|n: &NamespaceView<'_>| n.name == name)
                {
                    return Err(MdocError::Malformed("namespace repeated"));
                }
                let items = items
                    .as_array()
                    .ok_or(MdocError::Malformed("namespace items are not an array"))?;
                let mut views: Vec<ItemView<'a>> = Vec::with_capacity(items.len());
                for raw_item in items {
                    count += 1;
                    if count > MAX_ELEMENTS {
                        return Err(MdocError::TooLarge(Limit::Elements));
                    }
                    let item = IssuerSignedItem::from_embedded(raw_item)?;
                    if views
                        .iter()
                        .any(|v| v.item.element_identifier == item.element_identifier)
                    {
                        return Err(MdocError::Malformed("element repeated in a namespace"));
                    }
                    views.push(ItemView {
                        raw: raw_item.raw,
                        item,
                    });
                }
                namespaces.push(NamespaceView {
                    name: name.to_owned(),
                    items: views,
                });
            }
        }
        Ok(Self {
            namespaces,
            issuer_auth_raw: auth_node.raw,
            issuer_auth,
        })
    }
}

impl<'a> DeviceSignedView<'a> {
    pub(crate) fn parse(node: &Node<'a>) -> MdocResult<Self> {
        if node.as_map().is_none() {
            return Err(MdocError::Malformed("DeviceSigned is not a map"));
        }
        let ns_node = node.require("nameSpaces", "DeviceSigned.nameSpaces missing")?;
        let content = ns_node.embedded_cbor().ok_or(MdocError::Malformed(
            "DeviceNameSpacesBytes is not #6.24(bstr)",
        ))?;
        let decoded = node::decode(content)?;
        // The holder writes these bytes and signs (or MACs) them: one encoding only, both
        // of the tag-24 wrapper and of the embedded map.
        preferred::check(ns_node.raw, Rule::Preferred, DEVICE_NAMESPACES)?;
        preferred::check(content, Rule::Preferred, DEVICE_NAMESPACES)?;
        let entries = decoded
            .as_map()
            .ok_or(MdocError::Malformed("DeviceNameSpaces is not a map"))?;
        let mut namespaces: Vec<(String, Vec<(String, Value)>)> = Vec::new();
        let mut count = 0usize;
        for (name, elements) in entries {
            let name = name
                .as_text()
                .ok_or(MdocError::Malformed("device namespace is not text"))?;
            if namespaces.iter().any(|(n, _)| n == name) {
                return Err(MdocError::Malformed("device namespace repeated"));
            }
            let elements = elements
                .as_map()
                .ok_or(MdocError::Malformed("DeviceSignedItems is not a map"))?;
            let mut items: Vec<(String, Value)> = Vec::new();
            for (id, value) in elements {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(MdocError::TooLarge(Limit::Elements));
                }
                let id = id
                    .as_text()
                    .ok_or(MdocError::Malformed("device element identifier"))?;
                if items.iter().any(|(i, _)| i == id) {
                    return Err(MdocError::Malformed("device element repeated"));
                }
                items.push((id.to_owned(), value.to_value()?));
            }
            namespaces.push((name.to_owned(), items));
        }
        let auth = match node.get("deviceAuth")? {
            None => None,
            Some(auth) => {
                let signature = auth.get("deviceSignature")?;
                let mac = auth.get("deviceMac")?;
                match (signature, mac) {
                    (Some(s), None) => {
                        let sign1 = issuer_auth::parse_sign1(s)?;
                        require_preferred_protected(
                            &sign1.protected,
                            "deviceSignature protected header",
                        )?;
                        Some(DeviceAuthView::Signature(sign1))
                    }
                    (None, Some(m)) => {
                        let mac0 = CoseMac0::from_slice(m.untag(TAG_COSE_MAC0).unwrap_or(m).raw)
                            .map_err(|_| MdocError::Malformed("deviceMac COSE_Mac0"))?;
                        require_preferred_protected(&mac0.protected, "deviceMac protected header")?;
                        Some(DeviceAuthView::Mac(mac0))
                    }
                    (None, None) => None,
                    (Some(_), Some(_)) => {
                        return Err(MdocError::Malformed(
                            "deviceAuth has both deviceSignature and deviceMac",
                        ));
                    }
                }
            }
        };
        Ok(Self {
            namespaces_raw: ns_node.raw,
            namespaces,
            auth,
        })
    }
}

/// The name of DeviceNameSpacesBytes in errors.
const DEVICE_NAMESPACES: &str = "DeviceNameSpacesBytes";

/// The COSE tag of a COSE_Mac0, tolerated on input.
const TAG_COSE_MAC0: u64 = 17;

impl<'a> DocumentView<'a> {
    pub(crate) fn parse(node: &Node<'a>) -> MdocResult<Self> {
        if node.as_map().is_none() {
            return Err(MdocError::Malformed("Document is not a map"));
        }
        let doc_type = node
            .require("docType", "Document.docType missing")?
            .as_text()
            .ok_or(MdocError::Malformed("Document.docType"))?
            .to_owned();
        let issuer_signed = IssuerSignedView::parse(
            node.require("issuerSigned", "Document.issuerSigned missing")?,
        )?;
        let device_signed = node
            .get("deviceSigned")?
            .map(DeviceSignedView::parse)
            .transpose()?;
        Ok(Self {
            doc_type,
            issuer_signed,
            device_signed,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::mdoc::error::NonPreferred;

    /// `{"nameSpaces": #6.24(h'a0'), "deviceAuth": {<method>: [<protected>, {}, null, h'00']}}`
    fn device_signed(method: &str, protected: &[u8]) -> Vec<u8> {
        let mut out = hex::decode(
            "a2 6a 6e616d65537061636573 d8 18 41 a0 6a 64657669636541757468 a1".replace(' ', ""),
        )
        .unwrap();
        out.push(0x60 + method.len() as u8);
        out.extend_from_slice(method.as_bytes());
        out.push(0x84);
        out.push(0x40 + protected.len() as u8);
        out.extend_from_slice(protected);
        out.extend_from_slice(&[0xa0, 0xf6, 0x41, 0x00]);
        out
    }

    fn parse(bytes: &[u8]) -> MdocResult<()> {
        DeviceSignedView::parse(&node::decode(bytes).unwrap()).map(|_| ())
    }

    #[test]
    fn device_auth_protected_headers_must_be_preferred() {
        for (method, what) in [
            ("deviceSignature", "deviceSignature protected header"),
            ("deviceMac", "deviceMac protected header"),
        ] {
            // {1: -7} and {1: 5} (ES256, HMAC 256/256), shortest: parsed.
            assert_eq!(parse(&device_signed(method, &[0xa1, 0x01, 0x26])), Ok(()));
            assert_eq!(parse(&device_signed(method, &[0xa1, 0x01, 0x05])), Ok(()));
            for (longer, form) in [
                (&[0xa1, 0x01, 0x18, 0x05][..], NonPreferred::LongerArgument),
                (&[0xa1, 0x01, 0x38, 0x06], NonPreferred::LongerArgument),
                (&[0xb8, 0x01, 0x01, 0x26], NonPreferred::LongerArgument),
                (&[0xbf, 0x01, 0x26, 0xff], NonPreferred::IndefiniteLength),
            ] {
                assert_eq!(
                    parse(&device_signed(method, longer)),
                    Err(MdocError::NonPreferredEncoding { what, form }),
                    "{method} {longer:02x?}"
                );
            }
        }
    }
}
