//! Life in an LMS iframe: knowing the page is framed, and telling the host page the content's
//! height whenever it changes, so the frame grows with the thread and shows no scrollbar.
//!
//! Two messages per change, for two kinds of host: Canvas's (also Moodle's and Sakai's)
//! `{"subject":"lti.frameResize","height":…}` as a JSON string, and `{type:
//! "colloquy:resize", height}` as an object for hosts using `examples/embed.html`'s listener.

use js_sys::{Object, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Whether the page runs inside a frame (an LMS iframe, or the embed example).
pub fn is_framed() -> bool {
    let window = leptos::prelude::window();
    match window.parent() {
        Ok(Some(parent)) => !Object::is(&parent, &window),
        // A parent that cannot even be named is some other origin's frame.
        _ => true,
    }
}

/// When framed, reports the content's height to the parent now and after every change,
/// at most once per animation frame. Does nothing in a top-level page.
pub fn report_height_changes() {
    if !is_framed() {
        return;
    }
    let document = leptos::prelude::document();
    let Some(root) = document.document_element() else {
        return;
    };
    let _ = root.set_attribute("data-framed", "");
    let last_sent = Rc::new(Cell::new(-1));
    let frame_pending = Rc::new(Cell::new(false));
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        if frame_pending.replace(true) {
            return;
        }
        let last_sent = last_sent.clone();
        let frame_pending = frame_pending.clone();
        leptos::prelude::request_animation_frame(move || {
            frame_pending.set(false);
            let height = content_height();
            if height != last_sent.replace(height) {
                send_height(height);
            }
        });
    });
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(&root);
    // The observer and its callback live as long as the page.
    on_resize.forget();
    std::mem::forget(observer);
}

/// The height the frame needs to show everything without a scrollbar, in whole CSS pixels.
fn content_height() -> i32 {
    leptos::prelude::document()
        .document_element()
        .map_or(0, |root| {
            root.get_bounding_client_rect().height().ceil() as i32
        })
}

fn send_height(height: i32) {
    let window = leptos::prelude::window();
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    // The height says nothing private, so any host may hear it: the app cannot know the
    // LMS's origin in advance.
    let canvas = format!(r#"{{"subject":"lti.frameResize","height":{height}}}"#);
    let _ = parent.post_message(&JsValue::from_str(&canvas), "*");
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &"colloquy:resize".into());
    let _ = Reflect::set(&message, &"height".into(), &JsValue::from(height));
    let _ = parent.post_message(&message, "*");
}
