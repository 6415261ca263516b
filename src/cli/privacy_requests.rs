//! `patron gdpr requests ...`: the queue of privacy requests and their legal due dates.

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail};

use crate::store::DynStore;

#[derive(Debug, Subcommand)]
pub enum RequestsCommand {
    /// Open requests, the most urgent first.
    List,
}

pub async fn run(_store: &DynStore, cmd: RequestsCommand, _flag: Option<&str>) -> Result<ExitCode> {
    match cmd {
        RequestsCommand::List => bail!("not built yet"),
    }
}
