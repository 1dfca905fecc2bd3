//! What the REST and CouchDB stores share around their servers (`Runner`): the state a shown
//! thread keeps, the saved copy (kept per record, in the browser's `Records`) and outbox (in
//! localStorage) a visit starts from and keeps up (adopting other tabs' entries), sending the outbox with its retry timer, telling the thread, and the browser
//! events after which waiting writes go at once. Each store adds what its server needs through
//! `Server`: how one record is delivered.

use super::idb::Boxed;
use super::local::local_storage;
use super::outbox::{Outbox, OutboxEntry, Outcome, Pending};
use super::record_store::Records;
use super::records::Space;
use super::{Change, Delivery, Events, Loaded, RemoteProblem, StoreError, StoreNotice};
use crate::model::merge::merge;
use crate::model::{schema, ThreadData};
use leptos::prelude::window;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The state every remote store keeps while a thread is shown.
pub struct Runner {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub poll_seconds: f64,
    pub post_id: String,
    /// Writes on their way to the server, kept in this browser.
    pub outbox: Outbox,
    /// The thread as this browser last saw it, with its own writes.
    pub cache: ThreadData,
    /// Ids this tab delivered, so another tab's stale outbox does not bring them back.
    pub sent: HashSet<String>,
    pub events: Option<Events>,
    /// Problems met before anyone subscribed (while loading), told on subscribing.
    pub untold: Vec<RemoteProblem>,
    draining: bool,
    wake_timer: Option<i32>,
    pub stopped: bool,
    /// Names this kind of store's cache (its records' space, `<kind>:<post>`), and starts the
    /// localStorage key of its outbox (the post id follows).
    cache_kind: &'static str,
    outbox_prefix: &'static str,
}

/// What differs between remote stores: how one record gets onto the server.
#[allow(
    async_fn_in_trait,
    reason = "single-threaded wasm: futures need not be Send"
)]
pub trait Server: Sized + 'static {
    fn runner(&self) -> &Runner;
    fn runner_mut(&mut self) -> &mut Runner;
    /// Sends one outbox entry; `Ok` once the server holds it.
    async fn deliver(shared: &Rc<RefCell<Self>>, entry: &OutboxEntry) -> Result<(), Outcome>;
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

impl Runner {
    /// A store's state before any thread is loaded; `cache_kind` names its cache, and
    /// `outbox_prefix` starts the localStorage key of its outbox (the post id follows).
    pub fn new(
        url: String,
        headers: Vec<(String, String)>,
        poll_seconds: f64,
        cache_kind: &'static str,
        outbox_prefix: &'static str,
    ) -> Runner {
        Runner {
            url,
            headers,
            poll_seconds,
            post_id: String::new(),
            outbox: Outbox::default(),
            cache: ThreadData::default(),
            sent: HashSet::new(),
            events: None,
            untold: Vec::new(),
            draining: false,
            wake_timer: None,
            stopped: false,
            cache_kind,
            outbox_prefix,
        }
    }

    fn space(&self) -> Space {
        Space::cache(self.cache_kind, &self.post_id)
    }

    /// Where the cache was kept whole before it was kept per record.
    fn old_cache_key(&self) -> String {
        format!("colloquy:{}:{}", self.cache_kind, self.post_id)
    }

    fn outbox_key(&self) -> String {
        format!("{}{}", self.outbox_prefix, self.post_id)
    }

    /// This browser's outbox of the post, ready to send again.
    fn read_outbox(&self) -> Outbox {
        let stored = local_storage().and_then(|s| s.get_item(&self.outbox_key()).ok().flatten());
        let mut outbox: Outbox = stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        // A tab closed mid-send left entries "sending": send them again.
        outbox.recover_after_restart();
        outbox
    }

    /// Keeps the outbox in this browser. Entries another tab of this browser saved and this
    /// one does not hold are taken over rather than overwritten (see `Outbox::adopt`): sending
    /// is idempotent, so two tabs sending one entry do no harm.
    pub fn save_outbox(&mut self) -> Result<(), StoreError> {
        let Some(storage) = local_storage() else {
            return Ok(());
        };
        let outbox_key = self.outbox_key();
        let stored = storage
            .get_item(&outbox_key)
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str::<Outbox>(&json).ok());
        if let Some(stored) = stored {
            self.outbox.adopt(stored, &self.sent);
        }
        let json = serde_json::to_string(&self.outbox).unwrap_or_default();
        storage
            .set_item(&outbox_key, &json)
            .map_err(|_| StoreError::QuotaExceeded)
    }

    /// Keeps the records of the thread that `changed` (and only those) in this browser, for
    /// the next visit and offline. A convenience: a full storage does not stop anything.
    pub fn save_cache(&self, changed: ThreadData) {
        if changed.is_empty() {
            return;
        }
        let space = self.space();
        leptos::task::spawn_local(async move {
            let records = Records::shared().await;
            if let Err(error) = records.write(&space, &changed).await {
                warn_saved_copy(&error);
            }
        });
    }

    /// Takes one change of the thread: into the outbox (which must be kept), then the cache.
    pub fn take(&mut self, post_id: &str, change: &Change) -> Result<(), StoreError> {
        if let Change::Moderation(_) | Change::Report(_) = change {
            return Err(StoreError::Failed(
                "this store keeps no instructor decisions or reports".to_owned(),
            ));
        }
        self.post_id = post_id.to_owned();
        let at = now();
        for record in Pending::from_change(change) {
            self.outbox.push(record, at);
        }
        self.save_outbox()?;
        if change.apply_to(&mut self.cache) {
            self.save_cache(change.as_data());
        }
        Ok(())
    }

    /// The thread to show: `seed` with what this store holds.
    pub fn loaded(&self, seed: &ThreadData) -> Loaded {
        Loaded {
            data: merge(seed, &self.cache),
            notice: local_storage().is_none().then_some(StoreNotice::MemoryOnly),
        }
    }

    /// Starts telling `events`; returns the problems met before, to be told now.
    pub fn subscribe(&mut self, post_id: &str, events: Events) -> Vec<RemoteProblem> {
        self.post_id = post_id.to_owned();
        self.events = Some(events);
        self.stopped = false;
        std::mem::take(&mut self.untold)
    }

    /// Stops telling anyone and sending.
    pub fn unsubscribe(&mut self) {
        self.stopped = true;
        self.events = None;
        if let Some(timer) = self.wake_timer.take() {
            window().clear_timeout_with_handle(timer);
        }
    }
}

/// Starts from the thread as this browser last saw `post_id`'s (its cached records, with a
/// cache an earlier version kept whole moved in), with the writes still in its outbox merged
/// in, and that outbox, ready to send again.
pub async fn restore<S: Server>(shared: &Rc<RefCell<S>>, post_id: &str) {
    let (space, old_key, outbox) = {
        let mut s = shared.borrow_mut();
        let runner = s.runner_mut();
        runner.post_id = post_id.to_owned();
        (runner.space(), runner.old_cache_key(), runner.read_outbox())
    };
    let cache = saved_copy(space, old_key).await;
    let pending = ThreadData {
        comments: outbox.pending_comments(),
        likes: outbox.pending_likes(),
        ..ThreadData::default()
    };
    let mut s = shared.borrow_mut();
    let runner = s.runner_mut();
    runner.cache = merge(&cache, &pending);
    runner.outbox = outbox;
}

/// The saved copy is a convenience: what fails with it goes to the console only.
fn warn_saved_copy(error: &super::idb::IdbError) {
    let why = format!("Colloquy: the thread's saved copy in this browser failed: {error}");
    web_sys::console::warn_1(&why.into());
}

/// The cached records of `space`, with the cache kept whole under `old_key` moved in. Boxed:
/// compiled once for both remote stores.
fn saved_copy(space: Space, old_key: String) -> Boxed<'static, ThreadData> {
    Box::pin(async move {
        let records = Records::shared().await;
        let mut cache = match records.read(&space).await {
            Ok((cache, _)) => cache,
            Err(error) => {
                warn_saved_copy(&error);
                ThreadData::default()
            }
        };
        if let Some(storage) = local_storage() {
            if let Some(json) = storage.get_item(&old_key).ok().flatten() {
                move_old_cache(&records, &space, &storage, &old_key, &json, &mut cache).await;
            }
        }
        cache
    })
}

/// Merges the cache kept whole under `old_key` into `cache` and its records, and removes the
/// key once they are written (an unreadable one at once: the server has what it copied).
async fn move_old_cache(
    records: &Records,
    space: &Space,
    storage: &web_sys::Storage,
    old_key: &str,
    json: &str,
    cache: &mut ThreadData,
) {
    let Ok(old) = schema::load(json, &space.post_id) else {
        let _ = storage.remove_item(old_key);
        return;
    };
    match records.write(space, &old).await {
        Ok(_) => {
            if storage.get_item(old_key).ok().flatten().as_deref() == Some(json) {
                let _ = storage.remove_item(old_key);
            }
        }
        Err(error) => {
            let why =
                format!("Colloquy: the thread's saved copy stays in {old_key} for now ({error})");
            web_sys::console::warn_1(&why.into());
        }
    }
    cache.absorb(&old);
}

/// Keeps one change and starts sending it.
pub fn write<S: Server>(
    shared: &Rc<RefCell<S>>,
    post_id: &str,
    change: &Change,
) -> Result<(), StoreError> {
    shared.borrow_mut().runner_mut().take(post_id, change)?;
    leptos::task::spawn_local(drain(shared.clone()));
    Ok(())
}

/// Tells the thread where the write of record `id` stands now.
pub fn report_delivery<S: Server>(shared: &Rc<RefCell<S>>, id: &str) {
    let (events, state) = {
        let s = shared.borrow();
        let runner = s.runner();
        (runner.events.clone(), runner.outbox.state_of(id).cloned())
    };
    if let Some(events) = events {
        (events.on_delivery)(id.to_owned(), Delivery::from_state(state.as_ref()));
    }
}

/// Tells the thread (or, before it subscribes, keeps for it) what is wrong, and the console.
pub fn report_problem<S: Server>(shared: &Rc<RefCell<S>>, problem: RemoteProblem) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("Colloquy: {problem}")));
    let events = shared.borrow().runner().events.clone();
    match events {
        Some(events) => (events.on_problem)(problem),
        None => shared.borrow_mut().runner_mut().untold.push(problem),
    }
}

/// Sends what the outbox holds, one entry at a time, until nothing is due; then sets the
/// timer for the earliest entry waiting to be retried.
pub async fn drain<S: Server>(shared: Rc<RefCell<S>>) {
    if shared.borrow().runner().draining {
        return;
    }
    shared.borrow_mut().runner_mut().draining = true;
    loop {
        let next = {
            let mut s = shared.borrow_mut();
            let runner = s.runner_mut();
            if runner.stopped {
                break;
            }
            let due = runner.outbox.next_due(now()).cloned();
            if let Some(entry) = &due {
                runner.outbox.start(&entry.id, now());
                let _ = runner.save_outbox();
            }
            due
        };
        let Some(entry) = next else {
            break;
        };
        report_delivery(&shared, &entry.id);
        let result = S::deliver(&shared, &entry).await;
        {
            let mut s = shared.borrow_mut();
            let runner = s.runner_mut();
            match result {
                Ok(()) => {
                    runner.outbox.succeeded(&entry.id);
                    runner.sent.insert(entry.id.clone());
                }
                Err(outcome) => {
                    runner
                        .outbox
                        .failed(&entry.id, outcome, now(), js_sys::Math::random())
                }
            }
            let _ = runner.save_outbox();
        }
        report_delivery(&shared, &entry.id);
    }
    shared.borrow_mut().runner_mut().draining = false;
    schedule_wake(&shared);
}

/// Sends what waits in the outbox now rather than at its retry time.
pub fn send_now<S: Server>(shared: &Rc<RefCell<S>>) {
    shared.borrow_mut().runner_mut().outbox.retry_now(now());
    leptos::task::spawn_local(drain(shared.clone()));
}

/// Wakes the sender when the earliest waiting entry is due.
fn schedule_wake<S: Server>(shared: &Rc<RefCell<S>>) {
    let Some(at) = shared.borrow().runner().outbox.next_retry_at() else {
        return;
    };
    let delay = (at - now()).max(0.0) as i32 + 5;
    let wake = {
        let shared = shared.clone();
        Closure::once_into_js(move || leptos::task::spawn_local(drain(shared)))
    };
    let mut s = shared.borrow_mut();
    let runner = s.runner_mut();
    if let Some(previous) = runner.wake_timer.take() {
        window().clear_timeout_with_handle(previous);
    }
    runner.wake_timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(wake.unchecked_ref(), delay)
        .ok();
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
