-- The activity chart's counts: attempts per backend, minute and outcome, kept by each batch of attempt records in
-- its own transaction. Counted at every poll from the attempts themselves, the last hour's took seconds at a
-- thousand attempts a second, and past the operator API's bound at a few thousand. minute_start, not minute:
-- MINUTE is a keyword in some SQL dialects. Per node as well: nodes sharing a PostgreSQL store then add to rows of
-- their own, and no node's records wait for another's to commit.
CREATE TABLE attempt_minutes (
  backend      VARCHAR(255) NOT NULL,
  minute_start BIGINT       NOT NULL,
  outcome      VARCHAR(16)  NOT NULL,
  node         VARCHAR(255) NOT NULL,
  attempts     BIGINT       NOT NULL,
  PRIMARY KEY (backend, minute_start, outcome, node)
);

-- The history so far, counted once.
INSERT INTO attempt_minutes (backend, minute_start, outcome, node, attempts)
  SELECT backend, started_at - (started_at % 60000), outcome, COALESCE(node, ''), COUNT(*) FROM attempts
  GROUP BY backend, started_at - (started_at % 60000), outcome, COALESCE(node, '');
