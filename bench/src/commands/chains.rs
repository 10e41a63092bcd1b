//! `laissez-bench chains`: what issuers as certificate chains cost a verifier (issue 13,
//! items 1-2).
//!
//! - Verification time of one presentation (SD-JWT VC and mdoc DeviceResponse) whose issuer
//!   sends a 2-certificate chain (`x5c` / `x5chain` = [document signer, intermediate CA]),
//!   verified three ways, interleaved sample by sample: against the root (a 3-certificate
//!   path: signer -> intermediate -> root anchor), against the signer's certificate pinned,
//!   and against the signer's bare key pinned (today's pinned key, the baseline).
//! - The size of a signed trust list with N anchors (P-256 roots with their certificates),
//!   and with one known signer certificate per anchor.
//!
//! Every result is checked, so a fast wrong answer fails the run (exit 3): every verdict is
//! VALID with the three presented claims and names the expected anchor, the same
//! credential without the intermediate is refused against the root (`unknown_issuer`), and
//! both trust lists verify and read back with every entry.
//!
//! Laissez's issuer (`IssuerIdentity::chain`) sends the signer's certificate only, so the
//! chained credentials are made here: the SD-JWT VC through `sdjwt::issue` with
//! `x5c = [signer, intermediate]` (as `issue_credential` does it otherwise), and the mdoc by
//! `issue_credential` with `x5chain` (unprotected header, outside the signature) replaced by
//! the array [signer, intermediate].

use super::checks::{expect, fail};
use std::io::Write;
use std::time::Duration;

use ciborium::Value as Cbor;
use laissez_sample_identity as sample_identity;
use serde::Serialize;
use serde_json::Value;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::issuer_key::{IssuerSigningKey, SignatureAlgorithm};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{IssuerIdentity, issue_credential};
use wallet_core::sdjwt::{self, ClaimPath, DecoyPolicy, PathSegment};
use wallet_core::store::{RecordId, WalletStore};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::{
    ExpectedBinding, TrustedIssuer, Verdict, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::holder_keys::{self, HolderKey};
use wallet_core::wallet::{ImportOptions, PresentationBinding, credentials};
use wallet_core::x509::{
    IacaProfile, SignerProfile, document_signer_certificate, iaca_certificate,
    issue_ca_certificate, self_signed_certificate,
};

use crate::args::ChainsArgs;
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::stats::{median, p95, timed, us};
use crate::{output, wallets};

const PIN: &str = "bench-pin-1357";
const NONCE: &str = "bench-nonce-c4a1";
const AUDIENCE: &str = "https://verifier.example/desk-3";
const ROOT_NAME: &str = "Bench root CA";
const INTERMEDIATE_NAME: &str = "Bench intermediate CA";
const SIGNER_NAME: &str = "Bench document signer";
const ISSUER_ID: &str = "https://issuer.bench.example/chains";
/// COSE header label of `x5chain` (RFC 9360).
const X5CHAIN: i64 = 33;

/// Verification times of one format, medians and 95th percentiles in microseconds.
#[derive(Debug, Serialize)]
pub struct ChainVerify {
    /// "sd-jwt" or "mdoc".
    pub format: &'static str,
    /// Trusting the root: the path signer -> intermediate (both from the credential) -> root.
    pub root_us: f64,
    /// ... p95.
    pub root_p95_us: f64,
    /// Trusting the signer's certificate itself (pinned certificate).
    pub signer_certificate_us: f64,
    /// ... p95.
    pub signer_certificate_p95_us: f64,
    /// Trusting the signer's bare public key (pinned key: the baseline).
    pub pinned_key_us: f64,
    /// ... p95.
    pub pinned_key_p95_us: f64,
    /// root_us / pinned_key_us.
    pub root_over_pinned_key: f64,
    /// Bytes of the presentation (three of six claims, the two certificates included).
    pub presentation_bytes: usize,
}

/// Sizes of the signed trust lists.
#[derive(Debug, Serialize)]
pub struct TrustListSizes {
    /// Anchors in each list.
    pub anchors: usize,
    /// DER bytes of one anchor certificate (an Annex B IACA, P-256).
    pub anchor_certificate_bytes: usize,
    /// DER bytes of one signer certificate.
    pub signer_certificate_bytes: usize,
    /// The signed list (compact JWS) with the anchors' certificates.
    pub roots_only_bytes: usize,
    /// The same with one known signer certificate per anchor.
    pub with_signer_bytes: usize,
}

/// The result of one run.
#[derive(Debug, Serialize)]
pub struct ChainsBench {
    /// Which program measured.
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Verifications timed per format and trust setting.
    pub reps: u32,
    /// Where it ran.
    pub machine: Machine,
    /// SD-JWT VC verification.
    pub sd_jwt: ChainVerify,
    /// mdoc DeviceResponse verification.
    pub mdoc: ChainVerify,
    /// Signed trust list sizes.
    pub trust_list: TrustListSizes,
}

fn step<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> BenchError {
    move |err| fail(format!("benchmark step {what} failed: {err}"))
}

/// The certificates of the chain and the signer.
struct Chain {
    root: Vec<u8>,
    intermediate: Vec<u8>,
    identity: IssuerIdentity,
}

fn make_chain(now: i64) -> BenchResult<Chain> {
    let alg = SignatureAlgorithm::Es256;
    let root_key = IssuerSigningKey::generate(alg).map_err(step("root key"))?;
    let root = self_signed_certificate(&root_key, ROOT_NAME, now - 60, 3650)
        .map_err(step("root certificate"))?;
    let inter_key = IssuerSigningKey::generate(alg).map_err(step("intermediate key"))?;
    let intermediate = issue_ca_certificate(
        inter_key.public_key(),
        INTERMEDIATE_NAME,
        now - 60,
        3650,
        Some(0),
        &root_key,
        ROOT_NAME,
    )
    .map_err(step("intermediate certificate"))?;
    let signer_key = IssuerSigningKey::generate(alg).map_err(step("signer key"))?;
    let signer = document_signer_certificate(
        signer_key.public_key(),
        &SignerProfile {
            common_name: SIGNER_NAME,
            country: "XX",
            issuer_identifier: Some(ISSUER_ID),
            not_before: now - 60,
            validity_days: 365,
        },
        &inter_key,
        &intermediate,
    )
    .map_err(step("signer certificate"))?;
    let identity =
        IssuerIdentity::from_parts(signer_key, signer, None).map_err(step("signer identity"))?;
    Ok(Chain {
        root,
        intermediate,
        identity,
    })
}

/// The sample SD-JWT VC as `issue_credential` makes it, but with `x5c` = `x5c`.
fn issue_sd_jwt(
    issuer: &IssuerIdentity,
    holder: &HolderKey,
    now: i64,
    x5c: Vec<Vec<u8>>,
) -> BenchResult<Vec<u8>> {
    let order = sample_identity::order(CredentialFormat::SdJwt, &holder.public_key, now, false);
    let claims = order.claims.clone();
    let mut disclosable = Vec::new();
    for (name, value) in &claims {
        disclosable.push(ClaimPath::key(name.clone()));
        if let Value::Object(members) = value {
            for member in members.keys() {
                disclosable
                    .push(ClaimPath::key(name.clone()).child(PathSegment::Key(member.clone())));
            }
        }
    }
    let mut request = sdjwt::IssueRequest::new(
        order.credential_type.clone(),
        issuer.identifier.clone(),
        now,
        claims,
    );
    request.holder_key = Some(order.holder_key.clone());
    request.expires_at = Some(now + i64::from(order.valid_days) * 86_400);
    request.selectively_disclosable = disclosable;
    request.decoys = DecoyPolicy::between(1, 3);
    request.x5c = x5c;
    let issued = sdjwt::issue(&request, &issuer.key).map_err(step("SD-JWT issue"))?;
    Ok(issued.to_compact().into_bytes())
}

/// The member `name` of a CBOR map.
fn member<'a>(map: &'a mut Cbor, name: &str) -> Option<&'a mut Cbor> {
    match map {
        Cbor::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.as_text() == Some(name))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The sample mdoc with its `x5chain` (unprotected, so unsigned) set to `chain`.
fn issue_mdoc(
    issuer: &IssuerIdentity,
    holder: &HolderKey,
    now: i64,
    chain: &[&[u8]],
) -> BenchResult<Vec<u8>> {
    let order = sample_identity::order(CredentialFormat::Mdoc, &holder.public_key, now, false);
    let issued = issue_credential(issuer, &order)?;
    let mut top: Cbor = ciborium::from_reader(issued.as_slice()).map_err(step("mdoc decode"))?;
    // A Document {docType, issuerSigned: {nameSpaces, issuerAuth}}
    let issuer_signed = member(&mut top, "issuerSigned")
        .ok_or_else(|| fail("the issued mdoc has no issuerSigned".into()))?;
    let auth = member(issuer_signed, "issuerAuth")
        .ok_or_else(|| fail("the issued mdoc has no issuerAuth".into()))?;
    let auth = match auth {
        Cbor::Tag(_, inner) => inner.as_mut(),
        other => other,
    };
    let unprotected = match auth {
        Cbor::Array(parts) => parts.get_mut(1),
        _ => None,
    }
    .and_then(|h| match h {
        Cbor::Map(entries) => Some(entries),
        _ => None,
    })
    .ok_or_else(|| fail("issuerAuth has no unprotected header".into()))?;
    let slot = unprotected
        .iter_mut()
        .find(|(k, _)| k.as_integer() == Some(X5CHAIN.into()))
        .ok_or_else(|| fail("issuerAuth has no x5chain".into()))?;
    slot.1 = if let [only] = chain {
        Cbor::Bytes(only.to_vec())
    } else {
        Cbor::Array(chain.iter().map(|c| Cbor::Bytes(c.to_vec())).collect())
    };
    let mut out = Vec::new();
    ciborium::into_writer(&top, &mut out).map_err(step("mdoc encode"))?;
    Ok(out)
}

/// The wallet of a run and its holder key.
struct Wallet {
    store: WalletStore,
    holder: HolderKey,
    now: i64,
}

impl Wallet {
    fn import(&mut self, issued: &[u8]) -> BenchResult<RecordId> {
        let options = ImportOptions {
            issuer_keys: Vec::new(),
            now: self.now,
            type_metadata: None,
        };
        Ok(credentials::import(&mut self.store, issued, &options)?.id)
    }

    fn present(&mut self, id: RecordId) -> BenchResult<Vec<u8>> {
        let binding = PresentationBinding::NonceAudience {
            nonce: NONCE.into(),
            audience: AUDIENCE.into(),
        };
        let claims = sample_identity::presented();
        Ok(credentials::present(&mut self.store, id, &claims, &binding, self.now, None)?.bytes)
    }
}

fn verify(presentation: &[u8], trusted: &[TrustedIssuer], now: i64) -> Verdict {
    let binding = ExpectedBinding::NonceAudience {
        nonce: NONCE.into(),
        audience: AUDIENCE.into(),
    };
    verify_presentation(&VerificationRequest {
        presentation,
        binding: &binding,
        trusted,
        now,
        lang: "en",
        status_lists: &[],
        max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: wallet_core::verifier::HighS::Refuse,
        type_metadata: &[],
    })
}

/// The three trust settings: the root, the signer's certificate, the signer's bare key.
fn trust_settings(chain: &Chain) -> BenchResult<[Vec<TrustedIssuer>; 3]> {
    let root = TrustedIssuer::from_bytes(&chain.root).map_err(step("root as anchor"))?;
    let signer = TrustedIssuer::from_bytes(&chain.identity.certificate)
        .map_err(step("signer certificate as anchor"))?;
    let key = TrustedIssuer {
        name: Some("pinned signer key".into()),
        key: chain.identity.key.public_key(),
        certificate: None,
        credential_types: Vec::new(),
        countries: Vec::new(),
    };
    Ok([vec![root], vec![signer], vec![key]])
}

fn time_format(
    format: CredentialFormat,
    presentations: &[Vec<u8>],
    settings: &[Vec<TrustedIssuer>; 3],
    now: i64,
) -> BenchResult<ChainVerify> {
    let expected_names = [
        Some(ROOT_NAME),
        Some(SIGNER_NAME),
        Some("pinned signer key"),
    ];
    let mut samples: [Vec<Duration>; 3] = Default::default();
    for presentation in presentations {
        for ((trusted, times), name) in settings.iter().zip(&mut samples).zip(expected_names) {
            let (verdict, took) = timed(|| verify(presentation, trusted, now));
            expect(
                verdict.valid && verdict.claims.len() == sample_identity::PRESENTED.len(),
                "every chained presentation verifies with three claims",
            )?;
            expect(
                verdict.issuer.as_ref().and_then(|i| i.name.as_deref()) == name,
                "the verdict names the anchor it was given",
            )?;
            times.push(took);
        }
    }
    let [root, signer, key] = samples;
    let root_us = us(median(&root));
    let pinned_key_us = us(median(&key));
    Ok(ChainVerify {
        format: format.as_str(),
        root_us,
        root_p95_us: us(p95(&root)),
        signer_certificate_us: us(median(&signer)),
        signer_certificate_p95_us: us(p95(&signer)),
        pinned_key_us,
        pinned_key_p95_us: us(p95(&key)),
        root_over_pinned_key: if pinned_key_us > 0.0 {
            root_us / pinned_key_us
        } else {
            0.0
        },
        presentation_bytes: presentations.first().map_or(0, Vec::len),
    })
}

fn trust_list_sizes(anchors: usize, now: i64) -> BenchResult<TrustListSizes> {
    let signer = SigningKey::generate().map_err(step("trust-list signer"))?;
    let mut roots_only = TrustList::new(1, now, 30);
    let mut with_signer = TrustList::new(1, now, 30);
    let (mut anchor_bytes, mut signer_bytes) = (0, 0);
    for n in 0..anchors {
        let key =
            IssuerSigningKey::generate(SignatureAlgorithm::Es256).map_err(step("anchor key"))?;
        let name = format!("Issuing authority {n:03}");
        let iaca = iaca_certificate(
            &key,
            &IacaProfile {
                common_name: &name,
                country: "UT",
                contact_uri: "https://authority.bench.example/contact",
                not_before: now - 60,
                validity_days: 3650,
            },
        )
        .map_err(step("anchor certificate"))?;
        let signer_key =
            IssuerSigningKey::generate(SignatureAlgorithm::Es256).map_err(step("signer key"))?;
        let ds = document_signer_certificate(
            signer_key.public_key(),
            &SignerProfile {
                common_name: &format!("{name} signer"),
                country: "UT",
                issuer_identifier: Some(ISSUER_ID),
                not_before: now - 60,
                validity_days: 365,
            },
            &key,
            &iaca,
        )
        .map_err(step("signer certificate"))?;
        anchor_bytes = iaca.len();
        signer_bytes = ds.len();
        roots_only
            .add_issuer_certificate(name.clone(), &iaca, now - 60, now + 86_400 * 365)
            .map_err(step("trust list entry"))?;
        with_signer
            .add_issuer_certificate(name, &iaca, now - 60, now + 86_400 * 365)
            .map_err(step("trust list entry"))?
            .signer_certificates = vec![ds];
    }
    let mut sizes = [0; 2];
    for (list, size) in [&roots_only, &with_signer].into_iter().zip(&mut sizes) {
        let signed = list.sign(&signer).map_err(step("trust list sign"))?;
        let back = TrustList::verify(&signed, signer.public_key(), now)
            .map_err(step("trust list read back"))?;
        expect(
            back.entries.len() == anchors && back.entries == list.entries,
            "the signed trust list reads back with every entry",
        )?;
        *size = signed.len();
    }
    Ok(TrustListSizes {
        anchors,
        anchor_certificate_bytes: anchor_bytes,
        signer_certificate_bytes: signer_bytes,
        roots_only_bytes: sizes[0],
        with_signer_bytes: sizes[1],
    })
}

/// Runs the benchmark and prints the result.
pub fn run(args: &ChainsArgs) -> BenchResult {
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| fail(format!("cannot make a temporary folder: {}", err.kind())))?;
    let now = SystemClock.now_unix();
    let options = wallets::options(KdfParams::INSECURE_FAST);
    let (mut store, _phrase) = WalletStore::create(dir.path().join("bench.db"), PIN, options)
        .map_err(|err| fail(format!("cannot create the benchmark wallet: {err}")))?;
    let holder = holder_keys::default_key(&mut store)
        .map_err(|err| fail(format!("cannot make a holder key: {err}")))?;
    let mut wallet = Wallet { store, holder, now };
    let chain = make_chain(now)?;
    let settings = trust_settings(&chain)?;
    let reps = args.reps as usize;
    let full = [
        chain.identity.certificate.as_slice(),
        chain.intermediate.as_slice(),
    ];

    output::progress("sd-jwt: issue with x5c = [signer, intermediate], present");
    let sd = issue_sd_jwt(
        &chain.identity,
        &wallet.holder,
        now,
        full.iter().map(|c| c.to_vec()).collect(),
    )?;
    let sd_id = wallet.import(&sd)?;
    output::progress("mdoc: issue with x5chain = [signer, intermediate], present");
    let md = issue_mdoc(&chain.identity, &wallet.holder, now, &full)?;
    let md_id = wallet.import(&md)?;

    // Without the intermediate, the root anchors nothing: the chain is really followed.
    let root_only = &settings[0];
    let sd_short = issue_sd_jwt(&chain.identity, &wallet.holder, now, vec![full[0].to_vec()])?;
    let md_short = issue_mdoc(&chain.identity, &wallet.holder, now, &full[..1])?;
    for (issued, what) in [(sd_short, "sd-jwt"), (md_short, "mdoc")] {
        let id = wallet.import(&issued)?;
        let presentation = wallet.present(id)?;
        let verdict = verify(&presentation, root_only, now);
        expect(
            !verdict.valid && verdict.reasons.iter().any(|r| r.code() == "unknown_issuer"),
            &format!(
                "{what} without the intermediate is refused against the root (unknown_issuer)"
            ),
        )?;
    }

    let mut results = Vec::new();
    for (format, id) in [
        (CredentialFormat::SdJwt, sd_id),
        (CredentialFormat::Mdoc, md_id),
    ] {
        let name = format.as_str();
        output::progress(&format!("{name}: present x{reps}"));
        let mut presentations = Vec::with_capacity(reps);
        for _ in 0..reps {
            presentations.push(wallet.present(id)?);
        }
        output::progress(&format!("{name}: verify x{reps} x 3 trust settings"));
        results.push(time_format(format, &presentations, &settings, now)?);
    }
    let mdoc = results
        .pop()
        .ok_or_else(|| fail("no mdoc figures".into()))?;
    let sd_jwt = results
        .pop()
        .ok_or_else(|| fail("no SD-JWT figures".into()))?;

    output::progress(&format!("trust lists: {} anchors", args.anchors));
    let trust_list = trust_list_sizes(args.anchors as usize, now)?;

    let result = ChainsBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        reps: args.reps,
        machine: machine::describe(),
        sd_jwt,
        mdoc,
        trust_list,
    };
    if args.json {
        output::print_json(&result)
    } else {
        print_table(&result)
    }
}

fn print_table(r: &ChainsBench) -> BenchResult {
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} on {} CPUs ({}), {} MiB, {} {}; {} verifications each, medians (p95) in µs",
        r.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel, r.reps
    )?;
    writeln!(
        out,
        "{:<52} {:>18} {:>18}",
        "verify one presentation, trusting", "SD-JWT VC", "mdoc"
    )?;
    let time = |median: f64, p95: f64| format!("{median:.1} ({p95:.1})");
    let (s, d) = (&r.sd_jwt, &r.mdoc);
    let rows = [
        (
            "the root (signer -> intermediate -> root)",
            time(s.root_us, s.root_p95_us),
            time(d.root_us, d.root_p95_us),
        ),
        (
            "the signer's certificate (pinned)",
            time(s.signer_certificate_us, s.signer_certificate_p95_us),
            time(d.signer_certificate_us, d.signer_certificate_p95_us),
        ),
        (
            "the signer's key (pinned, baseline)",
            time(s.pinned_key_us, s.pinned_key_p95_us),
            time(d.pinned_key_us, d.pinned_key_p95_us),
        ),
        (
            "root / pinned key",
            format!("{:.2}x", s.root_over_pinned_key),
            format!("{:.2}x", d.root_over_pinned_key),
        ),
        (
            "presentation bytes",
            s.presentation_bytes.to_string(),
            d.presentation_bytes.to_string(),
        ),
    ];
    for (name, a, b) in rows {
        writeln!(out, "{name:<52} {a:>18} {b:>18}")?;
    }
    let t = &r.trust_list;
    writeln!(
        out,
        "signed trust list, {} P-256 anchors ({} B certificate each): {} bytes; with one signer certificate each ({} B): {} bytes",
        t.anchors,
        t.anchor_certificate_bytes,
        t.roots_only_bytes,
        t.signer_certificate_bytes,
        t.with_signer_bytes
    )?;
    Ok(())
}
