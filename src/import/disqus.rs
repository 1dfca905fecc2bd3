//! A Disqus XML export: `<thread>`s (a page each, by `dsq:id`, with its `<link>`) and then
//! `<post>`s (comments, each naming its thread and perhaps its `<parent>`). A Disqus export
//! holds no post bodies, so its comments join the posts already in the content folder (the
//! WordPress import's, say), matched by the thread's identifier or the last part of its link.
//! Comments are spooled to a temporary file per thread while the file is read, so memory stays
//! bounded by the largest thread; a comment whose thread or post is missing is reported.

use super::content::Target;
use super::report::{Placement, Report};
use super::xml::{Node, XmlReader};
use super::{padded_id, post_file::slug_from, thread, ImportError, Options};
use super::{SourceComment, Status};
use crate::content::front_matter::PostDate;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

struct Thread {
    identifier: String,
    link: String,
    title: String,
}

/// A child element's text by path (`author/name`), and `dsq:id` of `<thread>` and `<parent>`
/// as `thread@` and `parent@`.
type Fields = HashMap<String, String>;

fn fields<R: BufRead>(xml: &mut XmlReader<R>) -> Result<Fields, ImportError> {
    let mut out = Fields::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        match xml.next()? {
            Node::Open(tag) => {
                if let Some(id) = tag.attr("dsq:id") {
                    out.insert(format!("{}@", tag.name), id.to_owned());
                }
                path.push(tag.name);
                out.entry(path.join("/")).or_default();
            }
            Node::Close(_) => {
                if path.pop().is_none() {
                    return Ok(out);
                }
            }
            Node::Text(text) => {
                if !path.is_empty() {
                    out.entry(path.join("/")).or_default().push_str(&text);
                }
            }
            Node::End => unreachable!("the element is open"),
        }
    }
}

fn get<'a>(fields: &'a Fields, key: &str) -> &'a str {
    fields.get(key).map(|t| t.trim()).unwrap_or_default()
}

/// Reads a `<post>` just opened.
fn comment<R: BufRead>(
    xml: &mut XmlReader<R>,
    id: Option<String>,
) -> Result<(String, SourceComment), ImportError> {
    let offset = xml.offset();
    let fields = fields(xml)?;
    let missing = |element: &str| ImportError::Missing {
        offset,
        element: element.to_owned(),
        inside: "post".to_owned(),
    };
    let id = id.ok_or_else(|| missing("dsq:id attribute"))?;
    let thread = fields
        .get("thread@")
        .cloned()
        .ok_or_else(|| missing("thread dsq:id"))?;
    let created = get(&fields, "createdAt");
    if created.is_empty() {
        return Err(missing("createdAt"));
    }
    let created_at = utc_time(created).ok_or_else(|| ImportError::Invalid {
        offset,
        element: "createdAt".to_owned(),
        message: format!("holds {created:?}, not a time YYYY-MM-DDTHH:MM:SSZ"),
    })?;
    let yes = |key: &str| get(&fields, key).eq_ignore_ascii_case("true");
    let status = if yes("isDeleted") {
        Status::Deleted
    } else if yes("isSpam") {
        Status::Spam
    } else if get(&fields, "isApproved").eq_ignore_ascii_case("false") {
        Status::Pending
    } else {
        Status::Approved
    };
    let author = [get(&fields, "author/name"), get(&fields, "author/username")]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or_default()
        .to_owned();
    Ok((
        thread,
        SourceComment {
            id: padded_id("disqus", &id),
            parent: fields.get("parent@").map(|p| padded_id("disqus", p)),
            author,
            created_at,
            html: get(&fields, "message").to_owned(),
            status,
            anonymous: yes("author/isAnonymous"),
        },
    ))
}

/// "2019-03-15T09:12:00Z" as written, a time without a zone as UTC.
fn utc_time(text: &str) -> Option<String> {
    let date = text.get(..10).and_then(PostDate::parse)?;
    let time = text.get(11..19)?;
    let ok = text.as_bytes().get(10) == Some(&b'T')
        && time.bytes().enumerate().all(|(i, b)| {
            if i == 2 || i == 5 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        });
    ok.then(|| format!("{date}T{time}Z"))
}

/// Checks the whole export (the first reading), writing nothing.
pub fn check<R: BufRead>(xml: &mut XmlReader<R>, _report: &mut Report) -> Result<(), ImportError> {
    each(xml, &mut |_, _| Ok(()), &mut |_| Ok(()))
}

/// Walks the root's children: threads to `on_thread`, comments to `on_comment`.
fn each<R: BufRead>(
    xml: &mut XmlReader<R>,
    on_thread: &mut dyn FnMut(String, Thread) -> Result<(), ImportError>,
    on_comment: &mut dyn FnMut((String, SourceComment)) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    loop {
        let tag = match xml.next()? {
            Node::Open(tag) => tag,
            Node::Close(_) => break,
            Node::Text(_) => continue,
            Node::End => unreachable!("<disqus> is open"),
        };
        let id = tag.attr("dsq:id").map(str::to_owned);
        match tag.name.as_str() {
            "thread" => {
                let offset = xml.offset();
                let fields = fields(xml)?;
                let id = id.ok_or(ImportError::Missing {
                    offset,
                    element: "dsq:id attribute".to_owned(),
                    inside: "thread".to_owned(),
                })?;
                on_thread(
                    id,
                    Thread {
                        identifier: get(&fields, "id").to_owned(),
                        link: get(&fields, "link").to_owned(),
                        title: get(&fields, "title").to_owned(),
                    },
                )?;
            }
            "post" => on_comment(comment(xml, id)?)?,
            _ => xml.skip()?,
        }
    }
    match xml.next()? {
        Node::End => Ok(()),
        _ => Err(ImportError::Malformed {
            offset: xml.offset(),
            element: "disqus".into(),
            message: "something follows the root element".into(),
        }),
    }
}

/// A folder of spooled comments, one file per thread, removed when dropped.
struct Spool {
    dir: PathBuf,
    files: HashMap<String, usize>,
    order: Vec<String>,
}

impl Spool {
    fn new() -> Result<Spool, ImportError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("colloquy-import-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir)
            .map_err(|e| ImportError::Target(format!("{}: cannot be made: {e}", dir.display())))?;
        Ok(Spool {
            dir,
            files: HashMap::new(),
            order: Vec::new(),
        })
    }

    fn path(&self, n: usize) -> PathBuf {
        self.dir.join(format!("{n}.jsonl"))
    }

    fn add(&mut self, thread: String, c: &SourceComment) -> Result<(), ImportError> {
        let next = self.files.len();
        let n = *self.files.entry(thread.clone()).or_insert_with(|| {
            self.order.push(thread);
            next
        });
        let line = json!([
            c.id,
            c.parent,
            c.author,
            c.created_at,
            c.html,
            c.status == Status::Approved,
            c.status == Status::Pending,
            c.anonymous
        ]);
        let path = self.path(n);
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| writeln!(file, "{line}"))
            .map_err(|e| ImportError::Target(format!("{}: cannot be written: {e}", path.display())))
    }

    fn read(&self, thread: &str) -> Result<Vec<SourceComment>, ImportError> {
        let path = self.path(self.files[thread]);
        let file = fs::File::open(&path)
            .map_err(|e| ImportError::Target(format!("{}: cannot be read: {e}", path.display())))?;
        let mut out = Vec::new();
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| ImportError::Target(e.to_string()))?;
            let v: Value =
                serde_json::from_str(&line).map_err(|e| ImportError::Target(e.to_string()))?;
            let text = |i: usize| v[i].as_str().unwrap_or_default().to_owned();
            out.push(SourceComment {
                id: text(0),
                parent: v[1].as_str().map(str::to_owned),
                author: text(2),
                created_at: text(3),
                html: text(4),
                status: match (v[5].as_bool(), v[6].as_bool()) {
                    (Some(true), _) => Status::Approved,
                    (_, Some(true)) => Status::Pending,
                    _ => Status::Deleted,
                },
                anonymous: v[7].as_bool().unwrap_or(false),
            });
        }
        Ok(out)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Imports the comments of the export whose root `<disqus>` was just opened.
pub fn read<R: BufRead>(
    xml: &mut XmlReader<R>,
    target: &mut Target,
    options: &Options,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut threads: HashMap<String, Thread> = HashMap::new();
    let mut spool = Spool::new()?;
    each(
        xml,
        &mut |id, thread| {
            threads.insert(id, thread);
            Ok(())
        },
        &mut |(thread, comment)| {
            // Spam and deleted comments are counted here and need no spooling.
            match comment.status {
                Status::Deleted => report.skipped_comment("deleted"),
                Status::Spam => report.skipped_comment("spam"),
                _ => return spool.add(thread, &comment),
            }
            Ok(())
        },
    )?;
    for id in spool.order.clone() {
        let comments = spool.read(&id)?;
        let Some(thread) = threads.get(&id) else {
            report.orphans.push(format!(
                "{} comment(s) of Disqus thread {id}, which the export does not list",
                comments.len()
            ));
            continue;
        };
        let Some(slug) = candidates(thread)
            .into_iter()
            .find(|slug| target.has_post(slug))
        else {
            report.orphans.push(format!(
                "{} comment(s) on \u{201c}{}\u{201d} ({}): no post in {} matches it (import the WordPress export first, or add the post)",
                comments.len(),
                thread.title,
                thread.link,
                options.content.display()
            ));
            continue;
        };
        let (comments, hidden) = thread::comments(comments, options.include_pending, report);
        target.deliver(&slug, Placement::Existing, comments, hidden, report)?;
    }
    Ok(())
}

/// The slugs a thread may be the page of: its identifier, the last part of its link, its title.
fn candidates(thread: &Thread) -> Vec<String> {
    let path = thread
        .link
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or_default();
    let last = last
        .strip_suffix(".html")
        .or_else(|| last.strip_suffix(".htm"))
        .or_else(|| last.strip_suffix(".php"))
        .unwrap_or(last);
    let post_param = thread
        .link
        .split_once("?post=")
        .map(|(_, rest)| rest.split(['&', '#']).next().unwrap_or_default());
    [
        Some(thread.identifier.as_str()),
        post_param,
        Some(last),
        Some(thread.title.as_str()),
    ]
    .into_iter()
    .flatten()
    .map(slug_from)
    .filter(|slug| !slug.is_empty())
    .collect()
}
