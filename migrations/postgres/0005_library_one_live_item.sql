-- patron schema v5 (PostgreSQL): a customer holds at most one live (not revoked) library item per
-- product. Kept in step with migrations/sqlite/0005_library_one_live_item.sql.
-- Earlier rebuilds granted one item per paid order, so a product bought twice was held twice. Per
-- (customer, product) the earliest grant is kept and the later live ones are revoked the way the
-- console revokes (revoked_at set, rows and their downloads kept), with a note saying why and one
-- audit entry per customer; then a partial unique index keeps it so.
INSERT INTO audit_log (staff_id, action, customer_id, details, created_at)
SELECT NULL, 'library.fold', l.customer_id,
    jsonb_build_object('revoked', jsonb_agg(l.id ORDER BY l.id), 'reason',
        'duplicate live items of one product; the earliest grant is kept'),
    now()
FROM library_items l
WHERE l.revoked_at IS NULL AND EXISTS (SELECT 1 FROM library_items k
    WHERE k.customer_id = l.customer_id AND k.product_id = l.product_id AND k.revoked_at IS NULL
    AND (k.granted_at < l.granted_at OR (k.granted_at = l.granted_at AND k.id < l.id)))
GROUP BY l.customer_id;

UPDATE library_items SET revoked_at = now(),
    note = CASE WHEN note = '' THEN 'Duplicate of an earlier grant (revoked by migration 0005)'
        ELSE note || ' (duplicate of an earlier grant, revoked by migration 0005)' END
WHERE revoked_at IS NULL AND EXISTS (SELECT 1 FROM library_items k
    WHERE k.customer_id = library_items.customer_id AND k.product_id = library_items.product_id
    AND k.revoked_at IS NULL
    AND (k.granted_at < library_items.granted_at
        OR (k.granted_at = library_items.granted_at AND k.id < library_items.id)));

CREATE UNIQUE INDEX library_live ON library_items (customer_id, product_id) WHERE revoked_at IS NULL;
