//! Reports (a store with accounts): a signed-in reader reports someone else's comment with a
//! reason, and the staff review the open reports above the thread, hiding the comment or
//! dismissing them. Linked through `ClassTools` by the shared stores' thread module only.

use crate::i18n::fill;
use crate::i18n::messages;
use crate::model::report::{self, Report, ReportProblem, ReportReason, MAX_DETAILS_CHARS};
use crate::model::thread::fragment;
use crate::model::{Moderation, ThreadNode};
use crate::store::Change;
use crate::ui::thread_state::ThreadContext;
use crate::web::{identity, locale};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The words of a reason.
fn reason_label(reason: ReportReason) -> &'static str {
    let words = locale::class();
    match reason {
        ReportReason::Inappropriate => words.reason_inappropriate,
        ReportReason::Offensive => words.reason_offensive,
        ReportReason::Other => words.reason_other,
    }
}

/// "Report" on a comment someone else wrote, for a signed-in reader; "Reported" once their
/// report waits for review. The form opens in place.
pub fn report_action(node: RwSignal<Option<ThreadNode>>) -> AnyView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let Some((id, writer)) = node.with_untracked(|n| {
        n.as_ref()
            .map(|n| (n.comment.id.clone(), n.comment.account.clone()))
    }) else {
        return ().into_any();
    };
    let open = RwSignal::new(false);
    let report_button: NodeRef<html::Button> = NodeRef::new();
    let me = move || ctx.account.with(|a| a.as_ref().map(|a| a.name.clone()));
    let reported = {
        let id = id.clone();
        Memo::new(move |_| {
            let Some(me) = me() else { return false };
            ctx.data.with(|data| {
                data.reports
                    .iter()
                    .any(|r| r.comment_id == id && r.account == me && !r.reviewed)
            })
        })
    };
    let close = move || {
        open.set(false);
        request_animation_frame(move || {
            if let Some(button) = report_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    (move || {
        let me = me()?;
        if writer.as_deref() == Some(me.as_str()) {
            return None;
        }
        let id = id.clone();
        Some(view! {
            <button
                type="button"
                class="report"
                node_ref=report_button
                aria-expanded=move || open.get().to_string()
                disabled=move || reported.get()
                on:click=move |_| open.set(true)
            >
                {move || if reported.get() { words.reported } else { words.report }}
            </button>
            <Show when=move || open.get()>
                <ReportForm node comment_id=id.clone() account=me.clone() on_close=close />
            </Show>
        })
    })
    .into_any()
}

#[component]
fn ReportForm(
    node: RwSignal<Option<ThreadNode>>,
    comment_id: String,
    account: String,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let reason = RwSignal::new(ReportReason::Inappropriate);
    let details: NodeRef<html::Textarea> = NodeRef::new();
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let first_reason: NodeRef<html::Input> = NodeRef::new();
    request_animation_frame(move || {
        if let Some(input) = first_reason.get_untracked() {
            let _ = input.focus();
        }
    });
    let number = move || {
        node.with(|n| n.as_ref().map(|n| n.number.clone()))
            .unwrap_or_default()
    };
    let details_id = format!("report-details-{comment_id}");
    let error_id = format!("report-error-{comment_id}");
    let group = format!("report-reason-{comment_id}");
    let on_submit = {
        let comment_id = comment_id.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            let Some(field) = details.get_untracked() else {
                return;
            };
            let text = field.value().trim().to_owned();
            let chosen = reason.get_untracked();
            if let Err(problem) = report::check(chosen, &text) {
                error.set(Some(match problem {
                    ReportProblem::DetailsMissing => words.report_details_missing.to_owned(),
                    ReportProblem::DetailsTooLong => fill(
                        words.report_details_too_long,
                        &[("limit", &MAX_DETAILS_CHARS.to_string())],
                    ),
                }));
                let _ = field.focus();
                return;
            }
            let report = Report {
                comment_id: comment_id.clone(),
                account: account.clone(),
                reason: chosen.name().to_owned(),
                details: text,
                reviewed: false,
                updated_at: identity::now_iso(),
            };
            spawn_local(async move {
                match ctx.write(Change::Report(report)).await {
                    Ok(()) => {
                        ctx.announcement.set(words.report_sent.to_owned());
                        on_close();
                    }
                    // What was typed stays in the form.
                    Err(failure) => {
                        error.set(Some(messages::store_error(locale::thread(), &failure)))
                    }
                }
            });
        }
    };
    let choices = ReportReason::ALL
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            let input_ref = if i == 0 { first_reason } else { NodeRef::new() };
            view! {
                <label class="report-reason">
                    <input
                        type="radio"
                        name=group.clone()
                        value=choice.name()
                        node_ref=input_ref
                        checked=move || reason.get() == choice
                        on:change=move |_| reason.set(choice)
                    />
                    {reason_label(choice)}
                </label>
            }
        })
        .collect_view();
    view! {
        <form
            class="report-form"
            aria-label=move || fill(words.report_form_label, &[("number", &number())])
            novalidate=true
            on:submit=on_submit
            on:keydown=crate::ui::escape_closes(on_close)
        >
            <fieldset>
                <legend>{words.report_reason_legend}</legend>
                {choices}
            </fieldset>
            <div class="field">
                <label for=details_id.clone()>{words.report_details}</label>
                <textarea
                    id=details_id
                    node_ref=details
                    rows="2"
                    aria-describedby=error_id.clone()
                ></textarea>
            </div>
            <p id=error_id class="sign-in-error" role="alert">{move || error.get()}</p>
            <div class="composer-actions">
                <button type="submit">{words.send_report}</button>
                <button type="button" class="secondary" on:click=move |_| on_close()>
                    {locale::thread().cancel}
                </button>
            </div>
        </form>
    }
}

/// For staff: "Reports" with the number still to review, and the list of reported comments,
/// each with Hide and Dismiss.
pub fn review() -> AnyView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let open = RwSignal::new(false);
    // The open reports, by comment, in thread order of the comments' ids as kept.
    let by_comment = Memo::new(move |_| {
        ctx.data.with(|data| {
            let mut groups: Vec<(String, Vec<Report>)> = Vec::new();
            for report in report::open_reports(&data.reports) {
                match groups.last_mut() {
                    Some((id, list)) if *id == report.comment_id => list.push(report.clone()),
                    _ => groups.push((report.comment_id.clone(), vec![report.clone()])),
                }
            }
            groups
        })
    });
    let count =
        move || by_comment.with(|groups| groups.iter().map(|(_, l)| l.len()).sum::<usize>());
    let list = move || {
        let groups = by_comment.get();
        if groups.is_empty() {
            return view! { <p class="reports-empty">{words.no_reports}</p> }.into_any();
        }
        view! {
            <ul class="reports-list">
                {groups
                    .into_iter()
                    .map(|(comment_id, reports)| view! { <ReportedComment comment_id reports /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    (move || {
        ctx.is_staff().then(|| {
            view! {
                <button
                    type="button"
                    class="reports-toggle secondary"
                    aria-expanded=move || open.get().to_string()
                    aria-controls="reports-review"
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {words.reports}
                    " "
                    <span class="report-count">{count}</span>
                </button>
                <section
                    id="reports-review"
                    class="reports-review"
                    aria-label=words.reports
                    hidden=move || !open.get()
                >
                    {list}
                </section>
            }
        })
    })
    .into_any()
}

#[component]
fn ReportedComment(comment_id: String, reports: Vec<Report>) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let (number, author, excerpt) = ctx.data.with_untracked(|data| {
        let comment = data.comments.iter().find(|c| c.id == comment_id);
        let number = ctx
            .view
            .with_untracked(|v| v.number_of(&comment_id).map(str::to_owned))
            .unwrap_or_default();
        (
            number,
            comment.map(|c| c.author.clone()).unwrap_or_default(),
            comment.map(|c| excerpt(&c.body)).unwrap_or_default(),
        )
    });
    let each = reports
        .iter()
        .map(|r| {
            let reason = r.reason().map(reason_label).unwrap_or_default();
            let said = fill(
                words.reported_by,
                &[("reason", reason), ("name", &r.account)],
            );
            let details = (!r.details.is_empty()).then(|| {
                view! { ": " <q dir="auto">{r.details.clone()}</q> }
            });
            view! { <li>{said}{details}</li> }
        })
        .collect_view();
    let review = move |hide: bool| {
        let reports = reports.clone();
        let comment_id = comment_id.clone();
        move |_| {
            let (Some(account), now) = (ctx.account.get_untracked(), identity::now_iso()) else {
                return;
            };
            let Some(role) = account.role else { return };
            let reports = reports.clone();
            let comment_id = comment_id.clone();
            spawn_local(async move {
                if hide {
                    let mut decision = ctx
                        .view
                        .with_untracked(|v| v.node(&comment_id).and_then(|n| n.moderation.clone()))
                        .unwrap_or_else(Moderation::default);
                    decision.comment_id = Some(comment_id.clone());
                    decision.hidden = true;
                    decision.account = account.name.clone();
                    decision.account_role = role.name().to_owned();
                    decision.updated_at = now.clone();
                    if let Err(error) = ctx.write(Change::Moderation(decision)).await {
                        ctx.announcement
                            .set(messages::store_error(locale::thread(), &error));
                        return;
                    }
                }
                for mut report in reports {
                    report.reviewed = true;
                    report.updated_at = now.clone();
                    if let Err(error) = ctx.write(Change::Report(report)).await {
                        ctx.announcement
                            .set(messages::store_error(locale::thread(), &error));
                        return;
                    }
                }
                ctx.announcement.set(
                    if hide {
                        words.report_hidden
                    } else {
                        words.report_dismissed
                    }
                    .to_owned(),
                );
            });
        }
    };
    view! {
        <li class="report-item">
            <p>
                <a href=fragment(&number)>
                    {fill(words.report_comment_link, &[("number", &number), ("author", &author)])}
                </a>
                " "
                <q dir="auto">{excerpt}</q>
            </p>
            <ul>{each}</ul>
            <div class="composer-actions">
                <button type="button" on:click=review(true)>{words.hide}</button>
                <button type="button" class="secondary" on:click=review(false)>
                    {words.dismiss}
                </button>
            </div>
        </li>
    }
}

/// The start of a comment's text, for the review list.
fn excerpt(body: &str) -> String {
    const EXCERPT_CHARS: usize = 80;
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}
