use super::*;
use crate::exchange::{RequestedClaim, RequestedCredential, request_hash};
use laissez_formats::registration::{Registration, ScopeEntry, certify};

const NOW: i64 = 1_760_000_000;

fn request() -> VerifierRequest {
    VerifierRequest {
        nonce: [7; 16],
        verifier_key: SigningKey::generate().unwrap().public_key().clone(),
        verifier_name: "UNHCR registration".into(),
        purpose: "Registration".into(),
        credentials: vec![RequestedCredential {
            credential_type: "urn:example:registration:1".into(),
            claims: vec![RequestedClaim {
                path: "given_name".into(),
                required: true,
            }],
        }],
        created_at: NOW,
        expires_at: NOW + 300,
        known_certificates: Vec::new(),
    }
}

fn certificate_for(key: &SigningKey) -> Vec<u8> {
    let registrar = SigningKey::generate().unwrap();
    certify(
        &Registration {
            registrar_id: "https://registrar.example".into(),
            verifier_id: "desk-7".into(),
            organisation: "Aid Desk Seven".into(),
            country: "KE".into(),
            purposes: vec!["Registration".into()],
            scope: vec![ScopeEntry {
                credential_type: "urn:example:registration:1".into(),
                claims: vec!["given_name".into()],
            }],
            verifier_key: key.public_key().clone(),
            issued_at: NOW,
            not_before: NOW,
            not_after: NOW + 86_400,
        },
        &registrar,
    )
    .unwrap()
}

#[test]
fn a_request_signed_with_its_certificate_opens_with_a_valid_signature() {
    let key = SigningKey::generate().unwrap();
    let certificate = certificate_for(&key);
    let request = request();
    let message = sign_request(
        &request,
        &key,
        &Certification::Certificate(certificate.clone()),
    )
    .unwrap();
    assert_eq!(message.kind, MessageKind::SignedRequest);
    let opened = open_signed_request(&message.payload, &[]).unwrap();
    assert_eq!(opened.request, request);
    // The bytes answers are bound to are the unsigned request's.
    assert_eq!(opened.request_bytes, request.encode().unwrap());
    assert_eq!(
        request_hash(&opened.request_bytes),
        request_hash(&request.encode().unwrap())
    );
    assert_eq!(opened.evidence.signature, SignatureCheck::Valid);
    assert_eq!(
        opened.evidence.certification,
        Certification::Certificate(certificate.clone())
    );
    assert_eq!(opened.evidence.certificate, Some(certificate));
}

#[test]
fn a_request_signed_with_a_reference_opens_for_a_holder_that_has_the_certificate() {
    let key = SigningKey::generate().unwrap();
    let certificate = certificate_for(&key);
    let reference = registration::reference(&certificate);
    let message = sign_request(&request(), &key, &Certification::Reference(reference)).unwrap();
    let known = open_signed_request(&message.payload, std::slice::from_ref(&certificate)).unwrap();
    assert_eq!(known.evidence.signature, SignatureCheck::Valid);
    assert_eq!(known.evidence.certificate, Some(certificate));
    assert_eq!(
        known.evidence.certification,
        Certification::Reference(reference)
    );
    let unknown = open_signed_request(&message.payload, &[]).unwrap();
    assert_eq!(unknown.evidence.signature, SignatureCheck::UnknownReference);
    assert_eq!(unknown.evidence.certificate, None);
}

#[test]
fn a_certificate_for_another_key_is_refused_when_signing_and_flagged_when_opening() {
    let key = SigningKey::generate().unwrap();
    let other = SigningKey::generate().unwrap();
    let others_certificate = certificate_for(&other);
    assert_eq!(
        sign_request(
            &request(),
            &key,
            &Certification::Certificate(others_certificate.clone())
        ),
        Err(ExchangeError::CertificateForAnotherKey)
    );
    // A relayer puts another verifier's certificate on a request signed with its own key.
    let own = sign_request(
        &request(),
        &key,
        &Certification::Certificate(certificate_for(&key)),
    )
    .unwrap();
    let mut sign1 = CoseSign1::from_tagged_slice(&own.payload).unwrap();
    for (label, value) in sign1.protected.header.rest.iter_mut() {
        if *label == Label::Int(HEADER_KCWT) {
            *value = ciborium::from_reader(others_certificate.as_slice()).unwrap();
        }
    }
    sign1.protected.original_data = None;
    let swapped = sign1.to_tagged_vec().unwrap();
    let opened = open_signed_request(&swapped, &[]).unwrap();
    assert_eq!(
        opened.evidence.signature,
        SignatureCheck::CertificateForAnotherKey
    );
    // With the kid made to match the other key as well, the signature fails.
    let mut sign1 = CoseSign1::from_tagged_slice(&swapped).unwrap();
    sign1.protected.header.key_id = registration::key_id(other.public_key()).to_vec();
    sign1.protected.original_data = None;
    let opened = open_signed_request(&sign1.to_tagged_vec().unwrap(), &[]).unwrap();
    assert_eq!(opened.evidence.signature, SignatureCheck::BadSignature);
}

#[test]
fn a_signature_over_other_bytes_is_flagged() {
    let key = SigningKey::generate().unwrap();
    let certificate = certificate_for(&key);
    let message = sign_request(&request(), &key, &Certification::Certificate(certificate)).unwrap();
    // Another request (another answer key) under the same signature: a relayer's swap.
    let mut sign1 = CoseSign1::from_tagged_slice(&message.payload).unwrap();
    sign1.payload = Some(request().encode().unwrap());
    let opened = open_signed_request(&sign1.to_tagged_vec().unwrap(), &[]).unwrap();
    assert_eq!(opened.evidence.signature, SignatureCheck::BadSignature);
    // A signature without the external AAD (plain COSE_Sign1 over the request).
    let mut plain = CoseSign1::from_tagged_slice(&message.payload).unwrap();
    let tbs = plain.tbs_data(b"");
    plain.signature = key.sign(&tbs).unwrap().to_vec();
    let opened = open_signed_request(&plain.to_tagged_vec().unwrap(), &[]).unwrap();
    assert_eq!(opened.evidence.signature, SignatureCheck::BadSignature);
}

#[test]
fn truncated_unsigned_and_foreign_payloads_are_typed_errors() {
    let key = SigningKey::generate().unwrap();
    let message = sign_request(
        &request(),
        &key,
        &Certification::Certificate(certificate_for(&key)),
    )
    .unwrap();
    for cut in [
        0,
        1,
        20,
        message.payload.len() / 2,
        message.payload.len() - 1,
    ] {
        assert!(
            matches!(
                open_signed_request(&message.payload[..cut], &[]),
                Err(ExchangeError::Malformed(_))
            ),
            "cut at {cut}"
        );
    }
    // An unsigned request is not a signed one.
    assert!(matches!(
        open_signed_request(&request().encode().unwrap(), &[]),
        Err(ExchangeError::Malformed(_))
    ));
    // Neither a certificate nor a reference.
    let mut sign1 = CoseSign1::from_tagged_slice(&message.payload).unwrap();
    sign1.protected.header.rest.clear();
    sign1.protected.original_data = None;
    assert_eq!(
        open_signed_request(&sign1.to_tagged_vec().unwrap(), &[]),
        Err(ExchangeError::Malformed(
            "signed request: no certificate and no reference"
        ))
    );
    // Another algorithm.
    let mut sign1 = CoseSign1::from_tagged_slice(&message.payload).unwrap();
    sign1.protected.header.alg = Some(RegisteredLabelWithPrivate::Assigned(
        coset::iana::Algorithm::ES384,
    ));
    sign1.protected.original_data = None;
    assert!(matches!(
        open_signed_request(&sign1.to_tagged_vec().unwrap(), &[]),
        Err(ExchangeError::Malformed(_))
    ));
    // Too large.
    assert_eq!(
        open_signed_request(&vec![0; MAX_SIGNED_REQUEST_BYTES + 1], &[]),
        Err(ExchangeError::TooLarge("signed request"))
    );
}

#[test]
fn a_truncated_or_unreadable_certificate_is_refused_or_flagged() {
    let key = SigningKey::generate().unwrap();
    let certificate = certificate_for(&key);
    assert!(matches!(
        sign_request(
            &request(),
            &key,
            &Certification::Certificate(certificate[..certificate.len() - 5].to_vec())
        ),
        Err(ExchangeError::Registration(RegistrationError::Malformed(_)))
    ));
    // In a request, a certificate that is CBOR but not a certificate leaves nothing to check
    // the signature with.
    let message = sign_request(&request(), &key, &Certification::Certificate(certificate)).unwrap();
    let mut sign1 = CoseSign1::from_tagged_slice(&message.payload).unwrap();
    for (label, value) in sign1.protected.header.rest.iter_mut() {
        if *label == Label::Int(HEADER_KCWT) {
            *value = Value::Text("a certificate, trust me".into());
        }
    }
    sign1.protected.original_data = None;
    let opened = open_signed_request(&sign1.to_tagged_vec().unwrap(), &[]).unwrap();
    assert!(matches!(
        opened.evidence.signature,
        SignatureCheck::UnreadableCertificate(RegistrationError::Malformed(_))
    ));
}
