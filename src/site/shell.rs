//! What every built page shares with the app's own `index.html`: the tags of its head that a
//! page without the app needs (character set, viewport, colour scheme, icon, stylesheet and
//! the theme script), read from the release build so their hashed names stay right.

/// The head tags a static page keeps, as the build wrote them.
pub struct Shell {
    pub head: String,
}

/// Where the parts of a built `index.html` are. A minified build leaves out the optional
/// `<html>`, `<head>` and `<body>` tags, so the parts are found by what the elements are.
pub struct Layout<'a> {
    /// Where the head's first element starts (a `<meta>` put here comes before any script).
    pub head_start: usize,
    pub head_elements: Vec<&'a str>,
    /// Where the body's content starts.
    pub body_start: usize,
}

const HEAD_TAGS: [&str; 6] = ["meta", "title", "link", "script", "style", "base"];

/// The name of the tag at the start of `text` (`<name …` or `</name …`), lower-cased.
fn tag_name(text: &str) -> String {
    text.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The length of the element at the start of `text`: the tag, or for `script`, `title` and
/// `style` the tag through its end tag.
fn element_len(text: &str, name: &str) -> usize {
    if ["script", "title", "style"].contains(&name) {
        let close = format!("</{name}");
        if let Some(at) = text.to_ascii_lowercase().find(&close) {
            return at + text[at..].find('>').map_or(text.len() - at, |end| end + 1);
        }
    }
    text.find('>').map_or(text.len(), |end| end + 1)
}

pub fn layout(html: &str) -> Layout<'_> {
    let mut at = 0;
    let mut head_start = None;
    let mut head_elements = Vec::new();
    loop {
        let rest = &html[at..];
        let skipped = rest.len() - rest.trim_start().len();
        at += skipped;
        let rest = &html[at..];
        let name = tag_name(rest);
        if rest.starts_with("<!") || (rest.starts_with('<') && name == "html") {
            at += rest.find('>').map_or(rest.len(), |end| end + 1);
        } else if rest.starts_with("<head") && name == "head" {
            at += rest.find('>').map_or(rest.len(), |end| end + 1);
            head_start = Some(at);
        } else if rest.starts_with("</head") {
            at += rest.find('>').map_or(rest.len(), |end| end + 1);
        } else if rest.starts_with('<')
            && !rest.starts_with("</")
            && HEAD_TAGS.contains(&name.as_str())
        {
            head_start.get_or_insert(at);
            let len = element_len(rest, &name);
            head_elements.push(&rest[..len]);
            at += len;
        } else {
            let head_start = head_start.unwrap_or(at);
            let body_start = if rest.starts_with("<body") && name == "body" {
                at + rest.find('>').map_or(rest.len(), |end| end + 1)
            } else {
                at
            };
            return Layout {
                head_start,
                head_elements,
                body_start,
            };
        }
    }
}

/// Whether a head element belongs to the app's first load, which a built page does without.
fn is_app_only(element: &str) -> bool {
    let lower = element.to_ascii_lowercase();
    lower.starts_with("<title")
        || (lower.starts_with("<meta") && lower.contains("description"))
        || lower.contains("colloquy_app")
        || lower.contains("loader-")
        || lower.contains("route-")
        || lower.contains("colloquy:built-pages")
        || lower.contains("modulepreload")
}

impl Shell {
    pub fn from_index(index_html: &str) -> Result<Shell, String> {
        let head: String = layout(index_html)
            .head_elements
            .into_iter()
            .filter(|element| !is_app_only(element))
            .collect();
        if !head.to_ascii_lowercase().contains("stylesheet") {
            return Err("has no stylesheet link: is it the release build's index.html?".into());
        }
        Ok(Shell { head })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The shape of a minified release build's head.
    const BUILT: &str = "<!doctype html><html lang=en><head><meta charset=utf-8><meta content=\"width=device-width, initial-scale=1\" name=viewport><meta content=\"A course-blog post.\" name=description><title>Colloquy</title><script src=./theme-1a.js integrity=sha384-x></script><script src=./route-6f.js integrity=sha384-w></script><link href=./favicon-2b.svg rel=icon><link href=./main-3c.css integrity=sha384-y rel=stylesheet><link href=./colloquy_app-4d.js rel=modulepreload><link as=fetch href=./colloquy_app-4d_bg.wasm rel=preload type=application/wasm><script src=./loader-5e.js type=module integrity=sha384-z></script></head><body></body></html>";

    #[test]
    fn keeps_the_look_and_drops_the_app() {
        let shell = Shell::from_index(BUILT).unwrap();
        assert!(shell.head.contains("theme-1a.js"));
        assert!(shell.head.contains("main-3c.css"));
        assert!(shell.head.contains("favicon-2b.svg"));
        assert!(shell.head.contains("name=viewport"));
        for gone in ["colloquy_app", "loader-", "route-", "<title", "description"] {
            assert!(!shell.head.contains(gone), "{gone} in {}", shell.head);
        }
    }

    #[test]
    fn finds_head_and_body_with_or_without_their_optional_tags() {
        let minified = layout(BUILT);
        assert!(BUILT[minified.head_start..].starts_with("<meta charset"));
        assert!(BUILT[minified.body_start..].starts_with("</body>"));
        assert_eq!(minified.head_elements.len(), 11);
        let bare = "<!doctype html><html lang=en><meta charset=utf-8><title>C</title><link href=a.css rel=stylesheet><noscript><p>x</noscript>";
        let layout = layout(bare);
        assert!(bare[layout.head_start..].starts_with("<meta"));
        assert!(bare[layout.body_start..].starts_with("<noscript>"));
        assert_eq!(layout.head_elements.len(), 3);
    }

    #[test]
    fn refuses_a_page_that_is_not_the_build() {
        assert!(Shell::from_index("<html><body></body></html>").is_err());
        assert!(Shell::from_index("<html><head><title>x</title></head></html>").is_err());
    }
}
