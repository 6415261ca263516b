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
    /// `actor` may be `None` only while the staff table is empty (bootstrap); otherwise it must
    /// be allowed to manage staff. A taken username is `Conflict`.
    async fn add_staff(
        &self,
        actor: Option<i64>,
        username: &str,
        display_name: &str,
        role: StaffRole,
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

/// Implements `StaffWork` for a backend by handing each method to the backend's modules that hold
/// its SQL (`notes`, `edit`, `groups`, `audit`, resolved where the macro is used). Both backends
/// share this one list, so a new method cannot be wired into one and forgotten in the other.
/// `$feed` is the field the change feed subscribes with (a pool, or SQLite's connect options).
macro_rules! impl_staff_work {
    ($store:ty, $feed:ident) => {
        #[async_trait::async_trait]
        impl StaffWork for $store {
            async fn add_staff(
                &self,
                actor: Option<i64>,
                username: &str,
                display_name: &str,
                role: StaffRole,
            ) -> Result<Staff> {
                notes::add_staff(&self.pool, actor, username, display_name, role).await
            }

            async fn list_staff(&self) -> Result<Vec<Staff>> {
                notes::list_staff(&self.pool).await
            }

            async fn staff_by_username(&self, username: &str) -> Result<Staff> {
                notes::staff_by_username(&self.pool, username).await
            }

            async fn create_customer(&self, staff: i64, new: &NewCustomer) -> Result<Customer> {
                edit::create_customer(&self.pool, staff, new).await
            }

            async fn update_customer(
                &self,
                staff: i64,
                id: i64,
                expected_version: i64,
                patch: &CustomerPatch,
            ) -> Result<Customer> {
                edit::update_customer(&self.pool, staff, id, expected_version, patch).await
            }

            async fn set_status(
                &self,
                staff: i64,
                id: i64,
                expected_version: i64,
                status: CustomerStatus,
                reason: &str,
            ) -> Result<Customer> {
                edit::set_status(&self.pool, staff, id, expected_version, status, reason).await
            }

            async fn add_address(
                &self,
                staff: i64,
                customer: i64,
                new: &NewAddress,
            ) -> Result<Address> {
                edit::add_address(&self.pool, staff, customer, new).await
            }

            async fn update_address(
                &self,
                staff: i64,
                address: i64,
                expected_version: i64,
                patch: &AddressPatch,
            ) -> Result<Address> {
                edit::update_address(&self.pool, staff, address, expected_version, patch).await
            }

            async fn delete_address(&self, staff: i64, address: i64) -> Result<()> {
                edit::delete_address(&self.pool, staff, address).await
            }

            async fn set_default_address(
                &self,
                staff: i64,
                address: i64,
                kind: AddressKind,
            ) -> Result<()> {
                edit::set_default_address(&self.pool, staff, address, kind).await
            }

            async fn set_address_verification(
                &self,
                staff: i64,
                address: i64,
                verification: Verification,
            ) -> Result<Address> {
                edit::set_address_verification(&self.pool, staff, address, verification).await
            }

            async fn add_note(
                &self,
                staff: i64,
                customer: i64,
                body: &str,
                pinned: bool,
            ) -> Result<Note> {
                notes::add_note(&self.pool, staff, customer, body, pinned).await
            }

            async fn edit_note(
                &self,
                staff: i64,
                note: i64,
                expected_version: i64,
                body: &str,
            ) -> Result<Note> {
                notes::edit_note(&self.pool, staff, note, expected_version, body).await
            }

            async fn set_note_pinned(&self, staff: i64, note: i64, pinned: bool) -> Result<Note> {
                notes::set_note_pinned(&self.pool, staff, note, pinned).await
            }

            async fn delete_note(&self, staff: i64, note: i64) -> Result<()> {
                notes::delete_note(&self.pool, staff, note).await
            }

            async fn create_group(&self, staff: i64, new: &NewGroup) -> Result<Group> {
                groups::create_group(&self.pool, staff, new).await
            }

            async fn update_group(&self, staff: i64, id: i64, patch: &GroupPatch) -> Result<Group> {
                groups::update_group(&self.pool, staff, id, patch).await
            }

            async fn set_group_active(&self, staff: i64, id: i64, active: bool) -> Result<Group> {
                groups::set_group_active(&self.pool, staff, id, active).await
            }

            async fn list_groups(&self) -> Result<Vec<Group>> {
                groups::list_groups(&self.pool).await
            }

            async fn set_membership(
                &self,
                staff: i64,
                customer: i64,
                group: i64,
                status: MembershipStatus,
            ) -> Result<()> {
                groups::set_membership(&self.pool, staff, customer, group, status).await
            }

            async fn remove_membership(&self, staff: i64, customer: i64, group: i64) -> Result<()> {
                groups::remove_membership(&self.pool, staff, customer, group).await
            }

            async fn define_custom_field(
                &self,
                staff: i64,
                def: &NewCustomField,
            ) -> Result<CustomFieldDef> {
                groups::define_custom_field(&self.pool, staff, def).await
            }

            async fn list_custom_fields(&self) -> Result<Vec<CustomFieldDef>> {
                groups::list_custom_fields(&self.pool).await
            }

            async fn audit_for_customer(
                &self,
                customer: i64,
                limit: i64,
            ) -> Result<Vec<AuditEntry>> {
                audit::audit_for_customer(&self.pool, customer, limit).await
            }

            async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
                audit::audit_log(&self.pool, filter).await
            }

            async fn subscribe_changes(&self) -> Result<UnboundedReceiver<Change>> {
                audit::subscribe(&self.$feed).await
            }
        }
    };
}
pub(crate) use impl_staff_work;
