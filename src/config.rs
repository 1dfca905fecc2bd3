//! The host's settings, `config.json` next to index.html: optional, read at start.
//!
//! `{"store": {"kind": "local"}, "thread": {"editWindowMinutes": 15}}`, or a remote store:
//! `{"store": {"kind": "rest", "url": "https://example.org/api", "headers": {…}, "pollSeconds": 2}}`
//! or a CouchDB database:
//! `{"store": {"kind": "couchdb", "url": "https://db.example.org/course-blog", "username": …, "password": …}}`.
//! A missing file means the defaults; a file that is there but wrong is reported, never
//! ignored or replaced by a default.

use crate::model::account::StaffRoles;
use crate::model::compose::EDIT_WINDOW_MINUTES;
use serde::Deserialize;

/// The longest edit window a host may set: one day.
pub const MAX_EDIT_WINDOW_MINUTES: u32 = 24 * 60;

/// Where comments are kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum StoreConfig {
    /// This browser's localStorage.
    #[default]
    Local,
    /// A REST JSON endpoint (json-server compatible; see docs/protocol.yaml).
    Rest {
        /// Without a trailing slash: `{url}/comments`.
        url: String,
        headers: Vec<(String, String)>,
        poll_seconds: f64,
    },
    /// A CouchDB (or PouchDB Server, Cloudant) database; see docs/couchdb.md.
    CouchDb {
        /// The database, without a trailing slash: `{url}/_all_docs`.
        url: String,
        credentials: Option<Credentials>,
        /// How often the thread is re-read when the database has no change filter installed.
        poll_seconds: f64,
    },
}

/// How the app signs in to a CouchDB database.
#[derive(Clone, Debug, PartialEq)]
pub enum Credentials {
    Basic { username: String, password: String },
    Bearer(String),
}

impl Credentials {
    /// The `Authorization` header that carries them.
    pub fn authorization(&self) -> String {
        match self {
            Credentials::Basic { username, password } => {
                format!(
                    "Basic {}",
                    base64(format!("{username}:{password}").as_bytes())
                )
            }
            Credentials::Bearer(token) => format!("Bearer {token}"),
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), as HTTP Basic authentication wants it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let triple = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for position in 0..4 {
            if position <= chunk.len() {
                out.push(char::from(
                    ALPHABET[(triple >> (18 - 6 * position) & 63) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub const DEFAULT_POLL_SECONDS: f64 = 2.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// How long after posting a reader may edit their comment.
    pub edit_window_minutes: u32,
    pub store: StoreConfig,
    /// The course a post written in the app belongs to (`"course": "HIST 101"`).
    pub course: Option<String>,
    /// Which CouchDB roles make a signed-in reader an instructor or a TA (`"roles"`).
    pub staff_roles: StaffRoles,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            edit_window_minutes: EDIT_WINDOW_MINUTES,
            store: StoreConfig::Local,
            course: None,
            staff_roles: StaffRoles::default(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct File {
    #[serde(default)]
    thread: Option<ThreadSettings>,
    #[serde(default)]
    store: Option<StoreSettings>,
    #[serde(default)]
    course: Option<String>,
    #[serde(default)]
    roles: RolesSettings,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RolesSettings {
    #[serde(default)]
    instructor: Vec<String>,
    #[serde(default)]
    ta: Vec<String>,
}

/// `"roles": {"instructor": [...], "ta": [...]}`: CouchDB role names; a list left out keeps
/// its default.
fn staff_roles(settings: RolesSettings) -> Result<StaffRoles, String> {
    let defaults = StaffRoles::default();
    let names = |given: Vec<String>, default: Vec<String>, key: &str| {
        let bad = |name: &String| {
            name.is_empty()
                || name.starts_with('_')
                || name.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        match given.iter().find(|name| bad(name)) {
            Some(name) => Err(format!(
                "config.json roles.{key} has {name:?}: a CouchDB role name has no spaces and does not start with _"
            )),
            None if given.is_empty() => Ok(default),
            None => Ok(given),
        }
    };
    Ok(StaffRoles {
        instructor: names(settings.instructor, defaults.instructor, "instructor")?,
        ta: names(settings.ta, defaults.ta, "ta")?,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoreSettings {
    kind: Option<String>,
    url: Option<String>,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
    poll_seconds: Option<f64>,
    username: Option<String>,
    password: Option<String>,
    token: Option<String>,
}

/// An absolute http(s) URL with a host and nothing a browser would silently change.
fn endpoint(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("config.json store.url {url:?} must start with https:// (or http://)")
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "config.json store.url {url:?} is not a valid address"
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(format!(
            "config.json store.url {url:?} must not have a query or fragment: Colloquy adds /comments to it"
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

const KNOWN_KINDS: &str = "use \"local\", \"rest\" or \"couchdb\"";

fn store(settings: StoreSettings) -> Result<StoreConfig, String> {
    let kind = settings.kind.as_deref();
    if kind != Some("couchdb") {
        for (key, given) in [
            ("username", settings.username.is_some()),
            ("password", settings.password.is_some()),
            ("token", settings.token.is_some()),
        ] {
            if given {
                return Err(format!(
                    "config.json store.{key} is for kind \"couchdb\"; a \"rest\" store sends its credentials in store.headers"
                ));
            }
        }
    }
    match kind {
        None => Err(format!(
            "config.json has a store without a kind: {KNOWN_KINDS}"
        )),
        Some("local") => Ok(StoreConfig::Local),
        Some("rest") => {
            let url = settings
                .url
                .ok_or("config.json store.kind is \"rest\" but store.url is missing")?;
            Ok(StoreConfig::Rest {
                url: endpoint(&url)?,
                headers: settings.headers.into_iter().collect(),
                poll_seconds: poll_seconds(settings.poll_seconds)?,
            })
        }
        Some("couchdb") => {
            let url = settings
                .url
                .ok_or("config.json store.kind is \"couchdb\" but store.url is missing")?;
            if !settings.headers.is_empty() {
                return Err(
                    "config.json store.headers is for kind \"rest\"; a \"couchdb\" store takes username and password, or token".into(),
                );
            }
            Ok(StoreConfig::CouchDb {
                url: endpoint(&url)?,
                credentials: credentials(settings.username, settings.password, settings.token)?,
                poll_seconds: poll_seconds(settings.poll_seconds)?,
            })
        }
        Some(other) => Err(format!(
            "config.json store.kind {other:?} is not a store Colloquy knows: {KNOWN_KINDS}"
        )),
    }
}

fn poll_seconds(given: Option<f64>) -> Result<f64, String> {
    let seconds = given.unwrap_or(DEFAULT_POLL_SECONDS);
    if !(0.5..=3600.0).contains(&seconds) {
        return Err(format!(
            "config.json store.pollSeconds is {seconds}; use 0.5 to 3600"
        ));
    }
    Ok(seconds)
}

/// Basic (username and password, both) or bearer (token) credentials, or none; never both.
fn credentials(
    username: Option<String>,
    password: Option<String>,
    token: Option<String>,
) -> Result<Option<Credentials>, String> {
    let printable = |key: &str, value: &str| {
        if value.is_empty() || value.chars().any(char::is_control) {
            Err(format!(
                "config.json store.{key} must be non-empty text without control characters"
            ))
        } else {
            Ok(())
        }
    };
    match (username, password, token) {
        (None, None, None) => Ok(None),
        (Some(username), Some(password), None) => {
            printable("username", &username)?;
            printable("password", &password)?;
            if username.contains(':') {
                return Err(
                    "config.json store.username must not contain \":\" (HTTP Basic authentication cannot carry it)".into(),
                );
            }
            Ok(Some(Credentials::Basic { username, password }))
        }
        (None, None, Some(token)) => {
            printable("token", &token)?;
            Ok(Some(Credentials::Bearer(token)))
        }
        (_, _, Some(_)) => Err(
            "config.json store has both a token and a username or password: use one way to sign in"
                .into(),
        ),
        (Some(_), None, None) => {
            Err("config.json store.username is set but store.password is missing".into())
        }
        (None, Some(_), None) => {
            Err("config.json store.password is set but store.username is missing".into())
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ThreadSettings {
    edit_window_minutes: Option<u32>,
}

/// Parses `config.json`, naming what is wrong.
pub fn parse(json: &str) -> Result<Config, String> {
    let file: File =
        serde_json::from_str(json).map_err(|e| format!("config.json is not valid: {e}"))?;
    let mut config = Config::default();
    if let Some(settings) = file.store {
        config.store = store(settings)?;
    }
    if let Some(minutes) = file.thread.and_then(|t| t.edit_window_minutes) {
        if minutes > MAX_EDIT_WINDOW_MINUTES {
            return Err(format!(
                "config.json sets thread.editWindowMinutes to {minutes}; the most is {MAX_EDIT_WINDOW_MINUTES} (a day)"
            ));
        }
        config.edit_window_minutes = minutes;
    }
    if let Some(course) = file.course {
        let course = course.trim();
        if course.is_empty() || course.chars().count() > 200 || course.chars().any(char::is_control)
        {
            return Err(
                "config.json course must be a course name: 1 to 200 characters on one line".into(),
            );
        }
        config.course = Some(course.to_owned());
    }
    config.staff_roles = staff_roles(file.roles)?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_role_names_are_the_hosts_or_the_defaults() {
        let config = parse(r#"{"roles": {"instructor": ["prof", "instructor"]}}"#).unwrap();
        assert_eq!(config.staff_roles.instructor, ["prof", "instructor"]);
        assert_eq!(config.staff_roles.ta, ["ta"]);
        assert_eq!(parse("{}").unwrap().staff_roles, StaffRoles::default());
        assert!(parse(r#"{"roles": {"ta": ["_admin"]}}"#)
            .unwrap_err()
            .contains("roles.ta"));
        assert!(parse(r#"{"roles": {"dean": ["x"]}}"#).is_err());
    }

    #[test]
    fn defaults_and_settings() {
        assert_eq!(parse("{}").unwrap(), Config::default());
        assert_eq!(parse("{}").unwrap().edit_window_minutes, 15);
        assert_eq!(
            parse(r#"{"course": " HIST 101 "}"#)
                .unwrap()
                .course
                .as_deref(),
            Some("HIST 101")
        );
        assert!(parse(r#"{"course": ""}"#).unwrap_err().contains("course"));
        assert_eq!(
            parse(r#"{"thread": {"editWindowMinutes": 60}}"#)
                .unwrap()
                .edit_window_minutes,
            60
        );
        assert_eq!(
            parse(r#"{"thread": {"editWindowMinutes": 0}}"#)
                .unwrap()
                .edit_window_minutes,
            0
        );
    }

    #[test]
    fn stores() {
        assert_eq!(
            parse(r#"{"store": {"kind": "local"}}"#).unwrap().store,
            StoreConfig::Local
        );
        let rest = parse(
            r#"{"store": {"kind": "rest", "url": "https://example.org/api/", "headers": {"Authorization": "Bearer x"}}}"#,
        )
        .unwrap();
        assert_eq!(
            rest.store,
            StoreConfig::Rest {
                url: "https://example.org/api".into(),
                headers: vec![("Authorization".into(), "Bearer x".into())],
                poll_seconds: 2.0
            }
        );
        let errors = [
            (r#"{"store": {}}"#, "without a kind"),
            (
                r#"{"store": {"kind": "couch"}}"#,
                "not a store Colloquy knows",
            ),
            (r#"{"store": {"kind": "rest"}}"#, "store.url is missing"),
            (
                r#"{"store": {"kind": "rest", "url": "ftp://x"}}"#,
                "must start with https://",
            ),
            (
                r#"{"store": {"kind": "rest", "url": "https://"}}"#,
                "not a valid address",
            ),
            (
                r#"{"store": {"kind": "rest", "url": "https://a b"}}"#,
                "not a valid address",
            ),
            (
                r#"{"store": {"kind": "rest", "url": "https://a/?x=1"}}"#,
                "query or fragment",
            ),
            (
                r#"{"store": {"kind": "rest", "url": "https://a", "pollSeconds": 0}}"#,
                "pollSeconds",
            ),
            (
                r#"{"store": {"kind": "rest", "url": "https://a", "headers": {"A": 1}}}"#,
                "not valid",
            ),
            (r#"{"stores": {}}"#, "stores"),
            (
                r#"{"store": {"kind": "rest", "url": "https://a", "token": "t"}}"#,
                "store.token is for kind \"couchdb\"",
            ),
        ];
        for (json, words) in errors {
            let error = parse(json).unwrap_err();
            assert!(error.contains(words), "{json}: {error}");
        }
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(parse("{").unwrap_err().contains("config.json is not valid"));
        assert!(parse(r#"{"thread": {"editWindowMinutes": -1}}"#).is_err());
        assert!(parse(r#"{"thread": {"editWindowMinute": 5}}"#)
            .unwrap_err()
            .contains("editWindowMinute"));
        assert!(parse(r#"{"thread": {"editWindowMinutes": 100000}}"#)
            .unwrap_err()
            .contains("the most is 1440"));
    }

    #[test]
    fn couchdb_stores() {
        let open = parse(
            r#"{"store": {"kind": "couchdb", "url": "https://db.example.org/course-blog/"}}"#,
        )
        .unwrap();
        assert_eq!(
            open.store,
            StoreConfig::CouchDb {
                url: "https://db.example.org/course-blog".into(),
                credentials: None,
                poll_seconds: 2.0,
            }
        );
        let basic = parse(
            r#"{"store": {"kind": "couchdb", "url": "http://127.0.0.1:5984/blog", "username": "Aladdin", "password": "open sesame", "pollSeconds": 5}}"#,
        )
        .unwrap();
        let StoreConfig::CouchDb {
            credentials: Some(credentials),
            poll_seconds,
            ..
        } = basic.store
        else {
            panic!("not a couchdb store: {basic:?}");
        };
        assert_eq!(poll_seconds, 5.0);
        // The example of RFC 7617 §2.
        assert_eq!(
            credentials.authorization(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let bearer =
            parse(r#"{"store": {"kind": "couchdb", "url": "https://a/db", "token": "abc.def"}}"#)
                .unwrap();
        assert!(matches!(
            bearer.store,
            StoreConfig::CouchDb { credentials: Some(Credentials::Bearer(ref token)), .. } if token == "abc.def"
        ));
        let errors = [
            (r#"{"store": {"kind": "couchdb"}}"#, "store.url is missing"),
            (
                r#"{"store": {"kind": "couchdb", "url": "db.example.org"}}"#,
                "must start with https://",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db#x"}}"#,
                "query or fragment",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "username": "u"}}"#,
                "store.password is missing",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "password": "p"}}"#,
                "store.username is missing",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "username": "u", "password": "p", "token": "t"}}"#,
                "use one way to sign in",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "username": "a:b", "password": "p"}}"#,
                "must not contain",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "token": ""}}"#,
                "store.token must be non-empty",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "headers": {"A": "b"}}}"#,
                "store.headers is for kind \"rest\"",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "pollSeconds": 4000}}"#,
                "pollSeconds",
            ),
            (
                r#"{"store": {"kind": "couchdb", "url": "https://a/db", "user": "u"}}"#,
                "unknown field `user`",
            ),
        ];
        for (json, words) in errors {
            let error = parse(json).unwrap_err();
            assert!(error.contains(words), "{json}: {error}");
        }
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        assert_eq!(base64("é:ü".as_bytes()), "w6k6w7w=");
    }
}
