//! Browser tests (wasm-bindgen-test in headless Chromium): mount the post and thread views
//! and check the structure they put in the DOM.
#![cfg(target_arch = "wasm32")]

use colloquy::content::catalog::CatalogEntry;
use colloquy::content::Post;
use colloquy::model::comment::parse_seed;
use colloquy::ui::post::PostArticle;
use colloquy::ui::thread::Thread;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED_POST: &str = include_str!("../content/posts/the-struggle-for-freedom/index.md");
const SEED_COMMENTS: &str = include_str!("../content/posts/the-struggle-for-freedom/comments.json");

/// Mounts a view into a fresh container and returns the container.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), view);
    handle.forget();
    host
}

fn all(host: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(host: &web_sys::Element, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn seed_entry(slug: &str) -> CatalogEntry {
    CatalogEntry {
        slug: slug.to_owned(),
        source: format!("posts/{slug}/index.md"),
        comments: None,
    }
}

fn mount_post(source: &'static str) -> web_sys::Element {
    let post = Post::parse(source).unwrap();
    let entry = seed_entry("browser-test");
    mount(move || view! { <PostArticle post entry /> })
}

#[wasm_bindgen_test]
fn the_seed_post_has_its_header_and_every_paragraph() {
    let host = mount_post(SEED_POST);
    assert_eq!(text(&host, "article.post h1"), "The Struggle for Freedom");
    assert_eq!(text(&host, ".post-author"), "Jordan Ellis");
    assert!(text(&host, ".post-course").starts_with("HIST 232"));
    let time = host.query_selector(".byline time").unwrap().unwrap();
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2019-03-14")
    );
    assert!(time.text_content().unwrap().contains("2019"));
    assert_eq!(text(&host, ".reading-time"), "2 min read");
    let paragraphs = all(&host, ".post-body > p");
    assert_eq!(paragraphs.len(), 3);
    assert!(paragraphs[2]
        .text_content()
        .unwrap()
        .contains("incuding some people associated with the elite.”"));
    assert!(
        all(&host, "nav.toc").is_empty(),
        "no headings, so no contents"
    );
    assert!(all(&host, ".footnotes").is_empty());
}

#[wasm_bindgen_test]
fn a_citation_paints_as_a_plain_button_with_its_label_before_the_module_loads() {
    let host = mount_post(
        "---\ntitle: T\nauthor: A\ndate: 2024-01-02\nbibliography: refs.bib\n---\nAs shown [see @doe2001, pp. 3-5]. Mail jo@example.org, `@code`.\n",
    );
    let buttons = all(&host, "button.citation");
    assert_eq!(
        buttons.len(),
        1,
        "one citation; the e-mail and the code span stay text"
    );
    let button = &buttons[0];
    assert_eq!(button.id(), "cite-1");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(
        button.get_attribute("data-source").as_deref(),
        Some("[see @doe2001, pp. 3-5]")
    );
    assert_eq!(button.text_content().unwrap(), "(see doe2001, p. 3-5)");
    assert_eq!(all(&host, ".bibliography-slot").len(), 1);
}

#[wasm_bindgen_test]
fn a_citation_paints_with_the_label_last_visit_cached() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item(
            "colloquy:cite-labels:cached-labels",
            r#"[[1,"(Doe, 2001, pp. 3–5)"]]"#,
        )
        .unwrap();
    let post = Post::parse(
        "---\ntitle: T\nauthor: A\ndate: 2024-01-02\nbibliography: refs.bib\n---\nAs shown [@doe2001, pp. 3-5].\n",
    )
    .unwrap();
    let entry = seed_entry("cached-labels");
    let host = mount(move || view! { <PostArticle post entry /> });
    storage
        .remove_item("colloquy:cite-labels:cached-labels")
        .unwrap();
    assert_eq!(text(&host, "button.citation"), "(Doe, 2001, pp. 3–5)");
}

#[wasm_bindgen_test]
fn headings_give_a_contents_list_and_footnotes_a_notes_section() {
    let host = mount_post(
        "---\ntitle: T\nauthor: A\ndate: 2024-01-02\n---\n# First part\n\nSee this.[^n]\n\n## Second part\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n[^n]: The note.\n",
    );
    let links = all(&host, "nav.toc a");
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[0].get_attribute("href").as_deref(),
        Some("#first-part")
    );
    assert_eq!(text(&host, "h2#first-part"), "First part");
    assert_eq!(text(&host, "h3#second-part"), "Second part");
    let reference = host.query_selector("sup.footnote-ref a").unwrap().unwrap();
    assert_eq!(reference.get_attribute("href").as_deref(), Some("#fn-1"));
    assert_eq!(reference.id(), "fnref-1");
    assert!(text(&host, ".footnotes li#fn-1").contains("The note."));
    assert_eq!(all(&host, "table thead th").len(), 2);
    let cell = host
        .query_selector("table tbody td:last-child")
        .unwrap()
        .unwrap();
    // A class, not a `style` attribute, which the site's strict CSP would refuse.
    assert_eq!(cell.get_attribute("class").as_deref(), Some("align-right"));
    assert_eq!(cell.get_attribute("style"), None);
}

#[wasm_bindgen_test]
fn html_and_script_links_in_a_post_stay_inert_text() {
    let host = mount_post(
        "---\ntitle: T\nauthor: A\ndate: 2024-01-02\n---\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(2)) <b>bold?</b>\n",
    );
    assert!(all(&host, ".post-body img, .post-body b").is_empty());
    assert!(all(&host, "a[href^='javascript']").is_empty());
    assert!(text(&host, ".post-body").contains("<img src=x onerror=alert(1)>"));
}

/// Lets effects and spawned tasks run.
async fn settle() {
    for _ in 0..3 {
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
        });
        wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn seed_comments_are_numbered_with_permalinks() {
    let comments = parse_seed(SEED_COMMENTS).unwrap();
    let host = mount(move || {
        let loaded = Signal::derive(move || Some(Ok(comments.clone())));
        let count = RwSignal::new(None);
        view! { <Thread post_id="browser-test".to_owned() seed=loaded count /> }
    });
    settle().await;
    assert_eq!(text(&host, "#thread-heading"), "4 comments");
    let items = all(&host, "ol.comments > li.comment");
    let ids: Vec<String> = items.iter().map(|li| li.id()).collect();
    assert_eq!(ids, ["comment-1", "comment-2", "comment-3", "comment-4"]);
    assert!(items[0].text_content().unwrap().contains("Parker"));
    assert!(items[1]
        .text_content()
        .unwrap()
        .contains("I agree with Parker."));
}
