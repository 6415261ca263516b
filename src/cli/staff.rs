//! `patron staff add|set|list|roles`, and who is acting: the staff member whose login is the OS
//! user (by uid), or the one an admin names with `--as` / $PATRON_STAFF.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail, eyre};
use patron_domain::sanitize::display;

use super::output::{cell, json};
use crate::store::access::NewStaffKey;
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
        /// The OS account that acts as them when they run patron on this host (default: the
        /// username).
        #[arg(long)]
        login: Option<String>,
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
        /// Move their OS login (the account that acts as them locally).
        #[arg(long)]
        login: Option<String>,
    },
    /// Everyone who can use patron, with their role.
    List {
        #[arg(long)]
        json: bool,
    },
    /// What agents and admins may do.
    Roles,
    /// SSH keys that let a staff member into `patron serve` (admins only; audited).
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Adds every public key in FILE (one per line, as in `~/.ssh/id_ed25519.pub` or an
    /// authorized_keys file) to the staff member.
    Add {
        username: String,
        file: std::path::PathBuf,
    },
    /// Everyone's keys, or one staff member's.
    List {
        username: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Removes a key by its fingerprint (`SHA256:…`, as `key list` and `ssh-keygen -l` show it).
    Remove { fingerprint: String },
}

pub fn parse_role(s: &str) -> Result<StaffRole, String> {
    StaffRole::parse(s).ok_or_else(|| "expected agent or admin".into())
}

/// The OS user of this process: the passwd name of its real uid. `$USER` and `$LOGNAME` are not
/// read: anyone can set them, and containers, cron and `env -i` often leave them unset.
pub fn os_user() -> Option<String> {
    passwd_name()
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

/// Who acts: the staff member writes are made as, and the admin really at the keyboard when
/// they act as someone else (`--as`).
#[derive(Debug, Clone, PartialEq)]
pub struct Acting {
    pub staff: Staff,
    pub real: Option<Staff>,
}

/// Why nobody can act: a plain value, so callers for whom this is normal (the console opens
/// read-only) pay nothing; the CLI turns it into its one-line error.
#[derive(Debug)]
pub enum NotActing {
    /// The process's uid has no passwd entry, so it has no OS user.
    NoOsUser,
    /// The OS user is nobody's login.
    NotStaff(String),
    Deactivated(String),
    /// `--as NAME` names nobody.
    Unknown(String),
    /// `--as NAME` by someone who may not act for others.
    NotAdmin {
        me: Staff,
        asked: String,
    },
    /// The database has no staff at all yet: whoever runs patron adds themselves as its admin.
    NoStaff(String),
    Store(StoreError),
}

impl std::fmt::Display for NotActing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotActing::NoOsUser => f.write_str(
                "cannot tell who you are: this process's uid has no entry in the passwd database",
            ),
            NotActing::NotStaff(login) => write!(
                f,
                "OS user \"{login}\" is not on the staff of this database; an admin can add \
                 you with: patron staff add {login} --role agent"
            ),
            NotActing::Deactivated(n) => write!(f, "staff member {n:?} is deactivated"),
            NotActing::Unknown(n) => write!(
                f,
                "staff member \"{n}\" does not exist; an admin can add them with: \
                 patron staff add {n} --role agent"
            ),
            NotActing::NotAdmin { me, asked } => write!(
                f,
                "--as {asked}: refused, only an admin may act as someone else and you are {} \
                 ({}); nothing was written",
                me.username, me.role
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

fn not_found(e: StoreError, then: impl FnOnce() -> NotActing) -> NotActing {
    match e {
        StoreError::NotFound(_) => then(),
        e => NotActing::Store(e),
    }
}

/// Who acts in this process: the staff member whose login is the OS user, or, when `flag`
/// (--as, with $PATRON_STAFF folded in by clap) names someone else, that member for an admin.
pub async fn resolve(
    store: &DynStore,
    flag: Option<&str>,
) -> std::result::Result<Acting, NotActing> {
    resolve_as(store, flag, os_user()).await
}

/// `resolve` for the OS user `login` (the demo and the tests name it).
pub async fn resolve_as(
    store: &DynStore,
    flag: Option<&str>,
    login: Option<String>,
) -> std::result::Result<Acting, NotActing> {
    let login = login.ok_or(NotActing::NoOsUser)?.trim().to_lowercase();
    let me = match store.staff_by_login(&login).await {
        Ok(me) => me,
        Err(e) => {
            let empty = matches!(store.list_staff().await, Ok(all) if all.is_empty());
            return Err(not_found(e, || {
                if empty {
                    NotActing::NoStaff(login.clone())
                } else {
                    NotActing::NotStaff(login.clone())
                }
            }));
        }
    };
    if !me.active {
        return Err(NotActing::Deactivated(me.username));
    }
    let asked = match flag.map(|f| f.trim().to_lowercase()) {
        Some(asked) if asked != me.username => asked,
        _ => {
            return Ok(Acting {
                staff: me,
                real: None,
            });
        }
    };
    if me.role != StaffRole::Admin {
        return Err(NotActing::NotAdmin { me, asked });
    }
    let target = store
        .staff_by_username(&asked)
        .await
        .map_err(|e| not_found(e, || NotActing::Unknown(asked.clone())))?;
    if !target.active {
        return Err(NotActing::Deactivated(target.username));
    }
    Ok(Acting {
        staff: target,
        real: Some(me),
    })
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

/// The staff member a write acts as, or the CLI's one-line refusal. When an admin acts for
/// someone else, every audit entry of the run names both (`store::actor`).
pub async fn acting(store: &DynStore, flag: Option<&str>) -> Result<Staff> {
    let who = resolve(store, flag).await.map_err(|e| match e {
        NotActing::Store(e) => e.into(),
        e @ NotActing::Unknown(_) => UnknownStaff(e.to_string()).into(),
        other => eyre!("{other}"),
    })?;
    if !crate::store::actor::set(who.real.as_ref().map(|r| r.id)) && who.real.is_some() {
        bail!(
            "cannot record who really acts here; refusing to act as {}",
            who.staff.username
        );
    }
    Ok(who.staff)
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
            login,
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
            let first = by.is_none();
            let login = login.unwrap_or_else(|| username.clone());
            let added = store
                .add_staff_with_login(
                    by.as_ref().map(|s| s.id),
                    &username,
                    &display_name,
                    role,
                    &login,
                )
                .await?;
            let by = match &by {
                Some(s) => format!("by {}", display(&s.username)),
                None => "as the first staff member".into(),
            };
            let login = added.login.as_deref().unwrap_or("-");
            println!(
                "staff member {} ({}, login {}) added {by}",
                display(&added.username),
                added.role,
                display(login)
            );
            // Whoever bootstraps a database and names someone else locks themselves out.
            if let Some(me) = os_user().filter(|me| first && me.as_str() != login) {
                eprintln!(
                    "note: only OS user {} acts as {} here; you are OS user {}",
                    display(login),
                    display(&added.username),
                    display(&me)
                );
            }
        }
        StaffCommand::Set {
            username,
            role,
            deactivate,
            activate,
            login,
        } => {
            let active = match (deactivate, activate) {
                (true, _) => Some(false),
                (_, true) => Some(true),
                _ => None,
            };
            if role.is_none() && active.is_none() && login.is_none() {
                bail!(
                    "nothing to change: pass --role agent|admin, --deactivate, --activate or \
                     --login OSUSER"
                );
            }
            let me = acting(store, flag).await?;
            require(&me, Permission::ManageStaff)?;
            let before = store.staff_by_username(&username).await?;
            if let Some(login) = &login {
                let after = store.set_staff_login(me.id, &username, login).await?;
                if after.login != before.login {
                    println!(
                        "staff member {} now has login {} by {}",
                        display(&after.username),
                        display(after.login.as_deref().unwrap_or("-")),
                        display(&me.username)
                    );
                }
                if role.is_none() && active.is_none() {
                    if after.login == before.login {
                        println!("staff member {} unchanged", display(&after.username));
                    }
                    return Ok(ExitCode::SUCCESS);
                }
            }
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
                        "{}  {}  {:<5}  {}  {state}",
                        cell(&s.username, 20),
                        cell(&s.display_name, 28),
                        s.role.as_str(),
                        cell(s.login.as_deref().unwrap_or("-"), 16),
                    );
                }
                println!("{} staff members", all.len());
            }
        }
        StaffCommand::Roles => print!("{}", permissions::table()),
        StaffCommand::Key { command } => return keys(store, command, flag).await,
    }
    Ok(ExitCode::SUCCESS)
}

/// The public keys in an OpenSSH public key or authorized_keys file: blank lines and `#`
/// comments are skipped; any other line that is not a key is an error naming its line number.
pub fn read_keys(text: &str) -> Result<Vec<NewStaffKey>> {
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let k = patron_ssh::parse_public_key(line)
            .map_err(|e| eyre!("line {}: {}", n + 1, display(&e)))?;
        keys.push(NewStaffKey {
            public_key: k.openssh,
            fingerprint: k.fingerprint,
            comment: k.comment,
        });
    }
    if keys.is_empty() {
        bail!("no public key in the file");
    }
    Ok(keys)
}

async fn keys(store: &DynStore, cmd: KeyCommand, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    require(&me, Permission::ManageStaff)?;
    match cmd {
        KeyCommand::Add { username, file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| eyre!("cannot read {}: {e}", file.display()))?;
            let found = read_keys(&text).map_err(|e| eyre!("{}: {e}", file.display()))?;
            for k in found {
                let added = store.add_staff_key(me.id, &username, &k).await?;
                println!(
                    "key {} ({}) added for {} by {}",
                    added.fingerprint,
                    display(&added.comment),
                    display(&added.staff),
                    display(&me.username)
                );
            }
        }
        KeyCommand::List {
            username,
            json: as_json,
        } => {
            let all = store.staff_keys(username.as_deref()).await?;
            if as_json {
                println!("{}", json(&all)?);
            } else {
                for k in &all {
                    println!(
                        "{}  {}  {}  {}",
                        cell(&k.staff, 20),
                        k.fingerprint,
                        cell(&k.comment, 24),
                        k.created_at.format("%Y-%m-%d")
                    );
                }
                println!("{} keys", all.len());
            }
        }
        KeyCommand::Remove { fingerprint } => {
            let gone = store.remove_staff_key(me.id, &fingerprint).await?;
            println!(
                "key {} of {} removed by {}",
                gone.fingerprint,
                display(&gone.staff),
                display(&me.username)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `patron demo` and `patron seed` let whoever runs them do everything in the demo data: their
/// OS user is added as an admin (username and login), by the seeded admin (or as the first staff
/// member of an empty table). `what` names the database in the message.
pub async fn ensure_os_admin(store: &DynStore, what: &str) -> Result<()> {
    let Some(user) = os_user() else {
        bail!("{}", NotActing::NoOsUser);
    };
    match store.staff_by_login(&user).await {
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
        bail!("the {what} database has no admin to add {user:?}");
    }
    store
        .add_staff_with_login(by, &user, &user, StaffRole::Admin, &user)
        .await?;
    eprintln!(
        "added {} as an admin of the {what} database",
        display(&user)
    );
    Ok(())
}
