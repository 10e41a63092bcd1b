//! mdoc end to end with our own issuer: issue → store → present a subset → verify, and every
//! way verification must fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::json;
use wallet_core::crypto::ecdsa::{HighS, SigningKey};
use wallet_core::mdoc::{
    self, CborValue, DataElements, DeviceAuthMethod, Disclosure, ElementRef, IssueRequest,
    IssuedMdoc, IssuerTrust, Limit, MAX_INPUT_BYTES, MdocError, SessionTranscript, TrustAnchors,
    ValidityInfo, ValidityScope, VerifiedDocument, VerifyOptions, verify_device_response,
};
use wallet_core::x509::{Certificate, issue_certificate, self_signed_certificate};

const NOW: i64 = 1_750_000_000;
const DAY: i64 = 86_400;
const MDL: &str = "org.iso.18013.5.1.mDL";
const ISO_NS: &str = "org.iso.18013.5.1";
const EXTRA_NS: &str = "org.example.refugee.1";

/// An IACA-style root and a document signer certificate issued by it.
struct Issuer {
    root: Certificate,
    signer: SigningKey,
    signer_cert: Vec<u8>,
}

fn issuer() -> Issuer {
    let root_key = SigningKey::generate().unwrap();
    let root = self_signed_certificate(&root_key, "Test IACA", NOW - 365 * DAY, 3650).unwrap();
    let signer = SigningKey::generate().unwrap();
    let signer_cert = issue_certificate(
        signer.public_key(),
        "Test DS",
        NOW - 30 * DAY,
        730,
        &root_key,
        "Test IACA",
    )
    .unwrap();
    Issuer {
        root: Certificate::from_der(&root).unwrap(),
        signer,
        signer_cert,
    }
}

fn elements() -> DataElements {
    let mut elements = DataElements::new();
    elements
        .insert_json(
            ISO_NS,
            &json!({
                "family_name": "Haddad",
                "given_name": "Amal",
                "birth_date": "1990-05-01",
                "issuing_country": "UT",
                "age_over_18": true,
                "driving_privileges": [
                    {"vehicle_category_code": "B", "issue_date": "2015-03-02"}
                ]
            }),
            &["birth_date", "issue_date"],
        )
        .unwrap();
    elements.insert(
        ISO_NS,
        "portrait",
        CborValue::Bytes(vec![0xff, 0xd8, 0xff, 0xe0]),
    );
    elements
        .insert_json(
            EXTRA_NS,
            &json!({"case_number": "UT-2025-0042", "dependants": 2}),
            &[],
        )
        .unwrap();
    elements
}

fn validity(from: i64, until: i64) -> ValidityInfo {
    ValidityInfo {
        signed: from,
        valid_from: from,
        valid_until: until,
        expected_update: None,
    }
}

fn issue_for(issuer: &Issuer, holder: &SigningKey, validity: ValidityInfo) -> IssuedMdoc {
    mdoc::issue(
        &IssueRequest {
            doc_type: MDL.into(),
            elements: elements(),
            device_key: holder.public_key().clone(),
            validity,
            issuer_certificate: Some(issuer.signer_cert.clone()),
            status: None,
        },
        &issuer.signer,
    )
    .unwrap()
}

fn transcript() -> SessionTranscript {
    SessionTranscript::openid4vp(
        "x509_san_dns:verifier.example",
        "nonce-123",
        Some(&[7u8; 32]),
        "https://verifier.example/response",
    )
    .unwrap()
}

fn selection() -> Vec<ElementRef> {
    vec![
        ElementRef::new(ISO_NS, "family_name"),
        ElementRef::new(ISO_NS, "birth_date"),
        ElementRef::new(ISO_NS, "age_over_18"),
        ElementRef::new(EXTRA_NS, "case_number"),
    ]
}

struct Setup {
    issuer: Issuer,
    holder: SigningKey,
    credential: IssuedMdoc,
    transcript: SessionTranscript,
    anchors: TrustAnchors,
    response: Vec<u8>,
}

fn setup() -> Setup {
    let issuer = issuer();
    let holder = SigningKey::generate().unwrap();
    let credential = issue_for(&issuer, &holder, validity(NOW - DAY, NOW + 365 * DAY));
    let transcript = transcript();
    let chosen = selection();
    let response = mdoc::present(
        &[Disclosure {
            credential: &credential,
            elements: &chosen,
            device_signer: &holder,
        }],
        &transcript,
    )
    .unwrap();
    let anchors = TrustAnchors::new().with_certificate(issuer.root.clone());
    Setup {
        issuer,
        holder,
        credential,
        transcript,
        anchors,
        response,
    }
}

impl Setup {
    fn options(&self) -> VerifyOptions<'_> {
        VerifyOptions {
            now: NOW,
            trust_anchors: &self.anchors,
            session_transcript: &self.transcript,
            expected_doc_type: Some(MDL),
            reader_key: None,
            holder_high_s: HighS::Refuse,
        }
    }

    fn verify(&self, bytes: &[u8]) -> Result<Vec<VerifiedDocument>, MdocError> {
        verify_device_response(bytes, &self.options())
    }
}

// ---- CBOR editing helpers for building hostile responses (test inputs only) ----

fn decode(bytes: &[u8]) -> CborValue {
    ciborium::from_reader(bytes).unwrap()
}

fn encode(value: &CborValue) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).unwrap();
    out
}

fn field<'a>(value: &'a mut CborValue, key: &str) -> &'a mut CborValue {
    let CborValue::Map(entries) = value else {
        panic!("not a map")
    };
    &mut entries
        .iter_mut()
        .find(|(k, _)| k.as_text() == Some(key))
        .unwrap_or_else(|| panic!("no {key}"))
        .1
}

fn remove_field(value: &mut CborValue, key: &str) {
    let CborValue::Map(entries) = value else {
        panic!("not a map")
    };
    entries.retain(|(k, _)| k.as_text() != Some(key));
}

fn first_document(response: &mut CborValue) -> &mut CborValue {
    let CborValue::Array(docs) = field(response, "documents") else {
        panic!()
    };
    &mut docs[0]
}

fn edit(bytes: &[u8], change: impl FnOnce(&mut CborValue)) -> Vec<u8> {
    let mut value = decode(bytes);
    change(&mut value);
    encode(&value)
}

fn cose_part(sign1: &mut CborValue, index: usize) -> &mut CborValue {
    let CborValue::Array(parts) = sign1 else {
        panic!("not COSE")
    };
    &mut parts[index]
}

fn issuer_auth(response: &mut CborValue) -> &mut CborValue {
    field(
        field(first_document(response), "issuerSigned"),
        "issuerAuth",
    )
}

fn device_signature(response: &mut CborValue) -> &mut CborValue {
    field(
        field(
            field(first_document(response), "deviceSigned"),
            "deviceAuth",
        ),
        "deviceSignature",
    )
}

fn set_alg(sign1: &mut CborValue, alg: i64) {
    let header = CborValue::Map(vec![(
        CborValue::Integer(1.into()),
        CborValue::Integer(alg.into()),
    )]);
    *cose_part(sign1, 0) = CborValue::Bytes(encode(&header));
}

// ---- the happy path ----

#[test]
fn issue_present_subset_verify() {
    let s = setup();
    let docs = s.verify(&s.response).unwrap();
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc.doc_type, MDL);
    assert_eq!(doc.device_auth, Some(DeviceAuthMethod::Signature));
    assert_eq!(doc.issuer.trust, IssuerTrust::Trusted);
    assert_eq!(doc.issuer.common_name(), Some("Test DS"));
    assert_eq!(&doc.issuer.key, s.issuer.signer.public_key());
    assert_eq!(&doc.device_key, s.holder.public_key());
    assert_eq!(doc.validity, validity(NOW - DAY, NOW + 365 * DAY));
    assert_eq!(
        doc.issuer_signed_json(),
        json!({
            ISO_NS: {"family_name": "Haddad", "birth_date": "1990-05-01", "age_over_18": true},
            EXTRA_NS: {"case_number": "UT-2025-0042"}
        })
    );
    assert_eq!(
        doc.element(ISO_NS, "birth_date"),
        Some(&CborValue::Tag(
            1004,
            Box::new(CborValue::Text("1990-05-01".into()))
        ))
    );
    // Nothing beyond the selection travels.
    assert!(!contains(&s.response, b"Amal"));
    assert!(!contains(&s.response, b"given_name"));
    assert!(!contains(&s.response, b"portrait"));
    assert!(doc.device_signed.is_empty());
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn stored_credential_round_trips_and_checks_on_import() {
    let s = setup();
    let again = IssuedMdoc::from_bytes(s.credential.as_bytes()).unwrap();
    assert_eq!(again, s.credential);
    let bare = IssuedMdoc::from_bytes(s.credential.issuer_signed_bytes()).unwrap();
    assert_eq!(bare, s.credential);
    assert_eq!(s.credential.elements().len(), 9);
    assert_eq!(
        s.credential
            .data_elements()
            .unwrap()
            .get(ISO_NS, "given_name"),
        Some(&CborValue::Text("Amal".into()))
    );
    let checked = s.credential.verify(&s.anchors, NOW).unwrap();
    assert_eq!(checked.issuer.trust, IssuerTrust::Trusted);
    assert_eq!(
        checked
            .issuer_signed
            .iter()
            .map(|n| n.elements.len())
            .sum::<usize>(),
        9
    );
    let unknown = s.credential.verify(&TrustAnchors::new(), NOW).unwrap();
    assert_eq!(unknown.issuer.trust, IssuerTrust::Untrusted);
    // Debug output names elements, never values.
    assert!(!format!("{:?}", s.credential).contains("Haddad"));
    assert!(!format!("{checked:?}").contains("Haddad"));
}

#[test]
fn several_documents_and_empty_disclosure() {
    let s = setup();
    let other_holder = SigningKey::generate().unwrap();
    let second = issue_for(&s.issuer, &other_holder, validity(NOW - DAY, NOW + DAY));
    let chosen = selection();
    let response = mdoc::present(
        &[
            Disclosure {
                credential: &s.credential,
                elements: &chosen,
                device_signer: &s.holder,
            },
            Disclosure {
                credential: &second,
                elements: &[],
                device_signer: &other_holder,
            },
        ],
        &s.transcript,
    )
    .unwrap();
    let docs = s.verify(&response).unwrap();
    assert_eq!(docs.len(), 2);
    assert!(docs[1].issuer_signed.is_empty());
    assert_eq!(&docs[1].device_key, other_holder.public_key());
}

#[test]
fn self_signed_issuer_and_key_only_trust() {
    let issuer_key = SigningKey::generate().unwrap();
    let holder = SigningKey::generate().unwrap();
    let transcript = transcript();
    let request = |certificate: Option<Vec<u8>>| IssueRequest {
        doc_type: MDL.into(),
        elements: elements(),
        device_key: holder.public_key().clone(),
        validity: validity(NOW - DAY, NOW + DAY),
        issuer_certificate: certificate,
        status: None,
    };
    let cert = self_signed_certificate(&issuer_key, "Field issuer", NOW - DAY, 30).unwrap();
    for certificate in [Some(cert.clone()), None] {
        let credential = mdoc::issue(&request(certificate.clone()), &issuer_key).unwrap();
        let response = mdoc::present(
            &[Disclosure {
                credential: &credential,
                elements: &selection(),
                device_signer: &holder,
            }],
            &transcript,
        )
        .unwrap();
        let verify = |anchors: &TrustAnchors| {
            verify_device_response(
                &response,
                &VerifyOptions {
                    now: NOW,
                    trust_anchors: anchors,
                    session_transcript: &transcript,
                    expected_doc_type: None,
                    reader_key: None,
                    holder_high_s: HighS::Refuse,
                },
            )
        };
        let by_key = TrustAnchors::new().with_key(issuer_key.public_key().clone());
        let by_cert = TrustAnchors::new().with_certificate(Certificate::from_der(&cert).unwrap());
        let docs = verify(&by_key).unwrap();
        assert_eq!(docs[0].issuer.certificate.is_some(), certificate.is_some());
        assert!(verify(&by_cert).is_ok());
        let stranger =
            TrustAnchors::new().with_key(SigningKey::generate().unwrap().public_key().clone());
        assert_eq!(verify(&stranger), Err(MdocError::UntrustedIssuer));
    }
}

// ---- every negative ----

#[test]
fn wrong_transcript() {
    let s = setup();
    for other in [
        SessionTranscript::openid4vp(
            "x509_san_dns:verifier.example",
            "nonce-124",
            Some(&[7u8; 32]),
            "https://verifier.example/response",
        )
        .unwrap(),
        SessionTranscript::openid4vp(
            "x509_san_dns:verifier.example",
            "nonce-123",
            None,
            "https://verifier.example/response",
        )
        .unwrap(),
        SessionTranscript::openid4vp(
            "x509_san_dns:evil.example",
            "nonce-123",
            Some(&[7u8; 32]),
            "https://verifier.example/response",
        )
        .unwrap(),
    ] {
        let options = VerifyOptions {
            session_transcript: &other,
            ..s.options()
        };
        assert_eq!(
            verify_device_response(&s.response, &options),
            Err(MdocError::BadDeviceSignature)
        );
    }
}

#[test]
fn tampered_item() {
    let s = setup();
    let mut bytes = s.response.clone();
    let at = bytes.windows(6).position(|w| w == b"Haddad").unwrap();
    bytes[at] = b'M';
    let err = s.verify(&bytes).unwrap_err();
    assert_eq!(
        err,
        MdocError::DigestMismatch {
            namespace: ISO_NS.into(),
            element: "family_name".into()
        }
    );
    assert!(
        !err.to_string().contains("addad"),
        "the message leaks the value"
    );
    assert_eq!(err.code(), "digest_mismatch");

    // An item moved to the other namespace has no digest there.
    let moved = edit(&s.response, |r| {
        let ns = field(field(first_document(r), "issuerSigned"), "nameSpaces");
        let CborValue::Array(iso) = field(ns, ISO_NS).clone() else {
            panic!()
        };
        let CborValue::Array(extra) = field(ns, EXTRA_NS) else {
            panic!()
        };
        extra.push(iso[0].clone());
    });
    assert!(matches!(
        s.verify(&moved),
        Err(MdocError::MissingDigest { .. } | MdocError::DigestMismatch { .. })
    ));
}

#[test]
fn wrong_issuer_key() {
    let s = setup();
    // x5chain swapped for a certificate of another key from the same root: the signature
    // no longer verifies with the certificate's key.
    let impostor = SigningKey::generate().unwrap();
    let root_less = issue_certificate(
        impostor.public_key(),
        "Test DS",
        NOW - DAY,
        30,
        &SigningKey::generate().unwrap(),
        "Test IACA",
    )
    .unwrap();
    let swapped = edit(&s.response, |r| {
        let CborValue::Map(unprotected) = cose_part(issuer_auth(r), 1) else {
            panic!()
        };
        unprotected[0].1 = CborValue::Bytes(root_less.clone());
    });
    assert_eq!(s.verify(&swapped), Err(MdocError::BadIssuerSignature));

    // The MSO signed by another key under the genuine certificate.
    let forged = mdoc::issue(
        &IssueRequest {
            doc_type: MDL.into(),
            elements: elements(),
            device_key: s.holder.public_key().clone(),
            validity: validity(NOW - DAY, NOW + DAY),
            issuer_certificate: None,
            status: None,
        },
        &impostor,
    )
    .unwrap();
    let forged_response = mdoc::present(
        &[Disclosure {
            credential: &forged,
            elements: &selection(),
            device_signer: &s.holder,
        }],
        &s.transcript,
    )
    .unwrap();
    let with_genuine_cert = edit(&forged_response, |r| {
        *cose_part(issuer_auth(r), 1) = CborValue::Map(vec![(
            CborValue::Integer(33.into()),
            CborValue::Bytes(s.issuer.signer_cert.clone()),
        )]);
    });
    assert_eq!(
        s.verify(&with_genuine_cert),
        Err(MdocError::BadIssuerSignature)
    );
    // Without x5chain, no anchor key verifies it.
    assert_eq!(s.verify(&forged_response), Err(MdocError::UntrustedIssuer));
}

#[test]
fn untrusted_certificate() {
    let s = setup();
    let other_root_key = SigningKey::generate().unwrap();
    let other_root = self_signed_certificate(&other_root_key, "Test IACA", NOW - DAY, 10).unwrap();
    let anchors = TrustAnchors::new().with_certificate(Certificate::from_der(&other_root).unwrap());
    let options = VerifyOptions {
        trust_anchors: &anchors,
        ..s.options()
    };
    assert_eq!(
        verify_device_response(&s.response, &options),
        Err(MdocError::UntrustedIssuer)
    );
    let empty = TrustAnchors::new();
    let options = VerifyOptions {
        trust_anchors: &empty,
        ..s.options()
    };
    assert_eq!(
        verify_device_response(&s.response, &options),
        Err(MdocError::UntrustedIssuer)
    );
}

#[test]
fn expired_and_not_yet_valid() {
    let s = setup();
    let at = |now: i64| verify_device_response(&s.response, &VerifyOptions { now, ..s.options() });
    assert_eq!(
        at(NOW + 366 * DAY),
        Err(MdocError::Expired(ValidityScope::Credential))
    );
    assert_eq!(
        at(NOW - 2 * DAY),
        Err(MdocError::NotYetValid(ValidityScope::Credential))
    );
    assert_eq!(
        at(NOW + 701 * DAY),
        Err(MdocError::Expired(ValidityScope::IssuerCertificate))
    );
    assert_eq!(
        at(NOW - 31 * DAY),
        Err(MdocError::NotYetValid(ValidityScope::IssuerCertificate))
    );
    assert!(at(NOW + 365 * DAY).is_ok());
    assert!(at(NOW - DAY).is_ok());

    // A credential valid only in the future.
    let future = issue_for(&s.issuer, &s.holder, validity(NOW + DAY, NOW + 2 * DAY));
    let response = mdoc::present(
        &[Disclosure {
            credential: &future,
            elements: &[],
            device_signer: &s.holder,
        }],
        &s.transcript,
    )
    .unwrap();
    assert_eq!(
        s.verify(&response),
        Err(MdocError::NotYetValid(ValidityScope::Credential))
    );
}

#[test]
fn wrong_doc_type() {
    let s = setup();
    let options = VerifyOptions {
        expected_doc_type: Some("eu.europa.ec.eudi.pid.1"),
        ..s.options()
    };
    assert_eq!(
        verify_device_response(&s.response, &options),
        Err(MdocError::DocTypeMismatch {
            expected: "eu.europa.ec.eudi.pid.1".into(),
            found: MDL.into()
        })
    );
    // The document claims another docType than its MSO.
    let relabelled = edit(&s.response, |r| {
        *field(first_document(r), "docType") = CborValue::Text("eu.europa.ec.eudi.pid.1".into());
    });
    let options = VerifyOptions {
        expected_doc_type: None,
        ..s.options()
    };
    assert!(matches!(
        verify_device_response(&relabelled, &options),
        Err(MdocError::DocTypeMismatch { .. })
    ));
}

#[test]
fn malformed_cbor() {
    let s = setup();
    for bad in [
        &[][..],
        &[0xff][..],
        &s.response[..s.response.len() - 1],
        &s.response[1..],
        b"{\"version\":\"1.0\"}",
    ] {
        assert!(
            matches!(s.verify(bad), Err(MdocError::Malformed(_))),
            "{bad:?}"
        );
    }
    let mut trailing = s.response.clone();
    trailing.push(0);
    assert!(matches!(s.verify(&trailing), Err(MdocError::Malformed(_))));
    let no_documents = edit(&s.response, |r| remove_field(r, "documents"));
    assert_eq!(s.verify(&no_documents), Err(MdocError::NoDocuments));
    let status = edit(&s.response, |r| {
        *field(r, "status") = CborValue::Integer(10.into())
    });
    assert_eq!(s.verify(&status), Err(MdocError::ResponseStatus(10)));
    let version = edit(&s.response, |r| {
        *field(r, "version") = CborValue::Text("2.0".into())
    });
    assert_eq!(s.verify(&version), Err(MdocError::UnsupportedVersion));
    let no_device = edit(&s.response, |r| {
        remove_field(first_document(r), "deviceSigned")
    });
    assert_eq!(s.verify(&no_device), Err(MdocError::MissingDeviceAuth));
    let no_auth = edit(&s.response, |r| {
        remove_field(
            field(field(first_document(r), "deviceSigned"), "deviceAuth"),
            "deviceSignature",
        )
    });
    assert_eq!(s.verify(&no_auth), Err(MdocError::MissingDeviceAuth));
    let item_not_embedded = edit(&s.response, |r| {
        let ns = field(field(first_document(r), "issuerSigned"), "nameSpaces");
        let CborValue::Array(items) = field(ns, ISO_NS) else {
            panic!()
        };
        let CborValue::Tag(24, inner) = items[0].clone() else {
            panic!()
        };
        items[0] = *inner;
    });
    assert!(matches!(
        s.verify(&item_not_embedded),
        Err(MdocError::Malformed(_))
    ));
    assert!(matches!(
        IssuedMdoc::from_bytes(&[0xa1, 0x61, 0x61, 0x01]),
        Err(MdocError::Malformed(_))
    ));
    assert!(SessionTranscript::from_bytes(&[0x83, 0xf6]).is_err());
}

#[test]
fn oversized_input() {
    let s = setup();
    let mut big = s.response.clone();
    big.resize(MAX_INPUT_BYTES + 1, 0);
    assert_eq!(s.verify(&big), Err(MdocError::TooLarge(Limit::Bytes)));
    assert_eq!(
        IssuedMdoc::from_bytes(&big),
        Err(MdocError::TooLarge(Limit::Bytes))
    );
    // Deep nesting inside an element value.
    let mut deep = CborValue::Null;
    for _ in 0..40 {
        deep = CborValue::Array(vec![deep]);
    }
    let mut elements = DataElements::new();
    elements.insert(ISO_NS, "deep", deep);
    let holder = SigningKey::generate().unwrap();
    let deep_issue = mdoc::issue(
        &IssueRequest {
            doc_type: MDL.into(),
            elements,
            device_key: holder.public_key().clone(),
            validity: validity(NOW, NOW + DAY),
            issuer_certificate: None,
            status: None,
        },
        &s.issuer.signer,
    );
    assert_eq!(
        deep_issue.unwrap_err(),
        MdocError::TooLarge(Limit::NestingDepth)
    );
}

#[test]
fn unsupported_algorithm_in_cose_headers() {
    let s = setup();
    // ES384 is an issuer algorithm now (issue 13), but not this P-256 key's: the header
    // names one algorithm and the signature is by another.
    let es384 = edit(&s.response, |r| set_alg(issuer_auth(r), -35));
    assert_eq!(s.verify(&es384).unwrap_err(), MdocError::BadIssuerSignature);
    for alg in [-36, -37, 5, -257] {
        let other = edit(&s.response, |r| set_alg(issuer_auth(r), alg));
        assert!(matches!(
            s.verify(&other),
            Err(MdocError::UnsupportedAlgorithm(m)) if m.contains(&alg.to_string())
        ));
    }
    let eddsa_device = edit(&s.response, |r| set_alg(device_signature(r), -8));
    assert!(matches!(
        s.verify(&eddsa_device),
        Err(MdocError::UnsupportedAlgorithm(_))
    ));
    // An x5chain certificate with a P-384 key under an ES256 header (the key's algorithm is
    // not the header's), and one that is not a certificate.
    let p384 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
    let p384_cert = rcgen::CertificateParams::new(vec!["issuer.example".into()])
        .unwrap()
        .self_signed(&p384)
        .unwrap();
    for (cert, p384) in [
        (p384_cert.der().to_vec(), true),
        (vec![0x30, 0x03, 0x02, 0x01, 0x01], false),
    ] {
        let swapped = edit(&s.response, |r| {
            *cose_part(issuer_auth(r), 1) = CborValue::Map(vec![(
                CborValue::Integer(33.into()),
                CborValue::Array(vec![CborValue::Bytes(cert.clone())]),
            )]);
        });
        let result = s.verify(&swapped);
        if p384 {
            assert_eq!(result.unwrap_err(), MdocError::BadIssuerSignature);
        } else {
            assert!(matches!(result, Err(MdocError::Malformed(_))), "{result:?}");
        }
    }
    let no_alg = edit(&s.response, |r| {
        *cose_part(issuer_auth(r), 0) = CborValue::Bytes(Vec::new());
    });
    assert!(matches!(
        s.verify(&no_alg),
        Err(MdocError::UnsupportedAlgorithm(_))
    ));
}

#[test]
fn holder_side_errors() {
    let s = setup();
    let stranger = SigningKey::generate().unwrap();
    let present = |elements: &[ElementRef], signer: &SigningKey| {
        mdoc::present(
            &[Disclosure {
                credential: &s.credential,
                elements,
                device_signer: signer,
            }],
            &s.transcript,
        )
    };
    assert_eq!(
        present(&selection(), &stranger),
        Err(MdocError::DeviceKeyMismatch)
    );
    assert_eq!(
        present(&[ElementRef::new(ISO_NS, "height")], &s.holder),
        Err(MdocError::ElementNotFound {
            namespace: ISO_NS.into(),
            element: "height".into()
        })
    );
    assert!(matches!(
        mdoc::present(&[], &s.transcript),
        Err(MdocError::InvalidInput(_))
    ));
    // Repeated choices are harmless.
    let twice = [selection(), selection()].concat();
    let response = present(&twice, &s.holder).unwrap();
    assert_eq!(
        s.verify(&response).unwrap()[0].issuer_signed_json(),
        s.verify(&s.response).unwrap()[0].issuer_signed_json()
    );
}

#[test]
fn issuer_side_errors() {
    let s = setup();
    let base = IssueRequest {
        doc_type: MDL.into(),
        elements: elements(),
        device_key: s.holder.public_key().clone(),
        validity: validity(NOW, NOW + DAY),
        issuer_certificate: Some(s.issuer.signer_cert.clone()),
        status: None,
    };
    let backwards = IssueRequest {
        validity: validity(NOW + DAY, NOW),
        ..base.clone()
    };
    assert!(matches!(
        mdoc::issue(&backwards, &s.issuer.signer),
        Err(MdocError::InvalidInput(_))
    ));
    let wrong_signer = SigningKey::generate().unwrap();
    assert!(matches!(
        mdoc::issue(&base, &wrong_signer),
        Err(MdocError::InvalidInput(_))
    ));
    let empty = IssueRequest {
        elements: DataElements::new(),
        ..base.clone()
    };
    assert!(matches!(
        mdoc::issue(&empty, &s.issuer.signer),
        Err(MdocError::InvalidInput(_))
    ));
    let no_type = IssueRequest {
        doc_type: String::new(),
        ..base.clone()
    };
    assert!(matches!(
        mdoc::issue(&no_type, &s.issuer.signer),
        Err(MdocError::InvalidInput(_))
    ));
    let bad_cert = IssueRequest {
        issuer_certificate: Some(vec![0x30, 0x00]),
        ..base
    };
    assert!(matches!(
        mdoc::issue(&bad_cert, &s.issuer.signer),
        Err(MdocError::Certificate(_))
    ));
}

// ---- property tests ----

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        (-1e12f64..1e12).prop_map(serde_json::Value::from),
        "\\PC{0,24}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_elements_survive_issue_present_verify(
        values in proptest::collection::btree_map("[a-z_]{1,16}", arb_json(), 1..6),
        keep in proptest::collection::vec(any::<bool>(), 6),
        nonce in "[A-Za-z0-9_-]{1,40}",
        client in "\\PC{1,40}",
    ) {
        let issuer = SigningKey::generate().unwrap();
        let holder = SigningKey::generate().unwrap();
        let object = serde_json::Value::Object(values.clone().into_iter().collect());
        let mut elements = DataElements::new();
        elements.insert_json(EXTRA_NS, &object, &[]).unwrap();
        let credential = mdoc::issue(
            &IssueRequest {
                doc_type: "org.example.doc".into(),
                elements,
                device_key: holder.public_key().clone(),
                validity: validity(NOW, NOW + DAY),
                issuer_certificate: None,
                status: None,
            },
            &issuer,
        ).unwrap();
        prop_assert_eq!(&IssuedMdoc::from_bytes(credential.as_bytes()).unwrap(), &credential);

        let chosen: Vec<ElementRef> = values
            .keys()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(id, _)| ElementRef::new(EXTRA_NS, id))
            .collect();
        let transcript = SessionTranscript::openid4vp(&client, &nonce, None, "https://v.example/r").unwrap();
        prop_assert_eq!(
            &SessionTranscript::from_bytes(transcript.as_bytes()).unwrap(),
            &transcript
        );
        let response = mdoc::present(
            &[Disclosure { credential: &credential, elements: &chosen, device_signer: &holder }],
            &transcript,
        ).unwrap();
        let anchors = TrustAnchors::new().with_key(issuer.public_key().clone());
        let docs = verify_device_response(&response, &VerifyOptions {
            now: NOW,
            trust_anchors: &anchors,
            session_transcript: &transcript,
            expected_doc_type: Some("org.example.doc"),
            reader_key: None,
            holder_high_s: HighS::Refuse,
        }).unwrap();
        let expected: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|((id, v), _)| (id.clone(), v.clone()))
            .collect();
        let got = docs[0].issuer_signed_json();
        if expected.is_empty() {
            prop_assert_eq!(got, json!({}));
        } else {
            prop_assert_eq!(got, json!({ EXTRA_NS: expected }));
        }
    }
}

// ---- fuzz-style robustness ----

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            break;
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = rng.next() as u8,
            2 => out.truncate(at),
            3 => {
                out.remove(at);
            }
            4 => out.insert(at, rng.next() as u8),
            // Interesting CBOR bytes: indefinite lengths, breaks, big lengths, tags.
            _ => {
                out[at] =
                    [0x1b, 0x5b, 0x7f, 0x9f, 0xbf, 0xff, 0xd8, 0x18, 0xf6, 0x00][rng.below(10)]
            }
        }
    }
    out
}

/// A seed input with the verification context under which it is valid.
struct Seed {
    bytes: Vec<u8>,
    anchors: TrustAnchors,
    transcript: SessionTranscript,
    reader: Option<mdoc::ReaderPrivateKey>,
    now: i64,
}

/// The published vectors' DeviceResponses; none (after a counted skip line, or a failure
/// under CI) without the vectors folder.
fn vector_seeds() -> Vec<Seed> {
    let Some(dir) = laissez_test_support::shared_data("vectors/mdoc") else {
        return Vec::new();
    };
    let read = |file: &str| {
        let path = dir.join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let hex_of = |file: &str| hex::decode(read(file).trim()).unwrap();
    let cert_of = |file: &str| Certificate::from_pem(&read(file)).unwrap();
    let keys: serde_json::Value =
        serde_json::from_str(&read("iso18013-5-annex-d/keys.json")).unwrap();
    let d: [u8; 32] = hex::decode(keys["EReaderKey"]["d"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    vec![
        Seed {
            bytes: hex_of("iso18013-5-annex-d/device_response.hex"),
            anchors: TrustAnchors::new()
                .with_certificate(cert_of("iso18013-5-annex-d/iaca_cert.pem")),
            transcript: SessionTranscript::from_bytes(&hex_of(
                "iso18013-5-annex-d/session_transcript_bytes.hex",
            ))
            .unwrap(),
            reader: mdoc::ReaderPrivateKey::from_scalar(&d),
            now: 1_609_459_200,
        },
        Seed {
            bytes: hex_of("auth0-mdl/example4_device_response_with_device_signed_items.hex"),
            anchors: TrustAnchors::new().with_certificate(cert_of("auth0-mdl/issuer_cert.pem")),
            transcript: SessionTranscript::from_bytes(&hex_of(
                "auth0-mdl/session_transcript_bytes.hex",
            ))
            .unwrap(),
            reader: None,
            now: 1_704_067_200,
        },
    ]
}

#[test]
fn mutated_responses_never_panic() {
    let s = setup();
    let mut seeds = vec![
        Seed {
            bytes: s.response.clone(),
            anchors: s.anchors.clone(),
            transcript: s.transcript.clone(),
            reader: None,
            now: NOW,
        },
        Seed {
            bytes: s.credential.as_bytes().to_vec(),
            anchors: s.anchors.clone(),
            transcript: s.transcript.clone(),
            reader: None,
            now: NOW,
        },
    ];
    seeds.extend(vector_seeds());
    for (i, seed) in seeds.iter().enumerate() {
        // Seed 1 is a stored credential, not a DeviceResponse.
        assert_eq!(verify_seed(seed, &seed.bytes).is_ok(), i != 1, "seed {i}");
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    let rounds = 4_000;
    for round in 0..rounds {
        let seed = &seeds[round % seeds.len()];
        let input = mutate(&mut rng, &seed.bytes);
        if input != seed.bytes && verify_seed(seed, &input).is_ok() {
            accepted += 1;
            if std::env::var_os("MDOC_FUZZ_SHOW").is_some() {
                let at = input.iter().zip(&seed.bytes).position(|(a, b)| a != b);
                println!(
                    "accepted: seed {} len {} -> {}, first difference at {at:?}",
                    round % seeds.len(),
                    seed.bytes.len(),
                    input.len()
                );
            }
        }
        let _ = IssuedMdoc::from_bytes(&input);
        let _ = SessionTranscript::from_bytes(&input);
    }
    println!(
        "{rounds} mutated inputs from {} seeds, {accepted} still verified",
        seeds.len()
    );
    // Only bytes outside every digest and signature may change and still verify: e.g. a
    // corrupted "nameSpaces" key makes an unknown (ignored) key, leaving fewer disclosed
    // elements, which is harmless. Set MDOC_FUZZ_SHOW=1 to list them.
    assert!(
        accepted < rounds / 50,
        "{accepted} mutated responses accepted"
    );
}

fn verify_seed(seed: &Seed, input: &[u8]) -> Result<Vec<VerifiedDocument>, MdocError> {
    verify_device_response(
        input,
        &VerifyOptions {
            now: seed.now,
            trust_anchors: &seed.anchors,
            session_transcript: &seed.transcript,
            expected_doc_type: None,
            reader_key: seed.reader.as_ref(),
            // The seeds include published responses, some with high-S device signatures.
            holder_high_s: HighS::Accept,
        },
    )
}
