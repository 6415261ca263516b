//! A customer's timeline: notes, orders, emails and audited changes merged newest first.
//!
//! Built from the ordinary reads, so both backends share it and it stays as fast as its parts:
//! each source contributes at most `limit` rows before the merge.

use patron_domain::money::format_amount;
use serde_json::Value;

use super::model::*;

/// "note.add" entries are left out: the note itself is already on the timeline.
const HIDDEN_AUDIT: &[&str] = &["note.add"];

pub fn merge(
    notes: &[Note],
    orders: &[Order],
    emails: &[Email],
    audit: &[AuditEntry],
    limit: usize,
) -> Vec<ActivityItem> {
    let mut items: Vec<ActivityItem> = Vec::new();
    items.extend(notes.iter().map(|n| ActivityItem {
        kind: ActivityKind::Note,
        at: n.created_at,
        summary: note_summary(n),
        staff: n.author.clone(),
        ref_id: Some(n.id),
    }));
    items.extend(orders.iter().map(|o| ActivityItem {
        kind: ActivityKind::Order,
        at: o.placed_at,
        summary: format!(
            "order #{} {} {} / {}",
            o.number,
            format_amount(o.total, &o.currency),
            o.status,
            o.payment_status
        ),
        staff: None,
        ref_id: Some(o.id),
    }));
    items.extend(emails.iter().map(|e| ActivityItem {
        kind: ActivityKind::Email,
        at: e.created_at,
        summary: format!("email {:?} {}", e.subject, e.status),
        staff: None,
        ref_id: Some(e.id),
    }));
    items.extend(
        audit
            .iter()
            .filter(|a| !HIDDEN_AUDIT.contains(&a.action.as_str()))
            .map(|a| ActivityItem {
                kind: ActivityKind::Audit,
                at: a.created_at,
                summary: audit_summary(&a.action, &a.details),
                staff: a.staff.clone(),
                ref_id: Some(a.id),
            }),
    );
    // Ties (same second) keep a stable order: higher ids were written later.
    items.sort_by(|a, b| b.at.cmp(&a.at).then(b.ref_id.cmp(&a.ref_id)));
    items.truncate(limit);
    items
}

fn note_summary(n: &Note) -> String {
    let first = n.body.lines().next().unwrap_or("");
    let mut s: String = first.chars().take(80).collect();
    if s.len() < first.len() || n.body.lines().nth(1).is_some() {
        s.push('…');
    }
    let pin = if n.pinned { "pinned note: " } else { "note: " };
    format!("{pin}{s}")
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn changed(after: &Value) -> String {
    match after.as_object() {
        Some(fields) if !fields.is_empty() => fields.keys().cloned().collect::<Vec<_>>().join(", "),
        _ => "nothing".into(),
    }
}

/// One line for an audit entry, e.g. "status active → locked (chargeback)".
pub fn audit_summary(action: &str, details: &Value) -> String {
    let (before, after) = (&details["before"], &details["after"]);
    let id = |key: &str| short(&details[key]);
    match action {
        "customer.create" => "customer created".into(),
        "customer.update" => format!("changed {}", changed(after)),
        "customer.status" => {
            let mut s = format!(
                "status {} → {}",
                short(&before["status"]),
                short(&after["status"])
            );
            if let Some(r) = after["status_reason"].as_str() {
                s.push_str(&format!(" ({r})"));
            }
            s
        }
        "note.add" => format!("note #{} added", id("note_id")),
        "note.edit" => format!("note #{} edited", id("note_id")),
        "note.delete" => format!("note #{} deleted", id("note_id")),
        "note.pin" => {
            let what = if after["pinned"] == Value::Bool(true) {
                "pinned"
            } else {
                "unpinned"
            };
            format!("note #{} {what}", id("note_id"))
        }
        "address.add" => format!(
            "address #{} added ({})",
            id("address_id"),
            short(&after["city"])
        ),
        "address.update" => format!("address #{} changed {}", id("address_id"), changed(after)),
        "address.delete" => format!("address #{} deleted", id("address_id")),
        "address.default" => format!(
            "default {} address → #{}",
            short(&details["kind"]),
            short(&after["default_address_id"])
        ),
        "address.verification" => format!(
            "address #{} {}",
            id("address_id"),
            short(&after["verification"])
        ),
        "membership.set" => format!(
            "group {:?}: {} → {}",
            short(&details["group"]),
            short(&before["status"]),
            short(&after["status"])
        ),
        "membership.remove" => format!("left group #{}", id("group_id")),
        "group.create" => format!(
            "group #{} {:?} created",
            id("group_id"),
            short(&after["name"])
        ),
        "group.update" => format!("group #{} changed {}", id("group_id"), changed(after)),
        "group.active" => {
            let what = if after["active"] == Value::Bool(true) {
                "enabled"
            } else {
                "disabled"
            };
            format!("group #{} {what}", id("group_id"))
        }
        "customer.merge" => format!("#{} merged into this account", id("source_id")),
        "customer.merged_into" => format!("merged into #{}", id("target_id")),
        "staff.add" => format!(
            "staff member {} added ({})",
            short(&after["username"]),
            short(&after["role"])
        ),
        "field.update" => format!(
            "custom field {} changed (label {}, required {})",
            short(&details["name"]),
            short(&after["label"]),
            short(&after["required"])
        ),
        "field.delete" => format!("custom field {} deleted", short(&details["before"]["name"])),
        "field.define" => format!(
            "custom field {} defined ({})",
            short(&after["name"]),
            short(&after["kind"])
        ),
        a if a.starts_with("import.") => format!("imported {} rows", short(&details["rows"])),
        _ => action.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::audit_summary;

    #[test]
    fn a_merge_reads_as_a_sentence_on_both_accounts() {
        let d = json!({"merge_id": 3, "source_id": 7, "target_id": 42});
        assert_eq!(
            audit_summary("customer.merge", &d),
            "#7 merged into this account"
        );
        assert_eq!(audit_summary("customer.merged_into", &d), "merged into #42");
    }
}
