//! The issuer server's own encrypted store (a `WalletStore`, so AES-256-GCM records and blind
//! indexes like a wallet's): one record per pending OpenID4VCI offer, since offers hold the
//! person's claims. Unlocked with a passphrase from `LAISSEZ_ISSUER_PASSPHRASE` or a file;
//! created on first use (its recovery phrase is not shown: losing the file loses only pending
//! offers, which the desk makes again).

use std::collections::BTreeMap;
use std::path::Path;

use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::openid4vci::issuer::PendingOffer;
use wallet_core::store::{MAX_PAGE_SIZE, NewRecord, RecordId, Tag, WalletStore};
use zeroize::Zeroizing;

use crate::exit::{CliError, CliResult};
use crate::wallet_file;

/// The environment variable holding the passphrase.
pub const PASSPHRASE_ENV: &str = "LAISSEZ_ISSUER_PASSPHRASE";
const OFFER_KIND: &str = "oid4vci_offer";
const CODE_TAG: &str = "code";

/// The passphrase: the first line of `file` when given, else `LAISSEZ_ISSUER_PASSPHRASE`.
pub fn passphrase(file: Option<&Path>) -> CliResult<Zeroizing<String>> {
    if let Some(path) = file {
        let text =
            Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                CliError::BadInput(format!("passphrase file {}: {e}", path.display()))
            })?);
        let line = text.lines().next().unwrap_or("").trim_end().to_owned();
        if line.is_empty() {
            return Err(CliError::BadInput("the passphrase file is empty".into()));
        }
        return Ok(Zeroizing::new(line));
    }
    match std::env::var(PASSPHRASE_ENV) {
        Ok(value) if !value.is_empty() => Ok(Zeroizing::new(value)),
        _ => Err(CliError::BadInput(format!(
            "give the issuer store's passphrase in {PASSPHRASE_ENV} or with --passphrase-file"
        ))),
    }
}

/// Opens (or creates) the store at `path`, unlocked.
pub fn open(path: &Path, passphrase: &str, fast_kdf: bool) -> CliResult<WalletStore> {
    let kdf = if fast_kdf {
        KdfParams::INSECURE_FAST
    } else {
        KdfParams::PHONE
    };
    if path.exists() {
        let mut store = WalletStore::open(path, wallet_file::options(kdf))?;
        store.unlock(passphrase)?;
        Ok(store)
    } else {
        let (store, _phrase) = WalletStore::create(path, passphrase, wallet_file::options(kdf))?;
        Ok(store)
    }
}

/// The pending offers, with their record ids.
pub fn load(store: &WalletStore) -> CliResult<BTreeMap<String, (RecordId, PendingOffer)>> {
    let mut out = BTreeMap::new();
    let mut cursor = None;
    loop {
        let page = store.find(OFFER_KIND, &[], MAX_PAGE_SIZE, cursor)?;
        for record in &page.records {
            let offer: PendingOffer = serde_json::from_slice(&record.body)
                .map_err(|_| CliError::Failed("an offer record is unreadable".into()))?;
            out.insert(offer.pre_authorized_code.clone(), (record.id, offer));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

fn body(offer: &PendingOffer) -> CliResult<Vec<u8>> {
    serde_json::to_vec(offer).map_err(|_| CliError::Failed("could not encode an offer".into()))
}

/// Adds a new offer.
pub fn add(store: &mut WalletStore, offer: &PendingOffer) -> CliResult<()> {
    store.put(&NewRecord {
        kind: OFFER_KIND.into(),
        tags: vec![Tag::new(CODE_TAG, offer.pre_authorized_code.clone())],
        body: body(offer)?,
    })?;
    Ok(())
}

/// Writes the offers after a request changed them: removed ones are deleted, changed ones
/// updated (offers added meanwhile by `issuer offer-online` are left alone).
pub fn save(
    store: &mut WalletStore,
    before: &BTreeMap<String, (RecordId, PendingOffer)>,
    after: &BTreeMap<String, PendingOffer>,
) -> CliResult<()> {
    for (code, (id, old)) in before {
        match after.get(code) {
            None => store.delete(*id)?,
            Some(new) if new != old => {
                store.update(*id, &[Tag::new(CODE_TAG, code.clone())], &body(new)?)?
            }
            Some(_) => {}
        }
    }
    Ok(())
}
