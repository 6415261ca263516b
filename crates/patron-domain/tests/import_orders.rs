//! Orders and order-items import: defaults, enums, amounts, duplicates and header rules.

use chrono::{TimeZone, Utc};
use patron_domain::import::{
    ImportError, OrderItemRow, OrderRow, Parsed, RowError, parse_order_items, parse_orders,
};

const ORDERS: &str = "number,email,placed_at,status,payment_status,fulfillment_status,\
payment_method,currency,subtotal,shipping,tax,discount,total";
const ITEMS: &str = "order_number,sku,product_name,product_kind,quantity,unit_price,currency";

fn orders(text: &str) -> Parsed<OrderRow> {
    parse_orders(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn items(text: &str) -> Parsed<OrderItemRow> {
    parse_order_items(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(errors: &[RowError]) -> Vec<(u64, String)> {
    errors.iter().map(|e| (e.line, e.reason.clone())).collect()
}

#[test]
fn full_order_row() {
    let p = orders(&format!(
        "{ORDERS}\n#1001, Ann@Example.com ,2024-02-20T10:11:12+01:00,On_Hold,partially_refunded,\
partial,Credit card,usd,\"1,200.00\",5,96.5,-10,\"1,291.50\"\n"
    ));
    assert_eq!(errors(&p.errors), vec![]);
    let want = OrderRow {
        number: "#1001".into(),
        email: "ann@example.com".into(),
        placed_at: Utc
            .with_ymd_and_hms(2024, 2, 20, 9, 11, 12)
            .single()
            .unwrap_or_default(),
        status: "on_hold".into(),
        payment_status: "partially_refunded".into(),
        fulfillment_status: "partial".into(),
        payment_method: "Credit card".into(),
        currency: "USD".into(),
        subtotal: 120_000,
        shipping: 500,
        tax: 9650,
        discount: -1000,
        total: 129_150,
    };
    assert_eq!(p.rows, vec![(2, want)]);
}

#[test]
fn order_defaults_and_zero_decimal_currency() {
    let p = orders("number,email,placed_at,currency,total\n1,a@example.com,2024-02-20,JPY,1500\n");
    assert_eq!(errors(&p.errors), vec![]);
    let o = &p.rows[0].1;
    assert_eq!(
        (
            o.status.as_str(),
            o.payment_status.as_str(),
            o.fulfillment_status.as_str()
        ),
        ("completed", "paid", "fulfilled")
    );
    assert_eq!(
        (o.subtotal, o.shipping, o.tax, o.discount, o.total),
        (0, 0, 0, 0, 1500)
    );
}

#[test]
fn missing_required_order_columns() {
    match parse_orders("number,email,status\n".as_bytes()) {
        Err(ImportError::Header(m)) => {
            assert_eq!(m, "missing required column(s): placed_at, currency, total");
        }
        other => panic!("expected header error, got {other:?}"),
    }
    match parse_orders("number,email,placed_at,currency,total,notes\n".as_bytes()) {
        Err(ImportError::Header(m)) => assert!(m.starts_with("unknown column(s): notes;"), "{m}"),
        other => panic!("expected header error, got {other:?}"),
    }
}

#[test]
fn bad_order_rows() {
    let h = "number,email,placed_at,status,payment_status,fulfillment_status,currency,total";
    let text = format!(
        "{h}\n\
         1,a@example.com,2024-02-20,shipped,,,USD,1\n\
         2,a@example.com,2024-02-20,,bounced,,USD,1\n\
         3,a@example.com,2024-02-20,,,lost,USD,1\n\
         4,a@example.com,2024-02-20,,,,USD,12.345\n\
         5,a@example.com,2024-02-20,,,,XYZ,1\n\
         6,a@example.com,2024-02-20,,,,,1\n\
         7,a@example.com,2024-02-20,,,,USD,\n\
         8,a@example.com,,,,,USD,1\n\
         9,a@example.com,2024-02-30,,,,USD,1\n\
         ,a@example.com,2024-02-20,,,,USD,1\n\
         {},a@example.com,2024-02-20,,,,USD,1\n\
         1\u{202E}2,a@example.com,2024-02-20,,,,USD,1\n\
         13,not-an-email,2024-02-20,,,,USD,$5\n",
        "n".repeat(65)
    );
    let p = orders(&text);
    assert!(p.rows.is_empty(), "{:?}", p.rows);
    assert_eq!(
        errors(&p.errors),
        vec![
            (
                2,
                "bad status \"shipped\" (expected one of: pending, processing, completed, \
                 cancelled, refunded, on_hold)"
                    .into()
            ),
            (
                3,
                "bad payment_status \"bounced\" (expected one of: pending, paid, \
                 partially_refunded, refunded, failed, voided)"
                    .into()
            ),
            (
                4,
                "bad fulfillment_status \"lost\" (expected one of: unfulfilled, partial, \
                 fulfilled, returned)"
                    .into()
            ),
            (
                5,
                "bad total \"12.345\": too many decimal places for the currency".into()
            ),
            (6, "unknown currency \"XYZ\"".into()),
            (7, "missing currency".into()),
            (8, "missing total".into()),
            (9, "missing placed_at".into()),
            (10, "bad placed_at \"2024-02-30\"".into()),
            (11, "missing number".into()),
            (12, "number too long (max 64 characters)".into()),
            (
                13,
                "invisible or formatting character U+202E in number".into()
            ),
            (
                14,
                "invalid email \"not-an-email\": missing @; bad total \"$5\": not a number".into()
            ),
        ]
    );
}

#[test]
fn duplicate_order_number_names_the_first_line() {
    let p = orders(
        "number,email,placed_at,currency,total\n\
         A-1,a@example.com,2024-02-20,USD,1\n\
         A-2,a@example.com,2024-02-20,USD,1\n\
         A-1 ,b@example.com,2024-02-21,EUR,2\n",
    );
    assert_eq!(
        errors(&p.errors),
        vec![(
            4,
            "duplicate order number \"A-1\" (first seen on line 2)".into()
        )]
    );
    assert_eq!(p.rows.len(), 2);
}

#[test]
fn order_items_parse_with_defaults() {
    let p = items(&format!(
        "{ITEMS}\n#1001,SKU-1,\"Mug, large\",,2,12.50,usd\n#1001,SKU-2,E-book,Digital,1,9,EUR\n"
    ));
    assert_eq!(errors(&p.errors), vec![]);
    let want = OrderItemRow {
        order_number: "#1001".into(),
        sku: "SKU-1".into(),
        product_name: "Mug, large".into(),
        product_kind: "physical".into(),
        quantity: 2,
        unit_price: 1250,
        currency: "USD".into(),
    };
    assert_eq!(p.rows[0], (2, want));
    assert_eq!(p.rows[1].1.product_kind, "digital");
    assert_eq!(p.rows[1].1.unit_price, 900);
}

#[test]
fn bad_order_items() {
    let text = format!(
        "{ITEMS}\n\
         1,S,,,0,1,USD\n\
         1,S,,,100001,1,USD\n\
         1,S,,,1.5,1,USD\n\
         1,S,,,,1,USD\n\
         1,S,,gift,1,1,USD\n\
         1,,,,1,1,USD\n\
         ,S,,,1,1,USD\n\
         1,S,,,1,,USD\n\
         1,S,,,100000,1.999,USD\n\
         1,S,\"Name\x1b[31m\",,1,1,USD\n"
    );
    let p = items(&text);
    assert!(p.rows.is_empty(), "{:?}", p.rows);
    let qty = "(expected a whole number 1-100000)";
    assert_eq!(
        errors(&p.errors),
        vec![
            (2, format!("bad quantity \"0\" {qty}")),
            (3, format!("bad quantity \"100001\" {qty}")),
            (4, format!("bad quantity \"1.5\" {qty}")),
            (5, "missing quantity".into()),
            (
                6,
                "bad product_kind \"gift\" (expected one of: physical, digital, bundle)".into()
            ),
            (7, "missing sku".into()),
            (8, "missing order_number".into()),
            (9, "missing unit_price".into()),
            (
                10,
                "bad unit_price \"1.999\": too many decimal places for the currency".into()
            ),
            (11, "control character U+001B in product_name".into()),
        ]
    );
}

#[test]
fn same_sku_twice_in_an_order_is_allowed() {
    let p = items(&format!("{ITEMS}\n1,S,,,1,1,USD\n1,S,,,1,1,USD\n"));
    assert_eq!(p.rows.len(), 2);
    assert!(p.errors.is_empty());
}

#[test]
fn reasons_quote_hostile_values_safely() {
    let p = orders(&format!(
        "number,email,placed_at,currency,total\n1,a@example.com,2024-02-20,\x1b[2J,1\n2,a@example.com,{},USD,1\n",
        "9".repeat(500)
    ));
    assert_eq!(p.errors.len(), 2);
    assert_eq!(p.errors[0].reason, "unknown currency \"⟨U+001B⟩[2J\"");
    assert!(!p.errors[0].reason.contains('\x1b'));
    assert!(
        p.errors[1].reason.chars().count() < 100,
        "long values are cut"
    );
    assert!(p.errors[1].reason.contains('…'));
}

#[test]
fn reject_lines_finds_the_raw_records_of_rows_refused_later() {
    let file =
        format!("{ITEMS}\n#1001,SKU-1,Mug,,2,12.50,usd\n\n#404,SKU-2,\"Ghost, item\",,1,9,EUR\n");
    let found = patron_domain::import::reject_lines(
        file.as_bytes(),
        &[(4, "unknown order".into()), (99, "no such line".into())],
    )
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 4, "the blank line counts");
    assert_eq!(found[0].reason, "unknown order");
    assert_eq!(found[0].fields[2], "Ghost, item");
}
