//! The Export dialog, its running job's box and the "more filters" form, drawn over the list.

use super::tests::{both, listed};
use crate::app::export::{ExportJob, export_form, filter_form};
use crate::export::Progress;
use crate::store::query::{CustomerFilter, MinSpent};

#[test]
fn export_dialog_running_job_and_more_filters() {
    let mut s = listed();
    s.form = Some(export_form(
        "all 1,000,000 customers".into(),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    ));
    both!("export_dialog", &s);

    s.form = None;
    s.export = Some(ExportJob {
        req: 5,
        file: "customers-2025-01-01.xlsx".into(),
        progress: Progress {
            customers_done: 250_000,
            customers_total: 1_000_000,
            rows: 250_000,
        },
        cancelling: false,
    });
    both!("export_running", &s);

    s.export = None;
    s.form = Some(filter_form(&CustomerFilter {
        group: Some("VIP".into()),
        bought: vec!["EBOOK-1".into()],
        min_spent: Some(MinSpent::parse("250 EUR").unwrap()),
        ..CustomerFilter::default()
    }));
    both!("more_filters", &s);
}

#[test]
fn an_empty_filtered_list_names_the_filter_not_the_import() {
    let mut s = crate::testing::fixtures::state();
    s.list.total = crate::app::state::Load::Ready(0);
    s.list.filter.group = Some("VIP Gold".into());
    s.list.filter.bought = vec!["EBOOK".into()];
    both!("list_empty_filtered", &s);
}
