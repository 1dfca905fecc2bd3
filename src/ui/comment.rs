//! One comment in the thread: avatar, author, time, body with mentions, its actions (reply,
//! like, edit, delete, collapse) and, recursively, its replies.

use crate::content::markdown::plain_text;
use crate::i18n::{fill, messages};
use crate::model::avatar;
use crate::model::compose::{can_delete, can_edit};
use crate::model::mention::link_mentions;
use crate::model::thread::fragment;
use crate::model::{Comment, Like};
use crate::store::{Change, Delivery};
use crate::ui::composer::{Composer, ComposerMode};
use crate::ui::markdown::nodes_view;
use crate::ui::thread::{render_key, Item, ThreadContext};
use crate::web::{format, identity, locale};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CommentItem(id: String) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let item = ctx.item(&id);
    let shown = {
        let item = item.clone();
        Memo::new(move |_| item.with(Option::is_some))
    };
    // The card is made once and then follows its item in place: a like or an edit changes
    // the parts it touches, never the card or its replies.
    move || {
        shown
            .get()
            .then(|| view! { <CommentCard item=item.clone() /> })
    }
}

/// One field of a comment's item as a memo, so a change elsewhere in the item leaves the
/// parts that show this field alone.
fn field<T: Clone + PartialEq + Send + Sync + 'static>(
    item: &ArcRwSignal<Option<Item>>,
    read: impl Fn(&Item) -> T + Send + Sync + 'static,
    missing: T,
) -> Memo<T> {
    let item = item.clone();
    Memo::new(move |_| item.with(|item| item.as_ref().map_or_else(|| missing.clone(), &read)))
}

#[component]
fn CommentCard(item: ArcRwSignal<Option<Item>>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let Some(first) = item.get_untracked() else {
        return ().into_any();
    };
    let id = first.comment.id.clone();
    let number = field(&item, |i| i.number.clone(), first.number.clone());
    let depth = field(&item, |i| i.depth, first.depth);
    let tombstone = field(&item, |i| i.tombstone, first.tombstone);
    let children = field(&item, |i| i.children.clone(), Vec::new());
    let collapsed = RwSignal::new(false);
    let has_replies = Memo::new(move |_| children.with(|c| !c.is_empty()));
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
    let reply_composer = {
        let id = id.clone();
        let author = first.comment.author.clone();
        move || {
            ctx.is_replying_to(&id).then(|| {
                view! {
                    <Composer mode=ComposerMode::Reply {
                        parent_id: id.clone(),
                        parent_author: author.clone(),
                    } />
                }
            })
        }
    };
    let body = {
        let item = item.clone();
        move || {
            if tombstone.get() {
                view! {
                    <article
                        class="comment-card"
                        aria-label=move || fill(words.deleted_comment_label, &[("number", &number.get())])
                    >
                        <p class="comment-deleted">{words.comment_deleted}</p>
                    </article>
                }
                .into_any()
            } else {
                view! { <CommentBody item=item.clone() /> }.into_any()
            }
        }
    };
    view! {
        <li
            class="comment"
            class:is-deleted=move || tombstone.get()
            id=move || fragment(&number.get()).trim_start_matches('#').to_owned()
            data-depth=move || depth.get().to_string()
        >
            {body}
            {reply_composer}
            {replies}
        </li>
    }
    .into_any()
}

#[component]
fn CommentBody(item: ArcRwSignal<Option<Item>>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let Some(first) = item.get_untracked() else {
        return ().into_any();
    };
    let id = first.comment.id.clone();
    let comment = field(&item, |i| i.comment.clone(), first.comment.clone());
    let number = field(&item, |i| i.number.clone(), first.number.clone());
    let likes = field(&item, |i| i.likes, 0);
    let liked_by_me = field(&item, |i| i.liked_by_me, false);
    let me = ctx.me.get_value();
    let editing = {
        let id = id.clone();
        Memo::new(move |_| ctx.is_editing(&id))
    };
    let body = move || {
        let (key, plain) = comment.with(|c| (render_key(c), c.body.clone()));
        match ctx.rendered_body(&key).get() {
            Some(document) => {
                // Only a body with an `@` follows the thread's commenters: the others stay
                // as they are when comments come and go.
                let targets = if plain_text(&document.blocks).contains('@') {
                    ctx.view.with(|v| v.mention_targets())
                } else {
                    Default::default()
                };
                nodes_view(&link_mentions(document.blocks, &targets))
            }
            // Until the worker has rendered it, the body shows as its plain text.
            None => view! { <p>{plain}</p> }.into_any(),
        }
    };
    let own_actions = {
        let me = me.clone();
        move || {
            let comment = comment.get();
            if !can_delete(&comment, &me) {
                // Not this browser's: no actions, and nothing to follow on the clock.
                return None;
            }
            // Re-evaluated every minute with the thread's clock, so Edit goes when time is up.
            let now: String = js_sys::Date::new(&ctx.now_ms.get().into())
                .to_iso_string()
                .into();
            let editable = can_edit(&comment, &me, &now, ctx.edit_window_minutes.get());
            let deletable = can_delete(&comment, &me);
            Some(view! { <OwnActions comment editable deletable /> })
        }
    };
    let created = first.comment.created_at.clone();
    let absolute = format::timestamp(&created);
    let absolute_title = absolute.clone();
    let relative = {
        let created = created.clone();
        move || format::relative_time(&created, ctx.now_ms.get())
    };
    let edited =
        move || comment.with(|c| c.updated_at.trim() != "" && c.updated_at != c.created_at);
    let like = {
        let comment_id = id.clone();
        let me = me.clone();
        move |_| {
            let change = Change::Like(Like {
                comment_id: comment_id.clone(),
                browser_id: me.clone(),
                liked: !liked_by_me.get_untracked(),
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
    let author = first.comment.author.clone();
    let delivery = {
        let id = id.clone();
        move || {
            ctx.delivery.with(|d| d.get(&id).cloned()).map(|state| {
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
                view! { <p class=class>{text}</p> }
            })
        }
    };
    let label = {
        let author = author.clone();
        move || {
            fill(
                words.comment_label,
                &[("number", &number.get()), ("author", &author)],
            )
        }
    };
    view! {
        <article class="comment-card" aria-label=label>
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
                // Relative on screen; print shows the date and time, as a printout is read later.
                <time datetime=created.clone() title=absolute_title>
                    <span class="time-relative">{relative}</span>
                    <span class="time-absolute">{absolute}</span>
                </time>
                {move || edited().then(|| view! { <span class="comment-edited">{words.edited}</span> })}
                <a
                    class="comment-permalink"
                    href=move || fragment(&number.get())
                    aria-label=move || fill(words.comment_link_label, &[("number", &number.get())])
                >
                    {move || format!("#{}", number.get())}
                </a>
            </header>
            {passage_view(ctx, &first.comment)}
            <Show
                when=move || editing.get()
                fallback=move || view! { <div class="comment-body" dir="auto">{body}</div> }
            >
                <Composer mode=ComposerMode::Edit { comment: comment.get_untracked() } />
            </Show>
            {delivery}
            <div class="comment-actions">
                <button type="button" class="reply" on:click=reply>
                    {words.reply}
                </button>
                <button
                    type="button"
                    class="like"
                    aria-pressed=move || liked_by_me.get().to_string()
                    on:click=like
                >
                    {words.like}
                    " "
                    <span class="like-count">{move || format::number(likes.get())}</span>
                </button>
                {own_actions}
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
    let delete = move |_| {
        let mut tombstone = comment.clone();
        tombstone.deleted = true;
        tombstone.body = String::new();
        tombstone.updated_at = identity::now_iso();
        spawn_local(async move {
            match ctx.write(Change::Comment(tombstone)).await {
                Ok(()) => ctx.announcement.set(words.deleted_announcement.into()),
                Err(error) => ctx.announcement.set(messages::store_error(words, &error)),
            }
        });
    };
    view! {
        {editable.then(|| view! { <button type="button" class="edit" on:click=edit>{words.edit}</button> })}
        {deletable.then(|| view! {
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="delete" on:click=move |_| confirming.set(true)>{words.delete}</button>
                }
            >
                <span class="confirm-delete" role="group" aria-label=words.delete_question>
                    <span>{words.delete_question}</span>
                    <button type="button" class="danger" on:click=delete.clone()>{words.delete_confirm}</button>
                    <button type="button" on:click=move |_| confirming.set(false)>{words.keep}</button>
                </span>
            </Show>
        })}
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
