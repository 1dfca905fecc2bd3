//! The views. Each module owns one part of the page; none of them parses or fetches.

pub mod bibliography;
pub mod citation;
pub mod comment;
pub mod composer;
pub mod editor;
pub mod editor_slot;
pub mod error_page;
pub mod markdown;
pub mod passage;
pub mod post;
pub mod post_list;
pub mod reveal;
pub mod skeleton;
pub mod thread;
pub mod thread_state;
pub mod thread_tools;

/// Sets the browser tab's title: "<page> · Colloquy" (the name is not translated).
pub fn set_page_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · Colloquy"));
}
