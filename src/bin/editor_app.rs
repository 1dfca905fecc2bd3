//! The post editor's module, loaded by the app only when a reader writes (`./?write`,
//! `./?edit=<slug>`): the editor, its preview with citations, drafts and publishing stay out
//! of every reader's first load and out of the thread modules.

use colloquy::ui::editor::{EditPage, WritePage};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

fn main() {
    // Panic messages in the console while developing; a release build carries no hook.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}

/// Mounts the editor into `slot`: draft `draft` of this browser (a new one when absent), or
/// the post published as `edit`.
#[wasm_bindgen]
pub fn mount_editor(slot: web_sys::HtmlElement, draft: Option<String>, edit: Option<String>) {
    leptos::mount::mount_to(slot, move || match edit.clone() {
        Some(slug) => view! { <EditPage slug /> }.into_any(),
        None => view! { <WritePage draft=draft.clone() /> }.into_any(),
    })
    .forget();
}
