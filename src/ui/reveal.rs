//! Renders a long thread where the reader is: a page of top-level comments is added when the
//! reader nears either edge of what is on screen (an `IntersectionObserver` on two markers,
//! one above the comments and one below), so the first screen is all a long thread renders
//! at first.

use crate::ui::thread_state::ThreadContext;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far beyond the screen comments are rendered ahead of the reader.
const RENDER_AHEAD: &str = "1500px 0px";

/// Adds pages as the reader nears `before` (the marker above the comments) or `after` (the
/// marker below them), one page each time a marker is near, until it no longer is.
pub fn follow_the_reader(ctx: ThreadContext, before: NodeRef<Div>, after: NodeRef<Div>) {
    let on_near = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for entry in entries.iter() {
            let entry: IntersectionObserverEntry = entry.unchecked_into();
            if !entry.is_intersecting() {
                continue;
            }
            let is_before = before.get_untracked().is_some_and(|marker| {
                let marker: &web_sys::Element = &marker;
                *marker == entry.target()
            });
            if is_before {
                show_previous_page_in_place(ctx);
            } else {
                ctx.show_next_page();
            }
        }
    });
    let options = IntersectionObserverInit::new();
    options.set_root_margin(RENDER_AHEAD);
    let Ok(observer) =
        IntersectionObserver::new_with_options(on_near.as_ref().unchecked_ref(), &options)
    else {
        // No observer (a very old browser): everything goes on screen, as it always could.
        Effect::new(move |_| {
            let total = ctx.roots.with(Vec::len);
            ctx.first_shown_page.set(0);
            ctx.shown_roots.set(total.max(1));
        });
        return;
    };
    // An observer reports a marker only when it comes near or goes away; a marker that
    // stays near after a page was added is observed afresh, which reports it again.
    let watched = StoredValue::new_local(Some((observer, on_near)));
    Effect::new(move |_| {
        ctx.roots.track();
        ctx.first_shown_page.track();
        ctx.shown_roots.track();
        let markers = [before.get(), after.get()];
        request_animation_frame(move || {
            watched.with_value(|watched| {
                if let Some((observer, _)) = watched {
                    for marker in markers.iter().flatten() {
                        observer.unobserve(marker);
                        observer.observe(marker);
                    }
                }
            })
        });
    });
    on_cleanup(move || {
        if let Some((observer, _)) = watched.try_update_value(Option::take).flatten() {
            observer.disconnect();
        }
    });
}

/// Adds the page above those on screen, keeping what the reader is reading where it is:
/// browsers with scroll anchoring do that themselves; for the others the scroll is moved by
/// as much as the new page pushed the comments down.
fn show_previous_page_in_place(ctx: ThreadContext) {
    let first_shown = document()
        .query_selector("ol.comments li.comment")
        .ok()
        .flatten();
    let top_before = first_shown
        .as_ref()
        .map(|item| item.get_bounding_client_rect().top());
    if !ctx.show_previous_page() {
        return;
    }
    request_animation_frame(move || {
        if let (Some(item), Some(before)) = (first_shown, top_before) {
            let moved = item.get_bounding_client_rect().top() - before;
            if moved.abs() > 1.0 {
                window().scroll_by_with_x_and_y(0.0, moved);
            }
        }
    });
}
