//! `StaffAccess` for the backend this tree is compiled into: OS logins and SSH keys of staff,
//! each change permission-checked and audited in its transaction.

use serde_json::{Value, json};
use sqlx::Row;

use super::dialect::*;
use super::rows::*;
use super::tx::*;
use crate::store::access::{NewStaffKey, StaffAccess};
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::{Result, StoreError, rules};

const STAFF_BY_LOGIN: &str = "SELECT * FROM staff WHERE login = $1";
const STAFF_BY_NAME: &str = "SELECT * FROM staff WHERE username = $1";
const SET_LOGIN: &str = "UPDATE staff SET login = $1 WHERE id = $2 RETURNING *";
const KEYS_OF: &str = "SELECT k.id, s.username AS staff, k.fingerprint, k.public_key, \
    k.comment, k.created_at FROM staff_keys k JOIN staff s ON s.id = k.staff_id \
    WHERE ($1 IS NULL OR s.username = $1) ORDER BY s.username, k.id";
const KEY_BY_FINGERPRINT: &str = "SELECT k.id, s.username AS staff, k.fingerprint, \
    k.public_key, k.comment, k.created_at FROM staff_keys k JOIN staff s ON s.id = k.staff_id \
    WHERE k.fingerprint = $1";
const INSERT_KEY: &str = "INSERT INTO staff_keys \
    (staff_id, fingerprint, public_key, comment, created_at) VALUES ($1, $2, $3, $4, $5)";
const DELETE_KEY: &str = "DELETE FROM staff_keys WHERE fingerprint = $1";
const STAFF_FOR_KEY: &str = "SELECT s.* FROM staff s JOIN staff_keys k ON k.staff_id = s.id \
    WHERE k.fingerprint = $1 AND s.active = TRUE";

/// OS account names: what `useradd` accepts, case kept lowercase like usernames.
pub fn login(value: &str) -> Result<String> {
    rules::username(value).map_err(|_| {
        StoreError::Invalid(
            "login: use the OS account name (1-64 letters, digits, '.', '_' or '-')".into(),
        )
    })
}

/// `Conflict` when `login` already belongs to someone other than `own`.
pub async fn login_free(c: &mut Conn, login: &str, own: Option<i64>) -> Result<()> {
    let row = sqlx::query(STAFF_BY_LOGIN)
        .bind(login)
        .fetch_optional(&mut *c)
        .await?;
    match row.map(|r| staff(&r)).transpose()? {
        Some(s) if Some(s.id) != own => Err(StoreError::Conflict(format!(
            "login {login:?} already acts as staff member {:?}",
            s.username
        ))),
        _ => Ok(()),
    }
}

async fn staff_named(c: &mut Conn, username: &str) -> Result<Staff> {
    let name = username.trim().to_lowercase();
    let row = sqlx::query(STAFF_BY_NAME)
        .bind(&name)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("staff member {name:?} does not exist")))?;
    staff(&row)
}

fn staff_key(row: &DbRow) -> Result<StaffKey> {
    Ok(StaffKey {
        id: row.try_get("id")?,
        staff: row.try_get("staff")?,
        fingerprint: row.try_get("fingerprint")?,
        public_key: row.try_get("public_key")?,
        comment: row.try_get("comment")?,
        created_at: ts(row, "created_at")?,
    })
}

pub async fn set_staff_login(pool: &Pool, by: i64, username: &str, new: &str) -> Result<Staff> {
    let new = login(new)?;
    let mut tx = begin(pool).await?;
    lock_staff_table(&mut tx).await?;
    actor(&mut tx, by, Permission::ManageStaff).await?;
    let before = staff_named(&mut tx, username).await?;
    if before.login.as_deref() == Some(new.as_str()) {
        return Ok(before);
    }
    login_free(&mut tx, &new, Some(before.id)).await?;
    let row = sqlx::query(SET_LOGIN)
        .bind(&new)
        .bind(before.id)
        .fetch_one(&mut *tx)
        .await?;
    let after = staff(&row)?;
    let details = json!({"staff_id": after.id, "username": after.username,
        "before": {"login": before.login}, "after": {"login": after.login}});
    audit(&mut tx, Some(by), "staff.login", None, details).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn add_staff_key(
    pool: &Pool,
    by: i64,
    username: &str,
    key: &NewStaffKey,
) -> Result<StaffKey> {
    let comment = rules::line("comment", &key.comment, 200, false)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, by, Permission::ManageStaff).await?;
    let owner = staff_named(&mut tx, username).await?;
    let taken = sqlx::query(KEY_BY_FINGERPRINT)
        .bind(&key.fingerprint)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = taken {
        let k = staff_key(&row)?;
        return Err(StoreError::Conflict(format!(
            "key {} is already staff member {:?}'s",
            k.fingerprint, k.staff
        )));
    }
    sqlx::query(INSERT_KEY)
        .bind(owner.id)
        .bind(&key.fingerprint)
        .bind(&key.public_key)
        .bind(&comment)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(KEY_BY_FINGERPRINT)
        .bind(&key.fingerprint)
        .fetch_one(&mut *tx)
        .await?;
    let added = staff_key(&row)?;
    let details = json!({"staff_id": owner.id, "username": owner.username,
        "fingerprint": added.fingerprint, "comment": added.comment});
    audit(&mut tx, Some(by), "staff.key.add", None, details).await?;
    tx.commit().await?;
    Ok(added)
}

pub async fn remove_staff_key(pool: &Pool, by: i64, fingerprint: &str) -> Result<StaffKey> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, by, Permission::ManageStaff).await?;
    let row = sqlx::query(KEY_BY_FINGERPRINT)
        .bind(fingerprint.trim())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no staff key {:?}", fingerprint.trim())))?;
    let gone = staff_key(&row)?;
    sqlx::query(DELETE_KEY)
        .bind(&gone.fingerprint)
        .execute(&mut *tx)
        .await?;
    let details = json!({"username": gone.staff, "fingerprint": gone.fingerprint,
        "comment": gone.comment});
    audit(&mut tx, Some(by), "staff.key.remove", None, details).await?;
    tx.commit().await?;
    Ok(gone)
}

#[async_trait::async_trait]
impl StaffAccess for BackendStore {
    async fn add_staff_with_login(
        &self,
        actor: Option<i64>,
        username: &str,
        display_name: &str,
        role: StaffRole,
        login: &str,
    ) -> Result<Staff> {
        super::notes::add_staff(&self.pool, actor, username, display_name, role, Some(login)).await
    }

    async fn staff_by_login(&self, name: &str) -> Result<Staff> {
        let name = name.trim().to_lowercase();
        let row = sqlx::query(STAFF_BY_LOGIN)
            .bind(&name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no staff member has login {name:?}")))?;
        staff(&row)
    }

    async fn set_staff_login(&self, actor: i64, username: &str, login: &str) -> Result<Staff> {
        set_staff_login(&self.pool, actor, username, login).await
    }

    async fn add_staff_key(
        &self,
        actor: i64,
        username: &str,
        key: &NewStaffKey,
    ) -> Result<StaffKey> {
        add_staff_key(&self.pool, actor, username, key).await
    }

    async fn staff_keys(&self, username: Option<&str>) -> Result<Vec<StaffKey>> {
        let rows = sqlx::query(KEYS_OF)
            .bind(username.map(|n| n.trim().to_lowercase()))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(staff_key).collect()
    }

    async fn remove_staff_key(&self, actor: i64, fingerprint: &str) -> Result<StaffKey> {
        remove_staff_key(&self.pool, actor, fingerprint).await
    }

    async fn staff_for_key(&self, fingerprint: &str) -> Result<Staff> {
        let row = sqlx::query(STAFF_FOR_KEY)
            .bind(fingerprint)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!("no active staff member holds key {fingerprint}"))
            })?;
        staff(&row)
    }

    async fn audit_session(&self, staff_id: i64, action: &str, details: Value) -> Result<()> {
        let mut tx = begin(&self.pool).await?;
        staff_row(&mut tx, staff_id).await?;
        audit(&mut tx, Some(staff_id), action, None, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
