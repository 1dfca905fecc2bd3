//! Paint timing: running work once a frame is on screen or in a task of its own, and the
//! performance marks the benchmarks (`bench/`) read for the app's milestones.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Set when the thread module starts mounting a post's thread.
pub const THREAD_MOUNT: &str = "colloquy:thread-mount";
/// Set once per page, in the first task after the frame that shows the post and its thread.
pub const THREAD_PAINTED: &str = "colloquy:thread-painted";

pub fn mark(name: &str) {
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark(name);
    }
}

/// Runs `action` once after the next frame has been painted (a frame callback, then a
/// task), or after `PAINT_WAIT_LIMIT` if no frame comes: a hidden frame (`display: none`, as
/// in a collapsed LMS module) or a background tab paints none, and the work must be late
/// there, never lost.
pub fn after_paint(action: impl FnOnce() + 'static) {
    let pending = Rc::new(Cell::new(Some(action)));
    let run = move || {
        if let Some(action) = pending.take() {
            action();
        }
    };
    next_frame_then_task(run.clone());
    leptos::prelude::set_timeout(run, PAINT_WAIT_LIMIT);
}

const PAINT_WAIT_LIMIT: Duration = Duration::from_millis(250);

fn next_frame_then_task(action: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(action, Duration::ZERO);
    });
}

/// Marks `name` after the next frame has been painted (never sooner, for the benchmarks).
pub fn mark_after_paint(name: &'static str) {
    next_frame_then_task(move || mark(name));
}

/// Runs `action` in a task of its own, so the browser can paint and answer input before it.
/// The thread module's start is cut into such tasks: the browser compiles each wasm function
/// the first time it runs, so on a phone every step of the first render costs tens of
/// milliseconds, and together they would block the page for one long task.
pub fn in_own_task(action: impl FnOnce() + 'static) {
    leptos::prelude::set_timeout(action, Duration::ZERO);
}

/// Resolves in a task of its own (see `in_own_task`), for async work.
pub async fn next_task() {
    let (done, wait) = futures_channel::oneshot::channel::<()>();
    in_own_task(move || {
        let _ = done.send(());
    });
    let _ = wait.await;
}
