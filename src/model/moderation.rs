//! Staff decisions about a thread (the CouchDB store, with accounts): a comment pinned,
//! endorsed or hidden, and the discussion locked. Each decision is one record per comment (or
//! one for the discussion), apart from the comment itself, so a student's edit and an
//! instructor's pin of the same comment never overwrite each other; the latest record wins.

use super::account::StaffRole;
use super::timestamp;

/// The staff's decisions about one comment, or, with no `comment_id`, about the discussion.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moderation {
    /// The comment decided on; `None` for the discussion as a whole.
    pub comment_id: Option<String>,
    /// Shown first among its siblings, labelled "Pinned".
    pub pinned: bool,
    /// Labelled "Endorsed by the instructor".
    pub endorsed: bool,
    /// Shown to students as "Hidden by the instructor", its replies kept.
    pub hidden: bool,
    /// The discussion only: no new comments from students.
    pub locked: bool,
    /// The discussion only: a student sees the others' comments once they have posted one
    /// (Canvas's "must post before seeing replies").
    pub post_first: bool,
    /// RFC 3339 UTC; the later record wins.
    pub updated_at: String,
    /// The staff account that decided (checked by the database at write time).
    pub account: String,
    /// That account's staff role (`StaffRole::name`).
    pub account_role: String,
}

impl Moderation {
    /// The id of the record on the server: `mod:<commentId>`, or `settings` for the discussion.
    pub fn record_id(&self) -> String {
        match &self.comment_id {
            Some(id) => format!("mod:{id}"),
            None => "settings".to_owned(),
        }
    }

    /// The role the decision was made with.
    pub fn staff_role(&self) -> Option<StaffRole> {
        StaffRole::from_name(&self.account_role)
    }

    /// Whether it decides anything (a record with every flag off is as good as none).
    pub fn is_neutral(&self) -> bool {
        !(self.pinned || self.endorsed || self.hidden || self.locked || self.post_first)
    }
}

/// Which of two records about the same comment (or the discussion) survives a merge.
pub fn winning_moderation<'a>(a: &'a Moderation, b: &'a Moderation) -> &'a Moderation {
    let rank = |m: &'a Moderation| (timestamp::sort_key(&m.updated_at), m);
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Applies `record` to `records` (sorted by comment id, the discussion first) by the merge
/// rule; returns whether anything changed.
pub fn apply(records: &mut Vec<Moderation>, record: &Moderation) -> bool {
    match records.binary_search_by(|m| m.comment_id.cmp(&record.comment_id)) {
        Ok(at) => {
            let kept = &records[at];
            if std::ptr::eq(winning_moderation(kept, record), kept) || kept == record {
                return false;
            }
            records[at] = record.clone();
        }
        Err(at) => records.insert(at, record.clone()),
    }
    true
}

/// The decision about comment `id` in `records` (sorted as `apply` keeps them).
pub fn of_comment<'a>(records: &'a [Moderation], id: &str) -> Option<&'a Moderation> {
    records
        .binary_search_by(|m| m.comment_id.as_deref().cmp(&Some(id)))
        .ok()
        .map(|at| &records[at])
}

/// The staff's decisions about the discussion as a whole, if any (first, as `apply` keeps them).
pub fn of_discussion(records: &[Moderation]) -> Option<&Moderation> {
    records.first().filter(|m| m.comment_id.is_none())
}

/// Whether the discussion is locked.
pub fn is_locked(records: &[Moderation]) -> bool {
    of_discussion(records).is_some_and(|m| m.locked)
}

/// Whether a student sees the others' comments only after posting one.
pub fn is_post_first(records: &[Moderation]) -> bool {
    of_discussion(records).is_some_and(|m| m.post_first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::at_minute;

    fn decision(comment: Option<&str>, minute: u32) -> Moderation {
        Moderation {
            comment_id: comment.map(str::to_owned),
            updated_at: at_minute(minute),
            account: "prof".into(),
            account_role: "instructor".into(),
            ..Moderation::default()
        }
    }

    #[test]
    fn the_later_decision_wins_from_either_side() {
        let pinned = Moderation {
            pinned: true,
            ..decision(Some("c1"), 1)
        };
        let unpinned = decision(Some("c1"), 2);
        for (first, second) in [(&pinned, &unpinned), (&unpinned, &pinned)] {
            let mut records = Vec::new();
            apply(&mut records, first);
            apply(&mut records, second);
            assert_eq!(records, vec![unpinned.clone()]);
        }
        let mut records = vec![unpinned.clone()];
        assert!(
            !apply(&mut records, &pinned),
            "an older record changes nothing"
        );
    }

    #[test]
    fn records_are_kept_by_comment_with_the_discussion_first() {
        let mut records = Vec::new();
        let hidden = Moderation {
            hidden: true,
            ..decision(Some("b"), 1)
        };
        let locked = Moderation {
            locked: true,
            ..decision(None, 1)
        };
        apply(&mut records, &decision(Some("c"), 1));
        apply(&mut records, &hidden);
        assert!(!is_locked(&records));
        apply(&mut records, &locked);
        assert!(is_locked(&records));
        assert!(!is_post_first(&records));
        assert_eq!(of_comment(&records, "b"), Some(&hidden));
        assert_eq!(of_comment(&records, "a"), None);
        assert_eq!(records[0].record_id(), "settings");
        assert_eq!(records[1].record_id(), "mod:b");
    }

    #[test]
    fn a_record_with_no_flag_decides_nothing() {
        assert!(decision(Some("c"), 1).is_neutral());
        let endorsed = Moderation {
            endorsed: true,
            ..decision(Some("c"), 1)
        };
        assert!(!endorsed.is_neutral());
        assert_eq!(endorsed.staff_role(), Some(StaffRole::Instructor));
    }
}
