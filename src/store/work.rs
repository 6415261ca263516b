//! `StaffWork`: what staff do to customers, each write versioned where it matters, permission-
//! checked and audited in the same transaction, plus the audit trail and the live change feed.
//!
//! The acting staff member is an argument of every write (`staff`: their id). The store looks
//! them up inside the write's transaction and refuses what their role may not do
//! (`StoreError::Forbidden`), so the console and the CLI cannot drift apart on permissions.
//! A write that would change nothing writes nothing: no version bump, no audit entry.

use async_trait::async_trait;
use tokio::sync::mpsc::UnboundedReceiver;

use super::Result;
use super::edit::*;
use super::model::*;

#[async_trait]
pub trait StaffWork: Send + Sync {
    /// `actor` may be `None` only while the staff table is empty (bootstrap), and then `role`
    /// must be admin (`Invalid` otherwise: an agent could never add anyone); otherwise `actor`
    /// must be allowed to manage staff. A taken username is `Conflict`.
    async fn add_staff(
        &self,
        actor: Option<i64>,
        username: &str,
        display_name: &str,
        role: StaffRole,
    ) -> Result<Staff>;
    /// Changes `username`'s role and/or active flag (`None` leaves it); `actor` must be allowed
    /// to manage staff. Refused (`Forbidden`, nothing written) when it would leave no active
    /// admin. Unchanged values write nothing; otherwise audited as "staff.update".
    async fn set_staff(
        &self,
        actor: i64,
        username: &str,
        role: Option<StaffRole>,
        active: Option<bool>,
    ) -> Result<Staff>;
    /// By username.
    async fn list_staff(&self) -> Result<Vec<Staff>>;
    /// Case-insensitive; `NotFound` when there is no such staff member.
    async fn staff_by_username(&self, username: &str) -> Result<Staff>;

    /// Validated per `rules::new_customer`; a used email is `Invalid("email: already used by
    /// customer #N")`. Audited as "customer.create".
    async fn create_customer(&self, staff: i64, new: &NewCustomer) -> Result<Customer>;
    /// Applies the patch if the customer is still at `expected_version` (else `VersionConflict`,
    /// nothing written), bumps the version. Audited as "customer.update" with the changed fields.
    async fn update_customer(
        &self,
        staff: i64,
        id: i64,
        expected_version: i64,
        patch: &CustomerPatch,
    ) -> Result<Customer>;
    /// active, disabled or locked; a reason is required unless the new status is active.
    /// Audited as "customer.status".
    async fn set_status(
        &self,
        staff: i64,
        id: i64,
        expected_version: i64,
        status: CustomerStatus,
        reason: &str,
    ) -> Result<Customer>;

    /// Every address write bumps the customer's version and is audited as "address.*".
    async fn add_address(&self, staff: i64, customer: i64, new: &NewAddress) -> Result<Address>;
    /// `expected_version` is the customer's version.
    async fn update_address(
        &self,
        staff: i64,
        address: i64,
        expected_version: i64,
        patch: &AddressPatch,
    ) -> Result<Address>;
    async fn delete_address(&self, staff: i64, address: i64) -> Result<()>;
    /// Moves the billing or shipping default flag to this address in one transaction.
    async fn set_default_address(&self, staff: i64, address: i64, kind: AddressKind) -> Result<()>;
    async fn set_address_verification(
        &self,
        staff: i64,
        address: i64,
        verification: Verification,
    ) -> Result<Address>;

    /// Audited as "note.add". Notes carry their own version; the customer's is left alone.
    async fn add_note(&self, staff: i64, customer: i64, body: &str, pinned: bool) -> Result<Note>;
    /// Authors may edit their own notes; other staff's notes need `DeleteNote` (admins). A stale
    /// version is `Conflict`. The previous text is kept in the "note.edit" audit entry.
    async fn edit_note(
        &self,
        staff: i64,
        note: i64,
        expected_version: i64,
        body: &str,
    ) -> Result<Note>;
    async fn set_note_pinned(&self, staff: i64, note: i64, pinned: bool) -> Result<Note>;
    /// Admins only; the audit entry keeps the deleted text.
    async fn delete_note(&self, staff: i64, note: i64) -> Result<()>;

    async fn create_group(&self, staff: i64, new: &NewGroup) -> Result<Group>;
    async fn update_group(&self, staff: i64, id: i64, patch: &GroupPatch) -> Result<Group>;
    async fn set_group_active(&self, staff: i64, id: i64, active: bool) -> Result<Group>;
    /// By name, with member counts (all membership statuses).
    async fn list_groups(&self) -> Result<Vec<Group>>;
    /// Adds the customer to the group or changes their membership status; bumps the customer.
    async fn set_membership(
        &self,
        staff: i64,
        customer: i64,
        group: i64,
        status: MembershipStatus,
    ) -> Result<()>;
    async fn remove_membership(&self, staff: i64, customer: i64, group: i64) -> Result<()>;

    async fn define_custom_field(&self, staff: i64, def: &NewCustomField)
    -> Result<CustomFieldDef>;
    /// Changes the label or whether the field is required (admins).
    async fn update_custom_field(
        &self,
        staff: i64,
        id: i64,
        patch: &CustomFieldPatch,
    ) -> Result<CustomFieldDef>;
    /// Deletes a definition no customer has a value for (`Conflict` names how many do).
    async fn delete_custom_field(&self, staff: i64, id: i64) -> Result<()>;
    /// In display order (position, then id).
    async fn list_custom_fields(&self) -> Result<Vec<CustomFieldDef>>;

    /// Newest first.
    async fn audit_for_customer(&self, customer: i64, limit: i64) -> Result<Vec<AuditEntry>>;
    /// Newest first, filtered; page on with `before_id` = the last id shown.
    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    /// A `Change` for every audited write from now on, by any process on this database.
    /// Dropping the receiver stops the watcher.
    async fn subscribe_changes(&self) -> Result<UnboundedReceiver<Change>>;
}
