//! What the console knows about data-subject requests (GDPR): the requests screen (`P` from the
//! list), the erasure dialog over the customer view, the access export in flight, and the forms
//! that log, move on and extend a request with the writes they make. `update/privacy.rs` and
//! `update/erase.rs` change it; `ui/privacy.rs` and `ui/erase.rs` draw it.

use super::form::{Check, Field, Form, Purpose};
use super::state::{Cursor, Load};
use super::write::WriteOp;
use crate::store::model::{Customer, CustomerStatus, PrivacyKind, PrivacyStatus};
use crate::store::privacy::{ERASED, ErasureCounts, PrivacyRequest, transition_allowed};

/// Everything privacy-related in `State`, in one field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gdpr {
    /// The requests screen; kept while a customer opened from it is shown, so Back returns to it.
    pub screen: Option<Requests>,
    /// The erasure dialog over the customer view.
    pub erase: Option<EraseDialog>,
    /// The access export running for a customer (its request), one at a time.
    pub exporting: Option<u64>,
}

/// The queue as the store lists it (open first by due date, then closed) and the customers it
/// names, read together so every row can say who it is about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestRows {
    pub requests: Vec<PrivacyRequest>,
    pub customers: Vec<Customer>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Requests {
    pub rows: Load<RequestRows>,
    pub cursor: Cursor,
    /// A reload after a write, while it runs: the rows on screen stay until it answers.
    pub refresh: Option<u64>,
    /// Something changed while a read ran (which may have missed it): read once more after.
    pub stale: bool,
}

impl Requests {
    pub fn requests(&self) -> &[PrivacyRequest] {
        self.rows.ready().map_or(&[], |r| r.requests.as_slice())
    }
    pub fn selected(&self) -> Option<&PrivacyRequest> {
        self.requests().get(self.cursor.selected)
    }
    /// Who a request is about, unsanitized (the screen sanitizes): the customer's name or email,
    /// the erased placeholder once they are erased, else what the requester gave.
    pub fn who(&self, r: &PrivacyRequest) -> String {
        let found = r.customer_id.and_then(|id| {
            self.rows
                .ready()
                .and_then(|rows| rows.customers.iter().find(|c| c.id == id))
        });
        match (found, r.customer_id) {
            (Some(c), _) if c.status == CustomerStatus::Anonymized => format!("#{} {ERASED}", c.id),
            (Some(c), _) => {
                let name = c.full_name();
                let shown = if name.trim().is_empty() {
                    &c.email
                } else {
                    &name
                };
                format!("#{} {shown}", c.id)
            }
            (None, Some(id)) if r.subject.is_empty() => format!("#{id}"),
            (None, Some(id)) => format!("#{id} {}", r.subject),
            (None, None) => r.subject.clone(),
        }
    }
}

/// Where a request may go from where it is now (`transition_allowed`), in the store's order.
pub fn next_statuses(from: PrivacyStatus) -> Vec<PrivacyStatus> {
    PrivacyStatus::ALL
        .iter()
        .copied()
        .filter(|to| transition_allowed(from, *to))
        .collect()
}

/// Whether the deadline can still be extended: open, and not extended before (the store allows
/// it once).
pub fn extendable(r: &PrivacyRequest) -> bool {
    r.status.is_open() && r.extended_reason.is_none()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EraseField {
    #[default]
    Reason,
    Phrase,
}

/// Erasing a customer cannot be undone, so it asks for more than a key: the counts of what goes,
/// a reason for the audit log, and the customer's own phrase typed exactly.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EraseDialog {
    pub customer: i64,
    /// Who it is, as loaded (the dialog sanitizes it).
    pub who: String,
    pub preview: Load<ErasureCounts>,
    pub reason: String,
    pub typed: String,
    pub focus: EraseField,
    /// The erase request in flight.
    pub saving: Option<u64>,
    pub error: Option<String>,
}

impl EraseDialog {
    pub fn new(customer: i64, who: String, preview: u64) -> EraseDialog {
        EraseDialog {
            customer,
            who,
            preview: Load::Loading(preview),
            ..Default::default()
        }
    }
    /// What must be typed: it names the customer, so a dialog left open on the wrong one
    /// cannot be confirmed from habit.
    pub fn phrase(&self) -> String {
        format!("ERASE {}", self.customer)
    }
    /// Enter erases only when this holds.
    pub fn armed(&self) -> bool {
        self.typed == self.phrase()
            && !self.reason.trim().is_empty()
            && self.preview.ready().is_some()
            && self.saving.is_none()
    }
    /// Why Enter did nothing, for the footer.
    pub fn unarmed_reason(&self) -> String {
        if self.saving.is_some() {
            "erasing…".into()
        } else if self.preview.ready().is_none() {
            "wait for the counts of what will be erased".into()
        } else if self.reason.trim().is_empty() {
            "a reason is required (it is kept in the audit log)".into()
        } else {
            format!("type {} exactly to erase", self.phrase())
        }
    }
    pub fn field(&mut self) -> &mut String {
        match self.focus {
            EraseField::Reason => &mut self.reason,
            EraseField::Phrase => &mut self.typed,
        }
    }
}

/// What is removed and what is kept, as the dialog lists it (count, words).
pub fn erasure_lines(c: &ErasureCounts) -> Vec<(i64, &'static str)> {
    vec![
        (c.addresses, "addresses deleted"),
        (c.notes, "notes deleted"),
        (c.wishlist_items, "wishlist items deleted"),
        (c.events, "engagement events deleted"),
        (c.emails, "emails scrubbed (subject, body)"),
        (c.downloads, "download IPs cleared"),
        (c.merge_aliases, "merged-away emails removed"),
        (c.audit_entries, "audit entries scrubbed"),
        (c.privacy_requests, "privacy requests scrubbed"),
        (c.orders, "orders kept, email and addresses replaced"),
        (c.consent_events, "consent events kept, notes cleared"),
    ]
}

/// The forms of this module, as `Purpose::Privacy`.
#[derive(Debug, Clone, PartialEq)]
pub enum PrivacyForm {
    Log { customer: i64 },
    Status { id: i64, version: i64 },
    Extend { id: i64, version: i64 },
}

const KINDS: [&str; 3] = ["access", "erasure", "rectification"];

/// A request received about this customer; due one month after today (the store stamps it).
pub fn log_form(c: &Customer) -> Form {
    let fields = vec![
        Field::choice("kind", "Kind", "access", &KINDS),
        Field::text("note", "Note", "", Check::Line, false)
            .hint("optional: how it came in; no more personal data than needed"),
    ];
    let title = format!("Log a privacy request for #{}", c.id);
    Form::new(
        title,
        Purpose::Privacy(PrivacyForm::Log { customer: c.id }),
        fields,
    )
}

/// Moves the request on; `None` for a closed one, which goes nowhere.
pub fn status_form(r: &PrivacyRequest) -> Option<Form> {
    let next = next_statuses(r.status);
    let choices: Vec<&str> = next.iter().map(|s| s.as_str()).collect();
    let first = *choices.first()?;
    let fields = vec![
        Field::choice("status", "New status", first, &choices),
        Field::text("note", "Note", "", Check::Line, false)
            .hint("appended to the request's note; required to decline (say why)"),
    ];
    let title = format!("Request #{} ({}): move on", r.id, r.status);
    let purpose = Purpose::Privacy(PrivacyForm::Status {
        id: r.id,
        version: r.version,
    });
    Some(Form::new(title, purpose, fields))
}

pub fn extend_form(r: &PrivacyRequest) -> Form {
    let fields = vec![
        Field::text("reason", "Reason", "", Check::Line, true)
            .hint("why two more months are needed; the deadline extends once only"),
    ];
    let title = format!("Request #{}: extend the deadline by two months", r.id);
    let purpose = Purpose::Privacy(PrivacyForm::Extend {
        id: r.id,
        version: r.version,
    });
    Form::new(title, purpose, fields)
}

/// The write a valid privacy form makes; `Err` names the field that is wrong.
pub fn to_op(form: &Form, p: &PrivacyForm) -> Result<Option<WriteOp>, (String, String)> {
    let note = form.value("note").to_string();
    let op = match *p {
        PrivacyForm::Log { customer } => WriteOp::LogPrivacyRequest {
            customer,
            kind: PrivacyKind::parse(form.value("kind"))
                .ok_or_else(|| ("kind".to_string(), "not a kind of request".to_string()))?,
            note,
        },
        PrivacyForm::Status { id, version } => WriteOp::SetPrivacyStatus {
            id,
            version,
            status: PrivacyStatus::parse(form.value("status"))
                .ok_or_else(|| ("status".to_string(), "not a status".to_string()))?,
            note,
        },
        PrivacyForm::Extend { id, version } => WriteOp::ExtendPrivacyRequest {
            id,
            version,
            reason: form.value("reason").to_string(),
        },
    };
    Ok(Some(op))
}
