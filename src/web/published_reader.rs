//! Reading the posts published in the app, for the post list and a published post's page:
//! straight from the site's shared store, with config.json read by the browser's JSON parser,
//! so the first load carries neither the config parser nor the stores (the editor's module
//! writes them: `web::published`).

use crate::content::published::{is_slug, post_url, posts_url, PublishedPost};
use crate::store::http::{self, HttpError, Revalidate};
use gloo_net::http::Method;
use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::JsValue;

/// Where the posts are, and the headers that reach them.
struct Source {
    couch: bool,
    url: String,
    headers: Vec<(String, String)>,
}

fn text_at(value: &JsValue, key: &str) -> Option<String> {
    Reflect::get(value, &key.into()).ok()?.as_string()
}

/// The shared store config.json names, if it names one (a wrong config.json is the thread's
/// to explain).
async fn source() -> Option<Source> {
    let text = crate::web::fetch::config_text().await.ok()??;
    let config = JSON::parse(&text).ok()?;
    let store = Reflect::get(&config, &"store".into()).ok()?;
    let kind = text_at(&store, "kind")?;
    let url = text_at(&store, "url")?.trim_end_matches('/').to_owned();
    let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
    match kind.as_str() {
        "rest" => {
            let given = Reflect::get(&store, &"headers".into()).ok()?;
            if given.is_object() {
                for entry in js_sys::Object::entries(&given.into()).iter() {
                    let pair: Array = entry.into();
                    if let (Some(name), Some(value)) =
                        (pair.get(0).as_string(), pair.get(1).as_string())
                    {
                        headers.push((name, value));
                    }
                }
            }
        }
        "couchdb" => {
            if let Some(token) = text_at(&store, "token") {
                headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
            } else if let (Some(user), Some(password)) =
                (text_at(&store, "username"), text_at(&store, "password"))
            {
                let pair = format!("{user}:{password}");
                headers.push((
                    "Authorization".to_owned(),
                    format!("Basic {}", crate::config::base64(pair.as_bytes())),
                ));
            }
        }
        _ => return None,
    }
    Some(Source {
        couch: kind == "couchdb",
        url,
        headers,
    })
}

async fn read(source: &Source, url: &str) -> Result<Option<String>, String> {
    let response = http::send(Method::GET, url, &source.headers, None, Revalidate::Never)
        .await
        .map_err(|error| match error {
            HttpError::Network(reason) => reason,
            HttpError::Timeout => "no answer".to_owned(),
        })?;
    match response.status {
        200..=299 => Ok(Some(response.body)),
        404 => Ok(None),
        status => Err(format!("HTTP {status}")),
    }
}

/// A record, if it is a readable post.
fn readable(record: &JsValue) -> Option<PublishedPost> {
    let json: String = JSON::stringify(record).ok()?.into();
    serde_json::from_str::<PublishedPost>(&json)
        .ok()
        .filter(PublishedPost::is_readable)
}

/// The readable published posts, newest first; `None` when the site's store keeps none.
pub async fn list() -> Result<Option<Vec<PublishedPost>>, String> {
    let Some(source) = source().await else {
        return Ok(None);
    };
    let url = posts_url(&source.url, source.couch);
    let Some(body) = read(&source, &url).await? else {
        return Ok(Some(Vec::new()));
    };
    let answer = JSON::parse(&body).map_err(|_| "the store's answer is not JSON".to_owned())?;
    // Each record on its own, so one that is not a post leaves the others listed.
    let records: Array = if source.couch {
        Reflect::get(&answer, &"rows".into())
            .map(|rows| Array::from(&rows))
            .unwrap_or_default()
            .iter()
            .filter_map(|row| Reflect::get(&row, &"doc".into()).ok())
            .collect()
    } else {
        Array::from(&answer)
    };
    let mut posts: Vec<PublishedPost> = records.iter().filter_map(|r| readable(&r)).collect();
    crate::model::order::sort_by(&mut posts, |a, b| b.created_at.cmp(&a.created_at));
    Ok(Some(posts))
}

/// The readable post published as `slug`, or `None`.
pub async fn get(slug: &str) -> Result<Option<PublishedPost>, String> {
    // The slug comes from the address bar: only a slug may become part of a store's URL.
    if !is_slug(slug) {
        return Ok(None);
    }
    let Some(source) = source().await else {
        return Ok(None);
    };
    let url = post_url(&source.url, source.couch, slug);
    let Some(body) = read(&source, &url).await? else {
        return Ok(None);
    };
    Ok(JSON::parse(&body).ok().as_ref().and_then(readable))
}
