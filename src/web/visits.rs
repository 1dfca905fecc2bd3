//! The reader's visits to each thread, kept in this browser (`colloquy:visits:<post>`): since
//! when the thread marks comments as new.

use crate::model::unread::Visits;
use crate::store::local::local_storage;
use crate::web::identity::now_iso;

fn key(post_id: &str) -> String {
    format!("colloquy:visits:{post_id}")
}

fn keep(post_id: &str, visits: &Visits) -> Option<()> {
    local_storage()?
        .set_item(&key(post_id), &visits.to_record())
        .ok()
}

/// Records an opening of `post_id`'s thread; returns since when its comments are new, or
/// `None` where this browser cannot keep its visits (then nothing is marked).
pub fn open(post_id: &str) -> Option<String> {
    let before = local_storage()?
        .get_item(&key(post_id))
        .ok()
        .flatten()
        .and_then(|record| Visits::from_record(&record));
    let visits = Visits::opened(before, &now_iso());
    keep(post_id, &visits)?;
    Some(visits.seen_until)
}

/// Marks everything in `post_id`'s thread read, up to `until`; returns it.
pub fn mark_all_read(post_id: &str, until: String) -> String {
    let visits = Visits::all_read(&until);
    let _ = keep(post_id, &visits);
    visits.seen_until
}
