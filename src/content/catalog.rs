//! The site's catalogue, `content/posts.json`: which posts exist and where their files are.

use serde::Deserialize;
use std::fmt;

/// One post as the catalogue lists it. Paths are relative to `content/`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    pub slug: String,
    /// The post's Markdown file.
    pub source: String,
    /// The post's seed comments (a JSON array), if it has any.
    #[serde(default)]
    pub comments: Option<String>,
}

impl CatalogEntry {
    /// Resolves a path written relative to the post's own file (a bibliography, say)
    /// to a path relative to `content/`.
    pub fn resolve(&self, relative: &str) -> String {
        match self.source.rfind('/') {
            Some(slash) => format!("{}/{}", &self.source[..slash], relative),
            None => relative.to_owned(),
        }
    }
}

/// What is wrong with `posts.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogError {
    Json(String),
    BadSlug(String),
    DuplicateSlug(String),
    BadPath { slug: String, path: String },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "content/posts.json is not a valid list of posts: {e}"),
            Self::BadSlug(slug) => write!(
                f,
                "content/posts.json lists the slug {slug:?}: a slug is lower-case letters, digits and hyphens"
            ),
            Self::DuplicateSlug(slug) => {
                write!(f, "content/posts.json lists the slug {slug:?} twice")
            }
            Self::BadPath { slug, path } => write!(
                f,
                "content/posts.json gives post {slug:?} the path {path:?}: paths must be relative to content/ and stay inside it"
            ),
        }
    }
}

/// The parsed, validated catalogue, in the order the file lists the posts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub entries: Vec<CatalogEntry>,
}

impl Catalog {
    pub fn parse(json: &str) -> Result<Catalog, CatalogError> {
        let entries: Vec<CatalogEntry> =
            serde_json::from_str(json).map_err(|e| CatalogError::Json(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for entry in &entries {
            if !is_slug(&entry.slug) {
                return Err(CatalogError::BadSlug(entry.slug.clone()));
            }
            if !seen.insert(entry.slug.as_str()) {
                return Err(CatalogError::DuplicateSlug(entry.slug.clone()));
            }
            for path in std::iter::once(&entry.source).chain(entry.comments.as_ref()) {
                if !is_content_path(path) {
                    return Err(CatalogError::BadPath {
                        slug: entry.slug.clone(),
                        path: path.clone(),
                    });
                }
            }
        }
        Ok(Catalog { entries })
    }

    pub fn find(&self, slug: &str) -> Option<&CatalogEntry> {
        self.entries.iter().find(|entry| entry.slug == slug)
    }
}

fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A relative path that cannot climb out of `content/` or name another origin.
fn is_content_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(':')
        && !path.contains('\\')
        && path.split('/').all(|part| !part.is_empty() && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shipped_catalogue() {
        let catalog = Catalog::parse(include_str!("../../content/posts.json")).unwrap();
        let seed = catalog.find("the-struggle-for-freedom").unwrap();
        assert!(seed.source.ends_with(".md"));
        assert!(seed.comments.is_some());
        assert_eq!(catalog.find("nope"), None);
    }

    #[test]
    fn resolves_paths_next_to_the_post() {
        let entry = CatalogEntry {
            slug: "a".into(),
            source: "posts/a/index.md".into(),
            comments: None,
        };
        assert_eq!(entry.resolve("refs.bib"), "posts/a/refs.bib");
        let flat = CatalogEntry {
            source: "a.md".into(),
            ..entry
        };
        assert_eq!(flat.resolve("refs.bib"), "refs.bib");
    }

    #[test]
    fn rejects_what_would_break_the_site() {
        assert!(matches!(Catalog::parse("{"), Err(CatalogError::Json(_))));
        assert!(matches!(Catalog::parse("{}"), Err(CatalogError::Json(_))));
        assert!(matches!(
            Catalog::parse(r#"[{"slug":"a"}]"#),
            Err(CatalogError::Json(_))
        ));
        assert_eq!(
            Catalog::parse(r#"[{"slug":"A b","source":"a.md"}]"#),
            Err(CatalogError::BadSlug("A b".into()))
        );
        assert_eq!(
            Catalog::parse(r#"[{"slug":"a","source":"a.md"},{"slug":"a","source":"b.md"}]"#),
            Err(CatalogError::DuplicateSlug("a".into()))
        );
        for path in [
            "../secret.md",
            "/etc/passwd",
            "https://evil.example/x.md",
            "a//b.md",
        ] {
            let json = format!(r#"[{{"slug":"a","source":"{path}"}}]"#);
            assert!(
                matches!(Catalog::parse(&json), Err(CatalogError::BadPath { .. })),
                "{path}"
            );
        }
        assert_eq!(Catalog::parse("[]").unwrap().entries.len(), 0);
    }
}
