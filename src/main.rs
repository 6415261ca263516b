//! The `patron` binary: parses the command line and hands over to `cli`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let args = patron::cli::Cli::parse();
    let _ = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .install();
    let log = patron::logging::init(patron::config::log_dir());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let log_path = log.as_ref().map(|(_, p)| p.clone());
    let result = runtime.block_on(patron::cli::run(args, log_path, started));
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:?}");
            // One clear line, no backtrace: the log file has the detail.
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!(
                "error: {}",
                patron_domain::sanitize::display(&chain.join(": "))
            );
            ExitCode::FAILURE
        }
    }
}
