//! Merging two copies of a post's thread data (two tabs that wrote concurrently, an import):
//! a state-based merge that is commutative, associative and idempotent, so copies converge.
//!
//! Per comment id: a deleted version beats any live one, then the later `last_change` wins,
//! then the whole record's order decides. Per (comment, browser) like: the later `updated_at`
//! wins, then the record's order decides.

use super::comment::{posting_key, Comment, Like, PostingKey};
use super::moderation::{self, Moderation};
use super::report::{self, Report};
use super::timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Everything stored for one post's thread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadData {
    #[serde(default)]
    pub comments: Vec<Comment>,
    #[serde(default)]
    pub likes: Vec<Like>,
    /// The staff's decisions (stores with accounts), sorted as `moderation::apply` keeps them.
    /// Not in exports or this browser's copies: they live on the server that checks them.
    #[serde(skip)]
    pub moderation: Vec<Moderation>,
    /// Readers' reports of comments, sorted as `report::apply` keeps them; like `moderation`,
    /// only on the server.
    #[serde(skip)]
    pub reports: Vec<Report>,
}

impl ThreadData {
    /// One record per comment id and per like key, chosen as `merge` would, in canonical order:
    /// comments by posting order, likes by (comment id, browser id).
    pub fn normalised(&self) -> ThreadData {
        merge(self, &ThreadData::default())
    }
}

impl ThreadData {
    /// No comment and no like.
    pub fn is_empty(&self) -> bool {
        self.comments.is_empty()
            && self.likes.is_empty()
            && self.moderation.is_empty()
            && self.reports.is_empty()
    }

    /// Applies one comment by the merge rules, in place; returns whether the thread changed.
    /// The comments stay in posting order (a new one is inserted where it was posted).
    pub fn apply_comment(&mut self, comment: &Comment) -> bool {
        if let Some(at) = self.comments.iter().position(|c| c.id == comment.id) {
            let kept = &self.comments[at];
            if std::ptr::eq(winning_comment(kept, comment), kept) || kept == comment {
                return false;
            }
            if posting_key(kept) == posting_key(comment) {
                self.comments[at] = comment.clone();
                return true;
            }
            // A record whose creation time differs from the kept one's moves to its place.
            self.comments.remove(at);
        }
        let key = posting_key(comment);
        let at = self.comments.partition_point(|c| posting_key(c) < key);
        self.comments.insert(at, comment.clone());
        true
    }

    /// Applies one like by the merge rules, in place; returns whether the thread changed.
    pub fn apply_like(&mut self, like: &Like) -> bool {
        let key = (like.comment_id.as_str(), like.browser_id.as_str());
        match self
            .likes
            .binary_search_by(|l| (l.comment_id.as_str(), l.browser_id.as_str()).cmp(&key))
        {
            Ok(at) => {
                let kept = &self.likes[at];
                if std::ptr::eq(winning_like(kept, like), kept) || kept == like {
                    return false;
                }
                self.likes[at] = like.clone();
            }
            Err(at) => self.likes.insert(at, like.clone()),
        }
        true
    }

    /// Merges `other` into this copy and returns the records that changed it, as they now
    /// stand (what another tab or reader did since this copy was taken). This copy must be
    /// normalised (as every store and view keeps it).
    pub fn absorb(&mut self, other: &ThreadData) -> ThreadData {
        let mut changed = {
            let comments: HashMap<&str, &Comment> =
                self.comments.iter().map(|c| (c.id.as_str(), c)).collect();
            let likes: HashMap<(&str, &str), &Like> = self
                .likes
                .iter()
                .map(|l| ((l.comment_id.as_str(), l.browser_id.as_str()), l))
                .collect();
            let incoming = other.normalised();
            ThreadData {
                comments: incoming
                    .comments
                    .into_iter()
                    .filter(|c| {
                        comments.get(c.id.as_str()).is_none_or(|kept| {
                            !std::ptr::eq(winning_comment(kept, c), *kept) && *kept != c
                        })
                    })
                    .collect(),
                likes: incoming
                    .likes
                    .into_iter()
                    .filter(|l| {
                        let key = (l.comment_id.as_str(), l.browser_id.as_str());
                        likes.get(&key).is_none_or(|kept| {
                            !std::ptr::eq(winning_like(kept, l), *kept) && *kept != l
                        })
                    })
                    .collect(),
                ..ThreadData::default()
            }
        };
        // Few records, kept sorted: applied one by one, each kept if it changed this copy.
        for record in &other.moderation {
            if moderation::apply(&mut self.moderation, record) {
                changed.moderation.push(record.clone());
            }
        }
        for record in &other.reports {
            if report::apply(&mut self.reports, record) {
                changed.reports.push(record.clone());
            }
        }
        if changed.comments.len() + changed.likes.len() <= APPLY_ONE_BY_ONE {
            for comment in &changed.comments {
                self.apply_comment(comment);
            }
            for like in &changed.likes {
                self.apply_like(like);
            }
        } else if !(changed.comments.is_empty() && changed.likes.is_empty()) {
            *self = merge(self, &changed);
        }
        changed
    }
}

/// Up to this many changed records are applied in place; more are merged in one pass.
const APPLY_ONE_BY_ONE: usize = 32;

/// The union of two copies, keeping one winning record per comment id and per like key.
pub fn merge(a: &ThreadData, b: &ThreadData) -> ThreadData {
    let mut comments: HashMap<&str, &Comment> = HashMap::new();
    for comment in a.comments.iter().chain(&b.comments) {
        comments
            .entry(comment.id.as_str())
            .and_modify(|kept| *kept = winning_comment(kept, comment))
            .or_insert(comment);
    }
    let mut likes: HashMap<(&str, &str), &Like> = HashMap::new();
    for like in a.likes.iter().chain(&b.likes) {
        likes
            .entry((like.comment_id.as_str(), like.browser_id.as_str()))
            .and_modify(|kept| *kept = winning_like(kept, like))
            .or_insert(like);
    }

    // Each key parses a time: computed once per comment, not once per comparison.
    let mut keyed: Vec<(PostingKey, &Comment)> = comments
        .into_values()
        .map(|comment| (posting_key(comment), comment))
        .collect();
    super::order::sort_by(&mut keyed, |x, y| x.0.cmp(&y.0));
    let comments: Vec<Comment> = keyed.into_iter().map(|(_, c)| c.clone()).collect();
    let mut likes: Vec<Like> = likes.into_values().cloned().collect();
    super::order::sort_by(&mut likes, |x, y| {
        (&x.comment_id, &x.browser_id).cmp(&(&y.comment_id, &y.browser_id))
    });
    let mut decisions = Vec::new();
    for record in a.moderation.iter().chain(&b.moderation) {
        moderation::apply(&mut decisions, record);
    }
    let mut reports = Vec::new();
    for record in a.reports.iter().chain(&b.reports) {
        report::apply(&mut reports, record);
    }
    ThreadData {
        comments,
        likes,
        moderation: decisions,
        reports,
    }
}

/// Which of two versions of one comment survives a merge.
pub fn winning_comment<'a>(a: &'a Comment, b: &'a Comment) -> &'a Comment {
    let rank = |c: &'a Comment| (c.deleted, timestamp::sort_key(c.last_change()), c);
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Which of two records of one browser's like of one comment survives a merge.
pub fn winning_like<'a>(a: &'a Like, b: &'a Like) -> &'a Like {
    let rank = |l: &'a Like| (timestamp::sort_key(&l.updated_at), l);
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{at_minute, comment, deleted, like};

    fn data(comments: Vec<Comment>, likes: Vec<Like>) -> ThreadData {
        ThreadData {
            comments,
            likes,
            ..ThreadData::default()
        }
    }

    #[test]
    fn different_comments_are_all_kept_in_posting_order() {
        let a = data(
            vec![comment("x", None, "A", 3), comment("y", None, "A", 1)],
            vec![],
        );
        let b = data(vec![comment("z", None, "B", 2)], vec![]);
        let ids: Vec<_> = merge(&a, &b).comments.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["y", "z", "x"]);
    }

    #[test]
    fn the_later_edit_wins() {
        let old = comment("x", None, "A", 1);
        let mut edited = old.clone();
        edited.body = "Edited".into();
        edited.updated_at = at_minute(5);
        for (a, b) in [(&old, &edited), (&edited, &old)] {
            let merged = merge(
                &data(vec![a.clone()], vec![]),
                &data(vec![b.clone()], vec![]),
            );
            assert_eq!(merged.comments, vec![edited.clone()]);
        }
    }

    #[test]
    fn an_edit_with_seconds_only_is_compared_as_a_time() {
        let mut whole = comment("x", None, "A", 1);
        whole.updated_at = "2026-01-01T00:10:00Z".into();
        whole.body = "whole".into();
        let mut fraction = whole.clone();
        fraction.updated_at = "2026-01-01T00:10:00.250Z".into();
        fraction.body = "fraction".into();
        let merged = merge(&data(vec![whole], vec![]), &data(vec![fraction], vec![]));
        assert_eq!(merged.comments[0].body, "fraction");
    }

    #[test]
    fn a_delete_wins_even_over_a_later_edit() {
        let removed = deleted(comment("x", None, "A", 1));
        let mut edited = comment("x", None, "A", 1);
        edited.updated_at = at_minute(60);
        let merged = merge(
            &data(vec![edited], vec![]),
            &data(vec![removed.clone()], vec![]),
        );
        assert_eq!(merged.comments, vec![removed]);
    }

    #[test]
    fn a_tie_is_broken_the_same_way_from_either_side() {
        let a = comment("x", None, "A", 1);
        let mut b = a.clone();
        b.body = "Same time, other text".into();
        let ab = merge(
            &data(vec![a.clone()], vec![]),
            &data(vec![b.clone()], vec![]),
        );
        let ba = merge(&data(vec![b], vec![]), &data(vec![a], vec![]));
        assert_eq!(ab, ba);
    }

    #[test]
    fn the_latest_like_decision_wins() {
        let liked = like("x", "b1", true, 1);
        let unliked = like("x", "b1", false, 2);
        let other = like("x", "b2", true, 1);
        let merged = merge(
            &data(vec![], vec![liked, other.clone()]),
            &data(vec![], vec![unliked.clone()]),
        );
        assert_eq!(merged.likes, vec![unliked, other]);
    }

    #[test]
    fn normalising_removes_duplicates() {
        let x = comment("x", None, "A", 1);
        let twice = data(vec![x.clone(), x.clone()], vec![like("x", "b", true, 1); 2]);
        let once = twice.normalised();
        assert_eq!(once.comments, vec![x]);
        assert_eq!(once.likes.len(), 1);
    }

    #[test]
    fn thread_data_is_camel_case_and_tolerates_missing_lists() {
        let empty: ThreadData = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, ThreadData::default());
        let json = serde_json::to_string(&data(vec![], vec![like("x", "b", true, 1)])).unwrap();
        assert!(json.contains("\"commentId\""));
    }

    // proptest does not build for wasm32, where the browser tests compile this crate.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use crate::model::comment::posting_order;
        use proptest::prelude::*;
        use std::collections::BTreeSet;

        fn arb_time() -> impl Strategy<Value = String> {
            // Few distinct instants, spelt both ways, so ties and mixed forms are common.
            (0u32..4, any::<bool>()).prop_map(|(minute, short)| {
                let full = at_minute(minute);
                if short {
                    full.replace(".000Z", "Z")
                } else {
                    full
                }
            })
        }

        fn arb_comment() -> impl Strategy<Value = Comment> {
            (
                0u8..6,
                prop::option::of(0u8..6),
                prop::sample::select(vec!["Ann", "Bo"]),
                prop::sample::select(vec!["hi", "edited", ""]),
                arb_time(),
                arb_time(),
                any::<bool>(),
            )
                .prop_map(
                    |(id, parent, author, body, created, updated, is_deleted)| Comment {
                        id: format!("c{id}"),
                        post_id: "post".into(),
                        parent_id: parent.map(|p| format!("c{p}")),
                        author: author.into(),
                        author_key: None,
                        body: body.into(),
                        created_at: created,
                        updated_at: updated,
                        deleted: is_deleted,
                        target: None,
                        account: None,
                        account_role: None,
                    },
                )
        }

        fn arb_like() -> impl Strategy<Value = Like> {
            (0u8..4, 0u8..3, any::<bool>(), arb_time()).prop_map(|(c, b, liked, time)| Like {
                comment_id: format!("c{c}"),
                browser_id: format!("b{b}"),
                liked,
                updated_at: time,
            })
        }

        fn arb_data() -> impl Strategy<Value = ThreadData> {
            (
                prop::collection::vec(arb_comment(), 0..8),
                prop::collection::vec(arb_like(), 0..8),
            )
                .prop_map(|(comments, likes)| ThreadData {
                    comments,
                    likes,
                    ..ThreadData::default()
                })
        }

        fn comment_ids(d: &ThreadData) -> BTreeSet<String> {
            d.comments.iter().map(|c| c.id.clone()).collect()
        }

        fn like_keys(d: &ThreadData) -> BTreeSet<(String, String)> {
            d.likes
                .iter()
                .map(|l| (l.comment_id.clone(), l.browser_id.clone()))
                .collect()
        }

        proptest! {
            #[test]
            fn merge_is_commutative(a in arb_data(), b in arb_data()) {
                prop_assert_eq!(merge(&a, &b), merge(&b, &a));
            }

            #[test]
            fn merge_is_associative(a in arb_data(), b in arb_data(), c in arb_data()) {
                prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
            }

            #[test]
            fn merge_is_idempotent(a in arb_data(), b in arb_data()) {
                prop_assert_eq!(merge(&a, &a), a.normalised());
                let ab = merge(&a, &b);
                prop_assert_eq!(merge(&ab, &ab), ab.clone());
                prop_assert_eq!(merge(&ab, &b), ab);
            }

            #[test]
            fn merge_loses_nothing(a in arb_data(), b in arb_data()) {
                let merged = merge(&a, &b);
                let mut ids = comment_ids(&a);
                ids.extend(comment_ids(&b));
                prop_assert_eq!(comment_ids(&merged), ids);
                prop_assert_eq!(merged.comments.len(), comment_ids(&merged).len());
                let mut keys = like_keys(&a);
                keys.extend(like_keys(&b));
                prop_assert_eq!(like_keys(&merged), keys);
                prop_assert_eq!(merged.likes.len(), like_keys(&merged).len());
            }

            #[test]
            fn a_delete_is_never_undone(a in arb_data(), b in arb_data()) {
                let merged = merge(&a, &b);
                for gone in a.comments.iter().chain(&b.comments).filter(|c| c.deleted) {
                    let kept = merged.comments.iter().find(|c| c.id == gone.id).unwrap();
                    prop_assert!(kept.deleted);
                }
            }

            #[test]
            fn applying_records_one_by_one_is_merging(a in arb_data(), b in arb_data()) {
                let mut applied = a.normalised();
                for comment in &b.comments {
                    applied.apply_comment(comment);
                }
                for like in &b.likes {
                    applied.apply_like(like);
                }
                prop_assert_eq!(applied, merge(&a, &b));
            }

            #[test]
            fn absorbing_is_merging_and_returns_what_changed(a in arb_data(), b in arb_data()) {
                let before = a.normalised();
                let mut absorbed = before.clone();
                let changed = absorbed.absorb(&b);
                prop_assert_eq!(&absorbed, &merge(&a, &b));
                prop_assert_eq!(merge(&before, &changed), absorbed.clone());
                for comment in &changed.comments {
                    prop_assert!(!before.comments.contains(comment));
                }
                for like in &changed.likes {
                    prop_assert!(!before.likes.contains(like));
                }
            }

            #[test]
            fn absorbing_many_records_is_merging(
                a in arb_data(),
                b in prop::collection::vec(arb_comment(), 33..48),
            ) {
                let mut absorbed = a.normalised();
                let b = ThreadData { comments: b, likes: Vec::new(), ..ThreadData::default() };
                absorbed.absorb(&b);
                prop_assert_eq!(absorbed, merge(&a, &b));
            }

            #[test]
            fn the_output_is_in_posting_order(a in arb_data(), b in arb_data()) {
                let merged = merge(&a, &b);
                prop_assert!(merged
                    .comments
                    .windows(2)
                    .all(|w| posting_order(&w[0], &w[1]) == std::cmp::Ordering::Less));
            }
        }
    }
}
