//! The DOM shape of each content element: its tag, its attributes and any wrapper, decided
//! here in plain Rust so the mapping (and what it never emits) is tested natively.

use super::{plain_text, CellAlign, Element, Kind};

/// One element to create: `tag` with `attributes`, holding `inner` (if any) or the
/// content's children. `text` replaces the children when the element shows a fixed label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    pub tag: &'static str,
    pub attributes: Vec<(&'static str, String)>,
    pub inner: Option<Box<Shape>>,
    pub text: Option<String>,
    /// Elements that take no children (`img`, `hr`, `br`, `input`).
    pub void: bool,
}

fn shape(tag: &'static str) -> Shape {
    Shape {
        tag,
        attributes: Vec::new(),
        inner: None,
        text: None,
        void: false,
    }
}

impl Shape {
    fn with(mut self, name: &'static str, value: impl Into<String>) -> Shape {
        self.attributes.push((name, value.into()));
        self
    }

    fn around(mut self, inner: Shape) -> Shape {
        self.inner = Some(Box::new(inner));
        self
    }

    fn void(mut self) -> Shape {
        self.void = true;
        self
    }
}

/// Links written by people: the page does not vouch for them or pass on who followed them.
const USER_LINK_REL: &str = "ugc nofollow noopener noreferrer";

pub fn shape_of(element: &Element) -> Shape {
    match &element.kind {
        Kind::Paragraph => shape("p"),
        Kind::Heading { level, id } => shape(match level {
            2 => "h2",
            3 => "h3",
            4 => "h4",
            5 => "h5",
            _ => "h6",
        })
        .with("id", id.clone()),
        Kind::BlockQuote => shape("blockquote"),
        Kind::CodeBlock { language } => {
            let code = match language {
                Some(language) => shape("code").with("class", format!("language-{language}")),
                None => shape("code"),
            };
            shape("pre").with("tabindex", "0").around(code)
        }
        Kind::List { start: Some(start) } => shape("ol").with("start", start.to_string()),
        Kind::List { start: None } => shape("ul"),
        Kind::Item => shape("li"),
        Kind::TaskMarker { checked } => {
            let marker = shape("input").with("type", "checkbox").with("disabled", "");
            let marker = if *checked {
                marker.with("checked", "")
            } else {
                marker
            };
            marker.void()
        }
        Kind::Table => shape("div")
            .with("class", "table-scroll")
            .with("tabindex", "0")
            .around(shape("table")),
        Kind::TableHead => shape("thead"),
        Kind::TableBody => shape("tbody"),
        Kind::TableRow => shape("tr"),
        Kind::TableCell { header, align } => {
            let cell = if *header {
                shape("th").with("scope", "col")
            } else {
                shape("td")
            };
            // A class, not a `style` attribute: the site's CSP (`style-src 'self'`) refuses
            // those, in a built page's HTML and when the app sets them alike.
            match align {
                CellAlign::None => cell,
                CellAlign::Left => cell.with("class", "align-left"),
                CellAlign::Center => cell.with("class", "align-center"),
                CellAlign::Right => cell.with("class", "align-right"),
            }
        }
        Kind::Emphasis => shape("em"),
        Kind::Strong => shape("strong"),
        Kind::Strikethrough => shape("del"),
        Kind::Code => shape("code"),
        Kind::Link { href, title } => {
            let link = shape("a").with("href", href.clone());
            let link = if title.is_empty() {
                link
            } else {
                link.with("title", title.clone())
            };
            if href.starts_with("http") {
                link.with("rel", USER_LINK_REL).with("target", "_blank")
            } else {
                link
            }
        }
        Kind::Image { src, title } => {
            let image = shape("img")
                .with("src", src.clone())
                .with("alt", plain_text(&element.children))
                .with("loading", "lazy");
            let image = if title.is_empty() {
                image
            } else {
                image.with("title", title.clone())
            };
            image.void()
        }
        Kind::Plain => shape("span"),
        Kind::Rule => shape("hr").void(),
        Kind::LineBreak => shape("br").void(),
        Kind::FootnoteReference { number, id } => {
            let mut link = shape("a")
                .with("id", id.clone())
                .with("href", format!("#fn-{number}"))
                .with("aria-label", format!("Footnote {number}"));
            link.text = Some(number.to_string());
            shape("sup").with("class", "footnote-ref").around(link)
        }
        Kind::Mention { target, .. } => shape("a")
            .with("class", "mention")
            .with("href", target.clone()),
        // The first load's plain button; the thread module mounts the popover over it.
        Kind::Citation {
            number,
            source,
            quote,
            ..
        } => {
            let anchor = shape("span")
                .with("class", "citation-anchor")
                .with("id", format!("cite-anchor-{number}"));
            let anchor = match quote {
                Some(quote) => anchor.with("data-quote", quote.clone()),
                None => anchor,
            };
            anchor.around(
                shape("button")
                    .with("type", "button")
                    .with("class", "citation")
                    .with("id", format!("cite-{number}"))
                    .with("data-source", source.clone()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{render, render_with, Node, Profile};

    fn shapes(nodes: &[Node], out: &mut Vec<Shape>) {
        for node in nodes {
            if let Node::Element(element) = node {
                let mut shape = shape_of(element);
                out.push(shape.clone());
                while let Some(inner) = shape.inner.take() {
                    out.push((*inner).clone());
                    shape = *inner;
                }
                shapes(&element.children, out);
            }
        }
    }

    fn all_shapes(markdown: &str, profile: Profile) -> Vec<Shape> {
        let mut out = Vec::new();
        shapes(&render_with(markdown, profile).blocks, &mut out);
        out
    }

    #[test]
    fn only_known_tags_and_attributes_are_emitted() {
        let everything = "# H\n\n> q\n\n```rust\nx\n```\n\n1. a\n- [x] b\n\n| a |\n|:-:|\n| b |\n\n*e* **s** ~~d~~ `c` [l](https://x.example \"t\") ![i](p.png) <b onclick=x>\n\n---\nline  \nbreak[^1]\n\n[^1]: n";
        let allowed_tags = [
            "p",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "code",
            "ol",
            "ul",
            "li",
            "input",
            "div",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "em",
            "strong",
            "del",
            "a",
            "img",
            "span",
            "hr",
            "br",
            "sup",
        ];
        let allowed_attributes = [
            "id",
            "class",
            "tabindex",
            "start",
            "type",
            "disabled",
            "checked",
            "scope",
            "href",
            "title",
            "rel",
            "target",
            "src",
            "alt",
            "loading",
            "aria-label",
        ];
        for shape in all_shapes(everything, Profile::Post) {
            assert!(allowed_tags.contains(&shape.tag), "{}", shape.tag);
            for (name, value) in &shape.attributes {
                assert!(allowed_attributes.contains(name), "{name}");
                assert!(!name.starts_with("on"));
                assert!(!value.to_ascii_lowercase().contains("javascript:"));
            }
        }
    }

    #[test]
    fn table_alignment_is_a_class_for_a_strict_csp() {
        let shapes = all_shapes("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |", Profile::Post);
        let classes: Vec<&str> = shapes
            .iter()
            .filter(|s| s.tag == "td")
            .filter_map(|s| s.attributes.iter().find(|(n, _)| *n == "class"))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(classes, ["align-left", "align-center", "align-right"]);
        assert!(shapes
            .iter()
            .all(|s| s.attributes.iter().all(|(n, _)| *n != "style")));
    }

    #[test]
    fn web_links_are_marked_as_user_content() {
        let shapes = all_shapes("[a](https://x.example) [b](#fn-1)", Profile::Comment);
        let rels: Vec<Option<&String>> = shapes
            .iter()
            .filter(|s| s.tag == "a")
            .map(|s| {
                s.attributes
                    .iter()
                    .find(|(n, _)| *n == "rel")
                    .map(|(_, v)| v)
            })
            .collect();
        assert_eq!(rels, vec![Some(&USER_LINK_REL.to_owned())]);
    }

    #[test]
    fn wrappers_and_labels() {
        let doc = render("```js\nx\n```\n\nA[^n]\n\n[^n]: note");
        let Node::Element(code) = &doc.blocks[0] else {
            panic!()
        };
        let pre = shape_of(code);
        assert_eq!(pre.tag, "pre");
        let inner = pre.inner.unwrap();
        assert_eq!(inner.tag, "code");
        assert_eq!(inner.attributes, vec![("class", "language-js".to_owned())]);
        let mut all = Vec::new();
        shapes(&doc.blocks, &mut all);
        let label = all.iter().find(|s| s.text.is_some()).unwrap();
        assert_eq!(label.text.as_deref(), Some("1"));
        assert_eq!(label.attributes[1], ("href", "#fn-1".to_owned()));
    }
}
