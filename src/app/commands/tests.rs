//! Tests of the registry itself: every binding reaches a handler arm, the declarations are
//! consistent, and `config.example.toml` documents exactly what the registry declares.

use std::collections::{BTreeMap, HashSet};

use super::{Binding, Command, SPECS, Spec, Unhandled, binding, config_doc, spec};
use crate::app::action::Action;
use crate::app::audit::AuditState;
use crate::app::effect::Effect;
use crate::app::review::View;
use crate::app::state::{
    Confirm, Cursor, CustomerView, Load, NoteEditor, OrderPopup, Screen, SetupSection, State, Tab,
};
use crate::app::update::update;
use crate::app::write::WriteOp;
use crate::input::{Context, Key};
use crate::testing::dups_fixtures::{guests, pair_customers, pairs};
use crate::testing::fixtures::{admin, customer, john, order, state};

/// Answers every load the way the store would, with fixtures, so the screens have rows.
fn answer(s: &mut State, fx: Vec<Effect>) {
    for e in fx {
        let more = match e {
            Effect::LoadDuplicates { req } => update(
                s,
                Action::DuplicatesLoaded {
                    req,
                    result: Ok(pairs()),
                },
            ),
            Effect::LoadGuestOrders { req } => update(
                s,
                Action::GuestOrdersLoaded {
                    req,
                    result: Ok(guests()),
                },
            ),
            Effect::LoadDupCustomers { req, .. } => update(
                s,
                Action::DupCustomersLoaded {
                    req,
                    result: Ok(pair_customers()),
                },
            ),
            _ => Vec::new(),
        };
        answer(s, more);
    }
}

fn admin_state() -> State {
    let mut s = state();
    s.staff = Some(admin());
    s.list.rows = (1..=5).map(customer).collect();
    s.groups = Load::Ready(Vec::new());
    s.fields = Load::Ready(Vec::new());
    s
}

fn viewing(tab: Tab) -> State {
    let mut s = admin_state();
    s.screen = Screen::Customer;
    let mut v = CustomerView {
        id: 42,
        customer: Load::Ready((john(), Vec::new())),
        tab,
        notes: Load::Ready(Vec::new()),
        addresses: Load::Ready(Vec::new()),
        library: Load::Ready(Vec::new()),
        ..Default::default()
    };
    v.orders.rows = (1..=3).map(|i| order(i, 42)).collect();
    s.customer = Some(v);
    s
}

fn duplicates(section_tab: bool) -> State {
    let mut s = admin_state();
    let fx = update(&mut s, Action::Key(Key::ch('D')));
    answer(&mut s, fx);
    if section_tab {
        update(
            &mut s,
            Action::Key(Key::plain(crossterm::event::KeyCode::Tab)),
        );
    }
    s
}

/// Several states of each context, each as complete as the screen gets (rows, loaded data).
fn fixtures() -> Vec<State> {
    let mut out = vec![admin_state()];
    let mut search = admin_state();
    search.search.focused = true;
    search.search.query = "jo".into();
    out.push(search);
    for tab in Tab::ALL {
        out.push(viewing(tab));
    }
    let mut popup = viewing(Tab::Orders);
    popup.customer.as_mut().unwrap().order = Some(OrderPopup::default());
    out.push(popup);
    let mut support = viewing(Tab::Support);
    support.customer.as_mut().unwrap().support = Load::Ready(crate::testing::fixtures::tickets());
    out.push(support.clone());
    support.customer.as_mut().unwrap().ticket = Some(crate::app::state::TicketPopup {
        ticket: crate::testing::fixtures::tickets().remove(0),
        messages: Load::Ready(crate::testing::fixtures::conversation()),
        scroll: 0,
    });
    out.push(support);
    let mut members = viewing(Tab::Profile);
    members.customer.as_mut().unwrap().members = Some(Cursor::default());
    out.push(members);
    let mut editor = viewing(Tab::Notes);
    editor.customer.as_mut().unwrap().editor = Some(NoteEditor::default());
    out.push(editor);
    let mut help = admin_state();
    help.help = Some(0);
    out.push(help);
    let mut form = admin_state();
    form.form = Some(crate::app::forms::new_group());
    out.push(form);
    let mut confirm = viewing(Tab::Addresses);
    confirm.confirm = Some(Confirm::new(
        "sure?",
        WriteOp::RemoveMembership {
            customer: 42,
            group: 1,
        },
    ));
    out.push(confirm);
    for section in [SetupSection::Groups, SetupSection::Fields] {
        let mut setup = admin_state();
        setup.screen = Screen::Setup;
        setup.setup.section = section;
        out.push(setup);
    }
    for view in [View::Spam, View::Unused, View::Recent, View::Ips] {
        let mut review = admin_state();
        review.screen = Screen::Review;
        review.review.data = Load::Ready(crate::app::update::test_review(3, 2));
        review.review.ips = Load::Ready(Vec::new());
        review.review.view = view;
        review.review.reshow();
        out.push(review);
    }
    let mut audit = admin_state();
    audit.screen = Screen::Audit;
    audit.audit = Some(AuditState::default());
    out.push(audit);
    let mut analytics = admin_state();
    analytics.screen = Screen::Analytics;
    analytics.analytics = Some(crate::app::analytics::AnalyticsState {
        data: Load::Ready(crate::app::analytics::AnalyticsData::default()),
        ..Default::default()
    });
    out.push(analytics);
    let mut exporting = admin_state();
    exporting.export = Some(crate::app::export::ExportJob {
        req: 99,
        file: "customers.csv".into(),
        progress: Default::default(),
        cancelling: false,
    });
    out.push(exporting);
    out.push(duplicates(false));
    out.push(duplicates(true));
    let mut merge = duplicates(false);
    update(&mut merge, Action::Key(Key::ch('m')));
    out.push(merge);
    let mut views = admin_state();
    views.views = Some(crate::app::views::Picker {
        views: Load::Ready(vec![crate::testing::fixtures::saved_view(
            1,
            "mine",
            false,
            Default::default(),
        )]),
        cursor: Cursor::default(),
    });
    out.push(views);
    let mut privacy = admin_state();
    privacy.screen = Screen::Privacy;
    privacy.gdpr.screen = Some(crate::app::privacy::Requests {
        rows: Load::Ready(crate::app::privacy::RequestRows {
            requests: vec![crate::testing::fixtures::privacy_request(
                1,
                Some(42),
                crate::store::model::PrivacyKind::Access,
                crate::store::model::PrivacyStatus::Pending,
            )],
            customers: vec![john()],
        }),
        ..Default::default()
    });
    out.push(privacy);
    let mut erase = viewing(Tab::Profile);
    erase.gdpr.erase = Some(crate::app::privacy::EraseDialog::new(42, "John".into(), 9));
    out.push(erase);
    out
}

/// A command this context does not bind, to show a handler's fallthrough is reachable.
fn stranger(s: &Spec) -> Command {
    *Command::ALL
        .iter()
        .find(|c| binding(s.context, **c).is_none())
        .expect("some command is not bound here")
}

#[test]
fn every_context_has_a_fixture_and_every_binding_reaches_its_handler() {
    let fixtures = fixtures();
    for s in SPECS.iter().filter(|s| s.context != Context::Global) {
        let states: Vec<&State> = fixtures
            .iter()
            .filter(|f| f.context() == s.context)
            .collect();
        assert!(!states.is_empty(), "no fixture for {:?}", s.context);
        for f in states {
            let run = |b: &Binding, cmd: Command| (b.run)(&mut f.clone(), cmd);
            for b in s.bindings {
                assert_ne!(
                    run(b, b.command),
                    Err(Unhandled(b.command)),
                    "{:?} in {:?} reaches no arm of its handler",
                    b.command,
                    s.context
                );
            }
            // The fixture gets as far as each shared handler's match: a command it has no arm for
            // comes back unhandled, so the walk above proves something.
            let shared = |b: &&Binding| {
                s.bindings
                    .iter()
                    .filter(|o| o.run as usize == b.run as usize)
                    .count()
                    > 1
            };
            for b in s.bindings.iter().filter(shared) {
                let c = stranger(s);
                assert_eq!(run(b, c), Err(Unhandled(c)), "{:?}", s.context);
            }
        }
    }
    // The global commands run from every context that lets them through.
    for f in &fixtures {
        for g in super::global::GLOBAL.bindings {
            if let Some(b) = binding(f.context(), g.command) {
                assert!((b.run)(&mut f.clone(), g.command).is_ok());
            }
        }
    }
}

#[test]
fn each_context_is_declared_once_and_each_key_means_one_thing() {
    for ctx in Context::ALL {
        let n = SPECS.iter().filter(|s| s.context == ctx).count();
        assert_eq!(n, 1, "{ctx:?} is declared {n} times");
        let s = spec(ctx);
        let mut keys = HashSet::new();
        let mut cmds = HashSet::new();
        for b in s.bindings {
            assert!(cmds.insert(b.command), "{:?} twice in {ctx:?}", b.command);
            for k in b.keys {
                let key = Key::parse(k).unwrap_or_else(|e| panic!("{k} in {ctx:?}: {e}"));
                assert!(keys.insert(key), "{k} bound twice in {ctx:?}");
            }
        }
        if s.wheel {
            for c in [Command::Up, Command::Down] {
                assert!(
                    binding(ctx, c).is_some(),
                    "the wheel needs {c:?} in {ctx:?}"
                );
            }
        }
    }
    for c in Command::ALL {
        assert!(
            SPECS.iter().any(|s| s
                .bindings
                .iter()
                .any(|b| b.command == *c && !b.keys.is_empty())),
            "{c:?} has no key anywhere"
        );
    }
}

#[test]
fn the_keymap_is_the_registry() {
    let km = crate::input::Keymap::default();
    for s in SPECS {
        for b in s.bindings {
            for k in b.keys {
                let key = Key::parse(k).unwrap();
                assert_eq!(
                    km.lookup(s.context, key),
                    Some(b.command),
                    "{k} in {:?}",
                    s.context
                );
            }
        }
    }
    // Rebinding is limited to what the registry handles there.
    let ok = BTreeMap::from([(
        "editor".to_string(),
        BTreeMap::from([("ctrl-q".to_string(), "quit".to_string())]),
    )]);
    assert!(crate::input::Keymap::default().with_overrides(&ok).is_ok());
    let no = BTreeMap::from([(
        "editor".to_string(),
        BTreeMap::from([("f1".to_string(), "help".to_string())]),
    )]);
    assert!(crate::input::Keymap::default().with_overrides(&no).is_err());
}

const EXAMPLE: &str = include_str!("../../../config.example.toml");

/// `PATRON_WRITE_CONFIG_EXAMPLE=1 cargo test --lib commands` rewrites the file's generated part.
#[test]
fn config_example_documents_the_registry() {
    let doc = config_doc();
    let (begin, end) = (super::DOC_BEGIN, super::DOC_END);
    let found = EXAMPLE
        .find(begin)
        .and_then(|a| EXAMPLE[a..].find(end).map(|b| (a, a + b + end.len())));
    if std::env::var_os("PATRON_WRITE_CONFIG_EXAMPLE").is_some() {
        let (a, b) = found.expect("the markers are in config.example.toml");
        let fresh = format!("{}{doc}{}", &EXAMPLE[..a], &EXAMPLE[b..]);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
        std::fs::write(path, fresh).unwrap();
        return;
    }
    let (a, b) = found.expect("config.example.toml has the generated key section");
    assert!(
        EXAMPLE[a..b] == doc,
        "config.example.toml's keys differ from the registry; run \
         PATRON_WRITE_CONFIG_EXAMPLE=1 cargo test --lib commands to regenerate. Expected:\n{doc}"
    );
}

fn note_by(id: i64, author: &str) -> crate::store::model::Note {
    crate::store::model::Note {
        id,
        author: Some(author.into()),
        body: format!("note {id}"),
        pinned: false,
        created_at: crate::testing::fixtures::t0(),
        edited_at: None,
        version: 1,
    }
}

/// D18/D12: `e` says what it edits on each tab; help and the footer read the same line.
#[test]
fn each_tab_says_what_e_edits_there() {
    for tab in [
        Tab::Profile,
        Tab::Orders,
        Tab::Wishlist,
        Tab::Transactions,
        Tab::Emails,
        Tab::Activity,
    ] {
        let s = viewing(tab);
        assert_eq!(
            super::describe(&s, Context::Customer, Command::Edit),
            "edit the profile",
            "{tab:?}"
        );
    }
    let mut s = viewing(Tab::Notes);
    s.staff = Some(crate::testing::fixtures::agent());
    s.customer.as_mut().unwrap().notes = Load::Ready(vec![note_by(1, "root")]);
    assert_eq!(
        super::describe(&s, Context::Customer, Command::Edit),
        "edit the selected note"
    );
    // The marker help shows belongs to that binding: editing someone else's note.
    assert_eq!(
        crate::app::gate::refusal(&s, Command::Edit).as_deref(),
        Some("not allowed: agents cannot delete notes or edit other staff's notes (admins can)")
    );
}

/// D18: a key bound here that does nothing on this tab says so instead of staying silent.
#[test]
fn a_key_that_does_nothing_on_this_tab_says_so() {
    for (tab, key, said) in [
        (
            Tab::Transactions,
            Key::ch('n'),
            "n does nothing on the Transactions tab",
        ),
        (
            Tab::Emails,
            Key::plain(crossterm::event::KeyCode::Enter),
            "Enter does nothing on the Emails tab",
        ),
        (
            Tab::Transactions,
            Key::plain(crossterm::event::KeyCode::Enter),
            "Enter does nothing on the Transactions tab",
        ),
    ] {
        let mut s = viewing(tab);
        let fx = update(&mut s, Action::Key(key));
        assert!(fx.is_empty());
        assert_eq!(s.notice.as_deref(), Some(said), "{tab:?}");
        assert!(s.form.is_none());
    }
}

/// D14: the cleanup screen does not lead its footer with the rebuild of every library.
#[test]
fn rebuild_is_not_the_first_review_hint() {
    let mut ranked: Vec<Command> = spec(Context::Review)
        .bindings
        .iter()
        .map(|b| b.command)
        .filter(|c| c.footer().is_some())
        .collect();
    ranked.sort_by_key(|c| c.footer());
    assert_ne!(ranked.first(), Some(&Command::RebuildLibrary), "{ranked:?}");
    assert_eq!(ranked.last(), Some(&Command::RebuildLibrary), "{ranked:?}");
}

/// D21: the setup screen's footer names the key that goes to the next section.
#[test]
fn setup_next_tab_is_not_labelled_h() {
    let km = crate::input::Keymap::default();
    let next = km
        .key_for(Context::Setup, Command::NextTab)
        .map(|k| k.label());
    assert_eq!(next.as_deref(), Some("l"));
    let prev = km
        .key_for(Context::Setup, Command::PrevTab)
        .map(|k| k.label());
    assert_eq!(prev.as_deref(), Some("h"));
}
