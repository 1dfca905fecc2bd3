//! A post written in the app: the draft an author types, the record a shared store keeps
//! once it is published (its wire format), and the checks both pass before publishing.

use super::front_matter::{FrontMatter, PostDate};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 600;
pub const MAX_AUTHOR_CHARS: usize = 100;
/// About 60,000 words of English: a long essay, far beyond a blog post.
pub const MAX_BODY_BYTES: usize = 512 * 1024;
pub const MAX_BIBLIOGRAPHY_BYTES: usize = 512 * 1024;
/// The longest slug part taken from the title (the draft's tag follows it).
const SLUG_WORDS_CHARS: usize = 60;

/// A bibliography pasted or chosen by the author: its text, and a file name whose extension
/// tells the citation worker how to read it (`.bib`, `.json`, `.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bibliography {
    pub name: String,
    pub text: String,
}

/// What an author is writing, kept in their browser as they type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Draft {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    /// The bibliography's text, as pasted or read from a file (empty for none).
    pub bibliography: String,
    /// The chosen file's name, when the text came from a file.
    pub bibliography_file: Option<String>,
    /// A bundled style name (`apa`, `mla`, …); the editor starts a draft with the default.
    pub style: String,
    /// RFC 3339, when it was last saved.
    pub updated_at: String,
    /// The slug it was published under, once it has been.
    pub published_slug: Option<String>,
}

/// What stops a draft from being published, each for one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftProblem {
    NoTitle,
    TitleTooLong,
    SummaryTooLong,
    NoBody,
    BodyTooLong,
    NoAuthor,
    AuthorTooLong,
    BibliographyTooLong,
}

impl Draft {
    /// Every reason the draft cannot be published yet; none when it can.
    pub fn problems(&self) -> Vec<DraftProblem> {
        let mut problems = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            problems.push(DraftProblem::NoTitle);
        } else if title.chars().count() > MAX_TITLE_CHARS {
            problems.push(DraftProblem::TitleTooLong);
        }
        if self.summary.trim().chars().count() > MAX_SUMMARY_CHARS {
            problems.push(DraftProblem::SummaryTooLong);
        }
        if self.body.trim().is_empty() {
            problems.push(DraftProblem::NoBody);
        } else if self.body.len() > MAX_BODY_BYTES {
            problems.push(DraftProblem::BodyTooLong);
        }
        let author = self.author.trim();
        if author.is_empty() {
            problems.push(DraftProblem::NoAuthor);
        } else if author.chars().count() > MAX_AUTHOR_CHARS {
            problems.push(DraftProblem::AuthorTooLong);
        }
        if self.bibliography.len() > MAX_BIBLIOGRAPHY_BYTES {
            problems.push(DraftProblem::BibliographyTooLong);
        }
        problems
    }

    /// The bibliography as the citation worker reads it, when there is one.
    pub fn bibliography_file(&self) -> Option<Bibliography> {
        if self.bibliography.trim().is_empty() {
            return None;
        }
        let name = self
            .bibliography_file
            .clone()
            .filter(|name| known_extension(name))
            .unwrap_or_else(|| bibliography_name_for(&self.bibliography).to_owned());
        Some(Bibliography {
            name,
            text: self.bibliography.clone(),
        })
    }

    /// The metadata its post will have once published on `date` in `course` (the preview's
    /// header).
    pub fn front_matter(&self, course: Option<String>, date: PostDate) -> FrontMatter {
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        FrontMatter {
            title: self.title.trim().to_owned(),
            author: self.author.trim().to_owned(),
            date,
            course,
            summary: optional(&self.summary),
            bibliography: self
                .bibliography_file()
                .map(|file| file.name)
                .into_iter()
                .collect(),
            csl: Some(self.style.clone()),
            categories: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// The slug it is (or will be) published under.
    pub fn slug(&self) -> String {
        self.published_slug
            .clone()
            .unwrap_or_else(|| slug_for(&self.title, &self.id))
    }
}

fn known_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".bib", ".bibtex", ".json", ".yaml", ".yml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A file name for pasted bibliography text, from its shape: CSL-JSON is a JSON list or
/// object, BibTeX/BibLaTeX has `@type{` entries, anything else is read as Hayagriva YAML.
pub fn bibliography_name_for(text: &str) -> &'static str {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        "bibliography.json"
    } else if trimmed.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with('@')
            && line[1..]
                .split(['{', '('])
                .next()
                .is_some_and(|kind| !kind.is_empty() && kind.chars().all(char::is_alphabetic))
            && line.contains(['{', '('])
    }) {
        "bibliography.bib"
    } else {
        "bibliography.yaml"
    }
}

/// A post's slug: the title's ASCII words (at most `SLUG_WORDS_CHARS`) and a tag from the
/// draft's id, so two authors' posts with one title never share a slug and publishing the
/// same draft again finds its own post.
pub fn slug_for(title: &str, draft_id: &str) -> String {
    let mut words = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if words.len() + word.len() + 1 > SLUG_WORDS_CHARS {
            break;
        }
        if !words.is_empty() {
            words.push('-');
        }
        words.push_str(&word.to_ascii_lowercase());
    }
    if words.is_empty() {
        words.push_str("post");
    }
    let tag: String = draft_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .take(6)
        .collect();
    if tag.is_empty() {
        words
    } else {
        format!("{words}-{tag}")
    }
}

/// The CouchDB document id of a published post. `~` is never in a slug, so no comment
/// (`<slug>:<id>`) of any post can have it.
pub fn couch_id(slug: &str) -> String {
    format!("post~{slug}")
}

/// The prefix every published post's CouchDB id starts with.
pub const COUCH_ID_PREFIX: &str = "post~";

/// A published post as a shared store keeps it (REST `posts/{slug}`, CouchDB `post~{slug}`):
/// the Markdown source and the bibliography text, never HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedPost {
    /// REST: the record's id, which is its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// CouchDB: `post~{slug}`.
    #[serde(default, rename = "_id", skip_serializing_if = "Option::is_none")]
    pub couch_id: Option<String>,
    #[serde(default, rename = "_rev", skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// CouchDB: the slug again, as every document of the database names its post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub course: Option<String>,
    pub author: String,
    pub body: String,
    #[serde(default)]
    pub bibliography: Option<Bibliography>,
    pub style: String,
    /// The publication date, `YYYY-MM-DD`.
    pub date: String,
    pub created_at: String,
    pub updated_at: String,
    /// The author's lock (see `store::author_lock`): only the browser that published the
    /// post can name the next one, so only it can edit or unpublish.
    pub author_lock: String,
    #[serde(default)]
    pub unpublished: bool,
}

/// The record's `type`.
pub const POST_KIND: &str = "post";

impl PublishedPost {
    /// The record for `draft`, published at `now` (RFC 3339) under `lock`. `created_at` is the
    /// first publication's time when this updates one.
    pub fn from_draft(
        draft: &Draft,
        course: Option<String>,
        now: &str,
        created_at: Option<&str>,
        lock: String,
    ) -> PublishedPost {
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let created_at = created_at.unwrap_or(now).to_owned();
        PublishedPost {
            id: None,
            couch_id: None,
            rev: None,
            post_id: None,
            kind: POST_KIND.to_owned(),
            slug: draft.slug(),
            title: draft.title.trim().to_owned(),
            summary: optional(&draft.summary),
            course,
            author: draft.author.trim().to_owned(),
            body: draft.body.clone(),
            bibliography: draft.bibliography_file(),
            style: draft.style.clone(),
            date: created_at.get(..10).unwrap_or_default().to_owned(),
            created_at,
            updated_at: now.to_owned(),
            author_lock: lock,
            unpublished: false,
        }
    }

    /// As a REST store keeps it: `id` is the slug.
    pub fn for_rest(mut self) -> PublishedPost {
        self.id = Some(self.slug.clone());
        self.couch_id = None;
        self.rev = None;
        self.post_id = None;
        self
    }

    /// As a CouchDB database keeps it, replacing revision `rev` when there is one.
    pub fn for_couch(mut self, rev: Option<String>) -> PublishedPost {
        self.id = None;
        self.couch_id = Some(couch_id(&self.slug));
        self.post_id = Some(self.slug.clone());
        self.rev = rev;
        self
    }

    /// Whether the record is one a reader may be shown: a post, well formed, not withdrawn.
    pub fn is_readable(&self) -> bool {
        self.kind == POST_KIND
            && !self.unpublished
            && is_slug(&self.slug)
            && !self.title.trim().is_empty()
            && PostDate::parse(&self.date).is_some()
    }

    /// The post's metadata, as front matter would give it.
    pub fn front_matter(&self) -> FrontMatter {
        FrontMatter {
            title: self.title.clone(),
            author: self.author.clone(),
            date: PostDate::parse(&self.date).unwrap_or(PostDate {
                year: 1970,
                month: 1,
                day: 1,
            }),
            course: self.course.clone(),
            summary: self.summary.clone(),
            bibliography: self
                .bibliography
                .iter()
                .map(|file| file.name.clone())
                .collect(),
            csl: Some(self.style.clone()),
            categories: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// A draft to edit the post in, for a browser that has none for it.
    pub fn to_draft(&self, draft_id: String) -> Draft {
        Draft {
            id: draft_id,
            title: self.title.clone(),
            summary: self.summary.clone().unwrap_or_default(),
            body: self.body.clone(),
            author: self.author.clone(),
            bibliography: self
                .bibliography
                .as_ref()
                .map(|file| file.text.clone())
                .unwrap_or_default(),
            bibliography_file: self.bibliography.as_ref().map(|file| file.name.clone()),
            style: self.style.clone(),
            updated_at: self.updated_at.clone(),
            published_slug: Some(self.slug.clone()),
        }
    }
}

/// Lower-case ASCII letters and digits in hyphen-separated runs.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Where a store lists its published posts: REST `{url}/posts`; CouchDB the `post~` range of
/// `_all_docs`, with each document.
pub fn posts_url(store_url: &str, couch: bool) -> String {
    if couch {
        // `"post~"` to `"post~\u{fff0}"`, as JSON keys, percent-encoded.
        format!("{store_url}/_all_docs?include_docs=true&startkey=%22post~%22&endkey=%22post~%EF%BF%B0%22")
    } else {
        format!("{store_url}/posts")
    }
}

/// Where a store keeps the post published as `slug` (a slug needs no escaping in a URL).
pub fn post_url(store_url: &str, couch: bool, slug: &str) -> String {
    if couch {
        format!("{store_url}/{}", couch_id(slug))
    } else {
        format!("{store_url}/posts/{slug}")
    }
}

/// The citation key being typed at the end of `before_caret`, when the caret is in one:
/// `…as [@fre` gives `fre`, `[see @a, p. 2; @` gives the empty key. The editor offers the
/// bibliography's keys that start with it.
pub fn key_being_typed(before_caret: &str) -> Option<&str> {
    let key_start = before_caret
        .trim_end_matches(|c: char| c.is_alphanumeric() || "_:.-/".contains(c))
        .len();
    let before_at = before_caret[..key_start].strip_suffix('@')?;
    let before_at = before_at.strip_suffix('-').unwrap_or(before_at);
    let line = before_at.rsplit('\n').next().unwrap_or(before_at);
    let open = line.rfind('[')?;
    if line[open..].contains(']') {
        return None;
    }
    let last = before_at.chars().last()?;
    (last == '[' || last == ';' || last.is_whitespace()).then(|| &before_caret[key_start..])
}

#[cfg(test)]
mod tests;
