//! The signed trust list: sign -> verify round trips, the issuers it yields, and every
//! refusal a verifier must make (another signer, tampering, wrong typ or algorithm,
//! expiry, rollback, size limits, each malformed member).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use serde_json::{Value, json};
use wallet_core::crypto::ecdsa::{Es256Signer, SigningKey, VerifyingKey};
use wallet_core::jose::{JwsHeader, P256Jwk, SignedJwt, base64url};
use wallet_core::verifier::trust_list::{
    MAX_CREDENTIAL_TYPES, MAX_ISSUER_NAME_LEN, MAX_TRUST_LIST_ENTRIES, MAX_TRUST_LIST_LEN,
    TRUST_LIST_CLOCK_SKEW_SECS, TRUST_LIST_TYP, TrustList, TrustListEntry, TrustListError,
    check_newer,
};
use wallet_core::x509::self_signed_certificate;

/// A change to a signed payload, for table-driven refusals.
type Change = Box<dyn Fn(&mut Value)>;

const NOW: i64 = 1_760_000_000;
const DAY: i64 = 86_400;
const PID: &str = "urn:eu.europa.ec.eudi:pid:1";
const RESIDENCE: &str = "urn:example:laissez:residence:1";

struct Fixture {
    signer: SigningKey,
    pinned: VerifyingKey,
    ministry: SigningKey,
    ministry_der: Vec<u8>,
    ngo: SigningKey,
}

fn fixture() -> Fixture {
    let signer = SigningKey::from_scalar(&[11u8; 32]).unwrap();
    let ministry = SigningKey::from_scalar(&[12u8; 32]).unwrap();
    let ministry_der =
        self_signed_certificate(&ministry, "Ministry of Interior", NOW - DAY, 3650).unwrap();
    let ngo = SigningKey::from_scalar(&[13u8; 32]).unwrap();
    Fixture {
        pinned: signer.verifying_key(),
        signer,
        ministry,
        ministry_der,
        ngo,
    }
}

fn sample_list(f: &Fixture) -> TrustList {
    let mut list = TrustList::new(7, NOW, 30);
    list.add_issuer_certificate(
        "Ministry of Interior",
        &f.ministry_der,
        NOW - DAY,
        NOW + 365 * DAY,
    )
    .unwrap()
    .credential_types = vec![PID.into()];
    list.add_issuer_key(
        "Aid Registration Desk",
        f.ngo.verifying_key(),
        NOW - DAY,
        NOW + 90 * DAY,
    )
    .unwrap();
    list
}

/// Signs `payload` as a trust list would be, but with whatever content and header: for
/// refusals that must come after a valid signature.
fn sign_raw(payload: &Value, header: &JwsHeader, key: &SigningKey) -> String {
    SignedJwt::sign(header, payload.as_object().unwrap(), key)
        .unwrap()
        .as_str()
        .to_owned()
}

fn signed_payload(f: &Fixture) -> Value {
    let token = sample_list(f).sign(&f.signer).unwrap();
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64url::decode(payload).unwrap()).unwrap()
}

fn verify_payload(f: &Fixture, payload: &Value) -> Result<TrustList, TrustListError> {
    let header = JwsHeader::es256().with_typ(TRUST_LIST_TYP);
    TrustList::verify(&sign_raw(payload, &header, &f.signer), &f.pinned, NOW)
}

#[test]
fn sign_verify_round_trip() {
    let f = fixture();
    let list = sample_list(&f);
    let token = list.sign(&f.signer).unwrap();
    let header: Value =
        serde_json::from_slice(&base64url::decode(token.split('.').next().unwrap()).unwrap())
            .unwrap();
    assert_eq!(header, json!({"alg": "ES256", "typ": TRUST_LIST_TYP}));
    let read = TrustList::verify(&token, &f.pinned, NOW).unwrap();
    assert_eq!(read, list);
    assert_eq!(read.sequence, 7);
    assert_eq!(read.expires_at, NOW + 30 * DAY);
    // A trailing newline (a file) is fine.
    assert_eq!(
        TrustList::verify(&format!("{token}\n"), &f.pinned, NOW).unwrap(),
        list
    );
    // The payload is the documented JSON.
    let payload = signed_payload(&f);
    assert_eq!(payload["version"], 1);
    assert_eq!(payload["issuers"][0]["credential_types"], json!([PID]));
    assert_eq!(
        STANDARD
            .decode(payload["issuers"][0]["certificate"].as_str().unwrap())
            .unwrap(),
        f.ministry_der
    );
    assert_eq!(
        payload["issuers"][1]["key"],
        P256Jwk::from_verifying_key(f.ngo.verifying_key()).to_json()
    );
    assert!(payload["issuers"][1].get("certificate").is_none());
}

#[test]
fn issuers_at_filters_by_time_and_type_and_keeps_names() {
    let f = fixture();
    let list =
        TrustList::verify(&sample_list(&f).sign(&f.signer).unwrap(), &f.pinned, NOW).unwrap();

    let all = list.issuers_at(NOW, None);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].name.as_deref(), Some("Ministry of Interior"));
    assert_eq!(all[0].key, f.ministry.verifying_key());
    assert_eq!(
        all[0].certificate.as_ref().unwrap().der(),
        &f.ministry_der[..]
    );
    assert_eq!(all[1].name.as_deref(), Some("Aid Registration Desk"));
    assert!(all[1].certificate.is_none());

    // The ministry is restricted to PID; the desk takes any type.
    let pid = list.issuers_at(NOW, Some(PID));
    assert_eq!(pid.len(), 2);
    let residence = list.issuers_at(NOW, Some(RESIDENCE));
    assert_eq!(residence.len(), 1);
    assert_eq!(residence[0].name.as_deref(), Some("Aid Registration Desk"));

    // Entry validity: before valid_from, and at valid_until (exclusive).
    assert!(list.issuers_at(NOW - DAY - 1, None).is_empty());
    let mut late = list.clone();
    late.expires_at = NOW + 400 * DAY;
    assert_eq!(late.issuers_at(NOW + 90 * DAY, None).len(), 1);
    assert_eq!(late.issuers_at(NOW + 90 * DAY - 1, None).len(), 2);

    // An expired list vouches for nobody.
    assert!(list.is_current_at(NOW + 30 * DAY - 1));
    assert!(!list.is_current_at(NOW + 30 * DAY));
    assert!(list.issuers_at(NOW + 30 * DAY, None).is_empty());
}

#[test]
fn a_list_signed_by_another_key_is_refused() {
    let f = fixture();
    let impostor = SigningKey::from_scalar(&[99u8; 32]).unwrap();
    let token = sample_list(&f).sign(&impostor).unwrap();
    assert_eq!(
        TrustList::verify(&token, &f.pinned, NOW),
        Err(TrustListError::BadSignature)
    );
    // Even when the impostor names itself in the header: no key from the token is used.
    let header = JwsHeader::es256()
        .with_typ(TRUST_LIST_TYP)
        .with_x5c(vec![f.ministry_der.clone()]);
    let token = sign_raw(&signed_payload(&f), &header, &impostor);
    assert_eq!(
        TrustList::verify(&token, &f.pinned, NOW),
        Err(TrustListError::BadSignature)
    );
}

#[test]
fn a_tampered_list_is_refused() {
    let f = fixture();
    let token = sample_list(&f).sign(&f.signer).unwrap();
    let parts: Vec<&str> = token.split('.').collect();

    // Add an issuer to the signed payload.
    let mut payload = signed_payload(&f);
    let mut extra = payload["issuers"][1].clone();
    extra["name"] = json!("Smuggled Issuer");
    extra["key"] =
        P256Jwk::from_verifying_key(SigningKey::generate().unwrap().verifying_key()).to_json();
    payload["issuers"].as_array_mut().unwrap().push(extra);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        base64url::encode(&serde_json::to_vec(&payload).unwrap()),
        parts[2]
    );
    assert_eq!(
        TrustList::verify(&forged, &f.pinned, NOW),
        Err(TrustListError::BadSignature)
    );

    // Flip one signature bit.
    let mut signature = base64url::decode(parts[2]).unwrap();
    signature[5] ^= 1;
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        base64url::encode(&signature)
    );
    assert_eq!(
        TrustList::verify(&forged, &f.pinned, NOW),
        Err(TrustListError::BadSignature)
    );

    // Swap the header for one without typ.
    let header = base64url::encode(br#"{"alg":"ES256"}"#);
    let forged = format!("{header}.{}.{}", parts[1], parts[2]);
    assert_eq!(
        TrustList::verify(&forged, &f.pinned, NOW),
        Err(TrustListError::BadSignature)
    );
}

#[test]
fn wrong_type_and_algorithm_are_refused() {
    let f = fixture();
    let payload = signed_payload(&f);
    for header in [
        JwsHeader::es256(),
        JwsHeader::es256().with_typ("JWT"),
        JwsHeader::es256().with_typ("statuslist+jwt"),
        JwsHeader::es256().with_typ("LAISSEZ-TRUST-LIST+JWT"),
    ] {
        assert_eq!(
            TrustList::verify(&sign_raw(&payload, &header, &f.signer), &f.pinned, NOW),
            Err(TrustListError::WrongType),
            "{header:?}"
        );
    }
    let body = base64url::encode(&serde_json::to_vec(&payload).unwrap());
    for alg in ["none", "HS256", "RS256", "ES384"] {
        let header = base64url::encode(
            &serde_json::to_vec(&json!({"alg": alg, "typ": TRUST_LIST_TYP})).unwrap(),
        );
        let token = format!("{header}.{body}.{}", base64url::encode(&[1u8; 64]));
        assert_eq!(
            TrustList::verify(&token, &f.pinned, NOW),
            Err(TrustListError::UnsupportedAlgorithm),
            "{alg}"
        );
    }
}

#[test]
fn expiry_and_not_yet_valid() {
    let f = fixture();
    let token = sample_list(&f).sign(&f.signer).unwrap();
    assert!(TrustList::verify(&token, &f.pinned, NOW + 30 * DAY - 1).is_ok());
    assert_eq!(
        TrustList::verify(&token, &f.pinned, NOW + 30 * DAY),
        Err(TrustListError::Expired)
    );
    assert!(TrustList::verify(&token, &f.pinned, NOW - TRUST_LIST_CLOCK_SKEW_SECS).is_ok());
    assert_eq!(
        TrustList::verify(&token, &f.pinned, NOW - TRUST_LIST_CLOCK_SKEW_SECS - 1),
        Err(TrustListError::NotYetValid)
    );
}

#[test]
fn rollback_is_refused() {
    let f = fixture();
    let installed =
        TrustList::verify(&sample_list(&f).sign(&f.signer).unwrap(), &f.pinned, NOW).unwrap();
    let mut older = sample_list(&f);
    older.sequence = 6;
    let older = TrustList::verify(&older.sign(&f.signer).unwrap(), &f.pinned, NOW).unwrap();
    assert_eq!(
        older.check_newer_than(Some(installed.sequence)),
        Err(TrustListError::Rollback { have: 7, got: 6 })
    );
    assert_eq!(
        check_newer(Some(7), 6).unwrap_err().to_string(),
        "trust list rollback: installed sequence 7, offered 6"
    );
    assert_eq!(installed.check_newer_than(Some(7)), Ok(()));
    assert_eq!(installed.check_newer_than(Some(6)), Ok(()));
    assert_eq!(installed.check_newer_than(None), Ok(()));
    assert_eq!(
        check_newer(Some(u64::MAX), 0),
        Err(TrustListError::Rollback {
            have: u64::MAX,
            got: 0
        })
    );
}

#[test]
fn size_limits() {
    let f = fixture();
    let too_long = "a".repeat(MAX_TRUST_LIST_LEN + 1);
    assert!(matches!(
        TrustList::verify(&too_long, &f.pinned, NOW),
        Err(TrustListError::TooLarge(_))
    ));

    // The builder stops at the limit…
    let mut list = TrustList::new(1, NOW, 30);
    let key = f.ngo.verifying_key();
    for i in 0..MAX_TRUST_LIST_ENTRIES {
        list.add_issuer_key(format!("i{i}"), key.clone(), NOW, NOW + DAY)
            .unwrap();
    }
    assert!(matches!(
        list.add_issuer_key("one more", key.clone(), NOW, NOW + DAY),
        Err(TrustListError::TooLarge(_))
    ));
    let token = list.sign(&f.signer).unwrap();
    assert!(token.len() <= MAX_TRUST_LIST_LEN);
    assert_eq!(
        TrustList::verify(&token, &f.pinned, NOW)
            .unwrap()
            .entries
            .len(),
        MAX_TRUST_LIST_ENTRIES
    );
    // …and the verifier refuses one more, even signed.
    let mut payload = signed_payload(&f);
    let entry = payload["issuers"][1].clone();
    payload["issuers"] = Value::Array(vec![entry; MAX_TRUST_LIST_ENTRIES + 1]);
    let header = JwsHeader::es256().with_typ(TRUST_LIST_TYP);
    let text = {
        // Too big for SignedJwt's 64 KiB: sign by hand.
        let input = format!(
            "{}.{}",
            base64url::encode(&serde_json::to_vec(&header.to_json()).unwrap()),
            base64url::encode(&serde_json::to_vec(&payload).unwrap())
        );
        let signature = f.signer.sign(input.as_bytes()).unwrap();
        format!("{input}.{}", base64url::encode(&signature))
    };
    assert!(text.len() <= MAX_TRUST_LIST_LEN);
    assert_eq!(
        TrustList::verify(&text, &f.pinned, NOW),
        Err(TrustListError::TooLarge("issuer count"))
    );
    // A list too large to sign is refused by sign, not truncated.
    let mut big = TrustList::new(1, NOW, 30);
    for i in 0..MAX_TRUST_LIST_ENTRIES {
        let name = format!("{i:0width$}", width = MAX_ISSUER_NAME_LEN);
        big.add_issuer_certificate(name, &f.ministry_der, NOW, NOW + DAY)
            .unwrap();
    }
    assert!(matches!(
        big.sign(&f.signer),
        Err(TrustListError::TooLarge(_))
    ));
    // Per-entry limits.
    let mut payload = signed_payload(&f);
    payload["issuers"][1]["name"] = json!("n".repeat(MAX_ISSUER_NAME_LEN + 1));
    assert!(matches!(
        verify_payload(&f, &payload),
        Err(TrustListError::TooLarge(_))
    ));
    let mut payload = signed_payload(&f);
    payload["issuers"][1]["credential_types"] = json!(
        (0..=MAX_CREDENTIAL_TYPES)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
    );
    assert!(matches!(
        verify_payload(&f, &payload),
        Err(TrustListError::TooLarge(_))
    ));
}

#[test]
fn every_malformed_member_is_refused() {
    let f = fixture();
    assert!(verify_payload(&f, &signed_payload(&f)).is_ok());
    let other_key = P256Jwk::from_verifying_key(f.ngo.verifying_key()).to_json();
    let mut private_jwk = other_key.clone();
    private_jwk["d"] = json!(base64url::encode(&[1u8; 32]));
    let cases: Vec<(&str, Change)> = vec![
        (
            "unknown top-level member",
            Box::new(|p| p["extra"] = json!(1)),
        ),
        (
            "unknown entry member",
            Box::new(|p| p["issuers"][0]["x"] = json!(1)),
        ),
        (
            "no sequence",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("sequence");
            }),
        ),
        ("negative sequence", Box::new(|p| p["sequence"] = json!(-1))),
        ("string sequence", Box::new(|p| p["sequence"] = json!("7"))),
        (
            "no version",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("version");
            }),
        ),
        ("fractional iat", Box::new(|p| p["iat"] = json!(1.5))),
        (
            "no exp",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("exp");
            }),
        ),
        ("exp before iat", Box::new(|p| p["exp"] = p["iat"].clone())),
        ("issuers not array", Box::new(|p| p["issuers"] = json!({}))),
        (
            "entry not object",
            Box::new(|p| p["issuers"][0] = json!("x")),
        ),
        (
            "blank name",
            Box::new(|p| p["issuers"][0]["name"] = json!("  ")),
        ),
        (
            "control in name",
            Box::new(|p| p["issuers"][0]["name"] = json!("a\u{202e}\u{0}b")),
        ),
        (
            "name not string",
            Box::new(|p| p["issuers"][0]["name"] = json!(1)),
        ),
        (
            "no key",
            Box::new(|p| {
                p["issuers"][1].as_object_mut().unwrap().remove("key");
            }),
        ),
        (
            "key not a JWK",
            Box::new(|p| p["issuers"][1]["key"] = json!("k")),
        ),
        (
            "private JWK",
            Box::new(move |p| p["issuers"][1]["key"] = private_jwk.clone()),
        ),
        (
            "certificate not base64",
            Box::new(|p| p["issuers"][0]["certificate"] = json!("*")),
        ),
        (
            "certificate base64url",
            Box::new(|p| {
                let der = STANDARD
                    .decode(p["issuers"][0]["certificate"].as_str().unwrap())
                    .unwrap();
                p["issuers"][0]["certificate"] = json!(base64url::encode(&der));
            }),
        ),
        (
            "certificate not DER",
            Box::new(|p| p["issuers"][0]["certificate"] = json!("AAAA")),
        ),
        (
            "certificate of another key",
            Box::new(move |p| p["issuers"][0]["key"] = other_key.clone()),
        ),
        (
            "no valid_from",
            Box::new(|p| {
                p["issuers"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("valid_from");
            }),
        ),
        (
            "valid_until not after",
            Box::new(|p| p["issuers"][0]["valid_until"] = p["issuers"][0]["valid_from"].clone()),
        ),
        (
            "types not array",
            Box::new(|p| p["issuers"][0]["credential_types"] = json!(PID)),
        ),
        (
            "type not string",
            Box::new(|p| p["issuers"][0]["credential_types"] = json!([1])),
        ),
        (
            "empty type",
            Box::new(|p| p["issuers"][0]["credential_types"] = json!([""])),
        ),
        (
            "duplicate type",
            Box::new(|p| p["issuers"][0]["credential_types"] = json!([PID, PID])),
        ),
    ];
    for (what, change) in cases {
        let mut payload = signed_payload(&f);
        change(&mut payload);
        assert!(
            matches!(
                verify_payload(&f, &payload),
                Err(TrustListError::Malformed(_))
            ),
            "{what}: {:?}",
            verify_payload(&f, &payload)
        );
    }
    let mut payload = signed_payload(&f);
    payload["version"] = json!(2);
    assert_eq!(
        verify_payload(&f, &payload),
        Err(TrustListError::UnsupportedVersion(2))
    );

    // A duplicate JSON member, signed.
    let header = base64url::encode(
        &serde_json::to_vec(&JwsHeader::es256().with_typ(TRUST_LIST_TYP).to_json()).unwrap(),
    );
    let body = serde_json::to_string(&signed_payload(&f)).unwrap();
    let duplicated = body.replacen("{", r#"{"sequence":99,"#, 1);
    let input = format!("{header}.{}", base64url::encode(duplicated.as_bytes()));
    let token = format!(
        "{input}.{}",
        base64url::encode(&f.signer.sign(input.as_bytes()).unwrap())
    );
    assert!(matches!(
        TrustList::verify(&token, &f.pinned, NOW),
        Err(TrustListError::Malformed(_))
    ));

    // Not a JWS at all.
    for text in [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!.!.!",
        &format!("{header}.e30.AAAA"),
    ] {
        assert!(
            matches!(
                TrustList::verify(text, &f.pinned, NOW),
                Err(TrustListError::Malformed(_))
            ),
            "{text}"
        );
    }
}

#[test]
fn sign_refuses_what_verify_would_refuse() {
    let f = fixture();
    let mut list = sample_list(&f);
    list.entries[1].name = "\u{0}".into();
    assert!(matches!(
        list.sign(&f.signer),
        Err(TrustListError::Malformed(_))
    ));
    let mut list = sample_list(&f);
    list.entries[0].key = f.ngo.verifying_key().into();
    assert!(matches!(
        list.sign(&f.signer),
        Err(TrustListError::Malformed(_))
    ));
    let list = TrustList::new(1, NOW, 0);
    assert!(matches!(
        list.sign(&f.signer),
        Err(TrustListError::Malformed(_))
    ));
}

#[test]
fn errors_name_no_issuer() {
    let f = fixture();
    let mut payload = signed_payload(&f);
    payload["issuers"][0]["name"] = json!("Secret Ministry\u{0}");
    let shown = verify_payload(&f, &payload).unwrap_err().to_string();
    assert!(!shown.contains("Secret"), "{shown}");
}

fn entry_strategy() -> impl Strategy<Value = (String, u8, i64, i64, Vec<String>)> {
    (
        "[A-Za-z][A-Za-z0-9 éü-]{0,40}",
        1u8..=250,
        -1_000_000i64..1_000_000,
        1i64..10_000_000,
        proptest::collection::btree_set("[a-z:.0-9]{1,30}", 0..4),
    )
        .prop_map(|(name, seed, from, length, types)| {
            (name, seed, NOW + from, length, types.into_iter().collect())
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_lists_round_trip(
        sequence in any::<u64>(),
        valid_days in 1u32..4000,
        entries in proptest::collection::vec(entry_strategy(), 0..12),
    ) {
        let f = fixture();
        let mut list = TrustList::new(sequence, NOW, valid_days);
        for (name, seed, from, length, types) in entries {
            let key = SigningKey::from_scalar(&[seed; 32]).unwrap().verifying_key();
            list.add_issuer_key(name, key, from, from + length).unwrap().credential_types = types;
        }
        let token = list.sign(&f.signer).unwrap();
        let read = TrustList::verify(&token, &f.pinned, NOW).unwrap();
        prop_assert_eq!(&read, &list);
        for entry in &read.entries {
            let TrustListEntry { valid_from, .. } = entry;
            let found = read.issuers_at(*valid_from, entry.credential_types.first().map(String::as_str));
            prop_assert!(found.iter().any(|i| i.key == entry.key && i.name.as_deref() == Some(entry.name.as_str()))
                || *valid_from >= read.expires_at);
        }
    }
}
