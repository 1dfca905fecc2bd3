//! The YAML that post front matter uses, read without a full YAML parser: a flat mapping of
//! scalars (plain, quoted, block `|` / `>`) and lists of scalars (block `- x` or flow `[x, y]`).
//!
//! Why not yaml-rust2: measured, it adds 43 KB gzip to the first load (release build, wasm-opt
//! -Oz), nearly a third of the budget. Anything outside this subset is refused with the line
//! and the feature named, never misread; a native differential test checks that every
//! document this module accepts means the same to yaml-rust2.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Text(String),
    List(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based, within the block.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn error(line: usize, message: impl Into<String>) -> YamlError {
    YamlError {
        line,
        message: message.into(),
    }
}

/// Parses a front matter block into its keys and values, in order.
pub fn parse(block: &str) -> Result<Vec<(String, Value)>, YamlError> {
    let lines: Vec<&str> = block.lines().collect();
    let mut entries: Vec<(String, Value)> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let number = index + 1;
        let line = lines[index];
        index += 1;
        if is_blank_or_comment(line) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            return Err(error(
                number,
                "unexpected indentation: nested keys are not supported",
            ));
        }
        let (key, rest) = split_key(line).ok_or_else(|| error(number, "expected `key: value`"))?;
        if entries.iter().any(|(existing, _)| *existing == key) {
            return Err(error(number, format!("the key `{key}` appears twice")));
        }
        let rest = strip_comment(rest).trim();
        let value = if rest.is_empty() {
            let items = take_indented(&lines, &mut index, true);
            block_list(&items, number)?
        } else if let Some(indicator) = rest.strip_prefix(['|', '>']) {
            let folded = rest.starts_with('>');
            let keep_trailing = match indicator {
                "" => None,
                "-" => Some(false),
                "+" => Some(true),
                _ => {
                    return Err(error(
                        number,
                        "block scalar indentation indicators are not supported",
                    ))
                }
            };
            let items = take_indented(&lines, &mut index, false);
            Value::Text(block_scalar(&items, folded, keep_trailing))
        } else if rest.starts_with('[') {
            Value::List(flow_list(rest, number)?)
        } else {
            let mut text = scalar(rest, number)?;
            // A plain scalar may continue on more-indented lines, folded with spaces.
            let continuation = take_indented(&lines, &mut index, false);
            if !continuation.is_empty() {
                if rest.starts_with(['"', '\'']) {
                    return Err(error(number + 1, "quoted text must stay on one line"));
                }
                for (_, extra) in continuation.iter().filter(|(_, l)| !l.trim().is_empty()) {
                    text.push(' ');
                    text.push_str(strip_comment(extra).trim());
                }
            }
            if is_null(rest) {
                Value::Null
            } else {
                Value::Text(text)
            }
        };
        entries.push((key, value));
    }
    Ok(entries)
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

fn is_null(raw: &str) -> bool {
    matches!(raw, "~" | "null" | "Null" | "NULL")
}

fn split_key(line: &str) -> Option<(String, &str)> {
    let colon = line
        .find(": ")
        .or_else(|| line.strip_suffix(':').map(|k| k.len()))?;
    let key = &line[..colon];
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    valid.then(|| (key.to_owned(), &line[colon + 1..]))
}

/// Removes a ` #` comment that is outside quotes.
fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        // In a double-quoted scalar, `\"` is a quote character, not the closing quote; in a
        // single-quoted one, `''` is.
        if escaped {
            escaped = false;
            previous = c;
            continue;
        }
        match (quote, c) {
            (Some('"'), '\\') => escaped = true,
            (Some('\''), '\'') if text[at + 1..].starts_with('\'') => escaped = true,
            (None, '"' | '\'') if previous == ' ' || at == 0 => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous == ' ' || previous == '\t' => return &text[..at],
            _ => {}
        }
        previous = c;
    }
    text
}

/// Takes the following lines that belong to the current key: indented ones (and, for block
/// lists, `- ` lines at column 0, which YAML also allows), with blank lines between them.
fn take_indented<'a>(lines: &[&'a str], index: &mut usize, list: bool) -> Vec<(usize, &'a str)> {
    let mut taken = Vec::new();
    let mut end = *index;
    while end < lines.len() {
        let line = lines[end];
        let belongs =
            line.starts_with([' ', '\t']) || (list && (line.starts_with("- ") || line == "-"));
        if belongs {
            end += 1;
            *index = end;
            taken.push((end, line));
        } else if line.trim().is_empty() {
            end += 1;
        } else {
            break;
        }
    }
    // Blank lines inside the run are part of it (they matter to block scalars).
    let first = taken.first().map(|(n, _)| *n);
    let last = taken.last().map(|(n, _)| *n);
    match (first, last) {
        (Some(first), Some(last)) => (first..=last).map(|n| (n, lines[n - 1])).collect(),
        _ => Vec::new(),
    }
}

fn block_list(items: &[(usize, &str)], key_line: usize) -> Result<Value, YamlError> {
    let items: Vec<&(usize, &str)> = items
        .iter()
        .filter(|(_, l)| !is_blank_or_comment(l))
        .collect();
    if items.is_empty() {
        return Ok(Value::Null);
    }
    items
        .into_iter()
        .map(|(number, line)| {
            let item = line.trim_start();
            let rest = item
                .strip_prefix("- ")
                .or_else(|| (item == "-").then_some(""))
                .ok_or_else(|| error(*number, "expected a list item `- value` under the key"))?;
            let rest = strip_comment(rest).trim();
            if rest.is_empty() || split_key(rest).is_some() && !rest.starts_with(['"', '\'']) {
                return Err(error(
                    *number,
                    "list items must be single values, not nested lists or keys",
                ));
            }
            scalar(rest, *number)
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::List)
        .map_err(|e| {
            if e.line == 0 {
                error(key_line, e.message)
            } else {
                e
            }
        })
}

fn block_scalar(items: &[(usize, &str)], folded: bool, keep_trailing: Option<bool>) -> String {
    let indent = items
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = items
        .iter()
        .map(|(_, l)| {
            if l.trim().is_empty() {
                ""
            } else {
                &l[indent..]
            }
        })
        .collect();
    let mut text = String::new();
    for (i, line) in body.iter().enumerate() {
        if i > 0 {
            let previous = body[i - 1];
            let more_indented = line.starts_with([' ', '\t']) || previous.starts_with([' ', '\t']);
            if !folded || more_indented {
                text.push('\n');
            } else if line.is_empty() {
                // In folded text a blank line is a line break.
                text.push('\n');
                continue;
            } else if !previous.is_empty() {
                text.push(' ');
            }
        }
        text.push_str(line);
    }
    let content = text.trim_end_matches('\n').to_owned();
    match keep_trailing {
        Some(false) => content,
        Some(true) => content + "\n",
        None if content.is_empty() => content,
        None => content + "\n",
    }
}

fn flow_list(text: &str, line: usize) -> Result<Vec<String>, YamlError> {
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or_else(|| error(line, "a `[` list must close with `]` on the same line"))?;
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in inner.chars() {
        match (quote, c) {
            (None, '"' | '\'') if current.trim().is_empty() => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, ',') => items.push(std::mem::take(&mut current)),
            (None, '[' | ']' | '{' | '}') => {
                return Err(error(line, "lists inside lists are not supported"))
            }
            _ => current.push(c),
        }
    }
    items.push(current);
    if items.last().is_some_and(|last| last.trim().is_empty()) {
        items.pop();
    }
    items
        .iter()
        .map(|item| match item.trim() {
            "" => Err(error(line, "a list has an empty item between commas")),
            item => scalar(item, line),
        })
        .collect()
}

/// One scalar: double-quoted (with escapes), single-quoted, or plain.
fn scalar(raw: &str, line: usize) -> Result<String, YamlError> {
    if let Some(body) = raw.strip_prefix('"') {
        let body = body
            .strip_suffix('"')
            .filter(|b| !b.ends_with('\\') || b.ends_with("\\\\"))
            .ok_or_else(|| error(line, "a \" quote is not closed"))?;
        return unescape_double(body, line);
    }
    if let Some(body) = raw.strip_prefix('\'') {
        let body = body
            .strip_suffix('\'')
            .ok_or_else(|| error(line, "a ' quote is not closed"))?;
        if body.replace("''", "").contains('\'') {
            return Err(error(line, "a ' inside single quotes must be doubled ''"));
        }
        return Ok(body.replace("''", "'"));
    }
    if let Some(first) = raw.chars().next() {
        if "&*!|>{}[]%@`".contains(first) || raw.starts_with("- ") || raw == "-" {
            return Err(error(
                line,
                format!("values starting with `{first}` use YAML features Colloquy does not read; put the value in quotes"),
            ));
        }
    }
    if raw.contains(": ") || raw.ends_with(':') {
        return Err(error(line, "a value containing `: ` must be put in quotes"));
    }
    Ok(raw.to_owned())
}

fn unescape_double(body: &str, line: usize) -> Result<String, YamlError> {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            return Err(error(
                line,
                "a \" inside double quotes must be written \\\"",
            ));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('\\') => '\\',
            Some('"') => '"',
            Some('/') => '/',
            Some('0') => '\0',
            Some(' ') => ' ',
            Some(kind @ ('x' | 'u' | 'U')) => {
                let width = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(width).collect();
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == width)
                    .and_then(char::from_u32)
                    .ok_or_else(|| error(line, format!("`\\{kind}{hex}` is not a valid escape")))?
            }
            other => {
                return Err(error(
                    line,
                    format!(
                        "`\\{}` is not an escape Colloquy reads",
                        other.unwrap_or(' ')
                    ),
                ))
            }
        };
        out.push(escaped);
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
