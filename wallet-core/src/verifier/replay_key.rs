//! What the replay cache remembers of a presentation: a digest of what the holder signed and
//! the key that signed it, never of the bytes as received.
//!
//! Parsing forgives bytes no signature covers (a trailing newline, the other of the two valid
//! ECDSA signatures `s` and `n − s`, a CBOR integer in a longer form outside the signed
//! structures). A cache keyed on raw bytes would take each such copy of a photographed
//! presentation for a new one; keyed on the signed content, every copy is the same entry.
//!
//! - SD-JWT: the Key Binding JWT's signing input (`header.payload`, whose `sd_hash` covers
//!   the issuer-signed JWT and the disclosures) and the holder key.
//! - mdoc: the DeviceAuthentication content (SessionTranscript, DocType and the
//!   DeviceNameSpacesBytes the device signature covers) and the device key. The issuer-signed
//!   items a copy leaves out are not signed by the device, so a copy disclosing fewer claims is
//!   the same entry too.

use ciborium::Value;

use laissez_crypto::ecdsa::VerifyingKey;

/// Length of a replay key.
pub const REPLAY_KEY_LEN: usize = 32;

/// The replay-cache key of one verified presentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayKey(pub [u8; REPLAY_KEY_LEN]);

impl ReplayKey {
    /// Hex, for the cache's tag.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

fn key_of(domain: &str, holder_key: &VerifyingKey, parts: &[&[u8]]) -> ReplayKey {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut field = |bytes: &[u8]| {
        context.update(&(bytes.len() as u64).to_be_bytes());
        context.update(bytes);
    };
    field(domain.as_bytes());
    field(&holder_key.to_sec1());
    for part in parts {
        field(part);
    }
    let mut out = [0u8; REPLAY_KEY_LEN];
    out.copy_from_slice(context.finish().as_ref());
    ReplayKey(out)
}

/// The key of an SD-JWT presentation: its Key Binding JWT's signing input and holder key.
pub fn sd_jwt(key_binding_signing_input: &str, holder_key: &VerifyingKey) -> ReplayKey {
    key_of(
        "laissez/v1/replay/sd-jwt",
        holder_key,
        &[key_binding_signing_input.as_bytes()],
    )
}

/// The key of the first document of an mdoc DeviceResponse that verified with `device_key`
/// under `session_transcript`; `None` when the response has no readable DeviceNameSpaces
/// (it would not have verified).
pub fn mdoc(
    device_response: &[u8],
    session_transcript: &[u8],
    doc_type: &str,
    device_key: &VerifyingKey,
) -> Option<ReplayKey> {
    let namespaces = device_namespaces_bytes(device_response)?;
    Some(key_of(
        "laissez/v1/replay/mdoc",
        device_key,
        &[session_transcript, doc_type.as_bytes(), &namespaces],
    ))
}

fn field<'a>(map: &'a [(Value, Value)], name: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == name))
        .map(|(_, v)| v)
}

/// The bytes inside `documents[0].deviceSigned.nameSpaces` (tag 24): exactly what the device
/// signature covers, however the surrounding structure is encoded.
fn device_namespaces_bytes(device_response: &[u8]) -> Option<Vec<u8>> {
    let Value::Map(response) = ciborium::from_reader(device_response).ok()? else {
        return None;
    };
    let Value::Array(documents) = field(&response, "documents")? else {
        return None;
    };
    let Value::Map(document) = documents.first()? else {
        return None;
    };
    let Value::Map(device_signed) = field(document, "deviceSigned")? else {
        return None;
    };
    match field(device_signed, "nameSpaces")? {
        Value::Tag(24, inner) => match inner.as_ref() {
            Value::Bytes(bytes) => Some(bytes.clone()),
            _ => None,
        },
        _ => None,
    }
}
