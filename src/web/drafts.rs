//! An author's post drafts, each kept in this browser's localStorage as they type.

use crate::content::published::Draft;
use crate::store::local::local_storage;
use serde::Deserialize;

const PREFIX: &str = "colloquy:post-draft:";

fn key(id: &str) -> String {
    format!("{PREFIX}{id}")
}

/// A fresh draft, with the author's remembered name and the default style.
pub fn new_draft() -> Draft {
    Draft {
        id: crate::web::identity::random_id()[..12].to_owned(),
        author: crate::web::identity::remembered_name(),
        style: crate::cite::protocol::DEFAULT_STYLE.to_owned(),
        ..Draft::default()
    }
}

pub fn load(id: &str) -> Option<Draft> {
    let text = local_storage()?.get_item(&key(id)).ok()??;
    serde_json::from_str(&text).ok()
}

/// The browser would not keep a draft: its storage is full or switched off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotSaved;

/// Keeps `draft`; `NotSaved` tells the author their words are not yet safe.
pub fn save(draft: &Draft) -> Result<(), NotSaved> {
    let storage = local_storage().ok_or(NotSaved)?;
    let json = serde_json::to_string(draft).map_err(|_| NotSaved)?;
    storage
        .set_item(&key(&draft.id), &json)
        .map_err(|_| NotSaved)
}

pub fn remove(id: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&key(id));
    }
}

/// What the post list shows of a draft (read without the rest, which may be long).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftSummary {
    pub id: String,
    pub title: String,
    pub updated_at: String,
    pub published_slug: Option<String>,
}

/// Every draft in this browser, last saved first.
pub fn all() -> Vec<DraftSummary> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    let mut drafts: Vec<DraftSummary> = (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|name| name.starts_with(PREFIX))
        .filter_map(|name| storage.get_item(&name).ok().flatten())
        .filter_map(|json| serde_json::from_str(&json).ok())
        .collect();
    crate::model::order::sort_by(&mut drafts, |a, b| b.updated_at.cmp(&a.updated_at));
    drafts
}

/// This browser's draft of the post published as `slug`, if it has one.
pub fn for_published(slug: &str) -> Option<DraftSummary> {
    all()
        .into_iter()
        .find(|draft| draft.published_slug.as_deref() == Some(slug))
}
