//! The Analytics screen (`I` from the list): loads the kept model and segment counts, moves
//! over the segments, opens the list filtered to one (Enter), and refits on request (`r`).

use crate::app::analytics::{AnalyticsData, AnalyticsState};
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::state::{Load, Screen, State};
use crate::input::Command;
use crate::store::model::SegmentKey;

pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Analytics;
    let keep = state.analytics.take().unwrap_or_default();
    state.analytics = Some(AnalyticsState {
        cursor: keep.cursor,
        refreshing: keep.refreshing,
        ..Default::default()
    });
    load(state)
}

fn load(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let Some(a) = state.analytics.as_mut() else {
        return Vec::new();
    };
    a.data = Load::Loading(req);
    vec![
        Effect::LoadAnalytics { req },
        Effect::SetTitle("patron — analytics".into()),
    ]
}

pub fn loaded(state: &mut State, req: u64, result: Result<AnalyticsData, String>) -> Vec<Effect> {
    let Some(a) = state.analytics.as_mut() else {
        return Vec::new();
    };
    if !a.data.waits_for(req) {
        return Vec::new();
    }
    a.data = match result {
        Ok(d) => Load::Ready(d),
        Err(e) => Load::Failed(e),
    };
    Vec::new()
}

pub fn refreshed(state: &mut State, req: u64, result: Result<String, String>) -> Vec<Effect> {
    let Some(a) = state.analytics.as_mut() else {
        return Vec::new();
    };
    if a.refreshing != Some(req) {
        return Vec::new();
    }
    a.refreshing = None;
    let ok = result.is_ok();
    a.message = Some(match result {
        Ok(m) => m,
        Err(e) => format!("not refitted: {e}"),
    });
    if !ok {
        return Vec::new();
    }
    // New scores: the screen and the list (which may filter or sort by them) read again.
    let mut fx = load(state);
    if !state.list.rows.is_empty() || state.list.filter.uses_scores() {
        fx.extend(super::list::reload(state));
    }
    fx
}

/// The segment under the cursor.
pub fn selected(state: &State) -> Option<SegmentKey> {
    let a = state.analytics.as_ref()?;
    let rows = a.data.ready()?.segment_rows();
    rows.get(a.cursor.selected).map(|r| r.0)
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    if cmd == Command::RefreshScores {
        return Ok(refit(state));
    }
    let Some(a) = state.analytics.as_mut() else {
        state.screen = Screen::List;
        return Ok(Vec::new());
    };
    let len = SegmentKey::ALL.len();
    let delta: isize = match cmd {
        Command::Down => 1,
        Command::Up => -1,
        Command::Top => -(len as isize),
        Command::Bottom => len as isize,
        Command::Open => {
            let Some(seg) = selected(state) else {
                return Ok(Vec::new());
            };
            state.screen = Screen::List;
            state.list.filter.segment = Some(seg);
            // The whole segment: a search left from before would narrow it, often to nothing.
            let mut fx = super::search::clear(state);
            fx.extend(super::list::refilter(state));
            fx.push(Effect::SetTitle("patron".into()));
            return Ok(fx);
        }
        Command::Refresh => return Ok(load(state)),
        Command::Back => {
            state.screen = Screen::List;
            return Ok(vec![Effect::SetTitle("patron".into())]);
        }
        _ => return Err(Unhandled(cmd)),
    };
    let next = (a.cursor.selected as isize + delta).clamp(0, len as isize - 1);
    a.cursor.selected = next as usize;
    Ok(Vec::new())
}

fn refit(state: &mut State) -> Vec<Effect> {
    if let Some(why) = gate::refusal(state, Command::RefreshScores) {
        state.notice = Some(why);
        return Vec::new();
    }
    let Some(staff) = state.staff.as_ref().map(|s| s.id) else {
        return Vec::new();
    };
    let req = state.req();
    let settings = state.value;
    let Some(a) = state.analytics.as_mut() else {
        return Vec::new();
    };
    if a.refreshing.is_some() {
        state.notice = Some("a refit is already running".into());
        return Vec::new();
    }
    a.refreshing = Some(req);
    a.message = None;
    vec![Effect::RefreshScores {
        req,
        staff,
        settings,
    }]
}
