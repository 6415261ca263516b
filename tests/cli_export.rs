//! `patron export` through the real binary: each format parsed back and compared with the store
//! (hostile and international names included), filters equal to the store's count, orders, the
//! admin-only permission, the audit entry, and no file left behind by a refusal.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::cli::*;
use patron::store::DynStore;
use patron::store::edit::AuditFilter;
use patron::store::model::Customer;
use patron::store::query::{Cursor, CustomerFilter, ListQuery, PageFrom, SortColumn};

const HOSTILE: [(i64, &str, &str); 4] = [
    (3, "=HYPERLINK(\"http://evil\",\"x\")", "Zoë"),
    (4, "\x1b[31mRed\x1b[0m", "Ñandú"),
    (5, "\u{202e}evil", "山田"),
    (6, "-2+3", "O'Brien \"Junior\""),
];

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A seeded shop of 60 with four hostile names and a phone with a leading zero written straight
/// into the rows (the console's own edit refuses control characters).
fn shop() -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "60"]);
    log_in_as(&s.db_url(), "alice");
    rt().block_on(async {
        let pool = sqlx::SqlitePool::connect(&s.db_url()).await.unwrap();
        for (id, first, last) in HOSTILE {
            sqlx::query("UPDATE customers SET first_name = $1, last_name = $2, phone = '0049 30 1234' WHERE id = $3")
                .bind(first)
                .bind(last)
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();
        }
    });
    s
}

/// Every customer the filter selects, in `sort` order, paged as the list pages.
async fn everyone(store: &DynStore, filter: &CustomerFilter, sort: SortColumn) -> Vec<Customer> {
    let mut out = Vec::new();
    let mut from = PageFrom::Start;
    loop {
        let page = store
            .list_customers(&ListQuery {
                filter: filter.clone(),
                sort,
                descending: false,
                from,
                limit: 500,
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        from = PageFrom::After(Cursor::of(sort, last));
        out.extend(page);
    }
    out
}

fn money(minor: i64) -> String {
    patron_domain::money::plain_amount(minor, "USD")
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

const FIELDS: &str = "id,first_name,last_name,email,phone,order_count,total_spent,created_at";

#[test]
fn each_format_reads_back_as_the_store_holds_it() {
    let s = shop();
    let store = rt().block_on(patron::store::open(&s.db_url())).unwrap();
    // Without --sort an export is in customer-number order.
    let want = rt().block_on(everyone(&store, &CustomerFilter::default(), SortColumn::Id));
    assert_eq!(want.len(), 60);

    // CSV: RFC 4180, raw values, terminal controls shown as code points.
    let out = s.path("c.csv");
    let line = ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "csv",
            "--out",
            path_str(&out),
            "--fields",
            FIELDS,
        ],
    );
    assert!(line.starts_with("exported 60 rows ("), "{line}");
    assert!(line.contains(&format!("to {}", out.display())), "{line}");
    let mut r = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>().join(","),
        FIELDS
    );
    let got: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let shown = |t: &str| patron_domain::sanitize::display(t).into_owned();
    let expect: Vec<Vec<String>> = want
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                shown(&c.first_name),
                shown(&c.last_name),
                c.email.clone(),
                c.phone.clone(),
                c.stats.order_count.to_string(),
                money(c.stats.total_spent),
                rfc3339(c.created_at),
            ]
        })
        .collect();
    assert_eq!(got, expect);
    let raw = std::fs::read_to_string(&out).unwrap();
    assert!(!raw.contains('\x1b') && !raw.contains('\u{202e}'));

    // JSON Lines: exact values, one object per line.
    let out = s.path("c.jsonl");
    ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "jsonl",
            "--out",
            path_str(&out),
            "--fields",
            FIELDS,
        ],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains('\x1b'), "raw ESC in JSON");
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), want.len());
    for (row, c) in rows.iter().zip(&want) {
        assert_eq!(row["id"], c.id);
        assert_eq!(row["first_name"], c.first_name.as_str());
        assert_eq!(row["last_name"], c.last_name.as_str());
        assert_eq!(row["total_spent"]["amount"], money(c.stats.total_spent));
        assert_eq!(row["total_spent"]["currency"], c.stats.currency.as_str());
    }

    // XLSX: typed cells; formulas stay text, leading zeros stay.
    let out = s.path("c.xlsx");
    ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "xlsx",
            "--out",
            path_str(&out),
            "--fields",
            FIELDS,
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.height(), want.len() + 1);
    for (i, c) in want.iter().enumerate() {
        let r = (i + 1) as u32;
        assert_eq!(range.get_value((r, 0)), Some(&Data::Float(c.id as f64)));
        // An empty string is an empty cell to a spreadsheet.
        let cell = |t: &str| match shown(t) {
            n if n.is_empty() => Data::Empty,
            n => Data::String(n),
        };
        assert_eq!(range.get_value((r, 1)), Some(&cell(&c.first_name)));
        assert_eq!(range.get_value((r, 4)), Some(&cell(&c.phone)));
    }
    let formulas = wb.worksheet_formula(&sheet).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "a cell became a formula"
    );

    // csv-excel: BOM, formula-looking cells neutralised, numeric codes kept as text.
    let out = s.path("e.csv");
    ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "csv-excel",
            "--out",
            path_str(&out),
            "--fields",
            FIELDS,
        ],
    );
    let raw = std::fs::read(&out).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(raw[3..].to_vec()).unwrap();
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(text.contains("'-2+3"), "{text}");
    assert!(text.contains("\"=\"\"0049 30 1234\"\"\""), "{text}");

    // HTML: one escaped page.
    let out = s.path("c.html");
    ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "html",
            "--out",
            path_str(&out),
            "--fields",
            FIELDS,
        ],
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("O&#39;Brien &quot;Junior&quot;")
            || html.contains("O&#x27;Brien &quot;Junior&quot;"),
        "{html}"
    );
    assert_eq!(html.matches("<tr").count(), want.len() + 1);
    assert!(!html.contains('\x1b'));
}

#[test]
fn filters_select_what_the_store_selects_and_orders_follow_their_customers() {
    let s = shop();
    let store = rt().block_on(patron::store::open(&s.db_url())).unwrap();
    let filter = CustomerFilter {
        min_orders: Some(2),
        account: patron::store::query::AccountFilter::Registered,
        ..CustomerFilter::default()
    };
    let want = rt().block_on(everyone(&store, &filter, SortColumn::Id));
    assert!(!want.is_empty() && want.len() < 60, "{}", want.len());
    let out = s.path("f.jsonl");
    ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "jsonl",
            "--out",
            path_str(&out),
            "--min-orders",
            "2",
            "--has-account",
            "yes",
            "--fields",
            "id",
        ],
    );
    let ids = jsonl_ids(&out);
    assert_eq!(ids, want.iter().map(|c| c.id).collect::<Vec<_>>());

    // A saved view gives the same rows as its flags.
    ok(
        &s,
        &[
            "views",
            "save",
            "regulars",
            "--min-orders",
            "2",
            "--has-account",
            "yes",
        ],
    );
    let out = s.path("v.jsonl");
    ok(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "jsonl",
            "--out",
            path_str(&out),
            "--view",
            "regulars",
            "--fields",
            "id",
        ],
    );
    // The view was saved without --sort, so it has the list's name order.
    let by_name: Vec<i64> = rt()
        .block_on(everyone(&store, &filter, SortColumn::Name))
        .iter()
        .map(|c| c.id)
        .collect();
    assert_ne!(by_name, ids, "the fixture tells the two orders apart");
    let by_view = jsonl_ids(&out);
    assert_eq!(by_view, by_name);

    // Orders of the same customers: as many rows as their order counts add up to.
    let out = s.path("o.csv");
    let line = ok(
        &s,
        &[
            "export",
            "orders",
            "--format",
            "csv",
            "--out",
            path_str(&out),
            "--min-orders",
            "2",
            "--has-account",
            "yes",
        ],
    );
    let orders: i64 = want.iter().map(|c| c.stats.order_count).sum();
    assert!(
        line.starts_with(&format!("exported {orders} rows")),
        "{line}"
    );
    let mut r = csv::Reader::from_path(&out).unwrap();
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "customer_id")
        .unwrap();
    let owners: std::collections::BTreeSet<i64> = r
        .records()
        .map(|x| x.unwrap()[col].parse().unwrap())
        .collect();
    let expect: std::collections::BTreeSet<i64> = want.iter().map(|c| c.id).collect();
    assert_eq!(owners, expect);

    // Audited with format, fields, filter and rows; no personal data.
    let a = rt()
        .block_on(store.audit_log(&AuditFilter {
            action_prefix: Some("export.".into()),
            limit: 10,
            ..AuditFilter::default()
        }))
        .unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0].action, "export.orders");
    assert_eq!(a[2].details["format"], "jsonl");
    assert_eq!(a[2].details["fields"], serde_json::json!(["id"]));
    assert_eq!(a[2].details["rows"], want.len());
    assert_eq!(a[2].details["filter"], "with account, 2+ orders");
    assert_eq!(a[2].details["outcome"], "completed");
}

#[test]
fn agents_may_not_export_and_bad_requests_leave_no_file() {
    let s = shop();
    let out = s.path("x.csv");
    let o = path_str(&out);
    assert_eq!(
        refused(
            &s,
            &[
                "--as",
                "bob",
                "export",
                "customers",
                "--format",
                "csv",
                "--out",
                o
            ]
        ),
        "error: not allowed: agents cannot export data (admins can)"
    );
    assert_eq!(
        refused(&s, &["export", "customers", "--format", "xls", "--out", o]),
        "error: --format \"xls\": use csv, csv-excel, json, jsonl, xlsx or html"
    );
    let err = refused(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "csv",
            "--out",
            o,
            "--fields",
            "id,shoe_size",
        ],
    );
    assert!(
        err.starts_with("error: --fields: unknown field \"shoe_size\"; the fields are: id, email,"),
        "{err}"
    );
    let err = refused(
        &s,
        &[
            "export",
            "customers",
            "--format",
            "csv",
            "--out",
            "/nonexistent/dir/x.csv",
        ],
    );
    assert_eq!(err, "error: /nonexistent/dir: no such directory");
    let left: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("x.csv"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The `id` of every line of a JSON-lines export, in file order.
fn jsonl_ids(path: &std::path::Path) -> Vec<i64> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

/// A search's results are exported in the search's order, page by page, a customer gone since
/// the search counted but not written (the console's Export over a search; `ExportSpec::ids`).
#[test]
fn a_searchs_ids_export_in_their_order_and_skip_the_missing() {
    let s = shop();
    rt().block_on(async {
        let store = patron::store::open(&s.db_url()).await.unwrap();
        let admin = store
            .list_staff()
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.active && m.role == patron::store::model::StaffRole::Admin)
            .unwrap();
        let out = s.path("search.jsonl");
        let spec = patron::export::ExportSpec {
            what: patron::export::What::Customers,
            format: patron_export::Format::Jsonl,
            out: out.clone(),
            fields: Some("id".into()),
            filter: CustomerFilter::default(),
            sort: SortColumn::Name,
            descending: false,
            page: 2,
            ids: Some(vec![9, 3, 999_999, 41, 1]),
            throttle: None,
        };
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |p: patron::export::Progress| seen.lock().unwrap().push(p.customers_done);
        let summary = patron::export::run(&store, admin.id, &spec, &progress, &|| false)
            .await
            .unwrap();
        assert_eq!(summary.rows, 4);
        assert_eq!(jsonl_ids(&out), vec![9, 3, 41, 1]);
        assert_eq!(*seen.lock().unwrap(), vec![2, 4, 5]);
    });
}
