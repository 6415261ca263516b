//! What staff hand to the store's writes: new rows, patches of optional fields and audit filters.
//!
//! A patch field left `None` is not touched, so two people editing different fields of one customer
//! only collide when the version check says the row moved underneath them.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::model::{AddressKind, CustomFieldKind, GroupKind};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewCustomer {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub company: String,
    /// Registered account (names required) or guest (names optional).
    pub has_account: bool,
    /// Groups to join as an active member; needs the ManageGroups permission.
    pub group_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerPatch {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub language: Option<String>,
    pub marketing_consent: Option<bool>,
    /// Values to set by field name, merged into the stored ones; `null` or "" removes a value.
    pub custom_fields: Option<Map<String, Value>>,
}

impl CustomerPatch {
    pub fn is_empty(&self) -> bool {
        *self == CustomerPatch::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAddress {
    pub kind: AddressKind,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub province: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    /// Becomes the default billing/shipping address (the previous default loses the flag).
    pub default_billing: bool,
    pub default_shipping: bool,
}

impl Default for NewAddress {
    fn default() -> Self {
        NewAddress {
            kind: AddressKind::Shipping,
            first_name: String::new(),
            last_name: String::new(),
            company: String::new(),
            address1: String::new(),
            address2: String::new(),
            city: String::new(),
            province: String::new(),
            postal_code: String::new(),
            country: String::new(),
            phone: String::new(),
            default_billing: false,
            default_shipping: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddressPatch {
    pub kind: Option<AddressKind>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewGroup {
    pub name: String,
    pub kind: GroupKind,
    /// Basis points: 1250 is 12.5 %.
    pub discount_bps: i64,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupPatch {
    pub name: Option<String>,
    pub kind: Option<GroupKind>,
    pub discount_bps: Option<i64>,
    pub description: Option<String>,
}

/// What may change on a custom field once defined: its label and whether it is required. The
/// name and the type stay, since stored values were checked against them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomFieldPatch {
    pub label: Option<String>,
    pub required: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomField {
    /// The key in `custom_fields`: lowercase letters, digits and `_`, starting with a letter.
    pub name: String,
    pub label: String,
    pub kind: CustomFieldKind,
    pub choices: Vec<String>,
    pub required: bool,
}

/// The global audit screen's query: newest first, paged by `before_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilter {
    /// Staff username.
    pub staff: Option<String>,
    /// Matches actions starting with this text ("customer." or "note.add").
    pub action_prefix: Option<String>,
    pub since: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
    /// Only entries older than this id (the last id of the previous page).
    pub before_id: Option<i64>,
}

impl Default for AuditFilter {
    fn default() -> Self {
        AuditFilter {
            staff: None,
            action_prefix: None,
            since: None,
            until: None,
            limit: 100,
            before_id: None,
        }
    }
}
