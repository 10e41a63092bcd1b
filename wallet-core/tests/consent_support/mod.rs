//! Shared by the consent tests (`consent.rs`, `signed_consent.rs`): a holder's wallet with one
//! SD-JWT VC of [`TYPE`] (given_name, family_name, nationality) imported at [`NOW`].
#![allow(dead_code, clippy::unwrap_used)]

use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::store::{RecordId, StoreOptions, WalletStore};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

/// The tests' time, Unix seconds.
pub const NOW: i64 = 1_790_000_000;
/// The credential's type.
pub const TYPE: &str = "urn:laissez:id:1";

/// A holder's wallet and its one credential.
pub struct Holder {
    pub _dir: tempfile::TempDir,
    pub store: WalletStore,
    pub credential_id: RecordId,
}

/// A new wallet holding one credential.
pub fn holder() -> Holder {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    let holder = holder_keys::default_key(&mut store).unwrap();
    let issuer = IssuerIdentity::generate("IOM", NOW - 10, 3650).unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad", "nationality": "SD"});
    let order = CredentialOrder {
        format: CredentialFormat::SdJwt,
        credential_type: TYPE.into(),
        claims: claims.as_object().cloned().unwrap(),
        holder_key: holder.public_key,
        valid_days: 365,
        status: None,
        now: NOW,
        portrait: None,
    };
    let issued = issue_credential(&issuer, &order).unwrap();
    let import = ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata: None,
    };
    let credential_id = credentials::import(&mut store, &issued, &import)
        .unwrap()
        .id;
    Holder {
        _dir: dir,
        store,
        credential_id,
    }
}
