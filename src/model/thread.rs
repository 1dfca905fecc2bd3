//! The thread view derived from a post's comments and likes: nesting, numbering, tombstones,
//! sibling order and like counts.
//!
//! Numbers follow WordPress-style nesting ("2", "2.1", "2.1.3") and come from posting order only,
//! never from the display sort, so they work as permalinks (`#comment-2.1`).

use super::comment::{posting_key, Comment, Like, PostingKey};
use super::merge::{winning_comment, winning_like, ThreadData};
use std::collections::HashMap;

/// The deepest nesting level shown; replies to a comment at this level are shown beside it.
pub const MAX_DEPTH: u8 = 5;

/// How siblings are ordered at every level of the view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    #[default]
    OldestFirst,
    NewestFirst,
    /// Most likes first; equal counts oldest first.
    MostLiked,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadNode {
    /// For a tombstone, only id, ids of post and parent and the times are kept; author, author
    /// key and body are blanked so a view cannot show them by mistake.
    pub comment: Comment,
    pub number: String,
    /// 1 at top level, at most `MAX_DEPTH`.
    pub depth: u8,
    pub likes: usize,
    pub liked_by_me: bool,
    pub children: Vec<ThreadNode>,
    /// A deleted comment kept in place because replies hang from it: show "comment deleted".
    pub tombstone: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThreadView {
    pub roots: Vec<ThreadNode>,
    /// Comments shown that are not deleted.
    pub count: usize,
    number_by_id: HashMap<String, String>,
    id_by_number: HashMap<String, String>,
    /// Lower-cased trimmed author → (author as written, id) of their latest live comment.
    latest_by_author: HashMap<String, (String, String)>,
    /// How many comments are numbered under each shown parent (by id; "" for the top level),
    /// hidden tombstones included: the next reply's number.
    numbered_children: HashMap<String, usize>,
    order: SortOrder,
    my_browser_id: Option<String>,
}

/// The permalink fragment of a comment number: `#comment-2.1`.
pub fn fragment(number: &str) -> String {
    format!("#comment-{number}")
}

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
            let number = numbering.numbers[i].clone();
            view.number_by_id.insert(comment.id.clone(), number.clone());
            view.id_by_number.insert(number, comment.id.clone());
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
        let builder = NodeBuilder {
            comments: &comments,
            numbering: &numbering,
            kept: &kept,
            like_counts: &like_counts,
            mine: &mine,
            order,
        };
        view.roots = builder.siblings(&numbering.roots);
        view
    }

    /// Takes one comment just applied to `data` (which now holds it) without building the
    /// view again, when that is simple: a new live comment posted after every other one under
    /// a shown parent, or an edit of a live comment. Returns the ids of the comments whose
    /// node changed (the new one and the one it is shown under), or `None` when the view must
    /// be built again.
    pub fn apply_comment(&mut self, data: &ThreadData, comment: &Comment) -> Option<Vec<String>> {
        if comment.deleted || comment.parent_id.as_deref() == Some(comment.id.as_str()) {
            return None;
        }
        if self.number_by_id.contains_key(&comment.id) {
            let node = self.node_mut(&comment.id)?;
            let same_place = node.comment.parent_id == comment.parent_id
                && node.comment.created_at == comment.created_at
                && node.comment.author == comment.author;
            if node.tombstone || !same_place {
                return None;
            }
            node.comment = comment.clone();
            return Some(vec![comment.id.clone()]);
        }
        let posted_last = data
            .comments
            .last()
            .is_some_and(|last| last.id == comment.id);
        let orphans_wait_for_it = data
            .comments
            .iter()
            .any(|c| c.parent_id.as_deref() == Some(comment.id.as_str()));
        let has_likes = data.likes.iter().any(|l| l.comment_id == comment.id);
        if !posted_last || orphans_wait_for_it || has_likes {
            return None;
        }
        // Shown under its parent, or beside it when the parent is at the deepest level.
        let shown_under = match comment.parent_id.as_deref() {
            None => None,
            Some(parent) => {
                let number = self.number_of(parent)?;
                if number.split('.').count() < usize::from(MAX_DEPTH) {
                    Some(parent.to_owned())
                } else {
                    let (above, _) = number.rsplit_once('.')?;
                    Some(self.id_of(above)?.to_owned())
                }
            }
        };
        let siblings_key = shown_under.clone().unwrap_or_default();
        let ordinal = self
            .numbered_children
            .get(&siblings_key)
            .copied()
            .unwrap_or(0)
            + 1;
        let (number, depth) = match &shown_under {
            None => (ordinal.to_string(), 1),
            Some(parent) => {
                let parent_number = self.number_of(parent)?;
                let depth = parent_number.split('.').count() as u8 + 1;
                (format!("{parent_number}.{ordinal}"), depth)
            }
        };
        let node = ThreadNode {
            comment: comment.clone(),
            number: number.clone(),
            depth,
            likes: 0,
            liked_by_me: false,
            children: Vec::new(),
            tombstone: false,
        };
        let order = self.order;
        let siblings = match &shown_under {
            None => &mut self.roots,
            Some(parent) => &mut self.node_mut(parent)?.children,
        };
        match order {
            SortOrder::NewestFirst => siblings.insert(0, node),
            SortOrder::OldestFirst | SortOrder::MostLiked => siblings.push(node),
        }
        self.numbered_children.insert(siblings_key, ordinal);
        self.number_by_id.insert(comment.id.clone(), number.clone());
        self.id_by_number.insert(number, comment.id.clone());
        self.count += 1;
        let author = comment.author.trim();
        self.latest_by_author.insert(
            author.to_lowercase(),
            (author.to_owned(), comment.id.clone()),
        );
        Some(
            std::iter::once(comment.id.clone())
                .chain(shown_under)
                .collect(),
        )
    }

    /// Takes one like just applied to `data` without building the view again (unless the
    /// view is sorted by likes). Returns the id of the comment whose count changed, if shown.
    pub fn apply_like(&mut self, data: &ThreadData, like: &Like) -> Option<Vec<String>> {
        if self.order == SortOrder::MostLiked {
            return None;
        }
        let me = self.my_browser_id.clone();
        let Some(node) = self.node_mut(&like.comment_id) else {
            return Some(Vec::new());
        };
        if node.tombstone {
            return Some(Vec::new());
        }
        let of_this: Vec<Like> = data
            .likes
            .iter()
            .filter(|l| l.comment_id == like.comment_id)
            .cloned()
            .collect();
        let (count, mine) = count_likes(&of_this, me.as_deref());
        node.likes = count.get(like.comment_id.as_str()).copied().unwrap_or(0);
        node.liked_by_me = mine.contains_key(like.comment_id.as_str());
        Some(vec![like.comment_id.clone()])
    }

    /// The shown node of comment `id`.
    pub fn node(&self, id: &str) -> Option<&ThreadNode> {
        fn find<'a>(nodes: &'a [ThreadNode], id: &str) -> Option<&'a ThreadNode> {
            nodes.iter().find_map(|node| {
                (node.comment.id == id)
                    .then_some(node)
                    .or_else(|| find(&node.children, id))
            })
        }
        if !self.number_by_id.contains_key(id) {
            return None;
        }
        find(&self.roots, id)
    }

    /// The shown node of comment `id`, to change in place.
    fn node_mut(&mut self, id: &str) -> Option<&mut ThreadNode> {
        fn find<'a>(nodes: &'a mut [ThreadNode], id: &str) -> Option<&'a mut ThreadNode> {
            for node in nodes {
                if node.comment.id == id {
                    return Some(node);
                }
                if let Some(found) = find(&mut node.children, id) {
                    return Some(found);
                }
            }
            None
        }
        if !self.number_by_id.contains_key(id) {
            return None;
        }
        find(&mut self.roots, id)
    }

    /// The number of a comment shown in the view.
    pub fn number_of(&self, id: &str) -> Option<&str> {
        self.number_by_id.get(id).map(String::as_str)
    }

    /// The id of the comment shown under a number (`"2.1"`; a leading `#comment-` is accepted).
    pub fn id_of(&self, number: &str) -> Option<&str> {
        let number = number.strip_prefix("#comment-").unwrap_or(number);
        self.id_by_number.get(number).map(String::as_str)
    }

    /// The id of the latest live comment whose author is `name` (trimmed, any case).
    pub fn latest_comment_by_author(&self, name: &str) -> Option<&str> {
        self.latest_by_author
            .get(&name.trim().to_lowercase())
            .map(|(_, id)| id.as_str())
    }

    /// Every live commenter, as they last wrote their name, with the permalink fragment of their
    /// latest comment: the input of mention linking.
    pub fn mention_targets(&self) -> HashMap<String, String> {
        self.latest_by_author
            .values()
            .filter_map(|(name, id)| Some((name.clone(), fragment(self.number_of(id)?))))
            .collect()
    }

    /// The shown comments in number order (a pre-order walk), each with its parent node.
    pub fn in_number_order(&self) -> Vec<(&ThreadNode, Option<&ThreadNode>)> {
        let mut out = Vec::with_capacity(self.number_by_id.len());
        let mut stack: Vec<(&ThreadNode, Option<&ThreadNode>)> =
            self.roots.iter().rev().map(|n| (n, None)).collect();
        while let Some((node, parent)) = stack.pop() {
            out.push((node, parent));
            stack.extend(node.children.iter().rev().map(|c| (c, Some(node))));
        }
        out.sort_by_cached_key(|(node, _)| number_key(&node.number));
        out
    }
}

/// Orders "2.10" after "2.9" and "2" before "2.1".
pub fn compare_numbers(a: &str, b: &str) -> std::cmp::Ordering {
    number_key(a).cmp(&number_key(b))
}

fn number_key(number: &str) -> Vec<u64> {
    number.split('.').map(|p| p.parse().unwrap_or(0)).collect()
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
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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
fn count_likes<'a>(
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
    like_counts: &'a HashMap<&'a str, usize>,
    mine: &'a HashMap<&'a str, bool>,
    order: SortOrder,
}

impl NodeBuilder<'_> {
    /// Recursion is bounded by `MAX_DEPTH`.
    fn siblings(&self, indices: &[usize]) -> Vec<ThreadNode> {
        let mut nodes: Vec<(usize, ThreadNode)> = indices
            .iter()
            .filter(|&&i| self.kept[i])
            .map(|&i| (i, self.node(i)))
            .collect();
        match self.order {
            SortOrder::OldestFirst => {}
            SortOrder::NewestFirst => nodes.reverse(),
            SortOrder::MostLiked => {
                nodes.sort_by(|(i, a), (j, b)| b.likes.cmp(&a.likes).then(i.cmp(j)))
            }
        }
        nodes.into_iter().map(|(_, node)| node).collect()
    }

    fn node(&self, i: usize) -> ThreadNode {
        let source = &self.comments[i];
        let tombstone = source.deleted;
        let comment = if tombstone {
            Comment {
                author: String::new(),
                author_key: None,
                body: String::new(),
                target: None,
                ..source.clone()
            }
        } else {
            source.clone()
        };
        let id = source.id.as_str();
        ThreadNode {
            number: self.numbering.numbers[i].clone(),
            depth: self.numbering.depths[i],
            likes: if tombstone {
                0
            } else {
                self.like_counts.get(id).copied().unwrap_or(0)
            },
            liked_by_me: !tombstone && self.mine.contains_key(id),
            children: self.siblings(&self.numbering.children[i]),
            tombstone,
            comment,
        }
    }
}

#[cfg(test)]
mod tests;
