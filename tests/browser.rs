//! Browser tests (wasm-bindgen-test in headless Chromium and Firefox): mount the post and
//! thread views and check the structure they put in the DOM; the local store on IndexedDB.
#![cfg(target_arch = "wasm32")]

use colloquy::content::catalog::CatalogEntry;
use colloquy::content::Post;
use colloquy::model::comment::parse_seed;
use colloquy::model::{Comment, Like, ThreadData};
use colloquy::store::indexed::IndexedRecords;
use colloquy::store::key_records::KeyRecords;
use colloquy::store::local::{thread_key, LocalStore};
use colloquy::store::record_keys;
use colloquy::store::record_store::Records;
use colloquy::store::records::Space;
use colloquy::store::{Change, Store, StoreError, StoreNotice};
use colloquy::ui::post::PostArticle;
use colloquy::ui::thread::Thread;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
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

/// Lets effects and spawned tasks run until `done` holds, for up to about 6 s; says whether it
/// did. Loading goes through config.json, IndexedDB and a worker, which a busy machine slows.
async fn settle_until(done: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        settle().await;
    }
    done()
}

#[wasm_bindgen_test]
async fn seed_comments_are_numbered_with_permalinks() {
    let comments = parse_seed(SEED_COMMENTS).unwrap();
    let host = mount(move || {
        let loaded = Signal::derive(move || Some(Ok(comments.clone())));
        let count = RwSignal::new(None);
        view! {
            <Thread
                post_id="browser-test".to_owned()
                open_store=colloquy::store::open_local
                seed=loaded
                count
            />
        }
    });
    settle_until(|| text(&host, "#thread-heading") == "4 comments").await;
    assert_eq!(text(&host, "#thread-heading"), "4 comments");
    let items = all(&host, "ol.comments > li.comment");
    let ids: Vec<String> = items.iter().map(|li| li.id()).collect();
    assert_eq!(ids, ["comment-1", "comment-2", "comment-3", "comment-4"]);
    assert!(items[0].text_content().unwrap().contains("Parker"));
    // A body is drawn once it is rendered (here the content worker is missing, so once that
    // is known it is drawn as its text): wait for it.
    let drawn = settle_until(|| {
        items[1]
            .text_content()
            .unwrap()
            .contains("I agree with Parker.")
    })
    .await;
    assert!(drawn, "comment 2's body was never drawn");
}

// The local store's records, on IndexedDB and on per-record localStorage keys. Each test uses
// post ids of its own (one per backend): they share one origin.

fn stored_comment(post: &str, id: &str, body: &str, updated: &str, deleted: bool) -> Comment {
    serde_json::from_value(serde_json::json!({
        "id": id, "postId": post, "parentId": null, "author": "Tester", "authorKey": "key",
        "body": body, "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": updated,
        "deleted": deleted,
    }))
    .unwrap()
}

fn stored_like(comment: &str, browser: &str, liked: bool, updated: &str) -> Like {
    Like {
        comment_id: comment.into(),
        browser_id: browser.into(),
        liked,
        updated_at: updated.into(),
    }
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

async fn indexed() -> Rc<Records> {
    let records = IndexedRecords::open()
        .await
        .expect("IndexedDB opens in this browser");
    Rc::new(Records::Indexed(records))
}

fn keys() -> Rc<Records> {
    Rc::new(Records::Keys(KeyRecords::new(storage())))
}

/// Both backends, each with the post id `<name>-idb` or `<name>-keys`.
async fn backends(name: &str) -> [(Rc<Records>, String); 2] {
    [
        (indexed().await, format!("{name}-idb")),
        (keys(), format!("{name}-keys")),
    ]
}

async fn stored(records: &Records, post: &str) -> ThreadData {
    records.read(&Space::local(post)).await.unwrap().0
}

/// The localStorage keys starting with `prefix`.
fn keys_starting(prefix: &str) -> Vec<String> {
    let storage = storage();
    (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

/// Makes `localStorage.setItem` throw a full storage's error for keys starting with `prefix`
/// until the returned guard is dropped.
struct FullStorage(js_sys::Function);

impl FullStorage {
    fn for_keys(prefix: &str) -> FullStorage {
        let patch = js_sys::Function::new_with_args(
            "prefix",
            "const setItem = Storage.prototype.setItem;
             Storage.prototype.setItem = function (key, value) {
               if (String(key).startsWith(prefix)) throw new DOMException('full', 'QuotaExceededError');
               return setItem.call(this, key, value);
             };
             return () => { Storage.prototype.setItem = setItem; };",
        );
        let undo = patch.call1(&JsValue::NULL, &prefix.into()).unwrap();
        FullStorage(undo.unchecked_into())
    }
}

impl Drop for FullStorage {
    fn drop(&mut self) {
        self.0.call0(&JsValue::NULL).unwrap();
    }
}

#[wasm_bindgen_test]
async fn indexeddb_opens_here_and_a_write_loads_back() {
    for (records, post) in backends("round-trip").await {
        let post = post.as_str();
        let store = LocalStore::on(records.clone());
        let comment = stored_comment(post, "a", "Hello", "2026-01-01T00:00:00.000Z", false);
        let like = stored_like("a", "b1", true, "2026-01-01T00:01:00.000Z");
        store
            .write(post, Change::Comment(comment.clone()))
            .await
            .unwrap();
        store.write(post, Change::Like(like.clone())).await.unwrap();
        // Another store (a second tab, a reload) reads the same records.
        let loaded = LocalStore::on(records.clone())
            .load(post, &ThreadData::default())
            .await;
        assert_eq!(loaded.notice, None, "{post}");
        assert_eq!(loaded.data.comments, vec![comment], "{post}");
        assert_eq!(loaded.data.likes, vec![like], "{post}");
        // Another post's records are not this one's, nor a cache of this post.
        let other = stored(&records, &format!("{post}-other")).await;
        assert!(other.is_empty(), "{post}");
        let cache = records.read(&Space::cache("rest-cache", post)).await;
        assert!(cache.unwrap().0.is_empty(), "{post}");
    }
    // The page's own store is on IndexedDB here.
    let page = Records::shared().await;
    assert!(matches!(*page, Records::Indexed(_)));
}

#[wasm_bindgen_test]
async fn each_record_keeps_the_merge_rules() {
    for (records, post) in backends("merge").await {
        let post = post.as_str();
        let store = LocalStore::on(records.clone());
        let first = stored_comment(post, "a", "First", "2026-01-01T00:00:00.000Z", false);
        let edited = stored_comment(post, "a", "Edited", "2026-01-01T00:05:00.000Z", false);
        let gone = stored_comment(post, "b", "Gone", "2026-01-01T00:01:00.000Z", true);
        let late_edit = stored_comment(post, "b", "Late edit", "2026-01-01T09:00:00.000Z", false);
        for comment in [&edited, &first, &gone, &late_edit] {
            store
                .write(post, Change::Comment(comment.clone()))
                .await
                .unwrap();
        }
        let liked = stored_like("a", "b1", true, "2026-01-01T00:02:00.000Z");
        let unliked = stored_like("a", "b1", false, "2026-01-01T00:03:00.000Z");
        for like in [&unliked, &liked] {
            store.write(post, Change::Like(like.clone())).await.unwrap();
        }
        let data = stored(&records, post).await;
        assert_eq!(
            data.comments,
            vec![edited.clone(), gone.clone()],
            "{post}: the later edit wins; the delete wins"
        );
        assert_eq!(
            data.likes,
            vec![unliked],
            "{post}: the latest like decision wins"
        );
        // A thread merged in writes only the records that change it.
        let newer = stored_comment(post, "c", "New", "2026-01-02T00:00:00.000Z", false);
        let thread = ThreadData {
            comments: vec![first.clone(), newer.clone()],
            likes: vec![liked.clone()],
            ..ThreadData::default()
        };
        let changed = records.write(&Space::local(post), &thread).await.unwrap();
        assert_eq!(changed.comments, vec![newer], "{post}");
        assert!(changed.likes.is_empty(), "{post}");
    }
}

#[wasm_bindgen_test]
async fn localstorage_keeps_one_key_per_record_in_its_saved_form() {
    let post = "keys-one-per-record";
    let store = LocalStore::on(keys());
    let comment = stored_comment(post, "c:1", "Hello", "2026-01-01T00:00:00.000Z", false);
    let like = stored_like("c:1", "b1", true, "2026-01-01T00:01:00.000Z");
    store
        .write(post, Change::Comment(comment.clone()))
        .await
        .unwrap();
    store.write(post, Change::Like(like.clone())).await.unwrap();
    assert_eq!(
        keys_starting(&format!("colloquy:c:{post}:")),
        vec![format!("colloquy:c:{post}:c%3A1")]
    );
    assert_eq!(
        keys_starting(&format!("colloquy:l:{post}:")),
        vec![format!("colloquy:l:{post}:c%3A1:b1")]
    );
    let saved = storage()
        .get_item(&record_keys::comment_key(post, "c:1"))
        .unwrap()
        .unwrap();
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["body"], "Hello");
    assert_eq!(saved["postId"], post);
    assert_eq!(storage().get_item(&thread_key(post)).unwrap(), None);
    // What another tab wrote under a key is the change it made.
    let json = storage()
        .get_item(&record_keys::like_key(post, "c:1", "b1"))
        .unwrap()
        .unwrap();
    assert_eq!(
        record_keys::change_in(post, &record_keys::like_key(post, "c:1", "b1"), &json),
        Some(Change::Like(like))
    );
}

#[wasm_bindgen_test]
async fn the_old_localstorage_thread_moves_in_and_its_key_goes() {
    for (records, post) in backends("migration").await {
        let post = post.as_str();
        let storage = storage();
        let kept = stored_comment(
            post,
            "kept",
            "Already moved",
            "2026-01-01T00:00:00.000Z",
            false,
        );
        LocalStore::on(records.clone())
            .write(post, Change::Comment(kept.clone()))
            .await
            .unwrap();
        let old = ThreadData {
            comments: vec![stored_comment(
                post,
                "old",
                "From localStorage",
                "2026-01-01T00:00:00.000Z",
                false,
            )],
            likes: vec![stored_like("old", "b1", true, "2026-01-01T00:00:00.000Z")],
            ..ThreadData::default()
        };
        storage
            .set_item(
                &thread_key(post),
                &colloquy::model::schema::save(&old, post),
            )
            .unwrap();
        let loaded = LocalStore::on(records.clone())
            .load(post, &ThreadData::default())
            .await;
        assert_eq!(loaded.notice, None, "{post}");
        assert_eq!(loaded.data.comments.len(), 2, "{post}");
        assert_eq!(loaded.data.likes, old.likes, "{post}");
        assert_eq!(
            storage.get_item(&thread_key(post)).unwrap(),
            None,
            "{post}: removed once written"
        );
        assert_eq!(stored(&records, post).await, loaded.data, "{post}");

        // A version-1 array (a seed file's shape) moves too.
        let v1 =
            r#"[{"id": "v1", "author": "A", "body": "b", "createdAt": "2026-01-02T00:00:00Z"}]"#;
        storage.set_item(&thread_key(post), v1).unwrap();
        let loaded = LocalStore::on(records.clone())
            .load(post, &ThreadData::default())
            .await;
        assert_eq!(loaded.data.comments.len(), 3, "{post}");
        assert_eq!(storage.get_item(&thread_key(post)).unwrap(), None, "{post}");
    }
    let post = "migration-keys";
    assert_eq!(keys_starting(&format!("colloquy:c:{post}:")).len(), 3);
    assert_eq!(keys_starting(&format!("colloquy:l:{post}:")).len(), 1);
}

#[wasm_bindgen_test]
async fn a_full_localstorage_keeps_the_old_key_and_the_typed_comment() {
    let post = "keys-full";
    let storage = storage();
    let old = ThreadData {
        comments: vec![stored_comment(
            post,
            "old",
            "Kept whole",
            "2026-01-01T00:00:00.000Z",
            false,
        )],
        likes: Vec::new(),
        ..ThreadData::default()
    };
    let json = colloquy::model::schema::save(&old, post);
    storage.set_item(&thread_key(post), &json).unwrap();
    let full = FullStorage::for_keys("colloquy:c:keys-full:");
    let store = LocalStore::on(keys());
    let loaded = store.load(post, &ThreadData::default()).await;
    assert_eq!(loaded.data.comments, old.comments, "shown all the same");
    assert_eq!(
        storage.get_item(&thread_key(post)).unwrap(),
        Some(json),
        "kept: it could not be moved"
    );
    let new = stored_comment(post, "new", "Typed", "2026-01-02T00:00:00.000Z", false);
    assert_eq!(
        store.write(post, Change::Comment(new.clone())).await,
        Err(StoreError::QuotaExceeded)
    );
    drop(full);
    let loaded = store.load(post, &ThreadData::default()).await;
    assert_eq!(loaded.data.comments, old.comments);
    assert_eq!(
        storage.get_item(&thread_key(post)).unwrap(),
        None,
        "moved now"
    );
    assert_eq!(keys_starting("colloquy:c:keys-full:").len(), 1);
}

#[wasm_bindgen_test]
async fn unreadable_old_data_is_set_aside_and_the_records_still_load() {
    for (records, post) in backends("set-aside").await {
        let post = post.as_str();
        let storage = storage();
        let kept = stored_comment(post, "kept", "Safe", "2026-01-01T00:00:00.000Z", false);
        LocalStore::on(records.clone())
            .write(post, Change::Comment(kept.clone()))
            .await
            .unwrap();
        storage.set_item(&thread_key(post), "{not json").unwrap();
        let loaded = LocalStore::on(records.clone())
            .load(post, &ThreadData::default())
            .await;
        let Some(StoreNotice::SetAside { backup_key, .. }) = loaded.notice else {
            panic!("{post}: set aside: {:?}", loaded.notice);
        };
        assert!(backup_key.starts_with(&format!("{}:backup:", thread_key(post))));
        assert_eq!(
            storage.get_item(&backup_key).unwrap().as_deref(),
            Some("{not json")
        );
        assert_eq!(storage.get_item(&thread_key(post)).unwrap(), None);
        assert_eq!(loaded.data.comments, vec![kept], "{post}");
    }
}

#[wasm_bindgen_test]
async fn an_unreadable_record_key_is_set_aside_and_the_others_load() {
    let post = "keys-damaged-record";
    let storage = storage();
    let store = LocalStore::on(keys());
    let kept = stored_comment(post, "kept", "Safe", "2026-01-01T00:00:00.000Z", false);
    store
        .write(post, Change::Comment(kept.clone()))
        .await
        .unwrap();
    let damaged = record_keys::comment_key(post, "broken");
    storage
        .set_item(&damaged, r#"{"id": "broken", "au"#)
        .unwrap();
    let loaded = store.load(post, &ThreadData::default()).await;
    let Some(StoreNotice::SetAside { backup_key, .. }) = loaded.notice else {
        panic!("set aside: {:?}", loaded.notice);
    };
    assert!(backup_key.starts_with(&format!("{damaged}:backup:")));
    assert_eq!(
        storage.get_item(&backup_key).unwrap().as_deref(),
        Some(r#"{"id": "broken", "au"#)
    );
    assert_eq!(storage.get_item(&damaged).unwrap(), None);
    assert_eq!(loaded.data.comments, vec![kept]);
    // The backup is no record: the next load has nothing to say.
    let loaded = store.load(post, &ThreadData::default()).await;
    assert_eq!(loaded.notice, None);
    assert_eq!(loaded.data.comments.len(), 1);
}
