//! The Analytics screen's state: the kept model and segment counts, the selected segment, and
//! a refit in flight. The config's `[analytics]` values the console needs live here too.

use crate::store::analytics::{FitRecord, SegmentSummary};
use crate::store::model::SegmentKey;

use super::state::{Cursor, Load};

/// `[analytics]` as the console uses it (defaults as in `config::AnalyticsConfig`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueSettings {
    pub horizon_days: u32,
    pub monthly_discount: f64,
    pub winback_days: u32,
}

impl Default for ValueSettings {
    fn default() -> Self {
        ValueSettings {
            horizon_days: 365,
            monthly_discount: 0.01,
            winback_days: 90,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalyticsData {
    /// `None`: no model was ever fitted.
    pub fit: Option<FitRecord>,
    pub summary: SegmentSummary,
}

impl AnalyticsData {
    /// The segments a row of the screen can stand for: every segment the model names, in
    /// display order, with its count (0 when nobody is in it).
    pub fn segment_rows(&self) -> Vec<(SegmentKey, i64, i64)> {
        SegmentKey::ALL
            .iter()
            .map(|k| {
                let c = self.summary.segments.iter().find(|s| s.segment == *k);
                (
                    *k,
                    c.map_or(0, |c| c.customers),
                    c.map_or(0, |c| c.net_spent),
                )
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalyticsState {
    pub data: Load<AnalyticsData>,
    /// Over `segment_rows`.
    pub cursor: Cursor,
    /// The refit request in flight.
    pub refreshing: Option<u64>,
    /// What the last refit said (done, refused, failed).
    pub message: Option<String>,
}
