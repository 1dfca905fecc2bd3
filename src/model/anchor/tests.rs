use super::*;
use proptest::prelude::*;

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
