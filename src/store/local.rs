//! The default store, in this browser: IndexedDB (`indexed`) where it can be opened, else the
//! thread as one localStorage key (`local_key`), else memory (which says so). Also the
//! localStorage helpers the other stores share.

use super::idb::Boxed;
use super::indexed::IndexedStore;
use super::local_key::KeyStore;
use super::{Change, Events, Loaded, Store, StoreError, Subscription};
use crate::model::ThreadData;
use leptos::prelude::window;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::Storage;

const PREFIX: &str = "colloquy:thread:";

/// The localStorage key of a post's thread (the key store's, and the old format IndexedDB
/// migrates from); also the name of its BroadcastChannel.
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

pub(super) fn is_quota_error(error: &JsValue) -> bool {
    error
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22)
}

enum Backend {
    Indexed(IndexedStore),
    Key(KeyStore),
}

#[derive(Default)]
pub struct LocalStore {
    /// Chosen on first use.
    backend: RefCell<Option<Rc<Backend>>>,
}

impl LocalStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn backend(&self) -> Boxed<'_, Rc<Backend>> {
        Box::pin(async move {
            if let Some(backend) = self.backend.borrow().clone() {
                return backend;
            }
            let backend = match IndexedStore::open().await {
                Ok(store) => Backend::Indexed(store),
                Err(error) => {
                    let why = format!("Colloquy: IndexedDB cannot be used here ({error}); the thread is kept in localStorage, or in this page only");
                    web_sys::console::info_1(&why.into());
                    Backend::Key(KeyStore::new())
                }
            };
            // Another call may have chosen meanwhile: the first choice stands.
            self.backend
                .borrow_mut()
                .get_or_insert_with(|| Rc::new(backend))
                .clone()
        })
    }
}

impl Store for LocalStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        match self.backend().await.as_ref() {
            Backend::Indexed(store) => store.load(post_id, seed).await,
            Backend::Key(store) => store.load(post_id, seed).await,
        }
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError> {
        match self.backend().await.as_ref() {
            Backend::Indexed(store) => store.write(post_id, change).await,
            Backend::Key(store) => store.write(post_id, change).await,
        }
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        match self.backend.borrow().as_deref() {
            Some(Backend::Indexed(store)) => store.subscribe(post_id, events),
            Some(Backend::Key(store)) => store.subscribe(post_id, events),
            // Not loaded yet: nothing to follow.
            None => Subscription::new(|| ()),
        }
    }
}
