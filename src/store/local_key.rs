//! The local store's fallback where IndexedDB cannot be opened: the thread as one localStorage
//! key (`colloquy:thread:<post>`, schema v2), live across tabs through the `storage` event
//! (which this store turns into the records that changed), and in memory when localStorage
//! cannot be used either.

use super::local::{is_quota_error, local_storage, thread_key};
use super::{Change, Events, Loaded, Store, StoreError, StoreNotice, Subscription};
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use leptos::prelude::window;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Storage, StorageEvent};

/// One post's thread as this tab last read or wrote it, with the text it was read from: a
/// write reads the key again (another tab may have written since) but parses it again only if
/// the text is not the one this tab knows.
#[derive(Default)]
struct Known {
    json: Option<String>,
    data: ThreadData,
}

#[derive(Default)]
pub struct KeyStore {
    /// Each post's thread as this tab knows it (also where it lives when localStorage cannot
    /// be used), shared with the subscription that follows other tabs.
    known: Rc<RefCell<HashMap<String, Known>>>,
}

impl KeyStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings `known` up to the stored text; text that does not parse is the error, with why.
    fn refresh(
        storage: &Storage,
        post_id: &str,
        known: &mut Known,
    ) -> Result<(), (String, String)> {
        let json = storage.get_item(&thread_key(post_id)).ok().flatten();
        if json == known.json {
            return Ok(());
        }
        let data = match &json {
            None => ThreadData::default(),
            Some(text) => schema::load(text, post_id).map_err(|e| (text.clone(), e.to_string()))?,
        };
        *known = Known { json, data };
        Ok(())
    }

    /// Moves unreadable data to a new backup key; never overwrites an earlier backup.
    pub fn set_aside(storage: &Storage, post_id: &str, json: &str) -> String {
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

impl Store for KeyStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        let mut all = self.known.borrow_mut();
        let known = all.entry(post_id.to_owned()).or_default();
        let Some(storage) = local_storage() else {
            return Loaded {
                data: merge(seed, &known.data),
                notice: Some(StoreNotice::MemoryOnly),
            };
        };
        match Self::refresh(&storage, post_id, known) {
            Ok(()) => Loaded {
                data: merge(seed, &known.data),
                notice: None,
            },
            Err((json, reason)) => {
                *known = Known::default();
                Loaded {
                    data: seed.clone(),
                    notice: Some(StoreNotice::SetAside {
                        backup_key: Self::set_aside(&storage, post_id, &json),
                        reason,
                    }),
                }
            }
        }
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError> {
        let mut all = self.known.borrow_mut();
        let known = all.entry(post_id.to_owned()).or_default();
        let Some(storage) = local_storage() else {
            change.apply_to(&mut known.data);
            return Ok(());
        };
        if let Err((json, _)) = Self::refresh(&storage, post_id, known) {
            Self::set_aside(&storage, post_id, &json);
            *known = Known::default();
        }
        if !change.apply_to(&mut known.data) {
            return Ok(());
        }
        let json = schema::save(&known.data, post_id);
        match storage.set_item(&thread_key(post_id), &json) {
            Ok(()) => {
                known.json = Some(json);
                Ok(())
            }
            Err(error) => {
                // Not saved: read the key again next time rather than trust this copy.
                known.json = None;
                known.data = ThreadData::default();
                if is_quota_error(&error) {
                    return Err(StoreError::QuotaExceeded);
                }
                Err(StoreError::Failed(
                    error
                        .dyn_ref::<js_sys::Error>()
                        .map(|e| String::from(e.message()))
                        .unwrap_or_else(|| "the browser refused to save it".into()),
                ))
            }
        }
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        let on_change = events.on_change;
        let key = thread_key(post_id);
        let post_id = post_id.to_owned();
        let all = self.known.clone();
        let listener = Closure::<dyn Fn(StorageEvent)>::new(move |event: StorageEvent| {
            if event.key().as_deref() != Some(key.as_str()) {
                return;
            }
            let Some(json) = event.new_value() else {
                return;
            };
            let Ok(stored) = schema::load(&json, &post_id) else {
                return;
            };
            let changed = {
                let mut all = all.borrow_mut();
                let known = all.entry(post_id.clone()).or_default();
                let changed = known.data.absorb(&stored);
                // What another tab wrote is a superset of what this tab knew only if nothing
                // of ours is missing from it; otherwise the next write reads the key again.
                known.json = (known.data == stored).then_some(json);
                changed
            };
            if !changed.is_empty() {
                on_change(Change::records(changed));
            }
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
