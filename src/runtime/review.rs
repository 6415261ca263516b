//! The audit screen's long reads and the library rebuild, run for the runtime: classification
//! with progress, IPs with their blocks, and rebuilding every library with progress.

use std::time::Instant;

use patron_domain::review::{self, Class, ReviewRules};

use crate::app::action::{Action, Failure};
use crate::app::review::{IpRow, Review, ReviewRow};
use crate::runtime::failure;
use crate::store::DynStore;

/// Loads the facts of every account, classifies them and keeps the rows worth reviewing.
pub async fn classify(
    store: &DynStore,
    req: u64,
    rules: &ReviewRules,
    now: i64,
    tell: impl Fn(Action),
) -> Action {
    let started = Instant::now();
    tell(Action::ClassifyProgress {
        req,
        message: "loading every account's activity…".into(),
    });
    let facts = match store.account_facts().await {
        Ok(f) => f,
        Err(e) => {
            return Action::AccountsClassified {
                req,
                result: Err(failure(e)),
            };
        }
    };
    tell(Action::ClassifyProgress {
        req,
        message: format!(
            "classifying {} accounts…",
            patron_domain::number::thousands(facts.len() as i64)
        ),
    });
    // A million accounts take a moment of CPU: off the async workers.
    let rules = rules.clone();
    let (classified, facts) = match tokio::task::spawn_blocking(move || {
        (review::classify_all(&facts, &rules, now), facts)
    })
    .await
    {
        Ok(done) => done,
        Err(e) => {
            return Action::AccountsClassified {
                req,
                result: Err(Failure {
                    message: format!("classification failed: {e}"),
                    retry: false,
                }),
            };
        }
    };
    let breakdown = review::breakdown(&classified);
    let mut rows: Vec<ReviewRow> = classified
        .into_iter()
        .zip(facts)
        .filter(|(c, _)| c.class != Class::Active)
        .map(|(c, f)| ReviewRow {
            id: c.id,
            class: c.class,
            reasons: c.reasons,
            name: format!("{} {}", f.first_name, f.last_name)
                .trim()
                .to_string(),
            email: f.email,
            ip: f.registration_ip,
            created_at: f.created_at,
            last_login_at: f.last_login_at,
            orders: f.order_count,
        })
        .collect();
    // `Review::by_id` relies on id order.
    rows.sort_by_key(|r| r.id);
    Action::AccountsClassified {
        req,
        result: Ok(Review {
            breakdown,
            rows,
            millis: started.elapsed().as_millis() as u64,
        }),
    }
}

/// IPs with two or more registrations, and every blocked IP, with the block's reason.
pub async fn ips(store: &DynStore, req: u64) -> Action {
    let result = async {
        let counts = store.registrations_per_ip(2, 500).await?;
        let blocked = store.blocked_ips().await?;
        let mut rows: Vec<IpRow> = counts
            .into_iter()
            .map(|c| IpRow {
                blocked: blocked.iter().find(|b| b.ip == c.ip).cloned(),
                ip: c.ip,
                registrations: c.registrations,
            })
            .collect();
        for b in blocked {
            if !rows.iter().any(|r| r.ip == b.ip) {
                rows.push(IpRow {
                    ip: b.ip.clone(),
                    registrations: 0,
                    blocked: Some(b),
                });
            }
        }
        Ok(rows)
    }
    .await;
    Action::IpsLoaded {
        req,
        result: result.map_err(failure),
    }
}

pub async fn rebuild_all(
    store: &DynStore,
    req: u64,
    staff: i64,
    tell: impl Fn(Action) + Send + Sync,
) -> Action {
    let progress = |n: usize| {
        tell(Action::RebuildProgress {
            req,
            customers: n as u64,
        })
    };
    let result = store.rebuild_library(staff, None, &progress).await;
    Action::LibrariesRebuilt {
        req,
        result: result.map_err(|e| e.to_string()),
    }
}
