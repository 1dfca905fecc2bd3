use super::*;

fn element(kind: Kind, children: Vec<Node>) -> Node {
    Node::Element(Element { kind, children })
}

fn text(s: &str) -> Node {
    Node::Text(s.to_owned())
}

#[test]
fn paragraphs_and_emphasis_become_nodes() {
    let doc = render("Hello *big* **bold** ~~old~~ `code` world.\n\nSecond.");
    assert_eq!(
        doc.blocks,
        vec![
            element(
                Kind::Paragraph,
                vec![
                    text("Hello "),
                    element(Kind::Emphasis, vec![text("big")]),
                    text(" "),
                    element(Kind::Strong, vec![text("bold")]),
                    text(" "),
                    element(Kind::Strikethrough, vec![text("old")]),
                    text(" "),
                    element(Kind::Code, vec![text("code")]),
                    text(" world."),
                ]
            ),
            element(Kind::Paragraph, vec![text("Second.")]),
        ]
    );
    assert_eq!(doc.word_count, 7);
    assert_eq!(doc.reading_minutes(), 1);
}

#[test]
fn headings_shift_down_and_fill_the_table_of_contents() {
    let doc = render("# Before Stalin\n\ntext\n\n## After: 1953\n\n# Before Stalin");
    let ids: Vec<_> = doc.toc.iter().map(|t| (t.level, t.id.as_str())).collect();
    assert_eq!(
        ids,
        vec![
            (2, "before-stalin"),
            (3, "after-1953"),
            (2, "before-stalin-2")
        ]
    );
    assert_eq!(doc.toc[1].text, "After: 1953");
    assert!(matches!(
        &doc.blocks[0],
        Node::Element(Element { kind: Kind::Heading { level: 2, id }, .. }) if id == "before-stalin"
    ));
}

#[test]
fn raw_html_is_text_never_markup() {
    let doc = render("<script>alert(1)</script>\n\nA <b onclick=x>tag</b>.");
    let all = plain_text(&doc.blocks);
    assert!(all.contains("<script>alert(1)</script>"), "{all}");
    assert!(all.contains("<b onclick=x>"), "{all}");
}

#[test]
fn unsafe_links_and_images_lose_their_target() {
    let doc = render(
        "[a](javascript:alert(1)) [b](&#x20;JAVASCRIPT:x) [c](https://ok.example) [d](#fn) [e](data:text/html,x) ![f](data:image/png;base64,AA) ![g](pic.png)",
    );
    let Node::Element(p) = &doc.blocks[0] else {
        panic!()
    };
    let kinds: Vec<&Kind> = p
        .children
        .iter()
        .filter_map(|n| match n {
            Node::Element(e) => Some(&e.kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            &Kind::Plain,
            &Kind::Plain,
            &Kind::Link {
                href: "https://ok.example".into(),
                title: String::new()
            },
            &Kind::Link {
                href: "#fn".into(),
                title: String::new()
            },
            &Kind::Plain,
            &Kind::Plain,
            &Kind::Image {
                src: "pic.png".into(),
                title: String::new()
            },
        ]
    );
    assert_eq!(plain_text(&doc.blocks), "a b c d e f g\n");
}

#[test]
fn footnotes_are_numbered_by_first_reference() {
    let doc = render(
        "One[^b] two[^a] again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n[^unused]: Never cited.",
    );
    assert_eq!(doc.footnotes.len(), 2);
    assert_eq!(doc.footnotes[0].number, 1);
    assert_eq!(plain_text(&doc.footnotes[0].content).trim(), "Note B.");
    assert_eq!(doc.footnotes[1].id, "fn-2");
    assert_eq!(doc.footnotes[1].reference_id, "fnref-2");
    let Node::Element(p) = &doc.blocks[0] else {
        panic!()
    };
    let refs: Vec<_> = p
        .children
        .iter()
        .filter_map(|n| match n {
            Node::Element(Element {
                kind: Kind::FootnoteReference { number, id },
                ..
            }) => Some((*number, id.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(refs, vec![(1, "fnref-1"), (2, "fnref-2"), (1, "fnref-1-2")]);
}

#[test]
fn gfm_tables_keep_head_body_and_alignment() {
    let doc = render("| Year | Event |\n|:-----|------:|\n| 1953 | Amnesty |\n| 1956 | Speech |");
    let Node::Element(table) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(table.kind, Kind::Table);
    let sections: Vec<&Kind> = table
        .children
        .iter()
        .map(|n| match n {
            Node::Element(e) => &e.kind,
            _ => panic!("text in table"),
        })
        .collect();
    assert_eq!(sections, vec![&Kind::TableHead, &Kind::TableBody]);
    let Node::Element(body) = &table.children[1] else {
        panic!()
    };
    assert_eq!(body.children.len(), 2);
    let Node::Element(row) = &body.children[0] else {
        panic!()
    };
    assert_eq!(
        row.children[1],
        element(
            Kind::TableCell {
                header: false,
                align: CellAlign::Right
            },
            vec![text("Amnesty")]
        )
    );
}

#[test]
fn comments_get_a_smaller_markdown() {
    let doc = render_with(
        "# Loud\n\n![x](https://e.example/x.png)\n\n| a |\n|---|\n| b |\n\n> quoted",
        Profile::Comment,
    );
    let kinds: Vec<_> = doc
        .blocks
        .iter()
        .map(|n| match n {
            Node::Element(e) => e.kind.clone(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            Kind::Paragraph,
            Kind::Paragraph,
            Kind::Paragraph,
            Kind::BlockQuote
        ]
    );
    assert!(doc.toc.is_empty());
    assert!(!format!("{:?}", doc.blocks).contains("Image"));
}

#[test]
fn code_blocks_keep_text_and_a_safe_language() {
    let doc = render("```rust\nfn main() {}\n```\n\n```x\" onload=\"y\nz\n```");
    assert_eq!(
        doc.blocks[0],
        element(
            Kind::CodeBlock {
                language: Some("rust".into())
            },
            vec![text("fn main() {}\n")]
        )
    );
    assert_eq!(
        doc.blocks[1],
        element(Kind::CodeBlock { language: None }, vec![text("z\n")])
    );
}

#[test]
fn slugs_and_reading_time() {
    assert_eq!(
        slugify("Khrushchev’s “Thaw”, 1956!"),
        "khrushchev-s-thaw-1956"
    );
    assert_eq!(slugify("Свобода и ГУЛАГ"), "свобода-и-гулаг");
    assert_eq!(slugify("!!!"), "section");
    let long = "word ".repeat(401);
    assert_eq!(render(&long).reading_minutes(), 3);
}

#[test]
fn the_seed_post_renders_word_for_word() {
    let source = include_str!("../../../content/posts/the-struggle-for-freedom/index.md");
    let post = crate::content::Post::parse(source).unwrap();
    assert_eq!(post.meta.title, "The Struggle for Freedom");
    let seed = include_str!("../../../tests/fixtures/the-struggle-for-freedom.txt");
    let body: Vec<String> = post
        .document
        .blocks
        .iter()
        .map(|b| {
            plain_text(std::slice::from_ref(b))
                .trim()
                .replace(" (freeze2009, p. 410)", "")
        })
        .collect();
    let expected: Vec<&str> = seed.split("\n\n").skip(1).take(3).map(str::trim).collect();
    assert_eq!(body, expected);
}

#[test]
fn comments_link_only_to_absolute_web_and_mail_targets() {
    let doc = render_with(
        "[a](https://x.example) [b](mailto:t@x.example) [c](/admin) [d](#x) [e](javascript:x)",
        Profile::Comment,
    );
    let links = format!("{:?}", doc.blocks);
    assert!(links.contains("https://x.example") && links.contains("mailto:t@x.example"));
    assert!(
        !links.contains("/admin") && !links.contains("\"#x\"") && !links.contains("javascript")
    );
}

/// Every citation element of a run of nodes, in document order: (number, source, quote).
fn citation_elements(nodes: &[Node]) -> Vec<(usize, String, Option<String>)> {
    let mut out = Vec::new();
    for node in nodes {
        if let Node::Element(element) = node {
            if let Kind::Citation {
                number,
                source,
                quote,
                ..
            } = &element.kind
            {
                out.push((*number, source.clone(), quote.clone()));
            }
            out.extend(citation_elements(&element.children));
        }
    }
    out
}

fn citation_sources(doc: &Document) -> Vec<String> {
    citation_elements(&doc.blocks)
        .into_iter()
        .map(|(_, source, _)| source)
        .collect()
}

#[test]
fn citations_in_code_spans_and_code_blocks_stay_text() {
    let doc = render(
        "Write `[@freeze2009, p. 410]` or `@freeze2009` for a citation.\n\n```\n[@a; @b]\n@c [p. 3]\n```\n\n    [@indented]\n\nBut [@real] counts.",
    );
    assert_eq!(citation_sources(&doc), vec!["[@real]"]);
    assert_eq!(
        doc.blocks[0],
        element(
            Kind::Paragraph,
            vec![
                text("Write "),
                element(Kind::Code, vec![text("[@freeze2009, p. 410]")]),
                text(" or "),
                element(Kind::Code, vec![text("@freeze2009")]),
                text(" for a citation."),
            ]
        )
    );
    assert_eq!(
        doc.blocks[1],
        element(
            Kind::CodeBlock { language: None },
            vec![text("[@a; @b]\n@c [p. 3]\n")]
        )
    );
    assert_eq!(plain_text(&doc.blocks[2..3]), "[@indented]\n\n");
}

#[test]
fn an_email_address_stays_text() {
    let doc = render("Write to jo@example.org or jo.doe@example.org, [not jo@example.org].");
    assert!(citation_sources(&doc).is_empty());
    assert_eq!(
        doc.blocks[0],
        element(
            Kind::Paragraph,
            vec![text(
                "Write to jo@example.org or jo.doe@example.org, [not jo@example.org]."
            )]
        )
    );
}

#[test]
fn citations_are_numbered_in_reading_order_body_then_footnotes() {
    let doc = render(
        "# Heading [@not_in_headings]\n\nFirst [@a], then *@b [p. 2]*.[^n]\n\n> Quoted [-@c].\n\n- item [see @d; @e]\n\nLast @f.\n\n[^n]: A note citing [@g].",
    );
    let numbered: Vec<(usize, String)> = citation_elements(&doc.blocks)
        .into_iter()
        .chain(
            doc.footnotes
                .iter()
                .flat_map(|f| citation_elements(&f.content)),
        )
        .map(|(number, source, _)| (number, source))
        .collect();
    assert_eq!(
        numbered,
        vec![
            (1, "[@a]".to_owned()),
            (2, "@b [p. 2]".to_owned()),
            (3, "[-@c]".to_owned()),
            (4, "[see @d; @e]".to_owned()),
            (5, "@f".to_owned()),
            (6, "[@g]".to_owned()),
        ]
    );
    let listed: Vec<(usize, Vec<String>)> = citations(&doc)
        .into_iter()
        .map(|(n, c)| (n, c.items.into_iter().map(|i| i.key).collect()))
        .collect();
    assert_eq!(listed[3], (4, vec!["d".to_owned(), "e".to_owned()]));
    assert_eq!(listed.len(), 6);
    assert_eq!(listed[5].0, 6);
}

#[test]
fn the_seed_citation_quotes_freeze() {
    let source = include_str!("../../../content/posts/the-struggle-for-freedom/index.md");
    let post = crate::content::Post::parse(source).unwrap();
    let found = citation_elements(&post.document.blocks);
    assert_eq!(found.len(), 1, "{found:?}");
    let (number, source, quote) = &found[0];
    assert_eq!((*number, source.as_str()), (1, "[@freeze2009, p. 410]"));
    assert_eq!(
        quote.as_deref(),
        Some(
            "Within days of Stalin’s death, he not only spoke of the need to protect civil rights but even arranged an amnesty on 27 March that released many prisoners (too many common criminals, in Khrushchev’s view), incuding some people associated with the elite."
        )
    );
    let (_, citation) = &citations(&post.document)[0];
    assert_eq!(citation.items[0].key, "freeze2009");
    let locator = citation.items[0].locator.as_ref().unwrap();
    assert_eq!(
        (locator.label.as_str(), locator.value.as_str()),
        ("page", "410")
    );
}

#[test]
fn a_citation_quotes_only_a_quotation_right_before_it() {
    let doc = render("He wrote “a few words here” [@a]. Then “more words” came, and [@b].");
    let quotes: Vec<Option<String>> = citation_elements(&doc.blocks)
        .into_iter()
        .map(|(_, _, quote)| quote)
        .collect();
    assert_eq!(quotes, vec![Some("a few words here".to_owned()), None]);
}

/// The links of a comment's blocks, in order: (href, text).
fn links_of(nodes: &[Node]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for node in nodes {
        if let Node::Element(element) = node {
            if let Kind::Link { href, .. } = &element.kind {
                out.push((href.clone(), plain_text(&element.children)));
            }
            out.extend(links_of(&element.children));
        }
    }
    out
}

fn comment_links(markdown: &str) -> Vec<(String, String)> {
    links_of(&render_with(markdown, Profile::Comment).blocks)
}

#[test]
fn bare_web_addresses_in_a_comment_become_links() {
    let doc = render_with(
        "See https://example.com/a_b_c, and (http://x.example/Link_(film)).",
        Profile::Comment,
    );
    assert_eq!(
        doc.blocks,
        vec![element(
            Kind::Paragraph,
            vec![
                text("See "),
                element(
                    Kind::Link {
                        href: "https://example.com/a_b_c".into(),
                        title: String::new()
                    },
                    vec![text("https://example.com/a_b_c")]
                ),
                text(", and ("),
                element(
                    Kind::Link {
                        href: "http://x.example/Link_(film)".into(),
                        title: String::new()
                    },
                    vec![text("http://x.example/Link_(film)")]
                ),
                text(")."),
            ]
        )]
    );
    // In emphasis, quotes and list items as well; the text reads the same.
    assert_eq!(
        comment_links("> *read https://a.example/x*\n\n- HTTPS://B.EXAMPLE/y\n"),
        vec![
            ("https://a.example/x".into(), "https://a.example/x".into()),
            ("HTTPS://B.EXAMPLE/y".into(), "HTTPS://B.EXAMPLE/y".into())
        ]
    );
    assert_eq!(
        plain_text(&render_with("at https://a.example/x now", Profile::Comment).blocks),
        "at https://a.example/x now\n"
    );
}

#[test]
fn only_web_addresses_outside_code_and_links_are_linked() {
    // Code spans, code blocks and existing links keep their text as it is.
    assert_eq!(
        comment_links(
            "`https://code.example` and\n\n```\nhttps://block.example\n```\n\n[label https://in.example](https://to.example) <https://auto.example>"
        ),
        vec![
            ("https://to.example".into(), "label https://in.example".into()),
            ("https://auto.example".into(), "https://auto.example".into())
        ]
    );
    // Other schemes are never linked: the allow-list of written links, less mailto.
    assert_eq!(
        comment_links(
            "javascript://x.example/%0Aalert(1) ftp://f.example/a file:///etc/passwd data://x t@x.example"
        ),
        vec![]
    );
    // A post's text is left as its author wrote it.
    assert_eq!(
        links_of(&render("Bare https://post.example here.").blocks),
        vec![]
    );
}
