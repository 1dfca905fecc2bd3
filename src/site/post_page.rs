//! The HTML of a built post page: header, contents, body, notes, formatted citations linking
//! to the bibliography, and the data the app takes the page over with. The same shapes as the
//! app's views, so the app can take the page over in place; every text is escaped.

use super::seed_thread;
use super::shell::Shell;
use super::source::SitePost;
use crate::cite::protocol::{entry_id, note_id, FormatReply, Span};
use crate::cite::syntax::Citation;
use crate::content::front_matter::PostDate;
use crate::content::markdown::html::{escape, write_nodes, CitationLink};
use crate::content::markdown::{plain_text, render_with, Document, Profile};
use crate::i18n::{fill, Lang};
use crate::model::comment::render_key;
use std::fmt::Write;

pub(super) fn long_date(date: &PostDate, lang: Lang) -> String {
    lang.long_date(date.year, date.month, date.day)
}

fn spans_html(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        let mut html = escape(&span.text);
        if span.italic {
            html = format!("<i>{html}</i>");
        }
        if span.bold {
            html = format!("<b>{html}</b>");
        }
        if span.small_caps {
            html = format!("<span class=\"small-caps\">{html}</span>");
        }
        if span.superscript {
            html = format!("<sup>{html}</sup>");
        }
        if let Some(link) = span
            .link
            .as_deref()
            .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        {
            html = format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{html}</a>",
                escape(link)
            );
        }
        out.push_str(&html);
    }
    out
}

pub(super) fn site_header(lang: Lang) -> String {
    let words = lang.page();
    format!(
        "<a class=\"skip-link\" href=\"#main\">{}</a><header class=\"site-header\" data-theme-label=\"{}\" data-theme-system=\"{}\" data-theme-light=\"{}\" data-theme-dark=\"{}\"><a class=\"site-name\" href=\"./\">Colloquy</a></header>",
        escape(words.skip_link),
        escape(words.theme_label),
        escape(words.theme_system),
        escape(words.theme_light),
        escape(words.theme_dark),
    )
}

/// The page's description: the summary, else the start of the first paragraph.
fn description(post: &SitePost) -> String {
    if let Some(summary) = &post.post.meta.summary {
        return summary.clone();
    }
    let text = plain_text(&post.post.document.blocks);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    match first.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &first[..cut]),
        None => first.to_owned(),
    }
}

pub fn post_page(shell: &Shell, post: &SitePost, lang: Lang) -> String {
    let words = lang.page();
    let meta = &post.post.meta;
    let document = &post.post.document;
    let description = escape(&description(post));
    let title = escape(&meta.title);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"{}\" data-languages=\"{}\" data-built-lang><head>{}<title>{title} · Colloquy</title><meta name=\"description\" content=\"{description}\"><meta property=\"og:type\" content=\"article\"><meta property=\"og:title\" content=\"{title}\"><meta property=\"og:description\" content=\"{description}\"><script src=\"./post.js\" defer></script></head><body>{}",
        lang.tag(),
        languages(),
        shell.head,
        site_header(lang),
    );
    let bibliography_json = serde_json::to_string(&post.post.meta.bibliography).unwrap_or_default();
    let _ = write!(
        html,
        "<main id=\"main\" tabindex=\"-1\"><article class=\"post\" aria-labelledby=\"post-title\" data-slug=\"{}\" data-source=\"{}\" data-source-fingerprint=\"{}\" data-comments=\"{}\" data-bibliography=\"{}\" data-csl=\"{}\"><header class=\"post-header\">",
        escape(&post.entry.slug),
        escape(&post.entry.source),
        post.source_fingerprint,
        escape(post.entry.comments.as_deref().unwrap_or("")),
        escape(&bibliography_json),
        escape(meta.csl.as_deref().unwrap_or("")),
    );
    if let Some(course) = &meta.course {
        let _ = write!(html, "<p class=\"post-course\">{}</p>", escape(course));
    }
    let minutes = document.reading_minutes().to_string();
    let _ = write!(
        html,
        "<h1 id=\"post-title\">{title}</h1><p class=\"byline\"><span class=\"post-author\">{}</span><span aria-hidden=\"true\"> · </span><time datetime=\"{}\">{}</time><span aria-hidden=\"true\"> · </span><span class=\"reading-time\">{}</span><span aria-hidden=\"true\"> · </span><a class=\"comment-count\" href=\"#comments\">{}</a></p></header>",
        escape(&meta.author),
        meta.date,
        long_date(&meta.date, lang),
        escape(&fill(words.reading_time, &[("minutes", &minutes)])),
        escape(&seed_thread::comments_label(post, lang)),
    );
    html.push_str(&toc_html(document, lang));
    // Read once for the page: every citation with its keys, and each one's label.
    let cited = crate::content::markdown::citations(document);
    let labels = post
        .formatted_in(lang)
        .map(FormatReply::labels)
        .unwrap_or_default();
    let citation_link = |number: usize| -> Option<CitationLink> {
        let reply = post.formatted_in(lang)?;
        let citation = reply.citations.iter().find(|c| c.number == number)?;
        let key = cited
            .iter()
            .find(|(n, _)| *n == number)
            .and_then(|(_, citation)| citation.items.first())
            .map(|item| item.key.clone())?;
        let known = citation.unknown_keys.iter().all(|k| *k != key);
        let label = labels
            .iter()
            .find_map(|(n, label)| (*n == number).then(|| label.clone()))
            .unwrap_or_default();
        // A note style's number links to its note at the end of the post.
        let note = reply.note_style && !citation.text.is_empty();
        Some(CitationLink {
            label,
            href: if note {
                format!("#{}", note_id(number))
            } else if known {
                format!("#{}", entry_id(&key))
            } else {
                String::new()
            },
            note: note.then(|| lang.thread().note.to_owned()),
        })
        .filter(|link| !link.href.is_empty() || !link.label.is_empty())
    };
    let _ = write!(
        html,
        "<div class=\"post-body\">{}</div>",
        write_nodes(&document.blocks, &citation_link)
    );
    html.push_str(&footnotes_html(document, &citation_link, lang));
    if let Some(reply) = post.formatted_in(lang) {
        html.push_str(&bibliography_html(reply, &cited, lang));
    }
    html.push_str("</article>");
    let _ = write!(
        html,
        "<div class=\"thread-slot\" data-failed=\"{}\">{}</div></main>",
        escape(&fill(
            words.comments_failed,
            &[("error", words.thread_module_failed)]
        )),
        seed_thread::thread_html(post, lang)
    );
    if !post.prerendered.is_empty() {
        let map: serde_json::Map<String, serde_json::Value> = post
            .prerendered
            .iter()
            .filter(|(reply_lang, _, _)| *reply_lang == lang)
            .filter_map(|(_, key, reply)| Some((key.clone(), serde_json::to_value(reply).ok()?)))
            .collect();
        let _ = write!(
            html,
            "<script type=\"application/json\" id=\"colloquy-formatted\">{}</script>",
            json_for_script(&map)
        );
    }
    let rendered: serde_json::Map<String, serde_json::Value> = post
        .comments
        .iter()
        .filter(|comment| !comment.deleted)
        .filter_map(|comment| {
            let body = render_with(&comment.body, Profile::Comment);
            Some((render_key(comment), serde_json::to_value(body).ok()?))
        })
        .collect();
    if !rendered.is_empty() {
        let _ = write!(
            html,
            "<script type=\"application/json\" id=\"colloquy-rendered\">{}</script>",
            json_for_script(&rendered)
        );
    }
    html.push_str("</body></html>\n");
    html
}

/// JSON to embed in a `<script type="application/json">`: `<` occurs only inside JSON
/// strings, where `\u003c` means the same, so no text can close the element.
pub(super) fn json_for_script(map: &serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::to_string(map)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

fn toc_html(document: &Document, lang: Lang) -> String {
    if document.toc.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<nav class=\"toc\" aria-labelledby=\"toc-heading\"><h2 id=\"toc-heading\">{}</h2><ol>",
        escape(lang.page().contents)
    );
    for entry in &document.toc {
        let _ = write!(
            html,
            "<li class=\"toc-level-{}\"><a href=\"#{}\">{}</a></li>",
            entry.level,
            escape(&entry.id),
            escape(&entry.text)
        );
    }
    html.push_str("</ol></nav>");
    html
}

fn footnotes_html(
    document: &Document,
    citations: &dyn Fn(usize) -> Option<CitationLink>,
    lang: Lang,
) -> String {
    if document.footnotes.is_empty() {
        return String::new();
    }
    let words = lang.page();
    let mut html = format!(
        "<section class=\"footnotes\" aria-labelledby=\"footnotes-heading\"><h2 id=\"footnotes-heading\">{}</h2><ol>",
        escape(words.notes)
    );
    for note in &document.footnotes {
        let n = note.number.to_string();
        let _ = write!(
            html,
            "<li id=\"{}\" value=\"{n}\">{}<a class=\"footnote-back\" href=\"#{}\" aria-label=\"{}\">↩</a></li>",
            escape(&note.id),
            write_nodes(&note.content, citations),
            escape(&note.reference_id),
            escape(&fill(words.back_to_note_reference, &[("n", &n)])),
        );
    }
    html.push_str("</ol></section>");
    html
}

/// A note style's notes, numbered as their citations, each linking back to its number in the
/// text (the same shape as `ui::bibliography::CitationNotes`). Empty for other styles.
fn citation_notes_html(reply: &FormatReply, lang: Lang) -> String {
    let notes: Vec<_> = reply
        .citations
        .iter()
        .filter(|citation| reply.note_style && !citation.text.is_empty())
        .collect();
    if notes.is_empty() {
        return String::new();
    }
    let words = lang.thread();
    let mut html = format!(
        "<section class=\"citation-notes\" aria-labelledby=\"citation-notes-heading\"><h2 id=\"citation-notes-heading\">{}</h2><ol>",
        escape(words.citation_notes)
    );
    for citation in notes {
        let n = citation.number.to_string();
        let _ = write!(
            html,
            "<li id=\"{}\" value=\"{n}\">{} <a class=\"cite-back\" href=\"#cite-{n}\" aria-label=\"{}\">↩</a></li>",
            note_id(citation.number),
            spans_html(&citation.text),
            escape(&fill(words.back_to_note, &[("n", &n)])),
        );
    }
    html.push_str("</ol></section>");
    html
}

fn bibliography_html(reply: &FormatReply, cited: &[(usize, Citation)], lang: Lang) -> String {
    let words = lang.thread();
    let mut html = format!(
        "<div class=\"bibliography-slot\">{}<section class=\"bibliography\" aria-labelledby=\"bibliography-heading\"><div class=\"bibliography-head\"><h2 id=\"bibliography-heading\">{}</h2></div><ul class=\"references\">",
        citation_notes_html(reply, lang),
        escape(&reply.bibliography_title)
    );
    for entry in &reply.entries {
        let _ = write!(
            html,
            "<li id=\"{}\">{} ",
            escape(&entry_id(&entry.key)),
            spans_html(&entry.text)
        );
        for (number, citation) in cited {
            if citation.items.iter().any(|item| item.key == entry.key) {
                let n = number.to_string();
                let _ = write!(
                    html,
                    "<a class=\"cite-back\" href=\"#cite-{n}\" aria-label=\"{}\">↩</a>",
                    escape(&fill(words.back_to_citation, &[("n", &n)]))
                );
            }
        }
        html.push_str("</li>");
    }
    html.push_str("</ul></section></div>");
    html
}

/// The UI's languages, the first the default: "en ru".
pub(super) fn languages() -> String {
    Lang::ALL.map(Lang::tag).join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::source::read_site;
    use super::*;
    use crate::temp_dir::TempDir;
    use std::fs;

    const INDEX: &str = "<!doctype html><html lang=en><head><meta charset=utf-8><title>Colloquy</title><link href=./main-3c.css rel=stylesheet></head><body></body></html>";

    /// The English page of a one-post site citing Freeze twice in `style`.
    fn page_in(style: &str) -> String {
        let dir = TempDir::new("post-page");
        let files = [
            ("posts.json", "[{\"slug\": \"p\", \"source\": \"p/index.md\"}]"),
            (
                "p/index.md",
                &format!("---\ntitle: T\nauthor: A\ndate: 2019-01-01\nbibliography: refs.bib\ncsl: {style}\n---\nFirst [@freeze2009, p. 410], then [@freeze2009, p. 12].\n"),
            ),
            (
                "p/refs.bib",
                include_str!("../../content/posts/the-struggle-for-freedom/references.bib"),
            ),
        ];
        for (name, text) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let site = read_site(dir.path()).unwrap();
        let shell = Shell::from_index(INDEX).unwrap();
        post_page(&shell, &site.posts[0], Lang::En)
    }

    #[test]
    fn a_note_style_numbers_its_citations_and_lists_the_notes_before_the_bibliography() {
        let html = page_in("chicago-notes");
        for n in [1, 2] {
            let citation = format!("id=\"cite-{n}\" data-source=");
            let at = html.find(&citation).expect("the citation");
            let link = &html[at..html[at..].find("</a>").unwrap() + at];
            assert!(link.contains(&format!("href=\"#cite-note-{n}\"")), "{link}");
            assert!(
                link.ends_with(&format!("<span class=\"visually-hidden\">Note </span><sup class=\"cite-label note\">{n}</sup>")),
                "{link}"
            );
            assert!(
                html.contains(&format!("<a class=\"cite-back\" href=\"#cite-{n}\" aria-label=\"Back to note {n} in the text\">↩</a></li>")),
                "{html}"
            );
        }
        let notes = html
            .find("<section class=\"citation-notes\"")
            .expect("the notes");
        let bibliography = html.find("<section class=\"bibliography\"").unwrap();
        assert!(notes < bibliography);
        assert!(html[notes..].starts_with("<section class=\"citation-notes\" aria-labelledby=\"citation-notes-heading\"><h2 id=\"citation-notes-heading\">Notes</h2><ol><li id=\"cite-note-1\" value=\"1\">Gregory L. Freeze, ed., <i>Russia: A History</i>, 3rd ed. (Oxford University Press, 2009), 410. <a"), "{}", &html[notes..]);
        assert!(html.contains("<li id=\"cite-note-2\" value=\"2\">"));
    }

    #[test]
    fn an_author_date_style_has_no_notes() {
        let html = page_in("chicago-author-date");
        assert!(!html.contains("citation-notes"));
        assert!(!html.contains("cite-note-"));
        assert!(
            html.contains("href=\"#ref-freeze2009\">(Freeze 2009, 410)</a>"),
            "{html}"
        );
    }
}
