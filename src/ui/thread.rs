//! The comment thread under a post: loads it from the store, keeps it live, and holds the
//! state its parts share (`ThreadContext`). The parts are in `comment`, `composer` and
//! `thread_tools`.

use crate::content::markdown::{Document, Profile};
use crate::content::protocol::{Reply, Request};
use crate::i18n::{fill, messages};
use crate::model::anchor::Passage;
use crate::model::thread::{SortOrder, ThreadNode, ThreadView};
use crate::model::{Comment, ThreadData};
use crate::store::{
    AnyStore, Change, Delivery, Events, RemoteProblem, Store, StoreError, StoreNotice,
};
use crate::ui::comment::CommentItem;
use crate::ui::composer::{Composer, ComposerMode};
use crate::ui::passage::PassageAction;
use crate::ui::thread_tools::ThreadTools;
use crate::web::fetch::LoadError;
use crate::web::{content_worker, identity, locale};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// One comment as the view shows it, with its children by id (see `ThreadContext::items`).
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub comment: Comment,
    pub number: String,
    pub depth: u8,
    pub likes: usize,
    pub liked_by_me: bool,
    pub tombstone: bool,
    pub children: Vec<String>,
}

impl Item {
    fn of(node: &ThreadNode) -> Item {
        Item {
            comment: node.comment.clone(),
            number: node.number.clone(),
            depth: node.depth,
            likes: node.likes,
            liked_by_me: node.liked_by_me,
            tombstone: node.tombstone,
            children: node.children.iter().map(|c| c.comment.id.clone()).collect(),
        }
    }
}

fn flatten(nodes: &[ThreadNode], into: &mut HashMap<String, Item>) {
    for node in nodes {
        into.insert(node.comment.id.clone(), Item::of(node));
        flatten(&node.children, into);
    }
}

/// The state the thread's parts share, provided as context.
#[derive(Clone, Copy)]
pub struct ThreadContext {
    pub post_id: StoredValue<String>,
    pub me: StoredValue<String>,
    store: StoredValue<Option<Rc<AnyStore>>, LocalStorage>,
    /// The comments and likes on screen.
    pub data: RwSignal<ThreadData>,
    /// Newer data with others' new comments, waiting behind the "N new comments" button.
    pub incoming: RwSignal<Option<ThreadData>>,
    pub sort: RwSignal<SortOrder>,
    /// The view of `data`: built once, then kept current change by change where the change
    /// allows (`ThreadView::apply_comment`, `apply_like`), built again where it does not.
    pub view: RwSignal<ThreadView>,
    /// Each shown comment's item, by id, as the view last had it.
    items: StoredValue<HashMap<String, Item>>,
    /// Each shown comment's item as its own signal, set only when that item changes: a
    /// comment follows its own signal, so one new comment does not wake every other one.
    item_signals: StoredValue<HashMap<String, ArcRwSignal<Option<Item>>>>,
    pub roots: Memo<Vec<String>>,
    /// Comment bodies the content worker has rendered, by `render_key`: one signal each, so
    /// a body that arrives repaints its own comment only.
    rendered: StoredValue<HashMap<String, ArcRwSignal<Option<Document>>>>,
    /// Render keys the content worker is rendering now.
    rendering: StoredValue<HashSet<String>>,
    /// How many top-level comments (with their replies) may be on screen, in whole pages of
    /// `ROOTS_PER_PAGE`: a long thread is put on screen a slice of pages per task (see
    /// `reveal_progressively`), so it is usable at once.
    pub shown_roots: RwSignal<usize>,
    pub replying_to: RwSignal<Option<String>>,
    pub editing: RwSignal<Option<String>>,
    /// Which comment is being replied to and edited, as selectors: a change wakes the card
    /// that was and the card that is, not every card.
    replying_selector: StoredValue<Selector<Option<String>>>,
    editing_selector: StoredValue<Selector<Option<String>>>,
    /// What the polite live region says.
    pub announcement: RwSignal<String>,
    /// The clock relative times are measured from, refreshed every minute.
    pub now_ms: RwSignal<f64>,
    /// How long one's own comments stay editable (config.json `thread.editWindowMinutes`).
    pub edit_window_minutes: RwSignal<u32>,
    /// The passage the new comment will quote, chosen in the post.
    pub passage: RwSignal<Option<Passage>>,
    /// Where each anchored comment's passage is in the post now; `None` when orphaned.
    pub anchors: RwSignal<HashMap<String, Option<(usize, usize)>>>,
    /// Where this browser's writes stand on their way to a remote store, by record id.
    pub delivery: RwSignal<HashMap<String, Delivery>>,
    /// What is wrong with the remote store right now, shown as a banner.
    pub store_problem: RwSignal<Option<RemoteProblem>>,
}

pub use crate::model::comment::render_key;

impl ThreadContext {
    /// The item of comment `id`, kept current by the thread (see `item_signals`).
    pub fn item(self, id: &str) -> ArcRwSignal<Option<Item>> {
        if let Some(signal) = self.item_signals.with_value(|s| s.get(id).cloned()) {
            return signal;
        }
        let signal = ArcRwSignal::new(self.items.with_value(|items| items.get(id).cloned()));
        self.item_signals
            .update_value(|s| drop(s.insert(id.to_owned(), signal.clone())));
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

    /// Renders the bodies the cache does not have yet (of `only` these comments, or of the
    /// whole thread), in posting order, a batch at a time (the next is asked for when the last
    /// has come back, so no one task sends or takes them all).
    fn render_bodies(self, only: Option<Vec<&Comment>>) {
        let wanted = |c: &Comment| {
            let key = render_key(c);
            (!c.deleted
                && !self.has_rendered(&key)
                && !self.rendering.with_value(|f| f.contains(&key)))
            .then(|| (key, c.body.clone()))
        };
        let missing: Vec<(String, String)> = match only {
            Some(comments) => comments.into_iter().filter_map(wanted).collect(),
            None => self
                .data
                .with_untracked(|data| data.comments.iter().filter_map(wanted).collect()),
        };
        if missing.is_empty() {
            return;
        }
        let rendering = self.rendering;
        rendering.update_value(|f| f.extend(missing.iter().map(|(key, _)| key.clone())));
        spawn_local(async move {
            for batch in missing.chunks(RENDER_BATCH) {
                let (keys, texts): (Vec<String>, Vec<String>) = batch.iter().cloned().unzip();
                let reply = content_worker::ask(Request::Texts {
                    texts,
                    profile: Profile::Comment,
                })
                .await;
                rendering.update_value(|f| {
                    for key in &keys {
                        f.remove(key);
                    }
                });
                if let Ok(Reply::Texts(documents)) = reply {
                    for (key, document) in keys.iter().zip(documents) {
                        self.rendered_body(key).set(Some(document));
                    }
                }
            }
        });
    }

    fn has_rendered(self, key: &str) -> bool {
        self.rendered.with_value(|rendered| {
            rendered
                .get(key)
                .is_some_and(|body| body.with_untracked(Option::is_some))
        })
    }

    /// Builds the view of `data` again and passes each changed item on to its comment.
    fn rebuild(self) {
        let me = self.me.get_value();
        let view = self.data.with_untracked(|d| {
            ThreadView::build(&d.comments, &d.likes, Some(&me), self.sort.get_untracked())
        });
        let mut items = HashMap::new();
        flatten(&view.roots, &mut items);
        self.item_signals.with_value(|signals| {
            for (id, signal) in signals {
                let current = items.get(id);
                if signal.with_untracked(|shown| shown.as_ref() != current) {
                    signal.set(current.cloned());
                }
            }
        });
        self.items.set_value(items);
        self.view.set(view);
        self.render_bodies(None);
    }

    /// Applies changes to the data on screen, and the view follows them: in place when each
    /// allows it, touching only the comments it concerns; otherwise built again once.
    fn show_changes<'a>(self, changes: impl IntoIterator<Item = &'a Change>) {
        let mut changed_ids = Vec::new();
        let mut in_place = true;
        for change in changes {
            if !self
                .data
                .try_update(|data| change.apply_to(data))
                .unwrap_or(false)
                || !in_place
            {
                continue;
            }
            let ids = self.data.with_untracked(|data| {
                let mut ids = None;
                self.view.update_untracked(|view| {
                    ids = match change {
                        Change::Comment(comment) => view.apply_comment(data, comment),
                        Change::Like(like) => view.apply_like(data, like),
                        Change::Thread(_) => None,
                    }
                });
                ids
            });
            match ids {
                Some(ids) => changed_ids.extend(ids),
                None => in_place = false,
            }
        }
        if !in_place {
            self.rebuild();
            return;
        }
        if changed_ids.is_empty() {
            return;
        }
        self.view.notify();
        let items: Vec<Item> = self.view.with_untracked(|view| {
            changed_ids
                .iter()
                .filter_map(|id| view.node(id).map(Item::of))
                .collect()
        });
        for item in &items {
            let signal = self
                .item_signals
                .with_value(|s| s.get(&item.comment.id).cloned());
            if let Some(signal) = signal {
                signal.set(Some(item.clone()));
            }
        }
        self.render_bodies(Some(items.iter().map(|item| &item.comment).collect()));
        self.items.update_value(|all| {
            for item in items {
                all.insert(item.comment.id.clone(), item);
            }
        });
    }

    /// Writes one change through the store, showing it at once when it is saved.
    pub async fn write(self, change: Change) -> Result<(), StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotReady)?;
        store
            .write(&self.post_id.get_value(), change.clone())
            .await?;
        self.show_changes([&change]);
        // One's own new comment is numbered after those waiting behind the button: show them.
        if matches!(&change, Change::Comment(c) if !c.deleted) {
            self.show_incoming();
        }
        Ok(())
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
        let (now, later) = if new_count == 0 || reader_is_at_end() {
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

/// What the live region says when a write's way to the remote store changes.
fn delivery_announcement(state: &Delivery) -> String {
    let words = crate::web::locale::thread();
    match state {
        Delivery::Sending => words.saving.to_owned(),
        Delivery::Sent => words.saved.to_owned(),
        Delivery::Waiting(reason) => {
            crate::i18n::fill(words.will_send_later, &[("reason", reason)])
        }
        Delivery::Failed(reason) => crate::i18n::fill(words.save_failed, &[("reason", reason)]),
    }
}

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

/// Scrolls to and highlights the comment the URL's fragment names.
fn highlight_fragment(ctx: ThreadContext) {
    let hash = window().location().hash().unwrap_or_default();
    if let Some(number) = hash.strip_prefix("#comment-") {
        highlight_number(ctx, number.to_owned());
    }
}

/// Scrolls to and highlights a comment by its id (after the thread shows it).
pub fn show_comment(ctx: ThreadContext, comment_id: &str) {
    let number = ctx
        .view
        .with_untracked(|v| v.number_of(comment_id).map(str::to_owned));
    if let Some(number) = number {
        highlight_number(ctx, number);
    }
}

/// Highlights the comment numbered `number`, first putting its top-level comment (and all
/// before it) on screen if the progressive rendering has not reached it yet.
fn highlight_number(ctx: ThreadContext, number: String) {
    let element_id = crate::model::thread::fragment(&number)
        .trim_start_matches('#')
        .to_owned();
    if highlight_element(&element_id) {
        return;
    }
    let root_number = number.split('.').next().unwrap_or_default();
    let position = ctx.view.with_untracked(|v| {
        let root_id = v.id_of(root_number)?;
        ctx.roots
            .with_untracked(|roots| roots.iter().position(|id| id == root_id))
    });
    if let Some(position) = position {
        if position >= ctx.shown_roots.get_untracked() {
            ctx.shown_roots
                .set((position / ROOTS_PER_PAGE + 1) * ROOTS_PER_PAGE);
            request_animation_frame(move || {
                highlight_element(&element_id);
            });
        }
    }
}

fn highlight_element(element_id: &str) -> bool {
    let Some(target) = document().get_element_by_id(element_id) else {
        return false;
    };
    if let Ok(previous) = document().query_selector_all(".comment.is-highlighted") {
        for index in 0..previous.length() {
            if let Some(element) = previous
                .item(index)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                let _ = element.class_list().remove_1("is-highlighted");
            }
        }
    }
    let _ = target.class_list().add_1("is-highlighted");
    target.scroll_into_view();
    true
}

/// Bodies per request to the content worker: small replies keep each task on the page short.
const RENDER_BATCH: usize = 100;

/// Top-level comments are put on screen in pages of this many (with their replies); the
/// first page in the first frame. Each page is a list of its own, so adding a page does not
/// compare all the pages before it again.
const ROOTS_PER_PAGE: usize = 20;
/// The time one slice of pages aims to take, so input and painting go on between slices.
const SLICE_MS: f64 = 16.0;
/// At most this many pages a slice: layout and paint come after the timed part.
const MAX_SLICE_PAGES: usize = 8;

/// Puts the remaining pages on screen a slice per task, sizing each slice by how long the
/// last one took, until all are shown (also after new comments arrive).
fn reveal_progressively(ctx: ThreadContext, revealing: StoredValue<bool>, slice: usize) {
    let total = ctx.roots.with_untracked(Vec::len);
    let shown = ctx.shown_roots.get_untracked();
    if shown >= total {
        revealing.set_value(false);
        return;
    }
    let started = js_sys::Date::now();
    ctx.shown_roots.set(shown + slice * ROOTS_PER_PAGE);
    // A task runs after the slice has been rendered (effects run in microtasks).
    set_timeout(
        move || {
            let spent = js_sys::Date::now() - started;
            let next = if spent < SLICE_MS / 2.0 {
                (slice * 2).min(MAX_SLICE_PAGES)
            } else if spent > SLICE_MS * 2.0 {
                (slice / 2).max(1)
            } else {
                slice
            };
            reveal_progressively(ctx, revealing, next);
        },
        std::time::Duration::ZERO,
    );
}

#[component]
pub fn Thread(
    post_id: String,
    seed: Signal<Option<Result<Vec<Comment>, LoadError>>>,
    /// Written with the number of comments, for the post's byline.
    count: RwSignal<Option<usize>>,
    /// Comment bodies already rendered (by the site's build), by `render_key`.
    #[prop(optional)]
    prerendered: HashMap<String, Document>,
    /// Set once the thread has something to show: its comments, or why it cannot show them.
    #[prop(optional)]
    settled: Option<RwSignal<bool>>,
) -> impl IntoView {
    let me = identity::browser_id();
    let data = RwSignal::new(ThreadData::default());
    let sort = RwSignal::new(SortOrder::OldestFirst);
    let view = RwSignal::new(ThreadView::default());
    let roots = Memo::new(move |_| {
        view.with(|v| {
            v.roots
                .iter()
                .map(|r| r.comment.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let replying_to = RwSignal::new(None);
    let editing = RwSignal::new(None);
    let ctx = ThreadContext {
        post_id: StoredValue::new(post_id.clone()),
        me: StoredValue::new(me),
        store: StoredValue::new_local(None),
        data,
        incoming: RwSignal::new(None),
        sort,
        view,
        items: StoredValue::new(HashMap::new()),
        item_signals: StoredValue::new(HashMap::new()),
        roots,
        rendered: StoredValue::new(
            prerendered
                .into_iter()
                .map(|(key, body)| (key, ArcRwSignal::new(Some(body))))
                .collect(),
        ),
        rendering: StoredValue::new(HashSet::new()),
        shown_roots: RwSignal::new(ROOTS_PER_PAGE),
        replying_to,
        editing,
        replying_selector: StoredValue::new(Selector::new(move || replying_to.get())),
        editing_selector: StoredValue::new(Selector::new(move || editing.get())),
        announcement: RwSignal::new(String::new()),
        now_ms: RwSignal::new(js_sys::Date::now()),
        edit_window_minutes: RwSignal::new(crate::config::Config::default().edit_window_minutes),
        passage: RwSignal::new(None),
        anchors: RwSignal::new(HashMap::new()),
        delivery: RwSignal::new(HashMap::new()),
        store_problem: RwSignal::new(None),
    };
    provide_context(ctx);
    crate::ui::passage::keep_highlights(ctx);

    let loaded = RwSignal::new(false);
    let notice: RwSignal<Option<StoreNotice>> = RwSignal::new(None);
    let config_error: RwSignal<Option<String>> = RwSignal::new(None);
    let framed_local = RwSignal::new(false);
    if let Some(settled) = settled {
        Effect::new(move |_| {
            if loaded.get() || config_error.with(Option::is_some) {
                settled.set(true);
            }
        });
    }
    // Dropped with the thread, which stops following changes made elsewhere.
    let subscription = StoredValue::new_local(None);
    // Load once the seed comments are in, then follow changes made elsewhere.
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        let Some(seed_result) = seed.get() else {
            return false;
        };
        let seed_data = ThreadData {
            comments: seed_result.unwrap_or_default(),
            likes: Vec::new(),
        };
        let post_id = ctx.post_id.get_value();
        spawn_local(async move {
            let config = match crate::web::fetch::config().await {
                Ok(config) => config,
                Err(error) => {
                    // A wrong config must not send comments somewhere the host did not mean.
                    config_error.set(Some(error));
                    return;
                }
            };
            ctx.edit_window_minutes.set(config.edit_window_minutes);
            framed_local.set(
                crate::web::embed::is_framed()
                    && matches!(config.store, crate::config::StoreConfig::Local),
            );
            let store = Rc::new(AnyStore::from_config(&config.store));
            ctx.store.set_value(Some(store.clone()));
            let thread = store.load(&post_id, &seed_data).await;
            ctx.data.set(thread.data);
            ctx.rebuild();
            notice.set(thread.notice);
            loaded.set(true);
            let events = Events {
                on_change: Rc::new(move |changes| ctx.receive(changes)),
                on_delivery: Rc::new(move |id, state| {
                    ctx.announcement.set(delivery_announcement(&state));
                    ctx.delivery.update(|delivery| {
                        delivery.insert(id, state);
                    })
                }),
                on_problem: Rc::new(move |problem| ctx.store_problem.set(Some(problem))),
                on_problem_cleared: Rc::new(move || ctx.store_problem.set(None)),
            };
            subscription.set_value(Some(store.subscribe(&post_id, events)));
        });
        true
    });

    // Through a memo: a like or an edit leaves the count, and the byline showing it, alone.
    let shown_count = Memo::new(move |_| loaded.get().then(|| view.with(|v| v.count)));
    Effect::new(move |_| count.set(shown_count.get()));
    Effect::new(move |marked: Option<bool>| {
        if marked != Some(true) && loaded.get() {
            crate::web::perf::mark_after_paint(crate::web::perf::THREAD_PAINTED);
            return true;
        }
        marked.unwrap_or(false)
    });

    // A new order builds the view again (once loaded; the first build follows the load).
    Effect::new(move |previous: Option<SortOrder>| {
        let order = sort.get();
        if previous.is_some_and(|previous| previous != order) && loaded.get_untracked() {
            ctx.rebuild();
        }
        order
    });

    // Once the first slice is on screen, the rest follows slice by slice.
    let revealing = StoredValue::new(false);
    Effect::new(move |_| {
        let behind = roots.with(Vec::len) > ctx.shown_roots.get();
        if loaded.get() && behind && !revealing.get_value() {
            revealing.set_value(true);
            request_animation_frame(move || {
                set_timeout(
                    move || reveal_progressively(ctx, revealing, 1),
                    std::time::Duration::ZERO,
                )
            });
        }
    });

    // Follow the URL's fragment once the comments are on screen, and on later changes.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !loaded.get() || roots.with(Vec::is_empty) {
            return done.unwrap_or(false);
        }
        request_animation_frame(move || highlight_fragment(ctx));
        true
    });
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        highlight_fragment(ctx);
    });
    let clock = set_interval_with_handle(
        move || ctx.now_ms.set(js_sys::Date::now()),
        std::time::Duration::from_secs(60),
    )
    .ok();
    on_cleanup(move || {
        hash_listener.remove();
        if let Some(clock) = clock {
            clock.clear();
        }
    });

    let words = locale::thread();
    let heading = move || match (seed.get(), loaded.get()) {
        (Some(Err(_)), _) | (_, false) => words.comments_heading.to_owned(),
        (_, true) => match view.with(|v| v.count) {
            0 => words.no_comments_yet.to_owned(),
            n => locale::count(&words.comment_count, n),
        },
    };
    let incoming_button = move || {
        let waiting = ctx.incoming_count();
        (waiting > 0).then(|| {
            view! {
                <button class="new-comments" type="button" on:click=move |_| ctx.show_incoming()>
                    {new_comments_label(waiting)}
                </button>
            }
        })
    };
    let seed_error = move || {
        seed.get().and_then(Result::err).map(|error| {
            view! {
                <p class="thread-error" role="alert">
                    {fill(words.seed_failed, &[("error", &error.to_string())])}
                </p>
            }
        })
    };
    let store_notice = move || {
        let notice = notice.get().map(|notice| {
            view! { <p class="store-notice" role="status">{messages::store_notice(words, &notice)}</p> }
        });
        let config = config_error.get().map(|error| {
            view! {
                <p class="store-notice config-error" role="alert">
                    {fill(words.config_failed, &[("error", &error)])}
                </p>
            }
        });
        let problem = ctx.store_problem.get().map(|problem| {
            view! {
                <p class="store-notice store-problem" role="alert">
                    {messages::remote_problem(words, &problem)}
                </p>
            }
        });
        let framed = framed_local.get().then(|| {
            view! {
                <p class="store-notice framed-notice">
                    {crate::web::locale::thread().framed_local_notice}
                </p>
            }
        });
        (notice, config, problem, framed)
    };

    view! {
        <section class="thread" id="comments" aria-labelledby="thread-heading">
            <div class="thread-header">
                <h2 id="thread-heading">{heading}</h2>
                <ThreadTools />
            </div>
            {store_notice}
            {seed_error}
            <Show
                when=move || loaded.get()
                fallback=move || {
                    (config_error.with(Option::is_none)).then(|| view! {
                        <p class="thread-status" role="status">{words.loading_comments}</p>
                    })
                }
            >
                <ol class="comments">
                    <For
                        each=move || 0..ctx.shown_roots.get().div_ceil(ROOTS_PER_PAGE)
                        key=|page| *page
                        let:page
                    >
                        <For
                            each=move || {
                                roots.with(|roots| {
                                    roots
                                        .iter()
                                        .skip(page * ROOTS_PER_PAGE)
                                        .take(ROOTS_PER_PAGE)
                                        .cloned()
                                        .collect::<Vec<_>>()
                                })
                            }
                            key=|id| id.clone()
                            let:id
                        >
                            <CommentItem id />
                        </For>
                    </For>
                </ol>
                {incoming_button}
                <Composer mode=ComposerMode::New />
                <PassageAction />
            </Show>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || ctx.announcement.get()}
            </div>
        </section>
    }
}

/// The number of comments a post's thread shows: its seed comments and this browser's store.
pub async fn thread_count(post_id: &str, seed_path: Option<&str>) -> Option<usize> {
    let seed = ThreadData {
        comments: crate::web::fetch::seed_comments_at(seed_path).await.ok()?,
        likes: Vec::new(),
    };
    let config = crate::web::fetch::config().await.ok()?;
    let thread = AnyStore::from_config(&config.store)
        .load(post_id, &seed)
        .await;
    Some(ThreadView::build(&thread.data.comments, &[], None, SortOrder::OldestFirst).count)
}
