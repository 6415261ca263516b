-- patron schema v3 (PostgreSQL): kept in step with migrations/sqlite/0003_search_covering_index.sql.
-- Loading the search index reads every order number by customer; an index-only scan serves it.
CREATE INDEX orders_customer_number ON orders (customer_id, number);
