//! Importing outside trust lists (feature `trust-import`): the real signed VICALs and ETSI TS
//! 119 602 lists of ../shared/vectors, at the verification times their README gives (several
//! are stale today), their tampered copies, and lists made to fail the schema.
#![cfg(feature = "trust-import")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use laissez_formats::lote::{LoteError, SignedLote};
use laissez_formats::vical::{SignedVical, VicalError};
use laissez_formats::x509::Certificate;

/// 2024-09-25T00:00:00Z
const AAMVA_AT: i64 = 1_727_222_400;
/// 2024-09-20T00:00:00Z
const AUSTROADS_AT: i64 = 1_726_790_400;
/// 2024-10-03T00:00:00Z
const AUSTROADS_EVENT_AT: i64 = 1_727_913_600;
/// 2025-03-01T00:00:00Z
const RDW_AT: i64 = 1_740_787_200;
/// 2026-01-01T00:00:00Z
const EC_LOTE_AT: i64 = 1_767_225_600;
/// 2026-12-07T00:00:00Z: after the AAMVA, RDW and EC lists' next updates.
const LATER: i64 = 1_796_601_600;

fn vical_dir() -> Option<PathBuf> {
    laissez_test_support::shared_data("vectors/vical/manifest.json")
        .map(|m| m.parent().unwrap().to_path_buf())
}

fn lote_dir() -> Option<PathBuf> {
    laissez_test_support::shared_data("vectors/lote/manifest.json")
        .map(|m| m.parent().unwrap().to_path_buf())
}

fn root(dir: &std::path::Path, name: &str) -> Certificate {
    Certificate::from_der_or_pem(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

fn vical(dir: &std::path::Path, name: &str) -> SignedVical {
    SignedVical::parse(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

#[test]
fn real_vicals_verify_at_their_time_with_the_expected_entries() {
    let Some(dir) = vical_dir() else { return };
    let aamva_root = root(&dir, "aamva_dts_root_ca.pem");
    let austroads_root = root(&dir, "austroads_preprod_dts_root_ca.pem");

    let aamva = vical(&dir, "aamva_vical_2024-09-24.cbor");
    assert_eq!(aamva.provider_chain().len(), 3);
    let list = aamva.verify(&aamva_root, AAMVA_AT).unwrap();
    assert_eq!(list.provider, "AAMVA");
    assert_eq!(list.version, "1.0");
    assert_eq!(list.issue_id, Some(616_575));
    assert_eq!(list.date, 1_727_199_451);
    assert_eq!(list.next_update, Some(1_727_285_851));
    assert_eq!(list.entries.len(), 3);
    let first = &list.entries[0];
    assert_eq!(first.doc_types, ["org.iso.18013.5.1.mDL"]);
    assert_eq!(first.issuing_country.as_deref(), Some("US"));
    assert_eq!(first.state_or_province.as_deref(), Some("US-MD"));
    assert_eq!(
        first.display_name().as_deref(),
        Some("Fast Enterprises Root")
    );
    assert_eq!(first.ski.len(), 24);
    // The next day the list is stale.
    assert_eq!(
        aamva.verify(&aamva_root, LATER),
        Err(VicalError::ProviderPath(
            laissez_formats::x509::PathError::Expired { depth: 0 }
        ))
    );
    assert_eq!(
        aamva.verify(&aamva_root, AAMVA_AT + 86_400),
        Err(VicalError::Expired)
    );

    let austroads = vical(&dir, "austroads_vical_2024-09-19.cbor");
    assert_eq!(austroads.provider_chain().len(), 1);
    let list = austroads.verify(&austroads_root, AUSTROADS_AT).unwrap();
    assert_eq!(
        (list.provider.as_str(), list.issue_id, list.next_update),
        ("Austroads", Some(15), None)
    );
    assert_eq!(list.entries.len(), 35);
    assert_eq!(
        list.entries[1].doc_types,
        [
            "org.iso.18013.5.1.mDL",
            "org.iso.23220.photoid.1",
            "org.micov.1",
            "org.iso.7367.1.mVRC"
        ]
    );
    assert_eq!(
        list.entries[1].display_name().as_deref(),
        Some("OWF Identity Credential TEST IACA")
    );
    let count = |doc: &str| {
        list.entries
            .iter()
            .filter(|e| e.doc_types.iter().any(|d| d == doc))
            .count()
    };
    assert_eq!(count("org.iso.18013.5.1.mDL"), 33);
    assert_eq!(count("org.iso.23220.photoid.1"), 15);
    assert_eq!(count("org.iso.7367.1.mVRC"), 11);
    assert_eq!(count("org.micov.1"), 10);

    let event = vical(&dir, "austroads_test_event_vical_2024-10-02.cbor");
    let list = event.verify(&austroads_root, AUSTROADS_EVENT_AT).unwrap();
    assert_eq!((list.issue_id, list.entries.len()), (Some(22), 39));

    // RDW's root is not published: the signature verifies, the chain cannot be checked.
    let rdw = vical(&dir, "rdw_test_vical_2025-02-25.cbor");
    rdw.check_signature().unwrap();
    let list = rdw.unverified();
    assert_eq!(
        (list.provider.as_str(), list.issue_id, list.entries.len()),
        ("RDW", Some(5), 45)
    );
    assert_eq!(list.next_update, Some(1_771_977_600));
    assert_eq!(
        rdw.verify(&austroads_root, RDW_AT),
        Err(VicalError::UntrustedProvider)
    );
}

#[test]
fn entries_are_chosen_by_doc_type_and_country() {
    let Some(dir) = vical_dir() else { return };
    let rdw = vical(&dir, "rdw_test_vical_2025-02-25.cbor");
    let list = rdw.unverified();
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(list.select(&[], &[]).count(), 45);
    assert_eq!(
        list.select(&s(&["eu.europa.ec.eudi.pid.1"]), &[]).count(),
        37
    );
    assert_eq!(
        list.select(&s(&["org.iso.7816.5.A0000002471001"]), &[])
            .count(),
        1
    );
    assert_eq!(list.select(&s(&["no.such.doctype"]), &[]).count(), 0);
    let nl = list.select(&[], &s(&["NL"])).count();
    let nl_lower = list.select(&[], &s(&["nl"])).count();
    assert!(nl > 0 && nl < 45);
    assert_eq!(nl, nl_lower);
    let (pid, nl_only) = (s(&["eu.europa.ec.eudi.pid.1"]), s(&["NL"]));
    let both = list.select(&pid, &nl_only).collect::<Vec<_>>();
    assert!(
        both.iter()
            .all(|e| e.issuing_country.as_deref() == Some("NL")
                && e.doc_types.iter().any(|d| d == "eu.europa.ec.eudi.pid.1"))
    );
    assert!(!both.is_empty());
}

#[test]
fn tampered_and_misrooted_vicals_are_refused() {
    let Some(dir) = vical_dir() else { return };
    let aamva_root = root(&dir, "aamva_dts_root_ca.pem");
    let austroads_root = root(&dir, "austroads_preprod_dts_root_ca.pem");
    let provider = vical(
        &dir,
        "negative/aamva_vical_2024-09-24_provider_tampered.cbor",
    );
    assert_eq!(provider.unverified().provider, "AAMVB");
    assert_eq!(
        provider.verify(&aamva_root, AAMVA_AT),
        Err(VicalError::BadSignature)
    );
    let signature = vical(
        &dir,
        "negative/austroads_vical_2024-09-19_signature_tampered.cbor",
    );
    assert_eq!(
        signature.verify(&austroads_root, AUSTROADS_AT),
        Err(VicalError::BadSignature)
    );
    // A genuine VICAL under another provider's root.
    let austroads = vical(&dir, "austroads_vical_2024-09-19.cbor");
    austroads.check_signature().unwrap();
    assert_eq!(
        austroads.verify(&aamva_root, AUSTROADS_AT),
        Err(VicalError::UntrustedProvider)
    );
    // Not yet made.
    assert_eq!(
        austroads.verify(&austroads_root, AUSTROADS_AT - 2 * 86_400),
        Err(VicalError::NotYetValid)
    );
}

#[test]
fn malformed_vicals_give_typed_errors() {
    assert!(matches!(
        SignedVical::parse(b""),
        Err(VicalError::Malformed(_))
    ));
    assert!(matches!(
        SignedVical::parse(&[0x84, 0x40]),
        Err(VicalError::Malformed(_))
    ));
    assert!(matches!(
        SignedVical::parse(&vec![0u8; laissez_formats::vical::MAX_VICAL_LEN + 1]),
        Err(VicalError::TooLarge(_))
    ));
    let Some(dir) = vical_dir() else { return };
    let bytes = std::fs::read(dir.join("aamva_vical_2024-09-24.cbor")).unwrap();
    // Every truncation is refused without a panic.
    for cut in (0..bytes.len()).step_by(97) {
        assert!(SignedVical::parse(&bytes[..cut]).is_err());
    }
    // ES512 in the protected header ({1: -36}): named, not accepted.
    let mut es512 = bytes.clone();
    assert_eq!(&es512[1..5], &[0x43, 0xa1, 0x01, 0x26]);
    es512[4] = 0x38;
    es512.insert(5, 0x23);
    es512[1] = 0x44;
    assert_eq!(
        SignedVical::parse(&es512).err(),
        Some(VicalError::UnsupportedAlgorithm(
            "COSE algorithm -36".into()
        ))
    );
}

fn lote_bytes(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn ec_signer(dir: &std::path::Path) -> Vec<u8> {
    laissez_formats::lote::certificate_der(&lote_bytes(
        dir,
        "samples/ec_eudiw_wallet_providers_signer.pem",
    ))
    .unwrap()
}

#[test]
fn the_ec_lote_verifies_and_names_its_two_entities() {
    let Some(dir) = lote_dir() else { return };
    let signed = SignedLote::parse(&lote_bytes(
        &dir,
        "samples/ec_eudiw_wallet_providers_2025-12-01.jwt",
    ))
    .unwrap();
    assert_eq!(signed.algorithm(), "RS512");
    let signer = ec_signer(&dir);
    let lote = signed.verify(&signer, EC_LOTE_AT).unwrap();
    assert_eq!(
        lote.lote_type,
        "http://uri.etsi.org/19602/LoTEType/EUWalletProvidersList"
    );
    assert_eq!(lote.sequence, 1);
    assert_eq!(lote.issued_at, 1_764_577_781);
    assert_eq!(lote.next_update, Some(1_780_302_581));
    assert_eq!(lote.entity_count, 2);
    let names: Vec<_> = lote
        .anchors
        .iter()
        .map(|a| a.entity_name.as_str())
        .collect();
    assert_eq!(names, ["PagoPA Wallet Provider Root CA", "Microsec Ltd."]);
    let subjects: Vec<_> = lote
        .anchors
        .iter()
        .map(|a| {
            Certificate::from_der(&a.certificate)
                .unwrap()
                .common_name()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        subjects,
        [
            Some("PagoPA Wallet Provider Root CA".to_owned()),
            Some("Test e-Szigno CA 2017".to_owned())
        ]
    );
    assert!(lote.anchors.iter().all(|a| a.service_type.is_some()));
    // Stale today.
    assert_eq!(signed.verify(&signer, LATER), Err(LoteError::Expired));
    // Another pinned signer: refused before the signature is looked at.
    let other = std::fs::read(vical_dir().unwrap().join("aamva_dts_root_ca.pem")).unwrap();
    let other = Certificate::from_der_or_pem(&other).unwrap();
    assert_eq!(
        signed.verify(other.der(), EC_LOTE_AT),
        Err(LoteError::SignerMismatch)
    );
}

/// The DER of `x5c[0]` in a WE BUILD document's protected header (what an administrator
/// would pin after checking it out of band).
fn webuild_signer(doc: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let doc: serde_json::Value = serde_json::from_slice(doc).unwrap();
    let protected = doc["signature"]["protected"].as_str().unwrap();
    let header: serde_json::Value =
        serde_json::from_slice(&laissez_formats::jose::base64url::decode(protected).unwrap())
            .unwrap();
    base64::engine::general_purpose::STANDARD
        .decode(header["x5c"][0].as_str().unwrap())
        .unwrap()
}

#[test]
fn webuild_signature_member_lists_verify() {
    let Some(dir) = lote_dir() else { return };
    // 2026-06-01T00:00:00Z, inside the WRPAC list's validity.
    const WRPAC_AT: i64 = 1_780_272_000;
    for (name, at, lote_type, entities, anchors) in [
        (
            "samples/nxd_pid_providers_2026-07-21.json",
            LATER,
            "http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList",
            0,
            0,
        ),
        (
            "samples/nxd_wallet_providers_2026-07-21.json",
            LATER,
            "http://uri.etsi.org/19602/LoTEType/EUWalletProvidersList",
            0,
            0,
        ),
        (
            "samples/webuild_wp4_list_of_trusted_lists_2026-08-19.json",
            LATER,
            "http://uri.etsi.org/19602/LoTLType/EUListOfTrustedLists",
            0,
            0,
        ),
        (
            "samples/webuild_wp4_wrpac_providers_2026-05-06.json",
            WRPAC_AT,
            "http://uri.etsi.org/19602/LoTEType/EUWRPACProvidersList",
            1,
            2,
        ),
    ] {
        let bytes = lote_bytes(&dir, name);
        let signer = webuild_signer(&bytes);
        let signed = SignedLote::parse(&bytes).unwrap();
        assert_eq!(signed.algorithm(), "ES256", "{name}");
        let lote = signed
            .verify(&signer, at)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(lote.lote_type, lote_type, "{name}");
        assert_eq!(lote.entity_count, entities, "{name}");
        assert_eq!(lote.anchors.len(), anchors, "{name}");
    }
    // The WRPAC list is stale today; its two services name one root.
    let bytes = lote_bytes(&dir, "samples/webuild_wp4_wrpac_providers_2026-05-06.json");
    let signed = SignedLote::parse(&bytes).unwrap();
    assert_eq!(
        signed.verify(&webuild_signer(&bytes), LATER),
        Err(LoteError::Expired)
    );
    let lote = signed.verify(&webuild_signer(&bytes), WRPAC_AT).unwrap();
    // (Its key is not one Laissez verifies with, so `trust import-lote` skips it.)
    let name = b"EUDI Sandbox Root CA - G1";
    assert!(
        lote.anchors
            .iter()
            .all(|a| a.certificate.windows(name.len()).any(|w| w == name))
    );
    assert!(
        lote.anchors
            .iter()
            .all(|a| a.entity_name == "Raidiam Services Ltd")
    );
    // Python's escaping: the NXD list's "Bössvägen" must be written as \u00f6 and \u00e4.
    let text = laissez_formats::lote::python_json(&serde_json::json!({
        "b": "Bössvägen \u{1F600}\u{7f}\n\"",
        "a": [1, -2, null, true]
    }))
    .unwrap();
    assert_eq!(
        text,
        r#"{"a":[1,-2,null,true],"b":"B\u00f6ssv\u00e4gen \ud83d\ude00\u007f\n\""}"#
    );
}

#[test]
fn tampered_and_unverifiable_lotes_are_refused() {
    let Some(dir) = lote_dir() else { return };
    let signer = ec_signer(&dir);
    let tampered = SignedLote::parse(&lote_bytes(
        &dir,
        "negative/ec_eudiw_wallet_providers_tename_tampered.jwt",
    ))
    .unwrap();
    assert_eq!(
        tampered.verify(&signer, EC_LOTE_AT),
        Err(LoteError::BadSignature)
    );
    // The WE BUILD form: the NXD list with its operator name changed.
    let tampered = lote_bytes(
        &dir,
        "negative/nxd_pid_providers_operator_name_tampered.json",
    );
    let signer = webuild_signer(&tampered);
    assert_eq!(
        SignedLote::parse(&tampered).unwrap().verify(&signer, LATER),
        Err(LoteError::BadSignature)
    );
    // A float in the document: Python would write it otherwise; refused, not guessed.
    let mut doc: serde_json::Value = serde_json::from_slice(&lote_bytes(
        &dir,
        "samples/nxd_pid_providers_2026-07-21.json",
    ))
    .unwrap();
    doc["LoTE"]["ListAndSchemeInformation"]["LoTEVersionIdentifier"] = serde_json::json!(1.5);
    assert!(matches!(
        SignedLote::parse(doc.to_string().as_bytes()),
        Err(LoteError::UnverifiableSignatureForm(_))
    ));
    assert!(matches!(
        SignedLote::parse(b"a.b"),
        Err(LoteError::Malformed(_))
    ));
    assert!(matches!(
        SignedLote::parse(b"{}"),
        Err(LoteError::Malformed(_))
    ));
}

#[test]
fn payloads_failing_the_schema_are_refused() {
    let Some(dir) = lote_dir() else { return };
    let payload: serde_json::Value = serde_json::from_slice(&lote_bytes(
        &dir,
        "samples/ec_eudiw_wallet_providers_2025-12-01.payload.json",
    ))
    .unwrap();
    laissez_formats::lote::schema::validate(&payload).unwrap();
    // The WE BUILD lists' documents without their signature member are schema-valid too.
    for name in [
        "samples/webuild_wp4_list_of_trusted_lists_2026-08-19.json",
        "samples/webuild_wp4_wrpac_providers_2026-05-06.json",
        "samples/nxd_pid_providers_2026-07-21.json",
    ] {
        let mut doc: serde_json::Value = serde_json::from_slice(&lote_bytes(&dir, name)).unwrap();
        assert!(
            laissez_formats::lote::schema::validate(&doc).is_err(),
            "{name} with signature"
        );
        doc.as_object_mut().unwrap().remove("signature");
        laissez_formats::lote::schema::validate(&doc).unwrap();
    }
    let refused = |mutate: &dyn Fn(&mut serde_json::Value)| {
        let mut p = payload.clone();
        mutate(&mut p);
        laissez_formats::lote::schema::validate(&p).unwrap_err()
    };
    // A required member missing.
    let err = refused(&|p| {
        p["LoTE"]["ListAndSchemeInformation"]
            .as_object_mut()
            .unwrap()
            .remove("SchemeOperatorName");
    });
    assert!(matches!(err, LoteError::Schema { .. }));
    // A date-time that is not one (format checking is on).
    let err =
        refused(&|p| p["LoTE"]["ListAndSchemeInformation"]["ListIssueDateTime"] = "soon".into());
    assert!(
        matches!(&err, LoteError::Schema { instance_path, .. } if instance_path.ends_with("ListIssueDateTime"))
    );
    // The ServiceDigitalIdentity defect, corrected: an unknown member is refused.
    let err = refused(&|p| {
        p["LoTE"]["TrustedEntitiesList"][0]["TrustedEntityServices"][0]["ServiceInformation"]["ServiceDigitalIdentity"]
            ["Unexpected"] = serde_json::json!(1);
    });
    assert!(
        matches!(&err, LoteError::Schema { instance_path, .. } if instance_path.contains("ServiceDigitalIdentity"))
    );
    // The JWK defects, corrected: key_ops is an array and OKP keys are allowed.
    let mut okp = payload.clone();
    okp["LoTE"]["TrustedEntitiesList"][0]["TrustedEntityServices"][0]["ServiceInformation"]["ServiceDigitalIdentity"]
        ["PublicKeyValues"] = serde_json::json!([
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "key_ops": ["verify"]}
    ]);
    laissez_formats::lote::schema::validate(&okp).unwrap();
}

/// A compact JWS over `payload`, ES256, with x5c = [the certificate].
#[cfg(feature = "issue")]
fn es256_lote(
    payload: &serde_json::Value,
    key: &laissez_crypto::ecdsa::SigningKey,
    der: &[u8],
) -> String {
    use base64::Engine;
    use laissez_crypto::ecdsa::Es256Signer;
    use laissez_formats::jose::base64url;
    let header = serde_json::json!({
        "alg": "ES256", "typ": "jose", "cty": "json",
        "x5c": [base64::engine::general_purpose::STANDARD.encode(der)]
    });
    let input = format!(
        "{}.{}",
        base64url::encode(header.to_string().as_bytes()),
        base64url::encode(payload.to_string().as_bytes())
    );
    let signature = key.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", base64url::encode(&signature))
}

#[cfg(feature = "issue")]
#[test]
fn a_signed_lote_failing_the_schema_is_refused() {
    let Some(dir) = lote_dir() else { return };
    let payload: serde_json::Value = serde_json::from_slice(&lote_bytes(
        &dir,
        "samples/ec_eudiw_wallet_providers_2025-12-01.payload.json",
    ))
    .unwrap();
    let key = laissez_crypto::ecdsa::SigningKey::generate().unwrap();
    let der = laissez_formats::x509::self_signed_certificate(
        &key,
        "LoTE signer",
        EC_LOTE_AT - 86_400,
        30,
    )
    .unwrap();
    // Signed by a pinned ES256 signer, the list verifies ...
    let good = es256_lote(&payload, &key, &der);
    let lote = SignedLote::parse(good.as_bytes())
        .unwrap()
        .verify(&der, EC_LOTE_AT)
        .unwrap();
    assert_eq!(lote.anchors.len(), 2);
    // ... and the same signer's list without ListIssueDateTime is refused by the schema.
    let mut bad = payload.clone();
    bad["LoTE"]["ListAndSchemeInformation"]
        .as_object_mut()
        .unwrap()
        .remove("ListIssueDateTime");
    let signed = SignedLote::parse(es256_lote(&bad, &key, &der).as_bytes()).unwrap();
    signed.check_signature(&der, EC_LOTE_AT).unwrap();
    assert!(matches!(
        signed.verify(&der, EC_LOTE_AT),
        Err(LoteError::Schema { .. })
    ));
    // Outside the signer certificate's validity.
    assert_eq!(
        SignedLote::parse(good.as_bytes())
            .unwrap()
            .verify(&der, EC_LOTE_AT + 60 * 86_400),
        Err(LoteError::SignerNotValid)
    );
    // An algorithm Laissez does not verify is named.
    let none = good.replacen(
        good.split('.').next().unwrap(),
        &laissez_formats::jose::base64url::encode(br#"{"alg":"HS256"}"#),
        1,
    );
    assert_eq!(
        SignedLote::parse(none.as_bytes())
            .unwrap()
            .verify(&der, EC_LOTE_AT),
        Err(LoteError::UnsupportedAlgorithm("HS256".into()))
    );
}
