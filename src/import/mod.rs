//! `colloquy import`: a WordPress export (WXR 1.0–1.2) or a Disqus export becomes Colloquy
//! content (posts.json entries, Markdown posts with front matter, seed comments), or its
//! comments go to the configured REST or CouchDB store. Native only.
//!
//! The file is read twice, streaming: once to check it whole (a malformed or truncated file
//! writes nothing), once to import it post by post, so memory stays bounded by one post and
//! its comments. Reading is `xml`, the formats `wxr` and `disqus` (which give `SourcePost`s
//! and `SourceComment`s), HTML is `html`, the thread `thread`, the post file `post_file`,
//! writing content `content`, pushing to a store `push`, and what happened `report`.

mod content;
mod disqus;
mod html;
mod post_file;
mod push;
mod report;
mod thread;
mod wxr;
mod xml;

#[cfg(test)]
mod tests;

pub use report::Report;

use crate::content::front_matter::PostDate;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What to import, and where to.
#[derive(Clone, Debug)]
pub struct Options {
    pub file: PathBuf,
    /// The content folder posts are written to (and, without `store`, comments too).
    pub content: PathBuf,
    /// A `config.json` whose store receives the comments instead of the content folder.
    pub store: Option<PathBuf>,
    /// Import comments awaiting moderation, hidden.
    pub include_pending: bool,
}

/// A post as an export gives it, before it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePost {
    /// The export's own id of the post (WordPress `post_id`), for messages.
    pub source_id: String,
    /// The slug the export suggests (WordPress `post_name`), else the title.
    pub slug_hint: String,
    pub title: String,
    pub author: String,
    pub date: PostDate,
    /// The excerpt, as the export's HTML, if the post has one.
    pub excerpt: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// The post's body, as the export's HTML (converted when it is written).
    pub html: String,
    pub comments: Vec<SourceComment>,
}

/// Where a comment stands in the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Approved,
    Pending,
    Spam,
    Trash,
    /// Deleted in Disqus.
    Deleted,
    Pingback,
    Trackback,
}

/// A comment as an export gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceComment {
    /// The Colloquy id it is given: deterministic (`wp-…`, `disqus-…`), so a second import
    /// finds the first one's records.
    pub id: String,
    /// The Colloquy id of the comment it replies to.
    pub parent: Option<String>,
    pub author: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The export's HTML.
    pub html: String,
    pub status: Status,
    /// Disqus: written by a guest without an account.
    pub anonymous: bool,
}

/// Why an import stopped. Offsets are bytes into the file; `describe` turns them into lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    Io(String),
    Malformed {
        offset: u64,
        element: String,
        message: String,
    },
    Missing {
        offset: u64,
        element: String,
        inside: String,
    },
    Invalid {
        offset: u64,
        element: String,
        message: String,
    },
    UnknownFormat(String),
    /// The content folder or the store cannot take the import.
    Target(String),
}

impl ImportError {
    /// The error as one line naming the file, its line and the element.
    pub fn describe(&self, file: &Path) -> String {
        let at = |offset: u64| format!("{}:{}", file.display(), line_at(file, offset));
        match self {
            ImportError::Io(message) => format!("{}: {message}", file.display()),
            ImportError::Malformed {
                offset,
                element,
                message,
            } => format!("{}: malformed XML in <{element}>: {message}", at(*offset)),
            ImportError::Missing {
                offset,
                element,
                inside,
            } => format!(
                "{}: <{inside}> has no <{element}>, which an import needs",
                at(*offset)
            ),
            ImportError::Invalid {
                offset,
                element,
                message,
            } => format!("{}: <{element}> {message}", at(*offset)),
            ImportError::UnknownFormat(why) => format!(
                "{}: not a WordPress export (WXR 1.0–1.2) or a Disqus export: {why}",
                file.display()
            ),
            ImportError::Target(message) => message.clone(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Path::new("<export>")))
    }
}

/// The 1-based line of byte `offset` of `file` (read again, only when there is an error).
fn line_at(file: &Path, offset: u64) -> usize {
    let Ok(opened) = File::open(file) else {
        return 1;
    };
    let mut reader = BufReader::new(opened.take(offset));
    let mut line = 1;
    let mut buf = Vec::new();
    while let Ok(n) = reader.read_until(b'\n', &mut buf) {
        if n == 0 || buf.last() != Some(&b'\n') {
            break;
        }
        line += 1;
        buf.clear();
    }
    line
}

/// The two formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// WordPress eXtended RSS, 1.0 to 1.2.
    Wxr,
    Disqus,
}

/// Which format `root` opens, from its name and namespaces.
fn detect(root: &xml::Tag) -> Result<Format, ImportError> {
    match root.name.as_str() {
        "rss" => {
            let wordpress = root.attrs.iter().any(|(key, value)| {
                key.starts_with("xmlns") && value.contains("wordpress.org/export/")
            });
            if wordpress {
                Ok(Format::Wxr)
            } else {
                Err(ImportError::UnknownFormat(
                    "it is an RSS feed without WordPress's export namespace (xmlns:wp=\"http://wordpress.org/export/1.2/\")".to_owned(),
                ))
            }
        }
        "disqus" => Ok(Format::Disqus),
        other => Err(ImportError::UnknownFormat(format!(
            "its root element is <{other}>, not <rss> (WordPress) or <disqus>"
        ))),
    }
}

fn open(file: &Path) -> Result<xml::XmlReader<BufReader<File>>, ImportError> {
    let opened = File::open(file).map_err(|e| ImportError::Io(format!("cannot be read: {e}")))?;
    Ok(xml::XmlReader::new(BufReader::with_capacity(
        256 * 1024,
        opened,
    )))
}

/// Imports `options.file` as `options` say, and reports what was done. On an error in the
/// file nothing is written; the error names the file, the line and the element.
pub fn run(options: &Options) -> Result<Report, String> {
    let describe = |e: ImportError| e.describe(&options.file);
    let mut reader = open(&options.file).map_err(describe)?;
    let root = reader.root().map_err(describe)?;
    let format = detect(&root).map_err(describe)?;
    // The first reading checks the whole file and writes nothing.
    let mut check = Report::new(format, &options.file);
    match format {
        Format::Wxr => wxr::read(&mut reader, &root, &mut check, &mut |_, _| Ok(())),
        Format::Disqus => disqus::check(&mut reader, &mut check),
    }
    .map_err(describe)?;

    let mut report = Report::new(format, &options.file);
    report.doctype_skipped = reader.doctype_skipped;
    let mut target = content::Target::open(options)?;
    report.store = target.store_name();
    let mut reader = open(&options.file).map_err(describe)?;
    let root = reader.root().map_err(describe)?;
    let outcome = match format {
        Format::Wxr => wxr::read(&mut reader, &root, &mut report, &mut |post, report| {
            target.post(post, options.include_pending, report)
        }),
        Format::Disqus => disqus::read(&mut reader, &mut target, options, &mut report),
    };
    // What was written stays listed even if the store failed half-way.
    let saved = target.save();
    outcome.map_err(describe)?;
    saved?;
    Ok(report)
}

/// `<prefix>-<id>`: a numeric id zero-padded to 12 digits, so that ids sort as the numbers do;
/// anything but ASCII letters, digits, `_` and `-` becomes `-` (ids are parts of URLs and
/// CouchDB document ids).
pub(crate) fn padded_id(prefix: &str, id: &str) -> String {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{prefix}-{id:0>12}");
    }
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{clean}")
}
