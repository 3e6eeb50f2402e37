-- Per-key ordering (routes[].order): of a backend's deliveries with the same key, only the first accepted of those
-- not yet finished is claimed, and only while none of its key is under way. Ids are time-ordered and rise
-- monotonically on each node, so message_id is the order of acceptance. One schema for SQLite and PostgreSQL.
ALTER TABLE deliveries ADD COLUMN order_key VARCHAR(1024);

-- Unfinished keyed deliveries only: a claim finds each key's head here at the cost of what is pending with a key,
-- whatever the keys' delivered history. The queries repeat this condition in literals so that planners use it.
CREATE INDEX deliveries_order ON deliveries (backend, order_key, message_id)
  WHERE order_key IS NOT NULL AND status IN ('pending', 'delivering');

-- Unordered due deliveries only: the claim's pass over them stops at its limit instead of stepping over every keyed
-- delivery that waits for its key (those are found through deliveries_order).
CREATE INDEX deliveries_due_unordered ON deliveries (backend, status, next_attempt_at) WHERE order_key IS NULL;
