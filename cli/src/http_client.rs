//! The CLI's [`HttpTransport`]: one HTTP/1.1 exchange per request on hyper's client, over
//! TCP or TLS (rustls on ring, the Mozilla roots from `webpki-roots`), on a current-thread
//! tokio runtime of its own. Redirects are never followed (a 3xx is returned as
//! [`TransportError::Redirect`]), every exchange has a deadline, and a body is read only up to
//! [`MAX_RESPONSE_BODY`].

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore, pki_types::ServerName};
use wallet_core::openid4vci::http::MAX_RESPONSE_BODY;
use wallet_core::openid4vci::{HttpRequest, HttpResponse, HttpTransport, TransportError};

/// HTTP over tokio for `laissez wallet fetch-credential`.
pub struct TokioTransport {
    runtime: tokio::runtime::Runtime,
    timeout: Duration,
    body_limit: usize,
    tls: Arc<ClientConfig>,
}

impl TokioTransport {
    /// A transport with a deadline of `timeout` per exchange.
    pub fn new(timeout: Duration) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        // rustls marks its ring provider deprecated because ring has no post-quantum key
        // exchange; ring is still the project's one crypto library (aws-lc is not wanted:
        // ADR 0019). X25519 and the NIST curves remain.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(std::io::Error::other)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self {
            runtime,
            timeout,
            body_limit: MAX_RESPONSE_BODY,
            tls: Arc::new(tls),
        })
    }
}

impl HttpTransport for TokioTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.runtime.block_on(async {
            match tokio::time::timeout(self.timeout, exchange(request, &self.tls, self.body_limit))
                .await
            {
                Ok(result) => result,
                Err(_) => Err(TransportError::Timeout),
            }
        })
    }
}

fn connection(error: impl std::fmt::Display) -> TransportError {
    TransportError::Connection(error.to_string())
}

async fn exchange(
    request: HttpRequest,
    tls: &Arc<ClientConfig>,
    body_limit: usize,
) -> Result<HttpResponse, TransportError> {
    let uri: Uri = request
        .url
        .parse()
        .map_err(|_| TransportError::InvalidUrl("not a URL".into()))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(TransportError::InvalidUrl("not http or https".into())),
    };
    let host = uri
        .host()
        .ok_or_else(|| TransportError::InvalidUrl("no host".into()))?
        .to_owned();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let bare_host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let stream = TcpStream::connect((bare_host.as_str(), port))
        .await
        .map_err(connection)?;
    let path = uri
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let authority = uri
        .authority()
        .map_or(host.clone(), |a| a.as_str().to_owned());
    let mut builder = Request::builder()
        .method(request.method.as_str())
        .uri(path)
        .header("host", authority)
        .header("user-agent", "laissez");
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let hyper_request = builder
        .body(Full::new(Bytes::from(request.body)))
        .map_err(connection)?;
    let response = if https {
        let name = ServerName::try_from(bare_host)
            .map_err(|_| TransportError::InvalidUrl("bad host name".into()))?;
        let tls_stream = TlsConnector::from(tls.clone())
            .connect(name, stream)
            .await
            .map_err(connection)?;
        send_on(TokioIo::new(tls_stream), hyper_request).await?
    } else {
        send_on(TokioIo::new(stream), hyper_request).await?
    };
    let status = response.status().as_u16();
    if (300..400).contains(&status) {
        return Err(TransportError::Redirect { status });
    }
    let headers = response
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = Limited::new(response.into_body(), body_limit)
        .collect()
        .await
        .map_err(|e| {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                TransportError::BodyTooLarge { limit: body_limit }
            } else {
                connection(e)
            }
        })?
        .to_bytes()
        .to_vec();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

async fn send_on<T>(
    io: TokioIo<T>,
    request: Request<Full<Bytes>>,
) -> Result<hyper::Response<hyper::body::Incoming>, TransportError>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection_task) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(connection)?;
    tokio::spawn(async move {
        let _ = connection_task.await;
    });
    sender.send_request(request).await.map_err(connection)
}
