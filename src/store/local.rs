//! The default store, in this browser: its records (`record_store`) on IndexedDB where it can
//! be opened, else one localStorage key per record, else memory (which says so). A thread still
//! in the old single localStorage key is moved into the records on load, the key removed only
//! once they are written. Changes reach this browser's other tabs through a BroadcastChannel
//! carrying the change (IndexedDB), or as the `storage` event of the record's key. Also the
//! localStorage helpers the other stores share.

use super::key_records::KeyRecords;
use super::record_keys;
use super::record_store::Records;
use super::records::{self, Space};
use super::{Change, Events, Loaded, Store, StoreError, StoreNotice, Subscription};
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use leptos::prelude::window;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent, Storage, StorageEvent};

const PREFIX: &str = "colloquy:thread:";

/// The localStorage key a post's thread was kept under before it was kept per record (the
/// format the local store migrates from); also the name of its BroadcastChannel.
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
    /// Given (tests choose a backend), or else the page's.
    records: Option<Rc<Records>>,
    /// Each post's channel to the other tabs; one object sends and listens, so a tab does not
    /// hear its own changes.
    channels: RefCell<HashMap<String, Option<BroadcastChannel>>>,
}

impl LocalStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A store on the given records rather than the page's.
    pub fn on(records: Rc<Records>) -> Self {
        LocalStore {
            records: Some(records),
            channels: RefCell::default(),
        }
    }

    async fn records(&self) -> Rc<Records> {
        match &self.records {
            Some(records) => records.clone(),
            None => Records::shared().await,
        }
    }

    /// Moves the thread in the old localStorage key of `post_id` (if any) into its records,
    /// removing the key once they are written; keeps it if they could not be (nothing is lost,
    /// and the next load tries again), and returns what it holds to be shown meanwhile.
    /// Unreadable old data is set aside under a backup key, with the notice saying so.
    async fn migrate(
        &self,
        records: &Records,
        space: &Space,
    ) -> (Option<ThreadData>, Option<StoreNotice>) {
        let key = thread_key(&space.post_id);
        let Some((storage, json)) = local_storage().and_then(|storage| {
            let json = storage.get_item(&key).ok().flatten()?;
            Some((storage, json))
        }) else {
            return (None, None);
        };
        let old = match schema::load(&json, &space.post_id) {
            Ok(old) => old,
            Err(error) => {
                let notice = StoreNotice::SetAside {
                    backup_key: KeyRecords::set_aside(&storage, &key, &json),
                    reason: error.to_string(),
                };
                return (None, Some(notice));
            }
        };
        match records.write(space, &old).await {
            Ok(changed) => {
                self.tell_other_tabs(records, &space.post_id, changed);
                // Written again meanwhile (another tab, a script): the next load takes it.
                if storage.get_item(&key).ok().flatten() == Some(json) {
                    let _ = storage.remove_item(&key);
                }
                (None, None)
            }
            Err(error) => {
                web_sys::console::warn_1(
                    &format!("Colloquy: the saved comments stay in {key} for now: moving them failed ({error})").into(),
                );
                (Some(old), None)
            }
        }
    }

    /// Sends the records that changed `post_id`'s thread to this browser's other tabs, where
    /// they do not hear of it themselves (the `storage` event tells them of a key's write).
    fn tell_other_tabs(&self, records: &Records, post_id: &str, changed: ThreadData) {
        if changed.is_empty() || !matches!(records, Records::Indexed(_)) {
            return;
        }
        if let Some(channel) = self.channel(post_id) {
            let message = records::message(post_id, &Change::Thread(changed));
            let _ = channel.post_message(&message.into());
        }
    }

    /// The channel to this browser's other tabs on `post_id`, if the browser has one.
    fn channel(&self, post_id: &str) -> Option<BroadcastChannel> {
        self.channels
            .borrow_mut()
            .entry(post_id.to_owned())
            .or_insert_with(|| BroadcastChannel::new(&thread_key(post_id)).ok())
            .clone()
    }

    /// Follows the other tabs' changes on `post_id` through its BroadcastChannel.
    fn follow_channel(&self, post_id: &str, on_change: Rc<dyn Fn(Vec<Change>)>) -> Subscription {
        let Some(channel) = self.channel(post_id) else {
            return Subscription::new(|| ());
        };
        let post_id = post_id.to_owned();
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let changes = event
                .data()
                .as_string()
                .map(|json| records::changes_in(&post_id, &json))
                .unwrap_or_default();
            if !changes.is_empty() {
                on_change(changes);
            }
        });
        let _ =
            channel.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        Subscription::new(move || {
            let _ = channel
                .remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        })
    }
}

/// Follows the other tabs' changes on `post_id` as the `storage` events of its record keys.
fn follow_keys(post_id: &str, on_change: Rc<dyn Fn(Vec<Change>)>) -> Subscription {
    let post_id = post_id.to_owned();
    let listener = Closure::<dyn Fn(StorageEvent)>::new(move |event: StorageEvent| {
        let (Some(key), Some(value)) = (event.key(), event.new_value()) else {
            return;
        };
        if let Some(change) = record_keys::change_in(&post_id, &key, &value) {
            on_change(vec![change]);
        }
    });
    let window = window();
    let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    Subscription::new(move || {
        let _ = window
            .remove_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    })
}

impl Store for LocalStore {
    fn is_local(&self) -> bool {
        true
    }

    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        let records = self.records().await;
        let space = Space::local(post_id);
        let (unmoved, mut notice) = self.migrate(&records, &space).await;
        let stored = records.read(&space).await;
        if matches!(*records, Records::Memory(_)) {
            notice = Some(StoreNotice::MemoryOnly);
        }
        let data = match stored {
            Ok((stored, set_aside)) => {
                notice = notice.or(set_aside);
                let seeded = merge(seed, &stored);
                match unmoved {
                    Some(old) => merge(&seeded, &old),
                    None => seeded,
                }
            }
            Err(error) => {
                web_sys::console::warn_1(
                    &format!("Colloquy: the saved comments could not be read ({error})").into(),
                );
                seed.clone()
            }
        };
        Loaded { data, notice }
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError> {
        if let Change::Moderation(_) | Change::Report(_) = change {
            // Not offered here: a browser's own copy has no accounts to check who decides.
            return Err(StoreError::Failed(
                "this browser's store keeps no instructor decisions or reports".to_owned(),
            ));
        }
        let records = self.records().await;
        let written = records
            .write(&Space::local(post_id), &change.as_data())
            .await;
        match written {
            Ok(changed) => {
                self.tell_other_tabs(&records, post_id, changed);
                Ok(())
            }
            Err(error) if error.is_quota() => Err(StoreError::QuotaExceeded),
            Err(error) => Err(StoreError::Failed(error.to_string())),
        }
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        match self.records.clone().or_else(Records::opened).as_deref() {
            Some(Records::Indexed(_)) => self.follow_channel(post_id, events.on_change),
            Some(Records::Keys(_)) => follow_keys(post_id, events.on_change),
            // In this page only, or not loaded yet: nothing to follow.
            Some(Records::Memory(_)) | None => Subscription::new(|| ()),
        }
    }
}
