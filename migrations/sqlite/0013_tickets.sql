-- patron schema v13 (SQLite): kept in step with migrations/postgres/0013_tickets.sql.
-- Help-desk tickets imported from a Zendesk or Freshdesk CSV (`patron import tickets`), and
-- each ticket's conversation.

-- (source, external_id) is the help desk's own key, so importing the same export again updates
-- its tickets instead of adding them twice. customer_id is matched by requester_email at import;
-- a requester who is no customer is kept unlinked (NULL) with the email, and linked by a later
-- import once the customer exists. satisfaction is the rating as good/bad/none; when the export
-- gave a number (1-5) it is kept in satisfaction_score too (4-5 good, 1-2 bad, 3 none).
CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY,
    source             TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    customer_id        INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    requester_email    TEXT NOT NULL,
    subject            TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL CHECK (status IN ('open', 'pending', 'on_hold', 'solved', 'closed')),
    priority           TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    created_at         INTEGER NOT NULL,
    solved_at          INTEGER,
    satisfaction       TEXT NOT NULL DEFAULT 'none' CHECK (satisfaction IN ('good', 'bad', 'none')),
    satisfaction_score INTEGER CHECK (satisfaction_score BETWEEN 1 AND 5),
    imported_at        INTEGER NOT NULL,
    UNIQUE (source, external_id)
);
-- The Support tab and the Activity timeline read one customer's tickets.
CREATE INDEX tickets_customer ON tickets (customer_id, created_at);
CREATE INDEX tickets_requester ON tickets (requester_email);

-- A ticket's messages in the order the export gave them; a re-import replaces them.
CREATE TABLE ticket_messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    author     TEXT NOT NULL DEFAULT '',
    from_staff INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    body       TEXT NOT NULL,
    UNIQUE (ticket_id, position)
);
