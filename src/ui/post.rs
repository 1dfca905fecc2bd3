//! A post's page: header (course, title, byline), table of contents, body, footnotes, thread.

use crate::content::catalog::CatalogEntry;
use crate::content::markdown::{Document, Footnote};
use crate::content::Post;
use crate::ui::error_page::ErrorPage;
use crate::ui::markdown::nodes_view;
use crate::ui::skeleton::PostSkeleton;
use crate::ui::thread::Thread;
use crate::web::{fetch, format, location};
use leptos::prelude::*;

#[component]
pub fn PostPage(entry: CatalogEntry) -> impl IntoView {
    let post = LocalResource::new({
        let entry = entry.clone();
        move || {
            let entry = entry.clone();
            async move { fetch::post(&entry).await }
        }
    });
    let comments = LocalResource::new(move || {
        let entry = entry.clone();
        async move { fetch::seed_comments(&entry).await }
    });

    // Content arrives after the browser tried to follow the URL's fragment: follow it again.
    Effect::new(move |_| {
        if matches!(post.get(), Some(Ok(_))) && comments.get().is_some() {
            request_animation_frame(location::scroll_to_fragment);
        }
    });

    move || match post.get() {
        None => view! { <PostSkeleton /> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorPage title="This post cannot be shown" detail=error.to_string() /> }
                .into_any()
        }
        Some(Ok(post)) => view! {
            <PostArticle post=post />
            <Thread comments=Signal::derive(move || comments.get()) />
        }
        .into_any(),
    }
}

#[component]
pub fn PostArticle(post: Post) -> impl IntoView {
    crate::ui::set_page_title(&post.meta.title);
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
                <h2 id="toc-heading">"Contents"</h2>
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
        <article class="post" aria-labelledby="post-title">
            <header class="post-header">
                {meta.course.map(|course| view! { <p class="post-course">{course}</p> })}
                <h1 id="post-title">{meta.title}</h1>
                <p class="byline">
                    <span class="post-author">{meta.author}</span>
                    <span aria-hidden="true">" · "</span>
                    <time datetime=meta.date.to_string()>{format::post_date(meta.date)}</time>
                    <span aria-hidden="true">" · "</span>
                    <span class="reading-time">{format!("{minutes} min read")}</span>
                </p>
            </header>
            {toc_view}
            <div class="post-body">{nodes_view(blocks)}</div>
            {(!footnotes.is_empty()).then(|| footnotes_view(footnotes))}
        </article>
    }
}

fn footnotes_view(footnotes: &[Footnote]) -> impl IntoView {
    view! {
        <section class="footnotes" aria-labelledby="footnotes-heading">
            <h2 id="footnotes-heading">"Notes"</h2>
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
                                    aria-label=format!("Back to reference {}", note.number)
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
