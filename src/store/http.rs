//! One HTTP exchange with a remote store: a request with the host's headers, aborted after
//! `TIMEOUT_MS`, answered with what the outbox and the poller need to decide what to do.

use super::outbox::{classify, Outcome};
use super::wire;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::window;
use wasm_bindgen::prelude::*;

/// A request that has not answered by then is abandoned (and retried later).
pub const TIMEOUT_MS: i32 = 10_000;

#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub etag: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HttpError {
    /// No answer: offline, refused, DNS, CORS.
    Network(String),
    Timeout,
}

/// How a GET may use validators (ETag) to be answered cheaply with 304.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Revalidate<'a> {
    /// A write, or a read that must go to the server in full.
    Never,
    /// We could read the ETag: send it ourselves and see the 304.
    IfNoneMatch(&'a str),
    /// We could not (a cross-origin ETag is hidden unless the server exposes it): the
    /// browser's HTTP cache sends its own If-None-Match and turns a 304 into the cached body.
    ByBrowser,
}

/// A 2xx answer, or how the exchange failed as far as the outbox is concerned. `now` is
/// Unix milliseconds, for a `Retry-After` date.
pub fn outcome(result: Result<HttpResponse, HttpError>, now: f64) -> Result<HttpResponse, Outcome> {
    match result {
        Ok(response) if (200..300).contains(&response.status) => Ok(response),
        Ok(response) => Err(classify(
            response.status,
            response.retry_after.as_deref(),
            wire::server_message(&response.body),
            now,
        )),
        Err(HttpError::Timeout) => Err(Outcome::timeout()),
        Err(HttpError::Network(reason)) => {
            web_sys::console::warn_1(&format!("Colloquy: a request failed: {reason}").into());
            Err(Outcome::network())
        }
    }
}

/// Sends one request, abandoned after `TIMEOUT_MS`. `body` is JSON.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
    revalidate: Revalidate<'_>,
) -> Result<HttpResponse, HttpError> {
    send_within(method, url, headers, body, revalidate, TIMEOUT_MS).await
}

/// As `send`, abandoned after `timeout_ms` (a change feed that waits on the server for news).
pub async fn send_within(
    method: Method,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
    revalidate: Revalidate<'_>,
    timeout_ms: i32,
) -> Result<HttpResponse, HttpError> {
    let controller = web_sys::AbortController::new()
        .map_err(|_| HttpError::Network("no AbortController".into()))?;
    let abort = {
        let controller = controller.clone();
        Closure::once_into_js(move || controller.abort())
    };
    let timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), timeout_ms)
        .ok();
    let cache = match revalidate {
        Revalidate::ByBrowser => web_sys::RequestCache::NoCache,
        Revalidate::Never | Revalidate::IfNoneMatch(_) => web_sys::RequestCache::NoStore,
    };
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .abort_signal(Some(&controller.signal()))
        .cache(cache);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if let Revalidate::IfNoneMatch(tag) = revalidate {
        builder = builder.header("If-None-Match", tag);
    }
    let request = match body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json.to_owned()),
        None => builder.build(),
    }
    .map_err(|e| HttpError::Network(e.to_string()))?;
    let outcome = async {
        let response = request.send().await?;
        let text = response.text().await?;
        Ok::<_, gloo_net::Error>((response, text))
    }
    .await;
    if let Some(timer) = timer {
        window().clear_timeout_with_handle(timer);
    }
    let (response, text) = match outcome {
        Ok(answer) => answer,
        Err(_) if controller.signal().aborted() => return Err(HttpError::Timeout),
        Err(error) => return Err(HttpError::Network(error.to_string())),
    };
    let headers = response.headers();
    Ok(HttpResponse {
        status: response.status(),
        etag: headers.get("ETag"),
        retry_after: headers.get("Retry-After"),
        body: text,
    })
}
