//! Validation and before/after diffs for staff writes, shared by both backends so they cannot drift.
//!
//! Everything here is pure: a backend loads the row inside its transaction, asks these functions
//! what the row becomes and what the audit entry says, then writes exactly that.

use chrono::NaiveDate;
use patron_domain::sanitize::is_hostile;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::edit::*;
use super::model::*;
use super::{Result, StoreError};

pub const NAME_MAX: usize = 100;
pub const LINE_MAX: usize = 200;
pub const TEXT_MAX: usize = 1_000;
pub const NOTE_MAX: usize = 10_000;

fn invalid(field: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{field}: {why}"))
}

/// One line of text: trimmed, no control or invisible characters, at most `max` characters.
pub fn line(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(invalid(field, "required"));
    }
    if is_hostile(v).is_some() {
        return Err(invalid(field, "contains a control or invisible character"));
    }
    if v.chars().count() > max {
        return Err(invalid(field, format!("too long (max {max} characters)")));
    }
    Ok(v.to_string())
}

pub fn email(value: &str) -> Result<String> {
    let e = patron_domain::email::normalize(value);
    patron_domain::email::validate(&e).map_err(|why| invalid("email", why))?;
    Ok(e)
}

pub fn phone(value: &str) -> Result<String> {
    let p = line("phone", value, 40, false)?;
    patron_domain::phone::validate(&p).map_err(|why| invalid("phone", why))?;
    Ok(p)
}

/// A language tag like `en` or `pt-BR`.
pub fn language(value: &str) -> Result<String> {
    let v = value.trim();
    let (lang, region) = v.split_once('-').unwrap_or((v, ""));
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok = region.is_empty()
        || ((2..=8).contains(&region.len()) && region.bytes().all(|b| b.is_ascii_alphanumeric()));
    if lang_ok && region_ok && !v.ends_with('-') {
        Ok(v.to_string())
    } else {
        Err(invalid("language", "expected a code like en or pt-BR"))
    }
}

/// Staff usernames: what people type after `--as`, so short and shell-friendly.
pub fn username(value: &str) -> Result<String> {
    let v = value.trim().to_lowercase();
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && v.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(v)
    } else {
        Err(invalid(
            "username",
            "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        ))
    }
}

/// Collects the changed fields of one write as `{"before": {..}, "after": {..}}`.
#[derive(Debug, Default)]
pub struct Diff {
    before: Map<String, Value>,
    after: Map<String, Value>,
}

impl Diff {
    pub fn field<T: Serialize + PartialEq>(&mut self, name: &str, old: &T, new: &T) {
        if old != new {
            self.before.insert(name.into(), json!(old));
            self.after.insert(name.into(), json!(new));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.after.is_empty()
    }

    pub fn into_json(self) -> Value {
        json!({"before": self.before, "after": self.after})
    }
}

/// Email required and valid; first and last name required for registered accounts only,
/// because guest checkouts often carry nothing but an email.
pub fn new_customer(n: &NewCustomer) -> Result<NewCustomer> {
    Ok(NewCustomer {
        email: email(&n.email)?,
        first_name: line("first_name", &n.first_name, NAME_MAX, n.has_account)?,
        last_name: line("last_name", &n.last_name, NAME_MAX, n.has_account)?,
        phone: phone(&n.phone)?,
        company: line("company", &n.company, LINE_MAX, false)?,
        has_account: n.has_account,
        group_ids: n.group_ids.clone(),
    })
}

pub fn created_customer_details(c: &Customer, groups: &[i64]) -> Value {
    json!({"after": {
        "email": c.email, "first_name": c.first_name, "last_name": c.last_name, "phone": c.phone,
        "company": c.company, "has_account": c.has_account, "group_ids": groups,
    }})
}

/// The customer after applying `p`, and the audit details; `None` when nothing would change.
pub fn patch_customer(
    before: &Customer,
    p: &CustomerPatch,
    defs: &[CustomFieldDef],
) -> Result<Option<(Customer, Value)>> {
    let mut after = before.clone();
    let names_required = before.has_account;
    if let Some(v) = &p.email {
        after.email = email(v)?;
    }
    if let Some(v) = &p.first_name {
        after.first_name = line("first_name", v, NAME_MAX, names_required)?;
    }
    if let Some(v) = &p.last_name {
        after.last_name = line("last_name", v, NAME_MAX, names_required)?;
    }
    if let Some(v) = &p.phone {
        after.phone = phone(v)?;
    }
    if let Some(v) = &p.company {
        after.company = line("company", v, LINE_MAX, false)?;
    }
    if let Some(v) = &p.language {
        after.language = language(v)?;
    }
    if let Some(v) = p.marketing_consent {
        after.marketing_consent = v;
    }
    if let Some(set) = &p.custom_fields {
        after.custom_fields = merge_custom_fields(&before.custom_fields, set, defs)?;
    }
    let mut d = Diff::default();
    d.field("email", &before.email, &after.email);
    d.field("first_name", &before.first_name, &after.first_name);
    d.field("last_name", &before.last_name, &after.last_name);
    d.field("phone", &before.phone, &after.phone);
    d.field("company", &before.company, &after.company);
    d.field("language", &before.language, &after.language);
    d.field(
        "marketing_consent",
        &before.marketing_consent,
        &after.marketing_consent,
    );
    d.field("custom_fields", &before.custom_fields, &after.custom_fields);
    Ok((!d.is_empty()).then(|| (after, d.into_json())))
}

/// Checks values against their definitions, merges them into `current` and checks that every
/// required field has a value. Required fields are only enforced when a patch sets custom fields,
/// so defining a new required field does not block unrelated edits of older customers.
pub fn merge_custom_fields(
    current: &Value,
    set: &Map<String, Value>,
    defs: &[CustomFieldDef],
) -> Result<Value> {
    let mut merged = current.as_object().cloned().unwrap_or_default();
    for (name, value) in set {
        let field = format!("custom_fields.{name}");
        let def = defs
            .iter()
            .find(|d| &d.name == name)
            .ok_or_else(|| invalid(&field, "no such custom field"))?;
        let blank = value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty());
        if blank {
            merged.remove(name);
            continue;
        }
        merged.insert(name.clone(), custom_value(&field, def, value)?);
    }
    for def in defs.iter().filter(|d| d.required) {
        if !merged.contains_key(&def.name) {
            return Err(invalid(&format!("custom_fields.{}", def.name), "required"));
        }
    }
    Ok(Value::Object(merged))
}

fn custom_value(field: &str, def: &CustomFieldDef, value: &Value) -> Result<Value> {
    let text = value.as_str().map(str::trim);
    match def.kind {
        CustomFieldKind::Text => match text {
            Some(s) => Ok(json!(line(field, s, TEXT_MAX, false)?)),
            None => Err(invalid(field, "expected text")),
        },
        CustomFieldKind::Number => {
            let n = match (value, text) {
                (Value::Number(n), _) => n.as_f64(),
                (_, Some(s)) => s.parse::<f64>().ok(),
                _ => None,
            };
            match n.filter(|n| n.is_finite()) {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(json!(n as i64)),
                Some(n) => Ok(json!(n)),
                None => Err(invalid(field, "expected a number")),
            }
        }
        CustomFieldKind::Date => text
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(|d| json!(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| invalid(field, "expected a date like 2024-02-29")),
        CustomFieldKind::Choice => match text {
            Some(s) if def.choices.iter().any(|c| c == s) => Ok(json!(s)),
            _ => Err(invalid(
                field,
                format!("must be one of {}", def.choices.join(", ")),
            )),
        },
    }
}

/// The new reason and the audit details; `None` when status and reason stay as they are.
/// Anonymizing is a one-way flow of its own, so it cannot be set (or undone) here.
pub fn status_change(
    before: &Customer,
    status: CustomerStatus,
    reason: &str,
) -> Result<Option<(Option<String>, Value)>> {
    if status == CustomerStatus::Anonymized || before.status == CustomerStatus::Anonymized {
        return Err(invalid(
            "status",
            "anonymized accounts cannot change status",
        ));
    }
    let needs_reason = status != CustomerStatus::Active;
    let reason = line("reason", reason, LINE_MAX, needs_reason)?;
    let reason = (!reason.is_empty()).then_some(reason);
    let mut d = Diff::default();
    d.field("status", &before.status, &status);
    d.field("status_reason", &before.status_reason, &reason);
    Ok((!d.is_empty()).then(|| (reason, d.into_json())))
}

fn country(value: &str) -> Result<String> {
    let v = value.trim().to_ascii_uppercase();
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(v)
    } else {
        Err(invalid("country", "expected a two-letter code like US"))
    }
}

/// Street, city and country are required: an address without them cannot ship anything.
pub fn new_address(a: &NewAddress) -> Result<NewAddress> {
    Ok(NewAddress {
        kind: a.kind,
        first_name: line("first_name", &a.first_name, NAME_MAX, false)?,
        last_name: line("last_name", &a.last_name, NAME_MAX, false)?,
        company: line("company", &a.company, LINE_MAX, false)?,
        address1: line("address1", &a.address1, LINE_MAX, true)?,
        address2: line("address2", &a.address2, LINE_MAX, false)?,
        city: line("city", &a.city, NAME_MAX, true)?,
        province: line("province", &a.province, NAME_MAX, false)?,
        postal_code: line("postal_code", &a.postal_code, 20, false)?,
        country: country(&a.country)?,
        phone: phone(&a.phone)?,
        default_billing: a.default_billing,
        default_shipping: a.default_shipping,
    })
}

pub fn address_json(a: &Address) -> Value {
    json!({
        "id": a.id, "kind": a.kind, "first_name": a.first_name, "last_name": a.last_name,
        "company": a.company, "address1": a.address1, "address2": a.address2, "city": a.city,
        "province": a.province, "postal_code": a.postal_code, "country": a.country, "phone": a.phone,
        "is_default_billing": a.is_default_billing, "is_default_shipping": a.is_default_shipping,
        "verification": a.verification,
    })
}

/// The address after applying `p` (validated like a new one), and the audit details.
pub fn patch_address(before: &Address, p: &AddressPatch) -> Result<Option<(Address, Value)>> {
    let pick = |new: &Option<String>, old: &String| new.clone().unwrap_or_else(|| old.clone());
    let checked = new_address(&NewAddress {
        kind: p.kind.unwrap_or(before.kind),
        first_name: pick(&p.first_name, &before.first_name),
        last_name: pick(&p.last_name, &before.last_name),
        company: pick(&p.company, &before.company),
        address1: pick(&p.address1, &before.address1),
        address2: pick(&p.address2, &before.address2),
        city: pick(&p.city, &before.city),
        province: pick(&p.province, &before.province),
        postal_code: pick(&p.postal_code, &before.postal_code),
        country: pick(&p.country, &before.country),
        phone: pick(&p.phone, &before.phone),
        default_billing: false,
        default_shipping: false,
    })?;
    let after = Address {
        kind: checked.kind,
        first_name: checked.first_name,
        last_name: checked.last_name,
        company: checked.company,
        address1: checked.address1,
        address2: checked.address2,
        city: checked.city,
        province: checked.province,
        postal_code: checked.postal_code,
        country: checked.country,
        phone: checked.phone,
        ..before.clone()
    };
    let mut d = Diff::default();
    d.field("kind", &before.kind, &after.kind);
    for (name, old, new) in [
        ("first_name", &before.first_name, &after.first_name),
        ("last_name", &before.last_name, &after.last_name),
        ("company", &before.company, &after.company),
        ("address1", &before.address1, &after.address1),
        ("address2", &before.address2, &after.address2),
        ("city", &before.city, &after.city),
        ("province", &before.province, &after.province),
        ("postal_code", &before.postal_code, &after.postal_code),
        ("country", &before.country, &after.country),
        ("phone", &before.phone, &after.phone),
    ] {
        d.field(name, old, new);
    }
    if d.is_empty() {
        return Ok(None);
    }
    let mut details = d.into_json();
    details["address_id"] = json!(before.id);
    Ok(Some((after, details)))
}

/// Note bodies are stored as typed, line breaks (as `\n`) and tabs included. Invisible and
/// bidi characters (U+200B, U+202E, ...) are kept too: notes are pasted from emails and web
/// pages, which carry them, and every output shows them as `⟨U+200B⟩` markers through the one
/// sanitizer, so they cannot hide or reorder what an agent reads. Control characters (C0 other
/// than line break and tab, DEL, C1) are refused: they carry no text, PostgreSQL cannot store
/// NUL, and ESC or BEL would drive a terminal that prints a note raw.
pub fn note_body(body: &str) -> Result<String> {
    let b = body.replace("\r\n", "\n").replace('\r', "\n");
    let b = b.trim();
    if b.is_empty() {
        return Err(invalid("body", "required"));
    }
    if let Some(c) = b
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(invalid(
            "body",
            format!(
                "contains a control character (U+{:04X}); only line breaks and tabs are allowed",
                u32::from(c)
            ),
        ));
    }
    if b.chars().count() > NOTE_MAX {
        return Err(invalid(
            "body",
            format!("too long (max {NOTE_MAX} characters)"),
        ));
    }
    Ok(b.to_string())
}

fn discount(bps: i64) -> Result<i64> {
    if (0..=10_000).contains(&bps) {
        Ok(bps)
    } else {
        Err(invalid(
            "discount_bps",
            "must be between 0 and 10000 (100 %)",
        ))
    }
}

pub fn new_group(g: &NewGroup) -> Result<NewGroup> {
    Ok(NewGroup {
        name: line("name", &g.name, NAME_MAX, true)?,
        kind: g.kind,
        discount_bps: discount(g.discount_bps)?,
        description: line("description", &g.description, TEXT_MAX, false)?,
    })
}

pub fn group_json(g: &Group) -> Value {
    json!({"name": g.name, "kind": g.kind, "discount_bps": g.discount_bps,
        "description": g.description, "active": g.active})
}

pub fn patch_group(before: &Group, p: &GroupPatch) -> Result<Option<(Group, Value)>> {
    let mut after = before.clone();
    if let Some(v) = &p.name {
        after.name = line("name", v, NAME_MAX, true)?;
    }
    if let Some(v) = p.kind {
        after.kind = v;
    }
    if let Some(v) = p.discount_bps {
        after.discount_bps = discount(v)?;
    }
    if let Some(v) = &p.description {
        after.description = line("description", v, TEXT_MAX, false)?;
    }
    let mut d = Diff::default();
    d.field("name", &before.name, &after.name);
    d.field("kind", &before.kind, &after.kind);
    d.field("discount_bps", &before.discount_bps, &after.discount_bps);
    d.field("description", &before.description, &after.description);
    Ok((!d.is_empty()).then(|| (after, d.into_json())))
}

pub fn new_custom_field(f: &NewCustomField) -> Result<NewCustomField> {
    let name = f.name.trim();
    let ok = !name.is_empty()
        && name.len() <= 40
        && name.as_bytes()[0].is_ascii_lowercase()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        return Err(invalid(
            "name",
            "use lowercase letters, digits and '_', starting with a letter (max 40)",
        ));
    }
    let mut choices = Vec::new();
    for c in &f.choices {
        let c = line("choices", c, NAME_MAX, true)?;
        if !choices.contains(&c) {
            choices.push(c);
        }
    }
    match (f.kind, choices.is_empty()) {
        (CustomFieldKind::Choice, true) => {
            return Err(invalid("choices", "required for a choice field"));
        }
        (CustomFieldKind::Choice, false) => {}
        (_, false) => return Err(invalid("choices", "only a choice field has choices")),
        (_, true) => {}
    }
    Ok(NewCustomField {
        name: name.to_string(),
        label: line("label", &f.label, NAME_MAX, true)?,
        kind: f.kind,
        choices,
        required: f.required,
    })
}

/// Escapes `%`, `_` and `\` so user text matches literally in `LIKE ... ESCAPE '\'`.
pub fn like_prefix(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
