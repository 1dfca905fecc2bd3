//! Markdown to a tree of safe view nodes: pulldown-cmark events folded into `Node`s.
//!
//! The tree has no HTML strings in it: raw HTML in the source becomes visible text, link and
//! image targets are allow-listed, and the UI turns each `Kind` into one known element. In a
//! comment, bare http(s) addresses in running text become links too (found by `linkify`).

use crate::cite::syntax::{self, Citation, Segment};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Reading speed used for the "N min read" estimate.
const WORDS_PER_MINUTE: usize = 200;

/// Which Markdown a text may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Profile {
    /// A post: CommonMark with GFM tables, footnotes, strikethrough and task lists; images.
    Post,
    /// A reader's comment: paragraphs, emphasis, code, quotes, lists and links only; a bare
    /// `http(s)://` address in its text is a link as well.
    Comment,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Text(String),
    Element(Element),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Element {
    pub kind: Kind,
    pub children: Vec<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellAlign {
    None,
    Left,
    Center,
    Right,
}

/// Every element a rendered text can contain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    Paragraph,
    /// `level` is already shifted one down, so the page title stays the only `h1`.
    Heading {
        level: u8,
        id: String,
    },
    BlockQuote,
    CodeBlock {
        language: Option<String>,
    },
    List {
        start: Option<u64>,
    },
    Item,
    TaskMarker {
        checked: bool,
    },
    Table,
    TableHead,
    TableBody,
    TableRow,
    TableCell {
        header: bool,
        align: CellAlign,
    },
    Emphasis,
    Strong,
    Strikethrough,
    Code,
    Link {
        href: String,
        title: String,
    },
    /// The image's children are its alt text.
    Image {
        src: String,
        title: String,
    },
    /// A span with no meaning of its own: what a refused link or image leaves behind.
    Plain,
    Rule,
    LineBreak,
    FootnoteReference {
        number: usize,
        id: String,
    },
    /// An `@Name` of a commenter, linked to their latest comment (`target` is `#comment-N`).
    /// Never produced by Markdown parsing, only by `model::mention::link_mentions`.
    Mention {
        name: String,
        target: String,
    },
    /// A Pandoc citation in a post (`[@key, p. 3]`), numbered in reading order from 1. Its
    /// children are the provisional label shown until the formatter has run; `quote` is the
    /// quotation it follows, if it follows one.
    Citation {
        number: usize,
        citation: Citation,
        source: String,
        quote: Option<String>,
    },
}

/// An entry of the table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Footnote {
    pub number: usize,
    pub id: String,
    /// Where the back link returns to: the first reference.
    pub reference_id: String,
    pub content: Vec<Node>,
}

/// A rendered Markdown text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub blocks: Vec<Node>,
    pub toc: Vec<TocEntry>,
    pub footnotes: Vec<Footnote>,
    pub word_count: usize,
}

impl Document {
    /// Whole minutes to read, at least one.
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(WORDS_PER_MINUTE).max(1)
    }
}

/// Renders a post body.
pub fn render(markdown: &str) -> Document {
    render_with(markdown, Profile::Post)
}

pub fn render_with(markdown: &str, profile: Profile) -> Document {
    let mut options = Options::empty();
    if profile == Profile::Post {
        options |= Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
    } else {
        options |= Options::ENABLE_STRIKETHROUGH;
    }
    let mut builder = Builder::new(profile);
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// The text of a run of nodes, as a screen reader would read it; blocks end with a newline.
pub fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    collect_text(nodes, &mut out);
    out
}

fn collect_text(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) => {
                collect_text(&element.children, out);
                if element.kind.is_block() {
                    out.push('\n');
                }
            }
        }
    }
}

impl Kind {
    /// Whether the element stands apart from its neighbours' words. Everything not listed,
    /// `Mention` included, is inline.
    fn is_block(&self) -> bool {
        matches!(
            self,
            Kind::Paragraph
                | Kind::Heading { .. }
                | Kind::BlockQuote
                | Kind::CodeBlock { .. }
                | Kind::List { .. }
                | Kind::Item
                | Kind::TableCell { .. }
                | Kind::LineBreak
        )
    }
}

/// Lower-case words joined by hyphens: a heading's fragment id.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().flat_map(char::to_lowercase));
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// The link target if it is safe to follow: http(s), mailto, or relative; else `None`.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    match scheme(url) {
        None => Some(url.to_owned()),
        Some(s) if ["http", "https", "mailto"].contains(&s.to_ascii_lowercase().as_str()) => {
            Some(url.to_owned())
        }
        Some(_) => None,
    }
}

/// An image source that is safe to load: http(s) or relative; else `None`.
fn safe_src(url: &str) -> Option<String> {
    let url = url.trim();
    match scheme(url) {
        None if !url.is_empty() => Some(url.to_owned()),
        Some(s) if ["http", "https"].contains(&s.to_ascii_lowercase().as_str()) => {
            Some(url.to_owned())
        }
        _ => None,
    }
}

/// The URL's scheme, if it has one. Control characters and spaces are ignored as browsers do.
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    (cleaned[end..].starts_with(':')).then(|| cleaned[..end].to_owned())
}

struct Open {
    kind: Kind,
    children: Vec<Node>,
    /// Set when the element is dropped at its end (a footnote definition) or flattened.
    footnote_label: Option<String>,
}

struct Builder {
    profile: Profile,
    root: Vec<Node>,
    stack: Vec<Open>,
    toc: Vec<TocEntry>,
    used_ids: HashMap<String, usize>,
    footnote_numbers: HashMap<String, usize>,
    footnote_bodies: HashMap<String, Vec<Node>>,
    table_alignments: Vec<Alignment>,
    table_cell: usize,
    in_table_head: bool,
}

impl Builder {
    fn new(profile: Profile) -> Self {
        Builder {
            profile,
            root: Vec::new(),
            stack: Vec::new(),
            toc: Vec::new(),
            used_ids: HashMap::new(),
            footnote_numbers: HashMap::new(),
            footnote_bodies: HashMap::new(),
            table_alignments: Vec::new(),
            table_cell: 0,
            in_table_head: false,
        }
    }

    fn children(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some(open) => &mut open.children,
            None => &mut self.root,
        }
    }

    fn push_text(&mut self, text: &str) {
        let children = self.children();
        if let Some(Node::Text(last)) = children.last_mut() {
            last.push_str(text);
        } else {
            children.push(Node::Text(text.to_owned()));
        }
    }

    fn push_leaf(&mut self, kind: Kind) {
        self.children().push(Node::Element(Element {
            kind,
            children: Vec::new(),
        }));
    }

    fn open(&mut self, kind: Kind) {
        self.stack.push(Open {
            kind,
            children: Vec::new(),
            footnote_label: None,
        });
    }

    fn unique_id(&mut self, base: String) -> String {
        let count = self.used_ids.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_owned())
            .or_insert(next)
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Text(text) => self.push_text(&text),
            Event::Code(code) => {
                self.children().push(Node::Element(Element {
                    kind: Kind::Code,
                    children: vec![Node::Text(code.into_string())],
                }));
            }
            // Raw HTML is shown as the text the author typed, never parsed.
            Event::Html(html) | Event::InlineHtml(html) => self.push_text(&html),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.push_text(&math),
            Event::SoftBreak => self.push_text("\n"),
            Event::HardBreak => self.push_leaf(Kind::LineBreak),
            Event::Rule => self.push_leaf(Kind::Rule),
            Event::TaskListMarker(checked) => self.push_leaf(Kind::TaskMarker { checked }),
            Event::FootnoteReference(label) => {
                let number = self.footnote_number(&label);
                let id = self.unique_id(format!("fnref-{number}"));
                self.push_leaf(Kind::FootnoteReference { number, id });
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let comment = self.profile == Profile::Comment;
        let kind = match tag {
            Tag::Paragraph | Tag::HtmlBlock | Tag::MetadataBlock(_) => Kind::Paragraph,
            Tag::Heading { .. } if comment => Kind::Paragraph,
            Tag::Heading { level, .. } => Kind::Heading {
                level: (heading_number(level) + 1).min(6),
                id: String::new(),
            },
            Tag::BlockQuote(_) => Kind::BlockQuote,
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Kind::CodeBlock {
                language: info
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
                    .filter(|l| {
                        l.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-_".contains(c))
                    }),
            },
            Tag::CodeBlock(CodeBlockKind::Indented) => Kind::CodeBlock { language: None },
            Tag::List(start) => Kind::List { start },
            Tag::Item => Kind::Item,
            Tag::FootnoteDefinition(label) => {
                self.open(Kind::Plain);
                if let Some(open) = self.stack.last_mut() {
                    open.footnote_label = Some(label.into_string());
                }
                return;
            }
            Tag::Table(alignments) => {
                self.table_alignments = alignments;
                Kind::Table
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_cell = 0;
                self.open(Kind::TableHead);
                Kind::TableRow
            }
            Tag::TableRow => {
                self.table_cell = 0;
                if !matches!(self.stack.last().map(|o| &o.kind), Some(Kind::TableBody)) {
                    self.open(Kind::TableBody);
                }
                Kind::TableRow
            }
            Tag::TableCell => {
                let align = match self.table_alignments.get(self.table_cell) {
                    Some(Alignment::Left) => CellAlign::Left,
                    Some(Alignment::Center) => CellAlign::Center,
                    Some(Alignment::Right) => CellAlign::Right,
                    _ => CellAlign::None,
                };
                self.table_cell += 1;
                Kind::TableCell {
                    header: self.in_table_head,
                    align,
                }
            }
            Tag::Emphasis => Kind::Emphasis,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strikethrough,
            Tag::Superscript | Tag::Subscript => Kind::Plain,
            Tag::Link {
                dest_url, title, ..
            } => match safe_href(&dest_url).filter(|href| !comment || scheme(href).is_some()) {
                Some(href) => Kind::Link {
                    href,
                    title: title.into_string(),
                },
                None => Kind::Plain,
            },
            Tag::Image {
                dest_url, title, ..
            } => match safe_src(&dest_url).filter(|_| !comment) {
                Some(src) => Kind::Image {
                    src,
                    title: title.into_string(),
                },
                None => Kind::Plain,
            },
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                Kind::Paragraph
            }
        };
        self.open(kind);
    }

    fn end(&mut self, end: TagEnd) {
        let Some(mut open) = self.stack.pop() else {
            return;
        };
        match end {
            TagEnd::TableHead => {
                // The header row was opened inside a `TableHead` wrapper.
                self.in_table_head = false;
                self.close(open);
                if let Some(head) = self.stack.pop() {
                    self.close(head);
                }
                return;
            }
            TagEnd::Table => {
                // A table's rows sit inside a `TableBody` wrapper that the table closes.
                if matches!(open.kind, Kind::TableBody) {
                    self.close(open);
                    open = match self.stack.pop() {
                        Some(table) => table,
                        None => return,
                    };
                }
            }
            TagEnd::FootnoteDefinition => {
                if let Some(label) = open.footnote_label.take() {
                    self.footnote_bodies.insert(label, open.children);
                }
                return;
            }
            _ => {}
        }
        if let Kind::Heading { id, .. } = &mut open.kind {
            let text = plain_text(&open.children);
            let new_id = self.unique_id(slugify(&text));
            *id = new_id.clone();
            if let Kind::Heading { level, .. } = open.kind {
                self.toc.push(TocEntry {
                    level,
                    id: new_id,
                    text,
                });
            }
        }
        self.close(open);
    }

    fn close(&mut self, mut open: Open) {
        if self.profile == Profile::Post && may_hold_citations(&open.kind) {
            open.children = split_citations(open.children);
        }
        if self.profile == Profile::Comment && may_hold_links(&open.kind) {
            open.children = link_addresses(open.children);
        }
        let node = Node::Element(Element {
            kind: open.kind,
            children: open.children,
        });
        self.children().push(node);
    }

    fn finish(mut self) -> Document {
        while let Some(open) = self.stack.pop() {
            self.close(open);
        }
        let mut next_citation = 1;
        number_citations(&mut self.root, &mut next_citation);
        let mut numbered: Vec<(String, usize)> = self.footnote_numbers.into_iter().collect();
        numbered.sort_by_key(|(_, number)| *number);
        let mut footnotes: Vec<Footnote> = numbered
            .into_iter()
            .filter_map(|(label, number)| {
                let content = self.footnote_bodies.remove(&label)?;
                Some(Footnote {
                    number,
                    id: format!("fn-{number}"),
                    reference_id: format!("fnref-{number}"),
                    content,
                })
            })
            .collect();
        for footnote in &mut footnotes {
            number_citations(&mut footnote.content, &mut next_citation);
        }
        let word_count = std::iter::once(&self.root)
            .chain(footnotes.iter().map(|f: &Footnote| &f.content))
            .map(|nodes| plain_text(nodes).split_whitespace().count())
            .sum();
        Document {
            blocks: self.root,
            toc: self.toc,
            footnotes,
            word_count,
        }
    }
}

/// Citations are read in running text, not in code, link texts or headings.
fn may_hold_citations(kind: &Kind) -> bool {
    !matches!(
        kind,
        Kind::Code
            | Kind::CodeBlock { .. }
            | Kind::Link { .. }
            | Kind::Image { .. }
            | Kind::Heading { .. }
            | Kind::Citation { .. }
    )
}

/// Bare addresses are linked in running text, not in code or in a link's own text.
fn may_hold_links(kind: &Kind) -> bool {
    !matches!(
        kind,
        Kind::Code | Kind::CodeBlock { .. } | Kind::Link { .. } | Kind::Image { .. }
    )
}

/// Splits each text child into text and links at the bare web addresses in it. Only
/// `http://` and `https://` addresses are taken (the same allow-list as a comment's written
/// links); `linkify` decides where one ends (trailing punctuation, brackets).
fn link_addresses(children: Vec<Node>) -> Vec<Node> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    let mut out = Vec::with_capacity(children.len());
    for child in children {
        let Node::Text(text) = child else {
            out.push(child);
            continue;
        };
        let mut rest = 0;
        for link in finder.links(&text) {
            let address = link.as_str();
            let web = matches!(scheme(address), Some(s) if ["http", "https"].contains(&s.to_ascii_lowercase().as_str()));
            let Some(href) = safe_href(address).filter(|_| web) else {
                continue;
            };
            if link.start() > rest {
                out.push(Node::Text(text[rest..link.start()].to_owned()));
            }
            out.push(Node::Element(Element {
                kind: Kind::Link {
                    href,
                    title: String::new(),
                },
                children: vec![Node::Text(address.to_owned())],
            }));
            rest = link.end();
        }
        if rest == 0 {
            out.push(Node::Text(text));
        } else if rest < text.len() {
            out.push(Node::Text(text[rest..].to_owned()));
        }
    }
    out
}

/// Splits each text child into text and citation elements (numbered later, in reading order).
fn split_citations(children: Vec<Node>) -> Vec<Node> {
    let mut out = Vec::with_capacity(children.len());
    for child in children {
        let Node::Text(text) = child else {
            out.push(child);
            continue;
        };
        let mut before = String::new();
        for segment in syntax::split(&text) {
            match segment {
                Segment::Text(text) => {
                    before = text.clone();
                    out.push(Node::Text(text));
                }
                Segment::Cite { citation, source } => {
                    let label = syntax::provisional_label(&citation);
                    out.push(Node::Element(Element {
                        kind: Kind::Citation {
                            number: 0,
                            citation,
                            source,
                            quote: quotation_before(&before),
                        },
                        children: vec![Node::Text(label)],
                    }));
                    before.clear();
                }
            }
        }
    }
    out
}

fn number_citations(nodes: &mut [Node], next: &mut usize) {
    for node in nodes {
        if let Node::Element(element) = node {
            if let Kind::Citation { number, .. } = &mut element.kind {
                *number = *next;
                *next += 1;
            }
            number_citations(&mut element.children, next);
        }
    }
}

/// The quotation that `text` ends with (`… writes, “Within days … elite.” `), if any.
fn quotation_before(text: &str) -> Option<String> {
    const QUOTE_MARKS: [char; 5] = ['"', '“', '”', '«', '»'];
    let text = text.trim_end();
    let closing = text
        .chars()
        .next_back()
        .filter(|c| QUOTE_MARKS.contains(c))?;
    let inner = &text[..text.len() - closing.len_utf8()];
    let open = inner.rfind(QUOTE_MARKS)?;
    let open_len = inner[open..].chars().next().map_or(1, char::len_utf8);
    let quote = inner[open + open_len..].trim();
    (quote.split_whitespace().count() >= 2).then(|| quote.to_owned())
}

/// Every citation of a document in reading order (body, then footnotes).
pub fn citations(document: &Document) -> Vec<(usize, Citation)> {
    fn walk(nodes: &[Node], out: &mut Vec<(usize, Citation)>) {
        for node in nodes {
            if let Node::Element(element) = node {
                if let Kind::Citation {
                    number, citation, ..
                } = &element.kind
                {
                    out.push((*number, citation.clone()));
                }
                walk(&element.children, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&document.blocks, &mut out);
    for footnote in &document.footnotes {
        walk(&footnote.content, &mut out);
    }
    out
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub mod dom;
pub mod html;

#[cfg(test)]
mod tests;
