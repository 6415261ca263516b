//! `patron views list|save|delete`, and the saved view under `customers list --view NAME`.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::Result;

use super::filters::{FilterArgs, SortArgs};
use super::output::{cell, date, json};
use super::staff::acting;
use crate::store::DynStore;
use crate::store::query::{CustomerFilter, SortColumn};
use crate::store::views::{self, ViewDefinition};

#[derive(Debug, Subcommand)]
pub enum ViewsCommand {
    /// Your saved views of the customer list, then the shared ones.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Save (or replace) a view: the filter and sort flags of `customers list`.
    Save(Box<SaveArgs>),
    /// Delete your view of that name (or, with --shared, the shared one; admins only).
    Delete {
        name: String,
        #[arg(long)]
        shared: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct SaveArgs {
    name: String,
    /// Shared with every staff member (admins only).
    #[arg(long)]
    shared: bool,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    sort: SortArgs,
}

pub async fn run(store: &DynStore, cmd: ViewsCommand, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    match cmd {
        ViewsCommand::List { json: as_json } => {
            let vs = store.views(me.id).await?;
            if as_json {
                println!("{}", json(&vs)?);
                return Ok(ExitCode::SUCCESS);
            }
            if vs.is_empty() {
                println!("no saved views yet (patron views save NAME [filter flags])");
            }
            for v in &vs {
                let what = match (&v.definition, &v.unreadable) {
                    (Some(d), _) => d.describe(),
                    (None, why) => format!("cannot be read: {}", why.as_deref().unwrap_or("?")),
                };
                println!(
                    "{}  {}  {}  {}",
                    cell(&v.name, 24),
                    cell(if v.shared { "shared" } else { "own" }, 6),
                    date(Some(v.updated_at)),
                    patron_domain::sanitize::display(&what)
                );
            }
        }
        ViewsCommand::Save(a) => {
            let SaveArgs {
                name,
                shared,
                filter,
                sort,
            } = *a;
            let definition = ViewDefinition {
                filter: filter.apply(CustomerFilter::default())?,
                sort: sort.column()?.unwrap_or_default(),
                descending: sort.desc,
            };
            let v = store.save_view(me.id, &name, shared, &definition).await?;
            println!(
                "{} view {:?} (#{}): {}",
                if v.shared { "shared" } else { "saved" },
                patron_domain::sanitize::display(&v.name),
                v.id,
                definition.describe()
            );
        }
        ViewsCommand::Delete { name, shared } => {
            let vs = store.views(me.id).await?;
            let candidates: Vec<_> = vs.iter().filter(|v| v.shared == shared).cloned().collect();
            // The whole list names what there is when the name is not found.
            let v = views::pick(&candidates, &name).or_else(|_| views::pick(&vs, &name))?;
            if v.shared != shared {
                return Err(color_eyre::eyre::eyre!(
                    "{:?} is {}; {}",
                    v.name,
                    if v.shared {
                        "a shared view"
                    } else {
                        "your own view"
                    },
                    if v.shared {
                        "add --shared to delete it"
                    } else {
                        "leave out --shared to delete it"
                    }
                ));
            }
            store.delete_view(me.id, v.id).await?;
            println!(
                "deleted {} view {:?}",
                if v.shared { "shared" } else { "your" },
                patron_domain::sanitize::display(&v.name)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The filter and sort of `customers list` and `export`: the saved view's (if one is named)
/// with the flags given over it, else `unsorted` (the list's name order, an export's id order).
/// A `--sort` given picks its own direction (`--desc` or not).
pub async fn list_query(
    store: &DynStore,
    view: Option<&str>,
    filter: &FilterArgs,
    sort: &SortArgs,
    unsorted: SortColumn,
    flag: Option<&str>,
) -> Result<(CustomerFilter, SortColumn, bool)> {
    let base = match view {
        Some(name) => {
            let me = acting(store, flag).await?;
            store.view_by_name(me.id, name).await?.usable()?.clone()
        }
        None => ViewDefinition {
            sort: unsorted,
            ..ViewDefinition::default()
        },
    };
    let f = filter.apply(base.filter)?;
    Ok(match sort.column()? {
        Some(col) => (f, col, sort.desc),
        None => (f, base.sort, base.descending || sort.desc),
    })
}
