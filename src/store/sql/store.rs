//! `Store` for the backend this tree is compiled into: the reads, and the bulk writes handed
//! to `seed`, `import` and `stats`.

use patron_domain::import::{CustomerRow, OrderItemRow, OrderRow};
use patron_search::CustomerDoc;
use sqlx::{QueryBuilder, Row};

use super::dialect::*;
use super::filter::push_filter;
use super::rows::*;
use super::{import, seed, stats};
use crate::store::model::*;
use crate::store::query::*;
use crate::store::{Progress, Result, SeedBatch, Store, StoreError, migrations};

const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";

impl BackendStore {
    /// For tests and tools that run SQL of their own.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    async fn schema_version(&self) -> Result<i64> {
        let has: i64 = sqlx::query_scalar(HAS_MIGRATIONS_TABLE)
            .fetch_one(&self.pool)
            .await?;
        if has == 0 {
            return Ok(0);
        }
        Ok(sqlx::query_scalar(SCHEMA_VERSION)
            .fetch_one(&self.pool)
            .await?)
    }
}

/// The SQL expressions each sort column orders by (fixed strings, never user input).
fn sort_exprs(sort: SortColumn) -> &'static [&'static str] {
    match sort {
        SortColumn::Name => &["last_name", "first_name"],
        SortColumn::Email => &["email"],
        SortColumn::Account => &["has_account"],
        SortColumn::Status => &["status"],
        SortColumn::Orders => &["order_count"],
        SortColumn::TotalSpent => &["total_spent"],
        SortColumn::Joined => &["created_at"],
        SortColumn::LastOrder => &[LAST_ORDER_SORT],
        SortColumn::Clv => &["s.clv"],
        SortColumn::Segment => &["s.segment_rank"],
        SortColumn::Churn => &["s.churn_rank"],
        // The tie-break id alone.
        SortColumn::Id => &[],
    }
}

/// Customer rows with their kept scores (`rows::customer` reads the `score_*` columns). Reads
/// that filter or sort by a score join them (and so drive from the scores' indexes); the others
/// only look them up.
const CUSTOMERS_SCORED: &str = "SELECT customers.*, s.segment AS score_segment, \
    s.churn_risk AS score_churn, s.clv AS score_clv, s.clv_known AS score_clv_known, \
    s.fit_id AS score_fit, s.segment_rank AS score_segment_rank, s.churn_rank AS score_churn_rank \
    FROM customers JOIN customer_scores s ON s.customer_id = customers.id";
pub(super) const CUSTOMERS_WITH_SCORES: &str = "SELECT customers.*, s.segment AS score_segment, \
    s.churn_risk AS score_churn, s.clv AS score_clv, s.clv_known AS score_clv_known, \
    s.fit_id AS score_fit, s.segment_rank AS score_segment_rank, s.churn_rank AS score_churn_rank \
    FROM customers LEFT JOIN customer_scores s ON s.customer_id = customers.id";

/// The tie-break column: the scores' own key where they drive the read, so the index on
/// (score, customer_id) serves the ORDER BY.
fn id_expr(q: &ListQuery) -> &'static str {
    if q.sort.uses_scores() {
        "s.customer_id"
    } else {
        "customers.id"
    }
}

fn push_key(qb: &mut QueryBuilder<Db>, key: &SortKey) {
    match key {
        SortKey::Text(a) => {
            qb.push_bind(a.clone());
        }
        SortKey::Text2(a, b) => {
            qb.push_bind(a.clone()).push(", ").push_bind(b.clone());
        }
        SortKey::Int(i) => {
            qb.push_bind(*i);
        }
        SortKey::Bool(b) => {
            qb.push_bind(*b);
        }
        SortKey::Time(t) => {
            qb.push_bind(stamp(*t));
        }
    }
}

pub(super) const CUSTOMER_BY_ID: &str = "SELECT * FROM customers WHERE id = $1";
const CUSTOMER_FOR_ORDER: &str = "SELECT customer_id FROM orders WHERE number = $1";
const CUSTOMER_BY_EMAIL: &str = "SELECT * FROM customers WHERE email = $1";
const MERGED_ID: &str =
    "SELECT target_id FROM merges WHERE source_id = $1 ORDER BY id DESC LIMIT 1";
const MERGED_EMAIL: &str =
    "SELECT target_id FROM merges WHERE source_email = $1 ORDER BY id DESC LIMIT 1";
pub(super) const ADDRESSES: &str = "SELECT * FROM addresses WHERE customer_id = $1 \
    ORDER BY is_default_billing DESC, is_default_shipping DESC, id";
pub(super) const MEMBERSHIPS: &str = "SELECT m.group_id, m.status, g.name, g.kind, g.status AS group_status, g.discount_bps \
    FROM group_members m JOIN customer_groups g ON g.id = m.group_id WHERE m.customer_id = $1 ORDER BY g.name";
const ORDER_BY_ID: &str = "SELECT * FROM orders WHERE id = $1";
const ORDER_ITEMS: &str = "SELECT * FROM order_items WHERE order_id = $1 ORDER BY id";
const ORDER_TRANSACTIONS: &str = "SELECT t.*, o.number AS order_number FROM transactions t \
    LEFT JOIN orders o ON o.id = t.order_id WHERE t.order_id = $1 ORDER BY t.created_at, t.id";
pub(super) const LIBRARY: &str = "SELECT l.id, l.product_id, p.sku, p.name, p.kind, l.source, o.number AS order_number, \
    l.granted_at, l.revoked_at, l.expires_at, l.note, \
    (SELECT COUNT(*) FROM downloads d WHERE d.library_item_id = l.id) AS downloads, \
    (SELECT MAX(downloaded_at) FROM downloads d WHERE d.library_item_id = l.id) AS last_download_at \
    FROM library_items l JOIN products p ON p.id = l.product_id LEFT JOIN orders o ON o.id = l.order_id \
    WHERE l.customer_id = $1 ORDER BY l.granted_at DESC, l.id DESC";
pub(super) const WISHLIST: &str = "SELECT w.id, w.product_id, p.sku, p.name, p.price, p.currency, w.added_at, w.purchased_at \
    FROM wishlist_items w JOIN products p ON p.id = w.product_id WHERE w.customer_id = $1 \
    ORDER BY w.added_at DESC, w.id DESC";
pub(super) const TRANSACTIONS: &str = "SELECT t.*, o.number AS order_number FROM transactions t \
    LEFT JOIN orders o ON o.id = t.order_id WHERE t.customer_id = $1 \
    ORDER BY t.created_at DESC, t.id DESC LIMIT $2";
pub(super) const EMAILS: &str =
    "SELECT * FROM emails WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
pub(super) const NOTES: &str = "SELECT n.*, s.display_name AS author FROM notes n LEFT JOIN staff s ON s.id = n.staff_id \
    WHERE n.customer_id = $1 ORDER BY n.pinned DESC, n.created_at DESC, n.id DESC";
const DOC_CUSTOMERS: &str = "SELECT id, email, first_name, last_name, phone, company, created_at, last_login_at, \
    last_order_at, has_account, status FROM customers WHERE id > $1 ORDER BY id LIMIT $2";
const DOC_CITIES: &str = "SELECT customer_id, city FROM addresses WHERE customer_id BETWEEN $1 AND $2 AND city <> '' ORDER BY customer_id";
const DOC_ORDERS: &str = "SELECT customer_id, number FROM orders WHERE customer_id BETWEEN $1 AND $2 ORDER BY customer_id";
const COUNTS: &str = "SELECT \
    (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM customers WHERE has_account = TRUE), \
    (SELECT COUNT(*) FROM addresses), (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_items), \
    (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM library_items), (SELECT COUNT(*) FROM wishlist_items), \
    (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM emails), (SELECT COUNT(*) FROM notes), \
    (SELECT COUNT(*) FROM customer_groups), (SELECT COUNT(*) FROM staff), (SELECT COUNT(*) FROM audit_log)";

#[async_trait::async_trait]
impl Store for BackendStore {
    fn backend(&self) -> &'static str {
        NAME
    }

    async fn migrate(&self) -> Result<()> {
        let build = migrations::latest(MIGRATIONS);
        let db = self.schema_version().await?;
        if db > build {
            return Err(StoreError::SchemaTooNew { db, build });
        }
        migrations::migrator(MIGRATIONS).run(&self.pool).await?;
        Ok(())
    }

    async fn counts(&self) -> Result<DbCounts> {
        let r = sqlx::query(COUNTS).fetch_one(&self.pool).await?;
        let g = |i: usize| -> Result<i64> { Ok(r.try_get(i)?) };
        Ok(DbCounts {
            customers: g(0)?,
            registered: g(1)?,
            guests: g(0)? - g(1)?,
            addresses: g(2)?,
            orders: g(3)?,
            order_items: g(4)?,
            products: g(5)?,
            library_items: g(6)?,
            wishlist_items: g(7)?,
            transactions: g(8)?,
            emails: g(9)?,
            notes: g(10)?,
            groups: g(11)?,
            staff: g(12)?,
            audit_entries: g(13)?,
        })
    }

    async fn count_customers(&self, filter: &CustomerFilter) -> Result<i64> {
        let mut qb = QueryBuilder::<Db>::new(if filter.uses_scores() {
            "SELECT COUNT(*) FROM customers JOIN customer_scores s ON s.customer_id = customers.id"
        } else {
            "SELECT COUNT(*) FROM customers"
        });
        push_filter(&mut qb, filter);
        Ok(qb.build_query_scalar().fetch_one(&self.pool).await?)
    }

    async fn list_customers(&self, q: &ListQuery) -> Result<Vec<Customer>> {
        let exprs = sort_exprs(q.sort);
        let scan_desc = q.descending ^ q.scan_reversed();
        let id = id_expr(q);
        let mut qb = QueryBuilder::<Db>::new(if q.sort.uses_scores() || q.filter.uses_scores() {
            CUSTOMERS_SCORED
        } else {
            CUSTOMERS_WITH_SCORES
        });
        // In id order PostgreSQL merges the scores by customer id, and it does not carry the
        // keyset's bound over the join: every page re-read the scores from the first
        // (70 ms a page at 1M). Bounding them in the join's ON clause starts them at the page.
        if let (SortColumn::Id, PageFrom::After(c) | PageFrom::Before(c)) = (q.sort, &q.from) {
            qb.push(if scan_desc {
                " AND s.customer_id < "
            } else {
                " AND s.customer_id > "
            })
            .push_bind(c.id);
        }
        push_filter(&mut qb, &q.filter);
        if let PageFrom::After(c) | PageFrom::Before(c) = &q.from {
            qb.push(" AND (");
            for e in exprs {
                qb.push(e).push(", ");
            }
            qb.push(id).push(") ");
            qb.push(if scan_desc { "< (" } else { "> (" });
            if !exprs.is_empty() {
                push_key(&mut qb, &c.key);
                qb.push(", ");
            }
            qb.push_bind(c.id).push(")");
        }
        let dir = if scan_desc { " DESC" } else { " ASC" };
        qb.push(" ORDER BY ");
        for part in exprs {
            qb.push(part).push(dir).push(", ");
        }
        qb.push(id)
            .push(dir)
            .push(" LIMIT ")
            .push_bind(q.limit.max(0));
        let rows = qb.build().fetch_all(&self.pool).await?;
        let mut out = rows.iter().map(customer).collect::<Result<Vec<_>>>()?;
        if q.scan_reversed() {
            out.reverse();
        }
        Ok(out)
    }

    async fn customer(&self, id: i64) -> Result<Customer> {
        if let Some(r) = sqlx::query(CUSTOMER_BY_ID)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        {
            return customer(&r);
        }
        let target: Option<i64> = sqlx::query_scalar(MERGED_ID)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match target {
            Some(t) if t != id => Box::pin(self.customer(t)).await,
            _ => Err(StoreError::NotFound(format!("no customer with id {id}"))),
        }
    }

    async fn customer_by_email(&self, email: &str) -> Result<Customer> {
        let e = patron_domain::email::normalize(email);
        if let Some(r) = sqlx::query(CUSTOMER_BY_EMAIL)
            .bind(&e)
            .fetch_optional(&self.pool)
            .await?
        {
            return customer(&r);
        }
        let target: Option<i64> = sqlx::query_scalar(MERGED_EMAIL)
            .bind(&e)
            .fetch_optional(&self.pool)
            .await?;
        match target {
            Some(t) => self.customer(t).await,
            None => Err(StoreError::NotFound(format!("no customer with email {e}"))),
        }
    }

    async fn customer_for_order(&self, number: &str) -> Result<Option<i64>> {
        let row: Option<Option<i64>> = sqlx::query_scalar(CUSTOMER_FOR_ORDER)
            .bind(number)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.flatten())
    }

    async fn filter_ids(&self, filter: &CustomerFilter, ids: &[i64]) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new(if filter.uses_scores() {
            "SELECT customers.id FROM customers JOIN customer_scores s ON s.customer_id = customers.id"
        } else {
            "SELECT customers.id FROM customers"
        });
        push_filter(&mut qb, filter);
        qb.push(" AND customers.id IN (");
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push(")");
        let found: Vec<i64> = qb.build_query_scalar().fetch_all(&self.pool).await?;
        Ok(ids.iter().copied().filter(|i| found.contains(i)).collect())
    }

    async fn customers_by_ids(&self, ids: &[i64]) -> Result<Vec<Customer>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new(CUSTOMERS_WITH_SCORES);
        qb.push(" WHERE customers.id IN (");
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push(")");
        let rows = qb.build().fetch_all(&self.pool).await?;
        let mut found = rows.iter().map(customer).collect::<Result<Vec<_>>>()?;
        found.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
        Ok(found)
    }

    async fn addresses(&self, customer: i64) -> Result<Vec<Address>> {
        let rows = sqlx::query(ADDRESSES)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(address).collect()
    }

    async fn memberships(&self, customer: i64) -> Result<Vec<Membership>> {
        let rows = sqlx::query(MEMBERSHIPS)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(membership).collect()
    }

    async fn orders(&self, customer: i64, q: &OrderQuery) -> Result<Vec<Order>> {
        let mut qb = QueryBuilder::<Db>::new("SELECT * FROM orders WHERE customer_id = ");
        qb.push_bind(customer);
        if let Some(s) = q.status {
            qb.push(" AND status = ").push_bind(s.as_str());
        }
        if let Some((at, id)) = q.before {
            qb.push(" AND (placed_at, id) < (")
                .push_bind(stamp(at))
                .push(", ")
                .push_bind(id)
                .push(")");
        }
        qb.push(" ORDER BY placed_at DESC, id DESC LIMIT ")
            .push_bind(q.limit.max(0));
        let rows = qb.build().fetch_all(&self.pool).await?;
        rows.iter().map(order).collect()
    }

    async fn order_detail(&self, id: i64) -> Result<OrderDetail> {
        let row = sqlx::query(ORDER_BY_ID)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no order with id {id}")))?;
        let items = sqlx::query(ORDER_ITEMS)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let txs = sqlx::query(ORDER_TRANSACTIONS)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(OrderDetail {
            order: order(&row)?,
            items: items.iter().map(order_item).collect::<Result<_>>()?,
            transactions: txs.iter().map(transaction).collect::<Result<_>>()?,
        })
    }

    async fn library(&self, customer: i64) -> Result<Vec<LibraryItem>> {
        let rows = sqlx::query(LIBRARY)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(library_item).collect()
    }

    async fn wishlist(&self, customer: i64) -> Result<Vec<WishlistItem>> {
        let rows = sqlx::query(WISHLIST)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(wishlist_item).collect()
    }

    async fn transactions(&self, customer: i64, limit: i64) -> Result<Vec<Transaction>> {
        let rows = sqlx::query(TRANSACTIONS)
            .bind(customer)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(transaction).collect()
    }

    async fn emails(&self, customer: i64, limit: i64) -> Result<Vec<Email>> {
        let rows = sqlx::query(EMAILS)
            .bind(customer)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(email).collect()
    }

    async fn notes(&self, customer: i64) -> Result<Vec<Note>> {
        let rows = sqlx::query(NOTES)
            .bind(customer)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(note).collect()
    }

    async fn search_docs(&self, after_id: i64, limit: i64) -> Result<Vec<CustomerDoc>> {
        let rows = sqlx::query(DOC_CUSTOMERS)
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Vec::new());
        };
        let (lo, hi): (i64, i64) = (first.try_get("id")?, last.try_get("id")?);
        let mut docs = Vec::with_capacity(rows.len());
        for r in &rows {
            let activity = [
                ts_opt(r, "last_order_at")?,
                ts_opt(r, "last_login_at")?,
                Some(ts(r, "created_at")?),
            ]
            .into_iter()
            .flatten()
            .max()
            .map(|t| t.timestamp())
            .unwrap_or(0);
            docs.push(CustomerDoc {
                id: r.try_get("id")?,
                first_name: r.try_get("first_name")?,
                last_name: r.try_get("last_name")?,
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
                company: r.try_get("company")?,
                cities: Vec::new(),
                order_numbers: Vec::new(),
                activity,
                has_account: r.try_get("has_account")?,
                status: CustomerStatus::parse(&r.try_get::<String, _>("status")?)
                    .map_or(0, crate::store::query::search_status),
            });
        }
        let cities = sqlx::query(DOC_CITIES)
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?;
        let orders = sqlx::query(DOC_ORDERS)
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?;
        attach_doc_extras(&mut docs, &cities, &orders)?;
        Ok(docs)
    }

    async fn insert_seed(&self, batch: &SeedBatch) -> Result<()> {
        seed::insert_seed(&self.pool, batch).await
    }

    async fn defer_indexes(&self) -> Result<Vec<String>> {
        // One connection for the catalog read and every drop, so no pooled connection can act on
        // a schema it read before the drops.
        let mut c = self.pool.acquire().await?;
        let rows = sqlx::query(SECONDARY_INDEXES).fetch_all(&mut *c).await?;
        let mut defs = Vec::with_capacity(rows.len());
        for r in &rows {
            let (name, def): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            // Names and definitions come from the catalog, never from user input.
            let drop = format!("DROP INDEX IF EXISTS \"{}\"", name.replace('"', "\"\""));
            sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut *c)
                .await?;
            defs.push(def);
        }
        Ok(defs)
    }

    async fn restore_indexes(&self, definitions: &[String]) -> Result<()> {
        let mut c = self.pool.acquire().await?;
        for def in definitions {
            // Idempotent: an index already back (a restore run twice) is not an error.
            sqlx::query(sqlx::AssertSqlSafe(if_not_exists(def)))
                .execute(&mut *c)
                .await?;
        }
        for statement in AFTER_BULK_LOAD {
            sqlx::query(*statement).execute(&mut *c).await?;
        }
        Ok(())
    }

    async fn import_customers(
        &self,
        rows: &[CustomerRow],
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        import::import_customers(&self.pool, rows, progress).await
    }

    async fn import_orders(
        &self,
        rows: &[OrderRow],
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        import::import_orders(&self.pool, rows, progress).await
    }

    async fn import_order_items(
        &self,
        rows: &[(u64, OrderItemRow)],
        skip_unknown: bool,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        import::import_order_items(&self.pool, rows, skip_unknown, progress).await
    }

    async fn verify_stats(&self) -> Result<i64> {
        stats::verify_stats(&self.pool).await
    }
}

/// Distributes (customer_id, text) rows, sorted by customer id, onto docs sorted by id.
fn attach_doc_extras(docs: &mut [CustomerDoc], cities: &[DbRow], orders: &[DbRow]) -> Result<()> {
    let get = |r: &DbRow| -> Result<(i64, String)> { Ok((r.try_get(0)?, r.try_get(1)?)) };
    let position = |docs: &[CustomerDoc], id: i64| docs.binary_search_by_key(&id, |d| d.id).ok();
    for r in cities {
        let (cid, city) = get(r)?;
        if let Some(i) = position(docs, cid) {
            if !docs[i].cities.contains(&city) {
                docs[i].cities.push(city);
            }
        }
    }
    for r in orders {
        let (cid, number) = get(r)?;
        if let Some(i) = position(docs, cid) {
            docs[i].order_numbers.push(number);
        }
    }
    Ok(())
}

/// `CREATE [UNIQUE] INDEX name …` as `CREATE [UNIQUE] INDEX IF NOT EXISTS name …` (both backends'
/// catalogs give the definition in that form).
fn if_not_exists(def: &str) -> String {
    match def.find(" INDEX ") {
        Some(at) if !def[at..].starts_with(" INDEX IF NOT EXISTS ") => {
            let cut = at + " INDEX ".len();
            format!("{}IF NOT EXISTS {}", &def[..cut], &def[cut..])
        }
        _ => def.to_string(),
    }
}

#[cfg(test)]
mod index_tests {
    #[test]
    fn restoring_an_index_twice_is_not_an_error() {
        let f = super::if_not_exists;
        assert_eq!(
            f("CREATE INDEX customers_name ON customers (last_name)"),
            "CREATE INDEX IF NOT EXISTS customers_name ON customers (last_name)"
        );
        assert_eq!(
            f("CREATE UNIQUE INDEX library_live ON library_items (customer_id) WHERE x"),
            "CREATE UNIQUE INDEX IF NOT EXISTS library_live ON library_items (customer_id) WHERE x"
        );
        let done = "CREATE INDEX IF NOT EXISTS a ON t (c)";
        assert_eq!(f(done), done);
    }
}
