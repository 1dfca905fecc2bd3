//! The thread module of a site whose comments the class shares (config.json's store is REST
//! or CouchDB): the same exports as `thread_app`, with every store.

#[path = "shared/thread_exports.rs"]
mod thread_exports;

const OPEN_STORE: colloquy::store::StoreOpener = colloquy::store::open_any;
const ACCOUNT_BAR: Option<colloquy::ui::account::AccountBarView> =
    Some(colloquy::ui::account::account_bar);

fn main() {
    // Panic messages in the console while developing; a release build carries no hook.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}
