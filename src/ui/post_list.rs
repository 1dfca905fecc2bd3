//! The front page: a card per post in the catalogue, each loading its own front matter; the
//! posts published in the app (kept current while the page is open); the way to write one,
//! and this browser's drafts.

use crate::content::catalog::{Catalog, CatalogEntry};
use crate::content::front_matter::FrontMatter;
use crate::content::published::PublishedPost;
use crate::i18n::fill;
use crate::ui::skeleton::CardSkeleton;
use crate::web::thread_module;
use crate::web::{drafts, fetch, format, locale, location, published_reader};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn PostList(catalog: Catalog) -> impl IntoView {
    let words = locale::page();
    crate::ui::set_page_title(words.posts);
    let cards = if catalog.entries.is_empty() {
        view! { <p class="empty">{words.no_posts}</p> }.into_any()
    } else {
        view! {
            <ul class="cards">
                {catalog
                    .entries
                    .into_iter()
                    .map(|entry| view! { <li><PostCard entry /></li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="post-list" aria-labelledby="list-heading">
            <div class="list-head">
                <h1 id="list-heading">{words.posts}</h1>
                <a class="write-link" href=location::write_href(None)>{locale::page().write_a_post}</a>
            </div>
            {cards}
            <PublishedCards />
            <MyDrafts />
        </section>
    }
}

/// How often the list asks the shared store for posts published since.
const PUBLISHED_POLL: std::time::Duration = std::time::Duration::from_secs(15);

/// The cards of posts published in the app, newest first, read again every
/// `PUBLISHED_POLL` while the page is shown.
#[component]
fn PublishedCards() -> impl IntoView {
    let posts = RwSignal::new(Vec::<PublishedPost>::new());
    let problem = RwSignal::new(None::<String>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match published_reader::list().await {
                // The site's store keeps no published posts (the local store).
                Ok(None) => {}
                Ok(Some(found)) => {
                    problem.set(None);
                    if posts.with_untracked(|shown| *shown != found) {
                        posts.set(found);
                    }
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    refresh();
    if let Ok(poll) = set_interval_with_handle(
        move || {
            if !document().hidden() {
                refresh();
            }
        },
        PUBLISHED_POLL,
    ) {
        on_cleanup(move || poll.clear());
    }
    view! {
        {move || problem.get().map(|error| view! {
            <p class="editor-problem" role="alert">{fill(locale::page().published_failed, &[("error", &error)])}</p>
        })}
        <Show when=move || posts.with(|posts| !posts.is_empty())>
            <ul class="cards published-cards">
                <For each=move || posts.get() key=|post| (post.slug.clone(), post.updated_at.clone()) let:post>
                    <li><PublishedCard post /></li>
                </For>
            </ul>
        </Show>
    }
}

#[component]
fn PublishedCard(post: PublishedPost) -> impl IntoView {
    let entry = CatalogEntry {
        slug: post.slug.clone(),
        source: String::new(),
        comments: None,
    };
    card_view(post.front_matter(), entry)
}

/// This browser's drafts, each a link back to the editor.
#[component]
fn MyDrafts() -> impl IntoView {
    let words = locale::page();
    let drafts = drafts::all();
    (!drafts.is_empty()).then(|| {
        view! {
            <section class="my-drafts" aria-labelledby="drafts-heading">
                <h2 id="drafts-heading">{words.my_drafts}</h2>
                <ul>
                    {drafts.into_iter().map(|draft| {
                        let title = Some(draft.title.trim().to_owned())
                            .filter(|title| !title.is_empty())
                            .unwrap_or_else(|| words.untitled_draft.to_owned());
                        view! { <li><a href=location::write_href(Some(&draft.id))>{title}</a></li> }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn PostCard(entry: CatalogEntry) -> impl IntoView {
    let slug = entry.slug.clone();
    let meta = LocalResource::new({
        let entry = entry.clone();
        move || {
            let entry = entry.clone();
            async move { fetch::front_matter(&entry).await }
        }
    });
    move || {
        match meta.get() {
        None => view! { <CardSkeleton /> }.into_any(),
        Some(Err(error)) => view! {
            <article class="card card-error">
                <h2>{slug.clone()}</h2>
                <p role="alert">{fill(locale::page().card_error, &[("error", &error.to_string())])}</p>
            </article>
        }
        .into_any(),
        Some(Ok(meta)) => card_view(meta, entry.clone()).into_any(),
    }
    }
}

/// A post's card: course, linked title, byline, summary, and its comment count, which the
/// thread module fills once it has loaded.
fn card_view(meta: FrontMatter, entry: CatalogEntry) -> impl IntoView {
    let href = location::post_href(&entry.slug);
    let count_slot: NodeRef<html::P> = NodeRef::new();
    Effect::new(move |mounted: Option<bool>| {
        if mounted == Some(true) {
            return true;
        }
        let Some(slot) = count_slot.get() else {
            return false;
        };
        let entry = entry.clone();
        leptos::task::spawn_local(async move {
            // A count that cannot be shown is left out; the card itself still works.
            let _ = thread_module::mount_count(slot.into(), &entry).await;
        });
        true
    });
    view! {
        <article class="card">
            {meta.course.map(|course| view! { <p class="post-course">{course}</p> })}
            <h2>
                <a href=href>{meta.title}</a>
            </h2>
            <p class="byline">
                <span class="post-author">{meta.author}</span>
                <span aria-hidden="true">" · "</span>
                <time datetime=meta.date.to_string()>{format::post_date(meta.date)}</time>
            </p>
            {meta.summary.map(|summary| view! { <p class="summary">{summary}</p> })}
            <p class="comment-count" node_ref=count_slot></p>
        </article>
    }
}
