//! `patron consent grant|withdraw|show`: the consent ledger of one customer.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail};

use crate::store::DynStore;

#[derive(Debug, Subcommand)]
pub enum ConsentCommand {
    /// A customer's consent per purpose and its history.
    Show { customer: String },
}

pub async fn run(_store: &DynStore, cmd: ConsentCommand, _flag: Option<&str>) -> Result<ExitCode> {
    match cmd {
        ConsentCommand::Show { .. } => bail!("not built yet"),
    }
}
