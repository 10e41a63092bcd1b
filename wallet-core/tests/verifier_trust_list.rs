//! The holder's verifier trust list (issue 15): registrars of verifiers travel in the same
//! signed, pinned, never-rolled-back trust list as issuers. Round trips, lists without
//! registrars, and the typed refusals: another signer, an older list, a malformed registrar.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use wallet_core::crypto::ecdsa::{Es256Signer, SigningKey, VerifyingKey};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuance::install_issuer_trust_list;
use wallet_core::jose::{JwsHeader, SignedJwt};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::trust_list::{TRUST_LIST_TYP, TrustList, TrustListError};
use wallet_core::verifier::trust_list_registrars::{MAX_REGISTRARS, TrustedRegistrar};
use wallet_core::verifier::trust_store::TrustStoreError;
use wallet_core::wallet::trusted_registrars;

/// A change to a signed payload, for table-driven refusals.
type Change = Box<dyn Fn(&mut Value)>;

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;

fn registrar(id: &str, key: &VerifyingKey) -> TrustedRegistrar {
    TrustedRegistrar {
        id: id.into(),
        name: "Humanitarian registrar".into(),
        country: "NL".into(),
        key: key.clone(),
        valid_from: NOW - DAY,
        valid_until: NOW + 90 * DAY,
    }
}

fn list(sequence: u64, registrar_key: &VerifyingKey) -> TrustList {
    let mut list = TrustList::new(sequence, NOW, 30);
    let issuer = SigningKey::generate().unwrap();
    list.add_issuer_key("Desk", issuer.verifying_key(), NOW - DAY, NOW + DAY)
        .unwrap();
    list.add_registrar(registrar("urn:registrar:1", registrar_key))
        .unwrap();
    list
}

fn store(dir: &tempfile::TempDir) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join("w.db"), "2468", options)
        .unwrap()
        .0
}

#[test]
fn registrars_round_trip_and_are_trusted_in_their_period() {
    let signer = SigningKey::generate().unwrap();
    let registrar_key = SigningKey::generate().unwrap().verifying_key();
    let mut made = list(1, &registrar_key);
    let mut retired = registrar("urn:registrar:2", &registrar_key);
    retired.valid_until = NOW - 1;
    retired.valid_from = NOW - 2 * DAY;
    made.add_registrar(retired).unwrap();
    let text = made.sign(&signer).unwrap();
    let read = TrustList::verify(&text, signer.public_key(), NOW).unwrap();
    assert_eq!(read, made);
    let now_trusted = read.registrars_at(NOW);
    assert_eq!(now_trusted.len(), 1);
    assert_eq!(now_trusted[0].id, "urn:registrar:1");
    assert_eq!(now_trusted[0].key, registrar_key);
    // An expired list vouches for no registrar.
    assert!(read.registrars_at(NOW + 31 * DAY).is_empty());
}

#[test]
fn a_list_without_registrars_reads_as_before() {
    let signer = SigningKey::generate().unwrap();
    let mut old = TrustList::new(1, NOW, 30);
    old.add_issuer_key(
        "Desk",
        SigningKey::generate().unwrap().verifying_key(),
        NOW - DAY,
        NOW + DAY,
    )
    .unwrap();
    let text = old.sign(&signer).unwrap();
    // The member is left out when there is none: the payload is what older releases wrote.
    let payload = payload_of(&text);
    assert!(payload.get("registrars").is_none());
    let read = TrustList::verify(&text, signer.public_key(), NOW).unwrap();
    assert!(read.registrars.is_empty());
    assert!(read.registrars_at(NOW).is_empty());
}

#[test]
fn the_holder_installs_one_list_for_issuers_and_registrars() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(&dir);
    let signer = SigningKey::generate().unwrap();
    let other = SigningKey::generate().unwrap();
    let registrar_key = SigningKey::generate().unwrap().verifying_key();
    assert!(trusted_registrars(&store, NOW).unwrap().is_empty());

    let second = list(2, &registrar_key).sign(&signer).unwrap();
    install_issuer_trust_list(&mut store, &second, Some(signer.public_key()), NOW).unwrap();
    let trusted = trusted_registrars(&store, NOW).unwrap();
    assert_eq!(trusted.len(), 1);
    assert_eq!(trusted[0].name, "Humanitarian registrar");

    // Registrars signed by another key: refused, the installed list stays.
    let forged = list(3, &other.verifying_key()).sign(&other).unwrap();
    assert!(matches!(
        install_issuer_trust_list(&mut store, &forged, None, NOW),
        Err(TrustStoreError::TrustList(TrustListError::BadSignature))
    ));
    assert!(matches!(
        install_issuer_trust_list(&mut store, &forged, Some(other.public_key()), NOW),
        Err(TrustStoreError::SignerChanged { .. })
    ));
    // An older list (say, one naming a registrar since removed): a rollback.
    let older = list(1, &other.verifying_key()).sign(&signer).unwrap();
    assert!(matches!(
        install_issuer_trust_list(&mut store, &older, None, NOW),
        Err(TrustStoreError::TrustList(TrustListError::Rollback {
            have: 2,
            got: 1
        }))
    ));
    let still = trusted_registrars(&store, NOW).unwrap();
    assert_eq!(still[0].key, registrar_key);
    // Once the list expires, the holder trusts no registrar.
    assert!(
        trusted_registrars(&store, NOW + 31 * DAY)
            .unwrap()
            .is_empty()
    );
}

fn payload_of(text: &str) -> Value {
    let part = text.split('.').nth(1).unwrap();
    serde_json::from_slice(&wallet_core::jose::base64url::decode(part).unwrap()).unwrap()
}

/// Signs `payload` with a correct header: refusals that must come after the signature.
fn sign_raw(payload: &Value, key: &SigningKey) -> String {
    let header = JwsHeader::es256().with_typ(TRUST_LIST_TYP);
    SignedJwt::sign(&header, payload.as_object().unwrap(), key)
        .unwrap()
        .as_str()
        .to_owned()
}

#[test]
fn malformed_registrar_entries_refuse_the_whole_list() {
    let signer = SigningKey::generate().unwrap();
    let registrar_key = SigningKey::generate().unwrap().verifying_key();
    let good = payload_of(&list(1, &registrar_key).sign(&signer).unwrap());
    let p384 = json!({"kty": "EC", "crv": "P-384",
        "x": "AAAA", "y": "AAAA"});
    let changes: Vec<(&str, Change)> = vec![
        ("not an array", Box::new(|p| p["registrars"] = json!({}))),
        (
            "not an object",
            Box::new(|p| p["registrars"][0] = json!("x")),
        ),
        (
            "unknown member",
            Box::new(|p| p["registrars"][0]["scope"] = json!([])),
        ),
        (
            "no key",
            Box::new(|p| {
                p["registrars"][0].as_object_mut().unwrap().remove("key");
            }),
        ),
        (
            "P-384 key",
            Box::new(move |p| p["registrars"][0]["key"] = p384.clone()),
        ),
        (
            "private key",
            Box::new(|p| p["registrars"][0]["key"]["d"] = json!("AAAA")),
        ),
        (
            "blank id",
            Box::new(|p| p["registrars"][0]["id"] = json!(" ")),
        ),
        (
            "id not a string",
            Box::new(|p| p["registrars"][0]["id"] = json!(1)),
        ),
        (
            "control character in name",
            Box::new(|p| p["registrars"][0]["name"] = json!("a\u{7}b")),
        ),
        (
            "country of three letters",
            Box::new(|p| p["registrars"][0]["country"] = json!("NLD")),
        ),
        (
            "empty period",
            Box::new(|p| {
                p["registrars"][0]["valid_until"] = p["registrars"][0]["valid_from"].clone()
            }),
        ),
        (
            "time not an integer",
            Box::new(|p| p["registrars"][0]["valid_from"] = json!("soon")),
        ),
        (
            "id listed twice",
            Box::new(|p| {
                let first = p["registrars"][0].clone();
                p["registrars"].as_array_mut().unwrap().push(first);
            }),
        ),
    ];
    for (what, change) in changes {
        let mut payload = good.clone();
        change(&mut payload);
        let text = sign_raw(&payload, &signer);
        assert!(
            matches!(
                TrustList::verify(&text, signer.public_key(), NOW),
                Err(TrustListError::Malformed(_))
            ),
            "{what}"
        );
    }
    let mut crowded = good.clone();
    let first = crowded["registrars"][0].clone();
    crowded["registrars"] = Value::Array(
        (0..=MAX_REGISTRARS)
            .map(|i| {
                let mut entry = first.clone();
                entry["id"] = json!(format!("urn:registrar:{i}"));
                entry
            })
            .collect(),
    );
    assert!(matches!(
        TrustList::verify(&sign_raw(&crowded, &signer), signer.public_key(), NOW),
        Err(TrustListError::TooLarge(_))
    ));
    // The untouched payload, signed the same way, is accepted: the refusals are the changes'.
    assert!(TrustList::verify(&sign_raw(&good, &signer), signer.public_key(), NOW).is_ok());
}

#[test]
fn building_refuses_a_bad_registrar_and_keeps_the_list() {
    let key = SigningKey::generate().unwrap().verifying_key();
    let mut list = TrustList::new(1, NOW, 30);
    let mut bad = registrar("urn:r", &key);
    bad.country = "nl".into();
    assert!(matches!(
        list.add_registrar(bad),
        Err(TrustListError::Malformed(_))
    ));
    list.add_registrar(registrar("urn:r", &key)).unwrap();
    assert!(matches!(
        list.add_registrar(registrar("urn:r", &key)),
        Err(TrustListError::Malformed(_))
    ));
    assert!(matches!(
        list.add_registrar(registrar(&"x".repeat(257), &key)),
        Err(TrustListError::TooLarge(_))
    ));
    assert_eq!(list.registrars.len(), 1);
}
