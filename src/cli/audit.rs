//! `patron audit log`: the audit log of staff writes, newest first (admins only).

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use color_eyre::eyre::Result;
use patron_domain::sanitize::display;

use super::output::{cell, json, time};
use super::staff::{acting, require};
use crate::store::DynStore;
use crate::store::activity::audit_summary;
use crate::store::edit::AuditFilter;
use crate::store::permissions::Permission;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Who changed what, newest first.
    Log {
        /// Only this staff member's entries.
        #[arg(long)]
        staff: Option<String>,
        /// Only actions starting with this, e.g. "customer." or "note.edit".
        #[arg(long)]
        action: Option<String>,
        /// From this date or time on (UTC), e.g. 2024-05-01.
        #[arg(long, value_parser = parse_time)]
        since: Option<DateTime<Utc>>,
        /// Before this date or time (UTC).
        #[arg(long, value_parser = parse_time)]
        until: Option<DateTime<Utc>>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Only entries older than this id (the last id of the previous page).
        #[arg(long)]
        before: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    patron_domain::time::parse_timestamp(s).map_err(str::to_string)
}

pub async fn run(store: &DynStore, cmd: AuditCommand, flag: Option<&str>) -> Result<ExitCode> {
    let (staff, action, since, until, limit, before, as_json) = match cmd {
        AuditCommand::Log {
            staff,
            action,
            since,
            until,
            limit,
            before,
            json,
        } => (staff, action, since, until, limit, before, json),
    };
    let me = acting(store, flag).await?;
    require(&me, Permission::ViewAudit)?;
    let filter = AuditFilter {
        staff,
        action_prefix: action,
        since,
        until,
        limit: limit.clamp(1, 10_000),
        before_id: before,
    };
    let entries = store.audit_log(&filter).await?;
    if as_json {
        println!("{}", json(&entries)?);
        return Ok(ExitCode::SUCCESS);
    }
    for e in &entries {
        let customer = e.customer_id.map(|c| format!("#{c}")).unwrap_or_default();
        println!(
            "{:>7}  {}  {}  {}  {:>8}  {}",
            e.id,
            time(e.created_at),
            cell(e.who().as_deref().unwrap_or("-"), 20),
            cell(&e.action, 20),
            customer,
            display(&audit_summary(&e.action, &e.details))
        );
    }
    if entries.len() as i64 == filter.limit {
        if let Some(last) = entries.last() {
            println!("more: --before {}", last.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}
