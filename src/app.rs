//! The root component: the site frame, and which page the URL's `?post=` asks for.

use crate::ui::editor_slot::EditorSlot;
use crate::ui::error_page::ErrorPage;
use crate::ui::post::{PostPage, PublishedPostPage};
use crate::ui::post_list::PostList;
use crate::ui::skeleton::PostSkeleton;
use crate::web::fetch;
use crate::web::locale;
use crate::web::location::{self, current_route, Route};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    locale::mark_document();
    crate::web::embed::report_height_changes();
    let words = locale::page();
    let route = current_route();
    let catalog = LocalResource::new(fetch::catalog);
    let page = move || {
        let route = route.clone();
        match route {
            Route::Write { draft } => {
                return view! { <EditorSlot draft edit=None /> }.into_any();
            }
            Route::Edit { slug } => {
                return view! { <EditorSlot draft=None edit=Some(slug) /> }.into_any();
            }
            Route::List | Route::Post { .. } => {}
        }
        match catalog.get() {
            None => view! { <PostSkeleton /> }.into_any(),
            Some(Err(error)) => view! {
                <ErrorPage
                    title=words.list_failed
                    detail=error.to_string()
                    show_home_link=!matches!(route, Route::List)
                />
            }
            .into_any(),
            Some(Ok(catalog)) => match route {
                Route::Post { slug } => match catalog.find(&slug).cloned() {
                    Some(entry) => view! { <PostPage entry /> }.into_any(),
                    None => view! { <PublishedPostPage slug /> }.into_any(),
                },
                _ => view! { <PostList catalog /> }.into_any(),
            },
        }
    };
    view! {
        <a class="skip-link" href="#main">{words.skip_link}</a>
        // assets/theme.js adds the theme picker here, in these words.
        <header
            class="site-header"
            data-theme-label=words.theme_label
            data-theme-system=words.theme_system
            data-theme-light=words.theme_light
            data-theme-dark=words.theme_dark
        >
            <a class="site-name" href=location::home_href()>"Colloquy"</a>
        </header>
        <main id="main" tabindex="-1">{page}</main>
    }
}
