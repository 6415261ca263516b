//! `ConsentLedger` for the backend this tree is compiled into: events appended with their audit
//! entry in one transaction.

use serde_json::json;
use sqlx::Row;

use super::dialect::*;
use super::rows::enum_col;
use super::tx::*;
use crate::store::consent::ConsentLedger;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::{Result, StoreError};

const INSERT: &str = "INSERT INTO consent_events \
    (customer_id, purpose, granted, source, staff_id, note, at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const SET_FLAG: &str = "UPDATE customers SET marketing_consent = $1 WHERE id = $2";
pub(super) const HISTORY: &str = "SELECT e.*, s.username AS staff_name FROM consent_events e \
    LEFT JOIN staff s ON s.id = e.staff_id WHERE e.customer_id = $1 ORDER BY e.at, e.id";
const EVENT: &str = "SELECT e.*, s.username AS staff_name FROM consent_events e \
    LEFT JOIN staff s ON s.id = e.staff_id WHERE e.id = $1";
const LATEST: &str = "SELECT granted FROM consent_events WHERE customer_id = $1 AND purpose = $2 \
    ORDER BY at DESC, id DESC LIMIT 1";

pub(super) fn event(row: &DbRow) -> Result<ConsentEvent> {
    Ok(ConsentEvent {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        purpose: enum_col(row, "purpose", ConsentPurpose::parse)?,
        granted: row.try_get("granted")?,
        source: enum_col(row, "source", ConsentSource::parse)?,
        staff: row.try_get("staff_name")?,
        note: row.try_get("note")?,
        at: ts(row, "at")?,
    })
}

/// One event on the caller's transaction (the profile edit appends one when it changes the
/// marketing flag, so the flag and the ledger never disagree).
pub async fn append(
    c: &mut Conn,
    customer: i64,
    purpose: ConsentPurpose,
    granted: bool,
    source: ConsentSource,
    staff: Option<i64>,
    note: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(INSERT)
        .bind(customer)
        .bind(purpose.as_str())
        .bind(granted)
        .bind(source.as_str())
        .bind(staff)
        .bind(note)
        .bind(now())
        .fetch_one(&mut *c)
        .await?)
}

/// `require_consent` on the caller's connection: a write that depends on consent checks it in
/// its own transaction, so a withdrawal cannot slip in between the check and the write.
pub async fn require_on(c: &mut Conn, customer: i64, purpose: ConsentPurpose) -> Result<()> {
    let latest: Option<bool> = sqlx::query_scalar(LATEST)
        .bind(customer)
        .bind(purpose.as_str())
        .fetch_optional(&mut *c)
        .await?;
    if latest == Some(true) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "refused: customer #{customer} has not consented to {}",
            purpose.label()
        )))
    }
}

#[async_trait::async_trait]
impl ConsentLedger for BackendStore {
    async fn record_consent(
        &self,
        staff: i64,
        customer: i64,
        purpose: ConsentPurpose,
        granted: bool,
        source: ConsentSource,
        note: &str,
    ) -> Result<ConsentEvent> {
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(StoreError::Invalid("note: at most 500 characters".into()));
        }
        let mut tx = begin(&self.pool).await?;
        actor(&mut tx, staff, Permission::RecordConsent).await?;
        customer_row(&mut tx, customer).await?;
        let id = append(
            &mut tx,
            customer,
            purpose,
            granted,
            source,
            Some(staff),
            note,
        )
        .await?;
        if purpose == ConsentPurpose::MarketingEmail {
            sqlx::query(SET_FLAG)
                .bind(granted)
                .bind(customer)
                .execute(&mut *tx)
                .await?;
        }
        // Bumped so open views and the change feed see the new state.
        bump(&mut tx, customer).await?;
        let action = if granted {
            "consent.grant"
        } else {
            "consent.withdraw"
        };
        audit(
            &mut tx,
            Some(staff),
            action,
            Some(customer),
            json!({"purpose": purpose, "source": source, "note": note, "event": id}),
        )
        .await?;
        let row = sqlx::query(EVENT).bind(id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        event(&row)
    }

    async fn consent_history(&self, customer: i64) -> Result<Vec<ConsentEvent>> {
        let rows = sqlx::query(HISTORY)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(event).collect()
    }

    async fn require_consent(&self, customer: i64, purpose: ConsentPurpose) -> Result<()> {
        let mut c = self.pool.acquire().await?;
        require_on(&mut c, customer, purpose).await
    }
}
