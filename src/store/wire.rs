//! The JSON a REST endpoint (json-server 0.17 shaped) exchanges with the app: checking what it
//! returns record by record, so a bad answer never crashes the app and the good comments in it
//! still show, and writing the records the app sends.

use crate::model::account::StaffRole;
use crate::model::anchor::Passage;
use crate::model::checkpoint::{CheckpointProblem, Checkpoints, MAX_REPLIES_REQUIRED};
use crate::model::report::{ReportReason, MAX_DETAILS_CHARS};
use crate::model::timestamp;
use crate::model::{Comment, Like, Moderation, Report};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// The largest author name or comment body accepted from the server.
pub const MAX_FIELD_BYTES: usize = 100 * 1024;
/// The largest response body read at all.
pub const MAX_RESPONSE_BYTES: usize = 5 * 1024 * 1024;
/// The longest id (of a comment, a browser, a like record) accepted from the server.
pub const MAX_ID_BYTES: usize = 200;
/// Problems listed one by one before the rest are only counted, so a huge bad answer stays
/// readable.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// The records of a response that passed the checks, and what was wrong with the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed<T> {
    pub items: Vec<T>,
    pub problems: Vec<String>,
}

impl<T> Parsed<T> {
    fn refused(problem: String) -> Self {
        Parsed {
            items: Vec::new(),
            problems: vec![problem],
        }
    }
}

/// The comments of `post_id` in a `GET /comments?postId=…` answer. Records of other posts are
/// skipped without a problem; extra fields are allowed.
pub fn parse_comments(body: &str, post_id: &str) -> Parsed<Comment> {
    match top_level_array(body, "comment") {
        Ok(elements) => comments_from(&elements, post_id),
        Err(problem) => Parsed::refused(problem),
    }
}

/// As `parse_comments`, for records already read as JSON (CouchDB documents).
pub fn comments_from(elements: &[Value], post_id: &str) -> Parsed<Comment> {
    records_from(elements, "comment", |id, record| {
        let post = required_id(record, "postId")?;
        if post != post_id {
            return Ok(None);
        }
        let mut issues = Issues::default();
        let parent_id = issues.note(optional_text(record, "parentId", MAX_ID_BYTES));
        let author_key = issues.note(optional_text(record, "authorKey", MAX_ID_BYTES));
        let author = issues.note(required_text(record, "author", MAX_FIELD_BYTES));
        let body = issues.note(required_text(record, "body", MAX_FIELD_BYTES));
        let created_at = issues.note(required_time(record, "createdAt"));
        let updated_at = issues
            .note(optional_time(record, "updatedAt"))
            .unwrap_or_else(|| created_at.clone());
        let deleted = issues.note(optional_bool(record, "deleted"));
        let target = issues.note(optional_target(record));
        let (account, account_role) = issues.note(optional_account(record));
        issues.into_result()?;
        Ok(Some(Comment {
            id: id.to_owned(),
            post_id: post,
            parent_id,
            author,
            author_key,
            body,
            created_at,
            updated_at,
            deleted,
            target,
            account,
            account_role,
        }))
    })
}

/// The likes in a `GET /likes` answer (such as `GET /likes?postId=…`). A record whose `id` is
/// not `<commentId>:<browserId>` is still read: the pair, not the id, says whose like it is.
pub fn parse_likes(body: &str) -> Parsed<Like> {
    parse_likes_filtered(body, None)
}

/// As `parse_likes`, skipping without a problem the likes of comments not in `comment_ids`
/// (for an endpoint whose like records carry no post id).
pub fn parse_likes_of(body: &str, comment_ids: &HashSet<&str>) -> Parsed<Like> {
    parse_likes_filtered(body, Some(comment_ids))
}

fn parse_likes_filtered(body: &str, comment_ids: Option<&HashSet<&str>>) -> Parsed<Like> {
    match top_level_array(body, "like") {
        Ok(elements) => likes_from(&elements, comment_ids),
        Err(problem) => Parsed::refused(problem),
    }
}

/// The likes among records already read as JSON (CouchDB documents), as `parse_likes_of`
/// when `comment_ids` is given.
pub fn likes_from(elements: &[Value], comment_ids: Option<&HashSet<&str>>) -> Parsed<Like> {
    records_from(elements, "like", |_, record| {
        let comment_id = required_id(record, "commentId")?;
        if comment_ids.is_some_and(|ids| !ids.contains(comment_id.as_str())) {
            return Ok(None);
        }
        let mut issues = Issues::default();
        let browser_id = issues.note(required_id(record, "browserId"));
        let liked = issues.note(required_bool(record, "liked"));
        let updated_at = issues.note(required_time(record, "updatedAt"));
        issues.into_result()?;
        Ok(Some(Like {
            comment_id,
            browser_id,
            liked,
            updated_at,
        }))
    })
}

/// Staff decisions (CouchDB documents of `type` "moderation"): each must be written by a
/// staff account, which the database checked when it accepted the record.
pub fn moderation_from(elements: &[Value]) -> Parsed<Moderation> {
    records_from(elements, "moderation record", |id, record| {
        let mut issues = Issues::default();
        let comment_id = issues.note(optional_text(record, "commentId", MAX_ID_BYTES));
        let pinned = issues.note(optional_bool(record, "pinned"));
        let endorsed = issues.note(optional_bool(record, "endorsed"));
        let hidden = issues.note(optional_bool(record, "hidden"));
        let locked = issues.note(optional_bool(record, "locked"));
        let post_first = issues.note(optional_bool(record, "postFirst"));
        let anonymous = issues.note(optional_bool(record, "anonymous"));
        let checkpoints = issues.note(optional_checkpoints(record));
        let updated_at = issues.note(required_time(record, "updatedAt"));
        let account = issues.note(required_id(record, "account"));
        let account_role = issues.note(required_text(record, "accountRole", MAX_ID_BYTES));
        issues.into_result()?;
        if StaffRole::from_name(&account_role).is_none() {
            return Err(format!(
                "has an `accountRole` {account_role:?} (\"instructor\" or \"ta\")"
            ));
        }
        if comment_id.is_some() && checkpoints.is_some() {
            return Err("has `checkpoints`, which only the discussion's settings have".into());
        }
        let decision = Moderation {
            comment_id,
            pinned,
            endorsed,
            hidden,
            locked,
            post_first,
            anonymous,
            checkpoints,
            updated_at,
            account,
            account_role,
        };
        if decision.record_id() != id {
            return Err(format!("should have the id “{}”", decision.record_id()));
        }
        Ok(Some(decision))
    })
}

/// Readers' reports (CouchDB documents of `type` "report"), each written by the reporting
/// account (checked by the database).
pub fn reports_from(elements: &[Value]) -> Parsed<Report> {
    records_from(elements, "report", |id, record| {
        let mut issues = Issues::default();
        let comment_id = issues.note(required_id(record, "commentId"));
        let account = issues.note(required_id(record, "account"));
        let reason = issues.note(required_text(record, "reason", MAX_ID_BYTES));
        let details = issues.note(optional_text(record, "details", MAX_DETAILS_CHARS * 4));
        let reviewed = issues.note(optional_bool(record, "reviewed"));
        let updated_at = issues.note(required_time(record, "updatedAt"));
        issues.into_result()?;
        if ReportReason::from_name(&reason).is_none() {
            return Err(format!(
                "has a `reason` {reason:?} (\"inappropriate\", \"offensive\" or \"other\")"
            ));
        }
        let report = Report {
            comment_id,
            account,
            reason,
            details: details.unwrap_or_default(),
            reviewed,
            updated_at,
        };
        if report.record_id() != id {
            return Err(format!("should have the id “{}”", report.record_id()));
        }
        Ok(Some(report))
    })
}

/// A report as a record (the fields `reports_from` reads).
pub fn report_json(report: &Report) -> Value {
    json!({
        "id": report.record_id(),
        "commentId": report.comment_id,
        "account": report.account,
        "reason": report.reason,
        "details": report.details,
        "reviewed": report.reviewed,
        "updatedAt": report.updated_at,
    })
}

/// A staff decision as a record (the fields `moderation_from` reads).
pub fn moderation_json(decision: &Moderation) -> Value {
    json!({
        "id": decision.record_id(),
        "commentId": decision.comment_id,
        "pinned": decision.pinned,
        "endorsed": decision.endorsed,
        "hidden": decision.hidden,
        "locked": decision.locked,
        "postFirst": decision.post_first,
        "anonymous": decision.anonymous,
        "checkpoints": decision.checkpoints.as_ref().map(|c| json!({
            "commentDue": c.comment_due,
            "repliesRequired": c.replies_required,
            "repliesDue": c.replies_due,
        })),
        "updatedAt": decision.updated_at,
        "account": decision.account,
        "accountRole": decision.account_role,
    })
}

/// The record sent to `POST /comments` or `PATCH /comments/{id}`. `updatedAt` is always
/// written (as `createdAt` for a never-changed comment), as `parse_comments` reads it back.
pub fn comment_json(comment: &Comment) -> Value {
    let mut record = json!({
        "id": comment.id,
        "postId": comment.post_id,
        "parentId": comment.parent_id,
        "author": comment.author,
        "authorKey": comment.author_key,
        "body": comment.body,
        "createdAt": comment.created_at,
        "updatedAt": comment.last_change(),
        "deleted": comment.deleted,
    });
    // Absent rather than null for a comment on the whole post, as `Comment` is saved.
    if let Some(target) = &comment.target {
        record["target"] = serde_json::to_value(target).expect("a passage is strings and numbers");
    }
    if let Some(account) = &comment.account {
        record["account"] = json!(account);
    }
    if let Some(role) = &comment.account_role {
        record["accountRole"] = json!(role);
    }
    record
}

/// The record sent to `POST /likes` or `PATCH /likes/{id}`.
pub fn like_json(like: &Like) -> Value {
    json!({
        "id": like_record_id(like),
        "commentId": like.comment_id,
        "browserId": like.browser_id,
        "liked": like.liked,
        "updatedAt": like.updated_at,
    })
}

/// The id of the one like record per (comment, browser): `<commentId>:<browserId>`.
pub fn like_record_id(like: &Like) -> String {
    format!("{}:{}", like.comment_id, like.browser_id)
}

/// A short human message from an error response's body, for `outbox::classify`: the
/// `message`, `reason` (CouchDB's) or `error` of a JSON object (or `error.message`), or a
/// short plain-text body.
/// Web pages and anything long or empty give `None`.
pub fn server_message(body: &str) -> Option<String> {
    const MAX_MESSAGE_CHARS: usize = 300;
    let trimmed = body.trim();
    if trimmed.is_empty() || trimmed.starts_with('<') {
        return None;
    }
    let text = match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(object)) => {
            ["message", "reason", "error"]
                .iter()
                .find_map(|key| match object.get(*key)? {
                    Value::String(text) => Some(text.clone()),
                    Value::Object(inner) => inner.get("message")?.as_str().map(str::to_owned),
                    _ => None,
                })?
        }
        Ok(Value::String(text)) => text,
        Ok(_) => return None,
        Err(_) if trimmed.chars().count() <= MAX_MESSAGE_CHARS => trimmed.to_owned(),
        Err(_) => return None,
    };
    one_line(&text, MAX_MESSAGE_CHARS)
}

/// `text` on one line, runs of whitespace as one space, cut to at most `max_chars` characters
/// (an ellipsis marking the cut); `None` if nothing but whitespace.
pub(super) fn one_line(text: &str, max_chars: usize) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then(|| shorten(&joined, max_chars))
}

/// Everything wrong with one record, collected so that one problem line names them all.
#[derive(Default)]
struct Issues(Vec<String>);

impl Issues {
    /// The checked value, or its type's default with the issue noted.
    fn note<T: Default>(&mut self, checked: Result<T, String>) -> T {
        checked.unwrap_or_else(|issue| {
            self.0.push(issue);
            T::default()
        })
    }

    fn into_result(self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.join("; "))
        }
    }
}

/// What one record check concludes: kept, skipped silently (`Ok(None)`), or refused with the
/// problem, worded to follow "comment #3 (id …) ".
type RecordCheck<T> = Result<Option<T>, String>;

fn records_from<T>(
    elements: &[Value],
    kind: &str,
    check: impl Fn(&str, &Map<String, Value>) -> RecordCheck<T>,
) -> Parsed<T> {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
    };
    let mut unlisted = 0;
    for (index, element) in elements.iter().enumerate() {
        let label = format!("{kind} #{}", index + 1);
        let outcome = match element {
            Value::Object(record) => match required_id(record, "id") {
                Ok(id) => check(&id, record)
                    .map_err(|issue| format!("{label} (id “{}”) {issue}", shorten(&id, 40))),
                Err(issue) => Err(format!("{label} {issue}")),
            },
            other => Err(format!("{label} is not a record but {}", shape_of(other))),
        };
        match outcome {
            Ok(Some(item)) => parsed.items.push(item),
            Ok(None) => {}
            Err(problem) if parsed.problems.len() < MAX_LISTED_PROBLEMS => {
                parsed.problems.push(problem)
            }
            Err(_) => unlisted += 1,
        }
    }
    if unlisted > 0 {
        parsed
            .problems
            .push(format!("… and {unlisted} more {kind}s with problems"));
    }
    parsed
}

/// The JSON value `body` holds, or why it does not hold one: too large, empty, a web page,
/// not JSON.
pub fn json_body(body: &str) -> Result<Value, String> {
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(format!(
            "the server's answer is too large ({:.1} MB; at most {} MB is read)",
            body.len() as f64 / (1024.0 * 1024.0),
            MAX_RESPONSE_BYTES / (1024 * 1024)
        ));
    }
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        return Err("the server sent an empty answer".to_owned());
    }
    if trimmed.starts_with('<') {
        return Err(match html_title(trimmed) {
            Some(title) => format!("the server sent a web page, not data (“{title}”)"),
            None => "the server sent a web page, not data".to_owned(),
        });
    }
    serde_json::from_str::<Value>(body)
        .map_err(|error| format!("the server's answer is not valid JSON ({error})"))
}

/// The elements of the JSON array `body` should be, or why it is not one.
fn top_level_array(body: &str, kind: &str) -> Result<Vec<Value>, String> {
    match json_body(body)? {
        Value::Array(elements) => Ok(elements),
        other => Err(format!(
            "expected a list of {kind}s, but the server sent {}",
            shape_of(&other)
        )),
    }
}

/// The text of the page's `<title>`, whitespace collapsed, if it has a non-empty one.
fn html_title(page: &str) -> Option<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `page`.
    let lower = page.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    one_line(&page[start..end], 120)
}

/// A value's kind in words: "null", "a list", "an object (with id, rev)".
pub fn shape_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "true or false".to_owned(),
        Value::Number(_) => "a number".to_owned(),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(object) if object.is_empty() => "an empty object".to_owned(),
        Value::Object(object) => {
            let keys: Vec<&str> = object.keys().take(5).map(String::as_str).collect();
            let more = if object.len() > keys.len() {
                ", …"
            } else {
                ""
            };
            format!("an object (with {}{more})", keys.join(", "))
        }
    }
}

/// At most `max_chars` characters of `text`, with an ellipsis if it was cut.
fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn required_text(
    record: &Map<String, Value>,
    key: &str,
    max_bytes: usize,
) -> Result<String, String> {
    match record.get(key) {
        None | Some(Value::Null) => Err(format!("is missing `{key}`")),
        Some(Value::String(text)) if text.len() > max_bytes => Err(format!(
            "has a {}-byte `{key}` (at most {max_bytes})",
            text.len()
        )),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(other) => Err(format!("has a non-text `{key}` ({})", shape_of(other))),
    }
}

/// A non-empty string of at most `MAX_ID_BYTES`.
fn required_id(record: &Map<String, Value>, key: &str) -> Result<String, String> {
    let id = required_text(record, key, MAX_ID_BYTES)?;
    if id.is_empty() {
        return Err(format!("has an empty `{key}`"));
    }
    Ok(id)
}

/// An optional id-like string: missing, `null` and `""` all mean none.
fn optional_text(
    record: &Map<String, Value>,
    key: &str,
    max_bytes: usize,
) -> Result<Option<String>, String> {
    match record.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(_) => required_text(record, key, max_bytes).map(Some),
    }
}

/// The passage a comment is about (a W3C Web Annotation target, see `model::anchor`), checked
/// as `Passage::check` does; missing and `null` mean a comment on the whole post.
fn optional_target(record: &Map<String, Value>) -> Result<Option<Box<Passage>>, String> {
    let value = match record.get("target") {
        None | Some(Value::Null) => return Ok(None),
        Some(value) => value,
    };
    let passage =
        Passage::deserialize(value).map_err(|e| format!("has an unreadable `target` ({e})"))?;
    passage.check().map_err(|problems| {
        let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!("has a bad `target` ({})", listed.join("; "))
    })?;
    Ok(Some(Box::new(passage)))
}

/// The account that wrote a comment and its staff role (`account`, `accountRole`), on a
/// store with accounts; a role only with an account.
fn optional_account(
    record: &Map<String, Value>,
) -> Result<(Option<String>, Option<String>), String> {
    let account = optional_text(record, "account", MAX_ID_BYTES)?;
    let role = optional_text(record, "accountRole", MAX_ID_BYTES)?;
    match (&account, role.as_deref()) {
        (_, Some(role)) if StaffRole::from_name(role).is_none() => Err(format!(
            "has an `accountRole` {role:?} (\"instructor\" or \"ta\")"
        )),
        (None, Some(_)) => Err("has an `accountRole` but no `account`".into()),
        _ => Ok((account, role)),
    }
}

fn required_time(record: &Map<String, Value>, key: &str) -> Result<String, String> {
    let text = required_text(record, key, MAX_ID_BYTES)?;
    match timestamp::parse_millis(&text) {
        Some(_) => Ok(text),
        None => Err(format!("has an unreadable `{key}` (not an RFC 3339 time)")),
    }
}

fn optional_time(record: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match record.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(_) => required_time(record, key).map(Some),
    }
}

/// A discussion's `checkpoints`: none, or `{commentDue, repliesRequired, repliesDue}` as
/// `Checkpoints::check` accepts them.
fn optional_checkpoints(record: &Map<String, Value>) -> Result<Option<Checkpoints>, String> {
    let fields = match record.get("checkpoints") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(fields)) => fields,
        Some(other) => {
            return Err(format!(
                "has a `checkpoints` that is not an object ({})",
                shape_of(other)
            ))
        }
    };
    let replies_required = match fields.get("repliesRequired") {
        None | Some(Value::Null) => 0,
        Some(count) => count
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n <= MAX_REPLIES_REQUIRED)
            .ok_or_else(|| {
                format!(
                    "has a `checkpoints.repliesRequired` that is not a whole number from 0 to \
                     {MAX_REPLIES_REQUIRED} ({})",
                    shape_of(count)
                )
            })?,
    };
    let checkpoints = Checkpoints {
        comment_due: optional_time(fields, "commentDue")?.unwrap_or_default(),
        replies_required,
        replies_due: optional_time(fields, "repliesDue")?.unwrap_or_default(),
    };
    checkpoints.check().map_err(|problem| {
        match problem {
            CheckpointProblem::CommentDueMissing => "has `checkpoints` with no `commentDue`",
            CheckpointProblem::RepliesDueMissing => {
                "has `checkpoints` asking for replies with no `repliesDue`"
            }
            CheckpointProblem::TooManyReplies => "has `checkpoints` asking for too many replies",
            CheckpointProblem::RepliesDueFirst => {
                "has `checkpoints` whose `repliesDue` is before its `commentDue`"
            }
        }
        .to_owned()
    })?;
    Ok(Some(checkpoints))
}

fn required_bool(record: &Map<String, Value>, key: &str) -> Result<bool, String> {
    match record.get(key) {
        None | Some(Value::Null) => Err(format!("is missing `{key}`")),
        _ => optional_bool(record, key),
    }
}

fn optional_bool(record: &Map<String, Value>, key: &str) -> Result<bool, String> {
    match record.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(value)) => Ok(*value),
        Some(other) => Err(format!("has a non-boolean `{key}` ({})", shape_of(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str) -> Comment {
        Comment {
            id: id.into(),
            post_id: "the-post".into(),
            parent_id: None,
            author: "Maya".into(),
            author_key: Some("browser-1".into()),
            body: format!("Comment {id}"),
            created_at: "2026-11-26T14:23:20.123Z".into(),
            updated_at: "2026-11-26T14:25:00.000Z".into(),
            deleted: false,
            target: None,
            account: None,
            account_role: None,
        }
    }

    fn array_of(records: &[Value]) -> String {
        Value::Array(records.to_vec()).to_string()
    }

    /// What json-server 0.17 answers to `GET /comments?postId=the-post` after two POSTs: the
    /// records as posted, pretty-printed.
    const JSON_SERVER_COMMENTS: &str = r#"[
  {
    "id": "c1",
    "postId": "the-post",
    "parentId": null,
    "author": "Maya",
    "authorKey": "browser-1",
    "body": "First!",
    "createdAt": "2026-11-26T14:23:20.123Z",
    "updatedAt": "2026-11-26T14:23:20.123Z",
    "deleted": false
  },
  {
    "id": "c2",
    "postId": "the-post",
    "parentId": "c1",
    "author": "Jon",
    "authorKey": null,
    "body": "A *reply*.",
    "createdAt": "2019-03-15T09:12:00Z",
    "deleted": true,
    "moderated": "yes"
  }
]"#;

    #[test]
    fn a_json_server_answer_is_read_whole() {
        let parsed = parse_comments(JSON_SERVER_COMMENTS, "the-post");
        assert_eq!(parsed.problems, Vec::<String>::new());
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.items[0].author_key.as_deref(), Some("browser-1"));
        let reply = &parsed.items[1];
        assert_eq!(reply.parent_id.as_deref(), Some("c1"));
        assert_eq!(reply.author_key, None);
        assert!(reply.deleted);
        assert_eq!(reply.updated_at, reply.created_at, "updatedAt defaults");
    }

    #[test]
    fn comments_of_other_posts_are_skipped_quietly() {
        let mut other = comment_json(&comment("x"));
        other["postId"] = json!("another-post");
        other["body"] = json!(42);
        let body = array_of(&[comment_json(&comment("c1")), other]);
        let parsed = parse_comments(&body, "the-post");
        assert_eq!(parsed.items, vec![comment("c1")]);
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn truncated_json_is_a_problem_not_a_crash() {
        let body = &JSON_SERVER_COMMENTS[..JSON_SERVER_COMMENTS.len() / 2];
        let parsed = parse_comments(body, "the-post");
        assert!(parsed.items.is_empty());
        assert_eq!(parsed.problems.len(), 1);
        assert!(
            parsed.problems[0].starts_with("the server's answer is not valid JSON ("),
            "{:?}",
            parsed.problems
        );
    }

    #[test]
    fn an_html_error_page_is_named_with_its_title() {
        let page = "\n  <!DOCTYPE html>\n<html><head><TITLE>502 Bad\n Gateway</TITLE></head>\
                    <body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
        let parsed = parse_comments(page, "the-post");
        assert!(parsed.items.is_empty());
        assert_eq!(
            parsed.problems,
            ["the server sent a web page, not data (“502 Bad Gateway”)"]
        );
        assert_eq!(
            parse_comments("<html><body>oops</body></html>", "p").problems,
            ["the server sent a web page, not data"]
        );
        assert_eq!(
            parse_likes("<title></title>").problems,
            ["the server sent a web page, not data"]
        );
    }

    #[test]
    fn an_object_instead_of_a_list_is_named_by_its_shape() {
        let parsed = parse_comments(r#"{"data": [], "total": 0}"#, "the-post");
        assert!(parsed.items.is_empty());
        assert_eq!(
            parsed.problems,
            ["expected a list of comments, but the server sent an object (with data, total)"]
        );
        assert_eq!(
            parse_likes("null").problems,
            ["expected a list of likes, but the server sent null"]
        );
        assert_eq!(
            parse_comments("  ", "p").problems,
            ["the server sent an empty answer"]
        );
    }

    #[test]
    fn a_comment_missing_fields_is_skipped_with_each_field_named() {
        let mut partial = comment_json(&comment("c3"));
        let record = partial.as_object_mut().unwrap();
        record.remove("author");
        record.remove("createdAt");
        let body = array_of(&[
            comment_json(&comment("c1")),
            comment_json(&comment("c2")),
            partial,
        ]);
        let parsed = parse_comments(&body, "the-post");
        assert_eq!(parsed.items, vec![comment("c1"), comment("c2")]);
        assert_eq!(
            parsed.problems,
            ["comment #3 (id “c3”) is missing `author`; is missing `createdAt`"]
        );
    }

    #[test]
    fn a_field_over_the_limit_is_refused() {
        let mut long = comment("long");
        long.body = "x".repeat(MAX_FIELD_BYTES + 1);
        let mut at_limit = comment("fits");
        at_limit.author = "é".repeat(MAX_FIELD_BYTES / 2);
        let body = array_of(&[comment_json(&long), comment_json(&at_limit)]);
        let parsed = parse_comments(&body, "the-post");
        assert_eq!(parsed.items, vec![at_limit]);
        assert_eq!(
            parsed.problems,
            [format!(
                "comment #1 (id “long”) has a {}-byte `body` (at most {MAX_FIELD_BYTES})",
                MAX_FIELD_BYTES + 1
            )]
        );
    }

    #[test]
    fn a_body_over_five_megabytes_is_not_read() {
        let huge = format!("[{}]", " ".repeat(10 * 1024 * 1024));
        let parsed = parse_comments(&huge, "the-post");
        assert!(parsed.items.is_empty());
        assert_eq!(
            parsed.problems,
            ["the server's answer is too large (10.0 MB; at most 5 MB is read)"]
        );
        assert!(parse_comments(&huge[..MAX_RESPONSE_BYTES], "p").problems[0].contains("JSON"));
    }

    #[test]
    fn valid_comments_survive_every_kind_of_bad_neighbour() {
        let with = |key: &str, value: Value| {
            let mut record = comment_json(&comment(key));
            record[key] = value;
            record
        };
        let mut no_id = comment_json(&comment("?"));
        no_id.as_object_mut().unwrap().remove("id");
        let body = array_of(&[
            json!("just a string"),
            no_id,
            with("id", json!(7)),
            with("id", json!("")),
            with("id", json!("i".repeat(MAX_ID_BYTES + 1))),
            comment_json(&comment("good1")),
            with("postId", Value::Null),
            with("parentId", json!(3)),
            with("author", json!(["Maya"])),
            with("createdAt", json!("yesterday")),
            with("updatedAt", json!("2026-13-01T00:00:00Z")),
            with("deleted", json!("no")),
            with("authorKey", json!({})),
            comment_json(&comment("good2")),
        ]);
        let parsed = parse_comments(&body, "the-post");
        assert_eq!(parsed.items, vec![comment("good1"), comment("good2")]);
        let expected = [
            "comment #1 is not a record but a string",
            "comment #2 is missing `id`",
            "comment #3 has a non-text `id` (a number)",
            "comment #4 has an empty `id`",
            "comment #5 has a 201-byte `id` (at most 200)",
            "comment #7 (id “postId”) is missing `postId`",
            "comment #8 (id “parentId”) has a non-text `parentId` (a number)",
            "comment #9 (id “author”) has a non-text `author` (a list)",
            "comment #10 (id “createdAt”) has an unreadable `createdAt` (not an RFC 3339 time)",
            "comment #11 (id “updatedAt”) has an unreadable `updatedAt` (not an RFC 3339 time)",
            "comment #12 (id “deleted”) has a non-boolean `deleted` (a string)",
            "comment #13 (id “authorKey”) has a non-text `authorKey` (an empty object)",
        ];
        assert_eq!(parsed.problems, expected);
    }

    #[test]
    fn a_flood_of_bad_records_is_summarised() {
        let records: Vec<Value> = (0..100).map(|n| json!(n)).collect();
        let parsed = parse_comments(&array_of(&records), "p");
        assert_eq!(parsed.problems.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(
            parsed.problems.last().unwrap(),
            "… and 80 more comments with problems"
        );
    }

    #[test]
    fn long_ids_are_shortened_in_problems() {
        let mut record = comment_json(&comment(&"é".repeat(60)));
        record["deleted"] = json!(1);
        let parsed = parse_comments(&array_of(&[record]), "the-post");
        let expected = format!(
            "comment #1 (id “{}…”) has a non-boolean `deleted` (a number)",
            "é".repeat(40)
        );
        assert_eq!(parsed.problems, [expected]);
    }

    #[test]
    fn a_sent_comment_reads_back_as_itself() {
        let mut reply = comment("c2");
        reply.parent_id = Some("c1".into());
        reply.author_key = None;
        reply.deleted = true;
        let mut never_edited = comment("c3");
        never_edited.updated_at = String::new();
        let sent = [comment("c1"), reply.clone(), never_edited.clone()];
        let body = array_of(&sent.iter().map(comment_json).collect::<Vec<_>>());
        let parsed = parse_comments(&body, "the-post");
        assert!(parsed.problems.is_empty());
        assert_eq!(parsed.items[..2], [comment("c1"), reply]);
        assert_eq!(parsed.items[2].updated_at, never_edited.created_at);
        assert_eq!(parsed.items[2].last_change(), never_edited.last_change());
    }

    fn quoting(id: &str) -> Comment {
        Comment {
            target: Some(Box::new(Passage {
                exact: "never given".into(),
                prefix: "freedom is ".into(),
                suffix: ". Injustice".into(),
                start: 80,
                end: 91,
            })),
            ..comment(id)
        }
    }

    #[test]
    fn a_comment_reads_back_with_the_account_that_wrote_it() {
        let signed = Comment {
            account: Some("prof".into()),
            account_role: Some("instructor".into()),
            ..comment("c1")
        };
        let record = comment_json(&signed);
        assert_eq!(record["account"], "prof");
        assert_eq!(record["accountRole"], "instructor");
        let parsed = parse_comments(&array_of(&[record]), "the-post");
        assert_eq!(parsed.items, [signed]);
        assert!(comment_json(&comment("c2")).get("account").is_none());
        for (id, role, account) in [
            ("c3", json!("dean"), json!("x")),
            ("c4", json!("ta"), Value::Null),
        ] {
            let mut forged = comment_json(&comment(id));
            forged["account"] = account;
            forged["accountRole"] = role;
            let parsed = parse_comments(&array_of(&[forged]), "the-post");
            assert!(parsed.items.is_empty());
            assert!(
                parsed.problems[0].contains("`accountRole`"),
                "{:?}",
                parsed.problems
            );
        }
    }

    #[test]
    fn a_comment_on_a_passage_reads_back_with_its_w3c_target() {
        let record = comment_json(&quoting("c1"));
        assert_eq!(
            record["target"],
            json!({"selector": [
                {"type": "TextQuoteSelector", "exact": "never given",
                 "prefix": "freedom is ", "suffix": ". Injustice"},
                {"type": "TextPositionSelector", "start": 80, "end": 91},
            ]})
        );
        assert!(comment_json(&comment("c2")).get("target").is_none());
        let body = array_of(&[record, comment_json(&comment("c2"))]);
        let parsed = parse_comments(&body, "the-post");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.items, [quoting("c1"), comment("c2")]);
    }

    #[test]
    fn a_null_target_is_a_comment_on_the_whole_post() {
        let mut record = comment_json(&comment("c1"));
        record["target"] = Value::Null;
        let parsed = parse_comments(&array_of(&[record]), "the-post");
        assert_eq!(parsed.items, [comment("c1")]);
    }

    #[test]
    fn bad_targets_are_refused_with_the_rule_they_break() {
        let with_target = |id: &str, target: Value| {
            let mut record = comment_json(&comment(id));
            record["target"] = target;
            record
        };
        let quote = |exact: &str, prefix: &str| json!({"type": "TextQuoteSelector", "exact": exact, "prefix": prefix});
        let position = |start: i64, end: i64| json!({"type": "TextPositionSelector", "start": start, "end": end});
        let body = array_of(&[
            comment_json(&quoting("good")),
            with_target("t1", json!("the passage")),
            with_target(
                "t2",
                json!({"selector": [quote("abc", ""), {"type": "XPathSelector"}]}),
            ),
            with_target("t3", json!({"selector": [quote("", ""), position(4, 4)]})),
            with_target(
                "t4",
                json!({"selector": [quote(&"x".repeat(2001), ""), position(0, 2001)]}),
            ),
            with_target(
                "t5",
                json!({"selector": [quote("abc", &"p".repeat(65)), position(1, 4)]}),
            ),
            with_target(
                "t6",
                json!({"selector": [quote("abc", ""), position(1, 9)]}),
            ),
            with_target(
                "t7",
                json!({"selector": [quote("abc", ""), position(7, 2)]}),
            ),
        ]);
        let parsed = parse_comments(&body, "the-post");
        assert_eq!(parsed.items, [quoting("good")]);
        let expected = [
            "comment #2 (id “t1”) has an unreadable `target` (invalid type: string \"the passage\", expected a W3C annotation target (an object with a selector list))",
            "comment #3 (id “t2”) has an unreadable `target` (unknown variant `XPathSelector`, expected `TextQuoteSelector` or `TextPositionSelector`)",
            "comment #4 (id “t3”) has a bad `target` (the quoted passage is empty; the passage's position 4..4 does not start before it ends)",
            "comment #5 (id “t4”) has a bad `target` (the quoted passage is 2001 characters, longer than the limit of 2000)",
            "comment #6 (id “t5”) has a bad `target` (the text before the passage is 65 characters; the limit is 64)",
            "comment #7 (id “t6”) has a bad `target` (the passage's position spans 8 characters but the quotation has 3)",
            "comment #8 (id “t7”) has a bad `target` (the passage's position 7..2 does not start before it ends)",
        ];
        assert_eq!(parsed.problems, expected);
    }

    #[test]
    fn comment_records_have_every_field_in_camel_case() {
        let record = comment_json(&comment("c1"));
        let keys: Vec<&str> = record
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "id",
            "postId",
            "parentId",
            "author",
            "authorKey",
            "body",
            "createdAt",
            "updatedAt",
            "deleted",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        assert_eq!(record["parentId"], Value::Null);
    }

    fn like(comment_id: &str, browser_id: &str, liked: bool) -> Like {
        Like {
            comment_id: comment_id.into(),
            browser_id: browser_id.into(),
            liked,
            updated_at: "2026-11-26T14:30:00.000Z".into(),
        }
    }

    #[test]
    fn like_records_are_keyed_by_comment_and_browser() {
        let record = like_json(&like("c1", "b7", true));
        assert_eq!(
            record,
            json!({
                "id": "c1:b7",
                "commentId": "c1",
                "browserId": "b7",
                "liked": true,
                "updatedAt": "2026-11-26T14:30:00.000Z",
            })
        );
        assert_eq!(like_record_id(&like("c1", "b7", false)), "c1:b7");
    }

    #[test]
    fn likes_read_back_and_bad_ones_are_named() {
        let likes = [like("c1", "b1", true), like("c2", "b1", false)];
        let mut records: Vec<Value> = likes.iter().map(like_json).collect();
        let mut missing = like_json(&like("c1", "b2", true));
        missing.as_object_mut().unwrap().remove("liked");
        let mut odd_id = like_json(&like("c1", "b3", true));
        odd_id["id"] = json!("7");
        odd_id["postId"] = json!("the-post");
        records.extend([missing, odd_id, json!({"id": "x", "commentId": 5})]);
        let parsed = parse_likes(&array_of(&records));
        assert_eq!(
            parsed.items,
            [likes[0].clone(), likes[1].clone(), like("c1", "b3", true)]
        );
        assert_eq!(
            parsed.problems,
            [
                "like #3 (id “c1:b2”) is missing `liked`",
                "like #5 (id “x”) has a non-text `commentId` (a number)",
            ]
        );
    }

    #[test]
    fn likes_of_other_comments_can_be_skipped_quietly() {
        let mut other = like_json(&like("elsewhere", "b1", true));
        other["liked"] = json!("maybe");
        let body = array_of(&[like_json(&like("c1", "b1", true)), other]);
        let ids: HashSet<&str> = ["c1", "c2"].into_iter().collect();
        let parsed = parse_likes_of(&body, &ids);
        assert_eq!(parsed.items, [like("c1", "b1", true)]);
        assert!(parsed.problems.is_empty());
        assert_eq!(parse_likes(&body).problems.len(), 1);
    }

    #[test]
    fn server_messages_are_found_where_servers_put_them() {
        assert_eq!(
            server_message(r#"{"message": "Body is\n too long"}"#).as_deref(),
            Some("Body is too long")
        );
        assert_eq!(
            server_message(r#"{"error": {"message": "Forbidden", "code": 403}}"#).as_deref(),
            Some("Forbidden")
        );
        assert_eq!(
            server_message(r#"{"error": "Not allowed"}"#).as_deref(),
            Some("Not allowed")
        );
        assert_eq!(
            server_message(r#"{"error": "forbidden", "reason": "Only its author may edit it."}"#)
                .as_deref(),
            Some("Only its author may edit it.")
        );
        assert_eq!(
            server_message("Payload Too Large").as_deref(),
            Some("Payload Too Large")
        );
        for nothing in [
            "",
            "   ",
            "{}",
            r#"{"message": "  "}"#,
            "[1, 2]",
            "<html><title>Error</title></html>",
        ] {
            assert_eq!(server_message(nothing), None, "{nothing:?}");
        }
        assert_eq!(server_message(&"x".repeat(301)), None);
        let long = server_message(&json!({ "message": "y".repeat(400) }).to_string()).unwrap();
        assert_eq!(long.chars().count(), 301);
    }

    // proptest does not build for wasm32, where the browser tests compile this crate.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_text_parses_without_panicking(body in ".{0,300}") {
                let parsed = parse_comments(&body, "p");
                prop_assert!(parsed.items.is_empty() || body.trim_start().starts_with('['));
                let _ = parse_likes(&body);
                let _ = server_message(&body);
            }

            #[test]
            fn comments_round_trip_through_the_wire(
                id in "[a-z0-9-]{1,20}",
                author in ".{0,40}",
                body in ".{0,200}",
                parent in proptest::option::of("[a-z0-9]{1,8}"),
                author_key in proptest::option::of("[a-z0-9]{1,8}"),
                deleted in any::<bool>(),
                millis in 0i64..4_102_444_800_000,
            ) {
                let time = crate::model::timestamp::format_millis(millis);
                let sent = Comment {
                    id,
                    post_id: "p".into(),
                    parent_id: parent,
                    author,
                    author_key,
                    body,
                    created_at: time.clone(),
                    updated_at: time,
                    deleted,
                    target: None,
                    account: None,
                    account_role: None,
                };
                let parsed = parse_comments(&array_of(&[comment_json(&sent)]), "p");
                prop_assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
                prop_assert_eq!(parsed.items, vec![sent]);
            }
        }
    }
}
