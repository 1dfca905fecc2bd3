use super::*;
use proptest::prelude::*;

/// The one citation that `text` is, whole.
fn only_citation(text: &str) -> Citation {
    match split(text).as_slice() {
        [Segment::Cite { citation, source }] => {
            assert_eq!(source, text, "the citation's source is all of {text:?}");
            citation.clone()
        }
        other => panic!("{text:?} is not one citation: {other:?}"),
    }
}

fn item(key: &str) -> CiteItem {
    CiteItem {
        key: key.to_owned(),
        prefix: String::new(),
        locator: None,
        suffix: String::new(),
        suppress_author: false,
    }
}

fn at(label: &str, value: &str) -> Option<Locator> {
    Some(Locator {
        label: label.to_owned(),
        value: value.to_owned(),
    })
}

fn bracketed(items: Vec<CiteItem>) -> Citation {
    Citation {
        items,
        in_text: false,
    }
}

fn text(s: &str) -> Segment {
    Segment::Text(s.to_owned())
}

/// The sources of what `text` splits into, citations marked with `<…>`.
fn marked(text: &str) -> String {
    split(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text,
            Segment::Cite { source, .. } => format!("<{source}>"),
        })
        .collect()
}

/// The single item of the bracketed citation `[@key<after_key>]`.
fn item_after_key(after_key: &str) -> CiteItem {
    let citation = only_citation(&format!("[@key{after_key}]"));
    assert_eq!(citation.items.len(), 1);
    citation.items[0].clone()
}

// Every form of Pandoc's citation syntax.

#[test]
fn a_bracketed_key() {
    assert_eq!(
        only_citation("[@freeze2009]"),
        bracketed(vec![item("freeze2009")])
    );
}

#[test]
fn a_bracketed_key_with_a_page() {
    assert_eq!(
        only_citation("[@freeze2009, p. 410]"),
        bracketed(vec![CiteItem {
            locator: at("page", "410"),
            ..item("freeze2009")
        }])
    );
}

#[test]
fn two_items_with_prefixes_and_locators() {
    assert_eq!(
        only_citation("[see @a, pp. 33-35; also @b, chap. 1]"),
        bracketed(vec![
            CiteItem {
                prefix: "see".into(),
                locator: at("page", "33-35"),
                ..item("a")
            },
            CiteItem {
                prefix: "also".into(),
                locator: at("chapter", "1"),
                ..item("b")
            },
        ])
    );
}

#[test]
fn pandocs_own_example_has_a_prefix_locator_and_suffix() {
    let citation = only_citation("[see @doe99, pp. 33-35 and passim; @smith04, chap. 1]");
    assert_eq!(
        citation.items,
        vec![
            CiteItem {
                prefix: "see".into(),
                locator: at("page", "33-35"),
                suffix: "and passim".into(),
                ..item("doe99")
            },
            CiteItem {
                locator: at("chapter", "1"),
                ..item("smith04")
            },
        ]
    );
}

#[test]
fn three_items_separated_by_semicolons_with_any_spacing() {
    let citation = only_citation("[@doe99;@smith2000;  @smith2004]");
    let keys: Vec<&str> = citation.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["doe99", "smith2000", "smith2004"]);
}

#[test]
fn a_minus_suppresses_the_author() {
    assert_eq!(
        only_citation("[-@smith04]"),
        bracketed(vec![CiteItem {
            suppress_author: true,
            ..item("smith04")
        }])
    );
    let citation = only_citation("[see -@smith04, p. 3; @doe99]");
    assert!(citation.items[0].suppress_author);
    assert_eq!(citation.items[0].prefix, "see");
    assert!(!citation.items[1].suppress_author);
}

#[test]
fn in_text_with_a_locator_in_brackets() {
    assert_eq!(
        split("@smith04 [p. 33] says blah."),
        vec![
            Segment::Cite {
                citation: Citation {
                    items: vec![CiteItem {
                        locator: at("page", "33"),
                        ..item("smith04")
                    }],
                    in_text: true,
                },
                source: "@smith04 [p. 33]".into(),
            },
            text(" says blah."),
        ]
    );
}

#[test]
fn in_text_brackets_hold_a_locator_and_a_suffix_or_only_a_suffix() {
    let citation = only_citation("@item1 [p. 30, with suffix]");
    assert_eq!(citation.items[0].locator, at("page", "30"));
    assert_eq!(citation.items[0].suffix, "with suffix");
    let citation = only_citation("@item1 [and nowhere else]");
    assert_eq!(citation.items[0].locator, None);
    assert_eq!(citation.items[0].suffix, "and nowhere else");
}

#[test]
fn in_text_brackets_may_follow_a_line_break() {
    let citation = only_citation("@smith04\n[p. 33]");
    assert_eq!(citation.items[0].locator, at("page", "33"));
}

#[test]
fn in_text_brackets_that_are_a_link_or_hold_a_semicolon_stay_text() {
    assert_eq!(marked("@smith04 [p. 33](x)"), "<@smith04> [p. 33](x)");
    assert_eq!(marked("@smith04 [p. 33][ref]"), "<@smith04> [p. 33][ref]");
    assert_eq!(marked("@smith04 [p. 33; more]"), "<@smith04> [p. 33; more]");
    assert_eq!(marked("@a [@b]"), "<@a> <[@b]>");
}

#[test]
fn a_bare_key_in_running_text() {
    assert_eq!(
        split("As @freeze2009 shows"),
        vec![
            text("As "),
            Segment::Cite {
                citation: Citation {
                    items: vec![item("freeze2009")],
                    in_text: true,
                },
                source: "@freeze2009".into(),
            },
            text(" shows"),
        ]
    );
    assert_eq!(
        marked("@smith04's book (@doe99)"),
        "<@smith04>'s book (<@doe99>)"
    );
}

#[test]
fn a_bare_minus_key_suppresses_the_author_as_pandoc_does() {
    let citation = only_citation("-@smith04");
    assert!(!citation.in_text);
    assert_eq!(
        citation.items,
        vec![CiteItem {
            suppress_author: true,
            ..item("smith04")
        }]
    );
    let citation = only_citation("-@smith04 [p. 3]");
    assert_eq!(citation.items[0].locator, at("page", "3"));
    assert_eq!(marked("well-@known"), "well-<@known>");
}

#[test]
fn braced_keys_take_anything_but_braces() {
    assert_eq!(
        only_citation("[@{key with spaces}, p. 3]").items,
        vec![CiteItem {
            locator: at("page", "3"),
            ..item("key with spaces")
        }]
    );
    assert_eq!(
        only_citation("@{Foo_bar.baz.}").items,
        vec![item("Foo_bar.baz.")]
    );
    assert_eq!(
        only_citation("[@{https://example.com/bib?name=foobar&date=2000}, p. 33]").items[0].key,
        "https://example.com/bib?name=foobar&date=2000"
    );
}

#[test]
fn keys_keep_single_inner_punctuation() {
    for key in [
        "doe:2001",
        "a.b-c",
        "x#1",
        "a$b%c&d",
        "a+b?c<d>e~f/g",
        "_under",
        "2001x",
    ] {
        assert_eq!(
            only_citation(&format!("@{key}")).items,
            vec![item(key)],
            "{key}"
        );
        assert_eq!(
            only_citation(&format!("[@{key}]")).items,
            vec![item(key)],
            "{key}"
        );
    }
    assert_eq!(only_citation("@müller2").items, vec![item("müller2")]);
    assert_eq!(only_citation("@ключ").items, vec![item("ключ")]);
    // `//` may run on, for URL-like keys.
    assert_eq!(
        only_citation("@http://example.com").items,
        vec![item("http://example.com")]
    );
}

#[test]
fn trailing_or_doubled_punctuation_ends_the_key() {
    assert_eq!(marked("see @smith04."), "see <@smith04>.");
    assert_eq!(marked("@Foo_bar.baz."), "<@Foo_bar.baz>.");
    assert_eq!(marked("@Foo_bar--baz"), "<@Foo_bar>--baz");
    assert_eq!(marked("(@doe:2001: 33)"), "(<@doe:2001>: 33)");
    assert_eq!(marked("@a.b-c, and"), "<@a.b-c>, and");
    assert_eq!(marked("@smith04’s"), "<@smith04>’s");
}

#[test]
fn locator_terms_as_csl_has_them() {
    let cases = [
        ("p. 410", "page", "410"),
        ("pp. 33-35", "page", "33-35"),
        ("page 7", "page", "7"),
        ("pages 7–9", "page", "7–9"),
        ("chap. 1", "chapter", "1"),
        ("chapters 1-2", "chapter", "1-2"),
        ("sec. 4.2", "section", "4.2"),
        ("secs. 4, 6", "section", "4, 6"),
        ("section 3", "section", "3"),
        ("para. 12", "paragraph", "12"),
        ("paras. 1-3", "paragraph", "1-3"),
        ("vol. 2", "volume", "2"),
        ("vols. 1-3", "volume", "1-3"),
        ("volume II", "volume", "II"),
        ("fig. 3", "figure", "3"),
        ("figs. 3a-3c", "figure", "3a-3c"),
        ("l. 10", "line", "10"),
        ("ll. 10-12", "line", "10-12"),
        ("n. 4", "note", "4"),
        ("nn. 4-5", "note", "4-5"),
        ("§ 4", "section", "4"),
        ("§§ 4-6", "section", "4-6"),
        ("¶ 2", "paragraph", "2"),
        ("¶¶ 2-3", "paragraph", "2-3"),
        ("bk. 3", "book", "3"),
        ("col. 2", "column", "2"),
        ("fol. 12r", "folio", "12r"),
        ("no. 5", "issue", "5"),
        ("number 5", "issue", "5"),
        ("op. 27", "opus", "27"),
        ("pt. 2", "part", "2"),
        ("v. 16", "verse", "16"),
        ("vv. 16-18", "verse", "16-18"),
        ("line 4", "line", "4"),
        ("note 9", "note", "9"),
        ("P. 5", "page", "5"),
        ("Chap. 5", "chapter", "5"),
        ("p.3", "page", "3"),
        ("p. xvii", "page", "xvii"),
        ("pp. iv, vi-xi", "page", "iv, vi-xi"),
        ("p. 34(1)(a)", "page", "34(1)(a)"),
        ("vol. 2:33-35", "volume", "2:33-35"),
        ("33", "page", "33"),
        ("33-35, 38", "page", "33-35, 38"),
        ("33a", "page", "33a"),
    ];
    for (written, label, value) in cases {
        let item = item_after_key(&format!(", {written}"));
        assert_eq!(item.locator, at(label, value), "{written}");
        assert_eq!(item.suffix, "", "{written}");
    }
}

#[test]
fn a_bare_number_is_a_page_but_words_are_a_suffix() {
    let item = item_after_key(", 33 and more");
    assert_eq!(
        (item.locator, item.suffix.as_str()),
        (at("page", "33"), "and more")
    );
    let item = item_after_key(", emphasis added");
    assert_eq!(
        (item.locator, item.suffix.as_str()),
        (None, "emphasis added")
    );
    // A label needs digits or a roman numeral after it, or it is all suffix.
    let item = item_after_key(", p. see above");
    assert_eq!((item.locator, item.suffix.as_str()), (None, "p. see above"));
    // A bare word is not a page even if it is a roman numeral.
    let item = item_after_key(", xi");
    assert_eq!((item.locator, item.suffix.as_str()), (None, "xi"));
}

#[test]
fn the_comma_before_a_locator_is_optional_as_in_pandoc() {
    let item = item_after_key(" p. 33");
    assert_eq!(item.locator, at("page", "33"));
    let item = item_after_key(" and passim");
    assert_eq!((item.locator, item.suffix.as_str()), (None, "and passim"));
}

#[test]
fn the_suffix_follows_the_locator() {
    let item = item_after_key(", p. 410, emphasis added");
    assert_eq!(item.locator, at("page", "410"));
    assert_eq!(item.suffix, "emphasis added");
    let item = item_after_key(", pp. 33, 35-37, and nowhere else");
    assert_eq!(item.locator, at("page", "33, 35-37"));
    assert_eq!(item.suffix, "and nowhere else");
    let item = item_after_key(", chap. 3 passim");
    assert_eq!(
        (item.locator, item.suffix.as_str()),
        (at("chapter", "3"), "passim")
    );
    let item = item_after_key(", p. 410.");
    assert_eq!(
        (item.locator, item.suffix.as_str()),
        (at("page", "410"), ".")
    );
}

#[test]
fn braced_locators_are_taken_verbatim() {
    let item = item_after_key("{ii, A, D-Z}, with a suffix");
    assert_eq!(item.locator, at("page", "ii, A, D-Z"));
    assert_eq!(item.suffix, "with a suffix");
    let item = item_after_key(", {ii, A, D-Z}");
    assert_eq!(
        (item.locator, item.suffix.as_str()),
        (at("page", "ii, A, D-Z"), "")
    );
    let item = item_after_key(", {pp. iv, vi-xi, (xv)-(xvii)} with suffix here");
    assert_eq!(item.locator, at("page", "iv, vi-xi, (xv)-(xvii)"));
    assert_eq!(item.suffix, "with suffix here");
    let item = item_after_key(", {chap. one}");
    assert_eq!(item.locator, at("chapter", "one"));
    // Empty braces keep what follows from being read as a locator.
    let item = item_after_key("{}, 99 years later");
    assert_eq!(
        (item.locator, item.suffix.as_str()),
        (None, "99 years later")
    );
    // An unclosed brace is not a locator.
    let item = item_after_key(", {p. 3");
    assert_eq!((item.locator, item.suffix.as_str()), (None, "{p. 3"));
}

// Malformed citations stay text.

#[test]
fn unclosed_brackets_stay_text_but_their_keys_are_in_text_citations() {
    assert_eq!(marked("[@key"), "[<@key>");
    assert_eq!(marked("[see @a; @b"), "[see <@a>; <@b>");
    assert_eq!(marked("[@a [@b]"), "[<@a> <[@b]>");
    assert_eq!(marked("text ] and [ more"), "text ] and [ more");
}

#[test]
fn an_at_inside_an_email_address_stays_text() {
    assert_eq!(
        split("mail jo@example.org"),
        vec![text("mail jo@example.org")]
    );
    assert_eq!(
        split("[mail jo@example.org]"),
        vec![text("[mail jo@example.org]")]
    );
    assert_eq!(
        split("mail jo_2@example.org."),
        vec![text("mail jo_2@example.org.")]
    );
    // The prefix may hold an address when a key follows.
    assert_eq!(
        only_citation("[ask jo@example.org about @a]").items[0].prefix,
        "ask jo@example.org about"
    );
}

#[test]
fn brackets_without_a_key_stay_text() {
    assert_eq!(split("[see above]"), vec![text("[see above]")]);
    assert_eq!(split("[]"), vec![text("[]")]);
    assert_eq!(split("[see @ above]"), vec![text("[see @ above]")]);
}

#[test]
fn an_item_without_a_key_makes_the_brackets_no_citation() {
    assert_eq!(marked("[@a; see above]"), "[<@a>; see above]");
    assert_eq!(marked("[see above; @a]"), "[see above; <@a>]");
    assert_eq!(marked("[@a;]"), "[<@a>;]");
    assert_eq!(marked("[@a @b]"), "[<@a> <@b>]");
}

#[test]
fn empty_keys_stay_text() {
    for written in [
        "@", "@ key", "[@]", "@{}", "[@{}]", "@{ }", "[-@]", "@.key", "@{a",
    ] {
        assert!(
            split(written)
                .iter()
                .all(|segment| matches!(segment, Segment::Text(_))),
            "{written}: {:?}",
            split(written)
        );
    }
}

#[test]
fn nested_brackets_are_not_one_citation() {
    assert_eq!(marked("[see [@a]]"), "[see <[@a]>]");
    assert_eq!(marked("[@a, p. [3]]"), "[<@a>, p. [3]]");
    assert_eq!(marked("[[@a]]"), "[<[@a]>]");
    assert_eq!(marked("@{a{b}c}"), "@{a{b}c}");
}

#[test]
fn a_key_after_a_word_character_is_not_a_key() {
    assert_eq!(marked("[see@a]"), "[see@a]");
    assert_eq!(marked("x@a @@b"), "x@a @@b");
}

// The label shown before the formatter has run.

#[test]
fn provisional_labels() {
    assert_eq!(
        provisional_label(&only_citation("[@freeze2009, p. 410]")),
        "(freeze2009, p. 410)"
    );
    assert_eq!(
        provisional_label(&only_citation("[see @a, pp. 33-35; also @b, chap. 1]")),
        "(see a, p. 33-35; also b, chap. 1)"
    );
    assert_eq!(provisional_label(&only_citation("@a [p. 33]")), "a (p. 33)");
    assert_eq!(provisional_label(&only_citation("@a")), "a");
    assert_eq!(short_term("sub verbo"), "s.v.");
    assert_eq!(short_term("timestamp"), "timestamp");
}

// Properties over arbitrary and citation-like text.

fn concatenated(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.as_str(),
            Segment::Cite { source, .. } => source.as_str(),
        })
        .collect()
}

/// Text made of the pieces citations are built from.
fn citation_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("@".to_owned()),
        Just("-@".to_owned()),
        Just(";".to_owned()),
        Just(",".to_owned()),
        Just("-".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(".".to_owned()),
        Just("p. ".to_owned()),
        Just("§".to_owned()),
        Just("¶¶".to_owned()),
        Just("chap.".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        "[a-z]{1,6}",
        "[0-9]{1,4}",
        "[ivxlcdm]{1,4}",
        "[\u{e0}-\u{ff}\u{430}-\u{44f}\u{4e00}-\u{4e10}]{1,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn assert_round_trip(input: &str) -> Result<(), TestCaseError> {
    let segments = split(input);
    prop_assert_eq!(concatenated(&segments), input);
    for pair in segments.windows(2) {
        prop_assert!(
            !matches!(pair, [Segment::Text(_), Segment::Text(_)]),
            "adjacent text runs are joined: {:?}",
            segments
        );
    }
    for segment in &segments {
        match segment {
            Segment::Text(text) => prop_assert!(!text.is_empty()),
            Segment::Cite { citation, .. } => {
                prop_assert!(!citation.items.is_empty());
                prop_assert!(citation.items.iter().all(|item| !item.key.is_empty()));
                let _ = provisional_label(citation);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_comes_back_whole(input in any::<String>()) {
        assert_round_trip(&input)?;
    }

    #[test]
    fn citation_like_text_comes_back_whole(input in citation_like()) {
        assert_round_trip(&input)?;
    }

    #[test]
    fn text_without_an_at_is_one_text(input in citation_like().prop_map(|s| s.replace('@', "")))
    {
        let segments = split(&input);
        if input.is_empty() {
            prop_assert!(segments.is_empty());
        } else {
            prop_assert_eq!(segments, vec![Segment::Text(input)]);
        }
    }

    #[test]
    fn any_text_without_an_at_is_one_text(input in "[^@]*") {
        let segments = split(&input);
        prop_assert_eq!(segments.len(), usize::from(!input.is_empty()));
    }

    #[test]
    fn a_generated_citation_parses_back(
        prefix in prop::option::of("[a-z]{1,8}"),
        key in "[a-z_][a-z0-9]{0,5}([:./-][a-z0-9]{1,4}){0,2}",
        locator in prop::option::of((0..LOCATOR_TERMS.len(), 1u32..2000)),
        suffix in prop::option::of("[abefghjknopqrstuwyz][a-z]{0,7}( [abefghjknopqrstuwyz][a-z]{0,7})?"),
        suppress in any::<bool>(),
    ) {
        let mut written = String::from("[");
        if let Some(prefix) = &prefix {
            written.push_str(prefix);
            written.push(' ');
        }
        if suppress {
            written.push('-');
        }
        written.push('@');
        written.push_str(&key);
        if let Some((term, number)) = locator {
            written.push_str(&format!(", {} {number}", LOCATOR_TERMS[term].0));
        }
        if let Some(suffix) = &suffix {
            written.push_str(", ");
            written.push_str(suffix);
        }
        written.push(']');
        let segments = split(&written);
        let [Segment::Cite { citation, source }] = segments.as_slice() else {
            return Err(TestCaseError::fail(format!("{written:?} gave {segments:?}")));
        };
        prop_assert_eq!(source, &written);
        let item = &citation.items[0];
        prop_assert_eq!(&item.key, &key);
        prop_assert_eq!(&item.prefix, prefix.as_deref().unwrap_or(""));
        prop_assert_eq!(item.suppress_author, suppress);
        prop_assert_eq!(
            item.locator.clone(),
            locator.map(|(term, number)| Locator {
                label: LOCATOR_TERMS[term].1.to_owned(),
                value: number.to_string(),
            })
        );
        prop_assert_eq!(&item.suffix, suffix.as_deref().unwrap_or(""));
    }
}
