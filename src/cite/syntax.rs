//! Pandoc's citation syntax in running text: `[see @a, pp. 33-35; also -@b, chap. 1]`,
//! `@key [p. 33]` and bare `@key`. Splits text into plain runs and citations, keeping each
//! citation's source so that everything that is not a citation comes back unchanged.

use serde::{Deserialize, Serialize};

/// A citation as written: one or more cited items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    /// `@key` or `@key [p. 33]` in running text (author named in the sentence), as opposed
    /// to the bracketed `[@key]`.
    pub in_text: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiteItem {
    pub key: String,
    /// Words before the key ("see").
    pub prefix: String,
    pub locator: Option<Locator>,
    /// Words after the key and locator ("emphasis added").
    pub suffix: String,
    /// `-@key`: the author is already named in the sentence.
    pub suppress_author: bool,
}

/// Where in the source: a CSL locator type (`page`, `chapter`, …) and its value (`33-35`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locator {
    pub label: String,
    pub value: String,
}

/// A run of text, or a citation with the text it was written as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Cite { citation: Citation, source: String },
}

/// Pandoc's locator terms (English, singular and plural, abbreviated and full) and the CSL
/// locator type each stands for.
const LOCATOR_TERMS: &[(&str, &str)] = &[
    ("bk.", "book"),
    ("bks.", "book"),
    ("book", "book"),
    ("books", "book"),
    ("chap.", "chapter"),
    ("chaps.", "chapter"),
    ("ch.", "chapter"),
    ("chapter", "chapter"),
    ("chapters", "chapter"),
    ("col.", "column"),
    ("cols.", "column"),
    ("column", "column"),
    ("columns", "column"),
    ("fig.", "figure"),
    ("figs.", "figure"),
    ("figure", "figure"),
    ("figures", "figure"),
    ("fol.", "folio"),
    ("fols.", "folio"),
    ("folio", "folio"),
    ("folios", "folio"),
    ("l.", "line"),
    ("ll.", "line"),
    ("line", "line"),
    ("lines", "line"),
    ("n.", "note"),
    ("nn.", "note"),
    ("note", "note"),
    ("notes", "note"),
    ("no.", "issue"),
    ("nos.", "issue"),
    ("op.", "opus"),
    ("opp.", "opus"),
    ("opus", "opus"),
    ("p.", "page"),
    ("pp.", "page"),
    ("page", "page"),
    ("pages", "page"),
    ("para.", "paragraph"),
    ("paras.", "paragraph"),
    ("paragraph", "paragraph"),
    ("paragraphs", "paragraph"),
    ("¶¶", "paragraph"),
    ("¶", "paragraph"),
    ("pt.", "part"),
    ("pts.", "part"),
    ("part", "part"),
    ("parts", "part"),
    ("sec.", "section"),
    ("secs.", "section"),
    ("section", "section"),
    ("sections", "section"),
    ("§§", "section"),
    ("§", "section"),
    ("s.v.", "sub verbo"),
    ("s.vv.", "sub verbo"),
    ("v.", "verse"),
    ("vv.", "verse"),
    ("verse", "verse"),
    ("verses", "verse"),
    ("vol.", "volume"),
    ("vols.", "volume"),
    ("volume", "volume"),
    ("volumes", "volume"),
];

/// Splits `text` into plain runs and citations. Adjacent plain runs are joined, and the
/// segments' texts and sources concatenate back to `text` exactly.
pub fn split(text: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut plain_start = 0;
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let found = if rest.starts_with('[') {
            bracketed(text, at)
        } else if rest.starts_with('@') && may_start_in_text(text, at) {
            in_text(text, at)
        } else {
            None
        };
        match found {
            Some((citation, end)) => {
                if plain_start < at {
                    segments.push(Segment::Text(text[plain_start..at].to_owned()));
                }
                segments.push(Segment::Cite {
                    citation,
                    source: text[at..end].to_owned(),
                });
                at = end;
                plain_start = end;
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_start < text.len() {
        segments.push(Segment::Text(text[plain_start..].to_owned()));
    }
    segments
}

/// An in-text `@` must not follow a word character (so `jo@example.org` stays text).
fn may_start_in_text(text: &str, at: usize) -> bool {
    !text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@')
}

/// `[…]` at `open` holding `;`-separated items, each with exactly one key.
fn bracketed(text: &str, open: usize) -> Option<(Citation, usize)> {
    let close = open + 1 + text[open + 1..].find([']', '['])?;
    if !text[close..].starts_with(']') {
        return None;
    }
    let inner = &text[open + 1..close];
    let items = inner
        .split(';')
        .map(bracketed_item)
        .collect::<Option<Vec<_>>>()?;
    Some((
        Citation {
            items,
            in_text: false,
        },
        close + 1,
    ))
}

/// `see -@key, p. 33, emphasis added`: a prefix, the key (after a space or at the start),
/// then locator and suffix.
fn bracketed_item(item: &str) -> Option<CiteItem> {
    let mut search = 0;
    let (at, suppress_author) = loop {
        let at = search + item[search..].find('@')?;
        let before = item[..at].chars().next_back();
        let suppress = before == Some('-');
        let boundary = if suppress {
            item[..at - 1].chars().next_back()
        } else {
            before
        };
        if boundary.is_none_or(char::is_whitespace) {
            break (at, suppress);
        }
        search = at + 1;
    };
    let (key, key_end) = key_at(item, at)?;
    let prefix_end = if suppress_author { at - 1 } else { at };
    let prefix = item[..prefix_end].trim().to_owned();
    let (locator, suffix) = locator_and_suffix(&item[key_end..]);
    if suffix.contains('@') && suffix.split_whitespace().any(|w| w.starts_with('@')) {
        return None;
    }
    Some(CiteItem {
        key,
        prefix,
        locator,
        suffix,
        suppress_author,
    })
}

/// `@key` at `at`, then optionally ` [locator, suffix]`.
fn in_text(text: &str, at: usize) -> Option<(Citation, usize)> {
    let (key, key_end) = key_at(text, at)?;
    let mut item = CiteItem {
        key,
        prefix: String::new(),
        locator: None,
        suffix: String::new(),
        suppress_author: false,
    };
    let mut end = key_end;
    let after = &text[key_end..];
    let bracket = after.strip_prefix(' ').unwrap_or(after);
    if bracket.starts_with('[') {
        let open = text.len() - bracket.len();
        if let Some(close) = text[open + 1..].find([']', '[']).map(|i| open + 1 + i) {
            let inner = &text[open + 1..close];
            if text[close..].starts_with(']') && !inner.contains('@') {
                let (locator, suffix) = locator_and_suffix(&format!(", {}", inner.trim()));
                item.locator = locator;
                item.suffix = suffix;
                end = close + 1;
            }
        }
    }
    Some((
        Citation {
            items: vec![item],
            in_text: true,
        },
        end,
    ))
}

/// The key after the `@` at `at`: `@{anything but braces}`, or a letter, digit or `_`
/// followed by those and single inner punctuation (`:.#$%&-+?<>~/`) between them.
fn key_at(text: &str, at: usize) -> Option<(String, usize)> {
    let body = &text[at + 1..];
    if let Some(braced) = body.strip_prefix('{') {
        let close = braced.find(['}', '{'])?;
        let key = &braced[..close];
        if key.trim().is_empty() || !braced[close..].starts_with('}') {
            return None;
        }
        return Some((key.to_owned(), at + 1 + 1 + close + 1));
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let inner = |c: char| ":.#$%&-+?<>~/".contains(c);
    let mut chars = body.char_indices().peekable();
    let mut end = match chars.next() {
        Some((_, c)) if word(c) => c.len_utf8(),
        _ => return None,
    };
    while let Some((i, c)) = chars.next() {
        if word(c) {
            end = i + c.len_utf8();
        } else if inner(c) && chars.peek().is_some_and(|&(_, next)| word(next)) {
            continue;
        } else {
            break;
        }
    }
    Some((body[..end].to_owned(), at + 1 + end))
}

/// After the key: `, p. 33, emphasis added` gives the locator `page 33` and the suffix
/// `emphasis added`; a bare number is a page, as in Pandoc; `{…}` holds a locator verbatim.
fn locator_and_suffix(after_key: &str) -> (Option<Locator>, String) {
    let Some(rest) = after_key.trim_start().strip_prefix(',') else {
        return (None, after_key.trim().to_owned());
    };
    let rest = rest.trim_start();
    let (label, value_text) = match LOCATOR_TERMS
        .iter()
        .filter(|(term, _)| starts_with_term(rest, term))
        .max_by_key(|(term, _)| term.len())
    {
        Some((term, label)) => (*label, rest[term.len()..].trim_start()),
        None if rest.starts_with(|c: char| c.is_ascii_digit()) => ("page", rest),
        None => return (None, rest.trim().to_owned()),
    };
    let (value, suffix) = locator_value(value_text);
    if value.is_empty() {
        return (None, rest.trim().to_owned());
    }
    (
        Some(Locator {
            label: label.to_owned(),
            value,
        }),
        suffix,
    )
}

/// A term matches at a word's end: `p. 3` and `page 3`, not `pages` for `page` or `pp.`
/// for `p.`.
fn starts_with_term(text: &str, term: &str) -> bool {
    let lower_matches = text
        .get(..term.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(term));
    lower_matches
        && text[term.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c.is_ascii_digit() || term.ends_with('.'))
}

/// The locator value and what follows it: `{…}` verbatim, else numbers, numerals and
/// ranges, continuing past a comma only into another number (`33, 35`).
fn locator_value(text: &str) -> (String, String) {
    if let Some(braced) = text.strip_prefix('{') {
        if let Some(close) = braced.find('}') {
            return (
                braced[..close].trim().to_owned(),
                suffix_after(&braced[close + 1..]),
            );
        }
    }
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let next_is_number = || {
            text[i + c.len_utf8()..]
                .trim_start_matches([' ', ','])
                .starts_with(|n: char| n.is_ascii_digit())
        };
        let continues = c.is_alphanumeric()
            || matches!(c, '-' | '–' | ':' | '.')
            || (c == ',' || c == ' ') && next_is_number();
        if !continues {
            break;
        }
        end = i + c.len_utf8();
    }
    let value = text[..end].trim_end_matches(['.', ':', ' ', ',']);
    (value.to_owned(), suffix_after(&text[value.len()..]))
}

fn suffix_after(text: &str) -> String {
    text.trim_start()
        .strip_prefix(',')
        .unwrap_or(text)
        .trim()
        .to_owned()
}

/// The short label shown before the formatter has run: `(freeze2009, p. 410)`, or
/// `freeze2009 (p. 410)` in running text.
pub fn provisional_label(citation: &Citation) -> String {
    let locator = |item: &CiteItem| {
        item.locator
            .as_ref()
            .map(|l| format!("{} {}", short_term(&l.label), l.value))
    };
    if citation.in_text {
        let item = &citation.items[0];
        return match locator(item) {
            Some(locator) => format!("{} ({locator})", item.key),
            None => item.key.clone(),
        };
    }
    let items: Vec<String> = citation
        .items
        .iter()
        .map(|item| {
            let mut parts = Vec::new();
            if !item.prefix.is_empty() {
                parts.push(item.prefix.clone());
            }
            parts.push(item.key.clone());
            let mut text = parts.join(" ");
            if let Some(locator) = locator(item) {
                text.push_str(", ");
                text.push_str(&locator);
            }
            text
        })
        .collect();
    format!("({})", items.join("; "))
}

/// The usual abbreviation of a CSL locator type.
pub fn short_term(label: &str) -> &str {
    match label {
        "page" => "p.",
        "chapter" => "chap.",
        "section" => "sec.",
        "paragraph" => "para.",
        "volume" => "vol.",
        "figure" => "fig.",
        "line" => "l.",
        "note" => "n.",
        "column" => "col.",
        "book" => "bk.",
        "part" => "pt.",
        "verse" => "v.",
        "folio" => "fol.",
        "issue" => "no.",
        "opus" => "op.",
        "sub verbo" => "s.v.",
        other => other,
    }
}
