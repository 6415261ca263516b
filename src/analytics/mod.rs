//! Customer value between the model crate and the store: names and labels of segments and churn
//! risks, the rows kept from a scoring run, and the per-customer Insights figures built from a
//! customer's behaviour, engagement and kept score. Pure: `run` does the IO.

pub mod insights;
pub mod run;

use patron_clv::Segment;
use patron_clv::score::{self, Fitted, Score};
use serde_json::json;

use crate::store::analytics::{FitRecord, NewFit, PurchaseScan, ScoreRow};
use crate::store::model::{ChurnRisk, SegmentKey};

pub fn segment_key(s: Segment) -> SegmentKey {
    match s {
        Segment::Champions => SegmentKey::Champions,
        Segment::Loyal => SegmentKey::Loyal,
        Segment::PotentialLoyalist => SegmentKey::PotentialLoyalist,
        Segment::New => SegmentKey::New,
        Segment::Promising => SegmentKey::Promising,
        Segment::NeedAttention => SegmentKey::NeedAttention,
        Segment::AboutToSleep => SegmentKey::AboutToSleep,
        Segment::AtRisk => SegmentKey::AtRisk,
        Segment::CantLoseThem => SegmentKey::CantLoseThem,
        Segment::Hibernating => SegmentKey::Hibernating,
        Segment::Lost => SegmentKey::Lost,
    }
}

/// The segment's name as people say it ("Can't lose them"); "No orders" for customers the
/// model does not cover.
pub fn segment_label(s: SegmentKey) -> &'static str {
    match s {
        SegmentKey::Champions => "Champions",
        SegmentKey::Loyal => "Loyal",
        SegmentKey::PotentialLoyalist => "Potential loyalist",
        SegmentKey::New => "New",
        SegmentKey::Promising => "Promising",
        SegmentKey::NeedAttention => "Need attention",
        SegmentKey::AboutToSleep => "About to sleep",
        SegmentKey::AtRisk => "At risk",
        SegmentKey::CantLoseThem => "Can't lose them",
        SegmentKey::Hibernating => "Hibernating",
        SegmentKey::Lost => "Lost",
        SegmentKey::NoOrders => "No orders",
    }
}

/// A segment from what a user types: its key (`cant_lose_them`), its label in any case, or the
/// label with spaces as dashes (`cant-lose-them`, `about-to-sleep`).
pub fn parse_segment(text: &str) -> Option<SegmentKey> {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let want = norm(text);
    SegmentKey::ALL
        .iter()
        .copied()
        .find(|k| norm(k.as_str()) == want || norm(segment_label(*k)) == want)
}

pub fn churn_key(c: score::ChurnRisk) -> ChurnRisk {
    match c {
        score::ChurnRisk::Low => ChurnRisk::Low,
        score::ChurnRisk::Medium => ChurnRisk::Medium,
        score::ChurnRisk::High => ChurnRisk::High,
    }
}

/// Minor units as a plain major amount ("1234.50"), for text that names no currency.
pub fn major(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

/// The rows kept for a scoring run: one per scored customer, in the scan's order.
pub fn score_rows(scan: &PurchaseScan, scores: &[Score]) -> Vec<ScoreRow> {
    let by_id: std::collections::HashMap<i64, &score::Summary> =
        scan.summaries.iter().map(|s| (s.id, s)).collect();
    scores
        .iter()
        .filter_map(|sc| {
            let s = by_id.get(&sc.id)?;
            Some(ScoreRow {
                customer_id: sc.id,
                purchases: s.orders as i64,
                net_spent: s.total,
                currency: scan
                    .currencies
                    .get(s.currency as usize)
                    .cloned()
                    .unwrap_or_default(),
                recency_days: Some(sc.recency_days as i64),
                mean_days_between: sc.mean_days_between,
                p_alive: Some(sc.p_alive),
                expected_purchases: Some(sc.expected_purchases),
                expected_spend: sc.expected_spend,
                clv: sc.clv.map(|v| v.round() as i64),
                r: sc.r,
                f: sc.f,
                m: sc.m,
                segment: segment_key(sc.segment),
                churn: churn_key(sc.churn),
                churn_reason: sc.churn_reason.clone(),
            })
        })
        .collect()
}

/// The currency most customers buy in: the one whose spend fit is shown as "the" Gamma-Gamma.
pub fn main_currency(scan: &PurchaseScan) -> usize {
    let mut counts = vec![0usize; scan.currencies.len()];
    for s in &scan.summaries {
        if let Some(c) = counts.get_mut(s.currency as usize) {
            *c += 1;
        }
    }
    counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .map_or(0, |(i, _)| i)
}

/// What is kept of a fit: parameters, fit quality, and the monthly revenue and new customers
/// the Analytics screen draws (its segment and churn counts are read from the kept scores).
pub fn new_fit(
    scan: &PurchaseScan,
    fitted: &Fitted,
    settings: &score::Settings,
    seconds: f64,
) -> NewFit {
    let main = main_currency(scan);
    let b = &fitted.bgnbd;
    let gg_of = |i: usize| fitted.spend.get(i).and_then(|r| r.as_ref().ok());
    let gamma_gamma =
        gg_of(main).map(|g| [g.params.p, g.params.q, g.params.gamma, g.log_likelihood]);
    let per_currency: Vec<serde_json::Value> = scan
        .currencies
        .iter()
        .enumerate()
        .map(|(i, code)| match fitted.spend.get(i) {
            Some(Ok(g)) => json!({"currency": code, "p": g.params.p, "q": g.params.q,
                "gamma": g.params.gamma, "log_likelihood": g.log_likelihood,
                "converged": g.converged}),
            Some(Err(e)) => json!({"currency": code, "error": e.to_string()}),
            None => json!({"currency": code, "error": "not fitted"}),
        })
        .collect();
    let until = chrono::DateTime::from_timestamp((settings.until_day as i64 + 1) * 86_400 - 1, 0)
        .unwrap_or_default();
    NewFit {
        until,
        horizon_days: settings.horizon_days as i64,
        monthly_discount: settings.monthly_discount,
        customers: fitted.customers as i64,
        repeat_buyers: fitted.repeat_buyers as i64,
        bgnbd: [
            b.params.r,
            b.params.alpha,
            b.params.a,
            b.params.b,
            b.log_likelihood,
        ],
        currency: scan.currencies.get(main).cloned().unwrap_or_default(),
        gamma_gamma,
        detail: json!({
            "time_unit": "week",
            "bgnbd_converged": b.converged,
            "bgnbd_iterations": b.iterations,
            "gamma_gamma_by_currency": per_currency,
            "second_purchase_days": fitted.second_purchase_days.map(|(p50, p90)| json!({"median": p50, "p90": p90})),
            "months": scan.months,
        }),
        seconds,
    }
}

/// `patron analytics fit --json`: the fitted parameters in the shape the issue names.
pub fn fit_json(fit: &FitRecord) -> serde_json::Value {
    let gg = fit.gamma_gamma.map(|g| {
        json!({"p": g[0], "q": g[1], "gamma": g[2], "log_likelihood": g[3], "currency": fit.currency})
    });
    json!({
        "bgnbd": {"r": fit.bgnbd[0], "alpha": fit.bgnbd[1], "a": fit.bgnbd[2], "b": fit.bgnbd[3],
            "log_likelihood": fit.bgnbd[4]},
        "gamma_gamma": gg,
        "gamma_gamma_by_currency": fit.detail.get("gamma_gamma_by_currency"),
        "time_unit": "week",
        "customers": fit.customers,
        "repeat_buyers": fit.repeat_buyers,
        "until": fit.until.format("%Y-%m-%d").to_string(),
        "horizon_days": fit.horizon_days,
        "monthly_discount": fit.monthly_discount,
        "optimizer": "maximum likelihood on log-parameters: BFGS with the analytic gradient for BG/NBD (Nelder-Mead if it does not converge), Nelder-Mead for Gamma-Gamma",
        "fitted_at": fit.fitted_at,
        "seconds": fit.seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_parse_from_keys_labels_and_dashes() {
        assert_eq!(
            parse_segment("cant-lose-them"),
            Some(SegmentKey::CantLoseThem)
        );
        assert_eq!(
            parse_segment("Can't lose them"),
            Some(SegmentKey::CantLoseThem)
        );
        assert_eq!(parse_segment("at_risk"), Some(SegmentKey::AtRisk));
        assert_eq!(parse_segment("CHAMPIONS"), Some(SegmentKey::Champions));
        assert_eq!(parse_segment("vip"), None);
    }

    #[test]
    fn every_segment_of_the_model_has_a_key_and_label() {
        for rule in patron_clv::SEGMENT_RULES {
            let k = segment_key(rule.segment);
            assert_eq!(segment_label(k), rule.segment.name());
        }
    }

    #[test]
    fn no_orders_is_segment_rank_eleven_as_migration_0008_writes_it() {
        assert_eq!(SegmentKey::NoOrders.rank(), 11);
    }

    #[test]
    fn major_amounts_keep_sign_and_cents() {
        assert_eq!(major(123456), "1234.56");
        assert_eq!(major(-5), "-0.05");
        assert_eq!(major(0), "0.00");
    }
}
