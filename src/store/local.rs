//! The default store: the thread kept in this browser's localStorage, live across its tabs
//! through the `storage` event, and in memory when storage cannot be used.

use super::{Change, Events, Loaded, Store, StoreError, StoreNotice, Subscription};
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use leptos::prelude::window;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{Storage, StorageEvent};

const PREFIX: &str = "colloquy:thread:";

/// The localStorage key of a post's thread.
pub fn thread_key(post_id: &str) -> String {
    format!("{PREFIX}{post_id}")
}

/// The browser's localStorage, or `None` where using it throws (sandboxed frames, some
/// private modes) or it is missing.
pub fn local_storage() -> Option<Storage> {
    let storage = window().local_storage().ok().flatten()?;
    // Some browsers hand out a storage object that throws on first use.
    storage.get_item("colloquy:probe").ok()?;
    Some(storage)
}

#[derive(Default)]
pub struct LocalStore {
    /// Where the thread lives when localStorage cannot be used.
    memory: RefCell<HashMap<String, ThreadData>>,
}

impl LocalStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self, storage: &Storage, post_id: &str) -> Result<ThreadData, (String, String)> {
        let key = thread_key(post_id);
        match storage.get_item(&key).ok().flatten() {
            None => Ok(ThreadData::default()),
            Some(json) => schema::load(&json, post_id).map_err(|e| (json, e.to_string())),
        }
    }

    /// Moves unreadable data to a new backup key; never overwrites an earlier backup.
    fn set_aside(storage: &Storage, post_id: &str, json: &str) -> String {
        let stamp = js_sys::Date::now() as u64;
        let mut backup_key = format!("{}:backup:{stamp}", thread_key(post_id));
        let mut attempt = 1;
        while storage.get_item(&backup_key).ok().flatten().is_some() {
            attempt += 1;
            backup_key = format!("{}:backup:{stamp}-{attempt}", thread_key(post_id));
        }
        if storage.set_item(&backup_key, json).is_ok() {
            let _ = storage.remove_item(&thread_key(post_id));
        }
        backup_key
    }
}

fn is_quota_error(error: &JsValue) -> bool {
    error
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22)
}

impl Store for LocalStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        let Some(storage) = local_storage() else {
            let memory = self.memory.borrow();
            let data = memory.get(post_id).cloned().unwrap_or_default();
            return Loaded {
                data: merge(seed, &data),
                notice: Some(StoreNotice::MemoryOnly),
            };
        };
        match self.read(&storage, post_id) {
            Ok(stored) => Loaded {
                data: merge(seed, &stored),
                notice: None,
            },
            Err((json, reason)) => Loaded {
                data: seed.clone(),
                notice: Some(StoreNotice::SetAside {
                    backup_key: Self::set_aside(&storage, post_id, &json),
                    reason,
                }),
            },
        }
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<ThreadData, StoreError> {
        let Some(storage) = local_storage() else {
            let mut memory = self.memory.borrow_mut();
            let current = memory.entry(post_id.to_owned()).or_default();
            *current = merge(current, &change.as_data());
            return Ok(current.clone());
        };
        // Read again right before writing: another tab may have written since we loaded.
        let stored = match self.read(&storage, post_id) {
            Ok(stored) => stored,
            Err((json, _)) => {
                Self::set_aside(&storage, post_id, &json);
                ThreadData::default()
            }
        };
        let updated = merge(&stored, &change.as_data());
        match storage.set_item(&thread_key(post_id), &schema::save(&updated, post_id)) {
            Ok(()) => Ok(updated),
            Err(error) if is_quota_error(&error) => Err(StoreError::QuotaExceeded),
            Err(error) => Err(StoreError::Failed(
                error
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "the browser refused to save it".into()),
            )),
        }
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        let on_change = events.on_change;
        let key = thread_key(post_id);
        let post_id = post_id.to_owned();
        let listener = Closure::<dyn Fn(StorageEvent)>::new(move |event: StorageEvent| {
            if event.key().as_deref() != Some(key.as_str()) {
                return;
            }
            let data = event
                .new_value()
                .and_then(|json| schema::load(&json, &post_id).ok())
                .unwrap_or_default();
            on_change(data);
        });
        let window = window();
        let _ =
            window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        Subscription::new(move || {
            let _ = window
                .remove_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        })
    }
}
