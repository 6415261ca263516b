//! `SavedViews` for the backend this tree is compiled into: one row per (owner, name), written
//! with its audit entry in one transaction.

use serde_json::json;
use sqlx::Row;

use super::dialect::*;
use super::tx::*;
use crate::store::model::Staff;
use crate::store::permissions::{self, Permission};
use crate::store::views::{self, SavedView, SavedViews, ViewDefinition};
use crate::store::{Result, StoreError};

const BY_ID: &str = "SELECT v.*, s.username AS created_by_name FROM saved_views v \
    LEFT JOIN staff s ON s.id = v.created_by WHERE v.id = $1";
const VISIBLE: &str = "SELECT v.*, s.username AS created_by_name FROM saved_views v \
    LEFT JOIN staff s ON s.id = v.created_by WHERE v.owner_id = $1 OR v.owner_id IS NULL";
// The unique index is on COALESCE(owner_id, 0): a shared view is owner 0 there.
const FIND: &str = "SELECT id FROM saved_views WHERE COALESCE(owner_id, 0) = $1 AND name = $2";
const INSERT: &str = "INSERT INTO saved_views \
    (name, owner_id, definition, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
const REPLACE: &str = "UPDATE saved_views SET definition = $1, updated_at = $2 WHERE id = $3";
const DELETE: &str = "DELETE FROM saved_views WHERE id = $1";

fn saved_view(row: &DbRow) -> Result<SavedView> {
    let owner_id: Option<i64> = row.try_get("owner_id")?;
    let (definition, unreadable) = match views::read_definition(json(row, "definition")?) {
        Ok(d) => (Some(d), None),
        Err(why) => (None, Some(why)),
    };
    Ok(SavedView {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        owner_id,
        shared: owner_id.is_none(),
        definition,
        unreadable,
        created_by: row.try_get("created_by_name")?,
        created_at: ts(row, "created_at")?,
        updated_at: ts(row, "updated_at")?,
    })
}

async fn view_row(c: &mut Conn, id: i64) -> Result<Option<SavedView>> {
    let row = sqlx::query(BY_ID).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(saved_view).transpose()
}

/// Anyone active may keep views of their own; a shared one is everyone's list, so it needs
/// `ShareViews`.
fn may_write(s: &Staff, shared: bool) -> Result<()> {
    permissions::require(s, Permission::ReadAll)?;
    if shared {
        permissions::require(s, Permission::ShareViews)?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl SavedViews for BackendStore {
    async fn save_view(
        &self,
        staff: i64,
        name: &str,
        shared: bool,
        definition: &ViewDefinition,
    ) -> Result<SavedView> {
        let name = views::clean_name(name)?;
        let stored = serde_json::to_value(definition)
            .map_err(|e| StoreError::Invalid(format!("definition: {e}")))?;
        let mut tx = begin(&self.pool).await?;
        let me = staff_row(&mut tx, staff).await?;
        may_write(&me, shared)?;
        let owner = (!shared).then_some(staff);
        let existing: Option<i64> = sqlx::query_scalar(FIND)
            .bind(owner.unwrap_or(0))
            .bind(&name)
            .fetch_optional(&mut *tx)
            .await?;
        let id = match existing {
            Some(id) => {
                sqlx::query(REPLACE)
                    .bind(json_param(&stored))
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                sqlx::query_scalar(INSERT)
                    .bind(&name)
                    .bind(owner)
                    .bind(json_param(&stored))
                    .bind(staff)
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        audit(
            &mut tx,
            Some(staff),
            "view.save",
            None,
            json!({"view_id": id, "name": name, "shared": shared,
                "replaced": existing.is_some(), "definition": stored}),
        )
        .await?;
        let saved = view_row(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::Db(format!("saved view #{id} vanished")))?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn views(&self, staff: i64) -> Result<Vec<SavedView>> {
        let rows = sqlx::query(VISIBLE)
            .bind(staff)
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows.iter().map(saved_view).collect::<Result<Vec<_>>>()?;
        // Sorted here, not in SQL: SQLite and PostgreSQL collate text differently.
        out.sort_by(|a, b| {
            (a.shared, a.name.to_lowercase(), &a.name, a.id).cmp(&(
                b.shared,
                b.name.to_lowercase(),
                &b.name,
                b.id,
            ))
        });
        Ok(out)
    }

    async fn delete_view(&self, staff: i64, id: i64) -> Result<()> {
        let mut tx = begin(&self.pool).await?;
        let me = staff_row(&mut tx, staff).await?;
        let v = view_row(&mut tx, id)
            .await?
            .filter(|v| v.shared || v.owner_id == Some(staff))
            .ok_or_else(|| StoreError::NotFound(format!("no saved view #{id} of yours")))?;
        may_write(&me, v.shared)?;
        sqlx::query(DELETE).bind(id).execute(&mut *tx).await?;
        audit(
            &mut tx,
            Some(staff),
            "view.delete",
            None,
            json!({"view_id": id, "name": v.name, "shared": v.shared}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
