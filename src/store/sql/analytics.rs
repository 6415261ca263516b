//! `Analytics` for the backend this tree is compiled into: the purchase scan (the dialect's
//! `scan_purchases` reads the rows), keeping fits and scores, the rule-based groups applied with
//! them, one customer's behaviour and engagement, and the events import.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{QueryBuilder, Row};

use super::dialect::*;
use super::tx::*;
use crate::store::analytics::*;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::{PROGRESS_EVERY, Progress, Result, StoreError};

const ID_RANGE: &str = "SELECT MIN(id), MAX(id) FROM customers";
const INSERT_FIT: &str = "INSERT INTO model_fits (fitted_at, until_at, horizon_days, \
    monthly_discount, customers, repeat_buyers, bgnbd_r, bgnbd_alpha, bgnbd_a, bgnbd_b, bgnbd_ll, \
    currency, gg_p, gg_q, gg_gamma, gg_ll, detail, seconds, staff_id) VALUES ($1, $2, $3, $4, $5, \
    $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id";
const CURRENT_FIT: &str = "SELECT f.*, s.username AS staff FROM model_fits f \
    LEFT JOIN staff s ON s.id = f.staff_id ORDER BY f.id DESC LIMIT 1";
/// Customers without purchases (or added since the scan) get a row too, so list sorts driven by
/// this table's indexes still show everyone.
/// `$1` the fit, `$2` the no-orders segment's rank; `table` is `customer_scores` or a table a
/// dialect builds to replace it (PostgreSQL's `replace_scores`).
fn score_the_rest(table: &str) -> String {
    format!(
        "INSERT INTO {table} (customer_id, fit_id, purchases, net_spent, currency, segment, \
         segment_rank, churn_risk, churn_rank) \
         SELECT c.id, $1, 0, 0, c.currency, 'none', $2, 'none', 0 FROM customers c \
         WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.customer_id = c.id)"
    )
}

/// The placeholder rows of customers without a score, for a dialect's `replace_scores` to
/// insert into the table it builds before indexing it.
pub struct RestOfCustomers {
    fit_id: i64,
    rank: i64,
}

impl RestOfCustomers {
    /// `table` is a name from code, never user input.
    pub async fn insert(&self, c: &mut Conn, table: &str) -> Result<()> {
        sqlx::query(sqlx::AssertSqlSafe(score_the_rest(table)))
            .bind(self.fit_id)
            .bind(self.rank)
            .execute(&mut *c)
            .await?;
        Ok(())
    }
}
/// A row of fit 0 is the placeholder every customer gets on insert (migration 0008): not a score.
const SCORE_OF: &str = "SELECT * FROM customer_scores WHERE customer_id = $1 AND fit_id > 0";
const SEGMENTS: &str = "SELECT segment, COUNT(*) AS n, CAST(COALESCE(SUM(net_spent), 0) AS BIGINT) AS spent, \
    CAST(COALESCE(SUM(clv), 0) AS BIGINT) AS clv FROM customer_scores \
    GROUP BY segment, segment_rank ORDER BY segment_rank";
const CHURN: &str = "SELECT churn_risk, COUNT(*) AS n FROM customer_scores \
    GROUP BY churn_risk, churn_rank ORDER BY churn_rank";
const RULED_GROUPS: &str =
    "SELECT id, name, rule FROM customer_groups WHERE rule IS NOT NULL ORDER BY name";
const GROUP_BY_NAME: &str = "SELECT id FROM customer_groups WHERE name = $1";
const SET_RULE: &str = "UPDATE customer_groups SET rule = $1, updated_at = $2 WHERE id = $3";
const RULE_TO_MANUAL: &str =
    "UPDATE group_members SET source = 'manual' WHERE group_id = $1 AND source = 'rule'";
const MEMBERS_OF: &str = "SELECT customer_id, source FROM group_members WHERE group_id = $1";
const ADD_RULE_MEMBER: &str = "INSERT INTO group_members (group_id, customer_id, status, \
    created_at, source) VALUES ($1, $2, 'active', $3, 'rule')";
const REMOVE_RULE_MEMBER: &str =
    "DELETE FROM group_members WHERE group_id = $1 AND customer_id = $2 AND source = 'rule'";

const BEHAVIOUR: &str = "SELECT COUNT(*) AS orders, \
    CAST(COALESCE(SUM(CASE WHEN payment_status IN ('paid', 'partially_refunded') THEN 1 ELSE 0 END), 0) AS BIGINT) AS paid, \
    CAST(COALESCE(SUM(CASE WHEN payment_status IN ('paid', 'partially_refunded') THEN total ELSE 0 END), 0) AS BIGINT) AS spent, \
    MIN(placed_at) AS first_at, MAX(placed_at) AS last_at, \
    CAST(COALESCE(SUM(CASE WHEN discount > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS discounted, \
    CAST(COALESCE(SUM(discount), 0) AS BIGINT) AS discount_sum, \
    CAST(COALESCE(SUM(subtotal), 0) AS BIGINT) AS subtotal_sum, \
    CAST(COALESCE(SUM(CASE WHEN payment_status IN ('refunded', 'partially_refunded') THEN 1 ELSE 0 END), 0) AS BIGINT) AS refunded_orders, \
    CAST(COALESCE(SUM(CASE WHEN fulfillment_status = 'returned' THEN 1 ELSE 0 END), 0) AS BIGINT) AS returned \
    FROM orders WHERE customer_id = $1 AND placed_at <= $2";
/// Refunds of the orders "spent" counts, so spent − refunded is the model's net spent (a fully
/// refunded order is in neither). Read from the customer's transactions (a few hundred refunds
/// among 10,000 payments for the heaviest demo customer, 7 ms on PostgreSQL) rather than probing
/// every order's transactions (20 ms); both sides name the customer.
const REFUNDED: &str = "SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM transactions t \
    JOIN orders o ON o.id = t.order_id WHERE t.customer_id = $1 AND t.kind = 'refund' \
    AND o.customer_id = $1 AND o.placed_at <= $2 AND o.payment_status IN ('paid', 'partially_refunded')";
/// What the customer bought, per product line: aggregated by (product, SKU) first and joined to
/// the catalogue after, so the grouping sorts two short keys, not four texts (10,000 orders:
/// 38 -> 27 ms on PostgreSQL). A line renamed over time keeps one name.
const BOUGHT: &str = "SELECT g.name, COALESCE(p.category, '') AS category, COALESCE(p.brand, '') AS brand, \
    g.quantity, g.spent FROM (SELECT i.product_id, i.sku, MIN(i.name) AS name, \
    CAST(SUM(i.quantity) AS BIGINT) AS quantity, CAST(SUM(i.total) AS BIGINT) AS spent \
    FROM order_items i JOIN orders o ON o.id = i.order_id \
    WHERE o.customer_id = $1 AND o.placed_at <= $2 AND o.status <> 'cancelled' \
    GROUP BY i.product_id, i.sku) g LEFT JOIN products p ON p.id = g.product_id";
const CURRENCY_OF: &str = "SELECT currency, last_login_at FROM customers WHERE id = $1";
const ANY_EVENT: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM customer_events LIMIT 1) e";
const EVENTS_OF: &str = "SELECT kind, COUNT(*) AS n, MIN(occurred_at) AS first_at, \
    MAX(occurred_at) AS last_at FROM customer_events WHERE customer_id = $1 AND occurred_at <= $2 \
    GROUP BY kind ORDER BY kind";
const EMAILS_SENT: &str = "SELECT COUNT(*) FROM emails WHERE customer_id = $1 \
    AND status IN ('sent', 'delivered') AND created_at <= $2";
const EVENT_CUSTOMER: &str = "SELECT id FROM customers WHERE email = $1";
const EVENT_MERGED: &str =
    "SELECT target_id FROM merges WHERE source_email = $1 ORDER BY id DESC LIMIT 1";
const INSERT_EVENT: &str = "INSERT INTO customer_events (customer_id, kind, occurred_at, detail) \
    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

pub async fn purchase_scan(pool: &Pool, until: DateTime<Utc>) -> Result<PurchaseScan> {
    let (lo, hi): (Option<i64>, Option<i64>) = sqlx::query_as(ID_RANGE).fetch_one(pool).await?;
    let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(-1));
    let mid = lo + (hi - lo) / 2;
    // Two halves of the id range on two connections: the machine has two cores and the fold
    // per row is about as costly as reading it.
    let (first, second) = tokio::try_join!(
        scan_purchases(pool, lo, mid, stamp(until)),
        scan_purchases(pool, mid + 1, hi, stamp(until)),
    )?;
    Ok(first.append(second))
}

fn score_row(r: &DbRow) -> Result<ScoreRow> {
    let text = |col: &str| -> Result<String> { Ok(r.try_get(col)?) };
    let segment = SegmentKey::parse(&text("segment")?)
        .ok_or_else(|| StoreError::Db("customer_scores.segment: unknown value".into()))?;
    let churn = ChurnRisk::parse(&text("churn_risk")?)
        .ok_or_else(|| StoreError::Db("customer_scores.churn_risk: unknown value".into()))?;
    let known: bool = r.try_get("clv_known")?;
    let score = |col: &str| -> Result<u8> { Ok(r.try_get::<i64, _>(col)?.clamp(0, 5) as u8) };
    Ok(ScoreRow {
        customer_id: r.try_get("customer_id")?,
        purchases: r.try_get("purchases")?,
        net_spent: r.try_get("net_spent")?,
        currency: text("currency")?,
        recency_days: r.try_get("recency_days")?,
        mean_days_between: r.try_get("mean_days_between")?,
        p_alive: r.try_get("p_alive")?,
        expected_purchases: r.try_get("expected_purchases")?,
        expected_spend: r.try_get("expected_spend")?,
        clv: known.then(|| r.try_get("clv")).transpose()?,
        r: score("r_score")?,
        f: score("f_score")?,
        m: score("m_score")?,
        segment,
        churn,
        churn_reason: text("churn_reason")?,
    })
}

fn fit_record(r: &DbRow) -> Result<FitRecord> {
    let f = |col: &str| -> Result<f64> { Ok(r.try_get(col)?) };
    let gg = match (
        r.try_get::<Option<f64>, _>("gg_p")?,
        r.try_get::<Option<f64>, _>("gg_q")?,
        r.try_get::<Option<f64>, _>("gg_gamma")?,
        r.try_get::<Option<f64>, _>("gg_ll")?,
    ) {
        (Some(p), Some(q), Some(g), Some(ll)) => Some([p, q, g, ll]),
        _ => None,
    };
    Ok(FitRecord {
        id: r.try_get("id")?,
        fitted_at: ts(r, "fitted_at")?,
        until: ts(r, "until_at")?,
        horizon_days: r.try_get("horizon_days")?,
        monthly_discount: f("monthly_discount")?,
        customers: r.try_get("customers")?,
        repeat_buyers: r.try_get("repeat_buyers")?,
        bgnbd: [
            f("bgnbd_r")?,
            f("bgnbd_alpha")?,
            f("bgnbd_a")?,
            f("bgnbd_b")?,
            f("bgnbd_ll")?,
        ],
        currency: r.try_get("currency")?,
        gamma_gamma: gg,
        detail: json(r, "detail")?,
        seconds: f("seconds")?,
        staff: r.try_get("staff")?,
    })
}

pub async fn save_scores(
    pool: &Pool,
    staff: i64,
    fit: &NewFit,
    scores: &[ScoreRow],
) -> Result<SavedFit> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::RefreshScores).await?;
    let gg = fit.gamma_gamma;
    let fit_id: i64 = sqlx::query_scalar(INSERT_FIT)
        .bind(now())
        .bind(stamp(fit.until))
        .bind(fit.horizon_days)
        .bind(fit.monthly_discount)
        .bind(fit.customers)
        .bind(fit.repeat_buyers)
        .bind(fit.bgnbd[0])
        .bind(fit.bgnbd[1])
        .bind(fit.bgnbd[2])
        .bind(fit.bgnbd[3])
        .bind(fit.bgnbd[4])
        .bind(&fit.currency)
        .bind(gg.map(|g| g[0]))
        .bind(gg.map(|g| g[1]))
        .bind(gg.map(|g| g[2]))
        .bind(gg.map(|g| g[3]))
        .bind(json_param(&fit.detail))
        .bind(fit.seconds)
        .bind(staff)
        .fetch_one(&mut *tx)
        .await?;
    // How a million rows are best replaced differs: see each dialect's `replace_scores`.
    let rest = RestOfCustomers {
        fit_id,
        rank: SegmentKey::NoOrders.rank(),
    };
    replace_scores(&mut tx, fit_id, scores, &rest).await?;
    // Customers added while the scores were replaced (and, on SQLite, all without a score).
    rest.insert(&mut tx, "customer_scores").await?;
    let rules = apply_rules(&mut tx, staff).await?;
    let scored = scores.len() as i64;
    audit(
        &mut tx,
        Some(staff),
        "analytics.fit",
        None,
        json!({"fit_id": fit_id, "until": fit.until, "customers": fit.customers,
            "repeat_buyers": fit.repeat_buyers, "scored": scored, "rules": rules}),
    )
    .await?;
    let row = sqlx::query(CURRENT_FIT).fetch_one(&mut *tx).await?;
    let record = fit_record(&row)?;
    tx.commit().await?;
    Ok(SavedFit {
        fit: record,
        scored,
        rules,
    })
}

/// The customers a rule selects now.
async fn rule_matches(c: &mut Conn, rule: &GroupRule) -> Result<HashSet<i64>> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT c.id FROM customers c LEFT JOIN customer_scores s ON s.customer_id = c.id \
         WHERE c.status <> 'anonymized'",
    );
    if let Some(n) = rule.min_orders {
        qb.push(" AND c.order_count >= ").push_bind(n);
    }
    if let Some(m) = rule.min_spent {
        qb.push(" AND c.total_spent >= ").push_bind(m);
    }
    if let Some(seg) = rule.segment {
        qb.push(" AND s.segment = ").push_bind(seg.as_str());
    }
    if let Some(ch) = rule.churn {
        qb.push(" AND s.churn_risk = ").push_bind(ch.as_str());
    }
    if let Some(country) = &rule.country {
        qb.push(
            " AND EXISTS (SELECT 1 FROM addresses a WHERE a.customer_id = c.id AND a.country = ",
        )
        .push_bind(country.clone())
        .push(")");
    }
    let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *c).await?;
    Ok(ids.into_iter().collect())
}

async fn apply_rules(c: &mut Conn, staff: i64) -> Result<Vec<RuleReport>> {
    let groups: Vec<(i64, String, Option<String>)> =
        sqlx::query_as(RULED_GROUPS).fetch_all(&mut *c).await?;
    let mut out = Vec::new();
    for (gid, name, rule) in groups {
        let Some(rule) = rule.and_then(|r| serde_json::from_str::<GroupRule>(&r).ok()) else {
            continue;
        };
        let wanted = rule_matches(c, &rule).await?;
        let members: Vec<(i64, String)> = sqlx::query_as(MEMBERS_OF)
            .bind(gid)
            .fetch_all(&mut *c)
            .await?;
        let present: HashMap<i64, bool> = members
            .into_iter()
            .map(|(id, source)| (id, source == "rule"))
            .collect();
        let mut add: Vec<i64> = wanted
            .iter()
            .filter(|id| !present.contains_key(id))
            .copied()
            .collect();
        add.sort_unstable();
        let mut remove: Vec<i64> = present
            .iter()
            .filter(|(id, by_rule)| **by_rule && !wanted.contains(id))
            .map(|(id, _)| *id)
            .collect();
        remove.sort_unstable();
        let stamp = now();
        let why = rule.describe();
        for id in &add {
            sqlx::query(ADD_RULE_MEMBER)
                .bind(gid)
                .bind(*id)
                .bind(stamp)
                .execute(&mut *c)
                .await?;
            let details = json!({"group_id": gid, "group": name, "rule": why});
            audit(c, Some(staff), "group.rule.add", Some(*id), details).await?;
        }
        for id in &remove {
            sqlx::query(REMOVE_RULE_MEMBER)
                .bind(gid)
                .bind(*id)
                .execute(&mut *c)
                .await?;
            let details = json!({"group_id": gid, "group": name, "rule": why});
            audit(c, Some(staff), "group.rule.remove", Some(*id), details).await?;
        }
        out.push(RuleReport {
            group: name,
            added: add.len() as i64,
            removed: remove.len() as i64,
        });
    }
    Ok(out)
}

pub async fn set_group_rule(
    pool: &Pool,
    staff: i64,
    group: &str,
    rule: Option<&GroupRule>,
) -> Result<()> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageGroups).await?;
    let gid: i64 = sqlx::query_scalar(GROUP_BY_NAME)
        .bind(group)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no group named {group:?}")))?;
    lock_group(&mut tx, gid).await?;
    let text = match rule {
        Some(r) if r.is_empty() => {
            return Err(StoreError::Invalid(
                "rule: give at least one condition (or clear the rule)".into(),
            ));
        }
        Some(r) => Some(serde_json::to_string(r).map_err(|e| StoreError::Db(e.to_string()))?),
        None => None,
    };
    sqlx::query(SET_RULE)
        .bind(&text)
        .bind(now())
        .bind(gid)
        .execute(&mut *tx)
        .await?;
    if rule.is_none() {
        sqlx::query(RULE_TO_MANUAL)
            .bind(gid)
            .execute(&mut *tx)
            .await?;
    }
    let details = json!({"group_id": gid, "group": group, "rule": rule});
    audit(&mut tx, Some(staff), "group.rule", None, details).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn group_rules(pool: &Pool) -> Result<Vec<(String, GroupRule)>> {
    let groups: Vec<(i64, String, Option<String>)> =
        sqlx::query_as(RULED_GROUPS).fetch_all(pool).await?;
    Ok(groups
        .into_iter()
        .filter_map(|(_, name, rule)| {
            let rule = serde_json::from_str(rule.as_deref()?).ok()?;
            Some((name, rule))
        })
        .collect())
}

pub async fn current_fit(pool: &Pool) -> Result<Option<FitRecord>> {
    let row = sqlx::query(CURRENT_FIT).fetch_optional(pool).await?;
    row.as_ref().map(fit_record).transpose()
}

pub async fn customer_score(pool: &Pool, customer: i64) -> Result<Option<ScoreRow>> {
    let row = sqlx::query(SCORE_OF)
        .bind(customer)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(score_row).transpose()
}

pub async fn segment_summary(pool: &Pool) -> Result<SegmentSummary> {
    let rows = sqlx::query(SEGMENTS).fetch_all(pool).await?;
    let mut segments = Vec::new();
    for r in &rows {
        let name: String = r.try_get("segment")?;
        let Some(segment) = SegmentKey::parse(&name) else {
            continue;
        };
        segments.push(SegmentCount {
            segment,
            customers: r.try_get("n")?,
            net_spent: r.try_get("spent")?,
            clv: r.try_get("clv")?,
        });
    }
    let rows = sqlx::query(CHURN).fetch_all(pool).await?;
    let mut churn = Vec::new();
    for r in &rows {
        let name: String = r.try_get("churn_risk")?;
        if let Some(c) = ChurnRisk::parse(&name) {
            churn.push(ChurnCount {
                churn: c,
                customers: r.try_get("n")?,
            });
        }
    }
    Ok(SegmentSummary { segments, churn })
}

/// The top three by one measure, ties by name.
fn top3(map: &HashMap<String, (i64, i64)>, by: impl Fn(&(i64, i64)) -> i64) -> Vec<Favourite> {
    let mut v: Vec<(&String, &(i64, i64))> = map.iter().filter(|(k, _)| !k.is_empty()).collect();
    v.sort_by(|a, b| by(b.1).cmp(&by(a.1)).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(3)
        .map(|(name, &(quantity, spent))| Favourite {
            name: name.clone(),
            quantity,
            spent,
        })
        .collect()
}

pub async fn behaviour(
    pool: &Pool,
    customer: i64,
    until: Option<DateTime<Utc>>,
) -> Result<Behaviour> {
    let until = stamp(until.unwrap_or(DateTime::<Utc>::MAX_UTC));
    // Four independent reads on four pooled connections: a 10,000-order customer's item
    // aggregate is most of the time, and waiting for it alone is what the tab costs.
    let (customer_row, r, refunded, bought) = tokio::try_join!(
        sqlx::query_as::<_, (String, Option<Stamp>)>(CURRENCY_OF)
            .bind(customer)
            .fetch_optional(pool),
        sqlx::query(BEHAVIOUR)
            .bind(customer)
            .bind(until)
            .fetch_one(pool),
        sqlx::query_scalar::<_, i64>(REFUNDED)
            .bind(customer)
            .bind(until)
            .fetch_one(pool),
        sqlx::query(BOUGHT)
            .bind(customer)
            .bind(until)
            .fetch_all(pool),
    )?;
    let (currency, _) = customer_row
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {customer}")))?;
    let mut products: HashMap<String, (i64, i64)> = HashMap::new();
    let mut categories: HashMap<String, (i64, i64)> = HashMap::new();
    let mut brands: HashMap<String, (i64, i64)> = HashMap::new();
    let mut items = 0;
    for b in &bought {
        let q: i64 = b.try_get("quantity")?;
        let s: i64 = b.try_get("spent")?;
        items += q;
        for (map, col) in [
            (&mut products, "name"),
            (&mut categories, "category"),
            (&mut brands, "brand"),
        ] {
            let e = map.entry(b.try_get(col)?).or_insert((0, 0));
            e.0 += q;
            e.1 += s;
        }
    }
    let subtotal: i64 = r.try_get("subtotal_sum")?;
    let discount: i64 = r.try_get("discount_sum")?;
    Ok(Behaviour {
        orders: r.try_get("orders")?,
        paid_orders: r.try_get("paid")?,
        spent: r.try_get("spent")?,
        refunded,
        currency,
        first_order_at: ts_opt(&r, "first_at")?,
        last_order_at: ts_opt(&r, "last_at")?,
        items,
        discounted_orders: r.try_get("discounted")?,
        discount_depth_bps: (subtotal > 0).then(|| discount * 10_000 / subtotal),
        refunded_orders: r.try_get("refunded_orders")?,
        returned_orders: r.try_get("returned")?,
        products_by_quantity: top3(&products, |v| v.0),
        products_by_spend: top3(&products, |v| v.1),
        categories_by_quantity: top3(&categories, |v| v.0),
        categories_by_spend: top3(&categories, |v| v.1),
        brands_by_quantity: top3(&brands, |v| v.0),
        brands_by_spend: top3(&brands, |v| v.1),
    })
}

pub async fn engagement(
    pool: &Pool,
    customer: i64,
    until: Option<DateTime<Utc>>,
) -> Result<EngagementFacts> {
    let until = stamp(until.unwrap_or(DateTime::<Utc>::MAX_UTC));
    let row = sqlx::query(CURRENCY_OF)
        .bind(customer)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {customer}")))?;
    let last_login_at = ts_opt(&row, "last_login_at")?;
    let any: i64 = sqlx::query_scalar(ANY_EVENT).fetch_one(pool).await?;
    let rows = sqlx::query(EVENTS_OF)
        .bind(customer)
        .bind(until)
        .fetch_all(pool)
        .await?;
    let mut events = Vec::new();
    for r in &rows {
        let kind: String = r.try_get("kind")?;
        let Some(kind) = EventKind::parse(&kind) else {
            continue;
        };
        events.push(EventCount {
            kind,
            count: r.try_get("n")?,
            first_at: ts(r, "first_at")?,
            last_at: ts(r, "last_at")?,
        });
    }
    let emails_sent: i64 = sqlx::query_scalar(EMAILS_SENT)
        .bind(customer)
        .bind(until)
        .fetch_one(pool)
        .await?;
    Ok(EngagementFacts {
        shop_has_events: any > 0,
        events,
        emails_sent,
        last_login_at,
    })
}

pub async fn import_events(
    pool: &Pool,
    staff: Option<i64>,
    rows: &[(u64, EventRow)],
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = begin(pool).await?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut rep = ImportReport::default();
    for (i, (line, row)) in rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i);
        }
        let email = patron_domain::email::normalize(&row.email);
        let id = match ids.get(&email) {
            Some(id) => *id,
            None => {
                let mut found: Option<i64> = sqlx::query_scalar(EVENT_CUSTOMER)
                    .bind(&email)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    found = sqlx::query_scalar(EVENT_MERGED)
                        .bind(&email)
                        .fetch_optional(&mut *tx)
                        .await?;
                }
                let id = found.ok_or_else(|| {
                    StoreError::Invalid(format!(
                        "line {line}: no customer with email {email:?}; nothing was imported"
                    ))
                })?;
                ids.insert(email, id);
                id
            }
        };
        let done = sqlx::query(INSERT_EVENT)
            .bind(id)
            .bind(row.kind.as_str())
            .bind(stamp(row.occurred_at))
            .bind(&row.detail)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() > 0 {
            rep.inserted += 1;
        } else {
            rep.unchanged += 1;
        }
    }
    audit(
        &mut tx,
        staff,
        "import.events",
        None,
        json!({"rows": rows.len(), "report": rep}),
    )
    .await?;
    tx.commit().await?;
    Ok(rep)
}

#[async_trait::async_trait]
impl Analytics for BackendStore {
    async fn purchase_scan(&self, until: DateTime<Utc>) -> Result<PurchaseScan> {
        purchase_scan(&self.pool, until).await
    }

    async fn save_scores(&self, staff: i64, fit: &NewFit, scores: &[ScoreRow]) -> Result<SavedFit> {
        save_scores(&self.pool, staff, fit, scores).await
    }

    async fn current_fit(&self) -> Result<Option<FitRecord>> {
        current_fit(&self.pool).await
    }

    async fn customer_score(&self, customer: i64) -> Result<Option<ScoreRow>> {
        customer_score(&self.pool, customer).await
    }

    async fn segment_summary(&self) -> Result<SegmentSummary> {
        segment_summary(&self.pool).await
    }

    async fn behaviour(&self, customer: i64, until: Option<DateTime<Utc>>) -> Result<Behaviour> {
        behaviour(&self.pool, customer, until).await
    }

    async fn engagement(
        &self,
        customer: i64,
        until: Option<DateTime<Utc>>,
    ) -> Result<EngagementFacts> {
        engagement(&self.pool, customer, until).await
    }

    async fn import_events(
        &self,
        staff: Option<i64>,
        rows: &[(u64, EventRow)],
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        import_events(&self.pool, staff, rows, progress).await
    }

    async fn set_group_rule(
        &self,
        staff: i64,
        group: &str,
        rule: Option<&GroupRule>,
    ) -> Result<()> {
        set_group_rule(&self.pool, staff, group, rule).await
    }

    async fn group_rules(&self) -> Result<Vec<(String, GroupRule)>> {
        group_rules(&self.pool).await
    }
}
