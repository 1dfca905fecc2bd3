//! The staff's tools on a store with accounts (CouchDB): the marks a comment shows of their
//! decisions (pinned, endorsed, hidden), the Pin, Endorse and Hide buttons on each comment and
//! the discussion's lock, for instructors and TAs, beside the readers' reports (`reports`). Only the shared stores' thread module links
//! it (`ClassTools`); the database checks every decision's writer (docs/couchdb.md).

use crate::i18n::messages;
use crate::model::moderation::{self, Moderation};
use crate::model::ThreadNode;
use crate::store::Change;
use crate::ui::thread_state::ThreadContext;
use crate::web::{identity, locale};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The staff's decision about the comment of `node`, if any.
fn decision(node: RwSignal<Option<ThreadNode>>) -> Option<Moderation> {
    node.with(|n| n.as_ref().and_then(|n| n.moderation.clone()))
}

/// "Pinned", "Endorsed by the instructor" and, for staff, "Hidden from students".
pub fn comment_marks(node: RwSignal<Option<ThreadNode>>) -> AnyView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    (move || {
        let decision = decision(node)?;
        let pinned = decision
            .pinned
            .then(|| view! { <span class="mod-mark is-pinned">{words.pinned_mark}</span> });
        let endorsed = decision.endorsed.then(|| {
            let text = match decision.staff_role() {
                Some(crate::model::account::StaffRole::Ta) => words.endorsed_by_ta,
                _ => words.endorsed_by_instructor,
            };
            view! { <span class="mod-mark is-endorsed">{text}</span> }
        });
        let hidden = (decision.hidden && ctx.is_staff()).then(|| {
            view! { <span class="mod-mark is-hidden">{words.hidden_from_students}</span> }
        });
        Some(view! { {pinned}{endorsed}{hidden} })
    })
    .into_any()
}

/// Pin, Endorse (toggles, `aria-pressed`) and Hide or Unhide, for staff only; Report, for
/// every signed-in reader.
pub fn comment_actions(node: RwSignal<Option<ThreadNode>>) -> AnyView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let flag = move |read: fn(&Moderation) -> bool| decision(node).is_some_and(|d| read(&d));
    let toggle = move |read: fn(&Moderation) -> bool,
                       write: fn(&mut Moderation, bool),
                       said: (&'static str, &'static str)| {
        move |_| {
            let Some(comment_id) =
                node.with_untracked(|n| n.as_ref().map(|n| n.comment.id.clone()))
            else {
                return;
            };
            let mut next = node
                .with_untracked(|n| n.as_ref().and_then(|n| n.moderation.clone()))
                .unwrap_or_default();
            next.comment_id = Some(comment_id);
            let on = !read(&next);
            write(&mut next, on);
            decide(ctx, next, if on { said.0 } else { said.1 });
        }
    };
    let staff_buttons = move || {
        ctx.is_staff().then(|| {
            view! {
                <button
                    type="button"
                    class="pin"
                    aria-pressed=move || flag(|d| d.pinned).to_string()
                    on:click=toggle(
                        |d| d.pinned,
                        |d, on| d.pinned = on,
                        (words.pinned_announcement, words.unpinned_announcement),
                    )
                >
                    {words.pin}
                </button>
                <button
                    type="button"
                    class="endorse"
                    aria-pressed=move || flag(|d| d.endorsed).to_string()
                    on:click=toggle(
                        |d| d.endorsed,
                        |d, on| d.endorsed = on,
                        (words.endorsed_announcement, words.unendorsed_announcement),
                    )
                >
                    {words.endorse}
                </button>
                <button
                    type="button"
                    class="hide"
                    on:click=toggle(
                        |d| d.hidden,
                        |d, on| d.hidden = on,
                        (words.hidden_announcement, words.unhidden_announcement),
                    )
                >
                    {move || if flag(|d| d.hidden) { words.unhide } else { words.hide }}
                </button>
            }
        })
    };
    view! {
        {staff_buttons}
        {crate::ui::reports::report_action(node)}
    }
    .into_any()
}

/// The notice of a locked discussion, and for staff, Lock or Unlock and the reports to review.
pub fn discussion_tools() -> AnyView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let locked = Memo::new(move |_| ctx.data.with(|d| moderation::is_locked(&d.moderation)));
    let notice = move || {
        locked.get().then(|| {
            let text = if ctx.is_staff() {
                words.locked_notice_staff
            } else {
                words.locked_notice
            };
            view! { <p class="store-notice locked-notice" role="status">{text}</p> }
        })
    };
    let toggle = move |_| {
        let mut next = ctx
            .data
            .with_untracked(|d| {
                d.moderation
                    .first()
                    .filter(|m| m.comment_id.is_none())
                    .cloned()
            })
            .unwrap_or_default();
        next.locked = !locked.get_untracked();
        let said = if next.locked {
            words.locked_announcement
        } else {
            words.unlocked_announcement
        };
        decide(ctx, next, said);
    };
    let button = move || {
        ctx.is_staff().then(|| {
            view! {
                <button type="button" class="lock-discussion" on:click=toggle>
                    {move || if locked.get() { words.unlock } else { words.lock }}
                </button>
            }
        })
    };
    view! {
        <div class="discussion-lock">
            {notice}
            {button}
            {crate::ui::reports::review()}
        </div>
    }
    .into_any()
}

/// Writes `decision` as the signed-in staff member, and says `said` once it is kept (or why
/// it was not).
fn decide(ctx: ThreadContext, mut decision: Moderation, said: &'static str) {
    let Some(account) = ctx.account.get_untracked() else {
        return;
    };
    let Some(role) = account.role else {
        return;
    };
    decision.account = account.name;
    decision.account_role = role.name().to_owned();
    decision.updated_at = identity::now_iso();
    spawn_local(async move {
        let said = match ctx.write(Change::Moderation(decision)).await {
            Ok(()) => said.to_owned(),
            Err(error) => messages::store_error(locale::thread(), &error),
        };
        ctx.announcement.set(said);
    });
}
