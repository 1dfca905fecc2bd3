//! Tests of the thread view: numbering, nesting, cycles, tombstones, sorting, likes, scale.

use super::*;
use crate::model::comment::parse_seed;
use crate::model::fixtures::{comment, deleted, like};

fn view(comments: &[Comment]) -> ThreadView {
    ThreadView::build(comments, &[], None, SortOrder::OldestFirst)
}

/// `(number, id)` of every shown node, depth-first in display order.
fn outline(view: &ThreadView) -> Vec<(String, String)> {
    fn walk(view: &ThreadView, ids: &[String], out: &mut Vec<(String, String)>) {
        for node in view.nodes_of(ids) {
            out.push((node.number.clone(), node.comment.id.clone()));
            walk(view, &node.children, out);
        }
    }
    let mut out = Vec::new();
    walk(view, view.roots(), &mut out);
    out
}

/// The shown node of `id`, which must be there.
fn node<'a>(view: &'a ThreadView, id: &str) -> &'a ThreadNode {
    view.node(id).unwrap_or_else(|| panic!("{id} is not shown"))
}

/// The node of the top-level comment at `position` in display order.
fn root(view: &ThreadView, position: usize) -> &ThreadNode {
    node(view, &view.roots()[position])
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(n, id)| (n.to_string(), id.to_string()))
        .collect()
}

/// Every id the view names has a node, and every node is reached once from the roots.
fn assert_whole(view: &ThreadView) {
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<&String> = view.roots().iter().collect();
    while let Some(id) = stack.pop() {
        assert!(seen.insert(id.as_str()), "{id} is reached twice");
        let node = node(view, id);
        assert_eq!(&node.comment.id, id);
        stack.extend(&node.children);
    }
    assert_eq!(seen.len(), view.nodes.len(), "some nodes are not reached");
}

fn pinned(id: &str) -> Moderation {
    Moderation {
        comment_id: Some(id.to_owned()),
        pinned: true,
        updated_at: crate::model::fixtures::at_minute(30),
        account: "prof".into(),
        account_role: "instructor".into(),
        ..Moderation::default()
    }
}

#[test]
fn pinned_comments_come_first_among_their_siblings_and_keep_their_numbers() {
    let mut view = view(&sample());
    let hidden = Moderation {
        hidden: true,
        ..pinned("e")
    };
    let hidden = Moderation {
        pinned: false,
        ..hidden
    };
    let mut decisions = Vec::new();
    for record in [pinned("c"), hidden.clone(), pinned("e"), pinned("nowhere")] {
        crate::model::moderation::apply(&mut decisions, &record);
    }
    // "e" was hidden, then pinned by a later record (the same time, so the larger wins).
    let e_decision = crate::model::moderation::of_comment(&decisions, "e").cloned();
    view.moderate(&decisions);
    assert_whole(&view);
    assert_eq!(view.roots(), ["c", "a", "b"]);
    assert_eq!(node(&view, "c").number, "3");
    assert_eq!(node(&view, "b").children, ["e", "d"]);
    assert_eq!(node(&view, "e").moderation, e_decision);
    assert_eq!(node(&view, "a").moderation, None);
    // Unpinned again: the order of the thread comes back.
    let mut unpinned = pinned("c");
    unpinned.pinned = false;
    unpinned.updated_at = crate::model::fixtures::at_minute(40);
    crate::model::moderation::apply(&mut decisions, &unpinned);
    let mut again = super::ThreadView::build(&sample(), &[], None, SortOrder::OldestFirst);
    again.moderate(&decisions);
    assert_eq!(again.roots(), ["a", "b", "c"]);
    assert_eq!(
        node(&again, "c").moderation,
        None,
        "a record deciding nothing is none"
    );
}

#[test]
fn a_new_comment_newest_first_goes_after_the_pinned_ones() {
    let comments = sample();
    let mut view = ThreadView::build(&comments, &[], None, SortOrder::NewestFirst);
    view.moderate(&[pinned("a")]);
    assert_eq!(view.roots(), ["a", "c", "b"]);
    let mut data = ThreadData {
        comments,
        ..ThreadData::default()
    }
    .normalised();
    let new = comment("g", None, "Gus", 9);
    data.apply_comment(&new);
    assert!(view.apply_comment(&data, &new).is_some());
    assert_eq!(view.roots(), ["a", "g", "c", "b"]);
}

/// A thread used by several tests:
/// 1 a; 2 b (2.1 d, 2.2 e (2.2.1 f)); 3 c
fn sample() -> Vec<Comment> {
    vec![
        comment("f", Some("e"), "Fay", 6),
        comment("c", None, "Cy", 3),
        comment("a", None, "Ann", 1),
        comment("e", Some("b"), "Eve", 5),
        comment("b", None, "Bo", 2),
        comment("d", Some("b"), "Dee", 4),
    ]
}

#[test]
fn the_seed_thread_is_numbered_one_to_four() {
    let seed = parse_seed(include_str!(
        "../../../content/posts/the-struggle-for-freedom/comments.json"
    ))
    .unwrap();
    let view = view(&seed);
    assert_eq!(
        outline(&view),
        pairs(&[
            ("1", "seed-1"),
            ("2", "seed-2"),
            ("3", "seed-3"),
            ("4", "seed-4")
        ])
    );
    assert_eq!(view.count, 4);
    assert!(view
        .nodes_of(view.roots())
        .all(|n| n.depth == 1 && !n.tombstone));
}

#[test]
fn comments_are_numbered_by_posting_order_whatever_the_input_order() {
    assert_eq!(
        outline(&view(&sample())),
        pairs(&[
            ("1", "a"),
            ("2", "b"),
            ("2.1", "d"),
            ("2.2", "e"),
            ("2.2.1", "f"),
            ("3", "c"),
        ])
    );
    assert_whole(&view(&sample()));
}

#[test]
fn equal_times_are_numbered_by_id() {
    let comments = [comment("y", None, "A", 1), comment("x", None, "A", 1)];
    assert_eq!(outline(&view(&comments)), pairs(&[("1", "x"), ("2", "y")]));
}

#[test]
fn depth_is_one_based() {
    let view = view(&sample());
    assert_eq!(node(&view, "a").depth, 1);
    assert_eq!(node(&view, "d").depth, 2);
    assert_eq!(node(&view, "f").depth, 3);
}

#[test]
fn newest_first_reverses_siblings_at_every_level_but_keeps_numbers() {
    let view = ThreadView::build(&sample(), &[], None, SortOrder::NewestFirst);
    assert_eq!(
        outline(&view),
        pairs(&[
            ("3", "c"),
            ("2", "b"),
            ("2.2", "e"),
            ("2.2.1", "f"),
            ("2.1", "d"),
            ("1", "a"),
        ])
    );
}

#[test]
fn most_liked_puts_more_likes_first_then_the_oldest() {
    let likes = [
        like("c", "b1", true, 10),
        like("c", "b2", true, 10),
        like("a", "b1", true, 10),
        like("b", "b1", true, 10),
        like("e", "b1", true, 10),
    ];
    let view = ThreadView::build(&sample(), &likes, None, SortOrder::MostLiked);
    assert_eq!(
        outline(&view),
        pairs(&[
            ("3", "c"),
            ("1", "a"),
            ("2", "b"),
            ("2.2", "e"),
            ("2.2.1", "f"),
            ("2.1", "d"),
        ])
    );
    assert_eq!(root(&view, 0).likes, 2);
}

#[test]
fn likes_count_the_latest_decision_of_each_browser() {
    let likes = [
        like("a", "me", true, 1),
        like("a", "you", true, 1),
        like("a", "you", false, 2),
        like("a", "them", true, 3),
        like("a", "them", true, 3),
        like("b", "you", true, 1),
    ];
    let view = ThreadView::build(&sample(), &likes, Some("me"), SortOrder::OldestFirst);
    let a = node(&view, "a");
    assert_eq!(a.likes, 2);
    assert!(a.liked_by_me);
    let b = node(&view, "b");
    assert_eq!(b.likes, 1);
    assert!(!b.liked_by_me);
    let unknown_me = ThreadView::build(&sample(), &likes, None, SortOrder::OldestFirst);
    assert!(!node(&unknown_me, "a").liked_by_me);
}

#[test]
fn i_do_not_like_what_i_unliked() {
    let likes = [like("a", "me", true, 1), like("a", "me", false, 2)];
    let view = ThreadView::build(&sample(), &likes, Some("me"), SortOrder::OldestFirst);
    let a = node(&view, "a");
    assert_eq!((a.likes, a.liked_by_me), (0, false));
}

/// A chain c1 ← c2 ← … ← c`len`, each replying to the one before.
fn chain(len: u32) -> Vec<Comment> {
    (1..=len)
        .map(|i| {
            let parent = (i > 1).then(|| format!("c{}", i - 1));
            comment(&format!("c{i}"), parent.as_deref(), "A", i)
        })
        .collect()
}

#[test]
fn replies_below_the_deepest_level_are_shown_beside_their_parent() {
    let view = view(&chain(7));
    assert_eq!(
        outline(&view),
        pairs(&[
            ("1", "c1"),
            ("1.1", "c2"),
            ("1.1.1", "c3"),
            ("1.1.1.1", "c4"),
            ("1.1.1.1.1", "c5"),
            ("1.1.1.1.2", "c6"),
            ("1.1.1.1.3", "c7"),
        ])
    );
    let c4 = node(&view, "c4");
    assert_eq!(c4.depth, 4);
    assert_eq!(c4.children.len(), 3);
    assert!(view
        .nodes_of(&c4.children)
        .all(|c| c.depth == MAX_DEPTH && c.children.is_empty()));
}

#[test]
fn a_reply_to_a_missing_comment_is_shown_at_top_level() {
    let comments = [
        comment("a", None, "A", 1),
        comment("orphan", Some("gone"), "B", 2),
    ];
    let view = view(&comments);
    assert_eq!(outline(&view), pairs(&[("1", "a"), ("2", "orphan")]));
    assert_eq!(root(&view, 1).comment.parent_id.as_deref(), Some("gone"));
}

#[test]
fn a_comment_replying_to_itself_is_shown_at_top_level() {
    let comments = [comment("a", Some("a"), "A", 1)];
    assert_eq!(outline(&view(&comments)), pairs(&[("1", "a")]));
}

#[test]
fn a_parent_cycle_is_cut_at_its_earliest_comment() {
    // x → z → y → x, and t hangs off y.
    let comments = [
        comment("x", Some("z"), "A", 1),
        comment("y", Some("x"), "A", 2),
        comment("z", Some("y"), "A", 3),
        comment("t", Some("y"), "A", 4),
    ];
    let view = view(&comments);
    assert_eq!(
        outline(&view),
        pairs(&[("1", "x"), ("1.1", "y"), ("1.1.1", "z"), ("1.1.2", "t")])
    );
    // The cut does not depend on the order the comments arrive in.
    let mut reversed = comments.to_vec();
    reversed.reverse();
    assert_eq!(outline(&self::view(&reversed)), outline(&view));
}

#[test]
fn two_separate_cycles_are_both_cut() {
    let comments = [
        comment("a", Some("b"), "A", 1),
        comment("b", Some("a"), "A", 2),
        comment("c", Some("d"), "A", 3),
        comment("d", Some("c"), "A", 4),
    ];
    assert_eq!(
        outline(&view(&comments)),
        pairs(&[("1", "a"), ("1.1", "b"), ("2", "c"), ("2.1", "d")])
    );
}

#[test]
fn a_deleted_comment_without_replies_is_left_out_and_its_number_skipped() {
    let comments = [
        comment("a", None, "A", 1),
        deleted(comment("b", None, "B", 2)),
        comment("c", None, "C", 3),
    ];
    let view = view(&comments);
    assert_eq!(outline(&view), pairs(&[("1", "a"), ("3", "c")]));
    assert_eq!(view.count, 2);
    assert_eq!(view.number_of("b"), None);
    assert_eq!(view.id_of("2"), None);
}

#[test]
fn a_deleted_comment_with_replies_stays_as_a_blank_tombstone() {
    let mut comments = sample();
    let b = comments.iter_mut().find(|c| c.id == "b").unwrap();
    b.deleted = true;
    b.author_key = Some("secret".into());
    b.target = crate::model::anchor::Passage::describe("a quoted passage", 2, 8).map(Box::new);
    let likes = [like("b", "me", true, 1)];
    let view = ThreadView::build(&comments, &likes, Some("me"), SortOrder::OldestFirst);
    let b = node(&view, "b");
    assert!(b.tombstone);
    assert_eq!(b.number, "2");
    assert_eq!(
        (b.comment.author.as_str(), b.comment.body.as_str()),
        ("", "")
    );
    assert_eq!(b.comment.author_key, None);
    assert_eq!(
        b.comment.target, None,
        "a deleted comment highlights nothing"
    );
    assert_eq!((b.likes, b.liked_by_me), (0, false));
    assert_eq!(b.children.len(), 2);
    assert_eq!(view.count, 5);
    assert!(!node(&view, "d").tombstone);
}

#[test]
fn a_deleted_comment_whose_replies_are_all_deleted_leaves_no_trace() {
    let comments = [
        comment("a", None, "A", 1),
        deleted(comment("b", Some("a"), "B", 2)),
        deleted(comment("c", Some("b"), "C", 3)),
        deleted(comment("d", None, "D", 4)),
        deleted(comment("e", Some("d"), "E", 5)),
    ];
    let view = view(&comments);
    assert_eq!(outline(&view), pairs(&[("1", "a")]));
    assert_eq!(view.count, 1);
}

#[test]
fn a_deep_deleted_chain_above_a_live_reply_stays() {
    let comments = [
        deleted(comment("a", None, "A", 1)),
        deleted(comment("b", Some("a"), "B", 2)),
        comment("c", Some("b"), "C", 3),
    ];
    let view = view(&comments);
    assert_eq!(
        outline(&view),
        pairs(&[("1", "a"), ("1.1", "b"), ("1.1.1", "c")])
    );
    assert_eq!(view.count, 1);
}

#[test]
fn duplicate_ids_show_once_as_a_merge_would_pick() {
    let original = comment("a", None, "A", 1);
    let removed = deleted(original.clone());
    let view = view(&[original.clone(), removed, original]);
    assert!(view.roots().is_empty());
    assert_eq!(view.count, 0);
}

#[test]
fn numbers_and_ids_map_both_ways() {
    let view = view(&sample());
    assert_eq!(view.number_of("f"), Some("2.2.1"));
    assert_eq!(view.id_of("2.2.1"), Some("f"));
    assert_eq!(view.id_of("#comment-2.1"), Some("d"));
    assert_eq!(view.id_of("9"), None);
    assert_eq!(view.number_of("nobody"), None);
    assert_eq!(fragment("2.1"), "#comment-2.1");
}

#[test]
fn the_latest_live_comment_of_an_author_is_found_in_any_case() {
    let comments = [
        comment("a", None, "Maya Chen", 1),
        comment("b", Some("a"), "maya chen ", 2),
        deleted(comment("c", None, "Maya Chen", 3)),
        comment("d", None, "Bo", 4),
    ];
    let view = view(&comments);
    assert_eq!(view.latest_comment_by_author("MAYA CHEN"), Some("b"));
    assert_eq!(view.latest_comment_by_author("Bo"), Some("d"));
    assert_eq!(view.latest_comment_by_author("Nobody"), None);
    let targets = view.mention_targets();
    assert_eq!(
        targets.get("maya chen").map(String::as_str),
        Some("#comment-1.1")
    );
    assert_eq!(targets.get("Bo").map(String::as_str), Some("#comment-3"));
    assert_eq!(targets.len(), 2);
}

#[test]
fn number_order_puts_ten_after_nine() {
    let mut comments = vec![comment("root", None, "A", 0)];
    comments.extend((1..=11).map(|i| comment(&format!("r{i}"), Some("root"), "A", i)));
    let view = ThreadView::build(&comments, &[], None, SortOrder::NewestFirst);
    let numbers: Vec<&str> = view
        .in_number_order()
        .iter()
        .map(|(n, _)| n.number.as_str())
        .collect();
    assert_eq!(numbers[9..], ["1.9", "1.10", "1.11"]);
    let (r1, parent) = view.in_number_order()[1];
    assert_eq!(r1.comment.id, "r1");
    assert_eq!(parent.unwrap().comment.id, "root");
    assert_eq!(compare_numbers("2", "2.1"), std::cmp::Ordering::Less);
}

/// Deterministic pseudo-random numbers (a linear congruential generator), so the test is stable.
fn pseudo_random(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

#[test]
fn ten_thousand_comments_build_quickly() {
    let mut seed = 7;
    let comments: Vec<Comment> = (0..10_000u32)
        .map(|i| {
            let parent = match pseudo_random(&mut seed) % 4 {
                0 => None,
                _ if i == 0 => None,
                _ => Some(format!("c{}", pseudo_random(&mut seed) % u64::from(i))),
            };
            let mut c = comment(&format!("c{i}"), parent.as_deref(), "A", i);
            c.deleted = pseudo_random(&mut seed).is_multiple_of(10);
            c
        })
        .collect();
    let likes: Vec<Like> = (0..20_000u32)
        .map(|i| {
            let target = format!("c{}", pseudo_random(&mut seed) % 10_000);
            like(&target, &format!("b{}", i % 50), i % 3 != 0, i)
        })
        .collect();
    let started = std::time::Instant::now();
    let view = ThreadView::build(&comments, &likes, Some("b1"), SortOrder::MostLiked);
    let elapsed = started.elapsed();
    let live = comments.iter().filter(|c| !c.deleted).count();
    assert_eq!(view.count, live);
    let shown = view.in_number_order();
    assert!(shown.len() >= live);
    assert!(shown.iter().all(|(n, _)| n.depth <= MAX_DEPTH));
    assert_whole(&view);
    // Generous even for an unoptimised build; quadratic work would take far longer.
    assert!(elapsed.as_secs_f64() < 2.0, "took {elapsed:?}");
}

#[test]
fn a_chain_and_a_cycle_of_ten_thousand_do_not_overflow_the_stack() {
    let long_chain = chain(10_000);
    let view = view(&long_chain);
    assert_eq!(view.count, 10_000);
    assert_eq!(node(&view, "c10000").number, "1.1.1.1.9996");

    let mut cycle = chain(10_000);
    cycle[0].parent_id = Some("c10000".into());
    let view = self::view(&cycle);
    assert_eq!(view.roots(), ["c1"]);
}

// proptest does not build for wasm32, where the browser tests compile this crate.
#[cfg(not(target_arch = "wasm32"))]
mod incremental {
    use super::*;
    use crate::model::fixtures::at_minute;
    use proptest::prelude::*;

    const ME: &str = "me";

    fn arb_comment(ids: usize) -> impl Strategy<Value = Comment> {
        (
            0..ids,
            prop::option::of(0..ids),
            0..3usize,
            0..60u32,
            prop::bool::weighted(0.15),
            0..3u32,
        )
            .prop_map(|(id, parent, author, minute, is_deleted, edits)| {
                let mut c = comment(
                    &format!("c{id}"),
                    parent.map(|p| format!("c{p}")).as_deref(),
                    ["Ann", "Bo", "Cy"][author],
                    minute,
                );
                if edits > 0 {
                    c.body = format!("edit {edits}");
                    c.updated_at = at_minute(minute + edits);
                }
                if is_deleted {
                    c = deleted(c);
                }
                c
            })
    }

    fn arb_like(ids: usize) -> impl Strategy<Value = Like> {
        (0..ids, prop::bool::ANY, prop::bool::ANY, 0..90u32).prop_map(
            |(id, mine, liked, minute)| {
                like(
                    &format!("c{id}"),
                    if mine { ME } else { "other" },
                    liked,
                    minute,
                )
            },
        )
    }

    fn arb_order() -> impl Strategy<Value = SortOrder> {
        prop_oneof![
            Just(SortOrder::OldestFirst),
            Just(SortOrder::NewestFirst),
            Just(SortOrder::MostLiked)
        ]
    }

    fn build(data: &ThreadData, order: SortOrder) -> ThreadView {
        ThreadView::build(&data.comments, &data.likes, Some(ME), order)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn taking_a_comment_in_place_is_building_again(
            comments in prop::collection::vec(arb_comment(12), 0..14),
            likes in prop::collection::vec(arb_like(12), 0..6),
            next in arb_comment(14),
            order in arb_order(),
        ) {
            let mut data = ThreadData { comments, likes, ..ThreadData::default() }.normalised();
            let mut view = build(&data, order);
            if data.apply_comment(&next) {
                if let Some(changed) = view.apply_comment(&data, &next) {
                    assert_whole(&view);
                    prop_assert_eq!(&view, &build(&data, order));
                    prop_assert!(changed.contains(&next.id));
                }
            }
        }

        #[test]
        fn taking_a_like_in_place_is_building_again(
            comments in prop::collection::vec(arb_comment(8), 0..10),
            likes in prop::collection::vec(arb_like(8), 0..8),
            next in arb_like(9),
            order in arb_order(),
        ) {
            let mut data = ThreadData { comments, likes, ..ThreadData::default() }.normalised();
            let mut view = build(&data, order);
            if data.apply_like(&next) && view.apply_like(&data, &next).is_some() {
                prop_assert_eq!(&view, &build(&data, order));
            }
        }
    }

    #[test]
    fn a_new_reply_a_like_and_an_edit_are_taken_in_place() {
        let mut data = ThreadData {
            comments: vec![
                comment("a", None, "Ann", 1),
                comment("b", Some("a"), "Bo", 2),
            ],
            likes: Vec::new(),
            ..ThreadData::default()
        };
        for order in [SortOrder::OldestFirst, SortOrder::NewestFirst] {
            let mut data = data.clone();
            let mut view = build(&data, order);
            let reply = comment("c", Some("a"), "Cy", 3);
            data.apply_comment(&reply);
            assert_eq!(
                view.apply_comment(&data, &reply),
                Some(vec!["c".into(), "a".into()])
            );
            assert_eq!(view.number_of("c"), Some("1.2"));
            let top = comment("d", None, "Ann", 4);
            data.apply_comment(&top);
            assert_eq!(view.apply_comment(&data, &top), Some(vec!["d".into()]));
            assert_eq!(view.number_of("d"), Some("2"));
            let liked = like("b", ME, true, 5);
            data.apply_like(&liked);
            assert_eq!(view.apply_like(&data, &liked), Some(vec!["b".into()]));
            let mut edited = reply.clone();
            edited.body = "Edited".into();
            edited.updated_at = at_minute(6);
            data.apply_comment(&edited);
            assert_eq!(view.apply_comment(&data, &edited), Some(vec!["c".into()]));
            assert_eq!(view, build(&data, order));
        }
        // A comment posted before the last one changes numbers: the view is built again.
        let early = comment("e", None, "Bo", 0);
        let mut view = build(&data, SortOrder::OldestFirst);
        data.apply_comment(&early);
        assert_eq!(view.apply_comment(&data, &early), None);
    }
}
