//! CBOR of the offline issuance messages, through `ciborium` and serde, within a size limit.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{IssuanceError, IssuanceResult};

/// Largest message payload read, bytes (a batch of [`super::MAX_BATCH_SIZE`] copies with
/// portraits stays well under it).
pub const MAX_MESSAGE_BYTES: usize = 512 * 1024;

/// CBOR of `value`.
pub(crate) fn encode<T: Serialize>(value: &T) -> IssuanceResult<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|_| IssuanceError::Malformed("encoding"))?;
    Ok(out)
}

/// Reads `bytes` as CBOR of `T`; `what` names the message in the error.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &'static str) -> IssuanceResult<T> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(IssuanceError::Malformed(what));
    }
    ciborium::from_reader(bytes).map_err(|_| IssuanceError::Malformed(what))
}
