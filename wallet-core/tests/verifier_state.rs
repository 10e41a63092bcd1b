//! The field verifier's state against a photographer and against someone who can write to its
//! file without its key: altered copies of a shown presentation are replays, request keys do
//! not outlive their answer, a refused answer naming our request is logged, and trust lists,
//! status lists, replay entries and pending requests cannot be rolled back, removed or added
//! behind the verifier's back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use ciborium::Value;
use p256::elliptic_curve::PrimeField;
use rusqlite::{Connection, params};
use serde_json::json;
use wallet_core::backup;
use wallet_core::credential::{CredentialFormat, StatusReference};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential, StaticPresentation};
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::qr::{Envelope, MessageKind, envelope};
use wallet_core::store::{NewRecord, StoreOptions, WalletStore};
use wallet_core::verifier::field_verifier::{self, FieldVerifierError, VerifyOptions};
use wallet_core::verifier::security_state::{self, SecurityStateError, Tampering};
use wallet_core::verifier::status_list::{StatusListBuilder, StatusState};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::{Reason, Verdict, status_cache, trust_store};
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

const NOW: i64 = 1_790_000_000;
const TYPE: &str = "org.laissez.id.1";
const STATUS_URI: &str = "https://status.example/lists/7";
const STATUS_INDEX: u64 = 42;
const PIN: &str = "2468";

fn options() -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

fn store(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    WalletStore::create(dir.path().join(name), PIN, options())
        .unwrap()
        .0
}

struct World {
    dir: tempfile::TempDir,
    holder: WalletStore,
    verifier: WalletStore,
    issuer: IssuerIdentity,
}

impl World {
    fn verifier_path(&self) -> PathBuf {
        self.dir.path().join("verifier.db")
    }

    fn credential(&self) -> wallet_core::store::RecordId {
        credentials::list(&self.holder).unwrap()[0].id
    }

    fn show_static(&mut self, at: i64) -> Envelope {
        let id = self.credential();
        respond::present_static(&mut self.holder, id, &["given_name".into()], at, None)
            .unwrap()
            .envelope
    }
}

fn trust_signer() -> SigningKey {
    SigningKey::derive(&[9; 32]).unwrap()
}

fn signed_trust_list(issuer: &IssuerIdentity, sequence: u64) -> String {
    let mut list = TrustList::new(sequence, NOW - 60, 30);
    list.add_issuer_certificate(
        "IOM field office",
        &issuer.certificate,
        NOW - 60,
        NOW + 86_400,
    )
    .unwrap()
    .credential_types = vec![TYPE.into()];
    list.sign(&trust_signer()).unwrap()
}

fn world(format: CredentialFormat) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut holder = store(&dir, "holder.db");
    let mut verifier = store(&dir, "verifier.db");
    let key = holder_keys::default_key(&mut holder).unwrap();
    let issuer = IssuerIdentity::generate("IOM", NOW - 10, 3650).unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad"});
    let issued = issue_credential(
        &issuer,
        &CredentialOrder {
            format,
            credential_type: TYPE.into(),
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
    let options = ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata: None,
    };
    credentials::import(&mut holder, &issued, &options).unwrap();
    let signer = trust_signer();
    let list = signed_trust_list(&issuer, 1);
    trust_store::install(&mut verifier, &list, Some(signer.public_key()), NOW - 30).unwrap();
    World {
        dir,
        holder,
        verifier,
        issuer,
    }
}

fn verify(store: &mut WalletStore, message: &Envelope, now: i64) -> Vec<Verdict> {
    field_verifier::verify_message(store, message, &VerifyOptions::new(now, "en")).unwrap()
}

fn requested() -> Vec<RequestedCredential> {
    vec![RequestedCredential {
        credential_type: TYPE.into(),
        claims: vec![RequestedClaim {
            path: "given_name".into(),
            required: true,
        }],
    }]
}

/// A request from the verifier, answered by the holder.
fn answered_request(w: &mut World, at: i64) -> Envelope {
    let request =
        field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 300, at)
            .unwrap();
    let view = respond::read_request(&w.holder, &request, at + 1).unwrap();
    let consent = Consent {
        credential_id: w.credential(),
        claims: vec!["given_name".into()],
        allowed_beyond_scope: Vec::new(),
    };
    respond::respond(
        &mut w.holder,
        &view,
        &[consent],
        Some(UnverifiedAcknowledgement::of(&view)),
        at + 2,
    )
    .unwrap()
}

// ---- altered copies of a shown static presentation -------------------------------------

/// The other valid ECDSA signature: (r, n − s) for (r, s).
fn negate_s(signature: &[u8]) -> Vec<u8> {
    assert_eq!(signature.len(), 64);
    let s = p256::Scalar::from_repr(*p256::FieldBytes::from_slice(&signature[32..])).unwrap();
    let mut out = signature[..32].to_vec();
    out.extend_from_slice(&(-s).to_repr());
    out
}

fn with_presentation(shown: &Envelope, change: impl FnOnce(Vec<u8>) -> Vec<u8>) -> Envelope {
    let mut presentation = StaticPresentation::decode(&shown.payload).unwrap();
    presentation.bytes = change(presentation.bytes);
    Envelope {
        kind: MessageKind::StaticPresentation,
        payload: presentation.encode().unwrap(),
    }
}

/// The SD-JWT with its Key Binding JWT's signature replaced by the other valid one.
fn sd_jwt_other_signature(bytes: Vec<u8>) -> Vec<u8> {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let text = String::from_utf8(bytes).unwrap();
    let (head, signature) = text.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    format!("{head}.{}", URL_SAFE_NO_PAD.encode(negate_s(&signature))).into_bytes()
}

fn map_field<'a>(map: &'a mut [(Value, Value)], name: &str) -> &'a mut Value {
    &mut map
        .iter_mut()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == name))
        .unwrap()
        .1
}

/// The DeviceResponse with its device signature replaced by the other valid one.
fn mdoc_other_signature(bytes: Vec<u8>) -> Vec<u8> {
    let mut response: Value = ciborium::from_reader(bytes.as_slice()).unwrap();
    let Value::Map(response_map) = &mut response else {
        panic!("not a map")
    };
    let Value::Array(documents) = map_field(response_map, "documents") else {
        panic!("no documents")
    };
    let Value::Map(document) = &mut documents[0] else {
        panic!("not a document")
    };
    let Value::Map(device_signed) = map_field(document, "deviceSigned") else {
        panic!("no deviceSigned")
    };
    let Value::Map(device_auth) = map_field(device_signed, "deviceAuth") else {
        panic!("no deviceAuth")
    };
    let Value::Array(sign1) = map_field(device_auth, "deviceSignature") else {
        panic!("no deviceSignature")
    };
    let Value::Bytes(signature) = &mut sign1[3] else {
        panic!("no signature")
    };
    *signature = negate_s(signature);
    let mut out = Vec::new();
    ciborium::into_writer(&response, &mut out).unwrap();
    out
}

/// The DeviceResponse with its `status: 0` written in the two-byte form (0x18 0x00), outside
/// anything signed or hashed.
fn mdoc_longer_status(bytes: Vec<u8>) -> Vec<u8> {
    let key = [&[0x66][..], b"status"].concat();
    let at = bytes
        .windows(key.len() + 1)
        .position(|w| w[..key.len()] == key[..] && w[key.len()] == 0x00)
        .unwrap();
    let end = at + key.len();
    [&bytes[..end], &[0x18, 0x00], &bytes[end + 1..]].concat()
}

#[test]
fn every_altered_copy_of_a_shown_presentation_is_a_replay() {
    type Alteration = (&'static str, fn(Vec<u8>) -> Vec<u8>);
    let sd_jwt: [Alteration; 2] = [
        ("trailing newline", |mut b| {
            b.push(b'\n');
            b
        }),
        ("n - s key-binding signature", sd_jwt_other_signature),
    ];
    let mdoc: [Alteration; 2] = [
        ("n - s device signature", mdoc_other_signature),
        (
            "longer CBOR integer in the response status",
            mdoc_longer_status,
        ),
    ];
    for (format, alterations) in [
        (CredentialFormat::SdJwt, &sd_jwt),
        (CredentialFormat::Mdoc, &mdoc),
    ] {
        for (what, alter) in alterations {
            let mut w = world(format);
            let shown = w.show_static(NOW);
            assert!(verify(&mut w.verifier, &shown, NOW + 1)[0].valid);
            assert_eq!(
                verify(&mut w.verifier, &shown, NOW + 2)[0].reasons,
                vec![Reason::Replay],
                "{format:?}: the identical copy"
            );
            let altered = with_presentation(&shown, alter);
            assert_ne!(altered, shown, "{format:?} {what}: the copy differs");
            let verdict = verify(&mut w.verifier, &altered, NOW + 3).remove(0);
            assert!(!verdict.valid, "{format:?} {what}: accepted again");
            // Refusing high-S signatures outright (laissez-crypto) turns the n - s copy into a
            // bad signature before the replay cache is asked; either way it is refused.
            assert!(
                verdict.reasons == vec![Reason::Replay]
                    || (what.starts_with("n - s")
                        && verdict.reasons == vec![Reason::BadHolderSignature]),
                "{format:?} {what}: {:?}",
                verdict.reasons
            );
        }
    }
}

#[test]
fn an_altered_copy_shown_first_makes_the_original_a_replay() {
    let mut w = world(CredentialFormat::SdJwt);
    let shown = w.show_static(NOW);
    let altered = with_presentation(&shown, |mut b| {
        b.extend_from_slice(b"\r\n");
        b
    });
    assert!(verify(&mut w.verifier, &altered, NOW + 1)[0].valid);
    assert_eq!(
        verify(&mut w.verifier, &shown, NOW + 2)[0].reasons,
        vec![Reason::Replay]
    );
}

// ---- request keys ------------------------------------------------------------------------

/// The pending requests in the verifier's store: (expires, key length).
fn pending_requests(store: &WalletStore) -> Vec<(i64, usize)> {
    store
        .export_all()
        .unwrap()
        .iter()
        .filter(|r| r.kind == field_verifier::PENDING_KIND)
        .map(|r| {
            let Value::Map(fields) = ciborium::from_reader(r.body.as_slice()).unwrap() else {
                panic!("not a map")
            };
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| matches!(k, Value::Text(t) if t == name))
                    .unwrap()
                    .1
                    .clone()
            };
            let Value::Integer(expires) = field("expires_at") else {
                panic!("no expiry")
            };
            let Value::Bytes(key) = field("key") else {
                panic!("no key")
            };
            (i64::try_from(expires).unwrap(), key.len())
        })
        .collect()
}

#[test]
fn a_request_key_is_deleted_once_its_answer_is_verified() {
    let mut w = world(CredentialFormat::Mdoc);
    let response = answered_request(&mut w, NOW);
    assert_eq!(pending_requests(&w.verifier)[0].1, 32);
    assert!(verify(&mut w.verifier, &response, NOW + 3)[0].valid);
    assert_eq!(pending_requests(&w.verifier)[0].1, 0, "the key is gone");
    // The photographed response can no longer be opened: shown again, it is a replay.
    assert_eq!(
        verify(&mut w.verifier, &response, NOW + 4)[0].reasons,
        vec![Reason::Replay]
    );
}

#[test]
fn an_expired_request_loses_its_key_without_waiting_for_prune() {
    let mut w = world(CredentialFormat::SdJwt);
    field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 60, NOW).unwrap();
    assert_eq!(pending_requests(&w.verifier).len(), 1);
    // Any later verification (here a static presentation) sweeps it.
    let later = NOW + 60 + field_verifier::RESPONSE_GRACE_SECS + 1;
    let shown = w.show_static(later);
    verify(&mut w.verifier, &shown, later);
    assert!(pending_requests(&w.verifier).is_empty());
}

#[test]
fn a_backup_never_carries_request_keys() {
    let mut w = world(CredentialFormat::SdJwt);
    field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 300, NOW)
        .unwrap();
    let bytes = backup::create(&w.verifier, NOW).unwrap();
    let contents = backup::open_with_store(&bytes, &w.verifier).unwrap();
    assert!(contents.records.iter().all(|r| !matches!(
        r.kind.as_str(),
        field_verifier::PENDING_KIND | security_state::MANIFEST_KIND
    )));
}

// ---- refused answers are logged ------------------------------------------------------------

#[test]
fn an_altered_answer_naming_our_request_is_logged_as_tampered() {
    let mut w = world(CredentialFormat::SdJwt);
    let response = answered_request(&mut w, NOW);
    let text = envelope::encode(&response).unwrap();
    // One character changed near the end: the text no longer decompresses.
    let mut altered: Vec<char> = text.chars().collect();
    let at = altered.len() - 5;
    altered[at] = if altered[at] == '0' { '1' } else { '0' };
    let altered: String = altered.into_iter().collect();
    assert!(envelope::decode(&altered).is_err());

    let verdict = field_verifier::log_unreadable_answer(&mut w.verifier, &altered, NOW + 3)
        .unwrap()
        .unwrap();
    assert_eq!(verdict.reasons, vec![Reason::Tampered]);
    let log = field_verifier::log_entries(&w.verifier).unwrap();
    assert_eq!(log.len(), 1);
    assert!(!log[0].valid);
    assert_eq!(log[0].reasons, vec!["tampered".to_owned()]);

    // The untouched answer still verifies: its key was kept.
    assert!(verify(&mut w.verifier, &response, NOW + 4)[0].valid);

    // Text that names no request of ours is not attributed, and not logged.
    let mut stranger = world(CredentialFormat::SdJwt);
    assert!(
        field_verifier::log_unreadable_answer(&mut stranger.verifier, &altered, NOW + 3)
            .unwrap()
            .is_none()
    );
    assert!(
        field_verifier::log_unreadable_answer(&mut w.verifier, "LZ1:%%%%", NOW + 5)
            .unwrap()
            .is_none()
    );
    assert_eq!(
        field_verifier::log_entries(&stranger.verifier)
            .unwrap()
            .len(),
        0
    );
}

// ---- status lists: the newest is in force -------------------------------------------------

fn status_token(issuer: &IssuerIdentity, value: u8, iat: i64) -> String {
    let mut builder = StatusListBuilder::new(2, 128).unwrap();
    builder.set(STATUS_INDEX, value).unwrap();
    builder
        .to_jwt(STATUS_URI, iat, None, Some(43_200), &issuer.key)
        .unwrap()
}

#[test]
fn of_two_copies_of_a_status_list_the_one_issued_last_is_in_force() {
    let mut w = world(CredentialFormat::SdJwt);
    let trusted = trust_store::installed(&w.verifier)
        .unwrap()
        .unwrap()
        .list
        .issuers_at(NOW, None);
    // The state a crash between writing a new list and deleting the old one used to leave
    // (or a backup merge): both copies stored, the older one first.
    let older = status_token(&w.issuer, 0, NOW);
    let revoked = status_token(&w.issuer, 1, NOW + 100);
    let issuer_tag = w.issuer.key.public_key().fingerprint();
    for (token, iat) in [(&older, NOW), (&revoked, NOW + 100)] {
        security_state::write(&mut w.verifier, |writer| {
            let mut body = iat.to_be_bytes().to_vec();
            body.extend_from_slice(token.as_bytes());
            writer.put(&wallet_core::store::NewRecord {
                kind: status_cache::STATUS_LIST_KIND.into(),
                tags: vec![
                    wallet_core::store::Tag::new("uri", STATUS_URI),
                    wallet_core::store::Tag::new("issuer", issuer_tag.clone()),
                    wallet_core::store::Tag::new("issued_at", iat.to_string()),
                ],
                body,
            })?;
            Ok::<_, SecurityStateError>(())
        })
        .unwrap();
    }
    let lists = status_cache::cached(&w.verifier, &trusted).unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].list.issued_at, NOW + 100);
    let shown = w.show_static(NOW + 200);
    let verdict = verify(&mut w.verifier, &shown, NOW + 201).remove(0);
    assert_eq!(verdict.reasons, vec![Reason::Revoked]);
    assert_eq!(verdict.status.unwrap().state, StatusState::Revoked);
}

// ---- someone writes to the file without the key ------------------------------------------

/// A raw row of the records table with its tag rows, as someone copying the file keeps it.
struct RawRow {
    id: Vec<u8>,
    kind_index: Vec<u8>,
    sealed: Vec<u8>,
    tags: Vec<Vec<u8>>,
}

fn raw(path: &PathBuf) -> Connection {
    Connection::open(path).unwrap()
}

fn copy_row(path: &PathBuf, id: &wallet_core::store::RecordId) -> RawRow {
    let conn = raw(path);
    let (seq, kind_index, sealed): (i64, Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT seq, kind_index, sealed FROM records WHERE id = ?1",
            [id.as_bytes()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let tags = conn
        .prepare("SELECT tag_index FROM record_tags WHERE record_seq = ?1")
        .unwrap()
        .query_map([seq], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    RawRow {
        id: id.as_bytes().to_vec(),
        kind_index,
        sealed,
        tags,
    }
}

fn delete_row(path: &PathBuf, id: &[u8]) {
    let conn = raw(path);
    conn.execute(
        "DELETE FROM record_tags WHERE record_seq = (SELECT seq FROM records WHERE id = ?1)",
        [id],
    )
    .unwrap();
    assert_eq!(
        conn.execute("DELETE FROM records WHERE id = ?1", [id])
            .unwrap(),
        1
    );
}

fn put_back(path: &PathBuf, row: &RawRow) {
    let conn = raw(path);
    conn.execute(
        "INSERT INTO records (id, kind_index, sealed) VALUES (?1, ?2, ?3)",
        params![row.id, row.kind_index, row.sealed],
    )
    .unwrap();
    let seq = conn.last_insert_rowid();
    for tag in &row.tags {
        conn.execute(
            "INSERT INTO record_tags (tag_index, record_seq) VALUES (?1, ?2)",
            params![tag, seq],
        )
        .unwrap();
    }
}

fn reopen(path: &PathBuf) -> WalletStore {
    let mut store = WalletStore::open(path, options()).unwrap();
    store.unlock(PIN).unwrap();
    store
}

fn ids_of(store: &WalletStore, kind: &str) -> Vec<wallet_core::store::RecordId> {
    store
        .export_all()
        .unwrap()
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.id)
        .collect()
}

fn tampering(err: FieldVerifierError) -> Tampering {
    match err {
        FieldVerifierError::Tampered(SecurityStateError::Tampered { tampering, .. })
        | FieldVerifierError::Trust(trust_store::TrustStoreError::Tampered(
            SecurityStateError::Tampered { tampering, .. },
        ))
        | FieldVerifierError::Status(status_cache::StatusCacheError::Tampered(
            SecurityStateError::Tampered { tampering, .. },
        )) => tampering,
        other => panic!("not a tampering error: {other:?}"),
    }
}

#[test]
fn an_older_trust_list_put_back_is_tampering() {
    let mut w = world(CredentialFormat::SdJwt);
    let path = w.verifier_path();
    let first = ids_of(&w.verifier, trust_store::TRUST_LIST_KIND)[0];
    let saved = copy_row(&path, &first);
    let second = signed_trust_list(&w.issuer, 2);
    trust_store::install(&mut w.verifier, &second, None, NOW - 20).unwrap();
    let installed = ids_of(&w.verifier, trust_store::TRUST_LIST_KIND)[0];
    drop(std::mem::replace(
        &mut w.verifier,
        store(&w.dir, "scratch.db"),
    ));

    // Sequence 2 replaced by the copy of sequence 1.
    delete_row(&path, installed.as_bytes());
    put_back(&path, &saved);
    let verifier = reopen(&path);
    assert!(matches!(
        trust_store::installed(&verifier),
        Err(trust_store::TrustStoreError::Tampered(
            SecurityStateError::Tampered {
                tampering: Tampering::ExtraRecord,
                ..
            }
        ))
    ));
}

#[test]
fn a_deleted_status_list_replay_entry_or_pending_request_is_tampering() {
    for kind in [
        status_cache::STATUS_LIST_KIND,
        field_verifier::SEEN_KIND,
        field_verifier::PENDING_KIND,
    ] {
        let mut w = world(CredentialFormat::SdJwt);
        let path = w.verifier_path();
        let trusted = trust_store::installed(&w.verifier)
            .unwrap()
            .unwrap()
            .list
            .issuers_at(NOW, None);
        let token = status_token(&w.issuer, 0, NOW);
        status_cache::import(&mut w.verifier, token.as_bytes(), &trusted, NOW).unwrap();
        let shown = w.show_static(NOW + 10);
        assert!(verify(&mut w.verifier, &shown, NOW + 11)[0].valid);
        field_verifier::create_request(&mut w.verifier, "Desk", "Aid", requested(), 300, NOW)
            .unwrap();
        let victim = ids_of(&w.verifier, kind)[0];
        drop(std::mem::replace(
            &mut w.verifier,
            store(&w.dir, "scratch.db"),
        ));

        delete_row(&path, victim.as_bytes());
        let mut verifier = reopen(&path);
        let err = field_verifier::verify_message(
            &mut verifier,
            &shown,
            &VerifyOptions::new(NOW + 12, "en"),
        )
        .unwrap_err();
        assert_eq!(tampering(err), Tampering::MissingRecord, "{kind}");
        // Nothing is written while the state is in doubt: the log stays as it was.
        assert_eq!(field_verifier::log_entries(&verifier).unwrap().len(), 1);
    }
}

#[test]
fn a_deleted_manifest_is_tampering_and_an_untouched_file_is_not() {
    let mut w = world(CredentialFormat::Mdoc);
    let path = w.verifier_path();
    assert!(security_state::check(&w.verifier).unwrap() >= 1);
    let manifest = ids_of(&w.verifier, security_state::MANIFEST_KIND)[0];
    drop(std::mem::replace(
        &mut w.verifier,
        store(&w.dir, "scratch.db"),
    ));
    // Reopened untouched: fine.
    let verifier = reopen(&path);
    assert!(trust_store::installed(&verifier).unwrap().is_some());
    drop(verifier);
    delete_row(&path, manifest.as_bytes());
    let verifier = reopen(&path);
    assert!(matches!(
        field_verifier::current_trust_list(&verifier, NOW).map_err(tampering),
        Err(Tampering::MissingManifest)
    ));
}

#[test]
fn a_verifier_from_before_manifests_is_taken_as_it_is_once_then_protected() {
    let mut w = world(CredentialFormat::SdJwt);
    // What a verifier written before manifests holds: its protected records, no manifest and
    // no mark.
    let legacy_path = w.dir.path().join("legacy.db");
    let mut legacy = store(&w.dir, "legacy.db");
    for record in w.verifier.export_all().unwrap() {
        if security_state::PROTECTED_KINDS.contains(&record.kind.as_str()) {
            legacy
                .put(&NewRecord {
                    kind: record.kind.clone(),
                    tags: record.tags.clone(),
                    body: record.body.to_vec(),
                })
                .unwrap();
        }
    }
    assert!(!legacy.has_mark(security_state::MANIFEST_MARK).unwrap());
    assert!(trust_store::installed(&legacy).unwrap().is_some());
    let shown = w.show_static(NOW + 10);
    assert!(verify(&mut legacy, &shown, NOW + 11)[0].valid);
    // The first write listed the records and marked the wallet: from now on a deleted
    // manifest is tampering, not an older verifier.
    assert!(legacy.has_mark(security_state::MANIFEST_MARK).unwrap());
    let manifest = ids_of(&legacy, security_state::MANIFEST_KIND)[0];
    drop(legacy);
    delete_row(&legacy_path, manifest.as_bytes());
    let legacy = reopen(&legacy_path);
    assert!(matches!(
        field_verifier::current_trust_list(&legacy, NOW).map_err(tampering),
        Err(Tampering::MissingManifest)
    ));
}

#[test]
fn deleting_the_manifest_with_every_protected_record_is_tampering_too() {
    let mut w = world(CredentialFormat::Mdoc);
    let path = w.verifier_path();
    let mut victims = ids_of(&w.verifier, security_state::MANIFEST_KIND);
    for kind in security_state::PROTECTED_KINDS {
        victims.extend(ids_of(&w.verifier, kind));
    }
    drop(std::mem::replace(
        &mut w.verifier,
        store(&w.dir, "scratch.db"),
    ));
    for id in &victims {
        delete_row(&path, id.as_bytes());
    }
    // Without the mark in the canary this would read as a new, empty verifier, open to
    // whatever trust list is scanned next.
    let verifier = reopen(&path);
    assert!(matches!(
        field_verifier::current_trust_list(&verifier, NOW).map_err(tampering),
        Err(Tampering::MissingManifest)
    ));
}

// ---- static presentations bound to a verifier ----------------------------------------------

#[test]
fn a_static_presentation_bound_to_a_verifier_is_accepted_there_only() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        let ours = field_verifier::verifier_id(&w.verifier).unwrap();
        // Read from the code printed on the verifier's poster.
        let scanned = wallet_core::exchange::VerifierId::parse(&ours.code()).unwrap();
        let id = w.credential();
        let claims = ["given_name".to_owned()];
        let bound = respond::present_static(&mut w.holder, id, &claims, NOW, Some(&scanned))
            .unwrap()
            .envelope;
        let verdict = verify(&mut w.verifier, &bound, NOW + 1).remove(0);
        assert!(verdict.valid, "{format:?} {:?}", verdict.reasons);
        assert!(!verdict.unbound);

        // Carried to another verifier, it is refused there.
        let mut elsewhere = store(&w.dir, "elsewhere.db");
        let list = signed_trust_list(&w.issuer, 1);
        trust_store::install(
            &mut elsewhere,
            &list,
            Some(trust_signer().public_key()),
            NOW,
        )
        .unwrap();
        let there = verify(&mut elsewhere, &bound, NOW + 2).remove(0);
        assert_eq!(there.reasons, vec![Reason::WrongAudience], "{format:?}");

        // The identifier is signed: changed to the other verifier's, or removed, the
        // presentation no longer verifies anywhere.
        let theirs = field_verifier::verifier_id(&elsewhere).unwrap();
        for verifier in [Some(theirs), None] {
            let mut relabelled = StaticPresentation::decode(&bound.payload).unwrap();
            relabelled.verifier = verifier;
            let relabelled = Envelope {
                kind: MessageKind::StaticPresentation,
                payload: relabelled.encode().unwrap(),
            };
            let verdict = verify(&mut elsewhere, &relabelled, NOW + 3).remove(0);
            assert!(!verdict.valid, "{format:?} relabelled {verifier:?}");
        }

        // Without an identifier: accepted, and said to be bound to no verifier.
        let unbound = respond::present_static(&mut w.holder, id, &claims, NOW + 5, None)
            .unwrap()
            .envelope;
        let verdict = verify(&mut elsewhere, &unbound, NOW + 6).remove(0);
        assert!(verdict.valid && verdict.unbound, "{format:?}");
        // The holder's history names the verifier it was bound to.
        let history = credentials::disclosures(&w.holder).unwrap();
        assert_eq!(history[0].audience, Some(ours.audience()));
        assert_eq!(history[1].audience.as_deref(), Some("urn:laissez:static"));
    }
}
