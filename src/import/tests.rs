//! Tests of `colloquy import` against the fixtures in tests/fixtures/import/, written for
//! these tests: a course blog's WXR 1.2 export, a Disqus export of the same blog, an XXE
//! attempt, a DOCTYPE, a plain RSS feed and an item without its type.

use super::html::{to_markdown, Dropped};
use super::post_file::slug_from;
use super::*;
use crate::model::comment::{parse_seed, Comment};
use crate::model::thread::{SortOrder, ThreadView};
use crate::temp_dir::TempDir;
use std::fs;

const FIXTURES: &str = "tests/fixtures/import";

/// A copy of the shipped content/ (the seed post) in a folder of its own.
fn with_seed_content() -> TempDir {
    let dir = TempDir::new("import-test");
    copy_dir(Path::new("content"), &dir.0);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn options(file: PathBuf, content: &Path) -> Options {
    Options {
        file,
        content: content.to_path_buf(),
        store: None,
        include_pending: false,
    }
}

fn comments_of(content: &Path, slug: &str) -> Vec<Comment> {
    parse_seed(&fs::read_to_string(content.join(format!("posts/{slug}/comments.json"))).unwrap())
        .unwrap()
}

/// Each comment's number in the thread, as the app and the built page number them.
fn numbers(comments: &[Comment]) -> Vec<(String, String)> {
    let view = ThreadView::build(comments, &[], None, SortOrder::OldestFirst);
    let mut out: Vec<(String, String)> = comments
        .iter()
        .filter_map(|c| Some((view.number_of(&c.id)?.to_owned(), c.author.clone())))
        .collect();
    out.sort_by(|a, b| crate::model::thread::compare_numbers(&a.0, &b.0));
    out
}

fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push((path.clone(), fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_wordpress_export_becomes_posts_and_threaded_comments_in_wordpress_order() {
    let dir = with_seed_content();
    let report = run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    assert_eq!(report.version.as_deref(), Some("1.2"));
    assert_eq!(
        report.site_title,
        "HIST 232 & Friends: Russia in the Twentieth Century"
    );
    let comments = comments_of(&dir.0, "gulag-amnesty");
    assert_eq!(
        numbers(&comments),
        [
            ("1", "Sam & Co. <Okafor>"),
            ("2", "Parker Nguyen"),
            ("2.1", "Maya Chen"),
            ("2.1.1", "Parker Nguyen"),
            ("3", "Alex Romero"),
            ("4", "Riley Park"),
            ("5", "Old Import"),
        ]
        .map(|(n, a)| (n.to_owned(), a.to_owned()))
    );
    // Times are WordPress's GMT column; a comment without one keeps its local time.
    assert_eq!(comments[1].created_at, "2019-03-15T09:12:00Z");
    assert_eq!(comments[2].created_at, "2019-03-15T10:00:00Z");
    assert_eq!(comments[6].created_at, "2019-03-18T14:30:00Z");
    // Ids are deterministic and sort as WordPress's ids do.
    assert_eq!(comments[0].id, "wp-000000000009");
    assert_eq!(comments[2].parent_id.as_deref(), Some("wp-000000000011"));
    // A reply whose parent is not in the export is top-level, and counted.
    assert_eq!(comments[5].parent_id, None);
    assert_eq!(report.parent_missing, 1);
    assert!(comments.iter().all(|c| !c.deleted && c.post_id.is_empty()));
    // A multiline body keeps its paragraphs and its line break.
    assert_eq!(
        comments[1].body,
        "This is an interesting topic but it is kind of confusing.\n\nIf Khrushchev didn't want to release too many common criminals, why did he?  \nAnd what was the impact on Russian society?"
    );
    assert_eq!(comments[3].body, "**Good** question, Maya.");
    // The build reads what was written, with no error and no warning.
    let (posts, warnings) = crate::site::check(&dir.0).unwrap();
    assert_eq!(posts, 4);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn front_matter_holds_title_author_date_summary_categories_and_tags() {
    let dir = TempDir::new("import-test");
    run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let source = fs::read_to_string(dir.0.join("posts/gulag-amnesty/index.md")).unwrap();
    let (meta, body) = crate::content::front_matter::split(&source).unwrap();
    assert_eq!(meta.title, "The GULAG Amnesty of 1953");
    // dc:creator is the login; the channel's author list gives the name people see.
    assert_eq!(meta.author, "Jordan Ellis");
    // The post's date as its author saw it (wp:post_date), not the GMT day.
    assert_eq!(meta.date.to_string(), "2019-03-14");
    assert_eq!(
        meta.summary.as_deref(),
        Some("The 1953 amnesty & its limits.")
    );
    assert_eq!(meta.categories, ["History", "Soviet Union"]);
    assert_eq!(meta.tags, ["gulag", "\"Khrushchev\" era"]);
    assert!(body.starts_with("\n## After Stalin\n"), "{body}");
    // A login without a display name stays as it is.
    let other = fs::read_to_string(dir.0.join("posts/the-struggle-for-freedom/index.md")).unwrap();
    let (meta, _) = crate::content::front_matter::split(&other).unwrap();
    assert_eq!(meta.author, "mchen");
}

#[test]
fn html_becomes_markdown_with_images_as_links_and_wordpress_markup_gone() {
    let dir = TempDir::new("import-test");
    run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let body = fs::read_to_string(dir.0.join("posts/gulag-amnesty/index.md")).unwrap();
    for expected in [
        "## After Stalin",
        "an *amnesty* on 27 March that released **many** prisoners.\\[1\\]  \nThe camps",
        "- railways and roads\n- mining & timber",
        "> Too many common criminals, in Khrushchev's view.",
        "[the Wikipedia article](https://en.wikipedia.org/wiki/Gulag \"Gulag\")",
        "[A camp barracks in 1953](https://blog.example.edu/wp-content/uploads/camp.jpg) A camp barracks",
        // A linked image: the link, labelled with the image's alt text.
        "[Map of the camps](https://blog.example.edu/big.jpg)",
        "`amnesty(1953)`",
        "```\nline one\nline two\n```",
        "| Year | Prisoners   |",
        "| 1953 | 2.5 million |",
        "A paragraph with a handler.",
        "Footnotes are \\[sic\\] kept as text.",
    ] {
        assert!(body.contains(expected), "{expected:?} not in:\n{body}");
    }
    for gone in ["wp:", "<!--", "[caption", "[/caption]", "[gallery", "<img"] {
        assert!(!body.contains(gone), "{gone:?} left in:\n{body}");
    }
}

#[test]
fn unsafe_markup_is_dropped_and_counted() {
    let dir = TempDir::new("import-test");
    let report = run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let body = fs::read_to_string(dir.0.join("posts/gulag-amnesty/index.md")).unwrap();
    let comments = fs::read_to_string(dir.0.join("posts/gulag-amnesty/comments.json")).unwrap();
    for text in [&body, &comments] {
        for gone in [
            "script",
            "alert",
            "evil.example",
            "steal",
            "javascript",
            "youtube",
            "onerror",
            "onmouseover",
        ] {
            assert!(!text.contains(gone), "{gone:?} left in:\n{text}");
        }
    }
    assert!(
        body.contains("and this trick."),
        "a javascript: link keeps its text"
    );
    let d = report.dropped;
    assert_eq!(
        (d.scripts, d.embeds, d.handlers, d.script_urls),
        (2, 1, 3, 2),
        "{d:?}"
    );
    assert!(report
        .to_string()
        .contains("unsafe markup left out: 8 in all"));

    let mut dropped = Dropped::default();
    let markdown = to_markdown(
        "<p>a<object data=x></object><form><input></form><style>p{}</style><img src=\"data:image/png;base64,AAAA\" alt=\"pixel\"> <a href=\" JaVaScRiPt:x()\">b</a><svg onload=x()></svg></p>",
        &mut dropped,
    );
    let words: Vec<&str> = markdown.split_whitespace().collect();
    assert_eq!(words, ["a", "pixel", "b"]);
    assert_eq!(
        (dropped.embeds, dropped.other_elements, dropped.script_urls),
        (1, 2, 2),
        "{dropped:?}"
    );
}

#[test]
fn entities_cdata_and_character_references_are_read_as_text() {
    let dir = TempDir::new("import-test");
    run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let comments = comments_of(&dir.0, "gulag-amnesty");
    assert_eq!(comments[0].author, "Sam & Co. <Okafor>");
    assert_eq!(
        comments[0].body,
        "First! Posted the same second as Parker, with a lower id \u{2014} \u{201c}fast\u{201d}."
    );
}

#[test]
fn pending_spam_trash_pingbacks_and_trackbacks_are_skipped_and_counted() {
    let dir = TempDir::new("import-test");
    let report = run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let skipped: Vec<(&str, usize)> = report
        .skipped_comments
        .iter()
        .map(|(k, v)| (*k, *v))
        .collect();
    assert_eq!(
        skipped,
        [
            ("pending (--include-pending imports them hidden)", 1),
            ("pingback", 1),
            ("spam", 1),
            ("trackback", 1),
            ("trash", 1)
        ]
    );
    assert_eq!(report.skipped_items.get("page"), Some(&1));
    assert_eq!(report.skipped_items.get("attachment"), Some(&1));
    assert_eq!(report.skipped_posts.get("draft"), Some(&1));
    let text = report.to_string();
    assert!(text.contains("comments skipped: 1 pending"), "{text}");
    assert!(text.contains("gulag-amnesty: 7 comment(s)"), "{text}");

    // With --include-pending, the pending reply is there, hidden, under its parent; the
    // numbers shown before stay.
    let dir = TempDir::new("import-test");
    let mut with_pending = options(fixture("course-blog.wxr"), &dir.0);
    with_pending.include_pending = true;
    let report = run(&with_pending).unwrap();
    assert_eq!(report.posts[0].hidden, 1);
    let comments = comments_of(&dir.0, "gulag-amnesty");
    let pending = comments
        .iter()
        .find(|c| c.author == "Pending Student")
        .unwrap();
    assert!(pending.deleted);
    assert_eq!(pending.parent_id.as_deref(), Some("wp-000000000013"));
    let shown = numbers(&comments);
    assert_eq!(shown.len(), 7);
    assert!(shown.iter().all(|(_, author)| author != "Pending Student"));
    assert_eq!(shown[4], ("3".to_owned(), "Alex Romero".to_owned()));
}

#[test]
fn a_taken_slug_gets_a_suffix_and_a_second_import_changes_nothing() {
    let dir = with_seed_content();
    let seed_before = all_files(&dir.0.join("posts/the-struggle-for-freedom"));
    let report = run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let slugs: Vec<&str> = report.posts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "gulag-amnesty",
            "the-struggle-for-freedom-2",
            "gulag-amnesty-2"
        ]
    );
    assert_eq!(
        report.posts[1].placement,
        report::Placement::Renamed {
            wanted: "the-struggle-for-freedom".into()
        }
    );
    assert!(report.to_string().contains(
        "the slug \u{201c}the-struggle-for-freedom\u{201d} is taken by another post, so this one is \u{201c}the-struggle-for-freedom-2\u{201d}"
    ));
    // The seed post is untouched, and still listed first with its keys in order.
    assert_eq!(
        all_files(&dir.0.join("posts/the-struggle-for-freedom")),
        seed_before
    );
    let catalog = fs::read_to_string(dir.0.join("posts.json")).unwrap();
    assert!(catalog.starts_with("[\n  {\n    \"slug\": \"the-struggle-for-freedom\",\n    \"source\": \"posts/the-struggle-for-freedom/index.md\",\n    \"comments\": \"posts/the-struggle-for-freedom/comments.json\"\n  },"), "{catalog}");

    let first = all_files(&dir.0);
    let again = run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    assert!(again
        .posts
        .iter()
        .all(|p| p.placement == report::Placement::Unchanged));
    assert_eq!(all_files(&dir.0), first, "a second import wrote something");

    // A post edited by hand since is the same post (same title and date): left as it is, and
    // its comments still arrive; no third copy appears.
    let source = dir.0.join("posts/gulag-amnesty/index.md");
    let edited = fs::read_to_string(&source).unwrap() + "\nAn instructor's note.\n";
    fs::write(&source, &edited).unwrap();
    fs::remove_file(dir.0.join("posts/gulag-amnesty/comments.json")).unwrap();
    let third = run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    assert_eq!(third.posts[0].placement, report::Placement::Kept);
    assert!(third.to_string().contains("edited since: left as it is"));
    assert_eq!(fs::read_to_string(&source).unwrap(), edited);
    assert_eq!(comments_of(&dir.0, "gulag-amnesty").len(), 7);
    assert!(!dir.0.join("posts/gulag-amnesty-3").exists());
}

#[test]
fn an_xxe_attempt_is_refused_and_nothing_is_read_or_written() {
    let dir = TempDir::new("import-test");
    let error = run(&options(fixture("xxe.wxr"), &dir.0)).unwrap_err();
    assert!(
        error.starts_with("tests/fixtures/import/xxe.wxr:11: malformed XML in <title>: the entity &xxe; is not one of XML's own"),
        "{error}"
    );
    assert!(
        error.contains("never reads DTDs or external entities"),
        "{error}"
    );
    assert!(!error.contains("root:"), "{error}");
    assert!(all_files(&dir.0).is_empty());

    // A DOCTYPE that nothing uses is skipped, never fetched, and said so.
    let report = run(&options(fixture("doctype-unused.wxr"), &dir.0)).unwrap();
    assert!(report.doctype_skipped);
    assert_eq!(report.version.as_deref(), Some("1.0"));
    assert!(report.to_string().contains("<!DOCTYPE> was not read"));
    let post = fs::read_to_string(dir.0.join("posts/old-post/index.md")).unwrap();
    assert!(
        post.ends_with("Plain text from 2008.\n\nA second paragraph.\n"),
        "{post}"
    );
}

#[test]
fn a_truncated_file_names_its_line_and_element_and_writes_nothing() {
    let dir = TempDir::new("import-test");
    let whole = fs::read_to_string(fixture("course-blog.wxr")).unwrap();
    // Cut inside the first post's comments, and at the end of a line.
    let cut = whole.find("<wp:comment_id>13</wp:comment_id>").unwrap();
    let file = dir.0.join("truncated.wxr");
    fs::write(&file, &whole[..cut]).unwrap();
    let content = dir.0.join("content");
    let error = run(&options(file.clone(), &content)).unwrap_err();
    let line = whole[..cut].lines().count();
    assert!(
        error.starts_with(&format!("{}:{line}: malformed XML in <wp:comment>: the file ends inside <wp:comment>: it is truncated", file.display())),
        "{error}"
    );
    assert!(!content.exists(), "nothing is written for a broken file");

    // Cut inside a tag.
    let cut = whole.find("<wp:comment_author>").unwrap() + 5;
    fs::write(&file, &whole[..cut]).unwrap();
    let error = run(&options(file.clone(), &content)).unwrap_err();
    assert!(error.contains("malformed XML in <wp:comment>"), "{error}");
    assert!(!content.exists());
}

#[test]
fn unknown_formats_and_missing_elements_are_named() {
    let dir = TempDir::new("import-test");
    let error = run(&options(fixture("plain-feed.rss"), &dir.0)).unwrap_err();
    assert!(error.starts_with("tests/fixtures/import/plain-feed.rss: not a WordPress export (WXR 1.0–1.2) or a Disqus export: it is an RSS feed"), "{error}");
    let json = dir.0.join("export.json");
    fs::write(&json, "{\"posts\": []}").unwrap();
    let error = run(&options(json, &dir.0.join("c"))).unwrap_err();
    assert!(
        error.contains("malformed XML") || error.contains("not a WordPress export"),
        "{error}"
    );
    let html = dir.0.join("page.xml");
    fs::write(&html, "<html><body>hi</body></html>").unwrap();
    let error = run(&options(html, &dir.0.join("c"))).unwrap_err();
    assert!(error.contains("its root element is <html>"), "{error}");

    let error = run(&options(fixture("missing-type.wxr"), &dir.0.join("c"))).unwrap_err();
    assert_eq!(
        error,
        "tests/fixtures/import/missing-type.wxr:6: <item> has no <wp:post_type>, which an import needs"
    );
    assert!(!dir.0.join("c").exists());
}

#[test]
fn disqus_comments_join_the_imported_posts_and_orphans_are_reported() {
    let dir = with_seed_content();
    run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    let report = run(&options(fixture("disqus.xml"), &dir.0)).unwrap();
    assert_eq!(report.format, Format::Disqus);
    assert_eq!(report.posts.len(), 1);
    let line = &report.posts[0];
    assert_eq!(line.slug, "gulag-amnesty");
    assert_eq!(line.placement, report::Placement::Existing);
    assert_eq!((line.comments, line.kept), (3, 7));
    assert_eq!(report.anonymous, 1);
    assert_eq!(report.parent_missing, 1);
    assert_eq!(report.skipped_comments.get("deleted"), Some(&1));
    assert_eq!(report.skipped_comments.get("spam"), Some(&1));
    assert_eq!(report.orphans.len(), 2, "{:?}", report.orphans);
    assert!(report.orphans[0].contains("Disqus thread 9999, which the export does not list"));
    assert!(report.orphans[1].contains("\u{201c}A page this site does not have\u{201d} (https://blog.example.edu/hist232/?p=77): no post"));

    let comments = comments_of(&dir.0, "gulag-amnesty");
    let shown = numbers(&comments);
    let tail: Vec<(&str, &str)> = shown[7..]
        .iter()
        .map(|(n, a)| (n.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        tail,
        [("6", "Taylor Kim"), ("6.1", "A Guest"), ("7", "Riley Park")]
    );
    let taylor = comments.iter().find(|c| c.author == "Taylor Kim").unwrap();
    assert_eq!(taylor.id, "disqus-000000005001");
    assert_eq!(
        taylor.body,
        "From Disqus: the amnesty was Beria's idea.\n\nSecond paragraph,  \nwith a line break."
    );

    // Again: the same comments, no duplicates.
    let before = all_files(&dir.0);
    run(&options(fixture("disqus.xml"), &dir.0)).unwrap();
    assert_eq!(all_files(&dir.0), before);
    assert!(crate::site::check(&dir.0).unwrap().1.is_empty());
}

#[test]
fn an_at_sign_in_a_post_stays_text_rather_than_becoming_a_citation() {
    let mut dropped = Dropped::default();
    let markdown = super::html::post_body_to_markdown(
        "<p>Thanks @maya, j@example.edu, [@key] and <code>@x</code></p>",
        &mut dropped,
    );
    assert_eq!(
        markdown.trim(),
        "Thanks @\u{2060}maya, j@example.edu, \\[@\u{2060}key\\] and `@x`"
    );
    // Comments keep their mentions as they are.
    assert_eq!(
        to_markdown("<p>Thanks @maya</p>", &mut dropped).trim(),
        "Thanks @maya"
    );
    // The fixture's second "gulag-amnesty" has such text; `check` warns of no citation key.
    let dir = TempDir::new("import-test");
    run(&options(fixture("course-blog.wxr"), &dir.0)).unwrap();
    assert!(crate::site::check(&dir.0).unwrap().1.is_empty());
}

#[test]
fn slugs_come_from_post_names_or_titles() {
    assert_eq!(slug_from("gulag-amnesty"), "gulag-amnesty");
    assert_eq!(
        slug_from("The GULAG Amnesty, 1953!"),
        "the-gulag-amnesty-1953"
    );
    assert_eq!(slug_from("%d0%bf%d1%80%d0%b8-2019"), "2019");
    assert_eq!(slug_from("%d0%bf%d1%80%d0%b8"), "");
    assert_eq!(slug_from("caf%C3%A9-culture"), "caf-culture");
}
