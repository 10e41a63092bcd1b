//! SessionTranscript: what binds a presentation to one session. The holder signs it (inside
//! DeviceAuthentication) and the verifier recomputes it from its own view of the session.
//!
//! ```cddl
//! SessionTranscript = [DeviceEngagementBytes / null, EReaderKeyBytes / null, Handover]
//! SessionTranscriptBytes = #6.24(bstr .cbor SessionTranscript)
//! ```
//!
//! Any transcript can be given as bytes ([`SessionTranscript::from_bytes`]); the OpenID4VP
//! 1.0 redirect handover is built by [`SessionTranscript::openid4vp`].

use ciborium::Value;
use ring::digest;

use crate::mdoc::cbor::node;
use crate::mdoc::cbor::write::{embed, encode_value};
use crate::mdoc::error::{MdocError, MdocResult};

/// A SessionTranscript, kept as its exact bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionTranscript {
    /// SessionTranscript (the array), as given or built.
    transcript: Vec<u8>,
    /// SessionTranscriptBytes (`#6.24`), as given, or built around `transcript`.
    tagged: Vec<u8>,
}

impl SessionTranscript {
    /// From the CBOR bytes of a SessionTranscript (an array) or of SessionTranscriptBytes
    /// (the array embedded with tag 24). The bytes are kept exactly as given.
    pub fn from_bytes(bytes: &[u8]) -> MdocResult<Self> {
        let decoded = node::decode(bytes)?;
        let (transcript, tagged) = match decoded.embedded_cbor() {
            Some(inner) => (inner.to_vec(), bytes.to_vec()),
            None => (bytes.to_vec(), encode_value(&embed(bytes.to_vec()))?),
        };
        if node::decode(&transcript)?
            .as_array()
            .is_none_or(|items| items.len() != 3)
        {
            return Err(MdocError::Malformed(
                "SessionTranscript is not an array of 3",
            ));
        }
        Ok(Self { transcript, tagged })
    }

    /// The OpenID4VP 1.0 (final) SessionTranscript for requests invoked with redirects
    /// (Appendix B.2.6.1):
    ///
    /// ```cddl
    /// SessionTranscript = [null, null, OpenID4VPHandover]
    /// OpenID4VPHandover = ["OpenID4VPHandover", OpenID4VPHandoverInfoHash]
    /// OpenID4VPHandoverInfoHash = bstr  ; SHA-256 of the CBOR encoding of OpenID4VPHandoverInfo
    /// OpenID4VPHandoverInfo = [clientId: tstr, nonce: tstr, jwkThumbprint: bstr / null, responseUri: tstr]
    /// ```
    ///
    /// `client_id` includes its Client Identifier Prefix (e.g. `x509_san_dns:`);
    /// `jwk_thumbprint` is the RFC 7638 SHA-256 thumbprint of the verifier's encryption key
    /// when the response is encrypted (`direct_post.jwt`), otherwise `None`;
    /// `response_uri` is the `response_uri` or `redirect_uri` of the request.
    pub fn openid4vp(
        client_id: &str,
        nonce: &str,
        jwk_thumbprint: Option<&[u8]>,
        response_uri: &str,
    ) -> MdocResult<Self> {
        let info = Value::Array(vec![
            Value::Text(client_id.into()),
            Value::Text(nonce.into()),
            jwk_thumbprint.map_or(Value::Null, |t| Value::Bytes(t.to_vec())),
            Value::Text(response_uri.into()),
        ]);
        let info_hash = digest::digest(&digest::SHA256, &encode_value(&info)?);
        let transcript = Value::Array(vec![
            Value::Null,
            Value::Null,
            Value::Array(vec![
                Value::Text("OpenID4VPHandover".into()),
                Value::Bytes(info_hash.as_ref().to_vec()),
            ]),
        ]);
        Self::from_bytes(&encode_value(&transcript)?)
    }

    /// The SessionTranscript bytes (the array, not embedded).
    pub fn as_bytes(&self) -> &[u8] {
        &self.transcript
    }

    /// SessionTranscriptBytes (`#6.24(bstr .cbor SessionTranscript)`), the input of the
    /// session key and MAC key derivations.
    pub fn tagged_bytes(&self) -> &[u8] {
        &self.tagged
    }
}

impl std::fmt::Debug for SessionTranscript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SessionTranscript({} bytes)", self.transcript.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn openid4vp_example_from_the_specification() {
        // OpenID4VP 1.0 Appendix B.2.6.1, non-normative example.
        let thumbprint =
            hex::decode("4283ec927ae0f208daaa2d026a814f2b22dca52cf85ffa8f3f8626c6bd669047")
                .unwrap();
        let transcript = SessionTranscript::openid4vp(
            "x509_san_dns:example.com",
            "exc7gBkxjx1rdc9udRrveKvSsJIq80avlXeLHhGwqtA",
            Some(&thumbprint),
            "https://example.com/response",
        )
        .unwrap();
        assert_eq!(
            hex::encode(transcript.as_bytes()),
            "83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8e\
             ed494cefdd9d95240d254b046b11b68013722aad38ac"
        );
        let again = SessionTranscript::from_bytes(transcript.tagged_bytes()).unwrap();
        assert_eq!(again, transcript);
        // Without a thumbprint the hash, and so the transcript, differs.
        let plain = SessionTranscript::openid4vp(
            "x509_san_dns:example.com",
            "exc7gBkxjx1rdc9udRrveKvSsJIq80avlXeLHhGwqtA",
            None,
            "https://example.com/response",
        )
        .unwrap();
        assert_ne!(plain, transcript);
    }

    #[test]
    fn tagged_input_is_kept_exactly() {
        // A non-preferred bstr length inside the tag is kept as given.
        let inner = hex::decode("83f6f6f6").unwrap();
        let mut tagged = hex::decode("d8185900").unwrap();
        tagged.push(4);
        tagged.extend_from_slice(&inner);
        let t = SessionTranscript::from_bytes(&tagged).unwrap();
        assert_eq!(t.as_bytes(), &inner[..]);
        assert_eq!(t.tagged_bytes(), &tagged[..]);
        assert!(SessionTranscript::from_bytes(&hex::decode("82f6f6").unwrap()).is_err());
        assert!(SessionTranscript::from_bytes(&hex::decode("a0").unwrap()).is_err());
    }
}
