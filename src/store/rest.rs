//! The remote store: a REST JSON endpoint (json-server compatible; docs/protocol.yaml).
//!
//! Every write goes into the outbox (kept in localStorage) and the thread at once, then to
//! the endpoint, retried with backoff until it arrives exactly once. The thread is cached in
//! this browser, one record per comment and like (`record_store`), so it shows at once on the
//! next visit and offline; polling that revalidates with the ETag (an unchanged thread costs a
//! 304) keeps it live.

use super::http::{self, HttpError, Revalidate};
use super::outbox::{OutboxEntry, Outcome, Pending};
use super::remote::{self, now, Runner, Server};
use super::wire;
use super::{Change, Events, Loaded, RemoteProblem, Store, StoreError, Subscription};
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

struct Shared {
    runner: Runner,
    etags: [Option<String>; 2],
    /// The last body read per collection: an unchanged one needs no work.
    last_bodies: [u64; 2],
    /// Whether that body had problems (which then still stand).
    last_had_problems: [bool; 2],
    /// Whether the last poll could not reach the server: when one does again, what waits in
    /// the outbox goes at once rather than at its backoff's time.
    cut_off: bool,
    poll_timer: Option<i32>,
}

pub struct RestStore {
    shared: Rc<RefCell<Shared>>,
}

impl RestStore {
    pub fn new(url: String, headers: Vec<(String, String)>, poll_seconds: f64) -> Self {
        RestStore {
            shared: Rc::new(RefCell::new(Shared {
                runner: Runner::new(url, headers, poll_seconds, "rest-cache", "colloquy:outbox:"),
                etags: [None, None],
                last_bodies: [0, 0],
                last_had_problems: [false, false],
                cut_off: false,
                poll_timer: None,
            })),
        }
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

impl Server for Shared {
    fn runner(&self) -> &Runner {
        &self.runner
    }

    fn runner_mut(&mut self) -> &mut Runner {
        &mut self.runner
    }

    async fn deliver(shared: &Rc<RefCell<Self>>, entry: &OutboxEntry) -> Result<(), Outcome> {
        let (base, headers, post_id) = {
            let s = &shared.borrow().runner;
            (s.url.clone(), s.headers.clone(), s.post_id.clone())
        };
        match &entry.change {
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
            // Not offered on this store (no accounts to check who decides): never queued.
            Pending::Moderation(_) | Pending::Report(_) => Err(Outcome::Permanent {
                reason: "a REST server keeps no instructor decisions or reports".to_owned(),
            }),
        }
    }
}

/// Fetches the thread if it changed (ETag revalidation, so an unchanged thread costs a 304),
/// and tells the UI; each request is abandoned after `timeout_ms`.
async fn poll(shared: Rc<RefCell<Shared>>, timeout_ms: i32) {
    let (base, headers, post_id, etags) = {
        let s = shared.borrow();
        (
            s.runner.url.clone(),
            s.runner.headers.clone(),
            s.runner.post_id.clone(),
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
                    remote::report_problem(&shared, RemoteProblem::Unreadable { detail });
                }
                let mut s = shared.borrow_mut();
                s.etags[slot] = etag.filter(|_| problems.is_empty());
                s.last_had_problems[slot] = !problems.is_empty();
            }
            Ok(response) => {
                let message = wire::server_message(&response.body);
                let status = response.status;
                remote::report_problem(&shared, RemoteProblem::Answered { status, message });
                return;
            }
            Err(error) => {
                shared.borrow_mut().cut_off = true;
                remote::report_problem(
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
        remote::send_now(&shared);
    }
    if clean {
        let events = shared.borrow().runner.events.clone();
        if let Some(events) = events {
            (events.on_problem_cleared)();
        }
    }
    if !changed {
        return;
    }
    let (changed, events) = {
        let s = &mut shared.borrow_mut().runner;
        let changed = s.cache.absorb(&remote);
        s.save_cache(changed.clone());
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
                if shared.borrow().runner.stopped {
                    return;
                }
                poll(shared.clone(), http::TIMEOUT_MS).await;
                let hidden = leptos::prelude::document().hidden();
                let seconds = shared.borrow().runner.poll_seconds;
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
    remote::send_now(shared);
    schedule_poll(shared, 0.0);
}

impl Store for RestStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        remote::restore(&self.shared, post_id).await;
        // The comments on the server when the reader arrives are the thread, not news: read
        // them before showing it (with no one subscribed yet, into the cache only).
        poll(self.shared.clone(), FIRST_READ_TIMEOUT_MS).await;
        self.shared.borrow().runner.loaded(seed)
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError> {
        remote::write(&self.shared, post_id, &change)
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        let untold = self
            .shared
            .borrow_mut()
            .runner
            .subscribe(post_id, events.clone());
        for problem in untold {
            (events.on_problem)(problem);
        }
        let stop_waking = {
            let shared = self.shared.clone();
            remote::on_wake_events(move || wake(&shared))
        };
        // Poll now, and send whatever an earlier visit left in the outbox.
        schedule_poll(&self.shared, 0.0);
        leptos::task::spawn_local(remote::drain(self.shared.clone()));
        let shared = self.shared.clone();
        Subscription::new(move || {
            let mut s = shared.borrow_mut();
            s.runner.unsubscribe();
            if let Some(timer) = s.poll_timer.take() {
                window().clear_timeout_with_handle(timer);
            }
            stop_waking();
        })
    }

    fn retry_now(&self) {
        wake(&self.shared);
    }
}
