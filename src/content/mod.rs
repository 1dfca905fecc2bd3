//! Post content as data: the catalogue (`posts.json`), front matter and the Markdown pipeline.
//!
//! Everything here is pure Rust with no browser types, so it is tested natively.

pub mod catalog;
pub mod front_matter;
pub mod markdown;
pub mod protocol;
pub mod yaml_lite;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A post's source split into its metadata and its rendered body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub meta: front_matter::FrontMatter,
    pub document: markdown::Document,
}

/// Why a post's source could not become a `Post`.
#[derive(Clone, Debug, PartialEq)]
pub enum PostError {
    FrontMatter(front_matter::FrontMatterError),
}

impl fmt::Display for PostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostError::FrontMatter(e) => e.fmt(f),
        }
    }
}

impl Post {
    /// Parses a post source: a YAML front matter block followed by Markdown.
    pub fn parse(source: &str) -> Result<Post, PostError> {
        let (meta, body) = front_matter::split(source).map_err(PostError::FrontMatter)?;
        Ok(Post {
            meta,
            document: markdown::render(body),
        })
    }
}
