//! Replacing every customer's scores at once, straight on the SQLite C API: one prepared
//! statement stepped per row, with the table's secondary indexes dropped and rebuilt around it.
//! Through sqlx (multi-row VALUES, every value copied into its argument list) the 853,587 rows
//! of the 1M demo took 9 s and the DELETE before them 2.7 s; this way about a second each.

use std::ffi::c_int;
use std::ptr::NonNull;

use libsqlite3_sys as ffi;
use sqlx::sqlite::SqliteConnection;

use super::scan::{error, prepare};
use crate::store::Result;
use crate::store::analytics::ScoreRow;

/// Dropped before the rows go in and built once after (several times faster than keeping
/// them up to date row by row); the definitions are migration 0007's.
const INDEXES: [(&str, &str); 3] = [
    (
        "DROP INDEX IF EXISTS customer_scores_clv",
        "CREATE INDEX customer_scores_clv ON customer_scores (clv, customer_id)",
    ),
    (
        "DROP INDEX IF EXISTS customer_scores_segment",
        "CREATE INDEX customer_scores_segment ON customer_scores (segment_rank, customer_id)",
    ),
    (
        "DROP INDEX IF EXISTS customer_scores_churn",
        "CREATE INDEX customer_scores_churn ON customer_scores (churn_rank, customer_id)",
    ),
];

/// A customer merged away or deleted since the scan has no row to score any more.
const INSERT: &str = "INSERT INTO customer_scores (customer_id, fit_id, purchases, net_spent, \
    currency, recency_days, mean_days_between, p_alive, expected_purchases, expected_spend, clv, \
    clv_known, r_score, f_score, m_score, segment, segment_rank, churn_risk, churn_rank, \
    churn_reason) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
    ?17, ?18, ?19, ?20 WHERE EXISTS (SELECT 1 FROM customers WHERE id = ?1)";

/// Deletes every score row and writes `rows` for fit `fit_id`, inside the caller's transaction.
/// Customers without a score are left to the caller (`_rest`): it inserts them into
/// `customer_scores` afterwards, which on SQLite costs no more than here.
pub async fn replace_scores(
    c: &mut SqliteConnection,
    fit_id: i64,
    rows: &[ScoreRow],
    _rest: &super::sql::RestOfCustomers,
) -> Result<()> {
    for (drop, _) in INDEXES {
        sqlx::query(drop).execute(&mut *c).await?;
    }
    // Without a WHERE (and with no trigger on the table) SQLite truncates instead of deleting
    // row by row.
    sqlx::query("DELETE FROM customer_scores")
        .execute(&mut *c)
        .await?;
    {
        let mut handle = c.lock_handle().await?;
        insert_all(handle.as_raw_handle(), fit_id, rows)?;
    }
    for (_, create) in INDEXES {
        sqlx::query(create).execute(&mut *c).await?;
    }
    Ok(())
}

/// Runs on the caller's thread: the connection is inside a transaction the caller holds, so
/// it cannot move to a blocking thread. A refit is rare and explicit; the second or so it
/// takes here is the price.
fn insert_all(db: NonNull<ffi::sqlite3>, fit_id: i64, rows: &[ScoreRow]) -> Result<()> {
    // Finalized below on every path.
    let stmt = prepare(db, INSERT)?;
    let s = stmt.as_ptr();
    let mut outcome = Ok(());
    for r in rows {
        // SAFETY: `s` is a live statement of `db`; every text pointer handed to it with
        // SQLITE_STATIC stays valid until the step and reset below (the strings live in `rows`).
        let rc = unsafe {
            let int = |i: c_int, v: i64| ffi::sqlite3_bind_int64(s, i, v);
            let real = |i: c_int, v: Option<f64>| match v {
                Some(v) => ffi::sqlite3_bind_double(s, i, v),
                None => ffi::sqlite3_bind_null(s, i),
            };
            let opt_int = |i: c_int, v: Option<i64>| match v {
                Some(v) => ffi::sqlite3_bind_int64(s, i, v),
                None => ffi::sqlite3_bind_null(s, i),
            };
            let text = |i: c_int, v: &str| {
                ffi::sqlite3_bind_text(
                    s,
                    i,
                    v.as_ptr().cast(),
                    v.len() as c_int,
                    ffi::SQLITE_STATIC(),
                )
            };
            let binds = [
                int(1, r.customer_id),
                int(2, fit_id),
                int(3, r.purchases),
                int(4, r.net_spent),
                text(5, &r.currency),
                opt_int(6, r.recency_days),
                real(7, r.mean_days_between),
                real(8, r.p_alive),
                real(9, r.expected_purchases),
                real(10, r.expected_spend),
                int(11, r.clv.unwrap_or(0)),
                int(12, i64::from(r.clv.is_some())),
                int(13, i64::from(r.r)),
                int(14, i64::from(r.f)),
                int(15, i64::from(r.m)),
                text(16, r.segment.as_str()),
                int(17, r.segment.rank()),
                text(18, r.churn.as_str()),
                int(19, r.churn.rank()),
                text(20, &r.churn_reason),
            ];
            if binds.iter().any(|rc| *rc != ffi::SQLITE_OK) {
                ffi::SQLITE_MISUSE
            } else {
                let step = ffi::sqlite3_step(s);
                ffi::sqlite3_reset(s);
                step
            }
        };
        if rc != ffi::SQLITE_DONE {
            outcome = Err(error(db, "insert score"));
            break;
        }
    }
    // SAFETY: finalized exactly once; not used after this.
    unsafe { ffi::sqlite3_finalize(s) };
    outcome
}
