//! The UI's words: one table per language (`en.rs`, `ru.rs`), and how a language is chosen.
//!
//! Two sections per language: `page` holds what the first load shows, `thread` what the
//! thread module shows, so the first load carries only its own words. Placeholders are
//! `{name}`, filled with [`fill`]; counted phrases are [`Plural`]s, chosen with Intl's plural
//! rules in the browser (`web::locale`).

mod en;
mod ru;
#[cfg(test)]
mod tests;

/// A language the UI is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The BCP 47 primary tag: `en`, `ru`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language a tag names, by its primary subtag: `ru-RU` and `RU` are Russian.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// The first language of `requested` the UI is written in; English when there is none.
    pub fn pick<'a>(requested: impl IntoIterator<Item = &'a str>) -> Lang {
        requested
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }

    /// The words the first load shows.
    pub fn page(self) -> &'static PageStrings {
        match self {
            Lang::En => &en::PAGE,
            Lang::Ru => &ru::PAGE,
        }
    }

    /// The words the thread module shows.
    pub fn thread(self) -> &'static ThreadStrings {
        match self {
            Lang::En => &en::THREAD,
            Lang::Ru => &ru::THREAD,
        }
    }
}

/// A phrase with a count in it, in each of CLDR's plural categories the UI needs. English
/// uses `one` and `other`; Russian `one` (1, 21), `few` (2–4, 22) and `many` (5, 11).
#[derive(Debug)]
pub struct Plural {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

impl Plural {
    /// The form for a CLDR plural category ("one", "few", "many", "other"; "zero" and
    /// "two" fall back to "other").
    pub fn form(&self, category: &str) -> &'static str {
        match category {
            "one" => self.one,
            "few" => self.few,
            "many" => self.many,
            _ => self.other,
        }
    }

    #[cfg(test)]
    fn forms(&self) -> [&'static str; 4] {
        [self.one, self.few, self.many, self.other]
    }
}

/// Fills `{name}` placeholders; a placeholder with no value is left as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Declares a section's table: one field per string, with its doc comment saying where it
/// shows, and the list of entries the tests compare across languages.
macro_rules! section {
    ($(#[$section_doc:meta])* $name:ident {
        $($(#[$doc:meta])* $field:ident : $kind:ident,)*
    }) => {
        $(#[$section_doc])*
        #[derive(Debug)]
        pub struct $name {
            $($(#[$doc])* pub $field: section!(@type $kind),)*
        }

        impl $name {
            /// Every entry by name, each as its forms (one for a text, four for a plural).
            #[cfg(test)]
            pub fn entries(&self) -> Vec<(&'static str, Vec<&'static str>)> {
                vec![$((stringify!($field), section!(@forms self.$field, $kind)),)*]
            }
        }
    };
    (@type text) => { &'static str };
    (@type plural) => { Plural };
    (@forms $value:expr, text) => { vec![$value] };
    (@forms $value:expr, plural) => { $value.forms().to_vec() };
}

section! {
    /// What the first load shows: the frame, the post list, the post, the error pages.
    PageStrings {
        skip_link: text,
        /// The post list's heading and tab title.
        posts: text,
        no_posts: text,
        /// A post card whose front matter cannot be read; `{error}` says why.
        card_error: text,
        loading_post: text,
        list_failed: text,
        post_not_found: text,
        /// `{slug}` is the unknown post's name.
        post_not_found_detail: text,
        post_failed: text,
        all_posts: text,
        contents: text,
        notes: text,
        /// A footnote's back-link; `{n}` is the note's number.
        back_to_note_reference: text,
        /// `{minutes}` is a number.
        reading_time: text,
        comments_link: text,
        loading_comments: text,
        /// `{error}` says why the thread module did not load.
        comments_failed: text,
        theme_label: text,
        theme_system: text,
        theme_light: text,
        theme_dark: text,
        language_label: text,
        /// Shown in an LMS frame when comments are kept only in this browser.
        framed_local_notice: text,
    }
}

section! {
    /// What the thread module shows: the thread, the composer, citations and passages.
    ThreadStrings {
        /// "No comments", "1 comment", "12 comments".
        comment_count: plural,
        no_comments: text,
        /// The live region, as a comment, edit or like is being saved.
        saving: text,
        /// The live region, once the remote store has it.
        saved: text,
        /// The live region, when a write waits to be retried; `{reason}` says why.
        will_send_later: text,
        /// The live region, when the remote store refused a write; `{reason}` is its answer.
        save_failed: text,
    }
}
