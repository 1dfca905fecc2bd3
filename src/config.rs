//! The host's settings, `config.json` next to index.html: optional, read at start.
//!
//! `{"store": {"kind": "local"}, "thread": {"editWindowMinutes": 15}}`, or a remote store:
//! `{"store": {"kind": "rest", "url": "https://example.org/api", "headers": {…}, "pollSeconds": 2}}`.
//! A missing file means the defaults; a file that is there but wrong is reported, never
//! ignored or replaced by a default.

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
}

pub const DEFAULT_POLL_SECONDS: f64 = 2.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// How long after posting a reader may edit their comment.
    pub edit_window_minutes: u32,
    pub store: StoreConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            edit_window_minutes: EDIT_WINDOW_MINUTES,
            store: StoreConfig::Local,
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
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoreSettings {
    kind: Option<String>,
    url: Option<String>,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
    poll_seconds: Option<f64>,
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

fn store(settings: StoreSettings) -> Result<StoreConfig, String> {
    match settings.kind.as_deref() {
        None => Err("config.json has a store without a kind: use \"local\" or \"rest\"".into()),
        Some("local") => Ok(StoreConfig::Local),
        Some("rest") => {
            let url = settings
                .url
                .ok_or("config.json store.kind is \"rest\" but store.url is missing")?;
            let poll_seconds = settings.poll_seconds.unwrap_or(DEFAULT_POLL_SECONDS);
            if !(0.5..=3600.0).contains(&poll_seconds) {
                return Err(format!(
                    "config.json store.pollSeconds is {poll_seconds}; use 0.5 to 3600"
                ));
            }
            Ok(StoreConfig::Rest {
                url: endpoint(&url)?,
                headers: settings.headers.into_iter().collect(),
                poll_seconds,
            })
        }
        Some(other) => Err(format!(
            "config.json store.kind {other:?} is not a store Colloquy knows: use \"local\" or \"rest\""
        )),
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
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_settings() {
        assert_eq!(parse("{}").unwrap(), Config::default());
        assert_eq!(parse("{}").unwrap().edit_window_minutes, 15);
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
}
