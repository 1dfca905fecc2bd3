//! Checkpoints of a graded discussion (Canvas's checkpoints): a first comment by one date and
//! N replies to others by another, set by staff; and each writer's progress towards them.

use super::comment::Comment;
use super::timestamp;
use std::collections::HashSet;

/// The most replies a checkpoint can ask for.
pub const MAX_REPLIES_REQUIRED: u32 = 20;

/// "One comment by `comment_due`, and `replies_required` replies to others by `replies_due`."
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Checkpoints {
    /// RFC 3339: a comment of one's own is due by then.
    pub comment_due: String,
    /// Replies to others' comments due (0: the checkpoint asks for a comment only).
    pub replies_required: u32,
    /// RFC 3339: the replies are due by then (empty when none are required).
    pub replies_due: String,
}

/// Why a checkpoint setting cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckpointProblem {
    CommentDueMissing,
    RepliesDueMissing,
    TooManyReplies,
    RepliesDueFirst,
}

impl Checkpoints {
    /// Whether the setting is whole: a readable comment date, at most
    /// `MAX_REPLIES_REQUIRED` replies, and a reply date (not before the comment's) when
    /// replies are asked for.
    pub fn check(&self) -> Result<(), CheckpointProblem> {
        let comment_due = timestamp::parse_millis(&self.comment_due)
            .ok_or(CheckpointProblem::CommentDueMissing)?;
        if self.replies_required > MAX_REPLIES_REQUIRED {
            return Err(CheckpointProblem::TooManyReplies);
        }
        if self.replies_required == 0 {
            return Ok(());
        }
        let replies_due = timestamp::parse_millis(&self.replies_due)
            .ok_or(CheckpointProblem::RepliesDueMissing)?;
        if replies_due < comment_due {
            return Err(CheckpointProblem::RepliesDueFirst);
        }
        Ok(())
    }
}

/// What a live comment counts as for its writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contribution {
    /// A top-level comment, a reply to one's own, or a reply to a comment no longer there.
    Comment,
    /// A reply to someone else's comment (or to a deleted one).
    ReplyToOther,
}

/// One writer's comments and replies to others, and how many of each came on time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub comments: usize,
    pub comments_on_time: usize,
    pub replies: usize,
    pub replies_on_time: usize,
}

impl Progress {
    /// Counts one contribution posted at `created_at` (RFC 3339).
    pub fn count(&mut self, kind: Contribution, created_at: &str, checkpoints: &Checkpoints) {
        let by = |due: &str| {
            timestamp::parse_millis(created_at)
                .zip(timestamp::parse_millis(due))
                .is_some_and(|(posted, due)| posted <= due)
        };
        match kind {
            Contribution::Comment => {
                self.comments += 1;
                self.comments_on_time += usize::from(by(&checkpoints.comment_due));
            }
            Contribution::ReplyToOther => {
                self.replies += 1;
                self.replies_on_time += usize::from(by(&checkpoints.replies_due));
            }
        }
    }

    /// A comment of one's own came by its date.
    pub fn comment_met(&self) -> bool {
        self.comments_on_time > 0
    }

    /// Enough replies to others came by their date.
    pub fn replies_met(&self, checkpoints: &Checkpoints) -> bool {
        self.replies_on_time >= checkpoints.replies_required as usize
    }
}

/// The progress of whoever `is_writer` picks out, over a thread's `comments`: deleted
/// comments count for nothing, as in the participation export.
pub fn progress(
    comments: &[Comment],
    checkpoints: &Checkpoints,
    is_writer: impl Fn(&Comment) -> bool,
) -> Progress {
    let mine: Vec<&Comment> = comments
        .iter()
        .filter(|c| !c.deleted && is_writer(c))
        .collect();
    let parent_ids: HashSet<&str> = mine.iter().filter_map(|c| c.parent_id.as_deref()).collect();
    // Of the parents that exist, those written by someone else or deleted.
    let others: HashSet<&str> = comments
        .iter()
        .filter(|c| parent_ids.contains(c.id.as_str()) && (c.deleted || !is_writer(c)))
        .map(|c| c.id.as_str())
        .collect();
    let mut progress = Progress::default();
    for comment in mine {
        let kind = match &comment.parent_id {
            Some(parent) if others.contains(parent.as_str()) => Contribution::ReplyToOther,
            _ => Contribution::Comment,
        };
        progress.count(kind, &comment.created_at, checkpoints);
    }
    progress
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{at_minute, comment, deleted};

    fn due(comment_minute: u32, replies: u32, replies_minute: u32) -> Checkpoints {
        Checkpoints {
            comment_due: at_minute(comment_minute),
            replies_required: replies,
            replies_due: at_minute(replies_minute),
        }
    }

    #[test]
    fn a_setting_needs_its_dates_in_order_and_a_sensible_count() {
        assert_eq!(due(10, 2, 20).check(), Ok(()));
        assert_eq!(due(10, 2, 10).check(), Ok(()), "the same moment is fine");
        assert_eq!(
            due(20, 2, 10).check(),
            Err(CheckpointProblem::RepliesDueFirst)
        );
        assert_eq!(
            due(10, MAX_REPLIES_REQUIRED + 1, 20).check(),
            Err(CheckpointProblem::TooManyReplies)
        );
        let no_comment_date = Checkpoints {
            comment_due: String::new(),
            ..due(10, 2, 20)
        };
        assert_eq!(
            no_comment_date.check(),
            Err(CheckpointProblem::CommentDueMissing)
        );
        let no_reply_date = Checkpoints {
            replies_due: "next week".into(),
            ..due(10, 2, 20)
        };
        assert_eq!(
            no_reply_date.check(),
            Err(CheckpointProblem::RepliesDueMissing)
        );
        let comment_only = Checkpoints {
            replies_due: String::new(),
            ..due(10, 0, 0)
        };
        assert_eq!(comment_only.check(), Ok(()), "no replies, no reply date");
    }

    #[test]
    fn progress_counts_comments_and_replies_to_others_on_time_and_late() {
        let checkpoints = due(10, 2, 20);
        let comments = [
            comment("a1", None, "Ann", 5),
            comment("b1", None, "Bo", 6),
            comment("c1", None, "Cy", 7),
            // A reply to her own comment is a comment, on time.
            comment("a2", Some("a1"), "Ann", 8),
            // Replies to others: on time, exactly at the due minute, and late.
            comment("a3", Some("b1"), "Ann", 12),
            comment("a4", Some("c1"), "Ann", 20),
            comment("a5", Some("b1"), "Ann", 21),
            // A reply to a comment that is not there is a comment, and late.
            comment("a6", Some("gone"), "Ann", 30),
            // Deleted comments count for nothing; a reply to a deleted one is a reply.
            deleted(comment("a7", None, "Ann", 1)),
            deleted(comment("d1", None, "Di", 2)),
            comment("a8", Some("d1"), "Ann", 25),
        ];
        let ann = progress(&comments, &checkpoints, |c| c.author == "Ann");
        assert_eq!(
            ann,
            Progress {
                comments: 3,
                comments_on_time: 2,
                replies: 4,
                replies_on_time: 2,
            }
        );
        assert!(ann.comment_met());
        assert!(ann.replies_met(&checkpoints));

        let bo = progress(&comments, &checkpoints, |c| c.author == "Bo");
        assert_eq!(bo.comments_on_time, 1);
        assert_eq!(bo.replies, 0);
        assert!(bo.comment_met());
        assert!(!bo.replies_met(&checkpoints));

        let late = progress(&[comment("e1", None, "Ed", 11)], &checkpoints, |_| true);
        assert_eq!((late.comments, late.comments_on_time), (1, 0));
        assert!(!late.comment_met());
        let nobody = progress(&comments, &checkpoints, |c| c.author == "Fay");
        assert_eq!(nobody, Progress::default());
        assert!(nobody.replies_met(&due(10, 0, 0)), "none asked, none due");
    }
}
