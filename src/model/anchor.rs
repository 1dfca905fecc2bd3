//! W3C Web Annotation anchoring of a comment to a passage of the post: describing a selection
//! with a TextQuoteSelector and a TextPositionSelector, finding it again after the post
//! changed, and splitting overlapping highlights into segments.
//!
//! Every position is in Unicode code points (`char`s) of the post body's text.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;

/// How many code points of context `Passage::describe` keeps on each side.
pub const CONTEXT_CHARS: usize = 32;
/// The longest quotation a comment may anchor to (code points).
pub const MAX_EXACT_CHARS: usize = 2000;
/// The longest prefix or suffix accepted from other clients (code points); `describe` writes
/// at most `CONTEXT_CHARS`.
pub const MAX_CONTEXT_CHARS: usize = 64;

/// Why a stored or composed passage is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PassageProblem {
    /// Empty or only whitespace.
    QuoteEmpty,
    QuoteTooLong {
        chars: usize,
    },
    PrefixTooLong {
        chars: usize,
    },
    SuffixTooLong {
        chars: usize,
    },
    /// `start` is not before `end`.
    RangeEmpty {
        start: usize,
        end: usize,
    },
    /// `end - start` differs from the quotation's length.
    RangeMismatch {
        range: usize,
        quoted: usize,
    },
}

impl fmt::Display for PassageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PassageProblem::QuoteEmpty => write!(f, "the quoted passage is empty"),
            PassageProblem::QuoteTooLong { chars } => write!(
                f,
                "the quoted passage is {chars} characters, longer than the limit of {MAX_EXACT_CHARS}"
            ),
            PassageProblem::PrefixTooLong { chars } => write!(
                f,
                "the text before the passage is {chars} characters; the limit is {MAX_CONTEXT_CHARS}"
            ),
            PassageProblem::SuffixTooLong { chars } => write!(
                f,
                "the text after the passage is {chars} characters; the limit is {MAX_CONTEXT_CHARS}"
            ),
            PassageProblem::RangeEmpty { start, end } => write!(
                f,
                "the passage's position {start}..{end} does not start before it ends"
            ),
            PassageProblem::RangeMismatch { range, quoted } => write!(
                f,
                "the passage's position spans {range} characters but the quotation has {quoted}"
            ),
        }
    }
}

/// A passage of the post: the quoted text with its context (TextQuoteSelector) and where it
/// was when described (TextPositionSelector, code points, `start..end`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Passage {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: usize,
    pub end: usize,
}

impl Passage {
    /// Describes the selection [start, end) (code points) of `text`: the exact text and up to
    /// CONTEXT_CHARS (32) code points of prefix and suffix. None if empty/out of range/only
    /// whitespace, or longer than `MAX_EXACT_CHARS` (which `check` would refuse).
    pub fn describe(text: &str, start: usize, end: usize) -> Option<Passage> {
        let chars: Vec<char> = text.chars().collect();
        if start >= end || end > chars.len() || end - start > MAX_EXACT_CHARS {
            return None;
        }
        let exact = &chars[start..end];
        if exact.iter().all(|c| c.is_whitespace()) {
            return None;
        }
        let prefix = &chars[start.saturating_sub(CONTEXT_CHARS)..start];
        let suffix = &chars[end..(end + CONTEXT_CHARS).min(chars.len())];
        Some(Passage {
            exact: exact.iter().collect(),
            prefix: prefix.iter().collect(),
            suffix: suffix.iter().collect(),
            start,
            end,
        })
    }

    /// Every rule the passage breaks: a quotation that is not blank, of at most
    /// `MAX_EXACT_CHARS`; context of at most `MAX_CONTEXT_CHARS` each side; and a position
    /// range as long as the quotation, unless the position is absent (0..0, see `Deserialize`).
    pub fn check(&self) -> Result<(), Vec<PassageProblem>> {
        let mut problems = Vec::new();
        let quoted = self.exact.chars().count();
        if self.exact.trim().is_empty() {
            problems.push(PassageProblem::QuoteEmpty);
        } else if quoted > MAX_EXACT_CHARS {
            problems.push(PassageProblem::QuoteTooLong { chars: quoted });
        }
        let prefix = self.prefix.chars().count();
        if prefix > MAX_CONTEXT_CHARS {
            problems.push(PassageProblem::PrefixTooLong { chars: prefix });
        }
        let suffix = self.suffix.chars().count();
        if suffix > MAX_CONTEXT_CHARS {
            problems.push(PassageProblem::SuffixTooLong { chars: suffix });
        }
        let position_absent = self.start == 0 && self.end == 0;
        if position_absent {
            // Nothing to compare: a quote-only target.
        } else if self.start >= self.end {
            problems.push(PassageProblem::RangeEmpty {
                start: self.start,
                end: self.end,
            });
        } else if self.end - self.start != quoted && !self.exact.trim().is_empty() {
            problems.push(PassageProblem::RangeMismatch {
                range: self.end - self.start,
                quoted,
            });
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Where the passage is in `text` now (code points), or None when it can no longer be found (orphaned).
///
/// In order: the old position if it still holds the quotation; else the occurrence of the
/// quotation whose surroundings agree most with the prefix and suffix (nearest to the old
/// position on ties); else a span between the context found again near its old place (or
/// anywhere, for a full prefix or suffix) that is still similar to the quotation (see
/// `fuzzy_match`); else an occurrence that agrees with none of the context; else None.
pub fn locate(text: &str, passage: &Passage) -> Option<(usize, usize)> {
    let text: Vec<char> = text.chars().collect();
    let exact: Vec<char> = passage.exact.chars().collect();
    if exact.is_empty() {
        return None;
    }
    if text.get(passage.start..passage.end) == Some(&exact[..]) {
        return Some((passage.start, passage.end));
    }
    let context = Context {
        prefix: passage.prefix.chars().collect(),
        suffix: passage.suffix.chars().collect(),
    };
    let quoted = best_occurrence(&text, &exact, &context, passage.start);
    if let Some((at, agreement)) = quoted {
        if agreement > 0 || context.is_empty() {
            return Some((at, at + exact.len()));
        }
    }
    fuzzy_match(&text, &exact, &context, passage.start)
        .or(quoted.map(|(at, _)| (at, at + exact.len())))
}

/// The shortest tail of the prefix (head of the suffix) trusted to mark the passage's edge.
const MIN_ANCHOR_CHARS: usize = 4;
/// A full prefix or suffix at least this long is searched for in the whole text, so an anchor
/// survives long insertions before it; shorter context only near the old position.
const MIN_GLOBAL_ANCHOR_CHARS: usize = 8;
/// How far (code points) beyond the old position, besides twice the quotation's length, the
/// context may have moved to be searched for by its tails and heads.
const WINDOW_CHARS: usize = 2000;
/// How many candidate spans are compared with the quotation, nearest first.
const MAX_CANDIDATES: usize = 16;

struct Context {
    prefix: Vec<char>,
    suffix: Vec<char>,
}

impl Context {
    fn is_empty(&self) -> bool {
        self.prefix.is_empty() && self.suffix.is_empty()
    }

    /// How many code points before `start` and after `end` agree with the prefix and suffix.
    fn agreement(&self, text: &[char], start: usize, end: usize) -> usize {
        let before = text[..start]
            .iter()
            .rev()
            .zip(self.prefix.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let after = text[end..]
            .iter()
            .zip(&self.suffix)
            .take_while(|(a, b)| a == b)
            .count();
        before + after
    }
}

/// The occurrence of `exact` whose surroundings agree most with the context, nearest to
/// `near` on ties, with its agreement.
fn best_occurrence(
    text: &[char],
    exact: &[char],
    context: &Context,
    near: usize,
) -> Option<(usize, usize)> {
    occurrences(text, exact, 0, text.len())
        .into_iter()
        .map(|at| (at, context.agreement(text, at, at + exact.len())))
        .max_by(|(a, agree_a), (b, agree_b)| {
            agree_a
                .cmp(agree_b)
                .then_with(|| b.abs_diff(near).cmp(&a.abs_diff(near)))
        })
}

/// The passage edited inside (or its context edited next to it).
///
/// Left edges are where the prefix ends (the start of the text for an empty prefix), right
/// edges where the suffix starts (the end of the text for an empty suffix). A full prefix or
/// suffix of at least `MIN_GLOBAL_ANCHOR_CHARS` is searched for in the whole text; failing
/// that, its longest tail (head) of at least `MIN_ANCHOR_CHARS` found within `WINDOW_CHARS`
/// plus twice the quotation's length of the old position. Spans between a left and a right
/// edge are candidates, and failing those a span of the quotation's length from a single edge.
///
/// The rule: a candidate is the passage when its similarity to the quotation,
/// 2 × LCS / (both lengths), is at least 0.6 (difflib's ratio over code points; 0.8 for a span
/// with one edge only). Among those, the most similar wins, then the nearest to the old start.
/// Passages longer than `MAX_EXACT_CHARS` are not searched for this way.
fn fuzzy_match(
    text: &[char],
    exact: &[char],
    context: &Context,
    near: usize,
) -> Option<(usize, usize)> {
    let n = exact.len();
    if n > MAX_EXACT_CHARS {
        return None;
    }
    let radius = WINDOW_CHARS + 2 * n;
    let window = (
        near.saturating_sub(radius),
        near.saturating_add(n)
            .saturating_add(radius)
            .min(text.len()),
    );
    let lefts = left_edges(text, &context.prefix, window);
    let mut rights = right_edges(text, &context.suffix, window);
    super::order::sort(&mut rights);
    rights.dedup();
    // Spans whose similarity could not reach 0.6 whatever they contain.
    let (min_span, max_span) = ((3 * n).div_ceil(7).max(1), 7 * n / 3 + 1);
    let mut paired: Vec<(usize, usize)> = Vec::new();
    for &left in &lefts {
        let from = rights.partition_point(|&r| r < left + min_span);
        for &right in rights[from..].iter().take_while(|&&r| r <= left + max_span) {
            paired.push((left, right));
        }
    }
    let pattern = LcsPattern::new(exact);
    let best_of = |mut spans: Vec<(usize, usize)>, tenths: usize| {
        super::order::sort_by_cached_key(&mut spans, |&(start, end)| (start.abs_diff(near), end));
        spans.dedup();
        spans
            .into_iter()
            .take(MAX_CANDIDATES)
            .filter_map(|(start, end)| {
                let lcs = pattern.lcs_len(&text[start..end]);
                // lcs / (n + m) ≥ tenths / 20, in integers.
                (20 * lcs >= tenths * (n + end - start)).then_some((
                    lcs,
                    n + end - start,
                    start,
                    end,
                ))
            })
            .max_by(|a, b| {
                // a.0 / a.1 against b.0 / b.1, then the nearer start.
                (a.0 * b.1)
                    .cmp(&(b.0 * a.1))
                    .then_with(|| b.2.abs_diff(near).cmp(&a.2.abs_diff(near)))
            })
            .map(|(_, _, start, end)| (start, end))
    };
    if let Some(found) = best_of(paired, 6) {
        return Some(found);
    }
    let single: Vec<(usize, usize)> = lefts
        .iter()
        .map(|&left| (left, (left + n).min(text.len())))
        .chain(rights.iter().map(|&right| (right.saturating_sub(n), right)))
        .filter(|(start, end)| start < end)
        .collect();
    best_of(single, 8)
}

/// Where the passage may start: after the prefix, or after its longest tail found.
fn left_edges(text: &[char], prefix: &[char], window: (usize, usize)) -> Vec<usize> {
    if prefix.is_empty() {
        return vec![0];
    }
    edges(text, prefix, window, |len| &prefix[prefix.len() - len..])
        .map(|(at, len)| at + len)
        .collect()
}

/// Where the passage may end: before the suffix, or before its longest head found.
fn right_edges(text: &[char], suffix: &[char], window: (usize, usize)) -> Vec<usize> {
    if suffix.is_empty() {
        return vec![text.len()];
    }
    edges(text, suffix, window, |len| &suffix[..len])
        .map(|(at, _)| at)
        .collect()
}

/// Occurrences of the whole context (in the whole text when it is long enough, else in the
/// window), else of its longest part `part(len)` in the window, with the part's length.
fn edges<'a>(
    text: &[char],
    context: &'a [char],
    window: (usize, usize),
    part: impl Fn(usize) -> &'a [char],
) -> impl Iterator<Item = (usize, usize)> {
    let whole_range = if context.len() >= MIN_GLOBAL_ANCHOR_CHARS {
        (0, text.len())
    } else {
        window
    };
    let whole = occurrences(text, context, whole_range.0, whole_range.1);
    let found = if whole.is_empty() {
        (MIN_ANCHOR_CHARS.min(context.len())..context.len())
            .rev()
            .map(|len| (occurrences(text, part(len), window.0, window.1), len))
            .find(|(hits, _)| !hits.is_empty())
            .unwrap_or_default()
    } else {
        (whole, context.len())
    };
    let (hits, len) = found;
    hits.into_iter().map(move |at| (at, len))
}

/// Every start of `needle` in `text[from..to]`, overlapping ones included.
fn occurrences(text: &[char], needle: &[char], from: usize, to: usize) -> Vec<usize> {
    let to = to.min(text.len());
    let Some(&first) = needle.first() else {
        return Vec::new();
    };
    if from >= to || needle.len() > to - from {
        return Vec::new();
    }
    (from..=to - needle.len())
        .filter(|&at| text[at] == first && text[at..at + needle.len()] == *needle)
        .collect()
}

/// The quotation prepared for bit-parallel longest-common-subsequence lengths (Hyyrö 2004):
/// O(n/64) word operations per code point of the other text instead of O(n).
struct LcsPattern {
    len: usize,
    words: usize,
    masks: HashMap<char, Vec<u64>>,
}

impl LcsPattern {
    fn new(pattern: &[char]) -> Self {
        let words = pattern.len().div_ceil(64).max(1);
        let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
        for (i, &c) in pattern.iter().enumerate() {
            masks.entry(c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
        }
        LcsPattern {
            len: pattern.len(),
            words,
            masks,
        }
    }

    fn lcs_len(&self, other: &[char]) -> usize {
        // A zero bit i of `v` marks row i as one more step of the common subsequence.
        let mut v = vec![u64::MAX; self.words];
        for c in other {
            let Some(mask) = self.masks.get(c) else {
                continue;
            };
            let mut carry = false;
            for (word, &m) in v.iter_mut().zip(mask) {
                let u = *word & m;
                let (sum, overflow_a) = word.overflowing_add(u);
                let (sum, overflow_b) = sum.overflowing_add(u64::from(carry));
                carry = overflow_a || overflow_b;
                *word = sum | (*word & !m);
            }
        }
        (0..self.len)
            .filter(|&i| v[i / 64] & (1 << (i % 64)) == 0)
            .count()
    }
}

/// Non-overlapping segments of possibly overlapping ranges, each with the ids covering it, in order.
pub fn segments(ranges: &[(usize, usize, String)]) -> Vec<(usize, usize, Vec<String>)> {
    let mut bounds: Vec<usize> = ranges
        .iter()
        .filter(|(start, end, _)| start < end)
        .flat_map(|(start, end, _)| [*start, *end])
        .collect();
    super::order::sort(&mut bounds);
    bounds.dedup();
    let mut out: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for pair in bounds.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let ids: Vec<String> = ranges
            .iter()
            .filter(|(start, end, _)| *start <= from && to <= *end)
            .map(|(_, _, id)| id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 == from && last.2 == ids => last.1 = to,
            _ => out.push((from, to, ids)),
        }
    }
    out
}

/// The W3C form of a target: `{"selector": [quote, position]}`, in either order, the position
/// optional; other members of the target (such as `source`) are ignored.
#[derive(Serialize, Deserialize)]
#[serde(expecting = "a W3C annotation target (an object with a selector list)")]
struct TargetWire {
    selector: Vec<SelectorWire>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
enum SelectorWire {
    TextQuoteSelector {
        exact: String,
        #[serde(default)]
        prefix: String,
        #[serde(default)]
        suffix: String,
    },
    TextPositionSelector {
        start: usize,
        end: usize,
    },
}

impl Serialize for Passage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TargetWire {
            selector: vec![
                SelectorWire::TextQuoteSelector {
                    exact: self.exact.clone(),
                    prefix: self.prefix.clone(),
                    suffix: self.suffix.clone(),
                },
                SelectorWire::TextPositionSelector {
                    start: self.start,
                    end: self.end,
                },
            ],
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Passage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = TargetWire::deserialize(deserializer)?;
        let mut quote = None;
        let mut position = None;
        for selector in wire.selector {
            match selector {
                SelectorWire::TextQuoteSelector {
                    exact,
                    prefix,
                    suffix,
                } => {
                    if quote.replace((exact, prefix, suffix)).is_some() {
                        return Err(D::Error::custom(
                            "the target has more than one TextQuoteSelector",
                        ));
                    }
                }
                SelectorWire::TextPositionSelector { start, end } => {
                    if position.replace((start, end)).is_some() {
                        return Err(D::Error::custom(
                            "the target has more than one TextPositionSelector",
                        ));
                    }
                }
            }
        }
        let (exact, prefix, suffix) =
            quote.ok_or_else(|| D::Error::custom("the target has no TextQuoteSelector"))?;
        // A target from elsewhere may carry only the quote: its position is then unknown
        // (0..0), and `locate` goes by the quote and its context.
        let (start, end) = position.unwrap_or((0, 0));
        Ok(Passage {
            exact,
            prefix,
            suffix,
            start,
            end,
        })
    }
}

/// What is wrong with a passage from elsewhere (a remote store, an import), if anything: the
/// problems of `Passage::check`, joined.
pub fn problem(passage: &Passage) -> Option<String> {
    passage.check().err().map(|problems| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

// Native only: proptest does not build for wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
