//! `patron gdpr` through the real binary: the request queue, the access export (its JSON read
//! back and compared with the store, its page checked against a hostile name) and erasure.

mod common;

use common::cli::*;

/// Seeded shop: staff alice (admin, this OS user), bob and carol (agents).
fn shop() -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "60"]);
    log_in_as(&s.db_url(), "alice");
    s
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A name no validated edit lets in: markup, an ESC sequence and a bidi override, as an import
/// from elsewhere or an old row might hold it.
const HOSTILE_FIRST: &str = "<script>alert(1)</script>";
const HOSTILE_LAST: &str = "Evil\u{1b}[31mRed\u{202E}txt";

#[test]
fn the_export_is_complete_json_and_an_inert_page() {
    let s = shop();
    let url = s.db_url();
    block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query("UPDATE customers SET first_name = $1, last_name = $2 WHERE id = 7")
            .bind(HOSTILE_FIRST)
            .bind(HOSTILE_LAST)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let out = s.path("export");
    let dir = path_str(&out);
    assert_eq!(
        refused(&s, &["--as", "bob", "gdpr", "export", "7", "--out", dir]),
        "error: not allowed: agents cannot handle privacy requests and erase a customer's personal \
         data (admins can)"
    );
    let line = ok(&s, &["gdpr", "export", "7", "--out", dir]);
    assert!(line.starts_with("customer #7: "), "{line}");
    let text = std::fs::read_to_string(out.join("customer-7.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (c, orders, emails, notes, txs, audit) = block_on(async {
        let st = patron::store::open(&url).await.unwrap();
        let c = st.customer(7).await.unwrap();
        let emails = st.emails(7, 100_000).await.unwrap();
        let notes = st.notes(7).await.unwrap();
        let txs = st.transactions(7, 100_000).await.unwrap();
        let audit = st.audit_for_customer(7, 100_000).await.unwrap();
        let q = patron::store::query::OrderQuery {
            limit: 100_000,
            ..Default::default()
        };
        let orders = st.orders(7, &q).await.unwrap();
        (c, orders, emails, notes, txs, audit)
    });
    assert_eq!(
        v["customer"]["first_name"], HOSTILE_FIRST,
        "the JSON is exact"
    );
    assert_eq!(v["customer"]["last_name"], HOSTILE_LAST);
    assert_eq!(v["customer"]["email"], c.email.as_str());
    let len = |k: &str| v[k].as_array().unwrap().len();
    assert_eq!(len("orders"), orders.len());
    assert_eq!(len("orders") as i64, c.stats.order_count);
    assert_eq!(len("emails"), emails.len());
    assert_eq!(len("notes"), notes.len());
    assert_eq!(len("transactions"), txs.len());
    // The export's own entry is written after it was read.
    assert_eq!(len("audit") + 1, audit.len());
    assert_eq!(audit[0].action, "privacy.export");
    for (i, e) in emails.iter().enumerate() {
        assert_eq!(v["emails"][i]["body"], e.body.as_str());
    }
    let items: usize = v["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["items"].as_array().unwrap().len())
        .sum();
    assert!(items >= orders.len(), "every seeded order has items");

    let page = std::fs::read_to_string(out.join("customer-7.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script"), "markup is inert");
    assert!(
        !page.contains('\u{1b}') && !page.contains('\u{202E}'),
        "{page}"
    );
    assert!(page.contains("Evil⟨U+001B⟩[31mRed⟨U+202E⟩txt"), "{page}");
    assert!(page.contains(&c.email));
}

#[test]
fn erase_says_what_it_would_do_then_does_it_once() {
    let s = shop();
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "show", "9", "--json"])).unwrap();
    let email = shown["customer"]["email"].as_str().unwrap().to_string();
    let last = shown["customer"]["last_name"].as_str().unwrap().to_string();

    let out = run_anonymous(&s, &["gdpr", "erase", &email, "--reason", "request #1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("would erase customer #9 "),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        stderr(&out).trim_end(),
        "error: not erased: add --yes to erase customer #9 (this cannot be undone)"
    );
    let again: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "show", "9", "--json"])).unwrap();
    assert_eq!(again["customer"]["email"], email.as_str(), "nothing erased");

    let err = refused(
        &s,
        &[
            "--as", "bob", "gdpr", "erase", "9", "--reason", "x", "--yes",
        ],
    );
    assert!(err.contains("agents cannot"), "{err}");
    let line = ok(
        &s,
        &["gdpr", "erase", &email, "--reason", "request #1", "--yes"],
    );
    assert!(
        line.starts_with("customer #9 erased: now erased-9@invalid (anonymized)"),
        "{line}"
    );
    let after: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "show", "9", "--json"])).unwrap();
    assert_eq!(after["customer"]["status"], "anonymized");
    assert_eq!(after["customer"]["last_name"], "");
    assert_eq!(
        after["customer"]["stats"]["order_count"],
        shown["customer"]["stats"]["order_count"]
    );
    assert!(after["addresses"].as_array().unwrap().is_empty());
    assert!(ok(&s, &["stats"]).contains("customers with stale stats: 0"));
    let found: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "search", &email, "--json"])).unwrap();
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["customer"]["id"] != 9),
        "{found}"
    );
    let by_name: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "search", &last, "--json"])).unwrap();
    assert!(
        by_name["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["customer"]["id"] != 9)
    );
    let err = refused(&s, &["gdpr", "erase", "9", "--reason", "again", "--yes"]);
    assert_eq!(
        err,
        "error: invalid: customer #9 is already anonymized; there is nothing left to erase"
    );
}

#[test]
fn requests_are_logged_extended_and_closed_from_the_cli() {
    let s = shop();
    let line = ok(
        &s,
        &[
            "--as",
            "bob",
            "gdpr",
            "request",
            "log",
            "--kind",
            "access",
            "--customer",
            "8",
            "--received",
            "2025-01-31",
        ],
    );
    assert!(
        line.starts_with("#1     access        pending     due 2025-02-28 OVERDUE  customer #8"),
        "{line}"
    );
    // Either the customer or who asked, as clap refuses a usage error (exit 2).
    let both = [
        "gdpr",
        "request",
        "log",
        "--kind",
        "access",
        "--subject",
        "x",
        "--customer",
        "8",
    ];
    let out = run_anonymous(&s, &both);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    let late: serde_json::Value =
        serde_json::from_str(&ok(&s, &["gdpr", "requests", "--overdue", "--json"])).unwrap();
    assert_eq!(late.as_array().unwrap().len(), 1);
    assert_eq!(late[0]["due_at"], "2025-02-28T00:00:00Z");

    let err = refused(
        &s,
        &[
            "--as", "bob", "gdpr", "request", "extend", "1", "--reason", "big",
        ],
    );
    assert!(err.contains("agents cannot"), "{err}");
    let line = ok(&s, &["gdpr", "request", "extend", "1", "--reason", "big"]);
    assert!(line.contains("due 2025-04-28 (extended)"), "{line}");
    let err = refused(
        &s,
        &[
            "gdpr",
            "request",
            "set",
            "1",
            "--status",
            "in_progress",
            "--expect-version",
            "1",
        ],
    );
    assert!(
        err.contains("changed by someone else (now version 2"),
        "{err}"
    );
    ok(
        &s,
        &["gdpr", "request", "set", "1", "--status", "in_progress"],
    );
    let line = ok(
        &s,
        &[
            "gdpr",
            "request",
            "set",
            "1",
            "--status",
            "completed",
            "--note",
            "sent",
        ],
    );
    assert!(
        line.contains("completed") && line.contains("handled by alice"),
        "{line}"
    );
    let done: serde_json::Value = serde_json::from_str(&ok(
        &s,
        &["gdpr", "requests", "--status", "completed", "--json"],
    ))
    .unwrap();
    assert_eq!(done[0]["note"], "sent");
    assert!(ok(&s, &["gdpr", "requests"]).contains("1 request(s) listed, 0 overdue"));
}
