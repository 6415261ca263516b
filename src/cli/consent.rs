//! `patron consent grant|withdraw|show`: the consent ledger of one customer.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, eyre};
use patron_domain::sanitize::display;

use super::output::{json, time};
use super::staff::acting;
use crate::store::DynStore;
use crate::store::model::{ConsentPurpose, ConsentSource, consent_state};

#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// Record that the customer gives consent to a purpose.
    Grant(Change),
    /// Record that the customer withdraws consent to a purpose.
    Withdraw(Change),
    /// A customer's consent per purpose and its whole history.
    Show {
        /// Customer id, email or order number.
        customer: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct Change {
    /// Customer id, email or order number.
    customer: String,
    /// marketing_email, marketing_sms, remote_assistance or profiling.
    #[arg(long)]
    purpose: String,
    /// Where it came from: staff (on the phone, the default), import or storefront.
    #[arg(long, default_value = "staff")]
    source: String,
    #[arg(long, default_value = "")]
    note: String,
}

fn purpose(text: &str) -> Result<ConsentPurpose> {
    ConsentPurpose::parse(text).ok_or_else(|| {
        let all: Vec<&str> = ConsentPurpose::ALL.iter().map(|p| p.as_str()).collect();
        eyre!("--purpose {text:?}: use one of {}", all.join(", "))
    })
}

fn source(text: &str) -> Result<ConsentSource> {
    match ConsentSource::parse(text) {
        Some(s) if s != ConsentSource::Migration => Ok(s),
        _ => Err(eyre!("--source {text:?}: use staff, import or storefront")),
    }
}

pub async fn run(store: &DynStore, cmd: ConsentCommand, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    match cmd {
        ConsentCommand::Grant(c) => change(store, me.id, c, true).await?,
        ConsentCommand::Withdraw(c) => change(store, me.id, c, false).await?,
        ConsentCommand::Show {
            customer,
            json: as_json,
        } => {
            let c = store.resolve(&customer).await?;
            let history = store.consent_history(c.id).await?;
            if as_json {
                println!("{}", json(&history)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!("customer #{} {}", c.id, display(&c.email));
            for (p, latest) in consent_state(&history) {
                let state = match latest {
                    Some(e) if e.granted => format!("granted {}", time(e.at)),
                    Some(e) => format!("withdrawn {}", time(e.at)),
                    None => "never given".to_string(),
                };
                println!("  {:<18} {state}", p.as_str());
            }
            if !history.is_empty() {
                println!("history:");
            }
            for e in &history {
                println!(
                    "  {}  {:<8} {:<18} {:<10} {:<12} {}",
                    time(e.at),
                    if e.granted { "grant" } else { "withdraw" },
                    e.purpose.as_str(),
                    e.source.as_str(),
                    display(e.staff.as_deref().unwrap_or("-")),
                    display(&e.note)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn change(store: &DynStore, staff: i64, c: Change, granted: bool) -> Result<()> {
    let p = purpose(&c.purpose)?;
    let s = source(&c.source)?;
    let customer = store.resolve(&c.customer).await?;
    let e = store
        .record_consent(staff, customer.id, p, granted, s, &c.note)
        .await?;
    println!(
        "customer #{}: {} {} (event #{}, source {})",
        customer.id,
        p.as_str(),
        if granted { "granted" } else { "withdrawn" },
        e.id,
        s.as_str()
    );
    Ok(())
}
