//! The issued credential as the holder stores it.
//!
//! Stored form: the CBOR map `{"docType": tstr, "issuerSigned": IssuerSigned}`, i.e. an
//! ISO 18013-5 `Document` without `deviceSigned`. `issuerSigned` is kept byte for byte as
//! the issuer produced it, so its items and `issuerAuth` can be presented unchanged.

use crate::mdoc::cbor::node;
use crate::mdoc::cbor::write::{Out, encode};
use crate::mdoc::data_elements::{DataElements, ElementRef};
use crate::mdoc::document::{DocumentView, IssuerSignedView};
use crate::mdoc::error::{MdocError, MdocResult};
use crate::mdoc::mso::MobileSecurityObject;
use crate::mdoc::trust::TrustAnchors;
use crate::mdoc::verify::{self, VerifiedDocument};

/// An issued mdoc credential, ready to store and to present from.
#[derive(Clone, PartialEq)]
pub struct IssuedMdoc {
    bytes: Vec<u8>,
    /// Length of the `issuerSigned` bytes, which end `bytes`.
    issuer_signed_len: usize,
    doc_type: String,
    mso: MobileSecurityObject,
    elements: Vec<ElementRef>,
}

impl IssuedMdoc {
    /// Reads a stored credential: the stored form above, a full `Document` (its
    /// `deviceSigned` is dropped), or a bare `IssuerSigned` (as OpenID4VCI delivers
    /// `mso_mdoc` credentials; the docType is then taken from the MSO).
    ///
    /// The structure and the MSO are checked; the issuer signature is not: call
    /// [`IssuedMdoc::verify`] for that.
    pub fn from_bytes(bytes: &[u8]) -> MdocResult<Self> {
        let root = node::decode(bytes)?;
        let (doc_type, issuer_signed) = if root.get("docType")?.is_some() {
            let document = DocumentView::parse(&root)?;
            let raw = root
                .require("issuerSigned", "Document.issuerSigned missing")?
                .raw;
            (document.doc_type, (document.issuer_signed, raw))
        } else {
            let view = IssuerSignedView::parse(&root)?;
            (view.issuer_auth.mso.doc_type.clone(), (view, root.raw))
        };
        let (view, raw) = issuer_signed;
        let mso = view.issuer_auth.mso.clone();
        if mso.doc_type != doc_type {
            return Err(MdocError::DocTypeMismatch {
                expected: doc_type,
                found: mso.doc_type,
            });
        }
        let elements = view
            .namespaces
            .iter()
            .flat_map(|ns| {
                ns.items
                    .iter()
                    .map(|item| ElementRef::new(&ns.name, &item.item.element_identifier))
            })
            .collect();
        let stored = encode(&Out::Map(vec![
            (Out::Text("docType"), Out::Text(&doc_type)),
            (Out::Text("issuerSigned"), Out::Raw(raw)),
        ]))?;
        Ok(Self {
            bytes: stored,
            issuer_signed_len: raw.len(),
            doc_type,
            mso,
            elements,
        })
    }

    /// The stored form (see the module documentation).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The stored form, consuming `self`.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The IssuerSigned bytes exactly as issued.
    pub fn issuer_signed_bytes(&self) -> &[u8] {
        &self.bytes[self.bytes.len() - self.issuer_signed_len..]
    }

    /// The docType, e.g. `org.iso.18013.5.1.mDL`.
    pub fn doc_type(&self) -> &str {
        &self.doc_type
    }

    /// The Mobile Security Object (validity, device key, digests).
    pub fn mso(&self) -> &MobileSecurityObject {
        &self.mso
    }

    /// The elements the credential holds, in stored order.
    pub fn elements(&self) -> &[ElementRef] {
        &self.elements
    }

    /// Whether the credential holds `element`.
    pub fn contains(&self, element: &ElementRef) -> bool {
        self.elements.contains(element)
    }

    /// The element values (for showing the credential to its holder).
    pub fn data_elements(&self) -> MdocResult<DataElements> {
        let view = self.view()?;
        let mut out = DataElements::new();
        for ns in &view.issuer_signed.namespaces {
            for item in &ns.items {
                out.insert(
                    &ns.name,
                    &item.item.element_identifier,
                    item.item.element_value.clone(),
                );
            }
        }
        Ok(out)
    }

    /// The issuer's certificate chain from the `issuerAuth` header `x5chain`, document signer
    /// first; empty when the issuer signed without one. Nothing is checked but the parse: see
    /// [`Self::verify`] for the signature and the chain's trust.
    pub fn issuer_chain(&self) -> MdocResult<Vec<crate::x509::Certificate>> {
        Ok(self.view()?.issuer_signed.issuer_auth.chain)
    }

    /// Checks the issuer side as a holder does on import: issuer signature, certificate
    /// and MSO validity at `now`, docType, and every item's digest. Unlike a verifier, it
    /// does not fail on an untrusted issuer: see `issuer.trust` in the result (which has
    /// no device authentication).
    pub fn verify(&self, anchors: &TrustAnchors, now: i64) -> MdocResult<VerifiedDocument> {
        let view = self.view()?;
        verify::verify_issuer_signed(&view.issuer_signed, &view.doc_type, anchors, now)
    }

    /// The parsed stored form; its slices borrow from `self`.
    pub(crate) fn view(&self) -> MdocResult<DocumentView<'_>> {
        DocumentView::parse(&node::decode(&self.bytes)?)
    }
}

impl std::fmt::Debug for IssuedMdoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedMdoc")
            .field("doc_type", &self.doc_type)
            .field("elements", &self.elements)
            .finish_non_exhaustive()
    }
}
