//! Load test of `laissez issuer serve` on 127.0.0.1: the pre-authorized flow (token, nonce,
//! credential with a batch of key proofs) by W concurrent clients, bounded in count (the
//! offers made beforehand) and in time. Prints requests per second and p50/p95 per endpoint
//! and per flow (docs/BENCHMARKS.md, "OpenID4VCI issuer serve").
//!
//! Run (a release `laissez` binary first):
//! `cargo build --release -p laissez-cli && cargo run --release -p laissez-bench --example
//! issuer_serve_load -- [FLOWS=200] [WORKERS=4] [BATCH=5] [SECONDS=60]`
//!
//! `LAISSEZ_BIN=path/to/laissez` picks another binary.
//!
//! The HTTP client here is the least that drives the server (one request per connection,
//! `connection: close`, read to the end): a load generator, not a product client; the CLI's
//! client is hyper's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::openid4vci::offer::{OfferReference, parse_link};
use wallet_core::openid4vci::proof::sign_proof;

const PASSPHRASE: &str = "load test passphrase";

fn laissez() -> PathBuf {
    if let Ok(path) = std::env::var("LAISSEZ_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let path = PathBuf::from(target).join("release").join("laissez");
    assert!(
        path.exists(),
        "build it first: cargo build --release -p laissez-cli"
    );
    path
}

/// One request on a fresh connection; returns the status and body.
fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let status = std::str::from_utf8(&response[9..12])
        .unwrap()
        .parse()
        .unwrap();
    (status, response[split + 4..].to_vec())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let flows = *args.first().unwrap_or(&200) as usize;
    let workers = *args.get(1).unwrap_or(&4) as usize;
    let batch = *args.get(2).unwrap_or(&5) as usize;
    let seconds = *args.get(3).unwrap_or(&60);
    let dir = tempfile::tempdir().unwrap();
    let issuer = dir.path().join("issuer");
    let store = dir.path().join("store.db");
    let ok = Command::new(laissez())
        .args(["issuer", "new", "--out", issuer.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let claims = dir.path().join("claims.json");
    std::fs::write(
        &claims,
        br#"{"given_name":"Amina","family_name":"Haddad","birth_date":"1994-03-12","nationality":"SDN"}"#,
    )
    .unwrap();
    let common = |cmd: &mut Command| {
        cmd.env("LAISSEZ_ISSUER_PASSPHRASE", PASSPHRASE).args([
            "--issuer",
            issuer.to_str().unwrap(),
            "--store",
            store.to_str().unwrap(),
            "--base-url",
            &base,
            "--insecure-fast-kdf",
        ]);
    };
    // The offers first (one process; the count bounds the run).
    let mut offer_cmd = Command::new(laissez());
    offer_cmd.args(["issuer", "offer-online"]);
    common(&mut offer_cmd);
    let made = offer_cmd
        .args([
            "--claims",
            claims.to_str().unwrap(),
            "--configuration",
            "registration_sd_jwt",
            "--json",
            "--count",
            &flows.max(2).to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let made: Value = serde_json::from_slice(&made.stdout).unwrap();
    let offers: Vec<(String, String)> = made["offers"]
        .as_array()
        .unwrap()
        .iter()
        .take(flows)
        .map(|o| {
            let OfferReference::ByValue(offer) = parse_link(o["link"].as_str().unwrap()).unwrap()
            else {
                panic!("by value")
            };
            let grant = offer.grants.unwrap().pre_authorized_code.unwrap();
            (
                grant.pre_authorized_code,
                o["tx_code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut serve_cmd = Command::new(laissez());
    serve_cmd.args([
        "issuer",
        "serve",
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--stop-after",
        &(seconds + 30).to_string(),
    ]);
    common(&mut serve_cmd);
    let mut server = serve_cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();

    let queue = Arc::new(Mutex::new(offers));
    let samples: Arc<Mutex<Vec<(&'static str, Duration)>>> = Arc::new(Mutex::new(Vec::new()));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..workers)
        .map(|_| {
            let queue = queue.clone();
            let samples = samples.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                let keys: Vec<SigningKey> = (0..batch).map(|_| SigningKey::generate().unwrap()).collect();
                loop {
                    if Instant::now() > deadline {
                        return;
                    }
                    let Some((code, tx)) = queue.lock().unwrap().pop() else { return };
                    let flow = Instant::now();
                    let timed = |name: &'static str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]| {
                        let t = Instant::now();
                        let (status, body) = request(port, method, path, headers, body);
                        samples.lock().unwrap().push((name, t.elapsed()));
                        assert_eq!(status, 200, "{name}: {}", String::from_utf8_lossy(&body));
                        serde_json::from_slice::<Value>(&body).unwrap()
                    };
                    timed("metadata", "GET", "/.well-known/openid-credential-issuer", &[], b"");
                    let form = format!(
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code={code}&tx_code={tx}"
                    );
                    let token = timed("token", "POST", "/token", &[("content-type", "application/x-www-form-urlencoded")], form.as_bytes());
                    let token = token["access_token"].as_str().unwrap().to_owned();
                    let nonce = timed("nonce", "POST", "/nonce", &[], b"");
                    let nonce = nonce["c_nonce"].as_str().unwrap().to_owned();
                    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
                    let proofs: Vec<String> = keys.iter().map(|k| sign_proof(k, &base, &nonce, now).unwrap()).collect();
                    let body = json!({"credential_configuration_id": "registration_sd_jwt", "proofs": {"jwt": proofs}});
                    let bearer = format!("Bearer {token}");
                    let response = timed(
                        "credential",
                        "POST",
                        "/credential",
                        &[("content-type", "application/json"), ("authorization", &bearer)],
                        body.to_string().as_bytes(),
                    );
                    assert_eq!(response["credentials"].as_array().unwrap().len(), batch);
                    samples.lock().unwrap().push(("flow", flow.elapsed()));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let elapsed = started.elapsed();
    let _ = server.kill();
    let _ = server.wait();
    let samples = samples.lock().unwrap();
    let requests = samples.iter().filter(|(n, _)| *n != "flow").count();
    let flows_done = samples.iter().filter(|(n, _)| *n == "flow").count();
    println!(
        "issuer serve, pre-authorized flow: {flows_done} flows ({batch} copies each, SD-JWT VC), {workers} clients, {requests} requests in {:.2} s: {:.0} requests/s, {:.1} flows/s",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        flows_done as f64 / elapsed.as_secs_f64()
    );
    for name in ["metadata", "token", "nonce", "credential", "flow"] {
        let mut times: Vec<Duration> = samples
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .collect();
        times.sort();
        println!(
            "  {name:<10} n={:<5} p50 {:>7.2} ms  p95 {:>7.2} ms",
            times.len(),
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );
    }
}
