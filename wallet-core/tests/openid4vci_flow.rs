//! OpenID4VCI 1.0 pre-authorized code flow, in process: the wallet's client runs against the
//! issuer's handlers through a transport that calls them directly. Both formats, batches,
//! labels from the issuer metadata; and every bad input of issue 14 (wrong transaction code,
//! expired pre-authorized code, malformed JSON, HTTP errors, redirects, timeouts, oversized
//! bodies, copies that do not match) is a typed error with the wallet unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::IssuerIdentity;
use wallet_core::openid4vci::client::{self, FetchOptions};
use wallet_core::openid4vci::http::MAX_RESPONSE_BODY;
use wallet_core::openid4vci::issuer::{
    ConfigurationSpec, IssuanceState, IssuerService, MAX_TX_CODE_ATTEMPTS, handle,
};
use wallet_core::openid4vci::{
    Endpoint, ErrorCode, HttpRequest, HttpResponse, HttpTransport, Oid4vciError, TransportError,
};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::wallet::{credentials, holder_keys};

const NOW: i64 = 1_790_000_000;
const BASE: &str = "http://127.0.0.1:8080";
const VCT: &str = "https://example.org/registration/1";
const DOCTYPE: &str = "org.example.registration.1";

/// What the test transport does to one exchange whose URL contains `path`.
enum Fault {
    Status(u16),
    Body(Vec<u8>),
    Transport(TransportError),
    Mutate(fn(Vec<u8>) -> Vec<u8>),
}

struct InProcess {
    state: RefCell<IssuanceState>,
    service: IssuerService,
    now: Cell<i64>,
    faults: RefCell<Vec<(&'static str, Fault)>>,
    log: RefCell<Vec<String>>,
}

impl HttpTransport for InProcess {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.log.borrow_mut().push(request.path().to_owned());
        let fault = {
            let faults = self.faults.borrow();
            faults
                .iter()
                .position(|(path, _)| request.url.contains(path))
        };
        let fault = fault.map(|i| self.faults.borrow_mut().remove(i).1);
        match fault {
            Some(Fault::Transport(error)) => return Err(error),
            Some(Fault::Status(status)) => {
                return Ok(HttpResponse {
                    status,
                    headers: vec![("location".into(), "https://elsewhere.example/".into())],
                    body: Vec::new(),
                });
            }
            Some(Fault::Body(body)) => {
                return Ok(HttpResponse {
                    status: 200,
                    headers: Vec::new(),
                    body,
                });
            }
            _ => {}
        }
        let mut response = handle(
            &mut self.state.borrow_mut(),
            &self.service,
            &request,
            self.now.get(),
        )
        .response;
        if let Some(Fault::Mutate(change)) = fault {
            response.body = change(response.body);
        }
        Ok(response)
    }
}

fn spec(format: CredentialFormat, credential_type: &str) -> ConfigurationSpec {
    ConfigurationSpec {
        format,
        credential_type: credential_type.into(),
        display: vec![
            ("en".into(), "Registration".into()),
            ("fr".into(), "Enregistrement".into()),
        ],
        claim_labels: vec![
            (vec!["given_name".into()], "en".into(), "Given name".into()),
            (vec!["given_name".into()], "fr".into(), "Prénom".into()),
        ],
        valid_days: 365,
    }
}

fn issuer() -> InProcess {
    let identity = IssuerIdentity::generate("Registration desk", NOW - 10, 3650).unwrap();
    let mut configurations = BTreeMap::new();
    configurations.insert(
        "registration_sd_jwt".to_owned(),
        spec(CredentialFormat::SdJwt, VCT),
    );
    configurations.insert(
        "registration_mdoc".to_owned(),
        spec(CredentialFormat::Mdoc, DOCTYPE),
    );
    InProcess {
        state: RefCell::new(IssuanceState::default()),
        service: IssuerService {
            base_url: BASE.into(),
            configurations,
            batch_size: 10,
            identity,
        },
        now: Cell::new(NOW),
        faults: RefCell::new(Vec::new()),
        log: RefCell::new(Vec::new()),
    }
}

fn claims() -> Map<String, Value> {
    json!({"given_name": "Amina", "family_name": "Haddad", "birth_date": "1990-05-01"})
        .as_object()
        .cloned()
        .unwrap()
}

fn offer(issuer: &InProcess, ids: &[&str], tx_code: bool) -> (String, Option<String>) {
    let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    let created = issuer
        .state
        .borrow_mut()
        .create_offer(&issuer.service, &ids, claims(), tx_code, 600, NOW)
        .unwrap();
    (created.link, created.tx_code)
}

fn wallet() -> (tempfile::TempDir, WalletStore) {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    (dir, store)
}

fn options(batch_size: usize) -> FetchOptions {
    FetchOptions {
        batch_size,
        allow_http: true,
        now: NOW,
        issuer_keys: Vec::new(),
    }
}

/// Every record of the wallet (ids and bodies), to prove a failure changed nothing.
fn snapshot(store: &WalletStore) -> Vec<(String, Vec<u8>)> {
    let mut records: Vec<_> = store
        .export_all()
        .unwrap()
        .into_iter()
        .map(|r| (r.id.to_string(), r.body.to_vec()))
        .collect();
    records.sort();
    records
}

#[test]
fn both_formats_arrive_as_batches_with_the_issuers_labels() {
    let issuer = issuer();
    let (_dir, mut store) = wallet();
    let (link, tx_code) = offer(&issuer, &["registration_sd_jwt", "registration_mdoc"], true);
    let preview = client::preview(&issuer, &link, &options(3)).unwrap();
    assert_eq!(preview.issuer_name.as_deref(), Some("Registration desk"));
    assert_eq!(preview.credentials.len(), 2);
    assert_eq!(preview.tx_code.as_ref().and_then(|t| t.length), Some(6));
    let summaries = client::accept(
        &mut store,
        &issuer,
        &preview,
        tx_code.as_deref(),
        &options(3),
    )
    .unwrap();
    assert_eq!(summaries.len(), 2);
    assert_eq!(summaries[0].credential_type, VCT);
    assert_eq!(summaries[1].credential_type, DOCTYPE);
    assert_eq!(summaries[1].format, CredentialFormat::Mdoc);
    // Three copies each, each bound to its own new holder key.
    assert_eq!(holder_keys::list(&store).unwrap().len(), 6);
    let all = credentials::list(&store).unwrap();
    assert_eq!(all.len(), 2, "one record per credential");
    assert!(
        all.iter()
            .all(|c| c.copies_total == 3 && c.copies_left == 3)
    );
    let slots: std::collections::BTreeSet<u32> = all
        .iter()
        .flat_map(|c| credentials::load(&store, c.id).unwrap().copies)
        .map(|copy| copy.holder_key_slot)
        .collect();
    assert_eq!(slots.len(), 6, "one key per copy");
    // The labels of the issuer metadata are kept with the credential.
    let detail = credentials::show(&store, summaries[0].id, "fr").unwrap();
    let given = detail
        .claims
        .iter()
        .find(|c| c.path == "given_name")
        .unwrap();
    assert_eq!(given.label.as_deref(), Some("Prénom"));
    assert!(summaries[0].display.is_some());
    // The offer is gone from the issuer's state once everything was issued (personal data).
    assert!(issuer.state.borrow().offers.is_empty());
    // The flow went through every endpoint.
    let log = issuer.log.borrow().join(" ");
    for path in [
        "openid-credential-issuer",
        "oauth-authorization-server",
        "/token",
        "/nonce",
        "/credential",
    ] {
        assert!(log.contains(path), "{path} in {log}");
    }
}

#[test]
fn an_offer_by_reference_and_without_tx_code_works() {
    let issuer = issuer();
    let (_dir, mut store) = wallet();
    let ids = vec!["registration_sd_jwt".to_owned()];
    let created = issuer
        .state
        .borrow_mut()
        .create_offer(&issuer.service, &ids, claims(), false, 600, NOW)
        .unwrap();
    assert!(created.tx_code.is_none());
    let summaries = client::fetch_credential(
        &mut store,
        &issuer,
        &created.link_by_reference,
        None,
        &options(1),
    )
    .unwrap();
    assert_eq!(summaries.len(), 1);
    assert!(issuer.log.borrow()[0].starts_with("/offers/"));
}

fn expect_unchanged(
    issuer: &InProcess,
    tx: Option<&str>,
    link: &str,
    check: impl Fn(&Oid4vciError) -> bool,
) {
    let (_dir, mut store) = wallet();
    holder_keys::default_key(&mut store).unwrap();
    let before = snapshot(&store);
    let error = client::fetch_credential(&mut store, issuer, link, tx, &options(2)).unwrap_err();
    assert!(check(&error), "unexpected error: {error:?}");
    assert_eq!(snapshot(&store), before, "the wallet changed after {error}");
    // Messages name no claim value.
    assert!(!error.to_string().contains("Amina"));
}

#[test]
fn a_wrong_or_missing_tx_code_is_invalid_grant_and_the_offer_is_withdrawn_after_five() {
    let issuer = issuer();
    let (link, tx_code) = offer(&issuer, &["registration_sd_jwt"], true);
    let right = tx_code.unwrap();
    let wrong: String = right
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    expect_unchanged(&issuer, Some(&wrong), &link, |e| {
        matches!(
            e,
            Oid4vciError::Token {
                code: ErrorCode::InvalidGrant,
                ..
            }
        )
    });
    expect_unchanged(&issuer, None, &link, |e| {
        matches!(e, Oid4vciError::TxCodeRequired)
    });
    expect_unchanged(&issuer, Some("12"), &link, |e| {
        matches!(e, Oid4vciError::TxCodeForm(_))
    });
    for _ in 1..MAX_TX_CODE_ATTEMPTS {
        expect_unchanged(&issuer, Some(&wrong), &link, |e| {
            matches!(
                e,
                Oid4vciError::Token {
                    code: ErrorCode::InvalidGrant,
                    ..
                }
            )
        });
    }
    // Withdrawn: even the right code no longer works.
    expect_unchanged(&issuer, Some(&right), &link, |e| {
        matches!(
            e,
            Oid4vciError::Token {
                code: ErrorCode::InvalidGrant,
                ..
            }
        )
    });
}

#[test]
fn an_expired_or_used_pre_authorized_code_is_invalid_grant() {
    let issuer = issuer();
    let (link, tx) = offer(&issuer, &["registration_sd_jwt"], true);
    issuer.now.set(NOW + 601);
    expect_unchanged(&issuer, tx.as_deref(), &link, |e| {
        matches!(
            e,
            Oid4vciError::Token {
                code: ErrorCode::InvalidGrant,
                ..
            }
        )
    });
    issuer.now.set(NOW);
    let (link, tx) = offer(&issuer, &["registration_sd_jwt", "registration_mdoc"], true);
    // The first credential request fails in transport: the code is spent, the wallet unchanged.
    issuer
        .faults
        .borrow_mut()
        .push(("/credential", Fault::Transport(TransportError::Timeout)));
    expect_unchanged(&issuer, tx.as_deref(), &link, |e| {
        matches!(
            e,
            Oid4vciError::Transport {
                endpoint: Endpoint::Credential,
                error: TransportError::Timeout
            }
        )
    });
    expect_unchanged(&issuer, tx.as_deref(), &link, |e| {
        matches!(
            e,
            Oid4vciError::Token {
                code: ErrorCode::InvalidGrant,
                ..
            }
        )
    });
}

#[test]
fn transport_failures_and_bad_bodies_are_typed_errors() {
    type Check = fn(&Oid4vciError) -> bool;
    let cases: Vec<(&'static str, Fault, Check)> = vec![
        (
            "openid-credential-issuer",
            Fault::Body(b"{\"credential_issuer\": ".to_vec()),
            |e| {
                matches!(
                    e,
                    Oid4vciError::MalformedJson {
                        endpoint: Endpoint::IssuerMetadata,
                        ..
                    }
                )
            },
        ),
        (
            "openid-credential-issuer",
            Fault::Body(b"{\"a\":1,\"a\":2}".to_vec()),
            |e| {
                matches!(
                    e,
                    Oid4vciError::MalformedJson {
                        endpoint: Endpoint::IssuerMetadata,
                        ..
                    }
                )
            },
        ),
        ("/token", Fault::Body(b"[]".to_vec()), |e| {
            matches!(
                e,
                Oid4vciError::MalformedJson {
                    endpoint: Endpoint::Token,
                    ..
                }
            )
        }),
        ("/nonce", Fault::Status(500), |e| {
            matches!(
                e,
                Oid4vciError::HttpStatus {
                    endpoint: Endpoint::Nonce,
                    status: 500
                }
            )
        }),
        ("/token", Fault::Status(302), |e| {
            matches!(
                e,
                Oid4vciError::RedirectRefused {
                    endpoint: Endpoint::Token,
                    status: 302
                }
            )
        }),
        (
            "/credential",
            Fault::Transport(TransportError::Redirect { status: 307 }),
            |e| {
                matches!(
                    e,
                    Oid4vciError::RedirectRefused {
                        endpoint: Endpoint::Credential,
                        status: 307
                    }
                )
            },
        ),
        (
            "oauth-authorization-server",
            Fault::Transport(TransportError::Timeout),
            |e| {
                matches!(
                    e,
                    Oid4vciError::Transport {
                        error: TransportError::Timeout,
                        ..
                    }
                )
            },
        ),
        (
            "/credential",
            Fault::Body(vec![b' '; MAX_RESPONSE_BODY + 1]),
            |e| {
                matches!(
                    e,
                    Oid4vciError::BodyTooLarge {
                        endpoint: Endpoint::Credential,
                        ..
                    }
                )
            },
        ),
        (
            "/credential",
            Fault::Transport(TransportError::BodyTooLarge { limit: 10 }),
            |e| {
                matches!(
                    e,
                    Oid4vciError::BodyTooLarge {
                        endpoint: Endpoint::Credential,
                        limit: 10
                    }
                )
            },
        ),
        (
            "/credential",
            Fault::Body(b"{\"credentials\": [{\"credential\": 5}]}".to_vec()),
            |e| {
                matches!(
                    e,
                    Oid4vciError::CopyCount { .. } | Oid4vciError::WrongCopy { .. }
                )
            },
        ),
        (
            "/credential",
            Fault::Body(b"{\"transaction_id\": \"t\"}".to_vec()),
            |e| matches!(e, Oid4vciError::Deferred),
        ),
        ("/credential", Fault::Status(401), |e| {
            matches!(e, Oid4vciError::HttpStatus { status: 401, .. })
        }),
    ];
    for (path, fault, check) in cases {
        let issuer = issuer();
        let (link, tx) = offer(&issuer, &["registration_sd_jwt"], true);
        issuer.faults.borrow_mut().push((path, fault));
        expect_unchanged(&issuer, tx.as_deref(), &link, check);
    }
}

fn drop_last_copy(body: Vec<u8>) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&body).unwrap();
    value["credentials"].as_array_mut().unwrap().pop();
    serde_json::to_vec(&value).unwrap()
}

fn duplicate_first_copy(body: Vec<u8>) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&body).unwrap();
    let credentials = value["credentials"].as_array_mut().unwrap();
    let first = credentials[0].clone();
    credentials[1] = first;
    serde_json::to_vec(&value).unwrap()
}

/// Breaks the issuer signature of the second copy: it passes the wallet's own checks (type,
/// key) but not the import, after the first copy and the keys were written.
fn break_second_signature(body: Vec<u8>) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&body).unwrap();
    let text = value["credentials"][1]["credential"]
        .as_str()
        .unwrap()
        .to_owned();
    let (jwt, rest) = text.split_once('~').unwrap();
    let (input, signature) = jwt.rsplit_once('.').unwrap();
    let mut signature = signature.to_owned();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    signature.replace_range(0..1, flipped);
    value["credentials"][1]["credential"] = json!(format!("{input}.{signature}~{rest}"));
    serde_json::to_vec(&value).unwrap()
}

#[test]
fn copies_that_do_not_match_the_keys_or_fail_import_leave_the_wallet_unchanged() {
    type Change = fn(Vec<u8>) -> Vec<u8>;
    type Check = fn(&Oid4vciError) -> bool;
    let cases: Vec<(Change, Check)> = vec![
        (drop_last_copy, |e| {
            matches!(
                e,
                Oid4vciError::CopyCount {
                    expected: 2,
                    got: 1
                }
            )
        }),
        (duplicate_first_copy, |e| {
            matches!(e, Oid4vciError::WrongCopy { index: 1, .. })
        }),
        (break_second_signature, |e| {
            matches!(e, Oid4vciError::Import(_))
        }),
    ];
    for (change, check) in cases {
        let issuer = issuer();
        let (link, tx) = offer(&issuer, &["registration_sd_jwt"], true);
        issuer
            .faults
            .borrow_mut()
            .push(("/credential", Fault::Mutate(change)));
        expect_unchanged(&issuer, tx.as_deref(), &link, check);
    }
}

#[test]
fn the_issuer_refuses_bad_credential_requests_with_their_codes() {
    let issuer = issuer();
    let (link, tx) = offer(&issuer, &["registration_sd_jwt"], true);
    let post = |path: &str, body: &[u8], token: Option<&str>| {
        let mut request =
            HttpRequest::post(format!("{BASE}{path}"), "application/json", body.to_vec());
        if let Some(token) = token {
            request = request.with_header("authorization", format!("Bearer {token}"));
        }
        let response = issuer.send(request).unwrap();
        let value: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (
            response.status,
            value["error"].as_str().unwrap_or("").to_owned(),
        )
    };
    assert_eq!(
        post("/credential", b"{}", None),
        (401, "invalid_token".into())
    );
    let preview = client::preview(&issuer, &link, &options(1)).unwrap();
    let code = preview
        .offer
        .grants
        .as_ref()
        .unwrap()
        .pre_authorized_code
        .as_ref()
        .unwrap();
    let form = format!(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code={}&tx_code={}",
        code.pre_authorized_code,
        tx.unwrap()
    );
    let token_response = issuer
        .send(HttpRequest::post(
            format!("{BASE}/token"),
            "application/x-www-form-urlencoded",
            form.clone().into_bytes(),
        ))
        .unwrap();
    let token: Value = serde_json::from_slice(&token_response.body).unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    // Single use.
    let again = issuer
        .send(HttpRequest::post(
            format!("{BASE}/token"),
            "application/x-www-form-urlencoded",
            form.into_bytes(),
        ))
        .unwrap();
    assert_eq!(again.status, 400);
    let t = Some(token.as_str());
    assert_eq!(
        post("/credential", b"{not json", t),
        (400, "invalid_credential_request".into())
    );
    assert_eq!(
        post(
            "/credential",
            br#"{"credential_configuration_id":"nope","proofs":{"jwt":["a.b.c"]}}"#,
            t
        ),
        (400, "unknown_credential_configuration".into())
    );
    assert_eq!(
        post(
            "/credential",
            br#"{"credential_configuration_id":"registration_mdoc","proofs":{"jwt":["a.b.c"]}}"#,
            t
        ),
        (403, "insufficient_scope".into())
    );
    assert_eq!(
        post(
            "/credential",
            br#"{"credential_configuration_id":"registration_sd_jwt","proofs":{"jwt":["a.b.c"]}}"#,
            t
        ),
        (400, "invalid_proof".into())
    );
    // A good proof over a nonce the issuer never gave.
    let key = wallet_core::crypto::ecdsa::SigningKey::generate().unwrap();
    let jwt = wallet_core::openid4vci::proof::sign_proof(&key, BASE, "made-up", NOW).unwrap();
    let body =
        json!({"credential_configuration_id": "registration_sd_jwt", "proofs": {"jwt": [jwt]}});
    assert_eq!(
        post("/credential", body.to_string().as_bytes(), t),
        (400, "invalid_nonce".into())
    );
    // A proof for another issuer.
    let (_, nonce) = post("/nonce", b"", None);
    assert_eq!(nonce, "");
    let jwt = wallet_core::openid4vci::proof::sign_proof(&key, "https://other.example", "n", NOW)
        .unwrap();
    let body =
        json!({"credential_configuration_id": "registration_sd_jwt", "proofs": {"jwt": [jwt]}});
    assert_eq!(
        post("/credential", body.to_string().as_bytes(), t),
        (400, "invalid_proof".into())
    );
    // Unknown routes and methods.
    let response = issuer
        .send(HttpRequest::get(format!("{BASE}/admin")))
        .unwrap();
    assert_eq!(response.status, 404);
    let response = issuer
        .send(HttpRequest::get(format!("{BASE}/token")))
        .unwrap();
    assert_eq!(response.status, 405);
}
