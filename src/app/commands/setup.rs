//! The groups and custom fields screen (`Ctrl-G` from the list).

use super::{BOTTOM_KEYS, Command::*, DOWN_KEYS, Spec, TOP_KEYS, UP_KEYS, bind};
use crate::app::state::{SetupSection, State};
use crate::app::update::setup;
use crate::input::Context;
use crate::store::permissions::Permission as P;

fn on_groups(s: &State) -> bool {
    s.setup.section == SetupSection::Groups
}

/// On the custom fields, with one selected.
fn field_selected(s: &State) -> bool {
    s.setup.section == SetupSection::Fields
        && s.fields
            .ready()
            .is_some_and(|f| s.setup.fields.selected < f.len())
}

fn section_permission(s: &State) -> Option<P> {
    Some(match s.setup.section {
        SetupSection::Groups => P::ManageGroups,
        SetupSection::Fields => P::ManageCustomFields,
    })
}

pub const SETUP: Spec = Spec {
    context: Context::Setup,
    about: "groups and custom fields",
    globals: true,
    first: None,
    other: None,
    wheel: false,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, setup::command),
        bind(Up, UP_KEYS, setup::command),
        bind(Top, TOP_KEYS, setup::command),
        bind(Bottom, BOTTOM_KEYS, setup::command),
        // Two sections: either key goes to the other one; each is labelled by its own key.
        bind(NextTab, &["tab", "l", "right"], setup::command),
        bind(PrevTab, &["shift-tab", "h", "left"], setup::command),
        bind(New, &["n"], setup::command)
            .needs(|s| {
                Some(match s.setup.section {
                    SetupSection::Groups => P::ManageGroups,
                    SetupSection::Fields => P::ManageCustomFields,
                })
            })
            .doc(|s| match s.setup.section {
                SetupSection::Groups => "add a group",
                SetupSection::Fields => "add a custom field",
            }),
        bind(Edit, &["e", "enter"], setup::command)
            .when(|s| on_groups(s) || field_selected(s))
            .doc(|s| match s.setup.section {
                SetupSection::Groups => "edit the selected group",
                SetupSection::Fields => "edit the selected field",
            })
            .needs(section_permission),
        bind(ToggleGroup, &["d"], setup::command)
            .when(on_groups)
            .needs(|_| Some(P::ManageGroups)),
        bind(Delete, &["x"], setup::command)
            .when(field_selected)
            .doc(|_| "delete the selected field")
            .needs(|_| Some(P::ManageCustomFields)),
        bind(Refresh, &["ctrl-r"], setup::command),
        bind(Back, &["q", "esc"], setup::command),
    ],
};
