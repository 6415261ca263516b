//! Building blocks of a staff write: who is acting, the customer row and its version, and the
//! audit entry, all on the connection of one transaction (`begin`; how it keeps concurrent
//! writes apart is the dialect's).

use serde_json::Value;

use super::dialect::*;
use super::rows::*;
use crate::store::model::*;
use crate::store::permissions::{self, Permission};
use crate::store::{Result, StoreError};

const STAFF_BY_ID: &str = "SELECT * FROM staff WHERE id = $1";

/// The acting staff member, if their role allows `action`.
pub async fn actor(c: &mut Conn, staff_id: i64, action: Permission) -> Result<Staff> {
    let s = staff_row(c, staff_id).await?;
    permissions::require(&s, action)?;
    Ok(s)
}

/// The acting staff member without a permission check yet (the action depends on the row).
pub async fn staff_row(c: &mut Conn, staff_id: i64) -> Result<Staff> {
    let row = sqlx::query(STAFF_BY_ID)
        .bind(staff_id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| {
            StoreError::Forbidden(format!("not allowed: there is no staff member #{staff_id}"))
        })?;
    staff(&row)
}

/// The customer, locked until the transaction ends where the dialect locks rows.
pub async fn customer_row(c: &mut Conn, id: i64) -> Result<Customer> {
    let row = sqlx::query(CUSTOMER_FOR_UPDATE)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {id}")))?;
    customer(&row)
}

pub fn check_version(current: Customer, expected: i64) -> Result<Customer> {
    if current.version == expected {
        Ok(current)
    } else {
        Err(StoreError::VersionConflict {
            current: Box::new(current),
        })
    }
}

const BUMP: &str =
    "UPDATE customers SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING *";

/// Records that something about the customer changed (addresses, memberships).
pub async fn bump(c: &mut Conn, id: i64) -> Result<Customer> {
    let row = sqlx::query(BUMP)
        .bind(now())
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    customer(&row)
}

const AUDIT: &str = "INSERT INTO audit_log \
    (staff_id, real_staff_id, action, customer_id, details, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6)";

/// Every audit entry names who the write was made as and, when an admin acts as someone else,
/// who really made it (`store::actor`).
pub async fn audit(
    c: &mut Conn,
    staff: Option<i64>,
    action: &str,
    customer: Option<i64>,
    details: Value,
) -> Result<()> {
    let real = crate::store::actor::real().filter(|r| Some(*r) != staff);
    sqlx::query(AUDIT)
        .bind(staff)
        .bind(real)
        .bind(action)
        .bind(customer)
        .bind(json_param(&details))
        .bind(now())
        .execute(&mut *c)
        .await?;
    Ok(())
}

const EMAIL_OWNER: &str = "SELECT id FROM customers WHERE email = $1 AND id <> $2";
const EMAIL_MERGED: &str =
    "SELECT target_id, source_id FROM merges WHERE source_email = $1 ORDER BY id DESC LIMIT 1";

/// A second customer with the same email would split one person's history, and a merged-away
/// email still resolves to the customer it was merged into.
pub async fn email_free(c: &mut Conn, email: &str, own_id: i64) -> Result<()> {
    let owner: Option<i64> = sqlx::query_scalar(EMAIL_OWNER)
        .bind(email)
        .bind(own_id)
        .fetch_optional(&mut *c)
        .await?;
    if let Some(id) = owner {
        return Err(StoreError::Invalid(format!(
            "email: already used by customer #{id}"
        )));
    }
    let merged: Option<(i64, i64)> = sqlx::query_as(EMAIL_MERGED)
        .bind(email)
        .fetch_optional(&mut *c)
        .await?;
    match merged {
        Some((target, source)) if target != own_id => Err(StoreError::Invalid(format!(
            "email: already used by customer #{target} (merged from #{source})"
        ))),
        _ => Ok(()),
    }
}

const CUSTOM_FIELDS: &str = "SELECT * FROM custom_field_defs ORDER BY position, id";

pub async fn custom_fields(c: &mut Conn) -> Result<Vec<CustomFieldDef>> {
    let rows = sqlx::query(CUSTOM_FIELDS).fetch_all(&mut *c).await?;
    rows.iter().map(custom_field_def).collect()
}
