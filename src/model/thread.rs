//! The thread view derived from a post's comments and likes: nesting, numbering, tombstones,
//! sibling order and like counts. Each shown comment has one node, kept by id; a node names
//! its replies by id, so the view changes one node in place and a viewer can follow one node.
//!
//! Numbers follow WordPress-style nesting ("2", "2.1", "2.1.3") and come from posting order only,
//! never from the display sort, so they work as permalinks (`#comment-2.1`).

mod build;

use super::comment::{Comment, Like};
use super::merge::ThreadData;
use super::moderation::{self, Moderation};
use build::count_likes;
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

/// One shown comment.
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
    /// The ids of the replies shown under it, in display order (see `ThreadView::node`).
    pub children: Vec<String>,
    /// A deleted comment kept in place because replies hang from it: show "comment deleted".
    pub tombstone: bool,
    /// The staff's decision about it (pinned, endorsed, hidden), if any (see `moderate`).
    pub moderation: Option<Moderation>,
}

impl ThreadNode {
    fn is_pinned(&self) -> bool {
        self.moderation.as_ref().is_some_and(|m| m.pinned)
    }
}

/// The shown thread: its nodes by id, the top-level ids in order, and the lookups by number
/// and author.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThreadView {
    /// The ids of the top-level comments, in display order.
    roots: Vec<String>,
    /// Every shown comment's node, by id.
    nodes: HashMap<String, ThreadNode>,
    /// Comments shown that are not deleted.
    pub count: usize,
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
    /// Takes one comment just applied to `data` (which now holds it) without building the
    /// view again, when that is simple: a new live comment posted after every other one under
    /// a shown parent, or an edit of a live comment. Returns the ids of the comments whose
    /// node changed (the new one and the one it is shown under), or `None` when the view must
    /// be built again.
    pub fn apply_comment(&mut self, data: &ThreadData, comment: &Comment) -> Option<Vec<String>> {
        if comment.deleted || comment.parent_id.as_deref() == Some(comment.id.as_str()) {
            return None;
        }
        if let Some(node) = self.nodes.get_mut(&comment.id) {
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
            moderation: None,
        };
        let siblings = match &shown_under {
            None => &self.roots,
            Some(parent) => &self.nodes.get(parent)?.children,
        };
        let at = match self.order {
            // After the pinned comments, which stay first.
            SortOrder::NewestFirst => siblings
                .iter()
                .take_while(|id| self.nodes.get(*id).is_some_and(ThreadNode::is_pinned))
                .count(),
            SortOrder::OldestFirst | SortOrder::MostLiked => siblings.len(),
        };
        let siblings = match &shown_under {
            None => &mut self.roots,
            Some(parent) => &mut self.nodes.get_mut(parent)?.children,
        };
        siblings.insert(at, comment.id.clone());
        self.nodes.insert(comment.id.clone(), node);
        self.numbered_children.insert(siblings_key, ordinal);
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
        let Some(node) = self.nodes.get_mut(&like.comment_id) else {
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

    /// Takes the staff's decisions (`ThreadData::moderation`): each node carries its own, and
    /// pinned comments come first among their siblings (in the order otherwise shown).
    pub fn moderate(&mut self, decisions: &[Moderation]) {
        let mut any_pinned = false;
        for node in self.nodes.values_mut() {
            node.moderation = moderation::of_comment(decisions, &node.comment.id)
                .filter(|decision| !decision.is_neutral() && !node.tombstone)
                .cloned();
            any_pinned |= node.is_pinned();
        }
        if !any_pinned {
            return;
        }
        let nodes = &self.nodes;
        let pinned = |id: &String| nodes.get(id).is_some_and(ThreadNode::is_pinned);
        // The pinned ones first, each part in the order it had.
        let pin_first = |ids: &[String]| -> Vec<String> {
            let (mut first, rest): (Vec<String>, Vec<String>) =
                ids.iter().cloned().partition(|id| pinned(id));
            first.extend(rest);
            first
        };
        let reordered: Vec<(String, Vec<String>)> = nodes
            .iter()
            .filter(|(_, node)| node.children.iter().any(&pinned))
            .map(|(id, node)| (id.clone(), pin_first(&node.children)))
            .collect();
        self.roots = pin_first(&self.roots);
        for (id, children) in reordered {
            if let Some(node) = self.nodes.get_mut(&id) {
                node.children = children;
            }
        }
    }

    /// Shows the writers of others' comments as `pseudonym(number)` ("Student 3"), numbered by
    /// `moderation::pseudonym_numbers`: each node's author, and the names mentions offer. Staff
    /// keep their names; comments `is_mine` keeps are the reader's own, shown (and edited) as
    /// written.
    pub fn anonymise(
        &mut self,
        comments: &[Comment],
        is_mine: impl Fn(&Comment) -> bool,
        pseudonym: impl Fn(usize) -> String,
    ) {
        let numbers = moderation::pseudonym_numbers(comments);
        for node in self.nodes.values_mut() {
            if node.tombstone || is_mine(&node.comment) {
                continue;
            }
            if let Some(number) = moderation::pseudonym_of(&numbers, &node.comment) {
                node.comment.author = pseudonym(number);
            }
        }
        let renamed: Vec<(String, String)> = self
            .latest_by_author
            .values()
            .filter_map(|(_, id)| Some((self.nodes.get(id)?.comment.author.clone(), id.clone())))
            .collect();
        self.latest_by_author = renamed
            .into_iter()
            .map(|(name, id)| (name.trim().to_lowercase(), (name, id)))
            .collect();
    }

    /// The ids of the top-level comments, in display order.
    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// The shown node of comment `id`.
    pub fn node(&self, id: &str) -> Option<&ThreadNode> {
        self.nodes.get(id)
    }

    /// The shown nodes of `ids` (the roots, or a node's children), in their order.
    pub fn nodes_of<'a>(
        &'a self,
        ids: &'a [String],
    ) -> impl DoubleEndedIterator<Item = &'a ThreadNode> + 'a {
        ids.iter().filter_map(|id| self.nodes.get(id))
    }

    /// The number of a comment shown in the view.
    pub fn number_of(&self, id: &str) -> Option<&str> {
        self.node(id).map(|node| node.number.as_str())
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
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<(&ThreadNode, Option<&ThreadNode>)> = self
            .nodes_of(&self.roots)
            .rev()
            .map(|n| (n, None))
            .collect();
        while let Some((node, parent)) = stack.pop() {
            out.push((node, parent));
            stack.extend(self.nodes_of(&node.children).rev().map(|c| (c, Some(node))));
        }
        super::order::sort_by_cached_key(&mut out, |(node, _)| number_key(&node.number));
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

#[cfg(test)]
mod tests;
