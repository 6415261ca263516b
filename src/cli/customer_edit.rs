//! `patron customers add|note|set-status|edit`: staff writes, each one line of confirmation.

use clap::Args;
use color_eyre::eyre::{Result, bail};
use patron_domain::sanitize::display;

use super::groups;
use super::staff::{acting, require};
use crate::store::DynStore;
use crate::store::edit::{CustomerPatch, NewCustomer};
use crate::store::model::CustomerStatus;
use crate::store::permissions::Permission;

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long, default_value = "")]
    pub first_name: String,
    #[arg(long, default_value = "")]
    pub last_name: String,
    #[arg(long, default_value = "")]
    pub phone: String,
    #[arg(long, default_value = "")]
    pub company: String,
    /// A guest without an account (names become optional).
    #[arg(long)]
    pub guest: bool,
    /// Join this group (by name or id; repeatable; admins only).
    #[arg(long = "group")]
    pub groups: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// Customer id or email.
    pub customer: String,
    pub text: String,
    /// Pin the note to the top.
    #[arg(long)]
    pub pin: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Customer id or email.
    pub customer: String,
    #[arg(value_parser = parse_status)]
    pub status: CustomerStatus,
    /// Why (required to disable or lock).
    #[arg(long, default_value = "")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Customer id or email.
    pub customer: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    /// Apply only if the customer is still at this version (default: the version just read).
    #[arg(long, hide = true)]
    pub expect_version: Option<i64>,
}

fn parse_status(s: &str) -> Result<CustomerStatus, String> {
    match CustomerStatus::parse(s) {
        Some(st) if st != CustomerStatus::Anonymized => Ok(st),
        _ => Err("expected active, disabled or locked".into()),
    }
}

pub async fn add(store: &DynStore, a: AddArgs, flag: Option<&str>) -> Result<()> {
    let me = acting(store, flag).await?;
    require(&me, Permission::EditContact)?;
    if !a.groups.is_empty() {
        require(&me, Permission::ManageGroups)?;
    }
    let mut group_ids = Vec::new();
    for g in &a.groups {
        group_ids.push(groups::find(store, g).await?.id);
    }
    let new = NewCustomer {
        email: a.email,
        first_name: a.first_name,
        last_name: a.last_name,
        phone: a.phone,
        company: a.company,
        has_account: !a.guest,
        group_ids,
    };
    let c = store.create_customer(me.id, &new).await?;
    println!(
        "customer #{} <{}> added by {}",
        c.id,
        display(&c.email),
        display(&me.username)
    );
    Ok(())
}

pub async fn note(store: &DynStore, a: NoteArgs, flag: Option<&str>) -> Result<()> {
    let me = acting(store, flag).await?;
    require(&me, Permission::WriteNote)?;
    let c = store.resolve(&a.customer).await?;
    let n = store.add_note(me.id, c.id, &a.text, a.pin).await?;
    let pinned = if n.pinned { "pinned " } else { "" };
    println!(
        "{pinned}note #{} added to customer #{} by {}",
        n.id,
        c.id,
        display(&me.username)
    );
    Ok(())
}

pub async fn set_status(store: &DynStore, a: StatusArgs, flag: Option<&str>) -> Result<()> {
    let me = acting(store, flag).await?;
    require(&me, Permission::ChangeStatus)?;
    let c = store.resolve(&a.customer).await?;
    let after = store
        .set_status(me.id, c.id, c.version, a.status, &a.reason)
        .await?;
    if after.version == c.version {
        println!("customer #{} is already {}", c.id, after.status);
    } else {
        println!(
            "customer #{} is now {} (version {}) by {}",
            c.id,
            after.status,
            after.version,
            display(&me.username)
        );
    }
    Ok(())
}

pub async fn edit(store: &DynStore, a: EditArgs, flag: Option<&str>) -> Result<()> {
    let me = acting(store, flag).await?;
    require(&me, Permission::EditContact)?;
    let patch = CustomerPatch {
        email: a.email,
        first_name: a.first_name,
        last_name: a.last_name,
        phone: a.phone,
        company: a.company,
        ..Default::default()
    };
    if patch.is_empty() {
        bail!("nothing to change: pass --email, --first-name, --last-name, --phone or --company");
    }
    let c = store.resolve(&a.customer).await?;
    let expected = a.expect_version.unwrap_or(c.version);
    let after = store.update_customer(me.id, c.id, expected, &patch).await?;
    if after.version == expected {
        println!("customer #{} unchanged (version {})", c.id, after.version);
    } else {
        println!(
            "customer #{} updated by {} (version {})",
            c.id,
            display(&me.username),
            after.version
        );
    }
    Ok(())
}
