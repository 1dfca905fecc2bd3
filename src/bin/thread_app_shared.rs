//! The thread module of a site whose comments the class shares (config.json's store is REST
//! or CouchDB): the same exports as `thread_app`, with every store.

#[path = "shared/thread_exports.rs"]
mod thread_exports;

const OPEN_STORE: colloquy::store::StoreOpener = colloquy::store::open_any;
const CLASS_TOOLS: Option<colloquy::ui::thread_state::ClassTools> =
    Some(colloquy::ui::thread_state::ClassTools {
        account_bar: colloquy::ui::account::account_bar,
        comment_marks: colloquy::ui::moderation::comment_marks,
        comment_actions: colloquy::ui::moderation::comment_actions,
        discussion: colloquy::ui::moderation::discussion_tools,
        staff_view: colloquy::ui::moderation::staff_view,
    });

fn main() {
    // Panic messages in the console while developing; a release build carries no hook.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
}
