//! Unit tests of the shared write rules (the contract suite covers them through both stores).

use chrono::{TimeZone, Utc};
use serde_json::json;

use super::*;

fn customer() -> Customer {
    let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    Customer {
        id: 7,
        email: "ann@example.com".into(),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        phone: String::new(),
        company: String::new(),
        language: "en".into(),
        has_account: true,
        status: CustomerStatus::Active,
        status_reason: None,
        created_at: t,
        updated_at: t,
        last_login_at: None,
        registration_ip: None,
        last_login_ip: None,
        marketing_consent: false,
        custom_fields: json!({}),
        version: 3,
        stats: CustomerStats::default(),
    }
}

fn field(name: &str, kind: CustomFieldKind, choices: &[&str], required: bool) -> CustomFieldDef {
    CustomFieldDef {
        id: 1,
        name: name.into(),
        label: name.into(),
        kind,
        choices: choices.iter().map(|c| c.to_string()).collect(),
        required,
        position: 1,
    }
}

fn err(r: Result<impl std::fmt::Debug>) -> String {
    match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn new_customers_need_an_email_and_names_unless_guests() {
    let mut n = NewCustomer {
        email: "  Ann@Example.COM ".into(),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        has_account: true,
        ..Default::default()
    };
    assert_eq!(new_customer(&n).unwrap().email, "ann@example.com");
    n.last_name = " ".into();
    assert_eq!(err(new_customer(&n)), "last_name: required");
    n.has_account = false;
    assert!(new_customer(&n).is_ok(), "guests may be nameless");
    n.email = "nope".into();
    assert!(err(new_customer(&n)).starts_with("email: "));
    n.email = "a@b.example".into();
    n.phone = "call me".into();
    assert!(err(new_customer(&n)).starts_with("phone: "));
    n.phone = String::new();
    n.company = "Evil\u{202e}Corp".into();
    assert!(err(new_customer(&n)).contains("control or invisible"));
}

#[test]
fn a_patch_reports_only_changed_fields_and_nothing_for_a_no_op() {
    let c = customer();
    let p = CustomerPatch {
        first_name: Some("Ann".into()),
        phone: Some("+1 555 0100".into()),
        ..Default::default()
    };
    let (after, details) = patch_customer(&c, &p, &[]).unwrap().unwrap();
    assert_eq!(after.phone, "+1 555 0100");
    assert_eq!(
        details,
        json!({"before": {"phone": ""}, "after": {"phone": "+1 555 0100"}})
    );
    let same = CustomerPatch {
        email: Some("ANN@example.com".into()),
        ..Default::default()
    };
    assert!(patch_customer(&c, &same, &[]).unwrap().is_none());
    let bad = CustomerPatch {
        language: Some("english".into()),
        ..Default::default()
    };
    assert!(err(patch_customer(&c, &bad, &[])).starts_with("language: "));
}

#[test]
fn custom_fields_are_checked_against_their_definitions() {
    let defs = [
        field("tier", CustomFieldKind::Choice, &["gold", "silver"], false),
        field("seats", CustomFieldKind::Number, &[], false),
        field("renewal", CustomFieldKind::Date, &[], false),
        field("account_manager", CustomFieldKind::Text, &[], true),
    ];
    let set = |v: serde_json::Value| v.as_object().unwrap().clone();
    let ok = merge_custom_fields(
        &json!({"account_manager": "Bo"}),
        &set(json!({"tier": "gold", "seats": "12", "renewal": "2025-02-28"})),
        &defs,
    )
    .unwrap();
    assert_eq!(
        ok,
        json!({"account_manager": "Bo", "tier": "gold", "seats": 12, "renewal": "2025-02-28"})
    );
    let cur = json!({"account_manager": "Bo"});
    let bad = |v| err(merge_custom_fields(&cur, &set(v), &defs));
    assert_eq!(
        bad(json!({"tier": "bronze"})),
        "custom_fields.tier: must be one of gold, silver"
    );
    assert_eq!(
        bad(json!({"seats": "many"})),
        "custom_fields.seats: expected a number"
    );
    assert!(bad(json!({"renewal": "2025-02-30"})).starts_with("custom_fields.renewal: "));
    assert_eq!(
        bad(json!({"shoe_size": 9})),
        "custom_fields.shoe_size: no such custom field"
    );
    assert_eq!(
        bad(json!({"account_manager": null})),
        "custom_fields.account_manager: required"
    );
}

#[test]
fn status_needs_a_reason_except_to_reactivate_and_never_anonymizes() {
    let c = customer();
    assert_eq!(
        err(status_change(&c, CustomerStatus::Locked, " ")),
        "reason: required"
    );
    let (reason, details) = status_change(&c, CustomerStatus::Locked, "fraud")
        .unwrap()
        .unwrap();
    assert_eq!(reason.as_deref(), Some("fraud"));
    assert_eq!(details["after"]["status"], "locked");
    assert!(
        status_change(&c, CustomerStatus::Active, "")
            .unwrap()
            .is_none()
    );
    assert!(status_change(&c, CustomerStatus::Anonymized, "x").is_err());
}

#[test]
fn addresses_need_street_city_and_a_country_code() {
    let a = NewAddress {
        address1: "1 Main St".into(),
        city: "Berlin".into(),
        country: "de".into(),
        ..Default::default()
    };
    assert_eq!(new_address(&a).unwrap().country, "DE");
    let no_city = NewAddress {
        city: String::new(),
        ..a.clone()
    };
    assert_eq!(err(new_address(&no_city)), "city: required");
    let bad_country = NewAddress {
        country: "Germany".into(),
        ..a
    };
    assert!(err(new_address(&bad_country)).starts_with("country: "));
}

#[test]
fn notes_keep_line_breaks_but_refuse_escapes() {
    assert_eq!(note_body(" a\r\nb ").unwrap(), "a\nb");
    assert!(note_body("\u{1b}]0;x\u{7}").is_err());
    assert!(note_body("   ").is_err());
}

#[test]
fn names_and_prefixes_are_normalized() {
    assert_eq!(username(" Alice ").unwrap(), "alice");
    assert!(username("-x").is_err() && username("a b").is_err());
    assert_eq!(like_prefix("a_b%"), "a\\_b\\%%");
    let f = NewCustomField {
        name: "Tier".into(),
        label: "Tier".into(),
        kind: CustomFieldKind::Text,
        choices: vec![],
        required: false,
    };
    assert!(new_custom_field(&f).is_err());
    let choice_without = NewCustomField {
        name: "tier".into(),
        kind: CustomFieldKind::Choice,
        ..f
    };
    assert_eq!(
        err(new_custom_field(&choice_without)),
        "choices: required for a choice field"
    );
}
