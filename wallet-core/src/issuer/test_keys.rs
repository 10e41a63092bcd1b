//! The keys of a demo's test issuers, kept in a wallet so that they survive the app's restart:
//! the credential issuer (its identity), the trust-list signer, the registrar of verifiers and
//! the identity-card issuer. One encrypted record of kind [`TEST_KEYS_KIND`]; the store
//! encrypts it like every record, so no key is ever on disk in plaintext, and the apps never
//! see the key bytes (they hold the bindings' objects).
//!
//! The record's body is JSON, version 1: each private key as the members of its private JWK
//! (the encoding of the CLI's key files), certificates as base64 DER:
//!
//! ```json
//! {"version": 1,
//!  "issuer": {"key": {JWK}, "certificate": "...", "root": "..."},
//!  "trust_list_signer": {"key": {JWK}},
//!  "registrar": {"id": "...", "name": "...", "country": "CH", "key": {JWK}},
//!  "card_issuer": {"name": "...", "country": "KEN", "key": {JWK}}}
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::identity::IssuerIdentity;
use super::key_file::PrivateJwk;
use super::registrar::Registrar;
use laissez_crypto::ecdsa::SigningKey;
use laissez_crypto::issuer_key::IssuerSigningKey;
use laissez_store::{MAX_PAGE_SIZE, NewRecord, StoreError, WalletStore};

/// Record kind of the kept test keys.
pub const TEST_KEYS_KIND: &str = "test_keys";
/// The body's format version.
const VERSION: u32 = 1;
/// Room for the body up front (four keys and two certificates take about 3 KiB), so the
/// encoded secret is never moved and left behind in freed memory.
const BODY_CAPACITY: usize = 16 * 1024;

/// What can go wrong keeping or restoring test keys.
#[derive(Debug, thiserror::Error)]
pub enum TestKeysError {
    /// The kept record is damaged, of an unknown version, or its keys do not match their
    /// certificates. Nothing secret is in the message.
    #[error("the kept test keys are unreadable: {0}")]
    Unreadable(&'static str),
    /// A key could not be encoded (a key of a layout this code does not write).
    #[error("the test keys could not be encoded: {0}")]
    Unencodable(&'static str),
    /// The wallet's store failed (locked, busy, disk).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The four test objects' parts, borrowed: what [`keep`] writes.
#[derive(Clone, Copy)]
pub struct TestKeysView<'a> {
    /// The credential issuer: key, certificate and root.
    pub issuer: &'a IssuerIdentity,
    /// The key that signs trust lists.
    pub trust_list_signer: &'a SigningKey,
    /// The registrar of verifiers.
    pub registrar: &'a Registrar,
    /// The registrar's country (ISO 3166-1 alpha-2), as trust lists name it.
    pub registrar_country: &'a str,
    /// The identity-card issuer's name, as trust lists and its cards name it.
    pub card_issuer_name: &'a str,
    /// The country its cards are of (as cards write it, e.g. `KEN`).
    pub card_issuer_country: &'a str,
    /// The identity-card issuer's key.
    pub card_issuer_key: &'a IssuerSigningKey,
}

/// The four test objects' parts, restored by [`kept`].
pub struct TestKeys {
    /// The credential issuer.
    pub issuer: IssuerIdentity,
    /// The trust-list signer's key.
    pub trust_list_signer: SigningKey,
    /// The registrar of verifiers.
    pub registrar: Registrar,
    /// The registrar's country.
    pub registrar_country: String,
    /// The identity-card issuer's name.
    pub card_issuer_name: String,
    /// The country of its cards.
    pub card_issuer_country: String,
    /// The identity-card issuer's key.
    pub card_issuer_key: IssuerSigningKey,
}

impl TestKeys {
    /// The restored parts, borrowed.
    pub fn view(&self) -> TestKeysView<'_> {
        TestKeysView {
            issuer: &self.issuer,
            trust_list_signer: &self.trust_list_signer,
            registrar: &self.registrar,
            registrar_country: &self.registrar_country,
            card_issuer_name: &self.card_issuer_name,
            card_issuer_country: &self.card_issuer_country,
            card_issuer_key: &self.card_issuer_key,
        }
    }

    /// Reads a record body written by [`TestKeysView::encode`].
    pub fn decode(body: &[u8]) -> Result<Self, TestKeysError> {
        let record: Body = serde_json::from_slice(body)
            .map_err(|_| TestKeysError::Unreadable("not the kept test keys' JSON"))?;
        if record.version != VERSION {
            return Err(TestKeysError::Unreadable("an unknown version"));
        }
        let der = |text: &str| {
            STANDARD
                .decode(text)
                .map_err(|_| TestKeysError::Unreadable("a certificate is not base64"))
        };
        let bad_key = |_| TestKeysError::Unreadable("a key is damaged");
        let issuer_key = record.issuer.key.to_key().map_err(bad_key)?;
        let root = record.issuer.root.as_deref().map(der).transpose()?;
        let issuer = IssuerIdentity::from_parts(issuer_key, der(&record.issuer.certificate)?, root)
            .map_err(|_| TestKeysError::Unreadable("the issuer's certificate is not its key's"))?;
        Ok(Self {
            issuer,
            trust_list_signer: record.trust_list_signer.key.to_p256().map_err(bad_key)?,
            registrar: Registrar {
                id: record.registrar.id,
                name: record.registrar.name,
                key: record.registrar.key.to_p256().map_err(bad_key)?,
            },
            registrar_country: record.registrar.country,
            card_issuer_name: record.card_issuer.name,
            card_issuer_country: record.card_issuer.country,
            card_issuer_key: record.card_issuer.key.to_key().map_err(bad_key)?,
        })
    }
}

impl TestKeysView<'_> {
    /// The record body: JSON with the private keys, in a buffer wiped on drop.
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, TestKeysError> {
        let unencodable = |_| TestKeysError::Unencodable("a key of an unexpected layout");
        let record = Body {
            version: VERSION,
            issuer: IssuerPart {
                key: PrivateJwk::of(&self.issuer.key).map_err(unencodable)?,
                certificate: STANDARD.encode(&self.issuer.certificate),
                root: self
                    .issuer
                    .root
                    .as_deref()
                    .map(|root| STANDARD.encode(root)),
            },
            trust_list_signer: SignerPart {
                key: PrivateJwk::of_p256(self.trust_list_signer),
            },
            registrar: RegistrarPart {
                id: self.registrar.id.clone(),
                name: self.registrar.name.clone(),
                country: self.registrar_country.into(),
                key: PrivateJwk::of_p256(&self.registrar.key),
            },
            card_issuer: CardIssuerPart {
                name: self.card_issuer_name.into(),
                country: self.card_issuer_country.into(),
                key: PrivateJwk::of(self.card_issuer_key).map_err(unencodable)?,
            },
        };
        let mut body = Zeroizing::new(Vec::with_capacity(BODY_CAPACITY));
        serde_json::to_writer(&mut *body, &record)
            .map_err(|_| TestKeysError::Unencodable("the JSON writer failed"))?;
        Ok(body)
    }

    /// Names the set by its four public keys (SHA-256, hex): two sets with the same
    /// fingerprint sign alike.
    pub fn fingerprint(&self) -> String {
        let keys = [
            self.issuer.key.public_key().fingerprint(),
            self.trust_list_signer.public_key().fingerprint(),
            self.registrar.key.public_key().fingerprint(),
            self.card_issuer_key.public_key().fingerprint(),
        ]
        .join(" ");
        hex::encode(ring::digest::digest(&ring::digest::SHA256, keys.as_bytes()))
    }
}

/// Keeps `keys` in the wallet, replacing any set kept before (one transaction).
pub fn keep(store: &mut WalletStore, keys: &TestKeysView<'_>) -> Result<(), TestKeysError> {
    let mut body = keys.encode()?;
    let mut record = NewRecord {
        kind: TEST_KEYS_KIND.into(),
        tags: Vec::new(),
        body: std::mem::take(&mut *body),
    };
    let written = store.write(|writer| -> Result<(), StoreError> {
        let old = writer.find(TEST_KEYS_KIND, &[], MAX_PAGE_SIZE, None)?;
        for kept in &old.records {
            writer.delete(kept.id)?;
        }
        writer.put(&record)?;
        Ok(())
    });
    record.body.zeroize();
    Ok(written?)
}

/// The test keys kept in the wallet, if any (the newest, should there be several).
pub fn kept(store: &WalletStore) -> Result<Option<TestKeys>, TestKeysError> {
    let page = store.find(TEST_KEYS_KIND, &[], MAX_PAGE_SIZE, None)?;
    page.records
        .iter()
        .max_by_key(|record| record.updated_at)
        .map(|record| TestKeys::decode(&record.body))
        .transpose()
}

#[derive(Serialize, Deserialize)]
struct Body {
    version: u32,
    issuer: IssuerPart,
    trust_list_signer: SignerPart,
    registrar: RegistrarPart,
    card_issuer: CardIssuerPart,
}

#[derive(Serialize, Deserialize)]
struct IssuerPart {
    key: PrivateJwk,
    certificate: String,
    #[serde(default)]
    root: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct SignerPart {
    key: PrivateJwk,
}

#[derive(Serialize, Deserialize)]
struct RegistrarPart {
    id: String,
    name: String,
    country: String,
    key: PrivateJwk,
}

#[derive(Serialize, Deserialize)]
struct CardIssuerPart {
    name: String,
    country: String,
    key: PrivateJwk,
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::issuer_key::SignatureAlgorithm;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_store::StoreOptions;

    const NOW: i64 = 1_780_000_000;

    fn fresh() -> TestKeys {
        TestKeys {
            issuer: IssuerIdentity::generate("Demo Issuer", NOW, 30).unwrap(),
            trust_list_signer: SigningKey::generate().unwrap(),
            registrar: Registrar::generate("urn:demo:registrar", "Demo Registrar").unwrap(),
            registrar_country: "CH".into(),
            card_issuer_name: "Civil Registry".into(),
            card_issuer_country: "KEN".into(),
            card_issuer_key: IssuerSigningKey::generate(SignatureAlgorithm::EdDsa).unwrap(),
        }
    }

    fn wallet(dir: &tempfile::TempDir) -> WalletStore {
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        WalletStore::create(dir.path().join("w.db"), "2468", options)
            .unwrap()
            .0
    }

    fn assert_same(a: &TestKeys, b: &TestKeys) {
        assert_eq!(a.view().fingerprint(), b.view().fingerprint());
        assert_eq!(a.issuer.certificate, b.issuer.certificate);
        assert_eq!(a.issuer.root, b.issuer.root);
        assert_eq!(a.issuer.name, b.issuer.name);
        assert_eq!(a.issuer.identifier, b.issuer.identifier);
        assert_eq!(a.registrar.id, b.registrar.id);
        assert_eq!(a.registrar.name, b.registrar.name);
        assert_eq!(a.registrar_country, b.registrar_country);
        assert_eq!(a.card_issuer_name, b.card_issuer_name);
        assert_eq!(a.card_issuer_country, b.card_issuer_country);
    }

    #[test]
    fn kept_keys_come_back_alike_and_a_second_set_replaces_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = wallet(&dir);
        assert!(kept(&store).unwrap().is_none());
        let first = fresh();
        keep(&mut store, &first.view()).unwrap();
        assert_same(&kept(&store).unwrap().unwrap(), &first);

        let second = fresh();
        assert_ne!(first.view().fingerprint(), second.view().fingerprint());
        keep(&mut store, &second.view()).unwrap();
        assert_eq!(store.count(TEST_KEYS_KIND, &[]).unwrap(), 1);
        assert_same(&kept(&store).unwrap().unwrap(), &second);
    }

    #[test]
    fn a_locked_wallet_neither_keeps_nor_gives_keys() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = wallet(&dir);
        store.lock();
        assert!(matches!(
            keep(&mut store, &fresh().view()),
            Err(TestKeysError::Store(StoreError::Locked))
        ));
        assert!(matches!(
            kept(&store),
            Err(TestKeysError::Store(StoreError::Locked))
        ));
    }

    #[test]
    fn every_algorithm_of_the_card_issuer_round_trips() {
        for alg in SignatureAlgorithm::ALL {
            let keys = TestKeys {
                card_issuer_key: IssuerSigningKey::generate(alg).unwrap(),
                ..fresh()
            };
            let back = TestKeys::decode(&keys.view().encode().unwrap()).unwrap();
            assert_eq!(
                back.card_issuer_key.public_key(),
                keys.card_issuer_key.public_key()
            );
        }
    }

    #[test]
    fn damaged_bodies_are_refused_with_a_typed_error() {
        let keys = fresh();
        let body = keys.view().encode().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let with = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut copy = json.clone();
            edit(&mut copy);
            serde_json::to_vec(&copy).unwrap()
        };
        let other = fresh();
        let other_body: serde_json::Value =
            serde_json::from_slice(&other.view().encode().unwrap()).unwrap();
        let damaged: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("not JSON", b"\xff\x00garbage".to_vec()),
            ("cut short", body[..body.len() / 2].to_vec()),
            ("future version", with(&|j| j["version"] = 2.into())),
            (
                "no signer",
                with(&|j| {
                    j.as_object_mut()
                        .unwrap()
                        .remove("trust_list_signer")
                        .map(drop)
                        .unwrap()
                }),
            ),
            (
                "signer's d altered",
                with(&|j| j["trust_list_signer"]["key"]["d"] = "AAAA".into()),
            ),
            (
                "registrar's x of another key",
                with(&|j| j["registrar"]["key"]["x"] = other_body["registrar"]["key"]["x"].clone()),
            ),
            (
                "card key of an unknown curve",
                with(&|j| j["card_issuer"]["key"]["crv"] = "X25519".into()),
            ),
            (
                "certificate not base64",
                with(&|j| j["issuer"]["certificate"] = "*".into()),
            ),
            (
                "certificate of another key",
                with(&|j| j["issuer"]["certificate"] = other_body["issuer"]["certificate"].clone()),
            ),
            (
                "root of another authority",
                with(&|j| j["issuer"]["root"] = other_body["issuer"]["root"].clone()),
            ),
            (
                "an Ed25519 signer",
                with(&|j| j["trust_list_signer"]["key"] = j["card_issuer"]["key"].clone()),
            ),
        ];
        for (what, body) in damaged {
            assert!(
                matches!(TestKeys::decode(&body), Err(TestKeysError::Unreadable(_))),
                "{what}"
            );
        }
    }

    #[test]
    fn a_damaged_kept_record_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = wallet(&dir);
        store
            .put(&NewRecord {
                kind: TEST_KEYS_KIND.into(),
                tags: Vec::new(),
                body: b"{\"version\":1}".to_vec(),
            })
            .unwrap();
        assert!(matches!(kept(&store), Err(TestKeysError::Unreadable(_))));
        // Keeping a good set over it repairs the wallet.
        let keys = fresh();
        keep(&mut store, &keys.view()).unwrap();
        assert_same(&kept(&store).unwrap().unwrap(), &keys);
    }

    #[test]
    fn each_key_is_written_as_the_cli_writes_its_key_files() {
        let keys = fresh();
        let body = keys.view().encode().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let file = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(
            json["issuer"]["key"],
            file(&super::super::key_file::private_jwk(&keys.issuer.key).unwrap())
        );
        assert_eq!(
            json["card_issuer"]["key"],
            file(&super::super::key_file::private_jwk(&keys.card_issuer_key).unwrap())
        );
        assert_eq!(json["version"], 1);
    }
}
