//! The Support tab's conversation popup: Enter opens the selected ticket's messages, j/k and
//! the page keys scroll them, Esc (or q, Enter) returns to the tab.

use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::geometry as layout;
use crate::app::state::{Load, State, Tab, TicketPopup};
use crate::input::Command;
use crate::store::tickets::TicketMessage;

/// Enter on the Support tab: the selected ticket's conversation.
pub fn open(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    let at = v.cursors[Tab::Support.index()].selected;
    let Some(ticket) = v.support.ready().and_then(|t| t.get(at)).cloned() else {
        return Vec::new();
    };
    let id = ticket.id;
    v.ticket = Some(TicketPopup {
        ticket,
        messages: Load::Loading(req),
        scroll: 0,
    });
    vec![Effect::LoadTicket { req, id }]
}

/// Lines the conversation has before wrapping: how far scrolling may go (the drawing clamps
/// again to what is on screen, so the last page never scrolls off).
fn lines(messages: &[TicketMessage]) -> usize {
    messages.iter().map(|m| m.body.lines().count() + 2).sum()
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let page = layout::tab_rows(state).max(1);
    let Some(popup) = state.customer.as_mut().and_then(|v| v.ticket.as_mut()) else {
        return Ok(Vec::new());
    };
    let max = popup.messages.ready().map_or(0, |m| lines(m));
    let s = &mut popup.scroll;
    match cmd {
        Command::Back => {
            if let Some(v) = state.customer.as_mut() {
                v.ticket = None;
            }
        }
        Command::Down => *s = (*s + 1).min(max),
        Command::Up => *s = s.saturating_sub(1),
        Command::PageDown => *s = (*s + page).min(max),
        Command::PageUp => *s = s.saturating_sub(page),
        Command::Top => *s = 0,
        Command::Bottom => *s = max,
        _ => return Err(Unhandled(cmd)),
    }
    Ok(Vec::new())
}

pub fn loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<TicketMessage>, String>,
) -> Vec<Effect> {
    if let Some(p) = state
        .customer
        .as_mut()
        .and_then(|v| v.ticket.as_mut())
        .filter(|p| p.messages.waits_for(req))
    {
        p.messages = match result {
            Ok(m) => Load::Ready(m),
            Err(e) => Load::Failed(e),
        };
    }
    Vec::new()
}
