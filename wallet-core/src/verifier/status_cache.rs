//! Status List Tokens cached in a field verifier's store, fetched while online and used
//! offline.
//!
//! A token is accepted only if one of the trusted issuers signed it, and it is then only
//! consulted for that issuer's credentials. One record per (list URI, issuer key), of kind
//! [`STATUS_LIST_KIND`], holds the token as received and the time it was imported; a token
//! older than the cached one for the same list is refused (it could un-revoke). A newer token
//! replaces the cached one in one transaction, together with the security manifest
//! ([`super::security_state`]); should two copies of one list ever be found, the one issued
//! last is the one consulted.

use super::security_state::{self, SecurityStateError};
use super::trusted_issuer::{TrustedIssuer, anchors_of};
use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::status_list::{StatusList, StatusListError};
use laissez_formats::x509::{Certificate, PathError, Purpose, evaluate_chain};
use laissez_store::StoreError;
use std::collections::BTreeMap;

use laissez_store::{MAX_PAGE_SIZE, NewRecord, Record, Tag, WalletStore};

pub use super::record_kinds::STATUS_LIST_KIND;

/// Why a status list could not be cached or read back.
#[derive(Debug, thiserror::Error)]
pub enum StatusCacheError {
    /// The verifier's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The token is not a valid Status List Token.
    #[error(transparent)]
    StatusList(#[from] StatusListError),
    /// No trusted issuer's key verifies the token.
    #[error("no trusted issuer signed this status list (import the trust list first)")]
    UnknownSigner,
    /// The token's certificate chain reaches a trusted issuer by a path that is refused
    /// (expired, not a CA, too long, ...).
    #[error("the status list's certificate chain is refused: {0}")]
    UntrustedChain(PathError),
    /// A newer state of the same list is already cached.
    #[error("a newer copy of this status list is cached (issued {cached}, offered {offered})")]
    Older {
        /// `iat` of the cached copy.
        cached: i64,
        /// `iat` of the offered one.
        offered: i64,
    },
    /// A cached record is damaged.
    #[error("a cached status list is damaged")]
    Damaged,
    /// The verifier's file was changed behind its back (a list put back or removed).
    #[error(transparent)]
    Tampered(SecurityStateError),
}

impl From<SecurityStateError> for StatusCacheError {
    fn from(err: SecurityStateError) -> Self {
        match err {
            SecurityStateError::Store(err) => Self::Store(err),
            tampered @ SecurityStateError::Tampered { .. } => Self::Tampered(tampered),
        }
    }
}

/// A status list ready to be consulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedStatusList {
    /// The verified list.
    pub list: StatusList,
    /// When it was imported (Unix seconds).
    pub fetched_at: i64,
    /// The issuer key that signed it: it speaks for that issuer's credentials only.
    pub issuer_key: IssuerKey,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusImport {
    /// The list's URI.
    pub uri: String,
    /// How many entries it holds.
    pub entries: u64,
    /// Its `iat`.
    pub issued_at: i64,
    /// The name of the trusted issuer that signed it.
    pub issuer_name: Option<String>,
    /// Whether it replaced a cached copy of the same list.
    pub replaced: bool,
}

/// Body of a cache record: the import time (8 bytes, big endian), then the token.
fn body(fetched_at: i64, token: &[u8]) -> Vec<u8> {
    let mut body = fetched_at.to_be_bytes().to_vec();
    body.extend_from_slice(token);
    body
}

fn split_body(body: &[u8]) -> Option<(i64, &[u8])> {
    let (time, token) = body.split_first_chunk::<8>()?;
    Some((i64::from_be_bytes(*time), token))
}

/// Verifies `token` at `at`: through its certificate chain (`x5c`, `x5chain`) to a trusted
/// issuer's anchor when it carries one that reaches an anchor, else with a trusted issuer's
/// own key. Gives the list and the trusted issuer that vouches for it.
fn verify_token<'t>(
    token: &[u8],
    trusted: &'t [TrustedIssuer],
    at: i64,
) -> Result<(StatusList, &'t TrustedIssuer), StatusCacheError> {
    let chain = StatusList::token_certificates(token)?;
    if !chain.is_empty() {
        let bundle = chain
            .iter()
            .map(|der| Certificate::from_der(der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| StatusListError::Malformed("a certificate of its chain is unreadable"))?;
        let anchors = anchors_of(trusted);
        let found = evaluate_chain(&bundle, &anchors, Purpose::Signing, at)
            .map_err(StatusCacheError::UntrustedChain)?;
        if let (Some(found), Some(signer)) = (found, bundle.first()) {
            let issuer = trusted
                .get(found.anchor)
                .ok_or(StatusCacheError::UnknownSigner)?;
            let list = StatusList::from_token(token, signer.public_key().clone(), at)?;
            return Ok((list, issuer));
        }
    }
    let mut last_error = StatusCacheError::UnknownSigner;
    for issuer in trusted {
        match StatusList::from_token(token, &issuer.key, at) {
            Ok(list) => return Ok((list, issuer)),
            // Another issuer's key: try the next one.
            Err(StatusListError::BadSignature) => {}
            Err(err) => last_error = err.into(),
        }
    }
    Err(last_error)
}

/// Verifies `token` (JWT or CWT) through the trusted issuers and caches it, replacing an
/// older copy of the same list from the same issuer.
pub fn import(
    store: &mut WalletStore,
    token: &[u8],
    trusted: &[TrustedIssuer],
    now: i64,
) -> Result<StatusImport, StatusCacheError> {
    let (list, issuer) = verify_token(token, trusted, now)?;
    let issuer_tag = issuer.key.fingerprint();
    let tags = vec![
        Tag::new("uri", list.uri.clone()),
        Tag::new("issuer", issuer_tag),
    ];
    let replaced = security_state::write(store, |writer| {
        let existing = writer.find(STATUS_LIST_KIND, &tags)?;
        for record in &existing {
            let cached = issued_at(record)?;
            if cached > list.issued_at {
                return Err(StatusCacheError::Older {
                    cached,
                    offered: list.issued_at,
                });
            }
        }
        let mut record_tags = tags.clone();
        record_tags.push(Tag::new("issued_at", list.issued_at.to_string()));
        writer.put(&NewRecord {
            kind: STATUS_LIST_KIND.into(),
            tags: record_tags,
            body: body(now, token),
        })?;
        for record in &existing {
            writer.delete(record.id)?;
        }
        Ok::<_, StatusCacheError>(!existing.is_empty())
    })?;
    Ok(StatusImport {
        uri: list.uri.clone(),
        entries: list.len(),
        issued_at: list.issued_at,
        issuer_name: issuer.name.clone(),
        replaced,
    })
}

fn issued_at(record: &Record) -> Result<i64, StatusCacheError> {
    record
        .tag("issued_at")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or(StatusCacheError::Damaged)
}

/// Every cached list whose signer is still among `trusted`, each re-verified as of the time
/// it was imported (so an expired list comes back and is judged stale, not dropped). Of two
/// copies of one list from one issuer, only the one issued last.
pub fn cached(
    store: &WalletStore,
    trusted: &[TrustedIssuer],
) -> Result<Vec<CachedStatusList>, StatusCacheError> {
    security_state::check(store)?;
    read_cached(store, trusted)
}

/// [`cached`] for a caller that has just checked the security manifest.
pub(crate) fn read_cached(
    store: &WalletStore,
    trusted: &[TrustedIssuer],
) -> Result<Vec<CachedStatusList>, StatusCacheError> {
    // Newest per (URI, issuer): by the issuer's own `iat`, never by storage order.
    let mut newest: BTreeMap<(String, String), (i64, Record)> = BTreeMap::new();
    let mut cursor = None;
    loop {
        let page = store.find(STATUS_LIST_KIND, &[], MAX_PAGE_SIZE, cursor)?;
        for record in page.records {
            let key = (
                record.tag("uri").unwrap_or_default().to_owned(),
                record.tag("issuer").unwrap_or_default().to_owned(),
            );
            let issued = issued_at(&record)?;
            if newest.get(&key).is_none_or(|(kept, _)| issued > *kept) {
                newest.insert(key, (issued, record));
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut out = Vec::new();
    for (_, record) in newest.into_values() {
        let (fetched_at, token) = split_body(&record.body).ok_or(StatusCacheError::Damaged)?;
        let Some(issuer) = trusted
            .iter()
            .find(|t| Some(t.key.fingerprint().as_str()) == record.tag("issuer"))
        else {
            continue;
        };
        let list = match verify_token(token, std::slice::from_ref(issuer), fetched_at) {
            Ok((list, _)) => list,
            // Its chain may have expired since: judged stale by its times, never trusted anew.
            Err(StatusCacheError::UntrustedChain(_)) => continue,
            Err(_) => return Err(StatusCacheError::Damaged),
        };
        out.push(CachedStatusList {
            list,
            fetched_at,
            issuer_key: issuer.key.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_formats::status_list::StatusListBuilder;
    use laissez_store::StoreOptions;

    const NOW: i64 = 1_790_000_000;
    const URI: &str = "https://status.example/lists/1";

    fn store(dir: &tempfile::TempDir) -> WalletStore {
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        WalletStore::create(dir.path().join("v.db"), "1234", options)
            .unwrap()
            .0
    }

    fn trusted(key: &SigningKey) -> TrustedIssuer {
        TrustedIssuer {
            name: Some("Issuer".into()),
            key: key.public_key().into(),
            certificate: None,
            credential_types: Vec::new(),
            countries: Vec::new(),
        }
    }

    fn token(issuer: &SigningKey, iat: i64, revoked: &[u64]) -> String {
        let mut builder = StatusListBuilder::new(1, 64).unwrap();
        for index in revoked {
            builder.set(*index, 1).unwrap();
        }
        builder
            .to_jwt(URI, iat, Some(iat + 86_400), None, issuer)
            .unwrap()
    }

    #[test]
    fn caches_lists_of_trusted_issuers_only_and_never_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(&dir);
        let issuer = SigningKey::generate().unwrap();
        let stranger = SigningKey::generate().unwrap();
        let trust = [trusted(&issuer)];
        assert!(matches!(
            import(
                &mut store,
                token(&stranger, NOW, &[]).as_bytes(),
                &trust,
                NOW
            ),
            Err(StatusCacheError::UnknownSigner)
        ));
        let first = import(&mut store, token(&issuer, NOW, &[]).as_bytes(), &trust, NOW).unwrap();
        assert!(!first.replaced);
        assert_eq!(first.entries, 64);
        let newer = token(&issuer, NOW + 60, &[3]);
        assert!(
            import(&mut store, newer.as_bytes(), &trust, NOW + 60)
                .unwrap()
                .replaced
        );
        assert!(matches!(
            import(
                &mut store,
                token(&issuer, NOW, &[]).as_bytes(),
                &trust,
                NOW + 60
            ),
            Err(StatusCacheError::Older { .. })
        ));
        assert!(matches!(
            import(&mut store, b"garbage", &trust, NOW),
            Err(StatusCacheError::StatusList(_))
        ));

        // A day and more later the token has expired: still read back, for a stale verdict.
        let lists = cached(&store, &trust).unwrap();
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0].fetched_at, NOW + 60);
        assert_eq!(lists[0].list.issued_at, NOW + 60);
        // Lists of an issuer no longer trusted are not consulted.
        assert!(cached(&store, &[trusted(&stranger)]).unwrap().is_empty());
    }
}
