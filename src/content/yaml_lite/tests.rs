use super::*;
use yaml_rust2::{Yaml, YamlLoader};

/// What yaml-rust2, a full YAML 1.2 parser, makes of the same block, in our terms.
fn reference(block: &str) -> Vec<(String, Value)> {
    let docs = YamlLoader::load_from_str(block).expect("yaml-rust2 refused a document we accept");
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return Vec::new();
    };
    map.into_iter()
        .map(|(key, value)| {
            let key = key.as_str().expect("string key").to_owned();
            let value = match value {
                Yaml::Null => Value::Null,
                Yaml::Array(items) => Value::List(items.iter().map(scalar_text).collect()),
                other => Value::Text(scalar_text(&other)),
            };
            (key, value)
        })
        .collect()
}

fn scalar_text(value: &Yaml) -> String {
    match value {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => "null".to_owned(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// Our reading must equal the reference reading, key for key.
fn agrees(block: &str) {
    let ours = parse(block).unwrap_or_else(|e| panic!("refused {block:?}: {e}"));
    assert_eq!(ours, reference(block), "for {block:?}");
}

#[test]
fn agrees_with_yaml_rust2_on_front_matter_as_authors_write_it() {
    for block in [
        "title: The Struggle for Freedom\nauthor: Jordan Ellis\ndate: 2019-03-14\n",
        "title: \"Freedom: a study\"\nauthor: 'O''Brien, Pat'\n",
        "title: \"Tab\\there \\\"quoted\\\" \\u00e9\\x41\"\n",
        "# a comment\ntitle: Plain # trailing comment\n\nauthor: A\n",
        "bibliography:\n  - refs.bib\n  - more.json\ncsl: apa\n",
        "bibliography:\n- refs.bib\n- 'quoted: item'\n",
        "bibliography: [refs.bib, \"b.yaml\", 'c d']\nempty: []\n",
        "summary: >\n  A long summary\n  over two lines.\n\n  And a second paragraph.\ntitle: T\n",
        "summary: |\n  Line one\n  Line two\ntitle: T\n",
        "summary: >-\n  Folded and\n  stripped\n",
        "summary: A plain summary\n  that continues\n  on indented lines.\ntitle: T\n",
        "course: HIST 232\nyear: 2019\nrate: 1.5\ndraft: true\nnothing: ~\nalso: null\nblank:\n",
        "title: Свобода и ГУЛАГ\nauthor: Мария Иванова\n",
        "title: 'single # not a comment'\nurl: https://example.org/a#b\n",
        "title: a - b\nsubtitle: 50% off\n",
        // Found by the property test: an escaped quote, then ` #`, inside double quotes.
        "bjg_q_: \"\\\"7l:/$.3ztd- #0%\"\n",
        // Found by the property test: a doubled quote, then ` #`, inside single quotes.
        "a: ''' #'\n",
        "a: 'it''s # here' # and a comment\n",
    ] {
        agrees(block);
    }
}

#[test]
fn refuses_what_it_does_not_read_naming_the_line() {
    let cases = [
        ("title: x\nauthor:\n  name: A\n", 3, "list item"),
        ("title: x\nauthor:\n  - name: A\n", 3, "single values"),
        ("title: [a,, b]\n", 1, "empty"),
        ("title: &anchor x\n", 1, "`&`"),
        ("title: *alias\n", 1, "`*`"),
        ("title: !tag x\n", 1, "`!`"),
        ("title: {a: 1}\n", 1, "`{`"),
        ("title: \"unclosed\n", 1, "not closed"),
        ("title: 'unclosed\n", 1, "not closed"),
        ("title: [a, b\n", 1, "close with `]`"),
        ("title: [a, [b]]\n", 1, "inside lists"),
        ("title: a: b\n", 1, "in quotes"),
        ("  title: x\n", 1, "indentation"),
        ("just words\n", 1, "`key: value`"),
        ("title: x\ntitle: y\n", 2, "twice"),
        ("title: \"\\q\"\n", 1, "escape"),
        ("title: \"two\n  lines\"\n", 1, "not closed"),
        ("list:\n  - [a]\n", 2, "`[`"),
    ];
    for (block, line, words) in cases {
        let error = parse(block).expect_err(block);
        assert_eq!(error.line, line, "{block:?}: {error}");
        assert!(error.message.contains(words), "{block:?}: {error}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn plain_word() -> impl Strategy<Value = String> {
        "[A-Za-zА-Яа-я][A-Za-z0-9А-Яа-я.()/]{0,12}"
    }

    proptest! {
        /// Any mapping of keys to quoted or plain text, or lists of them, means the same to
        /// both parsers.
        #[test]
        fn generated_front_matter_agrees(
            entries in prop::collection::vec(
                (
                    "[a-z][a-z_]{0,8}",
                    prop_oneof![
                        plain_word().prop_map(|w| w),
                        "[ -~]{0,20}".prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
                        "[ -~]{0,20}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
                        prop::collection::vec(plain_word(), 1..4).prop_map(|items| format!("[{}]", items.join(", "))),
                        prop::collection::vec(plain_word(), 1..4)
                            .prop_map(|items| items.iter().map(|i| format!("\n  - {i}")).collect::<String>()),
                    ],
                ),
                1..6,
            )
        ) {
            let mut seen = std::collections::HashSet::new();
            let block: String = entries
                .into_iter()
                .filter(|(key, _)| seen.insert(key.clone()))
                .map(|(key, value)| {
                    if value.starts_with('\n') { format!("{key}:{value}\n") } else { format!("{key}: {value}\n") }
                })
                .collect();
            agrees(&block);
        }
    }
}
