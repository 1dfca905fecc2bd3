//! The thread module: the comment thread and everything it needs (stores, composer, the
//! thread model), and the citations' popovers and bibliography, loaded by the page after
//! the post has painted so the first load stays small. The page calls its exports through
//! `web::thread_module`.

use colloquy::ui::post::comments_label;
use colloquy::ui::thread::Thread;
use colloquy::web::{fetch, perf};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
}

/// Mounts a post's thread into `root`, and keeps `count_label` (the byline's link) saying
/// how many comments it has.
#[wasm_bindgen]
pub fn mount_thread(
    root: web_sys::HtmlElement,
    post_id: String,
    comments_path: Option<String>,
    count_label: Option<web_sys::HtmlElement>,
) {
    perf::mark(perf::THREAD_MOUNT);
    leptos::mount::mount_to(root, move || {
        let seed = LocalResource::new({
            let path = comments_path.clone();
            move || {
                let path = path.clone();
                async move { fetch::seed_comments_at(path.as_deref()).await }
            }
        });
        let count = RwSignal::new(None);
        Effect::new(move |_| {
            if let (Some(label), Some(n)) = (&count_label, count.get()) {
                label.set_text_content(Some(&comments_label(n)));
            }
        });
        view! { <Thread post_id=post_id.clone() seed=Signal::derive(move || seed.get()) count /> }
    })
    .forget();
}

/// Fills a post card's `root` with a link saying how many comments the post has.
#[wasm_bindgen]
pub fn mount_count(
    root: web_sys::HtmlElement,
    post_id: String,
    comments_path: Option<String>,
    href: String,
) {
    leptos::mount::mount_to(root, move || {
        let post_id = post_id.clone();
        let path = comments_path.clone();
        let count = LocalResource::new(move || {
            let post_id = post_id.clone();
            let path = path.clone();
            async move { colloquy::ui::thread::thread_count(&post_id, path.as_deref()).await }
        });
        move || {
            count
                .get()
                .flatten()
                .map(|n| view! { <a href=href.clone()>{comments_label(n)}</a> })
        }
    })
    .forget();
}

/// Mounts the citation popovers and the bibliography of the post in `article`.
#[wasm_bindgen]
pub fn mount_citations(
    article: web_sys::HtmlElement,
    slug: String,
    source: String,
    bibliography: Vec<String>,
    csl: Option<String>,
) {
    let entry = colloquy::content::catalog::CatalogEntry {
        slug,
        source,
        comments: None,
    };
    colloquy::ui::bibliography::mount_citations(article, entry, bibliography, csl);
}
