//! The bodies of the `Hygiene` backend functions, written once as macros and expanded in each
//! backend's `hygiene.rs`, where the names they use resolve to that backend's dialect: `Db`,
//! `Pool`, `begin`, `now`, `secs_opt`, `row_json`, `json_param`, the tx helpers and the SQL
//! constants. The backends differ only there.

mod cleanup;
mod library;
mod merge;

pub(crate) use cleanup::hygiene_cleanup;
pub(crate) use library::hygiene_library;
pub(crate) use merge::hygiene_merge;

// SQL that reads the same on both backends (no parameters; IN lists are pushed as binds).

pub const LIBRARY_COUNTS: &str =
    "SELECT customer_id, COUNT(*) FROM library_items GROUP BY customer_id ORDER BY customer_id";

pub const WISHLIST_COUNTS: &str =
    "SELECT customer_id, COUNT(*) FROM wishlist_items GROUP BY customer_id ORDER BY customer_id";

pub const BLOCKED_IPS: &str = "SELECT b.ip, b.reason, s.username AS staff, b.created_at FROM blocked_ips b \
    LEFT JOIN staff s ON s.id = b.staff_id ORDER BY b.ip";

pub const CUSTOMERS_IN: &str = "SELECT * FROM customers WHERE id IN (";

pub const DEACTIVATE: &str = "UPDATE customers SET status = 'disabled', status_reason = ";

pub const ORDER_COUNTS_IN: &str = "SELECT customer_id, COUNT(*) FROM orders WHERE customer_id IN (";

pub const MERGE_TARGETS_IN: &str = "SELECT DISTINCT target_id FROM merges WHERE target_id IN (";

pub const DELETE_CUSTOMERS_IN: &str = "DELETE FROM customers WHERE id IN (";

pub const DUPLICATE_FACTS: &str =
    "SELECT id, email, first_name, last_name, phone FROM customers ORDER BY id";

pub const POSTAL_CODES: &str = "SELECT customer_id, postal_code FROM addresses WHERE postal_code <> '' \
    ORDER BY customer_id";

pub const CUSTOMER_ID_RANGE: &str = "SELECT MIN(id), MAX(id) FROM customers";

/// Rows that cascade with a deleted customer and go into its snapshot. Fixed identifiers, the
/// same on both backends; the ids follow as binds.
pub const SNAPSHOT_TABLES: [(&str, &str); 8] = [
    (
        "addresses",
        "SELECT * FROM addresses WHERE customer_id IN (",
    ),
    ("notes", "SELECT * FROM notes WHERE customer_id IN ("),
    ("emails", "SELECT * FROM emails WHERE customer_id IN ("),
    (
        "transactions",
        "SELECT * FROM transactions WHERE customer_id IN (",
    ),
    (
        "library_items",
        "SELECT * FROM library_items WHERE customer_id IN (",
    ),
    (
        "downloads",
        "SELECT * FROM downloads WHERE customer_id IN (",
    ),
    (
        "wishlist_items",
        "SELECT * FROM wishlist_items WHERE customer_id IN (",
    ),
    (
        "group_members",
        "SELECT * FROM group_members WHERE customer_id IN (",
    ),
];

/// Plain-text limits for what staff type into bulk actions.
pub const REASON_MAX: usize = 500;

/// Validates an IP address (v4 or v6) and returns its canonical text.
pub fn canonical_ip(ip: &str) -> crate::store::Result<String> {
    ip.trim()
        .parse::<std::net::IpAddr>()
        .map(|a| a.to_string())
        .map_err(|_| {
            crate::store::StoreError::Invalid(format!("ip: {:?} is not an IP address", ip.trim()))
        })
}

/// A required one-line reason, checked like every other line staff type (`rules::line`).
pub fn reason(text: &str) -> crate::store::Result<String> {
    crate::store::rules::line("reason", text, REASON_MAX, true)
}

/// Sets a per-customer count on facts sorted by id from (id, count) rows sorted by id, in one
/// pass (a million binary searches cost more than the walk).
pub fn attach_counts(
    facts: &mut [patron_domain::hygiene::AccountFacts],
    counts: &[(i64, i64)],
    set: fn(&mut patron_domain::hygiene::AccountFacts, i64),
) {
    let mut i = 0;
    for &(id, n) in counts {
        while i < facts.len() && facts[i].id < id {
            i += 1;
        }
        match facts.get_mut(i) {
            Some(f) if f.id == id => set(f, n),
            Some(_) => {}
            None => return,
        }
    }
}

/// Groups snapshot rows by their `customer_id` column.
pub fn by_customer(
    rows: Vec<serde_json::Value>,
) -> std::collections::HashMap<i64, Vec<serde_json::Value>> {
    let mut m: std::collections::HashMap<i64, Vec<serde_json::Value>> = Default::default();
    for r in rows {
        if let Some(id) = r.get("customer_id").and_then(serde_json::Value::as_i64) {
            m.entry(id).or_default().push(r);
        }
    }
    m
}
