//! WordPress eXtended RSS (WXR 1.0, 1.1, 1.2, as Tools → Export writes it), read item by item:
//! each published post with its comments becomes a `SourcePost` handed on before the next item
//! is read. Pages, attachments, menus and unpublished posts are counted, not imported.

use super::report::Report;
use super::xml::{Node, Tag, XmlReader};
use super::{ImportError, SourceComment, SourcePost, Status};
use crate::content::front_matter::PostDate;
use std::collections::HashMap;
use std::io::BufRead;

/// The WXR versions WordPress has written; later ones are read too if their namespace says so.
const VERSIONS: [&str; 3] = ["1.0", "1.1", "1.2"];

/// What receives each post as it is read (with the report, to count into).
pub type Sink<'a> = dyn FnMut(SourcePost, &mut Report) -> Result<(), ImportError> + 'a;

/// Reads the export whose root `<rss>` was just opened, handing each published post to `sink`.
pub fn read<R: BufRead>(
    xml: &mut XmlReader<R>,
    root: &Tag,
    report: &mut Report,
    sink: &mut Sink<'_>,
) -> Result<(), ImportError> {
    let mut seen_channel = false;
    loop {
        match xml.next()? {
            Node::Open(tag) if tag.name == "channel" => {
                seen_channel = true;
                channel(xml, report, sink)?;
            }
            Node::Open(_) => xml.skip()?,
            Node::Close(_) => break,
            Node::Text(_) => {}
            Node::End => unreachable!("<rss> is open"),
        }
    }
    if !seen_channel {
        return Err(ImportError::Missing {
            offset: xml.offset(),
            element: "channel".into(),
            inside: root.name.clone(),
        });
    }
    match xml.next()? {
        Node::End => Ok(()),
        _ => Err(ImportError::Malformed {
            offset: xml.offset(),
            element: "rss".into(),
            message: "something follows the root element".into(),
        }),
    }
}

fn channel<R: BufRead>(
    xml: &mut XmlReader<R>,
    report: &mut Report,
    sink: &mut Sink<'_>,
) -> Result<(), ImportError> {
    // Logins (dc:creator) to the names people see.
    let mut authors: HashMap<String, String> = HashMap::new();
    loop {
        let tag = match xml.next()? {
            Node::Open(tag) => tag,
            Node::Close(_) => return Ok(()),
            Node::Text(_) => continue,
            Node::End => unreachable!("<channel> is open"),
        };
        match tag.name.as_str() {
            "title" => report.site_title = xml.text()?.trim().to_owned(),
            "wp:wxr_version" => {
                let offset = xml.offset();
                let version = xml.text()?.trim().to_owned();
                if !VERSIONS.contains(&version.as_str()) && !version.starts_with("1.") {
                    return Err(ImportError::Invalid {
                        offset,
                        element: tag.name,
                        message: format!("says version {version:?}; Colloquy reads WXR 1.0 to 1.2"),
                    });
                }
                report.version = Some(version);
            }
            "wp:author" => {
                let fields = fields(xml)?;
                if let (Some(login), Some(name)) = (
                    fields.get("wp:author_login"),
                    fields.get("wp:author_display_name"),
                ) {
                    if !name.trim().is_empty() {
                        authors.insert(login.trim().to_owned(), name.trim().to_owned());
                    }
                }
            }
            "item" => {
                let offset = xml.offset();
                if let Some(post) = item(xml, offset, &authors, report)? {
                    sink(post, report)?;
                }
            }
            _ => xml.skip()?,
        }
    }
}

/// The text of each child element of the element just opened, by name (the last one wins).
fn fields<R: BufRead>(xml: &mut XmlReader<R>) -> Result<HashMap<String, String>, ImportError> {
    let mut out = HashMap::new();
    loop {
        match xml.next()? {
            Node::Open(tag) => {
                let text = xml.text()?;
                out.insert(tag.name, text);
            }
            Node::Close(_) => return Ok(out),
            Node::Text(_) => {}
            Node::End => unreachable!("the element is open"),
        }
    }
}

fn item<R: BufRead>(
    xml: &mut XmlReader<R>,
    offset: u64,
    authors: &HashMap<String, String>,
    report: &mut Report,
) -> Result<Option<SourcePost>, ImportError> {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    let mut comments = Vec::new();
    loop {
        let tag = match xml.next()? {
            Node::Open(tag) => tag,
            Node::Close(_) => break,
            Node::Text(_) => continue,
            Node::End => unreachable!("<item> is open"),
        };
        match tag.name.as_str() {
            "category" => {
                let name = xml.text()?.trim().to_owned();
                match tag.attr("domain") {
                    Some("category") if !name.is_empty() => categories.push(name),
                    Some("post_tag") if !name.is_empty() => tags.push(name),
                    _ => {}
                }
            }
            "wp:comment" => {
                let at = xml.offset();
                let comment = fields_of_comment(xml)?;
                comments.push(comment_from(comment, at)?);
            }
            "wp:postmeta" => xml.skip()?,
            _ => {
                let text = xml.text()?;
                fields.insert(tag.name, text);
            }
        }
    }
    let missing = |element: &str| ImportError::Missing {
        offset,
        element: element.to_owned(),
        inside: "item".to_owned(),
    };
    let post_type = fields
        .get("wp:post_type")
        .ok_or_else(|| missing("wp:post_type"))?
        .trim();
    if post_type != "post" {
        report.skipped_item(post_type);
        return Ok(None);
    }
    let status = fields
        .get("wp:status")
        .ok_or_else(|| missing("wp:status"))?
        .trim();
    if status != "publish" {
        report.skipped_post(status);
        return Ok(None);
    }
    let source_id = fields
        .get("wp:post_id")
        .ok_or_else(|| missing("wp:post_id"))?
        .trim()
        .to_owned();
    let login = fields
        .get("dc:creator")
        .ok_or_else(|| missing("dc:creator"))?
        .trim();
    let author = authors
        .get(login)
        .cloned()
        .unwrap_or_else(|| login.to_owned());
    let title = fields
        .get("title")
        .ok_or_else(|| missing("title"))?
        .trim()
        .to_owned();
    let date = post_date(&fields, offset)?;
    let title = if title.is_empty() {
        report.untitled += 1;
        format!("Untitled post {source_id}")
    } else {
        title
    };
    let slug_hint = fields
        .get("wp:post_name")
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| title.clone());
    Ok(Some(SourcePost {
        source_id,
        slug_hint,
        title,
        author: if author.is_empty() {
            "Unknown author".to_owned()
        } else {
            author
        },
        date,
        excerpt: fields
            .remove("excerpt:encoded")
            .filter(|text| !text.trim().is_empty()),
        categories,
        tags,
        html: fields.remove("content:encoded").unwrap_or_default(),
        comments,
    }))
}

/// The post's calendar date as its author saw it: `wp:post_date` (the site's time), else
/// `wp:post_date_gmt`, else RSS's `pubDate`.
fn post_date(fields: &HashMap<String, String>, offset: u64) -> Result<PostDate, ImportError> {
    for key in ["wp:post_date", "wp:post_date_gmt"] {
        if let Some(text) = fields.get(key).map(|t| t.trim()) {
            if text.is_empty() || text.starts_with("0000") {
                continue;
            }
            return text
                .get(..10)
                .and_then(PostDate::parse)
                .ok_or_else(|| ImportError::Invalid {
                    offset,
                    element: key.to_owned(),
                    message: format!("holds {text:?}, not a date YYYY-MM-DD HH:MM:SS"),
                });
        }
    }
    if let Some(date) = fields.get("pubDate").and_then(|text| rfc2822_date(text)) {
        return Ok(date);
    }
    Err(ImportError::Missing {
        offset,
        element: "wp:post_date".to_owned(),
        inside: "item".to_owned(),
    })
}

/// The date of an RSS `pubDate` ("Thu, 14 Mar 2019 10:00:00 +0000").
fn rfc2822_date(text: &str) -> Option<PostDate> {
    let mut words = text.split_whitespace().skip(1);
    let day: u32 = words.next()?.parse().ok()?;
    let month = words.next()?;
    let year: i32 = words.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
    PostDate::parse(&format!("{year:04}-{month:02}-{day:02}"))
}

fn fields_of_comment<R: BufRead>(
    xml: &mut XmlReader<R>,
) -> Result<HashMap<String, String>, ImportError> {
    let mut out = HashMap::new();
    loop {
        match xml.next()? {
            Node::Open(tag) if tag.name == "wp:commentmeta" => xml.skip()?,
            Node::Open(tag) => {
                let text = xml.text()?;
                out.insert(tag.name, text);
            }
            Node::Close(_) => return Ok(out),
            Node::Text(_) => {}
            Node::End => unreachable!("<wp:comment> is open"),
        }
    }
}

fn comment_from(
    fields: HashMap<String, String>,
    offset: u64,
) -> Result<SourceComment, ImportError> {
    let get = |key: &str| fields.get(key).map(|text| text.trim()).unwrap_or_default();
    let id = get("wp:comment_id");
    if id.is_empty() {
        return Err(ImportError::Missing {
            offset,
            element: "wp:comment_id".to_owned(),
            inside: "wp:comment".to_owned(),
        });
    }
    let status = match get("wp:comment_type") {
        "pingback" => Status::Pingback,
        "trackback" => Status::Trackback,
        _ => match get("wp:comment_approved") {
            "1" | "approve" | "approved" => Status::Approved,
            "0" | "hold" | "" => Status::Pending,
            "spam" => Status::Spam,
            _ => Status::Trash,
        },
    };
    let (time, element) = match get("wp:comment_date_gmt") {
        gmt if !gmt.is_empty() && !gmt.starts_with("0000") => (gmt, "wp:comment_date_gmt"),
        _ => (get("wp:comment_date"), "wp:comment_date"),
    };
    let created_at = utc_time(time).ok_or_else(|| ImportError::Invalid {
        offset,
        element: element.to_owned(),
        message: format!("holds {time:?}, not a time YYYY-MM-DD HH:MM:SS"),
    })?;
    let parent = match get("wp:comment_parent") {
        "" | "0" => None,
        parent => Some(comment_id(parent)),
    };
    Ok(SourceComment {
        id: comment_id(id),
        parent,
        author: get("wp:comment_author").to_owned(),
        created_at,
        html: fields
            .get("wp:comment_content")
            .cloned()
            .unwrap_or_default(),
        status,
        anonymous: false,
    })
}

/// The Colloquy id of WordPress comment `id`: zero-padded, so that ids sort as WordPress
/// orders comments posted in the same second.
pub fn comment_id(id: &str) -> String {
    super::padded_id("wp", id)
}

/// "2019-03-15 09:12:00" (WordPress's GMT column) as RFC 3339 UTC.
fn utc_time(text: &str) -> Option<String> {
    let (date, time) = text.split_once(' ')?;
    PostDate::parse(date)?;
    let parts: Vec<u32> = time
        .split(':')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [h, m, s] if h < 24 && m < 60 && s < 61 => Some(format!("{date}T{h:02}:{m:02}:{s:02}Z")),
        _ => None,
    }
}
