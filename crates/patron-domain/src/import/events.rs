//! Engagement events CSV (`patron import events`): who (by email), what happened, when, and an
//! optional detail (a campaign, a page, a product). Kinds are a closed set.

use std::io::Read;

use chrono::{DateTime, Utc};

use super::{ImportError, Parsed, Schema, parse_file};

pub const EVENT_COLUMNS: &[&str] = &["email", "kind", "occurred_at", "detail"];

/// What the events say happened; the store keeps the same names.
pub const EVENT_KINDS: &[&str] = &[
    "email_sent",
    "email_opened",
    "email_clicked",
    "site_visit",
    "cart_abandoned",
    "review_written",
    "referral",
];

const EVENT_SCHEMA: Schema = Schema {
    columns: EVENT_COLUMNS,
    required: &["email", "kind", "occurred_at"],
    aliases: &[],
    ignore_unknown: false,
};

const MAX_DETAIL: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub email: String,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub detail: String,
}

pub fn parse_events(r: impl Read) -> Result<Parsed<EventRow>, ImportError> {
    parse_file(r, &EVENT_SCHEMA, |row, _line| {
        let email = row.email("email").unwrap_or_default();
        let kind = row.choice("kind", EVENT_KINDS, "");
        let occurred_at = row.required_timestamp("occurred_at").unwrap_or_default();
        let detail = row.text("detail", MAX_DETAIL);
        EventRow {
            email,
            kind,
            occurred_at,
            detail,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_rows_parse_and_bad_ones_say_why_by_line() {
        let csv = "email,kind,occurred_at,detail\n\
            Ann@Example.com,email_opened,2026-03-01T10:00:00Z,spring sale\n\
            bob@example.com,teleported,2026-03-01,\n\
            ,site_visit,2026-03-02,\n\
            cy@example.com,site_visit,yesterday,\n";
        let p = parse_events(csv.as_bytes()).unwrap();
        assert_eq!(p.rows.len(), 1);
        let (line, row) = &p.rows[0];
        assert_eq!(*line, 2);
        assert_eq!(row.email, "ann@example.com");
        assert_eq!(row.kind, "email_opened");
        assert_eq!(row.detail, "spring sale");
        assert_eq!(row.occurred_at.to_rfc3339(), "2026-03-01T10:00:00+00:00");
        let lines: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(
            p.errors[0].reason.contains("kind"),
            "{}",
            p.errors[0].reason
        );
    }
}
