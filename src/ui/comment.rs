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
    move || {
        item.get()
            .map(|item| view! { <CommentCard item /> }.into_any())
            .unwrap_or_else(|| ().into_any())
    }
}

#[component]
fn CommentCard(item: Item) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let id = item.comment.id.clone();
    let number = item.number.clone();
    let children = item.children.clone();
    let reply_count = children.len();
    let collapsed = {
        let id = id.clone();
        Memo::new(move |_| ctx.collapsed.with(|c| c.contains(&id)))
    };
    let toggle_collapse = {
        let id = id.clone();
        move |_| {
            ctx.collapsed.update(|c| {
                if !c.remove(&id) {
                    c.insert(id.clone());
                }
            })
        }
    };
    let replies = (reply_count > 0).then(|| {
        let children = children.clone();
        view! {
            <button
                class="collapse-toggle"
                type="button"
                aria-expanded=move || (!collapsed.get()).to_string()
                on:click=toggle_collapse
            >
                {move || {
                    if collapsed.get() {
                        locale::count(&words.show_replies, reply_count)
                    } else {
                        words.hide_replies.to_owned()
                    }
                }}
            </button>
            <ol class="replies" hidden=move || collapsed.get()>
                {children.into_iter().map(|id| view! { <CommentItem id /> }).collect_view()}
            </ol>
        }
    });
    let reply_composer = {
        let id = id.clone();
        let author = item.comment.author.clone();
        move || {
            (ctx.replying_to.get().as_deref() == Some(id.as_str())).then(|| {
                view! {
                    <Composer mode=ComposerMode::Reply {
                        parent_id: id.clone(),
                        parent_author: author.clone(),
                    } />
                }
            })
        }
    };
    let body = if item.tombstone {
        view! {
            <article class="comment-card" aria-label=fill(words.deleted_comment_label, &[("number", &number)])>
                <p class="comment-deleted">{words.comment_deleted}</p>
            </article>
        }
        .into_any()
    } else {
        view! { <CommentBody item=item.clone() /> }.into_any()
    };
    view! {
        <li
            class="comment"
            class:is-deleted=item.tombstone
            id=fragment(&number).trim_start_matches('#').to_owned()
            data-depth=item.depth.to_string()
        >
            {body}
            {reply_composer}
            {replies}
        </li>
    }
}

#[component]
fn CommentBody(item: Item) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let comment = item.comment.clone();
    let number = item.number.clone();
    let me = ctx.me.get_value();
    let key = render_key(&comment);
    let editing = {
        let id = comment.id.clone();
        Memo::new(move |_| ctx.editing.get().as_deref() == Some(id.as_str()))
    };
    let body = {
        let plain = comment.body.clone();
        let rendered = ctx.rendered_body(&key);
        move || match rendered.get() {
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
            None => view! { <p>{plain.clone()}</p> }.into_any(),
        }
    };
    let own_actions = {
        let comment = comment.clone();
        let me = me.clone();
        move || {
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
            Some(view! { <OwnActions comment=comment.clone() editable deletable /> })
        }
    };
    let created = comment.created_at.clone();
    let absolute = format::timestamp(&created);
    let absolute_title = absolute.clone();
    let relative = {
        let created = created.clone();
        move || format::relative_time(&created, ctx.now_ms.get())
    };
    let edited = comment.updated_at.trim() != "" && comment.updated_at != comment.created_at;
    let like = {
        let comment_id = comment.id.clone();
        let me = me.clone();
        let liked = item.liked_by_me;
        move |_| {
            let change = Change::Like(Like {
                comment_id: comment_id.clone(),
                browser_id: me.clone(),
                liked: !liked,
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
        let id = comment.id.clone();
        move |_| ctx.replying_to.set(Some(id.clone()))
    };
    let author = comment.author.clone();
    let delivery = {
        let id = comment.id.clone();
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
    view! {
        <article class="comment-card" aria-label=fill(words.comment_label, &[("number", &number), ("author", &author)])>
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
                {edited.then(|| view! { <span class="comment-edited">{words.edited}</span> })}
                <a
                    class="comment-permalink"
                    href=fragment(&number)
                    aria-label=fill(words.comment_link_label, &[("number", &number)])
                >
                    {format!("#{number}")}
                </a>
            </header>
            {passage_view(ctx, &comment)}
            <Show
                when=move || editing.get()
                fallback=move || view! { <div class="comment-body" dir="auto">{body.clone()}</div> }
            >
                <Composer mode=ComposerMode::Edit { comment: comment.clone() } />
            </Show>
            {delivery}
            <div class="comment-actions">
                <button type="button" class="reply" on:click=reply>
                    {words.reply}
                </button>
                <button type="button" class="like" aria-pressed=item.liked_by_me.to_string() on:click=like>
                    {words.like}
                    " "
                    <span class="like-count">{format::number(item.likes)}</span>
                </button>
                {own_actions}
            </div>
        </article>
    }
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
