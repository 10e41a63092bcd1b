//! The QR exchange from the command line, through PNG files: `verifier request`,
//! `wallet respond`, `verifier verify`, `issuer status-list`, `verifier status` and
//! `verifier log`, with their exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{Scratch, init_wallet, laissez, s, with_pin};

const TYPE: &str = "org.laissez.id.1";
const STATUS_URI: &str = "https://status.example/lists/3";

/// An issuer, a holder wallet holding one credential of each format (status entries 5 and
/// 6), and a verifier store trusting the issuer through a signed list.
struct Desk {
    scratch: Scratch,
    issuer: PathBuf,
    holder: PathBuf,
    verifier: PathBuf,
}

impl Desk {
    fn new(formats: &[&str]) -> Self {
        Self::with_alg(formats, "ES256")
    }

    /// [`Desk::new`] with an issuer signing with `alg` (`laissez issuer new --alg`).
    fn with_alg(formats: &[&str], alg: &str) -> Self {
        let scratch = Scratch::new();
        let issuer = scratch.path("issuer");
        let made = laissez(
            &[
                "issuer",
                "new",
                "--out",
                s(&issuer),
                "--name",
                "IOM Agadez",
                "--alg",
                alg,
            ],
            &[],
        )
        .expect_code(0);
        assert!(made.stdout.contains(&format!("({alg})")), "{}", made.stdout);
        let holder = scratch.path("holder.db");
        init_wallet(&holder);
        let key = scratch.path("holder.jwk");
        with_pin(&["wallet", "holder-key", "--db", s(&holder), "--out", s(&key)]).expect_code(0);
        let claims = scratch.write(
            "claims.json",
            br#"{"given_name": "Amina", "family_name": "Yusuf", "nationality": "SD"}"#,
        );
        for (i, format) in formats.iter().enumerate() {
            let out = scratch.path(&format!("credential-{format}"));
            let index = (5 + i).to_string();
            laissez(
                &[
                    "issuer",
                    "issue",
                    "--issuer",
                    s(&issuer),
                    "--format",
                    format,
                    "--type",
                    TYPE,
                    "--claims",
                    s(&claims),
                    "--holder-key",
                    s(&key),
                    "--status-index",
                    &index,
                    "--status-uri",
                    STATUS_URI,
                    "--out",
                    s(&out),
                ],
                &[],
            )
            .expect_code(0);
            with_pin(&["wallet", "import", "--db", s(&holder), s(&out)]).expect_code(0);
        }
        let verifier = scratch.path("verifier.db");
        laissez(
            &[
                "verifier",
                "init",
                "--db",
                s(&verifier),
                "--insecure-fast-kdf",
            ],
            &[("LAISSEZ_PIN", common::PIN)],
        )
        .expect_code(0);
        let desk = Self {
            scratch,
            issuer,
            holder,
            verifier,
        };
        desk.trust_issuer(&desk.verifier);
        desk
    }

    /// A second verifier store, trusting the same issuer.
    fn another_verifier(&self, name: &str) -> PathBuf {
        let verifier = self.scratch.path(name);
        laissez(
            &[
                "verifier",
                "init",
                "--db",
                s(&verifier),
                "--insecure-fast-kdf",
            ],
            &[("LAISSEZ_PIN", common::PIN)],
        )
        .expect_code(0);
        self.trust_issuer(&verifier);
        verifier
    }

    fn trust_issuer(&self, verifier: &Path) {
        let signer = self.scratch.path("signer");
        if signer.exists() {
            // Signed before, for another verifier: import the same list.
            return self.import_trust_list(verifier, &signer);
        }
        laissez(&["trust", "new-signer", "--out", s(&signer)], &[]).expect_code(0);
        let description = self.scratch.path("list.json");
        let issuer = format!("IOM Agadez={}", s(&self.issuer.join("issuer.cert.pem")));
        laissez(
            &[
                "trust",
                "build",
                "--sequence",
                "1",
                "--issuer",
                &issuer,
                "--out",
                s(&description),
            ],
            &[],
        )
        .expect_code(0);
        let signed = self.scratch.path("list.jwt");
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
        self.import_trust_list(verifier, &signer);
    }

    fn import_trust_list(&self, verifier: &Path, signer: &Path) {
        let signed = self.scratch.path("list.jwt");
        with_pin(&[
            "trust",
            "import",
            "--db",
            s(verifier),
            "--signer-key",
            s(&signer.join("signer.pub.json")),
            s(&signed),
        ])
        .expect_code(0);
    }

    fn request(&self, name: &str, claims: &str) -> PathBuf {
        let out = self.scratch.path(name);
        let run = with_pin(&[
            "verifier",
            "request",
            "--db",
            s(&self.verifier),
            "--type",
            TYPE,
            "--claims",
            claims,
            "--name",
            "Desk 4",
            "--purpose",
            "Food distribution",
            "--out",
            s(&out),
        ])
        .expect_code(0);
        assert!(run.stdout.contains("version"), "{}", run.stdout);
        out
    }

    /// Answers `request` into the folder `name` (no --out: one code or the frames, all
    /// there); returns the response images.
    fn respond(&self, request: &Path, name: &str, consent: &str) -> (common::Run, Vec<PathBuf>) {
        let dir = self.scratch.path(name);
        let run = self.respond_to(request, consent, &["--frames-dir", s(&dir)]);
        let mut frames: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        frames.sort();
        (run, frames)
    }

    /// `wallet respond` to `request` with the output options `outputs`.
    fn respond_to(&self, request: &Path, consent: &str, outputs: &[&str]) -> common::Run {
        let mut args = vec![
            "wallet",
            "respond",
            "--db",
            s(&self.holder),
            "--request",
            s(request),
            "--consent",
            consent,
            // The desk's requests are unsigned: the holder takes the extra step.
            "--accept-unverified",
        ];
        args.extend(outputs);
        with_pin(&args)
    }

    /// The holder's credential ids by format.
    fn credential_id(&self, format: &str) -> String {
        let run = with_pin(&["wallet", "list", "--db", s(&self.holder), "--json"]).expect_code(0);
        let list: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        list["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["format"] == format)
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .unwrap()
    }

    /// `wallet present-static` of the `format` credential's given name into the folder
    /// `name`, with `extra` options; returns the run and the images.
    fn present_static(
        &self,
        format: &str,
        name: &str,
        extra: &[&str],
    ) -> (common::Run, Vec<PathBuf>) {
        let id = self.credential_id(format);
        let dir = self.scratch.path(name);
        let mut args = vec![
            "wallet",
            "present-static",
            "--db",
            s(&self.holder),
            &id,
            "--claims",
            "given_name",
            "--frames-dir",
            s(&dir),
        ];
        args.extend(extra);
        let run = with_pin(&args);
        let mut frames: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        frames.sort();
        (run, frames)
    }

    fn verify(&self, images: &[PathBuf], json: bool) -> common::Run {
        self.verify_at(&self.verifier, images, json)
    }

    fn verify_at(&self, verifier: &Path, images: &[PathBuf], json: bool) -> common::Run {
        let mut args = vec!["verifier", "verify", "--db", s(verifier)];
        if json {
            args.push("--json");
        }
        args.extend(images.iter().map(|p| s(p)));
        with_pin(&args)
    }

    fn status_list(&self, name: &str, extra: &[&str]) -> PathBuf {
        let out = self.scratch.path(name);
        let mut args = vec![
            "issuer",
            "status-list",
            "--issuer",
            s(&self.issuer),
            "--uri",
            STATUS_URI,
            "--out",
            s(&out),
        ];
        args.extend(extra);
        laissez(&args, &[]).expect_code(0);
        out
    }
}

#[test]
fn an_unverified_request_is_not_answered_without_the_extra_step() {
    let desk = Desk::new(&["sd-jwt"]);
    let request = desk.request("request.png", "given_name");
    let out = desk.scratch.path("response.png");
    let run = with_pin(&[
        "wallet",
        "respond",
        "--db",
        s(&desk.holder),
        "--request",
        s(&request),
        "--out",
        s(&out),
    ])
    .expect_code(1);
    assert!(run.stderr.contains("--accept-unverified"), "{}", run.stderr);
    assert!(run.stdout.contains("nobody vouches"), "{}", run.stdout);
    assert!(!out.exists());
    let history = with_pin(&["wallet", "history", "--db", s(&desk.holder)]).expect_code(0);
    assert!(
        history.stdout.contains("nothing disclosed yet"),
        "{}",
        history.stdout
    );
}

#[test]
fn request_consent_response_and_verdict_through_png_files() {
    let desk = Desk::new(&["sd-jwt"]);
    let request = desk.request("request.png", "given_name,family_name,nationality?");
    let (run, frames) = desk.respond(&request, "response", "required");
    let run = run.expect_code(0);
    assert!(run.stdout.contains("Desk 4"), "{}", run.stdout);
    assert!(run.stdout.contains("Food distribution"), "{}", run.stdout);
    assert!(run.stdout.contains("nationality"), "{}", run.stdout);
    assert!(run.stdout.contains("withheld"), "{}", run.stdout);
    assert!(!frames.is_empty());
    // The request is unsigned: the consent says so, and the history names the verifier as
    // its request did, marked unverified.
    assert!(
        run.stdout
            .contains("UNVERIFIED (no_certificate): calls itself \"Desk 4\""),
        "{}",
        run.stdout
    );
    let history = with_pin(&["wallet", "history", "--db", s(&desk.holder)]).expect_code(0);
    assert!(
        history
            .stdout
            .contains("to UNVERIFIED (no_certificate), calls itself \"Desk 4\" ("),
        "{}",
        history.stdout
    );

    // Frames in reverse order, one dropped when there are several: still rebuilt.
    let mut seen: Vec<PathBuf> = frames.iter().rev().cloned().collect();
    if seen.len() > 2 {
        seen.remove(1);
    }
    let run = desk.verify(&seen, true).expect_code(0);
    let verdicts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let verdict = &verdicts[0];
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["issuer"]["name"], "IOM Agadez");
    assert_eq!(
        verdict["status"]["state"], "unknown",
        "no status list cached yet"
    );
    let paths: Vec<&str> = verdict["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["family_name", "given_name"],
        "nationality was withheld"
    );

    // The same response again: a replay.
    let run = desk.verify(&frames, false).expect_code(1);
    assert!(run.stdout.contains("replay"), "{}", run.stdout);
    // The log has both.
    let export = desk.scratch.path("log.jsonl");
    let run = with_pin(&[
        "verifier",
        "log",
        "--db",
        s(&desk.verifier),
        "--export",
        s(&export),
    ])
    .expect_code(0);
    assert!(run.stdout.contains("2 verifications"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&export).unwrap().lines().count(), 2);
    // Nothing personal in the export's file name or on stdout beyond the summary.
    assert!(!run.stdout.contains("Amina"), "{}", run.stdout);
}

#[test]
fn both_formats_and_consent_to_all_claims() {
    let desk = Desk::new(&["mdoc", "sd-jwt"]);
    let request = desk.request("request.png", "given_name,nationality?");
    let (run, frames) = desk.respond(&request, "response", "all");
    let run = run.expect_code(0);
    assert!(
        run.stdout.contains("(mdoc,"),
        "the first credential answers: {}",
        run.stdout
    );
    let run = desk.verify(&frames, true).expect_code(0);
    let verdicts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(verdicts[0]["format"], "mdoc");
    assert_eq!(verdicts[0]["claims"].as_array().unwrap().len(), 2);
}

#[test]
fn each_issuer_algorithm_through_the_trust_list_the_exchange_and_status_lists() {
    for alg in ["ES256", "ES384", "EdDSA"] {
        // SD-JWT first: it answers requests, and holds status entry 5.
        let desk = Desk::with_alg(&["sd-jwt", "mdoc"], alg);
        let cert = std::fs::read_to_string(desk.issuer.join("issuer.cert.pem")).unwrap();
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----"), "{alg}");
        let public = std::fs::read_to_string(desk.issuer.join("issuer.pub.json")).unwrap();
        let public: serde_json::Value = serde_json::from_str(&public).unwrap();
        let curve = match alg {
            "ES256" => "P-256",
            "ES384" => "P-384",
            _ => "Ed25519",
        };
        assert_eq!(public["crv"], curve, "{alg}");

        // Engaged: request, answer, verdict VALID with the issuer named.
        let request = desk.request("request.png", "given_name,family_name");
        let (run, frames) = desk.respond(&request, "response", "required");
        run.expect_code(0);
        let run = desk.verify(&frames, true).expect_code(0);
        let verdicts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(verdicts[0]["valid"], true, "{alg}: {}", verdicts[0]);
        assert_eq!(verdicts[0]["format"], "sd-jwt", "{alg}");
        assert_eq!(verdicts[0]["issuer"]["name"], "IOM Agadez", "{alg}");

        // Static, the mdoc.
        let (run, frames) = desk.present_static("mdoc", "static", &[]);
        run.expect_code(0);
        let run = desk.verify(&frames, true).expect_code(0);
        let verdicts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(verdicts[0]["valid"], true, "{alg}: {}", verdicts[0]);
        assert_eq!(verdicts[0]["format"], "mdoc", "{alg}");
        assert_eq!(verdicts[0]["issuer"]["name"], "IOM Agadez", "{alg}");

        // A status list signed in the issuer's algorithm revokes the SD-JWT VC.
        let revoked = desk.status_list("revoked.cwt", &["--revoke", "5", "--cwt"]);
        let run = with_pin(&["verifier", "status", "--db", s(&desk.verifier), s(&revoked)])
            .expect_code(0);
        assert!(
            run.stdout.contains("signed by IOM Agadez"),
            "{alg}: {}",
            run.stdout
        );
        let request = desk.request("again.png", "given_name");
        let (_, frames) = desk.respond(&request, "again", "required");
        let run = desk.verify(&frames, false).expect_code(1);
        assert!(run.stdout.contains("revoked"), "{alg}: {}", run.stdout);
    }
}

#[test]
fn status_lists_revoke_and_suspend_offline() {
    let desk = Desk::new(&["sd-jwt"]);
    let revoked = desk.status_list("revoked.jwt", &["--revoke", "5"]);
    let run =
        with_pin(&["verifier", "status", "--db", s(&desk.verifier), s(&revoked)]).expect_code(0);
    assert!(
        run.stdout.contains("signed by IOM Agadez"),
        "{}",
        run.stdout
    );
    let request = desk.request("r1.png", "given_name");
    let (_, frames) = desk.respond(&request, "resp1", "required");
    let run = desk.verify(&frames, false).expect_code(1);
    assert!(run.stdout.contains("revoked"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("Amina"),
        "no claims of a revoked credential"
    );

    // A later list (CWT form) suspends it instead.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    let suspended = desk.status_list("suspended.cwt", &["--suspend", "5", "--cwt"]);
    with_pin(&[
        "verifier",
        "status",
        "--db",
        s(&desk.verifier),
        s(&suspended),
    ])
    .expect_code(0);
    let request = desk.request("r2.png", "given_name");
    let (_, frames) = desk.respond(&request, "resp2", "required");
    let run = desk.verify(&frames, false).expect_code(1);
    assert!(run.stdout.contains("suspended"), "{}", run.stdout);

    // The older list cannot come back (it would un-suspend).
    let run =
        with_pin(&["verifier", "status", "--db", s(&desk.verifier), s(&revoked)]).expect_code(1);
    assert!(run.stderr.contains("newer copy"), "{}", run.stderr);
    // A list signed by an issuer not on the trust list is refused.
    let other = desk.scratch.path("other-issuer");
    laissez(&["issuer", "new", "--out", s(&other)], &[]).expect_code(0);
    let foreign = desk.scratch.path("foreign.jwt");
    laissez(
        &[
            "issuer",
            "status-list",
            "--issuer",
            s(&other),
            "--uri",
            STATUS_URI,
            "--out",
            s(&foreign),
        ],
        &[],
    )
    .expect_code(0);
    let run =
        with_pin(&["verifier", "status", "--db", s(&desk.verifier), s(&foreign)]).expect_code(1);
    assert!(run.stderr.contains("no trusted issuer"), "{}", run.stderr);
    let garbage = desk.scratch.write("garbage.jwt", b"not a token");
    with_pin(&["verifier", "status", "--db", s(&desk.verifier), s(&garbage)]).expect_code(2);
}

#[test]
fn bad_images_and_wrong_messages_are_refused_with_clear_exit_codes() {
    let desk = Desk::new(&["sd-jwt"]);
    let request = desk.request("request.png", "given_name,passport_number");
    // The wallet holds no credential with a passport number: a negative answer, no file.
    let (run, frames) = desk.respond(&request, "response", "required");
    let run = run.expect_code(1);
    assert!(run.stderr.contains("passport_number"), "{}", run.stderr);
    assert!(frames.is_empty());

    let garbage = desk.scratch.write("garbage.png", b"not an image");
    desk.verify(std::slice::from_ref(&garbage), false)
        .expect_code(2);
    let (run, _) = desk.respond(&garbage, "r2", "required");
    run.expect_code(2);
    // A request is not a response; a response is not a request.
    let run = desk
        .verify(std::slice::from_ref(&request), false)
        .expect_code(2);
    assert!(run.stderr.contains("not a response"), "{}", run.stderr);
    let good = desk.request("good.png", "given_name");
    let (_, frames) = desk.respond(&good, "r3", "required");
    let (run, _) = desk.respond(&frames[0], "r4", "required");
    run.expect_code(2);
    // Too few frames of an animated response: says how many are missing.
    if frames.len() > 1 {
        let run = desk.verify(&frames[..1], false).expect_code(2);
        assert!(run.stderr.contains("incomplete"), "{}", run.stderr);
    }
    // A verifier without a trust list cannot accept anything.
    let bare = desk.scratch.path("bare.db");
    laissez(
        &["verifier", "init", "--db", s(&bare), "--insecure-fast-kdf"],
        &[("LAISSEZ_PIN", common::PIN)],
    )
    .expect_code(0);
    let mut args = vec!["verifier", "verify", "--db", s(&bare)];
    args.extend(frames.iter().map(|p| s(p)));
    let run = with_pin(&args).expect_code(1);
    assert!(run.stderr.contains("no trust list"), "{}", run.stderr);
    // Bad claim lists are usage errors.
    with_pin(&[
        "verifier",
        "request",
        "--db",
        s(&desk.verifier),
        "--type",
        TYPE,
        "--claims",
        "a,,b",
        "--out",
        s(&desk.scratch.path("x.png")),
    ])
    .expect_code(2);
}

#[test]
fn respond_writes_each_code_only_where_asked() {
    let desk = Desk::new(&["sd-jwt"]);
    // Neither --out nor --frames-dir: a usage error naming --out.
    let request = desk.request("r0.png", "given_name");
    let run = desk.respond_to(&request, "required", &[]).expect_code(2);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);

    // --frames-dir alone: every code in the folder, and the verifier reads them.
    let (run, frames) = desk.respond(&request, "only-dir", "required");
    run.expect_code(0);
    assert!(!frames.is_empty());
    for frame in &frames {
        let name = frame.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("frame-") && name.ends_with(".png"),
            "{name}"
        );
    }
    desk.verify(&frames, false).expect_code(0);

    // Both: a single code goes to --out only, the frames of an animated one to the folder
    // only; never one code in two places.
    let request = desk.request("r1.png", "given_name");
    let out = desk.scratch.path("both.png");
    let dir = desk.scratch.path("both");
    let run = desk
        .respond_to(
            &request,
            "required",
            &["--out", s(&out), "--frames-dir", s(&dir)],
        )
        .expect_code(0);
    let in_dir: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    if out.exists() {
        assert!(
            in_dir.is_empty(),
            "one code, also in the folder: {in_dir:?}"
        );
        assert!(!run.stdout.contains("frame-"), "{}", run.stdout);
    } else {
        assert!(in_dir.len() > 1, "{in_dir:?}");
    }
}

#[test]
fn a_static_presentation_bound_to_a_verifier_id_passes_there_only() {
    let desk = Desk::new(&["sd-jwt", "mdoc"]);
    let elsewhere = desk.another_verifier("elsewhere.db");
    let poster = desk.scratch.path("verifier-id.png");
    let run = with_pin(&[
        "verifier",
        "id",
        "--db",
        s(&desk.verifier),
        "--out",
        s(&poster),
    ])
    .expect_code(0);
    let code = run.stdout.trim().to_owned();
    assert_eq!(code.len(), 24, "{code}");

    // Bound through the poster's image (SD-JWT) and through the typed code (mdoc).
    for (format, given) in [("sd-jwt", s(&poster).to_owned()), ("mdoc", code.clone())] {
        let (run, frames) = desk.present_static(
            format,
            &format!("bound-{format}"),
            &["--verifier-id", &given],
        );
        let run = run.expect_code(0);
        assert!(run.stdout.contains(&code), "{}", run.stdout);
        assert!(!frames.is_empty());

        // Another verifier refuses it: made for another verifier.
        let there = desk.verify_at(&elsewhere, &frames, true).expect_code(1);
        let verdicts: serde_json::Value = serde_json::from_str(&there.stdout).unwrap();
        assert_eq!(verdicts[0]["valid"], false, "{format}");
        assert_eq!(verdicts[0]["reasons"][0], "wrong_audience", "{format}");

        // The verifier it names accepts it, and does not call it unbound.
        let here = desk.verify(&frames, true).expect_code(0);
        let verdicts: serde_json::Value = serde_json::from_str(&here.stdout).unwrap();
        assert_eq!(verdicts[0]["valid"], true, "{format}");
        assert_eq!(verdicts[0]["format"], format);
        assert_eq!(verdicts[0]["unbound"], false, "{format}");
    }
}

#[test]
fn an_unbound_static_presentation_is_accepted_and_said_to_be_unbound() {
    let desk = Desk::new(&["sd-jwt"]);
    let (run, frames) = desk.present_static("sd-jwt", "unbound", &[]);
    let run = run.expect_code(0);
    assert!(run.stdout.contains("NO VERIFIER"), "{}", run.stdout);

    let run = desk.verify(&frames, false).expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "VALID");
    assert!(
        lines[1].contains("NOT BOUND TO THIS VERIFIER"),
        "the warning comes right under the verdict: {}",
        run.stdout
    );
    // Any verifier accepts it, and says so in JSON too.
    let elsewhere = desk.another_verifier("elsewhere.db");
    let run = desk.verify_at(&elsewhere, &frames, true).expect_code(0);
    let verdicts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(verdicts[0]["valid"], true);
    assert_eq!(verdicts[0]["unbound"], true);
}

#[test]
fn a_bad_verifier_id_is_refused_before_the_pin() {
    let desk = Desk::new(&["sd-jwt"]);
    let id = desk.credential_id("sd-jwt");
    let request = desk.request("request.png", "given_name");
    for given in ["3F2A-0102", "not-a-file-nor-a-code", s(&request)] {
        // No PIN given: a refusal before the prompt is bad input, not "no way to ask".
        let run = laissez(
            &[
                "wallet",
                "present-static",
                "--db",
                s(&desk.holder),
                &id,
                "--claims",
                "given_name",
                "--verifier-id",
                given,
                "--out",
                s(&desk.scratch.path("p.png")),
            ],
            &[],
        )
        .expect_code(2);
        assert!(run.stderr.contains("verifier"), "{given}: {}", run.stderr);
        assert!(!desk.scratch.path("p.png").exists());
    }
    // A claim the credential does not hold.
    let (run, frames) = desk.present_static("sd-jwt", "none", &["--claims", "shoe_size"]);
    run.expect_code(2);
    assert!(frames.is_empty());
}

#[test]
fn a_signed_portrait_is_consented_to_and_written_to_a_file() {
    let desk = Desk::new(&[]);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wallet-core/tests/data/portrait");
    let face = data.join("astronaut-240x300.jpg");
    // The default portrait is deterministic: 80x100, greyscale, quality 30.
    let expected = std::fs::read(data.join("astronaut-80x100-q30-grey.jpg")).unwrap();
    let out = desk.scratch.path("with-portrait");
    let run = laissez(
        &[
            "issuer",
            "issue",
            "--issuer",
            s(&desk.issuer),
            "--format",
            "sd-jwt",
            "--type",
            TYPE,
            "--claims",
            s(&desk.scratch.path("claims.json")),
            "--holder-key",
            s(&desk.scratch.path("holder.jwk")),
            "--portrait",
            s(&face),
            "--out",
            s(&out),
        ],
        &[],
    )
    .expect_code(0);
    assert!(
        run.stdout
            .contains(&format!("portrait          {} bytes", expected.len())),
        "{}",
        run.stdout
    );
    with_pin(&["wallet", "import", "--db", s(&desk.holder), s(&out)]).expect_code(0);
    let request = desk.request("request.png", "given_name,picture");
    let (run, frames) = desk.respond(&request, "response", "all");
    let run = run.expect_code(0);
    assert!(
        run.stdout.contains("your photo will be shared"),
        "{}",
        run.stdout
    );
    assert_eq!(frames.len(), 1, "the answer with the portrait is one code");
    let dir = desk.scratch.path("portraits");
    std::fs::create_dir_all(&dir).unwrap();
    let run = with_pin(&[
        "verifier",
        "verify",
        "--db",
        s(&desk.verifier),
        "--portrait-dir",
        s(&dir),
        s(&frames[0]),
    ])
    .expect_code(0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("portrait "))
        .unwrap_or_else(|| panic!("no portrait line: {}", run.stdout));
    assert!(line.contains("80×100 JPEG"), "{line}");
    let path = line
        .trim_start_matches("portrait")
        .trim_start()
        .split(" (")
        .next()
        .unwrap();
    assert_eq!(std::fs::read(path).unwrap(), expected);
    // The claim itself is not printed as base64 text.
    assert!(
        run.stdout.contains("(photo: see portrait)"),
        "{}",
        run.stdout
    );
    // Without the portrait, none is written and no line says so.
    let request = desk.request("request2.png", "given_name,picture?");
    let (_, frames) = desk.respond(&request, "response2", "required");
    let run = desk.verify(&frames, true).expect_code(0);
    let verdicts: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(verdicts[0].get("portrait").is_none(), "{}", run.stdout);
}

/// ADR 0020: a registrar certifies the verifier's request-signing key; the verifier's requests
/// are then signed (with the certificate, or its reference), the holder answers them, the
/// verdict is valid, and the log names the certificate.
#[test]
fn a_certified_verifier_signs_its_requests_and_logs_the_certificate() {
    let desk = Desk::new(&["sd-jwt"]);
    let registrar = desk.scratch.path("registrar");
    let run = laissez(
        &[
            "registrar",
            "new",
            "--out",
            s(&registrar),
            "--id",
            "https://registrar.example",
            "--name",
            "Test registrar",
        ],
        &[],
    )
    .expect_code(0);
    assert!(run.stdout.contains("\"kty\": \"EC\""), "{}", run.stdout);
    let key_file = desk.scratch.path("verifier.jwk");
    with_pin(&[
        "verifier",
        "signing-key",
        "--db",
        s(&desk.verifier),
        "--out",
        s(&key_file),
    ])
    .expect_code(0);
    let certificate = desk.scratch.path("registration.cwt");
    let certify = |organisation: &str, country: &str, out: &Path| {
        laissez(
            &[
                "registrar",
                "certify",
                "--registrar",
                s(&registrar),
                "--verifier-key",
                s(&key_file),
                "--organisation",
                organisation,
                "--country",
                country,
                "--purpose",
                "Food distribution",
                "--claims",
                &format!("{TYPE}=given_name,family_name"),
                "--valid-days",
                "30",
                "--out",
                s(out),
            ],
            &[],
        )
    };
    // A country that is not ISO 3166-1 alpha-2 is bad input.
    certify("Desk 4", "Kenya", &desk.scratch.path("bad.cwt")).expect_code(2);
    certify("Desk 4", "KE", &certificate).expect_code(0);
    // A certificate for another key (the registrar's own public key file is not even one).
    let other = desk.scratch.path("other.cwt");
    laissez(
        &[
            "registrar",
            "certify",
            "--registrar",
            s(&registrar),
            "--verifier-key",
            s(&registrar.join("registrar.pub.jwk")),
            "--organisation",
            "Desk 4",
            "--country",
            "KE",
            "--purpose",
            "Aid",
            "--claims",
            &format!("{TYPE}=given_name"),
            "--out",
            s(&other),
        ],
        &[],
    )
    .expect_code(0);
    let refused = with_pin(&[
        "verifier",
        "install-certificate",
        "--db",
        s(&desk.verifier),
        s(&other),
    ])
    .expect_code(2);
    assert!(refused.stderr.contains("another key"), "{}", refused.stderr);
    with_pin(&[
        "verifier",
        "install-certificate",
        "--db",
        s(&desk.verifier),
        s(&certificate),
    ])
    .expect_code(0);

    for (name, extra) in [
        ("signed.png", None),
        ("by-ref.png", Some("--certificate-reference")),
    ] {
        let out = desk.scratch.path(name);
        let mut args = vec![
            "verifier",
            "request",
            "--db",
            s(&desk.verifier),
            "--type",
            TYPE,
            "--claims",
            "given_name",
            "--out",
            s(&out),
        ];
        args.extend(extra);
        let run = with_pin(&args).expect_code(0);
        assert!(
            run.stdout
                .contains("Signed with the registration certificate"),
            "{}",
            run.stdout
        );
        let (run, frames) = desk.respond(&out, &format!("response-{name}"), "required");
        run.expect_code(0);
        desk.verify(&frames, false).expect_code(0);
        let log = with_pin(&["verifier", "log", "--db", s(&desk.verifier)]).expect_code(0);
        assert!(
            log.stdout.contains("signed request, certificate"),
            "{}",
            log.stdout
        );
    }
}
