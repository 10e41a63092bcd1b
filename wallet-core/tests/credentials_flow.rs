//! Issue → import into the wallet → present a subset → verify, for both formats, with the
//! verifier's reasons for the ways it must fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::{
    ExpectedBinding, Reason, TrustedIssuer, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::credentials::{self, DISCLOSURE_KIND};
use wallet_core::wallet::{CredentialError, ImportOptions, PresentationBinding, holder_keys};

const NOW: i64 = 1_790_000_000;

fn wallet(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

fn order(format: CredentialFormat, holder: &holder_keys::HolderKey) -> CredentialOrder {
    let claims = json!({
        "given_name": "Amina", "family_name": "Haddad", "birth_date": "1990-05-01",
        "nationality": "SD", "registration_id": "IOM-2026-0042", "place_of_birth": "Khartoum"
    });
    CredentialOrder {
        format,
        credential_type: match format {
            CredentialFormat::SdJwt => "urn:laissez:iom:registration:1".into(),
            CredentialFormat::Mdoc => "org.iom.registration.1".into(),
        },
        claims: claims.as_object().cloned().unwrap(),
        holder_key: holder.public_key.clone(),
        valid_days: 365,
        status: None,
        now: NOW,
        portrait: None,
    }
}

fn binding() -> (PresentationBinding, ExpectedBinding) {
    (
        PresentationBinding::NonceAudience {
            nonce: "n-42".into(),
            audience: "https://desk.example".into(),
        },
        ExpectedBinding::NonceAudience {
            nonce: "n-42".into(),
            audience: "https://desk.example".into(),
        },
    )
}

fn full_flow(format: CredentialFormat, wanted: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let holder = holder_keys::default_key(&mut store).unwrap();
    let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
    let issued = issue_credential(&issuer, &order(format, &holder)).unwrap();

    let options = ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata: None,
    };
    let summary = credentials::import(&mut store, &issued, &options).unwrap();
    assert_eq!(summary.format, format);
    // No labels inside: the name comes from the certificate, the labels from the built-in
    // metadata of Laissez's own type.
    assert_eq!(summary.issuer_name.as_deref(), Some("IOM Field Office"));
    assert!(matches!(
        credentials::import(&mut store, &issued, &options),
        Err(CredentialError::AlreadyImported)
    ));
    assert_eq!(credentials::list(&store).unwrap().len(), 1);
    let detail = credentials::show(&store, summary.id, "fr").unwrap();
    assert!(
        detail.claims.len() >= 6,
        "{:?}",
        detail.claims.iter().map(|c| &c.path).collect::<Vec<_>>()
    );
    assert!(
        detail
            .claims
            .iter()
            .any(|c| c.label.as_deref() == Some("Prénom"))
    );

    let (give, expect) = binding();
    let claims: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
    let presentation =
        credentials::present(&mut store, summary.id, &claims, &give, NOW + 5, None).unwrap();
    assert_eq!(credentials::disclosures(&store).unwrap().len(), 1);
    assert_eq!(store.count(DISCLOSURE_KIND, &[]).unwrap(), 1);

    let trusted = [TrustedIssuer::from_bytes(&issuer.certificate).unwrap()];
    let request = VerificationRequest {
        presentation: &presentation.bytes,
        binding: &expect,
        trusted: &trusted,
        now: NOW + 6,
        lang: "fr",
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    };
    let verdict = verify_presentation(&request);
    assert!(verdict.valid, "{:?}", verdict.reasons);
    assert_eq!(verdict.claims.len(), wanted.len(), "{:?}", verdict.claims);
    assert!(
        verdict
            .claims
            .iter()
            .any(|c| c.label.as_deref() == Some("Prénom"))
    );
    assert!(!String::from_utf8_lossy(&presentation.bytes).contains("Khartoum"));

    // Another nonce, another verifier, an untrusted issuer, a later time, a flipped byte.
    let other = ExpectedBinding::NonceAudience {
        nonce: "n-43".into(),
        audience: "https://desk.example".into(),
    };
    assert!(
        !verify_presentation(&VerificationRequest {
            binding: &other,
            ..request.clone()
        })
        .valid
    );
    let stranger = IssuerIdentity::generate("Someone else", NOW - 10, 3650).unwrap();
    let untrusted = [TrustedIssuer::from_bytes(&stranger.certificate).unwrap()];
    let verdict = verify_presentation(&VerificationRequest {
        trusted: &untrusted,
        ..request.clone()
    });
    assert_eq!(verdict.reasons, vec![Reason::UnknownIssuer]);
    let verdict = verify_presentation(&VerificationRequest {
        now: NOW + 400 * 86_400,
        ..request.clone()
    });
    assert_eq!(verdict.reasons, vec![Reason::Expired]);
    let mut tampered = presentation.bytes.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    assert!(
        !verify_presentation(&VerificationRequest {
            presentation: &tampered,
            ..request.clone()
        })
        .valid
    );

    // A credential for another wallet's key is refused.
    let mut other_store = wallet(&dir, "other.db");
    assert!(matches!(
        credentials::import(&mut other_store, &issued, &options),
        Err(CredentialError::NotBoundToThisWallet)
    ));
}

#[test]
fn sd_jwt_vc_issue_import_present_verify() {
    full_flow(
        CredentialFormat::SdJwt,
        &["given_name", "family_name", "nationality"],
    );
}

#[test]
fn mdoc_issue_import_present_verify() {
    full_flow(
        CredentialFormat::Mdoc,
        &[
            "given_name",
            "family_name",
            "org.iom.registration.1/nationality",
        ],
    );
}

#[test]
fn garbage_is_an_unknown_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let options = ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata: None,
    };
    for input in [&b""[..], b"hello", b"eyJhbGciOiJub25lIn0", &[0xa1, 0x01]] {
        assert!(credentials::import(&mut store, input, &options).is_err());
    }
    let verdict = verify_presentation(&VerificationRequest {
        presentation: b"not a presentation",
        binding: &binding().1,
        trusted: &[],
        now: NOW,
        lang: "en",
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    });
    assert_eq!(verdict.reasons, vec![Reason::Malformed]);
}
