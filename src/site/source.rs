//! Reads the site's content for a build: the catalogue, each post's source, bibliography and
//! seed comments, and formats its citations in every bundled style. Every problem is named
//! with its file and line; none stops the reading of the rest, so one build names them all.

use super::problem::{line_of_text, Problem};
use crate::cite::format::format;
use crate::cite::protocol::{
    cache_key, BibliographyFile, FormatReply, FormatRequest, NumberedCitation, StyleChoice,
    BUNDLED_STYLES, DEFAULT_STYLE,
};
use crate::content::catalog::{Catalog, CatalogEntry, CatalogError};
use crate::content::front_matter::FrontMatterError;
use crate::content::markdown::citations;
use crate::content::{fingerprint, Post, PostError};
use crate::i18n::Lang;
use crate::model::comment::{parse_seed, Comment};
use std::fs;
use std::path::Path;

/// A post ready to be written as a page.
pub struct SitePost {
    pub entry: CatalogEntry,
    pub post: Post,
    /// `content::fingerprint` of the source the page was built from (without a BOM).
    pub source_fingerprint: String,
    /// Formatted in the post's own style (`csl:`, else APA), in each language; empty without
    /// citations.
    pub formatted: Vec<(Lang, FormatReply)>,
    /// Every style the build formatted in each language, by the key the app's cache uses for
    /// the same request.
    pub prerendered: Vec<(Lang, String, FormatReply)>,
    pub comments: Vec<Comment>,
}

impl SitePost {
    /// The post's citations formatted in its own style, in `lang`.
    pub fn formatted_in(&self, lang: Lang) -> Option<&FormatReply> {
        self.formatted
            .iter()
            .find_map(|(formatted_lang, reply)| (*formatted_lang == lang).then_some(reply))
    }
}

pub struct Site {
    pub posts: Vec<SitePost>,
    pub warnings: Vec<Problem>,
}

pub fn read_site(content: &Path) -> Result<Site, Vec<Problem>> {
    let catalog_path = content.join("posts.json");
    let catalog_text = fs::read_to_string(&catalog_path)
        .map_err(|e| vec![Problem::file(&catalog_path, format!("cannot be read: {e}"))])?;
    let catalog = Catalog::parse(&catalog_text)
        .map_err(|error| vec![catalog_problem(&catalog_path, &catalog_text, &error)])?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut posts = Vec::new();
    for entry in catalog.entries {
        if entry.slug == "index" {
            let line = line_of_text(&catalog_text, "\"index\"");
            errors.push(Problem::at(
                &catalog_path,
                line,
                "the slug \"index\" is taken by the post list (index.html); choose another",
            ));
            continue;
        }
        match read_post(content, entry, &mut warnings) {
            Ok(post) => posts.push(post),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if errors.is_empty() {
        Ok(Site { posts, warnings })
    } else {
        Err(errors)
    }
}

fn catalog_problem(path: &Path, text: &str, error: &CatalogError) -> Problem {
    let line = match error {
        // serde_json's message ends "at line L column C".
        CatalogError::Json(message) => message
            .rsplit_once(" at line ")
            .and_then(|(_, rest)| rest.split(' ').next()?.parse().ok())
            .unwrap_or(1),
        CatalogError::BadSlug(slug) | CatalogError::DuplicateSlug(slug) => {
            line_of_text(text, &format!("\"{slug}\""))
        }
        CatalogError::BadPath { path, .. } => line_of_text(text, &format!("\"{path}\"")),
    };
    let message = error.to_string();
    let message = message
        .strip_prefix("content/posts.json ")
        .unwrap_or(&message)
        .to_owned();
    Problem::at(path, line, message)
}

fn read_post(
    content: &Path,
    entry: CatalogEntry,
    warnings: &mut Vec<Problem>,
) -> Result<SitePost, Vec<Problem>> {
    let source_path = content.join(&entry.source);
    let source = fs::read_to_string(&source_path).map_err(|e| {
        vec![Problem::file(
            &source_path,
            format!("the source of post {:?} cannot be read: {e}", entry.slug),
        )]
    })?;
    let post = Post::parse(&source).map_err(|PostError::FrontMatter(error)| {
        vec![Problem::at(
            &source_path,
            front_matter_line(&source, &error),
            error.to_string(),
        )]
    })?;
    let mut problems = Vec::new();

    let numbered: Vec<NumberedCitation> = citations(&post.document)
        .into_iter()
        .map(|(number, citation)| NumberedCitation { number, citation })
        .collect();
    let mut formatted = Vec::new();
    let mut prerendered = Vec::new();
    if !numbered.is_empty() {
        let mut bibliographies = Vec::new();
        for name in &post.meta.bibliography {
            let path = content.join(entry.resolve(name));
            match fs::read_to_string(&path) {
                Ok(text) => bibliographies.push(BibliographyFile {
                    name: name.clone(),
                    text,
                }),
                Err(e) => problems.push(Problem::at(
                    &source_path,
                    line_of_text(&source, name),
                    format!(
                        "the bibliography {name} ({}) cannot be read: {e}",
                        path.display()
                    ),
                )),
            }
        }
        let own_style = post
            .meta
            .csl
            .clone()
            .unwrap_or_else(|| DEFAULT_STYLE.to_owned());
        let mut styles: Vec<StyleChoice> = BUNDLED_STYLES
            .iter()
            .map(|(name, _)| StyleChoice::Bundled((*name).to_owned()))
            .collect();
        if own_style.ends_with(".csl") {
            let path = content.join(entry.resolve(&own_style));
            match fs::read_to_string(&path) {
                Ok(xml) => styles.insert(
                    0,
                    StyleChoice::Custom {
                        name: own_style.clone(),
                        xml,
                    },
                ),
                Err(e) => problems.push(Problem::at(
                    &source_path,
                    line_of_text(&source, &own_style),
                    format!("the citation style {own_style} cannot be read: {e}"),
                )),
            }
        } else if !BUNDLED_STYLES.iter().any(|(name, _)| *name == own_style) {
            problems.push(Problem::at(
                &source_path,
                line_of_text(&source, "csl:"),
                format!(
                    "`csl: {own_style}` is neither a bundled style ({}) nor a .csl file",
                    BUNDLED_STYLES.map(|(name, _)| name).join(", ")
                ),
            ));
        }
        if problems.is_empty() {
            for lang in Lang::ALL {
                for style in &styles {
                    let request = FormatRequest {
                        bibliographies: bibliographies.clone(),
                        style: style.clone(),
                        citations: numbered.clone(),
                        locale: Some(lang.tag().to_owned()),
                        every_entry: false,
                    };
                    let reply = format(&request);
                    let is_own = match style {
                        StyleChoice::Bundled(name) | StyleChoice::Custom { name, .. } => {
                            *name == own_style
                        }
                    };
                    // Problems and unknown keys are the same in every language: told once.
                    if is_own && lang == Lang::En {
                        for problem in &reply.problems {
                            problems.push(Problem::at(
                                &source_path,
                                line_of_text(&source, "bibliography:"),
                                problem.clone(),
                            ));
                        }
                        for citation in &reply.citations {
                            for key in &citation.unknown_keys {
                                warnings.push(Problem::at(
                                    &source_path,
                                    line_of_text(&source, &format!("@{key}")),
                                    format!(
                                        "the citation key @{key} is not in the post's bibliography"
                                    ),
                                ));
                            }
                        }
                    }
                    if is_own {
                        formatted.push((lang, reply.clone()));
                    }
                    prerendered.push((lang, cache_key(&request), reply));
                }
            }
        }
    }

    let mut comments = Vec::new();
    if let Some(path) = &entry.comments {
        let path = content.join(path);
        match fs::read_to_string(&path) {
            Ok(json) => match parse_seed(&json) {
                Ok(seed) => comments = seed,
                Err(message) => {
                    let line = message
                        .rsplit_once(" at line ")
                        .and_then(|(_, rest)| rest.split(' ').next()?.parse().ok())
                        .unwrap_or(1);
                    problems.push(Problem::at(&path, line, message));
                }
            },
            Err(e) => problems.push(Problem::file(
                &path,
                format!("the seed comments cannot be read: {e}"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let source_fingerprint = fingerprint(source.strip_prefix('\u{feff}').unwrap_or(&source));
    Ok(SitePost {
        entry,
        post,
        source_fingerprint,
        formatted,
        prerendered,
        comments,
    })
}

/// Where in the post's file a front matter problem is.
fn front_matter_line(source: &str, error: &FrontMatterError) -> usize {
    match error {
        FrontMatterError::Yaml { line, .. } => *line,
        FrontMatterError::WrongType { key, .. } => line_of_text(source, &format!("{key}:")),
        FrontMatterError::BadDate(_) => line_of_text(source, "date:"),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::temp_dir::TempDir;

    fn site_with(files: &[(&str, &str)]) -> TempDir {
        let dir = TempDir::new("site");
        for (name, text) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    const CATALOG: &str = "[\n  {\"slug\": \"p\", \"source\": \"p/index.md\"}\n]\n";

    #[test]
    fn the_seed_site_reads_with_its_citation_formatted_in_every_style() {
        let site = read_site(Path::new("content")).unwrap();
        let post = &site.posts[0];
        assert_eq!(post.comments.len(), 4);
        let formatted = post.formatted_in(Lang::En).unwrap();
        assert_eq!(formatted.style, "apa");
        assert_eq!(formatted.labels()[0].1, "(Freeze, 2009, p. 410)");
        assert_eq!(formatted.bibliography_title, "References");
        let russian = post.formatted_in(Lang::Ru).unwrap();
        assert_eq!(russian.bibliography_title, "Список литературы");
        assert_ne!(russian.labels()[0].1, "(Freeze, 2009, p. 410)");
        assert_eq!(
            post.prerendered.len(),
            BUNDLED_STYLES.len() * Lang::ALL.len()
        );
        assert!(site.warnings.is_empty(), "{:?}", site.warnings);
    }

    #[test]
    fn a_malformed_front_matter_is_named_with_file_and_line() {
        let dir = site_with(&[
            ("posts.json", CATALOG),
            (
                "p/index.md",
                "---\ntitle: T\nauthor: A\ndate: 2019-13-45\n---\nBody\n",
            ),
        ]);
        let errors = read_site(dir.path()).err().unwrap();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(4));
        assert!(errors[0].file.ends_with("p/index.md"));
        assert!(
            errors[0]
                .to_string()
                .contains("p/index.md:4: `date: 2019-13-45`"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_missing_bibliography_and_a_bad_catalogue_entry_stop_the_build() {
        let dir = site_with(&[
            ("posts.json", CATALOG),
            ("p/index.md", "---\ntitle: T\nauthor: A\ndate: 2019-01-01\nbibliography: refs.bib\n---\nSee [@k].\n"),
        ]);
        let errors = read_site(dir.path()).err().unwrap();
        assert_eq!(errors[0].line, Some(5), "{}", errors[0]);
        assert!(errors[0].message.contains("refs.bib"));

        let dir = site_with(&[(
            "posts.json",
            "[\n  {\"slug\": \"Bad Slug\", \"source\": \"x.md\"}\n]",
        )]);
        let errors = read_site(dir.path()).err().unwrap();
        assert_eq!(errors[0].line, Some(2), "{}", errors[0]);
        let dir = site_with(&[("posts.json", "[\n  {\"slug\": \"a\",\n   \"source\": }\n]")]);
        let errors = read_site(dir.path()).err().unwrap();
        assert_eq!(errors[0].line, Some(3), "{}", errors[0]);
    }

    #[test]
    fn an_unknown_key_is_a_warning_with_its_line() {
        let dir = site_with(&[
            ("posts.json", CATALOG),
            (
                "p/index.md",
                "---\ntitle: T\nauthor: A\ndate: 2019-01-01\nbibliography: refs.bib\n---\nKnown [@k].\n\nUnknown [@nobody].\n",
            ),
            ("p/refs.bib", "@book{k, author = {Freeze, Gregory L.}, title = {Russia}, year = {2009}, publisher = {OUP}}\n"),
        ]);
        let site = read_site(dir.path()).unwrap();
        assert_eq!(site.warnings.len(), 1, "{:?}", site.warnings);
        assert_eq!(site.warnings[0].line, Some(9));
        assert!(site.warnings[0].message.contains("@nobody"));
    }
}
