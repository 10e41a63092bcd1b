//! `laissez trust import-vical`, `trust import-lote` and `trust build --anchors` end to end on
//! the real lists of ../shared/vectors: import → build → sign → import into a verifier store,
//! and refused imports leave the installed list as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{PIN, Scratch, laissez, s, with_pin};

/// 2024-09-20T00:00:00Z, inside the Austroads VICAL's validity.
const AUSTROADS_AT: &str = "1726790400";
/// 2024-09-25T00:00:00Z, inside the AAMVA VICAL's validity.
const AAMVA_AT: &str = "1727222400";
/// 2026-01-01T00:00:00Z, inside the EC LoTE's validity.
const EC_AT: &str = "1767225600";

fn vectors() -> Option<PathBuf> {
    let vical = laissez_test_support::shared_data("vectors/vical/manifest.json")?;
    laissez_test_support::shared_data("vectors/lote/manifest.json")?;
    Some(vical.parent()?.parent()?.to_path_buf())
}

fn import_vical(
    v: &Path,
    file: &str,
    root: &str,
    at: &str,
    out: &Path,
    extra: &[&str],
) -> common::Run {
    let vical = v.join("vical").join(file);
    let root = v.join("vical").join(root);
    let mut args = vec![
        "trust",
        "import-vical",
        s(&vical),
        "--provider-root",
        s(&root),
        "--at",
        at,
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    laissez(&args, &[])
}

/// The DER of `x5c[0]` of a WE BUILD document (the signer an administrator would pin).
fn webuild_signer(path: &Path) -> Vec<u8> {
    use base64::Engine;
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let protected = doc["signature"]["protected"].as_str().unwrap();
    let header: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(protected)
            .unwrap(),
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD
        .decode(header["x5c"][0].as_str().unwrap())
        .unwrap()
}

fn anchors(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn vical_anchors_travel_into_the_verifiers_signed_list() {
    let Some(v) = vectors() else { return };
    let scratch = Scratch::new();
    let austroads = scratch.path("austroads.json");
    let run = import_vical(
        &v,
        "austroads_vical_2024-09-19.cbor",
        "austroads_preprod_dts_root_ca.pem",
        AUSTROADS_AT,
        &austroads,
        &[],
    )
    .expect_code(0);
    // 35 IACAs: the P-521, brainpool and RSA ones (and the non-DER one) are skipped by name.
    assert!(
        run.stdout.contains("Wrote 24 anchors (11 skipped)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("skipped           IACA_mDO_GEN_01"),
        "{}",
        run.stdout
    );
    let file = anchors(&austroads);
    assert_eq!(file["source"]["kind"], "vical");
    assert_eq!(file["source"]["provider"], "Austroads");
    assert_eq!(file["source"]["issue_id"], 15);
    assert_eq!(file["entries"].as_array().unwrap().len(), 24);
    assert_eq!(file["skipped"].as_array().unwrap().len(), 11);
    let owf = file["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "OWF Identity Credential TEST IACA")
        .unwrap();
    assert_eq!(owf["countries"], serde_json::json!(["ZZ"]));
    assert_eq!(owf["credential_types"].as_array().unwrap().len(), 4);

    // Chosen by docType and country: the anchors name only the docTypes asked.
    let mdl_us = scratch.path("mdl-us.json");
    import_vical(
        &v,
        "austroads_vical_2024-09-19.cbor",
        "austroads_preprod_dts_root_ca.pem",
        AUSTROADS_AT,
        &mdl_us,
        &["--doctype", "org.iso.18013.5.1.mDL", "--country", "us"],
    )
    .expect_code(0);
    let file = anchors(&mdl_us);
    let entries = file["entries"].as_array().unwrap();
    assert!(!entries.is_empty() && entries.len() < 24);
    for entry in entries {
        assert_eq!(
            entry["credential_types"],
            serde_json::json!(["org.iso.18013.5.1.mDL"])
        );
        assert_eq!(entry["countries"], serde_json::json!(["US"]));
    }

    let aamva = scratch.path("aamva.json");
    import_vical(
        &v,
        "aamva_vical_2024-09-24.cbor",
        "aamva_dts_root_ca.pem",
        AAMVA_AT,
        &aamva,
        &[],
    )
    .expect_code(0);

    // build --anchors (with an --issuer beside) → sign → import into a verifier store.
    let issuer = scratch.path("issuer");
    laissez(
        &["issuer", "new", "--out", s(&issuer), "--name", "Desk"],
        &[],
    )
    .expect_code(0);
    let signer = scratch.path("signer");
    laissez(&["trust", "new-signer", "--out", s(&signer)], &[]).expect_code(0);
    let description = scratch.path("list.json");
    let desk = format!("Desk={}", s(&issuer.join("issuer.cert.pem")));
    let run = laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--issuer",
            &desk,
            "--anchors",
            s(&austroads),
            "--anchors",
            s(&aamva),
            "--anchors",
            s(&mdl_us),
            "--out",
            s(&description),
        ],
        &[],
    )
    .expect_code(0);
    // mdl_us names some of the same certificates with the same types and country (IACAs
    // that issue mDLs only): those are left out once; the others are kept with their types.
    let described: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&description).unwrap()).unwrap();
    let expected = described["issuers"].as_array().unwrap().len();
    let duplicates = 1 + 24 + 3 + entries.len() - expected;
    assert!(duplicates > 0 && duplicates < entries.len() + 1);
    assert!(
        run.stdout.contains(&format!("({expected} issuers"))
            && run
                .stdout
                .contains(&format!("left out {duplicates} anchors listed twice")),
        "{}",
        run.stdout
    );
    let maryland = described["issuers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Fast Enterprises Root")
        .unwrap();
    assert_eq!(maryland["countries"], serde_json::json!(["US"]));
    assert_eq!(
        maryland["credential_types"],
        serde_json::json!(["org.iso.18013.5.1.mDL"])
    );
    let signed = scratch.path("list.jwt");
    laissez(
        &[
            "trust",
            "sign",
            "--signer",
            s(&signer),
            "--in",
            s(&description),
            "--out",
            s(&signed),
        ],
        &[],
    )
    .expect_code(0);
    let db = scratch.path("verifier.db");
    laissez(
        &["verifier", "init", "--db", s(&db), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", PIN)],
    )
    .expect_code(0);
    let pinned = signer.join("signer.pub.json");
    let run = with_pin(&[
        "trust",
        "import",
        "--db",
        s(&db),
        "--signer-key",
        s(&pinned),
        s(&signed),
    ])
    .expect_code(0);
    assert!(
        run.stdout
            .contains(&format!("Imported trust list 1 ({expected} issuers)")),
        "{}",
        run.stdout
    );
    let shown = with_pin(&["trust", "show", "--db", s(&db), "--json"]).expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(shown["issuers"].as_array().unwrap().len(), expected);

    // Failed imports write no anchors file, and the installed list stays as it was.
    let tampered = scratch.path("tampered.json");
    let run = import_vical(
        &v,
        "negative/austroads_vical_2024-09-19_signature_tampered.cbor",
        "austroads_preprod_dts_root_ca.pem",
        AUSTROADS_AT,
        &tampered,
        &[],
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("signature does not verify"),
        "{}",
        run.stderr
    );
    assert!(!tampered.exists());
    let run = laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "2",
            "--anchors",
            s(&tampered),
            "--out",
            s(&scratch.path("l2.json")),
        ],
        &[],
    )
    .expect_code(2);
    assert!(run.stderr.contains("tampered.json"), "{}", run.stderr);
    let again = with_pin(&["trust", "show", "--db", s(&db), "--json"]).expect_code(0);
    let again: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(again, shown);
}

#[test]
fn refused_vicals_name_their_reason_and_exit_code() {
    let Some(v) = vectors() else { return };
    let scratch = Scratch::new();
    let out = scratch.path("anchors.json");
    // Stale today: refused, with the hint to check an archived list at its time.
    let run = laissez(
        &[
            "trust",
            "import-vical",
            s(&v.join("vical/aamva_vical_2024-09-24.cbor")),
            "--provider-root",
            s(&v.join("vical/aamva_dts_root_ca.pem")),
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(1);
    assert!(run.stderr.contains("--at UNIX_TIME"), "{}", run.stderr);
    // Another provider's root.
    let run = import_vical(
        &v,
        "austroads_vical_2024-09-19.cbor",
        "aamva_dts_root_ca.pem",
        AUSTROADS_AT,
        &out,
        &[],
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("not issued under the given provider root"),
        "{}",
        run.stderr
    );
    // Tampered provider name.
    import_vical(
        &v,
        "negative/aamva_vical_2024-09-24_provider_tampered.cbor",
        "aamva_dts_root_ca.pem",
        AAMVA_AT,
        &out,
        &[],
    )
    .expect_code(1);
    // Nothing left for the filters.
    let run = import_vical(
        &v,
        "aamva_vical_2024-09-24.cbor",
        "aamva_dts_root_ca.pem",
        AAMVA_AT,
        &out,
        &["--country", "FR"],
    )
    .expect_code(1);
    assert!(run.stdout.contains("Wrote 0 anchors"), "{}", run.stdout);
    // Not a VICAL; not a country.
    import_vical(
        &v,
        "aamva_dts_root_ca.pem",
        "aamva_dts_root_ca.pem",
        AAMVA_AT,
        &out,
        &[],
    )
    .expect_code(2);
    import_vical(
        &v,
        "aamva_vical_2024-09-24.cbor",
        "aamva_dts_root_ca.pem",
        AAMVA_AT,
        &out,
        &["--country", "USA"],
    )
    .expect_code(2);
    assert!(!out.exists());
}

#[test]
fn lote_anchors_are_the_entities_certificates() {
    let Some(v) = vectors() else { return };
    let scratch = Scratch::new();
    let out = scratch.path("ec.json");
    let signer = v.join("lote/samples/ec_eudiw_wallet_providers_signer.pem");
    let lote = v.join("lote/samples/ec_eudiw_wallet_providers_2025-12-01.jwt");
    let run = laissez(
        &[
            "trust",
            "import-lote",
            s(&lote),
            "--signer",
            s(&signer),
            "--at",
            EC_AT,
            "--credential-type",
            "urn:eudi:pid:1",
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(0);
    assert!(
        run.stdout.contains("Wrote 2 anchors (0 skipped)"),
        "{}",
        run.stdout
    );
    let file = anchors(&out);
    assert_eq!(file["source"]["kind"], "lote");
    assert_eq!(
        file["source"]["list_type"],
        "http://uri.etsi.org/19602/LoTEType/EUWalletProvidersList"
    );
    let names: Vec<_> = file["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["PagoPA Wallet Provider Root CA", "Microsec Ltd."]);
    assert_eq!(
        file["entries"][0]["credential_types"],
        serde_json::json!(["urn:eudi:pid:1"])
    );
    // build accepts the anchors.
    laissez(
        &[
            "trust",
            "build",
            "--sequence",
            "1",
            "--anchors",
            s(&out),
            "--out",
            s(&scratch.path("l.json")),
        ],
        &[],
    )
    .expect_code(0);

    // Refusals: stale today (1), tampered (1), another signer (1).
    let other = scratch.path("other.json");
    let run = laissez(
        &[
            "trust",
            "import-lote",
            s(&lote),
            "--signer",
            s(&signer),
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("NextUpdate has passed"),
        "{}",
        run.stderr
    );
    let tampered = v.join("lote/negative/ec_eudiw_wallet_providers_tename_tampered.jwt");
    laissez(
        &[
            "trust",
            "import-lote",
            s(&tampered),
            "--signer",
            s(&signer),
            "--at",
            EC_AT,
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(1);
    // The WE BUILD form: NXD's PID providers list verifies with its signer pinned, but is
    // empty (1: no anchor); its tampered copy is refused for the signature (1).
    let webuild = v.join("lote/samples/nxd_pid_providers_2026-07-21.json");
    let nxd_signer = scratch.write("nxd.der", &webuild_signer(&webuild));
    let run = laissez(
        &[
            "trust",
            "import-lote",
            s(&webuild),
            "--signer",
            s(&nxd_signer),
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(1);
    assert!(run.stdout.contains("Wrote 0 anchors"), "{}", run.stdout);
    let tampered = v.join("lote/negative/nxd_pid_providers_operator_name_tampered.json");
    let run = laissez(
        &[
            "trust",
            "import-lote",
            s(&tampered),
            "--signer",
            s(&nxd_signer),
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("signature does not verify"),
        "{}",
        run.stderr
    );
    // Signed by NXD, not by the EC signer pinned here.
    laissez(
        &[
            "trust",
            "import-lote",
            s(&webuild),
            "--signer",
            s(&signer),
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(1);
    let wrong = v.join("vical/aamva_dts_root_ca.pem");
    laissez(
        &[
            "trust",
            "import-lote",
            s(&lote),
            "--signer",
            s(&wrong),
            "--at",
            EC_AT,
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(1);
    assert!(!other.exists());
}
