use super::*;
use coset::{CborSerializable, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};
use laissez_crypto::ecdsa::{Es256Signer, SigningKey};

const NOW: i64 = 1_760_000_000;
const DAY: i64 = 86_400;

fn registration(verifier_key: &VerifyingKey) -> Registration {
    Registration {
        registrar_id: "https://registrar.example".into(),
        verifier_id: "urn:example:verifier:desk-7".into(),
        organisation: "Aid Desk Seven".into(),
        country: "KE".into(),
        purposes: vec!["Registration for food distribution".into()],
        scope: vec![ScopeEntry {
            credential_type: "urn:example:registration:1".into(),
            claims: vec!["given_name".into(), "family_name".into()],
        }],
        verifier_key: verifier_key.clone(),
        issued_at: NOW,
        not_before: NOW,
        not_after: NOW + 30 * DAY,
    }
}

struct Fixture {
    registrar: SigningKey,
    verifier: SigningKey,
    trusted: Vec<TrustedRegistrar>,
}

fn fixture() -> Fixture {
    let registrar = SigningKey::generate().unwrap();
    let verifier = SigningKey::generate().unwrap();
    let trusted = vec![TrustedRegistrar {
        id: "https://registrar.example".into(),
        key: registrar.public_key().clone(),
    }];
    Fixture {
        registrar,
        verifier,
        trusted,
    }
}

/// Signs arbitrary claims bytes with `key` under protected `alg` and `kid`.
fn sign_raw(payload: Vec<u8>, key: &SigningKey, alg: coset::iana::Algorithm) -> Vec<u8> {
    CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(alg)
                .key_id(key_id(key.public_key()).to_vec())
                .build(),
        )
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs).unwrap().to_vec())
        .build()
        .to_tagged_vec()
        .unwrap()
}

#[test]
fn a_certified_registration_verifies_with_every_field() {
    let f = fixture();
    let cert = certify(&registration(f.verifier.public_key()), &f.registrar).unwrap();
    assert!(cert.len() < 400, "certificate is {} bytes", cert.len());
    let verified = verify(&cert, &f.trusted, NOW + DAY).unwrap();
    assert_eq!(verified.registrar_id, "https://registrar.example");
    assert_eq!(verified.verifier_id, "urn:example:verifier:desk-7");
    assert_eq!(verified.organisation, "Aid Desk Seven");
    assert_eq!(verified.country, "KE");
    assert_eq!(verified.purposes, ["Registration for food distribution"]);
    assert_eq!(&verified.verifier_key, f.verifier.public_key());
    assert_eq!(verified.not_before, NOW);
    assert_eq!(verified.not_after, NOW + 30 * DAY);
    assert_eq!(verified.reference, reference(&cert));
    assert!(verified.allows("urn:example:registration:1", "given_name"));
    assert!(!verified.allows("urn:example:registration:1", "nationality"));
    assert!(!verified.allows("urn:other", "given_name"));
    // Untagged, and wrapped in the CWT tag, it verifies too.
    let untagged = CoseSign1::from_tagged_slice(&cert)
        .unwrap()
        .to_vec()
        .unwrap();
    assert!(verify(&untagged, &f.trusted, NOW).is_ok());
    let mut cwt_tagged = vec![0xd8, 61];
    cwt_tagged.extend_from_slice(&cert);
    assert!(verify(&cwt_tagged, &f.trusted, NOW).is_ok());
}

#[test]
fn an_unknown_registrar_is_refused() {
    let f = fixture();
    let stranger = SigningKey::generate().unwrap();
    let cert = certify(&registration(f.verifier.public_key()), &stranger).unwrap();
    assert_eq!(
        verify(&cert, &f.trusted, NOW),
        Err(RegistrationError::UnknownRegistrar)
    );
    assert_eq!(
        verify(&cert, &[], NOW),
        Err(RegistrationError::UnknownRegistrar)
    );
}

#[test]
fn a_trusted_key_signing_another_registrars_name_is_refused() {
    let f = fixture();
    let mut claims = registration(f.verifier.public_key());
    claims.registrar_id = "https://state-authority.example".into();
    let cert = certify(&claims, &f.registrar).unwrap();
    assert_eq!(
        verify(&cert, &f.trusted, NOW),
        Err(RegistrationError::UnknownRegistrar)
    );
}

#[test]
fn expired_and_not_yet_valid_certificates_are_refused() {
    let f = fixture();
    let cert = certify(&registration(f.verifier.public_key()), &f.registrar).unwrap();
    assert_eq!(
        verify(&cert, &f.trusted, NOW + 30 * DAY),
        Err(RegistrationError::Expired {
            exp: NOW + 30 * DAY
        })
    );
    assert!(verify(&cert, &f.trusted, NOW + 30 * DAY - 1).is_ok());
    assert_eq!(
        verify(&cert, &f.trusted, NOW - NOT_BEFORE_SKEW_SECS - 1),
        Err(RegistrationError::NotYetValid { nbf: NOW })
    );
    assert!(verify(&cert, &f.trusted, NOW - NOT_BEFORE_SKEW_SECS).is_ok());
}

#[test]
fn a_signature_over_other_bytes_is_refused() {
    let f = fixture();
    let cert = certify(&registration(f.verifier.public_key()), &f.registrar).unwrap();
    // Another certificate's signature on this certificate's claims.
    let mut other_claims = registration(f.verifier.public_key());
    other_claims.organisation = "UNHCR".into();
    let other = certify(&other_claims, &f.registrar).unwrap();
    let mut forged = CoseSign1::from_tagged_slice(&other).unwrap();
    forged.payload = CoseSign1::from_tagged_slice(&cert).unwrap().payload;
    let forged = forged.to_tagged_vec().unwrap();
    assert_eq!(
        verify(&forged, &f.trusted, NOW),
        Err(RegistrationError::BadSignature)
    );
    // One flipped byte of the organisation's name.
    let at = cert
        .windows(4)
        .position(|w| w == b"Aid ")
        .expect("organisation in the certificate");
    let mut altered = cert.clone();
    altered[at] ^= 0x20;
    assert_eq!(
        verify(&altered, &f.trusted, NOW),
        Err(RegistrationError::BadSignature)
    );
}

#[test]
fn truncated_and_garbage_certificates_are_malformed() {
    let f = fixture();
    let cert = certify(&registration(f.verifier.public_key()), &f.registrar).unwrap();
    for cut in [0, 1, 10, cert.len() / 2, cert.len() - 1] {
        assert!(
            matches!(
                verify(&cert[..cut], &f.trusted, NOW),
                Err(RegistrationError::Malformed(_))
            ),
            "cut at {cut}"
        );
    }
    assert!(matches!(
        verify(b"not a certificate", &f.trusted, NOW),
        Err(RegistrationError::Malformed(_))
    ));
    // Another tag than CWT / COSE_Sign1.
    let mut tagged = vec![0xd8, 98];
    tagged.extend_from_slice(&cert[1..]);
    assert!(matches!(
        verify(&tagged, &f.trusted, NOW),
        Err(RegistrationError::Malformed(_))
    ));
    let huge = vec![0u8; MAX_CERTIFICATE_BYTES + 1];
    assert_eq!(
        verify(&huge, &f.trusted, NOW),
        Err(RegistrationError::TooLarge("certificate"))
    );
}

#[test]
fn other_algorithms_are_refused() {
    let f = fixture();
    let payload = encode_claims(&registration(f.verifier.public_key())).unwrap();
    for alg in [
        coset::iana::Algorithm::ES384,
        coset::iana::Algorithm::EdDSA,
        coset::iana::Algorithm::HMAC_256_256,
    ] {
        let cert = sign_raw(payload.clone(), &f.registrar, alg);
        assert_eq!(
            verify(&cert, &f.trusted, NOW),
            Err(RegistrationError::UnsupportedAlgorithm),
            "{alg:?}"
        );
    }
}

#[test]
fn oversize_fields_are_refused_when_certifying_and_when_verifying() {
    let f = fixture();
    let key = f.verifier.public_key();
    let long = "x".repeat(MAX_ORGANISATION + 1);
    let cases: Vec<(Registration, &str)> = vec![
        (
            Registration {
                organisation: long.clone(),
                ..registration(key)
            },
            "organisation",
        ),
        (
            Registration {
                verifier_id: "v".repeat(MAX_IDENTIFIER + 1),
                ..registration(key)
            },
            "sub",
        ),
        (
            Registration {
                purposes: vec!["p".into(); MAX_PURPOSES + 1],
                ..registration(key)
            },
            "purposes",
        ),
        (
            Registration {
                purposes: vec!["p".repeat(MAX_PURPOSE + 1)],
                ..registration(key)
            },
            "purpose",
        ),
        (
            Registration {
                scope: (0..=MAX_SCOPE_TYPES)
                    .map(|i| ScopeEntry {
                        credential_type: format!("t{i}"),
                        claims: vec!["a".into()],
                    })
                    .collect(),
                ..registration(key)
            },
            "scope: credential types",
        ),
        (
            Registration {
                scope: vec![ScopeEntry {
                    credential_type: "t".into(),
                    claims: (0..=MAX_SCOPE_CLAIMS).map(|i| format!("c{i}")).collect(),
                }],
                ..registration(key)
            },
            "scope: claims",
        ),
    ];
    for (claims, what) in cases {
        assert_eq!(
            certify(&claims, &f.registrar),
            Err(RegistrationError::TooLarge(what))
        );
        // Signed anyway by a registrar that does not check: the holder refuses it.
        let cert = sign_raw(
            encode_unchecked(&claims),
            &f.registrar,
            coset::iana::Algorithm::ES256,
        );
        let result = verify(&cert, &f.trusted, NOW);
        assert!(
            matches!(result, Err(RegistrationError::TooLarge(_))),
            "{what}: {result:?}"
        );
    }
}

/// The claims of `registration` without the checks `certify` makes.
fn encode_unchecked(registration: &Registration) -> Vec<u8> {
    let texts = |items: &[String]| Value::Array(items.iter().cloned().map(Value::Text).collect());
    let key = Value::Map(vec![
        (1.into(), 2.into()),
        ((-1).into(), 1.into()),
        (
            (-2).into(),
            Value::Bytes(registration.verifier_key.x().to_vec()),
        ),
        (
            (-3).into(),
            Value::Bytes(registration.verifier_key.y().to_vec()),
        ),
    ]);
    let claims = Value::Map(vec![
        (1.into(), Value::Text(registration.registrar_id.clone())),
        (2.into(), Value::Text(registration.verifier_id.clone())),
        (4.into(), registration.not_after.into()),
        (5.into(), registration.not_before.into()),
        (6.into(), registration.issued_at.into()),
        (8.into(), Value::Map(vec![(1.into(), key)])),
        (
            CLAIM_ORGANISATION.into(),
            Value::Text(registration.organisation.clone()),
        ),
        (
            CLAIM_COUNTRY.into(),
            Value::Text(registration.country.clone()),
        ),
        (CLAIM_PURPOSES.into(), texts(&registration.purposes)),
        (
            CLAIM_SCOPE.into(),
            Value::Map(
                registration
                    .scope
                    .iter()
                    .map(|s| (Value::Text(s.credential_type.clone()), texts(&s.claims)))
                    .collect(),
            ),
        ),
    ]);
    let mut out = Vec::new();
    ciborium::into_writer(&claims, &mut out).unwrap();
    out
}

#[test]
fn malformed_claims_are_refused_after_a_good_signature() {
    let f = fixture();
    let key = f.verifier.public_key();
    let bad: Vec<(Registration, &str)> = vec![
        (
            Registration {
                country: "Kenya".into(),
                ..registration(key)
            },
            "country",
        ),
        (
            Registration {
                purposes: vec![],
                ..registration(key)
            },
            "no purposes",
        ),
        (
            Registration {
                scope: vec![],
                ..registration(key)
            },
            "empty scope",
        ),
        (
            Registration {
                not_after: NOW,
                ..registration(key)
            },
            "exp not after nbf",
        ),
    ];
    for (claims, what) in bad {
        assert!(
            matches!(
                certify(&claims, &f.registrar),
                Err(RegistrationError::Malformed(_))
            ),
            "{what}"
        );
        let cert = sign_raw(
            encode_unchecked(&claims),
            &f.registrar,
            coset::iana::Algorithm::ES256,
        );
        assert!(
            matches!(
                verify(&cert, &f.trusted, NOW),
                Err(RegistrationError::Malformed(_))
            ),
            "{what}"
        );
    }
    // A claim missing, a claim twice, a cnf that is not a P-256 COSE_Key.
    let good = encode_unchecked(&registration(key));
    let Value::Map(entries) = ciborium::from_reader::<Value, _>(good.as_slice()).unwrap() else {
        unreachable!()
    };
    let mut variants: Vec<Vec<(Value, Value)>> = Vec::new();
    variants.push(
        entries
            .iter()
            .filter(|(k, _)| *k != Value::from(8))
            .cloned()
            .collect(),
    );
    let mut twice = entries.clone();
    twice.push((1.into(), Value::Text("https://registrar.example".into())));
    variants.push(twice);
    let mut bad_cnf = entries.clone();
    for (k, v) in bad_cnf.iter_mut() {
        if *k == Value::from(8) {
            *v = Value::Map(vec![(
                1.into(),
                Value::Map(vec![(1.into(), 2.into()), ((-1).into(), 2.into())]),
            )]);
        }
    }
    variants.push(bad_cnf);
    for entries in variants {
        let mut payload = Vec::new();
        ciborium::into_writer(&Value::Map(entries), &mut payload).unwrap();
        let cert = sign_raw(payload, &f.registrar, coset::iana::Algorithm::ES256);
        assert!(matches!(
            verify(&cert, &f.trusted, NOW),
            Err(RegistrationError::Malformed(_))
        ));
    }
}
