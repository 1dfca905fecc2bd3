//! Citations: Pandoc's citation syntax, the messages to the citation worker, and formatting
//! with hayagriva (which only the worker links).

pub mod format;
pub mod protocol;
pub mod syntax;
