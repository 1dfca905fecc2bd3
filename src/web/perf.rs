//! Paint timing: running work once a frame is on screen, and the performance marks the
//! benchmarks (`bench/`) read for the app's milestones.

/// Set when the thread module starts mounting a post's thread.
pub const THREAD_MOUNT: &str = "colloquy:thread-mount";
/// Set once per page, in the first task after the frame that shows the post and its thread.
pub const THREAD_PAINTED: &str = "colloquy:thread-painted";

pub fn mark(name: &str) {
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark(name);
    }
}

/// Runs `action` after the next frame has been painted (a frame callback, then a task).
pub fn after_paint(action: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(action, std::time::Duration::ZERO);
    });
}

/// Marks `name` after the next frame has been painted.
pub fn mark_after_paint(name: &'static str) {
    after_paint(move || mark(name));
}
