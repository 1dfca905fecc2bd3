//! English: the UI's first language, and the one every other table is checked against.

use super::{PageStrings, Plural, ThreadStrings};

pub static PAGE: PageStrings = PageStrings {
    skip_link: "Skip to content",
    posts: "Posts",
    no_posts: "No posts yet: add one to content/posts.json.",
    card_error: "This post cannot be shown: {error}",
    loading_post: "Loading the post…",
    list_failed: "The posts cannot be listed",
    post_not_found: "Post not found",
    post_not_found_detail: "There is no post called “{slug}”. It may have been renamed or removed.",
    post_failed: "This post cannot be shown",
    all_posts: "← All posts",
    contents: "Contents",
    notes: "Notes",
    back_to_note_reference: "Back to reference {n}",
    reading_time: "{minutes} min read",
    comments_link: "Comments",
    loading_comments: "Loading comments…",
    comments_failed: "The comments cannot be shown: {error}",
    theme_label: "Theme",
    theme_system: "System",
    theme_light: "Light",
    theme_dark: "Dark",
    language_label: "Language",
    framed_local_notice: "Comments here are saved in this browser only, and some browsers clear them when you close this page. To share comments with your class, your instructor can set up a comment server (see docs/hosting.md).",
};

pub static THREAD: ThreadStrings = ThreadStrings {
    comment_count: Plural {
        one: "{n} comment",
        few: "{n} comments",
        many: "{n} comments",
        other: "{n} comments",
    },
    no_comments: "No comments",
    saving: "Saving…",
    saved: "Saved.",
    will_send_later: "Not sent yet ({reason}). It will be sent when the connection is back.",
    save_failed: "Not sent: {reason}.",
};
