//! HTTP as the core sees it: plain request and response values, and the [`HttpTransport`]
//! the app brings (its own HTTP stack; the CLI's is on tokio). The transport must not follow
//! redirects, must time out, and must stop reading a body over [`MAX_RESPONSE_BODY`]; the
//! core checks status, size and JSON again whatever the transport did.

use serde::de::DeserializeOwned;

pub use super::error::TransportError;
use super::error::{Endpoint, ErrorCode, ErrorResponse, Oid4vciError, Oid4vciResult, printable};

/// The largest response body the wallet reads (a batch of credentials with portraits).
pub const MAX_RESPONSE_BODY: usize = 2 * 1024 * 1024;
/// The largest request body an issuer reads.
pub const MAX_REQUEST_BODY: usize = 256 * 1024;
/// The time a transport should allow one exchange, seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl HttpMethod {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// A request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: HttpMethod,
    /// The absolute URL.
    pub url: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body (empty for GET).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A GET of `url` accepting JSON.
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            method: HttpMethod::Get,
            url: url.into(),
            headers: vec![("accept".into(), "application/json".into())],
            body: Vec::new(),
        }
    }

    /// A POST of `body` with `content_type` to `url`, accepting JSON.
    pub fn post(url: impl Into<String>, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            method: HttpMethod::Post,
            url: url.into(),
            headers: vec![
                ("accept".into(), "application/json".into()),
                ("content-type".into(), content_type.into()),
            ],
            body,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }

    /// The path of the URL (from the first `/` after the authority, without the query).
    pub fn path(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, rest)| rest);
        let path = rest.find('/').map_or("/", |i| rest.get(i..).unwrap_or("/"));
        path.split(['?', '#']).next().unwrap_or("/")
    }
}

/// A response received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A JSON response with `status`, `Cache-Control: no-store`.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("cache-control".into(), "no-store".into()),
            ],
            body: serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec()),
        }
    }

    /// An error response: the code's status and `{"error", "error_description"}`.
    pub fn error(code: ErrorCode, description: &str) -> Self {
        let mut response = Self::json(
            code.http_status(),
            &ErrorResponse::new(code.clone(), description),
        );
        if code == ErrorCode::InvalidToken {
            response.headers.push((
                "www-authenticate".into(),
                format!("Bearer error=\"invalid_token\", error_description=\"{description}\""),
            ));
        }
        response
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sends HTTP requests for the wallet. Implemented by the app (its own HTTP stack, through a
/// foreign trait in the bindings) or the CLI (tokio). Must not follow redirects; should time
/// out after about [`DEFAULT_TIMEOUT_SECS`]; must not read more than [`MAX_RESPONSE_BODY`].
pub trait HttpTransport {
    /// Sends one request and returns the response, whatever its status.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Sends `request` and checks the response: a transport failure, a redirect, a body over the
/// limit, an error response (`{"error": …}` with a 4xx status, given to `refused`) or any
/// other non-2xx status become typed errors; a 2xx body must be the JSON of `T`.
pub(crate) fn exchange<T: DeserializeOwned>(
    transport: &dyn HttpTransport,
    endpoint: Endpoint,
    request: HttpRequest,
    refused: &dyn Fn(ErrorCode, Option<String>) -> Oid4vciError,
) -> Oid4vciResult<T> {
    let response = transport.send(request).map_err(|error| match error {
        TransportError::Redirect { status } => Oid4vciError::RedirectRefused { endpoint, status },
        TransportError::BodyTooLarge { limit } => Oid4vciError::BodyTooLarge { endpoint, limit },
        error => Oid4vciError::Transport { endpoint, error },
    })?;
    if response.body.len() > MAX_RESPONSE_BODY {
        return Err(Oid4vciError::BodyTooLarge {
            endpoint,
            limit: MAX_RESPONSE_BODY,
        });
    }
    match response.status {
        200..=299 => parse_json(endpoint, &response.body),
        300..=399 => Err(Oid4vciError::RedirectRefused {
            endpoint,
            status: response.status,
        }),
        400..=499 => match serde_json::from_slice::<ErrorResponse>(&response.body) {
            Ok(error) => Err(refused(
                error.code(),
                error
                    .error_description
                    .as_deref()
                    .map(|d| printable(d, 200)),
            )),
            Err(_) => match bearer_error(&response) {
                Some(code) => Err(refused(code, None)),
                None => Err(Oid4vciError::HttpStatus {
                    endpoint,
                    status: response.status,
                }),
            },
        },
        status => Err(Oid4vciError::HttpStatus { endpoint, status }),
    }
}

/// RFC 6750 s3: an error in `WWW-Authenticate: Bearer error="…"`.
fn bearer_error(response: &HttpResponse) -> Option<ErrorCode> {
    let value = response.header("www-authenticate")?;
    let start = value.find("error=\"")? + 7;
    let rest = value.get(start..)?;
    let end = rest.find('"')?;
    rest.get(..end).map(ErrorCode::parse)
}

/// Parses a JSON body as `T`, with a typed error naming the endpoint.
pub(crate) fn parse_json<T: DeserializeOwned>(endpoint: Endpoint, body: &[u8]) -> Oid4vciResult<T> {
    let value =
        laissez_formats::jose::json::parse(body).map_err(|_| Oid4vciError::MalformedJson {
            endpoint,
            reason: "not strict JSON (syntax, duplicate member or nesting)".into(),
        })?;
    serde_json::from_value(value).map_err(|e| Oid4vciError::MalformedJson {
        endpoint,
        reason: schema_reason(&e),
    })
}

/// A serde error's message without the input (serde_json messages name fields and types,
/// not values, except for `invalid value: string "…"`, which is cut).
fn schema_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let cut = text
        .find(": string \"")
        .map_or(text.as_str(), |i| text.get(..i).unwrap_or(""));
    printable(cut, 160)
}
