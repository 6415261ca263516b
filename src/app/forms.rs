//! The console's forms: which fields each one shows, filled from the row being edited, and the
//! write its fields make. Only changed fields go into a patch, so a save never overwrites a value
//! the user did not touch.

use serde_json::{Map, Value};

use super::form::{Check, Field, Form, Purpose, parse_percent};
use super::write::WriteOp;
use crate::store::edit::*;
use crate::store::model::*;

const ACCOUNT: [&str; 2] = ["account", "guest"];
const YES_NO: [&str; 2] = ["no", "yes"];

pub fn create_customer(with_groups: bool) -> Form {
    let mut fields = vec![
        Field::text("email", "Email", "", Check::Email, true),
        Field::text("first_name", "First name", "", Check::Name, true),
        Field::text("last_name", "Last name", "", Check::Name, true),
        Field::text("phone", "Phone", "", Check::Phone, false).hint("like +44 20 7946 0958"),
        Field::text("company", "Company", "", Check::Line, false),
        Field::choice("has_account", "Login account", "account", &ACCOUNT),
    ];
    if with_groups {
        fields.push(
            Field::text("groups", "Groups", "", Check::Line, false)
                .hint("group names, comma-separated"),
        );
    }
    Form::new("New customer", Purpose::CreateCustomer, fields)
}

pub fn edit_customer(c: &Customer, defs: &[CustomFieldDef]) -> Form {
    let consent = if c.marketing_consent { "yes" } else { "no" };
    let mut fields = vec![
        Field::text("email", "Email", &c.email, Check::Email, true),
        Field::text(
            "first_name",
            "First name",
            &c.first_name,
            Check::Name,
            c.has_account,
        ),
        Field::text(
            "last_name",
            "Last name",
            &c.last_name,
            Check::Name,
            c.has_account,
        ),
        Field::text("phone", "Phone", &c.phone, Check::Phone, false),
        Field::text("company", "Company", &c.company, Check::Line, false),
        Field::text("language", "Language", &c.language, Check::Language, true)
            .hint("like en or pt-BR"),
        Field::choice("marketing_consent", "Marketing consent", consent, &YES_NO),
    ];
    for d in defs {
        let value = custom_text(&c.custom_fields, &d.name);
        let key = format!("custom_fields.{}", d.name);
        let label = if d.label.is_empty() {
            &d.name
        } else {
            &d.label
        };
        fields.push(match d.kind {
            CustomFieldKind::Choice => {
                // An empty first choice lets an optional field be cleared.
                let mut choices: Vec<&str> = vec![""];
                choices.extend(d.choices.iter().map(String::as_str));
                let mut f = Field::choice(&key, label, &value, &choices);
                f.required = d.required;
                f
            }
            kind => {
                let check = match kind {
                    CustomFieldKind::Number => Check::Number,
                    CustomFieldKind::Date => Check::Date,
                    _ => Check::Line,
                };
                Field::text(&key, label, &value, check, d.required)
            }
        });
    }
    let title = format!("Edit #{} {}", c.id, c.full_name());
    let purpose = Purpose::EditCustomer {
        id: c.id,
        version: c.version,
    };
    Form::new(title, purpose, fields)
}

/// Rules between fields: a guest (no login account) needs no name.
pub fn adjust(form: &mut Form) {
    if let Purpose::Export { today } = form.purpose {
        super::export::adjust(form, today);
    }
    if form.purpose == Purpose::CreateCustomer {
        let account = form.value("has_account") == "account";
        for key in ["first_name", "last_name"] {
            if let Some(f) = form.field_mut(key) {
                f.required = account;
                if !account && f.value.trim().is_empty() {
                    f.error = None;
                }
            }
        }
    }
}

/// A custom field's stored value as the text a form edits.
pub fn custom_text(values: &Value, name: &str) -> String {
    match values.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

pub fn status(c: &Customer) -> Form {
    let choices = ["active", "disabled", "locked"];
    // Offer the likely change first: deactivating an active account, reactivating otherwise.
    let next = if c.status == CustomerStatus::Active {
        "disabled"
    } else {
        "active"
    };
    let mut f = Field::choice("status", "Status", next, &choices);
    f.original = c.status.as_str().into();
    // A new status needs its own reason: the old one (say, why it was disabled) would otherwise
    // be recorded again with the reactivation. It is shown in the title instead.
    let fields = vec![
        f,
        Field::text("reason", "Reason", "", Check::Line, false).hint("why, for this change"),
    ];
    let now = match c.status_reason.as_deref() {
        Some(r) => format!("{}: {}", c.status, r),
        None => c.status.to_string(),
    };
    let title = format!("Account status of #{} {} (now {now})", c.id, c.full_name());
    let purpose = Purpose::Status {
        id: c.id,
        version: c.version,
        reason: c.status_reason.clone(),
    };
    Form::new(title, purpose, fields)
}

fn address_fields(a: Option<&Address>) -> Vec<Field> {
    let v = |f: fn(&Address) -> &str| a.map(f).unwrap_or("");
    let kind = a.map_or("shipping", |a| a.kind.as_str());
    vec![
        Field::choice("kind", "Kind", kind, &["shipping", "billing"]),
        Field::text(
            "first_name",
            "First name",
            v(|a| &a.first_name),
            Check::Name,
            false,
        ),
        Field::text(
            "last_name",
            "Last name",
            v(|a| &a.last_name),
            Check::Name,
            false,
        ),
        Field::text("company", "Company", v(|a| &a.company), Check::Line, false),
        Field::text("address1", "Street", v(|a| &a.address1), Check::Line, true),
        Field::text(
            "address2",
            "Street 2",
            v(|a| &a.address2),
            Check::Line,
            false,
        ),
        Field::text("city", "City", v(|a| &a.city), Check::Line, true),
        Field::text(
            "province",
            "Province",
            v(|a| &a.province),
            Check::Line,
            false,
        ),
        Field::text(
            "postal_code",
            "Postal code",
            v(|a| &a.postal_code),
            Check::Line,
            false,
        ),
        Field::text(
            "country",
            "Country",
            v(|a| &a.country),
            Check::Country,
            true,
        ),
        Field::text("phone", "Phone", v(|a| &a.phone), Check::Phone, false),
    ]
}

pub fn new_address(customer: i64) -> Form {
    Form::new(
        "New address",
        Purpose::NewAddress { customer },
        address_fields(None),
    )
}

pub fn edit_address(a: &Address, customer_version: i64) -> Form {
    Form::new(
        format!("Edit address: {}", a.one_line()),
        Purpose::EditAddress {
            address: a.id,
            version: customer_version,
        },
        address_fields(Some(a)),
    )
}

fn group_fields(g: Option<&Group>) -> Vec<Field> {
    let kinds: Vec<&str> = GroupKind::ALL.iter().map(|k| k.as_str()).collect();
    let discount = g.map_or("0".into(), |g| format_percent(g.discount_bps));
    vec![
        Field::text("name", "Name", g.map_or("", |g| &g.name), Check::Line, true),
        Field::choice(
            "kind",
            "Kind",
            g.map_or("custom", |g| g.kind.as_str()),
            &kinds,
        ),
        Field::text("discount", "Discount %", &discount, Check::Percent, true)
            .hint("0 to 100, like 12.5"),
        Field::text(
            "description",
            "Description",
            g.map_or("", |g| &g.description),
            Check::Line,
            false,
        ),
    ]
}

pub fn format_percent(bps: i64) -> String {
    let whole = bps / 100;
    match bps % 100 {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

pub fn new_group() -> Form {
    Form::new("New group", Purpose::NewGroup, group_fields(None))
}

pub fn edit_group(g: &Group) -> Form {
    Form::new(
        format!("Edit group {}", g.name),
        Purpose::EditGroup { id: g.id },
        group_fields(Some(g)),
    )
}

/// `b` on the account review: why these IPs are blocked (stored with the block, like
/// `patron review block --reason`). Ctrl-S blocks; Esc cancels.
pub fn block_ips(title: String, ips: Vec<String>) -> Form {
    let fields = vec![
        Field::text("reason", "Reason", "", Check::Line, true)
            .hint("like spam registrations; Ctrl-S blocks"),
    ];
    Form::new(title, Purpose::BlockIps { ips }, fields)
}

pub fn edit_field(d: &CustomFieldDef) -> Form {
    let required = if d.required { "yes" } else { "no" };
    let fields = vec![
        Field::text("label", "Label", &d.label, Check::Line, true),
        Field::choice("required", "Required", required, &YES_NO),
    ];
    Form::new(
        format!("Edit custom field {} ({})", d.name, d.kind.as_str()),
        Purpose::EditField { id: d.id },
        fields,
    )
}

pub fn new_field() -> Form {
    let kinds: Vec<&str> = CustomFieldKind::ALL.iter().map(|k| k.as_str()).collect();
    let fields = vec![
        Field::text("name", "Name", "", Check::Identifier, true).hint("like vat_id"),
        Field::text("label", "Label", "", Check::Line, true),
        Field::choice("kind", "Type", "text", &kinds),
        Field::text("choices", "Choices", "", Check::Line, false)
            .hint("comma-separated, for type choice"),
        Field::choice("required", "Required", "no", &YES_NO),
    ];
    Form::new("New custom field", Purpose::NewField, fields)
}

fn csv_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// The write a valid form makes; `Err` names the field (or the form) that is wrong.
/// `groups` resolves group names typed into the new-customer form.
pub fn to_op(form: &Form, groups: &[Group]) -> Result<Option<WriteOp>, (String, String)> {
    let v = |k: &str| form.value(k).to_string();
    let op = match &form.purpose {
        Purpose::AddLibraryItem { .. } | Purpose::EditLibraryItem { .. } => {
            return super::library::to_op(form);
        }
        // Not writes: `update::export` runs them before a form is turned into one.
        Purpose::Export { .. } | Purpose::ListFilter => return Ok(None),
        Purpose::SaveView { definition } => super::views::save_op(form, definition),
        Purpose::Privacy(p) => return super::privacy::to_op(form, p),
        Purpose::CreateCustomer => {
            let mut group_ids = Vec::new();
            for name in csv_list(form.value("groups")) {
                match groups.iter().find(|g| g.name.eq_ignore_ascii_case(&name)) {
                    Some(g) => group_ids.push(g.id),
                    None => return Err(("groups".into(), format!("no group named {name:?}"))),
                }
            }
            WriteOp::CreateCustomer(NewCustomer {
                email: v("email"),
                first_name: v("first_name"),
                last_name: v("last_name"),
                phone: v("phone"),
                company: v("company"),
                has_account: form.value("has_account") == "account",
                group_ids,
            })
        }
        Purpose::EditCustomer { id, version } => {
            let mut custom = Map::new();
            for f in form.fields.iter().filter(|f| f.changed()) {
                if let Some(name) = f.key.strip_prefix("custom_fields.") {
                    custom.insert(name.into(), Value::String(f.value.trim().into()));
                }
            }
            let patch = CustomerPatch {
                email: form.changed("email"),
                first_name: form.changed("first_name"),
                last_name: form.changed("last_name"),
                phone: form.changed("phone"),
                company: form.changed("company"),
                language: form.changed("language"),
                marketing_consent: form.changed("marketing_consent").map(|x| x == "yes"),
                custom_fields: (!custom.is_empty()).then_some(custom),
            };
            if patch.is_empty() {
                return Ok(None);
            }
            WriteOp::UpdateCustomer {
                id: *id,
                version: *version,
                patch,
            }
        }
        Purpose::Status {
            id,
            version,
            reason: old,
        } => {
            let status =
                CustomerStatus::parse(form.value("status")).unwrap_or(CustomerStatus::Active);
            let reason = form.value("reason");
            let same_status = form
                .fields
                .iter()
                .any(|f| f.key == "status" && !f.changed());
            if same_status && (reason.is_empty() || Some(reason) == old.as_deref()) {
                return Ok(None);
            }
            if status != CustomerStatus::Active && reason.is_empty() {
                return Err(("reason".into(), "required to disable or lock".into()));
            }
            WriteOp::SetStatus {
                id: *id,
                version: *version,
                status,
                reason: v("reason"),
            }
        }
        Purpose::NewAddress { customer } => WriteOp::AddAddress {
            customer: *customer,
            new: NewAddress {
                kind: AddressKind::parse(form.value("kind")).unwrap_or(AddressKind::Shipping),
                first_name: v("first_name"),
                last_name: v("last_name"),
                company: v("company"),
                address1: v("address1"),
                address2: v("address2"),
                city: v("city"),
                province: v("province"),
                postal_code: v("postal_code"),
                country: v("country").to_uppercase(),
                phone: v("phone"),
                default_billing: false,
                default_shipping: false,
            },
        },
        Purpose::EditAddress { address, version } => {
            let patch = AddressPatch {
                kind: form.changed("kind").and_then(|k| AddressKind::parse(&k)),
                first_name: form.changed("first_name"),
                last_name: form.changed("last_name"),
                company: form.changed("company"),
                address1: form.changed("address1"),
                address2: form.changed("address2"),
                city: form.changed("city"),
                province: form.changed("province"),
                postal_code: form.changed("postal_code"),
                country: form.changed("country").map(|c| c.to_uppercase()),
                phone: form.changed("phone"),
            };
            if patch == AddressPatch::default() {
                return Ok(None);
            }
            WriteOp::UpdateAddress {
                address: *address,
                version: *version,
                patch,
            }
        }
        Purpose::NewGroup => WriteOp::CreateGroup(NewGroup {
            name: v("name"),
            kind: GroupKind::parse(form.value("kind")).unwrap_or(GroupKind::Custom),
            discount_bps: parse_percent(form.value("discount")).unwrap_or(0),
            description: v("description"),
        }),
        Purpose::EditGroup { id } => {
            let patch = GroupPatch {
                name: form.changed("name"),
                kind: form.changed("kind").and_then(|k| GroupKind::parse(&k)),
                discount_bps: form.changed("discount").and_then(|d| parse_percent(&d)),
                description: form.changed("description"),
            };
            if patch == GroupPatch::default() {
                return Ok(None);
            }
            WriteOp::UpdateGroup { id: *id, patch }
        }
        Purpose::EditField { id } => {
            let patch = CustomFieldPatch {
                label: form.changed("label"),
                required: form.changed("required").map(|r| r == "yes"),
            };
            if patch == CustomFieldPatch::default() {
                return Ok(None);
            }
            WriteOp::UpdateField { id: *id, patch }
        }
        Purpose::BlockIps { ips } => WriteOp::BlockIps {
            ips: ips.clone(),
            reason: v("reason").trim().to_string(),
        },
        Purpose::NewField => {
            let kind = CustomFieldKind::parse(form.value("kind")).unwrap_or(CustomFieldKind::Text);
            let choices = csv_list(form.value("choices"));
            if kind == CustomFieldKind::Choice && choices.is_empty() {
                return Err(("choices".into(), "a choice field needs choices".into()));
            }
            WriteOp::DefineField(NewCustomField {
                name: v("name"),
                label: v("label"),
                kind,
                choices,
                required: form.value("required") == "yes",
            })
        }
    };
    Ok(Some(op))
}

/// After a version conflict: keep what the user typed, show beside each field what the other
/// person saved, and take the new version so the next Ctrl-S re-applies the edit on top.
pub fn show_conflict(form: &mut Form, current: &Customer) {
    // The status form's reason field starts empty (a new reason), so theirs is news only when
    // the stored reason itself moved on.
    let reason_moved = match &form.purpose {
        Purpose::Status { reason, .. } => *reason != current.status_reason,
        _ => true,
    };
    let theirs = |key: &str| -> Option<String> {
        Some(match key {
            "email" => current.email.clone(),
            "first_name" => current.first_name.clone(),
            "last_name" => current.last_name.clone(),
            "phone" => current.phone.clone(),
            "company" => current.company.clone(),
            "language" => current.language.clone(),
            "marketing_consent" => (if current.marketing_consent {
                "yes"
            } else {
                "no"
            })
            .into(),
            "status" => current.status.as_str().into(),
            "reason" if !reason_moved => return None,
            "reason" => current.status_reason.clone().unwrap_or_default(),
            k => custom_text(&current.custom_fields, k.strip_prefix("custom_fields.")?),
        })
    };
    let mut changed = Vec::new();
    for f in form.fields.iter_mut() {
        if let Some(t) = theirs(&f.key).filter(|t| t.trim() != f.original.trim()) {
            changed.push(format!("{} → {:?}", f.label, t));
            f.theirs = Some(t.clone());
            // Fields the user left alone follow the other change; edited ones keep the user's value.
            if !f.changed() {
                f.value = t.clone();
                f.cursor = f.value.chars().count();
            }
            f.original = t;
        }
    }
    match &mut form.purpose {
        Purpose::EditCustomer { version, .. } => *version = current.version,
        Purpose::Status {
            version, reason, ..
        } => {
            *version = current.version;
            *reason = current.status_reason.clone();
        }
        Purpose::EditAddress { version, .. } => *version = current.version,
        _ => {}
    }
    let what = if changed.is_empty() {
        "their change does not touch these fields".to_string()
    } else {
        format!("their change: {}", changed.join(", "))
    };
    form.error = Some(format!(
        "Not saved: someone else changed this customer (now version {}); {what}. Your edit is kept — check it and press Ctrl-S to save it on top.",
        current.version
    ));
}

#[cfg(test)]
#[path = "forms_tests.rs"]
mod tests;
