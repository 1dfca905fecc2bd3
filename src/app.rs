//! The root component: the site frame, and which page the URL's `?post=` asks for.

use crate::ui::error_page::ErrorPage;
use crate::ui::post::PostPage;
use crate::ui::post_list::PostList;
use crate::ui::skeleton::PostSkeleton;
use crate::web::fetch;
use crate::web::location::{current_route, Route};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let route = current_route();
    let catalog = LocalResource::new(fetch::catalog);
    let page = move || {
        let route = route.clone();
        match catalog.get() {
            None => view! { <PostSkeleton /> }.into_any(),
            Some(Err(error)) => view! {
                <ErrorPage
                    title="The posts cannot be listed"
                    detail=error.to_string()
                    show_home_link=!matches!(route, Route::List)
                />
            }
            .into_any(),
            Some(Ok(catalog)) => match route {
                Route::List => view! { <PostList catalog /> }.into_any(),
                Route::Post { slug } => match catalog.find(&slug).cloned() {
                    Some(entry) => view! { <PostPage entry /> }.into_any(),
                    None => view! {
                        <ErrorPage
                            title="Post not found"
                            detail=format!("There is no post called “{slug}”. It may have been renamed or removed.")
                        />
                    }
                    .into_any(),
                },
            },
        }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="site-name" href="./">"Colloquy"</a>
        </header>
        <main id="main" tabindex="-1">{page}</main>
    }
}
