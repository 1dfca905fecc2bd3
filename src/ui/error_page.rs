//! The page shown when content cannot be shown: what went wrong, and a way back.

use leptos::prelude::*;

#[component]
pub fn ErrorPage(
    /// A short headline: "Post not found".
    #[prop(into)]
    title: String,
    /// The problem, naming the file or key at fault.
    #[prop(into)]
    detail: String,
    /// Whether to offer the way back to the post list (not when the list itself failed).
    #[prop(default = true)]
    show_home_link: bool,
) -> impl IntoView {
    crate::ui::set_page_title(&title);
    view! {
        <section class="error-page" role="alert" aria-labelledby="error-title">
            <h1 id="error-title">{title}</h1>
            <p class="error-detail">{detail}</p>
            <Show when=move || show_home_link>
                <p>
                    <a href=crate::web::location::home_href()>{crate::web::locale::page().all_posts}</a>
                </p>
            </Show>
        </section>
    }
}
