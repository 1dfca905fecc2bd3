//! The page's language: `?lang=` first, then the browser's languages; and its plural rules.

use crate::i18n::{fill, Lang, PageStrings, Plural, ThreadStrings};
use wasm_bindgen::JsValue;

thread_local! {
    static LANG: Lang = chosen_lang();
    // Asked for every date and number formatted: worked out once per page.
    static INTL_LOCALE: String = intl_locale_of(lang());
    static PLURAL_RULES: js_sys::Intl::PluralRules = js_sys::Intl::PluralRules::new(
        &js_sys::Array::of1(&JsValue::from_str(LANG.with(|lang| lang.tag()))),
        &js_sys::Object::new(),
    );
}

fn chosen_lang() -> Lang {
    let window = leptos::prelude::window();
    let asked = window
        .location()
        .search()
        .ok()
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("lang"))
        .and_then(|tag| Lang::from_tag(&tag));
    // A page `colloquy build` wrote is in one language, and its thread speaks it too.
    let built = leptos::prelude::document()
        .document_element()
        .filter(|root| root.has_attribute("data-built-lang"))
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag));
    asked.or(built).unwrap_or_else(|| {
        let languages: Vec<String> = window
            .navigator()
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect();
        Lang::pick(languages.iter().map(String::as_str))
    })
}

/// The language the UI speaks on this page.
pub fn lang() -> Lang {
    LANG.with(|lang| *lang)
}

/// The first load's words in the page's language.
pub fn page() -> &'static PageStrings {
    lang().page()
}

/// The post editor's words in the page's language.
pub fn write() -> &'static crate::i18n::WriteStrings {
    lang().write()
}

/// The words of accounts, the staff's tools and reports, in the page's language.
pub fn class() -> &'static crate::i18n::ClassStrings {
    lang().class()
}

/// The thread module's words in the page's language.
pub fn thread() -> &'static ThreadStrings {
    lang().thread()
}

/// The locale Intl formats in: the browser's own (`en-GB`, `ru-RU`) when it is of the page's
/// language, so a British reader keeps day-month dates; otherwise the page's language.
pub fn intl_locale() -> String {
    INTL_LOCALE.with(String::clone)
}

fn intl_locale_of(lang: Lang) -> String {
    let browser = leptos::prelude::window()
        .navigator()
        .language()
        .unwrap_or_default();
    if Lang::from_tag(&browser) == Some(lang) {
        browser
    } else {
        lang.tag().to_owned()
    }
}

/// A counted phrase: "1 comment", "5 комментариев".
pub fn count(phrase: &Plural, n: usize) -> String {
    let category = PLURAL_RULES.with(|rules| rules.select(n as f64));
    let number = crate::web::format::number(n);
    fill(
        phrase.form(&String::from(category)),
        &[("n", number.as_str())],
    )
}

/// Marks the document with the page's language, so screen readers speak it rightly.
pub fn mark_document() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("lang", lang().tag());
    }
}
