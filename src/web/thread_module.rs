//! The page's side of the thread module (`src/bin/thread_app.rs`, or `thread_app_shared.rs`
//! for a shared store): loads it once, after the post has painted, and calls its exports to
//! mount a thread or a comment count.

use crate::content::catalog::CatalogEntry;
use crate::content::front_matter::FrontMatter;
use crate::content::published::Bibliography;
use crate::web::location::post_href;
use crate::web::wasm_module;
use js_sys::{Array, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// The module's build for the host's store, as Trunk writes it (wasm-bindgen's no-modules
/// target, next to index.html): `thread_app` carries the local store only, so a site on the
/// default store downloads no remote one; `thread_app_shared` carries every store, and is also
/// the one that explains a config.json it cannot use. Read as `assets/post.js` reads it, with
/// the browser's JSON parser: the app's first load does not carry the config's parser.
async fn module_name() -> &'static str {
    let local = match crate::web::fetch::config_text().await {
        Ok(None) => true,
        Ok(Some(text)) => names_local_store(&text),
        Err(_) => false,
    };
    if local {
        "thread_app"
    } else {
        "thread_app_shared"
    }
}

/// Whether config.json's text keeps comments in each browser: no store, or kind "local".
fn names_local_store(text: &str) -> bool {
    let Ok(config) = js_sys::JSON::parse(text) else {
        return false;
    };
    match Reflect::get(&config, &"store".into()) {
        Ok(store) if store.is_falsy() => true,
        Ok(store) => Reflect::get(&store, &"kind".into())
            .ok()
            .and_then(|kind| kind.as_string())
            .is_some_and(|kind| kind == "local"),
        Err(_) => false,
    }
}

thread_local! {
    /// The thread module's exports: config.json is read, and the module chosen, once.
    static EXPORTS: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// The thread module's exports, loaded once for the page (every caller awaits the same load).
async fn exports() -> Result<JsValue, String> {
    let promise = EXPORTS.with_borrow_mut(|slot| {
        slot.get_or_insert_with(|| {
            future_to_promise(async {
                wasm_module::exports(module_name().await)
                    .await
                    .map_err(|error| JsValue::from_str(&error))
            })
        })
        .clone()
    });
    JsFuture::from(promise).await.map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "the comment thread could not be loaded".into())
    })
}

async fn call(name: &str, arguments: Array) -> Result<(), String> {
    wasm_module::call(&exports().await?, name, &arguments).map(|_| ())
}

fn optional(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

/// Mounts the thread of `entry` into `slot`; `count_label` is kept saying the count.
pub async fn mount_thread(
    slot: web_sys::HtmlElement,
    entry: &CatalogEntry,
    count_label: Option<web_sys::HtmlElement>,
) -> Result<(), String> {
    let arguments = Array::of4(
        &slot,
        &entry.slug.as_str().into(),
        &optional(entry.comments.as_deref()),
        &count_label.map_or(JsValue::UNDEFINED, Into::into),
    );
    call("mount_thread", arguments).await
}

/// Fills `slot` with a link to `entry`'s comments saying how many there are.
pub async fn mount_count(slot: web_sys::HtmlElement, entry: &CatalogEntry) -> Result<(), String> {
    let arguments = Array::of4(
        &slot,
        &entry.slug.as_str().into(),
        &optional(entry.comments.as_deref()),
        &format!("{}#comments", post_href(&entry.slug)).into(),
    );
    call("mount_count", arguments).await
}

/// Brings the citations of the post in `article` to life: popovers, formatting, the
/// bibliography (see `ui::bibliography`).
pub async fn mount_citations(
    article: web_sys::HtmlElement,
    entry: &CatalogEntry,
    meta: &FrontMatter,
    inline: Option<&Bibliography>,
) -> Result<(), String> {
    let bibliography = Array::new();
    for name in &meta.bibliography {
        bibliography.push(&name.as_str().into());
    }
    let arguments = Array::of5(
        &article,
        &entry.slug.as_str().into(),
        &entry.source.as_str().into(),
        &bibliography,
        &optional(meta.csl.as_deref()),
    );
    let inline = inline.and_then(|file| serde_json::to_string(file).ok());
    arguments.push(&optional(inline.as_deref()));
    call("mount_citations", arguments).await
}
