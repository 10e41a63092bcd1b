//! Where a credential's revocation status is published: an entry in an IETF Token Status
//! List (draft-ietf-oauth-status-list). SD-JWT VC carries it as the `status` claim, mdoc as
//! the MSO `status` entry (ISO/IEC 18013-5 second edition); both have the same shape,
//! `{"status_list": {"idx": …, "uri": …}}`.

use serde_json::Value;

/// Longest status list URI accepted from a credential.
pub const MAX_STATUS_URI_LEN: usize = 2_048;

/// One entry in a Token Status List.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusReference {
    /// The entry's index in the list.
    pub index: u64,
    /// The URI of the Status List Token.
    pub uri: String,
}

impl StatusReference {
    /// The `status` claim value: `{"status_list": {"idx": …, "uri": …}}`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"status_list": {"idx": self.index, "uri": self.uri}})
    }
}
