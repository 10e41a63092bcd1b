//! Writes seed corpora for every fuzz target into `fuzz/corpus/<target>/` (or the folder
//! given as the first argument): valid inputs made now with the fixed keys of `laissez_fuzz`,
//! so each verifies inside its target, plus the published vectors of `../shared/vectors`
//! when that folder exists (or `LAISSEZ_VECTORS` names one).
//!
//! `cargo +nightly run --manifest-path fuzz/Cargo.toml --example make_seeds`

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use coset::TaggedCborSerializable;
use laissez_fuzz::{AUDIENCE, DAY, NONCE, NOW, fixtures};
use serde_json::{Value, json};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::jose::P256Jwk;
use wallet_core::mdoc::{self, CborValue, DataElements, ElementRef, IssuedMdoc, ValidityInfo};
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::qr::{self, Envelope, ErrorCorrection, FrameOptions, MessageKind, PngOptions};
use wallet_core::sdjwt::{self, ClaimPath, DecoyPolicy, KeyBindingRequest, SdJwt, StatusReference};
use wallet_core::verifier::status_list::{StatusList, StatusListBuilder};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_list_registrars::TrustedRegistrar;
use wallet_core::verifier::{VerificationRequest, verify_presentation};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const MDL: &str = "org.iso.18013.5.1.mDL";
// Target names.
const PRESENTATION: &str = "sdjwt_presentation";
const ISSUED: &str = "sdjwt_issued";
const JWK: &str = "jose_jwk";
const RESPONSE: &str = "mdoc_device_response";
const MDOC: &str = "mdoc_issued";
const X509: &str = "x509_certificate";
const VERIFIER: &str = "verifier";
const MNEMONIC: &str = "mnemonic";
const QR_IMAGE: &str = "qr_scan_image";
const TRUST_LIST: &str = "trust_list";
const STATUS_LIST: &str = "status_list";
const REGISTRATION: &str = "registration_certificate";
const EXCHANGE: &str = "exchange_messages";
const VICAL: &str = "vical";
const LOTE: &str = "lote";
const CLAIM169: &str = "claim169";
const ISO_NS: &str = "org.iso.18013.5.1";

/// Seeds collected per target.
struct Corpus {
    root: PathBuf,
    count: usize,
}

impl Corpus {
    fn add(&mut self, targets: &[&str], name: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
        for target in targets {
            let dir = self.root.join(target);
            fs::create_dir_all(&dir)?;
            fs::write(dir.join(name), bytes.as_ref())?;
            self.count += 1;
        }
        Ok(())
    }
}

fn display_json() -> Value {
    json!({
        "issuer_name": {"en": "Fuzz issuer", "fr": "Émetteur"},
        "credential_name": {"en": "Registration"},
        "claim_labels": {"given_name": {"en": "Given name", "fr": "Prénom"},
                         "address.locality": {"en": "Town"}}
    })
}

fn sd_jwt_seeds(c: &mut Corpus) -> Result<()> {
    let f = fixtures();
    let claims = json!({
        "given_name": "Amina", "family_name": "Haddad", "birthdate": "1990-01-01",
        "address": {"locality": "Tunis", "country": "TN", "street": "1 Rue"},
        "nationalities": ["TN", "FR"], "age_over_18": true, "laissez_display": display_json(),
    });
    let paths = "given_name family_name birthdate address address.locality nationalities[0] \
        nationalities[1]";
    let mut request = sdjwt::IssueRequest::new(
        "urn:example:registration:1",
        "https://issuer.example",
        NOW - DAY,
        claims.as_object().cloned().unwrap_or_default(),
    );
    request.holder_key = Some(f.holder.public_key().clone());
    request.not_before = Some(NOW - DAY);
    request.expires_at = Some(NOW + 365 * DAY);
    request.status = Some(StatusReference {
        index: 7,
        uri: "https://issuer.example/status/1".into(),
    });
    request.kid = Some("issuer-1".into());
    request.decoys = DecoyPolicy::between(1, 2);
    request.selectively_disclosable = paths
        .split_whitespace()
        .map(ClaimPath::parse)
        .collect::<std::result::Result<_, _>>()?;
    let issued = sdjwt::issue(&request, &f.issuer)?;

    // Signed by the certificate-holding signer, not trusted by key: the verifier's x5c path.
    let mut by_signer = request.clone();
    by_signer.kid = None;
    by_signer.decoys = DecoyPolicy::default();
    by_signer.x5c = vec![f.signer_cert.clone()];
    let by_signer = sdjwt::issue(&by_signer, &f.signer)?;

    let mut unbound = request.clone();
    unbound.holder_key = None;
    unbound.status = None;
    let unbound = sdjwt::issue(&unbound, &f.issuer)?;

    for (name, sd) in [
        ("issued", &issued),
        ("issued-x5c", &by_signer),
        ("issued-unbound", &unbound),
    ] {
        let text = sd.to_compact();
        c.add(&[ISSUED, PRESENTATION], &format!("{name}.txt"), &text)?;
        let imported = sdjwt::import_issued(&text, &f.issuer_keys, &f.validation).is_ok();
        check(imported == (name != "issued-x5c"), name)?;
    }

    let kb = KeyBindingRequest {
        nonce: NONCE.into(),
        audience: AUDIENCE.into(),
        issued_at: NOW,
    };
    let subset = [
        ClaimPath::parse("address.locality")?,
        ClaimPath::parse("nationalities[1]")?,
    ];
    let all: Vec<ClaimPath> = sdjwt::disclosable_paths(&issued)?;
    let presentations = [
        ("all", sdjwt::present(&issued, &all, &kb, &f.holder)?),
        ("subset", sdjwt::present(&issued, &subset, &kb, &f.holder)?),
        ("none", sdjwt::present(&issued, &[], &kb, &f.holder)?),
        ("x5c", sdjwt::present(&by_signer, &subset, &kb, &f.holder)?),
        (
            "no-kb",
            sdjwt::present_without_key_binding(&unbound, &subset)?,
        ),
    ];
    for (name, text) in &presentations {
        c.add(
            &[PRESENTATION, VERIFIER],
            &format!("presentation-{name}.txt"),
            text,
        )?;
        let refused = ["x5c", "no-kb"].contains(name);
        check(verdicts(text.as_bytes())[0] != refused, name)?;
    }
    let (flattened, general) = json_serializations(&presentations[1].1)?;
    for (name, text) in [("flattened.json", flattened), ("general.json", general)] {
        let verified = sdjwt::verify_json_presentation(&text, &f.issuer_keys, &f.sd_jwt_options);
        check(verified.is_ok(), name)?;
        c.add(&[PRESENTATION], name, text)?;
    }

    let jwk = P256Jwk::from_verifying_key(f.issuer.public_key().clone()).to_json();
    let mut full = jwk.clone();
    if let Value::Object(map) = &mut full {
        map.insert("kid".into(), json!("issuer-1"));
        map.insert("alg".into(), json!("ES256"));
        map.insert("use".into(), json!("sig"));
    }
    c.add(&[JWK, X509], "jwk.json", jwk.to_string())?;
    c.add(
        &[JWK],
        "jwk-full.json",
        serde_json::to_string_pretty(&full)?,
    )?;
    Ok(())
}

/// The Flattened and General JSON serialisations (RFC 9901 s8) of a compact SD-JWT+KB.
fn json_serializations(compact: &str) -> Result<(String, String)> {
    let sd = SdJwt::parse(compact)?;
    let jwt: Vec<&str> = sd.issuer_jwt().as_str().split('.').collect();
    let disclosures: Vec<&str> = sd.disclosures().iter().map(|d| d.encoded()).collect();
    let kb = sd.key_binding_jwt().map(|k| k.as_str()).unwrap_or_default();
    let header = json!({"disclosures": disclosures, "kb_jwt": kb});
    let flattened =
        json!({"protected": jwt[0], "payload": jwt[1], "signature": jwt[2], "header": header});
    let general = json!({"payload": jwt[1],
        "signatures": [{"protected": jwt[0], "signature": jwt[2], "header": header}]});
    Ok((flattened.to_string(), general.to_string()))
}

fn issue_mdoc(signer: &SigningKey, certificate: Option<Vec<u8>>) -> Result<IssuedMdoc> {
    let f = fixtures();
    let mut elements = DataElements::new();
    elements.insert_json(
        ISO_NS,
        &json!({"family_name": "Haddad", "given_name": "Amal", "birth_date": "1990-05-01",
            "age_over_18": true, "issuing_country": "UT",
            "driving_privileges": [{"vehicle_category_code": "B", "issue_date": "2015-03-02"}]}),
        &["birth_date", "issue_date"],
    )?;
    elements.insert(
        ISO_NS,
        "portrait",
        CborValue::Bytes(vec![0xff, 0xd8, 0xff, 0xe0]),
    );
    elements.insert(
        wallet_core::credential::display::MDOC_NAMESPACE,
        wallet_core::credential::display::MDOC_ELEMENT,
        CborValue::Text(display_json().to_string()),
    );
    Ok(mdoc::issue(
        &mdoc::IssueRequest {
            doc_type: MDL.into(),
            elements,
            device_key: f.holder.public_key().clone(),
            validity: ValidityInfo {
                signed: NOW - DAY,
                valid_from: NOW - DAY,
                valid_until: NOW + 365 * DAY,
                expected_update: Some(NOW + 180 * DAY),
            },
            issuer_certificate: certificate,
            status: None,
        },
        signer,
    )?)
}

fn mdoc_seeds(c: &mut Corpus) -> Result<()> {
    let f = fixtures();
    let by_key = issue_mdoc(&f.issuer, None)?;
    let by_cert = issue_mdoc(&f.signer, Some(f.signer_cert.clone()))?;
    for (name, credential) in [("by key", &by_key), ("by certificate", &by_cert)] {
        let trust = credential.verify(&f.anchors, NOW).map(|d| d.issuer.trust);
        check(trust == Ok(mdoc::IssuerTrust::Trusted), name)?;
    }
    c.add(&[MDOC], "stored-by-key.cbor", by_key.as_bytes())?;
    c.add(&[MDOC], "stored-by-cert.cbor", by_cert.as_bytes())?;
    c.add(&[MDOC], "issuer-signed.cbor", by_cert.issuer_signed_bytes())?;

    let subset = [
        ElementRef::new(ISO_NS, "family_name"),
        ElementRef::new(ISO_NS, "age_over_18"),
    ];
    let disclose = |credential, elements| mdoc::Disclosure {
        credential,
        elements,
        device_signer: &f.holder,
    };
    let responses = [
        ("response-all", vec![disclose(&by_key, by_key.elements())]),
        ("response-subset", vec![disclose(&by_cert, &subset[..])]),
        (
            "response-two",
            vec![
                disclose(&by_key, &subset[..1]),
                disclose(&by_cert, &subset[1..]),
            ],
        ),
    ];
    for (name, disclosures) in &responses {
        let bytes = mdoc::present(disclosures, &f.transcript)?;
        c.add(&[RESPONSE, VERIFIER], &format!("{name}.cbor"), &bytes)?;
        check(verdicts(&bytes) == [true, true], name)?;
    }
    c.add(&[RESPONSE], "transcript.cbor", f.transcript.as_bytes())?;
    c.add(
        &[RESPONSE],
        "transcript-tagged.cbor",
        f.transcript.tagged_bytes(),
    )?;
    Ok(())
}

/// Whether the verifier target accepts `bytes`, with each binding.
fn verdicts(bytes: &[u8]) -> [bool; 2] {
    let f = fixtures();
    f.bindings.each_ref().map(|binding| {
        verify_presentation(&VerificationRequest {
            presentation: bytes,
            binding,
            trusted: &f.trusted,
            now: NOW,
            lang: "en",
            type_metadata: &[],
            status_lists: &[],
            max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
            holder_high_s: wallet_core::verifier::HighS::Refuse,
        })
        .valid
    })
}

/// Seeds that stopped verifying would quietly keep the fuzzer away from the deep checks.
fn check(as_expected: bool, seed: &str) -> Result<()> {
    if as_expected {
        Ok(())
    } else {
        Err(format!("seed {seed}: not accepted or refused as expected").into())
    }
}

fn pem(der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|l| std::str::from_utf8(l).ok())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

fn other_seeds(c: &mut Corpus) -> Result<()> {
    let f = fixtures();
    for (name, der) in [("root", f.root.der()), ("signer", &f.signer_cert[..])] {
        c.add(&[X509], &format!("{name}.der"), der)?;
        c.add(&[X509], &format!("{name}.pem"), pem(der))?;
    }
    let phrase = RecoveryPhrase::generate()?.phrase();
    let words: Vec<&str> = phrase.split(' ').collect();
    c.add(&[MNEMONIC], "phrase.txt", &*phrase)?;
    let typed = format!(
        "  {}\n{}\n",
        words[..12].join("  ").to_uppercase(),
        words[12..].join(" ")
    );
    c.add(&[MNEMONIC], "phrase-typed.txt", typed)?;
    c.add(&[MNEMONIC], "phrase-12.txt", words[..12].join(" "))?;
    Ok(())
}

/// A QR code as 8-bit luma, `scale` pixels per module, with the quiet zone.
fn qr_luma(text: &str, scale: u32) -> Result<(u32, Vec<u8>)> {
    let matrix = qr::render::render(text, ErrorCorrection::M)?;
    let quiet = qr::render::QUIET_ZONE;
    let side = (matrix.width + 2 * quiet) * scale;
    let mut pixels = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / scale).checked_sub(quiet),
                (y / scale).checked_sub(quiet),
            );
            let dark = matches!((mx, my), (Some(mx), Some(my)) if matrix.is_dark(mx, my));
            pixels.push(if dark { 30 } else { 220 });
        }
    }
    Ok((side, pixels))
}

/// `luma` (one byte a pixel) as a PNG of another colour type and depth.
fn png_of(side: u32, luma: &[u8], color: png::ColorType, depth: png::BitDepth) -> Result<Vec<u8>> {
    let data: Vec<u8> = match (color, depth) {
        (png::ColorType::Grayscale, png::BitDepth::Sixteen) => {
            luma.iter().flat_map(|&v| [v, v]).collect()
        }
        (png::ColorType::Rgb, _) => luma.iter().flat_map(|&v| [v, v / 2, v]).collect(),
        (png::ColorType::Rgba, _) => luma.iter().flat_map(|&v| [v, v, v, 255 - v / 4]).collect(),
        (png::ColorType::GrayscaleAlpha, _) => luma.iter().flat_map(|&v| [v, 200]).collect(),
        (png::ColorType::Indexed, _) => luma.iter().map(|&v| u8::from(v > 128)).collect(),
        _ => luma.to_vec(),
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(color);
    encoder.set_depth(depth);
    if color == png::ColorType::Indexed {
        encoder.set_palette(vec![20, 20, 60, 230, 230, 210]);
    }
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

/// A JPEG (Pillow, quality 75, optimised Huffman tables, 4:2:0 colour, dark blue on cream)
/// of a version 1 QR code holding `LZ1:JPEG`, 2 pixels a module, 2-module margin: the seed
/// for the JPEG decoder, as nothing in the workspace writes JPEG.
const QR_JPEG_BASE64: &str = concat!(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIs",
    "IxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy",
    "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAyADIDASIAAhEBAxEB/8QAGAABAAMBAAAAAAAAAAAAAAAA",
    "AAUGBwT/xAA6EAAAAwcDAwIFAgENAAAAAAABAgUAAwQGERITFBUhByIxMkEWIyUzUSQ1YTQ3QlJWYnFygYSls9H/",
    "xAAYAQEAAwEAAAAAAAAAAAAAAAAAAQIEA//EACkRAAEDAwIFAwUAAAAAAAAAAAEAAhEDIWExURIiQfDxE4GRcbHB",
    "0eH/2gAMAwEAAhEDEQA/AL/NE0RqGppKcnI26Ralmxu9UVxTGBTDyYBDwI/jx/FuL4knb+wH/Muf/GTJ/OXJH+//",
    "AOkGoHT7p9NCHPCcoqKXghHOXI81Do1KuzlDgphHyIMYxnBJiYm83ucjZSSZVzieqcFByPAr7+Dsi47Jp4DKYb7H",
    "lhvmASgUDu5APw1mgl/9shViG21WUcuKCyZvt8j3lC300HmnmjZ/LsTBOukKM4W0/PLz7PuETmMXT0fiLvtL3nuP",
    "QO3x78NxdNV9bV5mJCo8NopUg65YLIR5gvIcQ7zADw1zwBHjxWnhpdRbDiBoT/B38pKs6TPU0LiY5UU6R88I+uxv",
    "N2dFrQRKPBigPkBbsgpxW/iZMR1iVtt3HLie7gR99slw8FL/AIByIeWzN7Ki3M/TSUNngtTp9bl+aQltz7j1CFfS",
    "Pj8NZkJJjUNT6bpyi4wRbnc8ju8pqVATByURDwINZ1OmAYjrvNpzjZAStZYxjYldUDqNEyu6U0FxNKfnhH2opE5n",
    "pdPQCD6XfJ7htD+DQsuyhK8xpiMouJMshI7PqHm6PR0tgiUvAmAT3CHtSjWafYJbUNvhYFJ3ZJPk3GC1JHGWlouu",
    "8e4KGAR7fNKD5agQ3T6aFVTjl+aUvcIsuOkBqHTrW1Cz7jswA7sACm8d1KNtpkemOaPf8SP1plUOqubtJgnSZLyc",
    "Rx8MzAGp2t3eaN0/Nz7mth7if1vF3HINCy6rSulJiMdw/wB1hEDPqFax640WcRt+SICLy8Rs4rbSvFWRMNNCGmQM",
    "EiKGzRcXk2+XMLqIpaNXn6k1Q8CLzu/NoeGhnnSyaE1MmFOTozPCPtNjd4nRdfQbh5MerqwRH/M0gNI5na9n77kT",
    "OVCmVaXeniUpvnB0K+Egbd0idXEBorwAXPbUReXiNO2tvu01K8uyvBzwrOE5C0sWi4ccTq3p78zswj2mGgUCoe/n",
    "2bMkRWjYNMmlflZ/sUJDaSsBYWKvuESfceBUKDcbx/Sp7NoEqSoiSjM0JAx0F9W79uU8p/1vYYXvygESu7CmAvd6",
    "vINNQFrSC49wT3e30KBaYxjGwLoqBPSTBLk8ScnKLjPCPtbkd3mLWjspg5KID5AGz+VHskzPM0Ij/BOm1F/zd1fH",
    "ttIY3jivpp5920ycYJb+JpbWEdJ3LbtVldakjn7hClDk3+o8APhqykoUahqblRTulmCLc3Y3nxAU1KgJR4MIh4EW",
    "203AU4npvF5ORhUIuu2R1/4e6aIEVFQ30n9RrI3J/JvnGAnYACY9xhAOPHkW4pdmiVzJiMouEbSwiLn1DzVPT7Zm",
    "ESl4EKvsg/ittfZjvp9GqUjy8gKKXgi3OpyR+oKbQVeXh8spqPbwAC+e3y0M8kvqGqpkwv1E9kXHabJDUhx1tg0D",
    "uKYAd2AAD7XNaKbiST13z58axdTLuJmhKU5efr6fvswROp0UNmdQuitCjzuJUjy8glHu9NvHItxdNV9bm6ZiRSxD",
    "blt1cUbkI50WQhwHsKAZL7QDmttKs2adoX9rlLRaP9n+ouXm33/f9Q/Nyc+v014aaRpUW4WZpYjtFokmD1X0zKR5",
    "t95BD7tbnuQ3d/drRji3hOk+dj7fMz1XWmMYxsC6IxjGIjGMYiMYxiIxjGIv/9k=",
);

fn qr_image_seeds(c: &mut Corpus) -> Result<()> {
    let small = qr::envelope::encode(&Envelope {
        kind: MessageKind::VerifierRequest,
        payload: b"fuzz seed: a small verifier request".to_vec(),
    })?;
    // One frame of an animated sequence (about version 20): its first frame.
    let payload: Vec<u8> = (0..3_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let frames = qr::frames::encode_for_display(
        &Envelope {
            kind: MessageKind::Backup,
            payload,
        },
        &FrameOptions::default(),
    )?;
    let frame = frames.first().ok_or("no frame")?;
    for (name, text, scale) in [("small", small.as_str(), 2), ("frame", frame.as_str(), 1)] {
        let matrix = qr::render::render(text, ErrorCorrection::M)?;
        let png = matrix.to_png(&PngOptions {
            scale,
            quiet_zone: 4,
        })?;
        check(
            qr::scan::scan_image(&png)?
                .first()
                .map(|code| code.text.as_str())
                == Some(text),
            name,
        )?;
        c.add(&[QR_IMAGE], &format!("{name}-1bit.png"), &png)?;
    }
    let (side, luma) = qr_luma(&small, 2)?;
    for (name, color, depth) in [
        ("grey8", png::ColorType::Grayscale, png::BitDepth::Eight),
        ("grey16", png::ColorType::Grayscale, png::BitDepth::Sixteen),
        (
            "grey-alpha",
            png::ColorType::GrayscaleAlpha,
            png::BitDepth::Eight,
        ),
        ("rgb", png::ColorType::Rgb, png::BitDepth::Eight),
        ("rgba", png::ColorType::Rgba, png::BitDepth::Eight),
        ("palette", png::ColorType::Indexed, png::BitDepth::Eight),
    ] {
        let png = png_of(side, &luma, color, depth)?;
        check(!qr::scan::scan_image(&png)?.is_empty(), name)?;
        c.add(&[QR_IMAGE], &format!("small-{name}.png"), png)?;
    }
    let jpeg = base64::engine::general_purpose::STANDARD.decode(QR_JPEG_BASE64)?;
    let read = qr::scan::scan_image(&jpeg)?;
    check(
        read.first().map(|code| code.text.as_str()) == Some("LZ1:JPEG"),
        "jpeg",
    )?;
    c.add(&[QR_IMAGE], "small.jpg", jpeg)?;
    // Luma frames: width - 1, height - 1, padding, effort, then the rows.
    let side_byte = u8::try_from(side - 1)?;
    let mut packed = vec![side_byte, side_byte, 0, 0];
    packed.extend_from_slice(&luma);
    c.add(&[QR_IMAGE], "luma-packed.bin", &packed)?;
    let mut padded = vec![side_byte, side_byte, 5, 1];
    for row in luma.chunks(side as usize) {
        padded.extend_from_slice(row);
        padded.extend_from_slice(&[128; 5]);
    }
    c.add(&[QR_IMAGE], "luma-padded.bin", &padded)?;
    Ok(())
}

fn trust_list_seeds(c: &mut Corpus) -> Result<()> {
    let f = fixtures();
    let mut list = TrustList::new(7, NOW - DAY, 30);
    list.add_issuer_key(
        "Fuzz issuer",
        f.issuer.public_key().clone(),
        NOW - DAY,
        NOW + 365 * DAY,
    )?
    .credential_types = vec!["urn:example:registration:1".into(), MDL.into()];
    list.add_issuer_certificate("Fuzz DS", &f.signer_cert, NOW - 30 * DAY, NOW + 700 * DAY)?;
    // A registrar of verifiers, for holders' wallets (ADR 0021).
    list.add_registrar(TrustedRegistrar {
        id: "urn:example:registrar".into(),
        name: "Fuzz registrar".into(),
        country: "GR".into(),
        key: f.issuer.public_key().clone(),
        valid_from: NOW - DAY,
        valid_until: NOW + 365 * DAY,
    })?;
    let signed = list.sign(&f.issuer)?;
    check(
        TrustList::verify(&signed, f.issuer.public_key(), NOW).as_ref() == Ok(&list),
        "trust list",
    )?;
    c.add(&[TRUST_LIST], "signed.jwt", &signed)?;
    // The payload alone: the target signs input starting with `{` itself.
    let payload = signed.split('.').nth(1).ok_or("no payload")?;
    c.add(
        &[TRUST_LIST],
        "payload.json",
        wallet_core::jose::base64url::decode(payload)?,
    )?;
    let empty = TrustList::new(1, NOW, 1).sign(&f.issuer)?;
    c.add(&[TRUST_LIST], "empty.jwt", empty)?;
    Ok(())
}

fn status_list_seeds(c: &mut Corpus) -> Result<()> {
    let f = fixtures();
    let uri = "https://issuer.example/status/1";
    for (bits, size) in [(1u8, 1_000u64), (2, 64), (8, 3)] {
        let mut builder = StatusListBuilder::new(bits, size)?;
        builder.set(7 % size, 1)?;
        builder.set(size - 1, ((1u16 << bits) - 1) as u8)?;
        let jwt = builder.to_jwt(uri, NOW - DAY, Some(NOW + DAY), Some(3_600), &f.issuer)?;
        let cwt = builder.to_cwt(uri, NOW - DAY, Some(NOW + DAY), Some(3_600), &f.issuer)?;
        for (form, token) in [("jwt", jwt.as_bytes()), ("cwt", &cwt[..])] {
            let read = StatusList::from_token(token, f.issuer.public_key(), NOW);
            check(read.map(|l| l.bytes) == Ok(builder.bytes().to_vec()), form)?;
            c.add(&[STATUS_LIST], &format!("bits{bits}.{form}"), token)?;
        }
        // The claims alone: the target signs input starting with `{` or a CBOR map itself.
        let claims = jwt.split('.').nth(1).ok_or("no payload")?;
        let claims = wallet_core::jose::base64url::decode(claims)?;
        c.add(&[STATUS_LIST], &format!("bits{bits}-claims.json"), claims)?;
        let sign1 = coset::CoseSign1::from_tagged_slice(&cwt).map_err(|e| e.to_string())?;
        let claims = sign1.payload.ok_or("no CWT payload")?;
        c.add(&[STATUS_LIST], &format!("bits{bits}-claims.cbor"), claims)?;
    }
    Ok(())
}

/// Adds the published vectors by kind; they use other keys, so they reach the parsers and
/// the signature checks but not beyond.
fn vector_seeds(c: &mut Corpus, dir: &Path) -> Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(fs::read_dir(&path)?.filter_map(|e| e.ok().map(|e| e.path())));
            continue;
        }
        let rel = path.strip_prefix(dir)?.to_string_lossy().into_owned();
        let name = format!("vector-{}", rel.replace('/', "-"));
        let read = || fs::read_to_string(&path);
        if rel.starts_with("sd-jwt/keys/") {
            c.add(&[JWK, X509], &name, read()?)?;
        } else if rel.starts_with("sd-jwt/") && rel.ends_with(".txt") {
            let text = read()?;
            let text = text.trim();
            let targets: &[&str] = if text.ends_with('~') {
                &[PRESENTATION, ISSUED, VERIFIER]
            } else {
                &[PRESENTATION, VERIFIER]
            };
            c.add(targets, &name, text)?;
        } else if rel.starts_with("sd-jwt/")
            && rel.ends_with(".json")
            && !rel.ends_with(".expected.json")
            && !rel.ends_with("manifest.json")
        {
            c.add(&[PRESENTATION], &name, read()?)?;
        } else if rel.starts_with("dcc-qr/") && rel.ends_with(".png") {
            // The EU DCC images, the small ones only (libFuzzer's input length follows the
            // largest seed).
            if fs::metadata(&path)?.len() < 2 * 1024 {
                c.add(&[QR_IMAGE], &name, fs::read(&path)?)?;
            }
        } else if rel.starts_with("vical/") && rel.ends_with(".cbor") {
            // The real VICALs under 16 KB (libFuzzer's input length follows the largest seed).
            if fs::metadata(&path)?.len() < 16 * 1024 {
                c.add(&[VICAL], &name, fs::read(&path)?)?;
            }
        } else if rel.starts_with("lote/")
            && (rel.ends_with(".jwt") || rel.ends_with(".json"))
            && !rel.starts_with("lote/schema/")
            && !rel.ends_with("manifest.json")
        {
            if fs::metadata(&path)?.len() < 32 * 1024 {
                c.add(&[LOTE], &name, fs::read(&path)?)?;
            }
        } else if rel.starts_with("claim169/idpass-test-vectors/") && rel.ends_with(".json") {
            let vector: Value = serde_json::from_str(&read()?)?;
            if let Some(text) = vector["qr_data"].as_str() {
                c.add(&[CLAIM169], &name, text)?;
            }
        } else if rel.starts_with("claim169/") && rel.ends_with(".hex") {
            if let Ok(bytes) = hex::decode(read()?.trim()) {
                c.add(&[CLAIM169], &name, bytes)?;
            }
        } else if rel.starts_with("mdoc/") && rel.ends_with(".pem") {
            c.add(&[X509], &name, read()?)?;
        } else if rel.starts_with("mdoc/") && rel.ends_with(".hex") {
            let Ok(bytes) = hex::decode(read()?.trim()) else {
                continue;
            };
            if rel.contains("device_response") {
                c.add(&[RESPONSE, VERIFIER], &name, &bytes)?;
            } else if rel.contains("session_transcript") {
                c.add(&[RESPONSE], &name, &bytes)?;
            }
        }
    }
    Ok(())
}

/// Claim 169 codes made by the test encoder: signed (EdDSA, ES256), unsigned, and encrypted
/// with the target's fixed A256GCM key ([7; 32]); each as QR text, as inflated CBOR and as
/// zlib bytes, so every path of the target starts from a valid input.
fn claim169_seeds(c: &mut Corpus) -> Result<()> {
    use laissez_formats::claim169::issue::{self, Protection};
    use laissez_formats::claim169::{
        Biometric, BiometricField, BiometricFormat, BiometricPart, ContentKey, CwtClaims, Gender,
        Identity,
    };
    use wallet_core::crypto::issuer_key::{IssuerSigningKey, SignatureAlgorithm};

    let cwt = CwtClaims {
        issuer: Some("https://id.example.org".into()),
        expires_at: Some(NOW + DAY),
        not_before: Some(NOW - DAY),
        ..CwtClaims::default()
    };
    let identity = Identity {
        id: Some("ID-1".into()),
        full_name: Some("Amina Yusuf".into()),
        secondary_full_name: Some("أمينة يوسف".into()),
        secondary_language: Some("ara".into()),
        gender: Some(Gender::Female),
        best_quality_fingers: vec![1, 6],
        biometrics: vec![BiometricField {
            part: BiometricPart::Face,
            entries: vec![Biometric {
                data: b"\xff\xd8\xff\xe0\x00\x10JFIF".to_vec(),
                format: Some(BiometricFormat::Image),
                sub_format: Some(1),
                issuer: None,
            }],
        }],
        ..Identity::default()
    };
    let ed25519 = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa)?;
    let es256 = IssuerSigningKey::generate(SignatureAlgorithm::Es256)?;
    let key = ContentKey::new(&[7u8; 32]).ok_or("content key")?;
    let protections = [
        (
            "eddsa",
            Protection {
                signer: Some(&ed25519),
                ..Protection::default()
            },
        ),
        (
            "es256",
            Protection {
                signer: Some(&es256),
                key_id: b"k-1".to_vec(),
                ..Protection::default()
            },
        ),
        ("unsigned", Protection::default()),
        (
            "encrypted",
            Protection {
                signer: Some(&ed25519),
                encryption: Some(&key),
                ..Protection::default()
            },
        ),
    ];
    for (name, protection) in &protections {
        let text = issue::encode(&cwt, &identity, protection)?;
        let cbor = issue::encode_cbor(&cwt, &identity, protection)?;
        let zlib = base45::decode(&text)?;
        c.add(&[CLAIM169], &format!("{name}.txt"), &text)?;
        c.add(&[CLAIM169], &format!("{name}.cbor"), &cbor)?;
        c.add(&[CLAIM169], &format!("{name}.zlib"), &zlib)?;
    }
    Ok(())
}

/// Registration certificates (ADR 0020) signed by the fixtures' registrar key, and their claims
/// alone (the target signs input starting with a CBOR map itself).
fn registration_seeds(c: &mut Corpus) -> Result<()> {
    use wallet_core::registration::{self, Registration, ScopeEntry, TrustedRegistrar};
    let f = fixtures();
    let verifier = wallet_core::crypto::ecdsa::SigningKey::derive(&[3; 32])?;
    let certificate = registration::certify(
        &Registration {
            registrar_id: "https://registrar.example".into(),
            verifier_id: "desk-7".into(),
            organisation: "Aid Desk Seven".into(),
            country: "KE".into(),
            purposes: vec!["Food distribution".into()],
            scope: vec![ScopeEntry {
                credential_type: "urn:laissez:id:1".into(),
                claims: vec!["given_name".into(), "family_name".into()],
            }],
            verifier_key: verifier.public_key().clone(),
            issued_at: NOW - DAY,
            not_before: NOW - DAY,
            not_after: NOW + DAY,
        },
        &f.issuer,
    )?;
    let trusted = [TrustedRegistrar {
        id: "https://registrar.example".into(),
        key: f.issuer.public_key().clone(),
    }];
    check(
        registration::verify(&certificate, &trusted, NOW).is_ok(),
        "registration certificate",
    )?;
    c.add(&[REGISTRATION], "certificate.cwt", &certificate)?;
    let sign1 = coset::CoseSign1::from_tagged_slice(&certificate).map_err(|e| e.to_string())?;
    let claims = sign1.payload.ok_or("no CWT payload")?;
    c.add(&[REGISTRATION], "claims.cbor", claims)?;
    // A signed request carrying the certificate, and one naming it by reference.
    use wallet_core::exchange::signed_request::{Certification, sign_request};
    use wallet_core::exchange::{RequestedClaim, RequestedCredential, VerifierRequest};
    let request = VerifierRequest {
        nonce: [5; 16],
        verifier_key: f.issuer.public_key().clone(),
        verifier_name: "Aid Desk Seven".into(),
        purpose: "Food distribution".into(),
        credentials: vec![RequestedCredential {
            credential_type: "urn:laissez:id:1".into(),
            claims: vec![RequestedClaim {
                path: "given_name".into(),
                required: true,
            }],
        }],
        created_at: NOW,
        expires_at: NOW + 300,
        known_certificates: Vec::new(),
    };
    let carried = sign_request(
        &request,
        &verifier,
        &Certification::Certificate(certificate.clone()),
    )?;
    c.add(&[EXCHANGE], "signed_request.cose", &carried.payload)?;
    let by_reference = sign_request(
        &request,
        &verifier,
        &Certification::Reference(registration::reference(&certificate)),
    )?;
    c.add(
        &[EXCHANGE],
        "signed_request_by_reference.cose",
        &by_reference.payload,
    )?;
    Ok(())
}

fn main() -> Result<()> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = std::env::args()
        .nth(1)
        .map_or_else(|| manifest.join("corpus"), PathBuf::from);
    let mut corpus = Corpus { root, count: 0 };
    sd_jwt_seeds(&mut corpus)?;
    mdoc_seeds(&mut corpus)?;
    other_seeds(&mut corpus)?;
    qr_image_seeds(&mut corpus)?;
    trust_list_seeds(&mut corpus)?;
    status_list_seeds(&mut corpus)?;
    registration_seeds(&mut corpus)?;
    claim169_seeds(&mut corpus)?;
    let made = corpus.count;
    let vectors = std::env::var_os("LAISSEZ_VECTORS")
        .map_or_else(|| manifest.join("../../shared/vectors"), PathBuf::from);
    let vectors = vectors.canonicalize().unwrap_or(vectors);
    if vectors.is_dir() {
        vector_seeds(&mut corpus, &vectors)?;
        println!(
            "seeds: {made} generated, {} from {}",
            corpus.count - made,
            vectors.display()
        );
    } else {
        println!(
            "seeds: {made} generated (no vectors at {})",
            vectors.display()
        );
    }
    println!("seeds written to {}", corpus.root.canonicalize()?.display());
    Ok(())
}
