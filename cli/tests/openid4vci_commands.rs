//! OpenID4VCI over real HTTP on 127.0.0.1: `laissez issuer serve` and `issuer offer-online`
//! on one side, `laissez wallet fetch-credential` on the other; and a hand-made bad server
//! (redirect, oversized body, malformed JSON, HTTP error, silence) that each give a clear
//! error with the wallet unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{PIN, Scratch, init_wallet, laissez, s, with_pin};

const PASSPHRASE: &str = "desk laptop passphrase";

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(issuer: &std::path::Path, store: &std::path::Path, port: u16) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_laissez"))
        .args([
            "issuer",
            "serve",
            "--issuer",
            s(issuer),
            "--store",
            s(store),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--stop-after",
            "120",
            "--insecure-fast-kdf",
        ])
        .env("LAISSEZ_ISSUER_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    Server { child }
}

fn wallet_count(db: &std::path::Path) -> usize {
    let run = with_pin(&["wallet", "list", "--db", s(db), "--json"]).expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    value["credentials"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_wallet_fetches_both_formats_from_issuer_serve() {
    let scratch = Scratch::new();
    let issuer = scratch.path("issuer");
    laissez(
        &["issuer", "new", "--out", s(&issuer), "--name", "IOM desk"],
        &[],
    )
    .expect_code(0);
    let store = scratch.path("issuer-store.db");
    let port = free_port();
    let _server = serve(&issuer, &store, port);
    let claims = scratch.write(
        "claims.json",
        br#"{"given_name":"Amina","family_name":"Haddad","birth_date":"1994-03-12","nationality":"SDN"}"#,
    );
    let png = scratch.path("offer.png");
    let base = format!("http://127.0.0.1:{port}");
    let offer = laissez(
        &[
            "issuer",
            "offer-online",
            "--issuer",
            s(&issuer),
            "--store",
            s(&store),
            "--base-url",
            &base,
            "--claims",
            s(&claims),
            "--qr",
            s(&png),
            "--json",
            "--insecure-fast-kdf",
        ],
        &[("LAISSEZ_ISSUER_PASSPHRASE", PASSPHRASE)],
    )
    .expect_code(0);
    let offer: serde_json::Value = serde_json::from_str(&offer.stdout).unwrap();
    let link = offer["link"].as_str().unwrap();
    let tx_code = offer["tx_code"].as_str().unwrap();
    assert!(link.starts_with("openid-credential-offer://?credential_offer="));
    assert_eq!(tx_code.len(), 6);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    // The personal data are not in the server's file in plain text.
    let file = std::fs::read(&store).unwrap();
    assert!(!file.windows(5).any(|w| w == b"Amina"));

    let db = scratch.path("w.db");
    init_wallet(&db);
    let wrong = if tx_code == "000000" {
        "111111"
    } else {
        "000000"
    };
    let run = with_pin(&[
        "wallet",
        "fetch-credential",
        "--db",
        s(&db),
        "--offer",
        link,
        "--tx-code",
        wrong,
        "--allow-http",
    ])
    .expect_code(1);
    assert!(run.stderr.contains("invalid_grant"), "{}", run.stderr);
    assert_eq!(wallet_count(&db), 0);
    // https only unless asked.
    let run = with_pin(&[
        "wallet",
        "fetch-credential",
        "--db",
        s(&db),
        "--offer",
        link,
        "--tx-code",
        tx_code,
    ])
    .expect_code(2);
    assert!(run.stderr.contains("https"), "{}", run.stderr);

    let run = with_pin(&[
        "wallet",
        "fetch-credential",
        "--db",
        s(&db),
        "--offer",
        link,
        "--tx-code",
        tx_code,
        "--allow-http",
        "--batch",
        "3",
    ])
    .expect_code(0);
    assert!(
        run.stdout.contains("(sd-jwt)") && run.stdout.contains("(mdoc)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("3 copies"), "{}", run.stdout);
    // The metadata's issuer name is the issuer's claim: shown as such.
    assert!(
        run.stdout.contains("an issuer calling itself") && run.stdout.contains("(unverified)"),
        "{}",
        run.stdout
    );
    assert_eq!(wallet_count(&db), 2);
    // The code is spent.
    with_pin(&[
        "wallet",
        "fetch-credential",
        "--db",
        s(&db),
        "--offer",
        link,
        "--tx-code",
        tx_code,
        "--allow-http",
    ])
    .expect_code(1);
    assert_eq!(wallet_count(&db), 2);
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A server answering every connection with `response` (or nothing, when `None`).
fn bad_server(response: Option<Vec<u8>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            match &response {
                Some(bytes) => {
                    let _ = stream.write_all(bytes);
                }
                None => std::thread::sleep(Duration::from_secs(5)),
            }
        }
    });
    port
}

fn http(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nlocation: https://elsewhere.example/\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn bad_servers_give_clear_errors_and_leave_the_wallet_unchanged() {
    let scratch = Scratch::new();
    let db = scratch.path("w.db");
    init_wallet(&db);
    let cases: Vec<(Option<Vec<u8>>, &str)> = vec![
        (Some(http("302 Found", b"")), "redirect (HTTP 302) refused"),
        (
            Some(http("500 Internal Server Error", b"oops")),
            "HTTP status 500",
        ),
        (
            Some(http("200 OK", b"{\"credential_issuer\": ")),
            "malformed JSON",
        ),
        (
            Some(http("200 OK", &vec![b' '; 3 * 1024 * 1024])),
            "response body over",
        ),
        (None, "timed out"),
    ];
    for (response, expected) in cases {
        let port = bad_server(response);
        let offer = format!(
            r#"{{"credential_issuer":"http://127.0.0.1:{port}","credential_configuration_ids":["x"],"grants":{{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{{"pre-authorized_code":"abc"}}}}}}"#
        );
        let link = format!(
            "openid-credential-offer://?credential_offer={}",
            encode(&offer)
        );
        let run = laissez(
            &[
                "wallet",
                "fetch-credential",
                "--db",
                s(&db),
                "--offer",
                &link,
                "--allow-http",
                "--timeout",
                "1",
            ],
            &[("LAISSEZ_PIN", PIN)],
        )
        .expect_code(2);
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
        assert_eq!(wallet_count(&db), 0);
    }
    let run = with_pin(&[
        "wallet",
        "fetch-credential",
        "--db",
        s(&db),
        "--offer",
        "https://x.example/",
    ])
    .expect_code(2);
    assert!(run.stderr.contains("credential offer"), "{}", run.stderr);
}
