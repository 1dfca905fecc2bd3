//! What the REST and CouchDB stores share around their servers: the saved copy and outbox a
//! visit starts from and keeps up, and the browser events after which waiting writes go at once.

use super::local::local_storage;
use super::outbox::Outbox;
use super::StoreError;
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use leptos::prelude::window;
use std::collections::HashSet;
use wasm_bindgen::prelude::*;

/// The thread as this browser last saw it (under `cache_key`), with the writes still in its
/// outbox (under `outbox_key`) merged in, and that outbox, ready to send again.
pub fn restore(post_id: &str, cache_key: &str, outbox_key: &str) -> (ThreadData, Outbox) {
    let mut cache = ThreadData::default();
    let mut outbox = Outbox::default();
    if let Some(storage) = local_storage() {
        if let Some(json) = storage.get_item(cache_key).ok().flatten() {
            cache = schema::load(&json, post_id).unwrap_or_default();
        }
        if let Some(json) = storage.get_item(outbox_key).ok().flatten() {
            outbox = serde_json::from_str(&json).unwrap_or_default();
            // A tab closed mid-send left entries "sending": send them again.
            outbox.recover_after_restart();
        }
    }
    let pending = ThreadData {
        comments: outbox.pending_comments(),
        likes: outbox.pending_likes(),
    };
    (merge(&cache, &pending), outbox)
}

/// Keeps the outbox (under `outbox_key`) and the thread (under `cache_key`) in this browser.
/// Entries another tab of this browser saved and this one does not hold are taken over rather
/// than overwritten (see `Outbox::adopt`; `sent` are those this tab delivered): sending is
/// idempotent, so two tabs sending one entry do no harm. The cache is a convenience: a full
/// storage must not stop a write, the outbox must.
pub fn save(
    post_id: &str,
    cache_key: &str,
    outbox_key: &str,
    outbox: &mut Outbox,
    sent: &HashSet<String>,
    cache: &ThreadData,
) -> Result<(), StoreError> {
    let Some(storage) = local_storage() else {
        return Ok(());
    };
    let stored = storage
        .get_item(outbox_key)
        .ok()
        .flatten()
        .and_then(|json| serde_json::from_str::<Outbox>(&json).ok());
    if let Some(stored) = stored {
        outbox.adopt(stored, sent);
    }
    let json = serde_json::to_string(outbox).unwrap_or_default();
    storage
        .set_item(outbox_key, &json)
        .map_err(|_| StoreError::QuotaExceeded)?;
    let _ = storage.set_item(cache_key, &schema::save(cache, post_id));
    Ok(())
}

/// Back online, back in view, or focused again: a good moment to send what waits.
const WAKE_EVENTS: [&str; 3] = ["online", "focus", "visibilitychange"];

/// Calls `wake` on each of `WAKE_EVENTS` until `stop` is called.
pub fn on_wake_events(wake: impl Fn() + 'static) -> impl FnOnce() {
    let wake = Closure::<dyn Fn()>::new(wake);
    let window = window();
    for event in WAKE_EVENTS {
        let _ = window.add_event_listener_with_callback(event, wake.as_ref().unchecked_ref());
    }
    move || {
        for event in WAKE_EVENTS {
            let _ =
                window.remove_event_listener_with_callback(event, wake.as_ref().unchecked_ref());
        }
    }
}
