//! The export's read on SQLite: every customer the filter passes, in customer-number order,
//! with their default addresses, groups and consent, stepped on the C API in one read
//! transaction and handed on a page at a time.
//!
//! Through sqlx the same read cost about 10 µs a customer before any extras (every value copied
//! into its own allocation and each row handed across threads; BENCHMARKS.md), which alone is
//! the 10 s goal at 1M. Here the customer statement steps once over the table and the three
//! extras statements are prepared once and re-bound per page: over the page's id range when
//! the page is dense (one index range each), per customer when a narrow filter spreads it thin.

use std::collections::HashMap;
use std::ffi::c_int;
use std::ptr::NonNull;

use chrono::{DateTime, Utc};
use libsqlite3_sys as ffi;
use sqlx::SqlitePool;
use tokio::sync::mpsc;

use super::scan::{Bind, ScanRow, Stmt};
use super::sql::filter::{FilterSql, push_filter};
use super::sql::rows::{ScoreCols, value_of};
use crate::store::export::{CustomerExtras, ExportPage, ExportPages};
use crate::store::model::{
    Address, AddressKind, ConsentPurpose, Customer, CustomerStats, CustomerStatus, Verification,
};
use crate::store::query::CustomerFilter;
use crate::store::{Result, StoreError};

/// A statement written with `?N` placeholders and the values they take.
#[derive(Debug, Default)]
pub struct RawSql {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl RawSql {
    fn placeholder(&mut self, b: Bind) -> &mut Self {
        self.binds.push(b);
        self.sql.push_str(&format!("?{}", self.binds.len()));
        self
    }
}

impl FilterSql for RawSql {
    fn sql(&mut self, s: &str) -> &mut Self {
        self.sql.push_str(s);
        self
    }
    fn text(&mut self, v: String) -> &mut Self {
        self.placeholder(Bind::Text(v))
    }
    fn int(&mut self, v: i64) -> &mut Self {
        self.placeholder(Bind::Int(v))
    }
    fn stamp(&mut self, v: i64) -> &mut Self {
        self.placeholder(Bind::Int(v))
    }
}

/// The columns `customer` reads, by position.
const CUSTOMER_COLUMNS: &str = "customers.id, customers.email, customers.first_name, \
    customers.last_name, customers.phone, customers.company, customers.language, \
    customers.has_account, customers.status, customers.status_reason, customers.created_at, \
    customers.updated_at, customers.last_login_at, customers.registration_ip, \
    customers.last_login_ip, customers.marketing_consent, customers.version, \
    customers.order_count, customers.total_spent, customers.currency, customers.first_order_at, \
    customers.last_order_at, s.segment, s.churn_risk, s.clv, s.clv_known, s.fit_id, \
    s.segment_rank, s.churn_rank";

const ADDRESSES: &str = "SELECT id, customer_id, kind, is_default_billing, is_default_shipping, \
    first_name, last_name, company, address1, address2, city, province, postal_code, country, \
    phone, verification FROM addresses WHERE customer_id BETWEEN ?1 AND ?2 \
    AND (is_default_billing OR is_default_shipping) ORDER BY customer_id, id";

const GROUPS: &str = "SELECT m.customer_id, g.name FROM group_members m \
    JOIN customer_groups g ON g.id = m.group_id \
    WHERE m.status = 'active' AND m.customer_id BETWEEN ?1 AND ?2 ORDER BY m.customer_id, g.name";

/// Oldest first per customer, so the last event seen per purpose is the state.
const CONSENT: &str = "SELECT customer_id, purpose, granted FROM consent_events \
    WHERE customer_id BETWEEN ?1 AND ?2 ORDER BY customer_id, at, id";

/// The customers' statement for `filter`.
pub fn statement(filter: &CustomerFilter, descending: bool) -> RawSql {
    let mut q = RawSql {
        sql: format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers \
             LEFT JOIN customer_scores s ON s.customer_id = customers.id"
        ),
        binds: Vec::new(),
    };
    push_filter(&mut q, filter);
    q.sql.push_str(if descending {
        " ORDER BY customers.id DESC"
    } else {
        " ORDER BY customers.id"
    });
    q
}

/// Starts the scan on a pooled connection of its own and returns its pages; at most two wait
/// unread, so memory stays at a few pages whatever the size.
pub fn spawn(
    pool: SqlitePool,
    filter: &CustomerFilter,
    descending: bool,
    extras: bool,
    page: usize,
) -> ExportPages {
    let q = statement(filter, descending);
    let (tx, rx) = mpsc::channel(2);
    tokio::spawn(async move {
        let mut conn = match pool.acquire().await {
            Ok(c) => c,
            Err(e) => {
                let _ = tx.send(Err(e.into())).await;
                return;
            }
        };
        let task = tokio::task::spawn_blocking(move || {
            let outcome = (|| -> Result<()> {
                let mut handle = futures::executor::block_on(conn.lock_handle())?;
                run(handle.as_raw_handle(), &q, extras, page.max(1), &tx)
            })();
            if let Err(e) = outcome {
                let _ = tx.blocking_send(Err(e));
            }
        });
        let _ = task.await;
    });
    rx
}

fn run(
    db: NonNull<ffi::sqlite3>,
    q: &RawSql,
    extras: bool,
    page: usize,
    tx: &mpsc::Sender<Result<ExportPage>>,
) -> Result<()> {
    let mut customers = Stmt::prepare(db, &q.sql)?;
    customers.bind(&q.binds)?;
    let mut reads = if extras {
        Some(ExtrasReads {
            addresses: Stmt::prepare(db, ADDRESSES)?,
            groups: Stmt::prepare(db, GROUPS)?,
            consent: Stmt::prepare(db, CONSENT)?,
        })
    } else {
        None
    };
    loop {
        let mut batch = Vec::with_capacity(page);
        while batch.len() < page {
            match customers.next()? {
                Some(row) => batch.push(customer(row)?),
                None => break,
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        let last = batch.len() < page;
        let extras = match &mut reads {
            Some(r) => Some(r.read(&batch)?),
            None => None,
        };
        let page = ExportPage {
            customers: batch,
            extras,
        };
        // A closed channel is a cancelled export: stop reading, nothing to report.
        if tx.blocking_send(Ok(page)).is_err() || last {
            return Ok(());
        }
    }
}

struct ExtrasReads {
    addresses: Stmt,
    groups: Stmt,
    consent: Stmt,
}

impl ExtrasReads {
    fn read(&mut self, page: &[Customer]) -> Result<Vec<CustomerExtras>> {
        let mut out: Vec<CustomerExtras> = page
            .iter()
            .map(|c| CustomerExtras {
                customer_id: c.id,
                consent: ConsentPurpose::ALL.iter().map(|p| (*p, None)).collect(),
                ..CustomerExtras::default()
            })
            .collect();
        let at: HashMap<i64, usize> = page.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let lo = page.iter().map(|c| c.id).min().unwrap_or(0);
        let hi = page.iter().map(|c| c.id).max().unwrap_or(0);
        let ranges: Vec<(i64, i64)> = if crate::store::export::dense(lo, hi, page.len()) {
            vec![(lo, hi)]
        } else {
            page.iter().map(|c| (c.id, c.id)).collect()
        };
        for (lo, hi) in ranges {
            let range = [Bind::Int(lo), Bind::Int(hi)];
            self.addresses.bind(&range)?;
            while let Some(row) = self.addresses.next()? {
                let Some(e) = at.get(&row.int(1)).map(|i| &mut out[*i]) else {
                    continue;
                };
                let a = address(row)?;
                if a.is_default_billing && e.billing.is_none() {
                    e.billing = Some(a.clone());
                }
                if a.is_default_shipping && e.shipping.is_none() {
                    e.shipping = Some(a);
                }
            }
            self.groups.bind(&range)?;
            while let Some(row) = self.groups.next()? {
                if let Some(i) = at.get(&row.int(0)) {
                    out[*i].groups.push(row.text(1));
                }
            }
            self.consent.bind(&range)?;
            while let Some(row) = self.consent.next()? {
                let Some(i) = at.get(&row.int(0)) else {
                    continue;
                };
                let purpose = parse(row, 1, "purpose", ConsentPurpose::parse)?;
                let granted = row.int(2) != 0;
                for (p, state) in &mut out[*i].consent {
                    if *p == purpose {
                        *state = Some(granted);
                    }
                }
            }
        }
        Ok(out)
    }
}

fn parse<T>(row: &ScanRow, col: c_int, name: &str, f: fn(&str) -> Option<T>) -> Result<T> {
    let s = row.bytes(col);
    std::str::from_utf8(s).ok().and_then(f).ok_or_else(|| {
        StoreError::Db(format!(
            "unexpected value {:?} in column {name}",
            String::from_utf8_lossy(s)
        ))
    })
}

fn time(secs: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Db(format!("timestamp out of range: {secs}")))
}

fn opt_time(row: &ScanRow, col: c_int) -> Result<Option<DateTime<Utc>>> {
    row.opt_int(col).map(time).transpose()
}

fn opt_str(row: &ScanRow, col: c_int) -> Option<&str> {
    (!row.is_null(col)).then(|| std::str::from_utf8(row.bytes(col)).unwrap_or(""))
}

fn customer(row: &ScanRow) -> Result<Customer> {
    Ok(Customer {
        id: row.int(0),
        email: row.text(1),
        first_name: row.text(2),
        last_name: row.text(3),
        phone: row.text(4),
        company: row.text(5),
        language: row.text(6),
        has_account: row.int(7) != 0,
        status: parse(row, 8, "status", CustomerStatus::parse)?,
        status_reason: row.opt_text(9),
        created_at: time(row.int(10))?,
        updated_at: time(row.int(11))?,
        last_login_at: opt_time(row, 12)?,
        registration_ip: row.opt_text(13),
        last_login_ip: row.opt_text(14),
        marketing_consent: row.int(15) != 0,
        custom_fields: serde_json::Value::Null,
        version: row.int(16),
        stats: CustomerStats {
            order_count: row.int(17),
            total_spent: row.int(18),
            currency: row.text(19),
            first_order_at: opt_time(row, 20)?,
            last_order_at: opt_time(row, 21)?,
            value: value_of(ScoreCols {
                segment: opt_str(row, 22),
                churn: opt_str(row, 23),
                clv: row.opt_int(24),
                clv_known: row.opt_int(25).map(|v| v != 0),
                fit: row.opt_int(26),
                segment_rank: row.opt_int(27),
                churn_rank: row.opt_int(28),
            }),
        },
    })
}

fn address(row: &ScanRow) -> Result<Address> {
    Ok(Address {
        id: row.int(0),
        customer_id: row.int(1),
        kind: parse(row, 2, "kind", AddressKind::parse)?,
        is_default_billing: row.int(3) != 0,
        is_default_shipping: row.int(4) != 0,
        first_name: row.text(5),
        last_name: row.text(6),
        company: row.text(7),
        address1: row.text(8),
        address2: row.text(9),
        city: row.text(10),
        province: row.text(11),
        postal_code: row.text(12),
        country: row.text(13),
        phone: row.text(14),
        verification: parse(row, 15, "verification", Verification::parse)?,
    })
}
