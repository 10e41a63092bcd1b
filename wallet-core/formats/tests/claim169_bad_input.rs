//! Claim 169 codes made by the test encoder (round trips with Ed25519, ES256, encryption) and
//! hostile or broken ones: truncated Base45, a zlib bomb, deep CBOR nesting, an unknown
//! algorithm, a wrong key, a changed payload, expiry, unsigned codes, malformed fields. Each
//! gives its typed error, never a panic.
#![cfg(feature = "claim169-issue")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use ciborium::Value;
use coset::{CborSerializable, TaggedCborSerializable};
use laissez_crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use laissez_formats::claim169::issue::{self, Protection};
use laissez_formats::claim169::{
    self, Biometric, BiometricField, BiometricFormat, BiometricPart, Claim169Error, ContentKey,
    CwtClaims, Gender, Identity, ImageFormat, MAX_DECOMPRESSED_BYTES, MaritalStatus, UnknownField,
};
use proptest::prelude::*;

const NOW: i64 = 1_760_000_000;

fn cwt() -> CwtClaims {
    CwtClaims {
        issuer: Some("https://id.example.org".into()),
        subject: Some("ID-1".into()),
        expires_at: Some(1_800_000_000),
        not_before: Some(1_700_000_000),
        issued_at: Some(1_700_000_000),
    }
}

fn full_identity() -> Identity {
    let jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec();
    Identity {
        id: Some("ID-1".into()),
        version: Some("1.0".into()),
        language: Some("eng".into()),
        full_name: Some("Amina Yusuf Abdi".into()),
        first_name: Some("Amina".into()),
        middle_name: Some("Yusuf".into()),
        last_name: Some("Abdi".into()),
        date_of_birth: Some("19900515".into()),
        gender: Some(Gender::Female),
        address: Some("Camp 4\nBlock 2".into()),
        email: Some("amina@example.org".into()),
        phone: Some("+254 700 000 000".into()),
        nationality: Some("SOM".into()),
        marital_status: Some(MaritalStatus::Married),
        guardian: Some("G-7".into()),
        photo: Some(b"RIFF\x10\0\0\0WEBPVP8 ".to_vec()),
        photo_format: Some(ImageFormat::WebP),
        best_quality_fingers: vec![1, 6],
        secondary_full_name: Some("أمينة يوسف عبدي".into()),
        secondary_language: Some("ara".into()),
        location_code: Some("6GCRPR6C+24".into()),
        legal_status: Some("refugee".into()),
        country_of_issuance: Some("KEN".into()),
        biometrics: vec![
            BiometricField {
                part: BiometricPart::RightThumb,
                entries: vec![Biometric {
                    data: vec![1, 2, 3],
                    format: Some(BiometricFormat::Template),
                    sub_format: Some(1),
                    issuer: Some("VendorA".into()),
                }],
            },
            BiometricField {
                part: BiometricPart::Face,
                entries: vec![Biometric {
                    data: jpeg,
                    format: Some(BiometricFormat::Image),
                    sub_format: Some(1),
                    issuer: None,
                }],
            },
        ],
        unknown: vec![UnknownField {
            key: 80,
            cbor: vec![0x63, b'a', b'b', b'c'],
        }],
    }
}

fn signed(alg: SignatureAlgorithm) -> (IssuerSigningKey, String) {
    let key = IssuerSigningKey::generate(alg).unwrap();
    let protection = Protection {
        signer: Some(&key),
        ..Protection::default()
    };
    let text = issue::encode(&cwt(), &full_identity(), &protection).unwrap();
    (key, text)
}

fn zlib_base45(bytes: &[u8]) -> String {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    base45::encode(encoder.finish().unwrap())
}

/// A tagged COSE_Sign1 around `payload` with `alg`, signed by nobody (64 zero bytes).
fn sign1(alg: coset::iana::Algorithm, payload: Vec<u8>) -> Vec<u8> {
    coset::CoseSign1Builder::new()
        .protected(coset::HeaderBuilder::new().algorithm(alg).build())
        .payload(payload)
        .signature(vec![0; 64])
        .build()
        .to_tagged_vec()
        .unwrap()
}

fn cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).unwrap();
    out
}

fn int(n: i64) -> Value {
    Value::Integer(n.into())
}

/// A CWT whose claim 169 is `identity`.
fn cwt_with(identity: Value) -> Vec<u8> {
    cbor(&Value::Map(vec![
        (int(1), Value::Text("iss".into())),
        (int(169), identity),
    ]))
}

#[test]
fn ed25519_and_es256_codes_round_trip_with_every_field() {
    for alg in [SignatureAlgorithm::EdDsa, SignatureAlgorithm::Es256] {
        let (key, text) = signed(alg);
        assert!(claim169::looks_like_code(&text));
        let code = claim169::decode(&text, None).unwrap();
        assert_eq!(code.identity, full_identity());
        assert_eq!(code.cwt, cwt());
        assert_eq!(code.signature_algorithm(), Some(alg));
        assert_eq!(code.verify(&key.issuer_key()), Ok(()));
        assert_eq!(code.check_time(NOW), Ok(()));
        let face = code.identity.face_image().unwrap();
        assert_eq!(face.detected, Some(ImageFormat::Jpeg));
        assert_eq!(face.format(), Some(ImageFormat::Jpeg));
    }
}

#[test]
fn wrong_key_and_changed_payload_do_not_verify() {
    let (key, text) = signed(SignatureAlgorithm::EdDsa);
    let code = claim169::decode(&text, None).unwrap();
    let other = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    assert_eq!(
        code.verify(&other.issuer_key()),
        Err(Claim169Error::BadSignature)
    );
    let p256 = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    assert_eq!(
        code.verify(&p256.issuer_key()),
        Err(Claim169Error::KeyAlgorithmMismatch)
    );
    assert_eq!(
        code.verify_any(&[other.issuer_key(), key.issuer_key()]),
        Ok(&key.issuer_key())
    );

    // One byte of the signed name changed, in the CBOR under the zlib layer.
    let protection = Protection {
        signer: Some(&key),
        ..Protection::default()
    };
    let mut bytes = issue::encode_cbor(&cwt(), &full_identity(), &protection).unwrap();
    let at = bytes.windows(5).position(|w| w == b"Amina").unwrap();
    bytes[at] = b'X';
    let changed = claim169::decode(&zlib_base45(&bytes), None).unwrap();
    assert_eq!(
        changed.identity.full_name.as_deref(),
        Some("Xmina Yusuf Abdi")
    );
    assert_eq!(
        changed.verify(&key.issuer_key()),
        Err(Claim169Error::BadSignature)
    );
}

#[test]
fn unsigned_codes_are_never_verified() {
    let text = issue::encode(&cwt(), &full_identity(), &Protection::default()).unwrap();
    let code = claim169::decode(&text, None).unwrap();
    assert!(!code.is_signed());
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    assert_eq!(code.verify(&key.issuer_key()), Err(Claim169Error::Unsigned));
    assert_eq!(
        code.verify_any(&[key.issuer_key()]),
        Err(Claim169Error::Unsigned)
    );
}

#[test]
fn encrypted_codes_need_their_key() {
    let (key, _) = signed(SignatureAlgorithm::Es256);
    for content_key in [
        ContentKey::new(&[3u8; 32]).unwrap(),
        ContentKey::new(&[4u8; 16]).unwrap(),
    ] {
        let protection = Protection {
            signer: Some(&key),
            key_id: b"kid-1".to_vec(),
            encryption: Some(&content_key),
        };
        let text = issue::encode(&cwt(), &full_identity(), &protection).unwrap();
        let code = claim169::decode(&text, Some(&content_key)).unwrap();
        assert_eq!(code.encryption, Some(content_key.cose_algorithm()));
        assert_eq!(code.key_id(), Some(&b"kid-1"[..]));
        assert_eq!(code.verify(&key.issuer_key()), Ok(()));
        assert_eq!(
            claim169::decode(&text, None),
            Err(Claim169Error::KeyRequired)
        );
        let wrong_length = if content_key.cose_algorithm() == 3 {
            ContentKey::new(&[3u8; 16]).unwrap()
        } else {
            ContentKey::new(&[4u8; 32]).unwrap()
        };
        assert_eq!(
            claim169::decode(&text, Some(&wrong_length)),
            Err(Claim169Error::KeyAlgorithmMismatch)
        );
    }
    assert!(ContentKey::new(&[0u8; 24]).is_none());
    assert!(!format!("{:?}", ContentKey::new(&[9u8; 32]).unwrap()).contains("09"));
}

#[test]
fn times_are_checked_at_the_given_now() {
    let (_, text) = signed(SignatureAlgorithm::EdDsa);
    let code = claim169::decode(&text, None).unwrap();
    assert_eq!(code.check_time(1_800_000_000), Err(Claim169Error::Expired));
    assert_eq!(code.check_time(1_799_999_999), Ok(()));
    assert_eq!(
        code.check_time(1_699_999_999),
        Err(Claim169Error::NotYetValid)
    );
    assert_eq!(code.check_time(1_700_000_000), Ok(()));
}

#[test]
fn broken_transport_is_refused() {
    let (_, text) = signed(SignatureAlgorithm::EdDsa);
    // Truncated Base45, at every length: a typed error each time, never a panic.
    for end in 0..text.len() {
        let error = claim169::decode(&text[..end], None).unwrap_err();
        assert!(
            matches!(error, Claim169Error::Base45 | Claim169Error::Decompress),
            "{end}: {error:?}"
        );
    }
    assert_eq!(
        claim169::decode("not base45 at all!", None),
        Err(Claim169Error::Base45)
    );
    // A zlib bomb that fits in a QR code.
    let bomb = zlib_base45(&vec![0u8; 40 * MAX_DECOMPRESSED_BYTES]);
    assert!(bomb.len() < 4_296, "{}", bomb.len());
    assert_eq!(
        claim169::decode(&bomb, None),
        Err(Claim169Error::DecompressedTooLarge)
    );
    assert_eq!(
        claim169::decode(&"A".repeat(10_000), None),
        Err(Claim169Error::TextTooLong)
    );
    // Base45 of raw CBOR (no zlib).
    let raw = base45::encode(sign1(
        coset::iana::Algorithm::EdDSA,
        cwt_with(Value::Map(vec![])),
    ));
    assert_eq!(claim169::decode(&raw, None), Err(Claim169Error::Decompress));
}

#[test]
fn hostile_cbor_is_refused() {
    // Deep nesting: 10,000 nested arrays inside the claim 169 map.
    let mut deep = vec![0x81; 10_000];
    deep.push(0x00);
    let mut payload = vec![0xa1, 0x18, 0xa9]; // {169: ...}
    payload.extend_from_slice(&deep);
    let code = sign1(coset::iana::Algorithm::EdDSA, payload);
    assert_eq!(
        claim169::decode(&zlib_base45(&code), None),
        Err(Claim169Error::CborTooDeep)
    );
    // Deep nesting of the COSE layer itself.
    let mut deep_outer = vec![0x81; 5_000];
    deep_outer.push(0x00);
    assert_eq!(
        claim169::decode_cbor(&deep_outer, None),
        Err(Claim169Error::CborTooDeep)
    );
    // Truncated CBOR and trailing bytes.
    let good = sign1(coset::iana::Algorithm::EdDSA, cwt_with(Value::Map(vec![])));
    assert_eq!(
        claim169::decode_cbor(&good[..good.len() - 1], None),
        Err(Claim169Error::InvalidCbor)
    );
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(
        claim169::decode_cbor(&trailing, None),
        Err(Claim169Error::InvalidCbor)
    );
    // A claim 169 map with the same key twice.
    let duplicate = cwt_with(Value::Map(vec![
        (int(4), Value::Text("A".into())),
        (int(4), Value::Text("B".into())),
    ]));
    assert!(matches!(
        claim169::decode_cbor(&sign1(coset::iana::Algorithm::EdDSA, duplicate), None),
        Err(Claim169Error::Claim169Invalid(_))
    ));
    // Larger than the limit before any parsing.
    assert_eq!(
        claim169::decode_cbor(&vec![0; MAX_DECOMPRESSED_BYTES + 1], None),
        Err(Claim169Error::CborTooLarge)
    );
}

#[test]
fn cose_structures_other_than_sign1_and_encrypt0() {
    let payload = cwt_with(Value::Map(vec![]));
    // Untagged COSE_Sign1, a bare map, COSE_Sign (98), COSE_Mac0 (17).
    let untagged = coset::CoseSign1Builder::new()
        .payload(payload.clone())
        .build()
        .to_vec()
        .unwrap();
    assert_eq!(
        claim169::decode_cbor(&untagged, None),
        Err(Claim169Error::NotCose)
    );
    assert_eq!(
        claim169::decode_cbor(&payload, None),
        Err(Claim169Error::NotCose)
    );
    let sign = coset::CoseSignBuilder::new()
        .payload(payload.clone())
        .build()
        .to_tagged_vec()
        .unwrap();
    assert_eq!(
        claim169::decode_cbor(&sign, None),
        Err(Claim169Error::UnsupportedCose)
    );
    let mac0 = coset::CoseMac0Builder::new()
        .payload(payload.clone())
        .build()
        .to_tagged_vec()
        .unwrap();
    assert_eq!(
        claim169::decode_cbor(&mac0, None),
        Err(Claim169Error::NotCose)
    );
    // Tag 18 around something that is not a COSE_Sign1.
    let fake = cbor(&Value::Tag(18, Box::new(Value::Array(vec![int(1)]))));
    assert!(matches!(
        claim169::decode_cbor(&fake, None),
        Err(Claim169Error::MalformedCose(_))
    ));
    // A CWT without claim 169.
    let no_169 = cbor(&Value::Map(vec![(int(1), Value::Text("iss".into()))]));
    assert_eq!(
        claim169::decode_cbor(&sign1(coset::iana::Algorithm::EdDSA, no_169), None),
        Err(Claim169Error::MissingClaim169)
    );
    // An encrypted code with an unknown content algorithm.
    let encrypt0 = coset::CoseEncrypt0Builder::new()
        .protected(
            coset::HeaderBuilder::new()
                .algorithm(coset::iana::Algorithm::ChaCha20Poly1305)
                .build(),
        )
        .ciphertext(vec![0; 32])
        .build()
        .to_tagged_vec()
        .unwrap();
    let key = ContentKey::new(&[1u8; 32]).unwrap();
    assert_eq!(
        claim169::decode_cbor(&encrypt0, Some(&key)),
        Err(Claim169Error::UnsupportedAlgorithm)
    );
}

#[test]
fn unknown_signature_algorithms_decode_but_never_verify() {
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    for alg in [
        coset::iana::Algorithm::RS256,
        coset::iana::Algorithm::HMAC_256_256,
        coset::iana::Algorithm::ES512,
    ] {
        let code = sign1(
            alg,
            cwt_with(Value::Map(vec![(int(4), Value::Text("A".into()))])),
        );
        let decoded = claim169::decode_cbor(&code, None).unwrap();
        assert_eq!(decoded.signature_algorithm(), None);
        assert_eq!(
            decoded.verify(&key.issuer_key()),
            Err(Claim169Error::UnsupportedAlgorithm)
        );
    }
}

#[test]
fn fields_of_the_wrong_type_are_named() {
    let cases = [
        (int(4), int(1), "a text field is not text"),
        (int(9), int(4), "gender (9)"),
        (int(9), Value::Text("1".into()), "gender (9)"),
        (int(14), int(0), "marital status (14)"),
        (int(16), Value::Text("ff".into()), "photo (16)"),
        (int(17), int(5), "photo format (17)"),
        (
            int(18),
            Value::Array(vec![int(11)]),
            "best quality fingers (18)",
        ),
        (int(62), int(1), "a biometric is not an array"),
        (
            int(62),
            Value::Array(vec![Value::Map(vec![(int(1), int(0))])]),
            "a biometric without data",
        ),
        (
            int(50),
            Value::Array(vec![Value::Map(vec![
                (int(0), Value::Bytes(vec![1])),
                (int(1), int(9)),
            ])]),
            "a biometric entry",
        ),
    ];
    for (key, value, what) in cases {
        let code = sign1(
            coset::iana::Algorithm::EdDSA,
            cwt_with(Value::Map(vec![(key, value)])),
        );
        assert_eq!(
            claim169::decode_cbor(&code, None),
            Err(Claim169Error::Claim169Invalid(what)),
            "{what}"
        );
    }
    let bad_cwt = cbor(&Value::Map(vec![
        (int(4), Value::Text("tomorrow".into())),
        (int(169), Value::Map(vec![])),
    ]));
    assert_eq!(
        claim169::decode_cbor(&sign1(coset::iana::Algorithm::EdDSA, bad_cwt), None),
        Err(Claim169Error::InvalidCwt("exp is not a time"))
    );
}

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("\\PC{0,12}")
}

prop_compose! {
    fn identities()(
        id in text(), full_name in text(), secondary in text(), address in text(),
        gender in proptest::option::of(1u64..=3),
        fingers in proptest::collection::vec(0u8..=10, 0..4),
        face in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
        unknown in proptest::option::of((24i64..=49, any::<u32>())),
    ) -> Identity {
        Identity {
            id,
            full_name,
            secondary_full_name: secondary,
            address,
            gender: gender.and_then(Gender::from_number),
            best_quality_fingers: fingers,
            biometrics: face.map(|data| vec![BiometricField {
                part: BiometricPart::Face,
                entries: vec![Biometric { data, format: Some(BiometricFormat::Image), sub_format: Some(1), issuer: None }],
            }]).unwrap_or_default(),
            unknown: unknown.map(|(key, n)| vec![UnknownField { key, cbor: cbor(&Value::Integer(n.into())) }]).unwrap_or_default(),
            ..Identity::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_identity_round_trips(identity in identities(), exp in proptest::option::of(0i64..4_000_000_000)) {
        let cwt = CwtClaims { expires_at: exp, ..CwtClaims::default() };
        let text = issue::encode(&cwt, &identity, &Protection::default()).unwrap();
        let code = claim169::decode(&text, None).unwrap();
        prop_assert_eq!(code.identity, identity);
        prop_assert_eq!(code.cwt, cwt);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[0-9A-Z $%*+./:-]{0,200}") {
        let _ = claim169::decode(&text, None);
    }
}

#[test]
fn codes_are_told_from_other_text_without_decoding() {
    let (_, text) = signed(SignatureAlgorithm::Es256);
    assert!(claim169::looks_like_code(&format!("{text}\n")));
    // A multi-byte character where the zlib header would be: no panic, not a code.
    assert!(!claim169::looks_like_code("é\u{301}ABCDEF"));
    assert!(!claim169::looks_like_code("AÉBCDEF"));
    assert!(!claim169::looks_like_code("https://example.org/"));
    assert!(!claim169::looks_like_code("AB"));
    // Base45, but not of a zlib stream.
    assert!(!claim169::looks_like_code(&base45::encode(b"\xd2\x84\x43")));
    assert!(!claim169::looks_like_code(
        &"A".repeat(MAX_QR_TEXT_CHARS_PLUS_ONE)
    ));
}

const MAX_QR_TEXT_CHARS_PLUS_ONE: usize = claim169::MAX_QR_TEXT_CHARS + 1;
