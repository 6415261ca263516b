//! The console's search: the index when it is ready, exact email and order-number lookups
//! in the store before that, and the store's narrowing for what the index does not know.

use std::sync::atomic::Ordering;
use std::time::Instant;

use patron_search::{ExactKind, Hit, SearchResult};

use super::{Runtime, failure};
use crate::app::action::{Action, SearchOutcome};
use crate::app::state::SearchRow;
use crate::store::StoreError;
use crate::store::query::CustomerFilter;

impl Runtime {
    /// While the index loads: exact email and order-number matches straight from the store.
    /// The console runs the query again through the index once it is ready.
    async fn exact_search(&self, req: u64, query: &str, filter: &CustomerFilter) -> Action {
        let started = Instant::now();
        let found = async {
            let mut ids = self.store.exact_lookup(query).await?;
            if filter.needs_store() {
                ids = self.store.filter_ids(filter, &ids).await?;
            }
            self.store.customers_by_ids(&ids).await
        }
        .await;
        let result = found.map_err(failure).map(|customers| {
            let exact = if query.contains('@') {
                ExactKind::Email
            } else {
                ExactKind::OrderNumber
            };
            let rows: Vec<SearchRow> = customers
                .into_iter()
                .filter(|c| filter.accepts(c, chrono::Utc::now()))
                .map(|c| SearchRow {
                    hit: Hit {
                        id: c.id,
                        score: u32::MAX,
                        exact: Some(exact),
                    },
                    customer: c,
                })
                .collect();
            SearchOutcome {
                total: rows.len(),
                rows,
                used_fuzzy: false,
                micros: started.elapsed().as_micros() as u64,
            }
        });
        Action::SearchDone { req, result }
    }

    /// The customers behind search hits. A hit whose customer is gone since it was indexed (merged
    /// into another, or deleted) resolves through the store, which follows merges to the surviving
    /// account, and the stale entry leaves the index.
    pub(super) async fn hit_customers(
        &self,
        ids: &[i64],
    ) -> crate::store::Result<(Vec<crate::store::model::Customer>, Vec<(i64, i64)>)> {
        let mut customers = self.store.customers_by_ids(ids).await?;
        let mut aliases = Vec::new();
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !customers.iter().any(|c| c.id == *id))
            .collect();
        for id in missing {
            match self.store.customer(id).await {
                Ok(c) => {
                    aliases.push((id, c.id));
                    if !customers.iter().any(|x| x.id == c.id) {
                        customers.push(c);
                    }
                }
                Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
            self.reindex(id).await;
        }
        Ok((customers, aliases))
    }

    /// An email that was merged into another account is in no index entry any more, but the
    /// store still resolves it to the surviving customer: that answer goes on top. Shared by
    /// the results list and the export of a search, so both hold the same customers.
    pub(super) async fn merged_email_on_top(&self, query: &str, result: &mut SearchResult) {
        if !query.contains('@') || result.hits.iter().any(|h| h.exact.is_some()) {
            return;
        }
        let Ok(found) = self.store.exact_lookup(query).await else {
            return;
        };
        for id in found.into_iter().rev() {
            let had = result.hits.iter().any(|h| h.id == id);
            result.hits.retain(|h| h.id != id);
            result.hits.insert(
                0,
                Hit {
                    id,
                    score: u32::MAX,
                    exact: Some(ExactKind::Email),
                },
            );
            if !had {
                result.total += 1;
            }
        }
    }

    /// `None` when a newer keystroke superseded this search (its answer would be dropped anyway).
    pub(super) async fn search(
        &self,
        req: u64,
        query: String,
        limit: usize,
        filter: &CustomerFilter,
    ) -> Option<Action> {
        if !*self.ready.borrow() {
            return Some(self.exact_search(req, &query, filter).await);
        }
        // The index filters before it counts, so "N matches" counts only customers that pass.
        let wanted = filter.search_filter();
        let latest = self.latest_search.clone();
        if latest.load(Ordering::SeqCst) != req {
            return None;
        }
        let index = self.index.clone();
        let started = Instant::now();
        let q = query.clone();
        let mut result = tokio::task::spawn_blocking(move || {
            let cancel = || latest.load(Ordering::Relaxed) != req;
            index
                .read()
                .map(|ix| ix.search_filtered(&q, limit, &wanted, &cancel))
                .ok()
        })
        .await
        .ok()
        .flatten()?;
        if result.cancelled {
            return None;
        }
        self.merged_email_on_top(&query, &mut result).await;
        let micros = started.elapsed().as_micros() as u64;
        let ids: Vec<i64> = result.hits.iter().map(|h| h.id).collect();
        let outcome = match self.hit_customers(&ids).await {
            Ok((customers, aliases)) => {
                let mut out = SearchOutcome::from_result(&result, customers, &aliases, micros);
                // A customer changed since the index saw it, or reached through a merge, is
                // checked against the filter on its current row.
                let before = out.rows.len();
                out.rows
                    .retain(|r| filter.accepts(&r.customer, chrono::Utc::now()));
                // Groups, orders and items are not in the index: the store narrows the hits.
                // The count is then of the hits fetched, the best this search can know.
                if filter.needs_store() {
                    let ids: Vec<i64> = out.rows.iter().map(|r| r.customer.id).collect();
                    match self.store.filter_ids(filter, &ids).await {
                        Ok(keep) => out.rows.retain(|r| keep.contains(&r.customer.id)),
                        Err(e) => {
                            return Some(Action::SearchDone {
                                req,
                                result: Err(failure(e)),
                            });
                        }
                    }
                }
                out.total = out.total.saturating_sub(before - out.rows.len());
                Ok(out)
            }
            Err(e) => Err(failure(e)),
        };
        Some(Action::SearchDone {
            req,
            result: outcome,
        })
    }
}
