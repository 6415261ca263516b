//! Executes effects on tokio and sends their results back as actions; owns the store and the search index.
//!
//! `event_loop` drives `app::update` from a terminal (`terminal`); `index` loads the search index;
//! `write` performs staff writes; `review` runs the account review's jobs; `search` answers searches;
//! `privacy` runs the GDPR effects (request queue, erasure preview, access export, privacy writes).

mod drafts;
pub mod event_loop;
mod export;
pub mod index;
mod privacy;
mod review;
mod search;
pub mod terminal;
mod write;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use patron_search::Index;
use tokio::sync::{mpsc, watch};

use crate::app::action::{Action, Failure, TabData};
use crate::app::effect::Effect;
use crate::app::state::Tab;
use crate::store::{DynStore, StoreError};

#[derive(Clone)]
pub struct Runtime {
    store: DynStore,
    index: Arc<RwLock<Index>>,
    ready: watch::Receiver<bool>,
    ready_tx: Arc<watch::Sender<bool>>,
    /// The newest search request; a running search whose id is older stops early.
    latest_search: Arc<AtomicU64>,
    /// This console's actions: the results of its own effects.
    tx: mpsc::UnboundedSender<Action>,
    /// Every console sharing this runtime's index and change feed (one locally, one per session
    /// under `patron serve`): index progress and changes go to all of them.
    consoles: Arc<Mutex<Consoles>>,
    /// A background compaction of the index is running (one at a time).
    compacting: Arc<AtomicBool>,
    /// The account review's rules, from the config.
    pub rules: Arc<patron_domain::review::ReviewRules>,
    /// The admin really acting when the console acts as someone else; every write's audit entry
    /// names them (`store::actor`).
    pub real: Option<i64>,
    /// This console's running exports, by request: the flag its Esc sets.
    exports: export::Running,
    /// Where an export's relative file name goes (`[export] dir`, else the data dir's exports/).
    pub export_dir: std::path::PathBuf,
}

/// The consoles told about the shared index and changes, and how the index load ended, for
/// consoles that start after it.
#[derive(Default)]
struct Consoles {
    listeners: Vec<mpsc::UnboundedSender<Action>>,
    ready: Option<(usize, usize, u64)>,
}

/// One customer's Insights as of now, from their orders, events and kept score: what the tab
/// loads (and what `bench analytics` times).
pub(crate) async fn insights(
    s: &DynStore,
    id: i64,
) -> crate::store::Result<Box<crate::analytics::insights::Insights>> {
    let customer = s.customer(id).await?;
    let (behaviour, engagement, score, fit) = tokio::try_join!(
        s.behaviour(customer.id, None),
        s.engagement(customer.id, None),
        s.customer_score(customer.id),
        s.current_fit(),
    )?;
    Ok(Box::new(crate::analytics::insights::Insights::new(
        &customer,
        chrono::Utc::now(),
        behaviour,
        engagement,
        score,
        fit,
    )))
}

async fn analytics_data(
    s: &DynStore,
) -> crate::store::Result<crate::app::analytics::AnalyticsData> {
    let (fit, summary) = tokio::try_join!(s.current_fit(), s.segment_summary())?;
    Ok(crate::app::analytics::AnalyticsData { fit, summary })
}

/// A refit from the console, in words for its status line.
async fn refresh_scores(
    s: &DynStore,
    staff: i64,
    v: crate::app::analytics::ValueSettings,
) -> Result<String, String> {
    use crate::analytics::run;
    let now = chrono::Utc::now();
    let (saved, computed) = run::refresh(s, staff, now, run::settings(now, v, None))
        .await
        .map_err(|e| e.to_string())?;
    let t = computed.timings;
    let rules: i64 = saved.rules.iter().map(|r| r.added + r.removed).sum();
    Ok(format!(
        "refitted on {} customers in {:.1} s; {} group memberships changed by rules",
        patron_domain::number::thousands(saved.scored),
        t.scan + t.fit + t.score + t.save,
        rules
    ))
}

pub(crate) fn failure(e: StoreError) -> Failure {
    let retry = matches!(e, StoreError::Unavailable(_));
    Failure {
        message: e.to_string(),
        retry,
    }
}

/// Finds the likely duplicate pairs, telling the console each stage of the slow read: how many
/// customers there are, reading them all (one query), then comparing them off the async workers.
async fn duplicates(store: &DynStore, req: u64, tell: impl Fn(Action)) -> Action {
    let say = |message: String| tell(Action::DuplicatesProgress { req, message });
    say("counting customers…".into());
    let found = async {
        let n = store
            .count_customers(&crate::store::query::CustomerFilter::default())
            .await?;
        let n = patron_domain::number::thousands(n);
        say(format!(
            "reading {n} customers (emails, phones, postal codes)…"
        ));
        let facts = store.duplicate_facts().await?;
        say(format!("comparing {n} customers…"));
        tokio::task::spawn_blocking(move || crate::store::review::duplicate_pairs(&facts))
            .await
            .map_err(|e| StoreError::Db(format!("finding duplicates failed: {e}")))
    };
    Action::DuplicatesLoaded {
        req,
        result: found.await.map_err(failure),
    }
}

impl Runtime {
    pub fn new(store: DynStore, tx: mpsc::UnboundedSender<Action>) -> Runtime {
        let (ready_tx, ready) = watch::channel(false);
        let consoles = Consoles {
            listeners: vec![tx.clone()],
            ready: None,
        };
        Runtime {
            store,
            index: Arc::new(RwLock::new(Index::empty())),
            ready,
            ready_tx: Arc::new(ready_tx),
            latest_search: Arc::new(AtomicU64::new(0)),
            tx,
            consoles: Arc::new(Mutex::new(consoles)),
            compacting: Arc::default(),
            rules: Arc::default(),
            real: None,
            exports: Arc::default(),
            export_dir: crate::config::data_dir().join("exports"),
        }
    }

    /// A runtime for one more console over the same store, index and change feed (a `patron
    /// serve` session): its own actions and searches, everything shared told to it too. If the
    /// index is already loaded, the console hears so at once.
    pub fn for_console(&self, tx: mpsc::UnboundedSender<Action>, real: Option<i64>) -> Runtime {
        let mut rt = self.clone();
        rt.latest_search = Arc::new(AtomicU64::new(0));
        rt.exports = Arc::default();
        rt.real = real;
        rt.tx = tx.clone();
        if let Ok(mut c) = self.consoles.lock() {
            if let Some((customers, memory_bytes, millis)) = c.ready {
                let _ = tx.send(Action::IndexReady {
                    customers,
                    memory_bytes,
                    millis,
                });
            }
            c.listeners.push(tx);
        }
        rt
    }

    /// A runtime with no console of its own (the server's): it loads the index and follows
    /// changes for the consoles added with `for_console`.
    pub fn shared(store: DynStore) -> Runtime {
        let (tx, _) = mpsc::unbounded_channel();
        let rt = Runtime::new(store, tx);
        if let Ok(mut c) = rt.consoles.lock() {
            c.listeners.clear();
        }
        rt
    }

    fn send(&self, a: Action) {
        // The loop has gone away only when the console is quitting; nothing is left to tell.
        let _ = self.tx.send(a);
    }

    /// Tells every console; consoles that have ended are forgotten.
    fn broadcast(&self, a: impl Fn() -> Action) {
        if let Ok(mut c) = self.consoles.lock() {
            c.listeners.retain(|tx| tx.send(a()).is_ok());
        }
    }

    /// Builds the index in the background; the first screen does not wait for it.
    pub fn load_index(&self) {
        let rt = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let loaded = index::load(&rt.store, |n| {
                rt.broadcast(|| Action::IndexProgress { loaded: n });
            })
            .await;
            match loaded {
                Ok(index) => {
                    let (customers, memory_bytes) = (index.len(), index.memory_bytes());
                    if let Ok(mut slot) = rt.index.write() {
                        *slot = index;
                    }
                    let _ = rt.ready_tx.send(true);
                    let millis = started.elapsed().as_millis() as u64;
                    tracing::info!(customers, memory_bytes, millis, "search index ready");
                    if let Ok(mut c) = rt.consoles.lock() {
                        c.ready = Some((customers, memory_bytes, millis));
                    }
                    rt.broadcast(|| Action::IndexReady {
                        customers,
                        memory_bytes,
                        millis,
                    });
                }
                Err(e) => {
                    tracing::error!("search index failed: {e}");
                    rt.broadcast(|| Action::IndexFailed(e.to_string()));
                }
            }
        });
    }

    /// Past this many changed customers the index folds its overlay into a fresh base (in the background).
    const COMPACT_AFTER: usize = 20_000;

    /// Follows the store's change feed: re-indexes each changed customer in place (no rebuild)
    /// and tells the console, which refreshes whatever shows that customer.
    pub fn watch_changes(&self) {
        let rt = self.clone();
        tokio::spawn(async move {
            let mut changes = match rt.store.subscribe_changes().await {
                Ok(rx) => rx,
                Err(e) => {
                    tracing::warn!("no live refresh: {e}");
                    return;
                }
            };
            while let Some(change) = changes.recv().await {
                match change.customer_id {
                    Some(id) => rt.reindex(id).await,
                    // Missed changes (after a reconnect): the index is rebuilt in the background.
                    None if change.resync => rt.load_index(),
                    // A group or IP block: nothing a search finds changed.
                    None => {}
                }
                rt.broadcast(|| Action::Changed {
                    customer_id: change.customer_id,
                });
            }
        });
    }

    async fn reindex(&self, id: i64) {
        let doc = match self.store.search_docs(id - 1, 1).await {
            Ok(docs) => docs.into_iter().find(|d| d.id == id),
            Err(e) => {
                tracing::warn!("cannot re-index customer {id}: {e}");
                return;
            }
        };
        let Ok(mut index) = self.index.write() else {
            return;
        };
        match doc {
            Some(d) => index.upsert(d),
            None => index.remove(id),
        }
        // Not here under the lock: searches would wait seconds for the fold (see compact_in_background).
        if index.delta_len() > Self::COMPACT_AFTER {
            index::compact_in_background(&self.index, &mut index, &self.compacting, || {});
        }
    }

    pub fn execute(&self, effect: Effect) {
        let rt = self.clone();
        if let Effect::Search { req, .. } = &effect {
            self.latest_search.store(*req, Ordering::SeqCst);
        }
        let real = self.real;
        tokio::spawn(crate::store::actor::scope(real, async move {
            rt.run(effect).await
        }));
    }

    async fn run(&self, effect: Effect) {
        let s = &self.store;
        let action = match effect {
            Effect::LoadPage { req, query } => Action::PageLoaded {
                req,
                result: s.list_customers(&query).await.map_err(failure),
            },
            Effect::CountCustomers { req, filter } => Action::CountLoaded {
                req,
                result: s.count_customers(&filter).await.map_err(failure),
            },
            Effect::LoadCustomer { req, id } => {
                let result = async { Ok((s.customer(id).await?, s.memberships(id).await?)) }.await;
                Action::CustomerLoaded {
                    req,
                    result: result.map_err(failure),
                }
            }
            Effect::CountOverdueRequests { req } => Action::OverdueCounted {
                req,
                result: s
                    .count_overdue_privacy_requests()
                    .await
                    .map_err(|e| e.to_string()),
            },
            Effect::LoadConsent { req, id } => Action::TabLoaded {
                req,
                result: s
                    .consent_history(id)
                    .await
                    .map(TabData::Consent)
                    .map_err(failure),
            },
            Effect::LoadTab { req, id, tab } => {
                let result = match tab {
                    Tab::Library => s.library(id).await.map(TabData::Library),
                    Tab::Wishlist => s.wishlist(id).await.map(TabData::Wishlist),
                    Tab::Transactions => s.transactions(id, 500).await.map(TabData::Transactions),
                    Tab::Emails => s.emails(id, 500).await.map(TabData::Emails),
                    Tab::Notes => s.notes(id).await.map(TabData::Notes),
                    Tab::Activity => s.activity(id, 500).await.map(TabData::Activity),
                    Tab::Insights => insights(s, id).await.map(TabData::Insights),
                    Tab::Support => s.customer_tickets(id).await.map(TabData::Support),
                    Tab::Profile | Tab::Addresses | Tab::Orders => {
                        s.addresses(id).await.map(TabData::Addresses)
                    }
                };
                Action::TabLoaded {
                    req,
                    result: result.map_err(failure),
                }
            }
            Effect::LoadOrders { req, id, query } => Action::OrdersLoaded {
                req,
                result: s.orders(id, &query).await.map_err(failure),
            },
            Effect::LoadOrder { req, id } => Action::OrderLoaded {
                req,
                result: s.order_detail(id).await.map_err(failure),
            },
            Effect::LoadTicket { req, id } => Action::TicketLoaded {
                req,
                result: s.ticket_messages(id).await.map_err(failure),
            },
            Effect::SaveNote {
                req,
                customer,
                staff,
                body,
                note,
            } => {
                let result = match note {
                    None => s.add_note(staff, customer, &body, false).await,
                    Some((id, version)) => s.edit_note(staff, id, version, &body).await,
                };
                Action::NoteSaved {
                    req,
                    result: result.map_err(failure),
                }
            }
            Effect::Write { req, staff, op } => Action::Written {
                req,
                result: write::perform(s, staff, op).await,
            },
            Effect::LoadGroups { req } => Action::GroupsLoaded {
                req,
                result: s.list_groups().await.map_err(failure),
            },
            Effect::ClassifyAccounts { req } => {
                let tx = self.tx.clone();
                let now = chrono::Utc::now().timestamp();
                review::classify(s, req, &self.rules, now, |a| {
                    let _ = tx.send(a);
                })
                .await
            }
            Effect::LoadIps { req } => review::ips(s, req).await,
            Effect::Export {
                req,
                staff,
                request,
            } => self.export(req, staff, request).await,
            Effect::CancelExport { req } => {
                export::cancel(&self.exports, req);
                return;
            }
            Effect::RebuildLibraries { req, staff } => {
                let tx = self.tx.clone();
                review::rebuild_all(s, req, staff, move |a| {
                    let _ = tx.send(a);
                })
                .await
            }
            Effect::LoadFields { req } => Action::FieldsLoaded {
                req,
                result: s.list_custom_fields().await.map_err(failure),
            },
            // The screen knows which of its requests is the next page; `append` is for the log.
            Effect::LoadAudit { req, filter, .. } => Action::AuditLoaded {
                req,
                result: s.audit_log(&filter).await.map_err(failure),
            },
            Effect::LoadAnalytics { req } => Action::AnalyticsLoaded {
                req,
                result: analytics_data(s).await.map_err(failure),
            },
            Effect::RefreshScores {
                req,
                staff,
                settings,
            } => Action::ScoresRefreshed {
                req,
                result: refresh_scores(s, staff, settings).await,
            },
            Effect::LoadStaff { req } => Action::StaffLoaded {
                req,
                result: s.list_staff().await.map_err(failure),
            },
            // Drafts are written by the event loop (see runtime::event_loop), never lost to a pending task.
            Effect::SaveDraft { .. } | Effect::LoadDraft { .. } | Effect::DiscardDraft { .. } => {
                return;
            }
            Effect::RefreshRows { req, ids } => Action::RowsRefreshed {
                req,
                result: s.customers_by_ids(&ids).await.map_err(failure),
            },
            Effect::Search {
                req,
                query,
                limit,
                filter,
            } => match self.search(req, query, limit, &filter).await {
                Some(a) => a,
                None => return,
            },
            Effect::LoadDuplicates { req } => {
                let tx = self.tx.clone();
                duplicates(s, req, |a| {
                    let _ = tx.send(a);
                })
                .await
            }
            Effect::LoadGuestOrders { req } => Action::GuestOrdersLoaded {
                req,
                result: s.guest_orders().await.map_err(failure),
            },
            Effect::LoadDupCustomers { req, ids } => Action::DupCustomersLoaded {
                req,
                result: s.customers_by_ids(&ids).await.map_err(failure),
            },
            Effect::MergePreview {
                req,
                source,
                target,
                choices,
            } => Action::MergePreviewed {
                req,
                result: s
                    .merge_preview(source, target, &choices)
                    .await
                    .map(Box::new)
                    .map_err(failure),
            },
            // Titles are written by the event loop, which owns the terminal.
            Effect::LoadViews { req, staff } => Action::ViewsLoaded {
                req,
                result: s.views(staff).await.map_err(failure),
            },
            Effect::SetTitle(_) => return,
            e @ (Effect::LoadPrivacyRequests { .. }
            | Effect::ErasurePreview { .. }
            | Effect::PrivacyExport { .. }) => match self.privacy(&e).await {
                Some(a) => a,
                None => return,
            },
        };
        self.send(action);
    }
}
