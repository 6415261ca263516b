//! Customer-value contract (issue 12): the purchase scan, keeping a fit and every customer's
//! scores, list filters and sorts by score, rule-based groups, the engagement events import and
//! one customer's purchase behaviour. Every test runs on SQLite always and on PostgreSQL when
//! PATRON_TEST_POSTGRES_URL is set, and compares exact stored values with what the test computes
//! on its own from the rows it inserted.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::*;
use patron::analytics::insights::Insights;
use patron::analytics::run;
use patron::config::AnalyticsConfig;
use patron::seed::Generator;
use patron::store::analytics::*;
use patron::store::edit::{AuditFilter, NewCustomer, NewGroup};
use patron::store::model::*;
use patron::store::query::*;
use patron::store::seed_rows::{SeedOrderItem, SeedTransaction};
use patron::store::{DynStore, SeedBatch, StoreError, no_progress};
use patron_clv::score::{self, Summary};

const SECS_PER_DAY: i64 = 86_400;

fn day(t: DateTime<Utc>) -> i32 {
    t.timestamp().div_euclid(SECS_PER_DAY) as i32
}

/// Midnight (UTC) of today, as `patron seed` dates its demo data: the win-back filter compares
/// with the clock, so the data has to be recent.
fn today() -> DateTime<Utc> {
    Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

/// Demo data as `patron seed` generates it, in batches, plus every row flattened for the
/// independent computations below.
struct Demo {
    now: DateTime<Utc>,
    batches: Vec<SeedBatch>,
    customers: Vec<Customer>,
    orders: Vec<Order>,
    transactions: Vec<SeedTransaction>,
}

fn demo(customers: u64, now: DateTime<Utc>) -> Demo {
    let mut g = Generator::new(7, customers, now);
    let mut batches = vec![g.base()];
    loop {
        let b = g.next_batch(250);
        if b.customers.is_empty() {
            break;
        }
        batches.push(b);
    }
    Demo::of(now, batches)
}

impl Demo {
    fn of(now: DateTime<Utc>, batches: Vec<SeedBatch>) -> Demo {
        let customers = batches.iter().flat_map(|b| b.customers.clone()).collect();
        let orders = batches.iter().flat_map(|b| b.orders.clone()).collect();
        let transactions = batches
            .iter()
            .flat_map(|b| b.transactions.clone())
            .collect();
        Demo {
            now,
            batches,
            customers,
            orders,
            transactions,
        }
    }

    async fn insert(&self, st: &DynStore) {
        for b in &self.batches {
            st.insert_seed(b).await.unwrap();
        }
    }

    fn order_count(&self, id: i64) -> i64 {
        self.customers
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .stats
            .order_count
    }
}

/// What the purchase scan must find, folded by hand: orders with a customer, paid or partially
/// refunded, placed up to `until`, each valued at its total less the refund transactions of
/// that order; per customer in id order; months as `YYYY-MM` with revenue, orders and the
/// customers whose first purchase fell in them. Every order here is in USD (currency index 0).
fn expected_scan(
    orders: &[Order],
    transactions: &[SeedTransaction],
    until: DateTime<Utc>,
) -> (Vec<Summary>, Vec<MonthRevenue>) {
    let mut refunds: HashMap<i64, i64> = HashMap::new();
    for t in transactions {
        if let (TransactionKind::Refund, Some(o)) = (t.kind, t.order_id) {
            *refunds.entry(o).or_default() += t.amount;
        }
    }
    let mut per: BTreeMap<i64, Vec<(DateTime<Utc>, i64)>> = BTreeMap::new();
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for o in orders {
        let Some(c) = o.customer_id else { continue };
        if !matches!(
            o.payment_status,
            PaymentStatus::Paid | PaymentStatus::PartiallyRefunded
        ) || o.placed_at > until
        {
            continue;
        }
        assert_eq!(o.currency, "USD", "the fixtures are in USD only");
        let value = o.total - refunds.get(&o.id).copied().unwrap_or(0);
        per.entry(c).or_default().push((o.placed_at, value));
        let m = months
            .entry(o.placed_at.format("%Y-%m").to_string())
            .or_default();
        m.0 += value;
        m.1 += 1;
    }
    let mut summaries = Vec::new();
    let mut new_customers: BTreeMap<String, i64> = BTreeMap::new();
    for (id, mut rows) in per {
        rows.sort_by_key(|r| r.0);
        let days: BTreeSet<i32> = rows.iter().map(|r| day(r.0)).collect();
        let days: Vec<i32> = days.into_iter().collect();
        let first_day = days[0];
        summaries.push(Summary {
            id,
            first_day,
            second_day: days.get(1).copied(),
            last_day: *days.last().unwrap(),
            purchase_days: days.len() as u32,
            orders: rows.len() as u32,
            total: rows.iter().map(|r| r.1).sum(),
            first_value: rows
                .iter()
                .filter(|r| day(r.0) == first_day)
                .map(|r| r.1)
                .sum(),
            currency: 0,
        });
        let first = rows[0].0.format("%Y-%m").to_string();
        *new_customers.entry(first).or_default() += 1;
    }
    let months = months
        .into_iter()
        .map(|(month, (revenue, orders))| MonthRevenue {
            new_customers: new_customers.get(&month).copied().unwrap_or(0),
            month,
            currency: "USD".into(),
            revenue,
            orders,
        })
        .collect();
    (summaries, months)
}

fn settings(until: DateTime<Utc>) -> score::Settings {
    run::settings(until, AnalyticsConfig::default().value(), None)
}

/// The score row of a customer without purchases (USD, as every fixture here).
fn no_orders(id: i64) -> ScoreRow {
    ScoreRow {
        customer_id: id,
        purchases: 0,
        net_spent: 0,
        currency: "USD".into(),
        recency_days: None,
        mean_days_between: None,
        p_alive: None,
        expected_purchases: None,
        expected_spend: None,
        clv: None,
        r: 0,
        f: 0,
        m: 0,
        segment: SegmentKey::NoOrders,
        churn: ChurnRisk::NoOrders,
        churn_reason: String::new(),
    }
}

async fn refresh(st: &DynStore, staff: i64, until: DateTime<Utc>) -> SavedFit {
    run::refresh(st, staff, until, settings(until))
        .await
        .unwrap_or_else(|e| panic!("refresh: {e}"))
        .0
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

async fn audit(st: &DynStore, prefix: &str) -> Vec<AuditEntry> {
    st.audit_log(&AuditFilter {
        action_prefix: Some(prefix.into()),
        limit: 100_000,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Every customer of a list query, page by page (keyset, `limit` rows at a time).
async fn all_pages(st: &DynStore, mut q: ListQuery) -> Vec<Customer> {
    let mut out: Vec<Customer> = Vec::new();
    loop {
        let page = st.list_customers(&q).await.unwrap();
        assert!(page.len() as i64 <= q.limit);
        let Some(last) = page.last() else { break };
        q.from = PageFrom::After(Cursor::of(q.sort, last));
        out.extend(page);
        assert!(out.len() < 100_000, "paging does not end");
    }
    out
}

// --- 1. The purchase scan -------------------------------------------------------------------

#[tokio::test]
async fn purchase_scan_equals_a_fold_of_the_orders_by_hand_and_honours_the_cut_off() {
    let d = demo(600, today());
    for s in stores().await {
        let st = &s.store;
        d.insert(st).await;
        let scan = st.purchase_scan(d.now).await.unwrap();
        let (want, months) = expected_scan(&d.orders, &d.transactions, d.now);
        assert!(want.len() > 300, "the demo data has buyers: {}", want.len());
        assert_eq!(scan.currencies, vec!["USD".to_string()], "{}", s.name);
        assert_eq!(scan.summaries.len(), want.len(), "{}", s.name);
        for (got, want) in scan.summaries.iter().zip(&want) {
            assert_eq!(got, want, "{}: customer {}", s.name, want.id);
        }
        assert_eq!(scan.months, months, "{}", s.name);

        // As if today were 200 days ago: later orders are not seen.
        let cut = d.now - Duration::days(200);
        let early = st.purchase_scan(cut).await.unwrap();
        let (want_early, months_early) = expected_scan(&d.orders, &d.transactions, cut);
        let later: usize = d
            .orders
            .iter()
            .filter(|o| o.customer_id.is_some() && o.placed_at > cut)
            .count();
        assert!(later > 100, "the cut-off hides orders: {later}");
        assert!(want_early.len() < want.len());
        assert_eq!(early.summaries, want_early, "{}", s.name);
        assert_eq!(early.months, months_early, "{}", s.name);
        assert!(
            early
                .months
                .iter()
                .all(|m| m.month <= cut.format("%Y-%m").to_string()),
            "{}",
            s.name
        );
    }
}

/// An order's purchase day is the UTC day it was placed on, whatever the fraction of its
/// second (PostgreSQL keeps microseconds, SQLite whole seconds).
#[tokio::test]
async fn purchase_days_are_the_utc_days_orders_were_placed_on() {
    let late = Utc.with_ymd_and_hms(2024, 3, 1, 23, 59, 59).unwrap() + Duration::milliseconds(900);
    let early = Utc.with_ymd_and_hms(2024, 3, 3, 0, 0, 0).unwrap() + Duration::milliseconds(200);
    for s in stores().await {
        let st = &s.store;
        let c = customer(1, "Ann", "Late", "ann@example.com");
        let orders = vec![
            order(1, "1001", Some(1), &c.email, late, 1000),
            order(2, "1002", Some(1), &c.email, early, 2000),
        ];
        let batch = SeedBatch {
            customers: vec![with_stats(c, &orders)],
            orders,
            ..Default::default()
        };
        st.insert_seed(&batch).await.unwrap();
        let scan = st.purchase_scan(t(2024, 3, 10)).await.unwrap();
        assert_eq!(
            scan.summaries,
            vec![Summary {
                id: 1,
                first_day: day(t(2024, 3, 1)),
                second_day: Some(day(t(2024, 3, 3))),
                last_day: day(t(2024, 3, 3)),
                purchase_days: 2,
                orders: 2,
                total: 3000,
                first_value: 1000,
                currency: 0,
            }],
            "{}",
            s.name
        );
    }
}

// --- 2. Keeping a fit -----------------------------------------------------------------------

#[tokio::test]
async fn refresh_keeps_the_fit_and_a_score_row_for_every_customer() {
    let d = demo(600, today());
    let until = d.now;
    let (want, _) = expected_scan(&d.orders, &d.transactions, until);
    let set = settings(until);
    // The reference: the model crate run on the hand-folded summaries.
    let reference = score::fit(&want, 1, &set).unwrap();
    let ref_scores = score::score(&reference, &want, &set);
    let ref_rows: HashMap<i64, ScoreRow> = patron::analytics::score_rows(
        &PurchaseScan {
            summaries: want.clone(),
            currencies: vec!["USD".into()],
            months: Vec::new(),
        },
        &ref_scores,
    )
    .into_iter()
    .map(|r| (r.customer_id, r))
    .collect();
    let ref_gg = reference.spend[0].as_ref().expect("USD spend is fitted");
    let mut fits: Vec<(&str, FitRecord, Vec<Option<ScoreRow>>)> = Vec::new();
    for s in stores().await {
        let st = &s.store;
        d.insert(st).await;
        assert_eq!(st.current_fit().await.unwrap(), None, "{}", s.name);
        let alice = st.staff_by_username("alice").await.unwrap();
        let saved = refresh(st, alice.id, until).await;
        let fit = &saved.fit;

        assert_eq!(saved.scored, want.len() as i64, "{}", s.name);
        assert_eq!(saved.rules, Vec::<RuleReport>::new());
        assert_eq!(fit.customers, want.len() as i64);
        let repeat = want.iter().filter(|w| w.purchase_days >= 2).count() as i64;
        assert_eq!(fit.repeat_buyers, repeat, "{}", s.name);
        assert_eq!(
            fit.until,
            Utc.from_utc_datetime(&until.date_naive().and_hms_opt(23, 59, 59).unwrap())
        );
        assert_eq!(fit.horizon_days, 365);
        assert_eq!(fit.monthly_discount, 0.01);
        assert_eq!(fit.currency, "USD");
        assert_eq!(fit.staff.as_deref(), Some("alice"));
        assert_eq!(fit.detail["time_unit"], "week");
        let b = &reference.bgnbd;
        let params = [
            b.params.r,
            b.params.alpha,
            b.params.a,
            b.params.b,
            b.log_likelihood,
        ];
        for (got, want) in fit.bgnbd.iter().zip(params) {
            assert!(
                close(*got, want),
                "{}: {:?} vs {params:?}",
                s.name,
                fit.bgnbd
            );
        }
        let gg = fit.gamma_gamma.expect("a spend fit");
        let ref_gg = [
            ref_gg.params.p,
            ref_gg.params.q,
            ref_gg.params.gamma,
            ref_gg.log_likelihood,
        ];
        for (got, want) in gg.iter().zip(ref_gg) {
            assert!(close(*got, want), "{}: {gg:?} vs {ref_gg:?}", s.name);
        }
        // The kept model reads back as it was returned.
        assert_eq!(
            st.current_fit().await.unwrap().as_ref(),
            Some(fit),
            "{}",
            s.name
        );

        // Every customer has a row: the model's for buyers, NoOrders for the others.
        let mut rows = Vec::new();
        let mut by_segment: BTreeMap<&str, i64> = BTreeMap::new();
        let mut by_churn: BTreeMap<&str, i64> = BTreeMap::new();
        for c in &d.customers {
            let row = st
                .customer_score(c.id)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{}: no score row for customer {}", s.name, c.id));
            match ref_rows.get(&c.id) {
                Some(r) => {
                    assert_eq!(&row, r, "{}: customer {}", s.name, c.id);
                    assert!(row.p_alive.is_some_and(|p| (0.0..=1.0).contains(&p)));
                    assert_ne!(row.segment, SegmentKey::NoOrders);
                    assert_ne!(row.churn, ChurnRisk::NoOrders);
                }
                None => assert_eq!(
                    row,
                    no_orders(c.id),
                    "{}: customer {} has no purchase",
                    s.name,
                    c.id
                ),
            }
            *by_segment.entry(row.segment.as_str()).or_default() += 1;
            *by_churn.entry(row.churn.as_str()).or_default() += 1;
            rows.push(Some(row));
        }
        assert!(
            by_segment
                .get(SegmentKey::NoOrders.as_str())
                .copied()
                .unwrap_or(0)
                > 0,
            "the demo data has customers without a purchase"
        );

        // The summary counts what the rows say, and covers every customer.
        let summary = st.segment_summary().await.unwrap();
        let total: i64 = summary.segments.iter().map(|x| x.customers).sum();
        assert_eq!(total, d.customers.len() as i64, "{}", s.name);
        let seg: BTreeMap<&str, i64> = summary
            .segments
            .iter()
            .map(|x| (x.segment.as_str(), x.customers))
            .collect();
        assert_eq!(seg, by_segment, "{}", s.name);
        let ranks: Vec<usize> = summary
            .segments
            .iter()
            .map(|x| {
                SegmentKey::ALL
                    .iter()
                    .position(|k| *k == x.segment)
                    .unwrap()
            })
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        for x in &summary.segments {
            let (spent, clv) = rows
                .iter()
                .flatten()
                .filter(|r| r.segment == x.segment)
                .fold((0, 0), |(s, c), r| {
                    (s + r.net_spent, c + r.clv.unwrap_or(0))
                });
            assert_eq!((x.net_spent, x.clv), (spent, clv), "{}: {:?}", s.name, x);
        }
        let churn: BTreeMap<&str, i64> = summary
            .churn
            .iter()
            .map(|x| (x.churn.as_str(), x.customers))
            .collect();
        assert_eq!(churn, by_churn, "{}", s.name);

        // Audited once, with what was kept.
        let log = audit(st, "analytics.fit").await;
        assert_eq!(log.len(), 1, "{}", s.name);
        assert_eq!(log[0].staff.as_deref(), Some("alice"));
        assert_eq!(log[0].details["fit_id"], fit.id);
        assert_eq!(log[0].details["scored"], saved.scored);
        assert_eq!(log[0].details["customers"], fit.customers);
        assert_eq!(log[0].details["repeat_buyers"], fit.repeat_buyers);

        // A second refresh replaces the scores and becomes the current model.
        let again = refresh(st, alice.id, until).await;
        assert!(again.fit.id > fit.id);
        assert_eq!(again.scored, saved.scored);
        assert_eq!(st.current_fit().await.unwrap(), Some(again.fit.clone()));
        assert_eq!(st.segment_summary().await.unwrap(), summary, "{}", s.name);
        assert_eq!(audit(st, "analytics.fit").await.len(), 2);
        fits.push((s.name, again.fit, rows));
    }
    // The same data gives the same model and scores on every backend.
    if let [(a, fa, ra), (b, fb, rb)] = &fits[..] {
        for (x, y) in fa.bgnbd.iter().zip(fb.bgnbd) {
            assert!(close(*x, y), "{a} {:?} vs {b} {:?}", fa.bgnbd, fb.bgnbd);
        }
        let (ga, gb) = (fa.gamma_gamma.unwrap(), fb.gamma_gamma.unwrap());
        for (x, y) in ga.iter().zip(gb) {
            assert!(close(*x, y), "{a} {ga:?} vs {b} {gb:?}");
        }
        assert_eq!(
            (fa.customers, fa.repeat_buyers),
            (fb.customers, fb.repeat_buyers)
        );
        assert_eq!(ra, rb, "{a} and {b} scored differently");
    }
}

#[tokio::test]
async fn only_staff_who_may_refit_keep_a_fit() {
    let d = demo(600, today());
    for s in stores().await {
        let st = &s.store;
        d.insert(st).await;
        let bob = st.staff_by_username("bob").await.unwrap();
        let alice = st.staff_by_username("alice").await.unwrap();
        // Agents may refit (it only recomputes); a deactivated member may not.
        let saved = refresh(st, bob.id, d.now).await;
        assert_eq!(saved.fit.staff.as_deref(), Some("bob"), "{}", s.name);
        st.set_staff(alice.id, "bob", None, Some(false))
            .await
            .unwrap();
        let refused = run::refresh(st, bob.id, d.now, settings(d.now)).await;
        match refused {
            Err(run::AnalyticsError::Store(StoreError::Forbidden(m))) => {
                assert_eq!(m, "not allowed: staff member \"bob\" is deactivated")
            }
            other => panic!("{}: {:?}", s.name, other.map(|_| ())),
        }
        assert_eq!(st.current_fit().await.unwrap().unwrap().id, saved.fit.id);
    }
}

// --- 3. List filters and sorts by score -----------------------------------------------------

#[tokio::test]
async fn lists_filter_and_sort_by_the_kept_scores() {
    let d = demo(600, today());
    for s in stores().await {
        let st = &s.store;
        d.insert(st).await;
        let alice = st.staff_by_username("alice").await.unwrap();
        refresh(st, alice.id, d.now).await;
        let mut scores: HashMap<i64, ScoreRow> = HashMap::new();
        for c in &d.customers {
            scores.insert(c.id, st.customer_score(c.id).await.unwrap().unwrap());
        }
        let summary = st.segment_summary().await.unwrap();
        for x in &summary.segments {
            let f = CustomerFilter {
                segment: Some(x.segment),
                ..Default::default()
            };
            assert_eq!(
                st.count_customers(&f).await.unwrap(),
                x.customers,
                "{}: {:?}",
                s.name,
                x.segment
            );
        }
        for x in &summary.churn {
            let f = CustomerFilter {
                churn: Some(x.churn),
                ..Default::default()
            };
            assert_eq!(st.count_customers(&f).await.unwrap(), x.customers);
        }

        // The whole list by predicted CLV, highest first, 37 rows a page: everyone once, in
        // (CLV, id) order, each row carrying its kept value.
        let rows = all_pages(
            st,
            ListQuery {
                sort: SortColumn::Clv,
                descending: true,
                limit: 37,
                ..Default::default()
            },
        )
        .await;
        let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
        let mut want: Vec<i64> = d.customers.iter().map(|c| c.id).collect();
        want.sort_by_key(|id| {
            (
                std::cmp::Reverse(scores[id].clv.unwrap_or(0)),
                std::cmp::Reverse(*id),
            )
        });
        assert_eq!(ids, want, "{}", s.name);
        for c in &rows {
            let v = c.stats.value.expect("a scored row carries its value");
            let kept = &scores[&c.id];
            assert_eq!(
                (v.segment, v.churn, v.clv),
                (kept.segment, kept.churn, kept.clv)
            );
        }
        assert!(rows.iter().any(|c| c.stats.value.unwrap().clv.is_some()));
        // Backwards from the end: the same rows, pages still in display order.
        let mut q = ListQuery {
            sort: SortColumn::Clv,
            descending: true,
            from: PageFrom::End,
            limit: 37,
            ..Default::default()
        };
        let mut back: Vec<i64> = Vec::new();
        loop {
            let page = st.list_customers(&q).await.unwrap();
            let Some(first) = page.first() else { break };
            q.from = PageFrom::Before(Cursor::of(q.sort, first));
            let mut ids: Vec<i64> = page.iter().map(|c| c.id).collect();
            ids.extend(back);
            back = ids;
        }
        assert_eq!(back, want, "{}: paging backwards", s.name);

        // High churn risk only, by segment: every row has that risk, segments never go back.
        let high = summary
            .churn
            .iter()
            .find(|x| x.churn == ChurnRisk::High)
            .map_or(0, |x| x.customers);
        assert!(
            high > 0,
            "{}: the demo data has high-risk customers",
            s.name
        );
        let rows = all_pages(
            st,
            ListQuery {
                filter: CustomerFilter {
                    churn: Some(ChurnRisk::High),
                    ..Default::default()
                },
                sort: SortColumn::Segment,
                limit: 7,
                ..Default::default()
            },
        )
        .await;
        assert_eq!(rows.len() as i64, high, "{}", s.name);
        assert!(
            rows.iter()
                .all(|c| c.stats.value.unwrap().churn == ChurnRisk::High)
        );
        let ranks: Vec<(usize, i64)> = rows
            .iter()
            .map(|c| {
                let seg = c.stats.value.unwrap().segment;
                (
                    SegmentKey::ALL.iter().position(|k| *k == seg).unwrap(),
                    c.id,
                )
            })
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] < w[1]),
            "{}: {ranks:?}",
            s.name
        );

        // Win-back: an order, the last one at least 90 days ago (by the clock).
        let f = CustomerFilter {
            inactive_days: Some(90),
            ..Default::default()
        };
        let before = Utc::now() - Duration::days(90);
        let rows = all_pages(
            st,
            ListQuery {
                filter: f.clone(),
                limit: 50,
                ..Default::default()
            },
        )
        .await;
        let counted = st.count_customers(&f).await.unwrap();
        let after = Utc::now() - Duration::days(90);
        let got: BTreeSet<i64> = rows.iter().map(|c| c.id).collect();
        let sure: BTreeSet<i64> = d
            .customers
            .iter()
            .filter(|c| c.stats.last_order_at.is_some_and(|t| t <= before))
            .map(|c| c.id)
            .collect();
        let maybe: BTreeSet<i64> = d
            .customers
            .iter()
            .filter(|c| c.stats.last_order_at.is_some_and(|t| t <= after))
            .map(|c| c.id)
            .collect();
        assert!(
            sure.len() > 50 && sure.len() < d.customers.len() - 50,
            "{}",
            sure.len()
        );
        assert!(
            sure.is_subset(&got),
            "{}: {:?}",
            s.name,
            sure.difference(&got)
        );
        assert!(
            got.is_subset(&maybe),
            "{}: {:?}",
            s.name,
            got.difference(&maybe)
        );
        assert_eq!(got.len(), rows.len(), "no customer twice");
        assert!(counted >= sure.len() as i64 && counted <= maybe.len() as i64);
        assert!(rows.iter().all(|c| f.accepts(c, Utc::now())));
    }
}

/// A fit made by hand for the small shop: every buyer in one segment and churn risk, CLV their
/// spend, so list tests need no model run.
fn hand_fit(batch: &SeedBatch) -> (NewFit, Vec<ScoreRow>) {
    let rows: Vec<ScoreRow> = batch
        .customers
        .iter()
        .filter(|c| c.stats.order_count > 0)
        .map(|c| ScoreRow {
            customer_id: c.id,
            purchases: c.stats.order_count,
            net_spent: c.stats.total_spent,
            currency: "USD".into(),
            recency_days: Some(10),
            mean_days_between: None,
            p_alive: Some(1.0),
            expected_purchases: Some(0.5),
            expected_spend: Some(1000.0),
            clv: Some(c.stats.total_spent),
            r: 3,
            f: 3,
            m: 3,
            segment: SegmentKey::Promising,
            churn: ChurnRisk::Low,
            churn_reason: "by hand".into(),
        })
        .collect();
    let fit = NewFit {
        until: t(2024, 12, 31),
        horizon_days: 365,
        monthly_discount: 0.01,
        customers: rows.len() as i64,
        repeat_buyers: 0,
        bgnbd: [0.5, 5.0, 0.5, 2.0, -100.0],
        currency: "USD".into(),
        gamma_gamma: None,
        detail: serde_json::json!({"time_unit": "week"}),
        seconds: 0.0,
    };
    (fit, rows)
}

/// Customers without a model score (everyone before the first fit, anyone added since) are
/// still customers: a list sorted by a score column shows them, as customers without orders.
#[tokio::test]
async fn score_sorts_list_every_customer_before_a_fit_and_those_added_since() {
    for s in stores().await {
        let st = &s.store;
        let shop = small_shop();
        st.insert_seed(&shop).await.unwrap();
        let q = |sort| ListQuery {
            sort,
            limit: 8,
            ..Default::default()
        };
        for sort in [SortColumn::Clv, SortColumn::Segment, SortColumn::Churn] {
            let rows = all_pages(st, q(sort)).await;
            assert_eq!(rows.len(), 30, "{}: {sort:?} before any fit", s.name);
        }
        let (fit, rows) = hand_fit(&shop);
        st.save_scores(1, &fit, &rows).await.unwrap();
        let newcomer = customer(31, "Nia", "New", "nia.new@example.com");
        st.insert_seed(&SeedBatch {
            customers: vec![newcomer],
            ..Default::default()
        })
        .await
        .unwrap();
        assert_eq!(st.count_customers(&Default::default()).await.unwrap(), 31);
        for sort in [SortColumn::Clv, SortColumn::Segment, SortColumn::Churn] {
            let rows = all_pages(st, q(sort)).await;
            let ids: BTreeSet<i64> = rows.iter().map(|c| c.id).collect();
            assert_eq!(ids.len(), 31, "{}: {sort:?} after the fit", s.name);
            let nia = rows
                .iter()
                .find(|c| c.id == 31)
                .expect("the newcomer is listed");
            assert!(
                nia.stats
                    .value
                    .is_none_or(|v| v.segment == SegmentKey::NoOrders
                        && v.churn == ChurnRisk::NoOrders
                        && v.clv.is_none()),
                "{}: {:?}",
                s.name,
                nia.stats.value
            );
        }
    }
}

#[tokio::test]
async fn a_kept_fit_made_by_hand_reads_back_and_scores_the_rest_as_no_orders() {
    for s in stores().await {
        let st = &s.store;
        let shop = small_shop();
        st.insert_seed(&shop).await.unwrap();
        let (fit, rows) = hand_fit(&shop);
        let saved = st.save_scores(1, &fit, &rows).await.unwrap();
        assert_eq!(saved.scored, rows.len() as i64);
        let f = &saved.fit;
        assert_eq!(
            (
                f.until,
                f.horizon_days,
                f.monthly_discount,
                f.customers,
                f.repeat_buyers,
                f.bgnbd,
                f.currency.as_str(),
                f.gamma_gamma,
                &f.detail,
                f.staff.as_deref()
            ),
            (
                fit.until,
                fit.horizon_days,
                fit.monthly_discount,
                fit.customers,
                fit.repeat_buyers,
                fit.bgnbd,
                "USD",
                None,
                &fit.detail,
                Some("alice")
            ),
            "{}",
            s.name
        );
        assert_eq!(st.current_fit().await.unwrap().as_ref(), Some(f));
        for r in &rows {
            assert_eq!(
                st.customer_score(r.customer_id).await.unwrap().as_ref(),
                Some(r)
            );
        }
        let summary = st.segment_summary().await.unwrap();
        let buyers = rows.len() as i64;
        assert_eq!(
            summary.segments,
            vec![
                SegmentCount {
                    segment: SegmentKey::Promising,
                    customers: buyers,
                    net_spent: rows.iter().map(|r| r.net_spent).sum(),
                    clv: rows.iter().map(|r| r.clv.unwrap()).sum(),
                },
                SegmentCount {
                    segment: SegmentKey::NoOrders,
                    customers: 30 - buyers,
                    net_spent: 0,
                    clv: 0,
                },
            ],
            "{}",
            s.name
        );
        assert_eq!(
            summary.churn,
            vec![
                ChurnCount {
                    churn: ChurnRisk::NoOrders,
                    customers: 30 - buyers
                },
                ChurnCount {
                    churn: ChurnRisk::Low,
                    customers: buyers
                },
            ]
        );
        // A score row for a customer that does not exist is left out, not an error.
        let mut ghost = rows[0].clone();
        ghost.customer_id = 999;
        let again = st.save_scores(1, &fit, &[ghost]).await.unwrap();
        assert_eq!(st.customer_score(999).await.unwrap(), None, "{}", s.name);
        assert_eq!(
            st.customer_score(rows[0].customer_id)
                .await
                .unwrap()
                .map(|r| r.segment),
            Some(SegmentKey::NoOrders),
            "scores are replaced as a whole"
        );
        assert_eq!(st.current_fit().await.unwrap().unwrap().id, again.fit.id);
    }
}

/// PostgreSQL replaces the scores by building a new table and swapping it in: the swapped table
/// must keep every index, constraint and name, and the trigger that gives new customers a row.
#[tokio::test]
async fn postgres_keeps_the_scores_tables_indexes_and_constraints_across_refits() {
    let Some(s) = postgres().await else {
        return;
    };
    let st = &s.store;
    let shop = small_shop();
    st.insert_seed(&shop).await.unwrap();
    let catalog = |schema: String| async move {
        let opts = sqlx::postgres::PgConnectOptions::from_str(&pg_url().unwrap())
            .unwrap()
            .options([("search_path", schema.as_str())]);
        let pool = sqlx::PgPool::connect_with(opts).await.unwrap();
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT indexname, regexp_replace(indexdef, ' ON \\S+ ', ' ON ') FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename LIKE 'customer_scores%' ORDER BY 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        let constraints: Vec<(String, String)> = sqlx::query_as(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = 'customer_scores'::regclass ORDER BY 1",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        (indexes, constraints)
    };
    let schema = s.schema.clone().unwrap();
    let before = catalog(schema.clone()).await;
    assert_eq!(before.0.len(), 4, "{before:?}");
    let (fit, rows) = hand_fit(&shop);
    st.save_scores(1, &fit, &rows).await.unwrap();
    st.save_scores(1, &fit, &rows).await.unwrap();
    assert_eq!(catalog(schema).await, before);
    // The placeholder trigger writes into the swapped table, and the primary key holds.
    let added = st
        .create_customer(
            1,
            &NewCustomer {
                email: "late@example.com".into(),
                first_name: "Late".into(),
                last_name: "Comer".into(),
                phone: String::new(),
                company: String::new(),
                has_account: true,
                group_ids: vec![],
            },
        )
        .await
        .unwrap();
    let sorted = all_pages(
        st,
        ListQuery {
            sort: SortColumn::Clv,
            limit: 7,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(sorted.len(), 31);
    assert_eq!(sorted.iter().filter(|c| c.id == added.id).count(), 1);
}

// --- 4. Rule-based groups -------------------------------------------------------------------

async fn members(st: &DynStore, customers: &[Customer], group: i64) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for c in customers {
        if st
            .memberships(c.id)
            .await
            .unwrap()
            .iter()
            .any(|m| m.group_id == group)
        {
            out.insert(c.id);
        }
    }
    out
}

#[tokio::test]
async fn group_rules_add_and_remove_their_members_and_never_touch_hand_made_ones() {
    let mut d = demo(600, today());
    // One frequent buyer anonymized: a rule never selects anonymized customers.
    let anon = d
        .customers
        .iter()
        .find(|c| c.stats.order_count >= 8)
        .unwrap()
        .id;
    for b in &mut d.batches {
        for c in &mut b.customers {
            if c.id == anon {
                c.status = CustomerStatus::Anonymized;
            }
        }
    }
    let d = Demo::of(d.now, d.batches);
    let matching = |min: i64| -> BTreeSet<i64> {
        d.customers
            .iter()
            .filter(|c| c.status != CustomerStatus::Anonymized && c.stats.order_count >= min)
            .map(|c| c.id)
            .collect()
    };
    let three = matching(3);
    let six = matching(6);
    assert!(three.len() > six.len() + 20 && six.len() > 20, "{three:?}");
    assert!(!three.contains(&anon));
    // By hand: one customer the rule would never pick, one it would (3 to 5 orders).
    let manual = d
        .customers
        .iter()
        .find(|c| c.stats.order_count == 1)
        .unwrap()
        .id;
    let manual_match = *three.iter().find(|id| !six.contains(id)).unwrap();
    assert!(d.order_count(manual_match) >= 3 && d.order_count(manual_match) < 6);

    for s in stores().await {
        let st = &s.store;
        d.insert(st).await;
        let alice = st.staff_by_username("alice").await.unwrap();
        let bob = st.staff_by_username("bob").await.unwrap();
        let g = st
            .create_group(
                alice.id,
                &NewGroup {
                    name: "Frequent".into(),
                    kind: GroupKind::Custom,
                    discount_bps: 0,
                    description: String::new(),
                },
            )
            .await
            .unwrap();
        for c in [manual, manual_match] {
            st.set_membership(alice.id, c, g.id, MembershipStatus::Active)
                .await
                .unwrap();
        }
        let rule3 = GroupRule {
            min_orders: Some(3),
            ..Default::default()
        };
        // Agents cannot set rules; an empty rule and an unknown group are refused.
        let refused = st.set_group_rule(bob.id, "Frequent", Some(&rule3)).await;
        assert!(
            matches!(&refused, Err(StoreError::Forbidden(m))
                if m == "not allowed: agents cannot manage groups and memberships (admins can)"),
            "{}: {refused:?}",
            s.name
        );
        let empty = st
            .set_group_rule(alice.id, "Frequent", Some(&GroupRule::default()))
            .await;
        assert!(
            matches!(&empty, Err(StoreError::Invalid(m))
                if m == "rule: give at least one condition (or clear the rule)"),
            "{empty:?}"
        );
        let unknown = st.set_group_rule(alice.id, "Nope", Some(&rule3)).await;
        assert!(
            matches!(&unknown, Err(StoreError::NotFound(m)) if m == "no group named \"Nope\""),
            "{unknown:?}"
        );
        assert_eq!(st.group_rules().await.unwrap(), vec![]);

        st.set_group_rule(alice.id, "Frequent", Some(&rule3))
            .await
            .unwrap();
        assert_eq!(
            st.group_rules().await.unwrap(),
            vec![("Frequent".to_string(), rule3.clone())]
        );
        // Nothing changes until the next refresh.
        assert_eq!(
            members(st, &d.customers, g.id).await,
            BTreeSet::from([manual, manual_match])
        );

        let saved = refresh(st, alice.id, d.now).await;
        let added = (three.len() - 1) as i64;
        assert_eq!(
            saved.rules,
            vec![RuleReport {
                group: "Frequent".into(),
                added,
                removed: 0
            }],
            "{}",
            s.name
        );
        let mut want = three.clone();
        want.insert(manual);
        assert_eq!(members(st, &d.customers, g.id).await, want, "{}", s.name);
        let adds = audit(st, "group.rule.add").await;
        assert_eq!(adds.len() as i64, added, "{}", s.name);
        let added_ids: BTreeSet<i64> = adds.iter().filter_map(|e| e.customer_id).collect();
        let mut rule_made = three.clone();
        rule_made.remove(&manual_match);
        assert_eq!(added_ids, rule_made);
        assert_eq!(adds[0].details["group"], "Frequent");
        assert_eq!(adds[0].details["rule"], "orders >= 3");

        // Again: nothing to do.
        let saved = refresh(st, alice.id, d.now).await;
        assert_eq!(
            saved.rules,
            vec![RuleReport {
                group: "Frequent".into(),
                added: 0,
                removed: 0
            }]
        );
        assert_eq!(members(st, &d.customers, g.id).await, want);

        // Stricter: the rule's own members that no longer match go; hand-made ones stay.
        let rule6 = GroupRule {
            min_orders: Some(6),
            ..Default::default()
        };
        st.set_group_rule(alice.id, "Frequent", Some(&rule6))
            .await
            .unwrap();
        let saved = refresh(st, alice.id, d.now).await;
        let removed = rule_made.difference(&six).count() as i64;
        assert_eq!(
            saved.rules,
            vec![RuleReport {
                group: "Frequent".into(),
                added: 0,
                removed
            }],
            "{}",
            s.name
        );
        let mut want = six.clone();
        want.extend([manual, manual_match]);
        assert_eq!(members(st, &d.customers, g.id).await, want, "{}", s.name);
        let removes = audit(st, "group.rule.remove").await;
        assert_eq!(removes.len() as i64, removed);
        let removed_ids: BTreeSet<i64> = removes.iter().filter_map(|e| e.customer_id).collect();
        assert_eq!(
            removed_ids,
            rule_made.difference(&six).copied().collect::<BTreeSet<_>>()
        );
        assert_eq!(audit(st, "group.rule.add").await.len() as i64, added);
        assert_eq!(
            saved.rules.iter().map(|r| r.added).sum::<i64>(),
            0,
            "no new adds"
        );

        // Cleared: the members the rule made stay, as hand-made ones; a new rule that matches
        // none of them removes none of them.
        st.set_group_rule(alice.id, "Frequent", None).await.unwrap();
        assert_eq!(st.group_rules().await.unwrap(), vec![]);
        let saved = refresh(st, alice.id, d.now).await;
        assert_eq!(saved.rules, vec![]);
        assert_eq!(members(st, &d.customers, g.id).await, want, "{}", s.name);
        let none = GroupRule {
            min_orders: Some(1_000_000),
            ..Default::default()
        };
        st.set_group_rule(alice.id, "Frequent", Some(&none))
            .await
            .unwrap();
        let saved = refresh(st, alice.id, d.now).await;
        assert_eq!(
            saved.rules,
            vec![RuleReport {
                group: "Frequent".into(),
                added: 0,
                removed: 0
            }],
            "{}",
            s.name
        );
        assert_eq!(members(st, &d.customers, g.id).await, want, "{}", s.name);
        let set: Vec<AuditEntry> = audit(st, "group.rule")
            .await
            .into_iter()
            .filter(|e| e.action == "group.rule")
            .collect();
        assert_eq!(set.len(), 4, "{}: set 3, 6, cleared, set again", s.name);
        assert_eq!(set[1].details["rule"], serde_json::Value::Null, "cleared");
        assert_eq!(set[0].details["rule"]["min_orders"], 1_000_000);
    }
}

#[tokio::test]
async fn group_rules_combine_segment_churn_spend_and_country() {
    for s in stores().await {
        let st = &s.store;
        let shop = small_shop();
        st.insert_seed(&shop).await.unwrap();
        let g = st
            .create_group(
                1,
                &NewGroup {
                    name: "Promising in SF".into(),
                    kind: GroupKind::Regional,
                    discount_bps: 500,
                    description: String::new(),
                },
            )
            .await
            .unwrap();
        // small_shop: addresses (country US) for even ids; orders id % 4 of them.
        let rule = GroupRule {
            min_spent: Some(20_000),
            segment: Some(SegmentKey::Promising),
            churn: Some(ChurnRisk::Low),
            country: Some("US".into()),
            ..Default::default()
        };
        st.set_group_rule(1, &g.name, Some(&rule)).await.unwrap();
        let (fit, rows) = hand_fit(&shop);
        let saved = st.save_scores(1, &fit, &rows).await.unwrap();
        let want: BTreeSet<i64> = shop
            .customers
            .iter()
            .filter(|c| c.id % 2 == 0 && c.stats.order_count > 0 && c.stats.total_spent >= 20_000)
            .map(|c| c.id)
            .collect();
        assert!(want.len() >= 3, "{want:?}");
        assert_eq!(
            saved.rules,
            vec![RuleReport {
                group: g.name.clone(),
                added: want.len() as i64,
                removed: 0
            }],
            "{}",
            s.name
        );
        assert_eq!(members(st, &shop.customers, g.id).await, want, "{}", s.name);
        // Another currency-free condition set: high churn matches nobody, so all go.
        let high = GroupRule {
            churn: Some(ChurnRisk::High),
            ..rule
        };
        st.set_group_rule(1, &g.name, Some(&high)).await.unwrap();
        let saved = st.save_scores(1, &fit, &rows).await.unwrap();
        assert_eq!(saved.rules[0].removed, want.len() as i64);
        assert!(members(st, &shop.customers, g.id).await.is_empty());
    }
}

// --- 5. Engagement events -------------------------------------------------------------------

fn event(email: &str, kind: EventKind, at: DateTime<Utc>, detail: &str) -> EventRow {
    EventRow {
        email: email.into(),
        kind,
        occurred_at: at,
        detail: detail.into(),
    }
}

#[tokio::test]
async fn events_import_all_or_nothing_once_and_count_per_kind() {
    for s in stores().await {
        let st = &s.store;
        let shop = small_shop();
        st.insert_seed(&shop).await.unwrap();
        let (a, b) = (&shop.customers[0], &shop.customers[1]);
        let nothing = EngagementFacts::default();
        assert_eq!(
            st.engagement(a.id, None).await.unwrap(),
            nothing,
            "{}",
            s.name
        );

        let bad = vec![
            (
                2,
                event(&a.email, EventKind::EmailOpened, t(2024, 3, 1), "spring"),
            ),
            (
                3,
                event(
                    "Nobody@Example.com",
                    EventKind::SiteVisit,
                    t(2024, 3, 1),
                    "",
                ),
            ),
        ];
        let refused = st.import_events(None, &bad, &no_progress).await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(m))
                if m == "line 3: no customer with email \"nobody@example.com\"; nothing was imported"),
            "{}: {refused:?}",
            s.name
        );
        assert_eq!(
            st.engagement(a.id, None).await.unwrap(),
            nothing,
            "{}",
            s.name
        );
        assert!(audit(st, "import.events").await.is_empty());

        let good = vec![
            (
                2,
                event(&a.email, EventKind::EmailOpened, t(2024, 3, 1), "spring"),
            ),
            (
                3,
                event(
                    &a.email.to_uppercase(),
                    EventKind::EmailOpened,
                    t(2024, 3, 5),
                    "spring",
                ),
            ),
            (4, event(&a.email, EventKind::SiteVisit, t(2024, 2, 1), "")),
            (
                5,
                event(&b.email, EventKind::Referral, t(2024, 1, 1), "friend"),
            ),
            // The same event twice in one file is one event.
            (6, event(&a.email, EventKind::SiteVisit, t(2024, 2, 1), "")),
        ];
        let r = st.import_events(None, &good, &no_progress).await.unwrap();
        assert_eq!(
            (r.inserted, r.updated, r.unchanged),
            (4, 0, 1),
            "{}",
            s.name
        );
        let again = st.import_events(None, &good, &no_progress).await.unwrap();
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 5));
        assert_eq!(audit(st, "import.events").await.len(), 2);

        let e = st.engagement(a.id, None).await.unwrap();
        assert_eq!(
            e,
            EngagementFacts {
                shop_has_events: true,
                events: vec![
                    EventCount {
                        kind: EventKind::EmailOpened,
                        count: 2,
                        first_at: t(2024, 3, 1),
                        last_at: t(2024, 3, 5),
                    },
                    EventCount {
                        kind: EventKind::SiteVisit,
                        count: 1,
                        first_at: t(2024, 2, 1),
                        last_at: t(2024, 2, 1),
                    },
                ],
                emails_sent: 0,
                last_login_at: None,
            },
            "{}",
            s.name
        );
        // As of 2 March only the first open had happened.
        let early = st.engagement(a.id, Some(t(2024, 3, 2))).await.unwrap();
        assert_eq!(
            early.events[0],
            EventCount {
                kind: EventKind::EmailOpened,
                count: 1,
                first_at: t(2024, 3, 1),
                last_at: t(2024, 3, 1),
            }
        );
        assert_eq!(
            st.engagement(b.id, None).await.unwrap().events,
            vec![EventCount {
                kind: EventKind::Referral,
                count: 1,
                first_at: t(2024, 1, 1),
                last_at: t(2024, 1, 1),
            }]
        );
        // Once any event exists, a customer without any has zero, not "no data".
        let c = st.engagement(shop.customers[2].id, None).await.unwrap();
        assert!(c.shop_has_events && c.events.is_empty(), "{c:?}");
        assert!(matches!(
            st.engagement(999, None).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

// --- 6. One customer's behaviour ------------------------------------------------------------

fn product(id: i64, name: &str, category: &str, brand: &str) -> Product {
    Product {
        id,
        sku: format!("SKU-{id}"),
        name: name.into(),
        category: category.into(),
        brand: brand.into(),
        kind: ProductKind::Physical,
        price: 1000,
        currency: "USD".into(),
    }
}

fn item(id: i64, order: i64, p: &Product, quantity: i64, total: i64) -> SeedOrderItem {
    SeedOrderItem {
        order_id: order,
        product_id: p.id,
        item: OrderItem {
            id,
            sku: p.sku.clone(),
            name: p.name.clone(),
            kind: p.kind,
            quantity,
            unit_price: total / quantity,
            total,
        },
    }
}

fn refund(customer: i64, order: i64, amount: i64, at: DateTime<Utc>) -> SeedTransaction {
    SeedTransaction {
        customer_id: customer,
        order_id: Some(order),
        kind: TransactionKind::Refund,
        amount,
        currency: "USD".into(),
        method: "card".into(),
        description: "refund".into(),
        created_at: at,
    }
}

/// Customer 1: a paid order with a discount, a partially refunded one, a refunded and returned
/// one, a cancelled one and a late paid one; a guest order under the same email and customer
/// 2's order around it. Customer 3 has nothing, customer 4 only a refunded order.
fn behaviour_shop() -> SeedBatch {
    let products = vec![
        product(1, "Alpha Book", "books", "Acme"),
        product(2, "Beta Mug", "kitchen", "Bolt"),
        product(3, "Gamma Pen", "office", "Acme"),
        product(4, "Delta Cap", "apparel", "Capco"),
        product(5, "Epsilon Pad", "office", "Bolt"),
    ];
    let p = |i: usize| &products[i - 1];
    let email = "hand@example.com";
    let mut o1 = order(1, "1", Some(1), email, t(2024, 1, 10), 8100);
    (o1.subtotal, o1.discount) = (9000, 900);
    let mut o2 = order(2, "2", Some(1), email, t(2024, 2, 10), 6000);
    o2.payment_status = PaymentStatus::PartiallyRefunded;
    let mut o3 = order(3, "3", Some(1), email, t(2024, 3, 10), 3000);
    o3.status = OrderStatus::Refunded;
    o3.payment_status = PaymentStatus::Refunded;
    o3.fulfillment_status = FulfillmentStatus::Returned;
    let mut o4 = order(4, "4", Some(1), email, t(2024, 3, 20), 10000);
    o4.status = OrderStatus::Cancelled;
    o4.payment_status = PaymentStatus::Voided;
    o4.fulfillment_status = FulfillmentStatus::Unfulfilled;
    let mut o5 = order(5, "5", Some(1), email, t(2024, 5, 10), 1200);
    (o5.subtotal, o5.discount) = (1500, 300);
    let guest = order(6, "6", None, email, t(2024, 2, 1), 99_000);
    let other = order(7, "7", Some(2), "other@example.com", t(2024, 2, 2), 5000);
    let mut lone = order(8, "8", Some(4), "lone@example.com", t(2024, 2, 3), 4000);
    lone.status = OrderStatus::Refunded;
    lone.payment_status = PaymentStatus::Refunded;
    let orders = vec![o1, o2, o3, o4, o5, guest, other, lone];
    let items = vec![
        item(1, 1, p(1), 2, 4000),
        item(2, 1, p(2), 1, 5000),
        item(3, 2, p(2), 1, 2500),
        item(4, 2, p(3), 3, 3500),
        item(5, 3, p(4), 2, 3000),
        item(6, 4, p(1), 5, 10000),
        item(7, 5, p(5), 1, 1200),
        item(8, 6, p(3), 50, 99_000),
        item(9, 7, p(3), 40, 5000),
        item(10, 8, p(1), 1, 4000),
    ];
    let transactions = vec![
        refund(1, 2, 1500, t(2024, 2, 20)),
        refund(1, 3, 3000, t(2024, 3, 15)),
        refund(4, 8, 4000, t(2024, 2, 9)),
    ];
    let customers = vec![
        customer(1, "Hana", "Hand", email),
        customer(2, "Otto", "Other", "other@example.com"),
        customer(3, "Nell", "None", "none@example.com"),
        customer(4, "Lone", "Refund", "lone@example.com"),
    ]
    .into_iter()
    .map(|c| with_stats(c, &orders))
    .collect();
    SeedBatch {
        staff: small_shop().staff,
        products,
        customers,
        orders,
        items,
        transactions,
        ..Default::default()
    }
}

fn fav(name: &str, quantity: i64, spent: i64) -> Favourite {
    Favourite {
        name: name.into(),
        quantity,
        spent,
    }
}

#[tokio::test]
async fn behaviour_counts_one_customers_orders_items_and_favourites() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&behaviour_shop()).await.unwrap();
        let all = st.behaviour(1, None).await.unwrap();
        assert_eq!(
            all,
            Behaviour {
                orders: 5,
                paid_orders: 3,
                spent: 8100 + 6000 + 1200,
                // Refunds of the orders "spent" counts: the fully refunded order (3000) is in
                // neither, so spent − refunded is the model's net.
                refunded: 1500,
                currency: "USD".into(),
                first_order_at: Some(t(2024, 1, 10)),
                last_order_at: Some(t(2024, 5, 10)),
                // The cancelled order's items do not count.
                items: 2 + 1 + 1 + 3 + 2 + 1,
                discounted_orders: 2,
                discount_depth_bps: Some(1200 * 10_000 / 29_500),
                refunded_orders: 2,
                returned_orders: 1,
                products_by_quantity: vec![
                    fav("Gamma Pen", 3, 3500),
                    fav("Alpha Book", 2, 4000),
                    fav("Beta Mug", 2, 7500),
                ],
                products_by_spend: vec![
                    fav("Beta Mug", 2, 7500),
                    fav("Alpha Book", 2, 4000),
                    fav("Gamma Pen", 3, 3500),
                ],
                categories_by_quantity: vec![
                    fav("office", 4, 4700),
                    fav("apparel", 2, 3000),
                    fav("books", 2, 4000),
                ],
                categories_by_spend: vec![
                    fav("kitchen", 2, 7500),
                    fav("office", 4, 4700),
                    fav("books", 2, 4000),
                ],
                brands_by_quantity: vec![
                    fav("Acme", 5, 7500),
                    fav("Bolt", 3, 8700),
                    fav("Capco", 2, 3000),
                ],
                brands_by_spend: vec![
                    fav("Bolt", 3, 8700),
                    fav("Acme", 5, 7500),
                    fav("Capco", 2, 3000),
                ],
            },
            "{}",
            s.name
        );
        // As of 1 April: the May order is not seen; spend ties go by name.
        let april = st.behaviour(1, Some(t(2024, 4, 1))).await.unwrap();
        assert_eq!(
            april,
            Behaviour {
                orders: 4,
                paid_orders: 2,
                spent: 8100 + 6000,
                refunded: 1500,
                currency: "USD".into(),
                first_order_at: Some(t(2024, 1, 10)),
                last_order_at: Some(t(2024, 3, 20)),
                items: 2 + 1 + 1 + 3 + 2,
                discounted_orders: 1,
                discount_depth_bps: Some(900 * 10_000 / 28_000),
                refunded_orders: 2,
                returned_orders: 1,
                products_by_quantity: vec![
                    fav("Gamma Pen", 3, 3500),
                    fav("Alpha Book", 2, 4000),
                    fav("Beta Mug", 2, 7500),
                ],
                products_by_spend: vec![
                    fav("Beta Mug", 2, 7500),
                    fav("Alpha Book", 2, 4000),
                    fav("Gamma Pen", 3, 3500),
                ],
                categories_by_quantity: vec![
                    fav("office", 3, 3500),
                    fav("apparel", 2, 3000),
                    fav("books", 2, 4000),
                ],
                categories_by_spend: vec![
                    fav("kitchen", 2, 7500),
                    fav("books", 2, 4000),
                    fav("office", 3, 3500),
                ],
                brands_by_quantity: vec![
                    fav("Acme", 5, 7500),
                    fav("Bolt", 2, 7500),
                    fav("Capco", 2, 3000),
                ],
                brands_by_spend: vec![
                    fav("Acme", 5, 7500),
                    fav("Bolt", 2, 7500),
                    fav("Capco", 2, 3000),
                ],
            },
            "{}",
            s.name
        );
        assert_eq!(
            st.behaviour(3, None).await.unwrap(),
            Behaviour {
                currency: "USD".into(),
                ..Default::default()
            },
            "{}",
            s.name
        );
        assert!(matches!(
            st.behaviour(999, None).await,
            Err(StoreError::NotFound(_))
        ));

        // The purchase scan of the same rows: paid and partially refunded, net of refunds.
        let scan = st.purchase_scan(t(2024, 12, 31)).await.unwrap();
        let b = behaviour_shop();
        let (want, _) = expected_scan(&b.orders, &b.transactions, t(2024, 12, 31));
        assert_eq!(scan.summaries, want, "{}", s.name);
        assert_eq!(
            scan.summaries[0],
            Summary {
                id: 1,
                first_day: day(t(2024, 1, 10)),
                second_day: Some(day(t(2024, 2, 10))),
                last_day: day(t(2024, 5, 10)),
                purchase_days: 3,
                orders: 3,
                total: 8100 + 4500 + 1200,
                first_value: 8100,
                currency: 0,
            }
        );
        let april = st.purchase_scan(t(2024, 4, 1)).await.unwrap();
        assert_eq!(april.summaries[0].orders, 2);
        assert_eq!(april.summaries[0].total, 8100 + 4500);
        assert_eq!(
            april.summaries.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![1, 2],
            "customer 4's only order was refunded in full"
        );
    }
}

/// What `patron analytics customer --json` reports as net spent is what the model counts as
/// net spent: paid and partially refunded orders less what was refunded of them. A refund of
/// an order already left out of "spent" (refunded in full) must not be taken off again.
#[tokio::test]
async fn insights_net_spent_is_what_the_model_counts() {
    for s in stores().await {
        let st = &s.store;
        let shop = behaviour_shop();
        st.insert_seed(&shop).await.unwrap();
        let scan = st.purchase_scan(t(2024, 12, 31)).await.unwrap();
        for id in [1, 2, 4] {
            let c = st.customer(id).await.unwrap();
            let insights = Insights::new(
                &c,
                t(2024, 12, 31),
                st.behaviour(id, None).await.unwrap(),
                st.engagement(id, None).await.unwrap(),
                None,
                None,
            );
            let net = scan
                .summaries
                .iter()
                .find(|x| x.id == id)
                .map_or(0, |x| x.total);
            assert_eq!(
                insights.json()["net_spent"],
                net,
                "{}: customer {id}",
                s.name
            );
        }
    }
}

/// The trait's promise: a purchase is "valued at its total less what was refunded of it". An
/// order whose payment status still says paid but that has a refund transaction (an order
/// re-imported as paid after a partial refund) is valued net of that refund too.
#[tokio::test]
async fn an_order_marked_paid_counts_whole_and_a_partially_refunded_one_net() {
    for s in stores().await {
        let st = &s.store;
        let c = customer(1, "Pia", "Paid", "pia@example.com");
        let orders = vec![order(1, "1", Some(1), &c.email, t(2024, 2, 2), 5000)];
        st.insert_seed(&SeedBatch {
            customers: vec![with_stats(c, &orders)],
            orders,
            transactions: vec![refund(1, 1, 700, t(2024, 2, 5))],
            ..Default::default()
        })
        .await
        .unwrap();
        // As documented on `PurchaseScan`: the payment status says whether money went back.
        let scan = st.purchase_scan(t(2024, 12, 31)).await.unwrap();
        assert_eq!(scan.summaries[0].total, 5000, "{}", s.name);
    }
}

/// A merge moves everything of the source to the target (orders, emails, notes, groups...),
/// and the events import already resolves a merged-away email to the survivor: the events the
/// source had before the merge belong to the survivor as well.
#[tokio::test]
async fn a_merge_keeps_the_sources_engagement_events() {
    use patron::store::review::MergeChoices;
    for s in stores().await {
        let st = &s.store;
        let shop = small_shop();
        st.insert_seed(&shop).await.unwrap();
        let (source, target) = (&shop.customers[4], &shop.customers[5]);
        let rows = vec![
            (
                2,
                event(&source.email, EventKind::SiteVisit, t(2024, 4, 1), ""),
            ),
            (
                3,
                event(&target.email, EventKind::SiteVisit, t(2024, 4, 2), ""),
            ),
        ];
        st.import_events(None, &rows, &no_progress).await.unwrap();
        st.merge_customers(1, source.id, target.id, &MergeChoices::default())
            .await
            .unwrap();
        // After the merge, the source's email resolves to the survivor.
        let late = vec![(
            2,
            event(&source.email, EventKind::Referral, t(2024, 4, 3), ""),
        )];
        let r = st.import_events(None, &late, &no_progress).await.unwrap();
        assert_eq!(r.inserted, 1, "{}", s.name);
        let e = st.engagement(target.id, None).await.unwrap();
        assert_eq!(
            e.events,
            vec![
                EventCount {
                    kind: EventKind::Referral,
                    count: 1,
                    first_at: t(2024, 4, 3),
                    last_at: t(2024, 4, 3),
                },
                EventCount {
                    kind: EventKind::SiteVisit,
                    count: 2,
                    first_at: t(2024, 4, 1),
                    last_at: t(2024, 4, 2),
                },
            ],
            "{}",
            s.name
        );
    }
}
