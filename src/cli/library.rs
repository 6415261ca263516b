//! `patron library rebuild|grant|revoke`: digital library maintenance (admins only).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail};
use patron_domain::sanitize::display;

use super::output::{json, thousands};
use super::staff::{acting, require};
use crate::store::DynStore;
use crate::store::model::LibrarySource;
use crate::store::permissions::Permission;
use crate::store::review::NewLibraryItem;

#[derive(Debug, Subcommand)]
pub enum LibraryCommand {
    /// Paid orders grant their digital items, refunded ones revoke them; manual and gift grants stay.
    Rebuild {
        /// One customer (id or email).
        customer: Option<String>,
        /// Every customer, with progress on stderr.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Grant a product by hand (manual or gift).
    Grant {
        customer: String,
        #[arg(long)]
        product: i64,
        #[arg(long)]
        gift: bool,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Revoke a library item by its id.
    Revoke { item: i64 },
}

pub async fn run(store: &DynStore, cmd: LibraryCommand, flag: Option<&str>) -> Result<ExitCode> {
    let me = acting(store, flag).await?;
    require(&me, Permission::ManageLibrary)?;
    match cmd {
        LibraryCommand::Rebuild {
            customer,
            all,
            json: as_json,
        } => {
            let id = match (customer, all) {
                (Some(_), true) | (None, false) => bail!("give one customer or --all"),
                (Some(c), false) => Some(store.resolve(&c).await?.id),
                (None, true) => None,
            };
            let tty = std::io::stderr().is_terminal();
            let progress = move |done: usize| {
                if tty {
                    eprint!("\rrebuilding: {} ids", thousands(done as i64));
                } else {
                    eprintln!("rebuilding: {} ids", thousands(done as i64));
                }
            };
            let r = store.rebuild_library(me.id, id, &progress).await?;
            if tty {
                eprintln!();
            }
            if as_json {
                println!("{}", json(&r)?);
            } else {
                println!(
                    "library rebuilt for {} customers: {} added, {} revoked",
                    thousands(r.customers),
                    thousands(r.added.len() as i64),
                    thousands(r.revoked.len() as i64)
                );
            }
        }
        LibraryCommand::Grant {
            customer,
            product,
            gift,
            note,
        } => {
            let c = store.resolve(&customer).await?;
            let new = NewLibraryItem {
                product_id: product,
                source: if gift {
                    LibrarySource::Gift
                } else {
                    LibrarySource::Manual
                },
                note,
                expires_at: None,
            };
            let item = store.add_library_item(me.id, c.id, &new).await?;
            println!(
                "library item #{} ({}) granted to customer #{} by {}",
                item.id,
                display(&item.name),
                c.id,
                display(&me.username)
            );
        }
        LibraryCommand::Revoke { item } => {
            let i = store.revoke_library_item(me.id, item).await?;
            println!("library item #{} ({}) revoked", i.id, display(&i.name));
        }
    }
    Ok(ExitCode::SUCCESS)
}
