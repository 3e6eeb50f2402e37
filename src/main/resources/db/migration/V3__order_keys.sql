-- Per-key ordering (routes[].order): a delivery with a key waits while an earlier one of the same backend and key
-- is pending or being delivered. Ids are time-ordered and rise monotonically on each node, so message_id is the
-- order of acceptance. One schema for SQLite and PostgreSQL.
ALTER TABLE deliveries ADD COLUMN order_key VARCHAR(1024);

-- The claim's test "is an earlier one of this key unfinished?" and the operator API's "which message does it wait
-- for?": only ordered deliveries are in it.
CREATE INDEX deliveries_order ON deliveries (backend, order_key, message_id) WHERE order_key IS NOT NULL;
