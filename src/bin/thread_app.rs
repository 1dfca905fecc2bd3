//! The thread module of a site whose comments stay in each reader's browser (config.json's
//! store is local, the default): it carries the local store only, so the composer works
//! sooner. A site on a shared store loads `thread_app_shared` instead (`assets/post.js` and
//! `web::thread_module` choose).

#[path = "shared/thread_exports.rs"]
mod thread_exports;

const OPEN_STORE: colloquy::store::StoreOpener = colloquy::store::open_local;
/// The local store has no accounts, so no sign-in and no staff.
const CLASS_TOOLS: Option<colloquy::ui::thread_state::ClassTools> = None;

fn main() {
    // Panic messages in the console while developing; a release build carries no hook (its
    // panics abort, and the formatting machinery would weigh on every download).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}
