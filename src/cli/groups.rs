//! `patron groups list|add|disable|enable`: customer groups and their discounts.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::Result;
use patron_domain::sanitize::display;

use super::output::{cell, json};
use super::staff::{acting, require};
use crate::store::analytics::GroupRule;
use crate::store::edit::NewGroup;
use crate::store::model::{ChurnRisk, Group, GroupKind, SegmentKey};
use crate::store::permissions::Permission;
use crate::store::{DynStore, StoreError};

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// Every group with its member count.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Create a group (admins only).
    Add {
        name: String,
        #[arg(long, value_parser = parse_kind, default_value = "custom")]
        kind: GroupKind,
        /// Discount in percent, e.g. 12.5.
        #[arg(long, value_parser = parse_percent, default_value = "0")]
        discount: i64,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Switch a group off, by name or id (admins only); members stay.
    Disable { group: String },
    /// Switch a group back on (admins only).
    Enable { group: String },
    /// Give a group an auto-assignment rule, applied whenever scores refresh (`patron analytics
    /// fit`); every condition given must hold. Hand-made members are never removed by it.
    Rule {
        group: String,
        #[arg(long)]
        min_orders: Option<i64>,
        /// In major units, e.g. 500 or 499.99.
        #[arg(long, value_parser = parse_money)]
        min_spent: Option<i64>,
        /// An RFM segment: champions, loyal, at-risk, cant-lose-them, ...
        #[arg(long, value_parser = parse_segment)]
        segment: Option<SegmentKey>,
        /// low, medium or high.
        #[arg(long = "churn-risk", value_parser = parse_churn)]
        churn: Option<ChurnRisk>,
        /// ISO country code of any of the customer's addresses.
        #[arg(long)]
        country: Option<String>,
        /// Remove the rule; the members it added stay, as hand-made members.
        #[arg(long, conflicts_with_all = ["min_orders", "min_spent", "segment", "churn", "country"])]
        clear: bool,
    },
}

fn parse_money(s: &str) -> Result<i64, String> {
    let n: f64 = s
        .trim()
        .parse()
        .map_err(|_| "expected an amount like 499.99".to_string())?;
    if n.is_finite() && n >= 0.0 {
        Ok((n * 100.0).round() as i64)
    } else {
        Err("expected a positive amount".into())
    }
}

fn parse_segment(s: &str) -> Result<SegmentKey, String> {
    crate::analytics::parse_segment(s).ok_or_else(|| {
        let all: Vec<&str> = SegmentKey::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of {}", all.join(", "))
    })
}

fn parse_churn(s: &str) -> Result<ChurnRisk, String> {
    match ChurnRisk::parse(&s.trim().to_lowercase()) {
        Some(c) if c != ChurnRisk::NoOrders => Ok(c),
        _ => Err("expected low, medium or high".into()),
    }
}

fn parse_kind(s: &str) -> Result<GroupKind, String> {
    GroupKind::parse(s).ok_or_else(|| {
        let all: Vec<&str> = GroupKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of {}", all.join(", "))
    })
}

/// "12.5" or "12.5%" to basis points (1250).
fn parse_percent(s: &str) -> Result<i64, String> {
    let n: f64 = s
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| "expected a percentage like 12.5".to_string())?;
    if (0.0..=100.0).contains(&n) {
        Ok((n * 100.0).round() as i64)
    } else {
        Err("expected a percentage between 0 and 100".into())
    }
}

/// By id, or by name ignoring case.
pub async fn find(store: &DynStore, key: &str) -> Result<Group> {
    let k = key.trim();
    let id = k.trim_start_matches('#').parse::<i64>().ok();
    store
        .list_groups()
        .await?
        .into_iter()
        .find(|g| Some(g.id) == id || g.name.eq_ignore_ascii_case(k))
        .ok_or_else(|| StoreError::NotFound(format!("no group named {k:?}")).into())
}

pub async fn run(store: &DynStore, cmd: GroupsCommand, flag: Option<&str>) -> Result<ExitCode> {
    match cmd {
        GroupsCommand::List { json: as_json } => {
            let groups = store.list_groups().await?;
            if as_json {
                println!("{}", json(&groups)?);
                return Ok(ExitCode::SUCCESS);
            }
            for g in &groups {
                println!(
                    "{:>5}  {}  {:<9}  {:<8}  {:>6.2} %  {:>7} members",
                    g.id,
                    cell(&g.name, 24),
                    g.kind.as_str(),
                    if g.active { "active" } else { "disabled" },
                    g.discount_bps as f64 / 100.0,
                    g.members
                );
            }
            println!("{} groups", groups.len());
        }
        GroupsCommand::Add {
            name,
            kind,
            discount,
            description,
        } => {
            let me = acting(store, flag).await?;
            require(&me, Permission::ManageGroups)?;
            let new = NewGroup {
                name,
                kind,
                discount_bps: discount,
                description,
            };
            let g = store.create_group(me.id, &new).await?;
            println!(
                "group #{} {:?} added by {}",
                g.id,
                display(&g.name),
                display(&me.username)
            );
        }
        GroupsCommand::Disable { group } => switch(store, &group, false, flag).await?,
        GroupsCommand::Enable { group } => switch(store, &group, true, flag).await?,
        GroupsCommand::Rule {
            group,
            min_orders,
            min_spent,
            segment,
            churn,
            country,
            clear,
        } => {
            let me = acting(store, flag).await?;
            require(&me, Permission::ManageGroups)?;
            let g = find(store, &group).await?;
            let rule = GroupRule {
                min_orders,
                min_spent,
                segment,
                churn,
                country: country.map(|c| c.trim().to_uppercase()),
            };
            if clear {
                store.set_group_rule(me.id, &g.name, None).await?;
                println!(
                    "group {:?}: rule removed; its members stay as hand-made members",
                    display(&g.name)
                );
            } else {
                store.set_group_rule(me.id, &g.name, Some(&rule)).await?;
                println!(
                    "group {:?}: rule set ({}); applied at the next `patron analytics fit`",
                    display(&g.name),
                    rule.describe()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn switch(store: &DynStore, key: &str, active: bool, flag: Option<&str>) -> Result<()> {
    let me = acting(store, flag).await?;
    require(&me, Permission::ManageGroups)?;
    let g = find(store, key).await?;
    let g = store.set_group_active(me.id, g.id, active).await?;
    println!(
        "group #{} {:?} {} by {}",
        g.id,
        display(&g.name),
        if active { "enabled" } else { "disabled" },
        display(&me.username)
    );
    Ok(())
}
