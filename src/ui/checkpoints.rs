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
                {move || open.get().then(|| checkpoints_form(settings, save, close))}
            }
        })
    };
    view! {
        {goals(settings)}
        {staff_controls}
    }
}

/// Where a student stands on one checkpoint: "1 of 2 replies", and "Met", or "Missed (1 after
/// the date)" once its date has passed; with the list item's class.
struct Standing {
    done: String,
    status: String,
    class: &'static str,
}

impl Standing {
    /// Late ones are said where they are why the checkpoint is not met.
    fn new(done: String, met: bool, due: &str, late: usize, now_ms: f64) -> Self {
        let words = locale::class();
        let past = timestamp::parse_millis(due).is_some_and(|due| (due as f64) < now_ms);
        let (status, class) = if met {
            (words.checkpoint_met.to_owned(), "checkpoint is-met")
        } else if past {
            (words.checkpoint_missed.to_owned(), "checkpoint is-missed")
        } else {
            (String::new(), "checkpoint")
        };
        let status = if !met && late > 0 {
            let late = fill(words.checkpoint_late, &[("n", &late.to_string())]);
            format!("{status} ({late})").trim_start().to_owned()
        } else {
            status
        };
        Standing {
            done,
            status,
            class,
        }
    }
}

/// One checkpoint of the list: its goal, and the student's standing on it (empty spans, hidden
/// by the stylesheet, for staff).
fn goal_item(goal: String, standing: Option<Standing>) -> impl IntoView {
    let Standing {
        done,
        status,
        class,
    } = standing.unwrap_or(Standing {
        done: String::new(),
        status: String::new(),
        class: "checkpoint",
    });
    view! {
        <li class=class>
            <span class="checkpoint-goal">{goal}</span>
            <span class="checkpoint-progress">{done}</span>
            <span class="checkpoint-status">{status}</span>
        </li>
    }
}

/// "Checkpoints": one comment by a date and N replies by another, with the signed-in
/// student's standing on each.
fn goals(settings: Memo<Moderation>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    // A student's own: staff are not graded, and a reader not signed in has no comments yet.
    let student = move || {
        ctx.account.with(|a| {
            a.as_ref()
                .filter(|a| a.role.is_none())
                .map(|a| a.name.clone())
        })
    };
    // Drawn again as the thread changes: two lines, and the count is one pass over it.
    move || {
        let goals = settings.with(|s| s.checkpoints.clone())?;
        let progress = student().map(|me| {
            ctx.data.with(|d| {
                checkpoint::progress(&d.comments, &goals, |c| {
                    c.account.as_deref() == Some(me.as_str())
                })
            })
        });
        let now = ctx.now_ms.get();
        let comment = goal_item(
            fill(
                words.checkpoint_comment,
                &[("due", &format::timestamp(&goals.comment_due))],
            ),
            progress.as_ref().map(|p| {
                let done = p.comments_on_time.min(1).to_string();
                Standing::new(
                    fill(words.progress_comment, &[("done", &done)]),
                    p.comment_met(),
                    &goals.comment_due,
                    p.comments - p.comments_on_time,
                    now,
                )
            }),
        );
        let required = goals.replies_required as usize;
        let replies = (required > 0).then(|| {
            goal_item(
                fill(
                    &locale::count(&words.checkpoint_replies, required),
                    &[("due", &format::timestamp(&goals.replies_due))],
                ),
                progress.as_ref().map(|p| {
                    let done = p.replies_on_time.min(required).to_string();
                    Standing::new(
                        fill(
                            &locale::count(&words.progress_replies, required),
                            &[("done", &done)],
                        ),
                        p.replies_met(&goals),
                        &goals.replies_due,
                        p.replies - p.replies_on_time,
                        now,
                    )
                }),
            )
        });
        Some(view! {
            <section class="checkpoints" aria-label=words.checkpoints>
                <h3 class="checkpoints-title">{words.checkpoints}</h3>
                <ul>{comment}{replies}</ul>
            </section>
        })
    }
}

/// The staff's form: the first comment's due time, how many replies to classmates and their
/// due time; Save, Remove (when set) and Cancel. Escape closes it.
fn checkpoints_form(
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
    let comment_value = local_value(current.as_ref().map(|c| c.comment_due.as_str()));
    let replies_due_value = local_value(current.as_ref().map(|c| c.replies_due.as_str()));
    let replies_value = current
        .as_ref()
        .map_or_else(String::new, |c| c.replies_required.to_string());
    view! {
        <form
            class="checkpoints-form"
            aria-label=words.set_checkpoints
            novalidate=true
            on:submit=on_submit
            on:keydown=crate::ui::escape_closes(on_close)
        >
            {field("checkpoint-comment-due", words.comment_due_label, comment_due, comment_value)}
            {field("checkpoint-replies-required", words.replies_required_label, replies_required, replies_value)}
            {field("checkpoint-replies-due", words.replies_due_label, replies_due, replies_due_value)}
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

/// One labelled field of the form: a count for `checkpoint-replies-required`, else a date and
/// time in the reader's zone.
fn field(
    id: &'static str,
    label: &'static str,
    input: NodeRef<html::Input>,
    value: String,
) -> impl IntoView {
    let count = id == "checkpoint-replies-required";
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=if count { "number" } else { "datetime-local" }
                min=count.then_some("0")
                max=count.then(|| MAX_REPLIES_REQUIRED.to_string())
                inputmode=count.then_some("numeric")
                node_ref=input
                aria-describedby="checkpoints-error"
                value=value
            />
        </div>
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
