//! Offline issuance through the binding surface, as the apps drive it: the desk (a
//! `TestIssuer`) offers, the holder's wallet reads the offer against its issuer trust list,
//! accepts it (the proof code), the desk delivers the batch as animated frames, the wallet
//! receives it; then the copies go down as the wallet presents, to `NoCopiesLeft` or reuse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use laissez::*;

const PIN: &str = "2468";
const VCT: &str = "urn:laissez:iom:registration:1";
const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Haddad"}"#;

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

impl WalletClock for ShiftedClock {
    fn now_unix(&self) -> i64 {
        system_now() + self.0.load(Ordering::SeqCst)
    }

    fn monotonic_millis(&self) -> u64 {
        u64::try_from(wallet_core::clock::process_monotonic().as_millis()).unwrap_or(u64::MAX)
    }
}

struct World {
    _dir: tempfile::TempDir,
    holder: Arc<Wallet>,
    desk: Arc<TestIssuer>,
    clock: Arc<ShiftedClock>,
}

async fn world(trust_desk: bool) -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ShiftedClock(AtomicI64::new(0)));
    let options = WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: Some(clock.clone() as Arc<dyn WalletClock>),
    };
    let path = dir.path().join("holder.db").to_string_lossy().into_owned();
    let holder = create_wallet(path, PIN.into(), options)
        .await
        .unwrap()
        .wallet;
    let desk = TestIssuer::create("IOM Field Office".into()).unwrap();
    if trust_desk {
        let signer = TestTrustListSigner::create().unwrap();
        let signed = signer
            .sign(1, 30, vec![Arc::clone(&desk)], vec![], vec![])
            .unwrap();
        let imported = holder
            .import_issuer_trust_list(signed, Some(signer.public_jwk()))
            .await
            .unwrap();
        assert_eq!(imported.list.issuers[0].name, "IOM Field Office");
    }
    World {
        _dir: dir,
        holder,
        desk,
        clock,
    }
}

/// Frames shown on one screen, read by the other's scanner (as texts).
fn scan(frames: &[QrFrame]) -> QrMessage {
    let scanner = QrScanner::new();
    for frame in frames {
        if let ScanUpdate::Complete { message } = scanner.push_text(frame.text.clone()) {
            return message;
        }
    }
    panic!("the frames never completed a message")
}

async fn show(message: QrMessage) -> Vec<QrFrame> {
    let options = FrameOptions {
        max_frame_chars: 400,
        ..default_frame_options()
    };
    qr_frames(message, Some(options)).await.unwrap()
}

/// Offer → proof → batch, through frames; returns the batch message (not yet received).
async fn issue(w: &World, batch_size: u32) -> QrMessage {
    let offer = w
        .desk
        .offer(CredentialFormat::SdJwt, VCT.into(), batch_size, 10)
        .unwrap();
    let offer_frames = show(offer).await;
    assert_eq!(offer_frames.len(), 1, "an offer is one code");
    let scanned = scan(&offer_frames);
    assert_eq!(scanned.kind, QrMessageKind::IssuanceOffer);
    let proof_frames = w.holder.accept_offer(scanned, None).await.unwrap();
    assert_eq!(proof_frames.len(), 1, "a proof is one code");
    let proof = scan(&proof_frames);
    assert_eq!(proof.kind, QrMessageKind::IssuanceProof);
    let batch = w.desk.deliver(proof, CLAIMS.into(), 30, None).unwrap();
    let batch_frames = show(batch).await;
    assert!(batch_frames.len() > 1, "a batch is an animated sequence");
    scan(&batch_frames)
}

async fn present(w: &World, id: &str) -> Result<Presentation, CredentialError> {
    w.holder
        .present_credential(
            id.into(),
            vec!["given_name".into()],
            "n-1".into(),
            "https://verifier.example".into(),
        )
        .await
}

#[test]
fn a_trusted_desk_issues_a_batch_whose_copies_run_out() {
    block_on(async {
        let w = world(true).await;
        let offer = w
            .desk
            .offer(CredentialFormat::SdJwt, VCT.into(), 3, 10)
            .unwrap();
        let view = w.holder.read_offer(offer).await.unwrap();
        assert_eq!(
            view.trust,
            OfferTrust::Trusted {
                name: "IOM Field Office".into()
            }
        );
        assert_eq!(
            (view.format, view.credential_type.as_str(), view.batch_size),
            (CredentialFormat::SdJwt, VCT, 3)
        );
        assert!(view.expires_at > system_now());

        let batch = issue(&w, 3).await;
        let summary = w.holder.receive_issuance(batch.clone()).await.unwrap();
        assert_eq!((summary.copies_total, summary.copies_left), (3, 3));
        assert_eq!(summary.copies_state, CopiesState::Plenty);
        assert!(!summary.copies_warning);
        // The same batch again: its acceptance is completed.
        assert!(matches!(
            w.holder.receive_issuance(batch).await,
            Err(IssuanceError::NoPendingOffer)
        ));

        // One copy left is Low (the threshold, ADR 0017), none left Exhausted.
        for (left, state) in [
            (2, CopiesState::Plenty),
            (1, CopiesState::Low),
            (0, CopiesState::Exhausted),
        ] {
            present(&w, &summary.id).await.unwrap();
            let listed = w.holder.list_credentials().await.unwrap();
            assert_eq!(
                (listed[0].copies_left, listed[0].copies_state),
                (left, state)
            );
            assert_eq!(listed[0].copies_warning, left <= 1);
        }
        let listed = w.holder.list_credentials().await.unwrap();
        assert_eq!(listed[0].copies_state, CopiesState::Exhausted);
        assert!(matches!(
            present(&w, &summary.id).await,
            Err(CredentialError::NoCopiesLeft)
        ));
        assert!(!w.holder.reuse_last_copy().await.unwrap());
        w.holder.set_reuse_last_copy(true).await.unwrap();
        assert!(w.holder.reuse_last_copy().await.unwrap());
        present(&w, &summary.id).await.unwrap();
        w.holder.set_reuse_last_copy(false).await.unwrap();
        assert!(matches!(
            present(&w, &summary.id).await,
            Err(CredentialError::NoCopiesLeft)
        ));
    });
}

#[test]
fn without_a_trust_list_the_desk_is_unknown_and_its_name_unverified() {
    block_on(async {
        let w = world(false).await;
        let offer = w
            .desk
            .offer(
                CredentialFormat::Mdoc,
                "org.iom.registration.1".into(),
                1,
                10,
            )
            .unwrap();
        let view = w.holder.read_offer(offer).await.unwrap();
        assert_eq!(view.trust, OfferTrust::Unknown);
        assert_eq!(view.unverified_claimed_name, "IOM Field Office");
        // The holder may still accept after an extra confirmation.
        let batch = issue(&w, 2).await;
        let summary = w.holder.receive_issuance(batch).await.unwrap();
        assert_eq!(summary.copies_total, 2);
    });
}

#[test]
fn an_expired_offer_is_refused_and_changes_nothing() {
    block_on(async {
        let w = world(true).await;
        let offer = w
            .desk
            .offer(CredentialFormat::SdJwt, VCT.into(), 2, 1)
            .unwrap();
        w.clock.0.store(120, Ordering::SeqCst);
        let records = w.holder.status().unwrap().record_count;
        assert!(matches!(
            w.holder.read_offer(offer.clone()).await,
            Err(IssuanceError::OfferExpired)
        ));
        assert!(matches!(
            w.holder.accept_offer(offer, None).await,
            Err(IssuanceError::OfferExpired)
        ));
        assert_eq!(w.holder.status().unwrap().record_count, records);
    });
}

#[test]
fn a_tampered_batch_is_refused_and_the_wallet_unchanged() {
    block_on(async {
        let w = world(true).await;
        let mut batch = issue(&w, 2).await;
        let records = w.holder.status().unwrap().record_count;
        let middle = batch.payload.len() / 2;
        batch.payload[middle] ^= 0x01;
        assert!(matches!(
            w.holder.receive_issuance(batch).await,
            Err(IssuanceError::Undecryptable | IssuanceError::Malformed { .. })
        ));
        assert!(w.holder.list_credentials().await.unwrap().is_empty());
        assert_eq!(w.holder.status().unwrap().record_count, records);
    });
}

#[test]
fn wrong_messages_and_replayed_proofs_are_typed_errors() {
    block_on(async {
        let w = world(true).await;
        let offer = w
            .desk
            .offer(CredentialFormat::SdJwt, VCT.into(), 1, 10)
            .unwrap();
        assert!(matches!(
            w.holder.receive_issuance(offer.clone()).await,
            Err(IssuanceError::WrongMessage { .. })
        ));
        let proof = scan(&w.holder.accept_offer(offer, None).await.unwrap());
        w.desk
            .deliver(proof.clone(), CLAIMS.into(), 30, None)
            .unwrap();
        assert!(matches!(
            w.desk.deliver(proof.clone(), CLAIMS.into(), 30, None),
            Err(IssuanceError::OfferAlreadyUsed)
        ));
        // Another desk did not make this offer.
        let other = TestIssuer::create("Elsewhere".into()).unwrap();
        assert!(matches!(
            other.deliver(proof, CLAIMS.into(), 30, None),
            Err(IssuanceError::UnknownOffer)
        ));
        assert!(matches!(
            w.desk.offer(CredentialFormat::SdJwt, VCT.into(), 0, 10),
            Err(IssuanceError::IssueFailed { .. })
        ));
    });
}
