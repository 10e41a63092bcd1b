//! The trust list's optional top-level member `type_metadata`: SD-JWT VC Type Metadata
//! documents (and Laissez's mdoc documents keyed by docType) the field verifier labels claims
//! with, each as standard base64 of the document's exact bytes, since `vct#integrity` covers
//! octets, not re-serialised JSON:
//!
//! ```text
//! "type_metadata": ["eyJ2Y3QiOiJ1cm46ZXVkaTpwaWQ6MSIs…", …]   // optional
//! ```
//!
//! At most [`MAX_TYPE_METADATA_DOCUMENTS`], each within
//! [`laissez_formats::type_metadata::MAX_DOCUMENT_LEN`], one per type; anything else refuses
//! the whole list (Malformed or TooLarge), so the installed list stays as it was.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use laissez_formats::type_metadata::{MAX_DOCUMENT_LEN, TypeMetadataDocument, TypeMetadataError};

/// Why the member was refused; the trust list reports it as its own `Malformed` or `TooLarge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberProblem {
    /// Not the documented shape, or a document that is not valid type metadata.
    Malformed(&'static str),
    /// Beyond a limit of this module.
    TooLarge(&'static str),
}

/// The member's name in the trust list payload.
pub const MEMBER: &str = "type_metadata";
/// Most type metadata documents in one trust list.
pub const MAX_TYPE_METADATA_DOCUMENTS: usize = 64;

/// Reads the member's value.
pub(crate) fn from_json(value: &Value) -> Result<Vec<TypeMetadataDocument>, MemberProblem> {
    let items = value
        .as_array()
        .ok_or(MemberProblem::Malformed("type_metadata is not an array"))?;
    if items.len() > MAX_TYPE_METADATA_DOCUMENTS {
        return Err(MemberProblem::TooLarge("type metadata documents"));
    }
    let mut documents = Vec::with_capacity(items.len());
    for item in items {
        let text = item.as_str().ok_or(MemberProblem::Malformed(
            "a type metadata document is not a string",
        ))?;
        if text.len() > MAX_DOCUMENT_LEN.div_ceil(3) * 4 {
            return Err(MemberProblem::TooLarge("type metadata document"));
        }
        let bytes = STANDARD.decode(text).map_err(|_| {
            MemberProblem::Malformed("a type metadata document is not standard base64")
        })?;
        push(&mut documents, &bytes)?;
    }
    Ok(documents)
}

/// The member's value for `documents` (`None` when there are none: the member is left out).
#[cfg(feature = "issue")]
pub(crate) fn to_json(documents: &[TypeMetadataDocument]) -> Option<Value> {
    (!documents.is_empty()).then(|| {
        Value::Array(
            documents
                .iter()
                .map(|d| Value::String(STANDARD.encode(d.bytes())))
                .collect(),
        )
    })
}

/// Parses `bytes` as a document and appends it, within the limits of this module.
pub(crate) fn push(
    documents: &mut Vec<TypeMetadataDocument>,
    bytes: &[u8],
) -> Result<(), MemberProblem> {
    if documents.len() >= MAX_TYPE_METADATA_DOCUMENTS {
        return Err(MemberProblem::TooLarge("type metadata documents"));
    }
    let document = TypeMetadataDocument::parse(bytes).map_err(|err| match err {
        TypeMetadataError::TooLarge(_) => MemberProblem::TooLarge("type metadata document"),
        _ => MemberProblem::Malformed("a type metadata document is not valid type metadata"),
    })?;
    if documents.iter().any(|d| d.vct() == document.vct()) {
        return Err(MemberProblem::Malformed(
            "two type metadata documents describe the same type",
        ));
    }
    documents.push(document);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn bounded_and_strict() {
        let doc = STANDARD.encode(br#"{"vct":"urn:x"}"#);
        assert_eq!(from_json(&json!([doc])).unwrap().len(), 1);
        assert!(matches!(
            from_json(&json!({})),
            Err(MemberProblem::Malformed(_))
        ));
        assert!(matches!(
            from_json(&json!([1])),
            Err(MemberProblem::Malformed(_))
        ));
        assert!(matches!(
            from_json(&json!(["%%"])),
            Err(MemberProblem::Malformed(_))
        ));
        assert!(matches!(
            from_json(&json!([STANDARD.encode(b"{}")])),
            Err(MemberProblem::Malformed(_))
        ));
        assert!(matches!(
            from_json(&json!([doc, doc])),
            Err(MemberProblem::Malformed(_))
        ));
        let many: Vec<String> = (0..=MAX_TYPE_METADATA_DOCUMENTS)
            .map(|i| STANDARD.encode(format!(r#"{{"vct":"urn:{i}"}}"#)))
            .collect();
        assert!(matches!(
            from_json(&json!(many)),
            Err(MemberProblem::TooLarge(_))
        ));
        let huge = STANDARD.encode(vec![b' '; MAX_DOCUMENT_LEN + 1]);
        assert!(matches!(
            from_json(&json!([huge])),
            Err(MemberProblem::TooLarge(_))
        ));
    }
}
