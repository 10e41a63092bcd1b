//! Consent that tells the truth (issue 15, ADR 0021): the request view says who asks as the
//! wallet could establish it and marks each claim within or beyond the registered scope;
//! `respond` sends nothing to an unverified verifier without an acknowledgement of that very
//! request, and no claim beyond a verified verifier's scope unless turned on by hand; the
//! disclosure history records the identity. Verified identities are built directly here (the
//! signed requests that carry certificates are read elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use serde_json::json;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::exchange::{RequestedClaim, RequestedCredential, VerifierRequest};
use wallet_core::qr::{Envelope, MessageKind};
use wallet_core::wallet::respond::{
    self, Consent, RequestView, RespondError, ScopedClaim, UnverifiedAcknowledgement,
};
use wallet_core::wallet::{
    DisclosedVerifier, UnverifiedReason, VerifiedVerifier, VerifierIdentity, credentials,
};

mod consent_support;
use consent_support::{Holder, NOW, TYPE, holder};

fn request_message(name: &str, nonce: u8) -> Envelope {
    let claim = |path: &str| RequestedClaim {
        path: path.into(),
        required: true,
    };
    let request = VerifierRequest {
        nonce: [nonce; 16],
        verifier_key: SigningKey::generate().unwrap().public_key().clone(),
        verifier_name: name.into(),
        purpose: "Registration".into(),
        credentials: vec![RequestedCredential {
            credential_type: TYPE.into(),
            claims: vec![claim("given_name"), claim("nationality")],
        }],
        created_at: NOW,
        expires_at: NOW + 300,
        known_certificates: Vec::new(),
    };
    Envelope {
        kind: MessageKind::VerifierRequest,
        payload: request.encode().unwrap(),
    }
}

fn consent(h: &Holder, claims: &[&str], beyond: &[&str]) -> Consent {
    Consent {
        credential_id: h.credential_id,
        claims: claims.iter().map(|c| (*c).to_owned()).collect(),
        allowed_beyond_scope: beyond.iter().map(|c| (*c).to_owned()).collect(),
    }
}

fn verified() -> VerifiedVerifier {
    VerifiedVerifier {
        organisation: "Aid Org".into(),
        country: "GR".into(),
        purposes: vec!["Food distribution".into()],
        registrar: "Coordination body".into(),
        certificate_reference: [0xab; 8],
        scope: BTreeMap::from([(TYPE.to_owned(), vec!["given_name".to_owned()])]),
        valid_until: NOW + 3600,
    }
}

/// `view` as a signed request from `verifier` would read (the scope marks recomputed).
fn as_verified(mut view: RequestView, verifier: VerifiedVerifier) -> RequestView {
    view.identity = VerifierIdentity::Verified(verifier);
    for matched in &mut view.matches {
        let credential_type = matched.requested.credential_type.clone();
        for scoped in &mut matched.claims {
            scoped.within_scope = view
                .identity
                .within_scope(&credential_type, &scoped.claim.path);
        }
    }
    view
}

/// Nothing was sent: no entry in the disclosure history.
fn nothing_sent(h: &Holder) {
    assert!(credentials::disclosures(&h.store).unwrap().is_empty());
}

#[test]
fn an_unsigned_request_is_unverified_and_nothing_is_in_scope() {
    let h = holder();
    let view =
        respond::read_request(&h.store, &request_message("UNHCR registration", 1), NOW).unwrap();
    assert_eq!(
        view.identity,
        VerifierIdentity::Unverified {
            reason: UnverifiedReason::NoCertificate,
            claimed_name: "UNHCR registration".into(),
            claimed_purpose: "Registration".into(),
        }
    );
    let marks: Vec<&ScopedClaim> = view.matches[0].claims.iter().collect();
    assert_eq!(marks.len(), 2);
    assert!(marks.iter().all(|c| !c.within_scope));
    assert_eq!(marks[0].claim.path, "given_name");
}

#[test]
fn an_unverified_request_needs_the_acknowledgement_of_that_request() {
    let mut h = holder();
    let view =
        respond::read_request(&h.store, &request_message("UNHCR registration", 1), NOW).unwrap();
    let other =
        respond::read_request(&h.store, &request_message("UNHCR registration", 2), NOW).unwrap();
    let consents = [consent(&h, &["given_name"], &[])];
    assert!(matches!(
        respond::respond(&mut h.store, &view, &consents, None, NOW),
        Err(RespondError::UnverifiedNotAcknowledged)
    ));
    // An acknowledgement given for another request does not carry over.
    assert!(matches!(
        respond::respond(
            &mut h.store,
            &view,
            &consents,
            Some(UnverifiedAcknowledgement::of(&other)),
            NOW
        ),
        Err(RespondError::UnverifiedNotAcknowledged)
    ));
    nothing_sent(&h);

    let ack = Some(UnverifiedAcknowledgement::of(&view));
    let response = respond::respond(&mut h.store, &view, &consents, ack, NOW).unwrap();
    assert_eq!(response.kind, MessageKind::EngagedResponse);
    let history = credentials::disclosures(&h.store).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].claims, vec!["given_name".to_owned()]);
    assert_eq!(
        history[0].verifier,
        Some(DisclosedVerifier::Unverified {
            claimed_name: "UNHCR registration".into(),
            reason: "no_certificate".into(),
        })
    );
    // The request's text is kept as its own claim, never as a certified name.
    assert_eq!(
        history[0].verifier_name.as_deref(),
        Some("UNHCR registration")
    );
}

#[test]
fn a_verified_verifier_gets_its_scope_and_beyond_only_what_was_turned_on() {
    let mut h = holder();
    let read = respond::read_request(&h.store, &request_message("Fake name", 3), NOW).unwrap();
    let view = as_verified(read, verified());
    let marks: Vec<(String, bool)> = view.matches[0]
        .claims
        .iter()
        .map(|c| (c.claim.path.clone(), c.within_scope))
        .collect();
    assert_eq!(
        marks,
        vec![("given_name".into(), true), ("nationality".into(), false)]
    );

    // Over-asking: nationality is beyond the scope and was not turned on.
    let over = [consent(&h, &["given_name", "nationality"], &[])];
    match respond::respond(&mut h.store, &view, &over, None, NOW) {
        Err(RespondError::BeyondScope(claim)) => assert_eq!(claim, "nationality"),
        other => panic!("expected BeyondScope, got {other:?}"),
    }
    // Turning on another claim does not cover it.
    let wrong = [consent(
        &h,
        &["given_name", "nationality"],
        &["family_name"],
    )];
    assert!(matches!(
        respond::respond(&mut h.store, &view, &wrong, None, NOW),
        Err(RespondError::BeyondScope(_))
    ));
    // A claim not asked for is still refused, turned on or not.
    let unasked = [consent(&h, &["family_name"], &["family_name"])];
    assert!(matches!(
        respond::respond(&mut h.store, &view, &unasked, None, NOW),
        Err(RespondError::NotRequested(_))
    ));
    nothing_sent(&h);

    // Within the scope: no acknowledgement needed.
    let within = [consent(&h, &["given_name"], &[])];
    respond::respond(&mut h.store, &view, &within, None, NOW).unwrap();
    // Beyond it, turned on by hand: sent.
    let by_hand = [consent(
        &h,
        &["given_name", "nationality"],
        &["nationality"],
    )];
    respond::respond(&mut h.store, &view, &by_hand, None, NOW).unwrap();

    let history = credentials::disclosures(&h.store).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1].claims,
        vec!["given_name".to_owned(), "nationality".to_owned()]
    );
    for entry in &history {
        assert_eq!(
            entry.verifier,
            Some(DisclosedVerifier::Verified {
                organisation: "Aid Org".into(),
                country: "GR".into(),
                registrar: "Coordination body".into(),
                certificate_reference: "abababababababab".into(),
            })
        );
    }
}

#[test]
fn a_scope_that_does_not_cover_the_type_covers_none_of_its_claims() {
    let mut h = holder();
    let read = respond::read_request(&h.store, &request_message("Clinic", 4), NOW).unwrap();
    let mut other_type = verified();
    other_type.scope = BTreeMap::from([(
        "urn:other:type".to_owned(),
        vec!["given_name".to_owned(), "nationality".to_owned()],
    )]);
    let view = as_verified(read, other_type);
    assert!(view.matches[0].claims.iter().all(|c| !c.within_scope));
    let consents = [consent(&h, &["given_name"], &[])];
    assert!(matches!(
        respond::respond(&mut h.store, &view, &consents, None, NOW),
        Err(RespondError::BeyondScope(_))
    ));
    nothing_sent(&h);
}

#[test]
fn history_records_written_before_verifiers_still_read() {
    let h = holder();
    let old = json!({"credential_id": h.credential_id.to_string(), "claims": ["given_name"],
        "audience": "x", "verifier_name": "Desk 4", "at": NOW});
    let mut store = h.store;
    store
        .put(&wallet_core::store::NewRecord {
            kind: credentials::DISCLOSURE_KIND.into(),
            tags: vec![],
            body: serde_json::to_vec(&old).unwrap(),
        })
        .unwrap();
    let history = credentials::disclosures(&store).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].verifier, None);
    assert_eq!(history[0].verifier_name.as_deref(), Some("Desk 4"));
}
