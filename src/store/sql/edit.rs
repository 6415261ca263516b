//! Staff edits of customers and their addresses, versioned and audited in one transaction.

use super::dialect::*;
use super::rows::*;
use super::tx::*;
use crate::store::edit::*;
use crate::store::model::*;
use crate::store::permissions::{self, Permission};
use crate::store::{Result, StoreError, rules};
use serde_json::json;

const INSERT_CUSTOMER: &str = "INSERT INTO customers (email, first_name, last_name, phone, company, \
    has_account, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *";
const GROUP_EXISTS: &str = "SELECT COUNT(*) FROM customer_groups WHERE id = $1";
const JOIN_GROUP: &str = "INSERT INTO group_members (group_id, customer_id, status, created_at) \
    VALUES ($1, $2, 'active', $3)";

pub async fn create_customer(pool: &Pool, staff: i64, new: &NewCustomer) -> Result<Customer> {
    let n = rules::new_customer(new)?;
    let mut groups = n.group_ids.clone();
    groups.sort_unstable();
    groups.dedup();
    let mut tx = begin(pool).await?;
    let who = actor(&mut tx, staff, Permission::EditContact).await?;
    if !groups.is_empty() {
        permissions::require(&who, Permission::ManageGroups)?;
    }
    email_free(&mut tx, &n.email, 0).await?;
    let now = now();
    let row = sqlx::query(INSERT_CUSTOMER)
        .bind(&n.email)
        .bind(&n.first_name)
        .bind(&n.last_name)
        .bind(&n.phone)
        .bind(&n.company)
        .bind(n.has_account)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(email_taken)?;
    let c = customer(&row)?;
    for g in &groups {
        let exists: i64 = sqlx::query_scalar(GROUP_EXISTS)
            .bind(g)
            .fetch_one(&mut *tx)
            .await?;
        if exists == 0 {
            return Err(StoreError::Invalid(format!("group_ids: no group #{g}")));
        }
        sqlx::query(JOIN_GROUP)
            .bind(g)
            .bind(c.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let details = rules::created_customer_details(&c, &groups);
    audit(&mut tx, Some(staff), "customer.create", Some(c.id), details).await?;
    tx.commit().await?;
    Ok(c)
}

/// Two concurrent writes can both pass `email_free` on PostgreSQL (SQLite's write lock rules it
/// out); the unique index on email (the only one on customers) then refuses the second.
fn email_taken(e: sqlx::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Conflict(_) => {
            StoreError::Invalid("email: already used by another customer".into())
        }
        other => other,
    }
}

const UPDATE_CUSTOMER: &str = "UPDATE customers SET email = $1, first_name = $2, last_name = $3, phone = $4, \
    company = $5, language = $6, marketing_consent = $7, custom_fields = $8, version = version + 1, \
    updated_at = $9 WHERE id = $10 RETURNING *";

pub async fn update_customer(
    pool: &Pool,
    staff: i64,
    id: i64,
    expected: i64,
    patch: &CustomerPatch,
) -> Result<Customer> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::EditContact).await?;
    let before = check_version(customer_row(&mut tx, id).await?, expected)?;
    let defs = match patch.custom_fields {
        Some(_) => custom_fields(&mut tx).await?,
        None => Vec::new(),
    };
    let Some((after, details)) = rules::patch_customer(&before, patch, &defs)? else {
        return Ok(before);
    };
    if after.email != before.email {
        email_free(&mut tx, &after.email, id).await?;
    }
    let row = sqlx::query(UPDATE_CUSTOMER)
        .bind(&after.email)
        .bind(&after.first_name)
        .bind(&after.last_name)
        .bind(&after.phone)
        .bind(&after.company)
        .bind(&after.language)
        .bind(after.marketing_consent)
        .bind(json_param(&after.custom_fields))
        .bind(now())
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(email_taken)?;
    if after.marketing_consent != before.marketing_consent {
        super::consent::append(
            &mut tx,
            id,
            ConsentPurpose::MarketingEmail,
            after.marketing_consent,
            ConsentSource::Staff,
            Some(staff),
            "changed on the profile",
        )
        .await?;
    }
    audit(&mut tx, Some(staff), "customer.update", Some(id), details).await?;
    tx.commit().await?;
    customer(&row)
}

const SET_STATUS: &str = "UPDATE customers SET status = $1, status_reason = $2, version = version + 1, \
    updated_at = $3 WHERE id = $4 RETURNING *";

pub async fn set_status(
    pool: &Pool,
    staff: i64,
    id: i64,
    expected: i64,
    status: CustomerStatus,
    reason: &str,
) -> Result<Customer> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ChangeStatus).await?;
    let before = check_version(customer_row(&mut tx, id).await?, expected)?;
    let Some((reason, details)) = rules::status_change(&before, status, reason)? else {
        return Ok(before);
    };
    let row = sqlx::query(SET_STATUS)
        .bind(status.as_str())
        .bind(reason)
        .bind(now())
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    audit(&mut tx, Some(staff), "customer.status", Some(id), details).await?;
    tx.commit().await?;
    customer(&row)
}

const ADDRESS_BY_ID: &str = "SELECT * FROM addresses WHERE id = $1";
const INSERT_ADDRESS: &str = "INSERT INTO addresses (customer_id, kind, first_name, last_name, company, \
    address1, address2, city, province, postal_code, country, phone, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";

/// The address after locking its customer where the dialect locks rows (`lock_address_owner`).
async fn address_row(c: &mut Conn, id: i64) -> Result<Address> {
    lock_address_owner(c, id).await?;
    reread_address(c, id).await
}

async fn reread_address(c: &mut Conn, id: i64) -> Result<Address> {
    let row = sqlx::query(ADDRESS_BY_ID)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no address with id {id}")))?;
    address(&row)
}

pub async fn add_address(
    pool: &Pool,
    staff: i64,
    customer_id: i64,
    new: &NewAddress,
) -> Result<Address> {
    let a = rules::new_address(new)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::EditAddresses).await?;
    customer_row(&mut tx, customer_id).await?;
    let now = now();
    let id: i64 = sqlx::query_scalar(INSERT_ADDRESS)
        .bind(customer_id)
        .bind(a.kind.as_str())
        .bind(&a.first_name)
        .bind(&a.last_name)
        .bind(&a.company)
        .bind(&a.address1)
        .bind(&a.address2)
        .bind(&a.city)
        .bind(&a.province)
        .bind(&a.postal_code)
        .bind(&a.country)
        .bind(&a.phone)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    for (wanted, kind) in [
        (a.default_billing, AddressKind::Billing),
        (a.default_shipping, AddressKind::Shipping),
    ] {
        if wanted {
            move_default(&mut tx, customer_id, id, kind).await?;
        }
    }
    let added = reread_address(&mut tx, id).await?;
    bump(&mut tx, customer_id).await?;
    let details = json!({"address_id": id, "after": rules::address_json(&added)});
    audit(
        &mut tx,
        Some(staff),
        "address.add",
        Some(customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

const UPDATE_ADDRESS: &str = "UPDATE addresses SET kind = $1, first_name = $2, last_name = $3, company = $4, \
    address1 = $5, address2 = $6, city = $7, province = $8, postal_code = $9, country = $10, phone = $11, \
    updated_at = $12 WHERE id = $13 RETURNING *";

pub async fn update_address(
    pool: &Pool,
    staff: i64,
    id: i64,
    expected: i64,
    patch: &AddressPatch,
) -> Result<Address> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::EditAddresses).await?;
    let before = address_row(&mut tx, id).await?;
    check_version(customer_row(&mut tx, before.customer_id).await?, expected)?;
    let Some((a, details)) = rules::patch_address(&before, patch)? else {
        return Ok(before);
    };
    let row = sqlx::query(UPDATE_ADDRESS)
        .bind(a.kind.as_str())
        .bind(&a.first_name)
        .bind(&a.last_name)
        .bind(&a.company)
        .bind(&a.address1)
        .bind(&a.address2)
        .bind(&a.city)
        .bind(&a.province)
        .bind(&a.postal_code)
        .bind(&a.country)
        .bind(&a.phone)
        .bind(now())
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    bump(&mut tx, a.customer_id).await?;
    audit(
        &mut tx,
        Some(staff),
        "address.update",
        Some(a.customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    address(&row)
}

const DELETE_ADDRESS: &str = "DELETE FROM addresses WHERE id = $1";

pub async fn delete_address(pool: &Pool, staff: i64, id: i64) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::EditAddresses).await?;
    let before = address_row(&mut tx, id).await?;
    sqlx::query(DELETE_ADDRESS)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    bump(&mut tx, before.customer_id).await?;
    let details = json!({"address_id": id, "before": rules::address_json(&before)});
    audit(
        &mut tx,
        Some(staff),
        "address.delete",
        Some(before.customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const CLEAR_DEFAULT_BILLING: &str = "UPDATE addresses SET is_default_billing = FALSE \
    WHERE customer_id = $1 AND is_default_billing RETURNING id";
const CLEAR_DEFAULT_SHIPPING: &str = "UPDATE addresses SET is_default_shipping = FALSE \
    WHERE customer_id = $1 AND is_default_shipping RETURNING id";
const SET_DEFAULT_BILLING: &str =
    "UPDATE addresses SET is_default_billing = TRUE, updated_at = $1 WHERE id = $2";
const SET_DEFAULT_SHIPPING: &str =
    "UPDATE addresses SET is_default_shipping = TRUE, updated_at = $1 WHERE id = $2";

/// Clears the old default before setting the new one: the partial unique index allows at most
/// one default per kind at every moment, not just at commit. Returns the previous default.
async fn move_default(
    c: &mut Conn,
    customer_id: i64,
    to: i64,
    kind: AddressKind,
) -> Result<Option<i64>> {
    let (clear, set) = match kind {
        AddressKind::Billing => (CLEAR_DEFAULT_BILLING, SET_DEFAULT_BILLING),
        AddressKind::Shipping => (CLEAR_DEFAULT_SHIPPING, SET_DEFAULT_SHIPPING),
    };
    let old: Option<i64> = sqlx::query_scalar(clear)
        .bind(customer_id)
        .fetch_optional(&mut *c)
        .await?;
    sqlx::query(set)
        .bind(now())
        .bind(to)
        .execute(&mut *c)
        .await?;
    Ok(old)
}

pub async fn set_default_address(
    pool: &Pool,
    staff: i64,
    id: i64,
    kind: AddressKind,
) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::EditAddresses).await?;
    let a = address_row(&mut tx, id).await?;
    let already = match kind {
        AddressKind::Billing => a.is_default_billing,
        AddressKind::Shipping => a.is_default_shipping,
    };
    if already {
        return Ok(());
    }
    let old = move_default(&mut tx, a.customer_id, id, kind).await?;
    bump(&mut tx, a.customer_id).await?;
    let details = json!({"kind": kind, "before": {"default_address_id": old},
        "after": {"default_address_id": id}});
    audit(
        &mut tx,
        Some(staff),
        "address.default",
        Some(a.customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const SET_VERIFICATION: &str =
    "UPDATE addresses SET verification = $1, updated_at = $2 WHERE id = $3 RETURNING *";

pub async fn set_address_verification(
    pool: &Pool,
    staff: i64,
    id: i64,
    verification: Verification,
) -> Result<Address> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::EditAddresses).await?;
    let before = address_row(&mut tx, id).await?;
    if before.verification == verification {
        return Ok(before);
    }
    let row = sqlx::query(SET_VERIFICATION)
        .bind(verification.as_str())
        .bind(now())
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    bump(&mut tx, before.customer_id).await?;
    let details = json!({"address_id": id, "before": {"verification": before.verification},
        "after": {"verification": verification}});
    let customer = Some(before.customer_id);
    audit(
        &mut tx,
        Some(staff),
        "address.verification",
        customer,
        details,
    )
    .await?;
    tx.commit().await?;
    address(&row)
}
