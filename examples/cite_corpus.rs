//! Prints Colloquy's formatting of the citeproc-js differential corpus as JSON, for
//! `tests/citeproc/differential.test.mjs`, which formats the same corpus with citeproc-js
//! and compares.
//!
//! `cargo run --quiet --example cite_corpus` (from the repository root). It first checks that
//! the CSL files in `tests/citeproc/csl/` are the ones hayagriva's archive was built from
//! (each parses to exactly the archived style or locale) and exits non-zero if one is not,
//! so both processors always read the same style.

use colloquy::cite::format::format;
use colloquy::cite::protocol::{
    plain, BibliographyFile, FormatRequest, NumberedCitation, StyleChoice, BUNDLED_STYLES,
};
use colloquy::cite::syntax::{split, Segment};
use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::{Locale, LocaleFile, Style};
use serde_json::{json, Value};
use std::fs;
use std::process::ExitCode;

const DIR: &str = "tests/citeproc";
/// The seed's own BibLaTeX file: formatted too, and compared with the corpus's CSL-JSON entry.
const SEED_BIB: &str = "content/posts/the-struggle-for-freedom/references.bib";

/// Each bundled style's CSL file in `tests/citeproc/csl/`.
pub fn csl_file(style: &str) -> String {
    let file = match style {
        "mla" => "modern-language-association",
        "chicago-notes" => "chicago-notes-bibliography",
        other => other,
    };
    format!("{DIR}/csl/{file}.csl")
}

fn read(path: &str) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The committed CSL files parse to exactly what hayagriva's archive holds.
fn same_as_archive() -> Result<(), String> {
    for (name, _) in BUNDLED_STYLES {
        let path = csl_file(name);
        let committed = Style::from_xml(&read(&path)).map_err(|e| format!("{path}: {e}"))?;
        let archived = ArchivedStyle::by_name(name)
            .ok_or_else(|| format!("{name} is not in hayagriva's archive"))?
            .get();
        if committed != archived {
            return Err(format!(
                "{path} is not the style hayagriva's archive holds for {name}"
            ));
        }
    }
    let path = format!("{DIR}/csl/locales-en-US.xml");
    let committed: Locale = LocaleFile::from_xml(&read(&path))
        .map_err(|e| format!("{path}: {e}"))?
        .into();
    let archived = archive::locales()
        .into_iter()
        .find(|locale| locale.lang.as_ref().is_some_and(|l| l.0 == "en-US"))
        .ok_or("en-US is not in hayagriva's archive")?;
    if committed != archived {
        return Err(format!(
            "{path} is not the locale hayagriva's archive holds"
        ));
    }
    Ok(())
}

fn citations(texts: &[String]) -> Vec<NumberedCitation> {
    texts
        .iter()
        .flat_map(|text| split(text))
        .filter_map(|segment| match segment {
            Segment::Cite { citation, .. } => Some(citation),
            Segment::Text(_) => None,
        })
        .enumerate()
        .map(|(i, citation)| NumberedCitation {
            number: i + 1,
            citation,
        })
        .collect()
}

fn run(source: &str, file: BibliographyFile, style: &str, cited: &[NumberedCitation]) -> Value {
    let reply = format(&FormatRequest {
        bibliographies: vec![file],
        style: StyleChoice::Bundled(style.to_owned()),
        citations: cited.to_vec(),
        locale: None,
        every_entry: false,
    });
    let citations: Vec<Value> = reply
        .citations
        .iter()
        .zip(cited)
        .map(|(formatted, numbered)| {
            let items: Vec<Value> = numbered
                .citation
                .items
                .iter()
                .map(|item| {
                    json!({
                        "key": item.key,
                        "label": item.locator.as_ref().map(|l| l.label.clone()),
                        "locator": item.locator.as_ref().map(|l| l.value.clone()),
                    })
                })
                .collect();
            json!({
                "number": formatted.number,
                "items": items,
                "text": plain(&formatted.text),
                "unknown": formatted.unknown_keys,
            })
        })
        .collect();
    let entries: Vec<Value> = reply
        .entries
        .iter()
        .map(|entry| json!({ "key": entry.key, "text": plain(&entry.text) }))
        .collect();
    json!({
        "source": source,
        "style": style,
        "note_style": reply.note_style,
        "problems": reply.problems,
        "citations": citations,
        "entries": entries,
    })
}

fn main() -> ExitCode {
    if let Err(problem) = same_as_archive() {
        eprintln!("cite_corpus: {problem}");
        return ExitCode::FAILURE;
    }
    let texts: Vec<String> =
        serde_json::from_str(&read(&format!("{DIR}/citations.json"))).expect("citations.json");
    let corpus = citations(&texts);
    let seed = citations(&["[@freeze2009, p. 410]".to_owned()]);
    let mut runs = Vec::new();
    for (style, _) in BUNDLED_STYLES {
        let json_file = BibliographyFile {
            name: "corpus.json".to_owned(),
            text: read(&format!("{DIR}/corpus.json")),
        };
        runs.push(run("corpus.json", json_file, style, &corpus));
        let bib_file = BibliographyFile {
            name: "references.bib".to_owned(),
            text: read(SEED_BIB),
        };
        runs.push(run("references.bib", bib_file, style, &seed));
    }
    println!("{}", json!({ "runs": runs }));
    ExitCode::SUCCESS
}
