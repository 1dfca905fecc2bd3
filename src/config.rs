//! The host's settings, `config.json` next to index.html: optional, read at start.
//!
//! `{"thread": {"editWindowMinutes": 15}}`. A missing file means the defaults; a file that
//! is there but wrong is reported, never ignored.

use crate::model::compose::EDIT_WINDOW_MINUTES;
use serde::Deserialize;

/// The longest edit window a host may set: one day.
pub const MAX_EDIT_WINDOW_MINUTES: u32 = 24 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// How long after posting a reader may edit their comment.
    pub edit_window_minutes: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            edit_window_minutes: EDIT_WINDOW_MINUTES,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    #[serde(default)]
    thread: Option<ThreadSettings>,
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
