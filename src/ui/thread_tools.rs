//! The thread's toolbar: sort order, and the instructor's exports (JSON, CSV, participation)
//! and, where the store is this browser's own, import of an exported JSON file.

use crate::i18n::{fill, messages};
use crate::model::thread::SortOrder;
use crate::model::{export, schema};
use crate::store::Change;
use crate::ui::thread_state::ThreadContext;
use crate::web::locale;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Offers `contents` as a file download named `file_name`.
fn download(file_name: &str, mime: &str, contents: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(file_name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn ThreadTools() -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::thread();
    let post_id = ctx.post_id.get_value();
    let import_message: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let file_input: NodeRef<leptos::html::Input> = NodeRef::new();
    let on_sort = move |event: leptos::ev::Event| {
        ctx.sort.set(match event_target_value(&event).as_str() {
            "newest" => SortOrder::NewestFirst,
            "liked" => SortOrder::MostLiked,
            _ => SortOrder::OldestFirst,
        })
    };
    let export_json = {
        let post_id = post_id.clone();
        move |_| {
            let json = ctx.with_arrived(|d| export::to_json(d, &post_id));
            download(
                &format!("{post_id}-comments.json"),
                "application/json",
                &json,
            );
        }
    };
    let export_csv = {
        let post_id = post_id.clone();
        move |_| {
            let csv = ctx.with_arrived(export::comments_csv);
            download(&format!("{post_id}-comments.csv"), "text/csv", &csv);
        }
    };
    let export_participation = {
        let post_id = post_id.clone();
        move |_| {
            let csv = ctx.with_arrived(export::participation_csv);
            download(&format!("{post_id}-participation.csv"), "text/csv", &csv);
        }
    };
    let on_import = move |event: leptos::ev::Event| {
        let Some((input, file)) = crate::ui::chosen_file(&event) else {
            return;
        };
        input.set_value("");
        let post_id = ctx.post_id.get_value();
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let message = match schema::load(&text, &post_id) {
                Err(error) => (
                    false,
                    fill(
                        words.import_failed,
                        &[("file", &file.name()), ("error", &error.to_string())],
                    ),
                ),
                Ok(data) => {
                    let count = data.comments.len();
                    match ctx.write(Change::Thread(data)).await {
                        Ok(()) => (
                            true,
                            fill(
                                &locale::count(&words.imported, count),
                                &[("file", &file.name())],
                            ),
                        ),
                        Err(error) => (false, messages::store_error(words, &error)),
                    }
                }
            };
            import_message.set(Some(message));
        });
    };
    view! {
        <div class="thread-tools">
            <label class="sort">
                {words.sort_label}
                " "
                <select name="sort" on:change=on_sort>
                    <option value="oldest" selected=true>{words.sort_oldest}</option>
                    <option value="newest">{words.sort_newest}</option>
                    <option value="liked">{words.sort_liked}</option>
                </select>
            </label>
            <details class="export">
                <summary>{words.export}</summary>
                <div class="export-actions">
                    <button type="button" on:click=export_json>{words.download_json}</button>
                    <button type="button" on:click=export_csv>{words.download_csv}</button>
                    <button type="button" on:click=export_participation>
                        {words.download_participation}
                    </button>
                    // Only into this browser's own store: a shared thread is not overwritten from
                    // a file by whoever opens it.
                    {move || ctx.local_store.get().then(|| view! {
                        <button
                            type="button"
                            on:click=move |_| {
                                if let Some(input) = file_input.get_untracked() {
                                    input.click();
                                }
                            }
                        >
                            {words.import_json}
                        </button>
                        <input
                            type="file"
                            class="visually-hidden"
                            tabindex="-1"
                            aria-hidden="true"
                            accept="application/json,.json"
                            node_ref=file_input
                            on:change=on_import
                        />
                    })}
                </div>
            </details>
            {move || import_message.get().map(|(ok, message)| view! {
                <p class=if ok { "import-result" } else { "import-result is-error" } role="status">{message}</p>
            })}
        </div>
    }
}
