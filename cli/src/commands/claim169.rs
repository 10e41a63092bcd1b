//! `laissez claim169 issue|verify` (hidden): MOSIP Claim 169 test codes made by the test
//! encoder, and a code's text decoded and verified against one issuer key. For tests and the
//! interop runs (tests/interop group p); the field verifier's own verdict is not this.

use std::io::Read;

use serde_json::json;
use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{self, Claim169Error, ContentKey, CwtClaims, Identity};
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::crypto::ecdsa::VerifyingKey;
use wallet_core::crypto::issuer_key::{
    IssuerKey, IssuerSigner, IssuerSigningKey, SignatureAlgorithm,
};

use crate::args::{Claim169Alg, Claim169Command, Claim169IssueArgs, Claim169VerifyArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, output};

/// Runs one claim169 subcommand.
pub fn run(command: Claim169Command) -> CliResult {
    match command {
        Claim169Command::Issue(args) => issue_code(&args),
        Claim169Command::Verify(args) => verify(&args),
    }
}

fn content_key(hex_key: &str) -> CliResult<ContentKey> {
    hex::decode(hex_key)
        .ok()
        .and_then(|bytes| ContentKey::new(&bytes))
        .ok_or_else(|| CliError::BadInput("the AES key is not 32 or 16 bytes of hex".into()))
}

fn issue_code(args: &Claim169IssueArgs) -> CliResult {
    let alg = match args.alg {
        Claim169Alg::EdDsa => SignatureAlgorithm::EdDsa,
        Claim169Alg::Es256 => SignatureAlgorithm::Es256,
    };
    let signer = IssuerSigningKey::generate(alg)
        .map_err(|err| CliError::Failed(format!("key generation: {err}")))?;
    let (secondary_full_name, secondary_language) = match args.secondary.as_deref() {
        Some([name, language]) => (Some(name.clone()), Some(language.clone())),
        _ => (None, None),
    };
    let identity = Identity {
        id: Some(args.id.clone()),
        full_name: Some(args.full_name.clone()),
        secondary_full_name,
        secondary_language,
        ..Identity::default()
    };
    let cwt = CwtClaims {
        issuer: Some(args.iss.clone()),
        issued_at: Some(args.iat),
        not_before: Some(args.iat),
        expires_at: Some(args.exp),
        ..CwtClaims::default()
    };
    let encryption = args
        .encrypt_key_hex
        .as_deref()
        .map(content_key)
        .transpose()?;
    let protection = Protection {
        signer: Some(&signer),
        encryption: encryption.as_ref(),
        ..Protection::default()
    };
    let qr_text = issue::encode(&cwt, &identity, &protection)
        .map_err(|err| CliError::Failed(format!("encoding: {err}")))?;
    output::print_json(&json!({
        "qr_text": qr_text,
        "alg": alg.jose_name(),
        "public_key_hex": hex::encode(signer.issuer_key().public_bytes()),
    }))
}

fn issuer_key(hex_key: &str) -> CliResult<IssuerKey> {
    let bad = || CliError::BadInput("the public key is neither Ed25519 nor P-256 hex".into());
    let bytes = hex::decode(hex_key).map_err(|_| bad())?;
    match bytes.len() {
        32 => IssuerKey::ed25519(&bytes).ok_or_else(bad),
        65 => VerifyingKey::from_sec1(&bytes)
            .map(IssuerKey::P256)
            .ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn read_text(args: &Claim169VerifyArgs) -> CliResult<String> {
    if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|err| CliError::BadInput(format!("stdin: {}", err.kind())))?;
        return Ok(text);
    }
    String::from_utf8(input_files::read_bytes(&args.file, "QR text")?)
        .map_err(|_| CliError::BadInput(format!("{}: not UTF-8 text", args.file.display())))
}

fn verify(args: &Claim169VerifyArgs) -> CliResult {
    let key = issuer_key(&args.public_key_hex)?;
    let decryption = args
        .decrypt_key_hex
        .as_deref()
        .map(content_key)
        .transpose()?;
    let text = read_text(args)?;
    let code = claim169::decode(text.trim(), decryption.as_ref())
        .map_err(|err| CliError::BadInput(format!("not a readable Claim 169 code: {err}")))?;
    let now = args.at.unwrap_or_else(|| SystemClock.now_unix());
    let outcome: Result<(), Claim169Error> = code.verify(&key).and_then(|()| code.check_time(now));
    let face = code.identity.face_image().map(|face| {
        json!({
            "bytes": face.bytes.len(),
            "format": face.format().map(|format| format.media_type()),
        })
    });
    if args.json {
        output::print_json(&json!({
            "verified": outcome.is_ok(),
            "error": outcome.as_ref().err().map(ToString::to_string),
            "alg": code.signature_algorithm().map(|alg| alg.jose_name()),
            "encrypted": code.encryption.is_some(),
            "cwt": code.cwt.to_json(),
            "claim169": code.identity.to_json(),
            "face": face,
        }))?;
    }
    outcome.map_err(|err| CliError::Negative(format!("Claim 169 code not accepted: {err}")))
}
