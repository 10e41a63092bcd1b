//! Two presentations of one credential, made from two copies of its batch to two verifiers,
//! share no byte string of 16 bytes or more that would let the verifiers link them (issue 14
//! item 3, ADR 0017).
//!
//! What two presentations may share: the disclosed values, the issuer's certificates, and
//! whatever every credential of that type from that issuer with those values carries (its
//! type, the issuer's identifier, the CBOR and JSON structure around them, the day it was
//! issued). That last part is measured, not listed: presentations of the same claims issued
//! separately, an hour later and on, to another wallet, are the baseline (several of them:
//! an mdoc's digest IDs are a random permutation of a few numbers, so two unrelated
//! credentials share some by chance, as two copies do); 16-byte windows they hold, or that
//! lie inside a disclosed value or a certificate, are stripped (allowing for chance: a
//! shared window must hold 4 bytes outside them to count). What is left in common — a holder key, a salt, a digest, a signature, a status index, an issuance time
//! to the second — would link the two. Presentations are compared in decoded form (the
//! SD-JWT's base64url parts decoded, the mdoc's CBOR as it is), so an encoding offset cannot
//! hide a shared string. The same check on two presentations of ONE copy must find links,
//! so the check is known to bite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use laissez_test_support::linkability;
use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, StatusAllocator, issue_batch};
use wallet_core::jose::base64url;
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::status_cache::CachedStatusList;
use wallet_core::verifier::status_list::{StatusList, StatusListBuilder};
use wallet_core::verifier::{
    ExpectedBinding, Reason, TrustedIssuer, Verdict, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::credentials;
use wallet_core::wallet::settings::{self, WalletSettings};
use wallet_core::wallet::{ImportOptions, PresentationBinding, holder_keys};

/// 14:13 UTC: an hour later is the same day.
const NOW: i64 = 1_790_000_000;
const STATUS_URI: &str = "https://desk.example/status/1";
const VALUES: [&str; 2] = ["Amina", "SD"];
/// Independent credentials in the baseline: an mdoc disclosing 2 of its 6 elements shows a
/// given digest ID with probability 1/3, so a shared ID goes unexplained by all of them with
/// probability (2/3)^24 < 1e-4.
const BASELINES: usize = 24;

fn wallet(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

fn order(format: CredentialFormat, store: &mut WalletStore, now: i64) -> CredentialOrder {
    let claims = json!({
        "given_name": VALUES[0], "family_name": "Haddad", "birth_date": "1990-05-01",
        "nationality": VALUES[1], "registration_id": "IOM-2026-0042", "place_of_birth": "Khartoum"
    });
    CredentialOrder {
        format,
        credential_type: match format {
            CredentialFormat::SdJwt => "urn:laissez:iom:registration:1".into(),
            CredentialFormat::Mdoc => "org.iom.registration.1".into(),
        },
        claims: claims.as_object().cloned().unwrap(),
        holder_key: holder_keys::default_key(store).unwrap().public_key,
        valid_days: 365,
        status: None,
        now,
        portrait: None,
    }
}

/// Issues `n` copies to new derived keys of `store` and imports them; returns the id.
fn batch_into(
    store: &mut WalletStore,
    issuer: &IssuerIdentity,
    allocator: &mut StatusAllocator,
    credential_id: &str,
    format: CredentialFormat,
    n: usize,
    now: i64,
) -> wallet_core::store::RecordId {
    let template = order(format, store, now);
    let keys: Vec<_> = (0..n)
        .map(|_| holder_keys::create_derived(store).unwrap().public_key)
        .collect();
    let copies = issue_batch(issuer, &template, &keys, Some((allocator, credential_id))).unwrap();
    assert_eq!(copies.len(), n);
    let options = ImportOptions {
        issuer_keys: vec![],
        now: now + 10,
        type_metadata: None,
    };
    credentials::import_batch(store, &copies, &options)
        .unwrap()
        .id
}

fn wanted(format: CredentialFormat) -> Vec<String> {
    match format {
        CredentialFormat::SdJwt => vec!["given_name".into(), "nationality".into()],
        CredentialFormat::Mdoc => vec![
            "given_name".into(),
            "org.iom.registration.1/nationality".into(),
        ],
    }
}

struct Shown {
    bytes: Vec<u8>,
    nonce: String,
    audience: String,
    at: i64,
}

fn present(
    store: &mut WalletStore,
    id: wallet_core::store::RecordId,
    format: CredentialFormat,
    verifier: u32,
    at: i64,
) -> Shown {
    // Each verifier's own nonce, random as verifiers make them.
    let nonce = hex::encode(wallet_core::crypto::random::bytes::<16>().unwrap());
    let audience = format!("https://verifier-{verifier}.example");
    let binding = PresentationBinding::NonceAudience {
        nonce: nonce.clone(),
        audience: audience.clone(),
    };
    let bytes = credentials::present(store, id, &wanted(format), &binding, at, None)
        .unwrap()
        .bytes;
    Shown {
        bytes,
        nonce,
        audience,
        at,
    }
}

fn verify(issuer: &IssuerIdentity, shown: &Shown, status: &[CachedStatusList]) -> Verdict {
    let trusted = [TrustedIssuer::from_bytes(issuer.trust_anchor()).unwrap()];
    let binding = ExpectedBinding::NonceAudience {
        nonce: shown.nonce.clone(),
        audience: shown.audience.clone(),
    };
    verify_presentation(&VerificationRequest {
        presentation: &shown.bytes,
        binding: &binding,
        trusted: &trusted,
        now: shown.at + 1,
        lang: "en",
        type_metadata: &[],
        status_lists: status,
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    })
}

/// The byte strings a verifier receives: an SD-JWT's parts (issuer JWT, disclosures, key
/// binding JWT) with every base64url segment decoded; an mdoc DeviceResponse as it is.
fn decoded(format: CredentialFormat, bytes: &[u8]) -> Vec<Vec<u8>> {
    match format {
        CredentialFormat::Mdoc => vec![bytes.to_vec()],
        CredentialFormat::SdJwt => std::str::from_utf8(bytes)
            .unwrap()
            .split('~')
            .flat_map(|part| part.split('.'))
            .filter(|segment| !segment.is_empty())
            .map(|segment| base64url::decode(segment).expect("every SD-JWT segment is base64url"))
            .collect(),
    }
}

/// The 16-byte windows `a` and `b` share that are not explained by the baseline, the
/// certificates or a disclosed value (`laissez_test_support::linkability::links`, shared with
/// `laissez demo`).
fn links(
    format: CredentialFormat,
    a: &Shown,
    b: &Shown,
    baseline: &[Shown],
    allowed: &[Vec<u8>],
) -> Vec<String> {
    let base_parts: Vec<Vec<u8>> = baseline
        .iter()
        .flat_map(|shown| decoded(format, &shown.bytes))
        .collect();
    linkability::links(
        &decoded(format, &a.bytes),
        &decoded(format, &b.bytes),
        &base_parts,
        allowed,
    )
}

#[test]
fn two_copies_presented_to_two_verifiers_share_nothing_that_links_them() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let dir = tempfile::tempdir().unwrap();
        let issuer = IssuerIdentity::generate("IOM Field Office", NOW - 10, 3650).unwrap();
        let mut allocator = StatusAllocator::new(STATUS_URI, 100_000).unwrap();
        let mut holder = wallet(&dir, "holder.db");
        let id = batch_into(
            &mut holder,
            &issuer,
            &mut allocator,
            "cred-1",
            format,
            3,
            NOW,
        );
        let first = present(&mut holder, id, format, 1, NOW + 3_701);
        let second = present(&mut holder, id, format, 2, NOW + 3_813);
        // The baseline: the same claims, issued separately from an hour later on, to another
        // wallet, each presented to a verifier of its own.
        let mut other = wallet(&dir, "other.db");
        let baseline: Vec<Shown> = (0..BASELINES)
            .map(|n| {
                let at = NOW + 3_600 + 60 * n as i64;
                let other_id = batch_into(
                    &mut other,
                    &issuer,
                    &mut allocator,
                    &format!("baseline-{n}"),
                    format,
                    1,
                    at,
                );
                present(&mut other, other_id, format, 100 + n as u32, at + 30)
            })
            .collect();
        for shown in [&first, &second].into_iter().chain(&baseline) {
            let verdict = verify(&issuer, shown, &[]);
            assert!(verdict.valid, "{format:?} {:?}", verdict.reasons);
        }

        let mut allowed: Vec<Vec<u8>> = issuer.chain();
        allowed.push(issuer.trust_anchor().to_vec());
        allowed.extend(VALUES.iter().map(|v| v.as_bytes().to_vec()));
        let found = links(format, &first, &second, &baseline, &allowed);
        assert!(found.is_empty(), "{format:?}: the copies share {found:#?}");

        // Once every copy is used, a wallet that reuses the last copy presents it again:
        // those two presentations are linked, and the check finds it.
        present(&mut holder, id, format, 4, NOW + 3_850);
        settings::save(
            &mut holder,
            &WalletSettings {
                reuse_last_copy: true,
            },
        )
        .unwrap();
        let third = present(&mut holder, id, format, 5, NOW + 3_950);
        let reused = present(&mut holder, id, format, 6, NOW + 4_000);
        let found = links(format, &third, &reused, &baseline, &allowed);
        assert!(
            found.len() >= 4,
            "{format:?}: one copy presented twice must share its key, salts, signature: {found:#?}"
        );

        // Revoking the credential revokes every copy: the allocator knows all its indexes.
        let indexes = allocator.indexes_of("cred-1").unwrap().to_vec();
        assert_eq!(indexes.len(), 3);
        let mut builder = StatusListBuilder::new(1, u64::from(allocator.size())).unwrap();
        for index in &indexes {
            builder.set(u64::from(*index), 1).unwrap();
        }
        let token = builder
            .to_jwt(STATUS_URI, NOW + 3_600, None, None, &issuer.key)
            .unwrap();
        let list = StatusList::from_jwt(&token, issuer.key.public_key(), NOW + 3_600).unwrap();
        let cached = [CachedStatusList {
            list,
            fetched_at: NOW + 3_600,
            // Cached under the trusted anchor (the authority), as the verifier's cache does.
            issuer_key: TrustedIssuer::from_bytes(issuer.trust_anchor())
                .unwrap()
                .key,
        }];
        for shown in [&first, &second, &reused] {
            let verdict = verify(&issuer, shown, &cached);
            assert_eq!(verdict.reasons, vec![Reason::Revoked], "{format:?}");
        }
        let verdict = verify(&issuer, &baseline[0], &cached);
        assert!(verdict.valid, "{format:?} {:?}", verdict.reasons);
    }
}
