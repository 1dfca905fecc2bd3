//! What is new to a reader: the comments posted since their last visit to a thread, and when
//! one visit ends and the next begins.

use super::timestamp::{compare, parse_millis};
use super::Comment;

/// Openings of a thread less than this far apart are one visit: a reload, or a look at
/// another post and back, keeps the marks of what is new.
pub const SAME_VISIT_MILLIS: i64 = 30 * 60 * 1000;

/// A reader's visits to one thread, as this browser keeps them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visits {
    /// Comments posted after this instant (RFC 3339) are new to the reader.
    pub seen_until: String,
    /// When the thread was last opened (RFC 3339).
    pub last_opened: String,
}

impl Visits {
    /// The visits once the thread is opened at `now`. A first opening marks nothing new (every
    /// comment would be); within a visit the marks stay; a later visit marks what was posted
    /// since the last opening of the visit before.
    pub fn opened(before: Option<Visits>, now: &str) -> Visits {
        let seen_until = match before {
            None => now.to_owned(),
            Some(before) => {
                let same_visit = match (parse_millis(&before.last_opened), parse_millis(now)) {
                    (Some(then), Some(now)) => now - then < SAME_VISIT_MILLIS,
                    _ => false,
                };
                if same_visit {
                    before.seen_until
                } else {
                    before.last_opened
                }
            }
        };
        Visits {
            seen_until,
            last_opened: now.to_owned(),
        }
    }

    /// The stored form: the two instants, `seen_until` first, separated by a space.
    pub fn to_record(&self) -> String {
        format!("{} {}", self.seen_until, self.last_opened)
    }

    /// Reads the stored form; `None` for anything else.
    pub fn from_record(record: &str) -> Option<Visits> {
        let (seen_until, last_opened) = record.split_once(' ')?;
        Some(Visits {
            seen_until: seen_until.to_owned(),
            last_opened: last_opened.to_owned(),
        })
    }

    /// The visits once the reader marks everything read at `now`.
    pub fn all_read(now: &str) -> Visits {
        Visits {
            seen_until: now.to_owned(),
            last_opened: now.to_owned(),
        }
    }
}

/// Whether `comment` is new to reader `me` (a browser id), who has seen the thread until
/// `seen_until`: posted after it, by someone else, and not deleted. A time that does not parse
/// is never new.
pub fn is_unread(comment: &Comment, seen_until: i64, me: &str) -> bool {
    !comment.deleted
        && comment.author_key.as_deref() != Some(me)
        && parse_millis(&comment.created_at).is_some_and(|created| created > seen_until)
}

/// How many of `comments` are new to `me`.
pub fn unread_count(comments: &[Comment], seen_until: &str, me: &str) -> usize {
    let Some(seen_until) = parse_millis(seen_until) else {
        return 0;
    };
    comments
        .iter()
        .filter(|comment| is_unread(comment, seen_until, me))
        .count()
}

/// Until when "Mark all as read" marks the thread read: `now`, or the newest comment's time
/// where its writer's clock ran ahead of this browser's.
pub fn read_until(comments: &[Comment], now: &str) -> String {
    comments
        .iter()
        .map(|comment| comment.created_at.as_str())
        .filter(|created| parse_millis(created).is_some())
        .chain([now])
        .max_by(|a, b| compare(a, b))
        .unwrap_or(now)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str, author_key: &str, created_at: &str) -> Comment {
        Comment {
            id: id.into(),
            post_id: "post".into(),
            parent_id: None,
            author: "Someone".into(),
            author_key: Some(author_key.into()),
            body: "Text".into(),
            created_at: created_at.into(),
            updated_at: String::new(),
            deleted: false,
            target: None,
            account: None,
            account_role: None,
        }
    }

    fn visits(seen_until: &str, last_opened: &str) -> Visits {
        Visits {
            seen_until: seen_until.into(),
            last_opened: last_opened.into(),
        }
    }

    #[test]
    fn the_stored_form_reads_back() {
        let kept = visits("2026-12-01T09:00:00.000Z", "2026-12-02T10:00:00.000Z");
        assert_eq!(
            kept.to_record(),
            "2026-12-01T09:00:00.000Z 2026-12-02T10:00:00.000Z"
        );
        assert_eq!(Visits::from_record(&kept.to_record()), Some(kept));
        assert_eq!(Visits::from_record("2026-12-01T09:00:00.000Z"), None);
    }

    #[test]
    fn a_first_opening_marks_nothing() {
        let now = "2026-12-02T10:00:00.000Z";
        assert_eq!(Visits::opened(None, now), visits(now, now));
    }

    #[test]
    fn a_reload_within_a_visit_keeps_the_marks() {
        let before = visits("2026-12-01T09:00:00.000Z", "2026-12-02T10:00:00.000Z");
        let opened = Visits::opened(Some(before), "2026-12-02T10:29:00.000Z");
        assert_eq!(
            opened,
            visits("2026-12-01T09:00:00.000Z", "2026-12-02T10:29:00.000Z")
        );
    }

    #[test]
    fn a_later_visit_marks_what_came_after_the_last_opening() {
        let before = visits("2026-12-01T09:00:00.000Z", "2026-12-02T10:00:00.000Z");
        let opened = Visits::opened(Some(before), "2026-12-02T10:30:00.000Z");
        assert_eq!(
            opened,
            visits("2026-12-02T10:00:00.000Z", "2026-12-02T10:30:00.000Z")
        );
    }

    #[test]
    fn a_record_whose_time_does_not_parse_begins_a_new_visit() {
        let before = visits("2026-12-01T09:00:00.000Z", "yesterday");
        let opened = Visits::opened(Some(before), "2026-12-02T10:00:00.000Z");
        assert_eq!(opened.seen_until, "yesterday");
        assert_eq!(
            unread_count(
                &[comment("a", "other", "2026-12-02T09:00:00.000Z")],
                &opened.seen_until,
                "me"
            ),
            0
        );
    }

    #[test]
    fn new_means_posted_since_by_someone_else_and_not_deleted() {
        let seen_until = "2026-12-02T10:00:00.000Z";
        let mut deleted = comment("d", "other", "2026-12-02T11:00:00.000Z");
        deleted.deleted = true;
        let comments = [
            comment("old", "other", "2026-12-02T09:59:59.999Z"),
            comment("new", "other", "2026-12-02T10:00:00.001Z"),
            // Another spelling of a later instant.
            comment("offset", "other", "2026-12-02T12:30:00+02:00"),
            comment("mine", "me", "2026-12-02T11:00:00.000Z"),
            comment("garbled", "other", "not a time"),
            deleted,
        ];
        let millis = parse_millis(seen_until).unwrap();
        let new: Vec<&str> = comments
            .iter()
            .filter(|c| is_unread(c, millis, "me"))
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(new, ["new", "offset"]);
        assert_eq!(unread_count(&comments, seen_until, "me"), 2);
    }

    #[test]
    fn everything_is_read_until_now_or_a_newer_comment() {
        let now = "2026-12-02T10:00:00.000Z";
        let ahead = comment("ahead", "other", "2026-12-02T10:02:00.000Z");
        let behind = comment("behind", "other", "2026-12-02T09:00:00.000Z");
        let garbled = comment("garbled", "other", "9999 AD");
        assert_eq!(read_until(&[behind.clone(), garbled.clone()], now), now);
        assert_eq!(
            read_until(&[behind, ahead, garbled], now),
            "2026-12-02T10:02:00.000Z"
        );
    }

    #[test]
    fn marking_all_read_leaves_nothing_new() {
        let comments = [comment("new", "other", "2026-12-02T10:00:00.001Z")];
        let read = Visits::all_read("2026-12-02T10:05:00.000Z");
        assert_eq!(unread_count(&comments, &read.seen_until, "me"), 0);
        // And the next opening, within the visit, keeps it so.
        let reopened = Visits::opened(Some(read), "2026-12-02T10:06:00.000Z");
        assert_eq!(unread_count(&comments, &reopened.seen_until, "me"), 0);
    }
}
