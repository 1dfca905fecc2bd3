//! Dates and numbers in the reader's locale, through the browser's Intl.

use crate::content::front_matter::PostDate;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// The reader's preferred language tag, as the browser reports it.
pub fn locale() -> String {
    leptos::prelude::window()
        .navigator()
        .language()
        .unwrap_or_else(|| "en".to_owned())
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

/// "14 March 2019" or "March 14, 2019", as the reader's locale writes a date.
pub fn post_date(date: PostDate) -> String {
    // A calendar date: formatted in UTC so no time zone can move it a day.
    let utc = js_sys::Date::utc(date.year as f64, (date.month - 1) as f64);
    let instant = js_sys::Date::new(&JsValue::from_f64(
        utc + (date.day as f64 - 1.0) * 86_400_000.0,
    ));
    let opts = options(&[
        ("year", "numeric"),
        ("month", "long"),
        ("day", "numeric"),
        ("timeZone", "UTC"),
    ]);
    instant.to_locale_date_string(&locale(), &opts).into()
}

/// A timestamp (RFC 3339) as a date and time in the reader's locale and zone.
pub fn timestamp(rfc3339: &str) -> String {
    let instant = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if instant.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let opts = options(&[("dateStyle", "medium"), ("timeStyle", "short")]);
    instant.to_locale_string(&locale(), &opts).into()
}
