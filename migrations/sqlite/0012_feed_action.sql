-- patron schema v12 (SQLite): kept in step with migrations/postgres/0012_feed_action.sql.
-- no-op: PostgreSQL's change feed now carries the audited action in its notification; SQLite's
-- feed reads the action from audit_log itself, so nothing changes in this schema.
SELECT 1;
