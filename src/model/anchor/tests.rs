use super::*;
use proptest::prelude::*;
use serde_json::json;

const TEXT: &str = "One of the most significant events to happen after Stalin’s death, was the release of prisoners from camps ran by the GULAG (Main Administration of Corrective Labor Camps).";

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// The passage of `text` quoting the first occurrence of `words`.
fn quoting(text: &str, words: &str) -> Passage {
    let byte = text.find(words).expect("words are in the text");
    let start = chars(&text[..byte]);
    Passage::describe(text, start, start + chars(words)).unwrap()
}

fn found(text: &str, passage: &Passage) -> Option<String> {
    locate(text, passage).map(|(start, end)| text.chars().skip(start).take(end - start).collect())
}

#[test]
fn describe_keeps_the_quote_and_up_to_32_characters_around_it() {
    let passage = quoting(TEXT, "the release of prisoners");
    assert_eq!(passage.exact, "the release of prisoners");
    assert_eq!(chars(&passage.prefix), 32);
    assert!(passage.prefix.ends_with("death, was "));
    assert!(passage.suffix.starts_with(" from camps"));
    assert_eq!(chars(&passage.suffix), 32);
    assert_eq!(
        passage.end - passage.start,
        chars("the release of prisoners")
    );
}

#[test]
fn describe_refuses_empty_blank_and_out_of_range_selections() {
    assert_eq!(Passage::describe(TEXT, 5, 5), None);
    assert_eq!(Passage::describe("a   b", 1, 4), None);
    assert_eq!(Passage::describe(TEXT, 10, 10_000), None);
    assert_eq!(Passage::describe(TEXT, 9, 3), None);
}

#[test]
fn an_unchanged_text_gives_the_same_position() {
    let passage = quoting(TEXT, "the release of prisoners");
    assert_eq!(locate(TEXT, &passage), Some((passage.start, passage.end)));
}

#[test]
fn insertions_before_the_passage_move_it() {
    let passage = quoting(TEXT, "the release of prisoners");
    let edited = TEXT.replace("One of the most", "Surely one of the very most");
    assert_eq!(
        found(&edited, &passage).as_deref(),
        Some("the release of prisoners")
    );
    let (start, _) = locate(&edited, &passage).unwrap();
    assert_eq!(start, passage.start + chars("Surely ") + chars("very "));
}

#[test]
fn deletions_before_the_passage_move_it() {
    let passage = quoting(TEXT, "the release of prisoners");
    let edited = TEXT.replace("One of the most significant events", "Events");
    assert_eq!(
        found(&edited, &passage).as_deref(),
        Some("the release of prisoners")
    );
}

#[test]
fn insertions_inside_the_passage_are_taken_in() {
    let passage = quoting(TEXT, "the release of prisoners from camps ran by the GULAG");
    let edited = TEXT.replace("camps ran by", "camps that were ran by");
    assert_eq!(
        found(&edited, &passage).as_deref(),
        Some("the release of prisoners from camps that were ran by the GULAG")
    );
}

#[test]
fn deletions_inside_the_passage_are_taken_in() {
    let passage = quoting(TEXT, "the release of prisoners from camps ran by the GULAG");
    let edited = TEXT.replace(" from camps", "");
    assert_eq!(
        found(&edited, &passage).as_deref(),
        Some("the release of prisoners ran by the GULAG")
    );
}

#[test]
fn a_passage_rewritten_or_deleted_is_orphaned() {
    let passage = quoting(TEXT, "the release of prisoners from camps ran by the GULAG");
    let rewritten = TEXT.replace(
        "the release of prisoners from camps ran by the GULAG",
        "an amnesty",
    );
    assert_eq!(locate(&rewritten, &passage), None);
    assert_eq!(locate("Something else entirely.", &passage), None);
}

#[test]
fn a_repeated_quote_is_found_by_its_context() {
    let text =
        "The camps grew. Later, in the north, the camps grew again. Finally the camps closed.";
    let passage = quoting(text, "the camps grew again");
    let second = text.find("the camps grew again").unwrap();
    let start = chars(&text[..second]);
    let shifted = format!("Intro words. {text}");
    let mut moved = passage.clone();
    moved.start += 1; // stale position: the quote is not there any more
    moved.end += 1;
    assert_eq!(
        locate(&shifted, &moved),
        Some((start + 13, start + 13 + chars("the camps grew again")))
    );
    // "the camps" alone occurs three times: the context picks the second.
    let short = Passage::describe(text, start, start + chars("the camps")).unwrap();
    let edited = format!("Now: {text}");
    assert_eq!(locate(&edited, &short).map(|(s, _)| s), Some(start + 5));
}

#[test]
fn positions_count_code_points_in_cyrillic_and_emoji() {
    let text = "Свобода 🙂 и «оттепель» после 1953 года.";
    let passage = quoting(text, "«оттепель»");
    assert_eq!(passage.start, 12);
    assert_eq!(passage.end, 22);
    let edited = format!("🙂🙂 {text}");
    assert_eq!(found(&edited, &passage).as_deref(), Some("«оттепель»"));
    assert_eq!(locate(&edited, &passage), Some((15, 25)));
}

#[test]
fn segments_split_overlaps_and_name_every_covering_range() {
    let ranges = vec![
        (0, 10, "a".to_owned()),
        (5, 15, "b".to_owned()),
        (5, 10, "c".to_owned()),
        (20, 25, "d".to_owned()),
        (25, 30, "e".to_owned()),
    ];
    assert_eq!(
        segments(&ranges),
        vec![
            (0, 5, vec!["a".to_owned()]),
            (5, 10, vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]),
            (10, 15, vec!["b".to_owned()]),
            (20, 25, vec!["d".to_owned()]),
            (25, 30, vec!["e".to_owned()]),
        ]
    );
    assert_eq!(
        segments(&[(3, 8, "x".to_owned()), (3, 8, "y".to_owned())]),
        vec![(3, 8, vec!["x".to_owned(), "y".to_owned()])]
    );
    assert!(segments(&[]).is_empty());
}

#[test]
fn a_passage_is_stored_as_web_annotation_selectors() {
    let passage = quoting(TEXT, "the release of prisoners");
    let json = serde_json::to_value(&passage).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"selector": [
            {"type": "TextQuoteSelector", "exact": "the release of prisoners",
             "prefix": passage.prefix, "suffix": passage.suffix},
            {"type": "TextPositionSelector", "start": passage.start, "end": passage.end}
        ]})
    );
    let back: Passage = serde_json::from_value(json).unwrap();
    assert_eq!(back, passage);
    // Either order, position optional; an unknown selector type is refused.
    let reordered: Passage = serde_json::from_str(
        r#"{"selector":[{"type":"TextPositionSelector","start":1,"end":3},{"type":"TextQuoteSelector","exact":"ab"}]}"#,
    )
    .unwrap();
    assert_eq!(
        (reordered.start, reordered.end, reordered.exact.as_str()),
        (1, 3, "ab")
    );
    assert!(serde_json::from_str::<Passage>(
        r#"{"selector":[{"type":"CssSelector","value":"p"}]}"#
    )
    .is_err());
    assert!(serde_json::from_str::<Passage>(r#"{"selector":[]}"#).is_err());
}

#[test]
fn comments_carry_their_target_and_old_comments_still_load() {
    use crate::model::Comment;
    let old = r#"{"id":"c1","author":"A","body":"b","createdAt":"2024-01-01T00:00:00.000Z"}"#;
    let comment: Comment = serde_json::from_str(old).unwrap();
    assert_eq!(comment.target, None);
    assert!(!serde_json::to_string(&comment).unwrap().contains("target"));
    let with = Comment {
        target: Some(Box::new(quoting(TEXT, "the release of prisoners"))),
        ..comment
    };
    let text = serde_json::to_string(&with).unwrap();
    assert!(text.contains(r#""target":{"selector":[{"type":"TextQuoteSelector""#));
    assert_eq!(serde_json::from_str::<Comment>(&text).unwrap(), with);
}

#[test]
fn problems_name_what_is_wrong_with_a_stored_passage() {
    let good = quoting(TEXT, "the release of prisoners");
    assert_eq!(problem(&good), None);
    let blank = Passage {
        exact: "  ".into(),
        ..good.clone()
    };
    assert!(problem(&blank).unwrap().contains("empty"));
    let mismatched = Passage {
        end: good.end + 3,
        ..good.clone()
    };
    assert!(problem(&mismatched).unwrap().contains("position"));
    let long = Passage {
        exact: "x".repeat(MAX_EXACT_CHARS + 1),
        start: 0,
        end: 0,
        ..good
    };
    assert!(problem(&long).unwrap().contains("longer"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_unique_quote_is_found_where_it_was(text in "[a-zé ,.🙂]{1,120}", a in 0usize..120, b in 0usize..120) {
        let length = text.chars().count();
        let (start, end) = (a.min(b) % (length + 1), a.max(b) % (length + 1));
        if let Some(passage) = Passage::describe(&text, start.min(end), start.max(end)) {
            let unique = text.matches(passage.exact.as_str()).count() == 1;
            if unique {
                prop_assert_eq!(locate(&text, &passage), Some((passage.start, passage.end)));
            }
        }
    }

    #[test]
    fn locate_never_panics(text in any::<String>(), exact in any::<String>(), prefix in ".{0,40}", suffix in ".{0,40}", start in 0usize..500, end in 0usize..500) {
        let passage = Passage { exact, prefix, suffix, start, end };
        if let Some((s, e)) = locate(&text, &passage) {
            prop_assert!(s <= e && e <= text.chars().count());
        }
    }

    #[test]
    fn segments_cover_exactly_the_union(ranges in proptest::collection::vec((0usize..50, 0usize..50), 0..8)) {
        let ranges: Vec<(usize, usize, String)> = ranges
            .into_iter()
            .enumerate()
            .map(|(i, (a, b))| (a.min(b), a.max(b), i.to_string()))
            .collect();
        let pieces = segments(&ranges);
        for point in 0..50 {
            let covering: Vec<String> = ranges
                .iter()
                .filter(|(s, e, _)| *s <= point && point < *e)
                .map(|(_, _, id)| id.clone())
                .collect();
            let piece = pieces.iter().find(|(s, e, _)| *s <= point && point < *e);
            match piece {
                Some((_, _, ids)) => prop_assert_eq!(ids, &covering),
                None => prop_assert!(covering.is_empty()),
            }
        }
        for pair in pieces.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].0);
        }
    }
}

// Edits, context, unicode, selectors and checks in more detail.

const POST: &str = "Freedom is never voluntarily given by the oppressor; it must be demanded \
    by the oppressed. We know through painful experience that freedom is never given. \
    Injustice anywhere is a threat to justice everywhere.";

/// The code-point range of the first `quote` in `text` (after `after` code points).
fn range_of(text: &str, quote: &str, after: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let quote: Vec<char> = quote.chars().collect();
    let at = occurrences(&chars, &quote, after, chars.len())[0];
    (at, at + quote.len())
}

fn passage_of(text: &str, quote: &str) -> Passage {
    let (start, end) = range_of(text, quote, 0);
    Passage::describe(text, start, end).unwrap()
}

fn located_text(text: &str, passage: &Passage) -> Option<String> {
    locate(text, passage).map(|(start, end)| text.chars().skip(start).take(end - start).collect())
}

#[test]
fn describe_keeps_the_quote_and_32_code_points_each_side() {
    let passage = passage_of(POST, "painful experience");
    assert_eq!(passage.exact, "painful experience");
    assert_eq!(passage.prefix, " the oppressed. We know through ");
    assert_eq!(passage.prefix.chars().count(), CONTEXT_CHARS);
    assert_eq!(passage.suffix, " that freedom is never given. In");
    assert_eq!(passage.end - passage.start, 18);
    assert_eq!(locate(POST, &passage), Some((passage.start, passage.end)));
}

#[test]
fn describe_at_the_edges_keeps_what_context_there_is() {
    let start = Passage::describe("abc def", 0, 3).unwrap();
    assert_eq!((start.prefix.as_str(), start.suffix.as_str()), ("", " def"));
    let end = Passage::describe("abc def", 4, 7).unwrap();
    assert_eq!((end.prefix.as_str(), end.suffix.as_str()), ("abc ", ""));
}

#[test]
fn describe_refuses_empty_out_of_range_and_blank_selections() {
    assert_eq!(Passage::describe("abc", 1, 1), None);
    assert_eq!(Passage::describe("abc", 2, 1), None);
    assert_eq!(Passage::describe("abc", 1, 4), None);
    assert_eq!(Passage::describe("abc", 7, 9), None);
    assert_eq!(Passage::describe("a \n\t b", 1, 5), None);
    assert_eq!(Passage::describe("", 0, 0), None);
}

#[test]
fn an_insertion_before_the_passage_shifts_it() {
    let passage = passage_of(POST, "painful experience");
    let edited = format!("A preface of some length, added later. {POST}");
    let (start, end) = locate(&edited, &passage).unwrap();
    assert_eq!(start, passage.start + 39);
    assert_eq!(end, passage.end + 39);
    assert_eq!(
        located_text(&edited, &passage).unwrap(),
        "painful experience"
    );
}

#[test]
fn a_long_insertion_before_the_passage_still_finds_it() {
    let passage = passage_of(POST, "painful experience");
    let edited = format!("{}{POST}", "An added paragraph. ".repeat(2000));
    assert_eq!(
        located_text(&edited, &passage).unwrap(),
        "painful experience"
    );
}

#[test]
fn a_deletion_before_the_passage_shifts_it_back() {
    let passage = passage_of(POST, "painful experience");
    let edited = POST.replacen("voluntarily ", "", 1);
    assert_eq!(
        locate(&edited, &passage),
        Some((passage.start - 12, passage.end - 12))
    );
}

#[test]
fn an_insertion_inside_the_passage_widens_it() {
    let passage = passage_of(POST, "painful experience");
    let edited = POST.replacen("painful experience", "painful and bitter experience", 1);
    assert_eq!(
        located_text(&edited, &passage).unwrap(),
        "painful and bitter experience"
    );
    assert_eq!(
        locate(&edited, &passage),
        Some((passage.start, passage.end + 11))
    );
}

#[test]
fn a_deletion_inside_the_passage_narrows_it() {
    let passage = passage_of(POST, "it must be demanded by the oppressed");
    let edited = POST.replacen("must be demanded", "be demanded", 1);
    assert_eq!(
        located_text(&edited, &passage).unwrap(),
        "it be demanded by the oppressed"
    );
}

#[test]
fn edits_inside_and_around_the_passage_together() {
    let passage = passage_of(POST, "freedom is never given");
    let edited = POST
        .replacen("We know through", "We have learned through", 1)
        .replacen("freedom is never given", "liberty is never given", 1);
    assert_eq!(
        located_text(&edited, &passage).unwrap(),
        "liberty is never given"
    );
}

#[test]
fn a_passage_deleted_entirely_is_orphaned() {
    let passage = passage_of(
        POST,
        "We know through painful experience that freedom is never given. ",
    );
    let edited = POST.replacen(
        "We know through painful experience that freedom is never given. ",
        "",
        1,
    );
    assert_eq!(locate(&edited, &passage), None);
}

#[test]
fn a_passage_rewritten_beyond_recognition_is_orphaned() {
    let passage = passage_of(POST, "painful experience");
    let edited = POST.replacen("painful experience", "history, plainly,", 1);
    assert_eq!(locate(&edited, &passage), None);
    assert_eq!(locate("", &passage), None);
    assert_eq!(locate("something else entirely", &passage), None);
}

#[test]
fn context_picks_the_right_one_of_several_occurrences() {
    let text = "the cat sat. the dog sat. the cow sat.";
    let (start, end) = range_of(text, "the dog sat", 0);
    let mut passage = Passage::describe(text, start, end).unwrap();
    passage.exact = "sat".into();
    passage.start = end - 3;
    // The passage "sat" after "dog", moved by an edit at the start.
    let passage = Passage::describe(text, passage.start, passage.start + 3).unwrap();
    let edited = format!("Look: {text}");
    let (start, _) = locate(&edited, &passage).unwrap();
    assert_eq!(start, range_of(&edited, "dog sat", 0).0 + 4);
    // Even when the old position points near another occurrence.
    let mut misplaced = passage.clone();
    misplaced.start = 9;
    misplaced.end = 12;
    assert_eq!(locate(text, &misplaced), Some((21, 24)));
}

#[test]
fn without_context_the_nearest_occurrence_wins() {
    let text = "sat sat sat sat";
    let passage = Passage {
        exact: "sat".into(),
        prefix: String::new(),
        suffix: String::new(),
        start: 9,
        end: 12,
    };
    assert_eq!(locate(&format!("xx{text}"), &passage), Some((10, 13)));
}

#[test]
fn cyrillic_and_emoji_passages_survive_edits_around_and_inside() {
    let text = "Свобода 🕊️ никогда не даётся добровольно 👩‍🎓 угнетателем.";
    let (start, end) = range_of(text, "не даётся", 0);
    assert_eq!((start, end), (19, 28));
    let passage = Passage::describe(text, start, end).unwrap();
    assert_eq!(passage.exact, "не даётся");
    assert_eq!(passage.prefix, "Свобода 🕊️ никогда ");
    assert_eq!(locate(text, &passage), Some((19, 28)));
    let edited = format!("🎉🎉 {text}");
    assert_eq!(locate(&edited, &passage), Some((22, 31)));
    let edited = text.replacen("не даётся", "не 🙂 даётся", 1);
    assert_eq!(locate(&edited, &passage), Some((19, 30)));
}

#[test]
fn locate_survives_nonsense_passages() {
    let odd = [
        Passage {
            exact: String::new(),
            prefix: "a".into(),
            suffix: "b".into(),
            start: 0,
            end: 0,
        },
        Passage {
            exact: "abc".into(),
            prefix: String::new(),
            suffix: String::new(),
            start: 5,
            end: 2,
        },
        Passage {
            exact: "abc".into(),
            prefix: "x".repeat(500),
            suffix: "y".repeat(500),
            start: usize::MAX - 1,
            end: usize::MAX,
        },
        Passage {
            exact: "z".repeat(5000),
            prefix: "a".into(),
            suffix: "b".into(),
            start: 0,
            end: 5000,
        },
    ];
    for passage in &odd {
        let _ = locate("abc abc", passage);
        let _ = locate("", passage);
    }
    assert_eq!(locate("xx abc", &odd[1]), Some((3, 6)));
}

#[test]
fn lcs_lengths_match_the_textbook_table() {
    fn table(a: &[char], b: &[char]) -> usize {
        let mut row = vec![0; b.len() + 1];
        for x in a {
            let mut diagonal = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
                diagonal = up;
            }
        }
        row[b.len()]
    }
    let long: String = "the quick brown fox jumps over the lazy dog ".repeat(5);
    let cases = [
        ("", "abc"),
        ("abc", ""),
        ("abcbdab", "bdcaba"),
        ("painful experience", "painful and bitter experience"),
        (long.as_str(), "a lazy fox over quick dogs the brown end"),
        ("aaaa", "aa"),
    ];
    for (a, b) in cases {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        assert_eq!(
            LcsPattern::new(&a).lcs_len(&b),
            table(&a, &b),
            "{a:?} {b:?}"
        );
    }
}

#[test]
fn nested_ranges_split_into_three() {
    let ranges = [(0, 10, "outer".to_string()), (3, 5, "inner".to_string())];
    assert_eq!(
        segments(&ranges),
        [
            (0, 3, vec!["outer".to_string()]),
            (3, 5, vec!["outer".to_string(), "inner".to_string()]),
            (5, 10, vec!["outer".to_string()]),
        ]
    );
}

#[test]
fn partly_overlapping_identical_and_adjacent_ranges() {
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let partial = [(0, 6, "a".to_string()), (4, 9, "b".to_string())];
    assert_eq!(
        segments(&partial),
        [
            (0, 4, ids(&["a"])),
            (4, 6, ids(&["a", "b"])),
            (6, 9, ids(&["b"]))
        ]
    );
    let identical = [(2, 5, "a".to_string()), (2, 5, "b".to_string())];
    assert_eq!(segments(&identical), [(2, 5, ids(&["a", "b"]))]);
    let adjacent = [(0, 3, "a".to_string()), (3, 7, "b".to_string())];
    assert_eq!(
        segments(&adjacent),
        [(0, 3, ids(&["a"])), (3, 7, ids(&["b"]))]
    );
    let apart = [(5, 7, "b".to_string()), (0, 2, "a".to_string())];
    assert_eq!(segments(&apart), [(0, 2, ids(&["a"])), (5, 7, ids(&["b"]))]);
    let empty_and_reversed = [(3, 3, "a".to_string()), (4, 2, "b".to_string())];
    assert_eq!(segments(&empty_and_reversed), []);
    assert_eq!(segments(&[]), []);
}

#[test]
fn the_target_is_w3c_web_annotation_json() {
    let passage = Passage {
        exact: "painful experience".into(),
        prefix: "We know through ".into(),
        suffix: " that freedom".into(),
        start: 10,
        end: 28,
    };
    let value = serde_json::to_value(&passage).unwrap();
    assert_eq!(
        value,
        json!({"selector": [
            {"type": "TextQuoteSelector", "exact": "painful experience",
             "prefix": "We know through ", "suffix": " that freedom"},
            {"type": "TextPositionSelector", "start": 10, "end": 28},
        ]})
    );
    assert_eq!(serde_json::from_value::<Passage>(value).unwrap(), passage);
}

#[test]
fn selectors_are_read_in_either_order_with_context_optional() {
    let value = json!({"source": "post", "selector": [
        {"type": "TextPositionSelector", "start": 1, "end": 4},
        {"type": "TextQuoteSelector", "exact": "abc"},
    ]});
    let passage: Passage = serde_json::from_value(value).unwrap();
    assert_eq!(
        passage,
        Passage {
            exact: "abc".into(),
            prefix: String::new(),
            suffix: String::new(),
            start: 1,
            end: 4
        }
    );
}

#[test]
fn unknown_missing_and_repeated_selectors_are_refused_by_name() {
    let quote = json!({"type": "TextQuoteSelector", "exact": "abc"});
    let position = json!({"type": "TextPositionSelector", "start": 1, "end": 4});
    // A quote alone is a passage of unknown position, found by the quote and its context.
    let quote_only: Passage = serde_json::from_value(json!({"selector": [quote]})).unwrap();
    assert_eq!((quote_only.start, quote_only.end), (0, 0));
    assert_eq!(quote_only.check(), Ok(()));
    assert_eq!(locate("xyz abc", &quote_only), Some((4, 7)));
    let cases = [
        (
            json!({"selector": [quote, position, {"type": "CssSelector", "value": "p"}]}),
            "CssSelector",
        ),
        (json!({"selector": [position]}), "no TextQuoteSelector"),
        (
            json!({"selector": [quote, quote, position]}),
            "more than one TextQuoteSelector",
        ),
        (
            json!({"selector": [quote, position, position]}),
            "more than one TextPositionSelector",
        ),
        (
            json!({"selector": [quote, {"type": "TextPositionSelector", "start": -1, "end": 4}]}),
            "-1",
        ),
        (
            json!({"selector": [{"type": "TextQuoteSelector"}, position]}),
            "exact",
        ),
        (json!({"selector": []}), "no TextQuoteSelector"),
        (json!({}), "selector"),
        (json!("abc"), "expected a W3C annotation target"),
    ];
    for (value, named) in cases {
        let error = serde_json::from_value::<Passage>(value.clone())
            .unwrap_err()
            .to_string();
        assert!(error.contains(named), "{value}: {error}");
    }
}

#[test]
fn check_names_every_broken_rule() {
    let good = passage_of(POST, "painful experience");
    assert_eq!(good.check(), Ok(()));
    let at_limits = Passage {
        exact: "é".repeat(MAX_EXACT_CHARS),
        prefix: "я".repeat(MAX_CONTEXT_CHARS),
        suffix: "🙂".repeat(MAX_CONTEXT_CHARS),
        start: 5,
        end: 5 + MAX_EXACT_CHARS,
    };
    assert_eq!(at_limits.check(), Ok(()));
    let too_long = Passage {
        exact: "é".repeat(MAX_EXACT_CHARS + 1),
        prefix: "я".repeat(MAX_CONTEXT_CHARS + 1),
        suffix: "🙂".repeat(MAX_CONTEXT_CHARS + 2),
        start: 0,
        end: MAX_EXACT_CHARS + 1,
    };
    assert_eq!(
        too_long.check(),
        Err(vec![
            PassageProblem::QuoteTooLong { chars: 2001 },
            PassageProblem::PrefixTooLong { chars: 65 },
            PassageProblem::SuffixTooLong { chars: 66 },
        ])
    );
    let empty = Passage {
        exact: String::new(),
        start: 3,
        end: 3,
        ..good.clone()
    };
    assert_eq!(
        empty.check(),
        Err(vec![
            PassageProblem::QuoteEmpty,
            PassageProblem::RangeEmpty { start: 3, end: 3 }
        ])
    );
    let mismatched = Passage {
        start: 0,
        end: 5,
        ..good
    };
    assert_eq!(
        mismatched.check(),
        Err(vec![PassageProblem::RangeMismatch {
            range: 5,
            quoted: 18
        }])
    );
    assert_eq!(
        PassageProblem::RangeMismatch {
            range: 5,
            quoted: 18
        }
        .to_string(),
        "the passage's position spans 5 characters but the quotation has 18"
    );
    assert_eq!(
        PassageProblem::QuoteTooLong { chars: 2001 }.to_string(),
        "the quoted passage is 2001 characters, longer than the limit of 2000"
    );
}

mod properties {
    use super::*;

    fn count(text: &[char], needle: &[char]) -> usize {
        occurrences(text, needle, 0, text.len()).len()
    }

    proptest! {
        #[test]
        fn a_unique_quote_is_found_where_it_was(
            text in "[a-eé Я🙂.]{1,120}",
            a in 0usize..130,
            b in 0usize..130,
        ) {
            let chars: Vec<char> = text.chars().collect();
            let (start, end) = (a.min(b) % (chars.len() + 1), a.max(b).min(chars.len()));
            if let Some(passage) = Passage::describe(&text, start, end) {
                prop_assert_eq!(passage.check(), Ok(()));
                if count(&chars, &chars[start..end]) == 1 {
                    prop_assert_eq!(locate(&text, &passage), Some((start, end)));
                    let inserted = "Ж🙂 inserted. ";
                    let moved = format!("{inserted}{text}");
                    let moved_chars: Vec<char> = moved.chars().collect();
                    if count(&moved_chars, &chars[start..end]) == 1 {
                        let shift = inserted.chars().count();
                        prop_assert_eq!(locate(&moved, &passage), Some((start + shift, end + shift)));
                    }
                }
            }
        }

        #[test]
        fn segments_partition_the_union_by_covering_ids(
            raw in proptest::collection::vec((0usize..40, 0usize..40), 0..8),
        ) {
            let ranges: Vec<(usize, usize, String)> = raw
                .iter()
                .enumerate()
                .map(|(i, &(start, end))| (start, end, format!("r{i}")))
                .collect();
            let parts = segments(&ranges);
            for pair in parts.windows(2) {
                prop_assert!(pair[0].1 <= pair[1].0, "in order, not overlapping: {:?}", parts);
            }
            for point in 0..40 {
                let covering: Vec<String> = ranges
                    .iter()
                    .filter(|(start, end, _)| *start <= point && point < *end)
                    .map(|(_, _, id)| id.clone())
                    .collect();
                let segment = parts.iter().find(|(start, end, _)| *start <= point && point < *end);
                match segment {
                    Some((start, end, ids)) => {
                        prop_assert!(start < end);
                        prop_assert_eq!(ids, &covering);
                    }
                    None => prop_assert!(covering.is_empty(), "{} uncovered", point),
                }
            }
        }

        #[test]
        fn locate_never_panics(
            text in "\\PC{0,80}",
            exact in "\\PC{0,12}",
            prefix in "\\PC{0,40}",
            suffix in "\\PC{0,40}",
            start in any::<usize>(),
            end in any::<usize>(),
            small_start in 0usize..90,
            small_len in 0usize..15,
        ) {
            let passage = Passage { exact, prefix, suffix, start, end };
            let _ = locate(&text, &passage);
            let near = Passage { start: small_start, end: small_start + small_len, ..passage };
            if let Some((found_start, found_end)) = locate(&text, &near) {
                prop_assert!(found_start < found_end && found_end <= text.chars().count());
            }
            let _ = Passage::describe(&text, small_start, small_start + small_len);
        }

        #[test]
        fn an_edit_inside_a_passage_keeps_it_anchored(
            words in proptest::collection::vec("[a-z]{2,8}", 30..60),
            pick in 0usize..1000,
            insert in "[A-Z]{1,4}",
        ) {
            let text = words.join(" ");
            let chars: Vec<char> = text.chars().collect();
            let start = pick % (chars.len() - 20);
            let end = start + 20;
            let passage = Passage::describe(&text, start, end).unwrap();
            let byte_of = |at: usize| text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
            let middle = byte_of(start + 10);
            let edited = format!("{}{insert}{}", &text[..middle], &text[middle..]);
            let found = locate(&edited, &passage);
            prop_assert_eq!(found, Some((start, end + insert.chars().count())), "{}", edited);
        }
    }
}
