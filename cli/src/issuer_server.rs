//! `laissez issuer serve`: the OpenID4VCI handlers of `wallet_core::openid4vci::issuer`
//! behind a real HTTP/1.1 server on hyper 1 and a current-thread tokio runtime. Request bodies
//! are bounded, headers must arrive within 10 seconds, and the server never redirects.
//!
//! The pending offers live in the server's encrypted store; before each request that needs
//! them they are read again (so offers made meanwhile by `issuer offer-online` count), and
//! after each request that changed them they are written back.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use wallet_core::openid4vci::http::MAX_REQUEST_BODY;
use wallet_core::openid4vci::issuer::{IssuanceState, IssuerService, handle};
use wallet_core::openid4vci::{ErrorCode, HttpMethod, HttpRequest, HttpResponse};
use wallet_core::store::WalletStore;

use crate::exit::{CliError, CliResult};
use crate::{offer_store, unix_time};

struct Shared {
    state: IssuanceState,
    store: WalletStore,
    service: IssuerService,
}

/// Runs the server until the process is stopped (Ctrl-C) or `stop_after` has passed. Prints `listening on http://ADDR` first.
pub fn serve(
    listen: SocketAddr,
    service: IssuerService,
    store: WalletStore,
    stop_after: Option<Duration>,
) -> CliResult {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("tokio runtime: {e}")))?;
    let shared = Arc::new(Mutex::new(Shared {
        state: IssuanceState::default(),
        store,
        service,
    }));
    runtime.block_on(async move {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| CliError::BadInput(format!("cannot listen on {listen}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| CliError::Failed(e.to_string()))?;
        {
            use std::io::Write;
            let mut out = std::io::stdout();
            writeln!(out, "listening on http://{local}")?;
            out.flush()?;
        }
        // Ctrl-C ends the process (SQLite in WAL keeps the store whole); --stop-after ends
        // the loop (no signal handling or select!: fewer tokio features to compile).
        let deadline = stop_after.map(|after| tokio::time::Instant::now() + after);
        loop {
            let accepted = match deadline {
                Some(deadline) => {
                    match tokio::time::timeout_at(deadline, listener.accept()).await {
                        Ok(accepted) => accepted,
                        Err(_) => break,
                    }
                }
                None => listener.accept().await,
            };
            let Ok((stream, _)) = accepted else { continue };
            let shared = shared.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let shared = shared.clone();
                    async move { Ok::<_, Infallible>(respond(&shared, request).await) }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(10))
                    .max_buf_size(64 * 1024)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
        Ok(())
    })
}

fn to_hyper(response: HttpResponse) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(response.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

async fn respond(shared: &Mutex<Shared>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = match request.method().as_str() {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        _ => {
            return to_hyper(HttpResponse {
                status: 405,
                headers: vec![("allow".into(), "GET, POST".into())],
                body: Vec::new(),
            });
        }
    };
    let path = request
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = match Limited::new(request.into_body(), MAX_REQUEST_BODY)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            let mut response =
                HttpResponse::error(ErrorCode::InvalidRequest, "request body too large");
            response.status = 413;
            return to_hyper(response);
        }
    };
    let Ok(mut guard) = shared.lock() else {
        return to_hyper(HttpResponse::json(500, &serde_json::json!({})));
    };
    let shared = &mut *guard;
    let url = format!("{}{}", origin(&shared.service.base_url), path);
    let request = HttpRequest {
        method,
        url,
        headers,
        body,
    };
    let needs_offers =
        !request.path().contains("/.well-known/") && !request.path().ends_with("/nonce");
    let before = if needs_offers {
        match offer_store::load(&shared.store) {
            Ok(before) => before,
            Err(_) => return to_hyper(HttpResponse::json(500, &serde_json::json!({}))),
        }
    } else {
        Default::default()
    };
    if needs_offers {
        shared.state.offers = before
            .iter()
            .map(|(code, (_, offer))| (code.clone(), offer.clone()))
            .collect();
    }
    let handled = handle(
        &mut shared.state,
        &shared.service,
        &request,
        unix_time::now(),
    );
    if needs_offers
        && handled.offers_changed
        && offer_store::save(&mut shared.store, &before, &shared.state.offers).is_err()
    {
        return to_hyper(HttpResponse::json(500, &serde_json::json!({})));
    }
    to_hyper(handled.response)
}

/// `scheme://authority` of a base URL.
fn origin(base_url: &str) -> String {
    let (scheme, rest) = base_url.split_once("://").unwrap_or(("http", base_url));
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}")
}
