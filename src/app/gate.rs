//! Which commands make sense where, and which need a permission the acting staff member may lack.
//! The footer offers only what applies and is allowed; help marks the rest; pressing a refused key
//! says why. The store enforces the same table again on every write.

use super::state::{Screen, SetupSection, State, Tab};
use crate::input::{Command, Context};
use crate::store::permissions::Action as Permission;

/// The permission a command needs right now, if any.
pub fn permission(state: &State, cmd: Command) -> Option<Permission> {
    let tab = state.customer.as_ref().map(|v| v.tab);
    let section = state.setup.section;
    match (state.screen, cmd) {
        (Screen::List, Command::NewCustomer) => Some(Permission::EditContact),
        (Screen::List, Command::OpenHygiene) => Some(Permission::Delete),
        (Screen::Hygiene, Command::RebuildLibrary) => Some(Permission::ManageLibrary),
        (
            Screen::Hygiene,
            Command::Delete | Command::Deactivate | Command::BlockIp | Command::UnblockIp,
        ) => Some(Permission::Delete),
        (Screen::List | Screen::Audit, Command::OpenAudit) => Some(Permission::ViewAudit),
        (Screen::Setup, Command::New | Command::Edit) => Some(match section {
            SetupSection::Groups => Permission::ManageGroups,
            SetupSection::Fields => Permission::ManageCustomFields,
        }),
        (Screen::Setup, Command::ToggleGroup) => Some(Permission::ManageGroups),
        (
            Screen::Duplicates,
            Command::Merge
            | Command::LinkGuests
            | Command::RunMerge
            | Command::SwapAccounts
            | Command::ToggleSide,
        ) => Some(Permission::Merge),
        (Screen::Customer, c) => match (c, tab) {
            (Command::New, Some(Tab::Notes)) | (Command::Pin, _) => Some(Permission::WriteNote),
            (Command::Edit, Some(Tab::Notes)) => Some(note_edit_permission(state)),
            (Command::Delete, Some(Tab::Notes)) => Some(Permission::DeleteNote),
            (Command::New | Command::Edit | Command::Delete, Some(Tab::Addresses))
            | (Command::DefaultBilling | Command::DefaultShipping | Command::Verify, _) => {
                Some(Permission::EditAddresses)
            }
            (Command::New | Command::Edit | Command::Delete, Some(Tab::Library))
            | (Command::RebuildLibrary, _) => Some(Permission::ManageLibrary),
            (Command::Edit, _) => Some(Permission::EditContact),
            (Command::ChangeStatus, _) => Some(Permission::ChangeStatus),
            (Command::Memberships | Command::CycleMembership, _) => Some(Permission::ManageGroups),
            (Command::Delete, _) if customer_members_open(state) => Some(Permission::ManageGroups),
            _ => None,
        },
        _ => None,
    }
}

fn customer_members_open(state: &State) -> bool {
    state.customer.as_ref().is_some_and(|v| v.members.is_some())
}

/// Authors edit their own notes; anyone else's needs the right to delete notes.
fn note_edit_permission(state: &State) -> Permission {
    let own = selected_note_author(state)
        .zip(state.staff.as_ref())
        .is_some_and(|(author, me)| author == me.display_name || author == me.username);
    if own {
        Permission::EditOwnNote
    } else {
        Permission::DeleteNote
    }
}

fn selected_note_author(state: &State) -> Option<String> {
    let v = state.customer.as_ref()?;
    let notes = v.notes.ready()?;
    notes
        .get(v.cursors[Tab::Notes.index()].selected)?
        .author
        .clone()
}

/// Why the acting staff member may not run `cmd` here, if they may not.
pub fn refusal(state: &State, cmd: Command) -> Option<String> {
    permission(state, cmd).and_then(|p| state.may(p).err())
}

/// Whether a command does anything on the current screen (the footer offers only those).
pub fn applies(state: &State, cmd: Command) -> bool {
    // In a form or the note editor every character is text, `?` included.
    if cmd == Command::Help && (state.form.is_some() || state.context() == Context::Editor) {
        return false;
    }
    match (state.screen, &state.customer) {
        (Screen::Customer, Some(v)) if v.order.is_none() && v.members.is_none() => {
            let t = v.tab;
            match cmd {
                Command::Open => {
                    t == Tab::Orders
                        || (t == Tab::Activity && crate::app::update::selected_order(v).is_some())
                }
                Command::FilterOrders => t == Tab::Orders,
                Command::New => matches!(t, Tab::Notes | Tab::Addresses | Tab::Library),
                Command::Delete => {
                    matches!(t, Tab::Notes | Tab::Addresses | Tab::Library) && v.tab_len() > 0
                }
                Command::Pin => t == Tab::Notes && v.tab_len() > 0,
                Command::Edit if matches!(t, Tab::Notes | Tab::Addresses | Tab::Library) => {
                    v.tab_len() > 0
                }
                Command::RebuildLibrary => t == Tab::Library,
                Command::DefaultBilling | Command::DefaultShipping | Command::Verify => {
                    t == Tab::Addresses && v.tab_len() > 0
                }
                _ => true,
            }
        }
        (Screen::Hygiene, _) => {
            let ips = state.hygiene.view == crate::app::hygiene::View::Ips;
            match cmd {
                Command::UnblockIp => ips,
                Command::Delete
                | Command::Deactivate
                | Command::ToggleSelect
                | Command::SelectAll
                | Command::SortNext
                | Command::SortReverse
                | Command::Search => !ips,
                _ => true,
            }
        }
        (Screen::Audit, _) => match cmd {
            Command::Open => state
                .audit
                .as_ref()
                .and_then(|a| a.selected())
                .is_some_and(|e| e.customer_id.is_some()),
            _ => true,
        },
        (Screen::Duplicates, _) => {
            let d = &state.dups;
            match cmd {
                Command::Merge => {
                    d.merge.is_none()
                        && d.section == crate::app::dups::DupsSection::Pairs
                        && d.selected_pair().is_some()
                }
                Command::LinkGuests => {
                    d.merge.is_none()
                        && d.section == crate::app::dups::DupsSection::Guests
                        && d.selected_guests().is_some()
                }
                _ => true,
            }
        }
        (Screen::Customer, _) if cmd == Command::RebuildLibrary => false,
        (Screen::Setup, _) => match cmd {
            Command::ToggleGroup => state.setup.section == SetupSection::Groups,
            Command::Edit => state.setup.section == SetupSection::Groups,
            _ => true,
        },
        _ => true,
    }
}

/// Offered in the footer: applies here and is allowed for this staff member.
pub fn offered(state: &State, cmd: Command) -> bool {
    applies(state, cmd) && refusal(state, cmd).is_none()
}
