//! `laissez issuer`, the credential commands of `laissez wallet` and
//! `laissez verify-presentation` end to end, in both formats, and their exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{Scratch, init_wallet, laissez, s, with_pin};

const NONCE: &str = "n-42";
const AUDIENCE: &str = "https://desk.example";

const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Yusuf","birth_date":"1994-03-12",
"nationality":"SD","registration_id":"IOM-2026-004217","place_of_birth":"Khartoum"}"#;

/// A wallet with a holder key file, an issuer and a claims file.
struct Setup {
    scratch: Scratch,
    db: PathBuf,
    issuer: PathBuf,
    holder_key: PathBuf,
    claims: PathBuf,
}

impl Setup {
    fn new() -> Self {
        Self::with_alg("ES256")
    }

    /// [`Setup::new`] with an issuer signing with `alg` (`laissez issuer new --alg`).
    fn with_alg(alg: &str) -> Self {
        let scratch = Scratch::new();
        let db = scratch.path("w.db");
        init_wallet(&db);
        let issuer = scratch.path("issuer");
        let made = laissez(
            &[
                "issuer",
                "new",
                "--out",
                s(&issuer),
                "--name",
                "IOM Field Office",
                "--alg",
                alg,
            ],
            &[],
        )
        .expect_code(0);
        assert!(made.stdout.contains("key fingerprint"), "{}", made.stdout);
        let holder_key = scratch.path("holder.json");
        let run = with_pin(&[
            "wallet",
            "holder-key",
            "--db",
            s(&db),
            "--out",
            s(&holder_key),
        ])
        .expect_code(0);
        assert!(run.stdout.contains("slot 0"), "{}", run.stdout);
        let claims = scratch.write("claims.json", CLAIMS.as_bytes());
        Self {
            scratch,
            db,
            issuer,
            holder_key,
            claims,
        }
    }

    fn db(&self) -> &str {
        s(&self.db)
    }

    fn cert(&self) -> PathBuf {
        self.issuer.join("issuer.cert.pem")
    }

    /// Issues the claims in `format` to the wallet's holder key; returns the file.
    fn issue(&self, format: &str) -> PathBuf {
        let out = self.scratch.path(&format!("issued.{format}"));
        let run = laissez(&self.issue_args(format, &self.holder_key, &out), &[]).expect_code(0);
        assert!(run.stdout.starts_with("Issued"), "{}", run.stdout);
        out
    }

    fn issue_args<'a>(
        &'a self,
        format: &'a str,
        holder_key: &'a Path,
        out: &'a Path,
    ) -> Vec<&'a str> {
        let credential_type = if format == "mdoc" {
            "org.iom.registration.1"
        } else {
            "urn:laissez:iom:registration:1"
        };
        vec![
            "issuer",
            "issue",
            "--issuer",
            s(&self.issuer),
            "--format",
            format,
            "--type",
            credential_type,
            "--claims",
            s(&self.claims),
            "--holder-key",
            s(holder_key),
            "--out",
            s(out),
        ]
    }

    /// Imports a file; returns the id.
    fn import(&self, file: &Path) -> String {
        let run = with_pin(&["wallet", "import", "--db", self.db(), s(file)]).expect_code(0);
        let id = run.stdout.trim().to_string();
        assert_eq!(id.len(), 32, "{}", run.stdout);
        id
    }

    /// Presents given_name, family_name, nationality of `id` (to NONCE and AUDIENCE unless
    /// `extra` gives a transcript); returns the file.
    fn present(&self, id: &str, name: &str, extra: &[&str]) -> PathBuf {
        let out = self.scratch.path(name);
        let mut args = vec![
            "wallet",
            "present",
            "--db",
            self.db(),
            id,
            "--claims",
            "given_name,family_name,nationality",
            "--out",
            s(&out),
        ];
        if !extra.contains(&"--transcript") {
            args.extend(["--nonce", NONCE, "--audience", AUDIENCE]);
        }
        args.extend(extra);
        with_pin(&args).expect_code(0);
        out
    }

    /// Runs verify-presentation with the issuer's certificate, NONCE and AUDIENCE.
    fn verify(&self, file: &Path, nonce: &str, extra: &[&str]) -> common::Run {
        let cert = self.cert();
        let mut args = vec![
            "verify-presentation",
            "--trust-key",
            s(&cert),
            "--nonce",
            nonce,
            "--audience",
            AUDIENCE,
            s(file),
        ];
        args.extend(extra);
        laissez(&args, &[])
    }
}

/// The verdict printed by `verify-presentation --json`.
fn verdict(run: &common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not one JSON object ({e}):\n{}", run.stdout))
}

/// The presentation with one letter of the disclosed given name changed ("Amina" to
/// "Amino"): in the mdoc's CBOR as it is, in the SD-JWT inside its base64url disclosure.
fn tampered(bytes: &[u8], format: &str) -> Vec<u8> {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut bytes = bytes.to_vec();
    if format == "mdoc" {
        let at = bytes.windows(5).position(|w| w == b"Amina").unwrap();
        bytes[at + 4] = b'o';
        return bytes;
    }
    let text = String::from_utf8(bytes).unwrap();
    let parts: Vec<String> = text
        .split('~')
        .map(|part| match URL_SAFE_NO_PAD.decode(part) {
            Ok(json) if json.windows(7).any(|w| w == b"\"Amina\"") => {
                let changed = String::from_utf8(json).unwrap().replace("Amina", "Amino");
                URL_SAFE_NO_PAD.encode(changed)
            }
            _ => part.to_string(),
        })
        .collect();
    assert_ne!(parts.join("~"), text, "no disclosure of the given name");
    parts.join("~").into_bytes()
}

/// The presentation with its middle byte changed.
fn flipped(bytes: &[u8]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
    bytes
}

#[test]
fn each_issuer_algorithm_issues_and_verify_presentation_accepts_it() {
    for alg in ["ES256", "ES384", "EdDSA"] {
        let setup = Setup::with_alg(alg);
        for format in ["sd-jwt", "mdoc"] {
            let issued = setup.issue(format);
            let id = setup.import(&issued);
            let presentation = setup.present(&id, &format!("p-{alg}.{format}"), &[]);
            let run = setup
                .verify(&presentation, NONCE, &["--json"])
                .expect_code(0);
            let v = verdict(&run);
            assert_eq!(v["valid"], true, "{alg} {format}: {v}");
            assert_eq!(v["format"], format);
            assert_eq!(v["issuer"]["name"], "IOM Field Office", "{alg} {format}");
            // Altered, it fails.
            let bytes = std::fs::read(&presentation).unwrap();
            let bad = setup
                .scratch
                .write(&format!("bad-{alg}.{format}"), &tampered(&bytes, format));
            let run = setup.verify(&bad, NONCE, &["--json"]).expect_code(1);
            assert_eq!(verdict(&run)["valid"], false, "{alg} {format}");
        }
    }
    // An algorithm the issuer cannot use is bad input, and leaves no folder behind.
    let scratch = Scratch::new();
    let out = scratch.path("issuer");
    let run = laissez(&["issuer", "new", "--out", s(&out), "--alg", "ES512"], &[]).expect_code(2);
    assert!(run.stderr.contains("ES512"), "{}", run.stderr);
    assert!(!out.exists());
}

fn full_flow(format: &str) {
    let setup = Setup::new();
    let issued = setup.issue(format);
    let id = setup.import(&issued);

    // Listed, shown with French labels, every claim marked as one that can be withheld.
    let list = with_pin(&["wallet", "list", "--db", setup.db(), "--json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(v["credentials"].as_array().unwrap().len(), 1);
    assert_eq!(v["credentials"][0]["id"], id.as_str());
    assert_eq!(v["credentials"][0]["format"], format);
    assert_eq!(v["credentials"][0]["issuer_name"], "IOM Field Office");
    // No issuer trust list in this wallet: that name is only the credential's claim.
    assert_eq!(
        v["credentials"][0]["issuer_trust"],
        serde_json::json!({"state": "unknown"})
    );
    let shown =
        with_pin(&["wallet", "show", "--db", setup.db(), &id, "--lang", "fr"]).expect_code(0);
    assert!(
        shown
            .stdout
            .contains("unverified issuer, claims to be \"IOM Field Office\""),
        "{}",
        shown.stdout
    );
    assert!(shown.stdout.contains("Prénom"), "{}", shown.stdout);
    assert!(
        shown.stdout.contains("Enregistrement OIM"),
        "{}",
        shown.stdout
    );
    assert!(shown.stdout.contains("Khartoum"), "{}", shown.stdout);
    let shown = with_pin(&["wallet", "show", "--db", setup.db(), &id, "--json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let claims = v["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 6, "{}", shown.stdout);
    assert!(claims.iter().all(|c| c["selectable"] == true));
    assert!(claims.iter().any(|c| c["label"] == "Given name"));

    // Importing the same credential again is refused.
    let again = with_pin(&["wallet", "import", "--db", setup.db(), s(&issued)]).expect_code(2);
    assert!(
        again.stderr.contains("already in the wallet"),
        "{}",
        again.stderr
    );

    // Present three claims; the verifier accepts them with labels in the asked language.
    let presentation = setup.present(&id, &format!("p.{format}"), &[]);
    let run = setup
        .verify(&presentation, NONCE, &["--json", "--lang", "fr"])
        .expect_code(0);
    let v = verdict(&run);
    assert_eq!(v["valid"], true);
    assert_eq!(v["format"], format);
    assert_eq!(v["reasons"].as_array().unwrap().len(), 0);
    assert_eq!(v["issuer"]["name"], "IOM Field Office");
    let disclosed = v["claims"].as_array().unwrap();
    assert_eq!(disclosed.len(), 3, "{}", run.stdout);
    assert!(
        disclosed
            .iter()
            .any(|c| c["label"] == "Prénom" && c["value"] == "Amina")
    );
    let text = setup.verify(&presentation, NONCE, &[]).expect_code(0);
    assert!(text.stdout.starts_with("VALID\n"), "{}", text.stdout);
    assert!(text.stdout.contains("Given name"), "{}", text.stdout);
    assert!(!text.stdout.contains("Khartoum"));

    // The history says what was shown, to whom.
    let history = with_pin(&["wallet", "history", "--db", setup.db(), "--json"]).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&history.stdout).unwrap();
    assert_eq!(v["disclosures"][0]["credential_id"], id.as_str());
    assert_eq!(v["disclosures"][0]["audience"], AUDIENCE);
    assert_eq!(v["disclosures"][0]["claims"].as_array().unwrap().len(), 3);

    // Exit 1: another nonce, an issuer that is not trusted, a tampered byte.
    let wrong = setup
        .verify(&presentation, "n-43", &["--json"])
        .expect_code(1);
    assert_eq!(verdict(&wrong)["valid"], false);
    if format == "sd-jwt" {
        assert_eq!(verdict(&wrong)["reasons"][0], "wrong_nonce");
    }
    let text = setup.verify(&presentation, "n-43", &[]).expect_code(1);
    assert!(text.stdout.starts_with("INVALID\n"), "{}", text.stdout);
    assert!(text.stderr.contains("INVALID"), "{}", text.stderr);

    let stranger = setup.scratch.path("stranger");
    laissez(&["issuer", "new", "--out", s(&stranger)], &[]).expect_code(0);
    let stranger_cert = stranger.join("issuer.cert.pem");
    let run = laissez(
        &[
            "verify-presentation",
            "--trust-key",
            s(&stranger_cert),
            "--nonce",
            NONCE,
            "--audience",
            AUDIENCE,
            "--json",
            s(&presentation),
        ],
        &[],
    )
    .expect_code(1);
    assert_eq!(verdict(&run)["reasons"][0], "unknown_issuer");
    // Trusting the issuer's public JWK works as well as its certificate.
    let public = setup.issuer.join("issuer.pub.json");
    laissez(
        &[
            "verify-presentation",
            "--trust-key",
            s(&stranger_cert),
            "--trust-key",
            s(&public),
            "--nonce",
            NONCE,
            "--audience",
            AUDIENCE,
            s(&presentation),
        ],
        &[],
    )
    .expect_code(0);

    let bytes = std::fs::read(&presentation).unwrap();
    let bad = setup
        .scratch
        .write(&format!("tampered.{format}"), &tampered(&bytes, format));
    let run = setup.verify(&bad, NONCE, &["--json"]).expect_code(1);
    assert_eq!(verdict(&run)["reasons"][0], "digest_mismatch");
    let bad = setup
        .scratch
        .write(&format!("flipped.{format}"), &flipped(&bytes));
    setup.verify(&bad, NONCE, &[]).expect_code(1);

    // Later than the credential's validity: expired.
    let later = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 400 * 86_400)
        .to_string();
    let run = setup
        .verify(&presentation, NONCE, &["--json", "--at", &later])
        .expect_code(1);
    assert!(!verdict(&run)["reasons"].as_array().unwrap().is_empty());

    // Delete: gone from the list, and a second delete is "not found".
    with_pin(&["wallet", "delete", "--db", setup.db(), &id]).expect_code(0);
    let list = with_pin(&["wallet", "list", "--db", setup.db()]).expect_code(0);
    assert!(list.stdout.contains("no credentials"), "{}", list.stdout);
    with_pin(&["wallet", "delete", "--db", setup.db(), &id]).expect_code(1);
}

#[test]
fn sd_jwt_issue_import_present_verify() {
    full_flow("sd-jwt");
}

#[test]
fn mdoc_issue_import_present_verify() {
    full_flow("mdoc");
}

#[test]
fn mdoc_session_transcript_in_and_out() {
    let setup = Setup::new();
    let id = setup.import(&setup.issue("mdoc"));
    let transcript = setup.scratch.path("t.cbor");
    let first = setup.present(&id, "p1.mdoc", &["--transcript-out", s(&transcript)]);
    // The transcript written is the OpenID4VP handover of the nonce and audience.
    let cert = setup.cert();
    let by_transcript = |file: &PathBuf, t: &PathBuf| {
        laissez(
            &[
                "verify-presentation",
                "--trust-key",
                s(&cert),
                "--transcript",
                s(t),
                s(file),
            ],
            &[],
        )
    };
    by_transcript(&first, &transcript).expect_code(0);
    // An explicit transcript on both sides.
    let second = setup.present(&id, "p2.mdoc", &["--transcript", s(&transcript)]);
    by_transcript(&second, &transcript).expect_code(0);
    setup.verify(&second, NONCE, &[]).expect_code(0);
    // Another transcript: invalid.
    let other = setup.scratch.path("t2.cbor");
    let mut args = vec![
        "wallet",
        "present",
        "--db",
        setup.db(),
        &id,
        "--claims",
        "given_name",
        "--nonce",
        "other",
        "--audience",
        AUDIENCE,
        "--out",
    ];
    let third = setup.scratch.path("p3.mdoc");
    args.extend([s(&third), "--transcript-out", s(&other)]);
    with_pin(&args).expect_code(0);
    by_transcript(&first, &other).expect_code(1);
    // A transcript file that is not CBOR: bad input.
    let junk = setup.scratch.write("junk.cbor", b"not cbor");
    by_transcript(&first, &junk).expect_code(2);
    // History records a transcript-bound presentation without an audience.
    let history = with_pin(&["wallet", "history", "--db", setup.db()]).expect_code(0);
    assert!(
        history.stdout.contains("(session transcript)"),
        "{}",
        history.stdout
    );
}

#[test]
fn sd_jwt_has_no_transcript() {
    let setup = Setup::new();
    let id = setup.import(&setup.issue("sd-jwt"));
    let transcript = setup.scratch.path("t.cbor");
    let out = setup.scratch.path("p.sdjwt");
    let run = with_pin(&[
        "wallet",
        "present",
        "--db",
        setup.db(),
        &id,
        "--claims",
        "given_name",
        "--nonce",
        NONCE,
        "--audience",
        AUDIENCE,
        "--transcript-out",
        s(&transcript),
        "--out",
        s(&out),
    ])
    .expect_code(2);
    assert!(run.stderr.contains("mdoc"), "{}", run.stderr);
    assert!(!out.exists());
    // Nothing was disclosed.
    let history = with_pin(&["wallet", "history", "--db", setup.db(), "--json"]).expect_code(0);
    assert!(
        history.stdout.contains("\"disclosures\": []"),
        "{}",
        history.stdout
    );
    // A claim the credential does not have.
    with_pin(&[
        "wallet",
        "present",
        "--db",
        setup.db(),
        &id,
        "--claims",
        "shoe_size",
        "--nonce",
        NONCE,
        "--audience",
        AUDIENCE,
        "--out",
        s(&out),
    ])
    .expect_code(2);
}

#[test]
fn a_credential_for_another_wallet_is_refused_at_import() {
    let setup = Setup::new();
    let other_db = setup.scratch.path("other.db");
    init_wallet(&other_db);
    let issued = setup.issue("sd-jwt");
    let run = with_pin(&["wallet", "import", "--db", s(&other_db), s(&issued)]).expect_code(1);
    assert!(
        run.stderr.contains("another wallet's holder key"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("holder-key"), "{}", run.stderr);
    let list = with_pin(&["wallet", "list", "--db", s(&other_db), "--json"]).expect_code(0);
    assert!(
        list.stdout.contains("\"credentials\": []"),
        "{}",
        list.stdout
    );
    // A wrong PIN is still a wrong PIN.
    laissez(
        &["wallet", "import", "--db", setup.db(), s(&issued)],
        &[("LAISSEZ_PIN", "0000")],
    )
    .expect_code(1);
}

#[test]
fn import_with_an_explicit_issuer_key() {
    let setup = Setup::new();
    let issued = setup.issue("mdoc");
    let public = setup.issuer.join("issuer.pub.json");
    let run = with_pin(&[
        "wallet",
        "import",
        "--db",
        setup.db(),
        s(&issued),
        "--issuer-key",
        s(&public),
        "--json",
    ])
    .expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["format"], "mdoc");
    assert_eq!(v["credential_type"], "org.iom.registration.1");
    // No labels inside the credential: Laissez's built-in metadata for its own type.
    assert_eq!(
        v["display"]["claim_labels"]["org.iom.registration.1/given_name"]["fr"],
        "Prénom"
    );
    // A key file that is not a key: bad input, before any PIN is asked.
    let junk = setup.scratch.write("junk.json", b"{\"kty\":\"oct\"}");
    let run = laissez(
        &[
            "wallet",
            "import",
            "--db",
            setup.db(),
            s(&issued),
            "--issuer-key",
            s(&junk),
        ],
        &[],
    )
    .expect_code(2);
    assert!(run.stderr.contains("junk.json"), "{}", run.stderr);
}

#[test]
fn garbage_inputs_exit_2() {
    let setup = Setup::new();
    let garbage = setup
        .scratch
        .write("garbage.bin", b"\x00\x01hello, not a credential");
    let missing = setup.scratch.path("missing.json");

    // Import of garbage, of a missing file.
    let run = with_pin(&["wallet", "import", "--db", setup.db(), s(&garbage)]).expect_code(2);
    assert!(run.stderr.contains("neither"), "{}", run.stderr);
    with_pin(&["wallet", "import", "--db", setup.db(), s(&missing)]).expect_code(2);
    // A credential with a flipped byte in its issuer signature part does not import.
    let issued = std::fs::read(setup.issue("mdoc")).unwrap();
    let mut forged = issued.clone();
    let at = forged.windows(5).position(|w| w == b"Amina").unwrap() + 4;
    forged[at] ^= 0x01;
    let forged = setup.scratch.write("forged.mdoc", &forged);
    with_pin(&["wallet", "import", "--db", setup.db(), s(&forged)]).expect_code(2);

    // verify-presentation: a file that is not a presentation, a missing file, a bad trust key.
    let cert = setup.cert();
    let verify = |trust: &PathBuf, file: &PathBuf| {
        laissez(
            &[
                "verify-presentation",
                "--trust-key",
                s(trust),
                "--nonce",
                NONCE,
                "--audience",
                AUDIENCE,
                s(file),
            ],
            &[],
        )
    };
    let run = verify(&cert, &garbage).expect_code(2);
    assert!(run.stderr.contains("not a presentation"), "{}", run.stderr);
    verify(&cert, &missing).expect_code(2);
    let issued_file = setup.scratch.path("issued.mdoc");
    let run = verify(&garbage, &issued_file).expect_code(2);
    assert!(run.stderr.contains("garbage.bin"), "{}", run.stderr);
    verify(&missing, &issued_file).expect_code(2);

    // Missing --nonce, missing --trust-key, both --nonce and --transcript.
    let run = laissez(
        &[
            "verify-presentation",
            "--trust-key",
            s(&cert),
            "--audience",
            AUDIENCE,
            s(&issued_file),
        ],
        &[],
    )
    .expect_code(2);
    assert!(run.stderr.contains("--nonce"), "{}", run.stderr);
    laissez(
        &[
            "verify-presentation",
            "--nonce",
            NONCE,
            "--audience",
            AUDIENCE,
            s(&issued_file),
        ],
        &[],
    )
    .expect_code(2);
    laissez(
        &[
            "verify-presentation",
            "--trust-key",
            s(&cert),
            "--nonce",
            NONCE,
            "--audience",
            AUDIENCE,
            "--transcript",
            s(&garbage),
            s(&issued_file),
        ],
        &[],
    )
    .expect_code(2);
    // present without --nonce.
    with_pin(&[
        "wallet",
        "present",
        "--db",
        setup.db(),
        "00000000000000000000000000000000",
        "--claims",
        "given_name",
        "--audience",
        AUDIENCE,
        "--out",
        s(&setup.scratch.path("p")),
    ])
    .expect_code(2);

    // Issue: bad holder keys (a private JWK, garbage, another curve), bad claims.
    let out = setup.scratch.path("out.cred");
    let private = setup.issuer.join("issuer.key.json");
    let p384 = setup.scratch.write(
        "p384.json",
        br#"{"kty":"EC","crv":"P-384","x":"AAAA","y":"AAAA"}"#,
    );
    for bad_key in [&private, &garbage, &p384, &missing] {
        let run = laissez(&setup.issue_args("sd-jwt", bad_key, &out), &[]).expect_code(2);
        assert!(run.stderr.contains("holder key"), "{}", run.stderr);
        assert!(!out.exists());
    }
    let array = setup.scratch.write("array.json", b"[1, 2]");
    for bad_claims in [&array, &garbage] {
        let mut args = setup.issue_args("mdoc", &setup.holder_key, &out);
        let at = args.iter().position(|a| *a == "--claims").unwrap() + 1;
        args[at] = s(bad_claims);
        let run = laissez(&args, &[]).expect_code(2);
        assert!(run.stderr.contains("claims file"), "{}", run.stderr);
    }
    // Laissez's migrant types: a bad birth date or nationality code is refused.
    for (bad, problem) in [
        (r#"{"given_name":"A","birth_date":"1994-13"}"#, "birth_date"),
        (
            r#"{"given_name":"A","birth_date":"1994-02-30"}"#,
            "birth_date",
        ),
        (
            r#"{"given_name":"A","nationality":"stateless"}"#,
            "nationality",
        ),
    ] {
        let file = setup.scratch.write("bad-values.json", bad.as_bytes());
        let mut args = setup.issue_args("sd-jwt", &setup.holder_key, &out);
        let at = args.iter().position(|a| *a == "--claims").unwrap() + 1;
        args[at] = s(&file);
        let run = laissez(&args, &[]).expect_code(2);
        assert!(run.stderr.contains(problem), "{}", run.stderr);
        assert!(!out.exists());
    }
    // A folder that is not an issuer.
    let mut args = setup.issue_args("sd-jwt", &setup.holder_key, &out);
    let at = args.iter().position(|a| *a == "--issuer").unwrap() + 1;
    let empty = setup.scratch.path("empty");
    args[at] = s(&empty);
    laissez(&args, &[]).expect_code(2);
    // Both formats take a status list entry.
    let mut args = setup.issue_args("mdoc", &setup.holder_key, &out);
    args.extend([
        "--status-index",
        "7",
        "--status-uri",
        "https://status.example/1",
    ]);
    laissez(&args, &[]).expect_code(0);
    std::fs::remove_file(&out).unwrap();
    let mut args = setup.issue_args("sd-jwt", &setup.holder_key, &out);
    args.extend([
        "--status-index",
        "7",
        "--status-uri",
        "https://status.example/1",
    ]);
    laissez(&args, &[]).expect_code(0);
    // One without the other is a usage error.
    let mut args = setup.issue_args("sd-jwt", &setup.holder_key, &out);
    args.extend(["--status-index", "7"]);
    laissez(&args, &[]).expect_code(2);

    // An issuer folder is never overwritten.
    let run = laissez(&["issuer", "new", "--out", s(&setup.issuer)], &[]).expect_code(2);
    assert!(run.stderr.contains("left untouched"), "{}", run.stderr);

    // The wallet's own kinds cannot be written as raw records.
    let run = with_pin(&[
        "store",
        "put",
        "--db",
        setup.db(),
        "--kind",
        "credential",
        "--body-file",
        s(&garbage),
    ])
    .expect_code(2);
    assert!(run.stderr.contains("wallet import"), "{}", run.stderr);
}

#[test]
fn an_sd_jwt_vc_without_a_certificate_asks_for_issuer_key() {
    use wallet_core::crypto::ecdsa::SigningKey;
    use wallet_core::jose::P256Jwk;
    use wallet_core::sdjwt::{IssueRequest, issue};

    let setup = Setup::new();
    let holder: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&setup.holder_key).unwrap()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = serde_json::json!({ "given_name": "Amina" });
    let mut request = IssueRequest::new(
        "org.iom.registration.1",
        "https://issuer.example",
        now - 60,
        claims.as_object().unwrap().clone(),
    );
    request.holder_key = Some(P256Jwk::from_json(&holder).unwrap().into_verifying_key());
    // No x5c: nothing in the credential names the issuer's key.
    let issuer = SigningKey::generate().unwrap();
    let issued = issue(&request, &issuer).unwrap();
    let file = setup
        .scratch
        .write("no-cert.txt", issued.to_compact().as_bytes());

    let run = with_pin(&["wallet", "import", "--db", setup.db(), s(&file)]).expect_code(2);
    assert!(
        run.stderr.contains("no issuer certificate"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--issuer-key"), "{}", run.stderr);

    // Given as the message says, it imports.
    let public = P256Jwk::from_verifying_key(issuer.public_key().clone()).to_json();
    let key = setup
        .scratch
        .write("issuer.pub.json", public.to_string().as_bytes());
    with_pin(&[
        "wallet",
        "import",
        "--db",
        setup.db(),
        s(&file),
        "--issuer-key",
        s(&key),
    ])
    .expect_code(0);
}

/// `verify-presentation` of `file` trusting `anchor` (a certificate file).
fn verify_with(anchor: &Path, file: &Path) -> common::Run {
    laissez(
        &[
            "verify-presentation",
            "--trust-key",
            s(anchor),
            "--nonce",
            NONCE,
            "--audience",
            AUDIENCE,
            "--json",
            s(file),
        ],
        &[],
    )
}

#[test]
fn issuer_new_makes_an_authority_whose_root_vouches_for_every_signer_it_certifies() {
    let setup = Setup::new();
    let authority = setup.issuer.join("authority");
    let root = setup.issuer.join("iaca.cert.pem");
    assert!(authority.join("iaca.key.json").exists());
    assert_eq!(
        std::fs::read(authority.join("iaca.cert.pem")).unwrap(),
        std::fs::read(&root).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(authority.join("iaca.key.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A second signer under the same authority, with its own SD-JWT VC issuer identifier.
    let second = setup.scratch.path("second");
    let made = laissez(
        &[
            "issuer",
            "new",
            "--out",
            s(&second),
            "--authority",
            s(&authority),
            "--name",
            "IOM Niamey",
            "--identifier",
            "https://niamey.iom.example",
        ],
        &[],
    )
    .expect_code(0);
    assert!(
        made.stdout.contains("https://niamey.iom.example"),
        "{}",
        made.stdout
    );
    assert!(!second.join("authority").exists());
    let other = Setup {
        issuer: second.clone(),
        ..Setup::new()
    };
    for format in ["sd-jwt", "mdoc"] {
        for (who, name) in [(&setup, "first"), (&other, "second")] {
            let id = who.import(&who.issue(format));
            let shown = who.present(&id, &format!("{name}.{format}"), &[]);
            // The root vouches for both signers.
            let v = verdict(&verify_with(&root, &shown).expect_code(0));
            assert_eq!(v["valid"], true, "{name} {format}: {v}");
            assert_eq!(v["issuer"]["name"], "IOM Field Office IACA");
        }
        // The first signer's own certificate, pinned, does not vouch for the second signer.
        let id = other.import(&other.issue(format));
        let shown = other.present(&id, &format!("pinned.{format}"), &[]);
        let run = verify_with(&setup.cert(), &shown).expect_code(1);
        assert_eq!(verdict(&run)["reasons"][0], "unknown_issuer", "{format}");
    }
    // The SD-JWT VC names its signer's identifier.
    let issued = std::fs::read_to_string(other.issue("sd-jwt")).unwrap();
    let payload = issued.split('.').nth(1).unwrap();
    let payload =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap();
    let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(payload["iss"], "https://niamey.iom.example");

    // A signer's folder is not an authority; nothing is written.
    let third = setup.scratch.path("third");
    let run = laissez(
        &[
            "issuer",
            "new",
            "--out",
            s(&third),
            "--authority",
            s(&setup.issuer),
        ],
        &[],
    )
    .expect_code(2);
    assert!(run.stderr.contains("iaca.key.json"), "{}", run.stderr);
    assert!(!third.exists());
}
