//! `Privacy` for the backend this tree is compiled into: the request queue (versioned writes,
//! each audited in its transaction) and the uncapped access export. Erasure is `erasure.rs`.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::dialect::*;
use super::rows::customer as customer_from;
use super::rows::*;
use super::tx::*;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::privacy::*;
use crate::store::{Result, StoreError, rules};

const SELECT: &str = "SELECT r.*, c.username AS created_by_name, h.username AS handled_by_name \
    FROM privacy_requests r LEFT JOIN staff c ON c.id = r.created_by \
    LEFT JOIN staff h ON h.id = r.handled_by";
const OPEN: &str = "r.status IN ('pending', 'in_progress')";
const INSERT: &str = "INSERT INTO privacy_requests (customer_id, subject, kind, received_at, due_at, \
    note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/// Optimistic: the row changes only while it is still at the version the caller read, so two
/// handlers cannot both move one request on (no row lock needed on either backend).
const EXTEND: &str = "UPDATE privacy_requests SET due_at = $1, extended_reason = $2, handled_by = $3, \
    version = version + 1 WHERE id = $4 AND version = $5";
const SET_STATUS: &str = "UPDATE privacy_requests SET status = $1, note = $2, handled_by = $3, \
    closed_at = $4, version = version + 1 WHERE id = $5 AND version = $6";

fn request(row: &DbRow) -> Result<PrivacyRequest> {
    let status = enum_col(row, "status", PrivacyStatus::parse)?;
    let due_at = ts(row, "due_at")?;
    Ok(PrivacyRequest {
        id: row.try_get("id")?,
        kind: enum_col(row, "kind", PrivacyKind::parse)?,
        status,
        customer_id: row.try_get("customer_id")?,
        subject: row.try_get("subject")?,
        received_at: ts(row, "received_at")?,
        due_at,
        extended_reason: row.try_get("extended_reason")?,
        note: row.try_get("note")?,
        created_by: row.try_get("created_by_name")?,
        handled_by: row.try_get("handled_by_name")?,
        closed_at: ts_opt(row, "closed_at")?,
        version: row.try_get("version")?,
        overdue: status.is_open() && due_at < Utc::now(),
    })
}

async fn read(c: &mut Conn, id: i64) -> Result<PrivacyRequest> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no privacy request #{id}")))?;
    request(&row)
}

/// The end of a versioned update: refused as stale when it matched no row (someone changed the
/// request since it was read), else audited and committed, and the request as it is now.
async fn finish(
    mut tx: sqlx::Transaction<'static, Db>,
    staff: i64,
    id: i64,
    updated: u64,
    (action, customer, details): (&str, Option<i64>, serde_json::Value),
) -> Result<PrivacyRequest> {
    if updated == 0 {
        return Err(stale(&read(&mut tx, id).await?));
    }
    audit(&mut tx, Some(staff), action, customer, details).await?;
    let r = read(&mut tx, id).await?;
    tx.commit().await?;
    Ok(r)
}

fn stale(r: &PrivacyRequest) -> StoreError {
    StoreError::Conflict(format!(
        "privacy request #{} was changed by someone else (now version {}, {})",
        r.id, r.version, r.status
    ))
}

fn note_text(note: &str) -> Result<String> {
    let n = note.trim();
    if n.is_empty() {
        return Ok(String::new());
    }
    let n = rules::note_body(n)?;
    if n.chars().count() > 1_000 {
        return Err(StoreError::Invalid("note: at most 1000 characters".into()));
    }
    Ok(n)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

#[async_trait::async_trait]
impl Privacy for BackendStore {
    async fn log_privacy_request(
        &self,
        staff: i64,
        new: &NewPrivacyRequest,
    ) -> Result<PrivacyRequest> {
        let kind = new
            .kind
            .ok_or_else(|| StoreError::Invalid("kind: required".into()))?;
        let subject = rules::line("subject", &new.subject, rules::LINE_MAX, false)?;
        if subject.is_empty() && new.customer.is_none() {
            return Err(StoreError::Invalid(
                "name the customer or who asked (subject)".into(),
            ));
        }
        let note = note_text(&new.note)?;
        let received = new.received_at.unwrap_or_else(Utc::now);
        if received > Utc::now() {
            return Err(StoreError::Invalid("received: in the future".into()));
        }
        let due = due_date(received)?;
        let mut tx = begin(&self.pool).await?;
        actor(&mut tx, staff, Permission::LogPrivacyRequest).await?;
        if let Some(c) = new.customer {
            customer_row(&mut tx, c).await?;
        }
        let id: i64 = sqlx::query_scalar(INSERT)
            .bind(new.customer)
            .bind(&subject)
            .bind(kind.as_str())
            .bind(stamp(received))
            .bind(stamp(due))
            .bind(&note)
            .bind(staff)
            .fetch_one(&mut *tx)
            .await?;
        let details = json!({"request_id": id, "kind": kind, "subject": subject,
            "received_at": rfc3339(received), "due_at": rfc3339(due), "note": note});
        audit(&mut tx, Some(staff), "privacy.log", new.customer, details).await?;
        let r = read(&mut tx, id).await?;
        tx.commit().await?;
        Ok(r)
    }

    async fn extend_privacy_request(
        &self,
        staff: i64,
        id: i64,
        expected: i64,
        reason: &str,
    ) -> Result<PrivacyRequest> {
        let reason = rules::line("reason", reason, rules::LINE_MAX, true)?;
        let mut tx = begin(&self.pool).await?;
        actor(&mut tx, staff, Permission::HandlePrivacy).await?;
        let before = read(&mut tx, id).await?;
        if before.version != expected {
            return Err(stale(&before));
        }
        if !before.status.is_open() {
            return Err(StoreError::Invalid(format!(
                "privacy request #{id} is {}; only an open request can be extended",
                before.status
            )));
        }
        if before.extended_reason.is_some() {
            return Err(StoreError::Invalid(format!(
                "privacy request #{id} was already extended (due {}); the deadline can be \
                 extended only once",
                before.due_at.format("%Y-%m-%d")
            )));
        }
        let due = extended_due_date(before.due_at)?;
        let done = sqlx::query(EXTEND)
            .bind(stamp(due))
            .bind(&reason)
            .bind(staff)
            .bind(id)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
        let details = json!({"request_id": id, "reason": reason,
            "before": {"due_at": rfc3339(before.due_at)}, "after": {"due_at": rfc3339(due)}});
        let audited = ("privacy.extend", before.customer_id, details);
        finish(tx, staff, id, done.rows_affected(), audited).await
    }

    async fn set_privacy_status(
        &self,
        staff: i64,
        id: i64,
        expected: i64,
        status: PrivacyStatus,
        note: &str,
    ) -> Result<PrivacyRequest> {
        let added = note_text(note)?;
        if note_required(status) && added.is_empty() {
            return Err(StoreError::Invalid(format!(
                "say why the request is {status}: the person is owed the reasons"
            )));
        }
        let mut tx = begin(&self.pool).await?;
        actor(&mut tx, staff, Permission::HandlePrivacy).await?;
        let before = read(&mut tx, id).await?;
        if before.version != expected {
            return Err(stale(&before));
        }
        if !transition_allowed(before.status, status) {
            return Err(StoreError::Invalid(format!(
                "privacy request #{id} is {}; it cannot become {status}",
                before.status
            )));
        }
        // Notes accumulate: what each handler said stays next to what the request said.
        let note = match (before.note.is_empty(), added.is_empty()) {
            (_, true) => before.note.clone(),
            (true, false) => added.clone(),
            (false, false) => format!("{}\n{added}", before.note),
        };
        let closed = (!status.is_open()).then(now);
        let done = sqlx::query(SET_STATUS)
            .bind(status.as_str())
            .bind(&note)
            .bind(staff)
            .bind(closed)
            .bind(id)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
        let details = json!({"request_id": id, "kind": before.kind, "note": added,
            "before": {"status": before.status}, "after": {"status": status}});
        let audited = ("privacy.status", before.customer_id, details);
        finish(tx, staff, id, done.rows_affected(), audited).await
    }

    async fn privacy_request(&self, id: i64) -> Result<PrivacyRequest> {
        let mut c = self.pool.acquire().await?;
        read(&mut c, id).await
    }

    async fn privacy_requests(&self, f: &PrivacyFilter) -> Result<Vec<PrivacyRequest>> {
        let mut qb = sqlx::QueryBuilder::<Db>::new(SELECT);
        qb.push(" WHERE 1 = 1");
        if let Some(s) = f.status {
            qb.push(" AND r.status = ").push_bind(s.as_str());
        }
        if f.overdue {
            qb.push(" AND ")
                .push(OPEN)
                .push(" AND r.due_at < ")
                .push_bind(now());
        }
        if let Some(c) = f.customer {
            qb.push(" AND r.customer_id = ").push_bind(c);
        }
        qb.push(" ORDER BY CASE WHEN ")
            .push(OPEN)
            .push(" THEN 0 ELSE 1 END, r.due_at, r.id");
        let rows = qb.build().fetch_all(&self.pool).await?;
        rows.iter().map(request).collect()
    }

    async fn count_overdue_privacy_requests(&self) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM privacy_requests r WHERE {OPEN} AND r.due_at < $1");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(now())
            .fetch_one(&self.pool)
            .await?)
    }

    async fn customer_export(&self, staff: i64, customer: i64) -> Result<CustomerExport> {
        let mut tx = begin(&self.pool).await?;
        one_snapshot(&mut tx).await?;
        actor(&mut tx, staff, Permission::HandlePrivacy).await?;
        let export = export(&mut tx, customer).await?;
        let details = json!({"counts": export_counts(&export)});
        audit(
            &mut tx,
            Some(staff),
            "privacy.export",
            Some(customer),
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(export)
    }

    async fn erasure_preview(&self, customer: i64) -> Result<ErasureCounts> {
        let mut c = self.pool.acquire().await?;
        super::erasure::counts(&mut c, customer).await
    }

    async fn erase_customer(
        &self,
        staff: i64,
        customer: i64,
        reason: &str,
    ) -> Result<ErasureReport> {
        let report = super::erasure::erase(&self.pool, staff, customer, reason).await?;
        // After the commit: what the backend must do so the old values leave its files.
        after_erasure(&self.pool).await?;
        Ok(report)
    }
}

/// How many of each the export holds: its audit entry says what was handed out, not what.
pub fn export_counts(e: &CustomerExport) -> serde_json::Value {
    json!({
        "addresses": e.addresses.len(), "groups": e.groups.len(), "orders": e.orders.len(),
        "order_items": e.orders.iter().map(|o| o.items.len()).sum::<usize>(),
        "transactions": e.transactions.len(), "library": e.library.len(),
        "downloads": e.downloads.len(), "wishlist": e.wishlist.len(), "emails": e.emails.len(),
        "notes": e.notes.len(), "consent": e.consent.len(), "events": e.events.len(),
        "privacy_requests": e.privacy_requests.len(), "audit": e.audit.len(),
    })
}

const ORDERS: &str = "SELECT * FROM orders WHERE customer_id = $1 ORDER BY placed_at, id";
const ITEMS: &str = "SELECT i.* FROM order_items i JOIN orders o ON o.id = i.order_id \
    WHERE o.customer_id = $1 ORDER BY i.order_id, i.id";
const DOWNLOADS: &str = "SELECT d.id, d.library_item_id, p.sku, d.downloaded_at, d.ip \
    FROM downloads d JOIN library_items l ON l.id = d.library_item_id \
    JOIN products p ON p.id = l.product_id WHERE d.customer_id = $1 ORDER BY d.downloaded_at, d.id";
const EVENTS: &str =
    "SELECT * FROM customer_events WHERE customer_id = $1 ORDER BY occurred_at, id";
const SCORE: &str = "SELECT * FROM customer_scores WHERE customer_id = $1";
const MERGED: &str =
    "SELECT source_id, source_email, created_at FROM merges WHERE target_id = $1 ORDER BY id";
/// Entries about the customer and about accounts merged into them (their history came along).
pub(super) const AUDIT: &str = "SELECT a.id, a.action, a.customer_id, a.details, a.created_at, \
    s.username AS staff, r.username AS real_staff FROM audit_log a \
    LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN staff r ON r.id = a.real_staff_id \
    WHERE a.customer_id = $1 OR a.customer_id IN (SELECT source_id FROM merges WHERE target_id = $1) \
    ORDER BY a.created_at, a.id";

async fn export(c: &mut Conn, id: i64) -> Result<CustomerExport> {
    use super::store::{ADDRESSES, EMAILS, LIBRARY, MEMBERSHIPS, NOTES, TRANSACTIONS, WISHLIST};
    // Not locked: the export only reads, and a lock taken after the snapshot could fail it.
    let customer = sqlx::query(super::store::CUSTOMER_BY_ID)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {id}")))?;
    let customer = customer_from(&customer)?;
    let all = |sql: &'static str| sqlx::query(sql).bind(id);
    let addresses = all(ADDRESSES).fetch_all(&mut *c).await?;
    let groups = all(MEMBERSHIPS).fetch_all(&mut *c).await?;
    let order_rows = all(ORDERS).fetch_all(&mut *c).await?;
    let item_rows = all(ITEMS).fetch_all(&mut *c).await?;
    // No cap: the newest-first reads of the customer view, with a limit nothing reaches.
    let tx_rows = all(TRANSACTIONS).bind(i64::MAX).fetch_all(&mut *c).await?;
    let email_rows = all(EMAILS).bind(i64::MAX).fetch_all(&mut *c).await?;
    let library = all(LIBRARY).fetch_all(&mut *c).await?;
    let downloads = all(DOWNLOADS).fetch_all(&mut *c).await?;
    let wishlist = all(WISHLIST).fetch_all(&mut *c).await?;
    let notes = all(NOTES).fetch_all(&mut *c).await?;
    let tickets = super::tickets::for_export(&mut *c, id).await?;
    let consent = all(super::consent::HISTORY).fetch_all(&mut *c).await?;
    let events = all(EVENTS).fetch_all(&mut *c).await?;
    let score = all(SCORE).fetch_optional(&mut *c).await?;
    let merged = all(MERGED).fetch_all(&mut *c).await?;
    let requests = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.customer_id = $1 ORDER BY r.received_at, r.id"
    )))
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let audit_rows = all(AUDIT).fetch_all(&mut *c).await?;

    let transactions = tx_rows
        .iter()
        .map(transaction)
        .collect::<Result<Vec<_>>>()?;
    let mut items = Vec::with_capacity(item_rows.len());
    for r in &item_rows {
        items.push((r.try_get::<i64, _>("order_id")?, order_item(r)?));
    }
    let mut orders = Vec::with_capacity(order_rows.len());
    for r in &order_rows {
        let o = order(r)?;
        let items = items
            .iter()
            .filter(|(order_id, _)| *order_id == o.id)
            .map(|(_, it)| it.clone())
            .collect();
        let txs = transactions
            .iter()
            .filter(|t| t.order_number.as_deref() == Some(o.number.as_str()))
            .cloned()
            .collect();
        orders.push(OrderDetail {
            order: o,
            items,
            transactions: txs,
        });
    }
    let merged_accounts = merged
        .iter()
        .map(|r| {
            Ok(json!({"source_id": r.try_get::<i64, _>("source_id")?,
                "source_email": r.try_get::<String, _>("source_email")?,
                "merged_at": rfc3339(ts(r, "created_at")?)}))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CustomerExport {
        generated_at: Utc::now(),
        addresses: addresses.iter().map(address).collect::<Result<_>>()?,
        groups: groups.iter().map(membership).collect::<Result<_>>()?,
        orders,
        transactions,
        library: library.iter().map(library_item).collect::<Result<_>>()?,
        downloads: downloads
            .iter()
            .map(|r| {
                Ok(Download {
                    id: r.try_get("id")?,
                    library_item_id: r.try_get("library_item_id")?,
                    sku: r.try_get("sku")?,
                    downloaded_at: ts(r, "downloaded_at")?,
                    ip: r.try_get("ip")?,
                })
            })
            .collect::<Result<_>>()?,
        wishlist: wishlist.iter().map(wishlist_item).collect::<Result<_>>()?,
        emails: email_rows.iter().map(email).collect::<Result<_>>()?,
        notes: notes.iter().map(note).collect::<Result<_>>()?,
        tickets,
        consent: consent
            .iter()
            .map(super::consent::event)
            .collect::<Result<_>>()?,
        events: events.iter().map(row_json).collect(),
        score: score.as_ref().map(row_json),
        merged_accounts,
        privacy_requests: requests.iter().map(request).collect::<Result<_>>()?,
        audit: audit_rows.iter().map(audit_entry).collect::<Result<_>>()?,
        customer,
    })
}
