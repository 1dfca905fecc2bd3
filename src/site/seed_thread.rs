//! The thread's first state on a built page: the seed comments, numbered as the live thread
//! numbers them, in the live thread's look but with classes of their own.

use super::post_page::long_date;
use super::source::SitePost;
use crate::content::front_matter::PostDate;
use crate::content::markdown::html::{escape, write_nodes};
use crate::content::markdown::{render_with, Profile};
use crate::i18n::{fill, Lang};
use crate::model::avatar;
use crate::model::thread::{fragment, SortOrder, ThreadNode, ThreadView};
use std::fmt::Write;

/// "March 15, 2019" from an RFC 3339 time; the text itself when it is not one.
fn comment_date(rfc3339: &str, lang: Lang) -> String {
    let day = rfc3339.get(..10).and_then(PostDate::parse);
    day.map_or_else(|| rfc3339.to_owned(), |d| long_date(&d, lang))
}

fn seed_view(post: &SitePost) -> ThreadView {
    ThreadView::build(&post.comments, &[], None, SortOrder::OldestFirst)
}

pub(super) fn comments_label(post: &SitePost, lang: Lang) -> String {
    let words = lang.thread();
    match seed_view(post).count {
        0 => words.no_comments.to_owned(),
        n => lang.count(&words.comment_count, n),
    }
}

/// The thread's first state: the seed comments, numbered as the live thread numbers them.
/// Its classes are its own (`thread-static`, `static-comment`), styled as the live thread's,
/// so nothing that waits for the live thread's comments mistakes these for them.
pub(super) fn thread_html(post: &SitePost, lang: Lang) -> String {
    let words = lang.thread();
    let view = seed_view(post);
    let heading = match view.count {
        0 => words.no_comments_yet.to_owned(),
        _ => comments_label(post, lang),
    };
    let mut html = format!(
        "<section class=\"thread-static\" id=\"comments\" aria-labelledby=\"thread-heading\"><div class=\"thread-header\"><h2 id=\"thread-heading\">{}</h2></div><ol class=\"static-comments\">",
        escape(&heading)
    );
    for node in view.nodes_of(view.roots()) {
        comment_html(&mut html, &view, node, lang);
    }
    let _ = write!(
        html,
        "</ol><noscript><p class=\"thread-status\">{}</p></noscript></section>",
        escape(lang.page().commenting_needs_javascript)
    );
    html
}

fn comment_html(html: &mut String, view: &ThreadView, node: &ThreadNode, lang: Lang) {
    let words = lang.thread();
    let number = &node.number;
    let id = fragment(number);
    let _ = write!(
        html,
        "<li class=\"static-comment\" id=\"{}\" data-depth=\"{}\">",
        escape(id.trim_start_matches('#')),
        node.depth
    );
    if node.tombstone {
        let _ = write!(
            html,
            "<article class=\"comment-card\" aria-label=\"{}\"><p class=\"comment-deleted\">{}</p></article>",
            escape(&fill(words.deleted_comment_label, &[("number", number)])),
            escape(words.comment_deleted)
        );
    } else {
        let comment = &node.comment;
        let body = render_with(&comment.body, Profile::Comment);
        let _ = write!(
            html,
            "<article class=\"comment-card\" aria-label=\"{}\"><header class=\"comment-header\"><span class=\"avatar\" aria-hidden=\"true\">{}</span><bdi class=\"comment-author\" dir=\"auto\">{}</bdi><time datetime=\"{}\">{}</time><a class=\"comment-permalink\" href=\"{}\" aria-label=\"{}\">#{}</a></header><div class=\"comment-body\" dir=\"auto\">{}</div></article>",
            escape(&fill(words.comment_label, &[("number", number), ("author", &comment.author)])),
            escape(&avatar::initials(&comment.author)),
            escape(&comment.author),
            escape(&comment.created_at),
            escape(&comment_date(&comment.created_at, lang)),
            escape(&id),
            escape(&fill(words.comment_link_label, &[("number", number)])),
            escape(number),
            write_nodes(&body.blocks, &|_| None),
        );
    }
    if !node.children.is_empty() {
        html.push_str("<ol class=\"static-replies\">");
        for child in view.nodes_of(&node.children) {
            comment_html(html, view, child, lang);
        }
        html.push_str("</ol>");
    }
    html.push_str("</li>");
}
