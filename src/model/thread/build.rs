//! Building the thread view from scratch: one winner per id in posting order, parent cycles
//! cut, replies past `MAX_DEPTH` shown beside their parent, numbers, tombstones and likes.

use super::{SortOrder, ThreadNode, ThreadView, MAX_DEPTH};
use crate::model::comment::{posting_key, Comment, Like, PostingKey};
use crate::model::merge::{winning_comment, winning_like};
use std::cmp::Reverse;
use std::collections::HashMap;

impl ThreadView {
    /// Builds the view. Duplicate ids are resolved as a merge would; a like counts if the latest
    /// record of its (comment, browser) says liked.
    pub fn build(
        comments: &[Comment],
        likes: &[Like],
        my_browser_id: Option<&str>,
        order: SortOrder,
    ) -> ThreadView {
        let comments = unique_in_posting_order(comments);
        let index: HashMap<&str, usize> = comments
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut parent: Vec<Option<usize>> = comments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = *index.get(c.parent_id.as_deref()?)?;
                (p != i).then_some(p)
            })
            .collect();
        break_cycles(&mut parent);
        let shown_under = display_parents(&parent);
        let numbering = Numbering::new(&shown_under);
        let kept = keep_in_view(&comments, &numbering);
        let (like_counts, mine) = count_likes(likes, my_browser_id);

        let mut view = ThreadView {
            order,
            my_browser_id: my_browser_id.map(str::to_owned),
            ..ThreadView::default()
        };
        if !numbering.roots.is_empty() {
            view.numbered_children
                .insert(String::new(), numbering.roots.len());
        }
        for (i, children) in numbering.children.iter().enumerate() {
            if !children.is_empty() {
                view.numbered_children
                    .insert(comments[i].id.clone(), children.len());
            }
        }
        for (i, comment) in comments.iter().enumerate() {
            if !kept[i] {
                continue;
            }
            view.id_by_number
                .insert(numbering.numbers[i].clone(), comment.id.clone());
            if !comment.deleted {
                view.count += 1;
                let author = comment.author.trim();
                // Posting order: a later comment replaces an earlier one.
                view.latest_by_author.insert(
                    author.to_lowercase(),
                    (author.to_owned(), comment.id.clone()),
                );
            }
        }
        let mut builder = NodeBuilder {
            comments: &comments,
            numbering: &numbering,
            kept: &kept,
            like_counts,
            mine,
            order,
            nodes: HashMap::with_capacity(view.id_by_number.len()),
        };
        view.roots = builder.siblings(&numbering.roots);
        view.nodes = builder.nodes;
        view
    }
}

fn unique_in_posting_order(comments: &[Comment]) -> Vec<Comment> {
    let mut by_id: HashMap<&str, &Comment> = HashMap::with_capacity(comments.len());
    for comment in comments {
        by_id
            .entry(comment.id.as_str())
            .and_modify(|kept| *kept = winning_comment(kept, comment))
            .or_insert(comment);
    }
    let mut keyed: Vec<(PostingKey, &Comment)> =
        by_id.into_values().map(|c| (posting_key(c), c)).collect();
    crate::model::order::sort_by(&mut keyed, |a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, c)| c.clone()).collect()
}

/// Cuts every parent cycle where it has its earliest-posted member, which becomes top level.
/// Each comment has at most one parent, so each cycle is found once, whatever the start.
fn break_cycles(parent: &mut [Option<usize>]) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        path.clear();
        let mut current = Some(start);
        while let Some(at) = current {
            match state[at] {
                NEW => {
                    state[at] = ON_PATH;
                    path.push(at);
                    current = parent[at];
                }
                ON_PATH => {
                    let from = path.iter().position(|&p| p == at).unwrap_or(0);
                    if let Some(&earliest) = path[from..].iter().min() {
                        parent[earliest] = None;
                    }
                    current = None;
                }
                _ => current = None,
            }
        }
        for &p in &path {
            state[p] = DONE;
        }
    }
}

/// The parent each comment is shown under: its own, unless that sits at `MAX_DEPTH`, in which
/// case the reply is shown beside it. Input must be acyclic.
fn display_parents(parent: &[Option<usize>]) -> Vec<Option<usize>> {
    let n = parent.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut queue = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => queue.push(i),
        }
    }
    let mut depth = vec![1u8; n];
    let mut shown_under = vec![None; n];
    let mut next = 0;
    while let Some(&at) = queue.get(next) {
        next += 1;
        for &child in &children[at] {
            if depth[at] < MAX_DEPTH {
                depth[child] = depth[at] + 1;
                shown_under[child] = Some(at);
            } else {
                depth[child] = MAX_DEPTH;
                shown_under[child] = shown_under[at];
            }
            queue.push(child);
        }
    }
    shown_under
}

/// The shown tree in posting order, and each comment's number and depth in it.
struct Numbering {
    roots: Vec<usize>,
    children: Vec<Vec<usize>>,
    numbers: Vec<String>,
    depths: Vec<u8>,
    /// Parents before children.
    top_down: Vec<usize>,
}

impl Numbering {
    fn new(shown_under: &[Option<usize>]) -> Numbering {
        let n = shown_under.len();
        let mut roots = Vec::new();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        // Indices are in posting order, so every list is too.
        for (i, p) in shown_under.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        let mut numbers = vec![String::new(); n];
        let mut depths = vec![1u8; n];
        for (ordinal, &root) in roots.iter().enumerate() {
            numbers[root] = (ordinal + 1).to_string();
        }
        let mut top_down = roots.clone();
        let mut next = 0;
        while let Some(&at) = top_down.get(next) {
            next += 1;
            for (ordinal, &child) in children[at].iter().enumerate() {
                numbers[child] = format!("{}.{}", numbers[at], ordinal + 1);
                depths[child] = depths[at] + 1;
                top_down.push(child);
            }
        }
        Numbering {
            roots,
            children,
            numbers,
            depths,
            top_down,
        }
    }
}

/// Live comments are kept; a deleted one only if something kept hangs below it.
fn keep_in_view(comments: &[Comment], numbering: &Numbering) -> Vec<bool> {
    let mut kept: Vec<bool> = comments.iter().map(|c| !c.deleted).collect();
    for &at in numbering.top_down.iter().rev() {
        if !kept[at] && numbering.children[at].iter().any(|&c| kept[c]) {
            kept[at] = true;
        }
    }
    kept
}

/// Likes per comment id, and the ids this browser likes, from the latest record per key.
pub(super) fn count_likes<'a>(
    likes: &'a [Like],
    my_browser_id: Option<&str>,
) -> (HashMap<&'a str, usize>, HashMap<&'a str, bool>) {
    let mut latest: HashMap<(&str, &str), &Like> = HashMap::new();
    for like in likes {
        latest
            .entry((like.comment_id.as_str(), like.browser_id.as_str()))
            .and_modify(|kept| *kept = winning_like(kept, like))
            .or_insert(like);
    }
    let mut counts = HashMap::new();
    let mut mine = HashMap::new();
    for like in latest.into_values().filter(|l| l.liked) {
        *counts.entry(like.comment_id.as_str()).or_insert(0) += 1;
        if my_browser_id == Some(like.browser_id.as_str()) {
            mine.insert(like.comment_id.as_str(), true);
        }
    }
    (counts, mine)
}

struct NodeBuilder<'a> {
    comments: &'a [Comment],
    numbering: &'a Numbering,
    kept: &'a [bool],
    like_counts: HashMap<&'a str, usize>,
    mine: HashMap<&'a str, bool>,
    order: SortOrder,
    /// The nodes made so far, by id.
    nodes: HashMap<String, ThreadNode>,
}

impl<'a> NodeBuilder<'a> {
    /// Makes the nodes of the kept comments among `indices` and of their replies; returns
    /// their ids in display order. Recursion is bounded by `MAX_DEPTH`.
    fn siblings(&mut self, indices: &[usize]) -> Vec<String> {
        let mut shown: Vec<usize> = indices.iter().copied().filter(|&i| self.kept[i]).collect();
        match self.order {
            SortOrder::OldestFirst => {}
            SortOrder::NewestFirst => shown.reverse(),
            SortOrder::MostLiked => crate::model::order::sort_by_cached_key(&mut shown, |&i| {
                (Reverse(self.likes(i)), i)
            }),
        }
        shown.into_iter().map(|i| self.add(i)).collect()
    }

    /// The likes shown on comment `i`: none on a tombstone.
    fn likes(&self, i: usize) -> usize {
        let comment = &self.comments[i];
        if comment.deleted {
            return 0;
        }
        self.like_counts
            .get(comment.id.as_str())
            .copied()
            .unwrap_or(0)
    }

    /// Makes the node of comment `i` and those of its replies; returns its id.
    fn add(&mut self, i: usize) -> String {
        let numbering: &'a Numbering = self.numbering;
        let source: &'a Comment = &self.comments[i];
        let children = self.siblings(&numbering.children[i]);
        let tombstone = source.deleted;
        let comment = if tombstone {
            Comment {
                author: String::new(),
                author_key: None,
                body: String::new(),
                target: None,
                account: None,
                account_role: None,
                ..source.clone()
            }
        } else {
            source.clone()
        };
        let node = ThreadNode {
            number: numbering.numbers[i].clone(),
            depth: numbering.depths[i],
            likes: self.likes(i),
            liked_by_me: !tombstone && self.mine.contains_key(source.id.as_str()),
            children,
            tombstone,
            comment,
            moderation: None,
        };
        self.nodes.insert(source.id.clone(), node);
        source.id.clone()
    }
}
