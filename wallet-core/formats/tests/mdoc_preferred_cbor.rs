//! One encoding for what is signed or hashed (issue 12, item 4): a DeviceResponse whose
//! signed or hashed bytes are re-encoded, and re-signed by the right key so that only the
//! encoding is wrong, is refused with `non_preferred_cbor`, in the places ADR 0010 names:
//! preferred serialization in DeviceNameSpacesBytes and COSE protected headers, definite
//! lengths in the MSO and IssuerSignedItemBytes.
#![cfg(feature = "issue")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ciborium::Value;
use ciborium_ll::{Encoder, Header};
use coset::{ProtectedHeader, SignatureContext, sig_structure_data};
use laissez_crypto::ecdsa::{Es256Signer, HighS, SigningKey};
use laissez_formats::mdoc::{
    self, DataElements, IssueRequest, MdocError, NonPreferred, SessionTranscript, TrustAnchors,
    ValidityInfo, VerifiedDocument, VerifyOptions, verify_device_response,
};
use laissez_formats::x509::{Certificate, self_signed_certificate};
use ring::digest;

const NOW: i64 = 1_750_000_000;
const DOC_TYPE: &str = "org.iso.18013.5.1.mDL";
const NS: &str = "org.iso.18013.5.1";
const DEVICE_NS: &str = "org.example.device";
/// `{1: -7}`: alg ES256, as everyone writes it.
const ES256_HEADER: &[u8] = &[0xa1, 0x01, 0x26];

/// CBOR builders for the test's own encodings; `raw` bytes are spliced unchanged.
fn enc(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).unwrap();
    out
}

fn text(s: &str) -> Vec<u8> {
    enc(&Value::Text(s.into()))
}

fn bstr(b: &[u8]) -> Vec<u8> {
    enc(&Value::Bytes(b.to_vec()))
}

fn head(header: Header) -> Vec<u8> {
    let mut out = Vec::new();
    Encoder::from(&mut out).push(header).unwrap();
    out
}

fn array(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = head(Header::Array(Some(items.len())));
    items.iter().for_each(|i| out.extend_from_slice(i));
    out
}

fn map(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = head(Header::Map(Some(entries.len())));
    for (k, v) in entries {
        out.extend_from_slice(k);
        out.extend_from_slice(v);
    }
    out
}

/// `#6.24(bstr)` around `content`, in preferred form.
fn embed(content: &[u8]) -> Vec<u8> {
    enc(&Value::Tag(24, Box::new(Value::Bytes(content.to_vec()))))
}

/// The same map with an indefinite-length head: `a_n ...` becomes `bf ... ff`.
fn indefinite_map(content: &[u8]) -> Vec<u8> {
    assert!(
        (0xa1..=0xb7).contains(&content[0]),
        "a map of 1..23 entries"
    );
    let mut out = vec![0xbf];
    out.extend_from_slice(&content[1..]);
    out.push(0xff);
    out
}

/// A COSE_Sign1 with the given protected header bytes, signed over `payload`.
fn sign1(
    protected: &[u8],
    unprotected: Vec<u8>,
    payload: &[u8],
    attached: bool,
    key: &SigningKey,
) -> Vec<u8> {
    let header = ProtectedHeader::from_cbor_bstr(Value::Bytes(protected.to_vec())).unwrap();
    let tbs = sig_structure_data(SignatureContext::CoseSign1, header, None, b"", payload);
    let signature = key.sign(&tbs).unwrap();
    let payload = if attached { bstr(payload) } else { vec![0xf6] };
    array(&[bstr(protected), unprotected, payload, bstr(&signature)])
}

/// Everything a presentation is made of, as bytes a test can re-encode.
struct Presentation {
    issuer: SigningKey,
    holder: SigningKey,
    certificate: Vec<u8>,
    transcript: SessionTranscript,
    /// IssuerSignedItemBytes (`#6.24(bstr)`) of `NS`, as issued.
    items: Vec<Vec<u8>>,
    /// The MSO map (content of MobileSecurityObjectBytes), as issued.
    mso: Vec<u8>,
    issuer_protected: Vec<u8>,
    /// DeviceNameSpacesBytes, tag-24 wrapper included.
    device_namespaces: Vec<u8>,
    device_protected: Vec<u8>,
}

impl Presentation {
    /// Issued by Laissez: two elements, re-presented as built here.
    fn new() -> Self {
        let issuer = SigningKey::generate().unwrap();
        let holder = SigningKey::generate().unwrap();
        let certificate = self_signed_certificate(&issuer, "Test issuer", NOW - 60, 365).unwrap();
        let mut elements = DataElements::new();
        elements
            .insert_json(
                NS,
                &serde_json::json!({"family_name": "Haddad", "age_in_years": 34}),
                &[],
            )
            .unwrap();
        let credential = mdoc::issue(
            &IssueRequest {
                doc_type: DOC_TYPE.into(),
                elements,
                device_key: holder.public_key().clone(),
                validity: ValidityInfo {
                    signed: NOW,
                    valid_from: NOW,
                    valid_until: NOW + 86_400,
                    expected_update: None,
                },
                issuer_certificate: Some(certificate.clone()),
                status: None,
            },
            &issuer,
        )
        .unwrap();
        let stored: Value = ciborium::from_reader(credential.as_bytes()).unwrap();
        let issuer_signed = field(&stored, "issuerSigned");
        let items = field(field(issuer_signed, "nameSpaces"), NS)
            .as_array()
            .unwrap()
            .iter()
            .map(enc)
            .collect();
        let auth = field(issuer_signed, "issuerAuth").as_array().unwrap();
        let mso_bytes: Value =
            ciborium::from_reader(auth[2].as_bytes().unwrap().as_slice()).unwrap();
        let mso = untag24(&mso_bytes).to_vec();
        let transcript = SessionTranscript::openid4vp(
            "x509_san_dns:verifier.example",
            "n-0S6_WzA2Mj",
            None,
            "https://verifier.example/post",
        )
        .unwrap();
        Self {
            issuer,
            holder,
            certificate,
            transcript,
            items,
            mso,
            issuer_protected: auth[0].as_bytes().unwrap().clone(),
            device_namespaces: embed(&[0xa0]),
            device_protected: ES256_HEADER.to_vec(),
        }
    }

    /// The DeviceResponse, every signature and digest made over the parts as they are.
    fn response(&self) -> Vec<u8> {
        let issuer_auth = sign1(
            &self.issuer_protected,
            map(&[(enc(&Value::Integer(33.into())), bstr(&self.certificate))]),
            &embed(&self.mso),
            true,
            &self.issuer,
        );
        let device_authentication = embed(&array(&[
            text("DeviceAuthentication"),
            self.transcript.as_bytes().to_vec(),
            text(DOC_TYPE),
            self.device_namespaces.clone(),
        ]));
        let device_signature = sign1(
            &self.device_protected,
            map(&[]),
            &device_authentication,
            false,
            &self.holder,
        );
        let document = map(&[
            (text("docType"), text(DOC_TYPE)),
            (
                text("issuerSigned"),
                map(&[
                    (text("nameSpaces"), map(&[(text(NS), array(&self.items))])),
                    (text("issuerAuth"), issuer_auth),
                ]),
            ),
            (
                text("deviceSigned"),
                map(&[
                    (text("nameSpaces"), self.device_namespaces.clone()),
                    (
                        text("deviceAuth"),
                        map(&[(text("deviceSignature"), device_signature)]),
                    ),
                ]),
            ),
        ]);
        map(&[
            (text("version"), text("1.0")),
            (text("documents"), array(&[document])),
            (text("status"), enc(&Value::Integer(0.into()))),
        ])
    }

    fn verify(&self) -> Result<Vec<VerifiedDocument>, MdocError> {
        let anchors =
            TrustAnchors::new().with_certificate(Certificate::from_der(&self.certificate).unwrap());
        verify_device_response(
            &self.response(),
            &VerifyOptions {
                now: NOW,
                trust_anchors: &anchors,
                session_transcript: &self.transcript,
                expected_doc_type: Some(DOC_TYPE),
                reader_key: None,
                holder_high_s: HighS::Refuse,
            },
        )
    }

    /// Replaces an item by `new` (IssuerSignedItemBytes) and its digest in the MSO.
    fn replace_item(&mut self, index: usize, new: Vec<u8>) {
        let item: Value = ciborium::from_reader(untag24(
            &ciborium::from_reader::<Value, _>(self.items[index].as_slice()).unwrap(),
        ))
        .unwrap();
        let digest_id = field(&item, "digestID").clone();
        let mut mso: Value = ciborium::from_reader(self.mso.as_slice()).unwrap();
        let digests = field_mut(field_mut(&mut mso, "valueDigests"), NS);
        let slot = digests
            .as_map_mut()
            .unwrap()
            .iter_mut()
            .find(|(k, _)| *k == digest_id)
            .unwrap();
        slot.1 = Value::Bytes(digest::digest(&digest::SHA256, &new).as_ref().to_vec());
        self.mso = enc(&mso);
        self.items[index] = new;
    }
}

fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value
        .as_map()
        .unwrap()
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {key}"))
}

fn field_mut<'a>(value: &'a mut Value, key: &str) -> &'a mut Value {
    value
        .as_map_mut()
        .unwrap()
        .iter_mut()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {key}"))
}

fn untag24(value: &Value) -> &[u8] {
    match value {
        Value::Tag(24, inner) => inner.as_bytes().unwrap(),
        _ => panic!("not #6.24(bstr)"),
    }
}

fn refused(what: &'static str, form: NonPreferred) -> Result<Vec<VerifiedDocument>, MdocError> {
    Err(MdocError::NonPreferredEncoding { what, form })
}

/// `{DEVICE_NS: {"age_over_18": <value>}}`, with the value's bytes as given.
fn device_namespaces(value: &[u8]) -> Vec<u8> {
    map(&[(
        text(DEVICE_NS),
        map(&[(text("age_over_18"), value.to_vec())]),
    )])
}

#[test]
fn the_rebuilt_presentation_verifies() {
    // The control for every test below: the builder's signatures and digests are right.
    let mut p = Presentation::new();
    p.device_namespaces = embed(&device_namespaces(&[0x05]));
    let documents = p.verify().unwrap();
    assert_eq!(
        documents[0].device_element(DEVICE_NS, "age_over_18"),
        Some(&Value::Integer(5.into()))
    );
    assert_eq!(documents[0].issuer_signed[0].elements.len(), 2);
}

#[test]
fn device_namespaces_with_a_longer_integer_are_refused() {
    let mut p = Presentation::new();
    // 5 as `18 05`: the same value, another signed form.
    p.device_namespaces = embed(&device_namespaces(&[0x18, 0x05]));
    assert_eq!(
        p.verify(),
        refused("DeviceNameSpacesBytes", NonPreferred::LongerArgument)
    );
    // A longer float, an indefinite map, and a longer length of the tag-24 byte string.
    p.device_namespaces = embed(&device_namespaces(&[0xfa, 0x3f, 0x80, 0x00, 0x00]));
    assert_eq!(
        p.verify(),
        refused("DeviceNameSpacesBytes", NonPreferred::LongerFloat)
    );
    p.device_namespaces = embed(&indefinite_map(&device_namespaces(&[0x05])));
    assert_eq!(
        p.verify(),
        refused("DeviceNameSpacesBytes", NonPreferred::IndefiniteLength)
    );
    let mut long_wrapper = vec![0xd8, 0x18, 0x58, 0x01, 0xa0];
    p.device_namespaces = long_wrapper.clone();
    assert_eq!(
        p.verify(),
        refused("DeviceNameSpacesBytes", NonPreferred::LongerArgument)
    );
    long_wrapper[2..4].copy_from_slice(&[0x41, 0xa0]);
    long_wrapper.truncate(4);
    p.device_namespaces = long_wrapper;
    assert!(p.verify().is_ok());
}

#[test]
fn device_signature_protected_header_with_a_longer_algorithm_is_refused() {
    let mut p = Presentation::new();
    // -7 (ES256) as `38 06`, then label 1 as `18 01`.
    for header in [[0xa1, 0x01, 0x38, 0x06], [0xa1, 0x18, 0x01, 0x26]] {
        p.device_protected = header.to_vec();
        assert_eq!(
            p.verify(),
            refused(
                "deviceSignature protected header",
                NonPreferred::LongerArgument
            ),
            "{header:02x?}"
        );
    }
}

#[test]
fn issuer_auth_protected_header_with_a_longer_algorithm_is_refused() {
    let mut p = Presentation::new();
    assert_eq!(p.issuer_protected, ES256_HEADER);
    p.issuer_protected = vec![0xa1, 0x01, 0x38, 0x06];
    assert_eq!(
        p.verify(),
        refused("issuerAuth protected header", NonPreferred::LongerArgument)
    );
    p.issuer_protected = vec![0xbf, 0x01, 0x26, 0xff];
    assert_eq!(
        p.verify(),
        refused(
            "issuerAuth protected header",
            NonPreferred::IndefiniteLength
        )
    );
}

#[test]
fn mso_with_an_indefinite_length_map_is_refused() {
    let mut p = Presentation::new();
    p.mso = indefinite_map(&p.mso);
    assert_eq!(
        p.verify(),
        refused("MobileSecurityObjectBytes", NonPreferred::IndefiniteLength)
    );
}

#[test]
fn mso_with_a_longer_map_length_is_accepted() {
    // What @auth0/mdl writes (`b9 0006`): fixed by the issuer's signature, so accepted.
    let mut p = Presentation::new();
    let entries = p.mso[0] - 0xa0;
    let mut longer = vec![0xb9, 0x00, entries];
    longer.extend_from_slice(&p.mso[1..]);
    p.mso = longer;
    assert!(p.verify().is_ok());
}

#[test]
fn issuer_signed_item_with_an_indefinite_length_is_refused() {
    let mut p = Presentation::new();
    let item: Value = ciborium::from_reader(p.items[0].as_slice()).unwrap();
    let content = untag24(&item).to_vec();

    // A longer map length: accepted, as the MSO digest fixes the bytes.
    let mut longer = vec![0xb9, 0x00, content[0] - 0xa0];
    longer.extend_from_slice(&content[1..]);
    p.replace_item(0, embed(&longer));
    assert!(p.verify().is_ok());

    p.replace_item(0, embed(&indefinite_map(&content)));
    assert_eq!(
        p.verify(),
        refused("IssuerSignedItemBytes", NonPreferred::IndefiniteLength)
    );
    // An indefinite byte string around the item, with the digest over those bytes.
    let mut chunked = vec![0xd8, 0x18, 0x5f];
    chunked.extend_from_slice(&bstr(&content));
    chunked.push(0xff);
    p.replace_item(0, chunked);
    assert_eq!(
        p.verify(),
        refused("IssuerSignedItemBytes", NonPreferred::IndefiniteLength)
    );
}
