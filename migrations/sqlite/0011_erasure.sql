-- patron schema v11 (SQLite): kept in step with migrations/postgres/0011_erasure.sql.
-- An erasure (patron gdpr erase) replaces the personal values inside the earlier audit entries
-- about the customer, so the trail keeps what was done and when but no longer who it was done
-- to. Everything else about an entry stays append-only: the one UPDATE let through sets
-- redacted_at and leaves every column but details as it was.
ALTER TABLE audit_log ADD COLUMN redacted_at INTEGER;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.redacted_at IS NULL OR NEW.id IS NOT OLD.id OR NEW.staff_id IS NOT OLD.staff_id
    OR NEW.real_staff_id IS NOT OLD.real_staff_id OR NEW.action IS NOT OLD.action
    OR NEW.customer_id IS NOT OLD.customer_id OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
