//! Offline issuance over QR codes, end to end through the public API: the desk's signed offer,
//! the holder's reading (trusted, unknown, not allowed), the proof, the sealed batch, and the
//! holder's checks; every bad input of issue 14 is a typed error that leaves the wallet (and
//! the desk's ledger) as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ciborium::Value;
use serde_json::{Map, json};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuance::desk::{self, DeliveryRequest, DeskLedger, OfferRequest};
use wallet_core::issuance::{
    IssuanceError, OfferTrust, OfferedCredential, accept_offer, assemble, open_batch,
    pending_count, read_offer, receive, receive_codes,
};
use wallet_core::issuer::{IssuerIdentity, StatusAllocator};
use wallet_core::qr::frames::{FrameOptions, encode_for_display};
use wallet_core::qr::{Envelope, QrError};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::TrustedIssuer;
use wallet_core::wallet::credentials;

const NOW: i64 = 1_790_000_000;
const VCT: &str = "urn:laissez:test:registration:1";
const DOCTYPE: &str = "org.laissez.test.registration.1";

fn claims() -> Map<String, serde_json::Value> {
    json!({
        "given_name": "Amina",
        "family_name": "Diallo",
        "birth_date": "1994-03-17",
        "place_of_birth": "Mopti",
        "registration_number": "NE-2026-004213",
        "registration_office": "Agadez field office"
    })
    .as_object()
    .unwrap()
    .clone()
}

fn wallet(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

fn records(store: &WalletStore) -> usize {
    store.export_all().unwrap().len()
}

fn trusting(issuer: &IssuerIdentity) -> Vec<TrustedIssuer> {
    let mut entry = TrustedIssuer::from_bytes(issuer.trust_anchor()).unwrap();
    entry.name = Some("Registration office (trust list)".into());
    vec![entry]
}

fn offered(format: CredentialFormat) -> OfferedCredential {
    OfferedCredential {
        format,
        credential_type: match format {
            CredentialFormat::SdJwt => VCT.into(),
            CredentialFormat::Mdoc => DOCTYPE.into(),
        },
    }
}

fn offer(
    issuer: &IssuerIdentity,
    ledger: &mut DeskLedger,
    format: CredentialFormat,
    count: u32,
) -> Envelope {
    desk::make_offer(
        issuer,
        ledger,
        &OfferRequest {
            credential: offered(format),
            batch_size: count,
            valid_minutes: 10,
        },
        NOW,
    )
    .unwrap()
}

fn deliver(
    issuer: &IssuerIdentity,
    ledger: &mut DeskLedger,
    proof: &Envelope,
) -> Result<Envelope, IssuanceError> {
    deliver_with(issuer, ledger, proof, None)
}

fn deliver_with(
    issuer: &IssuerIdentity,
    ledger: &mut DeskLedger,
    proof: &Envelope,
    portrait: Option<Vec<u8>>,
) -> Result<Envelope, IssuanceError> {
    let claims = claims();
    // Each copy draws its own random status index (revoking "person-1" revokes them all).
    let mut allocator = StatusAllocator::new("https://desk.example/status/1", 1_024).unwrap();
    desk::deliver(
        issuer,
        ledger,
        proof,
        &mut DeliveryRequest {
            claims: &claims,
            valid_days: 365,
            status: Some((&mut allocator, "person-1")),
            portrait,
        },
        NOW + 60,
    )
}

/// The CBOR map of a message payload, to alter one field as an attacker would.
fn edit(payload: &[u8], field: &str, change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = ciborium::from_reader(payload).unwrap();
    let Value::Map(entries) = &mut value else {
        panic!("not a map")
    };
    let (_, v) = entries
        .iter_mut()
        .find(|(k, _)| k.as_text() == Some(field))
        .unwrap();
    change(v);
    let mut out = Vec::new();
    ciborium::into_writer(&value, &mut out).unwrap();
    out
}

#[test]
fn a_trusted_desk_issues_a_batch_of_five_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = IssuerIdentity::generate("Agadez registration desk", NOW, 30).unwrap();
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut store = wallet(&dir, &format!("{format:?}.db"));
        let mut ledger = DeskLedger::new();
        let message = offer(&issuer, &mut ledger, format, 5);
        let view = read_offer(&message, &trusting(&issuer), NOW + 5).unwrap();
        assert_eq!(
            view.trust,
            OfferTrust::Trusted {
                name: "Registration office (trust list)".into()
            }
        );
        assert_eq!(view.offer.batch_size, 5);
        assert_eq!(view.offer.credential().unwrap(), &offered(format));
        assert!(view.offer.nonce.len() >= 16);
        let proof = accept_offer(&mut store, &view, NOW + 10).unwrap();
        assert_eq!(pending_count(&store).unwrap(), 1);
        let batch = deliver(&issuer, &mut ledger, &proof).unwrap();
        // The batch names no claim value in the clear.
        assert!(!String::from_utf8_lossy(&batch.payload).contains("Diallo"));
        let frames = encode_for_display(&batch, &FrameOptions::default()).unwrap();
        let rebuilt = assemble(&frames).unwrap();
        let checked = open_batch(&store, &rebuilt, NOW + 90).unwrap();
        assert_eq!(checked.copies.len(), 5);
        assert_eq!(checked.format, format);
        // Five different copies: own salts and signatures each.
        let mut distinct = checked.copies.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 5);
        let summary = receive_codes(&mut store, &frames, NOW + 90).unwrap();
        assert_eq!(summary.credential_type, offered(format).credential_type);
        assert_eq!(summary.format, format);
        assert_eq!(credentials::list(&store).unwrap().len(), 1);
        // Done: the pending acceptance is gone, and the batch cannot be received again.
        assert_eq!(pending_count(&store).unwrap(), 0);
        assert!(matches!(
            receive(&mut store, &rebuilt, NOW + 95),
            Err(IssuanceError::NoPendingOffer)
        ));
    }
}

#[test]
fn an_unknown_issuer_is_shown_as_unknown_and_a_type_it_may_not_issue_as_not_allowed() {
    let issuer = IssuerIdentity::generate("Desk", NOW, 30).unwrap();
    let stranger = IssuerIdentity::generate("Someone else", NOW, 30).unwrap();
    let mut ledger = DeskLedger::new();
    let message = offer(&stranger, &mut ledger, CredentialFormat::SdJwt, 2);
    let view = read_offer(&message, &trusting(&issuer), NOW).unwrap();
    assert_eq!(view.trust, OfferTrust::Unknown);
    assert!(!view.trust.is_trusted());
    assert_eq!(view.claimed_name, "Someone else");
    // No trust list at all: unknown too.
    assert_eq!(
        read_offer(&message, &[], NOW).unwrap().trust,
        OfferTrust::Unknown
    );
    // Trusted, but only for another type.
    let mut limited = trusting(&stranger);
    limited[0].credential_types = vec!["urn:other".into()];
    let view = read_offer(&message, &limited, NOW).unwrap();
    assert!(matches!(view.trust, OfferTrust::NotAllowedForType { .. }));
    assert!(!view.trust.is_trusted());
}

#[test]
fn expired_and_badly_signed_offers_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let issuer = IssuerIdentity::generate("Desk", NOW, 30).unwrap();
    let trusted = trusting(&issuer);
    let mut ledger = DeskLedger::new();
    let message = offer(&issuer, &mut ledger, CredentialFormat::SdJwt, 3);
    let before = records(&store);
    // Expired (valid 10 minutes).
    assert!(matches!(
        read_offer(&message, &trusted, NOW + 601),
        Err(IssuanceError::OfferExpired)
    ));
    let view = read_offer(&message, &trusted, NOW).unwrap();
    assert!(matches!(
        accept_offer(&mut store, &view, NOW + 601),
        Err(IssuanceError::OfferExpired)
    ));
    assert_eq!(records(&store), before);
    // A flipped bit anywhere in the signature or the signed payload.
    let sign1: Value = ciborium::from_reader(message.payload.as_slice()).unwrap();
    let Value::Array(parts) = sign1 else { panic!() };
    for (part, at) in [(2usize, 12usize), (3, 5)] {
        let mut parts = parts.clone();
        let Value::Bytes(bytes) = &mut parts[part] else {
            panic!()
        };
        bytes[at] ^= 1;
        let mut altered = Vec::new();
        ciborium::into_writer(&Value::Array(parts), &mut altered).unwrap();
        let altered = Envelope {
            kind: message.kind,
            payload: altered,
        };
        assert!(
            matches!(
                read_offer(&altered, &trusted, NOW),
                Err(IssuanceError::BadOfferSignature | IssuanceError::Malformed(_))
            ),
            "part {part}"
        );
    }
    // Another signer's certificate swapped in: the signature no longer verifies.
    let other = IssuerIdentity::generate("Other", NOW, 30).unwrap();
    let mut parts = parts.clone();
    parts[1] = Value::Map(vec![(
        Value::Integer(33.into()),
        Value::Bytes(other.certificate.clone()),
    )]);
    let mut swapped = Vec::new();
    ciborium::into_writer(&Value::Array(parts), &mut swapped).unwrap();
    assert!(matches!(
        read_offer(
            &Envelope {
                kind: message.kind,
                payload: swapped
            },
            &trusting(&other),
            NOW
        ),
        Err(IssuanceError::BadOfferSignature)
    ));
    // Garbage and the wrong kind of message.
    for payload in [vec![], vec![0xff, 0x00], b"not cbor".to_vec()] {
        assert!(matches!(
            read_offer(
                &Envelope {
                    kind: message.kind,
                    payload
                },
                &trusted,
                NOW
            ),
            Err(IssuanceError::Malformed(_))
        ));
    }
    let wrong_kind = Envelope {
        kind: wallet_core::qr::MessageKind::TrustList,
        payload: message.payload.clone(),
    };
    assert!(matches!(
        read_offer(&wrong_kind, &trusted, NOW),
        Err(IssuanceError::WrongMessage(_))
    ));
    // Long after, when the signer's certificate has expired too: the offer's expiry is told.
    assert!(matches!(
        read_offer(&message, &trusted, NOW + 31 * 86_400),
        Err(IssuanceError::OfferExpired)
    ));
    assert_eq!(records(&store), before);
}

#[test]
fn the_desk_refuses_proofs_for_another_offer_or_nonce_bad_signatures_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let issuer = IssuerIdentity::generate("Desk", NOW, 30).unwrap();
    let trusted = trusting(&issuer);
    let mut ledger = DeskLedger::new();
    let message = offer(&issuer, &mut ledger, CredentialFormat::SdJwt, 3);
    let view = read_offer(&message, &trusted, NOW).unwrap();
    let proof = accept_offer(&mut store, &view, NOW).unwrap();
    let altered = |field: &str, change: &dyn Fn(&mut Value)| Envelope {
        kind: proof.kind,
        payload: edit(&proof.payload, field, |v| change(v)),
    };
    // Another desk's ledger (another offer).
    let mut other_ledger = DeskLedger::new();
    offer(&issuer, &mut other_ledger, CredentialFormat::SdJwt, 3);
    assert!(matches!(
        deliver(&issuer, &mut other_ledger, &proof),
        Err(IssuanceError::UnknownOffer)
    ));
    // Another offer hash.
    let other_offer = altered("oh", &|v| {
        if let Value::Bytes(b) = v {
            b[0] ^= 1;
        }
    });
    assert!(matches!(
        deliver(&issuer, &mut ledger, &other_offer),
        Err(IssuanceError::UnknownOffer)
    ));
    // Another nonce.
    let other_nonce = altered("nonce", &|v| {
        if let Value::Bytes(b) = v {
            b[0] ^= 1;
        }
    });
    assert!(matches!(
        deliver(&issuer, &mut ledger, &other_nonce),
        Err(IssuanceError::WrongNonce)
    ));
    // A wrong proof-of-possession signature (second key).
    let bad_signature = altered("keys", &|v| {
        if let Value::Array(keys) = v
            && let Value::Array(pair) = &mut keys[1]
            && let Value::Bytes(signature) = &mut pair[1]
        {
            signature[10] ^= 1;
        }
    });
    assert!(matches!(
        deliver(&issuer, &mut ledger, &bad_signature),
        Err(IssuanceError::BadProofSignature { index: 1 })
    ));
    // Another ephemeral key: every proof of possession covers it.
    let other_eph = altered("eph", &|v| {
        let key = wallet_core::crypto::ecdsa::SigningKey::generate().unwrap();
        *v = Value::Bytes(key.public_key().to_sec1().to_vec());
    });
    assert!(matches!(
        deliver(&issuer, &mut ledger, &other_eph),
        Err(IssuanceError::BadProofSignature { index: 0 })
    ));
    // The same key twice; more keys than offered.
    let duplicate = altered("keys", &|v| {
        if let Value::Array(keys) = v {
            keys[1] = keys[0].clone();
        }
    });
    assert!(matches!(
        deliver(&issuer, &mut ledger, &duplicate),
        Err(IssuanceError::DuplicateKey)
    ));
    let too_many = altered("keys", &|v| {
        if let Value::Array(keys) = v {
            keys.push(keys[0].clone());
        }
    });
    assert!(matches!(
        deliver(&issuer, &mut ledger, &too_many),
        Err(IssuanceError::WrongKeyCount { got: 4, allowed: 3 })
    ));
    // None of that used the offer up: the real proof works once, then is a replay.
    deliver(&issuer, &mut ledger, &proof).unwrap();
    assert!(matches!(
        deliver(&issuer, &mut ledger, &proof),
        Err(IssuanceError::OfferAlreadyUsed)
    ));
    // The ledger survives its file form, used flag included.
    let mut reread = DeskLedger::from_json(&ledger.to_json()).unwrap();
    assert!(matches!(
        deliver(&issuer, &mut reread, &proof),
        Err(IssuanceError::OfferAlreadyUsed)
    ));
    assert!(matches!(
        DeskLedger::from_json(b"{not json"),
        Err(IssuanceError::DamagedLedger)
    ));
    // Expired offer at the desk.
    let mut ledger = DeskLedger::new();
    let message = offer(&issuer, &mut ledger, CredentialFormat::SdJwt, 1);
    let view = read_offer(&message, &trusted, NOW).unwrap();
    let proof = accept_offer(&mut store, &view, NOW).unwrap();
    let claims = claims();
    assert!(matches!(
        desk::deliver(
            &issuer,
            &mut ledger,
            &proof,
            &mut DeliveryRequest {
                claims: &claims,
                valid_days: 30,
                status: None,
                portrait: None,
            },
            NOW + 601
        ),
        Err(IssuanceError::OfferExpired)
    ));
}

#[test]
fn bad_batches_are_refused_and_the_wallet_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let stranger = wallet(&dir, "other.db");
    let issuer = IssuerIdentity::generate("Desk", NOW, 30).unwrap();
    let trusted = trusting(&issuer);
    let mut ledger = DeskLedger::new();
    let first = offer(&issuer, &mut ledger, CredentialFormat::SdJwt, 5);
    let second = offer(&issuer, &mut ledger, CredentialFormat::Mdoc, 5);
    let first_view = read_offer(&first, &trusted, NOW).unwrap();
    let proof_one = accept_offer(&mut store, &first_view, NOW).unwrap();
    let proof_two = accept_offer(
        &mut store,
        &read_offer(&second, &trusted, NOW).unwrap(),
        NOW,
    )
    .unwrap();
    let batch_one = deliver(&issuer, &mut ledger, &proof_one).unwrap();
    let batch_two = deliver(&issuer, &mut ledger, &proof_two).unwrap();
    let before = records(&store);
    let options = FrameOptions {
        max_frame_chars: 400,
        one_code_max_chars: 0,
        ..FrameOptions::default()
    };
    let frames_one = encode_for_display(&batch_one, &options).unwrap();
    let frames_two = encode_for_display(&batch_two, &options).unwrap();
    assert!(frames_one.len() > 2);
    // Frames from two batches mixed.
    let mixed = vec![frames_one[0].clone(), frames_two[0].clone()];
    assert!(matches!(
        assemble(&mixed),
        Err(IssuanceError::Qr(QrError::MixedMessages))
    ));
    // Tampered frames: one character of one frame changed.
    let mut tampered = frames_one.clone();
    let mut chars: Vec<char> = tampered[1].chars().collect();
    let at = chars.len() - 3;
    chars[at] = if chars[at] == '0' { '1' } else { '0' };
    tampered[1] = chars.into_iter().collect();
    assert!(matches!(assemble(&tampered), Err(IssuanceError::Qr(_))));
    // Too few frames.
    assert!(matches!(
        assemble(&frames_one[..1]),
        Err(IssuanceError::Malformed(_))
    ));
    // Tampered ciphertext in a whole message.
    let altered = Envelope {
        kind: batch_one.kind,
        payload: edit(&batch_one.payload, "ct", |v| {
            if let Value::Bytes(b) = v {
                b[20] ^= 1;
            }
        }),
    };
    assert!(matches!(
        open_batch(&store, &altered, NOW + 90),
        Err(IssuanceError::Undecryptable)
    ));
    // A batch whose offer hash was changed finds no pending offer; another wallet has none.
    let rerouted = Envelope {
        kind: batch_one.kind,
        payload: edit(&batch_one.payload, "oh", |v| {
            if let Value::Bytes(b) = v {
                b[0] ^= 1;
            }
        }),
    };
    assert!(matches!(
        open_batch(&store, &rerouted, NOW + 90),
        Err(IssuanceError::NoPendingOffer)
    ));
    assert!(matches!(
        open_batch(&stranger, &batch_one, NOW + 90),
        Err(IssuanceError::NoPendingOffer)
    ));
    // After the pending acceptance's time: expired.
    assert!(matches!(
        open_batch(&store, &batch_one, NOW + 601 + 3_600),
        Err(IssuanceError::OfferExpired)
    ));
    assert_eq!(records(&store), before);
    // Both real batches still open.
    assert_eq!(
        open_batch(&store, &assemble(&frames_one).unwrap(), NOW + 90)
            .unwrap()
            .copies
            .len(),
        5
    );
    open_batch(&store, &assemble(&frames_two).unwrap(), NOW + 90).unwrap();
    for bad in [&altered, &rerouted] {
        assert!(receive(&mut store, bad, NOW + 90).is_err());
    }
    assert!(receive_codes(&mut store, &mixed, NOW + 90).is_err());
    assert!(receive_codes(&mut store, &tampered, NOW + 90).is_err());
    assert_eq!(records(&store), before);
    assert!(credentials::list(&store).unwrap().is_empty());
    receive(&mut store, &batch_one, NOW + 90).unwrap();
    receive(&mut store, &batch_two, NOW + 90).unwrap();
    assert_eq!(credentials::list(&store).unwrap().len(), 2);
    assert_eq!(pending_count(&store).unwrap(), 0);
}

/// Frames shown at 10 a second, starting at a random frame, each lost with probability 1/4,
/// until the message is complete: the ../shared/bench frame model (`laissez-bench frames`).
fn frames_until_complete(frames: &[String], seed: u64) -> usize {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let start = (next() % frames.len() as u64) as usize;
    let mut assembler = wallet_core::qr::frames::FrameAssembler::new();
    for shown in 1..=frames.len() * 20 {
        let frame = &frames[(start + shown - 1) % frames.len()];
        if next() % 4 == 0 {
            continue;
        }
        if let wallet_core::qr::frames::FrameProgress::Complete(_) = assembler.push(frame).unwrap()
        {
            return shown;
        }
    }
    panic!("never completed");
}

/// The sizes of docs/BENCHMARKS.md, "Offline issuance": characters and codes each way for a
/// 6-claim credential in a batch of 5, both formats; the batch's display time at 10 frames a
/// second with a quarter lost (200 trials). Run with `--nocapture` to see the table.
#[test]
fn sizes_each_way_for_a_batch_of_five() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = IssuerIdentity::generate("Agadez registration desk", NOW, 30).unwrap();
    let options = FrameOptions::default();
    println!(
        "| format | portrait | offer | proof | batch: bytes, chars, frames (needed) | shown at 10 fps, 1/4 lost: median / p95 (s) |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    // The issuer's default portrait (80x100 greyscale JPEG, quality 30; ADR 0018).
    let face = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/portrait/astronaut-80x100-q30-grey.jpg"),
    )
    .unwrap();
    let cases = [CredentialFormat::SdJwt, CredentialFormat::Mdoc]
        .into_iter()
        .flat_map(|f| [(f, None), (f, Some(face.clone()))]);
    for (format, portrait) in cases {
        let with = if portrait.is_some() { "with" } else { "no" };
        let mut store = wallet(&dir, &format!("size-{format:?}-{with}.db"));
        let mut ledger = DeskLedger::new();
        let message = offer(&issuer, &mut ledger, format, 5);
        let view = read_offer(&message, &trusting(&issuer), NOW).unwrap();
        let proof = accept_offer(&mut store, &view, NOW).unwrap();
        let batch = deliver_with(&issuer, &mut ledger, &proof, portrait).unwrap();
        let offer_codes = encode_for_display(&message, &options).unwrap();
        let proof_codes = encode_for_display(&proof, &options).unwrap();
        let batch_codes = encode_for_display(&batch, &options).unwrap();
        // Offer and proof are one code each; the batch is an animated sequence.
        assert_eq!(offer_codes.len(), 1);
        assert_eq!(proof_codes.len(), 1);
        assert!(batch_codes.len() > 1);
        let bytes = wallet_core::qr::envelope::to_bytes(&batch).unwrap().len();
        let needed = wallet_core::qr::frames::source_frames(bytes, &options).unwrap();
        let mut shown: Vec<usize> = (0..200)
            .map(|seed| frames_until_complete(&batch_codes, 20_261_207 + seed))
            .collect();
        shown.sort_unstable();
        let chars: usize = batch_codes.iter().map(String::len).sum();
        println!(
            "| {} | {with} portrait | {} chars, 1 code | {} chars, 1 code | {} B, {chars} chars, {} frames ({needed}) | {:.1} / {:.1} |",
            format.as_str(),
            offer_codes[0].len(),
            proof_codes[0].len(),
            batch.payload.len(),
            batch_codes.len(),
            shown[100] as f64 / 10.0,
            shown[190] as f64 / 10.0,
        );
        assert!(receive(&mut store, &batch, NOW + 90).is_ok());
    }
}
