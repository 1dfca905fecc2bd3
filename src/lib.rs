//! Colloquy: a course-blog post with citations and a comment thread, as a static Leptos app.
//!
//! `content` and `model` are pure Rust (tested natively); `web` and `ui` are the browser shell;
//! `site` and `cli` are the native build of the static pages.

pub mod app;
pub mod cite;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod config;
pub mod content;
pub mod i18n;
#[cfg(not(target_arch = "wasm32"))]
pub mod import;
pub mod model;
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
pub mod store;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod temp_dir;
pub mod ui;
pub mod web;
