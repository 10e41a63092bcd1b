//! `laissez-bench claim169`: what reading a MOSIP Claim 169 identity QR code costs a field
//! verifier (issue 16): decode (Base45, zlib, COSE, CWT, claim 169), signature verification,
//! and both with the time check, per code, for EdDSA, ES256 and an encrypted EdDSA code.
//!
//! The codes are made by the test encoder with a realistic payload: every demographic field
//! (with the secondary-language name) and a 1,200-byte face image that does not compress (a
//! JPEG's entropy-coded data), so the zlib stage works on what a printed card carries. Every
//! result is checked (the identity read back, the signature verified, the time accepted), so
//! a fast wrong answer fails the run (exit 3). The face image's pixels are not decoded here.

use std::io::Write;
use std::time::Duration;

use serde::Serialize;
use wallet_core::claim169::issue::{self, Protection};
use wallet_core::claim169::{
    self, BiometricField, ContentKey, CwtClaims, Gender, Identity, MaritalStatus,
};
use wallet_core::crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};

use super::checks::expect;
use crate::args::Claim169Args;
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::output;
use crate::stats::{median, p95, timed, us};

const NOW: i64 = 1_760_000_000;

/// Times of one kind of code, medians and 95th percentiles in microseconds.
#[derive(Debug, Serialize)]
pub struct CodeTimes {
    /// "eddsa", "es256" or "encrypted-eddsa".
    pub code: &'static str,
    /// Characters of the QR text.
    pub qr_text_chars: usize,
    /// Decoding only (Base45 to claim 169; decryption included when encrypted).
    pub decode_us: f64,
    /// ... p95.
    pub decode_p95_us: f64,
    /// Signature verification only, on a decoded code.
    pub verify_us: f64,
    /// ... p95.
    pub verify_p95_us: f64,
    /// Decode, verify and time check together: the figure with the 2 ms target.
    pub total_us: f64,
    /// ... p95.
    pub total_p95_us: f64,
}

/// The result of one run.
#[derive(Debug, Serialize)]
pub struct Claim169Bench {
    /// Which program measured.
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Repetitions of each measurement.
    pub reps: u32,
    /// Where it ran.
    pub machine: Machine,
    /// One entry per kind of code.
    pub codes: Vec<CodeTimes>,
}

fn identity() -> Identity {
    // A JPEG start, then bytes that do not compress (a fixed pseudo-random stream).
    let mut face = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    while face.len() < 1_200 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        face.push((state >> 24) as u8);
    }
    Identity {
        id: Some("3918592438".into()),
        version: Some("1.0".into()),
        language: Some("eng".into()),
        full_name: Some("Amina Yusuf Abdi".into()),
        first_name: Some("Amina".into()),
        last_name: Some("Abdi".into()),
        date_of_birth: Some("19900515".into()),
        gender: Some(Gender::Female),
        address: Some("Block 2, Camp 4\nKakuma".into()),
        phone: Some("+254 700 000 000".into()),
        nationality: Some("SOM".into()),
        marital_status: Some(MaritalStatus::Married),
        secondary_full_name: Some("أمينة يوسف عبدي".into()),
        secondary_language: Some("ara".into()),
        location_code: Some("6GCRPR6C+24".into()),
        legal_status: Some("refugee".into()),
        country_of_issuance: Some("KEN".into()),
        biometrics: vec![BiometricField::face_jpeg(face)],
        ..Identity::default()
    }
}

fn failed(what: &str) -> impl Fn(claim169::Claim169Error) -> BenchError + '_ {
    move |error| BenchError::Failed(format!("{what}: {error}"))
}

/// Runs the benchmark.
pub fn run(args: &Claim169Args) -> BenchResult {
    let cwt = CwtClaims {
        issuer: Some("https://id.example.org".into()),
        expires_at: Some(NOW + 365 * 86_400),
        not_before: Some(NOW - 86_400),
        issued_at: Some(NOW - 86_400),
        ..CwtClaims::default()
    };
    let identity = identity();
    let eddsa = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa)
        .map_err(|_| BenchError::Failed("EdDSA key".into()))?;
    let es256 = IssuerSigningKey::generate(SignatureAlgorithm::Es256)
        .map_err(|_| BenchError::Failed("ES256 key".into()))?;
    let content_key =
        ContentKey::new(&[0x5a; 32]).ok_or_else(|| BenchError::Failed("content key".into()))?;
    let cases: [(&'static str, &IssuerSigningKey, Option<&ContentKey>); 3] = [
        ("eddsa", &eddsa, None),
        ("es256", &es256, None),
        ("encrypted-eddsa", &eddsa, Some(&content_key)),
    ];
    let mut codes = Vec::new();
    for (name, signer, encryption) in cases {
        output::progress(&format!("claim169: {name}, {} repetitions", args.reps));
        let protection = Protection {
            signer: Some(signer),
            encryption,
            ..Protection::default()
        };
        let text = issue::encode(&cwt, &identity, &protection).map_err(failed("encode"))?;
        let key = signer.issuer_key();
        let mut decode = Vec::new();
        let mut verify = Vec::new();
        let mut total = Vec::new();
        for _ in 0..args.reps {
            let (code, took) = timed(|| claim169::decode(&text, encryption));
            let code = code.map_err(failed("decode"))?;
            decode.push(took);
            let (verified, took) = timed(|| code.verify(&key));
            verified.map_err(failed("verify"))?;
            verify.push(took);
            let (read, took) = timed(|| {
                let code = claim169::decode(&text, encryption)?;
                code.verify(&key)?;
                code.check_time(NOW)?;
                Ok::<_, claim169::Claim169Error>(code)
            });
            let read = read.map_err(failed("decode, verify and check"))?;
            expect(read.identity == identity, "the identity read back")?;
            total.push(took);
        }
        let time = |samples: &[Duration]| (us(median(samples)), us(p95(samples)));
        let ((decode_us, decode_p95_us), (verify_us, verify_p95_us), (total_us, total_p95_us)) =
            (time(&decode), time(&verify), time(&total));
        codes.push(CodeTimes {
            code: name,
            qr_text_chars: text.len(),
            decode_us,
            decode_p95_us,
            verify_us,
            verify_p95_us,
            total_us,
            total_p95_us,
        });
    }
    let result = Claim169Bench {
        tool: "laissez-bench",
        version: env!("CARGO_PKG_VERSION"),
        reps: args.reps,
        machine: machine::describe(),
        codes,
    };
    if args.json {
        return output::print_json(&result);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<16} {:>6} {:>18} {:>18} {:>18}",
        "code", "chars", "decode µs (p95)", "verify µs (p95)", "total µs (p95)"
    )?;
    for code in &result.codes {
        writeln!(
            out,
            "{:<16} {:>6} {:>10.1} ({:>5.1}) {:>10.1} ({:>5.1}) {:>10.1} ({:>5.1})",
            code.code,
            code.qr_text_chars,
            code.decode_us,
            code.decode_p95_us,
            code.verify_us,
            code.verify_p95_us,
            code.total_us,
            code.total_p95_us
        )?;
    }
    Ok(())
}
