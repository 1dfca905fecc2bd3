//! The Markdown file an imported post becomes: front matter Colloquy reads (title, author,
//! date, summary, categories, tags; every value double-quoted) and the body as Markdown; and
//! the slug the post asks for.

use super::html::{self, Dropped};
use super::SourcePost;
use std::fmt::Write;

/// The post's file, converting its HTML; unsafe markup left out is counted into `dropped`.
pub fn post_file(post: &SourcePost, dropped: &mut Dropped) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", quoted(&post.title));
    let _ = writeln!(out, "author: {}", quoted(&post.author));
    let _ = writeln!(out, "date: {}", post.date);
    if let Some(excerpt) = &post.excerpt {
        let summary = html::to_plain_line(excerpt, dropped);
        if !summary.is_empty() {
            let _ = writeln!(out, "summary: {}", quoted(&summary));
        }
    }
    for (key, list) in [("categories", &post.categories), ("tags", &post.tags)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{key}:");
        for item in list {
            let _ = writeln!(out, "  - {}", quoted(item));
        }
    }
    out.push_str("---\n\n");
    out.push_str(&html::post_body_to_markdown(&post.html, dropped));
    out
}

/// A YAML double-quoted scalar on one line.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.trim().chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Colloquy slug (lower-case ASCII letters, digits and hyphens) from WordPress's
/// `post_name` (which may be percent-encoded) or a title; empty if nothing is left.
pub fn slug_from(hint: &str) -> String {
    let decoded = percent_decode(hint);
    let mut slug = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    // Long enough to read, short enough for a file name with a suffix.
    let mut cut = slug.len().min(80);
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    slug[..cut].trim_end_matches('-').to_owned()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[at] == b'%' && at + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[at + 1]), hex(bytes[at + 2])) {
                out.push((high * 16 + low) as u8);
                at += 3;
                continue;
            }
        }
        out.push(bytes[at]);
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
