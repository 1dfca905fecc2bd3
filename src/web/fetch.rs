//! Loads the site's content files with errors as values a reader can understand.

use crate::content::catalog::{Catalog, CatalogEntry};
use crate::content::front_matter::FrontMatter;
use crate::content::protocol::{Reply, Request};
use crate::content::Post;
use crate::i18n::fill;
use crate::model::comment::{parse_seed, Comment};
use crate::web::content_worker;
use gloo_net::http::Request as HttpRequest;
use std::fmt;

/// Why a content file could not be loaded, naming the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    NotFound { path: String },
    Status { path: String, status: u16 },
    Network { path: String, message: String },
    Malformed { path: String, message: String },
}

impl fmt::Display for LoadError {
    /// In the page's language; a malformed file's own message stays as its parser wrote it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = crate::web::locale::page();
        let text = match self {
            Self::NotFound { path } => fill(words.file_not_found, &[("path", path)]),
            Self::Status { path, status } => fill(
                words.file_status,
                &[("path", path), ("status", &status.to_string())],
            ),
            Self::Network { path, message } => fill(
                words.file_unreachable,
                &[("path", path), ("message", message)],
            ),
            Self::Malformed { message, .. } => message.clone(),
        };
        f.write_str(&text)
    }
}

/// Fetches a file under `content/` as text. Revalidates, so an author's edit shows at once.
pub async fn content_text(path: &str) -> Result<String, LoadError> {
    site_text(&format!("content/{path}")).await
}

/// Fetches a file of the site (relative to index.html) as text, revalidating.
pub async fn site_text(full: &str) -> Result<String, LoadError> {
    let full = full.to_owned();
    let network = |e: gloo_net::Error| LoadError::Network {
        path: full.clone(),
        message: e.to_string(),
    };
    let response = HttpRequest::get(&full)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(network)?;
    match response.status() {
        200..=299 => response.text().await.map_err(network),
        404 => Err(LoadError::NotFound { path: full }),
        status => Err(LoadError::Status { path: full, status }),
    }
}

/// Loads and validates `content/posts.json`.
pub async fn catalog() -> Result<Catalog, LoadError> {
    let json = content_text("posts.json").await?;
    Catalog::parse(&json).map_err(|e| LoadError::Malformed {
        path: "content/posts.json".into(),
        message: e.to_string(),
    })
}

fn malformed(path: &str, problem: impl fmt::Display) -> LoadError {
    LoadError::Malformed {
        path: format!("content/{path}"),
        message: format!("content/{path}: {problem}"),
    }
}

/// Loads a post's source and has the content worker parse its front matter and body.
pub async fn post(entry: &CatalogEntry) -> Result<Post, LoadError> {
    let source = content_text(&entry.source).await?;
    match content_worker::ask(Request::Post { source }).await {
        Ok(Reply::Post(parsed)) => parsed.map_err(|e| malformed(&entry.source, e)),
        other => Err(worker_failed(&entry.source, other)),
    }
}

/// Loads only what a post's card needs: its front matter.
pub async fn front_matter(entry: &CatalogEntry) -> Result<FrontMatter, LoadError> {
    let source = content_text(&entry.source).await?;
    match content_worker::ask(Request::FrontMatter { source }).await {
        Ok(Reply::FrontMatter(parsed)) => parsed.map_err(|e| malformed(&entry.source, e)),
        other => Err(worker_failed(&entry.source, other)),
    }
}

fn worker_failed(path: &str, answer: Result<Reply, String>) -> LoadError {
    let problem = answer
        .err()
        .unwrap_or_else(|| "the content parser gave an unexpected answer".into());
    malformed(path, problem)
}

/// Loads a post's seed comments; a post without a comments file has none.
pub async fn seed_comments(entry: &CatalogEntry) -> Result<Vec<Comment>, LoadError> {
    seed_comments_at(entry.comments.as_deref()).await
}

/// Loads the seed comments file at `path` (relative to `content/`), if there is one.
pub async fn seed_comments_at(path: Option<&str>) -> Result<Vec<Comment>, LoadError> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let json = content_text(path).await?;
    parse_seed(&json).map_err(|e| malformed(path, e))
}

thread_local! {
    /// `config.json` as fetched once for the page: its text, null when there is none.
    static CONFIG_TEXT: std::cell::RefCell<Option<js_sys::Promise>> =
        const { std::cell::RefCell::new(None) };
}

/// Takes `config.json` as the page already read it (`assets/post.js` reads it to choose the
/// thread module): its text, or null when there is none.
pub fn use_fetched_config(text: wasm_bindgen::JsValue) {
    CONFIG_TEXT.with_borrow_mut(|slot| *slot = Some(js_sys::Promise::resolve(&text)));
}

/// `config.json`'s text, `None` when there is none. Fetched once per page however many
/// parts ask (a thread, every post card's count, the published posts).
pub async fn config_text() -> Result<Option<String>, String> {
    let text = CONFIG_TEXT.with_borrow_mut(|slot| {
        slot.get_or_insert_with(|| {
            wasm_bindgen_futures::future_to_promise(async {
                match site_text("config.json").await {
                    Ok(json) => Ok(wasm_bindgen::JsValue::from_str(&json)),
                    Err(LoadError::NotFound { .. }) => Ok(wasm_bindgen::JsValue::NULL),
                    Err(error) => Err(wasm_bindgen::JsValue::from_str(&error.to_string())),
                }
            })
        })
        .clone()
    });
    match wasm_bindgen_futures::JsFuture::from(text).await {
        Ok(json) => Ok(json.as_string()),
        Err(error) => Err(error
            .as_string()
            .unwrap_or_else(|| "config.json could not be loaded".into())),
    }
}

/// The host's `config.json`: the defaults when there is none, an error when it is wrong.
pub async fn config() -> Result<crate::config::Config, String> {
    match config_text().await? {
        Some(json) => crate::config::parse(&json),
        None => Ok(crate::config::Config::default()),
    }
}
