//! The post list the build writes into the app's `index.html`, for readers without script,
//! and the list of built pages that `assets/route.js` reads.

use super::post_page::{languages, long_date, site_header};
use super::source::SitePost;
use crate::content::markdown::html::escape;
use crate::i18n::Lang;
use std::fmt::Write;

/// The language of the post list the build writes into index.html (the app's own list, with
/// script, speaks the reader's).
const LIST_LANG: Lang = Lang::En;

/// The app's `index.html` with the post list in its body for readers without script, in a
/// `<noscript>`: with script on, the app draws the list (with each post's comment count) and
/// the built list is not even parsed, so nothing on the page competes with the app's.
pub fn list_page(index_html: &str, posts: &[SitePost]) -> String {
    let words = LIST_LANG.page();
    let mut list = format!(
        "<noscript data-prerendered>{}<main id=\"main\" tabindex=\"-1\"><section class=\"post-list\" aria-labelledby=\"list-heading\"><h1 id=\"list-heading\">{}</h1><ul class=\"cards\">",
        site_header(LIST_LANG),
        escape(words.posts)
    );
    for post in posts {
        let meta = &post.post.meta;
        let _ = write!(list, "<li><article class=\"card\">");
        if let Some(course) = &meta.course {
            let _ = write!(list, "<p class=\"post-course\">{}</p>", escape(course));
        }
        let _ = write!(
            list,
            "<h2><a href=\"./{}\">{}</a></h2><p class=\"byline\"><span class=\"post-author\">{}</span><span aria-hidden=\"true\"> · </span><time datetime=\"{}\">{}</time></p>",
            escape(&super::page_file(&post.entry.slug, LIST_LANG)),
            escape(&meta.title),
            escape(&meta.author),
            meta.date,
            long_date(&meta.date, LIST_LANG),
        );
        if let Some(summary) = &meta.summary {
            let _ = write!(list, "<p class=\"summary\">{}</p>", escape(summary));
        }
        // As the app's card and the post's header do: the count leads to the comments.
        let _ = write!(
            list,
            "<p class=\"comment-count\"><a href=\"./{}#comments\">{}</a></p>",
            escape(&super::page_file(&post.entry.slug, LIST_LANG)),
            escape(&super::seed_thread::comments_label(post, LIST_LANG)),
        );
        list.push_str("</article></li>");
    }
    list.push_str("</ul></section></main></noscript>");
    // Which posts have a page, for assets/route.js (it must come before that script).
    let built: Vec<&str> = posts.iter().map(|post| post.entry.slug.as_str()).collect();
    let meta = format!(
        "<meta name=\"colloquy:built-pages\" content=\"{}\" data-lang=\"{}\" data-languages=\"{}\">",
        escape(&built.join(" ")),
        LIST_LANG.tag(),
        languages()
    );
    let index_html = &without_built_meta(index_html).replacen(
        "<title>Colloquy</title>",
        &format!("<title>{} · Colloquy</title>", escape(words.posts)),
        1,
    );
    let layout = super::shell::layout(index_html);
    let (head_at, body_at) = (layout.head_start, layout.body_start);
    // A second build over the same dist/ replaces the list it wrote before.
    let rest = &index_html[body_at..];
    let rest = match (
        rest.find("<div data-prerendered>"),
        rest.find("</main></div>"),
    ) {
        (Some(0), Some(end)) => &rest[end + "</main></div>".len()..],
        _ => rest,
    };
    format!(
        "{}{meta}{}{list}{rest}",
        &index_html[..head_at],
        &index_html[head_at..body_at]
    )
}

/// `index.html` without the list of built pages an earlier build put in it.
fn without_built_meta(index_html: &str) -> String {
    match index_html.find("<meta name=\"colloquy:built-pages\"") {
        Some(start) => match index_html[start..].find('>') {
            Some(end) => format!("{}{}", &index_html[..start], &index_html[start + end + 1..]),
            None => index_html.to_owned(),
        },
        None => index_html.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::source::read_site;
    use std::path::Path;

    #[test]
    fn each_card_counts_the_comments_and_leads_to_them() {
        let site = read_site(Path::new("content")).unwrap();
        let index = "<!doctype html><html lang=en><head><meta charset=utf-8><title>Colloquy</title><link href=./main-3c.css rel=stylesheet></head><body></body></html>";
        let page = list_page(index, &site.posts);
        assert!(
            page.contains("<p class=\"comment-count\"><a href=\"./the-struggle-for-freedom.html#comments\">4 comments</a></p>"),
            "{page}"
        );
    }
}
