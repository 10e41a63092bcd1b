//! Signed requests and the consent that tells verified from unverified verifiers (issue 15,
//! ADRs 0020 and 0021), through the binding surface as an app drives it: a registrar
//! certifies a field verifier's key, the holder's trust list names the registrar, and every
//! failing certificate reads as unverified with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use laissez::*;

const PIN: &str = "2468";
const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Haddad","nationality":"SD"}"#;
const VCT: &str = "urn:laissez:iom:registration:1";
const DAY: i64 = 86_400;

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The system clock moved by a shift the test sets.
struct ShiftedClock(AtomicI64);

impl ShiftedClock {
    fn shift(&self, secs: i64) {
        self.0.store(secs, Ordering::SeqCst);
    }
}

impl WalletClock for ShiftedClock {
    fn now_unix(&self) -> i64 {
        system_now() + self.0.load(Ordering::SeqCst)
    }

    fn monotonic_millis(&self) -> u64 {
        u64::try_from(wallet_core::clock::process_monotonic().as_millis()).unwrap_or(u64::MAX)
    }
}

async fn wallet(dir: &tempfile::TempDir, name: &str, clock: Arc<ShiftedClock>) -> Arc<Wallet> {
    let options = WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: Some(clock as Arc<dyn WalletClock>),
    };
    let path = dir.path().join(name).to_string_lossy().into_owned();
    create_wallet(path, PIN.into(), options)
        .await
        .unwrap()
        .wallet
}

struct World {
    _dir: tempfile::TempDir,
    holder: Arc<Wallet>,
    holder_clock: Arc<ShiftedClock>,
    verifier: Arc<FieldVerifier>,
    verifier_clock: Arc<ShiftedClock>,
    registrar: Arc<TestRegistrar>,
    credential_id: String,
}

/// A holder with one credential whose trust list names `registrar`, and a verifier.
async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let holder_clock = Arc::new(ShiftedClock(AtomicI64::new(0)));
    let verifier_clock = Arc::new(ShiftedClock(AtomicI64::new(0)));
    let holder = wallet(&dir, "holder.db", holder_clock.clone()).await;
    let verifier = FieldVerifier::new(wallet(&dir, "verifier.db", verifier_clock.clone()).await);
    let issuer = TestIssuer::create("IOM Field Office".into()).unwrap();
    let key = holder.holder_key().await.unwrap();
    let issued = issuer
        .issue_sd_jwt(VCT.into(), CLAIMS.into(), key.jwk, None)
        .unwrap();
    let credential_id = holder
        .import_credential(issued, vec![], None)
        .await
        .unwrap()
        .id;
    let registrar = TestRegistrar::create(
        "urn:example:coordination".into(),
        "Humanitarian coordination body".into(),
        "GR".into(),
    )
    .unwrap();
    let signer = TestTrustListSigner::create().unwrap();
    let list = signer
        .sign(1, 30, vec![issuer], vec![Arc::clone(&registrar)], vec![])
        .unwrap();
    // The holder scans the list from a coordinator's phone.
    assert_eq!(holder.issuer_trust_list().await.unwrap(), None);
    let imported = holder
        .import_issuer_trust_list_message(
            trust_list_message(list.clone()),
            Some(signer.public_jwk()),
        )
        .await
        .unwrap();
    assert_eq!(imported.list.registrars.len(), 1);
    assert_eq!(
        imported.list.registrars[0].name,
        "Humanitarian coordination body"
    );
    assert_eq!(
        holder.issuer_trust_list().await.unwrap(),
        Some(imported.list)
    );
    let err = holder
        .import_issuer_trust_list_message(
            QrMessage {
                kind: QrMessageKind::VerifierRequest,
                payload: vec![1, 2, 3],
            },
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, IssuanceError::WrongMessage { .. }), "{err:?}");
    verifier
        .import_trust_list(list, Some(signer.public_jwk()))
        .await
        .unwrap();
    World {
        _dir: dir,
        holder,
        holder_clock,
        verifier,
        verifier_clock,
        registrar,
        credential_id,
    }
}

fn scope(claims: &[&str]) -> Vec<RegisteredScope> {
    vec![RegisteredScope {
        credential_type: VCT.into(),
        claims: claims.iter().map(|c| (*c).to_owned()).collect(),
    }]
}

async fn certify(
    w: &World,
    registrar: &TestRegistrar,
    scope: Vec<RegisteredScope>,
    from: i64,
    until: i64,
) -> Vec<u8> {
    registrar
        .certify(
            w.verifier.request_signing_key().await.unwrap(),
            "Aid Org".into(),
            "GR".into(),
            vec!["Food distribution".into()],
            scope,
            from,
            until,
        )
        .unwrap()
}

async fn request(w: &World, by_reference: bool) -> (VerifierRequestCodes, QrMessage) {
    let claim = |path: &str, required| RequestedClaim {
        path: path.into(),
        required,
        portrait: false,
        within_scope: true,
    };
    let codes = w
        .verifier
        .create_request(
            "UNHCR registration".into(),
            "Registration".into(),
            vec![RequestedCredential {
                credential_type: VCT.into(),
                claims: vec![claim("given_name", true), claim("nationality", false)],
            }],
            300,
            by_reference,
            None,
        )
        .await
        .unwrap();
    assert_eq!(codes.frames.len(), 1, "one code, certificate and all");
    let message = decode_qr_text(codes.frames[0].text.clone()).unwrap();
    (codes, message)
}

fn consent(w: &World, claims: &[&str], allowed_beyond_scope: &[&str]) -> Consent {
    let owned = |c: &[&str]| c.iter().map(|c| (*c).to_owned()).collect();
    Consent {
        credential_id: w.credential_id.clone(),
        claims: owned(claims),
        allowed_beyond_scope: owned(allowed_beyond_scope),
    }
}

fn unverified_reason(view: &RequestView) -> Option<UnverifiedReason> {
    match &view.identity {
        VerifierIdentity::Verified { .. } => None,
        VerifierIdentity::Unverified {
            reason,
            claimed_name,
            ..
        } => {
            assert_eq!(claimed_name, "UNHCR registration");
            Some(*reason)
        }
    }
}

#[test]
fn a_certified_verifier_is_shown_as_certified_and_over_asking_needs_a_toggle() {
    block_on(async {
        let w = world().await;
        assert_eq!(w.verifier.registration_certificate().await.unwrap(), None);
        let now = system_now();
        let certificate = certify(
            &w,
            &w.registrar,
            scope(&["given_name"]),
            now - DAY,
            now + 30 * DAY,
        )
        .await;
        let installed = w.verifier.install_certificate(certificate).await.unwrap();
        assert_eq!(installed.organisation, "Aid Org");
        assert_eq!(installed.registrar_id, "urn:example:coordination");
        assert_eq!(
            w.verifier.registration_certificate().await.unwrap(),
            Some(installed.clone())
        );

        let (codes, message) = request(&w, false).await;
        assert_eq!(message.kind, QrMessageKind::SignedRequest);
        assert_eq!(
            codes.certificate_reference.as_deref(),
            Some(installed.reference.as_str())
        );
        let view = w.holder.read_request(message.clone()).await.unwrap();
        // From the certificate and the holder's list, never the request's "UNHCR registration".
        assert_eq!(
            view.identity,
            VerifierIdentity::Verified {
                organisation: "Aid Org".into(),
                country: "GR".into(),
                purposes: vec!["Food distribution".into()],
                registrar: "Humanitarian coordination body".into(),
                certificate_reference: installed.reference.clone(),
                valid_until: installed.valid_until,
            }
        );
        let marks: Vec<(&str, bool)> = view.credentials[0].candidates[0]
            .claims
            .iter()
            .map(|c| (c.path.as_str(), c.within_scope))
            .collect();
        assert_eq!(marks, [("given_name", true), ("nationality", false)]);
        assert!(!view.credentials[0].claims[1].within_scope);

        // Beyond the scope without the person's toggle: refused, nothing recorded.
        let err = w
            .holder
            .respond(
                message.clone(),
                vec![consent(&w, &["given_name", "nationality"], &[])],
                None,
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ExchangeError::BeyondScope { claim } if claim == "nationality"),
            "{err:?}"
        );
        assert!(w.holder.disclosure_history().await.unwrap().is_empty());
        // Turned on by hand: sent, and the history names the certified verifier.
        let frames = w
            .holder
            .respond(
                message,
                vec![consent(
                    &w,
                    &["given_name", "nationality"],
                    &["nationality"],
                )],
                None,
                None,
            )
            .await
            .unwrap();
        let history = w.holder.disclosure_history().await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].shown_as, DisclosureShownAs::Answer);
        assert_eq!(
            history[0].verifier,
            Some(DisclosedVerifier::Verified {
                organisation: "Aid Org".into(),
                country: "GR".into(),
                registrar: "Humanitarian coordination body".into(),
                certificate_reference: installed.reference.clone(),
            })
        );
        // The verifier's log records the certificate its request was signed with.
        let answer = decode_qr_text(frames[0].text.clone()).unwrap();
        let verdicts = w.verifier.verify(answer, "en".into(), None).await.unwrap();
        assert!(verdicts[0].valid, "{:?}", verdicts[0].reasons);
        let log = w.verifier.log_entries().await.unwrap();
        assert_eq!(
            log[0].certificate_reference.as_deref(),
            Some(installed.reference.as_str())
        );

        // The holder kept the certificate: the next request may name it by reference.
        let (codes, message) = request(&w, true).await;
        assert!(
            codes.frames[0].text.len() < 600,
            "{}",
            codes.frames[0].text.len()
        );
        let view = w.holder.read_request(message).await.unwrap();
        assert!(
            matches!(view.identity, VerifierIdentity::Verified { .. }),
            "{:?}",
            view.identity
        );
    });
}

#[test]
fn an_unverified_verifier_needs_the_acknowledgement_of_that_very_request() {
    block_on(async {
        let w = world().await;
        let (codes, message) = request(&w, false).await;
        assert_eq!(message.kind, QrMessageKind::VerifierRequest);
        assert_eq!(codes.certificate_reference, None);
        let view = w.holder.read_request(message.clone()).await.unwrap();
        assert_eq!(
            view.identity,
            VerifierIdentity::Unverified {
                reason: UnverifiedReason::NoCertificate,
                claimed_name: "UNHCR registration".into(),
                claimed_purpose: "Registration".into(),
            }
        );
        // Nothing covers an unverified request: the one warning stands for every claim.
        assert!(view.credentials[0].claims.iter().all(|c| !c.within_scope));
        let answer = || vec![consent(&w, &["given_name"], &[])];
        let err = w
            .holder
            .respond(message.clone(), answer(), None, None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ExchangeError::UnverifiedNotAcknowledged),
            "{err:?}"
        );
        // An acknowledgement made for another request does not count.
        let (_, other) = request(&w, false).await;
        let other_view = w.holder.read_request(other).await.unwrap();
        assert_ne!(other_view.request_id, view.request_id);
        let err = w
            .holder
            .respond(
                message.clone(),
                answer(),
                Some(UnverifiedAcknowledgement {
                    request_id: other_view.request_id,
                }),
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, ExchangeError::UnverifiedNotAcknowledged),
            "{err:?}"
        );
        assert!(w.holder.disclosure_history().await.unwrap().is_empty());
        w.holder
            .respond(
                message,
                answer(),
                Some(UnverifiedAcknowledgement {
                    request_id: view.request_id,
                }),
                None,
            )
            .await
            .unwrap();
        let history = w.holder.disclosure_history().await.unwrap();
        assert_eq!(
            history[0].verifier,
            Some(DisclosedVerifier::Unverified {
                claimed_name: "UNHCR registration".into(),
                reason: "no_certificate".into(),
            })
        );
        assert_eq!(
            history[0].claimed_verifier_name.as_deref(),
            Some("UNHCR registration")
        );
    });
}

#[test]
fn every_failing_certificate_reads_as_unverified_with_its_reason() {
    block_on(async {
        let w = world().await;
        let now = system_now();

        // A registrar that is not on the holder's list.
        let stranger = TestRegistrar::create(
            "urn:example:stranger".into(),
            "Stranger".into(),
            "GR".into(),
        )
        .unwrap();
        let unknown = certify(&w, &stranger, scope(&["given_name"]), now - DAY, now + DAY).await;
        w.verifier.install_certificate(unknown).await.unwrap();
        let view = w
            .holder
            .read_request(request(&w, false).await.1)
            .await
            .unwrap();
        assert_eq!(
            unverified_reason(&view),
            Some(UnverifiedReason::UnknownRegistrar)
        );

        // Expired by the time the holder reads it (installed while still valid).
        let short = certify(
            &w,
            &w.registrar,
            scope(&["given_name"]),
            now - DAY,
            now + DAY,
        )
        .await;
        w.verifier.install_certificate(short.clone()).await.unwrap();
        w.verifier_clock.shift(2 * DAY);
        w.holder_clock.shift(2 * DAY);
        let view = w
            .holder
            .read_request(request(&w, false).await.1)
            .await
            .unwrap();
        assert_eq!(unverified_reason(&view), Some(UnverifiedReason::Expired));
        w.verifier_clock.shift(0);
        w.holder_clock.shift(0);

        // Not valid yet.
        let future = certify(
            &w,
            &w.registrar,
            scope(&["given_name"]),
            now + DAY,
            now + 30 * DAY,
        )
        .await;
        w.verifier.install_certificate(future).await.unwrap();
        let view = w
            .holder
            .read_request(request(&w, false).await.1)
            .await
            .unwrap();
        assert_eq!(
            unverified_reason(&view),
            Some(UnverifiedReason::NotYetValid)
        );

        // A genuine certificate in a forger's request.
        let good = certify(
            &w,
            &w.registrar,
            scope(&["given_name"]),
            now - DAY,
            now + 30 * DAY,
        )
        .await;
        w.verifier.install_certificate(good.clone()).await.unwrap();
        let (_, genuine) = request(&w, false).await;
        let forged = test_forge_request(genuine.clone(), good.clone()).unwrap();
        let view = w.holder.read_request(forged).await.unwrap();
        assert_eq!(
            unverified_reason(&view),
            Some(UnverifiedReason::CertificateForAnotherKey)
        );

        // A signature over other bytes (the request altered after signing).
        let mut altered = genuine.clone();
        let at = altered
            .payload
            .windows(b"UNHCR".len())
            .position(|w| w == b"UNHCR")
            .unwrap();
        altered.payload[at] ^= 0x20;
        let view = w.holder.read_request(altered).await.unwrap();
        let VerifierIdentity::Unverified { reason, .. } = view.identity else {
            panic!("altered request read as verified");
        };
        assert_eq!(reason, UnverifiedReason::BadSignature);

        // A scope that does not cover the credential type: every claim is beyond it.
        let other_type = vec![RegisteredScope {
            credential_type: "urn:example:other".into(),
            claims: vec!["given_name".into()],
        }];
        let narrow = certify(&w, &w.registrar, other_type, now - DAY, now + 30 * DAY).await;
        w.verifier.install_certificate(narrow).await.unwrap();
        let (_, message) = request(&w, false).await;
        let view = w.holder.read_request(message.clone()).await.unwrap();
        assert!(matches!(view.identity, VerifierIdentity::Verified { .. }));
        assert!(view.credentials[0].claims.iter().all(|c| !c.within_scope));
        let err = w
            .holder
            .respond(message, vec![consent(&w, &["given_name"], &[])], None, None)
            .await
            .unwrap_err();
        assert!(matches!(err, ExchangeError::BeyondScope { .. }), "{err:?}");

        // A truncated request code is malformed, never a crash.
        let mut truncated = genuine;
        truncated.payload.truncate(truncated.payload.len() / 2);
        let err = w.holder.read_request(truncated).await.unwrap_err();
        assert!(
            matches!(err, ExchangeError::MalformedRequest { .. }),
            "{err:?}"
        );
        assert!(w.holder.disclosure_history().await.unwrap().is_empty());
    });
}

#[test]
fn the_verifier_installs_only_its_own_current_whole_certificate() {
    block_on(async {
        let w = world().await;
        let now = system_now();
        let good = certify(
            &w,
            &w.registrar,
            scope(&["given_name"]),
            now - DAY,
            now + DAY,
        )
        .await;
        let problem = |err: VerifierError| match err {
            VerifierError::InvalidCertificate { problem, .. } => problem,
            other => panic!("{other:?}"),
        };
        let truncated = good[..good.len() / 2].to_vec();
        let err = w.verifier.install_certificate(truncated).await.unwrap_err();
        assert_eq!(problem(err), CertificateProblem::Malformed);
        let expired = certify(
            &w,
            &w.registrar,
            scope(&["given_name"]),
            now - 3 * DAY,
            now - DAY,
        )
        .await;
        let err = w.verifier.install_certificate(expired).await.unwrap_err();
        assert_eq!(problem(err), CertificateProblem::Expired);
        // Another verifier's key.
        let dir = tempfile::tempdir().unwrap();
        let other = FieldVerifier::new(
            wallet(&dir, "other.db", Arc::new(ShiftedClock(AtomicI64::new(0)))).await,
        );
        let err = other.install_certificate(good).await.unwrap_err();
        assert_eq!(problem(err), CertificateProblem::ForAnotherKey);
        assert_eq!(other.registration_certificate().await.unwrap(), None);
        // By reference without any certificate.
        let err = other
            .create_request("Desk".into(), "Aid".into(), vec![], 60, true, None)
            .await
            .unwrap_err();
        assert!(matches!(err, VerifierError::NoCertificate), "{err:?}");
    });
}
