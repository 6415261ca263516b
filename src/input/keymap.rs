//! The keymap as data: which key runs which command in which context, with one description each
//! (the `?` help and the footer are generated from it; the TOML config can rebind any of it).

use std::collections::{BTreeMap, HashMap};

use crossterm::event::KeyCode;

use super::keys::Key;

/// Where the keyboard focus is; bindings are looked up in the context, then in `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Search,
    Customer,
    Order,
    Editor,
    Help,
    Form,
    Confirm,
    Setup,
    Members,
    Hygiene,
    Audit,
    Duplicates,
    Merge,
}

impl Context {
    pub const ALL: [Context; 15] = [
        Context::Global,
        Context::List,
        Context::Search,
        Context::Customer,
        Context::Order,
        Context::Editor,
        Context::Help,
        Context::Form,
        Context::Confirm,
        Context::Setup,
        Context::Members,
        Context::Hygiene,
        Context::Audit,
        Context::Duplicates,
        Context::Merge,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Search => "search",
            Context::Customer => "customer",
            Context::Order => "order",
            Context::Editor => "editor",
            Context::Help => "help",
            Context::Form => "form",
            Context::Confirm => "confirm",
            Context::Setup => "setup",
            Context::Members => "members",
            Context::Hygiene => "cleanup",
            Context::Audit => "audit",
            Context::Duplicates => "duplicates",
            Context::Merge => "merge",
        }
    }
    pub fn parse(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }
}

macro_rules! commands {
    ($($(#[doc = $doc:literal])+ $variant:ident => $name:literal,)+) => {
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
        }
    };
}

commands! {
    /// quit patron
    Quit => "quit",
    /// show the keys of this screen
    Help => "help",
    /// go back / close
    Back => "back",
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
    Open => "open",
    /// search customers
    Search => "search",
    /// clear the search
    ClearSearch => "clear_search",
    /// sort by the next column
    SortNext => "sort_next",
    /// reverse the sort
    SortReverse => "sort_reverse",
    /// filter: all / with account / guests
    FilterAccount => "filter_account",
    /// filter by status
    FilterStatus => "filter_status",
    /// reload from the database
    Refresh => "refresh",
    /// next tab
    NextTab => "next_tab",
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
    /// filter orders by status
    FilterOrders => "filter_orders",
    /// add one (note, address, group, field)
    New => "new",
    /// save the note
    SaveNote => "save_note",
    /// new customer
    NewCustomer => "new_customer",
    /// groups and custom fields
    OpenSetup => "open_setup",
    /// edit (profile or selected row)
    Edit => "edit",
    /// delete the selected row
    Delete => "delete",
    /// pin or unpin the note
    Pin => "pin",
    /// default billing address
    DefaultBilling => "default_billing",
    /// default shipping address
    DefaultShipping => "default_shipping",
    /// verified / failed / unverified
    Verify => "verify",
    /// activate or deactivate the account
    ChangeStatus => "change_status",
    /// group memberships
    Memberships => "memberships",
    /// next field
    NextField => "next_field",
    /// previous field
    PrevField => "prev_field",
    /// save
    Save => "save",
    /// yes, do it
    Confirm => "confirm",
    /// change the membership
    CycleMembership => "cycle_membership",
    /// enable or disable the group
    ToggleGroup => "toggle_group",
    /// account audit
    OpenHygiene => "open_cleanup",
    /// select / unselect the account
    ToggleSelect => "toggle_select",
    /// select all in view (again: none)
    SelectAll => "select_all",
    /// deactivate the selected accounts
    Deactivate => "deactivate",
    /// block the IP(s)
    BlockIp => "block_ip",
    /// unblock the IP
    UnblockIp => "unblock_ip",
    /// audit log
    OpenAudit => "open_audit",
    /// filter by staff
    FilterStaff => "filter_staff",
    /// filter by action
    FilterAction => "filter_action",
    /// filter by date
    FilterDate => "filter_date",
    /// duplicates
    OpenDuplicates => "open_duplicates",
    /// merge the pair (preview first)
    Merge => "merge",
    /// link guest orders to the account
    LinkGuests => "link_guests",
    /// swap which account survives
    SwapAccounts => "swap_accounts",
    /// keep the other account's value
    ToggleSide => "toggle_side",
    /// merge now (asks first)
    RunMerge => "run_merge",
    /// rebuild the library from orders
    RebuildLibrary => "rebuild_library",
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    map: HashMap<(Context, Key), Command>,
}

const DEFAULTS: &[(Context, &[&str], Command)] = &[
    (Context::Global, &["ctrl-c"], Command::Quit),
    (Context::Global, &["?"], Command::Help),
    (Context::List, &["j", "down"], Command::Down),
    (Context::List, &["k", "up"], Command::Up),
    (
        Context::List,
        &["pgdn", "ctrl-f", "space"],
        Command::PageDown,
    ),
    (Context::List, &["pgup", "ctrl-b"], Command::PageUp),
    (Context::List, &["g", "home"], Command::Top),
    (Context::List, &["G", "end"], Command::Bottom),
    (Context::List, &["enter"], Command::Open),
    (Context::List, &["/"], Command::Search),
    (Context::List, &["esc"], Command::ClearSearch),
    (Context::List, &["s"], Command::SortNext),
    (Context::List, &["S"], Command::SortReverse),
    (Context::List, &["f"], Command::FilterAccount),
    (Context::List, &["F"], Command::FilterStatus),
    (Context::List, &["ctrl-r"], Command::Refresh),
    (Context::List, &["q"], Command::Quit),
    (Context::Search, &["down", "ctrl-n"], Command::Down),
    (Context::Search, &["up", "ctrl-p"], Command::Up),
    (Context::Search, &["pgdn"], Command::PageDown),
    (Context::Search, &["pgup"], Command::PageUp),
    (Context::Search, &["enter"], Command::Open),
    (Context::Search, &["esc"], Command::ClearSearch),
    (Context::Customer, &["j", "down"], Command::Down),
    (Context::Customer, &["k", "up"], Command::Up),
    (
        Context::Customer,
        &["pgdn", "ctrl-f", "space"],
        Command::PageDown,
    ),
    (Context::Customer, &["pgup", "ctrl-b"], Command::PageUp),
    (Context::Customer, &["g", "home"], Command::Top),
    (Context::Customer, &["G", "end"], Command::Bottom),
    (Context::Customer, &["tab", "l", "right"], Command::NextTab),
    (
        Context::Customer,
        &["shift-tab", "h", "left"],
        Command::PrevTab,
    ),
    (Context::Customer, &["1"], Command::Tab1),
    (Context::Customer, &["2"], Command::Tab2),
    (Context::Customer, &["3"], Command::Tab3),
    (Context::Customer, &["4"], Command::Tab4),
    (Context::Customer, &["5"], Command::Tab5),
    (Context::Customer, &["6"], Command::Tab6),
    (Context::Customer, &["7"], Command::Tab7),
    (Context::Customer, &["8"], Command::Tab8),
    (Context::Customer, &["9"], Command::Tab9),
    (Context::Customer, &["enter"], Command::Open),
    (Context::Customer, &["f"], Command::FilterOrders),
    (Context::Customer, &["ctrl-r"], Command::Refresh),
    (Context::Customer, &["q", "esc"], Command::Back),
    (Context::Order, &["j", "down"], Command::Down),
    (Context::Order, &["k", "up"], Command::Up),
    (Context::Order, &["q", "esc", "enter"], Command::Back),
    (Context::Customer, &["n"], Command::New),
    (Context::Customer, &["e"], Command::Edit),
    (Context::Customer, &["d"], Command::Delete),
    (Context::Customer, &["p"], Command::Pin),
    (Context::Customer, &["b"], Command::DefaultBilling),
    (Context::Customer, &["s"], Command::DefaultShipping),
    (Context::Customer, &["v"], Command::Verify),
    (Context::Customer, &["S"], Command::ChangeStatus),
    (Context::Customer, &["M"], Command::Memberships),
    (Context::List, &["c"], Command::NewCustomer),
    (Context::List, &["ctrl-g"], Command::OpenSetup),
    (Context::List, &["L"], Command::OpenAudit),
    (Context::Audit, &["j", "down"], Command::Down),
    (Context::Audit, &["k", "up"], Command::Up),
    (
        Context::Audit,
        &["pgdn", "ctrl-f", "space"],
        Command::PageDown,
    ),
    (Context::Audit, &["pgup", "ctrl-b"], Command::PageUp),
    (Context::Audit, &["g", "home"], Command::Top),
    (Context::Audit, &["G", "end"], Command::Bottom),
    (Context::Audit, &["enter"], Command::Open),
    (Context::Audit, &["s"], Command::FilterStaff),
    (Context::Audit, &["a"], Command::FilterAction),
    (Context::Audit, &["d"], Command::FilterDate),
    (Context::Audit, &["ctrl-r"], Command::Refresh),
    (Context::Audit, &["q", "esc"], Command::Back),
    (Context::Form, &["tab", "down", "enter"], Command::NextField),
    (Context::Form, &["shift-tab", "up"], Command::PrevField),
    (Context::Form, &["ctrl-s"], Command::Save),
    (Context::Form, &["esc"], Command::Back),
    (Context::Confirm, &["y", "enter"], Command::Confirm),
    (Context::Confirm, &["n", "esc", "q"], Command::Back),
    (Context::Setup, &["j", "down"], Command::Down),
    (Context::Setup, &["k", "up"], Command::Up),
    (Context::Setup, &["g", "home"], Command::Top),
    (Context::Setup, &["G", "end"], Command::Bottom),
    (
        Context::Setup,
        &["tab", "l", "right", "shift-tab", "h", "left"],
        Command::NextTab,
    ),
    (Context::Setup, &["n"], Command::New),
    (Context::Setup, &["e", "enter"], Command::Edit),
    (Context::Setup, &["d"], Command::ToggleGroup),
    (Context::Setup, &["ctrl-r"], Command::Refresh),
    (Context::Setup, &["q", "esc"], Command::Back),
    (Context::List, &["A"], Command::OpenHygiene),
    (Context::Hygiene, &["j", "down"], Command::Down),
    (Context::Hygiene, &["k", "up"], Command::Up),
    (Context::Hygiene, &["pgdn", "ctrl-f"], Command::PageDown),
    (Context::Hygiene, &["pgup", "ctrl-b"], Command::PageUp),
    (Context::Hygiene, &["g", "home"], Command::Top),
    (Context::Hygiene, &["G", "end"], Command::Bottom),
    (Context::Hygiene, &["tab"], Command::NextTab),
    (Context::Hygiene, &["shift-tab"], Command::PrevTab),
    (Context::Hygiene, &["space"], Command::ToggleSelect),
    (Context::Hygiene, &["a"], Command::SelectAll),
    (Context::Hygiene, &["/"], Command::Search),
    (Context::Hygiene, &["s"], Command::SortNext),
    (Context::Hygiene, &["S"], Command::SortReverse),
    (Context::Hygiene, &["d"], Command::Delete),
    (Context::Hygiene, &["x"], Command::Deactivate),
    (Context::Hygiene, &["b"], Command::BlockIp),
    (Context::Hygiene, &["u"], Command::UnblockIp),
    (Context::Hygiene, &["R"], Command::RebuildLibrary),
    (Context::Hygiene, &["ctrl-r"], Command::Refresh),
    (Context::Hygiene, &["q", "esc"], Command::Back),
    (Context::Members, &["j", "down"], Command::Down),
    (Context::Members, &["k", "up"], Command::Up),
    (
        Context::Members,
        &["space", "enter"],
        Command::CycleMembership,
    ),
    (Context::Members, &["d"], Command::Delete),
    (Context::Members, &["q", "esc"], Command::Back),
    (Context::Customer, &["R"], Command::RebuildLibrary),
    (Context::List, &["D"], Command::OpenDuplicates),
    (Context::Duplicates, &["j", "down"], Command::Down),
    (Context::Duplicates, &["k", "up"], Command::Up),
    (Context::Duplicates, &["pgdn", "ctrl-f"], Command::PageDown),
    (Context::Duplicates, &["pgup", "ctrl-b"], Command::PageUp),
    (Context::Duplicates, &["g", "home"], Command::Top),
    (Context::Duplicates, &["G", "end"], Command::Bottom),
    (Context::Duplicates, &["tab"], Command::NextTab),
    (Context::Duplicates, &["m"], Command::Merge),
    (Context::Duplicates, &["l"], Command::LinkGuests),
    (Context::Duplicates, &["ctrl-r"], Command::Refresh),
    (Context::Duplicates, &["q", "esc"], Command::Back),
    (Context::Merge, &["j", "down", "tab"], Command::Down),
    (Context::Merge, &["k", "up", "shift-tab"], Command::Up),
    (
        Context::Merge,
        &["space", "left", "right"],
        Command::ToggleSide,
    ),
    (Context::Merge, &["x"], Command::SwapAccounts),
    (Context::Merge, &["enter"], Command::RunMerge),
    (Context::Merge, &["q", "esc"], Command::Back),
    (Context::Editor, &["ctrl-s"], Command::SaveNote),
    (Context::Editor, &["esc"], Command::Back),
    (Context::Help, &["q", "esc", "?"], Command::Back),
    (Context::Help, &["j", "down"], Command::Down),
    (Context::Help, &["k", "up"], Command::Up),
];

impl Default for Keymap {
    fn default() -> Self {
        let mut map = HashMap::new();
        for (ctx, keys, cmd) in DEFAULTS {
            for k in *keys {
                // The defaults are literals checked by a test; a typo there is a bug, not user input.
                if let Ok(key) = Key::parse(k) {
                    map.insert((*ctx, key), *cmd);
                }
            }
        }
        Keymap { map }
    }
}

impl Keymap {
    /// Applies `[keys.<context>] "<key>" = "<command>"` overrides; "none" unbinds a key.
    pub fn with_overrides(
        mut self,
        overrides: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<Keymap, String> {
        for (ctx_name, keys) in overrides {
            let ctx = Context::parse(ctx_name).ok_or_else(|| {
                let names: Vec<_> = Context::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown key context [keys.{ctx_name}]; use one of {}",
                    names.join(", ")
                )
            })?;
            for (key, cmd) in keys {
                let key = Key::parse(key).map_err(|e| format!("[keys.{ctx_name}]: {e}"))?;
                if cmd == "none" {
                    self.map.remove(&(ctx, key));
                    continue;
                }
                let cmd = Command::parse(cmd)
                    .ok_or_else(|| format!("[keys.{ctx_name}]: unknown command {cmd:?}"))?;
                self.map.insert((ctx, key), cmd);
            }
        }
        Ok(self)
    }

    pub fn lookup(&self, ctx: Context, key: Key) -> Option<Command> {
        self.map
            .get(&(ctx, key))
            .or_else(|| self.map.get(&(Context::Global, key)))
            .copied()
    }

    /// Commands of a context (then global ones) with all their keys, in definition order of commands.
    pub fn bindings(&self, ctx: Context) -> Vec<(Command, Vec<Key>)> {
        let mut out: Vec<(Command, Vec<Key>)> = Vec::new();
        for c in [ctx, Context::Global] {
            for cmd in Command::ALL {
                let mut keys: Vec<Key> = self
                    .map
                    .iter()
                    .filter(|((x, _), v)| *x == c && *v == cmd)
                    .map(|((_, k), _)| *k)
                    .collect();
                // Single characters first ("j" before "↓"), then by label, so help reads the same every time.
                keys.sort_by_key(|k| (!matches!(k.code, KeyCode::Char(_)) || k.ctrl, k.label()));
                if !keys.is_empty() && !out.iter().any(|(o, _)| o == cmd) {
                    out.push((*cmd, keys));
                }
            }
        }
        out
    }

    /// The first key bound to a command, for hints such as "press / to search".
    pub fn key_for(&self, ctx: Context, cmd: Command) -> Option<Key> {
        self.bindings(ctx)
            .into_iter()
            .find(|(c, _)| *c == cmd)
            .and_then(|(_, k)| k.first().copied())
    }

    pub fn is_text_input(ctx: Context, key: Key) -> bool {
        ctx == Context::Search && !key.ctrl && !key.alt && matches!(key.code, KeyCode::Char(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_key_parses_and_every_command_is_described() {
        for (_, keys, _) in DEFAULTS {
            for k in *keys {
                assert!(Key::parse(k).is_ok(), "{k}");
            }
        }
        for c in Command::ALL {
            assert!(!c.description().is_empty(), "{c:?}");
            assert_eq!(Command::parse(c.name()), Some(*c));
        }
    }

    #[test]
    fn context_wins_over_global_and_overrides_apply() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::List, Key::ch('q')), Some(Command::Quit));
        assert_eq!(
            km.lookup(Context::Customer, Key::ch('q')),
            Some(Command::Back)
        );
        assert_eq!(
            km.lookup(Context::Customer, Key::ctrl('c')),
            Some(Command::Quit)
        );
        let mut o = BTreeMap::new();
        o.insert(
            "list".to_string(),
            BTreeMap::from([
                ("x".to_string(), "quit".to_string()),
                ("q".to_string(), "none".to_string()),
            ]),
        );
        let km = km.with_overrides(&o).unwrap();
        assert_eq!(km.lookup(Context::List, Key::ch('x')), Some(Command::Quit));
        assert_eq!(km.lookup(Context::List, Key::ch('q')), None);
        let bad = BTreeMap::from([("lst".to_string(), BTreeMap::new())]);
        assert!(
            Keymap::default()
                .with_overrides(&bad)
                .unwrap_err()
                .contains("unknown key context")
        );
    }

    #[test]
    fn the_example_config_names_every_command_and_context() {
        let doc = include_str!("../../config.example.toml");
        let words: Vec<&str> = doc
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        for c in Command::ALL {
            assert!(
                words.contains(&c.name()),
                "{} is not in config.example.toml",
                c.name()
            );
        }
        for c in Context::ALL {
            assert!(
                words.contains(&c.name()),
                "context {} is not documented",
                c.name()
            );
        }
    }

    #[test]
    fn help_lists_context_commands_before_global_ones() {
        let b = Keymap::default().bindings(Context::List);
        assert_eq!(b.first().map(|x| x.0), Some(Command::Quit));
        assert!(b.iter().any(|(c, _)| *c == Command::Help));
    }
}
