//! The customers import file: its columns, row type and per-row rules.

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::row::{Row, shown};
use super::{ImportError, Parsed, Schema, parse_file};

/// Every column the customers file may contain; only `email` is required.
pub const CUSTOMER_COLUMNS: &[&str] = &[
    "email",
    "first_name",
    "last_name",
    "phone",
    "company",
    "has_account",
    "status",
    "created_at",
    "last_login_at",
    "last_login_ip",
    "address1",
    "address2",
    "city",
    "province",
    "postal_code",
    "country",
];

const SCHEMA: Schema = Schema {
    columns: CUSTOMER_COLUMNS,
    required: &["email"],
    aliases: &[],
    ignore_unknown: false,
};

const MAX_TEXT: usize = 200;
const STATUSES: &[&str] = &["active", "disabled", "locked", "anonymized"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressRow {
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub province: String,
    pub postal_code: String,
    /// Two-letter code or a country name, as written (trimmed).
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerRow {
    /// Normalized (trimmed, lowercase): the unique key.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub company: String,
    pub has_account: bool,
    /// One of active/disabled/locked/anonymized.
    pub status: String,
    pub created_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Canonical textual form of the address.
    pub last_login_ip: Option<String>,
    /// Present when any address column has a value.
    pub address: Option<AddressRow>,
}

/// Parses and validates a customers CSV; duplicate emails (after normalizing) are rejected
/// from their second occurrence on.
pub fn parse_customers(r: impl Read) -> Result<Parsed<CustomerRow>, ImportError> {
    let mut first_seen: HashMap<String, u64> = HashMap::new();
    parse_file(r, &SCHEMA, |row, line| {
        let email = row.email("email");
        if let Some(email) = &email {
            match first_seen.get(email) {
                Some(first) => row.fail(format!(
                    "duplicate email \"{}\" (first seen on line {first})",
                    shown(email)
                )),
                None => {
                    first_seen.insert(email.clone(), line);
                }
            }
        }
        CustomerRow {
            email: email.unwrap_or_default(),
            first_name: row.text("first_name", MAX_TEXT),
            last_name: row.text("last_name", MAX_TEXT),
            phone: row.phone("phone"),
            company: row.text("company", MAX_TEXT),
            has_account: row.flag("has_account", true),
            status: row.choice("status", STATUSES, "active"),
            created_at: row.timestamp("created_at"),
            last_login_at: row.timestamp("last_login_at"),
            last_login_ip: row.ip("last_login_ip"),
            address: address(row),
        }
    })
}

fn address(row: &mut Row<'_>) -> Option<AddressRow> {
    let a = AddressRow {
        address1: row.text("address1", MAX_TEXT),
        address2: row.text("address2", MAX_TEXT),
        city: row.text("city", MAX_TEXT),
        province: row.text("province", MAX_TEXT),
        postal_code: row.text("postal_code", MAX_TEXT),
        country: row.text("country", MAX_TEXT),
    };
    let all = [
        &a.address1,
        &a.address2,
        &a.city,
        &a.province,
        &a.postal_code,
        &a.country,
    ];
    if all.iter().all(|v| v.is_empty()) {
        return None;
    }
    let missing: Vec<&str> = [
        ("address1", &a.address1),
        ("city", &a.city),
        ("country", &a.country),
    ]
    .iter()
    .filter(|(_, v)| v.is_empty())
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        row.fail(format!(
            "incomplete address: missing {}",
            missing.join(", ")
        ));
    }
    Some(a)
}
