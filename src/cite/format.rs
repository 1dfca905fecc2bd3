//! Formats a post's citations and bibliography with hayagriva, the CSL processor Typst uses.
//! Runs in the citation worker (and natively in tests); its output is spans, never HTML.

use super::protocol::{
    BibliographyFile, FormatReply, FormatRequest, FormattedCitation, FormattedEntry,
    NumberedCitation, Span, StyleChoice, DEFAULT_STYLE,
};
use super::syntax::{self, CiteItem, Segment};
use crate::i18n::Lang;
use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    json as csl_json, FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode,
    StyleClass, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren, Entry, Formatting, LocatorPayload, Rendered, SpecificLocator,
};
use std::collections::BTreeMap;
use std::str::FromStr;

thread_local! {
    /// CSL locale files (terms such as "p." and "edited by"), decoded once.
    static LOCALES: Vec<Locale> = archive::locales();
}

/// The bibliography's entries: hayagriva's own (from BibLaTeX or YAML), or CSL-JSON items.
/// hayagriva formats either kind, but not both in one run.
enum Library {
    Native(Vec<Entry>),
    CslJson(Vec<csl_json::Item>),
}

/// Every key in the library, in the files' order.
fn library_keys(library: &Library) -> Vec<String> {
    match library {
        Library::Native(entries) => entries.iter().map(|e| e.key().to_owned()).collect(),
        Library::CslJson(items) => items
            .iter()
            .filter_map(|item| Some(item.id()?.into_owned()))
            .collect(),
    }
}

pub fn format(request: &FormatRequest) -> FormatReply {
    let lang = request
        .locale
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::En);
    let locale = csl_locale(lang);
    let mut problems = Vec::new();
    let (style_name, mut style) = load_style(&request.style, &mut problems);
    substitute::inherit_in_substitutes(&mut style);
    let library = load_library(&request.bibliographies, &mut problems);
    let complete = problems.is_empty();
    let every_entry: Vec<NumberedCitation>;
    let cited = if request.every_entry {
        every_entry = library_keys(&library)
            .into_iter()
            .enumerate()
            .filter_map(|(index, key)| {
                let citation =
                    syntax::split(&format!("[@{key}]"))
                        .into_iter()
                        .find_map(|segment| match segment {
                            Segment::Cite { citation, .. } => Some(citation),
                            Segment::Text(_) => None,
                        })?;
                Some(NumberedCitation {
                    number: index + 1,
                    citation,
                })
            })
            .collect();
        &every_entry
    } else {
        &request.citations
    };
    let rendered = LOCALES.with(|locales| match &library {
        Library::Native(entries) => {
            let by_key: BTreeMap<&str, &Entry> = entries.iter().map(|e| (e.key(), e)).collect();
            render_native(&style, locales, locale.as_ref(), cited, |key| {
                by_key.get(key).copied()
            })
        }
        Library::CslJson(items) => {
            let by_key: BTreeMap<String, &csl_json::Item> = items
                .iter()
                .filter_map(|item| Some((item.id()?.into_owned(), item)))
                .collect();
            render_csl_json(&style, locales, locale.as_ref(), cited, |key| {
                by_key.get(key).copied()
            })
        }
    });
    let (citations, bibliography) = rendered;
    let links = |key: &str| match &library {
        Library::Native(entries) => entries
            .iter()
            .find(|e| e.key() == key)
            .map(|e| {
                (
                    e.doi().map(str::to_owned),
                    e.url_any().map(|url| url.value.to_string()),
                )
            })
            .unwrap_or_default(),
        Library::CslJson(items) => items
            .iter()
            .find(|i| i.id().as_deref() == Some(key))
            .map(|i| (json_string(i, "DOI"), json_string(i, "URL")))
            .unwrap_or_default(),
    };
    let entries = bibliography
        .into_iter()
        .map(|(key, text)| {
            let (doi, url) = links(&key);
            FormattedEntry {
                url: url.filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                doi,
                key,
                text,
            }
        })
        .collect();
    let citations = citations
        .into_iter()
        .map(|mut citation| {
            if !complete {
                // With a bibliography missing, an absent key may be in it: do not accuse it.
                citation.unknown_keys.clear();
            }
            citation
        })
        .collect();
    FormatReply {
        bibliography_title: bibliography_title(&style_name, lang).to_owned(),
        note_style: style.settings.class == StyleClass::Note,
        style: style_name,
        citations,
        entries,
        problems,
    }
}

/// Formatted citations, and the bibliography as (key, text) in the style's order.
type Rendering = (Vec<FormattedCitation>, Vec<(String, Vec<Span>)>);

/// One driver run over the post's citations for one entry type. hayagriva's entry trait is
/// sealed, so code generic over it cannot be written here: the macro writes it per type.
macro_rules! renderer {
    ($name:ident, $entry:ty) => {
        fn $name<'a>(
            style: &'a IndependentStyle,
            locales: &'a [Locale],
            locale: Option<&LocaleCode>,
            citations: &'a [NumberedCitation],
            lookup: impl Fn(&str) -> Option<&'a $entry>,
        ) -> Rendering {
            let note_style = style.settings.class == StyleClass::Note;
            let mut driver = BibliographyDriver::new();
            let mut formatted = Vec::new();
            let mut requested = Vec::new();
            for numbered in citations {
                let mut unknown_keys = Vec::new();
                let mut items = Vec::new();
                for item in &numbered.citation.items {
                    match lookup(&item.key) {
                        Some(entry) => items.push(CitationItem::new(
                            entry,
                            locator(item),
                            None,
                            false,
                            purpose(item, numbered.citation.in_text),
                        )),
                        None => unknown_keys.push(item.key.clone()),
                    }
                }
                if !items.is_empty() {
                    requested.push(formatted.len());
                    driver.citation(CitationRequest::new(
                        items,
                        style,
                        locale.cloned(),
                        locales,
                        note_style.then_some(numbered.number),
                    ));
                }
                formatted.push(FormattedCitation {
                    number: numbered.number,
                    text: Vec::new(),
                    unknown_keys,
                });
            }
            let rendered: Rendered =
                driver.finish(BibliographyRequest::new(style, locale.cloned(), locales));
            for (index, citation) in requested.into_iter().zip(rendered.citations) {
                let source = &citations[index].citation;
                formatted[index].text =
                    with_affixes(spans(&citation.citation), source.items.as_slice());
            }
            let bibliography = rendered
                .bibliography
                .map(|bibliography| {
                    bibliography
                        .items
                        .into_iter()
                        .map(|item| (item.key, spans(&item.content)))
                        .collect()
                })
                .unwrap_or_default();
            (formatted, bibliography)
        }
    };
}

renderer!(render_native, Entry);
renderer!(render_csl_json, csl_json::Item);

fn locator(item: &CiteItem) -> Option<SpecificLocator<'_>> {
    let locator = item.locator.as_ref()?;
    let kind = Locator::from_str(&locator.label).unwrap_or(Locator::Page);
    Some(SpecificLocator(kind, LocatorPayload::Str(&locator.value)))
}

/// `@key` names the author in the sentence; `-@key` leaves the author out.
fn purpose(item: &CiteItem, in_text: bool) -> Option<CitePurpose> {
    if item.suppress_author {
        Some(CitePurpose::Year)
    } else if in_text {
        Some(CitePurpose::Prose)
    } else {
        None
    }
}

/// Puts the first item's prefix ("see") and the last item's suffix inside the citation's
/// brackets, as Pandoc does. (hayagriva has no affixes of its own.)
fn with_affixes(mut text: Vec<Span>, items: &[CiteItem]) -> Vec<Span> {
    let prefix = items.first().map(|i| i.prefix.as_str()).unwrap_or_default();
    let suffix = items.last().map(|i| i.suffix.as_str()).unwrap_or_default();
    if !prefix.is_empty() {
        let opening = text
            .first()
            .is_some_and(|span| span.text.starts_with(['(', '[']));
        if opening {
            let first = &mut text[0];
            first.text.insert_str(1, &format!("{prefix} "));
        } else {
            text.insert(0, plain_span(format!("{prefix} ")));
        }
    }
    if !suffix.is_empty() {
        let closing = text
            .last()
            .is_some_and(|span| span.text.ends_with([')', ']']));
        if closing {
            let last = text.last_mut().expect("checked above");
            let at = last.text.len() - 1;
            last.text.insert_str(at, &format!(", {suffix}"));
        } else {
            text.push(plain_span(format!(", {suffix}")));
        }
    }
    text
}

fn plain_span(text: String) -> Span {
    Span {
        text,
        ..Span::default()
    }
}

/// hayagriva's element tree flattened to spans that keep italics, bold, small caps,
/// superscript and links; adjacent spans styled alike are merged.
fn spans(children: &ElemChildren) -> Vec<Span> {
    let mut out = Vec::new();
    collect(children, &mut out);
    out
}

fn collect(children: &ElemChildren, out: &mut Vec<Span>) {
    for child in &children.0 {
        match child {
            ElemChild::Text(text) => push(out, &text.text, text.formatting, None),
            ElemChild::Elem(elem) => collect(&elem.children, out),
            ElemChild::Markup(text) => push(out, text, Formatting::default(), None),
            ElemChild::Link { text, url } => {
                let link = (url.starts_with("https://") || url.starts_with("http://"))
                    .then(|| url.clone());
                push(out, &text.text, text.formatting, link);
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn push(out: &mut Vec<Span>, text: &str, formatting: Formatting, link: Option<String>) {
    let span = Span {
        text: text.to_owned(),
        italic: formatting.font_style == FontStyle::Italic,
        bold: formatting.font_weight == FontWeight::Bold,
        small_caps: formatting.font_variant == FontVariant::SmallCaps,
        superscript: formatting.vertical_align == VerticalAlign::Sup,
        link,
    };
    match out.last_mut() {
        Some(last)
            if Span {
                text: String::new(),
                ..last.clone()
            } == Span {
                text: String::new(),
                ..span.clone()
            } =>
        {
            last.text.push_str(&span.text)
        }
        _ => out.push(span),
    }
}

fn json_string(item: &csl_json::Item, field: &str) -> Option<String> {
    match item.0.get(field)? {
        csl_json::Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

fn bibliography_title(style: &str, lang: Lang) -> &'static str {
    let words = lang.thread();
    match style {
        "mla" => words.works_cited,
        "chicago-author-date" | "chicago-notes" => words.bibliography,
        _ => words.references,
    }
}

/// The CSL locale of a UI language; English is CSL's own default.
fn csl_locale(lang: Lang) -> Option<LocaleCode> {
    match lang {
        Lang::En => None,
        Lang::Ru => Some(LocaleCode("ru-RU".to_owned())),
    }
}

/// The style the post asked for, or APA with a problem noted when it cannot be used.
fn load_style(choice: &StyleChoice, problems: &mut Vec<String>) -> (String, IndependentStyle) {
    let bundled = |name: &str| {
        ArchivedStyle::by_name(name).and_then(|style| match style.get() {
            hayagriva::citationberg::Style::Independent(style) => Some(style),
            hayagriva::citationberg::Style::Dependent(_) => None,
        })
    };
    let fallback = || {
        (
            DEFAULT_STYLE.to_owned(),
            bundled(DEFAULT_STYLE).expect("APA is bundled with hayagriva"),
        )
    };
    match choice {
        StyleChoice::Bundled(name) => match bundled(name) {
            Some(style) => (name.clone(), style),
            None => {
                problems.push(format!(
                    "The citation style \"{name}\" is not one Colloquy knows; showing APA."
                ));
                fallback()
            }
        },
        StyleChoice::Custom { name, xml } => match IndependentStyle::from_xml(xml) {
            Ok(style) => (name.clone(), style),
            Err(error) => {
                problems.push(format!(
                    "{name} is not a citation style Colloquy can read ({error}); showing APA."
                ));
                fallback()
            }
        },
    }
}

/// Parses every bibliography file by its extension; a file that fails is reported with its
/// line and left out, and the others are still used.
fn load_library(files: &[BibliographyFile], problems: &mut Vec<String>) -> Library {
    let mut native = Vec::new();
    let mut json = Vec::new();
    for file in files {
        let extension = file
            .name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "bib" | "bibtex" => match hayagriva::io::from_biblatex_str(&file.text) {
                Ok(library) => native.extend(library.iter().cloned()),
                Err(errors) => {
                    let first = errors.first().map(|error| {
                        let (span, message) = match error {
                            hayagriva::io::BibLaTeXError::Parse(e) => {
                                (e.span.clone(), e.kind.to_string())
                            }
                            hayagriva::io::BibLaTeXError::Type(e) => {
                                (e.span.clone(), e.kind.to_string())
                            }
                        };
                        format!("line {}: {message}", line_of(&file.text, span.start))
                    });
                    problems.push(format!(
                        "The bibliography {} could not be read ({}).",
                        file.name,
                        first.unwrap_or_else(|| "unknown error".to_owned())
                    ));
                }
            },
            "yaml" | "yml" => match hayagriva::io::from_yaml_str(&file.text) {
                Ok(library) => native.extend(library.iter().cloned()),
                Err(error) => problems.push(format!(
                    "The bibliography {} could not be read ({}{}).",
                    file.name,
                    error
                        .location()
                        .map(|at| format!("line {}: ", at.line()))
                        .unwrap_or_default(),
                    error
                )),
            },
            "json" => match serde_json::from_str::<Vec<csl_json::Item>>(&file.text) {
                Ok(items) => json.extend(items),
                Err(error) => problems.push(format!(
                    "The bibliography {} could not be read (line {}: {error}).",
                    file.name,
                    error.line()
                )),
            },
            _ => problems.push(format!(
                "The bibliography {} is not a .bib, .json or .yaml file.",
                file.name
            )),
        }
    }
    if json.is_empty() {
        Library::Native(native)
    } else {
        if !native.is_empty() {
            problems.push(
                "CSL-JSON cannot be mixed with BibTeX or YAML bibliographies; only the CSL-JSON entries are used.".to_owned(),
            );
        }
        Library::CslJson(json)
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte).unwrap_or(text).matches('\n').count() + 1
}

mod substitute;

#[cfg(test)]
mod tests;
