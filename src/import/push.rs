//! `--to <config.json>`: imported comments sent to the store the site's config.json names, over
//! the protocol the app itself uses (docs/protocol.yaml for REST, docs/couchdb.md for CouchDB)
//! and with its own record shapes (`store::wire`, `store::couch_doc`). Every comment has a
//! deterministic id, and each post's records are read first, so a second run creates nothing:
//! what is there already is left, what differs is updated (REST) or reported (CouchDB, whose
//! author locks only the first writer could open).

use super::report::Pushed;
use crate::config::{self, StoreConfig};
use crate::model::Comment;
use crate::store::couch_doc::{self, Plan};
use crate::store::outbox::Pending;
use crate::store::wire;
use std::collections::HashMap;
use std::time::Duration;

pub enum Store {
    Rest {
        url: String,
        headers: Vec<(String, String)>,
        http: Http,
    },
    CouchDb {
        url: String,
        headers: Vec<(String, String)>,
        /// The author-lock secret of this import (see `store::author_lock`): random, kept
        /// nowhere, so no reader can edit or delete an imported comment as its author.
        secret: String,
        http: Http,
    },
}

impl Store {
    /// The store of a site's `config.json`, read as the app reads it.
    pub fn from_config(path: &std::path::Path) -> Result<Store, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
        let config = config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let http = Http::new();
        match config.store {
            StoreConfig::Local => Err(format!(
                "{}: its store is the browser's localStorage, which an import cannot reach; give a \"rest\" or \"couchdb\" store, or import with --into <CONTENT_DIR> to make the comments seed comments",
                path.display()
            )),
            StoreConfig::Rest { url, headers, .. } => Ok(Store::Rest { url, headers, http }),
            StoreConfig::CouchDb {
                url, credentials, ..
            } => Ok(Store::CouchDb {
                url,
                headers: credentials
                    .map(|c| vec![("Authorization".to_owned(), c.authorization())])
                    .unwrap_or_default(),
                secret: random_secret(),
                http,
            }),
        }
    }

    /// Asks the store once before anything is imported, so that a store that cannot be
    /// reached or refuses this import stops it before a post is written.
    pub fn probe(&self) -> Result<(), String> {
        let (http, url, headers) = match self {
            Store::Rest { url, headers, http } => (
                http,
                format!("{url}/comments?postId=colloquy-import-probe"),
                headers,
            ),
            Store::CouchDb {
                url, headers, http, ..
            } => (http, url.clone(), headers),
        };
        let (status, body) = http
            .call("GET", &url, headers, None)
            .map_err(|e| format!("{} cannot be reached: {e}", self.describe()))?;
        expect(status, &[200], "GET", &url, &body)
            .map_err(|e| format!("{} cannot take the import: {e}", self.describe()))
    }

    pub fn describe(&self) -> String {
        match self {
            Store::Rest { url, .. } => format!("the REST store at {url}"),
            Store::CouchDb { url, .. } => format!("the CouchDB database at {url}"),
        }
    }

    /// Sends one post's comments; returns the counts and the problems worth a warning. An
    /// error is a store that cannot be used at all (unreachable, refusing every request).
    pub fn push(&self, slug: &str, comments: &[Comment]) -> Result<(Pushed, Vec<String>), String> {
        let comments: Vec<Comment> = comments
            .iter()
            .cloned()
            .map(|mut c| {
                c.post_id = slug.to_owned();
                c
            })
            .collect();
        match self {
            Store::Rest { url, headers, http } => push_rest(http, url, headers, slug, &comments),
            Store::CouchDb {
                url,
                headers,
                secret,
                http,
            } => push_couch(http, url, headers, secret, slug, &comments),
        }
    }
}

fn push_rest(
    http: &Http,
    base: &str,
    headers: &[(String, String)],
    slug: &str,
    comments: &[Comment],
) -> Result<(Pushed, Vec<String>), String> {
    let list = format!("{base}/comments?postId={}", couch_doc::percent_encode(slug));
    let (status, body) = http.call("GET", &list, headers, None)?;
    expect(status, &[200], "GET", &list, &body)?;
    let parsed = wire::parse_comments(&body, slug);
    let mut problems = parsed.problems;
    let existing: HashMap<&str, &Comment> =
        parsed.items.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut pushed = Pushed::default();
    for comment in comments {
        let json = wire::comment_json(comment).to_string();
        let item = format!("{base}/comments/{}", couch_doc::percent_encode(&comment.id));
        match existing.get(comment.id.as_str()) {
            Some(there) if wire::comment_json(there) == wire::comment_json(comment) => {
                pushed.unchanged += 1;
            }
            Some(_) => {
                let (status, body) = http.call("PATCH", &item, headers, Some(&json))?;
                expect(status, &[200, 204], "PATCH", &item, &body)?;
                pushed.updated += 1;
            }
            None => {
                let created = format!("{base}/comments");
                let (status, body) = http.call("POST", &created, headers, Some(&json))?;
                if matches!(status, 200 | 201) {
                    pushed.created += 1;
                    continue;
                }
                // The id is taken (json-server answers 500, the protocol 409): by whom?
                let (got, there) = http.call("GET", &item, headers, None)?;
                let owner = (got == 200)
                    .then(|| serde_json::from_str::<serde_json::Value>(&there).ok())
                    .flatten()
                    .and_then(|v| v.get("postId")?.as_str().map(str::to_owned));
                match owner {
                    Some(owner) if owner != slug => {
                        pushed.refused += 1;
                        problems.push(format!(
                            "comment {} of {slug}: its id is taken by a comment of post {owner:?} in the store; not sent",
                            comment.id
                        ));
                    }
                    _ => expect(status, &[200, 201], "POST", &created, &body)?,
                }
            }
        }
    }
    Ok((pushed, problems))
}

fn push_couch(
    http: &Http,
    base: &str,
    headers: &[(String, String)],
    secret: &str,
    slug: &str,
    comments: &[Comment],
) -> Result<(Pushed, Vec<String>), String> {
    let range = format!("{base}/_all_docs?{}", couch_doc::range_query(slug));
    let (status, body) = http.call("GET", &range, headers, None)?;
    expect(status, &[200], "GET", &range, &body)?;
    let docs = couch_doc::parse_all_docs(&body, slug);
    let mut problems = docs.problems;
    let mut pushed = Pushed::default();
    for comment in comments {
        let record = Pending::Comment(comment.clone());
        let id = couch_doc::doc_id(slug, &record);
        let known = docs.stored.get(&id);
        match couch_doc::plan_write(slug, &record, known, secret) {
            Plan::Done => pushed.unchanged += 1,
            Plan::Refused(why) => {
                pushed.refused += 1;
                problems.push(format!(
                    "comment {} of {slug} differs from the one an earlier import put in the database, which cannot be replaced: {why}",
                    comment.id
                ));
            }
            Plan::Write(doc) => {
                let url = format!("{base}/{}", couch_doc::percent_encode(&id));
                let (status, body) = http.call("PUT", &url, headers, Some(&doc.to_string()))?;
                match status {
                    200..=202 if known.is_some() => pushed.updated += 1,
                    200..=202 => pushed.created += 1,
                    403 | 409 => {
                        pushed.refused += 1;
                        problems.push(format!(
                            "comment {} of {slug}: the database refused it ({status}{})",
                            comment.id,
                            wire::server_message(&body)
                                .map(|m| format!(": {m}"))
                                .unwrap_or_default()
                        ));
                    }
                    _ => expect(status, &[201], "PUT", &url, &body)?,
                }
            }
        }
    }
    Ok((pushed, problems))
}

/// An error naming the request unless `status` is one of `ok`.
fn expect(status: u16, ok: &[u16], method: &str, url: &str, body: &str) -> Result<(), String> {
    if ok.contains(&status) {
        return Ok(());
    }
    let detail = wire::server_message(body)
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    Err(format!("{method} {url} answered {status}{detail}"))
}

/// A blocking HTTP client (ureq) with the app's time limit, reading every status as an answer.
pub struct Http {
    agent: ureq::Agent,
}

impl Http {
    fn new() -> Http {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Http { agent }
    }

    /// Sends one request; the status and the body of the answer, or why there was none.
    fn call(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: Option<&str>,
    ) -> Result<(u16, String), String> {
        let sent = match method {
            "GET" => headers
                .iter()
                .fold(self.agent.get(url), |r, (k, v)| {
                    r.header(k.as_str(), v.as_str())
                })
                .call(),
            _ => {
                let builder = match method {
                    "POST" => self.agent.post(url),
                    "PUT" => self.agent.put(url),
                    _ => self.agent.patch(url),
                };
                headers
                    .iter()
                    .fold(builder, |r, (k, v)| r.header(k.as_str(), v.as_str()))
                    .header("Content-Type", "application/json")
                    .send(body.unwrap_or_default())
            }
        };
        let mut answer = sent.map_err(|e| format!("{method} {url}: {e}"))?;
        let status = answer.status().as_u16();
        let text = answer
            .body_mut()
            .with_config()
            .limit(wire::MAX_RESPONSE_BYTES as u64)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|e| format!("{method} {url}: the answer cannot be read: {e}"))?;
        Ok((status, text))
    }
}

/// 256 random bits as hex, from the operating system.
fn random_secret() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        // Elsewhere: the standard library's per-process random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
