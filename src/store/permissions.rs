//! Who may do what, as data: one table of roles and actions that the store enforces on every
//! write and the CLI and console consult before offering or attempting one.

use serde::Serialize;

use super::StoreError;
use super::model::{Staff, StaffRole};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
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
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::ReadAll,
        Action::WriteNote,
        Action::EditOwnNote,
        Action::EditContact,
        Action::EditAddresses,
        Action::ChangeStatus,
        Action::ManageGroups,
        Action::ManageCustomFields,
        Action::DeleteNote,
        Action::Delete,
        Action::Merge,
        Action::ManageLibrary,
        Action::Export,
        Action::ViewAudit,
        Action::ManageStaff,
    ];

    /// Completes "agents cannot ..." and labels the row of the permission table.
    pub fn describe(self) -> &'static str {
        match self {
            Action::ReadAll => "read customers, orders and their history",
            Action::WriteNote => "add and pin notes",
            Action::EditOwnNote => "edit their own notes",
            Action::EditContact => "create customers and edit contact details",
            Action::EditAddresses => "edit addresses",
            Action::ChangeStatus => "change account status",
            Action::ManageGroups => "manage groups and memberships",
            Action::ManageCustomFields => "define custom fields",
            Action::DeleteNote => "delete notes or edit other staff's notes",
            Action::Delete => "delete customers",
            Action::Merge => "merge customers",
            Action::ManageLibrary => "grant, edit, revoke and rebuild library items",
            Action::Export => "export data",
            Action::ViewAudit => "view the global audit log",
            Action::ManageStaff => "manage staff",
        }
    }
}

/// Agents do the daily work on customers; everything that reshapes data or affects other
/// staff stays with admins.
pub fn allowed(role: StaffRole, action: Action) -> bool {
    match role {
        StaffRole::Admin => true,
        StaffRole::Agent => matches!(
            action,
            Action::ReadAll
                | Action::WriteNote
                | Action::EditOwnNote
                | Action::EditContact
                | Action::EditAddresses
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
pub fn refusal(role: StaffRole, action: Action) -> String {
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
pub fn require(staff: &Staff, action: Action) -> Result<(), StoreError> {
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
    for a in Action::ALL {
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
            Action::ReadAll,
            Action::WriteNote,
            Action::EditOwnNote,
            Action::EditContact,
            Action::EditAddresses,
        ];
        for a in Action::ALL {
            assert!(allowed(StaffRole::Admin, a), "{a:?}");
            assert_eq!(allowed(StaffRole::Agent, a), agent.contains(&a), "{a:?}");
        }
    }

    #[test]
    fn refusals_name_the_role_and_who_can() {
        assert_eq!(
            refusal(StaffRole::Agent, Action::ChangeStatus),
            "not allowed: agents cannot change account status (admins can)"
        );
        let inactive = Staff {
            id: 1,
            username: "eve".into(),
            display_name: "Eve".into(),
            role: StaffRole::Admin,
            active: false,
        };
        assert!(require(&inactive, Action::ReadAll).is_err());
    }

    #[test]
    fn the_table_has_a_row_per_action() {
        let t = table();
        assert_eq!(t.lines().count(), 2 + Action::ALL.len());
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
