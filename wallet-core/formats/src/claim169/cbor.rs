//! Reading the code's CBOR through the crate's bounded reader (`mdoc::cbor::node`: depth,
//! item count, no trailing bytes), with Claim 169's integer-keyed maps.

use crate::mdoc::cbor::node::{self, Node};
use crate::mdoc::{Limit, MdocError};

use super::error::{Claim169Error, Claim169Result};

/// Decodes exactly one CBOR item within the reader's limits.
pub(crate) fn decode(bytes: &[u8]) -> Claim169Result<Node<'_>> {
    node::decode(bytes).map_err(|error| match error {
        MdocError::TooLarge(Limit::NestingDepth) => Claim169Error::CborTooDeep,
        MdocError::TooLarge(_) => Claim169Error::CborTooLarge,
        _ => Claim169Error::InvalidCbor,
    })
}

/// The integer-keyed entries of a map, in order; entries with other keys (text, which RFC 8392
/// allows for private claims) are left out. `None` if `node` is not a map or if an integer
/// key occurs twice.
pub(crate) fn int_map<'n, 'a>(node: &'n Node<'a>) -> Option<Vec<(i64, &'n Node<'a>)>> {
    let entries = node.as_map()?;
    let mut out: Vec<(i64, &Node<'a>)> = Vec::with_capacity(entries.len());
    let mut seen = std::collections::BTreeSet::new();
    for (key, value) in entries {
        let Some(key) = key.as_i64() else { continue };
        if !seen.insert(key) {
            return None;
        }
        out.push((key, value));
    }
    Some(out)
}
