//! The comment composer's rules: cleaning and validating a name and body before they are stored,
//! and who may edit or delete a comment.

use super::anchor::{Passage, PassageProblem};
use super::comment::Comment;
use super::timestamp;

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_BODY_CHARS: usize = 5000;
/// How long after posting the writer may still edit a comment.
pub const EDIT_WINDOW_MINUTES: u32 = 15;

/// A name and body that passed `validate`, cleaned and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidComment {
    pub name: String,
    pub body: String,
}

/// A problem with a comment; the UI words it from its table (`i18n::messages`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComposeError {
    NameMissing,
    NameTooLong {
        chars: usize,
    },
    BodyEmpty,
    BodyTooLong {
        chars: usize,
    },
    /// The quoted passage breaks a rule of `Passage::check`.
    Passage(PassageProblem),
}

/// Cleans both fields and checks them, reporting every problem at once.
///
/// The name becomes one line with single spaces; the body loses leading blank lines and trailing
/// whitespace (leading spaces of its first line are kept: they are Markdown).
pub fn validate(name: &str, body: &str) -> Result<ValidComment, Vec<ComposeError>> {
    let name = clean_name(name);
    let body = clean_body(body);
    let mut errors = Vec::new();
    let name_chars = name.chars().count();
    if name_chars == 0 {
        errors.push(ComposeError::NameMissing);
    } else if name_chars > MAX_NAME_CHARS {
        errors.push(ComposeError::NameTooLong { chars: name_chars });
    }
    let body_chars = body.chars().count();
    if body_chars == 0 {
        errors.push(ComposeError::BodyEmpty);
    } else if body_chars > MAX_BODY_CHARS {
        errors.push(ComposeError::BodyTooLong { chars: body_chars });
    }
    if errors.is_empty() {
        Ok(ValidComment { name, body })
    } else {
        Err(errors)
    }
}

/// Checks the passage a new comment quotes (see `Passage::check`), reporting every problem.
pub fn validate_passage(passage: &Passage) -> Result<(), Vec<ComposeError>> {
    passage
        .check()
        .map_err(|problems| problems.into_iter().map(ComposeError::Passage).collect())
}

/// CRLF and lone CR become LF; other C0 control characters and DEL, except tab and LF, are
/// removed, since they are invisible, can break exports, and must not be stored.
pub fn strip_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_ascii_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn clean_name(name: &str) -> String {
    strip_controls(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn clean_body(body: &str) -> String {
    let body = strip_controls(body);
    let trimmed = body.trim_end();
    let first_content_line = trimmed
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty())
        .map(str::len)
        .sum::<usize>();
    trimmed[first_content_line..].to_owned()
}

/// Whether this browser may edit the comment: it wrote it, it is not deleted, and it was posted
/// at most `window_minutes` before `now_iso` (both RFC 3339). A comment dated slightly in the
/// future (clock skew between tabs) counts as just posted; unreadable times forbid editing.
/// A window of 0 minutes turns editing off.
pub fn can_edit(
    comment: &Comment,
    my_browser_id: &str,
    now_iso: &str,
    window_minutes: u32,
) -> bool {
    if window_minutes == 0 || !can_delete(comment, my_browser_id) {
        return false;
    }
    let (Some(now), Some(created)) = (
        timestamp::parse_millis(now_iso),
        timestamp::parse_millis(&comment.created_at),
    ) else {
        return false;
    };
    now - created <= i64::from(window_minutes) * 60_000
}

/// Whether this browser may delete the comment: it wrote it and it is not deleted yet.
pub fn can_delete(comment: &Comment, my_browser_id: &str) -> bool {
    !comment.deleted
        && !my_browser_id.is_empty()
        && comment.author_key.as_deref() == Some(my_browser_id)
}

/// What stays in the composer once `sent` is stored, when the field now reads `now`: the field
/// stays editable while a comment is on its way, so what the reader typed after pressing Post
/// is kept. Text added after what was sent stays (less the whitespace that joined them); a field
/// changed anywhere else is kept whole, so nothing typed is lost.
pub fn text_left_after_posting(sent: &str, now: &str) -> String {
    match now.strip_prefix(sent) {
        Some(rest) => rest.trim_start().to_owned(),
        None => now.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::model::fixtures::comment;

    #[test]
    fn a_normal_comment_passes_cleaned() {
        let valid = validate("  Maya   Chen ", "\n\n  \nHello *there*.\n\n").unwrap();
        assert_eq!(valid.name, "Maya Chen");
        assert_eq!(valid.body, "Hello *there*.");
    }

    #[test]
    fn a_missing_name_and_body_are_both_reported() {
        assert_eq!(
            validate("   ", " \n\t "),
            Err(vec![ComposeError::NameMissing, ComposeError::BodyEmpty])
        );
    }

    #[test]
    fn a_body_of_only_control_characters_is_empty() {
        assert_eq!(
            validate("Bo", "\u{0}\u{7}\u{1b}"),
            Err(vec![ComposeError::BodyEmpty])
        );
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let at_limit = "é".repeat(MAX_BODY_CHARS);
        assert!(validate("Bo", &at_limit).is_ok());
        let name = "Ж".repeat(MAX_NAME_CHARS);
        assert!(validate(&name, "ok").is_ok());
    }

    #[test]
    fn too_long_fields_are_reported_with_their_length() {
        let errors = validate(&"n".repeat(81), &"b".repeat(5012)).unwrap_err();
        assert_eq!(
            errors,
            [
                ComposeError::NameTooLong { chars: 81 },
                ComposeError::BodyTooLong { chars: 5012 }
            ]
        );
    }

    #[test]
    fn control_characters_are_stripped_and_line_ends_normalised() {
        assert_eq!(
            strip_controls("a\u{0}b\r\nc\rd\te\u{7f}f\u{1b}[31m\n"),
            "ab\nc\nd\tef[31m\n"
        );
        let valid = validate("Bo\u{0}b\nSmith", "line one\r\nline\u{8} two").unwrap();
        assert_eq!(valid.name, "Bob Smith");
        assert_eq!(valid.body, "line one\nline two");
    }

    #[test]
    fn indentation_of_the_first_line_is_kept() {
        assert_eq!(validate("Bo", "\n    code\n").unwrap().body, "    code");
    }

    #[test]
    fn a_described_passage_passes_and_an_over_long_one_is_explained() {
        let text = "word ".repeat(600);
        let passage = Passage::describe(&text, 5, 40).unwrap();
        assert_eq!(validate_passage(&passage), Ok(()));
        assert_eq!(Passage::describe(&text, 0, 2_500), None);
        let long = Passage {
            exact: text.chars().take(2_500).collect(),
            prefix: String::new(),
            suffix: text.chars().skip(2_500).take(32).collect(),
            start: 0,
            end: 2_500,
        };
        let errors = validate_passage(&long).unwrap_err();
        assert_eq!(
            errors,
            [ComposeError::Passage(PassageProblem::QuoteTooLong {
                chars: 2_500
            })]
        );
    }

    #[test]
    fn a_malformed_passage_lists_each_problem() {
        let passage = Passage {
            exact: String::new(),
            prefix: "p".repeat(70),
            suffix: String::new(),
            start: 9,
            end: 3,
        };
        let messages: Vec<String> = validate_passage(&passage)
            .unwrap_err()
            .iter()
            .map(|error| {
                crate::i18n::messages::compose_error(Lang::En.thread(), error, |n| n.to_string())
            })
            .collect();
        assert_eq!(
            messages,
            [
                "The quoted passage cannot be kept: the quoted passage is empty.",
                "The quoted passage cannot be kept: the text before the passage is 70 characters; the limit is 64.",
                "The quoted passage cannot be kept: the passage's position 9..3 does not start before it ends.",
            ]
        );
    }

    fn mine() -> Comment {
        let mut c = comment("a", None, "Bo", 0);
        c.author_key = Some("me".into());
        c
    }

    #[test]
    fn i_may_edit_my_comment_within_the_window() {
        let c = mine();
        assert!(can_edit(
            &c,
            "me",
            "2026-01-01T00:00:00.000Z",
            EDIT_WINDOW_MINUTES
        ));
        assert!(can_edit(
            &c,
            "me",
            "2026-01-01T00:15:00.000Z",
            EDIT_WINDOW_MINUTES
        ));
        assert!(!can_edit(
            &c,
            "me",
            "2026-01-01T00:15:00.001Z",
            EDIT_WINDOW_MINUTES
        ));
        assert!(can_edit(&c, "me", "2026-01-01T00:59:00Z", 60));
    }

    #[test]
    fn a_comment_from_a_little_in_the_future_is_editable() {
        assert!(can_edit(
            &mine(),
            "me",
            "2025-12-31T23:59:00Z",
            EDIT_WINDOW_MINUTES
        ));
    }

    #[test]
    fn others_comments_deleted_comments_and_bad_times_are_not_editable() {
        let now = "2026-01-01T00:01:00Z";
        assert!(!can_edit(&mine(), "you", now, EDIT_WINDOW_MINUTES));
        let mut gone = mine();
        gone.deleted = true;
        assert!(!can_edit(&gone, "me", now, EDIT_WINDOW_MINUTES));
        assert!(!can_edit(&mine(), "me", "now", EDIT_WINDOW_MINUTES));
        let mut undated = mine();
        undated.created_at = "recently".into();
        assert!(!can_edit(&undated, "me", now, EDIT_WINDOW_MINUTES));
        assert!(
            !can_edit(&mine(), "me", now, 0),
            "a zero window turns editing off"
        );
    }

    #[test]
    fn only_my_live_comments_may_be_deleted_whenever() {
        assert!(can_delete(&mine(), "me"));
        assert!(!can_delete(&mine(), "you"));
        assert!(!can_delete(&mine(), ""));
        let seed = comment("s", None, "Bo", 0);
        assert!(!can_delete(&seed, "me"));
        let mut gone = mine();
        gone.deleted = true;
        assert!(!can_delete(&gone, "me"));
        let mut keyless = mine();
        keyless.author_key = Some(String::new());
        assert!(!can_delete(&keyless, ""));
    }

    #[test]
    fn posting_keeps_what_was_typed_after_pressing_post() {
        assert_eq!(text_left_after_posting("Mine.", "Mine."), "");
        assert_eq!(
            text_left_after_posting("Mine.", "Mine. And more"),
            "And more"
        );
        assert_eq!(text_left_after_posting("Mine.", "Mine.\n\nNext"), "Next");
        // Changed inside what was sent: all of it stays, nothing is lost.
        assert_eq!(text_left_after_posting("Mine.", "Min. e"), "Min. e");
        assert_eq!(text_left_after_posting("Mine.", ""), "");
    }
}
