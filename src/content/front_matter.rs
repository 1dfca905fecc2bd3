//! The YAML front matter block that opens every post: finds it, parses it, validates it.
//!
//! Keys follow Pandoc: `title`, `author`, `date` (required), `course`, `summary`,
//! `bibliography` (one path or a list) and `csl` (optional); and, as a WordPress import writes
//! them, `categories` and `tags` (one or a list each, optional).

use super::yaml_lite::{self, Value};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date as the author wrote it (`YYYY-MM-DD`), free of any time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PostDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl PostDate {
    pub fn parse(text: &str) -> Option<PostDate> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days_in_month).contains(&day) && (1000..=9999).contains(&year)).then_some(PostDate {
            year,
            month,
            day,
        })
    }
}

impl fmt::Display for PostDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A post's metadata.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub author: String,
    pub date: PostDate,
    pub course: Option<String>,
    pub summary: Option<String>,
    /// Bibliography files, relative to the post's own file.
    pub bibliography: Vec<String>,
    /// A bundled style name or a `.csl` path relative to the post.
    pub csl: Option<String>,
    /// The post's categories and tags (a WordPress import keeps them).
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// What is wrong with a front matter block, in words an author can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrontMatterError {
    Missing,
    Unclosed,
    Yaml {
        line: usize,
        message: String,
    },
    NotAMapping,
    MissingKey(&'static str),
    WrongType {
        key: &'static str,
        expected: &'static str,
    },
    BadDate(String),
}

impl fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => write!(f, "the post has no front matter: it must begin with a line `---`, then `title:`, `author:` and `date:`, then `---`"),
            Self::Unclosed => write!(f, "the front matter is never closed: add a line `---` after its last key"),
            Self::Yaml { line, message } => write!(f, "the front matter is not valid YAML (line {line}): {message}"),
            Self::NotAMapping => write!(f, "the front matter must be a list of `key: value` lines"),
            Self::MissingKey(key) => write!(f, "the front matter has no `{key}:`"),
            Self::WrongType { key, expected } => write!(f, "`{key}:` in the front matter must be {expected}"),
            Self::BadDate(text) => write!(f, "`date: {text}` in the front matter is not a date written YYYY-MM-DD"),
        }
    }
}

/// Splits a post source into its parsed front matter and the Markdown body after it.
pub fn split(source: &str) -> Result<(FrontMatter, &str), FrontMatterError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = source.split_inclusive('\n');
    let first = lines.next().ok_or(FrontMatterError::Missing)?;
    if first.trim_end() != "---" {
        return Err(FrontMatterError::Missing);
    }
    let mut offset = first.len();
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &source[first.len()..offset];
            let body = &source[offset + line.len()..];
            return Ok((parse(yaml)?, body));
        }
        offset += line.len();
    }
    Err(FrontMatterError::Unclosed)
}

fn parse(yaml: &str) -> Result<FrontMatter, FrontMatterError> {
    let entries = yaml_lite::parse(yaml).map_err(|e| FrontMatterError::Yaml {
        // The block starts on the file's second line.
        line: e.line + 1,
        message: e.message,
    })?;
    if entries.is_empty() {
        return Err(FrontMatterError::NotAMapping);
    }
    let find = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let text = |key: &'static str| -> Result<Option<String>, FrontMatterError> {
        match find(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::List(_)) => Err(FrontMatterError::WrongType {
                key,
                expected: "text",
            }),
        }
    };
    let required = |key: &'static str| text(key)?.ok_or(FrontMatterError::MissingKey(key));
    let title = required("title")?;
    let author = required("author")?;
    let date_text = required("date")?;
    let list = |key: &str| match find(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Text(item)) => vec![item.trim().to_owned()],
        Some(Value::List(items)) => items.clone(),
    };
    let bibliography = list("bibliography");
    Ok(FrontMatter {
        title,
        author,
        date: PostDate::parse(&date_text).ok_or(FrontMatterError::BadDate(date_text))?,
        course: text("course")?,
        summary: text("summary")?,
        bibliography,
        csl: text("csl")?,
        categories: list("categories"),
        tags: list("tags"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: The Struggle for Freedom\nauthor: Jordan Ellis\ndate: 2019-03-14\ncourse: HIST 232\nbibliography: references.bib\ncsl: apa\n---\nBody text.\n";

    #[test]
    fn splits_metadata_from_body() {
        let (meta, body) = split(GOOD).unwrap();
        assert_eq!(meta.title, "The Struggle for Freedom");
        assert_eq!(meta.author, "Jordan Ellis");
        assert_eq!(
            meta.date,
            PostDate {
                year: 2019,
                month: 3,
                day: 14
            }
        );
        assert_eq!(meta.course.as_deref(), Some("HIST 232"));
        assert_eq!(meta.summary, None);
        assert_eq!(meta.bibliography, vec!["references.bib".to_owned()]);
        assert_eq!(meta.csl.as_deref(), Some("apa"));
        assert_eq!(body, "Body text.\n");
    }

    #[test]
    fn accepts_crlf_bom_and_a_list_of_bibliographies() {
        let src = "\u{feff}---\r\ntitle: \"A: B\"\r\nauthor: X\r\ndate: 2020-02-29\r\nbibliography:\r\n  - a.bib\r\n  - b.json\r\n---\r\nHi";
        let (meta, body) = split(src).unwrap();
        assert_eq!(meta.title, "A: B");
        assert_eq!(meta.bibliography, vec!["a.bib", "b.json"]);
        assert_eq!(body, "Hi");
    }

    #[test]
    fn reads_categories_and_tags_as_lists() {
        let src = "---\ntitle: T\nauthor: A\ndate: 2019-03-14\ncategories:\n  - \"History\"\n  - \"Soviet Union\"\ntags: gulag\n---\n";
        let (meta, _) = split(src).unwrap();
        assert_eq!(meta.categories, vec!["History", "Soviet Union"]);
        assert_eq!(meta.tags, vec!["gulag"]);
        assert!(split(GOOD).unwrap().0.tags.is_empty());
    }

    #[test]
    fn names_each_problem() {
        assert_eq!(
            split("# Just markdown").unwrap_err(),
            FrontMatterError::Missing
        );
        assert_eq!(
            split("---\ntitle: x\n").unwrap_err(),
            FrontMatterError::Unclosed
        );
        assert_eq!(
            split("---\nauthor: a\ndate: 2020-01-01\n---\n").unwrap_err(),
            FrontMatterError::MissingKey("title")
        );
        assert_eq!(
            split("---\ntitle: t\nauthor: a\ndate: 14/03/2019\n---\n").unwrap_err(),
            FrontMatterError::BadDate("14/03/2019".into())
        );
        assert_eq!(
            split("---\ntitle: t\nauthor: a\ndate: 2019-02-29\n---\n").unwrap_err(),
            FrontMatterError::BadDate("2019-02-29".into())
        );
        assert_eq!(
            split("---\n# nothing\n---\n").unwrap_err(),
            FrontMatterError::NotAMapping
        );
        assert!(matches!(
            split("---\n- a\n- b\n---\n").unwrap_err(),
            FrontMatterError::Yaml { line: 2, .. }
        ));
        assert!(matches!(
            split("---\ntitle: [unclosed\nauthor: a\n---\n").unwrap_err(),
            FrontMatterError::Yaml { .. }
        ));
        assert_eq!(
            split("---\ntitle: [a, b]\nauthor: a\ndate: 2020-01-01\n---\n").unwrap_err(),
            FrontMatterError::WrongType {
                key: "title",
                expected: "text"
            }
        );
    }

    #[test]
    fn errors_read_as_sentences() {
        let message = split("---\ntitle: t\n---\n").unwrap_err().to_string();
        assert_eq!(message, "the front matter has no `author:`");
    }
}
