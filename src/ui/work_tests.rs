//! Snapshots of the staff-work screens: forms (valid, invalid, conflict), the confirmation,
//! the group picker, the groups and custom fields screen, and what an agent is offered.

use super::tests::{both, listed, render, viewing};
use crate::app::form::Edit;
use crate::app::forms;
use crate::app::state::*;
use crate::app::write::WriteOp;
use crate::store::model::*;
use crate::testing::fixtures::{admin, agent, eve, john};

fn vip_field() -> CustomFieldDef {
    CustomFieldDef {
        id: 1,
        name: "tier".into(),
        label: "Loyalty tier".into(),
        kind: CustomFieldKind::Choice,
        choices: vec!["gold".into(), "silver".into()],
        required: true,
        position: 0,
    }
}

fn groups() -> Vec<Group> {
    vec![
        Group {
            id: 1,
            name: "VIP".into(),
            kind: GroupKind::Vip,
            active: true,
            discount_bps: 1000,
            description: "Top spenders".into(),
            members: 1_204,
        },
        Group {
            id: 2,
            name: "Wholesale EU".into(),
            kind: GroupKind::Wholesale,
            active: false,
            discount_bps: 1250,
            description: "\u{202e}reversed".into(),
            members: 0,
        },
    ]
}

#[test]
fn edit_form_with_an_inline_error_and_a_custom_field() {
    let mut s = viewing(Tab::Profile);
    s.staff = Some(agent());
    s.fields = Load::Ready(vec![vip_field()]);
    let mut f = forms::edit_customer(&john(), &[vip_field()]);
    f.focus = 3;
    f.edit(Edit::Clear);
    f.insert_str("call me");
    f.validate();
    s.form = Some(f);
    both!("form_edit_invalid", &s);
}

#[test]
fn edit_form_after_a_conflict_shows_their_values() {
    let mut s = viewing(Tab::Profile);
    s.staff = Some(agent());
    let mut f = forms::edit_customer(&john(), &[]);
    f.focus = 3;
    f.edit(Edit::Clear);
    f.insert_str("+1 555 0100");
    let mut theirs = john();
    theirs.phone = "+1 555 0199".into();
    theirs.version = 9;
    forms::show_conflict(&mut f, &theirs);
    s.form = Some(f);
    both!("form_edit_conflict", &s);
}

#[test]
fn new_customer_and_status_forms() {
    let mut s = listed();
    s.staff = Some(admin());
    s.form = Some(forms::create_customer(true));
    both!("form_new_customer", &s);
    let mut s = viewing(Tab::Profile);
    s.staff = Some(admin());
    s.form = Some(forms::status(&eve()));
    let text = render(&s, 120, 40);
    assert!(text.contains("◀ disabled ▶"), "{text}");
    both!("form_status", &s);
}

#[test]
fn a_confirmation_names_what_goes() {
    let mut s = viewing(Tab::Addresses);
    s.staff = Some(admin());
    s.confirm = Some(Confirm::new(
        "Delete the address 1 Main St, Springfield, 12345, US?",
        WriteOp::DeleteAddress { address: 3 },
    ));
    both!("confirm_delete_address", &s);
}

#[test]
fn the_group_picker_shows_memberships() {
    let mut s = viewing(Tab::Profile);
    s.staff = Some(admin());
    s.groups = Load::Ready(groups());
    if let Some(v) = s.customer.as_mut() {
        v.members = Some(Cursor::default());
    }
    both!("group_picker", &s);
}

#[test]
fn the_setup_screen_lists_groups_and_fields() {
    let mut s = listed();
    s.staff = Some(admin());
    s.screen = Screen::Setup;
    s.groups = Load::Ready(groups());
    s.fields = Load::Ready(vec![vip_field()]);
    both!("setup_groups", &s);
    s.setup.section = SetupSection::Fields;
    both!("setup_fields", &s);
    s.fields = Load::Failed("database unavailable".into());
    let text = render(&s, 80, 24);
    assert!(text.contains("Could not load custom fields"), "{text}");
}

#[test]
fn an_agent_is_not_offered_admin_keys_and_help_says_who_may() {
    let mut s = viewing(Tab::Profile);
    s.staff = Some(agent());
    let footer = render(&s, 200, 30);
    assert!(!footer.contains("activate or deactivate"), "{footer}");
    s.help = Some(0);
    both!("help_customer_agent", &s);
    let text = render(&s, 120, 40);
    assert!(
        text.contains("activate or deactivate the account  [admins can]"),
        "{text}"
    );
    s.staff = Some(admin());
    let text = render(&s, 120, 40);
    assert!(!text.contains("[admins can]"), "{text}");
}

fn audited() -> State {
    let mut s = listed();
    s.staff = Some(admin());
    s.screen = Screen::Review;
    let mut review = crate::app::update::test_review(6, 3);
    review.rows[1].name = "\u{1b}]0;pwn\u{7}Bot http://spam.example".into();
    s.review.data = Load::Ready(review);
    s.review.reshow();
    s.review.selected.extend([1, 3]);
    s.review.cursor.selected = 1;
    s
}

#[test]
fn the_audit_screen_reviews_spam_with_reasons_and_a_detail_pane() {
    let s = audited();
    both!("audit_spam", &s);
    let mut loading = audited();
    loading.review.data = Load::Loading(1);
    loading.review.progress = Some("classifying 1,000,000 accounts…".into());
    let text = render(&loading, 120, 40);
    assert!(text.contains("Classifying every account: classifying 1,000,000 accounts…"));
    let mut big = audited();
    big.confirm = Some(Confirm {
        typed: Some("15".into()),
        expect: "150".into(),
        ..Confirm::new(
            "Delete 150 accounts? This cannot be undone.",
            WriteOp::DeleteCustomers { ids: vec![] },
        )
    });
    both!("audit_confirm_typed", &big);
    let mut reported = audited();
    reported.review.report = Some(vec![
        "Deleted 2 accounts; skipped 1.".into(),
        "  #3: has 1 order".into(),
        "Press any key to close.".into(),
    ]);
    both!("audit_report", &reported);
}

#[test]
fn the_ip_view_shows_registrations_and_blocks() {
    let mut s = audited();
    s.review.view = crate::app::review::View::Ips;
    s.review.ips = Load::Ready(vec![
        crate::app::review::IpRow {
            ip: "203.0.113.7".into(),
            registrations: 41,
            blocked: Some(crate::store::review::BlockedIp {
                ip: "203.0.113.7".into(),
                reason: "spam registrations".into(),
                staff: Some("alice".into()),
                created_at: crate::testing::fixtures::t0(),
            }),
        },
        crate::app::review::IpRow {
            ip: "198.51.100.2".into(),
            registrations: 6,
            blocked: None,
        },
    ]);
    both!("audit_ips", &s);
}

#[test]
fn a_library_rebuild_shows_a_progress_bar() {
    let mut s = audited();
    s.review.rebuild = Some(480);
    let text = render(&s, 120, 40);
    assert!(
        text.contains("[█████████░░░░░░░░░░░] 48% · 480 of 1,000 customers"),
        "{text}"
    );
}

/// The rows inside the report box, borders and padding dropped, joined with spaces.
fn report_text(text: &str) -> String {
    let rows: Vec<&str> = text.lines().collect();
    let top = rows
        .iter()
        .position(|r| r.contains("┌ Re"))
        .expect("a report box");
    let mut words = Vec::new();
    for r in &rows[top + 1..] {
        if r.contains('└') {
            break;
        }
        let inner = r.split('│').nth(1).unwrap_or("");
        words.extend(inner.split_whitespace());
    }
    words.join(" ")
}

#[test]
fn the_rebuild_report_and_question_are_never_cut_off() {
    for (w, h) in [(80, 24), (120, 40), (60, 20)] {
        let mut s = audited();
        s.review.rebuild_req = Some(7);
        crate::app::update::update(
            &mut s,
            crate::app::action::Action::LibrariesRebuilt {
                req: 7,
                result: Ok(crate::store::review::RebuildReport {
                    customers: 9_777,
                    ..Default::default()
                }),
            },
        );
        let text = report_text(&render(&s, w, h));
        assert!(
            text.ends_with("Manual and gift grants were kept."),
            "{w}x{h}: {text}"
        );
    }
    let mut asked = audited();
    crate::app::update::update(
        &mut asked,
        crate::app::action::Action::Key(crate::input::Key::ch('R')),
    );
    let text = report_text(&render(&asked, 80, 24));
    assert!(
        text.starts_with("Rebuild the library of all 1,000 customers"),
        "{text}"
    );
    assert!(
        text.ends_with("y rebuilds · any other key cancels"),
        "{text}"
    );
    both!("audit_rebuild_ask", &asked);
}

/// At 120 columns the item name gets the room; Access and Note take what their text needs.
#[test]
fn library_item_names_get_the_flexible_width() {
    use crate::testing::dups_fixtures::{library, library_item};
    let mut s = super::tests::viewing(Tab::Library);
    s.staff = Some(admin());
    let mut items = library();
    items.insert(
        0,
        library_item(
            5,
            "Mastering Piano - online course",
            LibrarySource::Purchase,
        ),
    );
    if let Some(v) = s.customer.as_mut() {
        v.library = Load::Ready(items);
    }
    let text = render(&s, 120, 40);
    assert!(text.contains("Mastering Piano - online course "), "{text}");
    // The note keeps a readable start; the kind column only shows when something is not digital.
    assert!(text.contains("support good"), "{text}");
    assert!(!text.contains("Kind"), "{text}");
}

#[test]
fn a_disabled_registered_account_shows_it_cannot_log_in() {
    let mut s = viewing(Tab::Profile);
    let v = s.customer.as_mut().unwrap();
    let Load::Ready((c, _)) = &mut v.customer else {
        panic!("loaded")
    };
    assert!(c.has_account);
    c.status = CustomerStatus::Disabled;
    c.status_reason = Some("chargeback".into());
    let text = render(&s, 120, 40);
    assert!(
        text.contains("registered (cannot log in: disabled)"),
        "{text}"
    );
    assert!(!text.contains("can log in)"), "{text}");
}

/// D14: an account deactivated from the review says so in its row and its detail.
#[test]
fn accounts_deactivated_here_say_so() {
    let mut s = audited();
    s.review.deactivated.insert(2);
    s.review.cursor.selected = 1;
    let text = render(&s, 120, 40);
    assert!(text.contains("DEACTIVATED"), "{text}");
    assert!(text.contains("Deactivated from this screen"), "{text}");
}
