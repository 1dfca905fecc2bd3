//! Sentences for the problems the model and the stores report as values, in a table's words.
//! Numbers come through the caller's `number` (Intl in the browser), so this stays pure.

use super::{fill, ThreadStrings};
use crate::model::anchor::{PassageProblem, MAX_EXACT_CHARS};
use crate::model::compose::{ComposeError, MAX_BODY_CHARS, MAX_NAME_CHARS};
use crate::store::{RemoteProblem, StoreError, StoreNotice};

/// What the composer says about one problem with a comment.
pub fn compose_error(
    words: &ThreadStrings,
    error: &ComposeError,
    number: impl Fn(usize) -> String,
) -> String {
    let too_long = |template: &str, chars: usize, limit: usize| {
        fill(
            template,
            &[("chars", &number(chars)), ("limit", &number(limit))],
        )
    };
    match error {
        ComposeError::NameMissing => words.name_missing.to_owned(),
        ComposeError::NameTooLong { chars } => {
            too_long(words.name_too_long, *chars, MAX_NAME_CHARS)
        }
        ComposeError::BodyEmpty => words.body_empty.to_owned(),
        ComposeError::BodyTooLong { chars } => {
            too_long(words.body_too_long, *chars, MAX_BODY_CHARS)
        }
        ComposeError::Passage(PassageProblem::QuoteTooLong { chars }) => {
            too_long(words.passage_too_long, *chars, MAX_EXACT_CHARS)
        }
        ComposeError::Passage(problem) => {
            fill(words.passage_invalid, &[("problem", &problem.to_string())])
        }
    }
}

/// What the thread says when a write was not saved.
pub fn store_error(words: &ThreadStrings, error: &StoreError) -> String {
    match error {
        StoreError::QuotaExceeded => words.not_saved_quota.to_owned(),
        StoreError::NotReady => fill(words.not_saved, &[("reason", words.thread_still_loading)]),
        StoreError::Failed(reason) => fill(words.not_saved, &[("reason", reason)]),
    }
}

/// What the thread says above itself about where comments are kept.
pub fn store_notice(words: &ThreadStrings, notice: &StoreNotice) -> String {
    match notice {
        StoreNotice::MemoryOnly => words.memory_only.to_owned(),
        StoreNotice::SetAside { backup_key, reason } => fill(
            words.set_aside,
            &[("reason", reason), ("backup_key", backup_key)],
        ),
    }
}

/// What the banner above the thread says while a remote store has a problem.
pub fn remote_problem(words: &ThreadStrings, problem: &RemoteProblem) -> String {
    match problem {
        // The browser's reason ("TypeError: Failed to fetch") is in the console (Display).
        RemoteProblem::Unreachable { .. } => words.server_unreachable.to_owned(),
        RemoteProblem::TimedOut => words.server_timed_out.to_owned(),
        RemoteProblem::Answered {
            status,
            message: None,
        } => fill(words.server_answered, &[("status", &status.to_string())]),
        RemoteProblem::Answered {
            status,
            message: Some(message),
        } => fill(
            words.server_answered_with,
            &[("status", &status.to_string()), ("message", message)],
        ),
        RemoteProblem::Unreadable { detail } => {
            fill(words.server_unreadable, &[("detail", detail)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn plain(n: usize) -> String {
        n.to_string()
    }

    #[test]
    fn compose_errors_name_the_length_and_the_limit() {
        let too_long = ComposeError::BodyTooLong { chars: 5012 };
        assert_eq!(
            compose_error(Lang::En.thread(), &too_long, plain),
            "The comment is 5012 characters; the limit is 5000."
        );
        assert_eq!(
            compose_error(Lang::Ru.thread(), &too_long, plain),
            "В комментарии 5012 симв.; можно не больше 5000."
        );
        let name = ComposeError::NameTooLong { chars: 81 };
        assert_eq!(
            compose_error(Lang::En.thread(), &name, |n| format!("<{n}>")),
            "The name is <81> characters; the limit is <80>."
        );
        assert_eq!(
            compose_error(Lang::Ru.thread(), &ComposeError::NameMissing, plain),
            "Пожалуйста, укажите своё имя."
        );
    }

    #[test]
    fn a_passage_problem_is_named_inside_the_sentence() {
        let long = ComposeError::Passage(PassageProblem::QuoteTooLong { chars: 2500 });
        assert_eq!(
            compose_error(Lang::En.thread(), &long, plain),
            "The quoted passage is 2500 characters; the limit is 2000. Select a shorter passage."
        );
        let empty = ComposeError::Passage(PassageProblem::QuoteEmpty);
        assert_eq!(
            compose_error(Lang::En.thread(), &empty, plain),
            "The quoted passage cannot be kept: the quoted passage is empty."
        );
    }

    #[test]
    fn store_messages_keep_the_stores_detail() {
        assert_eq!(
            store_error(Lang::Ru.thread(), &StoreError::Failed("HTTP 500".into())),
            "Изменение не сохранено: HTTP 500"
        );
        assert_eq!(
            store_error(Lang::En.thread(), &StoreError::NotReady),
            "Your change was not saved: the thread is still loading"
        );
        let aside = StoreNotice::SetAside {
            backup_key: "colloquy:backup".into(),
            reason: "bad JSON".into(),
        };
        assert!(store_notice(Lang::Ru.thread(), &aside).contains("«colloquy:backup»"));
        assert!(store_notice(Lang::Ru.thread(), &aside).contains("(bad JSON)"));
    }

    #[test]
    fn remote_problems_name_the_status_and_keep_the_servers_words() {
        let refused = RemoteProblem::Answered {
            status: 502,
            message: Some("Bad Gateway".into()),
        };
        assert_eq!(
            remote_problem(Lang::Ru.thread(), &refused),
            "Сервер комментариев ответил 502: Bad Gateway"
        );
        let down = RemoteProblem::Unreachable {
            reason: "Failed to fetch".into(),
        };
        assert_eq!(
            remote_problem(Lang::En.thread(), &down),
            "The comment server cannot be reached; showing the saved copy."
        );
    }
}
