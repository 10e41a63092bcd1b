//! `laissez-bench claim169-codes`: MOSIP Claim 169 codes with a real face image, for the scan
//! benchmark on camera-like frames (`bench/claim169-frames/`, docs/BENCHMARKS.md "Claim 169
//! codes on camera-like frames (issue 16)"). `laissez claim169 issue` makes codes without
//! biometrics; a printed card carries a face, which is what makes its code large.
//!
//! The face is a photo (JPEG or PNG) prepared as Laissez prepares portraits (cropped, scaled,
//! greyscale JPEG) at three sizes, in the face entry (key 62, format image, sub-format JPEG)
//! beside the demographic fields a card prints, signed EdDSA (and ES256 at the largest
//! size). Every code is decoded and verified before it is written, and its face read back.
//! Writes a JSON array of `{name, alg, face_bytes, chars, qr_text, public_key_hex}`.

use std::io::Write;

use serde::Serialize;
use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{self, BiometricField, CwtClaims, Gender, Identity};
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
use wallet_core::issuer::{PortraitSpec, prepare_portrait};

use super::checks::expect;
use crate::args::Claim169CodesArgs;
use crate::error::{BenchError, BenchResult};

/// The faces: (width, height, JPEG quality), greyscale; the last is Laissez's default
/// portrait.
const FACES: [(u16, u16, u8); 3] = [(48, 60, 30), (64, 80, 30), (80, 100, 30)];

/// One code written.
#[derive(Debug, Serialize)]
struct Code {
    name: String,
    alg: &'static str,
    face_bytes: usize,
    chars: usize,
    qr_text: String,
    public_key_hex: String,
}

fn identity(face: Vec<u8>) -> Identity {
    Identity {
        id: Some("3918592438".into()),
        full_name: Some("Amina Yusuf Abdi".into()),
        first_name: Some("Amina".into()),
        last_name: Some("Abdi".into()),
        date_of_birth: Some("19900515".into()),
        gender: Some(Gender::Female),
        address: Some("Block 2, Camp 4\nKakuma".into()),
        nationality: Some("SOM".into()),
        secondary_full_name: Some("أمينة يوسف عبدي".into()),
        secondary_language: Some("ara".into()),
        country_of_issuance: Some("KEN".into()),
        biometrics: vec![BiometricField::face_jpeg(face)],
        ..Identity::default()
    }
}

/// Runs the command.
pub fn run(args: &Claim169CodesArgs) -> BenchResult {
    let photo = std::fs::read(&args.photo)
        .map_err(|err| BenchError::BadInput(format!("{}: {err}", args.photo.display())))?;
    let cwt = CwtClaims {
        issuer: Some("https://id.example.ke".into()),
        issued_at: Some(1_700_000_000),
        not_before: Some(1_700_000_000),
        expires_at: Some(4_000_000_000),
        ..CwtClaims::default()
    };
    let mut codes = Vec::new();
    for (i, &(width, height, quality)) in FACES.iter().enumerate() {
        let spec = PortraitSpec {
            width,
            height,
            quality,
            grey: true,
        };
        let face = prepare_portrait(&photo, &spec)?;
        let mut algs = vec![SignatureAlgorithm::EdDsa];
        if i + 1 == FACES.len() {
            algs.push(SignatureAlgorithm::Es256);
        }
        for alg in algs {
            let signer = IssuerSigningKey::generate(alg)
                .map_err(|_| BenchError::Failed("claim169-codes: key generation".into()))?;
            let identity = identity(face.clone());
            let protection = Protection {
                signer: Some(&signer),
                ..Protection::default()
            };
            let failed = |what: &'static str| {
                move |err: claim169::Claim169Error| {
                    BenchError::Failed(format!("claim169-codes: {what}: {err}"))
                }
            };
            let text = issue::encode(&cwt, &identity, &protection).map_err(failed("encode"))?;
            let code = claim169::decode(&text, None).map_err(failed("decode"))?;
            code.verify(&signer.issuer_key())
                .map_err(failed("verify"))?;
            expect(
                code.identity.face_image().map(|f| f.bytes.to_vec()) == Some(face.clone()),
                "the face read back",
            )?;
            codes.push(Code {
                name: format!(
                    "face{width}x{height}-{}",
                    alg.jose_name().to_ascii_lowercase()
                ),
                alg: alg.jose_name(),
                face_bytes: face.len(),
                chars: text.len(),
                qr_text: text,
                public_key_hex: hex::encode(signer.issuer_key().public_bytes()),
            });
        }
    }
    let json = serde_json::to_string_pretty(&codes)
        .map_err(|err| BenchError::Failed(format!("claim169-codes: JSON: {err}")))?;
    std::fs::write(&args.out, json)
        .map_err(|err| BenchError::BadInput(format!("{}: {err}", args.out.display())))?;
    let mut out = std::io::stdout().lock();
    for code in &codes {
        writeln!(
            out,
            "{}: face {} bytes, {} characters",
            code.name, code.face_bytes, code.chars
        )?;
    }
    writeln!(out, "{} codes -> {}", codes.len(), args.out.display())?;
    Ok(())
}
