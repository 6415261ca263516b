//! `patron import customers|orders|order-items|events|tickets FILE`: validate everything first, then write in one
//! transaction. Order items naming an unknown order are refused by the store, by line.

use std::fs::File;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, WrapErr, eyre};
use patron_domain::import::{self, ImportError, Parsed, RowError};

use super::output::thousands;
use crate::store::DynStore;
use crate::store::analytics::EventRow;
use crate::store::model::{EventKind, ImportReport};

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// Customers CSV, upserted by email.
    Customers(ImportArgs),
    /// Orders CSV, upserted by order number; links each order to the customer with its email.
    Orders(ImportArgs),
    /// Order items CSV, upserted by (order number, sku); unknown skus become products.
    OrderItems(ImportArgs),
    /// Engagement events CSV (email, kind, occurred_at, detail): email opened/clicked, site
    /// visits, abandoned carts, reviews, referrals; a re-import adds nothing twice.
    Events(ImportArgs),
    /// Help-desk tickets CSV from a Zendesk or Freshdesk export (id, requester email, subject,
    /// status, priority, created, solved, satisfaction, conversation), upserted by (source, id);
    /// requesters who are no customer are kept unlinked.
    Tickets(TicketArgs),
}

#[derive(Debug, Args)]
pub struct TicketArgs {
    #[command(flatten)]
    pub common: ImportArgs,
    /// Which help desk the tickets come from; ids are unique per source. Default: guessed from
    /// the header (zendesk, freshdesk, else helpdesk).
    #[arg(long)]
    pub source: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Import the valid rows and write the rejected ones to a reject file instead of importing nothing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where rejected rows go with --skip-invalid (default: FILE.rejects.csv).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

pub async fn run(
    store: &DynStore,
    kind: ImportKind,
    analytics: &crate::config::AnalyticsConfig,
    flag: Option<&str>,
) -> Result<ExitCode> {
    let orders_changed = matches!(kind, ImportKind::Orders(_) | ImportKind::OrderItems(_));
    let code = import(store, kind).await?;
    if code == ExitCode::SUCCESS && orders_changed {
        refresh_scores(store, analytics, flag).await;
    }
    Ok(code)
}

/// Kept scores follow the orders they were computed from: once a model exists, an order
/// import refits it. A refit that cannot run is a note, not a failed import.
async fn refresh_scores(
    store: &DynStore,
    cfg: &crate::config::AnalyticsConfig,
    flag: Option<&str>,
) {
    use crate::analytics::run;
    match store.current_fit().await {
        Ok(Some(_)) => {}
        _ => return,
    }
    let staff = match super::staff::acting(store, flag).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("note: customer scores not refreshed: {e}");
            return;
        }
    };
    let now = chrono::Utc::now();
    match run::refresh(store, staff.id, now, run::settings(now, cfg.value(), None)).await {
        Ok((saved, _)) => eprintln!(
            "customer scores refreshed: {} customers",
            thousands(saved.scored)
        ),
        Err(e) => eprintln!("note: customer scores not refreshed: {e}"),
    }
}

async fn import(store: &DynStore, kind: ImportKind) -> Result<ExitCode> {
    match kind {
        ImportKind::Tickets(t) => return tickets(store, t).await,
        ImportKind::Events(a) => {
            let parsed = parse(&a.file, import::parse_events)?;
            let lines: Vec<u64> = parsed.rows.iter().map(|(l, _)| *l).collect();
            let Some(rows) = gate(&a, parsed)? else {
                return Ok(ExitCode::FAILURE);
            };
            let total = rows.len();
            let rows: Vec<(u64, EventRow)> = lines
                .into_iter()
                .zip(rows)
                .filter_map(|(line, r)| {
                    Some((
                        line,
                        EventRow {
                            email: r.email,
                            kind: EventKind::parse(&r.kind)?,
                            occurred_at: r.occurred_at,
                            detail: r.detail,
                        },
                    ))
                })
                .collect();
            let r = store
                .import_events(None, &rows, &|done| progress(done, total))
                .await?;
            report("events", total, r);
        }
        ImportKind::Customers(a) => {
            let parsed = parse(&a.file, import::parse_customers)?;
            let Some(rows) = gate(&a, parsed)? else {
                return Ok(ExitCode::FAILURE);
            };
            let total = rows.len();
            let r = store
                .import_customers(&rows, &|done| progress(done, total))
                .await?;
            report("customers", total, r);
        }
        ImportKind::Orders(a) => {
            let parsed = parse(&a.file, import::parse_orders)?;
            let Some(rows) = gate(&a, parsed)? else {
                return Ok(ExitCode::FAILURE);
            };
            let total = rows.len();
            let r = store
                .import_orders(&rows, &|done| progress(done, total))
                .await?;
            report("orders", total, r);
        }
        // Whether each row's order exists only the database knows: with --skip-invalid the rows
        // it refuses join the reject file after the import; without, nothing is written.
        ImportKind::OrderItems(a) => {
            let mut parsed = parse(&a.file, import::parse_order_items)?;
            let rows = std::mem::take(&mut parsed.rows);
            let header = parsed.header.clone();
            let mut errors = parsed.errors.clone();
            if !gate_errors(&a, &parsed.errors, rows.len()) {
                return Ok(ExitCode::FAILURE);
            }
            let total = rows.len();
            let mut r = store
                .import_order_items(&rows, a.skip_invalid, &|done| progress(done, total))
                .await?;
            let written = total - r.rejected.len();
            if !r.rejected.is_empty() {
                let file = File::open(&a.file)
                    .wrap_err_with(|| format!("cannot open {}", a.file.display()))?;
                let late = import::reject_lines(BufReader::new(file), &r.rejected)
                    .map_err(|e| eyre!("{}: {e}", a.file.display()))?;
                for e in &late {
                    eprintln!("{e}");
                }
                errors.extend(late);
                errors.sort_by_key(|e| e.line);
            }
            if !errors.is_empty() {
                write_reject_file(&a, &header, &errors)?;
            }
            r.rejected.clear();
            report("order items", written, r);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn tickets(store: &DynStore, t: TicketArgs) -> Result<ExitCode> {
    let a = &t.common;
    let parsed = parse(&a.file, import::parse_tickets)?;
    let source = t
        .source
        .clone()
        .unwrap_or_else(|| import::ticket_source(&parsed.header).to_owned());
    let refused = parsed.errors.len();
    let lines: Vec<u64> = parsed.rows.iter().map(|(l, _)| *l).collect();
    let Some(rows) = gate(a, parsed)? else {
        return Ok(ExitCode::FAILURE);
    };
    let total = rows.len();
    let rows: Vec<_> = lines.into_iter().zip(rows).collect();
    let r = store
        .import_tickets(None, &source, &rows, &|done| progress(done, total))
        .await?;
    if total >= 2 * crate::store::PROGRESS_EVERY && std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
    println!(
        "tickets ({source}): {} rows — {} imported, {} updated, {} unchanged, {} with unmatched requester emails (kept, unlinked), {} refused",
        thousands(total as i64),
        thousands(r.inserted as i64),
        thousands(r.updated as i64),
        thousands(r.unchanged as i64),
        thousands(r.unmatched as i64),
        thousands(refused as i64),
    );
    Ok(ExitCode::SUCCESS)
}

fn parse<T>(
    path: &Path,
    f: fn(BufReader<File>) -> Result<Parsed<T>, ImportError>,
) -> Result<Parsed<T>> {
    let file = File::open(path).wrap_err_with(|| format!("cannot open {}", path.display()))?;
    let started = Instant::now();
    let parsed = f(BufReader::new(file)).map_err(|e| eyre!("{}: {e}", path.display()))?;
    if std::io::stderr().is_terminal() {
        eprintln!(
            "checked {} rows of {} in {:.1?}",
            thousands((parsed.rows.len() + parsed.errors.len()) as i64),
            path.display(),
            started.elapsed()
        );
    }
    Ok(parsed)
}

/// Decides what gets written: all rows, the good rows (with a reject file), or nothing.
fn gate<T>(args: &ImportArgs, parsed: Parsed<T>) -> Result<Option<Vec<T>>> {
    let rows: Vec<T> = parsed.rows.into_iter().map(|(_, r)| r).collect();
    if !gate_errors(args, &parsed.errors, rows.len()) {
        return Ok(None);
    }
    if !parsed.errors.is_empty() {
        write_reject_file(args, &parsed.header, &parsed.errors)?;
    }
    Ok(Some(rows))
}

/// Lists the bad rows on stderr; `false` when they stop the import (no --skip-invalid).
fn gate_errors(args: &ImportArgs, errors: &[RowError], good: usize) -> bool {
    if errors.is_empty() {
        return true;
    }
    for e in errors {
        eprintln!("{e}");
    }
    if !args.skip_invalid {
        eprintln!(
            "{} bad rows in {}: nothing was imported (fix them, or use --skip-invalid to import the {} good rows)",
            errors.len(),
            args.file.display(),
            good
        );
        return false;
    }
    true
}

/// Writes the rejected rows (original columns, then line and reason) next to FILE or to --rejects.
fn write_reject_file(args: &ImportArgs, header: &[String], errors: &[RowError]) -> Result<()> {
    let path = args.rejects.clone().unwrap_or_else(|| {
        let mut p = args.file.clone().into_os_string();
        p.push(".rejects.csv");
        PathBuf::from(p)
    });
    let out = File::create(&path).wrap_err_with(|| format!("cannot write {}", path.display()))?;
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    import::write_rejects(out, &header, errors)
        .wrap_err_with(|| format!("cannot write {}", path.display()))?;
    eprintln!("{} bad rows written to {}", errors.len(), path.display());
    Ok(())
}

/// A running count on stderr while rows are written, when a person is watching.
fn progress(done: usize, total: usize) {
    if total >= 2 * crate::store::PROGRESS_EVERY && std::io::stderr().is_terminal() {
        eprint!(
            "\rwriting: {} / {} rows   ",
            thousands(done as i64),
            thousands(total as i64)
        );
    }
}

fn report(what: &str, rows: usize, r: ImportReport) {
    if rows >= 2 * crate::store::PROGRESS_EVERY && std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
    println!(
        "{what}: {} rows — {} inserted, {} updated, {} unchanged{}",
        thousands(rows as i64),
        thousands(r.inserted as i64),
        thousands(r.updated as i64),
        thousands(r.unchanged as i64),
        if r.created_related > 0 {
            format!(", {} related rows created", r.created_related)
        } else {
            String::new()
        }
    );
}
