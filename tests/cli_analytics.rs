//! The customer-value feature through the real binary: `patron analytics fit|segments|customer`,
//! `patron import events` and `patron groups rule`, on SQLite files in temp dirs (and once on
//! PostgreSQL when PATRON_TEST_POSTGRES_URL is set), with refusals as one line on stderr.

mod common;

use std::collections::HashSet;
use std::process::Output;

use common::cli::*;
use patron::store::DynStore;
use patron::store::model::*;
use patron::store::query::{Cursor, ListQuery, PageFrom};
use serde_json::Value;

fn ok_json(s: &Sandbox, args: &[&str]) -> Value {
    let out = ok(s, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn run(s: &Sandbox, args: &[&str]) -> Output {
    run_anonymous(s, args)
}

/// `ok_json` against the database at `url` (the sandbox's, or a PostgreSQL schema).
fn json_at(s: &Sandbox, url: &str, args: &[&str]) -> Value {
    let out = anonymous(s, url, args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)))
}

/// A seeded shop whose admin alice is who this OS user acts as.
fn shop(customers: u32) -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", &customers.to_string()]);
    log_in_as(&s.db_url(), "alice");
    s
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// Runs `f` against the store at `url` (to compute what the binary should print).
fn with_store<T>(url: &str, f: impl AsyncFnOnce(DynStore) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let st = patron::store::open(url).await.unwrap();
        f(st).await
    })
}

async fn every_customer(st: &DynStore) -> Vec<Customer> {
    let mut q = ListQuery {
        limit: 500,
        ..Default::default()
    };
    let mut out: Vec<Customer> = Vec::new();
    loop {
        let page = st.list_customers(&q).await.unwrap();
        let Some(last) = page.last() else { break };
        q.from = PageFrom::After(Cursor::of(q.sort, last));
        out.extend(page);
    }
    out
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn positive(v: &Value) -> bool {
    v.as_f64().is_some_and(|x| x.is_finite() && x > 0.0)
}

fn sum(v: &Value, key: &str) -> i64 {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_i64().unwrap())
        .sum()
}

/// What `analytics fit --json` and `segments --json` must say about a shop of `customers`.
fn fit_and_segments(s: &Sandbox, url: &str, customers: i64) -> Value {
    let fit = json_at(s, url, &["analytics", "fit", "--json"]);
    let b = &fit["bgnbd"];
    for k in ["r", "alpha", "a", "b"] {
        assert!(positive(&b[k]), "bgnbd.{k}: {fit}");
    }
    assert!(num(&b["log_likelihood"]) < 0.0, "{fit}");
    let g = &fit["gamma_gamma"];
    for k in ["p", "q", "gamma"] {
        assert!(positive(&g[k]), "gamma_gamma.{k}: {fit}");
    }
    assert!(num(&g["log_likelihood"]).is_finite(), "{fit}");
    assert_eq!(g["currency"], "USD");
    assert_eq!(fit["time_unit"], "week");
    assert_eq!(fit["until"], today().as_str());
    assert_eq!(fit["horizon_days"], 365);
    let (buyers, repeat) = (
        fit["customers"].as_i64().unwrap(),
        fit["repeat_buyers"].as_i64().unwrap(),
    );
    assert!(
        buyers <= customers && repeat >= 50 && repeat < buyers,
        "{fit}"
    );
    // The buyers are the customers the store's own purchase scan finds.
    let scanned = with_store(url, async |st| {
        st.purchase_scan(chrono::Utc::now())
            .await
            .unwrap()
            .summaries
            .len() as i64
    });
    assert_eq!(buyers, scanned);

    let seg = json_at(s, url, &["analytics", "segments", "--json"]);
    assert_eq!(sum(&seg["segments"], "customers"), customers, "{seg}");
    assert_eq!(sum(&seg["churn_risk"], "customers"), customers, "{seg}");
    assert_eq!(seg["until"], today().as_str());
    assert_eq!(seg["fitted_at"], fit["fitted_at"], "the model just kept");
    assert_eq!(seg["currency"], "USD");
    fit
}

#[test]
fn fit_keeps_the_model_segments_cover_everyone_and_customers_get_scores() {
    let s = shop(600);
    let url = s.db_url();
    let fit = fit_and_segments(&s, &url, 600);

    // A customer with purchases: model figures from the kept score; no events imported, so
    // no open rate (absent, not zero).
    let (id, score) = with_store(&url, async |st| {
        for c in every_customer(&st).await {
            if let Some(sc) = st.customer_score(c.id).await.unwrap() {
                if sc.p_alive.is_some() && sc.purchases >= 2 {
                    return (c.id, sc);
                }
            }
        }
        panic!("no repeat buyer")
    });
    let c = ok_json(&s, &["analytics", "customer", &id.to_string(), "--json"]);
    assert_eq!(c["customer_id"], id);
    let m = &c["model"];
    let p = num(&m["p_alive"]);
    assert!((0.0..=1.0).contains(&p), "{c}");
    assert!((p - score.p_alive.unwrap()).abs() < 1e-12, "{c}");
    assert_eq!(m["segment_key"], score.segment.as_str());
    assert_eq!(
        m["segment"],
        patron::analytics::segment_label(score.segment)
    );
    assert_eq!(m["churn_risk"], score.churn.as_str());
    assert!(["low", "medium", "high"].contains(&m["churn_risk"].as_str().unwrap()));
    assert_eq!(m["churn_reason"], score.churn_reason.as_str());
    assert_eq!(m["predicted_clv"], serde_json::json!(score.clv));
    assert_eq!(m["model_until"], today().as_str());
    assert_eq!(m["fitted_at"], fit["fitted_at"]);
    let e = &c["engagement"];
    assert_eq!(e["data_imported"], false, "{c}");
    assert_eq!(e["open_rate"], Value::Null, "{c}");
    assert_eq!(e["click_through_rate"], Value::Null);
    assert_eq!(e["abandoned_carts"], Value::Null);
    // By email too, and as labelled lines.
    let email = with_store(&url, async |st| st.customer(id).await.unwrap().email);
    let by_email = ok_json(&s, &["analytics", "customer", &email, "--json"]);
    assert_eq!(by_email["customer_id"], id);
    let text = ok(&s, &["analytics", "customer", &id.to_string()]);
    assert!(text.contains(&format!("p(alive) {p:.2}")), "{text}");
    assert!(
        text.contains("engagement       no engagement data imported (patron import events)"),
        "{text}"
    );

    // A back-test at a cut-off reports that day and keeps nothing.
    let kept = with_store(&url, async |st| st.current_fit().await.unwrap().unwrap());
    let back = ok_json(&s, &["analytics", "fit", "--until", "2025-06-30", "--json"]);
    assert_eq!(back["until"], "2025-06-30", "{back}");
    assert!(
        back["customers"].as_i64().unwrap() < fit["customers"].as_i64().unwrap(),
        "fewer buyers by mid-2025: {back}"
    );
    assert_ne!(back["bgnbd"], fit["bgnbd"]);
    let text = ok(&s, &["analytics", "fit", "--until", "2025-06-30"]);
    assert!(
        text.contains("orders up to 2025-06-30")
            && text.contains("(a back-test at a cut-off: the current model was left as it is)"),
        "{text}"
    );
    let after = with_store(&url, async |st| st.current_fit().await.unwrap().unwrap());
    assert_eq!(after, kept, "the back-test replaced the kept model");
    let seg = ok_json(&s, &["analytics", "segments", "--json"]);
    assert_eq!(seg["until"], today().as_str());
    assert_eq!(seg["fitted_at"], fit["fitted_at"]);
    let fits = with_store(&url, async |st| {
        st.audit_log(&patron::store::edit::AuditFilter {
            action_prefix: Some("analytics.fit".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
    });
    assert_eq!(fits, 1, "only the kept fit is audited");

    // The human form of the kept fit and the segments.
    let out = run(&s, &["analytics", "fit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("BG/NBD (weeks): r "), "{text}");
    assert!(text.contains("Gamma-Gamma (USD): p "), "{text}");
    assert!(
        stderr(&out).starts_with(&format!("scored {} customers", fit["customers"])),
        "{}",
        stderr(&out)
    );
    let text = ok(&s, &["analytics", "segments"]);
    assert!(text.contains("No orders"), "{text}");
    assert!(text.contains("churn risk: "), "{text}");
}

#[test]
fn a_tiny_shop_cannot_be_fitted_and_nothing_is_kept() {
    let s = shop(20);
    assert_eq!(
        refused(&s, &["analytics", "segments"]),
        "error: no model yet: run `patron analytics fit` first"
    );
    let err = refused(&s, &["analytics", "fit"]);
    assert!(
        err.starts_with("error: cannot fit: ") && err.ends_with("; nothing was kept"),
        "{err}"
    );
    assert!(
        err.contains("customers, the model needs at least 50"),
        "{err}"
    );
    let err = refused(&s, &["analytics", "fit", "--until", "2025-06-30", "--json"]);
    assert!(
        err.contains("cannot fit") && err.contains("nothing was kept"),
        "{err}"
    );
    assert_eq!(
        refused(&s, &["analytics", "segments", "--json"]),
        "error: no model yet: run `patron analytics fit` first"
    );
    let kept = with_store(&s.db_url(), async |st| st.current_fit().await.unwrap());
    assert_eq!(kept, None);
    // A customer is still described.
    let c = ok_json(&s, &["analytics", "customer", "1", "--json"]);
    assert_eq!(c["customer_id"], 1);
    assert!(
        refused(&s, &["analytics", "customer", "999999"]).contains("999999"),
        "an unknown customer is named"
    );
}

/// Before any fit there is no model: a customer who has bought is described without model
/// figures ("not fitted yet"), never as a customer without purchases.
#[test]
fn before_any_fit_a_buyer_has_no_model_figures() {
    let s = shop(20);
    let buyer = with_store(&s.db_url(), async |st| {
        for c in every_customer(&st).await {
            if st.behaviour(c.id, None).await.unwrap().paid_orders > 0 {
                return c.id;
            }
        }
        panic!("no buyer")
    });
    let c = ok_json(&s, &["analytics", "customer", &buyer.to_string(), "--json"]);
    assert!(c["paid_orders"].as_i64().unwrap() > 0);
    assert_eq!(c["model"], Value::Null, "{c}");
    let text = ok(&s, &["analytics", "customer", &buyer.to_string()]);
    assert!(
        text.contains("model            not fitted yet (patron analytics fit)"),
        "{text}"
    );
}

#[test]
fn events_import_all_or_nothing_once_and_feed_the_open_rate() {
    let s = shop(20);
    let url = s.db_url();
    let (id, email, logged) = with_store(&url, async |st| {
        let c = st.customer(3).await.unwrap();
        let logged = st
            .emails(c.id, 10_000)
            .await
            .unwrap()
            .iter()
            .filter(|e| matches!(e.status, EmailStatus::Sent | EmailStatus::Delivered))
            .count() as i64;
        (c.id, c.email, logged)
    });
    let header = "email,kind,occurred_at,detail\n";
    let good = format!(
        "{header}{email},email_sent,2026-11-01T10:00:00Z,newsletter\n\
         {email},email_sent,2026-11-08T10:00:00Z,newsletter\n\
         {},email_opened,2026-11-08T12:00:00Z,newsletter\n",
        email.to_uppercase()
    );
    // An unknown email on line 4: nothing is imported, and the line is named.
    let unknown = format!("{good}nobody@example.com,site_visit,2026-11-02T10:00:00Z,\n");
    let f = s.write("unknown.csv", unknown.as_bytes());
    assert_eq!(
        refused(&s, &["import", "events", path_str(&f)]),
        "error: invalid: line 5: no customer with email \"nobody@example.com\"; nothing was \
         imported"
    );
    // A bad kind on line 3: refused before anything is written.
    let bad = format!(
        "{header}{email},email_sent,2026-11-01T10:00:00Z,\n{email},teleported,2026-11-01,\n"
    );
    let f = s.write("bad.csv", bad.as_bytes());
    let out = run(&s, &["import", "events", path_str(&f)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.lines().next().unwrap().starts_with("line 3: "), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let c = ok_json(&s, &["analytics", "customer", &id.to_string(), "--json"]);
    assert_eq!(c["engagement"]["data_imported"], false, "{c}");
    assert_eq!(c["engagement"]["open_rate"], Value::Null);

    let f = s.write("events.csv", good.as_bytes());
    assert_eq!(
        ok(&s, &["import", "events", path_str(&f)]),
        "events: 3 rows — 3 inserted, 0 updated, 0 unchanged\n"
    );
    assert_eq!(
        ok(&s, &["import", "events", path_str(&f)]),
        "events: 3 rows — 0 inserted, 0 updated, 3 unchanged\n"
    );
    let c = ok_json(&s, &["analytics", "customer", &id.to_string(), "--json"]);
    let e = &c["engagement"];
    assert_eq!(e["data_imported"], true, "{c}");
    assert_eq!(e["emails_sent"], logged + 2, "{c}");
    let rate = (1.0 / (logged + 2) as f64).min(1.0);
    assert!((num(&e["open_rate"]) - rate).abs() < 1e-12, "{c}");
    assert_eq!(e["click_through_rate"], 0.0, "{c}");
    assert_eq!(e["abandoned_carts"], 0, "{c}");
    let text = ok(&s, &["analytics", "customer", &id.to_string()]);
    assert!(
        text.contains(&format!("engagement       opens {:.0}%", rate * 100.0)),
        "{text}"
    );
    // Another customer: data exists for the shop, so their figures are zero, not absent.
    let other = ok_json(&s, &["analytics", "customer", "4", "--json"]);
    assert_eq!(other["engagement"]["data_imported"], true);
    assert_eq!(other["engagement"]["abandoned_carts"], 0);
}

#[test]
fn a_group_rule_adds_the_customers_it_selects_at_the_next_fit() {
    let s = shop(600);
    let url = s.db_url();
    let frequent: HashSet<i64> = with_store(&url, async |st| {
        every_customer(&st)
            .await
            .into_iter()
            .filter(|c| c.status != CustomerStatus::Anonymized && c.stats.order_count >= 3)
            .map(|c| c.id)
            .collect()
    });
    assert!(frequent.len() > 20, "{}", frequent.len());
    ok(&s, &["groups", "add", "Frequent"]);
    assert_eq!(
        refused(
            &s,
            &[
                "--as",
                "bob",
                "groups",
                "rule",
                "Frequent",
                "--min-orders",
                "3"
            ]
        ),
        "error: not allowed: agents cannot manage groups and memberships (admins can)"
    );
    assert_eq!(
        ok(&s, &["groups", "rule", "Frequent", "--min-orders", "3"]),
        "group \"Frequent\": rule set (orders >= 3); applied at the next `patron analytics fit`\n"
    );
    let text = ok(&s, &["analytics", "fit"]);
    let line = format!(
        "group Frequent: {} added, 0 removed by its rule",
        frequent.len()
    );
    assert!(text.lines().any(|l| l == line), "{line:?} in {text}");
    let members = |s: &Sandbox| -> i64 {
        let groups = ok_json(s, &["groups", "list", "--json"]);
        groups
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == "Frequent")
            .unwrap()["members"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(members(&s), frequent.len() as i64);
    let text = ok(&s, &["analytics", "fit"]);
    assert!(
        text.lines()
            .any(|l| l == "group Frequent: 0 added, 0 removed by its rule"),
        "{text}"
    );
    // Cleared: no rule runs, the members stay.
    assert_eq!(
        ok(&s, &["groups", "rule", "Frequent", "--clear"]),
        "group \"Frequent\": rule removed; its members stay as hand-made members\n"
    );
    let text = ok(&s, &["analytics", "fit"]);
    assert!(!text.contains("group Frequent"), "{text}");
    assert_eq!(members(&s), frequent.len() as i64);
    // Every condition at once, as typed: money in major units, any case, dashes for spaces.
    assert_eq!(
        ok(
            &s,
            &[
                "groups",
                "rule",
                "frequent",
                "--min-spent",
                "499.99",
                "--country",
                " de ",
                "--segment",
                "cant-lose-them",
                "--churn-risk",
                "HIGH",
            ]
        ),
        "group \"Frequent\": rule set (spent >= 499.99, segment Can't lose them, churn risk high, \
         country DE); applied at the next `patron analytics fit`\n"
    );
    let rules = with_store(&url, async |st| st.group_rules().await.unwrap());
    assert_eq!(
        rules,
        vec![(
            "Frequent".to_string(),
            patron::store::analytics::GroupRule {
                min_orders: None,
                min_spent: Some(49_999),
                segment: Some(SegmentKey::CantLoseThem),
                churn: Some(ChurnRisk::High),
                country: Some("DE".into()),
            }
        )]
    );
    let out = run(&s, &["groups", "rule", "Frequent", "--churn-risk", "none"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&s, &["groups", "rule", "Frequent"]);
    assert_eq!(out.status.code(), Some(1), "an empty rule is refused");
    assert!(
        stderr(&out).contains("give at least one condition"),
        "{}",
        stderr(&out)
    );
}

/// Stored text reaches the terminal inert: escape sequences and bidi controls in product,
/// category, brand and group names are shown as ⟨U+XXXX⟩, never written raw.
#[test]
fn hostile_names_are_inert_in_analytics_output() {
    let s = shop(600);
    let url = s.db_url();
    let evil = "Mug\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}gnp.exe";
    with_store(&url, async |st| {
        let c = st.customer(5).await.unwrap();
        let alice = st.staff_by_username("alice").await.unwrap();
        let product = Product {
            id: 900_001,
            sku: "EVIL-1".into(),
            name: evil.into(),
            category: "cat\u{1b}[31m".into(),
            brand: "\u{2066}brand".into(),
            kind: ProductKind::Physical,
            price: 100_000,
            currency: "USD".into(),
        };
        let mut o = order(900_001, &c, 100_000);
        o.customer_id = Some(c.id);
        // Straight into the store: the console's own edits refuse such names.
        let group = Group {
            id: 900_001,
            name: "VIP\u{1b}[5m\u{202e}".into(),
            kind: GroupKind::Vip,
            active: true,
            discount_bps: 0,
            description: String::new(),
            members: 0,
        };
        let batch = patron::store::SeedBatch {
            groups: vec![group.clone()],
            products: vec![product.clone()],
            orders: vec![o],
            items: vec![patron::store::seed_rows::SeedOrderItem {
                order_id: 900_001,
                product_id: product.id,
                item: OrderItem {
                    id: 900_001,
                    sku: product.sku.clone(),
                    name: product.name.clone(),
                    kind: product.kind,
                    quantity: 100,
                    unit_price: 1000,
                    total: 100_000,
                },
            }],
            ..Default::default()
        };
        st.insert_seed(&batch).await.unwrap();
        let rule = patron::store::analytics::GroupRule {
            min_orders: Some(3),
            ..Default::default()
        };
        st.set_group_rule(alice.id, &group.name, Some(&rule))
            .await
            .unwrap();
    });
    let inert = |what: &str, text: &str| {
        for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'] {
            assert!(!text.contains(bad), "{what}: raw {bad:?} in {text:?}");
        }
    };
    let out = run(&s, &["analytics", "fit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    inert("fit", &stdout(&out));
    assert!(
        stdout(&out).contains("group VIP⟨U+001B⟩[5m⟨U+202E⟩: "),
        "{}",
        stdout(&out)
    );
    let text = ok(&s, &["analytics", "customer", "5"]);
    inert("customer", &text);
    assert!(
        text.contains("products Mug⟨U+001B⟩[2J⟨U+001B⟩]0;owned⟨U+0007⟩⟨U+202E⟩gnp.exe"),
        "{text}"
    );
    assert!(text.contains("cat⟨U+001B⟩[31m"), "{text}");
    assert!(text.contains("⟨U+2066⟩brand"), "{text}");
    let json = ok(&s, &["analytics", "customer", "5", "--json"]);
    inert("customer --json", &json);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["favourites"]["products_by_quantity"][0]["name"], evil,
        "JSON keeps the exact text"
    );
    inert("groups list", &ok(&s, &["groups", "list"]));
}

fn order(id: i64, c: &Customer, total: i64) -> Order {
    Order {
        id,
        number: format!("EVIL-{id}"),
        customer_id: Some(c.id),
        email: c.email.clone(),
        placed_at: chrono::Utc::now() - chrono::Duration::days(3),
        status: OrderStatus::Completed,
        payment_status: PaymentStatus::Paid,
        fulfillment_status: FulfillmentStatus::Fulfilled,
        payment_method: "card".into(),
        currency: "USD".into(),
        subtotal: total,
        shipping: 0,
        tax: 0,
        discount: 0,
        total,
        shipping_address: String::new(),
        billing_address: String::new(),
    }
}

/// The same fit and segments on PostgreSQL, in a schema of its own.
#[test]
fn fit_and_segments_on_postgres() {
    let Some(pg) = common::pg_url() else {
        return;
    };
    let s = Sandbox::new();
    let schema = format!("patron_cli_analytics_{}", std::process::id());
    let sep = if pg.contains('?') { '&' } else { '?' };
    let url = format!("{pg}{sep}options%5Bsearch_path%5D={schema}");
    let admin = |sql: String| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let pool = sqlx::PgPool::connect(&pg).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        });
    };
    admin(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ));
    let seeded = anonymous(&s, &url, &["seed", "--customers", "600"])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    log_in_as(&url, "alice");
    let result = std::panic::catch_unwind(|| {
        let fit = fit_and_segments(&s, &url, 600);
        let back = json_at(
            &s,
            &url,
            &["analytics", "fit", "--until", "2025-06-30", "--json"],
        );
        assert_eq!(back["until"], "2025-06-30");
        let seg = json_at(&s, &url, &["analytics", "segments", "--json"]);
        assert_eq!(
            seg["fitted_at"], fit["fitted_at"],
            "the back-test kept nothing"
        );
    });
    admin(format!("DROP SCHEMA {schema} CASCADE"));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// `customer --until` refits as of that day for the answer and keeps nothing; `fit
/// --horizon-days` keeps that horizon; an order import refits a kept model so the scores
/// follow the orders.
#[test]
fn back_tests_keep_nothing_and_order_imports_refit_the_kept_model() {
    let s = shop(600);
    let url = s.db_url();
    let fit = ok_json(&s, &["analytics", "fit", "--horizon-days", "90", "--json"]);
    assert_eq!(fit["horizon_days"], 90);
    // As `--until 2025-06-30` reads: that day's last second.
    let until = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 6, 30, 23, 59, 59).unwrap();
    let (id, behaviour) = with_store(&url, async |st| {
        for c in every_customer(&st).await {
            let b = st.behaviour(c.id, Some(until)).await.unwrap();
            let all = st.behaviour(c.id, None).await.unwrap();
            if b.paid_orders >= 2 && all.orders > b.orders {
                return (c.id, b);
            }
        }
        panic!("no customer bought both before and after mid-2025")
    });
    let kept = with_store(&url, async |st| st.current_fit().await.unwrap().unwrap());
    let c = ok_json(
        &s,
        &[
            "analytics",
            "customer",
            &id.to_string(),
            "--until",
            "2025-06-30",
            "--json",
        ],
    );
    assert_eq!(c["as_of"], "2025-06-30", "{c}");
    assert_eq!(c["orders"], behaviour.orders, "{c}");
    assert_eq!(c["paid_orders"], behaviour.paid_orders);
    assert_eq!(c["spent"], behaviour.spent);
    assert_eq!(c["model"]["model_until"], "2025-06-30", "{c}");
    assert_eq!(
        c["model"]["horizon_days"], 365,
        "the back-test's own horizon"
    );
    assert!((0.0..=1.0).contains(&num(&c["model"]["p_alive"])), "{c}");
    let after = with_store(&url, async |st| st.current_fit().await.unwrap().unwrap());
    assert_eq!(after, kept, "customer --until replaced the kept model");

    // An order import for someone new: a guest customer, scored by the refit that follows.
    let orders = "number,email,placed_at,currency,total\n\
        FRESH-1,fresh.buyer@example.com,2026-10-01T10:00:00Z,USD,120.00\n\
        FRESH-2,fresh.buyer@example.com,2026-11-01T10:00:00Z,USD,80.00\n";
    let f = s.write("orders.csv", orders.as_bytes());
    let out = run(&s, &["import", "orders", path_str(&f)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let refreshed = format!(
        "customer scores refreshed: {} customers",
        fit["customers"].as_i64().unwrap() + 1
    );
    assert!(
        stderr(&out).lines().any(|l| l == refreshed),
        "{refreshed:?} in {}",
        stderr(&out)
    );
    let c = ok_json(
        &s,
        &["analytics", "customer", "fresh.buyer@example.com", "--json"],
    );
    assert_eq!(
        (c["orders"].clone(), c["spent"].clone()),
        (2.into(), 20_000.into()),
        "{c}"
    );
    assert!((0.0..=1.0).contains(&num(&c["model"]["p_alive"])), "{c}");
    let fits = with_store(&url, async |st| {
        st.audit_log(&patron::store::edit::AuditFilter {
            action_prefix: Some("analytics.fit".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
    });
    assert_eq!(fits, 2, "the kept fit and the import's refit");
}
