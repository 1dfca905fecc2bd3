//! Downloads of one post's thread: the full data as JSON (importable again), a CSV of the
//! comments, and a CSV of each author's participation. Deleted comments are not in the CSVs.
//!
//! CSV fields are quoted per RFC 4180, rows end in CRLF, and a field a spreadsheet would run as
//! a formula gets a leading `'`.

use super::merge::ThreadData;
use super::schema;
use super::thread::{SortOrder, ThreadView};
use std::borrow::Cow;
use std::collections::HashMap;

/// The thread in the current saved format; `schema::load` reads it back.
pub fn to_json(data: &ThreadData, post_id: &str) -> String {
    schema::save(data, post_id)
}

/// `number,author,time,words,parent`: one row per shown, live comment in number order.
pub fn comments_csv(data: &ThreadData) -> String {
    let view = ThreadView::build(&data.comments, &[], None, SortOrder::OldestFirst);
    let mut out = String::from("number,author,time,words,parent\r\n");
    for (node, parent) in view.in_number_order() {
        if node.tombstone {
            continue;
        }
        let comment = &node.comment;
        let words = word_count(&comment.body).to_string();
        let parent = parent.map_or("", |p| p.number.as_str());
        push_row(
            &mut out,
            &[
                &node.number,
                comment.author.trim(),
                &comment.created_at,
                &words,
                parent,
            ],
        );
    }
    out
}

/// One author's share of a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participation {
    /// As written in their first comment; authors are grouped ignoring case.
    pub author: String,
    /// Top-level comments.
    pub comments: usize,
    pub replies: usize,
    pub words: usize,
}

/// Each author's live comments, replies and words, sorted by name (ignoring case). A reply is a
/// comment shown under another one; a reply to a missing comment counts as top level.
pub fn participation(data: &ThreadData) -> Vec<Participation> {
    let view = ThreadView::build(&data.comments, &[], None, SortOrder::OldestFirst);
    let mut by_author: HashMap<String, Participation> = HashMap::new();
    for (node, parent) in view.in_number_order() {
        if node.tombstone {
            continue;
        }
        let author = node.comment.author.trim();
        let entry = by_author
            .entry(author.to_lowercase())
            .or_insert_with(|| Participation {
                author: author.to_owned(),
                comments: 0,
                replies: 0,
                words: 0,
            });
        if parent.is_some() {
            entry.replies += 1;
        } else {
            entry.comments += 1;
        }
        entry.words += word_count(&node.comment.body);
    }
    let mut rows: Vec<Participation> = by_author.into_values().collect();
    rows.sort_by(|a, b| {
        a.author
            .to_lowercase()
            .cmp(&b.author.to_lowercase())
            .then_with(|| a.author.cmp(&b.author))
    });
    rows
}

/// `author,comments,replies,words`, one row per author as in `participation`.
pub fn participation_csv(data: &ThreadData) -> String {
    let mut out = String::from("author,comments,replies,words\r\n");
    for row in participation(data) {
        push_row(
            &mut out,
            &[
                &row.author,
                &row.comments.to_string(),
                &row.replies.to_string(),
                &row.words.to_string(),
            ],
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
    use crate::model::fixtures::{comment, deleted, like};

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
        }
    }

    #[test]
    fn json_export_loads_back_unchanged() {
        let data = sample().normalised();
        let json = to_json(&data, "post");
        assert_eq!(schema::load(&json, "post").unwrap(), data);
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
    fn the_comments_csv_has_live_comments_in_number_order() {
        let expected = "number,author,time,words,parent\r\n\
            1,Maya Chen,2026-01-01T00:01:00.000Z,3,\r\n\
            1.1,Bo,2026-01-01T00:02:00.000Z,1,1\r\n\
            1.2,maya chen,2026-01-01T00:04:00.000Z,2,1\r\n\
            3.1,Cy,2026-01-01T00:06:00.000Z,3,3\r\n";
        assert_eq!(comments_csv(&sample()), expected);
    }

    #[test]
    fn participation_groups_authors_ignoring_case_and_skips_deleted_comments() {
        assert_eq!(
            participation(&sample()),
            [
                Participation {
                    author: "Bo".into(),
                    comments: 0,
                    replies: 1,
                    words: 1
                },
                Participation {
                    author: "Cy".into(),
                    comments: 0,
                    replies: 1,
                    words: 3
                },
                Participation {
                    author: "Maya Chen".into(),
                    comments: 1,
                    replies: 1,
                    words: 5
                },
            ]
        );
        assert_eq!(
            participation_csv(&sample()),
            "author,comments,replies,words\r\nBo,0,1,1\r\nCy,0,1,3\r\nMaya Chen,1,1,5\r\n"
        );
    }

    #[test]
    fn an_empty_thread_exports_headers_only() {
        let empty = ThreadData::default();
        assert_eq!(comments_csv(&empty), "number,author,time,words,parent\r\n");
        assert_eq!(
            participation_csv(&empty),
            "author,comments,replies,words\r\n"
        );
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
