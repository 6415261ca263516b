//! Snapshots of the saved views picker over the list (own and shared, a hostile name, one that
//! cannot be read, none yet) and of the title naming the view the list shows.

use super::tests::{both, listed, render};
use crate::app::state::*;
use crate::app::views::{Applied, Picker};
use crate::store::model::*;
use crate::store::query::{AccountFilter, CustomerFilter, SortColumn};
use crate::store::views::ViewDefinition;
use crate::testing::fixtures::{agent, saved_view};

fn at_risk() -> ViewDefinition {
    ViewDefinition {
        filter: CustomerFilter {
            account: AccountFilter::Registered,
            churn: Some(ChurnRisk::High),
            min_orders: Some(3),
            ..CustomerFilter::default()
        },
        sort: SortColumn::TotalSpent,
        descending: true,
    }
}

fn open(views: Load<Vec<crate::store::views::SavedView>>) -> State {
    let mut s = listed();
    s.staff = Some(agent());
    s.views = Some(Picker {
        views,
        cursor: Cursor {
            selected: 1,
            offset: 0,
        },
    });
    s
}

#[test]
fn the_picker_lists_own_views_then_shared_ones() {
    let mut broken = saved_view(3, "old layout", false, ViewDefinition::default());
    broken.definition = None;
    broken.unreadable = Some("unknown variant `shoe_size`".into());
    let s = open(Load::Ready(vec![
        saved_view(
            1,
            "all guests",
            false,
            ViewDefinition {
                filter: CustomerFilter {
                    account: AccountFilter::Guests,
                    ..CustomerFilter::default()
                },
                ..ViewDefinition::default()
            },
        ),
        broken,
        saved_view(2, "At risk \u{202e}big\u{1b}[31m spenders", true, at_risk()),
    ]));
    both!("views_picker", &s);
}

#[test]
fn the_picker_with_no_views_says_how_to_save_one() {
    let s = open(Load::Ready(Vec::new()));
    both!("views_picker_empty", &s);
    let failed = render(&open(Load::Failed("database unavailable".into())), 80, 24);
    assert!(
        failed.contains("Could not load saved views: database unavailable"),
        "{failed}"
    );
}

#[test]
fn the_title_names_the_view_until_the_filter_changes() {
    let mut s = listed();
    s.staff = Some(agent());
    s.list.filter = at_risk().filter;
    s.list.view = Some(Applied {
        id: 2,
        name: "At risk big spenders".into(),
        filter: at_risk().filter,
    });
    both!("list_with_view", &s);
    s.list.filter.min_orders = Some(4);
    let text = render(&s, 120, 40);
    assert!(!text.contains("At risk big spenders"), "{text}");
}
