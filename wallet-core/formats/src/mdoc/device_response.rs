//! Parsing a DeviceResponse.
//!
//! ```cddl
//! DeviceResponse = {"version": tstr, ? "documents": [+ Document], ? "documentErrors": [+ DocumentError], "status": uint}
//! ```

use crate::mdoc::cbor::node::Node;
use crate::mdoc::document::DocumentView;
use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::limits::MAX_DOCUMENTS;

/// The DeviceResponse version written when presenting.
pub const DEVICE_RESPONSE_VERSION: &str = "1.0";

/// A parsed DeviceResponse.
#[derive(Debug, Clone)]
pub(crate) struct DeviceResponseView<'a> {
    pub(crate) documents: Vec<DocumentView<'a>>,
    pub(crate) status: u64,
}

impl<'a> DeviceResponseView<'a> {
    pub(crate) fn parse(node: &Node<'a>) -> MdocResult<Self> {
        if node.as_map().is_none() {
            return Err(MdocError::Malformed("DeviceResponse is not a map"));
        }
        let version = node
            .require("version", "DeviceResponse.version missing")?
            .as_text()
            .ok_or(MdocError::Malformed("DeviceResponse.version"))?;
        if !version.starts_with("1.") {
            return Err(MdocError::UnsupportedVersion);
        }
        let status = node
            .require("status", "DeviceResponse.status missing")?
            .as_u64()
            .ok_or(MdocError::Malformed("DeviceResponse.status"))?;
        let documents = match node.get("documents")? {
            None => Vec::new(),
            Some(docs) => {
                let docs = docs
                    .as_array()
                    .ok_or(MdocError::Malformed("DeviceResponse.documents"))?;
                if docs.len() > MAX_DOCUMENTS {
                    return Err(MdocError::TooLarge(Limit::Documents));
                }
                docs.iter()
                    .map(DocumentView::parse)
                    .collect::<MdocResult<_>>()?
            }
        };
        Ok(Self { documents, status })
    }
}
