//! Help-desk tickets CSV (`patron import tickets`): a Zendesk or Freshdesk export's columns under
//! either product's header names, each ticket's conversation in one column, and the subject
//! rule that tells a repeat issue.
//!
//! Subjects and messages are written by customers, so they are kept as written (escape
//! sequences and bidi overrides included) and made inert only when shown; only NUL, which no
//! database text column takes, refuses a row.

use std::io::Read;

use chrono::{DateTime, Utc};

use super::row::{Row, shown};
use super::{ImportError, Parsed, Schema, parse_file};
use crate::time;

pub const TICKET_COLUMNS: &[&str] = &[
    "id",
    "requester_email",
    "subject",
    "status",
    "priority",
    "created_at",
    "solved_at",
    "satisfaction",
    "conversation",
];

/// Header names of Zendesk ("Id", "Requester email", "Solved at", "Satisfaction") and
/// Freshdesk ("Ticket ID", "Contact Email", "Created time", "Resolved time", "Survey result",
/// "Description") exports, squashed (see `super::squash`).
const ALIASES: &[(&str, &str)] = &[
    ("ticketid", "id"),
    ("ticket", "id"),
    ("requesteremail", "requester_email"),
    ("contactemail", "requester_email"),
    ("email", "requester_email"),
    ("createdat", "created_at"),
    ("createdtime", "created_at"),
    ("created", "created_at"),
    ("solvedat", "solved_at"),
    ("solved", "solved_at"),
    ("resolvedtime", "solved_at"),
    ("resolvedat", "solved_at"),
    ("satisfactionscore", "satisfaction"),
    ("satisfactionrating", "satisfaction"),
    ("surveyresult", "satisfaction"),
    ("surveyresults", "satisfaction"),
    ("description", "conversation"),
    ("comments", "conversation"),
];

const SCHEMA: Schema = Schema {
    columns: TICKET_COLUMNS,
    required: &["id", "requester_email", "status", "created_at"],
    aliases: ALIASES,
    ignore_unknown: true,
};

const MAX_ID: usize = 64;
const MAX_SUBJECT: usize = 1_000;
const MAX_CONVERSATION: usize = 500_000;

/// A line starting with this begins a message in the conversation column:
/// `--- staff | Bob Jones | 2026-03-01T11:00:00Z`.
pub const MESSAGE_MARK: &str = "--- ";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub author: String,
    pub from_staff: bool,
    pub at: DateTime<Utc>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub external_id: String,
    pub requester_email: String,
    pub subject: String,
    /// open, pending, on_hold, solved or closed.
    pub status: String,
    /// low, normal, high or urgent.
    pub priority: String,
    pub created_at: DateTime<Utc>,
    pub solved_at: Option<DateTime<Utc>>,
    /// good, bad or none.
    pub satisfaction: String,
    /// 1-5 when the export rated with a number.
    pub satisfaction_score: Option<i64>,
    pub messages: Vec<MessageRow>,
}

pub fn parse_tickets(r: impl Read) -> Result<Parsed<TicketRow>, ImportError> {
    parse_file(r, &SCHEMA, |row, _line| {
        let external_id = row.required("id", MAX_ID).unwrap_or_default();
        let requester_email = row.email("requester_email").unwrap_or_default();
        let subject = kept_text(row, "subject", MAX_SUBJECT);
        let status = status(row);
        let priority = priority(row);
        let created_at = row.required_timestamp("created_at").unwrap_or_default();
        let solved_at = row.timestamp("solved_at");
        if solved_at.is_some_and(|s| s < created_at) {
            row.fail("solved_at is before created_at".into());
        }
        let (satisfaction, satisfaction_score) = satisfaction(row);
        let text = kept_text(row, "conversation", MAX_CONVERSATION);
        let messages = match parse_conversation(&text, &requester_email, created_at) {
            Ok(m) => m,
            Err(why) => {
                row.fail(format!("conversation: {why}"));
                Vec::new()
            }
        };
        TicketRow {
            external_id,
            requester_email,
            subject,
            status,
            priority,
            created_at,
            solved_at,
            satisfaction,
            satisfaction_score,
            messages,
        }
    })
}

/// Which help desk a header looks like it came from ("zendesk", "freshdesk", else "helpdesk"):
/// the default source of an import, so ticket 101 of one and of the other stay two tickets.
pub fn ticket_source(header: &[String]) -> &'static str {
    let names: Vec<String> = header.iter().map(|h| super::squash(h)).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("ticketid") || has("contactemail") || has("createdtime") {
        "freshdesk"
    } else if has("requesteremail") || has("solvedat") {
        "zendesk"
    } else {
        "helpdesk"
    }
}

/// Trimmed text kept as written; only NUL and an over-long value refuse the row.
fn kept_text(row: &mut Row<'_>, col: &str, max: usize) -> String {
    let value = row.get(col).trim();
    if value.contains('\0') {
        row.fail(format!("NUL character in {col}"));
    }
    if value.chars().count() > max {
        row.fail(format!("{col} too long (max {max} characters)"));
    }
    value.to_owned()
}

fn status(row: &mut Row<'_>) -> String {
    let value = row.get("status").trim();
    let s = match value.to_lowercase().replace(['-', '_'], " ").as_str() {
        "new" | "open" => "open",
        "pending" | "waiting on customer" | "waiting on third party" => "pending",
        "hold" | "on hold" => "on_hold",
        "solved" | "resolved" => "solved",
        "closed" => "closed",
        "" => {
            row.fail("missing status".into());
            ""
        }
        _ => {
            row.fail(format!(
                "bad status \"{}\" (expected new, open, pending, on-hold, solved, resolved or closed)",
                shown(value)
            ));
            ""
        }
    };
    s.to_owned()
}

fn priority(row: &mut Row<'_>) -> String {
    let value = row.get("priority").trim();
    let p = match value.to_lowercase().as_str() {
        "low" | "1" => "low",
        "" | "normal" | "medium" | "2" => "normal",
        "high" | "3" => "high",
        "urgent" | "4" => "urgent",
        _ => {
            row.fail(format!(
                "bad priority \"{}\" (expected low, normal, medium, high or urgent)",
                shown(value)
            ));
            "normal"
        }
    };
    p.to_owned()
}

/// Zendesk writes "Good"/"Bad" (or "Good, I'm satisfied"), "Offered", "Unoffered"; Freshdesk
/// a happiness word or a score. A number 1-5 is kept as the score too.
fn satisfaction(row: &mut Row<'_>) -> (String, Option<i64>) {
    let value = row.get("satisfaction").trim();
    let lower = value.to_lowercase();
    if let Ok(n) = lower.parse::<i64>() {
        return match n {
            1..=2 => ("bad".into(), Some(n)),
            3 => ("none".into(), Some(n)),
            4..=5 => ("good".into(), Some(n)),
            _ => {
                row.fail(format!(
                    "bad satisfaction \"{}\" (a score is 1-5)",
                    shown(value)
                ));
                ("none".into(), None)
            }
        };
    }
    let rating = match lower.as_str() {
        "" | "-" | "none" | "offered" | "unoffered" | "not offered" | "neutral" => "none",
        "satisfied" | "happy" | "extremely happy" | "positive" => "good",
        "unsatisfied" | "dissatisfied" | "unhappy" | "extremely unhappy" | "negative" => "bad",
        s if s.starts_with("good") => "good",
        s if s.starts_with("bad") => "bad",
        _ => {
            row.fail(format!(
                "bad satisfaction \"{}\" (expected good, bad, offered, unoffered, a happiness word or 1-5)",
                shown(value)
            ));
            "none"
        }
    };
    (rating.into(), None)
}

/// The conversation column: text before the first `--- role | author | when` line (all of it
/// when there is none, as in Freshdesk's "Description") is one message from the requester at
/// the ticket's creation; each marked line starts a message whose body is the lines up to the
/// next mark. `role` is `customer` or `staff`.
pub fn parse_conversation(
    text: &str,
    requester: &str,
    created: DateTime<Utc>,
) -> Result<Vec<MessageRow>, String> {
    let mut out: Vec<MessageRow> = Vec::new();
    let mut current = MessageRow {
        author: requester.to_owned(),
        from_staff: false,
        at: created,
        body: String::new(),
    };
    let mut body: Vec<&str> = Vec::new();
    fn flush(current: &mut MessageRow, body: &mut Vec<&str>, out: &mut Vec<MessageRow>) {
        let text = body.join("\n").trim().to_owned();
        body.clear();
        if !text.is_empty() {
            current.body = text;
            out.push(current.clone());
        }
    }
    for (i, line) in text.lines().enumerate() {
        let Some(head) = line.strip_prefix(MESSAGE_MARK) else {
            body.push(line);
            continue;
        };
        flush(&mut current, &mut body, &mut out);
        let parts: Vec<&str> = head.split('|').map(str::trim).collect();
        let &[role, author, at] = parts.as_slice() else {
            return Err(format!(
                "line {} of the cell: expected \"--- customer|staff | author | time\"",
                i + 1
            ));
        };
        let from_staff = match role.to_lowercase().as_str() {
            "staff" | "agent" => true,
            "customer" | "requester" | "end-user" => false,
            _ => {
                return Err(format!(
                    "line {} of the cell: role \"{}\" is neither customer nor staff",
                    i + 1,
                    shown(role)
                ));
            }
        };
        let at = time::parse_timestamp(at)
            .map_err(|_| format!("line {} of the cell: bad time \"{}\"", i + 1, shown(at)))?;
        current = MessageRow {
            author: if author.is_empty() && !from_staff {
                requester.to_owned()
            } else {
                author.to_owned()
            },
            from_staff,
            at,
            body: String::new(),
        };
    }
    flush(&mut current, &mut body, &mut out);
    Ok(out)
}

/// The form two subjects are compared in to find a repeat issue: lowercase, reply and forward
/// prefixes dropped, everything but letters and digits one space.
pub fn normalise_subject(subject: &str) -> String {
    let mut s = subject.to_lowercase();
    loop {
        let t = s.trim_start();
        let rest = ["re:", "fw:", "fwd:", "aw:", "sv:"]
            .iter()
            .find_map(|p| t.strip_prefix(p));
        match rest {
            Some(r) => s = r.to_owned(),
            None => break,
        }
    }
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zendesk_and_freshdesk_headers_read_the_same() {
        let zendesk = "Id,Requester,Requester email,Subject,Status,Priority,Created at,Solved at,Satisfaction,Tags\n\
            101,Ann,Ann@Example.com,Where is my order?,Solved,High,2026-03-01 10:00:00,2026-03-01 13:30:00,Good,x\n";
        let fresh = "Ticket ID,Subject,Status,Priority,Contact Email,Created time,Resolved time,Survey result,Description\n\
            101,Where is my order?,Resolved,Medium,ann@example.com,2026-03-01 10:00:00,2026-03-01 13:30:00,4,It never came\n";
        let z = parse_tickets(zendesk.as_bytes()).unwrap();
        let f = parse_tickets(fresh.as_bytes()).unwrap();
        assert!(z.errors.is_empty(), "{:?}", z.errors);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let (z, f) = (&z.rows[0].1, &f.rows[0].1);
        assert_eq!(z.requester_email, "ann@example.com");
        assert_eq!((z.status.as_str(), z.priority.as_str()), ("solved", "high"));
        assert_eq!(
            (f.status.as_str(), f.priority.as_str()),
            ("solved", "normal")
        );
        assert_eq!(
            (z.satisfaction.as_str(), z.satisfaction_score),
            ("good", None)
        );
        assert_eq!(
            (f.satisfaction.as_str(), f.satisfaction_score),
            ("good", Some(4))
        );
        assert_eq!(f.messages.len(), 1);
        assert_eq!(f.messages[0].body, "It never came");
        assert!(!f.messages[0].from_staff);
    }

    #[test]
    fn bad_rows_name_their_line_and_field() {
        let csv = "id,requester_email,status,created_at\n\
            1,a@example.com,open,2026-03-01\n\
            2,a@example.com,teleported,2026-03-01\n\
            3,not-an-email,open,2026-03-01\n";
        let p = parse_tickets(csv.as_bytes()).unwrap();
        assert_eq!(p.rows.len(), 1);
        let lines: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(
            p.errors[0].reason.contains("status"),
            "{}",
            p.errors[0].reason
        );
    }

    #[test]
    fn a_conversation_splits_on_its_marks() {
        let created = time::parse_timestamp("2026-03-01T10:00:00Z").unwrap();
        let text = "My parcel is late\n--- staff | Bob | 2026-03-01T11:00:00Z\nSorry!\nIt ships today.\n--- customer |  | 2026-03-02\nThanks";
        let m = parse_conversation(text, "ann@example.com", created).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].body, "My parcel is late");
        assert_eq!((m[1].author.as_str(), m[1].from_staff), ("Bob", true));
        assert_eq!(m[1].body, "Sorry!\nIt ships today.");
        assert_eq!(m[2].author, "ann@example.com");
        let bad = parse_conversation("--- robot | x | 2026-03-01", "a@b.c", created);
        assert!(bad.unwrap_err().contains("robot"));
    }

    #[test]
    fn subjects_repeat_whatever_the_prefix_case_and_punctuation() {
        assert_eq!(
            normalise_subject("RE: Fwd:  Where is my ORDER?!"),
            normalise_subject("where is my order")
        );
        assert_ne!(normalise_subject("refund"), normalise_subject("return"));
    }
}
