//! The local store on IndexedDB: one record per comment and per like (keys and merge rules in
//! `records`), so a write is one readwrite transaction that reads the stored record and keeps
//! the winner. On load, a thread still in the old localStorage key is migrated in one
//! transaction, and the key removed only once that has committed. Changes reach this browser's
//! other tabs through a BroadcastChannel carrying the change itself.
//!
//! Records cross between Rust and JS in the thread's saved form (`schema`), so the store adds
//! no reader or writer of its own for comments and likes.

use super::idb::{self, Boxed, IdbError};
use super::local::{local_storage, thread_key};
use super::local_key::KeyStore;
use super::records::{self, COMMENTS, LIKES};
use super::{Change, Events, Loaded, Store, StoreError, StoreNotice, Subscription};
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use js_sys::{Array, Object, Reflect, JSON};
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
    IdbKeyRange::bound(&Array::of1(&post), &upper).map_err(failed)
}

fn failed(error: JsValue) -> IdbError {
    IdbError::from_js(&error)
}

/// `data`'s records as JS objects (comments, likes), through the thread's saved form.
fn records_to_js(post_id: &str, data: &ThreadData) -> Result<(Array, Array), IdbError> {
    let saved = JSON::parse(&schema::save(data, post_id)).map_err(failed)?;
    let list = |name: &str| {
        Reflect::get(&saved, &name.into())
            .map(JsCast::unchecked_into)
            .map_err(failed)
    };
    Ok((list("comments")?, list("likes")?))
}

/// Records (JS arrays of objects) as thread data, read as the thread's saved form is.
fn read_saved(post_id: &str, comments: &JsValue, likes: &JsValue) -> Option<ThreadData> {
    let saved = Object::new();
    for (name, value) in [
        ("version", &JsValue::from(schema::CURRENT_VERSION as u32)),
        ("postId", &JsValue::from_str(post_id)),
        ("comments", comments),
        ("likes", likes),
    ] {
        Reflect::set(&saved, &name.into(), value).ok()?;
    }
    let json = JSON::stringify(&saved).ok()?.as_string()?;
    schema::load(&json, post_id).ok()
}

/// Stored records as thread data, leaving out (and reporting on the console) any that cannot
/// be read, so one damaged record does not hide the rest.
fn records_from_js(post_id: &str, comments: &Array, likes: &Array) -> ThreadData {
    if let Some(data) = read_saved(post_id, comments, likes) {
        return data;
    }
    let none = Array::new();
    let mut data = ThreadData::default();
    let mut unreadable = 0;
    for comment in comments.iter() {
        match read_saved(post_id, &Array::of1(&comment), &none) {
            Some(one) => data.comments.extend(one.comments),
            None => unreadable += 1,
        }
    }
    for like in likes.iter() {
        match read_saved(post_id, &none, &Array::of1(&like)) {
            Some(one) => data.likes.extend(one.likes),
            None => unreadable += 1,
        }
    }
    web_sys::console::warn_1(
        &format!("Colloquy: {unreadable} stored records of this thread could not be read and are left out").into(),
    );
    data.normalised()
}

/// Puts `value` under `key`; a put that throws (a full quota, say) aborts the transaction so
/// that nothing of it is kept.
fn put(
    store: &IdbObjectStore,
    transaction: &IdbTransaction,
    value: &JsValue,
    key: &JsValue,
) -> Result<(), IdbError> {
    store.put_with_key(value, key).map(drop).map_err(|error| {
        let _ = transaction.abort();
        failed(error)
    })
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
    fn read_in<'a>(
        transaction: &'a IdbTransaction,
        post_id: &'a str,
    ) -> Boxed<'a, Result<ThreadData, IdbError>> {
        Box::pin(async move {
            let range = post_range(post_id)?;
            let comments = transaction.object_store(COMMENTS).map_err(failed)?;
            let likes = transaction.object_store(LIKES).map_err(failed)?;
            let comments = comments.get_all_with_key(&range).map_err(failed)?;
            let likes = likes.get_all_with_key(&range).map_err(failed)?;
            let comments = idb::request(&comments).await?;
            let likes = idb::request(&likes).await?;
            Ok(records_from_js(
                post_id,
                comments.unchecked_ref(),
                likes.unchecked_ref(),
            ))
        })
    }

    /// `post_id`'s thread as stored.
    pub async fn read(&self, post_id: &str) -> Result<ThreadData, IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readonly)?;
        Self::read_in(&transaction, post_id).await
    }

    /// Merges `data` into `post_id`'s records in one transaction; once it has committed, the
    /// whole thread as now stored and the records that changed it.
    pub fn absorb<'a>(
        &'a self,
        post_id: &'a str,
        data: &'a ThreadData,
    ) -> Boxed<'a, Result<(ThreadData, ThreadData), IdbError>> {
        Box::pin(async move {
            let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
            let mut stored = Self::read_in(&transaction, post_id).await?;
            let changed = stored.absorb(data);
            let comments = transaction.object_store(COMMENTS).map_err(failed)?;
            let likes = transaction.object_store(LIKES).map_err(failed)?;
            let (new_comments, new_likes) = records_to_js(post_id, &changed)?;
            for (comment, value) in changed.comments.iter().zip(new_comments.iter()) {
                let at = key(&records::comment_key(post_id, comment));
                put(&comments, &transaction, &value, &at)?;
            }
            for (like, value) in changed.likes.iter().zip(new_likes.iter()) {
                let at = key(&records::like_key(post_id, like));
                put(&likes, &transaction, &value, &at)?;
            }
            idb::committed(&transaction).await?;
            Ok((stored, changed))
        })
    }

    /// Writes one comment or like (`record` holds just it) by the merge rules, reading the
    /// stored record in the same transaction; whether the stored record changed.
    async fn put_record(&self, post_id: &str, record: &ThreadData) -> Result<bool, IdbError> {
        let (name, at) = match (record.comments.first(), record.likes.first()) {
            (Some(comment), _) => (COMMENTS, key(&records::comment_key(post_id, comment))),
            (None, Some(like)) => (LIKES, key(&records::like_key(post_id, like))),
            (None, None) => return Ok(false),
        };
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let store = transaction.object_store(name).map_err(failed)?;
        let stored = idb::request(&store.get(&at).map_err(failed)?).await?;
        let (none, one) = (Array::new(), Array::of1(&stored));
        let stored = match (stored.is_undefined(), name) {
            (true, _) => ThreadData::default(),
            (false, COMMENTS) => records_from_js(post_id, &one, &none),
            (false, _) => records_from_js(post_id, &none, &one),
        };
        let changes = match (record.comments.first(), record.likes.first()) {
            (Some(comment), _) => {
                records::comment_to_put(stored.comments.first(), comment).is_some()
            }
            (None, Some(like)) => records::like_to_put(stored.likes.first(), like).is_some(),
            (None, None) => false,
        };
        if !changes {
            return Ok(false);
        }
        let (comments, likes) = records_to_js(post_id, record)?;
        let value = if name == COMMENTS { comments } else { likes }.get(0);
        put(&store, &transaction, &value, &at)?;
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
            Ok((all, changed)) => {
                self.tell_other_tabs(post_id, changed);
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

    /// Sends the records that changed `post_id`'s thread to this browser's other tabs.
    fn tell_other_tabs(&self, post_id: &str, changed: ThreadData) {
        if changed.is_empty() {
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
        let written = match change {
            Change::Thread(data) => self
                .absorb(post_id, &data)
                .await
                .map(|(_, changed)| (!changed.is_empty()).then_some(changed)),
            record => {
                let record = record.as_data();
                self.put_record(post_id, &record)
                    .await
                    .map(|changed| changed.then_some(record))
            }
        };
        match written {
            Ok(Some(changed)) => {
                self.tell_other_tabs(post_id, changed);
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
