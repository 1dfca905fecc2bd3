//! RFC 3339 timestamps: parsing to Unix milliseconds, the canonical `toISOString` form, and a
//! total order that is time order even when two writers formatted the same instant differently.
//!
//! The app writes `2026-11-26T14:23:20.123Z`, but the seed file has `2019-03-15T09:12:00Z`, whose
//! string order against a millisecond form is wrong (`.` sorts before `Z`), so nothing in the
//! model compares timestamps as plain strings.

use std::cmp::Ordering;

const MILLIS_PER_DAY: i64 = 86_400_000;

/// Milliseconds since 1970-01-01T00:00:00Z for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
///
/// Digits past the millisecond are ignored (truncated); anything else malformed is `None`.
pub fn parse_millis(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !bytes.is_ascii() {
        return None;
    }
    let separators_ok = bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !separators_ok {
        return None;
    }
    let year = digits(&text[0..4])?;
    let month = digits(&text[5..7])?;
    let day = digits(&text[8..10])?;
    let hour = digits(&text[11..13])?;
    let minute = digits(&text[14..16])?;
    let second = digits(&text[17..19])?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }

    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        millis = fraction
            .bytes()
            .take(len)
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0, |acc, b| acc * 10 + i64::from(b - b'0'));
        rest = &fraction[len..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let b = rest.as_bytes();
            if b.len() != 6 || b[3] != b':' {
                return None;
            }
            let sign = match b[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };

    let days = days_from_civil(year, month, day);
    let seconds_of_day = hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(days * MILLIS_PER_DAY + seconds_of_day * 1000 + millis)
}

/// The instant in the form JS `Date.prototype.toISOString` writes, or `None` if it does not parse.
pub fn normalise(text: &str) -> Option<String> {
    parse_millis(text).map(format_millis)
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ` for milliseconds since the Unix epoch (years 0000–9999).
pub fn format_millis(millis: i64) -> String {
    let days = millis.div_euclid(MILLIS_PER_DAY);
    let in_day = millis.rem_euclid(MILLIS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// A sort key whose order is time order: parsed instants first by time, the raw text breaking
/// ties (so two spellings of one instant still have a fixed order); unparsable text sorts before
/// every real time, by its text.
pub fn sort_key(text: &str) -> (Option<i64>, &str) {
    (parse_millis(text), text)
}

/// Time order of two timestamps, total and consistent with `sort_key`.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, counting in 400-year eras from March 1st
/// so that the leap day is the last day of each counted year.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_known_instants_parse() {
        assert_eq!(parse_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_millis("1970-01-01T00:00:00.001Z"), Some(1));
        // Checked against `date -u -d 2026-11-26T14:23:20Z +%s`.
        assert_eq!(
            parse_millis("2026-11-26T14:23:20.123Z"),
            Some(1_795_703_000_123)
        );
        assert_eq!(parse_millis("2000-02-29T12:00:00Z"), Some(951_825_600_000));
        assert_eq!(parse_millis("1969-12-31T23:59:59.999Z"), Some(-1));
    }

    #[test]
    fn fractions_of_any_length_are_read_to_the_millisecond() {
        assert_eq!(parse_millis("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_millis("1970-01-01T00:00:01.25Z"), Some(1250));
        assert_eq!(parse_millis("1970-01-01T00:00:01.123456Z"), Some(1123));
    }

    #[test]
    fn offsets_are_applied() {
        assert_eq!(
            parse_millis("2019-03-15T10:12:00+01:00"),
            parse_millis("2019-03-15T09:12:00Z")
        );
        assert_eq!(
            parse_millis("2019-03-15T04:12:00-05:00"),
            parse_millis("2019-03-15T09:12:00Z")
        );
        assert_eq!(
            parse_millis("2019-03-15T09:12:00+00:00"),
            parse_millis("2019-03-15T09:12:00z")
        );
    }

    #[test]
    fn malformed_text_does_not_parse() {
        for bad in [
            "",
            "yesterday",
            "2019-03-15",
            "2019-03-15 09:12:00Z",
            "2019-03-15T09:12:00",
            "2019-13-15T09:12:00Z",
            "2019-02-29T09:12:00Z",
            "2019-04-31T09:12:00Z",
            "2019-03-15T24:00:00Z",
            "2019-03-15T09:60:00Z",
            "2019-03-15T09:12:00.Z",
            "2019-03-15T09:12:00.12xZ",
            "2019-03-15T09:12:00+0100",
            "2019-03-15T09:12:00Z trailing",
            "+019-03-15T09:12:00Z",
            "2019-03-15T09:12:00\u{e9}",
        ] {
            assert_eq!(parse_millis(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn normalising_writes_the_to_iso_string_form() {
        assert_eq!(
            normalise("2019-03-15T09:12:00Z").as_deref(),
            Some("2019-03-15T09:12:00.000Z")
        );
        assert_eq!(
            normalise("2019-03-15T10:12:00.5+01:00").as_deref(),
            Some("2019-03-15T09:12:00.500Z")
        );
        assert_eq!(normalise("soon"), None);
    }

    #[test]
    fn a_second_without_milliseconds_is_ordered_by_time_not_by_text() {
        let whole = "2019-03-15T09:12:00Z";
        let later = "2019-03-15T09:12:00.500Z";
        // As plain strings the order is wrong: '.' < 'Z'.
        assert!(later < whole);
        assert_eq!(compare(whole, later), Ordering::Less);
        assert_eq!(compare(later, whole), Ordering::Greater);
    }

    #[test]
    fn two_spellings_of_one_instant_have_a_fixed_order() {
        let a = "2019-03-15T09:12:00Z";
        let b = "2019-03-15T09:12:00.000Z";
        assert_ne!(compare(a, b), Ordering::Equal);
        assert_eq!(compare(a, b), compare(b, a).reverse());
        assert_eq!(compare(a, a), Ordering::Equal);
    }

    #[test]
    fn unparsable_text_sorts_before_real_times() {
        assert_eq!(compare("", "1970-01-01T00:00:00Z"), Ordering::Less);
        assert_eq!(compare("garbage", "0001-01-01T00:00:00Z"), Ordering::Less);
    }

    // proptest does not build for wasm32, where the browser tests compile this crate.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn formatting_then_parsing_is_the_identity(millis in -62_135_596_800_000i64..253_402_300_799_999) {
                let text = format_millis(millis);
                prop_assert_eq!(parse_millis(&text), Some(millis));
            }

            #[test]
            fn canonical_strings_sort_like_their_instants(a in 0i64..4_102_444_800_000, b in 0i64..4_102_444_800_000) {
                let (ta, tb) = (format_millis(a), format_millis(b));
                prop_assert_eq!(ta.cmp(&tb), a.cmp(&b));
                prop_assert_eq!(compare(&ta, &tb), a.cmp(&b));
            }
        }
    }
}
