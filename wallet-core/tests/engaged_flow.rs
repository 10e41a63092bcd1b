//! The engaged QR flow end to end, in both formats: request QR → holder consent →
//! encrypted response QR → verifier decrypts and verifies. Also: every single-byte change of
//! a response envelope is rejected, and a response for another request is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{
    ExchangeError, RequestedClaim, RequestedCredential, ResponseDocument, VerifierRequest, binding,
    compact, open_response, request_hash, seal_response,
};
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::qr::{Envelope, FrameOptions, MessageKind, envelope, frames};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::{TrustedIssuer, VerificationRequest, verify_presentation};
use wallet_core::wallet::credentials;
use wallet_core::wallet::{ImportOptions, holder_keys};

const NOW: i64 = 1_790_000_000;

struct Setup {
    _dir: tempfile::TempDir,
    store: WalletStore,
    issuer: IssuerIdentity,
    credential_id: wallet_core::store::RecordId,
    credential_type: String,
}

fn setup(format: CredentialFormat) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    let holder = holder_keys::default_key(&mut store).unwrap();
    let issuer = IssuerIdentity::generate("IOM", NOW - 10, 3650).unwrap();
    let credential_type = match format {
        CredentialFormat::SdJwt => "urn:laissez:id:1".to_string(),
        CredentialFormat::Mdoc => "org.laissez.id.1".to_string(),
    };
    let claims = json!({"given_name": "Amina", "family_name": "Haddad", "birth_date": "1990-05-01",
        "nationality": "SD", "document_number": "IOM-0042", "place_of_birth": "Khartoum"});
    let order = CredentialOrder {
        format,
        credential_type: credential_type.clone(),
        claims: claims.as_object().cloned().unwrap(),
        holder_key: holder.public_key,
        valid_days: 365,
        status: None,
        now: NOW,
        portrait: None,
    };
    let issued = issue_credential(&issuer, &order).unwrap();
    let summary = credentials::import(
        &mut store,
        &issued,
        &ImportOptions {
            issuer_keys: vec![],
            now: NOW,
            type_metadata: None,
        },
    )
    .unwrap();
    Setup {
        _dir: dir,
        store,
        issuer,
        credential_id: summary.id,
        credential_type,
    }
}

fn request(credential_type: &str, verifier: &SigningKey) -> VerifierRequest {
    VerifierRequest {
        nonce: [9u8; 16],
        verifier_key: verifier.public_key().clone(),
        verifier_name: "Border desk 4".into(),
        purpose: "Registration check".into(),
        credentials: vec![RequestedCredential {
            credential_type: credential_type.into(),
            claims: vec![
                RequestedClaim {
                    path: "given_name".into(),
                    required: true,
                },
                RequestedClaim {
                    path: "family_name".into(),
                    required: true,
                },
                RequestedClaim {
                    path: "nationality".into(),
                    required: false,
                },
            ],
        }],
        created_at: NOW,
        expires_at: NOW + 300,
        known_certificates: Vec::new(),
    }
}

fn flow(format: CredentialFormat) {
    let mut s = setup(format);
    let verifier_key = SigningKey::generate().unwrap();
    // Verifier shows the request; it holds the issuer's certificate, so the holder leaves it
    // out of the response and the verifier puts it back.
    let mut shown = request(&s.credential_type, &verifier_key);
    shown.known_certificates = vec![compact::cert_ref(&s.issuer.certificate)];
    let request_bytes = shown.encode().unwrap();
    let request_text = envelope::encode(&Envelope {
        kind: MessageKind::VerifierRequest,
        payload: request_bytes.clone(),
    })
    .unwrap();
    println!("{format:?} request QR: {} characters", request_text.len());

    // Holder scans it and consents to all three claims.
    let scanned = envelope::decode(&request_text).unwrap();
    let parsed = VerifierRequest::decode(&scanned.payload).unwrap();
    parsed.check_time(NOW + 5).unwrap();
    let hash = request_hash(&scanned.payload);
    let claims: Vec<String> = parsed.credentials[0]
        .claims
        .iter()
        .map(|c| c.path.clone())
        .collect();
    let presentation = credentials::present(
        &mut s.store,
        s.credential_id,
        &claims,
        &binding::for_request(&parsed, &hash, format),
        NOW + 5,
        None,
    )
    .unwrap();
    let response = seal_response(
        &parsed,
        &hash,
        &[ResponseDocument {
            format,
            bytes: presentation.bytes.clone(),
        }],
    )
    .unwrap();
    let response_message = Envelope {
        kind: MessageKind::EngagedResponse,
        payload: response,
    };
    let codes = frames::encode_for_display(&response_message, &FrameOptions::default()).unwrap();
    let single = envelope::encode(&response_message).unwrap();
    println!(
        "{format:?} response: presentation {} bytes, envelope {} characters, {} QR code(s)",
        presentation.bytes.len(),
        single.len(),
        codes.len()
    );
    // One code per answer (ADR 0015): the answer fits one dense code, shown as such.
    assert_eq!(codes, vec![single.clone()], "the answer is one code");

    // A photographed response reveals no claim value.
    assert!(
        !single.contains("AMINA")
            && !String::from_utf8_lossy(&envelope::to_bytes(&response_message).unwrap())
                .contains("Amina")
    );

    // Verifier scans, decrypts, verifies.
    let mut assembler = frames::FrameAssembler::new();
    let received = if codes.len() == 1 {
        envelope::decode(&codes[0]).unwrap()
    } else {
        let mut done = None;
        for code in &codes {
            if let frames::FrameProgress::Complete(m) = assembler.push(code).unwrap() {
                done = Some(m);
            }
        }
        done.unwrap()
    };
    assert_eq!(received.kind, MessageKind::EngagedResponse);
    let certificates = [s.issuer.certificate.clone()];
    let documents = open_response(
        &verifier_key,
        &shown,
        &request_hash(&request_bytes),
        &received.payload,
        &certificates,
    )
    .unwrap();
    assert_eq!(
        documents[0].bytes, presentation.bytes,
        "rebuilt byte for byte"
    );
    // A verifier without the certificate cannot rebuild it.
    assert_eq!(
        open_response(
            &verifier_key,
            &shown,
            &request_hash(&request_bytes),
            &received.payload,
            &[],
        )
        .unwrap_err(),
        ExchangeError::UnknownCertificate
    );
    let trusted = [TrustedIssuer::from_bytes(&s.issuer.certificate).unwrap()];
    let expected = binding::for_request(&parsed, &hash, format);
    let verdict = verify_presentation(&VerificationRequest {
        presentation: &documents[0].bytes,
        binding: &expected,
        trusted: &trusted,
        now: NOW + 6,
        lang: "en",
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    });
    assert!(verdict.valid, "{:?}", verdict.reasons);
    assert_eq!(verdict.claims.len(), 3);

    // A response for another request is refused.
    let mut other = request(&s.credential_type, &verifier_key);
    other.nonce = [1u8; 16];
    let other_bytes = other.encode().unwrap();
    assert_eq!(
        open_response(
            &verifier_key,
            &other,
            &request_hash(&other_bytes),
            &received.payload,
            &certificates,
        )
        .unwrap_err(),
        ExchangeError::WrongRequest
    );

    // Every single-byte change of the response envelope's bytes is rejected somewhere.
    let raw = envelope::to_bytes(&received).unwrap();
    for i in 0..raw.len() {
        let mut bad = raw.clone();
        bad[i] ^= 0x01;
        let accepted = envelope::from_bytes(&bad)
            .ok()
            .filter(|m| m.kind == MessageKind::EngagedResponse)
            .and_then(|m| {
                open_response(
                    &verifier_key,
                    &shown,
                    &request_hash(&request_bytes),
                    &m.payload,
                    &certificates,
                )
                .ok()
            })
            .map(|docs| {
                verify_presentation(&VerificationRequest {
                    presentation: &docs[0].bytes,
                    binding: &expected,
                    trusted: &trusted,
                    now: NOW + 6,
                    lang: "en",
                    type_metadata: &[],
                    status_lists: &[],
                    max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
                    holder_high_s: wallet_core::verifier::HighS::Refuse,
                })
                .valid
            })
            .unwrap_or(false);
        assert!(
            !accepted,
            "byte {i} of {} changed and still accepted",
            raw.len()
        );
    }
}

#[test]
fn engaged_flow_sd_jwt() {
    flow(CredentialFormat::SdJwt);
}

#[test]
fn engaged_flow_mdoc() {
    flow(CredentialFormat::Mdoc);
}

#[test]
fn expired_and_malformed_requests() {
    let verifier_key = SigningKey::generate().unwrap();
    let r = request("t", &verifier_key);
    assert_eq!(
        r.check_time(NOW + 300).unwrap_err(),
        ExchangeError::RequestExpired
    );
    assert_eq!(
        r.check_time(NOW - 3_600).unwrap_err(),
        ExchangeError::RequestExpired
    );
    let bytes = r.encode().unwrap();
    for cut in 0..bytes.len() {
        assert!(VerifierRequest::decode(&bytes[..cut]).is_err());
    }
    assert_eq!(VerifierRequest::decode(&bytes).unwrap(), r);
    let mut long = r.clone();
    long.verifier_name = "x".repeat(201);
    assert_eq!(
        long.encode().unwrap_err(),
        ExchangeError::TooLarge("verifier name")
    );
}
