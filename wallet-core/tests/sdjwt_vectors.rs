//! Every case of the published SD-JWT / SD-JWT VC vectors in `../shared/vectors/sd-jwt`
//! (RFC 9901 draft-22 examples, SD-JWT VC draft-18 examples, derived negative cases, and
//! the expectation-only cases of `manifest.json`), with the keys, nonce/aud and times
//! given there. Processed payloads are compared with each `*.expected.json` exactly.
//!
//! The folder lives outside the repository; without it each test fails under `CI=true` and
//! elsewhere prints a `SKIPPED (missing test data)` line that the test tally counts
//! (`laissez_test_support::shared_data`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use wallet_core::crypto::ecdsa::{HighS, SigningKey, VerifyingKey};
use wallet_core::jose::{P256Jwk, SignedJwt, base64url};
use wallet_core::sdjwt::{
    ClaimPath, KeyBindingRequest, Part, Profile, SdJwt, SdJwtError, Validation, VerifyOptions,
    disclosable_paths, import_issued, present, sd_hash, verify_json_presentation,
    verify_presentation,
};

struct Vectors {
    root: PathBuf,
    manifest: Value,
    issuer: VerifyingKey,
    holder: SigningKey,
}

impl Vectors {
    fn load() -> Option<Self> {
        let root = laissez_test_support::shared_data("vectors/sd-jwt/manifest.json")?
            .parent()?
            .to_path_buf();
        let manifest = serde_json::from_str(&read(&root, "manifest.json")).unwrap();
        let issuer_jwk: Value =
            serde_json::from_str(&read(&root, "keys/issuer_key.public.jwk.json")).unwrap();
        let issuer = P256Jwk::from_json(&issuer_jwk)
            .unwrap()
            .into_verifying_key();
        let holder_jwk: Value =
            serde_json::from_str(&read(&root, "keys/holder_key.private.jwk.json")).unwrap();
        let d = base64url::decode(holder_jwk["d"].as_str().unwrap()).unwrap();
        let holder = SigningKey::from_scalar(&d.try_into().unwrap()).unwrap();
        let mut public = holder_jwk.clone();
        public.as_object_mut().unwrap().remove("d");
        assert_eq!(
            P256Jwk::from_json(&public).unwrap().verifying_key(),
            holder.public_key(),
            "holder private key matches its public half"
        );
        Some(Self {
            root,
            manifest,
            issuer,
            holder,
        })
    }

    fn keys(&self) -> Vec<laissez_crypto::issuer_key::IssuerKey> {
        vec![self.issuer.clone().into()]
    }

    fn token(&self, file: &str) -> String {
        // One line with a newline at the end; the newline is not part of the token.
        read(&self.root, file).trim_end_matches('\n').to_owned()
    }

    fn expected(&self, file: &str) -> Map<String, Value> {
        serde_json::from_str(&read(&self.root, file)).unwrap()
    }

    fn recommended_now(&self) -> i64 {
        self.manifest["clock"]["recommended_verify_at"]
            .as_i64()
            .unwrap()
    }

    /// nonce and aud the verifier of `file`'s folder expects.
    fn kb_expectations(&self, file: &str) -> (String, String) {
        let folder = file.split('/').next().unwrap();
        let folder = if folder == "negative" {
            "sd-jwt-draft22"
        } else {
            folder
        };
        let e = &self.manifest["key_binding_expectations"][folder];
        (
            e["nonce"].as_str().unwrap().to_owned(),
            e["aud"].as_str().unwrap().to_owned(),
        )
    }
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// How a manifest case is judged.
enum Check {
    /// A bare Issuer-signed JWT whose signature must verify.
    Jwt,
    /// Valid; the processed payload must equal the expected JSON.
    Valid,
    /// Valid in JSON serialisation (RFC 9901 s8).
    ValidJson,
    /// Valid when key binding is not required, refused with `MissingKeyBinding` otherwise.
    ValidOnlyWithoutKeyBinding,
    /// Refused with this error.
    Invalid(SdJwtError),
}

/// The judgement for a case. Panics on a case it does not know, so a new manifest entry
/// cannot go untested.
fn check_for(case: &Value) -> Check {
    let file = case["file"].as_str().unwrap();
    let kind = case["kind"].as_str().unwrap();
    let expect = case["expect"].as_str().unwrap();
    if let Some(expects) = case.get("verifier_expects") {
        return if expects["nonce"] != "1234567890" {
            Check::Invalid(SdJwtError::NonceMismatch)
        } else {
            Check::Invalid(SdJwtError::AudienceMismatch)
        };
    }
    if case.get("verify_at").is_some() {
        return Check::Invalid(SdJwtError::Expired);
    }
    if case["role"] == "holder" {
        return Check::Invalid(SdJwtError::UnexpectedKeyBinding);
    }
    match (kind, file) {
        ("jwt", _) => Check::Jwt,
        ("sd-jwt-json", _) => Check::ValidJson,
        (_, "negative/s5-presentation-kb_stripped.txt") => Check::ValidOnlyWithoutKeyBinding,
        (_, "negative/s5-presentation-unreferenced_disclosure.txt") => {
            Check::Invalid(SdJwtError::UnreferencedDisclosure)
        }
        (_, "negative/s5-presentation_kb-issuer_signature_modified.txt") => {
            Check::Invalid(SdJwtError::BadIssuerSignature)
        }
        (_, "negative/s5-presentation_kb-disclosure_removed.txt") => {
            Check::Invalid(SdJwtError::SdHashMismatch)
        }
        (_, "negative/s5-presentation_kb-kb_signature_modified.txt") => {
            Check::Invalid(SdJwtError::BadKeyBindingSignature)
        }
        ("sd-jwt" | "sd-jwt+kb", _) if expect == "valid" => Check::Valid,
        _ => panic!("no judgement for manifest case {file} ({expect})"),
    }
}

fn profile_for(case: &Value) -> Profile {
    if case["typ"] == "dc+sd-jwt" {
        Profile::SdJwtVc
    } else {
        Profile::SdJwt
    }
}

fn options(v: &Vectors, case: &Value, require_key_binding: bool) -> VerifyOptions {
    let file = case["file"].as_str().unwrap();
    let (nonce, aud) = match case.get("verifier_expects") {
        Some(e) => (
            e["nonce"].as_str().unwrap().to_owned(),
            e["aud"].as_str().unwrap().to_owned(),
        ),
        None => v.kb_expectations(file),
    };
    // A fixed clock at the KB-JWT's iat (draft-18 KB-JWTs are later than the recommended
    // time), or at the case's own verify_at.
    let now = case
        .get("verify_at")
        .or_else(|| case.get("key_binding").and_then(|kb| kb.get("iat")))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| v.recommended_now());
    let mut options = VerifyOptions::new(nonce, aud, now);
    options.validation.profile = profile_for(case);
    options.require_key_binding = require_key_binding;
    // Published holders do not normalise s (see the test below).
    options.holder_high_s = HighS::Accept;
    options
}

fn run_valid(v: &Vectors, case: &Value) {
    let file = case["file"].as_str().unwrap();
    let token = v.token(file);
    let with_kb = case["kind"] == "sd-jwt+kb";
    let options = options(v, case, with_kb);
    let verified = verify_presentation(&token, &v.keys(), &options)
        .unwrap_or_else(|e| panic!("{file}: {e} ({})", e.code()));
    let expected = v.expected(case["expected_processed_payload"].as_str().unwrap());
    assert_eq!(
        verified.credential.claims, expected,
        "{file}: processed payload"
    );
    assert_eq!(verified.key_binding.is_some(), with_kb, "{file}");

    let parsed = SdJwt::parse(&token).unwrap();
    if let Some(count) = case.get("disclosures").and_then(Value::as_u64) {
        assert_eq!(parsed.disclosures().len() as u64, count, "{file}");
    }
    if let Some(typ) = case.get("typ").and_then(Value::as_str) {
        assert_eq!(verified.credential.typ.as_deref(), Some(typ), "{file}");
    }
    assert_eq!(
        verified.credential.kid.as_deref(),
        case.get("kid").and_then(Value::as_str),
        "{file}"
    );
    if let Some(kb) = case.get("key_binding") {
        assert_eq!(
            sd_hash(&parsed.without_key_binding()),
            kb["sd_hash"].as_str().unwrap(),
            "{file}: sd_hash"
        );
        assert_eq!(
            verified.key_binding.as_ref().unwrap().issued_at,
            kb["iat"].as_i64().unwrap()
        );
        assert_eq!(
            &verified.key_binding.unwrap().holder_key,
            v.holder.public_key()
        );
    }
    if profile_for(case) == Profile::SdJwtVc {
        assert!(verified.credential.vct.is_some(), "{file}: vct");
    }
    if case.get("exp").is_some() {
        assert_eq!(
            verified.credential.validity.expires_at,
            case["exp"].as_i64(),
            "{file}"
        );
    }

    // An issued credential: the holder imports it, lists its disclosable claims, and
    // presents all of them with our own Key Binding JWT; the result must verify to the same
    // payload.
    if !with_kb && file.contains("issuance") {
        let validation = options.validation;
        let (credential, all) = import_issued(&token, &v.keys(), &validation)
            .unwrap_or_else(|e| panic!("{file}: import: {e}"));
        assert_eq!(all.claims, expected);
        let paths = disclosable_paths(&credential).unwrap();
        assert_eq!(paths.len(), credential.disclosures().len(), "{file}");
        let top_level: Vec<ClaimPath> = expected.keys().map(ClaimPath::key).collect();
        if all.holder_key.is_some() {
            let request = KeyBindingRequest {
                nonce: "fresh-nonce".into(),
                audience: "https://laissez.example/verifier".into(),
                issued_at: validation.now,
            };
            let shown = present(&credential, &top_level, &request, &v.holder).unwrap();
            let mut check = VerifyOptions::new(
                "fresh-nonce",
                "https://laissez.example/verifier",
                validation.now,
            );
            check.validation = validation;
            let again = verify_presentation(&shown, &v.keys(), &check)
                .unwrap_or_else(|e| panic!("{file}: our presentation: {e}"));
            assert_eq!(again.credential.claims, expected, "{file}: re-presented");
        }
    }
}

fn run_case(v: &Vectors, case: &Value) {
    let file = case["file"].as_str().unwrap();
    match check_for(case) {
        Check::Jwt => {
            let jwt = SignedJwt::parse(&v.token(file)).unwrap();
            // Published issuer signatures: several are high-S, as other signers leave them.
            assert!(
                jwt.verify(&v.issuer, HighS::Accept).is_ok(),
                "{file}: signature"
            );
            assert_eq!(jwt.header().typ(), case["typ"].as_str());
            assert_eq!(jwt.claims()["iat"], case["iat"]);
            assert_eq!(jwt.claims()["exp"], case["exp"]);
        }
        Check::Valid => run_valid(v, case),
        Check::ValidJson => {
            let text = read(&v.root, file);
            let with_kb = file.contains("_kb");
            let options = options(v, case, with_kb);
            let verified = verify_json_presentation(&text, &v.keys(), &options)
                .unwrap_or_else(|e| panic!("{file}: {e} ({})", e.code()));
            assert_eq!(verified.key_binding.is_some(), with_kb, "{file}");
            let claims = &verified.credential.claims;
            assert_eq!(claims["iss"], "https://issuer.example.com", "{file}");
            if with_kb {
                // Both JSON presentations disclose exactly these two claims (s8.2, s8.3).
                assert_eq!(claims["given_name"], "John", "{file}");
                assert_eq!(claims["family_name"], "Doe", "{file}");
                assert!(!claims.contains_key("address"), "{file}");
            } else {
                assert_eq!(verified.credential.disclosed_paths.len(), 4, "{file}");
            }
        }
        Check::ValidOnlyWithoutKeyBinding => {
            let token = v.token(file);
            let lenient = options(v, case, false);
            let verified = verify_presentation(&token, &v.keys(), &lenient).unwrap();
            assert_eq!(
                verified.credential.claims,
                v.expected("sd-jwt-draft22/s5-presentation_kb.expected.json")
            );
            let strict = options(v, case, true);
            assert_eq!(
                verify_presentation(&token, &v.keys(), &strict).unwrap_err(),
                SdJwtError::MissingKeyBinding
            );
        }
        Check::Invalid(expected) => {
            let token = v.token(file);
            let error = if case["role"] == "holder" {
                let validation = Validation::sd_jwt(v.recommended_now());
                import_issued(&token, &v.keys(), &validation).unwrap_err()
            } else {
                let require = case["kind"] == "sd-jwt+kb";
                verify_presentation(&token, &v.keys(), &options(v, case, require)).unwrap_err()
            };
            assert_eq!(error, expected, "{file}: {}", case["expect"]);
        }
    }
}

#[test]
fn every_manifest_case() {
    let Some(v) = Vectors::load() else { return };
    let cases = v.manifest["cases"].as_array().unwrap();
    for case in cases {
        run_case(&v, case);
        println!(
            "PASS {} ({})",
            case["file"].as_str().unwrap(),
            case["expect"].as_str().unwrap()
        );
    }
    println!("{} of {} manifest cases pass", cases.len(), cases.len());
    assert!(cases.len() >= 26, "the manifest lost cases");
}

/// The reference implementation's Key Binding JWTs are not normalised: the one of
/// sd-jwt-vc-draft18/s2_3-presentation_kb.txt is high-S (so is the one in
/// sd-jwt-draft22/s8_2-flattened_presentation_kb.json). Where a replay decision keys on the
/// holder signature it is refused by name.
#[test]
fn a_published_high_s_key_binding_is_refused_where_low_s_is_required() {
    let Some(v) = Vectors::load() else { return };
    let file = "sd-jwt-vc-draft18/s2_3-presentation_kb.txt";
    let case = v.manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == file)
        .unwrap();
    let mut options = options(&v, case, true);
    assert!(verify_presentation(&v.token(file), &v.keys(), &options).is_ok());
    options.holder_high_s = HighS::Refuse;
    assert_eq!(
        verify_presentation(&v.token(file), &v.keys(), &options).unwrap_err(),
        SdJwtError::NonCanonicalSignature {
            part: Part::KeyBindingJwt
        }
    );
}

#[test]
fn every_token_file_is_in_the_manifest() {
    let Some(v) = Vectors::load() else { return };
    let listed: Vec<&str> = v.manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap())
        .collect();
    for folder in ["sd-jwt-draft22", "sd-jwt-vc-draft18", "negative"] {
        for entry in std::fs::read_dir(v.root.join(folder)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let is_token = name.ends_with(".txt")
                || (name.ends_with(".json") && !name.ends_with(".expected.json"));
            if is_token {
                let file = format!("{folder}/{name}");
                assert!(listed.contains(&file.as_str()), "{file} not in manifest");
            }
        }
    }
}

#[test]
fn spec_presentations_fail_under_the_wrong_profile_or_keys() {
    let Some(v) = Vectors::load() else { return };
    // typ example+sd-jwt is not an SD-JWT VC.
    let token = v.token("sd-jwt-draft22/s5-presentation_kb.txt");
    let mut options = VerifyOptions::new("1234567890", "https://verifier.example.org", 1748537243);
    assert!(matches!(
        verify_presentation(&token, &v.keys(), &options).unwrap_err(),
        SdJwtError::WrongType { .. }
    ));
    // The holder key is not the issuer key.
    options.validation.profile = Profile::SdJwt;
    assert_eq!(
        verify_presentation(&token, &[v.holder.public_key().into()], &options).unwrap_err(),
        SdJwtError::BadIssuerSignature
    );
    // Too late for the KB-JWT (default 300 s + 60 s skew).
    options.validation.now = 1748537243 + 361;
    assert_eq!(
        verify_presentation(&token, &v.keys(), &options).unwrap_err(),
        SdJwtError::KeyBindingTooOld
    );
    options.validation.now = 1748537243 - 61;
    assert_eq!(
        verify_presentation(&token, &v.keys(), &options).unwrap_err(),
        SdJwtError::KeyBindingInFuture
    );
    // Before the credential's iat (1683000000).
    options.validation.now = 1683000000 - 61;
    assert_eq!(
        verify_presentation(&token, &v.keys(), &options).unwrap_err(),
        SdJwtError::NotYetValid
    );
}
