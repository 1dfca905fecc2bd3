//! The comment thread under a post: loads it from the store, keeps it live, and lays out its
//! heading, notices, comments and composer. The state its parts share is `thread_state`; the
//! parts are in `comment`, `composer`, `passage` and `thread_tools`.

use crate::content::markdown::Document;
use crate::i18n::{fill, messages};
use crate::model::account::StaffRoles;
use crate::model::thread::{SortOrder, ThreadView};
use crate::model::unread;
use crate::model::{Comment, ThreadData};
use crate::store::{Delivery, Events, StoreNotice, StoreOpener};
use crate::ui::comment::CommentItem;
use crate::ui::composer::{Composer, ComposerMode};
use crate::ui::passage::PassageAction;
use crate::ui::thread_state::{
    highlight_fragment, new_comments_label, ClassTools, ThreadContext, ROOTS_PER_PAGE,
};
use crate::ui::thread_tools::ThreadTools;
use crate::web::fetch::LoadError;
use crate::web::{identity, locale};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;

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

/// How long "Sent" stays under a comment: long enough to be seen, then it is noise.
const SENT_SHOWN: std::time::Duration = std::time::Duration::from_secs(3);

/// Takes the delivery line off comment `id` once "Sent" has been shown a while (unless a
/// later write of it is on its way again).
fn forget_when_still_sent(ctx: ThreadContext, id: String) {
    set_timeout(
        move || {
            let delivery = ctx.delivery_of(&id);
            if delivery.with_untracked(|state| state == &Some(Delivery::Sent)) {
                delivery.set(None);
            }
        },
        SENT_SHOWN,
    );
}

#[component]
pub fn Thread(
    post_id: String,
    /// Opens the store config.json names: the thread module chooses which kinds it carries.
    open_store: StoreOpener,
    seed: Signal<Option<Result<Vec<Comment>, LoadError>>>,
    /// Written with the number of comments, for the post's byline.
    count: RwSignal<Option<usize>>,
    /// Comment bodies already rendered (by the site's build), by `render_key`.
    #[prop(optional)]
    prerendered: HashMap<String, Document>,
    /// Set once the thread has something to show: its comments, or why it cannot show them.
    #[prop(optional)]
    settled: Option<RwSignal<bool>>,
    /// Signing in and the staff's tools, for a store with accounts; only the shared stores'
    /// thread module has them.
    #[prop(default = None)]
    class_tools: Option<ClassTools>,
) -> impl IntoView {
    let mut ctx = ThreadContext::new(post_id.clone(), identity::browser_id(), prerendered);
    ctx.class_tools = class_tools;
    ctx.seen_until.set(
        crate::web::visits::open(&post_id)
            .and_then(|since| crate::model::timestamp::parse_millis(&since)),
    );
    let ThreadContext {
        view, roots, sort, ..
    } = ctx;
    provide_context(ctx);
    crate::ui::passage::keep_highlights(ctx);

    let loaded = RwSignal::new(false);
    let notice: RwSignal<Option<StoreNotice>> = RwSignal::new(None);
    let config_error: RwSignal<Option<String>> = RwSignal::new(None);
    let framed_local = RwSignal::new(false);
    // The database readers sign in to, and the host's staff roles, once the store is open.
    let accounts: RwSignal<Option<(String, StaffRoles)>> = RwSignal::new(None);
    // The composer is drawn in the task after the comments (`perf::in_own_task`); `drawn` says
    // the thread is whole (and, taking over a built page, on it).
    let drawn = RwSignal::new(false);
    Effect::new(move |_| {
        if loaded.get() && !drawn.get_untracked() {
            crate::web::perf::in_own_task(move || drawn.set(true));
        }
    });
    if let Some(settled) = settled {
        Effect::new(move |_| {
            if drawn.get() || config_error.with(Option::is_some) {
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
            ..ThreadData::default()
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
            let store = match open_store(&config.store) {
                Ok(store) => store,
                Err(error) => {
                    config_error.set(Some(error));
                    return;
                }
            };
            let local = store.is_local();
            ctx.set_store(store.clone());
            if let (Some(_), Some(database)) = (class_tools, store.accounts()) {
                accounts.set(Some((database, config.staff_roles.clone())));
            }
            let thread = store.load(&post_id, &seed_data).await;
            // Drawn in a task apart from the reading.
            crate::web::perf::next_task().await;
            ctx.show_loaded(thread.data);
            // One message, the true one: where nothing can be kept, the store's notice says
            // so; "this browser only" is for a frame where the browser does keep comments.
            if local && crate::web::embed::is_framed() && thread.notice.is_none() {
                framed_local.set(true);
                web_sys::console::info_1(
                    &"Colloquy: this framed thread keeps comments in each reader's browser only; docs/hosting.md shows how to set up a comment server the class shares.".into(),
                );
            }
            notice.set(thread.notice);
            loaded.set(true);
            let events = Events {
                on_change: Rc::new(move |changes| ctx.receive(changes)),
                on_delivery: Rc::new(move |id, state| {
                    ctx.announcement.set(delivery_announcement(&state));
                    if state == Delivery::Sent {
                        forget_when_still_sent(ctx, id.clone());
                    }
                    if matches!(state, Delivery::Failed(_)) {
                        ctx.refused_write.notify();
                    }
                    ctx.delivery_of(&id).set(Some(state));
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
        if marked != Some(true) && drawn.get() {
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
            ctx.show_from_start();
        }
        order
    });

    // Past the first page, comments go on screen as the reader nears them.
    let before_marker = NodeRef::<leptos::html::Div>::new();
    let after_marker = NodeRef::<leptos::html::Div>::new();
    crate::ui::reveal::follow_the_reader(ctx, before_marker, after_marker);

    // Follow the URL's fragment once the comments are on screen, and on later changes.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !drawn.get() || roots.with(Vec::is_empty) {
            return done.unwrap_or(false);
        }
        request_animation_frame(move || highlight_fragment(ctx));
        true
    });
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        highlight_fragment(ctx);
    });
    let minutes = StoredValue::new(0u32);
    let clock = set_interval_with_handle(
        move || {
            minutes.update_value(|m| *m = m.wrapping_add(1));
            ctx.tick(minutes.get_value());
        },
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
    // On a return: how many comments are new since the last visit, and marking them read.
    let unread_count = Memo::new(move |_| {
        let since = ctx.seen_until.get()?;
        let me = ctx.me.get_value();
        let count = ctx.data.with(|data| {
            data.comments
                .iter()
                .filter(|comment| unread::is_unread(comment, since, &me))
                .count()
        });
        (count > 0).then_some(count)
    });
    let mark_all_read = move |_| {
        let now = identity::now_iso();
        let until = ctx
            .data
            .with_untracked(|data| unread::read_until(&data.comments, &now));
        let until = crate::web::visits::mark_all_read(&ctx.post_id.get_value(), until);
        ctx.seen_until
            .set(crate::model::timestamp::parse_millis(&until));
        ctx.announcement.set(words.marked_all_read.to_owned());
        // The button goes with what it marked: focus goes to the thread's heading.
        if let Some(heading) = document().get_element_by_id("thread-heading") {
            let _ = heading.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    let unread_summary = move || {
        unread_count.get().map(|count| {
            view! {
                <p class="unread-summary">
                    <span>{locale::count(&words.new_since_last_visit, count)}</span>
                    <button type="button" class="mark-all-read" on:click=mark_all_read>
                        {words.mark_all_read}
                    </button>
                </p>
            }
        })
    };
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
            web_sys::console::warn_1(
                &format!("Colloquy: the post's seed comments did not load: {error}").into(),
            );
            view! { <p class="thread-error" role="alert">{words.seed_failed}</p> }
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
        // Where readers can sign in, a refusal is the account bar's prompt, not an error.
        let signing_in = accounts.with(Option::is_some) && ctx.account.with(Option::is_none);
        let problem = ctx
            .store_problem
            .get()
            .filter(|problem| !(signing_in && crate::ui::account::needs_sign_in(problem)))
            .map(|problem| {
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
        let missing = ctx.missing_comment.get().map(|number| {
            view! {
                <p class="store-notice missing-comment" role="status">
                    {fill(words.comment_missing, &[("number", &number)])}
                </p>
            }
        });
        (notice, config, problem, framed, missing)
    };

    view! {
        <section class="thread" id="comments" aria-labelledby="thread-heading">
            <div class="thread-header">
                <h2 id="thread-heading" tabindex="-1">{heading}</h2>
                <ThreadTools />
            </div>
            {move || {
                let tools = class_tools?;
                accounts.get().map(|(database, staff)| (tools.account_bar)(database, staff))
            }}
            {move || {
                let tools = class_tools?;
                accounts.with(Option::is_some).then(|| (tools.discussion)())
            }}
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
                {unread_summary}
                <div class="comments-before" aria-hidden="true" node_ref=before_marker></div>
                // A discussion that asks students to post first shows them the others' once
                // they have (its notice says so).
                <ol class="comments" hidden=move || ctx.is_withheld_from_me()>
                    <For
                        each=move || {
                            ctx.first_shown_page.get()..ctx.shown_roots.get().div_ceil(ROOTS_PER_PAGE)
                        }
                        key=|page| *page
                        let:page
                    >
                        <RootsPage page />
                    </For>
                </ol>
                <div class="comments-after" aria-hidden="true" node_ref=after_marker></div>
                {incoming_button}
                {move || drawn.get().then(|| view! {
                    <Composer mode=ComposerMode::New />
                    <PassageAction />
                })}
            </Show>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || ctx.announcement.get()}
            </div>
        </section>
    }
}

/// The number of comments a post's thread shows: its seed comments and this browser's store.
pub async fn thread_count(
    post_id: &str,
    seed_path: Option<&str>,
    open_store: StoreOpener,
) -> Option<usize> {
    let seed = ThreadData {
        comments: crate::web::fetch::seed_comments_at(seed_path).await.ok()?,
        ..ThreadData::default()
    };
    let config = crate::web::fetch::config().await.ok()?;
    let thread = open_store(&config.store).ok()?.load(post_id, &seed).await;
    Some(ThreadView::build(&thread.data.comments, &[], None, SortOrder::OldestFirst).count)
}

/// One page of top-level comments. It follows only its own part of the thread's order, so a
/// comment added at the end lists the last page again, not every page on screen.
#[component]
fn RootsPage(page: usize) -> impl IntoView {
    let roots = expect_context::<ThreadContext>().roots;
    let ids = Memo::new(move |_| {
        roots.with(|roots| {
            roots
                .iter()
                .skip(page * ROOTS_PER_PAGE)
                .take(ROOTS_PER_PAGE)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <For each=move || ids.get() key=|id| id.clone() let:id>
            <CommentItem id />
        </For>
    }
}
