//! Where an import goes: the content folder (`posts.json`, `posts/<slug>/index.md`,
//! `posts/<slug>/comments.json`) and, with `--to`, the store that takes the comments instead.
//! Nothing already there is overwritten: a taken slug gets a suffix, a post imported before
//! word for word is left as it is, and comments merge into a comments file by id.

use super::html::Dropped;
use super::post_file::{post_file, slug_from};
use super::push::Store;
use super::report::{Placement, PostLine, Report};
use super::{thread, ImportError, Options, SourcePost};
use crate::content::catalog::{Catalog, CatalogEntry};
use crate::content::front_matter::split;
use crate::model::comment::parse_seed;
use crate::model::Comment;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

pub struct Target {
    root: PathBuf,
    /// posts.json as read, entry by entry, with any keys this version does not know kept.
    entries: Vec<Value>,
    /// Each listed slug's index in `entries`.
    slugs: HashMap<String, usize>,
    changed: bool,
    store: Option<Store>,
}

fn target_error(message: String) -> ImportError {
    ImportError::Target(message)
}

/// Writes `text` beside `path` and renames it over, so a file is never half written.
fn write_whole(path: &Path, text: &str) -> Result<(), ImportError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| target_error(format!("{}: cannot be made: {e}", parent.display())))?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    fs::write(&partial, text)
        .and_then(|()| fs::rename(&partial, path))
        .map_err(|e| target_error(format!("{}: cannot be written: {e}", path.display())))
}

impl Target {
    pub fn open(options: &Options) -> Result<Target, String> {
        let root = options.content.clone();
        let catalog = root.join("posts.json");
        let entries = match fs::read_to_string(&catalog) {
            Ok(text) => {
                Catalog::parse(&text).map_err(|e| {
                    format!(
                        "{}: {e}; fix it first, nothing was imported",
                        catalog.display()
                    )
                })?;
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", catalog.display()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(format!("{}: cannot be read: {e}", catalog.display())),
        };
        let store = options
            .store
            .as_deref()
            .map(Store::from_config)
            .transpose()?;
        if let Some(store) = &store {
            store.probe()?;
        }
        let slugs = entries
            .iter()
            .enumerate()
            .filter_map(|(i, entry): (usize, &Value)| {
                Some((entry.get("slug")?.as_str()?.to_owned(), i))
            })
            .collect();
        Ok(Target {
            root,
            entries,
            slugs,
            changed: false,
            store,
        })
    }

    /// A description of the store comments go to, if any.
    pub fn store_name(&self) -> Option<String> {
        self.store.as_ref().map(Store::describe)
    }

    fn entry(&self, slug: &str) -> Option<(usize, CatalogEntry)> {
        let index = *self.slugs.get(slug)?;
        let entry = serde_json::from_value(self.entries[index].clone()).ok()?;
        Some((index, entry))
    }

    /// Whether the content folder lists a post `slug`.
    pub fn has_post(&self, slug: &str) -> bool {
        self.entry(slug).is_some()
    }

    /// Writes one post (under a free slug) and delivers its comments.
    pub fn post(
        &mut self,
        post: SourcePost,
        include_pending: bool,
        report: &mut Report,
    ) -> Result<(), ImportError> {
        let mut dropped = Dropped::default();
        let text = post_file(&post, &mut dropped);
        report.dropped.add(&dropped);
        let mut wanted = slug_from(&post.slug_hint);
        if wanted.is_empty() {
            wanted = slug_from(&post.title);
        }
        if wanted.is_empty() {
            wanted = slug_from(&format!("post-{}", post.source_id));
        }
        let (slug, placement) = self.place(&wanted, &text)?;
        let (comments, hidden) = thread::comments(post.comments, include_pending, report);
        self.deliver(&slug, placement, comments, hidden, report)
    }

    /// Finds the post's slug: `wanted`, else `wanted-2`, `wanted-3`…; a slug whose post holds
    /// exactly `text` is this post imported before.
    fn place(&mut self, wanted: &str, text: &str) -> Result<(String, Placement), ImportError> {
        for n in 1.. {
            let slug = if n == 1 {
                wanted.to_owned()
            } else {
                format!("{wanted}-{n}")
            };
            if slug == "index" {
                continue;
            }
            if let Some((_, entry)) = self.entry(&slug) {
                let there = fs::read_to_string(self.root.join(&entry.source)).unwrap_or_default();
                if there == text {
                    return Ok((slug, Placement::Unchanged));
                }
                if same_post(&there, text) {
                    return Ok((slug, Placement::Kept));
                }
                continue;
            }
            let folder = self.root.join("posts").join(&slug);
            if folder.exists() {
                // A folder of its own, not listed: never written into.
                continue;
            }
            let source = format!("posts/{slug}/index.md");
            write_whole(&self.root.join(&source), text)?;
            self.slugs.insert(slug.clone(), self.entries.len());
            self.entries
                .push(serde_json::json!({"slug": slug, "source": source}));
            self.changed = true;
            let placement = if n == 1 {
                Placement::New
            } else {
                Placement::Renamed {
                    wanted: wanted.to_owned(),
                }
            };
            return Ok((slug, placement));
        }
        unreachable!("some suffix is free")
    }

    /// Sends a post's comments to the store, or merges them into its comments file.
    pub fn deliver(
        &mut self,
        slug: &str,
        placement: Placement,
        comments: Vec<Comment>,
        hidden: usize,
        report: &mut Report,
    ) -> Result<(), ImportError> {
        let mut line = PostLine {
            slug: slug.to_owned(),
            placement,
            comments: comments.len(),
            hidden,
            kept: 0,
            pushed: None,
        };
        if let Some(store) = &self.store {
            let (pushed, problems) = store.push(slug, &comments).map_err(target_error)?;
            line.pushed = Some(pushed);
            report.warnings.extend(problems);
        } else if !comments.is_empty() {
            line.kept = self.merge_comments(slug, comments)?;
        }
        report.posts.push(line);
        Ok(())
    }

    /// Writes `comments` into the post's comments file, keeping the comments already there
    /// that are not among them; returns how many were kept.
    fn merge_comments(&mut self, slug: &str, comments: Vec<Comment>) -> Result<usize, ImportError> {
        let (index, entry) = self
            .entry(slug)
            .ok_or_else(|| target_error(format!("the post {slug:?} is not in posts.json")))?;
        let relative = entry
            .comments
            .clone()
            .unwrap_or_else(|| entry.resolve("comments.json"));
        let path = self.root.join(&relative);
        let mut kept = Vec::new();
        match fs::read_to_string(&path) {
            Ok(text) => {
                let ours: HashSet<&str> = comments.iter().map(|c| c.id.as_str()).collect();
                let existing = parse_seed(&text).map_err(|e| {
                    target_error(format!("{}: {e}; it was left as it is", path.display()))
                })?;
                kept = existing
                    .into_iter()
                    .filter(|c| !ours.contains(c.id.as_str()))
                    .collect();
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(target_error(format!(
                    "{}: cannot be read: {e}",
                    path.display()
                )))
            }
        }
        let kept_count = kept.len();
        let mut all = kept;
        all.extend(comments);
        all.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        let json = serde_json::to_string_pretty(&all).expect("comments are strings and bools");
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() != Some(format!("{json}\n").as_str()) {
            write_whole(&path, &format!("{json}\n"))?;
        }
        if entry.comments.is_none() {
            self.entries[index]["comments"] = Value::String(relative);
            self.changed = true;
        }
        Ok(kept_count)
    }

    /// Writes posts.json if the import added to it.
    pub fn save(&self) -> Result<(), String> {
        if !self.changed {
            return Ok(());
        }
        let path = self.root.join("posts.json");
        write_whole(&path, &catalog_json(&self.entries)).map_err(|e| e.to_string())
    }
}

/// Whether two post files are one post, one of them edited: the same title and date.
fn same_post(there: &str, ours: &str) -> bool {
    match (split(there), split(ours)) {
        (Ok((a, _)), Ok((b, _))) => a.title == b.title && a.date == b.date,
        _ => false,
    }
}

/// posts.json as the shipped one is written: an entry's `slug`, `source` and `comments` first,
/// in that order, then any other keys as they were.
fn catalog_json(entries: &[Value]) -> String {
    const FIRST: [&str; 3] = ["slug", "source", "comments"];
    let mut out = String::from("[");
    for (i, entry) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        let Value::Object(map) = entry else {
            out.truncate(out.len() - 1);
            out.push_str(&entry.to_string());
            continue;
        };
        let keys = FIRST
            .iter()
            .copied()
            .filter(|key| map.contains_key(*key))
            .chain(
                map.keys()
                    .map(String::as_str)
                    .filter(|key| !FIRST.contains(key)),
            );
        for (n, key) in keys.enumerate() {
            out.push_str(if n == 0 { "\n    " } else { ",\n    " });
            out.push_str(&Value::String(key.to_owned()).to_string());
            out.push_str(": ");
            out.push_str(&map[key].to_string());
        }
        out.push_str("\n  }");
    }
    out.push_str(if entries.is_empty() { "]\n" } else { "\n]\n" });
    out
}
