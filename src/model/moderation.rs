//! Staff decisions about a thread (the CouchDB store, with accounts): a comment pinned,
//! endorsed or hidden, and the discussion locked. Each decision is one record per comment (or
//! one for the discussion, with its settings and checkpoints), apart from the comment itself,
//! so a student's edit and an instructor's pin of the same comment never overwrite each other;
//! the latest record wins.

use super::account::StaffRole;
use super::checkpoint::Checkpoints;
use super::comment::Comment;
use super::timestamp;
use std::collections::HashMap;

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
    /// The discussion only: students see one another as "Student 1", "Student 2"…
    /// (Perusall's anonymity to peers); staff see names.
    pub anonymous: bool,
    /// The discussion only: a first comment and N replies to others due by set dates.
    pub checkpoints: Option<Checkpoints>,
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
        !(self.pinned
            || self.endorsed
            || self.hidden
            || self.locked
            || self.post_first
            || self.anonymous
            || self.checkpoints.is_some())
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

/// Whether students see one another under pseudonyms.
pub fn is_anonymous(records: &[Moderation]) -> bool {
    of_discussion(records).is_some_and(|m| m.anonymous)
}

/// The discussion's checkpoints, if staff set any.
pub fn checkpoints(records: &[Moderation]) -> Option<&Checkpoints> {
    of_discussion(records).and_then(|m| m.checkpoints.as_ref())
}

/// Who wrote a comment, for numbering pseudonyms: the account, or else the name as typed.
fn writer(comment: &Comment) -> String {
    match &comment.account {
        Some(account) => format!("account:{account}"),
        None => format!("name:{}", comment.author.trim().to_lowercase()),
    }
}

/// Each student writer's pseudonym number in a discussion: 1 for whoever wrote first, and so on
/// in posting order (`comments` are in it), so a number never changes once given. Staff keep
/// their names and take no number.
pub fn pseudonym_numbers(comments: &[Comment]) -> HashMap<String, usize> {
    let mut numbers = HashMap::new();
    for comment in comments.iter().filter(|c| c.staff_role().is_none()) {
        let next = numbers.len() + 1;
        numbers.entry(writer(comment)).or_insert(next);
    }
    numbers
}

/// The pseudonym number of the writer of `comment` among `numbers`.
pub fn pseudonym_of(numbers: &HashMap<String, usize>, comment: &Comment) -> Option<usize> {
    numbers.get(&writer(comment)).copied()
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
    fn pseudonyms_follow_first_posts_and_leave_staff_and_accounts_apart() {
        use crate::model::fixtures::comment;
        let mut by_account = comment("c3", None, "maya", 3);
        by_account.account = Some("maya".into());
        let mut instructor = comment("c2", None, "prof", 2);
        instructor.account = Some("prof".into());
        instructor.account_role = Some("instructor".into());
        let comments = [
            comment("c1", None, "Ann", 1),
            instructor.clone(),
            by_account.clone(),
            comment("c4", None, " ann ", 4),
            comment("c5", None, "Bo", 5),
        ];
        let numbers = pseudonym_numbers(&comments);
        assert_eq!(pseudonym_of(&numbers, &comments[0]), Some(1));
        assert_eq!(pseudonym_of(&numbers, &instructor), None);
        assert_eq!(pseudonym_of(&numbers, &by_account), Some(2));
        assert_eq!(
            pseudonym_of(&numbers, &comments[3]),
            Some(1),
            "the same name, as typed"
        );
        assert_eq!(pseudonym_of(&numbers, &comments[4]), Some(3));
        // A later comment never renumbers the earlier writers.
        let more = [comments.to_vec(), vec![comment("c6", None, "Cy", 6)]].concat();
        let again = pseudonym_numbers(&more);
        assert_eq!(pseudonym_of(&again, &comments[4]), Some(3));
        assert_eq!(pseudonym_of(&again, &more[5]), Some(4));
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
