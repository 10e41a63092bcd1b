//! The field verifier on its own encrypted store: request → holder response → verdict, the
//! replay cache, responses to other requests, static presentations, the log and retention.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::stored::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::qr::envelope;
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::field_verifier::{self, RetentionPolicy};
use wallet_core::verifier::{Reason, TrustedIssuer};
use wallet_core::wallet::respond::{self, Consent, RespondError};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

const NOW: i64 = 1_790_000_000;

fn store(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

struct World {
    _dir: tempfile::TempDir,
    holder: WalletStore,
    verifier: WalletStore,
    trusted: Vec<TrustedIssuer>,
}

fn world(format: CredentialFormat) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut holder = store(&dir, "holder.db");
    let verifier = store(&dir, "verifier.db");
    let key = holder_keys::default_key(&mut holder).unwrap();
    let issuer = IssuerIdentity::generate("IOM", NOW - 10, 3650).unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad", "nationality": "SD"});
    let issued = issue_credential(
        &issuer,
        &CredentialOrder {
            format,
            credential_type: "org.laissez.id.1".into(),
            claims: claims.as_object().cloned().unwrap(),
            holder_key: key.public_key,
            valid_days: 30,
            status: None,
            display: None,
            now: NOW,
        },
    )
    .unwrap();
    credentials::import(
        &mut holder,
        &issued,
        &ImportOptions {
            issuer_keys: vec![],
            now: NOW,
        },
    )
    .unwrap();
    let trusted = vec![TrustedIssuer::from_bytes(&issuer.certificate).unwrap()];
    World {
        _dir: dir,
        holder,
        verifier,
        trusted,
    }
}

fn requested() -> Vec<RequestedCredential> {
    vec![RequestedCredential {
        credential_type: "org.laissez.id.1".into(),
        claims: vec![
            RequestedClaim {
                path: "given_name".into(),
                required: true,
            },
            RequestedClaim {
                path: "nationality".into(),
                required: false,
            },
            RequestedClaim {
                path: "photo".into(),
                required: false,
            },
        ],
    }]
}

fn engaged(format: CredentialFormat) {
    let mut w = world(format);
    let request =
        field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 300, NOW)
            .unwrap();
    // Through the QR text, as a camera would carry it.
    let scanned = envelope::decode(&envelope::encode(&request).unwrap()).unwrap();
    let view = respond::read_request(&w.holder, &scanned, NOW + 2).unwrap();
    let candidate = &view.matches[0].candidates[0];
    assert!(candidate.satisfies_required);
    assert_eq!(
        candidate.claims.iter().filter(|(_, has)| !has).count(),
        1,
        "the photo is missing"
    );
    // Asking for something not requested is refused; the missing optional claim is skipped.
    let id = candidate.credential.id;
    let bad = Consent {
        credential_id: id,
        claims: vec!["family_name".into()],
    };
    assert!(matches!(
        respond::respond(&mut w.holder, &view, &[bad], NOW + 3),
        Err(RespondError::NotRequested(_))
    ));
    let consent = Consent {
        credential_id: id,
        claims: vec!["given_name".into()],
    };
    let response = respond::respond(&mut w.holder, &view, &[consent], NOW + 3).unwrap();

    let verdicts =
        field_verifier::verify_message(&mut w.verifier, &response, &w.trusted, NOW + 4, "en")
            .unwrap();
    assert!(verdicts[0].valid, "{:?}", verdicts[0].reasons);
    assert_eq!(verdicts[0].claims.len(), 1);
    // The same response again is a replay.
    let again =
        field_verifier::verify_message(&mut w.verifier, &response, &w.trusted, NOW + 5, "en")
            .unwrap();
    assert_eq!(again[0].reasons, vec![Reason::Replay]);
    // A response for a request this verifier never made.
    let mut other_verifier = store(&w._dir, "other.db");
    let rejected =
        field_verifier::verify_message(&mut other_verifier, &response, &w.trusted, NOW + 5, "en")
            .unwrap();
    assert_eq!(rejected[0].reasons, vec![Reason::WrongRequest]);
    // Too late.
    let late =
        field_verifier::verify_message(&mut w.verifier, &response, &w.trusted, NOW + 3_600, "en")
            .unwrap();
    assert_eq!(late[0].reasons, vec![Reason::WrongRequest]);
    // An expired request cannot be answered.
    assert!(respond::read_request(&w.holder, &scanned, NOW + 301).is_err());

    let log = field_verifier::log_entries(&w.verifier).unwrap();
    assert_eq!(log.len(), 3);
    assert!(log[0].valid && !log[1].valid);
    assert_eq!(
        field_verifier::export_log(&w.verifier)
            .unwrap()
            .lines()
            .count(),
        3
    );
    let removed = field_verifier::prune(
        &mut w.verifier,
        RetentionPolicy {
            max_entries: 1,
            max_age_secs: 86_400,
        },
        NOW + 10_000,
    )
    .unwrap();
    assert!(removed >= 2);
    assert_eq!(field_verifier::log_entries(&w.verifier).unwrap().len(), 1);
}

#[test]
fn engaged_sd_jwt() {
    engaged(CredentialFormat::SdJwt);
}

#[test]
fn engaged_mdoc() {
    engaged(CredentialFormat::Mdoc);
}

#[test]
fn static_presentation_window_and_replay() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        let id = credentials::list(&w.holder).unwrap()[0].id;
        let shown =
            respond::present_static(&mut w.holder, id, &["given_name".into()], NOW).unwrap();
        let ok =
            field_verifier::verify_message(&mut w.verifier, &shown, &w.trusted, NOW + 30, "en")
                .unwrap();
        assert!(ok[0].valid, "{format:?} {:?}", ok[0].reasons);
        let replay =
            field_verifier::verify_message(&mut w.verifier, &shown, &w.trusted, NOW + 31, "en")
                .unwrap();
        assert_eq!(replay[0].reasons, vec![Reason::Replay]);
        let stale =
            field_verifier::verify_message(&mut w.verifier, &shown, &w.trusted, NOW + 1_000, "en")
                .unwrap();
        assert_eq!(stale[0].reasons, vec![Reason::StalePresentation]);
    }
}
