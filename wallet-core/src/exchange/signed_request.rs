//! Signed requests (ADR 0020): the verifier's request ([`super::request`], unchanged) signed
//! with its long-term P-256 key, the one its registration certificate
//! ([`laissez_formats::registration`]) certifies in `cnf`, in the manner of ISO/IEC 18013-5
//! reader authentication. The QR message kind is [`MessageKind::SignedRequest`].
//!
//! The payload is a tagged COSE_Sign1 (RFC 9052), ES256:
//!
//! - protected header `{1 (alg): -7, 4 (kid): key id of the signing key (8 bytes),
//!   13 (kcwt, RFC 9528): the registration certificate (the CWT itself, a CBOR data item)}`,
//!   or, when the holder is known to hold that certificate, no `kcwt` and the unprotected
//!   header `{-65537: the certificate's 8-byte reference}` ([`HEADER_REGISTRATION_REF`], a
//!   private-use label);
//! - attached payload: the request's CBOR bytes, exactly what an unsigned request carries (the
//!   nonce and the ephemeral key the answer is encrypted to are under the signature, and
//!   answers are bound to the hash of these bytes as before);
//! - external AAD: [`EXTERNAL_AAD`].

use ciborium::Value;
use coset::iana::EnumI64;
use coset::{
    CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, Label,
    RegisteredLabelWithPrivate, SignatureContext, TaggedCborSerializable, sig_structure_data,
};
use laissez_crypto::ecdsa::{Es256Signer, HighS, SigningKey};
use laissez_formats::registration::{self, Reference, RegistrationError};
use laissez_qr::{Envelope, MessageKind};

use super::error::{ExchangeError, ExchangeResult};
use super::request::{MAX_REQUEST_BYTES, VerifierRequest};

/// The external AAD of every request signature (ISO 18013-5 signs
/// `["ReaderAuthentication", SessionTranscript, ItemsRequestBytes]`; ADR 0020 says how ours
/// maps to it).
pub const EXTERNAL_AAD: &[u8] = b"LaissezReaderAuthentication";
/// COSE header parameter `kcwt` (RFC 9528): the registration certificate.
pub const HEADER_KCWT: i64 = 13;
/// Private-use COSE header parameter: the 8-byte reference of a certificate the holder holds.
pub const HEADER_REGISTRATION_REF: i64 = -65_537;
/// Largest signed request, in bytes.
pub const MAX_SIGNED_REQUEST_BYTES: usize =
    MAX_REQUEST_BYTES + registration::MAX_CERTIFICATE_BYTES + 256;

/// How a signed request names the certificate of its signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Certification {
    /// The whole certificate (in `kcwt`).
    Certificate(Vec<u8>),
    /// Only its reference, for a holder known to hold it.
    Reference(Reference),
}

/// What became of the request's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// It verifies with the certificate's `cnf` key. (Whether the certificate itself is from
    /// a trusted registrar and current is [`registration::verify`]'s question.)
    Valid,
    /// It does not verify with the certificate's key: the request was altered, or signed by
    /// someone else.
    BadSignature,
    /// The request was signed with another key than the one the certificate certifies (its
    /// `kid` is not the `cnf` key's): a certificate taken from another verifier.
    CertificateForAnotherKey,
    /// The certificate cannot be read, so there is no key to check with.
    UnreadableCertificate(RegistrationError),
    /// Only a reference to a certificate this holder does not have.
    UnknownReference,
}

/// Who signed a request, as far as the request itself can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerEvidence {
    /// How the request named its certificate.
    pub certification: Certification,
    /// The certificate's bytes: carried, or found by reference; `None` for an unknown
    /// reference.
    pub certificate: Option<Vec<u8>>,
    /// The signature, checked with the certificate's `cnf` key.
    pub signature: SignatureCheck,
}

/// A signed request, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedRequest {
    /// The request.
    pub request: VerifierRequest,
    /// Its bytes (what answers are bound to: [`super::request_hash`] of these).
    pub request_bytes: Vec<u8>,
    /// Who signed it.
    pub evidence: SignerEvidence,
}

/// The certificate as the CBOR data item `kcwt` carries; refuses bytes that would not come
/// back identical (so its reference is the same on both sides).
fn certificate_item(certificate: &[u8]) -> ExchangeResult<Value> {
    let item: Value = ciborium::from_reader(certificate)
        .map_err(|_| RegistrationError::Malformed("not CBOR (truncated?)"))?;
    let mut again = Vec::with_capacity(certificate.len());
    ciborium::into_writer(&item, &mut again)
        .map_err(|_| ExchangeError::Malformed("certificate encoding"))?;
    if again != certificate {
        return Err(RegistrationError::Malformed("not in preferred CBOR encoding").into());
    }
    Ok(item)
}

/// Signs `request` with the verifier's long-term `key`, naming its registration certificate
/// by `certification`. With a whole certificate, refuses one whose `cnf` is another key
/// ([`ExchangeError::CertificateForAnotherKey`]) or that cannot be read.
pub fn sign_request(
    request: &VerifierRequest,
    key: &SigningKey,
    certification: &Certification,
) -> ExchangeResult<Envelope> {
    if let Certification::Certificate(certificate) = certification {
        let claims = registration::read_unverified(certificate)?;
        if &claims.verifier_key != key.public_key() {
            return Err(ExchangeError::CertificateForAnotherKey);
        }
    }
    sign_unchecked(request, key, certification)
}

/// A forger's request, for tests of holders: `request` signed with `key` while carrying
/// `certificate`, whatever key that certifies (a genuine certificate taken from another
/// verifier). Holders must read it as unverified; [`sign_request`] refuses to make one.
#[cfg(feature = "issue")]
pub fn forge_request(
    request: &VerifierRequest,
    key: &SigningKey,
    certificate: &[u8],
) -> ExchangeResult<Envelope> {
    sign_unchecked(
        request,
        key,
        &Certification::Certificate(certificate.to_vec()),
    )
}

fn sign_unchecked(
    request: &VerifierRequest,
    key: &SigningKey,
    certification: &Certification,
) -> ExchangeResult<Envelope> {
    let request_bytes = request.encode()?;
    let mut protected = HeaderBuilder::new()
        .algorithm(coset::iana::Algorithm::ES256)
        .key_id(registration::key_id(key.public_key()).to_vec());
    let mut unprotected = HeaderBuilder::new();
    match certification {
        Certification::Certificate(certificate) => {
            protected = protected.value(HEADER_KCWT, certificate_item(certificate)?);
        }
        Certification::Reference(reference) => {
            unprotected =
                unprotected.value(HEADER_REGISTRATION_REF, Value::Bytes(reference.to_vec()));
        }
    }
    let sign1 = CoseSign1Builder::new()
        .protected(protected.build())
        .unprotected(unprotected.build())
        .payload(request_bytes)
        .try_create_signature(EXTERNAL_AAD, |tbs| {
            key.sign(tbs)
                .map(|s| s.to_vec())
                .map_err(|_| ExchangeError::Crypto("request signature"))
        })?
        .build();
    let payload = sign1
        .to_tagged_vec()
        .map_err(|_| ExchangeError::Malformed("signed request encoding"))?;
    if payload.len() > MAX_SIGNED_REQUEST_BYTES {
        return Err(ExchangeError::TooLarge("signed request"));
    }
    Ok(Envelope {
        kind: MessageKind::SignedRequest,
        payload,
    })
}

fn header_value(header: &coset::Header, label: i64) -> Option<&Value> {
    header
        .rest
        .iter()
        .find(|(l, _)| *l == Label::Int(label))
        .map(|(_, v)| v)
}

/// Opens a signed request (the payload of a [`MessageKind::SignedRequest`] message): parses
/// the COSE_Sign1 and the request it carries, finds the certificate (carried, or among
/// `known_certificates` by reference) and checks the signature with its `cnf` key.
///
/// A request that cannot be read at all is an [`ExchangeError`]; a request that reads but
/// whose signer cannot be confirmed is returned with what went wrong in
/// [`SignerEvidence::signature`] (an unverified request, for the consent screen to say so).
pub fn open_signed_request(
    payload: &[u8],
    known_certificates: &[Vec<u8>],
) -> ExchangeResult<OpenedRequest> {
    if payload.len() > MAX_SIGNED_REQUEST_BYTES {
        return Err(ExchangeError::TooLarge("signed request"));
    }
    let sign1 = CoseSign1::from_tagged_slice(payload)
        .or_else(|_| CoseSign1::from_slice(payload))
        .map_err(|_| ExchangeError::Malformed("signed request: COSE_Sign1"))?;
    match &sign1.protected.header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(alg))
            if alg.to_i64() == coset::iana::Algorithm::ES256.to_i64() => {}
        _ => {
            return Err(ExchangeError::Malformed(
                "signed request: algorithm (ES256 only)",
            ));
        }
    }
    let request_bytes = sign1
        .payload
        .clone()
        .ok_or(ExchangeError::Malformed("signed request: no payload"))?;
    let request = VerifierRequest::decode(&request_bytes)?;
    let (certification, certificate) = match header_value(&sign1.protected.header, HEADER_KCWT) {
        Some(item) => {
            let mut bytes = Vec::new();
            ciborium::into_writer(item, &mut bytes)
                .map_err(|_| ExchangeError::Malformed("signed request: kcwt"))?;
            if bytes.len() > registration::MAX_CERTIFICATE_BYTES {
                return Err(RegistrationError::TooLarge("certificate").into());
            }
            (Certification::Certificate(bytes.clone()), Some(bytes))
        }
        None => {
            let reference: Reference =
                match header_value(&sign1.unprotected, HEADER_REGISTRATION_REF) {
                    Some(Value::Bytes(b)) => b.as_slice().try_into().map_err(|_| {
                        ExchangeError::Malformed("signed request: certificate reference")
                    })?,
                    _ => {
                        return Err(ExchangeError::Malformed(
                            "signed request: no certificate and no reference",
                        ));
                    }
                };
            let found = known_certificates
                .iter()
                .find(|c| registration::reference(c) == reference)
                .cloned();
            (Certification::Reference(reference), found)
        }
    };
    let signature = match &certificate {
        None => SignatureCheck::UnknownReference,
        Some(bytes) => match registration::read_unverified(bytes) {
            Err(err) => SignatureCheck::UnreadableCertificate(err),
            Ok(claims)
                if sign1.protected.header.key_id.as_slice()
                    != registration::key_id(&claims.verifier_key) =>
            {
                SignatureCheck::CertificateForAnotherKey
            }
            Ok(claims) => {
                let tbs = sig_structure_data(
                    SignatureContext::CoseSign1,
                    sign1.protected.clone(),
                    None,
                    EXTERNAL_AAD,
                    &request_bytes,
                );
                match claims
                    .verifier_key
                    .verify_with(&tbs, &sign1.signature, HighS::Accept)
                {
                    Ok(()) => SignatureCheck::Valid,
                    Err(_) => SignatureCheck::BadSignature,
                }
            }
        },
    };
    Ok(OpenedRequest {
        request,
        request_bytes,
        evidence: SignerEvidence {
            certification,
            certificate,
            signature,
        },
    })
}

#[cfg(test)]
mod tests;
