//! `patron gdpr`: the privacy request queue, the access export of one customer (JSON and a
//! readable page) and erasure.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, eyre};
use patron_domain::sanitize::display;

use super::output::{date, json};
use super::staff::acting;
use crate::store::DynStore;
use crate::store::model::{PrivacyKind, PrivacyStatus};
use crate::store::privacy::{ErasureCounts, NewPrivacyRequest, PrivacyFilter, PrivacyRequest};

#[derive(Debug, Subcommand)]
pub enum GdprCommand {
    /// The queue of privacy requests: open ones first by due date, then closed ones.
    Requests {
        /// pending, in_progress, completed, declined or withdrawn.
        #[arg(long)]
        status: Option<String>,
        /// Only open requests past their due date.
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
    },
    /// Log, extend or move on one privacy request.
    Request {
        #[command(subcommand)]
        command: RequestCommand,
    },
    /// Everything held about a customer, uncapped: DIR/customer-<id>.json and a readable
    /// DIR/customer-<id>.html (admins only).
    Export {
        /// Customer id or email.
        customer: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Erase a customer's personal data; orders and amounts stay under an anonymized record
    /// (admins only). Without --yes, only says what would be erased.
    Erase {
        /// Customer id or email.
        customer: String,
        /// Why (the request, the legal ground); kept in the audit log. Name no personal data.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Log a request received from a customer (due one month after receipt).
    Log(LogArgs),
    /// Extend the deadline once by two months (admins only).
    Extend {
        id: i64,
        #[arg(long)]
        reason: String,
        /// Apply only if the request is still at this version (default: the version just read).
        #[arg(long)]
        expect_version: Option<i64>,
    },
    /// Move a request on: in_progress, then completed, declined or withdrawn (admins only).
    Set {
        id: i64,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        expect_version: Option<i64>,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["customer", "subject"])))]
pub struct LogArgs {
    /// access, erasure or rectification.
    #[arg(long)]
    kind: String,
    /// The customer (id or email) the request is about.
    #[arg(long)]
    customer: Option<String>,
    /// Who asked, when they are not (yet) a known customer: a name or an email.
    #[arg(long)]
    subject: Option<String>,
    /// The day it was received (YYYY-MM-DD; default: now).
    #[arg(long)]
    received: Option<String>,
    #[arg(long, default_value = "")]
    note: String,
}

fn status(text: &str) -> Result<PrivacyStatus> {
    PrivacyStatus::parse(text).ok_or_else(|| {
        let all: Vec<&str> = PrivacyStatus::ALL.iter().map(|s| s.as_str()).collect();
        eyre!("--status {text:?}: use one of {}", all.join(", "))
    })
}

fn received(text: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| eyre!("--received {text:?}: expected a date like 2025-01-31"))
}

pub async fn run(store: &DynStore, cmd: GdprCommand, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    match cmd {
        GdprCommand::Requests {
            status: s,
            overdue,
            json: as_json,
        } => {
            let filter = PrivacyFilter {
                status: s.as_deref().map(status).transpose()?,
                overdue,
                customer: None,
            };
            let list = store.privacy_requests(&filter).await?;
            if as_json {
                println!("{}", json(&list)?);
                return Ok(ExitCode::SUCCESS);
            }
            for r in &list {
                print_request(r);
            }
            let late = store.count_overdue_privacy_requests().await?;
            println!("{} request(s) listed, {late} overdue", list.len());
        }
        GdprCommand::Request { command } => request(store, me.id, command).await?,
        GdprCommand::Export { customer, out } => {
            let c = store.resolve(&customer).await?;
            let export = store.customer_export(me.id, c.id).await?;
            let files = crate::privacy_export::write(&export, &out)?;
            println!(
                "customer #{}: {} orders, {} emails, {} audit entries written to {} and {}",
                c.id,
                export.orders.len(),
                export.emails.len(),
                export.audit.len(),
                display(&files.json.display().to_string()),
                display(&files.html.display().to_string()),
            );
        }
        GdprCommand::Erase {
            customer,
            reason,
            yes,
        } => {
            let c = store.resolve(&customer).await?;
            if !yes {
                let counts = store.erasure_preview(c.id).await?;
                println!(
                    "would erase customer #{} {} (name, email, phone, company, IPs, custom fields):",
                    c.id,
                    display(&c.email)
                );
                print_counts(&counts);
                return Err(eyre!(
                    "not erased: add --yes to erase customer #{} (this cannot be undone)",
                    c.id
                ));
            }
            let r = store.erase_customer(me.id, c.id, &reason).await?;
            println!(
                "customer #{} erased: now {} ({}), version {}",
                c.id, r.customer.email, r.customer.status, r.customer.version
            );
            print_counts(&r.counts);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn request(store: &DynStore, staff: i64, cmd: RequestCommand) -> Result<()> {
    let r = match cmd {
        RequestCommand::Log(a) => {
            let kind = PrivacyKind::parse(&a.kind).ok_or_else(|| {
                eyre!("--kind {:?}: use access, erasure or rectification", a.kind)
            })?;
            let customer = match &a.customer {
                Some(k) => Some(store.resolve(k).await?.id),
                None => None,
            };
            let new = NewPrivacyRequest {
                kind: Some(kind),
                customer,
                subject: a.subject.unwrap_or_default(),
                received_at: a.received.as_deref().map(received).transpose()?,
                note: a.note,
            };
            store.log_privacy_request(staff, &new).await?
        }
        RequestCommand::Extend {
            id,
            reason,
            expect_version,
        } => {
            let v = match expect_version {
                Some(v) => v,
                None => store.privacy_request(id).await?.version,
            };
            store.extend_privacy_request(staff, id, v, &reason).await?
        }
        RequestCommand::Set {
            id,
            status: s,
            note,
            expect_version,
        } => {
            let s = status(&s)?;
            let v = match expect_version {
                Some(v) => v,
                None => store.privacy_request(id).await?.version,
            };
            store.set_privacy_status(staff, id, v, s, &note).await?
        }
    };
    print_request(&r);
    Ok(())
}

fn print_request(r: &PrivacyRequest) {
    let who = match (r.customer_id, r.subject.is_empty()) {
        (Some(c), true) => format!("customer #{c}"),
        (Some(c), false) => format!("customer #{c} ({})", display(&r.subject)),
        (None, _) => display(&r.subject).into_owned(),
    };
    println!(
        "#{:<5} {:<13} {:<11} due {}{}{}  {who}  version {}{}",
        r.id,
        r.kind.as_str(),
        r.status.as_str(),
        date(Some(r.due_at)),
        if r.extended_reason.is_some() {
            " (extended)"
        } else {
            ""
        },
        if r.overdue { " OVERDUE" } else { "" },
        r.version,
        r.handled_by
            .as_deref()
            .map(|h| format!(", handled by {}", display(h)))
            .unwrap_or_default(),
    );
}

fn print_counts(c: &ErasureCounts) {
    let rows = [
        ("addresses deleted", c.addresses),
        ("notes deleted", c.notes),
        ("wishlist items deleted", c.wishlist_items),
        ("engagement events deleted", c.events),
        ("emails scrubbed (subject, body)", c.emails),
        ("download IPs cleared", c.downloads),
        ("orders kept, email and addresses replaced", c.orders),
        ("consent events kept, notes cleared", c.consent_events),
        ("merged-away emails removed", c.merge_aliases),
        ("audit entries scrubbed", c.audit_entries),
        ("privacy requests scrubbed", c.privacy_requests),
    ];
    for (what, n) in rows {
        println!("  {n:>6}  {what}");
    }
}
