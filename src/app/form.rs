//! A modal form of labelled one-line fields: editing, inline validation with the error beside
//! the field, and what Ctrl-S should write. Builders for each form live in `app/forms/`.
//!
//! The form keeps each field's value as first shown (`original`), so a save sends only what the
//! user changed and a version conflict can show the other person's value next to ours.

use crate::store::rules;

/// What a field accepts; `check` turns a value into an inline error.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Text(Check),
    /// One of a fixed list, cycled with space or ←/→.
    Choice(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Any,
    Email,
    Phone,
    Name,
    Line,
    Language,
    Country,
    Number,
    Date,
    /// A percentage 0-100 with up to two decimals.
    Percent,
    /// Lowercase identifier: `[a-z][a-z0-9_]*`.
    Identifier,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name the store's errors use ("email", "custom_fields.vat_id").
    pub key: String,
    pub label: String,
    pub value: String,
    /// Cursor position in characters.
    pub cursor: usize,
    pub input: Input,
    pub required: bool,
    pub error: Option<String>,
    /// The value when the form opened.
    pub original: String,
    /// After a version conflict: the value someone else saved, when it differs from ours.
    pub theirs: Option<String>,
    /// Shown beside the focused field: what it expects.
    pub hint: &'static str,
}

impl Field {
    pub fn text(key: &str, label: &str, value: &str, check: Check, required: bool) -> Field {
        Field {
            key: key.into(),
            label: label.into(),
            value: value.into(),
            cursor: value.chars().count(),
            input: Input::Text(check),
            required,
            error: None,
            original: value.into(),
            theirs: None,
            hint: "",
        }
    }

    pub fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }

    pub fn choice(key: &str, label: &str, value: &str, choices: &[&str]) -> Field {
        let choices: Vec<String> = choices.iter().map(|c| c.to_string()).collect();
        let value = if choices.iter().any(|c| c == value) {
            value.to_string()
        } else {
            choices.first().cloned().unwrap_or_default()
        };
        Field {
            cursor: 0,
            input: Input::Choice(choices),
            original: value.clone(),
            value,
            ..Field::text(key, label, "", Check::Any, false)
        }
    }

    pub fn changed(&self) -> bool {
        self.value.trim() != self.original.trim()
    }

    /// The inline error for the current value, if any.
    pub fn validate(&self) -> Option<String> {
        let v = self.value.trim();
        if v.is_empty() {
            return self.required.then(|| "required".to_string());
        }
        let Input::Text(check) = &self.input else {
            return None;
        };
        let msg = |r: crate::store::Result<String>| r.err().map(|e| strip_field(&e.to_string()));
        match check {
            Check::Any => None,
            Check::Email => msg(rules::email(v)),
            Check::Phone => msg(rules::phone(v)),
            Check::Name => msg(rules::line(&self.key, v, rules::NAME_MAX, false)),
            Check::Line => msg(rules::line(&self.key, v, rules::LINE_MAX, false)),
            Check::Language => msg(rules::language(v)),
            Check::Country => (!(v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic())))
                .then(|| "a two-letter country code like DE".into()),
            Check::Number => v
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .is_none()
                .then(|| "expected a number".into()),
            Check::Date => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .is_err()
                .then(|| "expected a date like 2024-02-29".into()),
            Check::Percent => parse_percent(v)
                .is_none()
                .then(|| "a percentage from 0 to 100, like 12.5".into()),
            Check::Identifier => {
                let ok = v.starts_with(|c: char| c.is_ascii_lowercase())
                    && v.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                (!ok).then(|| "lowercase letters, digits and _, starting with a letter".into())
            }
        }
    }

    fn insert(&mut self, c: char) {
        if matches!(self.input, Input::Choice(_)) {
            if c == ' ' {
                self.cycle(1);
            }
            return;
        }
        let at = byte_at(&self.value, self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    fn backspace(&mut self) {
        if self.cursor == 0 || matches!(self.input, Input::Choice(_)) {
            return;
        }
        let at = byte_at(&self.value, self.cursor - 1);
        self.value.remove(at);
        self.cursor -= 1;
    }

    fn delete(&mut self) {
        if self.cursor < self.value.chars().count() && matches!(self.input, Input::Text(_)) {
            let at = byte_at(&self.value, self.cursor);
            self.value.remove(at);
        }
    }

    fn cycle(&mut self, by: isize) {
        if let Input::Choice(choices) = &self.input {
            if choices.is_empty() {
                return;
            }
            let i = choices.iter().position(|c| *c == self.value).unwrap_or(0) as isize;
            let n = choices.len() as isize;
            self.value = choices[(i + by).rem_euclid(n) as usize].clone();
        }
    }
}

/// "email: required" → "required": the form shows the message beside the field it names.
fn strip_field(msg: &str) -> String {
    let m = msg.strip_prefix("invalid: ").unwrap_or(msg);
    m.split_once(": ").map_or(m, |(_, why)| why).to_string()
}

fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// "12.5" → 1250 basis points.
pub fn parse_percent(v: &str) -> Option<i64> {
    let n: f64 = v.trim().trim_end_matches('%').trim().parse().ok()?;
    (n.is_finite() && (0.0..=100.0).contains(&n)).then(|| (n * 100.0).round() as i64)
}

/// One key's effect on a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Clear,
}

/// What the form is for; the builders in `app/forms/` turn the fields into a write.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    CreateCustomer,
    EditCustomer {
        id: i64,
        version: i64,
    },
    Status {
        id: i64,
        version: i64,
        /// The reason stored now: the form asks for a new one rather than showing it as the
        /// value, and keeping the status with no new reason changes nothing.
        reason: Option<String>,
    },
    NewAddress {
        customer: i64,
    },
    EditAddress {
        address: i64,
        version: i64,
    },
    NewGroup,
    EditGroup {
        id: i64,
    },
    NewField,
    /// Label and required only: the name and type stay (stored values were checked against them).
    EditField {
        id: i64,
    },
    /// A manual or gift grant on the Library tab.
    AddLibraryItem {
        customer: i64,
    },
    EditLibraryItem {
        item: i64,
    },
    /// Blocking IPs on the account review: the reason is required, as in the CLI.
    BlockIps {
        ips: Vec<String>,
    },
    /// The list's Export dialog (`today` names the proposed file); starts a job, writes nothing.
    Export {
        today: chrono::NaiveDate,
    },
    /// The list's "more filters": sets the filter, writes nothing.
    ListFilter,
    /// The list's filter and sort under a name (`app::views`).
    SaveView {
        definition: crate::store::views::ViewDefinition,
    },
    /// Logging, moving on or extending a privacy request (`app::privacy`).
    Privacy(crate::app::privacy::PrivacyForm),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem with the whole form (conflict, permission, lost connection).
    pub error: Option<String>,
    /// The save request in flight.
    pub saving: Option<u64>,
    /// Esc on a changed form asks first; `y` discards.
    pub confirm_discard: bool,
    /// The question was asked by quit (Ctrl-C): `y` (or quit again) discards and quits.
    pub confirm_quit: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            error: None,
            saving: None,
            confirm_discard: false,
            confirm_quit: false,
        }
    }

    pub fn dirty(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    pub fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// Only the fields the user changed, by key.
    pub fn changed(&self, key: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.key == key && f.changed())
            .map(|f| f.value.trim().to_string())
    }

    pub fn move_focus(&mut self, by: isize) {
        let n = self.fields.len().max(1) as isize;
        self.focus = (self.focus as isize + by).rem_euclid(n) as usize;
    }

    pub fn edit(&mut self, e: Edit) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match e {
            Edit::Char(c) => f.insert(c),
            Edit::Backspace => f.backspace(),
            Edit::Delete => f.delete(),
            Edit::Left if matches!(f.input, Input::Choice(_)) => f.cycle(-1),
            Edit::Right if matches!(f.input, Input::Choice(_)) => f.cycle(1),
            Edit::Left => f.cursor = f.cursor.saturating_sub(1),
            Edit::Right => f.cursor = (f.cursor + 1).min(f.value.chars().count()),
            Edit::Home => f.cursor = 0,
            Edit::End => f.cursor = f.value.chars().count(),
            Edit::Clear if matches!(f.input, Input::Text(_)) => {
                f.value.clear();
                f.cursor = 0;
            }
            Edit::Clear => {}
        }
        // An error goes away as soon as the value is fixed, not only on the next save.
        if f.error.is_some() {
            f.error = f.validate();
        }
    }

    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.edit(Edit::Char(c));
        }
    }

    /// Checks every field; true when all are valid. Focus moves to the first bad one.
    pub fn validate(&mut self) -> bool {
        for f in self.fields.iter_mut() {
            f.error = f.validate();
        }
        match self.fields.iter().position(|f| f.error.is_some()) {
            Some(i) => {
                self.focus = i;
                false
            }
            None => true,
        }
    }

    /// Puts a store refusal where it belongs: "email: already used by customer #12" beside the
    /// email field, anything else above the fields.
    pub fn refused(&mut self, message: &str) {
        let m = message.strip_prefix("invalid: ").unwrap_or(message);
        let field = m
            .split_once(": ")
            .and_then(|(k, why)| Some((self.fields.iter().position(|f| f.key == k)?, why)));
        match field {
            Some((i, why)) => {
                self.fields[i].error = Some(why.to_string());
                self.focus = i;
                self.error = None;
            }
            None => self.error = Some(m.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form {
        Form::new(
            "t",
            Purpose::CreateCustomer,
            vec![
                Field::text("email", "Email", "", Check::Email, true),
                Field::text("first_name", "First name", "Zoë", Check::Name, false),
                Field::choice("kind", "Kind", "guest", &["account", "guest"]),
            ],
        )
    }

    #[test]
    fn editing_is_by_character_not_byte() {
        let mut f = form();
        f.focus = 1;
        f.edit(Edit::Left);
        f.edit(Edit::Backspace);
        assert_eq!(f.fields[1].value, "Zë");
        f.edit(Edit::Char('ö'));
        f.edit(Edit::End);
        f.edit(Edit::Char('!'));
        assert_eq!(f.fields[1].value, "Zöë!");
        f.edit(Edit::Home);
        f.edit(Edit::Delete);
        assert_eq!(f.fields[1].value, "öë!");
        assert!(f.dirty());
    }

    #[test]
    fn choices_cycle_and_ignore_typing() {
        let mut f = form();
        f.focus = 2;
        assert_eq!(f.fields[2].value, "guest");
        f.edit(Edit::Char('x'));
        assert_eq!(f.fields[2].value, "guest");
        f.edit(Edit::Right);
        assert_eq!(f.fields[2].value, "account");
        f.edit(Edit::Char(' '));
        assert_eq!(f.fields[2].value, "guest");
    }

    #[test]
    fn validation_puts_errors_beside_fields_and_clears_them_when_fixed() {
        let mut f = form();
        assert!(!f.validate());
        assert_eq!(f.fields[0].error.as_deref(), Some("required"));
        assert_eq!(f.focus, 0);
        f.insert_str("not-an-email");
        assert!(f.fields[0].error.is_some());
        assert!(!f.fields[0].error.as_deref().unwrap().starts_with("email"));
        f.edit(Edit::Clear);
        f.insert_str("zoe@example.com");
        assert_eq!(f.fields[0].error, None);
        assert!(f.validate());
    }

    #[test]
    fn store_refusals_land_on_their_field() {
        let mut f = form();
        f.focus = 2;
        f.refused("invalid: email: already used by customer #12");
        assert_eq!(
            f.fields[0].error.as_deref(),
            Some("already used by customer #12")
        );
        assert_eq!(f.focus, 0);
        f.refused("not allowed: agents cannot change account status (admins can)");
        assert!(f.error.as_deref().unwrap().starts_with("not allowed"));
    }

    #[test]
    fn percent_parses_to_basis_points() {
        assert_eq!(parse_percent("12.5"), Some(1250));
        assert_eq!(parse_percent("100 %"), Some(10000));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("x"), None);
    }
}
