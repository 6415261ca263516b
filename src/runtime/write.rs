//! Runs the console's staff writes (`WriteOp`, plain data from `app::write`) against the store.

use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::store::model::Customer;
use crate::store::review::NewLibraryItem;

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
        W::UpdateField { id, patch } => s
            .update_custom_field(staff, id, &patch)
            .await
            .map(|_| Written::Done),
        W::DeleteField { id } => s
            .delete_custom_field(staff, id)
            .await
            .map(|_| Written::Done),
        W::DeleteCustomers { ids } => s.delete_customers(staff, &ids).await.map(Written::Bulk),
        W::DeactivateCustomers { ids, reason } => s
            .deactivate_customers(staff, &ids, &reason)
            .await
            .map(Written::Bulk),
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
        } => match crate::store::review::find_product(&**s, &sku).await {
            Ok(p) => {
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
        W::SaveView {
            name,
            shared,
            definition,
        } => s
            .save_view(staff, &name, shared, &definition)
            .await
            .map(|v| Written::View(Box::new(v))),
        W::DeleteView { id, .. } => s.delete_view(staff, id).await.map(|_| Written::Done),
        op @ (W::LogPrivacyRequest { .. }
        | W::SetPrivacyStatus { .. }
        | W::ExtendPrivacyRequest { .. }
        | W::EraseCustomer { .. }) => return super::privacy::write(s, staff, op).await,
    };
    result.map_err(fail)
}

pub(super) fn fail(e: crate::store::StoreError) -> WriteFailure {
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
