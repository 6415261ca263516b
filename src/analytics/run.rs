//! Running the model over a store: scan every purchase, fit BG/NBD and Gamma-Gamma, score every
//! customer, and keep it (`refresh`). Shared by `patron analytics` and the console's runtime; the
//! fitting and scoring run on a blocking thread so a console's event loop never waits on them.

use std::time::Instant;

use chrono::{DateTime, Utc};
use patron_clv::FitError;
use patron_clv::score::{self, Fitted, Score, Settings};

use crate::app::analytics::ValueSettings;
use crate::store::analytics::{NewFit, PurchaseScan, SavedFit, ScoreRow};
use crate::store::{DynStore, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Fit(#[from] FitError),
    #[error("the model run failed: {0}")]
    Task(String),
}

/// How long each stage took, for the benchmark and `--json`.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Timings {
    pub scan: f64,
    pub fit: f64,
    pub score: f64,
    pub save: f64,
}

pub struct Computed {
    pub scan: PurchaseScan,
    pub fitted: Fitted,
    pub scores: Vec<Score>,
    pub settings: Settings,
    pub timings: Timings,
}

impl Computed {
    pub fn rows(&self) -> Vec<ScoreRow> {
        super::score_rows(&self.scan, &self.scores)
    }

    pub fn new_fit(&self) -> NewFit {
        let t = self.timings;
        super::new_fit(
            &self.scan,
            &self.fitted,
            &self.settings,
            t.scan + t.fit + t.score,
        )
    }
}

/// The day number (days since 1970-01-01, UTC) of a time.
pub fn day_of(t: DateTime<Utc>) -> i32 {
    t.timestamp().div_euclid(86_400) as i32
}

/// The model's settings as of `until`: the configured horizon (unless overridden) and discount.
pub fn settings(until: DateTime<Utc>, v: ValueSettings, horizon_days: Option<u32>) -> Settings {
    Settings {
        until_day: day_of(until),
        horizon_days: horizon_days.unwrap_or(v.horizon_days),
        monthly_discount: v.monthly_discount,
        minor_per_major: 100.0,
    }
}

/// Scans, fits and scores as if today were `until` (orders after it are not seen).
pub async fn compute(
    store: &DynStore,
    until: DateTime<Utc>,
    settings: Settings,
) -> Result<Computed, AnalyticsError> {
    let t0 = Instant::now();
    let scan = store.purchase_scan(until).await?;
    let scan_secs = t0.elapsed().as_secs_f64();
    let task = tokio::task::spawn_blocking(move || {
        let t1 = Instant::now();
        let fitted = score::fit(&scan.summaries, scan.currencies.len(), &settings);
        let fit_secs = t1.elapsed().as_secs_f64();
        let fitted = match fitted {
            Ok(f) => f,
            Err(e) => return Err(AnalyticsError::Fit(e)),
        };
        let t2 = Instant::now();
        let scores = score::score(&fitted, &scan.summaries, &settings);
        let score_secs = t2.elapsed().as_secs_f64();
        Ok(Computed {
            scan,
            fitted,
            scores,
            settings,
            timings: Timings {
                scan: scan_secs,
                fit: fit_secs,
                score: score_secs,
                save: 0.0,
            },
        })
    });
    task.await
        .map_err(|e| AnalyticsError::Task(e.to_string()))?
}

/// Computes as of `until` and keeps the result as the current model (scores, group rules,
/// audit). Returns what was kept and how long each stage took.
pub async fn refresh(
    store: &DynStore,
    staff: i64,
    until: DateTime<Utc>,
    settings: Settings,
) -> Result<(SavedFit, Computed), AnalyticsError> {
    let mut computed = compute(store, until, settings).await?;
    let rows = computed.rows();
    let fit = computed.new_fit();
    let t = Instant::now();
    let saved = store.save_scores(staff, &fit, &rows).await?;
    computed.timings.save = t.elapsed().as_secs_f64();
    Ok((saved, computed))
}
