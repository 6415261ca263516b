//! The customer view: loading the header and each tab lazily, scrolling, paging orders, order details.

use super::motion;
use crate::app::action::TabData;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::geometry as layout;
use crate::app::state::{
    CustomerView, Load, MessagePopup, OrderPopup, OrdersTab, Screen, State, Tab,
};
use crate::input::Command;
use crate::store::model::{ActivityKind, Customer, Membership, Order, OrderDetail, OrderStatus};
use crate::store::query::OrderQuery;

pub fn open(state: &mut State, id: i64) -> Vec<Effect> {
    let req = state.req();
    state.screen = Screen::Customer;
    // Set again by the duplicates screen when it is the one opening.
    state.dups.opened = false;
    state.customer = Some(CustomerView {
        id,
        customer: Load::Loading(req),
        ..Default::default()
    });
    let mut fx = vec![Effect::LoadCustomer { req, id }];
    fx.extend(load_tab(state, Tab::Profile));
    // The profile shows custom fields by their labels; the definitions rarely change.
    if state.fields == Load::Idle {
        fx.extend(super::setup::load_fields(state));
    }
    fx
}

fn load_tab(state: &mut State, tab: Tab) -> Vec<Effect> {
    let req = state.req();
    let consent_req = state.req();
    let page = state.page_size;
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    let id = v.id;
    /// Marks a slot as loading unless it already has (or awaits) its data.
    fn start<T>(slot: &mut Load<T>, req: u64) -> bool {
        if matches!(slot, Load::Ready(_) | Load::Loading(_)) {
            return false;
        }
        *slot = Load::Loading(req);
        true
    }
    let started = match tab {
        // The profile shows addresses too, so it loads them.
        Tab::Profile | Tab::Addresses => start(&mut v.addresses, req),
        Tab::Library => start(&mut v.library, req),
        Tab::Wishlist => start(&mut v.wishlist, req),
        Tab::Transactions => start(&mut v.transactions, req),
        Tab::Emails => start(&mut v.emails, req),
        Tab::Notes => start(&mut v.notes, req),
        Tab::Activity => start(&mut v.activity, req),
        Tab::Insights => start(&mut v.insights, req),
        Tab::Support => start(&mut v.support, req),
        Tab::Orders => {
            if v.orders.loaded_once || v.orders.req.is_some() {
                return Vec::new();
            }
            v.orders.req = Some(req);
            let query = OrderQuery {
                status: v.orders.status,
                before: None,
                limit: page,
            };
            return vec![Effect::LoadOrders { req, id, query }];
        }
    };
    let mut fx = Vec::new();
    // The profile shows the consent ledger too; its own request, so either can fail alone.
    if tab == Tab::Profile && !matches!(v.consent, Load::Ready(_) | Load::Loading(_)) {
        v.consent = Load::Loading(consent_req);
        fx.push(Effect::LoadConsent {
            req: consent_req,
            id,
        });
    }
    let tab = if tab == Tab::Profile {
        Tab::Addresses
    } else {
        tab
    };
    if started {
        fx.insert(0, Effect::LoadTab { req, id, tab });
    }
    fx
}

fn switch(state: &mut State, tab: Tab) -> Vec<Effect> {
    if let Some(v) = state.customer.as_mut() {
        v.tab = tab;
    }
    load_tab(state, tab)
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let height = layout::tab_rows(state);
    let Some(v) = state.customer.as_mut() else {
        return Ok(Vec::new());
    };
    if let Some(popup) = v.order.as_mut() {
        match cmd {
            Command::Back => v.order = None,
            Command::Down => popup.scroll += 1,
            Command::Up => popup.scroll = popup.scroll.saturating_sub(1),
            _ => return Err(Unhandled(cmd)),
        }
        return Ok(Vec::new());
    }
    if let Some(popup) = v.message.as_mut() {
        match cmd {
            Command::Back => v.message = None,
            Command::Down => popup.scroll += 1,
            Command::Up => popup.scroll = popup.scroll.saturating_sub(1),
            _ => return Err(Unhandled(cmd)),
        }
        return Ok(Vec::new());
    }
    let len = v.tab_len();
    let current = v.tab;
    let i = current.index();
    let delta = match motion(cmd, height, len) {
        Some(d) => d,
        None => match cmd {
            Command::NextTab => return Ok(switch(state, current.shifted(1))),
            Command::PrevTab => return Ok(switch(state, current.shifted(-1))),
            Command::Tab1 => return Ok(switch(state, Tab::Profile)),
            Command::Tab2 => return Ok(switch(state, Tab::Addresses)),
            Command::Tab3 => return Ok(switch(state, Tab::Orders)),
            Command::Tab4 => return Ok(switch(state, Tab::Library)),
            Command::Tab5 => return Ok(switch(state, Tab::Wishlist)),
            Command::Tab6 => return Ok(switch(state, Tab::Transactions)),
            Command::Tab7 => return Ok(switch(state, Tab::Emails)),
            Command::Tab8 => return Ok(switch(state, Tab::Notes)),
            Command::Tab9 => return Ok(switch(state, Tab::Activity)),
            Command::Tab10 => return Ok(switch(state, Tab::Insights)),
            Command::Open if v.tab == Tab::Emails => {
                let at = v.cursors[i].selected;
                if let Some(email) = v.emails.ready().and_then(|e| e.get(at)).cloned() {
                    v.message = Some(MessagePopup { email, scroll: 0 });
                }
                return Ok(Vec::new());
            }
            Command::Tab11 => return Ok(switch(state, Tab::Support)),
            Command::Open if v.tab == Tab::Support => return Ok(super::support::open(state)),
            Command::Open if matches!(v.tab, Tab::Orders | Tab::Activity) => {
                let Some(id) = selected_order(v) else {
                    return Ok(Vec::new());
                };
                let req = state.req();
                if let Some(v) = state.customer.as_mut() {
                    v.order = Some(OrderPopup {
                        id,
                        detail: Load::Loading(req),
                        scroll: 0,
                    });
                }
                return Ok(vec![Effect::LoadOrder { req, id }]);
            }
            Command::FilterOrders if v.tab == Tab::Orders => {
                let all = OrderStatus::ALL;
                let next = match v.orders.status {
                    None => all.first().copied(),
                    Some(s) => all
                        .iter()
                        .position(|x| *x == s)
                        .and_then(|k| all.get(k + 1))
                        .copied(),
                };
                v.orders = OrdersTab {
                    status: next,
                    ..Default::default()
                };
                v.cursors[i] = Default::default();
                return Ok(load_tab(state, Tab::Orders));
            }
            // Enter off the Orders and Activity tabs, `f` off Orders: nothing to open or filter.
            Command::Open | Command::FilterOrders => return Ok(Vec::new()),
            Command::Refresh => return Ok(reload(state)),
            Command::Back => {
                // A customer opened from the duplicates, the audit log or the privacy requests goes back there.
                state.screen = if std::mem::take(&mut state.dups.opened) {
                    Screen::Duplicates
                } else if state.audit.is_some() {
                    Screen::Audit
                } else if state.gdpr.screen.is_some() {
                    Screen::Privacy
                } else {
                    Screen::List
                };
                state.customer = None;
                return Ok(vec![Effect::SetTitle("patron".into())]);
            }
            _ => return Err(Unhandled(cmd)),
        },
    };
    if current == Tab::Orders {
        // `G` before the last page follows the end as pages arrive (see `orders_loaded`).
        let o = &mut v.orders;
        o.to_end = cmd == Command::Bottom && !o.at_end && o.error.is_none();
    }
    v.cursors[i] = v.cursors[i].moved(delta, len, height);
    Ok(more_orders(state))
}

/// The order under the selection: a row of the Orders tab, or an order line of the Activity tab.
pub fn selected_order(v: &CustomerView) -> Option<i64> {
    let at = v.cursors[v.tab.index()].selected;
    match v.tab {
        Tab::Orders => v.orders.rows.get(at).map(|o| o.id),
        Tab::Activity => v
            .activity
            .ready()?
            .get(at)
            .filter(|a| a.kind == ActivityKind::Order)
            .and_then(|a| a.ref_id),
        _ => None,
    }
}

/// Loads the next page of orders when the selection nears the end of what is loaded.
fn more_orders(state: &mut State) -> Vec<Effect> {
    let height = layout::tab_rows(state);
    let page = state.page_size;
    let req = state.next_req;
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    let o = &mut v.orders;
    let near_end = v.cursors[Tab::Orders.index()].selected + height >= o.rows.len();
    if v.tab != Tab::Orders || o.at_end || o.req.is_some() || !o.loaded_once || !near_end {
        return Vec::new();
    }
    let Some(last) = o.rows.last() else {
        return Vec::new();
    };
    let query = OrderQuery {
        status: o.status,
        before: Some((last.placed_at, last.id)),
        limit: page,
    };
    o.req = Some(req);
    let id = v.id;
    state.next_req += 1;
    vec![Effect::LoadOrders { req, id, query }]
}

pub fn loaded(
    state: &mut State,
    req: u64,
    result: Result<(Customer, Vec<Membership>), String>,
) -> Vec<Effect> {
    let Some(v) = state
        .customer
        .as_mut()
        .filter(|v| v.customer.waits_for(req))
    else {
        return Vec::new();
    };
    match result {
        Ok(c) => {
            // The terminal and tmux keep the title after we exit (and show it in window lists),
            // so it names the customer by id only: no name, no email.
            let title = format!("patron — customer #{}", c.0.id);
            v.customer = Load::Ready(c);
            vec![Effect::SetTitle(title)]
        }
        Err(e) => {
            v.customer = Load::Failed(e);
            Vec::new()
        }
    }
}

pub fn tab_loaded(state: &mut State, req: u64, result: Result<TabData, String>) -> Vec<Effect> {
    let height = crate::app::geometry::tab_rows(state);
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    fn put<T>(slot: &mut Load<T>, req: u64, value: Result<T, String>) {
        if slot.waits_for(req) {
            *slot = match value {
                Ok(x) => Load::Ready(x),
                Err(e) => Load::Failed(e),
            };
        }
    }
    match result {
        Ok(TabData::Addresses(x)) => {
            put(&mut v.addresses, req, Ok(x));
            super::work::follow_address(v, height);
        }
        Ok(TabData::Library(x)) => put(&mut v.library, req, Ok(x)),
        Ok(TabData::Wishlist(x)) => put(&mut v.wishlist, req, Ok(x)),
        Ok(TabData::Transactions(x)) => put(&mut v.transactions, req, Ok(x)),
        Ok(TabData::Emails(x)) => put(&mut v.emails, req, Ok(x)),
        Ok(TabData::Notes(x)) => put(&mut v.notes, req, Ok(x)),
        Ok(TabData::Activity(x)) => put(&mut v.activity, req, Ok(x)),
        Ok(TabData::Insights(x)) => put(&mut v.insights, req, Ok(x)),
        Ok(TabData::Consent(x)) => put(&mut v.consent, req, Ok(x)),
        Ok(TabData::Support(x)) => put(&mut v.support, req, Ok(x)),
        // Which tab failed is whichever waits for this request.
        Err(e) => {
            put(&mut v.addresses, req, Err(e.clone()));
            put(&mut v.library, req, Err(e.clone()));
            put(&mut v.wishlist, req, Err(e.clone()));
            put(&mut v.transactions, req, Err(e.clone()));
            put(&mut v.emails, req, Err(e.clone()));
            put(&mut v.notes, req, Err(e.clone()));
            put(&mut v.insights, req, Err(e.clone()));
            put(&mut v.consent, req, Err(e.clone()));
            put(&mut v.support, req, Err(e.clone()));
            put(&mut v.activity, req, Err(e));
        }
    }
    Vec::new()
}

pub fn orders_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<Order>, String>,
) -> Vec<Effect> {
    let page = state.page_size;
    let height = layout::tab_rows(state);
    let Some(v) = state
        .customer
        .as_mut()
        .filter(|v| v.orders.req == Some(req))
    else {
        return Vec::new();
    };
    v.orders.req = None;
    match result {
        Ok(rows) => {
            v.orders.at_end = (rows.len() as i64) < page;
            v.orders.rows.extend(rows);
            v.orders.loaded_once = true;
            v.orders.error = None;
        }
        Err(e) => {
            v.orders.error = Some(e);
            v.orders.to_end = false;
        }
    }
    if v.orders.to_end {
        let i = Tab::Orders.index();
        let len = v.orders.rows.len();
        v.cursors[i] = v.cursors[i].moved(len as isize, len, height);
        v.orders.to_end = !v.orders.at_end;
    }
    more_orders(state)
}

pub fn order_loaded(
    state: &mut State,
    req: u64,
    result: Result<OrderDetail, String>,
) -> Vec<Effect> {
    if let Some(p) = state
        .customer
        .as_mut()
        .and_then(|v| v.order.as_mut())
        .filter(|p| p.detail.waits_for(req))
    {
        p.detail = match result {
            Ok(d) => Load::Ready(d),
            Err(e) => Load::Failed(e),
        };
    }
    Vec::new()
}

pub fn keep_visible(state: &mut State) {
    let h = layout::tab_rows(state);
    if let Some(v) = state.customer.as_mut() {
        for c in v.cursors.iter_mut() {
            *c = c.visible(h);
        }
    }
}

pub fn click(state: &mut State, x: u16, y: u16) -> Vec<Effect> {
    if y == layout::tab_bar_y(state) {
        if let Some(tab) = layout::tab_at(state.width, x) {
            return switch(state, tab);
        }
    }
    Vec::new()
}

/// Loads the open customer and its current tab again, keeping the tab and the selection;
/// other tabs reload when next visited.
pub fn reload(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    let (id, tab) = (v.id, v.tab);
    v.customer = Load::Loading(req);
    let selected = v.cursors[Tab::Addresses.index()].selected;
    let on = v
        .addresses
        .ready()
        .and_then(|a| a.get(selected))
        .map(|a| a.id);
    v.follow_address = v.follow_address.or(on);
    v.addresses = Load::Idle;
    v.library = Load::Idle;
    v.wishlist = Load::Idle;
    v.transactions = Load::Idle;
    v.emails = Load::Idle;
    v.notes = Load::Idle;
    v.activity = Load::Idle;
    v.insights = Load::Idle;
    v.support = Load::Idle;
    v.consent = Load::Idle;
    let status = v.orders.status;
    v.orders = OrdersTab {
        status,
        ..Default::default()
    };
    let mut fx = vec![Effect::LoadCustomer { req, id }];
    fx.extend(load_tab(state, tab));
    if tab != Tab::Profile {
        fx.extend(load_tab(state, Tab::Profile));
    }
    fx
}

/// Loads one tab again (after a write to it).
pub fn reload_tab(state: &mut State, tab: Tab) -> Vec<Effect> {
    load_tab(state, tab)
}
