//! The app's first load in the browser: mounts the app on the page body and nothing else.

fn main() {
    console_error_panic_hook::set_once();
    // The post list `colloquy build` wrote for readers without script: the app draws its own.
    if let Some(built) = leptos::prelude::document()
        .query_selector("[data-prerendered]")
        .ok()
        .flatten()
    {
        built.remove();
    }
    leptos::mount::mount_to_body(colloquy::app::App);
}
