//! Records on IndexedDB: one per comment and per like (keys and merge rules in `records`), each
//! set of them under its `Space`, so a write of one record is one readwrite transaction that
//! reads the stored record and keeps the winner, and a thread merged in is one transaction.
//!
//! Records cross between Rust and JS in the thread's saved form (`schema`), so this adds no
//! reader or writer of its own for comments and likes.

use super::idb::{self, Boxed, IdbError};
use super::records::{self, Space, COMMENTS, LIKES};
use crate::model::{schema, ThreadData};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbTransaction, IdbTransactionMode};

pub struct IndexedRecords {
    database: IdbDatabase,
}

fn key(parts: &[&str]) -> JsValue {
    parts
        .iter()
        .map(|p| JsValue::from_str(p))
        .collect::<Array>()
        .into()
}

/// Every key of a space's records: `[space]` sorts before `[space, …]`, and an array after
/// any string, so `[space, []]` after them all.
fn space_range(space: &str) -> Result<IdbKeyRange, IdbError> {
    let post = JsValue::from_str(space);
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

impl IndexedRecords {
    /// Opens (or makes) the database; an error where IndexedDB cannot be used here.
    pub async fn open() -> Result<IndexedRecords, IdbError> {
        let database = idb::open(records::DATABASE, records::VERSION, |database, _| {
            database.create_object_store(COMMENTS)?;
            database.create_object_store(LIKES)?;
            Ok(())
        })
        .await?;
        let store = IndexedRecords { database };
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

    /// `space`'s records as stored, read in `transaction`.
    fn read_in<'a>(
        transaction: &'a IdbTransaction,
        space: &'a Space,
    ) -> Boxed<'a, Result<ThreadData, IdbError>> {
        Box::pin(async move {
            let range = space_range(&space.name)?;
            let comments = transaction.object_store(COMMENTS).map_err(failed)?;
            let likes = transaction.object_store(LIKES).map_err(failed)?;
            let comments = comments.get_all_with_key(&range).map_err(failed)?;
            let likes = likes.get_all_with_key(&range).map_err(failed)?;
            let comments = idb::request(&comments).await?;
            let likes = idb::request(&likes).await?;
            Ok(records_from_js(
                &space.post_id,
                comments.unchecked_ref(),
                likes.unchecked_ref(),
            ))
        })
    }

    /// `space`'s records as stored.
    pub async fn read(&self, space: &Space) -> Result<ThreadData, IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readonly)?;
        Self::read_in(&transaction, space).await
    }

    /// Merges `data` into `space`'s records by the merge rules; once it has committed, the
    /// records that changed. One record is read and written alone; more, in one transaction.
    pub fn write<'a>(
        &'a self,
        space: &'a Space,
        data: &'a ThreadData,
    ) -> Boxed<'a, Result<ThreadData, IdbError>> {
        Box::pin(async move {
            if data.comments.len() + data.likes.len() == 1 {
                let changed = self.put_record(space, data).await?;
                return Ok(if changed {
                    data.clone()
                } else {
                    ThreadData::default()
                });
            }
            self.absorb(space, data).await
        })
    }

    /// Merges `data` into `space`'s records in one transaction that reads them all first.
    async fn absorb(&self, space: &Space, data: &ThreadData) -> Result<ThreadData, IdbError> {
        let transaction = self.transaction(IdbTransactionMode::Readwrite)?;
        let mut stored = Self::read_in(&transaction, space).await?;
        let changed = stored.absorb(data);
        let comments = transaction.object_store(COMMENTS).map_err(failed)?;
        let likes = transaction.object_store(LIKES).map_err(failed)?;
        let (new_comments, new_likes) = records_to_js(&space.post_id, &changed)?;
        for (comment, value) in changed.comments.iter().zip(new_comments.iter()) {
            let at = key(&records::comment_key(&space.name, comment));
            put(&comments, &transaction, &value, &at)?;
        }
        for (like, value) in changed.likes.iter().zip(new_likes.iter()) {
            let at = key(&records::like_key(&space.name, like));
            put(&likes, &transaction, &value, &at)?;
        }
        idb::committed(&transaction).await?;
        Ok(changed)
    }

    /// Writes one comment or like (`record` holds just it) by the merge rules, reading the
    /// stored record in the same transaction; whether the stored record changed.
    async fn put_record(&self, space: &Space, record: &ThreadData) -> Result<bool, IdbError> {
        let post_id = &space.post_id;
        let (name, at) = match (record.comments.first(), record.likes.first()) {
            (Some(comment), _) => (COMMENTS, key(&records::comment_key(&space.name, comment))),
            (None, Some(like)) => (LIKES, key(&records::like_key(&space.name, like))),
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
}
