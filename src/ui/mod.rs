//! The views. Each module owns one part of the page; none of them parses or fetches.

pub mod account;
pub mod bibliography;
pub mod checkpoints;
pub mod citation;
pub mod comment;
pub mod composer;
pub mod editor;
pub mod editor_slot;
pub mod error_page;
pub mod markdown;
pub mod moderation;
pub mod passage;
pub mod post;
pub mod post_list;
pub mod reports;
pub mod reveal;
pub mod skeleton;
pub mod thread;
pub mod thread_state;
pub mod thread_tools;

/// Sets the browser tab's title: "<page> · Colloquy" (the name is not translated).
pub fn set_page_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · Colloquy"));
}

/// A form's `keydown` handler: Escape closes it (`close`), as it would a dialog.
pub fn escape_closes(close: impl Fn() + Copy + 'static) -> impl Fn(web_sys::KeyboardEvent) + Copy {
    move |event| {
        if event.key() == "Escape" {
            event.prevent_default();
            close();
        }
    }
}

/// The file a file input's `change` event chose, with the input (to clear it for the next
/// choice).
pub fn chosen_file(
    event: &leptos::ev::Event,
) -> Option<(web_sys::HtmlInputElement, web_sys::File)> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    Some((input, file))
}

/// The first element `selector` finds if it has citations to bring to life.
pub fn article_with_citations(selector: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let article = leptos::prelude::document()
        .query_selector(selector)
        .ok()??;
    article.query_selector(".citation-anchor").ok()??;
    article.dyn_into().ok()
}
