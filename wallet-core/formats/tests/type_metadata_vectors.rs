//! The SD-JWT VC Type Metadata vectors in ../shared/vectors/sd-jwt-vc-type-metadata: the
//! draft's integrity cases (match, mismatch, a trailing newline changing the hash), `extends`
//! giving the draft's effective claims, an unavailable base, a malformed `uri#integrity`, and
//! the EUDI PID issuer's real PID metadata.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use laissez_formats::type_metadata::{
    ClaimPath, Integrity, PathElement, SdRule, TypeMetadataDocument, TypeMetadataError, resolve,
};

fn dir() -> Option<PathBuf> {
    laissez_test_support::shared_data("vectors/sd-jwt-vc-type-metadata/manifest.json")
        .map(|manifest| manifest.parent().unwrap().to_path_buf())
}

fn bytes(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn payload_integrity(dir: &std::path::Path) -> String {
    let payload: serde_json::Value =
        serde_json::from_slice(&bytes(dir, "ietf-draft18/fig29_a2_sd_jwt_vc_payload.json"))
            .unwrap();
    payload["vct#integrity"].as_str().unwrap().to_owned()
}

#[test]
fn integrity_match_mismatch_and_trailing_newline() {
    let Some(dir) = dir() else { return };
    let sri = payload_integrity(&dir);
    assert_eq!(sri, "sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8=");
    let fig30 = bytes(&dir, "ietf-draft18/fig30_a2_type_metadata.json");
    assert_eq!(fig30.len(), 5003);
    // fig30 has a malformed de-DE background uri#integrity: reported, not a crash.
    assert!(matches!(
        TypeMetadataDocument::parse(&fig30),
        Err(TypeMetadataError::BadIntegrity(_))
    ));
    // The integrity check is over octets, whatever the content.
    let integrity = Integrity::parse(&sri).unwrap();
    assert_eq!(integrity.check(&fig30), Ok(()));
    let without_newline = fig30.strip_suffix(b"\n").unwrap();
    assert_eq!(
        integrity.check(without_newline),
        Err(TypeMetadataError::IntegrityMismatch)
    );
    assert_eq!(
        Integrity::sha256_of(without_newline).to_sri(),
        "sha256-/lbYdZVnoaXPrlBj9/qUsrh2R8ZnYMhVSqF+V1Al9Uw="
    );
    // The excerpt of s4.1 served for the same vct: refused.
    let fig17 = TypeMetadataDocument::parse(&bytes(
        &dir,
        "ietf-draft18/fig17_s4.1_type_metadata_excerpt.json",
    ))
    .unwrap();
    assert_eq!(
        fig17.check_integrity(&sri),
        Err(TypeMetadataError::IntegrityMismatch)
    );
    assert_eq!(
        Integrity::sha256_of(fig17.bytes()).to_sri(),
        "sha256-5qAmRHgxiSHIPqS+mLzrVKVWliOBm955Oj86pMrc5g4="
    );
    // Its base type is not published: processing it cannot complete.
    assert_eq!(
        resolve(&fig17, &[]),
        Err(TypeMetadataError::ExtendsUnavailable)
    );
}

#[test]
fn fig30_labels_once_its_broken_image_integrity_is_repaired() {
    let Some(dir) = dir() else { return };
    let text = String::from_utf8(bytes(&dir, "ietf-draft18/fig30_a2_type_metadata.json")).unwrap();
    let repaired = text.replace(
        "sha256-9cLlJNXN+TsMk+PmKjZ5t0WRL5ca/xGgX3c1ULmXfh=",
        "sha256-9cLlJNXN+TsMk+PmKjZ5t0WRL5ca/xGgX3c1ULmXfhA=",
    );
    let doc = TypeMetadataDocument::parse(repaired.as_bytes()).unwrap();
    let meta = doc.metadata();
    assert_eq!(
        meta.vct,
        "https://betelgeuse.example.com/education_credential/v42"
    );
    assert_eq!(
        meta.display_name("en-US"),
        Some("Betelgeuse Education Credential")
    );
    assert!(meta.display_name("de-AT").is_some());
    let name = ClaimPath::of_names(&["name"]);
    assert_eq!(meta.claim(&name).unwrap().sd, Some(SdRule::Always));
    assert!(meta.claim(&name).unwrap().mandatory);
    let degrees = ClaimPath(vec![PathElement::Name("degrees".into()), PathElement::All]);
    assert_eq!(meta.claim(&degrees).unwrap().sd, Some(SdRule::Always));
    assert_eq!(
        meta.claim(&ClaimPath::of_names(&["degrees"])).unwrap().sd,
        Some(SdRule::Never)
    );
}

#[test]
fn extends_gives_the_drafts_effective_claims() {
    let Some(dir) = dir() else { return };
    let base = TypeMetadataDocument::parse(&bytes(
        &dir,
        "ietf-draft18/fig20_s4.6.5.2_base_type_metadata.json",
    ))
    .unwrap();
    let child = TypeMetadataDocument::parse(&bytes(
        &dir,
        "ietf-draft18/fig21_s4.6.5.2_child_type_metadata.json",
    ))
    .unwrap();
    let expected: serde_json::Value = serde_json::from_slice(&bytes(
        &dir,
        "ietf-draft18/fig22_s4.6.5.2_effective_claim_metadata.json",
    ))
    .unwrap();
    let effective = resolve(&child, std::slice::from_ref(&base)).unwrap();
    let got: Vec<serde_json::Value> = effective
        .claims
        .iter()
        .map(|c| {
            serde_json::json!({
                "path": c.path.to_json(),
                "display": c.display.iter().map(|l| serde_json::json!({"label": l.label, "locale": l.locale})).collect::<Vec<_>>(),
            })
        })
        .collect();
    assert_eq!(serde_json::Value::Array(got), expected["claims"]);
    assert_eq!(
        effective.claim_label(&ClaimPath::of_names(&["address", "city"]), "en"),
        Some("Town")
    );
    assert_eq!(
        resolve(&child, &[]),
        Err(TypeMetadataError::ExtendsUnavailable)
    );
}

#[test]
fn eudi_pid_metadata_parses() {
    let Some(dir) = dir() else { return };
    let raw = bytes(&dir, "eudi-pid-issuer/pid_v1.4.json");
    assert_eq!(raw.len(), 8062);
    let doc = TypeMetadataDocument::parse(&raw).unwrap();
    let meta = doc.metadata();
    assert_eq!(meta.vct, "urn:eudi:pid:1");
    assert_eq!(meta.claims.len(), 40);
    assert_eq!(meta.display_name("fr"), Some("PID"));
    assert_eq!(
        meta.claim_label(&ClaimPath::of_names(&["birthdate"]), "en"),
        Some("Birth Date")
    );
    let mandatory = meta.claims.iter().filter(|c| c.mandatory).count();
    assert_eq!(mandatory, 14);
    let nationality = ClaimPath(vec![
        PathElement::Name("nationalities".into()),
        PathElement::All,
    ]);
    assert!(meta.claim(&nationality).unwrap().mandatory);
    assert_eq!(
        meta.claim(&ClaimPath::of_names(&["iss"])).unwrap().sd,
        Some(SdRule::Never)
    );
    assert_eq!(
        doc.check_integrity(&Integrity::sha256_of(&raw).to_sri()),
        Ok(())
    );
}
