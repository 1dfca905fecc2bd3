//! Comment bodies this browser has rendered, kept in IndexedDB (database `colloquy-bodies`,
//! apart from the store's) so a second visit draws them without asking the content worker.
//! A convenience only: without IndexedDB, or when it is full, nothing is cached.

use crate::store::idb;
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

/// Bumped whenever what a comment body renders to changes (the Markdown profile, `Document`'s
/// shape), so bodies rendered by an older pipeline are not shown; the crate's version is in
/// the key as well.
pub const RENDERER_VERSION: u32 = 1;

const DATABASE: &str = "colloquy-bodies";
const STORE: &str = "bodies";
/// The index of entries by when they were written, oldest first: what is evicted.
const BY_TIME: &str = "written";
/// Entries kept at most; past this the oldest written go.
const MAX_ENTRIES: u32 = 5_000;

/// The key a body is cached under: its comment's render key (id and last change), a hash of
/// its text and the renderer's version, so a changed text or renderer misses.
pub fn cache_key(render_key: &str, body: &str) -> String {
    format!(
        "{render_key}#{:016x}#{}.{RENDERER_VERSION}",
        text_hash(body),
        env!("CARGO_PKG_VERSION")
    )
}

/// 64-bit FNV-1a: not for security, only so a different text gives a different key.
fn text_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

thread_local! {
    /// The database once opened: `Some(None)` where there is none.
    static OPENED: RefCell<Option<Option<IdbDatabase>>> = const { RefCell::new(None) };
}

/// Starts opening the database ahead of the first read.
pub fn warm_up() {
    wasm_bindgen_futures::spawn_local(async {
        database().await;
    });
}

/// The database, opened on first use. Two callers at once may both open it: harmless, and
/// the later connection is the one kept.
async fn database() -> Option<IdbDatabase> {
    if let Some(opened) = OPENED.with_borrow(Clone::clone) {
        return opened;
    }
    let opened = idb::open(DATABASE, 1, |database, _| {
        let store = database.create_object_store(STORE)?;
        store.create_index_with_str(BY_TIME, "t")?;
        Ok(())
    })
    .await
    .ok();
    OPENED.set(Some(opened.clone()));
    opened
}

/// The cached bodies of `keys` (from `cache_key`) as their `Document`s' JSON, read in one
/// transaction; `None` for each one not cached (or all, where there is no cache).
pub async fn read(keys: &[String]) -> Vec<Option<String>> {
    let mut found = vec![None; keys.len()];
    let Some(database) = database().await else {
        return found;
    };
    let Ok(transaction) = database.transaction_with_str(STORE) else {
        return found;
    };
    let Ok(store) = transaction.object_store(STORE) else {
        return found;
    };
    let requests: Vec<Option<IdbRequest>> = keys
        .iter()
        .map(|key| store.get(&JsValue::from_str(key)).ok())
        .collect();
    // Once the transaction is done, every request in it has its result.
    if idb::committed(&transaction).await.is_err() {
        return found;
    }
    for (slot, request) in found.iter_mut().zip(requests) {
        *slot = request
            .and_then(|request| request.result().ok())
            .filter(|value| value.is_object())
            .and_then(|value| Reflect::get(&value, &"d".into()).ok())
            .and_then(|json| json.as_string());
    }
    found
}

/// Caches bodies as `(cache_key, the Document's JSON)`, then evicts the oldest past
/// `MAX_ENTRIES`. Failures (a full disk, no IndexedDB) are ignored.
pub async fn write(entries: Vec<(String, String)>) {
    let Some(database) = database().await else {
        return;
    };
    let Some((transaction, store)) = writing(&database) else {
        return;
    };
    let now = JsValue::from_f64(js_sys::Date::now());
    for (key, json) in entries {
        let value = Object::new();
        let _ = Reflect::set(&value, &"d".into(), &JsValue::from_str(&json));
        let _ = Reflect::set(&value, &"t".into(), &now);
        let _ = store.put_with_key(&value, &JsValue::from_str(&key));
    }
    let count = store.count().ok();
    if idb::committed(&transaction).await.is_err() {
        return;
    }
    let count = count
        .and_then(|count| count.result().ok())
        .and_then(|count| count.as_f64())
        .unwrap_or(0.0) as u32;
    if count > MAX_ENTRIES {
        evict_oldest(&database, count - MAX_ENTRIES).await;
    }
}

/// A readwrite transaction on the bodies and its store.
fn writing(database: &IdbDatabase) -> Option<(web_sys::IdbTransaction, web_sys::IdbObjectStore)> {
    let transaction = database
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .ok()?;
    let store = transaction.object_store(STORE).ok()?;
    Some((transaction, store))
}

async fn evict_oldest(database: &IdbDatabase, how_many: u32) {
    let Some((transaction, store)) = writing(database) else {
        return;
    };
    let Ok(oldest) = store
        .index(BY_TIME)
        .and_then(|index| index.get_all_keys_with_key_and_limit(&JsValue::NULL, how_many))
    else {
        return;
    };
    // The transaction is still active in the microtask after the request's event.
    if let Ok(keys) = idb::request(&oldest).await {
        for key in js_sys::Array::from(&keys).iter() {
            let _ = store.delete(&key);
        }
    }
    let _ = idb::committed(&transaction).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_follows_the_render_key_the_text_and_the_renderer() {
        let key = cache_key("c1@2024-01-01T00:00:00Z", "Hello *world*");
        assert_eq!(key, cache_key("c1@2024-01-01T00:00:00Z", "Hello *world*"));
        assert!(key.starts_with("c1@2024-01-01T00:00:00Z#"));
        assert!(key.ends_with(&format!(
            "#{}.{RENDERER_VERSION}",
            env!("CARGO_PKG_VERSION")
        )));
        assert_ne!(key, cache_key("c1@2024-01-02T00:00:00Z", "Hello *world*"));
        assert_ne!(key, cache_key("c2@2024-01-01T00:00:00Z", "Hello *world*"));
        assert_ne!(key, cache_key("c1@2024-01-01T00:00:00Z", "Hello *world*!"));
    }

    #[test]
    fn texts_that_differ_hash_apart() {
        let texts = [
            "", "a", "b", "ab", "ba", "Hello", "hello", "héllo", "hello ",
        ];
        let hashes: std::collections::HashSet<u64> = texts.iter().map(|t| text_hash(t)).collect();
        assert_eq!(hashes.len(), texts.len());
        // FNV-1a's offset basis for the empty text, and its known value for "a".
        assert_eq!(text_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(text_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
