//! The encodings of every signed or hashed part of a DeviceResponse, checked on bytes: what
//! Laissez writes is preferred everywhere, and the published vectors hold the facts that the
//! rule per part (ADR 0010) rests on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use crate::mdoc::cbor::node::{self, Node};
use crate::mdoc::cbor::preferred::{Rule, check};
use crate::mdoc::error::{MdocError, NonPreferred};

/// Which signed or hashed part some bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// IssuerSignedItemBytes, wrapper and content (digested by the MSO).
    Item,
    /// MobileSecurityObjectBytes, wrapper and content (signed by the issuer).
    Mso,
    /// The content of issuerAuth's protected header.
    IssuerProtected,
    /// DeviceNameSpacesBytes, wrapper and content (signed or MAC'd by the holder).
    DeviceNamespaces,
    /// The content of deviceSignature's or deviceMac's protected header.
    DeviceProtected,
}

/// Every signed or hashed part of every document of a DeviceResponse, as received.
fn signed_parts(response: &[u8]) -> Vec<(Part, Vec<u8>)> {
    let mut parts = Vec::new();
    let root = node::decode(response).unwrap();
    for document in root.get("documents").unwrap().unwrap().as_array().unwrap() {
        let issuer_signed = document.get("issuerSigned").unwrap().unwrap();
        if let Some(namespaces) = issuer_signed.get("nameSpaces").unwrap() {
            for (_, items) in namespaces.as_map().unwrap() {
                for item in items.as_array().unwrap() {
                    parts.push((Part::Item, item.raw.to_vec()));
                    parts.push((Part::Item, item.embedded_cbor().unwrap().to_vec()));
                }
            }
        }
        let auth = cose_parts(issuer_signed.get("issuerAuth").unwrap().unwrap());
        parts.push((Part::IssuerProtected, auth[0].as_bytes().unwrap().to_vec()));
        let payload = auth[2].as_bytes().unwrap();
        parts.push((Part::Mso, payload.to_vec()));
        let mso = node::decode(payload).unwrap();
        parts.push((Part::Mso, mso.embedded_cbor().unwrap().to_vec()));

        let device_signed = document.get("deviceSigned").unwrap().unwrap();
        let namespaces = device_signed.get("nameSpaces").unwrap().unwrap();
        parts.push((Part::DeviceNamespaces, namespaces.raw.to_vec()));
        let content = namespaces.embedded_cbor().unwrap();
        parts.push((Part::DeviceNamespaces, content.to_vec()));
        let device_auth = device_signed.get("deviceAuth").unwrap().unwrap();
        let (_, cose) = &device_auth.as_map().unwrap()[0];
        let protected = cose_parts(cose)[0].as_bytes().unwrap();
        parts.push((Part::DeviceProtected, protected.to_vec()));
    }
    parts
}

/// The four parts of a COSE_Sign1 or COSE_Mac0 (tags 17 and 18 stripped).
fn cose_parts<'a, 'b>(cose: &'b Node<'a>) -> &'b [Node<'a>] {
    let cose = cose.untag(18).or(cose.untag(17)).unwrap_or(cose);
    cose.as_array().unwrap()
}

fn hex_file(path: &Path) -> Vec<u8> {
    hex::decode(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

#[cfg(feature = "issue")]
#[test]
fn laissez_writes_preferred_everywhere() {
    use crate::mdoc::{
        DataElements, Disclosure, ElementRef, IssueRequest, SessionTranscript, ValidityInfo, issue,
        present,
    };
    use crate::x509::self_signed_certificate;
    use laissez_crypto::ecdsa::SigningKey;

    let now = 1_750_000_000;
    let issuer = SigningKey::generate().unwrap();
    let holder = SigningKey::generate().unwrap();
    let mut elements = DataElements::new();
    // Integers of every head size, floats of every width, long text and bytes, nesting.
    elements
        .insert_json(
            "org.iso.18013.5.1",
            &serde_json::json!({
                "family_name": "Haddad".repeat(50),
                "age_in_years": 34,
                "numbers": [0, 23, 24, 255, 256, 65_535, 65_536, 4_294_967_296_u64, -1, -25,
                            -4_294_967_297_i64],
                "floats": [1.0, 1.5, 65_504.0, 100_000.0, 1.1, 5.960_464_477_539_063e-8],
                "driving_privileges": [{"vehicle_category_code": "A"}],
            }),
            &["birth_date"],
        )
        .unwrap();
    elements.insert(
        "org.iso.18013.5.1",
        "portrait",
        ciborium::Value::Bytes(vec![0xff; 70_000]),
    );
    let credential = issue(
        &IssueRequest {
            doc_type: "org.iso.18013.5.1.mDL".into(),
            elements,
            device_key: holder.public_key().clone(),
            validity: ValidityInfo {
                signed: now,
                valid_from: now,
                valid_until: now + 86_400,
                expected_update: Some(now + 3_600),
            },
            issuer_certificate: Some(
                self_signed_certificate(&issuer, "Test issuer", now - 60, 365).unwrap(),
            ),
            status: None,
        },
        &issuer,
    )
    .unwrap();
    check(credential.as_bytes(), Rule::Preferred, "stored credential").unwrap();

    let transcript = SessionTranscript::openid4vp(
        "x509_san_dns:verifier.example",
        "n-0S6_WzA2Mj",
        None,
        "https://verifier.example/post",
    )
    .unwrap();
    check(transcript.tagged_bytes(), Rule::Preferred, "transcript").unwrap();
    let everything: Vec<ElementRef> = credential.elements().to_vec();
    let response = present(
        &[Disclosure {
            credential: &credential,
            elements: &everything,
            device_signer: &holder,
        }],
        &transcript,
    )
    .unwrap();
    check(&response, Rule::Preferred, "DeviceResponse").unwrap();
    let parts = signed_parts(&response);
    for part in [Part::Item, Part::Mso, Part::IssuerProtected] {
        assert!(parts.iter().any(|(p, _)| *p == part), "{part:?} found");
    }
    for (part, bytes) in &parts {
        assert_eq!(check(bytes, Rule::Preferred, "part"), Ok(()), "{part:?}");
    }
}

#[test]
fn published_vectors_fit_the_rule_of_each_part() {
    let Some(dir) = laissez_test_support::shared_data("vectors/mdoc") else {
        return;
    };
    let auth0 = [
        "example1_device_response_full_disclosure.hex",
        "example2_device_response_partial_disclosure.hex",
        "example3_device_response_family_name_tampered.hex",
        "example4_device_response_with_device_signed_items.hex",
    ];
    let mut files: Vec<_> = auth0
        .iter()
        .map(|f| dir.join("auth0-mdl").join(f))
        .collect();
    files.push(dir.join("iso18013-5-annex-d/device_response.hex"));
    for file in &files {
        let is_auth0 = file.to_string_lossy().contains("auth0");
        for (part, bytes) in signed_parts(&hex_file(file)) {
            let preferred = check(&bytes, Rule::Preferred, "part");
            match part {
                // What the holder writes is preferred in every vector: the strict rule
                // costs no interoperability there.
                Part::DeviceNamespaces | Part::DeviceProtected | Part::IssuerProtected => {
                    assert_eq!(preferred, Ok(()), "{file:?} {part:?}");
                }
                // @auth0/mdl writes two-byte map lengths (`b9 0004`) in items and the MSO;
                // Annex D is preferred. No vector has an indefinite length.
                Part::Item | Part::Mso => {
                    assert_eq!(
                        check(&bytes, Rule::DefiniteLengths, "part"),
                        Ok(()),
                        "{file:?} {part:?}"
                    );
                    if !is_auth0 {
                        assert_eq!(preferred, Ok(()), "{file:?} {part:?}");
                    }
                }
            }
        }
        if is_auth0 {
            let longer: Vec<Part> = signed_parts(&hex_file(file))
                .into_iter()
                .filter(|(_, bytes)| {
                    check(bytes, Rule::Preferred, "part")
                        == Err(MdocError::NonPreferredEncoding {
                            what: "part",
                            form: NonPreferred::LongerArgument,
                        })
                })
                .map(|(part, _)| part)
                .collect();
            assert!(longer.contains(&Part::Item), "{file:?}: longer item maps");
            assert!(longer.contains(&Part::Mso), "{file:?}: a longer MSO map");
        }
    }
}
