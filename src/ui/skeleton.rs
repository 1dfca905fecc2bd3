//! Placeholders shown while content loads, announced once to screen readers.

use leptos::prelude::*;

#[component]
pub fn PostSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" role="status" aria-live="polite">
            <span class="visually-hidden">{crate::web::locale::page().loading_post}</span>
            <div class="skeleton-line skeleton-kicker" aria-hidden="true"></div>
            <div class="skeleton-line skeleton-title" aria-hidden="true"></div>
            <div class="skeleton-line skeleton-byline" aria-hidden="true"></div>
            {(0..6)
                .map(|_| view! { <div class="skeleton-line" aria-hidden="true"></div> })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn CardSkeleton() -> impl IntoView {
    view! {
        <div class="card skeleton" aria-hidden="true">
            <div class="skeleton-line skeleton-title"></div>
            <div class="skeleton-line skeleton-byline"></div>
            <div class="skeleton-line"></div>
        </div>
    }
}
