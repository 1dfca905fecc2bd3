//! One comment in the thread: avatar, author, time, body with mentions, its actions (reply,
//! like, edit, delete, collapse), the staff's marks and buttons where the thread module has
//! them (`ClassTools`) and, recursively, its replies.

use crate::content::markdown::plain_text;
use crate::i18n::{fill, messages};
use crate::model::account::StaffRole;
use crate::model::avatar;
use crate::model::compose::{can_delete, can_edit};
use crate::model::mention::link_mentions;
use crate::model::thread::{fragment, ThreadNode};
use crate::model::unread;
use crate::model::{Comment, Like};
use crate::store::{Change, Delivery};
use crate::ui::composer::{Composer, ComposerMode};
use crate::ui::markdown::nodes_view;
use crate::ui::thread_state::{render_key, ThreadContext};
use crate::web::{format, identity, locale};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Comments longer than this many characters fold after their first lines.
const FOLD_CHARS: usize = 1_200;

#[component]
pub fn CommentItem(id: String) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let node = ctx.node(&id);
    // By its author's name as shown: it changes only when pseudonyms come or go.
    let shown = {
        let node = node.clone();
        Memo::new(move |_| node.with(|n| n.as_ref().map(|n| n.comment.author.clone())))
    };
    // The card is made once and then follows its node in place: a like or an edit changes
    // the parts it touches, never the card or its replies.
    move || {
        shown
            .with(Option::is_some)
            .then(|| view! { <CommentCard node=node.clone() /> })
    }
}

/// One field of a comment's node, tracked: what shows it follows this comment's node only.
fn read<T: Default>(node: RwSignal<Option<ThreadNode>>, field: impl Fn(&ThreadNode) -> T) -> T {
    node.with(|node| node.as_ref().map(field).unwrap_or_default())
}

#[component]
fn CommentCard(node: ArcRwSignal<Option<ThreadNode>>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let node = RwSignal::from(node);
    let Some((id, author)) = node.with_untracked(|n| {
        n.as_ref()
            .map(|n| (n.comment.id.clone(), n.comment.author.clone()))
    }) else {
        return ().into_any();
    };
    // Memos only where a change rebuilds something (the body, the replies); the text and
    // attributes read the node directly.
    let tombstone = Memo::new(move |_| read(node, |n| n.tombstone));
    // Hidden by the staff: students see a placeholder (its replies stay), staff see it dimmed.
    let hidden =
        Memo::new(move |_| read(node, |n| n.moderation.as_ref().is_some_and(|m| m.hidden)));
    let hidden_from_me = move || hidden.get() && !ctx.is_staff();
    let children = Memo::new(move |_| read(node, |n| n.children.clone()));
    let has_replies = Memo::new(move |_| children.with(|c| !c.is_empty()));
    let number = move || read(node, |n| n.number.clone());
    let collapsed = RwSignal::new(false);
    // Made when the first reply comes; then the keyed list adds and moves replies in place.
    let replies = move || {
        has_replies.get().then(|| {
            view! {
                <button
                    class="collapse-toggle"
                    type="button"
                    aria-expanded=move || (!collapsed.get()).to_string()
                    on:click=move |_| collapsed.update(|c| *c = !*c)
                >
                    {move || {
                        if collapsed.get() {
                            locale::count(&words.show_replies, children.with(Vec::len))
                        } else {
                            words.hide_replies.to_owned()
                        }
                    }}
                </button>
                <ol class="replies" hidden=move || collapsed.get()>
                    <For each=move || children.get() key=|id| id.clone() let:id>
                        <CommentItem id />
                    </For>
                </ol>
            }
        })
    };
    let reply_composer = move || {
        (ctx.is_replying_to(&id) && !ctx.is_locked_to_me()).then(|| {
            view! {
                <Composer mode=ComposerMode::Reply {
                    parent_id: id.clone(),
                    parent_author: author.clone(),
                } />
            }
        })
    };
    let body = move || {
        if tombstone.get() {
            view! {
                <article
                    class="comment-card"
                    aria-label=move || fill(words.deleted_comment_label, &[("number", &number())])
                >
                    <p class="comment-deleted">{words.comment_deleted}</p>
                </article>
            }
            .into_any()
        } else if hidden_from_me() {
            view! {
                <article
                    class="comment-card"
                    aria-label=move || fill(words.hidden_comment_label, &[("number", &number())])
                >
                    <p class="comment-deleted comment-hidden">{words.hidden_by_instructor}</p>
                </article>
            }
            .into_any()
        } else {
            view! { <CommentBody node /> }.into_any()
        }
    };
    view! {
        <li
            class="comment"
            class:is-deleted=move || tombstone.get() || hidden_from_me()
            class:is-hidden=move || hidden.get() && ctx.is_staff()
            id=move || fragment(&number()).trim_start_matches('#').to_owned()
            data-depth=move || read(node, |n| n.depth).to_string()
        >
            {body}
            {reply_composer}
            {replies}
        </li>
    }
    .into_any()
}

#[component]
fn CommentBody(node: RwSignal<Option<ThreadNode>>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let Some(first) = node.with_untracked(|n| n.as_ref().map(|n| n.comment.clone())) else {
        return ().into_any();
    };
    let id = first.id.clone();
    let me = ctx.me.get_value();
    let number = move || read(node, |n| n.number.clone());
    let current = move || node.with_untracked(|n| n.as_ref().map(|n| n.comment.clone()));
    let editing = {
        let id = id.clone();
        Memo::new(move |_| ctx.is_editing(&id))
    };
    let key = Memo::new(move |_| read(node, |n| render_key(&n.comment)));
    // Asked for as the comment comes on screen, and again when an edit changes it.
    ctx.request_body(&first);
    Effect::new(move |previous: Option<String>| {
        let key = key.get();
        if previous.is_some_and(|previous| previous != key) {
            if let Some(comment) = current() {
                ctx.request_body(&comment);
            }
        }
        key
    });
    // Drawn once, as Markdown: until then the body is an empty, busy placeholder.
    let pending = move || {
        ctx.rendered_body(&key.get())
            .with(Option::is_none)
            .then_some("true")
    };
    let body = move || {
        let document = ctx.rendered_body(&key.get()).get()?;
        // Only a body with an `@` follows the thread's commenters: the others stay as they
        // are when comments come and go.
        let targets = if plain_text(&document.blocks).contains('@') {
            ctx.view.with(|v| v.mention_targets())
        } else {
            Default::default()
        };
        Some(nodes_view(&link_mentions(document.blocks, &targets)))
    };
    // Not this browser's comment: no actions, and nothing to follow on the clock.
    let own_actions = can_delete(&first, &me).then(|| {
        let me = me.clone();
        // Re-evaluated every minute with the thread's clock, so Edit goes when time is up.
        let editable = Memo::new(move |_| {
            let now: String = js_sys::Date::new(&ctx.now_ms.get().into())
                .to_iso_string()
                .into();
            let window = ctx.edit_window_minutes.get();
            read(node, |n| can_edit(&n.comment, &me, &now, window))
        });
        move || {
            let comment = current()?;
            // Written as an account: that account's to change (as the store checks too).
            let writer = comment.account.as_deref();
            if writer.is_some()
                && ctx
                    .account
                    .with(|me| me.as_ref().map(|m| m.name.as_str()) != writer)
            {
                return None;
            }
            Some(view! { <OwnActions comment editable=editable.get() deletable=true /> })
        }
    });
    // Someone else's comment posted since the reader's last visit.
    let is_new = {
        let me = me.clone();
        Memo::new(move |_| {
            ctx.seen_until
                .get()
                .is_some_and(|since| read(node, |n| unread::is_unread(&n.comment, since, &me)))
        })
    };
    let created = first.created_at.clone();
    let absolute = format::timestamp(&created);
    let absolute_title = absolute.clone();
    let relative = {
        let created = created.clone();
        let made_ms = js_sys::Date::parse(&created);
        move || format::relative_time(&created, ctx.now_for(made_ms))
    };
    let edited = move || {
        read(node, |n| {
            let c = &n.comment;
            c.updated_at.trim() != "" && c.updated_at != c.created_at
        })
    };
    let like = {
        let comment_id = id.clone();
        let me = me.clone();
        move |_| {
            let change = Change::Like(Like {
                comment_id: comment_id.clone(),
                browser_id: me.clone(),
                liked: !node.with_untracked(|n| n.as_ref().is_some_and(|n| n.liked_by_me)),
                updated_at: identity::now_iso(),
            });
            spawn_local(async move {
                if let Err(error) = ctx.write(change).await {
                    ctx.announcement.set(messages::store_error(words, &error));
                }
            });
        }
    };
    let reply = {
        let id = id.clone();
        move |_| ctx.replying_to.set(Some(id.clone()))
    };
    let author = first.author.clone();
    // Checked by the store when the comment was written; an edit keeps it.
    let role = first.staff_role();
    // Only this browser's own comments are on their way anywhere.
    let delivery = can_delete(&first, &me).then(|| {
        let state = ctx.delivery_of(&id);
        move || {
            state.get().map(|state| {
                let waiting = matches!(state, Delivery::Waiting(_));
                let (class, text) = match state {
                    Delivery::Sending => ("delivery", words.delivery_sending.to_owned()),
                    Delivery::Sent => ("delivery", words.delivery_sent.to_owned()),
                    Delivery::Waiting(why) => (
                        "delivery is-waiting",
                        fill(words.delivery_waiting, &[("reason", &why)]),
                    ),
                    Delivery::Failed(why) => (
                        "delivery is-failed",
                        fill(words.delivery_failed, &[("reason", &why)]),
                    ),
                };
                let retry = waiting.then(|| {
                    view! {
                        " "
                        <button type="button" class="retry-now" on:click=move |_| ctx.retry_now()>
                            {words.retry_now}
                        </button>
                    }
                });
                view! { <p class=class>{text}{retry}</p> }
            })
        }
    });
    // A long comment shows its start, and the rest on "Show more".
    let long = move || read(node, |n| n.comment.body.chars().count() > FOLD_CHARS);
    let folded = RwSignal::new(true);
    let body_id = format!("comment-body-{id}");
    let fold_toggle = {
        let body_id = body_id.clone();
        move || {
            long().then(|| {
                view! {
                    <button
                        type="button"
                        class="fold-toggle"
                        aria-expanded=move || (!folded.get()).to_string()
                        aria-controls=body_id.clone()
                        on:click=move |_| folded.update(|f| *f = !*f)
                    >
                        {move || if folded.get() { words.show_more } else { words.show_less }}
                    </button>
                }
            })
        }
    };
    let label = {
        let author = author.clone();
        move || {
            fill(
                words.comment_label,
                &[("number", &number()), ("author", &author)],
            )
        }
    };
    view! {
        <article class="comment-card" class:is-new=is_new aria-label=label tabindex="-1">
            <header class="comment-header">
                <span
                    class="avatar"
                    aria-hidden="true"
                    // Through the CSSOM, which a CSP without 'unsafe-inline' allows (an attribute it refuses).
                    style:background=avatar::colour(&author)
                >
                    {avatar::initials(&author)}
                </span>
                <bdi class="comment-author" dir="auto">{author.clone()}</bdi>
                {role.map(|role| view! { <span class="role-badge">{role_label(role)}</span> })}
                {ctx.class_tools.map(|tools| (tools.comment_marks)(node))}
                // Relative on screen; print shows the date and time, as a printout is read later.
                <time datetime=created.clone() title=absolute_title>
                    <span class="time-relative">{relative}</span>
                    <span class="time-absolute">{absolute}</span>
                </time>
                {move || edited().then(|| view! { <span class="comment-edited">{words.edited}</span> })}
                {move || is_new.get().then(|| view! { <span class="comment-new">{words.new_mark}</span> })}
                <a
                    class="comment-permalink"
                    href=move || fragment(&number())
                    aria-label=move || fill(words.comment_link_label, &[("number", &number())])
                >
                    {move || format!("#{}", number())}
                </a>
            </header>
            {passage_view(ctx, &first)}
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <div
                            class="comment-body"
                            class:is-folded=move || long() && folded.get()
                            id=body_id.clone()
                            dir="auto"
                            aria-busy=pending
                        >
                            {body}
                        </div>
                        {fold_toggle.clone()}
                    }
                }
            >
                <Composer mode=ComposerMode::Edit { comment: Box::new(current().unwrap_or_else(|| first.clone())) } />
            </Show>
            {delivery}
            // While the comment is being edited, the form's own buttons are its actions.
            <div class="comment-actions" hidden=move || editing.get()>
                <button
                    type="button"
                    class="reply"
                    hidden=move || ctx.is_locked_to_me()
                    on:click=reply
                >
                    {words.reply}
                </button>
                <button
                    type="button"
                    class="like"
                    aria-pressed=move || read(node, |n| n.liked_by_me).to_string()
                    on:click=like
                >
                    {words.like}
                    " "
                    <span class="like-count">{move || format::number(read(node, |n| n.likes))}</span>
                </button>
                {own_actions}
                {ctx.class_tools.map(|tools| (tools.comment_actions)(node))}
            </div>
        </article>
    }
    .into_any()
}

#[component]
fn OwnActions(comment: Comment, editable: bool, deletable: bool) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let confirming = RwSignal::new(false);
    let edit = {
        let id = comment.id.clone();
        move |_| ctx.editing.set(Some(id.clone()))
    };
    let group: NodeRef<leptos::html::Span> = NodeRef::new();
    let delete_button: NodeRef<leptos::html::Button> = NodeRef::new();
    let delete = move |_| {
        let mut tombstone = comment.clone();
        tombstone.deleted = true;
        tombstone.body = String::new();
        tombstone.updated_at = identity::now_iso();
        // Where focus goes once this comment has gone: the comment after it, else the one
        // before it, else the thread's heading.
        let neighbours = group
            .get_untracked()
            .map(|group| neighbouring_cards(&group))
            .unwrap_or_default();
        spawn_local(async move {
            match ctx.write(Change::Comment(tombstone)).await {
                Ok(()) => {
                    ctx.announcement.set(words.deleted_announcement.into());
                    request_animation_frame(move || focus_after_delete(neighbours));
                }
                Err(error) => ctx.announcement.set(messages::store_error(words, &error)),
            }
        });
    };
    // The confirmation takes focus (as a group, so one more Enter does not delete), and
    // "Keep" gives it back to Delete.
    let ask = move |_| {
        confirming.set(true);
        request_animation_frame(move || {
            if let Some(group) = group.get_untracked() {
                let _ = group.focus();
            }
        });
    };
    let keep = move |_| {
        confirming.set(false);
        request_animation_frame(move || {
            if let Some(button) = delete_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    view! {
        {editable.then(|| view! { <button type="button" class="edit" on:click=edit>{words.edit}</button> })}
        {deletable.then(|| view! {
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="delete" node_ref=delete_button on:click=ask>{words.delete}</button>
                }
            >
                <span
                    class="confirm-delete"
                    role="group"
                    aria-label=words.delete_question
                    tabindex="-1"
                    node_ref=group
                    on:keydown=move |event| {
                        if event.key() == "Escape" {
                            event.prevent_default();
                            keep(());
                        }
                    }
                >
                    <span>{words.delete_question}</span>
                    <button type="button" class="danger" on:click=delete.clone()>{words.delete_confirm}</button>
                    <button type="button" on:click=move |_| keep(())>{words.keep}</button>
                </span>
            </Show>
        })}
    }
}

/// The comment cards after and before the one holding `inside`, nearest first.
fn neighbouring_cards(inside: &web_sys::Element) -> Vec<web_sys::Element> {
    let Some(own) = inside.closest("li.comment").ok().flatten() else {
        return Vec::new();
    };
    let Ok(all) = document().query_selector_all("section.thread li.comment") else {
        return Vec::new();
    };
    let items: Vec<web_sys::Element> = (0..all.length())
        .filter_map(|i| all.item(i))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
        .collect();
    let Some(at) = items.iter().position(|item| *item == own) else {
        return Vec::new();
    };
    // Its replies stay when it goes (a tombstone keeps them), so the first counts as next.
    let mut order: Vec<web_sys::Element> = items[at + 1..].iter().take(1).cloned().collect();
    order.extend(items[..at].iter().rev().take(1).cloned());
    order.push(own);
    order
}

/// Focuses the first of `candidates` still in the page, else the thread's heading.
fn focus_after_delete(candidates: Vec<web_sys::Element>) {
    match candidates.iter().find(|item| item.is_connected()) {
        Some(item) => crate::ui::thread_state::focus_card(item),
        None => {
            if let Some(heading) = document()
                .get_element_by_id("thread-heading")
                .and_then(|h| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h).ok())
            {
                let _ = heading.focus();
            }
        }
    }
}

/// The passage a comment quotes, with the way to it in the post, or word that the post no
/// longer has it.
fn passage_view(ctx: ThreadContext, comment: &Comment) -> Option<impl IntoView> {
    let passage = comment.target.clone()?;
    let id = comment.id.clone();
    let orphaned = {
        let id = id.clone();
        Memo::new(move |_| {
            ctx.anchors
                .with(|anchors| matches!(anchors.get(&id), Some(None)))
        })
    };
    Some(view! {
        <figure class="comment-passage" class:is-orphaned=orphaned>
            <blockquote dir="auto">{passage.exact.clone()}</blockquote>
            <figcaption>
                {move || {
                    if orphaned.get() {
                        view! {
                            <span class="passage-orphaned">
                                {locale::thread().passage_orphaned}
                            </span>
                        }
                        .into_any()
                    } else {
                        let id = id.clone();
                        view! {
                            <button
                                type="button"
                                class="passage-link"
                                on:click=move |_| crate::ui::passage::show_passage(&id)
                            >
                                {locale::thread().show_in_post}
                            </button>
                        }
                        .into_any()
                    }
                }}
            </figcaption>
        </figure>
    })
}

/// The words of a staff role's badge.
pub fn role_label(role: StaffRole) -> &'static str {
    let words = locale::thread();
    match role {
        StaffRole::Instructor => words.role_instructor,
        StaffRole::Ta => words.role_ta,
    }
}
