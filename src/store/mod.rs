//! Where a post's thread lives. One interface, `Store`, for every kind of storage: the UI
//! never knows which one it talks to. The interface works in changes: the thread is loaded
//! once, each write is one change (a comment or like whose id the client chose, so a retried
//! write is harmless), and what others change arrives as those changes, never a whole thread.

pub mod author_lock;
pub mod couch;
pub mod couch_doc;
pub mod http;
pub mod idb;
pub mod indexed;
pub mod key_records;
pub mod local;
pub mod outbox;
pub mod record_keys;
pub mod record_store;
pub mod records;
pub mod remote;
pub mod rest;
pub mod wire;

use crate::model::{moderation, report, Comment, Like, Moderation, Report, ThreadData};
use std::fmt;
use std::rc::Rc;

/// One change to a thread: a new or edited comment (a delete is a comment with `deleted`),
/// or a like toggled.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Comment(Comment),
    Like(Like),
    /// A staff decision about a comment or the discussion (stores with accounts only).
    Moderation(Moderation),
    /// A reader's report of a comment, or the staff's review of it (stores with accounts only).
    Report(Report),
    /// A whole thread merged in (an imported export).
    Thread(ThreadData),
}

impl Change {
    /// The changes that make up `data`, one per record.
    pub fn records(data: ThreadData) -> Vec<Change> {
        let comments = data.comments.into_iter().map(Change::Comment);
        comments
            .chain(data.likes.into_iter().map(Change::Like))
            .chain(data.moderation.into_iter().map(Change::Moderation))
            .chain(data.reports.into_iter().map(Change::Report))
            .collect()
    }

    /// Applies this change to `data` by the merge rules; returns whether `data` changed.
    pub fn apply_to(&self, data: &mut ThreadData) -> bool {
        match self {
            Change::Comment(comment) => data.apply_comment(comment),
            Change::Like(like) => data.apply_like(like),
            Change::Moderation(record) => moderation::apply(&mut data.moderation, record),
            Change::Report(record) => report::apply(&mut data.reports, record),
            Change::Thread(thread) => {
                let changed = data.absorb(thread);
                !changed.is_empty()
            }
        }
    }

    /// The thread data holding just this change, ready to merge.
    pub fn as_data(&self) -> ThreadData {
        match self {
            Change::Comment(comment) => ThreadData {
                comments: vec![comment.clone()],
                ..ThreadData::default()
            },
            Change::Like(like) => ThreadData {
                likes: vec![like.clone()],
                ..ThreadData::default()
            },
            Change::Moderation(record) => ThreadData {
                moderation: vec![record.clone()],
                ..ThreadData::default()
            },
            Change::Report(record) => ThreadData {
                reports: vec![record.clone()],
                ..ThreadData::default()
            },
            Change::Thread(data) => data.clone(),
        }
    }
}

/// Why a store could not do what was asked; the UI words it (`i18n::messages`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's storage for this site is full; nothing was written.
    QuotaExceeded,
    /// The thread has not finished loading, so there is no store to write to yet.
    NotReady,
    /// Any other failure, described by the store (in English: it is technical detail).
    Failed(String),
}

/// Something the reader should know about the store as a whole, shown above the thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreNotice {
    /// Storage cannot be used here; the thread lives in this page only.
    MemoryOnly,
    /// Saved data could not be read and was moved aside under `backup_key`.
    SetAside { backup_key: String, reason: String },
}

/// What is wrong with a remote store while the thread is shown; the UI words it
/// (`i18n::messages`). Details (the browser's reason, a bad record) stay as written, in English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoteProblem {
    /// The server cannot be reached, for the browser's `reason`; the saved copy is shown.
    Unreachable { reason: String },
    /// The server did not answer in time; the saved copy is shown.
    TimedOut,
    /// The server answered with an error status, and its own message when it gave one.
    Answered {
        status: u16,
        message: Option<String>,
    },
    /// What the server sent cannot be used: `detail` names the record and its fault.
    Unreadable { detail: String },
}

/// In English, for the console.
impl fmt::Display for RemoteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteProblem::Unreachable { reason } => {
                write!(f, "the comment server cannot be reached ({reason})")
            }
            RemoteProblem::TimedOut => write!(f, "the comment server did not answer in time"),
            RemoteProblem::Answered { status, message } => {
                write!(f, "the comment server answered {status}")?;
                message.iter().try_for_each(|m| write!(f, ": {m}"))
            }
            RemoteProblem::Unreadable { detail } => write!(f, "unusable data: {detail}"),
        }
    }
}

/// A thread as loaded: its data and anything the reader should be told.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub data: ThreadData,
    pub notice: Option<StoreNotice>,
}

/// Where one of this browser's writes stands on its way to a remote store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sending,
    Sent,
    /// Will be retried; says why it has not arrived yet.
    Waiting(String),
    /// Will not be retried: the server refused it, with its reason.
    Failed(String),
}

impl Delivery {
    /// The delivery state of an outbox entry; no entry means it arrived.
    pub fn from_state(state: Option<&outbox::EntryState>) -> Delivery {
        match state {
            None => Delivery::Sent,
            Some(outbox::EntryState::Queued | outbox::EntryState::Sending { .. }) => {
                Delivery::Sending
            }
            Some(outbox::EntryState::Waiting { reason, .. }) => Delivery::Waiting(reason.clone()),
            Some(outbox::EntryState::Failed { reason }) => Delivery::Failed(reason.clone()),
        }
    }
}

/// What a store tells the thread while it is shown.
#[derive(Clone)]
pub struct Events {
    /// What changed elsewhere (another tab, another reader), one record per change: a new
    /// comment, an edit or a tombstone (`Change::Comment`), a like (`Change::Like`).
    pub on_change: Rc<dyn Fn(Vec<Change>)>,
    /// A write's delivery state changed (remote stores only), by the written record's id.
    pub on_delivery: Rc<dyn Fn(String, Delivery)>,
    /// Something went wrong that the reader should see (a bad response, no connection).
    pub on_problem: Rc<dyn Fn(RemoteProblem)>,
    /// The store is fine again.
    pub on_problem_cleared: Rc<dyn Fn()>,
}

/// Stops a subscription when dropped.
pub struct Subscription(Option<Box<dyn FnOnce()>>);

impl Subscription {
    pub fn new(stop: impl FnOnce() + 'static) -> Self {
        Subscription(Some(Box::new(stop)))
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            stop();
        }
    }
}

/// A place a post's thread is kept. Async throughout so remote stores fit the same shape.
#[allow(
    async_fn_in_trait,
    reason = "single-threaded wasm: futures need not be Send"
)]
pub trait Store {
    /// The thread of `post_id`, merged with the post's seed comments.
    async fn load(&self, post_id: &str, seed: &ThreadData) -> Loaded;
    /// Keeps one change; once it returns `Ok`, the change is the caller's to show.
    async fn write(&self, post_id: &str, change: Change) -> Result<(), StoreError>;
    /// Reports changes made elsewhere and delivery states through `events`, until the
    /// subscription is dropped.
    fn subscribe(&self, post_id: &str, events: Events) -> Subscription;
    /// Sends what waits to be delivered now, not at its retry time (the reader asked).
    fn retry_now(&self) {}
    /// Whether the thread lives in this browser only, not in a store the class shares.
    fn is_local(&self) -> bool {
        false
    }
    /// The database readers sign in to, on a store with accounts (CouchDB); `None` elsewhere.
    fn accounts(&self) -> Option<String> {
        None
    }
    /// Sends `authorization` (a signed-in reader's) with every request from now on, in place
    /// of the host's credentials; `None` goes back to the host's.
    fn set_authorization(&self, _authorization: Option<String>) {}
}

/// A store as the thread holds it, whichever kind config.json chose: `Store` behind dynamic
/// dispatch (its futures boxed), so the kinds a thread module does not carry are not linked.
pub trait DynStore {
    fn load<'a>(&'a self, post_id: &'a str, seed: &'a ThreadData) -> LocalFuture<'a, Loaded>;
    fn write<'a>(
        &'a self,
        post_id: &'a str,
        change: Change,
    ) -> LocalFuture<'a, Result<(), StoreError>>;
    fn subscribe(&self, post_id: &str, events: Events) -> Subscription;
    fn retry_now(&self);
    /// Whether the thread lives in this browser only (the local store), not a shared one.
    fn is_local(&self) -> bool;
    fn accounts(&self) -> Option<String>;
    fn set_authorization(&self, authorization: Option<String>);
}

type LocalFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

impl<S: Store> DynStore for S {
    fn load<'a>(&'a self, post_id: &'a str, seed: &'a ThreadData) -> LocalFuture<'a, Loaded> {
        Box::pin(Store::load(self, post_id, seed))
    }

    fn write<'a>(
        &'a self,
        post_id: &'a str,
        change: Change,
    ) -> LocalFuture<'a, Result<(), StoreError>> {
        Box::pin(Store::write(self, post_id, change))
    }

    fn subscribe(&self, post_id: &str, events: Events) -> Subscription {
        Store::subscribe(self, post_id, events)
    }

    fn retry_now(&self) {
        Store::retry_now(self)
    }

    fn is_local(&self) -> bool {
        Store::is_local(self)
    }

    fn accounts(&self) -> Option<String> {
        Store::accounts(self)
    }

    fn set_authorization(&self, authorization: Option<String>) {
        Store::set_authorization(self, authorization)
    }
}

/// The store the host configured (config.json `store`).
pub type AnyStore = Rc<dyn DynStore>;

/// Opens the store config.json names. Each thread module passes the opener of the stores it
/// carries (`src/bin/thread_app*.rs`): a site on the local store downloads no remote store.
pub type StoreOpener = fn(&crate::config::StoreConfig) -> Result<AnyStore, String>;

/// This browser's store only: the thread module of a site on the local store.
pub fn open_local(config: &crate::config::StoreConfig) -> Result<AnyStore, String> {
    match config {
        crate::config::StoreConfig::Local => Ok(Rc::new(local::LocalStore::new())),
        // The page chose this module for a local site; config.json changed since it looked.
        _ => Err("config.json names a shared store, which this page's thread module does not carry: reload the page".into()),
    }
}

/// Every store: the thread module of a site on a shared store (REST, CouchDB).
pub fn open_any(config: &crate::config::StoreConfig) -> Result<AnyStore, String> {
    Ok(match config {
        crate::config::StoreConfig::Local => Rc::new(local::LocalStore::new()),
        crate::config::StoreConfig::Rest {
            url,
            headers,
            poll_seconds,
        } => Rc::new(rest::RestStore::new(
            url.clone(),
            headers.clone(),
            *poll_seconds,
        )),
        crate::config::StoreConfig::CouchDb {
            url,
            credentials,
            poll_seconds,
        } => Rc::new(couch::CouchStore::new(
            url.clone(),
            credentials
                .as_ref()
                .map(crate::config::Credentials::authorization),
            *poll_seconds,
        )),
    })
}
