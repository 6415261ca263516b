//! One customer's Insights: purchase behaviour, engagement and model-based value as of a day,
//! with every derived figure computed once here for the tab, the CLI and their tests. A figure
//! whose data is missing is `None` (shown as absent, never as zero).

use chrono::{DateTime, Utc};
use patron_clv::score::{FrequencyLabel, frequency_label};
use serde::Serialize;
use serde_json::{Value, json};

use crate::store::analytics::{Behaviour, EngagementFacts, FitRecord, ScoreRow};
use crate::store::model::{Customer, EventKind};
use patron_domain::number::thousands;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub customer_id: i64,
    pub created_at: DateTime<Utc>,
    /// "Today" for every figure: now, or the `--until` cut-off.
    pub as_of: DateTime<Utc>,
    pub behaviour: Behaviour,
    pub engagement: EngagementFacts,
    pub score: Option<ScoreRow>,
    pub fit: Option<FitRecord>,
}

/// Whole UTC days between two dates, as the model counts them (`until_day - last_day`).
fn days(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    i64::from(super::run::day_of(to)) - i64::from(super::run::day_of(from))
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Insights {
    pub fn new(
        customer: &Customer,
        as_of: DateTime<Utc>,
        behaviour: Behaviour,
        engagement: EngagementFacts,
        score: Option<ScoreRow>,
        fit: Option<FitRecord>,
    ) -> Insights {
        Insights {
            customer_id: customer.id,
            created_at: customer.created_at,
            as_of,
            behaviour,
            engagement,
            score,
            fit,
        }
    }

    /// Spent per paid order.
    pub fn aov(&self) -> Option<i64> {
        let b = &self.behaviour;
        (b.paid_orders > 0).then(|| b.spent / b.paid_orders)
    }

    /// Days since the account was created (`customerAge`).
    pub fn customer_age_days(&self) -> i64 {
        days(self.created_at, self.as_of).max(0)
    }

    pub fn days_since_last_order(&self) -> Option<i64> {
        self.behaviour
            .last_order_at
            .map(|t| days(t, self.as_of).max(0))
    }

    /// Mean days between orders (`orderFrequency`); `None` below two orders.
    pub fn mean_days_between(&self) -> Option<f64> {
        let b = &self.behaviour;
        match (b.first_order_at, b.last_order_at) {
            (Some(f), Some(l)) if b.orders > 1 => {
                Some((l - f).num_seconds() as f64 / 86_400.0 / (b.orders - 1) as f64)
            }
            _ => None,
        }
    }

    pub fn frequency(&self) -> Option<FrequencyLabel> {
        (self.behaviour.orders > 0).then(|| frequency_label(self.mean_days_between()))
    }

    pub fn items_per_order(&self) -> Option<f64> {
        ratio(self.behaviour.items, self.behaviour.orders)
    }

    pub fn discount_usage_rate(&self) -> Option<f64> {
        ratio(self.behaviour.discounted_orders, self.behaviour.orders)
    }

    pub fn refund_rate(&self) -> Option<f64> {
        ratio(self.behaviour.refunded_orders, self.behaviour.orders)
    }

    pub fn return_rate(&self) -> Option<f64> {
        ratio(self.behaviour.returned_orders, self.behaviour.orders)
    }

    fn count(&self, kind: EventKind) -> i64 {
        self.engagement
            .events
            .iter()
            .find(|e| e.kind == kind)
            .map_or(0, |e| e.count)
    }

    /// Engagement figures exist only where engagement data was imported for the shop.
    fn engaged(&self) -> bool {
        self.engagement.shop_has_events
    }

    /// Emails that went out: the message log's plus imported `email_sent` events.
    pub fn emails_sent(&self) -> i64 {
        self.engagement.emails_sent + self.count(EventKind::EmailSent)
    }

    pub fn open_rate(&self) -> Option<f64> {
        if !self.engaged() {
            return None;
        }
        ratio(self.count(EventKind::EmailOpened), self.emails_sent()).map(|r| r.min(1.0))
    }

    pub fn click_through_rate(&self) -> Option<f64> {
        if !self.engaged() {
            return None;
        }
        ratio(self.count(EventKind::EmailClicked), self.emails_sent()).map(|r| r.min(1.0))
    }

    /// Site visits per 30 days, from the first visit to `as_of`.
    pub fn visits_per_month(&self) -> Option<f64> {
        let e = self
            .engagement
            .events
            .iter()
            .find(|e| e.kind == EventKind::SiteVisit)?;
        let span = (days(e.first_at, self.as_of).max(1)) as f64;
        Some(e.count as f64 * 30.0 / span)
    }

    /// The latest of any event, login or order.
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        self.engagement
            .events
            .iter()
            .map(|e| e.last_at)
            .chain(self.engagement.last_login_at)
            .chain(self.behaviour.last_order_at)
            .filter(|t| *t <= self.as_of)
            .max()
    }

    pub fn days_since_activity(&self) -> Option<i64> {
        self.last_activity().map(|t| days(t, self.as_of).max(0))
    }

    pub fn abandoned_carts(&self) -> Option<i64> {
        self.engaged().then(|| self.count(EventKind::CartAbandoned))
    }

    pub fn reviews(&self) -> Option<i64> {
        self.engaged().then(|| self.count(EventKind::ReviewWritten))
    }

    /// Reviews per order: how often a purchase is followed by a review.
    pub fn review_participation(&self) -> Option<f64> {
        if !self.engaged() {
            return None;
        }
        ratio(self.count(EventKind::ReviewWritten), self.behaviour.orders).map(|r| r.min(1.0))
    }

    pub fn referrals(&self) -> Option<i64> {
        self.engaged().then(|| self.count(EventKind::Referral))
    }

    /// `patron analytics customer --json`.
    pub fn json(&self) -> Value {
        let b = &self.behaviour;
        let fav = |v: &Vec<crate::store::analytics::Favourite>| -> Value {
            Value::Array(
                v.iter()
                    .map(|f| json!({"name": f.name, "quantity": f.quantity, "spent": f.spent}))
                    .collect(),
            )
        };
        let model = self.score.as_ref().map(|s| {
            json!({
                "p_alive": s.p_alive,
                "expected_purchases": s.expected_purchases,
                "expected_spend": s.expected_spend.map(|v| v.round() as i64),
                "predicted_clv": s.clv,
                "currency": s.currency,
                "horizon_days": self.fit.as_ref().map(|f| f.horizon_days),
                "rfm": {"r": s.r, "f": s.f, "m": s.m},
                "segment": crate::analytics::segment_label(s.segment),
                "segment_key": s.segment,
                "churn_risk": s.churn,
                "churn_reason": s.churn_reason,
                "fitted_at": self.fit.as_ref().map(|f| f.fitted_at),
                "model_until": self.fit.as_ref().map(|f| f.until.format("%Y-%m-%d").to_string()),
            })
        });
        json!({
            "customer_id": self.customer_id,
            "as_of": self.as_of.format("%Y-%m-%d").to_string(),
            "orders": b.orders,
            "paid_orders": b.paid_orders,
            "spent": b.spent,
            "refunded": b.refunded,
            "net_spent": b.spent - b.refunded,
            "currency": b.currency,
            "aov": self.aov(),
            "first_order_at": b.first_order_at,
            "last_order_at": b.last_order_at,
            "customer_age_days": self.customer_age_days(),
            "days_since_last_order": self.days_since_last_order(),
            "mean_days_between_orders": self.mean_days_between(),
            "frequency": self.frequency().map(|f| f.name()),
            "items_per_order": self.items_per_order(),
            "discount_usage_rate": self.discount_usage_rate(),
            "discount_depth_bps": b.discount_depth_bps,
            "refund_rate": self.refund_rate(),
            "return_rate": self.return_rate(),
            "favourites": {
                "products_by_quantity": fav(&b.products_by_quantity),
                "products_by_spend": fav(&b.products_by_spend),
                "categories_by_quantity": fav(&b.categories_by_quantity),
                "categories_by_spend": fav(&b.categories_by_spend),
                "brands_by_quantity": fav(&b.brands_by_quantity),
                "brands_by_spend": fav(&b.brands_by_spend),
            },
            "model": model,
            "engagement": {
                "data_imported": self.engagement.shop_has_events,
                "emails_sent": self.emails_sent(),
                "open_rate": self.open_rate(),
                "click_through_rate": self.click_through_rate(),
                "visits_per_month": self.visits_per_month(),
                "last_activity_at": self.last_activity(),
                "days_since_activity": self.days_since_activity(),
                "abandoned_carts": self.abandoned_carts(),
                "reviews": self.reviews(),
                "review_participation": self.review_participation(),
                "referrals": self.referrals(),
            },
        })
    }
}

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "—".into(), |r| format!("{:.0}%", r * 100.0))
}

/// "1 day", "12 days", "2,029 days".
fn day_count(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{} days", thousands(n))
    }
}

/// The mean gap between orders: tenths below ten days, where a daily buyer's 0.2 would
/// otherwise read "0 days".
fn every(d: f64) -> String {
    if d < 9.95 {
        format!("{d:.1} days")
    } else {
        day_count(d.round() as i64)
    }
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "—".into(), |v| v.to_string())
}

fn names(v: &[crate::store::analytics::Favourite]) -> String {
    if v.is_empty() {
        return "—".into();
    }
    v.iter()
        .map(|f| patron_domain::sanitize::display(&f.name).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Insights as labelled lines (`patron analytics customer` without --json); stored text is
/// sanitized here.
pub fn describe(i: &Insights) -> Vec<String> {
    let b = &i.behaviour;
    let money = |m: i64| patron_domain::money::format_amount(m, &b.currency);
    let date = |t: Option<DateTime<Utc>>| {
        t.map_or_else(|| "—".into(), |t| t.format("%Y-%m-%d").to_string())
    };
    let mut out = vec![
        format!("as of            {}", i.as_of.format("%Y-%m-%d")),
        format!(
            "orders           {} ({} paid)   spent {}   refunded {}   AOV {}",
            thousands(b.orders),
            thousands(b.paid_orders),
            money(b.spent),
            money(b.refunded),
            i.aov().map_or_else(|| "—".into(), money)
        ),
        format!(
            "first / last     {} / {}   ({} since the last)",
            date(b.first_order_at),
            date(b.last_order_at),
            i.days_since_last_order()
                .map_or_else(|| "—".into(), day_count)
        ),
        format!(
            "customer age     {}   every {}   {}",
            day_count(i.customer_age_days()),
            i.mean_days_between().map_or_else(|| "—".into(), every),
            i.frequency().map_or("no orders", |f| f.name())
        ),
        format!(
            "per order        {} items   discount used {}   refunded {}   returned {}",
            i.items_per_order()
                .map_or_else(|| "—".into(), |v| format!("{v:.1}")),
            pct(i.discount_usage_rate()),
            pct(i.refund_rate()),
            pct(i.return_rate())
        ),
        format!(
            "favourite        products {}",
            names(&b.products_by_quantity)
        ),
        format!(
            "                 categories {}",
            names(&b.categories_by_spend)
        ),
        format!("                 brands {}", names(&b.brands_by_spend)),
    ];
    match &i.score {
        Some(s) if s.p_alive.is_some() => {
            let horizon = i.fit.as_ref().map_or("over the horizon".into(), |f| {
                format!("in {} days", f.horizon_days)
            });
            out.push(format!(
                "model            p(alive) {:.2}   expected purchases {:.2} {horizon}",
                s.p_alive.unwrap_or_default(),
                s.expected_purchases.unwrap_or_default(),
            ));
            out.push(format!(
                "value            expected spend {}   predicted CLV {}",
                s.expected_spend
                    .map_or_else(|| "—".into(), |v| money(v.round() as i64)),
                s.clv.map_or_else(|| "— (no spend model)".into(), money)
            ));
            out.push(format!(
                "RFM              {}{}{}  {}",
                s.r,
                s.f,
                s.m,
                crate::analytics::segment_label(s.segment)
            ));
            out.push(format!(
                "churn risk       {}: {}",
                s.churn,
                patron_domain::sanitize::display(&s.churn_reason)
            ));
        }
        Some(_) => out.push("model            no purchases, so no model-based value".into()),
        None => out.push("model            not fitted yet (patron analytics fit)".into()),
    }
    if i.engagement.shop_has_events {
        out.push(format!(
            "engagement       opens {}   clicks {}   visits/month {}   abandoned carts {}   reviews {}   referrals {}",
            pct(i.open_rate()),
            pct(i.click_through_rate()),
            i.visits_per_month()
                .map_or_else(|| "—".into(), |v| format!("{v:.1}")),
            opt(i.abandoned_carts()),
            opt(i.reviews()),
            opt(i.referrals())
        ));
    } else {
        out.push("engagement       no engagement data imported (patron import events)".into());
    }
    out.push(match i.days_since_activity() {
        Some(1) => format!("last activity    {} (yesterday)", date(i.last_activity())),
        Some(0) => format!("last activity    {} (today)", date(i.last_activity())),
        Some(d) => format!(
            "last activity    {} ({d} days ago)",
            date(i.last_activity())
        ),
        None => "last activity    —".into(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::{day_count, every};

    #[test]
    fn one_day_is_singular() {
        // The walk showed "(1 days since the last)".
        assert_eq!(day_count(1), "1 day");
        assert_eq!(day_count(0), "0 days");
        assert_eq!(day_count(12), "12 days");
        assert_eq!(day_count(2029), "2,029 days");
        // A 10,000-order customer's mean gap read "every 0 days" in the walk.
        assert_eq!(every(0.2028), "0.2 days");
        assert_eq!(every(9.9), "9.9 days");
        assert_eq!(every(40.4), "40 days");
    }
}
