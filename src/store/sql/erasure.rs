//! Erasure of one customer's personal data (GDPR art. 17), in one transaction: what is deleted,
//! what is replaced, and the scrub of earlier audit entries. Orders, items, amounts, tax and
//! dates stay (bookkeeping law keeps them), so the denormalized stats stay right.

use serde_json::json;
use sqlx::Row;

use super::dialect::*;
use super::rows::*;
use super::tx::*;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::privacy::*;
use crate::store::{Result, StoreError, rules};

/// $1 the customer, $2 their email (unlinked guest orders placed with it are theirs too).
const COUNTS: &str = "SELECT \
    (SELECT COUNT(*) FROM addresses WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM notes WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM wishlist_items WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM customer_events WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM emails WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM downloads WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM orders WHERE customer_id = $1 OR (customer_id IS NULL AND email = $2)), \
    (SELECT COUNT(*) FROM consent_events WHERE customer_id = $1), \
    (SELECT COUNT(*) FROM merges WHERE target_id = $1), \
    (SELECT COUNT(*) FROM audit_log WHERE customer_id = $1 \
        OR customer_id IN (SELECT source_id FROM merges WHERE target_id = $1)), \
    (SELECT COUNT(*) FROM privacy_requests WHERE customer_id = $1)";

/// Each binds $1 the customer. Free text that is only about them goes; records that must stay
/// (emails sent, downloads, consent given or withdrawn) keep their dates and kinds.
const STEPS: [&str; 9] = [
    "DELETE FROM addresses WHERE customer_id = $1",
    "DELETE FROM notes WHERE customer_id = $1",
    "DELETE FROM wishlist_items WHERE customer_id = $1",
    // Behaviour (visits, clicks) is profiling data with no other use once the person is gone.
    "DELETE FROM customer_events WHERE customer_id = $1",
    // Support conversations are the person's own words; their messages go with them (cascade).
    "DELETE FROM tickets WHERE customer_id = $1",
    // The outbox's copies (0014) go too; the Message-ID is random and stays for bounces.
    "UPDATE emails SET subject = '[erased]', body = '', \
        error = CASE WHEN error IS NULL THEN NULL ELSE '[erased]' END, \
        body_text = CASE WHEN body_text IS NULL THEN NULL ELSE '' END, body_html = NULL, \
        to_address = CASE WHEN to_address IS NULL THEN NULL ELSE '[erased]' END, \
        smtp_reply = CASE WHEN smtp_reply IS NULL THEN NULL ELSE '[erased]' END \
        WHERE customer_id = $1",
    "UPDATE downloads SET ip = '' WHERE customer_id = $1",
    "UPDATE library_items SET note = '' WHERE customer_id = $1",
    "UPDATE consent_events SET note = '' WHERE customer_id = $1",
];
/// $1 placeholder email, $2 the customer, $3 their old email.
const SCRUB_ORDERS: &str = "UPDATE orders SET email = $1, shipping_address = '[erased]', \
    billing_address = '[erased]' WHERE customer_id = $2 OR (customer_id IS NULL AND email = $3)";
const MERGED: &str = "SELECT source_id, source_email FROM merges WHERE target_id = $1";
const DROP_ALIASES: &str = "DELETE FROM merges WHERE target_id = $1";
const REQUESTS: &str = "SELECT id, subject, note FROM privacy_requests WHERE customer_id = $1";
const SCRUB_REQUEST: &str = "UPDATE privacy_requests SET subject = $1, note = $2 WHERE id = $3";
const TRANSACTIONS: &str =
    "SELECT id, description FROM transactions WHERE customer_id = $1 AND description <> ''";
const SCRUB_TRANSACTION: &str = "UPDATE transactions SET description = $1 WHERE id = $2";
const REDACT_AUDIT: &str = "UPDATE audit_log SET details = $1, redacted_at = $2 WHERE id = $3";
const LATEST_CONSENT: &str = "SELECT purpose, granted FROM consent_events e WHERE customer_id = $1 \
    AND NOT EXISTS (SELECT 1 FROM consent_events l WHERE l.customer_id = e.customer_id \
    AND l.purpose = e.purpose AND (l.at > e.at OR (l.at = e.at AND l.id > e.id)))";
const ANONYMIZE: &str = "UPDATE customers SET email = $1, first_name = '', last_name = '', phone = '', \
    company = '', status = 'anonymized', status_reason = 'erased on request', registration_ip = NULL, \
    last_login_ip = NULL, last_login_at = NULL, marketing_consent = FALSE, custom_fields = $2, \
    version = version + 1, updated_at = $3 WHERE id = $4 RETURNING *";

pub async fn counts(c: &mut Conn, id: i64) -> Result<ErasureCounts> {
    let row = sqlx::query(super::store::CUSTOMER_BY_ID)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {id}")))?;
    let email: String = row.try_get("email")?;
    count_with(c, id, &email).await
}

async fn count_with(c: &mut Conn, id: i64, email: &str) -> Result<ErasureCounts> {
    let r = sqlx::query(COUNTS)
        .bind(id)
        .bind(email)
        .fetch_one(&mut *c)
        .await?;
    let g = |i: usize| -> Result<i64> { Ok(r.try_get(i)?) };
    Ok(ErasureCounts {
        addresses: g(0)?,
        notes: g(1)?,
        wishlist_items: g(2)?,
        events: g(3)?,
        emails: g(4)?,
        downloads: g(5)?,
        orders: g(6)?,
        consent_events: g(7)?,
        merge_aliases: g(8)?,
        audit_entries: g(9)?,
        privacy_requests: g(10)?,
    })
}

/// Everything the customer could be recognised by, for the scrub of free text elsewhere.
fn personal_values(c: &Customer, addresses: &[Address], aliases: &[String]) -> Vec<String> {
    let mut v = vec![
        c.email.clone(),
        c.first_name.clone(),
        c.last_name.clone(),
        c.full_name(),
        c.phone.clone(),
        c.company.clone(),
    ];
    v.extend(c.registration_ip.clone());
    v.extend(c.last_login_ip.clone());
    for a in addresses {
        v.extend([
            a.first_name.clone(),
            a.last_name.clone(),
            a.company.clone(),
            a.address1.clone(),
            a.address2.clone(),
            a.phone.clone(),
        ]);
    }
    v.extend(aliases.iter().cloned());
    v.retain(|s| !s.trim().is_empty());
    v.sort();
    v.dedup();
    v
}

pub async fn erase(pool: &Pool, staff: i64, id: i64, reason: &str) -> Result<ErasureReport> {
    let reason = rules::line("reason", reason, rules::LINE_MAX, true)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::HandlePrivacy).await?;
    let before = customer_row(&mut tx, id).await?;
    if before.status == CustomerStatus::Anonymized {
        return Err(StoreError::Invalid(format!(
            "customer #{id} is already anonymized; there is nothing left to erase"
        )));
    }
    let mut counts = count_with(&mut tx, id, &before.email).await?;
    let addresses = sqlx::query(super::store::ADDRESSES)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(address)
        .collect::<Result<Vec<_>>>()?;
    let merged: Vec<(i64, String)> = sqlx::query_as(MERGED).bind(id).fetch_all(&mut *tx).await?;
    let aliases: Vec<String> = merged.iter().map(|(_, e)| e.clone()).collect();
    let personal = personal_values(&before, &addresses, &aliases);

    // Earlier audit entries first, while the merges still say which old ids were theirs.
    let entries = sqlx::query(super::privacy::AUDIT)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let stamp = now();
    counts.audit_entries = 0;
    for row in &entries {
        let entry = audit_entry(row)?;
        let scrubbed = scrub_details(&entry.details, &personal);
        if scrubbed != entry.details {
            sqlx::query(REDACT_AUDIT)
                .bind(json_param(&scrubbed))
                .bind(stamp)
                .bind(entry.id)
                .execute(&mut *tx)
                .await?;
            counts.audit_entries += 1;
        }
    }
    for sql in STEPS {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    let placeholder = erased_email(id);
    sqlx::query(SCRUB_ORDERS)
        .bind(&placeholder)
        .bind(id)
        .bind(&before.email)
        .execute(&mut *tx)
        .await?;
    sqlx::query(DROP_ALIASES).bind(id).execute(&mut *tx).await?;
    let requests: Vec<(i64, String, String)> = sqlx::query_as(REQUESTS)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    for (rid, subject, note) in &requests {
        let subject = if subject.is_empty() { "" } else { ERASED };
        sqlx::query(SCRUB_REQUEST)
            .bind(subject)
            .bind(scrub_text(note, &personal))
            .bind(rid)
            .execute(&mut *tx)
            .await?;
    }
    // Payments stay for the books; what staff wrote about the person in them does not.
    let described: Vec<(i64, String)> = sqlx::query_as(TRANSACTIONS)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    for (tid, description) in &described {
        let scrubbed = scrub_text(description, &personal);
        if scrubbed != *description {
            sqlx::query(SCRUB_TRANSACTION)
                .bind(scrubbed)
                .bind(tid)
                .execute(&mut *tx)
                .await?;
        }
    }
    // Nobody can be marketed to at an address that no longer exists; the ledger says so too,
    // so the flag and the ledger keep agreeing.
    let latest: Vec<(String, bool)> = sqlx::query_as(LATEST_CONSENT)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let mut withdrawn = Vec::new();
    for (purpose, granted) in latest {
        let Some(p) = ConsentPurpose::parse(&purpose).filter(|_| granted) else {
            continue;
        };
        super::consent::append(&mut tx, id, p, false, ConsentSource::Staff, Some(staff), "")
            .await?;
        withdrawn.push(p);
    }
    let row = sqlx::query(ANONYMIZE)
        .bind(&placeholder)
        .bind(json_param(&json!({})))
        .bind(stamp)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let after = customer(&row)?;
    // Reason and counts only: this entry must not bring back what it removed.
    let details = json!({"reason": reason, "counts": &counts, "consent_withdrawn": withdrawn});
    audit(&mut tx, Some(staff), "customer.erase", Some(id), details).await?;
    tx.commit().await?;
    Ok(ErasureReport {
        customer: after,
        counts,
    })
}
