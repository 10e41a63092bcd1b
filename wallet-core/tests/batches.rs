//! Batches of one-time copies (issue 14 item 3, ADR 0017): import all copies or none, present
//! each copy once, warn when few are left, refuse when none are (unless the wallet reuses the
//! last copy).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::{CREDENTIAL_KIND, CredentialFormat};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::{
    ExpectedBinding, TrustedIssuer, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::credentials::{self, CopiesState, DISCLOSURE_KIND};
use wallet_core::wallet::settings::{self, WalletSettings};
use wallet_core::wallet::{CredentialError, ImportOptions, PresentationBinding, holder_keys};

const NOW: i64 = 1_790_000_000;
const FORMATS: [CredentialFormat; 2] = [CredentialFormat::SdJwt, CredentialFormat::Mdoc];

fn wallet(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

fn options() -> ImportOptions {
    ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata: None,
    }
}

fn order(
    format: CredentialFormat,
    holder: &wallet_core::crypto::ecdsa::VerifyingKey,
) -> CredentialOrder {
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
        holder_key: holder.clone(),
        valid_days: 365,
        status: None,
        now: NOW,
        portrait: None,
    }
}

/// `n` copies of one credential, each to a new derived key of `store`.
fn batch(
    store: &mut WalletStore,
    issuer: &IssuerIdentity,
    format: CredentialFormat,
    n: usize,
) -> Vec<Vec<u8>> {
    (0..n)
        .map(|_| {
            let key = holder_keys::create_derived(store).unwrap();
            issue_credential(issuer, &order(format, &key.public_key)).unwrap()
        })
        .collect()
}

fn binding(nonce: &str, audience: &str) -> PresentationBinding {
    PresentationBinding::NonceAudience {
        nonce: nonce.into(),
        audience: audience.into(),
    }
}

fn claims(format: CredentialFormat) -> Vec<String> {
    match format {
        CredentialFormat::SdJwt => vec!["given_name".into(), "nationality".into()],
        CredentialFormat::Mdoc => vec![
            "given_name".into(),
            "org.iom.registration.1/nationality".into(),
        ],
    }
}

#[test]
fn a_batch_is_one_credential_with_all_its_copies() {
    for format in FORMATS {
        let dir = tempfile::tempdir().unwrap();
        let mut store = wallet(&dir, "w.db");
        let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
        let copies = batch(&mut store, &issuer, format, 3);
        let summary = credentials::import_batch(&mut store, &copies, &options()).unwrap();
        assert_eq!((summary.copies_total, summary.copies_left), (3, 3));
        assert_eq!(summary.copies_state(), CopiesState::Plenty);
        assert_eq!(summary.format, format);
        assert_eq!(credentials::list(&store).unwrap(), vec![summary.clone()]);
        let stored = credentials::load(&store, summary.id).unwrap();
        assert_eq!(
            stored
                .copies
                .iter()
                .map(|c| c.holder_key_slot)
                .collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        assert_eq!(
            stored
                .copies
                .iter()
                .map(|c| c.issued.clone())
                .collect::<Vec<_>>(),
            copies
        );
        let detail = credentials::show(&store, summary.id, "en").unwrap();
        assert_eq!(detail.summary.copies_total, 3);
        assert!(detail.claims.len() >= 6);

        // Again, or any one copy of it alone: already in the wallet, nothing added.
        for again in [&copies[..], &copies[1..2]] {
            assert!(matches!(
                credentials::import_batch(&mut store, again, &options()),
                Err(CredentialError::AlreadyImported)
            ));
        }
        assert_eq!(store.count(CREDENTIAL_KIND, &[]).unwrap(), 1);

        // A single copy is a batch of one.
        let single = batch(&mut store, &issuer, format, 1);
        let one = credentials::import(&mut store, &single[0], &options()).unwrap();
        assert_eq!((one.copies_total, one.copies_left), (1, 1));
        assert_eq!(one.copies_state(), CopiesState::Single);
    }
}

/// Each bad batch is refused with its own error, and the wallet holds no credential after.
#[test]
fn bad_batches_are_refused_whole() {
    for format in FORMATS {
        let dir = tempfile::tempdir().unwrap();
        let mut store = wallet(&dir, "w.db");
        let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
        let good = batch(&mut store, &issuer, format, 2);

        assert!(matches!(
            credentials::import_batch(&mut store, &[], &options()),
            Err(CredentialError::EmptyBatch)
        ));

        // Two copies for one key.
        let key = holder_keys::create_derived(&mut store).unwrap();
        let twice: Vec<Vec<u8>> = (0..2)
            .map(|_| issue_credential(&issuer, &order(format, &key.public_key)).unwrap())
            .collect();
        assert!(matches!(
            credentials::import_batch(&mut store, &twice, &options()),
            Err(CredentialError::HolderKeyUsedTwice)
        ));

        // A copy for a key this wallet does not hold.
        let stranger = SigningKey::generate().unwrap();
        let foreign = issue_credential(&issuer, &order(format, stranger.public_key())).unwrap();
        assert!(matches!(
            credentials::import_batch(&mut store, &[good[0].clone(), foreign], &options()),
            Err(CredentialError::NotBoundToThisWallet)
        ));

        // Other claim values.
        let key = holder_keys::create_derived(&mut store).unwrap();
        let mut changed = order(format, &key.public_key);
        changed.claims.insert("given_name".into(), json!("Amna"));
        let other_claims = issue_credential(&issuer, &changed).unwrap();
        assert!(matches!(
            credentials::import_batch(&mut store, &[good[0].clone(), other_claims], &options()),
            Err(CredentialError::CopiesDiffer("claim values"))
        ));

        // Another issuer, another type, another format.
        let other_issuer = IssuerIdentity::generate("Someone else", NOW - 10, 3650).unwrap();
        let key = holder_keys::create_derived(&mut store).unwrap();
        let foreign_issuer =
            issue_credential(&other_issuer, &order(format, &key.public_key)).unwrap();
        assert!(matches!(
            credentials::import_batch(&mut store, &[good[0].clone(), foreign_issuer], &options()),
            Err(CredentialError::CopiesDiffer("issuer"))
        ));
        let key = holder_keys::create_derived(&mut store).unwrap();
        let mut typed = order(format, &key.public_key);
        typed.credential_type.push_str(".other");
        let other_type = issue_credential(&issuer, &typed).unwrap();
        assert!(matches!(
            credentials::import_batch(&mut store, &[good[0].clone(), other_type], &options()),
            Err(CredentialError::CopiesDiffer("type"))
        ));
        let key = holder_keys::create_derived(&mut store).unwrap();
        let other_format = match format {
            CredentialFormat::SdJwt => CredentialFormat::Mdoc,
            CredentialFormat::Mdoc => CredentialFormat::SdJwt,
        };
        let other_format =
            issue_credential(&issuer, &order(other_format, &key.public_key)).unwrap();
        assert!(matches!(
            credentials::import_batch(&mut store, &[good[0].clone(), other_format], &options()),
            Err(CredentialError::CopiesDiffer("format"))
        ));

        // A damaged copy; the same copy twice.
        let damaged = good[1][..good[1].len() / 2].to_vec();
        assert!(
            credentials::import_batch(&mut store, &[good[0].clone(), damaged], &options()).is_err()
        );
        assert!(
            credentials::import_batch(&mut store, &[good[0].clone(), good[0].clone()], &options())
                .is_err()
        );

        let too_many = vec![good[0].clone(); credentials::MAX_COPIES + 1];
        assert!(matches!(
            credentials::import_batch(&mut store, &too_many, &options()),
            Err(CredentialError::TooManyCopies(_))
        ));

        assert_eq!(store.count(CREDENTIAL_KIND, &[]).unwrap(), 0);
        // The good batch still imports.
        credentials::import_batch(&mut store, &good, &options()).unwrap();
        assert_eq!(store.count(CREDENTIAL_KIND, &[]).unwrap(), 1);
    }
}

fn verify(
    issuer: &IssuerIdentity,
    bytes: &[u8],
    nonce: &str,
    audience: &str,
) -> wallet_core::verifier::Verdict {
    let trusted = [TrustedIssuer::from_bytes(&issuer.certificate).unwrap()];
    let expect = ExpectedBinding::NonceAudience {
        nonce: nonce.into(),
        audience: audience.into(),
    };
    verify_presentation(&VerificationRequest {
        presentation: bytes,
        binding: &expect,
        trusted: &trusted,
        now: NOW + 6,
        lang: "en",
        type_metadata: &[],
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    })
}

#[test]
fn each_copy_is_presented_once_then_none_are_left() {
    for format in FORMATS {
        let dir = tempfile::tempdir().unwrap();
        let mut store = wallet(&dir, "w.db");
        let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
        let copies = batch(&mut store, &issuer, format, 3);
        let id = credentials::import_batch(&mut store, &copies, &options())
            .unwrap()
            .id;
        let wanted = claims(format);
        let mut states = Vec::new();
        for n in 0..3 {
            let nonce = format!("n-{n}");
            let presentation = credentials::present(
                &mut store,
                id,
                &wanted,
                &binding(&nonce, "https://v.example"),
                NOW + 5,
                None,
            )
            .unwrap();
            let verdict = verify(&issuer, &presentation.bytes, &nonce, "https://v.example");
            assert!(verdict.valid, "{:?}", verdict.reasons);
            let stored = credentials::load(&store, id).unwrap();
            // The copy used is the one marked, in the same write as its disclosure record.
            assert_eq!(stored.copies[n].presented_at, Some(NOW + 5));
            assert_eq!(store.count(DISCLOSURE_KIND, &[]).unwrap(), n as u64 + 1);
            let summary = &credentials::list(&store).unwrap()[0];
            states.push((summary.copies_left, summary.copies_state()));
        }
        assert_eq!(
            states,
            vec![
                (2, CopiesState::Plenty),
                (1, CopiesState::Low),
                (0, CopiesState::Exhausted)
            ]
        );
        assert!(CopiesState::Low.warns() && CopiesState::Exhausted.warns());

        // None left: refused, nothing recorded.
        assert!(matches!(
            credentials::present(
                &mut store,
                id,
                &wanted,
                &binding("n-9", "https://v.example"),
                NOW + 9,
                None
            ),
            Err(CredentialError::NoCopiesLeft)
        ));
        assert_eq!(store.count(DISCLOSURE_KIND, &[]).unwrap(), 3);

        // With reuse on, the copy presented last is presented again.
        settings::save(
            &mut store,
            &WalletSettings {
                reuse_last_copy: true,
            },
        )
        .unwrap();
        let again = credentials::present(
            &mut store,
            id,
            &wanted,
            &binding("n-9", "https://v.example"),
            NOW + 9,
            None,
        )
        .unwrap();
        assert!(verify(&issuer, &again.bytes, "n-9", "https://v.example").valid);
        let stored = credentials::load(&store, id).unwrap();
        assert_eq!(
            stored
                .copies
                .iter()
                .map(|c| c.presented_at)
                .collect::<Vec<_>>(),
            vec![Some(NOW + 5), Some(NOW + 5), Some(NOW + 9)]
        );
        assert_eq!(store.count(DISCLOSURE_KIND, &[]).unwrap(), 4);
    }
}

#[test]
fn a_single_copy_is_presented_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
    let copies = batch(&mut store, &issuer, CredentialFormat::SdJwt, 1);
    let id = credentials::import(&mut store, &copies[0], &options())
        .unwrap()
        .id;
    for n in 0..3 {
        let nonce = format!("n-{n}");
        credentials::present(
            &mut store,
            id,
            &claims(CredentialFormat::SdJwt),
            &binding(&nonce, "a"),
            NOW + 5,
            None,
        )
        .unwrap();
    }
    let summary = &credentials::list(&store).unwrap()[0];
    assert_eq!((summary.copies_total, summary.copies_left), (1, 0));
    assert_eq!(summary.copies_state(), CopiesState::Single);
}

/// A presentation that fails (an unknown claim) uses up no copy.
#[test]
fn a_failed_presentation_keeps_its_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = wallet(&dir, "w.db");
    let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
    let copies = batch(&mut store, &issuer, CredentialFormat::Mdoc, 2);
    let id = credentials::import_batch(&mut store, &copies, &options())
        .unwrap()
        .id;
    assert!(
        credentials::present(
            &mut store,
            id,
            &["no_such_claim".into()],
            &binding("n", "a"),
            NOW,
            None
        )
        .is_err()
    );
    assert_eq!(credentials::load(&store, id).unwrap().copies_left(), 2);
    assert_eq!(store.count(DISCLOSURE_KIND, &[]).unwrap(), 0);
}

/// A backup carries every copy and its presented state; restoring an older backup into the
/// wallet keeps the credential once, with every copy presented in either marked presented.
#[test]
fn backups_carry_copies_and_restores_never_unpresent_a_copy() {
    use wallet_core::backup;
    use wallet_core::mnemonic::RecoveryPhrase;
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut store, phrase) =
        WalletStore::create(dir.path().join("w.db"), "2468", options.clone()).unwrap();
    let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
    let copies = batch(&mut store, &issuer, CredentialFormat::SdJwt, 3);
    let id = credentials::import_batch(&mut store, &copies, &options_now())
        .unwrap()
        .id;
    let wanted = claims(CredentialFormat::SdJwt);
    credentials::present(&mut store, id, &wanted, &binding("n-1", "a"), NOW + 5, None).unwrap();
    let older = backup::create(&store, NOW + 6).unwrap();

    // A new phone: every copy and the presented state come back; the next copy is fresh.
    let words = RecoveryPhrase::parse(&phrase.phrase()).unwrap();
    let contents = backup::open_with_phrase(&older, &words).unwrap();
    let (mut phone, _) = backup::restore_new_wallet(
        &dir.path().join("phone.db"),
        &words,
        "1357",
        &contents,
        options,
        &mut |_, _| {},
    )
    .unwrap();
    // Records get new ids in the new file.
    let phone_id = credentials::list(&phone).unwrap()[0].id;
    let restored = credentials::load(&phone, phone_id).unwrap();
    assert_eq!(restored, credentials::load(&store, id).unwrap());
    assert_eq!((restored.copies_total(), restored.copies_left()), (3, 2));
    let shown = credentials::present(
        &mut phone,
        phone_id,
        &wanted,
        &binding("n-2", "b"),
        NOW + 7,
        None,
    )
    .unwrap();
    assert!(verify_ok(&issuer, &shown.bytes, "n-2", "b"));

    // The old phone presents more, then the older backup is restored into it again.
    credentials::present(&mut store, id, &wanted, &binding("n-3", "c"), NOW + 8, None).unwrap();
    let contents = backup::open_with_store(&older, &store).unwrap();
    backup::restore(&mut store, &contents, &mut |_, _| {}).unwrap();
    assert_eq!(store.count(CREDENTIAL_KIND, &[]).unwrap(), 1);
    assert_eq!(credentials::load(&store, id).unwrap().copies_left(), 1);

    // A newer backup restored into the phone marks the copies the old phone used.
    let newer = backup::create(&store, NOW + 9).unwrap();
    let contents = backup::open_with_store(&newer, &phone).unwrap();
    backup::restore(&mut phone, &contents, &mut |_, _| {}).unwrap();
    assert_eq!(phone.count(CREDENTIAL_KIND, &[]).unwrap(), 1);
    let merged = credentials::load(&phone, phone_id).unwrap();
    // Both phones used copy 1 and copy 2 (each its own presentation): one copy left.
    assert_eq!(merged.copies_left(), 1, "{:?}", merged.copies);
}

fn options_now() -> ImportOptions {
    options()
}

fn verify_ok(issuer: &IssuerIdentity, bytes: &[u8], nonce: &str, audience: &str) -> bool {
    let mut verdict = verify(issuer, bytes, nonce, audience);
    if !verdict.valid {
        eprintln!("{:?}", verdict.reasons);
    }
    verdict.claims.clear();
    verdict.valid
}
