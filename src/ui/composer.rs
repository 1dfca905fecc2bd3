//! The comment composer, for a new comment, a reply or an edit: name and comment fields,
//! Markdown preview, character counter, @-mention suggestions, a draft kept as you type,
//! Ctrl/Cmd+Enter to post, and messages that say what to fix.

use crate::content::markdown::{Document, Profile};
use crate::content::protocol::{Reply, Request};
use crate::i18n::{fill, messages};
use crate::model::compose::{text_left_after_posting, validate, ComposeError, MAX_BODY_CHARS};
use crate::model::mention::{suggest, Suggestions};
use crate::model::Comment;
use crate::store::{Change, StoreError};
use crate::ui::markdown::nodes_view;
use crate::ui::thread_state::{show_comment, ThreadContext};
use crate::web::{content_worker, format, identity, locale};
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Clone, Debug, PartialEq)]
pub enum ComposerMode {
    New,
    Reply {
        parent_id: String,
        parent_author: String,
    },
    Edit {
        comment: Box<Comment>,
    },
}

impl ComposerMode {
    fn draft_target(&self) -> String {
        match self {
            ComposerMode::New => "new".to_owned(),
            ComposerMode::Reply { parent_id, .. } => format!("reply:{parent_id}"),
            ComposerMode::Edit { comment } => format!("edit:{}", comment.id),
        }
    }

    fn label(&self) -> String {
        let words = locale::thread();
        match self {
            ComposerMode::New => words.write_comment.to_owned(),
            ComposerMode::Reply { parent_author, .. } => {
                fill(words.reply_to, &[("author", parent_author)])
            }
            ComposerMode::Edit { .. } => words.edit_your_comment.to_owned(),
        }
    }
}

/// What stands between the composer and a saved comment.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    Invalid(ComposeError),
    NotSaved(StoreError),
}

impl Problem {
    fn message(&self) -> String {
        let words = locale::thread();
        match self {
            Problem::Invalid(error) => messages::compose_error(words, error, format::number),
            Problem::NotSaved(error) => messages::store_error(words, error),
        }
    }

    fn is_about_name(&self) -> bool {
        matches!(
            self,
            Problem::Invalid(ComposeError::NameMissing | ComposeError::NameTooLong { .. })
        )
    }

    fn is_about_body(&self) -> bool {
        matches!(
            self,
            Problem::Invalid(ComposeError::BodyEmpty | ComposeError::BodyTooLong { .. })
        )
    }
}

static NEXT_COMPOSER: AtomicUsize = AtomicUsize::new(0);

/// Converts the textarea's cursor (UTF-16 units) to a char index into `text`.
fn char_index(text: &str, utf16_offset: u32) -> usize {
    let mut units = 0;
    for (index, c) in text.chars().enumerate() {
        if units >= utf16_offset as usize {
            return index;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

#[component]
pub fn Composer(mode: ComposerMode) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let uid = NEXT_COMPOSER.fetch_add(1, Ordering::Relaxed);
    let ids = (
        format!("composer-{uid}-name"),
        format!("composer-{uid}-body"),
        format!("composer-{uid}-errors"),
        format!("composer-{uid}-mentions"),
    );
    let draft_key = identity::draft_key(&ctx.post_id.get_value(), &mode.draft_target());
    let initial_body = match (&mode, identity::load_draft(&draft_key)) {
        (_, draft) if !draft.is_empty() => draft,
        (ComposerMode::Edit { comment }, _) => comment.body.clone(),
        _ => String::new(),
    };
    let name = RwSignal::new(identity::name_to_offer());
    let body = RwSignal::new(initial_body);
    let errors: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let previewing = RwSignal::new(false);
    let preview: RwSignal<Option<Document>> = RwSignal::new(None);
    let suggestions: RwSignal<Option<Suggestions>> = RwSignal::new(None);
    let active = RwSignal::new(0usize);
    let textarea: NodeRef<html::Textarea> = NodeRef::new();
    let name_input: NodeRef<html::Input> = NodeRef::new();
    let is_edit = matches!(mode, ComposerMode::Edit { .. });
    let is_new = matches!(mode, ComposerMode::New);
    // A reply by someone whose name the composer knows does not ask for it again.
    let asks_name =
        RwSignal::new(!is_edit && (is_new || name.with_untracked(|n| n.trim().is_empty())));

    let chars = Memo::new(move |_| body.with(|b| b.chars().count()));
    let names = Memo::new(move |_| {
        ctx.view.with(|v| {
            let mut names: Vec<String> = v.mention_targets().into_keys().collect();
            crate::model::order::sort(&mut names);
            names
        })
    });

    // The preview is rendered by the content worker, like every comment.
    Effect::new(move |_| {
        if !previewing.get() {
            return;
        }
        let text = body.get();
        spawn_local(async move {
            if let Ok(Reply::Texts(mut documents)) = content_worker::ask(Request::Texts {
                texts: vec![text],
                profile: Profile::Comment,
            })
            .await
            {
                preview.set(documents.pop());
            }
        });
    });

    let update_suggestions = move || {
        let Some(area) = textarea.get_untracked() else {
            return;
        };
        let cursor = area.selection_start().ok().flatten().unwrap_or(0);
        let text = body.get_untracked();
        let found = names.with_untracked(|names| suggest(&text, char_index(&text, cursor), names));
        active.set(0);
        suggestions.set(found.filter(|s| !s.names.is_empty()));
    };

    let choose = move |name: String| {
        let Some(found) = suggestions.get_untracked() else {
            return;
        };
        let text = body.get_untracked();
        let before: String = text.chars().take(found.replace.start).collect();
        let after: String = text.chars().skip(found.replace.end).collect();
        let inserted = format!("{before}@{name} ");
        let cursor = utf16_len(&inserted);
        body.set(format!("{inserted}{after}"));
        suggestions.set(None);
        request_animation_frame(move || {
            if let Some(area) = textarea.get_untracked() {
                let _ = area.focus();
                let _ = area.set_selection_range(cursor, cursor);
            }
        });
    };

    if !is_new {
        // Opened by Reply or Edit: what the reader types next goes into the field.
        request_animation_frame(move || {
            if let Some(area) = textarea.get_untracked() {
                let _ = area.focus();
            }
        });
    }

    let close = {
        let mode = mode.clone();
        move || match mode {
            ComposerMode::Reply { .. } => ctx.replying_to.set(None),
            ComposerMode::Edit { .. } => ctx.editing.set(None),
            ComposerMode::New => {}
        }
    };

    let submit = {
        let mode = mode.clone();
        let draft_key = draft_key.clone();
        let close = close.clone();
        move || {
            if busy.get_untracked() {
                return;
            }
            let signed_in = ctx.account.get_untracked();
            let author = match (&mode, &signed_in) {
                (ComposerMode::Edit { comment }, _) => comment.author.clone(),
                (_, Some(account)) => account.name.clone(),
                _ => name.get_untracked(),
            };
            let valid = match validate(&author, &body.get_untracked()) {
                Ok(valid) => valid,
                Err(problems) => {
                    let problems: Vec<Problem> =
                        problems.into_iter().map(Problem::Invalid).collect();
                    // Focus goes to the first field to fix, with its message.
                    if problems.iter().any(Problem::is_about_name) {
                        asks_name.set(true);
                        request_animation_frame(move || {
                            if let Some(input) = name_input.get_untracked() {
                                let _ = input.focus();
                            }
                        });
                    } else if let Some(area) = textarea.get_untracked() {
                        previewing.set(false);
                        let _ = area.focus();
                    }
                    errors.set(problems);
                    return;
                }
            };
            if let ComposerMode::Edit { comment } = &mode {
                if valid.body == comment.body {
                    // Nothing changed: nothing to save, and no "(edited)" mark.
                    identity::save_draft(&draft_key, "");
                    close();
                    return;
                }
            }
            let now = identity::now_iso();
            let comment = match &mode {
                ComposerMode::Edit { comment } => Comment {
                    body: valid.body,
                    updated_at: now,
                    ..Comment::clone(comment)
                },
                ComposerMode::New | ComposerMode::Reply { .. } => Comment {
                    id: identity::random_id(),
                    post_id: ctx.post_id.get_value(),
                    parent_id: match &mode {
                        ComposerMode::Reply { parent_id, .. } => Some(parent_id.clone()),
                        _ => None,
                    },
                    author: valid.name.clone(),
                    author_key: Some(ctx.me.get_value()),
                    body: valid.body,
                    created_at: now.clone(),
                    updated_at: now,
                    deleted: false,
                    // Only the thread's own composer quotes a passage; replies do not.
                    target: if is_new {
                        ctx.passage.get_untracked().map(Box::new)
                    } else {
                        None
                    },
                    account: signed_in.as_ref().map(|account| account.name.clone()),
                    account_role: signed_in
                        .as_ref()
                        .and_then(|account| account.role)
                        .map(|role| role.name().to_owned()),
                },
            };
            let id = comment.id.clone();
            let sent = body.get_untracked();
            let form = textarea
                .get_untracked()
                .and_then(|area| area.closest("form").ok().flatten());
            let draft_key = draft_key.clone();
            let close = close.clone();
            busy.set(true);
            ctx.announcement
                .set(crate::web::locale::thread().saving.to_owned());
            spawn_local(async move {
                match ctx.write(Change::Comment(comment)).await {
                    Ok(()) => {
                        if !is_edit && signed_in.is_none() {
                            identity::remember_name(&valid.name);
                            identity::save_name_draft("");
                        }
                        // The field stays editable while the comment is on its way: what was
                        // typed meanwhile stays in it and its draft, and keeps the form open.
                        let now = body.get_untracked();
                        let left = if is_edit {
                            if now == sent {
                                String::new()
                            } else {
                                now
                            }
                        } else {
                            text_left_after_posting(&sent, &now)
                        };
                        let reader_moved_on = !left.is_empty() || !focus_still_in(form.as_ref());
                        identity::save_draft(&draft_key, &left);
                        body.set(left.clone());
                        if is_new {
                            ctx.passage.set(None);
                        }
                        errors.set(Vec::new());
                        previewing.set(false);
                        ctx.announcement.set(if is_edit {
                            words.saved_announcement.into()
                        } else {
                            words.posted_announcement.into()
                        });
                        if left.is_empty() {
                            close();
                        }
                        // Focus goes to the comment only if it would take it from no one.
                        if !reader_moved_on {
                            request_animation_frame(move || show_comment(ctx, &id));
                        }
                    }
                    // The text stays in the field and in its draft: nothing is lost.
                    Err(error) => errors.set(vec![Problem::NotSaved(error)]),
                }
                busy.set(false);
            });
        }
    };

    let on_submit = {
        let submit = submit.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            submit();
        }
    };

    let on_keydown = {
        let submit = submit.clone();
        move |event: KeyboardEvent| {
            let open = suggestions.with_untracked(|s| s.as_ref().map(|s| s.names.len()));
            if let Some(count) = open {
                match event.key().as_str() {
                    "ArrowDown" => {
                        event.prevent_default();
                        active.update(|a| *a = (*a + 1) % count);
                        return;
                    }
                    "ArrowUp" => {
                        event.prevent_default();
                        active.update(|a| *a = (*a + count - 1) % count);
                        return;
                    }
                    "Enter" | "Tab" if !event.ctrl_key() && !event.meta_key() => {
                        event.prevent_default();
                        let chosen = suggestions.with_untracked(|s| {
                            s.as_ref()
                                .and_then(|s| s.names.get(active.get_untracked()).cloned())
                        });
                        if let Some(name) = chosen {
                            choose(name);
                        }
                        return;
                    }
                    "Escape" => {
                        event.prevent_default();
                        suggestions.set(None);
                        return;
                    }
                    _ => {}
                }
            }
            if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
                event.prevent_default();
                submit();
            }
        }
    };

    let on_input = {
        let draft_key = draft_key.clone();
        move |event: leptos::ev::Event| {
            let text = event_target_value(&event);
            identity::save_draft(&draft_key, &text);
            body.set(text);
            update_suggestions();
        }
    };

    let (name_id, body_id, errors_id, mentions_id) = ids;
    let name_errors_id = errors_id.clone();
    let invalid_name = move || {
        errors
            .with(|e| e.iter().any(Problem::is_about_name))
            .to_string()
    };
    let invalid_body = move || {
        errors
            .with(|e| e.iter().any(Problem::is_about_body))
            .to_string()
    };
    let over_limit = move || chars.get() > MAX_BODY_CHARS;
    let counter = move || {
        format!(
            "{} / {}",
            format::number(chars.get()),
            format::number(MAX_BODY_CHARS)
        )
    };
    let option_id = {
        let mentions_id = mentions_id.clone();
        move |index: usize| format!("{mentions_id}-{index}")
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || suggestions.with(|s| s.as_ref().map(|_| option_id(active.get())))
    };
    let mention_list = {
        let mentions_id = mentions_id.clone();
        move || {
            let option_id = option_id.clone();
            suggestions.get().map(|found| {
                view! {
                    <ul class="mention-suggestions" role="listbox" id=mentions_id.clone() aria-label=words.mention_list_label>
                        {found
                            .names
                            .into_iter()
                            .enumerate()
                            .map(|(index, name)| {
                                let chosen = name.clone();
                                view! {
                                    <li
                                        role="option"
                                        id=option_id(index)
                                        aria-selected=move || (active.get() == index).to_string()
                                        on:mousedown=move |event| {
                                            event.prevent_default();
                                            choose(chosen.clone());
                                        }
                                        dir="auto"
                                    >
                                        {name}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
        }
    };
    let cancel = (!is_new).then(|| {
        let close = close.clone();
        view! { <button type="button" class="secondary" on:click=move |_| close()>{words.cancel}</button> }
    });
    let label = mode.label();
    // A reply says whom it answers, and as whom, with a way to change the name.
    let reply_context = match &mode {
        ComposerMode::Reply { parent_author, .. } => {
            let parent_author = parent_author.clone();
            Some(view! {
                <p class="composer-context">
                    {move || {
                        match ctx.account.get() {
                            Some(account) => fill(
                                words.replying_as,
                                &[("author", &parent_author), ("name", &account.name)],
                            ),
                            None if asks_name.get() => {
                                fill(words.reply_to, &[("author", &parent_author)])
                            }
                            None => fill(
                                words.replying_as,
                                &[("author", &parent_author), ("name", &name.get())],
                            ),
                        }
                    }}
                    {move || (!asks_name.get() && ctx.account.with(Option::is_none)).then(|| view! {
                        " "
                        <button
                            type="button"
                            class="link-button"
                            on:click=move |_| {
                                asks_name.set(true);
                                request_animation_frame(move || {
                                    if let Some(input) = name_input.get_untracked() {
                                        let _ = input.focus();
                                    }
                                });
                            }
                        >
                            {words.change_name}
                        </button>
                    })}
                </p>
            })
        }
        _ => None,
    };

    view! {
        <form
            class="composer"
            aria-label=label
            // A locked discussion takes no new comments (its notice says so); what the reader
            // typed stays here until it opens again.
            hidden=move || is_new && ctx.is_locked_to_me()
            novalidate=true
            on:submit=on_submit
            on:focusin=move |_| crate::web::content_worker::warm_up()
        >
            {move || {
                is_new
                    .then(|| ctx.passage.get())
                    .flatten()
                    .map(|passage| {
                        view! {
                            <figure class="composer-passage">
                                <figcaption>{words.commenting_on_passage}</figcaption>
                                <blockquote dir="auto">{passage.exact}</blockquote>
                                <button
                                    type="button"
                                    class="passage-remove"
                                    on:click=move |_| ctx.passage.set(None)
                                >
                                    {words.remove_quotation}
                                </button>
                            </figure>
                        }
                    })
            }}
            {reply_context}
            {move || {
                is_new
                    .then(|| ctx.account.get())
                    .flatten()
                    .map(|account| view! {
                        <p class="composer-context">
                            {fill(words.commenting_as, &[("name", &account.name)])}
                        </p>
                    })
            }}
            {move || (asks_name.get() && ctx.account.with(Option::is_none)).then(|| view! {
                <div class="field">
                    <label for=name_id.clone()>{words.name_label}</label>
                    <input
                        id=name_id.clone()
                        node_ref=name_input
                        type="text"
                        autocomplete="name"
                        dir="auto"
                        aria-invalid=invalid_name
                        aria-describedby=name_errors_id.clone()
                        prop:value=move || name.get()
                        on:input=move |event| {
                            let typed = event_target_value(&event);
                            identity::save_name_draft(&typed);
                            name.set(typed);
                        }
                    />
                </div>
            })}
            <div class="field">
                <label for=body_id.clone()>{words.comment_label_field}</label>
                <textarea
                    id=body_id.clone()
                    node_ref=textarea
                    rows="4"
                    dir="auto"
                    hidden=move || previewing.get()
                    aria-invalid=invalid_body
                    aria-describedby=format!("{errors_id} {body_id}-hint")
                    aria-autocomplete="list"
                    aria-controls={
                        let mentions_id = mentions_id.clone();
                        move || suggestions.with(Option::is_some).then(|| mentions_id.clone())
                    }
                    aria-activedescendant=active_descendant
                    prop:value=move || body.get()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:click=move |_| update_suggestions()
                    on:blur=move |_| suggestions.set(None)
                ></textarea>
                {mention_list}
                <Show when=move || previewing.get()>
                    <div class="composer-preview comment-body" dir="auto" aria-label=words.preview>
                        {move || match preview.get() {
                            Some(document) if !document.blocks.is_empty() => nodes_view(&document.blocks),
                            Some(_) => view! { <p class="muted">{words.nothing_to_preview}</p> }.into_any(),
                            None => view! { <p class="muted">{words.rendering_preview}</p> }.into_any(),
                        }}
                    </div>
                </Show>
                <p class="composer-hint" id=format!("{body_id}-hint")>
                    <span>{words.markdown_hint}</span>
                    <span class="char-count" class:over-limit=over_limit>{counter}</span>
                </p>
            </div>
            <div class="composer-errors" id=errors_id.clone() role="alert">
                {move || {
                    let messages = errors.get();
                    (!messages.is_empty()).then(|| view! {
                        <ul>{messages.iter().map(|m| view! { <li>{m.message()}</li> }).collect_view()}</ul>
                    })
                }}
            </div>
            <div class="composer-actions">
                // Posting or saving comes right after the text, in tab order as on screen.
                // The click posts by itself rather than through the form's submission, which
                // in Chromium walks the whole document first (about 20 ms beside 5,000
                // comments). Enter in the name field still submits the form.
                <button
                    type="submit"
                    class="primary"
                    disabled=move || busy.get()
                    on:click={
                        let submit = submit.clone();
                        move |event: leptos::ev::MouseEvent| {
                            event.prevent_default();
                            submit();
                        }
                    }
                >
                    {if is_edit { words.save_changes } else { words.post_comment }}
                </button>
                <button
                    type="button"
                    class="secondary"
                    aria-pressed=move || previewing.get().to_string()
                    on:click=move |_| previewing.update(|p| *p = !*p)
                >
                    {words.preview}
                </button>
                {cancel}
            </div>
        </form>
    }
}

/// Whether focus is still where posting started (in the composer's form, or on nothing), so
/// that moving it to the posted comment takes it from nothing else the reader turned to.
fn focus_still_in(form: Option<&web_sys::Element>) -> bool {
    let document = document();
    match document.active_element() {
        None => true,
        Some(active) => {
            document.body().is_some_and(|body| *body == active)
                || form.is_some_and(|form| form.contains(Some(&active)))
        }
    }
}
