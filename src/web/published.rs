//! Posts published in the app, in the site's shared store: listing, reading, publishing,
//! updating and unpublishing them over REST (`{url}/posts`) or CouchDB (`{db}/post~{slug}`).

use crate::config::{Config, StoreConfig};
use crate::content::published::{couch_id, is_slug, post_url, posts_url, Draft, PublishedPost};
use crate::i18n::fill;
use crate::store::author_lock::{initial_lock, next_lock};
use crate::store::http::{self, HttpError, HttpResponse, Revalidate};
use crate::store::wire::server_message;
use gloo_net::http::Method;

/// Why a published post could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishError {
    /// The site keeps comments in each browser: there is nowhere to publish to.
    NotShared,
    /// The post exists and this browser did not publish it.
    NotYours,
    /// The server refused (401, 403, 413, 4xx): its own words when it gave any.
    Refused {
        status: u16,
        message: Option<String>,
    },
    /// The server failed (5xx) or answered what is not a post.
    Server {
        status: u16,
        message: Option<String>,
    },
    Unreachable,
}

impl std::fmt::Display for PublishError {
    /// In the page's language, with the server's own words where it gave any.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let words = crate::web::locale::write();
        let answer = |template: &str, status: &u16, message: &Option<String>| {
            fill(
                template,
                &[
                    ("status", &status.to_string()),
                    ("message", message.as_deref().unwrap_or_default()),
                ],
            )
        };
        let text = match self {
            PublishError::NotShared => words.local_only.to_owned(),
            PublishError::NotYours => words.not_yours.to_owned(),
            PublishError::Refused { status, message } => answer(words.refused, status, message),
            PublishError::Server { status, message } => {
                answer(words.server_failed, status, message)
            }
            PublishError::Unreachable => words.unreachable.to_owned(),
        };
        f.write_str(&text)
    }
}

/// Where posts live, and the headers every request carries.
struct Endpoint {
    couch: bool,
    url: String,
    headers: Vec<(String, String)>,
}

fn endpoint(config: &Config) -> Result<Endpoint, PublishError> {
    let json = ("Accept".to_owned(), "application/json".to_owned());
    match &config.store {
        StoreConfig::Local => Err(PublishError::NotShared),
        StoreConfig::Rest { url, headers, .. } => {
            let mut headers = headers.clone();
            headers.push(json);
            Ok(Endpoint {
                couch: false,
                url: url.clone(),
                headers,
            })
        }
        StoreConfig::CouchDb {
            url, credentials, ..
        } => {
            let mut headers = vec![json];
            if let Some(credentials) = credentials {
                headers.push(("Authorization".to_owned(), credentials.authorization()));
            }
            Ok(Endpoint {
                couch: true,
                url: url.clone(),
                headers,
            })
        }
    }
}

/// Whether the site's store is one posts can be published to.
pub fn is_shared(config: &Config) -> bool {
    !matches!(config.store, StoreConfig::Local)
}

impl Endpoint {
    fn post_url(&self, slug: &str) -> String {
        post_url(&self.url, self.couch, slug)
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&str>,
    ) -> Result<HttpResponse, PublishError> {
        http::send(method, url, &self.headers, body, Revalidate::Never)
            .await
            .map_err(|error| match error {
                HttpError::Network(_) | HttpError::Timeout => PublishError::Unreachable,
            })
    }
}

fn failed(response: &HttpResponse) -> PublishError {
    let message = server_message(&response.body);
    if response.status >= 500 {
        PublishError::Server {
            status: response.status,
            message,
        }
    } else {
        PublishError::Refused {
            status: response.status,
            message,
        }
    }
}

/// The post published as `slug`, unpublished ones included; `None` when there is none.
pub async fn get(config: &Config, slug: &str) -> Result<Option<PublishedPost>, PublishError> {
    let endpoint = endpoint(config)?;
    // The slug may come from the address bar (`?edit=`): only a slug may join a store's URL.
    if !is_slug(slug) {
        return Ok(None);
    }
    let response = endpoint
        .send(Method::GET, &endpoint.post_url(slug), None)
        .await?;
    match response.status {
        200..=299 => serde_json::from_str(&response.body)
            .map(Some)
            .map_err(|error| PublishError::Server {
                status: response.status,
                message: Some(error.to_string()),
            }),
        404 => Ok(None),
        _ => Err(failed(&response)),
    }
}

/// Whether this browser published `post` (and so may edit or unpublish it).
pub fn is_mine(post: &PublishedPost) -> bool {
    next_lock(
        &crate::store::couch::author_secret(),
        &couch_id(&post.slug),
        &post.author_lock,
    )
    .is_some()
}

/// Publishes `draft` (a new post, or a new version of the one it was published as) and
/// answers the record as stored.
pub async fn publish(
    config: &Config,
    draft: &Draft,
    now: &str,
) -> Result<PublishedPost, PublishError> {
    let slug = draft.slug();
    let current = get(config, &slug).await?;
    let secret = crate::store::couch::author_secret();
    let chain = couch_id(&slug);
    let lock = match &current {
        None => initial_lock(&secret, &chain),
        Some(current) => {
            next_lock(&secret, &chain, &current.author_lock).ok_or(PublishError::NotYours)?
        }
    };
    let record = PublishedPost::from_draft(
        draft,
        config.course.clone(),
        now,
        current.as_ref().map(|current| current.created_at.as_str()),
        lock,
    );
    write(config, record, current).await
}

/// Withdraws the post published as `slug`: it leaves every list and its page says so.
pub async fn unpublish(config: &Config, slug: &str, now: &str) -> Result<(), PublishError> {
    let Some(mut record) = get(config, slug).await? else {
        return Ok(());
    };
    record.author_lock = next_lock(
        &crate::store::couch::author_secret(),
        &couch_id(slug),
        &record.author_lock,
    )
    .ok_or(PublishError::NotYours)?;
    record.unpublished = true;
    record.updated_at = now.to_owned();
    let current = Some(record.clone());
    write(config, record, current).await.map(|_| ())
}

async fn write(
    config: &Config,
    record: PublishedPost,
    current: Option<PublishedPost>,
) -> Result<PublishedPost, PublishError> {
    let endpoint = endpoint(config)?;
    let (method, url, record) = if endpoint.couch {
        let rev = current.and_then(|current| current.rev);
        let record = record.for_couch(rev);
        (Method::PUT, endpoint.post_url(&record.slug), record)
    } else if current.is_some() {
        let record = record.for_rest();
        (Method::PUT, endpoint.post_url(&record.slug), record)
    } else {
        (
            Method::POST,
            posts_url(&endpoint.url, false),
            record.for_rest(),
        )
    };
    let body = serde_json::to_string(&record).map_err(|error| PublishError::Server {
        status: 0,
        message: Some(error.to_string()),
    })?;
    let response = endpoint.send(method, &url, Some(&body)).await?;
    if (200..300).contains(&response.status) {
        Ok(record)
    } else {
        Err(failed(&response))
    }
}
