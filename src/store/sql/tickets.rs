//! `Tickets` for the backend this tree is compiled into: the all-or-nothing import (tickets
//! upserted by source and id, conversations replaced) and the per-customer reads.

use std::collections::HashMap;

use patron_domain::import::TicketRow;
use serde_json::json;
use sqlx::Row;

use super::dialect::*;
use super::rows::enum_col;
use super::tx::audit;
use crate::store::tickets::*;
use crate::store::{PROGRESS_EVERY, Progress, Result, StoreError};

const CUSTOMER: &str = "SELECT id FROM customers WHERE email = $1";
const MERGED: &str =
    "SELECT target_id FROM merges WHERE source_email = $1 ORDER BY id DESC LIMIT 1";
const FIND: &str = "SELECT * FROM tickets WHERE source = $1 AND external_id = $2";
const INSERT: &str = "INSERT INTO tickets (source, external_id, customer_id, requester_email, subject, \
    status, priority, created_at, solved_at, satisfaction, satisfaction_score, imported_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
const UPDATE: &str = "UPDATE tickets SET customer_id = $1, requester_email = $2, subject = $3, status = $4, \
    priority = $5, created_at = $6, solved_at = $7, satisfaction = $8, satisfaction_score = $9, \
    imported_at = $10 WHERE id = $11";
const MESSAGES: &str = "SELECT author, from_staff, at, body FROM ticket_messages WHERE ticket_id = $1 \
    ORDER BY position";
const DROP_MESSAGES: &str = "DELETE FROM ticket_messages WHERE ticket_id = $1";
const INSERT_MESSAGE: &str = "INSERT INTO ticket_messages (ticket_id, position, author, from_staff, at, body) \
    VALUES ($1, $2, $3, $4, $5, $6)";
/// Open, pending and on-hold tickets first (the ones someone still has to answer), then newest.
const FOR_CUSTOMER: &str = "SELECT t.*, (SELECT COUNT(*) FROM ticket_messages m WHERE m.ticket_id = t.id) \
    AS messages FROM tickets t WHERE t.customer_id = $1 \
    ORDER BY CASE WHEN t.status IN ('open', 'pending', 'on_hold') THEN 0 ELSE 1 END, \
    t.created_at DESC, t.id DESC";

fn ticket(r: &DbRow) -> Result<Ticket> {
    Ok(Ticket {
        id: r.try_get("id")?,
        source: r.try_get("source")?,
        external_id: r.try_get("external_id")?,
        customer_id: r.try_get("customer_id")?,
        requester_email: r.try_get("requester_email")?,
        subject: r.try_get("subject")?,
        status: enum_col(r, "status", TicketStatus::parse)?,
        priority: r.try_get("priority")?,
        created_at: ts(r, "created_at")?,
        solved_at: ts_opt(r, "solved_at")?,
        satisfaction: r.try_get("satisfaction")?,
        satisfaction_score: r.try_get("satisfaction_score")?,
        messages: r.try_get("messages").unwrap_or(0),
        repeat: false,
    })
}

fn message(r: &DbRow) -> Result<TicketMessage> {
    Ok(TicketMessage {
        author: r.try_get("author")?,
        from_staff: r.try_get("from_staff")?,
        at: ts(r, "at")?,
        body: r.try_get("body")?,
    })
}

/// Whether the stored ticket already says what the row says (so a re-import leaves it alone).
fn same(t: &Ticket, customer: Option<i64>, row: &TicketRow, old: &[TicketMessage]) -> bool {
    let msgs = old.len() == row.messages.len()
        && old.iter().zip(&row.messages).all(|(a, b)| {
            (&a.author, a.from_staff, a.at, &a.body) == (&b.author, b.from_staff, b.at, &b.body)
        });
    msgs && t.customer_id == customer
        && t.requester_email == row.requester_email
        && t.subject == row.subject
        && t.status.as_str() == row.status
        && t.priority == row.priority
        && t.created_at == row.created_at
        && t.solved_at == row.solved_at
        && t.satisfaction == row.satisfaction
        && t.satisfaction_score == row.satisfaction_score
}

async fn customer_for(c: &mut Conn, email: &str) -> Result<Option<i64>> {
    let found: Option<i64> = sqlx::query_scalar(CUSTOMER)
        .bind(email)
        .fetch_optional(&mut *c)
        .await?;
    if found.is_some() {
        return Ok(found);
    }
    Ok(sqlx::query_scalar(MERGED)
        .bind(email)
        .fetch_optional(&mut *c)
        .await?)
}

pub async fn import_tickets(
    pool: &Pool,
    staff: Option<i64>,
    source: &str,
    rows: &[(u64, TicketRow)],
    progress: Progress<'_>,
) -> Result<TicketImportReport> {
    let source = source.trim();
    if source.is_empty() || source.chars().count() > 40 {
        return Err(StoreError::Invalid(
            "source: 1 to 40 characters (e.g. zendesk)".into(),
        ));
    }
    // Checked before anything is written: the same ticket twice in one file is a mistake in
    // the file, and which row should win is not ours to guess.
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for (line, r) in rows {
        if let Some(first) = seen.insert(r.external_id.as_str(), *line) {
            return Err(StoreError::Invalid(format!(
                "line {line}: ticket {:?} is also on line {first}; nothing was imported",
                patron_domain::sanitize::display(&r.external_id)
            )));
        }
    }
    let mut tx = begin(pool).await?;
    let c = &mut *tx;
    let now = now();
    let mut ids: HashMap<&str, Option<i64>> = HashMap::new();
    let mut rep = TicketImportReport::default();
    for (i, (_, row)) in rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i);
        }
        let customer = match ids.get(row.requester_email.as_str()) {
            Some(id) => *id,
            None => {
                let id = customer_for(c, &row.requester_email).await?;
                ids.insert(&row.requester_email, id);
                id
            }
        };
        if customer.is_none() {
            rep.unmatched += 1;
        }
        let existing = sqlx::query(FIND)
            .bind(source)
            .bind(&row.external_id)
            .fetch_optional(&mut *c)
            .await?;
        let id = match existing {
            Some(r) => {
                let t = ticket(&r)?;
                let old = messages(c, t.id).await?;
                if same(&t, customer, row, &old) {
                    rep.unchanged += 1;
                    continue;
                }
                sqlx::query(UPDATE)
                    .bind(customer)
                    .bind(&row.requester_email)
                    .bind(&row.subject)
                    .bind(&row.status)
                    .bind(&row.priority)
                    .bind(stamp(row.created_at))
                    .bind(stamp_opt(row.solved_at))
                    .bind(&row.satisfaction)
                    .bind(row.satisfaction_score)
                    .bind(now)
                    .bind(t.id)
                    .execute(&mut *c)
                    .await?;
                sqlx::query(DROP_MESSAGES)
                    .bind(t.id)
                    .execute(&mut *c)
                    .await?;
                rep.updated += 1;
                t.id
            }
            None => {
                let id: i64 = sqlx::query_scalar(INSERT)
                    .bind(source)
                    .bind(&row.external_id)
                    .bind(customer)
                    .bind(&row.requester_email)
                    .bind(&row.subject)
                    .bind(&row.status)
                    .bind(&row.priority)
                    .bind(stamp(row.created_at))
                    .bind(stamp_opt(row.solved_at))
                    .bind(&row.satisfaction)
                    .bind(row.satisfaction_score)
                    .bind(now)
                    .fetch_one(&mut *c)
                    .await?;
                rep.inserted += 1;
                id
            }
        };
        for (n, m) in row.messages.iter().enumerate() {
            sqlx::query(INSERT_MESSAGE)
                .bind(id)
                .bind(n as i64)
                .bind(&m.author)
                .bind(m.from_staff)
                .bind(stamp(m.at))
                .bind(&m.body)
                .execute(&mut *c)
                .await?;
        }
    }
    audit(
        c,
        staff,
        "import.tickets",
        None,
        json!({"rows": rows.len(), "source": source, "report": rep}),
    )
    .await?;
    tx.commit().await?;
    Ok(rep)
}

/// A customer's tickets with their whole conversations, for the access export (inside its
/// one-snapshot transaction).
pub(super) async fn for_export(
    c: &mut Conn,
    customer: i64,
) -> Result<Vec<crate::store::privacy::ExportedTicket>> {
    let mut tickets: Vec<Ticket> = sqlx::query(FOR_CUSTOMER)
        .bind(customer)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(ticket)
        .collect::<Result<_>>()?;
    mark_repeats(&mut tickets);
    let mut out = Vec::with_capacity(tickets.len());
    for t in tickets {
        let conversation = messages(c, t.id).await?;
        out.push(crate::store::privacy::ExportedTicket {
            ticket: t,
            conversation,
        });
    }
    Ok(out)
}

async fn messages(c: &mut Conn, ticket: i64) -> Result<Vec<TicketMessage>> {
    sqlx::query(MESSAGES)
        .bind(ticket)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(message)
        .collect()
}

#[async_trait::async_trait]
impl Tickets for BackendStore {
    async fn import_tickets(
        &self,
        staff: Option<i64>,
        source: &str,
        rows: &[(u64, TicketRow)],
        progress: Progress<'_>,
    ) -> Result<TicketImportReport> {
        import_tickets(&self.pool, staff, source, rows, progress).await
    }

    async fn customer_tickets(&self, customer: i64) -> Result<Vec<Ticket>> {
        let mut out: Vec<Ticket> = sqlx::query(FOR_CUSTOMER)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(ticket)
            .collect::<Result<_>>()?;
        mark_repeats(&mut out);
        Ok(out)
    }

    async fn ticket_messages(&self, ticket: i64) -> Result<Vec<TicketMessage>> {
        let mut c = self.pool.acquire().await?;
        messages(&mut c, ticket).await
    }
}
