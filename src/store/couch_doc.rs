//! The documents of a thread kept in CouchDB and the answers CouchDB gives about them: document
//! ids, comments and likes to and from documents, range reads and change feeds checked document
//! by document, and what a write does when it meets a conflict. Pure; see docs/couchdb.md.
//!
//! Layout: one document per comment, `<postSlug>:<commentId>`, and one per browser's like of a
//! comment, `<postSlug>:like:<commentId>:<browserId>`, so a post's documents are the one id
//! range `<postSlug>:` to `<postSlug>:\u{fff0}`. Each has `type` "comment" or "like" and the
//! fields of the REST records (docs/protocol.yaml); a comment also has `authorLock`
//! (see `author_lock`). The staff's decisions (`type` "moderation") are in the same range:
//! `<postSlug>:mod:<commentId>` for a comment, `<postSlug>:settings` for the discussion; and
//! so are readers' reports (`type` "report"), `<postSlug>:report:<commentId>:<account>`.

use super::author_lock;
use super::outbox::Pending;
use super::wire::{self, Parsed};
use crate::model::merge::{winning_comment, winning_like};
use crate::model::moderation::winning_moderation;
use crate::model::report::winning_report;
use crate::model::{Like, ThreadData};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The design document the host installs (scripts/couch-install.mjs).
pub const DESIGN_DOC_ID: &str = "_design/colloquy";
/// Its change filter that passes one post's documents (`post` query parameter).
pub const POST_FILTER: &str = "colloquy/post";
/// How long the server may hold a long-poll request open when nothing changes, in ms.
pub const LONGPOLL_SERVER_MS: u32 = 25_000;

/// The id of a comment's document.
pub fn comment_doc_id(post_id: &str, comment_id: &str) -> String {
    format!("{post_id}:{comment_id}")
}

/// The id of the document of one browser's like of one comment.
pub fn like_doc_id(post_id: &str, like: &Like) -> String {
    format!("{post_id}:like:{}:{}", like.comment_id, like.browser_id)
}

/// The id of the document a pending record is written to.
pub fn doc_id(post_id: &str, record: &Pending) -> String {
    match record {
        Pending::Comment(comment) => comment_doc_id(post_id, &comment.id),
        Pending::Like(like) => like_doc_id(post_id, like),
        Pending::Moderation(decision) => format!("{post_id}:{}", decision.record_id()),
        Pending::Report(report) => format!("{post_id}:{}", report.record_id()),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for a path segment or a
/// query value.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The query of the one `_all_docs` read that returns every document of a post.
pub fn range_query(post_id: &str) -> String {
    let key =
        |suffix: &str| percent_encode(&Value::String(format!("{post_id}:{suffix}")).to_string());
    format!(
        "include_docs=true&startkey={}&endkey={}",
        key(""),
        key("\u{fff0}")
    )
}

/// The query of one long-poll request for a post's changes after `since`.
pub fn changes_query(post_id: &str, since: &str) -> String {
    format!(
        "feed=longpoll&include_docs=true&filter={}&post={}&since={}&timeout={LONGPOLL_SERVER_MS}",
        percent_encode(POST_FILTER),
        percent_encode(post_id),
        percent_encode(since)
    )
}

/// What the server holds in one document: the record, and what a write must name to replace
/// it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub record: Pending,
    pub rev: String,
    /// A comment's `authorLock`.
    pub lock: Option<String>,
}

impl Stored {
    /// The revision's generation, the number before the dash of `rev`.
    fn generation(&self) -> u64 {
        self.rev
            .split_once('-')
            .and_then(|(n, _)| n.parse().ok())
            .unwrap_or(0)
    }

    /// Whether `self` is a later revision than `other` (a feed may report one the writer
    /// already moved past).
    pub fn is_newer_than(&self, other: &Stored) -> bool {
        self.generation() > other.generation()
    }
}

/// A post's documents as read: the thread they hold, each valid document by id, and what was
/// wrong with the others.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    pub data: ThreadData,
    pub stored: HashMap<String, Stored>,
    pub problems: Vec<String>,
}

/// The documents of `post_id` among `docs`; others (another post's, deleted ones) are skipped.
pub fn read_docs(docs: &[Value], post_id: &str) -> Docs {
    let prefix = format!("{post_id}:");
    let mut out = Docs::default();
    let mut comments = Vec::new();
    let mut likes = Vec::new();
    let mut decisions = Vec::new();
    let mut reports = Vec::new();
    let mut revisions: HashMap<String, (String, Option<String>)> = HashMap::new();
    for doc in docs {
        let Some(record) = doc.as_object() else {
            out.problems.push(format!(
                "a document is not a record but {}",
                wire::shape_of(doc)
            ));
            continue;
        };
        let Some(id) = record.get("_id").and_then(Value::as_str) else {
            out.problems.push("a document has no `_id`".to_owned());
            continue;
        };
        if !id.starts_with(&prefix) || record.get("_deleted") == Some(&Value::Bool(true)) {
            continue;
        }
        match matching_id(record, post_id) {
            Ok(Kind::Comment) => comments.push(doc.clone()),
            Ok(Kind::Like) => likes.push(doc.clone()),
            Ok(Kind::Moderation) => decisions.push(doc.clone()),
            Ok(Kind::Report) => reports.push(doc.clone()),
            Err(problem) => {
                out.problems.push(format!("document “{id}” {problem}"));
                continue;
            }
        }
        if let Some(rev) = record.get("_rev").and_then(Value::as_str) {
            let lock = record.get("authorLock").and_then(Value::as_str);
            revisions.insert(id.to_owned(), (rev.to_owned(), lock.map(str::to_owned)));
        }
    }
    let Parsed { items, problems } = wire::comments_from(&comments, post_id);
    out.data.comments = items;
    out.problems.extend(problems);
    let Parsed { items, problems } = wire::likes_from(&likes, None);
    out.data.likes = items;
    out.problems.extend(problems);
    let Parsed { items, problems } = wire::moderation_from(&decisions);
    for decision in &items {
        crate::model::moderation::apply(&mut out.data.moderation, decision);
    }
    out.problems.extend(problems);
    let Parsed {
        items: reported,
        problems,
    } = wire::reports_from(&reports);
    for report in &reported {
        crate::model::report::apply(&mut out.data.reports, report);
    }
    out.problems.extend(problems);
    let records = (out.data.comments.iter().cloned().map(Pending::Comment))
        .chain(out.data.likes.iter().cloned().map(Pending::Like))
        .chain(items.into_iter().map(Pending::Moderation))
        .chain(reported.into_iter().map(Pending::Report));
    for record in records {
        let id = doc_id(post_id, &record);
        if let Some((rev, lock)) = revisions.remove(&id) {
            out.stored.insert(id, Stored { record, rev, lock });
        }
    }
    out
}

enum Kind {
    Comment,
    Like,
    Moderation,
    Report,
}

/// The document's kind, if its `_id` is the one its fields call for.
fn matching_id(record: &Map<String, Value>, post_id: &str) -> Result<Kind, String> {
    let text = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
    let id = text("_id");
    let (kind, expected) = match text("type") {
        "comment" => (Kind::Comment, comment_doc_id(post_id, text("id"))),
        "like" => (
            Kind::Like,
            format!("{post_id}:like:{}:{}", text("commentId"), text("browserId")),
        ),
        "moderation" => (
            Kind::Moderation,
            match record.get("commentId").and_then(Value::as_str) {
                Some(comment_id) => format!("{post_id}:mod:{comment_id}"),
                None => format!("{post_id}:settings"),
            },
        ),
        "report" => (
            Kind::Report,
            format!("{post_id}:report:{}:{}", text("commentId"), text("account")),
        ),
        _ => {
            return Err(
                "is not a comment, a like, a moderation record or a report (`type`)".to_owned(),
            )
        }
    };
    if id != expected {
        return Err(format!("should have the id “{expected}”"));
    }
    Ok(kind)
}

/// The documents of an `_all_docs?include_docs=true` answer.
pub fn parse_all_docs(body: &str, post_id: &str) -> Docs {
    match rows_of(body, "rows") {
        Ok(rows) => read_docs(&docs_of(&rows), post_id),
        Err(problem) => Docs {
            problems: vec![problem],
            ..Docs::default()
        },
    }
}

/// One long-poll answer of the change feed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub docs: Docs,
    /// Where the next request resumes: `last_seq` as text (CouchDB's are opaque strings,
    /// PouchDB Server's numbers).
    pub last_seq: String,
}

/// A `_changes?include_docs=true` answer, or why it cannot be used (then the feed resumes
/// from where it was).
pub fn parse_changes(body: &str, post_id: &str) -> Result<Changes, String> {
    let results = rows_of(body, "results")?;
    let last_seq = wire::json_body(body)
        .ok()
        .and_then(|value| value.get("last_seq").and_then(seq_text))
        .ok_or("the change feed's answer has no `last_seq`")?;
    Ok(Changes {
        docs: read_docs(&docs_of(&results), post_id),
        last_seq,
    })
}

/// The database's `update_seq` in a `GET /{db}` answer: where a feed starts that follows a
/// range read.
pub fn parse_update_seq(body: &str) -> Result<String, String> {
    let info = wire::json_body(body)?;
    info.get("update_seq")
        .and_then(seq_text)
        .ok_or_else(|| "the database's answer has no `update_seq`".to_owned())
}

/// Whether a design document (a `GET /{db}/_design/colloquy` answer) has the post filter.
pub fn has_post_filter(body: &str) -> bool {
    wire::json_body(body).is_ok_and(|ddoc| {
        ddoc.pointer(&format!(
            "/filters/{}",
            POST_FILTER.split('/').nth(1).unwrap_or("")
        ))
        .is_some_and(Value::is_string)
    })
}

fn seq_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The `key` array of the object `body` holds.
fn rows_of(body: &str, key: &str) -> Result<Vec<Value>, String> {
    match wire::json_body(body)? {
        Value::Object(mut object) => match object.remove(key) {
            Some(Value::Array(rows)) => Ok(rows),
            _ => Err(format!("the database's answer has no `{key}` list")),
        },
        other => Err(format!(
            "expected the database's answer to be an object, but it sent {}",
            wire::shape_of(&other)
        )),
    }
}

fn docs_of(rows: &[Value]) -> Vec<Value> {
    rows.iter()
        .filter_map(|row| row.get("doc").cloned())
        .collect()
}

/// The document that holds `record`, to PUT at its id: with `_rev` when it replaces a revision,
/// and for a comment, the `authorLock` given.
pub fn document(post_id: &str, record: &Pending, rev: Option<&str>, lock: Option<&str>) -> Value {
    let mut doc = match record {
        Pending::Comment(comment) => {
            let mut doc = wire::comment_json(comment);
            doc["type"] = "comment".into();
            doc["authorLock"] = lock.into();
            doc
        }
        Pending::Like(like) => {
            let mut doc = wire::like_json(like);
            doc["type"] = "like".into();
            doc["postId"] = post_id.into();
            doc
        }
        Pending::Moderation(decision) => {
            let mut doc = wire::moderation_json(decision);
            doc["type"] = "moderation".into();
            doc["postId"] = post_id.into();
            doc
        }
        Pending::Report(report) => {
            let mut doc = wire::report_json(report);
            doc["type"] = "report".into();
            doc["postId"] = post_id.into();
            doc
        }
    };
    doc["_id"] = doc_id(post_id, record).into();
    if let Some(rev) = rev {
        doc["_rev"] = rev.into();
    }
    doc
}

/// What to do to get `ours` onto the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// PUT this document.
    Write(Value),
    /// Nothing: the server's copy is ours, or wins over it by the merge rules (a newer edit, a
    /// delete), so writing would lose something. The server's copy is the result.
    Done,
    /// It cannot be written, for this reason.
    Refused(String),
}

/// What to write for `ours`, given what the server is known to hold in its document (from a
/// read, the change feed, or after a conflict). A comment's edit needs the next lock on this
/// browser's chain (`secret`).
pub fn plan_write(post_id: &str, ours: &Pending, known: Option<&Stored>, secret: &str) -> Plan {
    let wins_over_server = match (ours, known.map(|known| &known.record)) {
        (_, None) => true,
        (Pending::Comment(mine), Some(Pending::Comment(theirs))) => {
            winning_comment(theirs, mine) != theirs
        }
        (Pending::Like(mine), Some(Pending::Like(theirs))) => winning_like(theirs, mine) != theirs,
        (Pending::Moderation(mine), Some(Pending::Moderation(theirs))) => {
            winning_moderation(theirs, mine) != theirs
        }
        (Pending::Report(mine), Some(Pending::Report(theirs))) => {
            winning_report(theirs, mine) != theirs
        }
        _ => true,
    };
    if !wins_over_server {
        return Plan::Done;
    }
    let rev = known.map(|known| known.rev.as_str());
    let Pending::Comment(comment) = ours else {
        return Plan::Write(document(post_id, ours, rev, None));
    };
    let lock = match known {
        None => author_lock::initial_lock(secret, &comment.id),
        Some(known) => match known
            .lock
            .as_deref()
            .and_then(|lock| author_lock::next_lock(secret, &comment.id, lock))
        {
            Some(next) => next,
            None => {
                return Plan::Refused(
                    "only the browser that wrote this comment can change it".to_owned(),
                )
            }
        },
    };
    Plan::Write(document(post_id, ours, rev, Some(&lock)))
}

/// What a `GET /{db}/{docId}` answer holds for `ours`' document, or why it cannot be read.
pub fn parse_doc(body: &str, post_id: &str, ours: &Pending) -> Result<Stored, String> {
    let doc = wire::json_body(body)?;
    let mut read = read_docs(std::slice::from_ref(&doc), post_id);
    if let Some(problem) = read.problems.pop() {
        return Err(problem);
    }
    let id = doc_id(post_id, ours);
    read.stored
        .remove(&id)
        .ok_or_else(|| format!("the database sent another document than “{id}”"))
}

/// Whether a write refused with 403 was refused for being stale rather than for what it is:
/// PouchDB Server runs `validate_doc_update` against the current revision before it checks
/// for a conflict, so a write naming an old revision (or none) can meet the author lock of a
/// newer one. It was stale if the document now is at another revision than the one written
/// against (`sent`); then it is a conflict, to be merged, not a refusal.
pub fn refused_as_stale(sent: Option<&Stored>, current: Option<&Stored>) -> bool {
    sent.map(|stored| &stored.rev) != current.map(|stored| &stored.rev)
}

/// The new revision in a successful PUT's answer (`{"ok": true, "id": …, "rev": …}`).
pub fn written_rev(body: &str) -> Option<String> {
    wire::json_body(body)
        .ok()?
        .get("rev")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Comment;
    use serde_json::json;

    const POST: &str = "the-post";

    fn comment(id: &str, body: &str) -> Comment {
        Comment {
            id: id.into(),
            post_id: POST.into(),
            parent_id: None,
            author: "Maya".into(),
            author_key: Some("browser-1".into()),
            body: body.into(),
            created_at: "2026-11-26T14:30:00.000Z".into(),
            updated_at: "2026-11-26T14:30:00.000Z".into(),
            deleted: false,
            target: None,
            account: None,
            account_role: None,
        }
    }

    fn like(comment_id: &str, liked: bool, minute: u32) -> Like {
        Like {
            comment_id: comment_id.into(),
            browser_id: "b7".into(),
            liked,
            updated_at: format!("2026-11-26T14:{minute:02}:00.000Z"),
        }
    }

    fn stored(record: &Pending, rev: &str, lock: Option<&str>) -> Value {
        document(POST, record, Some(rev), lock)
    }

    #[test]
    fn document_ids_put_a_posts_documents_in_one_range() {
        assert_eq!(comment_doc_id(POST, "c1"), "the-post:c1");
        assert_eq!(
            like_doc_id(POST, &like("c1", true, 0)),
            "the-post:like:c1:b7"
        );
        assert_eq!(
            range_query(POST),
            "include_docs=true&startkey=%22the-post%3A%22&endkey=%22the-post%3A%EF%BF%B0%22"
        );
        assert!(changes_query(POST, "12-g1AAAA")
            .contains("filter=colloquy%2Fpost&post=the-post&since=12-g1AAAA&timeout=25000"));
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn documents_read_back_as_the_records_written() {
        let reply = {
            let mut reply = comment("c2", "A reply");
            reply.parent_id = Some("c1".into());
            reply
        };
        let records = [
            Pending::Comment(comment("c1", "First")),
            Pending::Comment(reply.clone()),
            Pending::Like(like("c1", true, 3)),
        ];
        let lock = author_lock::initial_lock("s", "c1");
        let docs: Vec<Value> = records
            .iter()
            .map(|record| stored(record, "1-abc", Some(&lock)))
            .collect();
        let read = read_docs(&docs, POST);
        assert_eq!(read.problems, Vec::<String>::new());
        assert_eq!(read.data.comments, [comment("c1", "First"), reply]);
        assert_eq!(read.data.likes, [like("c1", true, 3)]);
        assert_eq!(
            read.stored["the-post:c1"],
            Stored {
                record: records[0].clone(),
                rev: "1-abc".into(),
                lock: Some(lock)
            }
        );
        assert_eq!(read.stored["the-post:like:c1:b7"].lock, None);
        assert_eq!(read.stored.len(), 3);
        let doc = &docs[0];
        assert_eq!(doc["type"], "comment");
        assert_eq!(doc["_id"], "the-post:c1");
        assert_eq!(docs[2]["postId"], POST);
    }

    fn decision(comment_id: Option<&str>, minute: u32) -> crate::model::Moderation {
        crate::model::Moderation {
            comment_id: comment_id.map(str::to_owned),
            updated_at: format!("2026-11-26T14:{minute:02}:00.000Z"),
            account: "prof".into(),
            account_role: "instructor".into(),
            ..Default::default()
        }
    }

    #[test]
    fn staff_decisions_are_documents_of_the_posts_range() {
        let pinned = crate::model::Moderation {
            pinned: true,
            ..decision(Some("c1"), 1)
        };
        let locked = crate::model::Moderation {
            locked: true,
            ..decision(None, 2)
        };
        let records = [
            Pending::Moderation(pinned.clone()),
            Pending::Moderation(locked.clone()),
        ];
        let docs: Vec<Value> = records.iter().map(|r| stored(r, "1-m", None)).collect();
        assert_eq!(docs[0]["_id"], "the-post:mod:c1");
        assert_eq!(docs[0]["type"], "moderation");
        assert_eq!(docs[1]["_id"], "the-post:settings");
        assert_eq!(docs[1]["commentId"], Value::Null);
        let read = read_docs(&docs, POST);
        assert_eq!(read.problems, Vec::<String>::new());
        // The discussion's record first, then by comment.
        assert_eq!(read.data.moderation, [locked, pinned.clone()]);
        assert_eq!(read.stored["the-post:mod:c1"].rev, "1-m");

        let mut forged = docs[0].clone();
        forged["_id"] = "the-post:mod:c2".into();
        let mut no_role = docs[0].clone();
        no_role["accountRole"] = "student".into();
        let read = read_docs(&[forged, no_role], POST);
        assert!(read.data.moderation.is_empty());
        assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
        assert!(read.problems[0].contains("should have the id “the-post:mod:c1”"));
        assert!(read.problems[1].contains("accountRole"));

        // An older decision does not overwrite a newer one on the server.
        let older = Pending::Moderation(decision(Some("c1"), 0));
        let known = Stored {
            record: Pending::Moderation(pinned),
            rev: "2-x".into(),
            lock: None,
        };
        assert_eq!(plan_write(POST, &older, Some(&known), "s"), Plan::Done);
        let newer = Pending::Moderation(decision(Some("c1"), 5));
        let Plan::Write(doc) = plan_write(POST, &newer, Some(&known), "s") else {
            panic!("a newer decision is written");
        };
        assert_eq!(doc["_rev"], "2-x");
        assert_eq!(doc["pinned"], false);
    }

    #[test]
    fn checkpoints_travel_in_the_settings_and_bad_ones_are_named() {
        let settings = crate::model::Moderation {
            checkpoints: Some(crate::model::checkpoint::Checkpoints {
                comment_due: "2026-12-05T22:59:00.000Z".into(),
                replies_required: 2,
                replies_due: "2026-12-12T22:59:00.000Z".into(),
            }),
            ..decision(None, 3)
        };
        let doc = stored(&Pending::Moderation(settings.clone()), "1-s", None);
        assert_eq!(doc["_id"], "the-post:settings");
        assert_eq!(doc["checkpoints"]["repliesRequired"], 2);
        assert_eq!(doc["checkpoints"]["commentDue"], "2026-12-05T22:59:00.000Z");
        let read = read_docs(std::slice::from_ref(&doc), POST);
        assert_eq!(read.problems, Vec::<String>::new());
        assert_eq!(read.data.moderation, [settings]);

        let broken = |edit: fn(&mut Value)| {
            let mut bad = doc.clone();
            edit(&mut bad);
            let read = read_docs(&[bad], POST);
            assert!(read.data.moderation.is_empty());
            assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
            read.problems[0].clone()
        };
        let problem = broken(|d| d["checkpoints"] = "soon".into());
        assert!(
            problem.contains("`checkpoints` that is not an object"),
            "{problem}"
        );
        let problem = broken(|d| d["checkpoints"]["repliesRequired"] = (-1).into());
        assert!(problem.contains("repliesRequired"), "{problem}");
        let problem = broken(|d| d["checkpoints"]["repliesDue"] = Value::Null);
        assert!(problem.contains("no `repliesDue`"), "{problem}");
        let problem = broken(|d| d["checkpoints"]["commentDue"] = "Friday".into());
        assert!(problem.contains("unreadable `commentDue`"), "{problem}");
        let problem = broken(|d| d["checkpoints"]["repliesDue"] = "2026-12-01T00:00:00Z".into());
        assert!(problem.contains("before its `commentDue`"), "{problem}");
        let problem = broken(|d| {
            d["_id"] = "the-post:mod:c1".into();
            d["id"] = "mod:c1".into();
            d["commentId"] = "c1".into();
        });
        assert!(
            problem.contains("only the discussion's settings"),
            "{problem}"
        );
    }

    #[test]
    fn reports_are_documents_of_the_posts_range_one_per_reader() {
        let report = crate::model::Report {
            comment_id: "c1".into(),
            account: "alice".into(),
            reason: "other".into(),
            details: "An advert.".into(),
            reviewed: false,
            updated_at: "2026-11-26T14:30:00.000Z".into(),
        };
        let doc = stored(&Pending::Report(report.clone()), "1-r", None);
        assert_eq!(doc["_id"], "the-post:report:c1:alice");
        assert_eq!(doc["type"], "report");
        let read = read_docs(std::slice::from_ref(&doc), POST);
        assert_eq!(read.problems, Vec::<String>::new());
        assert_eq!(read.data.reports, [report]);

        let mut as_another = doc.clone();
        as_another["account"] = "boris".into();
        let mut bad_reason = doc;
        bad_reason["reason"] = "boring".into();
        let read = read_docs(&[as_another, bad_reason], POST);
        assert!(read.data.reports.is_empty());
        assert!(read.problems[0].contains("should have the id “the-post:report:c1:boris”"));
        assert!(read.problems[1].contains("`reason` \"boring\""));
    }

    #[test]
    fn other_posts_deleted_and_mislabelled_documents_are_left_out() {
        let good = stored(&Pending::Comment(comment("c1", "Good")), "1-a", None);
        let mut other_post = good.clone();
        other_post["_id"] = "the-post-two:c1".into();
        let mut deleted = good.clone();
        deleted["_id"] = "the-post:gone".into();
        deleted["_deleted"] = true.into();
        let mut wrong_id = good.clone();
        wrong_id["_id"] = "the-post:c9".into();
        let mut no_type = good.clone();
        no_type["_id"] = "the-post:x".into();
        no_type.as_object_mut().unwrap().remove("type");
        let mut no_author = good.clone();
        no_author["_id"] = "the-post:c3".into();
        no_author["id"] = "c3".into();
        no_author.as_object_mut().unwrap().remove("author");
        let read = read_docs(
            &[
                good,
                other_post,
                deleted,
                wrong_id,
                no_type,
                json!(7),
                no_author,
            ],
            POST,
        );
        assert_eq!(read.data.comments, [comment("c1", "Good")]);
        assert_eq!(
            read.problems,
            [
                "document “the-post:c9” should have the id “the-post:c1”",
                "document “the-post:x” is not a comment, a like, a moderation record or a report (`type`)",
                "a document is not a record but a number",
                "comment #2 (id “c3”) is missing `author`",
            ]
        );
    }

    #[test]
    fn all_docs_and_change_answers_are_checked() {
        let doc = stored(&Pending::Comment(comment("c1", "Hi")), "2-b", None);
        let all = json!({"total_rows": 3, "offset": 0, "rows": [
            {"id": "the-post:c1", "key": "the-post:c1", "value": {"rev": "2-b"}, "doc": doc},
        ]});
        assert_eq!(
            parse_all_docs(&all.to_string(), POST).data.comments,
            [comment("c1", "Hi")]
        );
        let pouch = json!({"results": [{"id": "the-post:c1", "seq": 4, "changes": [], "doc": doc}], "last_seq": 4});
        let changes = parse_changes(&pouch.to_string(), POST).unwrap();
        assert_eq!(changes.last_seq, "4");
        assert_eq!(changes.docs.data.comments.len(), 1);
        let couch = json!({"results": [], "last_seq": "17-g1AAAAB", "pending": 0});
        assert_eq!(
            parse_changes(&couch.to_string(), POST).unwrap().last_seq,
            "17-g1AAAAB"
        );
        // PouchDB Server streams a long poll with line breaks inside.
        let streamed = format!(
            "{{\"results\":[\n{}\n],\n\"last_seq\":4}}\n",
            json!({"id": "x", "seq": 4})
        );
        assert!(parse_changes(&streamed, POST).is_ok());
        assert!(parse_changes(r#"{"results": []}"#, POST)
            .unwrap_err()
            .contains("last_seq"));
        assert!(parse_changes("<html>", POST)
            .unwrap_err()
            .contains("web page"));
        assert_eq!(
            parse_all_docs(r#"{"error": "unauthorized"}"#, POST).problems,
            ["the database's answer has no `rows` list"]
        );
        assert_eq!(
            parse_update_seq(r#"{"db_name": "d", "update_seq": 12}"#).unwrap(),
            "12"
        );
        assert_eq!(
            parse_update_seq(r#"{"update_seq": "3-xyz"}"#).unwrap(),
            "3-xyz"
        );
        assert!(parse_update_seq("{}").is_err());
    }

    #[test]
    fn the_design_document_is_recognised_by_its_filter() {
        assert!(has_post_filter(
            r#"{"_id": "_design/colloquy", "filters": {"post": "function (doc, req) {}"}}"#
        ));
        assert!(!has_post_filter(
            r#"{"_id": "_design/colloquy", "filters": {}}"#
        ));
        assert!(!has_post_filter(r#"{"error": "not_found"}"#));
    }

    #[test]
    fn a_new_comment_is_created_with_the_first_lock_of_its_chain() {
        let ours = Pending::Comment(comment("c1", "Hi"));
        let Plan::Write(doc) = plan_write(POST, &ours, None, "secret") else {
            panic!("not a write");
        };
        assert_eq!(doc["authorLock"], author_lock::initial_lock("secret", "c1"));
        assert!(doc.get("_rev").is_none());
    }

    #[test]
    fn an_edit_names_the_revision_and_reveals_the_preimage_of_the_lock() {
        let lock = author_lock::initial_lock("secret", "c1");
        let edit = Pending::Comment(comment("c1", "Edited"));
        let mut original = comment("c1", "Hi");
        original.updated_at = "2026-11-26T14:29:00.000Z".into();
        let known = Stored {
            record: Pending::Comment(original),
            rev: "1-a".into(),
            lock: Some(lock.clone()),
        };
        let Plan::Write(doc) = plan_write(POST, &edit, Some(&known), "secret") else {
            panic!("not a write");
        };
        assert_eq!(doc["_rev"], "1-a");
        let next = doc["authorLock"].as_str().unwrap();
        assert_eq!(author_lock::sha256_hex(next), lock);
        assert_eq!(
            plan_write(POST, &edit, Some(&known), "another browser"),
            Plan::Refused("only the browser that wrote this comment can change it".into())
        );
    }

    #[test]
    fn what_the_server_holds_is_merged_with_ours_by_the_merge_rules() {
        let lock = author_lock::initial_lock("secret", "c1");
        let on_server = |record: &Pending| Stored {
            record: record.clone(),
            rev: "2-b".into(),
            lock: Some(lock.clone()),
        };
        let mut older = comment("c1", "Older edit");
        older.updated_at = "2026-11-26T14:31:00.000Z".into();
        let mut newer = comment("c1", "Newer edit");
        newer.updated_at = "2026-11-26T14:32:00.000Z".into();
        let mut deleted = older.clone();
        deleted.deleted = true;

        // A retry of a write that arrived finds it there: done.
        let same = Pending::Comment(newer.clone());
        assert_eq!(
            plan_write(POST, &same, Some(&on_server(&same)), "secret"),
            Plan::Done
        );
        // An older edit loses to the server's newer one: nothing to write.
        assert_eq!(
            plan_write(
                POST,
                &Pending::Comment(older.clone()),
                Some(&on_server(&same)),
                "secret"
            ),
            Plan::Done
        );
        // A newer edit, or a delete, replaces the server's revision.
        for winner in [newer.clone(), deleted] {
            let Plan::Write(doc) = plan_write(
                POST,
                &Pending::Comment(winner.clone()),
                Some(&on_server(&Pending::Comment(older.clone()))),
                "secret",
            ) else {
                panic!("not a write");
            };
            assert_eq!(doc["_rev"], "2-b");
            assert_eq!(doc["body"], winner.body.as_str());
        }
        // Likes: the later decision wins.
        let unlike = Pending::Like(like("c1", false, 9));
        let earlier = Pending::Like(like("c1", true, 5));
        let like_on_server = |record: &Pending| Stored {
            record: record.clone(),
            rev: "1-l".into(),
            lock: None,
        };
        assert_eq!(
            plan_write(POST, &earlier, Some(&like_on_server(&unlike)), "s"),
            Plan::Done
        );
        assert!(matches!(
            plan_write(POST, &unlike, Some(&like_on_server(&earlier)), "s"),
            Plan::Write(doc) if doc["_rev"] == "1-l" && doc["liked"] == false
        ));
    }

    #[test]
    fn a_refusal_is_a_conflict_only_when_the_document_moved_on() {
        let at = |rev: &str| Stored {
            record: Pending::Like(like("c1", true, 0)),
            rev: rev.into(),
            lock: None,
        };
        assert!(
            refused_as_stale(None, Some(&at("1-a"))),
            "a create of what exists"
        );
        assert!(refused_as_stale(Some(&at("1-a")), Some(&at("2-b"))));
        assert!(!refused_as_stale(Some(&at("2-b")), Some(&at("2-b"))));
        assert!(
            !refused_as_stale(None, None),
            "nothing there: refused as it is"
        );
    }

    #[test]
    fn a_fetched_document_must_be_the_one_asked_for() {
        let ours = Pending::Comment(comment("c1", "Hi"));
        let body = stored(&ours, "3-c", Some("l")).to_string();
        let stored = parse_doc(&body, POST, &ours).unwrap();
        assert_eq!(stored.record, ours);
        assert_eq!(stored.rev, "3-c");
        let other = Pending::Comment(comment("c2", "Other"));
        assert!(parse_doc(&body, POST, &other).is_err());
        assert!(parse_doc(r#"{"error": "not_found"}"#, POST, &ours).is_err());
    }

    #[test]
    fn revisions_compare_by_generation() {
        let rev = |rev: &str| Stored {
            record: Pending::Like(like("c1", true, 0)),
            rev: rev.into(),
            lock: None,
        };
        assert!(rev("10-a").is_newer_than(&rev("9-z")));
        assert!(!rev("2-a").is_newer_than(&rev("2-b")));
        assert!(!rev("x").is_newer_than(&rev("1-a")));
        assert_eq!(
            written_rev(r#"{"ok": true, "id": "p:c", "rev": "2-x"}"#).as_deref(),
            Some("2-x")
        );
        assert_eq!(written_rev("{}"), None);
    }
}
