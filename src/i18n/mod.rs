//! The UI's words: one table per language (`en.rs`, `ru.rs`), and how a language is chosen.
//!
//! Sections per language: `page` holds what the first load shows, `thread` what the thread
//! module shows, `class` what only a store with accounts shows (signing in, the staff's tools,
//! reports) and `write` the post editor's, so each module carries only its own words. Placeholders are
//! `{name}`, filled with [`fill`]; counted phrases are [`Plural`]s, chosen with Intl's plural
//! rules in the browser (`web::locale`). Problems the model and the stores report are
//! values, worded from these tables by `messages`.

mod en;
pub mod messages;
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
        let primary = tag.split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| lang.tag().eq_ignore_ascii_case(primary))
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

    /// The words of accounts, the staff's tools and reports.
    pub fn class(self) -> &'static ClassStrings {
        match self {
            Lang::En => &en::CLASS,
            Lang::Ru => &ru::CLASS,
        }
    }

    /// The words the post editor shows.
    pub fn write(self) -> &'static WriteStrings {
        match self {
            Lang::En => &en::WRITE,
            Lang::Ru => &ru::WRITE,
        }
    }

    /// How dates are written in pages built natively (the browser uses Intl instead).
    pub fn dates(self) -> &'static DateWords {
        match self {
            Lang::En => &en::DATES,
            Lang::Ru => &ru::DATES,
        }
    }

    /// The short term of a CSL locator type ("page", "chapter") in this language, as its CSL
    /// locale abbreviates it; `None` where the language keeps CSL's English terms.
    pub fn locator_term(self, label: &str) -> Option<&'static str> {
        let terms: &[(&str, &str)] = match self {
            Lang::En => &[],
            Lang::Ru => &ru::LOCATOR_TERMS,
        };
        terms
            .iter()
            .find_map(|(name, term)| (*name == label).then_some(*term))
    }

    /// CLDR's plural category of a whole number in this language, for pages built natively
    /// (the browser asks Intl.PluralRules): English `one`/`other`; Russian `one` (1, 21),
    /// `few` (2–4, 22–24) and `many` (0, 5–20, 25).
    pub fn plural_category(self, n: usize) -> &'static str {
        match self {
            Lang::En if n == 1 => "one",
            Lang::En => "other",
            Lang::Ru => match (n % 10, n % 100) {
                (1, rest) if rest != 11 => "one",
                (2..=4, rest) if !(12..=14).contains(&rest) => "few",
                _ => "many",
            },
        }
    }

    /// A counted phrase in this language: "4 comments", "4 комментария".
    pub fn count(self, phrase: &Plural, n: usize) -> String {
        fill(
            phrase.form(self.plural_category(n)),
            &[("n", &n.to_string())],
        )
    }

    /// A calendar date as this language writes it in full: "March 14, 2019", "14 марта 2019 г.".
    pub fn long_date(self, year: i32, month: u32, day: u32) -> String {
        let words = self.dates();
        let month = words.months[(month.clamp(1, 12) - 1) as usize];
        fill(
            words.long_date,
            &[
                ("year", &year.to_string()),
                ("month", month),
                ("day", &day.to_string()),
            ],
        )
    }
}

/// Month names and the order of a long date, for pages built natively.
#[derive(Debug)]
pub struct DateWords {
    /// As they stand in a date ("марта", the genitive, in Russian).
    pub months: [&'static str; 12],
    /// `{day}`, `{month}` and `{year}` in this language's order.
    pub long_date: &'static str,
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
    // One pass with char searches: `str::replace` would pull a substring searcher into the
    // first load for a few short strings.
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = values.iter().find(|(known, _)| *known == name)?;
            Some((close, *value))
        });
        match known {
            Some((close, value)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
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
        /// The thread module did not load (why is in the console).
        comments_failed: text,
        /// `{what}` is the technical step that failed, in English.
        thread_module_failed: text,
        /// `{path}` is a file of the site.
        file_not_found: text,
        /// `{status}` is an HTTP status number; `{path}` a file of the site.
        file_status: text,
        /// `{message}` is the browser's own, in English; `{path}` a file of the site.
        file_unreachable: text,
        theme_label: text,
        theme_system: text,
        theme_light: text,
        theme_dark: text,
        language_label: text,
        commenting_needs_javascript: text,
        /// The post editor's way in (the list's link, its heading), drafts, and posts
        /// published in the app.
        write_a_post: text,
        loading_editor: text,
        my_drafts: text,
        untitled_draft: text,
        published_failed: text,
        edit_post: text,
    }
}

section! {
    /// What the thread module shows: the thread, the composer, citations and passages.
    ThreadStrings {
        /// "No comments", "1 comment", "12 comments".
        comment_count: plural,
        no_comments: text,
        /// The thread's heading before it has loaded.
        comments_heading: text,
        /// The thread's heading when it has loaded and is empty.
        no_comments_yet: text,
        loading_comments: text,
        /// The button over comments that arrived from elsewhere, and its announcement.
        new_comments: plural,
        /// Above the comments on a return: how many were posted since the reader's last visit.
        new_since_last_visit: plural,
        /// Its button, and what the live region says once it is pressed.
        mark_all_read: text,
        marked_all_read: text,
        /// The mark on a comment posted since the reader's last visit.
        new_mark: text,
        commenting_as: text,
        /// The badge by the name of a comment written with a staff role.
        role_instructor: text,
        role_ta: text,
        /// A classmate's name in a discussion anonymous to classmates; `{n}` is a number.
        student_pseudonym: text,
        /// In a hidden comment's place, for students; `{number}` is the comment's number.
        hidden_by_instructor: text,
        hidden_comment_label: text,
        /// The post's seed comments did not load (why is in the console).
        seed_failed: text,
        /// `{error}` is the config problem, in English: it names config.json's fields.
        config_failed: text,
        /// A write tried before the store is ready; shown after `not_saved`.
        thread_still_loading: text,
        server_unreachable: text,
        server_timed_out: text,
        /// `{status}` is an HTTP status number.
        server_answered: text,
        /// `{status}` is an HTTP status number; `{message}` the server's own words.
        server_answered_with: text,
        /// `{detail}` names the record and its fault, in English.
        server_unreadable: text,
        not_saved_quota: text,
        /// `{reason}` is the store's own, in English.
        not_saved: text,
        memory_only: text,
        /// `{reason}` says why saved data could not be read; `{backup_key}` is where it went.
        set_aside: text,
        /// A collapsed comment's toggle: "Show 3 replies".
        show_replies: plural,
        hide_replies: text,
        /// A deleted comment's label; `{number}` is its number, as 2.1.
        deleted_comment_label: text,
        comment_deleted: text,
        /// A comment's label: `{number}` as 2.1, `{author}` its name.
        comment_label: text,
        /// The permalink's label; `{number}` as 2.1.
        comment_link_label: text,
        edited: text,
        delivery_sending: text,
        delivery_sent: text,
        /// `{reason}` is the remote store's, in English.
        delivery_waiting: text,
        retry_now: text,
        /// `{number}` is the missing comment's number ("99", "2.1").
        comment_missing: text,
        /// `{reason}` is the remote store's, in English.
        delivery_failed: text,
        reply: text,
        like: text,
        edit: text,
        delete: text,
        delete_question: text,
        delete_confirm: text,
        keep: text,
        deleted_announcement: text,
        passage_orphaned: text,
        show_in_post: text,
        /// The composer's label for a new comment.
        write_comment: text,
        /// `{author}` is the name of the comment replied to.
        reply_to: text,
        /// `{author}` is the replied-to comment's author; `{name}` the replier's known name.
        replying_as: text,
        change_name: text,
        show_more: text,
        show_less: text,
        edit_your_comment: text,
        commenting_on_passage: text,
        remove_quotation: text,
        name_label: text,
        comment_label_field: text,
        mention_list_label: text,
        preview: text,
        nothing_to_preview: text,
        rendering_preview: text,
        markdown_hint: text,
        cancel: text,
        save_changes: text,
        post_comment: text,
        posted_announcement: text,
        saved_announcement: text,
        name_missing: text,
        /// `{chars}` and `{limit}` are numbers.
        name_too_long: text,
        body_empty: text,
        /// `{chars}` and `{limit}` are numbers.
        body_too_long: text,
        /// `{chars}` and `{limit}` are numbers.
        passage_too_long: text,
        /// `{problem}` is the passage check's report, in English.
        passage_invalid: text,
        sort_label: text,
        sort_oldest: text,
        sort_newest: text,
        sort_liked: text,
        export: text,
        download_json: text,
        download_csv: text,
        download_participation: text,
        import_json: text,
        /// `{file}` is the file's name; `{error}` says why, in English.
        import_failed: text,
        /// `{file}` is the file's name.
        imported: plural,
        /// The button over a selection in the post.
        comment_on_passage: text,
        /// A highlighted passage's title and its count's label.
        passage_comments: plural,
        /// A citation's popover title until it is formatted.
        source: text,
        formatting_reference: text,
        formatting_references: text,
        /// Read before the quoted words in a citation's popover.
        quoted: text,
        /// `{locator}` is the page or section, as "p. 410".
        cited_at: text,
        web_page: text,
        in_bibliography: text,
        /// `{key}` is a citation key, as @freeze2009.
        unknown_key: text,
        /// `{keys}` is a list of citation keys.
        unknown_keys: text,
        /// The bibliography's heading until the citation style gives its own.
        references: text,
        /// The bibliography's heading in MLA.
        works_cited: text,
        /// The bibliography's heading in the Chicago styles.
        bibliography: text,
        /// `{n}` is the citation's number.
        back_to_citation: text,
        citation_style: text,
        /// The heading of a note style's notes (Chicago notes), before the bibliography.
        citation_notes: text,
        /// Read before a note style's number in the text ("Note 1"); not shown.
        note: text,
        /// A citation note's back-link to its number in the text; `{n}` is the number.
        back_to_note: text,
        /// A citation popover's link to its note at the end; `{n}` is the note's number.
        go_to_note: text,
        /// The citation popover's Close button (on a phone's bottom sheet).
        close: text,
        /// A custom style's name in the picker; `{file}` is its .csl file.
        post_style: text,
        /// `{error}` says why, in English.
        citations_failed: text,
        /// `{file}` is the bibliography's file; `{error}` says why.
        bibliography_failed: text,
        /// `{file}` is the .csl file; `{error}` says why. APA is shown instead.
        style_failed: text,
        /// Shown in an LMS frame when comments are kept only in this browser.
        framed_local_notice: text,
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

section! {
    /// What only a store with accounts shows (the shared stores' thread module, through
    /// `ClassTools`): signing in, the staff's tools and reports. Apart from `ThreadStrings`, so
    /// a site on the local store does not download them.
    ClassStrings {
        /// Accounts (CouchDB store): the button above the thread, its form and what it says.
        sign_in: text,
        sign_out: text,
        username_label: text,
        password_label: text,
        signing_in: text,
        /// `{name}` is the signed-in reader's account name.
        signed_in_as: text,
        signed_in_announcement: text,
        signed_out_announcement: text,
        sign_in_wrong: text,
        sign_in_missing: text,
        /// `{reason}` is why, in English (the server's or the browser's words).
        sign_in_failed: text,
        /// Shown instead of an error when the database is for members only.
        sign_in_prompt: text,
        session_ended: text,
        /// A staff role the server no longer gives the reader; `{role}` is its badge.
        role_removed: text,
        /// The reader's roles changed on the server some other way.
        role_changed: text,
        /// The staff's buttons on each comment (CouchDB store, instructors and TAs only).
        pin: text,
        endorse: text,
        hide: text,
        unhide: text,
        /// The marks a comment shows of the staff's decisions.
        pinned_mark: text,
        endorsed_by_instructor: text,
        endorsed_by_ta: text,
        /// The mark on a hidden comment, for staff, who still see it.
        hidden_from_students: text,
        /// The discussion's lock: the staff's button, and the notice each reader sees.
        lock: text,
        unlock: text,
        locked_notice: text,
        locked_notice_staff: text,
        /// What the live region says once a decision is kept.
        pinned_announcement: text,
        unpinned_announcement: text,
        endorsed_announcement: text,
        unendorsed_announcement: text,
        hidden_announcement: text,
        unhidden_announcement: text,
        locked_announcement: text,
        unlocked_announcement: text,
        /// Post before seeing replies: the staff's toggle, the notices (a student's who has
        /// not posted yet, the staff's) and what is said when it is turned on and off.
        post_first: text,
        post_first_notice: text,
        post_first_notice_staff: text,
        post_first_on_announcement: text,
        post_first_off_announcement: text,
        /// Anonymous to classmates: the staff's toggle, their notice, and what is said when
        /// it is turned on and off.
        anonymous: text,
        anonymous_notice_staff: text,
        anonymous_on_announcement: text,
        anonymous_off_announcement: text,
        /// Reports: the button on someone else's comment (for a signed-in reader), its form
        /// (`{number}` is the comment's number) and what is said once it is sent.
        report: text,
        reported: text,
        report_form_label: text,
        report_reason_legend: text,
        reason_inappropriate: text,
        reason_offensive: text,
        reason_other: text,
        report_details: text,
        send_report: text,
        report_details_missing: text,
        /// `{limit}` is a number of characters.
        report_details_too_long: text,
        report_sent: text,
        /// The staff's review: the button and list (with the number still to review), each
        /// reported comment (`{number}`, `{author}`), each report (`{reason}`, `{name}`).
        reports: text,
        no_reports: text,
        report_comment_link: text,
        reported_by: text,
        dismiss: text,
        report_hidden: text,
        report_dismissed: text,
        /// Checkpoints: the list every signed-in reader sees (`{due}` is a date and time),
        /// a student's own progress (`{done}` and `{n}` are counts) and its status.
        checkpoints: text,
        checkpoint_comment: text,
        checkpoint_replies: plural,
        progress_comment: text,
        progress_replies: plural,
        checkpoint_met: text,
        checkpoint_missed: text,
        /// `{n}` of the reader's comments or replies came after the date.
        checkpoint_late: text,
        /// The staff's form: its button, fields, buttons, refusals and what is said.
        set_checkpoints: text,
        comment_due_label: text,
        replies_required_label: text,
        replies_due_label: text,
        save_checkpoints: text,
        remove_checkpoints: text,
        comment_due_missing: text,
        replies_due_missing: text,
        /// `{limit}` is the most replies a checkpoint can ask for.
        too_many_replies: text,
        replies_due_first: text,
        checkpoints_saved: text,
        checkpoints_removed: text,
    }
}

section! {
    /// What the post editor shows (`?write`), and the list's links to it.
    WriteStrings {
        draft_saved: text,
        draft_not_saved: text,
        draft_missing: text,
        start_new: text,
        title_label: text,
        summary_label: text,
        post_label: text,
        post_hint: text,
        author_label: text,
        course_line: text,
        bibliography_label: text,
        bibliography_hint: text,
        bibliography_file_label: text,
        file_read_failed: text,
        style_label: text,
        preview_heading: text,
        preview_empty: text,
        preview_failed: text,
        citation_keys: text,
        unknown_keys: text,
        publish: text,
        update_post: text,
        unpublish: text,
        delete_draft: text,
        confirm_delete: text,
        confirm_unpublish: text,
        yes_unpublish: text,
        yes_delete: text,
        cancel: text,
        publishing: text,
        published: text,
        view_post: text,
        unpublished: text,
        local_only: text,
        no_title: text,
        title_too_long: text,
        summary_too_long: text,
        no_body: text,
        body_too_long: text,
        no_author: text,
        author_too_long: text,
        bibliography_too_long: text,
        bibliography_problem: text,
        not_yours: text,
        refused: text,
        server_failed: text,
        unreachable: text,
    }
}
