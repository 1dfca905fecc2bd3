//! One comment as it is stored and exchanged (the seed file, the stores, exports).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Chosen by the client that wrote it, so every retry of a write is idempotent.
    pub id: String,
    /// The comment this one replies to; `None` at top level.
    #[serde(default)]
    pub parent_id: Option<String>,
    pub author: String,
    /// Markdown, rendered with the comment profile.
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}

/// Parses a seed comments file: a JSON array of comments.
pub fn parse_seed(json: &str) -> Result<Vec<Comment>, String> {
    serde_json::from_str(json).map_err(|e| format!("the comments file is not a valid list of comments: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_thread_has_parker_first() {
        let comments = parse_seed(include_str!(
            "../../content/posts/the-struggle-for-freedom/comments.json"
        ))
        .unwrap();
        assert_eq!(comments.len(), 4);
        assert!(comments[0].author.starts_with("Parker"));
        assert!(comments[1].body.starts_with("I agree with Parker."));
        assert!(comments.iter().all(|c| c.parent_id.is_none()));
        assert!(comments.windows(2).all(|w| w[0].created_at < w[1].created_at));
    }

    #[test]
    fn a_malformed_file_is_named() {
        assert!(parse_seed("[{\"id\": 1}]").unwrap_err().contains("not a valid list"));
    }
}
