//! Browser glue the views share: loading files, reading the URL, locale-aware formatting.

pub mod account;
pub mod body_cache;
pub mod cite;
pub mod content_worker;
pub mod drafts;
pub mod editor_module;
pub mod embed;
pub mod fetch;
pub mod format;
pub mod identity;
pub mod locale;
pub mod location;
pub mod perf;
pub mod published;
pub mod published_reader;
pub mod thread_module;
pub mod visits;
pub mod wasm_module;
pub mod worker;
