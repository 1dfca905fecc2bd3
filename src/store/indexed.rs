//! The local store on IndexedDB: one record per comment and per like (keys and merge rules in
//! `records`), so a write is one readwrite transaction that reads the stored record and keeps
//! the winner. On load, a thread still in the old localStorage key is migrated in one
//! transaction, and the key removed only once that has committed. Changes reach this browser's
//! other tabs through a BroadcastChannel carrying the change itself.

use super::idb::{self, IdbError};
use super::local::{local_storage, thread_key};
use super::local_key::KeyStore;
use super::records::{self, Message, COMMENTS, LIKES};
use super::{Change, Events, Loaded, Store, StoreError, StoreNotice, Subscription};
use crate::model::merge::merge;
use crate::model::{schema, Comment, Like, ThreadData};
use js_sys::{Array, JSON};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{
    BroadcastChannel, IdbDatabase, IdbKeyRange, IdbObjectStore, IdbTransaction, IdbTransactionMode,
    MessageEvent,
};

pub struct IndexedStore {
    database: IdbDatabase,
    /// Each post's channel to the other tabs; one object sends and listens, so a tab does not
    /// hear its own changes.
    channels: RefCell<HashMap<String, Option<BroadcastChannel>>>,
}

fn key(parts: &[&str]) -> JsValue {
    parts
        .iter()
        .map(|p| JsValue::from_str(p))
        .collect::<Array>()
        .into()
}

/// Every key of `post_id`'s records: `[post]` sorts before `[post, …]`, and an array after
/// any string, so `[post, []]` after them all.
fn post_range(post_id: &str) -> Result<IdbKeyRange, IdbError> {
    let post = JsValue::from_str(post_id);
    let upper = Array::of2(&post, &Array::new());
    IdbKeyRange::bound(&Array::of1(&post), &upper).map_err(|e| IdbError::from_js(&e))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, IdbError> {
    let json = serde_json::to_string(value).expect("records have only strings and bools");
    JSON::parse(&json).map_err(|e| IdbError::from_js(&e))
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

/// The records of a `getAll`, leaving out (and reporting on the console) any that cannot be
/// read, so one damaged record does not hide the rest.
fn records_of<T: DeserializeOwned>(all: &JsValue, what: &str) -> Vec<T> {
    if let Some(records) = from_js::<Vec<T>>(all) {
        return records;
    }
    let all: &Array = all.unchecked_ref();
    let records: Vec<T> = all.iter().filter_map(|r| from_js(&r)).collect();
    web_sys::console::warn_1(
        &format!(
            "Colloquy: {} stored {what} could not be read and are left out",
            all.length() as usize - records.len()
        )
        .into(),
    );
    records
}

fn failed(error: JsValue) -> IdbError {
    IdbError::from_js(&error)
}

/// Puts `value` under `key`; a put that throws (a full quota, say) aborts the transaction so
/// that nothing of it is kept.
fn put(
    store: &IdbObjectStore,
    transaction: &IdbTransaction,
    value: &impl Serialize,
    key: JsValue,
) -> Result<(), IdbError> {
    let result =
        to_js(value).and_then(|value| store.put_with_key(&value, &key).map(drop).map_err(failed));
    if result.is_err() {
        let _ = transaction.abort();
    }
    result
}

impl IndexedStore {
    /// Opens (or makes) the database; an error where IndexedDB cannot be used here.
    pub async fn open() -> Result<IndexedStore, IdbError> {
        let database = idb::open(records::DATABASE, records::VERSION, |database, _| {
            database.create_object_store(COMMENTS)?;
            database.create_object_store(LIKES)?;
            Ok(())
        })
        .await?;
        let store = IndexedStore {
            database,
            channels: RefCell::default(),
        };
        // A database of this name and version without our stores is of no use.
        store.transaction(IdbTransactionMode::Readonly)?;
        Ok(store)
    }

    fn transaction(&self, mode: IdbTransactionMode) -> Result<IdbTransaction, IdbError> {
        let names = Array::of2(&COMMENTS.into(), &LIKES.into());
        self.database
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(failed)
    }

    /// `post_id`'s records as stored, read in `transaction`.
    async fn read_in(transaction: &IdbTransaction, post_id: &str) -> Result<ThreadData, IdbError> {
        let range = post_range(post_id)?;
        let comments = transaction.object_store(COMMENTS).map_err(failed)?;
        let likes = transaction.object_store(LIKES).map_err(failed)?;
        let comments = comments.get_all_with_key(&range).map_err(failed)?;
        let likes = likes.get_all_with_key(&range).map_err(failed)?;
        let comments = idb::request(&comments).await?;
        let likes = idb::request(&likes).await?;
        Ok(ThreadData {
            comments: records_of(&comments, "comments"),
            likes: records_of(&likes, "likes"),
        }
        .normalised())
    }

    /// `post_id`'s thread as stored.
    pub async fn read(&self, post_id: &str) -> Result<ThreadData, IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readonly)?;
        Self::read_in(&transaction, post_id).await
    }

    /// Merges `data` into `post_id`'s records in one transaction; once it has committed, the
    /// whole thread as now stored and the records that changed it.
    pub async fn absorb(
        &self,
        post_id: &str,
        data: &ThreadData,
    ) -> Result<(ThreadData, ThreadData), IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let mut stored = Self::read_in(&transaction, post_id).await?;
        let changed = stored.absorb(data);
        let comments = transaction.object_store(COMMENTS).map_err(failed)?;
        let likes = transaction.object_store(LIKES).map_err(failed)?;
        for comment in &changed.comments {
            let at = key(&records::comment_key(post_id, comment));
            put(&comments, &transaction, comment, at)?;
        }
        for like in &changed.likes {
            put(
                &likes,
                &transaction,
                like,
                key(&records::like_key(post_id, like)),
            )?;
        }
        idb::committed(&transaction).await?;
        Ok((stored, changed))
    }

    /// Writes one comment by the merge rules; whether the stored record changed.
    async fn put_comment(&self, post_id: &str, comment: &Comment) -> Result<bool, IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let store = transaction.object_store(COMMENTS).map_err(failed)?;
        let at = key(&records::comment_key(post_id, comment));
        let stored = idb::request(&store.get(&at).map_err(failed)?).await?;
        let stored: Option<Comment> = from_js(&stored);
        let Some(winner) = records::comment_to_put(stored.as_ref(), comment) else {
            return Ok(false);
        };
        put(&store, &transaction, winner, at)?;
        idb::committed(&transaction).await?;
        Ok(true)
    }

    /// Writes one like by the merge rules; whether the stored record changed.
    async fn put_like(&self, post_id: &str, like: &Like) -> Result<bool, IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let store = transaction.object_store(LIKES).map_err(failed)?;
        let at = key(&records::like_key(post_id, like));
        let stored = idb::request(&store.get(&at).map_err(failed)?).await?;
        let stored: Option<Like> = from_js(&stored);
        let Some(winner) = records::like_to_put(stored.as_ref(), like) else {
            return Ok(false);
        };
        put(&store, &transaction, winner, at)?;
        idb::committed(&transaction).await?;
        Ok(true)
    }

    /// The thread as stored, with the old localStorage key of `post_id` (if any) merged in and
    /// removed once that has committed; kept if it could not be (nothing is lost, and the next
    /// load tries again). Unreadable old data is set aside as the key store does.
    async fn migrate_and_read(
        &self,
        post_id: &str,
    ) -> (Result<ThreadData, IdbError>, Option<StoreNotice>) {
        let legacy = local_storage().and_then(|storage| {
            let json = storage.get_item(&thread_key(post_id)).ok().flatten()?;
            Some((storage, json))
        });
        let Some((storage, json)) = legacy else {
            return (self.read(post_id).await, None);
        };
        let old = match schema::load(&json, post_id) {
            Ok(old) => old,
            Err(error) => {
                let notice = StoreNotice::SetAside {
                    backup_key: KeyStore::set_aside(&storage, post_id, &json),
                    reason: error.to_string(),
                };
                return (self.read(post_id).await, Some(notice));
            }
        };
        match self.absorb(post_id, &old).await {
            Ok((all, _)) => {
                // Written again meanwhile (another tab, a script): the next load takes it.
                if storage.get_item(&thread_key(post_id)).ok().flatten() == Some(json) {
                    let _ = storage.remove_item(&thread_key(post_id));
                }
                (Ok(all), None)
            }
            Err(error) => {
                web_sys::console::warn_1(
                    &format!("Colloquy: the saved comments stay in localStorage for now: moving them to IndexedDB failed ({error})").into(),
                );
                (self.read(post_id).await.map(|all| merge(&all, &old)), None)
            }
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
}

impl Store for IndexedStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        let (stored, notice) = self.migrate_and_read(post_id).await;
        let data = match stored {
            Ok(stored) => merge(seed, &stored),
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
        let written = match &change {
            Change::Comment(comment) => self
                .put_comment(post_id, comment)
                .await
                .map(|changed| changed.then(|| change.clone())),
            Change::Like(like) => self
                .put_like(post_id, like)
                .await
                .map(|changed| changed.then(|| change.clone())),
            Change::Thread(data) => self
                .absorb(post_id, data)
                .await
                .map(|(_, changed)| (!changed.is_empty()).then_some(Change::Thread(changed))),
        };
        match written {
            Ok(Some(change)) => {
                if let Some(channel) = self.channel(post_id) {
                    let _ = channel.post_message(&Message::encode(&change).into());
                }
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(error) if error.is_quota() => Err(StoreError::QuotaExceeded),
            Err(error) => Err(StoreError::Failed(error.to_string())),
        }
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        let Some(channel) = self.channel(post_id) else {
            return Subscription::new(|| ());
        };
        let on_change = events.on_change;
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let changes = event
                .data()
                .as_string()
                .map(|json| Message::decode(&json))
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
