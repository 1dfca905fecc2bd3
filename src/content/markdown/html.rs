//! The content tree written as HTML text, for pages rendered when the site is built. Each
//! element is the one `dom::shape_of` gives the browser's view, so a static page and the app
//! draw the same markup; every text and attribute value is escaped, so no input becomes markup.

use super::dom::{shape_of, Shape};
use super::{Element, Kind, Node};
use std::fmt::Write;

/// Escapes text for an HTML text node or a double-quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A citation as a page without script shows it: its formatted label, linking to its entry in
/// the bibliography, or in a note style its number linking to its note (the app turns it into
/// the popover's button).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitationLink {
    pub label: String,
    pub href: String,
    /// In a note style, the word read before the number ("Note"): the label is then written
    /// as a superscript number after that word, visually hidden.
    pub note: Option<String>,
}

/// How citations are written: by number, the link to write, or `None` for the plain button
/// with its provisional label.
pub type Citations<'a> = &'a dyn Fn(usize) -> Option<CitationLink>;

/// Writes content nodes as HTML.
pub fn write_nodes(nodes: &[Node], citation_label: Citations) -> String {
    let mut out = String::new();
    for node in nodes {
        write_node(&mut out, node, citation_label);
    }
    out
}

fn write_node(out: &mut String, node: &Node, citation_label: Citations) {
    match node {
        Node::Text(text) => out.push_str(&escape(text)),
        Node::Element(element) => write_element(out, element, citation_label),
    }
}

fn write_element(out: &mut String, element: &Element, citations: Citations) {
    let mut shape = shape_of(element);
    let link = match element.kind {
        Kind::Citation { number, .. } => citations(number),
        _ => None,
    };
    let children = match (link, &shape.text) {
        (Some(link), _) => {
            // The button the app draws becomes a link to the reference until it does.
            if let Some(button) = shape.inner.as_deref_mut() {
                button.tag = "a";
                button.attributes.retain(|(name, _)| *name != "type");
                button.attributes.push(("href", link.href));
            }
            match &link.note {
                Some(word) => format!(
                    "<span class=\"visually-hidden\">{} </span><sup class=\"cite-label note\">{}</sup>",
                    escape(word),
                    escape(&link.label)
                ),
                None => escape(&link.label),
            }
        }
        (None, Some(text)) => escape(text),
        (None, None) => write_nodes(&element.children, citations),
    };
    write_shape(out, &shape, &children);
}

fn write_shape(out: &mut String, shape: &Shape, children: &str) {
    let _ = write!(out, "<{}", shape.tag);
    for (name, value) in &shape.attributes {
        if value.is_empty() {
            let _ = write!(out, " {name}");
        } else {
            let _ = write!(out, " {name}=\"{}\"", escape(value));
        }
    }
    out.push('>');
    if shape.void {
        return;
    }
    match &shape.inner {
        Some(inner) => write_shape(out, inner, children),
        None => out.push_str(children),
    }
    let _ = write!(out, "</{}>", shape.tag);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{render, render_with, Profile};

    fn html(markdown: &str) -> String {
        write_nodes(&render(markdown).blocks, &|_| None)
    }

    #[test]
    fn elements_and_wrappers() {
        assert_eq!(html("*a* **b**"), "<p><em>a</em> <strong>b</strong></p>");
        assert_eq!(
            html("```js\nx < y\n```"),
            "<pre tabindex=\"0\"><code class=\"language-js\">x &lt; y\n</code></pre>"
        );
        assert_eq!(html("a\n\n---"), "<p>a</p><hr>");
    }

    #[test]
    fn raw_html_and_unsafe_links_stay_text() {
        let out = html("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("href=\"javascript"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn attribute_values_are_escaped() {
        let out = write_nodes(
            &render_with("[a](https://x.example/?q=\"><b>)", Profile::Comment).blocks,
            &|_| None,
        );
        assert!(!out.contains("\"><b>"), "{out}");
    }

    #[test]
    fn citations_take_their_formatted_label() {
        let doc = render("Quoted [@freeze2009, p. 410].");
        let out = write_nodes(&doc.blocks, &|n| {
            (n == 1).then(|| CitationLink {
                label: "(Freeze, 2009, p. 410)".into(),
                href: "#ref-freeze2009".into(),
                note: None,
            })
        });
        assert!(
            out.contains("class=\"citation-anchor\" id=\"cite-anchor-1\""),
            "{out}"
        );
        assert!(
            out.contains("<a class=\"citation\" id=\"cite-1\" data-source=\"[@freeze2009, p. 410]\" href=\"#ref-freeze2009\">(Freeze, 2009, p. 410)</a>"),
            "{out}"
        );
        let plain = write_nodes(&doc.blocks, &|_| None);
        assert!(
            plain.contains("<button type=\"button\" class=\"citation\""),
            "{plain}"
        );
    }
}
