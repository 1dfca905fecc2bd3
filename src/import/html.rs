//! WordPress HTML (a post's content, an excerpt, a comment) to Markdown, through htmd: first
//! the text WordPress itself turns into markup when it shows a post (paragraphs from blank
//! lines, shortcodes), then the DOM with everything unsafe taken out (and counted), then
//! htmd's conversion. Images become links with their alt text: the app shows no remote
//! images. What this module must not do: write Markdown by hand, or let markup through that
//! a browser would run.

use htmd::element_handler::Handlers;
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};
use std::rc::Rc;

/// Unsafe markup taken out of what was converted, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// `<script>` elements.
    pub scripts: usize,
    /// `<iframe>`, `<frame>`, `<object>`, `<embed>`, `<applet>` elements.
    pub embeds: usize,
    /// `<style>`, `<form>` and form controls, `<base>`, `<meta>`, `<link>`.
    pub other_elements: usize,
    /// `on…` event handler attributes.
    pub handlers: usize,
    /// `javascript:`, `vbscript:` and `data:` link or image targets.
    pub script_urls: usize,
}

impl Dropped {
    pub fn total(&self) -> usize {
        self.scripts + self.embeds + self.other_elements + self.handlers + self.script_urls
    }

    pub fn add(&mut self, other: &Dropped) {
        self.scripts += other.scripts;
        self.embeds += other.embeds;
        self.other_elements += other.other_elements;
        self.handlers += other.handlers;
        self.script_urls += other.script_urls;
    }
}

/// Converts WordPress HTML to Markdown, counting into `dropped` what unsafe markup it left out.
pub fn to_markdown(html: &str, dropped: &mut Dropped) -> String {
    convert(html, dropped, false)
}

/// As `to_markdown`, for a post's body: an `@` that would start a Pandoc citation in Colloquy
/// (`@maya`, `[@key]`; not an e-mail address) gets a word joiner after it, so that it stays
/// the text WordPress showed. A comment keeps its `@Name` mentions.
pub fn post_body_to_markdown(html: &str, dropped: &mut Dropped) -> String {
    convert(html, dropped, true)
}

fn convert(html: &str, dropped: &mut Dropped, guard_citations: bool) -> String {
    let prepared = paragraphs(&strip_shortcodes(html));
    let converter = converter();
    let tree = match converter.html_to_tree(&prepared) {
        Ok(tree) => tree,
        // html5ever reads any text; an error here is an I/O error on a string, never seen.
        Err(_) => return String::new(),
    };
    sanitize(&tree, dropped);
    if guard_citations {
        guard_at_signs(&tree);
    }
    let markdown = converter.tree_to_markdown(&tree);
    tidy(&markdown)
}

/// Puts U+2060 (word joiner, invisible) after each `@` of the text outside code that follows
/// no letter, digit, `_` or `@`: where Colloquy's citation syntax would begin.
fn guard_at_signs(node: &Rc<Node>) {
    match &node.data {
        NodeData::Element { name, .. }
            if matches!(&*name.local, "code" | "pre" | "kbd" | "samp") => {}
        NodeData::Text { contents } => {
            let text = contents.borrow().to_string();
            if !text.contains('@') {
                return;
            }
            let mut out = String::with_capacity(text.len() + 8);
            let mut previous: Option<char> = None;
            for c in text.chars() {
                out.push(c);
                if c == '@'
                    && !previous.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '@')
                {
                    out.push('\u{2060}');
                }
                previous = Some(c);
            }
            *contents.borrow_mut() = out.into();
        }
        _ => {
            for child in node.children.borrow().iter() {
                guard_at_signs(child);
            }
        }
    }
}

/// Plain text from WordPress HTML (an excerpt for a summary), on one line.
pub fn to_plain_line(html: &str, dropped: &mut Dropped) -> String {
    let Ok(tree) = converter().html_to_tree(&strip_shortcodes(html)) else {
        return String::new();
    };
    sanitize(&tree, dropped);
    let mut text = String::new();
    text_of(&tree, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(node: &Rc<Node>, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        NodeData::Element { name, .. } if matches!(&*name.local, "br" | "p" | "div" | "li") => {
            out.push(' ');
            for child in node.children.borrow().iter() {
                text_of(child, out);
            }
        }
        _ => {
            for child in node.children.borrow().iter() {
                text_of(child, out);
            }
        }
    }
}

fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .add_handler(vec!["img"], image)
        .add_handler(vec!["sup"], superscript)
        .build()
}

/// An image as a link to it with its alt text (`[alt](src)`), or its alt text alone inside a
/// link or without a source.
fn image(_: &dyn Handlers, element: Element) -> Option<htmd::element_handler::HandlerResult> {
    let attr = |name: &str| {
        element
            .attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let alt = attr("alt").or_else(|| attr("title"));
    let label = escape_label(alt.as_deref().unwrap_or("image"));
    let text = match attr("src") {
        Some(src) if !inside_link(element.node) => format!("[{label}]({})", destination(&src)),
        _ => alt.map(|alt| escape_label(&alt)).unwrap_or_default(),
    };
    Some(text.into())
}

/// A superscript (a footnote mark, an ordinal) as plain text, a number in brackets.
fn superscript(
    handlers: &dyn Handlers,
    element: Element,
) -> Option<htmd::element_handler::HandlerResult> {
    let content = handlers.walk_children(element.node).content;
    let content = content.trim();
    if content.is_empty() {
        return None;
    }
    let bare = content.trim_start_matches('[').trim_end_matches(']');
    let text = if !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit()) {
        format!("\\[{bare}\\]")
    } else {
        content.to_owned()
    };
    Some(text.into())
}

fn inside_link(node: &Rc<Node>) -> bool {
    let mut parent = {
        let weak = node.parent.take();
        node.parent.set(weak.clone());
        weak.and_then(|w| w.upgrade())
    };
    while let Some(at) = parent {
        if let NodeData::Element { name, .. } = &at.data {
            if &*name.local == "a" {
                return true;
            }
        }
        parent = {
            let weak = at.parent.take();
            at.parent.set(weak.clone());
            weak.and_then(|w| w.upgrade())
        };
    }
    false
}

fn escape_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
    }
    out
}

/// A link destination Markdown reads whole: in `<…>` when it has spaces or parentheses.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace(['<', '>'], ""))
    } else {
        url.to_owned()
    }
}

/// Takes out, in place, every element and attribute that could run or load something.
fn sanitize(node: &Rc<Node>, dropped: &mut Dropped) {
    node.children
        .borrow_mut()
        .retain(|child| match &child.data {
            NodeData::Comment { .. } | NodeData::ProcessingInstruction { .. } => false,
            NodeData::Element { name, .. } => match &*name.local {
                "script" => {
                    dropped.scripts += 1;
                    false
                }
                "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" => {
                    dropped.embeds += 1;
                    false
                }
                "style" | "form" | "input" | "button" | "select" | "textarea" | "base" | "meta"
                | "link" | "template" => {
                    dropped.other_elements += 1;
                    false
                }
                // Not unsafe, but nothing to read: a title, an SVG drawing, maths markup.
                "head" | "title" | "svg" | "math" | "noscript" => false,
                _ => true,
            },
            _ => true,
        });
    if let NodeData::Element { attrs, .. } = &node.data {
        attrs.borrow_mut().retain(|attr| {
            let key = attr.name.local.to_ascii_lowercase();
            if key.starts_with("on") {
                dropped.handlers += 1;
                return false;
            }
            if matches!(
                &*key,
                "href" | "src" | "xlink:href" | "action" | "formaction"
            ) && is_script_url(&attr.value)
            {
                dropped.script_urls += 1;
                return false;
            }
            true
        });
    }
    for child in node.children.borrow().iter() {
        sanitize(child, dropped);
    }
}

/// A URL that would run script or carry inline content: `javascript:`, `vbscript:`, `data:`,
/// however a browser would still read it (case, spaces and control characters ignored).
fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// WordPress shortcodes (`[caption …]…[/caption]`, `[gallery ids="1,2"]`) taken out, their
/// content kept. Known names, or any `[name key="value"…]`, so that text in brackets stays.
fn strip_shortcodes(html: &str) -> String {
    const KNOWN: [&str; 9] = [
        "caption",
        "wp_caption",
        "gallery",
        "audio",
        "video",
        "playlist",
        "embed",
        "footnote",
        "ref",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inside = &after[..close];
        let name_part = inside.strip_prefix('/').unwrap_or(inside);
        let name: String = name_part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let after_name = &name_part[name.len()..];
        let is_shortcode = !name.is_empty()
            && !inside.contains(['[', '\n'])
            && (after_name.is_empty() || after_name.starts_with(' '))
            && (KNOWN.contains(&name.to_ascii_lowercase().as_str())
                || (after_name.contains('=') && after_name.contains('"')));
        if is_shortcode {
            // `[footnote]text[/footnote]` reads as "(text)" rather than running into the word.
            if name.eq_ignore_ascii_case("footnote") || name.eq_ignore_ascii_case("ref") {
                out.push_str(if inside.starts_with('/') { ")" } else { " (" });
            }
        } else {
            out.push('[');
            out.push_str(inside);
            out.push(']');
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// WordPress's `wpautop` in short: a blank line ends a paragraph and a single line break is a
/// `<br>`, except inside `<pre>` and around block elements.
fn paragraphs(html: &str) -> String {
    const BLOCKS: [&str; 24] = [
        "<p",
        "<div",
        "<ul",
        "<ol",
        "<li",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<table",
        "<thead",
        "<tbody",
        "<tr",
        "<td",
        "<th",
        "<blockquote",
        "<pre",
        "<hr",
        "<figure",
        "<dl",
        "<section",
        "<!--",
    ];
    let text = html.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 64);
    // `<pre>` blocks are kept apart as they are.
    let mut rest = text.as_str();
    loop {
        let (before, pre, after) = match find_ci(rest, "<pre") {
            Some(start) => {
                let end = find_ci(&rest[start..], "</pre>")
                    .map_or(rest.len(), |e| start + e + "</pre>".len());
                (&rest[..start], &rest[start..end], &rest[end..])
            }
            None => (rest, "", ""),
        };
        for chunk in before.split("\n\n") {
            let chunk = chunk.trim_matches('\n');
            if chunk.trim().is_empty() {
                continue;
            }
            let lower = chunk.trim_start().to_ascii_lowercase();
            if BLOCKS.iter().any(|tag| lower.starts_with(tag)) {
                out.push_str(chunk);
            } else {
                out.push_str("<p>");
                out.push_str(&chunk.replace('\n', "<br>"));
                out.push_str("</p>");
            }
            out.push_str("\n\n");
        }
        out.push_str(&code_inside(pre));
        if after.is_empty() {
            return out;
        }
        rest = after;
    }
}

/// A `<pre>` block without `<code>` given one, so that it becomes a code block, not a
/// paragraph.
fn code_inside(pre: &str) -> String {
    if pre.is_empty() || find_ci(pre, "<code").is_some() {
        return pre.to_owned();
    }
    let Some(open_end) = pre.find('>') else {
        return pre.to_owned();
    };
    let close = find_ci(pre, "</pre>").unwrap_or(pre.len());
    if close <= open_end {
        return pre.to_owned();
    }
    format!(
        "{}<code>{}</code>{}",
        &pre[..=open_end],
        &pre[open_end + 1..close],
        &pre[close..]
    )
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// No trailing spaces but hard breaks, no runs of blank lines, one final newline.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 1);
    let mut blank = 0;
    for line in markdown.trim().lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank = 0;
        out.push_str(line.trim_end_matches(' ').trim_end_matches('\u{a0}'));
        if line.ends_with("  ") {
            out.push_str("  ");
        }
        out.push('\n');
    }
    out
}
