//! `StaffWork` for SQLite: the shared delegation list in `store::work`, pointed at this backend.

use super::{SqliteStore, audit, edit, groups, notes};
use crate::store::edit::*;
use crate::store::model::*;
use crate::store::{Result, StaffWork};
use tokio::sync::mpsc::UnboundedReceiver;

crate::store::work::impl_staff_work!(SqliteStore, opts);
