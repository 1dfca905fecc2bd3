//! Anchoring a comment to a passage of the post, as W3C Web Annotation selectors
//! (TextQuoteSelector and TextPositionSelector), and finding the passage again after the
//! post's text has changed. Positions are Unicode code points of the post body's text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much text before and after the quote is kept to find it again.
pub const CONTEXT_CHARS: usize = 32;
/// The longest passage a comment may quote.
pub const MAX_EXACT_CHARS: usize = 2_000;
/// The least similarity (0 to 1) an edited passage must keep with its quote to be found.
const MIN_SIMILARITY: f64 = 0.6;
/// How many places of the context are tried when the quote itself was edited.
const MAX_CANDIDATES: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Passage {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: usize,
    pub end: usize,
}

impl Passage {
    /// The selection [start, end) of `text`, with its context; `None` when it is empty,
    /// only whitespace, too long or out of range.
    pub fn describe(text: &str, start: usize, end: usize) -> Option<Passage> {
        let chars: Vec<char> = text.chars().collect();
        if start >= end || end > chars.len() || end - start > MAX_EXACT_CHARS {
            return None;
        }
        let exact: String = chars[start..end].iter().collect();
        if exact.trim().is_empty() {
            return None;
        }
        Some(Passage {
            exact,
            prefix: chars[start.saturating_sub(CONTEXT_CHARS)..start]
                .iter()
                .collect(),
            suffix: chars[end..(end + CONTEXT_CHARS).min(chars.len())]
                .iter()
                .collect(),
            start,
            end,
        })
    }
}

/// Where the passage is in `text` now, or `None` when it can no longer be found (orphaned):
/// at its old position if the quote is still there; else the occurrence of the quote whose
/// context agrees best (then the nearest); else, when the quote itself was edited, the span
/// between its prefix and suffix if that span is still mostly the quote.
pub fn locate(text: &str, passage: &Passage) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let exact: Vec<char> = passage.exact.chars().collect();
    if exact.is_empty() {
        return None;
    }
    if passage.end <= chars.len()
        && passage.end >= passage.start
        && chars[passage.start..passage.end] == exact[..]
    {
        return Some((passage.start, passage.end));
    }
    let prefix: Vec<char> = passage.prefix.chars().collect();
    let suffix: Vec<char> = passage.suffix.chars().collect();
    let best_occurrence = occurrences(&chars, &exact).into_iter().max_by_key(|&at| {
        let before = common_tail(&chars[..at], &prefix);
        let after = common_head(&chars[at + exact.len()..], &suffix);
        (
            before + after,
            std::cmp::Reverse(at.abs_diff(passage.start)),
        )
    });
    if let Some(at) = best_occurrence {
        return Some((at, at + exact.len()));
    }
    edited_span(&chars, &exact, &prefix, &suffix, passage.start)
}

/// The quote was edited: look for its context and take what lies between.
fn edited_span(
    chars: &[char],
    exact: &[char],
    prefix: &[char],
    suffix: &[char],
    old_start: usize,
) -> Option<(usize, usize)> {
    // Without context on a side the passage ran to that end of the text.
    let starts: Vec<usize> = if prefix.is_empty() {
        vec![0]
    } else {
        let mut found: Vec<usize> = occurrences(chars, prefix)
            .into_iter()
            .map(|at| at + prefix.len())
            .collect();
        found.sort_by_key(|at| at.abs_diff(old_start));
        found.truncate(MAX_CANDIDATES);
        found
    };
    let longest = exact.len() * 2 + CONTEXT_CHARS;
    let mut best: Option<(f64, usize, (usize, usize))> = None;
    for start in starts {
        let window = &chars[start..(start + longest + suffix.len()).min(chars.len())];
        let end = if suffix.is_empty() {
            (start + exact.len()).min(chars.len())
        } else {
            match occurrences(window, suffix).first() {
                Some(at) => start + at,
                None => continue,
            }
        };
        // A span far shorter or longer than the quote is something else.
        if end <= start || end - start > exact.len() * 2 || (end - start) * 2 < exact.len() {
            continue;
        }
        let score = similarity(&chars[start..end], exact);
        let distance = start.abs_diff(old_start);
        let better = best.is_none_or(|(best_score, best_distance, _)| {
            score > best_score || (score == best_score && distance < best_distance)
        });
        if score >= MIN_SIMILARITY && better {
            best = Some((score, distance, (start, end)));
        }
    }
    best.map(|(_, _, span)| span)
}

/// Every position where `needle` starts in `haystack`.
fn occurrences(haystack: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return Vec::new();
    }
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .map(|(at, _)| at)
        .collect()
}

/// How many characters `text` ends with of the end of `context`.
fn common_tail(text: &[char], context: &[char]) -> usize {
    text.iter()
        .rev()
        .zip(context.iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
}

/// How many characters `text` starts with of the start of `context`.
fn common_head(text: &[char], context: &[char]) -> usize {
    text.iter().zip(context).take_while(|(a, b)| a == b).count()
}

/// 2 × longest common subsequence / total length: 1 for equal texts, 0 for nothing shared.
fn similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    2.0 * row[b.len()] as f64 / (a.len() + b.len()) as f64
}

/// The non-overlapping pieces of possibly overlapping ranges, in order, each with the ids
/// of every range that covers it.
pub fn segments(ranges: &[(usize, usize, String)]) -> Vec<(usize, usize, Vec<String>)> {
    let mut bounds: Vec<usize> = ranges
        .iter()
        .filter(|(start, end, _)| start < end)
        .flat_map(|(start, end, _)| [*start, *end])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    bounds
        .windows(2)
        .filter_map(|pair| {
            let (from, to) = (pair[0], pair[1]);
            let ids: Vec<String> = ranges
                .iter()
                .filter(|(start, end, _)| *start <= from && to <= *end)
                .map(|(_, _, id)| id.clone())
                .collect();
            (!ids.is_empty()).then_some((from, to, ids))
        })
        .collect()
}

/// A passage as it is stored: a Web Annotation target with both selectors.
#[derive(Serialize, Deserialize)]
struct Target {
    selector: Vec<Selector>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
enum Selector {
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
        Target {
            selector: vec![
                Selector::TextQuoteSelector {
                    exact: self.exact.clone(),
                    prefix: self.prefix.clone(),
                    suffix: self.suffix.clone(),
                },
                Selector::TextPositionSelector {
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
        let target = Target::deserialize(deserializer)?;
        let mut passage = None;
        let mut position = None;
        for selector in target.selector {
            match selector {
                Selector::TextQuoteSelector {
                    exact,
                    prefix,
                    suffix,
                } => passage = Some((exact, prefix, suffix)),
                Selector::TextPositionSelector { start, end } => position = Some((start, end)),
            }
        }
        let (exact, prefix, suffix) = passage
            .ok_or_else(|| serde::de::Error::custom("a target needs a TextQuoteSelector"))?;
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

/// What is wrong with a passage from elsewhere (a remote store, an import), if anything.
pub fn problem(passage: &Passage) -> Option<String> {
    let length = passage.exact.chars().count();
    if passage.exact.trim().is_empty() {
        Some("its quoted passage is empty".to_owned())
    } else if length > MAX_EXACT_CHARS {
        Some(format!(
            "its quoted passage is longer than {MAX_EXACT_CHARS} characters"
        ))
    } else if passage.prefix.chars().count() > 2 * CONTEXT_CHARS
        || passage.suffix.chars().count() > 2 * CONTEXT_CHARS
    {
        Some("its passage's context is too long".to_owned())
    } else if passage.end != 0 && passage.end - passage.start.min(passage.end) != length {
        Some("its passage's position does not match its quote".to_owned())
    } else {
        None
    }
}

// Native only: proptest does not build for wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
