//! The envelope: how one Laissez message becomes QR-friendly text and back.
//!
//! `LZ1:` + Base45 (RFC 9285) of zlib-deflated CBOR `[kind, payload]`. Base45 uses only the
//! QR alphanumeric alphabet, so the code stays in alphanumeric mode (the EU DCC pattern), and
//! decoders that guess a character set for byte mode cannot damage it.

use std::io::{Read, Write};

use ciborium::Value;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;

use super::error::{QrError, QrResult};

/// Prefix of a single-code message, format version 1.
pub const MESSAGE_PREFIX: &str = "LZ1:";
/// Largest envelope text accepted, in characters (a 40-L alphanumeric QR holds 4,296).
pub const MAX_TEXT_LEN: usize = 64 * 1024;
/// Largest payload after decompression: refuses compression bombs.
pub const MAX_PAYLOAD_LEN: usize = 1024 * 1024;

/// What a message carries. Numbers are stable wire values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A verifier's request (engaged flow).
    VerifierRequest,
    /// A holder's encrypted response to a request.
    EngagedResponse,
    /// A holder's presentation bound to a time window (static flow).
    StaticPresentation,
    /// A wallet backup (phone-to-phone transfer).
    Backup,
    /// A signed trust list.
    TrustList,
    /// A registration desk's signed offer to issue (offline issuance).
    IssuanceOffer,
    /// A holder's answer to an offer: its keys for the batch and their proofs of possession.
    IssuanceProof,
    /// The desk's batch of one-time copies, encrypted to the holder's ephemeral key.
    IssuedBatch,
    /// A verifier's request signed with its certified long-term key (COSE_Sign1 over the
    /// request, with the registration certificate or its reference; ADR 0020).
    SignedRequest,
}

impl MessageKind {
    /// The wire value.
    pub fn code(self) -> u64 {
        match self {
            MessageKind::VerifierRequest => 1,
            MessageKind::EngagedResponse => 2,
            MessageKind::StaticPresentation => 3,
            MessageKind::Backup => 4,
            MessageKind::TrustList => 5,
            MessageKind::IssuanceOffer => 6,
            MessageKind::IssuanceProof => 7,
            MessageKind::IssuedBatch => 8,
            MessageKind::SignedRequest => 9,
        }
    }

    /// The kind of a wire value.
    pub fn from_code(code: u64) -> QrResult<Self> {
        Ok(match code {
            1 => MessageKind::VerifierRequest,
            2 => MessageKind::EngagedResponse,
            3 => MessageKind::StaticPresentation,
            4 => MessageKind::Backup,
            5 => MessageKind::TrustList,
            6 => MessageKind::IssuanceOffer,
            7 => MessageKind::IssuanceProof,
            8 => MessageKind::IssuedBatch,
            9 => MessageKind::SignedRequest,
            other => return Err(QrError::UnknownKind(other)),
        })
    }
}

/// One message: a kind and its payload bytes (CBOR of the kind's own structure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// What it carries.
    pub kind: MessageKind,
    /// The payload.
    pub payload: Vec<u8>,
}

/// Deflates and wraps a message into the bytes that frames or Base45 carry.
pub fn to_bytes(envelope: &Envelope) -> QrResult<Vec<u8>> {
    if envelope.payload.len() > MAX_PAYLOAD_LEN {
        return Err(QrError::TooLarge("payload"));
    }
    let cbor = Value::Array(vec![
        Value::Integer(envelope.kind.code().into()),
        Value::Bytes(envelope.payload.clone()),
    ]);
    let mut encoded = Vec::with_capacity(envelope.payload.len() + 8);
    ciborium::into_writer(&cbor, &mut encoded).map_err(|_| QrError::Encode("CBOR"))?;
    let mut deflater = ZlibEncoder::new(Vec::new(), Compression::best());
    deflater
        .write_all(&encoded)
        .map_err(|_| QrError::Encode("deflate"))?;
    deflater.finish().map_err(|_| QrError::Encode("deflate"))
}

/// Inflates and unwraps bytes made by [`to_bytes`], within the size limits.
pub fn from_bytes(bytes: &[u8]) -> QrResult<Envelope> {
    let mut inflated = Vec::new();
    let limit = (MAX_PAYLOAD_LEN + 64) as u64;
    ZlibDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut inflated)
        .map_err(|_| QrError::BadCompression)?;
    if inflated.len() as u64 > limit {
        return Err(QrError::TooLarge("decompressed message"));
    }
    let value: Value =
        ciborium::from_reader(inflated.as_slice()).map_err(|_| QrError::Malformed("not CBOR"))?;
    let Value::Array(items) = value else {
        return Err(QrError::Malformed("not an array"));
    };
    match items.as_slice() {
        [Value::Integer(kind), Value::Bytes(payload)] => {
            let code = u64::try_from(*kind).map_err(|_| QrError::Malformed("negative kind"))?;
            Ok(Envelope {
                kind: MessageKind::from_code(code)?,
                payload: payload.clone(),
            })
        }
        _ => Err(QrError::Malformed("expected [kind, payload]")),
    }
}

/// The QR text of a message that fits one code.
pub fn encode(envelope: &Envelope) -> QrResult<String> {
    let text = format!("{MESSAGE_PREFIX}{}", base45::encode(to_bytes(envelope)?));
    if text.len() > MAX_TEXT_LEN {
        return Err(QrError::TooLarge("envelope text"));
    }
    Ok(text)
}

/// Reads the QR text of a single-code message.
pub fn decode(text: &str) -> QrResult<Envelope> {
    if text.len() > MAX_TEXT_LEN {
        return Err(QrError::TooLarge("envelope text"));
    }
    let body = strip_prefix(text, MESSAGE_PREFIX)?;
    let bytes = base45::decode(body).map_err(|_| QrError::BadBase45)?;
    from_bytes(&bytes)
}

/// What can still be read of a damaged single-code message: the bytes that inflate before
/// the damage (the decompressed `[kind, payload]` CBOR, possibly cut short), or `None` when
/// not even that is there. For attributing a refused message to what it names (a verifier
/// logs an altered answer to one of its requests), never for acting on its content.
pub fn salvage_prefix(text: &str) -> Option<Vec<u8>> {
    if text.len() > MAX_TEXT_LEN {
        return None;
    }
    let body = strip_prefix(text, MESSAGE_PREFIX).ok()?;
    // The longest prefix of whole Base45 groups that still decodes.
    let mut end = body.len() - body.len() % 3;
    let bytes = loop {
        if let Ok(bytes) = body.get(..end).map(base45::decode)? {
            break bytes;
        }
        end = end.checked_sub(3)?;
    };
    let mut decoder = ZlibDecoder::new(bytes.as_slice());
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    let limit = MAX_PAYLOAD_LEN + 64;
    // Read until the damage (or the checksum) stops the stream; keep what came before.
    while out.len() < limit {
        match decoder.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Removes `prefix`; tells a future Laissez version from a foreign code.
pub(crate) fn strip_prefix<'a>(text: &'a str, prefix: &str) -> QrResult<&'a str> {
    let text = text.trim_end_matches(['\r', '\n']);
    if let Some(body) = text.strip_prefix(prefix) {
        return Ok(body);
    }
    match text
        .strip_prefix("LZ")
        .and_then(|rest| rest.split_once(':'))
    {
        Some((version, _)) if !version.is_empty() && version.len() <= 4 => {
            Err(QrError::UnsupportedVersion(version.to_owned()))
        }
        _ => Err(QrError::NotLaissez),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Envelope {
        Envelope {
            kind: MessageKind::VerifierRequest,
            payload: b"request payload bytes".to_vec(),
        }
    }

    #[test]
    fn round_trip_in_alphanumeric_charset() {
        let text = encode(&sample()).unwrap();
        assert!(text.starts_with("LZ1:"));
        const ALNUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        assert!(text.chars().all(|c| ALNUM.contains(c)), "{text}");
        assert_eq!(decode(&text).unwrap(), sample());
    }

    #[test]
    fn each_malformation_has_its_error() {
        let text = encode(&sample()).unwrap();
        assert_eq!(decode("HC1:ABC").unwrap_err(), QrError::NotLaissez);
        assert_eq!(
            decode("LZ9:ABC").unwrap_err(),
            QrError::UnsupportedVersion("9".into())
        );
        // Every truncation is refused; a cut that leaves a dangling Base45 character is
        // caught by Base45 itself, others by decompression or CBOR.
        for cut in 4..text.len() {
            let err = decode(&text[..cut]).unwrap_err();
            if (cut - 4) % 3 == 1 {
                assert_eq!(err, QrError::BadBase45);
            }
        }
        assert_eq!(decode("LZ1:").unwrap_err(), QrError::BadCompression);
        let not_cbor = format!("LZ1:{}", base45::encode(to_deflated(b"\xff\xff")));
        assert_eq!(
            decode(&not_cbor).unwrap_err(),
            QrError::Malformed("not CBOR")
        );
        let big = "A".repeat(MAX_TEXT_LEN + 1);
        assert_eq!(
            decode(&big).unwrap_err(),
            QrError::TooLarge("envelope text")
        );
    }

    #[test]
    fn compression_bombs_are_refused() {
        let zeros = vec![0u8; MAX_PAYLOAD_LEN * 2];
        let bomb = format!("LZ1:{}", base45::encode(to_deflated(&zeros)));
        assert!(bomb.len() < 10_000);
        assert_eq!(
            decode(&bomb).unwrap_err(),
            QrError::TooLarge("decompressed message")
        );
    }

    fn to_deflated(bytes: &[u8]) -> Vec<u8> {
        let mut d = ZlibEncoder::new(Vec::new(), Compression::best());
        d.write_all(bytes).unwrap();
        d.finish().unwrap()
    }
}
