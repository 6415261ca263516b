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
        let mut result = tokio::task::spawn_blocking(move || {
            index
                .read()
                .map(|ix| ix.search_filtered(&q, SEARCH_LIMIT, &wanted, &|| false))
                .ok()
        })
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the search index is unavailable")?;
        // Resolved as the results list resolves them: a merged email's survivor on top, a hit
        // merged away since it was indexed counted once as the customer it became.
        self.merged_email_on_top(query, &mut result).await;
        let ids: Vec<i64> = result.hits.iter().map(|h| h.id).collect();
        let (_, aliases) = self.hit_customers(&ids).await.map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<i64> = ids
            .iter()
            .map(|id| {
                aliases
                    .iter()
                    .find(|(from, _)| from == id)
                    .map_or(*id, |a| a.1)
            })
            .filter(|id| seen.insert(*id))
            .collect();
        // The filter's row and store parts, checked on the rows as they are now.
        self.store
            .filter_ids(filter, &ids)
            .await
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::app::action::Action;
    use crate::store::query::CustomerFilter;
    use crate::store::review::MergeChoices;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{DynStore, Store};

    use super::super::Runtime;

    /// An export of a search must hold the customers the results list shows, in its order:
    /// the same merged-email answer on top and the same merged-away hits resolved, even with
    /// the index not yet told of a merge.
    #[tokio::test]
    async fn a_search_export_holds_the_customers_the_results_list_shows() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let sqlite = SqliteStore::open(&url).await.unwrap();
        sqlite.migrate().await.unwrap();
        let store: DynStore = Arc::new(sqlite);
        let mut g = crate::seed::Generator::new(3, 300, chrono::Utc::now());
        store.insert_seed(&g.base()).await.unwrap();
        store.insert_seed(&g.next_batch(300)).await.unwrap();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let rt = Runtime::new(store.clone(), tx);
        rt.load_index();
        let mut ready = rt.ready.clone();
        ready.wait_for(|r| *r).await.unwrap();

        let source = store.customer(10).await.unwrap();
        let target = store.customer(11).await.unwrap();
        store
            .merge_customers(1, source.id, target.id, &MergeChoices::default())
            .await
            .unwrap();
        let queries = [
            source.email.clone(),
            source.last_name.clone(),
            target.first_name.clone(),
            "a".to_string(),
        ];
        let filter = CustomerFilter::default();
        for (n, q) in queries.iter().enumerate() {
            let req = n as u64 + 1;
            rt.latest_search
                .store(req, std::sync::atomic::Ordering::SeqCst);
            let Some(Action::SearchDone { result, .. }) =
                rt.search(req, q.clone(), 100_000, &filter).await
            else {
                panic!("{q}: no answer");
            };
            let shown: Vec<i64> = result.unwrap().rows.iter().map(|r| r.customer.id).collect();
            let exported = rt.search_ids(q, &filter).await.unwrap();
            assert_eq!(exported, shown, "{q}");
        }
        assert!(
            rt.search_ids(&source.email, &filter).await.unwrap().first() == Some(&target.id),
            "the merged email's survivor is on top"
        );
    }
}
