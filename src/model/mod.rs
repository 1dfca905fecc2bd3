//! The comment model: comments and likes, staff moderation and checkpoints, readers' reports, merging copies, the derived thread view, mentions,
//! composing, the stored schema, exports, avatars and what is new to a reader.
//!
//! Pure Rust, no browser types.

pub mod account;
pub mod anchor;
pub mod avatar;
pub mod checkpoint;
pub mod comment;
pub mod compose;
pub mod export;
pub mod mention;
pub mod merge;
pub mod moderation;
pub mod order;
pub mod report;
pub mod schema;
pub mod thread;
pub mod timestamp;
pub mod unread;

#[cfg(test)]
pub(crate) mod fixtures;

pub use comment::{Comment, Like};
pub use merge::ThreadData;
pub use moderation::Moderation;
pub use report::Report;
pub use thread::{SortOrder, ThreadNode, ThreadView};
