//! Everything the console knows at one moment; `update` changes it, `ui` draws it.

use chrono::{DateTime, Utc};
use patron_search::Hit;

use crate::input::{Context, Keymap};
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::query::{CustomerFilter, SortColumn};

/// A value fetched asynchronously; `Loading` remembers which request it waits for.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Load<T> {
    #[default]
    Idle,
    Loading(u64),
    Ready(T),
    Failed(String),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(t) => Some(t),
            _ => None,
        }
    }
    pub fn waits_for(&self, req: u64) -> bool {
        matches!(self, Load::Loading(r) if *r == req)
    }
    /// The same state with the ready value seen through `f` (a borrow of part of it, so
    /// drawing a part does not copy the whole).
    pub fn map<'a, U>(&'a self, f: impl FnOnce(&'a T) -> U) -> Load<U> {
        match self {
            Load::Idle => Load::Idle,
            Load::Loading(r) => Load::Loading(*r),
            Load::Ready(t) => Load::Ready(f(t)),
            Load::Failed(e) => Load::Failed(e.clone()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    List,
    Customer,
    /// Groups and custom field definitions.
    Setup,
    /// Account review.
    Review,
    /// The global audit log (admins).
    Audit,
    /// Likely duplicate customers, guest orders under a registered email, and merging.
    Duplicates,
    /// Customer value store-wide: segments, churn risk, revenue and the model (`I` from the list).
    Analytics,
    /// Privacy requests (GDPR), open ones first by due date (`P` from the list).
    Privacy,
}

#[derive(Debug, Clone, PartialEq)]
pub enum IndexStatus {
    Loading {
        loaded: usize,
    },
    Ready {
        customers: usize,
        memory_bytes: usize,
        millis: u64,
    },
    Failed(String),
}

/// A scrollable selection over `len` rows; `offset` is the first visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` within `len` rows and keeps the selection inside a window of `height` rows.
    pub fn moved(self, delta: isize, len: usize, height: usize) -> Cursor {
        let max = len.saturating_sub(1);
        let selected = (self.selected as isize + delta).clamp(0, max as isize) as usize;
        Cursor {
            selected,
            offset: self.offset,
        }
        .visible(height)
    }
    pub fn visible(self, height: usize) -> Cursor {
        let h = height.max(1);
        let offset = if self.selected < self.offset {
            self.selected
        } else if self.selected >= self.offset + h {
            self.selected + 1 - h
        } else {
            self.offset
        };
        Cursor {
            selected: self.selected,
            offset,
        }
    }
}

/// The customer list: a window of rows around the selection, paged from the store by keyset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListState {
    pub rows: Vec<Customer>,
    pub cursor: Cursor,
    /// Whether the window reaches the first / last row of the whole list.
    pub at_start: bool,
    pub at_end: bool,
    pub sort: SortColumn,
    pub descending: bool,
    pub filter: CustomerFilter,
    pub total: Load<i64>,
    /// A recount after a live change; the shown total stays until it answers.
    pub recount: Option<u64>,
    pub page: Option<PageRequest>,
    pub error: Option<String>,
    /// Where the window of rows sits in the whole list (for the row position).
    pub window: WindowAt,
    /// The saved view last applied; its name shows while the filter is still its own.
    pub view: Option<crate::app::views::Applied>,
}

/// The window's place in the list: rows before its first row, or after its last row (after `G`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowAt {
    Start(usize),
    End(usize),
}

impl Default for WindowAt {
    fn default() -> Self {
        WindowAt::Start(0)
    }
}

impl ListState {
    /// 1-based position of the selected row in the whole list, when it can be known.
    pub fn position(&self) -> Option<i64> {
        if self.rows.is_empty() {
            return None;
        }
        let sel = self.cursor.selected.min(self.rows.len() - 1) as i64;
        match self.window {
            _ if self.at_start => Some(sel + 1),
            WindowAt::Start(before) => Some(before as i64 + sel + 1),
            WindowAt::End(after) => match self.total {
                Load::Ready(n) => {
                    let below = after as i64 + (self.rows.len() as i64 - 1 - sel);
                    Some((n - below).max(1))
                }
                _ => None,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Replace,
    /// Replace, then select the last row (G).
    ReplaceAtEnd,
    Append,
    Prepend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub req: u64,
    pub kind: PageKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchRow {
    pub hit: Hit,
    pub customer: Customer,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchState {
    /// Keyboard focus is in the search box.
    pub focused: bool,
    pub query: String,
    /// The latest search sent; results of any other request are dropped.
    pub req: u64,
    pub pending: bool,
    /// The query the shown results answer (may lag `query` while a search runs).
    pub shown_query: String,
    /// The list filter the shown results were narrowed by (may lag the list's while one runs).
    pub shown_filter: crate::store::query::CustomerFilter,
    pub rows: Vec<SearchRow>,
    pub total: usize,
    pub used_fuzzy: bool,
    pub micros: u64,
    pub cursor: Cursor,
    pub error: Option<String>,
}

impl SearchState {
    /// Results replace the list whenever there is a query.
    pub fn showing(&self) -> bool {
        !self.query.trim().is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Profile,
    Addresses,
    Orders,
    Library,
    Wishlist,
    Transactions,
    Emails,
    Notes,
    /// Notes, orders, emails and audit entries in one timeline.
    Activity,
    /// Purchase behaviour, model-based value, churn risk, RFM and engagement.
    Insights,
    /// Help-desk tickets, open first, each with its conversation (`T`).
    Support,
}

impl Tab {
    pub const ALL: [Tab; 11] = [
        Tab::Profile,
        Tab::Addresses,
        Tab::Orders,
        Tab::Library,
        Tab::Wishlist,
        Tab::Transactions,
        Tab::Emails,
        Tab::Notes,
        Tab::Activity,
        Tab::Insights,
        Tab::Support,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Tab::Profile => "Profile",
            Tab::Addresses => "Addresses",
            Tab::Orders => "Orders",
            Tab::Library => "Library",
            Tab::Wishlist => "Wishlist",
            Tab::Transactions => "Transactions",
            Tab::Emails => "Emails",
            Tab::Notes => "Notes",
            Tab::Activity => "Activity",
            Tab::Insights => "Insights",
            Tab::Support => "Support",
        }
    }
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
    pub fn shifted(self, by: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[((self.index() as isize + by).rem_euclid(n)) as usize]
    }
}

/// A customer's orders, paged newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrdersTab {
    pub rows: Vec<Order>,
    pub status: Option<OrderStatus>,
    pub req: Option<u64>,
    pub at_end: bool,
    pub loaded_once: bool,
    pub error: Option<String>,
    /// `G` was pressed before the last page: keep loading pages and keep the selection on the
    /// last row until the oldest order arrives; any other move stops it.
    pub to_end: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerView {
    pub id: i64,
    pub customer: Load<(Customer, Vec<Membership>)>,
    pub tab: Tab,
    pub cursors: [Cursor; 11],
    pub addresses: Load<Vec<Address>>,
    pub orders: OrdersTab,
    pub library: Load<Vec<LibraryItem>>,
    pub wishlist: Load<Vec<WishlistItem>>,
    pub transactions: Load<Vec<Transaction>>,
    pub emails: Load<Vec<Email>>,
    pub notes: Load<Vec<Note>>,
    pub activity: Load<Vec<ActivityItem>>,
    pub insights: Load<Box<crate::analytics::insights::Insights>>,
    pub support: Load<Vec<crate::store::tickets::Ticket>>,
    /// The conversation of one ticket (Enter on the Support tab).
    pub ticket: Option<TicketPopup>,
    /// The consent ledger, shown on the profile.
    pub consent: Load<Vec<crate::store::model::ConsentEvent>>,
    pub order: Option<OrderPopup>,
    /// The message open from the Emails tab (Enter): headers and body as loaded with the tab.
    pub message: Option<MessagePopup>,
    pub editor: Option<NoteEditor>,
    /// The group picker (`M`): every group with this customer's membership in it.
    pub members: Option<Cursor>,
    /// The address the cursor stays on when the addresses load again: the list is sorted by
    /// default and kind, so a write (or someone else's) can move the row it was on.
    pub follow_address: Option<i64>,
}

impl CustomerView {
    /// Rows in the current tab, for cursor bounds and the footer.
    pub fn tab_len(&self) -> usize {
        fn n<T>(l: &Load<Vec<T>>) -> usize {
            l.ready().map_or(0, Vec::len)
        }
        match self.tab {
            Tab::Profile => 0,
            Tab::Addresses => n(&self.addresses),
            Tab::Orders => self.orders.rows.len(),
            Tab::Library => n(&self.library),
            Tab::Wishlist => n(&self.wishlist),
            Tab::Transactions => n(&self.transactions),
            Tab::Emails => n(&self.emails),
            Tab::Notes => n(&self.notes),
            Tab::Activity => n(&self.activity),
            Tab::Support => n(&self.support),
            // One page of figures, like the profile.
            Tab::Insights => 0,
        }
    }
}

/// The note being written in the terminal. The text lives here until the store has it.
#[derive(Debug, Clone, Default)]
pub struct NoteEditor {
    pub text: ratatui_textarea::TextArea<'static>,
    /// Editing an existing note: its id and the version it was opened at.
    pub note: Option<(i64, i64)>,
    /// The save request in flight.
    pub saving: Option<u64>,
    pub error: Option<String>,
    /// Esc on a non-empty draft asks first; `y` discards.
    pub confirm_discard: bool,
}

impl NoteEditor {
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }
}

impl PartialEq for NoteEditor {
    fn eq(&self, o: &Self) -> bool {
        self.text.lines() == o.text.lines()
            && (self.note, self.saving, &self.error, self.confirm_discard)
                == (o.note, o.saving, &o.error, o.confirm_discard)
    }
}

/// One ticket's conversation over the Support tab; `scroll` is in drawn lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TicketPopup {
    pub ticket: crate::store::tickets::Ticket,
    pub messages: Load<Vec<crate::store::tickets::TicketMessage>>,
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderPopup {
    pub id: i64,
    pub detail: Load<OrderDetail>,
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MessagePopup {
    pub email: Email,
    pub scroll: usize,
}

/// "Really?" before a write that cannot be taken back (deleting an address or a note).
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub message: String,
    pub op: crate::app::write::WriteOp,
    /// Big deletions are confirmed by typing `expect` (the count) rather than pressing y.
    pub typed: Option<String>,
    pub expect: String,
}

impl Confirm {
    pub fn new(message: impl Into<String>, op: crate::app::write::WriteOp) -> Confirm {
        Confirm {
            message: message.into(),
            op,
            typed: None,
            expect: String::new(),
        }
    }
}

/// The groups and custom fields screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SetupSection {
    #[default]
    Groups,
    Fields,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetupState {
    pub section: SetupSection,
    pub groups: Cursor,
    pub fields: Cursor,
}

/// A problem shown above the footer; `retry_at` says when the failed request is sent again.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub message: String,
    pub retry_at: Option<DateTime<Utc>>,
    pub attempts: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub screen: Screen,
    pub list: ListState,
    pub search: SearchState,
    pub customer: Option<CustomerView>,
    pub help: Option<usize>,
    pub banner: Option<Banner>,
    pub index: IndexStatus,
    pub width: u16,
    pub height: u16,
    pub now: DateTime<Utc>,
    pub next_req: u64,
    pub quit: bool,
    pub page_size: i64,
    pub color: bool,
    pub keymap: Keymap,
    pub database: String,
    /// Store effects sent and not yet answered, so a lost connection can resend them.
    pub inflight: std::collections::BTreeMap<u64, crate::app::effect::Effect>,
    /// Effects to resend at `banner.retry_at`.
    pub retry: Vec<crate::app::effect::Effect>,
    /// Who writes; `None` leaves the console read-only.
    pub staff: Option<Staff>,
    /// The admin really at the keyboard when `staff` is someone they act as (`--as`).
    pub real_staff: Option<Staff>,
    /// How this console is reached, when not from a local terminal ("ssh"); shown in the title.
    pub via: Option<&'static str>,
    /// A one-line message in the footer (cleared by the next key).
    pub notice: Option<String>,
    /// The open form, over whatever screen opened it.
    pub form: Option<crate::app::form::Form>,
    pub confirm: Option<Confirm>,
    /// Writes sent and not answered yet.
    pub writes: std::collections::BTreeMap<u64, crate::app::write::WriteOp>,
    /// Loaded when a screen first needs them, reloaded after a change.
    pub groups: Load<Vec<Group>>,
    pub fields: Load<Vec<CustomFieldDef>>,
    pub setup: SetupState,
    pub review: crate::app::review::ReviewState,
    /// The global audit screen; kept while a customer opened from it is shown, so Back returns to it.
    pub audit: Option<crate::app::audit::AuditState>,
    /// The duplicates screen (`D` from the list).
    pub dups: crate::app::dups::DupsState,
    /// The Analytics screen (`I` from the list).
    pub analytics: Option<crate::app::analytics::AnalyticsState>,
    /// Horizon, discount and win-back days from the config's `[analytics]`.
    pub value: crate::app::analytics::ValueSettings,
    /// Open privacy requests past their due date, shown to those who handle them in the title.
    pub overdue_requests: i64,
    /// The export running from the list's Export dialog (one at a time).
    pub export: Option<crate::app::export::ExportJob>,
    /// The saved views picker over the list (`V`).
    pub views: Option<crate::app::views::Picker>,
    /// The privacy requests screen, the erasure dialog and a running access export.
    pub gdpr: crate::app::privacy::Gdpr,
}

impl State {
    pub fn new(keymap: Keymap, database: String, now: DateTime<Utc>) -> State {
        State {
            screen: Screen::List,
            // Recent buyers first: who an agent is most likely to be asked about.
            list: ListState {
                at_start: true,
                sort: SortColumn::LastOrder,
                descending: true,
                ..Default::default()
            },
            search: SearchState::default(),
            customer: None,
            help: None,
            banner: None,
            index: IndexStatus::Loading { loaded: 0 },
            width: 80,
            height: 24,
            now,
            next_req: 1,
            quit: false,
            page_size: 100,
            color: true,
            keymap,
            database,
            inflight: Default::default(),
            retry: Vec::new(),
            staff: None,
            real_staff: None,
            via: None,
            notice: None,
            form: None,
            confirm: None,
            writes: Default::default(),
            groups: Load::Idle,
            fields: Load::Idle,
            setup: SetupState::default(),
            review: Default::default(),
            audit: None,
            dups: Default::default(),
            analytics: None,
            value: Default::default(),
            export: None,
            overdue_requests: 0,
            views: None,
            gdpr: Default::default(),
        }
    }

    /// Whether the acting staff member may do `what`; the error is the one-line reason shown
    /// in the footer (read-only console, or the role's refusal from the permission table).
    pub fn may(&self, what: Permission) -> Result<i64, String> {
        let Some(staff) = &self.staff else {
            return Err(
                "read-only: you are not a staff member of this database (see patron staff)".into(),
            );
        };
        crate::store::permissions::require(staff, what)
            .map(|()| staff.id)
            .map_err(|e| e.to_string())
    }

    pub fn req(&mut self) -> u64 {
        let r = self.next_req;
        self.next_req += 1;
        r
    }

    /// Why search results may be missing or partial, if they may.
    pub fn index_note(&self) -> Option<String> {
        match &self.index {
            IndexStatus::Loading { loaded } => Some(format!(
                "search index loading ({} customers so far)",
                patron_domain::number::thousands(*loaded as i64)
            )),
            IndexStatus::Failed(e) => Some(format!("search index failed: {e}")),
            IndexStatus::Ready { .. } => None,
        }
    }

    /// Whether a command does anything on the current screen (see `gate`).
    pub fn applies(&self, cmd: crate::input::Command) -> bool {
        crate::app::gate::applies(self, cmd)
    }

    /// Which bindings apply right now.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            return Context::Help;
        }
        self.screen_context()
    }

    /// The context under the help overlay (what help describes).
    pub fn screen_context(&self) -> Context {
        if self.export.is_some() {
            return Context::Export;
        }
        if self.confirm.is_some() {
            return Context::Confirm;
        }
        if self.form.is_some() {
            return Context::Form;
        }
        if self.gdpr.erase.is_some() {
            return Context::Erase;
        }
        match self.screen {
            Screen::Setup => Context::Setup,
            Screen::Review => Context::Review,
            Screen::Audit => Context::Audit,
            Screen::Analytics => Context::Analytics,
            Screen::Privacy => Context::Privacy,
            Screen::Duplicates if self.dups.merge.is_some() => Context::Merge,
            Screen::Duplicates => Context::Duplicates,
            Screen::Customer if self.customer.as_ref().is_some_and(|c| c.members.is_some()) => {
                Context::Members
            }
            Screen::Customer if self.customer.as_ref().is_some_and(|c| c.editor.is_some()) => {
                Context::Editor
            }
            // The order and the message popups scroll and close alike: one context.
            Screen::Customer
                if self
                    .customer
                    .as_ref()
                    .is_some_and(|c| c.order.is_some() || c.message.is_some()) =>
            {
                Context::Order
            }
            Screen::Customer if self.customer.as_ref().is_some_and(|c| c.ticket.is_some()) => {
                Context::Ticket
            }
            Screen::Customer => Context::Customer,
            Screen::List if self.views.is_some() => Context::Views,
            Screen::List if self.search.focused => Context::Search,
            Screen::List => Context::List,
        }
    }
}
