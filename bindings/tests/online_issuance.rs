//! Online issuance (OpenID4VCI) through the binding surface with transports written in Rust
//! (`HttpTransport` is `with_foreign`): the in-memory issuer, and a transport that panics,
//! whose panic must end as a typed error and never unwind through the core or the FFI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::sync::Arc;

use laissez::*;

const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Haddad"}"#;
const VCT: &str = "urn:laissez:test:online:1";

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn new_wallet(dir: &tempfile::TempDir) -> Arc<Wallet> {
    let options = WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: None,
    };
    let path = dir.path().join("wallet.db").to_string_lossy().into_owned();
    block_on(create_wallet(path, "2468".into(), options))
        .unwrap()
        .wallet
}

struct Delegate(Arc<TestOnlineIssuer>);

impl HttpTransport for Delegate {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Ok(self.0.handle(request))
    }
}

/// The issuer until the credential endpoint, where it panics.
struct PanicsAtCredential(Arc<TestOnlineIssuer>);

impl HttpTransport for PanicsAtCredential {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if request.url.ends_with("/credential") {
            panic!("a bug in the transport");
        }
        Ok(self.0.handle(request))
    }
}

#[test]
fn a_batch_arrives_through_a_rust_transport() {
    let dir = tempfile::tempdir().unwrap();
    let wallet = new_wallet(&dir);
    let issuer = TestOnlineIssuer::create("Desk".into(), 4).unwrap();
    let offer = issuer
        .create_offer(
            CLAIMS.into(),
            CredentialFormat::SdJwt,
            VCT.into(),
            Some("2024".into()),
        )
        .unwrap();
    let transport: Arc<dyn HttpTransport> = Arc::new(Delegate(issuer.clone()));
    let preview =
        block_on(wallet.preview_credential_offer(offer.clone(), transport.clone())).unwrap();
    assert_eq!(preview.issuer_name.as_deref(), Some("Desk"));
    assert_eq!(preview.tx_code.and_then(|t| t.length), Some(4));
    let fetched =
        block_on(wallet.fetch_credential(offer, Some("2024".into()), Some(4), transport)).unwrap();
    assert_eq!(fetched.len(), 1);
    assert_eq!(fetched[0].copies, 4);
    let labels = fetched[0].summary.display.clone().unwrap().claim_labels;
    assert_eq!(labels["family_name"]["en"], "Family name");
}

#[test]
fn a_panicking_transport_is_a_connection_failure_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let wallet = new_wallet(&dir);
    block_on(wallet.holder_key()).unwrap();
    let before = wallet.status().unwrap().record_count;
    let issuer = TestOnlineIssuer::create("Desk".into(), 3).unwrap();
    let offer = issuer
        .create_offer(
            CLAIMS.into(),
            CredentialFormat::Mdoc,
            "org.laissez.test.1".into(),
            None,
        )
        .unwrap();
    let transport: Arc<dyn HttpTransport> = Arc::new(PanicsAtCredential(issuer));
    let error = block_on(wallet.fetch_credential(offer, None, Some(3), transport)).unwrap_err();
    assert!(
        matches!(
            &error,
            OnlineIssuanceError::ConnectionFailed { endpoint: IssuanceEndpoint::Credential, reason }
                if reason.contains("panic")
        ),
        "{error:?}"
    );
    assert_eq!(wallet.status().unwrap().record_count, before);
    assert!(block_on(wallet.list_credentials()).unwrap().is_empty());
}

#[test]
fn the_test_issuer_refuses_bad_input() {
    assert!(matches!(
        TestOnlineIssuer::create(" ".into(), 3),
        Err(IssuerError::InvalidInput { .. })
    ));
    assert!(matches!(
        TestOnlineIssuer::create("Desk".into(), 1),
        Err(IssuerError::InvalidInput { .. })
    ));
    let issuer = TestOnlineIssuer::create("Desk".into(), 3).unwrap();
    for (claims, tx_code) in [
        ("[]", None),
        (CLAIMS, Some(String::new())),
        (CLAIMS, Some("a b".into())),
    ] {
        assert!(matches!(
            issuer.create_offer(claims.into(), CredentialFormat::SdJwt, VCT.into(), tx_code),
            Err(IssuerError::InvalidInput { .. })
        ));
    }
}
