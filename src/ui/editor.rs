//! The post editor (`?write`, `?edit=<slug>`): a draft kept in this browser as the author
//! types, its live preview (rendered by the content worker, debounced), its bibliography and
//! citation keys, and publishing to the site's shared store.

use crate::cite::protocol::{plain, BibliographyFile, FormatReply, BUNDLED_STYLES};
use crate::content::catalog::CatalogEntry;
use crate::content::front_matter::{FrontMatter, PostDate};
use crate::content::markdown::{citations, Profile};
use crate::content::protocol::{Reply, Request};
use crate::content::published::{
    key_being_typed, Draft, DraftProblem, MAX_AUTHOR_CHARS, MAX_BIBLIOGRAPHY_BYTES, MAX_BODY_BYTES,
    MAX_SUMMARY_CHARS, MAX_TITLE_CHARS,
};
use crate::content::Post;
use crate::i18n::fill;
use crate::ui::bibliography::{mount_citations, MountedCitations};
use crate::ui::post::PostArticle;
use crate::web::published;
use crate::web::{content_worker, drafts, fetch, identity, locale, location};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long typing must pause before the draft is saved.
const SAVE_AFTER: Duration = Duration::from_millis(400);
/// How many citation keys the list offers at once.
const MAX_OFFERED_KEYS: usize = 8;

/// The preview's pause after typing: longer for a longer post (its length in UTF-16 units, as
/// the textarea counts it), so typing in a long one is not interrupted by drawing it.
fn preview_after(body_len: usize) -> Duration {
    Duration::from_millis(300 + (body_len / 500).min(1500) as u64)
}

/// `?write` and `?write=<draft>`: a new draft, or one kept in this browser.
#[component]
pub fn WritePage(draft: Option<String>) -> impl IntoView {
    let words = locale::write();
    crate::ui::set_page_title(locale::page().write_a_post);
    let found = match &draft {
        Some(id) => drafts::load(id),
        None => Some(drafts::new_draft()),
    };
    match found {
        Some(draft) => view! { <Editor initial=draft /> }.into_any(),
        None => missing_draft(words.draft_missing.to_owned()).into_any(),
    }
}

/// `?edit=<slug>`: this browser's draft of a post it published, made from the post itself
/// when the browser no longer has one.
#[component]
pub fn EditPage(slug: String) -> impl IntoView {
    let words = locale::write();
    crate::ui::set_page_title(locale::page().write_a_post);
    let found = LocalResource::new(move || {
        let slug = slug.clone();
        async move {
            if let Some(draft) =
                drafts::for_published(&slug).and_then(|found| drafts::load(&found.id))
            {
                return Ok(draft);
            }
            let config = fetch::config().await?;
            match published::get(&config, &slug).await {
                Ok(Some(post)) if published::is_mine(&post) => {
                    Ok(post.to_draft(drafts::new_draft().id))
                }
                Ok(Some(_)) => Err(words.not_yours.to_owned()),
                Ok(None) => Err(locale::page().post_not_found.to_owned()),
                Err(error) => Err(error.to_string()),
            }
        }
    });
    move || match found.get() {
        None => view! { <p class="thread-status" role="status">{locale::page().loading_post}</p> }
            .into_any(),
        Some(Ok(draft)) => view! { <Editor initial=draft /> }.into_any(),
        Some(Err(problem)) => missing_draft(problem).into_any(),
    }
}

fn missing_draft(problem: String) -> impl IntoView {
    let words = locale::write();
    view! {
        <section class="editor" aria-labelledby="editor-heading">
            <h1 id="editor-heading">{locale::page().write_a_post}</h1>
            <p class="editor-problem" role="alert">{problem}</p>
            <p><a href=location::write_href(None)>{words.start_new}</a></p>
        </section>
    }
}

fn problem_text(problem: &DraftProblem) -> String {
    let words = locale::write();
    let max = |template: &str, n: usize| fill(template, &[("max", &n.to_string())]);
    match problem {
        DraftProblem::NoTitle => words.no_title.to_owned(),
        DraftProblem::TitleTooLong => max(words.title_too_long, MAX_TITLE_CHARS),
        DraftProblem::SummaryTooLong => max(words.summary_too_long, MAX_SUMMARY_CHARS),
        DraftProblem::NoBody => words.no_body.to_owned(),
        DraftProblem::BodyTooLong => max(words.body_too_long, MAX_BODY_BYTES / 1024),
        DraftProblem::NoAuthor => words.no_author.to_owned(),
        DraftProblem::AuthorTooLong => max(words.author_too_long, MAX_AUTHOR_CHARS),
        DraftProblem::BibliographyTooLong => {
            max(words.bibliography_too_long, MAX_BIBLIOGRAPHY_BYTES / 1024)
        }
    }
}

/// What the editor last told the author about their draft's way to the store.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Saved,
    NotSaved,
    Publishing,
    Published(String),
    Unpublished,
    Problems(Vec<String>),
}

/// A step the author is asked to confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Confirm {
    Unpublish,
    Delete,
}

/// The preview's state: nothing written yet, drawn, or the worker's failure.
#[derive(Clone, Debug, PartialEq)]
enum Preview {
    Empty,
    Drawn(Box<Post>),
    Failed(String),
}

/// What the bibliography holds, as the citation worker read it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Library {
    /// `(key, the entry as formatted)`, in the files' order.
    entries: Vec<(String, String)>,
    problems: Vec<String>,
}

impl Library {
    fn from_reply(reply: FormatReply) -> Library {
        Library {
            entries: reply
                .entries
                .into_iter()
                .map(|entry| (entry.key, plain(&entry.text)))
                .collect(),
            problems: reply.problems,
        }
    }
}

#[component]
fn Editor(initial: Draft) -> impl IntoView {
    let words = locale::write();
    let draft = RwSignal::new(initial.clone());
    let status = RwSignal::new(Status::Idle);
    let preview = RwSignal::new(Preview::Empty);
    let library = RwSignal::new(Library::default());
    let config = LocalResource::new(fetch::config);
    let body_ref: NodeRef<html::Textarea> = NodeRef::new();
    let bibliography_ref: NodeRef<html::Textarea> = NodeRef::new();

    // The post's text stays in its textarea while the author types, and is copied into the
    // draft only when it is saved, previewed or published: copying half a megabyte out of the
    // page on every keystroke is what a long post's typing would wait for.
    let body_typed = StoredValue::new(false);
    let take_body = move || {
        if !body_typed.get_value() {
            return;
        }
        body_typed.set_value(false);
        if let Some(area) = body_ref.get_untracked() {
            let value = area.value();
            draft.update_untracked(|d| d.body = value);
        }
    };
    let body_len = move || match body_ref.get_untracked() {
        Some(area) => area.text_length() as usize,
        None => draft.with_untracked(|d| d.body.len()),
    };

    // Saving: after a pause in typing, and at once when the page is left.
    let save_timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let save_now = move || {
        if let Some(timer) = save_timer.get_value() {
            timer.clear();
            save_timer.set_value(None);
        }
        take_body();
        let mut current = draft.get_untracked();
        current.updated_at = identity::now_iso();
        match drafts::save(&current) {
            Ok(()) => {
                remember_draft_in_url(&current.id);
                identity::remember_name(current.author.trim());
                // Said once, not at every pause: a screen reader would repeat it.
                if status.with_untracked(|status| matches!(status, Status::Idle | Status::NotSaved))
                {
                    status.set(Status::Saved);
                }
            }
            Err(drafts::NotSaved) => status.set(Status::NotSaved),
        }
    };
    let schedule_save = move || {
        if let Some(timer) = save_timer.get_value() {
            timer.clear();
        }
        save_timer.set_value(set_timeout_with_handle(save_now, SAVE_AFTER).ok());
    };
    let leaving = window_event_listener(ev::pagehide, move |_| {
        if save_timer.get_value().is_some() {
            save_now();
        }
    });
    on_cleanup(move || leaving.remove());

    // The preview, after a pause in typing; a late answer for an older text is dropped.
    let preview_timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let preview_run = StoredValue::new(0u32);
    let draw_preview = move || {
        preview_timer.set_value(None);
        take_body();
        let body = draft.with_untracked(|d| d.body.clone());
        if body.trim().is_empty() {
            preview.set(Preview::Empty);
            return;
        }
        preview_run.update_value(|n| *n += 1);
        let run = preview_run.get_value();
        leptos::task::spawn_local(async move {
            let answer = content_worker::ask(Request::Texts {
                texts: vec![body],
                profile: Profile::Post,
            })
            .await;
            if preview_run.get_value() != run {
                return;
            }
            preview.set(match answer {
                Ok(Reply::Texts(mut documents)) if documents.len() == 1 => {
                    let document = documents.remove(0);
                    let course = config
                        .get_untracked()
                        .and_then(Result::ok)
                        .and_then(|config| config.course);
                    let today = PostDate::parse(identity::now_iso().get(..10).unwrap_or_default())
                        .unwrap_or(PostDate {
                            year: 1970,
                            month: 1,
                            day: 1,
                        });
                    let meta = draft.with_untracked(|d| d.front_matter(course, today));
                    Preview::Drawn(Box::new(Post { meta, document }))
                }
                Ok(_) => Preview::Failed("the content parser gave an unexpected answer".into()),
                Err(error) => Preview::Failed(error),
            });
        });
    };
    let schedule_preview = move || {
        if let Some(timer) = preview_timer.get_value() {
            timer.clear();
        }
        let wait = preview_after(body_len());
        preview_timer.set_value(set_timeout_with_handle(draw_preview, wait).ok());
    };

    // The bibliography's entries, read again whenever it changes.
    let library_run = StoredValue::new(0u32);
    let read_library = move || {
        library_run.update_value(|n| *n += 1);
        let run = library_run.get_value();
        let Some(file) = draft.with_untracked(Draft::bibliography_file) else {
            library.set(Library::default());
            return;
        };
        leptos::task::spawn_local(async move {
            let answer = crate::web::cite::every_entry(BibliographyFile {
                name: file.name,
                text: file.text,
            })
            .await;
            if library_run.get_value() != run {
                return;
            }
            library.set(match answer {
                Ok(reply) => Library::from_reply(reply),
                Err(error) => Library {
                    entries: Vec::new(),
                    problems: vec![error],
                },
            });
        });
    };
    let library_timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let schedule_library = move || {
        if let Some(timer) = library_timer.get_value() {
            timer.clear();
        }
        library_timer
            .set_value(set_timeout_with_handle(read_library, Duration::from_millis(500)).ok());
    };
    if !initial.body.trim().is_empty() {
        draw_preview();
    }
    if !initial.bibliography.trim().is_empty() {
        read_library();
    }

    let edit = move |change: fn(&mut Draft, String)| {
        move |event: ev::Event| {
            let value = event_target_value(&event);
            draft.update(|d| change(d, value));
            schedule_save();
            schedule_preview();
        }
    };
    let on_bibliography = move |event: ev::Event| {
        let value = event_target_value(&event);
        draft.update(|d| {
            d.bibliography = value;
            d.bibliography_file = None;
        });
        schedule_save();
        schedule_library();
        schedule_preview();
    };
    let file_problem = RwSignal::new(None::<String>);
    let on_file = move |event: ev::Event| {
        let Some((_, file)) = crate::ui::chosen_file(&event) else {
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => {
                    let text = text.as_string().unwrap_or_default();
                    file_problem.set(None);
                    if let Some(area) = bibliography_ref.get_untracked() {
                        area.set_value(&text);
                    }
                    draft.update(|d| {
                        d.bibliography = text;
                        d.bibliography_file = Some(name);
                    });
                    save_now();
                    read_library();
                    schedule_preview();
                }
                Err(error) => file_problem.set(Some(fill(
                    words.file_read_failed,
                    &[("error", &error.as_string().unwrap_or_default())],
                ))),
            }
        });
    };
    let on_style = move |event: ev::Event| {
        let value = event_target_value(&event);
        draft.update(|d| d.style = value);
        schedule_save();
        schedule_preview();
    };

    // Citation keys offered while a key is typed in `[@…`.
    let typed_key = RwSignal::new(None::<String>);
    let active_key = RwSignal::new(0usize);
    let offered = Memo::new(move |_| {
        let typed = typed_key.get()?;
        let typed = typed.to_lowercase();
        let found: Vec<(String, String)> = library.with(|library| {
            library
                .entries
                .iter()
                .filter(|(key, _)| key.to_lowercase().starts_with(&typed))
                .take(MAX_OFFERED_KEYS)
                .cloned()
                .collect()
        });
        (!found.is_empty()).then_some(found)
    });
    let check_caret = move || {
        let Some(area) = body_ref.get_untracked() else {
            return;
        };
        let caret = area.selection_start().ok().flatten().unwrap_or(0);
        // Only the text just before the caret crosses into Rust: a long post is not copied
        // on every keystroke.
        let value: js_sys::JsString = js_sys::Reflect::get(&area, &"value".into())
            .map(JsCast::unchecked_into)
            .unwrap_or_else(|_| js_sys::JsString::from(""));
        let before: String = value.slice(caret.saturating_sub(200), caret).into();
        let key = key_being_typed(&before).map(str::to_owned);
        if key != typed_key.get_untracked() {
            active_key.set(0);
        }
        typed_key.set(key);
    };
    let accept_key = move |key: String| {
        let Some(area) = body_ref.get_untracked() else {
            return;
        };
        let typed_len = typed_key
            .get_untracked()
            .map_or(0, |k| k.encode_utf16().count()) as u32;
        let caret = area.selection_start().ok().flatten().unwrap_or(0);
        let start = caret.saturating_sub(typed_len);
        let _ = area.set_range_text_with_start_and_end(&key, start, caret);
        let end = start + key.encode_utf16().count() as u32;
        let _ = area.set_selection_range(end, end);
        body_typed.set_value(true);
        typed_key.set(None);
        schedule_save();
        schedule_preview();
        let _ = area.focus();
    };
    let on_body_keydown = move |event: ev::KeyboardEvent| {
        let Some(keys) = offered.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                active_key.update(|n| *n = (*n + 1) % keys.len());
            }
            "ArrowUp" => {
                event.prevent_default();
                active_key.update(|n| *n = (*n + keys.len() - 1) % keys.len());
            }
            "Enter" | "Tab" => {
                event.prevent_default();
                let chosen = keys[active_key.get_untracked().min(keys.len() - 1)]
                    .0
                    .clone();
                accept_key(chosen);
            }
            "Escape" => {
                event.prevent_default();
                typed_key.set(None);
            }
            _ => {}
        }
    };

    // Whether this site can publish, and the course a post belongs to.
    let store_state = move || {
        config
            .get()
            .map(|config| config.map(|c| (published::is_shared(&c), c.course)))
    };
    let course_line = move || {
        store_state()
            .and_then(Result::ok)
            .and_then(|(_, course)| course)
            .map(|course| view! { <p class="editor-course">{fill(words.course_line, &[("course", &course)])}</p> })
    };

    let publish = move |_| {
        if matches!(status.get_untracked(), Status::Publishing) {
            return;
        }
        save_now();
        let current = draft.get_untracked();
        let mut problems: Vec<String> = current.problems().iter().map(problem_text).collect();
        library.with_untracked(|library| {
            problems.extend(
                library
                    .problems
                    .iter()
                    .map(|problem| fill(words.bibliography_problem, &[("problem", problem)])),
            );
        });
        if !problems.is_empty() {
            status.set(Status::Problems(problems));
            return;
        }
        status.set(Status::Publishing);
        leptos::task::spawn_local(async move {
            let outcome = match fetch::config().await {
                Ok(config) => published::publish(&config, &current, &identity::now_iso())
                    .await
                    .map_err(|error| error.to_string()),
                Err(error) => Err(error),
            };
            match outcome {
                Ok(record) => {
                    draft.update(|d| d.published_slug = Some(record.slug.clone()));
                    save_now();
                    status.set(Status::Published(record.slug));
                }
                Err(problem) => status.set(Status::Problems(vec![problem])),
            }
        });
    };
    // Asked in the page, not with `confirm()`, which an LMS's sandboxed iframe may block.
    let confirming = RwSignal::new(None::<Confirm>);
    let unpublish = move || {
        let Some(slug) = draft.with_untracked(|d| d.published_slug.clone()) else {
            return;
        };
        status.set(Status::Publishing);
        leptos::task::spawn_local(async move {
            let outcome = match fetch::config().await {
                Ok(config) => published::unpublish(&config, &slug, &identity::now_iso())
                    .await
                    .map_err(|error| error.to_string()),
                Err(error) => Err(error),
            };
            status.set(match outcome {
                Ok(()) => Status::Unpublished,
                Err(problem) => Status::Problems(vec![problem]),
            });
        });
    };
    let delete_draft = move || {
        if let Some(timer) = save_timer.get_value() {
            timer.clear();
            save_timer.set_value(None);
        }
        drafts::remove(&draft.get_untracked().id);
        let _ = window().location().set_href(&location::home_href());
    };

    let is_published = move || draft.with(|d| d.published_slug.is_some());
    let actions = move || {
        match store_state() {
        None => None,
        Some(Err(error)) => {
            Some(view! { <p class="editor-problem" role="alert">{error}</p> }.into_any())
        }
        Some(Ok((false, _))) => {
            Some(view! { <p class="editor-note">{words.local_only}</p> }.into_any())
        }
        Some(Ok((true, _))) => Some(
            view! {
                <button type="button" class="primary" on:click=publish
                    disabled=move || matches!(status.get(), Status::Publishing)>
                    {move || if is_published() { words.update_post } else { words.publish }}
                </button>
                <Show when=is_published>
                    <button type="button" on:click=move |_| confirming.set(Some(Confirm::Unpublish))>
                        {words.unpublish}
                    </button>
                </Show>
            }
            .into_any(),
        ),
    }
    };
    let status_view = move || {
        match status.get() {
        Status::Idle => None,
        Status::Saved => Some(view! { <p class="editor-saved" role="status">{words.draft_saved}</p> }.into_any()),
        Status::NotSaved => Some(view! { <p class="editor-problem" role="alert">{words.draft_not_saved}</p> }.into_any()),
        Status::Publishing => Some(view! { <p class="editor-saved" role="status">{words.publishing}</p> }.into_any()),
        Status::Published(slug) => Some(view! {
            <p class="editor-saved" role="status">
                {words.published} " " <a href=location::post_href(&slug)>{words.view_post}</a>
            </p>
        }.into_any()),
        Status::Unpublished => Some(view! { <p class="editor-saved" role="status">{words.unpublished}</p> }.into_any()),
        Status::Problems(problems) => Some(view! {
            <ul class="editor-problems" role="alert">
                {problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}
            </ul>
        }.into_any()),
    }
    };

    let unknown_keys = move || {
        let cited: Vec<String> = preview.with(|preview| match preview {
            Preview::Drawn(post) => citations(&post.document)
                .into_iter()
                .flat_map(|(_, citation)| citation.items.into_iter().map(|item| item.key))
                .collect(),
            _ => Vec::new(),
        });
        let mut unknown: Vec<String> = library.with(|library| {
            cited
                .into_iter()
                .filter(|key| !library.entries.iter().any(|(known, _)| known == key))
                .collect()
        });
        unknown.sort();
        unknown.dedup();
        (!unknown.is_empty()).then(|| {
            view! {
                <p class="editor-problem">{fill(words.unknown_keys, &[("keys", &unknown.join(", "))])}</p>
            }
        })
    };
    let bibliography_problems = move || {
        library.with(|library| {
            (!library.problems.is_empty()).then(|| {
                view! {
                    <ul class="editor-problems" role="alert">
                        {library.problems.iter().map(|problem| view! { <li>{problem.clone()}</li> }).collect_view()}
                    </ul>
                }
            })
        })
    };

    let preview_id = initial.id.clone();
    let preview_citations = StoredValue::new_local(None::<MountedCitations>);
    let preview_view = move || {
        match preview.get() {
        Preview::Empty => view! { <p class="editor-note">{words.preview_empty}</p> }.into_any(),
        Preview::Failed(error) => view! {
            <p class="editor-problem" role="alert">{fill(words.preview_failed, &[("error", &error)])}</p>
        }
        .into_any(),
        Preview::Drawn(post) => {
            let entry = CatalogEntry {
                slug: format!("draft-{preview_id}"),
                source: String::new(),
                comments: None,
            };
            mount_preview_citations(entry.clone(), post.meta.clone(), draft, preview_citations);
            view! { <PostArticle post=*post entry preview=true /> }.into_any()
        }
    }
    };

    let listbox = move || {
        offered.get().map(|keys| {
            view! {
                <ul class="citation-keys" id="citation-keys" role="listbox" aria-label=words.citation_keys>
                    {keys.into_iter().enumerate().map(|(index, (key, entry))| {
                        let chosen = key.clone();
                        view! {
                            <li
                                role="option"
                                id=format!("citation-key-{index}")
                                aria-selected=move || (active_key.get() == index).to_string()
                                on:mousedown=move |event: ev::MouseEvent| {
                                    event.prevent_default();
                                    accept_key(chosen.clone());
                                }
                            >
                                <span class="citation-key">{format!("@{key}")}</span>
                                " "
                                <span class="citation-key-entry">{entry}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    };
    let active_descendant = move || {
        offered
            .with(Option::is_some)
            .then(|| format!("citation-key-{}", active_key.get()))
    };

    let styles = BUNDLED_STYLES;
    let chosen_style = initial.style.clone();
    view! {
        <div class="editor-page">
            <section class="editor" aria-labelledby="editor-heading">
                <h1 id="editor-heading">{locale::page().write_a_post}</h1>
                {course_line}
                <div class="field editor-field">
                    <label for="editor-title">{words.title_label}</label>
                    <input id="editor-title" type="text" maxlength="400" prop:value=initial.title.clone()
                        on:input=edit(|d, v| d.title = v) />
                </div>
                <div class="field editor-field">
                    <label for="editor-summary">{words.summary_label}</label>
                    <textarea id="editor-summary" rows="2" prop:value=initial.summary.clone()
                        on:input=edit(|d, v| d.summary = v)></textarea>
                </div>
                <div class="field editor-field">
                    <label for="editor-author">{words.author_label}</label>
                    <input id="editor-author" type="text" autocomplete="name" prop:value=initial.author.clone()
                        on:input=edit(|d, v| d.author = v) />
                </div>
                <div class="field editor-field editor-body">
                    <label for="editor-body">{words.post_label}</label>
                    <p class="editor-hint" id="editor-body-hint">{words.post_hint}</p>
                    <textarea
                        id="editor-body"
                        rows="16"
                        node_ref=body_ref
                        aria-describedby="editor-body-hint"
                        aria-autocomplete="list"
                        aria-controls="citation-keys"
                        aria-activedescendant=active_descendant
                        prop:value=initial.body.clone()
                        on:input=move |_| {
                            body_typed.set_value(true);
                            schedule_save();
                            schedule_preview();
                            check_caret();
                        }
                        on:keydown=on_body_keydown
                        on:click=move |_| check_caret()
                        on:blur=move |_| typed_key.set(None)
                    ></textarea>
                    {listbox}
                    {unknown_keys}
                </div>
                <div class="field editor-field">
                    <label for="editor-bibliography">{words.bibliography_label}</label>
                    <p class="editor-hint" id="editor-bibliography-hint">{words.bibliography_hint}</p>
                    <textarea id="editor-bibliography" rows="6" spellcheck="false"
                        aria-describedby="editor-bibliography-hint"
                        node_ref=bibliography_ref
                        prop:value=initial.bibliography.clone()
                        on:input=on_bibliography></textarea>
                    <label class="editor-file">
                        {words.bibliography_file_label}
                        " "
                        <input type="file" accept=".bib,.bibtex,.json,.yaml,.yml" on:change=on_file />
                    </label>
                    {move || file_problem.get().map(|problem| view! { <p class="editor-problem" role="alert">{problem}</p> })}
                    {bibliography_problems}
                </div>
                <div class="field editor-field">
                    <label for="editor-style">{words.style_label}</label>
                    <select id="editor-style" on:change=on_style>
                        {styles.iter().map(|(name, label)| {
                            let selected = *name == chosen_style;
                            view! { <option value=*name selected=selected>{*label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="editor-actions">
                    {actions}
                    <button type="button" on:click=move |_| confirming.set(Some(Confirm::Delete))>
                        {words.delete_draft}
                    </button>
                </div>
                {move || confirming.get().map(|asked| {
                    let (question, yes) = match asked {
                        Confirm::Unpublish => (words.confirm_unpublish, words.yes_unpublish),
                        Confirm::Delete => (words.confirm_delete, words.yes_delete),
                    };
                    view! {
                        <div class="editor-confirm" role="group" aria-labelledby="editor-confirm-question">
                            <p id="editor-confirm-question" role="alert">{question}</p>
                            <button type="button" class="danger" on:click=move |_| {
                                confirming.set(None);
                                match asked {
                                    Confirm::Unpublish => unpublish(),
                                    Confirm::Delete => delete_draft(),
                                }
                            }>{yes}</button>
                            " "
                            <button type="button" on:click=move |_| confirming.set(None)>{words.cancel}</button>
                        </div>
                    }
                })}
                {status_view}
            </section>
            <section class="editor-preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">{words.preview_heading}</h2>
                {preview_view}
            </section>
        </div>
    }
}

/// Puts `?write=<id>` in the address once the draft is saved, so a reload finds it.
fn remember_draft_in_url(id: &str) {
    let search = window().location().search().unwrap_or_default();
    let wanted = location::write_href(Some(id));
    if search.contains(&format!("write={id}")) {
        return;
    }
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&wanted));
    }
}

/// Brings the preview's citations to life (popovers, formatting, bibliography) once it is
/// on the page, with the draft's bibliography given as text; those of the preview before are
/// unmounted.
fn mount_preview_citations(
    entry: CatalogEntry,
    meta: FrontMatter,
    draft: RwSignal<Draft>,
    mounted: StoredValue<Option<MountedCitations>, LocalStorage>,
) {
    mounted.set_value(None);
    request_animation_frame(move || {
        let Some(article) = crate::ui::article_with_citations(".editor-preview article.post")
        else {
            return;
        };
        let inline = draft
            .with_untracked(Draft::bibliography_file)
            .map(|file| BibliographyFile {
                name: file.name,
                text: file.text,
            });
        let mut parts = MountedCitations::default();
        mount_citations(
            article,
            entry,
            meta.bibliography,
            meta.csl,
            inline,
            &mut parts,
        );
        mounted.set_value(Some(parts));
    });
}
