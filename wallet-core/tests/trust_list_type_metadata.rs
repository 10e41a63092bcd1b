//! The trust list's `type_metadata` member: documents signed in keep their exact bytes, and
//! malformed, oversized or too many documents refuse the whole list, leaving the installed
//! one unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use wallet_core::crypto::ecdsa::{Es256Signer, SigningKey};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::jose::{JwsHeader, base64url};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::type_metadata::MAX_DOCUMENT_LEN;
use wallet_core::verifier::trust_list::{TRUST_LIST_TYP, TrustList, TrustListError};
use wallet_core::verifier::trust_list_metadata::MAX_TYPE_METADATA_DOCUMENTS;
use wallet_core::verifier::trust_store;

const NOW: i64 = 1_760_000_000;
/// Pretty-printed with a final newline: the bytes must survive exactly.
const PID_DOC: &[u8] = b"{\n  \"vct\": \"urn:eudi:pid:1\",\n  \"claims\": [{\"path\": [\"family_name\"], \"display\": [{\"locale\": \"fr\", \"label\": \"Nom de famille\"}]}]\n}\n";

fn signer() -> SigningKey {
    SigningKey::from_scalar(&[21u8; 32]).unwrap()
}

fn list(sequence: u64) -> TrustList {
    let mut list = TrustList::new(sequence, NOW, 30);
    list.add_issuer_key(
        "Desk",
        SigningKey::from_scalar(&[22u8; 32])
            .unwrap()
            .verifying_key(),
        NOW - 10,
        NOW + 1000,
    )
    .unwrap();
    list
}

/// The payload of `list` signed, with `change` applied, signed again by the same signer.
fn signed_with(sequence: u64, change: impl Fn(&mut Value)) -> String {
    let token = list(sequence).sign(&signer()).unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let mut payload: Value = serde_json::from_slice(&base64url::decode(payload).unwrap()).unwrap();
    change(&mut payload);
    // By hand, as `TrustList::sign` does: a JWT helper would refuse the oversized cases.
    let header = JwsHeader::es256().with_typ(TRUST_LIST_TYP);
    let mut text = base64url::encode(&serde_json::to_vec(&header.to_json()).unwrap());
    text.push('.');
    text.push_str(&base64url::encode(&serde_json::to_vec(&payload).unwrap()));
    let signature = signer().sign(text.as_bytes()).unwrap();
    text.push('.');
    text.push_str(&base64url::encode(&signature));
    text
}

#[test]
fn documents_round_trip_byte_for_byte() {
    let mut with_docs = list(1);
    with_docs.add_type_metadata(PID_DOC).unwrap();
    // A second document for the same type, or a bad one, is refused and changes nothing.
    assert!(matches!(
        with_docs.add_type_metadata(PID_DOC),
        Err(TrustListError::Malformed(_))
    ));
    assert!(matches!(
        with_docs.add_type_metadata(b"{\"vct\":1}"),
        Err(TrustListError::Malformed(_))
    ));
    assert!(matches!(
        with_docs.add_type_metadata(&vec![b' '; MAX_DOCUMENT_LEN + 1]),
        Err(TrustListError::TooLarge(_))
    ));
    assert_eq!(with_docs.type_metadata.len(), 1);
    let token = with_docs.sign(&signer()).unwrap();
    let read = TrustList::verify(&token, &signer().verifying_key(), NOW).unwrap();
    assert_eq!(read, with_docs);
    assert_eq!(read.type_metadata[0].bytes(), PID_DOC);
    // Without documents the member is left out, so older lists read as before.
    let plain = list(1).sign(&signer()).unwrap();
    let payload: Value =
        serde_json::from_slice(&base64url::decode(plain.split('.').nth(1).unwrap()).unwrap())
            .unwrap();
    assert!(payload.get("type_metadata").is_none());
}

#[test]
fn bad_documents_refuse_the_list() {
    let pinned = signer().verifying_key();
    let doc = STANDARD.encode(PID_DOC);
    let too_many: Vec<String> = (0..=MAX_TYPE_METADATA_DOCUMENTS)
        .map(|i| STANDARD.encode(format!(r#"{{"vct":"urn:{i}"}}"#)))
        .collect();
    let oversized = STANDARD.encode(vec![b' '; MAX_DOCUMENT_LEN + 1]);
    let cases: Vec<(Value, bool)> = vec![
        (json!("not an array"), false),
        (json!([1]), false),
        (json!(["***"]), false),
        (json!([STANDARD.encode(b"{not json")]), false),
        (json!([STANDARD.encode(b"{\"claims\":[]}")]), false),
        (json!([doc, doc]), false),
        (json!(too_many), true),
        (json!([oversized]), true),
    ];
    for (value, too_large) in cases {
        let token = signed_with(1, |p| p["type_metadata"] = value.clone());
        let err = TrustList::verify(&token, &pinned, NOW).unwrap_err();
        if too_large {
            assert!(
                matches!(err, TrustListError::TooLarge(_)),
                "{value}: {err:?}"
            );
        } else {
            assert!(
                matches!(err, TrustListError::Malformed(_)),
                "{value}: {err:?}"
            );
        }
    }
}

#[test]
fn a_refused_list_leaves_the_installed_one() {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut store, _) = WalletStore::create(dir.path().join("v.db"), "2468", options).unwrap();
    let mut first = list(1);
    first.add_type_metadata(PID_DOC).unwrap();
    let token = first.sign(&signer()).unwrap();
    trust_store::install(&mut store, &token, Some(&signer().verifying_key()), NOW).unwrap();
    for bad in [
        json!(["***"]),
        json!([STANDARD.encode(vec![b' '; MAX_DOCUMENT_LEN + 1])]),
    ] {
        let token = signed_with(2, |p| p["type_metadata"] = bad.clone());
        assert!(trust_store::install(&mut store, &token, None, NOW).is_err());
    }
    let installed = trust_store::installed(&store).unwrap().unwrap();
    assert_eq!(installed.list.sequence, 1);
    assert_eq!(installed.list.type_metadata.len(), 1);
    assert_eq!(installed.list.type_metadata[0].bytes(), PID_DOC);
}
