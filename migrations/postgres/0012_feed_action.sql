-- patron schema v12 (PostgreSQL): kept in step with migrations/sqlite/0012_feed_action.sql.
-- The change feed's payload gains the audited action: "<schema>:<customer id>:<action>", so the
-- consoles can tell a write that changes nothing they show (a saved view, an export) from one
-- about no single customer, which makes every open list reload (`Change::of_audit`).
CREATE OR REPLACE FUNCTION audit_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('patron_changes',
        TG_TABLE_SCHEMA || ':' || COALESCE(NEW.customer_id::text, '') || ':' || NEW.action);
    RETURN NULL;
END;
$$;
