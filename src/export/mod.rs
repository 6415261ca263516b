//! The export job shared by `patron export` and the console's Export dialog: the list's filter
//! read page by page (keyset, so memory stays flat at any size), rows written as they arrive
//! into a temporary file beside the target that is renamed only on success, progress and
//! cancellation through callbacks, and one audit entry.

pub mod fields;

use std::path::{Path, PathBuf};
use std::time::Instant;

use patron_export::{Cell, Format, Sink};
use serde_json::json;

use crate::store::export::{CustomerExtras, ExportOrder, ExportPage, ExportPages};
use crate::store::model::Customer;
use crate::store::query::{Cursor, CustomerFilter, ListQuery, PageFrom, SortColumn};
use crate::store::{DynStore, StoreError};
use fields::{CUSTOMER_FIELDS, ORDER_FIELDS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Customers,
    Orders,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Customers => "customers",
            What::Orders => "orders",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExportSpec {
    pub what: What,
    pub format: Format,
    pub out: PathBuf,
    /// `--fields` as given; `None` is the default set.
    pub fields: Option<String>,
    pub filter: CustomerFilter,
    pub sort: SortColumn,
    pub descending: bool,
    /// Customers read per page.
    pub page: i64,
    /// These customers in this order (a search's results) instead of the filter's keyset.
    pub ids: Option<Vec<i64>>,
    /// A pause after each page (`PATRON_EXPORT_THROTTLE_MS`: the console's tests watch progress
    /// and cancel on a small database with it).
    pub throttle: Option<std::time::Duration>,
}

/// How far a running export is: customers read of those the filter matched, rows written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub customers_done: u64,
    pub customers_total: u64,
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rows: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "export cancelled after {} rows; nothing was written to {path}",
        patron_domain::number::thousands(*.rows as i64)
    )]
    Cancelled { rows: u64, path: String },
}

/// The fields an export writes, in order, picked once from `--fields` (or the default set).
#[derive(Clone)]
enum Picked {
    Customers(Vec<&'static fields::CustomerField>),
    Orders(Vec<&'static fields::OrderField>),
}

impl Picked {
    fn of(what: What, list: Option<&str>) -> Result<Picked, ExportError> {
        match what {
            What::Customers => fields::pick(CUSTOMER_FIELDS, |f| f.name, |f| f.default, list)
                .map(Picked::Customers),
            What::Orders => {
                fields::pick(ORDER_FIELDS, |f| f.name, |_| true, list).map(Picked::Orders)
            }
        }
        .map_err(ExportError::Invalid)
    }

    fn names(&self) -> Vec<&'static str> {
        match self {
            Picked::Customers(f) => f.iter().map(|f| f.name).collect(),
            Picked::Orders(f) => f.iter().map(|f| f.name).collect(),
        }
    }

    fn columns(&self) -> Vec<patron_export::Column> {
        match self {
            Picked::Customers(f) => fields::customer_columns(f),
            Picked::Orders(f) => fields::order_columns(f),
        }
    }
}

/// Checks the field names before anything runs, so a typo fails at once.
pub fn check_fields(what: What, list: Option<&str>) -> Result<Vec<&'static str>, ExportError> {
    Picked::of(what, list).map(|p| p.names())
}

/// A hidden name beside the target, so the rename is atomic and nobody opens a half file.
pub fn partial_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    out.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// One page on its way from the reader to the writer thread, which turns it into cells: the
/// reader decodes, the writer formats, and the two cores share the work.
enum Batch {
    Customers(Vec<Customer>, Vec<CustomerExtras>),
    Orders(Vec<ExportOrder>),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Batch::Customers(c, _) => c.len(),
            Batch::Orders(o) => o.len(),
        }
    }
}

/// Writes a page through `sink`, one reused row of cells at a time.
fn write_batch(sink: &mut dyn Sink, picked: &Picked, batch: &Batch) -> std::io::Result<()> {
    let mut cells: Vec<Cell> = Vec::new();
    match (picked, batch) {
        (Picked::Customers(fields), Batch::Customers(customers, extras)) => {
            for (c, e) in customers.iter().zip(extras) {
                cells.clear();
                cells.extend(fields.iter().map(|f| (f.get)(c, e)));
                sink.row(&cells)?;
            }
        }
        (Picked::Orders(fields), Batch::Orders(orders)) => {
            for o in orders {
                cells.clear();
                cells.extend(fields.iter().map(|f| (f.get)(o)));
                sink.row(&cells)?;
            }
        }
        _ => return Err(std::io::Error::other("a page of the wrong kind")),
    }
    Ok(())
}

/// Runs the export as `staff`. `progress` is called after every page; `cancel` is polled
/// between pages, and a cancelled export removes its partial file.
pub async fn run(
    store: &DynStore,
    staff: i64,
    spec: &ExportSpec,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &(dyn Fn() -> bool + Send + Sync),
) -> Result<Summary, ExportError> {
    let started = Instant::now();
    store.authorize_export(staff).await?;
    let picked = Picked::of(spec.what, spec.fields.as_deref())?;
    let names = picked.names();
    let total = match &spec.ids {
        Some(ids) => ids.len() as u64,
        None => store.count_customers(&spec.filter).await?.max(0) as u64,
    };
    let out_name = spec.out.display().to_string();
    let io = |source| ExportError::Io {
        path: out_name.clone(),
        source,
    };
    if let Some(dir) = spec.out.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(ExportError::Invalid(format!(
            "{}: no such directory",
            dir.display()
        )));
    }
    let partial = partial_path(&spec.out);
    let file = std::fs::File::create(&partial).map_err(io)?;
    let title = format!("patron {} export", spec.what.as_str());
    let columns = picked.columns();
    let sink = patron_export::writer(spec.format, file, &columns, &title).map_err(io);
    let sink = match sink {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };

    // The writer runs on a blocking thread: formatting (xlsx above all) and the reads overlap,
    // and the bounded channel keeps at most two pages in memory.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let fields = picked.clone();
    let writer = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut sink: Box<dyn Sink> = sink;
        while let Some(batch) = rx.blocking_recv() {
            write_batch(sink.as_mut(), &fields, &batch)?;
        }
        sink.finish()
    });

    let read = read_pages(store, spec, &picked, total, &tx, progress, cancel).await;
    drop(tx);
    let written = writer
        .await
        .map_err(|e| io(std::io::Error::other(e.to_string())))
        .and_then(|r| r.map_err(io));
    let finish = match (read, written) {
        (Ok(rows), Ok(())) => Ok(rows),
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
    };
    let rows = match finish {
        Ok(rows) => rows,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            if let ExportError::Cancelled { rows, .. } = &e {
                audit(store, staff, spec, &names, *rows, "cancelled").await?;
            }
            return Err(e);
        }
    };
    if let Err(e) = std::fs::rename(&partial, &spec.out) {
        let _ = std::fs::remove_file(&partial);
        return Err(io(e));
    }
    let bytes = std::fs::metadata(&spec.out).map(|m| m.len()).unwrap_or(0);
    audit(store, staff, spec, &names, rows, "completed").await?;
    Ok(Summary {
        rows,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
        path: spec.out.clone(),
    })
}

async fn audit(
    store: &DynStore,
    staff: i64,
    spec: &ExportSpec,
    names: &[&str],
    rows: u64,
    outcome: &str,
) -> Result<(), StoreError> {
    let action = format!("export.{}", spec.what.as_str());
    let file = spec
        .out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store
        .record_export(
            staff,
            &action,
            json!({
                "format": spec.format.name(),
                "fields": names,
                "filter": spec.filter.describe().unwrap_or_else(|| "all customers".into()),
                "sort": spec.sort.label(),
                "descending": spec.descending,
                "rows": rows,
                "file": file,
                "outcome": outcome,
            }),
        )
        .await
}

/// Where the pages of customers come from: the backend's export scan in customer-number order,
/// the filter's keyset over list pages in any other, or a search's ids in order.
/// (Reading the next list page on a second connection while this one's extras are read was
/// measured at 1M and gained nothing, for twice the memory: BENCHMARKS.md.)
enum Pager {
    Scan(ExportPages),
    Keyset(ListQuery),
    Ids {
        ids: Vec<i64>,
        at: usize,
        size: usize,
    },
}

impl Pager {
    fn new(store: &DynStore, spec: &ExportSpec, extras: bool) -> Pager {
        let size = spec.page.max(1);
        if let Some(ids) = &spec.ids {
            return Pager::Ids {
                ids: ids.clone(),
                at: 0,
                size: size as usize,
            };
        }
        if spec.sort == SortColumn::Id {
            return Pager::Scan(store.export_scan(
                &spec.filter,
                spec.descending,
                extras,
                size as usize,
            ));
        }
        Pager::Keyset(ListQuery {
            filter: spec.filter.clone(),
            sort: spec.sort,
            descending: spec.descending,
            from: PageFrom::Start,
            limit: size,
        })
    }

    /// The next page and how many of the export's customers it accounts for (with ids, a
    /// customer deleted since the search counts though it is not found); `None` at the end.
    async fn next(&mut self, store: &DynStore) -> Result<Option<(ExportPage, u64)>, StoreError> {
        match self {
            Pager::Scan(pages) => match pages.recv().await {
                None => Ok(None),
                Some(page) => {
                    let page = page?;
                    let n = page.customers.len() as u64;
                    Ok(Some((page, n)))
                }
            },
            Pager::Keyset(q) => {
                let page = store.list_customers(q).await?;
                let Some(last) = page.last() else {
                    return Ok(None);
                };
                q.from = PageFrom::After(Cursor::of(q.sort, last));
                let n = page.len() as u64;
                Ok(Some((
                    ExportPage {
                        customers: page,
                        extras: None,
                    },
                    n,
                )))
            }
            Pager::Ids { ids, at, size } => {
                let end = (*at + *size).min(ids.len());
                if *at == end {
                    return Ok(None);
                }
                let chunk = &ids[*at..end];
                *at = end;
                let page = store.customers_by_ids(chunk).await?;
                Ok(Some((
                    ExportPage {
                        customers: page,
                        extras: None,
                    },
                    chunk.len() as u64,
                )))
            }
        }
    }
}

async fn read_pages(
    store: &DynStore,
    spec: &ExportSpec,
    picked: &Picked,
    total: u64,
    tx: &tokio::sync::mpsc::Sender<Batch>,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &(dyn Fn() -> bool + Send + Sync),
) -> Result<u64, ExportError> {
    let mut done = Progress {
        customers_total: total,
        ..Progress::default()
    };
    let gone = || ExportError::Invalid("the export's writer stopped".into());
    let extras = matches!(picked, Picked::Customers(f) if f.iter().any(|f| f.extras));
    let mut pager = Pager::new(store, spec, extras);
    loop {
        if cancel() {
            return Err(ExportError::Cancelled {
                rows: done.rows,
                path: spec.out.display().to_string(),
            });
        }
        let Some((
            ExportPage {
                customers: page,
                extras: read,
            },
            accounted,
        )) = pager.next(store).await?
        else {
            break;
        };
        let ids: Vec<i64> = page.iter().map(|c| c.id).collect();
        let batch = match picked {
            Picked::Customers(_) => {
                let extras = match read {
                    Some(e) => e,
                    None if extras => store.customer_extras(&ids).await?,
                    None => ids
                        .iter()
                        .map(|id| CustomerExtras {
                            customer_id: *id,
                            ..CustomerExtras::default()
                        })
                        .collect(),
                };
                Batch::Customers(page, extras)
            }
            Picked::Orders(_) => Batch::Orders(store.orders_for_export(&ids).await?),
        };
        done.customers_done += accounted;
        done.rows += batch.len() as u64;
        tx.send(batch).await.map_err(|_| gone())?;
        progress(done);
        if let Some(pause) = spec.throttle {
            tokio::time::sleep(pause).await;
        }
    }
    Ok(done.rows)
}

#[cfg(test)]
mod tests {
    use super::ExportError;

    #[test]
    fn a_cancelled_export_counts_its_rows_like_the_screen_does() {
        let e = ExportError::Cancelled {
            rows: 2000,
            path: "x.csv".into(),
        };
        assert_eq!(
            e.to_string(),
            "export cancelled after 2,000 rows; nothing was written to x.csv"
        );
    }
}
