//! The signed portrait's size against its cost in QR codes (docs/BENCHMARKS.md, "Portrait";
//! docs/adr/0018-signed-portrait.md). For each candidate size and JPEG quality, from the
//! vendored public-domain face (wallet-core/tests/data/portrait): the JPEG bytes, an objective
//! proxy of what is lost (PSNR and SSIM of the luma, the portrait scaled back up to the
//! 240×300 original by bilinear interpolation), and for both formats the real engaged answer
//! to a request for the demo identity's 3 presented claims plus the portrait (issued, imported,
//! requested, answered with the wallet's own code): its characters, whether it is one code
//! (`one_code_max_chars`, ADR 0015) or how many animated frames. Every answer is verified
//! VALID with the portrait's bytes equal to what was signed, so a wrong answer fails the run.
//!
//! How recognisable a face stays for people is NOT measured here (it needs a study with
//! people); the proxies only rank the candidates.
//!
//! Run: `cargo run --release -p laissez-bench --example portrait_sizes [--write DIR]`
//! (`--write DIR` also writes each candidate's JPEG there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};

use laissez_sample_identity as sample_identity;
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::portrait::{RgbImage, decode_photo};
use wallet_core::issuer::{IssuerIdentity, PortraitSpec, issue_credential, prepare_portrait};
use wallet_core::qr::envelope;
use wallet_core::qr::frames::{FrameOptions, encode_for_display, one_code_limit};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_store;
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

const PIN: &str = "bench-pin-2468";
const SIZES: [(u16, u16); 4] = [(64, 80), (80, 100), (96, 120), (120, 150)];
const QUALITIES: [u8; 3] = [30, 50, 70];
/// Greyscale as well as colour.
const GREY: [bool; 2] = [false, true];

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../wallet-core/tests/data/portrait/astronaut-240x300.jpg")
}

fn luma(image: &RgbImage) -> Vec<f64> {
    image
        .pixels
        .chunks_exact(3)
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

/// Bilinear scaling of a luma plane (pixel centres aligned).
fn bilinear(src: &[f64], sw: usize, sh: usize, dw: usize, dh: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(dw * dh);
    for y in 0..dh {
        let fy = ((y as f64 + 0.5) * sh as f64 / dh as f64 - 0.5).clamp(0.0, (sh - 1) as f64);
        let (y0, ty) = (fy.floor() as usize, fy - fy.floor());
        let y1 = (y0 + 1).min(sh - 1);
        for x in 0..dw {
            let fx = ((x as f64 + 0.5) * sw as f64 / dw as f64 - 0.5).clamp(0.0, (sw - 1) as f64);
            let (x0, tx) = (fx.floor() as usize, fx - fx.floor());
            let x1 = (x0 + 1).min(sw - 1);
            let top = src[y0 * sw + x0] * (1.0 - tx) + src[y0 * sw + x1] * tx;
            let bottom = src[y1 * sw + x0] * (1.0 - tx) + src[y1 * sw + x1] * tx;
            out.push(top * (1.0 - ty) + bottom * ty);
        }
    }
    out
}

fn psnr(a: &[f64], b: &[f64]) -> f64 {
    let mse = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64;
    10.0 * (255.0f64.powi(2) / mse).log10()
}

/// Mean SSIM over 8×8 windows with stride 4 (Wang et al. 2004 constants).
fn ssim(a: &[f64], b: &[f64], w: usize, h: usize) -> f64 {
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (mut total, mut n) = (0.0, 0usize);
    for y in (0..=h - 8).step_by(4) {
        for x in (0..=w - 8).step_by(4) {
            let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for dy in 0..8 {
                for dx in 0..8 {
                    let (p, q) = (a[(y + dy) * w + x + dx], b[(y + dy) * w + x + dx]);
                    sa += p;
                    sb += q;
                    saa += p * p;
                    sbb += q * q;
                    sab += p * q;
                }
            }
            let m = 64.0;
            let (ma, mb) = (sa / m, sb / m);
            let (va, vb, cov) = (saa / m - ma * ma, sbb / m - mb * mb, sab / m - ma * mb);
            total += ((2.0 * ma * mb + c1) * (2.0 * cov + c2))
                / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            n += 1;
        }
    }
    total / n as f64
}

struct World {
    holder: WalletStore,
    verifier: WalletStore,
    issuer: IssuerIdentity,
    key: wallet_core::crypto::ecdsa::VerifyingKey,
    _dir: tempfile::TempDir,
}

fn world(now: i64) -> World {
    let dir = tempfile::tempdir().unwrap();
    let options = || StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (mut holder, _) =
        WalletStore::create(dir.path().join("holder.db"), PIN, options()).unwrap();
    let (mut verifier, _) =
        WalletStore::create(dir.path().join("verifier.db"), PIN, options()).unwrap();
    let key = holder_keys::default_key(&mut holder).unwrap().public_key;
    let issuer = IssuerIdentity::generate("IOM Agadez field office", now - 60, 3650).unwrap();
    let signer = SigningKey::generate().unwrap();
    let mut list = TrustList::new(1, now - 60, 30);
    list.add_issuer_certificate(&issuer.name, &issuer.certificate, now - 60, now + 86_400)
        .unwrap();
    let signed = list.sign(&signer).unwrap();
    trust_store::install(&mut verifier, &signed, Some(signer.public_key()), now).unwrap();
    World {
        holder,
        verifier,
        issuer,
        key,
        _dir: dir,
    }
}

fn portrait_path(format: CredentialFormat) -> String {
    match format {
        CredentialFormat::SdJwt => "picture".into(),
        CredentialFormat::Mdoc => format!("{}/portrait", sample_identity::MDOC_DOC_TYPE),
    }
}

/// The answer's characters and codes for a credential with `jpeg` (or none), checked VALID.
fn answer(
    w: &mut World,
    format: CredentialFormat,
    jpeg: Option<&[u8]>,
    now: i64,
) -> (usize, usize) {
    let mut order = sample_identity::order(format, &w.key, now, false);
    order.status = Some(sample_identity::status(format));
    order.portrait = jpeg.map(<[u8]>::to_vec);
    let issued = issue_credential(&w.issuer, &order).unwrap();
    let options = ImportOptions {
        issuer_keys: Vec::new(),
        now,
        type_metadata: None,
    };
    let id = credentials::import(&mut w.holder, &issued, &options)
        .unwrap()
        .id;
    let mut paths: Vec<String> = sample_identity::presented();
    if jpeg.is_some() {
        paths.push(portrait_path(format));
    }
    let requested = RequestedCredential {
        credential_type: sample_identity::credential_type(format).into(),
        claims: paths
            .iter()
            .map(|path| RequestedClaim {
                path: path.clone(),
                required: true,
            })
            .collect(),
    };
    let request = field_verifier::create_request(
        &mut w.verifier,
        "Bench desk",
        "Benchmark",
        vec![requested],
        300,
        now,
    )
    .unwrap();
    let view = respond::read_request(&w.holder, &request, now).unwrap();
    let asked_portrait = view.request.credentials[0]
        .claims
        .iter()
        .any(RequestedClaim::is_portrait);
    assert_eq!(asked_portrait, jpeg.is_some());
    let consent = Consent {
        credential_id: id,
        claims: paths,
        allowed_beyond_scope: Vec::new(),
    };
    let message = respond::respond(
        &mut w.holder,
        &view,
        &[consent],
        Some(UnverifiedAcknowledgement::of(&view)),
        now,
    )
    .unwrap();
    let chars = envelope::encode(&message).unwrap().len();
    let codes = encode_for_display(&message, &FrameOptions::default())
        .unwrap()
        .len();
    let verify = VerifyOptions {
        now,
        lang: "en",
        max_status_age_secs: 86_400,
    };
    let verdicts = field_verifier::verify_message(&mut w.verifier, &message, &verify).unwrap();
    let verdict = &verdicts[0];
    assert!(verdict.valid, "{:?}", verdict.reasons);
    assert_eq!(
        verdict.portrait.as_ref().map(|p| p.jpeg.as_slice()),
        jpeg,
        "the verifier must get the signed portrait's bytes"
    );
    (chars, codes)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write_dir = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let photo =
        std::fs::read(source()).expect("the vendored face (wallet-core/tests/data/portrait)");
    let original = decode_photo(&photo).unwrap();
    let (ow, oh) = (original.width, original.height);
    let reference = luma(&original);
    let now = 1_780_000_000;
    let mut w = world(now);
    let limit = one_code_limit(&FrameOptions::default());
    let (base_sd, _) = answer(&mut w, CredentialFormat::SdJwt, None, now);
    let (base_mdoc, _) = answer(&mut w, CredentialFormat::Mdoc, None, now);
    println!(
        "Answer without portrait: sd-jwt {base_sd} chars, mdoc {base_mdoc} chars; one code up to {limit} chars"
    );
    println!(
        "| size | quality | colour | JPEG bytes | PSNR dB | SSIM | sd-jwt answer chars | sd-jwt codes | mdoc answer chars | mdoc codes |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (width, height) in SIZES {
        for (quality, grey) in QUALITIES
            .iter()
            .flat_map(|q| GREY.iter().map(move |g| (*q, *g)))
        {
            let spec = PortraitSpec {
                width,
                height,
                quality,
                grey,
            };
            let jpeg = prepare_portrait(&photo, &spec).unwrap();
            if let Some(dir) = &write_dir {
                std::fs::write(
                    dir.join(format!(
                        "astronaut-{width}x{height}-q{quality}{}.jpg",
                        if grey { "-grey" } else { "" }
                    )),
                    &jpeg,
                )
                .unwrap();
            }
            let decoded = decode_photo(&jpeg).unwrap();
            let up = bilinear(&luma(&decoded), decoded.width, decoded.height, ow, oh);
            let (sd_chars, sd_codes) = answer(&mut w, CredentialFormat::SdJwt, Some(&jpeg), now);
            let (md_chars, md_codes) = answer(&mut w, CredentialFormat::Mdoc, Some(&jpeg), now);
            let codes = |n: usize| {
                if n == 1 {
                    "1 (one code)".to_owned()
                } else {
                    format!("{n} frames")
                }
            };
            println!(
                "| {width}×{height} | {quality} | {} | {} | {:.1} | {:.3} | {sd_chars} | {} | {md_chars} | {} |",
                if grey { "grey" } else { "colour" },
                jpeg.len(),
                psnr(&reference, &up),
                ssim(&reference, &up, ow, oh),
                codes(sd_codes),
                codes(md_codes),
            );
        }
    }
}
