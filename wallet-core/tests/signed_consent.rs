//! Signed requests through the holder's consent reading (issue 15, ADR 0020 and 0021): a
//! verifier certified by a registrar on the holder's trust list reads as verified, with the
//! certificate's organisation, country and scope (never the request's free text); every way a
//! certificate can fail to vouch for the request reads as unverified with its reason; the
//! answer to a verified request goes through without an acknowledgement, and a claim beyond
//! the registered scope only when turned on by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::exchange::signed_request::{Certification, sign_request};
use wallet_core::exchange::{RequestedClaim, RequestedCredential, VerifierRequest};
use wallet_core::issuance::install_issuer_trust_list;
use wallet_core::qr::Envelope;
use wallet_core::registration::{self, Registration, ScopeEntry};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_list_registrars::TrustedRegistrar;
use wallet_core::wallet::respond::{self, Consent, RespondError};
use wallet_core::wallet::{DisclosedVerifier, UnverifiedReason, VerifierIdentity, credentials};

mod consent_support;
use consent_support::{Holder, NOW, TYPE};

const DAY: i64 = 86_400;
const REGISTRAR_ID: &str = "urn:registrar:coordination";

/// A holder with one credential and, when `registrar` is given, a trust list naming it.
fn holder(registrar: Option<&SigningKey>) -> Holder {
    let mut h = consent_support::holder();
    if let Some(registrar) = registrar {
        let mut list = TrustList::new(1, NOW, 30);
        list.add_registrar(TrustedRegistrar {
            id: REGISTRAR_ID.into(),
            name: "Humanitarian coordination body".into(),
            country: "GR".into(),
            key: registrar.public_key().clone(),
            valid_from: NOW - DAY,
            valid_until: NOW + 90 * DAY,
        })
        .unwrap();
        let signer = SigningKey::generate().unwrap();
        let text = list.sign(&signer).unwrap();
        install_issuer_trust_list(&mut h.store, &text, Some(signer.public_key()), NOW).unwrap();
    }
    h
}

/// A certificate for `verifier`'s key, valid from `from` for `days`, scoped to `given_name`.
fn certificate(registrar: &SigningKey, verifier: &SigningKey, from: i64, days: i64) -> Vec<u8> {
    let registration = Registration {
        registrar_id: REGISTRAR_ID.into(),
        verifier_id: "urn:verifier:aid-desk-7".into(),
        organisation: "Aid Org".into(),
        country: "GR".into(),
        purposes: vec!["Food distribution".into()],
        scope: vec![ScopeEntry {
            credential_type: TYPE.into(),
            claims: vec!["given_name".into()],
        }],
        verifier_key: verifier.public_key().clone(),
        issued_at: from,
        not_before: from,
        not_after: from + days * DAY,
    };
    registration::certify(&registration, registrar).unwrap()
}

/// A request for `given_name` and `nationality` that calls itself "UNHCR registration".
fn request() -> VerifierRequest {
    let claim = |path: &str| RequestedClaim {
        path: path.into(),
        required: false,
    };
    VerifierRequest {
        nonce: [9; 16],
        verifier_key: SigningKey::generate().unwrap().public_key().clone(),
        verifier_name: "UNHCR registration".into(),
        purpose: "Resettlement".into(),
        credentials: vec![RequestedCredential {
            credential_type: TYPE.into(),
            claims: vec![claim("given_name"), claim("nationality")],
        }],
        created_at: NOW,
        expires_at: NOW + 300,
        known_certificates: Vec::new(),
    }
}

fn signed(key: &SigningKey, certificate: &[u8]) -> Envelope {
    sign_request(
        &request(),
        key,
        &Certification::Certificate(certificate.to_vec()),
    )
    .unwrap()
}

fn reason(h: &Holder, message: &Envelope) -> Option<UnverifiedReason> {
    match respond::read_request(&h.store, message, NOW)
        .unwrap()
        .identity
    {
        VerifierIdentity::Verified(_) => None,
        VerifierIdentity::Unverified {
            reason,
            claimed_name,
            ..
        } => {
            assert_eq!(claimed_name, "UNHCR registration");
            Some(reason)
        }
    }
}

#[test]
fn a_certified_verifier_reads_as_the_certificate_says_and_its_scope_is_marked() {
    let registrar = SigningKey::generate().unwrap();
    let verifier = SigningKey::generate().unwrap();
    let mut h = holder(Some(&registrar));
    let message = signed(
        &verifier,
        &certificate(&registrar, &verifier, NOW - DAY, 30),
    );
    let view = respond::read_request(&h.store, &message, NOW).unwrap();
    let VerifierIdentity::Verified(verified) = &view.identity else {
        panic!("not verified: {:?}", view.identity);
    };
    // From the certificate and the holder's list, never the request's "UNHCR registration".
    assert_eq!(verified.organisation, "Aid Org");
    assert_eq!(verified.country, "GR");
    assert_eq!(verified.purposes, vec!["Food distribution".to_owned()]);
    assert_eq!(verified.registrar, "Humanitarian coordination body");
    let marks: Vec<(String, bool)> = view.matches[0]
        .claims
        .iter()
        .map(|c| (c.claim.path.clone(), c.within_scope))
        .collect();
    assert_eq!(
        marks,
        vec![("given_name".into(), true), ("nationality".into(), false)]
    );

    // Beyond the scope: refused unless turned on by hand; nothing sent meanwhile.
    let both = Consent {
        credential_id: h.credential_id,
        claims: vec!["given_name".into(), "nationality".into()],
        allowed_beyond_scope: vec![],
    };
    let refused = respond::respond(&mut h.store, &view, std::slice::from_ref(&both), None, NOW);
    assert!(
        matches!(&refused, Err(RespondError::BeyondScope(path)) if path == "nationality"),
        "{refused:?}"
    );
    assert!(credentials::disclosures(&h.store).unwrap().is_empty());
    // Within the scope: no acknowledgement needed for a verified verifier.
    let within = Consent {
        claims: vec!["given_name".into()],
        ..both
    };
    respond::respond(&mut h.store, &view, &[within], None, NOW).unwrap();
    let history = credentials::disclosures(&h.store).unwrap();
    assert_eq!(history.len(), 1);
    assert!(
        matches!(&history[0].verifier, Some(DisclosedVerifier::Verified { organisation, .. }) if organisation == "Aid Org"),
        "{:?}",
        history[0].verifier
    );
}

#[test]
fn every_failing_certificate_reads_as_unverified_with_its_reason() {
    let registrar = SigningKey::generate().unwrap();
    let verifier = SigningKey::generate().unwrap();
    let good = certificate(&registrar, &verifier, NOW - DAY, 30);
    let h = holder(Some(&registrar));

    // A key that is not the trusted registrar's, claiming its identifier.
    let stranger = SigningKey::generate().unwrap();
    let unknown = certificate(&stranger, &verifier, NOW - DAY, 30);
    assert_eq!(
        reason(&h, &signed(&verifier, &unknown)),
        Some(UnverifiedReason::BadSignature)
    );
    // Expired, and not valid yet.
    let old = certificate(&registrar, &verifier, NOW - 40 * DAY, 30);
    assert_eq!(
        reason(&h, &signed(&verifier, &old)),
        Some(UnverifiedReason::Expired)
    );
    let future = certificate(&registrar, &verifier, NOW + 2 * DAY, 30);
    assert_eq!(
        reason(&h, &signed(&verifier, &future)),
        Some(UnverifiedReason::NotYetValid)
    );
    // A genuine certificate taken from another verifier: the request is signed by another key.
    let thief = SigningKey::generate().unwrap();
    let stolen = wallet_core::exchange::signed_request::sign_request(
        &request(),
        &thief,
        &Certification::Reference(registration::reference(&good)),
    )
    .unwrap();
    // By reference, and the holder keeps no certificates: nothing to check.
    assert_eq!(reason(&h, &stolen), Some(UnverifiedReason::NoCertificate));
    // A relayed request with its answer key swapped: the signature is over other bytes.
    let mut tampered = signed(&verifier, &good);
    let at = tampered
        .payload
        .windows(b"UNHCR".len())
        .position(|w| w == b"UNHCR")
        .unwrap();
    tampered.payload[at] ^= 0x20;
    let view = respond::read_request(&h.store, &tampered, NOW).unwrap();
    assert!(
        matches!(
            view.identity,
            VerifierIdentity::Unverified {
                reason: UnverifiedReason::BadSignature,
                ..
            }
        ),
        "{:?}",
        view.identity
    );
    // A truncated certificate in an otherwise signed request.
    let truncated = &good[..good.len() / 2];
    assert!(
        sign_request(
            &request(),
            &verifier,
            &Certification::Certificate(truncated.to_vec())
        )
        .is_err()
    );
    // No registrar on the holder's list at all.
    let bare = holder(None);
    assert_eq!(
        reason(&bare, &signed(&verifier, &good)),
        Some(UnverifiedReason::NoVerifierTrustList)
    );
}

#[test]
fn a_certificate_for_another_key_is_its_own_reason() {
    use coset::{CborSerializable, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};
    use wallet_core::crypto::ecdsa::Es256Signer;
    use wallet_core::exchange::signed_request::{EXTERNAL_AAD, HEADER_KCWT};
    use wallet_core::qr::MessageKind;

    let registrar = SigningKey::generate().unwrap();
    let verifier = SigningKey::generate().unwrap();
    let other = SigningKey::generate().unwrap();
    let h = holder(Some(&registrar));
    let for_other = certificate(&registrar, &other, NOW - DAY, 30);
    // sign_request refuses a certificate of another key; a forger builds the COSE_Sign1 itself:
    // a genuine certificate of `other`, the request signed with its own key.
    assert!(
        sign_request(
            &request(),
            &verifier,
            &Certification::Certificate(for_other.clone())
        )
        .is_err()
    );
    let item: ciborium::Value = ciborium::from_reader(for_other.as_slice()).unwrap();
    let forged = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(coset::iana::Algorithm::ES256)
                .key_id(registration::key_id(verifier.public_key()).to_vec())
                .value(HEADER_KCWT, item)
                .build(),
        )
        .payload(request().encode().unwrap())
        .create_signature(EXTERNAL_AAD, |tbs| verifier.sign(tbs).unwrap().to_vec())
        .build();
    let message = Envelope {
        kind: MessageKind::SignedRequest,
        payload: forged.clone().to_tagged_vec().unwrap(),
    };
    assert_eq!(
        reason(&h, &message),
        Some(UnverifiedReason::CertificateForAnotherKey)
    );
    // The same forgery with the certified key's id: the signature does not verify with it.
    let mut relabelled = forged.clone();
    relabelled.protected.header.key_id = registration::key_id(other.public_key()).to_vec();
    relabelled.protected.original_data = None;
    let message = Envelope {
        kind: MessageKind::SignedRequest,
        payload: relabelled.to_vec().unwrap(),
    };
    assert_eq!(reason(&h, &message), Some(UnverifiedReason::BadSignature));
}

#[test]
fn after_one_answer_the_verifier_may_name_its_certificate_by_reference() {
    let registrar = SigningKey::generate().unwrap();
    let verifier = SigningKey::generate().unwrap();
    let mut h = holder(Some(&registrar));
    let certificate = certificate(&registrar, &verifier, NOW - DAY, 30);
    let by_reference = || {
        sign_request(
            &request(),
            &verifier,
            &Certification::Reference(registration::reference(&certificate)),
        )
        .unwrap()
    };
    // Never answered: the reference names nothing this holder has.
    assert_eq!(
        reason(&h, &by_reference()),
        Some(UnverifiedReason::NoCertificate)
    );
    // Reading alone keeps nothing; answering the verified verifier keeps its certificate.
    let view = respond::read_request(&h.store, &signed(&verifier, &certificate), NOW).unwrap();
    assert_eq!(view.certificate.as_deref(), Some(certificate.as_slice()));
    assert_eq!(
        reason(&h, &by_reference()),
        Some(UnverifiedReason::NoCertificate)
    );
    let consent = Consent {
        credential_id: h.credential_id,
        claims: vec!["given_name".into()],
        allowed_beyond_scope: vec![],
    };
    respond::respond(&mut h.store, &view, &[consent], None, NOW).unwrap();
    assert_eq!(reason(&h, &by_reference()), None);
    // An unverified request's certificate is never kept.
    let stranger = SigningKey::generate().unwrap();
    let unknown = certificate_for(&stranger, &verifier);
    let view = respond::read_request(&h.store, &signed(&verifier, &unknown), NOW).unwrap();
    assert_eq!(view.certificate, None);
}

/// A certificate by a registrar the holder does not trust.
fn certificate_for(registrar: &SigningKey, verifier: &SigningKey) -> Vec<u8> {
    certificate(registrar, verifier, NOW - DAY, 30)
}
