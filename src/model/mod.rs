//! The comment model: what a comment is, and the thread views derived from a set of them.
//!
//! Pure Rust, no browser types.

pub mod comment;

pub use comment::Comment;
