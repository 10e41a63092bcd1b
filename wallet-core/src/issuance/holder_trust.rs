//! The holder's issuer trust: which issuers the wallet vouches for when it reads an offer.
//!
//! A holder's wallet has no trusted issuers of its own until a signed issuer trust list is
//! installed in its store. It is installed exactly as a field verifier installs its list
//! ([`trust_store::install`]: the first list pins its signer, later lists must be signed by
//! the same key and may never roll back), in the holder's own encrypted store. Offers are
//! then read against the list's issuers at the time of reading; with no list installed (or
//! an expired one) every issuer is [`OfferTrust::Unknown`](super::OfferTrust::Unknown).

use laissez_crypto::ecdsa::VerifyingKey;
use laissez_qr::Envelope;
use laissez_store::WalletStore;

use super::{IssuanceResult, OfferView, read_offer};
use crate::verifier::TrustedIssuer;
use crate::verifier::trust_store::{self, Installation, TrustStoreError};

/// Installs the signed issuer trust list `signed_text` in the holder's store: verified with
/// the pinned signer (or, for the first list, with `signer`, which is then pinned), refused
/// when older than the installed one. The same rules as the field verifier's list.
pub fn install_issuer_trust_list(
    store: &mut WalletStore,
    signed_text: &str,
    signer: Option<&VerifyingKey>,
    now: i64,
) -> Result<Installation, TrustStoreError> {
    trust_store::install(store, signed_text, signer, now)
}

/// The issuers the holder trusts at `now`: the installed list's, for any credential type (the
/// offer's type is checked by [`read_offer`]); none when no list is installed or it expired.
pub fn trusted_issuers(
    store: &WalletStore,
    now: i64,
) -> Result<Vec<TrustedIssuer>, TrustStoreError> {
    trust_store::installed_issuers(store, now)
}

/// Holder: [`read_offer`] against the issuers of the trust list installed in `store`
/// ([`trusted_issuers`]).
pub fn read_offer_trusted(
    store: &WalletStore,
    message: &Envelope,
    now: i64,
) -> IssuanceResult<OfferView> {
    let trusted = trusted_issuers(store, now)?;
    read_offer(message, &trusted, now)
}

#[cfg(all(test, feature = "issue"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::issuance::desk::{DeskLedger, OfferRequest, make_offer};
    use crate::issuance::{OfferTrust, OfferedCredential};
    use crate::issuer::IssuerIdentity;
    use crate::verifier::trust_list::TrustList;
    use laissez_crypto::ecdsa::SigningKey;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_formats::credential::CredentialFormat;
    use laissez_store::StoreOptions;

    const NOW: i64 = 1_790_000_000;

    fn offer_of(issuer: &IssuerIdentity) -> Envelope {
        let request = OfferRequest {
            credential: OfferedCredential {
                format: CredentialFormat::SdJwt,
                credential_type: "urn:laissez:test:registration:1".into(),
            },
            batch_size: 2,
            valid_minutes: 10,
        };
        make_offer(issuer, &mut DeskLedger::new(), &request, NOW).unwrap()
    }

    #[test]
    fn offers_are_unknown_until_a_list_names_their_issuer() {
        let dir = tempfile::tempdir().unwrap();
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        let (mut store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
        let desk = IssuerIdentity::generate("Registration desk", NOW - 60, 30).unwrap();
        let stranger = IssuerIdentity::generate("Stranger", NOW - 60, 30).unwrap();

        let before = read_offer_trusted(&store, &offer_of(&desk), NOW).unwrap();
        assert_eq!(before.trust, OfferTrust::Unknown);
        assert_eq!(before.claimed_name, "Registration desk");

        let signer = SigningKey::generate().unwrap();
        let mut list = TrustList::new(1, NOW - 60, 30);
        list.add_issuer_certificate(
            "City registration office",
            desk.trust_anchor(),
            NOW - 60,
            NOW + 86_400,
        )
        .unwrap();
        let text = list.sign(&signer).unwrap();
        // The first list needs its signer.
        assert!(matches!(
            install_issuer_trust_list(&mut store, &text, None, NOW),
            Err(TrustStoreError::NoPinnedSigner)
        ));
        install_issuer_trust_list(&mut store, &text, Some(signer.public_key()), NOW).unwrap();

        let after = read_offer_trusted(&store, &offer_of(&desk), NOW).unwrap();
        assert_eq!(
            after.trust,
            OfferTrust::Trusted {
                name: "City registration office".into()
            }
        );
        let other = read_offer_trusted(&store, &offer_of(&stranger), NOW).unwrap();
        assert_eq!(other.trust, OfferTrust::Unknown);
        // Once the list has expired it vouches for nobody.
        let late = NOW + 40 * 86_400;
        assert_eq!(trusted_issuers(&store, late).unwrap(), Vec::new());
    }
}
