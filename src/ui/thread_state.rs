//! The state a post's thread shares among its views (`ThreadContext`, provided as context):
//! the data on screen, its view and each comment's node, and the actions that change them
//! (writing, taking what changed elsewhere, showing waiting comments, going to a comment).
//! The views (`thread`, `comment`, `composer`, `passage`, `thread_tools`) use it; it uses none
//! of them.

use crate::content::markdown::{Document, Element, Kind, Node};
use crate::content::protocol::{Reply, Request};
use crate::model::account::{AccountMark, StaffRoles};
use crate::model::anchor::Passage;
use crate::model::thread::{SortOrder, ThreadNode, ThreadView};
use crate::model::{moderation, Comment, Like, ThreadData};
use crate::store::{AnyStore, Change, Delivery, RemoteProblem, StoreError};
use crate::web::{body_cache, content_worker, locale};
use futures_channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{HashMap, HashSet};

/// What only the shared stores' thread module carries (`src/bin/thread_app_shared.rs`), so a
/// site on the local store downloads none of it: signing in, and the staff's tools.
#[derive(Clone, Copy)]
pub struct ClassTools {
    /// The account bar above the thread, given the database and the host's staff roles.
    pub account_bar: fn(String, StaffRoles) -> AnyView,
    /// The marks a comment shows of the staff's decisions (Pinned, Endorsed).
    pub comment_marks: fn(RwSignal<Option<ThreadNode>>) -> AnyView,
    /// The staff's buttons on a comment (Pin, Endorse, Hide), for staff only.
    pub comment_actions: fn(RwSignal<Option<ThreadNode>>) -> AnyView,
    /// The discussion's lock: its notice, and for staff, the button.
    pub discussion: fn() -> AnyView,
    /// Applies the staff's decisions to a view just built from the data: pinned first, the
    /// marks, pseudonyms where the discussion is anonymous to classmates.
    pub staff_view: fn(ThreadContext, &mut ThreadView, &ThreadData),
}

/// The state the thread's parts share, provided as context.
#[derive(Clone, Copy)]
pub struct ThreadContext {
    pub post_id: StoredValue<String>,
    pub me: StoredValue<String>,
    store: StoredValue<Option<AnyStore>, LocalStorage>,
    /// The comments and likes on screen.
    pub data: RwSignal<ThreadData>,
    /// Newer data with others' new comments, waiting behind the "N new comments" button.
    pub incoming: RwSignal<Option<ThreadData>>,
    pub sort: RwSignal<SortOrder>,
    /// The view of `data`: built once, then kept current change by change where the change
    /// allows (`ThreadView::apply_comment`, `apply_like`), built again where it does not.
    pub view: RwSignal<ThreadView>,
    /// The node of each comment put on screen as its own signal (a copy of the view's), set only
    /// when that node changes: a comment follows its own signal, so one new comment does not
    /// wake every other one.
    node_signals: StoredValue<HashMap<String, ArcRwSignal<Option<ThreadNode>>>>,
    /// The ids of the top-level comments, in display order.
    pub roots: Memo<Vec<String>>,
    /// Comment bodies rendered (by the site build, earlier in this browser, or by the content
    /// worker now), by `render_key`: one signal each, so a body that arrives repaints its own
    /// comment only.
    rendered: StoredValue<HashMap<String, ArcRwSignal<Option<Document>>>>,
    /// Render keys on their way (from the body cache or the content worker).
    rendering: StoredValue<HashSet<String>>,
    /// Bodies asked for by the comments put on screen since the last request went out.
    to_render: StoredValue<Vec<(String, String)>>,
    /// Which top-level comments (with their replies) are on screen: the pages of
    /// `ROOTS_PER_PAGE` from `first_shown_page` up to `shown_roots`. A long thread renders
    /// what the reader sees and nears (see `thread::follow_the_reader`), not all of it.
    pub first_shown_page: RwSignal<usize>,
    pub shown_roots: RwSignal<usize>,
    pub replying_to: RwSignal<Option<String>>,
    pub editing: RwSignal<Option<String>>,
    /// Which comment is being replied to and edited, as selectors: a change wakes the card
    /// that was and the card that is, not every card.
    replying_selector: StoredValue<Selector<Option<String>>>,
    editing_selector: StoredValue<Selector<Option<String>>>,
    /// What the polite live region says.
    pub announcement: RwSignal<String>,
    /// The clock, refreshed every minute (the edit window follows it).
    pub now_ms: RwSignal<f64>,
    /// The same clock, refreshed every ten minutes and every hour: a relative time follows
    /// the coarsest that keeps its words right (see `now_for`), so the minute's tick does not
    /// reformat every comment's time.
    now_by_ten_minutes: RwSignal<f64>,
    now_by_hour: RwSignal<f64>,
    /// How long one's own comments stay editable (config.json `thread.editWindowMinutes`).
    pub edit_window_minutes: RwSignal<u32>,
    /// The passage the new comment will quote, chosen in the post.
    pub passage: RwSignal<Option<Passage>>,
    /// Where each anchored comment's passage is in the post now; `None` when orphaned.
    pub anchors: RwSignal<HashMap<String, Option<(usize, usize)>>>,
    /// Where this browser's writes stand on their way to a remote store, one signal per
    /// record id (see `delivery_of`): a change wakes its own comment only.
    delivery: StoredValue<HashMap<String, ArcRwSignal<Option<Delivery>>>>,
    /// What is wrong with the remote store right now, shown as a banner.
    pub store_problem: RwSignal<Option<RemoteProblem>>,
    /// The number of a comment the URL's fragment names that the thread does not have.
    pub missing_comment: RwSignal<Option<String>>,
    /// Whether the store is this browser's own (localStorage), not a shared one.
    pub local_store: RwSignal<bool>,
    /// Comments posted after this instant (Unix milliseconds) by others are new to the reader
    /// (see `model::unread`); `None` marks nothing.
    pub seen_until: RwSignal<Option<i64>>,
    /// The signed-in reader's account, on a store with accounts: their comments carry it.
    pub account: RwSignal<Option<AccountMark>>,
    /// Notified when the store refuses one of the reader's writes (a failed delivery, a decision
    /// or report not taken): the account bar then asks the server who the reader is now, for a
    /// sign-in that ended or a staff role taken away mid-session.
    pub refused_write: Trigger,
    /// Whether the next comments to arrive are shown at once, not behind the "N new comments"
    /// button: they are the thread a reader just signed in to read.
    pub reveal_arrivals: StoredValue<bool>,
    /// Signing in and the staff's tools, in the shared stores' thread module only.
    pub class_tools: Option<ClassTools>,
    /// Whether the discussion is locked to the reader (see `is_locked_to_me`): a memo, so what
    /// follows it wakes when the lock changes, not on every change to the thread.
    locked_to_me: Memo<bool>,
    /// Whether the others' comments wait until the reader has posted (see `is_withheld_from_me`).
    withheld_from_me: Memo<bool>,
}

pub use crate::model::comment::render_key;

impl ThreadContext {
    /// The state of a thread that has not loaded yet: no comments, nothing shown.
    pub fn new(
        post_id: String,
        me: String,
        prerendered: HashMap<String, Document>,
    ) -> ThreadContext {
        let replying_to = RwSignal::new(None);
        let editing = RwSignal::new(None);
        let view = RwSignal::new(ThreadView::default());
        let data = RwSignal::new(ThreadData::default());
        let account: RwSignal<Option<AccountMark>> = RwSignal::new(None);
        let student = move || account.with(|a| a.as_ref().is_none_or(|a| a.role.is_none()));
        let locked_to_me =
            Memo::new(move |_| data.with(|d| moderation::is_locked(&d.moderation)) && student());
        let withheld_from_me = {
            let me = me.clone();
            Memo::new(move |_| {
                let signed_in = account.with(|a| a.as_ref().map(|a| a.name.clone()));
                data.with(|d| {
                    moderation::is_post_first(&d.moderation)
                        && !d.comments.iter().any(|c| {
                            !c.deleted
                                && (c.author_key.as_deref() == Some(me.as_str())
                                    || (c.account.is_some() && c.account == signed_in))
                        })
                }) && student()
            })
        };
        // The body cache opens while the thread loads.
        body_cache::warm_up();
        ThreadContext {
            post_id: StoredValue::new(post_id),
            me: StoredValue::new(me),
            store: StoredValue::new_local(None),
            data,
            incoming: RwSignal::new(None),
            sort: RwSignal::new(SortOrder::OldestFirst),
            view,
            node_signals: StoredValue::new(HashMap::new()),
            roots: Memo::new(move |_| view.with(|v| v.roots().to_vec())),
            rendered: StoredValue::new(
                prerendered
                    .into_iter()
                    .map(|(key, body)| (key, ArcRwSignal::new(Some(body))))
                    .collect(),
            ),
            rendering: StoredValue::new(HashSet::new()),
            to_render: StoredValue::new(Vec::new()),
            first_shown_page: RwSignal::new(0),
            shown_roots: RwSignal::new(ROOTS_PER_PAGE),
            replying_to,
            editing,
            replying_selector: StoredValue::new(Selector::new(move || replying_to.get())),
            editing_selector: StoredValue::new(Selector::new(move || editing.get())),
            announcement: RwSignal::new(String::new()),
            now_ms: RwSignal::new(js_sys::Date::now()),
            now_by_ten_minutes: RwSignal::new(js_sys::Date::now()),
            now_by_hour: RwSignal::new(js_sys::Date::now()),
            edit_window_minutes: RwSignal::new(
                crate::config::Config::default().edit_window_minutes,
            ),
            passage: RwSignal::new(None),
            anchors: RwSignal::new(HashMap::new()),
            delivery: StoredValue::new(HashMap::new()),
            store_problem: RwSignal::new(None),
            missing_comment: RwSignal::new(None),
            local_store: RwSignal::new(false),
            seen_until: RwSignal::new(None),
            account,
            reveal_arrivals: StoredValue::new(false),
            refused_write: Trigger::new(),
            class_tools: None,
            locked_to_me,
            withheld_from_me,
        }
    }

    /// Whether the signed-in reader is staff (an instructor or a TA): they see and do what
    /// the staff's decisions hide from or forbid to students.
    pub fn is_staff(self) -> bool {
        self.account
            .with(|account| account.as_ref().is_some_and(|a| a.role.is_some()))
    }

    /// Whether the discussion is locked to the reader: no new comments or replies.
    pub fn is_locked_to_me(self) -> bool {
        self.locked_to_me.get()
    }

    /// Whether the reader sees classmates under pseudonyms: the discussion is anonymous to
    /// classmates and the reader is not staff.
    pub fn is_anonymous_to_me(self) -> bool {
        self.data
            .with_untracked(|d| moderation::is_anonymous(&d.moderation))
            && self
                .account
                .with_untracked(|a| a.as_ref().is_none_or(|a| a.role.is_none()))
    }

    /// Whether the others' comments are withheld from the reader: the discussion asks a
    /// student to post before seeing replies, and they have not posted yet.
    pub fn is_withheld_from_me(self) -> bool {
        self.withheld_from_me.get()
    }

    /// The store writes go to, once the thread has loaded.
    /// The store, once config.json has named it.
    pub fn store(self) -> Option<AnyStore> {
        self.store.get_value()
    }

    pub fn set_store(self, store: AnyStore) {
        self.local_store.set(store.is_local());
        self.store.set_value(Some(store));
    }

    /// Sends the writes waiting for a retry now (the reader pressed "Retry now").
    pub fn retry_now(self) {
        if let Some(store) = self.store.get_value() {
            store.retry_now();
        }
    }

    /// Takes the thread as the store loaded it, and builds its view.
    pub fn show_loaded(self, data: ThreadData) {
        self.data.set(data);
        self.rebuild();
    }

    /// The node of comment `id`, kept current by the thread (see `node_signals`).
    pub fn node(self, id: &str) -> ArcRwSignal<Option<ThreadNode>> {
        if let Some(signal) = self.node_signals.with_value(|s| s.get(id).cloned()) {
            return signal;
        }
        let signal = ArcRwSignal::new(self.view.with_untracked(|v| v.node(id).cloned()));
        self.node_signals
            .update_value(|s| drop(s.insert(id.to_owned(), signal.clone())));
        signal
    }

    /// Moves the clocks on by one minute's tick (`minute` counts the ticks).
    pub fn tick(self, minute: u32) {
        let now = js_sys::Date::now();
        self.now_ms.set(now);
        if minute.is_multiple_of(10) {
            self.now_by_ten_minutes.set(now);
        }
        if minute.is_multiple_of(60) {
            self.now_by_hour.set(now);
        }
    }

    /// "Now" for a relative time of something made at `made_ms`, tracked on the clock that
    /// changes its words: minutes while under an hour old, hours (to ten minutes) while under
    /// a day, days (to the hour) after that.
    pub fn now_for(self, made_ms: f64) -> f64 {
        const HOUR_MS: f64 = 3_600_000.0;
        let age = self.now_ms.get_untracked() - made_ms;
        if age < HOUR_MS {
            self.now_ms.get()
        } else if age < 24.0 * HOUR_MS {
            self.now_by_ten_minutes.get()
        } else {
            self.now_by_hour.get()
        }
    }

    /// Where the write of record `id` stands on its way to a remote store (`None`: nothing to
    /// say), followed by that record's comment only.
    pub fn delivery_of(self, id: &str) -> ArcRwSignal<Option<Delivery>> {
        if let Some(signal) = self.delivery.with_value(|d| d.get(id).cloned()) {
            return signal;
        }
        let signal = ArcRwSignal::new(None);
        self.delivery
            .update_value(|d| drop(d.insert(id.to_owned(), signal.clone())));
        signal
    }

    /// Whether the reply composer is open under comment `id` (wakes only on its own change).
    pub fn is_replying_to(self, id: &str) -> bool {
        self.replying_selector
            .with_value(|selector| selector.selected(&Some(id.to_owned())))
    }

    /// Whether comment `id` is being edited (wakes only on its own change).
    pub fn is_editing(self, id: &str) -> bool {
        self.editing_selector
            .with_value(|selector| selector.selected(&Some(id.to_owned())))
    }

    /// The rendered body of `key` (see `render_key`), `None` until the worker has sent it.
    pub fn rendered_body(self, key: &str) -> ArcRwSignal<Option<Document>> {
        self.rendered.update_value(|rendered| {
            if !rendered.contains_key(key) {
                rendered.insert(key.to_owned(), ArcRwSignal::new(None));
            }
        });
        self.rendered.with_value(|rendered| rendered[key].clone())
    }

    /// Asks for the body of `comment` (from the body cache, else the content worker) unless
    /// it is rendered or on its way. Called by each comment as it comes on screen: the
    /// requests made while one batch of comments renders go out together, in the order the
    /// comments were put on screen, so the first screen's bodies come first and bodies nobody
    /// scrolled to are never asked.
    pub fn request_body(self, comment: &Comment) {
        let Some(key) = self.claim_body(comment) else {
            return;
        };
        let first = self.to_render.with_value(Vec::is_empty);
        self.to_render
            .update_value(|queue| queue.push((key, comment.body.clone())));
        if first {
            // Runs once the comments being put on screen now have all asked.
            spawn_local(async move { self.send_render_requests().await });
        }
    }

    /// Renders the body of `comment`, which this browser is writing, at once (alongside the
    /// store's write); the receiver hears when it is drawn. Not looked up in the cache: a
    /// text just written is not in it.
    fn render_written(self, comment: &Comment) -> Option<oneshot::Receiver<()>> {
        let key = self.claim_body(comment)?;
        let body = comment.body.clone();
        let (done, drawn) = oneshot::channel();
        spawn_local(async move {
            self.render(vec![(key, body)], false).await;
            let _ = done.send(());
        });
        Some(drawn)
    }

    /// Renders the asked-for bodies a batch at a time (the next when the last is drawn, so no
    /// one task takes them all).
    async fn send_render_requests(self) {
        let wanted = self
            .to_render
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for batch in wanted.chunks(RENDER_BATCH) {
            self.render(batch.to_vec(), true).await;
        }
    }

    /// Renders `(render key, text)` pairs: from this browser's body cache when `cached` and
    /// it has them, the rest by the content worker (whose answers are cached). A body the
    /// worker cannot render shows as its plain text.
    async fn render(self, batch: Vec<(String, String)>, cached: bool) {
        let cache_keys: Vec<String> = batch
            .iter()
            .map(|(key, text)| body_cache::cache_key(key, text))
            .collect();
        let mut found = if cached {
            body_cache::read(&cache_keys).await
        } else {
            vec![None; batch.len()]
        };
        let misses: Vec<usize> = (0..batch.len()).filter(|&i| found[i].is_none()).collect();
        if !misses.is_empty() {
            let texts = misses.iter().map(|&i| batch[i].1.clone()).collect();
            if let Ok(Reply::Bodies(rendered)) =
                content_worker::ask(Request::Bodies { texts }).await
            {
                let mut to_cache = Vec::new();
                for (&i, json) in misses.iter().zip(rendered) {
                    to_cache.push((cache_keys[i].clone(), json.clone()));
                    found[i] = Some(json);
                }
                spawn_local(body_cache::write(to_cache));
            }
        }
        for ((key, text), json) in batch.into_iter().zip(found) {
            let document = json.and_then(|json| serde_json::from_str(&json).ok());
            self.rendering.update_value(|r| {
                r.remove(&key);
            });
            self.rendered_body(&key)
                .set(Some(document.unwrap_or_else(|| plain_document(text))));
        }
    }

    /// The render key of `comment`'s body, marked as on its way, unless it has no body to
    /// render or is rendered or on its way already.
    fn claim_body(self, comment: &Comment) -> Option<String> {
        let key = render_key(comment);
        if comment.deleted
            || self.has_rendered(&key)
            || self.rendering.with_value(|r| r.contains(&key))
        {
            return None;
        }
        self.rendering.update_value(|r| {
            r.insert(key.clone());
        });
        Some(key)
    }

    fn has_rendered(self, key: &str) -> bool {
        self.rendered.with_value(|rendered| {
            rendered
                .get(key)
                .is_some_and(|body| body.with_untracked(Option::is_some))
        })
    }

    /// Puts the top-level comment at `position` on screen: the pages shown grow to it when
    /// it is on the page next to them, or give way to its page when it is farther off (so
    /// `#comment-4000` renders the part of the thread around it, not all before it).
    pub fn show_root_at(self, position: usize) {
        let first = self.first_shown_page.get_untracked() * ROOTS_PER_PAGE;
        let end = self.shown_roots.get_untracked();
        let page = position / ROOTS_PER_PAGE;
        if (first..end).contains(&position) {
            return;
        }
        if (end..end + ROOTS_PER_PAGE).contains(&position) {
            self.shown_roots.set(end + ROOTS_PER_PAGE);
        } else if position < first && position + ROOTS_PER_PAGE >= first {
            self.first_shown_page.set(page);
        } else {
            self.first_shown_page.set(page);
            self.shown_roots.set((page + 1) * ROOTS_PER_PAGE);
        }
    }

    /// Shows the page after those on screen, if there is one; returns whether it did.
    pub fn show_next_page(self) -> bool {
        let end = self.shown_roots.get_untracked();
        let more = self.roots.with_untracked(Vec::len) > end;
        if more {
            self.shown_roots.set(end + ROOTS_PER_PAGE);
        }
        more
    }

    /// Shows the page before those on screen, if there is one; returns whether it did.
    pub fn show_previous_page(self) -> bool {
        let first = self.first_shown_page.get_untracked();
        if first > 0 {
            self.first_shown_page.set(first - 1);
        }
        first > 0
    }

    /// Shows the thread from its first page again (a new order starts at the top).
    pub fn show_from_start(self) {
        self.first_shown_page.set(0);
        self.shown_roots.set(ROOTS_PER_PAGE);
    }

    /// Builds the view of `data` again and passes each changed node on to its comment.
    pub fn rebuild(self) {
        let me = self.me.get_value();
        let view = self.data.with_untracked(|d| {
            let mut view =
                ThreadView::build(&d.comments, &d.likes, Some(&me), self.sort.get_untracked());
            if let Some(tools) = self.class_tools {
                (tools.staff_view)(self, &mut view, d);
            }
            view
        });
        let changed: Vec<(ArcRwSignal<Option<ThreadNode>>, Option<ThreadNode>)> =
            self.node_signals.with_value(|signals| {
                signals
                    .iter()
                    .filter_map(|(id, signal)| {
                        let current = view.node(id);
                        signal
                            .with_untracked(|shown| shown.as_ref() != current)
                            .then(|| (signal.clone(), current.cloned()))
                    })
                    .collect()
            });
        self.view.set(view);
        for (signal, node) in changed {
            signal.set(node);
        }
    }

    /// Applies changes to the data on screen, and the view follows them: in place when each
    /// allows it, touching only the comments it concerns; otherwise built again once.
    fn show_changes<'a>(self, changes: impl IntoIterator<Item = &'a Change>) {
        let mut changed_ids = Vec::new();
        // Under pseudonyms a new comment may number a new writer: the view is built again.
        let mut in_place = !self.is_anonymous_to_me();
        let mut data_changed = false;
        for change in changes {
            let applied = self
                .data
                .try_update_untracked(|data| change.apply_to(data))
                .unwrap_or(false);
            data_changed |= applied;
            if !applied || !in_place {
                continue;
            }
            let ids = self.data.with_untracked(|data| {
                let mut ids = None;
                self.view.update_untracked(|view| {
                    ids = match change {
                        Change::Comment(comment) => view.apply_comment(data, comment),
                        Change::Like(like) => view.apply_like(data, like),
                        // Rare, and it may move a comment: the view is built again.
                        Change::Moderation(_) | Change::Thread(_) => None,
                        // Reports change no comment's node: the review list follows `data`.
                        Change::Report(_) => Some(Vec::new()),
                    }
                });
                ids
            });
            match ids {
                Some(ids) => changed_ids.extend(ids),
                None => in_place = false,
            }
        }
        // Who follows the data (exports, passages) hears once, and only if it changed.
        if data_changed {
            self.data.notify();
        }
        if !in_place {
            self.rebuild();
            return;
        }
        if changed_ids.is_empty() {
            return;
        }
        self.view.notify();
        let changed: Vec<(ArcRwSignal<Option<ThreadNode>>, ThreadNode)> =
            self.node_signals.with_value(|signals| {
                self.view.with_untracked(|view| {
                    changed_ids
                        .iter()
                        .filter_map(|id| Some((signals.get(id)?.clone(), view.node(id)?.clone())))
                        .collect()
                })
            });
        for (signal, node) in changed {
            signal.set(Some(node));
        }
    }

    /// Writes one change through the store. A new comment is shown once its body is drawn
    /// and a like at once, while the store keeps them, and each is taken back if the store
    /// refuses it (the composer keeps the text until then); an edit, a delete or an import is
    /// shown once it is kept.
    pub async fn write(self, change: Change) -> Result<(), StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotReady)?;
        // Its body goes to the content worker as the store writes, so the comment comes on
        // screen drawn with its Markdown: one layout of the thread, not a second later.
        let body = match &change {
            Change::Comment(comment) => self.render_written(comment),
            _ => None,
        };
        // What the thread held of the record before, to put back if the store refuses it.
        let before: Option<Option<Like>> = match &change {
            Change::Comment(comment) if !comment.deleted => self.data.with_untracked(|data| {
                data.comments
                    .iter()
                    .all(|c| c.id != comment.id)
                    .then_some(None)
            }),
            Change::Like(like) => Some(self.data.with_untracked(|data| {
                data.likes
                    .iter()
                    .find(|l| l.comment_id == like.comment_id && l.browser_id == like.browser_id)
                    .cloned()
            })),
            _ => None,
        };
        let (kept, written) = oneshot::channel();
        {
            let post_id = self.post_id.get_value();
            let change = change.clone();
            spawn_local(async move {
                let _ = kept.send(store.write(&post_id, change).await);
            });
        }
        if let Some(body) = body {
            let _ = body.await;
        }
        if before.is_some() {
            self.show_own(&change);
        }
        let written = written
            .await
            .unwrap_or_else(|_| Err(StoreError::Failed("the write was dropped".into())));
        match written {
            Ok(()) if before.is_none() => self.show_own(&change),
            Ok(()) => {}
            Err(error) => {
                if let Some(before) = before {
                    self.take_back(&change, before);
                }
                self.refused_write.notify();
                return Err(error);
            }
        }
        Ok(())
    }

    fn show_own(self, change: &Change) {
        self.show_changes([change]);
        // One's own new comment is numbered after those waiting behind the button: show them.
        if matches!(change, Change::Comment(c) if !c.deleted) {
            self.show_incoming();
        }
    }

    /// Puts back the record `change` replaced (`before`: none for a new comment), after the
    /// store refused it (rare: a full storage), and builds the view again.
    fn take_back(self, change: &Change, before: Option<Like>) {
        self.data.update_untracked(|data| match change {
            Change::Comment(comment) => data.comments.retain(|c| c.id != comment.id),
            Change::Like(like) => {
                data.likes
                    .retain(|l| l.comment_id != like.comment_id || l.browser_id != like.browser_id);
                if let Some(before) = before {
                    data.apply_like(&before);
                }
            }
            Change::Moderation(_) | Change::Report(_) | Change::Thread(_) => {}
        });
        self.data.notify();
        self.rebuild();
    }

    /// Takes what changed elsewhere (other tabs, other readers). New comments wait behind a
    /// button unless the reader is at the end of the thread; edits, deletes and likes apply
    /// at once.
    pub fn receive(self, changes: Vec<Change>) {
        let (new, known): (Vec<Change>, Vec<Change>) = self.data.with_untracked(|shown| {
            let shown_ids: HashSet<&str> = shown.comments.iter().map(|c| c.id.as_str()).collect();
            changes.into_iter().partition(
                |change| matches!(change, Change::Comment(c) if !shown_ids.contains(c.id.as_str())),
            )
        });
        let new_count = new
            .iter()
            .filter(|change| matches!(change, Change::Comment(c) if !c.deleted))
            .count();
        let revealed = self.reveal_arrivals.get_value();
        self.reveal_arrivals.set_value(false);
        let (now, later) = if new_count == 0 || revealed || reader_is_at_end() {
            (known.into_iter().chain(new).collect::<Vec<_>>(), Vec::new())
        } else {
            (known, new)
        };
        self.show_changes(&now);
        if later.is_empty() {
            if self.incoming.with_untracked(Option::is_some) && new_count > 0 {
                self.show_incoming();
            }
            if new_count > 0 {
                self.announcement.set(new_comments_label(new_count));
            }
            return;
        }
        self.incoming.update(|waiting| {
            let waiting = waiting.get_or_insert_with(ThreadData::default);
            for change in &later {
                change.apply_to(waiting);
            }
        });
        self.announcement
            .set(new_comments_label(self.incoming_count()));
    }

    /// Shows the comments waiting behind the button.
    pub fn show_incoming(self) {
        if let Some(waiting) = self.incoming.get_untracked() {
            self.show_changes(&Change::records(waiting));
            self.incoming.set(None);
        }
    }

    /// Calls `f` with the thread as it has arrived: what is shown and what waits behind the
    /// button. Exports read this, so a comment that has come in is counted (an instructor's
    /// participation export must not miss it) whether or not the reader has shown it yet.
    pub fn with_arrived<R>(self, f: impl FnOnce(&ThreadData) -> R) -> R {
        let Some(waiting) = self.incoming.get_untracked() else {
            return self.data.with_untracked(f);
        };
        let mut arrived = self.data.get_untracked();
        for change in Change::records(waiting) {
            change.apply_to(&mut arrived);
        }
        f(&arrived)
    }

    /// How many comments wait behind the button.
    pub fn incoming_count(self) -> usize {
        self.incoming.with(|waiting| {
            let Some(waiting) = waiting else { return 0 };
            self.data.with(|shown| {
                let ids: HashSet<&str> = shown.comments.iter().map(|c| c.id.as_str()).collect();
                waiting
                    .comments
                    .iter()
                    .filter(|c| !ids.contains(c.id.as_str()) && !c.deleted)
                    .count()
            })
        })
    }
}

/// "3 new comments": the button over comments from elsewhere, and its announcement.
pub fn new_comments_label(count: usize) -> String {
    locale::count(&locale::thread().new_comments, count)
}

/// Top-level comments are put on screen in pages of this many (with their replies); the
/// first page in the first frame, the others as the reader nears them. Each page is a list
/// of its own, so adding a page does not compare the pages already shown again.
pub const ROOTS_PER_PAGE: usize = 20;

/// Whether the end of the comment list is on screen: then new comments show at once.
fn reader_is_at_end() -> bool {
    let Some(list) = document().query_selector("ol.comments").ok().flatten() else {
        return true;
    };
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    list.get_bounding_client_rect().bottom() <= height + 40.0
}

/// Scrolls to and highlights the comment the URL's fragment names, or says it is not here.
pub fn highlight_fragment(ctx: ThreadContext) {
    let hash = window().location().hash().unwrap_or_default();
    let Some(number) = hash.strip_prefix("#comment-") else {
        ctx.missing_comment.set(None);
        return;
    };
    let known = ctx.view.with_untracked(|v| v.id_of(number).is_some());
    ctx.missing_comment.set((!known).then(|| number.to_owned()));
    if known {
        highlight_number(ctx, number.to_owned(), false);
    } else {
        // Where the comment would be, the thread says it is not there.
        request_animation_frame(|| {
            if let Some(thread) = document().get_element_by_id("comments") {
                thread.scroll_into_view();
            }
        });
    }
}

/// Scrolls to, highlights and focuses a comment by its id (after the thread shows it): where
/// the reader's posting, editing or choosing of a passage leads.
pub fn show_comment(ctx: ThreadContext, comment_id: &str) {
    let number = ctx
        .view
        .with_untracked(|v| v.number_of(comment_id).map(str::to_owned));
    if let Some(number) = number {
        highlight_number(ctx, number, true);
    }
}

/// Highlights the comment numbered `number` (and focuses it if `focus`), first putting its
/// top-level comment's page on screen if it is not.
fn highlight_number(ctx: ThreadContext, number: String, focus: bool) {
    let element_id = crate::model::thread::fragment(&number)
        .trim_start_matches('#')
        .to_owned();
    if highlight_element(&element_id, focus) {
        return;
    }
    let root_number = number.split('.').next().unwrap_or_default();
    let position = ctx.view.with_untracked(|v| {
        let root_id = v.id_of(root_number)?;
        ctx.roots
            .with_untracked(|roots| roots.iter().position(|id| id == root_id))
    });
    if let Some(position) = position {
        ctx.show_root_at(position);
        request_animation_frame(move || {
            highlight_element(&element_id, focus);
        });
    }
}

/// Puts focus on a comment's card (focusable by script only: `tabindex="-1"`), without the
/// browser's own scroll (the caller has scrolled it into view).
pub fn focus_card(item: &web_sys::Element) {
    let card = item
        .query_selector(":scope > .comment-card")
        .ok()
        .flatten()
        .unwrap_or_else(|| item.clone());
    if let Ok(card) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(card) {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = card.focus_with_options(&options);
    }
}

thread_local! {
    /// The comment shown highlighted: the next highlight takes it off without searching a
    /// page that may hold thousands of comments.
    static HIGHLIGHTED: std::cell::RefCell<Option<web_sys::Element>> =
        const { std::cell::RefCell::new(None) };
}

/// How many frames a comment landed on is kept where it was put while the page above it
/// settles: comments off screen skip layout (`content-visibility: auto`) and count at an
/// estimated height until laid out, and pages of comments above are added as the reader
/// arrives (`ui::reveal`). About two seconds at most.
const SETTLE_FRAMES: u32 = 120;

/// How many frames in a row in place count as settled.
const SETTLED_AFTER: u32 = 15;

thread_local! {
    /// Whether the reader has scrolled, swiped or pressed a key since the last landing: then
    /// the page is theirs, and nothing moves it back.
    static READER_MOVED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes, once per page, when the reader moves the page themselves.
fn watch_the_reader() {
    if WATCHING.with(|watching| watching.replace(true)) {
        return;
    }
    for event in ["wheel", "touchmove", "keydown", "mousedown"] {
        let noted = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
            READER_MOVED.with(|moved| moved.set(true));
        });
        let _ = window().add_event_listener_with_callback(
            event,
            wasm_bindgen::JsCast::unchecked_ref(noted.as_ref()),
        );
        noted.forget();
    }
}

/// Scrolls `target` into view and keeps it there, frame by frame, while what is above it
/// settles: until it has stayed put `SETTLED_AFTER` frames, `SETTLE_FRAMES` have passed, or
/// the reader moves the page.
fn land_on(target: web_sys::Element) {
    READER_MOVED.with(|moved| moved.set(false));
    watch_the_reader();
    target.scroll_into_view();
    let wanted_top = top_of(&target);
    keep_in_place(target, wanted_top, 0, 0);
}

fn top_of(target: &web_sys::Element) -> f64 {
    target.get_bounding_client_rect().top()
}

/// One frame of `land_on`: `wanted_top` is where the last scroll put the comment, `done`
/// how many frames have passed, `steady` how many of the last it stayed put.
fn keep_in_place(target: web_sys::Element, wanted_top: f64, done: u32, steady: u32) {
    request_animation_frame(move || {
        if done >= SETTLE_FRAMES
            || steady >= SETTLED_AFTER
            || READER_MOVED.with(std::cell::Cell::get)
        {
            return;
        }
        // The first scroll can stop short of comments not laid out yet: once more regardless.
        if done < 2 || (top_of(&target) - wanted_top).abs() > 2.0 {
            target.scroll_into_view();
            let wanted_top = top_of(&target);
            keep_in_place(target, wanted_top, done + 1, 0);
        } else {
            keep_in_place(target, wanted_top, done + 1, steady + 1);
        }
    });
}

fn highlight_element(element_id: &str, focus: bool) -> bool {
    let Some(target) = document().get_element_by_id(element_id) else {
        return false;
    };
    HIGHLIGHTED.with(|highlighted| {
        if let Some(previous) = highlighted.replace(Some(target.clone())) {
            let _ = previous.class_list().remove_1("is-highlighted");
        }
    });
    let _ = target.class_list().add_1("is-highlighted");
    land_on(target.clone());
    if focus {
        focus_card(&target);
    }
    true
}

/// A body as one paragraph of its text: what shows when the content worker cannot render it.
fn plain_document(text: String) -> Document {
    Document {
        blocks: vec![Node::Element(Element {
            kind: Kind::Paragraph,
            children: vec![Node::Text(text)],
        })],
        ..Document::default()
    }
}

/// Bodies per request to the content worker: small replies keep each task on the page short.
const RENDER_BATCH: usize = 100;
