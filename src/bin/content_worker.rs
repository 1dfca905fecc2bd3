//! The content worker: parses post sources and renders Markdown off the page's first load.
//! Messages are JSON `Envelope`s of `content::protocol` requests and replies.

use colloquy::content::protocol::{answer, Envelope, Request};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let Ok(request) = serde_json::from_str::<Envelope<Request>>(&text) else {
            return;
        };
        let reply = Envelope {
            id: request.id,
            body: answer(request.body),
        };
        if let Ok(json) = serde_json::to_string(&reply) {
            let _ = reply_scope.post_message(&JsValue::from_str(&json));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Tell the page the worker is listening; requests sent before this are queued by it.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
