//! The thread module's exports, shared by its two builds (`thread_app`, `thread_app_shared`):
//! the comment thread, and the citations' popovers and bibliography, loaded by the page after
//! the post has painted. The page calls them through `assets/post.js` or `web::thread_module`.
//! Each build gives the opener of the stores it carries as `crate::OPEN_STORE`, and signing
//! in (for CouchDB) and the staff's tools as `crate::CLASS_TOOLS` where it carries that store.

use colloquy::content::markdown::Document;
use colloquy::store::record_store::Records;
use colloquy::ui::post::comments_label;
use colloquy::ui::thread::Thread;
use colloquy::web::{embed, fetch, format, locale, location, perf};
use leptos::prelude::*;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The post's seed comments (`comments.json`), once fetched.
type SeedComments = ArcRwSignal<Option<Result<Vec<colloquy::model::Comment>, fetch::LoadError>>>;

/// Starts fetching the post's seed comments at `path`, now. The browser runs the fetch, not
/// Leptos: on a built page it starts before any mount has given Leptos its executor.
fn fetch_seed_comments(path: Option<String>) -> SeedComments {
    let seed = ArcRwSignal::new(None);
    let fetched = seed.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let comments = fetch::seed_comments_at(path.as_deref()).await;
        fetched.set(Some(comments));
    });
    seed
}

/// Keeps `label` (the byline's link to the comments) saying how many there are.
fn keep_count_shown(label: Option<web_sys::HtmlElement>, count: RwSignal<Option<usize>>) {
    Effect::new(move |_| {
        if let (Some(label), Some(n)) = (&label, count.get()) {
            label.set_text_content(Some(&comments_label(n)));
        }
    });
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
    let seed = fetch_seed_comments(comments_path);
    leptos::mount::mount_to(root, move || {
        let seed = seed.clone();
        let count = RwSignal::new(None);
        keep_count_shown(count_label.clone(), count);
        view! {
            <Thread
                post_id=post_id.clone()
                open_store=crate::OPEN_STORE
                class_tools=crate::CLASS_TOOLS
                seed=Signal::derive(move || seed.get())
                count
            />
        }
    })
    .forget();
}

/// Takes over a post page built by `colloquy build` (`assets/post.js` calls this): the
/// citations of `article` become popovers over the formatted labels the page shows, and the
/// seed comments in `slot` are replaced by the live thread once it has loaded, in one swap,
/// so the reader never sees the thread empty. Nothing else on the page is drawn again.
/// `config` is `config.json` as the page read it to choose this module (its text, or null
/// when there is none), so it is not fetched twice; undefined when the page could not read it.
#[wasm_bindgen]
pub fn start_post(article: web_sys::HtmlElement, slot: web_sys::HtmlElement, config: JsValue) {
    perf::mark(perf::THREAD_MOUNT);
    if !config.is_undefined() {
        fetch::use_fetched_config(config);
    }
    locale::mark_document();
    embed::report_height_changes();
    // The built header links home plainly; the visit's `?lang=` and `?theme=` go along.
    if let Some(home) = document()
        .query_selector(".site-header .site-name")
        .ok()
        .flatten()
    {
        let _ = home.set_attribute("href", &location::home_href());
    }
    let data = |name: &str| {
        article
            .get_attribute(&format!("data-{name}"))
            .filter(|v| !v.is_empty())
    };
    let slug = data("slug").unwrap_or_default();
    let source = data("source").unwrap_or_default();
    let comments_path = data("comments");
    let bibliography: Vec<String> = data("bibliography")
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    if article
        .query_selector(".citation-anchor")
        .ok()
        .flatten()
        .is_some()
    {
        // Each step of the take-over is a task of its own (`perf::in_own_task`).
        let (article, slug, csl) = (article.clone(), slug.clone(), data("csl"));
        perf::in_own_task(move || mount_citations(article, slug, source, bibliography, csl, None));
    }
    let count_label = article
        .query_selector(".byline .comment-count")
        .ok()
        .flatten()
        .and_then(|label| label.dyn_into().ok());
    // The seed comments are fetched, and this browser's records opened (`Records::shared`),
    // while the citations and formatters are set up; the thread then finds both ready.
    let seed = fetch_seed_comments(comments_path);
    wasm_bindgen_futures::spawn_local(async {
        Records::shared().await;
    });
    perf::in_own_task(format::prepare_dates);
    perf::in_own_task(format::prepare_numbers);
    perf::in_own_task(move || take_over_thread(slot, slug, seed, count_label));
}

/// Draws the live thread apart from the page and swaps it in for the built one in `slot`
/// once it has loaded (or can say why not); keeps `count_label` saying the count.
fn take_over_thread(
    slot: web_sys::HtmlElement,
    slug: String,
    seed: SeedComments,
    count_label: Option<web_sys::HtmlElement>,
) {
    // Comment bodies the build rendered, so the live thread draws them as the page shows them.
    let prerendered: HashMap<String, Document> = document()
        .get_element_by_id("colloquy-rendered")
        .and_then(|script| script.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let live: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("a document makes elements")
        .unchecked_into();
    let _ = live.set_attribute("class", "thread-live");
    let shown = StoredValue::new(false);
    let slot_for_swap = slot.clone();
    let live_for_swap = live.clone();
    leptos::mount::mount_to(live, move || {
        let seed = seed.clone();
        let count = RwSignal::new(None);
        let settled = RwSignal::new(false);
        Effect::new(move |_| {
            if settled.get() && !shown.get_value() {
                shown.set_value(true);
                slot_for_swap.replace_children_with_node_1(&live_for_swap);
            }
        });
        keep_count_shown(count_label.clone(), count);
        view! {
            <Thread
                post_id=slug.clone()
                open_store=crate::OPEN_STORE
                class_tools=crate::CLASS_TOOLS
                seed=Signal::derive(move || seed.get())
                count
                prerendered=prerendered.clone()
                settled
            />
        }
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
            async move {
                colloquy::ui::thread::thread_count(&post_id, path.as_deref(), crate::OPEN_STORE)
                    .await
            }
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
/// `inline_bibliography` is a post's bibliography given as text, in JSON
/// (`{"name": "refs.bib", "text": "…"}`): a post written in the app, or its preview.
#[wasm_bindgen]
pub fn mount_citations(
    article: web_sys::HtmlElement,
    slug: String,
    source: String,
    bibliography: Vec<String>,
    csl: Option<String>,
    inline_bibliography: Option<String>,
) {
    let inline = inline_bibliography.and_then(|json| serde_json::from_str(&json).ok());
    let entry = colloquy::content::catalog::CatalogEntry {
        slug,
        source,
        comments: None,
    };
    colloquy::ui::bibliography::mount_citations(
        article,
        entry,
        bibliography,
        csl,
        inline,
        &mut colloquy::ui::bibliography::ForThePage,
    );
}
