-- patron schema v2 (SQLite): staff work. Kept in step with migrations/postgres/0002_staff_work.sql.
-- The PostgreSQL tree also adds a NOTIFY trigger for the change feed; SQLite needs none, the
-- watcher polls PRAGMA data_version instead (see src/store/sqlite/audit.rs).

-- The audit screen filters by staff member, newest first.
CREATE INDEX audit_staff ON audit_log (staff_id, id);
