//! The keymap as data: which key runs which command in which context. The defaults come from the
//! command registry (`app::commands`); the TOML config can rebind any of it.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::KeyCode;

use super::keys::Key;
pub use crate::app::commands::Command;

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
    Review,
    Audit,
    Duplicates,
    Merge,
    Analytics,
    /// A running export (the list's Export dialog).
    Export,
    Views,
    /// The privacy requests screen (`P` from the list).
    Privacy,
    /// The erasure dialog on the customer view (type to confirm).
    Erase,
    /// A ticket's conversation over the Support tab.
    Ticket,
}

impl Context {
    pub const ALL: [Context; 21] = [
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
        Context::Review,
        Context::Audit,
        Context::Duplicates,
        Context::Merge,
        Context::Analytics,
        Context::Export,
        Context::Views,
        Context::Privacy,
        Context::Erase,
        Context::Ticket,
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
            Context::Review => "review",
            Context::Audit => "audit",
            Context::Duplicates => "duplicates",
            Context::Merge => "merge",
            Context::Analytics => "analytics",
            Context::Export => "export",
            Context::Views => "views",
            Context::Privacy => "privacy",
            Context::Erase => "erase",
            Context::Ticket => "ticket",
        }
    }
    pub fn parse(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    map: HashMap<(Context, Key), Command>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut map = HashMap::new();
        for (ctx, k, cmd) in crate::app::commands::default_keys() {
            // The defaults are literals checked by a test; a typo there is a bug, not user input.
            if let Ok(key) = Key::parse(k) {
                map.insert((ctx, key), cmd);
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
                if crate::app::commands::binding(ctx, cmd).is_none() {
                    return Err(format!(
                        "[keys.{ctx_name}]: {} does nothing in {ctx_name}",
                        cmd.name()
                    ));
                }
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
                    // A global key the context binds to something else does not reach it here.
                    .filter(|k| c == ctx || !self.map.contains_key(&(ctx, *k)))
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
        for (_, k, _) in crate::app::commands::default_keys() {
            assert!(Key::parse(k).is_ok(), "{k}");
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
        let nothing = BTreeMap::from([(
            "list".to_string(),
            BTreeMap::from([("x".to_string(), "pin".to_string())]),
        )]);
        assert!(
            Keymap::default()
                .with_overrides(&nothing)
                .unwrap_err()
                .contains("pin does nothing in list")
        );
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
