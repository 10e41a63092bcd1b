//! SD-JWT VC end to end: issue -> import -> present a subset -> verify, every refusal a
//! verifier must make, proptest round trips over random claims and selections, and a
//! mutation fuzz of the parsers and the verifier.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use wallet_core::crypto::ecdsa::{Es256Signer, SigningKey};
use wallet_core::jose::{JwsHeader, P256Jwk, SignedJwt, base64url};
use wallet_core::sdjwt::limits::{MAX_DISCLOSURES, MAX_JWT_LEN, MAX_SD_JWT_LEN};
use wallet_core::sdjwt::{
    ClaimPath, DecoyPolicy, Disclosure, IssueRequest, KeyBindingRequest, Part, PathSegment,
    Profile, SdJwt, SdJwtError, StatusReference, Validation, VerifyOptions, disclosable_paths,
    import_issued, issue, parse_json_serialization, present, present_without_key_binding, sd_hash,
    verify_presentation,
};

const NOW: i64 = 1_760_000_000;
const NONCE: &str = "nonce-5c1d";
const AUD: &str = "https://desk-7.verifier.example";
const VCT: &str = "urn:example:laissez:registration:1";
const ISS: &str = "https://registration.issuer.example";
/// A claim value that must never appear in an error message.
const SECRET: &str = "SECRET-Amina-1990";

struct Fixture {
    issuer: SigningKey,
    holder: SigningKey,
    issued: String,
}

fn claims() -> Map<String, Value> {
    json!({
        "given_name": SECRET,
        "family_name": "Haddad",
        "birthdate": "1990-01-01",
        "address": {"street_address": "12 Rue X", "locality": "Tunis", "country": "TN"},
        "nationalities": ["TN", "FR", "DZ"],
        "display": {"name": "Registration", "locale": "en"},
    })
    .as_object()
    .unwrap()
    .clone()
}

fn paths(list: &[&str]) -> Vec<ClaimPath> {
    list.iter().map(|p| ClaimPath::parse(p).unwrap()).collect()
}

fn request(holder: &SigningKey) -> IssueRequest {
    let mut request = IssueRequest::new(VCT, ISS, NOW - 86_400, claims());
    request.holder_key = Some(holder.verifying_key());
    request.expires_at = Some(NOW + 86_400);
    request.not_before = Some(NOW - 3_600);
    request.status = Some(StatusReference {
        index: 42,
        uri: "https://status.issuer.example/lists/1".into(),
    });
    request.kid = Some("issuer-2025".into());
    request.x5c = vec![vec![0x30, 0x03, 0x02, 0x01, 0x01]];
    request.decoys = DecoyPolicy::between(1, 3);
    request.selectively_disclosable = paths(&[
        "given_name",
        "family_name",
        "birthdate",
        "address",
        "address.street_address",
        "address.locality",
        "nationalities[0]",
        "nationalities[1]",
        "nationalities[2]",
    ]);
    request
}

fn fixture() -> Fixture {
    let issuer = SigningKey::generate().unwrap();
    let holder = SigningKey::generate().unwrap();
    let issued = issue(&request(&holder), &issuer).unwrap().to_compact();
    Fixture {
        issuer,
        holder,
        issued,
    }
}

fn kb_request(issued_at: i64) -> KeyBindingRequest {
    KeyBindingRequest {
        nonce: NONCE.into(),
        audience: AUD.into(),
        issued_at,
    }
}

fn options() -> VerifyOptions {
    VerifyOptions::new(NONCE, AUD, NOW)
}

impl Fixture {
    fn keys(&self) -> Vec<laissez_crypto::issuer_key::IssuerKey> {
        vec![self.issuer.verifying_key().into()]
    }

    fn credential(&self) -> SdJwt {
        import_issued(&self.issued, &self.keys(), &Validation::sd_jwt_vc(NOW))
            .unwrap()
            .0
    }

    fn present(&self, selection: &[&str]) -> String {
        present(
            &self.credential(),
            &paths(selection),
            &kb_request(NOW),
            &self.holder,
        )
        .unwrap()
    }

    fn verify(&self, presentation: &str) -> Result<Map<String, Value>, SdJwtError> {
        verify_presentation(presentation, &self.keys(), &options()).map(|v| v.credential.claims)
    }
}

/// Checks a refusal and that its message leaks no claim value.
fn refused(result: Result<Map<String, Value>, SdJwtError>, expected: SdJwtError) {
    let error = result.unwrap_err();
    assert_eq!(error, expected);
    assert!(!error.to_string().contains(SECRET));
    assert!(!format!("{error:?}").contains(SECRET));
}

/// A compact JWS with any header (even one our signer refuses to make).
fn raw_jws(header: &Value, claims: &Value, key: &SigningKey) -> String {
    let input = format!(
        "{}.{}",
        base64url::encode(&serde_json::to_vec(header).unwrap()),
        base64url::encode(&serde_json::to_vec(claims).unwrap())
    );
    let signature = key.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", base64url::encode(&signature))
}

fn kb_for(sd_jwt_without_kb: &str, key: &SigningKey, claims_override: Value) -> String {
    let mut claims = json!({
        "nonce": NONCE, "aud": AUD, "iat": NOW, "sd_hash": sd_hash(sd_jwt_without_kb)
    });
    for (k, v) in claims_override.as_object().unwrap() {
        claims[k] = v.clone();
    }
    raw_jws(&json!({"alg": "ES256", "typ": "kb+jwt"}), &claims, key)
}

/// An SD-JWT VC whose payload and header are written by hand, with one disclosure for
/// `given_name`, and its key-bound presentation.
fn hand_made(header: Value, mut payload: Value, fx: &Fixture) -> String {
    let disclosure = Disclosure::new_property("given_name", json!(SECRET)).unwrap();
    payload["_sd"] = json!([disclosure.digest()]);
    let jwt = raw_jws(&header, &payload, &fx.issuer);
    let base = format!("{jwt}~{}~", disclosure.encoded());
    let kb = kb_for(&base, &fx.holder, json!({}));
    format!("{base}{kb}")
}

fn standard_payload(fx: &Fixture) -> Value {
    json!({
        "iss": ISS, "vct": VCT, "iat": NOW - 10, "exp": NOW + 1000, "_sd_alg": "sha-256",
        "cnf": {"jwk": P256Jwk::from_verifying_key(fx.holder.verifying_key()).to_json()}
    })
}

fn dc_header() -> Value {
    json!({"alg": "ES256", "typ": "dc+sd-jwt"})
}

// ---------------------------------------------------------------------------------------
// Issue -> present -> verify

#[test]
fn issue_present_subset_verify() {
    let fx = fixture();
    let (credential, all) =
        import_issued(&fx.issued, &fx.keys(), &Validation::sd_jwt_vc(NOW)).unwrap();
    let mut expected_all = claims();
    expected_all.insert("iss".into(), json!(ISS));
    expected_all.insert("vct".into(), json!(VCT));
    expected_all.insert("iat".into(), json!(NOW - 86_400));
    expected_all.insert("nbf".into(), json!(NOW - 3_600));
    expected_all.insert("exp".into(), json!(NOW + 86_400));
    expected_all.insert(
        "cnf".into(),
        json!({"jwk": P256Jwk::from_verifying_key(fx.holder.verifying_key()).to_json()}),
    );
    expected_all.insert(
        "status".into(),
        json!({"status_list": {"idx": 42, "uri": "https://status.issuer.example/lists/1"}}),
    );
    assert_eq!(all.claims, expected_all);
    assert_eq!(all.vct.as_deref(), Some(VCT));
    assert_eq!(all.issuer.as_deref(), Some(ISS));
    assert_eq!(all.holder_key.as_ref(), Some(fx.holder.public_key()));
    assert_eq!(all.status.as_ref().unwrap().index, 42);
    assert_eq!(all.kid.as_deref(), Some("issuer-2025"));
    assert_eq!(all.x5c, vec![vec![0x30, 0x03, 0x02, 0x01, 0x01]]);
    assert_eq!(all.typ.as_deref(), Some("dc+sd-jwt"));
    assert_eq!(credential.disclosures().len(), 9);

    let listed: Vec<String> = disclosable_paths(&credential)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        listed,
        [
            "address",
            "address.locality",
            "address.street_address",
            "birthdate",
            "family_name",
            "given_name",
            "nationalities[0]",
            "nationalities[1]",
            "nationalities[2]",
        ]
    );

    let shown = fx.present(&["family_name", "address.locality", "nationalities[1]"]);
    let verified = verify_presentation(&shown, &fx.keys(), &options()).unwrap();
    let claims = &verified.credential.claims;
    assert_eq!(claims["family_name"], "Haddad");
    // The parent address is disclosed with only the locality (country is always visible).
    assert_eq!(
        claims["address"],
        json!({"locality": "Tunis", "country": "TN"})
    );
    assert_eq!(claims["nationalities"], json!(["FR"]));
    assert_eq!(
        claims["display"],
        json!({"name": "Registration", "locale": "en"})
    );
    assert!(!claims.contains_key("given_name"));
    assert!(!claims.contains_key("birthdate"));
    assert!(!shown.contains(&base64url::encode(SECRET.as_bytes())));
    // family_name, address (the parent of locality), address.locality, nationalities[1].
    assert_eq!(SdJwt::parse(&shown).unwrap().disclosures().len(), 4);
    let kb = verified.key_binding.unwrap();
    assert_eq!(kb.issued_at, NOW);
    assert_eq!(&kb.holder_key, fx.holder.public_key());

    // Selecting a parent shows everything inside it.
    let whole = fx.verify(&fx.present(&["address"])).unwrap();
    assert_eq!(
        whole["address"],
        json!({"street_address": "12 Rue X", "locality": "Tunis", "country": "TN"})
    );
    // Nothing selected: only the always-visible claims.
    let none = fx.verify(&fx.present(&[])).unwrap();
    assert_eq!(none["nationalities"], json!([]));
    assert!(!none.contains_key("address"));
    // Selecting an always-visible claim adds nothing and is not an error.
    assert!(fx.verify(&fx.present(&["display.name", "iss"])).is_ok());
}

#[test]
fn issuer_key_is_picked_from_several() {
    let fx = fixture();
    let other = SigningKey::generate().unwrap().verifying_key();
    let shown = fx.present(&["given_name"]);
    let verified = verify_presentation(
        &shown,
        &[other.into(), fx.issuer.verifying_key().into()],
        &options(),
    )
    .unwrap();
    assert_eq!(verified.credential.issuer_key_index, 1);
}

#[test]
fn decoys_pad_every_sd_array() {
    let fx = fixture();
    let credential = fx.credential();
    let payload = credential.issuer_jwt().claims();
    let top = payload["_sd"].as_array().unwrap().len();
    // 4 real digests at the top (given_name, family_name, birthdate, address) + 1..=3 decoys.
    assert!((5..=7).contains(&top), "{top}");
    let mut digests: Vec<&str> = payload["_sd"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    let len = digests.len();
    digests.sort_unstable();
    digests.dedup();
    assert_eq!(digests.len(), len);
    assert_eq!(payload["_sd_alg"], "sha-256");
}

#[test]
fn presentation_without_key_binding() {
    let fx = fixture();
    let shown = present_without_key_binding(&fx.credential(), &paths(&["birthdate"])).unwrap();
    assert!(shown.ends_with('~'));
    refused(fx.verify(&shown), SdJwtError::MissingKeyBinding);
    let mut lenient = options();
    lenient.require_key_binding = false;
    let verified = verify_presentation(&shown, &fx.keys(), &lenient).unwrap();
    assert_eq!(verified.credential.claims["birthdate"], "1990-01-01");
    assert!(verified.key_binding.is_none());
}

#[test]
fn scenarios_from_the_reference_testcases() {
    // sd-jwt-python tests/testcases: array_of_nulls, object_data_types (odd key names),
    // array_recursive_sd_some_disclosed (nested arrays), no_sd.
    let issuer = SigningKey::generate().unwrap();
    let holder = SigningKey::generate().unwrap();
    let claims = json!({
        "nulls": [null, null],
        "key_data_types": {"null": "key_null", "42": "key_int", "[\"Test\"]": "key_arr", "{\"foo\": \"bar\"}": "key_object", "a.b": 1},
        "value_data_types": {"test_null": null, "test_int": 42, "test_float": 3.25, "test_bool": true, "test_arr": ["Test"], "test_object": {"foo": "bar"}},
        "array_with_recursive_sd": ["boring", {"foo": "bar", "baz": {"qux": "quux"}}, ["foo", "bar"]],
        "plain": {"deep": [[1, 2], {"x": null}]},
    });
    let mut request = IssueRequest::new(VCT, ISS, NOW, claims.as_object().unwrap().clone());
    request.holder_key = Some(holder.verifying_key());
    let mut marks = vec![
        ClaimPath::parse("nulls[0]").unwrap(),
        ClaimPath::parse("nulls[1]").unwrap(),
        ClaimPath::parse("array_with_recursive_sd[1].baz").unwrap(),
        ClaimPath::parse("array_with_recursive_sd[2][0]").unwrap(),
        ClaimPath::parse("array_with_recursive_sd[2][1]").unwrap(),
    ];
    for key in claims["key_data_types"].as_object().unwrap().keys() {
        marks.push(ClaimPath::new(vec![
            PathSegment::Key("key_data_types".into()),
            PathSegment::Key(key.clone()),
        ]));
    }
    for key in claims["value_data_types"].as_object().unwrap().keys() {
        marks.push(ClaimPath::parse(&format!("value_data_types.{key}")).unwrap());
    }
    request.selectively_disclosable = marks.clone();
    let credential = issue(&request, &issuer).unwrap();
    assert_eq!(credential.disclosures().len(), marks.len());

    // Everything disclosed gives the input back.
    let all: Vec<ClaimPath> = claims
        .as_object()
        .unwrap()
        .keys()
        .map(ClaimPath::key)
        .collect();
    let shown = present(&credential, &all, &kb_request(NOW), &holder).unwrap();
    let verified =
        verify_presentation(&shown, &[issuer.verifying_key().into()], &options()).unwrap();
    for (name, value) in claims.as_object().unwrap() {
        assert_eq!(&verified.credential.claims[name], value, "{name}");
    }
    // The path syntax reaches keys with dots and brackets.
    let listed = disclosable_paths(&credential).unwrap();
    for path in &listed {
        assert_eq!(&ClaimPath::parse(&path.to_string()).unwrap(), path);
    }

    // Some disclosed: baz of the second element and the second of the inner array.
    let shown = present(
        &credential,
        &paths(&[
            "array_with_recursive_sd[1].baz",
            "array_with_recursive_sd[2][1]",
            "nulls[1]",
        ]),
        &kb_request(NOW),
        &holder,
    )
    .unwrap();
    let claims_shown = verify_presentation(&shown, &[issuer.verifying_key().into()], &options())
        .unwrap()
        .credential
        .claims;
    assert_eq!(
        claims_shown["array_with_recursive_sd"],
        json!(["boring", {"foo": "bar", "baz": {"qux": "quux"}}, ["bar"]])
    );
    assert_eq!(claims_shown["nulls"], json!([null]));
    assert_eq!(claims_shown["key_data_types"], json!({}));

    // no_sd: nothing selectively disclosable.
    let plain = IssueRequest::new(VCT, ISS, NOW, claims.as_object().unwrap().clone());
    let credential = issue(&plain, &issuer).unwrap();
    assert!(credential.disclosures().is_empty());
    assert!(credential.issuer_jwt().claims().get("_sd").is_none());
    let shown = present_without_key_binding(&credential, &[]).unwrap();
    let mut lenient = options();
    lenient.require_key_binding = false;
    let verified = verify_presentation(&shown, &[issuer.verifying_key().into()], &lenient).unwrap();
    assert_eq!(verified.credential.claims["plain"], claims["plain"]);
}

// ---------------------------------------------------------------------------------------
// Refusals

#[test]
fn refuses_alg_none_and_hmac_in_either_jwt() {
    let fx = fixture();
    let claims = standard_payload(&fx);
    // EdDSA and ES384 are issuer algorithms now (issue 13), but not this P-256 issuer's: its
    // ES256 signature under those headers is refused, by key (EdDSA, 64 bytes like ES256) or
    // by length (ES384 signatures are 96 bytes).
    for (alg, expected) in [
        ("EdDSA", SdJwtError::BadIssuerSignature),
        (
            "ES384",
            SdJwtError::Malformed {
                part: Part::IssuerJwt,
                what: "JWT signature does not have its algorithm's length",
            },
        ),
    ] {
        let header = json!({"alg": alg, "typ": "dc+sd-jwt"});
        refused(fx.verify(&hand_made(header, claims.clone(), &fx)), expected);
    }
    for alg in ["none", "HS256", "RS256", "PS256", "ES512", "ES256K"] {
        let header = json!({"alg": alg, "typ": "dc+sd-jwt"});
        let shown = hand_made(header, claims.clone(), &fx);
        // For alg none, also the unsigned form with an empty signature.
        let unsigned = {
            let (jwt, rest) = shown.split_once('~').unwrap();
            let (input, _) = jwt.rsplit_once('.').unwrap();
            format!("{input}.~{rest}")
        };
        for token in [shown, unsigned] {
            refused(
                fx.verify(&token),
                SdJwtError::UnsupportedAlgorithm {
                    part: Part::IssuerJwt,
                    alg: alg.into(),
                },
            );
        }
    }
    // An HS256 token MACed with the issuer's public key bytes (the classic confusion).
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &fx.issuer.public_key().to_sec1());
    let input = format!(
        "{}.{}",
        base64url::encode(br#"{"alg":"HS256","typ":"dc+sd-jwt"}"#),
        base64url::encode(&serde_json::to_vec(&claims).unwrap())
    );
    let tag = ring::hmac::sign(&key, input.as_bytes());
    let token = format!("{input}.{}~", base64url::encode(tag.as_ref()));
    refused(
        fx.verify(&token),
        SdJwtError::UnsupportedAlgorithm {
            part: Part::IssuerJwt,
            alg: "HS256".into(),
        },
    );

    // The Key Binding JWT under alg none.
    let shown = fx.present(&["given_name"]);
    let (base, _) = shown.rsplit_once('~').unwrap();
    let base = format!("{base}~");
    let kb_claims = json!({"nonce": NONCE, "aud": AUD, "iat": NOW, "sd_hash": sd_hash(&base)});
    let none_kb = format!(
        "{}.{}.",
        base64url::encode(br#"{"alg":"none","typ":"kb+jwt"}"#),
        base64url::encode(&serde_json::to_vec(&kb_claims).unwrap())
    );
    refused(
        fx.verify(&format!("{base}{none_kb}")),
        SdJwtError::UnsupportedAlgorithm {
            part: Part::KeyBindingJwt,
            alg: "none".into(),
        },
    );
}

#[test]
fn refuses_unknown_critical_headers_and_wrong_types() {
    let fx = fixture();
    let claims = standard_payload(&fx);
    refused(
        fx.verify(&hand_made(
            json!({"alg": "ES256", "typ": "dc+sd-jwt", "crit": ["x-ext"], "x-ext": 1}),
            claims.clone(),
            &fx,
        )),
        SdJwtError::UnsupportedCriticalHeader {
            part: Part::IssuerJwt,
        },
    );
    refused(
        fx.verify(&hand_made(
            json!({"alg": "ES256", "typ": "JWT"}),
            claims.clone(),
            &fx,
        )),
        SdJwtError::WrongType {
            part: Part::IssuerJwt,
        },
    );
    // A bare SD-JWT VC still verifies when written by hand correctly.
    assert!(
        fx.verify(&hand_made(dc_header(), claims.clone(), &fx))
            .is_ok()
    );
    // KB-JWT with the wrong typ.
    let shown = fx.present(&["given_name"]);
    let (base, _) = shown.rsplit_once('~').unwrap();
    let base = format!("{base}~");
    let kb = raw_jws(
        &json!({"alg": "ES256", "typ": "JWT"}),
        &json!({"nonce": NONCE, "aud": AUD, "iat": NOW, "sd_hash": sd_hash(&base)}),
        &fx.holder,
    );
    refused(
        fx.verify(&format!("{base}{kb}")),
        SdJwtError::WrongType {
            part: Part::KeyBindingJwt,
        },
    );
}

#[test]
fn refuses_unsupported_holder_keys() {
    let fx = fixture();
    for (kty, crv) in [("EC", "P-384"), ("EC", "secp256k1"), ("OKP", "Ed25519")] {
        let mut claims = standard_payload(&fx);
        claims["cnf"]["jwk"]["kty"] = json!(kty);
        claims["cnf"]["jwk"]["crv"] = json!(crv);
        refused(
            fx.verify(&hand_made(dc_header(), claims, &fx)),
            SdJwtError::UnsupportedHolderKey,
        );
    }
    // No cnf at all: nothing to check the KB-JWT with.
    let mut claims = standard_payload(&fx);
    claims.as_object_mut().unwrap().remove("cnf");
    refused(
        fx.verify(&hand_made(dc_header(), claims, &fx)),
        SdJwtError::MissingHolderKey,
    );
    // A holder cannot present a credential without cnf, or with someone else's key.
    let mut unbound = request(&fx.holder);
    unbound.holder_key = None;
    let credential = issue(&unbound, &fx.issuer).unwrap();
    assert_eq!(
        present(&credential, &[], &kb_request(NOW), &fx.holder).unwrap_err(),
        SdJwtError::MissingHolderKey
    );
    let thief = SigningKey::generate().unwrap();
    assert_eq!(
        present(&fx.credential(), &[], &kb_request(NOW), &thief).unwrap_err(),
        SdJwtError::HolderKeyMismatch
    );
}

#[test]
fn refuses_tampered_duplicate_and_unreferenced_disclosures() {
    let fx = fixture();
    let shown = fx.present(&["given_name", "family_name"]);
    let parsed = SdJwt::parse(&shown).unwrap();
    let jwt = parsed.issuer_jwt().as_str().to_owned();
    let ds: Vec<String> = parsed
        .disclosures()
        .iter()
        .map(|d| d.encoded().to_owned())
        .collect();
    let with = |disclosures: &[String]| {
        let base = format!("{jwt}~{}~", disclosures.join("~"));
        let kb = kb_for(&base, &fx.holder, json!({}));
        format!("{base}{kb}")
    };
    assert!(fx.verify(&with(&ds)).is_ok());

    // A disclosure with its value changed (same salt and name): its digest is unknown.
    let original = Disclosure::parse(&ds[0]).unwrap();
    let forged_text = serde_json::to_vec(&json!([
        original.salt(),
        original.claim_name().unwrap(),
        "Mallory"
    ]))
    .unwrap();
    let forged = base64url::encode(&forged_text);
    refused(
        fx.verify(&with(&[forged, ds[1].clone()])),
        SdJwtError::UnreferencedDisclosure,
    );
    // A single character changed in a disclosure.
    let mut flipped = ds[0].clone().into_bytes();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let error = fx.verify(&with(&[flipped, ds[1].clone()])).unwrap_err();
    assert!(
        matches!(
            error,
            SdJwtError::UnreferencedDisclosure | SdJwtError::Malformed { .. }
        ),
        "{error:?}"
    );
    // The same disclosure twice.
    refused(
        fx.verify(&with(&[ds[0].clone(), ds[0].clone()])),
        SdJwtError::DuplicateDisclosure,
    );
    // A disclosure from another credential.
    let foreign = Disclosure::new_property("given_name", json!("Someone")).unwrap();
    refused(
        fx.verify(&with(&[ds[0].clone(), foreign.encoded().to_owned()])),
        SdJwtError::UnreferencedDisclosure,
    );
    // A disclosure that is not an array of 2 or 3, or has a non-string salt.
    for bad in [
        json!(["s"]),
        json!([1, "given_name", "x"]),
        json!(["s", "_sd", "x"]),
    ] {
        let encoded = base64url::encode(&serde_json::to_vec(&bad).unwrap());
        assert!(matches!(
            fx.verify(&with(&[encoded])).unwrap_err(),
            SdJwtError::Malformed {
                part: Part::Disclosure,
                ..
            }
        ));
    }
}

#[test]
fn refuses_digest_games_in_the_payload() {
    let fx = fixture();
    let d = Disclosure::new_property("given_name", json!(SECRET)).unwrap();
    let sign = |payload: Value| {
        let jwt = raw_jws(&dc_header(), &payload, &fx.issuer);
        let base = format!("{jwt}~{}~", d.encoded());
        let kb = kb_for(&base, &fx.holder, json!({}));
        format!("{base}{kb}")
    };
    let mut p = standard_payload(&fx);
    p["_sd"] = json!([d.digest(), d.digest()]);
    refused(fx.verify(&sign(p)), SdJwtError::DuplicateDigest);
    let mut p = standard_payload(&fx);
    p["_sd"] = json!([d.digest()]);
    p["nested"] = json!({"_sd": [d.digest()]});
    refused(fx.verify(&sign(p)), SdJwtError::DuplicateDigest);
    let mut p = standard_payload(&fx);
    p["_sd"] = json!(d.digest());
    refused(
        fx.verify(&sign(p)),
        SdJwtError::Malformed {
            part: Part::IssuerJwt,
            what: "_sd is not an array of strings",
        },
    );
    let mut p = standard_payload(&fx);
    p["_sd"] = json!([d.digest()]);
    p["given_name"] = json!("Other");
    refused(
        fx.verify(&sign(p)),
        SdJwtError::Malformed {
            part: Part::Disclosure,
            what: "disclosed claim name already present",
        },
    );
    let mut p = standard_payload(&fx);
    p["_sd"] = json!([d.digest()]);
    p["_sd_alg"] = json!("sha-512");
    assert!(matches!(
        fx.verify(&sign(p)).unwrap_err(),
        SdJwtError::UnsupportedAlgorithm { .. }
    ));
    // In an SD-JWT VC, exp may not come from a disclosure.
    let exp = Disclosure::new_property("exp", json!(NOW + 10)).unwrap();
    let mut p = standard_payload(&fx);
    p.as_object_mut().unwrap().remove("exp");
    p["_sd"] = json!([exp.digest()]);
    let jwt = raw_jws(&dc_header(), &p, &fx.issuer);
    let base = format!("{jwt}~{}~", exp.encoded());
    let token = format!("{base}{}", kb_for(&base, &fx.holder, json!({})));
    assert!(matches!(
        fx.verify(&token).unwrap_err(),
        SdJwtError::Malformed {
            part: Part::Disclosure,
            ..
        }
    ));
    // vct is required in an SD-JWT VC, not in plain SD-JWT.
    let mut p = standard_payload(&fx);
    p.as_object_mut().unwrap().remove("vct");
    let token = hand_made(dc_header(), p, &fx);
    refused(
        fx.verify(&token),
        SdJwtError::Malformed {
            part: Part::IssuerJwt,
            what: "vct is missing",
        },
    );
    let mut plain = options();
    plain.validation.profile = Profile::SdJwt;
    assert!(verify_presentation(&token, &fx.keys(), &plain).is_ok());
}

#[test]
fn refuses_wrong_nonce_audience_and_stale_or_future_key_binding() {
    let fx = fixture();
    let shown = fx.present(&["given_name"]);
    let mut o = options();
    o.expected_nonce = "another-nonce".into();
    refused(
        verify_presentation(&shown, &fx.keys(), &o).map(|v| v.credential.claims),
        SdJwtError::NonceMismatch,
    );
    let mut o = options();
    o.expected_audience = "https://other.verifier.example".into();
    refused(
        verify_presentation(&shown, &fx.keys(), &o).map(|v| v.credential.claims),
        SdJwtError::AudienceMismatch,
    );
    // Made 10 minutes ago: older than 300 s + 60 s skew.
    let stale = present(
        &fx.credential(),
        &paths(&["given_name"]),
        &kb_request(NOW - 600),
        &fx.holder,
    )
    .unwrap();
    refused(fx.verify(&stale), SdJwtError::KeyBindingTooOld);
    let mut patient = options();
    patient.max_key_binding_age_secs = 3600;
    assert!(verify_presentation(&stale, &fx.keys(), &patient).is_ok());
    // Made 5 minutes in the future.
    let future = present(
        &fx.credential(),
        &paths(&["given_name"]),
        &kb_request(NOW + 300),
        &fx.holder,
    )
    .unwrap();
    refused(fx.verify(&future), SdJwtError::KeyBindingInFuture);
    // Signed by another key.
    let (base, _) = shown.rsplit_once('~').unwrap();
    let base = format!("{base}~");
    let other = SigningKey::generate().unwrap();
    refused(
        fx.verify(&format!("{base}{}", kb_for(&base, &other, json!({})))),
        SdJwtError::BadKeyBindingSignature,
    );
    // Missing.
    refused(fx.verify(&base), SdJwtError::MissingKeyBinding);
}

#[test]
fn refuses_disclosures_added_removed_or_reordered_after_binding() {
    let fx = fixture();
    let credential = fx.credential();
    let shown = fx.present(&["given_name", "family_name"]);
    let parsed = SdJwt::parse(&shown).unwrap();
    let kb = parsed.key_binding_jwt().unwrap().as_str();
    let jwt = parsed.issuer_jwt().as_str();
    let mut ds: Vec<&str> = parsed.disclosures().iter().map(|d| d.encoded()).collect();
    // Reordered.
    ds.reverse();
    refused(
        fx.verify(&format!("{jwt}~{}~{kb}", ds.join("~"))),
        SdJwtError::SdHashMismatch,
    );
    // Removed.
    refused(
        fx.verify(&format!("{jwt}~{}~{kb}", ds[0])),
        SdJwtError::SdHashMismatch,
    );
    // Added (a genuine disclosure of the same credential).
    let extra = credential
        .disclosures()
        .iter()
        .find(|d| d.claim_name() == Some("birthdate"))
        .unwrap()
        .encoded();
    refused(
        fx.verify(&format!("{jwt}~{}~{extra}~{kb}", ds.join("~"))),
        SdJwtError::SdHashMismatch,
    );
}

#[test]
fn refuses_expired_and_not_yet_valid() {
    let fx = fixture();
    let shown = fx.present(&["given_name"]);
    // exp = NOW + 86400; strict at exp.
    let mut o = options();
    o.validation.now = NOW + 86_400;
    o.max_key_binding_age_secs = u32::MAX;
    refused(
        verify_presentation(&shown, &fx.keys(), &o).map(|v| v.credential.claims),
        SdJwtError::Expired,
    );
    // nbf = NOW - 3600: one second more than the skew before it.
    let mut o = options();
    o.validation.now = NOW - 3_600 - 61;
    o.validation.clock_skew_secs = 60;
    refused(
        verify_presentation(&shown, &fx.keys(), &o).map(|v| v.credential.claims),
        SdJwtError::NotYetValid,
    );
    // The holder refuses to import an expired credential too.
    assert_eq!(
        import_issued(&fx.issued, &fx.keys(), &Validation::sd_jwt_vc(NOW + 86_400)).unwrap_err(),
        SdJwtError::Expired
    );
    // And an SD-JWT+KB from an issuer.
    assert_eq!(
        import_issued(&shown, &fx.keys(), &Validation::sd_jwt_vc(NOW)).unwrap_err(),
        SdJwtError::UnexpectedKeyBinding
    );
}

#[test]
fn refuses_oversized_input() {
    let fx = fixture();
    let shown = fx.present(&["given_name"]);
    // Over 1 MiB in total.
    let huge = format!("{shown}{}", "A".repeat(MAX_SD_JWT_LEN));
    assert!(matches!(
        fx.verify(&huge).unwrap_err(),
        SdJwtError::TooLarge { .. }
    ));
    // Over the disclosure count.
    let (jwt, _) = shown.split_once('~').unwrap();
    let many = format!("{jwt}{}", "~WyJzIiwgMV0".repeat(MAX_DISCLOSURES + 1)) + "~";
    assert!(matches!(
        fx.verify(&many).unwrap_err(),
        SdJwtError::TooLarge { .. }
    ));
    // An issuer JWT over 64 KiB.
    let mut p = standard_payload(&fx);
    p["padding"] = json!("x".repeat(MAX_JWT_LEN));
    let big_jwt = raw_jws(&dc_header(), &p, &fx.issuer);
    assert!(matches!(
        fx.verify(&format!("{big_jwt}~")).unwrap_err(),
        SdJwtError::TooLarge { .. }
    ));
    // JSON nested too deeply.
    let mut p = standard_payload(&fx);
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = json!([deep]);
    }
    p["deep"] = deep;
    assert!(matches!(
        fx.verify(&hand_made(dc_header(), p, &fx)).unwrap_err(),
        SdJwtError::TooLarge { .. }
    ));
    // The issuer cannot make such things either.
    let mut request = request(&fx.holder);
    request
        .claims
        .insert("padding".into(), json!("x".repeat(MAX_JWT_LEN)));
    assert!(matches!(
        issue(&request, &fx.issuer).unwrap_err(),
        SdJwtError::TooLarge { .. }
    ));
}

#[test]
fn issuer_refuses_bad_requests() {
    let holder = SigningKey::generate().unwrap();
    let issuer = SigningKey::generate().unwrap();
    let base = request(&holder);
    let mut r = base.clone();
    r.claims.insert("iss".into(), json!("someone else"));
    assert!(matches!(
        issue(&r, &issuer),
        Err(SdJwtError::InvalidIssueRequest(_))
    ));
    let mut r = base.clone();
    r.claims.insert("x".into(), json!({"_sd": []}));
    assert!(matches!(
        issue(&r, &issuer),
        Err(SdJwtError::InvalidIssueRequest(_))
    ));
    let mut r = base.clone();
    r.selectively_disclosable
        .push(ClaimPath::parse("nope").unwrap());
    assert!(matches!(
        issue(&r, &issuer),
        Err(SdJwtError::InvalidIssueRequest(_))
    ));
    let mut r = base.clone();
    r.selectively_disclosable
        .push(ClaimPath::parse("nationalities[3]").unwrap());
    assert!(matches!(
        issue(&r, &issuer),
        Err(SdJwtError::InvalidIssueRequest(_))
    ));
    let mut r = base;
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = json!({ "d": deep });
    }
    r.claims.insert("deep".into(), deep);
    assert!(matches!(
        issue(&r, &issuer),
        Err(SdJwtError::InvalidIssueRequest(_))
    ));
}

#[test]
fn holder_refuses_selections_that_name_nothing() {
    let fx = fixture();
    for missing in [
        "middle_name",
        "address.zip",
        "nationalities[3]",
        "given_name.x",
    ] {
        assert_eq!(
            present(
                &fx.credential(),
                &paths(&[missing]),
                &kb_request(NOW),
                &fx.holder
            )
            .unwrap_err(),
            SdJwtError::ClaimNotFound,
            "{missing}"
        );
    }
}

#[test]
fn error_codes_are_stable_strings() {
    assert_eq!(SdJwtError::SdHashMismatch.code(), "sd_hash_mismatch");
    assert_eq!(SdJwtError::Expired.code(), "expired");
    assert_eq!(
        SdJwtError::BadIssuerSignature.code(),
        "bad_issuer_signature"
    );
}

#[test]
fn json_serialization_round_trip() {
    // A compact presentation turned into Flattened JSON verifies the same.
    let fx = fixture();
    let shown = fx.present(&["given_name"]);
    let parsed = SdJwt::parse(&shown).unwrap();
    let mut parts = parsed.issuer_jwt().as_str().split('.');
    let (protected, payload, signature) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let flattened = json!({
        "protected": protected, "payload": payload, "signature": signature,
        "header": {
            "disclosures": parsed.disclosures().iter().map(|d| d.encoded()).collect::<Vec<_>>(),
            "kb_jwt": parsed.key_binding_jwt().unwrap().as_str(),
        }
    })
    .to_string();
    let verified =
        wallet_core::sdjwt::verify_json_presentation(&flattened, &fx.keys(), &options()).unwrap();
    assert_eq!(verified.credential.claims["given_name"], SECRET);
    assert_eq!(
        parse_json_serialization(&flattened).unwrap()[0].to_compact(),
        shown
    );
    for bad in [
        json!({"payload": payload}),
        json!({"payload": payload, "signatures": []}),
        json!({"payload": payload, "protected": protected, "signature": signature, "signatures": []}),
        json!({"payload": payload, "protected": protected, "signature": signature, "header": {"disclosures": "x"}}),
        json!({"payload": payload, "protected": protected, "signature": signature, "header": {"alg": "none"}}),
    ] {
        assert!(matches!(
            parse_json_serialization(&bad.to_string()).unwrap_err(),
            SdJwtError::Malformed { .. }
        ));
    }
}

// ---------------------------------------------------------------------------------------
// Property tests: random claims, random disclosability, random selections

fn key_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,6}",
        1 => any::<String>(),
        1 => Just("a.b".to_owned()),
        1 => Just("".to_owned()),
    ]
    .prop_filter("reserved", |k| {
        !matches!(k.as_str(), "_sd" | "_sd_alg" | "...")
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(key_name(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn claims_object() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(key_name(), json_value(), 0..6).prop_map(|m| {
        m.into_iter()
            .filter(|(k, _)| !wallet_core::sdjwt::RESERVED_CLAIMS.contains(&k.as_str()))
            .collect()
    })
}

/// Every path in `value` below `at`.
fn all_paths(value: &Value, at: &ClaimPath, out: &mut Vec<ClaimPath>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = at.child(PathSegment::Key(k.clone()));
                out.push(p.clone());
                all_paths(v, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = at.child(PathSegment::Index(i));
                out.push(p.clone());
                all_paths(v, &p, out);
            }
        }
        _ => {}
    }
}

/// What the verifier must see, computed from the original claims: a marked claim is
/// visible iff a selected path lies inside it or it lies inside a selected path.
fn project(
    value: &Value,
    at: &ClaimPath,
    marks: &BTreeSet<ClaimPath>,
    selection: &[ClaimPath],
) -> Value {
    let visible = |p: &ClaimPath| {
        !marks.contains(p)
            || selection
                .iter()
                .any(|s| p.is_prefix_of(s) || s.is_prefix_of(p))
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| {
                    let p = at.child(PathSegment::Key(k.clone()));
                    visible(&p).then(|| (k.clone(), project(v, &p, marks, selection)))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let p = at.child(PathSegment::Index(i));
                    visible(&p).then(|| project(v, &p, marks, selection))
                })
                .collect(),
        ),
        scalar => scalar.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_claims_and_selections_round_trip(
        claims in claims_object(),
        mark_bits in proptest::collection::vec(any::<bool>(), 64),
        select_bits in proptest::collection::vec(any::<bool>(), 64),
        decoys in 0usize..3,
    ) {
        let issuer = SigningKey::from_scalar(&[7u8; 32]).unwrap();
        let holder = SigningKey::from_scalar(&[9u8; 32]).unwrap();
        let mut every = Vec::new();
        all_paths(&Value::Object(claims.clone()), &ClaimPath::default(), &mut every);
        let marks: BTreeSet<ClaimPath> = every
            .iter()
            .zip(mark_bits.iter().cycle())
            .filter(|(_, m)| **m)
            .map(|(p, _)| p.clone())
            .collect();
        let mut request = IssueRequest::new(VCT, ISS, NOW, claims.clone());
        request.holder_key = Some(holder.verifying_key());
        request.selectively_disclosable = marks.iter().cloned().collect();
        request.decoys = DecoyPolicy::between(0, decoys);
        let issued = issue(&request, &issuer).unwrap().to_compact();

        let (credential, all) =
            import_issued(&issued, &[issuer.verifying_key().into()], &Validation::sd_jwt_vc(NOW)).unwrap();
        for (k, v) in &claims {
            prop_assert_eq!(&all.claims[k], v);
        }
        let listed = disclosable_paths(&credential).unwrap();
        prop_assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), marks.clone());

        let selection: Vec<ClaimPath> = every
            .iter()
            .zip(select_bits.iter().cycle())
            .filter(|(_, s)| **s)
            .map(|(p, _)| p.clone())
            .collect();
        let shown = present(&credential, &selection, &kb_request(NOW), &holder).unwrap();
        let verified =
            verify_presentation(&shown, &[issuer.verifying_key().into()], &options()).unwrap();
        let expected = project(&Value::Object(claims.clone()), &ClaimPath::default(), &marks, &selection);
        let mut got = verified.credential.claims.clone();
        for reserved in ["iss", "vct", "iat", "cnf"] {
            prop_assert!(got.remove(reserved).is_some());
        }
        prop_assert_eq!(Value::Object(got), expected);
    }

    #[test]
    fn parser_survives_arbitrary_text(text in ".{0,400}") {
        let _ = SdJwt::parse(&text);
        let _ = parse_json_serialization(&text);
        let _ = verify_presentation(&text, &[], &options());
    }
}

// ---------------------------------------------------------------------------------------
// Mutation fuzz

/// xorshift64*: deterministic, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(original: &str, rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"AZaz09-_~.=+/ {}[]\"\\";
    let mut bytes = original.as_bytes().to_vec();
    match rng.below(7) {
        0 => bytes.truncate(rng.below(bytes.len())),
        1 => {
            let i = rng.below(bytes.len());
            bytes[i] = ALPHABET[rng.below(ALPHABET.len())];
        }
        2 => {
            let i = rng.below(bytes.len());
            bytes.remove(i);
        }
        3 => {
            let i = rng.below(bytes.len());
            bytes.insert(i, ALPHABET[rng.below(ALPHABET.len())]);
        }
        4 => {
            // Duplicate, drop or swap `~` segments.
            let mut parts: Vec<&str> = original.split('~').collect();
            let i = rng.below(parts.len());
            let j = rng.below(parts.len());
            match rng.below(3) {
                0 => parts.insert(i, parts[j]),
                1 => {
                    parts.remove(i);
                }
                _ => parts.swap(i, j),
            }
            return parts.join("~");
        }
        5 => {
            // Flip one bit of a decoded segment and re-encode it canonically.
            let mut parts: Vec<String> = original.split('~').map(str::to_owned).collect();
            let i = rng.below(parts.len());
            let mut dots: Vec<String> = parts[i].split('.').map(str::to_owned).collect();
            let k = rng.below(dots.len());
            if let Ok(mut raw) = base64url::decode(&dots[k]) {
                if !raw.is_empty() {
                    let at = rng.below(raw.len());
                    raw[at] ^= 1 << rng.below(8);
                    dots[k] = base64url::encode(&raw);
                }
            }
            parts[i] = dots.join(".");
            return parts.join("~");
        }
        _ => {
            let i = rng.below(bytes.len());
            let j = rng.below(bytes.len());
            bytes.swap(i, j);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_presentations_never_panic_and_never_verify() {
    let fx = fixture();
    let shown = fx.present(&["given_name", "address.locality", "nationalities[2]"]);
    let keys = fx.keys();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    let mut tried = 0;
    // Every truncation, then random mutations.
    let truncations = (0..shown.len()).map(|n| shown[..n].to_owned());
    let random: Vec<String> = (0..4000).map(|_| mutate(&shown, &mut rng)).collect();
    for candidate in truncations.chain(random) {
        tried += 1;
        let _ = SdJwt::parse(&candidate);
        let _ = parse_json_serialization(&candidate);
        let _ = import_issued(&candidate, &keys, &Validation::sd_jwt_vc(NOW));
        if let Ok(sd) = SdJwt::parse(&candidate) {
            let _ = disclosable_paths(&sd);
        }
        if verify_presentation(&candidate, &keys, &options()).is_ok() {
            // With canonical base64url everywhere and sd_hash over the whole presentation,
            // only the original itself may verify.
            assert_eq!(candidate, shown, "a mutated presentation verified");
            accepted += 1;
        }
    }
    println!("fuzz: {tried} inputs, {accepted} identical to the original accepted");
    assert!(tried > 4000);

    // The issued credential (no key binding) through the holder's import.
    let mut rng = Rng(42);
    for _ in 0..1500 {
        let candidate = mutate(&fx.issued, &mut rng);
        if let Ok((credential, _)) = import_issued(&candidate, &keys, &Validation::sd_jwt_vc(NOW)) {
            // Dropping or reordering disclosures keeps an issued credential valid; the
            // result must still present and verify.
            let shown = present(&credential, &[], &kb_request(NOW), &fx.holder).unwrap();
            fx.verify(&shown).unwrap();
        }
    }
}

#[test]
fn jwt_signing_keeps_the_header_policy() {
    // A header made by our own JwsHeader always passes our own parser.
    let key = SigningKey::generate().unwrap();
    let header = JwsHeader::es256()
        .with_typ("dc+sd-jwt")
        .with_kid("k")
        .with_x5c(vec![vec![1, 2, 3]]);
    let claims = json!({"a": 1}).as_object().unwrap().clone();
    let jwt = SignedJwt::sign(&header, &claims, &key).unwrap();
    assert_eq!(SignedJwt::parse(jwt.as_str()).unwrap().header(), &header);
}
