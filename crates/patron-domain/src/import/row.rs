//! Field-level checks shared by every import file; each records a readable reason on failure.
//!
//! Checks keep going after a failure so one pass reports every problem in a row, which saves
//! the person fixing the file from a fix-one-rerun loop.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::{email, money, phone, sanitize, time};

/// Longest value shown inside a reason, so one huge cell cannot flood the reject report.
const SHOWN_COLS: usize = 60;

/// A value quoted in a reason: sanitized for any output and cut to a readable width.
pub(crate) fn shown(value: &str) -> String {
    let clean = sanitize::display(value);
    sanitize::truncate_width(&clean, SHOWN_COLS).into_owned()
}

pub(crate) struct Row<'a> {
    columns: &'static [&'static str],
    /// For each schema column, the index of the field holding it (None: not in this file).
    slots: &'a [Option<usize>],
    fields: Vec<&'a str>,
    pub(crate) errors: Vec<String>,
}

impl<'a> Row<'a> {
    pub(crate) fn new(
        columns: &'static [&'static str],
        slots: &'a [Option<usize>],
        fields: Vec<&'a str>,
    ) -> Self {
        Self {
            columns,
            slots,
            fields,
            errors: Vec::new(),
        }
    }

    /// The untrimmed value of a schema column; "" when the file lacks that column.
    pub(crate) fn get(&self, col: &str) -> &'a str {
        self.columns
            .iter()
            .position(|c| *c == col)
            .and_then(|i| self.slots.get(i).copied().flatten())
            .and_then(|f| self.fields.get(f).copied())
            .unwrap_or("")
    }

    pub(crate) fn fail(&mut self, reason: String) {
        self.errors.push(reason);
    }

    /// Trimmed free text; rejects control/invisible characters and over-long values.
    ///
    /// Returns the trimmed value even when it fails, so follow-up checks (like address
    /// completeness) do not pile a second, misleading error on top.
    pub(crate) fn text(&mut self, col: &str, max_chars: usize) -> String {
        let value = self.get(col).trim();
        if let Some(c) = sanitize::is_hostile(value) {
            let kind = if c.is_control() {
                "control character"
            } else {
                "invisible or formatting character"
            };
            self.fail(format!("{kind} U+{:04X} in {col}", u32::from(c)));
        }
        if value.chars().count() > max_chars {
            self.fail(format!("{col} too long (max {max_chars} characters)"));
        }
        value.to_owned()
    }

    /// Like [`Row::text`] but must be non-empty; None when the value is missing or bad.
    pub(crate) fn required(&mut self, col: &str, max_chars: usize) -> Option<String> {
        let before = self.errors.len();
        let value = self.text(col, max_chars);
        if value.is_empty() {
            self.fail(format!("missing {col}"));
        }
        (self.errors.len() == before).then_some(value)
    }

    /// Normalized, validated email; None when missing or invalid.
    pub(crate) fn email(&mut self, col: &str) -> Option<String> {
        let value = self.get(col).trim();
        if value.is_empty() {
            self.fail(format!("missing {col}"));
            return None;
        }
        let normalized = email::normalize(value);
        match email::validate(&normalized) {
            Ok(()) => Some(normalized),
            Err(why) => {
                self.fail(format!("invalid {col} \"{}\": {why}", shown(value)));
                None
            }
        }
    }

    /// Optional timestamp: empty is None.
    pub(crate) fn timestamp(&mut self, col: &str) -> Option<DateTime<Utc>> {
        let value = self.get(col).trim();
        if value.is_empty() {
            return None;
        }
        match time::parse_timestamp(value) {
            Ok(t) => Some(t),
            Err(_) => {
                self.fail(format!("bad {col} \"{}\"", shown(value)));
                None
            }
        }
    }

    pub(crate) fn required_timestamp(&mut self, col: &str) -> Option<DateTime<Utc>> {
        if self.get(col).trim().is_empty() {
            self.fail(format!("missing {col}"));
            return None;
        }
        self.timestamp(col)
    }

    /// One of `allowed` (case-insensitive, stored lowercase); empty means `default`.
    pub(crate) fn choice(&mut self, col: &str, allowed: &[&str], default: &str) -> String {
        let value = self.get(col).trim();
        if value.is_empty() {
            return default.to_owned();
        }
        let lower = value.to_lowercase();
        if !allowed.contains(&lower.as_str()) {
            self.fail(format!(
                "bad {col} \"{}\" (expected one of: {})",
                shown(value),
                allowed.join(", ")
            ));
        }
        lower
    }

    /// true/false, yes/no, 1/0 (case-insensitive); empty means `default`.
    pub(crate) fn flag(&mut self, col: &str, default: bool) -> bool {
        let value = self.get(col).trim();
        match value.to_ascii_lowercase().as_str() {
            "" => default,
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            _ => {
                self.fail(format!(
                    "bad {col} \"{}\" (expected true/false, yes/no or 1/0)",
                    shown(value)
                ));
                default
            }
        }
    }

    /// Required currency code; lowercase input is accepted and stored uppercase.
    pub(crate) fn currency(&mut self, col: &str) -> String {
        let value = self.get(col).trim();
        let code = value.to_ascii_uppercase();
        if value.is_empty() {
            self.fail(format!("missing {col}"));
        } else if !money::is_currency(&code) {
            self.fail(format!("unknown {col} \"{}\"", shown(value)));
        }
        code
    }

    /// Amount in minor units of `currency`; an empty optional amount is 0.
    pub(crate) fn amount(&mut self, col: &str, currency: &str, required: bool) -> i64 {
        let value = self.get(col).trim();
        if value.is_empty() {
            if required {
                self.fail(format!("missing {col}"));
            }
            return 0;
        }
        money::parse_amount(value, currency).unwrap_or_else(|why| {
            self.fail(format!("bad {col} \"{}\": {why}", shown(value)));
            0
        })
    }

    /// Required whole number within `range`.
    pub(crate) fn integer(&mut self, col: &str, range: std::ops::RangeInclusive<i64>) -> i64 {
        let value = self.get(col).trim();
        if value.is_empty() {
            self.fail(format!("missing {col}"));
            return 0;
        }
        match value.parse::<i64>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                self.fail(format!(
                    "bad {col} \"{}\" (expected a whole number {}-{})",
                    shown(value),
                    range.start(),
                    range.end()
                ));
                0
            }
        }
    }

    /// Optional IP address, stored in canonical form ("::1", not "0:0:0:0:0:0:0:1").
    pub(crate) fn ip(&mut self, col: &str) -> Option<String> {
        let value = self.get(col).trim();
        if value.is_empty() {
            return None;
        }
        match value.parse::<IpAddr>() {
            Ok(ip) => Some(ip.to_string()),
            Err(_) => {
                self.fail(format!("bad {col} \"{}\"", shown(value)));
                None
            }
        }
    }

    /// Optional phone number, kept as written (trimmed) once it passes the format check.
    pub(crate) fn phone(&mut self, col: &str) -> String {
        let value = self.get(col).trim();
        if let Err(why) = phone::validate(value) {
            self.fail(format!("bad {col} \"{}\": {why}", shown(value)));
        }
        value.to_owned()
    }
}
