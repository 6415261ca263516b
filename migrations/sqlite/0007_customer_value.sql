-- patron schema v7 (SQLite): customer value. Kept in step with
-- migrations/postgres/0007_customer_value.sql.

-- One row per model fit (`patron analytics refresh`): the store-wide BG/NBD and Gamma-Gamma
-- parameters the scores below were computed with. The newest row is the current model.
-- The main currency's spend fit is in columns; every currency's, the churn reference and the
-- optimiser's convergence are in `detail` (JSON).
CREATE TABLE model_fits (
    id               INTEGER PRIMARY KEY,
    fitted_at        INTEGER NOT NULL,
    until_at         INTEGER NOT NULL,   -- the calibration cut-off: orders after it were ignored
    horizon_days     INTEGER NOT NULL,
    monthly_discount REAL NOT NULL,
    customers        INTEGER NOT NULL,   -- customers with a purchase by until_at
    repeat_buyers    INTEGER NOT NULL,
    bgnbd_r          REAL NOT NULL,
    bgnbd_alpha      REAL NOT NULL,
    bgnbd_a          REAL NOT NULL,
    bgnbd_b          REAL NOT NULL,
    bgnbd_ll         REAL NOT NULL,
    currency         TEXT NOT NULL,      -- the main currency (most customers)
    gg_p             REAL,               -- NULL: that currency's spend could not be fitted
    gg_q             REAL,
    gg_gamma         REAL,
    gg_ll            REAL,
    detail           TEXT NOT NULL DEFAULT '{}',
    seconds          REAL NOT NULL DEFAULT 0,
    staff_id         INTEGER REFERENCES staff (id)
);

-- Every customer's scores from the newest fit, replaced as a whole by each refresh. Customers
-- without a purchase have a row too (segment 'none'), so list sorts by score columns can be
-- driven from this table's indexes.
CREATE TABLE customer_scores (
    customer_id        INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    fit_id             INTEGER NOT NULL,
    purchases          INTEGER NOT NULL,  -- orders counted by the model (paid, net of refunds)
    net_spent          INTEGER NOT NULL,  -- minor units, net of refunds
    currency           TEXT NOT NULL,
    recency_days       INTEGER,           -- days from the last purchase to the cut-off
    mean_days_between  REAL,
    p_alive            REAL,
    expected_purchases REAL,
    expected_spend     REAL,              -- minor units per purchase
    clv                INTEGER NOT NULL DEFAULT 0, -- minor units over the horizon, discounted
    clv_known          INTEGER NOT NULL DEFAULT 0,
    r_score            INTEGER NOT NULL DEFAULT 0, -- 1..5; 0 without purchases
    f_score            INTEGER NOT NULL DEFAULT 0,
    m_score            INTEGER NOT NULL DEFAULT 0,
    segment            TEXT NOT NULL,     -- 'champions' … 'lost', 'none'
    segment_rank       INTEGER NOT NULL,  -- display order of the segment
    churn_risk         TEXT NOT NULL CHECK (churn_risk IN ('low', 'medium', 'high', 'none')),
    churn_rank         INTEGER NOT NULL,  -- none 0, low 1, medium 2, high 3
    churn_reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_scores_clv ON customer_scores (clv, customer_id);
CREATE INDEX customer_scores_segment ON customer_scores (segment_rank, customer_id);
CREATE INDEX customer_scores_churn ON customer_scores (churn_rank, customer_id);

-- Engagement events imported from the shop's other systems (`patron import events`).
-- A re-import of the same file adds nothing (the unique key).
CREATE TABLE customer_events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('email_sent', 'email_opened', 'email_clicked',
                    'site_visit', 'cart_abandoned', 'review_written', 'referral')),
    occurred_at INTEGER NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX customer_events_key ON customer_events (customer_id, kind, occurred_at, detail);

-- Rule-based groups: a JSON rule (minimum orders/spent, segment, churn risk, country) applied
-- when scores refresh. Memberships a rule added are 'rule'; a rule never removes a 'manual' one.
ALTER TABLE customer_groups ADD COLUMN rule TEXT;
ALTER TABLE group_members ADD COLUMN source TEXT NOT NULL DEFAULT 'manual'
    CHECK (source IN ('manual', 'rule'));
