-- patron schema v4 (SQLite): account hygiene. Kept in step with migrations/postgres/0004_account_hygiene.sql.
-- A merge re-points earlier merges into its source (merges.target_id), and deleting a merge target is
-- refused by looking it up there; the library rebuild finds purchase grants by their order.
CREATE INDEX merges_target ON merges (target_id);
CREATE INDEX library_order ON library_items (order_id);
