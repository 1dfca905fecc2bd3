//! Readers' reports of comments (the CouchDB store, with accounts): a signed-in reader reports
//! a comment with a reason, and the staff review the open reports, hiding the comment or
//! dismissing its reports. One record per (comment, reporter); the latest version wins.

use super::timestamp;

/// Why a comment was reported, as stored in `reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportReason {
    Inappropriate,
    Offensive,
    /// Said in the report's own words (`details`).
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 3] = [
        ReportReason::Inappropriate,
        ReportReason::Offensive,
        ReportReason::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReportReason::Inappropriate => "inappropriate",
            ReportReason::Offensive => "offensive",
            ReportReason::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// The longest `details` of a report, in characters.
pub const MAX_DETAILS_CHARS: usize = 1_000;

/// One reader's report of one comment.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Report {
    pub comment_id: String,
    /// The reporting account (checked by the database at write time).
    pub account: String,
    /// `ReportReason::name`.
    pub reason: String,
    /// The reporter's words: required for "other", optional otherwise.
    pub details: String,
    /// Set by the staff once they have dealt with it (hid the comment or dismissed the
    /// report); the reporter's new report of the comment opens it again.
    pub reviewed: bool,
    /// RFC 3339 UTC; the later record wins.
    pub updated_at: String,
}

impl Report {
    /// The id of the record on the server: `report:<commentId>:<account>`.
    pub fn record_id(&self) -> String {
        format!("report:{}:{}", self.comment_id, self.account)
    }

    pub fn reason(&self) -> Option<ReportReason> {
        ReportReason::from_name(&self.reason)
    }
}

/// What is wrong with a report a reader is about to send, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportProblem {
    /// "Other" needs the reader's words.
    DetailsMissing,
    DetailsTooLong,
}

/// Checks a report before it is sent.
pub fn check(reason: ReportReason, details: &str) -> Result<(), ReportProblem> {
    let words = details.trim();
    if reason == ReportReason::Other && words.is_empty() {
        return Err(ReportProblem::DetailsMissing);
    }
    if words.chars().count() > MAX_DETAILS_CHARS {
        return Err(ReportProblem::DetailsTooLong);
    }
    Ok(())
}

/// Which of two versions of one report survives a merge.
pub fn winning_report<'a>(a: &'a Report, b: &'a Report) -> &'a Report {
    let rank = |r: &'a Report| (timestamp::sort_key(&r.updated_at), r);
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Applies `report` to `reports` (sorted by comment, then reporter) by the merge rule; returns
/// whether anything changed.
pub fn apply(reports: &mut Vec<Report>, report: &Report) -> bool {
    fn key(r: &Report) -> (&str, &str) {
        (&r.comment_id, &r.account)
    }
    match reports.binary_search_by(|r| key(r).cmp(&key(report))) {
        Ok(at) => {
            let kept = &reports[at];
            if std::ptr::eq(winning_report(kept, report), kept) || kept == report {
                return false;
            }
            reports[at] = report.clone();
        }
        Err(at) => reports.insert(at, report.clone()),
    }
    true
}

/// The reports still to review, oldest comment first (as `apply` keeps them).
pub fn open_reports(reports: &[Report]) -> impl Iterator<Item = &Report> {
    reports.iter().filter(|report| !report.reviewed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::at_minute;

    fn report(comment: &str, account: &str, minute: u32) -> Report {
        Report {
            comment_id: comment.into(),
            account: account.into(),
            reason: "offensive".into(),
            details: String::new(),
            reviewed: false,
            updated_at: at_minute(minute),
        }
    }

    #[test]
    fn one_report_per_comment_and_reader_the_latest_winning() {
        let mut reports = Vec::new();
        assert!(apply(&mut reports, &report("c2", "alice", 1)));
        assert!(apply(&mut reports, &report("c1", "boris", 1)));
        assert!(apply(&mut reports, &report("c1", "alice", 1)));
        let reviewed = Report {
            reviewed: true,
            ..report("c1", "boris", 5)
        };
        assert!(apply(&mut reports, &reviewed));
        assert!(!apply(&mut reports, &report("c1", "boris", 2)), "older");
        let ids: Vec<String> = reports.iter().map(Report::record_id).collect();
        assert_eq!(
            ids,
            ["report:c1:alice", "report:c1:boris", "report:c2:alice"]
        );
        let open: Vec<String> = open_reports(&reports).map(Report::record_id).collect();
        assert_eq!(open, ["report:c1:alice", "report:c2:alice"]);
    }

    #[test]
    fn other_needs_words_and_words_have_a_limit() {
        assert_eq!(check(ReportReason::Offensive, ""), Ok(()));
        assert_eq!(
            check(ReportReason::Other, "  "),
            Err(ReportProblem::DetailsMissing)
        );
        assert_eq!(check(ReportReason::Other, "Spam link"), Ok(()));
        let long = "x".repeat(MAX_DETAILS_CHARS + 1);
        assert_eq!(
            check(ReportReason::Inappropriate, &long),
            Err(ReportProblem::DetailsTooLong)
        );
        assert_eq!(
            ReportReason::from_name("offensive"),
            Some(ReportReason::Offensive)
        );
        assert_eq!(ReportReason::from_name("rude"), None);
    }
}
