//! What the REST and CouchDB stores share around their servers: the saved copy and outbox a
//! visit starts from, and the browser events after which waiting writes go at once.

use super::local::local_storage;
use super::outbox::Outbox;
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use leptos::prelude::window;
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
