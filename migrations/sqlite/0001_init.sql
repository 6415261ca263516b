-- patron schema v1 (SQLite). Kept in step with migrations/postgres/0001_init.sql.
-- Timestamps are INTEGER unix seconds (UTC); money is INTEGER minor units plus an ISO currency code.
-- Never edit this file once released: add a new numbered migration instead.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL,                 -- normalized: trimmed, lowercase
    first_name        TEXT NOT NULL DEFAULT '',
    last_name         TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    company           TEXT NOT NULL DEFAULT '',
    language          TEXT NOT NULL DEFAULT 'en',
    has_account       INTEGER NOT NULL DEFAULT 1,    -- 1 registered, 0 guest
    status            TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'disabled', 'locked', 'anonymized')),
    status_reason     TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_login_at     INTEGER,
    registration_ip   TEXT,
    last_login_ip     TEXT,
    marketing_consent INTEGER NOT NULL DEFAULT 0,
    custom_fields     TEXT NOT NULL DEFAULT '{}',    -- JSON object
    version           INTEGER NOT NULL DEFAULT 1,    -- optimistic concurrency
    -- denormalized stats, maintained in the same transaction as order writes
    order_count       INTEGER NOT NULL DEFAULT 0,
    total_spent       INTEGER NOT NULL DEFAULT 0,
    currency          TEXT NOT NULL DEFAULT 'USD',
    first_order_at    INTEGER,
    last_order_at     INTEGER
);
CREATE UNIQUE INDEX customers_email ON customers (email);
-- keyset-paging indexes: one per sortable column, id as tie-breaker
CREATE INDEX customers_name ON customers (last_name, first_name, id);
CREATE INDEX customers_created ON customers (created_at, id);
-- a customer without orders sorts as if their last order was at the epoch, on both backends
CREATE INDEX customers_last_order ON customers (COALESCE(last_order_at, 0), id);
CREATE INDEX customers_account ON customers (has_account, id);
CREATE INDEX customers_order_count ON customers (order_count, id);
CREATE INDEX customers_total_spent ON customers (total_spent, id);
CREATE INDEX customers_status ON customers (status, id);
CREATE INDEX customers_registration_ip ON customers (registration_ip);
CREATE INDEX customers_phone ON customers (phone);

CREATE TABLE addresses (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN ('billing', 'shipping')),
    is_default_billing  INTEGER NOT NULL DEFAULT 0,
    is_default_shipping INTEGER NOT NULL DEFAULT 0,
    first_name          TEXT NOT NULL DEFAULT '',
    last_name           TEXT NOT NULL DEFAULT '',
    company             TEXT NOT NULL DEFAULT '',
    address1            TEXT NOT NULL DEFAULT '',
    address2            TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL DEFAULT '',
    province            TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    verification        TEXT NOT NULL DEFAULT 'unverified'
                        CHECK (verification IN ('unverified', 'verified', 'failed')),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id, city);
CREATE INDEX addresses_postal ON addresses (postal_code);
-- at most one default billing and one default shipping address per customer
CREATE UNIQUE INDEX addresses_one_default_billing ON addresses (customer_id) WHERE is_default_billing = 1;
CREATE UNIQUE INDEX addresses_one_default_shipping ON addresses (customer_id) WHERE is_default_shipping = 1;

CREATE TABLE customer_groups (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('wholesale', 'vip', 'corporate', 'regional', 'custom')),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    discount_bps  INTEGER NOT NULL DEFAULT 0 CHECK (discount_bps BETWEEN 0 AND 10000), -- 1250 = 12.5 %
    description   TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE group_members (
    group_id    INTEGER NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'pending')),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (group_id, customer_id)
);
CREATE INDEX group_members_customer ON group_members (customer_id);

CREATE TABLE products (
    id        INTEGER PRIMARY KEY,
    sku       TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    category  TEXT NOT NULL DEFAULT '',
    brand     TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL CHECK (kind IN ('physical', 'digital', 'bundle')),
    price     INTEGER NOT NULL,
    currency  TEXT NOT NULL DEFAULT 'USD'
);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    customer_id        INTEGER REFERENCES customers (id),  -- NULL: guest order not linked to any customer
    email              TEXT NOT NULL,                        -- normalized email the order was placed with
    placed_at          INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'cancelled', 'refunded', 'on_hold')),
    payment_status     TEXT NOT NULL CHECK (payment_status IN ('pending', 'paid', 'partially_refunded', 'refunded', 'failed', 'voided')),
    fulfillment_status TEXT NOT NULL CHECK (fulfillment_status IN ('unfulfilled', 'partial', 'fulfilled', 'returned')),
    payment_method     TEXT NOT NULL DEFAULT '',
    currency           TEXT NOT NULL,
    subtotal           INTEGER NOT NULL DEFAULT 0,
    shipping           INTEGER NOT NULL DEFAULT 0,
    tax                INTEGER NOT NULL DEFAULT 0,
    discount           INTEGER NOT NULL DEFAULT 0,
    total              INTEGER NOT NULL,
    shipping_address   TEXT NOT NULL DEFAULT '',             -- one-line snapshot at order time
    billing_address    TEXT NOT NULL DEFAULT ''
);
-- covering index: a customer's order page and stats never touch the table
CREATE INDEX orders_customer ON orders (customer_id, placed_at, total, status, payment_status);
CREATE INDEX orders_email ON orders (email);

CREATE TABLE order_items (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  INTEGER REFERENCES products (id),
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'physical' CHECK (kind IN ('physical', 'digital', 'bundle')),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  INTEGER NOT NULL,
    total       INTEGER NOT NULL
);
CREATE UNIQUE INDEX order_items_order_sku ON order_items (order_id, sku);

CREATE TABLE library_items (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    source      TEXT NOT NULL CHECK (source IN ('purchase', 'gift', 'manual')),
    order_id    INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    granted_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    expires_at  INTEGER,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX library_customer ON library_items (customer_id, product_id);

CREATE TABLE downloads (
    id              INTEGER PRIMARY KEY,
    library_item_id INTEGER NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    customer_id     INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    downloaded_at   INTEGER NOT NULL,
    ip              TEXT NOT NULL DEFAULT ''
);
CREATE INDEX downloads_item ON downloads (library_item_id, downloaded_at);
CREATE INDEX downloads_customer ON downloads (customer_id);

CREATE TABLE wishlist_items (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id   INTEGER NOT NULL REFERENCES products (id),
    added_at     INTEGER NOT NULL,
    purchased_at INTEGER,
    UNIQUE (customer_id, product_id)
);

CREATE TABLE transactions (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    order_id    INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('payment', 'refund', 'manual')),
    amount      INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    method      TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    staff_id    INTEGER REFERENCES staff (id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX transactions_customer ON transactions (customer_id, created_at);
CREATE INDEX transactions_order ON transactions (order_id);

CREATE TABLE emails (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'bounced', 'failed')),
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    delivered_at INTEGER,
    error        TEXT
);
CREATE INDEX emails_customer ON emails (customer_id, created_at);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    staff_id    INTEGER REFERENCES staff (id),
    body        TEXT NOT NULL,
    pinned      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notes_customer ON notes (customer_id, pinned, created_at);

CREATE TABLE custom_field_defs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice')),
    choices    TEXT NOT NULL DEFAULT '[]',   -- JSON array for kind = choice
    required   INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE blocked_ips (
    ip         TEXT PRIMARY KEY,
    reason     TEXT NOT NULL DEFAULT '',
    staff_id   INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL
);

-- A merge keeps the source account as a snapshot; its old id and email resolve to the target.
CREATE TABLE merges (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL,
    source_email TEXT NOT NULL,
    target_id    INTEGER NOT NULL REFERENCES customers (id),
    snapshot     TEXT NOT NULL,              -- JSON
    staff_id     INTEGER REFERENCES staff (id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX merges_source_id ON merges (source_id);
CREATE INDEX merges_source_email ON merges (source_email);

-- Append-only: no foreign key to customers so history outlives deletions.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER REFERENCES staff (id),
    action      TEXT NOT NULL,
    customer_id INTEGER,
    details     TEXT NOT NULL DEFAULT '{}',  -- JSON
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_customer ON audit_log (customer_id, created_at);
CREATE INDEX audit_created ON audit_log (created_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
