//! Builds the in-memory search index from a store in batches.

use patron_search::{Index, IndexBuilder};

use crate::store::{DynStore, Result};

/// Customers fetched per query while loading; small enough that the first screen never waits on it.
const LOAD_BATCH: i64 = 20_000;

/// Streams every customer's search document out of the store; `progress` gets the running count.
pub async fn load(store: &DynStore, mut progress: impl FnMut(usize)) -> Result<Index> {
    let mut builder = IndexBuilder::new();
    let mut after = 0;
    loop {
        let docs = store.search_docs(after, LOAD_BATCH).await?;
        let Some(last) = docs.last() else { break };
        after = last.id;
        for d in docs {
            builder.add(d);
        }
        progress(builder.len());
    }
    Ok(builder.finish())
}
