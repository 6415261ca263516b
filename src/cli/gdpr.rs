//! `patron gdpr export|erase|requests`: a person's rights under the GDPR (access, erasure, the
//! queue of requests).

use std::process::ExitCode;

use clap::Subcommand;
use color_eyre::eyre::Result;

use crate::store::DynStore;

#[derive(Debug, Subcommand)]
pub enum GdprCommand {
    /// The queue of access, erasure and rectification requests.
    Requests {
        #[command(subcommand)]
        command: super::privacy_requests::RequestsCommand,
    },
}

pub async fn run(store: &DynStore, cmd: GdprCommand, flag: Option<&str>) -> Result<ExitCode> {
    match cmd {
        GdprCommand::Requests { command } => {
            super::privacy_requests::run(store, command, flag).await
        }
    }
}
