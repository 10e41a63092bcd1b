//! Device authentication: the holder proves possession of the MSO's device key over
//! DeviceAuthentication, either with a signature (`deviceSignature`, COSE_Sign1 ES256) or a
//! MAC (`deviceMac`, COSE_Mac0 HMAC-SHA256 with a key agreed with the reader).
//!
//! ```cddl
//! DeviceAuthentication = ["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes]
//! DeviceAuthenticationBytes = #6.24(bstr .cbor DeviceAuthentication)
//! ```
//!
//! Both COSE structures have a detached payload: DeviceAuthenticationBytes, which each side
//! builds itself. The SessionTranscript and DeviceNameSpacesBytes are spliced in as exact
//! bytes.

use ciborium::Value;
use coset::iana::{self};
use coset::{
    AsCborValue, CoseMac0, CoseSign1, CoseSign1Builder, HeaderBuilder, MacContext,
    RegisteredLabelWithPrivate, mac_structure_data,
};
use p256::elliptic_curve::point::AffineCoordinates;
use ring::{digest, hkdf, hmac};
use zeroize::Zeroizing;

use crate::mdoc::cbor::write::{Out, embed, encode, encode_value};
use crate::mdoc::error::{MdocError, MdocResult};
use crate::mdoc::issuer_auth::{check_signature, require_es256};
use crate::mdoc::session_transcript::SessionTranscript;
use laissez_crypto::ecdsa::{Es256Signer, HighS, SignatureError, VerifyingKey};

/// DeviceAuthenticationBytes for one document.
pub(crate) fn device_authentication_bytes(
    transcript: &SessionTranscript,
    doc_type: &str,
    device_namespaces_bytes: &[u8],
) -> MdocResult<Vec<u8>> {
    let inner = encode(&Out::Array(vec![
        Out::Text("DeviceAuthentication"),
        Out::Raw(transcript.as_bytes()),
        Out::Text(doc_type),
        Out::Raw(device_namespaces_bytes),
    ]))?;
    encode_value(&embed(inner))
}

/// A `deviceSignature` COSE_Sign1 value (ES256, detached payload) over `payload`.
pub(crate) fn sign(payload: &[u8], signer: &dyn Es256Signer) -> MdocResult<Value> {
    CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::ES256)
                .build(),
        )
        .try_create_detached_signature(payload, b"", |tbs| {
            signer
                .sign(tbs)
                .map(|sig| sig.to_vec())
                .map_err(|_| MdocError::Signing)
        })?
        .build()
        .to_cbor_value()
        .map_err(|_| MdocError::Malformed("COSE_Sign1 encoding"))
}

/// Checks a `deviceSignature` over `payload` with the MSO device key under the `high_s`
/// policy. The payload must be detached (null); an attached copy is accepted only if it is
/// exactly `payload`.
pub(crate) fn verify_signature(
    sign1: &CoseSign1,
    payload: &[u8],
    device_key: &VerifyingKey,
    high_s: HighS,
) -> MdocResult<()> {
    require_es256(sign1)?;
    if sign1.payload.as_deref().is_some_and(|p| p != payload) {
        return Err(MdocError::BadDeviceSignature);
    }
    check_signature(sign1, payload, device_key, high_s).map_err(|e| match e {
        SignatureError::HighS => MdocError::NonCanonicalSignature,
        SignatureError::WrongLength
        | SignatureError::Mismatch
        | SignatureError::AlgorithmMismatch => MdocError::BadDeviceSignature,
    })
}

/// The reader's ephemeral private key (EReaderKey), which a verifier needs to check a
/// `deviceMac`: the MAC key comes from ECDH between it and the MSO device key.
pub struct ReaderPrivateKey(p256::SecretKey);

impl ReaderPrivateKey {
    /// From the big-endian private scalar; `None` if it is not a valid P-256 scalar.
    pub fn from_scalar(scalar: &[u8; 32]) -> Option<Self> {
        p256::SecretKey::from_slice(scalar).ok().map(Self)
    }
}

impl std::fmt::Debug for ReaderPrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReaderPrivateKey(..)")
    }
}

/// EMacKey = HKDF-SHA256(IKM = ECDH x-coordinate, salt = SHA-256(SessionTranscriptBytes),
/// info = "EMacKey", L = 32) (ISO 18013-5 §9.1.3.5), as an HMAC-SHA256 key.
fn emac_key(
    reader: &ReaderPrivateKey,
    device_key: &VerifyingKey,
    transcript: &SessionTranscript,
) -> MdocResult<hmac::Key> {
    // ring only does ECDH with ephemeral keys it generated itself; it cannot import the
    // reader's existing private key. The scalar multiplication therefore uses p256's
    // arithmetic (already a dependency), exactly as `p256::ecdh::diffie_hellman` does,
    // without adding its `ecdh` feature; HKDF and HMAC stay with ring.
    let device = p256::PublicKey::from_sec1_bytes(&device_key.to_sec1())
        .map_err(|_| MdocError::Malformed("device key"))?;
    let shared = (device.to_projective() * *reader.0.to_nonzero_scalar()).to_affine();
    let ikm = Zeroizing::new(shared.x().to_vec());
    let salt = digest::digest(&digest::SHA256, transcript.tagged_bytes());
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt.as_ref()).extract(&ikm);
    let okm = prk
        .expand(&[b"EMacKey"], hmac::HMAC_SHA256)
        .map_err(|_| MdocError::Malformed("HKDF length"))?;
    Ok(hmac::Key::from(okm))
}

/// Checks a `deviceMac` (COSE_Mac0, HMAC 256/256, detached payload) over `payload`.
pub(crate) fn verify_mac(
    mac0: &CoseMac0,
    payload: &[u8],
    device_key: &VerifyingKey,
    reader: &ReaderPrivateKey,
    transcript: &SessionTranscript,
) -> MdocResult<()> {
    match &mac0.protected.header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::HMAC_256_256)) => {}
        _ => {
            return Err(MdocError::UnsupportedAlgorithm(
                "deviceMac algorithm (only HMAC 256/256)".into(),
            ));
        }
    }
    if mac0.payload.as_deref().is_some_and(|p| p != payload) {
        return Err(MdocError::BadDeviceMac);
    }
    let key = emac_key(reader, device_key, transcript)?;
    let tbm = mac_structure_data(MacContext::CoseMac0, mac0.protected.clone(), b"", payload);
    hmac::verify(&key, &tbm, &mac0.tag).map_err(|_| MdocError::BadDeviceMac)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use coset::CborSerializable;
    use laissez_crypto::ecdsa::SigningKey;

    #[test]
    fn signature_binds_the_payload() {
        let key = SigningKey::generate().unwrap();
        let value = sign(b"payload", &key).unwrap();
        let sign1 = CoseSign1::from_cbor_value(value).unwrap();
        assert!(sign1.payload.is_none());
        assert!(verify_signature(&sign1, b"payload", key.public_key(), HighS::Refuse).is_ok());
        assert_eq!(
            verify_signature(&sign1, b"other", key.public_key(), HighS::Refuse),
            Err(MdocError::BadDeviceSignature)
        );
        let other = SigningKey::generate().unwrap();
        assert_eq!(
            verify_signature(&sign1, b"payload", other.public_key(), HighS::Refuse),
            Err(MdocError::BadDeviceSignature)
        );
        // An attached payload must equal the expected one.
        let mut attached = sign1.clone();
        attached.payload = Some(b"something".to_vec());
        assert!(verify_signature(&attached, b"payload", key.public_key(), HighS::Refuse).is_err());
        attached.payload = Some(b"payload".to_vec());
        assert!(verify_signature(&attached, b"payload", key.public_key(), HighS::Refuse).is_ok());
    }

    #[test]
    fn annex_d_device_authentication_bytes() {
        let Some(dir) = laissez_test_support::shared_data("vectors/mdoc/iso18013-5-annex-d") else {
            return;
        };
        let read = |name: &str| {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            hex::decode(text.trim()).unwrap()
        };
        let (transcript, expected) = (
            read("session_transcript_bytes.hex"),
            read("device_authentication_bytes.hex"),
        );
        let transcript = SessionTranscript::from_bytes(&transcript).unwrap();
        // DeviceNameSpacesBytes of the example: #6.24(h'a0').
        let built = device_authentication_bytes(
            &transcript,
            "org.iso.18013.5.1.mDL",
            &[0xd8, 0x18, 0x41, 0xa0],
        )
        .unwrap();
        assert_eq!(hex::encode(built), hex::encode(expected));
    }

    #[test]
    fn mac_with_own_keys() {
        let transcript = SessionTranscript::from_bytes(&[0x83, 0xf6, 0xf6, 0xf6]).unwrap();
        let device = SigningKey::generate().unwrap();
        let reader_scalar = [7u8; 32];
        let reader = ReaderPrivateKey::from_scalar(&reader_scalar).unwrap();
        // The device side derives the same key from its private key and the reader's public
        // key; computed here with p256 directly.
        let reader_public = p256::SecretKey::from_slice(&reader_scalar)
            .unwrap()
            .public_key();
        let device_secret = p256::SecretKey::from_slice(device.scalar()).unwrap();
        let shared =
            (reader_public.to_projective() * *device_secret.to_nonzero_scalar()).to_affine();
        let salt = digest::digest(&digest::SHA256, transcript.tagged_bytes());
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt.as_ref()).extract(&shared.x());
        let okm = prk.expand(&[b"EMacKey"], hmac::HMAC_SHA256).unwrap();
        let key = hmac::Key::from(okm);
        let mac0 = coset::CoseMac0Builder::new()
            .protected(
                HeaderBuilder::new()
                    .algorithm(iana::Algorithm::HMAC_256_256)
                    .build(),
            )
            .build();
        let tbm = mac_structure_data(MacContext::CoseMac0, mac0.protected.clone(), b"", b"p");
        let mut mac0 = mac0;
        mac0.tag = hmac::sign(&key, &tbm).as_ref().to_vec();
        let mac0 = CoseMac0::from_slice(&mac0.to_vec().unwrap()).unwrap();
        assert!(verify_mac(&mac0, b"p", device.public_key(), &reader, &transcript).is_ok());
        assert_eq!(
            verify_mac(&mac0, b"q", device.public_key(), &reader, &transcript),
            Err(MdocError::BadDeviceMac)
        );
        let other_reader = ReaderPrivateKey::from_scalar(&[8u8; 32]).unwrap();
        assert_eq!(
            verify_mac(&mac0, b"p", device.public_key(), &other_reader, &transcript),
            Err(MdocError::BadDeviceMac)
        );
        assert!(ReaderPrivateKey::from_scalar(&[0u8; 32]).is_none());
    }
}
