//! Runs the console's privacy effects: the request queue with the customers it names, the
//! erasure preview, the access export (the files `patron gdpr export` writes, through
//! `privacy_export`) and the privacy writes. The store checks every permission again.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::privacy::RequestRows;
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::store::privacy::{NewPrivacyRequest, PrivacyFilter};
use crate::store::{DynStore, Result};

use super::{Runtime, failure};

impl Runtime {
    /// One of the three privacy effects; `None` for any other.
    pub(super) async fn privacy(&self, effect: &Effect) -> Option<Action> {
        let s = &self.store;
        Some(match *effect {
            Effect::LoadPrivacyRequests { req } => Action::PrivacyRequestsLoaded {
                req,
                result: requests(s).await.map_err(failure),
            },
            Effect::ErasurePreview { req, customer } => Action::ErasurePreviewed {
                req,
                result: s.erasure_preview(customer).await.map_err(failure),
            },
            Effect::PrivacyExport {
                req,
                staff,
                customer,
            } => Action::PrivacyExported {
                req,
                result: self.access_export(staff, customer).await,
            },
            _ => return None,
        })
    }

    async fn access_export(
        &self,
        staff: i64,
        customer: i64,
    ) -> std::result::Result<(String, String), String> {
        let export = self
            .store
            .customer_export(staff, customer)
            .await
            .map_err(|e| e.to_string())?;
        let dir = self.export_dir.clone();
        // Rendering the page and writing a large history are blocking work.
        let files =
            tokio::task::spawn_blocking(move || crate::privacy_export::write(&export, &dir))
                .await
                .map_err(|e| format!("export failed: {e}"))?
                .map_err(|e| format!("{e:#}"))?;
        Ok((
            files.json.display().to_string(),
            files.html.display().to_string(),
        ))
    }
}

/// Every request (open first by due date, then closed) and the customers they name.
async fn requests(s: &DynStore) -> Result<RequestRows> {
    let requests = s.privacy_requests(&PrivacyFilter::default()).await?;
    let mut ids: Vec<i64> = requests.iter().filter_map(|r| r.customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let customers = if ids.is_empty() {
        Vec::new()
    } else {
        s.customers_by_ids(&ids).await?
    };
    Ok(RequestRows {
        requests,
        customers,
    })
}

/// The privacy writes (`runtime::write` hands them over).
pub(super) async fn write(
    s: &DynStore,
    staff: i64,
    op: WriteOp,
) -> std::result::Result<Written, WriteFailure> {
    let privacy = |r| Written::Privacy(Box::new(r));
    let result = match op {
        WriteOp::LogPrivacyRequest {
            customer,
            kind,
            note,
        } => {
            let new = NewPrivacyRequest {
                kind: Some(kind),
                customer: Some(customer),
                note,
                ..Default::default()
            };
            s.log_privacy_request(staff, &new).await.map(privacy)
        }
        WriteOp::SetPrivacyStatus {
            id,
            version,
            status,
            note,
        } => s
            .set_privacy_status(staff, id, version, status, &note)
            .await
            .map(privacy),
        WriteOp::ExtendPrivacyRequest {
            id,
            version,
            reason,
        } => s
            .extend_privacy_request(staff, id, version, &reason)
            .await
            .map(privacy),
        WriteOp::EraseCustomer { customer, reason } => s
            .erase_customer(staff, customer, &reason)
            .await
            .map(|r| Written::Erased(Box::new(r))),
        other => {
            return Err(WriteFailure {
                message: format!("not a privacy write: {other:?}"),
                retry: false,
                conflict: None,
            });
        }
    };
    result.map_err(super::write::fail)
}
