//! The page's side of the post editor's module (`src/bin/editor_app.rs`): loaded only when a
//! reader opens the editor.

use crate::web::wasm_module;
use js_sys::Array;
use wasm_bindgen::JsValue;

/// Mounts the editor into `slot`, for draft `draft` or published post `edit`.
pub async fn mount_editor(
    slot: web_sys::HtmlElement,
    draft: Option<&str>,
    edit: Option<&str>,
) -> Result<(), String> {
    let exports = wasm_module::exports("editor_app").await?;
    let optional = |value: Option<&str>| value.map_or(JsValue::UNDEFINED, JsValue::from_str);
    let arguments = Array::of3(&slot, &optional(draft), &optional(edit));
    wasm_module::call(&exports, "mount_editor", &arguments).map(|_| ())
}
