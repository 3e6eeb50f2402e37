-- The due indexes hold unfinished deliveries only. A delivery that ends then leaves them, where before it moved to
-- another place in two of them (deliveries_due held every delivery, deliveries_due_unordered every unkeyed one): an
-- outcome costs one index deletion instead of two deletions and two insertions, and each index stays the size of what
-- is pending. Queries that use them state the same condition, literally (see SqlDeliveryStore.unfinished).
DROP INDEX deliveries_due;
DROP INDEX deliveries_due_unordered;

-- Unkeyed deliveries, pending or under way, by due time (a lease's expiry for those under way).
CREATE INDEX deliveries_due_unordered ON deliveries (backend, status, next_attempt_at)
  WHERE order_key IS NULL AND status IN ('pending', 'delivering');

-- Keyed deliveries under way, by their lease's expiry; keyed pending ones are found by deliveries_order.
CREATE INDEX deliveries_keyed_leases ON deliveries (backend, next_attempt_at)
  WHERE order_key IS NOT NULL AND status = 'delivering';
