//! The app's first load in the browser: mounts the app on the page body and nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(colloquy::app::App);
}
