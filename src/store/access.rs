//! `StaffAccess`: how a person is proven to be a staff member. Locally by their OS login, over
//! `patron serve` by an SSH key kept in the database (so every server agrees), and the audit of
//! sessions. Managing logins and keys is for admins and audited like every other write.

use async_trait::async_trait;
use serde_json::Value;

use super::Result;
use super::model::*;

/// A public key as `patron staff key add` read it (parsed and fingerprinted by `patron-ssh`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewStaffKey {
    /// `algorithm base64`.
    pub public_key: String,
    pub fingerprint: String,
    pub comment: String,
}

#[async_trait]
pub trait StaffAccess: Send + Sync {
    /// `StaffWork::add_staff` with an explicit OS login (there the login is the username). A
    /// login already someone's is `Conflict`.
    async fn add_staff_with_login(
        &self,
        actor: Option<i64>,
        username: &str,
        display_name: &str,
        role: StaffRole,
        login: &str,
    ) -> Result<Staff>;
    /// Whoever's login this is, active or not; `NotFound` when nobody's.
    async fn staff_by_login(&self, login: &str) -> Result<Staff>;
    /// Moves `username`'s login (admins; audited as "staff.login"). A taken login is `Conflict`.
    async fn set_staff_login(&self, actor: i64, username: &str, login: &str) -> Result<Staff>;

    /// Admins; audited as "staff.key.add". A key already on file (anyone's) is `Conflict`.
    async fn add_staff_key(
        &self,
        actor: i64,
        username: &str,
        key: &NewStaffKey,
    ) -> Result<StaffKey>;
    /// One staff member's keys, or everyone's; by staff member, then when added.
    async fn staff_keys(&self, username: Option<&str>) -> Result<Vec<StaffKey>>;
    /// Admins; audited as "staff.key.remove". `NotFound` for an unknown fingerprint.
    async fn remove_staff_key(&self, actor: i64, fingerprint: &str) -> Result<StaffKey>;
    /// The active staff member holding the key with this fingerprint; `NotFound` for a key
    /// nobody holds or one held by a deactivated member (who must not log in).
    async fn staff_for_key(&self, fingerprint: &str) -> Result<Staff>;

    /// A `patron serve` login or logout ("session.login", "session.logout"), recorded as the
    /// staff member it was; `details` say from where, with which key and for how long.
    async fn audit_session(&self, staff: i64, action: &str, details: Value) -> Result<()>;
}
