//! The outbox: every write to a remote thread waits here, persisted by the caller as JSON, until
//! the server has it; this module owns its states, retry timing and the reading of HTTP failures.
//!
//! Pure state machine: the caller passes the time (Unix milliseconds, as `Date.now()`) and
//! randomness (`jitter` in [0, 1)), sends the requests and reports how they went.
//!
//! Life of an entry: `push` → Queued → `start` → Sending → `succeeded` (removed), or `failed` →
//! Waiting (transient: due again after a backoff) or Failed (permanent: kept until the user
//! retries or discards it). Per id there is at most one Sending entry and at most one other one:
//! every entry carries the whole record, so a newer change simply replaces an unsent older one.

use super::wire::{like_record_id, one_line};
use super::Change;
use crate::model::{Comment, Like, Moderation, Report};
use serde::{Deserialize, Serialize};

/// The first retry delay.
pub const BASE_BACKOFF_MS: f64 = 1_000.0;
/// The longest computed retry delay.
pub const MAX_BACKOFF_MS: f64 = 60_000.0;
/// The longest wait a server's `Retry-After` can impose.
pub const MAX_RETRY_AFTER_MS: f64 = 10.0 * 60_000.0;
/// The longest server message kept as a failure reason.
const MAX_REASON_CHARS: usize = 300;

/// A record to be sent: the whole new state of a comment, like or staff decision, so sending
/// is an upsert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "camelCase")]
pub enum Pending {
    Comment(Comment),
    Like(Like),
    /// Sent at once by the CouchDB store, never queued (see `CouchStore::write`): not kept, so
    /// the outbox's stored form carries no reader for them.
    #[serde(skip)]
    Moderation(Moderation),
    #[serde(skip)]
    Report(Report),
}

impl Pending {
    /// The id of the record on the server: the comment's id, or the like record's
    /// `<commentId>:<browserId>`.
    pub fn record_id(&self) -> String {
        match self {
            Pending::Comment(comment) => comment.id.clone(),
            Pending::Like(like) => like_record_id(like),
            Pending::Moderation(record) => record.record_id(),
            Pending::Report(record) => record.record_id(),
        }
    }

    /// The records a store change asks to send (an imported thread sends all of its records).
    pub fn from_change(change: &Change) -> Vec<Pending> {
        match change {
            Change::Comment(comment) => vec![Pending::Comment(comment.clone())],
            Change::Like(like) => vec![Pending::Like(like.clone())],
            // Never queued (`Runner::take` refuses them).
            Change::Moderation(_) | Change::Report(_) => Vec::new(),
            Change::Thread(data) => data
                .comments
                .iter()
                .cloned()
                .map(Pending::Comment)
                .chain(data.likes.iter().cloned().map(Pending::Like))
                .collect(),
        }
    }
}

/// Where an entry stands. Times are Unix milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "status",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EntryState {
    /// Due to be sent as soon as the caller gets to it.
    Queued,
    /// A request is in flight (or was, when the tab closed).
    Sending { since: f64 },
    /// The last attempt failed in a way worth retrying; due again at `retry_at`.
    Waiting { retry_at: f64, reason: String },
    /// The server refused it; kept for the user to see, retry or discard.
    Failed { reason: String },
}

/// One record waiting to reach the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    /// `change.record_id()`, kept to find entries without recomputing it.
    pub id: String,
    pub change: Pending,
    /// Sending attempts started so far, including one interrupted by a closed tab.
    pub attempts: u32,
    pub state: EntryState,
    /// When the oldest unsent change for this id was queued.
    pub queued_at: f64,
}

impl OutboxEntry {
    fn is_sending(&self) -> bool {
        matches!(self.state, EntryState::Sending { .. })
    }
}

/// How a failed attempt went, as far as retrying is concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Worth retrying later; `retry_after_ms` is the server's own wish, if it said.
    Transient {
        reason: String,
        retry_after_ms: Option<f64>,
    },
    /// The server will not take it as it is.
    Permanent { reason: String },
}

impl Outcome {
    /// The request never got an answer (offline, DNS, CORS, connection reset). The
    /// browser's own words ("TypeError: Failed to fetch") are for the console, not the reader.
    pub fn network() -> Outcome {
        Outcome::Transient {
            reason: "could not reach the server".to_owned(),
            retry_after_ms: None,
        }
    }

    /// The caller gave up waiting for an answer.
    pub fn timeout() -> Outcome {
        Outcome::Transient {
            reason: "the server did not answer in time".to_owned(),
            retry_after_ms: None,
        }
    }
}

/// The writes not yet on the server, in the order they were made.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    #[serde(default)]
    pub entries: Vec<OutboxEntry>,
}

impl Outbox {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Queues a change. An unsent entry for the same id gets the new record in its place: it
    /// keeps its turn in the queue (a comment stays ahead of the replies written after it) and,
    /// if Waiting, its retry time; if Failed, it is Queued afresh, since the server may take the
    /// new version. If the id's only entry is Sending, the change is queued at the end, behind it.
    pub fn push(&mut self, change: Pending, now: f64) {
        let id = change.record_id();
        match self.unsent_mut(&id) {
            Some(entry) => {
                entry.change = change;
                if matches!(entry.state, EntryState::Failed { .. }) {
                    entry.state = EntryState::Queued;
                }
            }
            None => self.entries.push(OutboxEntry {
                id,
                change,
                attempts: 0,
                state: EntryState::Queued,
                queued_at: now,
            }),
        }
    }

    /// The first entry, in queue order, that is Queued or Waiting with its retry time come,
    /// whose id has no request in flight, and that is not a reply whose parent has yet to
    /// arrive (so other readers never see a reply before what it answers).
    pub fn next_due(&self, now: f64) -> Option<&OutboxEntry> {
        self.entries.iter().find(|entry| {
            let due = match entry.state {
                EntryState::Queued => true,
                EntryState::Waiting { retry_at, .. } => retry_at <= now,
                EntryState::Sending { .. } | EntryState::Failed { .. } => false,
            };
            due && !self.is_sending(&entry.id) && !self.waits_for_parent(entry)
        })
    }

    /// A reply whose parent is still on its way (a refused parent holds nothing back).
    fn waits_for_parent(&self, entry: &OutboxEntry) -> bool {
        let Pending::Comment(comment) = &entry.change else {
            return false;
        };
        comment.parent_id.as_deref().is_some_and(|parent| {
            self.entries.iter().any(|other| {
                other.id == parent && !matches!(other.state, EntryState::Failed { .. })
            })
        })
    }

    /// The earliest time a Waiting entry becomes due, for the caller's timer.
    pub fn next_retry_at(&self) -> Option<f64> {
        self.entries
            .iter()
            .filter_map(|entry| match entry.state {
                EntryState::Waiting { retry_at, .. } => Some(retry_at),
                _ => None,
            })
            .reduce(f64::min)
    }

    /// Marks the id's Queued or Waiting entry as Sending (due or not: the caller decides) and
    /// returns it. `None` if there is none, it Failed, or a request for the id is in flight.
    pub fn start(&mut self, id: &str, now: f64) -> Option<&OutboxEntry> {
        if self.is_sending(id) {
            return None;
        }
        let entry = self.unsent_mut(id)?;
        if matches!(entry.state, EntryState::Failed { .. }) {
            return None;
        }
        entry.state = EntryState::Sending { since: now };
        entry.attempts = entry.attempts.saturating_add(1);
        Some(entry)
    }

    /// The server has the id's in-flight record: its entry goes. A newer change queued behind
    /// it stays. Nothing happens if no request for the id is in flight.
    pub fn succeeded(&mut self, id: &str) {
        if let Some(index) = self.sending_index(id) {
            self.entries.remove(index);
        }
    }

    /// The id's in-flight attempt failed. Transient: Waiting for a backoff (or the server's
    /// `Retry-After`). Permanent: Failed. Either way, if a newer change for the id is queued
    /// behind, it replaces the failed record in its place, stays Queued after a permanent
    /// failure (the server may take the new version) and inherits the wait after a transient
    /// one. Nothing happens if no request for the id is in flight.
    pub fn failed(&mut self, id: &str, outcome: Outcome, now: f64, jitter: f64) {
        let Some(index) = self.sending_index(id) else {
            return;
        };
        let attempts = self.entries[index].attempts;
        let state = match outcome {
            Outcome::Transient {
                reason,
                retry_after_ms,
            } => EntryState::Waiting {
                retry_at: now + retry_delay_ms(attempts, retry_after_ms, jitter),
                reason,
            },
            Outcome::Permanent { reason } => EntryState::Failed { reason },
        };
        self.entries[index].state = state;
        self.supersede_with_newer(index);
    }

    /// Every Waiting entry becomes due now (the browser is back online, the page regained
    /// focus). Failed entries stay: only the user retries those.
    pub fn retry_now(&mut self, now: f64) {
        for entry in &mut self.entries {
            if let EntryState::Waiting { retry_at, .. } = &mut entry.state {
                *retry_at = now;
            }
        }
    }

    /// The user asks to try the id's Failed or Waiting entry again: it is Queued.
    pub fn retry(&mut self, id: &str) -> bool {
        match self.unsent_mut(id) {
            Some(entry) if !matches!(entry.state, EntryState::Queued) => {
                entry.state = EntryState::Queued;
                true
            }
            _ => false,
        }
    }

    /// After the page was reloaded: no request is in flight any more, so entries left Sending
    /// are Queued again (the caller checks whether the record arrived before POSTing it again).
    /// One with a newer change queued behind it gives way to that change, keeping its place.
    pub fn recover_after_restart(&mut self) {
        let mut index = 0;
        while index < self.entries.len() {
            if self.entries[index].is_sending() {
                self.entries[index].state = EntryState::Queued;
                self.supersede_with_newer(index);
            }
            index += 1;
        }
    }

    /// The user gives up on the id's unsent entry (typically a Failed one). An entry in flight
    /// cannot be discarded: the request may already have arrived. Returns whether one went.
    pub fn discard(&mut self, id: &str) -> bool {
        match self.unsent_index(id) {
            Some(index) => {
                self.entries.remove(index);
                true
            }
            None => false,
        }
    }

    /// Takes over the entries of `stored` (the outbox another tab of this browser saved) that
    /// this one neither holds nor delivered itself (`delivered`), rather than overwrite them,
    /// so closing that tab loses nothing. A taken entry counts as tried (its tab may have sent
    /// it), so the sender checks whether it arrived before creating it; one left Sending is
    /// Queued.
    pub fn adopt(&mut self, stored: Outbox, delivered: &std::collections::HashSet<String>) {
        for mut entry in stored.entries {
            if delivered.contains(&entry.id) || self.state_of(&entry.id).is_some() {
                continue;
            }
            if entry.is_sending() {
                entry.state = EntryState::Queued;
            }
            entry.attempts = entry.attempts.max(1);
            self.entries.push(entry);
        }
    }

    /// The state to show for the id: its first entry's, so a record in flight reads as
    /// Sending even when a newer change waits behind it.
    pub fn state_of(&self, id: &str) -> Option<&EntryState> {
        self.entries
            .iter()
            .find(|entry| entry.id == id)
            .map(|entry| &entry.state)
    }

    /// The comments not yet on the server (Failed ones included), each in its newest version,
    /// in queue order; `state_of` their ids says how each is doing.
    pub fn pending_comments(&self) -> Vec<Comment> {
        self.newest_changes()
            .filter_map(|change| match change {
                Pending::Comment(comment) => Some(comment.clone()),
                _ => None,
            })
            .collect()
    }

    /// The likes not yet on the server, as `pending_comments`.
    pub fn pending_likes(&self) -> Vec<Like> {
        self.newest_changes()
            .filter_map(|change| match change {
                Pending::Like(like) => Some(like.clone()),
                _ => None,
            })
            .collect()
    }

    /// The last entry's change for each id, in queue order.
    fn newest_changes(&self) -> impl Iterator<Item = &Pending> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(index, entry)| {
                !self.entries[index + 1..]
                    .iter()
                    .any(|later| later.id == entry.id)
            })
            .map(|(_, entry)| &entry.change)
    }

    fn is_sending(&self, id: &str) -> bool {
        self.sending_index(id).is_some()
    }

    fn sending_index(&self, id: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|entry| entry.id == id && entry.is_sending())
    }

    fn unsent_index(&self, id: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|entry| entry.id == id && !entry.is_sending())
    }

    fn unsent_mut(&mut self, id: &str) -> Option<&mut OutboxEntry> {
        let index = self.unsent_index(id)?;
        Some(&mut self.entries[index])
    }

    /// If a newer change for the id of the entry at `index` is queued behind it, that change
    /// takes the entry's place, and the older record goes. The entry keeps its state and
    /// attempts, except that a Failed one is Queued afresh, as in `push`.
    fn supersede_with_newer(&mut self, index: usize) {
        let id = &self.entries[index].id;
        let Some(offset) = self.entries[index + 1..]
            .iter()
            .position(|later| later.id == *id)
        else {
            return;
        };
        let newer = self.entries.remove(index + 1 + offset);
        let older = &mut self.entries[index];
        older.change = newer.change;
        if matches!(older.state, EntryState::Failed { .. }) {
            older.state = EntryState::Queued;
        }
    }
}

/// The wait before retrying after `attempts` attempts (0 counts as 1): 1 s doubling per
/// attempt, capped at 60 s, with "equal jitter": half the delay fixed and half random, so the
/// wait never collapses to nothing yet tabs that failed together spread out. Whole milliseconds.
pub fn backoff_ms(attempts: u32, jitter: f64) -> f64 {
    let doublings = attempts.saturating_sub(1).min(16);
    let delay = (BASE_BACKOFF_MS * f64::from(1_u32 << doublings)).min(MAX_BACKOFF_MS);
    let jitter = if (0.0..1.0).contains(&jitter) {
        jitter
    } else {
        0.0
    };
    // Whole milliseconds keep the stored times exact through JSON.
    (delay / 2.0 + delay / 2.0 * jitter).floor()
}

/// The wait before the next attempt: the server's `Retry-After` when it gave one (at most
/// `MAX_RETRY_AFTER_MS`, never negative), otherwise `backoff_ms`.
pub fn retry_delay_ms(attempts: u32, retry_after_ms: Option<f64>, jitter: f64) -> f64 {
    match retry_after_ms {
        Some(wish) if !wish.is_nan() => wish.clamp(0.0, MAX_RETRY_AFTER_MS),
        _ => backoff_ms(attempts, jitter),
    }
}

/// What a non-2xx answer means for retrying. 408, 425, 429 and 5xx are transient (a 500 from
/// json-server may also mean the id already exists, which the caller checks before re-POSTing),
/// and so is 401: the write waits for the reader to sign in (again), and goes then. Any other
/// 4xx is permanent, with the server's message as the reason if it sent one.
pub fn classify(
    status: u16,
    retry_after_header: Option<&str>,
    body_message: Option<String>,
    now_ms: f64,
) -> Outcome {
    let transient_reason = match status {
        401 => Some("the server needs you to sign in, HTTP 401".to_owned()),
        408 => Some("the server timed out waiting for the request".to_owned()),
        425 | 429 => Some(format!("the server asked to slow down (HTTP {status})")),
        500..=599 => Some(format!("the server had a problem (HTTP {status})")),
        _ => None,
    };
    if let Some(reason) = transient_reason {
        return Outcome::Transient {
            reason,
            retry_after_ms: retry_after_header.and_then(|header| parse_retry_after(header, now_ms)),
        };
    }
    let message = body_message.and_then(|text| one_line(&text, MAX_REASON_CHARS));
    let reason = match (status, message) {
        (400..=499, Some(message)) => message,
        (400..=499, None) => format!("the server refused it (HTTP {status})"),
        (_, Some(message)) => {
            format!("unexpected answer from the server (HTTP {status}): {message}")
        }
        (_, None) => format!("unexpected answer from the server (HTTP {status})"),
    };
    Outcome::Permanent { reason }
}

/// A `Retry-After` header as milliseconds from `now_ms`: delta-seconds ("120") or an
/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"; a past date gives 0). `None` for anything
/// else, including the obsolete RFC 850 and asctime date forms.
pub fn parse_retry_after(header: &str, now_ms: f64) -> Option<f64> {
    let header = header.trim();
    if !header.is_empty() && header.bytes().all(|b| b.is_ascii_digit()) {
        // Any run of digits parses as f64 (a huge one as a huge wait, which the cap shortens).
        return header.parse::<f64>().ok().map(|seconds| seconds * 1000.0);
    }
    parse_http_date(header).map(|at| (at as f64 - now_ms).max(0.0))
}

/// Unix milliseconds of an IMF-fixdate, the HTTP date form: `Sun, 06 Nov 1994 08:49:37 GMT`.
/// The weekday must be a weekday name but is not checked against the date.
pub fn parse_http_date(text: &str) -> Option<i64> {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let bytes = text.as_bytes();
    if bytes.len() != 29 || !text.is_ascii() {
        return None;
    }
    let layout_ok = &text[3..5] == ", "
        && bytes[7] == b' '
        && bytes[11] == b' '
        && bytes[16] == b' '
        && &text[25..] == " GMT";
    if !layout_ok || !WEEKDAYS.contains(&&text[0..3]) {
        return None;
    }
    let month = MONTHS.iter().position(|name| *name == &text[8..11])? + 1;
    let (day, year, time) = (&text[5..7], &text[12..16], &text[17..25]);
    // `timestamp::parse_millis` checks the digits, the calendar and the clock.
    crate::model::timestamp::parse_millis(&format!("{year}-{month:02}-{day}T{time}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ThreadData;

    const T0: f64 = 1_767_225_600_000.0;

    fn comment(id: &str, body: &str) -> Comment {
        Comment {
            id: id.into(),
            post_id: "post".into(),
            parent_id: None,
            author: "Maya".into(),
            author_key: Some("browser-1".into()),
            body: body.into(),
            created_at: "2026-01-01T00:00:00.000Z".into(),
            updated_at: String::new(),
            deleted: false,
            target: None,
            account: None,
            account_role: None,
        }
    }

    fn like(comment_id: &str, liked: bool) -> Like {
        Like {
            comment_id: comment_id.into(),
            browser_id: "browser-1".into(),
            liked,
            updated_at: "2026-01-01T00:01:00.000Z".into(),
        }
    }

    fn queued(ids_and_bodies: &[(&str, &str)]) -> Outbox {
        let mut outbox = Outbox::default();
        for (id, body) in ids_and_bodies {
            outbox.push(Pending::Comment(comment(id, body)), T0);
        }
        outbox
    }

    fn transient(reason: &str) -> Outcome {
        Outcome::Transient {
            reason: reason.into(),
            retry_after_ms: None,
        }
    }

    fn permanent(reason: &str) -> Outcome {
        Outcome::Permanent {
            reason: reason.into(),
        }
    }

    #[test]
    fn a_reply_waits_until_its_parent_has_arrived() {
        let mut outbox = queued(&[("parent", "question")]);
        let mut answer = comment("reply", "answer");
        answer.parent_id = Some("parent".into());
        outbox.push(Pending::Comment(answer), T0);
        outbox.start("parent", T0);
        outbox.failed("parent", transient("offline"), T0, 0.0);
        assert_eq!(
            outbox.next_due(T0),
            None,
            "the reply must not overtake its parent"
        );
        let retry_at = outbox.next_retry_at().unwrap();
        assert_eq!(
            outbox.next_due(retry_at).map(|e| e.id.as_str()),
            Some("parent")
        );
        outbox.start("parent", retry_at);
        outbox.succeeded("parent");
        assert_eq!(
            outbox.next_due(retry_at).map(|e| e.id.as_str()),
            Some("reply")
        );
    }

    #[test]
    fn a_refused_parent_holds_no_reply_back() {
        let mut outbox = queued(&[("parent", "question")]);
        let mut answer = comment("reply", "answer");
        answer.parent_id = Some("parent".into());
        outbox.push(Pending::Comment(answer), T0);
        outbox.start("parent", T0);
        outbox.failed("parent", permanent("closed"), T0, 0.0);
        assert_eq!(outbox.next_due(T0).map(|e| e.id.as_str()), Some("reply"));
    }

    fn body_of(entry: &OutboxEntry) -> &str {
        match &entry.change {
            Pending::Comment(comment) => &comment.body,
            _ => panic!("not a comment"),
        }
    }

    fn due_id(outbox: &Outbox, now: f64) -> Option<&str> {
        outbox.next_due(now).map(|entry| entry.id.as_str())
    }

    #[test]
    fn pushed_changes_are_due_in_the_order_they_were_made() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        outbox.push(Pending::Like(like("a", true)), T0 + 1.0);
        assert!(!outbox.is_empty());
        let ids: Vec<&str> = outbox.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "a:browser-1"]);
        assert_eq!(outbox.entries[2].queued_at, T0 + 1.0);
        assert_eq!(outbox.state_of("b"), Some(&EntryState::Queued));
        assert_eq!(due_id(&outbox, T0), Some("a"));
        assert!(Outbox::default().is_empty());
        assert_eq!(Outbox::default().next_due(T0), None);
    }

    #[test]
    fn starting_marks_the_entry_sending_and_counts_the_attempt() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        let started = outbox.start("a", T0 + 5.0).unwrap();
        assert_eq!(started.state, EntryState::Sending { since: T0 + 5.0 });
        assert_eq!(started.attempts, 1);
        assert_eq!(due_id(&outbox, T0 + 5.0), Some("b"));
        assert!(outbox.start("a", T0 + 6.0).is_none(), "already in flight");
        assert!(outbox.start("nope", T0).is_none());
    }

    #[test]
    fn success_removes_the_entry() {
        let mut outbox = queued(&[("a", "A")]);
        outbox.start("a", T0);
        outbox.succeeded("a");
        assert!(outbox.is_empty());
        assert_eq!(outbox.state_of("a"), None);
        outbox.succeeded("a");
        assert!(outbox.is_empty());
    }

    #[test]
    fn success_or_failure_without_a_request_in_flight_changes_nothing() {
        let mut outbox = queued(&[("a", "A")]);
        let before = outbox.clone();
        outbox.succeeded("a");
        outbox.failed("a", permanent("no"), T0, 0.5);
        assert_eq!(outbox, before);
    }

    #[test]
    fn a_transient_failure_waits_for_the_backoff() {
        let mut outbox = queued(&[("a", "A")]);
        outbox.start("a", T0);
        outbox.failed("a", Outcome::timeout(), T0, 0.0);
        let retry_at = T0 + backoff_ms(1, 0.0);
        assert_eq!(
            outbox.state_of("a"),
            Some(&EntryState::Waiting {
                retry_at,
                reason: "the server did not answer in time".into()
            })
        );
        assert_eq!(outbox.next_retry_at(), Some(retry_at));
        assert_eq!(due_id(&outbox, retry_at - 1.0), None);
        assert_eq!(due_id(&outbox, retry_at), Some("a"));

        outbox.start("a", retry_at);
        outbox.failed("a", Outcome::network(), retry_at, 0.0);
        let EntryState::Waiting {
            retry_at: second,
            reason,
        } = outbox.state_of("a").unwrap()
        else {
            panic!("not waiting");
        };
        assert_eq!(*second, retry_at + backoff_ms(2, 0.0));
        assert_eq!(reason, "could not reach the server");
        assert_eq!(outbox.entries[0].attempts, 2);
    }

    #[test]
    fn the_servers_retry_after_beats_the_backoff_up_to_a_cap() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        for (id, wish) in [("a", 30_000.0), ("b", 86_400_000.0)] {
            outbox.start(id, T0);
            outbox.failed(
                id,
                Outcome::Transient {
                    reason: "busy".into(),
                    retry_after_ms: Some(wish),
                },
                T0,
                0.9,
            );
        }
        let retry_at = |id| match outbox.state_of(id) {
            Some(EntryState::Waiting { retry_at, .. }) => *retry_at,
            other => panic!("{other:?}"),
        };
        assert_eq!(retry_at("a"), T0 + 30_000.0);
        assert_eq!(retry_at("b"), T0 + MAX_RETRY_AFTER_MS);
        assert_eq!(outbox.next_retry_at(), Some(T0 + 30_000.0));
    }

    #[test]
    fn a_permanent_failure_stays_until_retried_or_discarded() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        outbox.start("a", T0);
        outbox.failed("a", permanent("Payload too large"), T0, 0.5);
        assert_eq!(
            outbox.state_of("a"),
            Some(&EntryState::Failed {
                reason: "Payload too large".into()
            })
        );
        assert_eq!(due_id(&outbox, T0 + 1e9), Some("b"));
        assert!(outbox.start("a", T0).is_none());
        outbox.retry_now(T0 + 1.0);
        assert!(matches!(
            outbox.state_of("a"),
            Some(EntryState::Failed { .. })
        ));

        assert!(outbox.retry("a"));
        assert_eq!(outbox.state_of("a"), Some(&EntryState::Queued));
        assert_eq!(due_id(&outbox, T0), Some("a"));
        assert!(!outbox.retry("a"), "already queued");

        outbox.start("a", T0);
        outbox.failed("a", permanent("still too large"), T0, 0.5);
        assert!(outbox.discard("a"));
        assert_eq!(outbox.state_of("a"), None);
        assert!(!outbox.discard("a"));
        assert_eq!(outbox.entries.len(), 1);
    }

    #[test]
    fn an_entry_in_flight_cannot_be_discarded() {
        let mut outbox = queued(&[("a", "A")]);
        outbox.start("a", T0);
        assert!(!outbox.discard("a"));
        assert!(!outbox.retry("a"));
        assert_eq!(outbox.entries.len(), 1);
    }

    #[test]
    fn retry_now_makes_every_waiting_entry_due() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        for id in ["a", "b"] {
            outbox.start(id, T0);
            outbox.failed(id, transient("503"), T0, 0.5);
        }
        assert_eq!(due_id(&outbox, T0 + 10.0), None);
        outbox.retry_now(T0 + 10.0);
        assert_eq!(due_id(&outbox, T0 + 10.0), Some("a"));
        assert!(matches!(
            outbox.state_of("b"),
            Some(EntryState::Waiting { retry_at, reason }) if *retry_at == T0 + 10.0 && reason == "503"
        ));
    }

    #[test]
    fn a_newer_change_replaces_a_queued_one_in_its_place() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        outbox.push(Pending::Comment(comment("a", "A edited")), T0 + 60.0);
        assert_eq!(outbox.entries.len(), 2);
        assert_eq!(outbox.entries[0].id, "a");
        assert_eq!(body_of(&outbox.entries[0]), "A edited");
        assert_eq!(outbox.entries[0].queued_at, T0);
    }

    #[test]
    fn a_newer_change_keeps_a_waiting_entrys_retry_time() {
        let mut outbox = queued(&[("a", "A")]);
        outbox.start("a", T0);
        outbox.failed("a", transient("429"), T0, 0.0);
        let waiting = outbox.state_of("a").cloned();
        outbox.push(Pending::Comment(comment("a", "A edited")), T0 + 1.0);
        assert_eq!(outbox.state_of("a").cloned(), waiting);
        assert_eq!(body_of(&outbox.entries[0]), "A edited");
        assert_eq!(outbox.entries[0].attempts, 1);
    }

    #[test]
    fn a_newer_change_requeues_a_failed_entry() {
        let mut outbox = queued(&[("a", "A")]);
        outbox.start("a", T0);
        outbox.failed("a", permanent("too long"), T0, 0.0);
        outbox.push(Pending::Comment(comment("a", "shorter")), T0 + 1.0);
        assert_eq!(outbox.state_of("a"), Some(&EntryState::Queued));
        assert_eq!(body_of(&outbox.entries[0]), "shorter");
        assert_eq!(outbox.entries[0].attempts, 1, "attempts never go back");
    }

    #[test]
    fn a_change_to_a_record_in_flight_waits_behind_it() {
        let mut outbox = queued(&[("a", "A")]);
        outbox.start("a", T0);
        outbox.push(Pending::Comment(comment("a", "A1")), T0 + 1.0);
        outbox.push(Pending::Comment(comment("a", "A2")), T0 + 2.0);
        assert_eq!(outbox.entries.len(), 2);
        assert_eq!(body_of(&outbox.entries[1]), "A2");
        assert_eq!(outbox.entries[1].attempts, 0);
        assert_eq!(
            due_id(&outbox, T0 + 2.0),
            None,
            "one request per id at a time"
        );
        assert!(matches!(
            outbox.state_of("a"),
            Some(EntryState::Sending { .. })
        ));
        let pending = outbox.pending_comments();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].body, "A2");

        outbox.succeeded("a");
        assert_eq!(outbox.entries.len(), 1);
        assert_eq!(body_of(&outbox.entries[0]), "A2");
        assert_eq!(due_id(&outbox, T0 + 2.0), Some("a"));
    }

    #[test]
    fn when_a_send_fails_the_change_behind_it_takes_its_place() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        outbox.start("a", T0);
        outbox.push(Pending::Comment(comment("a", "A1")), T0 + 1.0);
        outbox.failed("a", transient("502"), T0 + 2.0, 0.0);
        let ids: Vec<&str> = outbox.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(body_of(&outbox.entries[0]), "A1");
        assert_eq!(outbox.entries[0].attempts, 1);
        assert!(matches!(
            outbox.state_of("a"),
            Some(EntryState::Waiting { .. })
        ));

        outbox.start("a", T0 + 10_000.0);
        outbox.push(Pending::Comment(comment("a", "A2")), T0 + 10_001.0);
        outbox.failed("a", permanent("refused"), T0 + 10_002.0, 0.0);
        assert_eq!(outbox.entries.len(), 2);
        assert_eq!(body_of(&outbox.entries[0]), "A2");
        assert_eq!(outbox.state_of("a"), Some(&EntryState::Queued));
    }

    #[test]
    fn a_send_interrupted_by_a_closed_tab_is_queued_again() {
        let mut outbox = queued(&[("a", "A"), ("b", "B"), ("c", "C")]);
        outbox.start("a", T0);
        outbox.start("b", T0);
        outbox.push(Pending::Comment(comment("b", "B1")), T0 + 1.0);
        let stored = serde_json::to_string(&outbox).unwrap();

        let mut reloaded: Outbox = serde_json::from_str(&stored).unwrap();
        reloaded.recover_after_restart();
        let ids: Vec<&str> = reloaded.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert!(reloaded
            .entries
            .iter()
            .all(|entry| entry.state == EntryState::Queued));
        assert_eq!(
            reloaded.entries[0].attempts, 1,
            "the interrupted try counts"
        );
        assert_eq!(body_of(&reloaded.entries[1]), "B1");
        assert_eq!(reloaded.entries[1].attempts, 1);
        assert_eq!(due_id(&reloaded, T0), Some("a"));
    }

    #[test]
    fn another_tabs_entries_are_adopted_unless_held_or_delivered_here() {
        let mut mine = queued(&[("a", "A mine")]);
        let mut theirs = queued(&[("a", "A theirs"), ("b", "B"), ("c", "C"), ("d", "D")]);
        theirs.start("b", T0);
        let delivered: std::collections::HashSet<String> = ["c".to_owned()].into();
        mine.adopt(theirs, &delivered);
        let ids: Vec<&str> = mine.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "d"]);
        assert_eq!(body_of(&mine.entries[0]), "A mine");
        assert_eq!(mine.entries[0].attempts, 0);
        assert_eq!(mine.entries[1].state, EntryState::Queued, "its tab is gone");
        assert_eq!(mine.entries[1].attempts, 1);
        assert_eq!(
            mine.entries[2].attempts, 1,
            "it may have been sent: check first"
        );
    }

    #[test]
    fn pending_comments_and_likes_are_the_newest_versions_in_queue_order() {
        let mut outbox = queued(&[("a", "A"), ("b", "B")]);
        outbox.push(Pending::Like(like("a", true)), T0);
        outbox.start("b", T0);
        outbox.failed("b", permanent("no"), T0, 0.0);
        outbox.push(Pending::Like(like("a", false)), T0);
        let bodies: Vec<String> = outbox
            .pending_comments()
            .into_iter()
            .map(|c| c.body)
            .collect();
        assert_eq!(bodies, ["A", "B"]);
        assert_eq!(outbox.pending_likes(), vec![like("a", false)]);
    }

    #[test]
    fn changes_become_pending_records() {
        assert_eq!(
            Pending::from_change(&Change::Comment(comment("a", "A"))),
            vec![Pending::Comment(comment("a", "A"))]
        );
        let data = ThreadData {
            comments: vec![comment("a", "A"), comment("b", "B")],
            likes: vec![like("a", true)],
            ..ThreadData::default()
        };
        let pending = Pending::from_change(&Change::Thread(data));
        let ids: Vec<String> = pending.iter().map(Pending::record_id).collect();
        assert_eq!(ids, ["a", "b", "a:browser-1"]);
    }

    #[test]
    fn the_stored_json_is_camel_case_and_round_trips() {
        let mut outbox = queued(&[("a", "A"), ("b", "B"), ("c", "C")]);
        outbox.push(Pending::Like(like("a", true)), T0);
        outbox.start("a", T0);
        outbox.start("b", T0);
        outbox.failed("b", transient("503"), T0, 0.25);
        outbox.start("c", T0);
        outbox.failed("c", permanent("no"), T0, 0.25);
        let json = serde_json::to_string(&outbox).unwrap();
        for expected in [
            "\"queuedAt\"",
            "\"kind\":\"comment\"",
            "\"kind\":\"like\"",
            "\"record\":{",
            "\"status\":\"sending\",\"since\"",
            "\"status\":\"waiting\",\"retryAt\"",
            "\"status\":\"failed\"",
            "\"status\":\"queued\"",
        ] {
            assert!(json.contains(expected), "{expected} in {json}");
        }
        assert_eq!(serde_json::from_str::<Outbox>(&json).unwrap(), outbox);
        assert_eq!(
            serde_json::from_str::<Outbox>("{}").unwrap(),
            Outbox::default()
        );
    }

    #[test]
    fn backoff_doubles_from_a_second_and_caps_at_a_minute() {
        let full: Vec<f64> = (1..=9).map(|n| backoff_ms(n, 0.999_999)).collect();
        let fixed: Vec<f64> = (1..=9).map(|n| backoff_ms(n, 0.0)).collect();
        assert_eq!(
            fixed,
            [500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 30000.0, 30000.0, 30000.0]
        );
        assert_eq!(full[0], 999.0);
        assert_eq!(full[6], 59_999.0);
        assert_eq!(backoff_ms(0, 0.0), backoff_ms(1, 0.0));
        assert_eq!(backoff_ms(u32::MAX, 0.5), 45_000.0);
    }

    #[test]
    fn jitter_outside_its_range_is_ignored() {
        for jitter in [-1.0, 1.0, 7.0, f64::NAN, f64::INFINITY] {
            assert_eq!(backoff_ms(3, jitter), backoff_ms(3, 0.0));
        }
        assert_eq!(retry_delay_ms(3, Some(f64::NAN), 0.0), backoff_ms(3, 0.0));
        assert_eq!(retry_delay_ms(3, Some(-5.0), 0.0), 0.0);
    }

    #[test]
    fn classify_reads_retryable_statuses_as_transient() {
        for status in [401, 408, 425, 429, 500, 502, 503, 504, 599] {
            assert!(
                matches!(
                    classify(status, None, Some("x".into()), T0),
                    Outcome::Transient {
                        retry_after_ms: None,
                        ..
                    }
                ),
                "{status}"
            );
        }
        assert_eq!(
            classify(429, Some("120"), None, T0),
            Outcome::Transient {
                reason: "the server asked to slow down (HTTP 429)".into(),
                retry_after_ms: Some(120_000.0),
            }
        );
    }

    #[test]
    fn classify_reads_a_retry_after_date_relative_to_now() {
        let now = 784_111_777_000.0 - 90_000.0;
        let Outcome::Transient { retry_after_ms, .. } =
            classify(503, Some("Sun, 06 Nov 1994 08:49:37 GMT"), None, now)
        else {
            panic!("not transient");
        };
        assert_eq!(retry_after_ms, Some(90_000.0));
    }

    #[test]
    fn classify_reads_other_client_errors_as_permanent() {
        assert_eq!(
            classify(413, None, Some("  Body is\n too large ".into()), T0),
            permanent("Body is too large")
        );
        assert_eq!(
            classify(404, Some("5"), None, T0),
            permanent("the server refused it (HTTP 404)")
        );
        assert_eq!(
            classify(400, None, Some("   ".into()), T0),
            permanent("the server refused it (HTTP 400)")
        );
        assert_eq!(
            classify(302, None, None, T0),
            permanent("unexpected answer from the server (HTTP 302)")
        );
        let Outcome::Permanent { reason } = classify(422, None, Some("x".repeat(5000)), T0) else {
            panic!("not permanent");
        };
        assert_eq!(reason.chars().count(), MAX_REASON_CHARS + 1);
        assert!(reason.ends_with('…'));
    }

    #[test]
    fn retry_after_is_seconds_a_date_or_nothing() {
        assert_eq!(parse_retry_after("0", T0), Some(0.0));
        assert_eq!(parse_retry_after(" 7 ", T0), Some(7000.0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", T0).map(|ms| ms > MAX_RETRY_AFTER_MS),
            Some(true)
        );
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            parse_retry_after(date, 784_111_777_000.0 - 1500.0),
            Some(1500.0)
        );
        assert_eq!(
            parse_retry_after(date, 784_111_777_000.0 + 1500.0),
            Some(0.0)
        );
        for garbage in [
            "",
            "soon",
            "-5",
            "1.5",
            "12s",
            "Sunday, 06-Nov-94 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(garbage, T0), None, "{garbage:?}");
        }
    }

    #[test]
    fn http_dates_parse_to_unix_millis() {
        // Checked against `date -u -d '1994-11-06 08:49:37' +%s`.
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599_000)
        );
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT ",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 2027 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:3x GMT",
            "Sun, 06 Nov 1994 08.49.37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT\u{e9}",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    // proptest does not build for wasm32, where the browser tests compile this crate.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;
        use std::collections::HashMap;

        #[derive(Clone, Debug)]
        enum Step {
            Push {
                id: usize,
                version: u8,
            },
            StartDue,
            Start(usize),
            Succeed(usize),
            FailTransient {
                id: usize,
                retry_after_ms: Option<f64>,
            },
            FailPermanent(usize),
            RetryNow,
            Retry(usize),
            Recover,
            Discard(usize),
        }

        const IDS: [&str; 4] = ["a", "b", "c", "a:browser-1"];

        fn change(id: usize, version: u8) -> Pending {
            if IDS[id].contains(':') {
                Pending::Like(like("a", version.is_multiple_of(2)))
            } else {
                Pending::Comment(comment(IDS[id], &format!("v{version}")))
            }
        }

        fn arb_step() -> impl Strategy<Value = Step> {
            let id = 0..IDS.len();
            prop_oneof![
                3 => (id.clone(), any::<u8>()).prop_map(|(id, version)| Step::Push { id, version }),
                2 => Just(Step::StartDue),
                2 => id.clone().prop_map(Step::Start),
                2 => id.clone().prop_map(Step::Succeed),
                2 => (id.clone(), proptest::option::of(0.0..1e9f64))
                    .prop_map(|(id, retry_after_ms)| Step::FailTransient { id, retry_after_ms }),
                1 => id.clone().prop_map(Step::FailPermanent),
                1 => Just(Step::RetryNow),
                1 => id.clone().prop_map(Step::Retry),
                1 => Just(Step::Recover),
                1 => id.prop_map(Step::Discard),
            ]
        }

        proptest! {
            #[test]
            fn the_outbox_never_doubles_a_send_or_loses_a_change(
                steps in proptest::collection::vec((arb_step(), 0u32..120_000, 0.0..1.0f64), 0..60)
            ) {
                let mut outbox = Outbox::default();
                // Per id: the newest change pushed, until it is known sent or given up on.
                let mut owed: HashMap<String, Pending> = HashMap::new();
                let mut now = T0;
                for (step, elapsed, jitter) in steps {
                    now += f64::from(elapsed);
                    match step {
                        Step::Push { id, version } => {
                            let change = change(id, version);
                            owed.insert(change.record_id(), change.clone());
                            outbox.push(change, now);
                        }
                        Step::StartDue => {
                            if let Some(id) = outbox.next_due(now).map(|e| e.id.clone()) {
                                prop_assert!(outbox.start(&id, now).is_some());
                            }
                        }
                        Step::Start(id) => {
                            outbox.start(IDS[id], now);
                        }
                        Step::Succeed(id) => {
                            let sent = outbox
                                .entries
                                .iter()
                                .find(|e| e.id == IDS[id] && matches!(e.state, EntryState::Sending { .. }))
                                .map(|e| e.change.clone());
                            outbox.succeeded(IDS[id]);
                            if sent.is_some() && owed.get(IDS[id]) == sent.as_ref() {
                                owed.remove(IDS[id]);
                            }
                        }
                        Step::FailTransient { id, retry_after_ms } => outbox.failed(
                            IDS[id],
                            Outcome::Transient { reason: "busy".into(), retry_after_ms },
                            now,
                            jitter,
                        ),
                        Step::FailPermanent(id) => {
                            outbox.failed(IDS[id], permanent("no"), now, jitter)
                        }
                        Step::RetryNow => outbox.retry_now(now),
                        Step::Retry(id) => {
                            outbox.retry(IDS[id]);
                        }
                        Step::Recover => outbox.recover_after_restart(),
                        Step::Discard(id) => {
                            if outbox.discard(IDS[id]) {
                                owed.remove(IDS[id]);
                            }
                        }
                    }

                    for id in IDS {
                        let of_id = || outbox.entries.iter().filter(|e| e.id == id);
                        let sending = of_id()
                            .filter(|e| matches!(e.state, EntryState::Sending { .. }))
                            .count();
                        prop_assert!(sending <= 1, "{id} sent twice at once: {outbox:?}");
                        prop_assert!(of_id().count() - sending <= 1, "{id} queued twice: {outbox:?}");
                    }
                    for (id, change) in &owed {
                        prop_assert!(
                            outbox.entries.iter().any(|e| e.id == *id && e.change == *change),
                            "lost {change:?}: {outbox:?}"
                        );
                    }
                    let json = serde_json::to_string(&outbox).unwrap();
                    prop_assert_eq!(&serde_json::from_str::<Outbox>(&json).unwrap(), &outbox);
                }
            }

            #[test]
            fn backoff_stays_within_half_to_all_of_the_capped_delay(attempts in 0u32..100, jitter in 0.0..1.0f64) {
                let delay = (1000.0 * 2f64.powi(attempts.saturating_sub(1).min(30) as i32)).min(60_000.0);
                let wait = backoff_ms(attempts, jitter);
                prop_assert!(wait >= delay / 2.0 && wait < delay, "{wait} for {delay}");
                prop_assert_eq!(wait.fract(), 0.0);
                prop_assert!(backoff_ms(attempts + 1, jitter) >= wait);
            }
        }
    }
}
