//! `Analytics`: what the customer-value model reads in one pass over the store, the fitted model
//! and every customer's scores as kept, one customer's purchase behaviour and engagement, the
//! engagement events import, and rule-based group memberships applied with each refresh.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use patron_clv::score::Summary;
use serde::Serialize;
use serde_json::Value;

use super::model::*;
use super::{Progress, Result};

/// Every purchase up to a cut-off, folded per customer (`patron_clv::score::Folder`), and the
/// revenue per month seen on the way. A purchase is an order with a customer, paid or partially
/// refunded; a partially refunded one is valued at its total less its refund transactions. An
/// order still marked paid is taken at its total: its payment status is what says whether money
/// went back, and looking up refunds for every one of millions of paid orders would double the
/// scan. A customer who bought in several currencies is summarised in the first one's (their
/// amounts are added as they are; patron has no exchange rates).
#[derive(Debug, Clone, Default)]
pub struct PurchaseScan {
    pub summaries: Vec<Summary>,
    /// Currency codes; `Summary::currency` indexes this.
    pub currencies: Vec<String>,
    /// (year, month 1-12, currency index) → (net revenue in minor units, orders), by month.
    pub months: Vec<MonthRevenue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRevenue {
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub revenue: i64,
    pub orders: i64,
    /// Customers whose first purchase fell in this month (in this currency).
    pub new_customers: i64,
}

/// One customer's scores as kept in `customer_scores`. Everything model-based is `None` for a
/// customer without purchases (segment and churn risk are then `NoOrders`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    pub customer_id: i64,
    pub purchases: i64,
    pub net_spent: i64,
    pub currency: String,
    pub recency_days: Option<i64>,
    pub mean_days_between: Option<f64>,
    pub p_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    /// Minor units per purchase.
    pub expected_spend: Option<f64>,
    /// Minor units over the fit's horizon, discounted monthly.
    pub clv: Option<i64>,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: SegmentKey,
    pub churn: ChurnRisk,
    pub churn_reason: String,
}

/// The store-wide model, as fitted and kept (`model_fits`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitRecord {
    pub id: i64,
    pub fitted_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub horizon_days: i64,
    pub monthly_discount: f64,
    pub customers: i64,
    pub repeat_buyers: i64,
    /// r, alpha, a, b, log-likelihood.
    pub bgnbd: [f64; 5],
    pub currency: String,
    /// p, q, gamma, log-likelihood of the main currency; `None` when it could not be fitted.
    pub gamma_gamma: Option<[f64; 4]>,
    /// Every currency's spend fit, the churn reference, convergence, monthly series, segment
    /// and churn counts at fit time.
    pub detail: Value,
    pub seconds: f64,
    pub staff: Option<String>,
}

/// What `save_scores` is given; the store adds id, time and staff.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFit {
    pub until: DateTime<Utc>,
    pub horizon_days: i64,
    pub monthly_discount: f64,
    pub customers: i64,
    pub repeat_buyers: i64,
    pub bgnbd: [f64; 5],
    pub currency: String,
    pub gamma_gamma: Option<[f64; 4]>,
    pub detail: Value,
    pub seconds: f64,
}

impl NewFit {
    /// The record a fit that is reported but not kept (a back-test) shows as.
    pub fn unsaved(self) -> FitRecord {
        FitRecord {
            id: 0,
            fitted_at: Utc::now(),
            until: self.until,
            horizon_days: self.horizon_days,
            monthly_discount: self.monthly_discount,
            customers: self.customers,
            repeat_buyers: self.repeat_buyers,
            bgnbd: self.bgnbd,
            currency: self.currency,
            gamma_gamma: self.gamma_gamma,
            detail: self.detail,
            seconds: self.seconds,
            staff: None,
        }
    }
}

/// What a refresh did to the rule-based groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleReport {
    pub group: String,
    pub added: i64,
    pub removed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedFit {
    pub fit: FitRecord,
    pub scored: i64,
    pub rules: Vec<RuleReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentCount {
    pub segment: SegmentKey,
    pub customers: i64,
    /// Net spent of its customers, minor units (main currency and others summed as stored).
    pub net_spent: i64,
    pub clv: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChurnCount {
    pub churn: ChurnRisk,
    pub customers: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SegmentSummary {
    pub segments: Vec<SegmentCount>,
    pub churn: Vec<ChurnCount>,
}

/// A group's auto-assignment rule (every given condition must hold). Money in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub struct GroupRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_orders: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_spent: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub churn: Option<ChurnRisk>,
    /// ISO country code of any of the customer's addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl GroupRule {
    pub fn is_empty(&self) -> bool {
        *self == GroupRule::default()
    }

    /// "orders ≥ 5, segment Champions".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.min_orders {
            parts.push(format!("orders >= {n}"));
        }
        if let Some(m) = self.min_spent {
            parts.push(format!("spent >= {}", crate::analytics::major(m)));
        }
        if let Some(s) = self.segment {
            parts.push(format!("segment {}", crate::analytics::segment_label(s)));
        }
        if let Some(c) = self.churn {
            parts.push(format!("churn risk {c}"));
        }
        if let Some(c) = &self.country {
            parts.push(format!("country {c}"));
        }
        parts.join(", ")
    }
}

/// A product, category or brand a customer bought, by quantity and by net spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Favourite {
    pub name: String,
    pub quantity: i64,
    pub spent: i64,
}

/// One customer's purchase behaviour from their orders up to a cut-off.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Behaviour {
    /// Every order, whatever its state.
    pub orders: i64,
    /// Paid or partially refunded: the purchases the model and "spent" count.
    pub paid_orders: i64,
    /// Paid and partially refunded orders' totals, before refunds (as the customer list's "spent").
    pub spent: i64,
    pub refunded: i64,
    pub currency: String,
    pub first_order_at: Option<DateTime<Utc>>,
    pub last_order_at: Option<DateTime<Utc>>,
    pub items: i64,
    pub discounted_orders: i64,
    /// Sum of discounts over sum of subtotals, in basis points (price sensitivity).
    pub discount_depth_bps: Option<i64>,
    pub refunded_orders: i64,
    pub returned_orders: i64,
    pub products_by_quantity: Vec<Favourite>,
    pub products_by_spend: Vec<Favourite>,
    pub categories_by_quantity: Vec<Favourite>,
    pub categories_by_spend: Vec<Favourite>,
    pub brands_by_quantity: Vec<Favourite>,
    pub brands_by_spend: Vec<Favourite>,
}

/// Counts and last time of one kind of engagement event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventCount {
    pub kind: EventKind,
    pub count: i64,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
}

/// One customer's engagement: imported events and the emails we sent them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct EngagementFacts {
    /// Whether any engagement event was ever imported for this shop: without that, every
    /// engagement figure is absent, not zero.
    pub shop_has_events: bool,
    pub events: Vec<EventCount>,
    /// Emails in the message log that went out (sent or delivered).
    pub emails_sent: i64,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// One row of `patron import events`: the customer by email, what happened and when.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub email: String,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub detail: String,
}

#[async_trait]
pub trait Analytics: Send + Sync {
    /// Every purchase placed up to `until`, folded per customer; one pass over the orders.
    async fn purchase_scan(&self, until: DateTime<Utc>) -> Result<PurchaseScan>;
    /// Keeps a fit: in one transaction, the new `model_fits` row, every customer's scores
    /// replaced (customers without purchases get a `NoOrders` row), the rule-based groups
    /// re-applied (memberships a rule added are `rule`; hand-made ones are never touched), and
    /// the audit entries ("analytics.fit", one "group.rule.add"/"group.rule.remove" per membership).
    async fn save_scores(&self, staff: i64, fit: &NewFit, scores: &[ScoreRow]) -> Result<SavedFit>;
    /// The newest fit, if any.
    async fn current_fit(&self) -> Result<Option<FitRecord>>;
    async fn customer_score(&self, customer: i64) -> Result<Option<ScoreRow>>;
    /// Customers, net spent and CLV per segment, and customers per churn risk, from the kept scores.
    async fn segment_summary(&self) -> Result<SegmentSummary>;
    /// From the customer's orders placed up to `until` (all when `None`).
    async fn behaviour(&self, customer: i64, until: Option<DateTime<Utc>>) -> Result<Behaviour>;
    async fn engagement(
        &self,
        customer: i64,
        until: Option<DateTime<Utc>>,
    ) -> Result<EngagementFacts>;
    /// Adds events (by customer email, with their file line) in one transaction; an unknown
    /// email fails the whole import naming its line; an event already stored is `unchanged`.
    async fn import_events(
        &self,
        staff: Option<i64>,
        rows: &[(u64, EventRow)],
        progress: Progress<'_>,
    ) -> Result<ImportReport>;
    /// Sets or clears (`None`) a group's rule (ManageGroups; audited "group.rule"). Clearing
    /// keeps the memberships it made, now as hand-made ones.
    async fn set_group_rule(&self, staff: i64, group: &str, rule: Option<&GroupRule>)
    -> Result<()>;
    /// Groups that carry a rule: (name, rule).
    async fn group_rules(&self) -> Result<Vec<(String, GroupRule)>>;
}

/// The fold both backends' purchase scans run row by row: customers' summaries, the currency
/// table and the monthly revenue. A scan split over id ranges folds each range apart and
/// `PurchaseScan::append`s them in id order.
#[derive(Default)]
pub struct PurchaseFold {
    folder: patron_clv::score::Folder,
    currencies: Vec<String>,
    /// (months since year 0, currency) → (revenue, orders).
    months: std::collections::BTreeMap<(i32, u16), (i64, i64)>,
    /// The day last converted to a month: rows come in day order per customer, so this saves
    /// most calendar arithmetic.
    month_of: Option<(i32, i32)>,
}

pub const SECS_PER_DAY: i64 = 86_400;

/// Months since year 0 of a day number (days since 1970-01-01, UTC).
pub fn month_index(day: i32) -> i32 {
    use chrono::Datelike;
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(day + 719_163)
        .unwrap_or(chrono::NaiveDate::MIN);
    date.year() * 12 + date.month0() as i32
}

impl PurchaseFold {
    /// One purchase: customer, placed at (unix seconds), net value (minor units), currency.
    pub fn push(&mut self, customer: i64, at: i64, value: i64, currency: &[u8]) {
        let cur = match self
            .currencies
            .iter()
            .position(|c| c.as_bytes() == currency)
        {
            Some(i) => i as u16,
            None => {
                self.currencies
                    .push(String::from_utf8_lossy(currency).into_owned());
                (self.currencies.len() - 1) as u16
            }
        };
        let day = at.div_euclid(SECS_PER_DAY) as i32;
        let month = match self.month_of {
            Some((d, m)) if d == day => m,
            _ => {
                let m = month_index(day);
                self.month_of = Some((day, m));
                m
            }
        };
        let e = self.months.entry((month, cur)).or_insert((0, 0));
        e.0 += value;
        e.1 += 1;
        self.folder.push(customer, day, value, cur);
    }

    pub fn finish(self) -> PurchaseScan {
        let summaries = self.folder.finish();
        let mut new_customers: std::collections::HashMap<(i32, u16), i64> = Default::default();
        for s in &summaries {
            *new_customers
                .entry((month_index(s.first_day), s.currency))
                .or_insert(0) += 1;
        }
        let months = self
            .months
            .iter()
            .map(|(&(m, c), &(revenue, orders))| MonthRevenue {
                month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                currency: self.currencies[c as usize].clone(),
                revenue,
                orders,
                new_customers: new_customers.get(&(m, c)).copied().unwrap_or(0),
            })
            .collect();
        PurchaseScan {
            summaries,
            currencies: self.currencies,
            months,
        }
    }
}

impl PurchaseScan {
    /// This scan followed by `next`, whose customers all come after this one's.
    pub fn append(mut self, next: PurchaseScan) -> PurchaseScan {
        let remap: Vec<u16> = next
            .currencies
            .iter()
            .map(|c| match self.currencies.iter().position(|x| x == c) {
                Some(i) => i as u16,
                None => {
                    self.currencies.push(c.clone());
                    (self.currencies.len() - 1) as u16
                }
            })
            .collect();
        self.summaries
            .extend(next.summaries.into_iter().map(|mut s| {
                s.currency = remap[s.currency as usize];
                s
            }));
        for m in next.months {
            match self
                .months
                .iter_mut()
                .find(|x| x.month == m.month && x.currency == m.currency)
            {
                Some(x) => {
                    x.revenue += m.revenue;
                    x.orders += m.orders;
                    x.new_customers += m.new_customers;
                }
                None => self.months.push(m),
            }
        }
        self.months
            .sort_by(|a, b| (&a.month, &a.currency).cmp(&(&b.month, &b.currency)));
        self
    }
}
