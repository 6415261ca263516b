//! `patron review` (account classification), `patron review delete --class`, and `patron ip`:
//! registrations per IP and the blocked-IP list. Admins only.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, bail};
use patron_domain::review::{Class, ReviewRules};
use patron_domain::sanitize::display;

use super::output::{cell, json, thousands, time};
use super::staff::{acting, require};
use crate::store::DynStore;
use crate::store::permissions::Permission;
use crate::store::review::{BATCH, BulkReport, ReviewReport};

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Delete every account of a class (unused or spam); accounts with orders are skipped.
    Delete(DeleteArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// An account with no activity counts as unused from this age on (default: the config's
    /// [review] unused_after_days, else 180).
    #[arg(long)]
    pub unused_days: Option<i64>,
    /// Accounts listed per class (text output; --json lists all).
    #[arg(long, default_value_t = 10)]
    pub show: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Which class to delete: unused or spam.
    #[arg(long, value_parser = parse_class)]
    pub class: Class,
    /// As for `patron review`.
    #[arg(long)]
    pub unused_days: Option<i64>,
    #[command(flatten)]
    pub confirm: Confirm,
}

/// The flags of a write that cannot be undone: preview it, or confirm it.
#[derive(Debug, Args)]
pub struct Confirm {
    /// Only say what would happen.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm (required unless --dry-run).
    #[arg(long)]
    pub yes: bool,
    #[arg(long)]
    pub json: bool,
}

impl Confirm {
    /// Refuses before anything is read unless the write is confirmed or only previewed.
    pub fn check(&self, what: &str) -> Result<()> {
        if !self.dry_run && !self.yes {
            bail!("refusing to {what} without --yes (or use --dry-run to see what would happen)");
        }
        Ok(())
    }
}

fn parse_class(s: &str) -> Result<Class, String> {
    match Class::parse(s) {
        Some(c @ (Class::Unused | Class::Spam)) => Ok(c),
        _ => Err("expected unused or spam".into()),
    }
}

/// The config's rules (the same the console's audit screen uses), with the age from the flag.
fn rules(base: &ReviewRules, unused_days: Option<i64>) -> ReviewRules {
    let mut r = base.clone();
    if let Some(days) = unused_days {
        r.unused_after_days = days.max(0);
    }
    r
}

async fn classify(
    store: &DynStore,
    base: &ReviewRules,
    unused_days: Option<i64>,
) -> Result<ReviewReport> {
    Ok(store.review_accounts(&rules(base, unused_days)).await?)
}

pub async fn report(
    store: &DynStore,
    base: &ReviewRules,
    a: ReportArgs,
    flag: Option<&str>,
) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    require(&me, Permission::ViewAudit)?;
    let started = std::time::Instant::now();
    let r = classify(store, base, a.unused_days).await?;
    if a.json {
        println!("{}", json(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} accounts classified in {:.2} s",
        thousands(r.breakdown.total as i64),
        started.elapsed().as_secs_f64()
    );
    for c in &r.breakdown.classes {
        println!(
            "  {:<8} {:>10}  {:>5.1} %",
            c.class.as_str(),
            thousands(c.count as i64),
            c.percent
        );
    }
    for class in [Class::Spam, Class::Unused] {
        let rows: Vec<_> = r.accounts.iter().filter(|c| c.class == class).collect();
        if rows.is_empty() || a.show == 0 {
            continue;
        }
        println!(
            "{} (first {} of {}):",
            class.as_str(),
            a.show.min(rows.len()),
            rows.len()
        );
        for c in rows.iter().take(a.show) {
            let reasons: Vec<String> = c.reasons.iter().map(ToString::to_string).collect();
            println!("  #{:<9} {}", c.id, display(&reasons.join(", ")));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn delete(
    store: &DynStore,
    base: &ReviewRules,
    a: DeleteArgs,
    flag: Option<&str>,
) -> Result<ExitCode> {
    a.confirm.check("delete")?;
    let me = acting(store, flag).await?;
    require(&me, Permission::Delete)?;
    let r = classify(store, base, a.unused_days).await?;
    let ids: Vec<i64> = r
        .accounts
        .iter()
        .filter(|c| c.class == a.class)
        .map(|c| c.id)
        .collect();
    if a.confirm.dry_run {
        if a.confirm.json {
            println!("{}", json(&serde_json::json!({"would_delete": ids}))?);
        } else {
            println!(
                "would delete {} {} accounts (accounts with orders are skipped)",
                thousands(ids.len() as i64),
                a.class.as_str()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut report = BulkReport::default();
    for (i, chunk) in ids.chunks(BATCH).enumerate() {
        report.absorb(store.delete_customers(me.id, chunk).await?);
        eprint!(
            "\rdeleted {} of {}",
            (i * BATCH + chunk.len()).min(ids.len()),
            ids.len()
        );
    }
    if !ids.is_empty() {
        eprintln!();
    }
    print_report(&report, "deleted", a.confirm.json)?;
    Ok(ExitCode::SUCCESS)
}

pub fn print_report(r: &BulkReport, verb: &str, as_json: bool) -> Result<()> {
    if as_json {
        println!("{}", json(r)?);
        return Ok(());
    }
    println!(
        "{verb} {} accounts, skipped {}",
        thousands(r.done.len() as i64),
        thousands(r.skipped.len() as i64)
    );
    for s in r.skipped.iter().take(50) {
        println!("  skipped #{}: {}", s.id, display(&s.reason));
    }
    if r.skipped.len() > 50 {
        println!("  … and {} more (use --json for all)", r.skipped.len() - 50);
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum IpCommand {
    /// Registrations per IP (most first) and which IPs are blocked.
    List {
        /// Only IPs with at least this many registrations.
        #[arg(long, default_value_t = 2)]
        min: i64,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Only the blocked IPs, with reason and who blocked them.
        #[arg(long)]
        blocked: bool,
        #[arg(long)]
        json: bool,
    },
    /// Block registrations from an IP (admins only).
    Block {
        ip: String,
        #[arg(long)]
        reason: String,
    },
    /// Lift a block (admins only).
    Unblock { ip: String },
}

pub async fn ip(store: &DynStore, cmd: IpCommand, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    match cmd {
        IpCommand::List {
            min,
            limit,
            blocked,
            json: as_json,
        } => {
            require(&me, Permission::ViewAudit)?;
            if blocked {
                let rows = store.blocked_ips().await?;
                if as_json {
                    println!("{}", json(&rows)?);
                }
                for b in rows.iter().filter(|_| !as_json) {
                    println!(
                        "{}  {}  {}  {}",
                        cell(&b.ip, 39),
                        time(b.created_at),
                        cell(b.staff.as_deref().unwrap_or("-"), 12),
                        display(&b.reason)
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            let rows = store
                .registrations_per_ip(min, limit.clamp(1, 100_000))
                .await?;
            if as_json {
                println!("{}", json(&rows)?);
                return Ok(ExitCode::SUCCESS);
            }
            for r in &rows {
                let mark = if r.blocked { "blocked" } else { "" };
                println!(
                    "{}  {:>8}  {mark}",
                    cell(&display(&r.ip), 39),
                    r.registrations
                );
            }
        }
        IpCommand::Block { ip, reason } => {
            require(&me, Permission::Delete)?;
            let b = store.block_ip(me.id, &ip, &reason).await?;
            println!("blocked {} by {}", b.ip, display(&me.username));
        }
        IpCommand::Unblock { ip } => {
            require(&me, Permission::Delete)?;
            store.unblock_ip(me.id, &ip).await?;
            println!(
                "unblocked {} by {}",
                display(ip.trim()),
                display(&me.username)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
