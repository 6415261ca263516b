-- patron schema v11 (PostgreSQL): kept in step with migrations/sqlite/0011_erasure.sql.
-- An erasure (patron gdpr erase) replaces the personal values inside the earlier audit entries
-- about the customer, so the trail keeps what was done and when but no longer who it was done
-- to. Everything else about an entry stays append-only: the one UPDATE let through sets
-- redacted_at and leaves every column but details as it was; DELETE is still refused.
ALTER TABLE audit_log ADD COLUMN redacted_at TIMESTAMPTZ;
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.redacted_at IS NOT NULL
        AND (NEW.id, NEW.staff_id, NEW.real_staff_id, NEW.action, NEW.customer_id, NEW.created_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.staff_id, OLD.real_staff_id, OLD.action, OLD.customer_id, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
