//! Command-line interface: argument definitions and dispatch, one file per subcommand group.

mod bench;
mod customers;
mod import;
mod output;
mod seed;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr};

use crate::config::{self, Config};
use crate::store::{self, DynStore};

#[derive(Debug, Parser)]
#[command(name = "patron", version, about = "A terminal console for e-commerce support staff")]
pub struct Cli {
    /// Database: sqlite://PATH or postgres://USER@HOST/DB (default: a SQLite file in the XDG data dir).
    #[arg(long, env = "PATRON_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Config file (default: $XDG_CONFIG_HOME/patron/config.toml).
    #[arg(long, env = "PATRON_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the demo database (if missing) and open the console on it.
    Demo {
        /// Customers in the demo database; each size has its own file.
        #[arg(long, default_value_t = 10_000)]
        customers: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Fill an empty database with deterministic, realistic demo data.
    Seed {
        #[arg(long)]
        customers: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Apply pending schema migrations.
    Migrate,
    /// Row counts per table and a consistency check of the denormalized stats.
    Stats,
    /// Import customers, orders or order items from CSV (see README for the columns).
    Import {
        #[command(subcommand)]
        what: import::ImportKind,
    },
    /// Find and inspect customers.
    Customers {
        #[command(subcommand)]
        command: customers::CustomersCommand,
    },
    /// Measure search speed and memory (results go in BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        what: bench::BenchKind,
    },
}

pub async fn run(cli: Cli, log_path: Option<PathBuf>) -> Result<ExitCode> {
    let cfg_path = cli.config.clone().unwrap_or_else(config::config_path);
    let cfg = Config::load(&cfg_path)?;
    let url = cli.database_url.clone().or(cfg.database_url.clone());
    match cli.command {
        None => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            console_placeholder(&store, log_path).await
        }
        Some(Command::Demo { customers, seed }) => {
            let url = url.unwrap_or_else(|| config::demo_database_url(customers));
            let store = connect(&url).await?;
            if store.count_customers(&Default::default()).await? == 0 {
                seed::seed(&store, customers, seed).await?;
            }
            console_placeholder(&store, log_path).await
        }
        Some(Command::Seed { customers, seed }) => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            seed::seed(&store, customers, seed).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Migrate) => {
            let url = url.unwrap_or_else(config::default_database_url);
            connect(&url).await?;
            println!("{}: schema is up to date", output::redact_url(&url));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Stats) => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            output::print_counts(&store.counts().await?);
            let wrong = store.verify_stats().await?;
            println!("customers with stale stats: {wrong}");
            Ok(if wrong == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Some(Command::Import { what }) => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            import::run(&store, what).await
        }
        Some(Command::Customers { command }) => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            customers::run(&store, command).await
        }
        Some(Command::Bench { what }) => bench::run(what, url).await,
    }
}

/// Opens the database (creating a SQLite file's directory) and brings its schema up to date.
pub async fn connect(url: &str) -> Result<DynStore> {
    if let Some(path) = config::sqlite_path(url) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).wrap_err_with(|| format!("cannot create {}", dir.display()))?;
        }
    }
    let redacted = output::redact_url(url);
    let store = store::open(url).await.wrap_err_with(|| format!("cannot open database {redacted}"))?;
    store.migrate().await.wrap_err_with(|| format!("cannot migrate database {redacted}"))?;
    Ok(store)
}

/// Until the console lands (next issue), opening it prints a summary and points at the CLI.
async fn console_placeholder(store: &DynStore, log_path: Option<PathBuf>) -> Result<ExitCode> {
    output::print_counts(&store.counts().await?);
    println!();
    println!("The console is not built yet. Try:");
    println!("  patron customers search \"jo sm\"");
    println!("  patron customers show 42");
    if let Some(p) = log_path {
        println!("Log file: {}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}
