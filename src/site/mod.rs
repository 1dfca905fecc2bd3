//! The static site, made when the site is built (`colloquy build`): each post listed in
//! `content/posts.json` as its own HTML page, readable with no script, and the post list.
//! Native only; the app in the browser takes these pages over (see `assets/post.js`).

mod list;
mod post_page;
mod problem;
mod seed_thread;
mod shell;
mod source;

pub use problem::Problem;

use crate::i18n::Lang;
use std::fs;
use std::path::{Path, PathBuf};

/// What a build wrote, and what it warned about.
#[derive(Debug, Default)]
pub struct Built {
    pub pages: Vec<PathBuf>,
    pub warnings: Vec<Problem>,
}

/// The file a post's page in `lang` is written to, next to index.html, so every relative URL
/// the page and the app use (`./content/…`, `./thread_app.js`) means the same on both:
/// `<slug>.html` in English, `<slug>.<lang>.html` in each other language (a slug has no dot).
pub fn page_file(slug: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{slug}.html"),
        other => format!("{slug}.{}.html", other.tag()),
    }
}

/// The build's content checks without building (`colloquy check`): reads and checks every post
/// as `build` does, writing nothing. The number of posts and the warnings, or the errors.
pub fn check(content: &Path) -> Result<(usize, Vec<Problem>), Vec<Problem>> {
    source::read_site(content).map(|site| (site.posts.len(), site.warnings))
}

/// Renders every post of `content` into `dist`, using the built `dist/index.html` for the
/// stylesheet, theme script and icon. Reads and checks everything first: on any error nothing
/// is written, and the errors come back, each with its file and line.
pub fn build(content: &Path, dist: &Path) -> Result<Built, Vec<Problem>> {
    let index_path = dist.join("index.html");
    let index_html = fs::read_to_string(&index_path).map_err(|e| {
        vec![Problem::file(
            &index_path,
            format!("cannot be read ({e}); build the app first"),
        )]
    })?;
    let shell = shell::Shell::from_index(&index_html)
        .map_err(|message| vec![Problem::file(&index_path, message)])?;
    let site = source::read_site(content)?;

    let mut pages = Vec::new();
    for post in &site.posts {
        for lang in Lang::ALL {
            pages.push((
                dist.join(page_file(&post.entry.slug, lang)),
                post_page::post_page(&shell, post, lang),
            ));
        }
    }
    pages.push((index_path, list::list_page(&index_html, &site.posts)));
    let mut written = Vec::new();
    for (path, html) in pages {
        // Each page appears whole or not at all: written beside, then renamed over.
        let partial = path.with_extension("html.partial");
        fs::write(&partial, html)
            .and_then(|()| fs::rename(&partial, &path))
            .map_err(|e| vec![Problem::file(&path, format!("cannot be written: {e}"))])?;
        written.push(path);
    }
    Ok(Built {
        pages: written,
        warnings: site.warnings,
    })
}
