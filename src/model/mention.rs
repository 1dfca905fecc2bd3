//! `@Name` mentions of a post's commenters: finding them in text, linking them in a rendered
//! comment, and the composer's autocomplete.
//!
//! Only names of people who commented on the post are mentions, so `@` followed by anything else
//! (an email address, a handle on another site) stays plain text.

use crate::content::markdown::{Element, Kind, Node};
use std::collections::HashMap;
use std::ops::Range;

/// How far back from the cursor the autocomplete looks for the `@` (the longest allowed name).
const MAX_PARTIAL_CHARS: usize = super::compose::MAX_NAME_CHARS;

/// One mention found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentionMatch {
    /// Byte range of the `@` and the name as typed.
    pub range: Range<usize>,
    /// The name as given in the list of known names.
    pub name: String,
}

/// What the composer can offer while the cursor is in an `@partial` token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestions {
    /// The text typed after the `@`, up to the cursor.
    pub partial: String,
    /// Char range to replace with the chosen `@Name`: from the `@` to the end of the word at
    /// the cursor.
    pub replace: Range<usize>,
    /// Matching known names: those starting with the partial first, then those with a later
    /// word starting with it; alphabetical within each group.
    pub names: Vec<String>,
}

/// The mentions of known names in `text`, in order. At each `@` the longest matching name wins
/// (case-insensitive; any whitespace matches a space); it must end at a word boundary, and the
/// `@` must not follow a letter, digit or one of `_ . + - @ /` (as in `a@b.com`).
pub fn find_mentions<S: AsRef<str>>(text: &str, names: &[S]) -> Vec<MentionMatch> {
    let names = known_names(names);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find('@') {
        let at = from + offset;
        let after = at + 1;
        from = after;
        if !text[..at]
            .chars()
            .next_back()
            .is_none_or(may_precede_mention)
        {
            continue;
        }
        let rest = &text[after..];
        let hit = names.iter().find_map(|name| {
            let len = typed_length(rest, name)?;
            let ends_word = !rest[len..].chars().next().is_some_and(is_word_char);
            ends_word.then_some((len, name))
        });
        if let Some((len, name)) = hit {
            found.push(MentionMatch {
                range: at..after + len,
                name: (*name).to_owned(),
            });
            from = after + len;
        }
    }
    found
}

/// Replaces each mention in the text of `nodes` with a `Kind::Mention` element linking to
/// `targets[name]`, whose keys are the known names. Text inside code, links, images and existing
/// mentions is left alone.
pub fn link_mentions(nodes: Vec<Node>, targets: &HashMap<String, String>) -> Vec<Node> {
    let names: Vec<&str> = targets.keys().map(String::as_str).collect();
    link_in(nodes, &names, targets)
}

fn link_in(nodes: Vec<Node>, names: &[&str], targets: &HashMap<String, String>) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        match node {
            Node::Text(text) => split_text(text, names, targets, &mut out),
            Node::Element(element) if keeps_text_as_is(&element.kind) => {
                out.push(Node::Element(element))
            }
            Node::Element(Element { kind, children }) => out.push(Node::Element(Element {
                kind,
                children: link_in(children, names, targets),
            })),
        }
    }
    out
}

fn keeps_text_as_is(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Code
            | Kind::CodeBlock { .. }
            | Kind::Link { .. }
            | Kind::Image { .. }
            | Kind::Mention { .. }
    )
}

fn split_text(
    text: String,
    names: &[&str],
    targets: &HashMap<String, String>,
    out: &mut Vec<Node>,
) {
    let mentions = find_mentions(&text, names);
    if mentions.is_empty() {
        out.push(Node::Text(text));
        return;
    }
    let mut done = 0;
    for MentionMatch { range, name } in mentions {
        let Some(target) = targets.get(&name) else {
            continue;
        };
        if range.start > done {
            out.push(Node::Text(text[done..range.start].to_owned()));
        }
        out.push(Node::Element(Element {
            kind: Kind::Mention {
                name,
                target: target.clone(),
            },
            children: vec![Node::Text(text[range.clone()].to_owned())],
        }));
        done = range.end;
    }
    if done < text.len() {
        out.push(Node::Text(text[done..].to_owned()));
    }
}

/// The autocomplete for a cursor at char index `cursor` of `text`: `None` unless the cursor is
/// in an `@partial` token. A partial with a space in it only counts while some name matches it,
/// since names can have spaces but the writer may also have moved on.
pub fn suggest<S: AsRef<str>>(text: &str, cursor: usize, names: &[S]) -> Option<Suggestions> {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    let lower_bound = cursor.saturating_sub(MAX_PARTIAL_CHARS + 1);
    let at = (lower_bound..cursor)
        .rev()
        .take_while(|&i| chars[i] != '\n')
        .find(|&i| chars[i] == '@')?;
    if at > 0 && !may_precede_mention(chars[at - 1]) {
        return None;
    }
    let partial: String = chars[at + 1..cursor].iter().collect();
    if partial.starts_with(char::is_whitespace) {
        return None;
    }
    let wanted = partial.to_lowercase();
    let mut ranked: Vec<(u8, String, &str)> = known_names(names)
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let rank = if lower.starts_with(&wanted) {
                0
            } else if lower
                .split_whitespace()
                .skip(1)
                .any(|word| word.starts_with(&wanted))
            {
                1
            } else {
                return None;
            };
            Some((rank, lower, name))
        })
        .collect();
    if ranked.is_empty() && partial.contains(char::is_whitespace) {
        return None;
    }
    super::order::sort(&mut ranked);
    let end = cursor
        + chars[cursor..]
            .iter()
            .take_while(|&&c| is_word_char(c))
            .count();
    Some(Suggestions {
        partial,
        replace: at..end,
        names: ranked
            .into_iter()
            .map(|(_, _, name)| name.to_owned())
            .collect(),
    })
}

/// Trimmed, non-empty, one per case-insensitive spelling, longest first.
fn known_names<S: AsRef<str>>(names: &[S]) -> Vec<&str> {
    let mut known: Vec<&str> = names
        .iter()
        .map(|n| n.as_ref().trim())
        .filter(|n| !n.is_empty())
        .collect();
    super::order::sort_by(&mut known, |a, b| {
        b.chars()
            .count()
            .cmp(&a.chars().count())
            .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
            .then_with(|| a.cmp(b))
    });
    known.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
    known
}

/// The byte length of `name` as typed at the start of `text`, if it is there.
fn typed_length(text: &str, name: &str) -> Option<usize> {
    let mut typed = text.char_indices();
    for wanted in name.chars() {
        let (_, got) = typed.next()?;
        let same = if wanted.is_whitespace() {
            got.is_whitespace()
        } else {
            got == wanted || got.to_lowercase().eq(wanted.to_lowercase())
        };
        if !same {
            return None;
        }
    }
    Some(typed.next().map_or(text.len(), |(i, _)| i))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn may_precede_mention(c: char) -> bool {
    !(is_word_char(c) || "_.+-@/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{plain_text, render_with, Profile};

    const NAMES: [&str; 4] = ["Parker Nguyen", "Parker", "Maya Chen", "Мария Иванова"];

    fn found(text: &str) -> Vec<(&str, String)> {
        find_mentions(text, &NAMES)
            .into_iter()
            .map(|m| (&text[m.range], m.name))
            .collect()
    }

    #[test]
    fn a_known_name_after_an_at_is_a_mention() {
        assert_eq!(
            found("Thanks @Maya Chen, good point."),
            [("@Maya Chen", "Maya Chen".to_owned())]
        );
    }

    #[test]
    fn the_longest_known_name_wins() {
        assert_eq!(
            found("@Parker Nguyen agrees with @Parker."),
            [
                ("@Parker Nguyen", "Parker Nguyen".to_owned()),
                ("@Parker", "Parker".to_owned())
            ]
        );
    }

    #[test]
    fn a_longer_name_that_does_not_end_a_word_falls_back_to_a_shorter_one() {
        assert_eq!(found("@Parker Nguyenx"), [("@Parker", "Parker".to_owned())]);
    }

    #[test]
    fn case_and_spacing_may_differ() {
        assert_eq!(
            found("@maya chen and @MAYA\u{a0}CHEN and @maya\nchen"),
            [
                ("@maya chen", "Maya Chen".to_owned()),
                ("@MAYA\u{a0}CHEN", "Maya Chen".to_owned()),
                ("@maya\nchen", "Maya Chen".to_owned())
            ]
        );
        assert_eq!(
            found("(@мария иванова)"),
            [("@мария иванова", "Мария Иванова".to_owned())]
        );
    }

    #[test]
    fn a_name_must_end_at_a_word_boundary() {
        assert!(found("@Maya Chenoweth").is_empty());
        assert!(found("@Maya Chen_x").is_empty());
        assert_eq!(found("@Maya Chen's").len(), 1);
        assert_eq!(found("@Maya Chen.").len(), 1);
    }

    #[test]
    fn email_addresses_and_urls_are_not_mentions() {
        for text in [
            "mail parker@maya.com",
            "x.@Parker",
            "https://site.example/@Parker",
            "a+@Parker",
            "@@Parker",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
        assert!(found("@Nobody here").is_empty());
        assert!(found("@").is_empty());
        assert!(found("").is_empty());
    }

    #[test]
    fn byte_ranges_are_right_after_multibyte_text() {
        let text = "Привет, @Parker!";
        let mentions = find_mentions(text, &NAMES);
        assert_eq!(&text[mentions[0].range.clone()], "@Parker");
    }

    #[test]
    fn empty_and_padded_names_are_ignored_or_trimmed() {
        let names = ["", "  ", " Bo "];
        let mentions = find_mentions("@Bo hi", &names);
        assert_eq!(mentions.len(), 1);
        assert_eq!(mentions[0].name, "Bo");
    }

    fn targets() -> HashMap<String, String> {
        HashMap::from([
            ("Parker Nguyen".to_owned(), "#comment-1".to_owned()),
            ("Maya Chen".to_owned(), "#comment-2.1".to_owned()),
        ])
    }

    fn mention(name: &str, target: &str, typed: &str) -> Node {
        Node::Element(Element {
            kind: Kind::Mention {
                name: name.into(),
                target: target.into(),
            },
            children: vec![Node::Text(typed.into())],
        })
    }

    fn linked(markdown: &str) -> Vec<Node> {
        link_mentions(render_with(markdown, Profile::Comment).blocks, &targets())
    }

    #[test]
    fn mentions_in_text_become_links_to_the_latest_comment() {
        let blocks = linked("I agree with @maya chen and @Parker Nguyen.");
        let Node::Element(paragraph) = &blocks[0] else {
            panic!("{blocks:?}");
        };
        assert_eq!(
            paragraph.children,
            vec![
                Node::Text("I agree with ".into()),
                mention("Maya Chen", "#comment-2.1", "@maya chen"),
                Node::Text(" and ".into()),
                mention("Parker Nguyen", "#comment-1", "@Parker Nguyen"),
                Node::Text(".".into()),
            ]
        );
    }

    #[test]
    fn the_text_read_aloud_is_unchanged() {
        let markdown = "*@Maya Chen*, see @Parker Nguyen.\n\n> @Maya Chen said";
        let before = plain_text(&render_with(markdown, Profile::Comment).blocks);
        assert_eq!(plain_text(&linked(markdown)), before);
    }

    #[test]
    fn mentions_inside_emphasis_and_quotes_are_linked() {
        let blocks = linked("> *@Maya Chen*");
        let text = format!("{blocks:?}");
        assert!(text.contains("Mention"), "{text}");
    }

    #[test]
    fn mentions_in_code_and_links_are_left_alone() {
        for markdown in [
            "`@Maya Chen`",
            "```\n@Maya Chen\n```",
            "    @Maya Chen",
            "[@Maya Chen](https://example.com)",
        ] {
            let blocks = linked(markdown);
            assert_eq!(
                blocks,
                render_with(markdown, Profile::Comment).blocks,
                "{markdown}"
            );
        }
    }

    #[test]
    fn existing_mentions_are_not_linked_again() {
        let once = linked("@Maya Chen");
        assert_eq!(link_mentions(once.clone(), &targets()), once);
    }

    #[test]
    fn without_known_names_nothing_changes() {
        let blocks = render_with("@Maya Chen", Profile::Comment).blocks;
        assert_eq!(link_mentions(blocks.clone(), &HashMap::new()), blocks);
    }

    fn names_suggested(text: &str, cursor: usize) -> Option<(String, Vec<String>)> {
        suggest(text, cursor, &NAMES).map(|s| (s.partial, s.names))
    }

    #[test]
    fn a_partial_suggests_names_starting_with_it_first() {
        let names = ["Parker Nguyen", "Maya Chen", "Nora Park", "parveen"];
        let s = suggest("Hi @par", 7, &names).unwrap();
        assert_eq!(s.partial, "par");
        assert_eq!(s.names, ["Parker Nguyen", "parveen", "Nora Park"]);
        assert_eq!(s.replace, 3..7);
    }

    #[test]
    fn the_cursor_may_be_inside_the_word() {
        let s = suggest("@Maya and", 3, &NAMES).unwrap();
        assert_eq!(s.partial, "Ma");
        assert_eq!(s.names, ["Maya Chen"]);
        assert_eq!(s.replace, 0..5);
    }

    #[test]
    fn an_empty_partial_offers_every_name() {
        let (partial, names) = names_suggested("Thanks @", 8).unwrap();
        assert_eq!(partial, "");
        assert_eq!(names.len(), NAMES.len());
    }

    #[test]
    fn a_partial_may_contain_a_space_while_it_matches() {
        let text = "@Parker Ng";
        let (partial, names) = names_suggested(text, text.chars().count()).unwrap();
        assert_eq!(partial, "Parker Ng");
        assert_eq!(names, ["Parker Nguyen"]);
        assert_eq!(names_suggested("@Parker said hi", 15), None);
    }

    #[test]
    fn a_partial_without_matches_still_counts_until_a_space() {
        assert_eq!(
            names_suggested("@Zed", 4),
            Some(("Zed".to_owned(), Vec::new()))
        );
    }

    #[test]
    fn the_cursor_outside_a_token_suggests_nothing() {
        assert_eq!(names_suggested("no at sign", 5), None);
        assert_eq!(names_suggested("mail a@b", 8), None);
        assert_eq!(names_suggested("@Maya\nnext", 10), None);
        assert_eq!(names_suggested("@ Maya", 6), None);
        assert_eq!(names_suggested("@Maya", 0), None);
    }

    #[test]
    fn cursor_positions_count_chars_and_are_clamped() {
        let text = "Мария @мар";
        let s = suggest(text, 10, &NAMES).unwrap();
        assert_eq!(s.names, ["Мария Иванова"]);
        assert_eq!(suggest(text, 999, &NAMES).unwrap().partial, "мар");
    }

    #[test]
    fn an_at_too_far_back_is_not_a_token() {
        let text = format!("@{}", "a".repeat(200));
        assert_eq!(suggest(&text, 201, &NAMES), None);
    }
}
