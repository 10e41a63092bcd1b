//! Issuers signing with ES384 (P-384) and EdDSA (Ed25519), end to end: both on one trust list,
//! the holder imports a credential from each and presents it (engaged and static, SD-JWT VC and
//! mdoc), the field verifier's verdict is valid and names the issuer; an EdDSA status list
//! revokes; an issuer missing from the list is unknown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::credential::StatusReference;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::issuer_key::{IssuerSigner, SignatureAlgorithm};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::qr::Envelope;
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::verifier::status_list::{StatusListBuilder, StatusState};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::{Reason, Verdict, status_cache, trust_store};
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

const NOW: i64 = 1_790_000_000;
const STATUS_URI: &str = "https://status.example/lists/9";
const STATUS_INDEX: u64 = 17;
/// One type per issuer, so that a request picks one issuer's credential.
const P384_TYPE: &str = "org.laissez.p384.1";
const ED25519_TYPE: &str = "org.laissez.ed25519.1";

fn store(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

fn verify(store: &mut WalletStore, message: &Envelope, now: i64) -> Vec<Verdict> {
    field_verifier::verify_message(store, message, &VerifyOptions::new(now, "en")).unwrap()
}

/// Installs a trust list naming each `(name, issuer)` in `store`.
fn trust(store: &mut WalletStore, issuers: &[(&str, &IssuerIdentity)]) {
    let signer = SigningKey::derive(&[9; 32]).unwrap();
    let mut list = TrustList::new(1, NOW - 60, 30);
    for (name, issuer) in issuers {
        list.add_issuer_certificate(*name, &issuer.certificate, NOW - 60, NOW + 86_400)
            .unwrap();
    }
    let signed = list.sign(&signer).unwrap();
    trust_store::install(store, &signed, Some(signer.public_key()), NOW - 30).unwrap();
}

fn issue(
    holder: &mut WalletStore,
    issuer: &IssuerIdentity,
    format: CredentialFormat,
    credential_type: &str,
) {
    let key = holder_keys::default_key(holder).unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad", "nationality": "SD"});
    let issued = issue_credential(
        issuer,
        &CredentialOrder {
            format,
            credential_type: credential_type.into(),
            claims: claims.as_object().cloned().unwrap(),
            holder_key: key.public_key,
            valid_days: 30,
            status: Some(StatusReference {
                index: STATUS_INDEX,
                uri: STATUS_URI.into(),
            }),
            now: NOW,
            portrait: None,
        },
    )
    .unwrap();
    credentials::import(
        holder,
        &issued,
        &ImportOptions {
            issuer_keys: vec![],
            now: NOW,
            type_metadata: None,
        },
    )
    .unwrap();
}

struct World {
    dir: tempfile::TempDir,
    holder: WalletStore,
    verifier: WalletStore,
    p384: IssuerIdentity,
    ed25519: IssuerIdentity,
}

fn world(format: CredentialFormat) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut holder = store(&dir, "holder.db");
    let mut verifier = store(&dir, "verifier.db");
    let p384 =
        IssuerIdentity::generate_with(SignatureAlgorithm::Es384, "P384", None, NOW - 10, 3650)
            .unwrap();
    let ed25519 =
        IssuerIdentity::generate_with(SignatureAlgorithm::EdDsa, "Ed", None, NOW - 10, 3650)
            .unwrap();
    assert_eq!(p384.key.algorithm(), SignatureAlgorithm::Es384);
    assert_eq!(ed25519.key.algorithm(), SignatureAlgorithm::EdDsa);
    issue(&mut holder, &p384, format, P384_TYPE);
    issue(&mut holder, &ed25519, format, ED25519_TYPE);
    trust(
        &mut verifier,
        &[("Agadez office", &p384), ("Niamey office", &ed25519)],
    );
    World {
        dir,
        holder,
        verifier,
        p384,
        ed25519,
    }
}

fn requested(credential_type: &str) -> Vec<RequestedCredential> {
    vec![RequestedCredential {
        credential_type: credential_type.into(),
        claims: vec![RequestedClaim {
            path: "given_name".into(),
            required: true,
        }],
    }]
}

/// An engaged exchange for `credential_type`; the verdict.
fn engaged(w: &mut World, credential_type: &str, at: i64) -> Verdict {
    let request = field_verifier::create_request(
        &mut w.verifier,
        "Desk 4",
        "Aid",
        requested(credential_type),
        300,
        at,
    )
    .unwrap();
    let view = respond::read_request(&w.holder, &request, at + 1).unwrap();
    let candidate = &view.matches[0].candidates[0];
    let consent = Consent {
        credential_id: candidate.credential.id,
        claims: vec!["given_name".into()],
        allowed_beyond_scope: Vec::new(),
    };
    let response = respond::respond(
        &mut w.holder,
        &view,
        &[consent],
        Some(UnverifiedAcknowledgement::of(&view)),
        at + 2,
    )
    .unwrap();
    verify(&mut w.verifier, &response, at + 3).remove(0)
}

/// A static presentation of the credential of `credential_type`; the verdict.
fn shown(w: &mut World, credential_type: &str, at: i64) -> Verdict {
    let id = credentials::list(&w.holder)
        .unwrap()
        .into_iter()
        .find(|c| c.credential_type == credential_type)
        .unwrap()
        .id;
    let shown = respond::present_static(&mut w.holder, id, &["given_name".into()], at, None)
        .unwrap()
        .envelope;
    verify(&mut w.verifier, &shown, at + 1).remove(0)
}

fn assert_valid_from(verdict: &Verdict, issuer: &str, what: &str) {
    assert!(verdict.valid, "{what}: {:?}", verdict.reasons);
    assert_eq!(verdict.claims.len(), 1, "{what}");
    assert_eq!(
        verdict.issuer.as_ref().unwrap().name.as_deref(),
        Some(issuer),
        "{what}"
    );
}

#[test]
fn p384_and_ed25519_issuers_verify_engaged_and_static_in_both_formats() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        for (credential_type, issuer) in [
            (P384_TYPE, "Agadez office"),
            (ED25519_TYPE, "Niamey office"),
        ] {
            let what = format!("{format:?} {credential_type}");
            assert_valid_from(
                &engaged(&mut w, credential_type, NOW + 10),
                issuer,
                &format!("engaged {what}"),
            );
            assert_valid_from(
                &shown(&mut w, credential_type, NOW + 20),
                issuer,
                &format!("static {what}"),
            );
        }

        // A verifier trusting only the P-384 issuer does not know the Ed25519 one.
        let mut other = store(&w.dir, "other.db");
        trust(&mut other, &[("Agadez office", &w.p384)]);
        let id = credentials::list(&w.holder)
            .unwrap()
            .into_iter()
            .find(|c| c.credential_type == ED25519_TYPE)
            .unwrap()
            .id;
        let shown =
            respond::present_static(&mut w.holder, id, &["given_name".into()], NOW + 30, None)
                .unwrap()
                .envelope;
        let verdict = verify(&mut other, &shown, NOW + 31).remove(0);
        assert!(!verdict.valid, "{format:?}");
        assert!(
            verdict.reasons.contains(&Reason::UnknownIssuer),
            "{format:?} {:?}",
            verdict.reasons
        );
    }
}

#[test]
fn an_eddsa_status_list_revokes_and_is_refused_from_another_issuer() {
    for (format, cwt) in [
        (CredentialFormat::SdJwt, false),
        (CredentialFormat::Mdoc, true),
    ] {
        let mut w = world(format);
        let trusted = trust_store::installed(&w.verifier)
            .unwrap()
            .unwrap()
            .list
            .issuers_at(NOW, None);
        let mut builder = StatusListBuilder::new(1, 64).unwrap();
        builder.set(STATUS_INDEX, 1).unwrap();
        let token = if cwt {
            builder
                .to_cwt(STATUS_URI, NOW + 100, None, Some(43_200), &w.ed25519.key)
                .unwrap()
        } else {
            builder
                .to_jwt(STATUS_URI, NOW + 100, None, Some(43_200), &w.ed25519.key)
                .unwrap()
                .into_bytes()
        };
        status_cache::import(&mut w.verifier, &token, &trusted, NOW + 100).unwrap();

        let revoked = shown(&mut w, ED25519_TYPE, NOW + 200);
        assert!(!revoked.valid, "{format:?}");
        assert_eq!(revoked.reasons, vec![Reason::Revoked], "{format:?}");
        assert!(revoked.claims.is_empty());
        // The list is the Ed25519 issuer's: the P-384 issuer's credential, at the same
        // address and index, has no list of its own cached.
        let other = shown(&mut w, P384_TYPE, NOW + 210);
        assert!(other.valid, "{format:?} {:?}", other.reasons);
        assert_eq!(
            other.status.as_ref().unwrap().state,
            StatusState::Unknown,
            "{format:?}"
        );

        // A token whose signature was altered is refused.
        let mut bad = token.clone();
        let last = bad.len() - 3;
        bad[last] ^= if cwt { 0x01 } else { b'A' ^ b'B' };
        assert!(status_cache::import(&mut w.verifier, &bad, &trusted, NOW + 300).is_err());
    }
}
