//! The versioned JSON a post's thread is saved as (localStorage, export files), and the
//! migrations that bring older saved data up to the current version.
//!
//! - Version 1: the seed file's shape, a bare array of comments without `postId`, `updatedAt`
//!   or `deleted`.
//! - Version 2: `{"version": 2, "postId": "…", "comments": […], "likes": […]}`.
//!
//! A new version adds one step to `MIGRATIONS` and changes `Stored`.

use super::comment::{Comment, Like};
use super::merge::ThreadData;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

pub const CURRENT_VERSION: u64 = 2;

/// `MIGRATIONS[i]` turns version `i + 1` into version `i + 2`.
const MIGRATIONS: [Migration; (CURRENT_VERSION - 1) as usize] = [v1_to_v2];

type Migration = fn(Value, &str) -> Result<Value, SchemaError>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaError {
    /// The text is not JSON at all.
    NotJson(String),
    /// Saved by a newer version of the site than this one.
    FutureVersion { found: u64 },
    /// JSON, but not the shape its version promises.
    WrongShape(String),
    /// Saved for another post.
    OtherPost { expected: String, found: String },
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::NotJson(detail) => write!(
                f,
                "The saved comments could not be read because they are damaged ({detail})."
            ),
            SchemaError::FutureVersion { found } => write!(
                f,
                "The saved comments were written by a newer version of this site (format {found}; \
                 this page reads up to format {CURRENT_VERSION}). Reload the page to update it."
            ),
            SchemaError::WrongShape(detail) => write!(
                f,
                "The saved comments are not in a format this site knows ({detail})."
            ),
            SchemaError::OtherPost { expected, found } => write!(
                f,
                "The saved comments belong to another post (\u{201c}{found}\u{201d}), \
                 not to \u{201c}{expected}\u{201d}."
            ),
        }
    }
}

impl std::error::Error for SchemaError {}

/// The current version's shape.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Stored {
    version: u64,
    post_id: String,
    comments: Vec<Comment>,
    likes: Vec<Like>,
}

/// Reads saved thread data of any known version for `post_id`, migrating it to the current one.
/// Comments without a post id get `post_id`; the result is normalised (one record per id).
pub fn load(stored_json: &str, post_id: &str) -> Result<ThreadData, SchemaError> {
    // The common case, the current version, read straight into its shape; anything else (an
    // older version, a wrong shape) takes the general path below, which names the problem.
    let stored = match serde_json::from_str::<Stored>(stored_json) {
        Ok(stored) if stored.version == CURRENT_VERSION => stored,
        _ => read_any_version(stored_json, post_id)?,
    };
    if stored.post_id != post_id {
        return Err(SchemaError::OtherPost {
            expected: post_id.to_owned(),
            found: stored.post_id,
        });
    }
    let mut data = ThreadData {
        comments: stored.comments,
        likes: stored.likes,
        ..ThreadData::default()
    };
    for comment in data.comments.iter_mut().filter(|c| c.post_id.is_empty()) {
        comment.post_id = post_id.to_owned();
    }
    Ok(data.normalised())
}

/// Reads any known version through a JSON value, migrating it to the current shape.
fn read_any_version(stored_json: &str, post_id: &str) -> Result<Stored, SchemaError> {
    let mut value: Value =
        serde_json::from_str(stored_json).map_err(|e| SchemaError::NotJson(e.to_string()))?;
    let mut version = version_of(&value)?;
    while version < CURRENT_VERSION {
        value = MIGRATIONS[(version - 1) as usize](value, post_id)?;
        version += 1;
    }
    serde_json::from_value(value).map_err(|e| SchemaError::WrongShape(e.to_string()))
}

/// Writes thread data for `post_id` in the current version.
pub fn save(data: &ThreadData, post_id: &str) -> String {
    let stored = Stored {
        version: CURRENT_VERSION,
        post_id: post_id.to_owned(),
        comments: data.comments.clone(),
        likes: data.likes.clone(),
    };
    serde_json::to_string(&stored).expect("thread data has only strings and bools")
}

fn version_of(value: &Value) -> Result<u64, SchemaError> {
    match value {
        Value::Array(_) => Ok(1),
        Value::Object(object) => match object.get("version") {
            None => Err(SchemaError::WrongShape("it has no version".into())),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) if v > CURRENT_VERSION => Err(SchemaError::FutureVersion { found: v }),
                Some(v) if v >= 1 => Ok(v),
                _ => Err(SchemaError::WrongShape(format!("{n} is not a version"))),
            },
            Some(other) => Err(SchemaError::WrongShape(format!("{other} is not a version"))),
        },
        _ => Err(SchemaError::WrongShape(
            "it is neither a list of comments nor a saved thread".into(),
        )),
    }
}

/// The seed file's bare list becomes a versioned object; each comment gets its post, an
/// `updatedAt` equal to its `createdAt`, and `deleted: false`.
fn v1_to_v2(value: Value, post_id: &str) -> Result<Value, SchemaError> {
    let Value::Array(comments) = value else {
        return Err(SchemaError::WrongShape("version 1 must be a list".into()));
    };
    let mut migrated = Vec::with_capacity(comments.len());
    for (i, comment) in comments.into_iter().enumerate() {
        let Value::Object(mut fields) = comment else {
            return Err(SchemaError::WrongShape(format!(
                "comment {} is not an object",
                i + 1
            )));
        };
        let created = fields.get("createdAt").cloned().unwrap_or(Value::Null);
        fields
            .entry("postId")
            .or_insert_with(|| Value::String(post_id.to_owned()));
        fields.entry("updatedAt").or_insert(created);
        fields.entry("deleted").or_insert(Value::Bool(false));
        migrated.push(Value::Object(fields));
    }
    let mut object = Map::new();
    object.insert("version".into(), Value::from(2));
    object.insert("postId".into(), Value::String(post_id.to_owned()));
    object.insert("comments".into(), Value::Array(migrated));
    object.insert("likes".into(), Value::Array(Vec::new()));
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{comment, deleted, like};

    const POST: &str = "the-struggle-for-freedom";
    const SEED: &str = include_str!("../../content/posts/the-struggle-for-freedom/comments.json");

    #[test]
    fn the_seed_file_migrates_from_version_one() {
        let data = load(SEED, POST).unwrap();
        assert_eq!(data.comments.len(), 4);
        assert!(data.likes.is_empty());
        for c in &data.comments {
            assert_eq!(c.post_id, POST);
            assert_eq!(c.updated_at, c.created_at);
            assert!(!c.deleted);
        }
        assert_eq!(data.comments[0].id, "seed-1");
    }

    #[test]
    fn version_one_keeps_fields_it_already_has() {
        let json = r#"[{"id":"a","author":"A","body":"b","createdAt":"2026-01-01T00:00:00Z",
                        "postId":"elsewhere","updatedAt":"2026-01-02T00:00:00Z"}]"#;
        let data = load(json, POST).unwrap();
        assert_eq!(data.comments[0].post_id, "elsewhere");
        assert_eq!(data.comments[0].updated_at, "2026-01-02T00:00:00Z");
        assert_eq!(data.comments[0].parent_id, None);
    }

    #[test]
    fn an_empty_version_one_list_is_an_empty_thread() {
        assert_eq!(load("[]", POST).unwrap(), ThreadData::default());
    }

    #[test]
    fn saving_writes_the_current_version_and_loads_back() {
        let data = ThreadData {
            comments: vec![
                comment("a", None, "A", 1),
                deleted(comment("b", Some("a"), "B", 2)),
            ],
            likes: vec![like("a", "me", true, 3)],
            ..ThreadData::default()
        };
        let json = save(&data, "post");
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["version"], 2);
        assert_eq!(value["postId"], "post");
        assert_eq!(load(&json, "post").unwrap(), data);
    }

    #[test]
    fn a_comment_on_a_passage_is_saved_with_its_target_and_loads_back() {
        let mut on_passage = comment("a", None, "A", 1);
        on_passage.target =
            crate::model::anchor::Passage::describe("We know through painful experience", 16, 34)
                .map(Box::new);
        let data = ThreadData {
            comments: vec![on_passage, comment("b", None, "B", 2)],
            likes: vec![],
            ..ThreadData::default()
        };
        let json = save(&data, "post");
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["comments"][0]["target"]["selector"][0]["exact"],
            "painful experience"
        );
        assert_eq!(value["comments"][0]["target"]["selector"][1]["start"], 16);
        assert!(value["comments"][1].get("target").is_none());
        assert_eq!(load(&json, "post").unwrap(), data);
    }

    #[test]
    fn a_saved_target_of_an_unknown_kind_is_refused_by_name() {
        let json = r#"{"version": 2, "postId": "p", "likes": [], "comments": [{"id": "a",
            "author": "A", "body": "b", "createdAt": "2026-01-01T00:00:00Z",
            "target": {"selector": [{"type": "RangeSelector"}]}}]}"#;
        let error = load(json, "p").unwrap_err();
        assert!(error.to_string().contains("RangeSelector"), "{error}");
    }

    #[test]
    fn loading_normalises_duplicates_and_fills_post_ids() {
        let mut a = comment("a", None, "A", 1);
        a.post_id = String::new();
        let data = ThreadData {
            comments: vec![a.clone(), a],
            likes: vec![],
            ..ThreadData::default()
        };
        let loaded = load(&save(&data, "post"), "post").unwrap();
        assert_eq!(loaded.comments.len(), 1);
        assert_eq!(loaded.comments[0].post_id, "post");
    }

    #[test]
    fn text_that_is_not_json_is_refused() {
        for text in ["", "{", "not json", "[1,]"] {
            let error = load(text, POST).unwrap_err();
            assert!(
                matches!(error, SchemaError::NotJson(_)),
                "{text}: {error:?}"
            );
            assert!(error
                .to_string()
                .starts_with("The saved comments could not be read"));
        }
    }

    #[test]
    fn a_future_version_is_refused() {
        let error = load(r#"{"version": 3, "postId": "x", "comments": []}"#, POST).unwrap_err();
        assert_eq!(error, SchemaError::FutureVersion { found: 3 });
        assert!(error.to_string().contains("newer version of this site"));
    }

    #[test]
    fn missing_or_nonsense_versions_are_refused() {
        for json in [
            r#"{"postId": "x", "comments": [], "likes": []}"#,
            r#"{"version": 0}"#,
            r#"{"version": -1}"#,
            r#"{"version": 1.5}"#,
            r#"{"version": "2"}"#,
            "42",
            "null",
            r#""comments""#,
        ] {
            let error = load(json, POST).unwrap_err();
            assert!(
                matches!(error, SchemaError::WrongShape(_)),
                "{json}: {error:?}"
            );
        }
    }

    #[test]
    fn an_object_claiming_version_one_is_refused() {
        let error = load(r#"{"version": 1}"#, POST).unwrap_err();
        assert!(matches!(error, SchemaError::WrongShape(_)), "{error:?}");
    }

    #[test]
    fn a_version_one_list_of_non_comments_is_refused() {
        for json in [
            "[1, 2]",
            r#"[{"id": "a"}]"#,
            r#"[{"id": 1, "author": "A", "body": "", "createdAt": ""}]"#,
        ] {
            let error = load(json, POST).unwrap_err();
            assert!(
                matches!(error, SchemaError::WrongShape(_)),
                "{json}: {error:?}"
            );
        }
    }

    #[test]
    fn a_version_two_object_with_missing_or_extra_parts_is_refused() {
        for json in [
            r#"{"version": 2, "postId": "p", "comments": []}"#,
            r#"{"version": 2, "comments": [], "likes": []}"#,
            r#"{"version": 2, "postId": "p", "comments": {}, "likes": []}"#,
            r#"{"version": 2, "postId": "p", "comments": [], "likes": [], "extra": 1}"#,
            r#"{"version": 2, "postId": "p", "comments": [], "likes": [{"commentId": "a"}]}"#,
        ] {
            let error = load(json, "p").unwrap_err();
            assert!(
                matches!(error, SchemaError::WrongShape(_)),
                "{json}: {error:?}"
            );
            assert!(error
                .to_string()
                .contains("not in a format this site knows"));
        }
    }

    #[test]
    fn data_saved_for_another_post_is_refused() {
        let json = save(&ThreadData::default(), "other");
        let error = load(&json, POST).unwrap_err();
        assert_eq!(
            error,
            SchemaError::OtherPost {
                expected: POST.into(),
                found: "other".into()
            }
        );
        assert!(error.to_string().contains("another post"));
    }
}
