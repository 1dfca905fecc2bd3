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
                .replace(" [@freeze2009, p. 410]", "")
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
