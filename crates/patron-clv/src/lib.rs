//! Crate root of patron-clv: the shared customer summary (`Rfm`), fit results and errors, and module wiring.
//!
//! Pure customer-value models a data scientist would accept: BG/NBD for purchase counts and
//! "alive" probabilities, Gamma-Gamma for spend, their discounted CLV, and quintile RFM
//! scoring with named segments. No IO, no clocks, no global state: every function is a
//! deterministic function of its arguments (simulation takes an explicit seed).
//!
//! Units and caller duties, stated once for every model here:
//! - Time is in **weeks** (BG/NBD `x`, `t_x`, `T`). The caller merges same-day orders into one
//!   transaction and excludes the first purchase from `x` (it only starts the clock).
//! - Customers with **zero orders** are not part of any model (they never started a clock);
//!   callers exclude them. One-order customers are `x = 0`, `t_x = 0` and belong in the data.
//! - Money is `f64` in **major units** (the caller converts minor units) and **net of refunds**:
//!   refund handling is the caller's. A customer whose net mean spend is not positive cannot be
//!   given to Gamma-Gamma; the caller decides whether to drop or floor them.
//!
//! [`mod@score`] is such a caller: it folds purchase rows into summaries, fits the store and
//! scores each customer, with its own conventions stated in its module docs.

pub mod bgnbd;
pub mod clv;
pub mod gamma_gamma;
pub mod optimize;
mod parallel;
pub mod rfm;
pub mod score;
pub mod simulate;
pub mod special;

use std::collections::HashMap;
use std::fmt;

pub use bgnbd::BgNbd;
pub use clv::{Customer, WEEKS_PER_MONTH, clv};
pub use gamma_gamma::{GammaGamma, Spend};
pub use rfm::{SEGMENT_RULES, Segment, SegmentRule, rfm_scores, segment};
pub use score::{
    ChurnRisk, Fitted, Folder, FrequencyLabel, Score, Settings, Summary, fit, frequency_label,
    score,
};

/// Days per week, for rounding recency and age to whole days before compression.
pub const DAYS_PER_WEEK: f64 = 7.0;

/// Fits refuse fewer customers (total weight) than this: below it the four BG/NBD parameters
/// (three for Gamma-Gamma) are not identified well enough to be worth reporting.
pub const MIN_CUSTOMERS: f64 = 50.0;

/// BG/NBD refuses fewer repeat buyers (total weight with `x > 0`) than this: the dropout
/// parameters `a`, `b` are learnt only from repeat buyers' recency.
pub const MIN_REPEAT_BUYERS: f64 = 10.0;

/// One BG/NBD summary row: a customer (or `weight` identical customers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rfm {
    /// Repeat purchases (`x`, frequency), first purchase excluded.
    pub x: u32,
    /// Time of the last purchase since the first, in weeks (`t_x`, recency); 0 when `x = 0`.
    pub t_x: f64,
    /// Time since the first purchase, in weeks (`T` in the papers).
    pub age: f64,
    /// How many identical customers this row stands for (1 for a raw row).
    pub weight: f64,
}

impl Rfm {
    pub fn new(x: u32, t_x: f64, age: f64) -> Self {
        Rfm {
            x,
            t_x,
            age,
            weight: 1.0,
        }
    }

    /// The same row with `t_x` and `age` rounded to whole days, so that a large base
    /// compresses into few distinct rows (the models cannot tell a day apart anyway when
    /// orders are merged per day).
    pub fn rounded_to_days(self) -> Self {
        let day = |w: f64| (w * DAYS_PER_WEEK).round() / DAYS_PER_WEEK;
        Rfm {
            t_x: day(self.t_x),
            age: day(self.age),
            ..self
        }
    }
}

/// Merges identical `(x, t_x, T)` rows, summing their weights. The result is sorted by
/// `(x, t_x, T)`: deterministic, and the likelihoods reuse per-`x` terms across adjacent rows.
pub fn compress(rows: impl IntoIterator<Item = Rfm>) -> Vec<Rfm> {
    let mut merged: HashMap<(u32, u64, u64), f64> = HashMap::new();
    for row in rows {
        *merged
            .entry((row.x, row.t_x.to_bits(), row.age.to_bits()))
            .or_insert(0.0) += row.weight;
    }
    let mut out: Vec<Rfm> = merged
        .into_iter()
        .map(|((x, t_x, age), weight)| Rfm {
            x,
            t_x: f64::from_bits(t_x),
            age: f64::from_bits(age),
            weight,
        })
        .collect();
    out.sort_by(|l, r| {
        l.x.cmp(&r.x)
            .then(l.t_x.total_cmp(&r.t_x))
            .then(l.age.total_cmp(&r.age))
    });
    out
}

/// A maximum-likelihood fit: the parameters and how the optimiser got there.
#[derive(Debug, Clone, PartialEq)]
pub struct FitResult<P> {
    pub params: P,
    /// Total (weighted) log-likelihood at `params`.
    pub log_likelihood: f64,
    /// Nelder-Mead iterations over both runs (first run and the restart).
    pub iterations: usize,
    /// Likelihood evaluations over both runs.
    pub evaluations: usize,
    /// False when the last run stopped at its iteration cap rather than at its tolerances;
    /// the parameters are then the best found, which is usually a flat likelihood direction
    /// (e.g. `b` drifting large when almost nobody drops out).
    pub converged: bool,
}

/// Why a fit refused to answer.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// Fewer customers (total weight) than [`MIN_CUSTOMERS`].
    TooFewCustomers { have: f64, need: f64 },
    /// Fewer repeat buyers (total weight with `x > 0`) than [`MIN_REPEAT_BUYERS`].
    TooFewRepeatBuyers { have: f64, need: f64 },
    /// A row that breaks the model's input contract.
    InvalidRow { index: usize, reason: &'static str },
    /// The likelihood was not finite at the start point or at the optimum.
    NonFiniteLikelihood,
    /// Gamma-Gamma landed on `q <= 1`: the population mean spend is infinite, so the model
    /// cannot value anyone.
    InfiniteMeanSpend { q: f64 },
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::TooFewCustomers { have, need } => write!(
                f,
                "cannot fit: {have} customers, the model needs at least {need} to be identified"
            ),
            FitError::TooFewRepeatBuyers { have, need } => write!(
                f,
                "cannot fit: {have} repeat buyers, the model needs at least {need} to learn dropout"
            ),
            FitError::InvalidRow { index, reason } => {
                write!(f, "cannot fit: row {index}: {reason}")
            }
            FitError::NonFiniteLikelihood => {
                write!(f, "cannot fit: the likelihood is not finite for this data")
            }
            FitError::InfiniteMeanSpend { q } => write!(
                f,
                "cannot use fit: q = {q} <= 1 means an infinite mean spend"
            ),
        }
    }
}

impl std::error::Error for FitError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compress_merges_identical_rows_and_sorts() {
        let rows = [
            Rfm::new(2, 3.0, 10.0),
            Rfm::new(0, 0.0, 10.0),
            Rfm::new(2, 3.0, 10.0),
            Rfm::new(1, 3.0, 10.0),
        ];
        let c = compress(rows);
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].x, c[0].weight), (0, 1.0));
        assert_eq!((c[1].x, c[1].weight), (1, 1.0));
        assert_eq!((c[2].x, c[2].weight), (2, 2.0));
    }

    #[test]
    fn rounding_to_days_snaps_to_sevenths() {
        let r = Rfm::new(1, 1.0 + 0.4 / 7.0, 2.0 + 0.6 / 7.0).rounded_to_days();
        assert_eq!(r.t_x, 1.0);
        assert!((r.age - (2.0 + 1.0 / 7.0)).abs() < 1e-12);
    }

    #[test]
    fn errors_say_what_is_missing() {
        let e = FitError::TooFewRepeatBuyers {
            have: 3.0,
            need: 10.0,
        };
        assert!(e.to_string().contains("3 repeat buyers"));
        assert!(e.to_string().contains("at least 10"));
    }
}
