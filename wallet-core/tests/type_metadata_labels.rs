//! Labels the standard way, end to end: a PID SD-JWT VC (`urn:eudi:pid:1`) with no labels
//! inside shows French and Arabic labels at the verifier; a credential issued before type
//! metadata keeps its signed labels; a trust-list document that does not match the
//! credential's `vct#integrity` gives no labels and a typed reason; the holder keeps a
//! document with the credential, checked at import.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Map, Value, json};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
use wallet_core::sdjwt::{self, ClaimPath, DecoyPolicy};
use wallet_core::store::{RecordId, StoreOptions, WalletStore};
use wallet_core::type_metadata::{Integrity, TypeMetadataDocument, TypeMetadataError};
use wallet_core::verifier::{
    ExpectedBinding, LabelsWithheld, TrustedIssuer, Verdict, VerificationRequest,
    verify_presentation,
};
use wallet_core::wallet::credentials;
use wallet_core::wallet::{CredentialError, ImportOptions, PresentationBinding, holder_keys};

const NOW: i64 = 1_790_000_000;
const PID_VCT: &str = "urn:eudi:pid:1";

struct World {
    _dir: tempfile::TempDir,
    store: WalletStore,
    issuer: IssuerIdentity,
    holder: holder_keys::HolderKey,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    let holder = holder_keys::default_key(&mut store).unwrap();
    let issuer = IssuerIdentity::generate("PID Provider", NOW - 10, 3650).unwrap();
    World {
        _dir: dir,
        store,
        issuer,
        holder,
    }
}

fn pid_claims() -> Map<String, Value> {
    json!({"family_name": "Haddad", "given_name": "Amina", "birthdate": "1990-05-01",
           "nationalities": ["SD"], "issuing_country": "FR"})
    .as_object()
    .cloned()
    .unwrap()
}

/// An SD-JWT VC whose `disclosable` claims are disclosures and `visible` ones are always
/// visible (as `vct#integrity` and old `laissez_display` labels are).
fn issue_raw(
    w: &World,
    vct: &str,
    disclosable: Map<String, Value>,
    visible: Map<String, Value>,
) -> Vec<u8> {
    let paths = disclosable
        .keys()
        .map(|k| ClaimPath::key(k.clone()))
        .collect();
    let mut claims = disclosable;
    claims.extend(visible);
    let mut request = sdjwt::IssueRequest::new(vct, "https://pid.example", NOW, claims);
    request.holder_key = Some(w.holder.public_key.clone());
    request.expires_at = Some(NOW + 86_400);
    request.selectively_disclosable = paths;
    request.decoys = DecoyPolicy::between(1, 2);
    request.x5c = vec![w.issuer.certificate.clone()];
    sdjwt::issue(&request, &w.issuer.key)
        .unwrap()
        .to_compact()
        .into_bytes()
}

fn import(
    w: &mut World,
    issued: &[u8],
    type_metadata: Option<Vec<u8>>,
) -> Result<RecordId, CredentialError> {
    let options = ImportOptions {
        issuer_keys: vec![],
        now: NOW,
        type_metadata,
    };
    credentials::import(&mut w.store, issued, &options).map(|s| s.id)
}

fn verify(
    w: &mut World,
    id: RecordId,
    claims: &[&str],
    lang: &str,
    documents: &[TypeMetadataDocument],
) -> Verdict {
    let give = PresentationBinding::NonceAudience {
        nonce: "n-1".into(),
        audience: "https://desk.example".into(),
    };
    let expect = ExpectedBinding::NonceAudience {
        nonce: "n-1".into(),
        audience: "https://desk.example".into(),
    };
    let wanted: Vec<String> = claims.iter().map(|c| (*c).to_owned()).collect();
    let presentation =
        credentials::present(&mut w.store, id, &wanted, &give, NOW + 5, None).unwrap();
    let trusted = [TrustedIssuer::from_bytes(&w.issuer.certificate).unwrap()];
    verify_presentation(&VerificationRequest {
        presentation: &presentation.bytes,
        binding: &expect,
        trusted: &trusted,
        now: NOW + 6,
        lang,
        type_metadata: documents,
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
    })
}

fn label<'a>(verdict: &'a Verdict, path: &str) -> Option<&'a str> {
    verdict
        .claims
        .iter()
        .find(|c| c.path == path)
        .unwrap_or_else(|| panic!("{path} not disclosed"))
        .label
        .as_deref()
}

#[test]
fn pid_from_the_test_issuer_shows_french_and_arabic_labels() {
    let mut w = world();
    let order = CredentialOrder {
        format: CredentialFormat::SdJwt,
        credential_type: PID_VCT.into(),
        claims: pid_claims(),
        holder_key: w.holder.public_key.clone(),
        valid_days: 365,
        status: None,
        now: NOW,
        portrait: None,
    };
    let issued = issue_credential(&w.issuer, &order).unwrap();
    // No labels inside: no laissez_display claim or disclosure anywhere.
    let text = String::from_utf8(issued.clone()).unwrap();
    let parsed = sdjwt::SdJwt::parse(&text).unwrap();
    assert!(
        parsed
            .issuer_jwt()
            .claims()
            .get("laissez_display")
            .is_none()
    );
    assert!(
        parsed
            .disclosures()
            .iter()
            .all(|d| d.claim_name() != Some("laissez_display"))
    );
    let id = import(&mut w, &issued, None).unwrap();

    let fr = verify(
        &mut w,
        id,
        &["family_name", "given_name", "nationalities"],
        "fr",
        &[],
    );
    assert!(fr.valid, "{:?}", fr.reasons);
    assert_eq!(label(&fr, "family_name"), Some("Nom"));
    assert_eq!(label(&fr, "given_name"), Some("Prénoms"));
    assert_eq!(label(&fr, "nationalities"), Some("Nationalités"));
    assert_eq!(fr.labels_withheld, None);
    let ar = verify(&mut w, id, &["family_name", "birthdate"], "ar-SY", &[]);
    assert_eq!(label(&ar, "family_name"), Some("اسم العائلة"));
    assert_eq!(label(&ar, "birthdate"), Some("تاريخ الميلاد"));
    // The holder's screen: the same built-in labels.
    let detail = credentials::show(&w.store, id, "fr").unwrap();
    let family = detail
        .claims
        .iter()
        .find(|c| c.path == "family_name")
        .unwrap();
    assert_eq!(family.label.as_deref(), Some("Nom"));
    assert_eq!(
        detail
            .summary
            .display
            .unwrap()
            .credential_name
            .get("fr")
            .map(String::as_str),
        Some("Données d'identification personnelle")
    );
}

#[test]
fn an_old_credential_with_embedded_labels_keeps_them() {
    let mut w = world();
    let mut visible = Map::new();
    visible.insert(
        "laissez_display".into(),
        json!({"issuer_name": {"en": "Old Office", "fr": "Ancien bureau"},
               "claim_labels": {"member_id": {"en": "Member number", "fr": "Numéro de membre"}}}),
    );
    let disclosable = json!({"member_id": "M-7"}).as_object().cloned().unwrap();
    let issued = issue_raw(&w, "urn:example:old-membership:1", disclosable, visible);
    let id = import(&mut w, &issued, None).unwrap();
    let verdict = verify(&mut w, id, &["member_id"], "fr", &[]);
    assert!(verdict.valid, "{:?}", verdict.reasons);
    assert_eq!(label(&verdict, "member_id"), Some("Numéro de membre"));
    assert!(verdict.claims.iter().all(|c| c.path != "laissez_display"));
    let detail = credentials::show(&w.store, id, "fr").unwrap();
    let claim = detail
        .claims
        .iter()
        .find(|c| c.path == "member_id")
        .unwrap();
    assert_eq!(claim.label.as_deref(), Some("Numéro de membre"));
}

const EXAMPLE_VCT: &str = "urn:example:membership:2";

fn example_document(label: &str) -> Vec<u8> {
    format!(
        r#"{{"vct":"{EXAMPLE_VCT}","display":[{{"locale":"fr","name":"Adhésion"}}],"claims":[{{"path":["member_id"],"display":[{{"locale":"fr","label":"{label}"}}]}}]}}"#
    )
    .into_bytes()
}

#[test]
fn trust_list_metadata_must_match_vct_integrity() {
    let mut w = world();
    let good = example_document("Numéro de membre");
    let wrong = example_document("Étiquette trompeuse");
    let mut visible = Map::new();
    visible.insert(
        "vct#integrity".into(),
        json!(Integrity::sha256_of(&good).to_sri()),
    );
    let disclosable = json!({"member_id": "M-7"}).as_object().cloned().unwrap();
    let issued = issue_raw(&w, EXAMPLE_VCT, disclosable, visible);
    let id = import(&mut w, &issued, None).unwrap();

    let matching = [TypeMetadataDocument::parse(&good).unwrap()];
    let verdict = verify(&mut w, id, &["member_id"], "fr", &matching);
    assert!(verdict.valid);
    assert_eq!(label(&verdict, "member_id"), Some("Numéro de membre"));
    assert_eq!(verdict.labels_withheld, None);

    let mismatching = [TypeMetadataDocument::parse(&wrong).unwrap()];
    let verdict = verify(&mut w, id, &["member_id"], "fr", &mismatching);
    assert!(
        verdict.valid,
        "a label problem does not invalidate the credential"
    );
    assert_eq!(label(&verdict, "member_id"), None);
    assert_eq!(
        verdict.labels_withheld,
        Some(LabelsWithheld::IntegrityMismatch)
    );
    assert_eq!(
        verdict.labels_withheld.map(|w| w.code()),
        Some("integrity_mismatch")
    );

    // The holder side: the wrong document is refused at import, the right one kept.
    let mut other = world();
    let issued = {
        let mut visible = Map::new();
        visible.insert(
            "vct#integrity".into(),
            json!(Integrity::sha256_of(&good).to_sri()),
        );
        issue_raw(
            &other,
            EXAMPLE_VCT,
            json!({"member_id": "M-8"}).as_object().cloned().unwrap(),
            visible,
        )
    };
    assert!(matches!(
        import(&mut other, &issued, Some(wrong.clone())),
        Err(CredentialError::TypeMetadata(
            TypeMetadataError::IntegrityMismatch
        ))
    ));
    assert!(matches!(
        import(
            &mut other,
            &issued,
            Some(b"{\"vct\":\"urn:another\"}".to_vec())
        ),
        Err(CredentialError::TypeMetadata(TypeMetadataError::WrongType))
    ));
    assert!(matches!(
        import(&mut other, &issued, Some(b"not json".to_vec())),
        Err(CredentialError::TypeMetadata(TypeMetadataError::Malformed(
            _
        )))
    ));
    assert!(credentials::list(&other.store).unwrap().is_empty());
    let id = import(&mut other, &issued, Some(good)).unwrap();
    let detail = credentials::show(&other.store, id, "fr-BE").unwrap();
    let claim = detail
        .claims
        .iter()
        .find(|c| c.path == "member_id")
        .unwrap();
    assert_eq!(claim.label.as_deref(), Some("Numéro de membre"));
    assert_eq!(
        detail
            .summary
            .display
            .unwrap()
            .credential_name
            .get("fr")
            .map(String::as_str),
        Some("Adhésion")
    );
}

#[test]
fn migrant_types_take_partial_dates_and_icao_codes() {
    let w = world();
    let order = |claims: Value| CredentialOrder {
        format: CredentialFormat::SdJwt,
        credential_type: "urn:laissez:iom:registration:1".into(),
        claims: claims.as_object().cloned().unwrap(),
        holder_key: w.holder.public_key.clone(),
        valid_days: 365,
        status: None,
        now: NOW,
        portrait: None,
    };
    for (date, code) in [
        ("1994", "XXA"),
        ("1994-03", "XXB"),
        ("1994-03-12", "XXC"),
        ("2000-02-29", "XXX"),
    ] {
        issue_credential(
            &w.issuer,
            &order(json!({"birth_date": date, "nationality": code})),
        )
        .unwrap();
    }
    for bad in [
        json!({"birth_date": "1994-3"}),
        json!({"birth_date": "12/03/1994"}),
        json!({"birth_date": 1994}),
        json!({"nationality": "xxa"}),
        json!({"nationality": ["SD", 7]}),
    ] {
        let err = issue_credential(&w.issuer, &order(bad.clone())).unwrap_err();
        assert!(
            matches!(err, wallet_core::issuer::IssuerError::InvalidInput(_)),
            "{bad}: {err:?}"
        );
    }
    // An mdoc of the same type: a partial date stays a text (RFC 8943 has no partial dates).
    let mut mdoc = order(json!({"birth_date": "1994", "nationality": "XXA"}));
    mdoc.format = CredentialFormat::Mdoc;
    mdoc.credential_type = "org.iom.registration.1".into();
    issue_credential(&w.issuer, &mdoc).unwrap();
}
