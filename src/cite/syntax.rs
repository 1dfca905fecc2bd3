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
    ("number", "issue"),
    ("numbers", "issue"),
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
    ("sub verbo", "sub verbo"),
    ("sub verbis", "sub verbo"),
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
        } else if (rest.starts_with('@') || rest.starts_with("-@")) && may_start_in_text(text, at) {
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
/// then locator and suffix. A second key in the suffix makes it no item.
fn bracketed_item(item: &str) -> Option<CiteItem> {
    let mut search = 0;
    let (at, suppress_author, key, key_end) = loop {
        let at = search + item[search..].find('@')?;
        search = at + 1;
        let before = item[..at].chars().next_back();
        let suppress = before == Some('-');
        let boundary = if suppress {
            item[..at - 1].chars().next_back()
        } else {
            before
        };
        if boundary.is_none_or(char::is_whitespace) {
            if let Some((key, key_end)) = key_at(item, at) {
                break (at, suppress, key, key_end);
            }
        }
    };
    let prefix_end = if suppress_author { at - 1 } else { at };
    let prefix = item[..prefix_end].trim().to_owned();
    let (locator, suffix) = locator_and_suffix(&item[key_end..]);
    if holds_a_key(&suffix) {
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

/// Whether a word of `text` is a citation key (`@key` or `-@key`).
fn holds_a_key(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        let word = word.strip_prefix('-').unwrap_or(word);
        word.starts_with('@') && key_at(word, 0).is_some()
    })
}

/// `@key` or `-@key` at `at`, then optionally ` [locator, suffix]`. As in Pandoc, `-@key`
/// leaves the author out rather than naming them.
fn in_text(text: &str, at: usize) -> Option<(Citation, usize)> {
    let suppress_author = text[at..].starts_with('-');
    let (key, key_end) = key_at(text, at + usize::from(suppress_author))?;
    let mut item = CiteItem {
        key,
        prefix: String::new(),
        locator: None,
        suffix: String::new(),
        suppress_author,
    };
    let mut end = key_end;
    if let Some((open, close)) = brackets_after_key(text, key_end) {
        let (locator, suffix) = locator_and_suffix(&text[open + 1..close]);
        item.locator = locator;
        item.suffix = suffix;
        end = close + 1;
    }
    Some((
        Citation {
            items: vec![item],
            in_text: !suppress_author,
        },
        end,
    ))
}

/// The `[p. 33]` after an in-text key, separated from it by spaces and at most one line
/// break: its `[` and `]`. Not a link (`[…](…)`, `[…][…]`), and no keys or `;` inside.
fn brackets_after_key(text: &str, key_end: usize) -> Option<(usize, usize)> {
    let after = &text[key_end..];
    let gap = after.trim_start_matches([' ', '\t']);
    let gap = gap.strip_prefix('\n').unwrap_or(gap);
    let open = text.len() - gap.trim_start_matches([' ', '\t']).len();
    if !text[open..].starts_with('[') {
        return None;
    }
    let close = open + 1 + text[open + 1..].find([']', '['])?;
    let inner = &text[open + 1..close];
    let is_plain = text[close..].starts_with(']')
        && !inner.contains(['@', ';'])
        && !text[close + 1..].starts_with(['[', '(']);
    is_plain.then_some((open, close))
}

/// The key after the `@` at `at`: `@{anything but braces}`, or a letter, digit or `_`
/// followed by those and single inner punctuation (`:.#$%&-+?<>~/`) between them; `:` or
/// `/` may also come before a `/` (`@http://…`), as Pandoc allows.
fn key_at(text: &str, at: usize) -> Option<(String, usize)> {
    let body = &text[at + 1..];
    if let Some(braced) = body.strip_prefix('{') {
        let close = braced.find(['}', '{'])?;
        let key = braced[..close].trim();
        if key.is_empty() || !braced[close..].starts_with('}') {
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
        let next = chars.peek().map(|&(_, next)| next);
        if word(c) || (matches!(c, ':' | '/') && next == Some('/')) {
            end = i + c.len_utf8();
        } else if !(inner(c) && next.is_some_and(word)) {
            break;
        }
    }
    Some((body[..end].to_owned(), at + 1 + end))
}

/// After the key: an optional comma, then `p. 33, emphasis added` gives the locator
/// `page 33` and the suffix `emphasis added`. As in Pandoc, a bare number is a page, a
/// label needs a number or roman numeral after it, and `{…}` holds a locator verbatim.
fn locator_and_suffix(after_key: &str) -> (Option<Locator>, String) {
    let rest = after_key.trim_start();
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    let found = if rest.starts_with('{') {
        braced_locator(rest)
    } else {
        written_locator(rest)
    };
    match found {
        Some((locator, after)) => (locator, suffix_after(after)),
        None => (None, rest.trim_end().to_owned()),
    }
}

/// `{pp. iv, (xv)}`: an optional term, and the rest verbatim (a page if no term). Empty
/// braces give no locator, so what follows them is all suffix.
fn braced_locator(text: &str) -> Option<(Option<Locator>, &str)> {
    let mut depth = 0usize;
    let close = text.char_indices().find_map(|(i, c)| {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(i)
    })?;
    let inner = text[1..close].trim();
    let (label, value) = match locator_term(inner) {
        Some((term, label)) => (label, inner[term.len()..].trim()),
        None => ("page", inner),
    };
    let locator = (!value.is_empty()).then(|| Locator {
        label: label.to_owned(),
        value: value.to_owned(),
    });
    Some((locator, &text[close + 1..]))
}

/// `pp. 33-35, 38` or `33`: a term and its values, or values alone (then pages). Returns
/// the locator and the text after it, or `None` if `text` does not start with one.
fn written_locator(text: &str) -> Option<(Option<Locator>, &str)> {
    let (label, values, labelled) = match locator_term(text) {
        Some((term, label)) => (label, &text[term.len()..], true),
        None => ("page", text, false),
    };
    let end = locator_values_end(values, labelled);
    let value = values[..end].trim();
    if value.is_empty() {
        return None;
    }
    let locator = Locator {
        label: label.to_owned(),
        value: value.to_owned(),
    };
    Some((Some(locator), &values[end..]))
}

/// The longest locator term that `text` starts with, and its CSL locator type.
fn locator_term(text: &str) -> Option<(&'static str, &'static str)> {
    LOCATOR_TERMS
        .iter()
        .filter(|(term, _)| starts_with_term(text, term))
        .max_by_key(|(term, _)| term.len())
        .copied()
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

/// Where the locator's values end: words (`33-35`, `4.2`, `34(1)(a)`, `2:33`) separated by
/// spaces and at most one `,` or `;` each, as long as each has a digit, or, after a term, is
/// or holds a roman numeral (`xvii`, `vi-xi`).
fn locator_values_end(text: &str, labelled: bool) -> usize {
    let mut end = 0;
    loop {
        let mut start = end;
        if end > 0 && text[end..].starts_with([',', ';']) {
            start += 1;
        }
        start = text.len() - text[start..].trim_start().len();
        let word = &text[start..start + locator_word_len(&text[start..])];
        let counts = word.contains(|c: char| c.is_ascii_digit())
            || labelled && word.split(|c: char| !c.is_alphanumeric()).any(is_roman);
        if word.is_empty() || !counts {
            return end;
        }
        end = start + word.len();
    }
}

/// The length of the locator word `text` starts with: letters, digits, `-`, `–`, `:`, a `.`
/// between them, and balanced parentheses.
fn locator_word_len(text: &str) -> usize {
    let mut depth = 0usize;
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let continues = match c {
            '(' => {
                depth += 1;
                true
            }
            ')' if depth > 0 => {
                depth -= 1;
                true
            }
            '.' => chars
                .peek()
                .is_some_and(|&(_, next)| next.is_alphanumeric()),
            c => c.is_alphanumeric() || matches!(c, '-' | '–' | ':'),
        };
        if !continues {
            break;
        }
        if depth == 0 {
            end = i + c.len_utf8();
        }
    }
    end
}

/// A roman numeral, in either case (`xvii`, `IV`), as Pandoc accepts in locators.
fn is_roman(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    let mut rest = upper.as_str();
    if rest.is_empty() {
        return false;
    }
    let thousands = rest.len() - rest.trim_start_matches('M').len();
    if thousands > 4 {
        return false;
    }
    rest = &rest[thousands..];
    for (one, five, ten) in [('C', 'D', 'M'), ('X', 'L', 'C'), ('I', 'V', 'X')] {
        rest = without_roman_digit(rest, one, five, ten);
    }
    rest.is_empty()
}

/// `rest` after one roman digit written with `one`, `five` and `ten` (9, 4, or 5–8, or 0–3).
fn without_roman_digit(rest: &str, one: char, five: char, ten: char) -> &str {
    let mut chars = rest.chars();
    let (first, second) = (chars.next(), chars.next());
    if first == Some(one) && (second == Some(ten) || second == Some(five)) {
        return &rest[2..];
    }
    let rest = rest.strip_prefix(five).unwrap_or(rest);
    let ones = rest.len() - rest.trim_start_matches(one).len();
    &rest[ones.min(3)..]
}

fn suffix_after(text: &str) -> String {
    let text = text.trim_start();
    text.strip_prefix(',').unwrap_or(text).trim().to_owned()
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

// Native only: proptest does not build for wasm32, where the browser tests compile this crate.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
