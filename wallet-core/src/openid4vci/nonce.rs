//! The nonce endpoint (OpenID4VCI 1.0 s7): a fresh `c_nonce` for key proofs.

use serde::{Deserialize, Serialize};

use super::error::{Endpoint, Oid4vciError, Oid4vciResult};

/// A nonce response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceResponse {
    /// The nonce to put in key proofs.
    pub c_nonce: String,
}

impl NonceResponse {
    /// Checks the nonce: 1 to 512 printable ASCII characters.
    pub fn validate(&self) -> Oid4vciResult<()> {
        let ok = !self.c_nonce.is_empty()
            && self.c_nonce.len() <= 512
            && self.c_nonce.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(())
        } else {
            Err(Oid4vciError::InvalidMessage {
                endpoint: Endpoint::Nonce,
                reason: "c_nonce is empty, too long or not printable".into(),
            })
        }
    }
}
