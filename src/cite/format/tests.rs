use super::*;
use crate::cite::protocol::plain;
use crate::cite::syntax::{split, Segment};

const FREEZE_BIB: &str =
    include_str!("../../../content/posts/the-struggle-for-freedom/references.bib");

fn citations_of(text: &str) -> Vec<NumberedCitation> {
    split(text)
        .into_iter()
        .filter_map(|segment| match segment {
            Segment::Cite { citation, .. } => Some(citation),
            Segment::Text(_) => None,
        })
        .enumerate()
        .map(|(i, citation)| NumberedCitation {
            number: i + 1,
            citation,
        })
        .collect()
}

fn format_with(files: Vec<BibliographyFile>, style: StyleChoice, text: &str) -> FormatReply {
    format(&FormatRequest {
        bibliographies: files,
        style,
        citations: citations_of(text),
        locale: None,
        every_entry: false,
    })
}

fn freeze_file() -> Vec<BibliographyFile> {
    vec![BibliographyFile {
        name: "references.bib".into(),
        text: FREEZE_BIB.into(),
    }]
}

fn format_seed(style: &str, text: &str) -> FormatReply {
    format_with(freeze_file(), StyleChoice::Bundled(style.into()), text)
}

#[test]
fn the_seed_citation_in_the_four_bundled_styles() {
    let expected = [
        (
            "apa",
            "(Freeze, 2009, p. 410)",
            "Freeze, G. L. (Ed.). (2009). Russia: A History (3rd ed.). Oxford University Press.",
        ),
        (
            "mla",
            "(Freeze 410)",
            "Freeze, Gregory L., editor. Russia: A History. 3rd ed., Oxford University Press, 2009.",
        ),
        (
            "chicago-author-date",
            "(Freeze 2009, 410)",
            "Freeze, Gregory L., ed. 2009. Russia: A History. 3rd ed. Oxford University Press.",
        ),
        (
            "chicago-notes",
            "Gregory L. Freeze, ed., Russia: A History, 3rd ed. (Oxford University Press, 2009), 410.",
            "Freeze, Gregory L., ed. Russia: A History. 3rd ed. Oxford University Press, 2009.",
        ),
    ];
    for (style, citation, entry) in expected {
        let reply = format_seed(style, "[@freeze2009, p. 410]");
        assert_eq!(reply.problems, Vec::<String>::new(), "{style}");
        assert_eq!(reply.style, style);
        assert_eq!(plain(&reply.citations[0].text), citation, "{style}");
        assert_eq!(reply.entries.len(), 1);
        assert_eq!(reply.entries[0].key, "freeze2009");
        assert_eq!(plain(&reply.entries[0].text), entry, "{style}");
        assert_eq!(reply.note_style, style == "chicago-notes");
    }
}

#[test]
fn titles_keep_their_italics() {
    let reply = format_seed("apa", "[@freeze2009]");
    let italic: Vec<&str> = reply.entries[0]
        .text
        .iter()
        .filter(|span| span.italic)
        .map(|span| span.text.as_str())
        .collect();
    assert_eq!(italic, ["Russia: A History"]);
}

#[test]
fn prefix_and_suffix_sit_inside_the_brackets() {
    let reply = format_seed("apa", "[see @freeze2009, p. 410, emphasis added]");
    assert_eq!(
        plain(&reply.citations[0].text),
        "(see Freeze, 2009, p. 410, emphasis added)"
    );
}

#[test]
fn in_text_and_author_suppressed_forms() {
    let reply = format_seed("apa", "@freeze2009 [p. 33] and [-@freeze2009]");
    assert_eq!(plain(&reply.citations[0].text), "Freeze (2009, p. 33)");
    assert!(!plain(&reply.citations[1].text).contains("Freeze"));
    assert!(plain(&reply.citations[1].text).contains("2009"));
}

#[test]
fn an_unknown_key_is_reported_and_the_rest_formatted() {
    let reply = format_seed("apa", "[@freeze2010] and [@freeze2009; @nobody]");
    assert_eq!(reply.citations[0].unknown_keys, ["freeze2010"]);
    assert!(reply.citations[0].text.is_empty());
    assert_eq!(reply.citations[1].unknown_keys, ["nobody"]);
    assert_eq!(plain(&reply.citations[1].text), "(Freeze, 2009)");
}

#[test]
fn a_broken_bibliography_names_its_file_and_line_and_accuses_no_key() {
    let broken = "@book{good, title = {Fine}, date = {2001}}\n\n@book{bad,\n  title = {Unclosed\n";
    let reply = format_with(
        vec![BibliographyFile {
            name: "broken.bib".into(),
            text: broken.into(),
        }],
        StyleChoice::Bundled("apa".into()),
        "[@freeze2009]",
    );
    assert_eq!(reply.problems.len(), 1, "{:?}", reply.problems);
    assert!(
        reply.problems[0].contains("broken.bib"),
        "{:?}",
        reply.problems
    );
    assert!(reply.problems[0].contains("line "), "{:?}", reply.problems);
    assert!(reply.citations[0].unknown_keys.is_empty());
}

#[test]
fn csl_json_and_yaml_bibliographies_are_read() {
    let json = r#"[{"id": "smith2001", "type": "book", "title": "A Book",
        "author": [{"family": "Smith", "given": "Ann"}], "issued": {"date-parts": [[2001]]},
        "DOI": "10.1000/xyz"}]"#;
    let reply = format_with(
        vec![BibliographyFile {
            name: "refs.json".into(),
            text: json.into(),
        }],
        StyleChoice::Bundled("apa".into()),
        "[@smith2001, p. 3]",
    );
    assert_eq!(reply.problems, Vec::<String>::new());
    assert_eq!(plain(&reply.citations[0].text), "(Smith, 2001, p. 3)");
    assert_eq!(reply.entries[0].doi.as_deref(), Some("10.1000/xyz"));

    let yaml = "jones1999:\n  type: Book\n  title: Another Book\n  author: Jones, Bo\n  date: 1999\n  url: https://example.org/book\n";
    let reply = format_with(
        vec![BibliographyFile {
            name: "refs.yaml".into(),
            text: yaml.into(),
        }],
        StyleChoice::Bundled("mla".into()),
        "[@jones1999]",
    );
    assert_eq!(reply.problems, Vec::<String>::new());
    assert_eq!(plain(&reply.citations[0].text), "(Jones)");
    assert_eq!(
        reply.entries[0].url.as_deref(),
        Some("https://example.org/book")
    );
}

#[test]
fn an_unreadable_csl_file_falls_back_to_apa_with_a_notice() {
    let reply = format_with(
        freeze_file(),
        StyleChoice::Custom {
            name: "house.csl".into(),
            xml: "<style><not-csl".into(),
        },
        "[@freeze2009, p. 410]",
    );
    assert_eq!(reply.style, "apa");
    assert_eq!(reply.problems.len(), 1);
    assert!(reply.problems[0].contains("house.csl"));
    assert_eq!(plain(&reply.citations[0].text), "(Freeze, 2009, p. 410)");
}

#[test]
fn every_entry_lists_the_whole_bibliography_uncited() {
    let two = format!(
        "{FREEZE_BIB}\n@article{{service2010,\n  title = {{Stalin's Russia}},\n  author = {{Service, Robert}},\n  journal = {{History Today}},\n  year = {{2010}}\n}}\n"
    );
    let reply = format(&FormatRequest {
        bibliographies: vec![BibliographyFile {
            name: "refs.bib".into(),
            text: two,
        }],
        style: StyleChoice::Bundled("apa".into()),
        citations: Vec::new(),
        locale: None,
        every_entry: true,
    });
    assert!(reply.problems.is_empty(), "{:?}", reply.problems);
    let keys: Vec<&str> = reply.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains(&"service2010"));
    let service = reply
        .entries
        .iter()
        .find(|e| e.key == "service2010")
        .unwrap();
    assert!(
        plain(&service.text).contains("Service, R. (2010)"),
        "{:?}",
        plain(&service.text)
    );
    // Without the flag nothing uncited is listed, and the request's JSON (its cache key) is
    // what it was before the flag existed.
    let plain_request = FormatRequest {
        bibliographies: freeze_file(),
        style: StyleChoice::Bundled("apa".into()),
        citations: Vec::new(),
        locale: None,
        every_entry: false,
    };
    assert!(format(&plain_request).entries.is_empty());
    assert!(!serde_json::to_string(&plain_request)
        .unwrap()
        .contains("every"));
}

#[test]
fn a_bibliography_that_does_not_parse_is_named_with_its_line() {
    let reply = format(&FormatRequest {
        bibliographies: vec![BibliographyFile {
            name: "bibliography.bib".into(),
            text: "@book{ok,\n  title = {Fine},\n  year = {2001}\n}\n\n@book{broken,\n  title = {Unclosed\n".into(),
        }],
        style: StyleChoice::Bundled("apa".into()),
        citations: Vec::new(),
        locale: None,
        every_entry: true,
    });
    assert_eq!(reply.problems.len(), 1, "{:?}", reply.problems);
    assert!(
        reply.problems[0].contains("bibliography.bib"),
        "{}",
        reply.problems[0]
    );
    assert!(reply.problems[0].contains("line "), "{}", reply.problems[0]);
}
