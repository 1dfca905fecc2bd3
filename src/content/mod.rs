//! Post content as data: the catalogue (`posts.json`), front matter and the Markdown pipeline.
//!
//! Everything here is pure Rust with no browser types, so it is tested natively.

pub mod catalog;
pub mod front_matter;
pub mod markdown;
pub mod protocol;
pub mod published;
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

/// A short fingerprint of a text (FNV-1a, 64 bits, over its UTF-8 bytes, in hex): changes
/// whenever the text does. `assets/post.js` computes the same over a post's source to tell a
/// built page made from an older source.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
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

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_are_fnv1a_64_in_hex() {
        // FNV-1a's published values for "" and "a".
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
        assert_ne!(fingerprint("Stalin’s death"), fingerprint("Stalin's death"));
    }
}
