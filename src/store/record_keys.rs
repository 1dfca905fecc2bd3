//! The localStorage keys of single records, used where IndexedDB cannot be opened: a comment is
//! kept under `colloquy:c:<space>:<id>`, a like under `colloquy:l:<space>:<comment>:<browser>`,
//! each holding the record's saved form (JSON). Every part has `%` and `:` escaped (`%25`,
//! `%3A`), so a part never holds a `:`: one space's keys never start another's, and a key with
//! more parts (a backup, `<key>:backup:<time>`) is no record's. Also the change another tab's
//! write of such a key stands for. Plain Rust.

use super::records::{comment_from_json, like_from_json};
use super::Change;

const COMMENT: &str = "colloquy:c:";
const LIKE: &str = "colloquy:l:";

/// What a key of a space holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Comment,
    Like,
}

fn escape(part: &str) -> String {
    part.replace('%', "%25").replace(':', "%3A")
}

/// The key of comment `id` in `space`.
pub fn comment_key(space: &str, id: &str) -> String {
    format!("{COMMENT}{}:{}", escape(space), escape(id))
}

/// The key of `browser_id`'s like of `comment_id` in `space`.
pub fn like_key(space: &str, comment_id: &str, browser_id: &str) -> String {
    let [space, comment_id, browser_id] = [space, comment_id, browser_id].map(escape);
    format!("{LIKE}{space}:{comment_id}:{browser_id}")
}

/// What `key` holds if it is a record key of `space`: a comment's has one part after the
/// space, a like's two.
pub fn kind_in(space: &str, key: &str) -> Option<Kind> {
    let space = escape(space);
    let after = |prefix: &str| {
        key.strip_prefix(prefix)?
            .strip_prefix(space.as_str())?
            .strip_prefix(':')
    };
    match (after(COMMENT), after(LIKE)) {
        (Some(rest), _) if !rest.contains(':') => Some(Kind::Comment),
        (_, Some(rest)) if rest.matches(':').count() == 1 => Some(Kind::Like),
        _ => None,
    }
}

/// The change another tab made by writing `value` under `key`, if that is the key of the
/// record `value` holds in the local store's thread of `post_id` (its space is named by the
/// post) and can be read.
pub fn change_in(post_id: &str, key: &str, value: &str) -> Option<Change> {
    match kind_in(post_id, key)? {
        Kind::Comment => {
            let comment = comment_from_json(post_id, value)?;
            (comment_key(post_id, &comment.id) == key).then_some(Change::Comment(comment))
        }
        Kind::Like => {
            let like = like_from_json(value)?;
            let own_key = like_key(post_id, &like.comment_id, &like.browser_id) == key;
            own_key.then_some(Change::Like(like))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{comment, like};

    #[test]
    fn plain_keys_read_as_documented() {
        assert_eq!(comment_key("post", "c1"), "colloquy:c:post:c1");
        assert_eq!(like_key("post", "c1", "b1"), "colloquy:l:post:c1:b1");
        assert_eq!(
            comment_key("rest-cache:post", "a:b%"),
            "colloquy:c:rest-cache%3Apost:a%3Ab%25"
        );
    }

    #[test]
    fn a_key_is_known_as_its_space_s_comment_or_like_whatever_its_parts_hold() {
        for (space, id) in [
            ("post", "c1"),
            ("rest-cache:post", "a:b"),
            ("100%", "%3A"),
            ("", ""),
        ] {
            assert_eq!(
                kind_in(space, &comment_key(space, id)),
                Some(Kind::Comment),
                "{space} {id}"
            );
            assert_eq!(
                kind_in(space, &like_key(space, id, "b:1")),
                Some(Kind::Like),
                "{space} {id}"
            );
        }
    }

    #[test]
    fn a_space_s_keys_are_not_another_s() {
        assert_eq!(
            kind_in("rest-cache", &comment_key("rest-cache:post", "c1")),
            None
        );
        assert_eq!(kind_in("post", &comment_key("rest-cache:post", "c1")), None);
        assert_eq!(kind_in("post", &comment_key("post-2", "c1")), None);
        assert_eq!(kind_in("post-2", &comment_key("post", "c1")), None);
        assert_eq!(kind_in("post", &like_key("post:c1", "b1", "x")), None);
    }

    #[test]
    fn other_keys_are_no_record_keys() {
        for key in [
            "colloquy:thread:post",
            "colloquy:c:post",
            "colloquy:c:post:c1:backup:123",
            "colloquy:l:post:c1",
            "colloquy:l:post:c1:b1:backup:123",
            "colloquy:outbox:post",
            "c:post:c1",
        ] {
            assert_eq!(kind_in("post", key), None, "{key}");
        }
    }

    #[test]
    fn another_tab_s_write_is_the_record_it_wrote() {
        let c = comment("c1", None, "A", 1);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            change_in("post", &comment_key("post", "c1"), &json),
            Some(Change::Comment(c))
        );
        let l = like("c1", "b1", true, 2);
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(
            change_in("post", &like_key("post", "c1", "b1"), &json),
            Some(Change::Like(l))
        );
    }

    #[test]
    fn a_write_elsewhere_or_unreadable_is_no_change() {
        let c = comment("c1", None, "A", 1);
        let json = serde_json::to_string(&c).unwrap();
        for (key, value) in [
            (comment_key("other", "c1"), json.as_str()),
            (comment_key("rest-cache:post", "c1"), json.as_str()),
            (comment_key("post", "c2"), json.as_str()),
            (like_key("post", "c1", "b1"), json.as_str()),
            (comment_key("post", "c1"), "{broken"),
            ("colloquy:thread:post".into(), json.as_str()),
        ] {
            assert_eq!(change_in("post", &key, value), None, "{key}");
        }
    }
}
