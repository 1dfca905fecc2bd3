//! A commenter's avatar without images: initials, and a background colour derived from the name
//! so the same name always gets the same colour, dark enough for white initials (WCAG AA).

/// Saturation and lightness of every avatar colour; only the hue varies. At 30 % lightness white
/// text has a contrast of at least 4.75:1 on every hue (the worst is yellow, hue 60).
const SATURATION_PERCENT: u32 = 55;
const LIGHTNESS_PERCENT: u32 = 30;

/// Up to two capital letters: the first letter or digit of the first and of the last word.
/// A name without any gives `"?"`.
pub fn initials(name: &str) -> String {
    let firsts: Vec<char> = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .collect();
    let chosen = match firsts.as_slice() {
        [] => return "?".to_owned(),
        [only] => vec![*only],
        [first, .., last] => vec![*first, *last],
    };
    chosen
        .into_iter()
        .map(|c| c.to_uppercase().next().unwrap_or(c))
        .collect()
}

/// A hue in 0..360 from the FNV-1a hash of the trimmed, lower-cased name.
pub fn hue(name: &str) -> u32 {
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;
    let hash = name
        .trim()
        .to_lowercase()
        .bytes()
        .fold(OFFSET_BASIS, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(PRIME)
        });
    hash % 360
}

/// The avatar's background as a CSS colour, e.g. `hsl(212 55% 30%)`.
pub fn colour(name: &str) -> String {
    format!(
        "hsl({} {SATURATION_PERCENT}% {LIGHTNESS_PERCENT}%)",
        hue(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_come_from_the_first_and_last_words() {
        assert_eq!(initials("Parker Nguyen"), "PN");
        assert_eq!(initials("maya van der chen"), "MC");
        assert_eq!(initials("Sam"), "S");
        assert_eq!(initials("  alex   romero "), "AR");
    }

    #[test]
    fn initials_work_in_any_script() {
        assert_eq!(initials("Мария Иванова"), "МИ");
        assert_eq!(initials("élodie ñúñez"), "ÉÑ");
        assert_eq!(initials("李 小龙"), "李小");
    }

    #[test]
    fn punctuation_is_skipped_and_nameless_names_get_a_question_mark() {
        assert_eq!(initials("(Bo) 'Smith'"), "BS");
        assert_eq!(initials(""), "?");
        assert_eq!(initials("   "), "?");
        assert_eq!(initials("-- !!"), "?");
    }

    #[test]
    fn the_hue_is_stable_and_ignores_case_and_padding() {
        // FNV-1a 32 of "" is the offset basis: 2166136261 % 360 = 61.
        assert_eq!(hue(""), 61);
        // FNV-1a 32 of "a" is 0xe40c292c = 3826002220; % 360 = 340.
        assert_eq!(hue("a"), 340);
        assert_eq!(hue(" Maya Chen "), hue("maya chen"));
        assert_eq!(colour("a"), "hsl(340 55% 30%)");
    }

    #[test]
    fn different_names_spread_over_the_wheel() {
        let names = [
            "Parker Nguyen",
            "Maya Chen",
            "Sam Okafor",
            "Alex Romero",
            "Bo",
            "Cy",
        ];
        let mut hues: Vec<u32> = names.iter().map(|n| hue(n)).collect();
        hues.sort_unstable();
        hues.dedup();
        assert!(hues.len() >= 5, "{hues:?}");
        assert!(names.iter().all(|n| hue(n) < 360));
    }

    /// sRGB channels 0..=255 of an HSL colour, as a browser would paint it.
    fn hsl_to_rgb(hue: f64, saturation: f64, lightness: f64) -> [f64; 3] {
        let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
        let sector = hue / 60.0;
        let x = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
        let (r, g, b) = match sector as u32 {
            0 => (chroma, x, 0.0),
            1 => (x, chroma, 0.0),
            2 => (0.0, chroma, x),
            3 => (0.0, x, chroma),
            4 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        let m = lightness - chroma / 2.0;
        [r, g, b].map(|c| ((c + m) * 255.0).round())
    }

    fn relative_luminance(rgb: [f64; 3]) -> f64 {
        let linear = rgb.map(|c| {
            let c = c / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }

    #[test]
    fn white_initials_meet_wcag_aa_on_every_hue() {
        let mut worst = f64::MAX;
        for hue in 0..360 {
            let rgb = hsl_to_rgb(
                f64::from(hue),
                f64::from(SATURATION_PERCENT) / 100.0,
                f64::from(LIGHTNESS_PERCENT) / 100.0,
            );
            let contrast = 1.05 / (relative_luminance(rgb) + 0.05);
            worst = worst.min(contrast);
            assert!(contrast >= 4.5, "hue {hue}: {contrast:.2}:1");
        }
        assert!(
            worst < 5.0,
            "the lightness could be raised: worst {worst:.2}:1"
        );
    }

    #[test]
    fn the_contrast_check_knows_black_and_white() {
        assert_eq!(hsl_to_rgb(0.0, 0.0, 1.0), [255.0; 3]);
        assert!((relative_luminance([255.0; 3]) - 1.0).abs() < 1e-9);
        assert_eq!(relative_luminance([0.0; 3]), 0.0);
    }
}
