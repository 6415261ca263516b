//! `patron staff add|list|roles`, and who is acting: `--as`, else $PATRON_STAFF, else the OS user.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail, eyre};
use patron_domain::sanitize::display;

use super::output::{cell, json};
use crate::store::model::{Staff, StaffRole};
use crate::store::permissions::{self, Permission};
use crate::store::{DynStore, StoreError};

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member (admins only, except the very first one).
    Add {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: StaffRole,
        /// Name shown on notes (default: the username).
        #[arg(long, default_value = "")]
        display_name: String,
    },
    /// Change a staff member's role or deactivate/reactivate them (admins only). The last
    /// active admin cannot be demoted or deactivated. There is no removal: notes and the audit
    /// log keep naming staff, so someone who leaves is deactivated.
    Set {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Option<StaffRole>,
        /// Deactivate: they can no longer act.
        #[arg(long, conflicts_with = "activate")]
        deactivate: bool,
        /// Reactivate a deactivated staff member.
        #[arg(long)]
        activate: bool,
    },
    /// Everyone who can use patron, with their role.
    List {
        #[arg(long)]
        json: bool,
    },
    /// What agents and admins may do.
    Roles,
}

pub fn parse_role(s: &str) -> Result<StaffRole, String> {
    StaffRole::parse(s).ok_or_else(|| "expected agent or admin".into())
}

/// The OS login name, the default identity when neither --as nor $PATRON_STAFF is given.
pub fn os_user() -> Option<String> {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
}

/// Whoever runs `patron demo`: the login name, else the passwd name of the process's uid
/// (containers, cron, `env -i` and service units often set neither $USER nor $LOGNAME). Only
/// the demo falls back this far: elsewhere a write without a name asks who is acting rather
/// than recording it under a shared account such as root.
pub fn demo_user() -> Option<String> {
    os_user().or_else(passwd_name)
}

/// The login name of the real uid, from the passwd database (files, LDAP, ... as NSS is set up).
fn passwd_name() -> Option<String> {
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: getuid cannot fail; getpwuid_r writes only into `pwd` and `buf` (whose length
        // it is given) and sets `found` to null or to `&pwd`, whose strings point into `buf`.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = unsafe {
            libc::getpwuid_r(
                libc::getuid(),
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut found,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: pw_name is a NUL-terminated string inside `buf`, which is still alive.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        return Some(name.to_string_lossy().into_owned()).filter(|n| !n.trim().is_empty());
    }
}

/// Why nobody can act: a plain value, so callers for whom this is normal (the console opens
/// read-only) pay nothing; the CLI turns it into its one-line error.
#[derive(Debug)]
pub enum NotActing {
    NoName,
    Deactivated(String),
    Unknown(String),
    /// The database has no staff at all yet: whoever runs patron adds themselves as its admin.
    NoStaff(String),
    Store(StoreError),
}

impl std::fmt::Display for NotActing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotActing::NoName => f.write_str("who is acting? pass --as NAME or set PATRON_STAFF"),
            NotActing::Deactivated(n) => write!(f, "staff member {n:?} is deactivated"),
            NotActing::Unknown(n) => write!(
                f,
                "staff member \"{n}\" does not exist; an admin can add them with: \
                 patron staff add {n} --role agent"
            ),
            NotActing::NoStaff(n) => write!(
                f,
                "this database has no staff yet; add yourself as its first admin with: \
                 patron staff add {n} --role admin"
            ),
            NotActing::Store(e) => write!(f, "{e}"),
        }
    }
}

/// The staff member named by `flag` (--as, with $PATRON_STAFF folded in by clap) or the OS user.
pub async fn lookup(store: &DynStore, flag: Option<&str>) -> std::result::Result<Staff, NotActing> {
    lookup_or(store, flag, os_user()).await
}

/// `lookup` with `fallback` in place of the OS user when no name is given.
pub async fn lookup_or(
    store: &DynStore,
    flag: Option<&str>,
    fallback: Option<String>,
) -> std::result::Result<Staff, NotActing> {
    let name = flag
        .map(str::to_string)
        .or(fallback)
        .ok_or(NotActing::NoName)?;
    match store.staff_by_username(&name).await {
        Ok(s) if s.active => Ok(s),
        Ok(s) => Err(NotActing::Deactivated(s.username)),
        Err(StoreError::NotFound(_)) => {
            let name = name.trim().to_lowercase();
            match store.list_staff().await {
                Ok(all) if all.is_empty() => Err(NotActing::NoStaff(name)),
                Ok(_) => Err(NotActing::Unknown(name)),
                Err(e) => Err(NotActing::Store(e)),
            }
        }
        Err(e) => Err(NotActing::Store(e)),
    }
}

/// A named staff member the database does not have: a "not found" like any other, so the CLI
/// says which database it looked in.
#[derive(Debug)]
pub struct UnknownStaff(String);

impl std::fmt::Display for UnknownStaff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknownStaff {}

/// The staff member a write acts as, or the CLI's one-line refusal.
pub async fn acting(store: &DynStore, flag: Option<&str>) -> Result<Staff> {
    lookup(store, flag).await.map_err(|e| match e {
        NotActing::Store(e) => e.into(),
        e @ NotActing::Unknown(_) => UnknownStaff(e.to_string()).into(),
        other => eyre!("{other}"),
    })
}

/// Refuses early, with the same line the store would give, before anything is read or written.
pub fn require(staff: &Staff, action: Permission) -> Result<()> {
    permissions::require(staff, action).map_err(|e| eyre!("{e}"))
}

pub async fn run(store: &DynStore, cmd: StaffCommand, flag: Option<&str>) -> Result<ExitCode> {
    match cmd {
        StaffCommand::Add {
            username,
            role,
            display_name,
        } => {
            // Bootstrap: whoever installs patron adds the first (admin) account without --as.
            let by = if store.list_staff().await?.is_empty() {
                // Only admins add staff: a first member who is an agent would lock everyone out.
                if role != StaffRole::Admin {
                    bail!(
                        "the first staff member must be an admin (an agent could never add \
                         anyone); add them with: patron staff add {} --role admin",
                        display(username.trim())
                    );
                }
                None
            } else {
                let me = acting(store, flag).await?;
                require(&me, Permission::ManageStaff)?;
                Some(me)
            };
            let added = store
                .add_staff(by.as_ref().map(|s| s.id), &username, &display_name, role)
                .await?;
            let by = match &by {
                Some(s) => format!("by {}", display(&s.username)),
                None => "as the first staff member".into(),
            };
            println!(
                "staff member {} ({}) added {by}",
                display(&added.username),
                added.role
            );
        }
        StaffCommand::Set {
            username,
            role,
            deactivate,
            activate,
        } => {
            let active = match (deactivate, activate) {
                (true, _) => Some(false),
                (_, true) => Some(true),
                _ => None,
            };
            if role.is_none() && active.is_none() {
                bail!("nothing to change: pass --role agent|admin, --deactivate or --activate");
            }
            let me = acting(store, flag).await?;
            require(&me, Permission::ManageStaff)?;
            let before = store.staff_by_username(&username).await?;
            let after = store.set_staff(me.id, &username, role, active).await?;
            let state = if after.active {
                "active"
            } else {
                "deactivated"
            };
            if (after.role, after.active) == (before.role, before.active) {
                println!(
                    "staff member {} unchanged ({}, {state})",
                    display(&after.username),
                    after.role
                );
            } else {
                println!(
                    "staff member {} is now {} ({state}) by {}",
                    display(&after.username),
                    after.role,
                    display(&me.username)
                );
            }
        }
        StaffCommand::List { json: as_json } => {
            let all = store.list_staff().await?;
            if as_json {
                println!("{}", json(&all)?);
            } else {
                for s in &all {
                    let state = if s.active { "" } else { "deactivated" };
                    println!(
                        "{}  {}  {:<5}  {state}",
                        cell(&s.username, 20),
                        cell(&s.display_name, 28),
                        s.role.as_str()
                    );
                }
                println!("{} staff members", all.len());
            }
        }
        StaffCommand::Roles => print!("{}", permissions::table()),
    }
    Ok(ExitCode::SUCCESS)
}

/// `patron demo` lets whoever runs it do everything in the demo database: their OS user is
/// added as an admin, by the seeded admin (or as the first staff member of an empty table).
pub async fn ensure_demo_admin(store: &DynStore) -> Result<()> {
    let Some(user) = demo_user() else {
        return Ok(());
    };
    match store.staff_by_username(&user).await {
        Ok(_) => return Ok(()),
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let staff = store.list_staff().await?;
    let by = staff
        .iter()
        .find(|s| s.active && s.role == StaffRole::Admin)
        .map(|s| s.id);
    if by.is_none() && !staff.is_empty() {
        bail!("the demo database has no admin to add {user:?}");
    }
    store.add_staff(by, &user, &user, StaffRole::Admin).await?;
    eprintln!("added {} as an admin of the demo database", display(&user));
    Ok(())
}
