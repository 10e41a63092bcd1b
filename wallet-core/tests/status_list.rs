//! IETF Token Status List: the draft's examples and test vectors, JWT and CWT round trips,
//! every refusal (another key, tampering, wrong typ or algorithm, bad bits, expiry, size
//! limits, a compression bomb, malformed claims), lookups at random indexes, the freshness
//! verdict, and a proptest round trip of the builder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::Write;

use ciborium::Value as Cbor;
use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use wallet_core::crypto::ecdsa::{Es256Signer, SigningKey, VerifyingKey};
use wallet_core::jose::{JwsHeader, SignedJwt, base64url};
use wallet_core::sdjwt::StatusReference;
use wallet_core::verifier::status_list::{
    CWT_CLAIM_STATUS_LIST, CWT_CLAIM_TTL, MAX_STATUS_LIST_BYTES, MAX_STATUS_LIST_TOKEN_LEN,
    STATUS_LIST_CLOCK_SKEW_SECS, STATUS_LIST_CWT_TYP, STATUS_LIST_JWT_TYP, StatusCheck, StatusList,
    StatusListBuilder, StatusListError, StatusOutcome, StatusState, StatusValue,
};

/// A change to JWT claims, for table-driven refusals.
type ClaimsChange = Box<dyn Fn(&mut Map<String, Value>)>;

const NOW: i64 = 1_760_000_000;
const URI: &str = "https://status.issuer.example/lists/7";
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

// ---------------------------------------------------------------------------------------
// Examples and test vectors copied from draft-ietf-oauth-status-list-20
// (https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/20/, also
// github.com/oauth-wg/draft-ietf-oauth-status-list at tag draft-ietf-oauth-status-list-20).
// ---------------------------------------------------------------------------------------

/// Section 4.1 and 4.2: 16 entries of 1 bit, bytes `[0xb9, 0xa3]`.
const DRAFT_1BIT_LST: &str = "eNrbuRgAAhcBXQ";
const DRAFT_1BIT_BYTES: [u8; 2] = [0xb9, 0xa3];
/// Section 4.1: status[0..16].
const DRAFT_1BIT_STATUSES: [u8; 16] = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
/// Section 4.1: the compressed array in hex.
const DRAFT_1BIT_COMPRESSED_HEX: &str = "78dadbb918000217015d";

/// Section 4.1 and 4.2: 12 entries of 2 bits, bytes `[0xc9, 0x44, 0xf9]`.
const DRAFT_2BIT_LST: &str = "eNo76fITAAPfAgc";
const DRAFT_2BIT_BYTES: [u8; 3] = [0xc9, 0x44, 0xf9];
/// Section 4.1: status[0..12].
const DRAFT_2BIT_STATUSES: [u8; 12] = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];

/// Section 4.3: the CBOR StatusList of the 1-bit example.
const DRAFT_1BIT_CBOR_HEX: &str = "a2646269747301636c73744a78dadbb918000217015d";

/// Appendix C.1: a 1-bit list of 2^20 entries; JSON `lst`.
const DRAFT_LONG_1BIT_LST: &str = "eNrt3AENwCAMAEGogklACtKQPg9LugC9k_ACvreiogEAAKkeCQAAAAAAAAAAAAAAAAAAAIBylgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAXG9IAAAAAAAAAPwsJAAAAAAAAAAAAAAAvhsSAAAAAAAAAAAA7KpLAAAAAAAAAAAAAAAAAAAAAJsLCQAAAAAAAAAAADjelAAAAAAAAAAAKjDMAQAAAACAZC8L2AEb";
/// Appendix C.1: the same list as a CBOR StatusList.
const DRAFT_LONG_1BIT_CBOR_HEX: &str = "a2646269747301636c737458bd78daeddc010dc0200c0041a88249400ad2903e0f4bba00bd93f002beb7a2a2010000a91e0900000000000000000000000000000080729604000000000000000000000000000000000000000000000000000000000000000000000000000000005c6f4800000000000000fc2c240000000000000000000000be1b12000000000000000000ecaa4b000000000000000000000000000000009b0b0900000000000000000038de9400000000000000002a30cc010000000080642f0bd8011b";
/// Appendix C.1: the non-zero entries (all others are 0).
const DRAFT_LONG_1BIT_SET: [(u64, u8); 11] = [
    (0, 1),
    (1993, 1),
    (25460, 1),
    (159495, 1),
    (495669, 1),
    (554353, 1),
    (645645, 1),
    (723232, 1),
    (854545, 1),
    (934534, 1),
    (1000345, 1),
];

/// Appendix C.2: a 2-bit list of 2^20 entries; JSON `lst`.
const DRAFT_LONG_2BIT_LST: &str = "eNrt2zENACEQAEEuoaBABP5VIO01fCjIHTMStt9ovGVIAAAAAABAbiEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEB5WwIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAID0ugQAAAAAAAAAAAAAAAAAQG12SgAAAAAAAAAAAAAAAAAAAAAAAAAAAOCSIQEAAAAAAAAAAAAAAAAAAAAAAAD8ExIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwJEuAQAAAAAAAAAAAAAAAAAAAAAAAMB9SwIAAAAAAAAAAAAAAAAAAACoYUoAAAAAAAAAAAAAAEBqH81gAQw";
/// Appendix C.2: the same list as a CBOR StatusList.
const DRAFT_LONG_2BIT_CBOR_HEX: &str = "a2646269747302636c737459013d78daeddb310d00211000412ea1a04004fe5520ed357c28c81d3312b6df68bc65480000000000406e21010000000000000000000000000000000000000000000000000000000000000040795b02000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000080f4ba0400000000000000000000000000406d764a000000000000000000000000000000000000000000e0922101000000000000000000000000000000000000fc131200000000000000000000000000000000000000000000000000000000000000c0912e01000000000000000000000000000000000000c07d4b02000000000000000000000000000000a8614a0000000000000000000000406a1fcd60010c";
/// Appendix C.2: the non-zero entries.
const DRAFT_LONG_2BIT_SET: [(u64, u8); 11] = [
    (0, 1),
    (1993, 2),
    (25460, 1),
    (159495, 3),
    (495669, 1),
    (554353, 1),
    (645645, 2),
    (723232, 1),
    (854545, 1),
    (934534, 2),
    (1000345, 3),
];

/// Appendix C.3: a 4-bit list of 2^20 entries; JSON `lst`.
const DRAFT_LONG_4BIT_LST: &str = "eNrt0EENgDAQADAIHwImkIIEJEwCUpCEBBQRHOy35Li1EjoOQGabAgAAAAAAAAAAAAAAAAAAACC1SQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABADrsCAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADoxaEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIIoCgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACArpwKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGhqVkAzlwIAAAAAiGVRAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABx3AoAgLpVAQAAAAAAAAAAAAAAwM89rwMAAAAAAAAAAAjsA9xMBMA";
/// Appendix C.3: the non-zero entries.
const DRAFT_LONG_4BIT_SET: [(u64, u8); 15] = [
    (0, 1),
    (1993, 2),
    (35460, 3),
    (459495, 4),
    (595669, 5),
    (754353, 6),
    (845645, 7),
    (923232, 8),
    (924445, 9),
    (934534, 10),
    (1004534, 11),
    (1000345, 12),
    (1030203, 13),
    (1030204, 14),
    (1030205, 15),
];

/// The public half of the key the draft's examples are signed with (`kid` 12; the
/// generator's `src/util.py` in the draft repository).
const DRAFT_KEY_X: &str = "I3HWm_0Ds1dPMI-IWmf4mBmH-YaeAVbPVu7vB27CxXo";
const DRAFT_KEY_Y: &str = "6N_d5Elj9bs1htgV3okJKIdbHEpkgTmAluYKJemzn1M";
/// Section 8.2: a Status List Token in JWT form (the 1-bit example list), as served.
const DRAFT_JWT: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjEyIiwidHlwIjoic3RhdHVzbGlzdCtqd3QifQ.eyJleHAiOjIyOTE3MjAxNzAsImlhdCI6MTY4NjkyMDE3MCwiaXNzIjoiaHR0cHM6Ly9leGFtcGxlLmNvbSIsInN0YXR1c19saXN0Ijp7ImJpdHMiOjEsImxzdCI6ImVOcmJ1UmdBQWhjQlhRIn0sInN1YiI6Imh0dHBzOi8vZXhhbXBsZS5jb20vc3RhdHVzbGlzdHMvMSIsInR0bCI6NDMyMDB9.2lKUUNG503R9htu4aHAYi7vjmr3sgApbfoDvPrl65N3URUO1EYqqQl45Jfzd-Av4QzlKa3oVALpLwOEUOq-U_g";
/// Section 5.2: a Status List Token in CWT form (the 1-bit example list), hex.
const DRAFT_CWT_HEX: &str = "d2845820a2012610781a6170706c69636174696f6e2f7374617475736c6973742b637774a1044231325850a502782168747470733a2f2f6578616d706c652e636f6d2f7374617475736c697374732f31061a648c5bea041a8898dfea19fffe19a8c019fffda2646269747301636c73744a78dadbb918000217015d584093fa4d01032b18c35e2fe1101b77fd6cc9440022caa4694450c4e4e9feab4e99d1fa6d9772ce2bf3a12e0323ded7c982c5e101a5e67f0cbc1e2b6f57ce99c279";
/// Sections 5.1 and 5.2: the claims of both examples.
const DRAFT_URI: &str = "https://example.com/statuslists/1";
const DRAFT_IAT: i64 = 1_686_920_170;
const DRAFT_EXP: i64 = 2_291_720_170;
const DRAFT_TTL: u64 = 43_200;

// ---------------------------------------------------------------------------------------

fn issuer() -> SigningKey {
    SigningKey::from_scalar(&[21u8; 32]).unwrap()
}

fn draft_key() -> VerifyingKey {
    VerifyingKey::from_coordinates(
        &base64url::decode(DRAFT_KEY_X).unwrap(),
        &base64url::decode(DRAFT_KEY_Y).unwrap(),
    )
    .unwrap()
}

fn reference(index: u64) -> StatusReference {
    StatusReference {
        index,
        uri: URI.into(),
    }
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A JWT with exactly these claims and `typ`, signed by `key`.
fn jwt(claims: Value, typ: Option<&str>, key: &SigningKey) -> String {
    let mut header = JwsHeader::es256();
    if let Some(typ) = typ {
        header = header.with_typ(typ);
    }
    SignedJwt::sign(&header, claims.as_object().unwrap(), key)
        .unwrap()
        .as_str()
        .to_owned()
}

fn jwt_claims(bits: Value, lst: &str) -> Value {
    json!({"sub": URI, "iat": NOW, "status_list": {"bits": bits, "lst": lst}})
}

/// A tagged COSE_Sign1 over `claims` (encoded as given) with the `typ` header when given.
fn cwt(claims: &Cbor, typ: Option<Cbor>, alg: iana::Algorithm, key: &SigningKey) -> Vec<u8> {
    let mut payload = Vec::new();
    ciborium::ser::into_writer(claims, &mut payload).unwrap();
    cwt_raw(payload, typ, alg, key)
}

fn cwt_raw(payload: Vec<u8>, typ: Option<Cbor>, alg: iana::Algorithm, key: &SigningKey) -> Vec<u8> {
    let mut protected = HeaderBuilder::new().algorithm(alg);
    if let Some(typ) = typ {
        protected = protected.value(16, typ);
    }
    CoseSign1Builder::new()
        .protected(protected.build())
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs).unwrap().to_vec())
        .build()
        .to_tagged_vec()
        .unwrap()
}

fn cwt_claims(status_list: Cbor) -> Cbor {
    Cbor::Map(vec![
        (Cbor::from(2), Cbor::Text(URI.into())),
        (Cbor::from(6), Cbor::from(NOW)),
        (Cbor::from(CWT_CLAIM_STATUS_LIST), status_list),
    ])
}

fn cbor_list(bits: u64, lst: Vec<u8>) -> Cbor {
    Cbor::Map(vec![
        (Cbor::Text("bits".into()), Cbor::from(bits)),
        (Cbor::Text("lst".into()), Cbor::Bytes(lst)),
    ])
}

fn typ_cwt() -> Option<Cbor> {
    Some(Cbor::Text(STATUS_LIST_CWT_TYP.into()))
}

fn from_jwt(token: &str) -> Result<StatusList, StatusListError> {
    StatusList::from_jwt(token, issuer().verifying_key(), NOW)
}

fn from_cwt(token: &[u8]) -> Result<StatusList, StatusListError> {
    StatusList::from_cwt(token, issuer().verifying_key(), NOW)
}

fn statuses(list: &StatusList, count: u64) -> Vec<u8> {
    (0..count)
        .map(|i| list.status(i).unwrap().to_u8())
        .collect()
}

fn check_long_vector(list: &StatusList, bits: u8, set: &[(u64, u8)]) {
    assert_eq!(list.bits, bits);
    assert_eq!(list.len(), 1 << 20);
    let expected: BTreeMap<u64, u8> = set.iter().copied().collect();
    for index in 0..list.len() {
        let want = expected.get(&index).copied().unwrap_or(0);
        assert_eq!(list.status(index).unwrap().to_u8(), want, "index {index}");
    }
    assert!(matches!(
        list.status(1 << 20),
        Err(StatusListError::IndexOutOfRange { .. })
    ));
}

#[test]
fn draft_section_4_examples_decode() {
    let key = issuer();
    let one = from_jwt(&jwt(
        jwt_claims(json!(1), DRAFT_1BIT_LST),
        Some(STATUS_LIST_JWT_TYP),
        &key,
    ))
    .unwrap();
    assert_eq!(one.bytes, DRAFT_1BIT_BYTES);
    assert_eq!(statuses(&one, 16), DRAFT_1BIT_STATUSES);
    assert_eq!(one.status(0).unwrap(), StatusValue::Invalid);
    assert_eq!(one.status(1).unwrap(), StatusValue::Valid);
    assert_eq!(
        base64url::decode(DRAFT_1BIT_LST).unwrap(),
        hex::decode(DRAFT_1BIT_COMPRESSED_HEX).unwrap()
    );

    let two = from_jwt(&jwt(
        jwt_claims(json!(2), DRAFT_2BIT_LST),
        Some(STATUS_LIST_JWT_TYP),
        &key,
    ))
    .unwrap();
    assert_eq!(two.bytes, DRAFT_2BIT_BYTES);
    assert_eq!(statuses(&two, 12), DRAFT_2BIT_STATUSES);
    assert_eq!(two.status(1).unwrap(), StatusValue::Suspended);
    assert_eq!(two.status(3).unwrap(), StatusValue::Other(3));

    // Section 4.3: the CBOR StatusList, in a CWT.
    let list: Cbor =
        ciborium::de::from_reader(&hex::decode(DRAFT_1BIT_CBOR_HEX).unwrap()[..]).unwrap();
    let one_cbor = from_cwt(&cwt(
        &cwt_claims(list),
        typ_cwt(),
        iana::Algorithm::ES256,
        &key,
    ))
    .unwrap();
    assert_eq!(one_cbor.bytes, DRAFT_1BIT_BYTES);

    // The builder makes the same lists (the compressed bytes may differ from zlib's).
    let mut built = StatusListBuilder::new(1, 16).unwrap();
    for (i, v) in DRAFT_1BIT_STATUSES.iter().enumerate() {
        built.set(i as u64, *v).unwrap();
    }
    assert_eq!(built.bytes(), DRAFT_1BIT_BYTES);
    let mut built = StatusListBuilder::new(2, 12).unwrap();
    for (i, v) in DRAFT_2BIT_STATUSES.iter().enumerate() {
        built.set(i as u64, *v).unwrap();
    }
    assert_eq!(built.bytes(), DRAFT_2BIT_BYTES);
}

#[test]
fn draft_appendix_c_test_vectors() {
    let key = issuer();
    let one = from_jwt(&jwt(
        jwt_claims(json!(1), DRAFT_LONG_1BIT_LST),
        Some(STATUS_LIST_JWT_TYP),
        &key,
    ))
    .unwrap();
    check_long_vector(&one, 1, &DRAFT_LONG_1BIT_SET);
    let two = from_jwt(&jwt(
        jwt_claims(json!(2), DRAFT_LONG_2BIT_LST),
        Some(STATUS_LIST_JWT_TYP),
        &key,
    ))
    .unwrap();
    check_long_vector(&two, 2, &DRAFT_LONG_2BIT_SET);
    let four = from_jwt(&jwt(
        jwt_claims(json!(4), DRAFT_LONG_4BIT_LST),
        Some(STATUS_LIST_JWT_TYP),
        &key,
    ))
    .unwrap();
    check_long_vector(&four, 4, &DRAFT_LONG_4BIT_SET);

    for (hex_list, bits, set) in [
        (DRAFT_LONG_1BIT_CBOR_HEX, 1, &DRAFT_LONG_1BIT_SET),
        (DRAFT_LONG_2BIT_CBOR_HEX, 2, &DRAFT_LONG_2BIT_SET),
    ] {
        let list: Cbor = ciborium::de::from_reader(&hex::decode(hex_list).unwrap()[..]).unwrap();
        let read = from_cwt(&cwt(
            &cwt_claims(list),
            typ_cwt(),
            iana::Algorithm::ES256,
            &key,
        ))
        .unwrap();
        check_long_vector(&read, bits, set);
    }

    // And the builder reproduces the same byte arrays.
    for (bits, set, expected) in [
        (1u8, &DRAFT_LONG_1BIT_SET, &one),
        (2, &DRAFT_LONG_2BIT_SET, &two),
    ] {
        let mut built = StatusListBuilder::new(bits, 1 << 20).unwrap();
        for (index, value) in set.iter() {
            built.set(*index, *value).unwrap();
        }
        assert_eq!(built.bytes(), &expected.bytes[..]);
    }
}

#[test]
fn draft_signed_examples_verify_with_the_draft_key() {
    let now = DRAFT_IAT + DAY;
    let from_jwt = StatusList::from_jwt(DRAFT_JWT, draft_key(), now).unwrap();
    let from_cwt =
        StatusList::from_cwt(&hex::decode(DRAFT_CWT_HEX).unwrap(), draft_key(), now).unwrap();
    for list in [&from_jwt, &from_cwt] {
        assert_eq!(list.uri, DRAFT_URI);
        assert_eq!(list.bits, 1);
        assert_eq!(list.issued_at, DRAFT_IAT);
        assert_eq!(list.expires_at, Some(DRAFT_EXP));
        assert_eq!(list.ttl, Some(DRAFT_TTL));
        assert_eq!(list.bytes, DRAFT_1BIT_BYTES);
        assert_eq!(statuses(list, 16), DRAFT_1BIT_STATUSES);
    }
    // Through the auto-detecting entry point too.
    assert_eq!(
        StatusList::from_token(DRAFT_JWT.as_bytes(), draft_key(), now).unwrap(),
        from_jwt
    );
    assert_eq!(
        StatusList::from_token(&hex::decode(DRAFT_CWT_HEX).unwrap(), draft_key(), now).unwrap(),
        from_cwt
    );
    // Another key refuses both.
    let other = issuer().verifying_key();
    assert_eq!(
        StatusList::from_jwt(DRAFT_JWT, &other, now),
        Err(StatusListError::BadSignature)
    );
    assert_eq!(
        StatusList::from_cwt(&hex::decode(DRAFT_CWT_HEX).unwrap(), &other, now),
        Err(StatusListError::BadSignature)
    );
    // Past exp.
    assert_eq!(
        StatusList::from_jwt(DRAFT_JWT, draft_key(), DRAFT_EXP),
        Err(StatusListError::Expired)
    );
    assert_eq!(
        StatusList::from_cwt(&hex::decode(DRAFT_CWT_HEX).unwrap(), draft_key(), DRAFT_EXP),
        Err(StatusListError::Expired)
    );
}

#[test]
fn jwt_and_cwt_round_trips() {
    let key = issuer();
    let mut builder = StatusListBuilder::new(2, 10_000).unwrap();
    builder.set(0, 1).unwrap();
    builder.set(17, 2).unwrap();
    builder.set(9_999, 3).unwrap();
    let exp = Some(NOW + DAY);
    let ttl = Some(12 * HOUR as u64);
    let expected = builder.to_status_list(URI, NOW, exp, ttl);

    let token = builder.to_jwt(URI, NOW, exp, ttl, &key).unwrap();
    let header: Value =
        serde_json::from_slice(&base64url::decode(token.split('.').next().unwrap()).unwrap())
            .unwrap();
    assert_eq!(header, json!({"alg": "ES256", "typ": "statuslist+jwt"}));
    let read = from_jwt(&token).unwrap();
    assert_eq!(read, expected);
    assert_eq!(read.status(17).unwrap(), StatusValue::Suspended);
    assert_eq!(read.status(9_999).unwrap(), StatusValue::Other(3));

    let token = builder.to_cwt(URI, NOW, exp, ttl, &key).unwrap();
    assert_eq!(token[0], 0xd2, "tag 18");
    let read = from_cwt(&token).unwrap();
    assert_eq!(read, expected);
    assert_eq!(
        StatusList::from_token(&token, key.verifying_key(), NOW).unwrap(),
        expected
    );
    // The CWT claims are the registered keys.
    let value: Cbor = ciborium::de::from_reader(&token[..]).unwrap();
    let Cbor::Tag(18, inner) = value else {
        panic!()
    };
    let payload = inner.as_array().unwrap()[2].as_bytes().unwrap().clone();
    let claims: Cbor = ciborium::de::from_reader(&payload[..]).unwrap();
    let keys: Vec<i128> = claims
        .as_map()
        .unwrap()
        .iter()
        .map(|(k, _)| k.as_integer().unwrap().into())
        .collect();
    assert_eq!(keys, vec![2, 6, 4, 65534, 65533]);

    // Without exp and ttl.
    let read = from_jwt(&builder.to_jwt(URI, NOW, None, None, &key).unwrap()).unwrap();
    assert_eq!((read.expires_at, read.ttl), (None, None));
    let read = from_cwt(&builder.to_cwt(URI, NOW, None, None, &key).unwrap()).unwrap();
    assert_eq!((read.expires_at, read.ttl), (None, None));
}

#[test]
fn random_indexes_read_back() {
    let key = issuer();
    // A small deterministic generator: the test is reproducible without a seed file.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for bits in [1u8, 2, 4, 8] {
        let size = 50_000u64;
        let mut builder = StatusListBuilder::new(bits, size).unwrap();
        let mut expected = BTreeMap::new();
        for _ in 0..500 {
            let index = next() % size;
            let value = (next() % (1u64 << bits)) as u8;
            builder.set(index, value).unwrap();
            expected.insert(index, value);
        }
        let jwt_list = from_jwt(&builder.to_jwt(URI, NOW, None, None, &key).unwrap()).unwrap();
        let cwt_list = from_cwt(&builder.to_cwt(URI, NOW, None, None, &key).unwrap()).unwrap();
        for list in [&jwt_list, &cwt_list] {
            for _ in 0..2_000 {
                let index = next() % size;
                let want = expected.get(&index).copied().unwrap_or(0);
                assert_eq!(list.status(index).unwrap().to_u8(), want);
                assert_eq!(builder.get(index).unwrap().to_u8(), want);
            }
            for (index, value) in &expected {
                assert_eq!(list.status(*index).unwrap().to_u8(), *value);
            }
        }
    }
}

#[test]
fn index_out_of_range_is_an_error_never_a_panic() {
    let key = issuer();
    let builder = StatusListBuilder::new(1, 16).unwrap();
    let list = from_jwt(&builder.to_jwt(URI, NOW, None, None, &key).unwrap()).unwrap();
    assert_eq!(list.len(), 16);
    assert!(list.status(15).is_ok());
    for index in [16, 17, 1 << 40, u64::MAX / 2, u64::MAX] {
        assert!(matches!(
            list.status(index),
            Err(StatusListError::IndexOutOfRange { len: 16, .. })
        ));
    }
    // A list built by hand with nonsense in it errs too.
    let mut odd = list.clone();
    odd.bits = 3;
    assert_eq!(odd.status(0), Err(StatusListError::UnsupportedBits(3)));
    assert_eq!(odd.len(), 0);
    odd.bits = 8;
    odd.bytes.clear();
    assert!(odd.is_empty());
    assert!(matches!(
        odd.status(0),
        Err(StatusListError::IndexOutOfRange { .. })
    ));

    let mut builder = StatusListBuilder::new(4, 3).unwrap();
    assert_eq!(builder.bytes().len(), 2);
    assert!(matches!(
        builder.set(3, 1),
        Err(StatusListError::IndexOutOfRange { index: 3, len: 3 })
    ));
    assert!(matches!(
        builder.get(3),
        Err(StatusListError::IndexOutOfRange { .. })
    ));
    assert!(matches!(
        builder.set(u64::MAX, 1),
        Err(StatusListError::IndexOutOfRange { .. })
    ));
    assert_eq!(
        builder.set(0, 16),
        Err(StatusListError::ValueTooLarge { value: 16, bits: 4 })
    );
    builder.set(2, 15).unwrap();
    builder.set(2, 5).unwrap();
    assert_eq!(builder.get(2).unwrap(), StatusValue::Other(5));
}

#[test]
fn builder_refuses_bad_sizes_and_bits() {
    for bits in [0u8, 3, 5, 7, 9, 16, 255] {
        assert_eq!(
            StatusListBuilder::new(bits, 8),
            Err(StatusListError::UnsupportedBits(u64::from(bits)))
        );
    }
    assert!(matches!(
        StatusListBuilder::new(1, 0),
        Err(StatusListError::Malformed(_))
    ));
    assert!(matches!(
        StatusListBuilder::new(8, MAX_STATUS_LIST_BYTES as u64 + 1),
        Err(StatusListError::TooLarge(_))
    ));
    assert!(matches!(
        StatusListBuilder::new(8, u64::MAX),
        Err(StatusListError::TooLarge(_))
    ));
    let key = issuer();
    let builder = StatusListBuilder::new(1, 8).unwrap();
    for (uri, exp, ttl) in [
        ("", None, None),
        ("https://x.example/ a", None, None),
        (URI, Some(NOW), None),
        (URI, None, Some(0)),
    ] {
        assert!(matches!(
            builder.to_jwt(uri, NOW, exp, ttl, &key),
            Err(StatusListError::Malformed(_))
        ));
        assert!(matches!(
            builder.to_cwt(uri, NOW, exp, ttl, &key),
            Err(StatusListError::Malformed(_))
        ));
    }
}

#[test]
fn another_key_and_tampering_are_refused() {
    let key = issuer();
    let impostor = SigningKey::from_scalar(&[66u8; 32]).unwrap();
    let mut builder = StatusListBuilder::new(1, 64).unwrap();
    builder.set(5, 1).unwrap();

    let token = builder.to_jwt(URI, NOW, None, None, &impostor).unwrap();
    assert_eq!(from_jwt(&token), Err(StatusListError::BadSignature));
    let token = builder.to_cwt(URI, NOW, None, None, &impostor).unwrap();
    assert_eq!(from_cwt(&token), Err(StatusListError::BadSignature));

    // Un-revoke index 5 in a signed JWT.
    let token = builder.to_jwt(URI, NOW, None, None, &key).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&base64url::decode(parts[1]).unwrap()).unwrap();
    claims["status_list"]["lst"] = json!(base64url::encode(&zlib(&[0u8; 8])));
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        base64url::encode(&serde_json::to_vec(&claims).unwrap()),
        parts[2]
    );
    assert_eq!(from_jwt(&forged), Err(StatusListError::BadSignature));

    // Flip each byte of the CWT's payload region in turn: never accepted as it was.
    let token = builder.to_cwt(URI, NOW, None, None, &key).unwrap();
    let original = from_cwt(&token).unwrap();
    for i in 0..token.len() {
        let mut bad = token.clone();
        bad[i] ^= 0x01;
        match from_cwt(&bad) {
            Err(_) => {}
            Ok(list) => panic!("byte {i} flipped yet accepted: {:?}", list == original),
        }
    }
}

#[test]
fn wrong_type_is_refused() {
    let key = issuer();
    let claims = jwt_claims(json!(1), DRAFT_1BIT_LST);
    for typ in [None, Some("JWT"), Some("dc+sd-jwt"), Some("statuslist+cwt")] {
        assert_eq!(
            from_jwt(&jwt(claims.clone(), typ, &key)),
            Err(StatusListError::WrongType),
            "{typ:?}"
        );
    }
    // The media type with its prefix, any case, is the same type (RFC 7515 s4.1.9).
    for typ in ["application/statuslist+jwt", "StatusList+JWT"] {
        assert!(
            from_jwt(&jwt(claims.clone(), Some(typ), &key)).is_ok(),
            "{typ}"
        );
    }

    let list = cbor_list(1, base64url::decode(DRAFT_1BIT_LST).unwrap());
    for typ in [
        None,
        Some(Cbor::Text("application/statuslist+jwt".into())),
        Some(Cbor::Text("application/cwt".into())),
        Some(Cbor::from(61)),
    ] {
        assert_eq!(
            from_cwt(&cwt(
                &cwt_claims(list.clone()),
                typ.clone(),
                iana::Algorithm::ES256,
                &key
            )),
            Err(StatusListError::WrongType),
            "{typ:?}"
        );
    }
    // typ only in the unprotected header is not enough.
    let mut payload = Vec::new();
    ciborium::ser::into_writer(&cwt_claims(list), &mut payload).unwrap();
    let token = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::ES256)
                .build(),
        )
        .unprotected(
            HeaderBuilder::new()
                .value(16, Cbor::Text(STATUS_LIST_CWT_TYP.into()))
                .build(),
        )
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs).unwrap().to_vec())
        .build()
        .to_tagged_vec()
        .unwrap();
    assert_eq!(from_cwt(&token), Err(StatusListError::WrongType));
}

#[test]
fn other_algorithms_and_envelopes_are_refused() {
    let key = issuer();
    let body =
        base64url::encode(&serde_json::to_vec(&jwt_claims(json!(1), DRAFT_1BIT_LST)).unwrap());
    for alg in ["none", "HS256", "RS256", "ES384", "EdDSA"] {
        let header = base64url::encode(
            &serde_json::to_vec(&json!({"alg": alg, "typ": STATUS_LIST_JWT_TYP})).unwrap(),
        );
        assert_eq!(
            from_jwt(&format!(
                "{header}.{body}.{}",
                base64url::encode(&[3u8; 64])
            )),
            Err(StatusListError::UnsupportedAlgorithm),
            "{alg}"
        );
    }
    let list = cbor_list(1, base64url::decode(DRAFT_1BIT_LST).unwrap());
    assert_eq!(
        from_cwt(&cwt(
            &cwt_claims(list.clone()),
            typ_cwt(),
            iana::Algorithm::ES384,
            &key
        )),
        Err(StatusListError::UnsupportedAlgorithm)
    );
    // COSE_Mac0 (tag 17).
    let good = cwt(
        &cwt_claims(list.clone()),
        typ_cwt(),
        iana::Algorithm::ES256,
        &key,
    );
    let mut mac = good.clone();
    mac[0] = 0xd1;
    assert_eq!(from_cwt(&mac), Err(StatusListError::UnsupportedAlgorithm));
    // Untagged, and wrapped in the CWT tag 61: both refused (draft s5.2).
    assert!(matches!(
        from_cwt(&good[1..]),
        Err(StatusListError::Malformed(_))
    ));
    let mut cwt_tagged = vec![0xd8, 0x3d];
    cwt_tagged.extend_from_slice(&good);
    assert!(matches!(
        from_cwt(&cwt_tagged),
        Err(StatusListError::Malformed(_))
    ));
    // Trailing bytes after the COSE_Sign1.
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(matches!(
        from_cwt(&trailing),
        Err(StatusListError::Malformed(_))
    ));
    assert!(from_cwt(&good).is_ok());
}

#[test]
fn unsupported_bits_are_refused() {
    let key = issuer();
    for bits in [0u64, 3, 5, 16, 1 << 40] {
        assert_eq!(
            from_jwt(&jwt(
                jwt_claims(json!(bits), DRAFT_1BIT_LST),
                Some(STATUS_LIST_JWT_TYP),
                &key
            )),
            Err(StatusListError::UnsupportedBits(bits))
        );
        let list = cbor_list(bits, base64url::decode(DRAFT_1BIT_LST).unwrap());
        assert_eq!(
            from_cwt(&cwt(
                &cwt_claims(list),
                typ_cwt(),
                iana::Algorithm::ES256,
                &key
            )),
            Err(StatusListError::UnsupportedBits(bits))
        );
    }
    for bits in [json!(-1), json!(1.5), json!("1"), Value::Null] {
        assert!(matches!(
            from_jwt(&jwt(
                jwt_claims(bits, DRAFT_1BIT_LST),
                Some(STATUS_LIST_JWT_TYP),
                &key
            )),
            Err(StatusListError::Malformed(_))
        ));
    }
}

#[test]
fn expiry_and_not_yet_valid() {
    let key = issuer();
    let builder = StatusListBuilder::new(1, 8).unwrap();
    let exp = Some(NOW + HOUR);
    let token = builder.to_jwt(URI, NOW, exp, None, &key).unwrap();
    let cwt = builder.to_cwt(URI, NOW, exp, None, &key).unwrap();
    let k = key.verifying_key();
    assert!(StatusList::from_jwt(&token, &k, NOW + HOUR - 1).is_ok());
    assert_eq!(
        StatusList::from_jwt(&token, &k, NOW + HOUR),
        Err(StatusListError::Expired)
    );
    assert_eq!(
        StatusList::from_cwt(&cwt, &k, NOW + HOUR),
        Err(StatusListError::Expired)
    );
    let early = NOW - STATUS_LIST_CLOCK_SKEW_SECS - 1;
    assert!(StatusList::from_jwt(&token, &k, NOW - STATUS_LIST_CLOCK_SKEW_SECS).is_ok());
    assert_eq!(
        StatusList::from_jwt(&token, &k, early),
        Err(StatusListError::NotYetValid)
    );
    assert_eq!(
        StatusList::from_cwt(&cwt, &k, early),
        Err(StatusListError::NotYetValid)
    );
    // nbf, when present, is honoured.
    let mut claims = jwt_claims(json!(1), DRAFT_1BIT_LST);
    claims["nbf"] = json!(NOW + DAY);
    assert_eq!(
        from_jwt(&jwt(claims, Some(STATUS_LIST_JWT_TYP), &key)),
        Err(StatusListError::NotYetValid)
    );
    // Fractional NumericDates are rounded down (RFC 7519).
    let mut claims = jwt_claims(json!(1), DRAFT_1BIT_LST);
    claims["iat"] = json!(NOW as f64 + 0.75);
    assert_eq!(
        from_jwt(&jwt(claims, Some(STATUS_LIST_JWT_TYP), &key))
            .unwrap()
            .issued_at,
        NOW
    );
}

#[test]
fn size_limits_and_compression_bomb() {
    let key = issuer();
    let long = "a".repeat(MAX_STATUS_LIST_TOKEN_LEN + 1);
    assert!(matches!(from_jwt(&long), Err(StatusListError::TooLarge(_))));
    assert!(matches!(
        from_cwt(&vec![0xd2; MAX_STATUS_LIST_TOKEN_LEN + 1]),
        Err(StatusListError::TooLarge(_))
    ));

    // 64 MiB of zeros deflate to about 64 KiB: a small token that must not be expanded.
    let bomb = zlib(&vec![0u8; 64 << 20]);
    assert!(bomb.len() < 100 * 1024, "{}", bomb.len());
    let jwt_bomb = {
        let claims = jwt_claims(json!(1), &base64url::encode(&bomb));
        let header = JwsHeader::es256().with_typ(STATUS_LIST_JWT_TYP);
        let input = format!(
            "{}.{}",
            base64url::encode(&serde_json::to_vec(&header.to_json()).unwrap()),
            base64url::encode(&serde_json::to_vec(&claims).unwrap())
        );
        let signature = key.sign(input.as_bytes()).unwrap();
        format!("{input}.{}", base64url::encode(&signature))
    };
    assert_eq!(
        from_jwt(&jwt_bomb),
        Err(StatusListError::TooLarge("decompressed status list"))
    );
    let cwt_bomb = cwt(
        &cwt_claims(cbor_list(1, bomb)),
        typ_cwt(),
        iana::Algorithm::ES256,
        &key,
    );
    assert_eq!(
        from_cwt(&cwt_bomb),
        Err(StatusListError::TooLarge("decompressed status list"))
    );
    // Exactly at the limit is fine.
    let at_limit = zlib(&vec![0u8; MAX_STATUS_LIST_BYTES]);
    let list = from_cwt(&cwt(
        &cwt_claims(cbor_list(8, at_limit)),
        typ_cwt(),
        iana::Algorithm::ES256,
        &key,
    ))
    .unwrap();
    assert_eq!(list.len(), MAX_STATUS_LIST_BYTES as u64);
}

#[test]
fn malformed_claims_are_refused() {
    let key = issuer();
    let ok = jwt_claims(json!(1), DRAFT_1BIT_LST);
    assert!(from_jwt(&jwt(ok.clone(), Some(STATUS_LIST_JWT_TYP), &key)).is_ok());
    let mut trailing = base64url::decode(DRAFT_1BIT_LST).unwrap();
    trailing.push(0);
    let cases: Vec<(&str, ClaimsChange)> = vec![
        (
            "no sub",
            Box::new(|c| {
                c.remove("sub");
            }),
        ),
        (
            "sub not string",
            Box::new(|c| {
                c.insert("sub".into(), json!(7));
            }),
        ),
        (
            "empty sub",
            Box::new(|c| {
                c.insert("sub".into(), json!(""));
            }),
        ),
        (
            "no iat",
            Box::new(|c| {
                c.remove("iat");
            }),
        ),
        (
            "iat string",
            Box::new(|c| {
                c.insert("iat".into(), json!("now"));
            }),
        ),
        (
            "exp before iat",
            Box::new(|c| {
                c.insert("exp".into(), json!(NOW - 1));
            }),
        ),
        (
            "ttl zero",
            Box::new(|c| {
                c.insert("ttl".into(), json!(0));
            }),
        ),
        (
            "ttl negative",
            Box::new(|c| {
                c.insert("ttl".into(), json!(-5));
            }),
        ),
        (
            "ttl string",
            Box::new(|c| {
                c.insert("ttl".into(), json!("1h"));
            }),
        ),
        (
            "no status_list",
            Box::new(|c| {
                c.remove("status_list");
            }),
        ),
        (
            "status_list string",
            Box::new(|c| {
                c.insert("status_list".into(), json!("x"));
            }),
        ),
        (
            "no lst",
            Box::new(|c| {
                c["status_list"].as_object_mut().unwrap().remove("lst");
            }),
        ),
        (
            "lst not base64url",
            Box::new(|c| {
                c["status_list"]["lst"] = json!("eNrb+RgAAhcBXQ==");
            }),
        ),
        (
            "lst not zlib",
            Box::new(|c| {
                c["status_list"]["lst"] = json!("AAAA");
            }),
        ),
        (
            "lst raw deflate",
            Box::new(|c| {
                c["status_list"]["lst"] = json!(base64url::encode(
                    &hex::decode("dbb918000217015d").unwrap()[..6]
                ));
            }),
        ),
        (
            "lst empty list",
            Box::new(|c| {
                c["status_list"]["lst"] = json!(base64url::encode(&zlib(b"")));
            }),
        ),
        (
            "lst trailing",
            Box::new(move |c| {
                c["status_list"]["lst"] = json!(base64url::encode(&trailing));
            }),
        ),
        (
            "aggregation_uri number",
            Box::new(|c| {
                c["status_list"]["aggregation_uri"] = json!(1);
            }),
        ),
    ];
    for (what, change) in cases {
        let mut claims = ok.as_object().unwrap().clone();
        change(&mut claims);
        let result = from_jwt(&jwt(Value::Object(claims), Some(STATUS_LIST_JWT_TYP), &key));
        assert!(
            matches!(result, Err(StatusListError::Malformed(_))),
            "{what}: {result:?}"
        );
    }
    // Extra claims and members are allowed (draft s5.1, rule 1).
    let mut extra = ok.clone();
    extra["iss"] = json!("https://issuer.example");
    extra["status_list"]["aggregation_uri"] = json!("https://issuer.example/aggregation");
    assert!(from_jwt(&jwt(extra, Some(STATUS_LIST_JWT_TYP), &key)).is_ok());
    // Not a JWS.
    for text in ["", "a.b", "a.b.c.d", "!.!.!"] {
        assert!(
            matches!(from_jwt(text), Err(StatusListError::Malformed(_))),
            "{text}"
        );
    }
    assert!(matches!(
        StatusList::from_token(&[0xff, 0xfe], key.verifying_key(), NOW),
        Err(StatusListError::Malformed(_))
    ));

    // CWT claims.
    let lst = base64url::decode(DRAFT_1BIT_LST).unwrap();
    let sign = |claims: Cbor| cwt(&claims, typ_cwt(), iana::Algorithm::ES256, &key);
    let with = |extra: Vec<(Cbor, Cbor)>, drop: &[i64]| {
        let mut map = vec![
            (Cbor::from(2), Cbor::Text(URI.into())),
            (Cbor::from(6), Cbor::from(NOW)),
            (Cbor::from(CWT_CLAIM_STATUS_LIST), cbor_list(1, lst.clone())),
        ];
        map.retain(|(k, _)| !drop.iter().any(|d| k.as_integer() == Some((*d).into())));
        map.extend(extra);
        Cbor::Map(map)
    };
    assert!(from_cwt(&sign(with(vec![], &[]))).is_ok());
    let cwt_cases: Vec<(&str, Cbor)> = vec![
        ("no sub", with(vec![], &[2])),
        ("no iat", with(vec![], &[6])),
        ("no status list", with(vec![], &[CWT_CLAIM_STATUS_LIST])),
        (
            "sub bytes",
            with(vec![(Cbor::from(2), Cbor::Bytes(URI.into()))], &[2]),
        ),
        (
            "iat text",
            with(vec![(Cbor::from(6), Cbor::Text("now".into()))], &[6]),
        ),
        (
            "ttl zero",
            with(vec![(Cbor::from(CWT_CLAIM_TTL), Cbor::from(0))], &[]),
        ),
        (
            "ttl negative",
            with(vec![(Cbor::from(CWT_CLAIM_TTL), Cbor::from(-1))], &[]),
        ),
        (
            "ttl text",
            with(
                vec![(Cbor::from(CWT_CLAIM_TTL), Cbor::Text("1h".into()))],
                &[],
            ),
        ),
        (
            "duplicate iat",
            with(vec![(Cbor::from(6), Cbor::from(NOW))], &[]),
        ),
        (
            "lst text",
            with(
                vec![(
                    Cbor::from(CWT_CLAIM_STATUS_LIST),
                    Cbor::Map(vec![
                        (Cbor::Text("bits".into()), Cbor::from(1)),
                        (Cbor::Text("lst".into()), Cbor::Text(DRAFT_1BIT_LST.into())),
                    ]),
                )],
                &[CWT_CLAIM_STATUS_LIST],
            ),
        ),
        (
            "duplicate bits",
            with(
                vec![(
                    Cbor::from(CWT_CLAIM_STATUS_LIST),
                    Cbor::Map(vec![
                        (Cbor::Text("bits".into()), Cbor::from(1)),
                        (Cbor::Text("bits".into()), Cbor::from(2)),
                        (Cbor::Text("lst".into()), Cbor::Bytes(lst.clone())),
                    ]),
                )],
                &[CWT_CLAIM_STATUS_LIST],
            ),
        ),
        (
            "status list array",
            with(
                vec![(Cbor::from(CWT_CLAIM_STATUS_LIST), Cbor::Array(vec![]))],
                &[CWT_CLAIM_STATUS_LIST],
            ),
        ),
        ("claims not a map", Cbor::Array(vec![])),
    ];
    for (what, claims) in cwt_cases {
        let result = from_cwt(&sign(claims));
        assert!(
            matches!(result, Err(StatusListError::Malformed(_))),
            "{what}: {result:?}"
        );
    }
    // A payload with bytes after the claims, or not CBOR at all.
    let mut payload = Vec::new();
    ciborium::ser::into_writer(&with(vec![], &[]), &mut payload).unwrap();
    payload.push(0);
    assert!(matches!(
        from_cwt(&cwt_raw(payload, typ_cwt(), iana::Algorithm::ES256, &key)),
        Err(StatusListError::Malformed(_))
    ));
    assert!(matches!(
        from_cwt(&cwt_raw(
            vec![0xff],
            typ_cwt(),
            iana::Algorithm::ES256,
            &key
        )),
        Err(StatusListError::Malformed(_))
    ));
    // Deep nesting in an ignored claim is bounded, not a stack overflow.
    let mut deep = Cbor::from(0);
    for _ in 0..200 {
        deep = Cbor::Array(vec![deep]);
    }
    assert!(matches!(
        from_cwt(&sign(with(vec![(Cbor::from(-70_000), deep)], &[]))),
        Err(StatusListError::Malformed(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Freshness
// ---------------------------------------------------------------------------------------

fn cached(exp: Option<i64>, ttl: Option<u64>) -> StatusList {
    let mut builder = StatusListBuilder::new(2, 8).unwrap();
    builder.set(1, 1).unwrap();
    builder.set(2, 2).unwrap();
    builder.set(3, 3).unwrap();
    builder.to_status_list(URI, NOW - HOUR, exp, ttl)
}

fn state(outcome: StatusOutcome) -> StatusState {
    outcome.state
}

#[test]
fn fresh_lists_give_the_listed_status_and_its_age() {
    let list = cached(Some(NOW + DAY), Some(DAY as u64));
    let at = |index| {
        StatusCheck::evaluate(
            Some(&list),
            Some(NOW - 60),
            &reference(index),
            NOW,
            7 * DAY as u64,
        )
    };
    assert_eq!(
        at(0),
        StatusOutcome {
            state: StatusState::Valid,
            age_secs: Some(HOUR),
            listed: Some(StatusValue::Valid)
        }
    );
    assert_eq!(state(at(1)), StatusState::Revoked);
    assert_eq!(state(at(2)), StatusState::Suspended);
    // Application-specific value: no statement.
    assert_eq!(at(3).state, StatusState::Unknown);
    assert_eq!(at(3).listed, Some(StatusValue::Other(3)));
    // Beyond the list: no statement, not revoked.
    assert_eq!(
        at(8),
        StatusOutcome {
            state: StatusState::Unknown,
            age_secs: Some(HOUR),
            listed: None
        }
    );
}

#[test]
fn missing_data_is_unknown_never_revoked() {
    let list = cached(None, None);
    let none = StatusCheck::evaluate(None, None, &reference(1), NOW, u64::MAX);
    assert_eq!(
        none,
        StatusOutcome {
            state: StatusState::Unknown,
            age_secs: None,
            listed: None
        }
    );
    // A list for another URI is no list.
    let other = StatusReference {
        index: 1,
        uri: "https://status.issuer.example/lists/8".into(),
    };
    assert_eq!(
        StatusCheck::evaluate(Some(&list), Some(NOW), &other, NOW, u64::MAX),
        StatusOutcome {
            state: StatusState::Unknown,
            age_secs: None,
            listed: None
        }
    );
}

#[test]
fn stale_lists_are_stale_whatever_they_say() {
    let max_age = 7 * DAY as u64;
    // Past exp.
    let list = cached(Some(NOW), None);
    let outcome = StatusCheck::evaluate(Some(&list), Some(NOW - 60), &reference(1), NOW, max_age);
    assert_eq!(outcome.state, StatusState::Stale);
    assert_eq!(outcome.listed, Some(StatusValue::Invalid));
    assert_eq!(outcome.age_secs, Some(HOUR));
    assert_eq!(
        StatusCheck::evaluate(Some(&list), Some(NOW - 60), &reference(1), NOW - 1, max_age).state,
        StatusState::Revoked
    );

    // Past fetched_at + ttl (draft s8.3: resolved + ttl < now).
    let list = cached(None, Some(HOUR as u64));
    let fetched = NOW - 2 * HOUR;
    assert_eq!(
        StatusCheck::evaluate(
            Some(&list),
            Some(fetched),
            &reference(0),
            fetched + HOUR,
            max_age
        )
        .state,
        StatusState::Valid
    );
    assert_eq!(
        StatusCheck::evaluate(
            Some(&list),
            Some(fetched),
            &reference(0),
            fetched + HOUR + 1,
            max_age
        )
        .state,
        StatusState::Stale
    );
    // Unknown fetch time: iat stands in (the earliest it can have been fetched).
    assert_eq!(
        StatusCheck::evaluate(Some(&list), None, &reference(0), NOW, max_age).state,
        StatusState::Valid
    );
    assert_eq!(
        StatusCheck::evaluate(Some(&list), None, &reference(0), NOW + 1, max_age).state,
        StatusState::Stale
    );

    // Older than the verifier accepts.
    let list = cached(None, None);
    assert_eq!(
        StatusCheck::evaluate(Some(&list), Some(NOW), &reference(2), NOW, HOUR as u64).state,
        StatusState::Suspended
    );
    let outcome =
        StatusCheck::evaluate(Some(&list), Some(NOW), &reference(2), NOW + 1, HOUR as u64);
    assert_eq!(outcome.state, StatusState::Stale);
    assert_eq!(outcome.age_secs, Some(HOUR + 1));
    assert_eq!(outcome.listed, Some(StatusValue::Suspended));

    // A list issued "in the future" (clock difference) has age 0.
    let outcome = StatusCheck::evaluate(Some(&list), None, &reference(0), NOW - 2 * HOUR, 0);
    assert_eq!(outcome.age_secs, Some(0));
    assert_eq!(outcome.state, StatusState::Valid);
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn builder_round_trips_through_both_forms(
        bits in prop::sample::select(vec![1u8, 2, 4, 8]),
        size in 1u64..5_000,
        sets in proptest::collection::vec((any::<u64>(), any::<u8>()), 0..64),
        exp_after in proptest::option::of(1i64..10_000_000),
        ttl in proptest::option::of(1u64..10_000_000),
    ) {
        let key = issuer();
        let mut builder = StatusListBuilder::new(bits, size).unwrap();
        let mut expected = BTreeMap::new();
        let mask = ((1u16 << bits) - 1) as u8;
        for (index, value) in sets {
            let (index, value) = (index % size, value & mask);
            builder.set(index, value).unwrap();
            expected.insert(index, value);
        }
        let exp = exp_after.map(|after| NOW + after);
        let from_jwt = from_jwt(&builder.to_jwt(URI, NOW, exp, ttl, &key).unwrap()).unwrap();
        let from_cwt = from_cwt(&builder.to_cwt(URI, NOW, exp, ttl, &key).unwrap()).unwrap();
        prop_assert_eq!(&from_jwt, &from_cwt);
        prop_assert_eq!(&from_jwt, &builder.to_status_list(URI, NOW, exp, ttl));
        prop_assert!(from_jwt.len() >= size);
        prop_assert!(from_jwt.len() < size + 8);
        for index in 0..size {
            let want = expected.get(&index).copied().unwrap_or(0);
            prop_assert_eq!(from_jwt.status(index).unwrap().to_u8(), want);
        }
        let out_of_range = from_jwt.status(from_jwt.len());
        let is_out_of_range = matches!(out_of_range, Err(StatusListError::IndexOutOfRange { .. }));
        prop_assert!(is_out_of_range);
    }

    #[test]
    fn evaluate_never_says_revoked_without_a_fresh_list_saying_so(
        has_list in any::<bool>(),
        same_uri in any::<bool>(),
        index in 0u64..20,
        fetched_ago in proptest::option::of(0i64..10 * DAY),
        exp_in in proptest::option::of(-DAY..DAY),
        ttl in proptest::option::of(1u64..(2 * DAY as u64)),
        max_age in 0u64..(3 * DAY as u64),
        issued_ago in -HOUR..(3 * DAY),
        values in proptest::collection::vec(0u8..4, 16),
    ) {
        let mut builder = StatusListBuilder::new(2, 16).unwrap();
        for (i, v) in values.iter().enumerate() {
            builder.set(i as u64, *v).unwrap();
        }
        let issued = NOW - issued_ago;
        let exp = exp_in.map(|d| NOW + d).filter(|exp| *exp > issued);
        let list = builder.to_status_list(if same_uri { URI } else { "https://else.example/l" }, issued, exp, ttl);
        let outcome = StatusCheck::evaluate(
            has_list.then_some(&list),
            fetched_ago.map(|ago| NOW - ago),
            &reference(index),
            NOW,
            max_age,
        );
        if outcome.state == StatusState::Revoked {
            prop_assert!(has_list && same_uri);
            prop_assert_eq!(values.get(index as usize).copied(), Some(1));
            prop_assert!(exp.is_none_or(|exp| NOW < exp));
            prop_assert!(issued_ago.max(0) as u64 <= max_age);
        }
        if !(has_list && same_uri) {
            prop_assert_eq!(outcome.state, StatusState::Unknown);
            prop_assert_eq!(outcome.age_secs, None);
        }
    }
}
