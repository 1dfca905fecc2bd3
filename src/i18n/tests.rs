use super::*;
use std::collections::BTreeSet;

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(name, _)| name.to_owned())
        .collect()
}

fn assert_same_placeholders(
    reference: Vec<(&'static str, Vec<&'static str>)>,
    other: Vec<(&'static str, Vec<&'static str>)>,
    lang: Lang,
) {
    assert_eq!(reference.len(), other.len());
    for ((name, english), (other_name, translated)) in reference.iter().zip(&other) {
        assert_eq!(name, other_name);
        let expected = placeholders(english.last().unwrap());
        for form in translated {
            assert!(!form.trim().is_empty(), "{lang:?} {name} is empty");
            assert_eq!(
                placeholders(form),
                expected,
                "{lang:?} {name}: {form:?} has other placeholders than English"
            );
        }
    }
}

#[test]
fn every_language_has_every_string_with_the_same_placeholders() {
    for lang in Lang::ALL {
        assert_same_placeholders(Lang::En.page().entries(), lang.page().entries(), lang);
        assert_same_placeholders(Lang::En.thread().entries(), lang.thread().entries(), lang);
        assert_same_placeholders(Lang::En.write().entries(), lang.write().entries(), lang);
        assert_same_placeholders(Lang::En.class().entries(), lang.class().entries(), lang);
    }
}

/// The entries whose words are the same in both tables, placeholders aside.
fn untranslated(
    english: Vec<(&'static str, Vec<&'static str>)>,
    russian: Vec<(&'static str, Vec<&'static str>)>,
) -> Vec<&'static str> {
    let has_words = |form: &str| {
        let mut outside = true;
        form.chars().any(|c| {
            match c {
                '{' => outside = false,
                '}' => outside = true,
                _ => {}
            }
            outside && c.is_alphabetic()
        })
    };
    english
        .iter()
        .zip(&russian)
        .filter(|(en, ru)| en.1 == ru.1 && en.1.iter().any(|form| has_words(form)))
        .map(|(en, _)| en.0)
        .collect()
}

#[test]
fn russian_is_not_english() {
    let page = untranslated(Lang::En.page().entries(), Lang::Ru.page().entries());
    assert!(page.is_empty(), "untranslated page words: {page:?}");
    let thread = untranslated(Lang::En.thread().entries(), Lang::Ru.thread().entries());
    assert!(thread.is_empty(), "untranslated thread words: {thread:?}");
    let class = untranslated(Lang::En.class().entries(), Lang::Ru.class().entries());
    assert!(class.is_empty(), "untranslated class words: {class:?}");
}

#[test]
fn russian_counted_phrases_have_three_forms() {
    let counted = Lang::Ru
        .thread()
        .entries()
        .into_iter()
        .filter(|(_, forms)| forms.len() == 4);
    for (name, forms) in counted {
        let [one, few, many, _] = forms[..] else {
            unreachable!()
        };
        assert!(
            one != few && few != many,
            "{name} lacks a Russian form: {forms:?}"
        );
    }
}

#[test]
fn languages_are_picked_by_primary_tag_in_order() {
    assert_eq!(Lang::pick(["ru-RU", "en-US"]), Lang::Ru);
    assert_eq!(Lang::pick(["de-DE", "RU"]), Lang::Ru);
    assert_eq!(Lang::pick(["en-GB", "ru"]), Lang::En);
    assert_eq!(Lang::pick(["de", "fr"]), Lang::En);
    assert_eq!(Lang::pick([]), Lang::En);
    assert_eq!(Lang::from_tag("ru_RU"), Some(Lang::Ru));
    assert_eq!(Lang::from_tag(""), None);
}

#[test]
fn placeholders_are_filled_and_unknown_ones_kept() {
    assert_eq!(
        fill("{n} of {total}", &[("n", "3"), ("total", "9")]),
        "3 of 9"
    );
    assert_eq!(fill("{missing} stays", &[("n", "1")]), "{missing} stays");
    assert_eq!(fill("{n}{n} {", &[("n", "ab")]), "abab {");
    assert_eq!(fill("{{n}}", &[("n", "x")]), "{x}");
}

#[test]
fn plural_categories_choose_forms() {
    let count = &Lang::Ru.thread().comment_count;
    assert_eq!(fill(count.form("one"), &[("n", "21")]), "21 комментарий");
    assert_eq!(fill(count.form("few"), &[("n", "3")]), "3 комментария");
    assert_eq!(fill(count.form("many"), &[("n", "5")]), "5 комментариев");
    assert_eq!(Lang::En.thread().comment_count.form("two"), "{n} comments");
}

#[test]
fn built_pages_count_and_date_as_each_language_does() {
    let count = &Lang::Ru.thread().comment_count;
    let ru: Vec<String> = [0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111, 114]
        .iter()
        .map(|n| Lang::Ru.count(count, *n))
        .collect();
    assert_eq!(
        ru,
        [
            "0 комментариев",
            "1 комментарий",
            "2 комментария",
            "4 комментария",
            "5 комментариев",
            "11 комментариев",
            "12 комментариев",
            "21 комментарий",
            "22 комментария",
            "25 комментариев",
            "101 комментарий",
            "111 комментариев",
            "114 комментариев",
        ]
    );
    let en = &Lang::En.thread().comment_count;
    assert_eq!(Lang::En.count(en, 1), "1 comment");
    assert_eq!(Lang::En.count(en, 4), "4 comments");
    assert_eq!(Lang::En.long_date(2019, 3, 14), "March 14, 2019");
    assert_eq!(Lang::Ru.long_date(2019, 3, 14), "14 марта 2019 г.");
    assert_eq!(Lang::Ru.long_date(2020, 12, 1), "1 декабря 2020 г.");
}

#[test]
fn locators_take_the_language_s_terms() {
    assert_eq!(Lang::Ru.locator_term("page"), Some("с."));
    assert_eq!(Lang::Ru.locator_term("chapter"), Some("гл."));
    assert_eq!(Lang::En.locator_term("page"), None);
    assert_eq!(Lang::Ru.locator_term("unknown"), None);
}
