//! Russian (русский).

use super::{PageStrings, Plural, ThreadStrings};

pub static PAGE: PageStrings = PageStrings {
    skip_link: "Перейти к содержанию",
    posts: "Записи",
    no_posts: "Записей пока нет: добавьте запись в content/posts.json.",
    card_error: "Эту запись нельзя показать: {error}",
    loading_post: "Загрузка записи…",
    list_failed: "Не удалось загрузить список записей",
    post_not_found: "Запись не найдена",
    post_not_found_detail: "Записи «{slug}» нет. Возможно, её переименовали или удалили.",
    post_failed: "Эту запись нельзя показать",
    all_posts: "← Все записи",
    contents: "Содержание",
    notes: "Примечания",
    back_to_note_reference: "Назад к ссылке {n}",
    reading_time: "{minutes} мин чтения",
    comments_link: "Комментарии",
    loading_comments: "Загрузка комментариев…",
    comments_failed: "Комментарии нельзя показать: {error}",
    theme_label: "Тема",
    theme_system: "Как в системе",
    theme_light: "Светлая",
    theme_dark: "Тёмная",
    language_label: "Язык",
    framed_local_notice: "Комментарии здесь сохраняются только в этом браузере, и некоторые браузеры удаляют их, когда вы закрываете страницу. Чтобы комментарии видел весь курс, преподаватель может подключить сервер комментариев (см. docs/hosting.md).",
};

pub static THREAD: ThreadStrings = ThreadStrings {
    comment_count: Plural {
        one: "{n} комментарий",
        few: "{n} комментария",
        many: "{n} комментариев",
        other: "{n} комментария",
    },
    no_comments: "Нет комментариев",
    saving: "Сохраняется…",
    saved: "Сохранено.",
    will_send_later: "Пока не отправлено ({reason}). Отправится, когда связь восстановится.",
    save_failed: "Не отправлено: {reason}.",
};
