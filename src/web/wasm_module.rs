//! Loading a module built as wasm-bindgen's no-modules target next to index.html (the thread
//! modules, the post editor): its script, then its WebAssembly, once per page however many
//! callers ask; and calling its exports. Only one such module can be on a page: each script
//! declares the global `wasm_bindgen`.

use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen]
extern "C" {
    /// The no-modules glue declares the module with a top-level `let`, which lives in the
    /// global scope but is not a property of `window`: it is read by name.
    #[wasm_bindgen(thread_local_v2, js_name = wasm_bindgen)]
    static MODULE_GLUE: JsValue;
}

thread_local! {
    /// Each module's exports, by name, once.
    static LOADS: RefCell<HashMap<&'static str, Promise>> = RefCell::new(HashMap::new());
}

fn failure(what: &str) -> JsValue {
    let words = crate::web::locale::page();
    JsValue::from_str(&crate::i18n::fill(
        words.thread_module_failed,
        &[("what", what)],
    ))
}

async fn load(name: &'static str) -> Result<JsValue, JsValue> {
    let document = leptos::prelude::document();
    let script: web_sys::HtmlScriptElement = document
        .create_element("script")
        .map_err(|_| failure("no script element"))?
        .unchecked_into();
    script.set_src(&format!("./{name}.js"));
    let loaded = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    document
        .head()
        .ok_or_else(|| failure("no document head"))?
        .append_child(&script)
        .map_err(|_| failure("script refused"))?;
    JsFuture::from(loaded)
        .await
        .map_err(|_| failure("its script did not load"))?;
    let init: Function = MODULE_GLUE
        .with(JsValue::clone)
        .dyn_into()
        .map_err(|_| failure("its script did not define it"))?;
    let options = Object::new();
    Reflect::set(
        &options,
        &"module_or_path".into(),
        &format!("./{name}_bg.wasm").into(),
    )?;
    let started: Promise = init
        .call1(&JsValue::UNDEFINED, &options)?
        .dyn_into()
        .map_err(|_| failure("it did not start"))?;
    JsFuture::from(started)
        .await
        .map_err(|_| failure("its WebAssembly did not start"))?;
    Ok(init.into())
}

/// The exports of module `name`, loaded on first use.
pub async fn exports(name: &'static str) -> Result<JsValue, String> {
    let promise = LOADS.with_borrow_mut(|loads| {
        loads
            .entry(name)
            .or_insert_with(|| future_to_promise(load(name)))
            .clone()
    });
    JsFuture::from(promise).await.map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| format!("{name} could not be loaded"))
    })
}

/// Whether the module has export `name`.
pub fn has(exports: &JsValue, name: &str) -> bool {
    Reflect::get(exports, &name.into()).is_ok_and(|f| f.is_function())
}

/// Calls export `name` with `arguments`, answering what it returns.
pub fn call(exports: &JsValue, name: &str, arguments: &Array) -> Result<JsValue, String> {
    let function: Function = Reflect::get(exports, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the module has no `{name}`"))?;
    function.apply(&JsValue::UNDEFINED, arguments).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("the module's `{name}` failed"))
    })
}
