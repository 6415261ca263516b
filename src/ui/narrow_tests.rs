//! Narrow terminals (D9) and the list's header and cells (D10): which columns stay, the title bar's
//! identity, sort arrows that keep their label, and clipped cells that end with "…".

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::tests::{listed, render, snapshot, viewing};
use crate::app::state::*;
use crate::store::model::*;
use crate::store::query::SortColumn;

/// A PostgreSQL database with a long name, signed in as root, with the rows that used to be cut.
fn narrow_list() -> State {
    let mut s = listed();
    s.database = "postgres://patron@db-primary.internal.example.com:5432/patron_production".into();
    s.staff = Some(Staff {
        id: 1,
        username: "root".into(),
        display_name: "Root".into(),
        role: StaffRole::Admin,
        active: true,
        login: Some("root".into()),
    });
    s.list.rows[2].email = "kyle.stephens@mapleleafoutfitters.example.com".into();
    s.list.rows[2].first_name = "Kyle".into();
    s.list.rows[2].last_name = "Stephens".into();
    s.list.rows[3].status = CustomerStatus::Anonymized;
    s.list.rows[3].email = "anonymized-28@anonymized.invalid".into();
    s.list.rows[4].first_name = "山田太郎花子".into();
    s.list.rows[4].last_name = "長谷川のりこさくら".into();
    s
}

fn lines(screen: &str) -> Vec<&str> {
    screen.lines().map(|l| l.trim_matches('"')).collect()
}

#[test]
fn the_list_keeps_name_email_account_orders_and_last_order_at_80_and_100_columns() {
    let s = narrow_list();
    for (w, h) in [(80, 24), (100, 30), (120, 40)] {
        let screen = render(&s, w, h);
        let l = lines(&screen);
        let header = l[2];
        for col in ["Name", "Email", "Orders", "Last order"] {
            assert!(header.contains(col), "{w}: {header}");
        }
        assert!(
            header.contains("Acct") || header.contains("Account"),
            "{w}: {header}"
        );
        if w >= 100 {
            assert!(header.contains("Status"), "{w}: {header}");
            assert!(
                screen.contains("anonymized "),
                "{w}: the status is whole\n{screen}"
            );
        }
        assert!(!screen.contains("anonymiz "), "{w}\n{screen}");
        assert!(
            l[0].trim_end().ends_with("as root (admin)"),
            "{w}: {}",
            l[0]
        );
        assert!(screen.contains("kyle.stephens@"), "{w}");
        if !screen.contains("kyle.stephens@mapleleafoutfitters.example.com") {
            assert!(screen.contains("kyle.stephens@mapleleaf"), "{w}\n{screen}");
            let row = l.iter().find(|r| r.contains("kyle.")).unwrap();
            assert!(
                row.contains("…"),
                "a clipped email ends with an ellipsis: {row}"
            );
        }
        snapshot!(format!("narrow_list_{w}x{h}"), screen);
    }
}

#[test]
fn the_title_bar_keeps_the_whole_identity_and_shortens_the_database_in_the_middle() {
    let s = narrow_list();
    for w in [60, 80, 100] {
        let screen = render(&s, w, 24);
        let title = lines(&screen)[0].trim_end();
        assert!(title.ends_with("│ as root (admin)"), "{w}: {title}");
        assert!(title.starts_with(" patron │ postgres"), "{w}: {title}");
        assert!(title.contains("…"), "{w}: {title}");
    }
    let wide = render(&s, 200, 24);
    assert!(wide.contains(&s.database), "the whole name when it fits");
}

#[test]
fn a_sorted_header_keeps_its_label_and_every_sortable_column_shows_the_arrow() {
    let mut s = narrow_list();
    s.list.descending = false;
    for (sort, label_80, label_120) in [
        (SortColumn::Orders, "Orders ▲", "Orders ▲"),
        (SortColumn::Account, "Acct ▲", "Account ▲"),
        (SortColumn::Status, "Status ▲", "Status ▲"),
        (SortColumn::LastOrder, "Last order ▲", "Last order ▲"),
    ] {
        s.list.sort = sort;
        let screen = render(&s, 120, 40);
        assert!(
            lines(&screen)[2].contains(label_120),
            "{sort:?}: {}",
            lines(&screen)[2]
        );
        if sort != SortColumn::Status {
            let screen = render(&s, 80, 24);
            assert!(
                lines(&screen)[2].contains(label_80),
                "{sort:?}: {}",
                lines(&screen)[2]
            );
        }
    }
    s.list.sort = SortColumn::Orders;
    snapshot!("sorted_by_orders_80x24", render(&s, 80, 24));
}

#[test]
fn clipped_cells_end_with_an_ellipsis_and_wide_characters_stay_whole() {
    let mut terminal = Terminal::new(TestBackend::new(30, 4)).unwrap();
    terminal
        .draw(|f| {
            let rows = vec![
                Row::new(vec![
                    Cell::from(" "),
                    Cell::from("kyle.stephens@mapleleaf.com"),
                    Cell::from("ok"),
                ]),
                Row::new(vec![
                    Cell::from(" "),
                    Cell::from("山田太郎花子長谷川"),
                    Cell::from("ok"),
                ]),
                Row::new(vec![
                    Cell::from(" "),
                    Cell::from("fits exactly here"),
                    Cell::from("ok"),
                ]),
            ];
            super::customer::table::render(
                f,
                Rect::new(0, 0, 30, 4),
                Row::new(vec![
                    Cell::from(" "),
                    Cell::from("Email"),
                    Cell::from("Stat"),
                ]),
                rows,
                &[
                    Constraint::Length(1),
                    Constraint::Length(17),
                    Constraint::Length(4),
                ],
            );
        })
        .unwrap();
    let screen = terminal.backend().to_string();
    let l = lines(&screen);
    assert_eq!(l[1], "  kyle.stephens@ma… ok        ", "{screen}");
    // 17 cells hold eight wide characters and one more cell: the ellipsis goes there.
    assert!(
        l[2].starts_with("  山田太郎花子長谷… ok        \""),
        "{screen}"
    );
    assert_eq!(l[3], "  fits exactly here ok        ", "{screen}");

    // A wide character that fills the column's last two cells gives way whole to "…" and a blank.
    let mut terminal = Terminal::new(TestBackend::new(20, 2)).unwrap();
    terminal
        .draw(|f| {
            super::customer::table::render(
                f,
                Rect::new(0, 0, 20, 2),
                Row::new(vec![Cell::from(" "), Cell::from("Name")]),
                vec![Row::new(vec![
                    Cell::from(" "),
                    Cell::from("山田太郎花子長谷川"),
                ])],
                &[Constraint::Length(1), Constraint::Length(16)],
            );
        })
        .unwrap();
    let screen = terminal.backend().to_string();
    assert!(
        lines(&screen)[1].starts_with("  山田太郎花子長…   \""),
        "{screen}"
    );
}

#[test]
fn the_customer_header_keeps_its_dates_whole_or_drops_them_whole() {
    let s = viewing(Tab::Profile);
    for (w, h) in [(80, 24), (100, 30), (120, 40)] {
        let screen = render(&s, w, h);
        let figures = lines(&screen)[2].trim_end();
        assert!(figures.starts_with(" Orders 12 · Spent"), "{w}: {figures}");
        for (label, value) in [("Last order", "2024-11-20"), ("First", "2024-01-15")] {
            assert!(
                !figures.contains(label) || figures.contains(&format!("{label} {value}")),
                "{w}: {figures}"
            );
        }
        assert!(!figures.ends_with('·'), "{w}: {figures}");
    }
}

#[test]
fn the_title_counts_one_customer_in_the_singular() {
    let mut s = listed();
    s.list.total = Load::Ready(1);
    let text = render(&s, 120, 40);
    let title = lines(&text)[0].to_string();
    assert!(title.contains("│ 1 customer │"), "{title}");
}
