//! Screen snapshots (insta, TestBackend) of every screen and tab at 80x24 and 120x40,
//! including loading, empty, error and hostile-data states.

use patron_search::{ExactKind, Hit};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::state::*;
use crate::store::model::*;
use crate::testing::fixtures::{customer, eve, john, order, state};

pub(super) fn render(s: &State, w: u16, h: u16) -> String {
    let mut s = s.clone();
    s.width = w;
    s.height = h;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::render(f, &s)).unwrap();
    let text = terminal.backend().to_string();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "inert output"
    );
    text
}

/// The name of the test function this expands in (as insta finds it for unnamed snapshots).
macro_rules! test_name {
    () => {{
        fn f() {}
        fn type_name_of<T>(_: T) -> &'static str {
            std::any::type_name::<T>()
        }
        let path = type_name_of(f);
        let path = path.strip_suffix("::f").unwrap_or(path);
        path.rsplit("::")
            .find(|part| *part != "{{closure}}")
            .unwrap_or(path)
    }};
}
pub(super) use test_name;

/// `insta::assert_snapshot!` expanded in the calling test, named `<test>__<name>`: the snapshot's
/// `source:` is the test's own file and its file name says which test wrote it.
macro_rules! snapshot {
    ($name:expr, $value:expr $(,)?) => {
        insta::assert_snapshot!(
            format!("{}__{}", $crate::ui::tests::test_name!(), $name),
            $value
        )
    };
}
pub(super) use snapshot;

/// Snapshots a state at 80x24 and 120x40 (`<test>__<name>_80x24`, `…_120x40`), from the calling test.
macro_rules! both {
    ($name:expr, $state:expr $(,)?) => {{
        let name: &str = $name;
        let s: &$crate::app::state::State = $state;
        let render = $crate::ui::tests::render;
        $crate::ui::tests::snapshot!(format!("{name}_80x24"), render(s, 80, 24));
        $crate::ui::tests::snapshot!(format!("{name}_120x40"), render(s, 120, 40));
    }};
}
pub(super) use both;

pub(super) fn listed() -> State {
    let mut s = state();
    s.list.rows = (1..=60).map(customer).collect();
    s.list.rows[0] = john();
    s.list.rows[1] = eve();
    s.list.rows[2].has_account = false;
    s.list.rows[3].status = CustomerStatus::Disabled;
    s.list.total = Load::Ready(1_000_000);
    s.list.cursor = Cursor {
        selected: 1,
        offset: 0,
    };
    s.index = IndexStatus::Ready {
        customers: 1_000_000,
        memory_bytes: 120_000_000,
        millis: 8_100,
    };
    s
}

#[test]
fn list_screens() {
    both!("list", &listed());
    let mut loading = state();
    loading.list.page = Some(PageRequest {
        req: 1,
        kind: PageKind::Replace,
    });
    both!("list_loading", &loading);
    let mut empty = state();
    empty.list.total = Load::Ready(0);
    both!("list_empty", &empty);
    let mut failed = listed();
    failed.banner = Some(Banner {
        message: "Database unavailable: connection refused".into(),
        retry_at: Some(failed.now + chrono::Duration::seconds(4)),
        attempts: 2,
    });
    both!("list_banner", &failed);
}

#[test]
fn search_screens() {
    let mut s = listed();
    s.search.focused = true;
    s.search.query = "jo sm".into();
    s.search.shown_query = "jo sm".into();
    s.search.rows = vec![
        SearchRow {
            hit: Hit {
                id: 42,
                score: 900,
                exact: None,
            },
            customer: john(),
        },
        SearchRow {
            hit: Hit {
                id: 13,
                score: 100,
                exact: None,
            },
            customer: eve(),
        },
    ];
    s.search.total = 2;
    s.search.micros = 1_800;
    both!("search_results", &s);
    s.search.query = "john.smith@example.com".into();
    s.search.shown_query = s.search.query.clone();
    s.search.rows[0].hit.exact = Some(ExactKind::Email);
    s.search.rows.truncate(1);
    both!("search_exact", &s);
    s.search.query = "zzzz".into();
    s.search.shown_query = s.search.query.clone();
    s.search.rows.clear();
    s.search.total = 0;
    both!("search_none", &s);
    let mut loading = listed();
    loading.search.query = "jo".into();
    loading.index = IndexStatus::Loading { loaded: 240_000 };
    both!("search_index_loading", &loading);
}

pub(super) fn viewing(tab: Tab) -> State {
    let mut s = listed();
    s.screen = Screen::Customer;
    let groups = vec![Membership {
        group_id: 1,
        group_name: "VIP".into(),
        kind: GroupKind::Vip,
        group_active: true,
        discount_bps: 1000,
        status: MembershipStatus::Active,
    }];
    let mut v = CustomerView {
        id: 42,
        customer: Load::Ready((john(), groups)),
        tab,
        ..Default::default()
    };
    let t = fixtures_time();
    v.addresses = Load::Ready(vec![Address {
        id: 1,
        customer_id: 42,
        kind: AddressKind::Billing,
        is_default_billing: true,
        is_default_shipping: true,
        first_name: "John".into(),
        last_name: "Smith".into(),
        company: "Acme Corp".into(),
        address1: "123 Main Street".into(),
        address2: "Suite 456".into(),
        city: "San Francisco".into(),
        province: "CA".into(),
        postal_code: "94102".into(),
        country: "US".into(),
        phone: "+1 (555) 123-4567".into(),
        verification: Verification::Verified,
    }]);
    v.orders = OrdersTab {
        rows: (1..=30).map(|i| order(i, 42)).collect(),
        loaded_once: true,
        ..Default::default()
    };
    v.library = Load::Ready(vec![LibraryItem {
        id: 1,
        product_id: 7,
        sku: "EBOOK-RUST".into(),
        name: "The Rust Book (ebook)".into(),
        kind: ProductKind::Digital,
        source: LibrarySource::Purchase,
        order_number: Some("100001".into()),
        granted_at: t,
        revoked_at: None,
        expires_at: None,
        note: String::new(),
        downloads: 3,
        last_download_at: Some(t),
    }]);
    v.wishlist = Load::Ready(vec![WishlistItem {
        id: 1,
        product_id: 8,
        sku: "MUG-1".into(),
        name: "Coffee Mug".into(),
        price: 1250,
        currency: "USD".into(),
        added_at: t,
        purchased_at: None,
    }]);
    v.transactions = Load::Ready(vec![Transaction {
        id: 1,
        order_number: Some("100001".into()),
        kind: TransactionKind::Refund,
        amount: 2500,
        currency: "USD".into(),
        method: "paypal".into(),
        description: "Refund for returned course".into(),
        created_at: t,
    }]);
    v.emails = Load::Ready(vec![Email {
        id: 1,
        kind: "shipping_update".into(),
        subject: "Your order has shipped".into(),
        body: String::new(),
        status: EmailStatus::Bounced,
        created_at: t,
        sent_at: Some(t),
        delivered_at: None,
        error: Some("550 5.1.1 mailbox unavailable".into()),
    }]);
    v.notes = Load::Ready(vec![Note {
        id: 1,
        author: Some("Alice Admin".into()),
        body: "VIP customer - expedite all orders\nsecond line".into(),
        pinned: true,
        created_at: t,
        edited_at: None,
        version: 1,
    }]);
    v.activity = Load::Ready(super::audit_tests::activity_rows(t));
    v.insights = Load::Ready(Box::new(insights_fixture(t)));
    s.customer = Some(v);
    s
}

/// A repeat buyer with a fitted model, one hostile product name and imported engagement.
pub(super) fn insights_fixture(
    t: chrono::DateTime<chrono::Utc>,
) -> crate::analytics::insights::Insights {
    use crate::store::analytics::*;
    let fav = |name: &str, quantity, spent| Favourite {
        name: name.into(),
        quantity,
        spent,
    };
    let day = chrono::Duration::days(1);
    crate::analytics::insights::Insights {
        customer_id: 42,
        created_at: t - day * 700,
        as_of: t,
        behaviour: Behaviour {
            orders: 12,
            paid_orders: 11,
            spent: 124_899,
            refunded: 2_500,
            currency: "USD".into(),
            first_order_at: Some(t - day * 600),
            last_order_at: Some(t - day * 40),
            items: 30,
            discounted_orders: 3,
            discount_depth_bps: Some(450),
            refunded_orders: 1,
            returned_orders: 0,
            products_by_quantity: vec![
                fav("Rust Book", 5, 12_500),
                fav("\u{1b}[31mRed\u{202e}Mug", 4, 3_600),
            ],
            categories_by_spend: vec![fav("books", 5, 12_500)],
            brands_by_spend: vec![fav("O'Reilly", 5, 12_500)],
            ..Default::default()
        },
        engagement: EngagementFacts {
            shop_has_events: true,
            events: vec![
                EventCount {
                    kind: EventKind::EmailSent,
                    count: 10,
                    first_at: t - day * 300,
                    last_at: t - day * 5,
                },
                EventCount {
                    kind: EventKind::EmailOpened,
                    count: 4,
                    first_at: t - day * 300,
                    last_at: t - day * 5,
                },
                EventCount {
                    kind: EventKind::SiteVisit,
                    count: 20,
                    first_at: t - day * 300,
                    last_at: t - day * 2,
                },
            ],
            emails_sent: 0,
            last_login_at: Some(t - day),
        },
        score: Some(ScoreRow {
            customer_id: 42,
            purchases: 11,
            net_spent: 122_399,
            currency: "USD".into(),
            recency_days: Some(40),
            mean_days_between: Some(56.0),
            p_alive: Some(0.83),
            expected_purchases: Some(4.2),
            expected_spend: Some(10_850.0),
            clv: Some(41_230),
            r: 4,
            f: 5,
            m: 5,
            segment: SegmentKey::Loyal,
            churn: ChurnRisk::Low,
            churn_reason: "p(alive) 0.83: 11 orders about every 56 days, none for 40 days".into(),
        }),
        fit: None,
    }
}

fn fixtures_time() -> chrono::DateTime<chrono::Utc> {
    crate::testing::fixtures::t0()
}

#[test]
fn customer_tabs() {
    for tab in Tab::ALL {
        both!(
            &format!("customer_{}", tab.title().to_lowercase()),
            &viewing(tab),
        );
    }
}

#[test]
fn customer_loading_empty_and_failed_states() {
    let mut s = viewing(Tab::Library);
    if let Some(v) = s.customer.as_mut() {
        v.customer = Load::Loading(3);
        v.library = Load::Loading(4);
    }
    both!("customer_loading", &s);
    let mut s = viewing(Tab::Wishlist);
    if let Some(v) = s.customer.as_mut() {
        v.wishlist = Load::Ready(vec![]);
    }
    both!("customer_empty_tab", &s);
    let mut s = viewing(Tab::Emails);
    if let Some(v) = s.customer.as_mut() {
        v.emails = Load::Failed("database error: disk I/O error".into());
    }
    both!("customer_failed_tab", &s);
}

#[test]
fn order_popup_and_help() {
    let mut s = viewing(Tab::Orders);
    let o = order(1, 42);
    let detail = OrderDetail {
        items: vec![OrderItem {
            id: 1,
            sku: "TSHIRT-M".into(),
            name: "Logo T-shirt (M)".into(),
            kind: ProductKind::Physical,
            quantity: 2,
            unit_price: 1999,
            total: 3998,
        }],
        transactions: vec![],
        order: o,
    };
    if let Some(v) = s.customer.as_mut() {
        v.order = Some(OrderPopup {
            id: 1,
            detail: Load::Ready(detail),
            scroll: 0,
        });
    }
    both!("order_popup", &s);
    let mut h = listed();
    h.help = Some(0);
    both!("help_list", &h);
}

/// A message whose subject and body carry terminal escapes and a bidi override: drawn inert,
/// the status in words ("accepted by the mail server", never "delivered").
#[test]
fn message_popup_draws_a_hostile_message_inert() {
    let mut s = viewing(Tab::Emails);
    if let Some(v) = s.customer.as_mut() {
        let mut email = v.emails.ready().unwrap()[0].clone();
        email.subject = "Your order \u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}txt.exe".into();
        email.body = "Hello John,\n\n\u{1b}[31mred\u{1b}[0m and a tab\there.\nBye".into();
        email.status = EmailStatus::Sent;
        email.error = Some("250 2.0.0 Ok: queued as 4F2A".into());
        v.message = Some(MessagePopup { email, scroll: 0 });
    }
    both!("message_popup", &s);
}

#[test]
fn tiny_terminals() {
    let s = listed();
    snapshot!("list_20x5", render(&s, 20, 5));
    snapshot!("too_small_19x4", render(&s, 19, 4));
    let v = viewing(Tab::Orders);
    snapshot!("customer_20x5", render(&v, 20, 5));
}

#[test]
fn hostile_name_is_visible_as_inert_markers() {
    let s = listed();
    let text = render(&s, 120, 40);
    assert!(text.contains("⟨U+001B⟩]0;owned"), "{text}");
    assert!(
        text.contains("ali⟨U+202E⟩moc"),
        "the RTL override is shown as a marker"
    );
    let v = viewing(Tab::Profile);
    let mut v = v;
    if let Some(view) = v.customer.as_mut() {
        view.customer = Load::Ready((eve(), vec![]));
    }
    let text = render(&v, 120, 40);
    assert!(
        text.contains("⟨U+001B⟩]0;owned⟨U+0007⟩Eve Mallory"),
        "{text}"
    );
}

#[test]
fn note_editor_open_and_failed() {
    let mut s = viewing(Tab::Notes);
    s.staff = Some(crate::testing::fixtures::admin());
    if let Some(v) = s.customer.as_mut() {
        let mut text = ratatui_textarea::TextArea::new(vec![
            "Called about sizing on 2/15".into(),
            "resolved".into(),
        ]);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        v.editor = Some(NoteEditor {
            text,
            ..Default::default()
        });
    }
    both!("note_editor", &s);
    if let Some(ed) = s.customer.as_mut().and_then(|v| v.editor.as_mut()) {
        ed.error = Some(
            "not saved: database unavailable. The text stays here; Ctrl-S tries again.".into(),
        );
    }
    s.notice = Some("draft kept in /home/agent/.local/share/patron/drafts/customer-42.txt".into());
    both!("note_editor_failed", &s);
}

#[test]
fn a_hostile_note_is_inert_in_the_table_and_the_preview() {
    let mut s = viewing(Tab::Notes);
    if let Some(Load::Ready(notes)) = s.customer.as_mut().map(|v| &mut v.notes) {
        notes[0].body = "line one\n\u{1b}[2J\u{202e}gnp.exe\u{200b}".into();
    }
    let text = render(&s, 120, 40);
    assert!(
        text.contains("line one⏎⟨U+001B⟩[2J⟨U+202E⟩gnp.exe⟨U+200B⟩"),
        "table: {text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("\"⟨U+001B⟩[2J⟨U+202E⟩gnp.exe")),
        "preview keeps the line break: {text}"
    );
}
