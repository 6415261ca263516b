//! `ConsentLedger` for the backend this tree is compiled into.

use super::dialect::*;
use crate::store::consent::ConsentLedger;

impl ConsentLedger for BackendStore {}
