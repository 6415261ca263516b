//! Staff accounts and notes, each write audited in its transaction.

use serde_json::json;
use sqlx::Row;

use super::dialect::*;
use super::rows::*;
use super::tx::*;
use crate::store::model::*;
use crate::store::permissions::{self, Permission};
use crate::store::{Result, StoreError, rules};

const STAFF_COUNT: &str = "SELECT COUNT(*) FROM staff";
const STAFF_BY_NAME: &str = "SELECT * FROM staff WHERE username = $1";
const INSERT_STAFF: &str = "INSERT INTO staff \
    (username, display_name, role, active, created_at, login) \
    VALUES ($1, $2, $3, TRUE, $4, $5) RETURNING *";
const LIST_STAFF: &str = "SELECT * FROM staff ORDER BY username";

pub async fn add_staff(
    pool: &Pool,
    by: Option<i64>,
    username: &str,
    display_name: &str,
    role: StaffRole,
    login: Option<&str>,
) -> Result<Staff> {
    let name = rules::username(username)?;
    // By default a staff member's OS login is their username.
    let login = super::access::login(login.unwrap_or(&name))?;
    let display = rules::line("display_name", display_name, rules::NAME_MAX, false)?;
    let display = if display.is_empty() {
        name.clone()
    } else {
        display
    };
    let mut tx = begin(pool).await?;
    // Two first-time `staff add` runs must not both see an empty table and both bootstrap.
    lock_staff_table(&mut tx).await?;
    match by {
        Some(id) => {
            actor(&mut tx, id, Permission::ManageStaff).await?;
        }
        None => {
            let n: i64 = sqlx::query_scalar(STAFF_COUNT).fetch_one(&mut *tx).await?;
            if n > 0 {
                return Err(StoreError::Forbidden(
                    "not allowed: staff already exist, so only an admin can add staff".into(),
                ));
            }
            // Only admins add staff, so a database whose first member is an agent could never
            // gain an admin.
            if role != StaffRole::Admin {
                return Err(StoreError::Invalid(
                    "role: the first staff member must be an admin (an agent could never add anyone)"
                        .into(),
                ));
            }
        }
    }
    let taken = sqlx::query(STAFF_BY_NAME)
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "staff member {name:?} already exists"
        )));
    }
    super::access::login_free(&mut tx, &login, None).await?;
    let row = sqlx::query(INSERT_STAFF)
        .bind(&name)
        .bind(&display)
        .bind(role.as_str())
        .bind(now())
        .bind(&login)
        .fetch_one(&mut *tx)
        .await?;
    let added = staff(&row)?;
    let details = json!({"staff_id": added.id, "after": {"username": added.username,
        "display_name": added.display_name, "role": added.role, "login": added.login}});
    audit(&mut tx, by, "staff.add", None, details).await?;
    tx.commit().await?;
    Ok(added)
}

const ACTIVE_ADMINS: &str = "SELECT COUNT(*) FROM staff WHERE role = 'admin' AND active = TRUE";
const UPDATE_STAFF: &str = "UPDATE staff SET role = $1, active = $2 WHERE id = $3 RETURNING *";

/// Demotes, promotes, deactivates or reactivates a staff member. The staff table is locked for
/// the transaction (as for `add_staff`), so two admins demoting each other at once cannot both
/// see the other one still in place and leave the database with no admin.
pub async fn set_staff(
    pool: &Pool,
    by: i64,
    username: &str,
    role: Option<StaffRole>,
    active: Option<bool>,
) -> Result<Staff> {
    let name = username.trim().to_lowercase();
    let mut tx = begin(pool).await?;
    lock_staff_table(&mut tx).await?;
    actor(&mut tx, by, Permission::ManageStaff).await?;
    let row = sqlx::query(STAFF_BY_NAME)
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("staff member {name:?} does not exist")))?;
    let before = staff(&row)?;
    let (new_role, new_active) = (role.unwrap_or(before.role), active.unwrap_or(before.active));
    if (new_role, new_active) == (before.role, before.active) {
        return Ok(before);
    }
    let was_admin = before.active && before.role == StaffRole::Admin;
    let stays_admin = new_active && new_role == StaffRole::Admin;
    if was_admin && !stays_admin {
        let admins: i64 = sqlx::query_scalar(ACTIVE_ADMINS)
            .fetch_one(&mut *tx)
            .await?;
        if admins <= 1 {
            return Err(StoreError::Forbidden(format!(
                "not allowed: {} is the last active admin; make another staff member an admin first",
                before.username
            )));
        }
    }
    let row = sqlx::query(UPDATE_STAFF)
        .bind(new_role.as_str())
        .bind(new_active)
        .bind(before.id)
        .fetch_one(&mut *tx)
        .await?;
    let after = staff(&row)?;
    let (mut was, mut now_) = (serde_json::Map::new(), serde_json::Map::new());
    if before.role != after.role {
        was.insert("role".into(), json!(before.role));
        now_.insert("role".into(), json!(after.role));
    }
    if before.active != after.active {
        was.insert("active".into(), json!(before.active));
        now_.insert("active".into(), json!(after.active));
    }
    let details = json!({"staff_id": after.id, "username": after.username,
        "before": was, "after": now_});
    audit(&mut tx, Some(by), "staff.update", None, details).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn list_staff(pool: &Pool) -> Result<Vec<Staff>> {
    let rows = sqlx::query(LIST_STAFF).fetch_all(pool).await?;
    rows.iter().map(staff).collect()
}

pub async fn staff_by_username(pool: &Pool, username: &str) -> Result<Staff> {
    let name = username.trim().to_lowercase();
    let row = sqlx::query(STAFF_BY_NAME)
        .bind(&name)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("staff member {name:?} does not exist")))?;
    staff(&row)
}

const CUSTOMER_EXISTS: &str = "SELECT COUNT(*) FROM customers WHERE id = $1";
const INSERT_NOTE: &str = "INSERT INTO notes (customer_id, staff_id, body, pinned, created_at) \
    VALUES ($1, $2, $3, $4, $5) RETURNING id";

/// The note and the ids the permission and audit need (customer, author).
async fn note_row(c: &mut Conn, id: i64) -> Result<(Note, i64, Option<i64>)> {
    let row = sqlx::query(NOTE_FOR_UPDATE)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no note with id {id}")))?;
    Ok((
        note(&row)?,
        row.try_get("customer_id")?,
        row.try_get("staff_id")?,
    ))
}

pub async fn add_note(
    pool: &Pool,
    staff: i64,
    customer: i64,
    body: &str,
    pinned: bool,
) -> Result<Note> {
    let body = rules::note_body(body)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::WriteNote).await?;
    let exists: i64 = sqlx::query_scalar(CUSTOMER_EXISTS)
        .bind(customer)
        .fetch_one(&mut *tx)
        .await?;
    if exists == 0 {
        return Err(StoreError::NotFound(format!(
            "no customer with id {customer}"
        )));
    }
    let id: i64 = sqlx::query_scalar(INSERT_NOTE)
        .bind(customer)
        .bind(staff)
        .bind(&body)
        .bind(pinned)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    let details = json!({"note_id": id, "after": {"body": body, "pinned": pinned}});
    audit(&mut tx, Some(staff), "note.add", Some(customer), details).await?;
    let (added, _, _) = note_row(&mut tx, id).await?;
    tx.commit().await?;
    Ok(added)
}

const EDIT_NOTE: &str =
    "UPDATE notes SET body = $1, edited_at = $2, version = version + 1 WHERE id = $3";

pub async fn edit_note(
    pool: &Pool,
    staff: i64,
    id: i64,
    expected: i64,
    body: &str,
) -> Result<Note> {
    let body = rules::note_body(body)?;
    let mut tx = begin(pool).await?;
    let who = staff_row(&mut tx, staff).await?;
    let (before, customer, author) = note_row(&mut tx, id).await?;
    let needed = if author == Some(staff) {
        Permission::EditOwnNote
    } else {
        Permission::DeleteNote
    };
    permissions::require(&who, needed)?;
    if before.version != expected {
        return Err(note_conflict(&before));
    }
    if before.body == body {
        return Ok(before);
    }
    sqlx::query(EDIT_NOTE)
        .bind(&body)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = json!({"note_id": id, "before": {"body": before.body}, "after": {"body": body}});
    audit(&mut tx, Some(staff), "note.edit", Some(customer), details).await?;
    let (after, _, _) = note_row(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

pub fn note_conflict(n: &Note) -> StoreError {
    StoreError::Conflict(format!(
        "note #{} was changed by someone else (now version {})",
        n.id, n.version
    ))
}

/// Pinning leaves the note's version alone: the version guards the text against lost edits.
const PIN_NOTE: &str = "UPDATE notes SET pinned = $1 WHERE id = $2";

pub async fn set_note_pinned(pool: &Pool, staff: i64, id: i64, pinned: bool) -> Result<Note> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::WriteNote).await?;
    let (before, customer, _) = note_row(&mut tx, id).await?;
    if before.pinned == pinned {
        return Ok(before);
    }
    sqlx::query(PIN_NOTE)
        .bind(pinned)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details =
        json!({"note_id": id, "before": {"pinned": before.pinned}, "after": {"pinned": pinned}});
    audit(&mut tx, Some(staff), "note.pin", Some(customer), details).await?;
    let (after, _, _) = note_row(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

const DELETE_NOTE: &str = "DELETE FROM notes WHERE id = $1";

pub async fn delete_note(pool: &Pool, staff: i64, id: i64) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::DeleteNote).await?;
    let (before, customer, _) = note_row(&mut tx, id).await?;
    sqlx::query(DELETE_NOTE).bind(id).execute(&mut *tx).await?;
    let details = json!({"note_id": id, "before": {"body": before.body, "pinned": before.pinned,
        "author": before.author, "created_at": before.created_at}});
    audit(&mut tx, Some(staff), "note.delete", Some(customer), details).await?;
    tx.commit().await?;
    Ok(())
}
