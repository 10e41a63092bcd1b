//! The field verifier on its own encrypted store: request → holder response → verdict, the
//! replay cache, responses to other requests, static presentations, the log and retention,
//! the installed trust list and cached status lists.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::credential::StatusReference;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::qr::Envelope;
use wallet_core::qr::envelope;
use wallet_core::store::{RecordId, StoreOptions, WalletStore};
use wallet_core::verifier::field_verifier::{
    self, FieldVerifierError, RetentionPolicy, VerifyOptions,
};
use wallet_core::verifier::status_list::{StatusListBuilder, StatusState};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::{Reason, Verdict, status_cache, trust_store};
use wallet_core::wallet::respond::{self, Consent, RespondError, UnverifiedAcknowledgement};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

const NOW: i64 = 1_790_000_000;

fn store(dir: &tempfile::TempDir, name: &str) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join(name), "2468", options)
        .unwrap()
        .0
}

const STATUS_URI: &str = "https://status.example/lists/7";
const STATUS_INDEX: u64 = 42;
const TYPE: &str = "org.laissez.id.1";

struct World {
    _dir: tempfile::TempDir,
    holder: WalletStore,
    verifier: WalletStore,
    issuer: IssuerIdentity,
}

fn verify(store: &mut WalletStore, message: &Envelope, now: i64) -> Vec<Verdict> {
    field_verifier::verify_message(store, message, &VerifyOptions::new(now, "en")).unwrap()
}

/// Installs a trust list naming `issuer` for `types` (empty: any) in `store`.
fn trust(store: &mut WalletStore, issuer: &IssuerIdentity, types: &[&str], days: u32) {
    let signer = SigningKey::derive(&[9; 32]).unwrap();
    let sequence = trust_store::installed(store)
        .unwrap()
        .map_or(1, |i| i.list.sequence + 1);
    let mut list = TrustList::new(sequence, NOW - 60, days);
    list.add_issuer_certificate(
        "IOM field office",
        &issuer.certificate,
        NOW - 60,
        NOW + 86_400,
    )
    .unwrap()
    .credential_types = types.iter().map(|t| (*t).to_owned()).collect();
    let signed = list.sign(&signer).unwrap();
    trust_store::install(store, &signed, Some(signer.public_key()), NOW - 30).unwrap();
}

/// A status list from `issuer` with the credential's entry set to `value`, issued at `iat`.
fn status_token(issuer: &IssuerIdentity, value: u8, iat: i64) -> String {
    let mut builder = StatusListBuilder::new(2, 128).unwrap();
    builder.set(STATUS_INDEX, value).unwrap();
    builder
        .to_jwt(STATUS_URI, iat, None, Some(43_200), &issuer.key)
        .unwrap()
}

fn world(format: CredentialFormat) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut holder = store(&dir, "holder.db");
    let mut verifier = store(&dir, "verifier.db");
    let key = holder_keys::default_key(&mut holder).unwrap();
    let issuer = IssuerIdentity::generate("IOM", NOW - 10, 3650).unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad", "nationality": "SD"});
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
    credentials::import(
        &mut holder,
        &issued,
        &ImportOptions {
            issuer_keys: vec![],
            now: NOW,
            type_metadata: None,
        },
    )
    .unwrap();
    trust(&mut verifier, &issuer, &[TYPE], 30);
    World {
        _dir: dir,
        holder,
        verifier,
        issuer,
    }
}

/// The holder's answer with `claims` of `credential_id`, after seeing the UNVERIFIED warning
/// (these requests name no registrar the holder trusts).
fn answer(
    holder: &mut WalletStore,
    view: &respond::RequestView,
    credential_id: RecordId,
    claims: &[&str],
    now: i64,
) -> Envelope {
    let consent = Consent {
        credential_id,
        claims: claims.iter().map(|c| (*c).to_owned()).collect(),
        allowed_beyond_scope: Vec::new(),
    };
    respond::respond(
        holder,
        view,
        &[consent],
        Some(UnverifiedAcknowledgement::of(view)),
        now,
    )
    .unwrap()
}

fn requested() -> Vec<RequestedCredential> {
    vec![RequestedCredential {
        credential_type: TYPE.into(),
        claims: vec![
            RequestedClaim {
                path: "given_name".into(),
                required: true,
            },
            RequestedClaim {
                path: "nationality".into(),
                required: false,
            },
            RequestedClaim {
                path: "photo".into(),
                required: false,
            },
        ],
    }]
}

fn engaged(format: CredentialFormat) {
    let mut w = world(format);
    let request =
        field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 300, NOW)
            .unwrap();
    // Through the QR text, as a camera would carry it.
    let scanned = envelope::decode(&envelope::encode(&request).unwrap()).unwrap();
    let view = respond::read_request(&w.holder, &scanned, NOW + 2).unwrap();
    let candidate = &view.matches[0].candidates[0];
    assert!(candidate.satisfies_required);
    assert_eq!(
        candidate.claims.iter().filter(|(_, has)| !has).count(),
        1,
        "the photo is missing"
    );
    // Asking for something not requested is refused; the missing optional claim is skipped.
    let id = candidate.credential.id;
    let bad = Consent {
        credential_id: id,
        claims: vec!["family_name".into()],
        allowed_beyond_scope: Vec::new(),
    };
    assert!(matches!(
        respond::respond(
            &mut w.holder,
            &view,
            &[bad],
            Some(UnverifiedAcknowledgement::of(&view)),
            NOW + 3
        ),
        Err(RespondError::NotRequested(_))
    ));
    let response = answer(&mut w.holder, &view, id, &["given_name"], NOW + 3);

    let verdicts = verify(&mut w.verifier, &response, NOW + 4);
    assert!(verdicts[0].valid, "{:?}", verdicts[0].reasons);
    assert_eq!(verdicts[0].claims.len(), 1);
    assert_eq!(
        verdicts[0].issuer.as_ref().unwrap().name.as_deref(),
        Some("IOM field office"),
        "the name comes from the trust list"
    );
    // No status list cached: status unknown, never revoked.
    let status = verdicts[0].status.as_ref().unwrap();
    assert_eq!(
        (status.state, status.age_secs),
        (StatusState::Unknown, None)
    );
    // The same response again is a replay.
    let again = verify(&mut w.verifier, &response, NOW + 5);
    assert_eq!(again[0].reasons, vec![Reason::Replay]);
    // A response for a request this verifier never made.
    let mut other_verifier = store(&w._dir, "other.db");
    trust(&mut other_verifier, &w.issuer, &[], 30);
    let rejected = verify(&mut other_verifier, &response, NOW + 5);
    assert_eq!(rejected[0].reasons, vec![Reason::WrongRequest]);
    // Too late.
    let late = verify(&mut w.verifier, &response, NOW + 3_600);
    assert_eq!(late[0].reasons, vec![Reason::WrongRequest]);
    // An expired request cannot be answered.
    assert!(respond::read_request(&w.holder, &scanned, NOW + 301).is_err());

    let log = field_verifier::log_entries(&w.verifier).unwrap();
    assert_eq!(log.len(), 3);
    assert!(log[0].valid && !log[1].valid);
    assert_eq!(
        field_verifier::export_log(&w.verifier)
            .unwrap()
            .lines()
            .count(),
        3
    );
    let removed = field_verifier::prune(
        &mut w.verifier,
        RetentionPolicy {
            max_entries: 1,
            max_age_secs: 86_400,
        },
        NOW + 10_000,
    )
    .unwrap();
    assert!(removed >= 2);
    assert_eq!(field_verifier::log_entries(&w.verifier).unwrap().len(), 1);
}

#[test]
fn engaged_sd_jwt() {
    engaged(CredentialFormat::SdJwt);
}

#[test]
fn engaged_mdoc() {
    engaged(CredentialFormat::Mdoc);
}

#[test]
fn static_presentation_window_and_replay() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        let id = credentials::list(&w.holder).unwrap()[0].id;
        let shown = respond::present_static(&mut w.holder, id, &["given_name".into()], NOW, None)
            .unwrap()
            .envelope;
        let ok = verify(&mut w.verifier, &shown, NOW + 30);
        assert!(ok[0].valid, "{format:?} {:?}", ok[0].reasons);
        let replay = verify(&mut w.verifier, &shown, NOW + 31);
        assert_eq!(replay[0].reasons, vec![Reason::Replay]);
        let stale = verify(&mut w.verifier, &shown, NOW + 1_000);
        assert_eq!(stale[0].reasons, vec![Reason::StalePresentation]);
    }
}

#[test]
fn a_static_presentation_is_accepted_until_the_moment_the_holder_is_told() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        let id = credentials::list(&w.holder).unwrap()[0].id;
        let shown =
            respond::present_static(&mut w.holder, id, &["given_name".into()], NOW, None).unwrap();
        assert!(shown.accepted_until > NOW, "{format:?}");
        let last = verify(&mut w.verifier, &shown.envelope, shown.accepted_until - 1);
        assert!(last[0].valid, "{format:?} {:?}", last[0].reasons);
        let late = verify(&mut w.verifier, &shown.envelope, shown.accepted_until);
        assert_eq!(
            late[0].reasons,
            vec![Reason::StalePresentation],
            "{format:?}"
        );
    }
}

/// A fresh static presentation of the world's credential, verified at `at`.
fn shown_and_verified(w: &mut World, at: i64) -> Verdict {
    let id = credentials::list(&w.holder).unwrap()[0].id;
    let shown = respond::present_static(&mut w.holder, id, &["given_name".into()], at, None)
        .unwrap()
        .envelope;
    verify(&mut w.verifier, &shown, at + 1).remove(0)
}

#[test]
fn status_lists_decide_revocation_with_the_age_of_their_data() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        let trusted = trust_store::installed(&w.verifier)
            .unwrap()
            .unwrap()
            .list
            .issuers_at(NOW, None);
        let cache = |w: &mut World, value: u8, iat: i64| {
            let token = status_token(&w.issuer, value, iat);
            status_cache::import(&mut w.verifier, token.as_bytes(), &trusted, iat).unwrap();
        };

        cache(&mut w, 0, NOW);
        let valid = shown_and_verified(&mut w, NOW + 600);
        assert!(valid.valid, "{format:?} {:?}", valid.reasons);
        let status = valid.status.unwrap();
        assert_eq!(status.state, StatusState::Valid);
        assert_eq!(status.age_secs, Some(601));
        assert_eq!(
            (status.uri.as_str(), status.index),
            (STATUS_URI, STATUS_INDEX)
        );

        cache(&mut w, 2, NOW + 700);
        let suspended = shown_and_verified(&mut w, NOW + 800);
        assert_eq!(suspended.reasons, vec![Reason::Suspended], "{format:?}");

        cache(&mut w, 1, NOW + 900);
        let revoked = shown_and_verified(&mut w, NOW + 1_000);
        assert!(!revoked.valid);
        assert_eq!(revoked.reasons, vec![Reason::Revoked]);
        assert!(revoked.claims.is_empty());

        // Past the list's ttl (12 h) the data is stale: reported, last known value shown,
        // and the credential is not called revoked.
        let later = NOW + 900 + 43_201;
        let stale = shown_and_verified(&mut w, later);
        assert!(stale.valid, "{format:?} {:?}", stale.reasons);
        let status = stale.status.unwrap();
        assert_eq!(status.state, StatusState::Stale);
        assert_eq!(status.last_known.as_deref(), Some("invalid"));
        assert_eq!(status.age_secs, Some(43_202));
    }
}

#[test]
fn a_status_list_from_another_issuer_is_refused() {
    let mut w = world(CredentialFormat::SdJwt);
    let stranger = IssuerIdentity::generate("Other", NOW - 10, 3650).unwrap();
    let trusted = trust_store::installed(&w.verifier)
        .unwrap()
        .unwrap()
        .list
        .issuers_at(NOW, None);
    let token = status_token(&stranger, 1, NOW);
    assert!(matches!(
        status_cache::import(&mut w.verifier, token.as_bytes(), &trusted, NOW),
        Err(status_cache::StatusCacheError::UnknownSigner)
    ));
    assert!(shown_and_verified(&mut w, NOW + 10).valid);
}

#[test]
fn the_trust_list_decides_which_issuers_and_types_are_accepted() {
    let mut w = world(CredentialFormat::Mdoc);
    // A list that trusts the issuer for another type only.
    trust(&mut w.verifier, &w.issuer, &["org.other.type"], 30);
    let verdict = shown_and_verified(&mut w, NOW + 10);
    assert_eq!(verdict.reasons, vec![Reason::IssuerNotAllowed]);
    assert!(verdict.claims.is_empty());

    // Without any list: a clear error, not a verdict.
    let mut bare = store(&w._dir, "bare.db");
    let id = credentials::list(&w.holder).unwrap()[0].id;
    let shown = respond::present_static(&mut w.holder, id, &["given_name".into()], NOW, None)
        .unwrap()
        .envelope;
    assert!(matches!(
        field_verifier::verify_message(&mut bare, &shown, &VerifyOptions::new(NOW + 1, "en")),
        Err(FieldVerifierError::NoTrustList)
    ));
    // An expired list vouches for nobody.
    assert!(matches!(
        field_verifier::verify_message(
            &mut w.verifier,
            &shown,
            &VerifyOptions::new(NOW + 31 * 86_400, "en")
        ),
        Err(FieldVerifierError::TrustListExpired { .. })
    ));
}

#[test]
fn consent_is_checked_per_requested_credential_and_history_names_the_verifier() {
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let mut w = world(format);
        // Given name of our type, family name only of another type.
        let credentials = vec![
            RequestedCredential {
                credential_type: TYPE.into(),
                claims: vec![RequestedClaim {
                    path: "given_name".into(),
                    required: true,
                }],
            },
            RequestedCredential {
                credential_type: "org.other.type".into(),
                claims: vec![RequestedClaim {
                    path: "family_name".into(),
                    required: true,
                }],
            },
        ];
        let request =
            field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", credentials, 300, NOW)
                .unwrap();
        let view = respond::read_request(&w.holder, &request, NOW + 1).unwrap();
        let id = credentials::list(&w.holder).unwrap()[0].id;
        let over_asked = Consent {
            credential_id: id,
            claims: vec!["given_name".into(), "family_name".into()],
            allowed_beyond_scope: Vec::new(),
        };
        assert!(
            matches!(
                respond::respond(&mut w.holder, &view, &[over_asked], Some(UnverifiedAcknowledgement::of(&view)), NOW + 2),
                Err(RespondError::NotRequested(claim)) if claim == "family_name"
            ),
            "{format:?}: family_name was asked of another credential type only"
        );
        answer(&mut w.holder, &view, id, &["given_name"], NOW + 2);
        let history = credentials::disclosures(&w.holder).unwrap();
        let last = history.last().unwrap();
        assert_eq!(last.verifier_name.as_deref(), Some("Desk 4"), "{format:?}");
        assert!(
            last.audience
                .as_deref()
                .is_some_and(|a| a.starts_with("urn:laissez:verifier:")),
            "{format:?}: {:?}",
            last.audience
        );
    }
}

/// The verifier's registration certificate for its request-signing key, from a test registrar.
fn registration_certificate(verifier: &WalletStore, not_after: i64) -> Vec<u8> {
    use wallet_core::registration::{Registration, ScopeEntry, certify};
    let registrar = SigningKey::derive(&[4; 32]).unwrap();
    certify(
        &Registration {
            registrar_id: "https://registrar.example".into(),
            verifier_id: "desk-4".into(),
            organisation: "Aid Desk Four".into(),
            country: "KE".into(),
            purposes: vec!["Aid".into()],
            scope: vec![ScopeEntry {
                credential_type: TYPE.into(),
                claims: vec!["given_name".into(), "nationality".into()],
            }],
            verifier_key: field_verifier::request_signing_key(verifier)
                .unwrap()
                .public_key()
                .clone(),
            issued_at: NOW - 60,
            not_before: NOW - 60,
            not_after,
        },
        &registrar,
    )
    .unwrap()
}

/// Signed requests (ADR 0020): the holder answers one as an unsigned one, the verifier accepts
/// the answer, and its log names the certificate the request was signed with.
#[test]
fn answers_to_signed_requests_verify_and_the_log_names_the_certificate() {
    use wallet_core::exchange::signed_request::{SignatureCheck, open_signed_request};
    use wallet_core::qr::MessageKind;
    use wallet_core::registration;

    let mut w = world(CredentialFormat::SdJwt);
    assert!(matches!(
        field_verifier::create_signed_request(
            &mut w.verifier,
            "Desk 4",
            "Aid",
            requested(),
            300,
            NOW,
            false
        ),
        Err(FieldVerifierError::NoCertificate)
    ));
    let certificate = registration_certificate(&w.verifier, NOW + 86_400);
    let reference =
        field_verifier::install_certificate(&mut w.verifier, &certificate, NOW).unwrap();
    assert_eq!(reference, registration::reference(&certificate));
    assert_eq!(
        field_verifier::installed_certificate(&w.verifier).unwrap(),
        Some(certificate.clone())
    );
    for by_reference in [false, true] {
        let request = field_verifier::create_signed_request(
            &mut w.verifier,
            "Desk 4",
            "Aid",
            requested(),
            300,
            NOW,
            by_reference,
        )
        .unwrap();
        assert_eq!(request.kind, MessageKind::SignedRequest);
        let opened =
            open_signed_request(&request.payload, std::slice::from_ref(&certificate)).unwrap();
        assert_eq!(opened.evidence.signature, SignatureCheck::Valid);
        let scanned = envelope::decode(&envelope::encode(&request).unwrap()).unwrap();
        let view = respond::read_request(&w.holder, &scanned, NOW + 2).unwrap();
        let consent = Consent {
            credential_id: view.matches[0].candidates[0].credential.id,
            claims: vec!["given_name".into()],
            allowed_beyond_scope: vec![],
        };
        // The holder trusts no registrar here: the signed request reads as unverified.
        let response = respond::respond(
            &mut w.holder,
            &view,
            &[consent],
            Some(UnverifiedAcknowledgement::of(&view)),
            NOW + 3,
        )
        .unwrap();
        let verdicts = verify(&mut w.verifier, &response, NOW + 4);
        assert!(verdicts[0].valid, "{:?}", verdicts[0].reasons);
        let log = field_verifier::log_entries(&w.verifier).unwrap();
        assert_eq!(
            log.last().unwrap().certificate,
            Some(hex::encode(reference)),
            "by reference: {by_reference}"
        );
    }
    // An unsigned request's answer is logged without a certificate.
    let request =
        field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 300, NOW)
            .unwrap();
    let view = respond::read_request(&w.holder, &request, NOW + 2).unwrap();
    let response = answer(
        &mut w.holder,
        &view,
        view.matches[0].candidates[0].credential.id,
        &["given_name"],
        NOW + 3,
    );
    assert!(verify(&mut w.verifier, &response, NOW + 4)[0].valid);
    assert_eq!(
        field_verifier::log_entries(&w.verifier)
            .unwrap()
            .last()
            .unwrap()
            .certificate,
        None
    );
}

#[test]
fn a_certificate_for_another_key_or_expired_is_not_installed() {
    use wallet_core::exchange::ExchangeError;
    use wallet_core::registration::RegistrationError;

    let mut w = world(CredentialFormat::SdJwt);
    // Made for the holder wallet's request-signing key, not this verifier's.
    let others = registration_certificate(&w.holder, NOW + 86_400);
    assert!(matches!(
        field_verifier::install_certificate(&mut w.verifier, &others, NOW),
        Err(FieldVerifierError::Exchange(
            ExchangeError::CertificateForAnotherKey
        ))
    ));
    let expired = registration_certificate(&w.verifier, NOW);
    assert!(matches!(
        field_verifier::install_certificate(&mut w.verifier, &expired, NOW),
        Err(FieldVerifierError::Exchange(ExchangeError::Registration(
            RegistrationError::Expired { .. }
        )))
    ));
    let good = registration_certificate(&w.verifier, NOW + 86_400);
    assert!(matches!(
        field_verifier::install_certificate(&mut w.verifier, &good[..good.len() - 3], NOW),
        Err(FieldVerifierError::Exchange(ExchangeError::Registration(
            RegistrationError::Malformed(_)
        )))
    ));
    assert_eq!(
        field_verifier::installed_certificate(&w.verifier).unwrap(),
        None
    );
}

/// The request code's size (ADR 0020, docs/BENCHMARKS.md): a signed request with its
/// certificate still fits one code of at most version 20 at ECC M (970 characters).
#[test]
fn a_signed_request_with_its_certificate_fits_one_version_20_code() {
    use wallet_core::qr::render::{ErrorCorrection, render};

    let mut w = world(CredentialFormat::SdJwt);
    let certificate = registration_certificate(&w.verifier, NOW + 86_400);
    field_verifier::install_certificate(&mut w.verifier, &certificate, NOW).unwrap();
    let requests = [
        (
            "unsigned",
            field_verifier::create_request(&mut w.verifier, "Desk 4", "Aid", requested(), 300, NOW)
                .unwrap(),
        ),
        (
            "signed, certificate",
            field_verifier::create_signed_request(
                &mut w.verifier,
                "Desk 4",
                "Aid",
                requested(),
                300,
                NOW,
                false,
            )
            .unwrap(),
        ),
        (
            "signed, reference",
            field_verifier::create_signed_request(
                &mut w.verifier,
                "Desk 4",
                "Aid",
                requested(),
                300,
                NOW,
                true,
            )
            .unwrap(),
        ),
    ];
    let mut sizes = Vec::new();
    for (what, request) in &requests {
        let text = envelope::encode(request).unwrap();
        let code = render(&text, ErrorCorrection::M).unwrap();
        println!(
            "{what}: payload {} bytes, {} characters, version {} at M (certificate {} bytes)",
            request.payload.len(),
            text.len(),
            code.version,
            certificate.len()
        );
        sizes.push((text.len(), code.version));
    }
    assert!(sizes[1].0 <= 970 && sizes[1].1 <= 20, "{sizes:?}");
    assert!(
        sizes[0].0 < sizes[2].0 && sizes[2].0 < sizes[1].0,
        "{sizes:?}"
    );
}
