//! Command-line interface: argument definitions and dispatch, one file per subcommand group.

// Every `println!` and `print!` in the CLI (these are declared before the modules, so they
// shadow std's there): the same output, but when the reader has gone away (`patron … | head -1`)
// the process ends by SIGPIPE like other Unix tools instead of panicking. See `output::stdout`.
macro_rules! println {
    () => {
        $crate::cli::output::stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

macro_rules! print {
    ($($arg:tt)*) => {
        $crate::cli::output::stdout(format_args!($($arg)*))
    };
}

mod analytics;
mod audit;
mod bench;
mod bench_analytics;
mod bench_email;
mod bench_review;
mod bench_serve;
mod consent;
mod customer_edit;
mod customers;
mod email;
mod export;
mod filters;
mod gdpr;
mod groups;
mod import;
mod library;
mod merge;
mod output;
mod review;
mod seed;
pub mod staff;
mod views;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr, eyre};

use crate::config::{self, Config};
use crate::input::Keymap;
use crate::store::{self, DynStore};

#[derive(Debug, Parser)]
#[command(
    name = "patron",
    version,
    about = "A terminal console for e-commerce support staff"
)]
pub struct Cli {
    /// Database: sqlite://PATH or postgres://USER@HOST/DB (default: a SQLite file in the XDG data dir).
    #[arg(long, env = "PATRON_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Config file (default: $XDG_CONFIG_HOME/patron/config.toml).
    #[arg(long, env = "PATRON_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Act as this staff member (admins only; default: $PATRON_STAFF, else the staff member whose
    /// login is your OS user). Audit entries then name both.
    #[arg(long = "as", env = "PATRON_STAFF", global = true, value_name = "NAME")]
    pub acting: Option<String>,
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
    /// Staff accounts and what each role may do.
    Staff {
        #[command(subcommand)]
        command: staff::StaffCommand,
    },
    /// Customer groups.
    Groups {
        #[command(subcommand)]
        command: groups::GroupsCommand,
    },
    /// Account review: every account classified (active, unused, spam, recent) with reasons, and
    /// `review delete` for a whole class (admins only).
    Review {
        #[command(subcommand)]
        command: Option<review::ReviewCommand>,
        #[command(flatten)]
        report: review::ReportArgs,
    },
    /// The audit log: every staff write, newest first (admins only).
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Digital libraries: rebuild from orders, grant, revoke (admins only).
    Library {
        #[command(subcommand)]
        command: library::LibraryCommand,
    },
    /// Registrations per IP and blocked IPs.
    Ip {
        #[command(subcommand)]
        command: review::IpCommand,
    },
    /// Serve the console over SSH: one process for every agent, each logging in with their
    /// staff key (`patron staff key add`). Stops on SIGTERM or Ctrl-C.
    Serve {
        /// Address to listen on (default: the config's [serve] listen, else 127.0.0.1:2222).
        #[arg(long)]
        listen: Option<String>,
        /// Host key file, created (ed25519, mode 0600) on first start (default:
        /// $XDG_DATA_HOME/patron/ssh_host_ed25519_key).
        #[arg(long)]
        host_key: Option<PathBuf>,
    },
    /// Customer value: fit BG/NBD + Gamma-Gamma, RFM segments, churn risk, one customer's insights.
    Analytics {
        #[command(subcommand)]
        command: analytics::AnalyticsCommand,
    },
    /// Consent per purpose (marketing email, SMS, ...): grant, withdraw, show the history.
    Consent {
        #[command(subcommand)]
        command: consent::ConsentCommand,
    },
    /// Write to customers: send (queued, then sent through [smtp]), the outbox, send-pending
    /// for cron, bounces, template previews. "sent" means accepted by the mail server.
    Email {
        #[command(subcommand)]
        command: email::EmailCommand,
    },
    /// Customers or their orders, filtered as on the list, to CSV, JSON, Excel or HTML (admins).
    Export {
        #[command(subcommand)]
        what: export::ExportCommand,
    },
    /// Saved views of the customer list: list, save, delete (`customers list --view NAME`).
    Views {
        #[command(subcommand)]
        command: views::ViewsCommand,
    },
    /// GDPR: the privacy request queue, a customer's access export, erasure.
    Gdpr {
        #[command(subcommand)]
        command: gdpr::GdprCommand,
    },
    /// Measure search speed and memory (results go in BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        what: bench::BenchKind,
    },
}

pub async fn run(
    cli: Cli,
    log_path: Option<PathBuf>,
    started: std::time::Instant,
) -> Result<ExitCode> {
    let cfg_path = cli.config.clone().unwrap_or_else(config::config_path);
    let cfg = Config::load(&cfg_path)?;
    let url = cli.database_url.clone().or(cfg.database_url.clone());
    // The database the command looks in, named by every "not found" (`None`: bench makes its own).
    let looked_in = match &cli.command {
        Some(Command::Demo { customers, .. }) => Some(
            url.clone()
                .unwrap_or_else(|| config::demo_database_url(*customers)),
        ),
        Some(Command::Bench { .. }) => None,
        _ => Some(url.clone().unwrap_or_else(config::default_database_url)),
    };
    // Who really acts is set inside this scope once `--as` has been checked (`staff::acting`).
    store::actor::scope(None, dispatch(cli, cfg, url, log_path, started))
        .await
        .map_err(|e| match &looked_in {
            Some(db) => name_database(e, db),
            None => e,
        })
}

/// A "not found" says which database it looked in: the wrong one is the usual reason.
fn name_database(e: color_eyre::Report, url: &str) -> color_eyre::Report {
    let not_found = e.chain().any(|c| {
        matches!(
            c.downcast_ref::<store::StoreError>(),
            Some(store::StoreError::NotFound(_))
        ) || c.downcast_ref::<staff::UnknownStaff>().is_some()
    });
    if !not_found {
        return e;
    }
    let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
    eyre!("{} (in {})", chain.join(": "), output::redact_url(url))
}

async fn dispatch(
    cli: Cli,
    cfg: Config,
    url: Option<String>,
    log_path: Option<PathBuf>,
    started: std::time::Instant,
) -> Result<ExitCode> {
    let acting = cli.acting.as_deref();
    // Commands that look things up; on the default database they point at a demo database
    // when the default one is empty (`patron demo` does not use it).
    let lookup = || connect_to_look_up(url.as_deref());
    match cli.command {
        None => {
            let url = url.unwrap_or_else(config::default_database_url);
            let store = connect(&url).await?;
            console(store, &url, &cfg, acting, log_path, started).await
        }
        Some(Command::Demo { customers, seed }) => {
            let url = url.unwrap_or_else(|| config::demo_database_url(customers));
            let store = connect(&url).await?;
            if store.count_customers(&Default::default()).await? == 0 {
                eprintln!(
                    "creating the demo database ({customers} customers) at {}",
                    output::redact_url(&url)
                );
                seed::seed(&store, customers, seed).await?;
            }
            // The console still opens without it; writes would then ask for --as.
            if let Err(e) = staff::ensure_os_admin(&store, "demo").await {
                eprintln!(
                    "warning: {}",
                    patron_domain::sanitize::display(&e.to_string())
                );
            }
            console(store, &url, &cfg, acting, log_path, started).await
        }
        Some(Command::Seed { customers, seed }) => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            seed::seed(&store, customers, seed).await?;
            // Whoever seeds a database can act in it, as in the demo.
            staff::ensure_os_admin(&store, "seeded").await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Migrate) => {
            let url = url.unwrap_or_else(config::default_database_url);
            connect(&url).await?;
            println!("{}: schema is up to date", output::redact_url(&url));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Stats) => {
            let store = lookup().await?;
            output::print_counts(&store.counts().await?);
            let wrong = store.verify_stats().await?;
            println!("customers with stale stats: {wrong}");
            Ok(if wrong == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Import { what }) => {
            let store = connect(&url.unwrap_or_else(config::default_database_url)).await?;
            import::run(&store, what, &cfg.analytics, acting).await
        }
        Some(Command::Customers { command }) => {
            customers::run(&lookup().await?, command, acting).await
        }
        Some(Command::Staff { command }) => staff::run(&lookup().await?, command, acting).await,
        Some(Command::Groups { command }) => groups::run(&lookup().await?, command, acting).await,
        Some(Command::Review { command, report }) => {
            let store = lookup().await?;
            match command {
                Some(review::ReviewCommand::Delete(a)) => {
                    review::delete(&store, &cfg.review, a, acting).await
                }
                None => review::report(&store, &cfg.review, report, acting).await,
            }
        }
        Some(Command::Audit { command }) => audit::run(&lookup().await?, command, acting).await,
        Some(Command::Library { command }) => library::run(&lookup().await?, command, acting).await,
        Some(Command::Ip { command }) => review::ip(&lookup().await?, command, acting).await,
        Some(Command::Analytics { command }) => {
            analytics::run(&lookup().await?, &cfg.analytics, command, acting).await
        }
        Some(Command::Consent { command }) => consent::run(&lookup().await?, command, acting).await,
        Some(Command::Email { command }) => {
            email::run(&lookup().await?, &cfg, command, acting).await
        }
        Some(Command::Export { what }) => export::run(&lookup().await?, what, acting).await,
        Some(Command::Views { command }) => views::run(&lookup().await?, command, acting).await,
        Some(Command::Gdpr { command }) => gdpr::run(&lookup().await?, command, acting).await,
        Some(Command::Bench { what }) => bench::run(what, url).await,
        Some(Command::Serve { listen, host_key }) => {
            let url = url.unwrap_or_else(config::default_database_url);
            let store = connect(&url).await?;
            let settings = serve_settings(&cfg, &url, listen, host_key)?;
            crate::serve::run(store, settings).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `connect` for the commands that look things up. On the default database (no URL given)
/// that is empty while `patron demo` has made a demo database, a note on stderr says where
/// the data is: the two are different files, and an empty result would otherwise look like
/// a missing customer.
async fn connect_to_look_up(url: Option<&str>) -> Result<DynStore> {
    let Some(url) = url else {
        let url = config::default_database_url();
        let store = connect(&url).await?;
        let demos = config::demo_databases();
        if let Some((customers, path)) = demos.first() {
            if store.count_customers(&Default::default()).await? == 0 {
                let demo = if *customers == 10_000 {
                    "patron demo".to_string()
                } else {
                    format!("patron demo --customers {customers}")
                };
                eprintln!(
                    "note: {} is empty; the demo database is {} \
                     (use --database-url {} or {demo})",
                    output::redact_url(&url),
                    path.display(),
                    config::sqlite_url(path),
                );
            }
        }
        return Ok(store);
    };
    connect(url).await
}

/// Opens the database (creating a SQLite file's directory) and brings its schema up to date.
pub async fn connect(url: &str) -> Result<DynStore> {
    if let Some(path) = config::sqlite_path(url) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .wrap_err_with(|| format!("cannot create {}", dir.display()))?;
        }
    }
    let redacted = output::redact_url(url);
    let store = store::open(url)
        .await
        .wrap_err_with(|| format!("cannot open database {redacted}"))?;
    store
        .migrate()
        .await
        .wrap_err_with(|| format!("cannot migrate database {redacted}"))?;
    Ok(store)
}

/// `patron serve`'s settings: flags over the config's `[serve]` over defaults.
fn serve_settings(
    cfg: &Config,
    url: &str,
    listen: Option<String>,
    host_key: Option<PathBuf>,
) -> Result<crate::serve::Settings> {
    let listen = listen
        .or(cfg.serve.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:2222".into());
    let listen = listen
        .parse()
        .map_err(|_| eyre!("--listen {listen:?}: expected an address such as 127.0.0.1:2222"))?;
    let host_key = host_key
        .or(cfg.serve.host_key.clone())
        .unwrap_or_else(|| config::data_dir().join("ssh_host_ed25519_key"));
    Ok(crate::serve::Settings {
        listen,
        host_key,
        idle: std::time::Duration::from_secs(cfg.serve.idle_minutes.unwrap_or(30).max(1) * 60),
        max_sessions: cfg.serve.max_sessions.unwrap_or(64).max(1),
        console: console_settings(cfg, url)?,
    })
}

/// What every console starts from, local or served: keymap, the database name in the title,
/// page size, colour and the review rules.
fn console_settings(cfg: &Config, url: &str) -> Result<crate::serve::Console> {
    let keymap = Keymap::default()
        .with_overrides(&cfg.keys)
        .map_err(|e| eyre!("config: {e}"))?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match cfg.theme.mode.as_deref() {
        Some("mono") => false,
        Some("color") => true,
        _ => !no_color,
    };
    let database = match config::sqlite_path(url) {
        Some(p) => p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| url.to_string()),
        None => output::redact_url(url),
    };
    let page_size = cfg.page_size.unwrap_or(100).clamp(10, 1000);
    Ok(crate::serve::Console {
        keymap,
        database,
        page_size,
        color,
        rules: cfg.review.clone(),
        value: cfg.analytics.value(),
    })
}

/// Opens the console on a migrated store with the config's keymap, theme and page size.
async fn console(
    store: DynStore,
    url: &str,
    cfg: &Config,
    acting: Option<&str>,
    log_path: Option<PathBuf>,
    started: std::time::Instant,
) -> Result<ExitCode> {
    // Reading needs no identity; without one the console is read-only and says so when asked to write.
    // A name given on purpose (--as, PATRON_STAFF) that cannot be acted as is refused, like the
    // CLI does; an OS user who is not staff opens read-only and says why.
    let (staff, real, notice) = match staff::resolve(&store, acting).await {
        Ok(who) => (Some(who.staff), who.real, None),
        Err(
            e @ (staff::NotActing::Unknown(_)
            | staff::NotActing::Deactivated(_)
            | staff::NotActing::NotAdmin { .. }),
        ) if acting.is_some() => {
            return Err(eyre!("{e}"));
        }
        Err(e) => {
            tracing::info!("console is read-only: {e}");
            (None, None, Some(format!("read-only: {e}")))
        }
    };
    let crate::serve::Console {
        keymap,
        database,
        page_size,
        color,
        rules,
        value,
    } = console_settings(cfg, url)?;
    let probe = std::env::var_os("PATRON_PROBE_FIRST_FRAME").map(|_| started);
    let opts = crate::runtime::event_loop::Options {
        keymap,
        database,
        page_size,
        color,
        log_path,
        probe,
        staff,
        real,
        notice,
        rules,
        value,
    };
    crate::runtime::event_loop::console(store, opts).await?;
    Ok(ExitCode::SUCCESS)
}
