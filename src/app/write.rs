//! Staff writes the console asks for, as plain data (`WriteOp`), and what comes back from them.
//!
//! Every form, confirmation and one-key action (pin, set default, verify) ends in one
//! `Effect::Write`; the runtime hands the op to the matching `StaffWork` method, which checks the
//! role and the row version and audits in the same transaction. The console never retries a
//! write on its own: after a lost connection the form stays open and Ctrl-S sends it again.

use crate::store::edit::{
    AddressPatch, CustomFieldPatch, CustomerPatch, GroupPatch, NewAddress, NewCustomField,
    NewCustomer, NewGroup,
};
use crate::store::model::{
    AddressKind, Customer, CustomerStatus, LibrarySource, MembershipStatus, Note, Verification,
};
use crate::store::review::{LibraryPatch, MergeChoices, MergeReport, RebuildReport};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum WriteOp {
    CreateCustomer(NewCustomer),
    UpdateCustomer {
        id: i64,
        version: i64,
        patch: CustomerPatch,
    },
    SetStatus {
        id: i64,
        version: i64,
        status: CustomerStatus,
        reason: String,
    },
    AddAddress {
        customer: i64,
        new: NewAddress,
    },
    UpdateAddress {
        address: i64,
        version: i64,
        patch: AddressPatch,
    },
    DeleteAddress {
        address: i64,
    },
    SetDefaultAddress {
        address: i64,
        kind: AddressKind,
    },
    SetVerification {
        address: i64,
        verification: Verification,
    },
    PinNote {
        note: i64,
        pinned: bool,
    },
    DeleteNote {
        note: i64,
    },
    CreateGroup(NewGroup),
    UpdateGroup {
        id: i64,
        patch: GroupPatch,
    },
    SetGroupActive {
        id: i64,
        active: bool,
    },
    SetMembership {
        customer: i64,
        group: i64,
        status: MembershipStatus,
    },
    RemoveMembership {
        customer: i64,
        group: i64,
    },
    DefineField(NewCustomField),
    UpdateField {
        id: i64,
        patch: CustomFieldPatch,
    },
    /// The store refuses while any customer has a value for the field.
    DeleteField {
        id: i64,
    },
    /// Accounts with orders are skipped by the store, with the reason in the report.
    DeleteCustomers {
        ids: Vec<i64>,
    },
    DeactivateCustomers {
        ids: Vec<i64>,
        reason: String,
    },
    BlockIps {
        ips: Vec<String>,
        reason: String,
    },
    UnblockIp {
        ip: String,
    },
    /// Merges `source` into `target` with the field choices of the preview; cannot be undone.
    Merge {
        source: i64,
        target: i64,
        choices: MergeChoices,
    },
    /// Moves the guest orders under the account's email to it.
    LinkGuestOrders {
        account: i64,
    },
    /// A manual or gift grant; the product is looked up by SKU in the same call.
    AddLibraryItem {
        customer: i64,
        sku: String,
        source: LibrarySource,
        note: String,
        expires_at: Option<DateTime<Utc>>,
    },
    EditLibraryItem {
        item: i64,
        patch: LibraryPatch,
    },
    RevokeLibraryItem {
        item: i64,
    },
    /// Grants and revokes this customer's purchased items from their orders.
    RebuildLibrary {
        customer: i64,
    },
    /// Creates or replaces the staff member's (or with `shared`, the shared) view of that name.
    SaveView {
        name: String,
        shared: bool,
        definition: crate::store::views::ViewDefinition,
    },
    DeleteView {
        id: i64,
        name: String,
    },
    /// A data-subject request about this customer, received now.
    LogPrivacyRequest {
        customer: i64,
        kind: crate::store::model::PrivacyKind,
        note: String,
    },
    SetPrivacyStatus {
        id: i64,
        version: i64,
        status: crate::store::model::PrivacyStatus,
        note: String,
    },
    /// Two more months, once, with the reason on record.
    ExtendPrivacyRequest {
        id: i64,
        version: i64,
        reason: String,
    },
    /// Erases the customer's personal data; cannot be undone.
    EraseCustomer {
        customer: i64,
        reason: String,
    },
}

impl WriteOp {
    /// The footer line after it worked.
    pub fn done_message(&self) -> &'static str {
        match self {
            WriteOp::CreateCustomer(_) => "customer created",
            WriteOp::UpdateCustomer { .. } => "profile saved",
            WriteOp::SetStatus { .. } => "account status changed",
            WriteOp::AddAddress { .. } => "address added",
            WriteOp::UpdateAddress { .. } => "address saved",
            WriteOp::DeleteAddress { .. } => "address deleted",
            WriteOp::SetDefaultAddress { .. } => "default address set",
            WriteOp::SetVerification { .. } => "address verification changed",
            WriteOp::PinNote { pinned: true, .. } => "note pinned",
            WriteOp::PinNote { pinned: false, .. } => "note unpinned",
            WriteOp::DeleteNote { .. } => "note deleted",
            WriteOp::CreateGroup(_) => "group created",
            WriteOp::UpdateGroup { .. } => "group saved",
            WriteOp::SetGroupActive { active: true, .. } => "group enabled",
            WriteOp::SetGroupActive { active: false, .. } => "group disabled",
            WriteOp::SetMembership { .. } => "membership changed",
            WriteOp::RemoveMembership { .. } => "removed from the group",
            WriteOp::DefineField(_) => "custom field defined",
            WriteOp::UpdateField { .. } => "custom field saved",
            WriteOp::DeleteField { .. } => "custom field deleted",
            WriteOp::DeleteCustomers { .. } => "accounts deleted",
            WriteOp::DeactivateCustomers { .. } => "accounts deactivated",
            WriteOp::BlockIps { .. } => "IPs blocked",
            WriteOp::UnblockIp { .. } => "IP unblocked",
            WriteOp::Merge { .. } => "customers merged",
            WriteOp::LinkGuestOrders { .. } => "guest orders linked",
            WriteOp::AddLibraryItem { .. } => "library item granted",
            WriteOp::EditLibraryItem { .. } => "library item saved",
            WriteOp::RevokeLibraryItem { .. } => "library item revoked",
            WriteOp::RebuildLibrary { .. } => "library rebuilt",
            WriteOp::SaveView { .. } => "view saved",
            WriteOp::DeleteView { .. } => "view deleted",
            WriteOp::LogPrivacyRequest { .. } => "privacy request logged",
            WriteOp::SetPrivacyStatus { .. } => "privacy request moved on",
            WriteOp::ExtendPrivacyRequest { .. } => "deadline extended by two months",
            WriteOp::EraseCustomer { .. } => "customer erased",
        }
    }
}

/// What a successful write hands back that the console uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Customer(Box<Customer>),
    Note(Box<Note>),
    /// What a bulk action did and what it skipped, and why.
    Bulk(crate::store::review::BulkReport),
    Blocked(Vec<String>),
    Merged(Box<MergeReport>),
    /// Guest orders linked to the account.
    Linked(i64),
    Rebuilt(Box<RebuildReport>),
    View(Box<crate::store::views::SavedView>),
    Privacy(Box<crate::store::privacy::PrivacyRequest>),
    Erased(Box<crate::store::privacy::ErasureReport>),
    Done,
}

/// Why a write did not happen. Nothing was written in any of these cases.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteFailure {
    pub message: String,
    /// The connection was lost: the same write may be sent again.
    pub retry: bool,
    /// Someone else changed the customer first; this is the row as it is now.
    pub conflict: Option<Box<Customer>>,
}
