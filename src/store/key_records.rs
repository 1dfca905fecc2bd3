//! Records as localStorage keys, one per comment and per like (`record_keys` names them), where
//! IndexedDB cannot be opened: reading a space walks its keys, and writing a record is one
//! `setItem`, made only when the merge rules keep the new record over the stored one. A key
//! that cannot be read is set aside under a backup key, never overwritten.

use super::idb::IdbError;
use super::record_keys::{self, Kind};
use super::records::{comment_from_json, comment_to_put, like_from_json, like_to_put, Space};
use super::StoreNotice;
use crate::model::ThreadData;
use serde::Serialize;
use web_sys::Storage;

pub struct KeyRecords {
    storage: Storage,
}

impl KeyRecords {
    pub fn new(storage: Storage) -> Self {
        KeyRecords { storage }
    }

    /// Moves unreadable `json` from `key` to a new backup key (`<key>:backup:<time>`), never
    /// overwriting an earlier backup; returns the backup key.
    pub fn set_aside(storage: &Storage, key: &str, json: &str) -> String {
        let stamp = js_sys::Date::now() as u64;
        let mut backup_key = format!("{key}:backup:{stamp}");
        let mut attempt = 1;
        while storage.get_item(&backup_key).ok().flatten().is_some() {
            attempt += 1;
            backup_key = format!("{key}:backup:{stamp}-{attempt}");
        }
        if storage.set_item(&backup_key, json).is_ok() {
            let _ = storage.remove_item(key);
        }
        backup_key
    }

    fn get(&self, key: &str) -> Option<String> {
        self.storage.get_item(key).ok().flatten()
    }

    /// The record under `key` as `read` makes it; one that cannot be read is set aside (with
    /// the notice saying so) and counts as none.
    fn stored<T>(
        &self,
        key: &str,
        read: impl FnOnce(&str) -> Option<T>,
    ) -> (Option<T>, Option<StoreNotice>) {
        let Some(json) = self.get(key) else {
            return (None, None);
        };
        if let Some(record) = read(&json) {
            return (Some(record), None);
        }
        let backup_key = Self::set_aside(&self.storage, key, &json);
        let reason = format!("{key} does not hold a record this page can read");
        (None, Some(StoreNotice::SetAside { backup_key, reason }))
    }

    /// `space`'s records, and a notice if some could not be read (those are set aside).
    pub fn read(&self, space: &Space) -> (ThreadData, Option<StoreNotice>) {
        let count = self.storage.length().unwrap_or(0);
        // Listed first: setting a key aside changes the storage's key order.
        let keys: Vec<(String, Kind)> = (0..count)
            .filter_map(|i| self.storage.key(i).ok().flatten())
            .filter_map(|key| Some((key.clone(), record_keys::kind_in(&space.name, &key)?)))
            .collect();
        let post_id = &space.post_id;
        let mut data = ThreadData::default();
        let mut notice = None;
        for (key, kind) in keys {
            let unreadable = match kind {
                Kind::Comment => {
                    let (comment, unreadable) =
                        self.stored(&key, |j| comment_from_json(post_id, j));
                    data.comments.extend(comment);
                    unreadable
                }
                Kind::Like => {
                    let (like, unreadable) = self.stored(&key, like_from_json);
                    data.likes.extend(like);
                    unreadable
                }
            };
            notice = notice.or(unreadable);
        }
        (data.normalised(), notice)
    }

    fn put(&self, key: &str, record: &impl Serialize) -> Result<(), IdbError> {
        let json = serde_json::to_string(record).map_err(|e| IdbError {
            name: "DataError".into(),
            message: e.to_string(),
        })?;
        self.storage
            .set_item(key, &json)
            .map_err(|e| IdbError::from_js(&e))
    }

    /// Merges `data` into `space`'s records by the merge rules, one `setItem` per record that
    /// changes; the records that changed. A failed `setItem` (a full storage) stops there:
    /// what was written stays, and writing it all again does no harm.
    pub fn write(&self, space: &Space, data: &ThreadData) -> Result<ThreadData, IdbError> {
        let post_id = &space.post_id;
        let mut changed = ThreadData::default();
        for comment in &data.comments {
            let key = record_keys::comment_key(&space.name, &comment.id);
            let (stored, _) = self.stored(&key, |j| comment_from_json(post_id, j));
            if comment_to_put(stored.as_ref(), comment).is_some() {
                self.put(&key, comment)?;
                changed.comments.push(comment.clone());
            }
        }
        for like in &data.likes {
            let key = record_keys::like_key(&space.name, &like.comment_id, &like.browser_id);
            let (stored, _) = self.stored(&key, like_from_json);
            if like_to_put(stored.as_ref(), like).is_some() {
                self.put(&key, like)?;
                changed.likes.push(like.clone());
            }
        }
        Ok(changed)
    }
}
