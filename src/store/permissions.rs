//! Who may do what, as data: one table of roles and actions that the store enforces on every
//! write and the CLI and console consult before offering or attempting one.

use serde::Serialize;

use super::StoreError;
use super::model::{Staff, StaffRole};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ReadAll,
    WriteNote,
    EditContact,
    EditAddresses,
    ChangeStatus,
    ManageGroups,
    ManageCustomFields,
    Delete,
    Merge,
    ManageLibrary,
    Export,
    ViewAudit,
    ManageStaff,
    EditOwnNote,
    DeleteNote,
    ReviewAccounts,
    RefreshScores,
    RecordConsent,
    SendEmail,
    LogPrivacyRequest,
    HandlePrivacy,
    ShareViews,
}

impl Permission {
    pub const ALL: [Permission; 22] = [
        Permission::ReadAll,
        Permission::WriteNote,
        Permission::EditOwnNote,
        Permission::EditContact,
        Permission::EditAddresses,
        Permission::ChangeStatus,
        Permission::ManageGroups,
        Permission::ManageCustomFields,
        Permission::DeleteNote,
        Permission::Delete,
        Permission::ReviewAccounts,
        Permission::RefreshScores,
        Permission::Merge,
        Permission::ManageLibrary,
        Permission::RecordConsent,
        Permission::SendEmail,
        Permission::LogPrivacyRequest,
        Permission::Export,
        Permission::HandlePrivacy,
        Permission::ShareViews,
        Permission::ViewAudit,
        Permission::ManageStaff,
    ];

    /// Completes "agents cannot ..." and labels the row of the permission table.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadAll => "read customers, orders and their history",
            Permission::WriteNote => "add and pin notes",
            Permission::EditOwnNote => "edit their own notes",
            Permission::EditContact => "create customers and edit contact details",
            Permission::EditAddresses => "edit addresses",
            Permission::ChangeStatus => "change account status",
            Permission::ManageGroups => "manage groups and memberships",
            Permission::ManageCustomFields => "define custom fields",
            Permission::DeleteNote => "delete notes or edit other staff's notes",
            Permission::Delete => "delete customers",
            Permission::ReviewAccounts => "open the account review",
            Permission::RefreshScores => {
                "refit the customer-value model (applying the group rules)"
            }
            Permission::Merge => "merge customers",
            Permission::ManageLibrary => "grant, edit, revoke and rebuild library items",
            Permission::Export => "export data",
            Permission::RecordConsent => "record a consent grant or withdrawal",
            Permission::SendEmail => "write to customers by email",
            Permission::LogPrivacyRequest => {
                "log a privacy request (access, erasure, rectification)"
            }
            Permission::HandlePrivacy => {
                "handle privacy requests and erase a customer's personal data"
            }
            Permission::ShareViews => "share saved views of the customer list with all staff",
            Permission::ViewAudit => "view the global audit log",
            Permission::ManageStaff => "manage staff",
        }
    }
}

/// Agents do the daily work on customers; everything that reshapes data or affects other
/// staff stays with admins.
pub fn allowed(role: StaffRole, action: Permission) -> bool {
    match role {
        StaffRole::Admin => true,
        StaffRole::Agent => matches!(
            action,
            Permission::ReadAll
                | Permission::WriteNote
                | Permission::EditOwnNote
                | Permission::EditContact
                | Permission::EditAddresses
                // What a customer says on the phone is recorded by whoever takes the call.
                | Permission::RecordConsent
                // Answering a customer by email is the same daily work as the phone.
                | Permission::SendEmail
                | Permission::LogPrivacyRequest
                // Refitting only recomputes: the rules it applies are an admin's to set.
                | Permission::RefreshScores
        ),
    }
}

fn plural(role: StaffRole) -> &'static str {
    match role {
        StaffRole::Agent => "agents",
        StaffRole::Admin => "admins",
    }
}

/// "not allowed: agents cannot change account status (admins can)".
pub fn refusal(role: StaffRole, action: Permission) -> String {
    let can: Vec<&str> = StaffRole::ALL
        .iter()
        .filter(|r| allowed(**r, action))
        .map(|r| plural(*r))
        .collect();
    let who = if can.is_empty() {
        "nobody can".to_string()
    } else {
        format!("{} can", can.join(" and "))
    };
    format!(
        "not allowed: {} cannot {} ({who})",
        plural(role),
        action.describe()
    )
}

/// Refuses inactive staff and actions their role does not allow.
pub fn require(staff: &Staff, action: Permission) -> Result<(), StoreError> {
    if !staff.active {
        return Err(StoreError::Forbidden(format!(
            "not allowed: staff member {:?} is deactivated",
            staff.username
        )));
    }
    if allowed(staff.role, action) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(refusal(staff.role, action)))
    }
}

/// The permission table as Markdown (docs/STAFF.md and `patron staff roles` print it).
pub fn table() -> String {
    let mut out = String::from("| action | agent | admin |\n|---|:-:|:-:|\n");
    for a in Permission::ALL {
        let mark = |r| if allowed(r, a) { "yes" } else { "-" };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            a.describe(),
            mark(StaffRole::Agent),
            mark(StaffRole::Admin)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_do_daily_work_and_admins_everything() {
        let agent = [
            Permission::ReadAll,
            Permission::WriteNote,
            Permission::EditOwnNote,
            Permission::EditContact,
            Permission::EditAddresses,
            Permission::RefreshScores,
            Permission::RecordConsent,
            Permission::SendEmail,
            Permission::LogPrivacyRequest,
        ];
        for a in Permission::ALL {
            assert!(allowed(StaffRole::Admin, a), "{a:?}");
            assert_eq!(allowed(StaffRole::Agent, a), agent.contains(&a), "{a:?}");
        }
    }

    #[test]
    fn refusals_name_the_role_and_who_can() {
        assert_eq!(
            refusal(StaffRole::Agent, Permission::ChangeStatus),
            "not allowed: agents cannot change account status (admins can)"
        );
        let inactive = Staff {
            id: 1,
            username: "eve".into(),
            display_name: "Eve".into(),
            role: StaffRole::Admin,
            active: false,
            login: Some("eve".into()),
        };
        assert!(require(&inactive, Permission::ReadAll).is_err());
    }

    #[test]
    fn the_table_has_a_row_per_action() {
        let t = table();
        assert_eq!(t.lines().count(), 2 + Permission::ALL.len());
        assert!(t.contains("| change account status | - | yes |"), "{t}");
    }

    #[test]
    fn the_documented_table_is_the_real_one() {
        for (name, doc) in [
            ("docs/STAFF.md", include_str!("../../docs/STAFF.md")),
            ("README.md", include_str!("../../README.md")),
        ] {
            assert!(doc.contains(&table()), "update {name}:\n{}", table());
        }
    }
}
