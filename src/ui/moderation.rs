//! The staff's tools on a store with accounts (CouchDB): the marks a comment shows of their
//! decisions (pinned, endorsed, hidden), the Pin, Endorse and Hide buttons on each comment and
//! the discussion's settings (lock, post first, anonymous to classmates, and `checkpoints`),
//! for instructors and TAs, beside the readers' reports (`reports`). Only the shared stores'
//! thread module links it (`ClassTools`); the database checks every decision's writer
//! (docs/couchdb.md).

use crate::i18n::messages;
use crate::model::moderation::{self, Moderation};
use crate::model::{ThreadData, ThreadNode, ThreadView};
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

/// The discussion's settings: the notices of a locked discussion and of one that asks students
/// to post first, and for staff, Lock or Unlock, the post-first toggle and the reports to review.
pub fn discussion_tools() -> AnyView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let settings = Memo::new(move |_| {
        ctx.data
            .with(|d| moderation::of_discussion(&d.moderation).cloned())
            .unwrap_or_default()
    });
    let locked = move || settings.with(|s| s.locked);
    let post_first = move || settings.with(|s| s.post_first);
    let anonymous = move || settings.with(|s| s.anonymous);
    // Names or pseudonyms follow who the reader is: signing in as staff shows the names.
    Effect::new(move |was_staff: Option<bool>| {
        let staff = ctx.is_staff();
        if was_staff.is_some_and(|was| was != staff) && settings.with_untracked(|s| s.anonymous) {
            ctx.rebuild();
        }
        staff
    });
    let notices = move || {
        let staff = ctx.is_staff();
        let lock = locked().then(|| {
            let text = if staff {
                words.locked_notice_staff
            } else {
                words.locked_notice
            };
            view! { <p class="store-notice locked-notice" role="status">{text}</p> }
        });
        let first = (post_first() && (staff || ctx.is_withheld_from_me())).then(|| {
            let text = if staff {
                words.post_first_notice_staff
            } else {
                words.post_first_notice
            };
            view! { <p class="store-notice locked-notice post-first-notice" role="status">{text}</p> }
        });
        let pseudonyms = (anonymous() && staff).then(|| {
            view! {
                <p class="store-notice locked-notice anonymous-notice" role="status">
                    {words.anonymous_notice_staff}
                </p>
            }
        });
        (lock, first, pseudonyms)
    };
    // Each setting is a field of the one discussion record: the others stay as they are.
    let change = move |set: fn(&mut Moderation), said: &'static str| {
        let mut next = settings.get_untracked();
        set(&mut next);
        decide(ctx, next, said);
    };
    let toggle_lock = move |_| {
        if settings.with_untracked(|s| s.locked) {
            change(|s| s.locked = false, words.unlocked_announcement);
        } else {
            change(|s| s.locked = true, words.locked_announcement);
        }
    };
    let toggle_post_first = move |_| {
        if settings.with_untracked(|s| s.post_first) {
            change(|s| s.post_first = false, words.post_first_off_announcement);
        } else {
            change(|s| s.post_first = true, words.post_first_on_announcement);
        }
    };
    let toggle_anonymous = move |_| {
        if settings.with_untracked(|s| s.anonymous) {
            change(|s| s.anonymous = false, words.anonymous_off_announcement);
        } else {
            change(|s| s.anonymous = true, words.anonymous_on_announcement);
        }
    };
    let buttons = move || {
        ctx.is_staff().then(|| {
            view! {
                <button type="button" class="lock-discussion" on:click=toggle_lock>
                    {move || if locked() { words.unlock } else { words.lock }}
                </button>
                <button
                    type="button"
                    class="post-first secondary"
                    aria-pressed=move || post_first().to_string()
                    on:click=toggle_post_first
                >
                    {words.post_first}
                </button>
                <button
                    type="button"
                    class="anonymous secondary"
                    aria-pressed=move || anonymous().to_string()
                    on:click=toggle_anonymous
                >
                    {words.anonymous}
                </button>
            }
        })
    };
    view! {
        <div class="discussion-lock">
            {notices}
            {buttons}
            {crate::ui::reports::review()}
            {crate::ui::checkpoints::checkpoints_panel(
                settings,
                move |next, said| decide(ctx, next, said),
            )}
        </div>
    }
    .into_any()
}

/// The staff's decisions applied to a view just built (`ClassTools::staff_view`): pinned
/// comments first and each comment's marks; for a student in a discussion anonymous to
/// classmates, the others' names as "Student N" (their own comments keep theirs).
pub fn staff_view(ctx: ThreadContext, view: &mut ThreadView, data: &ThreadData) {
    view.moderate(&data.moderation);
    if !ctx.is_anonymous_to_me() {
        return;
    }
    let me = ctx.me.get_value();
    let account = ctx
        .account
        .with_untracked(|a| a.as_ref().map(|a| a.name.clone()));
    let is_mine = |c: &crate::model::Comment| {
        c.author_key.as_deref() == Some(me.as_str())
            || (c.account.is_some() && c.account == account)
    };
    let words = locale::thread();
    view.anonymise(&data.comments, is_mine, |n| {
        crate::i18n::fill(words.student_pseudonym, &[("n", &n.to_string())])
    });
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
