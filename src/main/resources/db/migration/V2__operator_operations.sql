-- What the operator API (issue 11) needs: manual retries, and indexes for its queries. One schema for H2 and PostgreSQL.

-- Set by an operator's retry and cleared by the attempt it asked for, so that the history can say the attempt was
-- manual even when it is made by another node's scheduler.
ALTER TABLE deliveries ADD COLUMN manual BOOLEAN DEFAULT FALSE NOT NULL;

-- Listing pages newest first by (received_at, id); the index also serves the purge's received_at range, so the
-- single-column one goes.
CREATE INDEX messages_newest ON messages (received_at, id);
DROP INDEX messages_received_at;

CREATE INDEX messages_sender_id ON messages (sender_id);

-- Attempts per minute since a time (activity).
CREATE INDEX attempts_started_at ON attempts (started_at);
