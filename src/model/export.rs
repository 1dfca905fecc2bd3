//! Downloads of one post's thread: the full data as JSON (importable again), a CSV of the
//! comments, and a CSV of each author's participation (with the checkpoints' columns when a
//! discussion has checkpoints): what an instructor grades from.
//!
//! CSV fields are quoted per RFC 4180, rows end in CRLF, and a field a spreadsheet would run as
//! a formula gets a leading `'`.

use super::checkpoint::{Checkpoints, Contribution, Progress};
use super::merge::ThreadData;
use super::moderation;
use super::schema;
use super::thread::{SortOrder, ThreadNode, ThreadView};
use super::timestamp;
use std::borrow::Cow;
use std::collections::HashMap;

/// The thread in the current saved format; `schema::load` reads it back. Every comment
/// carries its post's id, the seed file's too (which leaves it to the folder it is in).
pub fn to_json(data: &ThreadData, post_id: &str) -> String {
    let mut data = data.clone();
    for comment in &mut data.comments {
        if comment.post_id.is_empty() {
            comment.post_id = post_id.to_owned();
        }
    }
    schema::save(&data, post_id)
}

pub const COMMENTS_CSV_HEADER: &str =
    "number,author,time,text,words,likes,parent,edited,deleted,passage\r\n";

/// One row per comment shown, in number order: its number, author, time, text (the Markdown
/// source), words, likes, the number of the comment it replies to, whether it was edited or
/// deleted (a deleted comment is shown, as "Comment deleted", only while replies hang from it)
/// and the passage of the post it quotes.
pub fn comments_csv(data: &ThreadData) -> String {
    let view = ThreadView::build(&data.comments, &data.likes, None, SortOrder::OldestFirst);
    let mut out = String::from(COMMENTS_CSV_HEADER);
    for (node, parent) in view.in_number_order() {
        let comment = &node.comment;
        let yes_no = |value: bool| if value { "yes" } else { "no" };
        let (text, words) = if node.tombstone {
            (String::new(), String::new())
        } else {
            (comment.body.clone(), word_count(&comment.body).to_string())
        };
        let passage = comment
            .target
            .as_ref()
            .map_or("", |passage| passage.exact.as_str());
        push_row(
            &mut out,
            &[
                &node.number,
                comment.author.trim(),
                &comment.created_at,
                &text,
                &words,
                &node.likes.to_string(),
                parent.map_or("", |p| p.number.as_str()),
                yes_no(!node.tombstone && was_edited(node)),
                yes_no(node.tombstone),
                passage,
            ],
        );
    }
    out
}

/// Whether a comment changed after it was posted.
fn was_edited(node: &ThreadNode) -> bool {
    let comment = &node.comment;
    !comment.updated_at.trim().is_empty() && comment.updated_at != comment.created_at
}

/// One author's share of a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participation {
    /// As written in their first comment; authors are grouped ignoring case.
    pub author: String,
    /// Comments (top level, and replies to their own) and replies to someone else's, with
    /// how many of each came by the checkpoints' dates (none without checkpoints).
    pub counts: Progress,
    pub words: usize,
    /// Likes on their comments.
    pub likes: usize,
    /// The time of their first and last comment (RFC 3339).
    pub first: String,
    pub last: String,
}

/// Each author's live comments, replies to others, words, likes received and first and last
/// comment time, sorted by name (ignoring case). A reply to a missing comment counts as top
/// level; deleted comments count for nothing. On-time counts are against `checkpoints`.
pub fn participation(data: &ThreadData, checkpoints: &Checkpoints) -> Vec<Participation> {
    let view = ThreadView::build(&data.comments, &data.likes, None, SortOrder::OldestFirst);
    let mut by_author: HashMap<String, Participation> = HashMap::new();
    for (node, parent) in view.in_number_order() {
        if node.tombstone {
            continue;
        }
        let author = node.comment.author.trim();
        let created = node.comment.created_at.as_str();
        let entry = by_author
            .entry(author.to_lowercase())
            .or_insert_with(|| Participation {
                author: author.to_owned(),
                counts: Progress::default(),
                words: 0,
                likes: 0,
                first: created.to_owned(),
                last: created.to_owned(),
            });
        let to_someone_else = parent.is_some_and(|parent| {
            parent.tombstone || parent.comment.author.trim().to_lowercase() != author.to_lowercase()
        });
        let kind = if to_someone_else {
            Contribution::ReplyToOther
        } else {
            Contribution::Comment
        };
        entry.counts.count(kind, created, checkpoints);
        entry.words += word_count(&node.comment.body);
        entry.likes += node.likes;
        if timestamp::sort_key(created) < timestamp::sort_key(&entry.first) {
            entry.first = created.to_owned();
        }
        if timestamp::sort_key(created) > timestamp::sort_key(&entry.last) {
            entry.last = created.to_owned();
        }
    }
    let mut rows: Vec<Participation> = by_author.into_values().collect();
    super::order::sort_by(&mut rows, |a, b| {
        a.author
            .to_lowercase()
            .cmp(&b.author.to_lowercase())
            .then_with(|| a.author.cmp(&b.author))
    });
    rows
}

pub const PARTICIPATION_CSV_HEADER: &str = "author,comments,replies,words,likes,first,last\r\n";

/// The columns a discussion with checkpoints adds to `PARTICIPATION_CSV_HEADER`.
pub const CHECKPOINT_CSV_COLUMNS: &str =
    ",comments_on_time,replies_on_time,comment_checkpoint_met,replies_checkpoint_met";

/// One row per author as in `participation`; where the discussion has checkpoints, with the
/// on-time counts and whether each checkpoint was met (`yes`/`no`).
pub fn participation_csv(data: &ThreadData) -> String {
    let checkpoints = moderation::checkpoints(&data.moderation);
    let mut out = String::from(PARTICIPATION_CSV_HEADER);
    if checkpoints.is_some() {
        out.truncate(out.len() - 2);
        out.push_str(CHECKPOINT_CSV_COLUMNS);
        out.push_str("\r\n");
    }
    let none = Checkpoints::default();
    for row in participation(data, checkpoints.unwrap_or(&none)) {
        let counts = &row.counts;
        let mut fields = vec![
            row.author.clone(),
            counts.comments.to_string(),
            counts.replies.to_string(),
            row.words.to_string(),
            row.likes.to_string(),
            row.first,
            row.last,
        ];
        if let Some(checkpoints) = checkpoints {
            let yes_no = |met: bool| if met { "yes" } else { "no" }.to_owned();
            fields.extend([
                counts.comments_on_time.to_string(),
                counts.replies_on_time.to_string(),
                yes_no(counts.comment_met()),
                yes_no(counts.replies_met(checkpoints)),
            ]);
        }
        push_row(
            &mut out,
            &fields.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    out
}

/// Whitespace-separated words of the Markdown source.
pub fn word_count(body: &str) -> usize {
    body.split_whitespace().count()
}

fn push_row(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(field));
    }
    out.push_str("\r\n");
}

/// One CSV field: formula-like text defused with a leading `'`, then quoted if it needs it.
fn csv_field(field: &str) -> Cow<'_, str> {
    let field: Cow<str> = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    };
    if field.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::comment::Comment;
    use crate::model::fixtures::{at_minute, comment, deleted, like};

    fn with_body(mut c: Comment, body: &str) -> Comment {
        c.body = body.into();
        c
    }

    fn sample() -> ThreadData {
        ThreadData {
            comments: vec![
                with_body(comment("a", None, "Maya Chen", 1), "First  point\nhere"),
                with_body(comment("b", Some("a"), "Bo", 2), "Agreed."),
                with_body(deleted(comment("c", None, "Bo", 3)), "gone words"),
                with_body(comment("d", Some("a"), "maya chen", 4), "One more"),
                with_body(deleted(comment("e", None, "Cy", 5)), "gone"),
                with_body(comment("f", Some("e"), "Cy", 6), "Under a tombstone"),
            ],
            likes: vec![like("a", "me", true, 7)],
            ..ThreadData::default()
        }
    }

    #[test]
    fn json_export_loads_back_unchanged() {
        let data = sample().normalised();
        let json = to_json(&data, "post");
        assert_eq!(schema::load(&json, "post").unwrap(), data);
    }

    #[test]
    fn seed_comments_carry_their_post_id_in_the_json_export() {
        let mut data = sample();
        data.comments[0].post_id = String::new();
        // In the file itself, not only once loaded (where `schema::load` fills it in).
        let json = to_json(&data, "post");
        assert!(json.contains(r#""id":"a","postId":"post""#), "{json}");
        assert!(!json.contains(r#""postId":"""#), "{json}");
    }

    #[test]
    fn the_json_export_keeps_quoted_passages() {
        let mut data = sample();
        data.comments[0].target =
            crate::model::anchor::Passage::describe("It must be demanded.", 3, 19).map(Box::new);
        let data = data.normalised();
        let json = to_json(&data, "post");
        assert!(json.contains(r#""exact":"must be demanded""#), "{json}");
        let loaded = schema::load(&json, "post").unwrap();
        assert_eq!(loaded, data);
        assert!(loaded.comments.iter().any(|c| c.target.is_some()));
    }

    #[test]
    fn the_comments_csv_has_every_shown_comment_in_number_order() {
        let mut data = sample();
        data.comments[3].updated_at = at_minute(9);
        data.comments[1].target =
            crate::model::anchor::Passage::describe("It must be demanded.", 3, 19).map(Box::new);
        let expected = "number,author,time,text,words,likes,parent,edited,deleted,passage\r\n\
            1,Maya Chen,2026-01-01T00:01:00.000Z,\"First  point\nhere\",3,1,,no,no,\r\n\
            1.1,Bo,2026-01-01T00:02:00.000Z,Agreed.,1,0,1,no,no,must be demanded\r\n\
            1.2,maya chen,2026-01-01T00:04:00.000Z,One more,2,0,1,yes,no,\r\n\
            3,,2026-01-01T00:05:00.000Z,,,0,,no,yes,\r\n\
            3.1,Cy,2026-01-01T00:06:00.000Z,Under a tombstone,3,0,3,no,no,\r\n";
        assert_eq!(comments_csv(&data), expected);
    }

    #[test]
    fn participation_counts_replies_to_others_likes_and_times_ignoring_case_and_deleted_comments() {
        assert_eq!(
            participation(&sample(), &Checkpoints::default()),
            [
                Participation {
                    author: "Bo".into(),
                    counts: Progress {
                        replies: 1,
                        ..Progress::default()
                    },
                    words: 1,
                    likes: 0,
                    first: at_minute(2),
                    last: at_minute(2),
                },
                Participation {
                    author: "Cy".into(),
                    counts: Progress {
                        replies: 1,
                        ..Progress::default()
                    },
                    words: 3,
                    likes: 0,
                    first: at_minute(6),
                    last: at_minute(6),
                },
                // Her reply at 1.2 answers her own comment: a comment, not a reply to others.
                Participation {
                    author: "Maya Chen".into(),
                    counts: Progress {
                        comments: 2,
                        ..Progress::default()
                    },
                    words: 5,
                    likes: 1,
                    first: at_minute(1),
                    last: at_minute(4),
                },
            ]
        );
        assert_eq!(
            participation_csv(&sample()),
            "author,comments,replies,words,likes,first,last\r\n\
             Bo,0,1,1,0,2026-01-01T00:02:00.000Z,2026-01-01T00:02:00.000Z\r\n\
             Cy,0,1,3,0,2026-01-01T00:06:00.000Z,2026-01-01T00:06:00.000Z\r\n\
             Maya Chen,2,0,5,1,2026-01-01T00:01:00.000Z,2026-01-01T00:04:00.000Z\r\n"
        );
    }

    #[test]
    fn with_checkpoints_participation_adds_on_time_counts_and_whether_each_was_met() {
        let mut data = sample();
        let settings = crate::model::Moderation {
            checkpoints: Some(Checkpoints {
                comment_due: at_minute(3),
                replies_required: 1,
                replies_due: at_minute(5),
            }),
            updated_at: at_minute(0),
            account: "prof".into(),
            account_role: "instructor".into(),
            ..Default::default()
        };
        moderation::apply(&mut data.moderation, &settings);
        // Maya: comments at minutes 1 (on time) and 4 (late), no reply. Bo: a reply to Maya at
        // 2, on time. Cy: a reply to a deleted comment at 6, late.
        assert_eq!(
            participation_csv(&data),
            "author,comments,replies,words,likes,first,last,\
             comments_on_time,replies_on_time,comment_checkpoint_met,replies_checkpoint_met\r\n\
             Bo,0,1,1,0,2026-01-01T00:02:00.000Z,2026-01-01T00:02:00.000Z,0,1,no,yes\r\n\
             Cy,0,1,3,0,2026-01-01T00:06:00.000Z,2026-01-01T00:06:00.000Z,0,0,no,no\r\n\
             Maya Chen,2,0,5,1,2026-01-01T00:01:00.000Z,2026-01-01T00:04:00.000Z,1,0,yes,no\r\n"
        );
    }

    #[test]
    fn an_empty_thread_exports_headers_only() {
        let empty = ThreadData::default();
        assert_eq!(comments_csv(&empty), COMMENTS_CSV_HEADER);
        assert_eq!(participation_csv(&empty), PARTICIPATION_CSV_HEADER);
    }

    #[test]
    fn fields_with_commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("Chen, Maya"), "\"Chen, Maya\"");
        assert_eq!(csv_field("the \"pro\""), "\"the \"\"pro\"\"\"");
        assert_eq!(csv_field("a\nb"), "\"a\nb\"");
        assert_eq!(csv_field("a\rb"), "\"a\rb\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn formula_like_fields_are_defused() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("a=b"), "a=b");
    }

    #[test]
    fn a_hostile_author_name_stays_in_its_cell() {
        let data = ThreadData {
            comments: vec![comment("a", None, "=cmd|' /C calc'!A0, \"x\"", 1)],
            likes: vec![],
            ..ThreadData::default()
        };
        let csv = comments_csv(&data);
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with("1,\"'=cmd|' /C calc'!A0, \"\"x\"\"\","),
            "{row}"
        );
    }

    #[test]
    fn words_are_whitespace_separated() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  one\ttwo\n\nthree "), 3);
        assert_eq!(word_count("**bold** `code`"), 2);
    }
}
