//! Identity cards (MOSIP Claim 169 codes) through the binding surface, as the apps drive them
//! (issue 16): a card scanned into the holder's wallet, listed and shown with labels and its
//! face, its issuer trusted from the trust list; its own code shown to a field verifier, whose
//! verdict is valid with "possession not proven"; and bad codes refused with typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::future::Future;
use std::sync::Arc;

use laissez::*;

const PIN: &str = "2468";
const FACE: &[u8] =
    include_bytes!("../../wallet-core/tests/data/portrait/astronaut-80x100-q30-grey.jpg");

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

async fn wallet(dir: &tempfile::TempDir, name: &str) -> Arc<Wallet> {
    let options = WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: None,
    };
    let path = dir.path().join(name).to_string_lossy().into_owned();
    create_wallet(path, PIN.into(), options)
        .await
        .unwrap()
        .wallet
}

#[test]
fn a_card_is_kept_shown_and_verified_with_possession_not_proven() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let holder = wallet(&dir, "holder.db").await;
        let verifier = FieldVerifier::new(wallet(&dir, "verifier.db").await);
        let registry =
            TestCardIssuer::create("Civil Registry of Kenya".into(), "KEN".into()).unwrap();
        let text = registry
            .card(
                "Amina Yusuf Abdi".into(),
                "3918592438".into(),
                365,
                Some(FACE.to_vec()),
            )
            .unwrap();
        assert!(is_identity_card_code(text.clone()));
        assert!(!is_identity_card_code("LZ1:ABC".into()));

        // Kept before the holder trusts the registry: an unverified issuer.
        let kept = holder.import_identity_card(text.clone()).await.unwrap();
        assert_eq!(
            kept.issuer,
            IdentityCardIssuer::Unverified {
                claimed_issuer: Some("Civil Registry of Kenya".into())
            }
        );
        let signer = TestTrustListSigner::create().unwrap();
        let list = signer
            .sign(1, 30, vec![], vec![], vec![Arc::clone(&registry)])
            .unwrap();
        holder
            .import_issuer_trust_list(list.clone(), Some(signer.public_jwk()))
            .await
            .unwrap();
        let cards = holder.identity_cards().await.unwrap();
        assert_eq!(cards.len(), 1);
        assert_eq!(
            cards[0].issuer,
            IdentityCardIssuer::Trusted {
                name: "Civil Registry of Kenya".into()
            }
        );
        let detail = holder
            .identity_card(kept.id.clone(), "ar".into())
            .await
            .unwrap();
        let name = detail.fields.iter().find(|f| f.path == "fullName").unwrap();
        assert_eq!(name.label.as_deref(), Some("الاسم الكامل"));
        assert_eq!(name.value_json, "\"Amina Yusuf Abdi\"");
        let face = detail.face.unwrap();
        assert_eq!(
            (face.bytes.as_slice(), face.format.as_deref()),
            (FACE, Some("jpeg"))
        );

        // Shown whole, as the issuer's own code; the history says how it was shown.
        let frame = holder
            .show_identity_card_code(kept.id.clone(), Some(2))
            .await
            .unwrap();
        assert_eq!(frame.text, text);
        assert!(frame.png.is_some());
        let history = holder.disclosure_history().await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].credential_id, kept.id);

        // The field verifier reads the code it scanned.
        verifier
            .import_trust_list(list, Some(signer.public_jwk()))
            .await
            .unwrap();
        let verdict = verifier
            .verify_claim169(frame.text.clone(), "fr".into())
            .await
            .unwrap();
        assert!(verdict.valid, "{:?}", verdict.reason_codes);
        assert_eq!(verdict.format, CredentialFormat::Claim169);
        assert!(verdict.possession_not_proven);
        assert_eq!(
            verdict.issuer_name.as_deref(),
            Some("Civil Registry of Kenya")
        );
        assert!(verdict.portrait.is_some());
        assert_eq!(verifier.log_entries().await.unwrap()[0].flow, "claim169");

        holder.delete_identity_card(kept.id.clone()).await.unwrap();
        assert!(holder.identity_cards().await.unwrap().is_empty());
        let gone = holder
            .identity_card(kept.id, "en".into())
            .await
            .unwrap_err();
        assert!(matches!(gone, IdentityCardError::NotFound), "{gone:?}");
    });
}

#[test]
fn bad_codes_are_typed_errors_and_unknown_issuers_show_no_claims() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let holder = wallet(&dir, "holder.db").await;
        let verifier = FieldVerifier::new(wallet(&dir, "verifier.db").await);
        let registry =
            TestCardIssuer::create("Civil Registry of Kenya".into(), "KEN".into()).unwrap();
        let text = registry
            .card("Amina Yusuf Abdi".into(), "3918592438".into(), 365, None)
            .unwrap();
        for bad in ["", "hello", &text[..text.len() / 2]] {
            let err = holder.import_identity_card(bad.into()).await.unwrap_err();
            assert!(
                matches!(err, IdentityCardError::Unreadable { .. }),
                "{err:?}"
            );
        }
        holder.import_identity_card(text.clone()).await.unwrap();
        let again = holder.import_identity_card(text.clone()).await.unwrap_err();
        assert!(matches!(again, IdentityCardError::AlreadyKept), "{again:?}");
        let missing = holder
            .show_identity_card_code("nope".into(), None)
            .await
            .unwrap_err();
        assert!(
            matches!(missing, IdentityCardError::NotFound),
            "{missing:?}"
        );

        // A verifier that trusts another registry: unknown issuer, no claims shown.
        let signer = TestTrustListSigner::create().unwrap();
        let other = TestCardIssuer::create("Another registry".into(), "KEN".into()).unwrap();
        let list = signer.sign(1, 30, vec![], vec![], vec![other]).unwrap();
        verifier
            .import_trust_list(list, Some(signer.public_jwk()))
            .await
            .unwrap();
        let verdict = verifier.verify_claim169(text, "en".into()).await.unwrap();
        assert!(!verdict.valid);
        assert_eq!(verdict.reason_codes, ["unknown_issuer"]);
        assert!(verdict.claims.is_empty());
        // An expired card is kept, and marked as outside its validity.
        let expired = registry
            .card("Amina Yusuf Abdi".into(), "3918592438".into(), 0, None)
            .unwrap();
        let kept = holder.import_identity_card(expired).await.unwrap();
        assert!(kept.outside_validity);
        let not_a_card = verifier
            .verify_claim169("LZ1:ABC".into(), "en".into())
            .await
            .unwrap_err();
        assert!(
            matches!(not_a_card, VerifierError::UnexpectedMessage { .. }),
            "{not_a_card:?}"
        );
    });
}
