//! Store scoring: folds purchase rows into per-customer summaries, fits BG/NBD and per-currency Gamma-Gamma on them, and scores every customer.
//!
//! Conventions, in one place so that [`fit`] and [`score`] cannot disagree:
//! - Days are whole UTC days since the Unix epoch; the models' clock is weeks = days / 7.
//! - The observation ends at the **end** of `until_day` and a customer's clock starts at the
//!   start of their first purchase day: age T = (until_day + 1 − first_day) / 7 and
//!   t_x = (last_day − first_day) / 7. BG/NBD needs T > 0, and with this convention a first
//!   purchase on `until_day` itself has T = 1/7 rather than a refused T = 0. It also keeps
//!   t_x < T, so buying today is slightly short of "bought at the very end".
//! - Summaries with `first_day > until_day` are ignored. Fold only rows up to `until_day`: a
//!   `last_day` or `second_day` after it is clamped to `until_day` so the numbers stay defined,
//!   but the counts then include purchases the cut-off should have hidden.
//! - Money is net of refunds, in minor units (cents) everywhere in this module's API.
//!   Gamma-Gamma sees repeat transactions only: mean m_x = (total − first_value) / x, in major
//!   units. A repeat buyer whose m_x is not positive (refunds ate their repeat orders) cannot
//!   be given to Gamma-Gamma and is left out of the spend fit. When scored, their own mean is
//!   floored at 0, which pulls their expected spend below the population mean.
//!
//! Churn rule (constants named below; the reason string always says which row fired, with
//! its numbers):
//!
//! | buyer                | condition                                                   | risk   |
//! |----------------------|-------------------------------------------------------------|--------|
//! | one-time (x = 0)     | no repeat buyer in the store to compare with                | Medium |
//! | one-time             | recency ≤ median days from first to second purchase         | Low    |
//! | one-time             | recency ≤ 90th percentile of those days                     | Medium |
//! | one-time             | recency > that 90th percentile                              | High   |
//! | repeat (x ≥ 1)       | P(alive) < [`CHURN_HIGH_BELOW`] = 0.3                       | High   |
//! | repeat               | P(alive) < [`CHURN_MEDIUM_BELOW`] = 0.7                     | Medium |
//! | repeat               | recency > [`CHURN_SILENCE_RHYTHMS`] = 2 × mean days between | Medium |
//! | repeat               | otherwise                                                   | Low    |
//!
//! BG/NBD says P(alive) = 1 for every one-time buyer (dropout happens only after a repeat
//! purchase), so for them the store's own time to a second purchase is the reference.

use std::collections::HashMap;
use std::fmt;

use crate::{
    BgNbd, Customer, DAYS_PER_WEEK, FitError, FitResult, GammaGamma, Rfm, Segment, Spend, clv,
    compress, rfm_scores, segment,
};

mod churn;
use crate::parallel::map_chunks;

use churn::churn;
pub use churn::{CHURN_HIGH_BELOW, CHURN_MEDIUM_BELOW, CHURN_SILENCE_RHYTHMS, ChurnRisk};

/// Upper bounds (inclusive) of the mean days between purchase days for each frequency label.
/// 10 rather than 7 days for "weekly", because a weekly shopper who skips a week now and then
/// is still weekly. "Monthly" goes up to 45 and "quarterly" up to 120 days, about 1.5 and 1.3
/// times their nominal period, for the same reason.
pub const WEEKLY_MAX_DAYS: f64 = 10.0;
pub const MONTHLY_MAX_DAYS: f64 = 45.0;
pub const QUARTERLY_MAX_DAYS: f64 = 120.0;

/// Width of the log-spend bins the Gamma-Gamma fit compresses repeat buyers into: 0.2%, so
/// each mean spend moves by at most 0.1%. Spends are continuous, so exact (x, m_x) rows barely
/// merge, and 400k repeat buyers would cost ~8 s of likelihood evaluations. The shift is far
/// below the spread of spends within a customer that the model estimates, so the fitted
/// parameters do not change noticeably. Scoring uses each customer's exact mean.
pub const SPEND_BIN_LOG_WIDTH: f64 = 2e-3;

/// One customer's purchases folded to what the models need. Days are whole UTC days since the
/// Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub id: i64,
    pub first_day: i32,
    /// Day of the second distinct purchase day, if any (the reference for one-time buyers'
    /// churn rule).
    pub second_day: Option<i32>,
    pub last_day: i32,
    /// Distinct purchase days (same-day orders merged): BG/NBD x = purchase_days − 1.
    pub purchase_days: u32,
    /// Orders counted before merging days.
    pub orders: u32,
    /// Net value of all purchases, minor units (cents).
    pub total: i64,
    /// Net value of the first purchase day, minor units (Gamma-Gamma uses repeat transactions
    /// only).
    pub first_value: i64,
    /// Index into the caller's currency table.
    pub currency: u16,
}

/// Folds purchase rows given in (customer, day) order into summaries.
///
/// A day counts as a purchase day whatever its net value, so an order refunded to zero still
/// counts: the customer came back, which is what BG/NBD counts, and the refund already shows
/// in the value. A customer's currency is that of their first row; the caller converts or
/// splits customers who paid in several currencies. Rows of one customer that are not
/// contiguous give two summaries with the same id.
#[derive(Debug)]
pub struct Folder {
    out: Vec<Summary>,
    customer: i64,
    currency: u16,
    /// The current customer's (day, value) rows. The buffer is reused across customers, so
    /// folding allocates nothing per customer, and a row out of day order can be sorted into
    /// place instead of corrupting first/second/last day.
    rows: Vec<(i32, i64)>,
    in_order: bool,
}

impl Default for Folder {
    fn default() -> Self {
        Folder::new()
    }
}

impl Folder {
    pub fn new() -> Self {
        Folder {
            out: Vec::new(),
            customer: 0,
            currency: 0,
            rows: Vec::new(),
            in_order: true,
        }
    }

    /// One order: customer id, its UTC day, its net value in minor units, its currency index.
    /// Rows of one customer must be contiguous and in day order. Debug builds assert the order.
    /// Release builds sort a customer's rows when one arrives out of order, so the summary is
    /// still exact.
    pub fn push(&mut self, customer: i64, day: i32, value: i64, currency: u16) {
        if self.rows.is_empty() || customer != self.customer {
            self.flush();
            self.customer = customer;
            self.currency = currency;
        } else if let Some(&(previous, _)) = self.rows.last() {
            debug_assert!(
                day >= previous,
                "Folder::push: customer {customer}'s rows are not in day order ({day} after {previous})"
            );
            if day < previous {
                self.in_order = false;
            }
        }
        self.rows.push((day, value));
    }

    pub fn finish(mut self) -> Vec<Summary> {
        self.flush();
        self.out
    }

    fn flush(&mut self) {
        let Some(&(first_day, _)) = self.rows.first() else {
            return;
        };
        let first_day = if self.in_order {
            first_day
        } else {
            // Stable, so same-day rows keep their order; only the day matters anyway.
            self.rows.sort_by_key(|&(day, _)| day);
            self.rows[0].0
        };
        let mut s = Summary {
            id: self.customer,
            first_day,
            second_day: None,
            last_day: first_day,
            purchase_days: 1,
            orders: u32::try_from(self.rows.len()).unwrap_or(u32::MAX),
            total: 0,
            first_value: 0,
            currency: self.currency,
        };
        for &(day, value) in &self.rows {
            if day != s.last_day {
                s.purchase_days = s.purchase_days.saturating_add(1);
                s.second_day.get_or_insert(day);
                s.last_day = day;
            }
            if day == first_day {
                s.first_value = s.first_value.saturating_add(value);
            }
            s.total = s.total.saturating_add(value);
        }
        self.out.push(s);
        self.rows.clear();
        self.in_order = true;
    }
}

/// What the store is scored with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// "Today" for the model (calibration cut-off): summaries are taken as of the end of this
    /// day. Summaries whose first_day > until_day are ignored by fit and score.
    pub until_day: i32,
    /// How far ahead expected purchases and CLV look.
    pub horizon_days: u32,
    /// Monthly discount rate of CLV, e.g. 0.01. CLV is None for everyone when it is not
    /// finite or ≤ −1.
    pub monthly_discount: f64,
    /// Minor units per major unit of every currency (100 for cents). The spend model is fitted
    /// in major units, where its start point and tolerances were tuned.
    pub minor_per_major: f64,
}

impl Settings {
    /// A one-year horizon, 1% monthly discount, cents.
    pub fn new(until_day: i32) -> Self {
        Settings {
            until_day,
            horizon_days: 365,
            monthly_discount: 0.01,
            minor_per_major: 100.0,
        }
    }
}

/// The store's fitted models and the reference numbers the churn rule needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub bgnbd: FitResult<BgNbd>,
    /// Gamma-Gamma per currency index (len = number of currencies given to fit); Err when that
    /// currency's repeat buyers cannot identify it, with the reason.
    pub spend: Vec<Result<FitResult<GammaGamma>, FitError>>,
    /// Customers with at least one purchase by until_day.
    pub customers: usize,
    /// Of those, purchase_days >= 2.
    pub repeat_buyers: usize,
    /// Days from first to second purchase day among repeat buyers: (median, 90th percentile),
    /// the reference for the one-time-buyer churn rule. None without repeat buyers.
    pub second_purchase_days: Option<(f64, f64)>,
}

/// A summary as the models see it at the cut-off (see the module docs for the conventions).
struct Observed {
    x: u32,
    /// last_day − first_day, with last_day clamped into [first_day, until_day].
    t_days: i64,
    /// until_day + 1 − first_day, ≥ 1.
    age_days: i64,
    recency_days: i64,
}

impl Observed {
    fn of(s: &Summary, until_day: i32) -> Option<Observed> {
        if s.first_day > until_day {
            return None;
        }
        let last_day = s.last_day.clamp(s.first_day, until_day);
        Some(Observed {
            x: s.purchase_days.saturating_sub(1),
            t_days: i64::from(last_day) - i64::from(s.first_day),
            age_days: i64::from(until_day) + 1 - i64::from(s.first_day),
            recency_days: i64::from(until_day) - i64::from(last_day),
        })
    }

    /// The row the fit sees: t_x and T in whole weeks, the model's time unit. A store whose
    /// customers span years has almost as many distinct (x, t_x, T) in days as customers (597,106
    /// of 853,587 on the 1M demo, 12.5 s to fit); in weeks they compress about 40-fold, and the
    /// half-week rounding moves the fitted parameters far less than their sampling error.
    /// Scoring uses the exact days (`rfm`).
    fn fit_row(&self) -> Rfm {
        let age = (self.age_days as f64 / DAYS_PER_WEEK).round().max(1.0);
        let t_x = (self.t_days as f64 / DAYS_PER_WEEK).round().min(age);
        Rfm::new(self.x, t_x, age)
    }

    /// The BG/NBD row, in weeks. Whole days are already sevenths, and rounding makes the
    /// representation identical to what `rounded_to_days` gives any other caller.
    fn rfm(&self) -> Rfm {
        Rfm::new(self.x, weeks(self.t_days), weeks(self.age_days))
    }
}

/// Whole days as the weeks the scoring rows carry (`Rfm::rounded_to_days` of days / 7).
fn weeks(days: i64) -> f64 {
    Rfm::new(0, 0.0, days as f64 / DAYS_PER_WEEK)
        .rounded_to_days()
        .age
}

/// Fits BG/NBD on every customer seen by `until_day` and Gamma-Gamma on each currency's repeat
/// buyers (`currencies` = length of the caller's currency table; summaries with a currency
/// index beyond it get no spend fit).
///
/// Fails only when BG/NBD cannot be fitted (e.g. [`FitError::TooFewCustomers`] below 50
/// customers, then [`FitError::TooFewRepeatBuyers`] below 10 repeat buyers). A currency whose
/// spend cannot be fitted gets its error in [`Fitted::spend`].
pub fn fit(
    summaries: &[Summary],
    currencies: usize,
    settings: &Settings,
) -> Result<Fitted, FitError> {
    let until = settings.until_day;
    let mut customers = 0usize;
    let mut repeat_buyers = 0usize;
    let mut second_gaps: Vec<i64> = Vec::new();
    // (currency, x, log-spend bin), one per repeat buyer with a positive repeat mean.
    let mut spend_keys: Vec<(u16, u32, i64)> = Vec::new();
    // Streamed into compress so that 1M customers never exist as 1M BG/NBD rows at once.
    let rows = compress(summaries.iter().filter_map(|s| {
        let o = Observed::of(s, until)?;
        customers += 1;
        if o.x > 0 {
            repeat_buyers += 1;
            if let Some(second) = s.second_day.filter(|&d| d > s.first_day && d <= until) {
                second_gaps.push(i64::from(second) - i64::from(s.first_day));
            }
            let m_x = repeat_mean(s, o.x, settings.minor_per_major);
            if usize::from(s.currency) < currencies && m_x > 0.0 && m_x.is_finite() {
                let bin = (m_x.ln() / SPEND_BIN_LOG_WIDTH).round() as i64;
                spend_keys.push((s.currency, o.x, bin));
            }
        }
        Some(o.fit_row())
    }));
    let bgnbd = BgNbd::fit(&rows)?;
    drop(rows);

    // Sorted by (currency, x, bin): merging runs compresses, and Gamma-Gamma's likelihood
    // reuses its per-x terms across adjacent rows.
    spend_keys.sort_unstable();
    let mut spend_rows: Vec<Vec<Spend>> = vec![Vec::new(); currencies];
    for run in spend_keys.chunk_by(|l, r| l == r) {
        let (currency, x, bin) = run[0];
        spend_rows[usize::from(currency)].push(Spend {
            x,
            m_x: (bin as f64 * SPEND_BIN_LOG_WIDTH).exp(),
            weight: run.len() as f64,
        });
    }
    let spend = spend_rows
        .iter()
        .map(|rows| GammaGamma::fit(rows))
        .collect();

    second_gaps.sort_unstable();
    let second_purchase_days = (!second_gaps.is_empty())
        .then(|| (quantile(&second_gaps, 0.5), quantile(&second_gaps, 0.9)));
    Ok(Fitted {
        bgnbd,
        spend,
        customers,
        repeat_buyers,
        second_purchase_days,
    })
}

/// Mean value of the repeat purchase days, major units: (total − first_value) / x.
fn repeat_mean(s: &Summary, x: u32, minor_per_major: f64) -> f64 {
    s.total.saturating_sub(s.first_value) as f64 / f64::from(x) / minor_per_major
}

/// The q-quantile of sorted, non-empty values, interpolating linearly between order statistics
/// (numpy's default), so the median of an even count is the mean of the middle two.
fn quantile(sorted: &[i64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] as f64 + (pos - lo as f64) * (sorted[hi] - sorted[lo]) as f64
}

/// How often a customer buys, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrequencyLabel {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    OneTime,
}

impl FrequencyLabel {
    pub fn name(self) -> &'static str {
        match self {
            FrequencyLabel::Weekly => "weekly",
            FrequencyLabel::Monthly => "monthly",
            FrequencyLabel::Quarterly => "quarterly",
            FrequencyLabel::Yearly => "yearly",
            FrequencyLabel::OneTime => "one-time",
        }
    }
}

impl fmt::Display for FrequencyLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// None (no repeat purchase) is one-time. Otherwise the label is the first of weekly
/// (≤ [`WEEKLY_MAX_DAYS`]), monthly (≤ [`MONTHLY_MAX_DAYS`]) and quarterly
/// (≤ [`QUARTERLY_MAX_DAYS`]) that fits, and yearly beyond that.
pub fn frequency_label(mean_days_between: Option<f64>) -> FrequencyLabel {
    match mean_days_between {
        None => FrequencyLabel::OneTime,
        Some(d) if d <= WEEKLY_MAX_DAYS => FrequencyLabel::Weekly,
        Some(d) if d <= MONTHLY_MAX_DAYS => FrequencyLabel::Monthly,
        Some(d) if d <= QUARTERLY_MAX_DAYS => FrequencyLabel::Quarterly,
        Some(_) => FrequencyLabel::Yearly,
    }
}

/// One customer's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub id: i64,
    /// BG/NBD inputs as fitted: repeat purchase days, recency and age in weeks.
    pub x: u32,
    pub t_x: f64,
    pub age: f64,
    /// until_day − last_day.
    pub recency_days: i32,
    /// (last_day − first_day) / x for x > 0.
    pub mean_days_between: Option<f64>,
    pub p_alive: f64,
    /// Expected purchase days over the horizon.
    pub expected_purchases: f64,
    /// Expected value per future purchase day, minor units; None when the customer's currency
    /// has no spend fit.
    pub expected_spend: Option<f64>,
    /// Discounted value over the horizon, minor units, as [`fn@crate::clv`]; None without a spend
    /// fit.
    pub clv: Option<f64>,
    /// RFM quintiles within the customer's currency.
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
    pub churn: ChurnRisk,
    /// Words an agent reads: which churn rule fired, with its numbers.
    pub churn_reason: String,
}

/// Scores every summary seen by `until_day`, in input order (ignored summaries are skipped).
///
/// RFM uses recency_days, orders and net total, ranked within each currency, because cents of
/// different currencies do not compare.
pub fn score(fitted: &Fitted, summaries: &[Summary], settings: &Settings) -> Vec<Score> {
    let kept: Vec<(&Summary, Observed)> = summaries
        .iter()
        .filter_map(|s| Some((s, Observed::of(s, settings.until_day)?)))
        .collect();
    let rfm = rfm_within_currency(&kept);
    let bg = &fitted.bgnbd.params;
    let horizon_weeks = f64::from(settings.horizon_days) / DAYS_PER_WEEK;
    // The (x, age) values are computed once per distinct pair, on every core, before any
    // customer is scored: scoring then only reads them, so customers split across cores too.
    let mut keys: Vec<(u32, i64)> = kept.iter().map(|(_, o)| (o.x, o.age_days)).collect();
    keys.sort_unstable();
    keys.dedup();
    let values = map_chunks(&keys, |keys| {
        keys.iter()
            .map(|&(x, age_days)| {
                IfAlive::new(
                    bg,
                    x,
                    weeks(age_days),
                    horizon_weeks,
                    settings.monthly_discount,
                )
            })
            .collect()
    });
    let if_alive: HashMap<(u32, i64), IfAlive> = keys.into_iter().zip(values).collect();
    let order: Vec<usize> = (0..kept.len()).collect();
    map_chunks(&order, |chunk| {
        chunk
            .iter()
            .map(|&i| {
                score_one(
                    fitted,
                    settings,
                    &kept[i],
                    rfm[i],
                    &if_alive[&(kept[i].1.x, kept[i].1.age_days)],
                )
            })
            .collect()
    })
}

/// One customer's score from the store's fit, their RFM quintiles and their (x, age) values.
fn score_one(
    fitted: &Fitted,
    settings: &Settings,
    (s, o): &(&Summary, Observed),
    (r, f, m): (u8, u8, u8),
    alive: &IfAlive,
) -> Score {
    let row = o.rfm();
    let p_alive = fitted.bgnbd.params.p_alive(row.x, row.t_x, row.age);
    let gg = fitted
        .spend
        .get(usize::from(s.currency))
        .and_then(|fit| fit.as_ref().ok());
    let mean_spend = if o.x > 0 {
        repeat_mean(s, o.x, settings.minor_per_major).max(0.0)
    } else {
        0.0
    };
    let spend_major = gg.and_then(|fit| fit.params.expected_spend(o.x, mean_spend));
    let clv = spend_major
        .zip(alive.discounted)
        .map(|(spend, k)| spend * p_alive * k * settings.minor_per_major);
    let mean_days_between = (o.x > 0).then(|| o.t_days as f64 / f64::from(o.x));
    let recency_days = i32::try_from(o.recency_days).unwrap_or(i32::MAX);
    let (churn, churn_reason) = churn(
        s,
        recency_days,
        p_alive,
        mean_days_between,
        fitted.second_purchase_days,
    );
    Score {
        id: s.id,
        x: row.x,
        t_x: row.t_x,
        age: row.age,
        recency_days,
        mean_days_between,
        p_alive,
        expected_purchases: p_alive * alive.purchases,
        expected_spend: spend_major.map(|v| v * settings.minor_per_major),
        clv,
        r,
        f,
        m,
        segment: segment(r, f, m),
        churn,
        churn_reason,
    }
}

/// A Gamma-Gamma whose expected spend is 1 for every x when the customer's own mean is 1:
/// (γ + x·m) p / (px + q − 1) = (1 + x) / (x + 1). It turns [`fn@crate::clv`] into discounted
/// expected purchases.
const UNIT_SPEND: GammaGamma = GammaGamma {
    p: 1.0,
    q: 2.0,
    gamma: 1.0,
};

/// Expected purchases over the horizon given alive, plain and discounted as [`fn@crate::clv`]
/// discounts (None when clv refuses the horizon or rate).
///
/// BG/NBD's conditional expectation is P(alive | x, t_x, T) × E[Y(t) | alive, x, T]: eq. 10
/// divides by exactly the denominator P(alive) is the reciprocal of, and nothing else in it
/// depends on t_x. CLV is a discounted sum of the same expectations times the expected spend.
/// So both depend on (x, T) only and are computed once per distinct (x, age in days), about
/// 13 2F1 series each, instead of per customer. Each customer then needs only their P(alive)
/// and spend. The reference customer bought at T (t_x = T). Dividing by their P(alive),
/// 1/(1 + a/(b+x−1)), which cannot underflow, recovers the alive-given value.
#[derive(Debug, Clone, Copy)]
struct IfAlive {
    purchases: f64,
    discounted: Option<f64>,
}

impl IfAlive {
    fn new(bg: &BgNbd, x: u32, age: f64, horizon_weeks: f64, monthly_discount: f64) -> IfAlive {
        let p_reference = bg.p_alive(x, age, age);
        let reference = Customer {
            x,
            t_x: age,
            age,
            mean_spend: 1.0,
        };
        let unit = UNIT_SPEND.expected_spend(x, 1.0).unwrap_or(1.0);
        IfAlive {
            purchases: bg.expected_purchases(horizon_weeks, x, age, age) / p_reference,
            discounted: clv(bg, &UNIT_SPEND, &reference, horizon_weeks, monthly_discount)
                .map(|v| v / (unit * p_reference)),
        }
    }
}

/// RFM quintiles of the kept summaries, ranked among customers of the same currency.
fn rfm_within_currency(kept: &[(&Summary, Observed)]) -> Vec<(u8, u8, u8)> {
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by_key(|&i| kept[i].0.currency);
    let mut out = vec![(1, 1, 1); kept.len()];
    let mut values = Vec::new();
    for group in order.chunk_by(|&i, &j| kept[i].0.currency == kept[j].0.currency) {
        values.clear();
        values.extend(group.iter().map(|&i| {
            let (s, o) = &kept[i];
            let recency = u32::try_from(o.recency_days).unwrap_or(u32::MAX);
            (recency, s.orders, s.total as f64)
        }));
        for (&i, scores) in group.iter().zip(rfm_scores(&values)) {
            out[i] = scores;
        }
    }
    out
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
