//! Where the post editor goes (`./?write`, `./?edit=<slug>`): the app loads the editor's own
//! module and lets it fill the page, saying so while it loads and why if it cannot.

use crate::web::{editor_module, locale};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn EditorSlot(draft: Option<String>, edit: Option<String>) -> impl IntoView {
    let words = locale::page();
    crate::ui::set_page_title(words.write_a_post);
    let slot: NodeRef<html::Div> = NodeRef::new();
    // The editor and its preview side by side need more than a post's measure.
    if let Some(main) = document().get_element_by_id("main") {
        let _ = main.class_list().add_1("is-wide");
        on_cleanup(move || {
            let _ = main.class_list().remove_1("is-wide");
        });
    }
    let state = RwSignal::new(None::<Result<(), String>>);
    Effect::new(move |mounted: Option<bool>| {
        if mounted == Some(true) {
            return true;
        }
        let Some(slot) = slot.get() else {
            return false;
        };
        let (draft, edit) = (draft.clone(), edit.clone());
        leptos::task::spawn_local(async move {
            let mounted =
                editor_module::mount_editor(slot.into(), draft.as_deref(), edit.as_deref()).await;
            state.set(Some(mounted));
        });
        true
    });
    view! {
        {move || match state.get() {
            None => Some(view! {
                <p class="thread-status" role="status">{words.loading_editor}</p>
            }.into_any()),
            Some(Err(error)) => Some(view! {
                <section class="error-page" role="alert" aria-labelledby="error-title">
                    <h1 id="error-title">{words.write_a_post}</h1>
                    <p class="error-detail">{error}</p>
                </section>
            }.into_any()),
            Some(Ok(())) => None,
        }}
        <div class="editor-slot" node_ref=slot></div>
    }
}
