//! `patron analytics fit|segments|customer`: the customer-value model from the command line.
//! `fit` without `--until` keeps the model and every score (the console reads them); with a
//! cut-off it only reports, so a back-test never replaces the current model.

use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use color_eyre::eyre::{Result, bail, eyre};

use super::output::{json, money, thousands};
use super::staff::acting;
use crate::analytics::insights::Insights;
use crate::analytics::run::{self, AnalyticsError};
use crate::analytics::{fit_json, segment_label};
use crate::config::AnalyticsConfig;
use crate::store::DynStore;
use crate::store::analytics::FitRecord;

#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// Fit BG/NBD and Gamma-Gamma on every customer and keep the scores (with --until: report
    /// the fit as of that day without keeping it).
    Fit {
        /// Calibration cut-off (YYYY-MM-DD): orders after that day are ignored.
        #[arg(long, value_parser = parse_until)]
        until: Option<DateTime<Utc>>,
        /// Days ahead for expected purchases and CLV (default: config, else 365).
        #[arg(long)]
        horizon_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Customers, spend and predicted CLV per RFM segment, and customers per churn risk.
    Segments {
        #[arg(long)]
        json: bool,
    },
    /// One customer's purchase behaviour, model-based value, churn risk, RFM and engagement.
    Customer {
        /// Id, #id or email.
        customer: String,
        /// Compute as if today were this day (YYYY-MM-DD); refits the model at that cut-off.
        #[arg(long, value_parser = parse_until)]
        until: Option<DateTime<Utc>>,
        #[arg(long)]
        horizon_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

/// A day as its last second: "as if today were DATE" includes that day's orders.
pub fn parse_until(s: &str) -> Result<DateTime<Utc>, String> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?}: expected a date such as 2026-06-30"))?;
    Ok(d.and_hms_opt(23, 59, 59)
        .expect("23:59:59 is a valid time")
        .and_utc())
}

fn fit_error(e: AnalyticsError) -> color_eyre::Report {
    match e {
        AnalyticsError::Fit(f) => eyre!("{f}; nothing was kept"),
        other => eyre!("{other}"),
    }
}

pub async fn run(
    store: &DynStore,
    cfg: &AnalyticsConfig,
    command: AnalyticsCommand,
    flag: Option<&str>,
) -> Result<ExitCode> {
    match command {
        AnalyticsCommand::Fit {
            until,
            horizon_days,
            json: as_json,
        } => {
            let keep = until.is_none();
            let until = until.unwrap_or_else(Utc::now);
            let settings = run::settings(until, cfg.value(), horizon_days);
            let fit = if keep {
                let me = acting(store, flag).await?;
                let (saved, computed) = run::refresh(store, me.id, until, settings)
                    .await
                    .map_err(fit_error)?;
                if !as_json {
                    print_timings(&computed.timings, saved.scored);
                    for r in &saved.rules {
                        println!(
                            "group {}: {} added, {} removed by its rule",
                            patron_domain::sanitize::display(&r.group),
                            r.added,
                            r.removed
                        );
                    }
                }
                saved.fit
            } else {
                let computed = run::compute(store, until, settings)
                    .await
                    .map_err(fit_error)?;
                computed.new_fit().unsaved()
            };
            if as_json {
                println!("{}", json(&fit_json(&fit))?);
            } else {
                print_fit(&fit, keep);
            }
        }
        AnalyticsCommand::Segments { json: as_json } => {
            let Some(fit) = store.current_fit().await? else {
                bail!("no model yet: run `patron analytics fit` first");
            };
            let summary = store.segment_summary().await?;
            if as_json {
                let segments: Vec<serde_json::Value> = summary
                    .segments
                    .iter()
                    .map(|s| {
                        serde_json::json!({"segment": segment_label(s.segment), "key": s.segment,
                            "customers": s.customers, "net_spent": s.net_spent, "predicted_clv": s.clv})
                    })
                    .collect();
                let out = serde_json::json!({"fitted_at": fit.fitted_at, "until": fit.until.format("%Y-%m-%d").to_string(),
                    "currency": fit.currency, "segments": segments, "churn_risk": summary.churn});
                println!("{}", json(&out)?);
            } else {
                println!(
                    "model fitted {} on orders up to {}",
                    fit.fitted_at.format("%Y-%m-%d %H:%M"),
                    fit.until.format("%Y-%m-%d")
                );
                println!(
                    "{:<20} {:>10} {:>16} {:>16}",
                    "segment", "customers", "net spent", "predicted CLV"
                );
                for s in &summary.segments {
                    println!(
                        "{:<20} {:>10} {:>16} {:>16}",
                        segment_label(s.segment),
                        thousands(s.customers),
                        money(s.net_spent, &fit.currency),
                        money(s.clv, &fit.currency)
                    );
                }
                let churn: Vec<String> = summary
                    .churn
                    .iter()
                    .map(|c| format!("{} {}", c.churn, thousands(c.customers)))
                    .collect();
                println!("churn risk: {}", churn.join(", "));
            }
        }
        AnalyticsCommand::Customer {
            customer,
            until,
            horizon_days,
            json: as_json,
        } => {
            let c = store.resolve(&customer).await?;
            let as_of = until.unwrap_or_else(Utc::now);
            // The kept model answers for today; another cut-off or horizon refits the store.
            let (score, fit) = if until.is_none() && horizon_days.is_none() {
                (
                    store.customer_score(c.id).await?,
                    store.current_fit().await?,
                )
            } else {
                let settings = run::settings(as_of, cfg.value(), horizon_days);
                let computed = run::compute(store, as_of, settings)
                    .await
                    .map_err(fit_error)?;
                let rows = computed.rows();
                let fit = computed.new_fit().unsaved();
                let score = rows.into_iter().find(|r| r.customer_id == c.id);
                (score, Some(fit))
            };
            let bound = until;
            let insights = Insights::new(
                &c,
                as_of,
                store.behaviour(c.id, bound).await?,
                store.engagement(c.id, bound).await?,
                score,
                fit,
            );
            if as_json {
                println!("{}", json(&insights.json())?);
            } else {
                for line in crate::analytics::insights::describe(&insights) {
                    println!("{line}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_timings(t: &run::Timings, scored: i64) {
    eprintln!(
        "scored {} customers: scan {:.1} s, fit {:.1} s, score {:.1} s, save {:.1} s",
        thousands(scored),
        t.scan,
        t.fit,
        t.score,
        t.save
    );
}

fn print_fit(fit: &FitRecord, kept: bool) {
    let b = fit.bgnbd;
    println!(
        "BG/NBD (weeks): r {:.4}  alpha {:.4}  a {:.4}  b {:.4}  log-likelihood {:.1}",
        b[0], b[1], b[2], b[3], b[4]
    );
    match fit.gamma_gamma {
        Some(g) => println!(
            "Gamma-Gamma ({}): p {:.4}  q {:.4}  gamma {:.4}  log-likelihood {:.1}",
            fit.currency, g[0], g[1], g[2], g[3]
        ),
        None => println!(
            "Gamma-Gamma ({}): not fitted (too few repeat buyers); no CLV in {}",
            fit.currency, fit.currency
        ),
    }
    println!(
        "{} customers, {} repeat buyers, orders up to {}, horizon {} days, discount {}%/month",
        thousands(fit.customers),
        thousands(fit.repeat_buyers),
        fit.until.format("%Y-%m-%d"),
        fit.horizon_days,
        fit.monthly_discount * 100.0
    );
    if !kept {
        println!("(a back-test at a cut-off: the current model was left as it is)");
    }
}
