//! A customer's timeline: notes, orders, emails, help-desk tickets (opened, solved) and audited
//! changes merged newest first.
//!
//! Built from the ordinary reads, so both backends share it and it stays as fast as its parts:
//! each source contributes at most `limit` rows before the merge.

use patron_domain::money::format_amount;
use serde_json::Value;

use super::model::*;
use super::tickets::Ticket;

/// "note.add" entries are left out: the note itself is already on the timeline.
const HIDDEN_AUDIT: &[&str] = &["note.add"];

/// What the timeline is made of, each already read for one customer.
pub struct Sources<'a> {
    pub notes: &'a [Note],
    pub orders: &'a [Order],
    pub emails: &'a [Email],
    pub audit: &'a [AuditEntry],
    pub tickets: &'a [Ticket],
}

pub fn merge(src: Sources<'_>, limit: usize) -> Vec<ActivityItem> {
    let Sources {
        notes,
        orders,
        emails,
        audit,
        tickets,
    } = src;
    let mut items: Vec<ActivityItem> = Vec::new();
    // A note an admin wrote as someone else names both, like its (hidden) audit entry does.
    let written_by = |note: i64| {
        audit
            .iter()
            .find(|a| a.action == "note.add" && a.details["note_id"] == note)
            .and_then(|a| a.real_staff.clone())
    };
    items.extend(notes.iter().map(|n| ActivityItem {
        kind: ActivityKind::Note,
        at: n.created_at,
        summary: note_summary(n),
        staff: match (written_by(n.id), &n.author) {
            (Some(real), Some(author)) => Some(format!("{real} for {author}")),
            (_, author) => author.clone(),
        },
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
    // A ticket is two moments: when it was opened and, once solved, when it was solved.
    for t in tickets {
        items.push(ActivityItem {
            kind: ActivityKind::Ticket,
            at: t.created_at,
            summary: format!(
                "ticket opened: {:?} ({}, {})",
                t.subject,
                t.status.as_str(),
                t.priority
            ),
            staff: None,
            ref_id: Some(t.id),
        });
        if let Some(at) = t.solved_at {
            let rating = match (t.satisfaction_score, t.satisfaction.as_str()) {
                (Some(n), _) => format!(", rated {n}/5"),
                (None, "none") => String::new(),
                (None, r) => format!(", rated {r}"),
            };
            items.push(ActivityItem {
                kind: ActivityKind::Ticket,
                at,
                summary: format!("ticket solved: {:?}{rating}", t.subject),
                staff: None,
                ref_id: Some(t.id),
            });
        }
    }
    items.extend(
        audit
            .iter()
            .filter(|a| !HIDDEN_AUDIT.contains(&a.action.as_str()))
            .map(|a| ActivityItem {
                kind: ActivityKind::Audit,
                at: a.created_at,
                summary: audit_summary(&a.action, &a.details),
                staff: a.who(),
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
        "customer.delete" => format!(
            "customer deleted ({})",
            short(&details["snapshot"]["email"])
        ),
        "customer.link_guest_orders" => {
            let n = details["orders"].as_i64().unwrap_or(0);
            format!("{n} guest order{} linked", if n == 1 { "" } else { "s" })
        }
        "ip.block" => format!(
            "IP {} blocked ({})",
            short(&details["ip"]),
            short(&details["reason"])
        ),
        "ip.unblock" => format!("IP {} unblocked", short(&details["ip"])),
        "library.add" => format!(
            "library item #{} granted ({})",
            id("item_id"),
            short(&after["source"])
        ),
        "library.edit" => format!("library item #{} changed {}", id("item_id"), changed(after)),
        "library.revoke" => format!("library item #{} revoked", id("item_id")),
        "consent.grant" | "consent.withdraw" => {
            let mut s = format!(
                "consent to {} {} ({})",
                short(&details["purpose"]).replace('_', " "),
                if action == "consent.grant" {
                    "given"
                } else {
                    "withdrawn"
                },
                short(&details["source"])
            );
            if let Some(n) = details["note"].as_str().filter(|n| !n.is_empty()) {
                s.push_str(&format!(": {n}"));
            }
            s
        }
        "library.rebuild" => {
            let n = |k: &str| details[k].as_array().map_or(0, Vec::len);
            format!(
                "library rebuilt: {} added, {} revoked",
                n("added"),
                n("revoked")
            )
        }
        "library.fold" => {
            let n = details["revoked"].as_array().map_or(0, Vec::len);
            format!(
                "{n} duplicate library item{} revoked",
                if n == 1 { "" } else { "s" }
            )
        }
        "staff.update" => format!(
            "staff member {} changed {}",
            short(&details["username"]),
            changed(after)
        ),
        "staff.add" => format!(
            "staff member {} added ({})",
            short(&after["username"]),
            short(&after["role"])
        ),
        "staff.login" => format!(
            "staff member {} now acts for OS user {}",
            short(&details["username"]),
            short(&after["login"])
        ),
        "staff.key.add" => format!(
            "SSH key {} added for {}",
            short(&details["fingerprint"]),
            short(&details["username"])
        ),
        "staff.key.remove" => format!(
            "SSH key {} of {} removed",
            short(&details["fingerprint"]),
            short(&details["username"])
        ),
        "session.login" => format!(
            "logged in over SSH from {} with key {}",
            short(&details["address"]),
            short(&details["fingerprint"])
        ),
        "session.logout" => {
            let secs = details["seconds"].as_u64().unwrap_or(0);
            let how = if details["panicked"] == Value::Bool(true) {
                " (the session failed)"
            } else {
                ""
            };
            format!(
                "logged out after {}m {:02}s from {}{how}",
                secs / 60,
                secs % 60,
                short(&details["address"])
            )
        }
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
        "view.save" | "view.delete" => {
            let whose = if details["shared"] == Value::Bool(true) {
                "shared view"
            } else {
                "saved view"
            };
            let what = match action {
                "view.delete" => "deleted",
                _ if details["replaced"] == Value::Bool(true) => "replaced",
                _ => "saved",
            };
            format!("{whose} {:?} {what}", short(&details["name"]))
        }
        "privacy.log" => format!(
            "{} request #{} logged, due {}",
            short(&details["kind"]),
            id("request_id"),
            short(&details["due_at"]).get(..10).unwrap_or("-")
        ),
        "privacy.extend" => format!(
            "privacy request #{} extended to {}",
            id("request_id"),
            short(&after["due_at"]).get(..10).unwrap_or("-")
        ),
        "privacy.status" => format!(
            "privacy request #{} {} → {}",
            id("request_id"),
            short(&before["status"]),
            short(&after["status"])
        ),
        "privacy.export" => "personal data exported (access request)".into(),
        "customer.erase" => format!("personal data erased ({})", short(&details["reason"])),
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

    /// Every action the store writes reads as a sentence, never as its own name (D13).
    #[test]
    fn every_audited_action_has_a_sentence() {
        let cases = [
            (
                "customer.delete",
                json!({"snapshot": {"email": "a@b.c"}}),
                "customer deleted (a@b.c)",
            ),
            (
                "customer.link_guest_orders",
                json!({"orders": 3, "from_guest_customers": [7, 9]}),
                "3 guest orders linked",
            ),
            (
                "ip.block",
                json!({"ip": "10.0.0.1", "reason": "spam"}),
                "IP 10.0.0.1 blocked (spam)",
            ),
            (
                "ip.unblock",
                json!({"ip": "10.0.0.1"}),
                "IP 10.0.0.1 unblocked",
            ),
            (
                "library.add",
                json!({"item_id": 5, "after": {"source": "gift"}}),
                "library item #5 granted (gift)",
            ),
            (
                "library.edit",
                json!({"item_id": 5, "after": {"note": "x"}}),
                "library item #5 changed note",
            ),
            (
                "library.revoke",
                json!({"item_id": 5}),
                "library item #5 revoked",
            ),
            (
                "consent.grant",
                json!({"purpose": "marketing_sms", "source": "staff", "note": "on the phone"}),
                "consent to marketing sms given (staff): on the phone",
            ),
            (
                "consent.withdraw",
                json!({"purpose": "marketing_email", "source": "storefront", "note": ""}),
                "consent to marketing email withdrawn (storefront)",
            ),
            (
                "view.save",
                json!({"name": "VIP", "shared": true, "replaced": false}),
                "shared view \"VIP\" saved",
            ),
            (
                "view.save",
                json!({"name": "Mine", "shared": false, "replaced": true}),
                "saved view \"Mine\" replaced",
            ),
            (
                "view.delete",
                json!({"name": "Mine", "shared": false}),
                "saved view \"Mine\" deleted",
            ),
            (
                "library.rebuild",
                json!({"added": [{"product_id": 1}], "revoked": []}),
                "library rebuilt: 1 added, 0 revoked",
            ),
            (
                "library.fold",
                json!({"revoked": [{"item_id": 2}]}),
                "1 duplicate library item revoked",
            ),
            (
                "staff.update",
                json!({"username": "bob", "after": {"role": "admin"}}),
                "staff member bob changed role",
            ),
            (
                "staff.login",
                json!({"username": "bob", "before": {"login": "bob"}, "after": {"login": "r.jones"}}),
                "staff member bob now acts for OS user r.jones",
            ),
            (
                "staff.key.add",
                json!({"username": "bob", "fingerprint": "SHA256:abc"}),
                "SSH key SHA256:abc added for bob",
            ),
            (
                "staff.key.remove",
                json!({"username": "bob", "fingerprint": "SHA256:abc"}),
                "SSH key SHA256:abc of bob removed",
            ),
            (
                "session.login",
                json!({"address": "10.0.0.5:51234", "fingerprint": "SHA256:abc"}),
                "logged in over SSH from 10.0.0.5:51234 with key SHA256:abc",
            ),
            (
                "session.logout",
                json!({"address": "10.0.0.5:51234", "seconds": 125, "panicked": false}),
                "logged out after 2m 05s from 10.0.0.5:51234",
            ),
            (
                "session.logout",
                json!({"address": "10.0.0.5:51234", "seconds": 3, "panicked": true}),
                "logged out after 0m 03s from 10.0.0.5:51234 (the session failed)",
            ),
            (
                "privacy.log",
                json!({"request_id": 4, "kind": "erasure", "due_at": "2025-02-28T09:00:00+00:00"}),
                "erasure request #4 logged, due 2025-02-28",
            ),
            (
                "privacy.extend",
                json!({"request_id": 4, "after": {"due_at": "2025-04-28T09:00:00+00:00"}}),
                "privacy request #4 extended to 2025-04-28",
            ),
            (
                "privacy.status",
                json!({"request_id": 4, "before": {"status": "pending"}, "after": {"status": "in_progress"}}),
                "privacy request #4 pending → in_progress",
            ),
            (
                "privacy.export",
                json!({"counts": {"orders": 3}}),
                "personal data exported (access request)",
            ),
            (
                "customer.erase",
                json!({"reason": "request #4", "counts": {"notes": 2}}),
                "personal data erased (request #4)",
            ),
        ];
        for (action, details, want) in cases {
            assert_eq!(audit_summary(action, &details), want, "{action}");
        }
    }
}
