//! The orders and order-items import files: their columns, row types and per-row rules.

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::row::shown;
use super::{ImportError, Parsed, Schema, parse_file};

/// Every column the orders file may contain.
pub const ORDER_COLUMNS: &[&str] = &[
    "number",
    "email",
    "placed_at",
    "status",
    "payment_status",
    "fulfillment_status",
    "payment_method",
    "currency",
    "subtotal",
    "shipping",
    "tax",
    "discount",
    "total",
];

/// Every column the order-items file may contain.
pub const ORDER_ITEM_COLUMNS: &[&str] = &[
    "order_number",
    "sku",
    "product_name",
    "product_kind",
    "quantity",
    "unit_price",
    "currency",
];

const ORDER_SCHEMA: Schema = Schema {
    columns: ORDER_COLUMNS,
    required: &["number", "email", "placed_at", "currency", "total"],
    aliases: &[],
    ignore_unknown: false,
};

const ITEM_SCHEMA: Schema = Schema {
    columns: ORDER_ITEM_COLUMNS,
    required: &["order_number", "sku", "quantity", "unit_price", "currency"],
    aliases: &[],
    ignore_unknown: false,
};

const MAX_NUMBER: usize = 64;
const MAX_TEXT: usize = 200;
/// Product titles run longer than names in real catalogues.
const MAX_PRODUCT_NAME: usize = 500;
const MAX_QUANTITY: i64 = 100_000;

const STATUSES: &[&str] = &[
    "pending",
    "processing",
    "completed",
    "cancelled",
    "refunded",
    "on_hold",
];
const PAYMENT_STATUSES: &[&str] = &[
    "pending",
    "paid",
    "partially_refunded",
    "refunded",
    "failed",
    "voided",
];
const FULFILLMENT_STATUSES: &[&str] = &["unfulfilled", "partial", "fulfilled", "returned"];
const PRODUCT_KINDS: &[&str] = &["physical", "digital", "bundle"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRow {
    pub number: String,
    /// Normalized customer email.
    pub email: String,
    pub placed_at: DateTime<Utc>,
    pub status: String,
    pub payment_status: String,
    pub fulfillment_status: String,
    pub payment_method: String,
    /// Uppercase ISO code; amounts below are minor units of it.
    pub currency: String,
    pub subtotal: i64,
    pub shipping: i64,
    pub tax: i64,
    pub discount: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderItemRow {
    pub order_number: String,
    pub sku: String,
    pub product_name: String,
    /// One of physical/digital/bundle.
    pub product_kind: String,
    pub quantity: i64,
    /// Minor units of `currency`.
    pub unit_price: i64,
    pub currency: String,
}

/// Parses and validates an orders CSV; a repeated order number is rejected from its second
/// occurrence on. Amounts are not cross-checked against `total`: stores disagree on whether
/// tax and discounts are included.
pub fn parse_orders(r: impl Read) -> Result<Parsed<OrderRow>, ImportError> {
    let mut first_seen: HashMap<String, u64> = HashMap::new();
    parse_file(r, &ORDER_SCHEMA, |row, line| {
        let number = row.required("number", MAX_NUMBER);
        if let Some(number) = &number {
            match first_seen.get(number) {
                Some(first) => row.fail(format!(
                    "duplicate order number \"{}\" (first seen on line {first})",
                    shown(number)
                )),
                None => {
                    first_seen.insert(number.clone(), line);
                }
            }
        }
        let email = row.email("email").unwrap_or_default();
        let placed_at = row.required_timestamp("placed_at").unwrap_or_default();
        let status = row.choice("status", STATUSES, "completed");
        let payment_status = row.choice("payment_status", PAYMENT_STATUSES, "paid");
        let fulfillment_status =
            row.choice("fulfillment_status", FULFILLMENT_STATUSES, "fulfilled");
        let payment_method = row.text("payment_method", MAX_TEXT);
        let currency = row.currency("currency");
        OrderRow {
            number: number.unwrap_or_default(),
            email,
            placed_at,
            status,
            payment_status,
            fulfillment_status,
            payment_method,
            subtotal: row.amount("subtotal", &currency, false),
            shipping: row.amount("shipping", &currency, false),
            tax: row.amount("tax", &currency, false),
            discount: row.amount("discount", &currency, false),
            total: row.amount("total", &currency, true),
            currency,
        }
    })
}

/// Parses and validates an order-items CSV. Whether each `order_number` exists is left to the
/// caller, which knows the orders file and the database.
pub fn parse_order_items(r: impl Read) -> Result<Parsed<OrderItemRow>, ImportError> {
    parse_file(r, &ITEM_SCHEMA, |row, _line| {
        let order_number = row.required("order_number", MAX_NUMBER).unwrap_or_default();
        let sku = row.required("sku", MAX_TEXT).unwrap_or_default();
        let product_name = row.text("product_name", MAX_PRODUCT_NAME);
        let product_kind = row.choice("product_kind", PRODUCT_KINDS, "physical");
        let quantity = row.integer("quantity", 1..=MAX_QUANTITY);
        let currency = row.currency("currency");
        OrderItemRow {
            order_number,
            sku,
            product_name,
            product_kind,
            quantity,
            unit_price: row.amount("unit_price", &currency, true),
            currency,
        }
    })
}
