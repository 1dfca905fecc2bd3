//! The localStorage keys of single records, used where IndexedDB cannot be opened: a comment is
//! kept under `colloquy:c:<space>:<id>`, a like under `colloquy:l:<space>:<comment>:<browser>`,
//! each holding the record's saved form (JSON). Every part has `%` and `:` escaped (`%25`,
//! `%3A`), so a key reads back into its parts and one space's keys never start another's.
//! Also the change another tab's write of such a key stands for. Plain Rust.

use super::records::{comment_from_json, like_from_json};
use super::Change;

const COMMENT: &str = "colloquy:c:";
const LIKE: &str = "colloquy:l:";

/// What a record key names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordKey {
    Comment {
        space: String,
        id: String,
    },
    Like {
        space: String,
        comment_id: String,
        browser_id: String,
    },
}

fn escape(part: &str) -> String {
    part.replace('%', "%25").replace(':', "%3A")
}

/// The part `escape` made, or `None` for any other escape (so each key has one reading).
fn unescape(part: &str) -> Option<String> {
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        out.push(match rest.get(at + 1..at + 3)? {
            "25" => '%',
            "3A" => ':',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Some(out)
}

fn join(prefix: &str, parts: &[&str]) -> String {
    let parts: Vec<String> = parts.iter().map(|p| escape(p)).collect();
    format!("{prefix}{}", parts.join(":"))
}

/// The key of comment `id` in `space`.
pub fn comment_key(space: &str, id: &str) -> String {
    join(COMMENT, &[space, id])
}

/// The key of `browser_id`'s like of `comment_id` in `space`.
pub fn like_key(space: &str, comment_id: &str, browser_id: &str) -> String {
    join(LIKE, &[space, comment_id, browser_id])
}

/// How every key of `space`'s records begins (comments', likes').
pub fn prefixes(space: &str) -> [String; 2] {
    [
        format!("{COMMENT}{}:", escape(space)),
        format!("{LIKE}{}:", escape(space)),
    ]
}

/// What `key` names, or `None` if it is no record key (another of Colloquy's keys, a backup).
pub fn parse(key: &str) -> Option<RecordKey> {
    let (is_like, rest) = match (key.strip_prefix(COMMENT), key.strip_prefix(LIKE)) {
        (Some(rest), _) => (false, rest),
        (None, Some(rest)) => (true, rest),
        (None, None) => return None,
    };
    let parts = rest
        .split(':')
        .map(unescape)
        .collect::<Option<Vec<String>>>()?;
    match (is_like, <[String; 2]>::try_from(parts)) {
        (false, Ok([space, id])) => Some(RecordKey::Comment { space, id }),
        (false, Err(_)) => None,
        (true, Ok(_)) => None,
        (true, Err(parts)) => {
            let [space, comment_id, browser_id] = <[String; 3]>::try_from(parts).ok()?;
            Some(RecordKey::Like {
                space,
                comment_id,
                browser_id,
            })
        }
    }
}

/// The change another tab made by writing `value` under `key`, if that is a record of the
/// local store's thread of `post_id` (its space is named by the post) and can be read.
pub fn change_in(post_id: &str, key: &str, value: &str) -> Option<Change> {
    match parse(key)? {
        RecordKey::Comment { space, id } if space == post_id => {
            let comment = comment_from_json(post_id, value)?;
            (comment.id == id).then_some(Change::Comment(comment))
        }
        RecordKey::Like {
            space,
            comment_id,
            browser_id,
        } if space == post_id => {
            let like = like_from_json(post_id, value)?;
            let same = like.comment_id == comment_id && like.browser_id == browser_id;
            same.then_some(Change::Like(like))
        }
        _ => None,
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
            prefixes("post"),
            ["colloquy:c:post:".to_owned(), "colloquy:l:post:".to_owned()]
        );
    }

    #[test]
    fn keys_read_back_into_their_parts_whatever_they_hold() {
        for (space, id) in [
            ("post", "c1"),
            ("rest-cache:post", "a:b"),
            ("100%", "%3A"),
            ("", ""),
        ] {
            let key = comment_key(space, id);
            assert_eq!(
                parse(&key),
                Some(RecordKey::Comment {
                    space: space.into(),
                    id: id.into()
                }),
                "{key}"
            );
            assert!(key.starts_with(&prefixes(space)[0]));
            let key = like_key(space, id, "b:1");
            assert_eq!(
                parse(&key),
                Some(RecordKey::Like {
                    space: space.into(),
                    comment_id: id.into(),
                    browser_id: "b:1".into()
                }),
                "{key}"
            );
            assert!(key.starts_with(&prefixes(space)[1]));
        }
    }

    #[test]
    fn a_space_s_keys_do_not_start_another_s() {
        let cache = comment_key("rest-cache:post", "c1");
        assert!(!cache.starts_with(&prefixes("rest-cache")[0]));
        assert!(!comment_key("post-2", "c1").starts_with(&prefixes("post")[0]));
    }

    #[test]
    fn other_keys_are_no_record_keys() {
        for key in [
            "colloquy:thread:post",
            "colloquy:c:post",
            "colloquy:c:post:c1:backup:123",
            "colloquy:l:post:c1",
            "colloquy:l:post:c1:b1:backup:123",
            "colloquy:c:post:c%41",
            "colloquy:c:post:c%3",
            "colloquy:outbox:post",
            "c:post:c1",
        ] {
            assert_eq!(parse(key), None, "{key}");
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
