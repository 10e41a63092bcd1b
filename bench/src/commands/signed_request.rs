//! `laissez-bench signed-request`: the request code with and without a verifier's signature
//! (ADR 0020): its size unsigned, signed with the registration certificate, and signed with
//! the certificate's reference (characters and QR version at ECC M); then the time from the
//! scanned code's text to a checked signer: decode the envelope, open the signed request
//! (signature checked with the certificate's `cnf` key) and verify the certificate against a
//! trusted registrar; and the holder's `read_request`, from the scanned text to the consent
//! state, on a wallet whose signed trust list names the registrar and which holds the sample
//! credential in both formats (ADR 0021). Every signature is checked `Valid` and every consent
//! state `Verified` with a candidate, so a fast wrong answer fails the run.

use std::io::Write;

use laissez_sample_identity as sample_identity;
use serde::Serialize;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::signed_request::{SignatureCheck, open_signed_request};
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::{IssuerIdentity, issue_credential};
use wallet_core::qr::envelope;
use wallet_core::qr::render::{ErrorCorrection, render};
use wallet_core::registration::{self, Registration, ScopeEntry, TrustedRegistrar};
use wallet_core::store::WalletStore;
use wallet_core::verifier::field_verifier;
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_list_registrars::TrustedRegistrar as ListedRegistrar;
use wallet_core::verifier::trust_store;
use wallet_core::wallet::{ImportOptions, credentials};
use wallet_core::wallet::{holder_keys, respond};

use crate::args::SignedRequestArgs;
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::stats::{median, ms, p95, timed};
use crate::{output, wallets};

const PIN: &str = "bench-pin-2468";

/// One request code.
#[derive(Debug, Serialize)]
pub struct RequestSize {
    /// "unsigned", "certificate" or "reference".
    pub form: &'static str,
    /// Payload bytes.
    pub bytes: usize,
    /// Characters of the QR text.
    pub chars: usize,
    /// QR version at ECC M.
    pub version_m: u8,
}

/// The whole result.
#[derive(Debug, Serialize)]
pub struct SignedRequestBench {
    /// "laissez".
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Repetitions.
    pub reps: u32,
    /// The machine.
    pub machine: Machine,
    /// The registration certificate's size, bytes.
    pub certificate_bytes: usize,
    /// The codes.
    pub sizes: Vec<RequestSize>,
    /// Text to checked signer and certificate (decode, open, verify), median ms.
    pub open_verify_ms: f64,
    /// ... p95 ms.
    pub open_verify_p95_ms: f64,
    /// The scanned text to the holder's consent state (`envelope::decode` and `read_request`:
    /// trust list, certificate, signature, scope, candidates), median ms.
    pub read_request_ms: f64,
    /// ... p95 ms.
    pub read_request_p95_ms: f64,
}

fn fail<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> BenchError {
    move |err| BenchError::Failed(format!("{what}: {err}"))
}

fn requested() -> Vec<RequestedCredential> {
    vec![RequestedCredential {
        credential_type: sample_identity::credential_type(CredentialFormat::SdJwt).into(),
        claims: ["given_name", "family_name", "birth_date"]
            .into_iter()
            .map(|path| RequestedClaim {
                path: path.into(),
                required: true,
            })
            .collect(),
    }]
}

/// Runs the benchmark.
pub fn run(args: &SignedRequestArgs) -> BenchResult {
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| {
            BenchError::Failed(format!("cannot make a temporary folder: {}", err.kind()))
        })?;
    let now = SystemClock.now_unix();
    let options = || wallets::options(KdfParams::INSECURE_FAST);
    let (mut verifier, _) = WalletStore::create(dir.path().join("verifier.db"), PIN, options())
        .map_err(fail("verifier store"))?;
    let (mut holder, _) = WalletStore::create(dir.path().join("holder.db"), PIN, options())
        .map_err(fail("holder store"))?;
    let registrar = SigningKey::generate().map_err(fail("registrar key"))?;
    let trusted = [TrustedRegistrar {
        id: "https://registrar.example".into(),
        key: registrar.public_key().clone(),
    }];
    holder_setup(&mut holder, &registrar, now)?;
    let verifier_key = field_verifier::request_signing_key(&verifier).map_err(fail("key"))?;
    let certificate = registration::certify(
        &Registration {
            registrar_id: "https://registrar.example".into(),
            verifier_id: "urn:example:verifier:desk-7".into(),
            organisation: "Aid Desk Seven".into(),
            country: "KE".into(),
            purposes: vec!["Registration for food distribution".into()],
            scope: vec![ScopeEntry {
                credential_type: sample_identity::credential_type(CredentialFormat::SdJwt).into(),
                claims: vec![
                    "given_name".into(),
                    "family_name".into(),
                    "birth_date".into(),
                ],
            }],
            verifier_key: verifier_key.public_key().clone(),
            issued_at: now - 60,
            not_before: now - 60,
            not_after: now + 30 * 86_400,
        },
        &registrar,
    )
    .map_err(fail("certificate"))?;
    field_verifier::install_certificate(&mut verifier, &certificate, now)
        .map_err(fail("install"))?;
    let mut sizes = Vec::new();
    let mut signed_text = String::new();
    for form in ["unsigned", "certificate", "reference"] {
        let message = match form {
            "unsigned" => field_verifier::create_request(
                &mut verifier,
                "Desk 7",
                "Aid",
                requested(),
                300,
                now,
            ),
            _ => field_verifier::create_signed_request(
                &mut verifier,
                "Desk 7",
                "Aid",
                requested(),
                300,
                now,
                form == "reference",
            ),
        }
        .map_err(fail("request"))?;
        let text = envelope::encode(&message).map_err(fail("envelope"))?;
        let code = render(&text, ErrorCorrection::M).map_err(fail("render"))?;
        sizes.push(RequestSize {
            form,
            bytes: message.payload.len(),
            chars: text.len(),
            version_m: code.version,
        });
        if form == "certificate" {
            signed_text = text;
        }
    }
    let mut open_times = Vec::new();
    let mut read_times = Vec::new();
    for _ in 0..args.reps {
        let (checked, took) = timed(|| -> BenchResult<bool> {
            let message = envelope::decode(&signed_text).map_err(fail("decode"))?;
            let opened = open_signed_request(&message.payload, &[]).map_err(fail("open"))?;
            let certificate = opened.evidence.certificate.ok_or_else(|| {
                BenchError::Failed("the signed request carries no certificate".into())
            })?;
            let verified =
                registration::verify(&certificate, &trusted, now).map_err(fail("certificate"))?;
            Ok(opened.evidence.signature == SignatureCheck::Valid
                && verified.verifier_key == *verifier_key.public_key())
        });
        if !checked? {
            return Err(BenchError::Failed(
                "the signed request did not check out".into(),
            ));
        }
        open_times.push(took);
        let (view, took) = timed(|| -> BenchResult<_> {
            let message = envelope::decode(&signed_text).map_err(fail("decode"))?;
            respond::read_request(&holder, &message, now).map_err(fail("read_request"))
        });
        let view = view?;
        if !view.identity.is_verified() || view.matches[0].candidates.is_empty() {
            return Err(BenchError::Failed(format!(
                "the consent state is not a verified verifier with a candidate: {:?}",
                view.identity
            )));
        }
        read_times.push(took);
    }
    let result = SignedRequestBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        reps: args.reps,
        machine: machine::describe(),
        certificate_bytes: certificate.len(),
        sizes,
        open_verify_ms: ms(median(&open_times)),
        open_verify_p95_ms: ms(p95(&open_times)),
        read_request_ms: ms(median(&read_times)),
        read_request_p95_ms: ms(p95(&read_times)),
    };
    if args.json {
        return output::print_json(&result);
    }
    let mut out = std::io::stdout().lock();
    let m = &result.machine;
    writeln!(
        out,
        "laissez {} bench signed-request: {} CPUs ({}), {} MiB, {} {}",
        result.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel
    )?;
    writeln!(
        out,
        "\nRequest code (certificate {} bytes; one code up to 970 characters: version 20 at M)",
        result.certificate_bytes
    )?;
    writeln!(
        out,
        "{:<12} {:>6} {:>6} {:>6}",
        "form", "bytes", "chars", "ver M"
    )?;
    for s in &result.sizes {
        writeln!(
            out,
            "{:<12} {:>6} {:>6} {:>6}",
            s.form, s.bytes, s.chars, s.version_m
        )?;
    }
    writeln!(
        out,
        "\n{} runs: text to checked signature and certificate {:.3} ms median (p95 {:.3}); \
         read_request {:.3} ms median (p95 {:.3})",
        result.reps,
        result.open_verify_ms,
        result.open_verify_p95_ms,
        result.read_request_ms,
        result.read_request_p95_ms
    )?;
    Ok(())
}

/// The holder: a signed trust list naming the registrar (pinned at this first import), and the
/// sample credential issued in both formats.
fn holder_setup(holder: &mut WalletStore, registrar: &SigningKey, now: i64) -> BenchResult {
    let mut list = TrustList::new(1, now, 30);
    list.add_registrar(ListedRegistrar {
        id: "https://registrar.example".into(),
        name: "Coordination body".into(),
        country: "KE".into(),
        key: registrar.public_key().clone(),
        valid_from: now - 60,
        valid_until: now + 365 * 86_400,
    })
    .map_err(fail("trust list"))?;
    let signer = SigningKey::generate().map_err(fail("list signer"))?;
    let signed = list.sign(&signer).map_err(fail("trust list"))?;
    trust_store::install(holder, &signed, Some(signer.public_key()), now)
        .map_err(fail("install the trust list"))?;
    let key = holder_keys::default_key(holder).map_err(fail("holder key"))?;
    let issuer = IssuerIdentity::generate("IOM Agadez field office", now - 60, 3650)
        .map_err(fail("issuer"))?;
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let order = sample_identity::order(format, &key.public_key, now, false);
        let issued = issue_credential(&issuer, &order).map_err(fail("issue"))?;
        let options = ImportOptions {
            issuer_keys: Vec::new(),
            now,
            type_metadata: None,
        };
        credentials::import(holder, &issued, &options).map_err(fail("import"))?;
    }
    Ok(())
}
