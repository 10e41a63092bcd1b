//! Published mdoc vectors (../shared/vectors/mdoc, see its README.md): the ISO/IEC 18013-5
//! Annex D worked example (deviceMac) and the auth0-lab/mdl DeviceResponses
//! (deviceSignature).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use wallet_core::crypto::ecdsa::{HighS, VerifyingKey};
use wallet_core::mdoc::{
    CborValue, DeviceAuthMethod, IssuedMdoc, IssuerTrust, MdocError, ReaderPrivateKey,
    SessionTranscript, TrustAnchors, ValidityScope, VerifiedDocument, VerifyOptions,
    verify_device_response,
};
use wallet_core::x509::Certificate;

/// 2021-01-01T00:00:00Z, inside the Annex D validity window.
const ANNEX_D_NOW: i64 = 1_609_459_200;
/// 2024-01-01T00:00:00Z, inside the auth0 validity window.
const AUTH0_NOW: i64 = 1_704_067_200;
const MDL: &str = "org.iso.18013.5.1.mDL";
const ISO_NS: &str = "org.iso.18013.5.1";

/// The vectors folder; without it the test fails under CI, or is a counted skip elsewhere.
fn vectors() -> Option<PathBuf> {
    laissez_test_support::shared_data("vectors/mdoc")
}

fn hex_file(path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    hex::decode(text.trim()).unwrap()
}

fn cert(path: &Path) -> Certificate {
    Certificate::from_pem(&std::fs::read_to_string(path).unwrap()).unwrap()
}

struct AnnexD {
    dir: PathBuf,
    transcript: SessionTranscript,
    anchors: TrustAnchors,
    reader: ReaderPrivateKey,
    keys: serde_json::Value,
}

fn annex_d() -> Option<AnnexD> {
    let dir = vectors()?.join("iso18013-5-annex-d");
    let keys: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("keys.json")).unwrap()).unwrap();
    let d: [u8; 32] = hex::decode(keys["EReaderKey"]["d"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    Some(AnnexD {
        transcript: SessionTranscript::from_bytes(&hex_file(
            &dir.join("session_transcript_bytes.hex"),
        ))
        .unwrap(),
        anchors: TrustAnchors::new().with_certificate(cert(&dir.join("iaca_cert.pem"))),
        reader: ReaderPrivateKey::from_scalar(&d).unwrap(),
        keys,
        dir,
    })
}

impl AnnexD {
    fn verify(
        &self,
        file: &str,
        now: i64,
        reader: bool,
    ) -> Result<Vec<VerifiedDocument>, MdocError> {
        verify_device_response(
            &hex_file(&self.dir.join(file)),
            &VerifyOptions {
                now,
                trust_anchors: &self.anchors,
                session_transcript: &self.transcript,
                expected_doc_type: Some(MDL),
                reader_key: reader.then_some(&self.reader),
                holder_high_s: HighS::Refuse,
            },
        )
    }
}

fn text(s: &str) -> CborValue {
    CborValue::Text(s.into())
}

fn full_date(s: &str) -> CborValue {
    CborValue::Tag(1004, Box::new(text(s)))
}

#[test]
fn annex_d_device_response_is_valid_with_the_reader_key() {
    let Some(v) = annex_d() else { return };
    let docs = v.verify("device_response.hex", ANNEX_D_NOW, true).unwrap();
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc.doc_type, MDL);
    assert_eq!(doc.device_auth, Some(DeviceAuthMethod::Mac));
    assert_eq!(doc.issuer.trust, IssuerTrust::Trusted);
    assert_eq!(doc.issuer.common_name(), Some("utopia ds"));
    assert!(doc.issuer.subject().unwrap().contains("CN=utopia ds"));
    // MSO validity: signed = validFrom = 2020-10-01T13:30:02Z, validUntil a year later.
    assert_eq!(doc.validity.signed, 1_601_559_002);
    assert_eq!(doc.validity.valid_from, 1_601_559_002);
    assert_eq!(doc.validity.valid_until, 1_633_095_002);
    let s_device = &v.keys["SDeviceKey"];
    let expected_device_key = VerifyingKey::from_coordinates(
        &hex::decode(s_device["x"].as_str().unwrap()).unwrap(),
        &hex::decode(s_device["y"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(doc.device_key, expected_device_key);

    assert_eq!(doc.issuer_signed.len(), 1);
    let ids: Vec<&str> = doc.issuer_signed[0]
        .elements
        .iter()
        .map(|e| e.identifier.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "family_name",
            "issue_date",
            "expiry_date",
            "document_number",
            "portrait",
            "driving_privileges"
        ]
    );
    assert_eq!(doc.element(ISO_NS, "family_name"), Some(&text("Doe")));
    assert_eq!(
        doc.element(ISO_NS, "issue_date"),
        Some(&full_date("2019-10-20"))
    );
    assert_eq!(
        doc.element(ISO_NS, "expiry_date"),
        Some(&full_date("2024-10-20"))
    );
    assert_eq!(
        doc.element(ISO_NS, "document_number"),
        Some(&text("123456789"))
    );
    let portrait = hex_file(&v.dir.join("portrait.hex"));
    assert_eq!(portrait.len(), 1042);
    assert_eq!(
        doc.element(ISO_NS, "portrait"),
        Some(&CborValue::Bytes(portrait))
    );
    let json = doc.issuer_signed_json();
    let privileges = json[ISO_NS]["driving_privileges"].as_array().unwrap();
    assert_eq!(privileges.len(), 2);
    assert_eq!(privileges[0]["vehicle_category_code"], "A");
    assert_eq!(privileges[0]["issue_date"], "2018-08-09");
    assert_eq!(privileges[1]["vehicle_category_code"], "B");
    assert_eq!(privileges[1]["issue_date"], "2017-02-23");
    assert_eq!(privileges[1]["expiry_date"], "2024-10-20");
    assert_eq!(json[ISO_NS]["issue_date"], "2019-10-20");
    assert!(doc.device_signed.is_empty());
}

#[test]
fn annex_d_without_reader_key_reports_mac_unsupported() {
    let Some(v) = annex_d() else { return };
    assert_eq!(
        v.verify("device_response.hex", ANNEX_D_NOW, false),
        Err(MdocError::DeviceMacNotSupported)
    );
}

#[test]
fn annex_d_is_expired_today() {
    let Some(v) = annex_d() else { return };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert_eq!(
        v.verify("device_response.hex", now, true),
        Err(MdocError::Expired(ValidityScope::IssuerCertificate))
    );
    // Before the document signer certificate starts.
    assert_eq!(
        v.verify("device_response.hex", 1_601_500_000, true),
        Err(MdocError::NotYetValid(ValidityScope::IssuerCertificate))
    );
    // The certificate outlives the MSO by hours: 2021-10-01T00:00:00Z is past
    // validUntil (13:30:02 the day before is still fine).
    assert!(
        v.verify("device_response.hex", 1_633_046_400 - 1, true)
            .is_ok()
    );
}

#[test]
fn annex_d_negative_vectors() {
    let Some(v) = annex_d() else { return };
    assert_eq!(
        v.verify(
            "negative/device_response_family_name_tampered.hex",
            ANNEX_D_NOW,
            true
        ),
        Err(MdocError::DigestMismatch {
            namespace: ISO_NS.into(),
            element: "family_name".into()
        })
    );
    assert_eq!(
        v.verify(
            "negative/device_response_issuer_signature_tampered.hex",
            ANNEX_D_NOW,
            true
        ),
        Err(MdocError::BadIssuerSignature)
    );
    assert_eq!(
        v.verify(
            "negative/device_response_device_mac_tampered.hex",
            ANNEX_D_NOW,
            true
        ),
        Err(MdocError::BadDeviceMac)
    );
}

#[test]
fn annex_d_trust_decisions() {
    let Some(v) = annex_d() else { return };
    let bytes = hex_file(&v.dir.join("device_response.hex"));
    let verify_with = |anchors: &TrustAnchors| {
        verify_device_response(
            &bytes,
            &VerifyOptions {
                now: ANNEX_D_NOW,
                trust_anchors: anchors,
                session_transcript: &v.transcript,
                expected_doc_type: None,
                reader_key: Some(&v.reader),
                holder_high_s: HighS::Refuse,
            },
        )
    };
    let reader_root =
        TrustAnchors::new().with_certificate(cert(&v.dir.join("reader_root_cert.pem")));
    assert_eq!(verify_with(&reader_root), Err(MdocError::UntrustedIssuer));
    assert_eq!(
        verify_with(&TrustAnchors::new()),
        Err(MdocError::UntrustedIssuer)
    );
    let pinned_ds = TrustAnchors::new().with_certificate(cert(&v.dir.join("ds_cert.pem")));
    assert!(verify_with(&pinned_ds).is_ok());
    let pinned_key =
        TrustAnchors::new().with_key(cert(&v.dir.join("ds_cert.pem")).public_key().clone());
    assert!(verify_with(&pinned_key).is_ok());

    // The DS certificate chains to the IACA root.
    let ds = cert(&v.dir.join("ds_cert.pem"));
    let iaca = cert(&v.dir.join("iaca_cert.pem"));
    assert!(ds.is_signed_by(&iaca));
    assert!(!iaca.is_signed_by(&ds));
    assert!(iaca.is_signed_by(&iaca));
    assert!(
        cert(&v.dir.join("reader_cert.pem"))
            .is_signed_by(&cert(&v.dir.join("reader_root_cert.pem")))
    );
}

#[test]
fn annex_d_wrong_transcript_or_doc_type() {
    let Some(v) = annex_d() else { return };
    let bytes = hex_file(&v.dir.join("device_response.hex"));
    let other = SessionTranscript::openid4vp("x", "y", None, "z").unwrap();
    let options = VerifyOptions {
        now: ANNEX_D_NOW,
        trust_anchors: &v.anchors,
        session_transcript: &other,
        expected_doc_type: Some(MDL),
        reader_key: Some(&v.reader),
        holder_high_s: HighS::Refuse,
    };
    assert_eq!(
        verify_device_response(&bytes, &options),
        Err(MdocError::BadDeviceMac)
    );
    let options = VerifyOptions {
        session_transcript: &v.transcript,
        expected_doc_type: Some("eu.europa.ec.eudi.pid.1"),
        ..options
    };
    assert!(matches!(
        verify_device_response(&bytes, &options),
        Err(MdocError::DocTypeMismatch { .. })
    ));
}

struct Auth0 {
    dir: PathBuf,
    transcript: SessionTranscript,
    anchors: TrustAnchors,
}

fn auth0() -> Option<Auth0> {
    let dir = vectors()?.join("auth0-mdl");
    Some(Auth0 {
        transcript: SessionTranscript::from_bytes(&hex_file(
            &dir.join("session_transcript_bytes.hex"),
        ))
        .unwrap(),
        anchors: TrustAnchors::new().with_certificate(cert(&dir.join("issuer_cert.pem"))),
        dir,
    })
}

impl Auth0 {
    /// Verifies as a verifier of other wallets' responses (high-S holder signatures accepted).
    fn verify(&self, file: &str) -> Result<Vec<VerifiedDocument>, MdocError> {
        self.verify_with(file, HighS::Accept)
    }

    fn verify_with(
        &self,
        file: &str,
        holder_high_s: HighS,
    ) -> Result<Vec<VerifiedDocument>, MdocError> {
        verify_device_response(
            &hex_file(&self.dir.join(file)),
            &VerifyOptions {
                now: AUTH0_NOW,
                trust_anchors: &self.anchors,
                session_transcript: &self.transcript,
                expected_doc_type: Some(MDL),
                reader_key: None,
                holder_high_s,
            },
        )
    }
}

/// @auth0/mdl leaves `s` as it comes: the deviceSignatures of examples 1, 3 and 4 are high-S
/// (example 2's is low-S; its issuerAuth is high-S, which is accepted from issuers). Where a
/// replay decision keys on the holder signature, the high-S ones are refused by name.
#[test]
fn auth0_high_s_device_signatures_are_refused_where_low_s_is_required() {
    let Some(v) = auth0() else { return };
    for file in [
        "example1_device_response_full_disclosure.hex",
        "example4_device_response_with_device_signed_items.hex",
    ] {
        assert!(v.verify(file).is_ok(), "{file}");
        assert_eq!(
            v.verify_with(file, HighS::Refuse).unwrap_err(),
            MdocError::NonCanonicalSignature,
            "{file}"
        );
    }
    let low_s = "example2_device_response_partial_disclosure.hex";
    assert!(v.verify_with(low_s, HighS::Refuse).is_ok());
}

fn identifiers(doc: &VerifiedDocument) -> Vec<&str> {
    doc.issuer_signed
        .iter()
        .flat_map(|ns| ns.elements.iter().map(|e| e.identifier.as_str()))
        .collect()
}

#[test]
fn auth0_full_and_partial_disclosure_are_valid() {
    let Some(v) = auth0() else { return };
    let full = v
        .verify("example1_device_response_full_disclosure.hex")
        .unwrap();
    assert_eq!(full.len(), 1);
    let doc = &full[0];
    assert_eq!(doc.device_auth, Some(DeviceAuthMethod::Signature));
    assert_eq!(doc.issuer.trust, IssuerTrust::Trusted);
    let mut ids = identifiers(doc);
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "birth_date",
            "document_number",
            "driving_privileges",
            "expiry_date",
            "family_name",
            "given_name",
            "issue_date",
            "issuing_authority",
            "issuing_country",
            "issuing_jurisdiction",
            "portrait",
            "un_distinguishing_sign"
        ]
    );
    assert!(doc.issuer.subject().unwrap().contains("O=NY DMV"));

    let partial = v
        .verify("example2_device_response_partial_disclosure.hex")
        .unwrap();
    let mut ids = identifiers(&partial[0]);
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "birth_date",
            "family_name",
            "given_name",
            "issuing_authority",
            "issuing_country",
            "issuing_jurisdiction"
        ]
    );
}

#[test]
fn auth0_tampered_family_name_is_a_digest_mismatch() {
    let Some(v) = auth0() else { return };
    assert_eq!(
        v.verify("example3_device_response_family_name_tampered.hex"),
        Err(MdocError::DigestMismatch {
            namespace: ISO_NS.into(),
            element: "family_name".into()
        })
    );
}

#[test]
fn auth0_device_signed_items() {
    let Some(v) = auth0() else { return };
    let docs = v
        .verify("example4_device_response_with_device_signed_items.hex")
        .unwrap();
    let doc = &docs[0];
    assert_eq!(identifiers(doc).len(), 12);
    assert_eq!(
        doc.device_signed_json(),
        serde_json::json!({"org.iso.wallet.mDL": {"version": 1, "deviceName": "mDL Super Wallet"}})
    );
    assert_eq!(
        doc.device_element("org.iso.wallet.mDL", "version"),
        Some(&CborValue::Integer(1.into()))
    );
}

#[test]
fn auth0_wrong_transcript_and_times() {
    let Some(v) = auth0() else { return };
    let bytes = hex_file(&v.dir.join("example1_device_response_full_disclosure.hex"));
    let other =
        SessionTranscript::openid4vp("123456", "abcdefg", None, "http://localhost:4000").unwrap();
    let options = VerifyOptions {
        now: AUTH0_NOW,
        trust_anchors: &v.anchors,
        session_transcript: &other,
        expected_doc_type: None,
        reader_key: None,
        holder_high_s: HighS::Accept,
    };
    assert_eq!(
        verify_device_response(&bytes, &options),
        Err(MdocError::BadDeviceSignature)
    );
    // Before the MSO's validFrom (2023-09-29) but inside the certificate (from 2023-09-14).
    let early = VerifyOptions {
        now: 1_695_000_000,
        session_transcript: &v.transcript,
        ..options
    };
    assert_eq!(
        verify_device_response(&bytes, &early),
        Err(MdocError::NotYetValid(ValidityScope::Credential))
    );
    // After the certificate ends (2033-09-11).
    let late = VerifyOptions {
        now: 2_100_000_000,
        session_transcript: &v.transcript,
        ..options
    };
    assert_eq!(
        verify_device_response(&bytes, &late),
        Err(MdocError::Expired(ValidityScope::IssuerCertificate))
    );
}

#[test]
fn auth0_document_re_presents_as_a_stored_credential() {
    let Some(v) = auth0() else { return };
    // A Document taken from a response is accepted as a stored credential (deviceSigned
    // dropped), and its issuer side verifies with the same anchors.
    let bytes = hex_file(&v.dir.join("example1_device_response_full_disclosure.hex"));
    let response: CborValue = ciborium::from_reader(bytes.as_slice()).unwrap();
    let CborValue::Map(entries) = response else {
        panic!("not a map")
    };
    let documents = entries
        .into_iter()
        .find(|(k, _)| k.as_text() == Some("documents"))
        .unwrap()
        .1;
    let document = documents.as_array().unwrap()[0].clone();
    let mut doc_bytes = Vec::new();
    // Re-encoding here is only to cut the test input out; the items inside stay byte-exact
    // because they are embedded byte strings.
    ciborium::into_writer(&document, &mut doc_bytes).unwrap();
    let stored = IssuedMdoc::from_bytes(&doc_bytes).unwrap();
    assert_eq!(stored.doc_type(), MDL);
    assert_eq!(stored.elements().len(), 12);
    let checked = stored.verify(&v.anchors, AUTH0_NOW).unwrap();
    assert_eq!(checked.issuer.trust, IssuerTrust::Trusted);
    assert_eq!(checked.device_auth, None);
    let untrusted = stored.verify(&TrustAnchors::new(), AUTH0_NOW).unwrap();
    assert_eq!(untrusted.issuer.trust, IssuerTrust::Untrusted);
}
