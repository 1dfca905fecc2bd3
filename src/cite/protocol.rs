//! The messages between the page and the citation worker, and the cache key of a request.
//! Formatted text travels as styled spans, never as HTML.

use super::syntax::Citation;
use serde::{Deserialize, Serialize};

/// The bundled styles a post's `csl:` may name, with the label the style picker shows.
pub const BUNDLED_STYLES: [(&str, &str); 4] = [
    ("apa", "APA 7"),
    ("mla", "MLA 9"),
    ("chicago-author-date", "Chicago (author-date)"),
    ("chicago-notes", "Chicago (notes)"),
];

/// The style used when a post names none, or when a custom style cannot be read.
pub const DEFAULT_STYLE: &str = "apa";

/// One bibliography file's text, with the name it is reported by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BibliographyFile {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StyleChoice {
    /// One of `BUNDLED_STYLES` by name.
    Bundled(String),
    /// A `.csl` file next to the post.
    Custom { name: String, xml: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedCitation {
    pub number: usize,
    pub citation: Citation,
}

/// Everything the worker needs to format a post's citations and bibliography.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatRequest {
    pub bibliographies: Vec<BibliographyFile>,
    pub style: StyleChoice,
    pub citations: Vec<NumberedCitation>,
    /// The page's language (`en`, `ru`): the CSL locale of terms such as "p." and "edited by",
    /// and the bibliography's heading. English when absent.
    #[serde(default)]
    pub locale: Option<String>,
    /// The bibliography lists every entry of the files, cited or not (the post editor offers
    /// them as citation keys). Left out of the JSON when false, so existing cache keys hold.
    #[serde(default, skip_serializing_if = "is_false")]
    pub every_entry: bool,
}

/// A run of formatted text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub italic: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub small_caps: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub superscript: bool,
    /// An http(s) address the span links to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// The plain text of some spans.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(|span| span.text.as_str()).collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormattedCitation {
    pub number: usize,
    /// The in-text citation (or, in a note style, the note's text); empty when none of its
    /// keys is in the bibliography.
    pub text: Vec<Span>,
    /// Keys the bibliography does not hold (shown as `?key`).
    pub unknown_keys: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormattedEntry {
    pub key: String,
    pub text: Vec<Span>,
    pub doi: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatReply {
    /// The style actually used (APA when a custom style failed).
    pub style: String,
    /// Citations are notes (Chicago notes): the post shows note numbers.
    pub note_style: bool,
    /// "References", "Works Cited" or "Bibliography".
    pub bibliography_title: String,
    pub citations: Vec<FormattedCitation>,
    /// The bibliography in the style's order.
    pub entries: Vec<FormattedEntry>,
    /// Problems for the reader, each naming its file and, where known, its line.
    pub problems: Vec<String>,
}

impl FormatReply {
    /// Each citation's label as plain text, by number: what a page shows before the popover
    /// is drawn (a note style's number; `?key` for each key the bibliography lacks).
    pub fn labels(&self) -> Vec<(usize, String)> {
        self.citations
            .iter()
            .map(|citation| {
                let mut label = if citation.text.is_empty() {
                    String::new()
                } else if self.note_style {
                    citation.number.to_string()
                } else {
                    plain(&citation.text)
                };
                for key in &citation.unknown_keys {
                    if !label.is_empty() {
                        label.push(' ');
                    }
                    label.push('?');
                    label.push_str(key);
                }
                (citation.number, label)
            })
            .collect()
    }
}

/// The bibliography entry's fragment id. Keys may hold characters an id must not.
pub fn entry_id(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("ref-{safe}")
}

/// The id of a note style's note for citation `number`, at the end of the post.
pub fn note_id(number: usize) -> String {
    format!("cite-note-{number}")
}

/// The formatter's revision: raised whenever the same request formats differently (a fix
/// in `cite::format`), so a reader's cached result from an older build is not shown.
/// 2: nested `<names>` in a substitute inherit their parent's options (Chicago editors).
pub const FORMAT_REVISION: u32 = 2;

/// A key that changes whenever anything the formatted result depends on changes: the
/// formatter's revision, the bibliography texts, the style and the citations (FNV-1a, 64
/// bits, over the request's JSON).
pub fn cache_key(request: &FormatRequest) -> String {
    let json = serde_json::to_string(request).unwrap_or_default();
    crate::content::fingerprint(&format!("{FORMAT_REVISION}\n{json}"))
}
