//! Customer groups, memberships and custom field definitions, audited like every write.

use super::dialect::*;
use super::rows::*;
use super::tx::*;
use crate::store::edit::*;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::{Result, StoreError, rules};
use serde_json::json;

const LIST_GROUPS: &str = "SELECT g.*, \
    (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members \
    FROM customer_groups g ORDER BY g.name, g.id";
const GROUP_BY_ID: &str = "SELECT g.*, \
    (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members \
    FROM customer_groups g WHERE g.id = $1";
const GROUP_NAME_OWNER: &str = "SELECT id FROM customer_groups WHERE name = $1 AND id <> $2";
const INSERT_GROUP: &str = "INSERT INTO customer_groups (name, kind, status, discount_bps, description, \
    created_at, updated_at) VALUES ($1, $2, 'active', $3, $4, $5, $6) RETURNING id";
const UPDATE_GROUP: &str = "UPDATE customer_groups SET name = $1, kind = $2, discount_bps = $3, \
    description = $4, updated_at = $5 WHERE id = $6";
const SET_GROUP_STATUS: &str =
    "UPDATE customer_groups SET status = $1, updated_at = $2 WHERE id = $3";

/// The group, locked until the transaction ends where the dialect locks rows.
async fn group_row(c: &mut Conn, id: i64) -> Result<Group> {
    lock_group(c, id).await?;
    let row = sqlx::query(GROUP_BY_ID)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no group with id {id}")))?;
    group(&row)
}

async fn name_free(c: &mut Conn, name: &str, own_id: i64) -> Result<()> {
    let owner: Option<i64> = sqlx::query_scalar(GROUP_NAME_OWNER)
        .bind(name)
        .bind(own_id)
        .fetch_optional(&mut *c)
        .await?;
    match owner {
        Some(id) => Err(StoreError::Invalid(format!(
            "name: already used by group #{id}"
        ))),
        None => Ok(()),
    }
}

pub async fn create_group(pool: &Pool, staff: i64, new: &NewGroup) -> Result<Group> {
    let g = rules::new_group(new)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageGroups).await?;
    name_free(&mut tx, &g.name, 0).await?;
    let now = now();
    let id: i64 = sqlx::query_scalar(INSERT_GROUP)
        .bind(&g.name)
        .bind(g.kind.as_str())
        .bind(g.discount_bps)
        .bind(&g.description)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    let created = group_row(&mut tx, id).await?;
    let details = json!({"group_id": id, "after": rules::group_json(&created)});
    audit(&mut tx, Some(staff), "group.create", None, details).await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn update_group(pool: &Pool, staff: i64, id: i64, patch: &GroupPatch) -> Result<Group> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageGroups).await?;
    let before = group_row(&mut tx, id).await?;
    let Some((g, mut details)) = rules::patch_group(&before, patch)? else {
        return Ok(before);
    };
    if g.name != before.name {
        name_free(&mut tx, &g.name, id).await?;
    }
    sqlx::query(UPDATE_GROUP)
        .bind(&g.name)
        .bind(g.kind.as_str())
        .bind(g.discount_bps)
        .bind(&g.description)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    details["group_id"] = json!(id);
    audit(&mut tx, Some(staff), "group.update", None, details).await?;
    let after = group_row(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn set_group_active(pool: &Pool, staff: i64, id: i64, active: bool) -> Result<Group> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageGroups).await?;
    let before = group_row(&mut tx, id).await?;
    if before.active == active {
        return Ok(before);
    }
    let status = if active { "active" } else { "disabled" };
    sqlx::query(SET_GROUP_STATUS)
        .bind(status)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details =
        json!({"group_id": id, "before": {"active": before.active}, "after": {"active": active}});
    audit(&mut tx, Some(staff), "group.active", None, details).await?;
    let after = group_row(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn list_groups(pool: &Pool) -> Result<Vec<Group>> {
    let rows = sqlx::query(LIST_GROUPS).fetch_all(pool).await?;
    rows.iter().map(group).collect()
}

const MEMBER_STATUS: &str =
    "SELECT status FROM group_members WHERE group_id = $1 AND customer_id = $2";
const UPSERT_MEMBER: &str = "INSERT INTO group_members (group_id, customer_id, status, created_at) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, customer_id) DO UPDATE SET status = excluded.status, source = 'manual'";
const DELETE_MEMBER: &str = "DELETE FROM group_members WHERE group_id = $1 AND customer_id = $2";

pub async fn set_membership(
    pool: &Pool,
    staff: i64,
    customer: i64,
    group_id: i64,
    status: MembershipStatus,
) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageGroups).await?;
    customer_row(&mut tx, customer).await?;
    let g = group_row(&mut tx, group_id).await?;
    let old: Option<String> = sqlx::query_scalar(MEMBER_STATUS)
        .bind(group_id)
        .bind(customer)
        .fetch_optional(&mut *tx)
        .await?;
    if old.as_deref() == Some(status.as_str()) {
        return Ok(());
    }
    sqlx::query(UPSERT_MEMBER)
        .bind(group_id)
        .bind(customer)
        .bind(status.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await?;
    bump(&mut tx, customer).await?;
    let details = json!({"group_id": group_id, "group": g.name, "before": {"status": old},
        "after": {"status": status}});
    audit(
        &mut tx,
        Some(staff),
        "membership.set",
        Some(customer),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_membership(
    pool: &Pool,
    staff: i64,
    customer: i64,
    group_id: i64,
) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageGroups).await?;
    customer_row(&mut tx, customer).await?;
    let old: Option<String> = sqlx::query_scalar(MEMBER_STATUS)
        .bind(group_id)
        .bind(customer)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(old) = old else {
        return Err(StoreError::NotFound(format!(
            "customer #{customer} is not in group #{group_id}"
        )));
    };
    sqlx::query(DELETE_MEMBER)
        .bind(group_id)
        .bind(customer)
        .execute(&mut *tx)
        .await?;
    bump(&mut tx, customer).await?;
    let details = json!({"group_id": group_id, "before": {"status": old}});
    audit(
        &mut tx,
        Some(staff),
        "membership.remove",
        Some(customer),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const FIELD_EXISTS: &str = "SELECT COUNT(*) FROM custom_field_defs WHERE name = $1";
const INSERT_FIELD: &str = "INSERT INTO custom_field_defs (name, label, kind, choices, required, \
    position, created_at) VALUES ($1, $2, $3, $4, $5, \
    (SELECT COALESCE(MAX(position), 0) + 1 FROM custom_field_defs), $6) RETURNING *";

pub async fn define_custom_field(
    pool: &Pool,
    staff: i64,
    def: &NewCustomField,
) -> Result<CustomFieldDef> {
    let f = rules::new_custom_field(def)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageCustomFields).await?;
    let exists: i64 = sqlx::query_scalar(FIELD_EXISTS)
        .bind(&f.name)
        .fetch_one(&mut *tx)
        .await?;
    if exists > 0 {
        return Err(StoreError::Invalid(format!(
            "name: custom field {:?} already exists",
            f.name
        )));
    }
    let row = sqlx::query(INSERT_FIELD)
        .bind(&f.name)
        .bind(&f.label)
        .bind(f.kind.as_str())
        .bind(json_param(&json!(f.choices)))
        .bind(f.required)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    let created = custom_field_def(&row)?;
    let details = json!({"field_id": created.id, "after": {"name": f.name, "label": f.label,
        "kind": f.kind, "choices": f.choices, "required": f.required}});
    audit(&mut tx, Some(staff), "field.define", None, details).await?;
    tx.commit().await?;
    Ok(created)
}

const FIELD_BY_ID: &str = "SELECT * FROM custom_field_defs WHERE id = $1";
const UPDATE_FIELD: &str =
    "UPDATE custom_field_defs SET label = $1, required = $2 WHERE id = $3 RETURNING *";
const DELETE_FIELD: &str = "DELETE FROM custom_field_defs WHERE id = $1";
/// Customers with any custom value; which of them hold the field is read from the JSON in Rust,
/// the same on both backends (`$1` is the empty object).
const CUSTOMERS_WITH_VALUES: &str = "SELECT custom_fields FROM customers WHERE custom_fields <> $1";

async fn field_by_id(tx: &mut Conn, id: i64) -> Result<CustomFieldDef> {
    let row = sqlx::query(FIELD_BY_ID)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no custom field with id {id}")))?;
    custom_field_def(&row)
}

pub async fn update_custom_field(
    pool: &Pool,
    staff: i64,
    id: i64,
    patch: &CustomFieldPatch,
) -> Result<CustomFieldDef> {
    let label = match &patch.label {
        Some(l) => Some(rules::line("label", l, rules::NAME_MAX, true)?),
        None => None,
    };
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageCustomFields).await?;
    let before = field_by_id(&mut tx, id).await?;
    let label = label.unwrap_or_else(|| before.label.clone());
    let required = patch.required.unwrap_or(before.required);
    if label == before.label && required == before.required {
        return Ok(before);
    }
    let row = sqlx::query(UPDATE_FIELD)
        .bind(&label)
        .bind(required)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let after = custom_field_def(&row)?;
    let details = json!({"field_id": id, "name": before.name,
        "before": {"label": before.label, "required": before.required},
        "after": {"label": after.label, "required": after.required}});
    audit(&mut tx, Some(staff), "field.update", None, details).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete_custom_field(pool: &Pool, staff: i64, id: i64) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageCustomFields).await?;
    let def = field_by_id(&mut tx, id).await?;
    let rows = sqlx::query(CUSTOMERS_WITH_VALUES)
        .bind(json_param(&json!({})))
        .fetch_all(&mut *tx)
        .await?;
    let mut holders = 0usize;
    for row in &rows {
        if json(row, "custom_fields")?.get(&def.name).is_some() {
            holders += 1;
        }
    }
    if holders > 0 {
        return Err(StoreError::Conflict(format!(
            "custom field {} has a value on {holders} {}; clear it there first",
            def.name,
            if holders == 1 {
                "customer"
            } else {
                "customers"
            }
        )));
    }
    sqlx::query(DELETE_FIELD).bind(id).execute(&mut *tx).await?;
    let details = json!({"field_id": id, "before": {"name": def.name, "label": def.label,
        "kind": def.kind, "choices": def.choices, "required": def.required}});
    audit(&mut tx, Some(staff), "field.delete", None, details).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_custom_fields(pool: &Pool) -> Result<Vec<CustomFieldDef>> {
    let mut c = pool.acquire().await?;
    custom_fields(&mut c).await
}
