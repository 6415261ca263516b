-- patron schema v6 (SQLite): who is acting, proven. Kept in step with
-- migrations/postgres/0006_staff_identity.sql.
-- A staff member's `login` is the OS account that acts as them locally (unique; NULL: nobody, such
-- a member works only over `patron serve`). Existing members keep acting as before: their login is
-- their username.
ALTER TABLE staff ADD COLUMN login TEXT;
UPDATE staff SET login = username;
CREATE UNIQUE INDEX staff_login ON staff (login);

-- An admin acting as someone else (`--as dan`): staff_id is who the write was made as, and
-- real_staff_id who really made it. NULL when they are the same.
ALTER TABLE audit_log ADD COLUMN real_staff_id INTEGER REFERENCES staff (id);

-- SSH public keys: who a `patron serve` session acts as. In the database so every server agrees.
CREATE TABLE staff_keys (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    fingerprint TEXT NOT NULL UNIQUE,            -- SHA256:… as ssh-keygen -l prints it
    public_key  TEXT NOT NULL,                   -- "algorithm base64", no comment
    comment     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX staff_keys_staff ON staff_keys (staff_id);
