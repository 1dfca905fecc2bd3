//! A discussion's checkpoints on a store with accounts: the goals every reader sees, a
//! student's own progress towards them, and the staff's form that sets them. Part of the
//! discussion's settings (`moderation::discussion_tools`), so linked by the shared module only.

use crate::i18n::fill;
use crate::model::checkpoint::{self, CheckpointProblem, Checkpoints, MAX_REPLIES_REQUIRED};
use crate::model::{timestamp, Moderation};
use crate::ui::thread_state::ThreadContext;
use crate::web::{format, locale};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The checkpoints, if set, and for staff the button and form that set them. `save` writes the
/// discussion's settings and says the words it is given once they are kept.
pub fn checkpoints_panel(
    settings: Memo<Moderation>,
    save: impl Fn(Moderation, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let open = RwSignal::new(false);
    let toggle: NodeRef<html::Button> = NodeRef::new();
    let close = move || {
        open.set(false);
        request_animation_frame(move || {
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let staff_controls = move || {
        ctx.is_staff().then(|| {
            view! {
                <button
                    type="button"
                    class="set-checkpoints secondary"
                    node_ref=toggle
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {words.set_checkpoints}
                </button>
                <Show when=move || open.get()>
                    <CheckpointsForm settings save on_close=close />
                </Show>
            }
        })
    };
    view! {
        <Goals settings />
        {staff_controls}
    }
}

/// "Checkpoints": one comment by a date and N replies by another, with the signed-in
/// student's progress on each ("1 of 2 replies") and whether it was met or missed.
#[component]
fn Goals(settings: Memo<Moderation>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let checkpoints = Memo::new(move |_| settings.with(|s| s.checkpoints.clone()));
    // A student's own: staff are not graded, and a reader not signed in has no comments yet.
    let student = move || {
        ctx.account.with(|a| {
            a.as_ref()
                .filter(|a| a.role.is_none())
                .map(|a| a.name.clone())
        })
    };
    let progress = Memo::new(move |_| {
        let goals = checkpoints.get()?;
        let me = student()?;
        Some(ctx.data.with(|d| {
            checkpoint::progress(&d.comments, &goals, |c| {
                c.account.as_deref() == Some(me.as_str())
            })
        }))
    });
    move || {
        let goals = checkpoints.get()?;
        let progress = progress.get();
        let now = ctx.now_ms.get();
        let past = |due: &str| timestamp::parse_millis(due).is_some_and(|due| (due as f64) < now);
        // After the date, how many came late, where that is why the checkpoint is not met.
        let status = |met: bool, due: &str, late: usize| {
            let said = if met {
                Some((words.checkpoint_met, "is-met"))
            } else if past(due) {
                Some((words.checkpoint_missed, "is-missed"))
            } else {
                None
            };
            let late = (!met && late > 0).then(|| {
                view! {
                    <span class="checkpoint-late">
                        {fill(words.checkpoint_late, &[("n", &late.to_string())])}
                    </span>
                }
            });
            let said = said.map(|(text, class)| {
                view! { <span class=format!("checkpoint-status {class}")>{text}</span> }
            });
            (said, late)
        };
        let comment_progress = progress.as_ref().map(|p| {
            view! {
                <span class="checkpoint-progress">
                    {fill(words.progress_comment, &[("done", &p.comments_on_time.min(1).to_string())])}
                </span>
                {status(p.comment_met(), &goals.comment_due, p.comments - p.comments_on_time)}
            }
        });
        let replies = (goals.replies_required > 0).then(|| {
            let required = goals.replies_required as usize;
            let goal = fill(
                &locale::count(&words.checkpoint_replies, required),
                &[("due", &format::timestamp(&goals.replies_due))],
            );
            let mine = progress.as_ref().map(|p| {
                let done = p.replies_on_time.min(required).to_string();
                view! {
                    <span class="checkpoint-progress">
                        {fill(&locale::count(&words.progress_replies, required), &[("done", &done)])}
                    </span>
                    {status(p.replies_met(&goals), &goals.replies_due, p.replies - p.replies_on_time)}
                }
            });
            view! {
                <li class="checkpoint">
                    <span class="checkpoint-goal">{goal}</span>
                    {mine}
                </li>
            }
        });
        Some(view! {
            <section class="checkpoints" aria-label=words.checkpoints>
                <h3 class="checkpoints-title">{words.checkpoints}</h3>
                <ul>
                    <li class="checkpoint">
                        <span class="checkpoint-goal">
                            {fill(
                                words.checkpoint_comment,
                                &[("due", &format::timestamp(&goals.comment_due))],
                            )}
                        </span>
                        {comment_progress}
                    </li>
                    {replies}
                </ul>
            </section>
        })
    }
}

/// The staff's form: the first comment's due time, how many replies to classmates and their
/// due time; Save, Remove (when set) and Cancel. Escape closes it.
#[component]
fn CheckpointsForm(
    settings: Memo<Moderation>,
    save: impl Fn(Moderation, &'static str) + Copy + Send + Sync + 'static,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let words = locale::class();
    let current = settings.with_untracked(|s| s.checkpoints.clone());
    let comment_due: NodeRef<html::Input> = NodeRef::new();
    let replies_required: NodeRef<html::Input> = NodeRef::new();
    let replies_due: NodeRef<html::Input> = NodeRef::new();
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    request_animation_frame(move || {
        if let Some(input) = comment_due.get_untracked() {
            let _ = input.focus();
        }
    });
    let value_of = |field: NodeRef<html::Input>| {
        field
            .get_untracked()
            .map(|input| input.value())
            .unwrap_or_default()
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let count = value_of(replies_required).trim().to_owned();
        let goals = Checkpoints {
            comment_due: utc_of_local(&value_of(comment_due)),
            replies_required: if count.is_empty() {
                0
            } else {
                count.parse().unwrap_or(u32::MAX)
            },
            replies_due: utc_of_local(&value_of(replies_due)),
        };
        if let Err(problem) = goals.check() {
            let (text, field) = match problem {
                CheckpointProblem::CommentDueMissing => {
                    (words.comment_due_missing.to_owned(), comment_due)
                }
                CheckpointProblem::RepliesDueMissing => {
                    (words.replies_due_missing.to_owned(), replies_due)
                }
                CheckpointProblem::TooManyReplies => (
                    fill(
                        words.too_many_replies,
                        &[("limit", &MAX_REPLIES_REQUIRED.to_string())],
                    ),
                    replies_required,
                ),
                CheckpointProblem::RepliesDueFirst => {
                    (words.replies_due_first.to_owned(), replies_due)
                }
            };
            error.set(Some(text));
            if let Some(input) = field.get_untracked() {
                let _ = input.focus();
            }
            return;
        }
        let mut next = settings.get_untracked();
        next.checkpoints = Some(goals);
        save(next, words.checkpoints_saved);
        on_close();
    };
    let remove = move |_| {
        let mut next = settings.get_untracked();
        next.checkpoints = None;
        save(next, words.checkpoints_removed);
        on_close();
    };
    let local_value = |due: Option<&str>| due.map(local_of_utc).unwrap_or_default();
    let replies_value = current
        .as_ref()
        .map_or_else(String::new, |c| c.replies_required.to_string());
    view! {
        <form
            class="checkpoints-form"
            aria-label=words.set_checkpoints
            novalidate=true
            on:submit=on_submit
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    on_close();
                }
            }
        >
            <div class="field">
                <label for="checkpoint-comment-due">{words.comment_due_label}</label>
                <input
                    id="checkpoint-comment-due"
                    type="datetime-local"
                    node_ref=comment_due
                    aria-describedby="checkpoints-error"
                    value=local_value(current.as_ref().map(|c| c.comment_due.as_str()))
                />
            </div>
            <div class="field">
                <label for="checkpoint-replies-required">{words.replies_required_label}</label>
                <input
                    id="checkpoint-replies-required"
                    type="number"
                    min="0"
                    max=MAX_REPLIES_REQUIRED.to_string()
                    inputmode="numeric"
                    node_ref=replies_required
                    aria-describedby="checkpoints-error"
                    value=replies_value
                />
            </div>
            <div class="field">
                <label for="checkpoint-replies-due">{words.replies_due_label}</label>
                <input
                    id="checkpoint-replies-due"
                    type="datetime-local"
                    node_ref=replies_due
                    aria-describedby="checkpoints-error"
                    value=local_value(current.as_ref().map(|c| c.replies_due.as_str()))
                />
            </div>
            <p id="checkpoints-error" class="sign-in-error" role="alert">
                {move || error.get()}
            </p>
            <div class="composer-actions">
                <button type="submit">{words.save_checkpoints}</button>
                {current.is_some().then(|| view! {
                    <button type="button" class="secondary" on:click=remove>
                        {words.remove_checkpoints}
                    </button>
                })}
                <button type="button" class="secondary" on:click=move |_| on_close()>
                    {locale::thread().cancel}
                </button>
            </div>
        </form>
    }
}

/// A `datetime-local` value ("2026-12-05T23:59", the reader's own zone) as RFC 3339 UTC;
/// empty when there is none.
fn utc_of_local(value: &str) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    // ECMAScript reads a date and time with no offset as local time.
    let instant = js_sys::Date::new(&JsValue::from_str(value));
    if instant.get_time().is_nan() {
        return String::new();
    }
    instant.to_iso_string().into()
}

/// An RFC 3339 time as a `datetime-local` value in the reader's zone.
fn local_of_utc(rfc3339: &str) -> String {
    let instant = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if instant.get_time().is_nan() {
        return String::new();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        instant.get_full_year(),
        instant.get_month() + 1,
        instant.get_date(),
        instant.get_hours(),
        instant.get_minutes()
    )
}
