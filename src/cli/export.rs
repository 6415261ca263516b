//! `patron export customers|orders`: filtered exports streamed to a file.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail};

use crate::store::DynStore;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Customers matching the list's filters.
    Customers,
}

pub async fn run(_store: &DynStore, cmd: ExportCommand, _flag: Option<&str>) -> Result<ExitCode> {
    match cmd {
        ExportCommand::Customers => bail!("not built yet"),
    }
}
