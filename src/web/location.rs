//! The app's routes, read from the URL's query, which static hosts serve without rewrites.

/// What the URL asks for: `./` is the list, `./?post=<slug>` a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    List,
    Post { slug: String },
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
    web_sys::UrlSearchParams::new_with_str(search)
        .ok()
        .and_then(|params| params.get("post"))
        .map(|slug| slug.trim().to_owned())
        .filter(|slug| !slug.is_empty())
        .map_or(Route::List, |slug| Route::Post { slug })
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
/// `colloquy build` rendered in the page's language links to its built page, `./<slug>.html`.
pub fn post_href(slug: &str) -> String {
    let slug_in_url = js_sys::encode_uri_component(slug);
    if has_built_page(slug) {
        let query = visit_query();
        return match query.strip_prefix('&') {
            Some(query) => format!("./{slug_in_url}.html?{query}"),
            None => format!("./{slug_in_url}.html"),
        };
    }
    format!("./?post={slug_in_url}{}", visit_query())
}

/// Whether the build wrote a page for `slug` in the language this page speaks (the list of
/// built pages is a `<meta>` that `colloquy build` puts in index.html, for assets/route.js).
fn has_built_page(slug: &str) -> bool {
    let Some(built) = leptos::prelude::document()
        .query_selector(r#"meta[name="colloquy:built-pages"]"#)
        .ok()
        .flatten()
    else {
        return false;
    };
    let pages = built.get_attribute("content").unwrap_or_default();
    built.get_attribute("data-lang").as_deref() == Some(crate::web::locale::lang().tag())
        && pages.split(' ').any(|page| page == slug)
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
