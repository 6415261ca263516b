//! The files of an access export: `customer-<id>.json` (everything held, machine-readable, for
//! portability) and the readable `customer-<id>.html` next to it. `patron gdpr export` and the
//! console's access export both write them here, so the two can never hand out different files.

mod page;

use std::path::{Path, PathBuf};

use color_eyre::eyre::{Result, WrapErr};

use crate::store::privacy::CustomerExport;

pub use page::render;

/// The two paths written, JSON first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub json: PathBuf,
    pub html: PathBuf,
}

/// Writes both files of `export` into `dir` (created if missing), replacing earlier ones.
pub fn write(export: &CustomerExport, dir: &Path) -> Result<Written> {
    let id = export.customer.id;
    std::fs::create_dir_all(dir).wrap_err_with(|| format!("cannot create {}", dir.display()))?;
    let json = dir.join(format!("customer-{id}.json"));
    let html = dir.join(format!("customer-{id}.html"));
    let text = serde_json::to_string_pretty(export)?;
    std::fs::write(&json, text).wrap_err_with(|| format!("cannot write {}", json.display()))?;
    std::fs::write(&html, render(export)?)
        .wrap_err_with(|| format!("cannot write {}", html.display()))?;
    Ok(Written { json, html })
}
