//! Whether the holder's wallet vouches for a stored credential's issuer, decided when the
//! credential is listed or shown, against the issuer trust list installed in the holder's
//! store (`issuance::install_issuer_trust_list`).
//!
//! The name a credential gives its issuer (its display metadata, its certificate's common
//! name, its `iss`) is only a claim: anyone can make a self-signed certificate that says
//! "Ministry of Health". The holder is shown a name as the issuer's only when the wallet can
//! check it now, the way a field verifier would:
//!
//! - the certificate chain the credential carries (SD-JWT VC `x5c`, mdoc `x5chain`), whose
//!   first certificate holds the key that signed the credential, leads to a trusted issuer
//!   (its certificate, a root above it, or its key); the chain is checked at the wallet's
//!   time, else at the credential's validity start (a chain valid when it signed);
//! - or the key that signed the credential is a trusted issuer's own key;
//! - and that issuer may vouch for the credential's type (and, for an mdoc, its country).
//!
//! The trust list entry gives the name; an entry without one gives the verified
//! certificate's. With no list installed, an expired one, or a list that cannot be read, every
//! issuer is [`IssuerTrust::Unknown`]: never an unknown issuer dressed as a trusted one.

use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::credential::{CredentialFormat, StoredCredential};
use laissez_formats::mdoc::IssuedMdoc;
use laissez_formats::sdjwt::{SdJwt, chained_issuer};
use laissez_formats::x509::{Certificate, Purpose, ValidityStatus, evaluate_chain};
use laissez_store::{StoreError, WalletStore};

use super::error::CredentialResult;
use crate::verifier::TrustedIssuer;
use crate::verifier::trust_store::{self, TrustStoreError};
use crate::verifier::trusted_issuer::anchors_of;

/// Whether the holder's wallet vouches for a credential's issuer, as it can tell now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerTrust {
    /// The issuer is on the holder's trust list and may issue this type.
    Trusted {
        /// The name to show: the trust list entry's, else the verified certificate's.
        name: String,
    },
    /// The issuer is on the holder's trust list, but not for this type of credential (or,
    /// for an mdoc, not for its country). Show it as not trusted.
    NotAllowedForType {
        /// The trust list's name for the issuer.
        name: String,
    },
    /// The issuer is on no trust list the wallet holds (or the list has expired): show
    /// "unverified issuer", and any name the credential gives only as its claim.
    Unknown,
}

impl IssuerTrust {
    /// Whether the issuer is trusted for this credential.
    pub fn is_trusted(&self) -> bool {
        matches!(self, IssuerTrust::Trusted { .. })
    }
}

/// The holder's trusted issuers at one moment, read once for a whole list.
#[derive(Debug, Clone)]
pub(crate) struct TrustContext {
    trusted: Vec<TrustedIssuer>,
    now: i64,
}

impl TrustContext {
    /// The issuers of the list installed in `store`, at `now`. A locked or failing store
    /// fails; a list that cannot be read (damaged, put back) vouches for nobody.
    pub(crate) fn load(store: &WalletStore, now: i64) -> CredentialResult<Self> {
        let trusted = match trust_store::installed_issuers(store, now) {
            Ok(trusted) => trusted,
            Err(TrustStoreError::Store(
                err @ (StoreError::Locked | StoreError::Busy | StoreError::Storage(_)),
            )) => {
                return Err(err.into());
            }
            Err(_) => Vec::new(),
        };
        Ok(Self { trusted, now })
    }

    /// The trust of `stored`'s issuer.
    pub(crate) fn judge(&self, stored: &StoredCredential) -> IssuerTrust {
        issuer_trust_of(stored, &self.trusted, self.now)
    }
}

/// Whether `trusted` (the holder's trusted issuers at `now`) vouch for the issuer of `stored`.
/// Never fails: whatever cannot be checked is [`IssuerTrust::Unknown`].
pub fn issuer_trust_of(
    stored: &StoredCredential,
    trusted: &[TrustedIssuer],
    now: i64,
) -> IssuerTrust {
    if trusted.is_empty() {
        return IssuerTrust::Unknown;
    }
    let Some(found) = by_chain(stored, trusted, now).or_else(|| by_key(stored, trusted, now))
    else {
        return IssuerTrust::Unknown;
    };
    let Some(entry) = trusted.get(found.anchor) else {
        return IssuerTrust::Unknown;
    };
    let name = entry
        .name
        .clone()
        .or_else(|| {
            found
                .leaf
                .as_ref()
                .and_then(|c| c.common_name().map(str::to_owned))
        })
        .or_else(|| {
            entry
                .certificate
                .as_ref()
                .and_then(|c| c.common_name().map(str::to_owned))
        })
        .unwrap_or_else(|| format!("issuer key {}", entry.key.fingerprint()));
    let type_ok = entry.allows_type(Some(&stored.credential_type));
    let country_ok = match stored.format {
        CredentialFormat::SdJwt => true,
        CredentialFormat::Mdoc => {
            entry.allows_country(found.leaf.as_ref().and_then(Certificate::country))
        }
    };
    if type_ok && country_ok {
        IssuerTrust::Trusted { name }
    } else {
        IssuerTrust::NotAllowedForType { name }
    }
}

/// Which trusted issuer vouched, and the signer's certificate when a chain was followed.
struct Found {
    anchor: usize,
    leaf: Option<Certificate>,
}

/// The key that signed `stored`, as kept at import.
fn signer_key_matches(stored: &StoredCredential, key: &IssuerKey) -> bool {
    key.public_bytes() == stored.issuer_key
}

/// Follows the chain the first copy carries to the trusted issuers, when its first
/// certificate is the one whose key signed the credential.
fn by_chain(stored: &StoredCredential, trusted: &[TrustedIssuer], now: i64) -> Option<Found> {
    let issued = &stored.first_copy()?.issued;
    let anchors = anchors_of(trusted);
    let times = [Some(now), stored.valid_from.filter(|&t| t != now)];
    match stored.format {
        CredentialFormat::SdJwt => {
            let text = std::str::from_utf8(issued).ok()?.trim();
            let sd_jwt = SdJwt::parse(text).ok()?;
            let leaf = sd_jwt
                .issuer_jwt()
                .header()
                .x5c()
                .first()
                .and_then(|der| Certificate::from_der(der).ok())?;
            if !signer_key_matches(stored, leaf.public_key()) {
                return None;
            }
            times.into_iter().flatten().find_map(|at| {
                let chained = chained_issuer(&sd_jwt, &anchors, at).ok()??;
                signer_key_matches(stored, &chained.key).then(|| Found {
                    anchor: chained.anchor,
                    leaf: Some(leaf.clone()),
                })
            })
        }
        CredentialFormat::Mdoc => {
            let chain = IssuedMdoc::from_bytes(issued).ok()?.issuer_chain().ok()?;
            let leaf = chain.first()?.clone();
            if !signer_key_matches(stored, leaf.public_key()) {
                return None;
            }
            let found = times.into_iter().flatten().find_map(|at| {
                evaluate_chain(&chain, &anchors, Purpose::MdocDocumentSigner, at).ok()?
            })?;
            // As a verifier does: a root of one country does not vouch for a signer of another.
            let root_country = trusted
                .get(found.anchor)?
                .certificate
                .as_ref()
                .and_then(Certificate::country);
            match (leaf.country(), root_country) {
                (Some(signer), Some(root)) if signer != root => None,
                _ => Some(Found {
                    anchor: found.anchor,
                    leaf: Some(leaf),
                }),
            }
        }
    }
}

/// A trusted issuer whose own key signed `stored` (a bare key, or a certificate valid at
/// `now`).
fn by_key(stored: &StoredCredential, trusted: &[TrustedIssuer], now: i64) -> Option<Found> {
    trusted
        .iter()
        .position(|issuer| {
            signer_key_matches(stored, &issuer.key)
                && issuer
                    .certificate
                    .as_ref()
                    .is_none_or(|c| c.validity_at(now) == ValidityStatus::Valid)
        })
        .map(|anchor| Found { anchor, leaf: None })
}

#[cfg(test)]
#[cfg(feature = "issue")]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::issuance::install_issuer_trust_list;
    use crate::issuer::{CredentialOrder, IssuerIdentity, issue_credential};
    use crate::verifier::trust_list::TrustList;
    use crate::wallet::credentials::{self, ImportOptions};
    use crate::wallet::holder_keys;
    use laissez_crypto::ecdsa::SigningKey;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_store::StoreOptions;
    use serde_json::json;

    const NOW: i64 = 1_790_000_000;
    const TYPE: &str = "urn:laissez:test:registration:1";

    struct Holder {
        _dir: tempfile::TempDir,
        store: WalletStore,
        signer: SigningKey,
    }

    fn holder() -> Holder {
        let dir = tempfile::tempdir().unwrap();
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        let (store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
        Holder {
            _dir: dir,
            store,
            signer: SigningKey::generate().unwrap(),
        }
    }

    impl Holder {
        fn receive(&mut self, issuer: &IssuerIdentity, format: CredentialFormat) {
            let key = holder_keys::default_key(&mut self.store).unwrap();
            let credential_type = match format {
                CredentialFormat::SdJwt => TYPE,
                CredentialFormat::Mdoc => "org.laissez.test.registration.1",
            };
            let issued = issue_credential(
                issuer,
                &CredentialOrder {
                    format,
                    credential_type: credential_type.into(),
                    claims: json!({"given_name": "Amina"}).as_object().cloned().unwrap(),
                    holder_key: key.public_key,
                    valid_days: 30,
                    status: None,
                    now: NOW,
                    portrait: None,
                },
            )
            .unwrap();
            let options = ImportOptions {
                issuer_keys: vec![],
                now: NOW,
                type_metadata: None,
            };
            credentials::import(&mut self.store, &issued, &options).unwrap();
        }

        fn install(&mut self, sequence: u64, fill: impl FnOnce(&mut TrustList)) {
            self.install_for(sequence, 30, fill);
        }

        fn install_for(&mut self, sequence: u64, days: u32, fill: impl FnOnce(&mut TrustList)) {
            let mut list = TrustList::new(sequence, NOW - 60, days);
            fill(&mut list);
            let text = list.sign(&self.signer).unwrap();
            install_issuer_trust_list(&mut self.store, &text, Some(self.signer.public_key()), NOW)
                .unwrap();
        }

        fn trust_at(&self, now: i64) -> Vec<IssuerTrust> {
            credentials::list_at(&self.store, now)
                .unwrap()
                .into_iter()
                .map(|s| s.issuer_trust)
                .collect()
        }
    }

    fn trusted(name: &str) -> IssuerTrust {
        IssuerTrust::Trusted { name: name.into() }
    }

    #[test]
    fn no_list_leaves_every_issuer_unknown_whatever_name_it_claims() {
        let mut h = holder();
        let issuer = IssuerIdentity::generate("Ministry of Health", NOW - 60, 30).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        h.receive(&issuer, CredentialFormat::Mdoc);
        let listed = credentials::list_at(&h.store, NOW).unwrap();
        assert_eq!(listed.len(), 2);
        for summary in &listed {
            assert_eq!(summary.issuer_trust, IssuerTrust::Unknown);
            assert_eq!(summary.issuer_name.as_deref(), Some("Ministry of Health"));
        }
    }

    #[test]
    fn trusted_by_the_root_certificate_of_the_chain_with_the_lists_name() {
        let mut h = holder();
        let issuer = IssuerIdentity::generate("Desk 4", NOW - 60, 30).unwrap();
        let stranger = IssuerIdentity::generate("City registration office", NOW - 60, 30).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        h.receive(&issuer, CredentialFormat::Mdoc);
        h.receive(&stranger, CredentialFormat::SdJwt);
        h.install(1, |list| {
            list.add_issuer_certificate(
                "City registration office",
                issuer.trust_anchor(),
                NOW - 60,
                NOW + 86_400,
            )
            .unwrap();
        });
        assert_eq!(
            h.trust_at(NOW),
            vec![
                trusted("City registration office"),
                trusted("City registration office"),
                // Claims the trusted name, chains to nothing on the list.
                IssuerTrust::Unknown,
            ]
        );
        // `show` agrees with `list`.
        let first = credentials::list_at(&h.store, NOW).unwrap()[0].id;
        let detail = credentials::show_at(&h.store, first, "en", NOW).unwrap();
        assert_eq!(
            detail.summary.issuer_trust,
            trusted("City registration office")
        );
    }

    #[test]
    fn trusted_by_the_signers_key() {
        let mut h = holder();
        let issuer = IssuerIdentity::generate("Desk 4", NOW - 60, 30).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        h.receive(&issuer, CredentialFormat::Mdoc);
        h.install(1, |list| {
            list.add_issuer_key("Clinic", issuer.key.public_key(), NOW - 60, NOW + 86_400)
                .unwrap();
        });
        assert_eq!(h.trust_at(NOW), vec![trusted("Clinic"), trusted("Clinic")]);
        // Directly by key too, without following the chain.
        let stored =
            credentials::load(&h.store, credentials::list_at(&h.store, NOW).unwrap()[0].id)
                .unwrap();
        let entries = crate::issuance::trusted_issuers(&h.store, NOW).unwrap();
        assert!(by_key(&stored, &entries, NOW).is_some());
    }

    #[test]
    fn an_issuer_trusted_for_another_type_is_not_allowed() {
        let mut h = holder();
        let issuer = IssuerIdentity::generate("Desk 4", NOW - 60, 30).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        h.install(1, |list| {
            list.add_issuer_certificate("Clinic", issuer.trust_anchor(), NOW - 60, NOW + 86_400)
                .unwrap()
                .credential_types = vec!["urn:laissez:test:vaccination:1".into()];
        });
        assert_eq!(
            h.trust_at(NOW),
            vec![IssuerTrust::NotAllowedForType {
                name: "Clinic".into()
            }]
        );
    }

    #[test]
    fn a_list_that_expired_vouches_for_nobody() {
        let mut h = holder();
        let issuer = IssuerIdentity::generate("Desk 4", NOW - 60, 365).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        h.install(1, |list| {
            list.add_issuer_certificate(
                "Clinic",
                issuer.trust_anchor(),
                NOW - 60,
                NOW + 90 * 86_400,
            )
            .unwrap();
        });
        assert_eq!(h.trust_at(NOW), vec![trusted("Clinic")]);
        // The list was signed for 30 days.
        assert_eq!(h.trust_at(NOW + 40 * 86_400), vec![IssuerTrust::Unknown]);
    }

    #[test]
    fn a_chain_that_expired_since_it_signed_still_leads_to_a_current_entry() {
        let mut h = holder();
        // Certificates for 30 days; the list and its entry for 90.
        let issuer = IssuerIdentity::generate("Desk 4", NOW - 60, 30).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        h.receive(&issuer, CredentialFormat::Mdoc);
        h.install_for(1, 90, |list| {
            list.add_issuer_certificate(
                "Clinic",
                issuer.trust_anchor(),
                NOW - 60,
                NOW + 90 * 86_400,
            )
            .unwrap();
        });
        let late = NOW + 40 * 86_400;
        assert_eq!(h.trust_at(late), vec![trusted("Clinic"), trusted("Clinic")]);
        // Once the entry itself has ended, nobody vouches.
        assert_eq!(
            h.trust_at(NOW + 91 * 86_400),
            vec![IssuerTrust::Unknown, IssuerTrust::Unknown]
        );
    }

    #[test]
    fn a_chain_signed_by_another_key_than_the_stored_one_is_not_followed() {
        let mut h = holder();
        let issuer = IssuerIdentity::generate("Desk 4", NOW - 60, 30).unwrap();
        h.receive(&issuer, CredentialFormat::SdJwt);
        let id = credentials::list_at(&h.store, NOW).unwrap()[0].id;
        let mut stored = credentials::load(&h.store, id).unwrap();
        let other = IssuerIdentity::generate("Other", NOW - 60, 30).unwrap();
        stored.issuer_key = other.key.public_key().public_bytes();
        let entries = vec![TrustedIssuer::from_bytes(issuer.trust_anchor()).unwrap()];
        assert_eq!(
            issuer_trust_of(&stored, &entries, NOW),
            IssuerTrust::Unknown
        );
    }
}
