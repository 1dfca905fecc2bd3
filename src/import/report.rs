//! What an import did, printed on stdout: the posts and how many comments each got, what was
//! skipped and why, orphans, and the unsafe markup left out.

use super::html::Dropped;
use super::Format;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How a post reached the content folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Written under the slug it asked for.
    New,
    /// Its slug was taken by another post: written under this one instead.
    Renamed { wanted: String },
    /// Already there from an earlier import, word for word.
    Unchanged,
    /// Already there from an earlier import (same title and date) but edited since: left as
    /// it is; its comments were still delivered.
    Kept,
    /// Comments only (Disqus): the post was there.
    Existing,
}

/// What a store was sent for one post.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pushed {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub refused: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostLine {
    pub slug: String,
    pub placement: Placement,
    /// Comments imported (hidden ones included).
    pub comments: usize,
    /// Of those, pending ones imported hidden.
    pub hidden: usize,
    /// Comments of the post's comments file from earlier imports, kept.
    pub kept: usize,
    /// Set when the comments went to a store.
    pub pushed: Option<Pushed>,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub format: Format,
    pub file: PathBuf,
    pub site_title: String,
    pub version: Option<String>,
    pub doctype_skipped: bool,
    pub posts: Vec<PostLine>,
    /// Items that are not posts (pages, attachments, menu items), by type.
    pub skipped_items: BTreeMap<String, usize>,
    /// Posts not published (drafts, private, trash), by status.
    pub skipped_posts: BTreeMap<String, usize>,
    /// Comments not imported, by reason.
    pub skipped_comments: BTreeMap<&'static str, usize>,
    /// Replies whose parent was not imported, made top-level.
    pub parent_missing: usize,
    /// Disqus comments by guests without an account (imported under the name they gave).
    pub anonymous: usize,
    /// Posts without a title, given "Untitled post <id>".
    pub untitled: usize,
    /// Comments whose post is not there, each described.
    pub orphans: Vec<String>,
    pub dropped: Dropped,
    pub warnings: Vec<String>,
    /// Where the comments went, when not to the content folder.
    pub store: Option<String>,
}

impl Report {
    pub fn new(format: Format, file: &Path) -> Report {
        Report {
            format,
            file: file.to_path_buf(),
            site_title: String::new(),
            version: None,
            doctype_skipped: false,
            posts: Vec::new(),
            skipped_items: BTreeMap::new(),
            skipped_posts: BTreeMap::new(),
            skipped_comments: BTreeMap::new(),
            parent_missing: 0,
            anonymous: 0,
            untitled: 0,
            orphans: Vec::new(),
            dropped: Dropped::default(),
            warnings: Vec::new(),
            store: None,
        }
    }

    pub fn skipped_item(&mut self, kind: &str) {
        let kind = if kind.is_empty() { "(no type)" } else { kind };
        *self.skipped_items.entry(kind.to_owned()).or_default() += 1;
    }

    pub fn skipped_post(&mut self, status: &str) {
        let status = if status.is_empty() {
            "(no status)"
        } else {
            status
        };
        *self.skipped_posts.entry(status.to_owned()).or_default() += 1;
    }

    pub fn skipped_comment(&mut self, reason: &'static str) {
        *self.skipped_comments.entry(reason).or_default() += 1;
    }

    /// Comments imported, over all posts.
    pub fn comments(&self) -> usize {
        self.posts.iter().map(|post| post.comments).sum()
    }
}

fn counts(map: &BTreeMap<impl AsRef<str>, usize>) -> String {
    map.iter()
        .map(|(what, n)| format!("{n} {}", what.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.format {
            Format::Wxr => format!(
                "WordPress export (WXR {})",
                self.version.as_deref().unwrap_or("1.x")
            ),
            Format::Disqus => "Disqus export".to_owned(),
        };
        write!(f, "colloquy import: {} is a {kind}", self.file.display())?;
        if !self.site_title.is_empty() {
            write!(f, " of \u{201c}{}\u{201d}", self.site_title)?;
        }
        writeln!(f)?;
        if let Some(store) = &self.store {
            writeln!(f, "comments go to {store}")?;
        }
        let new = self
            .posts
            .iter()
            .filter(|p| matches!(p.placement, Placement::New | Placement::Renamed { .. }))
            .count();
        let unchanged = self
            .posts
            .iter()
            .filter(|p| matches!(p.placement, Placement::Unchanged | Placement::Kept))
            .count();
        let existing = self
            .posts
            .iter()
            .filter(|p| p.placement == Placement::Existing)
            .count();
        let mut posts = format!("{new} new, {unchanged} already imported");
        if existing > 0 {
            posts = format!("{existing} already in the content folder");
        }
        writeln!(
            f,
            "posts: {} ({posts}); comments imported: {}",
            self.posts.len(),
            self.comments()
        )?;
        for post in &self.posts {
            write!(f, "  {}: {} comment(s)", post.slug, post.comments)?;
            if post.hidden > 0 {
                write!(f, ", {} pending imported hidden", post.hidden)?;
            }
            if post.kept > 0 {
                write!(f, ", {} from earlier imports kept", post.kept)?;
            }
            if let Some(p) = post.pushed {
                write!(
                    f,
                    "; store: {} created, {} updated, {} already there",
                    p.created, p.updated, p.unchanged
                )?;
                if p.refused > 0 {
                    write!(f, ", {} refused", p.refused)?;
                }
            }
            match &post.placement {
                Placement::Renamed { wanted } => write!(
                    f,
                    " (the slug \u{201c}{wanted}\u{201d} is taken by another post, so this one is \u{201c}{}\u{201d})",
                    post.slug
                )?,
                Placement::Unchanged => write!(f, " (post already imported, unchanged)")?,
                Placement::Kept => write!(
                    f,
                    " (post already imported and edited since: left as it is)"
                )?,
                Placement::Existing => write!(f, " (comments added to the existing post)")?,
                Placement::New => {}
            }
            writeln!(f)?;
        }
        if !self.skipped_posts.is_empty() {
            writeln!(
                f,
                "posts skipped (not published): {}",
                counts(&self.skipped_posts)
            )?;
        }
        if !self.skipped_items.is_empty() {
            writeln!(
                f,
                "items skipped (not posts): {}",
                counts(&self.skipped_items)
            )?;
        }
        if !self.skipped_comments.is_empty() {
            writeln!(f, "comments skipped: {}", counts(&self.skipped_comments))?;
        }
        if self.parent_missing > 0 {
            writeln!(
                f,
                "replies whose parent was not imported, made top-level: {}",
                self.parent_missing
            )?;
        }
        if self.anonymous > 0 {
            writeln!(
                f,
                "comments by guests (Disqus isAnonymous), kept under the name they gave: {}",
                self.anonymous
            )?;
        }
        if self.untitled > 0 {
            writeln!(
                f,
                "posts without a title, named \u{201c}Untitled post <id>\u{201d}: {}",
                self.untitled
            )?;
        }
        if !self.orphans.is_empty() {
            writeln!(f, "not imported, their post is missing:")?;
            for orphan in &self.orphans {
                writeln!(f, "  {orphan}")?;
            }
        }
        let d = &self.dropped;
        if d.total() > 0 {
            writeln!(
                f,
                "unsafe markup left out: {} in all ({} script(s), {} iframe(s) or embed(s), {} other element(s), {} event handler(s), {} javascript:/data: URL(s))",
                d.total(),
                d.scripts,
                d.embeds,
                d.other_elements,
                d.handlers,
                d.script_urls
            )?;
        }
        if self.doctype_skipped {
            writeln!(
                f,
                "the file's <!DOCTYPE> was not read (Colloquy never reads DTDs or external entities)"
            )?;
        }
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        Ok(())
    }
}
