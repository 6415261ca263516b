//! Snapshots of the Analytics screen (no model yet, a fitted model with segments, churn and
//! monthly figures, a refit running, a tiny terminal) and of the list showing score columns.

use chrono::Duration;

use super::tests::{both, listed, render};
use crate::app::analytics::{AnalyticsData, AnalyticsState};
use crate::app::state::*;
use crate::store::analytics::*;
use crate::store::model::*;
use crate::testing::fixtures::{admin, t0};

fn fitted() -> AnalyticsData {
    let t = t0();
    let months: Vec<MonthRevenue> = (1..=12)
        .map(|m| MonthRevenue {
            month: format!("2024-{m:02}"),
            currency: "USD".into(),
            revenue: 1_000_000 + m as i64 * 150_000,
            orders: 100 + m as i64,
            new_customers: 20 + (m as i64 * 7) % 13,
        })
        .collect();
    let counts = [120, 300, 210, 40, 35, 90, 80, 150, 25, 110, 400, 600];
    let segments = SegmentKey::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| SegmentCount {
            segment: *s,
            customers: n,
            net_spent: n * 45_000,
            clv: n * 20_000,
        })
        .collect();
    let churn = [
        (ChurnRisk::NoOrders, 600),
        (ChurnRisk::Low, 900),
        (ChurnRisk::Medium, 400),
        (ChurnRisk::High, 260),
    ]
    .into_iter()
    .map(|(churn, customers)| ChurnCount { churn, customers })
    .collect();
    AnalyticsData {
        fit: Some(FitRecord {
            id: 3,
            fitted_at: t,
            until: t - Duration::hours(1),
            horizon_days: 365,
            monthly_discount: 0.01,
            customers: 1_560,
            repeat_buyers: 1_020,
            bgnbd: [0.243, 4.414, 0.793, 2.426, -9582.4],
            currency: "USD".into(),
            gamma_gamma: Some([6.25, 3.74, 15.44, -4051.0]),
            detail: serde_json::json!({ "months": months }),
            seconds: 2.4,
            staff: Some("alice".into()),
        }),
        summary: SegmentSummary { segments, churn },
    }
}

fn screen(data: Load<AnalyticsData>) -> State {
    let mut s = crate::testing::fixtures::state();
    s.staff = Some(admin());
    s.screen = Screen::Analytics;
    s.analytics = Some(AnalyticsState {
        data,
        ..Default::default()
    });
    s
}

#[test]
fn analytics_screen_fitted() {
    let mut s = screen(Load::Ready(fitted()));
    if let Some(a) = s.analytics.as_mut() {
        a.cursor.selected = 7;
    }
    both!("analytics_fitted", &s);
    let text = render(&s, 120, 40);
    assert!(text.contains("▶ At risk"), "{text}");
    assert!(text.contains("high 260"), "{text}");
    assert!(text.contains("BG/NBD r 0.243"), "{text}");
}

#[test]
fn analytics_screen_without_a_model_says_how_to_fit() {
    let s = screen(Load::Ready(AnalyticsData::default()));
    both!("analytics_no_model", &s);
    assert!(render(&s, 80, 24).contains("No model yet: press r"));
}

#[test]
fn analytics_screen_while_refitting_and_on_a_tiny_terminal() {
    let mut s = screen(Load::Ready(fitted()));
    if let Some(a) = s.analytics.as_mut() {
        a.refreshing = Some(9);
    }
    assert!(render(&s, 120, 40).contains("refitting the model"));
    super::tests::snapshot!("analytics_tiny_20x5", render(&s, 20, 5));
}

#[test]
fn list_shows_score_columns_when_filtered_by_segment() {
    let mut s = listed();
    s.list.filter.segment = Some(SegmentKey::AtRisk);
    for (i, c) in s.list.rows.iter_mut().enumerate() {
        c.stats.value = Some(CustomerValue {
            segment: SegmentKey::AtRisk,
            churn: [ChurnRisk::Low, ChurnRisk::Medium, ChurnRisk::High][i % 3],
            clv: (i % 4 != 0).then_some(i as i64 * 1_234),
            fitted: i != 5,
            clv_sort: i as i64 * 1_234,
            segment_sort: 7,
            churn_sort: (i % 3) as i64 + 1,
        });
    }
    both!("list_scored", &s);
    let text = render(&s, 120, 40);
    assert!(text.contains("Segment") && text.contains("CLV"), "{text}");
    assert!(text.contains("At risk"), "{text}");
}

#[test]
fn the_model_line_is_never_cut_at_a_million_customers() {
    let mut data = fitted();
    if let Some(f) = data.fit.as_mut() {
        f.customers = 1_000_000;
        f.repeat_buyers = 649_530;
    }
    let s = screen(Load::Ready(data));
    for width in [120u16, 140] {
        let text = render(&s, width, 40);
        let line = text
            .lines()
            .find(|l| l.contains("Customer value"))
            .unwrap_or_default()
            .trim_end_matches('"')
            .trim_end();
        assert!(
            line.ends_with("days ahead") || line.ends_with("649,530 repeat"),
            "{width} columns: {line:?}"
        );
    }
    assert!(render(&s, 140, 40).contains("365 days ahead"));
}
