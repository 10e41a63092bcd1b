//! Claim 169 cards kept in the holder's wallet (issue 16 item 3): a signed code scanned from a
//! card is kept encrypted, listed and shown with labels and its face; its issuer is trusted
//! only when the holder's trust list vouches for it; it is shown as the issuer's own code,
//! recorded in the history; unsigned, encrypted, unreadable and duplicate codes are refused
//! with typed errors and leave the wallet unchanged.
#![cfg(feature = "issue")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{BiometricField, ContentKey, CwtClaims, Identity};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::claim169_verdict::CLAIM169_CREDENTIAL_TYPE;
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_store;
use wallet_core::wallet::claim169_cards::{self, CardError, CardIssuer, SHOWN_CARD_AUDIENCE};
use wallet_core::wallet::credentials;

const NOW: i64 = 1_760_000_000;
const DAY: i64 = 86_400;
const PORTRAIT: &[u8] = include_bytes!("data/portrait/astronaut-80x100-q30-grey.jpg");

fn wallet() -> (tempfile::TempDir, WalletStore) {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    (dir, store)
}

fn code(signer: Option<&IssuerSigningKey>, encrypt: Option<&ContentKey>, expires: i64) -> String {
    let identity = Identity {
        id: Some("3918592438".into()),
        full_name: Some("Amina Yusuf Abdi".into()),
        country_of_issuance: Some("KEN".into()),
        biometrics: vec![BiometricField::face_jpeg(PORTRAIT.to_vec())],
        ..Identity::default()
    };
    let cwt = CwtClaims {
        issuer: Some("https://id.example.ke".into()),
        issued_at: Some(NOW - DAY),
        expires_at: Some(expires),
        ..CwtClaims::default()
    };
    let protection = Protection {
        signer: signer.map(|s| s as &dyn IssuerSigner),
        encryption: encrypt,
        ..Protection::default()
    };
    issue::encode(&cwt, &identity, &protection).unwrap()
}

/// Installs a holder trust list naming `key` for Claim 169 codes of `countries`.
fn trust(store: &mut WalletStore, key: &IssuerSigningKey, countries: &[&str]) {
    let mut list = TrustList::new(1, NOW - DAY, 30);
    let entry = list
        .add_issuer_key(
            "Civil Registry of Kenya",
            key.issuer_key(),
            NOW - DAY,
            NOW + 365 * DAY,
        )
        .unwrap();
    entry.credential_types = vec![CLAIM169_CREDENTIAL_TYPE.into()];
    entry.countries = countries.iter().map(|c| (*c).to_owned()).collect();
    let signer = SigningKey::generate().unwrap();
    let signed = list.sign(&signer).unwrap();
    trust_store::install(store, &signed, Some(signer.public_key()), NOW).unwrap();
}

#[test]
fn a_signed_card_is_kept_listed_and_shown_with_its_face_and_an_unverified_issuer() {
    let (_dir, mut store) = wallet();
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let text = code(Some(&key), None, NOW + 365 * DAY);
    // As scanned: a trailing line break is not part of the code.
    let kept = claim169_cards::import(&mut store, &format!("{text}\n"), NOW).unwrap();
    assert_eq!(kept.full_name.as_deref(), Some("Amina Yusuf Abdi"));
    assert_eq!(kept.id_number.as_deref(), Some("3918592438"));
    assert_eq!(kept.country.as_deref(), Some("KEN"));
    assert!(kept.has_face && !kept.outside_validity);
    // No trust list: the issuer is only the code's own word.
    assert_eq!(
        kept.issuer,
        CardIssuer::Unverified {
            claimed: Some("https://id.example.ke".into())
        }
    );
    assert_eq!(
        claim169_cards::list(&store, NOW).unwrap(),
        vec![kept.clone()]
    );

    let detail = claim169_cards::show(&store, kept.id, "fr", NOW).unwrap();
    let name = detail.claims.iter().find(|c| c.path == "fullName").unwrap();
    assert_eq!(name.label.as_deref(), Some("Nom complet"));
    assert_eq!(name.value, "Amina Yusuf Abdi");
    let (face, format) = detail.face.unwrap();
    assert_eq!((face.as_slice(), format), (PORTRAIT, Some("jpeg")));

    // Shown as the issuer's own code, whole; the history says so.
    assert_eq!(
        claim169_cards::show_code(&mut store, kept.id, NOW).unwrap(),
        text
    );
    let history = credentials::disclosures(&store).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].audience.as_deref(), Some(SHOWN_CARD_AUDIENCE));
    assert!(history[0].claims.contains(&"fullName".to_owned()));

    claim169_cards::delete(&mut store, kept.id).unwrap();
    assert!(claim169_cards::list(&store, NOW).unwrap().is_empty());
    assert!(matches!(
        claim169_cards::show(&store, kept.id, "en", NOW),
        Err(CardError::NotFound)
    ));
}

#[test]
fn the_issuer_is_trusted_only_as_the_holders_list_says_for_the_cards_country() {
    let key = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let text = code(Some(&key), None, NOW + 365 * DAY);

    let (_dir, mut store) = wallet();
    trust(&mut store, &key, &["KE", "KEN"]);
    let kept = claim169_cards::import(&mut store, &text, NOW).unwrap();
    assert_eq!(
        kept.issuer,
        CardIssuer::Trusted {
            name: "Civil Registry of Kenya".into()
        }
    );

    // The same key trusted for another country only: unverified.
    let (_dir2, mut other) = wallet();
    trust(&mut other, &key, &["UGA"]);
    let kept = claim169_cards::import(&mut other, &text, NOW).unwrap();
    assert!(matches!(kept.issuer, CardIssuer::Unverified { .. }));

    // Another key under the same claimed issuer: unverified.
    let (_dir3, mut third) = wallet();
    let stranger = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    trust(&mut third, &stranger, &[]);
    let kept = claim169_cards::import(&mut third, &text, NOW).unwrap();
    assert!(matches!(kept.issuer, CardIssuer::Unverified { .. }));
}

#[test]
fn an_expired_card_is_kept_and_shown_as_expired() {
    let (_dir, mut store) = wallet();
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let kept = claim169_cards::import(&mut store, &code(Some(&key), None, NOW - DAY), NOW).unwrap();
    assert!(kept.outside_validity);
}

#[test]
fn unsigned_encrypted_unreadable_and_duplicate_codes_are_refused_and_nothing_is_kept() {
    let (_dir, mut store) = wallet();
    let key = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap();
    let unsigned = code(None, None, NOW + DAY);
    assert!(matches!(
        claim169_cards::import(&mut store, &unsigned, NOW),
        Err(CardError::Unsigned)
    ));
    let content_key = ContentKey::new(&[5u8; 32]).unwrap();
    let encrypted = code(Some(&key), Some(&content_key), NOW + DAY);
    assert!(matches!(
        claim169_cards::import(&mut store, &encrypted, NOW),
        Err(CardError::Encrypted)
    ));
    let good = code(Some(&key), None, NOW + DAY);
    for bad in [
        "",
        "NOT A CODE",
        &good[..good.len() / 2],
        "https://example.org/card",
        "6BF\u{e9}",
    ] {
        assert!(
            matches!(
                claim169_cards::import(&mut store, bad, NOW),
                Err(CardError::Unreadable(_))
            ),
            "{bad:?}"
        );
    }
    assert!(claim169_cards::list(&store, NOW).unwrap().is_empty());
    claim169_cards::import(&mut store, &good, NOW).unwrap();
    assert!(matches!(
        claim169_cards::import(&mut store, &good, NOW),
        Err(CardError::AlreadyKept)
    ));
    assert_eq!(claim169_cards::list(&store, NOW).unwrap().len(), 1);
    assert!(credentials::disclosures(&store).unwrap().is_empty());
}
