//! Code both store backends share, generated per backend where sqlx's types differ.

/// The `Store` implementation both backends share: the SQL constants, row mappers and helpers it
/// names (`CUSTOMER_BY_ID`, `customer`, `push_filter`, `write::…`) resolve in the module that uses
/// the macro, which holds that backend's dialect. The two backends differ there, never here.
macro_rules! impl_store {
    ($store:ty, $db:ty, $name:literal, $tree:ident) => {
        #[async_trait::async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $name
            }

            async fn migrate(&self) -> Result<()> {
                let build = migrations::latest(migrations::$tree);
                let db = self.schema_version().await?;
                if db > build {
                    return Err(StoreError::SchemaTooNew { db, build });
                }
                migrations::migrator(migrations::$tree)
                    .run(&self.pool)
                    .await?;
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
                let mut qb = QueryBuilder::<$db>::new("SELECT COUNT(*) FROM customers");
                push_filter(&mut qb, filter);
                Ok(qb.build_query_scalar().fetch_one(&self.pool).await?)
            }

            async fn list_customers(&self, q: &ListQuery) -> Result<Vec<Customer>> {
                let exprs = sort_exprs(q.sort);
                let scan_desc = q.descending ^ q.scan_reversed();
                let mut qb = QueryBuilder::<$db>::new("SELECT * FROM customers");
                push_filter(&mut qb, &q.filter);
                if let PageFrom::After(c) | PageFrom::Before(c) = &q.from {
                    qb.push(" AND (").push(exprs.join(", ")).push(", id) ");
                    qb.push(if scan_desc { "< (" } else { "> (" });
                    push_key(&mut qb, &c.key);
                    qb.push(", ").push_bind(c.id).push(")");
                }
                let dir = if scan_desc { " DESC" } else { " ASC" };
                qb.push(" ORDER BY ");
                for part in exprs {
                    qb.push(part).push(dir).push(", ");
                }
                qb.push("id")
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

            async fn customers_by_ids(&self, ids: &[i64]) -> Result<Vec<Customer>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut qb = QueryBuilder::<$db>::new("SELECT * FROM customers WHERE id IN (");
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
                let mut qb = QueryBuilder::<$db>::new("SELECT * FROM orders WHERE customer_id = ");
                qb.push_bind(customer);
                if let Some(s) = q.status {
                    qb.push(" AND status = ").push_bind(s.as_str());
                }
                if let Some((at, id)) = q.before {
                    qb.push(" AND (placed_at, id) < (")
                        .push_bind(secs(at))
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
                super::attach_doc_extras(&mut docs, &cities, &orders, |r| {
                    Ok((r.try_get(0)?, r.try_get(1)?))
                })?;
                Ok(docs)
            }

            async fn insert_seed(&self, batch: &SeedBatch) -> Result<()> {
                write::insert_seed(&self.pool, batch).await
            }

            async fn defer_indexes(&self) -> Result<Vec<String>> {
                let rows = sqlx::query(SECONDARY_INDEXES).fetch_all(&self.pool).await?;
                let mut defs = Vec::with_capacity(rows.len());
                for r in &rows {
                    let (name, def): (String, String) = (r.try_get(0)?, r.try_get(1)?);
                    // Names and definitions come from the catalog, never from user input.
                    let drop = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
                    sqlx::query(sqlx::AssertSqlSafe(drop))
                        .execute(&self.pool)
                        .await?;
                    defs.push(def);
                }
                Ok(defs)
            }

            async fn restore_indexes(&self, definitions: &[String]) -> Result<()> {
                for def in definitions {
                    sqlx::query(sqlx::AssertSqlSafe(def.clone()))
                        .execute(&self.pool)
                        .await?;
                }
                Ok(())
            }

            async fn import_customers(
                &self,
                rows: &[CustomerRow],
                progress: Progress<'_>,
            ) -> Result<ImportReport> {
                write::import_customers(&self.pool, rows, progress).await
            }

            async fn import_orders(
                &self,
                rows: &[OrderRow],
                progress: Progress<'_>,
            ) -> Result<ImportReport> {
                write::import_orders(&self.pool, rows, progress).await
            }

            async fn import_order_items(
                &self,
                rows: &[OrderItemRow],
                progress: Progress<'_>,
            ) -> Result<ImportReport> {
                write::import_order_items(&self.pool, rows, progress).await
            }

            async fn verify_stats(&self) -> Result<i64> {
                write::verify_stats(&self.pool).await
            }
        }
    };
}
pub(crate) use impl_store;

/// Row-to-model mappers for both backends. Column access is the same on both; what differs
/// (timestamps, JSON, enum text) goes through `ts`, `ts_opt`, `json` and `enum_col`, which each
/// backend's `rows.rs` defines for its own types before using this macro.
macro_rules! row_mappers {
    ($row:ty) => {
        pub fn customer(row: &$row) -> Result<Customer> {
            Ok(Customer {
                id: row.try_get("id")?,
                email: row.try_get("email")?,
                first_name: row.try_get("first_name")?,
                last_name: row.try_get("last_name")?,
                phone: row.try_get("phone")?,
                company: row.try_get("company")?,
                language: row.try_get("language")?,
                has_account: row.try_get("has_account")?,
                status: enum_col(row, "status", CustomerStatus::parse)?,
                status_reason: row.try_get("status_reason")?,
                created_at: ts(row, "created_at")?,
                updated_at: ts(row, "updated_at")?,
                last_login_at: ts_opt(row, "last_login_at")?,
                registration_ip: row.try_get("registration_ip")?,
                last_login_ip: row.try_get("last_login_ip")?,
                marketing_consent: row.try_get("marketing_consent")?,
                custom_fields: json(row, "custom_fields")?,
                version: row.try_get("version")?,
                stats: CustomerStats {
                    order_count: row.try_get("order_count")?,
                    total_spent: row.try_get("total_spent")?,
                    currency: row.try_get("currency")?,
                    first_order_at: ts_opt(row, "first_order_at")?,
                    last_order_at: ts_opt(row, "last_order_at")?,
                },
            })
        }

        pub fn address(row: &$row) -> Result<Address> {
            Ok(Address {
                id: row.try_get("id")?,
                customer_id: row.try_get("customer_id")?,
                kind: enum_col(row, "kind", AddressKind::parse)?,
                is_default_billing: row.try_get("is_default_billing")?,
                is_default_shipping: row.try_get("is_default_shipping")?,
                first_name: row.try_get("first_name")?,
                last_name: row.try_get("last_name")?,
                company: row.try_get("company")?,
                address1: row.try_get("address1")?,
                address2: row.try_get("address2")?,
                city: row.try_get("city")?,
                province: row.try_get("province")?,
                postal_code: row.try_get("postal_code")?,
                country: row.try_get("country")?,
                phone: row.try_get("phone")?,
                verification: enum_col(row, "verification", Verification::parse)?,
            })
        }

        pub fn order(row: &$row) -> Result<Order> {
            Ok(Order {
                id: row.try_get("id")?,
                number: row.try_get("number")?,
                customer_id: row.try_get("customer_id")?,
                email: row.try_get("email")?,
                placed_at: ts(row, "placed_at")?,
                status: enum_col(row, "status", OrderStatus::parse)?,
                payment_status: enum_col(row, "payment_status", PaymentStatus::parse)?,
                fulfillment_status: enum_col(row, "fulfillment_status", FulfillmentStatus::parse)?,
                payment_method: row.try_get("payment_method")?,
                currency: row.try_get("currency")?,
                subtotal: row.try_get("subtotal")?,
                shipping: row.try_get("shipping")?,
                tax: row.try_get("tax")?,
                discount: row.try_get("discount")?,
                total: row.try_get("total")?,
                shipping_address: row.try_get("shipping_address")?,
                billing_address: row.try_get("billing_address")?,
            })
        }

        pub fn order_item(row: &$row) -> Result<OrderItem> {
            Ok(OrderItem {
                id: row.try_get("id")?,
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                kind: enum_col(row, "kind", ProductKind::parse)?,
                quantity: row.try_get("quantity")?,
                unit_price: row.try_get("unit_price")?,
                total: row.try_get("total")?,
            })
        }

        pub fn transaction(row: &$row) -> Result<Transaction> {
            Ok(Transaction {
                id: row.try_get("id")?,
                order_number: row.try_get("order_number")?,
                kind: enum_col(row, "kind", TransactionKind::parse)?,
                amount: row.try_get("amount")?,
                currency: row.try_get("currency")?,
                method: row.try_get("method")?,
                description: row.try_get("description")?,
                created_at: ts(row, "created_at")?,
            })
        }

        pub fn library_item(row: &$row) -> Result<LibraryItem> {
            Ok(LibraryItem {
                id: row.try_get("id")?,
                product_id: row.try_get("product_id")?,
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                kind: enum_col(row, "kind", ProductKind::parse)?,
                source: enum_col(row, "source", LibrarySource::parse)?,
                order_number: row.try_get("order_number")?,
                granted_at: ts(row, "granted_at")?,
                revoked_at: ts_opt(row, "revoked_at")?,
                expires_at: ts_opt(row, "expires_at")?,
                note: row.try_get("note")?,
                downloads: row.try_get("downloads")?,
                last_download_at: ts_opt(row, "last_download_at")?,
            })
        }

        pub fn wishlist_item(row: &$row) -> Result<WishlistItem> {
            Ok(WishlistItem {
                id: row.try_get("id")?,
                product_id: row.try_get("product_id")?,
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                price: row.try_get("price")?,
                currency: row.try_get("currency")?,
                added_at: ts(row, "added_at")?,
                purchased_at: ts_opt(row, "purchased_at")?,
            })
        }

        pub fn email(row: &$row) -> Result<Email> {
            Ok(Email {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                status: enum_col(row, "status", EmailStatus::parse)?,
                created_at: ts(row, "created_at")?,
                sent_at: ts_opt(row, "sent_at")?,
                delivered_at: ts_opt(row, "delivered_at")?,
                error: row.try_get("error")?,
            })
        }

        pub fn note(row: &$row) -> Result<Note> {
            Ok(Note {
                id: row.try_get("id")?,
                author: row.try_get("author")?,
                body: row.try_get("body")?,
                pinned: row.try_get("pinned")?,
                created_at: ts(row, "created_at")?,
                edited_at: ts_opt(row, "edited_at")?,
                version: row.try_get("version")?,
            })
        }

        pub fn membership(row: &$row) -> Result<Membership> {
            let group_status: String = row.try_get("group_status")?;
            Ok(Membership {
                group_id: row.try_get("group_id")?,
                group_name: row.try_get("name")?,
                kind: enum_col(row, "kind", GroupKind::parse)?,
                group_active: group_status == "active",
                discount_bps: row.try_get("discount_bps")?,
                status: enum_col(row, "status", MembershipStatus::parse)?,
            })
        }

        pub fn staff(row: &$row) -> Result<Staff> {
            Ok(Staff {
                id: row.try_get("id")?,
                username: row.try_get("username")?,
                display_name: row.try_get("display_name")?,
                role: enum_col(row, "role", StaffRole::parse)?,
                active: row.try_get("active")?,
            })
        }

        /// Expects the `staff` column to hold the acting staff member's username (a LEFT JOIN).
        pub fn audit_entry(row: &$row) -> Result<AuditEntry> {
            Ok(AuditEntry {
                id: row.try_get("id")?,
                staff: row.try_get("staff")?,
                action: row.try_get("action")?,
                customer_id: row.try_get("customer_id")?,
                details: json(row, "details")?,
                created_at: ts(row, "created_at")?,
            })
        }

        /// Expects a `members` count column.
        pub fn group(row: &$row) -> Result<Group> {
            let status: String = row.try_get("status")?;
            Ok(Group {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                kind: enum_col(row, "kind", GroupKind::parse)?,
                active: status == "active",
                discount_bps: row.try_get("discount_bps")?,
                description: row.try_get("description")?,
                members: row.try_get("members")?,
            })
        }

        pub fn custom_field_def(row: &$row) -> Result<CustomFieldDef> {
            Ok(CustomFieldDef {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                label: row.try_get("label")?,
                kind: enum_col(row, "kind", CustomFieldKind::parse)?,
                choices: serde_json::from_value(json(row, "choices")?).unwrap_or_default(),
                required: row.try_get("required")?,
                position: row.try_get("position")?,
            })
        }
    };
}
pub(crate) use row_mappers;
