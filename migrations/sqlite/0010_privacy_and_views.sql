-- patron schema v10 (SQLite): kept in step with migrations/postgres/0010_privacy_and_views.sql.
-- The consent ledger, the queue of privacy requests, saved list views, and the index that the
-- "bought SKU" filter of the list and exports reads.

-- Every grant and withdrawal of a purpose; a customer's current consent is the latest event per
-- purpose (ties broken by id). customers.marketing_consent stays as that state for
-- 'marketing_email', written in the same transaction as each event, so lists and exports need no
-- join.
CREATE TABLE consent_events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('marketing_email', 'marketing_sms', 'remote_assistance', 'profiling')),
    granted     INTEGER NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('staff', 'import', 'storefront', 'migration')),
    staff_id    INTEGER REFERENCES staff (id),
    note        TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX consent_events_customer ON consent_events (customer_id, purpose, at, id);

-- The flag as it was becomes the first event of everyone who had consented.
INSERT INTO consent_events (customer_id, purpose, granted, source, note, at)
SELECT id, 'marketing_email', 1, 'migration', 'carried over from the marketing consent flag', updated_at
FROM customers WHERE marketing_consent = 1;

-- Access, erasure and rectification requests (GDPR art. 12(3): one month, extendable by two).
-- subject is who asked as they gave it (an email, a name); it is replaced when the customer
-- is erased.
CREATE TABLE privacy_requests (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    subject         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('access', 'erasure', 'rectification')),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'declined', 'withdrawn')),
    received_at     INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    extended_reason TEXT,
    note            TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES staff (id),
    handled_by      INTEGER REFERENCES staff (id),
    closed_at       INTEGER,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX privacy_requests_due ON privacy_requests (status, due_at, id);
CREATE INDEX privacy_requests_customer ON privacy_requests (customer_id);

-- A named filter and sort of the customer list; owner_id NULL is shared with every staff member.
CREATE TABLE saved_views (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    owner_id    INTEGER REFERENCES staff (id) ON DELETE CASCADE,
    definition  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES staff (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_views_name ON saved_views (COALESCE(owner_id, 0), name);

-- "Customers who bought SKU X": from the item to its order to the customer.
CREATE INDEX order_items_sku ON order_items (sku, order_id);
