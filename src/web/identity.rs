//! Who this browser is to Colloquy: a random browser id (owner of its comments and likes),
//! the reader's remembered name, fresh comment ids, and drafts kept as the reader types.

use crate::store::local::local_storage;

const BROWSER_ID_KEY: &str = "colloquy:browser-id";
const NAME_KEY: &str = "colloquy:name";
/// A name typed into a composer and not yet posted with a comment.
const NAME_DRAFT_KEY: &str = "colloquy:draft:name";

thread_local! {
    /// Used when storage is unavailable, so the id at least lasts for this page.
    static PAGE_BROWSER_ID: String = random_id();
}

/// 128 random bits as hex, from the browser's cryptographic generator.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let crypto = leptos::prelude::window().crypto().ok();
    if let Some(crypto) = crypto {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    } else {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// This browser's id, created on first use and kept in localStorage.
pub fn browser_id() -> String {
    let Some(storage) = local_storage() else {
        return PAGE_BROWSER_ID.with(Clone::clone);
    };
    if let Some(id) = storage.get_item(BROWSER_ID_KEY).ok().flatten() {
        return id;
    }
    let id = PAGE_BROWSER_ID.with(Clone::clone);
    let _ = storage.set_item(BROWSER_ID_KEY, &id);
    id
}

pub fn remembered_name() -> String {
    local_storage()
        .and_then(|s| s.get_item(NAME_KEY).ok().flatten())
        .unwrap_or_default()
}

/// The name a composer starts with: one typed and not yet posted (kept like the comment's
/// draft, so a reload or a composer drawn again loses neither), else the remembered one.
pub fn name_to_offer() -> String {
    let typed = load_draft(NAME_DRAFT_KEY);
    if typed.is_empty() {
        remembered_name()
    } else {
        typed
    }
}

/// Keeps the name being typed; an empty one, or a posted one, clears it.
pub fn save_name_draft(name: &str) {
    save_draft(NAME_DRAFT_KEY, name);
}

pub fn remember_name(name: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(NAME_KEY, name);
    }
}

/// The draft key of a composer: per post and per reply or edit target.
pub fn draft_key(post_id: &str, target: &str) -> String {
    format!("colloquy:draft:{post_id}:{target}")
}

pub fn load_draft(key: &str) -> String {
    local_storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .unwrap_or_default()
}

/// Saves or, for an empty text, clears a draft. A full storage just skips the save.
pub fn save_draft(key: &str, text: &str) {
    if let Some(storage) = local_storage() {
        let _ = if text.is_empty() {
            storage.remove_item(key)
        } else {
            storage.set_item(key, text)
        };
    }
}

/// The current time as RFC 3339 UTC with milliseconds (what every store records).
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}
