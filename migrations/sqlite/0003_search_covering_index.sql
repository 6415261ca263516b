-- patron schema v3 (SQLite): kept in step with migrations/postgres/0003_search_covering_index.sql.
-- Loading the search index reads every order number by customer; with the number in the index the
-- load never touches the orders table (measured at 1M customers: 56 s -> 15 s from a cold file).
CREATE INDEX orders_customer_number ON orders (customer_id, number);
