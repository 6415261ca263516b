//! `Outbox` for the backend this tree is compiled into: a message queued with its audit entry,
//! claimed by a worker under a lease, and the outcome of each attempt.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

use super::consent::require_on;
use super::dialect::*;
use super::rows::enum_col;
use super::tx::*;
use crate::store::model::{ConsentPurpose, CustomerStatus, EmailStatus};
use crate::store::outbox::*;
use crate::store::permissions::Permission;
use crate::store::{Result, StoreError};

const SELECT: &str = "SELECT e.*, s.username AS sent_by_name FROM emails e \
    LEFT JOIN staff s ON s.id = e.sent_by";
const INSERT: &str = "INSERT INTO emails (customer_id, kind, subject, body, status, created_at, \
    message_id, to_address, from_address, body_text, body_html, template, attempts, \
    next_attempt_at, sent_by, updated_at) \
    VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $4, $9, $10, 0, $5, $11, $5) RETURNING id";
const EXPIRE: &str = "UPDATE emails SET status = 'failed', error = $1, claimed_at = NULL, \
    next_attempt_at = NULL, updated_at = $2 \
    WHERE status = 'queued' AND claimed_at IS NOT NULL AND claimed_at <= $3";
const ACCEPTED_SQL: &str = "UPDATE emails SET status = 'sent', sent_at = $1, updated_at = $1, \
    claimed_at = NULL, next_attempt_at = NULL, attempts = attempts + 1, smtp_reply = $2, \
    smtp_queue_id = $3, error = NULL WHERE id = $4 AND status IN ('queued', 'failed')";
const ATTEMPTS: &str = "SELECT attempts FROM emails WHERE id = $1 AND status = 'queued'";
const RETRY: &str = "UPDATE emails SET status = $1, attempts = attempts + 1, claimed_at = NULL, \
    next_attempt_at = $2, smtp_reply = $3, error = $4, updated_at = $5 WHERE id = $6";
const PERMANENT: &str = "UPDATE emails SET status = 'failed', attempts = attempts + 1, \
    claimed_at = NULL, next_attempt_at = NULL, smtp_reply = $1, error = $1, updated_at = $2 \
    WHERE id = $3 AND status = 'queued'";
const BOUNCE: &str = "UPDATE emails SET status = 'bounced', error = $1, updated_at = $2, \
    claimed_at = NULL, next_attempt_at = NULL WHERE id = $3";

fn outbox_email(row: &DbRow) -> Result<OutboxEmail> {
    let text = |col: &str| -> Result<String> {
        Ok(row.try_get::<Option<String>, _>(col)?.unwrap_or_default())
    };
    Ok(OutboxEmail {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        kind: row.try_get("kind")?,
        message_id: text("message_id")?,
        to_address: text("to_address")?,
        from_address: text("from_address")?,
        subject: row.try_get("subject")?,
        body_text: match row.try_get::<Option<String>, _>("body_text")? {
            Some(t) => t,
            None => row.try_get("body")?,
        },
        body_html: row.try_get("body_html")?,
        template: row.try_get("template")?,
        status: enum_col(row, "status", EmailStatus::parse)?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: ts_opt(row, "next_attempt_at")?,
        claimed_at: ts_opt(row, "claimed_at")?,
        created_at: ts(row, "created_at")?,
        updated_at: ts_opt(row, "updated_at")?,
        sent_at: ts_opt(row, "sent_at")?,
        smtp_reply: row.try_get("smtp_reply")?,
        smtp_queue_id: row.try_get("smtp_queue_id")?,
        sent_by: row.try_get("sent_by")?,
        sent_by_name: row.try_get("sent_by_name")?,
        error: row.try_get("error")?,
    })
}

async fn by_id(c: &mut Conn, id: i64) -> Result<OutboxEmail> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.id = $1")))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no email with id {id}")))?;
    outbox_email(&row)
}

async fn by_message_id(c: &mut Conn, message_id: &str) -> Result<OutboxEmail> {
    let id = message_id.trim();
    // Accepted with or without the angle brackets a header shows.
    let bracketed = if id.starts_with('<') {
        id.to_string()
    } else {
        format!("<{id}>")
    };
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE e.message_id = $1"
    )))
    .bind(&bracketed)
    .fetch_optional(&mut *c)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("no email with Message-ID {bracketed}")))?;
    outbox_email(&row)
}

/// One outcome of an attempt on a message that must still be waiting for it.
fn changed(done: u64, id: i64) -> Result<()> {
    if done == 0 {
        Err(StoreError::Conflict(format!(
            "email #{id} is not waiting for a send result (already recorded, or unknown)"
        )))
    } else {
        Ok(())
    }
}

#[async_trait::async_trait]
impl Outbox for BackendStore {
    async fn queue_email(&self, staff: i64, customer: i64, email: NewEmail) -> Result<OutboxEmail> {
        // The header checks first: a refused message must not even take the write lock.
        if let Some(to) = &email.to {
            check_new(&email, to.trim())?;
        } else {
            header_line("subject", &email.subject)?;
        }
        let mut tx = begin(&self.pool).await?;
        actor(&mut tx, staff, Permission::SendEmail).await?;
        let c = customer_row(&mut tx, customer).await?;
        if c.status == CustomerStatus::Anonymized {
            return Err(StoreError::Invalid(format!(
                "customer #{customer} is anonymized; there is nobody to write to"
            )));
        }
        let to = email.to.as_deref().unwrap_or(&c.email).trim().to_string();
        check_new(&email, &to)?;
        if email.kind == EmailKind::Marketing {
            require_on(&mut tx, customer, ConsentPurpose::MarketingEmail).await?;
        }
        let message_id = new_message_id(&email.from);
        let at = now();
        let id: i64 = sqlx::query_scalar(INSERT)
            .bind(customer)
            .bind(email.kind.as_str())
            .bind(&email.subject)
            .bind(&email.body_text)
            .bind(at)
            .bind(&message_id)
            .bind(&to)
            .bind(email.from.trim())
            .bind(&email.body_html)
            .bind(&email.template)
            .bind(staff)
            .fetch_one(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(staff),
            "email.queue",
            Some(customer),
            json!({"email": id, "message_id": message_id, "kind": email.kind,
                   "template": email.template}),
        )
        .await?;
        let row = by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(row)
    }

    async fn claim_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxEmail>> {
        let mut tx = begin(&self.pool).await?;
        sqlx::query(EXPIRE)
            .bind(INTERRUPTED)
            .bind(stamp(now))
            .bind(stamp(now - lease()))
            .execute(&mut *tx)
            .await?;
        let ids: Vec<i64> = sqlx::query_scalar(CLAIM_DUE)
            .bind(stamp(now))
            .bind(limit.max(0))
            .fetch_all(&mut *tx)
            .await?;
        let mut claimed = Vec::with_capacity(ids.len());
        for id in ids {
            claimed.push(by_id(&mut tx, id).await?);
        }
        tx.commit().await?;
        // RETURNING has no order of its own.
        claimed.sort_by_key(|e| (e.next_attempt_at, e.id));
        Ok(claimed)
    }

    async fn record_accepted(&self, id: i64, reply: &str, queue_id: Option<&str>) -> Result<()> {
        let done = sqlx::query(ACCEPTED_SQL)
            .bind(now())
            .bind(reply)
            .bind(queue_id)
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        changed(done, id)
    }

    async fn record_temporary(
        &self,
        id: i64,
        reply: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<EmailStatus> {
        let mut tx = begin(&self.pool).await?;
        let attempts: Option<i64> = sqlx::query_scalar(ATTEMPTS)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(attempts) = attempts else {
            return changed(0, id).map(|_| EmailStatus::Queued);
        };
        let (status, next, error) = if attempts + 1 >= MAX_ATTEMPTS {
            let why = format!("gave up after {} attempts: {reply}", attempts + 1);
            (EmailStatus::Failed, None, why)
        } else {
            (
                EmailStatus::Queued,
                Some(stamp(retry_at)),
                reply.to_string(),
            )
        };
        sqlx::query(RETRY)
            .bind(status.as_str())
            .bind(next)
            .bind(reply)
            .bind(&error)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(status)
    }

    async fn record_permanent(&self, id: i64, reply: &str) -> Result<()> {
        let done = sqlx::query(PERMANENT)
            .bind(reply)
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        changed(done, id)
    }

    async fn mark_bounced(
        &self,
        staff: Option<i64>,
        message_id: &str,
        reason: &str,
    ) -> Result<OutboxEmail> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 1000 {
            return Err(StoreError::Invalid(
                "reason: between 1 and 1000 characters".into(),
            ));
        }
        let mut tx = begin(&self.pool).await?;
        if let Some(s) = staff {
            actor(&mut tx, s, Permission::SendEmail).await?;
        }
        let e = by_message_id(&mut tx, message_id).await?;
        // A bounce is proof the server took it, also for a message marked interrupted.
        if !matches!(e.status, EmailStatus::Sent | EmailStatus::Failed) {
            return Err(StoreError::Conflict(format!(
                "email {} is {}; only a message the server accepted can bounce",
                e.message_id,
                status_label(e.status)
            )));
        }
        sqlx::query(BOUNCE)
            .bind(reason)
            .bind(now())
            .bind(e.id)
            .execute(&mut *tx)
            .await?;
        if staff.is_some() {
            audit(
                &mut tx,
                staff,
                "email.bounce",
                Some(e.customer_id),
                json!({"email": e.id, "message_id": e.message_id}),
            )
            .await?;
        }
        let row = by_id(&mut tx, e.id).await?;
        tx.commit().await?;
        Ok(row)
    }

    async fn outbox(&self, status: Option<EmailStatus>, limit: i64) -> Result<Vec<OutboxEmail>> {
        let order = "ORDER BY e.created_at DESC, e.id DESC";
        let rows = match status {
            Some(s) => {
                let sql = format!(
                    "{SELECT} WHERE e.message_id IS NOT NULL AND e.status = $1 {order} LIMIT $2"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(s.as_str())
                    .bind(limit.max(0))
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("{SELECT} WHERE e.message_id IS NOT NULL {order} LIMIT $1");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(limit.max(0))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(outbox_email).collect()
    }

    async fn email_by_message_id(&self, message_id: &str) -> Result<OutboxEmail> {
        let mut c = self.pool.acquire().await?;
        by_message_id(&mut c, message_id).await
    }
}
