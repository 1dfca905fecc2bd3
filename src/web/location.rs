//! The app's routes, read from the URL's query, which static hosts serve without rewrites.

/// What the URL asks for: `./` is the list, `./?post=<slug>` a post, `./?write` a new post,
/// `./?write=<draft>` a draft of this browser, `./?edit=<slug>` a published post to edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    List,
    Post { slug: String },
    Write { draft: Option<String> },
    Edit { slug: String },
}

/// The route of the page as it was opened.
pub fn current_route() -> Route {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    route_from_query(&search)
}

pub fn route_from_query(search: &str) -> Route {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
        return Route::List;
    };
    let value = |name: &str| {
        params
            .get(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    if let Some(slug) = value("post") {
        Route::Post { slug }
    } else if let Some(slug) = value("edit") {
        Route::Edit { slug }
    } else if params.has("write") {
        Route::Write {
            draft: value("write"),
        }
    } else {
        Route::List
    }
}

/// The relative link to the editor: a new post, or one of this browser's drafts.
pub fn write_href(draft: Option<&str>) -> String {
    match draft {
        Some(id) => format!(
            "./?write={}{}",
            js_sys::encode_uri_component(id),
            visit_query()
        ),
        None => format!("./?write{}", visit_query()),
    }
}

/// The relative link to editing a published post.
pub fn edit_href(slug: &str) -> String {
    format!(
        "./?edit={}{}",
        js_sys::encode_uri_component(slug),
        visit_query()
    )
}

/// Query parameters a host sets for the whole visit (`?lang=ru&theme=dark`): every link
/// within the site keeps them.
const VISIT_PARAMS: [&str; 2] = ["lang", "theme"];

fn visit_query() -> String {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    visit_query_from(&search)
}

fn visit_query_from(search: &str) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
        return String::new();
    };
    VISIT_PARAMS
        .iter()
        .filter_map(|name| {
            let value = params.get(name)?;
            Some(format!("&{name}={}", js_sys::encode_uri_component(&value)))
        })
        .collect()
}

/// The relative link to a post: works from whatever sub-path the site is served at. A post
/// `colloquy build` wrote pages for links to its page in the page's language
/// (`./<slug>.html`, `./<slug>.<lang>.html`).
pub fn post_href(slug: &str) -> String {
    let slug_in_url = js_sys::encode_uri_component(slug);
    if let Some(file) = built_page(slug) {
        let file = js_sys::encode_uri_component(&file);
        return match visit_query().strip_prefix('&') {
            Some(query) => format!("./{file}?{query}"),
            None => format!("./{file}"),
        };
    }
    format!("./?post={slug_in_url}{}", visit_query())
}

/// The file of `slug`'s built page in the language this page speaks, if the build wrote one
/// (the list of built pages is a `<meta>` that `colloquy build` puts in index.html, for
/// assets/route.js).
fn built_page(slug: &str) -> Option<String> {
    let built = leptos::prelude::document()
        .query_selector(r#"meta[name="colloquy:built-pages"]"#)
        .ok()
        .flatten()?;
    let pages = built.get_attribute("content").unwrap_or_default();
    if !pages.split(' ').any(|page| page == slug) {
        return None;
    }
    let lang = crate::web::locale::lang().tag();
    let languages = built.get_attribute("data-languages").unwrap_or_default();
    if !languages.split(' ').any(|offered| offered == lang) {
        return None;
    }
    Some(
        if built.get_attribute("data-lang").as_deref() == Some(lang) {
            format!("{slug}.html")
        } else {
            format!("{slug}.{lang}.html")
        },
    )
}

/// The relative link to the post list, keeping the visit's parameters.
pub fn home_href() -> String {
    match visit_query().strip_prefix('&') {
        Some(query) => format!("./?{query}"),
        None => "./".to_owned(),
    }
}

/// Scrolls to the element the URL's fragment names, once content loaded late exists.
pub fn scroll_to_fragment() {
    let window = leptos::prelude::window();
    let hash = window.location().hash().unwrap_or_default();
    let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return;
    };
    let id = js_sys::decode_uri_component(id)
        .map(String::from)
        .unwrap_or_else(|_| id.to_owned());
    if let Some(target) = leptos::prelude::document().get_element_by_id(&id) {
        target.scroll_into_view();
    }
}
