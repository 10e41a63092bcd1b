//! Batches a desk would never make, sealed correctly to the holder's ephemeral key: a copy for
//! a key the wallet did not prove, a copy missing, two copies for one key, another type, another
//! issuer. Each is a typed error and the wallet is unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::desk::{DeskLedger, OfferRequest, make_offer};
use super::{IssuanceError, OfferedCredential, accept_offer, batch, pending, read_offer, receive};
use crate::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use crate::verifier::TrustedIssuer;
use laissez_crypto::ecdsa::{SigningKey, VerifyingKey};
use laissez_crypto::pin_kdf::KdfParams;
use laissez_formats::credential::CredentialFormat;
use laissez_store::{StoreOptions, WalletStore};

const NOW: i64 = 1_790_000_000;
const VCT: &str = "urn:laissez:test:registration:1";

struct Setup {
    _dir: tempfile::TempDir,
    store: WalletStore,
    issuer: IssuerIdentity,
    offer_hash: [u8; 32],
    keys: Vec<VerifyingKey>,
    ephemeral: VerifyingKey,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    let issuer = IssuerIdentity::generate("Desk", NOW, 30).unwrap();
    let mut ledger = DeskLedger::new();
    let offer = make_offer(
        &issuer,
        &mut ledger,
        &OfferRequest {
            credential: OfferedCredential {
                format: CredentialFormat::SdJwt,
                credential_type: VCT.into(),
            },
            batch_size: 3,
            valid_minutes: 10,
        },
        NOW,
    )
    .unwrap();
    let trusted = vec![TrustedIssuer::from_bytes(issuer.trust_anchor()).unwrap()];
    let view = read_offer(&offer, &trusted, NOW).unwrap();
    accept_offer(&mut store, &view, NOW).unwrap();
    let found = pending::find(&store, &view.offer_hash).unwrap().unwrap();
    Setup {
        _dir: dir,
        keys: found.keys.clone(),
        ephemeral: found.ephemeral.public_key().clone(),
        store,
        issuer,
        offer_hash: view.offer_hash,
    }
}

fn copy(issuer: &IssuerIdentity, credential_type: &str, key: &VerifyingKey) -> Vec<u8> {
    let claims = json!({"given_name": "Amina", "family_name": "Diallo"});
    issue_credential(
        issuer,
        &CredentialOrder {
            format: CredentialFormat::SdJwt,
            credential_type: credential_type.into(),
            claims: claims.as_object().unwrap().clone(),
            holder_key: key.clone(),
            valid_days: 30,
            status: None,
            now: NOW,
            portrait: None,
        },
    )
    .unwrap()
}

/// Seals `copies` as the desk would and tries to receive them.
fn receive_copies(s: &mut Setup, copies: &[Vec<u8>]) -> IssuanceError {
    let before = s.store.export_all().unwrap().len();
    let message = batch::seal(&s.ephemeral, &s.offer_hash, copies).unwrap();
    let err = receive(&mut s.store, &message, NOW + 60).unwrap_err();
    assert_eq!(s.store.export_all().unwrap().len(), before, "{err}");
    err
}

#[test]
fn a_batch_the_desk_would_never_make_is_refused_whole() {
    let mut s = setup();
    let good: Vec<Vec<u8>> = s.keys.iter().map(|k| copy(&s.issuer, VCT, k)).collect();
    // A copy for a key this wallet did not prove (nor holds).
    let stranger = SigningKey::generate().unwrap();
    let mut foreign = good.clone();
    foreign[2] = copy(&s.issuer, VCT, stranger.public_key());
    assert!(matches!(
        receive_copies(&mut s, &foreign),
        IssuanceError::CopyForUnknownKey { index: 2 }
    ));
    // A copy missing; one too many.
    assert!(matches!(
        receive_copies(&mut s, &good[..2]),
        IssuanceError::MissingCopies {
            expected: 3,
            got: 2
        }
    ));
    let mut extra = good.clone();
    extra.push(good[0].clone());
    assert!(matches!(
        receive_copies(&mut s, &extra),
        IssuanceError::MissingCopies {
            expected: 3,
            got: 4
        }
    ));
    // Two copies for one key (and so none for another).
    let mut twice = good.clone();
    twice[1] = copy(&s.issuer, VCT, &s.keys[0]);
    assert!(matches!(
        receive_copies(&mut s, &twice),
        IssuanceError::DuplicateCopy
    ));
    // Another type; another issuer than the offer's signer.
    let mut other_type = good.clone();
    other_type[0] = copy(&s.issuer, "urn:other:type", &s.keys[0]);
    assert!(matches!(
        receive_copies(&mut s, &other_type),
        IssuanceError::NotTheOfferedCredential { index: 0 }
    ));
    let impostor = IssuerIdentity::generate("Impostor", NOW, 30).unwrap();
    let mut other_issuer = good.clone();
    other_issuer[1] = copy(&impostor, VCT, &s.keys[1]);
    assert!(matches!(
        receive_copies(&mut s, &other_issuer),
        IssuanceError::NotTheOfferedCredential { index: 1 }
    ));
    // Not a credential at all.
    let mut garbage = good.clone();
    garbage[0] = b"not a credential".to_vec();
    assert!(matches!(
        receive_copies(&mut s, &garbage),
        IssuanceError::NotTheOfferedCredential { index: 0 } | IssuanceError::Credential(_)
    ));
    // Sealed to another key: does not decrypt.
    let before = s.store.export_all().unwrap().len();
    let other = SigningKey::generate().unwrap();
    let message = batch::seal(other.public_key(), &s.offer_hash, &good).unwrap();
    assert!(matches!(
        receive(&mut s.store, &message, NOW + 60),
        Err(IssuanceError::Undecryptable)
    ));
    assert_eq!(s.store.export_all().unwrap().len(), before);
    // The real batch is still welcome.
    let message = batch::seal(&s.ephemeral, &s.offer_hash, &good).unwrap();
    receive(&mut s.store, &message, NOW + 60).unwrap();
}

#[test]
fn expired_pending_acceptances_are_swept() {
    let mut s = setup();
    assert_eq!(pending::pending_count(&s.store).unwrap(), 1);
    assert_eq!(pending::sweep_expired(&mut s.store, NOW + 600).unwrap(), 0);
    let past = NOW + 600 + pending::RECEIVE_GRACE_SECS;
    assert_eq!(pending::sweep_expired(&mut s.store, past).unwrap(), 1);
    assert_eq!(pending::pending_count(&s.store).unwrap(), 0);
}
