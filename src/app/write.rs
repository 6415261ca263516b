//! Staff writes the console asks for, as plain data (`WriteOp`), and what comes back from them.
//!
//! Every form, confirmation and one-key action (pin, set default, verify) ends in one
//! `Effect::Write`; the runtime hands the op to the matching `StaffWork` method, which checks the
//! role and the row version and audits in the same transaction. The console never retries a
//! write on its own: after a lost connection the form stays open and Ctrl-S sends it again.

use crate::store::edit::{
    AddressPatch, CustomerPatch, GroupPatch, NewAddress, NewCustomField, NewCustomer, NewGroup,
};
use crate::store::hygiene::{
    LibraryPatch, MergeChoices, MergeReport, NewLibraryItem, RebuildReport,
};
use crate::store::model::{
    AddressKind, Customer, CustomerStatus, LibrarySource, MembershipStatus, Note, Verification,
};
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
        }
    }
}

/// What a successful write hands back that the console uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Customer(Box<Customer>),
    Note(Box<Note>),
    /// What a bulk action did and what it skipped, and why.
    Cleanup(crate::store::hygiene::CleanupReport),
    Blocked(Vec<String>),
    Merged(Box<MergeReport>),
    /// Guest orders linked to the account.
    Linked(i64),
    Rebuilt(Box<RebuildReport>),
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

/// Runs one op against the store as `staff`.
pub async fn perform(
    store: &crate::store::DynStore,
    staff: i64,
    op: WriteOp,
) -> Result<Written, WriteFailure> {
    use WriteOp as W;
    let customer = |c: Customer| Written::Customer(Box::new(c));
    let s = store;
    let result = match op {
        W::CreateCustomer(new) => s.create_customer(staff, &new).await.map(customer),
        W::UpdateCustomer { id, version, patch } => s
            .update_customer(staff, id, version, &patch)
            .await
            .map(customer),
        W::SetStatus {
            id,
            version,
            status,
            reason,
        } => s
            .set_status(staff, id, version, status, &reason)
            .await
            .map(customer),
        W::AddAddress { customer, new } => s
            .add_address(staff, customer, &new)
            .await
            .map(|_| Written::Done),
        W::UpdateAddress {
            address,
            version,
            patch,
        } => s
            .update_address(staff, address, version, &patch)
            .await
            .map(|_| Written::Done),
        W::DeleteAddress { address } => s
            .delete_address(staff, address)
            .await
            .map(|_| Written::Done),
        W::SetDefaultAddress { address, kind } => s
            .set_default_address(staff, address, kind)
            .await
            .map(|_| Written::Done),
        W::SetVerification {
            address,
            verification,
        } => s
            .set_address_verification(staff, address, verification)
            .await
            .map(|_| Written::Done),
        W::PinNote { note, pinned } => s
            .set_note_pinned(staff, note, pinned)
            .await
            .map(|n| Written::Note(Box::new(n))),
        W::DeleteNote { note } => s.delete_note(staff, note).await.map(|_| Written::Done),
        W::CreateGroup(new) => s.create_group(staff, &new).await.map(|_| Written::Done),
        W::UpdateGroup { id, patch } => s
            .update_group(staff, id, &patch)
            .await
            .map(|_| Written::Done),
        W::SetGroupActive { id, active } => s
            .set_group_active(staff, id, active)
            .await
            .map(|_| Written::Done),
        W::SetMembership {
            customer,
            group,
            status,
        } => s
            .set_membership(staff, customer, group, status)
            .await
            .map(|_| Written::Done),
        W::RemoveMembership { customer, group } => s
            .remove_membership(staff, customer, group)
            .await
            .map(|_| Written::Done),
        W::DefineField(def) => s
            .define_custom_field(staff, &def)
            .await
            .map(|_| Written::Done),
        W::DeleteCustomers { ids } => s.delete_customers(staff, &ids).await.map(Written::Cleanup),
        W::DeactivateCustomers { ids, reason } => s
            .deactivate_customers(staff, &ids, &reason)
            .await
            .map(Written::Cleanup),
        W::BlockIps { ips, reason } => {
            for ip in &ips {
                s.block_ip(staff, ip, &reason).await.map_err(fail)?;
            }
            Ok(Written::Blocked(ips))
        }
        W::UnblockIp { ip } => s.unblock_ip(staff, &ip).await.map(|_| Written::Done),
        W::Merge {
            source,
            target,
            choices,
        } => s
            .merge_customers(staff, source, target, &choices)
            .await
            .map(|r| Written::Merged(Box::new(r))),
        W::LinkGuestOrders { account } => s
            .link_guest_orders(staff, account)
            .await
            .map(Written::Linked),
        W::AddLibraryItem {
            customer,
            sku,
            source,
            note,
            expires_at,
        } => match s.product_by_sku(&sku).await {
            Ok(Some(p)) => {
                let new = NewLibraryItem {
                    product_id: p.id,
                    source,
                    note,
                    expires_at,
                };
                s.add_library_item(staff, customer, &new)
                    .await
                    .map(|_| Written::Done)
            }
            Ok(None) => Err(crate::store::StoreError::Invalid(format!(
                "sku: no product with SKU {sku:?}"
            ))),
            Err(e) => Err(e),
        },
        W::EditLibraryItem { item, patch } => s
            .edit_library_item(staff, item, &patch)
            .await
            .map(|_| Written::Done),
        W::RevokeLibraryItem { item } => s
            .revoke_library_item(staff, item)
            .await
            .map(|_| Written::Done),
        W::RebuildLibrary { customer } => s
            .rebuild_library(staff, Some(customer), &crate::store::no_progress)
            .await
            .map(|r| Written::Rebuilt(Box::new(r))),
    };
    result.map_err(fail)
}

fn fail(e: crate::store::StoreError) -> WriteFailure {
    let retry = matches!(e, crate::store::StoreError::Unavailable(_));
    let message = e.to_string();
    let conflict = match e {
        crate::store::StoreError::VersionConflict { current } => Some(current),
        _ => None,
    };
    WriteFailure {
        message,
        retry,
        conflict,
    }
}
