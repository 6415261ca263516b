//! `Gdpr` for the backend this tree is compiled into.

use super::dialect::*;
use crate::store::gdpr::Gdpr;

impl Gdpr for BackendStore {}
