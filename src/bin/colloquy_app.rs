//! The app's first load in the browser: mounts the app on the page body and nothing else.

fn main() {
    // Panic messages in the console while developing; a release build carries no hook (its
    // panics abort, and the formatting machinery would weigh on every download).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(colloquy::app::App);
}
