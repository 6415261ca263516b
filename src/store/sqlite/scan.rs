//! Full-table scans straight on the SQLite C API, for the one read that touches every customer
//! (account classification at 1M rows must stay under two seconds).
//!
//! sqlx copies every value of every row into its own allocation and sends the row across a
//! channel from its worker thread: about 4 µs a customer here, four times what SQLite itself
//! needs. `scan` borrows the connection's raw handle instead (sqlx's `lock_handle`, which stops
//! its worker from touching the handle meanwhile) and reads the columns in place, on a blocking
//! thread, so several scans run on separate connections at once.

use std::ffi::{CStr, CString, c_int};
use std::ptr::NonNull;

use libsqlite3_sys as ffi;
use sqlx::SqlitePool;

use crate::store::{Result, StoreError};

/// One row of a running scan; column values are only valid until the next row.
pub struct ScanRow {
    stmt: NonNull<ffi::sqlite3_stmt>,
}

impl ScanRow {
    pub fn int(&self, col: c_int) -> i64 {
        // SAFETY: `stmt` is a live statement positioned on a row (see `scan`).
        unsafe { ffi::sqlite3_column_int64(self.stmt.as_ptr(), col) }
    }

    pub fn is_null(&self, col: c_int) -> bool {
        // SAFETY: as in `int`.
        unsafe { ffi::sqlite3_column_type(self.stmt.as_ptr(), col) == ffi::SQLITE_NULL }
    }

    pub fn opt_int(&self, col: c_int) -> Option<i64> {
        (!self.is_null(col)).then(|| self.int(col))
    }

    /// TEXT as UTF-8 (SQLite stores what sqlx wrote, which is always UTF-8); invalid bytes are
    /// replaced rather than failing the scan.
    pub fn text(&self, col: c_int) -> String {
        String::from_utf8_lossy(self.bytes(col)).into_owned()
    }

    /// TEXT bytes in place, valid only while this row is (no copy: the purchase scan reads a
    /// currency code on every one of millions of rows).
    pub fn bytes(&self, col: c_int) -> &[u8] {
        // SAFETY: as in `text`; the slice borrows `self`, and the scan never steps while a row
        // is borrowed (the row callback returns first).
        unsafe {
            let p = ffi::sqlite3_column_text(self.stmt.as_ptr(), col);
            if p.is_null() {
                return &[];
            }
            let n = ffi::sqlite3_column_bytes(self.stmt.as_ptr(), col).max(0) as usize;
            std::slice::from_raw_parts(p, n)
        }
    }

    pub fn opt_text(&self, col: c_int) -> Option<String> {
        (!self.is_null(col)).then(|| self.text(col))
    }
}

pub(super) fn error(db: NonNull<ffi::sqlite3>, what: &str) -> StoreError {
    // SAFETY: `db` is the open handle we hold the lock on; the message is copied out at once.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) };
    StoreError::Db(format!("{what}: {}", msg.to_string_lossy()))
}

/// Prepares `sql` on `db`, which the caller holds locked (sqlx's worker waits on the lock);
/// the caller finalizes the statement.
pub(super) fn prepare(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<NonNull<ffi::sqlite3_stmt>> {
    let sql = CString::new(sql).map_err(|e| StoreError::Db(e.to_string()))?;
    let mut stmt = std::ptr::null_mut();
    // SAFETY: `db` is open and locked for us; `sql` is NUL-terminated and outlives the call.
    let rc = unsafe {
        ffi::sqlite3_prepare_v2(
            db.as_ptr(),
            sql.as_ptr(),
            -1,
            &mut stmt,
            std::ptr::null_mut(),
        )
    };
    NonNull::new(stmt)
        .filter(|_| rc == ffi::SQLITE_OK)
        .ok_or_else(|| error(db, "prepare"))
}

/// Runs `sql` with integer `binds` (its parameters in the order they first appear: `$1`, `$2`,
/// …) on a connection of its own, on a blocking
/// thread, calling `row` for every result row, and returns what `finish` makes of the state.
pub async fn scan<T, S>(
    pool: &SqlitePool,
    sql: &'static str,
    binds: Vec<i64>,
    mut state: S,
    row: fn(&mut S, &ScanRow),
    finish: fn(S) -> T,
) -> Result<T>
where
    T: Send + 'static,
    S: Send + 'static,
{
    let mut conn = pool.acquire().await?;
    let task = tokio::task::spawn_blocking(move || -> Result<T> {
        let mut handle = futures::executor::block_on(conn.lock_handle())?;
        let db = handle.as_raw_handle();
        // Finalized below on every path.
        let stmt = prepare(db, sql)?;
        let r = ScanRow { stmt };
        let mut bound = ffi::SQLITE_OK;
        for (i, v) in binds.iter().enumerate() {
            // SAFETY: `stmt` is live; out-of-range indexes return an error code, never UB.
            bound =
                bound.max(unsafe { ffi::sqlite3_bind_int64(stmt.as_ptr(), i as c_int + 1, *v) });
        }
        let outcome = if bound != ffi::SQLITE_OK {
            Err(error(db, "bind"))
        } else {
            loop {
                // SAFETY: `stmt` was prepared on `db` above and not finalized yet.
                match unsafe { ffi::sqlite3_step(stmt.as_ptr()) } {
                    ffi::SQLITE_ROW => row(&mut state, &r),
                    ffi::SQLITE_DONE => break Ok(()),
                    _ => break Err(error(db, "scan")),
                }
            }
        };
        // SAFETY: finalized exactly once; `r` is not used after this.
        unsafe { ffi::sqlite3_finalize(stmt.as_ptr()) };
        drop(handle);
        outcome.map(|()| finish(state))
    });
    task.await
        .map_err(|e| StoreError::Db(format!("scan task failed: {e}")))?
}

/// A value bound to a raw statement's `?N`.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Text(String),
}

/// A prepared statement on a handle the caller holds locked, finalized when dropped; for reads
/// that step several statements side by side on one connection (the export's extras).
pub struct Stmt {
    db: NonNull<ffi::sqlite3>,
    row: ScanRow,
}

impl Stmt {
    pub fn prepare(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<Stmt> {
        Ok(Stmt {
            db,
            row: ScanRow {
                stmt: prepare(db, sql)?,
            },
        })
    }

    /// Resets the statement and binds `binds` to `?1`, `?2`, … in order.
    pub fn bind(&mut self, binds: &[Bind]) -> Result<()> {
        let stmt = self.row.stmt.as_ptr();
        // SAFETY: `stmt` is live until drop; reset and clear never fail in a way that matters
        // here (a previous step's error was already reported by `next`).
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
        for (i, b) in binds.iter().enumerate() {
            let at = i as c_int + 1;
            // SAFETY: `stmt` is live; SQLITE_TRANSIENT makes SQLite copy the text before the
            // call returns, so the borrow of `s` need not outlive it.
            let rc = unsafe {
                match b {
                    Bind::Int(v) => ffi::sqlite3_bind_int64(stmt, at, *v),
                    Bind::Text(s) => ffi::sqlite3_bind_text(
                        stmt,
                        at,
                        s.as_ptr().cast(),
                        s.len() as c_int,
                        ffi::SQLITE_TRANSIENT(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(error(self.db, "bind"));
            }
        }
        Ok(())
    }

    /// The next row, or `None` when the statement is done.
    pub fn next(&mut self) -> Result<Option<&ScanRow>> {
        // SAFETY: `stmt` is live and was prepared on `db`, which the caller holds locked.
        match unsafe { ffi::sqlite3_step(self.row.stmt.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(Some(&self.row)),
            ffi::SQLITE_DONE => Ok(None),
            _ => Err(error(self.db, "scan")),
        }
    }
}

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: finalized exactly once, here; no row borrow outlives `self`.
        unsafe { ffi::sqlite3_finalize(self.row.stmt.as_ptr()) };
    }
}
