//! The CouchDB store: a post's thread as documents in a CouchDB database (or PouchDB Server,
//! Cloudant), live through the `_changes` long-poll feed. docs/couchdb.md has the layout.
//!
//! Writes go through the same outbox as the REST store's (kept in localStorage, retried with
//! backoff). A write is a PUT to the record's own document id, so a retry cannot make a second
//! one; a 409 conflict reads the document and lets the merge rules decide (`couch_doc::
//! plan_write`). The thread is cached in this browser, one record per comment and like
//! (`record_store`), for the next visit and offline.

use super::couch_doc::{self, Plan, Stored};
use super::http::{self, HttpError, Revalidate};
use super::local::local_storage;
use super::outbox::{backoff_ms, OutboxEntry, Outcome, Pending};
use super::remote::{self, now, Runner, Server};
use super::wire;
use super::{Change, Events, Loaded, RemoteProblem, Store, StoreError, Subscription};
use crate::model::ThreadData;
use futures_channel::oneshot;
use gloo_net::http::Method;
use leptos::prelude::window;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// How much slower the thread is re-read while the page is hidden (no change filter only).
const HIDDEN_POLL_FACTOR: f64 = 5.0;
/// A long poll the server has not answered by then is abandoned and opened again.
const LONGPOLL_CLIENT_MS: i32 = couch_doc::LONGPOLL_SERVER_MS as i32 + 10_000;
/// Conflicts one write may meet before it waits and tries again later.
const MAX_CONFLICT_ROUNDS: usize = 4;
/// This browser's secret for the author locks of its comments (see `author_lock`).
const AUTHOR_SECRET_KEY: &str = "colloquy:author-secret";

struct Shared {
    runner: Runner,
    /// What the server holds in each document of the post, as last seen.
    stored: HashMap<String, Stored>,
    /// How to follow the database, found out (and the thread read) while loading: the feed
    /// goes on from there rather than reading the thread again.
    started: Option<Follow>,
    /// Ends the live feed's current wait (a backoff or a poll interval) early.
    feed_wake: Option<Waker>,
    /// Bumped per subscription: a feed loop of an older one stops.
    generation: u32,
    /// The headers config.json gives, for when a signed-in reader signs out.
    host_headers: Vec<(String, String)>,
}

pub struct CouchStore {
    shared: Rc<RefCell<Shared>>,
}

impl CouchStore {
    pub fn new(url: String, authorization: Option<String>, poll_seconds: f64) -> Self {
        let headers = authorization
            .map(|value| vec![("Authorization".to_owned(), value)])
            .unwrap_or_default();
        CouchStore {
            shared: Rc::new(RefCell::new(Shared {
                runner: Runner::new(
                    url,
                    headers.clone(),
                    poll_seconds,
                    "couch-cache",
                    "colloquy:couch-outbox:",
                ),
                stored: HashMap::new(),
                started: None,
                feed_wake: None,
                generation: 0,
                host_headers: headers,
            })),
        }
    }
}

/// This browser's author secret (for its comments and its published posts), created on
/// first use. Without storage it lasts for the page.
pub fn author_secret() -> String {
    thread_local! {
        static PAGE_SECRET: String = format!(
            "{}{}",
            crate::web::identity::random_id(),
            crate::web::identity::random_id()
        );
    }
    let page_secret = PAGE_SECRET.with(Clone::clone);
    let Some(storage) = local_storage() else {
        return page_secret;
    };
    if let Some(secret) = storage.get_item(AUTHOR_SECRET_KEY).ok().flatten() {
        return secret;
    }
    let _ = storage.set_item(AUTHOR_SECRET_KEY, &page_secret);
    page_secret
}

fn events(shared: &Rc<RefCell<Shared>>) -> Option<Events> {
    shared.borrow().runner.events.clone()
}

fn report_problem(shared: &Rc<RefCell<Shared>>, problem: RemoteProblem) {
    remote::report_problem(shared, problem);
}

fn clear_problem(shared: &Rc<RefCell<Shared>>) {
    if let Some(events) = events(shared) {
        (events.on_problem_cleared)();
    }
}

/// Keeps the later of a known and a newly seen revision per document.
fn note_stored(shared: &mut Shared, stored: HashMap<String, Stored>) {
    for (id, seen) in stored {
        let newer = shared
            .stored
            .get(&id)
            .is_none_or(|known| !known.is_newer_than(&seen));
        if newer {
            shared.stored.insert(id, seen);
        }
    }
}

/// Merges what the server holds into the thread and tells the UI if anything changed.
fn receive(shared: &Rc<RefCell<Shared>>, docs: couch_doc::Docs) {
    let base = shared.borrow().runner.url.clone();
    for problem in &docs.problems {
        let detail = format!("documents from {base}: {problem}");
        report_problem(shared, RemoteProblem::Unreadable { detail });
    }
    let changed = {
        let mut s = shared.borrow_mut();
        note_stored(&mut s, docs.stored);
        let changed = s.runner.cache.absorb(&docs.data);
        s.runner.save_cache(changed.clone());
        changed
    };
    if changed.is_empty() {
        return;
    }
    if let Some(events) = events(shared) {
        (events.on_change)(Change::records(changed));
    }
}

impl Server for Shared {
    fn runner(&self) -> &Runner {
        &self.runner
    }

    fn runner_mut(&mut self) -> &mut Runner {
        &mut self.runner
    }

    async fn deliver(shared: &Rc<RefCell<Self>>, entry: &OutboxEntry) -> Result<(), Outcome> {
        deliver(shared, &entry.change).await
    }
}

/// Gets one record onto the server: a PUT to its document, and after a conflict, a read of
/// what is there and the merge rules' decision.
async fn deliver(shared: &Rc<RefCell<Shared>>, record: &Pending) -> Result<(), Outcome> {
    let (base, headers, post_id) = {
        let s = &shared.borrow().runner;
        (s.url.clone(), s.headers.clone(), s.post_id.clone())
    };
    let secret = author_secret();
    let doc_id = couch_doc::doc_id(&post_id, record);
    let url = format!("{base}/{}", couch_doc::percent_encode(&doc_id));
    let mut known = shared.borrow().stored.get(&doc_id).cloned();
    for _ in 0..MAX_CONFLICT_ROUNDS {
        let doc = match couch_doc::plan_write(&post_id, record, known.as_ref(), &secret) {
            Plan::Done => {
                if let Some(known) = known {
                    receive(shared, docs_of_one(&doc_id, known));
                }
                return Ok(());
            }
            Plan::Refused(reason) => return Err(Outcome::Permanent { reason }),
            Plan::Write(doc) => doc,
        };
        let answer = http::send(
            Method::PUT,
            &url,
            &headers,
            Some(&doc.to_string()),
            Revalidate::Never,
        )
        .await;
        let contested =
            matches!(&answer, Ok(response) if response.status == 409 || response.status == 403);
        if !contested {
            if let Some(refused) = answer
                .as_ref()
                .ok()
                .filter(|response| response.status == 401)
            {
                // Said above the thread too: the reader's sign-in may have ended.
                let message = wire::server_message(&refused.body);
                report_problem(
                    shared,
                    RemoteProblem::Answered {
                        status: 401,
                        message,
                    },
                );
            }
            let response = http::outcome(answer, now())?;
            let mut s = shared.borrow_mut();
            match couch_doc::written_rev(&response.body) {
                Some(rev) => {
                    let lock = doc["authorLock"].as_str().map(str::to_owned);
                    let record = record.clone();
                    s.stored.insert(doc_id, Stored { record, rev, lock });
                }
                // Unknown: the next write meets a conflict and reads it.
                None => {
                    s.stored.remove(&doc_id);
                }
            }
            return Ok(());
        }
        // A conflict: someone (or an earlier try of this very write) got there first. A 403
        // may be one too (see `refused_as_stale`).
        let refusal = answer.ok().filter(|response| response.status == 403);
        let current = http::send(Method::GET, &url, &headers, None, Revalidate::Never).await;
        let current = match current {
            Ok(response) if response.status == 404 => None,
            other => {
                let response = http::outcome(other, now())?;
                let stored =
                    couch_doc::parse_doc(&response.body, &post_id, record).map_err(|problem| {
                        Outcome::Transient {
                            reason: problem,
                            retry_after_ms: None,
                        }
                    })?;
                Some(stored)
            }
        };
        if let Some(refusal) = refusal {
            if !couch_doc::refused_as_stale(known.as_ref(), current.as_ref()) {
                return http::outcome(Ok(refusal), now()).map(|_| ());
            }
        }
        known = current;
    }
    Err(Outcome::Transient {
        reason: "the document kept changing while it was written".to_owned(),
        retry_after_ms: None,
    })
}

fn docs_of_one(doc_id: &str, stored: Stored) -> couch_doc::Docs {
    let mut docs = couch_doc::Docs::default();
    match &stored.record {
        Pending::Comment(comment) => docs.data.comments.push(comment.clone()),
        Pending::Like(like) => docs.data.likes.push(like.clone()),
        Pending::Moderation(decision) => docs.data.moderation.push(decision.clone()),
        Pending::Report(report) => docs.data.reports.push(report.clone()),
    }
    docs.stored.insert(doc_id.to_owned(), stored);
    docs
}

/// Whoever fires first of a pause's timer and `wake_feed` ends it.
type Waker = Rc<RefCell<Option<oneshot::Sender<()>>>>;

fn fire(waker: &Waker) {
    if let Some(sender) = waker.borrow_mut().take() {
        let _ = sender.send(());
    }
}

/// Waits `ms`, or less if `wake_feed` is called meanwhile.
async fn pause(shared: &Rc<RefCell<Shared>>, ms: f64) {
    let (sender, receiver) = oneshot::channel::<()>();
    let waker: Waker = Rc::new(RefCell::new(Some(sender)));
    let timer = {
        let waker = waker.clone();
        Closure::once_into_js(move || fire(&waker))
    };
    let handle = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(timer.unchecked_ref(), ms as i32)
        .ok();
    shared.borrow_mut().feed_wake = Some(waker);
    let _ = receiver.await;
    if let Some(handle) = handle {
        window().clear_timeout_with_handle(handle);
    }
}

fn wake_feed(shared: &Rc<RefCell<Shared>>) {
    let waker = shared.borrow_mut().feed_wake.take();
    if let Some(waker) = waker {
        fire(&waker);
    }
}

/// One GET's body, or why there is none.
async fn get(shared: &Rc<RefCell<Shared>>, url: &str) -> Result<String, RemoteProblem> {
    let headers = shared.borrow().runner.headers.clone();
    let answer = http::send(Method::GET, url, &headers, None, Revalidate::Never).await;
    answer_body(answer)
}

fn answer_body(answer: Result<http::HttpResponse, HttpError>) -> Result<String, RemoteProblem> {
    match answer {
        Ok(response) if response.status == 200 => Ok(response.body),
        Ok(response) => Err(RemoteProblem::Answered {
            status: response.status,
            message: wire::server_message(&response.body),
        }),
        Err(HttpError::Timeout) => Err(RemoteProblem::TimedOut),
        Err(HttpError::Network(reason)) => Err(RemoteProblem::Unreachable { reason }),
    }
}

fn unreadable(detail: String) -> RemoteProblem {
    RemoteProblem::Unreadable { detail }
}

/// One long poll of the post's changes after `since`: the new `since`, or `Ok(None)` when the
/// request was left unanswered (PouchDB Server holds it until something changes).
async fn poll_changes(
    shared: &Rc<RefCell<Shared>>,
    since: &str,
) -> Result<Option<String>, RemoteProblem> {
    let (base, post_id, headers) = {
        let s = shared.borrow();
        (
            s.runner.url.clone(),
            s.runner.post_id.clone(),
            s.runner.headers.clone(),
        )
    };
    let url = format!(
        "{base}/_changes?{}",
        couch_doc::changes_query(&post_id, since)
    );
    let answer = http::send_within(
        Method::GET,
        &url,
        &headers,
        None,
        Revalidate::Never,
        LONGPOLL_CLIENT_MS,
    )
    .await;
    if matches!(answer, Err(HttpError::Timeout)) {
        return Ok(None);
    }
    let changes = couch_doc::parse_changes(&answer_body(answer)?, &post_id)
        .map_err(|problem| unreadable(format!("the change feed: {problem}")))?;
    let next = changes.last_seq.clone();
    if !shared.borrow().runner.stopped {
        receive(shared, changes.docs);
    }
    Ok(Some(next))
}

/// Reads every document of the post (one `_all_docs` range) into the thread.
async fn read_range(shared: &Rc<RefCell<Shared>>) -> Result<(), RemoteProblem> {
    let (base, post_id) = {
        let s = shared.borrow();
        (s.runner.url.clone(), s.runner.post_id.clone())
    };
    let url = format!("{base}/_all_docs?{}", couch_doc::range_query(&post_id));
    let body = get(shared, &url).await?;
    receive(shared, couch_doc::parse_all_docs(&body, &post_id));
    Ok(())
}

/// How the feed learns of changes, once it knows what the database offers.
enum Follow {
    /// `_changes` through the design document's post filter, from this sequence.
    Changes { since: String },
    /// No filter installed: the range is read again every `pollSeconds`.
    Poll,
}

/// Finds out how to follow the database and reads the thread once.
async fn start_following(shared: &Rc<RefCell<Shared>>) -> Result<Follow, RemoteProblem> {
    let base = shared.borrow().runner.url.clone();
    let headers = shared.borrow().runner.headers.clone();
    let ddoc_url = format!("{base}/{}", couch_doc::DESIGN_DOC_ID);
    let ddoc = http::send(Method::GET, &ddoc_url, &headers, None, Revalidate::Never).await;
    let filtered = match ddoc {
        Ok(response) if response.status == 200 => couch_doc::has_post_filter(&response.body),
        Ok(response) if response.status == 404 => false,
        other => answer_body(other).map(|_| false)?,
    };
    if !filtered {
        web_sys::console::warn_1(&JsValue::from_str(&format!(
            "Colloquy: {base} has no {} with the post filter (node scripts/couch-install.mjs installs it); the thread is re-read every few seconds instead of followed live",
            couch_doc::DESIGN_DOC_ID
        )));
        read_range(shared).await?;
        return Ok(Follow::Poll);
    }
    // The sequence before the read: nothing written in between is missed.
    let since = couch_doc::parse_update_seq(&get(shared, &base).await?).map_err(unreadable)?;
    read_range(shared).await?;
    Ok(Follow::Changes { since })
}

/// Follows the post's documents until the subscription ends: through `_changes` long polls,
/// resuming from the last sequence, or by re-reading the range; reconnecting with backoff.
async fn follow(shared: Rc<RefCell<Shared>>, generation: u32) {
    let live = |shared: &Rc<RefCell<Shared>>| {
        let s = shared.borrow();
        !s.runner.stopped && s.generation == generation
    };
    let mut mode: Option<Follow> = shared.borrow_mut().started.take();
    // Loading has just read the thread: a re-reading feed waits its interval first.
    let mut just_read = mode.is_some();
    let mut failures: u32 = 0;
    while live(&shared) {
        let step = match &mut mode {
            None => start_following(&shared)
                .await
                .map(|follow| mode = Some(follow)),
            Some(Follow::Poll) if std::mem::take(&mut just_read) => Ok(()),
            Some(Follow::Poll) => read_range(&shared).await,
            Some(Follow::Changes { since }) => match poll_changes(&shared, since).await {
                Ok(next) => {
                    if let Some(next) = next {
                        *since = next;
                    }
                    Ok(())
                }
                Err(problem) => Err(problem),
            },
        };
        if !live(&shared) {
            break;
        }
        match step {
            Ok(()) => {
                if failures > 0 {
                    // The database is back: whatever waits in the outbox goes now.
                    remote::send_now(&shared);
                }
                failures = 0;
                clear_problem(&shared);
                if matches!(mode, Some(Follow::Poll)) {
                    let seconds = shared.borrow().runner.poll_seconds;
                    let hidden = leptos::prelude::document().hidden();
                    let factor = if hidden { HIDDEN_POLL_FACTOR } else { 1.0 };
                    pause(&shared, seconds * 1000.0 * factor).await;
                }
            }
            Err(problem) => {
                failures = failures.saturating_add(1);
                report_problem(&shared, problem);
                pause(&shared, backoff_ms(failures, js_sys::Math::random())).await;
            }
        }
    }
}

/// Sends what waits in the outbox and ends the feed's wait, now (back online, back in
/// view, or asked).
fn wake(shared: &Rc<RefCell<Shared>>) {
    remote::send_now(shared);
    wake_feed(shared);
}

impl Store for CouchStore {
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded {
        remote::restore(&self.shared, post_id).await;
        // The comments on the server when the reader arrives are the thread, not news: read
        // them before showing it (with no one subscribed yet, into the cache only).
        match start_following(&self.shared).await {
            Ok(follow) => self.shared.borrow_mut().started = Some(follow),
            Err(problem) => report_problem(&self.shared, problem),
        }
        self.shared.borrow().runner.loaded(seed)
    }

    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError> {
        let record = match &change {
            Change::Moderation(decision) => Pending::Moderation(decision.clone()),
            Change::Report(report) => Pending::Report(report.clone()),
            _ => return remote::write(&self.shared, post_id, &change),
        };
        // A staff decision or a report is a click, not typed text: sent at once rather than
        // kept in the outbox, and the reader is told if it did not arrive (and clicks again).
        match deliver(&self.shared, &record).await {
            Ok(()) => {
                change.apply_to(&mut self.shared.borrow_mut().runner.cache);
                Ok(())
            }
            Err(Outcome::Transient { reason, .. } | Outcome::Permanent { reason }) => {
                Err(StoreError::Failed(reason))
            }
        }
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        let (generation, untold) = {
            let mut s = self.shared.borrow_mut();
            s.generation = s.generation.wrapping_add(1);
            (s.generation, s.runner.subscribe(post_id, events.clone()))
        };
        for problem in untold {
            (events.on_problem)(problem);
        }
        let stop_waking = {
            let shared = self.shared.clone();
            remote::on_wake_events(move || wake(&shared))
        };
        leptos::task::spawn_local(follow(self.shared.clone(), generation));
        // Send whatever an earlier visit left in the outbox.
        leptos::task::spawn_local(remote::drain(self.shared.clone()));
        let shared = self.shared.clone();
        Subscription::new(move || {
            shared.borrow_mut().runner.unsubscribe();
            wake_feed(&shared);
            stop_waking();
        })
    }

    fn retry_now(&self) {
        wake(&self.shared);
    }

    fn accounts(&self) -> Option<String> {
        Some(self.shared.borrow().runner.url.clone())
    }

    fn set_authorization(&self, authorization: Option<String>) {
        let mut s = self.shared.borrow_mut();
        s.runner.headers = match authorization {
            Some(value) => vec![("Authorization".to_owned(), value)],
            None => s.host_headers.clone(),
        };
    }
}
