//! One comment and one like, as they are stored and exchanged (the seed file, the stores, exports).

use super::account::StaffRole;
use super::anchor::Passage;
use super::timestamp;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The derived `Ord` compares every field; `merge` uses it only as the last tie-break.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    /// Chosen by the client that wrote it, so every retry of a write is idempotent.
    pub id: String,
    /// The post the comment belongs to; empty in the seed file, where the folder says it.
    #[serde(default)]
    pub post_id: String,
    /// The comment this one replies to; `None` at top level.
    #[serde(default)]
    pub parent_id: Option<String>,
    pub author: String,
    /// The random id of the browser that wrote the comment; it decides what "own" means.
    #[serde(default)]
    pub author_key: Option<String>,
    /// Markdown, rendered with the comment profile.
    pub body: String,
    /// RFC 3339 UTC; the app writes JS `toISOString()` form. See `timestamp` for ordering.
    pub created_at: String,
    /// The last edit or delete; empty means never changed (see `last_change`).
    #[serde(default)]
    pub updated_at: String,
    /// Deleted comments are kept so that a delete survives merging with an older copy.
    #[serde(default)]
    pub deleted: bool,
    /// The passage of the post the comment is about, if any (W3C Web Annotation selectors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Box<Passage>>,
    /// The account that wrote it, on a store with accounts (checked there at write time).
    /// Plain text fields, not a nested record: their readers are already in every module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The staff role the account held when it wrote the comment (`StaffRole::name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_role: Option<String>,
}

impl Comment {
    /// The staff role the comment was written with, if any (an unknown name is none).
    pub fn staff_role(&self) -> Option<StaffRole> {
        self.account_role.as_deref().and_then(StaffRole::from_name)
    }

    /// When the comment last changed: `updated_at`, or `created_at` if it was never updated.
    pub fn last_change(&self) -> &str {
        if self.updated_at.is_empty() {
            &self.created_at
        } else {
            &self.updated_at
        }
    }
}

/// The cache key of a comment's rendered body: it changes when the comment is edited.
pub fn render_key(comment: &Comment) -> String {
    format!("{}@{}", comment.id, comment.last_change())
}

/// The order in which comments were posted: by `created_at` as time, then by id.
pub fn posting_order(a: &Comment, b: &Comment) -> Ordering {
    posting_key(a).cmp(&posting_key(b))
}

/// Creation time in milliseconds (if it parses), creation time as written, id.
pub type PostingKey<'a> = (Option<i64>, &'a str, &'a str);

/// The sort key of `posting_order`, for sorting many comments without re-parsing times.
pub fn posting_key(comment: &Comment) -> PostingKey<'_> {
    let (millis, text) = timestamp::sort_key(&comment.created_at);
    (millis, text, &comment.id)
}

/// One browser's like of one comment. Unliking keeps the record with `liked: false`, so the
/// latest decision per (comment, browser) wins when copies are merged.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Like {
    pub comment_id: String,
    pub browser_id: String,
    pub liked: bool,
    /// RFC 3339 UTC, as for comments.
    pub updated_at: String,
}

/// Parses a seed comments file: a JSON array of comments.
pub fn parse_seed(json: &str) -> Result<Vec<Comment>, String> {
    serde_json::from_str(json)
        .map_err(|e| format!("the comments file is not a valid list of comments: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../content/posts/the-struggle-for-freedom/comments.json");

    #[test]
    fn the_seed_thread_has_parker_first() {
        let comments = parse_seed(SEED).unwrap();
        assert_eq!(comments.len(), 4);
        assert!(comments[0].author.starts_with("Parker"));
        assert!(comments[1].body.starts_with("I agree with Parker."));
        assert!(comments.iter().all(|c| c.parent_id.is_none()));
        assert!(comments
            .windows(2)
            .all(|w| w[0].created_at < w[1].created_at));
    }

    #[test]
    fn seed_comments_get_the_defaults_of_the_new_fields() {
        for comment in parse_seed(SEED).unwrap() {
            assert_eq!(comment.post_id, "");
            assert_eq!(comment.author_key, None);
            assert_eq!(comment.updated_at, "");
            assert!(!comment.deleted);
            assert_eq!(comment.last_change(), comment.created_at);
        }
    }

    #[test]
    fn a_malformed_file_is_named() {
        assert!(parse_seed("[{\"id\": 1}]")
            .unwrap_err()
            .contains("not a valid list"));
    }

    #[test]
    fn fields_are_camel_case_and_round_trip() {
        let comment = Comment {
            id: "c1".into(),
            post_id: "p".into(),
            parent_id: Some("c0".into()),
            author: "Maya".into(),
            author_key: Some("browser-1".into()),
            body: "Hi".into(),
            created_at: "2026-11-26T14:23:20.123Z".into(),
            updated_at: "2026-11-26T14:25:00.000Z".into(),
            deleted: true,
            target: None,
            account: None,
            account_role: None,
        };
        let json = serde_json::to_string(&comment).unwrap();
        for key in [
            "postId",
            "parentId",
            "authorKey",
            "createdAt",
            "updatedAt",
            "deleted",
        ] {
            assert!(json.contains(&format!("\"{key}\"")), "{key} in {json}");
        }
        assert_eq!(serde_json::from_str::<Comment>(&json).unwrap(), comment);
        assert_eq!(comment.last_change(), "2026-11-26T14:25:00.000Z");
    }

    fn on_a_passage() -> Comment {
        let mut comment = parse_seed(SEED).unwrap().remove(0);
        comment.target = Some(Box::new(Passage {
            exact: "never given".into(),
            prefix: "freedom is ".into(),
            suffix: ". Injustice".into(),
            start: 80,
            end: 91,
        }));
        comment
    }

    #[test]
    fn a_target_is_stored_as_a_w3c_web_annotation_target() {
        let comment = on_a_passage();
        let value = serde_json::to_value(&comment).unwrap();
        assert_eq!(
            value["target"],
            serde_json::json!({"selector": [
                {"type": "TextQuoteSelector", "exact": "never given",
                 "prefix": "freedom is ", "suffix": ". Injustice"},
                {"type": "TextPositionSelector", "start": 80, "end": 91},
            ]})
        );
        assert_eq!(serde_json::from_value::<Comment>(value).unwrap(), comment);
    }

    #[test]
    fn a_comment_without_a_passage_has_no_target_key_and_old_ones_load() {
        let plain = parse_seed(SEED).unwrap().remove(0);
        assert_eq!(plain.target, None);
        let json = serde_json::to_string(&plain).unwrap();
        assert!(!json.contains("target"), "{json}");
        assert_eq!(serde_json::from_str::<Comment>(&json).unwrap(), plain);
        let with_null = json.replacen('{', "{\"target\":null,", 1);
        assert_eq!(serde_json::from_str::<Comment>(&with_null).unwrap(), plain);
    }

    #[test]
    fn likes_are_camel_case() {
        let like = Like {
            comment_id: "c1".into(),
            browser_id: "b".into(),
            liked: true,
            updated_at: "2026-11-26T14:23:20.123Z".into(),
        };
        let json = serde_json::to_string(&like).unwrap();
        assert!(json.contains("\"commentId\"") && json.contains("\"browserId\""));
        assert_eq!(serde_json::from_str::<Like>(&json).unwrap(), like);
    }

    #[test]
    fn posting_order_reads_times_as_times_then_ids() {
        let at = |id: &str, time: &str| Comment {
            id: id.into(),
            post_id: String::new(),
            parent_id: None,
            author: "A".into(),
            author_key: None,
            body: String::new(),
            created_at: time.into(),
            updated_at: String::new(),
            deleted: false,
            target: None,
            account: None,
            account_role: None,
        };
        let whole = at("b", "2019-03-15T09:12:00Z");
        let later = at("a", "2019-03-15T09:12:00.500Z");
        assert_eq!(posting_order(&whole, &later), Ordering::Less);
        let twin = at("c", "2019-03-15T09:12:00Z");
        assert_eq!(posting_order(&whole, &twin), Ordering::Less);
        assert_eq!(posting_order(&twin, &whole), Ordering::Greater);
    }
}
