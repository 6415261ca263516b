//! The command registry: every command declared once (name, doc line, footer place) and, per
//! context, the keys that run it, where it applies, the permission it needs and its handler.
//! The keymap, `?` help, the footer, `gate`, mouse routing and the config documentation are all
//! read from here; a context's file in this folder is the only place its commands are listed.

mod analytics;
mod audit;
mod customer;
mod dups;
mod export;
mod global;
mod list;
mod privacy;
mod review;
mod setup;
#[cfg(test)]
mod tests;
mod text;
mod views;

use crate::app::effect::Effect;
use crate::app::state::State;
use crate::input::{Context, Key};
use crate::store::permissions::Permission;

/// Declares `Command`: `/// doc` `Variant => "config_name"`, then `@ n` for its place in the footer.
macro_rules! commands {
    ($($(#[doc = $doc:literal])+ $variant:ident => $name:literal $(@ $rank:literal)?,)+) => {
        /// Everything a key can do. The doc line of each is what help and the footer show.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command { $($variant),+ }
        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant),+];
            pub fn name(self) -> &'static str { match self { $(Command::$variant => $name),+ } }
            pub fn description(self) -> &'static str {
                match self { $(Command::$variant => concat!($($doc),+).trim_ascii()),+ }
            }
            pub fn parse(s: &str) -> Option<Command> {
                match s { $($name => Some(Command::$variant),)+ _ => None }
            }
            /// Where the footer puts it (lower first); `None`: only `?` lists it.
            pub fn footer(self) -> Option<u8> {
                match self { $(Command::$variant => { let r: Option<u8> = None $(.or(Some($rank)))?; r })+ }
            }
        }
    };
}

commands! {
    /// quit patron
    Quit => "quit" @ 41,
    /// show the keys of this screen
    Help => "help" @ 40,
    /// go back / close
    Back => "back" @ 30,
    /// move down
    Down => "down",
    /// move up
    Up => "up",
    /// page down
    PageDown => "page_down",
    /// page up
    PageUp => "page_up",
    /// go to the top
    Top => "top",
    /// go to the bottom
    Bottom => "bottom",
    /// open the selected row
    Open => "open" @ 9,
    /// search customers
    Search => "search" @ 25,
    /// clear the search
    ClearSearch => "clear_search" @ 39,
    /// sort by the next column
    SortNext => "sort_next" @ 37,
    /// reverse the sort
    SortReverse => "sort_reverse" @ 44,
    /// filter: all / with account / guests
    FilterAccount => "filter_account" @ 38,
    /// filter by status
    FilterStatus => "filter_status" @ 45,
    /// reload from the database
    Refresh => "refresh",
    /// next tab
    NextTab => "next_tab" @ 32,
    /// previous tab
    PrevTab => "prev_tab",
    /// Profile tab
    Tab1 => "tab_profile",
    /// Addresses tab
    Tab2 => "tab_addresses",
    /// Orders tab
    Tab3 => "tab_orders",
    /// Library tab
    Tab4 => "tab_library",
    /// Wishlist tab
    Tab5 => "tab_wishlist",
    /// Transactions tab
    Tab6 => "tab_transactions",
    /// Emails tab
    Tab7 => "tab_emails",
    /// Notes tab
    Tab8 => "tab_notes",
    /// Activity tab: notes, orders, emails and changes in one timeline
    Tab9 => "tab_activity",
    /// Insights tab: behaviour, predicted value, churn risk, RFM, engagement
    Tab10 => "tab_insights",
    /// Support tab: help-desk tickets, open first, with their conversations
    Tab11 => "tab_support",
    /// filter orders by status
    FilterOrders => "filter_orders" @ 33,
    /// add one (note, address, group, field)
    New => "new" @ 10,
    /// save the note
    SaveNote => "save_note" @ 0,
    /// new customer
    NewCustomer => "new_customer" @ 24,
    /// groups and custom fields
    OpenSetup => "open_setup" @ 26,
    /// edit (profile or selected row)
    Edit => "edit" @ 11,
    /// delete the selected row
    Delete => "delete" @ 20,
    /// pin or unpin the note
    Pin => "pin" @ 13,
    /// default billing address
    DefaultBilling => "default_billing" @ 14,
    /// default shipping address
    DefaultShipping => "default_shipping" @ 15,
    /// verified / failed / unverified
    Verify => "verify" @ 16,
    /// activate or deactivate the account
    ChangeStatus => "change_status" @ 42,
    /// group memberships
    Memberships => "memberships" @ 43,
    /// next field
    NextField => "next_field" @ 31,
    /// previous field
    PrevField => "prev_field",
    /// save
    Save => "save" @ 1,
    /// yes, do it
    Confirm => "confirm" @ 2,
    /// change the membership
    CycleMembership => "cycle_membership" @ 8,
    /// enable or disable the group
    ToggleGroup => "toggle_group" @ 17,
    /// account review
    OpenReview => "open_review" @ 27,
    /// select / unselect the account
    ToggleSelect => "toggle_select" @ 18,
    /// select all in view (again: none)
    SelectAll => "select_all" @ 19,
    /// deactivate the selected accounts
    Deactivate => "deactivate" @ 21,
    /// block the IP(s)
    BlockIp => "block_ip" @ 22,
    /// unblock the IP
    UnblockIp => "unblock_ip" @ 23,
    /// audit log
    OpenAudit => "open_audit" @ 29,
    /// filter by staff
    FilterStaff => "filter_staff" @ 34,
    /// filter by action
    FilterAction => "filter_action" @ 35,
    /// filter by date
    FilterDate => "filter_date" @ 36,
    /// duplicates
    OpenDuplicates => "open_duplicates" @ 28,
    /// merge the pair (preview first)
    Merge => "merge" @ 6,
    /// link guest orders to the account
    LinkGuests => "link_guests" @ 7,
    /// open the pair's second customer
    OpenSecond => "open_second" @ 10,
    /// swap which account survives
    SwapAccounts => "swap_accounts" @ 5,
    /// keep the other account's value
    ToggleSide => "toggle_side" @ 4,
    /// merge now (asks first)
    RunMerge => "run_merge" @ 3,
    /// rebuild the library from orders
    RebuildLibrary => "rebuild_library" @ 46,
    /// customer value
    OpenAnalytics => "open_analytics" @ 36,
    /// filter by RFM segment
    FilterSegment => "filter_segment" @ 47,
    /// filter by churn risk
    FilterChurn => "filter_churn" @ 48,
    /// win-back: no order for N+ days (again: off)
    FilterWinback => "filter_winback" @ 46,
    /// refit the model and rescore every customer
    RefreshScores => "refresh_scores" @ 12,
    /// export the list shown (CSV, Excel, JSON, HTML)
    Export => "export" @ 50,
    /// more filters: group, dates, SKU, orders, spent
    FilterMore => "filter_more" @ 45,
    /// saved views of the list
    OpenViews => "open_views" @ 49,
    /// save the list's filter and sort as a view
    SaveView => "save_view" @ 10,
    /// privacy requests (GDPR)
    OpenPrivacy => "open_privacy" @ 51,
    /// move the request on (status and note)
    PrivacyStatus => "privacy_status" @ 12,
    /// extend the deadline once (two months)
    ExtendDeadline => "extend_deadline" @ 13,
    /// log a privacy request from this customer
    LogPrivacyRequest => "log_privacy_request" @ 52,
    /// access export: everything held about them (JSON and HTML)
    PrivacyExport => "privacy_export" @ 53,
    /// erase their personal data (asks for a typed phrase)
    EraseCustomer => "erase_customer" @ 54,
}

/// What a handler answers: its effects, or that it has no arm for the command (a registry bug,
/// which the registry's tests find and the console reports instead of swallowing).
pub type Outcome = Result<Vec<Effect>, Unhandled>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unhandled(pub Command);

/// The reducer function that runs a command in one context.
pub type Handler = fn(&mut State, Command) -> Outcome;

/// One command in one context.
#[derive(Clone, Copy)]
pub struct Binding {
    pub command: Command,
    /// Default keys (config syntax). Empty: reached by the global keys, handled here.
    pub keys: &'static [&'static str],
    /// Whether it does anything right now; the footer offers only what applies.
    pub applies: fn(&State) -> bool,
    /// The permission it needs right now, if any.
    pub permission: fn(&State) -> Option<Permission>,
    /// What it does right now, where that depends on the state (`e` on a tab); `None`: the
    /// command's doc line.
    pub doc: Option<fn(&State) -> &'static str>,
    pub run: Handler,
}

fn always(_: &State) -> bool {
    true
}

fn free(_: &State) -> Option<Permission> {
    None
}

/// A binding that always applies and needs no permission; see `when` and `needs`.
pub const fn bind(command: Command, keys: &'static [&'static str], run: Handler) -> Binding {
    Binding {
        command,
        keys,
        applies: always,
        permission: free,
        doc: None,
        run,
    }
}

impl Binding {
    pub const fn when(mut self, applies: fn(&State) -> bool) -> Binding {
        self.applies = applies;
        self
    }
    pub const fn needs(mut self, permission: fn(&State) -> Option<Permission>) -> Binding {
        self.permission = permission;
        self
    }
    /// Says what the command does right now, in place of its doc line (help and footer).
    pub const fn doc(mut self, doc: fn(&State) -> &'static str) -> Binding {
        self.doc = Some(doc);
        self
    }
}

/// A key reader that may take a key before (or instead of) the keymap.
pub type KeyReader = fn(&mut State, Key) -> Option<Vec<Effect>>;

/// A click at (column, row).
pub type Click = fn(&mut State, u16, u16) -> Vec<Effect>;

/// Everything about one context.
pub struct Spec {
    pub context: Context,
    /// What the context is, for the config documentation.
    pub about: &'static str,
    /// Whether the global commands (quit, help) work here; text contexts declare their own.
    pub globals: bool,
    /// Reads every key first (text boxes, "discard?" prompts, typed counts); `Some` when it took it.
    pub first: Option<KeyReader>,
    /// Takes a key that runs no command here (typing, or cancelling a confirmation).
    pub other: Option<fn(&mut State, Key) -> Vec<Effect>>,
    /// The mouse wheel runs this context's `up` / `down`; `false`: the wheel does nothing here.
    pub wheel: bool,
    /// A click at (column, row); `None`: clicks do nothing here.
    pub click: Option<Click>,
    pub bindings: &'static [Binding],
}

/// The movement keys the list-like contexts share, declared once so they cannot drift apart.
pub const DOWN_KEYS: &[&str] = &["j", "down"];
pub const UP_KEYS: &[&str] = &["k", "up"];
pub const TOP_KEYS: &[&str] = &["g", "home"];
pub const BOTTOM_KEYS: &[&str] = &["G", "end"];
pub const PAGE_UP_KEYS: &[&str] = &["pgup", "ctrl-b"];
/// Space pages down where it is not taken (selection, typing).
pub const PAGE_DOWN_KEYS: &[&str] = &["pgdn", "ctrl-f", "space"];
pub const PAGE_DOWN_NO_SPACE: &[&str] = &["pgdn", "ctrl-f"];

/// Every context, in the order help and the config documentation list them.
pub const SPECS: &[&Spec] = &[
    &global::GLOBAL,
    &list::LIST,
    &list::SEARCH,
    &customer::CUSTOMER,
    &customer::ORDER,
    &customer::TICKET,
    &text::EDITOR,
    &global::HELP,
    &text::FORM,
    &text::CONFIRM,
    &setup::SETUP,
    &customer::MEMBERS,
    &review::REVIEW,
    &audit::AUDIT,
    &dups::DUPLICATES,
    &dups::MERGE,
    &analytics::ANALYTICS,
    &export::EXPORT,
    &views::VIEWS,
    &privacy::PRIVACY,
    &privacy::ERASE,
];

pub fn spec(ctx: Context) -> &'static Spec {
    SPECS
        .iter()
        .copied()
        .find(|s| s.context == ctx)
        .unwrap_or(&global::GLOBAL)
}

/// What `cmd` means in `ctx`: the context's own binding, else the global one where globals work.
pub fn binding(ctx: Context, cmd: Command) -> Option<&'static Binding> {
    let s = spec(ctx);
    let own = s.bindings.iter().find(|b| b.command == cmd);
    own.or_else(|| {
        (s.globals && ctx != Context::Global)
            .then(|| global::GLOBAL.bindings.iter().find(|b| b.command == cmd))
            .flatten()
    })
}

/// What `cmd` does in `ctx` right now: the binding's own line, else the command's doc line.
pub fn describe(state: &State, ctx: Context, cmd: Command) -> &'static str {
    binding(ctx, cmd)
        .and_then(|b| b.doc)
        .map_or(cmd.description(), |doc| doc(state))
}

/// What a key bound to a command that does nothing right now says instead of silence.
pub fn idle(state: &State, key: Key) -> String {
    let place = match (state.context(), state.customer.as_ref()) {
        (Context::Customer, Some(v)) => format!("on the {} tab", v.tab.title()),
        _ => "here".to_string(),
    };
    format!("{} does nothing {place}", key.label())
}

/// The default keymap: every (context, key, command) the registry declares.
pub fn default_keys() -> impl Iterator<Item = (Context, &'static str, Command)> {
    SPECS.iter().flat_map(|s| {
        s.bindings
            .iter()
            .flat_map(move |b| b.keys.iter().map(move |k| (s.context, *k, b.command)))
    })
}

/// The first and last line of the generated part of `config.example.toml`.
pub const DOC_BEGIN: &str = "# ---- keys: generated from the command registry (src/app/commands); do not edit by hand ----\n";
pub const DOC_END: &str = "# ---- end of the generated keys ----\n";

/// The key documentation of `config.example.toml`, rendered from the registry: every context and
/// its default bindings. A test keeps the checked-in file equal to it.
pub fn config_doc() -> String {
    let mut out = String::from(DOC_BEGIN);
    out.push_str(
        "# Keys: [keys.<context>] \"<key>\" = \"<command>\"; \"none\" unbinds a key. A context's keys win\n\
         # over the global ones. Keys look like \"j\", \"G\", \"ctrl-r\", \"shift-tab\", \"enter\", \"esc\",\n\
         # \"pgdn\", \"space\", \"f5\". A command can be bound in the contexts that list it below, the\n\
         # global ones in the others too (help not where you type text). The defaults, by context:\n",
    );
    for s in SPECS {
        out.push_str(&format!("#\n# [keys.{}]: {}\n", s.context.name(), s.about));
        for b in s.bindings.iter().filter(|b| !b.keys.is_empty()) {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("{k:?}")).collect();
            let line = format!("#   {} = {:?}", keys.join(", "), b.command.name());
            out.push_str(&format!("{line:<46} {}\n", b.command.description()));
        }
    }
    out.push_str(DOC_END);
    out
}
