//! `StaffWork` for the backend this tree is compiled into: each method handed to the module that
//! owns its topic (`notes`, `edit`, `groups`, `audit`; the change feed is the backend's own).

use tokio::sync::mpsc::UnboundedReceiver;

use super::dialect::*;
use super::{audit, edit, groups, notes};
use crate::store::edit::*;
use crate::store::model::*;
use crate::store::{Result, StaffWork};

#[async_trait::async_trait]
impl StaffWork for BackendStore {
    async fn add_staff(
        &self,
        actor: Option<i64>,
        username: &str,
        display_name: &str,
        role: StaffRole,
    ) -> Result<Staff> {
        notes::add_staff(&self.pool, actor, username, display_name, role, None).await
    }

    async fn set_staff(
        &self,
        actor: i64,
        username: &str,
        role: Option<StaffRole>,
        active: Option<bool>,
    ) -> Result<Staff> {
        notes::set_staff(&self.pool, actor, username, role, active).await
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

    async fn add_address(&self, staff: i64, customer: i64, new: &NewAddress) -> Result<Address> {
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

    async fn set_default_address(&self, staff: i64, address: i64, kind: AddressKind) -> Result<()> {
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

    async fn add_note(&self, staff: i64, customer: i64, body: &str, pinned: bool) -> Result<Note> {
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

    async fn update_custom_field(
        &self,
        staff: i64,
        id: i64,
        patch: &CustomFieldPatch,
    ) -> Result<CustomFieldDef> {
        groups::update_custom_field(&self.pool, staff, id, patch).await
    }

    async fn delete_custom_field(&self, staff: i64, id: i64) -> Result<()> {
        groups::delete_custom_field(&self.pool, staff, id).await
    }

    async fn list_custom_fields(&self) -> Result<Vec<CustomFieldDef>> {
        groups::list_custom_fields(&self.pool).await
    }

    async fn audit_for_customer(&self, customer: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        audit::audit_for_customer(&self.pool, customer, limit).await
    }

    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        audit::audit_log(&self.pool, filter).await
    }

    async fn subscribe_changes(&self) -> Result<UnboundedReceiver<Change>> {
        subscribe(self).await
    }
}
