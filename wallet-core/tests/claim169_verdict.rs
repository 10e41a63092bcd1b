//! The field verifier's verdict on MOSIP Claim 169 codes (issue 16 item 2): a code signed by
//! a trusted key is valid with labelled claims (en, fr, ar), the face as the portrait, and
//! "possession not proven"; an unknown key, an unsigned code, an expired one, another country
//! and a broken code are refused with no claims.
#![cfg(feature = "issue")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{BiometricField, CwtClaims, Gender, Identity};
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use wallet_core::verifier::claim169_verdict::{
    CLAIM169_CREDENTIAL_TYPE, CLAIM169_FORMAT, claim169_verdict,
};
use wallet_core::verifier::{Reason, TrustedIssuer};

const NOW: i64 = 1_760_000_000;
const PORTRAIT: &[u8] = include_bytes!("data/portrait/astronaut-80x100-q30-grey.jpg");

fn code(signer: Option<&IssuerSigningKey>, country: &str, face: &[u8]) -> String {
    let identity = Identity {
        id: Some("3918592438".into()),
        full_name: Some("Amina Yusuf Abdi".into()),
        secondary_full_name: Some("أمينة يوسف عبدي".into()),
        secondary_language: Some("ara".into()),
        gender: Some(Gender::Female),
        country_of_issuance: Some(country.into()),
        biometrics: vec![BiometricField::face_jpeg(face.to_vec())],
        ..Identity::default()
    };
    let cwt = CwtClaims {
        issuer: Some("https://id.example.ke".into()),
        expires_at: Some(NOW + 86_400),
        not_before: Some(NOW - 86_400),
        ..CwtClaims::default()
    };
    let protection = Protection {
        signer: signer.map(|s| s as &dyn IssuerSigner),
        ..Protection::default()
    };
    issue::encode(&cwt, &identity, &protection).unwrap()
}

fn trusted(key: &IssuerSigningKey, countries: &[&str]) -> TrustedIssuer {
    TrustedIssuer {
        name: Some("Civil Registry of Kenya".into()),
        key: key.issuer_key(),
        certificate: None,
        credential_types: vec![CLAIM169_CREDENTIAL_TYPE.into()],
        countries: countries.iter().map(|c| (*c).to_owned()).collect(),
    }
}

#[test]
fn a_trusted_code_is_valid_with_labels_and_the_photo_but_no_possession() {
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let text = code(Some(&key), "KEN", PORTRAIT);
    let list = [trusted(&key, &["KEN"])];
    let verdict = claim169_verdict(&text, &list, NOW, "fr");
    assert!(verdict.valid, "{:?}", verdict.reasons);
    assert_eq!(verdict.format, CLAIM169_FORMAT);
    assert!(verdict.possession_not_proven);
    assert!(verdict.unbound);
    assert_eq!(
        verdict.issuer.as_ref().unwrap().name.as_deref(),
        Some("Civil Registry of Kenya")
    );
    let claim = |path: &str| verdict.claims.iter().find(|c| c.path == path).unwrap();
    assert_eq!(claim("fullName").value, "Amina Yusuf Abdi");
    assert_eq!(claim("fullName").label.as_deref(), Some("Nom complet"));
    assert_eq!(claim("secondaryFullName").value, "أمينة يوسف عبدي");
    assert_eq!(claim("gender").value, "Féminin");
    let portrait = verdict.portrait.as_ref().unwrap();
    assert_eq!(portrait.jpeg, PORTRAIT);
    assert_eq!((portrait.width, portrait.height), (80, 100));
    // Arabic labels, and English for any other language.
    let ar = claim169_verdict(&text, &list, NOW, "ar");
    assert_eq!(ar.claims[1].label.as_deref(), Some("الاسم الكامل"));
    assert_eq!(
        ar.claims.iter().find(|c| c.path == "gender").unwrap().value,
        "أنثى"
    );
    let en = claim169_verdict(&text, &list, NOW, "de");
    assert_eq!(en.claims[1].label.as_deref(), Some("Full name"));
}

#[test]
fn refusals_show_no_claims() {
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let other = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let signed = code(Some(&key), "KEN", PORTRAIT);
    let cases = [
        // A key not on the list.
        (
            signed.clone(),
            vec![trusted(&other, &[])],
            NOW,
            Reason::UnknownIssuer,
        ),
        (signed.clone(), vec![], NOW, Reason::UnknownIssuer),
        // No signature at all.
        (
            code(None, "KEN", PORTRAIT),
            vec![trusted(&key, &[])],
            NOW,
            Reason::BadIssuerSignature,
        ),
        // A trusted key, for another country.
        (
            signed.clone(),
            vec![trusted(&key, &["UGA"])],
            NOW,
            Reason::IssuerNotAllowed,
        ),
        // Outside the CWT's validity.
        (
            signed.clone(),
            vec![trusted(&key, &[])],
            NOW + 86_400,
            Reason::Expired,
        ),
        (
            signed.clone(),
            vec![trusted(&key, &[])],
            NOW - 86_401,
            Reason::NotYetValid,
        ),
        // Not a readable code.
        (
            "NCF".to_owned(),
            vec![trusted(&key, &[])],
            NOW,
            Reason::Malformed,
        ),
    ];
    for (text, list, at, reason) in cases {
        let verdict = claim169_verdict(&text, &list, at, "en");
        assert!(!verdict.valid);
        assert_eq!(verdict.reasons, vec![reason]);
        assert!(verdict.claims.is_empty(), "{reason:?}");
        assert!(verdict.portrait.is_none());
        assert!(!verdict.possession_not_proven);
    }
}

#[test]
fn a_face_that_is_not_a_jpeg_is_a_portrait_problem_not_a_refusal() {
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let text = code(Some(&key), "KEN", b"RIFF\x10\0\0\0WEBPVP8 ");
    let verdict = claim169_verdict(&text, &[trusted(&key, &[])], NOW, "en");
    assert!(verdict.valid);
    assert!(verdict.portrait.is_none());
    assert!(verdict.portrait_problem.is_some());
}
