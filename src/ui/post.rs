//! A post's page: header (course, title, byline), table of contents, body, footnotes, thread.

use crate::content::catalog::CatalogEntry;
use crate::content::markdown::Profile;
use crate::content::markdown::{Document, Footnote};
use crate::content::protocol::{Reply, Request};
use crate::content::published::PublishedPost;
use crate::content::Post;
use crate::i18n::fill;
use crate::ui::error_page::ErrorPage;
use crate::ui::markdown::nodes_view;
use crate::ui::markdown::CitationLabels;
use crate::ui::skeleton::PostSkeleton;
use crate::web::fetch::LoadError;
use crate::web::{
    self, content_worker, drafts, fetch, format, locale, location, perf, published_reader,
    thread_module,
};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the thread module is: still loading, mounted, or failed to load.
#[derive(Clone, Debug, PartialEq)]
enum ThreadState {
    Loading,
    Shown,
    Failed(String),
}

/// How long `#comments` waits for the thread to load: about ten seconds of frames.
const THREAD_WAIT_FRAMES: u32 = 600;

/// Scrolls to the thread (`#comments`) once it has loaded its comments and composer, so the
/// page below it is long enough to bring it to the top; not if the reader has scrolled
/// meanwhile (from `start_y`), and not after `frames_left` frames.
fn land_on_comments(frames_left: u32, start_y: f64) {
    if frames_left == 0 || window().scroll_y().unwrap_or_default() != start_y {
        return;
    }
    let loaded = document()
        .query_selector("#comments .composer")
        .ok()
        .flatten()
        .is_some();
    if loaded {
        request_animation_frame(location::scroll_to_fragment);
    } else {
        request_animation_frame(move || land_on_comments(frames_left - 1, start_y));
    }
}

/// A post published in the app (`?post=<slug>` for a slug `posts.json` does not list): read
/// from the site's shared store and drawn at run time.
#[component]
pub fn PublishedPostPage(slug: String) -> impl IntoView {
    let not_found = fill(locale::page().post_not_found_detail, &[("slug", &slug)]);
    let found = LocalResource::new(move || {
        let slug = slug.clone();
        async move { published_reader::get(&slug).await }
    });
    let words = locale::page();
    move || match found.get() {
        None => view! { <PostSkeleton /> }.into_any(),
        Some(Ok(Some(post))) => {
            // The browser that published it keeps its draft (and, beside it, its author key).
            let mine = drafts::for_published(&post.slug).is_some();
            let entry = CatalogEntry {
                slug: post.slug.clone(),
                source: String::new(),
                comments: None,
            };
            view! { <PostPage entry published=post mine /> }.into_any()
        }
        Some(Ok(None)) => view! {
            <ErrorPage title=words.post_not_found detail=not_found.clone() />
        }
        .into_any(),
        Some(Err(error)) => view! { <ErrorPage title=words.post_failed detail=error /> }.into_any(),
    }
}

/// The post's parsed source: its file under `content/`, or the body of a post published in
/// the app, rendered by the content worker.
async fn load_post(
    entry: &CatalogEntry,
    published: Option<&PublishedPost>,
) -> Result<Post, LoadError> {
    let Some(record) = published else {
        return fetch::post(entry).await;
    };
    let failed = |message: String| LoadError::Malformed {
        path: record.slug.clone(),
        message,
    };
    match content_worker::ask(Request::Texts {
        texts: vec![record.body.clone()],
        profile: Profile::Post,
    })
    .await
    {
        Ok(Reply::Texts(mut documents)) if documents.len() == 1 => Ok(Post {
            meta: record.front_matter(),
            document: documents.remove(0),
        }),
        Ok(_) => Err(failed(
            "the content parser gave an unexpected answer".into(),
        )),
        Err(error) => Err(failed(error)),
    }
}

#[component]
pub fn PostPage(
    entry: CatalogEntry,
    /// The post as the site's shared store keeps it, when it was published in the app.
    #[prop(optional)]
    published: Option<PublishedPost>,
    /// Whether this browser published it (and so may edit it).
    #[prop(optional)]
    mine: bool,
) -> impl IntoView {
    let inline_bibliography = published
        .as_ref()
        .and_then(|record| record.bibliography.clone());
    // Only the browser that published the post can change it.
    let edit_href = published
        .as_ref()
        .filter(|_| mine)
        .map(|record| location::edit_href(&record.slug));
    let post = LocalResource::new({
        let entry = entry.clone();
        move || {
            let entry = entry.clone();
            let published = published.clone();
            async move { load_post(&entry, published.as_ref()).await }
        }
    });
    let article_entry = entry.clone();
    let thread_slot: NodeRef<html::Div> = NodeRef::new();
    let thread_state = RwSignal::new(ThreadState::Loading);
    // Once the post is on screen, load the thread module and let it fill the slot.
    Effect::new(move |mounted: Option<bool>| {
        if mounted == Some(true) {
            return true;
        }
        let Some(slot) = thread_slot.get() else {
            return false;
        };
        let count_label = document()
            .query_selector(".byline .comment-count")
            .ok()
            .flatten()
            .and_then(|label| label.dyn_into().ok());
        let entry = entry.clone();
        let meta = post
            .get_untracked()
            .and_then(|post| post.ok())
            .map(|post| post.meta);
        let article = crate::ui::article_with_citations("article.post");
        // Not before the post is on screen: the module's megabyte must not share the
        // bandwidth or the main thread with the post's first paint.
        let inline_bibliography = inline_bibliography.clone();
        perf::after_paint(move || {
            leptos::task::spawn_local(async move {
                if let (Some(article), Some(meta)) = (article, meta) {
                    // A failure here is the module's, and the thread below reports it.
                    let _ = thread_module::mount_citations(
                        article,
                        &entry,
                        &meta,
                        inline_bibliography.as_ref(),
                    )
                    .await;
                }
                let mounted = thread_module::mount_thread(slot.into(), &entry, count_label).await;
                // `#comments` (the count links on the list and in the header) names the
                // thread, which exists only now.
                if mounted.is_ok()
                    && window()
                        .location()
                        .hash()
                        .is_ok_and(|hash| hash == "#comments")
                {
                    let start_y = window().scroll_y().unwrap_or_default();
                    land_on_comments(THREAD_WAIT_FRAMES, start_y);
                }
                thread_state.set(match mounted {
                    Ok(()) => ThreadState::Shown,
                    Err(error) => ThreadState::Failed(error),
                });
            });
        });
        true
    });

    // Content arrives after the browser tried to follow the URL's fragment: follow it again.
    // (The thread follows `#comment-…` itself once its comments are on screen.)
    Effect::new(move |_| {
        if matches!(post.get(), Some(Ok(_))) {
            request_animation_frame(location::scroll_to_fragment);
        }
    });

    move || {
        match post.get() {
        None => view! { <PostSkeleton /> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorPage title=locale::page().post_failed detail=error.to_string() /> }
                .into_any()
        }
        Some(Ok(post)) => view! {
            <PostArticle post=post entry=article_entry.clone() with_comment_count=true />
            {edit_href.clone().map(|href| view! {
                <p class="post-actions">
                    <a href=href>{locale::page().edit_post}</a>
                </p>
            })}
            {move || match thread_state.get() {
                ThreadState::Loading => Some(view! {
                    <p class="thread-status" role="status">{locale::page().loading_comments}</p>
                }.into_any()),
                ThreadState::Failed(error) => {
                    // The reader gets what to do; the file and the browser's words go to the console.
                    web_sys::console::warn_1(&format!("Colloquy: the thread did not load: {error}").into());
                    Some(view! {
                        <p class="thread-error" role="alert">{locale::page().comments_failed}</p>
                    }.into_any())
                }
                ThreadState::Shown => None,
            }}
            <div class="thread-slot" node_ref=thread_slot></div>
        }
        .into_any(),
    }
    }
}

#[component]
pub fn PostArticle(
    post: Post,
    /// Where the post's files are (its bibliography, a `.csl` style).
    entry: CatalogEntry,
    /// Whether the byline has a link to the comments, which the thread fills with its count.
    #[prop(optional)]
    with_comment_count: bool,
    /// A preview in the post editor: the page keeps the editor's title.
    #[prop(optional)]
    preview: bool,
) -> impl IntoView {
    if !preview {
        crate::ui::set_page_title(&post.meta.title);
    }
    let has_citations = !crate::content::markdown::citations(&post.document).is_empty();
    if has_citations {
        // The citation worker is not fetched ahead: its 1.4 MB would share a phone's
        // bandwidth with the thread module, and the thread is what the reader came for.
        provide_context(CitationLabels(web::cite::cached_labels(&entry.slug)));
    }
    let meta = post.meta;
    let Document {
        blocks,
        toc,
        footnotes,
        ..
    } = &post.document;
    let minutes = post.document.reading_minutes();
    let toc_view = (!toc.is_empty()).then(|| {
        view! {
            <nav class="toc" aria-labelledby="toc-heading">
                <h2 id="toc-heading">{locale::page().contents}</h2>
                <ol>
                    {toc
                        .iter()
                        .map(|entry| {
                            view! {
                                <li class=format!("toc-level-{}", entry.level)>
                                    <a href=format!("#{}", entry.id)>{entry.text.clone()}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </nav>
        }
    });
    view! {
        <article class="post" aria-labelledby="post-title" data-preview=preview.then_some("")>
            <header class="post-header">
                {meta.course.map(|course| view! { <p class="post-course">{course}</p> })}
                <h1 id="post-title">{meta.title}</h1>
                <p class="byline">
                    <span class="post-author">{meta.author}</span>
                    <span aria-hidden="true">" · "</span>
                    <time datetime=meta.date.to_string()>{format::post_date(meta.date)}</time>
                    <span aria-hidden="true">" · "</span>
                    <span class="reading-time">{fill(locale::page().reading_time, &[("minutes", &format::number(minutes))])}</span>
                    {with_comment_count.then(|| view! {
                        <span aria-hidden="true">" · "</span>
                        <a class="comment-count" href="#comments">{locale::page().comments_link}</a>
                    })}
                </p>
            </header>
            {toc_view}
            <div class="post-body">{nodes_view(blocks)}</div>
            {(!footnotes.is_empty()).then(|| footnotes_view(footnotes))}
            {has_citations.then(|| view! { <div class="bibliography-slot"></div> })}
        </article>
    }
}

/// "No comments", "1 comment", "12 comments".
pub fn comments_label(count: usize) -> String {
    let words = locale::thread();
    match count {
        0 => words.no_comments.to_owned(),
        n => locale::count(&words.comment_count, n),
    }
}

fn footnotes_view(footnotes: &[Footnote]) -> impl IntoView {
    view! {
        <section class="footnotes" aria-labelledby="footnotes-heading">
            <h2 id="footnotes-heading">{locale::page().notes}</h2>
            <ol>
                {footnotes
                    .iter()
                    .map(|note| {
                        view! {
                            <li id=note.id.clone() value=note.number.to_string()>
                                {nodes_view(&note.content)}
                                <a
                                    class="footnote-back"
                                    href=format!("#{}", note.reference_id)
                                    aria-label=fill(locale::page().back_to_note_reference, &[("n", &note.number.to_string())])
                                >
                                    "↩"
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
