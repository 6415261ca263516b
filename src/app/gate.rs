//! Which commands make sense where, and which need a permission the acting staff member may lack,
//! as the command registry (`app::commands`) declares them per context. The footer offers only
//! what applies and is allowed; help marks the rest; pressing a refused key says why. The store
//! enforces the same permissions again on every write.

use super::commands;
use super::state::State;
use crate::input::{Command, Context};
use crate::store::permissions::Permission;

/// The permission `cmd` needs right now in `ctx`, if any.
pub fn permission_in(state: &State, ctx: Context, cmd: Command) -> Option<Permission> {
    commands::binding(ctx, cmd).and_then(|b| (b.permission)(state))
}

/// The permission a command of the current screen needs right now (help describes that screen too).
pub fn permission(state: &State, cmd: Command) -> Option<Permission> {
    permission_in(state, state.screen_context(), cmd)
}

/// Why the acting staff member may not run `cmd` here, if they may not.
pub fn refusal(state: &State, cmd: Command) -> Option<String> {
    permission(state, cmd).and_then(|p| state.may(p).err())
}

/// Whether `cmd` does anything in `ctx` right now: the registry binds it there and its
/// predicate holds.
pub fn applies_in(state: &State, ctx: Context, cmd: Command) -> bool {
    commands::binding(ctx, cmd).is_some_and(|b| (b.applies)(state))
}

/// Whether a command does anything where the keyboard is now (the footer offers only those).
pub fn applies(state: &State, cmd: Command) -> bool {
    applies_in(state, state.context(), cmd)
}

/// Offered in the footer: applies here and is allowed for this staff member.
pub fn offered(state: &State, cmd: Command) -> bool {
    applies(state, cmd) && refusal(state, cmd).is_none()
}
