-- patron schema v2 (PostgreSQL): staff work. Kept in step with migrations/sqlite/0002_staff_work.sql.

-- The audit screen filters by staff member, newest first.
CREATE INDEX audit_staff ON audit_log (staff_id, id);

-- The live change feed: every audited write tells the consoles listening on this database.
-- The payload is "<schema>:<customer id>" (no id: a change not about one customer); the schema
-- keeps databases that share one server database apart. NOTIFY is delivered at commit, in commit
-- order, and not at all for a rolled-back write.
CREATE FUNCTION audit_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('patron_changes', TG_TABLE_SCHEMA || ':' || COALESCE(NEW.customer_id::text, ''));
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_notify();
