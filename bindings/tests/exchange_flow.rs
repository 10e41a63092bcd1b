//! The offline exchange through the binding surface, as an app would drive it: QR codes drawn
//! from module matrices into camera-like luma frames, a holder and a field verifier on their
//! own wallets, trust and status lists from the test signers, and every kind of bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use laissez::*;

const PIN: &str = "2468";
const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"#;
const STATUS_URI: &str = "https://status.example/lists/7";
const STATUS_INDEX: u64 = 42;

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

/// A fixed clock the test sets.
struct TestClock(AtomicI64);

impl WalletClock for TestClock {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    fn monotonic_millis(&self) -> u64 {
        real_monotonic_millis()
    }
}

/// These tests move only the date; elapsed time is the real one.
fn real_monotonic_millis() -> u64 {
    u64::try_from(wallet_core::clock::process_monotonic().as_millis()).unwrap_or(u64::MAX)
}

/// The system clock moved by a shift the test sets: the verifier's clock.
struct ShiftedClock(AtomicI64);

impl WalletClock for ShiftedClock {
    fn now_unix(&self) -> i64 {
        system_now() + self.0.load(Ordering::SeqCst)
    }

    fn monotonic_millis(&self) -> u64 {
        real_monotonic_millis()
    }
}

async fn wallet(
    dir: &tempfile::TempDir,
    name: &str,
    clock: Option<Arc<dyn WalletClock>>,
) -> Arc<Wallet> {
    let options = WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock,
    };
    let path = dir.path().join(name).to_string_lossy().into_owned();
    create_wallet(path, PIN.into(), options)
        .await
        .unwrap()
        .wallet
}

/// A frame drawn as a camera would see a screen: 4 pixels a module, a 4-module white quiet
/// zone, rows padded to a multiple of 64 bytes with grey.
struct Luma {
    width: u32,
    height: u32,
    stride: u32,
    pixels: Vec<u8>,
}

fn to_luma(frame: &QrFrame) -> Luma {
    const SCALE: u32 = 4;
    let side = (frame.size + 2 * frame.quiet_zone) * SCALE;
    let stride = side.div_ceil(64) * 64;
    let mut pixels = vec![0x80u8; (stride * side) as usize];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / SCALE).checked_sub(frame.quiet_zone),
                (y / SCALE).checked_sub(frame.quiet_zone),
            );
            let dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < frame.size && my < frame.size => {
                    frame.modules[(my * frame.size + mx) as usize] == 1
                }
                _ => false,
            };
            pixels[(y * stride + x) as usize] = if dark { 0x10 } else { 0xf0 };
        }
    }
    Luma {
        width: side,
        height: side,
        stride,
        pixels,
    }
}

/// Shows every frame to the scanner as luma until a message completes; checks progress on
/// the way.
async fn scan(scanner: &QrScanner, frames: &[QrFrame]) -> QrMessage {
    let mut progressed = false;
    for frame in frames {
        let luma = to_luma(frame);
        match scanner
            .push_luma(luma.width, luma.height, luma.stride, luma.pixels)
            .await
            .unwrap()
        {
            ScanUpdate::Complete { message } => {
                assert_eq!(frames.len() > 1, progressed, "progress before completion");
                return message;
            }
            ScanUpdate::Progress { useful, needed } => {
                assert!(useful >= 1 && needed >= 1);
                assert_eq!(scanner.progress(), ScanProgress { useful, needed });
                progressed = true;
            }
            other => panic!("unexpected scan update {other:?}"),
        }
    }
    panic!("the frames never completed a message")
}

struct World {
    _dir: tempfile::TempDir,
    holder: Arc<Wallet>,
    verifier: Arc<FieldVerifier>,
    issuer: Arc<TestIssuer>,
    signer: Arc<TestTrustListSigner>,
    credential_type: String,
    clock: Arc<ShiftedClock>,
}

async fn world(format: CredentialFormat) -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ShiftedClock(AtomicI64::new(0)));
    let holder = wallet(&dir, "holder.db", None).await;
    let verifier_wallet = wallet(
        &dir,
        "verifier.db",
        Some(clock.clone() as Arc<dyn WalletClock>),
    )
    .await;
    let issuer = TestIssuer::create("IOM Field Office".into()).unwrap();
    let key = holder.holder_key().await.unwrap();
    let status = Some(StatusListEntry {
        uri: STATUS_URI.into(),
        index: STATUS_INDEX,
    });
    let (credential_type, issued) = match format {
        CredentialFormat::SdJwt => {
            let vct = "urn:laissez:iom:registration:1".to_string();
            let issued = issuer
                .issue_sd_jwt(vct.clone(), CLAIMS.into(), key.jwk, status)
                .unwrap();
            (vct, issued)
        }
        CredentialFormat::Mdoc => {
            let doc_type = "org.iom.registration.1".to_string();
            let issued = issuer
                .issue_mdoc(doc_type.clone(), CLAIMS.into(), key.jwk, status)
                .unwrap();
            (doc_type, issued)
        }
        CredentialFormat::Claim169 => panic!("identity cards are not issued credentials"),
    };
    holder
        .import_credential(issued, vec![], None)
        .await
        .unwrap();

    let verifier = FieldVerifier::new(verifier_wallet);
    let signer = TestTrustListSigner::create().unwrap();
    let signed = signer
        .sign(1, 30, vec![Arc::clone(&issuer)], vec![], vec![])
        .unwrap();
    let imported = verifier
        .import_trust_list(signed, Some(signer.public_jwk()))
        .await
        .unwrap();
    assert_eq!(imported.replaced_sequence, None);
    assert_eq!(imported.list.signer_fingerprint, signer.fingerprint());
    assert_eq!(imported.list.issuers[0].name, "IOM Field Office");
    // The issuer's authority is trusted, and its signer's certificate is known.
    assert!(imported.list.issuers[0].is_authority);
    assert_eq!(imported.list.issuers[0].known_signers, 1);
    assert!(imported.list.issuers[0].countries.is_empty());
    World {
        _dir: dir,
        holder,
        verifier,
        issuer,
        signer,
        credential_type,
        clock,
    }
}

fn requested(credential_type: &str) -> Vec<RequestedCredential> {
    let claim = |path: &str, required| RequestedClaim {
        portrait: false,
        path: path.into(),
        required,
        within_scope: true,
    };
    vec![RequestedCredential {
        credential_type: credential_type.into(),
        claims: vec![
            claim("given_name", true),
            claim("nationality", false),
            claim("photo", false),
        ],
    }]
}

/// Verifier request -> holder scan, consent, response -> verifier scan: the response message.
async fn exchange(w: &World) -> QrMessage {
    let request = w
        .verifier
        .create_request(
            "Desk 4".into(),
            "Food aid".into(),
            requested(&w.credential_type),
            300,
            false,
            None,
        )
        .await
        .unwrap();
    assert!(request.expires_at > system_now());
    // No registration certificate is installed: the request is unsigned.
    assert_eq!(request.certificate_reference, None);
    let holder_scanner = QrScanner::new();
    let message = scan(&holder_scanner, &request.frames).await;
    assert_eq!(message.kind, QrMessageKind::VerifierRequest);

    let view = w.holder.read_request(message.clone()).await.unwrap();
    // Unsigned: the name and purpose are only the verifier's claim, under a warning.
    assert_eq!(
        view.identity,
        VerifierIdentity::Unverified {
            reason: UnverifiedReason::NoCertificate,
            claimed_name: "Desk 4".into(),
            claimed_purpose: "Food aid".into(),
        }
    );
    assert_eq!(view.expires_at, request.expires_at);
    let candidate = &view.credentials[0].candidates[0];
    assert!(candidate.satisfies_required);
    let available: Vec<_> = candidate
        .claims
        .iter()
        .map(|c| (c.path.as_str(), c.available))
        .collect();
    assert_eq!(
        available,
        [
            ("given_name", true),
            ("nationality", true),
            ("photo", false)
        ]
    );
    let consent = Consent {
        credential_id: candidate.credential.id.clone(),
        claims: vec!["given_name".into(), "nationality".into()],
        allowed_beyond_scope: vec![],
    };
    let options = FrameOptions {
        max_frame_chars: 400,
        one_code_max_chars: 0,
        ..default_frame_options()
    };
    let response = w
        .holder
        .respond(
            message,
            vec![consent],
            Some(UnverifiedAcknowledgement {
                request_id: view.request_id.clone(),
            }),
            Some(options),
        )
        .await
        .unwrap();
    assert!(response.len() > 1, "small frames make an animated sequence");
    assert!(response.iter().all(|f| f.text.starts_with("LZF1:")));

    let verifier_scanner = QrScanner::new();
    let answer = scan(&verifier_scanner, &response).await;
    assert_eq!(answer.kind, QrMessageKind::EngagedResponse);
    answer
}

fn engaged(format: CredentialFormat) {
    block_on(async {
        let w = world(format).await;
        let answer = exchange(&w).await;
        let verdicts = w
            .verifier
            .verify(answer.clone(), "en".into(), None)
            .await
            .unwrap();
        let verdict = &verdicts[0];
        assert!(verdict.valid, "{:?}", verdict.reason_codes);
        assert_eq!(verdict.format, format);
        assert_eq!(verdict.issuer_name.as_deref(), Some("IOM Field Office"));
        let mut paths: Vec<_> = verdict
            .claims
            .iter()
            .map(|c| c.path.rsplit('/').next().unwrap().to_owned())
            .collect();
        paths.sort();
        assert_eq!(paths, ["given_name", "nationality"]);
        let status = verdict.status.as_ref().unwrap();
        assert_eq!(
            (status.state, status.index),
            (StatusState::Unknown, STATUS_INDEX)
        );

        // The same answer again.
        let replay = w.verifier.verify(answer, "en".into(), None).await.unwrap();
        assert_eq!(replay[0].reason_codes, ["replay"]);
        assert!(replay[0].claims.is_empty());

        // Revoked: a fresh list says so.
        let token = match format {
            CredentialFormat::SdJwt => w
                .issuer
                .status_list_jwt(STATUS_URI.into(), vec![STATUS_INDEX])
                .unwrap()
                .into_bytes(),
            CredentialFormat::Mdoc => w
                .issuer
                .status_list_cwt(STATUS_URI.into(), vec![STATUS_INDEX])
                .unwrap(),
            CredentialFormat::Claim169 => unreachable!("not a presentation format"),
        };
        let imported = w.verifier.import_status_list(token).await.unwrap();
        assert_eq!(imported.uri, STATUS_URI);
        assert_eq!(imported.issuer_name.as_deref(), Some("IOM Field Office"));
        let answer = exchange(&w).await;
        let revoked = w.verifier.verify(answer, "en".into(), None).await.unwrap();
        assert!(!revoked[0].valid);
        assert_eq!(revoked[0].reason_codes, ["revoked"]);
        assert_eq!(
            revoked[0].status.as_ref().unwrap().state,
            StatusState::Revoked
        );

        let log = w.verifier.log_entries().await.unwrap();
        assert_eq!(
            log.iter().map(|e| e.valid).collect::<Vec<_>>(),
            [true, false, false]
        );
        assert_eq!(log[1].reason_codes, ["replay"]);
        assert_eq!(w.verifier.export_log().await.unwrap().lines().count(), 3);
        let policy = RetentionPolicy {
            max_entries: 1,
            ..default_retention_policy()
        };
        assert!(w.verifier.prune(Some(policy)).await.unwrap() >= 2);
        assert_eq!(w.verifier.log_entries().await.unwrap().len(), 1);
    });
}

#[test]
fn engaged_sd_jwt_through_luma_frames() {
    engaged(CredentialFormat::SdJwt);
}

#[test]
fn engaged_mdoc_through_luma_frames() {
    engaged(CredentialFormat::Mdoc);
}

#[test]
fn static_presentation_and_png() {
    block_on(async {
        let w = world(CredentialFormat::SdJwt).await;
        let id = w.holder.list_credentials().await.unwrap()[0].id.clone();
        let options = FrameOptions {
            png_scale: Some(2),
            ..default_frame_options()
        };
        let before = system_now();
        let shown = w
            .holder
            .present_static(id, vec!["given_name".into()], Some(options), None)
            .await
            .unwrap();
        // The end of the window after the current one: two to four minutes from now.
        assert_eq!(shown.accepted_until % 120, 0);
        assert!(shown.accepted_until > before + 120 && shown.accepted_until <= system_now() + 240);
        let frames = shown.frames;
        let png = frames[0].png.as_ref().unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(
            frames[0].modules.len() as u32,
            frames[0].size * frames[0].size
        );
        let scanner = QrScanner::new();
        for frame in &frames {
            scanner.push_text(frame.text.clone());
        }
        let message = match scanner.push_text(frames[0].text.clone()) {
            ScanUpdate::Complete { message } => message,
            other => panic!("{other:?}"),
        };
        assert_eq!(message.kind, QrMessageKind::StaticPresentation);
        let verdicts = w
            .verifier
            .verify(message.clone(), "en".into(), None)
            .await
            .unwrap();
        assert!(verdicts[0].valid, "{:?}", verdicts[0].reason_codes);
        let again = w
            .verifier
            .verify(message.clone(), "en".into(), None)
            .await
            .unwrap();
        assert_eq!(again[0].reason_codes, ["replay"]);
        // From `accepted_until` on (the verifier's clock moved there), it is out of its window.
        w.clock
            .0
            .store(shown.accepted_until - system_now(), Ordering::SeqCst);
        let late = w.verifier.verify(message, "en".into(), None).await.unwrap();
        assert_eq!(late[0].reason_codes, ["stale_presentation"]);
        let history = w.holder.disclosure_history().await.unwrap();
        assert_eq!(history[0].shown_as, DisclosureShownAs::StaticToAnyVerifier);
    });
}

#[test]
fn trust_list_by_qr_signers_and_expiry() {
    block_on(async {
        let w = world(CredentialFormat::SdJwt).await;
        // A newer list from the pinned signer, by QR.
        let signed = w
            .signer
            .sign(2, 30, vec![Arc::clone(&w.issuer)], vec![], vec![])
            .unwrap();
        let frames = qr_frames(trust_list_message(signed), None).await.unwrap();
        let scanner = QrScanner::new();
        let message = scan(&scanner, &frames).await;
        let imported = w
            .verifier
            .import_trust_list_message(message, None)
            .await
            .unwrap();
        assert_eq!(imported.replaced_sequence, Some(1));
        assert_eq!(w.verifier.trust_list().await.unwrap().unwrap().sequence, 2);

        // An older list, another signer, a signer given by someone else.
        let old = w.signer.sign(1, 30, vec![], vec![], vec![]).unwrap();
        let err = w.verifier.import_trust_list(old, None).await.unwrap_err();
        assert!(
            matches!(&err, VerifierError::TrustListRejected { code, .. } if *code == TrustListProblem::Rollback),
            "{err:?}"
        );
        let stranger = TestTrustListSigner::create().unwrap();
        let forged = stranger.sign(3, 30, vec![], vec![], vec![]).unwrap();
        let err = w
            .verifier
            .import_trust_list(forged.clone(), None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, VerifierError::TrustListRejected { code, .. } if *code == TrustListProblem::BadSignature),
            "{err:?}"
        );
        let err = w
            .verifier
            .import_trust_list(forged, Some(stranger.public_jwk()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, VerifierError::SignerChanged { .. }),
            "{err:?}"
        );

        // Forty days on, the list has expired: no verification, no status import.
        w.clock.0.fetch_add(40 * 86_400, Ordering::SeqCst);
        assert!(!w.verifier.trust_list().await.unwrap().unwrap().current);
        let token = w.issuer.status_list_jwt(STATUS_URI.into(), vec![]).unwrap();
        let err = w
            .verifier
            .import_status_list(token.into_bytes())
            .await
            .unwrap_err();
        assert!(
            matches!(err, VerifierError::TrustListExpired { sequence: 2 }),
            "{err:?}"
        );
    });
}

#[test]
fn bad_input_gives_typed_errors_never_a_crash() {
    block_on(async {
        let w = world(CredentialFormat::SdJwt).await;

        // Scanner: noise, a blank frame, inconsistent sizes, foreign and damaged texts.
        let scanner = QrScanner::new();
        let mut noise = vec![0u8; 320 * 240];
        let mut x: u32 = 0x9e37_79b9;
        for p in &mut noise {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *p = x as u8;
        }
        assert_eq!(
            scanner.push_luma(320, 240, 320, noise).await.unwrap(),
            ScanUpdate::NothingFound
        );
        assert_eq!(
            scanner
                .push_luma(64, 64, 64, vec![255; 64 * 64])
                .await
                .unwrap(),
            ScanUpdate::NothingFound
        );
        for (width, height, stride, len) in [(0, 10, 0, 0), (10, 10, 5, 100), (10, 10, 10, 50)] {
            let err = scanner
                .push_luma(width, height, stride, vec![0; len])
                .await
                .unwrap_err();
            assert!(matches!(err, QrError::InvalidFrame { .. }), "{err:?}");
        }
        assert_eq!(
            scanner.push_text("https://example.org".into()),
            ScanUpdate::NotLaissez {
                texts: vec!["https://example.org".into()]
            }
        );
        for damaged in ["LZ1:%%%", "LZ9:ABC", "LZF1:ABC", "LZ1:"] {
            assert!(
                matches!(
                    scanner.push_text(damaged.into()),
                    ScanUpdate::Rejected { text, .. } if text == damaged
                ),
                "{damaged}"
            );
        }
        assert_eq!(
            scanner.progress(),
            ScanProgress {
                useful: 0,
                needed: 0
            }
        );
        scanner.reset();

        // Texts and drawing.
        assert!(matches!(
            decode_qr_text("hello".into()),
            Err(QrError::NotAMessage { .. })
        ));
        assert!(matches!(
            decode_qr_text("LZF1:AB".into()),
            Err(QrError::NotAMessage { .. })
        ));
        assert!(matches!(
            render_qr("lower case".into(), None),
            Err(QrError::Encoding { .. })
        ));
        assert!(matches!(
            render_qr("".into(), None),
            Err(QrError::Encoding { .. })
        ));
        assert!(matches!(
            render_qr("A".into(), Some(0)),
            Err(QrError::InvalidFrameOptions { .. })
        ));
        let bad_options = FrameOptions {
            max_frame_chars: 10,
            ..default_frame_options()
        };
        let err = qr_frames(trust_list_message("x".into()), Some(bad_options))
            .await
            .unwrap_err();
        assert!(
            matches!(err, QrError::InvalidFrameOptions { .. }),
            "{err:?}"
        );

        // Holder: wrong kind, damaged request, expired request, consent problems.
        let not_a_request = trust_list_message("x".into());
        let err = w.holder.read_request(not_a_request).await.unwrap_err();
        assert!(
            matches!(&err, ExchangeError::NotARequest { kind } if kind == "trust_list"),
            "{err:?}"
        );
        let damaged = QrMessage {
            kind: QrMessageKind::VerifierRequest,
            payload: b"garbage".to_vec(),
        };
        let err = w.holder.read_request(damaged).await.unwrap_err();
        assert!(
            matches!(err, ExchangeError::MalformedRequest { .. }),
            "{err:?}"
        );
        let request = w
            .verifier
            .create_request(
                "Desk".into(),
                "Aid".into(),
                requested(&w.credential_type),
                60,
                false,
                None,
            )
            .await
            .unwrap();
        let message = decode_qr_text(request.frames[0].text.clone()).unwrap();
        let id = w.holder.list_credentials().await.unwrap()[0].id.clone();
        let consent = |claims: &[&str]| Consent {
            credential_id: id.clone(),
            claims: claims.iter().map(|c| (*c).to_owned()).collect(),
            allowed_beyond_scope: vec![],
        };
        let view = w.holder.read_request(message.clone()).await.unwrap();
        let acknowledged = || {
            Some(UnverifiedAcknowledgement {
                request_id: view.request_id.clone(),
            })
        };
        let err = w
            .holder
            .respond(
                message.clone(),
                vec![consent(&["family_name"])],
                acknowledged(),
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ExchangeError::NotRequested { claim } if claim == "family_name"),
            "{err:?}"
        );
        let err = w
            .holder
            .respond(message.clone(), vec![consent(&[])], acknowledged(), None)
            .await
            .unwrap_err();
        assert!(matches!(err, ExchangeError::NothingConsented), "{err:?}");
        let err = w
            .holder
            .respond(
                message.clone(),
                vec![Consent {
                    credential_id: "nope".into(),
                    claims: vec!["given_name".into()],
                    allowed_beyond_scope: vec![],
                }],
                acknowledged(),
                None,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, ExchangeError::CredentialNotFound), "{err:?}");
        let err = w
            .holder
            .respond(
                message.clone(),
                vec![consent(&["given_name"])],
                acknowledged(),
                Some(bad_options),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, ExchangeError::InvalidFrameOptions { .. }),
            "{err:?}"
        );
        w.holder.lock();
        let err = w.holder.read_request(message.clone()).await.unwrap_err();
        assert!(matches!(err, ExchangeError::Locked), "{err:?}");
        w.holder.unlock(PIN.into()).await.unwrap();

        // An expired request, read by a holder whose clock is two minutes on.
        let late_clock = Arc::new(TestClock(AtomicI64::new(system_now() + 120)));
        let late = wallet(&w._dir, "late.db", Some(late_clock)).await;
        let err = late.read_request(message.clone()).await.unwrap_err();
        assert!(matches!(err, ExchangeError::RequestExpired), "{err:?}");

        // Verifier: wrong kinds, a damaged answer, bad requests, bad keys, bad tokens.
        let err = w
            .verifier
            .verify(message, "en".into(), None)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, VerifierError::UnexpectedMessage { kind } if kind == "verifier_request"),
            "{err:?}"
        );
        let garbage = QrMessage {
            kind: QrMessageKind::EngagedResponse,
            payload: vec![1, 2, 3],
        };
        let verdicts = w.verifier.verify(garbage, "en".into(), None).await.unwrap();
        assert_eq!(verdicts[0].reason_codes, ["malformed"]);
        let err = w
            .verifier
            .create_request("Desk".into(), "Aid".into(), vec![], 60, false, None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, VerifierError::InvalidRequest { .. }),
            "{err:?}"
        );
        let err = w
            .verifier
            .import_trust_list("not.a.list".into(), Some("{}".into()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, VerifierError::InvalidSignerKey { .. }),
            "{err:?}"
        );
        let err = w
            .verifier
            .import_trust_list_message(
                QrMessage {
                    kind: QrMessageKind::TrustList,
                    payload: b"not.a.list".to_vec(),
                },
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, VerifierError::TrustListRejected { code, .. } if *code == TrustListProblem::Malformed),
            "{err:?}"
        );
        let err = w
            .verifier
            .import_status_list(b"garbage".to_vec())
            .await
            .unwrap_err();
        assert!(
            matches!(err, VerifierError::StatusListRejected { .. }),
            "{err:?}"
        );
        let stranger = TestIssuer::create("Someone else".into()).unwrap();
        let token = stranger
            .status_list_jwt(STATUS_URI.into(), vec![1])
            .unwrap();
        let err = w
            .verifier
            .import_status_list(token.into_bytes())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, VerifierError::StatusListRejected { code, .. } if *code == StatusListProblem::UnknownSigner),
            "{err:?}"
        );

        // A fresh verifier: nothing pinned, no list.
        let fresh = FieldVerifier::new(wallet(&w._dir, "fresh.db", None).await);
        assert_eq!(fresh.trust_list().await.unwrap(), None);
        let signed = w.signer.sign(1, 30, vec![], vec![], vec![]).unwrap();
        let err = fresh.import_trust_list(signed, None).await.unwrap_err();
        assert!(matches!(err, VerifierError::NoPinnedSigner), "{err:?}");
        let answer = QrMessage {
            kind: QrMessageKind::StaticPresentation,
            payload: vec![],
        };
        let err = fresh.verify(answer, "en".into(), None).await.unwrap_err();
        assert!(matches!(err, VerifierError::NoTrustList), "{err:?}");
        let err = fresh.import_status_list(b"x".to_vec()).await.unwrap_err();
        assert!(matches!(err, VerifierError::NoTrustList), "{err:?}");

        // Test signers refuse nonsense.
        assert!(matches!(
            w.signer.sign(1, 0, vec![], vec![], vec![]),
            Err(IssuerError::InvalidInput { .. })
        ));
        assert!(matches!(
            w.issuer.status_list_jwt(STATUS_URI.into(), vec![1 << 21]),
            Err(IssuerError::InvalidInput { .. })
        ));
    });
}
