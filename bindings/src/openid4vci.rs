//! Online issuance (OpenID4VCI 1.0, pre-authorized code flow) on a [`Wallet`]: the app brings
//! its HTTP stack as an [`HttpTransport`] (OkHttp, URLSession); the core
//! (`wallet_core::openid4vci::client`) builds and checks every message. Thin wrappers and
//! conversions only; errors become [`OnlineIssuanceError`] (crate::openid4vci_error).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use wallet_core::openid4vci::client::{self, FetchOptions};
use wallet_core::openid4vci::{
    FORMAT_MDOC, FORMAT_SD_JWT, HttpMethod as CoreMethod, HttpRequest as CoreRequest,
    HttpResponse as CoreResponse, HttpTransport as CoreTransport, MAX_BATCH,
    TransportError as CoreTransportError,
};

use crate::blocking;
use crate::credentials::{CredentialFormat, CredentialSummary};
use crate::openid4vci_error::{OnlineIssuanceError, TransportError};
use crate::wallet::Wallet;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
}

/// One HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// Its name (lower case in requests from the wallet).
    pub name: String,
    /// Its value.
    pub value: String,
}

/// A request the wallet asks the app's transport to send.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// The method.
    pub method: HttpMethod,
    /// The absolute URL (`https://`).
    pub url: String,
    /// The headers to send, in order.
    pub headers: Vec<HttpHeader>,
    /// The body (empty for GET).
    pub body: Vec<u8>,
}

/// A response as the app's transport received it, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers received (names in any case).
    pub headers: Vec<HttpHeader>,
    /// The body.
    pub body: Vec<u8>,
}

fn headers_of(headers: Vec<(String, String)>) -> Vec<HttpHeader> {
    headers
        .into_iter()
        .map(|(name, value)| HttpHeader { name, value })
        .collect()
}

fn headers_into(headers: Vec<HttpHeader>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|h| (h.name.to_ascii_lowercase(), h.value))
        .collect()
}

impl From<CoreRequest> for HttpRequest {
    fn from(request: CoreRequest) -> Self {
        Self {
            method: match request.method {
                CoreMethod::Get => HttpMethod::Get,
                CoreMethod::Post => HttpMethod::Post,
            },
            url: request.url,
            headers: headers_of(request.headers),
            body: request.body,
        }
    }
}

impl From<HttpRequest> for CoreRequest {
    fn from(request: HttpRequest) -> Self {
        Self {
            method: match request.method {
                HttpMethod::Get => CoreMethod::Get,
                HttpMethod::Post => CoreMethod::Post,
            },
            url: request.url,
            headers: headers_into(request.headers),
            body: request.body,
        }
    }
}

impl From<CoreResponse> for HttpResponse {
    fn from(response: CoreResponse) -> Self {
        Self {
            status: response.status,
            headers: headers_of(response.headers),
            body: response.body,
        }
    }
}

impl From<HttpResponse> for CoreResponse {
    fn from(response: HttpResponse) -> Self {
        Self {
            status: response.status,
            headers: headers_into(response.headers),
            body: response.body,
        }
    }
}

/// Sends HTTP requests for the wallet, implemented by the app with its own HTTP stack
/// (OkHttp, URLSession). Called on a worker thread of the library, never the main thread;
/// blocking is expected.
///
/// The transport must not follow redirects (return the 3xx response, or throw
/// `TransportError.Redirect`), should time out after about 30 seconds (throw
/// `TransportError.Timeout`) and should stop reading a body over 2 MiB (throw
/// `TransportError.BodyTooLarge`). The core checks status, size and JSON again whatever the
/// transport did. Any other exception it throws counts as `TransportError.Connection`.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends one request and returns the response, whatever its status.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// The app's transport as the core sees it. A panic inside it (a Rust implementation, or the
/// generated glue) becomes a connection failure here instead of unwinding through the core.
struct AppTransport(Arc<dyn HttpTransport>);

impl CoreTransport for AppTransport {
    fn send(&self, request: CoreRequest) -> Result<CoreResponse, CoreTransportError> {
        let transport = &self.0;
        match catch_unwind(AssertUnwindSafe(|| transport.send(request.into()))) {
            Ok(Ok(response)) => Ok(response.into()),
            Ok(Err(error)) => Err(error.into()),
            Err(_) => Err(CoreTransportError::Connection(
                "the transport failed unexpectedly (panic)".into(),
            )),
        }
    }
}

/// The form of the transaction code the offer asks for, to show when asking for it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TxCodeRequest {
    /// Digits only (a numeric keypad); else any text.
    pub numeric: bool,
    /// Its length, when announced.
    pub length: Option<u32>,
    /// The issuer's hint ("sent by SMS"), when given: the issuer's own words.
    pub description: Option<String>,
}

/// One credential an offer proposes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OfferedCredential {
    /// The issuer's id of its configuration.
    pub configuration_id: String,
    /// Its format.
    pub format: CredentialFormat,
    /// vct (SD-JWT VC) or docType (mdoc).
    pub credential_type: String,
    /// Its name in the issuer's metadata (first display entry), if any.
    pub name: Option<String>,
}

/// What the consent screen shows before anything but the offer and the issuer's metadata has
/// been fetched (no PIN needed, nothing written).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OfferPreview {
    /// The credential issuer identifier (its `https://` URL): the one thing the offer proves,
    /// since the metadata and the credentials come from it.
    pub credential_issuer: String,
    /// The issuer's display name from its own metadata. This is the issuer's own claim: any
    /// server can call itself anything. Show it as such ("says it is …") unless the app has
    /// checked `credentialIssuer` against a trust list.
    pub issuer_name: Option<String>,
    /// The credentials offered.
    pub credentials: Vec<OfferedCredential>,
    /// Whether a transaction code must be typed (it comes by another channel: SMS, the
    /// desk's screen).
    pub tx_code_required: bool,
    /// The transaction code's form and the issuer's hint, when one is required.
    pub tx_code: Option<TxCodeRequest>,
    /// The most copies per credential the issuer gives at once.
    pub issuer_batch_size: u32,
}

/// A credential received, imported as one record with its copies.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FetchedCredential {
    /// The credential as listed (its display metadata carries the issuer's labels).
    pub summary: CredentialSummary,
    /// How many one-time copies arrived (each bound to its own new holder key).
    pub copies: u32,
}

fn preview_of(preview: &client::OfferPreview) -> Result<OfferPreview, OnlineIssuanceError> {
    let credentials = preview
        .credentials
        .iter()
        .map(|c| {
            let format = match c.format.as_str() {
                FORMAT_SD_JWT => CredentialFormat::SdJwt,
                FORMAT_MDOC => CredentialFormat::Mdoc,
                // `preview` checked every configuration; this is a bug if it happens.
                other => {
                    return Err(OnlineIssuanceError::UnsupportedConfiguration {
                        id: c.configuration_id.clone(),
                        reason: format!("format '{other}'"),
                    });
                }
            };
            Ok(OfferedCredential {
                configuration_id: c.configuration_id.clone(),
                format,
                credential_type: c.credential_type.clone(),
                name: c.name.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OfferPreview {
        credential_issuer: preview.offer.credential_issuer.clone(),
        issuer_name: preview.issuer_name.clone(),
        credentials,
        tx_code_required: preview.tx_code.is_some(),
        tx_code: preview.tx_code.as_ref().map(|spec| TxCodeRequest {
            numeric: spec.input_mode.as_deref().unwrap_or("numeric") == "numeric",
            length: spec.length,
            description: spec.description.clone(),
        }),
        issuer_batch_size: u32::try_from(preview.metadata.batch_size()).unwrap_or(u32::MAX),
    })
}

/// Only `https://` issuers: the bindings do not offer the CLI's `--allow-http`.
fn options(batch_size: usize, now: i64) -> FetchOptions {
    FetchOptions {
        batch_size,
        allow_http: false,
        now,
        // The copies carry their issuer's certificate chain; trust is the verifier's call.
        issuer_keys: Vec::new(),
    }
}

/// Online issuance. `offerUri` is an `openid-credential-offer://` link (from a QR code or a
/// deep link), by value or by reference. Only `https://` issuers are accepted.
#[uniffi::export]
impl Wallet {
    /// Resolves an offer (fetching it when by reference) and the issuer's metadata, and checks
    /// that this wallet can take every credential offered. Needs no PIN and writes nothing.
    pub async fn preview_credential_offer(
        &self,
        offer_uri: String,
        transport: Arc<dyn HttpTransport>,
    ) -> Result<OfferPreview, OnlineIssuanceError> {
        let now = self.now();
        blocking::run(move || {
            let transport = AppTransport(transport);
            let preview = client::preview(&transport, &offer_uri, &options(1, now))?;
            preview_of(&preview)
        })
        .await
    }

    /// Runs the whole flow: the offer and metadata, the token (with `txCode` when the offer
    /// asks for one), a nonce, one key proof per new holder key, then imports every offered
    /// credential as one record holding its copies, all or none.
    ///
    /// `batchSize`: copies per credential, 1 to 20, cut to the issuer's batch size; `null` /
    /// `nil` asks for as many as the issuer gives. Needs the wallet unlocked (checked before
    /// the transaction code is sent, so a locked wallet does not spend the offer). After any
    /// error the wallet is as it was; a wrong transaction code is `TokenRefused` with
    /// `OAuthErrorCode.InvalidGrant` (the issuer withdraws the offer after 5).
    pub async fn fetch_credential(
        &self,
        offer_uri: String,
        tx_code: Option<String>,
        batch_size: Option<u32>,
        transport: Arc<dyn HttpTransport>,
    ) -> Result<Vec<FetchedCredential>, OnlineIssuanceError> {
        let now = self.now();
        let batch = match batch_size {
            None => MAX_BATCH,
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let options = options(batch, now);
        let transport = AppTransport(transport);
        // The offer and the metadata first, without holding the wallet.
        let (preview, transport, options) = blocking::run(move || {
            let preview = client::preview(&transport, &offer_uri, &options)?;
            Ok::<_, OnlineIssuanceError>((preview, transport, options))
        })
        .await?;
        self.with_store(move |store| {
            if store.is_locked() {
                return Err(OnlineIssuanceError::Locked);
            }
            let summaries =
                client::accept(store, &transport, &preview, tx_code.as_deref(), &options)?;
            Ok(summaries
                .into_iter()
                .map(|summary| FetchedCredential {
                    copies: summary.copies_total,
                    summary: summary.into(),
                })
                .collect())
        })
        .await
    }
}
