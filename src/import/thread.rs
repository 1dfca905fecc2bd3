//! A post's exported comments as Colloquy comments: which are imported (approved; pending
//! ones hidden on request; spam, trash, deleted, pingbacks and trackbacks counted and left
//! out), bodies as Markdown, replies hung on their parents (a reply whose parent was not
//! imported becomes top-level), in WordPress's order: by time, then by id.

use super::html::{self, Dropped};
use super::report::Report;
use super::{SourceComment, Status};
use crate::model::Comment;
use std::collections::HashSet;

/// The comments to import, in posting order, with how many of them are hidden.
pub fn comments(
    source: Vec<SourceComment>,
    include_pending: bool,
    report: &mut Report,
) -> (Vec<Comment>, usize) {
    let mut kept: Vec<(SourceComment, String)> = Vec::with_capacity(source.len());
    let mut seen = HashSet::new();
    for comment in source {
        let reason = match comment.status {
            Status::Approved => None,
            Status::Pending if include_pending => None,
            Status::Pending => Some("pending (--include-pending imports them hidden)"),
            Status::Spam => Some("spam"),
            Status::Trash => Some("trash"),
            Status::Deleted => Some("deleted"),
            Status::Pingback => Some("pingback"),
            Status::Trackback => Some("trackback"),
        };
        if let Some(reason) = reason {
            report.skipped_comment(reason);
            continue;
        }
        if !seen.insert(comment.id.clone()) {
            report.skipped_comment("duplicate id");
            continue;
        }
        let mut dropped = Dropped::default();
        let body = html::to_markdown(&comment.html, &mut dropped)
            .trim_end()
            .to_owned();
        report.dropped.add(&dropped);
        if body.trim().is_empty() {
            report.skipped_comment("empty (nothing left once unsafe markup was taken out)");
            continue;
        }
        if comment.anonymous {
            report.anonymous += 1;
        }
        kept.push((comment, body));
    }
    let ids: HashSet<String> = kept.iter().map(|(c, _)| c.id.clone()).collect();
    let mut hidden = 0;
    let mut out: Vec<Comment> = kept
        .into_iter()
        .map(|(source, body)| {
            let parent_id = match source.parent {
                Some(parent) if ids.contains(&parent) && parent != source.id => Some(parent),
                Some(_) => {
                    report.parent_missing += 1;
                    None
                }
                None => None,
            };
            let pending = source.status == Status::Pending;
            hidden += usize::from(pending);
            let author = source.author.trim();
            Comment {
                id: source.id,
                post_id: String::new(),
                parent_id,
                author: if author.is_empty() {
                    "Anonymous".to_owned()
                } else {
                    author.to_owned()
                },
                author_key: None,
                body,
                created_at: source.created_at,
                updated_at: String::new(),
                // A pending comment is kept hidden: the schema's only hidden state.
                deleted: pending,
                target: None,
                account: None,
                account_role: None,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    (out, hidden)
}
