//! The groups and custom fields screen (`Ctrl-G` from the list), and loading both lists for the
//! screens and forms that need them.

use super::work;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::forms;
use crate::app::gate;
use crate::app::geometry as layout;
use crate::app::state::{Confirm, Load, Screen, SetupSection, State};
use crate::app::write::WriteOp;
use crate::input::Command;
use crate::store::model::{CustomFieldDef, Group};

pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Setup;
    state.groups = Load::Idle;
    state.fields = Load::Idle;
    let mut fx = load_groups(state);
    fx.extend(load_fields(state));
    fx
}

pub fn load_groups(state: &mut State) -> Vec<Effect> {
    if matches!(state.groups, Load::Loading(_)) {
        return Vec::new();
    }
    let req = state.req();
    state.groups = Load::Loading(req);
    vec![Effect::LoadGroups { req }]
}

pub fn load_fields(state: &mut State) -> Vec<Effect> {
    if matches!(state.fields, Load::Loading(_)) {
        return Vec::new();
    }
    let req = state.req();
    state.fields = Load::Loading(req);
    vec![Effect::LoadFields { req }]
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    let height = layout::setup_rows(state);
    let groups = state.groups.ready().cloned().unwrap_or_default();
    let fields = state.fields.ready().cloned().unwrap_or_default();
    let n_fields = fields.len();
    let s = &mut state.setup;
    let (cursor, len) = match s.section {
        SetupSection::Groups => (&mut s.groups, groups.len()),
        SetupSection::Fields => (&mut s.fields, n_fields),
    };
    let delta = match cmd {
        Command::Down => 1,
        Command::Up => -1,
        Command::Top => -(len as isize),
        Command::Bottom => len as isize,
        Command::NextTab | Command::PrevTab => {
            s.section = match s.section {
                SetupSection::Groups => SetupSection::Fields,
                SetupSection::Fields => SetupSection::Groups,
            };
            return Ok(Vec::new());
        }
        Command::New => {
            let form = match s.section {
                SetupSection::Groups => forms::new_group(),
                SetupSection::Fields => forms::new_field(),
            };
            return Ok(work::open_form(state, form));
        }
        Command::Edit if s.section == SetupSection::Groups => {
            return Ok(match groups.get(cursor.selected) {
                Some(g) => work::open_form(state, forms::edit_group(g)),
                None => Vec::new(),
            });
        }
        Command::ToggleGroup if s.section == SetupSection::Groups => {
            return Ok(match groups.get(cursor.selected) {
                Some(g) => work::write(
                    state,
                    WriteOp::SetGroupActive {
                        id: g.id,
                        active: !g.active,
                    },
                ),
                None => Vec::new(),
            });
        }
        Command::Edit if s.section == SetupSection::Fields => {
            let def = fields.get(cursor.selected).cloned();
            return Ok(match def {
                Some(d) => work::open_form(state, forms::edit_field(&d)),
                None => Vec::new(),
            });
        }
        Command::Delete if s.section == SetupSection::Fields => {
            let def = fields.get(cursor.selected).cloned();
            if let Some(d) = def {
                state.confirm = Some(Confirm::new(
                    format!(
                        "Delete custom field {} ({})? Refused while any customer has a value for it.",
                        d.name, d.label
                    ),
                    WriteOp::DeleteField { id: d.id },
                ));
            }
            return Ok(Vec::new());
        }
        // Only groups can be disabled, and only fields deleted here.
        Command::Edit | Command::ToggleGroup | Command::Delete => return Ok(Vec::new()),
        Command::Refresh => return Ok(open(state)),
        Command::Back => {
            state.screen = Screen::List;
            return Ok(Vec::new());
        }
        _ => return Err(Unhandled(cmd)),
    };
    *cursor = cursor.moved(delta, len, height);
    Ok(Vec::new())
}

pub fn groups_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<Group>, String>,
) -> Vec<Effect> {
    if state.groups.waits_for(req) {
        state.groups = match result {
            Ok(g) => Load::Ready(g),
            Err(e) => Load::Failed(e),
        };
    }
    Vec::new()
}

pub fn fields_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<CustomFieldDef>, String>,
) -> Vec<Effect> {
    if state.fields.waits_for(req) {
        state.fields = match result {
            Ok(f) => Load::Ready(f),
            Err(e) => Load::Failed(e),
        };
    }
    Vec::new()
}
