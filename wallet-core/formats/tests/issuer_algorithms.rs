//! Issuer algorithms (issue 13): ES256, ES384 and EdDSA issuers, each through every format
//! (SD-JWT VC, mdoc, status lists, certificates), issue → present → verify; a header naming
//! another algorithm and unsupported algorithms refused with their typed reasons; both SD-JWT
//! VC `typ` values accepted. Holders stay P-256.
#![cfg(feature = "issue")]
#![allow(clippy::unwrap_used)]

use laissez_crypto::ecdsa::{Es256Signer, HighS, SigningKey};
use laissez_crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use laissez_formats::jose::{IssuerJwk, JwsHeader, SignedJwt, base64url};
use laissez_formats::mdoc::{
    self, DataElements, ElementRef, IssueRequest as MdocRequest, SessionTranscript, TrustAnchors,
    ValidityInfo,
};
use laissez_formats::sdjwt::{
    self, ClaimPath, IssueRequest, KeyBindingRequest, SdJwtError, VerifyOptions,
};
use laissez_formats::status_list::{StatusList, StatusListBuilder, StatusListError};
use laissez_formats::x509::{Certificate, issue_certificate, self_signed_certificate};
use serde_json::json;

const NOW: i64 = 1_760_000_000;

fn sd_jwt_request(holder: &SigningKey) -> IssueRequest {
    let claims = json!({"given_name": "Amina", "nationality": "SD"});
    let mut r = IssueRequest::new(
        "urn:example:registration:1",
        "https://issuer.example",
        NOW - 10,
        claims.as_object().cloned().unwrap(),
    );
    r.holder_key = Some(holder.verifying_key());
    r.selectively_disclosable = vec![ClaimPath::key("given_name")];
    r
}

fn presented(
    issued: &str,
    holder: &SigningKey,
    keys: &[laissez_crypto::issuer_key::IssuerKey],
) -> String {
    let (sd, _) = sdjwt::import_issued(issued, keys, &sdjwt::Validation::sd_jwt_vc(NOW)).unwrap();
    let request = KeyBindingRequest {
        nonce: "n".into(),
        audience: "a".into(),
        issued_at: NOW,
    };
    sdjwt::present(&sd, &[ClaimPath::key("given_name")], &request, holder).unwrap()
}

#[test]
fn sd_jwt_vc_round_trip_for_each_algorithm() {
    for alg in SignatureAlgorithm::ALL {
        let issuer = IssuerSigningKey::generate(alg).unwrap();
        let holder = SigningKey::generate().unwrap();
        let issued = sdjwt::issue(&sd_jwt_request(&holder), &issuer)
            .unwrap()
            .to_compact();
        assert_eq!(
            issued
                .split('.')
                .next()
                .map(|h| base64url::decode(h).unwrap()),
            Some(serde_json::to_vec(&json!({"alg": alg.jose_name(), "typ": "dc+sd-jwt"})).unwrap()),
            "{alg}"
        );
        let keys = [issuer.issuer_key()];
        let shown = presented(&issued, &holder, &keys);
        let verified =
            sdjwt::verify_presentation(&shown, &keys, &VerifyOptions::new("n", "a", NOW)).unwrap();
        assert_eq!(verified.credential.claims["given_name"], "Amina", "{alg}");
        // Trusting only keys of the other algorithms: refused.
        let others: Vec<_> = SignatureAlgorithm::ALL
            .into_iter()
            .filter(|a| *a != alg)
            .map(|a| IssuerSigningKey::generate(a).unwrap().issuer_key())
            .collect();
        assert_eq!(
            sdjwt::verify_presentation(&shown, &others, &VerifyOptions::new("n", "a", NOW))
                .unwrap_err(),
            SdJwtError::BadIssuerSignature,
            "{alg}"
        );
        // The key travels in a trust list as a JWK and back.
        let jwk =
            IssuerJwk::from_json(&IssuerJwk::from_issuer_key(keys[0].clone()).to_json()).unwrap();
        assert_eq!(jwk.issuer_key(), &keys[0]);
    }
}

/// Re-signs an SD-JWT's Issuer-signed JWT under `header` (claims kept), then re-attaches the
/// Disclosures: what a foreign issuer with another header would send.
fn reissued_with_header(
    issued: &str,
    header: serde_json::Value,
    issuer: &dyn IssuerSigner,
) -> String {
    let (jwt, rest) = issued.split_once('~').unwrap();
    let payload_b64 = jwt.split('.').nth(1).unwrap();
    let input = format!(
        "{}.{payload_b64}",
        base64url::encode(&serde_json::to_vec(&header).unwrap())
    );
    let sig = issuer.sign_message(input.as_bytes()).unwrap();
    format!("{input}.{}~{rest}", base64url::encode(&sig))
}

#[test]
fn both_typ_values_are_accepted_and_others_refused() {
    let issuer = IssuerSigningKey::generate(SignatureAlgorithm::Es384).unwrap();
    let holder = SigningKey::generate().unwrap();
    let issued = sdjwt::issue(&sd_jwt_request(&holder), &issuer)
        .unwrap()
        .to_compact();
    let keys = [issuer.issuer_key()];
    for (typ, ok) in [
        ("dc+sd-jwt", true),
        ("vc+sd-jwt", true),
        ("JWT", false),
        ("sd-jwt", false),
        ("vc+sd-jwt+x", false),
    ] {
        let text = reissued_with_header(&issued, json!({"alg": "ES384", "typ": typ}), &issuer);
        let result = sdjwt::import_issued(&text, &keys, &sdjwt::Validation::sd_jwt_vc(NOW));
        assert_eq!(result.is_ok(), ok, "{typ}");
        if !ok {
            assert!(
                matches!(result.unwrap_err(), SdJwtError::WrongType { .. }),
                "{typ}"
            );
        }
    }
}

#[test]
fn a_header_naming_another_algorithm_and_unsupported_algorithms_are_refused() {
    let holder = SigningKey::generate().unwrap();
    // An Ed25519 signature (64 bytes, like ES256) under a header saying ES256, with both keys
    // trusted: no key verifies it under ES256.
    let ed = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let p256 = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let issued = sdjwt::issue(&sd_jwt_request(&holder), &ed)
        .unwrap()
        .to_compact();
    let keys = [ed.issuer_key(), p256.issuer_key()];
    let relabelled =
        reissued_with_header(&issued, json!({"alg": "ES256", "typ": "dc+sd-jwt"}), &ed);
    assert_eq!(
        sdjwt::import_issued(&relabelled, &keys, &sdjwt::Validation::sd_jwt_vc(NOW)).unwrap_err(),
        SdJwtError::BadIssuerSignature
    );
    // An ES384 header over a 64-byte signature: malformed at parsing.
    let relabelled =
        reissued_with_header(&issued, json!({"alg": "ES384", "typ": "dc+sd-jwt"}), &ed);
    assert!(matches!(
        sdjwt::import_issued(&relabelled, &keys, &sdjwt::Validation::sd_jwt_vc(NOW)).unwrap_err(),
        SdJwtError::Malformed { .. }
    ));
    for alg in ["none", "HS256", "RS256", "PS384", "ES512", "Ed25519"] {
        let text = reissued_with_header(&issued, json!({"alg": alg, "typ": "dc+sd-jwt"}), &ed);
        assert_eq!(
            sdjwt::import_issued(&text, &keys, &sdjwt::Validation::sd_jwt_vc(NOW)).unwrap_err(),
            SdJwtError::UnsupportedAlgorithm {
                part: sdjwt::Part::IssuerJwt,
                alg: alg.into()
            },
            "{alg}"
        );
    }
}

#[test]
fn a_key_binding_jwt_must_be_es256() {
    let issuer = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let holder = SigningKey::generate().unwrap();
    let issued = sdjwt::issue(&sd_jwt_request(&holder), &issuer)
        .unwrap()
        .to_compact();
    let keys = [issuer.issuer_key()];
    let shown = presented(&issued, &holder, &keys);
    let (without_kb, kb) = shown.rsplit_once('~').unwrap();
    let kb = SignedJwt::parse(kb).unwrap();
    // The same claims signed by an Ed25519 key, header EdDSA: refused as an algorithm.
    let ed = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let forged =
        SignedJwt::sign_as_issuer(&JwsHeader::es256().with_typ("kb+jwt"), kb.claims(), &ed)
            .unwrap();
    let text = format!("{without_kb}~{}", forged.as_str());
    assert!(matches!(
        sdjwt::verify_presentation(&text, &keys, &VerifyOptions::new("n", "a", NOW)).unwrap_err(),
        SdJwtError::UnsupportedAlgorithm { alg, .. } if alg == "EdDSA"
    ));
}

#[test]
fn mdoc_round_trip_for_each_algorithm_with_a_chain() {
    for root_alg in SignatureAlgorithm::ALL {
        for signer_alg in SignatureAlgorithm::ALL {
            let root = IssuerSigningKey::generate(root_alg).unwrap();
            let root_der = self_signed_certificate(&root, "Root", NOW - 60, 365).unwrap();
            let signer = IssuerSigningKey::generate(signer_alg).unwrap();
            let signer_der =
                issue_certificate(signer.issuer_key(), "Signer", NOW - 60, 30, &root, "Root")
                    .unwrap();
            let holder = SigningKey::generate().unwrap();
            let mut elements = DataElements::new();
            elements
                .insert_json("org.iso.18013.5.1", &json!({"family_name": "Haddad"}), &[])
                .unwrap();
            let credential = mdoc::issue(
                &MdocRequest {
                    doc_type: "org.iso.18013.5.1.mDL".into(),
                    elements,
                    device_key: holder.public_key().clone(),
                    validity: ValidityInfo {
                        signed: NOW - 10,
                        valid_from: NOW - 10,
                        valid_until: NOW + 86_400,
                        expected_update: None,
                    },
                    issuer_certificate: Some(signer_der.clone()),
                    status: None,
                },
                &signer,
            )
            .unwrap();
            let transcript = SessionTranscript::openid4vp(
                "x509_san_dns:verifier.example",
                "nonce",
                None,
                "https://verifier.example/post",
            )
            .unwrap();
            let chosen = [ElementRef::new("org.iso.18013.5.1", "family_name")];
            let response = mdoc::present(
                &[mdoc::Disclosure {
                    credential: &credential,
                    elements: &chosen,
                    device_signer: &holder,
                }],
                &transcript,
            )
            .unwrap();
            let root_cert = Certificate::from_der(&root_der).unwrap();
            let options = |anchors| mdoc::VerifyOptions {
                now: NOW,
                trust_anchors: anchors,
                session_transcript: &transcript,
                expected_doc_type: Some("org.iso.18013.5.1.mDL"),
                reader_key: None,
                holder_high_s: HighS::Refuse,
            };
            // Pinned signer key (no chain walk), and the signer's certificate as an anchor.
            let by_key = TrustAnchors::new().with_key(signer.issuer_key());
            let documents = mdoc::verify_device_response(&response, &options(&by_key)).unwrap();
            assert_eq!(documents[0].issuer.key, signer.issuer_key());
            let by_cert =
                TrustAnchors::new().with_certificate(Certificate::from_der(&signer_der).unwrap());
            assert!(mdoc::verify_device_response(&response, &options(&by_cert)).is_ok());
            // The root as the anchor: the signer's certificate, signed by the root with the
            // root's algorithm, leads there.
            let by_root = TrustAnchors::new().with_certificate(root_cert);
            assert!(
                mdoc::verify_device_response(&response, &options(&by_root)).is_ok(),
                "{root_alg}/{signer_alg}"
            );
            // Another key of the same algorithm: untrusted.
            let stranger = TrustAnchors::new()
                .with_key(IssuerSigningKey::generate(signer_alg).unwrap().issuer_key());
            assert!(
                mdoc::verify_device_response(&response, &options(&stranger)).is_err(),
                "{root_alg}/{signer_alg}"
            );
        }
    }
}

#[test]
fn status_list_tokens_for_each_algorithm() {
    let mut builder = StatusListBuilder::new(1, 16).unwrap();
    builder.set(3, 1).unwrap();
    for alg in SignatureAlgorithm::ALL {
        let key = IssuerSigningKey::generate(alg).unwrap();
        let uri = "https://status.example/1";
        let jwt = builder
            .to_jwt(uri, NOW - 10, Some(NOW + 3600), None, &key)
            .unwrap();
        let cwt = builder
            .to_cwt(uri, NOW - 10, Some(NOW + 3600), None, &key)
            .unwrap();
        let list = StatusList::from_jwt(&jwt, key.issuer_key(), NOW).unwrap();
        assert_ne!(list.status(3).unwrap(), list.status(2).unwrap(), "{alg}");
        assert_eq!(
            StatusList::from_cwt(&cwt, key.issuer_key(), NOW)
                .unwrap()
                .bytes,
            list.bytes
        );
        for other in SignatureAlgorithm::ALL.into_iter().filter(|a| *a != alg) {
            let wrong = IssuerSigningKey::generate(other).unwrap().issuer_key();
            assert_eq!(
                StatusList::from_jwt(&jwt, &wrong, NOW).unwrap_err(),
                StatusListError::UnsupportedAlgorithm,
                "{alg} token, {other} key"
            );
            assert_eq!(
                StatusList::from_cwt(&cwt, &wrong, NOW).unwrap_err(),
                StatusListError::UnsupportedAlgorithm
            );
        }
    }
}
