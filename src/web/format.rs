//! Dates and numbers in the reader's locale, through the browser's Intl.

use crate::content::front_matter::PostDate;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// The locale dates and numbers are written in: the page's language (`web::locale`).
pub fn locale() -> String {
    crate::web::locale::intl_locale()
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

thread_local! {
    // Making an Intl formatter costs far more than using one, and a thread formats two
    // times and a number or two per comment: each is made once per page.
    static DATE_TIME: js_sys::Intl::DateTimeFormat = js_sys::Intl::DateTimeFormat::new(
        &js_sys::Array::of1(&JsValue::from_str(&locale())),
        &options(&[("dateStyle", "medium"), ("timeStyle", "short")]),
    );
    static NUMBER: js_sys::Intl::NumberFormat = js_sys::Intl::NumberFormat::new(
        &js_sys::Array::of1(&JsValue::from_str(&locale())),
        &Object::new(),
    );
    static RELATIVE: js_sys::Intl::RelativeTimeFormat = js_sys::Intl::RelativeTimeFormat::new(
        &js_sys::Array::of1(&JsValue::from_str(&locale())),
        &options(&[("numeric", "auto")]),
    );
}

/// Makes the date formatter now. The page's first Intl formatter loads the browser's locale
/// data, tens of milliseconds on a phone: called in a task of its own, that does not lengthen
/// the task that draws the thread.
pub fn prepare_dates() {
    DATE_TIME.with(|_| ());
}

/// Makes the number and relative-time formatters now, in a task apart from the dates' for the
/// same reason.
pub fn prepare_numbers() {
    NUMBER.with(|_| ());
    RELATIVE.with(|_| ());
}

/// A timestamp (RFC 3339) as a date and time in the reader's locale and zone.
pub fn timestamp(rfc3339: &str) -> String {
    let instant = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if instant.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    DATE_TIME.with(|format| {
        format
            .format()
            .call1(&JsValue::UNDEFINED, &instant)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| rfc3339.to_owned())
    })
}

/// The unit and whole count a relative time is spoken in: "3 hours ago" is (-3, "hour").
/// Under 45 seconds is "now" (0 seconds). Seconds to hours round; days, months and years
/// count whole ones, as people do ("7 years ago" until the eighth year is complete).
pub fn relative_parts(seconds_from_now: f64) -> (f64, &'static str) {
    const STEPS: [(f64, f64, &str); 6] = [
        (45.0, 1.0, "second"),
        (45.0 * 60.0, 60.0, "minute"),
        (22.0 * 3600.0, 3600.0, "hour"),
        (26.0 * 86_400.0, 86_400.0, "day"),
        (320.0 * 86_400.0, 30.44 * 86_400.0, "month"),
        (f64::INFINITY, 365.25 * 86_400.0, "year"),
    ];
    let magnitude = seconds_from_now.abs();
    if magnitude < 45.0 {
        return (0.0, "second");
    }
    let (_, size, unit) = STEPS
        .iter()
        .copied()
        .find(|(limit, _, _)| magnitude < *limit)
        .unwrap_or(STEPS[5]);
    let count = seconds_from_now / size;
    let whole = if size >= 86_400.0 {
        count.trunc()
    } else {
        count.round()
    };
    (whole, unit)
}

/// "3 hours ago", "now", "il y a 3 heures": a timestamp relative to `now_ms`, in the
/// reader's locale.
pub fn relative_time(rfc3339: &str, now_ms: f64) -> String {
    let then = js_sys::Date::new(&JsValue::from_str(rfc3339)).get_time();
    if then.is_nan() {
        return rfc3339.to_owned();
    }
    let (value, unit) = relative_parts((then - now_ms) / 1000.0);
    RELATIVE.with(|format| format.format(value, unit).into())
}

/// A count written as the reader's locale writes numbers ("5,000", "5 000").
pub fn number(count: usize) -> String {
    NUMBER.with(|format| {
        format
            .format()
            .call1(&JsValue::UNDEFINED, &JsValue::from(count as f64))
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| count.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::relative_parts;

    #[test]
    fn relative_times_pick_a_readable_unit() {
        assert_eq!(relative_parts(-10.0), (0.0, "second"));
        assert_eq!(relative_parts(-50.0), (-1.0, "minute"));
        assert_eq!(relative_parts(-3.0 * 3600.0), (-3.0, "hour"));
        assert_eq!(relative_parts(-30.0 * 3600.0), (-1.0, "day"));
        assert_eq!(relative_parts(-65.0 * 86_400.0), (-2.0, "month"));
        assert_eq!(relative_parts(-7.7 * 365.25 * 86_400.0), (-7.0, "year"));
        assert_eq!(relative_parts(-100.0 * 60.0), (-2.0, "hour"));
        assert_eq!(relative_parts(120.0), (2.0, "minute"));
    }
}
