//! Colloquy: a course-blog post with citations and a comment thread, as a static Leptos app.
//!
//! `content` and `model` are pure Rust (tested natively); `web` and `ui` are the browser shell.

pub mod app;
pub mod cite;
pub mod config;
pub mod content;
pub mod i18n;
pub mod model;
pub mod store;
pub mod ui;
pub mod web;
