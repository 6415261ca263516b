//! What both backends' change feeds share: getting their connection back after losing it.

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::Result;
use super::model::Change;

/// Retries `connect` every two seconds until it succeeds; `None` once nobody listens any more
/// (the receiver was dropped meanwhile), so the watcher can end.
pub(crate) async fn reconnect<T, Fut>(
    tx: &UnboundedSender<Change>,
    mut connect: impl FnMut() -> Fut,
) -> Option<T>
where
    Fut: Future<Output = Result<T>>,
{
    loop {
        tokio::select! {
            _ = tx.closed() => return None,
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
        match connect().await {
            Ok(v) => return Some(v),
            Err(e) => tracing::warn!("change feed: {e}"),
        }
    }
}
