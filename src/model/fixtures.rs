//! Builders for the model's tests: comments and likes with only the fields a test cares about.

use super::comment::{Comment, Like};

/// A live comment posted `minute` minutes after 2026-01-01T00:00Z.
pub fn comment(id: &str, parent: Option<&str>, author: &str, minute: u32) -> Comment {
    let created_at = at_minute(minute);
    Comment {
        id: id.into(),
        post_id: "post".into(),
        parent_id: parent.map(str::to_owned),
        author: author.into(),
        author_key: None,
        body: format!("Comment {id} by {author}."),
        updated_at: created_at.clone(),
        created_at,
        deleted: false,
        target: None,
        account: None,
        account_role: None,
    }
}

pub fn deleted(mut comment: Comment) -> Comment {
    comment.deleted = true;
    comment
}

pub fn like(comment_id: &str, browser_id: &str, liked: bool, minute: u32) -> Like {
    Like {
        comment_id: comment_id.into(),
        browser_id: browser_id.into(),
        liked,
        updated_at: at_minute(minute),
    }
}

pub fn at_minute(minute: u32) -> String {
    let millis = 1_767_225_600_000_i64 + i64::from(minute) * 60_000;
    super::timestamp::format_millis(millis)
}
