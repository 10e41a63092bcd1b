//! Test keys kept in a wallet through the binding surface, as the demo apps use them (issue
//! 17): the four test objects kept, the wallet closed and reopened, the set restored; the
//! restored objects are trusted by the lists the originals signed, and sign lists that the
//! pinned signer accepts. A locked wallet and a damaged record give typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::sync::Arc;

use laissez::*;

const PIN: &str = "2468";
const CLAIMS: &str = r#"{"given_name":"Amina","family_name":"Haddad","nationality":"SD"}"#;
const TYPE: &str = "urn:laissez:iom:registration:1";

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

fn options() -> WalletOptions {
    WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: None,
    }
}

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

async fn wallet(dir: &tempfile::TempDir, name: &str) -> Arc<Wallet> {
    create_wallet(path(dir, name), PIN.into(), options())
        .await
        .unwrap()
        .wallet
}

fn demo_keys() -> Arc<TestKeys> {
    TestKeys::create(
        TestIssuer::create("Demo Issuer".into()).unwrap(),
        TestTrustListSigner::create().unwrap(),
        TestRegistrar::create(
            "urn:demo:registrar".into(),
            "Demo Registrar".into(),
            "CH".into(),
        )
        .unwrap(),
        TestCardIssuer::create("Civil Registry (demo)".into(), "KEN".into()).unwrap(),
    )
}

fn list(keys: &TestKeys, sequence: u64) -> String {
    keys.trust_list_signer()
        .sign(
            sequence,
            30,
            vec![keys.issuer()],
            vec![keys.registrar()],
            vec![keys.card_issuer()],
        )
        .unwrap()
}

#[test]
fn restored_keys_are_the_kept_ones_and_still_trusted_after_the_wallet_reopens() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let keys = demo_keys();
        let holder = wallet(&dir, "holder.db").await;
        assert!(holder.kept_test_keys().await.unwrap().is_none());
        Arc::clone(&keys)
            .keep_in(Arc::clone(&holder))
            .await
            .unwrap();

        // Both parts pin the original signer with the original's list.
        let verifier = FieldVerifier::new(wallet(&dir, "verifier.db").await);
        let signer_jwk = keys.trust_list_signer().public_jwk();
        verifier
            .import_trust_list(list(&keys, 1), Some(signer_jwk.clone()))
            .await
            .unwrap();
        holder
            .import_issuer_trust_list(list(&keys, 1), Some(signer_jwk.clone()))
            .await
            .unwrap();

        // The app restarts: the wallet is closed, opened and unlocked again.
        drop(holder);
        let holder = open_wallet(path(&dir, "holder.db"), options())
            .await
            .unwrap();
        holder.unlock(PIN.into()).await.unwrap();
        let restored = holder.kept_test_keys().await.unwrap().unwrap();
        assert_eq!(restored.fingerprint(), keys.fingerprint());
        assert_ne!(restored.fingerprint(), demo_keys().fingerprint());
        assert_eq!(restored.trust_list_signer().public_jwk(), signer_jwk);
        assert_eq!(restored.issuer().public_jwk(), keys.issuer().public_jwk());
        assert_eq!(restored.issuer().name(), "Demo Issuer");
        assert_eq!(
            restored.issuer().root_certificate_der(),
            keys.issuer().root_certificate_der()
        );
        assert_eq!(
            restored.card_issuer().public_jwk(),
            keys.card_issuer().public_jwk()
        );
        assert_eq!(restored.registrar().id(), "urn:demo:registrar");
        assert_eq!(restored.registrar().name(), "Demo Registrar");

        // A credential from the restored issuer is trusted by the original's list.
        let holder_key = holder.holder_key().await.unwrap();
        let issued = restored
            .issuer()
            .issue_sd_jwt(TYPE.into(), CLAIMS.into(), holder_key.jwk, None)
            .unwrap();
        let summary = holder
            .import_credential(issued, vec![], None)
            .await
            .unwrap();
        assert_eq!(
            summary.issuer_trust,
            IssuerTrust::Trusted {
                name: "Demo Issuer".into()
            }
        );
        // A card printed by the restored card issuer verifies on the original's list.
        let card = restored
            .card_issuer()
            .card("Amina Yusuf Abdi".into(), "3918592438".into(), 365, None)
            .unwrap();
        let verdict = verifier.verify_claim169(card, "en".into()).await.unwrap();
        assert!(verdict.valid, "{:?}", verdict.reason_codes);
        assert_eq!(
            verdict.issuer_name.as_deref(),
            Some("Civil Registry (demo)")
        );

        // The restored signer's next list is taken without SignerChanged by both parts.
        let next = list(&restored, 2);
        let imported = verifier
            .import_trust_list(next.clone(), None)
            .await
            .unwrap();
        assert_eq!(imported.replaced_sequence, Some(1));
        holder.import_issuer_trust_list(next, None).await.unwrap();
        // Whereas a set made afresh is refused, as every restart did before keys were kept.
        let fresh = demo_keys();
        let fresh_jwk = fresh.trust_list_signer().public_jwk();
        assert!(matches!(
            verifier
                .import_trust_list(list(&fresh, 3), Some(fresh_jwk))
                .await,
            Err(VerifierError::SignerChanged { .. })
        ));
    });
}

#[test]
fn a_locked_wallet_or_a_damaged_record_gives_a_typed_error() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let holder = wallet(&dir, "holder.db").await;
        let keys = demo_keys();
        holder.lock();
        assert!(matches!(
            Arc::clone(&keys).keep_in(Arc::clone(&holder)).await,
            Err(TestKeysError::Locked)
        ));
        assert!(matches!(
            holder.kept_test_keys().await,
            Err(TestKeysError::Locked)
        ));
        holder.unlock(PIN.into()).await.unwrap();

        holder
            .put(NewRecordInput {
                kind: "test_keys".into(),
                tags: vec![],
                body: b"{\"version\":1,\"issuer\":{}}".to_vec(),
            })
            .await
            .unwrap();
        assert!(matches!(
            holder.kept_test_keys().await,
            Err(TestKeysError::Unreadable { .. })
        ));
        // Keeping a set over the damaged one repairs it.
        Arc::clone(&keys)
            .keep_in(Arc::clone(&holder))
            .await
            .unwrap();
        let restored = holder.kept_test_keys().await.unwrap().unwrap();
        assert_eq!(restored.fingerprint(), keys.fingerprint());
    });
}
