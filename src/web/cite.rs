//! A post's citations on the page's side: its bibliography files, the reader's chosen style,
//! the formatted result cached in localStorage, and the citation worker when the cache misses.

use crate::cite::protocol::{
    cache_key, BibliographyFile, FormatReply, FormatRequest, NumberedCitation, StyleChoice,
    DEFAULT_STYLE,
};
use crate::content::catalog::CatalogEntry;
use crate::i18n::fill;
use crate::store::local::local_storage;
use crate::web::worker::{self, WorkerKind};
use crate::web::{fetch, locale};
use serde::{Deserialize, Serialize};

/// Trunk's loader for the `cite_worker` binary, next to index.html.
const CITE_WORKER: WorkerKind = WorkerKind {
    url: "./cite_worker_loader.js",
    name: "citation formatter",
};

/// Where the reader's chosen style is remembered (for every post).
const STYLE_KEY: &str = "colloquy:cite-style";

fn cache_slot(slug: &str) -> String {
    format!("colloquy:cite-cache:{slug}")
}

/// Where the first load finds last visit's label for each citation (kept apart from the
/// full result so the first load reads a short list, not the formatter's reply).
fn labels_slot(slug: &str) -> String {
    format!("colloquy:cite-labels:{slug}")
}

/// Last visit's label for each citation number, for the first paint.
pub fn cached_labels(slug: &str) -> Vec<(usize, String)> {
    local_storage()
        .and_then(|s| s.get_item(&labels_slot(slug)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

pub fn remember_labels(slug: &str, labels: &[(usize, String)]) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(labels)) {
        let _ = storage.set_item(&labels_slot(slug), &json);
    }
}

/// A post's last formatted result, with the key of the request it answered.
#[derive(Serialize, Deserialize)]
struct CacheEntry {
    key: String,
    reply: FormatReply,
}

/// The style to show a post in: the reader's remembered choice when it applies to this
/// post, else the post's own `csl:`, else APA.
pub fn style_for(post_csl: Option<&str>) -> String {
    let remembered = local_storage().and_then(|s| s.get_item(STYLE_KEY).ok().flatten());
    match remembered {
        Some(style) if !style.ends_with(".csl") || Some(style.as_str()) == post_csl => style,
        _ => post_csl.unwrap_or(DEFAULT_STYLE).to_owned(),
    }
}

pub fn remember_style(style: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(STYLE_KEY, style);
    }
}

/// Whatever this post's last visit formatted, shown with first paint until it is checked.
pub fn cached(slug: &str) -> Option<FormatReply> {
    let text = local_storage()?.get_item(&cache_slot(slug)).ok()??;
    serde_json::from_str::<CacheEntry>(&text)
        .ok()
        .map(|entry| entry.reply)
}

/// Loads what formatting needs: the bibliography files (but the one given `inline`, as text)
/// and a `.csl` style file. Files that cannot be loaded are left out, each with a problem for
/// the reader.
pub async fn request_for(
    entry: &CatalogEntry,
    bibliography: &[String],
    inline: Option<BibliographyFile>,
    style: &str,
    citations: Vec<NumberedCitation>,
) -> (FormatRequest, Vec<String>) {
    let mut problems = Vec::new();
    let mut bibliographies = Vec::new();
    for name in bibliography {
        if let Some(file) = inline.as_ref().filter(|file| &file.name == name) {
            bibliographies.push(file.clone());
            continue;
        }
        match fetch::content_text(&entry.resolve(name)).await {
            Ok(text) => bibliographies.push(BibliographyFile {
                name: name.clone(),
                text,
            }),
            Err(error) => problems.push(fill(
                locale::thread().bibliography_failed,
                &[("file", name), ("error", &error.to_string())],
            )),
        }
    }
    let style = if style.ends_with(".csl") {
        match fetch::content_text(&entry.resolve(style)).await {
            Ok(xml) => StyleChoice::Custom {
                name: style.to_owned(),
                xml,
            },
            Err(error) => {
                problems.push(fill(
                    locale::thread().style_failed,
                    &[("file", style), ("error", &error.to_string())],
                ));
                StyleChoice::Bundled(DEFAULT_STYLE.to_owned())
            }
        }
    } else {
        StyleChoice::Bundled(style.to_owned())
    };
    let request = FormatRequest {
        bibliographies,
        style,
        citations,
        locale: Some(locale::lang().tag().to_owned()),
        every_entry: false,
    };
    (request, problems)
}

/// Every entry of `file`, formatted in the default style, with any problem reading it: the
/// citation keys the post editor offers, and what it checks before publishing.
pub async fn every_entry(file: BibliographyFile) -> Result<FormatReply, String> {
    let request = FormatRequest {
        bibliographies: vec![file],
        style: StyleChoice::Bundled(DEFAULT_STYLE.to_owned()),
        citations: Vec::new(),
        locale: Some(locale::lang().tag().to_owned()),
        every_entry: true,
    };
    worker::ask(CITE_WORKER, request).await
}

/// A result the site's build formatted into the page (`colloquy build` writes one per
/// bundled style), by the key of the request it answers.
fn prerendered(key: &str) -> Option<FormatReply> {
    let json = leptos::prelude::document()
        .get_element_by_id("colloquy-formatted")?
        .text_content()?;
    let mut replies: std::collections::HashMap<String, FormatReply> =
        serde_json::from_str(&json).ok()?;
    replies.remove(key)
}

/// The formatted result: from the cache or the page when its key matches, else from the worker (and
/// then cached). With files missing, no key is called unknown: it may be in them.
pub async fn format(
    slug: &str,
    request: FormatRequest,
    files_missing: bool,
) -> Result<FormatReply, String> {
    let key = cache_key(&request);
    let storage = local_storage();
    let stored = storage
        .as_ref()
        .and_then(|s| s.get_item(&cache_slot(slug)).ok().flatten())
        .and_then(|text| serde_json::from_str::<CacheEntry>(&text).ok())
        .filter(|entry| entry.key == key);
    let mut reply = match stored
        .map(|entry| entry.reply)
        .or_else(|| prerendered(&key))
    {
        Some(reply) => reply,
        None => {
            let reply: FormatReply = worker::ask(CITE_WORKER, request).await?;
            if let (Some(storage), Ok(json)) = (
                storage,
                serde_json::to_string(&CacheEntry {
                    key,
                    reply: reply.clone(),
                }),
            ) {
                // A full storage only costs the next visit a formatting run.
                let _ = storage.set_item(&cache_slot(slug), &json);
            }
            reply
        }
    };
    if files_missing {
        for citation in &mut reply.citations {
            citation.unknown_keys.clear();
        }
    }
    Ok(reply)
}
