//! Stored records, as plain Rust: whose records a key holds (`Space`), the key each comment and
//! like is stored under, one record read from its saved form, which record a write keeps (the
//! merge rules, one record at a time), and the message that carries a change to this browser's
//! other tabs. No browser API here.

use super::Change;
use crate::model::merge::{winning_comment, winning_like};
use crate::model::{schema, Comment, Like};

/// The IndexedDB database, its version (the record layout's) and its object stores.
pub const DATABASE: &str = "colloquy";
pub const VERSION: u32 = 1;
pub const COMMENTS: &str = "comments";
pub const LIKES: &str = "likes";

/// A set of records kept together: `name` starts each record's key, `post_id` is the post the
/// records belong to. The local store's thread is named by its post id; a remote store's cache
/// by its kind and the post (`rest-cache:<post>`), which no post id can be (slugs have no `:`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Space {
    pub name: String,
    pub post_id: String,
}

impl Space {
    /// The local store's thread of `post_id`.
    pub fn local(post_id: &str) -> Space {
        Space {
            name: post_id.to_owned(),
            post_id: post_id.to_owned(),
        }
    }

    /// A remote store's cached copy of `post_id`'s thread; `kind` names the store.
    pub fn cache(kind: &str, post_id: &str) -> Space {
        Space {
            name: format!("{kind}:{post_id}"),
            post_id: post_id.to_owned(),
        }
    }
}

/// A comment's key in `COMMENTS`: its space, then its id.
pub fn comment_key<'a>(space: &'a str, comment: &'a Comment) -> [&'a str; 2] {
    [space, &comment.id]
}

/// A like's key in `LIKES`: its space, the comment, then the browser that liked it.
pub fn like_key<'a>(space: &'a str, like: &'a Like) -> [&'a str; 3] {
    [space, &like.comment_id, &like.browser_id]
}

/// A stored comment of `post_id` from its JSON (a comment of the thread's saved form), or
/// `None` if it cannot be read.
pub fn comment_from_json(post_id: &str, json: &str) -> Option<Comment> {
    let mut comment: Comment = serde_json::from_str(json).ok()?;
    if comment.post_id.is_empty() {
        comment.post_id = post_id.to_owned();
    }
    Some(comment)
}

/// A stored like from its JSON, or `None` if it cannot be read.
pub fn like_from_json(json: &str) -> Option<Like> {
    serde_json::from_str(json).ok()
}

/// The record to store when `incoming` is written where `stored` is kept, or `None` when the
/// stored record stands (it wins, or is the same).
pub fn comment_to_put<'a>(stored: Option<&Comment>, incoming: &'a Comment) -> Option<&'a Comment> {
    match stored {
        Some(kept) if kept == incoming || std::ptr::eq(winning_comment(kept, incoming), kept) => {
            None
        }
        _ => Some(incoming),
    }
}

/// As `comment_to_put`, for one browser's like of one comment.
pub fn like_to_put<'a>(stored: Option<&Like>, incoming: &'a Like) -> Option<&'a Like> {
    match stored {
        Some(kept) if kept == incoming || std::ptr::eq(winning_like(kept, incoming), kept) => None,
        _ => Some(incoming),
    }
}

/// A change as sent to this browser's other tabs (BroadcastChannel): its records in the
/// thread's saved form (`schema`, version 2), so no second format is needed.
pub fn message(post_id: &str, change: &Change) -> String {
    schema::save(&change.as_data(), post_id)
}

/// The changes a message carries, one per record; nothing if it is not one for `post_id`.
pub fn changes_in(post_id: &str, message: &str) -> Vec<Change> {
    schema::load(message, post_id)
        .map(Change::records)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{at_minute, comment, deleted, like};
    use crate::model::ThreadData;

    #[test]
    fn keys_put_the_post_first() {
        let c = comment("c1", None, "A", 1);
        assert_eq!(comment_key("post", &c), ["post", "c1"]);
        let l = like("c1", "b1", true, 1);
        assert_eq!(like_key("post", &l), ["post", "c1", "b1"]);
    }

    #[test]
    fn a_cache_space_is_named_apart_from_its_post() {
        assert_eq!(Space::local("post").name, "post");
        let cache = Space::cache("rest-cache", "post");
        assert_eq!(cache.name, "rest-cache:post");
        assert_eq!(cache.post_id, "post");
    }

    #[test]
    fn one_record_reads_back_from_its_json() {
        let c = comment("c1", None, "A", 1);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(comment_from_json(&c.post_id, &json), Some(c.clone()));
        let mut unposted = serde_json::to_value(&c).unwrap();
        unposted.as_object_mut().unwrap().remove("postId");
        let read = comment_from_json("post", &unposted.to_string()).unwrap();
        assert_eq!(read.post_id, "post", "a comment without its post gets it");
        let l = like("c1", "b1", true, 1);
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(like_from_json(&json), Some(l));
    }

    #[test]
    fn an_unreadable_record_is_none() {
        for json in ["", "{", "42", "[]", r#"{"id": 1}"#, r#"{"commentId": "a"}"#] {
            assert_eq!(comment_from_json("post", json), None, "{json}");
            assert_eq!(like_from_json(json), None, "{json}");
        }
        let c = comment("c1", None, "A", 1);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(like_from_json(&json), None, "a comment is not a like");
    }

    #[test]
    fn a_new_comment_is_put() {
        let c = comment("c1", None, "A", 1);
        assert_eq!(comment_to_put(None, &c), Some(&c));
    }

    #[test]
    fn the_same_comment_again_is_not_put() {
        let c = comment("c1", None, "A", 1);
        assert_eq!(comment_to_put(Some(&c.clone()), &c), None);
    }

    #[test]
    fn a_later_edit_is_put_and_an_older_one_is_not() {
        let old = comment("c1", None, "A", 1);
        let mut edited = old.clone();
        edited.body = "Edited".into();
        edited.updated_at = at_minute(5);
        assert_eq!(comment_to_put(Some(&old), &edited), Some(&edited));
        assert_eq!(comment_to_put(Some(&edited), &old), None);
    }

    #[test]
    fn a_delete_wins_over_a_later_edit_either_way() {
        let gone = deleted(comment("c1", None, "A", 1));
        let mut edited = comment("c1", None, "A", 1);
        edited.updated_at = at_minute(60);
        assert_eq!(comment_to_put(Some(&edited), &gone), Some(&gone));
        assert_eq!(comment_to_put(Some(&gone), &edited), None);
    }

    #[test]
    fn the_latest_like_decision_is_put() {
        let liked = like("c1", "b1", true, 1);
        let unliked = like("c1", "b1", false, 2);
        assert_eq!(like_to_put(None, &liked), Some(&liked));
        assert_eq!(like_to_put(Some(&liked), &unliked), Some(&unliked));
        assert_eq!(like_to_put(Some(&unliked), &liked), None);
        assert_eq!(like_to_put(Some(&liked), &liked.clone()), None);
    }

    #[test]
    fn a_message_carries_its_change_and_a_thread_as_its_records() {
        let c = comment("c1", None, "A", 1);
        let l = like("c1", "b1", true, 2);
        for change in [Change::Comment(c.clone()), Change::Like(l.clone())] {
            assert_eq!(changes_in("post", &message("post", &change)), vec![change]);
        }
        let thread = ThreadData {
            comments: vec![c.clone()],
            likes: vec![l.clone()],
            ..ThreadData::default()
        };
        assert_eq!(
            changes_in("post", &message("post", &Change::Thread(thread))),
            vec![Change::Comment(c), Change::Like(l)]
        );
    }

    #[test]
    fn a_message_for_another_post_or_not_ours_carries_nothing() {
        let change = Change::Comment(comment("c1", None, "A", 1));
        assert!(changes_in("other", &message("post", &change)).is_empty());
        for json in ["", "{}", "42", r#"{"comment": {"id": 1}}"#] {
            assert!(changes_in("post", json).is_empty(), "{json}");
        }
    }
}
