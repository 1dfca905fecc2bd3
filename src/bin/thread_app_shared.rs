//! The thread module of a site whose comments the class shares (config.json's store is REST
//! or CouchDB): the same exports as `thread_app`, with every store, and the posts published
//! in the app, which only a shared store keeps.

#[path = "shared/thread_exports.rs"]
mod thread_exports;

use colloquy::content::published::PostForReader;
use colloquy::web::{fetch, published};
use wasm_bindgen::prelude::*;

const OPEN_STORE: colloquy::store::StoreOpener = colloquy::store::open_any;

fn main() {
    // Panic messages in the console while developing; a release build carries no hook.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// The readable posts published in the app, newest first, as JSON (`Vec<PublishedPost>`).
#[wasm_bindgen]
pub async fn published_posts() -> Result<String, JsValue> {
    let config = fetch::config().await?;
    let posts = published::list(&config)
        .await
        .map_err(|error| error.to_string())?;
    serde_json::to_string(&posts).map_err(|error| error.to_string().into())
}

/// The readable post published as `slug`, with whether this browser published it, as JSON
/// (`PostForReader`); null when there is none.
#[wasm_bindgen]
pub async fn published_post(slug: String) -> Result<Option<String>, JsValue> {
    let config = fetch::config().await?;
    let found = published::get(&config, &slug)
        .await
        .map_err(|error| error.to_string())?;
    let Some(post) = found.filter(|post| post.is_readable()) else {
        return Ok(None);
    };
    let mine = published::is_mine(&post);
    serde_json::to_string(&PostForReader { post, mine })
        .map(Some)
        .map_err(|error| error.to_string().into())
}
