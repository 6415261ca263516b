//! Reading the audit trail (the change feed that watches it is each backend's own `feed.rs`).

use sqlx::QueryBuilder;

use super::dialect::*;
use super::rows::*;
use crate::store::edit::AuditFilter;
use crate::store::model::*;
use crate::store::{Result, rules};

const AUDIT_SELECT: &str = "SELECT a.id, a.action, a.customer_id, a.details, a.created_at, \
    s.username AS staff, r.username AS real_staff FROM audit_log a \
    LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN staff r ON r.id = a.real_staff_id";
const AUDIT_FOR_CUSTOMER: &str = "SELECT a.id, a.action, a.customer_id, a.details, a.created_at, \
    s.username AS staff, r.username AS real_staff FROM audit_log a \
    LEFT JOIN staff s ON s.id = a.staff_id LEFT JOIN staff r ON r.id = a.real_staff_id \
    WHERE a.customer_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2";

pub async fn audit_for_customer(pool: &Pool, customer: i64, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(AUDIT_FOR_CUSTOMER)
        .bind(customer)
        .bind(limit.max(0))
        .fetch_all(pool)
        .await?;
    rows.iter().map(audit_entry).collect()
}

pub async fn audit_log(pool: &Pool, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut qb = QueryBuilder::<Db>::new(AUDIT_SELECT);
    qb.push(" WHERE 1 = 1");
    if let Some(s) = &f.staff {
        // Someone's trail includes what they did as someone else.
        let name = s.trim().to_lowercase();
        qb.push(" AND (s.username = ")
            .push_bind(name.clone())
            .push(" OR r.username = ")
            .push_bind(name)
            .push(")");
    }
    if let Some(p) = f.action_prefix.as_deref().filter(|p| !p.is_empty()) {
        qb.push(" AND a.action LIKE ")
            .push_bind(rules::like_prefix(p))
            .push(" ESCAPE '\\'");
    }
    if let Some(t) = f.since {
        qb.push(" AND a.created_at >= ").push_bind(stamp(t));
    }
    if let Some(t) = f.until {
        qb.push(" AND a.created_at < ").push_bind(stamp(t));
    }
    if let Some(id) = f.before_id {
        qb.push(" AND a.id < ").push_bind(id);
    }
    qb.push(" ORDER BY a.id DESC LIMIT ")
        .push_bind(f.limit.max(0));
    let rows = qb.build().fetch_all(pool).await?;
    rows.iter().map(audit_entry).collect()
}
