//! The fields an export can hold: one table per kind of row (customers, orders) naming each
//! field, its cell type, whether it is in the default set and how a row yields it.

use patron_export::{Cell, Column, Kind};

use crate::store::export::{CustomerExtras, ExportOrder};
use crate::store::model::{Address, ConsentPurpose, Customer};

pub struct CustomerField {
    pub name: &'static str,
    pub kind: Kind,
    /// In the export when `--fields` is not given (IP addresses are asked for by name only).
    pub default: bool,
    /// Reads `Exports::customer_extras` (addresses, groups, consent).
    pub extras: bool,
    pub get: fn(&Customer, &CustomerExtras) -> Cell,
}

pub struct OrderField {
    pub name: &'static str,
    pub kind: Kind,
    pub get: fn(&ExportOrder) -> Cell,
}

/// Text as stored, empty included (JSON then says `""`, not `null`: the row holds a string).
fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Empty, text)
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> Cell {
    t.map_or(Cell::Empty, Cell::Time)
}

fn money(minor: i64, currency: &str) -> Cell {
    Cell::Money {
        minor,
        currency: currency.to_string(),
    }
}

fn address_line(a: &Option<Address>) -> Cell {
    a.as_ref().map_or(Cell::Empty, |a| text(&a.one_line()))
}

fn consent(e: &CustomerExtras, purpose: ConsentPurpose) -> Cell {
    match e.consent.iter().find(|(p, _)| *p == purpose) {
        Some((_, Some(true))) => Cell::Text("granted".into()),
        Some((_, Some(false))) => Cell::Text("withdrawn".into()),
        _ => Cell::Empty,
    }
}

macro_rules! field {
    ($name:literal, $kind:ident, $default:literal, $extras:literal, |$c:ident, $e:ident| $get:expr) => {
        CustomerField {
            name: $name,
            kind: Kind::$kind,
            default: $default,
            extras: $extras,
            get: |$c, $e| {
                let _ = (&$c, &$e);
                $get
            },
        }
    };
}

pub static CUSTOMER_FIELDS: &[CustomerField] = &[
    field!("id", Int, true, false, |c, e| Cell::Int(c.id)),
    field!("email", Text, true, false, |c, e| text(&c.email)),
    field!("first_name", Text, true, false, |c, e| text(&c.first_name)),
    field!("last_name", Text, true, false, |c, e| text(&c.last_name)),
    field!("phone", Code, true, false, |c, e| text(&c.phone)),
    field!("company", Text, true, false, |c, e| text(&c.company)),
    field!("language", Code, true, false, |c, e| text(&c.language)),
    field!("has_account", Bool, true, false, |c, e| Cell::Bool(
        c.has_account
    )),
    field!("status", Text, true, false, |c, e| text(c.status.as_str())),
    field!("status_reason", Text, true, false, |c, e| opt_text(
        c.status_reason.as_deref()
    )),
    field!("created_at", Time, true, false, |c, e| Cell::Time(
        c.created_at
    )),
    field!("last_login_at", Time, true, false, |c, e| time(
        c.last_login_at
    )),
    field!("registration_ip", Code, false, false, |c, e| opt_text(
        c.registration_ip.as_deref()
    )),
    field!("last_login_ip", Code, false, false, |c, e| opt_text(
        c.last_login_ip.as_deref()
    )),
    field!("order_count", Int, true, false, |c, e| Cell::Int(
        c.stats.order_count
    )),
    field!("total_spent", Money, true, false, |c, e| money(
        c.stats.total_spent,
        &c.stats.currency
    )),
    // Spent over all orders (refunded ones count in the denominator, as on the profile).
    field!(
        "average_order",
        Money,
        true,
        false,
        |c, e| if c.stats.order_count > 0 {
            money(c.stats.total_spent / c.stats.order_count, &c.stats.currency)
        } else {
            Cell::Empty
        }
    ),
    field!("first_order_at", Time, true, false, |c, e| time(
        c.stats.first_order_at
    )),
    field!("last_order_at", Time, true, false, |c, e| time(
        c.stats.last_order_at
    )),
    field!("segment", Text, true, false, |c, e| c
        .stats
        .value
        .filter(|v| v.fitted)
        .map_or(Cell::Empty, |v| text(v.segment.as_str()))),
    field!("churn_risk", Text, true, false, |c, e| c
        .stats
        .value
        .filter(|v| v.fitted)
        .map_or(Cell::Empty, |v| text(v.churn.as_str()))),
    field!("predicted_clv", Money, true, false, |c, e| c
        .stats
        .value
        .and_then(|v| v.clv)
        .map_or(Cell::Empty, |m| money(m, &c.stats.currency))),
    field!("billing_address", Text, true, true, |c, e| address_line(
        &e.billing
    )),
    field!("billing_postal_code", Code, true, true, |c, e| e
        .billing
        .as_ref()
        .map_or(Cell::Empty, |a| text(&a.postal_code))),
    field!("billing_country", Code, true, true, |c, e| e
        .billing
        .as_ref()
        .map_or(Cell::Empty, |a| text(&a.country))),
    field!("shipping_address", Text, true, true, |c, e| address_line(
        &e.shipping
    )),
    field!("shipping_postal_code", Code, true, true, |c, e| e
        .shipping
        .as_ref()
        .map_or(Cell::Empty, |a| text(&a.postal_code))),
    field!("shipping_country", Code, true, true, |c, e| e
        .shipping
        .as_ref()
        .map_or(Cell::Empty, |a| text(&a.country))),
    field!("groups", Text, true, true, |c, e| text(
        &e.groups.join("; ")
    )),
    field!("marketing_consent", Bool, true, false, |c, e| Cell::Bool(
        c.marketing_consent
    )),
    field!("consent_marketing_email", Text, true, true, |c, e| consent(
        e,
        ConsentPurpose::MarketingEmail
    )),
    field!("consent_marketing_sms", Text, true, true, |c, e| consent(
        e,
        ConsentPurpose::MarketingSms
    )),
    field!("consent_remote_assistance", Text, true, true, |c, e| {
        consent(e, ConsentPurpose::RemoteAssistance)
    }),
    field!("consent_profiling", Text, true, true, |c, e| consent(
        e,
        ConsentPurpose::Profiling
    )),
];

macro_rules! order_field {
    ($name:literal, $kind:ident, |$o:ident| $get:expr) => {
        OrderField {
            name: $name,
            kind: Kind::$kind,
            get: |$o| $get,
        }
    };
}

pub static ORDER_FIELDS: &[OrderField] = &[
    order_field!("number", Code, |o| text(&o.order.number)),
    order_field!("customer_id", Int, |o| o
        .order
        .customer_id
        .map_or(Cell::Empty, Cell::Int)),
    order_field!("email", Text, |o| text(&o.order.email)),
    order_field!("placed_at", Time, |o| Cell::Time(o.order.placed_at)),
    order_field!("status", Text, |o| text(o.order.status.as_str())),
    order_field!("payment_status", Text, |o| text(
        o.order.payment_status.as_str()
    )),
    order_field!("fulfillment_status", Text, |o| text(
        o.order.fulfillment_status.as_str()
    )),
    order_field!("payment_method", Text, |o| text(&o.order.payment_method)),
    order_field!("currency", Code, |o| text(&o.order.currency)),
    order_field!("subtotal", Money, |o| money(
        o.order.subtotal,
        &o.order.currency
    )),
    order_field!("shipping", Money, |o| money(
        o.order.shipping,
        &o.order.currency
    )),
    order_field!("tax", Money, |o| money(o.order.tax, &o.order.currency)),
    order_field!("discount", Money, |o| money(
        o.order.discount,
        &o.order.currency
    )),
    order_field!("total", Money, |o| money(o.order.total, &o.order.currency)),
    order_field!("items", Int, |o| Cell::Int(o.item_count)),
    order_field!("quantity", Int, |o| Cell::Int(o.quantity)),
    order_field!("skus", Text, |o| text(&o.skus.join("; "))),
    order_field!("billing_address", Text, |o| text(&o.order.billing_address)),
    order_field!("shipping_address", Text, |o| text(
        &o.order.shipping_address
    )),
];

/// The fields `--fields a,b,c` names, in that order; every name is checked, and an unknown one
/// is refused with the list of known ones.
pub fn pick<'a, T>(
    all: &'a [T],
    name: impl Fn(&T) -> &'static str,
    default: impl Fn(&T) -> bool,
    list: Option<&str>,
) -> Result<Vec<&'a T>, String> {
    let Some(list) = list else {
        return Ok(all.iter().filter(|f| default(f)).collect());
    };
    let mut out: Vec<&T> = Vec::new();
    for wanted in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let f = all.iter().find(|f| name(f) == wanted).ok_or_else(|| {
            let known: Vec<&str> = all.iter().map(&name).collect();
            format!(
                "unknown field {wanted:?}; the fields are: {}",
                known.join(", ")
            )
        })?;
        if out.iter().any(|g| name(g) == wanted) {
            return Err(format!("field {wanted:?} is named twice"));
        }
        out.push(f);
    }
    if out.is_empty() {
        return Err("--fields names no field".into());
    }
    Ok(out)
}

pub fn customer_columns(fields: &[&CustomerField]) -> Vec<Column> {
    fields.iter().map(|f| Column::new(f.name, f.kind)).collect()
}

pub fn order_columns(fields: &[&OrderField]) -> Vec<Column> {
    fields.iter().map(|f| Column::new(f.name, f.kind)).collect()
}
