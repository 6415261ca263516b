//! `patron export customers|orders`: the list's filters and sort to a file in one of the export
//! formats, with progress on stderr when it is a terminal and a summary line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, eyre};
use patron_export::Format;

use super::filters::{FilterArgs, SortArgs};
use super::output::thousands;
use super::staff::acting;
use crate::export::{self, ExportSpec, What};
use crate::store::DynStore;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One row per customer the filters select.
    Customers(ExportArgs),
    /// One row per order of the customers the filters select.
    Orders(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv, csv-excel (BOM, formula-safe cells), json, jsonl, xlsx or html.
    #[arg(long)]
    pub format: String,
    /// The file to write; it appears only once the export is complete.
    #[arg(long)]
    pub out: PathBuf,
    /// Comma-separated fields in the order wanted (`--fields help` lists them).
    #[arg(long)]
    pub fields: Option<String>,
    /// Start from this saved view's filter and sort (`patron views`); flags given override it.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sort: SortArgs,
}

pub async fn run(store: &DynStore, cmd: ExportCommand, flag: Option<&str>) -> Result<ExitCode> {
    let (what, a) = match cmd {
        ExportCommand::Customers(a) => (What::Customers, a),
        ExportCommand::Orders(a) => (What::Orders, a),
    };
    if a.fields.as_deref() == Some("help") {
        let all: Vec<&str> = match what {
            What::Customers => export::fields::CUSTOMER_FIELDS
                .iter()
                .map(|f| f.name)
                .collect(),
            What::Orders => export::fields::ORDER_FIELDS
                .iter()
                .map(|f| f.name)
                .collect(),
        };
        println!("{}", all.join("\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let format = Format::parse(a.format.trim()).ok_or_else(|| {
        eyre!(
            "--format {:?}: use csv, csv-excel, json, jsonl, xlsx or html",
            a.format
        )
    })?;
    export::check_fields(what, a.fields.as_deref()).map_err(|e| eyre!("--fields: {e}"))?;
    let (filter, sort, descending) = super::views::list_query(
        store,
        a.view.as_deref(),
        &a.filter,
        &a.sort,
        crate::store::query::SortColumn::Id,
        flag,
    )
    .await?;
    let spec = ExportSpec {
        what,
        format,
        out: a.out.clone(),
        fields: a.fields.clone(),
        filter,
        sort,
        descending,
        page: 1000,
        ids: None,
        throttle: None,
    };
    let me = acting(store, flag).await?;

    // Ctrl-C ends the export cleanly: the partial file is removed and the cancel is audited.
    let stop = Arc::new(AtomicBool::new(false));
    let flag_for_signal = stop.clone();
    let signal = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag_for_signal.store(true, Ordering::SeqCst);
        }
    });
    let tty = std::io::stderr().is_terminal();
    let progress = move |p: export::Progress| {
        if tty {
            let pct = (p.customers_done * 100)
                .checked_div(p.customers_total)
                .unwrap_or(100);
            eprint!(
                "\r\x1b[2K{} {pct:>3}%  {} of {} customers, {} rows",
                bar(pct),
                thousands(p.customers_done as i64),
                thousands(p.customers_total as i64),
                thousands(p.rows as i64)
            );
        }
    };
    let cancel = {
        let stop = stop.clone();
        move || stop.load(Ordering::SeqCst)
    };
    let result = export::run(store, me.id, &spec, &progress, &cancel).await;
    signal.abort();
    if tty {
        eprint!("\r\x1b[2K");
    }
    let s = result?;
    println!(
        "exported {} {} ({} bytes) to {} in {:.1} s",
        thousands(s.rows as i64),
        if s.rows == 1 { "row" } else { "rows" },
        thousands(s.bytes as i64),
        s.path.display(),
        s.seconds
    );
    Ok(ExitCode::SUCCESS)
}

fn bar(pct: u64) -> String {
    let filled = (pct.min(100) / 5) as usize;
    format!("[{}{}]", "#".repeat(filled), "-".repeat(20 - filled))
}
