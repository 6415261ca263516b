-- patron schema v8 (PostgreSQL): every customer has a customer_scores row, so a list sorted by
-- a score (driven by that table's indexes) shows every customer, also those added since the
-- last fit. Kept in step with migrations/sqlite/0008_every_customer_scored.sql.
-- segment_rank 11 is 'none', the last segment in display order (store::model::SegmentKey).
INSERT INTO customer_scores (customer_id, fit_id, purchases, net_spent, currency, segment,
    segment_rank, churn_risk, churn_rank)
SELECT c.id, 0, 0, 0, c.currency, 'none', 11, 'none', 0 FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM customer_scores s WHERE s.customer_id = c.id);

CREATE FUNCTION customers_score_row() RETURNS trigger AS $$
BEGIN
    INSERT INTO customer_scores (customer_id, fit_id, purchases, net_spent, currency, segment,
        segment_rank, churn_risk, churn_rank)
    VALUES (NEW.id, 0, 0, 0, NEW.currency, 'none', 11, 'none', 0)
    ON CONFLICT (customer_id) DO NOTHING;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER customers_score_row AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_score_row();

-- The fit's detail is JSON like every other JSON column here (v7 made it TEXT by mistake).
ALTER TABLE model_fits ALTER COLUMN detail DROP DEFAULT;
ALTER TABLE model_fits ALTER COLUMN detail TYPE JSONB USING detail::jsonb;
ALTER TABLE model_fits ALTER COLUMN detail SET DEFAULT '{}'::jsonb;
