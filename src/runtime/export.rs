//! The console's exports: a job per Export dialog, its progress sent back as actions, Esc's
//! cancel flag, and the search results resolved to customers when a search is showing.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::Runtime;
use crate::app::action::Action;
use crate::app::export::ExportRequest;
use crate::export::{self, ExportSpec};

pub type Running = Arc<Mutex<HashMap<u64, Arc<AtomicBool>>>>;

/// The most search results an export of a search holds (the index ranks them all; past this
/// a filter on the list is the way).
const SEARCH_LIMIT: usize = 100_000;

pub fn cancel(running: &Running, req: u64) {
    if let Some(flag) = running.lock().ok().and_then(|m| m.get(&req).cloned()) {
        flag.store(true, Ordering::SeqCst);
    }
}

impl Runtime {
    pub(super) async fn export(&self, req: u64, staff: i64, r: ExportRequest) -> Action {
        let flag = Arc::new(AtomicBool::new(false));
        if let Ok(mut m) = self.exports.lock() {
            m.insert(req, flag.clone());
        }
        let result = self.run_export(req, staff, r, flag).await;
        if let Ok(mut m) = self.exports.lock() {
            m.remove(&req);
        }
        Action::ExportDone { req, result }
    }

    async fn run_export(
        &self,
        req: u64,
        staff: i64,
        r: ExportRequest,
        flag: Arc<AtomicBool>,
    ) -> Result<export::Summary, String> {
        let out = {
            let p = PathBuf::from(&r.file);
            if p.is_absolute() {
                p
            } else {
                std::fs::create_dir_all(&self.export_dir)
                    .map_err(|e| format!("{}: {e}", self.export_dir.display()))?;
                self.export_dir.join(p)
            }
        };
        let ids = match &r.search {
            Some(q) => Some(self.search_ids(q, &r.filter).await?),
            None => None,
        };
        let throttle = std::env::var("PATRON_EXPORT_THROTTLE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(std::time::Duration::from_millis);
        let spec = ExportSpec {
            what: r.what,
            format: r.format,
            out,
            fields: r.fields,
            filter: r.filter,
            sort: r.sort,
            descending: r.descending,
            // Small pages when throttled, so a test database has several.
            page: if throttle.is_some() { 50 } else { 1000 },
            ids,
            throttle,
        };
        let tx = self.tx.clone();
        let progress = move |p| {
            let _ = tx.send(Action::ExportProgress { req, progress: p });
        };
        let cancel = move || flag.load(Ordering::SeqCst);
        export::run(&self.store, staff, &spec, &progress, &cancel)
            .await
            .map_err(|e| e.to_string())
    }

    /// Every customer the search finds under the filter, best first, as the results list shows.
    async fn search_ids(
        &self,
        query: &str,
        filter: &crate::store::query::CustomerFilter,
    ) -> Result<Vec<i64>, String> {
        if !*self.ready.borrow() {
            return Err("the search index is still loading; export again in a moment".into());
        }
        let index = self.index.clone();
        let wanted = filter.search_filter();
        let q = query.to_string();
        let hits = tokio::task::spawn_blocking(move || {
            index
                .read()
                .map(|ix| {
                    ix.search_filtered(&q, SEARCH_LIMIT, &wanted, &|| false)
                        .hits
                })
                .unwrap_or_default()
        })
        .await
        .map_err(|e| e.to_string())?;
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        // The filter's row and store parts, checked on the rows as they are now.
        self.store
            .filter_ids(filter, &ids)
            .await
            .map_err(|e| e.to_string())
    }
}
