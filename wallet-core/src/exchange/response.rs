//! The holder's engaged response: the presentations, encrypted to the verifier's key and
//! bound to the request.
//!
//! Outer CBOR (what the QR carries): `{1: request reference (the first 8 bytes of the
//! request hash), 2: holder ephemeral key (compressed SEC1), 3: sealed box}`. The whole hash
//! is bound into the key derivation and the AEAD; 4: transport version (1)}. Inside the
//! sealed box, deflated with the preset dictionary of [`super::dictionary`]:
//! `[document, ...]`, each in a transport form of [`super::compact`].

use super::document::ResponseDocument;
use ciborium::Value;
use p256::elliptic_curve::sec1::ToEncodedPoint;

use super::binding;
use super::compact::{KeyBinding, compact, expand};
use super::dictionary;
use super::error::{ExchangeError, ExchangeResult};
use super::request::VerifierRequest;
use super::session_crypto::{open_from_holder, seal_to_verifier};
use laissez_crypto::ecdsa::SigningKey;

/// Most presentations in one response.
pub const MAX_DOCUMENTS: usize = 8;
/// Largest response, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// Bytes of the request hash carried in clear, to find the pending request.
pub const REQUEST_REF_LEN: usize = 8;

/// The reference of a request hash: what the response carries in clear.
pub fn request_ref(request_hash: &[u8; 32]) -> [u8; REQUEST_REF_LEN] {
    let mut out = [0u8; REQUEST_REF_LEN];
    out.copy_from_slice(&request_hash[..REQUEST_REF_LEN]);
    out
}

fn encode(value: &Value) -> ExchangeResult<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out)
        .map_err(|_| ExchangeError::Malformed("response encoding"))?;
    Ok(out)
}

/// Raw deflate with the preset dictionary (the zlib stream classes drive a raw stream here:
/// no header or checksum, the AEAD authenticates the bytes).
fn deflate(bytes: &[u8]) -> ExchangeResult<Vec<u8>> {
    use std::io::Write;
    let failed = || ExchangeError::Malformed("compression");
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    compress
        .set_dictionary(dictionary::v1())
        .map_err(|_| failed())?;
    let mut encoder = flate2::write::ZlibEncoder::new_with_compress(Vec::new(), compress);
    encoder.write_all(bytes).map_err(|_| failed())?;
    encoder.finish().map_err(|_| failed())
}

fn inflate(bytes: &[u8]) -> ExchangeResult<zeroize::Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let malformed = || ExchangeError::Malformed("compressed presentations");
    let mut decompress = flate2::Decompress::new(false);
    decompress
        .set_dictionary(dictionary::v1())
        .map_err(|_| malformed())?;
    let mut out = zeroize::Zeroizing::new(Vec::new());
    flate2::read::ZlibDecoder::new_with_decompress(bytes, decompress)
        .take(MAX_RESPONSE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| malformed())?;
    if out.len() > MAX_RESPONSE_BYTES {
        return Err(ExchangeError::TooLarge("decompressed presentations"));
    }
    Ok(out)
}

/// Holder: builds the encrypted response to `request` (whose hash is `request_hash`),
/// leaving out the certificates the verifier said it holds and what it can rebuild.
pub fn seal_response(
    request: &VerifierRequest,
    request_hash: &[u8; 32],
    documents: &[ResponseDocument],
) -> ExchangeResult<Vec<u8>> {
    if documents.is_empty() || documents.len() > MAX_DOCUMENTS {
        return Err(ExchangeError::Malformed("document count (1 to 8)"));
    }
    let (nonce, audience) = (binding::nonce(request_hash), binding::audience(request));
    let key_binding = KeyBinding {
        nonce: &nonce,
        audience: &audience,
    };
    let known = &request.known_certificates;
    let inner = Value::Array(
        documents
            .iter()
            .map(|d| compact(d, known, &key_binding))
            .collect(),
    );
    let verifier_key = &request.verifier_key;
    // Compressed before encryption (ciphertext does not compress): presentations are
    // base64 text and CBOR with much redundancy. Only the total length shows.
    let plaintext = zeroize::Zeroizing::new(deflate(&encode(&inner)?)?);
    let (holder_public, sealed) = seal_to_verifier(verifier_key, request_hash, &plaintext)?;
    let compressed = p256::PublicKey::from_sec1_bytes(&holder_public)
        .map_err(|_| ExchangeError::Crypto("holder key"))?
        .to_encoded_point(true)
        .as_bytes()
        .to_vec();
    let outer = Value::Map(vec![
        (1.into(), Value::Bytes(request_ref(request_hash).to_vec())),
        (2.into(), Value::Bytes(compressed)),
        (3.into(), Value::Bytes(sealed)),
        (4.into(), Value::Integer(dictionary::VERSION.into())),
    ]);
    let bytes = encode(&outer)?;
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(ExchangeError::TooLarge("response"));
    }
    Ok(bytes)
}

/// The reference of the request a response claims to answer (in clear, so the verifier can
/// find the pending request it belongs to before decrypting).
pub fn peek_request_ref(bytes: &[u8]) -> ExchangeResult<[u8; REQUEST_REF_LEN]> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(ExchangeError::TooLarge("response"));
    }
    let outer: Value =
        ciborium::from_reader(bytes).map_err(|_| ExchangeError::Malformed("response CBOR"))?;
    let Value::Map(entries) = outer else {
        return Err(ExchangeError::Malformed("response is not a map"));
    };
    entries
        .iter()
        .find_map(|(k, v)| match (k, v) {
            (Value::Integer(i), Value::Bytes(b)) if u64::try_from(*i).ok() == Some(1) => {
                <[u8; REQUEST_REF_LEN]>::try_from(b.as_slice()).ok()
            }
            _ => None,
        })
        .ok_or(ExchangeError::Malformed("request reference"))
}

/// The request reference a damaged engaged-response message still shows: `message_prefix` is
/// what inflated of the message before the damage ([`laissez_qr::envelope::salvage_prefix`]),
/// `[kind, payload]` CBOR cut anywhere. The reference is the payload map's first entry, so it
/// survives damage further on. `None` when the prefix is not an engaged response or is cut
/// before the reference.
pub fn peek_damaged_response_ref(message_prefix: &[u8]) -> Option<[u8; REQUEST_REF_LEN]> {
    let mut rest = message_prefix;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    // [kind, payload]: a two-item array, then the kind as a small unsigned integer.
    if take(1)? != [0x82] {
        return None;
    }
    let kind = u64::from(take(1)?[0]);
    if kind != laissez_qr::MessageKind::EngagedResponse.code() {
        return None;
    }
    // The payload byte string's head (its length is not needed).
    match take(1)?[0] {
        0x40..=0x57 => {}
        0x58 => drop(take(1)?),
        0x59 => drop(take(2)?),
        0x5a => drop(take(4)?),
        _ => return None,
    }
    // The response map, then key 1 with an 8-byte string.
    match take(1)?[0] {
        0xa1..=0xb7 => {}
        _ => return None,
    }
    if take(2)? != [0x01, 0x40 + REQUEST_REF_LEN as u8] {
        return None;
    }
    take(REQUEST_REF_LEN)?.try_into().ok()
}

/// Verifier: checks the response answers `request` (whose hash is `request_hash`), decrypts
/// its presentations with the request's private key, puts back the certificates left out
/// from `certificates` (DER, the verifier's trust list) and rebuilds implied parts.
pub fn open_response(
    verifier_key: &SigningKey,
    request: &VerifierRequest,
    request_hash: &[u8; 32],
    bytes: &[u8],
    certificates: &[Vec<u8>],
) -> ExchangeResult<Vec<ResponseDocument>> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(ExchangeError::TooLarge("response"));
    }
    let outer: Value =
        ciborium::from_reader(bytes).map_err(|_| ExchangeError::Malformed("response CBOR"))?;
    let Value::Map(entries) = outer else {
        return Err(ExchangeError::Malformed("response is not a map"));
    };
    let bytes_field = |key: u64| {
        entries.iter().find_map(|(k, v)| match (k, v) {
            (Value::Integer(i), Value::Bytes(b)) if u64::try_from(*i).ok() == Some(key) => {
                Some(b.as_slice())
            }
            _ => None,
        })
    };
    let reference = bytes_field(1).ok_or(ExchangeError::Malformed("request reference"))?;
    if reference != request_ref(request_hash) {
        return Err(ExchangeError::WrongRequest);
    }
    let version = entries.iter().find_map(|(k, v)| match (k, v) {
        (Value::Integer(k), Value::Integer(v)) if u64::try_from(*k).ok() == Some(4) => {
            u64::try_from(*v).ok()
        }
        _ => None,
    });
    if version != Some(dictionary::VERSION) {
        return Err(ExchangeError::Malformed("response transport version"));
    }
    let holder = bytes_field(2).ok_or(ExchangeError::Malformed("holder key"))?;
    let sealed = bytes_field(3).ok_or(ExchangeError::Malformed("sealed box"))?;
    let compressed = open_from_holder(verifier_key, request_hash, holder, sealed)?;
    let plaintext = inflate(&compressed)?;
    let inner: Value = ciborium::from_reader(plaintext.as_slice())
        .map_err(|_| ExchangeError::Malformed("presentations"))?;
    let Value::Array(items) = inner else {
        return Err(ExchangeError::Malformed("presentations"));
    };
    if items.is_empty() || items.len() > MAX_DOCUMENTS {
        return Err(ExchangeError::Malformed("document count (1 to 8)"));
    }
    let (nonce, audience) = (binding::nonce(request_hash), binding::audience(request));
    let key_binding = KeyBinding {
        nonce: &nonce,
        audience: &audience,
    };
    items
        .iter()
        .map(|item| expand(item, certificates, &key_binding))
        .collect()
}
