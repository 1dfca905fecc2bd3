//! The front page: a card per post in the catalogue, each loading its own front matter.

use crate::content::catalog::{Catalog, CatalogEntry};
use crate::i18n::fill;
use crate::ui::skeleton::CardSkeleton;
use crate::web::thread_module;
use crate::web::{fetch, format, locale, location};
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
            <h1 id="list-heading">{words.posts}</h1>
            {cards}
        </section>
    }
}

#[component]
fn PostCard(entry: CatalogEntry) -> impl IntoView {
    let href = location::post_href(&entry.slug);
    let slug = entry.slug.clone();
    let meta = LocalResource::new({
        let entry = entry.clone();
        move || {
            let entry = entry.clone();
            async move { fetch::front_matter(&entry).await }
        }
    });
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
        Some(Ok(meta)) => view! {
            <article class="card">
                {meta.course.map(|course| view! { <p class="post-course">{course}</p> })}
                <h2>
                    <a href=href.clone()>{meta.title}</a>
                </h2>
                <p class="byline">
                    <span class="post-author">{meta.author}</span>
                    <span aria-hidden="true">" · "</span>
                    <time datetime=meta.date.to_string()>{format::post_date(meta.date)}</time>
                </p>
                {meta.summary.map(|summary| view! { <p class="summary">{summary}</p> })}
                // Filled by the thread module once it has loaded.
                <p class="comment-count" node_ref=count_slot></p>
            </article>
        }
        .into_any(),
    }
    }
}
