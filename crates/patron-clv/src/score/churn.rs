//! The churn rule of [`super`] (its table is in those module docs) and the words an agent reads for it.

use std::fmt::{self, Write as _};

use super::Summary;

/// Repeat buyers with P(alive) below this are high risk.
pub const CHURN_HIGH_BELOW: f64 = 0.3;
/// Repeat buyers with P(alive) below this (and not high risk) are medium risk.
pub const CHURN_MEDIUM_BELOW: f64 = 0.7;
/// A repeat buyer silent for more than this many of their own mean gaps between purchase days
/// is medium risk even when P(alive) is high. BG/NBD's P(alive) is pooled across the store, so
/// a steady weekly buyer silent for a month can still look alive; their own rhythm says not.
pub const CHURN_SILENCE_RHYTHMS: f64 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChurnRisk {
    Low,
    Medium,
    High,
}

impl ChurnRisk {
    pub fn name(self) -> &'static str {
        match self {
            ChurnRisk::Low => "low",
            ChurnRisk::Medium => "medium",
            ChurnRisk::High => "high",
        }
    }
}

impl fmt::Display for ChurnRisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The churn rule of the [`super`] module docs, and the reason in words.
pub(super) fn churn(
    s: &Summary,
    recency_days: i32,
    p_alive: f64,
    mean_days_between: Option<f64>,
    reference: Option<(f64, f64)>,
) -> (ChurnRisk, String) {
    // Sized for the longest reasons, so each is one allocation.
    let mut why = String::with_capacity(112);
    let p_alive_text = Hundredths(p_alive);
    let silence = Days(recency_days);
    let Some(mean) = mean_days_between else {
        if s.orders > 1 {
            let _ = write!(why, "{} orders on one day {silence}", s.orders);
        } else {
            let _ = write!(why, "one order {silence}");
        }
        let Some((median, p90)) = reference else {
            why.push_str("; no returning customers yet to compare with");
            return (ChurnRisk::Medium, why);
        };
        let (median, p90) = (Num(median), Num(p90));
        let recency = f64::from(recency_days);
        let risk = if recency <= median.0 {
            let _ = write!(
                why,
                "; half of returning customers came back within {median} days"
            );
            ChurnRisk::Low
        } else if recency <= p90.0 {
            let _ = write!(
                why,
                "; half of returning customers came back within {median} days, 90% within {p90} days"
            );
            ChurnRisk::Medium
        } else {
            let _ = write!(
                why,
                "; 90% of returning customers came back within {p90} days"
            );
            ChurnRisk::High
        };
        return (risk, why);
    };
    let rhythm = Rhythm { s, mean };
    let quiet = Silence(recency_days);
    let risk = if p_alive < CHURN_HIGH_BELOW {
        let _ = write!(
            why,
            "p(alive) {p_alive_text} below {}: {rhythm}, {quiet}",
            Hundredths(CHURN_HIGH_BELOW)
        );
        ChurnRisk::High
    } else if p_alive < CHURN_MEDIUM_BELOW {
        let _ = write!(
            why,
            "p(alive) {p_alive_text} below {}: {rhythm}, {quiet}",
            Hundredths(CHURN_MEDIUM_BELOW)
        );
        ChurnRisk::Medium
    } else if f64::from(recency_days) > CHURN_SILENCE_RHYTHMS * mean {
        let _ = write!(
            why,
            "p(alive) {p_alive_text}, but {quiet}, over {CHURN_SILENCE_RHYTHMS} times their rhythm: {rhythm}"
        );
        ChurnRisk::Medium
    } else {
        let _ = write!(why, "p(alive) {p_alive_text}: {rhythm}, {quiet}");
        ChurnRisk::Low
    };
    (risk, why)
}

/// "6 orders about every 35 days", or "8 orders on 6 days, about every 35 days" when same-day
/// orders were merged (the rhythm is between purchase days).
struct Rhythm<'a> {
    s: &'a Summary,
    mean: f64,
}

impl fmt::Display for Rhythm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (orders, days) = (self.s.orders, self.s.purchase_days);
        if orders == days {
            write!(f, "{orders} orders")?;
        } else {
            write!(f, "{orders} orders on {days} days,")?;
        }
        write!(f, " about every {}", Count(self.mean.round() as i32))
    }
}

/// "today", "1 day ago", "12 days ago".
struct Days(i32);

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("today"),
            n => write!(f, "{} ago", Count(n)),
        }
    }
}

/// "none for 12 days", or "the last today".
struct Silence(i32);

impl fmt::Display for Silence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("the last today"),
            n => write!(f, "none for {}", Count(n)),
        }
    }
}

/// "1 day", "12 days".
struct Count(i32);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 day"),
            n => write!(f, "{n} days"),
        }
    }
}

/// A day count that may be a fractional quantile, to one decimal: "30", "10.5". Integer
/// formatting, because float formatting is a noticeable part of scoring a million customers.
pub(super) struct Num(pub(super) f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        let (whole, tenth) = (tenths / 10, (tenths % 10).abs());
        if tenth == 0 {
            write!(f, "{whole}")
        } else if tenths < 0 && whole == 0 {
            write!(f, "-0.{tenth}")
        } else {
            write!(f, "{whole}.{tenth}")
        }
    }
}

/// A probability in [0, 1] to two decimals, "0.06", as `{:.2}` would print it (up to ties)
/// without float formatting.
pub(super) struct Hundredths(pub(super) f64);

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.is_finite() {
            return write!(f, "{}", self.0);
        }
        let h = (self.0 * 100.0).round() as i64;
        let sign = if h < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", h.abs() / 100, h.abs() % 100)
    }
}
