//! The wallet side of the pre-authorized code flow, over the app's [`HttpTransport`]:
//! [`preview`] resolves the offer and the issuer metadata (what the consent screen shows),
//! [`accept`] gets a token with the transaction code, a nonce, proves N new holder keys,
//! receives one copy per key, checks the copies and imports them, all or none.
//!
//! Nothing is written to the wallet before every copy has arrived and matched a key proven
//! for it; if the import then fails, the holder keys recorded for it are removed again, so a
//! failure of any step leaves the wallet as it was.

use super::credential::{CredentialRequest, CredentialResponse};
use super::error::{Endpoint, Oid4vciError, Oid4vciResult};
use super::http::{HttpRequest, HttpTransport, exchange};
use super::metadata::{
    AUTHORIZATION_SERVER_WELL_KNOWN, AuthorizationServerMetadata, CredentialConfiguration,
    ISSUER_WELL_KNOWN, IssuerMetadata,
};
use super::nonce::NonceResponse;
use super::offer::{self, CredentialOffer, OfferReference, TxCodeSpec};
use super::token::{TokenRequest, TokenResponse};
use super::{FORMAT_MDOC, FORMAT_SD_JWT, MAX_BATCH, labels, proof, url};
use crate::wallet::CredentialResult;
use crate::wallet::credentials::{self, CredentialSummary, ImportOptions};
use crate::wallet::holder_keys;
use laissez_crypto::ecdsa::{SigningKey, VerifyingKey};
use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::jose::{P256Jwk, base64url};
use laissez_formats::mdoc::IssuedMdoc;
use laissez_formats::sdjwt::SdJwt;
use laissez_store::WalletStore;

/// How to run the flow.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Copies per credential (one new holder key each), 1 to [`MAX_BATCH`]; cut to the
    /// issuer's `batch_size`.
    pub batch_size: usize,
    /// Accept `http://` issuers (a desk on a local network, tests). Off: https only.
    pub allow_http: bool,
    /// Now, Unix seconds (proof `iat`, validity checks).
    pub now: i64,
    /// Issuer keys to check the copies' signatures with, besides any certificate they carry
    /// (issuers whose credentials carry none).
    pub issuer_keys: Vec<IssuerKey>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            batch_size: 1,
            allow_http: false,
            now: 0,
            issuer_keys: Vec::new(),
        }
    }
}

/// What the consent screen shows before anything is asked of the issuer but its metadata.
#[derive(Debug, Clone)]
pub struct OfferPreview {
    /// The offer.
    pub offer: CredentialOffer,
    /// The issuer's metadata.
    pub metadata: IssuerMetadata,
    /// The issuer's display name (first display entry), if any.
    pub issuer_name: Option<String>,
    /// The offered credentials: configuration id, format, type and display name.
    pub credentials: Vec<OfferedCredential>,
    /// The transaction code's announced form, when one is needed.
    pub tx_code: Option<TxCodeSpec>,
}

/// One offered credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedCredential {
    /// Its configuration id.
    pub configuration_id: String,
    /// `dc+sd-jwt` or `mso_mdoc`.
    pub format: String,
    /// vct or docType.
    pub credential_type: String,
    /// Its name (first display entry), if any.
    pub name: Option<String>,
}

/// Resolves an offer link (fetching it when by reference) and the issuer metadata, and checks
/// that this wallet can take every offered credential.
pub fn preview(
    transport: &dyn HttpTransport,
    link: &str,
    options: &FetchOptions,
) -> Oid4vciResult<OfferPreview> {
    let offer = match offer::parse_link(link)? {
        OfferReference::ByValue(offer) => offer,
        OfferReference::ByReference(uri) => {
            url::check(&uri, options.allow_http)
                .map_err(|e| Oid4vciError::InvalidOffer(format!("credential_offer_uri: {e}")))?;
            exchange(
                transport,
                Endpoint::Offer,
                HttpRequest::get(uri),
                &|code, description| Oid4vciError::Refused {
                    endpoint: Endpoint::Offer,
                    code,
                    description,
                },
            )?
        }
    };
    let grant = offer.validate(options.allow_http)?;
    let tx_code = grant.tx_code.clone();
    let issuer = offer.credential_issuer.clone();
    let metadata: IssuerMetadata = exchange(
        transport,
        Endpoint::IssuerMetadata,
        HttpRequest::get(url::well_known(&issuer, ISSUER_WELL_KNOWN)),
        &|code, description| Oid4vciError::Refused {
            endpoint: Endpoint::IssuerMetadata,
            code,
            description,
        },
    )?;
    metadata.validate(&issuer, options.allow_http)?;
    let mut credentials = Vec::new();
    for id in &offer.credential_configuration_ids {
        let configuration = configuration(&metadata, id)?;
        configuration.check_supported(id)?;
        credentials.push(OfferedCredential {
            configuration_id: id.clone(),
            format: configuration.format.clone(),
            credential_type: configuration
                .credential_type()
                .unwrap_or_default()
                .to_owned(),
            name: configuration
                .display_entries()
                .first()
                .map(|d| d.name.clone()),
        });
    }
    let issuer_name = metadata
        .display
        .iter()
        .flatten()
        .find_map(|d| d.name.clone());
    Ok(OfferPreview {
        offer,
        metadata,
        issuer_name,
        credentials,
        tx_code,
    })
}

fn configuration<'a>(
    metadata: &'a IssuerMetadata,
    id: &str,
) -> Oid4vciResult<&'a CredentialConfiguration> {
    metadata
        .credential_configurations_supported
        .get(id)
        .ok_or_else(|| Oid4vciError::UnsupportedConfiguration {
            id: super::error::printable(id, 64),
            reason: "not in the issuer's metadata".into(),
        })
}

/// Runs the flow for a previewed offer with the transaction code the person typed, and imports
/// every offered credential as a batch of copies. Returns one summary per credential.
pub fn accept(
    store: &mut WalletStore,
    transport: &dyn HttpTransport,
    preview: &OfferPreview,
    tx_code: Option<&str>,
    options: &FetchOptions,
) -> Oid4vciResult<Vec<CredentialSummary>> {
    if options.batch_size == 0 || options.batch_size > MAX_BATCH {
        return Err(Oid4vciError::BatchSize { max: MAX_BATCH });
    }
    let grant = preview.offer.validate(options.allow_http)?;
    match (&grant.tx_code, tx_code) {
        (Some(_), None) => return Err(Oid4vciError::TxCodeRequired),
        (None, Some(_)) => return Err(Oid4vciError::TxCodeNotExpected),
        (Some(spec), Some(code)) => spec.check(code)?,
        (None, None) => {}
    }
    let metadata = &preview.metadata;
    let issuer = preview.offer.credential_issuer.as_str();
    let token_endpoint = token_endpoint(
        transport,
        metadata,
        grant.authorization_server.as_deref(),
        options,
    )?;
    let token: TokenResponse = exchange(
        transport,
        Endpoint::Token,
        HttpRequest::post(
            token_endpoint,
            "application/x-www-form-urlencoded",
            TokenRequest {
                pre_authorized_code: grant.pre_authorized_code.clone(),
                tx_code: tx_code.map(str::to_owned),
            }
            .to_form()
            .into_bytes(),
        ),
        &|code, description| Oid4vciError::Token { code, description },
    )?;
    token.validate()?;
    let batch = options.batch_size.min(metadata.batch_size().max(1));

    // Every credential's copies, received and matched to their keys, before any write.
    let mut next_slot = holder_keys::list(store)?.last().map_or(0, |k| k.slot + 1);
    let mut received = Vec::new();
    for offered in &preview.credentials {
        let configuration = configuration(metadata, &offered.configuration_id)?;
        let nonce = fetch_nonce(transport, metadata)?;
        let mut keys = Vec::with_capacity(batch);
        let mut proofs = Vec::with_capacity(batch);
        for _ in 0..batch {
            let key = holder_keys::derive_signing_key(store, next_slot)?;
            let jwt = proof::sign_proof(&key, issuer, &nonce, options.now)
                .ok_or(Oid4vciError::Signing)?;
            proofs.push(jwt);
            keys.push((next_slot, key));
            next_slot += 1;
        }
        let response: CredentialResponse = exchange(
            transport,
            Endpoint::Credential,
            HttpRequest::post(
                metadata.credential_endpoint.clone(),
                "application/json",
                serde_json::to_vec(&CredentialRequest::new(&offered.configuration_id, proofs))
                    .map_err(|_| Oid4vciError::Signing)?,
            )
            .with_header("authorization", format!("Bearer {}", token.access_token)),
            &|code, description| Oid4vciError::Refused {
                endpoint: Endpoint::Credential,
                code,
                description,
            },
        )?;
        let copies = check_copies(&response, configuration, offered, &keys)?;
        let type_metadata = type_metadata_for(configuration, offered, &copies);
        received.push((copies, keys, type_metadata));
    }

    // Now the writes: record the keys and import each credential's copies, all or none.
    let mut summaries = Vec::new();
    let mut recorded = Vec::new();
    let mut imported = Vec::new();
    let outcome = (|| -> Oid4vciResult<()> {
        for (copies, keys, type_metadata) in &received {
            for (slot, key) in keys {
                let created = holder_keys::create_derived(store)?;
                recorded.push(created.slot);
                if created.slot != *slot || &created.public_key != key.public_key() {
                    return Err(Oid4vciError::Store(laissez_store::StoreError::Storage(
                        "the wallet's holder keys changed during issuance".into(),
                    )));
                }
            }
            let import_options = ImportOptions {
                issuer_keys: options.issuer_keys.clone(),
                now: import_time(options.now, copies),
                type_metadata: type_metadata.clone(),
            };
            let summary = import_copies(store, copies, &import_options, &mut imported)?;
            summaries.push(summary);
        }
        Ok(())
    })();
    if let Err(error) = outcome {
        for id in imported {
            let _ = credentials::delete(store, id);
        }
        let _ = holder_keys::remove_unused(store, &recorded);
        return Err(error);
    }
    Ok(summaries)
}

/// [`preview`] then [`accept`]: the whole flow from a link.
pub fn fetch_credential(
    store: &mut WalletStore,
    transport: &dyn HttpTransport,
    link: &str,
    tx_code: Option<&str>,
    options: &FetchOptions,
) -> Oid4vciResult<Vec<CredentialSummary>> {
    let preview = preview(transport, link, options)?;
    accept(store, transport, &preview, tx_code, options)
}

/// The token endpoint: from the authorization server's metadata (RFC 8414), the server being
/// the one the grant names, else the issuer's only one, else the issuer itself.
fn token_endpoint(
    transport: &dyn HttpTransport,
    metadata: &IssuerMetadata,
    named: Option<&str>,
    options: &FetchOptions,
) -> Oid4vciResult<String> {
    let server = match (named, metadata.authorization_servers.as_deref()) {
        (Some(named), Some(servers)) if servers.iter().any(|s| s == named) => named.to_owned(),
        (Some(_), _) => {
            return Err(Oid4vciError::InvalidOffer(
                "authorization_server is not one of the issuer's".into(),
            ));
        }
        (None, Some([only])) => only.clone(),
        (None, Some([])) | (None, None) => metadata.credential_issuer.clone(),
        (None, Some(_)) => {
            return Err(Oid4vciError::InvalidOffer(
                "the issuer has several authorization servers and the offer names none".into(),
            ));
        }
    };
    let as_metadata: AuthorizationServerMetadata = exchange(
        transport,
        Endpoint::AuthorizationServerMetadata,
        HttpRequest::get(url::well_known(&server, AUTHORIZATION_SERVER_WELL_KNOWN)),
        &|code, description| Oid4vciError::Refused {
            endpoint: Endpoint::AuthorizationServerMetadata,
            code,
            description,
        },
    )?;
    let invalid = |reason: String| Oid4vciError::InvalidMessage {
        endpoint: Endpoint::AuthorizationServerMetadata,
        reason,
    };
    if as_metadata.issuer != server {
        return Err(invalid("issuer is not the server asked".into()));
    }
    url::check(&as_metadata.token_endpoint, options.allow_http)
        .map_err(|e| invalid(format!("token_endpoint: {e}")))?;
    Ok(as_metadata.token_endpoint)
}

fn fetch_nonce(transport: &dyn HttpTransport, metadata: &IssuerMetadata) -> Oid4vciResult<String> {
    let endpoint = metadata
        .nonce_endpoint
        .clone()
        .ok_or_else(|| Oid4vciError::InvalidMessage {
            endpoint: Endpoint::IssuerMetadata,
            reason: "no nonce_endpoint: key proofs need a nonce".into(),
        })?;
    let nonce: NonceResponse = exchange(
        transport,
        Endpoint::Nonce,
        HttpRequest::post(endpoint, "application/json", Vec::new()),
        &|code, description| Oid4vciError::Refused {
            endpoint: Endpoint::Nonce,
            code,
            description,
        },
    )?;
    nonce.validate()?;
    Ok(nonce.c_nonce)
}

/// How far after `now` the issuer may date a fresh copy's start of validity, seconds: the
/// copies are signed during the exchange, after `now` was read, by the issuer's clock (the same
/// allowance SD-JWT VC validation makes for `iat` and `nbf`).
pub const ISSUANCE_CLOCK_SKEW: i64 = 60;

/// One received copy: the bytes to import and what it says about itself.
#[derive(Debug, Clone)]
pub(crate) struct Copy {
    bytes: Vec<u8>,
    vct_integrity: bool,
    /// An mdoc's MSO `validFrom` (mdoc validity is checked without clock skew).
    valid_from: Option<i64>,
}

/// The time to import a credential's copies at: `now`, or the latest mdoc `validFrom` that lies
/// at most [`ISSUANCE_CLOCK_SKEW`] after it. An issuer that starts validity when it signs
/// (`validFrom` = its clock at issuance, as @auth0/mdl does by default) would otherwise have
/// its copies refused as not yet valid whenever the exchange crossed a second boundary.
fn import_time(now: i64, copies: &[Copy]) -> i64 {
    copies
        .iter()
        .filter_map(|c| c.valid_from)
        .filter(|from| *from > now && *from <= now.saturating_add(ISSUANCE_CLOCK_SKEW))
        .fold(now, i64::max)
}

/// Checks the copies against what was asked: one per key, each of the configuration's format
/// and type, each bound to a different one of the keys proven (signatures, validity and
/// digests are checked by the import).
fn check_copies(
    response: &CredentialResponse,
    configuration: &CredentialConfiguration,
    offered: &OfferedCredential,
    keys: &[(u32, SigningKey)],
) -> Oid4vciResult<Vec<Copy>> {
    let texts = response.credential_texts(keys.len())?;
    let mut unused: Vec<&VerifyingKey> = keys.iter().map(|(_, k)| k.public_key()).collect();
    let mut copies = Vec::with_capacity(texts.len());
    for (index, text) in texts.into_iter().enumerate() {
        let wrong = |reason: &str| Oid4vciError::WrongCopy {
            index,
            reason: reason.into(),
        };
        let (bytes, credential_type, holder_key, vct_integrity, valid_from) =
            match configuration.format.as_str() {
                FORMAT_SD_JWT => {
                    let parsed = SdJwt::parse(text.trim()).map_err(|_| wrong("not an SD-JWT"))?;
                    let claims = parsed.issuer_jwt().claims();
                    let vct = claims
                        .get("vct")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned();
                    let key = claims
                        .get("cnf")
                        .and_then(|c| c.get("jwk"))
                        .and_then(|jwk| P256Jwk::from_json(jwk).ok())
                        .map(P256Jwk::into_verifying_key)
                        .ok_or_else(|| wrong("no P-256 cnf.jwk holder key"))?;
                    let integrity = claims.contains_key("vct#integrity");
                    (text.trim().as_bytes().to_vec(), vct, key, integrity, None)
                }
                FORMAT_MDOC => {
                    let bytes = base64url::decode(text.trim())
                        .map_err(|_| wrong("an mso_mdoc credential is not base64url"))?;
                    let parsed = IssuedMdoc::from_bytes(&bytes)
                        .map_err(|_| wrong("not an mdoc IssuerSigned"))?;
                    let valid_from = parsed.mso().validity_info.valid_from;
                    (
                        bytes,
                        parsed.doc_type().to_owned(),
                        parsed.mso().device_key.clone(),
                        false,
                        Some(valid_from),
                    )
                }
                _ => return Err(wrong("unsupported format")),
            };
        if credential_type != offered.credential_type {
            return Err(wrong("not of the type offered"));
        }
        let position = unused
            .iter()
            .position(|k| **k == holder_key)
            .ok_or_else(|| wrong("not bound to one of the keys proven for it"))?;
        unused.swap_remove(position);
        copies.push(Copy {
            bytes,
            vct_integrity,
            valid_from,
        });
    }
    Ok(copies)
}

/// The labels from the issuer metadata, as a Type Metadata document to keep with the
/// credential; not for an SD-JWT VC carrying `vct#integrity` (it pins the issuer's own
/// document, which the metadata's display data are not).
fn type_metadata_for(
    configuration: &CredentialConfiguration,
    offered: &OfferedCredential,
    copies: &[Copy],
) -> Option<Vec<u8>> {
    if copies.iter().any(|c| c.vct_integrity) {
        return None;
    }
    labels::type_metadata_from(configuration, &offered.credential_type)
}

/// Imports one credential's copies into one record, all or none
/// ([`credentials::import_batch`]).
fn import_copies(
    store: &mut WalletStore,
    copies: &[Copy],
    options: &ImportOptions,
    imported: &mut Vec<laissez_store::RecordId>,
) -> CredentialResult<CredentialSummary> {
    let bytes: Vec<Vec<u8>> = copies.iter().map(|c| c.bytes.clone()).collect();
    let summary = credentials::import_batch(store, &bytes, options)?;
    imported.push(summary.id);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mdoc_copy(valid_from: i64) -> Copy {
        Copy {
            bytes: Vec::new(),
            vct_integrity: false,
            valid_from: Some(valid_from),
        }
    }

    #[test]
    fn copies_dated_during_the_exchange_are_imported_at_their_start() {
        let now = 1_000_000;
        let sd_jwt = Copy {
            bytes: Vec::new(),
            vct_integrity: false,
            valid_from: None,
        };
        assert_eq!(import_time(now, &[sd_jwt]), now);
        assert_eq!(import_time(now, &[mdoc_copy(now - 86_400)]), now);
        // Signed a second and a few seconds after the wallet read its clock.
        assert_eq!(
            import_time(now, &[mdoc_copy(now + 1), mdoc_copy(now + 3)]),
            now + 3
        );
        assert_eq!(
            import_time(now, &[mdoc_copy(now + ISSUANCE_CLOCK_SKEW)]),
            now + ISSUANCE_CLOCK_SKEW
        );
        // Later than clock skew explains: judged at `now`, so the import refuses it.
        assert_eq!(
            import_time(now, &[mdoc_copy(now + ISSUANCE_CLOCK_SKEW + 1)]),
            now
        );
        assert_eq!(
            import_time(now, &[mdoc_copy(now + 2), mdoc_copy(now + 3_600)]),
            now + 2
        );
    }
}
