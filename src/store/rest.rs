//! The remote store: a REST JSON endpoint (json-server compatible; docs/protocol.yaml).
//!
//! Every write goes into the outbox (kept in localStorage) and the thread at once, then to
//! the endpoint, retried with backoff until it arrives exactly once. The thread is cached in
//! localStorage, so it shows at once on the next visit and offline; polling that revalidates
//! with the ETag (an unchanged thread costs a 304) keeps it live.

use super::http::{self, HttpError, Revalidate};
use super::local::local_storage;
use super::outbox::{Outbox, Outcome, Pending};
use super::remote;
use super::wire;
use super::{
    Change, Delivery, Events, Loaded, RemoteProblem, Store, StoreError, StoreNotice, Subscription,
};
use crate::model::merge::merge;
use crate::model::ThreadData;
use gloo_net::http::Method;
use leptos::prelude::window;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// How much slower the thread is polled while the page is hidden.
const HIDDEN_POLL_FACTOR: f64 = 5.0;

/// How long loading waits for the server's comments before showing the saved copy (the
/// built page's comments stay on screen meanwhile); what comes later arrives as news.
const FIRST_READ_TIMEOUT_MS: i32 = 5_000;

fn cache_key(post_id: &str) -> String {
    format!("colloquy:rest-cache:{post_id}")
}

fn outbox_key(post_id: &str) -> String {
    format!("colloquy:outbox:{post_id}")
}

struct Shared {
    url: String,
    headers: Vec<(String, String)>,
    poll_seconds: f64,
    post_id: String,
    outbox: Outbox,
    cache: ThreadData,
    etags: [Option<String>; 2],
    /// The last body read per collection: an unchanged one needs no work.
    last_bodies: [u64; 2],
    /// Whether that body had problems (which then still stand).
    last_had_problems: [bool; 2],
    /// Ids this tab delivered, so another tab's stale copy does not bring them back.
    sent: std::collections::HashSet<String>,
    events: Option<Events>,
    /// Problems met before anyone subscribed (while loading), told on subscribing.
    untold: Vec<RemoteProblem>,
    draining: bool,
    /// Whether the last poll could not reach the server: when one does again, what waits in
    /// the outbox goes at once rather than at its backoff's time.
    cut_off: bool,
    wake_timer: Option<i32>,
    poll_timer: Option<i32>,
    stopped: bool,
}

pub struct RestStore {
    shared: Rc<RefCell<Shared>>,
}

impl RestStore {
    pub fn new(url: String, headers: Vec<(String, String)>, poll_seconds: f64) -> Self {
        RestStore {
            shared: Rc::new(RefCell::new(Shared {
                url,
                headers,
                poll_seconds,
                post_id: String::new(),
                outbox: Outbox::default(),
                cache: ThreadData::default(),
                etags: [None, None],
                last_bodies: [0, 0],
                last_had_problems: [false, false],
                sent: std::collections::HashSet::new(),
                events: None,
                untold: Vec::new(),
                draining: false,
                cut_off: false,
                wake_timer: None,
                poll_timer: None,
                stopped: false,
            })),
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn save(shared: &mut Shared) -> Result<(), StoreError> {
    let post_id = shared.post_id.clone();
    remote::save(
        &post_id,
        &cache_key(&post_id),
        &outbox_key(&post_id),
        &mut shared.outbox,
        &shared.sent,
        &shared.cache,
    )
}

fn report_delivery(shared: &Rc<RefCell<Shared>>, id: &str) {
    let (events, state) = {
        let s = shared.borrow();
        (s.events.clone(), s.outbox.state_of(id).cloned())
    };
    if let Some(events) = events {
        (events.on_delivery)(id.to_owned(), Delivery::from_state(state.as_ref()));
    }
}

fn report_problem(shared: &Rc<RefCell<Shared>>, problem: RemoteProblem) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("Colloquy: {problem}")));
    let events = shared.borrow().events.clone();
    match events {
        Some(events) => (events.on_problem)(problem),
        None => shared.borrow_mut().untold.push(problem),
    }
}

/// Creates or updates one record, so that a retry never makes a second one: a first attempt
/// POSTs; a later one first asks whether the record arrived and PATCHes it if so.
async fn upsert(
    base: &str,
    headers: &[(String, String)],
    collection: &str,
    id: &str,
    json: &str,
    first_attempt: bool,
) -> Result<(), Outcome> {
    let item_url = format!("{base}/{collection}/{}", js_sys::encode_uri_component(id));
    if !first_attempt {
        let existing = http::send(Method::GET, &item_url, headers, None, Revalidate::Never).await;
        match existing {
            Ok(response) if response.status == 404 => {}
            other => {
                http::outcome(other, now())?;
                let patched = http::send(
                    Method::PATCH,
                    &item_url,
                    headers,
                    Some(json),
                    Revalidate::Never,
                )
                .await;
                return http::outcome(patched, now()).map(|_| ());
            }
        }
    }
    let created = http::send(
        Method::POST,
        &format!("{base}/{collection}"),
        headers,
        Some(json),
        Revalidate::Never,
    )
    .await;
    http::outcome(created, now()).map(|_| ())
}

/// Sends what the outbox holds, one entry at a time, until nothing is due.
async fn drain(shared: Rc<RefCell<Shared>>) {
    if shared.borrow().draining {
        return;
    }
    shared.borrow_mut().draining = true;
    loop {
        let next = {
            let mut s = shared.borrow_mut();
            if s.stopped {
                break;
            }
            let due = s.outbox.next_due(now()).cloned();
            if let Some(entry) = &due {
                s.outbox.start(&entry.id, now());
                let _ = save(&mut s);
            }
            due.map(|entry| (entry, s.url.clone(), s.headers.clone(), s.post_id.clone()))
        };
        let Some((entry, base, headers, post_id)) = next else {
            break;
        };
        report_delivery(&shared, &entry.id);
        let result = match &entry.change {
            Pending::Comment(comment) => {
                // Only a comment never edited can be new to the server: POST it straight away.
                let first = entry.attempts == 0
                    && !comment.deleted
                    && comment.last_change() == comment.created_at;
                let json = wire::comment_json(comment).to_string();
                upsert(&base, &headers, "comments", &comment.id, &json, first).await
            }
            Pending::Like(like) => {
                let mut json = wire::like_json(like);
                json["postId"] = serde_json::Value::String(post_id);
                // A like may be a toggle of a record already there: always check first.
                upsert(
                    &base,
                    &headers,
                    "likes",
                    &wire::like_record_id(like),
                    &json.to_string(),
                    false,
                )
                .await
            }
        };
        {
            let mut s = shared.borrow_mut();
            match result {
                Ok(()) => {
                    s.outbox.succeeded(&entry.id);
                    s.sent.insert(entry.id.clone());
                }
                Err(outcome) => s
                    .outbox
                    .failed(&entry.id, outcome, now(), js_sys::Math::random()),
            }
            let _ = save(&mut s);
        }
        report_delivery(&shared, &entry.id);
    }
    shared.borrow_mut().draining = false;
    schedule_wake(&shared);
}

/// Wakes the sender when the earliest waiting entry is due.
fn schedule_wake(shared: &Rc<RefCell<Shared>>) {
    let Some(at) = shared.borrow().outbox.next_retry_at() else {
        return;
    };
    let delay = (at - now()).max(0.0) as i32 + 5;
    let wake = {
        let shared = shared.clone();
        Closure::once_into_js(move || leptos::task::spawn_local(drain(shared)))
    };
    let mut s = shared.borrow_mut();
    if let Some(previous) = s.wake_timer.take() {
        window().clear_timeout_with_handle(previous);
    }
    s.wake_timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(wake.unchecked_ref(), delay)
        .ok();
}

/// Fetches the thread if it changed (ETag revalidation, so an unchanged thread costs a 304),
/// and tells the UI; each request is abandoned after `timeout_ms`.
async fn poll(shared: Rc<RefCell<Shared>>, timeout_ms: i32) {
    let (base, headers, post_id, etags) = {
        let s = shared.borrow();
        (
            s.url.clone(),
            s.headers.clone(),
            s.post_id.clone(),
            s.etags.clone(),
        )
    };
    let query = js_sys::encode_uri_component(&post_id);
    let mut remote = ThreadData::default();
    let mut changed = false;
    let mut clean = true;
    for (slot, collection) in ["comments", "likes"].into_iter().enumerate() {
        let url = format!("{base}/{collection}?postId={query}");
        let revalidate = match etags[slot].as_deref() {
            Some(tag) => Revalidate::IfNoneMatch(tag),
            None => Revalidate::ByBrowser,
        };
        let answer =
            http::send_within(Method::GET, &url, &headers, None, revalidate, timeout_ms).await;
        match answer {
            Ok(response) if response.status == 304 => {}
            Ok(response) if response.status == 200 && body_seen(&shared, slot, &response.body) => {
                clean &= !shared.borrow().last_had_problems[slot];
            }
            Ok(response) if response.status == 200 => {
                changed = true;
                let etag = response.etag.clone();
                let problems = if collection == "comments" {
                    let parsed = wire::parse_comments(&response.body, &post_id);
                    remote.comments = parsed.items;
                    parsed.problems
                } else {
                    let parsed = wire::parse_likes(&response.body);
                    remote.likes = parsed.items;
                    parsed.problems
                };
                for problem in &problems {
                    clean = false;
                    let detail = format!("{collection} from {base}: {problem}");
                    report_problem(&shared, RemoteProblem::Unreadable { detail });
                }
                let mut s = shared.borrow_mut();
                s.etags[slot] = etag.filter(|_| problems.is_empty());
                s.last_had_problems[slot] = !problems.is_empty();
            }
            Ok(response) => {
                let message = wire::server_message(&response.body);
                let status = response.status;
                report_problem(&shared, RemoteProblem::Answered { status, message });
                return;
            }
            Err(error) => {
                shared.borrow_mut().cut_off = true;
                report_problem(
                    &shared,
                    match error {
                        HttpError::Timeout => RemoteProblem::TimedOut,
                        HttpError::Network(reason) => RemoteProblem::Unreachable { reason },
                    },
                );
                return;
            }
        }
    }
    let back = std::mem::take(&mut shared.borrow_mut().cut_off);
    if back {
        shared.borrow_mut().outbox.retry_now(now());
        leptos::task::spawn_local(drain(shared.clone()));
    }
    if clean {
        let events = shared.borrow().events.clone();
        if let Some(events) = events {
            (events.on_problem_cleared)();
        }
    }
    if !changed {
        return;
    }
    let (changed, events) = {
        let mut s = shared.borrow_mut();
        let changed = s.cache.absorb(&remote);
        if !changed.is_empty() {
            let _ = save(&mut s);
        }
        (changed, s.events.clone())
    };
    if changed.is_empty() {
        return;
    }
    if let Some(events) = events {
        (events.on_change)(Change::records(changed));
    }
}

/// Whether this body is the one read last time for the collection (then nothing changed);
/// remembers it otherwise.
fn body_seen(shared: &Rc<RefCell<Shared>>, slot: usize, body: &str) -> bool {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let digest = hasher.finish();
    let mut s = shared.borrow_mut();
    let seen = s.last_bodies[slot] == digest;
    s.last_bodies[slot] = digest;
    seen
}

fn schedule_poll(shared: &Rc<RefCell<Shared>>, delay_ms: f64) {
    let tick = {
        let shared = shared.clone();
        Closure::once_into_js(move || {
            leptos::task::spawn_local(async move {
                if shared.borrow().stopped {
                    return;
                }
                poll(shared.clone(), http::TIMEOUT_MS).await;
                let hidden = leptos::prelude::document().hidden();
                let seconds = shared.borrow().poll_seconds;
                let factor = if hidden { HIDDEN_POLL_FACTOR } else { 1.0 };
                schedule_poll(&shared, seconds * 1000.0 * factor);
            })
        })
    };
    let mut s = shared.borrow_mut();
    if let Some(previous) = s.poll_timer.take() {
        window().clear_timeout_with_handle(previous);
    }
    s.poll_timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            tick.unchecked_ref(),
            delay_ms as i32,
        )
        .ok();
}

/// Sends what waits in the outbox and polls, now (back online, back in view, or asked).
fn wake(shared: &Rc<RefCell<Shared>>) {
    shared.borrow_mut().outbox.retry_now(now());
    leptos::task::spawn_local(drain(shared.clone()));
    schedule_poll(shared, 0.0);
}

impl Store for RestStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        {
            let (cache, outbox) =
                remote::restore(post_id, &cache_key(post_id), &outbox_key(post_id));
            let mut s = self.shared.borrow_mut();
            s.post_id = post_id.to_owned();
            s.cache = cache;
            s.outbox = outbox;
        }
        // The comments on the server when the reader arrives are the thread, not news: read
        // them before showing it (with no one subscribed yet, into the cache only).
        poll(self.shared.clone(), FIRST_READ_TIMEOUT_MS).await;
        let s = self.shared.borrow();
        Loaded {
            data: merge(seed, &s.cache),
            notice: local_storage().is_none().then_some(StoreNotice::MemoryOnly),
        }
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError> {
        {
            let mut s = self.shared.borrow_mut();
            s.post_id = post_id.to_owned();
            let at = now();
            match &change {
                Change::Comment(comment) => s.outbox.push(Pending::Comment(comment.clone()), at),
                Change::Like(like) => s.outbox.push(Pending::Like(like.clone()), at),
                Change::Thread(data) => {
                    for comment in &data.comments {
                        s.outbox.push(Pending::Comment(comment.clone()), at);
                    }
                    for like in &data.likes {
                        s.outbox.push(Pending::Like(like.clone()), at);
                    }
                }
            }
            save(&mut s)?;
            change.apply_to(&mut s.cache);
            let _ = save(&mut s);
        }
        leptos::task::spawn_local(drain(self.shared.clone()));
        Ok(())
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        let untold = {
            let mut s = self.shared.borrow_mut();
            s.post_id = post_id.to_owned();
            s.events = Some(events.clone());
            s.stopped = false;
            std::mem::take(&mut s.untold)
        };
        for problem in untold {
            (events.on_problem)(problem);
        }
        let stop_waking = {
            let shared = self.shared.clone();
            remote::on_wake_events(move || wake(&shared))
        };
        // Poll now, and send whatever an earlier visit left in the outbox.
        schedule_poll(&self.shared, 0.0);
        leptos::task::spawn_local(drain(self.shared.clone()));
        let shared = self.shared.clone();
        Subscription::new(move || {
            let mut s = shared.borrow_mut();
            s.stopped = true;
            s.events = None;
            for timer in [s.poll_timer.take(), s.wake_timer.take()]
                .into_iter()
                .flatten()
            {
                window().clear_timeout_with_handle(timer);
            }
            stop_waking();
        })
    }

    fn retry_now(&self) {
        wake(&self.shared);
    }
}
